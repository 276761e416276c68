"""The application object: start-up with notices, the exception hook on the GUI thread, a live language
switch that keeps the plan."""
import pytest

from llmplanner.core.plan import ModelSource, Plan, save_plan

pytestmark = pytest.mark.gui


@pytest.fixture
def application(qapp, tmp_path):
    from llmplanner.app import Application
    from llmplanner.gui.i18n import install_language
    from llmplanner.gui.settings import Settings

    settings = Settings(tmp_path / "config" / "llmplanner.ini")
    settings.confirm_unsaved_close = False
    a = Application(qapp, settings=settings, autosave_folder=tmp_path / "autosave")
    yield a
    a.handler.uninstall()
    for w in qapp.topLevelWidgets():
        w.close()
    install_language(qapp, "en")


def test_start_reopens_the_last_plan(application, tmp_path, qtbot):
    path = tmp_path / "last.llmplan"
    save_plan(Plan(name="yesterday", model=ModelSource.preset("Phi-3-mini-4k-instruct")), path)
    application.settings.last_plan = str(path)
    window = application.start()
    assert window.controller.plan.name == "yesterday"
    assert window.controller.path == str(path)


def test_start_shows_the_settings_notice_after_a_corrupt_file(qapp, tmp_path):
    from llmplanner.app import Application
    from llmplanner.gui.settings import Settings

    ini = tmp_path / "bad.ini"
    ini.write_bytes(b"\x00\xff\x00")
    a = Application(qapp, settings=Settings(ini), autosave_folder=tmp_path / "autosave")
    try:
        window = a.start()
        assert window.notice_bar.isVisible() and "bad.ini.bak" in window.notice_bar.label.text()
    finally:
        a.handler.uninstall()
        window.close()


def test_an_exception_in_a_gui_slot_reaches_the_handler_and_the_app_goes_on(application, qtbot, qapp):
    from llmplanner.gui.qt import QtCore

    window = application.start()
    application.handler.show_dialogs = False

    def broken_slot():
        raise ZeroDivisionError("a bug in a slot")

    QtCore.QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: len(application.handler.reports) == 1)
    assert "ZeroDivisionError: a bug in a slot" in application.handler.reports[0].summary
    window.controller.set_plan(window.controller.plan.replace(context=2048))
    tab = window.tab("architecture")
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.main.context == 2048)


def test_switching_language_keeps_the_plan_and_the_window_place(application, qtbot):
    window = application.start()
    window.controller.set_plan(window.controller.plan.replace(context=3000, name="mine"))
    window.resize(1100, 720)
    from llmplanner.gui.qt import QtGui

    chinese = next(a for a in window.findChildren(QtGui.QAction) if a.data() == "zh_CN")
    chinese.trigger()  # View ▸ Language ▸ 简体中文
    new = application.window
    assert new is not window
    assert new.tabs_widget.tabText(0) == "架构"
    assert new.controller.plan.name == "mine" and new.controller.is_modified
    assert new.height() == 720  # (the offscreen screen is 800 px wide: Qt clamps the restored width to it)
    assert application.settings.language == "zh_CN"

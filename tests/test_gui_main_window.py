"""The main window: plans saved and reopened, damaged files, drops, model errors, export, the error handler."""
import json

import pytest
from gui_fixtures import settings, wait_results, window  # noqa: F401 - fixtures

from llmplanner.core.plan import ModelSource, Plan, load_plan, plan_to_dict, save_plan
from llmplanner.core.presets import find_preset

pytestmark = pytest.mark.gui


def test_a_plan_round_trips_through_save_and_open(qtbot, window, tmp_path):  # noqa: F811
    tab = window.tab("architecture")
    tab.form.widgets["model.num_layers"].setValue(20)
    window.controller.set_plan(window.controller.plan.replace(context=2048, name="twenty layers"))
    wait_results(qtbot, tab)
    edited = window.controller.plan
    path = tmp_path / "twenty.llmplan"
    assert window.save_plan_to(str(path))
    assert not window.controller.is_modified
    assert json.loads(path.read_text(encoding="utf-8")) == plan_to_dict(edited)
    assert load_plan(path).plan == edited
    window.controller.new_plan()
    wait_results(qtbot, tab)
    assert window.controller.plan == Plan()
    assert window.open_plan_file(str(path))
    wait_results(qtbot, tab)
    assert window.controller.plan == edited
    assert tab.result.main.arch.num_layers == 20
    assert window.settings.recent_files[0] == str(path)
    assert "twenty layers" in window.windowTitle()


def test_a_corrupt_plan_keeps_the_current_one_and_says_why(qtbot, window, tmp_path):  # noqa: F811
    path = tmp_path / "broken.llmplan"
    path.write_text('{"format_version": 1, "model": ')
    before = window.controller.plan
    assert not window.open_plan_file(str(path))
    assert window.notice_bar.isVisible()
    assert "corrupt" in window.notice_bar.label.text() and "broken.llmplan" in window.notice_bar.label.text()
    assert window.controller.plan == before


def test_a_plan_from_the_future_is_refused(qtbot, window, tmp_path):  # noqa: F811
    path = tmp_path / "future.llmplan"
    path.write_text(json.dumps({"format_version": 99}))
    assert not window.open_plan_file(str(path))
    assert "newer llmplanner" in window.notice_bar.label.text()


def test_a_plan_with_missing_fields_opens_with_notices(qtbot, window, tmp_path):  # noqa: F811
    path = tmp_path / "old.llmplan"
    path.write_text(json.dumps({"format_version": 1, "model": {"kind": "preset", "value": "Removed-Model-70B"},
                                "context": 1024}))
    assert window.open_plan_file(str(path))
    text = window.notice_bar.label.text()
    assert "Removed-Model-70B" in text and "no longer exists" in text and "runtime" in text
    assert window.controller.plan.context == 1024


def test_dropping_a_config_json_loads_that_model(qtbot, window, tmp_path):  # noqa: F811
    config = dict(find_preset("Qwen2.5-7B").config)
    folder = tmp_path / "qwen"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(config))
    window.open_dropped(str(folder / "config.json"))
    qtbot.waitUntil(lambda: window.controller.state.plan.model.kind == "config", timeout=5000)
    tab = window.tab("architecture")
    wait_results(qtbot, tab)
    assert tab.result.main.params.total == 7_615_616_512  # Qwen2.5-7B model card: 7.61B
    assert "config.json" in window.picker.summary.text()


def test_a_model_that_cannot_be_read_keeps_the_previous_one(qtbot, window, tmp_path):  # noqa: F811
    bad = tmp_path / "config.json"
    bad.write_text('{"model_type": "llama", "hidden_size": "big"}')
    before = window.controller.state.model.architecture
    window.open_dropped(str(bad))
    qtbot.waitUntil(lambda: window.picker.error.isVisibleTo(window), timeout=5000)
    assert "hidden_size" in window.picker.error.text()
    qtbot.waitUntil(lambda: window.controller.plan.model.kind == "preset", timeout=5000)
    assert window.controller.state.model.architecture == before


def test_dropping_a_plan_opens_it(qtbot, window, tmp_path):  # noqa: F811
    path = tmp_path / "dropped.llmplan"
    save_plan(Plan(name="from a drop", model=ModelSource.preset("GPT-2")), path)
    window.open_dropped(str(path))
    qtbot.waitUntil(lambda: window.controller.state.plan.name == "from a drop")
    wait_results(qtbot, window.tab("architecture"))
    assert window.tab("architecture").result.main.params.total == 124_439_808  # GPT-2 small, transformers


def test_the_picker_searches_presets(qtbot, window):  # noqa: F811
    picker = window.picker
    picker.search.setEditText("mixtral-8x7b")  # "mixtral" alone matches 8x7B and 8x22B since the presets grew
    picker._on_search_return_pressed()
    qtbot.waitUntil(lambda: window.controller.plan.model == ModelSource.preset("Mixtral-8x7B-v0.1"))
    picker.search.setEditText("no such model at all")
    picker._on_search_return_pressed()
    assert picker.error.isVisibleTo(window) and "No built-in model matches" in picker.error.text()


def test_export_writes_markdown_csv_and_chart_images(qtbot, window, tmp_path):  # noqa: F811
    from llmplanner.gui.export import export_charts, export_csv, export_markdown

    md = export_markdown(str(tmp_path / "r.md"), window.controller.plan, window.tabs).read_text(encoding="utf-8")
    assert "8,030,261,248" in md and "## Architecture" in md and "| 31 |" in md
    csv_text = export_csv(str(tmp_path / "r.csv"), window.tabs).read_text(encoding="utf-8")
    assert "Architecture,Parameter breakdown,Attention,Parameters,1342177280" in csv_text
    images = export_charts(str(tmp_path / "charts"), window.tabs)
    assert {p.name for p in images} >= {"architecture-breakdown.png", "architecture-loss.png"}
    assert all(p.stat().st_size > 1000 for p in images)


def test_settings_remember_the_window_and_the_plan_file(qtbot, window, settings, tmp_path):  # noqa: F811
    path = tmp_path / "p.llmplan"
    window.save_plan_to(str(path))
    window.resize(1000, 700)
    window.set_current_tab("architecture")
    window.save_window_state()
    assert settings.last_plan == str(path)
    assert settings.geometry and settings.current_tab == "architecture"
    assert str(settings.path).startswith(str(tmp_path))


def test_an_unexpected_error_shows_a_report_logs_it_and_the_app_goes_on(qtbot, window, tmp_path):  # noqa: F811
    from llmplanner.gui.errors import ExceptionHandler

    handler = ExceptionHandler(show_dialogs=True)
    handler.install()
    try:
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError as e:
            handler.handle(e)
        qtbot.waitUntil(lambda: handler._dialog is not None and handler._dialog.isVisible())
        dialog = handler._dialog
        assert "boom in a slot" in dialog.details.toPlainText()
        assert "Traceback" in dialog.details.toPlainText()
        log = handler.reports[0].log_path
        assert log.startswith(str(tmp_path)) and "boom in a slot" in open(log, encoding="utf-8").read()
        dialog.copy_button.click()
        from llmplanner.gui.qt import QtWidgets

        assert "boom in a slot" in QtWidgets.QApplication.clipboard().text()
        dialog.close()
        window.controller.set_plan(window.controller.plan.replace(context=1024))
        wait_results(qtbot, window.tab("architecture"))
        assert window.tab("architecture").result.main.context == 1024
    finally:
        handler.uninstall()


def test_the_recovery_bar_restores_an_autosaved_plan(qtbot, window, tmp_path):  # noqa: F811
    import subprocess
    import sys

    from llmplanner.autosave import Autosaver, find_recoverable

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    folder = tmp_path / "autosave"
    Autosaver(folder, pid=proc.pid).write(Plan(name="lost work", context=3000))
    window.offer_recovery(find_recoverable(folder))
    assert window.recovery_bar.isVisible() and "lost work" in window.recovery_bar.label.text()
    from llmplanner.gui.qt import QtWidgets

    buttons = window.recovery_bar.findChildren(QtWidgets.QPushButton)
    next(b for b in buttons if "Restore" in b.text()).click()
    qtbot.waitUntil(lambda: window.controller.plan.name == "lost work")
    assert window.controller.is_modified
    assert find_recoverable(folder) == []
    assert not window.recovery_bar.isVisible()


def test_a_real_drop_event_on_the_window_opens_the_file(qtbot, window, tmp_path):  # noqa: F811
    from llmplanner.gui.qt import QtCore, QtGui

    path = tmp_path / "dropped.llmplan"
    save_plan(Plan(name="by drag and drop", context=2048), path)
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(path))])
    pos = QtCore.QPointF(window.width() / 2, window.height() / 2)
    enter = QtGui.QDragEnterEvent(pos.toPoint(), QtCore.Qt.DropAction.CopyAction, mime,
                                  QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(pos, QtCore.Qt.DropAction.CopyAction, mime, QtCore.Qt.MouseButton.LeftButton,
                            QtCore.Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.controller.plan.name == "by drag and drop")


def test_charts_and_messages_follow_a_dark_palette(qtbot, qapp, window):  # noqa: F811
    from llmplanner.gui.qt import QtGui
    from llmplanner.gui.widgets import error_color

    tab = window.tab("architecture")
    light = qapp.palette()
    dark = QtGui.QPalette(light)
    for role, color in ((QtGui.QPalette.ColorRole.Window, "#202124"), (QtGui.QPalette.ColorRole.Base, "#17181a"),
                        (QtGui.QPalette.ColorRole.Text, "#e8eaed"), (QtGui.QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QtGui.QColor(color))
    try:
        qapp.setPalette(dark)
        qtbot.waitUntil(lambda: tab.chart.backgroundBrush().color().name() == "#17181a")
        assert error_color().lightness() > 128  # a light red that reads on dark
        tab.form.widgets["attention.num_kv_heads"].setValue(3)
        message = tab.form.messages["attention.num_kv_heads"]
        assert message.palette().color(message.foregroundRole()) == error_color()
    finally:
        qapp.setPalette(light)

"""Fixtures for GUI tests: a window over a private settings file and autosave folder.

Import the fixtures you use into the test module (``from gui_fixtures import settings, window``).
"""
from __future__ import annotations

import pytest


@pytest.fixture
def settings(tmp_path):
    from llmplanner.gui.settings import Settings

    s = Settings(tmp_path / "settings" / "llmplanner.ini")
    s.confirm_unsaved_close = False
    return s


@pytest.fixture
def window(qtbot, settings, tmp_path):
    from llmplanner.autosave import Autosaver
    from llmplanner.gui.controller import PlanController
    from llmplanner.gui.main_window import MainWindow
    from llmplanner.gui.qt import QtCore

    controller = PlanController(autosaver=Autosaver(tmp_path / "autosave"))
    w = MainWindow(controller, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: controller.state is not None)
    for tab in w.tabs:
        tab.wait_idle()
    yield w
    for tab in w.tabs:
        for comp in tab.computations:
            comp.cancel()
    QtCore.QThreadPool.globalInstance().waitForDone(5000)


def wait_results(qtbot, tab):
    """Let the tab's debounced computations run and deliver."""
    qtbot.waitUntil(lambda: not any(c.is_busy for c in tab.computations), timeout=5000)

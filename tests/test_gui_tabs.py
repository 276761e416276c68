"""The tab contract: a minimal tab plugged into the window gets the plan, computes off the GUI thread,
sends edits back, and shows its activity. Also the executable example for new tabs."""
import threading

import pytest

from llmplanner.core.params import count_params

pytestmark = pytest.mark.gui


def double_the_context(context: int) -> tuple[int, str]:
    """A stand-in engine: pure, and it says which thread it ran on."""
    return context * 2, threading.current_thread().name


def make_tab_class():
    from llmplanner.gui.qt import QtWidgets, Slot, translate
    from llmplanner.gui.tabs import PlanTab

    class EchoTab(PlanTab):
        tab_id = "echo"

        @classmethod
        def title(cls):
            return translate("EchoTab", "Echo")

        def __init__(self, settings=None, parent=None):
            super().__init__(parent)
            self.label = QtWidgets.QLabel()
            QtWidgets.QVBoxLayout(self).addWidget(self.label)
            self.results = []
            self._computation = self.make_computation(double_the_context, description="Doubling…")
            self._computation.result_ready.connect(self._on_computation_result_ready)

        def show_state(self, state):
            self.state = state
            self._computation.request(state.plan.context)

        def compute_now(self):
            self._computation.compute_now(self.state.plan.context)

        @Slot(object)
        def _on_computation_result_ready(self, result):
            self.results.append(result)
            self.label.setText(str(result[0]))

    return EchoTab


def test_a_new_tab_plugs_into_the_window(qtbot, tmp_path):
    from llmplanner.gui.controller import PlanController
    from llmplanner.gui.main_window import MainWindow
    from llmplanner.gui.settings import Settings

    from llmplanner.gui.architecture_tab import ArchitectureTab

    echo_cls = make_tab_class()
    controller = PlanController()
    window = MainWindow(controller, Settings(tmp_path / "s.ini"), tab_classes=[ArchitectureTab, echo_cls])
    qtbot.addWidget(window)
    echo = window.tab("echo")
    assert window.tabs_widget.tabText(1) == "Echo"
    qtbot.waitUntil(lambda: len(echo.results) > 0)
    assert echo.results[-1][0] == 2 * 4096
    assert echo.results[-1][1] != threading.main_thread().name
    echo.propose(echo.state.plan.replace(context=1000))  # an edit from this tab …
    qtbot.waitUntil(lambda: echo.results[-1][0] == 2000)  # … comes back to every tab as the new plan
    arch = window.tab("architecture")
    qtbot.waitUntil(lambda: arch.result is not None and arch.result.main.context == 1000)
    assert arch.result.main.params.total == count_params(controller.state.model.architecture).total
    echo._computation.request(5, description="Doubling five…")
    assert window.activity.text() == "Doubling five…"
    qtbot.waitUntil(lambda: window.activity.text() == "Ready")


def test_the_registry_leaves_out_tabs_whose_module_does_not_exist_yet(monkeypatch):
    from llmplanner.gui import tabs

    monkeypatch.setattr(tabs, "TAB_ENTRIES", (
        tabs.TabEntry("architecture", "llmplanner.gui.architecture_tab", "ArchitectureTab"),
        tabs.TabEntry("future", "llmplanner.gui.no_such_tab_yet", "FutureTab"),
    ))
    assert [t.tab_id for t in tabs.registered_tabs()] == ["architecture"]


def test_the_registry_refuses_a_class_that_breaks_the_contract(monkeypatch):
    from llmplanner.gui import tabs

    monkeypatch.setattr(tabs, "TAB_ENTRIES", (tabs.TabEntry("settings", "llmplanner.gui.settings", "Settings"),))
    with pytest.raises(TypeError, match="must be a PlanTab"):
        tabs.registered_tabs()

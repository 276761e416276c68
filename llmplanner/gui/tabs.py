"""The main window's tabs: the contract a tab fulfils and the registry the window builds from.

A tab is a ``PlanTab`` subclass in its own module, listed in ``TAB_ENTRIES`` below:

- class attribute ``tab_id`` (``"precision"``: screenshots ``<tab_id>.png``, chart exports, settings) and
  classmethod ``title()`` (translated: ``translate("PrecisionTab", "Precision")``);
- ``__init__(self, settings=None, parent=None)``: the window passes its ``Settings`` (for the tab's own
  preferences) and nothing else;
- ``show_state(state)`` receives every new ``controller.PlanState`` — ``state.plan`` (the shared ``Plan``),
  ``state.model`` / ``state.compare`` (``LoadedModel``s, their architectures loaded) — on the GUI thread;
  it updates the inputs and calls ``request(...)`` on a worker made in ``__init__`` with
  ``self.make_computation(fn, description=...)``. ``fn`` is a pure function of plain frozen dataclasses
  (``llmplanner.core``); it runs on a ``QThreadPool`` thread, debounced, a newer request supersedes an older
  one, and its result arrives at a ``@Slot`` connected to ``computation.result_ready`` (bad input:
  ``computation_failed(message)``; anything else also reaches the app's error dialog). Never import torch in
  ``show_state``: do it inside ``fn``;
- edits go out as whole new plans: ``self.propose(self.state.plan.replace(context=8192))`` emits
  ``plan_edited``; the controller publishes the new state to every tab (this one included — ignore a state
  that equals what the widgets show, so typing is never disturbed);
- ``compute_now()`` computes the current state synchronously (smoke test, screenshots): usually
  ``self._computation.compute_now(*inputs)``;
- optionally ``report_sections()`` (File ▸ Export report: Markdown/CSV), ``chart_widgets()`` (PNG export) and
  ``sources()`` (the citations Help ▸ About lists).

Shared widgets: ``widgets.ContextSlider`` (log-scale context 512 … the model's maximum), ``SummaryCard``,
``FieldMessage``; charts in ``charts.py`` (built once, updated in place). ``tests/test_gui_tabs.py`` plugs a
minimal tab into the window and is the shortest working example.

``TAB_ENTRIES`` names the tabs in window order by module and class. A tab whose module does not exist yet is
left out of the window (its engine is still being written); a module that exists but fails to import, or a
class that breaks the contract, is an error, never hidden.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Callable, ClassVar

from ..core.plan import Plan
from ..core.report import ReportSection
from .qt import QtWidgets, Signal, Slot
from .workers import Computation


class PlanTab(QtWidgets.QWidget):
    """Base class of the main window's tabs (see the module docstring for the contract)."""

    tab_id: ClassVar[str] = ""

    plan_edited = Signal(object)
    """A new ``Plan`` this tab proposes (the window hands it to the controller)."""
    activity_changed = Signal(str)
    """What the tab is computing ('' when idle), for the status bar."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._computations: list[Computation] = []
        self._activities: dict[int, str] = {}
        self.state = None
        """The last ``PlanState`` shown."""

    @classmethod
    def title(cls) -> str:
        raise NotImplementedError

    def show_state(self, state) -> None:
        raise NotImplementedError

    def compute_now(self) -> None:
        raise NotImplementedError

    def report_sections(self) -> list[ReportSection]:
        return []

    def chart_widgets(self) -> dict[str, QtWidgets.QWidget]:
        return {}

    @classmethod
    def sources(cls) -> list[str]:
        return []

    # -- helpers for subclasses --------------------------------------------------------------------------------
    def propose(self, plan: Plan) -> None:
        """Send an edit to the shared plan."""
        self.plan_edited.emit(plan)

    def make_computation(self, fn: Callable, *, description: str = "", debounce_ms: int = 60,
                         cancellable: bool = False) -> Computation:
        """A worker owned by this tab whose activity shows in the status bar."""
        comp = Computation(fn, description=description, debounce_ms=debounce_ms, cancellable=cancellable,
                           parent=self)
        comp.activity_changed.connect(self._on_computation_activity_changed)
        self._computations.append(comp)
        return comp

    @property
    def computations(self) -> tuple[Computation, ...]:
        return tuple(self._computations)

    @Slot(str)
    def _on_computation_activity_changed(self, text: str) -> None:
        key = id(self.sender())
        if text:
            self._activities[key] = text
        else:
            self._activities.pop(key, None)
        self.activity_changed.emit(next(iter(self._activities.values()), ""))

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        return all(c.wait_idle(timeout_ms) for c in self._computations)


@dataclass(frozen=True)
class TabEntry:
    tab_id: str
    module: str
    class_name: str


TAB_ENTRIES = (
    TabEntry("architecture", "llmplanner.gui.architecture_tab", "ArchitectureTab"),
    TabEntry("precision", "llmplanner.gui.precision_tab", "PrecisionTab"),
    TabEntry("hardware", "llmplanner.gui.hardware_tab", "HardwareTab"),
    TabEntry("sampling", "llmplanner.gui.sampling_tab", "SamplingTab"),
)


def registered_tabs() -> list[type[PlanTab]]:
    """The tab classes whose modules exist, in window order."""
    out = []
    for entry in TAB_ENTRIES:
        if importlib.util.find_spec(entry.module) is None:
            continue
        cls = getattr(importlib.import_module(entry.module), entry.class_name)
        if not (isinstance(cls, type) and issubclass(cls, PlanTab)) or cls.tab_id != entry.tab_id:
            raise TypeError(f"{entry.module}.{entry.class_name} must be a PlanTab with tab_id {entry.tab_id!r}")
        out.append(cls)
    return out

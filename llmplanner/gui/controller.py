"""The plan shared by all tabs: one ``PlanController`` holds it, loads its models, saves and autosaves it.

Tabs never hold their own copy of the model: they receive a ``PlanState`` (the plan and its loaded models)
through ``state_changed`` and send edits back as new plans (``set_plan``). Loading a preset or an edited
architecture is immediate; a config.json, weight headers or a Hub repo are read by a worker, and a model
that fails to load leaves the previous one in place with a message.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..autosave import Autosaver
from ..core.errors import PlannerError
from ..core.model_source import LoadedModel
from ..core.plan import DEFAULT_MODEL, LoadedPlan, ModelSource, Plan, load_plan, resolve_model, save_plan
from .qt import QtCore, Signal, Slot
from .workers import Computation

IMMEDIATE_KINDS = ("preset", "custom")
"""Sources resolved on the GUI thread: no file or network access, well under a millisecond."""
AUTOSAVE_DELAY_MS = 1500


@dataclass(frozen=True)
class PlanState:
    """What every tab shows: the plan and its models, loaded."""

    plan: Plan
    model: LoadedModel
    compare: LoadedModel | None = None
    compare_error: str | None = None
    """Why the pinned model could not be loaded, if it could not."""


def load_models(model: ModelSource, compare: ModelSource | None):
    """Worker function: the plan's model (errors propagate) and its pinned model (errors are returned)."""
    loaded = resolve_model(model)
    other, error = None, None
    if compare is not None:
        try:
            other = resolve_model(compare)
        except PlannerError as e:
            error = str(e)
    return model, loaded, compare, other, error


class PlanController(QtCore.QObject):
    plan_changed = Signal(object)
    """The new ``Plan``, at once on every change (its models may still be loading)."""
    state_changed = Signal(object)
    """A ``PlanState`` whose models are loaded: what the tabs draw from."""
    model_load_failed = Signal(str)
    """The model just chosen could not be loaded (the previous one stays)."""
    document_changed = Signal()
    """The file path or the unsaved-changes flag changed."""
    activity_changed = Signal(str)

    def __init__(self, *, autosaver: Autosaver | None = None, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self._plan = Plan()
        self._state: PlanState | None = None
        self._path: str | None = None
        self._modified = False
        self._cache: OrderedDict[ModelSource, LoadedModel] = OrderedDict()
        self._autosaver = autosaver
        self._autosave_timer = QtCore.QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self._on_autosave_timer_timeout)
        self._loader = Computation(load_models, description=self.tr("Loading the model…"), debounce_ms=0,
                                   parent=self)
        self._loader.result_ready.connect(self._on_loader_result_ready)
        self._loader.computation_failed.connect(self._on_loader_computation_failed)
        self._loader.activity_changed.connect(self.activity_changed)

    # -- reading -----------------------------------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self._plan

    @property
    def state(self) -> PlanState | None:
        return self._state

    @property
    def path(self) -> str | None:
        return self._path

    @property
    def is_modified(self) -> bool:
        return self._modified

    @property
    def loader(self) -> Computation:
        return self._loader

    # -- changing the plan -------------------------------------------------------------------------------------
    def set_plan(self, plan: Plan, *, modified: bool = True) -> None:
        """Make ``plan`` current; tabs get a new state once its models are loaded."""
        if plan == self._plan and self._state is not None and self._state.plan == plan:
            return
        self._plan = plan
        if modified:
            self._set_modified(True)
        self.plan_changed.emit(plan)
        self._resolve(plan)

    def edit(self, **changes) -> None:
        """``set_plan(plan.replace(**changes))``; raises ``PlannerError`` for an invalid value."""
        self.set_plan(self._plan.replace(**changes))

    def refresh(self) -> None:
        """Resolve and publish the current plan again (the window calls it once its tabs are connected)."""
        self._resolve(self._plan)

    def _resolve(self, plan: Plan) -> None:
        sources = [plan.model] + ([plan.compare] if plan.compare is not None else [])
        if all(s in self._cache or s.kind in IMMEDIATE_KINDS for s in sources):
            try:
                model = self._resolve_now(plan.model)
            except PlannerError as e:
                self._model_failed(str(e))
                return
            other, error = None, None
            if plan.compare is not None:
                try:
                    other = self._resolve_now(plan.compare)
                except PlannerError as e:
                    error = str(e)
            self._loader.cancel()
            self._publish(PlanState(plan, model, other, error))
            return
        self._loader.request_now(plan.model, plan.compare,
                                 description=self.tr("Loading {0}…").format(plan.model.label))

    def _resolve_now(self, source: ModelSource) -> LoadedModel:
        if source in self._cache:
            self._cache.move_to_end(source)
            return self._cache[source]
        loaded = resolve_model(source)
        self._remember(source, loaded)
        return loaded

    def _remember(self, source: ModelSource, loaded: LoadedModel) -> None:
        self._cache[source] = loaded
        self._cache.move_to_end(source)
        while len(self._cache) > 16:
            self._cache.popitem(last=False)

    def _publish(self, state: PlanState) -> None:
        self._state = state
        self.state_changed.emit(state)

    @Slot(object)
    def _on_loader_result_ready(self, result) -> None:
        source, loaded, compare_source, other, error = result
        self._remember(source, loaded)
        if compare_source is not None and other is not None:
            self._remember(compare_source, other)
        if source != self._plan.model or compare_source != self._plan.compare:
            self._resolve(self._plan)  # the plan moved on while loading
            return
        self._publish(PlanState(self._plan, loaded, other, error))

    @Slot(str)
    def _on_loader_computation_failed(self, message: str) -> None:
        self._model_failed(message)

    def _model_failed(self, message: str) -> None:
        """Keep the last model that loaded: the plan goes back to it (the rest of the edit stays)."""
        self.model_load_failed.emit(message)
        fallback = self._state.plan.model if self._state is not None else ModelSource.preset(DEFAULT_MODEL)
        if self._plan.model != fallback:
            self._plan = self._plan.replace(model=fallback)
            self.plan_changed.emit(self._plan)
            self._resolve(self._plan)

    # -- documents ---------------------------------------------------------------------------------------------
    def new_plan(self, plan: Plan | None = None) -> None:
        self._path = None
        self._set_modified(False, force=True)
        self._discard_autosave()
        self.set_plan(plan or Plan(), modified=False)

    def open_plan(self, path: str) -> LoadedPlan:
        """Read ``path`` and make it current; raises ``PlannerError`` (nothing changes then)."""
        loaded = load_plan(path)
        self._path = str(Path(path).absolute())
        self._set_modified(False, force=True)
        self._discard_autosave()
        self.set_plan(loaded.plan, modified=False)
        return loaded

    def restore_plan(self, plan: Plan, saved_path: str | None) -> None:
        """Take back an autosaved plan: it is unsaved work, so it counts as modified."""
        self._path = saved_path
        self.set_plan(plan, modified=False)
        self._set_modified(True, force=True)

    def save_plan(self, path: str | None = None) -> str:
        """Write the plan (atomically) to ``path`` or its current file; raises ``PlannerError``."""
        target = path or self._path
        if not target:
            raise PlannerError("the plan has no file yet: choose where to save it")
        written = save_plan(self._plan, target)
        self._path = str(Path(written).absolute())
        self._set_modified(False, force=True)
        self._discard_autosave()
        return self._path

    def close_cleanly(self) -> None:
        """The app is closing normally: nothing is left to recover."""
        self._autosave_timer.stop()
        self._loader.cancel()
        self._discard_autosave()

    def _set_modified(self, modified: bool, *, force: bool = False) -> None:
        changed = modified != self._modified
        self._modified = modified
        if modified and self._autosaver is not None:
            self._autosave_timer.start()
        if changed or force:
            self.document_changed.emit()

    # -- autosave ----------------------------------------------------------------------------------------------
    @Slot()
    def _on_autosave_timer_timeout(self) -> None:
        self.autosave_now()

    def autosave_now(self) -> None:
        if self._autosaver is None or not self._modified:
            return
        try:
            self._autosaver.write(self._plan, self._path)
        except PlannerError as e:  # a full disk must not interrupt the user; say it in the status bar
            self.activity_changed.emit(self.tr("Autosave failed: {0}").format(e))

    def _discard_autosave(self) -> None:
        self._autosave_timer.stop()
        if self._autosaver is not None:
            self._autosaver.discard()

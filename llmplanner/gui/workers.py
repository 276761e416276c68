"""Run a tab's computation off the GUI thread: debounced, one at a time, stale results dropped.

The shape of Orange3's ``ConcurrentMixin`` and napari's slicer, on ``QThreadPool``:

- ``request(*args)`` restarts a short timer; only the arguments of the last request before it fires are
  computed (a slider drag gives one computation for where it stopped, plus at most one per debounce
  interval while it moves).
- One job runs at a time per ``Computation``; a request that arrives meanwhile waits as the single pending
  one and replaces any earlier pending one. A newer request marks the running job's ``CancelToken``
  cancelled (functions that loop may check it) and its result is dropped when it comes back. The same
  token carries ``report_progress(done, total)``, which reaches ``progress_changed`` on the GUI thread
  (only for the current job).
- Results and errors travel through a relay ``QObject`` created here, on the GUI thread, to ``@Slot``
  methods (the PySide6 trap of style.md: a lambda connected to a signal would run in the worker thread).
- ``PlannerError`` (bad input) becomes ``computation_failed(message)`` for the tab to show; any other
  exception also goes to the app's exception handler (``errors.report_exception``), which logs it.
"""
from __future__ import annotations

import time
from typing import Callable

from ..core.errors import PlannerError
from .qt import QtCore, Signal, Slot


class CancelToken:
    """Handed to cancellable functions; ``cancelled`` turns true when a newer request supersedes the job.

    ``report_progress(done, total)`` may be called from the worker thread as often as the function likes.
    """

    __slots__ = ("cancelled", "_progress")

    def __init__(self, progress: Callable[[int, int], None] | None = None):
        self.cancelled = False
        self._progress = progress

    def report_progress(self, done: int, total: int) -> None:
        if self._progress is not None and not self.cancelled:
            self._progress(int(done), int(total))


class _Relay(QtCore.QObject):
    """Lives on the GUI thread; worker threads emit its signals (queued to the GUI thread)."""

    job_finished = Signal(int, object)
    job_failed = Signal(int, object)
    job_progress = Signal(int, int, int)


class _Job(QtCore.QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict, generation: int, relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._generation = generation
        self._relay = relay

    def run(self) -> None:  # worker thread
        try:
            result = self._fn(*self._args, **self._kwargs)
        except BaseException as e:  # noqa: BLE001 - every failure must reach the GUI thread
            self._emit(self._relay.job_failed, e)
        else:
            self._emit(self._relay.job_finished, result)

    def _emit(self, signal, value) -> None:
        try:
            signal.emit(self._generation, value)
        except RuntimeError:  # the computation (and its relay) was deleted while this ran: nobody listens
            pass


class Computation(QtCore.QObject):
    """One debounced worker for one job of one tab (see the module docstring).

    ``fn(*args)`` must be a pure function of its arguments (plain frozen dataclasses); with
    ``cancellable=True`` it is called as ``fn(*args, cancel=token)``.
    """

    result_ready = Signal(object)
    """The result of the latest request."""
    computation_failed = Signal(str)
    """The latest request failed: a message for the user."""
    busy_changed = Signal(bool)
    activity_changed = Signal(str)
    """What is being computed now ('' when idle), for the status bar."""
    progress_changed = Signal(int, int)
    """(done, total) reported by the running job through its ``CancelToken``."""

    def __init__(self, fn: Callable, *, description: str = "", debounce_ms: int = 60, cancellable: bool = False,
                 pool: QtCore.QThreadPool | None = None, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self._description = description
        self._cancellable = cancellable
        self._pool = pool or QtCore.QThreadPool.globalInstance()
        self._generation = 0
        self._pending: tuple | None = None
        self._running: int | None = None
        self._token: CancelToken | None = None
        self._busy = False
        self._activity = ""
        self.last_duration_s = 0.0
        self._started_at = 0.0
        self.completed = 0
        """Results delivered so far (tests and benchmarks count them)."""
        self._relay = _Relay(self)
        self._relay.job_finished.connect(self._on_relay_job_finished)
        self._relay.job_failed.connect(self._on_relay_job_failed)
        self._relay.job_progress.connect(self._on_relay_job_progress)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(0, debounce_ms))
        self._timer.timeout.connect(self._on_timer_timeout)

    # -- requests ---------------------------------------------------------------------------------------------
    def request(self, *args, description: str | None = None) -> None:
        """Compute ``fn(*args)`` after the debounce interval, unless another request comes first."""
        self._generation += 1
        self._pending = (self._generation, args, description or self._description)
        if self._token is not None:
            self._token.cancelled = True
        self._set_busy(True, self._pending[2])
        self._timer.start()

    def request_now(self, *args, description: str | None = None) -> None:
        """Like ``request`` without waiting for the debounce interval."""
        self.request(*args, description=description)
        self._timer.stop()
        self._start_pending()

    def compute_now(self, *args):
        """Compute on the calling thread, deliver the result as usual and return it (smoke test, screenshots).

        Any request still pending or running is superseded.
        """
        self.cancel()
        self._generation += 1
        kwargs = {"cancel": CancelToken()} if self._cancellable else {}
        result = self._fn(*args, **kwargs)
        self.completed += 1
        self.result_ready.emit(result)
        return result

    def cancel(self) -> None:
        """Forget pending work; a running job finishes but its result is dropped."""
        self._generation += 1
        self._pending = None
        self._timer.stop()
        if self._token is not None:
            self._token.cancelled = True
        self._set_busy(self._running is not None, self._activity)

    @property
    def is_busy(self) -> bool:
        return self._busy

    # -- internals --------------------------------------------------------------------------------------------
    @Slot()
    def _on_timer_timeout(self) -> None:
        self._start_pending()

    def _start_pending(self) -> None:
        if self._pending is None or self._running is not None:
            return  # a job is running: the pending request starts when it returns
        generation, args, description = self._pending
        self._pending = None
        relay = self._relay
        self._token = CancelToken(lambda done, total: relay.job_progress.emit(generation, done, total))
        kwargs = {"cancel": self._token} if self._cancellable else {}
        self._running = generation
        self._started_at = time.perf_counter()
        self._set_busy(True, description)
        self._pool.start(_Job(self._fn, args, kwargs, generation, self._relay))

    def _job_done(self) -> bool:
        """Bookkeeping when a job returns; True if its result is still wanted."""
        generation = self._running
        self._running = None
        self._token = None
        self.last_duration_s = time.perf_counter() - self._started_at
        if self._pending is not None and not self._timer.isActive():
            self._start_pending()
        elif self._pending is None:
            self._set_busy(False, "")
        return generation == self._generation

    @Slot(int, object)
    def _on_relay_job_finished(self, generation: int, result) -> None:
        if generation != self._running:
            return
        if self._job_done():
            self.completed += 1
            self.result_ready.emit(result)

    @Slot(int, int, int)
    def _on_relay_job_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._running == self._generation:
            self.progress_changed.emit(done, total)

    @Slot(int, object)
    def _on_relay_job_failed(self, generation: int, error) -> None:
        if generation != self._running:
            return
        current = self._job_done()
        if isinstance(error, PlannerError):
            if current:
                self.computation_failed.emit(str(error))
            return
        from .errors import report_exception

        if current:
            self.computation_failed.emit(self.tr("Internal error: {0} (reported)").format(
                f"{type(error).__name__}: {error}"))
        report_exception(error)

    def _set_busy(self, busy: bool, activity: str) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
        activity = activity if busy else ""
        if activity != self._activity:
            self._activity = activity
            self.activity_changed.emit(activity)

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """Process events until nothing is pending or running (tests, shutdown)."""
        deadline = time.monotonic() + timeout_ms / 1000
        app = QtCore.QCoreApplication.instance()
        while (self._pending is not None or self._running is not None) and time.monotonic() < deadline:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.001)
        return self._pending is None and self._running is None

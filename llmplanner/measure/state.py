"""Progress and cancellation for a long measurement, shaped like Orange3's ``run(data, state)`` tasks.

The measuring code calls ``set_status``/``set_progress_value`` and ``check_cancelled`` between steps; a GUI
worker passes callbacks that forward them to Qt signals and calls ``request_interruption`` from its Cancel
button (any thread). Nothing here knows about Qt.
"""
from __future__ import annotations

import threading
from typing import Callable


class CheckCancelled(Exception):
    """The user cancelled the measurement; nothing was recorded."""


class CheckState:
    """Thread-safe progress sink and cancellation flag for one measurement."""

    def __init__(self, on_progress: Callable[[float, str], None] | None = None):
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self.progress = 0.0
        """The last progress value, 0-100."""
        self.status = ""
        """The last status message."""

    def set_status(self, text: str) -> None:
        self.status = text
        if self._on_progress is not None:
            self._on_progress(self.progress, text)

    def set_progress_value(self, percent: float) -> None:
        self.progress = max(0.0, min(100.0, float(percent)))
        if self._on_progress is not None:
            self._on_progress(self.progress, self.status)

    def step(self, percent: float, text: str) -> None:
        """Both at once, then stop here if cancellation was requested."""
        self.check_cancelled()
        self.status = text
        self.set_progress_value(percent)

    def request_interruption(self) -> None:
        self._cancel.set()

    def is_interruption_requested(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise CheckCancelled("the measurement was cancelled")

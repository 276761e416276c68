"""Autosave of unsaved plans, and finding them again after a crash or a kill.

Each running app writes its unsaved plan to ``<config>/autosave/unsaved-<pid>.llmplan`` (atomically, with
the owner's process id and start time beside the plan) and deletes it when the plan is saved, discarded
or the app closes normally. At start-up, a file whose owner is no longer running is a plan that a crash,
a kill or a power cut left behind: the app offers it back. Comparing the start time as well as the id
keeps a recycled process id from hiding a left-behind plan. Two apps running side by side never touch each
other's files.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .core.errors import PlannerError
from .core.plan import Plan, load_plan, save_plan
from .paths import autosave_dir

PREFIX = "unsaved-"
KEY = "autosave"
"""The top-level key of the plan file that holds the autosave metadata."""


def _start_time(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:  # no such process, no permission, or psutil missing
        return None


def _is_running(pid: int, started: float | None) -> bool:
    now = _start_time(pid)
    if now is None:
        return False
    return started is None or abs(now - started) < 1.0


@dataclass(frozen=True)
class RecoveredPlan:
    """A plan left behind by an app that did not close normally."""

    file: Path
    plan: Plan
    saved_path: str | None
    """The ``.llmplan`` file the plan belonged to, if it had been opened or saved before."""
    written: float
    """When it was autosaved (seconds since the epoch)."""
    notices: tuple[str, ...] = ()


class Autosaver:
    """This process's autosave file."""

    def __init__(self, folder: str | os.PathLike | None = None, pid: int | None = None):
        self.folder = Path(folder) if folder is not None else autosave_dir()
        self.pid = os.getpid() if pid is None else pid
        self.started = _start_time(self.pid)
        self.file = self.folder / f"{PREFIX}{self.pid}.llmplan"

    def write(self, plan: Plan, saved_path: str | None = None) -> Path:
        meta = {"pid": self.pid, "started": self.started, "written": time.time(), "saved_path": saved_path}
        return save_plan(plan, self.file, **{KEY: meta})

    def discard(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass


def find_recoverable(folder: str | os.PathLike | None = None) -> list[RecoveredPlan]:
    """Plans autosaved by apps that are no longer running, newest first.

    An unreadable file is renamed ``*.unreadable`` (kept for the curious, never offered again).
    """
    folder = Path(folder) if folder is not None else autosave_dir()
    found = []
    for f in sorted(folder.glob(f"{PREFIX}*.llmplan")):
        try:
            pid = int(f.stem[len(PREFIX):])
        except ValueError:
            continue
        try:
            loaded = load_plan(f)
        except PlannerError:
            try:
                f.replace(f.with_suffix(".unreadable"))
            except OSError:
                pass
            continue
        meta = loaded.extra.get(KEY)
        meta = meta if isinstance(meta, dict) else {}
        started = meta.get("started") if isinstance(meta.get("started"), (int, float)) else None
        if pid == os.getpid() or _is_running(pid, started):
            continue
        saved = meta.get("saved_path") if isinstance(meta.get("saved_path"), str) else None
        written = meta.get("written") if isinstance(meta.get("written"), (int, float)) else f.stat().st_mtime
        found.append(RecoveredPlan(f, loaded.plan, saved, float(written), loaded.notices))
    return sorted(found, key=lambda r: r.written, reverse=True)


def discard_recovered(recovered: RecoveredPlan) -> None:
    try:
        recovered.file.unlink()
    except FileNotFoundError:
        pass

"""Write an unexpected exception to a log file in the user's log folder and return its path."""
from __future__ import annotations

import datetime as _dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path


def log_dir() -> Path:
    override = os.environ.get("LLMPLANNER_LOG_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_log_dir

        return Path(user_log_dir("llmplanner", appauthor=False))
    except Exception:  # platformdirs missing or the home folder unusable
        return Path(tempfile.gettempdir()) / "llmplanner-logs"


def crash_report(exc: BaseException) -> str:
    from . import __version__

    lines = [
        f"llmplanner {__version__} on Python {sys.version.split()[0]}, {platform.platform()}",
        f"time: {_dt.datetime.now().isoformat(timespec='seconds')}",
        f"argv: {sys.argv!r}",
        "",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_log(exc: BaseException) -> Path:
    """Write the report; falls back to the temp folder when the log folder is not writable."""
    report = crash_report(exc)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}.log"
            path.write_text(report, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("<no writable log folder>")

"""Write a file so that a crash, a kill or a full disk never leaves half of it behind.

The text goes to a temporary file in the same folder (same file system, so the rename is atomic), is
flushed and fsync'ed, then ``os.replace``'d over the target; the folder is fsync'ed too where the OS
allows it, so the rename itself survives a power cut (POSIX ``rename(2)``; Windows ``MoveFileEx`` with
``MOVEFILE_REPLACE_EXISTING`` behind ``os.replace``).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import PlannerError


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Replace ``path`` with ``text`` (UTF-8) atomically; raises ``PlannerError`` when it cannot be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as e:
        raise PlannerError(f"cannot write the file: {e.strerror or e}", source=str(target)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""The app's preferences: a small typed wrapper over ``QSettings`` in INI format (Picard, napari).

The file lives in the config folder (``LLMPLANNER_CONFIG_DIR`` overrides it; tests point it at a temporary
folder, never at the user's). It is injected into the main window, so a test can hand it any file.
Values in an INI file come back as text; every accessor converts and falls back to its default for a
value of the wrong kind. A file that cannot be read at all (binary garbage, a broken section header) is
set aside as ``<name>.bak`` and replaced by defaults, with a notice for the user.
"""
from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from ..paths import config_dir
from .qt import QtCore

FILE_NAME = "llmplanner.ini"
MAX_RECENT = 8
LANGUAGES = ("system", "en", "zh_CN")


def _looks_corrupt(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"it cannot be read ({e.strerror or e})"
    if b"\x00" in data:
        return "it holds binary data"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    return None


class Settings:
    """Typed preferences. ``notices`` lists what went wrong while reading the file (shown once by the app)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else config_dir() / FILE_NAME
        self.notices: list[str] = []
        reason = _looks_corrupt(self.path)
        if reason is None:
            self._qs = self._open()
            if self._qs.status() == QtCore.QSettings.Status.FormatError:
                reason = "its format is broken"
                del self._qs
        if reason is not None:
            self._set_aside(reason)
            self._qs = self._open()

    def _open(self) -> QtCore.QSettings:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        qs = QtCore.QSettings(str(self.path), QtCore.QSettings.Format.IniFormat)
        qs.setFallbacksEnabled(False)
        return qs

    def _set_aside(self, reason: str) -> None:
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            os.replace(self.path, backup)
            where = f"it was kept as {backup}"
        except OSError as e:
            where = f"it could not be moved aside ({e.strerror or e})"
        self.notices.append(f"The settings file {self.path} could not be read ({reason}); {where} and "
                            f"the defaults are used.")

    # -- typed access ----------------------------------------------------------------------------------------
    def _raw(self, key: str):
        return self._qs.value(key, None)

    def get_str(self, key: str, default: str = "") -> str:
        v = self._raw(key)
        return v if isinstance(v, str) else default

    def get_bool(self, key: str, default: bool) -> bool:
        v = self._raw(key)
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.lower() in ("true", "false"):
            return v.lower() == "true"
        return default

    def get_int(self, key: str, default: int) -> int:
        v = self._raw(key)
        try:
            return int(v) if v is not None and not isinstance(v, bool) else default
        except (TypeError, ValueError):
            return default

    def get_float(self, key: str, default: float) -> float:
        v = self._raw(key)
        try:
            f = float(v) if v is not None and not isinstance(v, bool) else default
        except (TypeError, ValueError):
            return default
        return f if f == f and abs(f) != float("inf") else default

    def get_list(self, key: str) -> list[str]:
        v = self._raw(key)
        if isinstance(v, str):  # QSettings returns a one-element list as a plain string
            return [v] if v else []
        if isinstance(v, (list, tuple)):
            return [x for x in v if isinstance(x, str) and x]
        return []

    def get_bytes(self, key: str) -> bytes:
        v = self._raw(key)
        if not isinstance(v, str):
            return b""
        try:
            return base64.b64decode(v.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            return b""

    def set(self, key: str, value) -> None:
        if isinstance(value, (bytes, bytearray)):
            value = base64.b64encode(bytes(value)).decode("ascii")  # never a pickled Python object
        elif isinstance(value, tuple):
            value = list(value)
        self._qs.setValue(key, value)

    def remove(self, key: str) -> None:
        self._qs.remove(key)

    def sync(self) -> None:
        self._qs.sync()

    # -- the preferences -------------------------------------------------------------------------------------
    @property
    def geometry(self) -> bytes:
        return self.get_bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: bytes) -> None:
        self.set("window/geometry", value)

    @property
    def window_state(self) -> bytes:
        return self.get_bytes("window/state")

    @window_state.setter
    def window_state(self, value: bytes) -> None:
        self.set("window/state", value)

    @property
    def current_tab(self) -> str:
        return self.get_str("window/current_tab", "architecture")

    @current_tab.setter
    def current_tab(self, value: str) -> None:
        self.set("window/current_tab", value)

    @property
    def last_plan(self) -> str:
        """The plan file open when the app last closed ('' for none)."""
        return self.get_str("plans/last", "")

    @last_plan.setter
    def last_plan(self, value: str) -> None:
        self.set("plans/last", value or "")

    @property
    def reopen_last_plan(self) -> bool:
        return self.get_bool("plans/reopen_last", True)

    @reopen_last_plan.setter
    def reopen_last_plan(self, value: bool) -> None:
        self.set("plans/reopen_last", bool(value))

    @property
    def recent_files(self) -> list[str]:
        return self.get_list("plans/recent")[:MAX_RECENT]

    def add_recent_file(self, path: str) -> None:
        path = str(Path(path).absolute())
        files = [path] + [f for f in self.recent_files if f != path]
        self.set("plans/recent", files[:MAX_RECENT])

    def remove_recent_file(self, path: str) -> None:
        self.set("plans/recent", [f for f in self.recent_files if f != path])

    def clear_recent_files(self) -> None:
        self.set("plans/recent", [])

    @property
    def language(self) -> str:
        """``system`` (follow the OS), ``en`` or ``zh_CN``."""
        v = self.get_str("ui/language", "system")
        return v if v in LANGUAGES else "system"

    @language.setter
    def language(self, value: str) -> None:
        self.set("ui/language", value if value in LANGUAGES else "system")

    @property
    def confirm_unsaved_close(self) -> bool:
        """Ask before closing or replacing a plan with unsaved changes."""
        return self.get_bool("ui/confirm_unsaved_close", True)

    @confirm_unsaved_close.setter
    def confirm_unsaved_close(self, value: bool) -> None:
        self.set("ui/confirm_unsaved_close", bool(value))

    @property
    def training_tokens(self) -> float:
        """Training tokens for the scaling-law panel (0: use Chinchilla's 20 per parameter)."""
        v = self.get_float("architecture/training_tokens", 0.0)
        return v if v >= 0 else 0.0

    @training_tokens.setter
    def training_tokens(self, value: float) -> None:
        self.set("architecture/training_tokens", float(value))

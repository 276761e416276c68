"""Start the desktop app so that nothing fails unseen: ``start_gui(argv)``.

A double-clicked app has no terminal, so a traceback or one of Qt's own messages reaches no one. Before Qt is
asked for a window, this checks what would make it abort the whole process (Qt calls ``qFatal`` when no platform
plugin can be loaded or no display can be reached: "This application failed to start because no Qt platform
plugin could be initialized", Qt 6 ``qguiapplication.cpp``). Every problem before or while the window appears
is written to a log file in the user's log folder (``crashlog``) and shown in a dialog: Qt's when Qt can start,
else the system's own (Windows ``MessageBoxW``, macOS ``osascript``, ``zenity``/``kdialog`` on Linux), and
always on stderr. Headless runs (``--smoke-test``, ``--screenshot``) never open a dialog.

Qt is imported inside the functions only, so importing this module costs nothing and works without Qt.
"""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .crashlog import write_crash_log
from .paths import config_dir

TITLE = "llmplanner cannot start"
HEADLESS_FLAGS = ("--smoke-test", "--screenshot")


class StartupProblem(RuntimeError):
    """Something that stops (or degrades) the start, found before Qt was asked for a window."""


def is_headless(argv: Sequence[str]) -> bool:
    return any(a == f or a.startswith(f + "=") for a in argv for f in HEADLESS_FLAGS)


# -- Qt's platform plugin -----------------------------------------------------------------------------------------

def platform_candidates(env: Mapping[str, str], platform: str = sys.platform) -> list[str]:
    """The platform plugins Qt will try, in order: ``QT_QPA_PLATFORM`` (``;``-separated, options after ``:``)
    or the system's default (``qguiapplication.cpp``: xcb on X11, wayland when ``XDG_SESSION_TYPE=wayland``)."""
    value = env.get("QT_QPA_PLATFORM", "")
    if value:
        return [p.split(":", 1)[0].strip() for p in value.split(";") if p.strip()]
    if platform == "win32":
        return ["windows"]
    if platform == "darwin":
        return ["cocoa"]
    return ["wayland", "xcb"] if env.get("XDG_SESSION_TYPE") == "wayland" else ["xcb"]


def plugin_folders(env: Mapping[str, str]) -> list[Path]:
    """Where Qt looks for ``platforms/`` plugins: ``QT_QPA_PLATFORM_PLUGIN_PATH``, ``QT_PLUGIN_PATH`` and the
    plugins folder Qt was installed with (``QLibraryInfo``)."""
    from PySide6 import QtCore

    folders = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders += [Path(p) / "platforms" for p in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders.append(Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    return list(dict.fromkeys(folders))


def _plugin_files(name: str, folders: Sequence[Path]) -> list[Path]:
    stems = {f"libq{name}", f"q{name}"}
    out = []
    for folder in folders:
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir()
                          if p.suffix in (".so", ".dll", ".dylib") and p.stem in stems)
    return out


def _wayland_display(env: Mapping[str, str]) -> bool:
    """A Wayland socket to connect to (``WAYLAND_DISPLAY``, default ``wayland-0``, in ``XDG_RUNTIME_DIR``)."""
    display = Path(env.get("WAYLAND_DISPLAY") or "wayland-0")
    if display.is_absolute():
        return display.exists()
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and (Path(runtime) / display).exists()


def platform_problem(name: str, folders: Sequence[Path], env: Mapping[str, str],
                     load: Callable[[str], object] = ctypes.CDLL) -> str | None:
    """Why Qt's platform plugin ``name`` would fail here, or None. The plugin is loaded (as Qt would: dlopen,
    LoadLibrary) so that a missing system library is named; ``load`` is replaceable in tests."""
    files = _plugin_files(name, folders)
    if not files:
        return f"Qt's platform plugin '{name}' is missing (looked in {', '.join(map(str, folders))})"
    if name == "xcb" and not env.get("DISPLAY"):
        return "there is no X display (DISPLAY is not set)"
    if name == "wayland" and not _wayland_display(env):
        return "there is no Wayland display (WAYLAND_DISPLAY)"
    try:
        load(str(files[0]))
    except OSError as e:
        # PyInstaller's frozen ctypes re-raises with a generic message; the loader's own is the cause
        why = str(e.__cause__ or e)
        return f"Qt's platform plugin '{name}' cannot be loaded: {why}{_package_hint(why)}"
    return None


def _package_hint(loader_message: str) -> str:
    """Which Debian/Ubuntu package usually holds the library the loader could not find: Debian Policy 8.1 names
    the package of ``libfoo.so.N`` ``libfooN`` (``libfoo-N`` when ``foo`` ends in a digit)."""
    m = re.search(r"(lib[\w.+-]+?)\.so\.(\d+)\b", loader_message)
    if not m:
        return ""
    base, soversion = m.groups()
    package = (f"{base}-{soversion}" if base[-1].isdigit() else f"{base}{soversion}").lower()
    return (f" (install the system package that provides {m.group(0)}; on Debian and Ubuntu: "
            f"sudo apt install {package})")


def qt_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why Qt could not open a window here, or None when it can (as far as can be told before trying)."""
    env = os.environ if env is None else env
    try:
        from PySide6 import QtCore  # noqa: F401
    except ImportError as e:
        return f"Qt (PySide6) cannot be loaded: {e}"
    folders = plugin_folders(env)
    reasons = []
    for name in platform_candidates(env):
        reason = platform_problem(name, folders, env)
        if reason is None:
            return None
        reasons.append(reason)
    return "Qt cannot open a window: " + "; ".join(reasons)


# -- the settings folder ------------------------------------------------------------------------------------------

def folder_problem(folder: Path) -> str | None:
    """Why files cannot be written in ``folder`` (created if missing), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as e:
        return f"{e.strerror or e}"
    return None


# -- telling the user ---------------------------------------------------------------------------------------------

def log_problem(message: str, exc: BaseException | None = None) -> Path:
    """Write ``message`` (and ``exc``'s traceback) to a log file in the user's log folder; returns its path."""
    return write_crash_log(exc if exc is not None else StartupProblem(message))


def _qt_dialog(title: str, text: str, warning: bool) -> bool:
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])  # noqa: F841
    box = QtWidgets.QMessageBox.warning if warning else QtWidgets.QMessageBox.critical
    box(None, title, text)
    return True


def _native_dialog(title: str, text: str) -> bool:
    """The system's own message box, for when Qt cannot show one. True when one was shown."""
    if sys.platform == "win32":
        ctypes.windll.user32.MessageBoxW(None, text, title, 0x10)  # MB_ICONERROR
        return True
    if sys.platform == "darwin":
        script = ["-e", "on run argv", "-e", "display alert (item 1 of argv) message (item 2 of argv) as critical",
                  "-e", "end run"]
        return subprocess.run(["osascript", *script, title, text], check=False).returncode == 0
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    for tool, args in (("zenity", ["--error", "--title", title, "--text", text]),
                       ("kdialog", ["--title", title, "--error", text]),
                       ("xmessage", ["-center", f"{title}\n\n{text}"])):
        path = shutil.which(tool)
        if path:
            return subprocess.run([path, *args], check=False).returncode in (0, 1)
    return False


def show_dialog(title: str, text: str, *, qt_usable: bool, warning: bool = False) -> bool:
    """Show ``text`` in Qt's message box when Qt can start, else in the system's; True when one was shown."""
    try:
        if qt_usable:
            return _qt_dialog(title, text, warning)
        return _native_dialog(title, text)
    except Exception:  # noqa: BLE001 - the dialog is a courtesy; the log and stderr already have the message
        return False


def report(message: str, exc: BaseException | None = None, *, interactive: bool, qt_usable: bool,
           warning: bool = False, dialog: Callable[..., bool] = show_dialog) -> Path:
    """Log ``message``, print it on stderr and, when ``interactive``, show it in a dialog."""
    path = log_problem(message, exc)
    text = f"{message}\n\nDetails were written to {path}"
    if sys.stderr is not None:
        print(f"llmplanner: {'warning' if warning else 'error'}: {text}", file=sys.stderr, flush=True)
    if interactive:
        dialog("llmplanner" if warning else TITLE, text, qt_usable=qt_usable, warning=warning)
    return path


# -- the start ----------------------------------------------------------------------------------------------------

def start_gui(argv: Sequence[str], dialog: Callable[..., bool] = show_dialog) -> int:
    """Check, then run ``llmplanner.app.run_app(argv)``; every failure is logged and shown. Exit code: the app's,
    or 1 when it could not start."""
    argv = list(argv)
    headless = is_headless(argv)
    interactive = not headless and "-h" not in argv and "--help" not in argv
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = qt_problem()
    if problem:
        report(problem, interactive=interactive, qt_usable=False, dialog=dialog)
        return 1
    try:
        from .app import run_app
    except ImportError as e:
        report(f"the desktop app cannot be loaded: {e}", e, interactive=interactive, qt_usable=True, dialog=dialog)
        return 1
    if interactive:
        folder = config_dir()
        why = folder_problem(folder)
        if why:
            report(f"the settings folder {folder} cannot be written ({why}): llmplanner starts with its default "
                   "settings and will not remember changes. Set LLMPLANNER_CONFIG_DIR to a writable folder to "
                   "keep them.", interactive=True, qt_usable=True, warning=True, dialog=dialog)
    try:
        return run_app(argv)
    except Exception as e:  # noqa: BLE001 - the last line of defence before the user sees nothing at all
        report(f"llmplanner stopped with an unexpected error: {type(e).__name__}: {e}", e,
               interactive=interactive, qt_usable=True, dialog=dialog)
        return 1

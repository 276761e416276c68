"""``llmplanner --install-desktop-entry`` / ``--uninstall-desktop-entry``: put llmplanner in the desktop's
application menu (Linux and other freedesktop systems), or take it out again.

A ``.desktop`` file inside a wheel is never seen by the desktop when llmplanner lives in a virtual environment,
so it is written on request into the user's data folder, with an absolute ``Exec=`` that starts this very
installation: the frozen app's executable, the ``llmplanner-gui`` launcher beside this interpreter, or this
interpreter with ``-m llmplanner``. The icons go beside it in the hicolor theme, at each fixed size and as SVG.

Specifications followed: freedesktop Desktop Entry Specification 1.4 (keys, the ``Exec`` quoting rules and the
string escapes), Icon Theme Specification 0.13 (``hicolor/<N>x<N>/apps``, ``hicolor/scalable/apps``), XDG Base
Directory Specification 0.8 (``$XDG_DATA_HOME``, default ``~/.local/share``; a relative path is invalid and
ignored). No Qt import: this runs where Qt cannot start.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path
from typing import Sequence

from .core.resources import resource

APP_ID = "io.github.llmplanner"
"""Reverse-DNS id shared by the desktop file, the icon name and the AppStream metainfo."""
DESKTOP_FILE = APP_ID + ".desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
"""The PNG sizes shipped in ``resources/icons`` (made by ``packaging/make_icons.py``)."""

INSTALL_FLAG = "--install-desktop-entry"
UNINSTALL_FLAG = "--uninstall-desktop-entry"

_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
"""Characters that force an Exec argument into double quotes (Desktop Entry Spec, "The Exec key")."""


def data_home(env=None) -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path, else ``~/.local/share``."""
    env = os.environ if env is None else env
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def _installed() -> bool:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        distribution("llmplanner")
    except PackageNotFoundError:
        return False
    return True


def _gui_script_candidates() -> list[Path]:
    name = "llmplanner-gui.exe" if os.name == "nt" else "llmplanner-gui"
    folders = [Path(sys.executable).parent]
    for scheme in (None, f"{os.name}_user"):
        try:
            folders.append(Path(sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")))
        except KeyError:  # a scheme this Python does not define
            continue
    return [f / name for f in dict.fromkeys(folders)]


def launch_command() -> tuple[list[str], Path | None]:
    """The command that starts this installation's app, and the folder it must start in (a source checkout)."""
    if getattr(sys, "frozen", False):
        return [sys.executable], None
    if _installed():
        for script in _gui_script_candidates():
            if script.is_file() and os.access(script, os.X_OK):
                return [str(script)], None
        return [sys.executable, "-m", "llmplanner"], None
    # A source checkout run with ``python -m llmplanner``: the package is found from its parent folder.
    return [sys.executable, "-m", "llmplanner"], Path(__file__).resolve().parents[1]


def _escape_string(value: str) -> str:
    """The escapes of a desktop entry ``string`` value (``\\\\``, ``\\n``, ``\\t``, ``\\r``)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def exec_argument(arg: str) -> str:
    """One Exec argument: ``%`` doubled; quoted, with ``"`` `` ` `` ``$`` ``\\`` escaped, when it holds a reserved
    character. The string escapes of the value are applied on top when the line is written."""
    arg = arg.replace("%", "%%")
    if not arg or any(c in _EXEC_RESERVED for c in arg):
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg


def desktop_entry_text(command: Sequence[str], working_dir: Path | None = None) -> str:
    """The ``.desktop`` file that starts ``command`` (absolute program path) from the menu."""
    program = command[0]
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=llmplanner",
        "GenericName=LLM memory and speed planner",
        "Comment=Will this LLM run on my machine? Parameters, memory, speed and sampling",
        "Exec=" + _escape_string(" ".join(exec_argument(a) for a in command)),
        "TryExec=" + _escape_string(program),
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Science;ArtificialIntelligence;",
        "Keywords=LLM;GPU;VRAM;memory;quantization;GGUF;llama.cpp;transformers;",
        "StartupNotify=true",
        "StartupWMClass=llmplanner",
    ]
    if working_dir is not None:
        lines.append("Path=" + _escape_string(str(working_dir)))
    return "\n".join(lines) + "\n"


def installed_paths(data_dir: Path) -> list[Path]:
    """Every file ``install`` writes under ``data_dir``."""
    icons = data_dir / "icons" / "hicolor"
    return [data_dir / "applications" / DESKTOP_FILE,
            *(icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES),
            icons / "scalable" / "apps" / f"{APP_ID}.svg"]


def install(data_dir: Path | None = None, command: Sequence[str] | None = None,
            working_dir: Path | None = None) -> list[Path]:
    """Write the desktop file and the icons under ``data_dir`` (default: ``data_home()``); returns their paths."""
    data_dir = data_home() if data_dir is None else Path(data_dir)
    if command is None:
        command, working_dir = launch_command()
    desktop, *pngs, svg = installed_paths(data_dir)
    sources = [resource("icons", f"llmplanner-{n}.png") for n in ICON_SIZES] + [resource("icons", "llmplanner.svg")]
    for target, source in zip([*pngs, svg], sources):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    desktop.parent.mkdir(parents=True, exist_ok=True)
    desktop.write_text(desktop_entry_text(command, working_dir), encoding="utf-8")
    return [desktop, *pngs, svg]


def uninstall(data_dir: Path | None = None) -> list[Path]:
    """Remove what ``install`` wrote (and nothing else); returns the paths that were removed."""
    data_dir = data_home() if data_dir is None else Path(data_dir)
    removed = []
    for path in installed_paths(data_dir):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed


def main(argv: Sequence[str]) -> int:
    """The two command-line flags; exit code 0 on success, 2 on a bad request, 1 when a file cannot be written."""
    if list(argv) not in ([INSTALL_FLAG], [UNINSTALL_FLAG]):
        print(f"llmplanner: error: {INSTALL_FLAG} and {UNINSTALL_FLAG} take no other arguments", file=sys.stderr)
        return 2
    if sys.platform in ("win32", "darwin"):
        print("llmplanner: error: desktop entries are for Linux and other freedesktop systems; on Windows and "
              "macOS the installer puts llmplanner in the Start menu or Applications", file=sys.stderr)
        return 2
    try:
        if argv[0] == INSTALL_FLAG:
            paths = install()
            print(f"installed {paths[0]} (starts: {desktop_exec(paths[0])})")
            print(f"icons: {len(paths) - 1} files under {data_home() / 'icons' / 'hicolor'}")
            print(f"remove with: llmplanner {UNINSTALL_FLAG}")
        else:
            paths = uninstall()
            print("\n".join(f"removed {p}" for p in paths) if paths else "nothing to remove")
    except OSError as e:
        print(f"llmplanner: error: cannot write {e.filename or 'the desktop entry'}: {e.strerror or e}",
              file=sys.stderr)
        return 1
    return 0


def desktop_exec(path: Path) -> str:
    """The ``Exec=`` value of a desktop file (as written, escapes included)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            return line[len("Exec="):]
    return ""

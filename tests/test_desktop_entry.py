"""``llmplanner --install-desktop-entry`` writes a desktop entry that the freedesktop tools accept, with an absolute
Exec= that starts this installation, and icons at every hicolor size; ``--uninstall-desktop-entry`` removes them."""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from llmplanner import desktop_entry as de


def validate(path: Path) -> None:
    """desktop-file-validate (Debian's desktop-file-utils) must accept the file without a word; it is a Linux
    tool, required there (.ci/run installs it), and the structural checks below run everywhere."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    keys = dict(line.split("=", 1) for line in lines[1:] if line)
    assert {"Type", "Name", "Exec", "Icon"} <= set(keys) and keys["Type"] == "Application"
    if sys.platform.startswith("linux"):
        tool = shutil.which("desktop-file-validate")
        assert tool, "desktop-file-validate is missing: apt-get install desktop-file-utils (.ci/run does)"
        out = subprocess.run([tool, str(path)], capture_output=True, text=True)
        assert (out.returncode, out.stdout + out.stderr) == (0, "")


def unescape_string(value: str) -> str:
    """Desktop Entry Spec, "Possible value types": \\s \\n \\t \\r \\\\ in string values."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def parse_exec(value: str) -> list[str]:
    """Split an Exec value into arguments as a launcher does (Desktop Entry Spec, "The Exec key")."""
    value = unescape_string(value)
    args, current, i, quoted, started = [], [], 0, False, False
    while i < len(value):
        c = value[i]
        if quoted:
            if c == "\\" and value[i + 1] in '"`$\\':
                current.append(value[i + 1])
                i += 1
            elif c == '"':
                quoted = False
            else:
                current.append(c)
        elif c == '"':
            quoted = started = True
        elif c == " ":
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return [a.replace("%%", "%") for a in args]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_install_writes_a_valid_entry_that_starts_this_checkout(tmp_path):
    out = run_cli("--install-desktop-entry", env={"XDG_DATA_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    desktop = tmp_path / "applications" / "io.github.llmplanner.desktop"
    validate(desktop)
    keys = dict(line.split("=", 1) for line in desktop.read_text().splitlines()[1:])
    # this environment's launcher (an installed or editable llmplanner) or this Python with -m (a bare checkout)
    command, working_dir = de.launch_command()
    assert parse_exec(keys["Exec"]) == command
    program = Path(command[0])
    assert program.is_absolute() and program.is_file()
    assert command == [sys.executable, "-m", "llmplanner"] or program.name.startswith("llmplanner-gui")
    assert unescape_string(keys.get("Path", "")) == str(working_dir or "")
    assert keys["Icon"] == "io.github.llmplanner" and keys["Terminal"] == "false"
    assert str(desktop) in out.stdout


def test_a_bare_checkout_starts_in_its_own_folder(monkeypatch):
    monkeypatch.setattr(de, "_installed", lambda: False)
    assert de.launch_command() == ([sys.executable, "-m", "llmplanner"], ROOT)


def test_install_puts_every_hicolor_size_and_the_svg_beside_it(tmp_path):
    de.install(tmp_path, command=["/opt/llmplanner/llmplanner"])
    icons = tmp_path / "icons" / "hicolor"
    for n in (16, 24, 32, 48, 64, 128, 256, 512):
        png = (icons / f"{n}x{n}" / "apps" / "io.github.llmplanner.png").read_bytes()
        assert png_size(png) == (n, n)
    svg = (icons / "scalable" / "apps" / "io.github.llmplanner.svg").read_text()
    assert svg == (ROOT / "resources" / "icons" / "llmplanner.svg").read_text()


def test_uninstall_removes_exactly_what_install_wrote(tmp_path):
    keep = tmp_path / "applications" / "other.desktop"
    keep.parent.mkdir(parents=True)
    keep.write_text("[Desktop Entry]\n")
    written = de.install(tmp_path, command=["/usr/bin/llmplanner"])
    assert len(written) == 10
    assert sorted(de.uninstall(tmp_path)) == sorted(written)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [keep]
    assert de.uninstall(tmp_path) == []
    out = run_cli("--uninstall-desktop-entry", env={"XDG_DATA_HOME": str(tmp_path)})
    assert (out.returncode, out.stdout.strip()) == (0, "nothing to remove")


@pytest.mark.parametrize("program", [
    "/opt/LLM Planner/bin/llmplanner-gui",          # a space: the argument is quoted
    '/home/a "quoted" $HOME `x` back\\slash/app',   # quote, dollar, backtick and backslash: escaped in quotes
    "/srv/100%/llmplanner",                         # a percent sign is doubled (field codes)
])
def test_exec_arguments_survive_the_spec_quoting(tmp_path, program):
    path = tmp_path / "x.desktop"
    path.write_text(de.desktop_entry_text([program, "-m", "llmplanner"]), encoding="utf-8")
    validate(path)
    exec_value = next(line for line in path.read_text().splitlines() if line.startswith("Exec="))[5:]
    assert parse_exec(exec_value) == [program, "-m", "llmplanner"]


def test_launch_command_prefers_the_windowless_launcher_of_an_installed_copy(tmp_path, monkeypatch):
    script = tmp_path / "bin" / ("llmplanner-gui.exe" if sys.platform == "win32" else "llmplanner-gui")
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(de, "_installed", lambda: True)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setattr(de.sysconfig, "get_path", lambda name, scheme=None: str(tmp_path / "bin"))
    assert de.launch_command() == ([str(script)], None)
    script.unlink()  # installed without its scripts (pip --no-binary oddities): the interpreter still works
    assert de.launch_command() == ([str(tmp_path / "bin" / "python"), "-m", "llmplanner"], None)


def test_launch_command_of_a_frozen_app_is_the_app_itself(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/llmplanner/llmplanner")
    assert de.launch_command() == (["/opt/llmplanner/llmplanner"], None)


def test_data_home_follows_xdg_and_ignores_a_relative_path():
    assert de.data_home({"XDG_DATA_HOME": "/x/share"}) == Path("/x/share")
    assert de.data_home({"XDG_DATA_HOME": "relative/share"}) == Path.home() / ".local" / "share"
    assert de.data_home({}) == Path.home() / ".local" / "share"


def test_bad_requests_exit_2_with_one_line(monkeypatch, capsys):
    assert de.main(["--install-desktop-entry", "extra"]) == 2
    monkeypatch.setattr(sys, "platform", "win32")
    assert de.main(["--install-desktop-entry"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 2 and "installer" in err


def test_an_unwritable_data_folder_is_one_error_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = run_cli("--install-desktop-entry", env={"XDG_DATA_HOME": str(blocker)})
    assert out.returncode == 1
    assert out.stderr.startswith("llmplanner: error: cannot write ") and len(out.stderr.splitlines()) == 1


def test_the_desktop_entry_flags_need_no_qt():
    code = ("import sys; from llmplanner.__main__ import main; import io, contextlib\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['--uninstall-desktop-entry'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'torch')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert (out.returncode, out.stdout.strip()) == (0, "[]"), out.stderr

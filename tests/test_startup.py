"""Start-up safety: what would make Qt abort is found before Qt is asked for a window, and every problem before
the window appears is logged and shown (a dialog when interactive, never one in headless runs)."""
from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from llmplanner import startup
from llmplanner.core import detect_torch


class Dialogs:
    """Records the dialogs start_gui would show."""

    def __init__(self):
        self.shown = []

    def __call__(self, title, text, *, qt_usable, warning=False):
        self.shown.append({"title": title, "text": text, "qt_usable": qt_usable, "warning": warning})
        return True


@pytest.fixture
def fake_app(monkeypatch):
    """``llmplanner.app`` replaced by a module whose ``run_app`` records its arguments (or raises)."""
    module = types.ModuleType("llmplanner.app")
    module.calls = []
    module.error = None

    def run_app(argv):
        module.calls.append(list(argv))
        if module.error:
            raise module.error
        return 0

    module.run_app = run_app
    monkeypatch.setitem(sys.modules, "llmplanner.app", module)
    return module


def logs(tmp_path) -> list[Path]:
    return sorted((tmp_path / "logs").glob("*.log"))


# -- which platform plugin, and why it would fail ---------------------------------------------------------------

@pytest.mark.parametrize("env, platform, expected", [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", ["offscreen"]),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "windows:darkmode=2"}, "win32", ["windows"]),
    ({}, "linux", ["xcb"]),
    ({"XDG_SESSION_TYPE": "wayland"}, "linux", ["wayland", "xcb"]),
    ({}, "win32", ["windows"]),
    ({}, "darwin", ["cocoa"]),
])
def test_platform_candidates_follow_qt(env, platform, expected):
    assert startup.platform_candidates(env, platform) == expected


def test_a_missing_platform_plugin_is_named_with_where_it_was_looked_for(tmp_path):
    why = startup.platform_problem("xcb", [tmp_path], {"DISPLAY": ":0"})
    assert "platform plugin 'xcb' is missing" in why and str(tmp_path) in why


def test_no_display_is_found_before_qt_aborts(tmp_path):
    (tmp_path / "libqxcb.so").write_bytes(b"")
    assert startup.platform_problem("xcb", [tmp_path], {}) == "there is no X display (DISPLAY is not set)"
    (tmp_path / "libqwayland.so").write_bytes(b"")
    assert "no Wayland display" in startup.platform_problem("wayland", [tmp_path], {"XDG_RUNTIME_DIR": str(tmp_path)})
    (tmp_path / "wayland-0").write_bytes(b"")
    assert startup.platform_problem("wayland", [tmp_path], {"XDG_RUNTIME_DIR": str(tmp_path)},
                                    load=lambda path: None) is None


def test_a_plugin_that_cannot_load_names_the_missing_library_and_its_debian_package(tmp_path):
    (tmp_path / "libqxcb.so").write_bytes(b"")

    def load(path):  # what PyInstaller's frozen ctypes raises: a generic message, the loader's as the cause
        try:
            raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file or directory")
        except OSError as cause:
            raise OSError(f"Failed to load dynlib/dll {path!r}") from cause

    why = startup.platform_problem("xcb", [tmp_path], {"DISPLAY": ":0"}, load=load)
    assert "libxcb-icccm.so.4: cannot open shared object file" in why
    assert why.endswith("sudo apt install libxcb-icccm4)")


@pytest.mark.parametrize("soname, package", [  # Debian Policy 8.1, checked against the real package names
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libgtk-3.so.0", "libgtk-3-0"),
    ("libEGL.so.1", "libegl1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
])
def test_debian_package_names_follow_policy(soname, package):
    assert startup._package_hint(f"{soname}: cannot open shared object file").endswith(f"apt install {package})")


def test_qt_can_start_offscreen_here():
    assert startup.qt_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_an_unknown_platform_is_a_problem_not_an_abort():
    why = startup.qt_problem({"QT_QPA_PLATFORM": "nosuchplatform"})
    assert why.startswith("Qt cannot open a window: Qt's platform plugin 'nosuchplatform' is missing")


# -- reporting --------------------------------------------------------------------------------------------------

def test_a_failed_start_is_logged_shown_and_exits_1(tmp_path, monkeypatch, fake_app, capsys):
    monkeypatch.setenv("QT_QPA_PLATFORM", "nosuchplatform")
    dialogs = Dialogs()
    assert startup.start_gui([], dialog=dialogs) == 1
    assert fake_app.calls == []
    (log,) = logs(tmp_path)
    assert "nosuchplatform" in log.read_text()
    (shown,) = dialogs.shown
    assert shown["title"] == "llmplanner cannot start" and not shown["qt_usable"]
    assert str(log) in shown["text"]
    assert "nosuchplatform" in capsys.readouterr().err


def test_headless_runs_never_open_a_dialog(tmp_path, monkeypatch, fake_app):
    monkeypatch.setenv("QT_QPA_PLATFORM", "nosuchplatform")
    dialogs = Dialogs()
    assert startup.start_gui(["--smoke-test"], dialog=dialogs) == 1
    assert dialogs.shown == [] and len(logs(tmp_path)) == 1


def test_an_unwritable_settings_folder_is_shown_and_the_app_still_starts(tmp_path, monkeypatch, fake_app):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("LLMPLANNER_CONFIG_DIR", str(blocker / "llmplanner"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    dialogs = Dialogs()
    assert startup.start_gui(["-style", "fusion"], dialog=dialogs) == 0
    assert fake_app.calls == [["-style", "fusion"]]
    (shown,) = dialogs.shown
    assert shown["warning"] and str(blocker / "llmplanner") in shown["text"]
    assert "cannot be written" in shown["text"] and len(logs(tmp_path)) == 1


def test_an_exception_from_the_app_is_logged_with_its_traceback_and_shown(tmp_path, monkeypatch, fake_app):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    fake_app.error = PermissionError(13, "Permission denied", "/home/u/.config/llmplanner/llmplanner.ini")
    dialogs = Dialogs()
    assert startup.start_gui([], dialog=dialogs) == 1
    (log,) = logs(tmp_path)
    text = log.read_text()
    assert "Traceback" in text and "PermissionError" in text and "llmplanner.ini" in text
    (shown,) = dialogs.shown
    assert shown["qt_usable"] and "PermissionError" in shown["text"]


def test_the_command_line_reports_a_platform_problem_in_one_place(tmp_path):
    out = run_cli("--smoke-test", env={"QT_QPA_PLATFORM": "nosuchplatform"})
    assert out.returncode == 1
    assert out.stderr.startswith("llmplanner: error: Qt cannot open a window: Qt's platform plugin 'nosuchplatform'")
    assert "Traceback" not in out.stderr and len(logs(tmp_path)) == 1


# -- torch in a frozen app ---------------------------------------------------------------------------------------

def test_a_frozen_app_without_torch_does_not_probe_and_says_why(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(detect_torch.importlib.util, "find_spec", lambda name: None)
    assert detect_torch.probe_command() is None
    result = detect_torch.devices_from_probe(detect_torch.run_probe())
    assert result.report.status == "unavailable" and "built without torch" in result.report.detail


def test_a_frozen_app_with_torch_probes_itself(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/llmplanner/llmplanner")
    monkeypatch.setattr(detect_torch.importlib.util, "find_spec", lambda name: object())
    assert detect_torch.probe_command() == ["/opt/llmplanner/llmplanner", "--probe-torch"]


def test_the_hidden_probe_flag_runs_the_probe():
    out = run_cli("--probe-torch")
    assert out.returncode == 0
    (line,) = [line for line in out.stdout.splitlines() if line.startswith(detect_torch.MARKER)]
    assert '"torch_version": "2.' in line


def test_the_measured_check_says_what_is_missing_without_torch(tmp_path):
    fake = tmp_path / "hide" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named torch (hidden by the test)')\n")
    out = run_cli("check", "OPT-125M", env={"PYTHONPATH": str(tmp_path / "hide")})
    assert out.returncode == 2
    (line,) = out.stderr.splitlines()
    assert line.startswith("llmplanner: error: the measured check needs torch and transformers, and torch ")
    assert "pip install torch transformers" in line


def test_the_launcher_drops_the_macos_process_serial_number(monkeypatch):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import launcher
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    monkeypatch.setattr(sys, "argv", ["llmplanner", "-psn_0_12345", "estimate", "GPT-2"])
    assert launcher._arguments() == ["estimate", "GPT-2"]


def test_startup_imports_no_qt_until_it_starts():
    code = "import sys, llmplanner.startup; print([m for m in sys.modules if m.startswith('PySide6')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr

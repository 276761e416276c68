"""The app as a user (or CI) starts it: smoke test, screenshots, torch never at start-up, and a plan that
survives the app being killed."""
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, run_cli

pytestmark = pytest.mark.gui


def test_smoke_test_prints_smoke_ok_and_exits_0():
    out = run_cli("--smoke-test")
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip().splitlines()[-1]
    assert line.startswith("SMOKE OK llmplanner ")
    for name in ("Python", "Qt", "PySide6", "pyqtgraph"):
        assert f"{name} " in line
    assert "8,030,261,248 parameters" in line
    import re

    found = re.search(r"q4_k_m at 8,192 tokens on llama.cpp: (\d+\.\d\d) GiB", line)  # one full estimate
    assert found and 6.0 < float(found.group(1)) < 6.3, line  # weights 4.58 GiB + KV 1 GiB + buffers


def test_full_smoke_test_computes_every_tab():
    out = run_cli("--smoke-test=full")
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip().splitlines()[-1]
    import re

    found = re.search(r"Q4_K_M at 8,192 tokens: (\d+\.\d\d) GiB", line)  # the Precision tab's bar
    assert found and 6.0 < float(found.group(1)) < 6.3, line
    assert "this machine: " in line  # the Hardware tab's recommendation


def test_screenshot_writes_one_png_per_tab(tmp_path):
    out = run_cli("--screenshot", str(tmp_path / "shots"))
    assert out.returncode == 0, out.stderr
    from llmplanner.gui.tabs import TAB_ENTRIES
    import importlib.util

    expected = {f"{e.tab_id}.png" for e in TAB_ENTRIES if importlib.util.find_spec(e.module)}
    written = {p.name for p in (tmp_path / "shots").iterdir()}
    assert written == expected
    for name in written:
        data = (tmp_path / "shots" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (1280, 800)


def _run_python(code: str, timeout: float = 60):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env=dict(os.environ))


def test_torch_is_not_imported_when_the_window_is_up():
    out = _run_python("""
        from llmplanner.gui.qt import QtWidgets
        app = QtWidgets.QApplication([])
        from llmplanner.app import Application
        a = Application(app)
        w = a.start()
        for _ in range(20):
            app.processEvents()
        for tab in w.tabs:
            tab.compute_now()
        import sys
        print("TORCH", "torch" in sys.modules)
        a.handler.uninstall()
    """)
    assert out.returncode == 0, out.stderr
    assert "TORCH False" in out.stdout


DRIVER = """
import sys
from llmplanner.gui.qt import QtCore, QtWidgets
app = QtWidgets.QApplication([])
from llmplanner.app import Application
a = Application(app)
w = a.start()
w.tab("architecture").form.widgets["model.num_layers"].setValue(20)   # the user edits, never saves
file = a.controller._autosaver.file

def check():
    if file.exists():
        print("AUTOSAVED", flush=True)
        timer.stop()

timer = QtCore.QTimer()
timer.timeout.connect(check)
timer.start(50)
app.exec()
"""

RESTART = """
from llmplanner.gui.qt import QtWidgets
app = QtWidgets.QApplication([])
from llmplanner.app import Application
a = Application(app)
w = a.start()
print("OFFERED", w.recovery_bar.isVisible(), w.recovery_offer.plan.model.architecture.num_layers)
button = [b for b in w.recovery_bar.findChildren(QtWidgets.QPushButton) if "Restore" in b.text()][0]
button.click()
print("RESTORED", a.controller.plan.model.architecture.num_layers, a.controller.is_modified)
a.handler.uninstall()
"""


def test_a_killed_app_offers_its_unsaved_plan_on_restart():
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=dict(os.environ))
    try:
        line = proc.stdout.readline()
        assert line.strip() == "AUTOSAVED", proc.stderr.read() if proc.poll() is not None else line
    finally:
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no chance to clean up
        proc.wait(10)
    out = _run_python(RESTART)
    assert out.returncode == 0, out.stderr
    assert "OFFERED True 20" in out.stdout
    assert "RESTORED 20 True" in out.stdout

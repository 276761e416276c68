"""The model layer imports neither Qt nor torch (the GUI and the tests share it; start-up depends on it)."""
import subprocess
import sys

from conftest import ROOT

FORBIDDEN = ("PySide6", "pyqtgraph", "superqt", "torch", "shiboken6")


def test_core_imports_no_qt_and_no_torch():
    code = (
        "import pkgutil, importlib, sys, llmplanner.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'llmplanner.core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_command_line_estimate_imports_no_qt_and_no_torch():
    code = (
        "import sys, io, contextlib\n"
        "from llmplanner.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['estimate', '--preset', 'Llama-3-8B', '--json'])\n"
        f"bad = sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r})\n"
        "print(rc, ','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "0"

"""The performance figures of issue #9 that the app shell owns, measured the same way by the pytest
benchmarks and by ``run.py``: start-up against a bare PySide6 + pyqtgraph window, the longest GUI-thread
stall while the Precision tab's context slider is dragged and the tab recomputes, and the resident memory
after start-up.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE_WINDOW = textwrap.dedent("""
    import os, sys
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets
    import pyqtgraph as pg
    app = QtWidgets.QApplication([])
    window = QtWidgets.QMainWindow()
    tabs = QtWidgets.QTabWidget()
    for name in ("Architecture", "Precision", "Hardware", "Sampling"):
        plot = pg.PlotWidget()
        plot.plot([0, 1, 2, 3], [1, 3, 2, 4])
        tabs.addTab(plot, name)
    window.setCentralWidget(tabs)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    print("BARE OK", flush=True)
""")


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def time_command(args: list[str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"{args} failed: {out.stderr[-2000:]}")
    return elapsed


def smoke_seconds() -> float:
    return time_command([sys.executable, "-m", "llmplanner", "--smoke-test"])


def bare_seconds() -> float:
    return time_command([sys.executable, "-c", BARE_WINDOW])


def startup_ratio(pairs: int = 5) -> dict:
    """Median over alternating pairs of (smoke-test wall time) / (bare window wall time)."""
    ratios, smoke, bare = [], [], []
    for _ in range(pairs):
        s, b = smoke_seconds(), bare_seconds()
        smoke.append(s)
        bare.append(b)
        ratios.append(s / b)
    return {"startup_ratio": statistics.median(ratios), "smoke_s": statistics.median(smoke),
            "bare_s": statistics.median(bare)}


def measure_drag(app, window, model: str = "Qwen2.5-7B", tab_id: str = "precision") -> dict:
    """Drag the Precision tab's context slider (shown, with every format's bars and the curves redrawn) across
    its range and back, one position per 16 ms frame, while a 10 ms timer ticks on the GUI thread; the longest
    gap between ticks is the worst stall. Every tab recomputes for each plan the drag produces. Without a
    Precision tab the Architecture tab's slider is dragged."""
    from llmplanner.core.plan import ModelSource
    from llmplanner.gui.qt import QtCore

    window.controller.set_plan(window.controller.plan.replace(model=ModelSource.preset(model)))
    tab = window.tab(tab_id) or window.tab("architecture")
    window.set_current_tab(tab.tab_id)
    for t in window.tabs:
        t.wait_idle(30000)
    ticks: list[float] = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)

    def spin(ms: float) -> None:
        end = time.perf_counter() + ms / 1000
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)

    spin(100)
    start = len(ticks)
    before = tab.computations[0].completed
    slider = tab.context.slider
    forth = list(range(slider.minimum(), slider.maximum() + 1))
    for position in forth + forth[::-1]:
        slider.setValue(position)  # what a mouse drag does, one position per frame
        spin(16)
    for t in window.tabs:
        t.wait_idle()
    spin(100)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks[start:], ticks[start + 1:])]
    return {"drag_max_stall_ms": max(gaps) * 1000, "drag_ticks": len(gaps),
            "drag_estimates": tab.computations[0].completed - before, "drag_tab": tab.tab_id}


DRAG = textwrap.dedent("""
    import json, sys, tempfile
    sys.path.insert(0, "tests")
    from llmplanner.gui.qt import QtWidgets
    app = QtWidgets.QApplication([])
    from llmplanner.app import _headless_window
    from benchmarks.figures import measure_drag
    print(json.dumps(measure_drag(app, _headless_window(tempfile.mkdtemp()))))
""")


def drag_stall() -> dict:
    out = subprocess.run([sys.executable, "-c", DRAG], capture_output=True, text=True, cwd=ROOT, env=_env(),
                         timeout=120)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


IDLE = textwrap.dedent("""
    import json, sys
    from llmplanner.gui.qt import QtWidgets
    app = QtWidgets.QApplication([])
    from llmplanner.app import _headless_window
    import tempfile, psutil
    window = _headless_window(tempfile.mkdtemp())
    for t in window.tabs:
        t.wait_idle()
    app.processEvents()
    print(json.dumps({"idle_rss_mb": psutil.Process().memory_info().rss / 2**20,
                      "torch_imported": "torch" in sys.modules}))
""")


def idle_rss() -> dict:
    out = subprocess.run([sys.executable, "-c", IDLE], capture_output=True, text=True, cwd=ROOT, env=_env(),
                         timeout=120)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])

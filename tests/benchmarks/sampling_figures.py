"""Figures of the Sampling tab for ``run.py``: the llama.cpp default chain on a 256k-token vocabulary
(``sample_256k_ms``) and the longest GUI-thread stall while the temperature slider is dragged over such a
vocabulary (``sampling_drag_max_stall_ms``), measured the same way by ``test_sampling_tab_drag.py``.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VOCAB = 262_144


def sample_256k_ms(quick: bool) -> dict:
    """llama.cpp's default chain (penalties … top-k 40, top-p 0.95, min-p 0.05, temperature) on a 256k-token
    Zipf distribution, a new temperature each call as while a slider moves (the softmax of the distribution
    is cached on it, as in the tab), best of N, in ms."""
    from llmplanner.core.sampling import SamplerSettings, run_chain, zipf_distribution

    dist = zipf_distribution(VOCAB, 0.3, 1.1)
    temps = iter([0.5 + 0.001 * i for i in range(10_000)])

    def one():
        r = run_chain(dist, SamplerSettings(temperature=next(temps)), "llama.cpp", use_defaults=True)
        return r.final.kept_count

    one()
    best = float("inf")
    for _ in range(20 if quick else 200):
        t0 = time.perf_counter()
        one()
        best = min(best, time.perf_counter() - t0)
    return {"sample_256k_ms": best * 1000}


def measure_sampling_drag(app, window, vocab: int = VOCAB) -> dict:
    """Drag the temperature slider across its range and back, one position per 16 ms frame, on a ``vocab``-token
    synthetic distribution, while a 10 ms timer ticks on the GUI thread; the longest gap between ticks is the
    worst stall. Also the slowest chain-and-redraw of one slider position."""
    from llmplanner.gui.qt import QtCore

    tab = window.tab("sampling")
    window.set_current_tab("sampling")

    def spin(ms: float) -> None:
        end = time.perf_counter() + ms / 1000
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)

    tab.distribution_panel.set_source("synthetic")
    tab.distribution_panel.vocab.setValue(vocab)
    deadline = time.perf_counter() + 60
    while not (tab.dist is not None and tab.dist.size == vocab and tab.result is not None
               and tab.result.distribution is tab.dist):
        spin(20)
        if time.perf_counter() > deadline:
            raise RuntimeError("the 256k-token distribution was not built within 60 s")
    for t in window.tabs:
        t.wait_idle()
    spin(300)  # let the plan edit reach every tab before measuring
    ticks: list[float] = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    spin(100)
    start = len(ticks)
    before = tab.updates
    slowest = 0.0
    slider = tab.controls.rows["temperature"].slider
    forth = list(range(slider.minimum(), slider.maximum() + 1, 10))
    for position in forth + forth[::-1]:
        slider.setValue(position)  # what a mouse drag does, one position per frame
        spin(16)
        slowest = max(slowest, tab.last_update_ms)
    end = len(ticks)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks[start:end], ticks[start + 1:end])]
    return {"sampling_drag_max_stall_ms": max(gaps) * 1000, "sampling_drag_ticks": len(gaps),
            "sampling_drag_updates": tab.updates - before, "sampling_update_max_ms": slowest,
            "sampling_drag_vocab": vocab}


DRAG = textwrap.dedent("""
    import json, sys, tempfile
    sys.path.insert(0, "tests")
    from llmplanner.gui.qt import QtWidgets
    app = QtWidgets.QApplication([])
    from llmplanner.app import _headless_window
    from benchmarks.sampling_figures import measure_sampling_drag
    print(json.dumps(measure_sampling_drag(app, _headless_window(tempfile.mkdtemp()))))
""")


def sampling_drag_stall(quick: bool) -> dict:
    from benchmarks.figures import _env

    out = subprocess.run([sys.executable, "-c", DRAG], capture_output=True, text=True, cwd=ROOT, env=_env(),
                         timeout=300)
    if out.returncode != 0:
        return {"sampling_drag_max_stall_ms": None, "sampling_drag_error": out.stderr[-300:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(sample_256k_ms(True)))

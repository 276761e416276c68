#!/usr/bin/env python3
"""Print the performance figures as one JSON object (issue #9). ``--quick`` uses fewer repetitions.

    python tests/benchmarks/run.py [--quick]

Figures owned by the app shell: ``startup_ratio`` (``--smoke-test`` wall time ÷ a bare PySide6 + pyqtgraph
window with four plot tabs, median of alternating pairs), ``drag_max_stall_ms`` (longest gap between 10 ms
timer ticks on the GUI thread while the Precision tab's context slider is dragged across its range and back
and the tab recomputes) and ``idle_rss_mb``; the Sampling tab's ``sample_256k_ms`` (llama.cpp's default chain
on 256k tokens) and ``sampling_drag_max_stall_ms`` (the same stall measure while its temperature slider is
dragged over 256k tokens). Each entry of ``FIGURES`` is a function of ``quick`` returning a dict of figures: add
the engines' figures there.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the package from this checkout

from benchmarks.engine_figures import detect_stall, estimate_ms, sweep_ms  # noqa: E402
from benchmarks.figures import drag_stall, idle_rss, startup_ratio  # noqa: E402
from benchmarks.sampling_figures import sample_256k_ms, sampling_drag_stall  # noqa: E402


FIGURES = [
    lambda quick: startup_ratio(2 if quick else 5),
    lambda quick: drag_stall(),
    lambda quick: idle_rss(),
    estimate_ms,
    sweep_ms,
    detect_stall,
    sample_256k_ms,
    sampling_drag_stall,
]


def figures(quick: bool) -> dict:
    out = {}
    for measure in FIGURES:
        out.update(measure(quick))
    return out


if __name__ == "__main__":
    print(json.dumps(figures("--quick" in sys.argv), indent=2))

"""Figures of the model layer for ``run.py``: one full estimate, the format × context sweep, detection stall."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LLAMA_70B = {"model_type": "llama", "vocab_size": 128256, "hidden_size": 8192, "intermediate_size": 28672,
             "num_hidden_layers": 80, "num_attention_heads": 64, "num_key_value_heads": 8,
             "max_position_embeddings": 131072}


def _best_ms(fn, repeat: int) -> float:
    fn()  # warm caches, as a GUI that recomputes on every slider move has them
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def estimate_ms(quick: bool) -> dict:
    """One full estimate (params, memory breakdown, fit, speed) of a 70B model on an A100, in ms."""
    from llmplanner.core.estimate import EstimateRequest, HardwareChoice, run_estimate
    from llmplanner.core.hf_config import architecture_from_config

    arch = architecture_from_config(LLAMA_70B, name="Llama-3.1-70B")
    contexts = iter(range(1024, 10**6, 7))  # a new context each call: no result is reused

    def one():
        run_estimate(EstimateRequest(arch, hardware=HardwareChoice("A100 80GB PCIe"), context=next(contexts)))

    return {"estimate_ms": _best_ms(one, 20 if quick else 200)}


def sweep_ms(quick: bool) -> dict:
    """Every llama.cpp format × 100 context lengths for one model (vectorised memory curves), in ms."""
    import numpy as np

    from llmplanner.core.formats import all_formats
    from llmplanner.core.hf_config import architecture_from_config
    from llmplanner.core.memory import MemoryRequest
    from llmplanner.core.memory.sweep import memory_curve

    arch = architecture_from_config(LLAMA_70B)
    formats = [f.id for f in all_formats() if "llama.cpp" in f.runtimes]
    contexts = np.geomspace(512, 131072, 100).astype(np.int64)

    def sweep():
        for f in formats:
            memory_curve(MemoryRequest(arch, f, "f16", "llama.cpp", 4096), contexts)

    return {"sweep_ms": _best_ms(sweep, 3 if quick else 10), "sweep_formats": len(formats)}


def detect_stall(quick: bool) -> dict:
    """Longest gap between 10 ms GUI timer ticks while detection (with the torch probe) runs in a worker."""
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                          str(ROOT / "tests/benchmarks/test_detect_gui_stall.py")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    for line in out.stdout.splitlines():
        if "longest GUI-thread gap" in line:
            ms = float(line.split("ticks:")[1].split("ms")[0])
            return {"detect_max_stall_ms": ms}
    return {"detect_max_stall_ms": None, "detect_error": (out.stdout + out.stderr)[-300:]}


if __name__ == "__main__":
    print(json.dumps({**estimate_ms(True), **sweep_ms(True)}))

"""Speed of the speed model (issue #3: a full estimate well under 1 ms; a context sweep vectorised).

Run with ``pytest tests/benchmarks --benchmark-enable``; with benchmarks disabled (the default in pyproject) each
runs once as a smoke test.
"""
import numpy as np

from llmplanner.core.hardware import find_accelerator
from llmplanner.core.speed import decode_tokens_per_s, estimate_speed
from llmplanner.core.speed_workload import split_workload

from speed_cases import architecture


def _workload():
    return split_workload(architecture("Llama-3-8B"), [find_accelerator("NVIDIA GeForce RTX 4090")], 4.6e9)


def test_one_estimate(benchmark):
    w = _workload()
    est = benchmark(estimate_speed, w, 512, 512)
    assert est.decode_tokens_per_s > 0


def test_a_sweep_of_100_contexts(benchmark):
    w = _workload()
    contexts = np.linspace(1, 131072, 100)
    curve = benchmark(decode_tokens_per_s, w, contexts)
    assert curve.shape == (100,)

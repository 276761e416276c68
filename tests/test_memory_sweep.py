"""The vectorised memory-versus-context curve equals the scalar estimate at every point."""
from dataclasses import replace

import numpy as np
import pytest

from conftest import load_data
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.memory import Device, GiB, MemoryRequest, estimate_memory
from llmplanner.core.memory.sweep import memory_curve

CONFIGS = {m["name"]: m["config"] for m in load_data("reference_models.json")["models"]}
CONTEXTS = np.array([1, 300, 512, 4096, 5000, 8192, 32768])


def gpus(n=1, gib=24):
    return tuple(Device(f"CUDA{i}", "gpu", gib * GiB, "CUDA") for i in range(n))


CASES = [
    ("Llama-3-8B", "q4_k_m", "f16", "llama.cpp", gpus(), False),
    ("Llama-3-8B", "q4_k_m", "q8_0", "llama.cpp", gpus(2), True),
    ("Gemma-2-9B", "q8_0", "f16", "llama.cpp", (), False),
    ("Mixtral-8x7B-v0.1", "q4_k_m", "f16", "ollama", gpus(), False),
    ("Mistral-7B-v0.1", "bf16", "bf16", "transformers", gpus(), False),
    ("Gemma-2-9B", "bf16", "bf16", "transformers", (), False),
    ("Llama-3-8B", "bf16", "auto", "vllm", gpus(1, 80), False),
]


@pytest.mark.parametrize("name, fmt, kv, runtime, devices, fa", CASES, ids=[f"{c[0]}-{c[3]}-{c[2]}" for c in CASES])
def test_curve_matches_scalar_estimates(name, fmt, kv, runtime, devices, fa):
    arch = architecture_from_config(CONFIGS[name], name=name)
    req = MemoryRequest(arch, fmt, kv, runtime, 4096, gpus=devices, flash_attention=fa, batch=2)
    curve = memory_curve(req, CONTEXTS)
    for i, ctx in enumerate(CONTEXTS):
        est = estimate_memory(replace(req, context=int(ctx)))
        assert curve.weights[i] == est.weights_bytes
        if runtime == "vllm":
            assert curve.kv_cache[i] == est.extra["vllm"]["request_kv_bytes"]
        else:
            assert curve.kv_cache[i] == est.kv_cache_bytes
            assert curve.activations[i] == est.activations_bytes
            assert curve.total[i] == est.total_bytes


def test_curve_is_non_decreasing_in_context():
    arch = architecture_from_config(CONFIGS["Llama-3-8B"])
    curve = memory_curve(MemoryRequest(arch, "q4_k_m", "f16", "llama.cpp", 1, gpus=gpus()),
                         np.arange(1, 8193, 97))
    assert np.all(np.diff(curve.total) >= 0)

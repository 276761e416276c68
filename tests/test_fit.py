"""Verdicts and inverse solvers on machines of known memory."""
from dataclasses import replace

import pytest

from conftest import load_data
from llmplanner.core.fit import HEADROOM, Machine, best_format, fit, longest_context
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.memory import Device, GiB, MemoryRequest

CONFIGS = {m["name"]: m["config"] for m in load_data("reference_models.json")["models"]}
LLAMA3 = architecture_from_config(CONFIGS["Llama-3-8B"])


def machine(vram_gib=None, ram_gib=64, n=1):
    gpus = tuple(Device(f"CUDA{i}", "gpu", int(vram_gib * GiB), "CUDA") for i in range(n)) if vram_gib else ()
    return Machine(gpus, int(ram_gib * GiB) if ram_gib else None)


def req(fmt="q4_k_m", ctx=8192, runtime="llama.cpp"):
    return MemoryRequest(LLAMA3, fmt, "f16", runtime, ctx)


def test_roomy_gpu_fits_with_headroom():
    r = fit(req(), machine(24))
    assert r.verdict == "fits" and r.free_gpu_bytes >= HEADROOM * 24 * GiB


def test_just_enough_gpu_is_tight():
    # on the GPU: 4.31 GiB of layers (token_embd stays on the host) + 1 GiB KV + ~0.55 GiB compute, plus
    # llama.cpp's 1 GiB --fit margin ≈ 6.9 GiB of 7
    r = fit(req(), machine(7))
    assert r.verdict == "tight" and 0 <= r.free_gpu_bytes < HEADROOM * 7 * GiB


def test_small_gpu_gets_a_partial_offload_with_the_most_layers_that_fit():
    m = machine(5)
    r = fit(req(), m)
    assert r.verdict == "partial" and 0 < r.gpu_layers < r.total_layers
    more = fit(replace(req(), gpu_layers=r.gpu_layers + 1), m)  # one more layer must not fit
    from llmplanner.core.memory import estimate_memory
    est = estimate_memory(replace(req(), gpus=m.gpus, gpu_layers=r.gpu_layers + 1))
    assert est.devices[0].total + est.reserve_bytes > 5 * GiB
    assert more is not None


def test_no_gpu_but_enough_ram_is_cpu_only_and_too_little_ram_does_not_fit():
    assert fit(req(), machine(None, 16)).verdict == "cpu"
    assert fit(req("f16"), machine(None, 8)).verdict == "no"


def test_vllm_is_all_or_nothing():
    assert fit(req("bf16", 8192, "vllm"), machine(24)).verdict == "fits"
    assert fit(req("bf16", 8192, "vllm"), machine(16)).verdict == "no"


@pytest.mark.parametrize("vram", [6, 8, 12])
def test_longest_context_is_the_boundary(vram):
    m = machine(vram)
    r = req(ctx=4096)
    ctx = longest_context(r, m)
    assert 0 < ctx <= LLAMA3.max_context
    assert fit(replace(r, context=ctx), m).verdict in ("fits", "tight")
    if ctx < LLAMA3.max_context:
        assert fit(replace(r, context=ctx + 256), m).verdict not in ("fits", "tight")


def test_best_format_is_the_first_that_fits():
    order = ["f16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m"]
    m = machine(8)
    fmt, result = best_format(req(ctx=4096), m, order)
    assert result.verdict in ("fits", "tight")
    better = order[: order.index(fmt)]
    assert all(fit(req(f, 4096), m).verdict not in ("fits", "tight") for f in better)

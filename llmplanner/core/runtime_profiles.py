"""The few calibrated constants of the speed model, one set per runtime and backend.

Each constant is a physical quantity of a runtime's kernels, not of a GPU; the GPU enters only through its spec
sheet (bandwidth, matrix peak, compute units × clock). They were fitted by ``tools/calibrate_speed.py`` on the
*calibration* rows of ``tests/data/speed_measurements.json`` — the single-GPU llama-bench runs of the reference
data (RTX 3090, RTX 4090, A100 80GB PCIe, M2 Ultra; Llama-3 8B/70B at Q4_K_M and F16; May 2024 builds
2796–2836), plus two CPU decode runs for the CPU bandwidth and 2-GPU decode runs for the hand-off — and checked
on every other row (other GPUs, builds and models), see ``tests/test_speed_measurements.py``.

Why each term exists:

- ``bandwidth_efficiency``: the fraction of the spec-sheet bandwidth that weight-streaming mat-vec kernels
  sustain (DRAM refresh, page misses, imperfect overlap). 0.92 CUDA, 0.89 Metal.
- ``bytes_per_unit_clock``: a mat-vec kernel keeps a bounded number of loads in flight per SM, so by Little's
  law one SM streams a bounded number of bytes per clock. It caps decode on GPUs whose memory is fast relative
  to SMs × clock (A100, H100: their HBM outruns llama.cpp's kernels; 6.9 B/clk/SM ⇒ ≈1.05 TB/s on an A100).
- ``layer_overhead_s`` / ``token_overhead_s``: kernel launches, synchronisation and sampling that do not shrink
  with the model — why a small model on a fast GPU is far slower than bandwidth ÷ size.
- ``dequant_ops_per_weight``: ALU work to unpack a block-quantised weight in the mat-vec kernel; binds where
  the GPU's FP32 throughput is low relative to its bandwidth (Metal on M1/M3 Max with Q4_K).
- ``kv_read_per_group``: without flash attention ggml multiplies K and V with every query head separately
  (``ggml_mul_mat`` broadcasting over the heads of a GQA group), so cached K/V are streamed ≈ a·(H/KV) times.
- ``matmul_efficiency`` / ``matmul_flops_per_unit_clock``: prompt processing runs the weights as matrices;
  throughput is the smaller of a fraction of the dense FP16 matrix peak and a per-SM issue limit (the latter
  binds on A100/H100, whose wide tensor cores the runtime's kernels and their dequantisation cannot feed).
- ``device_handoff_s``: handing the activations to the next device of a layer split (a copy through the host
  and a synchronisation), once per crossing per token or ubatch.
- ``score_bytes``: without flash attention the attention scores (H × n × context, F32) are written and read
  back by separate kernels (scale, mask, softmax); bytes per score per layer.

Expected error, measured by ``tests/test_speed_measurements.py`` on rows the constants never saw (llama.cpp
builds Nov 2023 – Aug 2024; ``pytest -s`` prints the table):

- decode, one GPU: 88 % of 239 runs within 15 %, median |error| 6.9 % (CUDA 6.2 %, Metal 8.0 %);
- decode, 2–8 GPUs (layer split): 93 % within 15 %, median 4.4 %;
- prompt processing, one GPU: 72 % of 218 within 25 %, median 12 % (llama-bench runs: 80 %, median 10 %);
- prompt processing, 2–8 GPUs: median 17 % (llama.cpp's pipeline gains less than an ideal pipeline).

Known blind spots: power-capped workstation cards (RTX 6000 Ada, L40S at 300–350 W) do not hold their boost
clock under tensor load (prompt processing 30–60 % slower than estimated); legacy quants (Q4_0) unpack faster
on Metal than the Q4_K the Metal constants were fitted on (decode up to 20 % faster than estimated); llama.cpp
builds from 2025 on (CUDA graphs, int8 tensor-core MMQ, flash attention by default) decode 25–35 % faster
than these May 2024 constants predict on fast GPUs. Profiles marked ``calibrated=False`` borrow constants
from a measured backend and say which (``basis``).
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UnknownNameError


@dataclass(frozen=True)
class RuntimeProfile:
    runtime: str
    backend: str
    bandwidth_efficiency: float
    bytes_per_unit_clock: float | None
    layer_overhead_s: float
    token_overhead_s: float
    dequant_ops_per_weight: float
    kv_read_per_group: float
    matmul_efficiency_float: float
    matmul_efficiency_quantized: float
    matmul_flops_per_unit_clock_float: float | None
    matmul_flops_per_unit_clock_quantized: float | None
    score_bytes: float
    prefill_layer_overhead_s: float
    device_handoff_s: float
    """Passing the activations to the next device of a layer split (copy + synchronisation), per crossing."""
    calibrated: bool
    basis: str
    """Which measurements the constants come from (or which profile they are borrowed from, and why)."""


# Fitted by tools/calibrate_speed.py on the reference rows (see module docstring); rounded to 2-3 digits.
LLAMA_CPP_CUDA = RuntimeProfile(
    runtime="llama.cpp", backend="cuda",
    bandwidth_efficiency=0.92, bytes_per_unit_clock=6.9,
    layer_overhead_s=37e-6, token_overhead_s=1.67e-3,
    dequant_ops_per_weight=10.8, kv_read_per_group=0.79,
    matmul_efficiency_float=0.63, matmul_efficiency_quantized=0.42,
    matmul_flops_per_unit_clock_float=1040.0, matmul_flops_per_unit_clock_quantized=687.0,
    score_bytes=26.0, prefill_layer_overhead_s=181e-6,
    device_handoff_s=0.3e-3,  # 2x RTX 3090 / 2x RTX 4090 tg rows: 0.30-0.33 ms slower per token than one GPU
    calibrated=True,
    basis="llama-bench tg/pp 512–8192 on RTX 3090, RTX 4090, A100 80GB PCIe (llama.cpp builds 2824–2836, "
          "May 2024, flash attention off), Llama-3 8B/70B Q4_K_M and F16",
)

LLAMA_CPP_METAL = RuntimeProfile(
    runtime="llama.cpp", backend="metal",
    bandwidth_efficiency=0.89, bytes_per_unit_clock=None,
    layer_overhead_s=173e-6, token_overhead_s=0.0,
    dequant_ops_per_weight=25.0, kv_read_per_group=1.97,
    matmul_efficiency_float=0.82, matmul_efficiency_quantized=0.63,
    matmul_flops_per_unit_clock_float=None, matmul_flops_per_unit_clock_quantized=None,
    score_bytes=0.0, prefill_layer_overhead_s=2.0e-3, device_handoff_s=0.0,
    calibrated=True,
    basis="llama-bench tg/pp 512–8192 on M2 Ultra 76-core (llama.cpp build 2796, May 2024), Llama-3 8B/70B "
          "Q4_K_M and F16",
)

LLAMA_CPP_CPU = RuntimeProfile(
    runtime="llama.cpp", backend="cpu",
    bandwidth_efficiency=0.83, bytes_per_unit_clock=None,
    layer_overhead_s=0.0, token_overhead_s=0.0,
    dequant_ops_per_weight=0.0, kv_read_per_group=1.0,
    matmul_efficiency_float=0.5, matmul_efficiency_quantized=0.5,
    matmul_flops_per_unit_clock_float=None, matmul_flops_per_unit_clock_quantized=None,
    score_bytes=0.0, prefill_layer_overhead_s=0.0, device_handoff_s=0.0,
    calibrated=False,
    basis="decode bandwidth efficiency from Mixtral-8x7B Q8_0 on Ryzen 9 5900X (DDR4-3600) and 7950X "
          "(DDR5-3600), llama.cpp issue #4716 (46–49 GB/s of 57.6); the prompt-processing efficiency (half of the "
          "SIMD peak) is not validated against a measurement",
)


def _borrowed(base: RuntimeProfile, runtime: str, backend: str, why: str, **changes) -> RuntimeProfile:
    from dataclasses import replace

    return replace(base, runtime=runtime, backend=backend, calibrated=False,
                   basis=f"{why} (constants of llama.cpp/{base.backend}: {base.basis})", **changes)


_PROFILES: dict[tuple[str, str], RuntimeProfile] = {
    ("llama.cpp", "cuda"): LLAMA_CPP_CUDA,
    ("llama.cpp", "metal"): LLAMA_CPP_METAL,
    ("llama.cpp", "cpu"): LLAMA_CPP_CPU,
}
for _backend in ("rocm", "sycl", "vulkan"):
    _PROFILES[("llama.cpp", _backend)] = _borrowed(
        LLAMA_CPP_CUDA, "llama.cpp", _backend,
        "the same ggml kernels compiled for HIP/SYCL/Vulkan; checked only on two RX 7900 XTX runs")
# vLLM replays decode steps as CUDA graphs (docs.vllm.ai, "CUDA graphs"), so per-layer launch costs vanish;
# its kernels stream BF16 weights like llama.cpp's (checked on one A100 40GB single-request run).
_PROFILES[("vllm", "cuda")] = _borrowed(LLAMA_CPP_CUDA, "vllm", "cuda", "CUDA graphs remove launch overheads",
                                        layer_overhead_s=0.0, token_overhead_s=0.5e-3, kv_read_per_group=0.0)
_PROFILES[("vllm", "rocm")] = _borrowed(_PROFILES[("vllm", "cuda")], "vllm", "rocm", "as vLLM on CUDA")
# transformers' eager PyTorch launches every op from Python; no measurement here: llama.cpp's overheads stand in.
for _backend in ("cuda", "rocm", "metal", "cpu"):
    base = _PROFILES[("llama.cpp", _backend)]
    _PROFILES[("transformers", _backend)] = _borrowed(base, "transformers", _backend,
                                                      "eager PyTorch; no measurement in the test data")


def runtime_profile(runtime: str, backend: str) -> RuntimeProfile:
    """Constants for ``runtime`` on ``backend``; Ollama runs llama.cpp, so it shares its profiles."""
    key_runtime = "llama.cpp" if runtime == "ollama" else runtime
    try:
        return _PROFILES[(key_runtime, backend)]
    except KeyError:
        known = sorted({f"{r}/{b}" for r, b in _PROFILES})
        raise UnknownNameError("runtime/backend", f"{runtime}/{backend}", known, field="runtime") from None


def all_profiles() -> tuple[RuntimeProfile, ...]:
    return tuple(_PROFILES.values())

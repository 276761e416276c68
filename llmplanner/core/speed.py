"""Decode and prompt-processing speed from bytes, FLOPs and spec sheets.

Decode (one token, context c) on a device is bandwidth-bound::

    t_dev(c) = max(W / B_w, W_elems · ops_q / F_alu)                   weights streamed (or unpacked) once
             + Σ_groups layers · span(c) · kv_bytes · a_kv / B_w         cached K/V read back
             + layers · τ_layer                                          launches / syncs per layer
    B_w = min(η_bw · bandwidth, β · compute_units · clock)             (Little's law cap per SM)

and a token costs Σ over devices in turn (layer split, CPU/GPU offload) or the slowest device plus two
all-reduces per layer (tensor parallel), plus τ_token (sampling, synchronisation). Prompt processing runs a
ubatch of n tokens as matrix products::

    t_dev(n) = n · FLOPs / F + attention(n, past) + resident W / B_w + layers · τ_prefill
    F = min(η_mm · dense FP16 matrix peak, κ · compute_units · clock)

with pipelining across devices when the prompt spans several ubatches (llama.cpp PR #6017). The constants
(η, β, τ, a_kv, κ …) live in :mod:`llmplanner.core.runtime_profiles`, one set per runtime and backend, with
their calibration data and expected error. The public rule of thumb ``bandwidth ÷ model size × 0.55`` is shown
by :func:`rule_of_thumb_tokens_per_s` for comparison only.

Decode over a generation is averaged exactly (closed-form sums over the context), so the estimate for
``gen_tokens`` after ``prompt_tokens`` is the tokens/s a benchmark like ``llama-bench -p P -n G`` reports.
Everything accepts numpy arrays of contexts for charts (one call for 100 contexts).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import PlannerError
from .runtime_profiles import RuntimeProfile, runtime_profile
from .speed_workload import DeviceLoad, SpeedWorkload

#: PCIe 4.0 x16: 16 GT/s × 16 lanes × 128/130 encoding = 31.5 GB/s per direction (PCI-SIG, PCIe 4.0 base spec);
#: DMA transfers reach ≈ 80 % of it, 25 GB/s.
PCIE4_X16_BYTES_PER_S = 25e9
#: Latency of one small all-reduce (NCCL ring, a few KiB) between GPUs in one node: ≈ 10 µs on PCIe
#: (nccl-tests all_reduce_perf, small-message times); used for tensor parallelism.
ALLREDUCE_LATENCY_S = 10e-6
#: llama.cpp hands matmuls whose weights live in host memory to the GPU when a batch has at least 32 tokens,
#: streaming the weights over PCIe (ggml-cuda.cu, ``ggml_backend_cuda_device_offload_op``).
GPU_OFFLOAD_MIN_BATCH = 32


# ------------------------------------------------------------------------------------------ device rates

def weight_bandwidth(acc, prof: RuntimeProfile) -> float:
    """Bytes/s the runtime's mat-vec kernels stream from this device's memory."""
    bw = prof.bandwidth_efficiency * acc.memory_bandwidth
    if prof.bytes_per_unit_clock and acc.compute_units and acc.clock_hz:
        bw = min(bw, prof.bytes_per_unit_clock * acc.compute_units * acc.clock_hz)
    return bw


def matmul_rate(acc, prof: RuntimeProfile, storage: str) -> float:
    """FLOP/s of prompt-processing matrix products on this device."""
    quantized = storage == "quantized"
    if acc.kind == "cpu":
        peak = (acc.int8_tensor_ops if quantized and acc.int8_tensor_ops else acc.fp32_flops) or acc.fp16_tensor_flops
    else:
        peak = acc.fp16_tensor_flops
    rate = peak * (prof.matmul_efficiency_quantized if quantized else prof.matmul_efficiency_float)
    cap = prof.matmul_flops_per_unit_clock_quantized if quantized else prof.matmul_flops_per_unit_clock_float
    if cap and acc.compute_units and acc.clock_hz:
        rate = min(rate, cap * acc.compute_units * acc.clock_hz)
    return rate


def _alu_rate(acc) -> float:
    return acc.fp32_flops or acc.fp16_tensor_flops


def _kv_amplification(groups: int, prof: RuntimeProfile, flash_attention: bool) -> float:
    if flash_attention or prof.kv_read_per_group <= 0:
        return 1.0
    return max(1.0, prof.kv_read_per_group * groups)


def _span_sum(past, n, window):
    """Σ_{i=1..n} min(past + i, window) for arrays of ``past``/``n`` (window None = no cap)."""
    past = np.asarray(past, dtype=float)
    n = np.asarray(n, dtype=float)
    lo, hi = past + 1, past + n
    full = (lo + hi) * n / 2
    if window is None:
        return full
    w = float(window)
    below = np.clip(w - past, 0, n)  # tokens whose span is still under the window
    part = (lo + (past + below)) * below / 2 + w * (n - below)
    return np.where(hi <= w, full, np.where(lo > w, w * n, part))


# ------------------------------------------------------------------------------------------ decode

def _decode_parts(load: DeviceLoad, prof: RuntimeProfile, storage: str, fa: bool, context):
    """(weights s, kv s at context, overhead s) for one decoded token on one device."""
    acc = load.accelerator
    bw = weight_bandwidth(acc, prof)
    t_w = load.weight_bytes / bw
    if storage == "quantized" and prof.dequant_ops_per_weight:
        t_w = max(t_w, load.weight_elements * prof.dequant_ops_per_weight / _alu_rate(acc))
    t_kv = 0.0
    for g in load.attention:
        amp = _kv_amplification(g.query_groups, prof, fa)
        t_kv = t_kv + g.layers * g.span(context) * g.kv_bytes_per_position * amp / bw
    return t_w, t_kv, load.layers * prof.layer_overhead_s


def _decode_kv_sum(load: DeviceLoad, prof: RuntimeProfile, fa: bool, past: int, n: int) -> float:
    """Σ over n decoded tokens after ``past`` of the K/V seconds (closed form)."""
    bw = weight_bandwidth(load.accelerator, prof)
    total = 0.0
    for g in load.attention:
        amp = _kv_amplification(g.query_groups, prof, fa)
        total += g.layers * float(_span_sum(past, n, g.window)) * g.kv_bytes_per_position * amp / bw
    return total


def _allreduce_seconds(w: SpeedWorkload, tokens) -> float:
    n = len(w.devices)
    if w.split != "tensor" or n < 2:
        return 0.0
    link = w.interconnect_bandwidth or PCIE4_X16_BYTES_PER_S
    per = 2 * (n - 1) / n * w.hidden_size * 2 * np.asarray(tokens, dtype=float) / link + ALLREDUCE_LATENCY_S
    return 2 * w.total_layers * per  # one after attention, one after the MLP (Megatron-LM, arXiv:1909.08053)


def _profiles(w: SpeedWorkload):
    return [runtime_profile(w.runtime, d.accelerator.backend) for d in w.devices]


def _handoffs(w: SpeedWorkload, profs) -> float:
    """Seconds per token (or ubatch) for passing activations between the devices of a layer split."""
    if w.split != "layer" or len(w.devices) < 2:
        return 0.0
    return sum(max(a.device_handoff_s, b.device_handoff_s) for a, b in zip(profs, profs[1:]))


def decode_seconds(w: SpeedWorkload, context):
    """Seconds to decode one token that attends to ``context`` positions (itself included); arrays allowed."""
    ctx = np.asarray(context, dtype=float)
    if np.any(ctx < 1):
        raise PlannerError("context must be at least 1", field="context")
    profs = _profiles(w)
    per_dev = [sum(_decode_parts(d, p, w.storage, w.flash_attention, ctx)) for d, p in zip(w.devices, profs)]
    token = max(p.token_overhead_s for p in profs)
    if w.split == "tensor":
        t = np.maximum.reduce([np.broadcast_to(x, ctx.shape) for x in per_dev]) + _allreduce_seconds(w, 1)
    else:
        t = sum(per_dev) + _handoffs(w, profs)
    out = t + token
    return float(out) if np.ndim(out) == 0 else out


def decode_tokens_per_s(w: SpeedWorkload, context):
    """Decode tokens/s at ``context`` (scalar or array): decode slows as the cached context grows."""
    t = decode_seconds(w, context)
    return 1.0 / t


def generation_seconds(w: SpeedWorkload, past: int, n: int) -> float:
    """Seconds to generate ``n`` tokens after ``past`` cached ones (exact sum over the growing context)."""
    if n <= 0:
        return 0.0
    profs = _profiles(w)
    token = max(p.token_overhead_s for p in profs)
    fixed, kv = [], []
    for d, p in zip(w.devices, profs):
        t_w, _, t_o = _decode_parts(d, p, w.storage, w.flash_attention, 1.0)
        fixed.append(t_w + t_o)
        kv.append(_decode_kv_sum(d, p, w.flash_attention, past, n))
    if w.split == "tensor":
        # identical slices: the slowest device sets the pace at every step
        worst = max(range(len(fixed)), key=lambda i: fixed[i] * n + kv[i])
        return fixed[worst] * n + kv[worst] + _allreduce_seconds(w, 1) * n + token * n
    return (sum(fixed) + _handoffs(w, profs) + token) * n + sum(kv)


# ------------------------------------------------------------------------------------------ prefill

def _ubatches(tokens: int, past: int, ubatch: int):
    n_full, rem = divmod(int(tokens), ubatch)
    sizes = np.full(n_full, ubatch, dtype=float)
    if rem:
        sizes = np.append(sizes, float(rem))
    starts = past + np.concatenate([[0.0], np.cumsum(sizes)[:-1]]) if len(sizes) else np.zeros(0)
    return starts, sizes


def _prefill_device(load: DeviceLoad, prof: RuntimeProfile, w: SpeedWorkload, starts, sizes, compute_on=None):
    """Seconds per ubatch on one device (array over ubatches). ``compute_on``: the GPU that runs a CPU device's
    matmuls when llama.cpp offloads them (weights streamed over the host link)."""
    acc = load.accelerator
    F = matmul_rate(acc, prof, w.storage)
    bw_w = weight_bandwidth(acc, prof)
    weights = load.resident_bytes / bw_w
    if compute_on is not None:
        gpu, gprof = compute_on
        F = matmul_rate(gpu, gprof, w.storage)
        link = w.host_link_bandwidth or PCIE4_X16_BYTES_PER_S
        weights = load.resident_bytes / link
    t = sizes * load.matmul_flops / F + load.output_flops / F + weights + load.layers * prof.prefill_layer_overhead_s
    for g in load.attention:
        spans = _span_sum(starts, sizes, g.window)
        per_score = 0.0 if w.flash_attention else prof.score_bytes * g.query_heads / acc.memory_bandwidth
        t = t + g.layers * spans * (g.flops_per_position / F + per_score)
    return t


def prefill_seconds(w: SpeedWorkload, tokens: int, past: int = 0) -> float:
    """Seconds to process a prompt of ``tokens`` tokens after ``past`` cached ones, in ubatches."""
    if tokens <= 0:
        return 0.0
    starts, sizes = _ubatches(tokens, past, w.ubatch)
    profs = _profiles(w)
    gpu = next(((d.accelerator, p) for d, p in zip(w.devices, profs) if d.accelerator.kind != "cpu"), None)
    per_dev = []
    for d, p in zip(w.devices, profs):
        offload = gpu if (d.accelerator.kind == "cpu" and gpu is not None and w.runtime in ("llama.cpp", "ollama")
                          and w.ubatch >= GPU_OFFLOAD_MIN_BATCH) else None
        per_dev.append(_prefill_device(d, p, w, starts, sizes, offload))
    stack = np.vstack(per_dev)
    if len(w.devices) > 1 and w.split == "layer":
        stack[1:] += np.array([[max(a.device_handoff_s, b.device_handoff_s)] for a, b in zip(profs, profs[1:])])
    if w.split == "tensor":
        return float(stack.max(axis=0).sum() + np.sum(_allreduce_seconds(w, sizes)))
    if len(w.devices) == 1:
        return float(stack.sum())
    # pipeline within each batch: its first ubatch passes every stage in turn, the later ones follow at the pace
    # of the slowest stage; batches run one after another (llama.cpp PR #6017, n_batch > n_ubatch)
    per_batch = max(1, w.batch // w.ubatch)
    total = 0.0
    for first in range(0, stack.shape[1], per_batch):
        block = stack[:, first:first + per_batch]
        total += block[:, 0].sum() + block[:, 1:].max(axis=0).sum()
    return float(total)


def prefill_tokens_per_s(w: SpeedWorkload, tokens: int, past: int = 0) -> float:
    return tokens / prefill_seconds(w, tokens, past)


# ------------------------------------------------------------------------------------------ summary

@dataclass(frozen=True)
class SpeedEstimate:
    decode_tokens_per_s: float
    """Average over generating ``gen_tokens`` after the prompt (at the first generated token if gen is 0)."""
    prefill_tokens_per_s: float
    """Average over the prompt (over one ubatch from an empty cache if the prompt is empty)."""
    time_to_first_token_s: float
    decode_first_tokens_per_s: float
    decode_last_tokens_per_s: float
    bound: str
    """What limits decode: "memory", "compute" (unpacking quantised weights) or "overhead"."""
    runtime: str
    backends: tuple[str, ...]
    calibrated: bool
    basis: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "decode_tokens_per_s": self.decode_tokens_per_s,
            "prefill_tokens_per_s": self.prefill_tokens_per_s,
            "time_to_first_token_s": self.time_to_first_token_s,
            "decode_first_tokens_per_s": self.decode_first_tokens_per_s,
            "decode_last_tokens_per_s": self.decode_last_tokens_per_s,
            "bound": self.bound, "runtime": self.runtime, "backends": list(self.backends),
            "calibrated": self.calibrated, "basis": list(self.basis),
        }


def _bound(w: SpeedWorkload, profs) -> str:
    mem = comp = over = 0.0
    for d, p in zip(w.devices, profs):
        acc = d.accelerator
        m = d.weight_bytes / weight_bandwidth(acc, p)
        c = d.weight_elements * p.dequant_ops_per_weight / _alu_rate(acc) if w.storage == "quantized" else 0.0
        mem, comp, over = mem + m, comp + c, over + d.layers * p.layer_overhead_s
    over += max(p.token_overhead_s for p in profs)
    return max((("memory", mem), ("compute", comp), ("overhead", over)), key=lambda kv: kv[1])[0]


def estimate_speed(w: SpeedWorkload, prompt_tokens: int, gen_tokens: int) -> SpeedEstimate:
    """Decode tokens/s averaged over ``gen_tokens`` after a ``prompt_tokens`` prompt, and prefill tokens/s."""
    if prompt_tokens < 0 or gen_tokens < 0:
        raise PlannerError("token counts must not be negative")
    profs = _profiles(w)
    if gen_tokens:
        decode = gen_tokens / generation_seconds(w, prompt_tokens, gen_tokens)
    else:
        decode = decode_tokens_per_s(w, prompt_tokens + 1)
    n_prompt = prompt_tokens or w.ubatch
    t_prompt = prefill_seconds(w, n_prompt)
    ends = decode_seconds(w, np.array([prompt_tokens + 1, prompt_tokens + max(gen_tokens, 1)], dtype=float))
    return SpeedEstimate(
        decode_tokens_per_s=float(decode), prefill_tokens_per_s=float(n_prompt / t_prompt),
        time_to_first_token_s=float(t_prompt if prompt_tokens else ends[0]),
        decode_first_tokens_per_s=float(1 / ends[0]), decode_last_tokens_per_s=float(1 / ends[1]),
        bound=_bound(w, profs), runtime=w.runtime,
        backends=tuple(d.accelerator.backend for d in w.devices),
        calibrated=all(p.calibrated for p in profs),
        basis=tuple(dict.fromkeys(p.basis for p in profs)),
    )


def rule_of_thumb_tokens_per_s(bandwidth: float, model_bytes: float, factor: float = 0.55) -> float:
    """The widely quoted estimate ``bandwidth ÷ model size × 0.55`` (shown beside ours for comparison)."""
    if model_bytes <= 0:
        raise PlannerError("model size must be positive")
    return bandwidth / model_bytes * factor

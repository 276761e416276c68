"""What the speed model needs to know about a placed model: per device, the bytes and FLOPs of one token.

These plain records are the interface between the memory engine (which decides what lives where and in which
format) and :mod:`llmplanner.core.speed` (which turns bytes and FLOPs into seconds). The builders at the end
derive them from an :class:`~llmplanner.core.architecture.Architecture` for callers that know only the
weight bytes (tests, quick estimates); the memory engine can fill the fields from its per-tensor sizes.

Byte counts are exact units (bytes, not GiB); FLOPs count a multiply and an add as two (Kaplan et al. 2020,
as in :mod:`llmplanner.core.flops`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .architecture import Architecture
from .errors import PlannerError
from .flops import attention_flops_per_position, matmul_params
from .hardware import Accelerator

RUNTIMES = ("llama.cpp", "ollama", "vllm", "transformers")
STORAGE = ("float", "quantized")  # F16/BF16/F32 weights vs block-quantised (GGUF k-quants, GPTQ, AWQ, NF4 ...)
SPLITS = ("layer", "tensor")


@dataclass(frozen=True)
class AttentionLayers:
    """A group of identical attention layers on one device (all full-attention, or all with one window)."""

    layers: int
    kv_bytes_per_position: float
    """K and V bytes one layer stores per cached position (every KV head, at the cache's type)."""
    flops_per_position: float
    """FLOPs of one query against one cached position in one layer: 2·H·(d_qk + d_v)."""
    query_heads: int
    query_groups: int = 1
    """Query heads that share one K/V head (1 for MHA, H/KV for GQA, H for MQA and MLA's latent cache)."""
    window: int | None = None
    """Sliding window: a layer attends to at most this many positions. None = full attention."""

    def span(self, context):
        """Positions a query at ``context`` (itself included) attends to in these layers."""
        if self.window is None:
            return context
        import numpy as np

        return np.minimum(context, self.window)


@dataclass(frozen=True)
class DeviceLoad:
    """One device's share of a model: what it reads and computes for each token."""

    accelerator: Accelerator
    layers: int
    weight_bytes: float
    """Weight bytes read per decoded token (MoE: only the routed experts' bytes; embeddings excluded — a token
    reads one row of the lookup table)."""
    matmul_flops: float
    """Matmul FLOPs per token in this device's repeating layers (2 × active matrix parameters)."""
    attention: tuple[AttentionLayers, ...] = ()
    resident_weight_bytes: float | None = None
    """All weights the device holds (MoE: every expert). A prompt ubatch touches them all. Default: weight_bytes."""
    output_flops: float = 0.0
    """FLOPs of the output projection (lm_head), if this device holds it; prompt processing computes it for the
    last token only (llama.cpp's ``inp_out_ids``)."""

    def __post_init__(self):
        if self.layers < 0 or self.weight_bytes < 0 or self.matmul_flops < 0:
            raise PlannerError("a device load needs non-negative layers, bytes and FLOPs")

    @property
    def resident_bytes(self) -> float:
        return self.weight_bytes if self.resident_weight_bytes is None else self.resident_weight_bytes

    @property
    def weight_elements(self) -> float:
        """Weights a decoded token multiplies with (one multiply-add each)."""
        return (self.matmul_flops + self.output_flops) / 2


@dataclass(frozen=True)
class SpeedWorkload:
    """A model placed on one or more devices, run by one runtime."""

    devices: tuple[DeviceLoad, ...]
    runtime: str = "llama.cpp"
    storage: str = "quantized"
    split: str = "layer"
    """"layer": devices hold consecutive layers and run in turn (llama.cpp ``-sm layer``, CPU/GPU offload,
    pipeline parallel); "tensor": every device holds a slice of every layer (tensor parallel, ``-sm row``)."""
    flash_attention: bool = False
    hidden_size: int = 0
    """Width of the activations passed between devices (hand-offs, all-reduces)."""
    interconnect_bandwidth: float | None = None
    """Bytes/s between GPUs (NVLink, PCIe). None: PCIe 4.0 x16."""
    host_link_bandwidth: float | None = None
    """Bytes/s between host memory and a GPU (weights streamed for CPU-resident layers). None: PCIe 4.0 x16."""
    ubatch: int = 512
    """Tokens per prompt-processing step (llama.cpp ``n_ubatch``, default 512)."""
    batch: int = 2048
    """Tokens handed to the runtime at once (llama.cpp ``n_batch``, default 2048); with several GPUs in a layer
    split, the ubatches of one batch flow through them as a pipeline (llama.cpp PR #6017)."""

    def __post_init__(self):
        if not self.devices:
            raise PlannerError("a speed estimate needs at least one device")
        if self.runtime not in RUNTIMES:
            from .errors import UnknownNameError

            raise UnknownNameError("runtime", self.runtime, RUNTIMES, field="runtime")
        if self.storage not in STORAGE:
            raise PlannerError(f"weight storage must be one of {', '.join(STORAGE)}, not {self.storage!r}",
                               field="storage")
        if self.split not in SPLITS:
            raise PlannerError(f"split must be one of {', '.join(SPLITS)}, not {self.split!r}", field="split")
        if self.ubatch < 1 or self.batch < 1:
            raise PlannerError("batch and ubatch must be at least 1", field="ubatch")

    @property
    def total_layers(self) -> int:
        return self.devices[0].layers if self.split == "tensor" else sum(d.layers for d in self.devices)


# ------------------------------------------------------------------------------------------- builders

def kv_elements_per_position(arch: Architecture) -> int:
    """Cache elements one layer stores per position: K and V of every KV head, or MLA's latent vector.

    MLA (DeepSeek-V2, arXiv:2405.04434 §2.1) caches the compressed c_KV (kv_lora_rank) and the decoupled RoPE key
    (qk_rope_head_dim), as llama.cpp does since it gained MLA support.
    """
    a = arch.attention
    if a.kind == "mla":
        return a.kv_lora_rank + a.qk_rope_head_dim
    return a.num_kv_heads * (a.qk_head_dim + a.value_head_dim)


def attention_layers(arch: Architecture, layer_ids, kv_bytes_per_element: float = 2.0) -> tuple[AttentionLayers, ...]:
    """Attention groups (full and sliding-window) for the given layers of ``arch``."""
    a = arch.attention
    per_pos = kv_elements_per_position(arch) * kv_bytes_per_element
    flops = attention_flops_per_position(arch)
    groups = a.num_heads if a.kind == "mla" else max(1, a.num_heads // a.num_kv_heads)
    full = sum(1 for i in layer_ids if not a.is_sliding(i))
    sliding = sum(1 for i in layer_ids if a.is_sliding(i))
    out = []
    if full:
        out.append(AttentionLayers(full, per_pos, flops, a.num_heads, groups))
    if sliding:
        out.append(AttentionLayers(sliding, per_pos, flops, a.num_heads, groups, a.sliding_window))
    return tuple(out)


def _layer_matmul_flops(arch: Architecture) -> tuple[float, float]:
    """(FLOPs of all repeating layers per token, FLOPs of the output projection per token)."""
    total = 2 * matmul_params(arch)
    emb = arch.embeddings
    head = 2 * emb.vocab_size * (emb.projection_dim or arch.hidden_size) if arch.causal else 0
    return total - head, head


def split_workload(arch: Architecture, accelerators, weight_bytes: float, *, layers_per_device=None,
                   runtime: str = "llama.cpp", storage: str = "quantized", kv_bytes_per_element: float = 2.0,
                   resident_weight_bytes: float | None = None, flash_attention: bool = False, split: str = "layer",
                   **workload_options) -> SpeedWorkload:
    """A workload from the total weight bytes a token reads, spread over devices by layers.

    ``weight_bytes`` is what one decoded token reads in all (embeddings excluded); it is apportioned to devices
    by their share of the layers, and the output layer goes with the last device (llama.cpp's placement).
    ``resident_weight_bytes`` (MoE: every expert) is apportioned the same way; default ``weight_bytes``.
    For ``split="tensor"`` every device gets 1/N of every layer.
    """
    accs = list(accelerators)
    if not accs:
        raise PlannerError("no device given")
    n_layers = arch.num_layers
    layer_flops, head_flops = _layer_matmul_flops(arch)
    resident = float(weight_bytes if resident_weight_bytes is None else resident_weight_bytes)
    if resident < weight_bytes:
        raise PlannerError("resident weight bytes cannot be fewer than the bytes a token reads")
    frac = weight_bytes / resident if weight_bytes > 0 and resident > 0 else 1.0
    if split == "tensor":
        n = len(accs)
        loads = tuple(DeviceLoad(acc, n_layers, weight_bytes / n, layer_flops / n,
                                 tuple(replace(g, kv_bytes_per_position=g.kv_bytes_per_position / n,
                                               query_heads=max(1, g.query_heads // n))
                                       for g in attention_layers(arch, range(n_layers), kv_bytes_per_element)),
                                 resident_weight_bytes=weight_bytes / frac / n, output_flops=head_flops / n)
                      for acc in accs)
        return SpeedWorkload(loads, runtime=runtime, storage=storage, split="tensor", flash_attention=flash_attention,
                             hidden_size=arch.hidden_size, **workload_options)
    if layers_per_device is None:
        base, extra = divmod(n_layers, len(accs))
        layers_per_device = [base + (1 if i < extra else 0) for i in range(len(accs))]
    if sum(layers_per_device) != n_layers or len(layers_per_device) != len(accs):
        raise PlannerError(f"layers_per_device must give all {n_layers} layers to the {len(accs)} devices")
    head_share = head_flops / (layer_flops + head_flops) if layer_flops + head_flops else 0.0
    layer_bytes = weight_bytes * (1 - head_share)
    loads, start = [], 0
    for i, (acc, n) in enumerate(zip(accs, layers_per_device)):
        last = i == len(accs) - 1
        wb = layer_bytes * n / n_layers + (weight_bytes * head_share if last else 0.0)
        loads.append(DeviceLoad(acc, n, wb, layer_flops * n / n_layers,
                                attention_layers(arch, range(start, start + n), kv_bytes_per_element),
                                resident_weight_bytes=wb / frac, output_flops=head_flops if last else 0.0))
        start += n
    return SpeedWorkload(tuple(loads), runtime=runtime, storage=storage, split="layer", flash_attention=flash_attention,
                         hidden_size=arch.hidden_size, **workload_options)

"""How data parallelism with ZeRO and tensor parallelism divide the model states among GPUs.

ZeRO (Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
arXiv:1910.02054) §5 and Figure 1, for Ψ parameters over N data-parallel GPUs with mixed-precision Adam:

=========  ==========================  ==============================
stage      partitioned                 bytes per GPU
=========  ==========================  ==============================
0 (DDP)    nothing                     (2 + 2 + 12)Ψ = 16Ψ
1 (P_os)   optimizer states            2Ψ + 2Ψ + 12Ψ/N  = 4Ψ + 12Ψ/N
2 (P_g)    … and gradients             2Ψ + (2 + 12)Ψ/N = 2Ψ + 14Ψ/N
3 (P_p)    … and parameters            (2 + 2 + 12)Ψ/N  = 16Ψ/N
=========  ==========================  ==============================

(Figure 1: Ψ = 7.5B, N = 64 → 120 GB, 31.4 GB, 16.6 GB, 1.9 GB.) ZeRO partitions the flattened tensors evenly,
so a GPU holds ⌈bytes/N⌉. The "optimizer states" include the fp32 master weights (ZeRO's K = 12).

Tensor parallelism (Megatron-LM, Shoeybi et al. 2019 arXiv:1909.08053 §3) splits every weight matrix t ways
(column- and row-parallel linears, the vocabulary-parallel embedding); 1-D tensors (norm weights, biases)
stay whole on each rank. ZeRO then partitions each tensor-parallel shard over its data-parallel group.

Stage 3 has to gather the other ranks' part of the parameters of the block it is computing: at least the
largest block's 16-bit weights × (N − 1)/N live at once (more with DeepSpeed's prefetch,
``stage3_prefetch_bucket_size``), counted as overhead.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def tp_shard_shape(shape: tuple[int, ...], t: int) -> tuple[int, ...]:
    """The shape one tensor-parallel rank holds: matrices split along their output rows, vectors whole."""
    if t == 1 or len(shape) < 2:
        return shape
    return shape[:-2] + (ceil_div(shape[-2], t), shape[-1])


@dataclass(frozen=True)
class ModelStates:
    """Bytes of weights, gradients and optimizer states (master weights included) on one GPU."""

    weights: int
    gradients: int
    optimizer: int

    @property
    def total(self) -> int:
        return self.weights + self.gradients + self.optimizer


def zero_partition(states: ModelStates, stage: int, n: int) -> ModelStates:
    """What one of ``n`` data-parallel GPUs keeps of ``states`` under ZeRO ``stage``."""
    if stage not in (0, 1, 2, 3):
        raise ConfigError(f"ZeRO stage must be 0–3, got {stage!r}", field="zero_stage")
    part = lambda x: ceil_div(x, n)  # noqa: E731
    return ModelStates(
        weights=part(states.weights) if stage >= 3 else states.weights,
        gradients=part(states.gradients) if stage >= 2 else states.gradients,
        optimizer=part(states.optimizer) if stage >= 1 else states.optimizer,
    )


def zero_per_gpu_bytes(params: int, stage: int, n: int, *, weight_bytes: int = 2, grad_bytes: int = 2,
                       optimizer_bytes: int = 12) -> int:
    """ZeRO's per-device model-state memory for ``params`` parameters (Figure 1's formula, K = 12)."""
    states = ModelStates(params * weight_bytes, params * grad_bytes, params * optimizer_bytes)
    return zero_partition(states, stage, n).total

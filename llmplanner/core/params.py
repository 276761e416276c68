"""Exact parameter counts, total and active per token, with a per-component and per-layer breakdown.

The count is the sum of the tensor inventory (``tensors.inventory``), under transformers' convention: a
tied embedding counts once, buffers do not count. "Active" is what one token's forward pass reads: every
dense tensor and ``experts_per_token`` of the routed experts (Mixtral's "12.9B active of 46.7B",
arXiv:2401.04088 §2.1; DeepSeek-V3's "37B activated of 671B", arXiv:2412.19437 §1).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .architecture import Architecture
from .tensors import COMPONENTS, inventory


@dataclass(frozen=True)
class ParamCount:
    total: int
    active: int
    breakdown: dict[str, int]
    active_breakdown: dict[str, int]
    per_layer: tuple[dict[str, int], ...] = field(repr=False, default=())
    """One dict per transformer layer: component → parameters in that layer (embeddings and head excluded)."""

    @property
    def non_embedding(self) -> int:
        """Parameters outside the embedding tables (Kaplan et al. 2020's N; Pythia's 'non-embedding')."""
        return self.total - self.breakdown.get("embeddings", 0) - self.breakdown.get("output", 0)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "active": self.active,
            "non_embedding": self.non_embedding,
            "breakdown": dict(self.breakdown),
            "active_breakdown": dict(self.active_breakdown),
        }


@lru_cache(maxsize=64)
def count_params(arch: Architecture) -> ParamCount:
    """Exact total and active parameter counts of ``arch``."""
    breakdown = dict.fromkeys(COMPONENTS, 0)
    active = dict.fromkeys(COMPONENTS, 0)
    per_layer = [dict.fromkeys(COMPONENTS, 0) for _ in range(arch.num_layers)]
    for t in inventory(arch):
        breakdown[t.component] += t.numel
        active[t.component] += t.active_numel
        if t.layer is not None:
            per_layer[t.layer][t.component] += t.numel
    return ParamCount(
        total=sum(breakdown.values()),
        active=sum(active.values()),
        breakdown=breakdown,
        active_breakdown=active,
        per_layer=tuple(per_layer),
    )

"""The inverse question: the smallest hardware from the catalogue that runs a plan at a target decode speed.

Every catalogue device is tried alone — each GPU, each Apple chip in each of its unified-memory sizes, each
CPU platform with its typical RAM — with the plan's model, format, runtime and context: a GPU or chip must hold
the model on the GPU (``fit`` says fits or tight), a CPU platform in its RAM; the decode speed is the speed
engine's (``speed_estimate``). "Smallest" is the least memory the plan can use (a GPU's memory, an Apple
GPU's working set, a CPU platform's RAM), then the least bandwidth: the least hardware that does the job; each
pick says its tier (``tiers``).

Two sound bounds skip devices without an estimate: a format stores every weight in at least its nominal bits
(``WeightFormat.bits``), so the weights need at least ``parameters × bits / 8`` bytes; and a token reads at
least every matrix it multiplies (``flops.matmul_params``) in those bits, which no device streams faster than
its spec-sheet bandwidth.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import PlannerError
from .estimate import EstimateRequest
from .flops import matmul_params
from .formats import get_format
from .hardware import Accelerator, all_accelerators
from .params import count_params
from .recommend import evaluate
from .target import Target, target_from_catalogue
from .tiers import TIERS


@dataclass(frozen=True)
class SpeedPick:
    device: str
    kind: str
    memory_bytes: int
    """Memory the plan can use: the GPU's, the Apple GPU's working set, the CPU platform's RAM."""
    tier: str
    verdict: str
    decode_tokens_per_s: float
    prefill_tokens_per_s: float | None
    label: str

    def as_dict(self) -> dict:
        return {"device": self.device, "kind": self.kind, "memory_bytes": self.memory_bytes, "tier": self.tier,
                "verdict": self.verdict, "decode_tokens_per_s": self.decode_tokens_per_s,
                "prefill_tokens_per_s": self.prefill_tokens_per_s, "label": self.label}


def _targets() -> list[tuple[Accelerator, Target]]:
    out = []
    for acc in all_accelerators():
        if acc.kind == "soc":
            for size in sorted(set(acc.memory_options) or {acc.memory_bytes}):
                out.append((acc.with_memory(size), target_from_catalogue(acc.name, ram_bytes=size)))
        elif acc.kind == "cpu":
            out.append((acc, target_from_catalogue(acc.id)))
        else:
            out.append((acc, target_from_catalogue(acc.name)))
    return out


def smallest_for_speed(base: EstimateRequest, tokens_per_s: float, *, limit: int = 10) -> tuple[SpeedPick, ...]:
    """Catalogue devices that run ``base`` (its format, runtime, context) alone at ``tokens_per_s`` or faster,
    smallest first (see the module docstring); at most ``limit``."""
    if not tokens_per_s > 0:
        raise PlannerError("the target speed must be a positive number of tokens/s", field="tokens_per_s")
    req = base.resolved()
    bits = get_format(req.weight_format).bits
    weights_floor = count_params(req.arch).total * bits / 8
    read_floor = matmul_params(req.arch) * bits / 8
    picks = []
    for acc, target in _targets():
        is_cpu = acc.kind == "cpu"
        if req.runtime == "vllm" and is_cpu:
            continue
        capacity = target.ram_bytes if is_cpu else target.gpu_memory_bytes
        if not capacity or weights_floor > capacity or acc.memory_bandwidth / read_floor < tokens_per_s:
            continue
        try:
            o = evaluate(replace(req, hardware=target.hardware), target, req.weight_format, with_context=False)
        except PlannerError:
            continue
        placed = o.verdict == "cpu" if is_cpu else o.on_gpu
        if not placed or o.decode_tokens_per_s is None or o.decode_tokens_per_s < tokens_per_s:
            continue
        picks.append(SpeedPick(acc.name, acc.kind, capacity, target.tier.tier, o.verdict, o.decode_tokens_per_s,
                               o.prefill_tokens_per_s, target.label))
    picks.sort(key=lambda p: (p.memory_bytes, p.decode_tokens_per_s, TIERS.index(p.tier)))
    return tuple(picks[:limit])

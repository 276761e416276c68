"""The common advice per hardware tier, checked against our own numbers.

The advice (the project's brief, issue #3 "Fit and recommendation"; it is also what most local-LLM guides
repeat): models of at most 3B parameters quantised on a CPU-only machine, 7B at 4 bits on an 8–12 GB GPU, 13B
at 4 bits on 16–24 GB, 30B/70B (or a mixture of experts) on 40 GB and more.

For each tier the check takes two machines from the hardware catalogue: the **floor** (the GPU of the tier
with the least memory, the slowest of those; for CPU-only, the slowest desktop or laptop CPU platform with
its typical RAM) — what a user of the tier can count on — and the **ceiling** (the most memory, the fastest).
It then asks the engines, at the plan's runtime and context, in the runtime's usual 4-bit format
(``FOUR_BIT``):

- does the advised model (the built-in preset nearest to each advised size) meet the tier's criterion on the
  floor? GPU tiers: it fits on the GPU (``fit`` says fits or tight); CPU-only: it fits in RAM and decodes at
  reading speed or faster (``recommend.READING_TOKENS_PER_S``; on a CPU memory is rarely what stops a small
  model, speed is);
- what is the largest preset that meets it on the floor, and on the ceiling?

and says whether our numbers agree with the advice, are more generous (the floor already holds a model as
large as the next tier's advice) or stricter (the advised model does not meet the criterion on the floor).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import PlannerError
from .estimate import EstimateRequest
from .hardware import Accelerator, all_accelerators
from .memory import runtime_id
from .params import count_params
from .presets import Preset, all_presets
from .recommend import READING_TOKENS_PER_S, FormatOption, evaluate
from .target import Target, target_from_catalogue
from .tiers import TIERS, tier_for_bytes

FOUR_BIT = {"llama.cpp": "q4_k_m", "ollama": "q4_k_m", "transformers": "nf4", "vllm": "awq-int4"}
"""The usual 4-bit format of each runtime: Q4_K_M, the default of Ollama's model library and the size llama.cpp's
``llama-quantize`` help marks as recommended; NF4, transformers' ``load_in_4bit`` (QLoRA, arXiv:2305.14314);
AWQ, the 4-bit scheme vLLM's quantization docs lead with."""


@dataclass(frozen=True)
class SeedAdvice:
    tier: str
    text: str
    sizes: tuple[float, ...]
    """Advised model sizes in billions of parameters."""


SEED_ADVICE = (
    SeedAdvice("cpu-only", "≤3B quantised on the CPU", (3.0,)),
    SeedAdvice("8-12GB", "7B at 4 bits", (7.0,)),
    SeedAdvice("16-24GB", "13B at 4 bits", (13.0,)),
    SeedAdvice("40GB+", "30B/70B at 4 bits, or a mixture of experts", (30.0, 70.0)),
)


@dataclass(frozen=True)
class ModelCheck:
    preset: str
    params: int
    option: FormatOption
    meets: bool


@dataclass(frozen=True)
class TierCheck:
    tier: str
    advice: str
    format: str
    floor: str
    """The floor machine's label."""
    ceiling: str
    advised: tuple[ModelCheck, ...]
    largest_on_floor: ModelCheck | None
    largest_on_ceiling: ModelCheck | None
    agreement: str
    """``agrees``, ``ours larger`` (the floor holds more than advised) or ``ours smaller``."""
    summary: str

    def as_dict(self) -> dict:
        def m(c):
            return None if c is None else {"preset": c.preset, "params": c.params, "verdict": c.option.verdict,
                                           "memory_bytes": c.option.memory_bytes,
                                           "decode_tokens_per_s": c.option.decode_tokens_per_s, "meets": c.meets}
        return {"tier": self.tier, "advice": self.advice, "format": self.format, "floor": self.floor,
                "ceiling": self.ceiling, "advised": [m(c) for c in self.advised],
                "largest_on_floor": m(self.largest_on_floor), "largest_on_ceiling": m(self.largest_on_ceiling),
                "agreement": self.agreement, "summary": self.summary}


def _gpu_tier_machines(tier: str) -> tuple[Accelerator, Accelerator] | None:
    gpus = [a for a in all_accelerators() if a.kind == "gpu" and a.default_variant
            and tier_for_bytes(a.usable_memory_bytes or a.memory_bytes) == tier]
    if not gpus:
        return None
    floor = min(gpus, key=lambda a: (a.memory_bytes, a.memory_bandwidth))
    ceiling = max(gpus, key=lambda a: (a.memory_bytes, a.memory_bandwidth))
    return floor, ceiling


def _cpu_machines() -> tuple[Accelerator, Accelerator]:
    cpus = [a for a in all_accelerators() if a.kind == "cpu" and a.segment in ("desktop", "laptop")]
    return min(cpus, key=lambda a: a.memory_bandwidth), max(cpus, key=lambda a: a.memory_bandwidth)


def tier_machines(tier: str) -> tuple[Target, Target] | None:
    """(floor, ceiling) machines of ``tier`` from the catalogue (see the module docstring)."""
    if tier not in TIERS:
        raise PlannerError(f"unknown tier {tier!r} (one of {', '.join(TIERS)})", field="tier")
    if tier == "cpu-only":
        lo, hi = _cpu_machines()
        return target_from_catalogue(lo.id), target_from_catalogue(hi.id)
    found = _gpu_tier_machines(tier)
    if found is None:
        return None
    return target_from_catalogue(found[0].name), target_from_catalogue(found[1].name)


def _meets(tier: str, o: FormatOption) -> bool:
    if tier == "cpu-only":
        return o.runs and o.decode_tokens_per_s is not None and o.decode_tokens_per_s >= READING_TOKENS_PER_S
    return o.on_gpu


def _capacity(tier: str, target: Target) -> int | None:
    return target.ram_bytes if tier == "cpu-only" else target.gpu_memory_bytes


def _candidates(context: int) -> list[tuple[Preset, int]]:
    out = []
    for p in all_presets():
        arch = p.architecture()
        if arch.causal and arch.max_context >= context:
            out.append((p, p.total_params or count_params(arch).total))
    return sorted(out, key=lambda pc: -pc[1])


def _check(base: EstimateRequest, tier: str, target: Target, preset: Preset, params: int, fmt: str) -> ModelCheck:
    o = evaluate(replace(base, arch=preset.architecture(), header_tensor_types=None), target, fmt,
                 with_context=False)
    return ModelCheck(preset.name, params, o, _meets(tier, o))


def _largest(base, tier, target, candidates, fmt) -> ModelCheck | None:
    """The largest preset meeting the tier's criterion on ``target``. Presets whose weights alone cannot fit
    are skipped without an estimate: a 4-bit format stores every weight in at least its nominal bits
    (``WeightFormat.bits``), so ``params × bits / 8`` bytes is a lower bound of its weights."""
    from .formats import get_format

    bits = get_format(fmt).bits
    cap = _capacity(tier, target)
    for p, params in candidates:
        if cap is not None and params * bits / 8 > cap:
            continue
        try:
            c = _check(base, tier, target, p, params, fmt)
        except PlannerError:
            continue
        if c.meets:
            return c
    return None


def _nearest(candidates, size_b: float):
    return min(candidates, key=lambda pc: (abs(pc[1] / 1e9 - size_b), pc[0].name))


def _b(params: int) -> str:
    return f"{params / 1e9:.1f}B"


def check_tier(base: EstimateRequest, advice: SeedAdvice) -> TierCheck | None:
    """One tier's advice against our numbers at ``base``'s runtime and context; None if the catalogue has no
    machine of that tier."""
    base = base.resolved()
    machines = tier_machines(advice.tier)
    if machines is None:
        return None
    floor, ceiling = machines
    fmt = FOUR_BIT[runtime_id(base.runtime)]
    candidates = _candidates(base.context)
    advised = []
    for size in advice.sizes:
        p, params = _nearest(candidates, size)
        advised.append(_check(base, advice.tier, floor, p, params, fmt))
    on_floor = _largest(base, advice.tier, floor, candidates, fmt)
    on_ceiling = _largest(base, advice.tier, ceiling, candidates, fmt)
    nxt = [a for a in SEED_ADVICE if TIERS.index(a.tier) == TIERS.index(advice.tier) + 1]
    what = "fits on the GPU" if advice.tier != "cpu-only" else \
        f"runs at reading speed ({READING_TOKENS_PER_S:.1f} tokens/s) or faster"
    largest = (f"the largest preset that {what} at 4 bits is {on_floor.preset} ({_b(on_floor.params)})"
               if on_floor else f"no preset {what} at 4 bits")
    failing = [c for c in advised if not c.meets]
    if failing:
        c = failing[0]
        agreement = "ours smaller"
        summary = (f"Our numbers disagree: {c.preset} ({_b(c.params)}) does not meet it on {floor.label} "
                   f"({c.option.verdict_label}); {largest}.")
    elif nxt and on_floor is not None and on_floor.params >= min(nxt[0].sizes) * 1e9 * 0.95:
        agreement = "ours larger"
        summary = (f"Our numbers allow more: on {floor.label}, {largest}, as large as the next tier's "
                   f"advice ({nxt[0].text}).")
    else:
        agreement = "agrees"
        summary = f"Our numbers agree: on {floor.label}, {largest}."
    return TierCheck(advice.tier, advice.text, fmt, floor.label, ceiling.label, tuple(advised), on_floor,
                     on_ceiling, agreement, summary)


def check_all_tiers(base: EstimateRequest) -> tuple[TierCheck, ...]:
    return tuple(c for a in SEED_ADVICE if (c := check_tier(base, a)) is not None)

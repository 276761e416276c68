"""For one model on one machine: every weight format's verdict, longest context and speed, and the best choice.

Each row (``FormatOption``) comes from the engines: ``fit.fit`` for the verdict and the placement (all on the
GPU, llama.cpp's partial offload with N of L layers, CPU only), ``fit.longest_context`` for the context,
``speed_estimate.speed_for`` for decode/prefill tokens/s of that placement (decode averaged over 128 tokens
after a 512-token prompt, as ``llama-bench -p 512 -n 128`` measures), ``quality.quality_cost`` for the
published cost.

Quality order (``quality_order``). A format's quality is its published perplexity increase relative to the
16-bit baseline (``QualityCost.relative_ppl``: llama.cpp's scoreboard, the AWQ paper …; 16-bit floats are
the baseline, cost 0). A format with no published figure is ranked as no better than the worst published
format with at least as many nominal bits (an FP8 or INT8 below the 16-bit floats, NF4 below the published
4-bit schemes): an unmeasured format is never put above a measured one. Equal costs go to the format with
fewer nominal bits (it is faster and leaves more room for context).

The quality frontier (``frontier``): the formats no other format beats on both nominal bits and cost — the
ones worth considering when only the best choice matters (``what_fits``).

Formats a checkpoint must have been trained in (``TRAINED_ONLY``: ternary TQ1_0/TQ2_0, Q1_0, MXFP4) are left
out: quantising an ordinary 16-bit model to them destroys it.

The best choice (``choose``), among the runnable rows (not "does not fit"):

1. formats of at least ``MIN_USEFUL_BITS`` nominal bits when any runs: Dettmers & Zettlemoyer 2023, "The case
   for 4-bit precision: k-bit Inference Scaling Laws" (ICML, arXiv:2212.09720) find 4-bit almost universally
   optimal for accuracy per model bit, with quality falling off below it — a larger model squeezed under
   4 bits is not the better answer;
2. of those, the ones whose decode reaches reading speed (``READING_TOKENS_PER_S``) when any does — then the
   better placement (on the GPU with headroom, tight, partial offload, CPU only) and within it the best
   quality; when none reaches reading speed, the fastest.

Runtime limits the memory engines do not know: transformers runs FP8 weights only on GPUs (its quantization
overview, docs/source/en/quantization/overview.md: fbgemm_fp8 and fine-grained FP8 have no CPU kernels), so an
FP8 placement with layers on the CPU is not runnable.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .errors import PlannerError
from .estimate import EstimateRequest
from .fit import VERDICTS, FitResult, fit, longest_context
from .formats import WeightFormat, all_formats, get_format, quality_cost
from .quality import QualityCost
from .target import Target

TRAINED_ONLY = frozenset({"tq1_0", "tq2_0", "q1_0", "mxfp4", "mxfp4_moe"})
"""Formats only a model trained (or released) in them can use: BitNet b1.58's ternary weights (TQ1_0,
TQ2_0), 1-bit Q1_0, gpt-oss's MXFP4 experts (llama.cpp ``tools/quantize/quantize.cpp`` lists them for such
models)."""

READING_WORDS_PER_MIN = 238
"""Average silent reading rate of adults for non-fiction in English: Brysbaert 2019, "How many words do we
read per minute? A review and meta-analysis of reading rate", Journal of Memory and Language 109, 104047."""
TOKENS_PER_WORD = 4 / 3
"""OpenAI, "What are tokens and how to count them?" (help.openai.com): one token is about ¾ of an English
word."""
READING_TOKENS_PER_S = READING_WORDS_PER_MIN / 60 * TOKENS_PER_WORD
"""≈ 5.3 tokens/s: generation slower than this makes a reader wait for the text."""

MIN_USEFUL_BITS = 4
"""See the module docstring (Dettmers & Zettlemoyer 2023)."""

PLACEMENT_ORDER = ("fits", "tight", "partial", "cpu")


@dataclass(frozen=True)
class FormatOption:
    """One weight format on the target machine."""

    format: str
    label: str
    bits: float
    kind: str
    """The format's kind (``float`` for the 16/32-bit baselines, ``gguf``, ``bitsandbytes`` …)."""
    verdict: str
    verdict_label: str
    gpu_layers: int
    total_layers: int
    """llama.cpp's count: the repeating layers plus the output layer (``-ngl`` all = L + 1)."""
    weights_bytes: int
    memory_bytes: int
    """Everything the runtime allocates for this placement, all devices."""
    gpu_bytes: int
    """On the busiest GPU (0 without a GPU)."""
    cpu_bytes: int
    free_gpu_bytes: int | None
    longest_context: int
    """The longest context (tokens) at which the verdict stays as good (see ``evaluate``); 0 if none."""
    decode_tokens_per_s: float | None
    prefill_tokens_per_s: float | None
    quality: QualityCost | None
    quality_rank: int
    """0 for the best quality among the rows."""
    assumed_quality: bool = False
    """True when ``quality`` is None and the rank comes from the rule for unmeasured formats."""
    speed_note: str = ""
    runtime: str = ""
    context: int = 0
    kv_format: str = ""
    flash_attention: bool = False
    fit: FitResult | None = field(default=None, compare=False, repr=False)

    @property
    def runs(self) -> bool:
        return self.verdict != "no"

    @property
    def on_gpu(self) -> bool:
        return self.verdict in ("fits", "tight")

    def as_dict(self) -> dict:
        q = self.quality
        return {
            "format": self.format, "label": self.label, "bits": self.bits, "kind": self.kind,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label, "gpu_layers": self.gpu_layers, "total_layers": self.total_layers,
            "weights_bytes": self.weights_bytes, "memory_bytes": self.memory_bytes, "gpu_bytes": self.gpu_bytes,
            "cpu_bytes": self.cpu_bytes, "free_gpu_bytes": self.free_gpu_bytes,
            "longest_context": self.longest_context, "decode_tokens_per_s": self.decode_tokens_per_s,
            "prefill_tokens_per_s": self.prefill_tokens_per_s, "quality_rank": self.quality_rank,
            "quality": None if q is None else {"relative_ppl": q.relative_ppl, "delta_ppl": q.delta_ppl,
                                               "kld": q.kld, "measured_on": q.model, "source": q.source},
            "assumed_quality": self.assumed_quality, "speed_note": self.speed_note,
        }


@dataclass(frozen=True)
class Choice:
    option: FormatOption
    reason: str

    def as_dict(self) -> dict:
        return {"format": self.option.format, "label": self.option.label, "verdict": self.option.verdict,
                "reason": self.reason}


@dataclass(frozen=True)
class Recommendation:
    model: str
    runtime: str
    context: int
    target: Target
    options: tuple[FormatOption, ...]
    """Best quality first."""
    best: Choice | None
    best_quality: Choice | None
    """The best-quality format that runs at all, when it is not ``best`` (slower, or off the GPU)."""
    notes: tuple[str, ...] = ()

    def option(self, fmt: str) -> FormatOption:
        fid = get_format(fmt).id
        for o in self.options:
            if o.format == fid:
                return o
        raise PlannerError(f"{fmt} is not among the formats {self.runtime} runs for this model", field="format")

    def as_dict(self) -> dict:
        return {"model": self.model, "runtime": self.runtime, "context": self.context,
                "machine": self.target.as_dict(), "formats": [o.as_dict() for o in self.options],
                "best": None if self.best is None else self.best.as_dict(),
                "best_quality": None if self.best_quality is None else self.best_quality.as_dict(),
                "notes": list(self.notes)}


# -- formats and their quality order ----------------------------------------------------------------------------

def candidate_formats(runtime: str) -> tuple[WeightFormat, ...]:
    """The formats ``runtime`` loads, minus those only a model trained in them can use (``TRAINED_ONLY``)."""
    from .memory import runtime_id

    rt = runtime_id(runtime)
    return tuple(f for f in all_formats() if f.runs_on(rt) and f.id not in TRAINED_ONLY)


def _published_cost(fmt: WeightFormat, arch) -> tuple[float | None, QualityCost | None]:
    q = quality_cost(fmt.id, arch)
    if fmt.kind == "float":
        return 0.0, q
    if q is None or q.relative_ppl is None:
        return None, q
    return max(0.0, q.relative_ppl), q


def quality_order(formats, arch) -> list[tuple[WeightFormat, float, QualityCost | None, bool]]:
    """``(format, cost, published figure, assumed)`` best quality first (see the module docstring)."""
    fmts = [get_format(f) for f in formats]
    costs = {f.id: _published_cost(f, arch) for f in fmts}
    rows = []
    for f in fmts:
        cost, q = costs[f.id]
        assumed = cost is None
        if assumed:
            wider = [c for g in fmts if (c := costs[g.id][0]) is not None and g.bits >= f.bits]
            cost = max(wider, default=0.0)
        rows.append((f, cost, q, assumed))
    rows.sort(key=lambda r: (r[1], r[3], r[0].bits))
    return rows


def frontier(rows) -> list[tuple[WeightFormat, float, QualityCost | None, bool]]:
    """The rows of ``quality_order`` that no other row beats: none has at most as many bits and at most the
    cost (an assumed cost counting as worse than the same published one), one of them strictly; of rows equal
    on both, the first is kept."""
    def key(row):
        return row[1], row[3]

    out = []
    for i, row in enumerate(rows):
        f = row[0]
        beaten = False
        for j, other in enumerate(rows):
            if j == i or other[0].bits > f.bits or key(other) > key(row):
                continue
            if other[0].bits < f.bits or key(other) < key(row) or j < i:
                beaten = True
                break
        if not beaten:
            out.append(row)
    return out


# -- one format on the machine -----------------------------------------------------------------------------------

def _speed(req: EstimateRequest, result: FitResult, target: Target):
    """(decode, prefill, note) for the placement the fit chose."""
    from .speed_estimate import speed_for

    if result.verdict == "no":
        return None, None, ""
    if result.verdict == "cpu":
        timed = replace(req, hardware=target.cpu_only().hardware, gpu_layers=None)
        s = speed_for(timed, host=target.host)
        return s.decode_tokens_per_s, s.prefill_tokens_per_s, ""
    if not target.can_time:
        return None, None, "the GPU is not in the catalogue: its bandwidth is unknown"
    if req.runtime == "transformers" and result.verdict == "partial":
        return None, None, ("accelerate streams offloaded layers to the GPU on every token; the speed model does "
                            "not time that")
    placed = req
    if req.gpu_layers is None and result.verdict in ("partial", "tight"):
        placed = replace(req, gpu_layers=result.gpu_layers)
    s = speed_for(placed, host=target.host)
    return s.decode_tokens_per_s, s.prefill_tokens_per_s, ""


def _allow(verdict: str) -> tuple[str, ...]:
    """Verdicts at least as good as ``verdict`` for the longest-context search (any runnable one for
    partial offload, CPU only and "does not fit": how far the context may grow, or must shrink, to run)."""
    return ("fits", "tight") if verdict in ("fits", "tight") else ("fits", "tight", "partial", "cpu")


def evaluate(base: EstimateRequest, target: Target, fmt: str, *, quality=None, rank: int = 0,
             assumed: bool = False, with_context: bool = True) -> FormatOption:
    """``fmt`` on ``target`` at ``base``'s runtime, context and cache settings."""
    f = get_format(fmt)
    req = replace(base, weight_format=f.id, hardware=target.hardware).resolved()
    mreq = req.memory_request()
    machine = target.machine()
    result = fit(mreq, machine)
    verdict, verdict_label = result.verdict, result.label
    if req.runtime == "transformers" and f.kind == "fp8" and result.verdict in ("partial", "cpu"):
        verdict, verdict_label = "no", "does not run: transformers has FP8 kernels for GPUs only"
        decode, prefill, note = None, None, ""
    else:
        decode, prefill, note = _speed(req, result, target)
    runtime_refused = verdict == "no" and result.verdict != "no"
    longest = longest_context(mreq, machine, allow=_allow(verdict)) if with_context and not runtime_refused else 0
    est = result.estimate
    gpus = [d.total for d in est.devices if d.device.is_gpu]
    return FormatOption(
        format=f.id, label=f.label, bits=f.bits, kind=f.kind, verdict=verdict, verdict_label=verdict_label,
        gpu_layers=result.gpu_layers, total_layers=result.total_layers,
        weights_bytes=est.weights_bytes,
        memory_bytes=est.total_bytes, gpu_bytes=max(gpus, default=0), cpu_bytes=est.on("cpu"),
        free_gpu_bytes=result.free_gpu_bytes, longest_context=longest, decode_tokens_per_s=decode,
        prefill_tokens_per_s=prefill, quality=quality, quality_rank=rank, assumed_quality=assumed,
        speed_note=note, runtime=req.runtime, context=req.context, kv_format=req.kv_format,
        flash_attention=req.flash_attention, fit=result)


# -- the choice ---------------------------------------------------------------------------------------------------

def _fmt_context(n: int) -> str:
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024}k"
    return f"{n:,}"


def _speed_text(o: FormatOption) -> str:
    return "speed unknown" if o.decode_tokens_per_s is None else f"{o.decode_tokens_per_s:.1f} tokens/s"


PLACEMENT_REASON = {
    "fits": "best quality that fits on the GPU with headroom",
    "tight": "best quality that fits on the GPU (tight: under 10% of it left free)",
    "partial": "best quality with part of the model on the GPU",
    "cpu": "best quality that fits in RAM (CPU only)",
}


def choose(options) -> tuple[Choice | None, Choice | None]:
    """(best, best quality that runs at all when it differs) — see the module docstring."""
    runnable = [o for o in options if o.runs]
    if not runnable:
        return None, None
    useful = [o for o in runnable if o.bits >= MIN_USEFUL_BITS]
    fast = [o for o in useful if o.decode_tokens_per_s is None or o.decode_tokens_per_s >= READING_TOKENS_PER_S]
    if not useful:
        best = min(runnable, key=lambda o: o.quality_rank)
        why = (f"nothing of {MIN_USEFUL_BITS} bits or more fits here: the best quality that runs at all "
               f"({best.verdict_label})")
    elif fast:
        best = min(fast, key=lambda o: (PLACEMENT_ORDER.index(o.verdict), o.quality_rank))
        why = PLACEMENT_REASON[best.verdict]
        if best.verdict == "partial":
            why += f" ({best.gpu_layers} of {best.total_layers} layers)"
        if any(o not in fast for o in useful):
            why += f" at reading speed or faster (≥ {READING_TOKENS_PER_S:.1f} tokens/s)"
    else:
        best = max(useful, key=lambda o: (o.decode_tokens_per_s, -o.quality_rank))
        why = (f"the fastest; nothing reaches reading speed ({READING_TOKENS_PER_S:.1f} tokens/s) here "
               f"({best.verdict_label})")
    reason = f"{best.label}: {why} at {_fmt_context(best.context)} context, {_speed_text(best)}"
    top = min(runnable, key=lambda o: o.quality_rank)
    alt = None
    if top is not best:
        alt = Choice(top, f"{top.label}: best quality that runs at all ({top.verdict_label}), {_speed_text(top)}")
    return Choice(best, reason), alt


def recommend(base: EstimateRequest, target: Target, formats=None, *, cancel=None) -> Recommendation:
    """Every candidate format of ``base.runtime`` on ``target``, best quality first, and the choice.

    ``base`` carries the model, runtime, context, batch, KV cache and flash attention (its own weight format and
    hardware are ignored). ``cancel`` (a token with ``cancelled``) stops early when a newer request came.
    """
    base = base.resolved()
    if base.mode != "inference":
        raise PlannerError("recommendations are for inference; the training modes have their own table", field="mode")
    fmts = formats if formats is not None else candidate_formats(base.runtime)
    order = quality_order(fmts, base.arch)
    options = []
    for rank, (f, _cost, q, assumed) in enumerate(order):
        if cancel is not None and cancel.cancelled:
            break
        try:
            options.append(evaluate(base, target, f.id, quality=q, rank=rank, assumed=assumed))
        except PlannerError:
            continue  # a format this model cannot take (a KV row not a multiple of a block …): not a candidate
    best, alt = choose(options)
    notes = list(target.notes)
    if not target.can_time:
        notes.append("speeds need the GPU's bandwidth: not shown for a GPU outside the catalogue")
    return Recommendation(base.arch.name, base.runtime, base.context, target, tuple(options), best, alt,
                          tuple(notes))


assert set(PLACEMENT_ORDER) | {"no"} == set(VERDICTS)

"""What fits on this machine: the built-in presets, each in its best format for the machine, ranked.

For every preset (a decoder that can hold the chosen context) the entry is what ``recommend.choose`` picks
among the runtime's quality frontier (``recommend.frontier``: the formats no other beats on both bits and
published cost) — at least 4 bits when possible, reading speed when possible, the best placement, the best
quality. Memory grows with the bits of the format, so the search is short: formats of 4 bits or more are
tried best quality first and the search stops at the first that fits on the GPU with headroom at reading
speed (no later one can beat it); when the smallest of them does not run at all, none of them does, and the
best quality that runs is looked for among the smaller formats — none, when the smallest does not run.

Presets are then ranked by placement (on the GPU first), then by size (more parameters first, among those reaching reading speed before those that do not: within a family a larger
model at 4 bits or more beats a smaller one at higher precision, Dettmers & Zettlemoyer 2023,
arXiv:2212.09720), then by speed.

Filters use the presets' tags (``presets.TAGS``: chat, code, reasoning, long-context, moe, small …); a preset
qualifies when it has any of the chosen tags.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import PlannerError
from .estimate import EstimateRequest
from .presets import TAGS, Preset, all_presets
from .recommend import (MIN_USEFUL_BITS, PLACEMENT_ORDER, READING_TOKENS_PER_S, FormatOption, candidate_formats,
                        choose, evaluate, frontier, quality_order)
from .target import Target

USES = ("chat", "code", "long-context")
"""The uses the Hardware tab offers as filters (any preset tag works in ``what_fits``)."""


@dataclass(frozen=True)
class FitEntry:
    preset: str
    hf_repo: str | None
    tags: tuple[str, ...]
    total_params: int
    option: FormatOption
    reason: str

    def as_dict(self) -> dict:
        o = self.option
        return {"preset": self.preset, "hf_repo": self.hf_repo, "tags": list(self.tags),
                "total_params": self.total_params, "format": o.format, "label": o.label, "verdict": o.verdict,
                "verdict_label": o.verdict_label, "memory_bytes": o.memory_bytes,
                "decode_tokens_per_s": o.decode_tokens_per_s, "prefill_tokens_per_s": o.prefill_tokens_per_s,
                "reason": self.reason}


@dataclass(frozen=True)
class WhatFits:
    context: int
    runtime: str
    tags: tuple[str, ...]
    entries: tuple[FitEntry, ...]
    """Ranked: on the GPU first, then larger models, then faster."""
    left_out: tuple[tuple[str, str, str], ...]
    """(preset, kind, why) for presets that were not ranked; kind ``context`` (holds less than the context),
    ``encoder`` (not a text generator) or ``fit`` (no format fits)."""

    def as_dict(self) -> dict:
        return {"context": self.context, "runtime": self.runtime, "tags": list(self.tags),
                "entries": [e.as_dict() for e in self.entries],
                "left_out": [{"preset": p, "kind": k, "why": w} for p, k, w in self.left_out]}


def _good_enough(o: FormatOption) -> bool:
    fast = o.decode_tokens_per_s is None or o.decode_tokens_per_s >= READING_TOKENS_PER_S
    return o.verdict == "fits" and o.bits >= MIN_USEFUL_BITS and fast


def best_for_preset(preset: Preset, base: EstimateRequest, target: Target, *, cancel=None):
    """(the chosen option, its reason) for one preset, or (None, why not); see the module docstring."""
    arch = preset.architecture()
    req = replace(base, arch=arch, weight_format=None, header_tensor_types=None)
    rows = frontier(quality_order(candidate_formats(base.runtime), arch))
    done: dict[str, FormatOption | None] = {}

    def run(rank: int) -> FormatOption | None:
        f, _cost, q, assumed = rows[rank]
        if f.id not in done:
            try:
                done[f.id] = evaluate(req, target, f.id, quality=q, rank=rank, assumed=assumed, with_context=False)
            except PlannerError:
                done[f.id] = None
        return done[f.id]

    def runs(rank: int) -> bool:
        o = run(rank)
        return o is not None and o.runs

    useful = [i for i, r in enumerate(rows) if r[0].bits >= MIN_USEFUL_BITS]
    small = [i for i, r in enumerate(rows) if r[0].bits < MIN_USEFUL_BITS]
    if useful and runs(min(useful, key=lambda i: rows[i][0].bits)):
        for i in useful:
            if cancel is not None and cancel.cancelled:
                return None, "cancelled"
            o = run(i)
            if o is not None and _good_enough(o):
                break
    elif small and runs(min(small, key=lambda i: rows[i][0].bits)):
        for i in small:
            if runs(i):
                break
    best, _alt = choose([o for o in done.values() if o is not None])
    if best is None:
        return None, "does not fit in any format"
    return best.option, best.reason


def what_fits(base: EstimateRequest, target: Target, *, tags=(), presets=None, cancel=None) -> WhatFits:
    """The presets ranked for ``target`` at ``base``'s runtime and context (see the module docstring)."""
    base = base.resolved()
    context = base.context
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        from .errors import UnknownNameError

        raise UnknownNameError("use", unknown[0], TAGS, field="tags")
    entries, left_out = [], []
    for p in presets if presets is not None else all_presets():
        if tags and not set(tags) & set(p.tags):
            continue
        arch = p.architecture()
        if not arch.causal:
            left_out.append((p.name, "encoder", "not a text generator (an encoder)"))
            continue
        if arch.max_context < context:
            left_out.append((p.name, "context", f"holds at most {arch.max_context:,} tokens of context"))
            continue
        option, reason = best_for_preset(p, replace(base, context=context), target, cancel=cancel)
        if cancel is not None and cancel.cancelled:
            break
        if option is None:
            left_out.append((p.name, "fit", reason))
            continue
        from .params import count_params

        entries.append(FitEntry(p.name, p.hf_repo, p.tags, p.total_params or count_params(arch).total, option,
                                reason))
    def slow(o: FormatOption) -> bool:
        return o.decode_tokens_per_s is not None and o.decode_tokens_per_s < READING_TOKENS_PER_S

    entries.sort(key=lambda e: (PLACEMENT_ORDER.index(e.option.verdict), e.option.bits < MIN_USEFUL_BITS,
                                slow(e.option), -e.total_params, -(e.option.decode_tokens_per_s or 0.0)))
    return WhatFits(context, base.runtime, tuple(tags), tuple(entries), tuple(left_out))

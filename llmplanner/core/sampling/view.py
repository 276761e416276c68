"""What the Sampling tab draws, computed from a ``ChainResult`` without Qt.

- ``bars_view``: the top-N tokens before and after either the whole chain (raw → final) or one stage
  (its input → its output), the mass of every other token, which tokens were removed, the cumulative
  probability of the "before" bars and the threshold lines of the samplers, each in the units of the bars it
  is drawn over.
- ``compare_view``: the same tokens' final probabilities in several engines, their kept sets and where those
  differ, or each engine's refusal.
- ``draws_view``: a histogram of drawn tokens beside the final distribution.

Everything here avoids touching the full vocabulary more than once per call: the top N of a 256k-token
stage is found with a partition (O(n)), and the raw ranking is cached on the distribution, so a slider
move costs what the chain costs plus a few small arrays.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .chain import ChainResult, StageResult
from .distribution import Distribution
from .draw import Draws
from .settings import SettingError

#: The most bars a view shows (the raw ranking is cached this deep).
MAX_BARS = 64

#: Threshold keys drawn as a horizontal line over the probability bars (``Step.thresholds`` keys).
PROBABILITY_LINES = ("min_p", "xtc_threshold", "epsilon", "eta", "min_probability")


# --- ranking ------------------------------------------------------------------------------------------------

def top_ids(ids: np.ndarray, probs: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` most probable of ``ids``, most probable first; ties: lower id first.

    A partition finds the n-th largest value (O(len)); only the tokens at or above it are sorted.
    """
    m = int(ids.size)
    if m == 0 or n <= 0:
        return ids[:0]
    if m > n:
        kth = np.partition(probs, m - n)[m - n]
        cand = np.flatnonzero(probs >= kth)
    else:
        cand = np.arange(m)
    order = np.lexsort((ids[cand], -probs[cand]))[:n]
    return ids[cand[order]]


def raw_ranking(dist: Distribution) -> np.ndarray:
    """The ``MAX_BARS`` most probable token ids of the distribution (cached on it)."""
    cached = dist.__dict__.get("_view_ranking")
    if cached is None:
        p = dist.probs
        cached = top_ids(np.arange(p.size), p, MAX_BARS)
        dist.__dict__["_view_ranking"] = cached
    return cached


def probs_at(stage: StageResult, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, kept) of the given token ids after ``stage`` (0 and False for removed tokens).

    Small stages are searched; large ones use the full-vocabulary array (built once per stage).
    """
    if stage.ids.size == stage.vocab_size and bool(np.all(stage.ids[1:] > stage.ids[:-1])):
        # every token, in id order (n distinct ids in [0, n) ascending): index directly
        return stage.kept_probs[ids].astype(np.float64), np.ones(ids.size, dtype=bool)
    if stage.ids.size > 4096:
        return stage.probs[ids], stage.kept[ids]
    order = np.argsort(stage.ids, kind="stable")
    sorted_ids = stage.ids[order]
    pos = np.clip(np.searchsorted(sorted_ids, ids), 0, max(sorted_ids.size - 1, 0))
    found = sorted_ids[pos] == ids if sorted_ids.size else np.zeros(ids.size, dtype=bool)
    values = np.where(found, stage.kept_probs[order[pos]] if sorted_ids.size else 0.0, 0.0)
    return values.astype(np.float64), found


# --- threshold lines ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThresholdLine:
    """A sampler's cut-off drawn over the bars.

    ``axis`` is ``"probability"`` (a token's probability, the left axis) or ``"cumulative"`` (the running
    sum of the "before" bars, the right axis). ``value`` is in the units of the bars the line is drawn over;
    ``setting`` is the sampler's own number (e.g. min-p 0.05) for the label.
    """

    key: str
    stage: int
    axis: str
    value: float
    setting: float | None = None


def _share_of_raw(result: ChainResult, index: int) -> float | None:
    """If stage ``index``'s distribution is the raw one renormalised over its survivors (only tokens removed,
    no logit changed), the raw probability mass of those survivors; else None."""
    stage = result.stages[index]
    dist = result.distribution
    if stage.kept_logits is None:
        return None
    if stage.kept_logits is not dist.logits:
        if not np.array_equal(stage.kept_logits, dist.logits[stage.ids]):
            return None
    if stage.ids.size == dist.size:
        return 1.0
    return float(dist.probs[stage.ids].sum(dtype=np.float64))


def _setting_of(key: str, result: ChainResult) -> float | None:
    name = {"min_p": "min_p", "xtc_threshold": "xtc_threshold", "epsilon": "epsilon_cutoff",
            "eta": "eta_cutoff", "top_p": "top_p", "logit_threshold": "top_n_sigma",
            "min_probability": "mirostat_tau"}.get(key)
    value = result.settings.get(name) if name else None
    return float(value) if isinstance(value, (int, float)) else None


def stage_lines(result: ChainResult, index: int) -> list[ThresholdLine]:
    """Stage ``index``'s thresholds in the units of its input (``stages[index - 1]``)."""
    stage = result.stages[index]
    if not stage.active or index == 0:
        return []
    before = result.stages[index - 1]
    out = []
    for key, value in stage.thresholds.items():
        if key in PROBABILITY_LINES:
            out.append(ThresholdLine(key, index, "probability", float(value), _setting_of(key, result)))
        elif key == "top_p":
            out.append(ThresholdLine(key, index, "cumulative", float(value), float(value)))
        elif key == "logit_threshold" and before.kept_logits is not None and before.ids.size:
            # p = exp(limit - logsumexp) = p_max * exp(limit - max logit)
            top = int(np.argmax(before.kept_logits))
            p = float(before.kept_probs[top]) * math.exp(float(value) - float(before.kept_logits[top]))
            out.append(ThresholdLine("top_n_sigma", index, "probability", p, _setting_of(key, result)))
    return out


# --- the bar chart ------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BarsView:
    """The top-N tokens before and after (the whole chain, or one stage), and the lines to draw."""

    before_stage: int                 # 0 for raw
    after_stage: int                  # the last stage for the whole chain
    ids: np.ndarray                   # shown tokens, most probable "before" first
    labels: tuple[str, ...]
    before: np.ndarray                # their probabilities before (float64)
    after: np.ndarray                 # and after
    removed: np.ndarray               # bool: a candidate before, removed after
    rest_before: float                # the probability of every token not shown
    rest_after: float
    rest_count: int                   # how many tokens that is (listed tokens only)
    unlisted: float                   # the mass a fetched distribution did not list (whole-chain view only)
    cumulative: np.ndarray            # running sum of ``before`` over the shown tokens
    whole_chain: bool                 # raw -> final (True) or one stage's input -> output
    removed_at: np.ndarray            # per shown token: the stage that removed it, -1 if it survived
    lines: tuple[ThresholdLine, ...] = ()
    #: Stages with thresholds that cannot be drawn over the raw bars (a logit changed before them).
    unplaced: tuple[int, ...] = field(default=())


def bars_view(result: ChainResult, stage: int | None = None, top_n: int = 20) -> BarsView:
    """The bars for the whole chain (``stage`` None: raw → final) or for one stage (its input → output).

    Whole chain: "before" is the raw distribution as a share of the whole vocabulary (a fetched
    distribution's unlisted mass is kept apart in ``unlisted``), "after" the final one. One stage: the
    distribution entering it and the one leaving it, both over the listed tokens. Lines of the whole-chain
    view are those of every stage whose input is the raw distribution with tokens removed (rescaled to the raw
    bars); the others are named in ``unplaced``.
    """
    n = max(1, min(int(top_n), MAX_BARS))
    dist = result.distribution
    last = len(result.stages) - 1
    if stage is None or stage <= 0:
        before_i, after_i = 0, last
    else:
        before_i, after_i = min(stage, last) - 1, min(stage, last)
    before_stage, after_stage = result.stages[before_i], result.stages[after_i]
    if before_i == 0:
        ids = raw_ranking(dist)[:n]
    else:
        ids = top_ids(before_stage.ids, before_stage.kept_probs, n)
    before, was_kept = probs_at(before_stage, ids)
    after, kept = probs_at(after_stage, ids)
    whole = stage is None or stage <= 0
    scale = 1.0 - dist.other_mass if whole else 1.0
    before = before * scale
    removed = was_kept & ~kept
    rest_before = max(0.0, scale - float(before.sum()))
    rest_after = max(0.0, 1.0 - float(after.sum()))
    rest_count = int(before_stage.ids.size - ids.size) if not whole else dist.size - ids.size
    cumulative = np.cumsum(before)
    removed_at = np.full(ids.size, -1, dtype=np.int64)
    if whole:
        alive = np.ones(ids.size, dtype=bool)
        for i in range(1, len(result.stages)):
            if result.stages[i].active:
                _, survives = probs_at(result.stages[i], ids)
                removed_at[alive & ~survives] = i
                alive &= survives
    else:
        removed_at[removed] = after_i
    lines: list[ThresholdLine] = []
    unplaced: list[int] = []
    if whole:
        for i in range(1, len(result.stages)):
            own = stage_lines(result, i)
            if not own:
                continue
            share = _share_of_raw(result, i - 1)
            if share is None:
                unplaced.append(i)
                continue
            for line in own:
                if line.axis == "cumulative" and not _prefix_on_shown(result.stages[i - 1], ids, line, share,
                                                                      cumulative / scale if scale else cumulative):
                    unplaced.append(i)
                    continue
                lines.append(ThresholdLine(line.key, i, line.axis, line.value * share * scale, line.setting))
    else:
        lines = stage_lines(result, after_i)
    return BarsView(before_i, after_i, ids, tuple(dist.label(int(i)) for i in ids), before, after, removed,
                    rest_before, rest_after, rest_count, dist.other_mass if whole else 0.0, cumulative, whole,
                    removed_at, tuple(lines), tuple(dict.fromkeys(unplaced)))


def _prefix_on_shown(stage: StageResult, ids: np.ndarray, line: ThresholdLine, share: float,
                     raw_cumulative: np.ndarray) -> bool:
    """A top-p line rescaled to the raw bars crosses the raw running sum where the sampler cut only if the
    tokens the sampler saw are the most probable raw tokens up to that point."""
    _, kept = probs_at(stage, ids)
    target = line.value * share
    upto = int(np.searchsorted(raw_cumulative, target, side="left")) + 1
    return bool(kept[:min(upto, kept.size)].all())


# --- the stage strip ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StageSummary:
    index: int
    key: str
    label: str
    active: bool
    note: str
    kept: int
    removed: int                      # tokens this stage removed
    entropy_bits: float
    perplexity: float


def stage_summaries(result: ChainResult) -> list[StageSummary]:
    out = []
    for i, s in enumerate(result.stages):
        removed = result.stages[i - 1].kept_count - s.kept_count if i else 0
        out.append(StageSummary(i, s.key, s.label, s.active, s.note, s.kept_count, max(0, removed),
                                s.entropy_bits, s.perplexity))
    return out


# --- four engines side by side ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class EngineColumn:
    engine: str
    result: ChainResult | None
    error: str | None                 # the engine's refusal
    final: np.ndarray                 # final probabilities of the shown tokens (zeros when refused)
    kept: int
    entropy_bits: float
    perplexity: float
    order: tuple[str, ...]            # the labels of its active stages, in its order
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class CompareView:
    ids: np.ndarray
    labels: tuple[str, ...]
    raw: np.ndarray
    columns: tuple[EngineColumn, ...]
    #: Groups of engines with the same kept set: ((engines...), kept count), largest set first.
    groups: tuple[tuple[tuple[str, ...], int], ...]
    #: Tokens some engines keep and others remove (labels, most probable raw first, at most 8).
    disputed: tuple[str, ...]


def compare_view(outcomes: dict, top_n: int = 20) -> CompareView:
    """``outcomes`` as ``compare_engines`` returns them (a result or a ``SettingError`` per engine)."""
    results = [r for r in outcomes.values() if isinstance(r, ChainResult)]
    dist = results[0].distribution if results else None
    n = max(1, min(int(top_n), MAX_BARS))
    ids = raw_ranking(dist)[:n] if dist is not None else np.zeros(0, dtype=np.int64)
    raw = dist.probs[ids].astype(np.float64) if dist is not None else np.zeros(0)
    columns = []
    kept_sets: dict[str, np.ndarray] = {}
    for engine, outcome in outcomes.items():
        if isinstance(outcome, SettingError) or not isinstance(outcome, ChainResult):
            message = outcome.message if isinstance(outcome, SettingError) else str(outcome)
            columns.append(EngineColumn(engine, None, message, np.zeros(ids.size), 0, float("nan"),
                                        float("nan"), (), ()))
            continue
        final, _ = probs_at(outcome.final, ids)
        kept_sets[engine] = np.sort(outcome.final.ids)
        order = tuple(s.label for s in outcome.stages[1:] if s.active)
        columns.append(EngineColumn(engine, outcome, None, final, outcome.final.kept_count,
                                    outcome.final.entropy_bits, outcome.final.perplexity, order,
                                    tuple(outcome.notes)))
    groups: list[tuple[list[str], np.ndarray]] = []
    for engine, kept in kept_sets.items():
        for names, ref in groups:
            if ref.size == kept.size and np.array_equal(ref, kept):
                names.append(engine)
                break
        else:
            groups.append(([engine], kept))
    disputed: tuple[str, ...] = ()
    if len(groups) > 1 and dist is not None:
        union = np.unique(np.concatenate([g[1] for g in groups]))
        common = groups[0][1]
        for _, kept in groups[1:]:
            common = np.intersect1d(common, kept, assume_unique=True)
        diff = np.setdiff1d(union, common, assume_unique=True)
        shown = top_ids(diff, dist.probs[diff], 8)
        disputed = tuple(dist.label(int(i)) for i in shown)
    ordered = sorted(groups, key=lambda g: -g[1].size)
    return CompareView(ids, tuple(dist.label(int(i)) for i in ids) if dist is not None else (), raw,
                       tuple(columns), tuple((tuple(g[0]), int(g[1].size)) for g in ordered), disputed)


# --- draws --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class DrawsView:
    ids: np.ndarray
    labels: tuple[str, ...]
    expected: np.ndarray              # the final probabilities of the shown tokens
    observed: np.ndarray              # the share of draws that picked each
    rest_expected: float
    rest_observed: float
    total: int
    distinct: int                     # how many different tokens were drawn


def draws_view(result: ChainResult, draws: Draws, top_n: int = 20) -> DrawsView:
    n = max(1, min(int(top_n), MAX_BARS))
    final = result.final
    ids = top_ids(final.ids, final.kept_probs, n)
    expected, _ = probs_at(final, ids)
    total = int(draws.tokens.size)
    counts = draws.counts[ids].astype(np.float64)
    observed = counts / total if total else np.zeros(ids.size)
    dist = result.distribution
    return DrawsView(ids, tuple(dist.label(int(i)) for i in ids), expected, observed,
                     max(0.0, 1.0 - float(expected.sum())), max(0.0, 1.0 - float(observed.sum())) if total else 0.0,
                     total, int(np.count_nonzero(draws.counts)))

"""Running an engine's sampler chain and keeping every stage's distribution for display.

A chain is a list of ``Stage``s in the engine's order; a stage that the settings switch off is kept
(``active=False``) so that a pipeline strip can show where it would sit. Each ``StageResult`` holds the
surviving token ids and their probabilities compactly; the full-vocabulary arrays (removed tokens at 0)
and the masks are computed on first access, so a chain over 256k tokens costs only what its samplers cost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Mapping

import numpy as np

from .candidates import Candidates
from .distribution import Distribution, entropy_bits, perplexity
from .mirostat import MirostatState
from .step import Step


@dataclass(frozen=True)
class Stage:
    """One sampler in an engine's chain."""

    key: str                       # e.g. "top_p"
    label: str                     # e.g. "top-p 0.9"
    apply: Callable[[Candidates], Step] | None
    active: bool = True
    note: str = ""                 # why it is off, or what the engine does here
    source: str = ""               # the engine source it follows
    params: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def off(cls, key: str, label: str, note: str, source: str = "") -> "Stage":
        return cls(key, label, None, False, note, source)


@dataclass(frozen=True, eq=False)
class StageResult:
    """The distribution after one stage, over the whole vocabulary."""

    key: str
    label: str
    active: bool
    note: str
    source: str
    params: Mapping[str, object]
    ids: np.ndarray                 # surviving token ids
    kept_probs: np.ndarray          # their probabilities, summing to 1 (float32, float64 after a mixture)
    kept_logits: np.ndarray | None  # their logits (None after a random stage mixed outcomes)
    vocab_size: int
    thresholds: Mapping[str, float]
    branches: int = 1

    @cached_property
    def probs(self) -> np.ndarray:
        """Probabilities over the whole vocabulary (float64), removed tokens at exactly 0."""
        full = np.zeros(self.vocab_size, dtype=np.float64)
        full[self.ids] = self.kept_probs
        full.setflags(write=False)
        return full

    @cached_property
    def logits(self) -> np.ndarray:
        """Logits over the whole vocabulary, removed tokens at -inf (log of the mixture after XTC)."""
        full = np.full(self.vocab_size, -np.inf, dtype=np.float64)
        if self.kept_logits is not None:
            full[self.ids] = self.kept_logits
        else:
            with np.errstate(divide="ignore"):
                full[self.ids] = np.log(self.kept_probs)
        full.setflags(write=False)
        return full

    @cached_property
    def kept(self) -> np.ndarray:
        """True for the tokens that survive this stage (still candidates; a float32 probability may have
        underflowed to 0 for a token far below the top, as in the engine)."""
        mask = np.zeros(self.vocab_size, dtype=bool)
        mask[self.ids] = True
        mask.setflags(write=False)
        return mask

    @property
    def kept_count(self) -> int:
        return int(self.ids.size)

    @cached_property
    def entropy_bits(self) -> float:
        return entropy_bits(self.kept_probs)

    @property
    def perplexity(self) -> float:
        return perplexity(self.entropy_bits)

    def top(self, n: int) -> np.ndarray:
        """The ids of the n most probable tokens, most probable first (ties: lower id)."""
        order = np.lexsort((self.ids, -self.kept_probs))[:n]
        return self.ids[order]

    def summary(self) -> dict:
        return {"key": self.key, "label": self.label, "active": self.active, "note": self.note,
                "kept": self.kept_count, "entropy_bits": self.entropy_bits, "perplexity": self.perplexity,
                "thresholds": dict(self.thresholds)}


@dataclass(frozen=True, eq=False)
class ChainResult:
    """Every stage of one engine's chain applied to one distribution."""

    engine: str
    engine_name: str
    distribution: Distribution
    settings: Mapping[str, object]   # the engine parameters the chain ran with, by our setting names
    stages: tuple[StageResult, ...]  # stages[0] is the input distribution
    notes: tuple[str, ...] = ()
    mirostat: MirostatState | None = None
    #: The candidates entering the Mirostat stage (for drawing several tokens with a moving mu).
    mirostat_input: Candidates | None = field(default=None, repr=False)

    @property
    def final(self) -> StageResult:
        return self.stages[-1]

    @property
    def probs(self) -> np.ndarray:
        """The final next-token probabilities over the whole vocabulary, in token-id order."""
        return self.final.probs

    def removed_by(self, index: int) -> np.ndarray:
        """Tokens that stage ``index`` removed (kept before it, not after it)."""
        if index == 0:
            return np.zeros(self.distribution.size, dtype=bool)
        return self.stages[index - 1].kept & ~self.stages[index].kept

    def stage(self, key: str) -> StageResult:
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(key)


def _result(stage: Stage | None, branches, thresholds, note, vocab_size) -> StageResult:
    key = stage.key if stage else "input"
    label = stage.label if stage else "raw distribution"
    if len(branches) == 1:
        c = branches[0][1]
        ids, probs, logits = c.ids, c.probs, c.logits
    else:
        all_ids = np.concatenate([c.ids for _, c in branches])
        weights = np.concatenate([w * c.probs.astype(np.float64) for w, c in branches])
        ids, inverse = np.unique(all_ids, return_inverse=True)
        probs = np.bincount(inverse, weights=weights, minlength=ids.size)
        logits = None
    return StageResult(key, label, stage.active if stage else True, note or (stage.note if stage else ""),
                       stage.source if stage else "", dict(stage.params) if stage else {}, ids, probs, logits,
                       vocab_size, dict(thresholds), len(branches))


def run_stages(distribution: Distribution, stages: list[Stage], capture: str | None = None):
    """Apply the stages in order.

    Returns (results, the branches left at the end, the candidates that entered stage ``capture``).
    """
    n = distribution.size
    captured = None
    branches: list[tuple[float, Candidates]] = [(1.0, Candidates.start(distribution))]
    results = [_result(None, branches, {}, "", n)]
    results[0].__dict__["entropy_bits"] = distribution.entropy_bits  # cached on the distribution
    for stage in stages:
        if not stage.active or stage.apply is None:
            prev = results[-1]
            same = StageResult(stage.key, stage.label, False, stage.note, stage.source, dict(stage.params),
                               prev.ids, prev.kept_probs, prev.kept_logits, n, {}, prev.branches)
            for name in ("probs", "logits", "kept", "entropy_bits"):
                if name in prev.__dict__:  # share what the previous stage already computed
                    same.__dict__[name] = prev.__dict__[name]
            results.append(same)
            continue
        if stage.key == capture and len(branches) == 1:
            captured = branches[0][1]
        new: list[tuple[float, Candidates]] = []
        thresholds: Mapping[str, float] = {}
        notes = []
        for w, cands in branches:
            step = stage.apply(cands)
            if not thresholds:
                thresholds = step.thresholds
            if step.note and step.note not in notes:
                notes.append(step.note)
            new.extend((w * w2, c2) for w2, c2 in step.branches if w * w2 > 0)
        branches = new
        results.append(_result(stage, branches, thresholds, "; ".join(notes), n))
    return results, branches, captured

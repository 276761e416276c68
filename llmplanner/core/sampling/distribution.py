"""A next-token distribution to play with: token labels, their logits, and the mass nobody listed.

Logits are held as float32 because every engine modelled here holds them so (llama.cpp's
``llama_token_data.logit`` is a C ``float``; transformers and vLLM sample in ``torch.float32``), which keeps
boundary comparisons (top-p's running sum reaching ``p``, min-p's ``>=``) the same as in the engines.

A distribution fetched from a running engine lists only its top N tokens; the rest of the vocabulary is kept
as one explicit ``other_mass``. The samplers run over the listed tokens only (the engine would also see the
unlisted tail; with N of 20 or more and any truncating sampler the tail is almost always cut anyway), and
the mass is shown beside the raw distribution so nothing is silently renormalised away.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import PlannerError

#: Log-probabilities are float32 like the engines' logits.
DTYPE = np.float32


def softmax(logits: np.ndarray) -> np.ndarray:
    """exp(l - max) / sum, in float32 as the engines compute it; ``-inf`` gives exactly 0."""
    if logits.size == 0:
        return logits.astype(DTYPE)
    top = logits.max()
    e = np.exp(logits - top, dtype=DTYPE)
    return e / e.sum(dtype=DTYPE)


def entropy_bits(probs: np.ndarray) -> float:
    """Shannon entropy in bits of a distribution (renormalised), over the tokens with non-zero probability.

    The logarithms are taken in the array's own precision and summed in float64.
    """
    p = np.asarray(probs)
    if p.dtype not in (np.float32, np.float64):
        p = p.astype(np.float64)
    if p.size == 0:
        return 0.0
    if not p.min() > 0:
        p = p[p > 0]
        if p.size == 0:
            return 0.0
    total = p.sum(dtype=np.float64)
    h = -(p * np.log2(p)).sum(dtype=np.float64) / total + np.log2(total)
    return float(max(h, 0.0))


def perplexity(bits: float) -> float:
    """2 ** entropy: the number of equally likely tokens with the same uncertainty."""
    return float(2.0 ** bits)


@dataclass(frozen=True, eq=False)
class Distribution:
    """Logits over a vocabulary (token id = position), with readable labels.

    ``logits`` are any real scores (only differences matter); ``-inf`` marks a token that cannot be drawn.
    ``other_mass`` is the probability of tokens that are not listed (0 for a full vocabulary).
    """

    logits: np.ndarray
    tokens: tuple[str, ...] = ()  # labels by token id; empty: unlabelled (see ``label``)
    other_mass: float = 0.0
    source: str = ""
    chosen: str | None = None  # the continuation the engine actually produced, when fetched
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self):
        arr = np.array(self.logits, dtype=DTYPE).reshape(-1)
        if arr.size == 0:
            raise PlannerError("the distribution has no tokens", field="logits")
        if np.isnan(arr).any():
            raise PlannerError(f"logit {int(np.flatnonzero(np.isnan(arr))[0])} is NaN", field="logits")
        if np.isposinf(arr).any():
            raise PlannerError(f"logit {int(np.flatnonzero(np.isposinf(arr))[0])} is +inf", field="logits")
        if np.isneginf(arr).all():
            raise PlannerError("every logit is -inf: no token can be drawn", field="logits")
        arr.setflags(write=False)
        object.__setattr__(self, "logits", arr)
        tokens = self.tokens
        if not isinstance(tokens, tuple) or (tokens and not isinstance(tokens[0], str)):
            tokens = tuple(str(t) for t in tokens)
        if tokens and len(tokens) != arr.size:
            raise PlannerError(f"{len(tokens)} token labels for {arr.size} logits", field="tokens")
        object.__setattr__(self, "tokens", tokens)
        other = float(self.other_mass)
        if not (0.0 <= other < 1.0) or math.isnan(other):
            raise PlannerError(f"the unlisted mass must be in [0, 1), got {other}", field="other_mass")
        object.__setattr__(self, "other_mass", other)

    @classmethod
    def from_logits(cls, logits, tokens=(), **kw) -> "Distribution":
        return cls(np.asarray(logits, dtype=np.float64), tuple(tokens), **kw)

    @classmethod
    def from_probs(cls, probs, tokens=(), *, other_mass: float | None = None, **kw) -> "Distribution":
        """Probabilities of the listed tokens; what they leave of 1 becomes ``other_mass`` unless given."""
        p = np.asarray(probs, dtype=np.float64).reshape(-1)
        if p.size and (np.isnan(p).any() or (p < 0).any()):
            raise PlannerError("probabilities must be non-negative numbers", field="probs")
        total = float(p.sum())
        if total <= 0:
            raise PlannerError("the probabilities sum to 0: no token can be drawn", field="probs")
        if total > 1.0 + 1e-6:
            raise PlannerError(f"the probabilities sum to {total:.6g}, more than 1", field="probs")
        if other_mass is None:
            other_mass = max(0.0, 1.0 - total)
        with np.errstate(divide="ignore"):
            logits = np.log(p)
        return cls(logits, tuple(tokens), other_mass=other_mass, **kw)

    @property
    def size(self) -> int:
        return int(self.logits.size)

    @cached_property
    def probs(self) -> np.ndarray:
        """Softmax over the listed tokens (what the samplers start from; sums to 1)."""
        p = softmax(self.logits)
        p.setflags(write=False)
        return p

    @cached_property
    def listed_probs(self) -> np.ndarray:
        """The listed tokens' share of the whole vocabulary: ``probs * (1 - other_mass)``."""
        p = (self.probs * DTYPE(1.0 - self.other_mass)).astype(DTYPE)
        p.setflags(write=False)
        return p

    @cached_property
    def entropy_bits(self) -> float:
        return entropy_bits(self.probs)

    def label(self, token_id: int) -> str:
        """The token's text, or ``#id`` when the distribution has no labels."""
        return self.tokens[token_id] if self.tokens else f"#{token_id}"

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """Every token's label (``#id`` for unlabelled distributions)."""
        return self.tokens or tuple(f"#{i}" for i in range(self.size))

"""The candidate set a sampler chain works on, and deterministic orderings of it.

Modelled on llama.cpp's ``llama_token_data_array`` (src/llama-sampling.cpp): a compact list of
(token id, logit) pairs in some order, with a ``sorted`` flag saying whether the list is in descending-logit
order. Removed tokens are simply not in the list. Keeping it compact is what makes a chain over a 256k
vocabulary cheap: after a top-k of 40 every later stage works on 40 entries.

Ties. Where an engine leaves the order of equal logits unspecified (``std::partial_sort`` / ``std::sort`` in
llama.cpp, ``torch.sort`` / ``torch.topk`` in transformers and vLLM, none of which is stable), we break ties
by the lower token id first: "the first of the tied tokens" is the lowest id, and a top-k or top-p cut
through a tie keeps the lowest ids. (The engines themselves may pick any of the tied tokens, and torch's
choice even changes with the tensor's size.)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .distribution import DTYPE, softmax

#: The first block a progressive partial sort looks at, and how much it grows when that is not enough.
FIRST_BLOCK = 256
GROWTH = 4


@dataclass(frozen=True, eq=False)
class Candidates:
    """Token ids with their current logits, in the engine's current order."""

    ids: np.ndarray      # int64
    logits: np.ndarray   # float32, same length
    vocab_size: int
    sorted: bool = False  # True: descending logit, ties by lower id

    @classmethod
    def full(cls, logits: np.ndarray) -> "Candidates":
        """Every token of the vocabulary, in id order (the engines' starting point)."""
        finite = np.isfinite(logits)
        if finite.all():
            return cls(token_ids(logits.size), np.asarray(logits, dtype=DTYPE), logits.size, False)
        ids = np.flatnonzero(finite).astype(np.int64)
        return cls(ids, np.asarray(logits[ids], dtype=DTYPE), logits.size, False)

    @classmethod
    def start(cls, dist) -> "Candidates":
        """The whole vocabulary of a ``Distribution``, cached on it with its softmax: when only the
        settings change (a slider moves) the chain starts without touching the full vocabulary again."""
        cached = dist.__dict__.get("_start_candidates")
        if cached is None:
            cached = cls.full(dist.logits)
            if cached.size == dist.size:
                cached.__dict__["probs"] = dist.probs
            dist.__dict__["_start_candidates"] = cached
        return cached

    @property
    def size(self) -> int:
        return int(self.ids.size)

    @cached_property
    def probs(self) -> np.ndarray:
        """Softmax over the candidates (llama.cpp ``llama_sampler_softmax_impl``), float32."""
        return softmax(self.logits)

    def take(self, positions: np.ndarray, *, sorted: bool | None = None) -> "Candidates":
        """The candidates at these positions, in this order."""
        return Candidates(self.ids[positions], self.logits[positions], self.vocab_size,
                          self.sorted if sorted is None else sorted)

    def with_logits(self, logits: np.ndarray, *, sorted: bool = False) -> "Candidates":
        return Candidates(self.ids, np.asarray(logits, dtype=DTYPE), self.vocab_size, sorted)

    def in_descending_order(self) -> "Candidates":
        """Fully sorted by logit (ties: lower id first)."""
        if self.sorted:
            return self
        return self.take(descending_order(self.logits, self.ids), sorted=True)

    def top(self, k: int) -> "Candidates":
        """The k highest, sorted (ties at the cut go to the lower ids)."""
        if self.sorted:
            return self.take(np.arange(min(k, self.size)), sorted=True)
        return self.take(top_positions(self.logits, k, self.ids), sorted=True)

    def positions_of(self, token_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in this list, which of ``token_ids`` they belong to) for the ids that are present."""
        token_ids = np.asarray(token_ids, dtype=np.int64)
        if token_ids.size == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        if self.size == self.vocab_size and not self.sorted and _is_identity(self.ids):
            ok = (token_ids >= 0) & (token_ids < self.vocab_size)
            which = np.flatnonzero(ok)
            return token_ids[which], which
        where = np.full(self.vocab_size, -1, dtype=np.int64)
        where[self.ids] = np.arange(self.size)
        ok = (token_ids >= 0) & (token_ids < self.vocab_size)
        which = np.flatnonzero(ok)
        pos = where[token_ids[which]]
        found = pos >= 0
        return pos[found], which[found]


_IDS = np.arange(0, dtype=np.int64)


def token_ids(n: int) -> np.ndarray:
    """0 .. n-1 as a read-only view of one shared array (a 256k ``arange`` per chain run is not free)."""
    global _IDS
    if _IDS.size < n:
        _IDS = np.arange(max(n, 2 * _IDS.size), dtype=np.int64)
        _IDS.setflags(write=False)
    return _IDS[:n]


def _is_identity(ids: np.ndarray) -> bool:
    return ids.size == 0 or (ids[0] == 0 and ids[-1] == ids.size - 1)


def descending_order(values: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Positions sorted by value, largest first; ties by the smaller ``keys`` in turn, then by position.

    A plain (unstable, fast) sort, then only the runs of equal values are put in key order.
    """
    order = np.argsort(-values)
    sv = values[order]
    same = sv[1:] == sv[:-1]
    if not same.any():
        return order
    in_tie = np.zeros(order.size, dtype=bool)
    in_tie[1:] |= same
    in_tie[:-1] |= same
    run = np.concatenate(([0], np.cumsum(~same)))
    at = np.flatnonzero(in_tie)
    sub = order[at]
    # np.lexsort: the last key is the primary one; runs first, then the keys in turn, then position
    order[at] = sub[np.lexsort((sub, *(k[sub] for k in reversed(keys)), run[at]))]
    return order


def top_positions(values: np.ndarray, k: int, *keys: np.ndarray) -> np.ndarray:
    """Positions of the k largest values in descending order; ties at the cut go to the smaller keys.

    One ``argpartition`` (linear) plus a sort of the k chosen, instead of a full sort.
    """
    n = values.size
    k = max(0, min(int(k), n))
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k >= n or n <= 2048:
        return descending_order(values, *keys)[:k]
    part = np.argpartition(values, n - k)[n - k:]
    threshold = values[part].min()
    above = np.flatnonzero(values > threshold)
    tied = np.flatnonzero(values == threshold)
    if keys and tied.size > k - above.size:
        tied = tied[np.lexsort(tuple(key[tied] for key in reversed(keys)))]
    chosen = np.sort(np.concatenate([above, tied[: k - above.size]]))
    sub_keys = tuple(key[chosen] for key in keys)
    return chosen[descending_order(values[chosen], *sub_keys)]


def growing_prefixes(values: np.ndarray, *keys: np.ndarray):
    """Yield descending-order prefixes of growing length (256, 1024, 4096, ...) up to the whole array.

    Samplers that walk the sorted list until a running sum reaches a target (top-p, typical-p) stop at the
    first prefix long enough, so a 256k vocabulary is rarely sorted in full.
    """
    n = values.size
    k = min(n, FIRST_BLOCK)
    while True:
        yield top_positions(values, k, *keys)
        if k >= n:
            return
        k = min(n, k * GROWTH)

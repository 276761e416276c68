"""Synthetic next-token distributions: Zipf-like, with a chosen top-token probability.

Token frequencies in text follow Zipf's law, p(rank r) ~ r^-s (Zipf 1949; Piantadosi 2014, "Zipf's word
frequency law in natural language", Psychon. Bull. Rev. 21:1112); next-token distributions of language
models have the same heavy tail. We use the Zipf-Mandelbrot form p(r) ~ (r + q)^-s: ``s`` sets the tail
(larger = faster decay) and the offset ``q`` (> -1) is solved so that the top token gets exactly
``top_probability`` (the head). Tokens are readable pseudo-words, the most probable first.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..errors import PlannerError
from .distribution import Distribution

MAX_VOCAB = 262_144

# Consonant-vowel syllables: every syllable starts with a consonant and no onset is a consonant followed by a
# vowel-less onset, so a word splits into syllables one way only and distinct indices give distinct words.
_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "sh", "th", "st", "pr",
           "tr")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_SYLLABLES = tuple(o + v for o in _ONSETS for v in _VOWELS)


def pseudo_token(index: int) -> str:
    """A readable pseudo-word for a token index, distinct for every index: '▁ba', '▁tou', 'stra'...

    Bijective base-160 numeration over consonant-vowel syllables; two tokens in three start a word (▁,
    as in SentencePiece vocabularies).
    """
    n = len(_SYLLABLES)
    parts = [_SYLLABLES[index % n]]
    j = index // n
    while j:
        j -= 1
        parts.append(_SYLLABLES[j % n])
        j //= n
    word = "".join(reversed(parts))
    return word if index % 3 == 2 else "\u2581" + word


@lru_cache(maxsize=4)
def pseudo_tokens(count: int) -> tuple[str, ...]:
    """The first ``count`` pseudo-tokens, ``pseudo_token(i)`` for each i (cached).

    Built a block of 160 at a time: the words of indices q·160 … q·160 + 159 are the word of index q − 1
    (without its ▁) followed by each syllable, which is what ``pseudo_token``'s numeration gives; this is
    several times faster than calling it per index (the Sampling tab builds 128k labels at start).
    """
    n = len(_SYLLABLES)
    words: list[str] = []
    q = 0
    while len(words) < count:
        prefix = words[q - 1] if q else ""
        words.extend(prefix + syllable for syllable in _SYLLABLES)
        q += 1
    del words[count:]
    marker = "\u2581"
    out = [marker + w for w in words]
    out[2::3] = words[2::3]  # two tokens in three start a word
    return tuple(out)


def _zipf_probs(n: int, s: float, q: float) -> np.ndarray:
    w = (np.arange(1, n + 1, dtype=np.float64) + q) ** -s
    return w / w.sum()


def _log_top_and_slope(ranks: np.ndarray, s: float, q: float) -> tuple[float, float]:
    """log p(top) for offset q and its derivative in q (``ranks`` = 2..n)."""
    w0 = (1.0 + q) ** -s
    a = np.power(ranks + q, -s)
    tail = a.sum()
    d_w0 = -s * w0 / (1.0 + q)
    d_tail = -s * (a / (ranks + q)).sum()
    return math.log(w0) - math.log(w0 + tail), d_w0 / w0 - (d_w0 + d_tail) / (w0 + tail)


def _solve_offset(n: int, s: float, target: float) -> float:
    """The Zipf-Mandelbrot offset q in (-1, inf) giving the top token ``target``: Newton's method kept
    inside a bisection bracket (log p(top) falls monotonically as q grows)."""
    ranks = np.arange(2, n + 1, dtype=np.float64)
    goal = math.log(target)
    lo, hi = -1.0 + 1e-12, 1.0
    while _log_top_and_slope(ranks, s, hi)[0] > goal:
        lo, hi = hi, hi * 4.0
        if hi > 1e12:
            raise PlannerError(f"no Zipf tail with exponent {s} over {n} tokens gives the top token only "
                               f"{target}", field="top_probability")
    q = 0.5 * (lo + hi)
    for _ in range(100):
        value, slope = _log_top_and_slope(ranks, s, q)
        if abs(value - goal) <= 1e-12:
            break
        if value > goal:
            lo = q
        else:
            hi = q
        step = q - (value - goal) / slope if slope < 0 else None
        q = step if step is not None and lo < step < hi else 0.5 * (lo + hi)
    return q


def zipf_distribution(vocab_size: int = 32_000, top_probability: float = 0.3, exponent: float = 1.1, *,
                      shuffle_seed: int | None = None) -> Distribution:
    """A Zipf-Mandelbrot distribution over ``vocab_size`` tokens whose most likely token has
    ``top_probability``.

    ``exponent`` (s > 0) is the tail: about 1 for natural text, larger for a sharper fall-off. The head
    is reached by solving the offset q in (-1, inf); when even q -> inf cannot make the top token as rare
    as asked (it can never be below 1/vocab_size) the request is refused. ``shuffle_seed`` scatters the
    ranks over token ids (the labels move with them), otherwise token 0 is the most likely.
    """
    n = int(vocab_size)
    if not 2 <= n <= MAX_VOCAB:
        raise PlannerError(f"the vocabulary size must be between 2 and {MAX_VOCAB}, got {vocab_size}",
                           field="vocab_size")
    if not 0 < exponent <= 10 or math.isnan(exponent):
        raise PlannerError(f"the tail exponent must be in (0, 10], got {exponent}", field="exponent")
    if not 1.0 / n < top_probability < 1.0:
        raise PlannerError(f"the top-token probability must be between 1/{n} and 1, got {top_probability}",
                           field="top_probability")
    q = _solve_offset(n, exponent, top_probability)
    p = _zipf_probs(n, exponent, q)
    tokens = pseudo_tokens(n)
    if shuffle_seed is not None:
        perm = np.random.default_rng(shuffle_seed).permutation(n)
        p_shuffled = np.empty_like(p)
        p_shuffled[perm] = p
        labels = [""] * n
        for rank, pos in enumerate(perm):
            labels[pos] = tokens[rank]
        p, tokens = p_shuffled, tuple(labels)
    return Distribution(np.log(p), tokens,
                        source=f"Zipf-Mandelbrot: {n} tokens, top {top_probability:g}, exponent {exponent:g} "
                               f"(offset {q:.4g})")

"""Samplers that change logits from what came before: repetition, frequency and presence penalties, DRY,
and logit bias. Which tokens each engine counts, and over what window, is the caller's business (the
engine profiles pass the right slice of the history); these functions apply one engine's formula.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .candidates import Candidates
from .distribution import DTYPE
from .step import Step

F = DTYPE


def _counts(tokens: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(tokens, dtype=np.int64)
    if arr.size == 0:
        return arr, arr
    return np.unique(arr, return_counts=True)


def repetition_divide_or_multiply(c: Candidates, tokens: Sequence[int], penalty: float, *,
                                  multiply_at_zero: bool) -> Step:
    """The CTRL repetition penalty (Keskar et al. 2019, arXiv:1909.05858) with the usual sign fix.

    Each token present in ``tokens`` (once, however often it occurs): a positive logit is divided by the
    penalty, a negative one multiplied. transformers ``RepetitionPenaltyLogitsProcessor`` multiplies when
    ``score < 0``; vLLM (``apply_repetition_penalties``) divides when ``logits > 0``: at exactly 0 both
    leave 0, so ``multiply_at_zero`` only documents which side the engine puts 0 on.
    """
    ids, _ = _counts(tokens)
    pos, _which = c.positions_of(ids)
    logits = c.logits.copy()
    sel = logits[pos]
    neg = sel <= 0 if multiply_at_zero else sel < 0
    logits[pos] = np.where(neg, sel * F(penalty), sel / F(penalty))
    return Step.of(c.with_logits(logits), note=f"{pos.size} candidate(s) seen before")


def llama_penalties(c: Candidates, window: Sequence[int], repeat: float, freq: float, present: float) -> Step:
    """llama.cpp ``llama_sampler_penalties_apply``: over the tokens of the window (the last
    ``penalty_last_n`` accepted tokens), a seen token's logit is multiplied by ``repeat`` if ``<= 0``, else
    divided, then reduced by ``count * freq + present``.
    """
    ids, counts = _counts(window)
    pos, which = c.positions_of(ids)
    logits = c.logits.copy()
    sel = logits[pos]
    sel = np.where(sel <= 0, sel * F(repeat), sel / F(repeat)).astype(F)
    cnt = counts[which].astype(F)
    sel = sel - (cnt * F(freq) + (cnt > 0).astype(F) * F(present))
    logits[pos] = sel
    return Step.of(c.with_logits(logits), note=f"{pos.size} candidate(s) in the last {len(window)} tokens")


def openai_penalties(c: Candidates, seen: Sequence[int], generated: Sequence[int],
                     repetition: float, frequency: float, presence: float) -> Step:
    """vLLM ``apply_penalties`` (vllm/model_executor/layers/utils.py): repetition over prompt and output
    tokens, then the OpenAI frequency (``count``) and presence (``count > 0``) penalties over output tokens.
    """
    logits = c.logits.copy()
    if repetition != 1.0:
        ids, _ = _counts(seen)
        pos, _ = c.positions_of(ids)
        sel = logits[pos]
        logits[pos] = np.where(sel > 0, sel / F(repetition), sel * F(repetition))
    ids, counts = _counts(generated)
    pos, which = c.positions_of(ids)
    cnt = counts[which].astype(F)
    logits[pos] = logits[pos] - F(frequency) * cnt
    logits[pos] = logits[pos] - F(presence) * (cnt > 0).astype(F)
    return Step.of(c.with_logits(logits))


def logit_bias(c: Candidates, bias: Sequence[tuple[int, float]]) -> Step:
    """Add each (token, bias) to that token's logit; a token not among the candidates is skipped
    (llama.cpp ``llama_sampler_logit_bias_apply``). ``-inf`` removes the token.
    """
    logits = c.logits.copy()
    for token, b in bias:
        pos, _ = c.positions_of(np.array([token]))
        if pos.size:
            logits[pos] = logits[pos] + F(b)
    keep = np.flatnonzero(np.isfinite(logits))
    out = Candidates(c.ids[keep], logits[keep], c.vocab_size, False)
    return Step.of(out)


# --- DRY ----------------------------------------------------------------------------------------------------

class BreakerTokens:
    """Which tokens are single-token sequence breakers: their text contains a breaker string.

    llama.cpp ``get_overlapping_token_sequences`` makes every token containing the breaker a breaker head
    with an empty tail; tokens that only overlap the breaker's start get a tokenised tail, which needs the
    model's tokenizer and is not modelled (for single-character breakers such as the defaults
    ``"\\n" ":" "\\"" "*"`` there is no such overlap, so the set is exact). Looked up per token on demand:
    DRY only ever asks about the tokens of its window and the tokens it would penalise.
    """

    def __init__(self, labels: Sequence[str], breakers: Sequence[str]):
        self.labels = labels
        self.breakers = tuple(b for b in breakers if b)
        self._cache: dict[int, bool] = {}

    def __contains__(self, token: int) -> bool:
        hit = self._cache.get(token)
        if hit is None:
            text = self.labels[token] if 0 <= token < len(self.labels) else None
            hit = text is not None and any(b in text for b in self.breakers)
            self._cache[token] = hit
        return hit


def dry_breaker_ids(labels: Sequence[str], breakers: Sequence[str]) -> BreakerTokens:
    return BreakerTokens(labels, breakers)


def z_array(seq: Sequence[int]) -> list[int]:
    """z[k] = length of the longest common prefix of ``seq`` and ``seq[k:]`` (Gusfield's Z-algorithm,
    linear time; z[0] = len(seq))."""
    n = len(seq)
    z = [0] * n
    if n:
        z[0] = n
    left = right = 0
    for k in range(1, n):
        if k < right:
            z[k] = min(right - k, z[k - left])
        while k + z[k] < n and seq[z[k]] == seq[k + z[k]]:
            z[k] += 1
        if k + z[k] > right:
            left, right = k, k + z[k]
    return z


def dry_repeat_lengths(context: Sequence[int], allowed_length: int, breakers) -> dict[int, int]:
    """For each token that would extend a repetition of the context's end, the longest such repetition.

    The semantics of llama.cpp ``llama_sampler_dry_apply`` steps 1-3 (Koboldcpp's DRY, by pi6am): the
    repetition length is capped at the distance back to the latest sequence breaker; a match of length
    ``n >= allowed_length`` ending ``k`` tokens back makes the token that followed it a candidate with
    length ``n``. Like llama.cpp we read the context backwards and use a Z-algorithm.
    """
    n = len(context)
    rev = list(reversed(context))  # rev[i] = the token i places back from the end
    rep_limit = n
    for i, tok in enumerate(rev):
        if tok in breakers:
            rep_limit = i
            break
    if rep_limit < allowed_length:
        return {}
    z = z_array(rev)
    best: dict[int, int] = {}
    for k in range(1, n):
        m = min(z[k], rep_limit)
        if m >= allowed_length:
            follower = rev[k - 1]
            if best.get(follower, -1) < m:
                best[follower] = m
    return best


def dry(c: Candidates, context: Sequence[int], multiplier: float, base: float, allowed_length: int,
        breakers) -> Step:
    """llama.cpp DRY step 4: ``logit -= multiplier * base ** (length - allowed_length)`` for each token
    that would extend a repetition, except single-token breakers; the exponent is capped so that the power
    stays below FLT_MAX (``88.7228391 / ln(base)``).
    """
    lengths = {t: n for t, n in dry_repeat_lengths(context, allowed_length, breakers).items() if t not in breakers}
    max_exponent = int(88.7228391 / math.log(base)) if base > 1.000001 else 0
    logits = c.logits.copy()
    tokens = np.fromiter(lengths, dtype=np.int64, count=len(lengths))
    pos, which = c.positions_of(tokens)
    exps = np.array([lengths[t] for t in tokens[which]], dtype=np.int64) - allowed_length
    if max_exponent > 0:
        exps = np.minimum(exps, max_exponent)
    logits[pos] = logits[pos] - (F(multiplier) * np.power(F(base), exps.astype(F))).astype(F)
    return Step.of(c.with_logits(logits), note=f"{pos.size} token(s) would extend a repetition")

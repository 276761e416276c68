"""Truncation samplers: each removes candidates, as a given engine does it.

Each function takes the candidate set and the sampler's parameters and returns a ``Step``. Where engines
differ the variant is named after the engine and cites the file it follows. Arithmetic is float32 like the
engines'; running sums are sequential (``np.cumsum``), like llama.cpp's ``cum_sum += p`` loop.
Ties: lower token id first (see ``candidates``).
"""
from __future__ import annotations

import math

import numpy as np

from .candidates import Candidates, growing_prefixes, top_positions
from .distribution import DTYPE
from .step import Step

F = DTYPE


def _drop_positions(c: Candidates, positions: np.ndarray) -> Candidates:
    keep = np.ones(c.size, dtype=bool)
    keep[positions] = False
    return c.take(np.flatnonzero(keep))


# --- top-k ------------------------------------------------------------------------------------------------

def top_k_exact(c: Candidates, k: int) -> Step:
    """Exactly min(k, n) tokens; a cut through tied logits keeps the lower ids.

    llama.cpp ``llama_sampler_top_k_impl`` (src/llama-sampling.cpp: partial sort, ``cur_p->size = k``);
    Ollama's Go sampler ``topK`` (sample/transforms.go: a min-heap that only replaces on a strictly larger
    logit, so the earliest, lowest-id tokens win ties). Caller skips k <= 0.
    """
    k = min(int(k), c.size)
    return Step.of(c.top(k), {"k": float(k)})


def top_k_keep_ties(c: Candidates, k: int) -> Step:
    """Every token whose logit is at least the k-th largest: ties at the cut are all kept (may exceed k).

    transformers ``TopKLogitsWarper`` (``scores < torch.topk(scores, top_k)[0][..., -1, None]`` removed);
    vLLM ``apply_top_k_only`` / ``apply_top_k_top_p`` (vllm/v1/sample/ops/topk_topp_sampler.py:
    ``logits < k-th value`` masked).
    """
    if k >= c.size:
        return Step.of(c, {"k": float(k)})
    kth = np.partition(c.logits, c.size - k)[c.size - k]
    return Step.of(c.take(np.flatnonzero(c.logits >= kth)), {"k": float(k)})


# --- top-p (nucleus) --------------------------------------------------------------------------------------
#
# The engines sort the candidates and walk the running sum. Only the sorted *values* matter for where the walk
# stops, and numpy sorts float32 values far faster than it sorts indices, so we sort the probabilities, find
# the cut, and then pick the tokens above the cut (ties at the cut by logit, then by the engine's id rule).

def _descending_probs(c: Candidates) -> np.ndarray:
    return np.sort(c.probs)[::-1]


def _most_probable(c: Candidates, k: int, sorted_probs: np.ndarray) -> Candidates:
    """The k most probable candidates (in their current order); ties at the cut: higher logit, lower id."""
    if k >= c.size:
        return c
    cut = sorted_probs[k - 1]
    above = np.flatnonzero(c.probs > cut)
    tied = np.flatnonzero(c.probs == cut)
    need = k - above.size
    if need < tied.size:
        tied = tied[np.lexsort((c.ids[tied], -c.logits[tied].astype(np.float64)))]
    return c.take(np.sort(np.concatenate([above, tied[:need]])), sorted=False)


def top_p_inclusive(c: Candidates, p: float, min_keep: int = 0) -> Step:
    """Keep the shortest prefix whose running sum reaches ``p`` (``cum_sum >= p``) and has min_keep tokens.

    llama.cpp ``llama_sampler_top_p_apply`` (src/llama-sampling.cpp). p <= 0 keeps one token.
    """
    sp = _descending_probs(c)
    cum = np.cumsum(sp, dtype=F)
    count = np.arange(1, sp.size + 1)
    hit = np.flatnonzero((cum >= F(p)) & (count >= min_keep))
    k = int(hit[0]) + 1 if hit.size else c.size
    return Step.of(_most_probable(c, k, sp), {"top_p": float(p)})


def top_p_tail(c: Candidates, p: float, min_keep: int = 1, *, one_minus_p: float | None = None) -> Step:
    """Remove a token when the mass of it and everything less likely is ``<= 1 - p``; keep min_keep.

    transformers ``TopPLogitsWarper`` and vLLM ``apply_top_k_top_p`` sort ascending and remove
    ``cumsum <= 1 - top_p`` (``top_p_mask[:, -1] = False`` keeps one). We walk from the top instead and
    form the same tail sum as ``total - (mass above the token)``, so the rule is theirs without a full sort.
    ``one_minus_p`` lets vLLM pass its float32 ``1 - p``.

    Ties at the cut: ``torch.sort`` is not stable, so which of several equal tokens survives depends on the
    tensor's size and device (on CPU a 4-token tie keeps the higher ids, a 17-token tie an arbitrary one);
    we keep the lower ids, as everywhere else.
    """
    sp = _descending_probs(c)
    total = sp.sum(dtype=F)
    limit = F(1.0 - p) if one_minus_p is None else F(one_minus_p)
    above = np.concatenate(([F(0)], np.cumsum(sp, dtype=F)[:-1]))
    removed = (total - above) <= limit
    removed[:min_keep] = False
    hit = np.flatnonzero(removed)
    k = int(hit[0]) if hit.size else c.size
    return Step.of(_most_probable(c, k, sp), {"top_p": float(p)})


def top_p_strict(c: Candidates, p: float) -> Step:
    """Keep tokens until the running sum exceeds ``p`` (``sum > p``), that token included.

    Ollama's Go sampler ``topP`` (sample/transforms.go, v0.5.13 to v0.29): a sum exactly equal to ``p``
    does not stop, so one more token survives than with llama.cpp's ``>=``.
    """
    sp = _descending_probs(c)
    hit = np.flatnonzero(np.cumsum(sp, dtype=F) > F(p))
    k = int(hit[0]) + 1 if hit.size else c.size
    return Step.of(_most_probable(c, k, sp), {"top_p": float(p)})


# --- min-p ------------------------------------------------------------------------------------------------

def min_p_logit(c: Candidates, p: float, min_keep: int = 0) -> Step:
    """Keep ``logit >= max_logit + logf(p)`` (i.e. p_i >= p * p_max), at least min_keep tokens.

    llama.cpp ``llama_sampler_min_p_apply``: the unsorted path compares logits; if it keeps nothing or
    fewer than min_keep it falls back to the sorted path, which always keeps the top token and at least
    min_keep (p > 1 thus keeps exactly one token).
    """
    top_logit = c.logits.max()
    min_logit = F(top_logit + F(math.log(F(p)))) if p > 0 else F(-np.inf)
    keep = c.logits >= min_logit
    count = int(keep.sum())
    thresholds = {"min_p": float(c.probs.max()) * float(p)}
    if count and count >= min_keep:
        return Step.of(c.take(np.flatnonzero(keep)), thresholds)
    return Step.of(c.top(min(c.size, max(count, min_keep, 1))), thresholds)


def min_p_prob(c: Candidates, p: float, min_keep: int = 0) -> Step:
    """Remove ``probs < p * max(probs)`` computed on probabilities; keep the min_keep most likely.

    transformers ``MinPLogitsWarper`` (keeps ``torch.topk(probs, min_tokens_to_keep)``), vLLM
    ``MinPLogitsProcessor.apply`` (vllm/v1/sample/logits_processor/builtin.py), Ollama's Go ``minP``.
    """
    probs = c.probs
    threshold = probs.max() * F(p)
    keep = probs >= threshold
    if min_keep > 0:
        keep[top_positions(probs, min_keep, c.ids)] = True
    return Step.of(c.take(np.flatnonzero(keep)), {"min_p": float(threshold)})


# --- typical-p --------------------------------------------------------------------------------------------

def _log_probs(c: Candidates) -> np.ndarray:
    m = c.logits.max()
    return (c.logits - (m + F(np.log(np.exp(c.logits - m, dtype=F).sum(dtype=F))))).astype(F)


def typical_hf(c: Candidates, mass: float, min_keep: int = 1) -> Step:
    """Locally typical sampling as transformers ``TypicalLogitsWarper`` does it.

    Sort by |-log p - H| ascending; ``last_ind`` = how many running sums are ``< mass``; remove every token
    whose shifted score is strictly greater than the one at ``last_ind`` (so ties there are kept); never the
    first min_keep of the sorted list.
    """
    logp = _log_probs(c)
    p = np.exp(logp, dtype=F)
    ent = -np.nansum(logp * p, dtype=F)
    shifted = np.abs(-logp - ent).astype(F)
    for order in growing_prefixes(-shifted, c.ids):
        cum = np.cumsum(p[order], dtype=F)
        below = np.flatnonzero(cum >= F(mass))
        if below.size or order.size == c.size:
            last = int(below[0]) if below.size else order.size
            last = min(last, c.size - 1)
            limit = shifted[order[last]] if last < order.size else shifted[order[-1]]
            keep = shifted <= limit
            keep[order[:min_keep]] = True
            return Step.of(c.take(np.flatnonzero(keep)), {"typical_p": float(mass), "entropy_nats": float(ent)})
    raise AssertionError("unreachable")


def typical_llama(c: Candidates, p: float, min_keep: int = 0) -> Step:
    """Locally typical sampling as llama.cpp ``llama_sampler_typical_apply`` does it.

    Candidates sorted by logit, then re-sorted by |-log p - H|; keep the prefix up to the first running
    sum ``> p`` with at least min_keep tokens. The survivors stay in typicality order (``sorted = false``).
    Ties in the shifted score keep the logit order (the more probable token first).
    """
    probs = c.probs
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.log(probs, dtype=F)
        ent = F(-np.where(probs > 0, probs * logp, F(0)).sum(dtype=F))
        shifted = np.abs(-logp - ent).astype(F)
    for order in growing_prefixes(-shifted, -c.logits, c.ids):
        cum = np.cumsum(probs[order], dtype=F)
        count = np.arange(1, order.size + 1)
        hit = np.flatnonzero((cum > F(p)) & ((min_keep == 0) | (count >= min_keep)))
        if hit.size:
            return Step.of(c.take(order[: hit[0] + 1], sorted=False),
                           {"typical_p": float(p), "entropy_nats": float(ent)})
    return Step.of(c.take(order, sorted=False), {"typical_p": float(p), "entropy_nats": float(ent)})


# --- epsilon / eta (transformers) -------------------------------------------------------------------------

def _keep_top_by_logit(c: Candidates, keep: np.ndarray, min_keep: int) -> np.ndarray:
    """transformers keeps ``scores >= torch.topk(scores, min_tokens_to_keep)[0][..., -1]`` (ties included)."""
    k = min(min_keep, c.size)
    if k > 0:
        kth = np.partition(c.logits, c.size - k)[c.size - k]
        keep = keep | (c.logits >= kth)
    return keep


def epsilon_cut(c: Candidates, epsilon: float, min_keep: int = 1) -> Step:
    """transformers ``EpsilonLogitsWarper``: remove p < epsilon (Hewitt et al. 2022, arXiv:2210.15191)."""
    keep = _keep_top_by_logit(c, c.probs >= F(epsilon), min_keep)
    return Step.of(c.take(np.flatnonzero(keep)), {"epsilon": float(epsilon)})


def eta_cut(c: Candidates, epsilon: float, min_keep: int = 1) -> Step:
    """transformers ``EtaLogitsWarper``: remove p < eta, eta = min(epsilon, sqrt(epsilon) * exp(-H)).

    H is the entropy (nats) of the current distribution (``torch.distributions.Categorical(...).entropy()``).
    """
    probs = c.probs
    logp = _log_probs(c)
    ent = -np.where(probs > 0, probs * logp, F(0)).sum(dtype=F)
    eps = F(epsilon)
    eta = min(eps, F(np.sqrt(eps) * np.exp(-ent, dtype=F)))
    keep = _keep_top_by_logit(c, probs >= eta, min_keep)
    return Step.of(c.take(np.flatnonzero(keep)), {"eta": float(eta), "entropy_nats": float(ent)})


# --- top-n-sigma (llama.cpp) ------------------------------------------------------------------------------

def top_n_sigma(c: Candidates, n: float) -> Step:
    """llama.cpp ``llama_sampler_top_n_sigma_apply`` (Tang et al. 2024, arXiv:2411.07641).

    Remove ``logit < max - n * std`` with the population standard deviation of the finite logits.
    """
    lg = c.logits
    mean = F(lg.sum(dtype=F) / F(lg.size))
    std = F(np.sqrt(F(((lg - mean).astype(np.float64) ** 2).sum()) / F(lg.size)))
    limit = F(lg.max() - F(n) * std)
    keep = ~(lg < limit)
    return Step.of(c.take(np.flatnonzero(keep)), {"logit_threshold": float(limit), "sigma": float(std)})


# --- XTC (llama.cpp) --------------------------------------------------------------------------------------

def xtc(c: Candidates, probability: float, threshold: float, min_keep: int = 0) -> Step:
    """llama.cpp ``llama_sample_xtc_apply``: "exclude top choices".

    With chance ``probability`` (a uniform float in [0, 1) must not exceed it), every token at or above
    ``threshold`` except the least likely of them is removed, if that leaves at least min_keep tokens and
    at least two tokens were above the threshold. The two outcomes become two weighted branches.
    """
    probs = c.probs
    above = int((probs >= F(threshold)).sum())
    pos_last = max(above - 1, 0)
    thresholds = {"xtc_threshold": float(threshold)}
    if not (c.size - pos_last >= min_keep and pos_last > 0):
        return Step.of(c, thresholds, note="fewer than two tokens above the threshold: nothing removed")
    fired = _drop_positions(c, top_positions(c.logits, pos_last, c.ids))
    fire = min(1.0, float(probability))
    if fire >= 1.0:
        return Step.of(fired, thresholds, note="fires every time (probability >= 1)")
    return Step(((1.0 - fire, c), (fire, fired)), thresholds,
                note=f"fires with probability {fire:g}: the result mixes both outcomes")

"""Temperature, dynamic temperature and greedy choice."""
from __future__ import annotations

import math

import numpy as np

from .candidates import Candidates
from .distribution import DTYPE
from .step import Step

F = DTYPE


def first_max(c: Candidates) -> Step:
    """Keep only the most likely token; among equal logits the lowest id (``torch.argmax`` returns the first
    maximal index; llama.cpp's ``logit > max`` scan keeps the first; Ollama's Go ``greedy`` uses ``>``)."""
    top = c.logits.max()
    tied = np.flatnonzero(c.logits == top)
    pos = tied[np.argmin(c.ids[tied])]
    return Step.of(c.take(np.array([pos]), sorted=True), note="greedy: the most likely token only")


def scale(c: Candidates, temperature: float) -> Step:
    """``logits / temperature`` (float32)."""
    return Step.of(c.with_logits(c.logits / F(temperature)), {"temperature": float(temperature)})


def llama_temperature(c: Candidates, temp: float) -> Step:
    """llama.cpp ``llama_sampler_temp_impl``: ``temp <= 0`` keeps only the first maximal logit (greedy)."""
    if temp <= 0:
        return first_max(c)
    return scale(c, temp)


def llama_dynatemp(c: Candidates, temp: float, delta: float, exponent: float) -> Step:
    """llama.cpp ``llama_sampler_temp_ext_apply`` with ``delta > 0`` (dynamic temperature, kalomaze).

    The temperature is ``min + (max - min) * (H / H_max) ** exponent`` with ``min = max(0, temp - delta)``,
    ``max = temp + delta``, H the entropy of the candidates and H_max = ln(n). One candidate: unchanged.
    """
    if c.size <= 1:
        return Step.of(c, note="one candidate: dynamic temperature does nothing")
    lo = max(0.0, temp - delta)
    hi = temp + delta
    max_entropy = -math.log(1.0 / c.size)
    p = c.probs
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = float(-np.where(p > 0, p * np.log(p, dtype=F), F(0)).sum(dtype=F))
    dyn = F(lo + (hi - lo) * float(F(ent / max_entropy)) ** exponent)
    step = llama_temperature(c, float(dyn))
    return Step(step.branches, {"temperature": float(dyn), "entropy_nats": ent},
                note=f"entropy {ent / max_entropy:.3f} of the maximum: temperature {float(dyn):.4g}")

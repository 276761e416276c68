"""Mirostat v1 and v2 (Basu et al. 2021, arXiv:2007.14966) as llama.cpp implements them.

Both are stateful: ``mu`` starts at ``2 * tau`` and after each drawn token moves by
``-eta * (surprise - tau)`` with ``surprise = -log2 p(token)`` (src/llama-sampling.cpp
``llama_sampler_mirostat_apply`` / ``_v2_apply``). The distribution shown is the one for the current mu;
``draw`` advances it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .candidates import Candidates
from .distribution import DTYPE
from .step import Step

F = DTYPE

#: llama.cpp common/sampling.cpp passes m = 100 to ``llama_sampler_init_mirostat``.
MIROSTAT_M = 100


@dataclass(frozen=True)
class MirostatState:
    version: int
    tau: float
    eta: float
    mu: float
    n_vocab: int

    @classmethod
    def start(cls, version: int, tau: float, eta: float, n_vocab: int) -> "MirostatState":
        return cls(version, float(tau), float(eta), float(F(2.0) * F(tau)), int(n_vocab))

    def after(self, probability: float) -> "MirostatState":
        """The state after drawing a token whose (truncated, renormalised) probability was ``probability``."""
        surprise = -math.log2(probability)
        return MirostatState(self.version, self.tau, self.eta, float(F(self.mu - self.eta * (surprise - self.tau))),
                             self.n_vocab)


def v1_k(c: Candidates, state: MirostatState) -> int:
    """How many tokens v1 keeps: Zipf exponent s fitted on the top m tokens, then
    ``k = (eps * 2**mu / (1 - N**-eps)) ** (1/s)`` with ``eps = s - 1``, in float32 like llama.cpp.

    ``std::max(int(k), 1)``: a k that does not fit an int (a flat distribution gives s = 0 and k = inf)
    converts to INT_MIN on x86-64 (``cvttss2si``), so one token is kept; ARM would saturate to INT_MAX and
    keep every token. We follow x86-64.
    """
    if c.size <= 1:
        return 1
    top = c.top(MIROSTAT_M)
    p = _probs_of(c, top)
    m = min(MIROSTAT_M - 1, top.size - 1)
    i = np.arange(m, dtype=np.float64)
    with np.errstate(all="ignore"):
        t = np.log((i + 2) / (i + 1)).astype(F)
        b = np.log(p[:m] / p[1:m + 1], dtype=F)
        s_hat = F((t * b).sum(dtype=F) / (t * t).sum(dtype=F))
        eps_hat = F(s_hat - F(1))
        k = np.power(F(eps_hat * np.power(F(2), F(state.mu))) / F(F(1) - np.power(F(state.n_vocab), -eps_hat)),
                     F(1) / s_hat, dtype=F)
    if not np.isfinite(k) or not -2.0 ** 31 <= float(k) < 2.0 ** 31:
        return 1
    return max(int(k), 1)


def _probs_of(c: Candidates, top: Candidates) -> np.ndarray:
    """The probabilities (softmax over all candidates) of the tokens in ``top``, in its order."""
    all_p = c.probs
    pos, _ = c.positions_of(top.ids)
    return all_p[pos]


def mirostat_v1(c: Candidates, state: MirostatState) -> Step:
    k = min(v1_k(c, state), c.size)
    return Step.of(c.top(k), {"mu": state.mu, "k": float(k)}, note=f"mu {state.mu:.3f}: top-{k}")


def mirostat_v2(c: Candidates, state: MirostatState) -> Step:
    """Keep the tokens whose surprise ``-log2 p`` does not exceed mu (at least one)."""
    with np.errstate(divide="ignore"):
        surprise = -np.log2(c.probs, dtype=F)
    count = max(1, int((surprise <= F(state.mu)).sum()))
    return Step.of(c.top(count), {"mu": state.mu, "min_probability": float(2.0 ** -state.mu)},
                   note=f"mu {state.mu:.3f}: {count} token(s) with surprise <= mu")

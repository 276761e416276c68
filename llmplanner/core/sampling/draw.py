"""Drawing tokens from a chain's final distribution, with a seed.

The draws are statistically what the engine does, not the engine's own random stream: llama.cpp uses
``std::mt19937`` with a ``discrete_distribution``, vLLM divides by exponential noise, Ollama's Go sampler
a PCG; a given seed therefore picks different tokens here than there. XTC's coin is part of the final
distribution already (it mixes both outcomes). Mirostat is the one stateful case: each draw truncates with
the current ``mu`` and moves it (llama.cpp ``llama_sampler_mirostat*_apply``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import PlannerError
from .chain import ChainResult
from .mirostat import MirostatState, v1_k


@dataclass(frozen=True)
class Draws:
    tokens: np.ndarray                         # drawn token ids, in order
    counts: np.ndarray                         # how often each token id was drawn (vocabulary length)
    mirostat_mu: tuple[float, ...] = ()        # mu before each draw (Mirostat only)

    @property
    def frequencies(self) -> np.ndarray:
        return self.counts / max(1, self.tokens.size)


def draw(result: ChainResult, n: int, seed: int | None = None) -> Draws:
    """Draw ``n`` tokens from ``result`` (each draw independent, except Mirostat's moving mu)."""
    if n < 0:
        raise PlannerError(f"the number of draws must not be negative, got {n}", field="draws")
    rng = np.random.default_rng(seed)
    size = result.distribution.size
    if result.mirostat is not None and result.mirostat_input is not None:
        tokens, mus = _mirostat_draws(result, n, rng)
    else:
        final = result.final
        p = final.kept_probs / final.kept_probs.sum()
        tokens = final.ids[rng.choice(final.ids.size, size=n, p=p)] if n else np.empty(0, np.int64)
        mus = ()
    counts = np.bincount(tokens, minlength=size) if n else np.zeros(size, dtype=np.int64)
    return Draws(np.asarray(tokens, dtype=np.int64), counts, tuple(mus))


def _mirostat_draws(result: ChainResult, n: int, rng):
    cands = result.mirostat_input.in_descending_order()
    probs = cands.probs.astype(np.float64)
    with np.errstate(divide="ignore"):
        surprise = -np.log2(cands.probs)
    state: MirostatState = result.mirostat
    out, mus = [], []
    for _ in range(n):
        mus.append(state.mu)
        if state.version == 1:
            k = min(v1_k(cands, state), cands.size)
        else:
            k = max(1, int(np.searchsorted(surprise, np.float32(state.mu), side="right")))
        p = probs[:k] / probs[:k].sum()
        i = int(rng.choice(k, p=p))
        out.append(int(cands.ids[i]))
        state = state.after(float(np.float32(p[i])))
    return np.array(out, dtype=np.int64), mus

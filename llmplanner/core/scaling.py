"""Training compute and Chinchilla's compute-optimal scaling.

- Training compute ``C ≈ 6·N·D`` FLOPs (forward 2·N·D, backward 4·N·D): Kaplan et al. 2020
  (arXiv:2001.08361) §2.1; Hoffmann et al. 2022 (arXiv:2203.15556) §3.
- Loss ``L(N, D) = E + A/N^α + B/D^β`` with the fitted constants of Hoffmann et al. 2022, §3.3 eq. (10)
  and Appendix D.2 (Approach 3): E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28.
- Compute-optimal allocation under that fit (their eq. 4): ``N_opt(C) = G·(C/6)^a``,
  ``D_opt(C) = G⁻¹·(C/6)^b`` with ``a = β/(α+β)``, ``b = α/(α+β)``, ``G = (αA/(βB))^(1/(α+β))``.
- The widely quoted "about 20 tokens per parameter" is Approaches 1 and 2 (Table 3: 70B → 1.4T tokens);
  Approach 3 asks for more tokens at large N. Both are reported.
"""
from __future__ import annotations

from dataclasses import dataclass

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
TOKENS_PER_PARAM = 20.0
"""Chinchilla Approaches 1/2 (Table 3): 70B parameters ↔ 1.4T tokens."""

_a = BETA / (ALPHA + BETA)
_b = ALPHA / (ALPHA + BETA)
_G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))


def training_flops(params: float, tokens: float) -> float:
    """6·N·D."""
    return 6.0 * params * tokens


def chinchilla_loss(params: float, tokens: float) -> float:
    """Predicted final pre-training loss (nats/token on MassiveText) of N parameters trained on D tokens."""
    if params <= 0 or tokens <= 0:
        raise ValueError("parameters and tokens must be positive")
    return E + A / params**ALPHA + B / tokens**BETA


def optimal_tokens_approach3(params: float) -> float:
    """Tokens that make ``params`` compute-optimal under the parametric fit (Approach 3)."""
    c_over_6 = (params / _G) ** (1 / _a)
    return (c_over_6**_b) / _G


def optimal_params_for_compute(flops: float) -> tuple[float, float]:
    """(N_opt, D_opt) for a compute budget C under Approach 3."""
    c6 = flops / 6.0
    return _G * c6**_a, c6**_b / _G


@dataclass(frozen=True)
class ScalingReport:
    params: float
    tokens: float
    training_flops: float
    loss: float
    optimal_tokens_20x: float
    optimal_tokens_fit: float
    loss_at_optimum_20x: float

    @property
    def tokens_per_param(self) -> float:
        return self.tokens / self.params

    def as_dict(self) -> dict:
        return {
            "params": self.params,
            "tokens": self.tokens,
            "tokens_per_param": self.tokens_per_param,
            "training_flops": self.training_flops,
            "predicted_loss": self.loss,
            "chinchilla_optimal_tokens_20x": self.optimal_tokens_20x,
            "chinchilla_optimal_tokens_fit": self.optimal_tokens_fit,
            "loss_at_20x_tokens": self.loss_at_optimum_20x,
        }


def scaling_report(params: float, tokens: float | None = None) -> ScalingReport:
    """Where a model of ``params`` parameters trained on ``tokens`` (default: 20 per parameter) sits."""
    d20 = TOKENS_PER_PARAM * params
    tokens = d20 if tokens is None else tokens
    return ScalingReport(
        params=params,
        tokens=tokens,
        training_flops=training_flops(params, tokens),
        loss=chinchilla_loss(params, tokens),
        optimal_tokens_20x=d20,
        optimal_tokens_fit=optimal_tokens_approach3(params),
        loss_at_optimum_20x=chinchilla_loss(params, d20),
    )

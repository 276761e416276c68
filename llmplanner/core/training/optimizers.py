"""Bytes an optimizer keeps per trainable tensor (its states, and the fp32 master copy of mixed precision).

The "2 + 2 + 12" of mixed-precision Adam is ZeRO's accounting (Rajbhandari et al. 2020, arXiv:1910.02054
§3.1): 16-bit parameters (2Ψ) and gradients (2Ψ), plus "an fp32 copy of the parameters, momentum and variance"
(4Ψ + 4Ψ + 4Ψ, their K = 12) — "16Ψ bytes". Here the 12 is split into the master copy (4, ``master_bytes``,
kept only where the trained weights themselves are 16-bit) and the optimizer's own states (8 for Adam):

- ``adamw``: first and second moments in fp32, 8 bytes per parameter (Kingma & Ba 2015; PyTorch ``AdamW``).
- ``adamw-8bit``: bitsandbytes' block-wise 8-bit Adam (Dettmers et al. 2021, arXiv:2110.02861): both moments
  as uint8 (2 bytes) plus one fp32 absmax per block per moment. Block size 256 and ``min_8bit_size=4096``
  (tensors smaller than that keep fp32 states) are from ``bitsandbytes/optim/optimizer.py``
  ``Optimizer2State.init_state`` (0.46+; the paper and older releases used blocks of 2048).
- ``sgd``: no state; ``sgd-momentum``: one fp32 momentum buffer (4 bytes; PyTorch ``SGD`` ``momentum_buffer``).
- ``adafactor`` (Shazeer & Stern 2018, arXiv:1804.04235 §3): the second moment of a matrix is factored into
  row and column sums, ``rows + cols`` fp32 values, and there is no first moment (β1 = 0, Hugging Face
  ``transformers.optimization.Adafactor`` default). Stacked tensors factor over their last two dimensions
  (``exp_avg_sq_row`` of shape ``shape[:-1]``, ``exp_avg_sq_col`` of ``shape[:-2] + shape[-1:]``); vectors
  keep a full fp32 second moment.
"""
from __future__ import annotations

from math import prod

MASTER_BYTES = 4
"""fp32 master weights of mixed-precision training (Micikevicius et al. 2018; ZeRO §3.1)."""

EIGHT_BIT_BLOCK = 256
EIGHT_BIT_MIN_SIZE = 4096


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def state_bytes(optimizer: str, shape: tuple[int, ...]) -> int:
    """Bytes of ``optimizer``'s state for one trainable tensor of ``shape`` (master copy excluded)."""
    n = prod(shape)
    if optimizer == "adamw":
        return 8 * n
    if optimizer == "adamw-8bit":
        if n < EIGHT_BIT_MIN_SIZE:
            return 8 * n
        return 2 * n + 2 * 4 * _ceil_div(n, EIGHT_BIT_BLOCK)
    if optimizer == "sgd":
        return 0
    if optimizer == "sgd-momentum":
        return 4 * n
    if optimizer == "adafactor":
        if len(shape) < 2:
            return 4 * n
        rows = prod(shape[:-1])
        cols = prod(shape[:-2]) * shape[-1]
        return 4 * (rows + cols)
    raise ValueError(f"unknown optimizer {optimizer!r}")


def states_per_param(optimizer: str) -> float:
    """State bytes per parameter of a large matrix (for explanations): 8, ≈2.03, 0, 4, ≈0."""
    big = (1 << 14, 1 << 14)
    return state_bytes(optimizer, big) / prod(big)

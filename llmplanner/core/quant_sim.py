"""Measured quantisation error: quantise a weight tensor the way a format does, dequantise it, compare.

Every scheme is re-implemented in numpy from its reference, vectorised over blocks (no Python loop over
weights). Rows run along the last axis, as ggml's ``ne[0]`` and PyTorch's ``in_features`` do.

* ggml legacy types — ``Q8_0``, ``Q4_0``, ``Q4_1``, ``Q5_0``, ``Q5_1``, ``Q1_0`` — step for step as
  ``quantize_row_*_ref`` in ``ggml/src/ggml-quants.c`` (scale from the block's signed max or min/max, the
  inverse scale kept in fp32 for rounding, the scale stored as fp16); ``MXFP4`` as
  ``quantize_row_mxfp4_ref`` (E8M0 exponent ``floor(log2 amax) - 2``, nearest E2M1 value);
  ``TQ1_0``/``TQ2_0`` ternary (scale = absmax); ``IQ4_NL``/``IQ4_XS`` as ``quantize_row_iq4_nl_impl`` with
  ``llama-quantize``'s ``ntry = 7`` search over the non-linear codebook ``kvalues_iq4nl``.
* k-quants — ``Q2_K`` … ``Q6_K`` — as ``quantize_row_q{2..6}_K_ref`` (what llama-quantize runs without an
  importance matrix): the per-sub-block scale (and minimum) search of ``make_qx_quants`` /
  ``make_qkx2_quants`` / ``make_q3_quants``, the 4/6/8-bit quantisation of those scales against an fp16
  super-block scale, and the final re-quantisation with the stored scales. ``search="full"`` runs ggml's
  candidate grids exactly (19 scales for ``make_qx_quants``, 16–21 for ``make_qkx2_quants``, five
  coordinate-descent sweeps in ``make_q3_quants``, 15 for the IQ4 types); the default ``search="fast"``
  tries a subset of the same grids (4 of 19; the unperturbed scale and ±3 steps; no sweeps; 1 of 15) and
  evaluates squared errors from block sums instead of a second pass. On Gaussian and Student-t samples the
  fast RMSE is 0–3 % above the full search's (tested ≤ 7 %), at a fraction of the time. Sums are numpy's
  (pairwise) rather than C's sequential float additions, so a few near-tie decisions can differ.
* bitsandbytes ``nf4``/``fp4``: blocks of 64 scaled by their fp32 absmax, nearest value of bitsandbytes'
  NF4 codebook (QLoRA appendix E) or its FP4 codebook (``dDequantizeFP4Tree``); ``nf4-dq`` additionally
  stores the absmax values as 8-bit codes per block of 256 around their mean — approximated here by a
  linear 8-bit code (bitsandbytes uses its non-linear "dynamic" map), an error on the scales of < 0.4 %.
* ``int8`` (LLM.int8() weights): int8 per output row scaled by the row's absmax / 127 (the activation
  outlier decomposition happens at run time and is not part of the stored weight).
* FP8: ``fp8`` E4M3 with one per-tensor scale amax/448, ``fp8-block`` with one per 128×128 tile,
  ``fp8-e5m2`` (amax/57344): round to nearest even, subnormals kept, values beyond the range saturate.
* GPTQ/AWQ: **round-to-nearest** integers per group of 128 input columns — symmetric around the mid code for
  GPTQ (AutoGPTQ's default ``sym=True``), min/max with a zero point for AWQ. This is *not* GPTQ's
  error-compensating solver nor AWQ's activation-aware scaling, which need calibration activations; both
  reach a lower error on the model's outputs than RTN does.
* ``f16``/``bf16``: round to nearest even; ``f32`` is exact.
* llama.cpp file types (``q4_k_m`` …) are measured in their main tensor type (``Q4_K``); the mix's
  higher-precision tensors are not a property of one tensor.

i-quants with lattice codebooks (IQ1/IQ2/IQ3) need ggml's grids and are not simulated (a ``PlannerError``
says so).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import PlannerError
from .ggml_types import GGML_TYPES

# -- results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuantizationError:
    scheme: str
    """What was simulated, e.g. ``Q4_K`` or ``nf4``."""
    n: int
    rmse: float
    sqnr_db: float
    """10·log10(Σx² / Σ(x − x̂)²); infinite when the round trip is exact."""
    max_abs: float
    """Largest absolute error."""
    mean_abs: float
    hist_edges: tuple[float, ...]
    hist_counts: tuple[int, ...]
    bits_per_weight: float | None
    """Storage cost of the scheme for this tensor, scales included (None where it depends on more)."""
    note: str = ""

    def as_dict(self) -> dict:
        return {"scheme": self.scheme, "n": self.n, "rmse": self.rmse,
                "sqnr_db": None if np.isinf(self.sqnr_db) else self.sqnr_db, "max_abs": self.max_abs,
                "mean_abs": self.mean_abs, "bits_per_weight": self.bits_per_weight,
                "hist_edges": list(self.hist_edges), "hist_counts": list(self.hist_counts), "note": self.note}


# -- helpers ----------------------------------------------------------------------------------------------

_F32 = np.float32


def _fp16(a: np.ndarray) -> np.ndarray:
    """Round to IEEE half (GGML_FP32_TO_FP16: round to nearest even) and back (small arrays: scales)."""
    with np.errstate(over="ignore"):
        return a.astype(np.float16).astype(_F32)


def _f16_tensor(x: np.ndarray) -> np.ndarray:
    """A whole tensor to IEEE half and back: 10 mantissa bits, min normal 2^-14, nearest even; values beyond
    ±65504 (none in real weights) saturate here where a cast would give infinity."""
    return _round_float(x, 10, -14, 65504.0)


def _inv(d: np.ndarray) -> np.ndarray:
    """``d ? 1/d : 0`` in float32."""
    out = np.zeros_like(d, dtype=_F32)
    nz = d != 0
    out[nz] = _F32(1) / d[nz]
    return out


def _roundf(v: np.ndarray) -> np.ndarray:
    """C ``roundf``: halves away from zero (computed in float64, where |v|+0.5 is exact)."""
    v64 = v.astype(np.float64)
    return np.copysign(np.floor(np.abs(v64) + 0.5), v64)


def _blocks(x: np.ndarray, size: int, what: str) -> np.ndarray:
    """Rows → (n_blocks, size); every row must be whole blocks."""
    row = x.shape[-1]
    if row % size:
        raise PlannerError(f"{what} quantises blocks of {size} weights along a row; a row of {row} weights "
                           f"is not a multiple of {size}")
    return x.reshape(-1, size)


def _signed_max(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(absmax, the signed value at the first position of the absmax) per block, as ggml's loops find them."""
    idx = np.argmax(np.abs(b), axis=-1)
    mx = np.take_along_axis(b, idx[..., None], axis=-1)[..., 0]
    return np.abs(mx), mx


# -- ggml legacy and simple block types ---------------------------------------------------------------------

def _q8_0(x):
    b = _blocks(x, 32, "Q8_0")
    d = (np.abs(b).max(axis=1) / _F32(127)).astype(_F32)
    q = _roundf(b * _inv(d)[:, None])
    return (q * _fp16(d)[:, None]).astype(_F32)


def _q4_0(x):
    b = _blocks(x, 32, "Q4_0")
    _, mx = _signed_max(b)
    d = (mx / _F32(-8)).astype(_F32)
    q = np.minimum(15, np.trunc(b * _inv(d)[:, None] + _F32(8.5)))
    return ((q - 8) * _fp16(d)[:, None]).astype(_F32)


def _q5_0(x):
    b = _blocks(x, 32, "Q5_0")
    _, mx = _signed_max(b)
    d = (mx / _F32(-16)).astype(_F32)
    q = np.minimum(31, np.trunc(b * _inv(d)[:, None] + _F32(16.5)))
    return ((q - 16) * _fp16(d)[:, None]).astype(_F32)


def _q_min(x, bits, name):
    """Q4_1 / Q5_1: d = (max - min) / (2^bits - 1), x = d·q + min."""
    b = _blocks(x, 32, name)
    lo, hi = b.min(axis=1), b.max(axis=1)
    d = ((hi - lo) / _F32((1 << bits) - 1)).astype(_F32)
    q = np.minimum((1 << bits) - 1, np.trunc((b - lo[:, None]) * _inv(d)[:, None] + _F32(0.5)))
    return (q * _fp16(d)[:, None] + _fp16(lo)[:, None]).astype(_F32)


def _q1_0(x):
    b = _blocks(x, 128, "Q1_0")
    d = _fp16((np.abs(b).sum(axis=1) / _F32(128)).astype(_F32))
    return np.where(b >= 0, d[:, None], -d[:, None]).astype(_F32)


def _ternary(x, name):
    """TQ1_0/TQ2_0 (quantize_row_tq*_0_ref): d = absmax, q = lroundf(x/d) ∈ {-1, 0, 1}."""
    b = _blocks(x, 256, name)
    d = np.abs(b).max(axis=1).astype(_F32)
    q = _roundf(b * _inv(d)[:, None])
    return (q * _fp16(d)[:, None]).astype(_F32)


_E2M1 = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6], dtype=_F32)


class _Codebook:
    """Nearest value of a sorted codebook, ties to the lower value (index = number of midpoints strictly
    below a). A uniform grid over [lo, hi] finer than the closest pair of midpoints gives each cell's count;
    one comparison with the next midpoint finishes the job (a few array passes instead of a binary search)."""

    def __init__(self, values, lo: float, hi: float):
        self.values = np.asarray(values, dtype=_F32)
        mids = (self.values[1:] + self.values[:-1]) / 2
        self.mids = np.append(mids, np.inf).astype(_F32)
        cells = int(np.ceil(2 * (hi - lo) / np.diff(mids).min())) if len(mids) > 1 else 1
        self.lo, self.cells = _F32(lo), cells
        self.scale = _F32(cells / (hi - lo))
        left = lo + np.arange(cells, dtype=np.float64) / (cells / (hi - lo))
        self.base = np.searchsorted(mids, left, side="left").astype(np.int64)

    def index(self, a: np.ndarray) -> np.ndarray:
        c = np.floor((a - self.lo) * self.scale)
        np.clip(c, 0, self.cells - 1, out=c)
        base = self.base[c.astype(np.int64)]
        return base + (a > self.mids[base])

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return self.values[self.index(a)]


_E2M1_BOOK = _Codebook(_E2M1, 0.0, 8.0)
"""E2M1 magnitudes; ties to the smaller, as ggml's first-best search over kvalues_mxfp4 does."""


def _mxfp4(x):
    """quantize_row_mxfp4_ref: shared E8M0 exponent e = floor(log2 amax) - 2, E2M1 elements."""
    b = _blocks(x, 32, "MXFP4")
    amax = np.abs(b).max(axis=1)
    with np.errstate(divide="ignore"):
        e = np.where(amax > 0, np.floor(np.log2(np.where(amax > 0, amax, 1))) - 2, -127)
    scale = np.exp2(e).astype(_F32)
    mag = _E2M1_BOOK(np.abs(b / scale[:, None]))
    return (np.copysign(mag, b) * scale[:, None]).astype(_F32)


_IQ4NL = np.array([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113], dtype=_F32)
_IQ4_SUMS = (_IQ4NL[1:] + _IQ4NL[:-1]).astype(np.int64)        # integer: best_index_int8 compares 2x with them
_IQ4_LUT_LO = -300
_IQ4_LUT = _IQ4NL[np.searchsorted(_IQ4_SUMS, np.arange(_IQ4_LUT_LO, -_IQ4_LUT_LO + 1), side="right")]


def _iq4_values(a: np.ndarray) -> np.ndarray:
    """best_index_int8 over kvalues_iq4nl (level j once 2a ≥ v[j-1] + v[j], integer sums), by a lookup on
    floor(2a)."""
    k = np.floor(a * _F32(2))
    np.clip(k, _IQ4_LUT_LO, -_IQ4_LUT_LO, out=k)
    return _IQ4_LUT[k.astype(np.int32) - _IQ4_LUT_LO]


def _iq4_block_scales(b: np.ndarray, search: str) -> np.ndarray:
    """The per-32 scale search of quantize_row_iq4_nl_impl with llama-quantize's ntry = 7 (weights x²,
    candidates id = (itry + v0)/max); fast: itry = 0 only."""
    w = b * b
    amax, mx = _signed_max(b)
    ok = amax >= 1e-15
    safe = np.where(ok, mx, 1).astype(_F32)
    d = (-safe / _IQ4NL[0]).astype(_F32)
    q = _iq4_values(b * _inv(d)[:, None])
    sqx, sq2 = (w * q * b).sum(1), (w * q * q).sum(1)
    d = np.where(sq2 > 0, sqx / np.where(sq2 > 0, sq2, 1), 0).astype(_F32)
    best = d * sqx
    for itry in _candidates(-7, 7, search, (0,)):
        ids = ((itry + _IQ4NL[0]) / safe).astype(_F32)
        q = _iq4_values(b * ids[:, None])
        sqx, sq2 = (w * q * b).sum(1), (w * q * q).sum(1)
        better = (sq2 > 0) & (sqx * sqx > best * sq2)
        d = np.where(better, sqx / np.where(sq2 > 0, sq2, 1), d).astype(_F32)
        best = np.where(better, d * sqx, best)
    return np.where(ok, d, 0).astype(_F32)


def _iq4_nl(x, search):
    b = _blocks(x, 32, "IQ4_NL")
    scale = _iq4_block_scales(b, search)
    q = _iq4_values(b * _inv(scale)[:, None])        # indices from the fp32 scale, values with the fp16 one
    return (q * _fp16(scale)[:, None]).astype(_F32)


def _iq4_xs(x, search):
    sb = _blocks(x, 256, "IQ4_XS").reshape(-1, 8, 32)
    scales = _iq4_block_scales(sb.reshape(-1, 32), search).reshape(-1, 8)
    amax_idx = np.argmax(np.abs(scales), axis=1)
    max_scale = np.take_along_axis(scales, amax_idx[:, None], axis=1)[:, 0]
    d = (-max_scale / _F32(32)).astype(_F32)
    l = np.clip(np.rint(_inv(d)[:, None] * scales), -32, 31)
    q = _iq4_values(sb * _inv((d[:, None] * l).astype(_F32))[..., None])   # fp32 d·l picks the indices
    return (q * (_fp16(d)[:, None] * l)[..., None]).astype(_F32)


# -- k-quants -----------------------------------------------------------------------------------------------

def _candidates(lo: int, hi: int, search: str, fast: tuple[int, ...] = ()) -> tuple[int, ...]:
    """ggml's candidate grid lo..hi (``full``) or the named subset of it (``fast``)."""
    return tuple(range(lo, hi + 1)) if search == "full" else fast


def _make_qx_quants(x: np.ndarray, nmax: int, search: str) -> np.ndarray:
    """make_qx_quants(n, nmax, x, L, rmse_type=1, NULL): a signed scale per row of ``x`` (weights x²),
    searched over iscale = -(nmax + 0.1·is)/max for is = -9..9."""
    amax, mx = _signed_max(x)
    ok = amax >= 1e-15
    safe = np.where(ok, mx, 1).astype(_F32)
    w = x * x
    wx = w * x

    def fit(iscale):
        l = np.clip(np.rint(x * iscale[:, None]), -nmax, nmax - 1)
        return np.einsum("ij,ij->i", wx, l), np.einsum("ij,ij->i", w, l * l)

    sumlx, suml2 = fit((-nmax / safe).astype(_F32))
    scale = np.where(suml2 > 0, sumlx / np.where(suml2 > 0, suml2, 1), 0).astype(_F32)
    best = scale * sumlx
    for is_ in _candidates(-9, 9, search, (-6, -3, 3, 6)):
        if is_ == 0:
            continue
        sumlx, suml2 = fit((-(nmax + _F32(0.1) * is_) / safe).astype(_F32))
        better = (suml2 > 0) & (sumlx * sumlx > best * suml2)
        scale = np.where(better, sumlx / np.where(suml2 > 0, suml2, 1), scale).astype(_F32)
        best = np.where(better, scale * sumlx, best)
    return np.where(ok, scale, 0).astype(_F32)


def _make_qkx2_quants(x: np.ndarray, w: np.ndarray, nmax: int, rmin: float, rdelta: float, nstep: int,
                      use_mad: bool, search: str) -> tuple[np.ndarray, np.ndarray]:
    """make_qkx2_quants: an unsigned scale and a minimum per row (returns scale, the_min = -min ≥ 0)."""
    lo = np.minimum(x.min(axis=1), 0).astype(_F32)
    hi = x.max(axis=1)
    flat = hi == lo
    span = np.where(flat, 1, hi - lo).astype(_F32)
    sum_w = w.sum(1)
    sum_x = (w * x).sum(1)
    sum_x2 = (w * x * x).sum(1)
    wx = w * x

    def err(l, s, m):
        if use_mad:
            return (w * np.abs(s[:, None] * l + m[:, None] - x)).sum(1)
        # Σw(s·l + m − x)² expanded into the block sums (one pass less than ggml's direct sum)
        sl, sl2, sxl = np.einsum("ij,ij->i", w, l), np.einsum("ij,ij->i", w, l * l), np.einsum("ij,ij->i", wx, l)
        return (s * s * sl2 + 2 * s * m * sl - 2 * s * sxl + m * m * sum_w - 2 * m * sum_x + sum_x2)

    iscale = (nmax / span).astype(_F32)
    scale = (1 / iscale).astype(_F32)
    l = np.clip(np.rint(iscale[:, None] * (x - lo[:, None])), 0, nmax)
    best = err(l, scale, lo)
    # fast: the unperturbed candidate (rmin + rdelta·is = 0) of ggml's grid and its neighbours ±3 steps
    u = int(round(-rmin / rdelta))
    for is_ in _candidates(0, nstep, search, tuple(v for v in (u - 3, u, u + 3) if 0 <= v <= nstep)):
        iscale = ((rmin + rdelta * is_ + nmax) / span).astype(_F32)
        l = np.clip(np.rint(iscale[:, None] * (x - lo[:, None])), 0, nmax)
        sl, sl2, sxl = np.einsum("ij,ij->i", w, l), np.einsum("ij,ij->i", w, l * l), np.einsum("ij,ij->i", wx, l)
        D = sum_w * sl2 - sl * sl
        good = D > 0
        Ds = np.where(good, D, 1)
        s = ((sum_w * sxl - sum_x * sl) / Ds).astype(_F32)
        m = ((sl2 * sum_x - sl * sxl) / Ds).astype(_F32)
        pos = m > 0
        m = np.where(pos, 0, m).astype(_F32)
        s = np.where(pos, sxl / np.where(sl2 > 0, sl2, 1), s).astype(_F32)
        cur = err(l, s, m)
        better = good & (cur < best) & ~flat
        best = np.where(better, cur, best)
        scale = np.where(better, s, scale)
        lo = np.where(better, m, lo).astype(_F32)
        span = np.where(flat, 1, hi - lo).astype(_F32)
    scale = np.where(flat, 0, scale).astype(_F32)
    return scale, (-lo).astype(_F32)


def _make_q3_quants(x: np.ndarray, nmax: int, search: str) -> np.ndarray:
    """make_q3_quants(n, nmax, x, L, do_rmse=true): start from the max-based scale, then up to five
    coordinate-descent sweeps moving one quant at a time when it improves Σw·x·l / √Σw·l² (w = x²);
    fast: no sweeps (the least-squares scale of the starting quants)."""
    amax, mx = _signed_max(x)
    ok = amax >= 1e-15
    iscale = (-nmax / np.where(ok, mx, 1)).astype(_F32)
    L = np.clip(np.rint(x * iscale[:, None]), -nmax, nmax - 1).astype(_F32)
    w = x * x
    sumlx = (w * x * L).sum(1)
    suml2 = (w * L * L).sum(1)
    active = np.ones(len(x), dtype=bool)
    for _ in range(5 if search == "full" else 0):
        changed = np.zeros(len(x), dtype=bool)
        for i in range(x.shape[1]):
            xi, wi, li = x[:, i], w[:, i], L[:, i]
            slx = sumlx - wi * xi * li
            sl2 = suml2 - wi * li * li
            cand = active & (slx > 0)
            new_l = np.clip(np.rint(xi * sl2 / np.where(cand, slx, 1)), -nmax, nmax - 1)
            move = cand & (new_l != li)
            slx2 = slx + wi * xi * new_l
            sl22 = sl2 + wi * new_l * new_l
            take = move & (sl22 > 0) & (slx2 * slx2 * suml2 > sumlx * sumlx * sl22)
            L[:, i] = np.where(take, new_l, li)
            sumlx = np.where(take, slx2, sumlx)
            suml2 = np.where(take, sl22, suml2)
            changed |= take
        active &= changed
        if not active.any():
            break
    scale = np.where(suml2 > 0, sumlx / np.where(suml2 > 0, suml2, 1), 0)
    return np.where(ok, scale, 0).astype(_F32)


def _requant_signed(sb: np.ndarray, dl: np.ndarray, lo: int, hi: int) -> np.ndarray:
    q = np.clip(np.rint(sb / np.where(dl == 0, 1, dl)[..., None]), lo, hi)
    return np.where(dl[..., None] == 0, 0, q * dl[..., None]).astype(_F32)


def _q6_k(x, search):
    sb = _blocks(x, 256, "Q6_K").reshape(-1, 16, 16)
    scales = _make_qx_quants(sb.reshape(-1, 16), 32, search).reshape(-1, 16)
    idx = np.argmax(np.abs(scales), axis=1)
    max_scale = np.take_along_axis(scales, idx[:, None], axis=1)[:, 0]
    ok = np.abs(max_scale) >= 1e-15
    iscale = (_F32(-128) / np.where(ok, max_scale, 1)).astype(_F32)
    d = _fp16((1 / iscale).astype(_F32))
    sc = np.minimum(127, np.rint(iscale[:, None] * scales))          # int8 scales
    dl = np.where(ok[:, None], d[:, None] * sc, 0).astype(_F32)
    return _requant_signed(sb, dl, -32, 31)


def _q3_k(x, search):
    sb = _blocks(x, 256, "Q3_K").reshape(-1, 16, 16)
    scales = _make_q3_quants(sb.reshape(-1, 16), 4, search).reshape(-1, 16)
    idx = np.argmax(np.abs(scales), axis=1)
    max_scale = np.take_along_axis(scales, idx[:, None], axis=1)[:, 0]
    ok = max_scale != 0
    iscale = (_F32(-32) / np.where(ok, max_scale, 1)).astype(_F32)
    sc = np.clip(np.rint(iscale[:, None] * scales), -32, 31)        # 6-bit signed scales
    d = _fp16(np.where(ok, 1 / iscale, 0).astype(_F32))
    dl = (d[:, None] * sc).astype(_F32)
    return _requant_signed(sb, dl, -4, 3)


def _qk_min(x, name, sub, nmax, q_scale, weights, rmin, rdelta, nstep, use_mad, search):
    """Q2_K (16-weight sub-blocks, 4-bit scales/mins) and Q4_K/Q5_K (32-weight, 6-bit scales/mins)."""
    sb = _blocks(x, 256, name).reshape(-1, 256 // sub, sub)
    flat = sb.reshape(-1, sub)
    scales, mins = _make_qkx2_quants(flat, weights(flat), nmax, rmin, rdelta, nstep, use_mad, search)
    scales, mins = scales.reshape(-1, 256 // sub), mins.reshape(-1, 256 // sub)
    max_scale, max_min = np.maximum(scales.max(1), 0), np.maximum(mins.max(1), 0)
    inv_s = np.where(max_scale > 0, q_scale / np.where(max_scale > 0, max_scale, 1), 0).astype(_F32)
    inv_m = np.where(max_min > 0, q_scale / np.where(max_min > 0, max_min, 1), 0).astype(_F32)
    ls = np.minimum(q_scale, np.rint(inv_s[:, None] * scales))
    lm = np.minimum(q_scale, np.rint(inv_m[:, None] * mins))
    d = _fp16((max_scale / _F32(q_scale)).astype(_F32))
    dmin = _fp16((max_min / _F32(q_scale)).astype(_F32))
    dl = (d[:, None] * ls).astype(_F32)
    ml = (dmin[:, None] * lm).astype(_F32)
    q = np.clip(np.rint((sb + ml[..., None]) / np.where(dl == 0, 1, dl)[..., None]), 0, nmax)
    q = np.where(dl[..., None] == 0, 0, q)   # ggml leaves L at the search's value there; d·L = 0 anyway
    return (dl[..., None] * q - ml[..., None]).astype(_F32)


def _k4_weights(b):
    """Q4_K/Q5_K ref weights: av_x + |x| with av_x = sqrt(mean x²) of the 32 weights."""
    return np.sqrt((b * b).mean(1, keepdims=True)) + np.abs(b)


def _q2_k(x, search):
    return _qk_min(x, "Q2_K", 16, 3, 15, np.abs, -0.5, 0.1, 15, True, search)


def _q4_k(x, search):
    return _qk_min(x, "Q4_K", 32, 15, 63, _k4_weights, -1.0, 0.1, 20, False, search)


def _q5_k(x, search):
    return _qk_min(x, "Q5_K", 32, 31, 63, _k4_weights, -0.5, 0.1, 15, False, search)


# -- floats -------------------------------------------------------------------------------------------------

def _bf16(x):
    """float32 → bfloat16 with round to nearest even (as torch and ggml_compute_fp32_to_bf16 do)."""
    u = x.astype(_F32).view(np.uint32)
    rounded = (u + np.uint32(0x7FFF) + ((u >> np.uint32(16)) & np.uint32(1))) & np.uint32(0xFFFF0000)
    out = rounded.view(_F32).copy()
    nan = np.isnan(x)
    out[nan] = x[nan]
    return out


def _round_float(v: np.ndarray, man_bits: int, emin: int, max_value: float, *, ties_even: bool = True
                 ) -> np.ndarray:
    """Round float32 values to a binary float with ``man_bits`` mantissa bits, smallest normal exponent
    ``emin`` (subnormals below it in steps of 2^(emin − man_bits)) and saturation at ±``max_value``.

    Normal numbers round on the float32 bit pattern (adding half an ulp of the target, carries propagate into
    the exponent); ``ties_even`` gives IEEE round-to-nearest-even, otherwise ties go toward zero.
    """
    a = np.abs(v.astype(_F32, copy=False))
    shift = 23 - man_bits
    u = a.view(np.uint32)
    half = np.uint32((1 << (shift - 1)) - 1)
    r = u + half
    if ties_even:
        r += (u >> np.uint32(shift)) & np.uint32(1)
    r &= np.uint32(~((1 << shift) - 1) & 0xFFFFFFFF)
    q = r.view(_F32)
    sub = a < _F32(2.0 ** emin)
    if sub.any():
        step = _F32(2.0 ** (emin - man_bits))
        t = a[sub] / step
        q[sub] = (np.rint(t) if ties_even else np.ceil(t - _F32(0.5))) * step
    np.minimum(q, _F32(max_value), out=q)
    return np.copysign(q, v).astype(_F32, copy=False)


FP8_E4M3_MAX = 448.0
"""OCP FP8 E4M3 (fn): S.1111.110 = 448, no infinities."""
FP8_E5M2_MAX = 57344.0
"""OCP FP8 E5M2: S.11110.11 = 57344."""


def _fp8(v: np.ndarray, e4m3: bool) -> np.ndarray:
    """OCP FP8 with saturation: E4M3 (bias 7, min normal 2^-6, 3 mantissa bits, max 448) or E5M2 (bias 15,
    min normal 2^-14, 2 mantissa bits, max 57344), round to nearest even."""
    return _round_float(v, 3, -6, FP8_E4M3_MAX) if e4m3 else _round_float(v, 2, -14, FP8_E5M2_MAX)


def _fp8_scale(x, e4m3=True) -> np.float32:
    """vLLM's per-tensor FP8 weight scale: amax / max representable."""
    amax = float(np.abs(x).max()) if x.size else 0.0
    return _F32(amax / (FP8_E4M3_MAX if e4m3 else FP8_E5M2_MAX)) if amax > 0 else _F32(1)


def _fp8_tensor(x, e4m3=True, scale=None):
    scale = _fp8_scale(x, e4m3) if scale is None else scale
    return (_fp8(x / scale, e4m3) * scale).astype(_F32)


def _fp8_block(x, tile=128):
    m = x.reshape(-1, x.shape[-1])
    rows, cols = m.shape
    out = np.empty_like(m)
    pr, pc = -rows % tile, -cols % tile
    padded = np.pad(np.abs(m), ((0, pr), (0, pc)))
    amax = padded.reshape((rows + pr) // tile, tile, (cols + pc) // tile, tile).max(axis=(1, 3))
    scale = np.where(amax > 0, amax / FP8_E4M3_MAX, 1).astype(_F32)
    full = np.repeat(np.repeat(scale, tile, 0), tile, 1)[:rows, :cols]
    out[:] = _fp8(m / full, True) * full
    return out.reshape(x.shape)


# -- bitsandbytes and integer groups -------------------------------------------------------------------------

NF4_CODE = np.array([-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
                     -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
                     0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
                     0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0], dtype=_F32)
"""NormalFloat4 (QLoRA, arXiv:2305.14314 appendix E; bitsandbytes functional.get_4bit_type('nf4'))."""

FP4_CODE = np.array(sorted({s * v for s in (1, -1) for v in (0.0, 0.005208333333, 0.16666667, 0.25, 0.33333333,
                                                           0.5, 0.66666667, 1.0)}), dtype=_F32)
"""bitsandbytes FP4 (dDequantizeFP4Tree in csrc/kernels.cu), normalised by the block absmax."""


_NF4_BOOK = _Codebook(NF4_CODE, -1.0, 1.0)
_FP4_BOOK = _Codebook(FP4_CODE, -1.0, 1.0)
"""bitsandbytes' quantisers are decision trees testing ``x > midpoint``: nearest value, ties down."""


def _bnb4(x, book, blocksize=64, double_quant=False):
    flat = x.reshape(-1)
    n = flat.size
    pad = -n % blocksize
    b = np.pad(flat, (0, pad)).reshape(-1, blocksize) if pad else flat.reshape(-1, blocksize)
    absmax = np.abs(b).max(axis=1).astype(_F32)
    norm = b / np.where(absmax > 0, absmax, 1)[:, None]
    q = book(norm)
    if double_quant:
        absmax = _double_quant(absmax)
    return (q * absmax[:, None]).reshape(-1)[:n].reshape(x.shape).astype(_F32)


def _double_quant(absmax: np.ndarray, block: int = 256) -> np.ndarray:
    """QLoRA double quantisation of the absmax constants: subtract their mean, 8-bit codes per block of 256
    with an fp32 scale (linear code here; bitsandbytes' dynamic map differs in the code values)."""
    offset = absmax.mean()
    c = absmax - offset
    pad = -c.size % block
    cb = np.pad(c, (0, pad)).reshape(-1, block)
    s = np.abs(cb).max(axis=1)
    s = np.where(s > 0, s, 1)
    q = np.rint(cb / s[:, None] * 127) / 127 * s[:, None]
    return (q.reshape(-1)[:c.size] + offset).astype(_F32)


def _int8_rows(x):
    m = x.reshape(-1, x.shape[-1])
    absmax = np.abs(m).max(axis=1)
    scale = np.where(absmax > 0, absmax / 127, 1).astype(_F32)
    return (np.rint(m / scale[:, None]) * scale[:, None]).reshape(x.shape).astype(_F32)


def _rtn_groups(x, bits, group, sym):
    """Round-to-nearest integers per group of ``group`` input columns (GPTQ's ``Quantizer.find_params``
    without the solver: sym → scale = 2·max|x|/maxq, zero = (maxq+1)/2; else scale = (max-min)/maxq,
    zero = round(-min/scale); the range always includes 0)."""
    b = _blocks(x, group, f"{bits}-bit groups of {group}")
    maxq = (1 << bits) - 1
    lo = np.minimum(b.min(axis=1), 0)
    hi = np.maximum(b.max(axis=1), 0)
    if sym:
        hi = np.maximum(np.abs(lo), hi)
        lo = np.where(lo < 0, -hi, lo)
    scale = (hi - lo) / maxq
    zero_range = scale == 0
    scale = np.where(zero_range, 1, scale)
    zero = np.full_like(scale, (maxq + 1) / 2) if sym else np.rint(-lo / scale)
    q = np.clip(np.rint(b / scale[:, None]) + zero[:, None], 0, maxq)
    return ((q - zero[:, None]) * scale[:, None]).astype(_F32)


# -- dispatch -----------------------------------------------------------------------------------------------

_GGML_SIM = {
    "F32": lambda x, s: x.copy(), "F16": lambda x, s: _f16_tensor(x), "BF16": lambda x, s: _bf16(x),
    "Q8_0": lambda x, s: _q8_0(x), "Q4_0": lambda x, s: _q4_0(x), "Q5_0": lambda x, s: _q5_0(x),
    "Q4_1": lambda x, s: _q_min(x, 4, "Q4_1"), "Q5_1": lambda x, s: _q_min(x, 5, "Q5_1"),
    "Q1_0": lambda x, s: _q1_0(x), "TQ1_0": lambda x, s: _ternary(x, "TQ1_0"),
    "TQ2_0": lambda x, s: _ternary(x, "TQ2_0"), "MXFP4": lambda x, s: _mxfp4(x),
    "IQ4_NL": _iq4_nl, "IQ4_XS": _iq4_xs,
    "Q2_K": _q2_k, "Q3_K": _q3_k, "Q4_K": _q4_k, "Q5_K": _q5_k, "Q6_K": _q6_k,
}

_HF_SIM = {
    "fp8": lambda x: _fp8_tensor(x, True), "fp8-e5m2": lambda x: _fp8_tensor(x, False),
    "fp8-block": _fp8_block, "int8": _int8_rows,
    "nf4": lambda x: _bnb4(x, _NF4_BOOK), "nf4-dq": lambda x: _bnb4(x, _NF4_BOOK, double_quant=True),
    "fp4": lambda x: _bnb4(x, _FP4_BOOK),
    "gptq-int4": lambda x: _rtn_groups(x, 4, 128, True), "gptq-int8": lambda x: _rtn_groups(x, 8, 128, True),
    "gptq-int3": lambda x: _rtn_groups(x, 3, 128, True), "awq-int4": lambda x: _rtn_groups(x, 4, 128, False),
    "mxfp4": _mxfp4,
}

SIMULATION_ONLY = {"fp8-e5m2": "FP8 E5M2 with a per-tensor scale (amax/57344)"}


def _resolve(fmt_or_type) -> tuple[str, str, str]:
    """(family 'ggml'|'hf', key, note) for a ggml type name, a weight format or 'fp8-e5m2'."""
    from .formats import WeightFormat, get_format

    if isinstance(fmt_or_type, str):
        key = fmt_or_type.strip()
        if key.upper() in GGML_TYPES:
            return "ggml", key.upper(), ""
        if key.lower().replace("_", "-") in SIMULATION_ONLY:
            return "hf", key.lower().replace("_", "-"), ""
    f = fmt_or_type if isinstance(fmt_or_type, WeightFormat) else get_format(fmt_or_type)
    if f.kind == "float":
        return "ggml", f.params["dtype"], ""
    if f.is_gguf:
        return "ggml", f.params["default_type"], (f"{f.label} measured in its main tensor type "
                                                  f"{f.params['default_type']}")
    if f.kind in ("gptq", "awq"):
        solver = "GPTQ's error-compensating solver" if f.kind == "gptq" else "AWQ's activation-aware scaling"
        return "hf", f.id, (f"round-to-nearest per group of {f.params['group_size']}: {solver} needs calibration "
                            f"data and reaches a lower error on the model's outputs")
    return "hf", f.id, ""


_CHUNK = 1 << 18
"""Elements per chunk: whole-tensor numpy passes are memory-bound, chunks of ~1 MB stay in cache (2–3× faster)."""

_WHOLE = frozenset({"fp8-block", "nf4-dq"})
"""Schemes whose scales span more than a row: run on the whole tensor at once."""


def _row_step(x2: np.ndarray) -> int:
    return max(1, _CHUNK // x2.shape[1])


def _by_rows(fn, x2: np.ndarray, out: np.ndarray) -> None:
    step = _row_step(x2)
    for i in range(0, x2.shape[0], step):
        out[i:i + step] = fn(x2[i:i + step])


def fake_quantize(weights: np.ndarray, fmt_or_type, *, search: str = "fast") -> np.ndarray:
    """Quantise and dequantise ``weights`` (float32 result, same shape); rows run along the last axis."""
    x, xq = _fake_quantize(weights, fmt_or_type, search)
    return xq.reshape(x.shape)


def _fake_quantize(weights, fmt_or_type, search: str) -> tuple[np.ndarray, np.ndarray]:
    """(input as float32 (rows, row), its round trip of the same shape)."""
    if search not in ("fast", "full"):
        raise PlannerError(f"search must be 'fast' or 'full', got {search!r}")
    x = np.ascontiguousarray(np.asarray(weights, dtype=_F32))
    if x.ndim == 0 or x.size == 0:
        raise PlannerError("a weight tensor to quantise must have at least one element")
    if not np.all(np.isfinite(x)):
        raise PlannerError("the weight tensor holds NaN or infinite values")
    family, key, _ = _resolve(fmt_or_type)
    x2 = x.reshape(-1, x.shape[-1])
    out = np.empty_like(x2)
    if family == "ggml":
        sim = _GGML_SIM.get(key)
        if sim is None:
            raise PlannerError(f"{key} is not simulated: its i-quant lattice codebooks (ggml's iq*_grid tables) "
                               f"are not part of this app; simulated ggml types: {', '.join(_GGML_SIM)}")
        _by_rows(lambda c: sim(c, search).reshape(c.shape), x2, out)
    elif key in _WHOLE:
        out[:] = _HF_SIM[key](x2).reshape(x2.shape)
    elif key in ("fp8", "fp8-e5m2"):
        e4m3 = key == "fp8"
        scale = _fp8_scale(x2, e4m3)
        _by_rows(lambda c: _fp8_tensor(c, e4m3, scale), x2, out)
    elif key in ("nf4", "fp4") and x2.shape[1] % 64:
        out[:] = _HF_SIM[key](x2).reshape(x2.shape)          # blocks of 64 straddle rows
    else:
        _by_rows(lambda c: _HF_SIM[key](c).reshape(c.shape), x2, out)
    return x2, out


def _bits_per_weight(fmt_or_type, shape) -> float | None:
    from .formats import get_format
    from .weight_storage import quantized_matrix_bytes

    family, key, _ = _resolve(fmt_or_type)
    if family == "ggml":
        t = GGML_TYPES[key]
        return t.bits_per_weight
    if key in SIMULATION_ONLY:
        return 8.0
    if len(shape) < 2:
        return None
    n = int(np.prod(shape))
    rows = n // shape[-1]
    return quantized_matrix_bytes(get_format(key), rows, shape[-1]) * 8 / n


def quantization_error(weights: np.ndarray, fmt_or_type, *, bins: int = 64, search: str = "fast"
                       ) -> QuantizationError:
    """Quantise ``weights`` in ``fmt_or_type`` (a weight format, a ggml type name or ``fp8-e5m2``),
    dequantise, and measure the error: RMSE, SQNR, largest and mean absolute error, and a histogram of
    (x̂ − x) over ``bins`` equal bins spanning ±max |error|."""
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise PlannerError(f"bins must be a positive integer, got {bins!r}")
    x2, err = _fake_quantize(weights, fmt_or_type, search)
    shape = np.shape(weights)
    # statistics chunk by chunk (cache-sized; no 64-bit copies of the whole tensor)
    se = sig = sum_abs = 0.0
    max_abs = 0.0
    step = _row_step(x2)
    for i in range(0, x2.shape[0], step):
        e, xs = err[i:i + step], x2[i:i + step]
        e -= xs                       # float32: x and x̂ share exponents, the difference is (nearly) exact
        ef, xf = e.ravel(), xs.ravel()
        se += float(np.einsum("i,i->", ef, ef, dtype=np.float64))
        sig += float(np.einsum("i,i->", xf, xf, dtype=np.float64))
        a = np.abs(ef)
        sum_abs += float(a.sum(dtype=np.float64))
        max_abs = max(max_abs, float(a.max()))
    n = x2.size
    if se == 0:
        sqnr = float("inf")
    elif sig == 0:
        sqnr = float("-inf")
    else:
        sqnr = float(10 * np.log10(sig / se))
    span = max_abs if max_abs > 0 else 1.0
    edges = np.linspace(-span, span, bins + 1)
    counts = np.zeros(bins, dtype=np.int64)
    for i in range(0, x2.shape[0], step):
        idx = ((err[i:i + step].ravel() + _F32(span)) * _F32(bins / (2 * span))).astype(np.int32)
        np.clip(idx, 0, bins - 1, out=idx)      # equal bins; the last one includes +span
        counts += np.bincount(idx, minlength=bins)
    family, key, note = _resolve(fmt_or_type)
    return QuantizationError(scheme=key, n=n, rmse=float(np.sqrt(se / n)), sqnr_db=sqnr, max_abs=max_abs,
                             mean_abs=sum_abs / n, hist_edges=tuple(float(e) for e in edges),
                             hist_counts=tuple(int(c) for c in counts),
                             bits_per_weight=_bits_per_weight(fmt_or_type, shape), note=note)


def gaussian_sample(n: int, seed: int = 0, *, std: float = 0.02, dof: float | None = None,
                    row: int = 4096) -> np.ndarray:
    """A weight-like sample of ``n`` values shaped (n / row, row): Gaussian with ``std`` (0.02 is GPT-2's and
    Llama's initialiser), or, with ``dof``, Student-t scaled to the same standard deviation — trained LLM
    weights are heavier-tailed than a Gaussian (a few large outliers per row), and dof ≈ 4–6 mimics that.
    ``n`` must be a multiple of ``row`` (4096, a common hidden size, so every block size divides it)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise PlannerError(f"sample size must be a positive integer, got {n!r}")
    if n % row:
        raise PlannerError(f"sample size {n} must be a multiple of the row length {row}")
    rng = np.random.default_rng(seed)
    if dof is None:
        x = rng.standard_normal(n)
    else:
        if dof <= 2:
            raise PlannerError(f"Student-t needs more than 2 degrees of freedom for a finite variance, got {dof}")
        x = rng.standard_t(dof, n) / np.sqrt(dof / (dof - 2))
    return (x * std).astype(_F32).reshape(n // row, row)

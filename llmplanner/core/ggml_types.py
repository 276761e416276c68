"""ggml's tensor types: block layouts, sizes and the numeric ids that GGUF files store.

A ggml tensor row of ``n`` elements (``ne[0]``) is stored as ``n / block_size`` blocks of ``type_size`` bytes
each (``ggml_row_size`` in ``ggml/src/ggml.c``); ``n`` must be a multiple of the block size. The layouts were
read from the ``block_*`` structs and their ``static_assert``s in ``ggml/src/ggml-common.h``
(https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h; the 038b5fa8 copy cited in the
reference data) and agree with ``GGML_QUANT_SIZES`` in gguf-py's ``gguf/constants.py`` (gguf 0.19.0); the ids
are ``enum ggml_type`` in ``ggml/include/ggml.h`` = gguf-py's ``GGMLQuantizationType``. The GGUF reader maps
ids to names with ``GGML_TYPE_NAMES``.

Removed ids (never written by current llama.cpp): 4 Q4_2, 5 Q4_3, 31–33 Q4_0_4_4/Q4_0_4_8/Q4_0_8_8 and
36–38 IQ4_NL_4_4/4_8/8_8 (repacked at load time now, ggml.h comments).
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import PlannerError, UnknownNameError

QK_K = 256
"""Super-block size of the k-quants and i-quants (``QK_K`` in ggml-common.h)."""


@dataclass(frozen=True)
class GGMLType:
    name: str
    """ggml's spelling: ``Q4_K``, ``F16``, ``IQ2_XXS``."""
    type_id: int
    """``enum ggml_type`` value, as stored in a GGUF tensor info."""
    block_size: int
    """Weights per block (``ggml_blck_size``)."""
    type_size: int
    """Bytes per block (``ggml_type_size``)."""
    layout: str
    """The block struct's fields, from ggml-common.h."""
    quantized: bool = True
    note: str = ""

    @property
    def bits_per_weight(self) -> float:
        return self.type_size * 8 / self.block_size

    def row_bytes(self, n: int) -> int:
        """``ggml_row_size(type, n)``: bytes of one row of ``n`` elements; n must be whole blocks."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise PlannerError(f"a row length must be a non-negative integer, got {n!r}")
        if n % self.block_size:
            raise PlannerError(
                f"{self.name} stores blocks of {self.block_size} elements; a row of {n} is not a multiple of "
                f"{self.block_size}"
            )
        return n // self.block_size * self.type_size

    def tensor_bytes(self, shape: tuple[int, ...]) -> int:
        """``ggml_nbytes`` of a contiguous tensor: rows along the last dimension (PyTorch order)."""
        rows = 1
        for d in shape[:-1]:
            rows *= d
        return rows * self.row_bytes(shape[-1] if shape else 1)


def _t(name, type_id, block, size, layout, quantized=True, note=""):
    return GGMLType(name, type_id, block, size, layout, quantized, note)


_K = QK_K
_TYPES = (
    _t("F32", 0, 1, 4, "float", False),
    _t("F16", 1, 1, 2, "IEEE 754 half", False),
    _t("Q4_0", 2, 32, 2 + 16, "ggml_half d; uint8 qs[16]  (4-bit, x = d*(q-8))"),
    _t("Q4_1", 3, 32, 2 + 2 + 16, "ggml_half d, m; uint8 qs[16]  (4-bit, x = d*q + m)"),
    _t("Q5_0", 6, 32, 2 + 4 + 16, "ggml_half d; uint8 qh[4]; uint8 qs[16]  (5-bit, x = d*(q-16))"),
    _t("Q5_1", 7, 32, 2 + 2 + 4 + 16, "ggml_half d, m; uint8 qh[4]; uint8 qs[16]  (5-bit, x = d*q + m)"),
    _t("Q8_0", 8, 32, 2 + 32, "ggml_half d; int8 qs[32]"),
    _t("Q8_1", 9, 32, 2 + 2 + 32, "ggml_half d, s; int8 qs[32]",
       note="intermediate type for dot products, not used for stored weights; ggml-common.h asserts "
            "2*sizeof(ggml_half) + 32 = 36 bytes (gguf-py 0.19 still lists the old float d, s = 40)"),
    _t("Q2_K", 10, _K, 2 + 2 + _K // 16 + _K // 4, "uint8 scales[16]; uint8 qs[64]; ggml_half d, dmin"),
    _t("Q3_K", 11, _K, 2 + _K // 4 + _K // 8 + 12, "uint8 hmask[32]; uint8 qs[64]; uint8 scales[12]; ggml_half d"),
    _t("Q4_K", 12, _K, 2 + 2 + _K // 2 + 12, "ggml_half d, dmin; uint8 scales[12]; uint8 qs[128]"),
    _t("Q5_K", 13, _K, 2 + 2 + _K // 2 + _K // 8 + 12,
       "ggml_half d, dmin; uint8 scales[12]; uint8 qh[32]; uint8 qs[128]"),
    _t("Q6_K", 14, _K, 2 + _K // 2 + _K // 4 + _K // 16, "uint8 ql[128]; uint8 qh[64]; int8 scales[16]; ggml_half d"),
    _t("Q8_K", 15, _K, 4 + _K + _K // 8, "float d; int8 qs[256]; int16 bsums[16]",
       note="intermediate type for k-quant dot products, not used for stored weights"),
    _t("IQ2_XXS", 16, _K, 2 + _K // 4, "ggml_half d; uint16 qs[32]"),
    _t("IQ2_XS", 17, _K, 2 + _K // 4 + _K // 32, "ggml_half d; uint16 qs[32]; uint8 scales[8]"),
    _t("IQ3_XXS", 18, _K, 2 + _K // 4 + _K // 8, "ggml_half d; uint8 qs[96]"),
    _t("IQ1_S", 19, _K, 2 + _K // 8 + _K // 16, "ggml_half d; uint8 qs[32]; uint16 qh[8]"),
    _t("IQ4_NL", 20, 32, 2 + 16, "ggml_half d; uint8 qs[16]  (16-level non-linear codebook)"),
    _t("IQ3_S", 21, _K, 2 + _K // 4 + _K // 8 + _K // 32 + 4,
       "ggml_half d; uint8 qs[64]; uint8 qh[8]; uint8 signs[32]; uint8 scales[4]"),
    _t("IQ2_S", 22, _K, 2 + _K // 4 + _K // 16, "ggml_half d; uint8 qs[64]; uint8 qh[8]; uint8 scales[8]"),
    _t("IQ4_XS", 23, _K, 2 + 2 + _K // 2 + _K // 64, "ggml_half d; uint16 scales_h; uint8 scales_l[4]; uint8 qs[128]"),
    _t("I8", 24, 1, 1, "int8", False),
    _t("I16", 25, 1, 2, "int16", False),
    _t("I32", 26, 1, 4, "int32", False),
    _t("I64", 27, 1, 8, "int64", False),
    _t("F64", 28, 1, 8, "double", False),
    _t("IQ1_M", 29, _K, _K // 8 + _K // 16 + _K // 32, "uint8 qs[32]; uint8 qh[16]; uint8 scales[8] (scale inside)"),
    _t("BF16", 30, 1, 2, "bfloat16", False),
    _t("TQ1_0", 34, _K, 2 + 4 * 13, "uint8 qs[48]; uint8 qh[4]; ggml_half d  (ternary, base-3 packed)"),
    _t("TQ2_0", 35, _K, 2 + 64, "uint8 qs[64]; ggml_half d  (ternary, 2 bits each)"),
    _t("MXFP4", 39, 32, 1 + 16, "uint8 e (E8M0 shared exponent); uint8 qs[16] (E2M1 nibbles)"),
    _t("NVFP4", 40, 64, 4 + 32, "uint8 d[4] (UE4M3 scale per 16); uint8 qs[32] (E2M1 nibbles)"),
    _t("Q1_0", 41, 128, 2 + 16, "ggml_half d; uint8 qs[16]  (1-bit signs, x = ±d)"),
)

GGML_TYPES: dict[str, GGMLType] = {t.name: t for t in _TYPES}
"""Every ggml tensor type that current GGUF files can hold, by ggml's name."""

GGML_TYPE_NAMES: dict[int, str] = {t.type_id: t.name for t in _TYPES}
"""GGUF tensor-info type id → name (``enum ggml_type``)."""

STORAGE_ONLY = frozenset({"Q8_1", "Q8_K"})
"""Types ggml uses for activations inside dot products, never for stored weights."""


def ggml_type(name_or_id) -> GGMLType:
    """A type by name (any case: ``q4_k``, ``Q4_K``) or by GGUF id; ``UnknownNameError`` otherwise."""
    if isinstance(name_or_id, int) and not isinstance(name_or_id, bool):
        name = GGML_TYPE_NAMES.get(name_or_id)
        if name is None:
            raise PlannerError(f"unknown ggml type id {name_or_id} (known: {sorted(GGML_TYPE_NAMES)})")
        return GGML_TYPES[name]
    key = str(name_or_id).strip().upper()
    if key in GGML_TYPES:
        return GGML_TYPES[key]
    raise UnknownNameError("ggml type", name_or_id, GGML_TYPES)

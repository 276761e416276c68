"""Numeric formats of model weights and of the KV cache, named as llama.cpp and the ecosystem name them.

A ``WeightFormat`` says how a checkpoint stores its weights: plain floats (``f32``, ``f16``, ``bf16``),
FP8 (``fp8`` per-tensor scale, ``fp8-block`` with 128×128 block scales), bitsandbytes (``int8`` =
LLM.int8(), ``nf4``, ``nf4-dq``, ``fp4``), GPTQ and AWQ integer groups, MXFP4, or one of llama.cpp's file
types (``q4_k_m`` ...), which are per-tensor recipes (``llamacpp_quant``). How many bytes each tensor takes is
``weight_storage``; the quality cost is ``quality``; the measured rounding error is ``quant_sim``.

Runtimes: which of transformers, llama.cpp, Ollama and vLLM load the format, from their documentation:
transformers' quantization overview (docs/source/en/quantization/overview.md: bitsandbytes, GPTQ, AWQ,
FP8 "fbgemm_fp8"/"finegrained_fp8"/compressed-tensors, MXFP4 for gpt-oss), vLLM's supported quantization
list (docs.vllm.ai features/quantization: GPTQ, AWQ, FP8, bitsandbytes — its ``BitsAndBytesConfig`` takes
``load_in_8bit``, ``bnb_4bit_quant_type`` nf4/fp4 and ``bnb_4bit_use_double_quant``, features/quantization/bnb;
GGUF loading is experimental there and not counted), llama.cpp's ``llama-quantize`` types, Ollama's GGUF
import (the same types as llama.cpp).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import PlannerError, UnknownNameError
from .ggml_types import GGML_TYPES
from .llamacpp_quant import LLAMA_FILE_TYPES

RUNTIMES = ("transformers", "llama.cpp", "ollama", "vllm")
_ALL = RUNTIMES
_HF = ("transformers", "vllm")
_GGUF = ("llama.cpp", "ollama")


@dataclass(frozen=True)
class WeightFormat:
    id: str
    """Lower case, as the ecosystem spells it: ``bf16``, ``q4_k_m``, ``gptq-int4``."""
    label: str
    """For display: ``BF16``, ``Q4_K_M``, ``GPTQ 4-bit (g128)``."""
    kind: str
    """``float``, ``fp8``, ``bitsandbytes``, ``gptq``, ``awq``, ``mx`` or ``gguf`` (a llama.cpp file type)."""
    bits: float
    """Nominal bits of a quantised weight, scales not included (a Q4_K_M file is 4.5-bit Q4_K at heart)."""
    runtimes: tuple[str, ...]
    description: str
    """One line for tooltips."""
    source: str
    aliases: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, compare=False, hash=False)
    """Scheme parameters: ``group_size``, ``blocksize``, ``dtype`` of the unquantised tensors, the llama.cpp
    ``file_type``, ``weight_dtype`` of the quantised ones ..."""

    @property
    def is_gguf(self) -> bool:
        return self.kind == "gguf"

    @property
    def file_type(self) -> str | None:
        """The llama.cpp file type (``Q4_K_M``) for GGUF formats and for f32/f16/bf16."""
        return self.params.get("file_type")

    def runs_on(self, runtime: str) -> bool:
        return runtime in self.runtimes


_BNB_SRC = ("bitsandbytes Linear8bitLt/Linear4bit and transformers' integrations/bitsandbytes.py "
            "(replace_with_bnb_linear skips the output head: get_keys_to_not_convert)")
_QLORA = "Dettmers et al. 2023, QLoRA (arXiv:2305.14314) §3 NormalFloat, Double Quantization"
_GPTQ_SRC = ("Frantar et al. 2022, GPTQ (arXiv:2210.17323); AutoGPTQ QuantLinear buffers qweight/qzeros int32, "
             "scales fp16, g_idx int32")
_AWQ_SRC = ("Lin et al. 2023, AWQ (arXiv:2306.00978); AutoAWQ WQLinear_GEMM buffers qweight/qzeros int32, "
            "scales fp16")


def _float_formats():
    common = "every tensor in this width in transformers/vLLM; llama.cpp keeps 1-D tensors in F32"
    return (
        WeightFormat("f32", "FP32", "float", 32, _ALL, "IEEE 754 single precision: 4 bytes per weight, the "
                     "training master copy", "IEEE 754; " + common, ("fp32", "float32", "float", "all_f32"),
                     {"file_type": "F32", "dtype": "F32"}),
        WeightFormat("f16", "FP16", "float", 16, _ALL, "IEEE 754 half precision: 2 bytes per weight, range "
                     "±65504", "IEEE 754; " + common, ("fp16", "float16", "half", "mostly_f16"),
                     {"file_type": "F16", "dtype": "F16"}),
        WeightFormat("bf16", "BF16", "float", 16, _ALL, "bfloat16: 2 bytes per weight with float32's exponent "
                     "range; the native dtype of most current checkpoints", "Google Brain bfloat16; " + common,
                     ("bfloat16", "mostly_bf16"), {"file_type": "BF16", "dtype": "BF16"}),
    )


def _hf_formats():
    return (
        WeightFormat("fp8", "FP8 E4M3 (per tensor)", "fp8", 8, _HF,
                     "8-bit float E4M3 with one fp32 scale per weight matrix (vLLM/llm-compressor FP8 "
                     "checkpoints); needs Ada/Hopper or newer for FP8 matmuls",
                     "OCP 8-bit floating point spec (E4M3: max 448); vLLM docs features/quantization/fp8 "
                     "(per-tensor weight scale, lm_head left in 16-bit)",
                     ("fp8_e4m3", "float8", "f8", "fp8-tensor", "w8a8-fp8"),
                     {"scale": "tensor", "dtype": "BF16"}),
        WeightFormat("fp8-block", "FP8 E4M3 (128×128 blocks)", "fp8", 8, _HF,
                     "8-bit float E4M3 with an fp32 scale per 128×128 block (DeepSeek-V3 native FP8)",
                     "DeepSeek-V3 README_WEIGHTS.md (weight_block_size [128, 128], weight_scale_inv fp32); "
                     "transformers FineGrainedFP8Config", ("fp8-128", "fp8_block", "finegrained-fp8"),
                     {"scale": "block", "block": 128, "dtype": "BF16"}),
        WeightFormat("int8", "INT8 (LLM.int8())", "bitsandbytes", 8, _HF,
                     "bitsandbytes LLM.int8(): int8 weights with an fp32 absmax per output row; outlier "
                     "activation columns run in fp16", "Dettmers et al. 2022, LLM.int8() (arXiv:2208.07339); "
                     + _BNB_SRC, ("llm.int8", "llm.int8()", "bnb-int8", "bnb-8bit", "8bit", "load_in_8bit"),
                     {"dtype": "F16"}),
        WeightFormat("nf4", "NF4 (bitsandbytes)", "bitsandbytes", 4, _HF,
                     "bitsandbytes 4-bit NormalFloat, blocks of 64 with an fp32 absmax (QLoRA's storage type)",
                     _QLORA + "; " + _BNB_SRC, ("bnb-nf4", "bnb-4bit", "4bit", "load_in_4bit"),
                     {"blocksize": 64, "double_quant": False, "dtype": "BF16"}),
        WeightFormat("nf4-dq", "NF4 + double quant", "bitsandbytes", 4, _HF,
                     "NF4 with its absmax constants quantised to 8 bits (second-level blocks of 256 with an "
                     "fp32 scale): 0.127 instead of 0.5 bits of overhead", _QLORA + "; " + _BNB_SRC,
                     ("nf4_dq", "nf4-double-quant", "qlora"),
                     {"blocksize": 64, "double_quant": True, "dq_blocksize": 256, "dtype": "BF16"}),
        WeightFormat("fp4", "FP4 (bitsandbytes)", "bitsandbytes", 4, _HF,
                     "bitsandbytes 4-bit float (E2M1-like codebook), blocks of 64 with an fp32 absmax",
                     _BNB_SRC + " (bnb_4bit_quant_type='fp4', the default of BitsAndBytesConfig)",
                     ("bnb-fp4",), {"blocksize": 64, "double_quant": False, "dtype": "BF16"}),
        WeightFormat("gptq-int4", "GPTQ 4-bit (g128)", "gptq", 4, _HF,
                     "GPTQ: 4-bit integers in groups of 128 input columns with fp16 scales, packed zeros and "
                     "a g_idx per input column; error-compensating solver at quantisation time",
                     _GPTQ_SRC, ("gptq", "int4", "gptq-4bit", "w4a16"), {"wbits": 4, "group_size": 128,
                                                                        "g_idx": True, "dtype": "F16"}),
        WeightFormat("gptq-int8", "GPTQ 8-bit (g128)", "gptq", 8, _HF,
                     "GPTQ with 8-bit integers in groups of 128", _GPTQ_SRC, ("gptq-8bit", "w8a16"),
                     {"wbits": 8, "group_size": 128, "g_idx": True, "dtype": "F16"}),
        WeightFormat("gptq-int3", "GPTQ 3-bit (g128)", "gptq", 3, _HF,
                     "GPTQ with 3-bit integers in groups of 128 (32 weights packed in three int32)", _GPTQ_SRC,
                     ("gptq-3bit",), {"wbits": 3, "group_size": 128, "g_idx": True, "dtype": "F16"}),
        WeightFormat("awq-int4", "AWQ 4-bit (g128)", "awq", 4, _HF,
                     "AWQ: activation-aware scaled 4-bit integers in groups of 128 with fp16 scales and packed "
                     "zeros (no g_idx)", _AWQ_SRC, ("awq", "awq-4bit"),
                     {"wbits": 4, "group_size": 128, "g_idx": False, "dtype": "F16"}),
        WeightFormat("mxfp4", "MXFP4", "mx", 4, _ALL,
                     "OCP microscaling FP4: E2M1 values in blocks of 32 sharing an E8M0 power-of-two scale; "
                     "gpt-oss ships its MoE experts this way (other tensors BF16)",
                     "OCP Microscaling Formats (MX) v1.0 spec; gpt-oss model card (MXFP4 MoE weights); ggml "
                     "block_mxfp4", ("mx-fp4", "mxfp4-moe-hf"), {"block": 32, "dtype": "BF16"}),
    )


def _gguf_formats():
    out = []
    for ft in LLAMA_FILE_TYPES.values():
        if ft.name in ("F32", "F16", "BF16"):
            continue
        base = GGML_TYPES[ft.default_type]
        aliases = tuple(a.lower() for a, target in (("Q3_K", "Q3_K_M"), ("Q4_K", "Q4_K_M"), ("Q5_K", "Q5_K_M"))
                        if target == ft.name)
        out.append(WeightFormat(
            ft.name.lower(), ft.name, "gguf", base.bits_per_weight, _GGUF,
            f"llama.cpp {ft.name}: {ft.description}",
            "llama.cpp src/llama-quant.cpp (per-tensor recipe), tools/quantize/quantize.cpp (QUANT_OPTIONS)",
            aliases, {"file_type": ft.name, "default_type": ft.default_type}))
    return tuple(out)


_FORMATS: tuple[WeightFormat, ...] = _float_formats() + _hf_formats() + _gguf_formats()
_BY_ID = {f.id: f for f in _FORMATS}
_BY_ALIAS = {a: f for f in _FORMATS for a in f.aliases}


def _normalise(name: str) -> str:
    return str(name).strip().lower().replace(" ", "")


def all_formats() -> tuple[WeightFormat, ...]:
    """Every weight format: floats, HF quantisation schemes, then llama.cpp file types (larger first)."""
    return _FORMATS


def get_format(name) -> WeightFormat:
    """A format by id or alias, any case (``Q4_K_M``, ``fp16``, ``bfloat16``, ``int4``); a ``WeightFormat``
    passes through. Unknown names raise ``UnknownNameError`` with the nearest ids."""
    if isinstance(name, WeightFormat):
        return name
    key = _normalise(name)
    if key in _BY_ID:
        return _BY_ID[key]
    if key in _BY_ALIAS:
        return _BY_ALIAS[key]
    alt = key.replace("_", "-") if key.replace("_", "-") in _BY_ID else key.replace("-", "_")
    if alt in _BY_ID:
        return _BY_ID[alt]
    raise UnknownNameError("format", name, list(_BY_ID))


# -- KV cache element types ------------------------------------------------------------------------------

@dataclass(frozen=True)
class KVCacheType:
    """An element type of the K or V cache: ggml blocks (llama.cpp) or plain bytes (vLLM FP8)."""

    name: str
    block_size: int
    type_size: int
    runtimes: tuple[str, ...]
    description: str

    @property
    def bits_per_element(self) -> float:
        return self.type_size * 8 / self.block_size


def _kv_ggml(name: str, description: str) -> KVCacheType:
    t = GGML_TYPES[name.upper()]
    return KVCacheType(name, t.block_size, t.type_size, _GGUF, description)


KV_CACHE_TYPES: dict[str, KVCacheType] = {k.name: k for k in (
    _kv_ggml("f32", "32-bit float cache"),
    _kv_ggml("f16", "16-bit float cache (llama.cpp's default)"),
    _kv_ggml("bf16", "bfloat16 cache"),
    _kv_ggml("q8_0", "8-bit blocks of 32 with an fp16 scale"),
    _kv_ggml("q4_0", "4-bit blocks of 32 with an fp16 scale"),
    _kv_ggml("q4_1", "4-bit blocks of 32 with an fp16 scale and minimum"),
    _kv_ggml("iq4_nl", "4-bit non-linear blocks of 32"),
    _kv_ggml("q5_0", "5-bit blocks of 32 with an fp16 scale"),
    _kv_ggml("q5_1", "5-bit blocks of 32 with an fp16 scale and minimum"),
    KVCacheType("fp8", 1, 1, ("vllm",), "vLLM --kv-cache-dtype fp8 (= fp8_e4m3 on CUDA)"),
    KVCacheType("fp8_e4m3", 1, 1, ("vllm",), "vLLM FP8 E4M3 cache with per-tensor scales"),
    KVCacheType("fp8_e5m2", 1, 1, ("vllm",), "vLLM FP8 E5M2 cache (no scaling)"),
)}
"""The cache types llama.cpp's ``--cache-type-k/--cache-type-v`` accept (``common/arg.cpp``
``kv_cache_types``: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1) and vLLM's ``--kv-cache-dtype``
fp8 choices (``vllm/config/cache.py`` CacheDType). A quantised **V** cache in llama.cpp needs flash
attention (``-fa``): without it llama.cpp refuses to create the context ("V cache quantization requires
flash_attn", ``src/llama-context.cpp``)."""


def kv_cache_type(name: str) -> KVCacheType:
    key = _normalise(name)
    if key in KV_CACHE_TYPES:
        return KV_CACHE_TYPES[key]
    raise UnknownNameError("KV cache type", name, KV_CACHE_TYPES)


def kv_row_bytes(type_name: str, n_elements: int) -> int:
    """Bytes of ``n_elements`` cache values in one row (``ggml_row_size`` semantics: whole blocks only).

    llama.cpp stores K and V rows of ``n_embd_k_gqa``/``n_embd_v_gqa`` elements per token and layer; a
    quantised cache type needs that row to be a multiple of its block size (32), and a quantised V cache needs
    flash attention.
    """
    kv = kv_cache_type(type_name)
    if isinstance(n_elements, bool) or not isinstance(n_elements, int) or n_elements < 0:
        raise PlannerError(f"the number of cache elements must be a non-negative integer, got {n_elements!r}")
    if n_elements % kv.block_size:
        raise PlannerError(f"KV cache type {kv.name} stores blocks of {kv.block_size} elements; a row of "
                           f"{n_elements} elements is not a multiple of {kv.block_size}")
    return n_elements // kv.block_size * kv.type_size


# -- the rest of the public API, re-exported --------------------------------------------------------------

def tensor_storage(arch, fmt, **kw):
    """Per-tensor storage of ``arch`` in ``fmt``; see ``weight_storage.tensor_storage``."""
    from .weight_storage import tensor_storage as impl

    return impl(arch, fmt, **kw)


def weight_bytes(arch, fmt, **kw):
    """Total, per-component and per-layer weight bytes; see ``weight_storage.weight_bytes``."""
    from .weight_storage import weight_bytes as impl

    return impl(arch, fmt, **kw)


def quality_cost(fmt, arch=None):
    """Published perplexity/KL cost of ``fmt``; see ``quality.quality_cost``."""
    from .quality import quality_cost as impl

    return impl(fmt, arch)


def quantization_error(weights, fmt_or_type, **kw):
    """Quantise and dequantise ``weights`` in a format; see ``quant_sim.quantization_error``."""
    from .quant_sim import quantization_error as impl

    return impl(weights, fmt_or_type, **kw)

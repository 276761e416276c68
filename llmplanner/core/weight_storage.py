"""How many bytes each weight tensor takes in a format, scales and packing included.

Two families of rules:

* **GGUF** (llama.cpp / Ollama): each tensor gets a ggml type from llama.cpp's recipe
  (``llamacpp_quant.gguf_tensor_types``) and takes ``rows × ggml_row_size(type, row)`` bytes. ``f32``,
  ``f16`` and ``bf16`` use the same rules when ``runtime`` is llama.cpp or Ollama (1-D tensors stay F32).
* **Hugging Face schemes** (transformers / vLLM): only the ``nn.Linear`` weights inside the decoder layers
  are quantised (attention and MLP projections, routed and shared experts); the token embedding, the output
  head (bitsandbytes skips ``lm_head``: ``get_keys_to_not_convert``; GPTQ/AWQ quantise the layers' Linear
  modules only; llm-compressor/vLLM FP8 recipes ignore ``lm_head``), norms, biases and MoE routers (GPTQ/AWQ
  and FP8 recipes leave ``mlp.gate`` unquantised) stay in the checkpoint's 16-bit dtype. The quantised
  matrices carry exactly the buffers their loaders allocate:

  - GPTQ (AutoGPTQ ``QuantLinear``): ``qweight`` int32 (in·bits/32, out), ``qzeros`` int32
    (⌈in/g⌉, out·bits/32), ``scales`` fp16 (⌈in/g⌉, out), ``g_idx`` int32 (in);
  - AWQ (AutoAWQ ``WQLinear_GEMM``): ``qweight`` int32 (in, out/8), ``qzeros`` int32 (in/g, out/8),
    ``scales`` fp16 (in/g, out) — no ``g_idx``;
  - bitsandbytes NF4/FP4 (``Params4bit``): packed uint8 (n/2), ``absmax`` fp32 per block of 64, and the
    16-entry fp32 code; with double quantisation (QLoRA §3) ``absmax`` is uint8, plus an fp32 scale per 256
    of them, a 256-entry fp32 code and an fp32 offset;
  - LLM.int8() (``Int8Params``): int8 ``CB`` plus an fp32 ``SCB`` per output row;
  - FP8 per tensor: one byte per weight plus an fp32 ``weight_scale``;
  - FP8 128×128 blocks (DeepSeek-V3 ``weight_scale_inv``): one byte per weight plus fp32 per 128×128 tile;
  - MXFP4 (OCP MX, gpt-oss): half a byte per weight plus one E8M0 byte per 32; gpt-oss quantises only its
    routed experts, so on MoE models only those are MXFP4 (on dense models every layer matrix).

Bytes are of tensor data (what llama.cpp prints as "model size" and vLLM as "weights"), not of file headers.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import ceil, prod
from types import MappingProxyType

from .architecture import Architecture
from .errors import PlannerError
from .formats import RUNTIMES, WeightFormat, get_format
from .ggml_types import GGML_TYPES
from .llamacpp_quant import gguf_tensor_types
from .tensors import COMPONENTS, TensorSpec, inventory

_ROUTER_ROLES = frozenset({"ffn_gate_inp", "ffn_gate_inp_shexp"})
_DTYPE_BYTES = {"F32": 4, "F16": 2, "BF16": 2}


@dataclass(frozen=True)
class TensorStorage:
    name: str
    storage: str
    """What the tensor is stored as: a ggml type (``Q6_K``, ``F32``) or a scheme (``nf4``, ``gptq-int4``,
    ``bf16``)."""
    bytes: int


@dataclass(frozen=True)
class WeightBytes:
    total: int
    by_component: MappingProxyType
    """``tensors.COMPONENTS`` → bytes (read-only: results are cached and shared)."""
    by_layer: tuple[int, ...]
    """Bytes of each transformer layer (what offloading ``n`` layers moves)."""
    outside_layers: int
    """Token embedding, output head, final norm and other tensors outside the layers."""
    bits_per_weight: float
    """``total × 8 / parameters``, as llama.cpp prints it."""

    def as_dict(self) -> dict:
        return {"total": self.total, "by_component": dict(self.by_component), "by_layer": list(self.by_layer),
                "outside_layers": self.outside_layers, "bits_per_weight": self.bits_per_weight}


# -- matrices in the Hugging Face schemes ----------------------------------------------------------------

def _matrix_dims(t: TensorSpec) -> tuple[int, int, int]:
    """(matrices, out_features, in_features) of a 2-D weight or a stack of expert matrices."""
    if len(t.shape) == 2:
        return 1, t.shape[0], t.shape[1]
    return prod(t.shape[:-2]), t.shape[-2], t.shape[-1]


def quantized_matrix_bytes(fmt: WeightFormat, out_features: int, in_features: int) -> int:
    """Bytes of one ``out × in`` weight matrix in a Hugging Face quantisation scheme, buffers included."""
    p = fmt.params
    n = out_features * in_features
    if fmt.kind == "gptq":
        bits, g = p["wbits"], p["group_size"]
        groups = 1 if g in (-1, None) else ceil(in_features / g)
        qweight = in_features * out_features * bits // 8          # int32 (in*bits/32, out)
        qzeros = groups * out_features * bits // 8                # int32 (groups, out*bits/32)
        scales = groups * out_features * 2                        # fp16
        g_idx = in_features * 4 if p.get("g_idx") else 0          # int32
        return qweight + qzeros + scales + g_idx
    if fmt.kind == "awq":
        g = p["group_size"]
        groups = ceil(in_features / g)
        return n // 2 + groups * out_features // 2 + groups * out_features * 2
    if fmt.kind == "bitsandbytes":
        if fmt.id == "int8":
            return n + out_features * 4                           # CB int8 + SCB fp32 per row
        blocks = ceil(n / p["blocksize"])
        packed = ceil(n / 2)
        if not p.get("double_quant"):
            return packed + blocks * 4 + 16 * 4                   # absmax fp32 + 16-value fp32 code
        dq_blocks = ceil(blocks / p["dq_blocksize"])
        return packed + blocks + dq_blocks * 4 + 256 * 4 + 4 + 16 * 4
    if fmt.kind == "fp8":
        if p["scale"] == "tensor":
            return n + 4
        b = p["block"]
        return n + ceil(out_features / b) * ceil(in_features / b) * 4
    if fmt.kind == "mx":
        if in_features % p["block"]:
            raise PlannerError(f"MXFP4 needs rows in blocks of {p['block']}; a row of {in_features} is not")
        return n // 2 + n // p["block"]
    raise PlannerError(f"{fmt.id} is not a Hugging Face quantisation scheme")


def matrix_bytes(fmt, out_features: int, in_features: int) -> int:
    """Bytes of one ``out × in`` weight matrix stored in ``fmt``'s main representation: the dtype for float
    formats, the scheme with its buffers for HF quantisation, the file type's default ggml type for GGUF
    (a recipe gives other tensors other types; ``tensor_storage`` has those)."""
    f = get_format(fmt)
    if f.kind == "float":
        return out_features * in_features * _DTYPE_BYTES[f.params["dtype"]]
    if f.is_gguf:
        return out_features * GGML_TYPES[f.params["default_type"]].row_bytes(in_features)
    return quantized_matrix_bytes(f, out_features, in_features)


def storage_bits(fmt, out_features: int = 4096, in_features: int = 4096) -> float:
    """Bits per weight of an ``out × in`` matrix (4096 × 4096 by default) in ``fmt``, scales included."""
    return matrix_bytes(fmt, out_features, in_features) * 8 / (out_features * in_features)


def _hf_quantizes(fmt: WeightFormat, t: TensorSpec, arch: Architecture) -> bool:
    """Whether a Hugging Face scheme quantises this tensor (see the module docstring)."""
    if t.layer is None or len(t.shape) < 2 or not t.name.endswith(".weight") or t.role in _ROUTER_ROLES:
        return False
    if fmt.kind == "mx" and arch.is_moe:
        return t.experts > 1
    return True


def _hf_storage(arch: Architecture, fmt: WeightFormat) -> tuple[TensorStorage, ...]:
    if fmt.kind == "float":
        width = _DTYPE_BYTES[fmt.params["dtype"]]
        return tuple(TensorStorage(t.name, fmt.id, t.numel * width) for t in inventory(arch))
    base = fmt.params.get("dtype", "BF16")
    width = _DTYPE_BYTES[base]
    out = []
    for t in inventory(arch):
        if _hf_quantizes(fmt, t, arch):
            count, o, i = _matrix_dims(t)
            out.append(TensorStorage(t.name, fmt.id, count * quantized_matrix_bytes(fmt, o, i)))
        else:
            out.append(TensorStorage(t.name, base.lower(), t.numel * width))
    return tuple(out)


def _gguf_storage(arch: Architecture, file_type: str, imatrix: bool | None) -> tuple[TensorStorage, ...]:
    types = gguf_tensor_types(arch, file_type, imatrix=imatrix)
    return tuple(TensorStorage(t.name, ty, GGML_TYPES[ty].tensor_bytes(t.shape))
                 for t, ty in zip(inventory(arch), types))


def tensor_storage(arch: Architecture, fmt, *, runtime: str | None = None,
                   imatrix: bool | None = None) -> tuple[TensorStorage, ...]:
    """Storage of every tensor of ``arch`` in ``fmt``, aligned 1:1 with ``inventory(arch)``.

    ``runtime`` matters only for f32/f16/bf16: llama.cpp and Ollama keep 1-D tensors in F32 (GGUF rules),
    transformers and vLLM store every tensor in the chosen dtype. ``imatrix`` is passed to the llama.cpp
    recipe (``None``: only where llama-quantize requires one).
    """
    return _storage(arch, *_key(fmt, runtime, imatrix))


def _key(fmt, runtime, imatrix) -> tuple[str, bool, bool | None]:
    f = get_format(fmt)
    if runtime is not None and runtime not in RUNTIMES:
        from .errors import UnknownNameError

        raise UnknownNameError("runtime", runtime, RUNTIMES)
    gguf_rules = f.is_gguf or (f.kind == "float" and runtime in ("llama.cpp", "ollama"))
    return f.id, gguf_rules, (imatrix if gguf_rules else None)


@lru_cache(maxsize=512)
def _storage(arch: Architecture, fid: str, gguf_rules: bool, imatrix: bool | None) -> tuple[TensorStorage, ...]:
    f = get_format(fid)
    if gguf_rules:
        return _gguf_storage(arch, f.file_type, imatrix)
    return _hf_storage(arch, f)


def weight_bytes(arch: Architecture, fmt, *, runtime: str | None = None,
                 imatrix: bool | None = None) -> WeightBytes:
    """Weight bytes of ``arch`` in ``fmt``: total, per component, per layer, outside the layers, and the
    average bits per weight (``total × 8 / parameters``)."""
    return _weight_bytes(arch, *_key(fmt, runtime, imatrix))


@lru_cache(maxsize=512)
def _weight_bytes(arch: Architecture, fid: str, gguf_rules: bool, imatrix: bool | None) -> WeightBytes:
    storage = _storage(arch, fid, gguf_rules, imatrix)
    tensors = inventory(arch)
    by_component = dict.fromkeys(COMPONENTS, 0)
    by_layer = [0] * arch.num_layers
    outside = 0
    for t, s in zip(tensors, storage):
        by_component[t.component] += s.bytes
        if t.layer is None:
            outside += s.bytes
        else:
            by_layer[t.layer] += s.bytes
    total = sum(by_component.values())
    params = sum(t.numel for t in tensors)
    return WeightBytes(total, MappingProxyType(by_component), tuple(by_layer), outside, total * 8 / params)

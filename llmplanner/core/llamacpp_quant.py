"""llama.cpp's file types as per-tensor recipes: which ggml type each tensor of a GGUF file gets.

A llama.cpp "file type" such as ``Q4_K_M`` is not one tensor type but a rule per tensor: the output head gets
``Q6_K``, half of the ``attn_v`` and ``ffn_down`` tensors get ``Q6_K`` and the rest ``Q4_K``, norms stay
``F32`` ... so a file's average bits per weight depends on the model, as real files show (Llama-3-8B Q4_K_M
is 4.89 BPW, Llama-2-7B Q4_K_M 4.84). This module re-states those rules from llama.cpp's source:

* ``src/llama-quant.cpp`` at commit 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714 (github.com/ggml-org/llama.cpp):
  ``tensor_allows_quantization`` (what is never quantised), ``tensor_get_category``,
  ``llama_tensor_get_type_impl`` (the mixes), ``tensor_type_fallback`` (rows that are not whole blocks),
  ``llama_ftype_get_default_type`` and ``init_quantize_state_counters``;
* ``convert_hf_to_gguf.py`` ``prepare_tensors``: which tensors a 16-bit GGUF stores in F32 (1-D tensors,
  norms, biases, the MoE router ``ffn_gate_inp``, position and token-type embeddings) — those are the
  tensors the quantiser then leaves as they are;
* ``src/llama-model.cpp``: ``LLM_TYPE_70B`` (llama with 80 layers and GQA, qwen2 with 80 layers), the only
  model size the rules look at (``llama_quant_model_from_metadata`` says so).

The tensors are visited in the order llama.cpp's model loader keeps them (``weight_name_comparer``: by layer,
then by name), because the "use more bits" rules count ``attn_v``/``ffn_down`` tensors as they go.
Not modelled: ``--pure``, ``--tensor-type`` overrides, ``--output-tensor-type``/``--token-embedding-type``,
``--leave-output-tensor`` (pass ``quantize_output=False`` for that one), and architectures whose GGUF
tensors differ from ``tensors.inventory`` (e.g. DeepSeek's split ``attn_k_b``/``attn_v_b``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .architecture import Architecture
from .errors import PlannerError, UnknownNameError
from .ggml_types import GGML_TYPES
from .tensors import TensorSpec, inventory

LLAMA_CPP_SOURCE = ("llama.cpp src/llama-quant.cpp @ 007dbbf3 (llama_tensor_get_type_impl, "
                    "tensor_allows_quantization, tensor_type_fallback)")


@dataclass(frozen=True)
class LlamaFileType:
    """One ``llama_ftype`` (``include/llama.h``; ids as in gguf-py ``LlamaFileType``)."""

    name: str
    """As ``llama-quantize`` spells it: ``Q4_K_M``."""
    ftype_id: int
    default_type: str
    """``llama_ftype_get_default_type``: the ggml type of every tensor no rule changes."""
    description: str = ""


def _ft(name, ftype_id, default, description=""):
    return LlamaFileType(name, ftype_id, default, description)


#: Every file type ``llama-quantize`` writes (``tools/quantize/quantize.cpp`` QUANT_OPTIONS, whose
#: descriptions are quoted), with its default tensor type from ``llama_ftype_get_default_type``.
LLAMA_FILE_TYPES: dict[str, LlamaFileType] = {f.name: f for f in (
    _ft("F32", 0, "F32", "all tensors in 32-bit float"),
    _ft("F16", 1, "F16", "16-bit float; 1-D tensors in F32"),
    _ft("BF16", 32, "BF16", "bfloat16; 1-D tensors in F32"),
    _ft("Q8_0", 7, "Q8_0", "8-bit, blocks of 32 with an fp16 scale"),
    _ft("Q6_K", 18, "Q6_K", "6-bit k-quant for every matrix"),
    _ft("Q5_K_M", 17, "Q5_K", "Q5_K; Q6_K for half of attn_v and ffn_down and for the output"),
    _ft("Q5_K_S", 16, "Q5_K", "Q5_K; Q6_K for the output"),
    _ft("Q5_1", 9, "Q5_1", "legacy 5-bit with scale and minimum, blocks of 32"),
    _ft("Q5_0", 8, "Q5_0", "legacy 5-bit with a scale, blocks of 32"),
    _ft("Q4_K_M", 15, "Q4_K", "Q4_K; Q6_K for half of attn_v and ffn_down and for the output"),
    _ft("Q4_K_S", 14, "Q4_K", "Q4_K; Q5_K for the first attn_v and ffn_down tensors"),
    _ft("Q4_1", 3, "Q4_1", "legacy 4-bit with scale and minimum, blocks of 32"),
    _ft("Q4_0", 2, "Q4_0", "legacy 4-bit with a scale, blocks of 32"),
    _ft("IQ4_NL", 25, "IQ4_NL", "4.50 bpw non-linear quantization"),
    _ft("IQ4_XS", 30, "IQ4_XS", "4.25 bpw non-linear quantization"),
    _ft("Q3_K_L", 13, "Q3_K", "Q3_K; Q5_K for attn_v, ffn_down and attn_output"),
    _ft("Q3_K_M", 12, "Q3_K", "Q3_K; Q4_K/Q5_K for attn_v, ffn_down and attn_output"),
    _ft("Q3_K_S", 11, "Q3_K", "Q3_K for every matrix but the output"),
    _ft("IQ3_M", 27, "IQ3_S", "3.66 bpw quantization mix"),
    _ft("IQ3_S", 26, "IQ3_S", "3.44 bpw quantization"),
    _ft("IQ3_XS", 22, "IQ3_S", "3.3 bpw quantization"),
    _ft("IQ3_XXS", 23, "IQ3_XXS", "3.06 bpw quantization"),
    _ft("Q2_K", 10, "Q2_K", "Q2_K; Q3_K/Q4_K for attn_v, ffn_down and attn_output"),
    _ft("Q2_K_S", 21, "Q2_K", "Q2_K almost everywhere (needs an importance matrix)"),
    _ft("IQ2_M", 29, "IQ2_S", "2.7 bpw quantization"),
    _ft("IQ2_S", 28, "IQ2_XS", "2.5 bpw quantization"),
    _ft("IQ2_XS", 20, "IQ2_XS", "2.31 bpw quantization"),
    _ft("IQ2_XXS", 19, "IQ2_XXS", "2.06 bpw quantization"),
    _ft("IQ1_M", 31, "IQ1_M", "1.75 bpw quantization"),
    _ft("IQ1_S", 24, "IQ1_S", "1.56 bpw quantization"),
    _ft("TQ2_0", 37, "TQ2_0", "2.06 bpw ternarization"),
    _ft("TQ1_0", 36, "TQ1_0", "1.69 bpw ternarization"),
    _ft("MXFP4_MOE", 38, "MXFP4", "MXFP4 for the routed experts, Q8_0 for the other matrices"),
    _ft("Q1_0", 40, "Q1_0", "1.125 bpw quantization"),
)}

#: ``llama-quantize`` aliases (QUANT_OPTIONS): ``Q4_K`` means ``Q4_K_M`` and so on.
FILE_TYPE_ALIASES = {"Q3_K": "Q3_K_M", "Q4_K": "Q4_K_M", "Q5_K": "Q5_K_M"}

_FALLBACK = {  # tensor_type_fallback: for rows that are not a whole number of 256-blocks
    "IQ1_S": "IQ4_NL", "IQ1_M": "IQ4_NL", "IQ2_XXS": "IQ4_NL", "IQ2_XS": "IQ4_NL", "IQ2_S": "IQ4_NL",
    "IQ3_XXS": "IQ4_NL", "IQ3_S": "IQ4_NL", "IQ4_XS": "IQ4_NL",
    "Q2_K": "Q4_0", "Q3_K": "Q4_0", "TQ1_0": "Q4_0", "TQ2_0": "Q4_0",
    "Q4_K": "Q5_0", "Q5_K": "Q5_1", "Q6_K": "Q8_0",
}

_IQ2_AND_BELOW = {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"}


def file_type(name: str) -> LlamaFileType:
    """A file type by ``llama-quantize`` name or alias, any case."""
    key = str(name).strip().upper()
    key = FILE_TYPE_ALIASES.get(key, key)
    if key in LLAMA_FILE_TYPES:
        return LLAMA_FILE_TYPES[key]
    raise UnknownNameError("llama.cpp file type", name, LLAMA_FILE_TYPES)


# -- what the converter and the quantiser leave alone ---------------------------------------------------

def ggml_n_dims(shape: tuple[int, ...]) -> int:
    """``ggml_n_dims``: trailing size-1 dimensions of ggml's ``ne`` (leading ones in PyTorch order) do not
    count, so a (1, 4096) matrix is 1-D to ggml."""
    ne = tuple(reversed(shape))
    for i in range(len(ne) - 1, 0, -1):
        if ne[i] > 1:
            return i + 1
    return 1


def converter_keeps_f32(t: TensorSpec) -> bool:
    """``convert_hf_to_gguf.py`` stores these in F32 whatever ``--outtype`` says: 1-D tensors, norms,
    anything not named ``.weight`` (biases), the router ``ffn_gate_inp``, position and token-type tables."""
    name = t.name
    return (len(t.shape) <= 1 or name.endswith("_norm.weight") or not name.endswith(".weight")
            or ".ffn_gate_inp.weight" in name or name in ("position_embd.weight", "token_types.weight"))


def allows_quantization(t: TensorSpec, quantize_output: bool = True) -> bool:
    """``tensor_allows_quantization``: 2-D/3-D weights, except norms, the router, positions, token types."""
    name = t.name
    if ggml_n_dims(t.shape) < 2 or not name.endswith("weight"):
        return False
    if "_norm.weight" in name or "ffn_gate_inp.weight" in name:
        return False
    if name == "output.weight" and not quantize_output:
        return False
    return name not in ("position_embd.weight", "token_types.weight")


def _category(name: str) -> str:
    """``tensor_get_category``, in its order of tests."""
    if name == "output.weight":
        return "output"
    if name in ("token_embd.weight", "per_layer_token_embd.weight"):
        return "token_embd"
    for needle, cat in (("attn_qkv.weight", "attn_qkv"), ("attn_kv_b.weight", "attn_kv_b"),
                        ("attn_v.weight", "attn_v"), ("attn_k.weight", "attn_k"), ("attn_q.weight", "attn_q"),
                        ("attn_output.weight", "attn_output"), ("ffn_up", "ffn_up"), ("ffn_gate", "ffn_gate"),
                        ("ffn_down", "ffn_down")):
        if needle in name:
            return cat
    return "other"


_ATTN_V_LIKE = ("attn_v", "attn_qkv", "attn_kv_b")


def _use_more_bits(i: int, n: int) -> bool:
    """The layers a ``_M`` mix gives more bits: the first and last eighth and every third in between."""
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


@dataclass(frozen=True)
class _Model:
    """The hyper-parameters the rules read (``llama_hparams`` / ``llama_model``)."""

    n_layer: int
    n_gqa: int
    n_expert: int
    is_falcon: bool
    is_70b: bool


_LLAMA_ARCH_FAMILIES = {"llama", "mistral", "ministral", "mixtral"}
"""Hugging Face model types that ``convert_hf_to_gguf.py`` writes as llama.cpp's ``llama`` architecture."""


def _model(arch: Architecture) -> _Model:
    att = arch.attention
    n_gqa = max(1, att.num_heads // max(1, att.num_kv_heads))
    fam = arch.family
    # llama-model.cpp: LLM_ARCH_LLAMA 80 layers -> 70B when n_head != n_head_kv (else 65B); qwen2 80 -> 70B
    is_70b = arch.num_layers == 80 and ((fam in _LLAMA_ARCH_FAMILIES and att.num_heads != att.num_kv_heads)
                                        or fam == "qwen2")
    return _Model(arch.num_layers, n_gqa, arch.moe.num_experts if arch.moe else 0, fam == "falcon", is_70b)


class _State:
    """``quantize_state_impl``: the counters the rules advance as tensors go by."""

    def __init__(self, tensors: list[TensorSpec], model: _Model, imatrix: bool):
        self.model = model
        self.imatrix = imatrix
        self.n_attention_wv = sum(_category(t.name) in _ATTN_V_LIKE for t in tensors)
        self.n_ffn = model.n_layer
        self.i_attention_wv = self.i_ffn_down = self.i_ffn_gate = self.i_ffn_up = 0
        self.tied = not any(t.name == "output.weight" for t in tensors)
        self.n_fallback = 0

    def layer_of(self, counter: int, t: TensorSpec) -> int:
        """``layer_info``: the counter, except for MoE models, where the name says the layer."""
        if self.model.n_expert > 1 and t.layer is not None:
            return t.layer
        return counter


def _impl(qs: _State, new: str, t: TensorSpec, ft: str, cat: str) -> str:
    """``llama_tensor_get_type_impl``: the mix rules, branch for branch."""
    m = qs.model
    n_expert, n_gqa = m.n_expert, m.n_gqa
    if cat == "output" or (qs.tied and cat == "token_embd"):
        nx = t.row_size
        if ft == "MXFP4_MOE":
            return "Q8_0"
        if m.is_falcon or nx % GGML_TYPES[new].block_size:
            return "Q8_0"
        if ft in ("IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"):
            return "Q5_K"
        return new if new == "Q8_0" else "Q6_K"
    if ft == "MXFP4_MOE":
        return "MXFP4" if len(t.shape) == 3 and t.shape[0] > 1 else "Q8_0"
    if cat == "token_embd":
        if ft in ("IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ1_M"):
            return "Q2_K"
        if ft in ("IQ2_S", "IQ2_M", "IQ3_XXS"):
            return "IQ3_S"
        if ft in ("TQ1_0", "TQ2_0"):
            return "Q4_K"
        return new
    if ft in _IQ2_AND_BELOW:
        low = "IQ3_S" if ft in ("IQ2_S", "IQ2_M") else "Q2_K"
        if cat in _ATTN_V_LIKE:
            new = "Q4_K" if (n_gqa >= 4 or n_expert >= 4) else low
            qs.i_attention_wv += 1
        elif n_expert == 8 and cat == "attn_k":
            new = "Q4_K"
        elif cat == "ffn_down":
            if qs.i_ffn_down < qs.n_ffn // 8:
                new = low
            qs.i_ffn_down += 1
        elif cat == "attn_output":
            if n_expert == 8:
                new = "Q5_K"
            elif ft in ("IQ1_S", "IQ1_M"):
                new = "IQ2_XXS"
            elif ft in ("IQ2_S", "IQ2_M"):
                new = "IQ3_S"
        return new
    if cat in _ATTN_V_LIKE:
        i, n = qs.i_attention_wv, qs.n_attention_wv
        if ft == "Q2_K":
            new = "Q4_K" if n_gqa >= 4 else "Q3_K"
        elif ft == "Q2_K_S" and n_gqa >= 4:
            new = "Q4_K"
        elif ft == "IQ3_XXS":
            new = "Q4_K" if n_gqa >= 4 else ("IQ3_S" if not qs.imatrix else "IQ3_XXS")
        elif ft in ("IQ3_XS", "IQ3_S") and n_gqa >= 4:
            new = "Q4_K"
        elif ft == "IQ3_M":
            new = "Q4_K"
        elif ft == "Q3_K_M":
            new = "Q5_K" if i < 2 else "Q4_K"
        elif ft == "Q3_K_L":
            new = "Q5_K"
        elif ft in ("IQ4_NL", "IQ4_XS") and n_gqa >= 4:
            new = "Q5_K"
        elif ft in ("Q4_K_M", "Q5_K_M") and _use_more_bits(i, n):
            new = "Q6_K"
        elif ft == "Q4_K_S" and i < 4:
            new = "Q5_K"
        if m.is_70b and new in ("Q3_K", "Q4_K"):
            # "8 heads sharing the same attn_v weights ... nearly negligible increase in model size"
            new = "Q5_K"
        if n_expert == 8:
            new = "Q8_0"
        qs.i_attention_wv += 1
        return new
    if cat == "attn_k":
        if n_expert == 8:
            return "Q8_0"
        if ft == "IQ3_XS":
            return "IQ3_XXS"
        if ft == "IQ3_XXS":
            return "IQ2_S"
        return new
    if cat == "attn_q":
        if ft == "IQ3_XS":
            return "IQ3_XXS"
        if ft == "IQ3_XXS":
            return "IQ2_S"
        return new
    if cat == "ffn_down":
        i, n = qs.layer_of(qs.i_ffn_down, t), qs.n_ffn
        if ft == "Q2_K":
            new = "Q3_K"
        elif ft == "Q2_K_S":
            if i < n // 8:
                new = "Q4_K"
        elif ft == "IQ3_XXS" and not qs.imatrix:
            new = "Q4_K" if i < n // 8 else "Q3_K"
        elif ft == "Q3_K_M":
            new = ("Q5_K" if i < n // 16 else
                   "Q4_K" if (not m.is_falcon or _use_more_bits(i, n)) else "Q3_K")
        elif ft == "IQ3_M" and (i < n // 8 or (n_expert == 8 and _use_more_bits(i, n))):
            new = "Q4_K"
        elif ft == "Q3_K_L":
            new = "Q4_K" if m.is_falcon else "Q5_K"
        elif ft == "Q4_K_M":
            if m.is_falcon:
                new = "Q6_K" if i < n // 16 else ("Q5_K" if _use_more_bits(i, n) else "Q4_K")
            elif _use_more_bits(i, n):
                new = "Q6_K"
        elif i < n // 8 and ft in ("IQ4_NL", "IQ4_XS") and not qs.imatrix:
            new = "Q5_K"
        elif ft == "Q5_K_M" and _use_more_bits(i, n):
            new = "Q6_K"
        elif ft == "Q4_K_S" and not m.is_falcon and i < n // 8:
            new = "Q5_K"
        elif ft in ("Q4_0", "Q5_0") and qs.imatrix and i < n // 8:
            new = "Q4_1" if ft == "Q4_0" else "Q5_1"
        qs.i_ffn_down += 1
        return new
    if cat == "attn_output":
        if not m.is_falcon:
            if n_expert == 8:
                if ft in ("Q2_K", "IQ3_XS", "IQ3_XXS", "Q3_K_S", "Q3_K_M", "IQ4_NL", "Q4_K_S", "Q4_K_M",
                          "IQ3_S", "IQ3_M", "IQ4_XS"):
                    new = "Q5_K"
            else:
                new = {"Q2_K": "Q3_K", "IQ3_XXS": "IQ3_S", "Q3_K_M": "Q4_K", "Q3_K_L": "Q5_K",
                       "IQ3_M": "Q4_K"}.get(ft, new)
        elif ft == "Q3_K_L":
            new = "Q4_K"
        return new
    if cat == "attn_qkv":
        if ft in ("Q3_K_M", "Q3_K_L", "IQ3_M"):
            return "Q4_K"
        if ft == "Q4_K_M":
            return "Q5_K"
        if ft == "Q5_K_M":
            return "Q6_K"
        return new
    if cat in ("ffn_gate", "ffn_up"):
        counter = qs.i_ffn_gate if cat == "ffn_gate" else qs.i_ffn_up
        i, n = qs.layer_of(counter, t), qs.n_ffn
        if ft == "IQ3_XS" and n // 8 <= i < 7 * n // 8:
            new = "IQ3_XXS"
        if cat == "ffn_gate":
            qs.i_ffn_gate += 1
        else:
            qs.i_ffn_up += 1
        return new
    return new


def _fallback(qs: _State, t: TensorSpec, new: str) -> str:
    """``tensor_type_fallback``: a row that is not whole blocks takes a 32-block type, else F16."""
    ncols = t.row_size
    if ncols % GGML_TYPES[new].block_size == 0:
        return new
    qs.n_fallback += 1
    if new not in _FALLBACK:
        raise PlannerError(f"llama.cpp defines no fallback for {new} (tensor {t.name}, row of {ncols})")
    out = _FALLBACK[new]
    return out if ncols % GGML_TYPES[out].block_size == 0 else "F16"


def _load_order(tensors: tuple[TensorSpec, ...]) -> list[int]:
    """Indices in llama_model_loader's ``weights_map`` order: layer (-1 for global tensors), then name."""
    return sorted(range(len(tensors)), key=lambda k: (-1 if tensors[k].layer is None else tensors[k].layer,
                                                      tensors[k].name))


_NEEDS_IMATRIX = frozenset({"IQ3_XXS", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ1_M", "IQ1_S"})
"""``tensor_requires_imatrix``: llama-quantize refuses these tensor types without an importance matrix (and
``Q2_K`` tensors of a ``Q2_K_S`` file); the token embedding and output are exempt."""


def requires_imatrix(types: tuple[str, ...], tensors: tuple[TensorSpec, ...], ftype: str) -> bool:
    for t, ty in zip(tensors, types):
        if t.name in ("token_embd.weight", "output.weight", "per_layer_token_embd.weight"):
            continue
        if ty in _NEEDS_IMATRIX or (ty == "Q2_K" and ftype == "Q2_K_S"):
            return True
    return False


def gguf_tensor_types(arch: Architecture, ftype: str, *, imatrix: bool | None = None, source_type: str = "F16",
                      quantize_output: bool = True) -> tuple[str, ...]:
    """The ggml type of every tensor (aligned with ``inventory(arch)``) in a ``ftype`` GGUF file made by
    ``llama-quantize`` from a ``source_type`` (F16/BF16/F32) conversion.

    ``imatrix``: whether an importance matrix was given; a few rules depend on it. ``None`` (the default)
    means "as llama-quantize allows": with one exactly when the file type cannot be made without one
    (IQ1/IQ2/IQ3_XXS tensors, Q2_K_S), as every published file of those types was.
    """
    ft = file_type(ftype)
    if source_type not in ("F16", "BF16", "F32"):
        raise PlannerError(f"a converted GGUF holds F16, BF16 or F32 tensors, not {source_type!r}")
    if imatrix is None:
        plain = _tensor_types(arch, ft.name, False, source_type, quantize_output)
        imatrix = requires_imatrix(plain, inventory(arch), ft.name)
        if not imatrix:
            return plain
    return _tensor_types(arch, ft.name, bool(imatrix), source_type, quantize_output)


@lru_cache(maxsize=256)
def _tensor_types(arch: Architecture, ftype: str, imatrix: bool, source_type: str,
                  quantize_output: bool) -> tuple[str, ...]:
    ft = LLAMA_FILE_TYPES[ftype]
    tensors = inventory(arch)
    model = _model(arch)
    order = _load_order(tensors)
    qs = _State([tensors[k] for k in order], model, imatrix)
    default = ft.default_type
    quantizing = GGML_TYPES[default].quantized
    out: list[str] = [""] * len(tensors)
    for k in order:
        t = tensors[k]
        stored = "F32" if converter_keeps_f32(t) else source_type
        if not allows_quantization(t, quantize_output):
            out[k] = stored
            continue
        new = default
        if quantizing:
            new = _impl(qs, new, t, ft.name, _category(t.name))
            new = _fallback(qs, t, new)
        out[k] = new
    return tuple(out)

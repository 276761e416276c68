"""Which stored tensors are parameters, and how many parameters a packed one holds.

The convention is transformers' ``model.num_parameters()`` (see ``tensors.py``): a checkpoint can hold more
than the model's parameters, and quantised checkpoints hold fewer elements than parameters. Each stored
tensor is classified as one of:

- ``parameter`` — counted; a packed quantised weight counts the parameters it encodes (below);
- ``buffer`` — registered buffers that some checkpoints carry: rotary ``inv_freq``, the causal-mask
  ``attn.bias``/``masked_bias`` of GPT-2/GPT-J/GPT-NeoX checkpoints (llama.cpp's converter drops them too:
  ``convert_hf_to_gguf.py`` GPT2Model), ``position_ids``/``token_type_ids``, DeepSeek-V3's
  ``e_score_correction_bias`` (``register_buffer`` in modeling_deepseek_v3.py), llama.cpp's ``rope_freqs``;
- ``quantization`` — scales, zero points and group indices that describe a quantised weight;
- ``mtp`` — multi-token-prediction modules (DeepSeek-V3's layer 61, ``model.layers.{i}`` with i ≥
  ``num_hidden_layers``; ``mtp.*``), which transformers does not build;
- ``tied`` — an output head stored although the config ties it to the input embedding (counted once).

Packed quantised weights, counted as the parameters they hold:

- GPTQ (AutoGPTQ/GPTQModel ``QuantLinear``): ``qweight`` int32 ``(in·bits/32, out)``, ``qzeros`` int32
  ``(groups, out·bits/32)``, ``scales`` ``(groups, out)``, ``g_idx`` ``(in,)``. Parameters = in × out with
  bits from ``quantization_config.bits``, else from ``qzeros``: bits = 32 × qzeros.shape[1] / out.
- AWQ (AutoAWQ ``WQLinear_GEMM``): ``qweight`` int32 ``(in, out·bits/32)``, same ``qzeros``/``scales``.
  GPTQ and AWQ are told apart by which dimension of ``qweight`` matches ``scales``.
- compressed-tensors ``pack-quantized``: ``weight_packed`` int32 ``(out, in·bits/32)``, bits from the
  config's ``config_groups.*.weights.num_bits``.
- bitsandbytes 4-bit (``Params4bit``): ``weight`` uint8 with two 4-bit values per byte, recognised by its
  ``weight.quant_state.bitsandbytes__nf4|fp4`` companion; NVIDIA ModelOpt NVFP4: ``weight`` uint8 with an
  FP8 ``weight_scale``; MXFP4 (gpt-oss, transformers ``integrations/mxfp4.py``): ``*_blocks`` uint8 with
  ``*_scales`` — all two parameters per byte.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .safetensors_header import HeaderTensor
from .tensor_names import is_encoder_tensor, layer_of

KINDS = ("parameter", "buffer", "quantization", "mtp", "tied")


@dataclass(frozen=True)
class Counted:
    name: str
    params: int
    """Parameters this tensor contributes (0 unless ``kind == 'parameter'``)."""
    kind: str
    reason: str = ""
    stored: int = 0
    """Elements as stored."""


_BUFFER_SUFFIXES = (
    ("inv_freq", "rotary inv_freq buffer"),
    (".masked_bias", "attention masked_bias buffer"),
    ("e_score_correction_bias", "router e_score_correction_bias (a buffer in transformers)"),
    (".position_ids", "position_ids buffer"),
    ("embeddings.token_type_ids", "token_type_ids buffer"),
    (".cos_cached", "rotary cache buffer"),
    (".sin_cached", "rotary cache buffer"),
    ("rope_freqs.weight", "llama.cpp rope_freqs (rotary scaling factors, a buffer in transformers)"),
    ("rope_factors_long.weight", "llama.cpp rope_factors_long (a buffer in transformers)"),
    ("rope_factors_short.weight", "llama.cpp rope_factors_short (a buffer in transformers)"),
    ("exp_probs_b.bias", "router score-correction bias (a buffer in transformers)"),
)
_CAUSAL_MASK = re.compile(r"(?:^|\.)(?:attn|attention|self_attention|self_attn)\.bias$")
_QUANT_SUFFIXES = (
    ".weight_scale_inv", ".weight_scale", ".weight_scale_2", ".input_scale", ".input_scale_inv", ".k_scale",
    ".v_scale", ".q_scale", ".prob_scale", ".output_scale", ".weight_zero_point", ".input_zero_point",
    ".weight_global_scale", ".input_global_scale", ".weight_shape", ".weight_g_idx", ".SCB", ".weight_format",
    ".weight.absmax", ".weight.quant_map", ".weight.nested_absmax", ".weight.nested_quant_map",
)
_GPTQ_AUX = (".qzeros", ".scales", ".g_idx")
_MTP_PREFIX = re.compile(r"^(?:model\.)?mtp[._]")


def _sibling(tensors: Mapping[str, HeaderTensor], name: str, suffix: str) -> HeaderTensor | None:
    return tensors.get(name.rsplit(".", 1)[0] + suffix)


def _bits_from_config(quant: Mapping | None) -> int | None:
    """``bits`` (GPTQ), ``w_bit`` (AWQ) or compressed-tensors' ``config_groups.*.weights.num_bits``."""
    if not isinstance(quant, Mapping):
        return None
    for key in ("bits", "w_bit"):
        v = quant.get(key)
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 32:
            return v
    groups = quant.get("config_groups")
    if isinstance(groups, Mapping):
        for g in groups.values():
            w = g.get("weights") if isinstance(g, Mapping) else None
            v = w.get("num_bits") if isinstance(w, Mapping) else None
            if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 32:
                return v
    return None


def _gptq_awq_params(t: HeaderTensor, tensors, quant) -> tuple[int, str] | None:
    qzeros, scales, g_idx = (_sibling(tensors, t.name, s) for s in _GPTQ_AUX)
    if len(t.shape) != 2 or scales is None or len(scales.shape) != 2:
        return None
    rows, cols = t.shape
    out = scales.shape[1]
    bits = _bits_from_config(quant)
    if bits is None and qzeros is not None and len(qzeros.shape) == 2 and out:
        if (32 * qzeros.shape[1]) % out == 0:
            bits = 32 * qzeros.shape[1] // out
    if cols == out:  # GPTQ: packed along the input dimension
        if g_idx is not None and len(g_idx.shape) == 1:
            return g_idx.shape[0] * out, "GPTQ qweight (in from g_idx)"
        if bits and (rows * 32) % bits == 0:
            return rows * 32 // bits * out, f"GPTQ qweight, {bits}-bit"
        return None
    if bits and (cols * 32) % bits == 0 and cols * 32 // bits == out:  # AWQ: packed along the output
        return rows * out, f"AWQ qweight, {bits}-bit"
    return None


def _packed_params(t: HeaderTensor, tensors, quant, bnb4: set[str]) -> tuple[int, str] | None:
    """Parameters held by a packed quantised weight, or None when ``t`` is not one."""
    name = t.name
    if name.endswith(".qweight"):
        return _gptq_awq_params(t, tensors, quant) or (t.numel, "packed qweight of unknown layout, counted as stored")
    if name.endswith(".weight_packed"):
        bits = _bits_from_config(quant)
        if t.dtype == "U8":
            return t.numel * 2, "FP4 weight_packed, 2 per byte"
        if bits and t.dtype == "I32" and 32 % bits == 0:
            return t.numel * (32 // bits), f"weight_packed int32, {bits}-bit"
        return t.numel, "weight_packed without a known bit width, counted as stored"
    if name.endswith("_blocks") and t.dtype == "U8" and (name[: -len("_blocks")] + "_scales") in tensors:
        return t.numel * 2, "MXFP4 blocks, 2 per byte"
    if name.endswith(".weight") and t.dtype == "U8":
        if name in bnb4:
            return t.numel * 2, "bitsandbytes 4-bit, 2 per byte"
        scale = tensors.get(name + "_scale")
        if scale is not None and scale.dtype.startswith("F8"):
            return t.numel * 2, "NVFP4, 2 per byte"
    return None


def _aux_reason(t: HeaderTensor, tensors) -> str | None:
    name = t.name
    if ".quant_state." in name:
        return "bitsandbytes quant_state"
    if name.endswith(_QUANT_SUFFIXES):
        return "quantisation scale/zero point"
    if name.endswith(_GPTQ_AUX) and _sibling(tensors, name, ".qweight") is not None:
        return "GPTQ/AWQ scales, zeros, group index"
    if name.endswith("_scales") and t.dtype == "U8" and (name[: -len("_scales")] + "_blocks") in tensors:
        return "MXFP4 block scales"
    return None


_BUFFER_ENDINGS = tuple(suffix for suffix, _ in _BUFFER_SUFFIXES)


def _buffer_reason(t: HeaderTensor) -> str | None:
    if not t.name.endswith(_BUFFER_ENDINGS) and not t.name.endswith(".bias"):
        return None
    for suffix, reason in _BUFFER_SUFFIXES:
        if t.name.endswith(suffix):
            return reason
    if _CAUSAL_MASK.search(t.name) and len(t.shape) >= 2:
        return "causal-mask attn.bias buffer"
    return None


def classify(tensors: Sequence[HeaderTensor], *, num_layers: int | None = None, tied: bool | None = None,
             quant_config: Mapping | None = None, gguf_names: Mapping[str, str | None] | None = None,
             mtp_layers_from: int | None = None) -> list[Counted]:
    """Classify every stored tensor under transformers' counting convention.

    ``num_layers`` (the config's ``num_hidden_layers``) marks language-model blocks at or past it as
    multi-token prediction; ``tied`` (the config's ``tie_word_embeddings``) drops a stored output head;
    ``gguf_names`` (name → llama.cpp name) says which tensors are the embedding and the output head.
    """
    by_name = {t.name: t for t in tensors}
    names = gguf_names or {}
    has_embedding = any(v == "token_embd.weight" for v in names.values())
    bnb4 = {k.split(".quant_state.bitsandbytes__")[0] for k in by_name if ".quant_state.bitsandbytes__" in k}
    out: list[Counted] = []
    for t in tensors:
        reason = _buffer_reason(t)
        if reason:
            out.append(Counted(t.name, 0, "buffer", reason, t.numel))
            continue
        reason = _aux_reason(t, by_name)
        if reason:
            out.append(Counted(t.name, 0, "quantization", reason, t.numel))
            continue
        layer = layer_of(t.name)
        first_mtp = mtp_layers_from if mtp_layers_from is not None else num_layers
        if _MTP_PREFIX.match(t.name) or (first_mtp is not None and layer is not None and layer >= first_mtp
                                         and not is_encoder_tensor(t.name)):
            out.append(Counted(t.name, 0, "mtp", "multi-token-prediction module (not built by transformers)",
                               t.numel))
            continue
        if tied and has_embedding and names.get(t.name) == "output.weight":
            out.append(Counted(t.name, 0, "tied", "output head tied to the input embedding: counted once",
                               t.numel))
            continue
        packed = _packed_params(t, by_name, quant_config, bnb4)
        if packed:
            out.append(Counted(t.name, packed[0], "parameter", packed[1], t.numel))
        else:
            out.append(Counted(t.name, t.numel, "parameter", "", t.numel))
    return out

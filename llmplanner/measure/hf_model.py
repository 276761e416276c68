"""The transformers configuration to build for a measured check, and how far to scale it down.

The check builds the model with transformers' own classes from a configuration (``AutoModelForCausalLM
.from_config``; random weights, nothing downloaded, never ``trust_remote_code``). Where the plan's model
came from a ``config.json`` or a preset, that configuration is used as it is; otherwise (a GGUF header, an
architecture typed in) an equivalent configuration of a family transformers knows is written from the
``Architecture``: Llama for dense models (Qwen2 when only q/k/v carry biases), Mixtral or Qwen2-MoE for
mixtures of experts, DeepSeek-V3 for MLA. Where the equivalent differs (a plain two-matrix MLP, LayerNorm
biases, extra norms), the check compares the parameters built with ``core.params`` and says so.

Scaling: a model larger than the device's free memory is built with fewer layers and the same widths
(hidden size, heads, MLP, vocabulary), so per-layer costs and per-token speed per layer stay those of the
real model; the result says how many of how many layers were built.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ..core.architecture import Architecture
from ..core.errors import PlannerError
from ..core.model_source import LoadedModel
from ..core.params import count_params

#: The formats a random-weight check can build directly in torch, by the names the ecosystem uses.
DTYPES = {"f32": "float32", "fp32": "float32", "float32": "float32",
          "f16": "float16", "fp16": "float16", "float16": "float16",
          "bf16": "bfloat16", "bfloat16": "bfloat16"}
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}
FORMAT_NAMES = {"float32": "f32", "float16": "f16", "bfloat16": "bf16"}

TEXT_CONFIG_KEYS = ("text_config", "llm_config", "language_config")
#: Keys that would change what is built beyond the shapes: weights are random and in the chosen dtype.
DROPPED_KEYS = ("quantization_config", "torch_dtype", "dtype", "auto_map", "_name_or_path", "architectures",
                "transformers_version")


def torch_dtype_name(fmt: str) -> str:
    """The torch dtype name for a format; quantised formats cannot be built with random weights here."""
    key = fmt.strip().lower()
    if key in DTYPES:
        return DTYPES[key]
    raise PlannerError(f"the measured check builds weights in f32, f16 or bf16; {fmt!r} is a quantised or "
                       "unknown format whose kernels belong to its engine (llama.cpp, bitsandbytes ...), so "
                       "it is estimated, not measured here", field="format")


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def source_config(model: LoadedModel) -> tuple[dict | None, str]:
    """The model's own Hugging Face config dict where its source has one, and where it came from."""
    if model.source_kind == "preset":
        from ..core.presets import find_preset

        return dict(find_preset(model.source).config), f"preset {model.source}"
    if model.source_kind in ("config", "safetensors"):
        p = Path(model.source)
        for candidate in (p, p / "config.json", p.parent / "config.json"):
            if candidate.is_file() and candidate.suffix == ".json" and not candidate.name.endswith(".index.json"):
                data = _read_json(candidate)
                if data is not None and (data.get("model_type") or any(k in data for k in TEXT_CONFIG_KEYS)):
                    return data, str(candidate)
    return None, ""


def _layer_count(cfg: dict) -> int | None:
    for key in ("num_hidden_layers", "n_layer", "num_layers", "n_layers"):
        if isinstance(cfg.get(key), int):
            return cfg[key]
    return None


def equivalent_config(arch: Architecture) -> tuple[dict, str]:
    """A config of a transformers family with the same shapes as ``arch`` (used when it has no config)."""
    a, e = arch.attention, arch.embeddings
    common = dict(hidden_size=arch.hidden_size, num_hidden_layers=arch.num_layers, vocab_size=e.vocab_size,
                  num_attention_heads=a.num_heads, tie_word_embeddings=e.tied,
                  max_position_embeddings=arch.max_context, rms_norm_eps=1e-5)
    moe = arch.moe
    if a.kind == "mla":
        cfg = dict(common, model_type="deepseek_v3", num_key_value_heads=a.num_heads,
                   q_lora_rank=a.q_lora_rank, kv_lora_rank=a.kv_lora_rank, qk_rope_head_dim=a.qk_rope_head_dim,
                   qk_nope_head_dim=a.qk_nope_head_dim, v_head_dim=a.v_head_dim,
                   intermediate_size=arch.mlp.intermediate_size, n_group=1, topk_group=1)
        if moe is not None:
            cfg.update(n_routed_experts=moe.num_experts, num_experts_per_tok=moe.experts_per_token,
                       moe_intermediate_size=moe.expert_intermediate_size,
                       n_shared_experts=max(moe.num_shared_experts, 1 if moe.shared_intermediate_size else 0),
                       first_k_dense_replace=moe.first_dense_layers)
        else:
            cfg.update(n_routed_experts=1, num_experts_per_tok=1, moe_intermediate_size=1, n_shared_experts=0,
                       first_k_dense_replace=arch.num_layers)
        return cfg, "deepseek_v3"
    common.update(num_key_value_heads=a.num_kv_heads, head_dim=a.head_dim, attention_bias=a.bias != "none")
    if moe is not None and moe.shared_intermediate_size:
        cfg = dict(common, model_type="qwen2_moe", intermediate_size=arch.mlp.intermediate_size,
                   num_experts=moe.num_experts, num_experts_per_tok=moe.experts_per_token,
                   moe_intermediate_size=moe.expert_intermediate_size,
                   shared_expert_intermediate_size=moe.shared_intermediate_size,
                   decoder_sparse_step=1, norm_topk_prob=False,
                   mlp_only_layers=[i for i in range(arch.num_layers) if not arch.is_sparse_layer(i)])
        return cfg, "qwen2_moe"
    if moe is not None:
        return dict(common, model_type="mixtral", intermediate_size=moe.expert_intermediate_size,
                    num_local_experts=moe.num_experts, num_experts_per_tok=moe.experts_per_token), "mixtral"
    if a.bias == "qkv":  # biases on q/k/v only: Qwen2's layout (modeling_qwen2.py)
        return dict(common, model_type="qwen2", intermediate_size=arch.mlp.intermediate_size), "qwen2"
    return dict(common, model_type="llama", intermediate_size=arch.mlp.intermediate_size,
                mlp_bias=arch.mlp.bias), "llama"


def causal_lm_types() -> frozenset[str]:
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    return frozenset(MODEL_FOR_CAUSAL_LM_MAPPING_NAMES)


def config_for_check(model: LoadedModel) -> tuple[dict, str, list[str]]:
    """(config dict with ``model_type``, where it came from, notes) for ``AutoModelForCausalLM``."""
    arch = model.architecture
    if not arch.causal:
        raise PlannerError(f"{arch.name} is an encoder ({arch.family}): it does not generate tokens, so there is "
                           "no prefill/decode to measure", field="model")
    notes: list[str] = []
    cfg, origin = source_config(model)
    known = causal_lm_types()
    # A multimodal config is built as its language model: that is what the architecture counts (hf_config
    # reads text_config), even when transformers could build the whole vision-language model.
    wraps_text = cfg is not None and any(isinstance(cfg.get(k), dict) for k in TEXT_CONFIG_KEYS)
    if cfg is not None and (cfg.get("model_type") not in known or wraps_text):
        for key in TEXT_CONFIG_KEYS:
            inner = cfg.get(key)
            if isinstance(inner, dict) and inner.get("model_type") in known:
                notes.append(f"built the language model of this {cfg.get('model_type')} config ({key}); "
                             "the vision/audio parts are not built")
                cfg, origin = dict(inner), f"{origin} ({key})"
                break
    if cfg is None or cfg.get("model_type") not in known:
        had = cfg.get("model_type") if cfg else None
        cfg, family = equivalent_config(arch)
        why = (f"transformers has no causal-LM class for model_type {had!r}" if had
               else f"the model came from {model.source_kind}, which carries no config.json")
        notes.append(f"{why}: built an equivalent {family} configuration with the same shapes")
        origin = f"equivalent {family} config written from the architecture"
    cfg = {k: v for k, v in cfg.items() if k not in DROPPED_KEYS}
    return cfg, origin, notes


def scaled_architecture(arch: Architecture, layers: int) -> Architecture:
    """``arch`` with only its first ``layers`` layers (same widths), per-layer settings cut to match."""
    if layers == arch.num_layers:
        return arch
    if not 1 <= layers <= arch.num_layers:
        raise PlannerError(f"cannot build {layers} of {arch.num_layers} layers", field="layers")
    att = arch.attention
    if att.sliding_layers is not None:
        att = dataclasses.replace(att, sliding_layers=tuple(i for i in att.sliding_layers if i < layers))
    moe = arch.moe
    if moe is not None:
        moe = dataclasses.replace(moe, first_dense_layers=min(moe.first_dense_layers, layers),
                                  dense_layers=tuple(i for i in moe.dense_layers if i < layers))
    return dataclasses.replace(arch, num_layers=layers, attention=att, moe=moe)


def scale_config(cfg: dict, layers: int) -> dict:
    """The config dict with ``layers`` layers; per-layer lists (``layer_types`` ...) cut to that length."""
    total = _layer_count(cfg)
    out = dict(cfg)
    for key in ("num_hidden_layers", "n_layer", "num_layers", "n_layers"):
        if key in out:
            out[key] = layers
    if total is not None:
        for key, value in cfg.items():
            if isinstance(value, list) and len(value) == total and key not in ("mlp_only_layers",):
                out[key] = value[:layers]
    if isinstance(out.get("mlp_only_layers"), list):
        out["mlp_only_layers"] = [i for i in out["mlp_only_layers"] if i < layers]
    return out


def kv_bytes_per_token(arch: Architecture, elem_bytes: int) -> int:
    """K and V bytes one token adds to transformers' cache over all layers (MLA: decompressed heads, as
    transformers' DeepSeek modeling caches them)."""
    a = arch.attention
    if a.kind == "mla":
        per_layer = a.num_heads * (a.qk_head_dim + a.value_head_dim)
    else:
        per_layer = 2 * a.num_kv_heads * a.head_dim
    return per_layer * arch.num_layers * elem_bytes


def build_bytes_bound(arch: Architecture, elem_bytes: int, tokens: int) -> int:
    """A generous bound on what building and running ``arch`` needs (weights, cache, prefill activations),
    used only to decide how many layers to build; it is not an estimate shown to anyone."""
    weights = count_params(arch).total * elem_bytes
    kv = kv_bytes_per_token(arch, elem_bytes) * tokens
    widest = max(arch.mlp.intermediate_size,
                 (arch.moe.expert_intermediate_size * arch.moe.experts_per_token) if arch.moe else 0)
    # one layer's prefill activations; attention runs through SDPA, which does not keep the
    # tokens × tokens score matrix (a run that still runs out of memory is reported as such)
    activations = tokens * (8 * arch.hidden_size + 3 * widest) * elem_bytes
    logits = arch.embeddings.vocab_size * 4 * 2
    return int((weights + kv + activations + logits) * 1.1)


def layers_that_fit(arch: Architecture, budget_bytes: int, elem_bytes: int, tokens: int) -> int:
    """The most layers (1..L) whose ``build_bytes_bound`` fits the budget; 0 if not even one."""
    lo, hi = 0, arch.num_layers
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if build_bytes_bound(scaled_architecture(arch, mid), elem_bytes, tokens) <= budget_bytes:
            lo = mid
        else:
            hi = mid - 1
    return lo

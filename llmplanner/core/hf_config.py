"""Read a Hugging Face ``config.json`` into an ``Architecture``.

One rule per ``model_type`` in a registry (``FAMILIES``): each names the defaults that transformers'
configuration class fills in when a config omits a field, and how the family builds its layers (which
projections carry biases, how many norms, parallel blocks, MoE and MLA layout). The rules were written
from transformers' ``models/<type>/configuration_<type>.py`` and ``modeling_<type>.py`` and are checked
against models built by transformers itself (``tests/test_hf_config_oracle.py``).

A config whose ``model_type`` is unknown is read as Llama-like, with a note listing every assumption.
Multimodal configs are read through their ``text_config`` (the language model only; the vision or audio
encoder is not counted, and a note says so).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .architecture import (
    Architecture,
    Attention,
    Embeddings,
    MLP,
    MoE,
    Norms,
    standard_attention,
)
from .errors import ConfigError, PlannerError

MAX_CONFIG_BYTES = 8 * 1024 * 1024
"""Real config.json files are a few kB; anything this large is not one (and is refused unread)."""

_MISSING = object()


class ConfigReader:
    """Typed access to a config dict that records every default it had to assume."""

    def __init__(self, data: dict, defaults: dict, family: str, source: str | None = None):
        self.data = data
        self.defaults = defaults
        self.family = family
        self.source = source
        self.notes: list[str] = []

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, default=_MISSING):
        value = self.data.get(key)
        if value is not None:
            return value
        if key in self.defaults and self.defaults[key] is not None:
            value = self.defaults[key]
            self.notes.append(f"{key} not given: assumed {value!r} ({self.family} default)")
            return value
        if default is _MISSING:
            raise ConfigError(f"required field is missing (a {self.family} config needs it)", field=key,
                              source=self.source)
        return default

    def int(self, key: str, default=_MISSING, *, minimum: int = 1) -> int | None:
        value = self.raw(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            kind = "the float " if isinstance(value, float) else ""
            raise ConfigError(f"must be an integer, got {kind}{value!r}", field=key, source=self.source)
        if value < minimum:
            raise ConfigError(f"must be at least {minimum}, got {value}", field=key, source=self.source)
        return value

    def maybe_int(self, key: str, *, minimum: int = 1) -> int | None:
        """The integer if the config (or the family's defaults) has one, else None."""
        if self.has(key) or self.defaults.get(key) is not None:
            return self.int(key, minimum=minimum)
        return None

    def first_int(self, keys: tuple[str, ...], default=_MISSING, *, minimum: int = 1):
        for key in keys:
            if self.has(key):
                return self.int(key, minimum=minimum)
        for key in keys:
            if self.defaults.get(key) is not None:
                return self.int(key, minimum=minimum)
        if default is _MISSING:
            raise ConfigError(f"required field is missing (also looked for {', '.join(keys[1:])})",
                              field=keys[0], source=self.source)
        return default

    def bool(self, key: str, default: bool) -> bool:
        if not self.has(key) and key not in self.defaults:
            return default
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"must be true or false, got {value!r}", field=key, source=self.source)
        return value

    def float(self, key: str, default=_MISSING) -> float | None:
        value = self.raw(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"must be a finite number, got {value!r}", field=key, source=self.source)
        return float(value)

    def str(self, key: str, default: str | None = None) -> str | None:
        value = self.raw(key, default)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"must be a string, got {value!r}", field=key, source=self.source)
        return value

    def int_list(self, key: str) -> tuple[int, ...]:
        value = self.raw(key, [])
        if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise ConfigError(f"must be a list of integers, got {value!r}", field=key, source=self.source)
        return tuple(value)


# -- shared pieces ---------------------------------------------------------------------------------------

def _max_context(r: ConfigReader, default: int = 2048) -> int:
    n = r.first_int(("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length"), default)
    return n


def _sliding_layers(r: ConfigReader, num_layers: int, pattern: Callable[[int], bool] | None = None
                    ) -> tuple[int | None, tuple[int, ...] | None]:
    """The sliding window and the layers that use it, from whichever convention the config follows.

    ``layer_types`` (transformers >= 4.53) is authoritative; older configs follow the family's pattern
    (Gemma 2: even layers; Gemma 3: all but every ``sliding_window_pattern``-th), Qwen2's
    ``use_sliding_window`` + ``max_window_layers`` (layers from max_window_layers on use the window,
    modeling_qwen2.py), or just a window (Mistral v0.1, Phi-3, Starcoder2: every layer).
    """
    window = r.data["sliding_window"] if "sliding_window" in r.data else r.defaults.get("sliding_window")
    if window is None or window is False or window == 0:
        return None, None
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ConfigError(f"must be a positive integer or null, got {window!r}", field="sliding_window",
                          source=r.source)
    types = r.data.get("layer_types")
    if isinstance(types, list) and types:
        if len(types) != num_layers:
            raise ConfigError(f"has {len(types)} entries for {num_layers} layers", field="layer_types",
                              source=r.source)
        layers = tuple(i for i, t in enumerate(types) if t == "sliding_attention")
        return (window, layers) if layers else (None, None)
    if "use_sliding_window" in r.data or "max_window_layers" in r.data:
        if not r.data.get("use_sliding_window", False):
            return None, None
        start = r.int("max_window_layers", 0, minimum=0)
        layers = tuple(range(start, num_layers))
        return (window, layers) if layers else (None, None)
    if pattern is not None:
        return window, tuple(i for i in range(num_layers) if pattern(i))
    return window, None


def _build_standard(
    r: ConfigReader,
    *,
    hidden_key=("hidden_size",),
    layers_key=("num_hidden_layers",),
    heads_key=("num_attention_heads",),
    vocab_key=("vocab_size",),
    intermediate: int | None = None,
    kv_heads: int | None = None,
    attention_bias: str = "none",
    qk_norm: str = "none",
    fused_qkv: bool = False,
    mlp_gated: bool = True,
    mlp_bias: bool = False,
    fused_gate_up: bool = False,
    norm_kind: str = "rmsnorm",
    norms_per_layer: int = 2,
    final_norm: bool = True,
    tied_default: bool = False,
    parallel: bool = False,
    position: str = "rotary",
    learned_positions: int = 0,
    moe: MoE | None = None,
    output_bias: bool = False,
    sliding: bool = True,
    sliding_pattern: Callable[[int], bool] | None = None,
    activation_key: str = "hidden_act",
    **embed_kw,
) -> Architecture:
    hidden = r.first_int(hidden_key)
    layers = r.first_int(layers_key)
    heads = r.first_int(heads_key)
    if kv_heads is None:
        kv_heads = r.maybe_int("num_key_value_heads") or heads
    head_dim = r.maybe_int("head_dim")
    window, sliding_layers = _sliding_layers(r, layers, sliding_pattern) if sliding else (None, None)
    attention = standard_attention(
        hidden, heads, kv_heads, head_dim, bias=attention_bias, qk_norm=qk_norm, fused_qkv=fused_qkv,
        sliding_window=window, sliding_layers=sliding_layers,
    )
    if intermediate is None:
        intermediate = r.int("intermediate_size")
    tied = r.bool("tie_word_embeddings", tied_default)
    if not r.has("tie_word_embeddings"):
        r.notes.append(f"tie_word_embeddings not given: assumed {'tied' if tied else 'separate'} "
                       f"input and output embeddings ({r.family} default)")
    act = r.data.get(activation_key)
    return Architecture(
        name=r.data.get("_name_or_path") or r.family,
        hidden_size=hidden,
        num_layers=layers,
        attention=attention,
        mlp=MLP(intermediate, gated=mlp_gated, bias=mlp_bias, fused_gate_up=fused_gate_up,
                activation=act if isinstance(act, str) else ("silu" if mlp_gated else "gelu")),
        embeddings=Embeddings(
            vocab_size=r.first_int(vocab_key), tied=tied, position=position,
            learned_positions=learned_positions, output_bias=output_bias, **embed_kw,
        ),
        norms=Norms(kind=norm_kind, per_layer=norms_per_layer, final=final_norm),
        moe=moe,
        parallel_block=parallel,
        max_context=_max_context(r),
        family=r.family,
    )


def _llama_like(r: ConfigReader, **kw) -> Architecture:
    bias = "all" if r.bool("attention_bias", False) else "none"
    kw.setdefault("attention_bias", bias)
    kw.setdefault("mlp_bias", r.bool("mlp_bias", False) if "mlp_bias" in r.data else False)
    return _build_standard(r, **kw)


# -- families --------------------------------------------------------------------------------------------

def _gpt2(r):
    hidden = r.int("n_embd")
    inner = r.maybe_int("n_inner") or 4 * hidden
    return _build_standard(
        r, hidden_key=("n_embd",), layers_key=("n_layer",), heads_key=("n_head",), intermediate=inner,
        attention_bias="all", fused_qkv=True, mlp_gated=False, mlp_bias=True, norm_kind="layernorm",
        tied_default=True, position="learned", learned_positions=r.int("n_positions"),
        activation_key="activation_function", sliding=False,
    )


def _gptj(r):
    hidden = r.int("n_embd")
    inner = r.maybe_int("n_inner") or 4 * hidden
    return _build_standard(
        r, hidden_key=("n_embd",), layers_key=("n_layer",), heads_key=("n_head",), intermediate=inner,
        mlp_gated=False, mlp_bias=True, norm_kind="layernorm", norms_per_layer=1, parallel=True,
        output_bias=True, activation_key="activation_function", sliding=False,
    )


def _gpt_neox(r):
    return _build_standard(
        r, attention_bias="all" if r.bool("attention_bias", True) else "none", fused_qkv=True,
        mlp_gated=False, mlp_bias=True, norm_kind="layernorm", parallel=r.bool("use_parallel_residual", True),
        sliding=False,
    )


def _qwen2(r):
    return _build_standard(r, attention_bias="qkv")


def _qwen_moe(r, *, shared: bool, qkv_bias: bool, qk_norm: str):
    layers = r.int("num_hidden_layers")
    step = r.int("decoder_sparse_step", 1)
    experts = r.first_int(("num_experts", "num_local_experts"))
    only = r.int_list("mlp_only_layers") if "mlp_only_layers" in r.data else ()
    # modeling_qwen2_moe.py: sparse when layer not in mlp_only_layers and (layer + 1) % decoder_sparse_step == 0
    dense = tuple(i for i in range(layers) if i in only or (i + 1) % step)
    shared_size = r.int("shared_expert_intermediate_size", 0, minimum=0) if shared else 0
    moe = MoE(
        num_experts=experts, experts_per_token=r.int("num_experts_per_tok"),
        expert_intermediate_size=r.int("moe_intermediate_size"), shared_intermediate_size=shared_size,
        num_shared_experts=1 if shared_size else 0, shared_expert_gate=bool(shared_size), dense_layers=dense,
    )
    intermediate = r.int("intermediate_size") if dense else r.int("intermediate_size", 1)
    bias = "qkv" if qkv_bias else ("all" if r.bool("attention_bias", False) else "none")
    return _build_standard(r, attention_bias=bias, qk_norm=qk_norm, moe=moe, intermediate=intermediate)


def _mixtral(r):
    moe = MoE(num_experts=r.int("num_local_experts"), experts_per_token=r.int("num_experts_per_tok"),
              expert_intermediate_size=r.int("intermediate_size"))
    return _build_standard(r, moe=moe)


def _gemma(r, *, norms: int, qk_norm: str = "none", sliding_pattern=None):
    return _llama_like(r, norms_per_layer=norms, qk_norm=qk_norm, tied_default=True,
                       sliding_pattern=sliding_pattern,
                       activation_key="hidden_activation" if r.has("hidden_activation") else "hidden_act")


def _gemma3(r):
    # configuration_gemma3.py: layer i is global when (i + 1) % sliding_window_pattern == 0
    period = r.int("sliding_window_pattern", 6)
    return _gemma(r, norms=4, qk_norm="per_head", sliding_pattern=lambda i: (i + 1) % period != 0)


def _phi3(r):
    return _build_standard(r, fused_qkv=True, fused_gate_up=True,
                           attention_bias="all" if r.data.get("attention_bias") else "none")


def _phi(r):
    return _build_standard(r, attention_bias="all", mlp_gated=False, mlp_bias=True, norm_kind="layernorm",
                           norms_per_layer=1, parallel=True, output_bias=True,
                           qk_norm="per_head" if r.bool("qk_layernorm", False) else "none", sliding=False)


def _falcon(r):
    heads = r.int("num_attention_heads")
    new_arch = r.bool("new_decoder_architecture", False)
    if new_arch:
        kv = r.int("num_kv_heads", heads)
        norms = r.maybe_int("num_ln_in_parallel_attn") or 2
    else:
        kv = 1 if r.bool("multi_query", True) else heads
        norms = 1 if r.bool("parallel_attn", True) else 2
    parallel = new_arch or r.bool("parallel_attn", True)
    hidden = r.int("hidden_size")
    ffn = r.maybe_int("ffn_hidden_size") or 4 * hidden
    bias = r.bool("bias", False)
    return _build_standard(
        r, kv_heads=kv, intermediate=ffn, attention_bias="all" if bias else "none", fused_qkv=True,
        mlp_gated=False, mlp_bias=bias, norm_kind="layernorm", norms_per_layer=norms, parallel=parallel,
        tied_default=True, position="alibi" if r.bool("alibi", False) else "rotary",
        activation_key="activation", sliding=False,
    )


def _opt(r):
    hidden = r.int("hidden_size")
    proj = r.int("word_embed_proj_dim", hidden)
    pre = r.bool("do_layer_norm_before", True)
    remove_final = bool(r.data.get("_remove_final_layer_norm", False))
    bias = r.bool("enable_bias", True)
    if not r.bool("layer_norm_elementwise_affine", True):
        raise ConfigError("OPT without affine LayerNorms is not supported", field="layer_norm_elementwise_affine",
                          source=r.source)
    return _build_standard(
        r, intermediate=r.int("ffn_dim"), attention_bias="all" if bias else "none", mlp_gated=False,
        mlp_bias=bias, norm_kind="layernorm", final_norm=pre and not remove_final, tied_default=True,
        position="learned", learned_positions=r.int("max_position_embeddings"), position_offset=2,
        projection_dim=proj if proj != hidden else None, activation_key="activation_function", sliding=False,
    )


def _bert(r):
    arch = _build_standard(
        r, attention_bias="all", mlp_gated=False, mlp_bias=True, norm_kind="layernorm", final_norm=False,
        tied_default=True, position="learned", learned_positions=r.int("max_position_embeddings"),
        token_types=r.int("type_vocab_size", 2, minimum=0), embedding_norm=True, pooler=True, sliding=False,
    )
    # BertModel (what AutoModel builds) has no LM head; it is an encoder.
    emb = arch.embeddings
    from dataclasses import replace

    r.notes.append("BERT is counted as BertModel with its pooler and no masked-LM head (AutoModel)")
    return replace(arch, embeddings=replace(emb, tied=True), causal=False)


def _deepseek(r, *, v3: bool):
    layers = r.int("num_hidden_layers")
    heads = r.int("num_attention_heads")
    # an explicit null means "no query compression" (DeepSeek-V2-Lite), absence means the default
    q_lora = r.data["q_lora_rank"] if "q_lora_rank" in r.data else r.defaults.get("q_lora_rank")
    if q_lora is not None:
        q_lora = r.int("q_lora_rank")
    attention = Attention(
        num_heads=heads, num_kv_heads=heads, head_dim=r.int("qk_nope_head_dim") + r.int("qk_rope_head_dim"),
        kind="mla", bias="all" if r.bool("attention_bias", False) else "none",
        q_lora_rank=q_lora, kv_lora_rank=r.int("kv_lora_rank"), qk_rope_head_dim=r.int("qk_rope_head_dim"),
        qk_nope_head_dim=r.int("qk_nope_head_dim"), v_head_dim=r.int("v_head_dim"),
    )
    moe = None
    routed = r.maybe_int("n_routed_experts")
    if routed:
        moe_size = r.int("moe_intermediate_size")
        shared = r.maybe_int("n_shared_experts", minimum=0) or 0
        moe = MoE(
            num_experts=routed, experts_per_token=r.int("num_experts_per_tok"),
            expert_intermediate_size=moe_size, shared_intermediate_size=shared * moe_size,
            num_shared_experts=shared, first_dense_layers=r.int("first_k_dense_replace", 0, minimum=0),
            layer_frequency=r.int("moe_layer_freq", 1),
        )
        if v3 or r.data.get("topk_method") == "noaux_tc":
            r.notes.append("the router's e_score_correction_bias is a buffer in transformers and is not counted")
    mtp = r.data.get("num_nextn_predict_layers")
    if mtp:
        r.notes.append(f"{mtp} multi-token-prediction layer(s) in the checkpoint are not counted")
    return Architecture(
        name=r.data.get("_name_or_path") or r.family,
        hidden_size=r.int("hidden_size"), num_layers=layers, attention=attention,
        mlp=MLP(r.int("intermediate_size")),
        embeddings=Embeddings(vocab_size=r.int("vocab_size"), tied=r.bool("tie_word_embeddings", False)),
        norms=Norms("rmsnorm", 2), moe=moe, max_context=_max_context(r), family=r.family,
    )


def _olmo2(r):
    # modeling_olmo2.py: q_norm over num_heads*head_dim, k_norm over num_kv_heads*head_dim, norms after
    # attention and after the MLP (two per layer).
    return _llama_like(r, qk_norm="full")


def _starcoder2(r):
    bias = r.bool("use_bias", True)
    return _build_standard(r, attention_bias="all" if bias else "none", mlp_gated=False, mlp_bias=bias,
                           norm_kind="layernorm", tied_default=True)


@dataclass(frozen=True)
class Family:
    """How one ``model_type`` is read: transformers' defaults and the builder."""

    model_type: str
    build: Callable[[ConfigReader], Architecture]
    defaults: dict
    source: str
    """Where the rule was read from (transformers file names)."""


def _tf(t: str) -> str:
    return f"transformers models/{t}/configuration_{t}.py, modeling_{t}.py"


_LLAMA_DEFAULTS = dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                       num_attention_heads=32, max_position_embeddings=2048)

FAMILIES: dict[str, Family] = {}


def register(model_type: str, build, defaults: dict, *aliases: str, source: str | None = None) -> None:
    fam = Family(model_type, build, defaults, source or _tf(model_type))
    for name in (model_type, *aliases):
        FAMILIES[name] = fam


register("gpt2", _gpt2, dict(vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12))
register("gptj", _gptj, dict(vocab_size=50400, n_positions=2048, n_embd=4096, n_layer=28, n_head=16))
register("gpt_neox", _gpt_neox, dict(vocab_size=50432, hidden_size=6144, num_hidden_layers=44,
                                     num_attention_heads=64, intermediate_size=24576, max_position_embeddings=2048))
register("llama", _llama_like, _LLAMA_DEFAULTS)
register("granite", _llama_like, _LLAMA_DEFAULTS)
register("mistral", _llama_like, dict(_LLAMA_DEFAULTS, intermediate_size=14336, num_key_value_heads=8,
                                      max_position_embeddings=131072, sliding_window=4096))
register("ministral", _llama_like, dict(_LLAMA_DEFAULTS, intermediate_size=14336, num_key_value_heads=8,
                                        max_position_embeddings=131072))
register("mixtral", _mixtral, dict(_LLAMA_DEFAULTS, intermediate_size=14336, num_key_value_heads=8,
                                   max_position_embeddings=131072, num_experts_per_tok=2, num_local_experts=8))
register("qwen2", _qwen2, dict(vocab_size=151936, hidden_size=4096, intermediate_size=22016, num_hidden_layers=32,
                               num_attention_heads=32, max_position_embeddings=32768))
register("qwen2_moe", lambda r: _qwen_moe(r, shared=True, qkv_bias=r.bool("qkv_bias", True), qk_norm="none"),
         dict(vocab_size=151936, hidden_size=2048, intermediate_size=5632, num_hidden_layers=24,
              num_attention_heads=16, max_position_embeddings=32768, decoder_sparse_step=1,
              moe_intermediate_size=1408, shared_expert_intermediate_size=5632, num_experts_per_tok=4,
              num_experts=60))
register("qwen3", lambda r: _llama_like(r, qk_norm="per_head"),
         dict(vocab_size=151936, hidden_size=4096, intermediate_size=22016, num_hidden_layers=32,
              num_attention_heads=32, head_dim=128, max_position_embeddings=32768))
register("qwen3_moe", lambda r: _qwen_moe(r, shared=False, qkv_bias=False, qk_norm="per_head"),
         dict(vocab_size=151936, hidden_size=2048, intermediate_size=6144, num_hidden_layers=24,
              num_attention_heads=32, num_key_value_heads=4, head_dim=128, max_position_embeddings=32768,
              decoder_sparse_step=1, moe_intermediate_size=768, num_experts_per_tok=8, num_experts=128))
register("gemma", lambda r: _gemma(r, norms=2),
         dict(vocab_size=256000, hidden_size=3072, intermediate_size=24576, num_hidden_layers=28,
              num_attention_heads=16, head_dim=256, max_position_embeddings=8192))
register("gemma2", lambda r: _gemma(r, norms=4, sliding_pattern=lambda i: i % 2 == 0),
         dict(vocab_size=256000, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26,
              num_attention_heads=8, num_key_value_heads=4, head_dim=256, max_position_embeddings=8192,
              sliding_window=4096))
register("gemma3_text", _gemma3,
         dict(vocab_size=262208, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26,
              num_attention_heads=8, num_key_value_heads=4, head_dim=256, max_position_embeddings=131072,
              sliding_window=4096, sliding_window_pattern=6))
register("phi3", _phi3, dict(vocab_size=32064, hidden_size=3072, intermediate_size=8192, num_hidden_layers=32,
                             num_attention_heads=32, max_position_embeddings=4096))
register("phi", _phi, dict(vocab_size=51200, hidden_size=2048, intermediate_size=8192, num_hidden_layers=24,
                           num_attention_heads=32, max_position_embeddings=2048))
register("falcon", _falcon, dict(vocab_size=65024, hidden_size=4544, num_hidden_layers=32, num_attention_heads=71,
                                 max_position_embeddings=2048), "RefinedWeb", "RefinedWebModel")
register("opt", _opt, dict(vocab_size=50272, hidden_size=768, num_hidden_layers=12, ffn_dim=3072,
                           max_position_embeddings=2048, num_attention_heads=12))
register("bert", _bert, dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                             intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2))
register("deepseek_v2", lambda r: _deepseek(r, v3=False),
         dict(vocab_size=102400, hidden_size=4096, intermediate_size=11008, moe_intermediate_size=1407,
              num_hidden_layers=32, num_attention_heads=32, n_shared_experts=2, n_routed_experts=64,
              q_lora_rank=1536, kv_lora_rank=512, qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128,
              max_position_embeddings=2048))
register("deepseek_v3", lambda r: _deepseek(r, v3=True),
         dict(vocab_size=129280, hidden_size=7168, intermediate_size=18432, moe_intermediate_size=2048,
              num_hidden_layers=61, num_attention_heads=128, n_shared_experts=1, n_routed_experts=256,
              num_experts_per_tok=8, first_k_dense_replace=3, q_lora_rank=1536, kv_lora_rank=512,
              qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128, max_position_embeddings=4096))
register("olmo2", _olmo2, dict(vocab_size=50304, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                               num_attention_heads=32, max_position_embeddings=2048))
register("starcoder2", _starcoder2, dict(vocab_size=49152, hidden_size=3072, intermediate_size=12288,
                                         num_hidden_layers=30, num_attention_heads=24, num_key_value_heads=2,
                                         max_position_embeddings=4096))

TEXT_CONFIG_KEYS = ("text_config", "llm_config", "language_config", "thinker_config")


def _unwrap_multimodal(data: dict, notes: list[str]) -> dict:
    """The language model's config of a multimodal config (Gemma 3, Llava, Qwen2-VL, Mistral 3 ...)."""
    for key in TEXT_CONFIG_KEYS:
        inner = data.get(key)
        if isinstance(inner, dict) and (inner.get("model_type") or inner.get("hidden_size")):
            outer_type = data.get("model_type", "multimodal")
            notes.append(f"read the language model from {key} of this {outer_type} config; "
                         "the vision/audio encoder and projector are not counted")
            merged = dict(inner)
            if "tie_word_embeddings" not in merged and "tie_word_embeddings" in data:
                merged["tie_word_embeddings"] = data["tie_word_embeddings"]
            if "model_type" not in merged:
                merged["model_type"] = str(outer_type).replace("_vl", "") + "_text"
            return _unwrap_multimodal(merged, notes) if any(k in merged for k in TEXT_CONFIG_KEYS) else merged
    return data


def _text_model_type(mt: str) -> str:
    """``gemma3_text`` is registered, ``qwen2_vl_text`` falls back to ``qwen2`` and so on."""
    if mt in FAMILIES:
        return mt
    for suffix in ("_text_model", "_text", "_vl", "_moe_text"):
        if mt.endswith(suffix) and mt[: -len(suffix)] in FAMILIES:
            return mt[: -len(suffix)]
    return mt


def architecture_from_config(data: Any, *, source: str | None = None, name: str | None = None) -> Architecture:
    """Build the ``Architecture`` a Hugging Face config describes; raises ``ConfigError`` on bad input."""
    if not isinstance(data, dict):
        raise ConfigError(f"a config must be a JSON object, got {type(data).__name__}", source=source)
    notes: list[str] = []
    data = _unwrap_multimodal(data, notes)
    model_type = data.get("model_type")
    if model_type is not None and not isinstance(model_type, str):
        raise ConfigError(f"must be a string, got {model_type!r}", field="model_type", source=source)
    resolved = _text_model_type(model_type or "")
    family = FAMILIES.get(resolved)
    if family is None:
        family = FAMILIES["llama"]
        reader = ConfigReader(data, {}, model_type or "unknown", source)
        reader.notes.append(
            f"model_type {model_type!r} is not known: read as Llama-like (gated MLP, RMSNorm, rotary, "
            "no biases unless attention_bias/mlp_bias say so, untied unless tie_word_embeddings says so)"
        )
    else:
        reader = ConfigReader(data, family.defaults, resolved, source)
    try:
        arch = family.build(reader)
    except PlannerError as e:
        raise e.located(source=source)
    except (TypeError, KeyError, AttributeError) as e:  # a field of the wrong shape deep inside
        raise ConfigError(f"cannot be read as a {reader.family} config ({e})", source=source) from None
    from dataclasses import replace

    return replace(arch, name=name or arch.name, notes=tuple(notes + reader.notes))


def load_config(path: str | Path, *, name: str | None = None) -> Architecture:
    """Read a ``config.json`` file (or a folder holding one)."""
    p = Path(path)
    if p.is_dir():
        p = p / "config.json"
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ConfigError(f"cannot read the file ({e.strerror or e})", source=str(p)) from None
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"is {size / 2**20:.1f} MiB: too large to be a config.json", source=str(p))
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read the file ({e})", source=str(p)) from None
    if not text.strip():
        raise ConfigError("the file is empty", source=str(p))
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ConfigError as e:
        raise e.located(source=str(p))
    except (json.JSONDecodeError, RecursionError) as e:
        raise ConfigError(f"not valid JSON ({e})", source=str(p)) from None
    return architecture_from_config(data, source=str(p), name=name or _guess_name(p, data))


def _reject_constant(token: str):
    raise ConfigError(f"JSON contains {token}, which is not a number a config can use")


def _guess_name(path: Path, data) -> str:
    if isinstance(data, dict) and isinstance(data.get("_name_or_path"), str) and data["_name_or_path"]:
        return data["_name_or_path"]
    return path.parent.name or path.stem

"""An ``Architecture`` from a GGUF file: the metadata keys llama.cpp writes plus the tensors it stores.

Keys are ``{arch}.block_count``, ``embedding_length``, ``feed_forward_length``, ``context_length``,
``attention.head_count``, ``attention.head_count_kv``, ``attention.key_length``/``value_length``
(``key_length_mla``/``value_length_mla`` in MLA files converted after llama.cpp's MLA absorption),
``attention.q_lora_rank``, ``attention.kv_lora_rank``, ``rope.dimension_count``, ``expert_count``,
``expert_used_count``, ``expert_shared_count``, ``attention.sliding_window`` (+ ``sliding_window_pattern``)
and ``nextn_predict_layers`` (gguf-py ``constants.py`` ``Keys.LLM``/``Keys.Attention``; llama.cpp
``src/llama-model.cpp`` ``load_hparams``). Whatever the tensors show is read from them rather than from
per-architecture assumptions — vocabulary and hidden size from ``token_embd``, FFN and expert widths from
``ffn_down``/``ffn_*_exps``, biases, q/k norms, fused q/k/v, a separate output head, which blocks are MoE —
so that the architecture describes the file; its count is then compared with the header's.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .architecture import MLP, Architecture, Attention, Embeddings, MoE, Norms
from .errors import HeaderError, PlannerError
from .gguf_header import GGUFHeader
from .tensor_names import GGUF_TO_HF_FAMILY


@dataclass(frozen=True)
class _ArchRule:
    norm: str = "rmsnorm"
    parallel: bool = False
    position: str = "rotary"
    swa_period: int | None = None
    """llama.cpp's ``hparams.set_swa_pattern(n)``: layer il uses the window when ``il % n < n - 1``."""


RULES = {
    "gpt2": _ArchRule(norm="layernorm", position="learned"),
    "gptj": _ArchRule(norm="layernorm", parallel=True),
    "gptneox": _ArchRule(norm="layernorm", parallel=True),
    "falcon": _ArchRule(norm="layernorm", parallel=True),
    "phi2": _ArchRule(norm="layernorm", parallel=True),
    "starcoder2": _ArchRule(norm="layernorm"),
    "starcoder": _ArchRule(norm="layernorm", position="learned"),
    "bloom": _ArchRule(norm="layernorm", position="alibi"),
    "mpt": _ArchRule(norm="layernorm", position="alibi"),
    "bert": _ArchRule(norm="layernorm", position="learned"),
    "gemma2": _ArchRule(swa_period=2),
    "gemma3": _ArchRule(swa_period=6),
    "cohere2": _ArchRule(swa_period=4),
}
KNOWN = set(GGUF_TO_HF_FAMILY) | set(RULES) | {"mixtral", "mistral3", "olmo", "olmoe", "stablelm", "internlm2",
                                                "minicpm", "exaone", "command-r", "granitemoe", "glm4moe"}
NOT_LANGUAGE_MODELS = {"clip": "a vision/audio projector (mmproj) file", "wavtokenizer-dec": "an audio decoder"}
_NORM_ROLES = ("attn_norm", "attn_norm_2", "post_attention_norm", "ffn_norm", "post_ffw_norm", "layer_out_norm")


class _Meta:
    def __init__(self, header: GGUFHeader, arch: str):
        self.h, self.arch, self.source = header, arch, header.path
        self.shapes = {t.name: t.shape for t in header.tensors}

    def raw(self, key: str):
        return self.h.metadata.get(f"{self.arch}.{key}")

    def int(self, key: str, default=None, *, minimum: int = 1, per_layer_ok: bool = True):
        value = self.raw(key)
        full = f"{self.arch}.{key}"
        if value is None:
            if default is None:
                raise HeaderError("required metadata key is missing", source=self.source, field=full)
            return default
        if isinstance(value, list) and per_layer_ok:
            values = set(value)
            if len(values) != 1:
                raise HeaderError(f"per-layer values {sorted(values)[:6]} (a hybrid or non-uniform model) are "
                                  "not supported", source=self.source, field=full)
            value = value[0]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise HeaderError(f"must be an integer of at least {minimum}, got {value!r}", source=self.source,
                              field=full)
        return value

    def has(self, name: str) -> bool:
        return name in self.shapes

    def shape(self, name: str):
        return self.shapes.get(name)


def _sliding(m: _Meta, rule: _ArchRule, layers: int) -> tuple[int | None, tuple[int, ...] | None]:
    window = m.raw("attention.sliding_window")
    if window in (None, 0):
        return None, None
    window = m.int("attention.sliding_window")
    pattern = m.raw("attention.sliding_window_pattern")
    if isinstance(pattern, list):
        if len(pattern) != layers:
            raise HeaderError(f"has {len(pattern)} entries for {layers} layers", source=m.source,
                              field=f"{m.arch}.attention.sliding_window_pattern")
        return window, tuple(i for i, p in enumerate(pattern) if p)
    period = pattern if isinstance(pattern, int) and not isinstance(pattern, bool) and pattern > 0 else rule.swa_period
    if period:
        return window, tuple(i for i in range(layers) if i % period < period - 1)
    return window, None


def _attention(m: _Meta, hidden: int, layers: int, rule: _ArchRule) -> Attention:
    heads = m.int("attention.head_count")
    kv = m.int("attention.head_count_kv", heads)
    b0 = "blk.0."
    window, sliding = _sliding(m, rule, layers)
    if m.raw("attention.kv_lora_rank") is not None:
        rope = m.int("rope.dimension_count", minimum=0)
        key = m.int("attention.key_length_mla", 0, minimum=0) or m.int("attention.key_length")
        value = m.int("attention.value_length_mla", 0, minimum=0) or m.int("attention.value_length")
        q_lora = m.int("attention.q_lora_rank", 0, minimum=0) or None
        return Attention(num_heads=heads, num_kv_heads=heads, head_dim=key, kind="mla",
                         bias="all" if m.has(b0 + "attn_output.bias") else "none", q_lora_rank=q_lora,
                         kv_lora_rank=m.int("attention.kv_lora_rank"), qk_rope_head_dim=rope,
                         qk_nope_head_dim=key - rope, v_head_dim=value, sliding_window=window,
                         sliding_layers=sliding)
    head_dim = m.int("attention.key_length", 0, minimum=0)
    if not head_dim:
        if hidden % heads:
            raise HeaderError(f"{heads} heads do not divide the embedding length {hidden} and no key_length is "
                              "given", source=m.source, field=f"{m.arch}.attention.head_count")
        head_dim = hidden // heads
    fused = m.has(b0 + "attn_qkv.weight")
    if m.has(b0 + "attn_q.bias") or m.has(b0 + "attn_qkv.bias"):
        bias = "all" if m.has(b0 + "attn_output.bias") else "qkv"
    else:
        bias = "none"
    qk_norm = "none"
    q_norm = m.shape(b0 + "attn_q_norm.weight")
    if q_norm:
        qk_norm = "per_head" if q_norm[-1] == head_dim else "full"
    return Attention(num_heads=heads, num_kv_heads=kv, head_dim=head_dim, bias=bias, qk_norm=qk_norm,
                     fused_qkv=fused, sliding_window=window, sliding_layers=sliding)


def _expert_shape(m: _Meta, layer: int):
    """(experts, width, hidden) of a block's routed experts, merged (``ffn_up_exps``) or per expert."""
    merged = m.shape(f"blk.{layer}.ffn_up_exps.weight")
    if merged and len(merged) == 3:
        return merged
    single = m.shape(f"blk.{layer}.ffn_up.0.weight")
    if single and len(single) == 2:
        return (None, *single)
    return None


def _moe(m: _Meta, layers: int) -> tuple[MoE | None, tuple[int, ...]]:
    sparse = [i for i in range(layers) if m.has(f"blk.{i}.ffn_gate_inp.weight")]
    if not sparse:
        return None, ()
    dense = tuple(i for i in range(layers) if i not in set(sparse))
    first = sparse[0]
    shape = _expert_shape(m, first)
    experts = m.int("expert_count")
    if shape is None:
        raise HeaderError(f"block {first} has a router but no expert tensors this reader knows "
                          "(ffn_up_exps or ffn_up.0)", source=m.source)
    width = shape[1]
    shared = m.shape(f"blk.{first}.ffn_up_shexp.weight")
    p = f"blk.{first}."
    moe = MoE(
        num_experts=experts, experts_per_token=m.int("expert_used_count"), expert_intermediate_size=width,
        shared_intermediate_size=shared[0] if shared else 0,
        num_shared_experts=(m.int("expert_shared_count", 1) if shared else 0),
        shared_expert_gate=m.has(p + "ffn_gate_inp_shexp.weight"), dense_layers=dense,
        router_bias=m.has(p + "ffn_gate_inp.bias"),
        expert_bias=m.has(p + "ffn_up_exps.bias"),
        gated=m.has(p + "ffn_gate_exps.weight") or m.has(p + "ffn_gate.0.weight"),
    )
    return moe, dense


def _family(arch: str, header: GGUFHeader) -> str:
    """The Hugging Face model_type; DeepSeek V2 and V3 share llama.cpp's ``deepseek2`` (V3 has the
    router's score-correction bias, ``exp_probs_b``)."""
    if arch == "deepseek2":
        return "deepseek_v3" if any(t.name.endswith("exp_probs_b.bias") for t in header.tensors) else "deepseek_v2"
    return GGUF_TO_HF_FAMILY.get(arch, arch)


def architecture_from_gguf(header: GGUFHeader) -> tuple[Architecture, list[str]]:
    """The architecture a GGUF file describes, and notes on what was assumed."""
    arch = header.architecture
    source = header.path
    if arch is None:
        raise HeaderError("is missing or not a string: the file does not say which model it holds", source=source,
                          field="general.architecture")
    if arch in NOT_LANGUAGE_MODELS:
        raise HeaderError(f"is {NOT_LANGUAGE_MODELS[arch]}, not a language model: load the model's main GGUF",
                          source=source)
    notes: list[str] = []
    if arch not in KNOWN:
        notes.append(f"GGUF architecture {arch!r} is not one this reader knows: its shapes were read from the "
                     "generic llama.cpp keys and tensors")
    m = _Meta(header, arch)
    rule = RULES.get(arch, _ArchRule())
    embd = m.shape("token_embd.weight")
    if not embd or len(embd) != 2:
        raise HeaderError("has no 2-D token_embd.weight tensor (not a language model?)", source=source)
    vocab, width = embd
    hidden = m.int("embedding_length", width)
    nextn = m.int("nextn_predict_layers", 0, minimum=0)
    blocks = m.int("block_count")
    stored = len({name.split(".")[1] for name in m.shapes if name.startswith("blk.")})
    if blocks > stored:  # every block has tensors named blk.<i>.*; a larger count is a damaged header
        raise HeaderError(f"says {blocks} blocks but the file has tensors for {stored}", source=source,
                          field=f"{arch}.block_count")
    layers = blocks - nextn
    if nextn:
        notes.append(f"{nextn} multi-token-prediction block(s) stored after the {layers} layers are not counted")
    if layers < 1:
        raise HeaderError("no layers left after the multi-token-prediction blocks", source=source,
                          field=f"{arch}.block_count")
    try:
        attention = _attention(m, hidden, layers, rule)
        moe, dense = _moe(m, layers)
        dense_layer = next((i for i in range(layers) if moe is None or i in dense), None)
        mlp_width = 1
        gated = True
        if dense_layer is not None:
            p = f"blk.{dense_layer}."
            down = m.shape(p + "ffn_down.weight")
            if down is None or len(down) != 2:
                raise HeaderError(f"block {dense_layer} has no 2-D ffn_down.weight", source=source)
            mlp_width = down[1]
            up = m.shape(p + "ffn_up.weight")
            gated = m.has(p + "ffn_gate.weight")
            fused_gate_up = bool(not gated and up and up[0] == 2 * mlp_width)
            gated = gated or fused_gate_up
            mlp_bias = m.has(p + "ffn_up.bias")
        else:
            fused_gate_up, mlp_bias = False, False
        norm_roles = [r for r in _NORM_ROLES if m.has(f"blk.0.{r}.weight")]
        position_rows = m.shape("position_embd.weight")
        token_types = m.shape("token_types.weight")
        tied = not m.has("output.weight")
        if arch == "gpt2" and not tied:
            notes.append("convert_hf_to_gguf.py stores GPT-2's tied embedding twice (token_embd and output): the "
                         "file holds the copy, transformers counts the matrix once")
        architecture = Architecture(
            name=str(header.metadata.get("general.name") or Path(header.path).stem),
            hidden_size=hidden,
            num_layers=layers,
            attention=attention,
            mlp=MLP(mlp_width, gated=gated, bias=mlp_bias, fused_gate_up=fused_gate_up),
            embeddings=Embeddings(
                vocab_size=vocab, tied=tied,
                position="learned" if position_rows else ("rotary" if rule.position == "learned" else rule.position),
                learned_positions=position_rows[0] if position_rows else 0,
                token_types=token_types[0] if token_types else 0,
                embedding_norm=m.has("token_embd_norm.weight"),
                output_bias=m.has("output.bias"),
            ),
            norms=Norms(kind=rule.norm, per_layer=len(norm_roles), final=m.has("output_norm.weight"),
                        bias=m.has("blk.0.attn_norm.bias") or m.has("blk.0.ffn_norm.bias")),
            moe=moe,
            parallel_block=rule.parallel if arch != "gptneox" else bool(m.raw("use_parallel_residual") is not False),
            max_context=m.int("context_length", 4096),
            family=_family(arch, header),
            causal=arch != "bert",
        )
    except HeaderError:
        raise
    except PlannerError as e:
        raise HeaderError(f"the metadata describes an impossible model ({e})", source=source) from None
    return architecture, notes

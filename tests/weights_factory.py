"""Tiny real-family models built by transformers (random weights) and saved as real checkpoints."""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

SMALL = dict(vocab_size=300, hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=2, max_position_embeddings=128, bos_token_id=1, eos_token_id=2, pad_token_id=0)

CONFIGS = {
    "llama": dict(SMALL, model_type="llama"),
    "qwen2": dict(SMALL, model_type="qwen2", tie_word_embeddings=True),
    "qwen3_moe": dict(SMALL, model_type="qwen3_moe", head_dim=16, moe_intermediate_size=32, num_experts=4,
                      num_experts_per_tok=2),
    "mixtral": dict(SMALL, model_type="mixtral", num_local_experts=4, num_experts_per_tok=2),
    "gpt2": dict(model_type="gpt2", vocab_size=300, n_embd=64, n_layer=2, n_head=4, n_positions=128,
                 bos_token_id=1, eos_token_id=2),
    "deepseek_v3": dict(vocab_size=300, hidden_size=64, intermediate_size=96, moe_intermediate_size=32,
                        num_hidden_layers=3, num_attention_heads=4, n_routed_experts=4, num_experts_per_tok=2,
                        q_lora_rank=24, kv_lora_rank=16, qk_nope_head_dim=8, qk_rope_head_dim=4, v_head_dim=8,
                        first_k_dense_replace=1, max_position_embeddings=128, model_type="deepseek_v3",
                        n_shared_experts=1, n_group=2, topk_group=1, bos_token_id=1, eos_token_id=2),
    "phi3": dict(SMALL, model_type="phi3"),
    "gemma3_text": dict(SMALL, model_type="gemma3_text", head_dim=16),
}


def build(family: str):
    """(model, config dict) of a random-weight model of ``family``."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    warnings.filterwarnings("ignore")
    logging.getLogger("transformers").setLevel(logging.ERROR)
    cfg = dict(CONFIGS[family])
    model_type = cfg.pop("model_type")
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(AutoConfig.for_model(model_type, **cfg))
    return model, CONFIGS[family]


def save_tiny_model(folder: Path, family: str, *, shard: str | None = None, how: str = "save_pretrained") -> int:
    """Save a tiny ``family`` model into ``folder`` and return transformers' own parameter count.

    ``save_pretrained`` writes config.json and (with ``shard``, e.g. "40KB") sharded files with an index;
    ``save_file`` writes the raw state dict with ``safetensors.torch.save_file`` plus config.json.
    """
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model, _ = build(family)
    truth = sum(p.numel() for p in model.parameters())
    if how == "save_pretrained":
        kwargs = {"max_shard_size": shard} if shard else {}
        model.save_pretrained(folder, **kwargs)
    else:
        state = {k: v.contiguous() for k, v in model.state_dict().items()}
        if model.config.tie_word_embeddings:
            state.pop("lm_head.weight", None)  # safetensors refuses shared tensors; save_pretrained drops it too
        save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
        model.config.save_pretrained(folder)
    for extra in ("generation_config.json",):
        (folder / extra).unlink(missing_ok=True)
    return truth


# -- GGUF files as llama.cpp's convert_hf_to_gguf.py writes them --------------------------------------------

GGUF_ARCH = {"llama": "llama", "qwen2": "qwen2", "qwen3_moe": "qwen3moe", "mixtral": "llama", "gpt2": "gpt2",
             "deepseek_v3": "deepseek2", "phi3": "phi3", "gemma3_text": "gemma3"}


def _gguf_metadata(w, family: str, cfg: dict) -> None:
    g = lambda k, d=None: cfg.get(k, d)  # noqa: E731
    if family == "gpt2":
        w.add_block_count(g("n_layer")); w.add_context_length(g("n_positions")); w.add_embedding_length(g("n_embd"))
        w.add_feed_forward_length(4 * g("n_embd")); w.add_head_count(g("n_head")); w.add_layer_norm_eps(1e-5)
        return
    heads = g("num_attention_heads")
    w.add_block_count(g("num_hidden_layers")); w.add_context_length(g("max_position_embeddings"))
    w.add_embedding_length(g("hidden_size")); w.add_feed_forward_length(g("intermediate_size"))
    w.add_head_count(heads); w.add_head_count_kv(g("num_key_value_heads", heads)); w.add_layer_norm_rms_eps(1e-6)
    if g("head_dim"):
        w.add_key_length(g("head_dim")); w.add_value_length(g("head_dim"))
    if family == "qwen3_moe":
        w.add_expert_count(g("num_experts")); w.add_expert_used_count(g("num_experts_per_tok"))
        w.add_expert_feed_forward_length(g("moe_intermediate_size"))
    if family == "mixtral":
        w.add_expert_count(g("num_local_experts")); w.add_expert_used_count(g("num_experts_per_tok"))
    if family == "deepseek_v3":
        w.add_leading_dense_block_count(g("first_k_dense_replace")); w.add_expert_count(g("n_routed_experts"))
        w.add_expert_used_count(g("num_experts_per_tok")); w.add_expert_shared_count(g("n_shared_experts"))
        w.add_expert_feed_forward_length(g("moe_intermediate_size")); w.add_q_lora_rank(g("q_lora_rank"))
        w.add_kv_lora_rank(g("kv_lora_rank")); w.add_rope_dimension_count(g("qk_rope_head_dim"))
        w.add_key_length(g("qk_nope_head_dim") + g("qk_rope_head_dim")); w.add_value_length(g("v_head_dim"))
    if family == "gemma3_text":
        w.add_sliding_window(g("sliding_window", 4096))


def write_gguf(path: Path, family: str, *, qtype=None, split_max_tensors: int = 0, big_endian: bool = False,
               extra: dict | None = None) -> int:
    """Convert a tiny random ``family`` model to GGUF the way convert_hf_to_gguf.py does (llama.cpp names from
    the gguf package's TensorNameMap, experts merged into 3-D stacks, GPT-2's Conv1D weights transposed and its
    tied embedding written twice) and return transformers' count. ``qtype`` quantises 2-D weights whose rows
    fit its blocks (gguf.quants)."""
    import re

    import gguf
    import numpy as np

    model, cfg = build(family)
    truth = sum(p.numel() for p in model.parameters())
    arch = GGUF_ARCH[family]
    arch_enum = {v: k for k, v in gguf.MODEL_ARCH_NAMES.items()}[arch]
    layers = cfg.get("num_hidden_layers") or cfg.get("n_layer")
    tmap = gguf.get_tensor_name_map(arch_enum, layers)
    endian = gguf.GGUFEndian.BIG if big_endian else gguf.GGUFEndian.LITTLE
    w = gguf.GGUFWriter(path, arch, split_max_tensors=split_max_tensors, endianess=endian)
    w.add_name(f"tiny-{family}")
    _gguf_metadata(w, family, cfg)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if qtype is None else gguf.LlamaFileType.MOSTLY_Q8_0)
    for k, v in (extra or {}).items():
        w.add_uint32(k, v)
    state = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    if model.config.tie_word_embeddings:
        state.pop("lm_head.weight", None)
    merged: dict[str, list] = {}
    out: dict[str, np.ndarray] = {}
    for name, data in state.items():
        name = name.replace("e_score_correction_bias", "e_score_correction.bias")
        if family == "gpt2" and re.search(r"\.(c_attn|c_proj|c_fc)\.weight$", name):
            data = data.T
        if name.endswith(".experts.gate_up_proj"):  # transformers 5 keeps experts fused: (E, 2F, H)
            half = data.shape[1] // 2
            out[name[: -len("gate_up_proj")] + "gate_proj.weight"] = data[:, :half]
            out[name[: -len("gate_up_proj")] + "up_proj.weight"] = data[:, half:]
            continue
        if name.endswith(".experts.down_proj"):
            out[name + ".weight"] = data
            continue
        m = re.match(r"^(.*\.experts)\.(\d+)\.(.*)$", name)
        if m:
            merged.setdefault(f"{m.group(1)}.{m.group(3)}", []).append((int(m.group(2)), data))
            continue
        out[name] = data
    for name, parts in merged.items():
        out[name] = np.stack([d for _, d in sorted(parts, key=lambda p: p[0])])
    for name, data in out.items():
        new = tmap.get_name(name, try_suffixes=(".weight", ".bias"))
        assert new is not None, name
        data = np.ascontiguousarray(data)
        if big_endian:
            data = data.byteswap().view(data.dtype.newbyteorder())
        if qtype is not None and data.ndim == 2 and data.shape[-1] % gguf.GGML_QUANT_SIZES[qtype][0] == 0:
            w.add_tensor(new, gguf.quants.quantize(data.astype(np.float32), qtype), raw_dtype=qtype)
        else:
            w.add_tensor(new, data.astype(np.float16 if data.ndim > 1 else np.float32))
        if family == "gpt2" and new == "token_embd.weight":
            w.add_tensor("output.weight", data.astype(np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return truth

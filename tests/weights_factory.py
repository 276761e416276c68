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

"""Our reading of config.json against transformers itself: the model transformers builds (on the meta
device, no memory) has exactly the parameters we count, family by family, for random shapes too."""
import logging
import warnings

import pytest

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.params import count_params

warnings.filterwarnings("ignore")
logging.getLogger("transformers").setLevel(logging.ERROR)


def transformers_count(config: dict) -> int:
    from transformers import AutoConfig, AutoModel, AutoModelForCausalLM

    config = dict(config)
    model_type = config.pop("model_type")
    cfg = AutoConfig.for_model(model_type, **config)
    with torch.device("meta"):
        model = (AutoModel if model_type == "bert" else AutoModelForCausalLM).from_config(cfg)
    return sum(p.numel() for p in model.parameters())


SMALL = dict(vocab_size=1000, hidden_size=64, intermediate_size=96, num_hidden_layers=3, num_attention_heads=4,
             num_key_value_heads=2, max_position_embeddings=128)
MLA = dict(vocab_size=1000, hidden_size=64, intermediate_size=96, moe_intermediate_size=32, num_hidden_layers=4,
           num_attention_heads=4, n_routed_experts=8, num_experts_per_tok=2, q_lora_rank=24, kv_lora_rank=16,
           qk_nope_head_dim=8, qk_rope_head_dim=4, v_head_dim=8, first_k_dense_replace=1,
           max_position_embeddings=128)

CASES = {
    "gpt2": dict(model_type="gpt2", vocab_size=1000, n_embd=64, n_layer=2, n_head=4, n_positions=128),
    "gpt2 n_inner": dict(model_type="gpt2", vocab_size=1000, n_embd=64, n_layer=2, n_head=4, n_positions=128,
                         n_inner=100),
    "gptj": dict(model_type="gptj", vocab_size=1000, n_embd=64, n_layer=2, n_head=4, n_positions=128, rotary_dim=8),
    "gpt_neox": dict(model_type="gpt_neox", vocab_size=1000, hidden_size=64, num_hidden_layers=2,
                     num_attention_heads=4, intermediate_size=256),
    "gpt_neox sequential tied": dict(model_type="gpt_neox", vocab_size=1000, hidden_size=64, num_hidden_layers=2,
                                     num_attention_heads=4, intermediate_size=256, use_parallel_residual=False,
                                     attention_bias=False, tie_word_embeddings=True),
    "llama": dict(SMALL, model_type="llama"),
    "llama biases, tied, head_dim": dict(SMALL, model_type="llama", attention_bias=True, mlp_bias=True,
                                         tie_word_embeddings=True, head_dim=24),
    "granite": dict(SMALL, model_type="granite"),
    "mistral": dict(SMALL, model_type="mistral"),
    "mixtral": dict(SMALL, model_type="mixtral", num_local_experts=4, num_experts_per_tok=2),
    "qwen2": dict(SMALL, model_type="qwen2"),
    "qwen2_moe": dict(SMALL, model_type="qwen2_moe", moe_intermediate_size=32, shared_expert_intermediate_size=48,
                      num_experts=6, num_experts_per_tok=2, decoder_sparse_step=2, mlp_only_layers=[2]),
    "qwen3": dict(SMALL, model_type="qwen3", head_dim=32),
    "qwen3_moe": dict(SMALL, model_type="qwen3_moe", head_dim=32, moe_intermediate_size=32, num_experts=6,
                      num_experts_per_tok=2, mlp_only_layers=[0]),
    "gemma": dict(SMALL, model_type="gemma", head_dim=32),
    "gemma2": dict(SMALL, model_type="gemma2", head_dim=32),
    "gemma3_text": dict(SMALL, model_type="gemma3_text", head_dim=32),
    "phi": dict(SMALL, model_type="phi"),
    "phi qk layernorm": dict(SMALL, model_type="phi", qk_layernorm=True),
    "phi3": dict(SMALL, model_type="phi3", pad_token_id=0),
    "falcon-7b style": dict(model_type="falcon", vocab_size=1000, hidden_size=64, num_hidden_layers=2,
                            num_attention_heads=4),
    "falcon-40b style": dict(model_type="falcon", vocab_size=1000, hidden_size=64, num_hidden_layers=2,
                             num_attention_heads=8, num_kv_heads=2, new_decoder_architecture=True,
                             ffn_hidden_size=100),
    "falcon-rw style": dict(model_type="falcon", vocab_size=1000, hidden_size=64, num_hidden_layers=2,
                            num_attention_heads=4, multi_query=False, parallel_attn=False, bias=True, alibi=True),
    "opt": dict(model_type="opt", vocab_size=1000, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                ffn_dim=128, max_position_embeddings=128),
    "opt-350m style": dict(model_type="opt", vocab_size=1000, hidden_size=64, num_hidden_layers=2,
                           num_attention_heads=4, ffn_dim=128, max_position_embeddings=128, word_embed_proj_dim=32,
                           do_layer_norm_before=False),
    "bert": dict(model_type="bert", vocab_size=1000, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=128),
    "deepseek_v2": dict(MLA, model_type="deepseek_v2", n_shared_experts=2),
    "deepseek_v2 lite (no q_lora)": dict(MLA, model_type="deepseek_v2", n_shared_experts=2, q_lora_rank=None),
    "deepseek_v3": dict(MLA, model_type="deepseek_v3", n_shared_experts=1, n_group=2, topk_group=1),
    "olmo2": dict(SMALL, model_type="olmo2"),
    "starcoder2": dict(SMALL, model_type="starcoder2"),
}


@pytest.mark.parametrize("config", CASES.values(), ids=CASES.keys())
def test_count_equals_transformers(config):
    assert count_params(architecture_from_config(config)).total == transformers_count(config)


@st.composite
def llama_like_configs(draw):
    model_type = draw(st.sampled_from(["llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "olmo2",
                                       "starcoder2", "granite"]))
    kv = draw(st.sampled_from([1, 2, 4]))
    heads = kv * draw(st.integers(1, 4))
    head_dim = draw(st.sampled_from([8, 16]))
    cfg = dict(model_type=model_type, vocab_size=draw(st.integers(16, 300)), hidden_size=heads * head_dim,
               intermediate_size=draw(st.integers(8, 80)), num_hidden_layers=draw(st.integers(1, 3)),
               num_attention_heads=heads, num_key_value_heads=kv, head_dim=head_dim,
               tie_word_embeddings=draw(st.booleans()), max_position_embeddings=64)
    if model_type in ("llama", "granite", "olmo2"):
        cfg["attention_bias"] = draw(st.booleans())
    return cfg


@st.composite
def moe_configs(draw):
    experts = draw(st.integers(2, 6))
    layers = draw(st.integers(1, 4))
    cfg = dict(model_type=draw(st.sampled_from(["mixtral", "qwen2_moe", "qwen3_moe", "deepseek_v3"])),
               vocab_size=100, hidden_size=32, intermediate_size=draw(st.integers(8, 64)), num_hidden_layers=layers,
               num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
               num_experts_per_tok=draw(st.integers(1, experts)))
    if cfg["model_type"] == "mixtral":
        cfg["num_local_experts"] = experts
    elif cfg["model_type"] == "deepseek_v3":
        cfg.update(n_routed_experts=experts, moe_intermediate_size=draw(st.integers(4, 32)), n_group=1, topk_group=1,
                   n_shared_experts=draw(st.integers(0, 2)), first_k_dense_replace=draw(st.integers(0, layers)),
                   q_lora_rank=draw(st.sampled_from([None, 12])), kv_lora_rank=8, qk_nope_head_dim=4,
                   qk_rope_head_dim=4, v_head_dim=4, num_key_value_heads=4)
    else:
        cfg.update(num_experts=experts, moe_intermediate_size=draw(st.integers(4, 32)),
                   decoder_sparse_step=draw(st.integers(1, 2)),
                   mlp_only_layers=draw(st.lists(st.integers(0, layers - 1), unique=True, max_size=layers)))
        if cfg["model_type"] == "qwen2_moe":
            cfg["shared_expert_intermediate_size"] = draw(st.integers(8, 40))
        else:
            cfg["head_dim"] = 8
    return cfg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(llama_like_configs())
def test_random_dense_configs_match_transformers(config):
    assert count_params(architecture_from_config(config)).total == transformers_count(config)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moe_configs())
def test_random_moe_configs_match_transformers(config):
    assert count_params(architecture_from_config(config)).total == transformers_count(config)

"""transformers, vLLM and Ollama memory against published figures and the runtimes' own rules."""
import pytest

from conftest import load_data
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.memory import Device, GiB, MemoryRequest, MiB, estimate_memory
from llmplanner.core.memory.ollama_rt import default_context

CONFIGS = {m["name"]: m["config"] for m in load_data("reference_models.json")["models"]}
VLLM = load_data("runtime_measurements.json")["vllm"]


def arch(name):
    return architecture_from_config(CONFIGS[name], name=name)


def gpu(gib, backend="CUDA"):
    return (Device(f"{backend}0", "gpu", int(gib * GiB), backend),)


def test_vllm_weights_match_its_log_within_one_percent():
    """'Loading model weights took 14.99 GiB' for Llama-3.1-8B BF16 (same shape as Llama-3-8B)."""
    logged = next(r for r in VLLM if "value_GiB" in r)["value_GiB"]
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "bf16", "auto", "vllm", 8192, gpus=gpu(22.30)))
    assert est.weights_bytes / GiB == pytest.approx(logged, rel=0.01)


def test_vllm_budget_activation_and_kv_pool_on_an_a10g():
    """A10G log: total 22.30 GiB × 0.90 = 20.07 GiB; weights 14.99, activation 0.85, KV cache 4.17 GiB."""
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "bf16", "auto", "vllm", 8192, gpus=gpu(22.30)))
    gpu_row = est.devices[0]
    assert gpu_row.total / GiB == pytest.approx(20.07, abs=0.01)
    assert gpu_row.compute / GiB == pytest.approx(0.85, rel=0.15)
    assert gpu_row.kv_cache / GiB == pytest.approx(4.17, rel=0.06)
    v = est.extra["vllm"]
    # one 8192-token Llama-3-8B sequence holds 1 GiB of KV: about four fit in the pool
    assert v["request_kv_bytes"] == 2 * 32 * 8 * 128 * 8192 * 2
    assert 3.5 < v["max_concurrency"] < 4.5


def test_vllm_refuses_a_context_longer_than_its_pool():
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "bf16", "auto", "vllm", 8192, gpus=gpu(17)))
    assert est.extra["vllm"]["max_concurrency"] < 1
    assert any("refuses" in n or "will not start" in n for n in est.notes)


def test_vllm_mla_caches_one_latent_per_token():
    """DeepSeek-V2-style MLA: (kv_lora_rank + qk_rope_head_dim) values per token and layer."""
    cfg = dict(model_type="deepseek_v2", vocab_size=1000, hidden_size=256, intermediate_size=512,
               moe_intermediate_size=64, num_hidden_layers=4, num_attention_heads=8, n_routed_experts=4,
               num_experts_per_tok=2, n_shared_experts=1, q_lora_rank=None, kv_lora_rank=128,
               qk_nope_head_dim=32, qk_rope_head_dim=16, v_head_dim=32, max_position_embeddings=4096)
    from llmplanner.core.memory.kv_cache import vllm_bytes_per_token

    full, swa = vllm_bytes_per_token(architecture_from_config(cfg), 2)
    assert (full, swa) == (4 * (128 + 16) * 2, 0)


def test_transformers_kv_cache_is_the_dynamic_cache():
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "bf16", "bf16", "transformers", 4096, batch=2))
    assert est.kv_cache_bytes == 2 * 32 * 8 * 128 * 4096 * 2 * 2


def test_transformers_sliding_layers_keep_only_the_window():
    """Gemma-2-9B: 21 of 42 layers slide over 4096 tokens, so at 8192 tokens they hold half."""
    a = arch("Gemma-2-9B")
    est = estimate_memory(MemoryRequest(a, "bf16", "bf16", "transformers", 8192))
    per_token_layer = 2 * 8 * 256 * 2
    assert est.kv_cache_bytes == per_token_layer * (21 * 8192 + 21 * 4096)


def test_transformers_offloads_whole_layers_to_the_cpu_when_the_gpu_is_small():
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "bf16", "bf16", "transformers", 4096, gpus=gpu(8)))
    assert 0 < est.gpu_layers < 32
    assert est.devices[0].total <= 8 * GiB
    assert any("offloads" in n for n in est.notes)


def test_weight_bytes_fall_with_bits():
    a = arch("Llama-3-8B")
    sizes = [estimate_memory(MemoryRequest(a, f, "f16", "llama.cpp", 4096)).weights_bytes
             for f in ("f32", "f16", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k")]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("vram_gib, trained, want", [(8, 131072, 4096), (24, 131072, 32768), (23.5, 8192, 8192),
                                                     (48, 131072, 131072), (80, 1_000_000, 262144)])
def test_ollama_default_context_follows_vram(vram_gib, trained, want):
    assert default_context(int(vram_gib * GiB), trained) == want


def test_ollama_keeps_its_minimum_free_per_gpu():
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "q4_k_m", "f16", "ollama", 4096, gpus=gpu(8)))
    assert est.reserve_bytes == 457 * MiB
    metal = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "q4_k_m", "f16", "ollama", 4096,
                                          gpus=gpu(16, "Metal")))
    assert metal.reserve_bytes == 512 * MiB

"""llama.cpp's buffers against its own logs (tests/data/runtime_measurements.json, each row sourced)."""
import pytest

from conftest import load_data
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.memory import Device, MemoryRequest, MiB, estimate_memory
from llmplanner.core.memory.llamacpp import compute_stages

DATA = load_data("runtime_measurements.json")
CONFIGS = {m["name"]: m["config"] for m in load_data("reference_models.json")["models"]}
CONFIGS.update({m["name"]: m["config"] for m in load_data("extra_models.json")["models"]})


def arch(name):
    return architecture_from_config(CONFIGS[name], name=name)


def gpus(hardware: str):
    count = int(hardware[0]) if hardware[0].isdigit() else 1
    backend = "Metal" if "Apple" in hardware else "CUDA"
    return tuple(Device(f"{backend}{i}", "gpu", 24 * 2**30, backend) for i in range(count))


@pytest.mark.parametrize("case", DATA["kv_cache_checks"], ids=lambda c: f"{c['model']}-{c['n_ctx']}")
def test_kv_cache_exact_to_the_byte(case):
    want = round(float(case["reported"].split("=")[1].split("MiB")[0]) * MiB)
    est = estimate_memory(MemoryRequest(arch(case["model"]), "f16", "f16", "llama.cpp", case["n_ctx"]))
    assert est.kv_cache_bytes == want


def test_quantised_kv_cache_uses_block_rows():
    """q8_0 stores 34 bytes per 32 elements (ggml-common.h block_q8_0): Llama-3-8B K row 1024 → 1088 bytes."""
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "f16", "q8_0", "llama.cpp", 8192))
    assert est.kv_cache_bytes == 2 * 32 * 8192 * (1024 // 32 * 34)
    assert est.extra["flash_attention"] is True  # a quantised V cache needs it
    assert any("flash attention" in n for n in est.notes)


def test_a_vllm_fp8_cache_is_refused_by_llama_cpp_and_ollama():
    """common/arg.cpp kv_cache_types: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1 — no FP8."""
    from llmplanner.core.errors import PlannerError

    for runtime in ("llama.cpp", "ollama"):
        with pytest.raises(PlannerError, match="llama.cpp's KV cache types are f32, f16, bf16, q8_0") as e:
            estimate_memory(MemoryRequest(arch("Llama-3-8B"), "f16", "fp8", runtime, 4096))
        assert e.value.field == "kv_format"


def test_context_is_padded_to_256_cells():
    a = arch("Llama-3-8B")
    est = estimate_memory(MemoryRequest(a, "f16", "f16", "llama.cpp", 1000))
    assert est.extra["n_ctx"] == 1024
    assert est.kv_cache_bytes == 2 * 32 * 1024 * 1024 * 2


LOGS = [m for m in DATA["llama_cpp_memory_logs"] if m.get("compute_buffers_MiB") and m["model"] in CONFIGS]


@pytest.mark.parametrize("log", LOGS, ids=lambda m: f"{m['model']}-{m['quant']}-{m['hardware']}")
def test_buffers_match_the_log(log):
    est = estimate_memory(MemoryRequest(arch(log["model"]), log["quant"].lower(), "f16", "llama.cpp", log["n_ctx"],
                                        gpus=gpus(log["hardware"])))
    weights = sum(log["weight_buffers_MiB"].values()) * MiB
    kv = sum(log["kv_buffers_MiB"].values()) * MiB
    compute = sum(log["compute_buffers_MiB"].values()) * MiB
    assert est.kv_cache_bytes == kv
    assert est.weights_bytes == pytest.approx(weights, rel=0.01)
    # the host keeps token_embd (the input layer): 281.81 MiB for Llama-3-8B Q4_K_M
    host = next(d for d in est.devices if d.device.kind == "cpu")
    assert host.weights == pytest.approx(log["weight_buffers_MiB"]["CPU"] * MiB, rel=0.01)
    assert est.activations_bytes + est.overhead_bytes == pytest.approx(compute, rel=0.10)
    assert est.total_bytes == pytest.approx(weights + kv + compute, rel=0.02)


def test_two_gpus_split_layers_17_and_15_with_the_output_layer_on_the_second():
    log = next(m for m in LOGS if m["hardware"].startswith("2x"))
    est = estimate_memory(MemoryRequest(arch("Llama-3-8B"), "q4_k_m", "f16", "llama.cpp", 8192,
                                        gpus=gpus("2x RTX 3090")))
    d0, d1 = est.devices[0], est.devices[1]
    assert (d0.layers, d1.layers) == (17, 15)
    assert d0.kv_cache == log["kv_buffers_MiB"]["CUDA0"] * MiB
    assert d1.kv_cache == log["kv_buffers_MiB"]["CUDA1"] * MiB
    assert d0.weights == pytest.approx(log["weight_buffers_MiB"]["CUDA0"] * MiB, rel=0.01)
    assert d1.weights == pytest.approx(log["weight_buffers_MiB"]["CUDA1"] * MiB, rel=0.01)


@pytest.mark.parametrize("model, n_ctx, logged_mib", [
    # "total VRAM used: ... context: X MiB" minus the KV cache, Llama-2 runs at n_ctx 512 (build 1691)
    ("Llama-2-7B", 512, 326.50 - 256),
    ("Llama-2-13B", 512, 475.00 - 400),
    ("Llama-2-70B", 512, 305.00 - 160),
])
def test_compute_graph_peak_matches_old_logs(model, n_ctx, logged_mib):
    stages = compute_stages(arch(model), 512, n_ctx, 512, flash_attention=False)
    assert max(stages.values()) == pytest.approx(logged_mib * MiB, rel=0.005)


def test_partial_offload_moves_layers_and_their_cache_to_the_host():
    a = arch("Llama-3-8B")
    full = estimate_memory(MemoryRequest(a, "q4_k_m", "f16", "llama.cpp", 4096, gpus=gpus("1x")))
    part = estimate_memory(MemoryRequest(a, "q4_k_m", "f16", "llama.cpp", 4096, gpus=gpus("1x"), gpu_layers=20))
    # llama.cpp counts the output layer: -ngl 20 puts the output layer and the last 19 blocks on the GPU
    assert (part.gpu_layers, part.total_layers) == (20, 33)
    assert part.devices[0].layers == 19 and part.devices[-1].layers == 13
    assert part.devices[0].kv_cache == full.kv_cache_bytes * 19 // 32
    assert part.weights_bytes == full.weights_bytes


def test_cpu_only_keeps_everything_on_the_host():
    est = estimate_memory(MemoryRequest(arch("Llama-2-7B"), "q4_0", "f16", "llama.cpp", 2048))
    assert est.on("gpu") == 0 and est.total_bytes == est.on("cpu")

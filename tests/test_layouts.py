"""The smallest multi-GPU / multi-node layout, against what vLLM's developers published for Llama-3.1-405B."""
import math

import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.estimate import EstimateRequest
from llmplanner.core.fit import HEADROOM
from llmplanner.core.layouts import smallest_layout, stage_architecture
from llmplanner.core.presets import find_preset

GIB = 1 << 30


def req(model, runtime, fmt, context=8192):
    return EstimateRequest(arch=find_preset(model).architecture(), runtime=runtime, weight_format=fmt,
                           context=context)


# vLLM blog, "Announcing Llama 3.1 Support in vLLM" (2024-07-23, blog.vllm.ai/2024/07/23/llama31.html): the FP8
# 405B runs on one node of 8×H100 or 8×A100; BF16 needs several nodes (pipeline parallel) on H100, and fits one
# node of 8×H200 or 8×MI300X.
@pytest.mark.parametrize("gpu,fmt,gpus,nodes", [
    ("H100 SXM", "fp8", 8, 1),
    ("A100 SXM 80GB", "fp8", 8, 1),
    ("H100 SXM", "bf16", 16, 2),
    ("H200", "bf16", 8, 1),
    ("MI300X", "bf16", 8, 1),
])
def test_llama_405b_layouts_match_vllms_published_ones(gpu, fmt, gpus, nodes):
    lay = smallest_layout(req("Llama-3.1-405B", "vllm", fmt), gpu).layout
    assert (lay.total_gpus, lay.nodes) == (gpus, nodes)
    assert find_preset("Llama-3.1-405B").architecture().attention.num_heads % lay.tensor_parallel == 0
    assert lay.memory_per_gpu_bytes <= lay.gpu_memory_bytes
    assert (lay.decode_tokens_per_s is None) == (nodes > 1)  # the network between nodes is not modelled


def test_70b_on_8_gib_cards_needs_a_layout_whose_per_gpu_memory_fits():
    lay = smallest_layout(req("Llama-3.1-70B", "llama.cpp", "q4_k_m"), "RTX 4060").layout
    assert lay.total_gpus > 1 and lay.verdict in ("fits", "tight")
    assert lay.memory_per_gpu_bytes + lay.reserve_bytes <= lay.gpu_memory_bytes
    # one GPU fewer does not hold it
    fewer = smallest_layout(req("Llama-3.1-70B", "llama.cpp", "q4_k_m"), "RTX 4060", max_nodes=1,
                            gpus_per_node=lay.total_gpus - 1)
    assert fewer.layout is None


def test_a_model_that_fits_one_gpu_needs_no_more():
    lay = smallest_layout(req("Llama-3-8B", "llama.cpp", "q4_k_m"), "RTX 4090").layout
    assert (lay.total_gpus, lay.nodes) == (1, 1) and lay.memory_per_gpu_bytes < (1 - HEADROOM) * 24 * GIB


def test_llama_cpp_crosses_machines_with_its_rpc_backend_when_one_is_not_enough():
    lay = smallest_layout(req("Llama-3.1-405B", "llama.cpp", "q4_k_m"), "RTX 4090").layout
    assert lay.nodes == math.ceil(lay.total_gpus / 8) > 1 and "RPC" in lay.how


def test_runtimes_without_a_multi_machine_mode_say_so():
    for runtime in ("ollama", "transformers"):
        s = smallest_layout(req("Llama-3.1-405B", runtime, "bf16" if runtime == "transformers" else "q4_k_m"),
                            "RTX 4090")
        assert s.layout is None and "one machine" in s.why_not


def test_a_pipeline_stage_keeps_the_per_layer_settings_of_its_layers():
    arch = find_preset("Gemma-2-9B").architecture()
    stage = stage_architecture(arch, 10)
    assert stage.num_layers == 10 and all(i < 10 for i in stage.attention.sliding_layers)
    assert stage_architecture(arch, arch.num_layers) is arch


def test_only_gpus_can_be_stacked():
    with pytest.raises(PlannerError):
        smallest_layout(req("Llama-3-8B", "llama.cpp", "q4_k_m"), "cpu-ddr5-5600-2ch")

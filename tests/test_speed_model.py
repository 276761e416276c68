"""The speed model's mechanics: what each term does, across devices, contexts and splits."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from llmplanner.core.errors import PlannerError, UnknownNameError
from llmplanner.core.hardware import cpu_platform, find_accelerator
from llmplanner.core.runtime_profiles import all_profiles, runtime_profile
from llmplanner.core.speed import (decode_seconds, decode_tokens_per_s, estimate_speed, generation_seconds,
                                   matmul_rate, prefill_seconds, rule_of_thumb_tokens_per_s, weight_bandwidth)
from llmplanner.core.speed_workload import (AttentionLayers, DeviceLoad, SpeedWorkload, attention_layers,
                                            kv_elements_per_position, split_workload)

from speed_cases import architecture

LLAMA3_8B_Q4_BYTES = 4.58 * 2**30 - 128256 * 4096 * 4.5 / 8  # llama-bench size minus the Q4_K token embedding


def llama3(accelerators, weight_bytes=LLAMA3_8B_Q4_BYTES, **kw):
    accs = [find_accelerator(a) if isinstance(a, str) else a for a in accelerators]
    return split_workload(architecture("Llama-3-8B"), accs, weight_bytes, **kw)


def test_the_kv_cache_of_llama3_8b_is_128_kib_per_position_in_f16():
    arch = architecture("Llama-3-8B")
    assert kv_elements_per_position(arch) * 2 * arch.num_layers == 2 * 8 * 128 * 2 * 32 == 131072
    (group,) = attention_layers(arch, range(32))
    assert (group.layers, group.query_groups, group.window) == (32, 4, None)


def test_decode_is_weights_over_effective_bandwidth_plus_fixed_costs():
    w = llama3(["NVIDIA GeForce RTX 3090"])
    prof = runtime_profile("llama.cpp", "cuda")
    acc = w.devices[0].accelerator
    t = decode_seconds(w, 1)
    bw = weight_bandwidth(acc, prof)
    expected = LLAMA3_8B_Q4_BYTES / bw + 32 * prof.layer_overhead_s + prof.token_overhead_s
    kv_one = 131072 * max(1.0, prof.kv_read_per_group * 4) / bw
    assert t == pytest.approx(expected + kv_one, rel=1e-9)


def test_small_models_on_fast_gpus_fall_short_of_bandwidth_over_size():
    """Fixed per-token costs dominate a 0.5 GB model: bandwidth ÷ size overstates it several times."""
    arch = architecture("Llama-3-8B")
    tiny = split_workload(arch, [find_accelerator("NVIDIA GeForce RTX 4090")], 0.5e9)
    ideal = 1008e9 / 0.5e9
    assert decode_tokens_per_s(tiny, 256) < 0.5 * ideal
    big = llama3(["NVIDIA GeForce RTX 4090"], weight_bytes=15e9)
    assert decode_tokens_per_s(big, 256) > 0.7 * 1008e9 / 15e9


def test_hbm_gpus_are_capped_by_streaming_bytes_per_sm_clock():
    """llama.cpp's mat-vec kernels get ~1 TB/s from an A100's 2 TB/s (Little's law per SM), not 92 %."""
    prof = runtime_profile("llama.cpp", "cuda")
    a100 = find_accelerator("NVIDIA A100-SXM4-80GB")
    assert weight_bandwidth(a100, prof) == pytest.approx(prof.bytes_per_unit_clock * 108 * 1.41e9)
    assert weight_bandwidth(a100, prof) < 0.6 * a100.memory_bandwidth
    rtx = find_accelerator("NVIDIA GeForce RTX 4090")
    assert weight_bandwidth(rtx, prof) == pytest.approx(prof.bandwidth_efficiency * rtx.memory_bandwidth)


def test_decode_slows_as_the_context_grows_and_arrays_match_scalars():
    w = llama3(["NVIDIA GeForce RTX 4090"])
    ctx = np.array([1, 512, 4096, 32768])
    curve = decode_tokens_per_s(w, ctx)
    assert list(curve) == sorted(curve, reverse=True)
    assert curve == pytest.approx([decode_tokens_per_s(w, int(c)) for c in ctx])


def test_generation_average_is_the_exact_mean_over_the_growing_context():
    w = llama3(["NVIDIA GeForce RTX 3090"])
    per_token = decode_seconds(w, np.arange(301, 301 + 200))
    assert generation_seconds(w, 300, 200) == pytest.approx(per_token.sum(), rel=1e-12)
    est = estimate_speed(w, 300, 200)
    assert est.decode_tokens_per_s == pytest.approx(200 / per_token.sum())
    assert est.decode_first_tokens_per_s > est.decode_tokens_per_s > est.decode_last_tokens_per_s


def test_sliding_window_layers_stop_reading_more_cache_beyond_the_window():
    acc = find_accelerator("NVIDIA GeForce RTX 4090")
    g = AttentionLayers(layers=32, kv_bytes_per_position=4096, flops_per_position=16384, query_heads=32,
                        query_groups=4, window=4096)
    load = DeviceLoad(acc, 32, 4e9, 15e9, (g,))
    w = SpeedWorkload((load,))
    assert decode_seconds(w, 4096) == pytest.approx(decode_seconds(w, 100000))
    assert decode_seconds(w, 4096) > decode_seconds(w, 1000)
    assert generation_seconds(w, 10000, 50) == pytest.approx(50 * decode_seconds(w, 4096))


def test_flash_attention_reads_the_cache_once_per_kv_head():
    slow = llama3(["NVIDIA GeForce RTX 3090"])
    fast = llama3(["NVIDIA GeForce RTX 3090"], flash_attention=True)
    slope_slow = decode_seconds(slow, 8193) - decode_seconds(slow, 1)
    slope_fast = decode_seconds(fast, 8193) - decode_seconds(fast, 1)
    assert slope_fast == pytest.approx(8192 * 131072 / weight_bandwidth(slow.devices[0].accelerator,
                                                                          runtime_profile("llama.cpp", "cuda")))
    assert slope_slow > 2 * slope_fast
    assert prefill_seconds(fast, 8192) < prefill_seconds(slow, 8192)


def test_moe_decode_reads_the_active_experts_and_prompt_processing_all_of_them():
    arch = architecture("Mixtral-8x7B-v0.1")
    acc = find_accelerator("NVIDIA A100-SXM4-80GB")
    active, total = 13.7e9, 49.6e9
    moe = split_workload(arch, [acc], active, resident_weight_bytes=total)
    dense = split_workload(arch, [acc], total)
    assert decode_tokens_per_s(moe, 100) > 3 * decode_tokens_per_s(dense, 100)
    assert moe.devices[0].resident_bytes == pytest.approx(total)
    one_ubatch = prefill_seconds(moe, 512)
    assert one_ubatch > total / weight_bandwidth(acc, runtime_profile("llama.cpp", "cuda"))
    with pytest.raises(PlannerError):
        split_workload(arch, [acc], total, resident_weight_bytes=active)


def test_cpu_gpu_split_adds_the_cpu_time_and_streams_cpu_weights_over_pcie_for_prompts():
    gpu = find_accelerator("NVIDIA GeForce RTX 3090")
    host = cpu_platform(cores=16, clock_ghz=4.5, memory_mt_s=5600, channels=2, simd="avx512-256")
    all_gpu = llama3([gpu])
    half = llama3([host, gpu], layers_per_device=[16, 16])
    cpu_only, gpu_only = (SpeedWorkload((d,)) for d in half.devices)
    # one token passes the CPU's layers, then the GPU's: the times add, plus one hand-off (the CPU profile has no
    # per-token cost of its own)
    handoff = runtime_profile("llama.cpp", "cuda").device_handoff_s
    assert decode_seconds(half, 100) == pytest.approx(
        decode_seconds(cpu_only, 100) + decode_seconds(gpu_only, 100) + handoff)
    assert decode_seconds(cpu_only, 100) >= half.devices[0].weight_bytes / (0.83 * 89.6e9)
    assert decode_tokens_per_s(half, 100) < 0.5 * decode_tokens_per_s(all_gpu, 100)
    # prompt: the CPU layers' weights cross PCIe once per ubatch and run on the GPU (ggml-cuda offload_op)
    t = prefill_seconds(half, 512)
    assert t > half.devices[0].resident_bytes / 25e9
    assert t < prefill_seconds(llama3([host]), 512)


def test_layer_split_decode_adds_devices_and_pipelines_long_prompts():
    one = llama3(["NVIDIA GeForce RTX 4090"])
    two = llama3(["NVIDIA GeForce RTX 4090"] * 2)
    handoff = runtime_profile("llama.cpp", "cuda").device_handoff_s
    assert decode_seconds(two, 100) == pytest.approx(decode_seconds(one, 100) + handoff)
    assert prefill_seconds(two, 512) == pytest.approx(prefill_seconds(one, 512), rel=0.05)
    assert prefill_seconds(two, 2048) < 0.8 * prefill_seconds(one, 2048)  # 4 ubatches flow through 2 stages


def test_tensor_parallel_divides_the_weights_and_pays_two_all_reduces_per_layer():
    arch = architecture("Llama-3-70B")
    acc = find_accelerator("NVIDIA H100 80GB HBM3")
    one = split_workload(arch, [acc], 40e9, runtime="vllm", storage="float")
    four = split_workload(arch, [acc] * 4, 40e9, runtime="vllm", storage="float", split="tensor",
                          interconnect_bandwidth=450e9)
    t1, t4 = decode_seconds(one, 100), decode_seconds(four, 100)
    assert t4 < t1 / 2.5
    slow_link = replace(four, interconnect_bandwidth=10e9)
    assert decode_seconds(slow_link, 100) > t4
    assert decode_seconds(four, 100) >= 2 * 80 * 10e-6  # all-reduce latency floor


@settings(max_examples=40, deadline=None)
@given(bw=st.floats(100e9, 8000e9), extra=st.floats(1.0, 3.0), ctx=st.integers(1, 200000),
       more_ctx=st.integers(0, 100000), gib=st.floats(0.5, 150))
def test_more_bandwidth_is_never_slower_and_more_context_never_faster(bw, extra, ctx, more_ctx, gib):
    base = find_accelerator("NVIDIA GeForce RTX 4090")
    slow_acc = replace(base, memory_bandwidth=bw)
    fast_acc = replace(base, memory_bandwidth=bw * extra)
    arch = architecture("Llama-3-8B")
    slow = split_workload(arch, [slow_acc], gib * 2**30)
    fast = split_workload(arch, [fast_acc], gib * 2**30)
    assert decode_tokens_per_s(fast, ctx) >= decode_tokens_per_s(slow, ctx)
    assert decode_tokens_per_s(slow, ctx + more_ctx) <= decode_tokens_per_s(slow, ctx)
    bigger = split_workload(arch, [slow_acc], gib * 2**30 * extra)
    assert decode_tokens_per_s(bigger, ctx) <= decode_tokens_per_s(slow, ctx)
    assert prefill_seconds(fast, 512) <= prefill_seconds(slow, 512)


@settings(max_examples=25, deadline=None)
@given(prompt=st.integers(1, 50000), extra=st.integers(1, 20000))
def test_longer_prompts_take_longer_and_never_speed_up_per_token(prompt, extra):
    w = llama3(["Apple M2 Ultra (76-core GPU, 192 GB)"])
    assert prefill_seconds(w, prompt + extra) > prefill_seconds(w, prompt)
    assert prefill_seconds(w, prompt, past=extra) >= prefill_seconds(w, prompt)


def test_prompt_processing_rate_is_capped_per_sm_on_datacenter_gpus():
    prof = runtime_profile("llama.cpp", "cuda")
    h100 = find_accelerator("NVIDIA H100 PCIe")
    assert matmul_rate(h100, prof, "float") == pytest.approx(prof.matmul_flops_per_unit_clock_float * 114 * 1.755e9)
    rtx = find_accelerator("NVIDIA GeForce RTX 4090")
    assert matmul_rate(rtx, prof, "float") == pytest.approx(prof.matmul_efficiency_float * 330.3e12)


def test_the_estimate_reports_its_basis_and_what_bounds_it():
    est = estimate_speed(llama3(["NVIDIA GeForce RTX 3090"]), 0, 512)
    assert est.calibrated and est.bound == "memory" and est.backends == ("cuda",)
    assert "RTX 3090" in est.basis[0]
    d = est.as_dict()
    assert {"decode_tokens_per_s", "prefill_tokens_per_s", "time_to_first_token_s"} <= set(d)
    amd = estimate_speed(llama3(["AMD Radeon RX 7900 XTX"]), 0, 128)
    assert not amd.calibrated and "RX 7900 XTX" in amd.basis[0]


def test_rule_of_thumb_is_shown_for_comparison():
    assert rule_of_thumb_tokens_per_s(1008e9, 4.58 * 2**30) == pytest.approx(1008e9 / (4.58 * 2**30) * 0.55)
    with pytest.raises(PlannerError):
        rule_of_thumb_tokens_per_s(1e12, 0)


def test_every_profile_names_its_basis():
    for p in all_profiles():
        assert p.basis and 0 < p.bandwidth_efficiency <= 1
        assert 0 < p.matmul_efficiency_float <= 1 and 0 < p.matmul_efficiency_quantized <= 1


def test_bad_inputs_raise_planner_errors():
    w = llama3(["NVIDIA GeForce RTX 3090"])
    with pytest.raises(PlannerError):
        decode_seconds(w, 0)
    with pytest.raises(PlannerError):
        estimate_speed(w, -1, 10)
    with pytest.raises(UnknownNameError):
        replace(w, runtime="exllama")
    with pytest.raises(UnknownNameError):
        runtime_profile("vllm", "metal")
    with pytest.raises(PlannerError):
        SpeedWorkload(())
    with pytest.raises(PlannerError):
        llama3(["NVIDIA GeForce RTX 3090"] * 2, layers_per_device=[10, 10])

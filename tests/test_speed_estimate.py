"""Speed inside an estimate: tensors placed as the runtime places them, bytes from the formats engine."""
import json

import pytest

from conftest import run_cli
from llmplanner.core.estimate import EstimateRequest, HardwareChoice, run_estimate
from llmplanner.core.presets import find_preset
from llmplanner.core.speed import decode_tokens_per_s
from llmplanner.core.speed_estimate import build_workload


def request(preset, fmt="q4_k_m", gpu="NVIDIA GeForce RTX 3090", **kw):
    kw.setdefault("runtime", "llama.cpp")
    return EstimateRequest(find_preset(preset).architecture(), weight_format=fmt,
                           hardware=HardwareChoice(gpu, kw.pop("gpu_count", 1)), **kw).resolved()


def test_a_token_reads_every_layer_and_the_output_but_not_the_embedding_table():
    req = request("llama-3-8b")
    (dev,) = build_workload(req).devices
    report = run_estimate(req)
    embedding = 128256 * 4096 * 144 // 256  # Q4_K token_embd: 281.81 MiB, the log's CPU buffer
    assert dev.weight_bytes == pytest.approx(report.memory.weights_bytes - embedding, rel=1e-6)
    assert dev.layers == 32 and dev.output_flops == 2 * 128256 * 4096


def test_reference_runs_through_the_estimate():
    """The llama-bench rows check_reference.py scores, through the same path as ``llmplanner estimate``."""
    cases = [("q4_k_m", "NVIDIA GeForce RTX 3090", 115.42, 4030.4), ("f16", "NVIDIA GeForce RTX 4090", 54.84, 9382.0),
             ("q4_k_m", "NVIDIA A100 80GB PCIe", 140.62, 5981.04),
             ("f16", "Apple M2 Ultra (76-core GPU, 192 GB)", 36.9, 1175.4)]
    for fmt, gpu, tg512, pp512 in cases:
        decode = run_estimate(request("llama-3-8b", fmt, gpu, prompt_tokens=0, gen_tokens=512)).speed
        prefill = run_estimate(request("llama-3-8b", fmt, gpu, prompt_tokens=512, gen_tokens=0)).speed
        assert decode.decode_tokens_per_s == pytest.approx(tg512, rel=0.15), gpu
        assert prefill.prefill_tokens_per_s == pytest.approx(pp512, rel=0.25), gpu


def test_partial_offload_runs_the_first_layers_on_the_host_cpu():
    full = build_workload(request("llama-3-8b"))
    half = build_workload(request("llama-3-8b", gpu_layers=16))
    assert [d.accelerator.kind for d in half.devices] == ["cpu", "gpu"]
    assert [d.layers for d in half.devices] == [17, 15]  # -ngl 16 counts the output layer as one
    assert half.devices[1].output_flops > 0 and half.devices[0].output_flops == 0
    assert decode_tokens_per_s(half, 600) < 0.5 * decode_tokens_per_s(full, 600)


def test_moe_tokens_read_only_their_experts():
    (dev,) = build_workload(request("mixtral-8x7b-v0-1", gpu="NVIDIA H100 80GB HBM3")).devices
    assert dev.weight_bytes < 0.35 * dev.resident_bytes  # 2 of 8 experts, plus attention and the head


def test_a_tied_output_reads_the_embedding_table():
    (dev,) = build_workload(request("gemma-2-9b", fmt="f16", gpu="NVIDIA A100-SXM4-80GB")).devices
    arch = find_preset("gemma-2-9b").architecture()
    assert dev.output_flops == 2 * arch.embeddings.vocab_size * arch.hidden_size
    # the head's bytes are in what a token reads: vocab × hidden × 2 bytes
    layers_only = build_workload(request("gemma-2-9b", fmt="f16", gpu="NVIDIA A100-SXM4-80GB", gpu_layers=42)).devices
    assert sum(d.weight_bytes for d in layers_only) == pytest.approx(dev.weight_bytes, rel=1e-9)


def test_vllm_splits_each_layer_over_the_gpus_and_transformers_whole_layers():
    tp = build_workload(request("llama-3-8b", "bf16", "NVIDIA H100 80GB HBM3", runtime="vllm", gpu_count=2))
    assert tp.split == "tensor" and [d.layers for d in tp.devices] == [32, 32] and tp.flash_attention
    hf = build_workload(request("llama-3-8b", "bf16", "NVIDIA H100 80GB HBM3", runtime="transformers", gpu_count=2))
    assert hf.split == "layer" and [d.layers for d in hf.devices] == [16, 16]


def test_estimate_cli_prints_speed_with_its_basis():
    p = run_cli("estimate", "--preset", "llama-3-8b", "--format", "q4_k_m", "--runtime", "llama.cpp", "--gpu",
                "NVIDIA GeForce RTX 4090", "--context", "1024", "--prompt-tokens", "512", "--gen-tokens", "128",
                "--json")
    assert p.returncode == 0, p.stderr
    speed = json.loads(p.stdout)["speed"]
    assert speed["decode_tokens_per_s"] > 50 and speed["prefill_tokens_per_s"] > 1000
    assert speed["calibrated"] is True and speed["bound"] == "memory"

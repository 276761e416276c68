"""Every format side by side for one plan (core.format_comparison), the rounding error of a sample in many
formats (core.format_errors) and one real tensor read from a checkpoint (core.tensor_sample)."""
from dataclasses import replace

import numpy as np
import pytest
from conftest import load_data

from llmplanner.core.errors import PlannerError
from llmplanner.core.estimate import HardwareChoice as EngineHardware
from llmplanner.core.estimate import run_estimate
from llmplanner.core.format_comparison import (adapt_to_runtime, compare_formats, curve_contexts, hardware_limit,
                                               kv_formats, neighbour_formats, plan_hardware, runtime_formats)
from llmplanner.core.format_errors import Cancelled, SampleSpec, measure_errors
from llmplanner.core.formats import all_formats, get_format, weight_bytes
from llmplanner.core.machine import CpuInfo, DetectedDevice, MachineInfo
from llmplanner.core.memory.sweep import memory_curve
from llmplanner.core.plan import GpuPick, HardwareChoice, Plan, TrainingOptions, estimate_request
from llmplanner.core.presets import find_preset

GiB = 1 << 30
LLAMA3 = find_preset("Llama-3-8B").architecture()
RTX_4090 = HardwareChoice("catalogue", (GpuPick("RTX 4090"),))


def machine(gpus=(), ram=32 * GiB) -> MachineInfo:
    return MachineInfo(gpus=tuple(gpus), ram_total_bytes=ram, ram_available_bytes=ram,
                       cpu=CpuInfo("test CPU", "x86_64", 8, 16), tier="cpu-only")


def test_each_format_row_is_the_estimate_the_command_line_prints_for_that_format():
    plan = Plan(context=8192, hardware=RTX_4090)
    c = compare_formats(plan, LLAMA3)
    assert [r.format.id for r in c.rows] == [f.id for f in runtime_formats("llama.cpp", LLAMA3)]
    for row in c.rows:
        report = run_estimate(estimate_request(plan.replace(weight_format=row.format.id), LLAMA3))
        assert row.memory == report.memory
        assert row.fit.verdict == report.fit.verdict
    assert c.current.format.id == "q4_k_m"
    assert c.limit.kind == "gpu" and c.limit.total_bytes == 24 * GiB


def test_q4_k_m_of_llama_3_8b_is_what_llama_cpp_reports():
    """llama.cpp's load log for Meta-Llama-3-8B Q4_K_M at n_ctx 8192: 'model size = 4.58 GiB (4.89 BPW)',
    'KV self size = 1024.00 MiB' (tests/data/runtime_measurements.json, each log with its source)."""
    log = next(e for e in load_data("runtime_measurements.json")["llama_cpp_memory_logs"]
               if e["quant"] == "Q4_K_M" and e["n_ctx"] == 8192)
    assert log["model_size_reported"] == "4.58 GiB (4.89 BPW)"
    row = compare_formats(Plan(context=8192), LLAMA3).current
    assert round(row.bits_per_weight, 2) == 4.89
    assert round(row.memory.weights_bytes / GiB, 2) == 4.58
    assert row.memory.kv_cache_bytes == 1024 * (1 << 20)


def test_formats_are_those_the_runtime_loads_largest_first():
    for runtime in ("llama.cpp", "ollama", "transformers", "vllm"):
        formats = runtime_formats(runtime, LLAMA3)
        assert {f.id for f in formats} == {f.id for f in all_formats() if f.runs_on(runtime)}
        sizes = [weight_bytes(LLAMA3, f, runtime=runtime).total for f in formats]
        assert sizes == sorted(sizes, reverse=True)
    assert runtime_formats("transformers", LLAMA3)[0].id == "f32"


def test_switching_runtime_keeps_what_it_can_run_and_defaults_the_rest():
    plan = Plan(runtime="llama.cpp", weight_format="q4_k_m", kv_format="q8_0")
    hf = adapt_to_runtime(plan, "transformers")
    assert (hf.runtime, hf.weight_format, hf.kv_format) == ("transformers", "bf16", "f16")
    assert adapt_to_runtime(plan, "ollama").kv_format == "q8_0"
    assert adapt_to_runtime(Plan(weight_format="bf16"), "vllm").weight_format == "bf16"
    assert "q8_0" not in kv_formats("transformers") and "auto" in kv_formats("vllm")


def test_the_plans_format_and_its_neighbours_are_drawn_against_context():
    ids = ("a", "b", "c", "d", "e", "f")
    assert neighbour_formats(ids, "c") == ("b", "c", "d", "e")
    assert neighbour_formats(ids, "a") == ("a", "b", "c", "d")
    assert neighbour_formats(ids, "f") == ("c", "d", "e", "f")
    plan = Plan(context=8192)
    c = compare_formats(plan, LLAMA3, curve_formats=("f16", "q2_k", "no-such-format"))
    assert [fc.format.id for fc in c.curves] == ["f16", "q2_k"]
    ctx = curve_contexts(LLAMA3, 8192)
    assert ctx[0] == 512 and ctx[-1] == 8192 and 8192 in ctx
    expected = memory_curve(estimate_request(plan.replace(weight_format="q2_k"), LLAMA3).memory_request(), ctx)
    assert np.array_equal(c.curves[1].curve.total, expected.total)
    assert c.curves[1].curve.total[-1] == c.row("q2_k").memory.total_bytes  # the curve passes through the bar


def test_the_plans_own_problem_is_raised_with_its_field():
    with pytest.raises(PlannerError) as e:
        compare_formats(Plan(runtime="transformers", weight_format="bf16", kv_format="q8_0"), LLAMA3)
    assert e.value.field == "kv_format"
    with pytest.raises(PlannerError, match="vLLM needs a GPU") as e:
        compare_formats(Plan(runtime="vllm", weight_format="bf16"), LLAMA3)
    assert e.value.field == "gpu"


def test_a_detected_machine_becomes_the_engines_hardware():
    assert plan_hardware(Plan(), LLAMA3, machine()) == EngineHardware(ram_bytes=32 * GiB)
    cuda = [DetectedDevice(f"NVIDIA GeForce RTX 3090 #{i}", 24 * GiB, 23 * GiB, "cuda", "nvml", i,
                           catalogue_match="NVIDIA GeForce RTX 3090") for i in range(2)]
    igpu = DetectedDevice("Intel UHD", 8 * GiB, None, "xpu", "torch", integrated=True)
    hw = plan_hardware(Plan(), LLAMA3, machine(cuda + [igpu]))
    assert (hw.gpu, hw.gpu_count, hw.vram_bytes, hw.ram_bytes) == ("NVIDIA GeForce RTX 3090", 2, 24 * GiB, 32 * GiB)
    limit = hardware_limit(hw, "detected")
    assert (limit.kind, limit.count, limit.total_bytes) == ("gpu", 2, 48 * GiB)
    assert plan_hardware(Plan(hardware=RTX_4090), LLAMA3, machine(cuda)).gpu == "RTX 4090"  # the plan's pick wins
    assert hardware_limit(EngineHardware(), "catalogue") is None
    assert hardware_limit(EngineHardware(ram_bytes=16 * GiB), "detected").kind == "ram"


def test_training_modes_carry_the_plans_training_options():
    plan = Plan(mode="lora", context=2048, training=TrainingOptions(optimizer="adamw-8bit", lora_rank=64,
                                                                    zero_stage=2, gpu_count=4))
    c = compare_formats(plan, LLAMA3)
    assert c.rows == () and c.training is not None
    s = c.training.setup
    assert (s.optimizer, s.lora_rank, s.zero_stage, s.data_parallel, s.seq_len) == ("adamw-8bit", 64, 2, 4, 2048)
    assert c.training == run_estimate(estimate_request(plan, LLAMA3)).training
    with pytest.raises(PlannerError) as e:
        compare_formats(plan.replace(training=TrainingOptions(lora_targets=("qkv_proj",))), LLAMA3)
    assert e.value.field == "lora_targets"  # Llama has separate q, k, v projections


# -- measured error -------------------------------------------------------------------------------------------

class _Token:
    def __init__(self, cancel_after=None):
        self.cancelled = False
        self.calls = []
        self.cancel_after = cancel_after

    def progress(self, done, total):
        self.calls.append((done, total))
        if self.cancel_after is not None and done >= self.cancel_after:
            self.cancelled = True


def test_errors_rank_formats_by_their_bits_and_share_a_scheme_once():
    token = _Token()
    table = measure_errors(SampleSpec("student-t", size=1 << 16), ("q8_0", "q4_k_m", "q4_k_s", "q4_0", "q2_k",
                                                                    "iq2_xs", "nf4"), progress=token.progress)
    rmse = {r.format.id: r.result.rmse for r in table.rows if r.result is not None}
    assert rmse["q8_0"] < rmse["q4_k_m"] < rmse["q4_0"] < rmse["q2_k"]
    assert rmse["q4_k_m"] == rmse["q4_k_s"]  # both are Q4_K at heart
    assert table.row("q4_k_s").result.scheme == "Q4_K" and table.row("q4_k_s").result.note == ""
    assert "not simulated" in table.row("iq2_xs").error
    assert token.calls[-1] == (7, 7)


def test_a_cancelled_measurement_stops_between_formats():
    token = _Token(cancel_after=2)
    with pytest.raises(Cancelled):
        measure_errors(SampleSpec("gaussian", size=1 << 14), ("q8_0", "q4_0", "q2_k", "q6_k"), cancel=token,
                       progress=token.progress)
    assert token.calls[-1] == (2, 4)


def write_safetensors(path, tensors: dict) -> None:
    """A checkpoint as the format specifies it (8-byte header length, JSON header, data), from
    ``name: (dtype, shape, raw bytes)``: no tensor framework needed, bfloat16 included."""
    import json
    import struct

    header, offset, blobs = {}, 0, []
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def test_a_real_tensor_is_read_alone_in_its_own_dtype(tmp_path):
    from llmplanner.core.tensor_sample import default_tensor, float_matrices, read_tensor

    rng = np.random.default_rng(0)
    down = rng.standard_normal((64, 256)).astype(np.float32)
    bf16 = (down.view(np.uint32) >> 16).astype("<u2")  # bfloat16: the upper half of a float32
    down_bf16 = (bf16.astype(np.uint32) << 16).view(np.float32)
    q = rng.standard_normal((32, 128)).astype("<f2")
    path = tmp_path / "model.safetensors"
    write_safetensors(path, {
        "model.embed_tokens.weight": ("F32", (512, 64), rng.standard_normal((512, 64)).astype("<f4").tobytes()),
        "model.layers.0.mlp.down_proj.weight": ("BF16", (64, 256), bf16.tobytes()),
        "model.layers.0.self_attn.q_proj.weight": ("F16", (32, 128), q.tobytes()),
        "model.norm.weight": ("F32", (64,), np.ones(64, "<f4").tobytes()),
        "counts": ("I32", (8, 8), np.arange(64, dtype="<i4").tobytes()),
    })
    names = [t.name for t in float_matrices(path)]
    assert "model.norm.weight" not in names and "counts" not in names
    assert default_tensor(float_matrices(path)).name == "model.layers.0.mlp.down_proj.weight"
    sample = read_tensor(path)
    assert sample.dtype == "BF16" and sample.values.dtype == np.float32
    assert np.array_equal(sample.values, down_bf16)
    part = read_tensor(path, "model.layers.0.self_attn.q_proj.weight", max_elements=1000)
    assert part.values.shape == (7, 128)  # whole rows only, from the start
    assert np.array_equal(part.values, q[:7].astype(np.float32))
    with pytest.raises(PlannerError, match="I32"):
        read_tensor(path, "counts")
    with pytest.raises(PlannerError, match="no tensor"):
        read_tensor(path, "missing.weight")
    table = measure_errors(SampleSpec("tensor", path=str(path)), ("q4_0", "q4_k_m"))
    assert table.sample.tensor == "model.layers.0.mlp.down_proj.weight"
    assert table.row("q4_0").result.n == 64 * 256
    assert table.row("q4_k_m").result is not None  # rows of 256 hold k-quant super-blocks


def test_a_format_the_models_shapes_cannot_take_comes_last_with_its_reason():
    from llmplanner.core.hf_config import load_config
    from conftest import DATA

    tiny = load_config(DATA / "tiny_llama" / "config.json")  # hidden 256, FFN 688: not whole 256-blocks
    c = compare_formats(Plan(context=512), tiny)
    failed = [r for r in c.rows if r.error is not None]
    assert failed and c.rows[-len(failed):] == tuple(failed)
    assert all(r.memory is None for r in failed)
    assert c.current.memory is not None


def test_a_tensor_sample_needs_a_file():
    with pytest.raises(PlannerError):
        SampleSpec("tensor")
    with pytest.raises(PlannerError):
        SampleSpec("uniform")
    assert replace(SampleSpec(), seed=3).seed == 3
    assert get_format("Q4_K_M").id == "q4_k_m"

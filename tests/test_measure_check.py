"""The measured check: transformers builds the plan's model with random weights here and we measure it.

The model is tiny so the suite stays fast; the properties checked (weights and KV cache to the byte, peak memory
at least the weights, scaling keeps widths, progress and cancellation) hold at any size.
"""
import dataclasses

import pytest

from conftest import DATA
from llmplanner.core.errors import PlannerError
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.model_source import LoadedModel, load_model
from llmplanner.core.params import count_params
from llmplanner.core.presets import all_presets
from llmplanner.measure import CheckCancelled, CheckOptions, CheckState, run_check
from llmplanner.measure import hf_model

TINY = str(DATA / "tiny_llama" / "config.json")
PROMPT, GEN = 48, 8


@pytest.fixture(scope="module")
def tiny_run():
    events = []
    state = CheckState(lambda percent, text: events.append((percent, text)))
    result = run_check(load_model("config", TINY), CheckOptions(device="cpu", prompt_tokens=PROMPT, gen_tokens=GEN),
                       state)
    return result, events


def test_the_tiny_model_is_built_whole_with_the_parameters_we_count(tiny_run):
    r, _ = tiny_run
    arch = load_model("config", TINY).architecture
    assert (r.layers_built, r.layers_total, r.scaled) == (2, 2, False)
    assert r.params_built == r.params_expected == count_params(arch).total
    assert r.weights_bytes == 4 * r.params_built  # f32 by default on the CPU
    assert (r.device, r.backend, r.format, r.model_type) == ("cpu", "cpu", "f32", "llama")


def test_kv_cache_holds_prompt_and_generated_tokens_to_the_byte(tiny_run):
    r, _ = tiny_run
    layers, kv_heads, head_dim, fp32 = 2, 4, 256 // 8, 4
    assert r.kv_cache_bytes == 2 * layers * kv_heads * head_dim * (PROMPT + GEN) * fp32


def test_peak_memory_covers_the_weights_and_speeds_are_measured(tiny_run):
    r, _ = tiny_run
    assert r.peak_memory_bytes >= r.weights_bytes
    assert r.prefill_tokens_per_s > 0 and r.decode_tokens_per_s > 0
    assert r.prefill_seconds > 0 and r.decode_seconds > 0
    assert r.decode_bytes_per_s > 0 and r.prefill_flops_per_s > 0
    assert "resident memory" in r.memory_method


def test_progress_rises_to_100_and_says_what_runs(tiny_run):
    _, events = tiny_run
    percents = [p for p, _ in events]
    assert percents == sorted(percents) and percents[-1] == 100
    texts = " | ".join(t for _, t in events)
    for step in ("building 2 layers", "warming up", f"prefill of {PROMPT} tokens", f"decoding token {GEN} of {GEN}"):
        assert step in texts


def test_result_as_dict_is_plain_json(tiny_run):
    import json

    d = json.loads(json.dumps(tiny_run[0].as_dict()))
    assert d["scaled"] is False and d["peak_memory_bytes"] >= d["weights_bytes"]
    assert "built_architecture" not in d


def _config_dict(tmp_path, layers):
    import json

    cfg = json.loads((DATA / "tiny_llama" / "config.json").read_text())
    cfg["num_hidden_layers"] = layers
    path = tmp_path / "config.json"
    path.write_text(json.dumps(cfg))
    return str(path)


def test_a_model_too_big_for_the_memory_is_built_with_fewer_layers_and_says_so(tmp_path):
    model = load_model("config", _config_dict(tmp_path, 8))
    arch = model.architecture
    three = hf_model.scaled_architecture(arch, 3)
    budget = hf_model.build_bytes_bound(three, 4, 16 + 2)  # room for 3 of the 8 layers
    r = run_check(model, CheckOptions(device="cpu", prompt_tokens=16, gen_tokens=2, memory_budget_bytes=budget))
    assert (r.layers_built, r.layers_total, r.scaled) == (3, 8, True)
    assert r.params_built == count_params(three).total
    assert r.built_architecture.hidden_size == arch.hidden_size and r.built_architecture.num_layers == 3
    assert any("scaled: built 3 of 8 layers" in n for n in r.notes)


def test_max_layers_builds_a_quicker_scaled_model(tmp_path):
    r = run_check(load_model("config", _config_dict(tmp_path, 4)),
                  CheckOptions(device="cpu", prompt_tokens=8, gen_tokens=2, max_layers=1, format="bf16"))
    assert (r.layers_built, r.layers_total, r.format, r.dtype) == (1, 4, "bf16", "bfloat16")
    assert r.weights_bytes == 2 * r.params_built
    assert any("--max-layers 1" in n for n in r.notes)


def test_cancel_stops_the_check():
    state = CheckState()

    def on_progress(percent, text):
        if text == "warming up":
            state.request_interruption()

    state._on_progress = on_progress
    with pytest.raises(CheckCancelled):
        run_check(load_model("config", TINY), CheckOptions(device="cpu", prompt_tokens=8, gen_tokens=2), state)
    assert not _sampler_threads()  # the memory meter stopped with it


def _sampler_threads():
    import threading

    return [t for t in threading.enumerate() if t.name == "llmplanner-rss-sampler" and t.is_alive()]


def test_running_out_of_memory_is_reported_with_what_to_change(monkeypatch):
    from llmplanner.measure import check

    def no_memory(*args, **kwargs):
        raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 68719476736 bytes.")

    monkeypatch.setattr(check, "_build", no_memory)
    with pytest.raises(check.CheckOutOfMemory, match="ran out of memory on cpu.*--max-layers"):
        run_check(load_model("config", TINY), CheckOptions(device="cpu", prompt_tokens=8, gen_tokens=2))
    assert not _sampler_threads()


@pytest.mark.parametrize("options, message", [
    (CheckOptions(device="cpu", format="q4_k_m"), "quantised or unknown format"),
    (CheckOptions(device="cuda"), "device cuda is not available"),
    (CheckOptions(device="tpu"), "unknown device 'tpu'"),
    (CheckOptions(device="cpu", prompt_tokens=2000, gen_tokens=100), "exceed"),
])
def test_bad_requests_are_planner_errors(options, message):
    import torch

    if message.startswith("device cuda") and torch.cuda.is_available():
        options = dataclasses.replace(options, device="cuda:99")
        message = "does not exist"
    with pytest.raises(PlannerError, match=message):
        run_check(load_model("config", TINY), options)


def test_an_encoder_has_nothing_to_generate():
    with pytest.raises(PlannerError, match="encoder"):
        run_check(load_model("preset", "bert-base-uncased"), CheckOptions(device="cpu"))


CAUSAL_PRESETS = [p.name for p in all_presets() if p.architecture().causal]


def _meta_params(cfg):
    import torch

    from llmplanner.measure.check import _build, _prepare

    config, cls = _prepare(cfg, torch)
    return sum(p.numel() for p in _build(config, cls, torch.float16, "meta", 0, torch).parameters())


@pytest.mark.parametrize("name", CAUSAL_PRESETS)
def test_every_causal_preset_is_built_by_transformers_scaled_to_two_layers_exactly(name):
    model = load_model("preset", name)
    cfg, origin, notes = hf_model.config_for_check(model)
    # a multimodal preset (Gemma 3) is built as the language model of its text_config, and says so
    multimodal = isinstance(next(p for p in all_presets() if p.name == name).config.get("text_config"), dict)
    assert origin.startswith("preset") and bool(notes) == multimodal
    assert all("language model" in n for n in notes)
    built = _meta_params(hf_model.scale_config(cfg, 2))
    assert built == count_params(hf_model.scaled_architecture(model.architecture, 2)).total


@pytest.mark.parametrize("name", ["Llama-3-8B", "Mistral-7B-v0.1", "Mixtral-8x7B-v0.1", "Qwen2.5-7B",
                                  "Phi-3-mini-4k-instruct"])
def test_a_model_without_config_gets_an_equivalent_one_with_the_same_parameters(name):
    arch = load_model("preset", name).architecture
    cfg, origin, notes = hf_model.config_for_check(LoadedModel(arch, "gguf", "model.gguf"))
    assert "equivalent" in origin and "carries no config.json" in notes[0]
    assert _meta_params(hf_model.scale_config(cfg, 2)) == count_params(hf_model.scaled_architecture(arch, 2)).total


SMALL_MLA_MOE = dict(model_type="deepseek_v3", hidden_size=256, num_hidden_layers=3, num_attention_heads=4,
                     num_key_value_heads=4, q_lora_rank=64, kv_lora_rank=32, qk_rope_head_dim=16, qk_nope_head_dim=32,
                     v_head_dim=32, n_routed_experts=8, num_experts_per_tok=2, moe_intermediate_size=64,
                     intermediate_size=512, first_k_dense_replace=1, n_shared_experts=1, vocab_size=1000, n_group=1,
                     topk_group=1, max_position_embeddings=4096)
SMALL_SHARED_MOE = dict(model_type="qwen2_moe", hidden_size=256, num_hidden_layers=3, num_attention_heads=4,
                        num_key_value_heads=2, num_experts=8, num_experts_per_tok=2, moe_intermediate_size=64,
                        shared_expert_intermediate_size=128, intermediate_size=512, vocab_size=1000,
                        decoder_sparse_step=1, max_position_embeddings=4096)


@pytest.mark.parametrize("cfg", [SMALL_MLA_MOE, SMALL_SHARED_MOE], ids=["mla-moe", "shared-expert-moe"])
@pytest.mark.parametrize("layers", [3, 2, 1])
def test_equivalent_configs_for_mla_and_shared_expert_moe_and_their_scaling(cfg, layers):
    arch = architecture_from_config(cfg, name=cfg["model_type"])
    eq, _origin, _notes = hf_model.config_for_check(LoadedModel(arch, "gguf", "model.gguf"))
    expected = count_params(hf_model.scaled_architecture(arch, layers)).total
    assert _meta_params(hf_model.scale_config(eq, layers)) == expected


def test_where_the_equivalent_differs_the_check_says_how(tmp_path):
    """GPT-2 has a plain two-matrix MLP and LayerNorm biases: the Llama equivalent is not the same model."""
    arch = load_model("preset", "GPT-2").architecture
    r = run_check(LoadedModel(arch, "gguf", "gpt2.gguf"),
                  CheckOptions(device="cpu", prompt_tokens=8, gen_tokens=2, max_layers=1))
    assert any("transformers built" in n and "where the architecture counts" in n for n in r.notes)
    assert r.params_built != r.params_expected

"""The built-in presets: real models whose exact published counts we reproduce, each with its sources."""
import json

import pytest

from conftest import load_data, run_cli
from llmplanner.cli import main
from llmplanner.core.hub import validate_repo_id
from llmplanner.core.params import count_params
from llmplanner.core.presets import TAGS, all_presets, find_preset, slug
from llmplanner.core.resources import resource

PRESETS = all_presets()
IDS = [p.name for p in PRESETS]


def test_there_are_at_least_32_real_models():
    assert len(PRESETS) >= 32
    assert len({p.name for p in PRESETS}) == len(PRESETS)


@pytest.mark.parametrize("preset", PRESETS, ids=IDS)
def test_count_equals_the_published_total(preset):
    assert count_params(preset.architecture()).total == preset.total_params


@pytest.mark.parametrize("preset", PRESETS, ids=IDS)
def test_every_preset_names_its_sources(preset):
    assert len(preset.config_source) > 20 and len(preset.params_source) > 20
    assert validate_repo_id(preset.hf_repo) == preset.hf_repo
    assert preset.file == slug(preset.name) + ".json"
    data = json.loads(resource("presets", preset.file).read_text(encoding="utf-8"))
    assert set(data) == {"name", "hf_repo", "tags", "config", "config_source", "total_params", "params_source"}


@pytest.mark.parametrize("preset", PRESETS, ids=IDS)
def test_tags_follow_their_definitions(preset):
    """small < 4B parameters, moe = routed experts, long-context >= 100k tokens, multimodal = vision encoder."""
    arch = preset.architecture()
    assert set(preset.tags) <= set(TAGS)
    assert ("small" in preset.tags) == (preset.total_params < 4_000_000_000)
    assert ("moe" in preset.tags) == arch.is_moe
    assert ("long-context" in preset.tags) == (arch.max_context >= 100_000)
    assert ("multimodal" in preset.tags) == isinstance(preset.config.get("vision_config"), dict)


def test_the_reference_models_are_all_presets():
    for model in load_data("reference_models.json")["models"]:
        preset = find_preset(model["hf_repo"])
        assert preset.total_params == model["total_params"], model["name"]


@pytest.mark.parametrize("name", [
    "Llama-3.1-8B", "Llama-3.1-70B", "Llama-3.1-405B", "Llama-3.2-1B", "Llama-3.2-3B", "Llama-3.3-70B-Instruct",
    "Qwen2.5-0.5B", "Qwen2.5-1.5B", "Qwen2.5-3B", "Qwen2.5-14B", "Qwen2.5-32B", "Qwen2.5-72B",
    "Qwen3-0.6B", "Qwen3-4B", "Qwen3-8B", "Qwen3-32B", "Qwen3-30B-A3B", "Qwen3-235B-A22B",
    "Gemma-2-2B", "Gemma-2-27B", "Gemma-3-1B-it", "Gemma-3-4B-it", "Gemma-3-12B-it", "Gemma-3-27B-it",
    "Phi-3-mini-4k-instruct", "Phi-4", "Mistral-7B-v0.3", "Mistral-Nemo-Instruct-2407", "Mixtral-8x22B-v0.1",
    "DeepSeek-V3", "DeepSeek-V2-Lite", "GPT-2-medium", "GPT-2-large", "GPT-2-xl", "Falcon-7B", "OLMo-2-1124-7B",
    "StarCoder2-7B",
])
def test_the_families_the_planner_promises_are_there(name):
    assert find_preset(name).name == name


def test_gemma3_multimodal_presets_count_the_language_model_of_their_text_config():
    preset = find_preset("Gemma-3-4B-it")
    assert "text_config" in preset.config and preset.family == "gemma3_text"
    arch = preset.architecture()
    assert arch.attention.head_dim == 256 and arch.attention.head_dim * arch.attention.num_heads != arch.hidden_size
    assert any("vision" in n for n in arch.notes)


def test_mistral_nemo_head_dim_differs_from_hidden_over_heads():
    att = find_preset("Mistral-Nemo-Instruct-2407").architecture().attention
    assert att.head_dim == 128 and 5120 // att.num_heads == 160


def test_deepseek_v3_active_parameters_match_the_paper():
    """DeepSeek-V3 technical report (arXiv:2412.19437) §1: 671B total, 37B activated per token."""
    count = count_params(find_preset("DeepSeek-V3").architecture())
    assert int(count.total / 1e9) == 671 and int(count.active / 1e9) == 37


def test_presets_command_filters_by_tag_and_family(capsys):
    assert main(["presets", "--tag", "moe", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all("moe" in r["tags"] and r["active_params"] < r["total_params"] for r in rows)
    assert main(["presets", "--tag", "small", "--tag", "long-context", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"Llama-3.2-1B", "Llama-3.2-3B"} <= {r["name"] for r in rows}
    assert main(["presets", "--family", "qwen3", "--json"]) == 0
    assert {r["family"] for r in json.loads(capsys.readouterr().out)} == {"qwen3"}


def test_unknown_tag_is_one_line_with_a_suggestion():
    p = run_cli("presets", "--tag", "smal")
    assert p.returncode == 2 and p.stdout == "" and "did you mean small" in p.stderr

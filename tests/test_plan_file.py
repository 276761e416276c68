"""Plans: the shared dataclass, its .llmplan file (atomic, versioned) and what a damaged file does."""
import json
import os

import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.plan import (FORMAT_VERSION, GpuPick, HardwareChoice, ModelSource, Plan, SamplingChoice,
                                  TrainingOptions, load_plan, plan_from_dict, plan_to_dict, save_plan)
from llmplanner.core.presets import find_preset


def rich_plan() -> Plan:
    """A plan with every field away from its default, and an edited architecture."""
    arch = find_preset("Mixtral-8x7B-v0.1").architecture()
    edited = arch.replace(name="Mixtral with 12 layers", num_layers=12)
    return Plan(
        name="My fine-tune",
        model=ModelSource.custom(edited, "preset: Mixtral-8x7B-v0.1"),
        compare=ModelSource.preset("Llama-3-8B"),
        runtime="vllm", weight_format="nf4", kv_format="q8_0", context=32768, batch=4, mode="qlora",
        training=TrainingOptions(optimizer="adamw-8bit", recompute="full", lora_rank=64,
                                 lora_targets=("q_proj", "v_proj"), zero_stage=2, gpu_count=2),
        hardware=HardwareChoice("catalogue", (GpuPick("NVIDIA RTX 4090", 2),), 64 * 2**30),
        sampling=SamplingChoice("vllm", {"temperature": 0.7, "top_p": 0.9, "stop": ["</s>"]}),
    )


def test_a_plan_round_trips_through_its_file(tmp_path):
    plan = rich_plan()
    path = tmp_path / "plan.llmplan"
    save_plan(plan, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == plan_to_dict(plan)
    assert data["format_version"] == FORMAT_VERSION
    assert data["model"]["architecture"]["num_layers"] == 12
    loaded = load_plan(path)
    assert loaded.plan == plan
    assert loaded.notices == ()
    save_plan(loaded.plan, tmp_path / "again.llmplan")
    assert (tmp_path / "again.llmplan").read_bytes() == path.read_bytes()


def test_the_default_plan_round_trips_without_notices():
    plan, notices = plan_from_dict(plan_to_dict(Plan()))
    assert plan == Plan() and notices == []


def test_saving_leaves_no_temporary_file_and_replaces_the_old_one(tmp_path):
    path = tmp_path / "p.llmplan"
    path.write_text("old")
    save_plan(Plan(name="new"), path)
    assert load_plan(path).plan.name == "new"
    assert sorted(os.listdir(tmp_path)) == ["p.llmplan"]


def test_a_failed_save_keeps_the_previous_file(tmp_path):
    path = tmp_path / "p.llmplan"
    save_plan(Plan(name="kept"), path)
    blocker = tmp_path / "p.llmplan" / "x"  # a path under a file cannot be created
    with pytest.raises(PlannerError, match="cannot write"):
        save_plan(Plan(name="lost"), blocker)
    assert load_plan(path).plan.name == "kept"


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("{not json", "corrupt .*line 1"),
    ('{"format_version": 1, "context": NaN}', "corrupt"),
    ("[1, 2]", "not an llmplanner plan"),
    ('{"name": "no version"}', "no format_version"),
    ('{"format_version": "1"}', "format_version must be"),
])
def test_a_damaged_file_is_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "bad.llmplan"
    path.write_text(content)
    with pytest.raises(PlannerError, match=message) as info:
        load_plan(path)
    assert str(path) in str(info.value)


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "bad.llmplan"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(PlannerError, match="not UTF-8"):
        load_plan(path)


def test_a_plan_from_a_newer_version_is_refused():
    with pytest.raises(PlannerError, match="newer llmplanner"):
        plan_from_dict({"format_version": FORMAT_VERSION + 1, "name": "from the future"})


def test_missing_fields_take_defaults_with_one_notice():
    plan, notices = plan_from_dict({"format_version": 1, "name": "old plan", "context": 2048})
    assert plan == Plan(name="old plan", context=2048)
    assert len(notices) == 1 and "runtime" in notices[0] and "model" in notices[0]


def test_invalid_values_take_defaults_and_name_the_field():
    data = plan_to_dict(rich_plan())
    data["context"] = -5
    data["runtime"] = "my-engine"
    data["training"]["zero_stage"] = 7
    plan, notices = plan_from_dict(data)
    assert plan.context == Plan().context and plan.runtime == Plan().runtime
    assert plan.training.zero_stage == 0 and plan.training.lora_rank == 64  # the rest of the section stays
    text = "\n".join(notices)
    assert "'context'" in text and "'runtime'" in text and "'training.zero_stage'" in text


def test_a_preset_that_no_longer_exists_loads_with_a_notice():
    data = plan_to_dict(Plan(name="x"))
    data["model"] = {"kind": "preset", "value": "Llama-3-8B-Turbo-Deluxe"}
    data["compare"] = {"kind": "preset", "value": "Gone-Model"}
    plan, notices = plan_from_dict(data)
    assert plan.model == ModelSource.preset("Llama-3-8B")
    assert plan.compare is None
    assert any("Llama-3-8B-Turbo-Deluxe" in n and "no longer exists" in n for n in notices)
    assert any("Gone-Model" in n and "comparison is dropped" in n for n in notices)


def test_an_invalid_custom_architecture_is_named_in_the_notice():
    data = plan_to_dict(rich_plan())
    data["model"]["architecture"]["attention"]["num_kv_heads"] = 3
    plan, notices = plan_from_dict(data)
    assert plan.model.kind == "preset"
    assert any("attention.num_kv_heads" in n for n in notices)


def test_plan_fields_are_validated():
    with pytest.raises(PlannerError, match="context"):
        Plan(context=0)
    with pytest.raises(PlannerError, match="runtime"):
        Plan(runtime="tgi")
    with pytest.raises(PlannerError, match="custom model needs its architecture"):
        ModelSource("custom", "x")
    with pytest.raises(PlannerError, match="sampling.settings"):
        SamplingChoice("hf", {"temperature": float("nan")})


def test_a_plan_is_a_value():
    plan = rich_plan()
    with pytest.raises(TypeError):
        plan.sampling.settings["temperature"] = 2.0
    assert plan.replace(context=1024).context == 1024 and plan.context == 32768


def test_an_oversized_file_is_not_read(tmp_path):
    path = tmp_path / "huge.llmplan"
    with open(path, "wb") as f:
        f.seek(17 << 20)
        f.write(b"\0")
    with pytest.raises(PlannerError, match="far larger than a plan"):
        load_plan(path)

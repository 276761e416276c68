"""The machine a recommendation is for: detected machines and catalogue picks, in the engines' terms."""
import pytest

from fake_machines import A100_80, GIB, MIB, RTX_3060, RTX_4090, SMALL_CPU, UNKNOWN, apple, machine
from llmplanner.core.errors import PlannerError, UnknownNameError
from llmplanner.core.hardware import find_accelerator
from llmplanner.core.speed_estimate import DEFAULT_HOST
from llmplanner.core.target import target_from_catalogue, target_from_machine, target_from_memory


def test_a_detected_gpu_plans_with_the_drivers_memory_and_the_catalogues_speeds():
    t = target_from_machine(machine([RTX_4090]))
    assert t.accelerator.name == "NVIDIA GeForce RTX 4090" and t.can_time
    assert t.gpu_count == 1 and t.gpu_memory_bytes == 24564 * MIB  # nvidia-smi's figure, not the nominal 24 GiB
    assert t.ram_bytes == 64 * GIB and t.tier.tier == "16-24GB"
    assert "RTX 4090" in t.label and "64.0 GiB RAM" in t.label


def test_two_gpus_of_one_model_are_both_planned_for():
    t = target_from_machine(machine([A100_80, A100_80]))
    assert t.gpu_count == 2 and t.tier.tier == "40GB+" and t.label.startswith("2 × ")


def test_mixed_gpus_plan_for_the_model_holding_most_memory_and_say_so():
    t = target_from_machine(machine([RTX_3060, RTX_4090]))
    assert t.gpu_count == 1 and t.accelerator.name == "NVIDIA GeForce RTX 4090"
    assert any("RTX 3060" in n and "left out" in n for n in t.notes)


def test_a_gpu_outside_the_catalogue_keeps_its_memory_and_has_no_speeds():
    t = target_from_machine(machine([UNKNOWN]))
    assert t.accelerator is None and t.has_gpu and not t.can_time
    assert t.gpu_memory_bytes == 16 * GIB
    assert any("not in the hardware catalogue" in n for n in t.notes)


def test_memory_held_by_other_processes_is_noted():
    t = target_from_machine(machine([RTX_4090], free=12 * GIB))
    assert any("free now" in n for n in t.notes)


def test_a_cpu_only_machine_is_timed_on_its_own_cores_and_vector_unit():
    t = target_from_machine(machine(cpu=SMALL_CPU, ram=24 * GIB))
    assert not t.has_gpu and t.tier.tier == "cpu-only" and t.can_time
    base = find_accelerator(DEFAULT_HOST)
    assert t.host.compute_units == 2 and t.host.architecture == "avx2"
    assert t.host.memory_bandwidth == base.memory_bandwidth  # memory speed is not detectable: the default's
    assert t.host.fp32_flops == pytest.approx(2 * base.clock_hz * 32)  # 2 cores × clock × AVX2's 32 FLOP/cycle
    assert any("memory speed cannot be detected" in n for n in t.notes)
    assert t.ram_bytes == 24 * GIB


def test_apple_silicon_plans_with_metals_working_set_of_its_unified_memory():
    t = target_from_machine(apple())
    assert t.accelerator.kind == "soc" and t.accelerator.memory_bytes == 32 * GIB
    assert t.gpu_memory_bytes == 21845 * MIB and t.ram_bytes == 32 * GIB


def test_catalogue_picks_what_if_i_buy():
    t = target_from_catalogue("RTX 4090", 2, 128 * GIB)
    assert t.source == "catalogue" and t.gpu_count == 2 and t.gpu_memory_bytes == 24 * GIB
    assert t.tier.tier == "40GB+"  # two cards of one back-end add up (detect.decide_tier)
    cpu = target_from_catalogue(None, ram_bytes=32 * GIB)
    assert not cpu.has_gpu and cpu.tier.tier == "cpu-only" and cpu.host.id == DEFAULT_HOST
    mac = target_from_catalogue("Apple M2 Ultra (76-core GPU)", ram_bytes=192 * GIB)
    assert mac.gpu_memory_bytes == 192 * GIB * 3 // 4


def test_catalogue_picks_refuse_what_does_not_exist():
    with pytest.raises(UnknownNameError):
        target_from_catalogue("RTX 9999")
    with pytest.raises(PlannerError, match="unified memory"):
        target_from_catalogue("Apple M2 Ultra (76-core GPU)", ram_bytes=100 * GIB)
    with pytest.raises(PlannerError):
        target_from_catalogue("RTX 4090", 0)
    assert target_from_memory(12 * GIB).gpu_memory_bytes == 12 * GIB


def test_a_chosen_cpu_platform_gives_this_cpu_its_memory_system():
    t = target_from_machine(machine(cpu=SMALL_CPU), host="cpu-ddr4-3200-2ch")
    assert t.host.memory_bandwidth == find_accelerator("cpu-ddr4-3200-2ch").memory_bandwidth
    assert t.host.compute_units == 2  # still this machine's cores
    assert any("as chosen" in n for n in t.notes)

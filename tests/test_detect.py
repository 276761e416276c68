"""Detection layer by layer, with fake NVML and torch modules standing in for machines we do not have."""
import json
import platform
import sys
import types
from importlib.machinery import ModuleSpec

import pytest

from conftest import load_data
from fake_devices import (GIB, MIB, FakeCudaDevice, FakeGpu, cpu_only_torch, fake_pynvml, fake_torch,
                          probe_with)
from llmplanner.core import detect as detect_mod
from llmplanner.core import detect_apple
from llmplanner.core.detect import detect
from llmplanner.core.errors import UnknownNameError

RTX_4090 = FakeGpu("NVIDIA GeForce RTX 4090", 24564 * MIB, 23000 * MIB, (8, 9),
                   "GPU-5e5b2d0e-1a2b-4c3d-8e9f-0123456789ab", "00000000:01:00.0")
RTX_3060 = FakeGpu("NVIDIA GeForce RTX 3060", 12288 * MIB, 12000 * MIB, (8, 6),
                   "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "00000000:02:00.0")


@pytest.fixture
def no_catalogue(monkeypatch):
    """The hardware catalogue belongs to another part of the project: these tests run without it."""
    monkeypatch.setattr(detect_mod, "CATALOGUE_MODULE", "llmplanner.core._no_such_catalogue")


@pytest.fixture
def linux(monkeypatch):
    monkeypatch.setattr(platform, "system", lambda: "Linux")


def use_nvml(monkeypatch, module):
    monkeypatch.setitem(sys.modules, "pynvml", module)


def torch_device(g: FakeGpu, free=None, integrated=0) -> FakeCudaDevice:
    """What torch reports for the same card: a smaller total (the driver's reservation), uuid without 'GPU-'."""
    return FakeCudaDevice(g.name, g.total - 330 * MIB, g.free - 500 * MIB if free is None else free,
                          g.capability[0], g.capability[1], g.uuid[4:], integrated)


def test_one_nvidia_gpu_seen_by_nvml_and_torch_is_one_device(monkeypatch, no_catalogue, linux):
    nvml = fake_pynvml([RTX_4090])
    use_nvml(monkeypatch, nvml)
    info = detect(torch_probe=probe_with(fake_torch(cuda_devices=(torch_device(RTX_4090),))))
    assert len(info.gpus) == 1
    g = info.gpus[0]
    assert g.name == "NVIDIA GeForce RTX 4090" and g.backend == "cuda" and g.source == "nvml+torch"
    assert g.memory_total_bytes == 24564 * MIB and g.memory_free_bytes == 23000 * MIB  # NVML's figures
    assert g.compute_capability == "8.9" and g.index == 0 and g.pci_bus_id == "00000000:01:00.0"
    assert g.driver == "550.54.15 (CUDA 12.4)"
    assert info.tier == "16-24GB" and info.tier_decision.usable_bytes == 24564 * MIB
    assert nvml.calls == ["init", "shutdown"]
    assert {r.name: r.status for r in info.layers}["nvml"] == "found"


def test_two_mixed_gpus_are_matched_by_uuid_whatever_order_torch_lists_them(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([RTX_3060, RTX_4090]))  # PCI order
    # CUDA's default order is fastest first: torch lists the 4090 as cuda:0
    probe = probe_with(fake_torch(cuda_devices=(torch_device(RTX_4090), torch_device(RTX_3060))))
    info = detect(torch_probe=probe)
    by_name = {g.name: g for g in info.gpus}
    assert by_name["NVIDIA GeForce RTX 4090"].index == 0 and by_name["NVIDIA GeForce RTX 3060"].index == 1
    assert by_name["NVIDIA GeForce RTX 3060"].memory_total_bytes == 12288 * MIB
    assert by_name["NVIDIA GeForce RTX 3060"].compute_capability == "8.6"
    assert all(g.source == "nvml+torch" for g in info.gpus)
    t = info.tier_decision
    assert t.usable_bytes == (24564 + 12288) * MIB and info.tier == "16-24GB"
    assert t.largest_device_bytes == 24564 * MIB


def test_a_gpu_hidden_from_torch_is_still_listed_with_a_note(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([RTX_4090, RTX_3060]))
    info = detect(torch_probe=probe_with(fake_torch(cuda_devices=(torch_device(RTX_4090),))))
    assert [g.source for g in info.gpus] == ["nvml+torch", "nvml"]
    assert any("not visible to torch" in n for n in info.notes)


def test_other_processes_holding_memory_are_noted(monkeypatch, no_catalogue, linux):
    busy = FakeGpu("NVIDIA GeForce RTX 3060", 12288 * MIB, 4096 * MIB)
    use_nvml(monkeypatch, fake_pynvml([busy]))
    info = detect(use_torch=False)
    assert info.gpus[0].memory_free_bytes == 4096 * MIB
    assert info.tier == "8-12GB"  # the tier is the card's, free memory is shown beside it
    assert any("already in use by other processes" in n for n in info.notes)


def test_rocm_gpu_through_torch(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    xtx = FakeCudaDevice("AMD Radeon RX 7900 XTX", 24 * GIB, 23 * GIB, 11, 0, "", 0, "gfx1100")
    info = detect(torch_probe=probe_with(fake_torch(version="2.4.1+rocm6.1", cuda_build=None,
                                                    hip="6.1.40091", cuda_devices=(xtx,))))
    g = info.gpus[0]
    assert (g.backend, g.source, g.compute_capability) == ("rocm", "torch", "gfx1100")
    assert g.driver == "HIP 6.1.40091"
    assert info.tier == "16-24GB"
    assert info.torch["hip"] == "6.1.40091"


def test_apple_mps_uses_metals_working_set_from_torch(monkeypatch, no_catalogue):
    sysctl = {"machdep.cpu.brand_string": "Apple M2 Pro", "hw.memsize": str(32 * GIB), "iogpu.wired_limit_mb": "0"}
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    monkeypatch.setattr(detect_apple, "_sysctl", sysctl.get)
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    metal = 22906500000  # 'recommendedMaxWorkingSetSize = 22906.50 MB' logged on an M2 Pro 32 GB
    info = detect(torch_probe=probe_with(fake_torch(version="2.5.1", cuda_build=None, mps=True,
                                                    mps_recommended=metal)))
    g = info.gpus[0]
    assert (g.name, g.backend, g.source, g.integrated) == ("Apple M2 Pro", "mps", "sysctl+torch", True)
    assert g.memory_total_bytes == 32 * GIB and g.memory_usable_bytes == metal
    assert info.tier == "16-24GB" and info.tier_decision.usable_bytes == metal
    assert info.torch["mps_available"] is True


@pytest.mark.parametrize("gib, wired_mb, usable, tier", [
    (8, "0", 8 * GIB * 2 // 3, "cpu-only"),          # 5.3 GiB: too little for the 8 GB tier
    (16, "0", 16 * GIB * 2 // 3, "8-12GB"),
    (36, "0", 36 * GIB * 2 // 3, "16-24GB"),
    (64, "0", 64 * GIB * 3 // 4, "40GB+"),
    (16, "14000", 14000 * MIB, "8-12GB"),            # the user raised the limit with sysctl
])
def test_apple_silicon_without_torch_uses_the_documented_share(monkeypatch, no_catalogue, gib, wired_mb, usable,
                                                               tier):
    sysctl = {"machdep.cpu.brand_string": "Apple M3", "hw.memsize": str(gib * GIB), "iogpu.wired_limit_mb": wired_mb}
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    monkeypatch.setattr(detect_apple, "_sysctl", sysctl.get)
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    info = detect(use_torch=False)
    assert info.gpus[0].memory_usable_bytes == usable and info.gpus[0].source == "sysctl"
    assert info.tier == tier


def test_default_apple_share_matches_metal_on_macos_13_14_and_is_a_lower_bound_later():
    for case in load_data("gpu_memory_figures.json")["apple_metal_working_set"]["cases"]:
        unified = case["unified_gib"] * GIB
        reported = case["reported"] * case["unit_bytes"]
        rule = detect_apple.default_gpu_share(unified)
        if case["era"] == "macos_13_14":
            assert rule == pytest.approx(reported, rel=2e-6), case["source"]
        else:
            assert rule <= reported, case["source"]


def test_missing_nvidia_driver_is_a_note_not_an_error(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=9))  # NVML_ERROR_DRIVER_NOT_LOADED
    info = detect(torch_probe=probe_with(cpu_only_torch()))
    nvml = {r.name: r for r in info.layers}["nvml"]
    assert nvml.status == "unavailable" and "Driver Not Loaded" in nvml.detail
    assert info.gpus == () and info.tier == "cpu-only"
    assert any("Driver Not Loaded" in n for n in info.notes)


def test_the_real_nvml_library_missing_here_is_reported():
    """This machine has no NVIDIA driver: the real nvidia-ml-py raises, and the layer says so."""
    from llmplanner.core.detect_nvml import detect_nvml

    result = detect_nvml()
    if result.report.status == "unavailable":  # no driver (this CI machine)
        assert "NVML" in result.report.detail and result.devices == ()
    else:  # a machine with an NVIDIA driver
        assert result.report.status in ("found", "none")
        assert all(d.memory_total_bytes is None or d.memory_total_bytes > 0 for d in result.devices)


def test_nvml_memory_not_supported_leaves_the_figure_unknown(monkeypatch, no_catalogue, linux):
    board = FakeGpu("NVIDIA GB10", 0, 0, (12, 1), memory_error=3)
    use_nvml(monkeypatch, fake_pynvml([board]))
    info = detect(use_torch=False)
    assert info.gpus[0].memory_total_bytes is None
    assert any("could not read its memory" in n for n in info.notes)
    assert info.tier == "cpu-only"


def test_cpu_only_torch_is_reported_as_such(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    info = detect(torch_probe=probe_with(cpu_only_torch()))
    assert info.torch["build"] == "a CPU-only build"
    assert any("CPU-only build" in n for n in info.notes)
    assert {r.name: r.status for r in info.layers}["torch"] == "none"
    assert info.tier == "cpu-only"


def test_cuda_build_without_a_gpu_says_so(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    info = detect(torch_probe=probe_with(fake_torch(version="2.5.1+cu124", cuda_build="12.4")))
    assert any("built for CUDA 12.4 but sees no GPU" in n for n in info.notes)


def test_torch_absent_is_reported(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    info = detect(torch_probe={"torch_version": None, "import_error": "ModuleNotFoundError: No module named 'torch'",
                               "seconds": 0.01})
    layer = {r.name: r for r in info.layers}["torch"]
    assert layer.status == "unavailable" and "not installed" in layer.detail
    assert info.torch is None


def test_probe_failure_is_a_failed_layer(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    info = detect(torch_probe={"probe_error": "the torch probe took longer than 1 s and was stopped"})
    assert {r.name: r.status for r in info.layers}["torch"] == "failed"
    assert any("longer than 1 s" in n for n in info.notes)


def test_intel_xpu_and_integrated_gpus(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    arc = types.SimpleNamespace(name="Intel(R) Arc(TM) A770 Graphics", total_memory=16225243136, free=16000000000,
                                is_integrated_gpu=False, driver_version="1.3.29735")
    iris = types.SimpleNamespace(name="Intel(R) Iris(R) Xe Graphics", total_memory=13 * GIB, free=12 * GIB,
                                 is_integrated_gpu=True, driver_version="1.3.29735")
    info = detect(torch_probe=probe_with(fake_torch(version="2.7.0+xpu", cuda_build=None, xpu_devices=(arc, iris))))
    assert [(g.backend, g.integrated) for g in info.gpus] == [("xpu", False), ("xpu", True)]
    assert any("integrated GPU sharing system RAM" in n for n in info.notes)
    assert info.tier_decision.largest_device_bytes == 16225243136


def test_catalogue_matches_known_devices_and_notes_unknown_ones(monkeypatch, linux):
    catalogue = types.ModuleType("llmplanner.core.hardware")
    catalogue.__spec__ = ModuleSpec("llmplanner.core.hardware", None)

    def find_accelerator(name):
        if "4090" in name:
            return types.SimpleNamespace(name="NVIDIA GeForce RTX 4090")
        raise UnknownNameError("accelerator", name, ["NVIDIA GeForce RTX 4090"])

    catalogue.find_accelerator = find_accelerator
    monkeypatch.setitem(sys.modules, "llmplanner.core.hardware", catalogue)
    use_nvml(monkeypatch, fake_pynvml([RTX_4090, FakeGpu("NVIDIA Prototype X", 10 * GIB, 10 * GIB)]))
    info = detect(use_torch=False)
    assert [g.catalogue_match for g in info.gpus] == ["NVIDIA GeForce RTX 4090", None]
    assert any("NVIDIA Prototype X is not in the hardware catalogue" in n for n in info.notes)


def test_without_the_catalogue_devices_are_shown_with_memory_only(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([RTX_3060]))
    info = detect(use_torch=False)
    assert info.gpus[0].catalogue_match is None
    assert any("hardware catalogue is not part of this build" in n for n in info.notes)


def test_as_dict_is_json_and_has_the_command_line_contract(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([RTX_4090]))
    d = json.loads(json.dumps(detect(use_torch=False).as_dict()))
    assert {"gpus", "ram_total_bytes", "ram_available_bytes", "cpu", "tier", "notes"} <= set(d)
    assert {"name", "memory_total_bytes", "memory_free_bytes", "backend", "source", "index", "compute_capability",
            "driver", "catalogue_match"} <= set(d["gpus"][0])
    assert d["tier"] == "16-24GB" and d["tier_detail"]["usable_bytes"] == 24564 * MIB


def test_no_torch_skips_the_probe(monkeypatch, no_catalogue, linux):
    use_nvml(monkeypatch, fake_pynvml([], init_error=12))
    info = detect(use_torch=False)
    assert {r.name: r.status for r in info.layers}["torch"] == "skipped"

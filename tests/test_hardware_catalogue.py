"""The accelerator catalogue: well-formed, sourced entries whose figures match the vendors' spec sheets, and
look-up by the names that NVML, torch, ROCm and macOS report."""
import math

import pytest

from llmplanner.core.errors import PlannerError, UnknownNameError
from llmplanner.core.hardware import (BACKENDS, GIB, all_accelerators, accelerators_by_vendor, apple_gpu_working_set,
                                      cpu_platform, find_accelerator)

REQUIRED = [
    # NVIDIA GeForce 20/30/40/50
    "NVIDIA GeForce RTX 2060", "NVIDIA GeForce RTX 2070", "NVIDIA GeForce RTX 2080", "NVIDIA GeForce RTX 2080 Ti",
    "NVIDIA GeForce RTX 3060 12GB", "NVIDIA GeForce RTX 3060 Ti", "NVIDIA GeForce RTX 3070", "NVIDIA GeForce RTX 3080 10GB",
    "NVIDIA GeForce RTX 3080 12GB", "NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 3090 Ti", "NVIDIA GeForce RTX 4060",
    "NVIDIA GeForce RTX 4060 Ti 8GB", "NVIDIA GeForce RTX 4060 Ti 16GB", "NVIDIA GeForce RTX 4070", "NVIDIA GeForce RTX 4070 Ti",
    "NVIDIA GeForce RTX 4070 Ti SUPER", "NVIDIA GeForce RTX 4080", "NVIDIA GeForce RTX 4080 SUPER", "NVIDIA GeForce RTX 4090",
    "NVIDIA GeForce RTX 5070", "NVIDIA GeForce RTX 5070 Ti", "NVIDIA GeForce RTX 5080", "NVIDIA GeForce RTX 5090",
    # workstation and datacenter
    "NVIDIA RTX A4000", "NVIDIA RTX A5000", "NVIDIA RTX A6000", "NVIDIA RTX 4000 Ada Generation",
    "NVIDIA RTX 5000 Ada Generation", "NVIDIA RTX 6000 Ada Generation", "NVIDIA T4", "NVIDIA A10", "NVIDIA A10G",
    "NVIDIA A40", "NVIDIA L4", "NVIDIA L40S", "NVIDIA A100 PCIe 40GB", "NVIDIA A100 PCIe 80GB", "NVIDIA A100 SXM4 40GB",
    "NVIDIA A100 SXM4 80GB", "NVIDIA H100 PCIe", "NVIDIA H100 SXM5 80GB", "NVIDIA H100 NVL", "NVIDIA H200 SXM 141GB",
    "NVIDIA B200 180GB",
    # AMD, Intel
    "AMD Radeon RX 7900 XTX", "AMD Radeon RX 7900 XT", "AMD Instinct MI210", "AMD Instinct MI250X", "AMD Instinct MI300X",
    "Intel Arc A770 16GB", "Intel Arc B580",
]
APPLE_CHIPS = [f"M{g}{tier}" for g in (1, 2, 3, 4) for tier in ("", " Pro", " Max", " Ultra")]


def test_the_catalogue_has_every_required_accelerator_and_more_than_45():
    names = {a.name for a in all_accelerators()}
    assert not [n for n in REQUIRED if n not in names]
    chips = {a.chip for a in all_accelerators() if a.vendor == "Apple"}
    assert set(APPLE_CHIPS) - {"M4 Ultra"} <= chips  # Apple made no M4 Ultra
    assert len([a for a in all_accelerators() if a.kind == "cpu"]) >= 6
    assert len(all_accelerators()) >= 45


def test_entries_are_well_formed_and_name_their_sources():
    ids = [a.id for a in all_accelerators()]
    assert len(ids) == len(set(ids))
    for a in all_accelerators():
        assert a.backend in BACKENDS, a.id
        assert a.memory_bytes > 0 and a.memory_bandwidth > 0 and a.fp16_tensor_flops > 0, a.id
        assert a.memory_stated and a.memory_type, a.id
        assert a.compute_units > 0 and a.clock_hz > 0, a.id
        urls = dict(a.sources)
        assert urls and all(u.startswith("https://") for u in urls.values()), a.id
        # every figure group has a source: one for all, or memory/bandwidth and compute separately
        assert "all" in urls or {"memory_bandwidth"} <= set(urls), a.id
        assert a.derivation, a.id
        if a.int8_tensor_ops is not None and a.kind == "gpu":
            assert a.int8_tensor_ops >= a.fp16_tensor_flops * 0.99, a.id  # INT8 never slower than FP16
        if a.fp8_tensor_flops is not None:
            assert a.fp8_tensor_flops >= a.fp16_tensor_flops * 0.99, a.id
        assert a.fp16_fp32acc_tensor_flops <= a.fp16_tensor_flops, a.id


@pytest.mark.parametrize("name, gib, gb_per_s, fp16_tflops", [
    # vendor figures: product pages / datasheets / whitepapers named in resources/hardware/*.json
    ("NVIDIA GeForce RTX 4090", 24, 1008, 330.3),     # Ada whitepaper: 330.3 dense FP16 (FP16 accumulate)
    ("NVIDIA GeForce RTX 3090", 24, 936, 142.0),      # GA102 whitepaper
    ("NVIDIA GeForce RTX 2080 Ti", 11, 616, 107.6),   # Turing whitepaper (reference clocks)
    ("NVIDIA A100 SXM4 80GB", 80, 2039, 312.0),       # A100 datasheet (624 with sparsity)
    ("NVIDIA A100 PCIe 80GB", 80, 1935, 312.0),
    ("NVIDIA H100 SXM5 80GB", 80, 3350, 989.4),       # H100 datasheet: 1979 with sparsity
    ("NVIDIA H200 SXM 141GB", 141, 4800, 989.4),
    ("NVIDIA L40S", 48, 864, 362.05),
    ("NVIDIA T4", 16, 320, 65.0),
    ("AMD Instinct MI300X", 192, 5300, 1307.4),
    ("AMD Radeon RX 7900 XTX", 24, 960, 122.8),
    ("Intel Arc A770 16GB", 16, 560, 137.6),
])
def test_figures_match_the_spec_sheets(name, gib, gb_per_s, fp16_tflops):
    a = find_accelerator(name)
    assert a.memory_bytes == gib * GIB
    assert a.memory_bandwidth == pytest.approx(gb_per_s * 1e9)
    assert a.fp16_tensor_flops == pytest.approx(fp16_tflops * 1e12)


def test_geforce_tensor_rates_follow_sms_times_clock_of_the_whitepaper():
    """GA10x/Ada/GB20x/Turing: 1024 dense FP16 FLOP per clock per SM; FP32 accumulate at half rate."""
    for a in accelerators_by_vendor("NVIDIA"):
        if a.segment != "consumer":
            continue
        derived = 1024 * a.compute_units * a.clock_hz
        assert a.fp16_tensor_flops == pytest.approx(derived, rel=0.01), a.name
        assert a.fp16_fp32acc_tensor_flops == pytest.approx(a.fp16_tensor_flops / 2), a.name


def test_apple_gpu_working_set_is_two_thirds_up_to_32_gib_and_three_quarters_above():
    # llama.cpp Metal logs (XiongjieDai notebooks): 8 GB M1 5726.63 MB, 192 GB M2 Ultra 154618.82 MB (MB = 1e6 B)
    assert apple_gpu_working_set(8 * GIB) / 1e6 == pytest.approx(5726.63, abs=0.01)
    assert apple_gpu_working_set(16 * GIB) / 1e6 == pytest.approx(11453.25, abs=0.01)
    assert apple_gpu_working_set(64 * GIB) / 1e6 == pytest.approx(51539.61, abs=0.01)
    assert apple_gpu_working_set(192 * GIB) / 1e6 == pytest.approx(154618.82, abs=0.01)
    m2u = find_accelerator("Apple M2 Ultra (76-core GPU, 192 GB)")
    assert m2u.usable_memory_bytes == apple_gpu_working_set(192 * GIB)


def test_apple_entries_state_bandwidth_cores_and_fp32_rate():
    m2u = find_accelerator("Apple M2 Ultra (76-core GPU, 192 GB)")
    assert (m2u.memory_bandwidth, m2u.compute_units) == (800e9, 76)
    assert m2u.fp32_flops == pytest.approx(27.2e12, rel=0.01)  # Apple: "27.2 teraflops"
    assert find_accelerator("Apple M1 Max (32-core GPU)").fp32_flops == pytest.approx(10.4e12, rel=0.02)
    assert find_accelerator("Apple M4 Max (40-core GPU)").memory_bandwidth == 546e9
    assert find_accelerator("Apple M4 Max (32-core GPU)").memory_bandwidth == 410e9


@pytest.mark.parametrize("reported, expected_id", [
    ("NVIDIA GeForce RTX 4090", "rtx-4090"),
    ("NVIDIA A100-SXM4-80GB", "a100-sxm4-80gb"),
    ("NVIDIA A100-SXM4-40GB", "a100-sxm4-40gb"),
    ("NVIDIA A100 80GB PCIe", "a100-pcie-80gb"),
    ("NVIDIA A100-PCIE-40GB", "a100-pcie-40gb"),
    ("NVIDIA RTX 6000 Ada Generation", "rtx-6000-ada"),
    ("NVIDIA H100 80GB HBM3", "h100-sxm"),
    ("NVIDIA H100 PCIe", "h100-pcie"),
    ("NVIDIA H100 NVL", "h100-nvl"),
    ("Tesla T4", "tesla-t4"),
    ("Tesla V100-SXM2-32GB", "tesla-v100-sxm2-32gb"),
    ("NVIDIA GeForce RTX 3060", "rtx-3060-12gb"),
    ("NVIDIA GeForce RTX 4060 Ti", "rtx-4060-ti-8gb"),
    ("nvidia geforce rtx 4060 ti 16gb", "rtx-4060-ti-16gb"),
    ("GeForce RTX 3080 12GB", "rtx-3080-12gb"),
    ("RTX  4070   Ti  Super", "rtx-4070-ti-super"),
    ("Apple M2 Ultra", "apple-m2-ultra-76c"),
    ("Apple M2 Ultra (60-core GPU, 64 GB)", "apple-m2-ultra-60c"),
    ("AMD Radeon RX 7900 XTX", "rx-7900-xtx"),
    ("Radeon RX 7900 XT", "rx-7900-xt"),
    ("AMD Instinct MI300X", "mi300x"),
    ("Intel(R) Arc(TM) A770 Graphics", "arc-a770-16gb"),
    ("rtx-5090", "rtx-5090"),
])
def test_lookup_accepts_the_names_drivers_report(reported, expected_id):
    assert find_accelerator(reported).id == expected_id


def test_a_memory_size_in_the_name_sets_the_unified_memory_of_an_apple_chip():
    a = find_accelerator("Apple M2 Ultra (76-core GPU, 192 GB)")
    assert a.memory_bytes == 192 * GIB and a.compute_units == 76
    with pytest.raises(PlannerError, match="64, 128, 192 GB"):
        find_accelerator("Apple M2 Ultra (76-core GPU, 100 GB)")


@pytest.mark.parametrize("name, suggestion", [
    ("NVIDIA GeForce RTX 4090 D", "NVIDIA GeForce RTX 4090"),   # a different card: not silently matched
    ("Quadro RTX 6000", "NVIDIA RTX 6000 Ada Generation"),
    ("NVIDIA GeForce RTX 3060 Laptop GPU", "NVIDIA GeForce RTX 3060 12GB"),
])
def test_unknown_names_raise_with_the_nearest_catalogue_names(name, suggestion):
    with pytest.raises(UnknownNameError) as e:
        find_accelerator(name)
    assert suggestion in e.value.suggestions
    assert suggestion in str(e.value)


def test_unknown_vendor_lists_the_vendors():
    with pytest.raises(UnknownNameError):
        accelerators_by_vendor("Matrox")
    assert {a.vendor for a in accelerators_by_vendor("apple")} == {"Apple"}


def test_cpu_platform_bandwidth_is_channels_times_8_bytes_times_transfer_rate():
    cpu = cpu_platform(cores=16, clock_ghz=4.5, memory_mt_s=5600, channels=2, memory_type="DDR5", simd="avx512-256")
    assert cpu.memory_bandwidth == 2 * 8 * 5600e6 == 89.6e9
    assert cpu.fp32_flops == pytest.approx(16 * 4.5e9 * 32)
    server = find_accelerator("cpu-ddr5-4800-12ch")
    assert server.memory_bandwidth == pytest.approx(12 * 8 * 4800e6)
    with pytest.raises(UnknownNameError):
        cpu_platform(cores=4, clock_ghz=3, memory_mt_s=3200, channels=2, simd="avx1024")


def test_catalogue_memory_is_binary_as_drivers_report_it():
    """A card sold as 24 GB shows 24564 MiB of 24576 in nvidia-smi: the stated GB are GiB."""
    a = find_accelerator("NVIDIA GeForce RTX 4090")
    assert a.memory_stated == "24 GB" and a.memory_bytes == 24 * 2**30
    assert math.isclose(a.memory_bytes / 2**20, 24576)

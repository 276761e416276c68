"""The tier rule: every machine maps to exactly one tier by its usable accelerator memory, every real card lands
in the tier its box names, and memory between the named ranges goes to the tier below."""
import pytest
from hypothesis import given, settings, strategies as st

from conftest import load_data
from llmplanner.core.detect import decide_tier
from llmplanner.core.machine import DetectedDevice
from llmplanner.core.tiers import GB, GIB, TIERS, tier_for_bytes

FIGURES = load_data("gpu_memory_figures.json")
MIB = 1 << 20


@pytest.mark.parametrize("bytes_, tier", [
    (0, "cpu-only"), (8 * GB - 1, "cpu-only"), (8 * GB, "8-12GB"),
    (16 * GB - 1, "8-12GB"), (16 * GB, "16-24GB"), (40 * GB - 1, "16-24GB"), (40 * GB, "40GB+"),
])
def test_every_boundary_belongs_to_the_tier_above_it(bytes_, tier):
    assert tier_for_bytes(bytes_) == tier


@pytest.mark.parametrize("gib, tier", [
    (4, "cpu-only"), (6, "cpu-only"), (8, "8-12GB"), (10, "8-12GB"), (12, "8-12GB"), (14, "8-12GB"),
    (16, "16-24GB"), (20, "16-24GB"), (24, "16-24GB"), (32, "16-24GB"), (36, "16-24GB"),
    (40, "40GB+"), (48, "40GB+"), (80, "40GB+"), (141, "40GB+"),
])
def test_cards_of_every_nominal_size_and_the_gaps_between_ranges(gib, tier):
    """A card sold as N GB carries N GiB; sizes between the named ranges (14, 32, 36) go to the tier below."""
    assert tier_for_bytes(gib * GIB) == tier


@pytest.mark.parametrize("card", FIGURES["cards"], ids=lambda c: c["name"])
def test_real_cards_land_in_the_tier_their_box_names(card):
    assert tier_for_bytes(card["nvidia_smi_mib"] * MIB) == card["tier"]
    if "torch_capacity_gib" in card:  # torch's total is smaller still (the driver's reservation)
        assert tier_for_bytes(int(card["torch_capacity_gib"] * GIB)) == card["tier"]


def test_torch_totals_of_8gb_cards_stay_in_8_to_12():
    case = FIGURES["torch_totals_of_8gb_cards"]
    for gib in case["capacities_gib"]:
        assert tier_for_bytes(int(gib * GIB)) == case["tier"], gib


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**44), st.integers(min_value=0, max_value=2**44))
def test_exactly_one_tier_and_more_memory_never_lowers_it(a, b):
    lo, hi = sorted((a, b))
    assert tier_for_bytes(lo) in TIERS
    assert TIERS.index(tier_for_bytes(lo)) <= TIERS.index(tier_for_bytes(hi))


@pytest.mark.parametrize("bad", [-1, 1.5, "8GB", None, True])
def test_nonsense_memory_is_refused(bad):
    with pytest.raises(ValueError):
        tier_for_bytes(bad)


def _gpu(name, mib, backend="cuda", **kw):
    return DetectedDevice(name=name, memory_total_bytes=mib * MIB, memory_free_bytes=mib * MIB, backend=backend,
                          source="test", memory_usable_bytes=kw.pop("usable", mib * MIB), **kw)


def test_no_accelerator_is_cpu_only_with_the_figure_zero():
    d = decide_tier([])
    assert (d.tier, d.usable_bytes, d.largest_device_bytes) == ("cpu-only", 0, 0)


def test_gpus_of_one_backend_add_up_and_the_largest_single_gpu_is_reported():
    two_3090 = [_gpu("NVIDIA GeForce RTX 3090", 24576, index=0), _gpu("NVIDIA GeForce RTX 3090", 24576, index=1)]
    d = decide_tier(two_3090)
    assert d.tier == "40GB+" and d.usable_bytes == 2 * 24576 * MIB
    assert d.largest_device_tier == "16-24GB" and d.largest_device_bytes == 24576 * MIB
    assert "added up" in d.basis and "tensor-split" in d.basis


def test_mixed_gpus_of_one_backend_add_up_between_ranges_to_the_tier_below():
    d = decide_tier([_gpu("NVIDIA GeForce RTX 4090", 24564), _gpu("NVIDIA GeForce RTX 3060", 12288)])
    assert d.usable_bytes == (24564 + 12288) * MIB  # 38.6 GB: between 24 and 40, so 16-24GB
    assert d.tier == "16-24GB"


def test_memory_of_different_backends_is_not_one_pool():
    d = decide_tier([_gpu("NVIDIA GeForce RTX 3060", 12288), _gpu("Intel Arc A770", 16 * 1024, backend="xpu")])
    assert d.tier == "16-24GB" and d.usable_bytes == 16 * GIB  # the larger back-end alone
    assert "not added: cuda" in d.basis


def test_apple_tier_uses_the_gpu_share_not_the_whole_unified_memory():
    m2 = DetectedDevice(name="Apple M2", memory_total_bytes=16 * GIB, memory_free_bytes=None, backend="mps",
                        source="sysctl", memory_usable_bytes=16 * GIB * 2 // 3, integrated=True)
    d = decide_tier([m2])
    assert d.tier == "8-12GB" and d.usable_bytes == 16 * GIB * 2 // 3
    assert "unified memory" in d.basis

"""The common advice per tier, checked against the engines (and where they disagree, ours is shown)."""
import pytest

from llmplanner.core.estimate import EstimateRequest
from llmplanner.core.presets import find_preset
from llmplanner.core.recommend import READING_TOKENS_PER_S
from llmplanner.core.tier_advice import SEED_ADVICE, check_all_tiers, tier_machines
from llmplanner.core.tiers import TIERS, tier_for_bytes


@pytest.fixture(scope="module")
def checks():
    base = EstimateRequest(arch=find_preset("Llama-3-8B").architecture(), runtime="llama.cpp", context=4096)
    return {c.tier: c for c in check_all_tiers(base)}


def test_every_tier_is_checked_on_a_floor_and_a_ceiling_machine_of_that_tier():
    assert [a.tier for a in SEED_ADVICE] == list(TIERS)
    for tier in TIERS[1:]:
        floor, ceiling = tier_machines(tier)
        assert tier_for_bytes(floor.gpu_memory_bytes) == tier == tier_for_bytes(ceiling.gpu_memory_bytes)
        assert floor.gpu_memory_bytes <= ceiling.gpu_memory_bytes
    lo, hi = tier_machines("cpu-only")
    assert not lo.has_gpu and lo.host.memory_bandwidth <= hi.host.memory_bandwidth


def test_seven_b_at_4_bits_fits_the_smallest_8gb_card(checks):
    c = checks["8-12GB"]
    assert c.format == "q4_k_m" and c.floor.startswith("NVIDIA GeForce RTX 4060 (8.0 GiB)")
    (advised,) = c.advised
    assert 6.5e9 < advised.params < 7.5e9 and advised.meets and advised.option.on_gpu
    assert c.largest_on_floor.params >= advised.params and c.agreement in ("agrees", "ours larger")


def test_70b_at_4_bits_does_not_fit_a_40gb_card_and_ours_says_what_does(checks):
    c = checks["40GB+"]
    seventy = max(c.advised, key=lambda m: m.params)
    assert seventy.preset.startswith("Llama-3") and not seventy.meets
    assert seventy.option.memory_bytes > 40 * 2**30  # 70B Q4_K_M is about 40 GiB of weights alone
    assert c.agreement == "ours smaller" and "disagree" in c.summary
    assert c.largest_on_floor is not None and c.largest_on_floor.params < seventy.params
    assert c.largest_on_ceiling.params > seventy.params  # the tier's largest card holds far more


def test_the_cpu_tier_is_about_reading_speed(checks):
    c = checks["cpu-only"]
    (advised,) = c.advised
    assert advised.params <= 3.3e9 and advised.meets
    assert advised.option.decode_tokens_per_s >= READING_TOKENS_PER_S
    assert c.largest_on_floor.option.decode_tokens_per_s >= READING_TOKENS_PER_S
    assert "reading speed" in c.summary


def test_the_checks_are_plain_data(checks):
    import json

    for c in checks.values():
        json.dumps(c.as_dict())

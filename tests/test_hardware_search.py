"""The smallest catalogue device that reaches a target decode speed."""
import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.estimate import EstimateRequest
from llmplanner.core.hardware_search import smallest_for_speed
from llmplanner.core.presets import find_preset
from llmplanner.core.recommend import evaluate
from llmplanner.core.target import target_from_catalogue


def base(model="Llama-3-8B", fmt="q4_k_m", runtime="llama.cpp"):
    return EstimateRequest(arch=find_preset(model).architecture(), runtime=runtime, weight_format=fmt, context=8192)


def test_every_pick_reaches_the_speed_and_they_come_smallest_first():
    picks = smallest_for_speed(base(), 40, limit=20)
    assert picks and all(p.decode_tokens_per_s >= 40 for p in picks)
    assert [p.memory_bytes for p in picks] == sorted(p.memory_bytes for p in picks)
    assert picks[0].tier == "8-12GB" and picks[0].kind == "gpu"  # an 8 GiB card streams a 4.6 GiB model fast


def test_devices_skipped_by_the_bounds_really_cannot_do_it():
    target = 60
    picked = {p.label for p in smallest_for_speed(base(), target, limit=1000)}
    for name in ("RTX 3060", "RTX 4060", "Apple M2 Pro (19-core GPU)", "cpu-ddr5-6400-2ch", "RTX 4090"):
        t = target_from_catalogue(name)
        o = evaluate(base(), t, "q4_k_m", with_context=False)
        reached = o.decode_tokens_per_s is not None and o.decode_tokens_per_s >= target and o.runs
        assert (t.label in picked) == (reached and (o.on_gpu or o.verdict == "cpu")), name


def test_a_speed_no_device_reaches_gives_none_and_bad_input_is_refused():
    assert smallest_for_speed(base("Llama-3.1-405B", "bf16"), 1000) == ()
    with pytest.raises(PlannerError):
        smallest_for_speed(base(), 0)

"""What fits on this machine: presets ranked by placement and size, each in the format the full table picks."""
import pytest

from llmplanner.core.errors import UnknownNameError
from llmplanner.core.estimate import EstimateRequest
from llmplanner.core.presets import find_preset
from llmplanner.core.recommend import (PLACEMENT_ORDER, candidate_formats, choose, evaluate, frontier,
                                       quality_order)
from llmplanner.core.target import target_from_catalogue
from llmplanner.core.what_fits import best_for_preset, what_fits

GIB = 1 << 30
BASE = EstimateRequest(arch=find_preset("Llama-3-8B").architecture(), runtime="llama.cpp", context=8192)
SOME = [find_preset(n) for n in ("Qwen2.5-0.5B", "Llama-3.1-8B", "Qwen2.5-32B", "Llama-3.1-70B", "Mixtral-8x7B-v0.1",
                                 "Llama-3.1-405B", "GPT-2", "BERT-base-uncased", "StarCoder2-7B", "Qwen3-30B-A3B")]


@pytest.fixture(scope="module")
def on_4090():
    return what_fits(BASE, target_from_catalogue("RTX 4090", ram_bytes=64 * GIB), presets=SOME)


def test_the_gpu_ones_come_first_then_larger_models(on_4090):
    verdicts = [PLACEMENT_ORDER.index(e.option.verdict) for e in on_4090.entries]
    assert verdicts == sorted(verdicts)
    on_gpu = [e for e in on_4090.entries if e.option.on_gpu]
    assert [e.total_params for e in on_gpu] == sorted((e.total_params for e in on_gpu), reverse=True)
    assert on_gpu[0].preset == "Qwen2.5-32B" and on_gpu[0].option.bits >= 4


def test_what_cannot_hold_the_context_or_is_not_a_generator_is_left_out_with_the_reason(on_4090):
    why = {p: (k, w) for p, k, w in on_4090.left_out}
    assert why["GPT-2"][0] == "context" and "1,024 tokens" in why["GPT-2"][1]
    assert why["BERT-base-uncased"][0] == "encoder"
    assert why["Llama-3.1-405B"] == ("fit", "does not fit in any format")


@pytest.mark.parametrize("name", ["Llama-3.1-8B", "Qwen2.5-32B", "Llama-3.1-70B", "Mixtral-8x7B-v0.1"])
def test_the_short_search_picks_what_the_full_frontier_would(name):
    target = target_from_catalogue("RTX 4090", ram_bytes=64 * GIB)
    preset = find_preset(name)
    arch = preset.architecture()
    from dataclasses import replace

    req = replace(BASE, arch=arch)
    rows = frontier(quality_order(candidate_formats("llama.cpp"), arch))
    full = [evaluate(req, target, f.id, quality=q, rank=i, assumed=a, with_context=False)
            for i, (f, _c, q, a) in enumerate(rows)]
    best, _ = choose(full)
    option, _reason = best_for_preset(preset, req, target)
    assert option.format == best.option.format and option.verdict == best.option.verdict


def test_filters_keep_presets_with_any_chosen_use():
    w = what_fits(BASE, target_from_catalogue("RTX 4090", ram_bytes=64 * GIB), tags=("code",), presets=SOME)
    assert [e.preset for e in w.entries] == ["StarCoder2-7B"]
    with pytest.raises(UnknownNameError):
        what_fits(BASE, target_from_catalogue("RTX 4090"), tags=("poetry",))


def test_a_cpu_only_machine_ranks_what_reads_fast_enough_before_what_does_not():
    w = what_fits(BASE, target_from_catalogue(None, ram_bytes=64 * GIB), presets=SOME)
    assert all(e.option.verdict == "cpu" for e in w.entries)
    moe = next(e for e in w.entries if e.preset == "Qwen3-30B-A3B")  # 3B active: fast on a CPU
    dense = next(e for e in w.entries if e.preset == "Qwen2.5-32B")
    assert w.entries.index(moe) < w.entries.index(dense)

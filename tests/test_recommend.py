"""The per-format table and the best choice, against the engines' own numbers."""
from dataclasses import replace

import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.estimate import EstimateRequest, HardwareChoice, run_estimate
from llmplanner.core.fit import fit, longest_context
from llmplanner.core.formats import get_format
from llmplanner.core.presets import find_preset
from llmplanner.core.recommend import (MIN_USEFUL_BITS, READING_TOKENS_PER_S, TRAINED_ONLY, FormatOption,
                                       candidate_formats, choose, evaluate, frontier, quality_order, recommend)
from llmplanner.core.speed_estimate import speed_for
from llmplanner.core.target import target_from_catalogue

GIB = 1 << 30


def arch(name):
    return find_preset(name).architecture()


@pytest.fixture(scope="module")
def llama3_on_4090():
    target = target_from_catalogue("RTX 4090", ram_bytes=64 * GIB)
    return recommend(EstimateRequest(arch=arch("Llama-3-8B"), runtime="llama.cpp", context=8192), target)


def test_llama3_8b_q8_0_fits_a_24_gib_card_with_the_engines_own_memory_and_speed(llama3_on_4090):
    q8 = llama3_on_4090.option("q8_0")
    assert q8.verdict == "fits"
    same = run_estimate(EstimateRequest(arch=arch("Llama-3-8B"), runtime="llama.cpp", weight_format="q8_0",
                                        context=8192, hardware=HardwareChoice("RTX 4090", ram_bytes=64 * GIB)))
    assert q8.memory_bytes == same.memory.total_bytes and q8.weights_bytes == same.memory.weights_bytes
    assert q8.decode_tokens_per_s == pytest.approx(same.speed.decode_tokens_per_s)
    assert q8.prefill_tokens_per_s == pytest.approx(same.speed.prefill_tokens_per_s)
    # llama.cpp tools/quantize/README.md (commit 311c2c9f), Llama-3.1-8B (Llama-3-8B's shapes): Q8_0 7.95 GiB
    assert q8.weights_bytes / GIB == pytest.approx(7.95, rel=0.015)


def test_the_best_choice_is_the_best_quality_format_that_fits_with_headroom(llama3_on_4090):
    rec = llama3_on_4090
    fitting = [o for o in rec.options if o.verdict == "fits"]
    assert rec.best.option == min(fitting, key=lambda o: o.quality_rank)
    assert rec.best.option.kind == "float"  # a 16-bit 8B model fits 24 GiB with room to spare
    assert "best quality that fits on the GPU with headroom" in rec.best.reason
    assert "8k context" in rec.best.reason and "tokens/s" in rec.best.reason


def test_rows_are_in_quality_order_and_carry_the_published_cost(llama3_on_4090):
    ranks = [o.quality_rank for o in llama3_on_4090.options]
    assert ranks == list(range(len(ranks)))
    q4 = llama3_on_4090.option("q4_k_m")
    q5 = llama3_on_4090.option("q5_k_m")
    assert q4.quality.model == "Llama-3-8B" and q4.quality.relative_ppl > q5.quality.relative_ppl
    assert not any(o.format in TRAINED_ONLY for o in llama3_on_4090.options)


def test_longest_context_is_the_engines_answer_for_the_verdict_it_keeps():
    target = target_from_catalogue("RTX 4060", ram_bytes=32 * GIB)
    base = EstimateRequest(arch=arch("Llama-3.1-8B"), runtime="llama.cpp", context=8192)
    o = evaluate(base, target, "q4_k_m")
    assert o.verdict == "fits"
    mreq = replace(base, weight_format="q4_k_m", hardware=target.hardware).resolved().memory_request()
    assert o.longest_context == longest_context(mreq, target.machine())
    assert 8192 < o.longest_context < 131072
    assert fit(replace(mreq, context=o.longest_context), target.machine()).verdict in ("fits", "tight")
    assert fit(replace(mreq, context=o.longest_context + 1), target.machine()).verdict not in ("fits", "tight")


def test_a_70b_model_does_not_fit_an_8_gib_card_in_any_useful_format():
    target = target_from_catalogue("RTX 4060", ram_bytes=32 * GIB)
    rec = recommend(EstimateRequest(arch=arch("Llama-3.1-70B"), runtime="llama.cpp", context=8192), target)
    assert not any(o.on_gpu for o in rec.options if o.bits >= MIN_USEFUL_BITS)
    assert rec.option("q8_0").verdict == "no"
    assert rec.option("q4_k_m").verdict in ("partial", "no")
    # the best choice can only be below 4 bits here, and says so
    assert rec.best.option.bits < MIN_USEFUL_BITS and "nothing of 4 bits or more" in rec.best.reason


def test_partial_offload_is_timed_with_the_layers_the_fit_put_on_the_gpu():
    target = target_from_catalogue("RTX 4090", ram_bytes=64 * GIB)
    base = EstimateRequest(arch=arch("Llama-3.1-70B"), runtime="llama.cpp", context=4096)
    o = evaluate(base, target, "q4_k_m")
    assert o.verdict == "partial" and 0 < o.gpu_layers < o.total_layers
    req = replace(base, weight_format="q4_k_m", hardware=target.hardware, gpu_layers=o.gpu_layers).resolved()
    assert o.decode_tokens_per_s == pytest.approx(speed_for(req, host=target.host).decode_tokens_per_s)


def test_a_cpu_only_machine_runs_from_ram_and_is_timed_on_its_cpu():
    target = target_from_catalogue("cpu-ddr5-5600-2ch", ram_bytes=32 * GIB)
    base = EstimateRequest(arch=arch("Llama-3.1-8B"), runtime="llama.cpp", context=4096)
    o = evaluate(base, target, "q4_k_m")
    assert o.verdict == "cpu" and o.gpu_bytes == 0 and o.cpu_bytes == o.memory_bytes
    # decode on a CPU is memory bound: the weights streamed at the platform's bandwidth bound it from above
    assert o.decode_tokens_per_s < target.host.memory_bandwidth / o.weights_bytes


def test_transformers_cannot_run_fp8_weights_on_the_cpu():
    target = target_from_catalogue("cpu-ddr5-5600-2ch", ram_bytes=64 * GIB)
    o = evaluate(EstimateRequest(arch=arch("Llama-3.1-8B"), runtime="transformers", context=4096), target, "fp8")
    assert o.verdict == "no" and "GPU" in o.verdict_label and o.longest_context == 0


def test_a_gpu_outside_the_catalogue_has_verdicts_but_no_speeds():
    from llmplanner.core.target import target_from_memory

    rec = recommend(EstimateRequest(arch=arch("Llama-3-8B"), runtime="llama.cpp", context=4096),
                    target_from_memory(16 * GIB, ram_bytes=32 * GIB))
    assert rec.option("q4_k_m").verdict == "fits" and rec.option("q4_k_m").decode_tokens_per_s is None
    assert "bandwidth" in rec.option("q4_k_m").speed_note
    assert rec.best is not None and "speed unknown" in rec.best.reason


def test_unmeasured_formats_never_rank_above_a_measured_one_at_least_as_wide():
    rows = quality_order(candidate_formats("transformers"), arch("Llama-3-8B"))
    for i, (f, _cost, _q, assumed) in enumerate(rows):
        if not assumed:
            continue
        for g, _c, _q2, g_assumed in rows[i + 1:]:
            assert g_assumed or g.bits < f.bits, (f.id, g.id)
    assert rows[0][0].kind == "float"


def test_the_frontier_keeps_only_formats_nothing_beats_on_bits_and_cost():
    rows = quality_order(candidate_formats("llama.cpp"), arch("Llama-3-8B"))
    front = frontier(rows)
    ids = [f.id for f, *_ in front]
    assert {"q8_0", "q6_k", "q5_k_m", "q4_k_m", "iq4_xs"} <= set(ids)
    assert not {"q5_k_s", "q5_1", "q4_0", "q4_1", "q3_k_m"} & set(ids)  # each beaten by a format no wider
    bits = [f.bits for f, *_ in front]
    assert bits == sorted(bits, reverse=True)  # along the frontier, quality falls as bits fall


def _option(fmt, verdict, decode, rank, bits=None):
    f = get_format(fmt)
    return FormatOption(format=f.id, label=f.label, bits=bits or f.bits, kind=f.kind, verdict=verdict,
                        verdict_label=verdict, gpu_layers=0, total_layers=33, weights_bytes=0, memory_bytes=0,
                        gpu_bytes=0, cpu_bytes=0, free_gpu_bytes=None, longest_context=0,
                        decode_tokens_per_s=decode, prefill_tokens_per_s=None, quality=None, quality_rank=rank,
                        context=4096)


def test_choose_prefers_the_gpu_then_quality_among_formats_fast_enough_to_read():
    opts = [_option("f16", "partial", 3.0, 0), _option("q8_0", "partial", 6.0, 1), _option("q4_k_m", "fits", 40, 2),
            _option("q2_k", "fits", 60, 3)]
    best, alt = choose(opts)
    assert best.option.format == "q4_k_m"
    assert alt.option.format == "f16" and "best quality that runs at all" in alt.reason


def test_choose_below_reading_speed_takes_the_fastest_useful_format():
    opts = [_option("q8_0", "partial", 2.0, 0), _option("q4_k_m", "partial", 4.0, 1), _option("iq2_xs", "fits", 30, 2)]
    best, _ = choose(opts)
    assert best.option.format == "q4_k_m" and "nothing reaches reading speed" in best.reason
    assert READING_TOKENS_PER_S == pytest.approx(238 / 60 * 4 / 3)


def test_choose_with_nothing_runnable_has_no_answer():
    assert choose([_option("q4_k_m", "no", None, 0)]) == (None, None)


def test_recommend_refuses_training_modes():
    with pytest.raises(PlannerError, match="inference"):
        recommend(EstimateRequest(arch=arch("Llama-3-8B"), mode="lora"), target_from_catalogue("RTX 4090"))

"""What the Sampling tab draws, computed without Qt: the bars before and after, where each sampler's cut-off
line goes, the four engines side by side, the draws; plan-file settings and typed token references."""
import json
import math

import numpy as np
import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.sampling import (Distribution, SamplerSettings, compare_engines, draw, find_preset, run_chain,
                                      zipf_distribution)
from llmplanner.core.sampling.presets import RECOMMENDED
from llmplanner.core.sampling.settings import settings_from_json, settings_to_json
from llmplanner.core.sampling.token_refs import parse_logit_bias, parse_token_list
from llmplanner.core.sampling.view import bars_view, compare_view, draws_view, stage_summaries, top_ids


@pytest.fixture(scope="module")
def zipf():
    return zipf_distribution(5000, 0.3, 1.1)


def test_top_ids_are_the_most_probable_with_ties_by_lower_id():
    probs = np.array([0.1, 0.3, 0.2, 0.3, 0.1], dtype=np.float32)
    assert top_ids(np.arange(5), probs, 3).tolist() == [1, 3, 2]
    assert top_ids(np.arange(5), probs, 4).tolist() == [1, 3, 2, 0]


def test_the_whole_chain_view_is_raw_against_final(zipf):
    r = run_chain(zipf, SamplerSettings(temperature=0.7), "llama.cpp", use_defaults=True)
    v = bars_view(r, None, 20)
    assert v.whole_chain and v.ids.tolist() == list(range(20))  # the Zipf ranks are the token ids
    assert np.array_equal(v.before, r.stages[0].probs[v.ids])
    assert np.array_equal(v.after, r.probs[v.ids])
    assert v.rest_before + v.before.sum() == pytest.approx(1.0)
    assert v.rest_after + v.after.sum() == pytest.approx(1.0)
    assert np.array_equal(v.removed, r.probs[v.ids] == 0)
    min_p = [i for i, s in enumerate(r.stages) if s.key == "min_p"][0]
    assert set(v.removed_at[v.removed].tolist()) == {min_p}  # top-k kept 40, top-p 26, min-p 6
    assert (v.removed_at[~v.removed] == -1).all()


def test_cut_off_lines_fall_where_the_samplers_cut(zipf):
    r = run_chain(zipf, SamplerSettings(top_k=40, top_p=0.8, min_p=0.02), "llama.cpp")
    whole = bars_view(r, None, 40)
    lines = {line.key: line for line in whole.lines}
    top_p = r.stage("top_p")
    # top-p saw the 40 survivors of top-k renormalised; over the raw bars its line is p x their raw mass,
    # and the raw running sum first reaches it at the last token top-p kept (llama.cpp keeps that one)
    assert lines["top_p"].axis == "cumulative"
    assert lines["top_p"].value == pytest.approx(0.8 * zipf.probs[:40].sum(dtype=np.float64), rel=1e-6)
    assert int(np.searchsorted(whole.cumulative, lines["top_p"].value)) + 1 == top_p.kept_count
    # min-p: min_p x the top probability of its input, which is raw renormalised over top-p's survivors
    assert lines["min_p"].value == pytest.approx(0.02 * zipf.probs[0], rel=1e-5)
    kept = r.final.ids
    assert (zipf.probs[kept] >= lines["min_p"].value * (1 - 1e-6)).all()
    # the stage's own view draws it in the units of its input
    i = [s.key for s in r.stages].index("min_p")
    own = bars_view(r, i, 20)
    assert not own.whole_chain and own.lines[0].value == pytest.approx(0.02 * float(r.stages[i - 1].kept_probs.max()))
    assert np.array_equal(own.before, r.stages[i - 1].probs[own.ids])
    assert np.array_equal(own.after, r.stages[i].probs[own.ids])


def test_lines_after_a_temperature_are_drawn_only_in_their_stage():
    r = run_chain(zipf_distribution(1000, 0.3, 1.1), SamplerSettings(temperature=0.5, top_p=0.9), "hf")
    whole = bars_view(r, None, 20)
    top_p = [s.key for s in r.stages].index("top_p")
    assert whole.lines == () and whole.unplaced == (top_p,)
    assert [line.key for line in bars_view(r, top_p, 20).lines] == ["top_p"]


def test_a_fetched_distribution_keeps_its_unlisted_mass_apart():
    d = Distribution.from_probs([0.6, 0.2, 0.1], ["a", "b", "c"])
    r = run_chain(d, SamplerSettings(top_k=2), "llama.cpp")
    v = bars_view(r)
    assert v.unlisted == pytest.approx(0.1) and v.before.tolist() == pytest.approx([0.6, 0.2, 0.1])
    assert v.after.tolist() == pytest.approx([0.75, 0.25, 0.0])
    assert v.rest_count == 0 and v.rest_before == pytest.approx(0.0, abs=1e-7)


def test_stage_summaries_follow_the_chain(zipf):
    r = run_chain(zipf, SamplerSettings(top_k=10), "llama.cpp")
    s = stage_summaries(r)
    assert [x.key for x in s] == [st.key for st in r.stages]
    k = [x.key for x in s].index("top_k")
    assert s[k].kept == 10 and s[k].removed == 4990 and s[k].active
    assert s[k].perplexity == pytest.approx(2 ** s[k].entropy_bits)


def test_four_engines_differ_at_a_tie_on_the_top_k_cut():
    d = Distribution.from_logits([3.0, 2.0, 2.0, 2.0, 1.0], ["a", "b", "c", "d", "e"])
    v = compare_view(compare_engines(d, SamplerSettings(top_k=2)))
    assert v.groups == ((("hf", "vllm"), 4), (("llama.cpp", "ollama"), 2))
    assert v.disputed == ("c", "d")  # llama.cpp keeps the lower id of the tied tokens
    cols = {c.engine: c for c in v.columns}
    assert cols["hf"].final[:4].tolist() == pytest.approx(run_chain(d, SamplerSettings(top_k=2), "hf").probs[:4])
    assert cols["llama.cpp"].final[2] == 0 and cols["hf"].final[2] > 0


def test_a_refusal_is_the_engines_own_message():
    d = Distribution.from_logits([1.0, 2.0])
    v = compare_view(compare_engines(d, SamplerSettings(temperature=-1.0)))
    cols = {c.engine: c for c in v.columns}
    assert "strictly positive temperature" in cols["hf"].error
    assert "non-negative temperature" in cols["vllm"].error
    assert cols["llama.cpp"].error is None and cols["llama.cpp"].kept == 1  # greedy


def test_draws_against_the_final_distribution(zipf):
    r = run_chain(zipf, SamplerSettings(top_k=5), "llama.cpp")
    v = draws_view(r, draw(r, 2000, seed=3), 10)
    assert v.total == 2000 and v.distinct <= 5 and v.ids.size == 5
    assert v.observed.sum() == pytest.approx(1.0) and v.rest_observed == pytest.approx(0.0)
    assert np.abs(v.observed - v.expected).max() < 0.05


def test_plan_settings_round_trip_through_json():
    s = SamplerSettings(temperature=0.7, top_k=20, logit_bias=((3, -math.inf), (4, 1.5)), history=(1, 2, 2),
                        samplers=("top_k", "temperature"), do_sample=True)
    data = json.loads(json.dumps(settings_to_json(s), allow_nan=False))
    assert data["logit_bias"] == [[3, "-inf"], [4, 1.5]]
    back, unknown, problems = settings_from_json({**data, "stop": ["</s>"]})
    assert back == s and unknown == {"stop": ["</s>"]} and problems == []


def test_plan_settings_of_the_wrong_type_are_left_out_and_named():
    back, _, problems = settings_from_json({"temperature": "hot", "top_k": 2.5, "top_p": 0.9})
    assert back == SamplerSettings(top_p=0.9)
    assert len(problems) == 2 and "sampling.settings.temperature" in problems[0]


def test_tokens_by_id_or_by_text():
    d = Distribution.from_logits([1, 2, 3], [" Paris", "a, b", "x"])
    assert parse_token_list('1, #2, " Paris", "a, b", x', d) == (1, 2, 0, 1, 2)
    assert parse_logit_bias('x: -inf, 0: 2.5', d) == ((2, -math.inf), (0, 2.5))
    with pytest.raises(PlannerError, match="neither a token id nor a token") as e:
        parse_token_list("Lyon", d)
    assert e.value.field == "history"
    with pytest.raises(PlannerError, match="not a number"):
        parse_logit_bias("x: lots", d)


def test_recommended_presets_name_their_vendor_and_are_not_presented_as_measured():
    assert find_preset("precise").settings == SamplerSettings(temperature=0.15)
    assert find_preset("balanced").settings == SamplerSettings(temperature=0.7, top_p=0.8, top_k=20, min_p=0.0)
    assert find_preset("creative").settings == SamplerSettings(temperature=1.0, top_k=64, top_p=0.95, min_p=0.0)
    sources = {p.name: p.source for p in RECOMMENDED}
    assert "Mistral" in sources["precise"] and "Qwen3" in sources["balanced"] and "Gemma 3" in sources["creative"]


def test_epsilon_eta_xtc_and_top_n_sigma_lines_in_probability_units(zipf):
    hf = run_chain(zipf, SamplerSettings(epsilon_cutoff=0.01, eta_cutoff=0.002), "hf")
    keys = [s.key for s in hf.stages]
    eps = bars_view(hf, keys.index("epsilon_cutoff")).lines[0]
    assert (eps.key, eps.axis, eps.value) == ("epsilon", "probability", 0.01)
    assert bars_view(hf, keys.index("eta_cutoff")).lines[0].key == "eta"
    llama = run_chain(zipf, SamplerSettings(top_k=40, xtc_probability=0.5, xtc_threshold=0.05, top_n_sigma=1.5),
                      "llama.cpp")
    keys = [s.key for s in llama.stages]
    assert bars_view(llama, keys.index("xtc")).lines[0].value == 0.05
    i = keys.index("top_n_sigma")
    sigma = bars_view(llama, i).lines[0]
    # the logit threshold drawn as a probability of the stage's input: exactly the tokens at or above it stay
    entering = llama.stages[i - 1]
    kept = np.isin(entering.ids, llama.stages[i].ids)
    assert sigma.key == "top_n_sigma" and kept.sum() == llama.stages[i].kept_count
    assert (entering.kept_probs[kept] >= sigma.value * (1 - 1e-5)).all()
    assert (entering.kept_probs[~kept] < sigma.value * (1 + 1e-5)).all()

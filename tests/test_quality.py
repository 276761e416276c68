"""Quality cost: published figures only, each naming its model and source; 'no data' otherwise."""
import re

import pytest

from conftest import load_data
from llmplanner.core.formats import all_formats, get_format
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.quality import quality_cost, quality_costs
from llmplanner.core.resources import read_json

QUANT_OPTIONS = load_data("quantize_options.json")


def test_q4_k_m_on_llama_3_8b_matches_the_scoreboard():
    q = quality_cost("q4_k_m")
    assert q.model == "Llama-3-8B" and q.imatrix is None
    assert q.delta_ppl == pytest.approx(0.175482) and q.kld == pytest.approx(0.031273)
    assert "scoreboard" in q.source.lower()


def test_the_planned_model_s_own_figure_is_preferred(reference_models):
    arch = architecture_from_config(next(m for m in reference_models if m["name"] == "Llama-2-7B")["config"])
    arch = arch.replace(name="Llama-2-7B")
    q = quality_cost("q4_k_m", arch)
    assert q.model == "Llama-2-7B" and q.kld == pytest.approx(0.012686)


def test_no_data_is_none_never_invented():
    for fid in ("nf4", "fp8", "int8", "tq1_0", "mxfp4"):
        assert quality_cost(fid) is None


def test_every_entry_names_a_known_format_a_model_and_a_source():
    for e in read_json("quality.json")["entries"]:
        get_format(e["format"])
        assert e["model"] and e["source"] and (e.get("delta_ppl") is not None or e.get("kld") is not None)


@pytest.mark.parametrize("option", QUANT_OPTIONS["options"], ids=lambda o: o["name"])
def test_llama_quantize_s_own_descriptions_agree_with_the_stored_deltas(option):
    """quantize.cpp prints '+0.1754 ppl @ Llama-3-8B' for Q4_K_M: the same measurement as the scoreboard."""
    m = re.search(r"([+-][0-9.]+) ppl @ (\S+)", option["desc"])
    delta, model = float(m.group(1)), m.group(2)
    found = [q for q in quality_costs(option["name"]) if q.model == model and q.imatrix is None]
    assert found and found[0].delta_ppl == pytest.approx(delta, abs=6e-4)


def test_costs_grow_as_bits_shrink_within_the_k_quants():
    klds = [quality_cost(f).kld for f in ("q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k")]
    assert klds == sorted(klds)


def test_relative_ppl():
    q = quality_cost("awq-int4", architecture_from_config(load_data("llamacpp_sizes.json")["models"]["Llama-2-70B"]
                                                          ["config"]).replace(name="Llama-2-70B"))
    assert q.relative_ppl == pytest.approx((3.41 - 3.32) / 3.32)

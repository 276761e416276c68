"""What the Sampling tab reads: every stage over the whole vocabulary with removed tokens marked, the
thresholds to draw, the side-by-side comparison, presets."""
import numpy as np
import pytest

from llmplanner.core.sampling import (ENGINES, MAIN_ENGINES, Distribution, SamplerSettings, SettingError,
                                      all_presets, compare_engines, find_preset, run_chain, zipf_distribution)


def test_stages_cover_the_whole_vocabulary_and_mark_removed_tokens():
    d = zipf_distribution(1000, 0.3, 1.1)
    r = run_chain(d, SamplerSettings(top_k=50, top_p=0.8, min_p=0.05, temperature=0.7), "llama.cpp")
    k = [s.key for s in r.stages].index("top_k")
    assert r.stages[k].kept_count == 50 and r.removed_by(k).sum() == 950
    assert (r.stages[k].probs[r.removed_by(k)] == 0).all()
    assert r.stages[k].top(3).tolist() == [0, 1, 2]
    assert r.final.entropy_bits < r.stages[0].entropy_bits and r.final.perplexity >= 1
    assert r.probs.shape == (1000,) and r.probs.sum() == pytest.approx(1.0, abs=1e-6)


def test_thresholds_for_the_chart_lines():
    d = Distribution.from_probs([0.4, 0.3, 0.2, 0.1])
    r = run_chain(d, SamplerSettings(min_p=0.3, top_p=0.9, xtc_probability=0.5, xtc_threshold=0.15), "llama.cpp")
    assert r.stage("min_p").thresholds["min_p"] == pytest.approx(0.3 * 0.4 / 0.9, rel=1e-5)  # p_max after top-p
    assert r.stage("top_p").thresholds["top_p"] == 0.9
    assert r.stage("xtc").thresholds["xtc_threshold"] == 0.15
    hf = run_chain(d, SamplerSettings(epsilon_cutoff=0.15, eta_cutoff=0.2), "hf")
    assert hf.stage("epsilon_cutoff").thresholds["epsilon"] == 0.15
    assert 0 < hf.stage("eta_cutoff").thresholds["eta"] <= 0.2


def test_inactive_stages_say_why_and_change_nothing():
    r = run_chain(Distribution.from_logits([1.0, 2.0]), SamplerSettings(), "vllm")
    for s in r.stages[1:]:
        assert not s.active and s.note and np.array_equal(s.probs, r.stages[0].probs)


def test_same_settings_four_engines():
    d = Distribution.from_logits(np.log([0.1, 0.2, 0.3, 0.4]))
    out = compare_engines(d, SamplerSettings(temperature=0.0))
    assert set(out) == set(MAIN_ENGINES)
    assert isinstance(out["hf"], SettingError) and "do_sample" in str(out["hf"])
    for e in ("llama.cpp", "vllm", "ollama"):
        assert list(out[e].probs) == [0, 0, 0, 1]
    mixed = compare_engines(d, SamplerSettings(top_p=0.7, typical_p=0.9, temperature=2.0))
    assert "ignored" in mixed["vllm"].notes[0]  # the side-by-side view runs what each engine has
    kept = {e: int((r.probs > 0).sum()) for e, r in mixed.items()}
    assert kept["llama.cpp"] != kept["hf"]  # temperature before (hf) or after (llama.cpp) top-p


@pytest.mark.parametrize("preset", all_presets(), ids=lambda p: p.name)
def test_every_preset_runs_on_its_engine(preset):
    d = zipf_distribution(500, 0.25, 1.0)
    engines = [preset.engine] if preset.engine else list(MAIN_ENGINES)
    for e in engines:
        r = run_chain(d, preset.settings, e)
        assert r.final.kept_count >= 1


def test_engine_defaults_are_the_sources_values():
    assert find_preset("llama.cpp defaults").settings.top_p == 0.95
    assert find_preset("Ollama defaults").settings.temperature == 0.8
    assert find_preset("walkthrough").settings.top_k == 36
    assert set(ENGINES) == {"hf", "llama.cpp", "vllm", "ollama", "ollama-go"}


def test_do_sample_true_is_every_engines_normal_mode():
    d = Distribution.from_logits([1.0, 2.0])
    for e in ENGINES:
        assert run_chain(d, SamplerSettings(do_sample=True), e).final.kept_count == 2
    with pytest.raises(SettingError, match="temperature <= 0"):
        run_chain(d, SamplerSettings(do_sample=False), "llama.cpp")

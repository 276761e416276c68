"""Properties that hold for any logits and any settings (hypothesis): every stage's output is a probability
distribution over the whole vocabulary, removed tokens have zero mass, stages only ever remove tokens, and
temperature never changes llama.cpp's candidate set (its truncation samplers all come before it)."""
import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from llmplanner.core.sampling import (ENGINES, Distribution, SamplerSettings, SettingError, get_engine,
                                      run_chain)

LOGITS = st.lists(st.one_of(st.floats(-20, 20, allow_nan=False, width=32), st.sampled_from([0.0, 1.0, -1.0])),
                  min_size=1, max_size=40)


@st.composite
def any_settings(draw, n):
    values = {
        "temperature": draw(st.sampled_from([0.0, 0.05, 0.5, 1.0, 1.7, 2.0])),
        "top_k": draw(st.integers(0, n + 3)),
        "top_p": draw(st.sampled_from([0.01, 0.3, 0.6, 0.9, 0.999, 1.0])),
        "min_p": draw(st.sampled_from([0.0, 0.05, 0.3, 0.8, 1.0])),
        "typical_p": draw(st.sampled_from([0.2, 0.5, 0.95, 1.0])),
        "top_n_sigma": draw(st.sampled_from([-1.0, 0.5, 1.0, 3.0])),
        "epsilon_cutoff": draw(st.sampled_from([0.0, 0.01, 0.2])),
        "eta_cutoff": draw(st.sampled_from([0.0, 0.001, 0.05])),
        "xtc_probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "xtc_threshold": draw(st.sampled_from([0.05, 0.1, 0.3])),
        "repetition_penalty": draw(st.sampled_from([1.0, 1.3, 0.7])),
        "frequency_penalty": draw(st.sampled_from([0.0, 0.5, -0.5])),
        "presence_penalty": draw(st.sampled_from([0.0, 1.0])),
        "dry_multiplier": draw(st.sampled_from([0.0, 0.8])),
        "dry_allowed_length": draw(st.integers(1, 3)),
        "dynatemp_range": draw(st.sampled_from([0.0, 0.5])),
        "min_keep": draw(st.integers(0, 3)),
        "mirostat": draw(st.sampled_from([0, 0, 0, 1, 2])),
        "history": tuple(draw(st.lists(st.integers(0, n - 1), max_size=12))),
    }
    if draw(st.booleans()):
        values["logit_bias"] = ((draw(st.integers(0, n - 1)), draw(st.sampled_from([-100.0, -1.0, 4.0]))),)
    return values


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_stage_is_a_distribution_and_only_removes(data):
    logits = data.draw(LOGITS)
    engine = get_engine(data.draw(st.sampled_from(sorted(ENGINES))))
    values = data.draw(any_settings(len(logits)))
    chosen = {k: v for k, v in values.items() if k in engine.supported}
    try:
        result = run_chain(Distribution.from_logits(logits), SamplerSettings(**chosen), engine.id)
    except SettingError:
        assume(False)  # a value this engine refuses (e.g. transformers' temperature 0)
    previous = None
    for stage in result.stages:
        p = stage.probs
        assert p.shape == (len(logits),)
        assert (p >= 0).all() and abs(p.sum() - 1.0) < 1e-5
        assert (p[~stage.kept] == 0).all() and p[stage.kept].max() > 0
        assert stage.kept_count == stage.kept.sum() >= 1
        assert np.isfinite(stage.entropy_bits) and stage.perplexity >= 1.0 - 1e-9
        if previous is not None:
            assert not (stage.kept & ~previous.kept).any(), stage.key
        previous = stage


TRUNCATION = st.fixed_dictionaries({
    "top_k": st.integers(0, 45), "top_p": st.sampled_from([0.2, 0.5, 0.8, 0.95, 1.0]),
    "min_p": st.sampled_from([0.0, 0.05, 0.2, 0.6]), "typical_p": st.sampled_from([0.3, 0.9, 1.0]),
    "top_n_sigma": st.sampled_from([-1.0, 1.0, 2.0]), "xtc_probability": st.sampled_from([0.0, 1.0]),
    "xtc_threshold": st.sampled_from([0.1, 0.2]), "min_keep": st.integers(0, 2),
})


@settings(max_examples=120, deadline=None)
@given(LOGITS, TRUNCATION, st.floats(0.05, 5.0))
def test_temperature_never_changes_llama_cpp_candidate_set(logits, truncation, temperature):
    dist = Distribution.from_logits(logits)
    base = run_chain(dist, SamplerSettings(**truncation, temperature=1.0), "llama.cpp")
    hot = run_chain(dist, SamplerSettings(**truncation, temperature=temperature), "llama.cpp")
    assert (base.final.kept == hot.final.kept).all()
    assert (hot.stage("temperature").kept == hot.stages[-2].kept).all()

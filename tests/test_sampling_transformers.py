"""transformers as the oracle: the processors that GenerationMixin._get_logits_processor builds for a
GenerationConfig (transformers/generation/utils.py), applied to random logits, give the same final
distribution as our "hf" profile, for random combinations of every setting it has."""
import logging
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transformers import GenerationConfig
from transformers.generation.utils import GenerationMixin

from llmplanner.core.sampling import Distribution, SamplerSettings, SettingError, run_chain

warnings.filterwarnings("ignore")
logging.getLogger("transformers").setLevel(logging.ERROR)


class _Decoder(GenerationMixin):
    """Just enough of a model for _get_logits_processor: a decoder-only config."""

    config = SimpleNamespace(is_encoder_decoder=False)


def transformers_probs(logits, history, **gen):
    """Final probabilities as generate() computes them before torch.multinomial (or argmax)."""
    bias = gen.pop("logit_bias", ())
    config = GenerationConfig(**gen, sequence_bias={(t,): float(b) for t, b in bias} or None)
    procs = _Decoder()._get_logits_processor(config, input_ids_seq_length=max(1, len(history)), device="cpu")
    input_ids = torch.tensor([list(history) or [0]], dtype=torch.long)
    if not history:  # no history: nothing to penalise
        input_ids = torch.empty((1, 0), dtype=torch.long)
    scores = procs(input_ids, torch.tensor([logits], dtype=torch.float32))[0]
    if not gen.get("do_sample", False):
        out = torch.zeros_like(scores)
        out[int(torch.argmax(scores))] = 1.0
        return out.numpy()
    return torch.softmax(scores, dim=-1).numpy()


def processed_logits(logits, history, **gen):
    """The scores after generate()'s processors, before its warpers (greedy search uses only these)."""
    bias = gen.pop("logit_bias", ())
    gen = {k: v for k, v in gen.items() if k in ("repetition_penalty",)}
    config = GenerationConfig(do_sample=False, **gen, sequence_bias={(t,): float(b) for t, b in bias} or None)
    procs = _Decoder()._get_logits_processor(config, input_ids_seq_length=max(1, len(history)), device="cpu")
    input_ids = torch.tensor([list(history)], dtype=torch.long) if history else torch.empty((1, 0), dtype=torch.long)
    return procs(input_ids, torch.tensor([logits], dtype=torch.float32))[0].numpy() + 0.0


def ours(logits, history, **gen):
    bias = tuple(gen.pop("logit_bias", ()))
    s = SamplerSettings(history=tuple(history), logit_bias=bias, **gen)
    return run_chain(Distribution.from_logits(logits), s, "hf").probs


LOGIT = st.one_of(st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]),
                  st.floats(-8, 8, allow_nan=False, width=32))


@st.composite
def cases(draw):
    n = draw(st.integers(2, 24))
    logits = draw(st.lists(LOGIT, min_size=n, max_size=n))
    gen = {"do_sample": True}
    if draw(st.booleans()):
        gen["temperature"] = draw(st.sampled_from([0.3, 0.7, 1.0, 1.5, 3.0]))
    if draw(st.booleans()):
        gen["top_k"] = draw(st.integers(1, n + 2))
    if draw(st.booleans()):
        gen["top_p"] = draw(st.sampled_from([0.05, 0.3, 0.5, 0.75, 0.9, 0.99]))
    if draw(st.booleans()):
        gen["min_p"] = draw(st.sampled_from([0.0, 0.05, 0.2, 0.5, 0.9]))
    if draw(st.booleans()):
        gen["typical_p"] = draw(st.sampled_from([0.2, 0.5, 0.9, 0.95]))
    if draw(st.booleans()):
        gen["epsilon_cutoff"] = draw(st.sampled_from([0.001, 0.02, 0.1]))
    if draw(st.booleans()):
        gen["eta_cutoff"] = draw(st.sampled_from([0.0003, 0.01, 0.1]))
    history = draw(st.lists(st.integers(0, n - 1), max_size=6))
    if draw(st.booleans()):
        gen["repetition_penalty"] = draw(st.sampled_from([0.8, 1.3, 2.0]))
    if draw(st.booleans()):
        gen["logit_bias"] = tuple(draw(st.dictionaries(st.integers(0, n - 1), st.sampled_from([-5.0, 1.0, 3.0]),
                                                       max_size=2)).items())
    if draw(st.integers(0, 9)) == 0:
        gen["do_sample"] = False
    return logits, history, gen


def by_logit(logits, probs):
    """Probability per distinct processed logit: which of several tied tokens an unstable torch.sort lets
    through the top-p cut is unspecified (it changes with the tensor's size), so ties are compared as a group."""
    keys = np.asarray(logits, dtype=np.float32)
    return {float(k): float(probs[keys == k].sum()) for k in np.unique(keys)}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_same_distribution_as_transformers_generate(case):
    logits, history, gen = case
    want = transformers_probs(logits, history, **dict(gen))
    got = ours(logits, history, **dict(gen))
    # ties as the warpers see them: the logits after the processors (bias, repetition penalty)
    key = list(processed_logits(logits, history, **dict(gen)))
    assert by_logit(key, got) == pytest.approx(by_logit(key, want), abs=2e-6), (gen, got, want)
    untied = [i for i, k in enumerate(key) if key.count(k) == 1]  # float keys: equal values only
    assert np.allclose(got[untied], want[untied], atol=2e-6), (gen, got, want)


def test_warper_order_is_generates():
    r = run_chain(Distribution.from_logits([1, 2, 3]), SamplerSettings(), "hf")
    assert [s.key for s in r.stages] == ["input", "logit_bias", "repetition_penalty", "temperature", "top_k",
                                         "top_p", "min_p", "typical_p", "epsilon_cutoff", "eta_cutoff"]


def test_top_k_keeps_every_tied_token():
    assert list(ours([1.0, 1.0, 1.0, 0.0], [], do_sample=True, top_k=2)) == pytest.approx([1 / 3] * 3 + [0])


def test_temperature_comes_before_top_p():
    # temperature 2 flattens [0.4, 0.3, 0.2, 0.1] so that 0.7 needs a third token (llama.cpp keeps two)
    logits = np.log([0.1, 0.2, 0.3, 0.4])
    assert (ours(logits, [], do_sample=True, temperature=2.0, top_p=0.7) > 0).sum() == 3


@pytest.mark.parametrize("gen, words", [
    ({"temperature": 0.0}, "do_sample=False"),
    ({"temperature": -1.0}, "strictly positive temperature"),
    ({"top_k": -1}, "strictly positive integer"),
    ({"top_p": -0.1}, "[0, 1]"),
    ({"min_p": 1.5}, "[0, 1]"),
    ({"typical_p": 0.0}, "(0, 1)"),
    ({"repetition_penalty": 0.0}, "strictly positive"),
    ({"logit_bias": ((7, 1.0),)}, "vocabulary size is 3"),
])
def test_refusals_match_transformers(gen, words):
    with pytest.raises(SettingError, match=words.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        ours([1.0, 2.0, 3.0], [], do_sample=True, **gen)


def test_values_generate_ignores_are_ignored_with_a_note():
    r = run_chain(Distribution.from_logits([1, 2, 3]), SamplerSettings(top_p=1.5, epsilon_cutoff=2.0), "hf")
    assert not any(s.active for s in r.stages[1:]) and len(r.notes) == 2


@pytest.mark.parametrize("name", ["min_keep", "frequency_penalty", "mirostat", "xtc_probability", "top_n_sigma"])
def test_settings_transformers_lacks_are_refused(name):
    with pytest.raises(SettingError):
        run_chain(Distribution.from_logits([1, 2, 3]), SamplerSettings(**{name: 1}), "hf")


def test_greedy_search_with_repetition_penalty():
    # do_sample=False: the argmax after the repetition penalty (a warper such as temperature is not used)
    got = ours([3.0, 2.5, 0.0], [0], do_sample=False, repetition_penalty=2.0, temperature=0.5)
    assert list(got) == [0, 1, 0]

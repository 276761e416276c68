"""Distributions to play with: the Zipf-like generator, readable pseudo-tokens, typed lists, draws."""
import numpy as np
import pytest

from llmplanner.core.errors import PlannerError
from llmplanner.core.sampling import (Distribution, SamplerSettings, draw, format_token_values,
                                      parse_token_values, pseudo_tokens, run_chain, zipf_distribution)


@pytest.mark.parametrize("n, top, s", [(50, 0.5, 1.0), (32_000, 0.3, 1.1), (262_144, 0.02, 0.9),
                                       (1000, 0.97, 1.2), (10, 0.15, 0.5)])
def test_zipf_hits_the_requested_head(n, top, s):
    d = zipf_distribution(n, top, s)
    assert d.size == n and d.probs[0] == pytest.approx(top, rel=1e-5)
    assert (np.diff(d.probs) <= 0).all()                   # ranks in order, most likely first
    assert d.probs.sum() == pytest.approx(1.0, abs=1e-5)


def test_zipf_tail_exponent_sets_the_decay():
    flat, steep = zipf_distribution(5000, 0.2, 0.8), zipf_distribution(5000, 0.2, 2.0)
    assert steep.probs[100] < flat.probs[100]


def test_zipf_shuffle_moves_labels_with_probabilities():
    plain, mixed = zipf_distribution(300, 0.4, 1.0), zipf_distribution(300, 0.4, 1.0, shuffle_seed=3)
    top = int(np.argmax(mixed.probs))
    assert mixed.tokens[top] == plain.tokens[0] and top != 0


@pytest.mark.parametrize("kw, words", [({"vocab_size": 1}, "between 2"), ({"top_probability": 1.0}, "between"),
                                       ({"vocab_size": 10, "top_probability": 0.05}, "between 1/10"),
                                       ({"exponent": 0.0}, "exponent")])
def test_zipf_refuses_impossible_requests(kw, words):
    with pytest.raises(PlannerError, match=words):
        zipf_distribution(**{"vocab_size": 100, "top_probability": 0.3, **kw})


def test_pseudo_tokens_are_readable_and_distinct():
    toks = pseudo_tokens(262_144)
    assert len(set(toks)) == len(toks)
    assert all(t.strip("\u2581").isalpha() for t in toks[:2000])
    assert max(len(t) for t in toks) <= 12


def test_typed_probabilities_keep_the_rest_as_other_mass():
    d = parse_token_values('Paris: 0.5\n"New York": 20%\n# a comment\n\n"\\n": 0.1\nre:joined: 0.05\n')
    assert d.tokens == ("Paris", "New York", "\n", "re:joined")
    assert d.other_mass == pytest.approx(0.15)
    assert d.listed_probs == pytest.approx([0.5, 0.2, 0.1, 0.05])


def test_typed_logits_and_round_trip():
    d = parse_token_values("a: 2.5\nb: -1\n'c c': -inf\n")
    assert list(d.logits[:2]) == [2.5, -1.0] and d.probs[2] == 0 and d.tokens[2] == "c c"
    again = parse_token_values(format_token_values(d, "logit"), "logit")
    assert again.tokens == d.tokens and np.array_equal(again.logits, d.logits)


@pytest.mark.parametrize("text, words", [
    ("", "no 'token: value' lines"), ("just words\n", "line 1: expected"), ("a: 0.1\nb: lots\n", "line 2: 'lots'"),
    ("a: 0.5\na: 0.2\n", "already on line 1"), ("a: 70%\nb: 0.6\n", "sum to 1.3"), (": 0.3\n", "empty"),
    ('"bad\\q": 0.1\n', "not a valid string"), ("a: 1.5\nb: 20%\n", "not between 0 and 1"),
])
def test_bad_lists_name_the_line(text, words):
    with pytest.raises(PlannerError, match=words):
        parse_token_values(text)


def test_explicit_kind_overrides_auto():
    assert parse_token_values("a: 0.2\nb: 0.1\n", "logit").other_mass == 0.0
    assert parse_token_values("a: 0.7\nb: 0.6\n").source == "typed logits"  # sums past 1: logits
    with pytest.raises(PlannerError, match="sum to 1.3"):
        parse_token_values("a: 0.7\nb: 0.6\n", "prob")


def test_draw_histogram_follows_the_final_distribution():
    d = Distribution.from_probs([0.5, 0.3, 0.15, 0.05])
    r = run_chain(d, SamplerSettings(top_k=3), "llama.cpp")
    draws = draw(r, 20_000, seed=11)
    assert draws.counts[3] == 0
    assert draws.frequencies[:3] == pytest.approx(r.probs[:3], abs=0.015)
    assert np.array_equal(draw(r, 50, seed=2).tokens, draw(r, 50, seed=2).tokens)


def test_draw_includes_xtc_coin():
    r = run_chain(Distribution.from_probs([0.4, 0.3, 0.2, 0.1]),
                  SamplerSettings(xtc_probability=0.5, xtc_threshold=0.25), "llama.cpp")
    f = draw(r, 20_000, seed=5).frequencies
    assert f == pytest.approx(r.probs, abs=0.015)


def test_distribution_validation():
    with pytest.raises(PlannerError, match="NaN"):
        Distribution.from_logits([0.0, float("nan")])
    with pytest.raises(PlannerError, match="no token"):
        Distribution.from_logits([])
    with pytest.raises(PlannerError, match="labels"):
        Distribution.from_logits([1.0, 2.0], ["a"])


def test_the_block_built_labels_are_each_index_s_pseudo_token():
    from llmplanner.core.sampling.synthetic import pseudo_token, pseudo_tokens

    labels = pseudo_tokens(30_000)  # past the two-syllable words (160 + 160² = 25,760)
    assert labels == tuple(pseudo_token(i) for i in range(30_000))

"""llama.cpp's sampler chain: the expectations of its own tests/test-sampling.cpp (github.com/ggml-org/llama.cpp),
and the chain rules of common/sampling.cpp and tools/server/server-context.cpp."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmplanner.core.sampling import Distribution, SamplerSettings, SettingError, draw, run_chain
from llmplanner.core.sampling.penalties import dry_repeat_lengths


def probs_of(p):
    return Distribution.from_logits(np.log(np.asarray(p, dtype=np.float32)))


def survivors(result):
    """The final non-zero probabilities, largest first (test-sampling.cpp lists them in sampler order)."""
    p = result.probs
    return sorted((x for x in p if x > 0), reverse=True)


def llama(p, **settings):
    return run_chain(probs_of(p), SamplerSettings(**settings), "llama.cpp")


P4 = [0.1, 0.2, 0.3, 0.4]


# --- test-sampling.cpp main() ---------------------------------------------------------------------------------

@pytest.mark.parametrize("temp, want", [(1.0, [0.4, 0.3, 0.2, 0.1]), (0.0, [1.0])])
def test_temp(temp, want):
    assert survivors(llama(P4, temperature=temp)) == pytest.approx(want, abs=1e-5)


@pytest.mark.parametrize("temp, want", [(1.0, [0.4, 0.3, 0.2, 0.1]), (0.0, [1.0])])
def test_temp_ext(temp, want):
    assert survivors(llama(P4, temperature=temp, dynatemp_range=0.0, dynatemp_exponent=1.0)) == pytest.approx(want)


@pytest.mark.parametrize("k, want", [(1, [1.0]), (3, [0.44444, 0.33333, 0.22222]), (4, [0.4, 0.3, 0.2, 0.1]),
                                     (0, [0.4, 0.3, 0.2, 0.1])])
def test_top_k(k, want):
    assert survivors(llama(P4, top_k=k)) == pytest.approx(want, abs=1e-5)


@pytest.mark.parametrize("p, want", [(0.0, [1.0]), (0.7, [0.571429, 0.428571]),
                                     (0.8, [0.44444, 0.33333, 0.22222]), (1.0, [0.4, 0.3, 0.2, 0.1])])
def test_top_p(p, want):
    assert survivors(llama(P4, top_p=p)) == pytest.approx(want, abs=1e-5)


@pytest.mark.parametrize("p, want", [
    (0.00, [0.4, 0.3, 0.2, 0.1]), (0.24, [0.4, 0.3, 0.2, 0.1]), (0.26, [0.4 / 0.9, 0.3 / 0.9, 0.2 / 0.9]),
    (0.49, [0.4 / 0.9, 0.3 / 0.9, 0.2 / 0.9]), (0.51, [0.4 / 0.7, 0.3 / 0.7]), (0.74, [0.4 / 0.7, 0.3 / 0.7]),
    (0.76, [1.0]), (1.00, [1.0]), (1.05, [1.0]),
])
def test_min_p(p, want):
    assert survivors(llama(P4, min_p=p)) == pytest.approx(want, abs=1e-5)


@pytest.mark.parametrize("threshold, want", [(0.09, [0.1]), (0.19, [0.2, 0.1]), (0.29, [0.3, 0.2, 0.1]),
                                             (0.39, [0.4, 0.3, 0.2, 0.1])])
def test_xtc_fired(threshold, want):
    # test_xtc uses probability 0.99 with seed 0 (the coin lands on "fire"); probability 1 always fires
    got = llama([0.4, 0.3, 0.2, 0.1], xtc_probability=1.0, xtc_threshold=threshold)
    assert survivors(got) == pytest.approx([w / sum(want) for w in want], abs=1e-5)


@pytest.mark.parametrize("p, want", [([0.97, 0.01, 0.01, 0.01], [1.0]), ([0.4, 0.2, 0.2, 0.2], [1 / 3] * 3)])
def test_typical(p, want):
    assert survivors(llama(p, typical_p=0.5)) == pytest.approx(want, abs=1e-5)


@pytest.mark.parametrize("history, repeat, freq, present, want", [
    ([0], 50.0, 0.0, 0.0, [0, 0.25, 0.25, 0.25, 0.25]),
    ([0, 1, 2], 50.0, 0.0, 0.0, [0, 0, 0, 0.5, 0.5]),
    ([0, 1, 2, 0, 0], 50.0, 0.0, 0.0, [0, 0, 0, 0.5, 0.5]),
    ([0], 1.0, 5.0, 5.0, [0.000011, 0.249997, 0.249997, 0.249997, 0.249997]),
    ([0, 1, 2], 1.0, 5.0, 5.0, [0.000023, 0.000023, 0.000023, 0.499966, 0.499966]),
    ([0, 1, 2, 0, 0], 1.0, 5.0, 5.0, [0.000000, 0.000023, 0.000023, 0.499977, 0.499977]),
])
def test_penalties(history, repeat, freq, present, want):
    got = llama([0.2] * 5, history=tuple(history), penalty_last_n=len(history), repetition_penalty=repeat,
                frequency_penalty=freq, presence_penalty=present)
    assert list(got.probs) == pytest.approx(want, abs=1e-5)


def breaker_vocab(size, breaker_ids):
    """Labels where the given ids contain the ':' sequence breaker (test_dry passes breakers as ids)."""
    return Distribution.from_logits(np.log(np.full(size, 1.0 / size, dtype=np.float32)),
                                    [f"t{i}:" if i in breaker_ids else f"t{i}" for i in range(size)])


@pytest.mark.parametrize("size, history, want, mult, base, allowed, last_n, breakers", [
    (4, [0, 1], [0.25] * 4, 1.0, 1.1, 2, 4, ()),
    (4, [0, 1, 2, 0, 1], [0.296923, 0.296923, 0.109232, 0.296923], 1.0, 1.1, 2, 5, ()),
    (5, [0, 1, 3, 4, 0, 1], [0.2] * 5, 1.0, 1.1, 2, 6, (3,)),
    (5, [0, 1, 2, 0, 1], [0.241818, 0.241818, 0.032727, 0.241818, 0.241818], 2.0, 1.1, 2, 5, ()),
    (5, [0, 1, 2, 3, 4, 0, 1], [0.2] * 5, 1.0, 1.1, 4, 7, ()),
])
def test_dry(size, history, want, mult, base, allowed, last_n, breakers):
    settings = SamplerSettings(history=tuple(history), dry_multiplier=mult, dry_base=base,
                               dry_allowed_length=allowed, dry_penalty_last_n=last_n, dry_sequence_breakers=(":",))
    got = run_chain(breaker_vocab(size, breakers), settings, "llama.cpp")
    assert list(got.probs) == pytest.approx(want, abs=1e-5)


@pytest.mark.parametrize("n, want", [(1.0, [0.571429, 0.428571]), (0.0, [0.4, 0.3, 0.2, 0.1]),
                                     (3.0, [0.4, 0.3, 0.2, 0.1])])
def test_top_n_sigma(n, want):
    # "top_n_sigma == 0 now represents a no-op rather than greedy decoding as of PR#13345"
    assert survivors(llama(P4, top_n_sigma=n)) == pytest.approx(want, abs=1e-5)


# test_sampler_queue: n_vocab tokens with logit = log(id) (token 0 has p = 0), min_keep = 1; the expected
# sizes and the smallest surviving id follow the test's own arithmetic.
QUEUES = [
    ("k", 10000, 1.0, 1.0), ("k", 1, 1.0, 1.0), ("p", 10000, 1.0, 1.0), ("p", 10000, 0.0, 1.0),
    ("m", 10000, 1.0, 1.0), ("m", 10000, 1.0, 1e-12), ("k", 100, 1.0, 1.0), ("p", 10000, 0.0003, 1.0),
    ("p", 10000, 0.8, 1.0), ("m", 10000, 1.0, 9997.9 / 9999.0), ("m", 10000, 1.0, 0.1),
    ("kp", 100, 0.8, 0.1), ("km", 100, 0.8, 0.1), ("pk", 100, 0.8, 0.1), ("pm", 100, 0.8, 0.1),
    ("mk", 100, 0.8, 0.1), ("mp", 100, 0.8, 9997.9 / 9999.0), ("mp", 100, 0.8, 0.1),
    ("kpm", 100, 0.8, 0.1), ("kmp", 100, 0.8, 0.1), ("pkm", 100, 0.8, 0.1), ("pmk", 100, 0.8, 0.1),
    ("mkp", 100, 0.8, 0.1), ("mpk", 100, 0.8, 0.1),
]


@pytest.mark.parametrize("seq, top_k, top_p, min_p", QUEUES)
def test_sampler_queue(seq, top_k, top_p, min_p):
    n_vocab = 10000
    with np.errstate(divide="ignore"):
        dist = Distribution.from_logits(np.log(np.arange(n_vocab, dtype=np.float32)))
    result = run_chain(dist, SamplerSettings(top_k=top_k, top_p=top_p, min_p=min_p, min_keep=1, samplers=(seq,)),
                       "llama.cpp")
    keys = {"k": "top_k", "p": "top_p", "m": "min_p"}
    f32 = np.float32
    min_token_id = 0
    zero_in = True  # llama.cpp keeps token 0 (p = 0) as a candidate until a sampler drops it; we never list it
    for s in seq:
        kept = np.flatnonzero(result.stage(keys[s]).kept)
        if s == "k":
            zero_in = zero_in and top_k >= kept.size + 1
        elif s == "m":
            zero_in = False
        size = kept.size + zero_in  # the size llama.cpp's cur_p has after this sampler
        if s == "k":
            expected = min(size, top_k)
            min_token_id = max(min_token_id, n_vocab - top_k)
        elif s == "p":
            divisor = n_vocab * (n_vocab - 1) // 2 - min_token_id * (min_token_id - 1) // 2
            target = math.ceil(f32(top_p) * f32(divisor))
            min_token_id, expected, cumsum = n_vocab, 0, 0
            while True:  # do-while: at least one token
                min_token_id -= 1
                expected += 1
                cumsum += min_token_id
                if cumsum >= target:
                    break
            if min_token_id == 1:  # token 0 has p == 0 and rides along
                min_token_id -= 1
                expected += 1
            zero_in = min_token_id == 0
            size = kept.size + zero_in
        else:
            expected = max(math.ceil(f32(1.0 - f32(min_p)) * f32(n_vocab)), 1)
            expected = min(expected, size)
            min_token_id = max(int(math.floor(f32(min_p) * f32(n_vocab))), 1)
            min_token_id = max(min_token_id, n_vocab - size)
            min_token_id = min(min_token_id, n_vocab - 1)
        assert size == expected
        assert kept.max() == n_vocab - 1
        assert kept.min() == max(min_token_id, 1) and kept.size == n_vocab - kept.min()


# --- chain rules (common/sampling.cpp, server-context.cpp) ----------------------------------------------------

def test_default_order_and_reordering():
    r = run_chain(probs_of(P4), SamplerSettings(), "llama.cpp")
    assert [s.key for s in r.stages[2:]] == ["penalties", "dry", "top_n_sigma", "top_k", "typical_p", "top_p",
                                             "min_p", "xtc", "temperature"]
    r = run_chain(probs_of(P4), SamplerSettings(samplers=("temperature;top_k",)), "llama.cpp")
    assert [s.key for s in r.stages] == ["input", "logit_bias", "temperature", "top_k"]
    r = run_chain(probs_of(P4), SamplerSettings(samplers=("top-p;nucleus;bogus",)), "llama.cpp")
    assert [s.key for s in r.stages[2:]] == ["top_p", "top_p"] and "bogus" in r.notes[0]


def test_temperature_sits_last_so_it_does_not_move_the_top_p_cut():
    # top-p 0.7 on the untempered distribution keeps 0.4 and 0.3 whatever the temperature
    for t in (0.5, 1.0, 2.0, 5.0):
        r = llama(P4, top_p=0.7, temperature=t)
        assert list(np.flatnonzero(r.probs)) == [2, 3]
    # temperature first (a --samplers order) flattens the distribution before top-p: a third token survives
    r = llama(P4, top_p=0.7, temperature=2.0, samplers=("temperature;top_p",))
    assert list(np.flatnonzero(r.probs)) == [1, 2, 3]


def test_top_k_cuts_through_ties_by_lower_id():
    r = run_chain(Distribution.from_logits([1, 1, 1, 0]), SamplerSettings(top_k=2), "llama.cpp")
    assert list(r.probs) == pytest.approx([0.5, 0.5, 0, 0])


def test_top_p_is_inclusive():
    # uniform 0.25 x 4: the running sum reaches 0.5 exactly at the second token, which stops the walk
    r = run_chain(Distribution.from_logits([0, 0, 0, 0]), SamplerSettings(top_p=0.5), "llama.cpp")
    assert r.final.kept_count == 2


def test_greedy_with_penalties_picks_the_penalised_argmax():
    r = run_chain(Distribution.from_logits([3.0, 2.5, 0.0]),
                  SamplerSettings(temperature=0.0, repetition_penalty=2.0, history=(0,)), "llama.cpp")
    assert list(r.probs) == [0.0, 1.0, 0.0]


def test_greedy_happens_at_the_temperature_stage_after_xtc():
    # XTC removes the top choices before temperature 0 picks the most likely of what is left
    r = llama([0.4, 0.3, 0.2, 0.1], xtc_probability=1.0, xtc_threshold=0.25, temperature=0.0)
    assert list(r.probs) == [0.0, 1.0, 0.0, 0.0]


def test_xtc_below_certainty_mixes_both_outcomes():
    r = llama([0.4, 0.3, 0.2, 0.1], xtc_probability=0.25, xtc_threshold=0.19)
    fired = np.array([0, 0, 2 / 3, 1 / 3])
    assert list(r.probs) == pytest.approx(0.75 * np.array([0.4, 0.3, 0.2, 0.1]) + 0.25 * fired, abs=1e-6)
    assert r.final.branches == 2


def test_penalty_window_counts_only_the_last_n_tokens():
    hist = (0, 0, 0, 1)
    r = llama([0.25] * 4, history=hist, repetition_penalty=1.0, frequency_penalty=1.0, penalty_last_n=2)
    # only (0, 1) are in the window: one occurrence each
    logits = np.log(r.probs / r.probs[2])
    assert logits[0] == pytest.approx(-1.0, abs=1e-5) and logits[1] == pytest.approx(-1.0, abs=1e-5)
    whole = llama([0.25] * 4, history=hist, frequency_penalty=1.0, penalty_last_n=-1)
    assert np.log(whole.probs[0] / whole.probs[2]) == pytest.approx(-3.0, abs=1e-5)


def test_server_refusals_and_replacements():
    with pytest.raises(SettingError, match="repeat_last_n"):
        llama(P4, penalty_last_n=-2)
    with pytest.raises(SettingError, match="dry_penalty_last_n"):
        llama(P4, dry_penalty_last_n=-5)
    r = llama(P4, dry_multiplier=1.0, dry_base=0.5, history=(0, 1, 2, 0, 1))
    assert r.settings["dry_base"] == 1.75 and any("1.75" in n for n in r.notes)


def test_negative_temperature_is_greedy_not_refused():
    assert list(llama(P4, temperature=-1.0).probs) == [0, 0, 0, 1]


def test_mirostat_replaces_the_chain():
    r = llama(P4, mirostat=2, mirostat_tau=1.0, mirostat_eta=0.1, top_k=1, repetition_penalty=5.0, history=(3,))
    active = [s.key for s in r.stages if s.active]
    assert active == ["input", "mirostat"]          # temperature 1 is a no-op; top-k and penalties are not run
    # mu starts at 2 * tau = 2 bits: tokens with -log2 p <= 2 (p >= 0.25) survive
    assert list(np.flatnonzero(r.probs)) == [2, 3]


def test_mirostat_mu_moves_with_each_draw():
    r = llama([0.5, 0.3, 0.15, 0.05], mirostat=2, mirostat_tau=1.5, mirostat_eta=0.5)
    d = draw(r, 20, seed=4)
    assert d.mirostat_mu[0] == pytest.approx(3.0)
    assert len(set(d.mirostat_mu)) > 1
    v1 = llama([0.5, 0.3, 0.15, 0.05], mirostat=1, mirostat_tau=3.0, mirostat_eta=0.1)
    assert v1.final.kept_count >= 1 and draw(v1, 5, seed=1).tokens.size == 5


def test_dynamic_temperature_follows_entropy():
    flat = llama([0.25] * 4, temperature=1.0, dynatemp_range=0.5)
    assert flat.stage("temperature").thresholds["temperature"] == pytest.approx(1.5, abs=1e-5)  # max entropy
    peaked = llama([0.97, 0.01, 0.01, 0.01], temperature=1.0, dynatemp_range=0.5, dynatemp_exponent=1.0)
    assert 0.5 < peaked.stage("temperature").thresholds["temperature"] < 0.75


def test_logit_bias_comes_first_and_ignores_unknown_tokens():
    r = llama(P4, logit_bias=((0, 100.0), (9, 1.0)), top_k=1)
    assert list(r.probs) == [1, 0, 0, 0] and any("token 9" in n for n in r.notes)


def test_min_keep_holds_truncation_open():
    assert llama(P4, min_p=0.9, min_keep=3).final.kept_count == 3
    assert llama(P4, top_p=0.1, min_keep=2).final.kept_count == 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=30), st.integers(0, 4), st.sets(st.integers(0, 4), max_size=1))
def test_dry_repeat_lengths_equal_a_direct_scan(context, allowed, breakers):
    """The Z-algorithm gives what the definition says: for each earlier occurrence of the context's end,
    the token that followed it, with the length of the match (capped at the last breaker)."""
    rev = list(reversed(context))
    limit = next((i for i, t in enumerate(rev) if t in breakers), len(rev))
    want = {}
    if limit >= allowed:
        for k in range(1, len(rev)):
            m = 0
            while m + k < len(rev) and rev[m] == rev[m + k]:
                m += 1
            m = min(m, limit)
            if m >= allowed:
                want[rev[k - 1]] = max(want.get(rev[k - 1], -1), m)
    assert dry_repeat_lengths(context, allowed, frozenset(breakers)) == want

"""Measured quantisation error: each format's round trip, checked against llama.cpp's own code and tests."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from llmplanner.core.errors import PlannerError
from llmplanner.core.quant_sim import (FP8_E4M3_MAX, NF4_CODE, fake_quantize, gaussian_sample,
                                       quantization_error)


@pytest.fixture(scope="module")
def heavy():
    return gaussian_sample(64 * 4096, seed=1, dof=5)


@pytest.mark.parametrize("name", ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "MXFP4", "TQ1_0", "TQ2_0", "BF16", "F16"])
def test_legacy_ggml_types_round_trip_exactly_as_gguf_py_does(heavy, name):
    """gguf-py (llama.cpp's Python package) re-implements ggml's reference quantisers; ours must agree bit
    for bit on a heavy-tailed sample."""
    from gguf import GGMLQuantizationType, quants

    qt = getattr(GGMLQuantizationType, name)
    ref = quants.dequantize(quants.quantize(heavy, qt), qt)
    np.testing.assert_array_equal(fake_quantize(heavy, name), ref)


# ggml's tests/test-quantize-fns.cpp: data 0.1 + 2 cos(i), 4096 values, error sqrt(Σd²)/n below a bound per type
GGML_TEST_DATA = (0.1 + 2 * np.cos(np.arange(32 * 128, dtype=np.float32))).astype(np.float32)
GGML_BOUNDS = {"Q8_0": 0.002, "Q4_0": 0.002, "Q4_1": 0.002, "Q5_0": 0.002, "Q5_1": 0.002, "Q2_K": 0.0075,
               "Q3_K": 0.0040, "Q4_K": 0.002, "Q5_K": 0.002, "Q6_K": 0.002, "IQ4_NL": 0.002, "IQ4_XS": 0.002,
               "TQ1_0": 0.01, "TQ2_0": 0.01, "MXFP4": 0.002, "Q1_0": 0.025}


@pytest.mark.parametrize("search", ["fast", "full"])
@pytest.mark.parametrize("name", sorted(GGML_BOUNDS))
def test_every_ggml_type_meets_llama_cpp_s_own_error_bound(name, search):
    out = fake_quantize(GGML_TEST_DATA, name, search=search)
    err = np.sqrt(((out.astype(np.float64) - GGML_TEST_DATA) ** 2).sum()) / GGML_TEST_DATA.size
    assert err < GGML_BOUNDS[name]


@pytest.mark.parametrize("name", ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"])
def test_fast_search_stays_within_7_percent_of_ggml_s_full_search(heavy, name):
    fast = quantization_error(heavy, name, search="fast").rmse
    full = quantization_error(heavy, name, search="full").rmse
    assert fast == pytest.approx(full, rel=0.07)   # a subset of ggml's candidates: 0–3 % apart in practice


def test_k_quant_values_sit_on_their_grid():
    """Q6_K: every value of a 16-weight sub-block is an integer in [-32, 31] times one scale."""
    x = gaussian_sample(4096, seed=2).reshape(-1)
    out = fake_quantize(x, "Q6_K").reshape(-1, 16)
    for row in out[:64]:
        smallest = np.min(np.abs(row[row != 0]))
        fits = [k for k in range(1, 33) if np.allclose(row * k / smallest, np.round(row * k / smallest), atol=1e-3)
                and np.abs(np.round(row * k / smallest)).max() <= 32]
        assert fits, row


def test_nf4_values_are_the_codebook_times_the_block_absmax():
    x = gaussian_sample(4096, seed=3).reshape(-1)
    out = fake_quantize(x, "nf4").reshape(-1, 64)
    absmax = np.abs(x.reshape(-1, 64)).max(axis=1)
    codes = out / absmax[:, None]
    assert np.all(np.min(np.abs(codes[..., None] - NF4_CODE), axis=-1) < 1e-6)


def test_fp8_e4m3_rounds_to_nearest_even_and_saturates():
    from llmplanner.core.quant_sim import _fp8

    v = np.array([1.0625, 1.1875, 448.0, 500.0, -1e6, 2.0 ** -9, 3 * 2.0 ** -10], dtype=np.float32)
    # 1.0625 is halfway between 1 and 1.125 (ties to even: 1); 1.1875 halfway to 1.25 (even: 1.25);
    # beyond 448 saturates; 2^-9 is the smallest subnormal; 1.5 * 2^-9 ties to 2 * 2^-9
    assert _fp8(v, True).tolist() == [1.0, 1.25, 448.0, FP8_E4M3_MAX, -FP8_E4M3_MAX, 2.0 ** -9, 2.0 ** -8]


def test_error_statistics():
    x = gaussian_sample(16 * 4096, seed=4)
    e = quantization_error(x, "q4_0", bins=32)
    assert sum(e.hist_counts) == x.size and len(e.hist_edges) == 33
    assert e.hist_edges[0] == -e.max_abs and e.hist_edges[-1] == e.max_abs
    assert e.sqnr_db == pytest.approx(10 * np.log10((x.astype(np.float64) ** 2).sum() / (e.rmse ** 2 * x.size)))
    assert e.bits_per_weight == 4.5 and e.scheme == "Q4_0"
    assert quantization_error(x, "f32").rmse == 0 and np.isinf(quantization_error(x, "f32").sqnr_db)


def test_gguf_file_types_are_measured_in_their_main_type():
    x = gaussian_sample(4096, seed=5)
    e = quantization_error(x, "q4_k_m")
    assert e.scheme == "Q4_K" and "Q4_K" in e.note


def test_gptq_is_round_to_nearest_and_says_so():
    x = gaussian_sample(4096, seed=6)
    assert "round-to-nearest" in quantization_error(x, "gptq-int4").note
    out = fake_quantize(x, "gptq-int4").reshape(-1, 128)
    assert all(len(np.unique(g)) <= 16 for g in out[:32])


RMSE_CHAINS = [
    ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_0", "f16", "f32"],
    ["q4_0", "q5_0", "q8_0"],
    ["q4_1", "q5_1"],
    ["gptq-int3", "gptq-int4", "gptq-int8", "bf16"],
    ["tq2_0", "nf4", "int8", "bf16"],
    ["mxfp4", "fp8", "bf16"],
]


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2 ** 31 - 1), dof=st.sampled_from([None, 4.0, 8.0]))
def test_rmse_falls_as_bits_rise_on_weight_like_samples(seed, dof):
    x = gaussian_sample(8 * 4096, seed=seed, dof=dof)
    for chain in RMSE_CHAINS:
        rmse = [quantization_error(x, f).rmse for f in chain]
        assert all(a > b for a, b in zip(rmse, rmse[1:])), (chain, rmse)


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(PlannerError, match="256"):
        fake_quantize(np.zeros((4, 100), np.float32), "Q4_K")
    with pytest.raises(PlannerError, match="NaN"):
        fake_quantize(np.array([np.nan] * 32, np.float32), "Q8_0")
    with pytest.raises(PlannerError, match="not simulated"):
        fake_quantize(np.zeros(256, np.float32), "iq2_xxs")
    with pytest.raises(PlannerError):
        gaussian_sample(1000)


def test_student_t_sample_is_heavier_tailed_with_the_same_spread():
    g = gaussian_sample(64 * 4096, seed=7).ravel().astype(np.float64)
    t = gaussian_sample(64 * 4096, seed=7, dof=4.5).ravel().astype(np.float64)
    assert g.std() == pytest.approx(0.02, rel=0.02) and t.std() == pytest.approx(0.02, rel=0.05)
    kurt = lambda v: ((v - v.mean()) ** 4).mean() / v.var() ** 2  # noqa: E731
    assert kurt(g) == pytest.approx(3, abs=0.1) and kurt(t) > 4

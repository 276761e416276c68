"""Speed of the measured-error computation on a 4096 × 4096 tensor (measured, not asserted: run with
``pytest tests/benchmarks --benchmark-enable``)."""
import pytest

from llmplanner.core.quant_sim import gaussian_sample, quantization_error

FORMATS = ["f16", "q8_0", "q6_k", "q4_k_m", "q4_0", "q2_k", "nf4", "fp8", "gptq-int4"]


@pytest.fixture(scope="module")
def weights():
    return gaussian_sample(4096 * 4096, seed=0)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_quantization_error_4096_square(benchmark, weights, fmt):
    result = benchmark(quantization_error, weights, fmt)
    assert result.n == weights.size

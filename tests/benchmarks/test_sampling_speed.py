"""How long one engine chain takes on a 256k-token vocabulary (issue #6: under 10 ms, so that the Sampling
tab can rerun it on every slider move). Measured with pytest-benchmark; nothing here asserts a time.

Run:  pytest tests/benchmarks --benchmark-enable
(the default test run has --benchmark-disable and runs each case once, as a smoke test).
"""
import pytest

from llmplanner.core.sampling import Distribution, SamplerSettings, run_chain, zipf_distribution

VOCAB = 262_144


@pytest.fixture(scope="module")
def zipf():
    return zipf_distribution(VOCAB, top_probability=0.3, exponent=1.1)


def what_the_tab_reads(result):
    """The final distribution over the whole vocabulary and each stage's numbers."""
    for stage in result.stages:
        stage.kept_count, stage.entropy_bits
    return result.probs


@pytest.mark.parametrize("engine", ["llama.cpp", "hf", "vllm", "ollama"])
def test_engine_defaults_on_a_slider_move(benchmark, zipf, engine):
    """The distribution stays, the settings change: the case of a slider being dragged."""
    result = benchmark(lambda: run_chain(zipf, SamplerSettings(temperature=0.7), engine, use_defaults=True))
    assert what_the_tab_reads(result).shape == (VOCAB,)


def test_llama_cpp_default_chain_with_a_new_distribution(benchmark, zipf):
    """Everything from fresh logits: softmax of 256k tokens included."""
    logits = zipf.logits.copy()

    def fresh():
        result = run_chain(Distribution(logits, zipf.tokens), SamplerSettings(), "llama.cpp", use_defaults=True)
        return what_the_tab_reads(result)

    assert benchmark(fresh).shape == (VOCAB,)


@pytest.mark.parametrize("engine, settings", [
    ("llama.cpp", {"top_p": 0.95}), ("hf", {"top_p": 0.95}), ("llama.cpp", {"typical_p": 0.9}),
    ("llama.cpp", {"min_p": 0.01, "xtc_probability": 0.5, "xtc_threshold": 0.01}),
    ("llama.cpp", {"repetition_penalty": 1.2, "dry_multiplier": 0.8, "history": tuple(range(0, 2000, 3)) * 2}),
], ids=["top_p-llama", "top_p-hf", "typical-llama", "min_p+xtc", "penalties+dry"])
def test_whole_vocabulary_samplers(benchmark, zipf, engine, settings):
    """Samplers that must walk far into the 256k tail (no top-k first)."""
    result = benchmark(lambda: run_chain(zipf, SamplerSettings(**settings), engine))
    assert what_the_tab_reads(result).sum() == pytest.approx(1.0, abs=1e-4)

"""vLLM's and Ollama's chains, from their sources (cited in llmplanner/core/sampling/engines/)."""
import numpy as np
import pytest

from llmplanner.core.sampling import Distribution, SamplerSettings, SettingError, get_engine, run_chain


def run(engine, logits, **settings):
    return run_chain(Distribution.from_logits(logits), SamplerSettings(**settings), engine)


LOG5 = np.log([0.5, 0.2, 0.15, 0.1, 0.05])

# --- vLLM (vllm/v1/sample/sampler.py, ops/topk_topp_sampler.py, sampling_params.py) ----------------------------


def test_vllm_order_min_p_then_top_k_then_top_p():
    r = run("vllm", [1, 2, 3])
    assert [s.key for s in r.stages] == ["input", "logit_bias", "penalties", "temperature", "min_p", "top_k",
                                         "top_p"]


def test_vllm_min_p_before_top_p_changes_the_cut():
    # min-p 0.25 leaves (0.5, 0.2, 0.15); renormalised, 0.15 becomes 0.176 <= 1 - 0.8 and top-p removes it.
    # transformers applies top-p first (three tokens reach 0.8) and min-p then keeps all three.
    assert (run("vllm", LOG5, min_p=0.25, top_p=0.8).probs > 0).sum() == 2
    assert (run("hf", LOG5, min_p=0.25, top_p=0.8).probs > 0).sum() == 3


def test_vllm_top_k_keeps_ties():
    assert (run("vllm", [1, 1, 1, 0], top_k=2).probs > 0).sum() == 3


def test_vllm_greedy_resets_truncation_and_keeps_penalties():
    r = run("vllm", [3.0, 2.5, 0.0], temperature=0.0, repetition_penalty=2.0, history=(0,), top_k=3)
    assert list(r.probs) == [0, 1, 0]
    assert r.settings["top_k"] == 0 and r.stage("greedy").active


def test_vllm_tiny_temperature_is_raised_to_a_hundredth():
    r = run("vllm", [1.0, 0.0], temperature=0.001)
    assert r.settings["temperature"] == 0.01 and r.notes


def test_vllm_frequency_and_presence_count_output_tokens_only():
    hist = (0, 0, 1)  # token 0 twice in the prompt, token 1 once generated
    r = run("vllm", [0.0, 0.0, 0.0], history=hist, prompt_length=2, frequency_penalty=1.0, presence_penalty=0.5)
    lg = np.log(r.probs / r.probs[2])
    assert lg[0] == pytest.approx(0.0, abs=1e-6) and lg[1] == pytest.approx(-1.5, abs=1e-6)
    # the repetition penalty counts prompt and output alike
    r = run("vllm", [1.0, 1.0, 1.0], history=hist, prompt_length=2, repetition_penalty=2.0)
    lg = np.log(r.probs / r.probs[2])
    assert lg[0] == pytest.approx(-0.5, abs=1e-6) and lg[1] == pytest.approx(-0.5, abs=1e-6)


def test_vllm_logit_bias_is_clamped_to_100():
    r = run("vllm", [0.0, 0.0], logit_bias=((1, 500.0),))
    assert r.settings["logit_bias"] == ((1, 100.0),) and r.notes


@pytest.mark.parametrize("settings, words", [
    ({"temperature": -0.1}, "non-negative"), ({"temperature": 2.01}, "[0, 2]"), ({"top_p": 0.0}, "(0, 1]"),
    ({"top_p": 1.2}, "(0, 1]"), ({"top_k": -2}, "0 (disable)"), ({"min_p": -0.1}, "[0, 1]"),
    ({"frequency_penalty": 2.5}, "[-2, 2]"), ({"presence_penalty": -3.0}, "[-2, 2]"),
    ({"repetition_penalty": 0.0}, "> 0"), ({"logit_bias": ((9, 1.0),)}, "out of the vocabulary"),
    ({"typical_p": 0.5}, "no typical-p"), ({"min_keep": 2}, "no min_keep"),
])
def test_vllm_refusals(settings, words):
    with pytest.raises(SettingError) as e:
        run("vllm", [1.0, 2.0, 3.0], **settings)
    assert words in str(e.value)


def test_vllm_top_k_minus_one_and_zero_disable():
    for k in (0, -1, 3):
        assert not run("vllm", [1.0, 2.0, 3.0], top_k=k).stage("top_k").active


# --- Ollama v0.30+ (llama-server backend) ---------------------------------------------------------------------

def test_ollama_defaults_are_its_own_not_llama_servers():
    r = run_chain(Distribution.from_logits(-0.05 * np.arange(100)), SamplerSettings(), "ollama", use_defaults=True)
    assert r.settings["temperature"] == 0.8 and r.settings["top_p"] == 0.9 and r.settings["top_k"] == 40
    assert r.settings["min_p"] == 0.0  # llama-server's own default 0.05 is overridden by Ollama's 0
    assert not r.stage("min_p").active


def test_ollama_uses_llama_cpp_order_and_greedy():
    r = run("ollama", [1, 3, 3, 0.5], temperature=0.0)
    assert list(r.probs) == [0, 1, 0, 0] and r.stages[-1].key == "temperature"


def test_ollama_typical_zero_is_not_sent():
    r = run("ollama", [1.0, 2.0, 3.0], typical_p=0.0)
    assert not r.stage("typical_p").active and r.notes
    assert run("llama.cpp", [1.0, 2.0, 3.0], typical_p=0.0).final.kept_count == 1


@pytest.mark.parametrize("name", ["xtc_probability", "dry_multiplier", "mirostat", "logit_bias", "min_keep",
                                  "top_n_sigma", "samplers"])
def test_ollama_lacks_llama_options(name):
    value = {"logit_bias": ((0, 1.0),), "samplers": ("top_k",)}.get(name, 1)
    with pytest.raises(SettingError):
        run("ollama", [1.0, 2.0], **{name: value})


# --- Ollama's Go sampler (v0.5.13 to v0.29, sample/transforms.go) ---------------------------------------------

def test_go_top_p_is_strict():
    # uniform 0.25 x 4, top-p 0.5: the sum equals 0.5 after two tokens; Go needs "> p" and takes a third
    assert run("ollama-go", [0, 0, 0, 0], top_p=0.5).final.kept_count == 3
    assert run("llama.cpp", [0, 0, 0, 0], top_p=0.5).final.kept_count == 2
    assert run("hf", [0, 0, 0, 0], top_p=0.5).final.kept_count == 2


def test_go_greedy_ignores_everything_else():
    r = run("ollama-go", [1.0, 3.0, 3.0, 0.5], temperature=0.0, top_k=1, min_p=0.9)
    assert list(r.probs) == [0, 1, 0, 0] and [s.key for s in r.stages] == ["input", "greedy"]


def test_go_clamps_instead_of_refusing():
    r = run("ollama-go", [1.0, 2.0, 3.0], temperature=-1.0, top_p=1.5, min_p=-0.2)
    assert r.settings["temperature"] == 0.0 and r.settings["top_p"] == 1.0 and len(r.notes) == 3


def test_go_has_no_penalties():
    with pytest.raises(SettingError, match="ignores"):
        run("ollama-go", [1.0, 2.0], repetition_penalty=1.2)


def test_every_engine_names_its_version_and_sources():
    for name in ("hf", "llama.cpp", "vllm", "ollama", "ollama-go"):
        e = get_engine(name)
        assert e.version and e.sources and all("/" in s or s.endswith(".go") for s in e.sources)

"""Ollama: two generations of its sampler.

``ollama`` (v0.30 and later): since PR #16031 (2026-05-29, "use llama-server exclusively for GGML
models") Ollama runs llama.cpp's llama-server and forwards its own options in the ``/completion`` request
(llm/llama_server.go ``llamaServerCompletionRequest``): temperature, top_k, top_p, min_p, typical_p
(``omitempty``: 0 is not sent, so llama-server keeps its 1.0), repeat_last_n, repeat_penalty,
frequency_penalty, presence_penalty, seed. The chain is llama.cpp's default one. Defaults are
api/types.go ``DefaultOptions``: temperature 0.8, top_k 40, top_p 0.9, typical_p 1.0, repeat_last_n 64,
repeat_penalty 1.0, presence/frequency 0; min_p is unset, hence 0 (llama-server's own 0.05 is overridden).
A Modelfile's PARAMETER lines replace these per model.

``ollama-go`` (v0.5.13 to v0.29): Ollama's own Go sampler for the models its new engine ran
(sample/samplers.go and sample/transforms.go at 9db4bdbad^): temperature 0 is greedy on the raw logits;
otherwise top-k (a heap; k <= 0 or >= n keeps all), temperature (at least 1e-7), softmax, top-p with a
strict ``sum > p``, min-p. ``NewSampler`` clamps a negative temperature to 0 and top_p, min_p to [0, 1]. It
applies no penalties (the token-history options were added and reverted, PR #14537/#14776): Ollama
ignores those options there; we refuse them so that the comparison is not silently wrong.
"""
from __future__ import annotations

from functools import partial

from ..chain import Stage
from ..temperature import first_max
from ..truncation import min_p_prob, top_k_exact, top_p_strict
from ..step import Step
from .base import EngineProfile, check_history, finite, fmt
from .llama_cpp import LlamaCpp

GO = "sample/transforms.go"


class Ollama(LlamaCpp):
    id = "ollama"
    name = "Ollama"
    version = "Ollama v0.30+ (llama-server backend, llm/llama_server.go, api/types.go)"
    sources = ("api/types.go", "llm/llama_server.go") + LlamaCpp.sources
    parameters = {
        "temperature": "temperature", "top_k": "top_k", "top_p": "top_p", "min_p": "min_p",
        "typical_p": "typical_p", "repetition_penalty": "repeat_penalty", "penalty_last_n": "repeat_last_n",
        "frequency_penalty": "frequency_penalty", "presence_penalty": "presence_penalty",
    }
    defaults = {"temperature": 0.8, "top_k": 40, "top_p": 0.9, "min_p": 0.0, "typical_p": 1.0,
                "penalty_last_n": 64, "repetition_penalty": 1.0, "presence_penalty": 0.0,
                "frequency_penalty": 0.0}
    off = LlamaCpp.off  # what Ollama does not forward, llama-server takes from its own defaults
    missing = {k: f"Ollama has no {k} option (api/types.go Options)" for k in (
        "top_n_sigma", "xtc_probability", "xtc_threshold", "dry_multiplier", "dry_base", "dry_allowed_length",
        "dry_penalty_last_n", "dry_sequence_breakers", "dynatemp_range", "dynatemp_exponent", "min_keep",
        "logit_bias", "samplers", "epsilon_cutoff", "eta_cutoff", "do_sample")}
    missing["mirostat"] = "Ollama no longer has Mirostat options (api/types.go Options)"
    missing["mirostat_tau"] = missing["mirostat_eta"] = missing["mirostat"]

    def check(self, v, dist):
        notes = []
        if v["typical_p"] == 0:
            notes.append("typical_p 0 is not sent (omitempty): llama-server keeps 1.0, typical-p off")
            v["typical_p"] = 1.0
        v, more = super().check(v, dist)
        return v, notes + more


class OllamaGo(EngineProfile):
    id = "ollama-go"
    name = "Ollama Go sampler"
    version = "Ollama v0.5.13 to v0.29 (sample/samplers.go, sample/transforms.go)"
    sources = ("sample/samplers.go", GO, "api/types.go")
    parameters = {"temperature": "temperature", "top_k": "top_k", "top_p": "top_p", "min_p": "min_p"}
    defaults = {"temperature": 0.8, "top_k": 40, "top_p": 0.9, "min_p": 0.0}
    off = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0}
    missing = {k: "Ollama's Go sampler ignores it (NewSampler takes temperature, top_k, top_p, min_p only)"
               for k in ("typical_p", "repetition_penalty", "frequency_penalty", "presence_penalty",
                         "penalty_last_n", "logit_bias")}

    def check(self, v, dist):
        finite(self, v, "temperature", "top_p", "min_p")
        check_history(self, v)
        notes = []
        for name, lo, hi in (("temperature", 0.0, None), ("top_p", 0.0, 1.0), ("min_p", 0.0, 1.0)):
            x = v[name]
            y = max(lo, x) if hi is None else min(hi, max(lo, x))
            if y != x:
                notes.append(f"{name} {fmt(x)} clamped to {fmt(y)} (NewSampler)")
                v[name] = y
        return v, notes

    def stages(self, v, dist):
        t = v["temperature"]
        if t == 0:
            return [Stage("greedy", "greedy (temperature 0)", first_max, source="sample/samplers.go",
                          note="temperature 0: the first maximal raw logit; nothing else runs")], None
        k = v["top_k"]
        out = [Stage("top_k", f"top-k {k}", partial(top_k_exact, k=k), source=GO)
               if 0 < k < dist.size else Stage.off("top_k", "top-k", "top_k <= 0 or >= vocabulary: all tokens "
                                                   "(sorted)", GO)]
        out.append(Stage("temperature", f"temperature {fmt(t)}", partial(_go_temperature, temp=t), source=GO)
                   if t != 1.0 else Stage.off("temperature", "temperature 1", "temperature 1: unchanged", GO))
        p = v["top_p"]
        out.append(Stage("top_p", f"top-p {fmt(p)}", partial(top_p_strict, p=p), source=GO,
                         note="stops when the sum exceeds p (strict)")
                   if p != 1.0 else Stage.off("top_p", "top-p", "top_p 1: off", GO))
        m = v["min_p"]
        out.append(Stage("min_p", f"min-p {fmt(m)}", partial(min_p_prob, p=m, min_keep=0), source=GO)
                   if m > 0 else Stage.off("min_p", "min-p", "min_p 0: every token passes", GO))
        return out, None


def _go_temperature(c, temp):
    """``temperature``: logits / max(temp, 1e-7)."""
    return Step.of(c.with_logits(c.logits / max(temp, 1e-7)), {"temperature": float(temp)})

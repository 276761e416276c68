"""vLLM (v1 engine, 0.24 and later) through its OpenAI-compatible server.

Sources (github.com/vllm-project/vllm):
- vllm/v1/sample/sampler.py ``Sampler``: logits to float32; the non-argmax-invariant processors (logit
  bias); penalties; if the temperature is below ``_SAMPLING_EPS`` (1e-5): argmax; else temperature, the
  argmax-invariant processors (min-p), then top-k and top-p; sample.
- vllm/v1/sample/logits_processor/builtin.py ``MinPLogitsProcessor``, ``LogitBiasLogitsProcessor``.
- vllm/v1/sample/ops/topk_topp_sampler.py ``apply_top_k_top_p``: top-k keeps ties with the k-th logit;
  top-p on the re-normalised survivors removes ascending ``cumsum <= 1 - p``, keeping at least one.
- vllm/model_executor/layers/utils.py ``apply_penalties``: repetition over prompt and output tokens;
  frequency (count) and presence (count > 0) over output tokens only (the OpenAI definition).
- vllm/sampling_params.py ``SamplingParams``: defaults (temperature 1, top_p 1, top_k 0, min_p 0, no
  penalties) and ``_verify_args``: temperature in [0, 2] (upper bound since PR #44965, v0.24), top_p in
  (0, 1], top_k >= -1 (0 and -1 disable), min_p in [0, 1], presence and frequency in [-2, 2], repetition
  > 0; ``0 < temperature < 0.01`` is raised to 0.01; below 1e-5 top_p, top_k and min_p are reset (greedy).
  ``from_optional`` (the OpenAI server's path) clamps each logit bias to [-100, 100].
The server applies the model's generation_config.json over these defaults unless told not to.
"""
from __future__ import annotations

from functools import partial

from ..chain import Stage
from ..distribution import DTYPE as F
from ..penalties import logit_bias, openai_penalties
from ..temperature import first_max, scale
from ..truncation import min_p_prob, top_k_keep_ties, top_p_tail
from .base import EngineProfile, check_history, finite, fmt

SAMPLER = "vllm/v1/sample/sampler.py"
TOPKP = "vllm/v1/sample/ops/topk_topp_sampler.py"
SAMPLING_EPS = 1e-5
MIN_TEMP = 1e-2


class VLLM(EngineProfile):
    id = "vllm"
    name = "vLLM"
    version = "vLLM >= 0.24, v1 sampler, OpenAI-compatible server"
    sources = (SAMPLER, TOPKP, "vllm/v1/sample/logits_processor/builtin.py",
               "vllm/model_executor/layers/utils.py", "vllm/sampling_params.py")
    parameters = {
        "temperature": "temperature", "top_k": "top_k", "top_p": "top_p", "min_p": "min_p",
        "repetition_penalty": "repetition_penalty", "frequency_penalty": "frequency_penalty",
        "presence_penalty": "presence_penalty", "logit_bias": "logit_bias",
    }
    defaults = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0, "repetition_penalty": 1.0,
                "frequency_penalty": 0.0, "presence_penalty": 0.0}
    off = dict(defaults)
    missing = {
        "typical_p": "vLLM has no typical-p sampler (no such field in SamplingParams)",
        "min_keep": "vLLM has no min_keep setting",
        "penalty_last_n": "vLLM's penalties count the whole prompt and output, they have no window",
        "samplers": "vLLM's sampler order is fixed (vllm/v1/sample/sampler.py)",
    }

    def check(self, v, dist):
        finite(self, v, "temperature", "top_p", "min_p", "repetition_penalty", "frequency_penalty",
               "presence_penalty")
        check_history(self, v)
        notes = []
        t = v["temperature"]
        if t < 0:
            raise self.error("temperature", f"vLLM requires a non-negative temperature, got {fmt(t)}")
        if t > 2.0:
            raise self.error("temperature", f"vLLM requires temperature in [0, 2], got {fmt(t)}")
        if 0 < t < MIN_TEMP:
            notes.append(f"temperature {fmt(t)} is raised to {MIN_TEMP} (vLLM guards against overflow)")
            v["temperature"] = MIN_TEMP
        if not 0.0 < v["top_p"] <= 1.0:
            raise self.error("top_p", f"vLLM requires top_p in (0, 1], got {fmt(v['top_p'])}")
        if v["top_k"] < -1:
            raise self.error("top_k", f"vLLM requires top_k to be 0 (disable), or at least 1, got {v['top_k']}")
        if not 0.0 <= v["min_p"] <= 1.0:
            raise self.error("min_p", f"vLLM requires min_p in [0, 1], got {fmt(v['min_p'])}")
        for name in ("presence_penalty", "frequency_penalty"):
            if not -2.0 <= v[name] <= 2.0:
                raise self.error(name, f"vLLM requires {name} in [-2, 2], got {fmt(v[name])}")
        if v["repetition_penalty"] <= 0:
            raise self.error("repetition_penalty", f"vLLM requires repetition_penalty > 0, got "
                                                   f"{fmt(v['repetition_penalty'])}")
        bad = [tok for tok, _ in v["logit_bias"] if not 0 <= tok < dist.size]
        if bad:
            raise self.error("logit_bias", f"token id(s) {bad} in logit_bias are out of the vocabulary of "
                                           f"{dist.size}")
        bias = {}
        for tok, b in v["logit_bias"]:
            bias[tok] = min(100.0, max(-100.0, b))
            if bias[tok] != b:
                notes.append(f"logit bias {fmt(b)} for token {tok} clamped to {fmt(bias[tok])}")
        v["logit_bias"] = tuple(bias.items())
        if v["temperature"] < SAMPLING_EPS:
            v["top_p"], v["top_k"], v["min_p"] = 1.0, 0, 0.0
        return v, notes

    def stages(self, v, dist):
        out = []
        out.append(Stage("logit_bias", f"logit bias ({len(v['logit_bias'])})",
                         partial(logit_bias, bias=v["logit_bias"]), source="logits_processor/builtin.py")
                   if v["logit_bias"] else Stage.off("logit_bias", "logit bias", "no logit_bias given"))
        rep, freq, pres = v["repetition_penalty"], v["frequency_penalty"], v["presence_penalty"]
        label = f"penalties (repetition {fmt(rep)}, frequency {fmt(freq)}, presence {fmt(pres)})"
        if rep == 1.0 and freq == 0.0 and pres == 0.0:
            out.append(Stage.off("penalties", label, "no penalty set", "vllm/model_executor/layers/utils.py"))
        else:
            hist, plen = v["history"], v["prompt_length"]
            out.append(Stage("penalties", label, partial(openai_penalties, seen=hist, generated=hist[plen:],
                                                         repetition=rep, frequency=freq, presence=pres),
                             source="vllm/model_executor/layers/utils.py",
                             note="repetition over prompt + output; frequency/presence over output only"))
        t = v["temperature"]
        if t < SAMPLING_EPS:
            out.append(Stage("greedy", "greedy (temperature 0)", first_max, source=SAMPLER,
                             note="temperature < 1e-5: argmax; top_k, top_p and min_p are reset"))
            return out, None
        out.append(Stage("temperature", f"temperature {fmt(t)}", partial(scale, temperature=t), source=SAMPLER)
                   if t != 1.0 else Stage.off("temperature", "temperature 1", "temperature 1: logits unchanged"))
        m = v["min_p"]
        out.append(Stage("min_p", f"min-p {fmt(m)}", partial(min_p_prob, p=m, min_keep=0),
                         source="logits_processor/builtin.py", note="applied before top-k and top-p")
                   if m > 0 else Stage.off("min_p", "min-p", "min_p 0: off"))
        k = v["top_k"]
        use_k = 0 < k < dist.size
        out.append(Stage("top_k", f"top-k {k}", partial(top_k_keep_ties, k=k), source=TOPKP,
                         note="keeps every token tied with the k-th")
                   if use_k else Stage.off("top_k", "top-k", "top_k 0, -1 or >= vocabulary: off"))
        p = v["top_p"]
        out.append(Stage("top_p", f"top-p {fmt(p)}",
                         partial(top_p_tail, p=p, min_keep=1, one_minus_p=float(F(1) - F(p))),
                         source=TOPKP) if p < 1.0 else Stage.off("top_p", "top-p", "top_p 1: off"))
        return out, None

"""Hugging Face transformers ``generate(do_sample=True)``.

Sources (transformers 5.24, src/transformers/generation/):
- utils.py ``GenerationMixin._get_logits_processor``: the order. Processors first (``sequence_bias``,
  ``repetition_penalty`` when != 1.0), then, only when ``do_sample``, the warpers: temperature (when != 1.0),
  top-k (when != 0), top-p (when < 1.0), min-p (when set), typical-p (when < 1.0), epsilon (when in (0, 1)),
  eta (when in (0, 1)), each with ``min_tokens_to_keep = 1`` for sampling without beams. Greedy search
  (``do_sample=False``) takes the argmax after the processors.
- logits_process.py: each warper's rule and its refusals (``TemperatureLogitsWarper``: the temperature must
  be a strictly positive float, 0 is refused with "set do_sample=False"; ``TopPLogitsWarper``: top_p in
  [0, 1]; ``TopKLogitsWarper``: a strictly positive integer; ``MinPLogitsWarper``: [0, 1];
  ``TypicalLogitsWarper``: (0, 1); ``RepetitionPenaltyLogitsProcessor``: > 0;
  ``SequenceBiasLogitsProcessor``: token ids in the vocabulary).
- configuration_utils.py ``GenerationConfig._get_default_generation_params``: defaults temperature 1.0,
  top_k 50, top_p 1.0, typical_p 1.0, repetition_penalty 1.0, epsilon/eta 0. A model's
  ``generation_config.json`` usually overrides them.
The repetition penalty counts every token of ``input_ids`` (prompt and generated), each once.
"""
from __future__ import annotations

from functools import partial

from ..chain import Stage
from ..penalties import logit_bias, repetition_divide_or_multiply
from ..temperature import first_max, scale
from ..truncation import epsilon_cut, eta_cut, min_p_prob, top_k_keep_ties, top_p_tail, typical_hf
from .base import EngineProfile, check_history, finite, fmt

SRC = "src/transformers/generation/logits_process.py"


class Transformers(EngineProfile):
    id = "hf"
    name = "Hugging Face transformers"
    version = "transformers 5.24 generate() with do_sample=True"
    sources = ("src/transformers/generation/utils.py", SRC, "src/transformers/generation/configuration_utils.py")
    parameters = {
        "temperature": "temperature", "top_k": "top_k", "top_p": "top_p", "min_p": "min_p",
        "typical_p": "typical_p", "epsilon_cutoff": "epsilon_cutoff", "eta_cutoff": "eta_cutoff",
        "repetition_penalty": "repetition_penalty", "logit_bias": "sequence_bias", "do_sample": "do_sample",
    }
    defaults = {"temperature": 1.0, "top_k": 50, "top_p": 1.0, "min_p": None, "typical_p": 1.0,
                "epsilon_cutoff": 0.0, "eta_cutoff": 0.0, "repetition_penalty": 1.0, "do_sample": True}
    off = {**defaults, "top_k": 0}
    missing = {
        "min_keep": "transformers' generate() has no min_keep option (it passes min_tokens_to_keep=1 when "
                    "sampling without beams)",
        "frequency_penalty": "transformers has no frequency penalty (only repetition_penalty)",
        "presence_penalty": "transformers has no presence penalty (only repetition_penalty)",
        "penalty_last_n": "transformers' repetition penalty counts the whole input, it has no window",
        "mirostat": "transformers has no Mirostat sampler",
        "samplers": "transformers' warper order is fixed by _get_logits_processor",
    }

    def check(self, v, dist):
        finite(self, v, "temperature", "top_p", "min_p", "typical_p", "repetition_penalty")
        check_history(self, v)
        notes = []
        if v["repetition_penalty"] != 1.0 and not v["repetition_penalty"] > 0:
            raise self.error("repetition_penalty", f"transformers requires a strictly positive "
                                                   f"repetition_penalty, got {fmt(v['repetition_penalty'])}")
        for tok, _ in v["logit_bias"]:
            if tok < 0 or tok >= dist.size:
                raise self.error("logit_bias", f"the vocabulary size is {dist.size}, but token {tok} is being "
                                               "biased (SequenceBiasLogitsProcessor refuses it)")
        if not v["do_sample"]:
            return v, notes
        t = v["temperature"]
        if t != 1.0 and not t > 0:
            hint = " If you're looking for greedy decoding, set do_sample=False." if t == 0 else ""
            raise self.error("temperature", f"transformers requires a strictly positive temperature, got "
                                            f"{fmt(t)}.{hint}")
        if v["top_k"] != 0 and v["top_k"] <= 0:
            raise self.error("top_k", f"transformers requires top_k to be a strictly positive integer, got "
                                      f"{v['top_k']}")
        if v["top_p"] < 1.0 and v["top_p"] < 0:
            raise self.error("top_p", f"transformers requires top_p in [0, 1], got {fmt(v['top_p'])}")
        if v["top_p"] > 1.0:
            notes.append(f"top_p {fmt(v['top_p'])} > 1 is not applied (generate adds top-p only below 1)")
        if v["min_p"] is not None and not 0 <= v["min_p"] <= 1:
            raise self.error("min_p", f"transformers requires min_p in [0, 1], got {fmt(v['min_p'])}")
        if v["typical_p"] < 1.0 and not v["typical_p"] > 0:
            raise self.error("typical_p", f"transformers requires typical_p in (0, 1), got {fmt(v['typical_p'])}")
        for name in ("epsilon_cutoff", "eta_cutoff"):
            x = v[name]
            if x and not 0 < x < 1:
                notes.append(f"{name} {fmt(x)} is outside (0, 1): generate does not apply it")
        return v, notes

    def stages(self, v, dist):
        out = []
        if v["logit_bias"]:
            out.append(Stage("logit_bias", f"sequence bias ({len(v['logit_bias'])})",
                             partial(logit_bias, bias=tuple(dict(v["logit_bias"]).items())), source=SRC))
        else:
            out.append(Stage.off("logit_bias", "sequence bias", "no sequence_bias given", SRC))
        rp = v["repetition_penalty"]
        if rp != 1.0:
            out.append(Stage("repetition_penalty", f"repetition penalty {fmt(rp)}",
                             partial(repetition_divide_or_multiply, tokens=v["history"], penalty=rp,
                                     multiply_at_zero=False), source=SRC))
        else:
            out.append(Stage.off("repetition_penalty", "repetition penalty", "repetition_penalty 1.0: off", SRC))
        if not v["do_sample"]:
            out.append(Stage("greedy", "greedy search (do_sample=False)", first_max, source="utils.py _sample",
                             note="argmax after the logits processors; the warpers are not used"))
            return out, None
        t = v["temperature"]
        out.append(Stage("temperature", f"temperature {fmt(t)}", partial(scale, temperature=t), source=SRC)
                   if t != 1.0 else Stage.off("temperature", "temperature 1", "temperature 1.0: not added", SRC))
        k = v["top_k"]
        out.append(Stage("top_k", f"top-k {k}", partial(top_k_keep_ties, k=k), source=SRC,
                         note="keeps every token tied with the k-th") if k != 0 else
                   Stage.off("top_k", "top-k", "top_k 0: not added", SRC))
        p = v["top_p"]
        out.append(Stage("top_p", f"top-p {fmt(p)}", partial(top_p_tail, p=p, min_keep=1), source=SRC)
                   if p < 1.0 else Stage.off("top_p", "top-p", "top_p >= 1: not added", SRC))
        m = v["min_p"]
        out.append(Stage("min_p", f"min-p {fmt(m)}", partial(min_p_prob, p=m, min_keep=1), source=SRC)
                   if m is not None else Stage.off("min_p", "min-p", "min_p not set: not added", SRC))
        ty = v["typical_p"]
        out.append(Stage("typical_p", f"typical-p {fmt(ty)}", partial(typical_hf, mass=ty, min_keep=1), source=SRC)
                   if ty < 1.0 else Stage.off("typical_p", "typical-p", "typical_p >= 1: not added", SRC))
        e = v["epsilon_cutoff"]
        out.append(Stage("epsilon_cutoff", f"epsilon {fmt(e)}", partial(epsilon_cut, epsilon=e, min_keep=1),
                         source=SRC) if 0 < e < 1 else
                   Stage.off("epsilon_cutoff", "epsilon cut-off", "epsilon_cutoff not in (0, 1): not added", SRC))
        eta = v["eta_cutoff"]
        out.append(Stage("eta_cutoff", f"eta {fmt(eta)}", partial(eta_cut, epsilon=eta, min_keep=1), source=SRC)
                   if 0 < eta < 1 else
                   Stage.off("eta_cutoff", "eta cut-off", "eta_cutoff not in (0, 1): not added", SRC))
        return out, None

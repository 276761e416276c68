"""llama.cpp's sampler chain, as llama-server builds it for a ``/completion`` request.

Sources (github.com/ggml-org/llama.cpp, 2026 master):
- common/common.h ``common_params_sampling``: defaults and the default order
  ``penalties; dry; top_n_sigma; top_k; typ_p; top_p; min_p; xtc; temperature``.
- common/sampling.cpp ``common_sampler_init``: logit bias first; the samplers in ``params.samplers``
  order; ``dist`` last; with ``mirostat`` 1 or 2 the chain is only ``temp`` then Mirostat.
  ``common_sampler_types_from_names`` / ``_from_chars``: ``--samplers`` names (unknown names are skipped with
  a warning, not refused).
- src/llama-sampling.cpp: each sampler (cited in ``truncation``, ``penalties``, ``temperature``,
  ``mirostat``). ``temp <= 0`` keeps only the top token: greedy, at the temperature's place in the chain.
- tools/server/server-context.cpp ``params_from_json_cmpl``: ``repeat_last_n`` and ``dry_penalty_last_n``
  below -1 are refused, -1 means the context size; ``dry_base < 1`` is replaced by the default 1.75. The
  server feeds the prompt tokens to the samplers (``common_sampler_accept`` for each prompt token), so the
  penalties count prompt and generated tokens alike, over the last ``repeat_last_n`` of them.
"""
from __future__ import annotations

from functools import partial

from ..chain import Stage
from ..distribution import Distribution
from ..mirostat import MirostatState, mirostat_v1, mirostat_v2
from ..penalties import dry, dry_breaker_ids, llama_penalties, logit_bias
from ..settings import LABELS
from ..temperature import llama_dynatemp, llama_temperature
from ..truncation import min_p_logit, top_k_exact, top_n_sigma, top_p_inclusive, typical_llama, xtc
from .base import EngineProfile, check_history, finite, fmt

DEFAULT_ORDER = ("penalties", "dry", "top_n_sigma", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature")

#: ``common_sampler_types_from_names``: canonical names, then the alternative spellings.
SAMPLER_NAMES = {
    "dry": "dry", "top_k": "top_k", "top_p": "top_p", "top_n_sigma": "top_n_sigma", "typ_p": "typ_p",
    "min_p": "min_p", "temperature": "temperature", "xtc": "xtc", "infill": "infill", "penalties": "penalties",
    "adaptive_p": "adaptive_p",
    "top-k": "top_k", "top-p": "top_p", "top-n-sigma": "top_n_sigma", "nucleus": "top_p",
    "typical-p": "typ_p", "typical": "typ_p", "typ-p": "typ_p", "typ": "typ_p", "min-p": "min_p",
    "temp": "temperature", "adaptive-p": "adaptive_p",
}
#: ``common_sampler_type_to_chr`` (``--sampling-seq``).
SAMPLER_CHARS = {"d": "dry", "k": "top_k", "y": "typ_p", "p": "top_p", "s": "top_n_sigma", "m": "min_p",
                 "t": "temperature", "x": "xtc", "i": "infill", "e": "penalties", "a": "adaptive_p"}
NOT_MODELLED = {"infill": "needs the model's vocabulary (end-of-generation tokens)",
                "adaptive_p": "the adaptive-p sampler is not modelled"}

SAMPLING_C = "src/llama-sampling.cpp"


def parse_order(names) -> tuple[tuple[str, ...], list[str]]:
    """The chain order from ``--samplers`` names (``;`` or ``,`` separated) or a ``--sampling-seq`` string."""
    items: list[str] = []
    for n in names:
        items.extend(x for x in str(n).replace(",", ";").split(";") if x.strip())
    items = [x.strip() for x in items]
    if len(items) == 1 and items[0] not in SAMPLER_NAMES and all(ch in SAMPLER_CHARS for ch in items[0]):
        return tuple(SAMPLER_CHARS[ch] for ch in items[0]), []
    order, notes = [], []
    for x in items:
        if x in SAMPLER_NAMES:
            order.append(SAMPLER_NAMES[x])
        else:
            notes.append(f"unknown sampler name {x!r} skipped (llama.cpp only warns)")
    return tuple(order), notes


class LlamaCpp(EngineProfile):
    id = "llama.cpp"
    name = "llama.cpp"
    version = "llama-server, 2026 master (common/common.h, common/sampling.cpp, src/llama-sampling.cpp)"
    sources = ("common/common.h", "common/sampling.cpp", SAMPLING_C, "tools/server/server-context.cpp")
    parameters = {
        "temperature": "temperature", "top_k": "top_k", "top_p": "top_p", "min_p": "min_p",
        "typical_p": "typical_p", "top_n_sigma": "top_n_sigma", "xtc_probability": "xtc_probability",
        "xtc_threshold": "xtc_threshold", "repetition_penalty": "repeat_penalty",
        "frequency_penalty": "frequency_penalty", "presence_penalty": "presence_penalty",
        "penalty_last_n": "repeat_last_n", "dry_multiplier": "dry_multiplier", "dry_base": "dry_base",
        "dry_allowed_length": "dry_allowed_length", "dry_penalty_last_n": "dry_penalty_last_n",
        "dry_sequence_breakers": "dry_sequence_breakers", "dynatemp_range": "dynatemp_range",
        "dynatemp_exponent": "dynatemp_exponent", "min_keep": "min_keep", "mirostat": "mirostat",
        "mirostat_tau": "mirostat_tau", "mirostat_eta": "mirostat_eta", "logit_bias": "logit_bias",
        "samplers": "samplers",
    }
    #: common/common.h ``common_params_sampling``.
    defaults = {
        "temperature": 0.8, "top_k": 40, "top_p": 0.95, "min_p": 0.05, "typical_p": 1.0, "top_n_sigma": -1.0,
        "xtc_probability": 0.0, "xtc_threshold": 0.1, "repetition_penalty": 1.0, "frequency_penalty": 0.0,
        "presence_penalty": 0.0, "penalty_last_n": 64, "dry_multiplier": 0.0, "dry_base": 1.75,
        "dry_allowed_length": 2, "dry_penalty_last_n": 64, "dry_sequence_breakers": ("\n", ":", '"', "*"),
        "dynatemp_range": 0.0, "dynatemp_exponent": 1.0, "min_keep": 0, "mirostat": 0, "mirostat_tau": 5.0,
        "mirostat_eta": 0.1, "samplers": DEFAULT_ORDER,
    }
    off = {**defaults, "temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0}
    missing = {
        "epsilon_cutoff": "llama.cpp has no epsilon cut-off sampler",
        "eta_cutoff": "llama.cpp has no eta cut-off sampler",
        "do_sample": "llama.cpp has no do_sample switch: a temperature <= 0 samples greedily",
    }

    def check(self, v, dist):
        notes: list[str] = []
        finite(self, v, "temperature", "top_p", "min_p", "typical_p", "repetition_penalty", "dry_base")
        check_history(self, v)
        if v["penalty_last_n"] < -1:
            raise self.error("penalty_last_n", "llama-server refuses repeat_last_n below -1 "
                                               "(\"repeat_last_n must be >= -1\")")
        if v["dry_penalty_last_n"] < -1:
            raise self.error("dry_penalty_last_n", "llama-server refuses dry_penalty_last_n below -1")
        if v["dry_base"] < 1.0:
            notes.append(f"dry_base {fmt(v['dry_base'])} < 1: llama-server uses its default 1.75")
            v["dry_base"] = 1.75
        if v["mirostat"] not in (0, 1, 2):
            raise self.error("mirostat", f"llama.cpp knows Mirostat 0 (off), 1 and 2, got {v['mirostat']} "
                                         "(common_sampler_init aborts: unknown mirostat version)")
        if v["min_keep"] < 0:
            raise self.error("min_keep", f"min_keep is a count of tokens, got {v['min_keep']}")
        if v["dry_allowed_length"] < 0:
            raise self.error("dry_allowed_length", "the DRY allowed length is a count of tokens")
        order, order_notes = parse_order(v["samplers"])
        notes += order_notes
        for name in order:
            if name in NOT_MODELLED:
                raise self.error("samplers", f"sampler {name!r}: {NOT_MODELLED[name]}")
        v["samplers"] = order
        bias = []
        for tok, b in v["logit_bias"]:
            if 0 <= tok < dist.size:
                bias.append((tok, b))
            else:
                notes.append(f"logit bias for token {tok} ignored: not in the {dist.size}-token vocabulary")
        v["logit_bias"] = tuple(bias)
        return v, notes

    # --- the chain -------------------------------------------------------------------------------------------

    def stages(self, v, dist: Distribution):
        out: list[Stage] = []
        if v["logit_bias"]:
            out.append(Stage("logit_bias", f"logit bias ({len(v['logit_bias'])})",
                             partial(logit_bias, bias=v["logit_bias"]), source=SAMPLING_C))
        else:
            out.append(Stage.off("logit_bias", "logit bias", "no bias given", SAMPLING_C))
        if v["mirostat"]:
            return self._mirostat_chain(v, dist, out)
        for name in v["samplers"]:
            out.append(self._stage(name, v, dist))
        return out, None

    def _window(self, history, last_n):
        if last_n == -1:
            return tuple(history)
        return tuple(history[-last_n:]) if last_n > 0 else ()

    def _stage(self, name: str, v: dict, dist: Distribution) -> Stage:
        if name == "penalties":
            rep, freq, pres, n = (v["repetition_penalty"], v["frequency_penalty"], v["presence_penalty"],
                                  v["penalty_last_n"])
            label = f"penalties (repeat {fmt(rep)}, freq {fmt(freq)}, present {fmt(pres)}, last {n})"
            if n == 0 or (rep == 1.0 and freq == 0.0 and pres == 0.0):
                return Stage.off("penalties", label, "repeat 1, frequency 0, presence 0: no penalty"
                                 if n else "repeat_last_n 0: penalties off", SAMPLING_C)
            window = self._window(v["history"], n)
            return Stage("penalties", label, partial(llama_penalties, window=window, repeat=rep, freq=freq,
                                                     present=pres), source=SAMPLING_C,
                         params={"window": len(window)})
        if name == "dry":
            mult, base, allowed, n = (v["dry_multiplier"], v["dry_base"], v["dry_allowed_length"],
                                      v["dry_penalty_last_n"])
            label = f"DRY (x{fmt(mult)}, base {fmt(base)}, allowed {allowed}, last {n})"
            if mult == 0.0 or base < 1.0 or n == 0:
                return Stage.off("dry", label, "DRY multiplier 0: off" if mult == 0.0 else "DRY off", SAMPLING_C)
            context = self._window(v["history"], n)
            if len(context) <= allowed:
                return Stage.off("dry", label, f"only {len(context)} token(s) of context: no repetition to "
                                               "penalise", SAMPLING_C)
            breakers = dry_breaker_ids(dist.tokens or _Unlabelled(dist.size), v["dry_sequence_breakers"] or ())
            return Stage("dry", label, partial(dry, context=context, multiplier=mult, base=base,
                                               allowed_length=allowed, breakers=breakers), source=SAMPLING_C)
        if name == "top_n_sigma":
            n = v["top_n_sigma"]
            if n <= 0:
                return Stage.off("top_n_sigma", "top-n-sigma", "top_n_sigma <= 0: off", SAMPLING_C)
            return Stage("top_n_sigma", f"top-n-sigma {fmt(n)}", _skip_single(partial(top_n_sigma, n=n)),
                         source=SAMPLING_C)
        if name == "top_k":
            k = v["top_k"]
            if k <= 0:
                return Stage.off("top_k", "top-k", "top_k <= 0: the whole vocabulary", SAMPLING_C)
            return Stage("top_k", f"top-k {k}", partial(top_k_exact, k=k), source=SAMPLING_C)
        if name == "typ_p":
            p = v["typical_p"]
            if p >= 1.0:
                return Stage.off("typical_p", "typical-p", "typical_p >= 1: off", SAMPLING_C)
            return Stage("typical_p", f"typical-p {fmt(p)}", partial(typical_llama, p=p, min_keep=v["min_keep"]),
                         source=SAMPLING_C)
        if name == "top_p":
            p = v["top_p"]
            if p >= 1.0:
                return Stage.off("top_p", "top-p", "top_p >= 1: off", SAMPLING_C)
            return Stage("top_p", f"top-p {fmt(p)}", partial(top_p_inclusive, p=p, min_keep=v["min_keep"]),
                         source=SAMPLING_C)
        if name == "min_p":
            p = v["min_p"]
            if p <= 0.0:
                return Stage.off("min_p", "min-p", "min_p <= 0: off", SAMPLING_C)
            return Stage("min_p", f"min-p {fmt(p)}", partial(min_p_logit, p=p, min_keep=v["min_keep"]),
                         source=SAMPLING_C)
        if name == "xtc":
            prob, thr = v["xtc_probability"], v["xtc_threshold"]
            label = f"XTC (p {fmt(prob)}, threshold {fmt(thr)})"
            if prob <= 0.0 or thr > 0.5:
                return Stage.off("xtc", label, "xtc_probability <= 0: off" if prob <= 0 else
                                 "xtc_threshold > 0.5: off", SAMPLING_C)
            return Stage("xtc", label, _skip_single(partial(xtc, probability=prob, threshold=thr,
                                                           min_keep=v["min_keep"])), source=SAMPLING_C)
        if name == "temperature":
            t, delta, exp = v["temperature"], v["dynatemp_range"], v["dynatemp_exponent"]
            if delta > 0:
                return Stage("temperature", f"dynamic temperature {fmt(t)} ± {fmt(delta)} (exp {fmt(exp)})",
                             partial(llama_dynatemp, temp=t, delta=delta, exponent=exp), source=SAMPLING_C)
            if t <= 0:
                return Stage("temperature", f"temperature {fmt(t)}: greedy", partial(llama_temperature, temp=t),
                             note="temperature <= 0 keeps only the most likely token", source=SAMPLING_C)
            if t == 1.0:
                return Stage.off("temperature", "temperature 1", "temperature 1: logits unchanged", SAMPLING_C)
            return Stage("temperature", f"temperature {fmt(t)}", partial(llama_temperature, temp=t),
                         source=SAMPLING_C)
        raise AssertionError(name)

    def _mirostat_chain(self, v, dist, out):
        version, tau, eta, t = v["mirostat"], v["mirostat_tau"], v["mirostat_eta"], v["temperature"]
        for name in v["samplers"]:
            key = {"typ_p": "typical_p"}.get(name, name)
            out.append(Stage.off(key, LABELS.get(key, key), "Mirostat replaces the sampler chain "
                                 "(common_sampler_init: temp then mirostat)", "common/sampling.cpp"))
        if t == 1.0:
            out.append(Stage.off("temperature", "temperature 1", "temperature 1: logits unchanged", SAMPLING_C))
        else:
            out.append(Stage("temperature", f"temperature {fmt(t)}" + (": greedy" if t <= 0 else ""),
                             partial(llama_temperature, temp=t), source=SAMPLING_C))
        state = MirostatState.start(version, tau, eta, dist.size)
        fn = mirostat_v1 if version == 1 else mirostat_v2
        out.append(Stage("mirostat", f"Mirostat {'2.0' if version == 2 else 'v1'} (tau {fmt(tau)}, eta {fmt(eta)})",
                         partial(fn, state=state), source=SAMPLING_C, params={"mu": state.mu}))
        return out, state


class _Unlabelled:
    """``#id`` labels without building them all."""

    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size

    def __getitem__(self, i):
        return f"#{i}"


def _skip_single(fn):
    """llama.cpp's top-n-sigma and XTC return at once when fewer than two candidates are left."""
    from ..step import Step

    def apply(c):
        if c.size < 2:
            return Step.of(c, note="fewer than two candidates: nothing to do")
        return fn(c)
    return apply

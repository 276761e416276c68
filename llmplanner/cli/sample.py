"""``llmplanner sample``: apply one engine's sampler chain to a logit vector.

    llmplanner sample --logits=2,1,0,-1 --engine llama.cpp --top-p 0.8 --json
    -> {"probs": [...final probabilities in input order...], "stages": [...], ...}

Settings not given are off (temperature 1, nothing truncated) unless ``--engine-defaults``. A setting the
engine does not have, or a value it refuses, exits 2 with one line.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

from ..core.errors import PlannerError
from ..core.sampling import (ENGINES, Distribution, SamplerSettings, draw, get_engine, parse_token_values,
                             run_chain)
from .common import ArgumentError, non_negative_int, print_json, table


def _real(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if math.isnan(value):
        raise argparse.ArgumentTypeError("expected a number, got NaN")
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _numbers(flag: str, text: str) -> list[float]:
    out = []
    for item in (x.strip() for x in text.split(",")):
        try:
            value = float(item)
        except ValueError:
            raise ArgumentError(f"{flag}: {item!r} is not a number") from None
        if math.isnan(value):
            raise ArgumentError(f"{flag}: NaN is not a number")
        out.append(value)
    return out


def _ids(flag: str, text: str) -> tuple[int, ...]:
    if not text.strip():
        return ()
    out = []
    for item in (x.strip() for x in text.split(",")):
        try:
            out.append(int(item))
        except ValueError:
            raise ArgumentError(f"{flag}: {item!r} is not a token id") from None
    return tuple(out)


def _bias(text: str) -> tuple[tuple[int, float], ...]:
    out = []
    for item in (x.strip() for x in text.split(",") if x.strip()):
        tok, sep, value = item.partition(":")
        try:
            pair = (int(tok), float(value))
        except ValueError:
            raise ArgumentError(f"--logit-bias: expected token_id:bias, got {item!r}") from None
        if not sep or math.isnan(pair[1]):
            raise ArgumentError(f"--logit-bias: expected token_id:bias, got {item!r}")
        out.append(pair)
    return tuple(out)


#: (flag, setting, type, help)
SETTING_FLAGS = (
    ("--temperature", "temperature", _real, "temperature (each engine's meaning of 0)"),
    ("--top-k", "top_k", _whole, "keep the k most likely tokens"),
    ("--top-p", "top_p", _real, "nucleus: the most likely tokens reaching this mass"),
    ("--min-p", "min_p", _real, "drop tokens below min_p x the top probability"),
    ("--typical-p", "typical_p", _real, "locally typical sampling mass"),
    ("--top-n-sigma", "top_n_sigma", _real, "llama.cpp: keep logits within n standard deviations of the top"),
    ("--epsilon-cutoff", "epsilon_cutoff", _real, "transformers: drop tokens below this probability"),
    ("--eta-cutoff", "eta_cutoff", _real, "transformers: entropy-scaled cut-off"),
    ("--xtc-probability", "xtc_probability", _real, "llama.cpp XTC: chance of removing the top choices"),
    ("--xtc-threshold", "xtc_threshold", _real, "llama.cpp XTC: probability a top choice must reach"),
    ("--repetition-penalty", "repetition_penalty", _real, "divide/multiply logits of tokens seen before"),
    ("--frequency-penalty", "frequency_penalty", _real, "subtract count x this"),
    ("--presence-penalty", "presence_penalty", _real, "subtract this once per seen token"),
    ("--penalty-last-n", "penalty_last_n", _whole, "llama.cpp/Ollama repeat_last_n: penalty window (-1 all)"),
    ("--dry-multiplier", "dry_multiplier", _real, "llama.cpp DRY strength (0 off)"),
    ("--dry-base", "dry_base", _real, "llama.cpp DRY base"),
    ("--dry-allowed-length", "dry_allowed_length", _whole, "llama.cpp DRY: repeats this long are free"),
    ("--dry-penalty-last-n", "dry_penalty_last_n", _whole, "llama.cpp DRY window (-1 all)"),
    ("--dynatemp-range", "dynatemp_range", _real, "llama.cpp dynamic temperature: +- range"),
    ("--dynatemp-exponent", "dynatemp_exponent", _real, "llama.cpp dynamic temperature exponent"),
    ("--min-keep", "min_keep", _whole, "llama.cpp: truncating samplers keep at least this many"),
    ("--mirostat", "mirostat", _whole, "llama.cpp Mirostat version (1 or 2; 0 off)"),
    ("--mirostat-tau", "mirostat_tau", _real, "Mirostat target surprise (bits)"),
    ("--mirostat-eta", "mirostat_eta", _real, "Mirostat learning rate"),
)


def add_parser(sub) -> None:
    p = sub.add_parser("sample", help="apply an engine's sampler chain to a logit vector",
                       description="Apply one engine's sampler chain, exactly as the engine orders and bounds "
                                   "it, to next-token logits. Settings not given are off (temperature 1, "
                                   "nothing truncated) unless --engine-defaults.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--logits", metavar="A,B,C", help="comma-separated logits (use --logits=... for negatives)")
    src.add_argument("--probs", metavar="A,B,C", help="comma-separated probabilities (the rest is unlisted mass)")
    src.add_argument("--tokens-file", metavar="PATH", help="a file of 'token: logit' or 'token: probability' lines")
    p.add_argument("--engine", default="llama.cpp", metavar="ENGINE",
                   help=f"one of {', '.join(ENGINES)} (default llama.cpp)")
    for flag, dest, typ, help_ in SETTING_FLAGS:
        p.add_argument(flag, dest=dest, type=typ, default=None, metavar="N" if typ is _whole else "X", help=help_)
    p.add_argument("--history", metavar="IDS", help="token ids before this one, oldest first (penalties, DRY)")
    p.add_argument("--prompt-length", type=non_negative_int, default=0, metavar="N",
                   help="how many of --history are the prompt (vLLM penalises frequency/presence on output only)")
    p.add_argument("--logit-bias", metavar="ID:BIAS,...", help="add BIAS to token ID's logit (-inf removes it)")
    p.add_argument("--samplers", metavar="NAMES", help="llama.cpp chain order, e.g. 'top_k;min_p;temperature' "
                                                       "or a --sampling-seq string such as 'kmt'")
    p.add_argument("--no-sample", dest="do_sample", action="store_false", default=None,
                   help="transformers: do_sample=False (greedy search)")
    p.add_argument("--engine-defaults", action="store_true", help="settings not given take the engine's defaults")
    p.add_argument("--seed", type=_whole, default=None, help="seed for --draw")
    p.add_argument("--draw", type=non_negative_int, default=0, metavar="N", help="draw N tokens from the result")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def _distribution(args) -> Distribution:
    if args.logits is not None:
        return Distribution.from_logits(_numbers("--logits", args.logits), source="--logits")
    if args.probs is not None:
        return Distribution.from_probs(_numbers("--probs", args.probs), source="--probs")
    path = Path(args.tokens_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PlannerError(f"cannot read: {e.strerror or e}", source=str(path)) from None
    try:
        return parse_token_values(text)
    except PlannerError as e:
        raise e.located(source=str(path)) from None


def settings_from_args(args) -> SamplerSettings:
    values = {dest: getattr(args, dest) for _f, dest, _t, _h in SETTING_FLAGS if getattr(args, dest) is not None}
    if args.history is not None:
        values["history"] = _ids("--history", args.history)
    if args.prompt_length:
        values["prompt_length"] = args.prompt_length
    if args.logit_bias is not None:
        values["logit_bias"] = _bias(args.logit_bias)
    if args.samplers is not None:
        values["samplers"] = (args.samplers,)
    if args.do_sample is not None:
        values["do_sample"] = args.do_sample
    return SamplerSettings(**values)


def _clean(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def run(args) -> int:
    dist = _distribution(args)
    engine = get_engine(args.engine)
    settings = settings_from_args(args)
    result = run_chain(dist, settings, engine.id, use_defaults=args.engine_defaults)
    draws = draw(result, args.draw, args.seed) if args.draw else None
    if args.json:
        out = {
            "engine": result.engine, "engine_version": engine.version,
            "probs": [float(x) for x in result.probs],
            "stages": [{**{k: _clean(v) for k, v in s.summary().items() if k != "thresholds"},
                        "thresholds": {k: _clean(float(v)) for k, v in s.thresholds.items()},
                        "probs": [float(x) for x in s.probs]} for s in result.stages],
            "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.settings.items()},
            "notes": list(result.notes),
        }
        if draws is not None:
            out["draws"] = draws.tokens.tolist()
        print_json(out)
        return 0
    print(f"{engine.name} ({engine.version})")
    rows = [(s.label + ("" if s.active else " (off)"), s.kept_count, f"{s.entropy_bits:.3f}",
             f"{s.perplexity:.2f}") for s in result.stages]
    print(table(rows, ("stage", "kept", "entropy bits", "perplexity")))
    print()
    raw, final = result.stages[0].probs, result.probs
    order = result.stages[0].top(min(dist.size, 40))
    print(table([(dist.label(i), f"{raw[i]:.6f}", f"{final[i]:.6f}") for i in order], ("token", "raw", "final")))
    for note in result.notes:
        print(f"note: {note}")
    if draws is not None:
        print(f"drew {args.draw} tokens (seed {args.seed}): " + " ".join(str(t) for t in draws.tokens[:50]))
    return 0

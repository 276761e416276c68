"""Sampler settings, one plain frozen record for every engine.

``None`` means "not given": each engine profile then uses its own *off* value (temperature 1, nothing
truncated, no penalty) or, when asked, its own *default* (``engines.<engine>.DEFAULTS``). Names follow the
most common spelling (llama.cpp / OpenAI); each profile maps them to its engine's own parameter and says so.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..errors import PlannerError


class SettingError(PlannerError):
    """A setting that the selected engine refuses or does not have."""

    def __init__(self, setting: str, message: str, *, engine: str | None = None):
        super().__init__(message, field=setting)
        self.setting = setting
        self.engine = engine

    def __str__(self) -> str:  # one line: "--top-p: vLLM refuses ..."
        return f"{self.setting}: {self.message}"


@dataclass(frozen=True)
class SamplerSettings:
    temperature: float | None = None
    top_k: int | None = None
    top_p: float | None = None
    min_p: float | None = None
    typical_p: float | None = None
    top_n_sigma: float | None = None
    epsilon_cutoff: float | None = None
    eta_cutoff: float | None = None
    xtc_probability: float | None = None
    xtc_threshold: float | None = None
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    penalty_last_n: int | None = None        # llama.cpp repeat_last_n: -1 = whole context, 0 = off
    dry_multiplier: float | None = None
    dry_base: float | None = None
    dry_allowed_length: int | None = None
    dry_penalty_last_n: int | None = None
    dry_sequence_breakers: tuple[str, ...] | None = None
    dynatemp_range: float | None = None
    dynatemp_exponent: float | None = None
    min_keep: int | None = None
    mirostat: int | None = None              # 0 off, 1 Mirostat, 2 Mirostat 2.0
    mirostat_tau: float | None = None
    mirostat_eta: float | None = None
    logit_bias: tuple[tuple[int, float], ...] = ()
    samplers: tuple[str, ...] | None = None  # llama.cpp --samplers: the chain order
    do_sample: bool | None = None            # transformers: False = greedy search
    #: Token ids before the next one, oldest first (prompt then generated): what the penalties count.
    history: tuple[int, ...] = ()
    #: How many of ``history`` are the prompt (vLLM counts frequency/presence over generated tokens only).
    prompt_length: int = 0

    def given(self) -> dict:
        """The settings that were set, by name (history and bias only when non-empty)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("history", "logit_bias") and not v:
                continue
            if f.name == "prompt_length" and not v:
                continue
            if v is not None:
                out[f.name] = v
        return out

    def with_values(self, **kw) -> "SamplerSettings":
        return replace(self, **kw)


#: Human names and the command-line flag of each setting (the tab labels its controls with these).
LABELS: dict[str, str] = {
    "temperature": "temperature", "top_k": "top-k", "top_p": "top-p", "min_p": "min-p",
    "typical_p": "typical-p", "top_n_sigma": "top-n-sigma", "epsilon_cutoff": "epsilon cut-off",
    "eta_cutoff": "eta cut-off", "xtc_probability": "XTC probability", "xtc_threshold": "XTC threshold",
    "repetition_penalty": "repetition penalty", "frequency_penalty": "frequency penalty",
    "presence_penalty": "presence penalty", "penalty_last_n": "penalty window (last n)",
    "dry_multiplier": "DRY multiplier", "dry_base": "DRY base", "dry_allowed_length": "DRY allowed length",
    "dry_penalty_last_n": "DRY window (last n)", "dry_sequence_breakers": "DRY sequence breakers",
    "dynatemp_range": "dynamic temperature range", "dynatemp_exponent": "dynamic temperature exponent",
    "min_keep": "min-keep", "mirostat": "Mirostat", "mirostat_tau": "Mirostat tau",
    "mirostat_eta": "Mirostat eta", "logit_bias": "logit bias", "samplers": "sampler order",
    "do_sample": "do_sample", "history": "history", "prompt_length": "prompt length",
}


def flag(name: str) -> str:
    """The command-line flag of a setting: ``top_p`` -> ``--top-p``."""
    return "--" + name.replace("_", "-")


SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(SamplerSettings))


# --- the plan file: settings as plain JSON ------------------------------------------------------------------

_INTS = frozenset({"top_k", "penalty_last_n", "dry_allowed_length", "dry_penalty_last_n", "min_keep", "mirostat",
                   "prompt_length"})
_STRING_LISTS = frozenset({"samplers", "dry_sequence_breakers"})


def _json_number(x: float):
    """JSON has no infinities: a logit bias of -inf (forbid the token) is written as the string "-inf"."""
    x = float(x)
    if x == float("inf"):
        return "inf"
    if x == float("-inf"):
        return "-inf"
    return x


def settings_to_json(settings: SamplerSettings) -> dict:
    """The given settings as plain JSON values (lists for tuples), as a plan file stores them."""
    out: dict = {}
    for name, value in settings.given().items():
        if name == "logit_bias":
            out[name] = [[int(t), _json_number(b)] for t, b in value]
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def _number(name: str, v) -> float:
    if isinstance(v, str) and v.strip().lower() in ("inf", "-inf", "+inf"):
        return float(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
        raise SettingError(name, f"must be a number, got {v!r}")
    return float(v)


def _whole(name: str, v) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer():
        raise SettingError(name, f"must be a whole number, got {v!r}")
    return int(v)


def _read(name: str, v):
    if name in _INTS:
        return _whole(name, v)
    if name == "do_sample":
        if not isinstance(v, bool):
            raise SettingError(name, f"must be true or false, got {v!r}")
        return v
    if name == "history":
        if not isinstance(v, list):
            raise SettingError(name, f"must be a list of token ids, got {v!r}")
        return tuple(_whole(name, t) for t in v)
    if name == "logit_bias":
        if not isinstance(v, list) or not all(isinstance(p, list) and len(p) == 2 for p in v):
            raise SettingError(name, f"must be a list of [token id, bias] pairs, got {v!r}")
        return tuple((_whole(name, t), _number(name, b)) for t, b in v)
    if name in _STRING_LISTS:
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise SettingError(name, f"must be a list of names, got {v!r}")
        return tuple(v)
    value = _number(name, v)
    if value != value or value in (float("inf"), float("-inf")):
        raise SettingError(name, f"must be a finite number, got {v!r}")
    return value


def settings_from_json(data) -> tuple[SamplerSettings, dict, list[str]]:
    """Settings from a plan file's JSON: (settings, keys that are not sampler settings, problems).

    Tolerant like the plan reader: a value of the wrong type is left out (the engine's default applies) and
    named in ``problems``; keys that are not ours are returned untouched so that saving keeps them.
    """
    values: dict = {}
    unknown: dict = {}
    problems: list[str] = []
    for name, v in dict(data or {}).items():
        if name not in SETTING_NAMES:
            unknown[name] = v
            continue
        if v is None:
            continue
        try:
            values[name] = _read(name, v)
        except SettingError as e:
            problems.append(f"sampling.settings.{e}")
    return SamplerSettings(**values), unknown, problems

"""What every engine profile provides: its settings, defaults, validation and chain."""
from __future__ import annotations

import math
from typing import Mapping

from ..chain import Stage
from ..distribution import Distribution
from ..mirostat import MirostatState
from ..settings import LABELS, SamplerSettings, SettingError

#: Settings every engine accepts: they describe the context, not a sampler.
CONTEXT_SETTINGS = frozenset({"history", "prompt_length"})


class EngineProfile:
    """One engine's sampler chain, modelled from its source code.

    Subclasses set the class attributes and implement ``check`` and ``stages``.
    """

    id: str = ""
    name: str = ""
    version: str = ""                       # which release the model follows
    sources: tuple[str, ...] = ()           # files read
    #: Our setting name -> the engine's own parameter name.
    parameters: Mapping[str, str] = {}
    #: The engine's defaults (what a request that sets nothing gets).
    defaults: Mapping[str, object] = {}
    #: Values that switch each sampler off (temperature 1, nothing truncated).
    off: Mapping[str, object] = {}
    #: Why a setting the engine lacks is missing, by setting name (default: a generic sentence).
    missing: Mapping[str, str] = {}

    @property
    def supported(self) -> frozenset[str]:
        return frozenset(self.parameters) | CONTEXT_SETTINGS

    def unsupported(self, settings: SamplerSettings) -> list[str]:
        """Settings given that this engine lacks (``do_sample=True`` is what every engine does anyway)."""
        return [k for k, v in settings.given().items()
                if k not in self.supported and not (k == "do_sample" and v is True)]

    def missing_reason(self, setting: str) -> str:
        label = LABELS.get(setting, setting)
        return self.missing.get(setting, f"{self.name} has no {label} setting")

    def resolve(self, settings: SamplerSettings, use_defaults: bool) -> dict:
        """Given values where set; otherwise the engine default (``use_defaults``) or the off value."""
        base = dict(self.off)
        if use_defaults:
            base.update(self.defaults)
        for k, v in settings.given().items():
            if k in self.supported:
                base[k] = v
        base["history"] = tuple(settings.history)
        base["prompt_length"] = int(settings.prompt_length)
        base.setdefault("logit_bias", ())
        return base

    def check(self, v: dict, dist: Distribution) -> tuple[dict, list[str]]:
        """Refuse what the engine refuses (``SettingError``); apply its silent clamps, with a note."""
        return v, []

    def stages(self, v: dict, dist: Distribution) -> tuple[list[Stage], MirostatState | None]:
        raise NotImplementedError

    def error(self, setting: str, message: str) -> SettingError:
        return SettingError(setting, message, engine=self.id)


def finite(profile: EngineProfile, v: dict, *names: str) -> None:
    for n in names:
        x = v.get(n)
        if isinstance(x, float) and not math.isfinite(x):
            raise profile.error(n, f"{profile.name} needs a finite {LABELS.get(n, n)}, got {x}")


def check_history(profile: EngineProfile, v: dict) -> None:
    hist = v.get("history", ())
    bad = [t for t in hist if t < 0]
    if bad:
        raise profile.error("history", f"token ids must not be negative, got {bad[0]}")
    if not 0 <= v.get("prompt_length", 0) <= len(hist):
        raise profile.error("prompt_length", f"the prompt length must be between 0 and the history's "
                                             f"{len(hist)} tokens, got {v.get('prompt_length')}")


def fmt(x) -> str:
    """A parameter value for a stage label: 0.9, 40, -1."""
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)

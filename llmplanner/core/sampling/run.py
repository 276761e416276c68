"""Run an engine's chain on a distribution: the entry point for the command line and the Sampling tab."""
from __future__ import annotations

from typing import Iterable

from .chain import ChainResult, run_stages
from .distribution import Distribution
from .engines import MAIN_ENGINES, get_engine
from .settings import SamplerSettings, SettingError


def run_chain(distribution: Distribution, settings: SamplerSettings | None = None, engine: str = "llama.cpp", *,
              use_defaults: bool = False, strict: bool = True) -> ChainResult:
    """Apply ``engine``'s sampler chain to ``distribution`` and keep every stage.

    Settings that are not given are off (temperature 1, nothing truncated), or the engine's defaults with
    ``use_defaults``. A setting the engine does not have raises ``SettingError`` when ``strict``; otherwise
    it is ignored and named in ``notes``. Values the engine refuses always raise ``SettingError``.
    """
    settings = settings or SamplerSettings()
    profile = get_engine(engine)
    notes: list[str] = []
    for name in profile.unsupported(settings):
        if strict:
            raise SettingError(name, profile.missing_reason(name), engine=profile.id)
        notes.append(f"ignored: {profile.missing_reason(name)}")
    values = profile.resolve(settings, use_defaults)
    values, check_notes = profile.check(values, distribution)
    notes += check_notes
    stages, mirostat = profile.stages(values, distribution)
    results, _branches, mirostat_input = run_stages(distribution, stages, "mirostat" if mirostat else None)
    used = {k: values[k] for k in profile.parameters if k in values}
    return ChainResult(profile.id, profile.name, distribution, used, tuple(results), tuple(notes), mirostat,
                       mirostat_input)


def compare_engines(distribution: Distribution, settings: SamplerSettings | None = None,
                    engines: Iterable[str] = MAIN_ENGINES, *, use_defaults: bool = False,
                    strict: bool = False) -> dict[str, ChainResult | SettingError]:
    """The same settings through several engines: a result, or the engine's refusal, per engine."""
    out: dict[str, ChainResult | SettingError] = {}
    for name in engines:
        try:
            out[name] = run_chain(distribution, settings, name, use_defaults=use_defaults, strict=strict)
        except SettingError as e:
            out[name] = e
    return out

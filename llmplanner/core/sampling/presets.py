"""Named sampler settings for the Sampling tab.

- Each engine's own defaults (from its source; see ``engines``): what a request that sets nothing gets.
- The worked examples of the product description (issue #6, "Presets"): customer service (temperature 0.3,
  top-k 20, top-p 0.5), advertising copy (1.2, 50, 0.9) and the walkthrough (0.8, 36, 0.7).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnknownNameError
from .engines import ENGINES
from .settings import SamplerSettings


@dataclass(frozen=True)
class SamplerPreset:
    name: str
    settings: SamplerSettings
    engine: str | None  # the engine whose defaults these are; None for engine-neutral examples
    source: str


EXAMPLES = (
    SamplerPreset("customer service", SamplerSettings(temperature=0.3, top_k=20, top_p=0.5), None,
                  "issue #6 presets: customer service T 0.3 / top-k 20 / top-p 0.5"),
    SamplerPreset("advertising", SamplerSettings(temperature=1.2, top_k=50, top_p=0.9), None,
                  "issue #6 presets: advertising T 1.2 / top-k 50 / top-p 0.9"),
    SamplerPreset("walkthrough", SamplerSettings(temperature=0.8, top_k=36, top_p=0.7), None,
                  "issue #6 presets: the walkthrough T 0.8 / top-k 36 / top-p 0.7"),
)


def engine_default_preset(engine: str) -> SamplerPreset:
    profile = ENGINES[engine]
    values = {k: v for k, v in profile.defaults.items() if v is not None}
    return SamplerPreset(f"{profile.name} defaults", SamplerSettings(**values), profile.id,
                         f"{profile.version}: " + ", ".join(profile.sources))


def all_presets() -> tuple[SamplerPreset, ...]:
    return tuple(engine_default_preset(e) for e in ENGINES) + EXAMPLES


def find_preset(name: str) -> SamplerPreset:
    presets = {p.name: p for p in all_presets()}
    if name not in presets:
        raise UnknownNameError("sampler preset", name, presets)
    return presets[name]

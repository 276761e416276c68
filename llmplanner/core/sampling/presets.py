"""Named sampler settings for the Sampling tab.

- Each engine's own defaults (from its source; see ``engines``): what a request that sets nothing gets.
- The worked examples of the product description (issue #6, "Presets"): customer service (temperature 0.3,
  top-k 20, top-p 0.5), advertising copy (1.2, 50, 0.9) and the walkthrough (0.8, 36, 0.7).
- "precise", "balanced" and "creative": there is no single definition of these anywhere. Each is one model
  vendor's published recommendation for its own models, named in ``source``; they are starting points a
  vendor documented, not settings measured here to be best for any model:

  - precise: Mistral AI's model cards for Mistral Small 3, 3.1 and 3.2 (e.g.
    https://huggingface.co/mistralai/Mistral-Small-24B-Instruct-2501, "Note 1"): "a relatively low
    temperature, such as temperature=0.15".
  - balanced: Qwen's model cards for Qwen3 (e.g. https://huggingface.co/Qwen/Qwen3-8B, "Best Practices"):
    non-thinking mode "Temperature=0.7, TopP=0.8, TopK=20, and MinP=0".
  - creative: the Gemma team's recommendation for Gemma 3 as quoted in Unsloth's guide
    (https://unsloth.ai/docs/models/tutorials/gemma-3-how-to-run-and-fine-tune): "temperature = 1.0,
    top_k = 64, top_p = 0.95, min_p = 0.0" — the loosest of the three vendors' recommendations.
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

RECOMMENDED = (
    SamplerPreset("precise", SamplerSettings(temperature=0.15), None,
                  "Mistral AI's model cards for Mistral Small 3/3.1/3.2 (huggingface.co/mistralai/"
                  "Mistral-Small-24B-Instruct-2501): \"a relatively low temperature, such as temperature=0.15\""),
    SamplerPreset("balanced", SamplerSettings(temperature=0.7, top_p=0.8, top_k=20, min_p=0.0), None,
                  "Qwen's model cards for Qwen3 (huggingface.co/Qwen/Qwen3-8B, Best Practices), non-thinking "
                  "mode: Temperature=0.7, TopP=0.8, TopK=20, MinP=0"),
    SamplerPreset("creative", SamplerSettings(temperature=1.0, top_k=64, top_p=0.95, min_p=0.0), None,
                  "the Gemma team's recommendation for Gemma 3, quoted in Unsloth's Gemma 3 guide "
                  "(unsloth.ai/docs): temperature 1.0, top_k 64, top_p 0.95, min_p 0.0"),
)


def engine_default_preset(engine: str) -> SamplerPreset:
    profile = ENGINES[engine]
    values = {k: v for k, v in profile.defaults.items() if v is not None}
    return SamplerPreset(f"{profile.name} defaults", SamplerSettings(**values), profile.id,
                         f"{profile.version}: " + ", ".join(profile.sources))


def all_presets() -> tuple[SamplerPreset, ...]:
    return tuple(engine_default_preset(e) for e in ENGINES) + EXAMPLES + RECOMMENDED


def find_preset(name: str) -> SamplerPreset:
    presets = {p.name: p for p in all_presets()}
    if name not in presets:
        raise UnknownNameError("sampler preset", name, presets)
    return presets[name]

"""Built-in presets: real models, one JSON file each in ``resources/presets/``.

Each file holds the model's Hugging Face ``config.json`` fields that decide its shapes, where that config
was read, the published parameter count and its source (``tests/test_presets.py`` checks that our count
equals the published one for every preset).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .architecture import Architecture
from .errors import UnknownNameError
from .hf_config import architecture_from_config
from .resources import resource

TAGS = ("chat", "code", "reasoning", "long-context", "multimodal", "moe", "small")
"""The vocabulary of preset tags (the "what fits" filter). ``small``: under 4 billion parameters;
``long-context``: a maximum context of at least 100,000 tokens; ``moe``: routed experts; ``multimodal``: a
vision encoder beside the language model; ``chat``/``code``/``reasoning``: what the model was tuned for."""


@dataclass(frozen=True)
class Preset:
    name: str
    config: dict = field(repr=False)
    hf_repo: str | None = None
    config_source: str = ""
    total_params: int | None = None
    params_source: str = ""
    tags: tuple[str, ...] = ()
    family: str = ""
    file: str = ""

    def architecture(self) -> Architecture:
        return architecture_from_config(self.config, source=f"preset {self.name}", name=self.name)


def _family(config: dict) -> str:
    """The model_type that describes the language model (a multimodal config's text_config)."""
    text = config.get("text_config")
    if isinstance(text, dict) and isinstance(text.get("model_type"), str):
        return text["model_type"]
    return str(config.get("model_type", ""))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@lru_cache(maxsize=1)
def all_presets() -> tuple[Preset, ...]:
    out = []
    folder = resource("presets")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        d = json.loads(entry.read_text(encoding="utf-8"))
        out.append(Preset(
            name=d["name"], config=d["config"], hf_repo=d.get("hf_repo"),
            config_source=d.get("config_source", ""), total_params=d.get("total_params"),
            params_source=d.get("params_source", ""), tags=tuple(d.get("tags", ())),
            family=_family(d["config"]), file=entry.name,
        ))
    return tuple(sorted(out, key=lambda p: p.name.lower()))


def find_preset(name: str) -> Preset:
    """A preset by name, Hub repo id or slug, case-insensitively."""
    key = slug(name)
    for p in all_presets():
        if key in (slug(p.name), slug(p.hf_repo or ""), slug((p.hf_repo or "").split("/")[-1])):
            return p
    raise UnknownNameError("preset", name, [p.name for p in all_presets()])

"""Where a model comes from: a config.json, a preset, weight headers or the Hub — one entry point.

``load_model(kind, value)`` returns the architecture and, where the weights' headers were read, the exact
count found there (which is what the user will actually load).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .architecture import Architecture
from .errors import PlannerError
from .params import ParamCount, count_params

SOURCE_KINDS = ("config", "preset", "safetensors", "gguf", "hf-repo")


@dataclass(frozen=True)
class LoadedModel:
    architecture: Architecture | None
    """None only for weights without a config.json beside them: the header count is exact, the shapes that
    need a config (heads, context, experts per token) are unknown."""
    source_kind: str
    source: str
    header_params: int | None = None
    """Parameters counted from the weight files' headers (safetensors / GGUF), when they were read."""
    header_info: dict = field(default_factory=dict)
    """What the header says beyond shapes: dtypes, the GGUF file type, the file size."""
    notes: tuple[str, ...] = ()

    @property
    def params(self) -> ParamCount:
        if self.architecture is None:
            raise PlannerError("the architecture is unknown: put the model's config.json beside the weights",
                               source=self.source)
        return count_params(self.architecture)

    @property
    def total_params(self) -> int:
        return self.header_params if self.header_params is not None else self.params.total


def load_model(kind: str, value: str) -> LoadedModel:
    """Load a model description; raises ``PlannerError`` for anything the user gave wrong."""
    if kind == "config":
        from .hf_config import load_config

        arch = load_config(value)
        return LoadedModel(arch, kind, value, notes=arch.notes)
    if kind == "preset":
        from .presets import find_preset

        p = find_preset(value)
        arch = p.architecture()
        return LoadedModel(arch, kind, p.name, notes=arch.notes)
    if kind == "safetensors":
        from .weight_headers import load_safetensors_model

        return load_safetensors_model(value)
    if kind == "gguf":
        from .weight_headers import load_gguf_model

        return load_gguf_model(value)
    if kind == "hf-repo":
        from .hub import load_hub_model

        return load_hub_model(value)
    raise PlannerError(f"unknown model source {kind!r} (one of {', '.join(SOURCE_KINDS)})")

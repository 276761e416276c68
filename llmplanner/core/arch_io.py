"""An ``Architecture`` to and from plain JSON-able dicts (plan files, the Architecture tab's edits).

The dict mirrors the dataclasses field by field (``{"hidden_size": 4096, "attention": {"num_heads": 32,
...}}``), so a saved custom model reads like the spec in ``architecture.py``. Reading is strict: a value of
the wrong type, a name that is not a field or a missing required field is refused with an
``ArchitectureError`` naming the field (``attention.num_kv_heads``); optional fields take the dataclass
default. The dataclasses' own checks (heads that divide, limits) run as usual.
"""
from __future__ import annotations

import dataclasses
import math
import types
import typing
from functools import lru_cache
from typing import Any, Literal, Union

from .architecture import MLP, Architecture, Attention, Embeddings, MoE, Norms
from .errors import ArchitectureError

#: The owner name used in error fields for the top-level ``Architecture`` (as ``architecture.py`` does).
_TOP = "model"
_SECTIONS = {Attention: "attention", MLP: "mlp", Embeddings: "embeddings", Norms: "norms", MoE: "moe"}


def architecture_to_dict(arch: Architecture) -> dict:
    """Every field, nested dataclasses as dicts, tuples as lists, ``None`` kept (so nothing is implied)."""
    return _to_plain(arch)


def _to_plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return value


def architecture_from_dict(data: Any, *, source: str | None = None) -> Architecture:
    """Build and validate an ``Architecture``; raises ``ArchitectureError`` naming the first bad field."""
    try:
        return _build(Architecture, data, _TOP)
    except ArchitectureError as e:
        raise e.located(source=source)


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _field_name(owner: str, name: str) -> str:
    return f"{owner}.{name}"


def _build(cls, data, owner: str):
    if not isinstance(data, dict):
        raise ArchitectureError(owner, f"must be an object of fields, got {type(data).__name__}")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ArchitectureError(_field_name(owner, str(unknown[0])), "is not a field of the architecture")
    kwargs = {}
    for name, f in fields.items():
        where = _field_name(owner, name)
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ArchitectureError(where, "is required")
            continue
        kwargs[name] = _convert(hints[name], data[name], where)
    return cls(**kwargs)


def _convert(hint, value, where: str):
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None:
            if type(None) in args:
                return None
            raise ArchitectureError(where, "must not be null")
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, where)
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            raise ArchitectureError(where, f"must be one of {', '.join(map(str, choices))}, got {value!r}")
        return value
    if origin is tuple:
        (inner, _ellipsis) = typing.get_args(hint)
        if not isinstance(value, (list, tuple)):
            raise ArchitectureError(where, f"must be a list, got {type(value).__name__}")
        return tuple(_convert(inner, v, f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, _SECTIONS.get(hint, where))
    if hint is bool:
        if not isinstance(value, bool):
            raise ArchitectureError(where, f"must be true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool):
            raise ArchitectureError(where, f"must be an integer, got {value!r}")
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
        if not isinstance(value, int):
            raise ArchitectureError(where, f"must be an integer, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ArchitectureError(where, f"must be text, got {value!r}")
        return value
    raise TypeError(f"arch_io cannot convert {hint!r} at {where}")  # a new field type: extend this function

"""Locate the data files in ``resources/`` wherever the app runs from.

Installed (wheel, editable) and frozen builds expose them as the package ``llmplanner.resources``
(``importlib.resources``); a plain source checkout run with ``python -m llmplanner`` finds the top-level
``resources/`` folder beside the package.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources as _ir
from pathlib import Path


@lru_cache(maxsize=1)
def resource_root():
    """A Traversable for the resources folder."""
    try:
        root = _ir.files("llmplanner.resources")
        if root.joinpath("presets").is_dir():
            return root
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str):
    node = resource_root()
    for p in parts:
        node = node.joinpath(p)
    return node


def read_json(*parts: str):
    return json.loads(resource(*parts).read_text(encoding="utf-8"))

"""Byte sizes, parsed and printed without mixing up GB (10⁹ bytes) and GiB (2³⁰ bytes).

Vendors sell a "24 GB" card that holds 24 GiB; RAM is sold in GiB too; disk and network in GB. The app shows
GiB (binary) everywhere it shows memory, and says so.
"""
from __future__ import annotations

import math
import re

from .errors import PlannerError

_UNITS = {
    "": 2**30, "g": 2**30, "gib": 2**30, "gb": 10**9,
    "m": 2**20, "mib": 2**20, "mb": 10**6,
    "t": 2**40, "tib": 2**40, "tb": 10**12,
    "k": 2**10, "kib": 2**10, "kb": 10**3,
    "b": 1,
}


def parse_size(text: str, *, field: str = "size") -> int:
    """Bytes in ``text``: ``24`` or ``24G``/``24GiB`` (GiB), ``24GB`` (10⁹), ``512MiB``, ``1.5TiB`` …"""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*", str(text))
    if not m:
        raise PlannerError(f"expected a size such as 24GiB or 16GB, got {text!r}", field=field)
    value, unit = float(m.group(1)), m.group(2).lower()
    if unit not in _UNITS:
        raise PlannerError(f"unknown unit {m.group(2)!r} in {text!r} (use GiB, GB, MiB, MB, TiB or TB)", field=field)
    n = value * _UNITS[unit]
    if not math.isfinite(n) or n <= 0 or n > 2**60:
        raise PlannerError(f"{text!r} is not a usable size", field=field)
    return int(round(n))


def gib(n: float) -> float:
    return n / 2**30


def format_bytes(n: float, digits: int = 2) -> str:
    """``4.58 GiB``, ``560.0 MiB`` — binary units, as llama.cpp and nvidia-smi print them."""
    n = float(n)
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(n) >= size:
            return f"{n / size:.{digits}f} {unit}"
    return f"{n:.0f} B"

"""How numbers read on screen: exact counts with separators, short counts, FLOPs, bytes with their unit.

Parameter and token counts use the LLM world's K/M/B/T (thousand, million, billion = 10⁹, trillion);
memory is GiB (2³⁰ bytes) unless said otherwise, and every string names its unit.
"""
from __future__ import annotations

import math

from ..core.units import format_bytes
from .qt import QtCore, translate

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def exact(n: int) -> str:
    """8030261248 → '8,030,261,248'."""
    return f"{int(n):,}"


def short_count(n: float, digits: int = 2) -> str:
    """8030261248 → '8.03 B' (K, M, B = 10⁹, T = 10¹²)."""
    for suffix, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.{digits}f} {suffix}"
    return f"{n:.0f}"


def long_count(n: float) -> str:
    """8030261248 → '8.03 billion'; in Chinese '80.30 亿' (the language counts in 10⁴ and 10⁸)."""
    if QtCore.QLocale().language() == QtCore.QLocale.Language.Chinese:
        steps = ((1e12, "{0} 万亿"), (1e8, "{0} 亿"), (1e4, "{0} 万"))
        for size, pattern in steps:
            if abs(n) >= size:
                return pattern.format(f"{n / size:.2f}")
        return f"{n:.0f}"
    value = lambda size: f"{n / size:.2f}"  # noqa: E731
    if abs(n) >= 1e12:
        return translate("Format", "{0} trillion").format(value(1e12))
    if abs(n) >= 1e9:
        return translate("Format", "{0} billion").format(value(1e9))
    if abs(n) >= 1e6:
        return translate("Format", "{0} million").format(value(1e6))
    if abs(n) >= 1e3:
        return translate("Format", "{0} thousand").format(value(1e3))
    return f"{n:.0f}"


def scientific(x: float, digits: int = 2) -> str:
    """9.63e23 → '9.63 × 10²³'."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    exp = int(math.floor(math.log10(abs(x))))
    mant = x / 10**exp
    if round(mant, digits) >= 10:
        mant /= 10
        exp += 1
    if -3 <= exp <= 3:
        return f"{x:,.{max(0, digits - exp)}f}" if exp < 3 else f"{x:,.0f}"
    return f"{mant:.{digits}f} × 10{str(exp).translate(_SUPERSCRIPT)}"


def flops(x: float) -> str:
    """Operations with SI prefixes: 1.606e10 → '16.06 GFLOP'."""
    for prefix, size in (("E", 1e18), ("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= size:
            return f"{x / size:.2f} {prefix}FLOP"
    return f"{x:.0f} FLOP"


def memory(n_bytes: float) -> str:
    """Bytes in binary units (GiB = 2³⁰ bytes, MiB …), as operating systems and nvidia-smi show them."""
    return format_bytes(n_bytes)


def percent(part: float, whole: float) -> str:
    if not whole:
        return "–"
    share = 100.0 * part / whole
    if 0 < share < 0.01:
        return "<0.01%"
    return f"{share:.2f}%"


def tokens(n: int) -> str:
    return translate("Format", "{0} tokens").format(exact(n))


def probability(p: float) -> str:
    """A probability as a percentage with the digits it needs: 30.0%, 1.5%, 0.52%, 0.0031%, 0%."""
    if p != p:
        return "–"
    if p <= 0:
        return "0%"
    if p >= 0.01:
        return f"{100 * p:.1f}%"
    if p >= 1e-4:
        return f"{100 * p:.2f}%"
    return f"{100 * p:.2g}%"


_VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}


def token_text(token: str, limit: int = 14) -> str:
    """A token as it can be read on screen: spaces at its ends, newlines and tabs made visible; elided."""
    if token == "":
        return "∅"
    core = token.strip(" ")
    lead = len(token) - len(token.lstrip(" "))
    trail = len(token) - len(token.rstrip(" ")) if core else 0
    text = "␣" * lead + "".join(_VISIBLE.get(c, c) for c in core) + "␣" * trail
    if not core and not lead:
        text = "".join(_VISIBLE.get(c, c) for c in token)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gib(n_bytes: float, digits: int = 2) -> str:
    """Bytes always in GiB (2³⁰ bytes), for tables and charts whose figures are compared with each other."""
    return f"{n_bytes / 2**30:,.{digits}f} GiB"

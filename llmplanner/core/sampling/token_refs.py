"""Tokens typed by the user: the penalty history and the logit bias, by id or by the token's text.

``12, 7, "▁ba", #3`` — items are separated by commas; an item is a token id (``12`` or ``#12``) or a token
of the current distribution, bare (surrounding spaces dropped) or as a JSON string (``" Paris"``,
``"a, b"``). A logit bias item is ``token: bias`` (``"▁ba": -inf`` forbids the token). Errors are
``PlannerError``s naming the field and the item, for the tab to show at the field.
"""
from __future__ import annotations

import json
import math
import re

from ..errors import PlannerError
from .distribution import Distribution

_ITEM = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)')


def _items(text: str) -> list[str]:
    items, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _ITEM.match(text, pos)
        if m is None or m.end() == pos:
            break
        items.append(m.group(1))
        pos = m.end()
    return [i for i in items if i.strip()]


def _lookup(dist: Distribution) -> dict[str, int]:
    cached = dist.__dict__.get("_token_ids")
    if cached is None:
        cached = {}
        for i, tok in enumerate(dist.tokens):
            cached.setdefault(tok, i)
        dist.__dict__["_token_ids"] = cached
    return cached


def token_id(item: str, dist: Distribution, field: str) -> int:
    """One token: an id (``12``, ``#12``), a JSON-quoted token text or a bare token text."""
    raw = item.strip()
    number = raw[1:] if raw.startswith("#") else raw
    if re.fullmatch(r"[+-]?\d+", number):
        return int(number)
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as e:
            raise PlannerError(f"{item.strip()} is not a valid quoted token ({e.msg})", field=field) from None
    ids = _lookup(dist)
    if raw in ids:
        return ids[raw]
    raise PlannerError(f"{raw!r} is neither a token id nor a token of this distribution", field=field)


def parse_token_list(text: str, dist: Distribution, field: str = "history") -> tuple[int, ...]:
    """``12, 7, "▁ba"`` -> token ids, in order."""
    return tuple(token_id(item, dist, field) for item in _items(text))


def parse_logit_bias(text: str, dist: Distribution, field: str = "logit_bias") -> tuple[tuple[int, float], ...]:
    """``12: -inf, "▁ba": 2.5`` -> ((12, -inf), (id of ▁ba, 2.5))."""
    out = []
    for item in _items(text):
        token, sep, value = item.rpartition(":")
        if not sep or not token.strip():
            raise PlannerError(f"expected 'token: bias', got {item.strip()!r}", field=field)
        try:
            bias = float(value)
        except ValueError:
            raise PlannerError(f"{value.strip()!r} is not a number (use -inf to forbid a token)",
                               field=field) from None
        if math.isnan(bias):
            raise PlannerError("a bias must be a number, not NaN", field=field)
        out.append((token_id(token, dist, field), bias))
    return tuple(out)


def format_token_list(ids) -> str:
    return ", ".join(str(int(i)) for i in ids)


def format_logit_bias(pairs) -> str:
    return ", ".join(f"{int(t)}: {float(b):g}" for t, b in pairs)

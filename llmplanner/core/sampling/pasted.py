"""Typed or pasted ``token: value`` lists.

One token per line: ``the: 2.5``, ``"Hello, world": -1``, ``'\\n': 0.12``, ``cat<TAB>0.3``. The value is
split off at the last ``:`` (or tab, or ``=``), so tokens may contain colons; a token in double quotes is
read as a JSON string (``"\\n"`` is a newline), in single quotes taken literally. Blank lines and lines
starting with ``#`` are skipped. Values are logits, probabilities (0..1) or percentages (``45%``); with
``kind="auto"`` a list whose values are all in [0, 1] and sum to at most 1 (or that uses ``%``) is read as
probabilities, anything else as logits. Probabilities that sum to less than 1 leave the rest as the
explicit unlisted ("other") mass.
"""
from __future__ import annotations

import json
import math
import re

from ..errors import PlannerError
from .distribution import Distribution

KINDS = ("auto", "logit", "prob")
_SPLIT = re.compile(r"^(?P<token>.*?)\s*(?:[:=\t])\s*(?P<value>[^:=\t]*)$", re.S)


def _token(raw: str, line_no: int) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        try:
            return json.loads(raw)
        except json.JSONDecodeError as e:
            raise PlannerError(f"line {line_no}: the quoted token {raw} is not a valid string ({e.msg})",
                               field="tokens") from None
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1]
    if not raw:
        raise PlannerError(f"line {line_no}: the token before the value is empty (quote a space: \" \")",
                           field="tokens")
    return raw


def _value(raw: str, line_no: int) -> tuple[float, bool]:
    text = raw.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    try:
        value = float(text)
    except ValueError:
        raise PlannerError(f"line {line_no}: {raw.strip()!r} is not a number", field="values") from None
    if math.isnan(value):
        raise PlannerError(f"line {line_no}: the value is NaN", field="values")
    return (value / 100.0 if percent else value), percent


def parse_token_values(text: str, kind: str = "auto") -> Distribution:
    """A ``Distribution`` from ``token: value`` lines; ``PlannerError`` naming the line for anything else."""
    if kind not in KINDS:
        raise PlannerError(f"unknown value kind {kind!r}; use one of {', '.join(KINDS)}", field="kind")
    tokens: list[str] = []
    values: list[float] = []
    seen: dict[str, int] = {}
    any_percent = False
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _SPLIT.match(line.rstrip("\r\n"))
        if not m or not m.group("value").strip():
            raise PlannerError(f"line {line_no}: expected 'token: value', got {line.strip()!r}", field="tokens")
        token = _token(m.group("token"), line_no)
        value, percent = _value(m.group("value"), line_no)
        any_percent |= percent
        if token in seen:
            raise PlannerError(f"line {line_no}: token {token!r} is already on line {seen[token]}", field="tokens")
        seen[token] = line_no
        tokens.append(token)
        values.append(value)
    if not tokens:
        raise PlannerError("no 'token: value' lines found", field="tokens")
    if kind == "auto":
        finite = [v for v in values if math.isfinite(v)]
        looks_like_probs = all(0.0 <= v <= 1.0 for v in values) and sum(finite) <= 1.0 + 1e-6
        kind = "prob" if any_percent or looks_like_probs else "logit"
    if kind == "prob":
        for i, v in enumerate(values):
            if not 0.0 <= v <= 1.0:
                raise PlannerError(f"line {seen[tokens[i]]}: probability {v:g} is not between 0 and 1",
                                   field="values")
        total = math.fsum(values)
        if total > 1.0 + 1e-6:
            raise PlannerError(f"the probabilities sum to {total:.6g}, more than 1", field="values")
        return Distribution.from_probs(values, tokens, source="typed probabilities")
    for i, v in enumerate(values):
        if v == math.inf:
            raise PlannerError(f"line {seen[tokens[i]]}: a logit of +inf is not a distribution", field="values")
    return Distribution.from_logits(values, tokens, source="typed logits")


def format_token_values(dist: Distribution, kind: str = "prob", limit: int | None = None) -> str:
    """The inverse of ``parse_token_values`` (tokens quoted as JSON strings when they need it)."""
    values = dist.listed_probs if kind == "prob" else dist.logits
    lines = []
    for i, tok in enumerate(dist.labels[:limit]):
        shown = json.dumps(tok, ensure_ascii=False) if (tok != tok.strip() or any(c in tok for c in ':=\t"\'#')
                                                        or not tok) else tok
        lines.append(f"{shown}: {float(values[i]):.9g}")
    return "\n".join(lines)

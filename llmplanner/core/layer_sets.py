"""Sets of layer indices as people write them: ``0-40:2, 41`` (a range with an optional step, and singles).

Used for the layers that use sliding-window attention and the MoE layers that stay dense; ranges are
inclusive, indices count from 0 as in the models' code.
"""
from __future__ import annotations

import re

from .errors import PlannerError

_ITEM = re.compile(r"^(\d+)(?:\s*-\s*(\d+)(?:\s*:\s*(\d+))?)?$")


def parse_layer_set(text: str, num_layers: int, *, field: str | None = None) -> tuple[int, ...]:
    """``"0-6:2, 9"`` → ``(0, 2, 4, 6, 9)``; every index must be below ``num_layers``."""
    out: set[int] = set()
    for raw in text.replace(";", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        m = _ITEM.match(item)
        if not m:
            raise PlannerError(f"{item!r} is not a layer, a range a-b or a stepped range a-b:step", field=field)
        start = int(m.group(1))
        stop = int(m.group(2)) if m.group(2) is not None else start
        step = int(m.group(3)) if m.group(3) is not None else 1
        if stop < start:
            raise PlannerError(f"the range {item!r} runs backwards", field=field)
        if step < 1:
            raise PlannerError(f"the step in {item!r} must be at least 1", field=field)
        if stop >= num_layers:
            raise PlannerError(f"layer {stop} does not exist: the model has layers 0 to {num_layers - 1}",
                               field=field)
        out.update(range(start, stop + 1, step))
    return tuple(sorted(out))


def format_layer_set(layers: tuple[int, ...] | list[int]) -> str:
    """The shortest ``a-b:step`` form of a set of layers (the inverse of ``parse_layer_set``)."""
    values = sorted(set(layers))
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        if i + 1 < len(values):
            step = values[i + 1] - values[i]
            j = i + 1
            while j + 1 < len(values) and values[j + 1] - values[j] == step:
                j += 1
            if j - i < 2 and step != 1:  # two stepped items read better as singles
                j = i
        if j == i:
            parts.append(str(values[i]))
        else:
            step = values[i + 1] - values[i]
            parts.append(f"{values[i]}-{values[j]}" + (f":{step}" if step != 1 else ""))
        i = j + 1
    return ", ".join(parts)

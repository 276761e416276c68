"""What one sampler does to the candidate set: the new set(s), and the thresholds it drew."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .candidates import Candidates


@dataclass(frozen=True, eq=False)
class Step:
    """The outcome of one sampler.

    ``branches`` holds (weight, candidates) pairs whose weights sum to 1. A deterministic sampler has one;
    a random one (XTC fires with a probability) has two, and the samplers after it run on each.
    ``thresholds`` are the cut-offs in probability units of the sampler's input, for drawing lines.
    """

    branches: tuple[tuple[float, Candidates], ...]
    thresholds: Mapping[str, float] = field(default_factory=dict)
    note: str = ""

    @classmethod
    def of(cls, cands: Candidates, thresholds: Mapping[str, float] | None = None, note: str = "") -> "Step":
        return cls(((1.0, cands),), dict(thresholds or {}), note)

    @property
    def only(self) -> Candidates:
        """The single outcome of a deterministic sampler."""
        assert len(self.branches) == 1
        return self.branches[0][1]

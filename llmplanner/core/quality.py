"""The quality a weight format costs, as published: perplexity deltas and KL divergence against 16-bit weights.

Figures live in ``resources/quality.json``, each with the model it was measured on and its source
(llama.cpp's perplexity scoreboard for Llama-3-8B and its Llama-2 vs Llama-3 comparison, llama-quantize's
built-in descriptions, the AWQ paper, a documented AutoGPTQ measurement). Where nothing is published the
answer is ``None`` ("no data"); nothing is interpolated or invented. Costs transfer only roughly between
models: the scoreboard itself shows Llama-3-8B losing about twice the perplexity of Llama-2-7B at the same
format, so the model a figure was measured on is always part of the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import read_json


@dataclass(frozen=True)
class QualityCost:
    format: str
    model: str
    """The model the figure was measured on (not necessarily the one being planned)."""
    delta_ppl: float | None
    """Perplexity of the format minus that of the baseline (positive = worse)."""
    kld: float | None
    """Mean KL divergence of the token distributions from the baseline's (nats)."""
    baseline: str
    """What it is measured against: ``FP16`` (or ``FP32`` for the 16-bit formats themselves)."""
    source: str
    ppl: float | None = None
    ppl_base: float | None = None
    dataset: str = ""
    imatrix: str | None = None
    """The importance matrix llama-quantize was given, or None."""
    note: str = ""

    @property
    def relative_ppl(self) -> float | None:
        """ΔPPL as a fraction of the baseline perplexity, when both are known."""
        base = self.ppl_base if self.ppl_base is not None else (
            self.ppl - self.delta_ppl if self.ppl is not None and self.delta_ppl is not None else None)
        if base is None or self.delta_ppl is None or base <= 0:
            return None
        return self.delta_ppl / base

    def as_dict(self) -> dict:
        return {"format": self.format, "model": self.model, "delta_ppl": self.delta_ppl, "kld": self.kld,
                "baseline": self.baseline, "ppl": self.ppl, "ppl_base": self.ppl_base, "dataset": self.dataset,
                "imatrix": self.imatrix, "relative_ppl": self.relative_ppl, "source": self.source, "note": self.note}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@lru_cache(maxsize=1)
def _entries() -> tuple[QualityCost, ...]:
    out = []
    for e in read_json("quality.json")["entries"]:
        ppl_base = e.get("ppl_base")
        if ppl_base is None and e.get("ppl_ratio") and e.get("delta_ppl") is not None:
            ppl_base = e["delta_ppl"] / (e["ppl_ratio"] - 1)
        out.append(QualityCost(format=e["format"].lower(), model=e["model"], delta_ppl=e.get("delta_ppl"),
                               kld=e.get("kld"), baseline=e["baseline"], source=e["source"], ppl=e.get("ppl"),
                               ppl_base=ppl_base, dataset=e.get("dataset", ""), imatrix=e.get("imatrix"),
                               note=e.get("note", "")))
    return tuple(out)


def quality_costs(fmt) -> tuple[QualityCost, ...]:
    """Every published figure for ``fmt`` (all models, with and without an importance matrix)."""
    from .formats import get_format

    fid = get_format(fmt).id
    return tuple(e for e in _entries() if e.format == fid)


def quality_cost(fmt, arch=None) -> QualityCost | None:
    """The most relevant published cost of ``fmt``, or None where none is published.

    Preference: a figure measured on the planned model (``arch.name``, compared ignoring case and
    punctuation), then one made without an importance matrix (what plain ``llama-quantize`` produces), then
    the first listed. The returned cost always names the model it was measured on.
    """
    found = quality_costs(fmt)
    if not found:
        return None
    if arch is not None:
        name = _key(getattr(arch, "name", "") or "")
        same = [e for e in found if name and _key(e.model) == name]
        if same:
            found = tuple(same)
    plain = [e for e in found if e.imatrix is None]
    return (plain or list(found))[0]

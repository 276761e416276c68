"""The Hardware tab's work, as plain functions its workers run (no Qt here: each takes and returns plain data).

- ``detect_machine``: this machine, detected once per session (the torch probe runs in a child process and
  takes seconds) and kept; ``refresh=True`` detects again. Never called on the GUI thread.
- ``targets_for``: the detected machine and the "what if" machine as engine ``Target``s.
- ``recommend_job``, ``what_fits_job``, ``tiers_job``, ``scale_out_job``: the core engines for the plan.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from ..core.errors import PlannerError
from ..core.estimate import EstimateRequest
from ..core.machine import MachineInfo
from ..core.recommend import Recommendation, recommend
from ..core.target import Target, target_from_catalogue, target_from_machine

WHAT_IF_GPU = "NVIDIA GeForce RTX 4090"
"""What the "what if" side starts with when the plan names no GPU: a starting point for the form (any
catalogue GPU can be chosen), the largest consumer card of the 16-24GB tier."""
WHAT_IF_COUNT = 1
WHAT_IF_RAM = 64 << 30

_lock = threading.Lock()
_machine: MachineInfo | None = None


def detect_machine(refresh: bool = False, use_torch: bool = True) -> MachineInfo:
    """This machine (``core.detect.detect``), detected on the first call and kept for the session;
    ``use_torch=False`` skips the torch probe (headless runs: ROCm, XPU and Metal's exact figure are then
    unknown, NVIDIA GPUs and Apple chips are still found)."""
    global _machine
    with _lock:
        if _machine is None or refresh:
            from ..core import detect

            _machine = detect.detect(use_torch=use_torch)
        return _machine


def forget_machine() -> None:
    """Drop the kept detection (tests)."""
    global _machine
    with _lock:
        _machine = None


def known_machine() -> MachineInfo | None:
    return _machine


@dataclass(frozen=True)
class WhatIf:
    """The "what if" machine: catalogue picks (``gpu`` None: CPU only)."""

    gpu: str | None = WHAT_IF_GPU
    count: int = WHAT_IF_COUNT
    ram_bytes: int = WHAT_IF_RAM
    host: str | None = None


def what_if_from_plan(hardware, host: str | None = None) -> WhatIf:
    """The plan's catalogue picks (``plan.HardwareChoice``): its first GPU model with its count, and its RAM;
    catalogue hardware without a GPU is a CPU-only machine; a plan without picks gets the form's starting
    point."""
    if hardware.gpus:
        pick = hardware.gpus[0]
        return WhatIf(pick.name, pick.count, hardware.ram_bytes or WHAT_IF_RAM, host)
    if hardware.source == "catalogue":
        return WhatIf(None, 1, hardware.ram_bytes or WHAT_IF_RAM, host)
    return WhatIf(host=host)


def what_if_target(w: WhatIf) -> Target:
    return target_from_catalogue(w.gpu, w.count, w.ram_bytes, host=w.host)


def this_target(info: MachineInfo | None, host: str | None = None) -> Target | None:
    return None if info is None else target_from_machine(info, host=host)


@dataclass(frozen=True)
class HardwareResult:
    """What the formats table, the best choice, the commands and the comparison show."""

    recommendation: Recommendation
    other: Recommendation | None
    """The same plan on the machine not planned for (this one or the "what if"), for the comparison."""


def recommend_job(base: EstimateRequest, primary: Target, other: Target | None = None, *, cancel=None
                  ) -> HardwareResult:
    rec = recommend(base, primary, cancel=cancel)
    other_rec = None
    if other is not None and not (cancel is not None and cancel.cancelled):
        try:
            other_rec = recommend(base, other, cancel=cancel)
        except PlannerError:
            other_rec = None
    return HardwareResult(rec, other_rec)


def what_fits_job(base: EstimateRequest, target: Target, tags: tuple[str, ...], *, cancel=None):
    from ..core.what_fits import what_fits

    return what_fits(base, target, tags=tags, cancel=cancel)


def tiers_job(base: EstimateRequest):
    from ..core.tier_advice import check_all_tiers

    return check_all_tiers(base)


@dataclass(frozen=True)
class ScaleOut:
    format: str
    layout: object
    """``layouts.LayoutSearch`` (None when there is no GPU model to stack)."""
    gpu: str | None
    speed: float
    picks: tuple


def scale_out_job(base: EstimateRequest, fmt: str, gpu: str | None, gpu_memory_bytes: int | None,
                  tokens_per_s: float) -> ScaleOut:
    from ..core.hardware_search import smallest_for_speed
    from ..core.layouts import smallest_layout

    req = replace(base, weight_format=fmt)
    layout = smallest_layout(req, gpu, gpu_memory_bytes=gpu_memory_bytes) if gpu else None
    picks = smallest_for_speed(req, tokens_per_s)
    return ScaleOut(fmt, layout, gpu, tokens_per_s, picks)

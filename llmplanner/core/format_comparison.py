"""Every weight format side by side for one plan: memory, the fit, the published quality cost, memory
against context, and (in the training modes) the per-GPU training memory — what the Precision tab shows.

This module only runs the engines over the formats a runtime can load; no formula lives here:

- memory and fit per format: ``estimate.run_estimate`` for the plan with that weight format (the numbers the
  command line's ``estimate`` prints for the same settings);
- quality: ``quality.quality_cost`` (published figures with the model they were measured on, or None);
- curves: ``memory.sweep.memory_curve`` (vectorised over context);
- training: ``run_estimate`` in the plan's training mode (``training.training_memory``).

Hardware: a plan either picks GPUs from the catalogue (``plan.estimate_request`` maps them) or uses this
machine as detected; ``plan_hardware`` turns a detection (``detect.detect``) into the engines'
``HardwareChoice`` so that the same fit rules apply to both.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .architecture import Architecture
from .errors import PlannerError
from .estimate import EstimateRequest, HardwareChoice, default_format, default_kv_format, run_estimate
from .fit import FitResult
from .formats import KV_CACHE_TYPES, WeightFormat, all_formats, get_format, quality_cost, weight_bytes
from .memory import MemoryEstimate, runtime_id
from .memory.sweep import MemoryCurve, memory_curve
from .params import count_params
from .plan import Plan, estimate_request
from .quality import QualityCost

CURVE_POINTS = 120
"""Contexts per memory-versus-context curve (log-spaced)."""
MIN_CURVE_CONTEXT = 512
MAX_CURVE_CONTEXT = 1 << 20

TRANSFORMERS_KV = ("f32", "f16", "bf16")
"""transformers' ``DynamicCache`` holds the compute dtype (``memory/transformers_rt.py``)."""
VLLM_KV = ("auto", "f32", "f16", "bf16", "fp8", "fp8_e4m3", "fp8_e5m2")
"""vLLM's ``--kv-cache-dtype`` (``memory/vllm_rt.py`` ``KV_DTYPES``)."""


# -- what a runtime can run ------------------------------------------------------------------------------------

def kv_formats(runtime: str) -> tuple[str, ...]:
    """The KV-cache element types ``runtime`` accepts."""
    rt = runtime_id(runtime)
    if rt in ("llama.cpp", "ollama"):
        return tuple(k.name for k in KV_CACHE_TYPES.values() if "llama.cpp" in k.runtimes)
    if rt == "vllm":
        return VLLM_KV
    return TRANSFORMERS_KV


def all_kv_formats() -> tuple[str, ...]:
    """Every KV-cache type some runtime accepts, ``auto`` (vLLM: the model's dtype) first."""
    return ("auto",) + tuple(KV_CACHE_TYPES)


@lru_cache(maxsize=64)
def runtime_formats(runtime: str, arch: Architecture) -> tuple[WeightFormat, ...]:
    """The weight formats ``runtime`` loads, largest first by their weight bytes for ``arch`` as that runtime
    stores them (ties: the catalogue's order)."""
    rt = runtime_id(runtime)
    found = [f for f in all_formats() if f.runs_on(rt)]
    order = {f.id: i for i, f in enumerate(all_formats())}

    def size(f: WeightFormat) -> int:
        try:
            return weight_bytes(arch, f, runtime=rt).total
        except PlannerError:  # a format this model's shapes cannot take (its row says why): last
            return -1

    return tuple(sorted(found, key=lambda f: (-size(f), order[f.id])))


def adapt_to_runtime(plan: Plan, runtime: str) -> Plan:
    """``plan`` on ``runtime``: a weight format or KV cache the runtime cannot use becomes its default
    (``estimate.default_format``/``default_kv_format``); everything else stays."""
    rt = runtime_id(runtime)
    changes = {"runtime": rt}
    try:
        runs = get_format(plan.weight_format).runs_on(rt)
    except PlannerError:
        runs = False
    if not runs:
        changes["weight_format"] = default_format(rt)
    if plan.kv_format.lower() not in kv_formats(rt):
        changes["kv_format"] = default_kv_format(rt)
    return plan.replace(**changes)


def neighbour_formats(ids: tuple[str, ...], current: str, n: int = 4) -> tuple[str, ...]:
    """``current`` and the formats next to it in ``ids`` (one larger, the rest smaller), ``n`` in all."""
    if not ids:
        return ()
    i = ids.index(current) if current in ids else 0
    lo = max(0, min(i - 1, len(ids) - n))
    return ids[lo:lo + n]


# -- hardware --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HardwareLimit:
    """The memory a plan must fit: the GPUs' memory, or the system RAM when there is no GPU."""

    name: str
    """The GPU's name, or '' for system RAM."""
    kind: str
    """``gpu`` or ``ram``."""
    count: int
    per_device_bytes: int
    source: str
    """``catalogue`` (picked in the plan) or ``detected`` (this machine)."""

    @property
    def total_bytes(self) -> int:
        return self.count * self.per_device_bytes


def plan_hardware(plan: Plan, arch: Architecture, detected=None) -> HardwareChoice:
    """The engines' hardware for ``plan``: its catalogue pick as ``plan.estimate_request`` maps it, or, for
    ``detected``, this machine's accelerators of the back-end with the most memory (``MachineInfo``; the
    catalogue entry each was matched to, at its detected usable memory) and its RAM."""
    hw = estimate_request(plan, arch, mode="inference").hardware
    if plan.hardware.source != "detected" or detected is None:
        return hw
    ram = plan.hardware.ram_bytes or detected.ram_total_bytes
    groups: dict[str, list] = {}
    for d in detected.gpus:
        if d.usable_bytes:
            groups.setdefault(d.backend, []).append(d)
    if not groups:
        return HardwareChoice(ram_bytes=ram)
    members = max(groups.values(), key=lambda ds: sum(d.usable_bytes for d in ds))
    first = members[0]
    usable = min(d.usable_bytes for d in members)
    return HardwareChoice(gpu=first.catalogue_match, gpu_count=len(members), vram_bytes=usable, ram_bytes=ram)


def hardware_limit(hw: HardwareChoice, source: str) -> HardwareLimit | None:
    """The line drawn on the charts: the GPUs' total memory, else the RAM, else None."""
    devices = hw.devices()
    if devices:
        acc = hw.accelerator()
        name = acc.name if acc is not None else ""
        return HardwareLimit(name, "gpu", len(devices), min(d.capacity_bytes or 0 for d in devices), source)
    machine = hw.machine()
    if machine.ram_bytes:
        return HardwareLimit("", "ram", 1, machine.ram_bytes, source)
    return None


# -- the comparison --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormatRow:
    format: WeightFormat
    bits_per_weight: float
    """Weight bytes × 8 ÷ parameters for this model as the runtime stores it (scales and the tensors kept in
    higher precision included)."""
    memory: MemoryEstimate | None
    fit: FitResult | None
    quality: QualityCost | None
    error: str | None = None
    """Why this format could not be estimated (then ``memory`` is None)."""

    @property
    def total_bytes(self) -> int:
        return self.memory.total_bytes if self.memory is not None else 0


@dataclass(frozen=True)
class FormatCurve:
    format: WeightFormat
    curve: MemoryCurve


@dataclass(frozen=True)
class FormatComparison:
    plan: Plan
    arch: Architecture
    context: int
    """The context the figures use: the plan's, capped at the model's maximum."""
    rows: tuple[FormatRow, ...]
    """Every format the runtime runs (inference modes; empty in the training modes)."""
    current: FormatRow | None
    """The plan's format (None when the runtime cannot load it)."""
    limit: HardwareLimit | None
    curves: tuple[FormatCurve, ...] = ()
    curve_error: str | None = None
    training: object | None = None
    """``TrainingMemory`` in the training modes."""

    def row(self, format_id: str) -> FormatRow | None:
        return next((r for r in self.rows if r.format.id == format_id), None)


def _request(plan: Plan, arch: Architecture, hw: HardwareChoice) -> EstimateRequest:
    return replace(estimate_request(plan, arch), hardware=hw)


def _row(plan: Plan, arch: Architecture, hw: HardwareChoice, fmt: WeightFormat, params: int) -> FormatRow:
    report = run_estimate(_request(plan.replace(weight_format=fmt.id), arch, hw))
    bpw = weight_bytes(arch, fmt, runtime=runtime_id(plan.runtime)).total * 8 / params if params else 0.0
    return FormatRow(fmt, bpw, report.memory, report.fit, quality_cost(fmt, arch))


def curve_contexts(arch: Architecture, context: int) -> np.ndarray:
    """Log-spaced contexts from 512 to the model's maximum (at most 1M, or the plan's context if longer)."""
    top = min(arch.max_context, max(MAX_CURVE_CONTEXT, context))
    bottom = min(MIN_CURVE_CONTEXT, top)
    ctx = np.unique(np.geomspace(bottom, top, CURVE_POINTS).round().astype(np.int64))
    return np.unique(np.concatenate([ctx, [min(context, top)]]))


def compare_formats(plan: Plan, arch: Architecture, hardware: HardwareChoice | None = None,
                    curve_formats: tuple[str, ...] | None = None) -> FormatComparison:
    """Memory, fit and quality of every format ``plan.runtime`` runs, the plan's own format first checked.

    ``hardware``: the engines' hardware (default: the plan's catalogue pick; ``plan_hardware`` maps a
    detected machine), which also gives the limit line (``hardware_limit``);
    ``curve_formats``: the formats to draw against context (default: the plan's and its neighbours).
    Raises ``PlannerError`` when the plan itself cannot be estimated (a KV cache the runtime lacks, vLLM
    without a GPU, LoRA targets the model does not have …); a single other format that fails is reported in
    its row.
    """
    hw = hardware if hardware is not None else plan_hardware(plan, arch)
    limit = hardware_limit(hw, "detected" if plan.hardware.source == "detected" else "catalogue")
    context = min(plan.context, arch.max_context)
    if plan.mode != "inference":
        report = run_estimate(_request(plan, arch, hw))
        return FormatComparison(plan, arch, context, (), None, limit, training=report.training)
    fmt = get_format(plan.weight_format)
    formats = runtime_formats(plan.runtime, arch)
    params = count_params(arch).total
    current = None
    if fmt.runs_on(runtime_id(plan.runtime)):
        current = _row(plan, arch, hw, fmt, params)  # errors here are the plan's: they propagate
    else:
        run_estimate(_request(plan, arch, hw))  # a KV cache or hardware problem still says so first
    rows = []
    for f in formats:
        if current is not None and f.id == current.format.id:
            rows.append(current)
            continue
        try:
            rows.append(_row(plan, arch, hw, f, params))
        except PlannerError as e:
            rows.append(FormatRow(f, 0.0, None, None, quality_cost(f, arch), str(e)))
    ids = tuple(f.id for f in formats)
    chosen = tuple(c for c in (curve_formats or ()) if c in ids) or neighbour_formats(ids, fmt.id)
    curves, curve_error = [], None
    contexts = curve_contexts(arch, context)
    for fid in chosen:
        req = _request(plan.replace(weight_format=fid), arch, hw).memory_request()
        try:
            curves.append(FormatCurve(get_format(fid), memory_curve(req, contexts)))
        except PlannerError as e:
            curve_error = str(e)
    return FormatComparison(plan, arch, context, tuple(rows), current, limit, tuple(curves), curve_error)

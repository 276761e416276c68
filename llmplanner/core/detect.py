"""Detect this machine: accelerators, RAM, CPU and its tier, layer by layer.

Layers, each optional, each reporting what it found or why it could not (``MachineInfo.layers``):

- ``psutil`` (``detect_system``): RAM total/available, swap, CPU model, cores, vector features;
- ``nvml`` (``detect_nvml``): NVIDIA GPUs through the driver, no CUDA context;
- ``torch`` (``detect_torch``): CUDA, ROCm, Apple MPS and Intel XPU as torch sees them, in a child process
  with a timeout (torch is never imported in this process);
- ``apple`` (``detect_apple``): on Apple Silicon, the chip and the GPU's usable share of unified memory.

The same GPU seen by NVML and torch is merged into one device (by UUID, else by name). Call ``detect`` from
a worker thread or a subprocess, never on a GUI thread: the torch layer takes seconds.

How several GPUs count towards the tier (``decide_tier``): the usable memory of all accelerators of one
back-end is **added up**, because the runtimes this app plans for spread one model's layers over every GPU
of a back-end (llama.cpp ``--split-mode layer``/``--tensor-split``, vLLM ``--tensor-parallel-size`` and
pipeline parallel, transformers/accelerate ``device_map="auto"``); memory does not add across back-ends (an
NVIDIA card and an Intel iGPU are not one pool for these runtimes), so the back-end with the most memory is
taken. The largest single device is reported beside it, since a runtime that does not split (or a model
layer larger than one card) is limited by it. Per-GPU overheads (CUDA context, compute buffers) are the fit
engine's business, not the tier's.
"""
from __future__ import annotations

import importlib
import importlib.util
import platform
import sys
from collections import OrderedDict

from .detect_apple import detect_apple
from .detect_nvml import detect_nvml
from .detect_system import detect_system
from .detect_torch import DEFAULT_TIMEOUT_S, devices_from_probe, run_probe
from .errors import PlannerError
from .machine import DetectedDevice, LayerReport, MachineInfo
from .tiers import GB, GIB, TierDecision, tier_for_bytes

CATALOGUE_MODULE = "llmplanner.core.hardware"


def _uuid_key(uuid: str | None) -> str | None:
    if not uuid:
        return None
    u = uuid.strip().lower()
    return u[4:] if u.startswith("gpu-") else u


def merge_nvml_and_torch(nvml: tuple[DetectedDevice, ...], torch_devs: tuple[DetectedDevice, ...],
                         torch_saw_cuda: bool) -> tuple[list[DetectedDevice], list[str]]:
    """One device per physical GPU: NVML's memory and driver figures, torch's index and flags."""
    notes: list[str] = []
    out: list[DetectedDevice] = []
    unmatched = list(nvml)
    for t in torch_devs:
        if t.backend != "cuda" or not unmatched:
            out.append(t)
            continue
        match = next((n for n in unmatched if _uuid_key(n.uuid) and _uuid_key(n.uuid) == _uuid_key(t.uuid)), None)
        if match is None:
            match = next((n for n in unmatched if n.name == t.name), None)
        if match is None:
            out.append(t)
            continue
        unmatched.remove(match)
        out.append(DetectedDevice(
            name=match.name, memory_total_bytes=match.memory_total_bytes,
            memory_free_bytes=match.memory_free_bytes if match.memory_free_bytes is not None else t.memory_free_bytes,
            backend="cuda", source="nvml+torch", index=t.index,
            compute_capability=match.compute_capability or t.compute_capability,
            driver=match.driver or t.driver, memory_usable_bytes=match.memory_total_bytes or t.memory_total_bytes,
            integrated=t.integrated, pci_bus_id=match.pci_bus_id, uuid=match.uuid or t.uuid))
    for n in unmatched:
        if torch_saw_cuda:
            notes.append(f"{n.name} (NVML GPU {n.index}) is not visible to torch (CUDA_VISIBLE_DEVICES?)")
        out.append(n)
    return out, notes


def _fmt(n: int) -> str:
    return f"{n / GB:.2f} GB ({n / GIB:.2f} GiB)"


def decide_tier(devices) -> TierDecision:
    """The machine's tier from its accelerators (see the module docstring for how several GPUs count)."""
    groups: "OrderedDict[str, list[DetectedDevice]]" = OrderedDict()
    for d in devices:
        if d.usable_bytes:
            groups.setdefault(d.backend, []).append(d)
    if not groups:
        return TierDecision("cpu-only", 0, 0, "cpu-only",
                            "no accelerator with known memory: models run on the CPU from RAM")
    backend, members = max(groups.items(), key=lambda kv: sum(d.usable_bytes for d in kv[1]))
    total = sum(d.usable_bytes for d in members)
    largest = max((d for ds in groups.values() for d in ds), key=lambda d: d.usable_bytes)
    if len(members) == 1:
        d = members[0]
        what = "usable share of unified memory" if d.integrated else "memory"
        basis = f"{d.name}: {_fmt(d.usable_bytes)} {what}"
    else:
        parts = " + ".join(f"{d.name} {d.usable_bytes / GIB:.2f} GiB" for d in members)
        basis = (f"{len(members)} {backend} devices added up: {_fmt(total)} ({parts}); layer-splitting runtimes "
                 f"(llama.cpp --tensor-split, vLLM tensor/pipeline parallel, device_map='auto') spread one "
                 f"model over them; the largest single device has {_fmt(largest.usable_bytes)}")
    others = [b for b in groups if b != backend]
    if others:
        basis += f"; not added: {', '.join(others)} devices (another back-end, not one memory pool)"
    return TierDecision(tier_for_bytes(total), total, largest.usable_bytes, tier_for_bytes(largest.usable_bytes),
                        basis)


def match_catalogue(devices: list[DetectedDevice]) -> tuple[list[DetectedDevice], list[str]]:
    """Each device's hardware-catalogue entry, when the catalogue (``llmplanner.core.hardware``) exists."""
    if not devices:
        return devices, []
    module = sys.modules.get(CATALOGUE_MODULE)
    if module is None:
        if importlib.util.find_spec(CATALOGUE_MODULE) is None:
            return devices, ["the hardware catalogue is not part of this build: devices are shown with their "
                             "memory only (no bandwidth or FLOP/s)"]
        module = importlib.import_module(CATALOGUE_MODULE)
    find = getattr(module, "find_accelerator", None)
    if find is None:
        return devices, ["the hardware catalogue has no find_accelerator(): devices are not matched"]
    out, notes = [], []
    for d in devices:
        try:
            entry = find(d.name)
        except PlannerError:
            entry = None
        if entry is None:
            notes.append(f"{d.name} is not in the hardware catalogue: shown with its memory only (speed "
                         "estimates need its bandwidth; choose a similar catalogue entry to plan)")
            out.append(d)
            continue
        label = getattr(entry, "name", None) or str(entry)
        out.append(_replace(d, catalogue_match=label))
    return out, notes


def _replace(d: DetectedDevice, **changes) -> DetectedDevice:
    import dataclasses

    return dataclasses.replace(d, **changes)


def detect(*, use_torch: bool = True, torch_timeout: float = DEFAULT_TIMEOUT_S,
           torch_probe: dict | None = None) -> MachineInfo:
    """Everything the layers find; never raises for a missing library, driver or device.

    ``torch_probe``: the JSON of an already-run ``llmplanner._probe_torch`` (else it is run here when
    ``use_torch``).
    """
    layers: list[LayerReport] = []
    notes: list[str] = []
    system = detect_system()
    layers.extend(system.reports)
    nvml = detect_nvml()
    layers.append(nvml.report)
    notes.extend(nvml.notes)
    torch_devices: tuple[DetectedDevice, ...] = ()
    torch_info = None
    metal_bytes = None
    torch_saw_cuda = False
    if use_torch or torch_probe is not None:
        result = devices_from_probe(torch_probe if torch_probe is not None else run_probe(torch_timeout))
        layers.append(result.report)
        notes.extend(result.notes)
        torch_devices, torch_info, metal_bytes = result.devices, result.torch, result.mps_recommended_max_memory
        torch_saw_cuda = any(d.backend == "cuda" for d in torch_devices)
    else:
        layers.append(LayerReport("torch", "skipped", "torch probe not run (--no-torch)"))
    devices, merge_notes = merge_nvml_and_torch(nvml.devices, torch_devices, torch_saw_cuda)
    notes.extend(merge_notes)
    apple = detect_apple(metal_recommended_bytes=metal_bytes, ram_available_bytes=system.ram_available_bytes)
    if apple.report.status != "unavailable":
        layers.append(apple.report)
    notes.extend(apple.notes)
    devices.extend(apple.devices)
    if torch_info and torch_info.get("mps_available") and not apple.devices:
        notes.append("torch reports Apple MPS on a Mac that is not Apple Silicon (an AMD GPU in an Intel Mac): "
                     "its memory is not known to this app")
    for d in devices:
        if d.integrated and d.backend != "mps":
            notes.append(f"{d.name} is an integrated GPU sharing system RAM: its {d.usable_bytes or 0:,} bytes "
                         "count toward the tier but compete with the CPU for memory and bandwidth")
        if d.memory_free_bytes is not None and d.memory_total_bytes and \
                d.memory_free_bytes < 0.9 * d.memory_total_bytes and not d.integrated:
            used = d.memory_total_bytes - d.memory_free_bytes
            notes.append(f"{d.name}: {used / GIB:.2f} GiB already in use by other processes "
                         f"({d.memory_free_bytes / GIB:.2f} GiB free of {d.memory_total_bytes / GIB:.2f} GiB)")
    devices, catalogue_notes = match_catalogue(devices)
    notes.extend(catalogue_notes)
    for r in layers:
        if r.status == "failed" or (r.status == "unavailable" and r.name in ("psutil", "nvml", "torch")):
            notes.append(r.detail)
    decision = decide_tier(devices)
    return MachineInfo(
        gpus=tuple(devices), ram_total_bytes=system.ram_total_bytes, ram_available_bytes=system.ram_available_bytes,
        cpu=system.cpu, tier=decision.tier, swap_total_bytes=system.swap_total_bytes,
        swap_free_bytes=system.swap_free_bytes, tier_decision=decision, layers=tuple(layers),
        notes=tuple(dict.fromkeys(notes)), platform=platform.platform(), torch=torch_info)

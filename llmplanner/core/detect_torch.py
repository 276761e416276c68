"""The torch layer of detection: runs ``llmplanner._probe_torch`` in a child process and reads its answer.

torch is never imported here (the model layer stays torch-free): the child imports it, queries CUDA, ROCm,
MPS and XPU, prints one JSON line and exits, taking any CUDA context with it. ``devices_from_probe`` turns
that JSON into ``DetectedDevice``s; tests feed it probe output made with fake torch modules.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .machine import DetectedDevice, LayerReport

MARKER = "LLMPLANNER_TORCH_PROBE "
"""Must equal ``llmplanner._probe_torch.MARKER`` (a test checks)."""

DEFAULT_TIMEOUT_S = 90.0
"""Importing a CUDA build of torch and initialising the driver takes 5-30 s on a cold disk."""


@dataclass(frozen=True)
class TorchResult:
    devices: tuple[DetectedDevice, ...]
    report: LayerReport
    notes: tuple[str, ...] = ()
    torch: dict | None = None
    """{"version", "cuda", "hip", "mps_recommended_max_memory"} when torch imported."""
    mps_recommended_max_memory: int | None = None


def _package_root() -> Path:
    """The folder holding the ``llmplanner`` package (a source checkout or site-packages)."""
    return Path(__file__).resolve().parents[2]


def run_probe(timeout: float = DEFAULT_TIMEOUT_S, python: str | None = None) -> dict:
    """Run the probe in a child Python; returns its JSON, or ``{"probe_error": ...}`` when it gave none."""
    root = _package_root()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    try:
        out = subprocess.run([python or sys.executable, "-m", "llmplanner._probe_torch"], capture_output=True,
                             text=True, timeout=timeout, cwd=root, env=env)
    except subprocess.TimeoutExpired:
        return {"probe_error": f"the torch probe took longer than {timeout:g} s and was stopped"}
    except OSError as e:
        return {"probe_error": f"the torch probe could not start: {e}"}
    for line in reversed(out.stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                return json.loads(line[len(MARKER):])
            except json.JSONDecodeError as e:
                return {"probe_error": f"the torch probe's answer is not JSON: {e}"}
    tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
    return {"probe_error": f"the torch probe exited with code {out.returncode} without an answer: {tail}"}


def _capability(d: dict, hip: bool) -> str | None:
    if hip and d.get("gcn_arch"):
        return str(d["gcn_arch"]).split(":")[0]  # "gfx90a:sramecc+:xnack-" → "gfx90a"
    cap = d.get("capability")
    return f"{cap[0]}.{cap[1]}" if cap else None


def devices_from_probe(result: dict) -> TorchResult:
    """Devices, a layer report and notes from the probe's JSON (see ``llmplanner._probe_torch.probe``)."""
    if "probe_error" in result:
        return TorchResult((), LayerReport("torch", "failed", result["probe_error"]))
    if result.get("torch_version") is None:
        why = result.get("import_error") or "not importable"
        return TorchResult((), LayerReport("torch", "unavailable", f"torch is not installed here ({why}): "
                                           "device details from torch and the measured check are off"))
    version = result["torch_version"]
    hip, cuda_build = result.get("hip_build"), result.get("cuda_build")
    backend = "rocm" if hip else "cuda"
    notes: list[str] = []
    devices: list[DetectedDevice] = []
    cuda = result.get("cuda") or {}
    api = f"HIP {hip}" if hip else (f"CUDA {cuda_build} runtime" if cuda_build else None)
    for d in cuda.get("devices", ()):
        if "error" in d and "name" not in d:
            notes.append(f"torch could not read {backend} device {d.get('index')}: {d['error']}")
            continue
        devices.append(DetectedDevice(
            name=d["name"], memory_total_bytes=d.get("total_memory"), memory_free_bytes=d.get("free_memory"),
            backend=backend, source="torch", index=d.get("index"), compute_capability=_capability(d, bool(hip)),
            driver=api, memory_usable_bytes=d.get("total_memory"), integrated=bool(d.get("integrated")),
            uuid=d.get("uuid")))
        if d.get("error"):
            notes.append(f"{d['name']}: torch could not read its free memory ({d['error']})")
    if cuda.get("error"):
        notes.append(f"torch.cuda failed: {cuda['error']}")
    xpu = result.get("xpu") or {}
    for d in xpu.get("devices", ()):
        if "name" not in d:
            notes.append(f"torch could not read XPU device {d.get('index')}: {d.get('error')}")
            continue
        devices.append(DetectedDevice(
            name=d["name"], memory_total_bytes=d.get("total_memory"), memory_free_bytes=d.get("free_memory"),
            backend="xpu", source="torch", index=d.get("index"), driver=d.get("driver"),
            memory_usable_bytes=d.get("total_memory"), integrated=bool(d.get("integrated"))))
    if xpu.get("error"):
        notes.append(f"torch.xpu failed: {xpu['error']}")
    mps = result.get("mps") or {}
    if mps.get("error"):
        notes.append(f"torch MPS failed: {mps['error']}")
    build = "ROCm/HIP " + str(hip) if hip else (f"CUDA {cuda_build}" if cuda_build else None)
    if build is None and not mps.get("built") and not xpu.get("available"):
        build_text = "a CPU-only build"
        notes.append(f"torch {version} is a CPU-only build (torch.version.cuda and torch.version.hip are None): "
                     "the measured check can run on the CPU only")
    else:
        build_text = build or ("with MPS" if mps.get("built") else "with XPU")
        if build and not cuda.get("available"):
            notes.append(f"torch {version} is built for {build} but sees no GPU (driver missing or too old, "
                         "or CUDA_VISIBLE_DEVICES hides them)")
    info = {"version": version, "cuda": cuda_build, "hip": hip, "mps_available": bool(mps.get("available")),
            "mps_recommended_max_memory": mps.get("recommended_max_memory"), "build": build_text,
            "import_seconds": result.get("seconds")}
    found = len(devices) + (1 if mps.get("available") else 0)
    status = "found" if found else "none"
    detail = f"torch {version} ({build_text}): " + (
        ", ".join(f"{d.backend}:{d.index} {d.name}" for d in devices) or "no accelerator")
    if mps.get("available"):
        detail += "; Apple MPS available"
    return TorchResult(tuple(devices), LayerReport("torch", status, detail), tuple(notes), info,
                       mps.get("recommended_max_memory"))


def detect_torch(timeout: float = DEFAULT_TIMEOUT_S) -> TorchResult:
    return devices_from_probe(run_probe(timeout))

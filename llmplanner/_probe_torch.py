"""What torch sees on this machine; run in a child process: ``python -m llmplanner._probe_torch``.

Importing torch takes seconds and CUDA calls create a context that holds GPU memory until the process ends,
so the app never does either itself: ``llmplanner.core.detect_torch`` runs this module in a subprocess with
a timeout and reads the one JSON line it prints after ``MARKER``. It uses only the standard library and
torch, and never raises: every failure is written into the JSON.

APIs read (torch documentation, pytorch.org/docs/stable): ``torch.version.cuda`` / ``torch.version.hip``
(the build), ``torch.cuda.is_available``, ``device_count``, ``get_device_properties`` (name, total_memory,
major/minor, uuid, is_integrated, gcnArchName on ROCm), ``torch.cuda.mem_get_info`` (free, total: the
driver's cudaMemGetInfo), ``torch.backends.mps.is_built/is_available``, ``torch.mps.recommended_max_memory``
(Metal's recommendedMaxWorkingSetSize), ``torch.xpu`` (``is_available``, ``get_device_properties``,
``mem_get_info``).
"""
from __future__ import annotations

import json
import sys
import time

MARKER = "LLMPLANNER_TORCH_PROBE "


def _err(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"


def _cuda(torch) -> dict:
    out: dict = {"available": False, "devices": [], "error": None}
    try:
        out["available"] = bool(torch.cuda.is_available())
        if not out["available"]:
            return out
        for i in range(int(torch.cuda.device_count())):
            d: dict = {"index": i}
            try:
                p = torch.cuda.get_device_properties(i)
                d.update(name=str(p.name), total_memory=int(p.total_memory),
                         capability=[int(p.major), int(p.minor)],
                         uuid=str(getattr(p, "uuid", "")) or None,
                         integrated=bool(getattr(p, "is_integrated", 0)),
                         gcn_arch=str(getattr(p, "gcnArchName", "")) or None)
                free, total = torch.cuda.mem_get_info(i)
                d.update(free_memory=int(free), mem_get_info_total=int(total))
            except Exception as e:  # noqa: BLE001 - one broken device must not hide the others
                d["error"] = _err(e)
            out["devices"].append(d)
    except Exception as e:  # noqa: BLE001
        out["error"] = _err(e)
    return out


def _mps(torch) -> dict:
    out: dict = {"built": False, "available": False, "recommended_max_memory": None, "error": None}
    try:
        backend = getattr(torch.backends, "mps", None)
        if backend is None:
            return out
        out["built"] = bool(backend.is_built())
        out["available"] = bool(backend.is_available())
        if out["available"]:
            mps = getattr(torch, "mps", None)
            if mps is not None and hasattr(mps, "recommended_max_memory"):
                out["recommended_max_memory"] = int(mps.recommended_max_memory())
            if mps is not None and hasattr(mps, "driver_allocated_memory"):
                out["driver_allocated_memory"] = int(mps.driver_allocated_memory())
    except Exception as e:  # noqa: BLE001
        out["error"] = _err(e)
    return out


def _xpu(torch) -> dict:
    out: dict = {"available": False, "devices": [], "error": None}
    xpu = getattr(torch, "xpu", None)
    if xpu is None:
        return out
    try:
        out["available"] = bool(xpu.is_available())
        if not out["available"]:
            return out
        for i in range(int(xpu.device_count())):
            d: dict = {"index": i}
            try:
                p = xpu.get_device_properties(i)
                d.update(name=str(p.name), total_memory=int(p.total_memory),
                         integrated=bool(getattr(p, "is_integrated_gpu", False)),
                         driver=str(getattr(p, "driver_version", "")) or None)
                if hasattr(xpu, "mem_get_info"):
                    free, _total = xpu.mem_get_info(i)
                    d["free_memory"] = int(free)
            except Exception as e:  # noqa: BLE001
                d["error"] = _err(e)
            out["devices"].append(d)
    except Exception as e:  # noqa: BLE001
        out["error"] = _err(e)
    return out


def probe(torch) -> dict:
    """Everything torch says about accelerators, as a JSON-ready dict (``torch`` is the imported module)."""
    version = getattr(torch, "version", None)
    return {
        "torch_version": str(getattr(torch, "__version__", "unknown")),
        "cuda_build": getattr(version, "cuda", None),
        "hip_build": getattr(version, "hip", None),
        "cuda": _cuda(torch),
        "mps": _mps(torch),
        "xpu": _xpu(torch),
    }


def main() -> int:
    start = time.perf_counter()
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - ImportError, or a broken install raising anything
        result = {"torch_version": None, "import_error": _err(e)}
    else:
        result = probe(torch)
    result["seconds"] = round(time.perf_counter() - start, 3)
    sys.stdout.write(MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

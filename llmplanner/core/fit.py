"""Does it fit? Verdicts per machine, and the inverse questions (longest context, best format).

A plan fits a GPU when every GPU holds its share of the runtime's buffers plus the runtime's reserve
(``MemoryEstimate.reserve_bytes``: llama.cpp ``--fit``'s 1 GiB margin, Ollama's minimum, the CUDA context) —
and the host holds what stays on it. Verdicts, from best to worst:

- ``fits``: on the GPU(s), with at least ``HEADROOM`` of each GPU still free;
- ``tight``: on the GPU(s), with less free than that (other programs, a longer prompt, may tip it over);
- ``partial``: llama.cpp/Ollama/transformers offload the first layers to the CPU: N of L layers on the GPU;
- ``cpu``: no layer fits a GPU (or there is none) but the host RAM holds it all;
- ``no``: not even that.

``HEADROOM`` is a display threshold (10% of the GPU), not a physical constant: below it, desktop
compositors, browsers and a second model commonly take the rest.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .memory import Device, MemoryEstimate, MemoryRequest, estimate_memory

HEADROOM = 0.10
VERDICTS = ("fits", "tight", "partial", "cpu", "no")


@dataclass(frozen=True)
class Machine:
    """What a plan must fit into: GPUs (with capacities) and the host's RAM."""

    gpus: tuple[Device, ...] = ()
    ram_bytes: int | None = None
    name: str = ""


@dataclass(frozen=True)
class FitResult:
    verdict: str
    gpu_layers: int
    total_layers: int
    estimate: MemoryEstimate
    free_gpu_bytes: int | None
    """The smallest GPU's memory left free after the runtime and its reserve (None without a GPU)."""
    needed_ram_bytes: int

    @property
    def label(self) -> str:
        if self.verdict == "fits":
            return "fits on the GPU with headroom"
        if self.verdict == "tight":
            return "fits on the GPU, tight"
        if self.verdict == "partial":
            return f"partial offload: {self.gpu_layers} of {self.total_layers} layers on the GPU"
        if self.verdict == "cpu":
            return "CPU only"
        return "does not fit"

    def as_dict(self) -> dict:
        return {"verdict": self.verdict, "label": self.label, "gpu_layers": self.gpu_layers,
                "total_layers": self.total_layers, "free_gpu_bytes": self.free_gpu_bytes,
                "needed_ram_bytes": self.needed_ram_bytes}


def _gpu_free(est: MemoryEstimate) -> int | None:
    frees = [d.device.capacity_bytes - d.total - est.reserve_bytes
             for d in est.devices if d.device.is_gpu and d.device.capacity_bytes]
    return min(frees) if frees else None


def _host_ok(est: MemoryEstimate, machine: Machine) -> bool:
    return machine.ram_bytes is None or est.on("cpu") <= machine.ram_bytes


def _result(verdict: str, est: MemoryEstimate) -> FitResult:
    return FitResult(verdict, est.gpu_layers or 0, est.total_layers, est, _gpu_free(est), est.on("cpu"))


def fit(req: MemoryRequest, machine: Machine) -> FitResult:
    """The verdict for ``req`` on ``machine`` (the request's own ``gpus`` are replaced by the machine's)."""
    req = replace(req, gpus=machine.gpus)
    est = estimate_memory(req)
    n = est.total_layers
    if machine.gpus:
        free = _gpu_free(est)
        on_gpu_fully = (est.gpu_layers or 0) >= n
        if est.runtime == "vllm":
            ok = free is not None and free >= 0 and est.extra["vllm"]["max_concurrency"] >= max(1, req.batch)
            return _result("fits" if ok else "no", est)
        if free is not None and free >= 0 and on_gpu_fully and _host_ok(est, machine):
            cap = min(d.device.capacity_bytes for d in est.devices if d.device.is_gpu)
            return _result("fits" if free >= HEADROOM * cap else "tight", est)
        if est.runtime in ("llama.cpp", "ollama"):
            best = _most_layers(req, machine, n)
            if best is not None and best.gpu_layers > 0:
                # every repeating layer but not the output layer on the GPU still counts as tight
                return _result("partial" if best.gpu_layers < n else "tight", best.estimate)
        elif est.runtime == "transformers" and free is not None and free >= 0 and _host_ok(est, machine):
            return _result("partial" if (est.gpu_layers or 0) > 0 else "cpu", est)
    cpu = estimate_memory(replace(req, gpus=()))
    if machine.ram_bytes is None or cpu.on("cpu") <= machine.ram_bytes:
        return _result("cpu", cpu)
    return _result("no", cpu)


def _most_layers(req: MemoryRequest, machine: Machine, n: int) -> FitResult | None:
    """The largest ``-ngl`` whose GPU buffers fit (binary search: GPU memory grows with layers)."""
    def ok(k: int) -> MemoryEstimate | None:
        est = estimate_memory(replace(req, gpus=machine.gpus, gpu_layers=k))
        free = _gpu_free(est)
        return est if free is not None and free >= 0 and _host_ok(est, machine) else None

    lo, hi, found = 1, n + 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        est = ok(mid)
        if est is not None:
            found, lo = est, mid + 1
        else:
            hi = mid - 1
    return _result("fits", found) if found is not None else None


def longest_context(req: MemoryRequest, machine: Machine, *, allow=("fits", "tight")) -> int:
    """The longest context (tokens, up to the model's maximum) whose verdict is in ``allow``; 0 if none."""
    top = req.arch.max_context
    if fit(replace(req, context=1), machine).verdict not in allow:
        return 0
    lo, hi = 1, top
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fit(replace(req, context=mid), machine).verdict in allow:
            lo = mid
        else:
            hi = mid - 1
    return lo


def best_format(req: MemoryRequest, machine: Machine, candidates: list[str], *, allow=("fits", "tight")
                ) -> tuple[str, FitResult] | None:
    """The first of ``candidates`` (ordered best quality first) whose verdict is in ``allow``."""
    for fmt in candidates:
        result = fit(replace(req, weight_format=fmt), machine)
        if result.verdict in allow:
            return fmt, result
    return None

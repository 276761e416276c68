"""Peak-memory meters for the measured check, one per device kind; torch is passed in, never imported here.

What each counts (``MemoryReading.method`` repeats it for the user):

- CUDA/ROCm: ``torch.cuda.max_memory_allocated`` minus what was allocated before the model was built —
  every tensor the run created (weights, KV cache, activations, logits). Not included: the CUDA context
  (a few hundred MiB per process, visible in ``nvidia-smi``) and blocks the caching allocator holds but does
  not use (``max_memory_reserved``, reported beside). torch docs: "CUDA semantics — memory management".
- MPS: ``torch.mps.current_allocated_memory`` sampled at every step (torch has no peak counter for MPS), so
  a short-lived spike inside one forward pass can be missed; ``driver_allocated_memory`` (Metal's view,
  with the allocator's cache) is reported beside.
- CPU: growth of the process's resident set (RSS) over its value before the model was built, as the
  kernel counts it: weights, KV cache, activations, allocator caches and anything else allocated meanwhile
  (the libraries are imported before the baseline, so they are excluded). The peak is the kernel's own
  high-water mark (``getrusage`` ``ru_maxrss``; Windows ``peak_wset``) when the run raised it, otherwise
  the largest of RSS samples taken every few milliseconds by a background thread.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MemoryReading:
    peak_bytes: int
    """Peak memory the run added over the baseline (see the module docstring per device)."""
    baseline_bytes: int
    method: str
    details: dict = field(default_factory=dict)


class CudaMeter:
    def __init__(self, torch, device):
        self.torch, self.device = torch, device

    def start(self) -> None:
        cuda = self.torch.cuda
        cuda.synchronize(self.device)
        cuda.reset_peak_memory_stats(self.device)
        self.baseline = int(cuda.memory_allocated(self.device))

    def sample(self) -> None:
        pass  # the allocator keeps its own peak

    build_peak = None

    def mark_built(self) -> None:
        """Keep the build's peak apart (see CpuMeter.mark_built) and count the inference from here on."""
        cuda = self.torch.cuda
        cuda.synchronize(self.device)
        self.build_peak = int(cuda.max_memory_allocated(self.device)) - self.baseline
        cuda.reset_peak_memory_stats(self.device)

    def stop(self) -> MemoryReading:
        cuda = self.torch.cuda
        cuda.synchronize(self.device)
        peak = int(cuda.max_memory_allocated(self.device))
        free, total = cuda.mem_get_info(self.device)
        details = {"max_memory_reserved_bytes": int(cuda.max_memory_reserved(self.device)),
                   "device_used_bytes": int(total - free), "device_total_bytes": int(total)}
        if self.build_peak is not None:
            details["build_peak_bytes"] = self.build_peak
        return MemoryReading(peak - self.baseline, self.baseline,
                             "torch.cuda.max_memory_allocated after the build: tensors only (no CUDA context, "
                             "no cached blocks)", details)


class MpsMeter:
    def __init__(self, torch, device):
        self.torch = torch
        self.samples: list[int] = []
        self.driver_samples: list[int] = []

    def start(self) -> None:
        self.torch.mps.synchronize()
        self.baseline = int(self.torch.mps.current_allocated_memory())
        self.sample()

    def sample(self) -> None:
        mps = self.torch.mps
        self.samples.append(int(mps.current_allocated_memory()))
        self.driver_samples.append(int(mps.driver_allocated_memory()))

    def mark_built(self) -> None:
        """Keep the build's peak apart (see CpuMeter.mark_built)."""
        self.torch.mps.synchronize()
        self.sample()
        self.build_peak = max(self.samples) - self.baseline
        self.samples = self.samples[-1:]

    def stop(self) -> MemoryReading:
        self.torch.mps.synchronize()
        self.sample()
        return MemoryReading(max(self.samples) - self.baseline, self.baseline,
                             "torch.mps.current_allocated_memory sampled at each step (no peak counter on MPS)",
                             {"driver_allocated_peak_bytes": max(self.driver_samples)})


def os_peak_rss() -> int | None:
    """The process's lifetime peak resident set in bytes, as the kernel keeps it."""
    if sys.platform == "win32":
        try:
            import psutil

            return int(psutil.Process().memory_info().peak_wset)
        except (ImportError, AttributeError, OSError):
            return None
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024  # Linux reports KiB


def release_free_heap() -> bool:
    """Give the C heap's free pages back to the kernel (glibc ``malloc_trim(0)``, which since glibc 2.8 also
    releases free pages inside the heap, man 3 malloc_trim). Without it, memory freed by an earlier run
    stays resident and the next run's growth would read near zero. Elsewhere a no-op (macOS and Windows
    return large freed blocks to the system themselves)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        return False


def _vm_hwm() -> int | None:
    """Linux: the resident high-water mark since the last reset (``VmHWM`` in /proc/self/status)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _reset_hwm() -> bool:
    """Linux: reset the resident high-water mark (``echo 5 > /proc/self/clear_refs``, proc(5))."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


class CpuMeter:
    INTERVAL_S = 0.002
    _hwm_reset = False
    build_peak = None

    def __init__(self, torch=None, device=None):
        import psutil

        self._proc = psutil.Process()
        self._stop = threading.Event()
        self._peak = 0
        self._thread: threading.Thread | None = None

    def _rss(self) -> int:
        return int(self._proc.memory_info().rss)

    def _run(self) -> None:
        while not self._stop.wait(self.INTERVAL_S):
            self.sample()

    def start(self) -> None:
        import gc

        gc.collect()
        release_free_heap()
        self.baseline = self._rss()
        self._os_peak_before = os_peak_rss()
        self._peak = self.baseline
        self._thread = threading.Thread(target=self._run, name="llmplanner-rss-sampler", daemon=True)
        self._thread.start()

    def sample(self) -> None:
        rss = self._rss()
        if rss > self._peak:
            self._peak = rss

    def mark_built(self) -> None:
        """End of the model build: keep its peak apart and measure the inference from here on.

        Building a model from a config allocates transient copies (transformers initialises an untied output
        head before tying it to the embedding); loading a checkpoint does not, so the inference peak is what
        the estimate is compared with. On Linux the kernel's high-water mark is reset (proc(5) clear_refs).
        """
        import gc

        self.sample()
        os_peak = os_peak_rss()
        self.build_peak = max(self._peak, os_peak or 0)
        gc.collect()
        release_free_heap()
        self._hwm_reset = _reset_hwm()
        self._os_peak_before = _vm_hwm() if self._hwm_reset else os_peak_rss()
        self._peak = self._rss()

    def stop(self) -> MemoryReading:
        self.sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        os_peak = _vm_hwm() if self._hwm_reset else os_peak_rss()
        sampled = self._peak
        if os_peak is not None and self._os_peak_before is not None and os_peak > self._os_peak_before:
            peak, how = os_peak, ("the kernel's resident high-water mark since the build (VmHWM)" if self._hwm_reset
                                  else "the kernel's peak RSS (ru_maxrss / peak_wset)")
        else:
            peak, how = sampled, "RSS sampled every 2 ms"
        details = {"sampled_peak_rss_bytes": sampled, "os_peak_rss_bytes": os_peak}
        if self.build_peak is not None:
            details["build_peak_bytes"] = max(self.build_peak - self.baseline, 0)
        phase = "after the model was built" if self.build_peak is not None else "over the pre-build baseline"
        return MemoryReading(max(peak - self.baseline, 0), self.baseline,
                             f"process resident memory growth {phase} (weights included), peak from {how}",
                             details)


def meter_for(kind: str, torch, device):
    return {"cuda": CudaMeter, "mps": MpsMeter, "cpu": CpuMeter}[kind](torch, device)

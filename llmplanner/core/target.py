"""The machine a recommendation is for: this one as detected, or one picked from the catalogue ("what if").

A ``Target`` turns either into what the engines take — an ``estimate.HardwareChoice`` (GPUs by catalogue name
and count, per-GPU memory, host RAM) — plus the host CPU that runs what llama.cpp leaves on the CPU, and the
machine's tier (``detect.decide_tier``) with the exact figure it was decided on.

Detected machines:

- GPUs are matched to the hardware catalogue (``detect.match_catalogue``) for bandwidth and FLOP/s; the
  memory the engines plan with is the **driver's figure** (``DetectedDevice.usable_bytes``: NVML's total, or
  Apple's GPU working set), not the catalogue's nominal size. A GPU that is not in the catalogue keeps its
  memory (fit verdicts) and has no speed (speed needs its bandwidth).
- The engines plan for one GPU model at a time (``HardwareChoice`` names one); with mixed GPUs the model that
  holds the most memory in the back-end the tier counted is planned for, and the others are named in a note.
- The host CPU: the catalogue's CPU platforms are typical machines (cores, clock, memory channels). Memory
  speed and channel count cannot be read without root (DMI tables), so a detected CPU is the catalogue's
  default desktop platform (``speed_estimate.DEFAULT_HOST``) with this machine's core count and vector
  extensions put in (``hardware.cpu_platform``: FLOP/s = cores × clock × per-cycle peak of the ISA); a note
  says so, and the "what if" side can choose another platform.
- Host RAM is the total RAM (the OS, a browser and the desktop hold part of it: the available figure at the
  time of detection goes in a note).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .errors import PlannerError
from .estimate import HardwareChoice
from .fit import Machine
from .hardware import Accelerator, all_accelerators, cpu_platform, find_accelerator
from .machine import DetectedDevice, MachineInfo
from .speed_estimate import DEFAULT_HOST
from .tiers import GIB, TierDecision

SOURCES = ("detected", "catalogue")


@dataclass(frozen=True)
class DeviceHardware(HardwareChoice):
    """A ``HardwareChoice`` whose device is given as a catalogue ``Accelerator`` object (a detected CPU host
    with its own core count, an Apple chip with another memory option) instead of by name."""

    device: Accelerator | None = None

    def accelerator(self):
        return self.device if self.device is not None else super().accelerator()


@dataclass(frozen=True)
class Target:
    """A machine to plan for, in the engines' terms."""

    source: str
    """``detected`` or ``catalogue``."""
    label: str
    """For display: ``2 × NVIDIA GeForce RTX 4090 (24.0 GiB each), 64.0 GiB RAM``."""
    hardware: HardwareChoice
    host: Accelerator
    """The CPU that runs layers left on the CPU (and every layer of a CPU-only machine)."""
    tier: TierDecision
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def accelerator(self) -> Accelerator | None:
        """The GPU (or Apple chip) the engines time, or None (CPU only, or a GPU not in the catalogue)."""
        acc = self.hardware.accelerator()
        return None if acc is None or acc.kind == "cpu" else acc

    @property
    def gpu_count(self) -> int:
        return len(self.hardware.devices())

    @property
    def gpu_memory_bytes(self) -> int | None:
        """Memory of one GPU as the engines plan with it (None without a GPU)."""
        devices = self.hardware.devices()
        return devices[0].capacity_bytes if devices else None

    @property
    def ram_bytes(self) -> int | None:
        return self.hardware.machine().ram_bytes

    @property
    def has_gpu(self) -> bool:
        return bool(self.hardware.devices())

    @property
    def can_time(self) -> bool:
        """Whether speeds can be estimated (the GPU is in the catalogue, or there is no GPU)."""
        return not self.has_gpu or self.accelerator is not None

    def machine(self) -> Machine:
        return self.hardware.machine()

    def cpu_only(self) -> "Target":
        """The same machine without its GPUs (what runs when nothing fits a GPU)."""
        hw = DeviceHardware(ram_bytes=self.ram_bytes, device=self.host)
        return replace(self, hardware=hw)

    def as_dict(self) -> dict:
        acc = self.accelerator
        return {
            "source": self.source, "label": self.label, "tier": self.tier.as_dict(),
            "gpu": None if acc is None else acc.name, "gpu_count": self.gpu_count,
            "gpu_memory_bytes": self.gpu_memory_bytes, "ram_bytes": self.ram_bytes,
            "host": self.host.name, "notes": list(self.notes),
        }


def _gib(n: int | None) -> str:
    return "?" if n is None else f"{n / GIB:.1f} GiB"


def _ram(n: int | None) -> str:
    return "" if n is None else f", {_gib(n)} RAM"


def _cpu_name(host: Accelerator) -> str:
    return host.name[len("CPU: "):] if host.name.startswith("CPU: ") else host.name


def _tier_for(devices: tuple, kind: str, label: str) -> TierDecision:
    from .detect import decide_tier

    fakes = [DetectedDevice(name=label, memory_total_bytes=d.capacity_bytes, memory_free_bytes=None,
                            backend=d.backend.lower(), source="catalogue", integrated=kind == "soc")
             for d in devices]
    return decide_tier(fakes)


def _simd(features: tuple[str, ...]) -> str:
    """The per-cycle peak class of a CPU from its detected vector extensions (``hardware.SIMD_PEAKS``)."""
    f = set(features)
    if "AVX-512" in f:
        return "avx512"
    if "AVX-VNNI" in f:
        return "avx-vnni"
    if "AVX2" in f:
        return "avx2"
    if "NEON" in f:
        return "neon"
    return "avx2"


def detected_host(info: MachineInfo, base: str | None = None) -> tuple[Accelerator, str]:
    """This machine's CPU as a catalogue platform: ``base``'s memory system and clock (default
    ``speed_estimate.DEFAULT_HOST``), the detected cores and vector extensions (see the module docstring);
    with the note that says what was assumed."""
    chosen = base is not None
    base = base or DEFAULT_HOST
    platform = find_accelerator(base)
    cpu = info.cpu
    cores = cpu.physical_cores or cpu.logical_cores
    if not cores:
        return platform, f"CPU core count not detected: speeds on the CPU assume {platform.name}"
    mem_type = platform.memory_type
    channels = max(1, round(platform.memory_bandwidth / (8 * _mt_s(platform) * 1e6)))
    host = cpu_platform(cores=cores, clock_ghz=platform.clock_hz / 1e9, memory_mt_s=_mt_s(platform),
                        channels=channels, memory_type=mem_type, simd=_simd(cpu.features),
                        memory_bytes=info.ram_total_bytes or platform.memory_bytes,
                        name=f"{cpu.model} ({cores} cores)")
    memory = (f"{mem_type}-{_mt_s(platform)} × {channels} channels ({host.memory_bandwidth / 1e9:.1f} GB/s) as in "
              f"'{platform.name}'")
    if chosen:
        note = f"CPU speeds use {memory}, as chosen, with this CPU's {cores} cores and {_simd(cpu.features)}"
    else:
        note = (f"the CPU's memory speed cannot be detected: CPU speeds assume {memory}, with this CPU's {cores} "
                f"cores and {_simd(cpu.features)}; choose the platform ('What if' in the app, --cpu on the command "
                "line) to plan with another")
    return host, note


def _mt_s(platform: Accelerator) -> int:
    """The transfer rate of a catalogue CPU platform (from its id ``cpu-ddr5-5600-2ch``)."""
    for part in platform.id.split("-"):
        if part.isdigit() and int(part) >= 1000:
            return int(part)
    raise PlannerError(f"{platform.id} does not name its memory transfer rate", field="host")


def target_from_machine(info: MachineInfo, *, host: str | None = None) -> Target:
    """The detected machine as the engines see it (see the module docstring); ``host`` names the catalogue CPU
    platform whose memory system the detected CPU is given."""
    notes: list[str] = []
    host_acc, host_note = detected_host(info, host)
    ram = info.ram_total_bytes
    if ram and info.ram_available_bytes is not None:
        notes.append(f"RAM: planned with the total {_gib(ram)}; {_gib(info.ram_available_bytes)} was available "
                     "when detected (other programs hold the rest)")
    decision = info.tier_decision
    counted = [g for g in info.gpus if g.usable_bytes]
    if decision is None:
        from .detect import decide_tier

        decision = decide_tier(counted)
    if not counted:
        if host_note:
            notes.append(host_note)
        hw = DeviceHardware(ram_bytes=ram, device=host_acc)
        return Target("detected", f"CPU only: {_cpu_name(host_acc)}{_ram(ram)}", hw, host_acc, decision,
                      tuple(notes))
    # the back-end the tier counted, then the GPU model holding the most memory in it
    by_backend: dict[str, list[DetectedDevice]] = {}
    for g in counted:
        by_backend.setdefault(g.backend, []).append(g)
    backend = max(by_backend, key=lambda b: sum(g.usable_bytes for g in by_backend[b]))
    by_model: dict[str, list[DetectedDevice]] = {}
    for g in by_backend[backend]:
        by_model.setdefault(g.catalogue_match or g.name, []).append(g)
    model = max(by_model, key=lambda m: sum(g.usable_bytes for g in by_model[m]))
    chosen = by_model[model]
    left_out = [g.name for g in counted if g not in chosen]
    if left_out:
        notes.append(f"planned for {len(chosen)} × {chosen[0].name}; the engines plan one GPU model at a time, so "
                     f"{', '.join(left_out)} {'is' if len(left_out) == 1 else 'are'} left out")
    usable = min(g.usable_bytes for g in chosen)
    first = chosen[0]
    acc = None
    if first.catalogue_match:
        try:
            acc = find_accelerator(first.catalogue_match)
        except PlannerError:
            acc = None
    if acc is None:
        notes.append(f"{first.name} is not in the hardware catalogue: fit verdicts use its {_gib(usable)}; speeds "
                     "need its bandwidth (choose a similar GPU under 'What if')")
        hw = HardwareChoice(gpu=None, gpu_count=len(chosen), vram_bytes=usable, ram_bytes=ram)
    elif acc.kind == "soc":
        hw = DeviceHardware(gpu=acc.name, vram_bytes=usable, ram_bytes=ram,
                            device=acc.with_memory(first.memory_total_bytes or acc.memory_bytes))
    else:
        hw = HardwareChoice(gpu=acc.name, gpu_count=len(chosen), vram_bytes=usable, ram_bytes=ram)
    for g in chosen:
        if g.memory_free_bytes is not None and g.memory_total_bytes and not g.integrated \
                and g.memory_free_bytes < 0.9 * g.memory_total_bytes:
            notes.append(f"{g.name}: only {_gib(g.memory_free_bytes)} of {_gib(g.memory_total_bytes)} free now; "
                         "verdicts assume the whole card (close what holds the rest)")
    if host_note:
        notes.append(host_note)
    count = "" if len(chosen) == 1 else f"{len(chosen)} × "
    label = f"{count}{first.name} ({_gib(usable)}{' each' if count else ''}){_ram(ram)}"
    return Target("detected", label, hw, host_acc, decision, tuple(notes))


def target_from_catalogue(gpu: str | None, count: int = 1, ram_bytes: int | None = None, *,
                          host: str | None = None, gpu_memory_bytes: int | None = None) -> Target:
    """A machine picked from the catalogue: ``count`` × ``gpu`` (None: CPU only) and ``ram_bytes`` of RAM.

    ``host`` names the catalogue CPU platform (default ``speed_estimate.DEFAULT_HOST``); a CPU platform named as
    ``gpu`` is a CPU-only machine on that platform. An Apple chip's unified memory is ``ram_bytes`` (or its
    smallest option), of which the GPU may use its working set (``hardware.apple_gpu_working_set``).
    """
    if count < 1:
        raise PlannerError("the GPU count must be at least 1", field="gpu_count")
    host_acc = find_accelerator(host or DEFAULT_HOST)
    acc = find_accelerator(gpu) if gpu else None
    if acc is not None and acc.kind == "cpu":
        host_acc, acc = acc, None
    ram = ram_bytes
    if acc is None:
        ram = ram if ram is not None else host_acc.memory_bytes
        hw = DeviceHardware(ram_bytes=ram, device=host_acc.with_memory(ram))
        tier = _tier_for((), "cpu", host_acc.name)
        return Target("catalogue", f"CPU only: {_cpu_name(host_acc)}{_ram(ram)}", hw, hw.device, tier)
    if acc.kind == "soc":
        unified = ram if ram is not None else acc.memory_bytes
        if acc.memory_options and not any(abs(o - unified) < GIB / 2 for o in acc.memory_options):
            sizes = ", ".join(f"{o / GIB:g}" for o in acc.memory_options)
            raise PlannerError(f"{acc.name} comes with {sizes} GiB of unified memory, not {unified / GIB:g}",
                               field="ram_bytes")
        chip = acc.with_memory(unified)
        hw = DeviceHardware(gpu=chip.name, ram_bytes=unified, device=chip)
        label = f"{chip.name}, {_gib(unified)} unified memory ({_gib(chip.usable_memory_bytes)} for the GPU)"
        return Target("catalogue", label, hw, host_acc, _tier_for(hw.devices(), "soc", chip.name))
    hw = HardwareChoice(gpu=acc.name, gpu_count=count, vram_bytes=gpu_memory_bytes, ram_bytes=ram)
    per = hw.devices()[0].capacity_bytes
    many = f"{count} × " if count > 1 else ""
    label = f"{many}{acc.name} ({_gib(per)}{' each' if many else ''}){_ram(ram)}"
    return Target("catalogue", label, hw, host_acc, _tier_for(hw.devices(), "gpu", acc.name))


def target_from_memory(gpu_memory_bytes: int, count: int = 1, ram_bytes: int | None = None, *,
                       host: str | None = None) -> Target:
    """``count`` GPUs known only by their memory (no catalogue entry: fit verdicts, no speeds)."""
    if count < 1:
        raise PlannerError("the GPU count must be at least 1", field="gpu_count")
    if gpu_memory_bytes <= 0:
        raise PlannerError("the GPU memory must be positive", field="vram")
    host_acc = find_accelerator(host or DEFAULT_HOST)
    hw = HardwareChoice(gpu=None, gpu_count=count, vram_bytes=gpu_memory_bytes, ram_bytes=ram_bytes)
    many = f"{count} × " if count > 1 else ""
    label = f"{many}GPU of {_gib(gpu_memory_bytes)}{_ram(ram_bytes)}"
    note = "a GPU given by its memory only: fit verdicts without speeds (name a catalogue GPU for speeds)"
    return Target("catalogue", label, hw, host_acc, _tier_for(hw.devices(), "gpu", "GPU"), (note,))


def catalogue_gpus() -> tuple[Accelerator, ...]:
    """Catalogue entries one can plan a machine with: GPUs and Apple chips (CPU platforms are hosts)."""
    return tuple(a for a in all_accelerators() if a.kind in ("gpu", "soc"))


def cpu_platforms() -> tuple[Accelerator, ...]:
    return tuple(a for a in all_accelerators() if a.kind == "cpu")

"""The accelerator catalogue: memory, bandwidth and peak throughput of GPUs, Apple SoCs and CPU platforms.

Every figure comes from the vendor's spec sheet, datasheet or architecture whitepaper named in the entry's
``sources`` (one URL per figure group) in ``resources/hardware/<vendor>.json``; where a vendor states only a
per-SM rate or a figure *with sparsity*, the entry's ``derivation`` says how the dense number was obtained.

Conventions (all stated by the vendors in these terms):

- ``memory_bytes``: GPU memory is built from power-of-two DRAM chips, so a card sold as "24 GB" holds
  24 GiB (``nvidia-smi`` reports 24564 MiB of 24576 for an RTX 4090; 81559 MiB of 81920 for an H100 PCIe,
  of which the driver keeps a little). ``memory_stated`` keeps the vendor's wording.
- ``memory_bandwidth``: bytes/s, decimal as vendors quote it (bus width / 8 × data rate).
- Throughputs are **dense** (no 2:4 structured sparsity) peaks in FLOP/s or OP/s. ``fp16_tensor_flops`` is the
  FP16 matrix rate with FP16 accumulate; ``fp16_fp32acc_tensor_flops`` the FP32-accumulate rate (half on GeForce).
- Apple's GPU may allocate only ``recommendedMaxWorkingSetSize`` of the unified memory
  (https://developer.apple.com/documentation/metal/mtldevice/recommendedmaxworkingsetsize): llama.cpp's Metal
  logs show 2/3 of RAM for 8, 16 and 32 GiB machines (5726.63 MB of 8 GiB, 11453.25 MB of 16 GiB, 21845.34 MiB
  of 32 GiB) and 3/4 for 48, 64 and 192 GiB ones (38654.71, 51539.61, 154618.82 MB) — XiongjieDai's
  GPU-Benchmarks-on-LLM-Inference notebooks (LLaMA 2/3, Mac). :func:`apple_gpu_working_set` applies that rule.

Look-up (:func:`find_accelerator`) accepts the names torch, NVML, ROCm and macOS report ("NVIDIA GeForce RTX
4090", "NVIDIA A100-SXM4-80GB", "NVIDIA H100 80GB HBM3", "AMD Instinct MI300X", "Apple M2 Ultra (76-core GPU,
192 GB)"), ignoring vendor words, case, punctuation and spacing; memory sizes and GPU core counts in the name
pick a variant. Unknown names raise :class:`UnknownNameError` with the nearest catalogue names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .errors import PlannerError, UnknownNameError
from .resources import read_json, resource

GIB = 2**30
VENDOR_FILES = ("nvidia", "amd", "intel", "apple", "cpu")
BACKENDS = ("cuda", "rocm", "metal", "sycl", "vulkan", "cpu")


@dataclass(frozen=True)
class Accelerator:
    """One device that can hold and run a model. Throughputs are dense peaks; bytes and bytes/s are exact units."""

    id: str
    name: str
    vendor: str
    kind: str  # "gpu" | "soc" (unified memory) | "cpu"
    segment: str
    architecture: str
    generation: str
    backend: str
    memory_bytes: int
    memory_stated: str
    memory_type: str
    memory_bandwidth: float
    fp16_tensor_flops: float
    fp16_fp32acc_tensor_flops: float
    fp32_flops: float | None
    int8_tensor_ops: float | None = None
    bf16_tensor_flops: float | None = None
    fp8_tensor_flops: float | None = None
    compute_units: int = 0
    compute_unit_name: str = ""
    clock_hz: float = 0.0
    tdp_w: float | None = None
    chip: str = ""
    usable_memory_bytes: int = 0
    memory_options: tuple[int, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    derivation: str = ""
    notes: tuple[str, ...] = ()
    default_variant: bool = True

    @property
    def memory_gib(self) -> float:
        return self.memory_bytes / GIB

    @property
    def is_unified_memory(self) -> bool:
        return self.kind in ("soc", "cpu")

    def with_memory(self, memory_bytes: int) -> "Accelerator":
        """The same device with another memory configuration (Apple RAM options, a CPU host's RAM)."""
        usable = apple_gpu_working_set(memory_bytes) if self.kind == "soc" else memory_bytes
        return replace(self, memory_bytes=int(memory_bytes), usable_memory_bytes=int(usable),
                       memory_stated=f"{memory_bytes / GIB:g} GB")

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "vendor": self.vendor, "kind": self.kind, "segment": self.segment,
            "architecture": self.architecture, "generation": self.generation, "backend": self.backend,
            "memory_bytes": self.memory_bytes, "memory_stated": self.memory_stated, "memory_type": self.memory_type,
            "usable_memory_bytes": self.usable_memory_bytes,
            "memory_options_bytes": list(self.memory_options),
            "memory_bandwidth_bytes_per_s": self.memory_bandwidth,
            "fp16_tensor_flops": self.fp16_tensor_flops, "fp16_fp32acc_tensor_flops": self.fp16_fp32acc_tensor_flops,
            "bf16_tensor_flops": self.bf16_tensor_flops, "int8_tensor_ops": self.int8_tensor_ops,
            "fp8_tensor_flops": self.fp8_tensor_flops, "fp32_flops": self.fp32_flops,
            "compute_units": self.compute_units, "compute_unit_name": self.compute_unit_name,
            "clock_hz": self.clock_hz, "tdp_w": self.tdp_w,
            "sources": dict(self.sources), "derivation": self.derivation, "notes": list(self.notes),
        }


def apple_gpu_working_set(memory_bytes: int) -> int:
    """Bytes of unified memory that macOS lets the GPU allocate (``recommendedMaxWorkingSetSize``).

    2/3 of RAM up to 32 GiB, 3/4 above (llama.cpp Metal logs on 8/16/32 vs 48/64/192 GiB Macs, see module
    docstring). Raising ``iogpu.wired_limit_mb`` changes it; this is the default.
    """
    fraction = 2 / 3 if memory_bytes <= 32 * GIB else 3 / 4
    return int(memory_bytes * fraction)


# ---------------------------------------------------------------------------------------------- loading

_FIELDS = ("memory_type", "compute_units", "compute_unit_name", "clock_hz", "tdp_w", "chip", "derivation")


def _entry(d: dict, file: str) -> Accelerator:
    try:
        memory = int(d["memory_bytes"])
        options = tuple(int(g * GIB) for g in d.get("memory_options_gb", ())) or ()
        kind = d["kind"]
        usable = apple_gpu_working_set(memory) if kind == "soc" else memory
        return Accelerator(
            id=d["id"], name=d["name"], vendor=d["vendor"], kind=kind, segment=d.get("segment", ""),
            architecture=d["architecture"], generation=d["generation"], backend=d["backend"],
            memory_bytes=memory, memory_stated=d["memory_stated"], memory_bandwidth=float(d["memory_bandwidth"]),
            fp16_tensor_flops=float(d["fp16_tensor_flops"]),
            fp16_fp32acc_tensor_flops=float(d.get("fp16_fp32acc_tensor_flops") or d["fp16_tensor_flops"]),
            fp32_flops=None if d.get("fp32_flops") is None else float(d["fp32_flops"]),
            int8_tensor_ops=None if d.get("int8_tensor_ops") is None else float(d["int8_tensor_ops"]),
            bf16_tensor_flops=None if d.get("bf16_tensor_flops") is None else float(d["bf16_tensor_flops"]),
            fp8_tensor_flops=None if d.get("fp8_tensor_flops") is None else float(d["fp8_tensor_flops"]),
            usable_memory_bytes=usable, memory_options=options, aliases=tuple(d.get("aliases", ())),
            sources=tuple(sorted(d.get("sources", {}).items())), notes=tuple(d.get("notes", ())),
            default_variant=bool(d.get("default_variant", True)),
            **{k: d[k] for k in _FIELDS if d.get(k) is not None},
        )
    except (KeyError, TypeError, ValueError) as e:
        raise PlannerError(f"bad accelerator entry {d.get('id', '?')!r}: {e}", source=file) from None


@lru_cache(maxsize=1)
def all_accelerators() -> tuple[Accelerator, ...]:
    """Every catalogue entry, vendor files in a fixed order (NVIDIA, AMD, Intel, Apple, CPU platforms)."""
    out = []
    for vendor in VENDOR_FILES:
        data = read_json("hardware", f"{vendor}.json")
        out.extend(_entry(d, str(resource("hardware", f"{vendor}.json"))) for d in data["accelerators"])
    ids = [a.id for a in out]
    if len(set(ids)) != len(ids):
        raise PlannerError("duplicate accelerator ids in resources/hardware")
    return tuple(out)


def accelerators_by_vendor(vendor: str | None = None) -> tuple[Accelerator, ...]:
    if vendor is None:
        return all_accelerators()
    v = vendor.strip().lower()
    vendors = sorted({a.vendor for a in all_accelerators()})
    found = tuple(a for a in all_accelerators() if a.vendor.lower() == v)
    if not found:
        raise UnknownNameError("vendor", vendor, vendors)
    return found


# ---------------------------------------------------------------------------------------------- CPU hosts

#: Per-core, per-cycle peaks by vector ISA: (FP32 FLOPs, INT8 multiply-add ops). Two FMA pipes of 256 bits do
#: 2 × 8 × 2 = 32 FP32 FLOPs; two 512-bit pipes 64 (Intel 64 and IA-32 Architectures Optimization Reference
#: Manual, vol. 1; AMD Zen 4/Zen 5 Software Optimization Guides: Zen 4 executes AVX-512 as two 256-bit halves,
#: "avx512-256"). INT8 dot products: VPMADDUBSW+VPMADDWD on AVX2 ≈ 64 ops/cycle, VNNI VPDPBUSD doubles it per
#: vector width. ARM NEON: two 128-bit FMA pipes = 16 FP32 FLOPs, SDOT 64 INT8 ops.
SIMD_PEAKS = {"avx2": (32, 64), "avx-vnni": (32, 128), "avx512-256": (32, 128), "avx512": (64, 256),
              "neon": (16, 64)}
_DDR_SOURCE = {"DDR4": "https://www.jedec.org/standards-documents/docs/jesd79-4a",
               "DDR5": "https://www.jedec.org/standards-documents/docs/jesd79-5b",
               "LPDDR5": "https://www.jedec.org/standards-documents/docs/jesd209-5b",
               "LPDDR5X": "https://www.jedec.org/standards-documents/docs/jesd209-5b"}


def cpu_platform(*, cores: int, clock_ghz: float, memory_mt_s: int, channels: int, memory_type: str = "DDR5",
                 simd: str = "avx2", memory_bytes: int | None = None, name: str | None = None,
                 channel_bits: int = 64) -> Accelerator:
    """A CPU host from its cores, sustained all-core clock and memory configuration (for detection, tests).

    Bandwidth = channels × channel width (64 bits; 8 bytes) × MT/s, the JEDEC transfer rate. FLOP/s = cores ×
    clock × the ISA's per-cycle peak (:data:`SIMD_PEAKS`). llama.cpp computes F16 weights in F32 on x86, so the
    FP16 matrix rate equals FP32.
    """
    if simd not in SIMD_PEAKS:
        raise UnknownNameError("SIMD extension", simd, SIMD_PEAKS, field="simd")
    if cores < 1 or clock_ghz <= 0 or memory_mt_s <= 0 or channels < 1:
        raise PlannerError("a CPU needs at least one core and channel, a positive clock and transfer rate")
    fpc, i8c = SIMD_PEAKS[simd]
    fp32 = cores * clock_ghz * 1e9 * fpc
    bw = channels * channel_bits / 8 * memory_mt_s * 1e6
    mem = int(memory_bytes if memory_bytes is not None else 0)
    label = name or f"CPU ({cores} cores, {memory_type}-{memory_mt_s} x{channels}, {simd})"
    return Accelerator(
        id=f"cpu-{cores}c-{memory_type.lower()}-{memory_mt_s}-{channels}ch", name=label, vendor="CPU", kind="cpu",
        segment="host", architecture=simd, generation="cpu", backend="cpu", memory_bytes=mem,
        memory_stated=f"{mem / GIB:g} GB", memory_type=memory_type, memory_bandwidth=bw,
        fp16_tensor_flops=fp32, fp16_fp32acc_tensor_flops=fp32, fp32_flops=fp32,
        int8_tensor_ops=cores * clock_ghz * 1e9 * i8c, compute_units=cores, compute_unit_name="core",
        clock_hz=clock_ghz * 1e9, usable_memory_bytes=mem,
        sources=(("memory_bandwidth", _DDR_SOURCE.get(memory_type, _DDR_SOURCE["DDR5"])),),
        derivation=f"{channels} x {channel_bits // 8} bytes x {memory_mt_s} MT/s; {cores} cores x {clock_ghz} GHz x "
                   f"{fpc} FP32 FLOP/cycle ({simd})")


# ---------------------------------------------------------------------------------------------- look-up

#: Words that name a vendor or a product line rather than a model; they never decide between entries.
NOISE = frozenset({"nvidia", "geforce", "amd", "radeon", "intel", "arc", "apple", "tesla", "graphics", "generation",
                   "instinct", "r", "tm", "gpu", "edition", "workstation", "corporation", "device", "chip", "with"})
#: Words that name a form factor / memory technology; a query that has one only matches entries that have it.
VARIANT = {"sxm": "sxm", "sxm2": "sxm", "sxm4": "sxm", "sxm5": "sxm", "pcie": "pcie", "nvl": "nvl", "hbm3": "hbm3",
           "hbm2e": "hbm2e", "hbm3e": "hbm3e"}
_MEM = re.compile(r"(\d+(?:\.\d+)?)\s*(gb|gib)\b")
_CORES = re.compile(r"(\d+)\s*-?\s*core\s+gpu")


@dataclass(frozen=True)
class ParsedName:
    tokens: frozenset[str]
    variants: frozenset[str]
    memory_gb: float | None
    gpu_cores: int | None


def parse_name(text: str) -> ParsedName:
    """Model words of a device name, with its form factor, memory size and GPU core count pulled out."""
    s = str(text).lower()
    for mark in ("®", "™", "(r)", "(tm)"):
        s = s.replace(mark, " ")
    cores = None
    m = _CORES.search(s)
    if m:
        cores = int(m.group(1))
        s = s[:m.start()] + " " + s[m.end():]
    mem = None
    m = _MEM.search(s)
    if m:
        mem = float(m.group(1))
        s = s[:m.start()] + " " + s[m.end():]
    tokens, variants = set(), set()
    for t in re.sub(r"[^a-z0-9.]+", " ", s).split():
        if t in NOISE:
            continue
        if t in VARIANT:
            variants.add(VARIANT[t])
        else:
            tokens.add(t)
    return ParsedName(frozenset(tokens), frozenset(variants), mem, cores)


@dataclass(frozen=True)
class _Key:
    tokens: frozenset[str]
    variants: frozenset[str]
    accelerator: Accelerator = field(compare=False)


@lru_cache(maxsize=1)
def _keys() -> tuple[_Key, ...]:
    keys = []
    for acc in all_accelerators():
        for text in (acc.name, acc.id.replace("-", " "), *acc.aliases):
            p = parse_name(text)
            keys.append(_Key(p.tokens, p.variants, acc))
    return tuple(keys)


def _candidates(q: ParsedName) -> list[Accelerator]:
    """Entries whose model words are exactly the query's and whose form factor agrees with it."""
    found = []
    for k in _keys():
        if k.tokens == q.tokens and q.variants <= k.variants and k.accelerator not in found:
            found.append(k.accelerator)
    return found


def _pick(candidates: list[Accelerator], q: ParsedName) -> Accelerator:
    pool = candidates
    if q.gpu_cores is not None:
        pool = [a for a in pool if a.compute_units == q.gpu_cores] or pool
    if q.memory_gb is not None and len(pool) > 1:
        with_mem = [a for a in pool if abs(a.memory_bytes / GIB - q.memory_gb) < 0.51
                    or any(abs(o / GIB - q.memory_gb) < 0.51 for o in a.memory_options)]
        pool = with_mem or pool
    defaults = [a for a in pool if a.default_variant]
    return (defaults or pool)[0]


def _nearest(q: ParsedName, n: int = 3) -> list[str]:
    """Catalogue names sharing the most model words with the query (then the closest spelling)."""
    import difflib

    text = " ".join(sorted(q.tokens))
    scored = {}
    for k in _keys():
        union = q.tokens | k.tokens
        overlap = len(q.tokens & k.tokens) / len(union) if union else 0.0
        ratio = difflib.SequenceMatcher(None, text, " ".join(sorted(k.tokens))).ratio()
        name = k.accelerator.name
        scored[name] = max(scored.get(name, 0.0), overlap + 0.5 * ratio)
    ranked = sorted(scored, key=lambda nm: -scored[nm])
    return [nm for nm in ranked[:n] if scored[nm] > 0.3]


def find_accelerator(name: str) -> Accelerator:
    """The catalogue entry a reported or typed name means (see ``_find_accelerator``); cached."""
    return _find_accelerator(str(name))


@lru_cache(maxsize=512)
def _find_accelerator(name: str) -> Accelerator:
    """The catalogue entry a device name refers to (see the module docstring for the accepted spellings).

    A memory size in the name ("A100 80GB", "Apple M2 Ultra (76-core GPU, 192 GB)") picks the variant and, for
    unified-memory chips, sets the RAM of the returned device; it must be one the chip was sold with.
    """
    text = str(name).strip()
    if not text:
        raise PlannerError("empty GPU name", field="gpu")
    by_id = {a.id: a for a in all_accelerators()}
    if text.lower() in by_id:
        return by_id[text.lower()]
    q = parse_name(text)
    found = _candidates(q)
    if not found:
        err = UnknownNameError("GPU", text, [a.name for a in all_accelerators()], field="gpu")
        near = _nearest(q)
        if near:
            err.suggestions = near
            err.message = f"unknown GPU {text!r}; did you mean {', '.join(near)}? (see 'llmplanner gpus')"
            err.args = (err.message,)
        raise err
    acc = _pick(found, q)
    if acc.kind == "soc" and q.memory_gb is not None:
        wanted = round(q.memory_gb * GIB)
        if acc.memory_options and not any(abs(o - wanted) < GIB / 2 for o in acc.memory_options):
            sizes = ", ".join(f"{o / GIB:g}" for o in acc.memory_options)
            raise PlannerError(f"{acc.name} comes with {sizes} GB of unified memory, not {q.memory_gb:g} GB",
                               field="gpu")
        acc = acc.with_memory(wanted)
    return acc



"""``llmplanner detect``: this machine's accelerators, RAM, CPU and tier."""
from __future__ import annotations

from ..core.detect import detect
from ..core.detect_torch import DEFAULT_TIMEOUT_S
from ..core.tiers import GIB
from .common import print_json, table


def add_parser(sub) -> None:
    p = sub.add_parser("detect", help="detect this machine's GPUs, RAM, CPU and tier",
                       description="Detect accelerators (NVML, torch in a child process, Apple sysctl), RAM and "
                                   "CPU, and the machine's tier (cpu-only, 8-12GB, 16-24GB, 40GB+) with the "
                                   "figure it was decided on.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-torch", action="store_true",
                   help="skip the torch probe (faster; no ROCm/MPS/XPU details and no Metal figure)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="S",
                   help=f"seconds the torch probe may take (default {DEFAULT_TIMEOUT_S:g})")
    p.set_defaults(run=run)


def _gib(n) -> str:
    return "?" if n is None else f"{n / GIB:.2f} GiB"


def run(args) -> int:
    info = detect(use_torch=not args.no_torch, torch_timeout=args.timeout)
    if args.json:
        print_json(info.as_dict())
        return 0
    t = info.tier_decision
    print(f"tier: {info.tier}  ({t.basis})")
    print(f"rule: {t.rule}")
    if info.gpus:
        rows = [(f"{g.backend}:{g.index if g.index is not None else '-'}", g.name, _gib(g.memory_total_bytes),
                 _gib(g.memory_free_bytes), _gib(g.usable_bytes), g.compute_capability or "", g.source,
                 g.catalogue_match or "") for g in info.gpus]
        print()
        print(table(rows, ("device", "name", "total", "free", "usable", "capability", "seen by", "catalogue")))
    else:
        print("\nno accelerator found")
    print(f"\nRAM: {_gib(info.ram_total_bytes)} total, {_gib(info.ram_available_bytes)} available; "
          f"swap {_gib(info.swap_total_bytes)} ({_gib(info.swap_free_bytes)} free)")
    c = info.cpu
    print(f"CPU: {c.model} ({c.architecture}), {c.physical_cores or '?'} cores / {c.logical_cores or '?'} threads"
          + (f"; {', '.join(c.features)}" if c.features else ""))
    if info.torch:
        print(f"torch: {info.torch['version']} ({info.torch['build']})")
    for layer in info.layers:
        print(f"layer {layer.name}: {layer.status}: {layer.detail}")
    for note in info.notes:
        print(f"note: {note}")
    return 0

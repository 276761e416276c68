"""``llmplanner gpus``: the accelerator catalogue (GPUs, Apple SoCs, CPU platforms) with their sources."""
from __future__ import annotations

from ..core.hardware import accelerators_by_vendor, find_accelerator
from .common import print_json, table


def add_parser(sub) -> None:
    p = sub.add_parser("gpus", help="list the accelerator catalogue (memory, bandwidth, peak throughput)",
                       description="Every GPU, Apple chip and CPU platform the planner knows, with memory, bandwidth "
                                   "and dense FP16/INT8 peaks from the vendors' spec sheets.")
    p.add_argument("--vendor", metavar="V", help="only this vendor (NVIDIA, AMD, Intel, Apple, CPU)")
    p.add_argument("--name", metavar="NAME", help="look up one device by the name its driver reports")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(run=run)


def run(args) -> int:
    accs = (find_accelerator(args.name),) if args.name else accelerators_by_vendor(args.vendor)
    if args.json:
        print_json([a.as_dict() for a in accs])
        return 0
    rows = []
    for a in accs:
        int8 = f"{a.int8_tensor_ops / 1e12:,.0f}" if a.int8_tensor_ops else "-"
        rows.append((a.name, a.memory_stated, f"{a.memory_bandwidth / 1e9:,.0f}", f"{a.fp16_tensor_flops / 1e12:,.1f}",
                     int8, a.backend, a.architecture))
    print(table(rows, ("device", "memory", "GB/s", "FP16 TFLOPS", "INT8 TOPS", "backend", "architecture")))
    print("\nDense peaks (no sparsity) from vendor spec sheets; 'llmplanner gpus --json' lists each figure's source.")
    return 0

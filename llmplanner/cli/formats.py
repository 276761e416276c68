"""``llmplanner formats``: every weight format with its bits, kind, runtimes and published quality cost.

With a model (a preset, a config, a GGUF or safetensors header ...) each row adds the model's weight bytes
and average bits per weight in that format, computed tensor by tensor.
"""
from __future__ import annotations

from ..core.formats import all_formats
from ..core.quality import quality_cost
from ..core.weight_storage import storage_bits, weight_bytes
from .common import add_model_arguments, load_model_from_args, print_json, table

_GIB = 1024 ** 3


def add_parser(sub) -> None:
    p = sub.add_parser("formats", help="list weight formats: bits per weight, kind, runtimes, quality cost",
                       description="List every weight format (floats, FP8, bitsandbytes, GPTQ, AWQ, MXFP4 and "
                       "llama.cpp's file types). Name a model to add its weight size in each format.")
    add_model_arguments(p)
    p.add_argument("--runtime", choices=("transformers", "llama.cpp", "ollama", "vllm"),
                   help="with a model: how f32/f16/bf16 are stored (llama.cpp keeps 1-D tensors in F32)")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(run=run)


def _wants_model(args) -> bool:
    return args.model is not None or any(getattr(args, k) is not None for k in vars(args) if k.startswith("model_"))


def run(args) -> int:
    arch = load_model_from_args(args).architecture if _wants_model(args) else None
    rows = []
    for f in all_formats():
        cost = quality_cost(f, arch)
        row = {"id": f.id, "label": f.label, "kind": f.kind, "bits": f.bits,
               "bits_per_weight_4096": round(storage_bits(f), 4), "runtimes": list(f.runtimes),
               "description": f.description, "source": f.source,
               "quality": cost.as_dict() if cost else None}
        if arch is not None:
            wb = weight_bytes(arch, f, runtime=args.runtime)
            row["weight_bytes"] = wb.total
            row["model_bits_per_weight"] = round(wb.bits_per_weight, 4)
        rows.append(row)
    if args.json:
        print_json(rows)
        return 0
    headers = ["format", "kind", "bits", "bpw 4096²"]
    if arch is not None:
        headers += ["model GiB", "model bpw"]
    headers += ["runtimes", "ΔPPL", "KLD", "measured on"]
    lines = []
    for r in rows:
        q = r["quality"]
        cells = [r["id"], r["kind"], f"{r['bits']:g}", f"{r['bits_per_weight_4096']:.3f}"]
        if arch is not None:
            cells += [f"{r['weight_bytes'] / _GIB:.2f}", f"{r['model_bits_per_weight']:.3f}"]
        cells += [",".join(r["runtimes"]),
                  f"{q['delta_ppl']:+.4f}" if q and q["delta_ppl"] is not None else "no data",
                  f"{q['kld']:.4f}" if q and q["kld"] is not None else "",
                  (q["model"] + (" (imatrix)" if q["imatrix"] else "")) if q else ""]
        lines.append(tuple(cells))
    print(table(lines, tuple(headers)))
    return 0

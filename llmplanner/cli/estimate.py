"""``llmplanner estimate MODEL``: exact parameters and FLOPs (memory and speed join in later layers)."""
from __future__ import annotations

from ..core.flops import flops_per_token
from ..core.params import count_params
from ..core.tensors import COMPONENTS
from .common import add_model_arguments, human_count, load_model_from_args, positive_int, print_json, table


def add_parser(sub) -> None:
    p = sub.add_parser("estimate", help="parameter count, memory and speed of a model",
                       description="Exact parameter count (total and active) with a breakdown, and FLOPs per "
                                   "token, for a model given by preset, config.json or weight headers.")
    add_model_arguments(p)
    p.add_argument("--context", type=positive_int, default=None, metavar="N",
                   help="context length in tokens (default: the model's maximum, at most 4096)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def model_summary(model) -> dict:
    a = model.architecture
    if a is None:
        return {"name": model.source, "family": None, "source": {"kind": model.source_kind, "value": model.source},
                "layers": None, "hidden_size": None, "attention": None, "heads": None, "kv_heads": None,
                "head_dim": None, "vocab_size": None, "max_context": None, "moe": None}
    att = a.attention
    return {
        "name": a.name,
        "family": a.family,
        "source": {"kind": model.source_kind, "value": model.source},
        "layers": a.num_layers,
        "hidden_size": a.hidden_size,
        "attention": att.grouping,
        "heads": att.num_heads,
        "kv_heads": att.num_kv_heads,
        "head_dim": att.qk_head_dim,
        "vocab_size": a.embeddings.vocab_size,
        "max_context": a.max_context,
        "moe": None if a.moe is None else {"experts": a.moe.num_experts, "per_token": a.moe.experts_per_token},
    }


#: What the report repeats from a weight file's header (the per-tensor list stays in ``header_info``).
HEADER_KEYS = ("format", "files", "file_type", "file_bytes", "tensor_bytes", "tensor_count", "dtypes",
               "tensor_types", "skipped", "architecture_params", "matches_architecture", "differences")


def header_summary(model) -> dict | None:
    if not model.header_info:
        return None
    return {k: model.header_info[k] for k in HEADER_KEYS if k in model.header_info}


def _header_only_params(model) -> dict:
    """Weights without a config: the exact header count, its breakdown by tensor name; the active count is
    known only when no tensor belongs to routed experts."""
    breakdown = dict(model.header_info.get("breakdown", {}))
    total = model.header_params
    sparse = breakdown.get("experts", 0) > 0
    return {"total": total, "active": None if sparse else total,
            "non_embedding": total - breakdown.get("embeddings", 0) - breakdown.get("output", 0),
            "breakdown": breakdown, "active_breakdown": None if sparse else breakdown}


def build_report(model, context: int | None) -> dict:
    arch = model.architecture
    if arch is None:
        return {"model": model_summary(model), "context": context, "params": _header_only_params(model),
                "flops_per_token": None, "header": header_summary(model), "notes": list(model.notes)}
    ctx = context or min(arch.max_context, 4096)
    params = count_params(arch).as_dict()
    if model.header_params is not None:
        params["architecture_total"] = params["total"]
        params["total"] = model.header_params
    fl = flops_per_token(arch, ctx)
    report = {
        "model": model_summary(model),
        "context": ctx,
        "params": params,
        "flops_per_token": {"matmul": fl.matmul, "attention": fl.attention, "total": fl.total},
        "notes": list(model.notes),
    }
    header = header_summary(model)
    if header is not None:
        report["header"] = header
    return report


def _print_header(h: dict) -> None:
    kinds = h.get("tensor_types") or h.get("dtypes") or {}
    types = ", ".join(f"{k} ×{v['tensors']}" for k, v in list(kinds.items())[:6])
    ft = f", file type {h['file_type']['name']}" if h.get("file_type") else ""
    files = h.get("files") or []
    print(f"weights: {h['format']}, {len(files)} file{'s' if len(files) != 1 else ''}, "
          f"{h['file_bytes'] / 2**30:.2f} GiB{ft}; {h['tensor_count']:,} tensors ({types})")
    if h.get("matches_architecture") is True:
        print("header count equals the architecture's count")
    elif h.get("matches_architecture") is False:
        print(f"header count differs from the architecture's {h['architecture_params']:,}:")
        print(table([(d["tensor"], f"{d['header']:,}", f"{d['architecture']:,}") for d in h["differences"][:12]],
                    ("tensor", "header", "architecture")))


def run(args) -> int:
    model = load_model_from_args(args)
    report = build_report(model, args.context)
    if args.json:
        print_json(report)
        return 0
    m, p = report["model"], report["params"]
    if m["layers"] is None:
        print(f"{m['name']}  (architecture unknown: no config.json beside the weights)")
    else:
        print(f"{m['name']}  ({m['family']}, {m['layers']} layers, hidden {m['hidden_size']}, {m['attention']} "
              f"{m['heads']}/{m['kv_heads']} heads)")
    total = p["total"] or 1
    rows = [(c, f"{p['breakdown'][c]:,}", f"{p['breakdown'][c] / total:.1%}") for c in COMPONENTS
            if p["breakdown"][c]]
    rows.append(("total", f"{p['total']:,}", human_count(p["total"])))
    if p["active"] is not None and p["active"] != p["total"]:
        rows.append(("active per token", f"{p['active']:,}", human_count(p["active"])))
    print(table(rows, ("parameters", "count", "share")))
    if report.get("header"):
        print()
        _print_header(report["header"])
    f = report["flops_per_token"]
    if f is not None:
        print(f"\nforward FLOPs per token at context {report['context']:,}: {human_count(f['total'])} "
              f"(matmul {human_count(f['matmul'])}, attention {human_count(f['attention'])})")
    for note in report["notes"]:
        print(f"note: {note}")
    return 0

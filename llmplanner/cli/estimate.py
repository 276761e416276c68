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


def build_report(model, context: int | None) -> dict:
    arch = model.architecture
    ctx = context or min(arch.max_context, 4096)
    params = count_params(arch).as_dict()
    if model.header_params is not None:
        params["architecture_total"] = params["total"]
        params["total"] = model.header_params
    fl = flops_per_token(arch, ctx)
    return {
        "model": model_summary(model),
        "context": ctx,
        "params": params,
        "flops_per_token": {"matmul": fl.matmul, "attention": fl.attention, "total": fl.total},
        "notes": list(model.notes),
    }


def run(args) -> int:
    model = load_model_from_args(args)
    report = build_report(model, args.context)
    if args.json:
        print_json(report)
        return 0
    m, p = report["model"], report["params"]
    print(f"{m['name']}  ({m['family']}, {m['layers']} layers, hidden {m['hidden_size']}, {m['attention']} "
          f"{m['heads']}/{m['kv_heads']} heads)")
    total = p["total"] or 1
    rows = [(c, f"{p['breakdown'][c]:,}", f"{p['breakdown'][c] / total:.1%}") for c in COMPONENTS
            if p["breakdown"][c]]
    rows.append(("total", f"{p['total']:,}", human_count(p["total"])))
    if p["active"] != p["total"]:
        rows.append(("active per token", f"{p['active']:,}", human_count(p["active"])))
    print(table(rows, ("parameters", "count", "share")))
    f = report["flops_per_token"]
    print(f"\nforward FLOPs per token at context {report['context']:,}: {human_count(f['total'])} "
          f"(matmul {human_count(f['matmul'])}, attention {human_count(f['attention'])})")
    for note in report["notes"]:
        print(f"note: {note}")
    return 0

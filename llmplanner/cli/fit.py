"""``llmplanner fit MODEL``: every format's verdict on a machine, the best choice, the longest context and the
commands to run it."""
from __future__ import annotations

from dataclasses import replace

from ..core.commands import commands_for, model_ref
from ..core.errors import PlannerError
from ..core.units import format_bytes
from .common import add_model_arguments, load_model_from_args, positive_int, print_json, table
from .estimate import add_plan_arguments, model_summary, request_from_args


def add_parser(sub) -> None:
    p = sub.add_parser("fit", help="which formats fit a machine, how fast, and the commands to run the best",
                       description="For each weight format the runtime loads: the verdict on the machine (fits on "
                                   "the GPU with headroom, tight, partial offload, CPU only, does not fit), the "
                                   "longest context, decode and prefill tokens/s and the published quality cost; "
                                   "the best choice with its reason, and ready-to-run commands. Without --gpu, "
                                   "--vram or --ram the machine is this one, detected.")
    add_model_arguments(p)
    add_plan_arguments(p)
    p.add_argument("--cpu", metavar="NAME",
                   help="a CPU platform from the catalogue for layers on the CPU (see 'llmplanner gpus --vendor CPU')")
    p.add_argument("--no-torch", action="store_true", help="detect this machine without the torch probe (faster)")
    p.add_argument("--gpus-per-node", type=positive_int, default=8, metavar="N",
                   help="GPUs per machine when a multi-GPU layout is needed (default 8)")
    p.add_argument("--speed", type=float, metavar="TOKENS_PER_S",
                   help="also list the smallest catalogue devices reaching this decode speed with the chosen format")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def target_from_args(args):
    from ..core.target import target_from_catalogue, target_from_machine, target_from_memory

    if args.gpu:
        return target_from_catalogue(args.gpu, args.gpu_count, args.ram, host=args.cpu, gpu_memory_bytes=args.vram)
    if args.vram:
        return target_from_memory(args.vram, args.gpu_count, args.ram, host=args.cpu)
    if args.ram:
        return target_from_catalogue(None, 1, args.ram, host=args.cpu)
    from ..core.detect import detect

    return target_from_machine(detect(use_torch=not args.no_torch), host=args.cpu)


def build_report(model, args) -> dict:
    from ..core.layouts import smallest_layout
    from ..core.recommend import recommend

    if model.architecture is None:
        raise PlannerError("fitting needs the architecture: give a config.json (or a GGUF, whose header has it)",
                           field="model")
    if args.gpu_layers is not None:
        raise PlannerError("fit chooses the layers on the GPU itself; --gpu-layers is for 'estimate'",
                           field="gpu_layers")
    target = target_from_args(args)
    base = replace(request_from_args(args, model), hardware=target.hardware).resolved()
    rec = recommend(base, target)
    if args.weight_format:
        chosen = rec.option(args.weight_format)
        why = f"{chosen.label}: chosen with --format ({chosen.verdict_label})"
    elif rec.best is not None:
        chosen, why = rec.best.option, rec.best.reason
    else:
        chosen, why = None, "no format fits this machine"
    layout = None
    acc = target.accelerator
    if chosen is not None and acc is not None and acc.kind == "gpu":
        layout = smallest_layout(replace(base, weight_format=chosen.format), acc.name,
                                 gpu_memory_bytes=target.gpu_memory_bytes, gpus_per_node=args.gpus_per_node,
                                 host=args.cpu)
    commands, where = (), "none"
    if chosen is not None:
        where, commands = commands_for(model_ref_for(model, args), chosen, target, batch=base.batch,
                                       layout=layout.layout if layout is not None else None)
    out = rec.as_dict()
    out["model"] = model_summary(model)
    out["chosen"] = None if chosen is None else {"format": chosen.format, "label": chosen.label,
                                                 "verdict": chosen.verdict, "reason": why}
    out["longest_context"] = None if chosen is None else {"format": chosen.format, "tokens": chosen.longest_context}
    out["layout"] = None if layout is None else layout.as_dict()
    out["commands"] = [c.as_dict() for c in commands]
    out["commands_for"] = where
    if args.speed is not None:
        from ..core.hardware_search import smallest_for_speed

        fmt = chosen.format if chosen is not None else base.weight_format
        picks = smallest_for_speed(replace(base, weight_format=fmt), args.speed)
        out["smallest_for_speed"] = {"tokens_per_s": args.speed, "format": fmt,
                                     "devices": [p.as_dict() for p in picks]}
    return out


def model_ref_for(model, args):
    """Where the model's files are, from the command line's model argument."""
    from ..core.plan import ModelSource
    from .common import MODEL_OPTIONS, guess_source_kind

    for _flag, kind, _m, _h in MODEL_OPTIONS:
        value = getattr(args, f"model_{kind.replace('-', '_')}", None)
        if value is not None:
            return model_ref(ModelSource(kind, value), model.architecture.name)
    kind = guess_source_kind(args.model)
    return model_ref(ModelSource(kind, args.model), model.architecture.name)


def _tps(x) -> str:
    return "-" if x is None else f"{x:,.1f}"


def run(args) -> int:
    model = load_model_from_args(args)
    report = build_report(model, args)
    if args.json:
        print_json(report)
        return 0
    m = report["machine"]
    print(f"{report['model']['name']} on {m['label']} ({report['runtime']}, context {report['context']:,} tokens)")
    print(f"tier: {m['tier']['tier']} ({m['tier']['basis']})")
    rows = []
    for f in report["formats"]:
        q = f["quality"]
        if f["kind"] == "float":
            quality = "baseline"
        else:
            quality = "no data" if q is None or q["relative_ppl"] is None else f"+{100 * q['relative_ppl']:.2f}% PPL"
        rows.append((f["label"], f["verdict_label"], format_bytes(f["memory_bytes"]), f"{f['longest_context']:,}",
                     _tps(f["decode_tokens_per_s"]), _tps(f["prefill_tokens_per_s"]), quality))
    print(table(rows, ("format", "verdict", "memory", "longest context", "decode tok/s", "prefill tok/s",
                       "quality cost")))
    if report["chosen"]:
        print(f"\nbest: {report['chosen']['reason']}")
        print(f"longest context for {report['chosen']['label']}: {report['longest_context']['tokens']:,} tokens")
    else:
        print("\nno format fits this machine")
    if report["best_quality"]:
        print(f"also: {report['best_quality']['reason']}")
    lay = report["layout"]
    if lay and lay["layout"] and lay["layout"]["total_gpus"] > 1:
        per_gpu = format_bytes(lay["layout"]["memory_per_gpu_bytes"])
        print(f"\nsmallest layout: {lay['layout']['how']}; {per_gpu} per GPU")
    elif lay and lay["why_not"]:
        print(f"\nno multi-GPU layout: {lay['why_not']}")
    for c in report["commands"]:
        print(f"\n## {c['title']}\n{c['text']}")
        for n in c["notes"]:
            print(f"# note: {n}")
    if "smallest_for_speed" in report:
        s = report["smallest_for_speed"]
        print(f"\nsmallest devices reaching {s['tokens_per_s']:g} tokens/s with {s['format']}:")
        print(table([(d["label"], d["tier"], _tps(d["decode_tokens_per_s"])) for d in s["devices"]],
                    ("device", "tier", "decode tok/s")) if s["devices"] else "none in the catalogue")
    for n in report["notes"]:
        print(f"note: {n}")
    return 0

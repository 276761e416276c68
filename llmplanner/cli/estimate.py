"""``llmplanner estimate MODEL``: exact parameters, memory by runtime, speed and fit on a GPU."""
from __future__ import annotations

import argparse

from ..core.estimate import MODES, EstimateRequest, HardwareChoice, run_estimate
from ..core.flops import flops_per_token
from ..core.memory import RUNTIMES
from ..core.params import count_params
from ..core.tensors import COMPONENTS
from ..core.units import format_bytes, parse_size
from .common import (add_model_arguments, human_count, load_model_from_args, non_negative_int, positive_int,
                     print_json, table)


def size_arg(text: str) -> int:
    from ..core.errors import PlannerError

    try:
        return parse_size(text)
    except PlannerError as e:
        raise argparse.ArgumentTypeError(e.message) from None


def on_off(text: str) -> bool:
    if text.lower() in ("on", "1", "true", "yes"):
        return True
    if text.lower() in ("off", "0", "false", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected on or off, got {text!r}")


def add_plan_arguments(p: argparse.ArgumentParser) -> None:
    """Options shared by estimate and fit: the format, runtime, context and hardware of a plan."""
    p.add_argument("--format", dest="weight_format", metavar="F",
                   help="weight format as the ecosystem spells it: f16, bf16, q8_0, q4_k_m, nf4, gptq-int4 … "
                        "(default: q4_k_m for llama.cpp/Ollama, bf16 for transformers/vLLM; see 'llmplanner formats')")
    p.add_argument("--kv-format", metavar="F", help="KV-cache element type: f16 (default), bf16, f32, q8_0, q4_0 … "
                                                   "(vLLM: auto or fp8)")
    p.add_argument("--runtime", default="llama.cpp", metavar="R",
                   help=f"one of {', '.join(RUNTIMES)} (default llama.cpp)")
    p.add_argument("--context", type=positive_int, metavar="N",
                   help="context per sequence in tokens (default: the model's maximum, at most 4096)")
    p.add_argument("--batch", type=positive_int, default=1, metavar="N",
                   help="sequences decoded together (llama.cpp --parallel, vLLM concurrent requests)")
    p.add_argument("--gpu", metavar="NAME", help="a GPU from the catalogue ('llmplanner gpus'), e.g. 'RTX 4090'")
    p.add_argument("--gpu-count", type=positive_int, default=1, metavar="N", help="how many of that GPU")
    p.add_argument("--vram", type=size_arg, metavar="SIZE",
                   help="GPU memory per GPU, e.g. 24GiB or 24GB (GB = 10^9 bytes; a bare number means GiB)")
    p.add_argument("--ram", type=size_arg, metavar="SIZE", help="host RAM, e.g. 64GiB")
    p.add_argument("--gpu-layers", type=non_negative_int, metavar="N",
                   help="llama.cpp -ngl (default: everything on the GPU)")
    p.add_argument("--flash-attn", type=on_off, default=False, metavar="on|off",
                   help="llama.cpp flash attention (default off; llama.cpp's -fa auto turns it on on GPUs)")


def add_parser(sub) -> None:
    p = sub.add_parser("estimate", help="parameter count, memory and speed of a model",
                       description="Exact parameter count (total and active) with a breakdown, memory by runtime "
                                   "(weights, KV cache, activations, overhead) and, with a GPU, speed and fit.")
    add_model_arguments(p)
    add_plan_arguments(p)
    p.add_argument("--mode", choices=MODES, default="inference", help="inference, or a training mode")
    t = p.add_argument_group("training (with --mode full, lora or qlora)")
    t.add_argument("--optimizer", metavar="O", help="adamw (default), adamw-8bit, sgd, sgd-momentum or adafactor")
    t.add_argument("--recompute", metavar="R", help="activation recomputation: none (default), selective or full")
    t.add_argument("--lora-rank", type=positive_int, metavar="R", help="LoRA rank r (default 16)")
    t.add_argument("--lora-targets", metavar="LIST",
                   help="comma-separated modules: q,k,v,o,gate,up,down or all-linear (default)")
    t.add_argument("--zero-stage", type=int, choices=(0, 1, 2, 3), metavar="0-3",
                   help="DeepSpeed ZeRO stage over the --gpu-count GPUs (default 0)")
    t.add_argument("--tensor-parallel", type=positive_int, metavar="T", help="tensor-parallel size (default 1)")
    p.add_argument("--prompt-tokens", type=non_negative_int, metavar="N",
                   help="prompt length for speed (prefill) and transformers' activations (default: 512)")
    p.add_argument("--gen-tokens", type=non_negative_int, metavar="N",
                   help="tokens generated after the prompt; decode speed is their average (default: 128)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def gguf_file_format(model) -> str | None:
    """A GGUF's own ``general.file_type`` (Q4_K_M, Q8_0 …) as the weight format, when it names one we know."""
    from ..core.errors import PlannerError
    from ..core.formats import get_format

    ft = model.header_info.get("file_type") if model.source_kind == "gguf" else None
    if not ft:
        return None
    try:
        return get_format(ft["name"]).id
    except PlannerError:
        return None


def request_from_args(args, model) -> EstimateRequest:
    return EstimateRequest(
        arch=model.architecture, runtime=args.runtime, weight_format=args.weight_format or gguf_file_format(model),
        kv_format=args.kv_format,
        context=args.context, batch=args.batch, mode=getattr(args, "mode", "inference"),
        hardware=HardwareChoice(args.gpu, args.gpu_count, args.vram, args.ram), gpu_layers=args.gpu_layers,
        flash_attention=args.flash_attn, prompt_tokens=getattr(args, "prompt_tokens", None),
        gen_tokens=getattr(args, "gen_tokens", None),
        header_tensor_types=model.header_info.get("tensor_types") if model.source_kind == "gguf" else None,
        training=training_options(args),
    )


def training_options(args) -> dict:
    """The training flags that were given, by TrainingSetup field name."""
    out = {}
    for flag, key in (("optimizer", "optimizer"), ("recompute", "recompute"), ("lora_rank", "lora_rank"),
                      ("zero_stage", "zero_stage"), ("tensor_parallel", "tensor_parallel")):
        value = getattr(args, flag, None)
        if value is not None:
            out[key] = value
    targets = getattr(args, "lora_targets", None)
    if targets:
        out["lora_targets"] = tuple(t.strip() for t in targets.split(",") if t.strip())
    return out


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


#: What the report repeats from a weight file's header (per-tensor lists stay in ``LoadedModel.header_info``).
HEADER_KEYS = ("format", "files", "file_type", "file_bytes", "tensor_bytes", "tensor_count", "dtypes",
               "ggml_types", "skipped", "architecture_params", "matches_architecture", "differences")


def header_summary(model) -> dict | None:
    if not model.header_info:
        return None
    return {k: model.header_info[k] for k in HEADER_KEYS if k in model.header_info}


def _header_only_report(model) -> dict:
    """Weights without a config: the exact header count and its breakdown by tensor name. The active count is
    known only when no tensor belongs to routed experts; memory and speed need the architecture."""
    info = model.header_info
    breakdown = dict(info.get("breakdown", {}))
    total = model.header_params
    sparse = breakdown.get("experts", 0) > 0
    params = {"total": total, "active": None if sparse else total,
              "non_embedding": total - breakdown.get("embeddings", 0) - breakdown.get("output", 0),
              "breakdown": breakdown, "active_breakdown": None if sparse else breakdown}
    header = header_summary(model)
    header["patterns"] = info.get("patterns", {})
    return {"model": model_summary(model), "params": params, "flops_per_token": None, "header": header,
            "notes": list(model.notes)}


def build_report(model, args) -> dict:
    if model.architecture is None:
        return _header_only_report(model)
    report = run_estimate(request_from_args(args, model))
    arch = model.architecture
    params = count_params(arch).as_dict()
    if model.header_params is not None:
        params["architecture_total"] = params["total"]
        params["total"] = model.header_params
    fl = flops_per_token(arch, report.request.context)
    out = {"model": model_summary(model), "params": params,
           "flops_per_token": {"matmul": fl.matmul, "attention": fl.attention, "total": fl.total}}
    out.update(report.as_dict())
    notes = list(model.notes) + list(out.get("memory", {}).get("notes", []))
    out["notes"] = notes
    header = header_summary(model)
    if header is not None:
        out["header"] = header
    return out


def _print_header(h: dict) -> None:
    kinds = h.get("ggml_types") or h.get("dtypes") or {}
    types = ", ".join(f"{k} ×{v['tensors']}" for k, v in list(kinds.items())[:6])
    ft = f", file type {h['file_type']['name']}" if h.get("file_type") else ""
    files = h.get("files") or []
    print(f"weights: {h['format']}, {len(files)} file{'s' if len(files) != 1 else ''}, "
          f"{format_bytes(h['file_bytes'])}{ft}; {h['tensor_count']:,} tensors ({types})")
    if h.get("matches_architecture") is True:
        print("header count equals the architecture's count")
    elif h.get("matches_architecture") is False:
        print(f"header count differs from the architecture's {h['architecture_params']:,}:")
        print(table([(d["tensor"], f"{d['header']:,}", f"{d['architecture']:,}") for d in h["differences"][:12]],
                    ("tensor", "header", "architecture")))


def run(args) -> int:
    model = load_model_from_args(args)
    report = build_report(model, args)
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
    mem = report.get("memory")
    if mem:
        if report["mode"] != "inference":
            print(f"\ntraining memory per GPU ({report['mode']}, sequence {report['context']:,}, micro-batch "
                  f"{report['batch']}, trainable {mem['trainable_params']:,} parameters), binary units:")
        else:
            print(f"\nmemory ({report['runtime']}, {report['format']}, KV {report['kv_format']}, context "
                  f"{report['context']:,}, batch {report['batch']}), binary units:")
        keys = [k for k in ("weights_bytes", "kv_cache_bytes", "activations_bytes", "gradients_bytes",
                            "optimizer_bytes", "overhead_bytes") if k in mem]
        rows = [(k.replace("_bytes", "").replace("_", " "), format_bytes(mem[k])) for k in keys]
        rows.append(("total", format_bytes(mem["total_bytes"])))
        print(table(rows))
    if report.get("fit"):
        print(f"\nfit: {report['fit']['label']}")
    if report.get("speed"):
        s = report["speed"]
        print(f"speed: decode {s['decode_tokens_per_s']:.1f} tokens/s, prefill {s['prefill_tokens_per_s']:.0f} tokens/s")
    f = report["flops_per_token"]
    if f is not None:
        print(f"\nforward FLOPs per token at context {report['context']:,}: {human_count(f['total'])} "
              f"(matmul {human_count(f['matmul'])}, attention {human_count(f['attention'])})")
    for note in report["notes"]:
        print(f"note: {note}")
    return 0

"""``llmplanner check MODEL``: build the model with random weights on this machine and measure it."""
from __future__ import annotations

import sys

from ..core.calibration import CalibrationStore
from .common import add_model_arguments, load_model_from_args, positive_int, print_json, table


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="measure a model's memory and speed on this machine (needs torch)",
                       description="Build the model (or, when it does not fit, the same model with fewer "
                                   "layers) with random weights on this machine, run a prefill and a decode "
                                   "with a KV cache, and report peak memory and tokens/s. The result is "
                                   "recorded in this machine's calibration unless --no-calibrate.")
    add_model_arguments(p)
    p.add_argument("--format", default=None, metavar="F",
                   help="f32, f16 or bf16 (default: bf16/f16 on a GPU, f32 on the CPU)")
    p.add_argument("--device", default="auto", metavar="D",
                   help="auto, cpu, cuda, cuda:N or mps (default auto: a GPU when there is one)")
    p.add_argument("--prompt-tokens", type=positive_int, default=128, metavar="N",
                   help="tokens in the measured prefill (default 128)")
    p.add_argument("--gen-tokens", type=positive_int, default=32, metavar="N",
                   help="tokens decoded after it (default 32)")
    p.add_argument("--max-layers", type=positive_int, default=None, metavar="N",
                   help="build at most N layers (a quicker, scaled check)")
    p.add_argument("--no-calibrate", action="store_true", help="do not record the result in the calibration")
    p.add_argument("--show-calibration", action="store_true", help="print this machine's calibration")
    p.add_argument("--reset-calibration", action="store_true",
                   help="delete this machine's calibration (before measuring, if a model is given)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def _gib(n: float) -> str:
    return f"{n / 2**30:.3f} GiB"


def _print_calibration(cal: dict) -> None:
    print(f"calibration file: {cal['path']}")
    if not cal["devices"]:
        print("no measurements recorded")
    for d in cal["devices"]:
        bw = d["decode_bandwidth_bytes_per_s"]
        fl = d["prefill_flops_per_s"]
        fixed = d["decode_fixed_seconds_per_token"]
        fixed_text = f"{fixed * 1e3:.2f} ms/token fixed" if fixed is not None else "fixed cost not yet separable"
        print(f"  {d['device_name']} ({d['backend']}, {d['dtype']}): {len(d['measurements'])} measurement(s); "
              f"decode {bw / 1e9:.2f} GB/s, {fixed_text}; prefill {fl / 1e12:.3f} TFLOP/s")


def run(args) -> int:
    store = CalibrationStore()
    has_model = args.model is not None or any(
        getattr(args, k) is not None for k in vars(args) if k.startswith("model_"))
    out: dict = {}
    if args.reset_calibration:
        removed = store.reset()
        out["calibration_reset"] = removed
        if not args.json:
            print(f"calibration {'deleted' if removed else 'was empty'}: {store.path}")
    if not has_model:
        if not (args.show_calibration or args.reset_calibration):
            load_model_from_args(args)  # raises "name a model ..."
        if args.show_calibration:
            out["calibration"] = store.as_dict()
            if not args.json:
                _print_calibration(out["calibration"])
        if args.json:
            print_json(out)
        return 0

    from ..measure import CheckOptions, CheckState, run_check

    model = load_model_from_args(args)
    last = {"text": None}
    show_progress = not args.json and sys.stderr.isatty()  # scripts get only the result (and one error line)

    def progress(percent: float, text: str) -> None:
        if show_progress and text != last["text"] and not text.startswith("decoding token"):
            print(f"[{percent:3.0f}%] {text}", file=sys.stderr, flush=True)
            last["text"] = text

    options = CheckOptions(device=args.device, format=args.format, prompt_tokens=args.prompt_tokens,
                           gen_tokens=args.gen_tokens, max_layers=args.max_layers)
    result = run_check(model, options, CheckState(progress))
    out["measured"] = result.as_dict()
    from ..measure.compare import compare_with_estimate

    out["comparison"] = compare_with_estimate(result)
    if not args.no_calibrate:
        entry = store.record(result.backend, result.device_name, result.calibration_measurement())
        out["calibration"] = {"path": str(store.path), "device": entry.as_dict()}
    if args.json:
        print_json(out)
        return 0
    r = result
    print(f"{r.model} on {r.device_name} ({r.device}), {r.format}: {r.layers_built} of {r.layers_total} layers built"
          + (" (scaled)" if r.scaled else ""))
    rows = [("parameters built", f"{r.params_built:,}"),
            ("weights", _gib(r.weights_bytes)),
            (f"KV cache ({r.prompt_tokens}+{r.gen_tokens} tokens)", _gib(r.kv_cache_bytes)),
            ("peak memory", _gib(r.peak_memory_bytes)),
            (f"prefill ({r.prompt_tokens} tokens)", f"{r.prefill_tokens_per_s:,.1f} tokens/s"),
            (f"decode ({r.gen_tokens} tokens)", f"{r.decode_tokens_per_s:,.2f} tokens/s"),
            ("achieved decode traffic", f"{r.decode_bytes_per_s / 1e9:,.2f} GB/s"),
            ("achieved prefill compute", f"{r.prefill_flops_per_s / 1e12:,.3f} TFLOP/s")]
    print(table(rows, ("measured", "value")))
    c = out["comparison"]
    diff = c["peak_difference"]
    print(f"estimated peak (transformers runtime): {_gib(c['estimated_peak_bytes'])}"
          + (f", {diff:+.1%} against the measurement" if diff is not None else ""))
    print(f"peak memory: {r.memory_method}")
    for note in r.notes:
        print(f"note: {note}")
    if args.show_calibration or "calibration" in out:
        _print_calibration(store.as_dict())
    return 0

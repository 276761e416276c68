"""Options and helpers shared by the subcommands."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core.errors import PlannerError
from ..core.model_source import LoadedModel, load_model


class ArgumentError(PlannerError):
    """A command-line usage error."""

MODEL_OPTIONS = (
    ("--config", "config", "PATH", "a Hugging Face config.json (or the folder holding it)"),
    ("--preset", "preset", "NAME", "a built-in preset (see 'llmplanner presets')"),
    ("--safetensors", "safetensors", "PATH", "a .safetensors file, a sharded index or a model folder: "
                                             "counts the headers, loads no weights"),
    ("--gguf", "gguf", "PATH", "a GGUF file: reads its header and metadata, loads no weights"),
    ("--hf-repo", "hf-repo", "ID", "a Hugging Face Hub repo id: fetches config.json (network, cached)"),
)


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", nargs="?", metavar="MODEL",
                        help="a preset name or a path (config.json, model folder, .safetensors, .gguf)")
    group = parser.add_mutually_exclusive_group()
    for flag, kind, metavar, help_ in MODEL_OPTIONS:
        group.add_argument(flag, dest=f"model_{kind.replace('-', '_')}", metavar=metavar, help=help_)


def guess_source_kind(value: str) -> str:
    """What a bare MODEL argument names: an existing path by its kind, anything else a preset."""
    p = Path(value)
    if p.is_dir():
        has_weights = any(p.glob("*.safetensors")) or any(p.glob("*.safetensors.index.json"))
        if has_weights:
            return "safetensors"
        if not (p / "config.json").exists() and any(p.glob("*.gguf")):
            return "gguf"  # the GGUF reader asks for the file by name
        return "config"
    if p.is_file():
        name = p.name.lower()
        if name.endswith(".gguf"):
            return "gguf"
        if name.endswith(".safetensors") or name.endswith(".safetensors.index.json"):
            return "safetensors"
        return "config"
    return "preset"


def load_model_from_args(args) -> LoadedModel:
    chosen = [(kind, getattr(args, f"model_{kind.replace('-', '_')}", None)) for _f, kind, _m, _h in MODEL_OPTIONS]
    chosen = [(k, v) for k, v in chosen if v is not None]
    if args.model is not None:
        if chosen:
            raise ArgumentError(f"give the model once: {args.model!r} and --{chosen[0][0]} both name one")
        return load_model(guess_source_kind(args.model), args.model)
    if not chosen:
        raise ArgumentError("name a model: a preset, a path, or one of --config, --preset, --safetensors, "
                            "--gguf, --hf-repo")
    return load_model(*chosen[0])


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def human_count(n: float) -> str:
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.2f}{unit}"
    return f"{n:.0f}"


def table(rows: list[tuple], headers: tuple | None = None) -> str:
    """A plain aligned text table: first column left-aligned, the others right-aligned."""
    all_rows = [tuple(str(c) for c in r) for r in ([headers] if headers else []) + rows]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(all_rows[0]))]
    out = []
    for k, r in enumerate(all_rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
        if headers and k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)

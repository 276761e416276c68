"""``llmplanner presets``: the built-in real models, optionally filtered by tag, family or size."""
from __future__ import annotations

from ..core.errors import UnknownNameError
from ..core.params import count_params
from ..core.presets import TAGS, all_presets
from .common import human_count, print_json, table


def add_parser(sub) -> None:
    p = sub.add_parser("presets", help="list the built-in model presets",
                       description="The built-in real models with their exact parameter counts and sources.")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help=f"only presets with this tag (repeat to require several): {', '.join(TAGS)}")
    p.add_argument("--family", metavar="MODEL_TYPE", help="only this Hugging Face model_type (llama, qwen3, ...)")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(run=run)


def run(args) -> int:
    for tag in args.tag:
        if tag not in TAGS:
            raise UnknownNameError("tag", tag, TAGS, field="--tag")
    presets = [p for p in all_presets() if all(t in p.tags for t in args.tag)]
    if args.family:
        families = sorted({p.family for p in all_presets()})
        if args.family not in families:
            raise UnknownNameError("family", args.family, families, field="--family")
        presets = [p for p in presets if p.family == args.family]
    rows = []
    for preset in presets:
        count = count_params(preset.architecture())
        rows.append({"name": preset.name, "family": preset.family, "hf_repo": preset.hf_repo,
                     "total_params": count.total, "active_params": count.active, "tags": list(preset.tags),
                     "params_source": preset.params_source, "config_source": preset.config_source})
    if args.json:
        print_json(rows)
        return 0
    print(table([(r["name"], r["family"], human_count(r["total_params"]),
                  human_count(r["active_params"]) if r["active_params"] != r["total_params"] else "",
                  ", ".join(r["tags"]), r["hf_repo"] or "") for r in rows],
                ("preset", "family", "params", "active", "tags", "Hugging Face repo")))
    return 0

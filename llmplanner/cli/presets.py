"""``llmplanner presets``: the built-in real models."""
from __future__ import annotations

from ..core.params import count_params
from ..core.presets import all_presets
from .common import human_count, print_json, table


def add_parser(sub) -> None:
    p = sub.add_parser("presets", help="list the built-in model presets")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(run=run)


def run(args) -> int:
    rows = []
    for preset in all_presets():
        count = count_params(preset.architecture())
        rows.append({"name": preset.name, "family": preset.family, "hf_repo": preset.hf_repo,
                     "total_params": count.total, "active_params": count.active, "tags": list(preset.tags)})
    if args.json:
        print_json(rows)
        return 0
    print(table([(r["name"], r["family"], human_count(r["total_params"]),
                  human_count(r["active_params"]) if r["active_params"] != r["total_params"] else "",
                  r["hf_repo"] or "") for r in rows],
                ("preset", "family", "params", "active", "Hugging Face repo")))
    return 0

"""Turns a row of tests/data/speed_measurements.json into the speed model's inputs.

Bytes a decoded token reads = the file size llama.cpp reports minus the token-embedding table (a token reads one
row of it; llama.cpp keeps it in host memory). The table is stored at the file's base type: ggml block layouts
give Q4_K and Q4_0 4.5 bits per weight (144 B / 256, 18 B / 32), Q8_0 8.5 (34 B / 32); the Llama-3-8B Q4_K_M
log's 281.81 MiB CPU buffer is exactly 128256 × 4096 × 4.5 / 8 bytes. MoE rows (Mixtral Q8_0) read the shared
tensors plus the routed experts' share.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from llmplanner.core.hardware import cpu_platform, find_accelerator
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.params import count_params
from llmplanner.core.speed import estimate_speed
from llmplanner.core.speed_workload import split_workload

DATA = Path(__file__).parent / "data"
EMBEDDING_BITS = {"F16": 16.0, "BF16": 16.0, "F32": 32.0, "Q8_0": 8.5, "Q4_0": 4.5, "Q4_K_M": 4.5}
FLOAT_FORMATS = {"F16", "BF16", "F32"}


@lru_cache(maxsize=1)
def measurements() -> tuple[dict, ...]:
    return tuple(json.loads((DATA / "speed_measurements.json").read_text())["measurements"])


@lru_cache(maxsize=None)
def architecture(name: str):
    models = {m["name"]: m for m in json.loads((DATA / "speed_models.json").read_text())["models"]}
    return architecture_from_config(models[name]["config"])


def accelerator(row: dict):
    if row.get("cpu_platform"):
        return cpu_platform(name=row["hardware"], **row["cpu_platform"])
    return find_accelerator(row["hardware"])


def weight_bytes(row: dict) -> tuple[float, float]:
    """(bytes read per decoded token, bytes resident) for the row's model file."""
    arch = architecture(row["model"])
    emb = arch.embeddings
    embedding = emb.vocab_size * arch.hidden_size * EMBEDDING_BITS[row["format"]] / 8
    if row["model_size_bytes"] is None:  # a uniform format (Q8_0, BF16): size from the exact parameter count
        count = count_params(arch)
        bits = EMBEDDING_BITS[row["format"]]
        return ((count.active - emb.vocab_size * arch.hidden_size) * bits / 8,
                (count.total - emb.vocab_size * arch.hidden_size) * bits / 8)
    size = row["model_size_bytes"] - embedding
    return size, size


def workload(row: dict, **overrides):
    arch = architecture(row["model"])
    acc = accelerator(row)
    read, resident = weight_bytes(row)
    options = dict(runtime=row.get("runtime", "llama.cpp"),
                   storage="float" if row["format"] in FLOAT_FORMATS else "quantized",
                   flash_attention=row.get("flash_attention", False), resident_weight_bytes=resident)
    options.update(overrides)
    return split_workload(arch, [acc] * row.get("gpu_count", 1), read, **options)


def predict(row: dict, **overrides) -> float:
    est = estimate_speed(workload(row, **overrides), row["prompt_tokens"], row["gen_tokens"])
    return est.decode_tokens_per_s if row["kind"] == "decode" else est.prefill_tokens_per_s


def scored(rows, **filters):
    """Rows that count for the accuracy shares (not excluded), optionally filtered by field values."""
    out = []
    for r in rows:
        if r.get("excluded"):
            continue
        if all((r.get(k) in v) if isinstance(v, (set, tuple, list)) else r.get(k) == v for k, v in filters.items()):
            out.append(r)
    return out

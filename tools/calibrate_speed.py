#!/usr/bin/env python3
"""Refit the speed model's runtime constants on the calibration rows of tests/data/speed_measurements.json.

    python tools/calibrate_speed.py [--backend cuda|metal|cpu] [--iterations N] [--seed S]

Minimises the mean squared log error of predicted vs measured tokens/s over the rows whose ``role`` is
"calibration" (decode and prompt processing together), with the production formulas of
``llmplanner.core.speed``, by random search followed by shrinking local perturbations (numpy only). Prints the
fitted constants and the errors on calibration and held-out rows; it changes no file — copy the values into
``llmplanner/core/runtime_profiles.py`` (rounded) if they should replace the current ones.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import speed_cases  # noqa: E402
from llmplanner.core import runtime_profiles  # noqa: E402
from llmplanner.core.speed import estimate_speed  # noqa: E402

#: Search ranges of the fitted constants (physically plausible bounds).
SPACE = {
    "bandwidth_efficiency": (0.5, 1.0), "bytes_per_unit_clock": (2.0, 20.0),
    "layer_overhead_s": (0.0, 2e-4), "token_overhead_s": (0.0, 3e-3), "dequant_ops_per_weight": (0.0, 60.0),
    "kv_read_per_group": (0.2, 4.0), "matmul_efficiency_float": (0.1, 1.0), "matmul_efficiency_quantized": (0.1, 1.0),
    "matmul_flops_per_unit_clock_float": (50.0, 2000.0), "matmul_flops_per_unit_clock_quantized": (50.0, 2000.0),
    "score_bytes": (0.0, 60.0), "prefill_layer_overhead_s": (0.0, 2e-3),
}


#: Constants the calibration rows can identify, per backend (the CPU rows are two decode runs: bandwidth only).
FITTED = {"cpu": ("bandwidth_efficiency",)}


def _rows(backend: str, role: str):
    out = []
    for r in speed_cases.measurements():
        if r.get("excluded") or r["role"] != role or r.get("runtime", "llama.cpp") != "llama.cpp":
            continue
        if speed_cases.accelerator(r).backend != backend:
            continue
        out.append((r, speed_cases.workload(r)))
    return out


def _errors(cases, profile):
    key = ("llama.cpp", profile.backend)
    saved = runtime_profiles._PROFILES[key]
    runtime_profiles._PROFILES[key] = profile
    try:
        errs = []
        for r, w in cases:
            est = estimate_speed(w, r["prompt_tokens"], r["gen_tokens"])
            got = est.decode_tokens_per_s if r["kind"] == "decode" else est.prefill_tokens_per_s
            errs.append(np.log(got / r["tokens_per_s"]))
        return np.array(errs)
    finally:
        runtime_profiles._PROFILES[key] = saved


def fit(backend: str, iterations: int, seed: int):
    base = runtime_profiles.runtime_profile("llama.cpp", backend)
    keys = [k for k in FITTED.get(backend, SPACE) if getattr(base, k) is not None]
    cases = _rows(backend, "calibration")
    if not cases:
        raise SystemExit(f"no calibration rows for {backend}")
    rng = np.random.default_rng(seed)
    loss = lambda p: float(np.mean(_errors(cases, p) ** 2))  # noqa: E731
    best, best_loss = base, loss(base)
    for _ in range(200):
        cand = replace(base, **{k: float(rng.uniform(*SPACE[k])) for k in keys})
        cand_loss = loss(cand)
        if cand_loss < best_loss:
            best, best_loss = cand, cand_loss
    scale = 0.3
    for i in range(iterations):
        changes = {}
        for k in rng.choice(keys, size=max(1, len(keys) // 3), replace=False):
            lo, hi = SPACE[k]
            changes[k] = float(np.clip(getattr(best, k) + rng.normal() * scale * (hi - lo), lo, hi))
        cand = replace(best, **changes)
        cand_loss = loss(cand)
        if cand_loss < best_loss:
            best, best_loss = cand, cand_loss
        if i % max(1, iterations // 6) == iterations // 6 - 1:
            scale *= 0.6
    return best, cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--backend", default="cuda", choices=("cuda", "metal", "cpu"))
    ap.add_argument("--iterations", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    profile, cases = fit(a.backend, a.iterations, a.seed)
    for k in SPACE:
        if getattr(profile, k) is not None:
            print(f"{k:40s} {getattr(profile, k):.4g}")
    for role, rows in (("calibration", cases), ("holdout", _rows(a.backend, "holdout"))):
        if not rows:
            print(f"{role}: no rows")
            continue
        e = np.abs(np.expm1(_errors(rows, profile)))
        print(f"{role}: n={len(e)} median |error| {np.median(e):.3f}, within 15 % {np.mean(e <= 0.15):.0%}, "
              f"within 25 % {np.mean(e <= 0.25):.0%}")


if __name__ == "__main__":
    main()

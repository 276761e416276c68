"""``llmplanner detect`` and ``llmplanner check`` from the command line: the JSON contract and exit codes."""
import json
import sys

import pytest

from conftest import DATA, run_cli
from llmplanner.core.tiers import TIERS

TINY = str(DATA / "tiny_llama" / "config.json")


def test_detect_json_without_torch_has_the_contract():
    out = run_cli("detect", "--json", "--no-torch")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert {"gpus", "ram_total_bytes", "ram_available_bytes", "cpu", "tier", "notes"} <= set(d)
    assert d["tier"] in TIERS and d["tier_detail"]["tier"] == d["tier"]
    assert d["cpu"]["logical_cores"] >= 1 and d["ram_total_bytes"] > 0
    if sys.platform.startswith("linux"):
        with open("/proc/meminfo") as f:
            assert d["ram_total_bytes"] == int(f.readline().split()[1]) * 1024


def test_detect_text_shows_the_tier_with_its_figure_and_every_layer():
    out = run_cli("detect", "--no-torch")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("tier: ") and "rule: below 8 GB: cpu-only" in out.stdout
    assert "layer torch: skipped" in out.stdout and "layer nvml:" in out.stdout and "RAM: " in out.stdout


def test_check_measures_records_shows_and_resets_the_calibration(tmp_path):
    out = run_cli("check", TINY, "--device", "cpu", "--prompt-tokens", "16", "--gen-tokens", "4", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    m = d["measured"]
    assert m["peak_memory_bytes"] >= m["weights_bytes"] > 0
    assert m["prefill_tokens_per_s"] > 0 and m["decode_tokens_per_s"] > 0
    assert (m["prompt_tokens"], m["gen_tokens"], m["layers_built"]) == (16, 4, 2)
    cal_path = tmp_path / "config" / "calibration.json"  # LLMPLANNER_CONFIG_DIR of the test
    assert d["calibration"]["path"] == str(cal_path) and cal_path.exists()

    shown = json.loads(run_cli("check", "--show-calibration", "--json").stdout)["calibration"]
    (device,) = shown["devices"]
    assert device["backend"] == "cpu" and device["dtype"] == "float32" and len(device["measurements"]) == 1
    assert device["decode_bandwidth_bytes_per_s"] > 0

    reset = run_cli("check", "--reset-calibration", "--json")
    assert json.loads(reset.stdout) == {"calibration_reset": True} and not cal_path.exists()


@pytest.mark.parametrize("args, message", [
    (("--format", "q4_k_m"), "quantised or unknown format"),
    (("--device", "tpu"), "unknown device 'tpu'"),
    ((), None),
])
def test_check_bad_input_is_one_line_and_exit_code_2(args, message):
    argv = ("check", TINY, *args) if message else ("check",)
    out = run_cli(*argv)
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert (message or "name a model") in out.stderr

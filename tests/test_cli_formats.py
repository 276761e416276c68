"""``llmplanner formats``: the listing scripts rely on."""
import json

from conftest import run_cli


def test_formats_json_lists_every_format_with_its_bits_runtimes_and_quality():
    out = run_cli("formats", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert {"f16", "bf16", "q4_k_m", "nf4", "gptq-int4", "awq-int4", "fp8", "mxfp4"} <= set(rows)
    assert rows["q4_k_m"]["quality"]["model"] == "Llama-3-8B"
    assert rows["nf4"]["quality"] is None
    assert rows["gptq-int4"]["runtimes"] == ["transformers", "vllm"]
    assert rows["nf4-dq"]["bits_per_weight_4096"] == 4.1275


def test_formats_for_a_model_adds_its_size_per_format():
    out = run_cli("formats", "Llama-3-8B", "--json")
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert abs(rows["q4_k_m"]["weight_bytes"] / 2 ** 30 - 4.58) < 0.05
    assert abs(rows["q4_k_m"]["model_bits_per_weight"] - 4.89) < 0.02


def test_formats_table_and_bad_model():
    out = run_cli("formats")
    assert out.returncode == 0 and "q4_k_m" in out.stdout and "no data" in out.stdout
    bad = run_cli("formats", "--preset", "Llama-9")
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1

"""``llmplanner gpus``: the catalogue on the command line (text and JSON), filtered by vendor or looked up by name."""
import json

from conftest import run_cli


def test_gpus_json_lists_the_catalogue_with_sources():
    p = run_cli("gpus", "--json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert len(rows) >= 45
    names = {r["name"] for r in rows}
    assert {"NVIDIA GeForce RTX 4090", "NVIDIA H100 SXM5 80GB", "AMD Instinct MI300X", "Intel Arc B580"} <= names
    for r in rows:
        assert r["memory_bytes"] > 0 and r["memory_bandwidth_bytes_per_s"] > 0 and r["sources"]


def test_gpus_filters_by_vendor_and_prints_a_table():
    p = run_cli("gpus", "--vendor", "Apple")
    assert p.returncode == 0, p.stderr
    assert "Apple M2 Ultra (76-core GPU)" in p.stdout and "NVIDIA" not in p.stdout
    assert "FP16 TFLOPS" in p.stdout


def test_gpus_name_lookup_uses_the_names_drivers_report():
    p = run_cli("gpus", "--name", "NVIDIA A100-SXM4-80GB", "--json")
    assert p.returncode == 0, p.stderr
    (row,) = json.loads(p.stdout)
    assert row["id"] == "a100-sxm4-80gb" and row["memory_bandwidth_bytes_per_s"] == 2039e9


def test_unknown_gpu_or_vendor_exits_2_with_the_nearest_names():
    p = run_cli("gpus", "--name", "RTX 4090 D")
    assert p.returncode == 2 and p.stdout == ""
    assert "NVIDIA GeForce RTX 4090" in p.stderr and len(p.stderr.strip().splitlines()) == 1
    p = run_cli("gpus", "--vendor", "Matrox")
    assert p.returncode == 2 and "unknown vendor" in p.stderr

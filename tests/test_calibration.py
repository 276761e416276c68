"""The per-machine calibration store: what it derives from measurements, where it lives, how it resets."""
import json

import pytest

from llmplanner.core.calibration import CalibrationStore, Measurement, calibration_path


def _m(bytes_per_token, seconds_per_token, model="m", flops=10**12, prefill_s=0.5):
    return Measurement(model=model, layers=2, dtype="float16", decode_bytes_per_token=bytes_per_token,
                       decode_seconds_per_token=seconds_per_token, prefill_tokens=128, prefill_flops=flops,
                       prefill_seconds=prefill_s)


def test_it_lives_in_the_config_folder_given_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMPLANNER_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert calibration_path() == tmp_path / "elsewhere" / "calibration.json"
    CalibrationStore().record("cuda", "NVIDIA GeForce RTX 4090", _m(10**9, 0.001))
    assert (tmp_path / "elsewhere" / "calibration.json").exists()


def test_decode_line_recovers_bandwidth_and_fixed_cost(tmp_path):
    """Runs of different sizes on one device separate seconds = fixed + bytes / bandwidth."""
    store = CalibrationStore(tmp_path / "c.json")
    bandwidth, fixed = 900e9, 0.0015
    for size in (2 * 10**9, 8 * 10**9, 16 * 10**9):
        store.record("cuda", "NVIDIA GeForce RTX 4090", _m(size, fixed + size / bandwidth))
    fit = store.get("cuda", "NVIDIA GeForce RTX 4090", "float16").decode_fit()
    assert fit.points == 3
    assert fit.bandwidth_bytes_per_s == pytest.approx(bandwidth, rel=1e-9)
    assert fit.fixed_seconds_per_token == pytest.approx(fixed, rel=1e-9)


def test_one_run_gives_a_bandwidth_lower_bound_and_no_fixed_cost(tmp_path):
    store = CalibrationStore(tmp_path / "c.json")
    cal = store.record("cpu", "AMD EPYC", _m(4 * 10**9, 0.2))
    fit = cal.decode_fit()
    assert fit.bandwidth_bytes_per_s == pytest.approx(20e9) and fit.fixed_seconds_per_token is None


def test_prefill_compute_is_the_best_run_and_efficiency_divides_by_the_spec(tmp_path):
    store = CalibrationStore(tmp_path / "c.json")
    store.record("cuda", "NVIDIA A100-SXM4-80GB", _m(10**9, 0.001, flops=156 * 10**12, prefill_s=1.0))
    cal = store.record("cuda", "NVIDIA A100-SXM4-80GB", _m(10**9, 0.001, flops=156 * 10**12, prefill_s=2.0))
    assert cal.prefill_flops_per_s() == pytest.approx(156e12)
    eff = cal.efficiency(spec_bandwidth_bytes_per_s=2.039e12, spec_flops_per_s=312e12)
    assert eff["compute"] == pytest.approx(0.5) and eff["bandwidth"] == pytest.approx(1e12 / 2.039e12)


def test_devices_and_dtypes_are_kept_apart_and_old_runs_roll_off(tmp_path):
    store = CalibrationStore(tmp_path / "c.json")
    for i in range(25):
        store.record("cuda", "GPU A", _m(10**9 + i, 0.001))
    store.record("cpu", "CPU B", _m(10**9, 0.01))
    devices = store.devices()
    assert sorted(devices) == ["cpu|CPU B|float16", "cuda|GPU A|float16"]
    assert len(devices["cuda|GPU A|float16"].measurements) == 20
    assert devices["cuda|GPU A|float16"].measurements[-1].decode_bytes_per_token == 10**9 + 24
    assert devices["cuda|GPU A|float16"].measurements[0].measured_at  # stamped when recorded


def test_reset_deletes_it_and_a_damaged_file_reads_as_empty(tmp_path):
    path = tmp_path / "c.json"
    store = CalibrationStore(path)
    assert store.reset() is False
    store.record("cpu", "CPU", _m(10**9, 0.01))
    assert store.reset() is True and not path.exists()
    path.write_text("{not json")
    assert store.devices() == {}
    store.record("cpu", "CPU", _m(10**9, 0.01))  # rewritten whole
    assert json.loads(path.read_text())["version"] == 1

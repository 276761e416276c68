"""The per-machine calibration: what measured checks achieved on this machine's devices, kept for estimates.

Each measured check (``llmplanner check``, the Hardware tab's "Check on this machine") can record one
``Measurement`` per device and dtype: the bytes one decoded token reads and the seconds it took, and the
prefill's FLOPs and seconds. From the measurements of one device the store derives

- the achieved memory bandwidth and the fixed per-token cost, by a least-squares line through
  (bytes per token, seconds per token): ``seconds = fixed + bytes / bandwidth`` — the shape of the decode
  model in issue #3, where small models on fast GPUs are slower than bandwidth alone predicts. With one
  measurement (or sizes within 20 % of each other) the bandwidth is bytes/seconds, a lower bound, and the
  fixed cost is unknown (None);
- the achieved prefill FLOP/s (the best of the measurements: prefill is compute-bound, slower runs are
  interference);

and, given a device's spec-sheet figures, their efficiencies (``efficiency``). It is a JSON file in the user's
config folder (platformdirs ``user_config_dir('llmplanner')``, or ``$LLMPLANNER_CONFIG_DIR``), shown by
``llmplanner check --show-calibration`` and deleted by ``--reset-calibration``.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 1
FILE_NAME = "calibration.json"
MAX_MEASUREMENTS_PER_DEVICE = 20


def config_dir() -> Path:
    override = os.environ.get("LLMPLANNER_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("llmplanner", appauthor=False))


def calibration_path() -> Path:
    return config_dir() / FILE_NAME


def device_key(backend: str, device_name: str, dtype: str) -> str:
    return f"{backend}|{device_name}|{dtype}"


@dataclass(frozen=True)
class Measurement:
    model: str
    layers: int
    dtype: str
    decode_bytes_per_token: int
    decode_seconds_per_token: float
    prefill_tokens: int
    prefill_flops: int
    prefill_seconds: float
    measured_at: str = ""
    versions: dict = field(default_factory=dict)

    @property
    def decode_bytes_per_s(self) -> float:
        return self.decode_bytes_per_token / self.decode_seconds_per_token

    @property
    def prefill_flops_per_s(self) -> float:
        return self.prefill_flops / self.prefill_seconds


@dataclass(frozen=True)
class DecodeFit:
    bandwidth_bytes_per_s: float
    fixed_seconds_per_token: float | None
    """None when the measurements cannot separate it from the bandwidth term."""
    points: int
    method: str


@dataclass(frozen=True)
class DeviceCalibration:
    key: str
    backend: str
    device_name: str
    dtype: str
    measurements: tuple[Measurement, ...] = ()

    def decode_fit(self) -> DecodeFit | None:
        """Bandwidth and fixed per-token cost from the decode measurements (see the module docstring)."""
        ms = self.measurements
        if not ms:
            return None
        xs = [float(m.decode_bytes_per_token) for m in ms]
        ys = [m.decode_seconds_per_token for m in ms]
        if len(ms) >= 2 and max(xs) > 1.2 * min(xs):
            n = len(ms)
            mx, my = sum(xs) / n, sum(ys) / n
            sxx = sum((x - mx) ** 2 for x in xs)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
            fixed = my - slope * mx
            if slope > 0 and fixed >= 0:
                return DecodeFit(1.0 / slope, fixed, n, "least-squares line through (bytes, seconds) per token")
        largest = max(ms, key=lambda m: m.decode_bytes_per_token)
        return DecodeFit(largest.decode_bytes_per_s, None, 1,
                         "bytes per token / seconds per token of the largest run (fixed cost not separable)")

    def prefill_flops_per_s(self) -> float | None:
        return max((m.prefill_flops_per_s for m in self.measurements), default=None)

    def efficiency(self, spec_bandwidth_bytes_per_s: float | None = None,
                   spec_flops_per_s: float | None = None) -> dict:
        """Achieved over spec-sheet figures (the catalogue's bandwidth and dense FLOP/s for this dtype)."""
        fit = self.decode_fit()
        flops = self.prefill_flops_per_s()
        return {
            "bandwidth": fit.bandwidth_bytes_per_s / spec_bandwidth_bytes_per_s
            if fit and spec_bandwidth_bytes_per_s else None,
            "compute": flops / spec_flops_per_s if flops and spec_flops_per_s else None,
        }

    def as_dict(self) -> dict:
        fit = self.decode_fit()
        return {
            "key": self.key, "backend": self.backend, "device_name": self.device_name, "dtype": self.dtype,
            "decode_bandwidth_bytes_per_s": fit.bandwidth_bytes_per_s if fit else None,
            "decode_fixed_seconds_per_token": fit.fixed_seconds_per_token if fit else None,
            "decode_fit": fit.method if fit else None,
            "prefill_flops_per_s": self.prefill_flops_per_s(),
            "measurements": [asdict(m) for m in self.measurements],
        }


class CalibrationStore:
    """The calibration file: read it, add a measurement, reset it. Writes are atomic (temp file + rename)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else calibration_path()

    def devices(self) -> dict[str, DeviceCalibration]:
        data = self._read()
        out = {}
        for key, d in data.get("devices", {}).items():
            try:
                ms = tuple(Measurement(**m) for m in d.get("measurements", ()))
                out[key] = DeviceCalibration(key, d["backend"], d["device_name"], d["dtype"], ms)
            except (TypeError, KeyError):
                continue  # an entry from another version of the app: ignored, not fatal
        return out

    def get(self, backend: str, device_name: str, dtype: str) -> DeviceCalibration | None:
        return self.devices().get(device_key(backend, device_name, dtype))

    def record(self, backend: str, device_name: str, measurement: Measurement) -> DeviceCalibration:
        if not measurement.measured_at:
            stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
            measurement = Measurement(**{**asdict(measurement), "measured_at": stamp})
        key = device_key(backend, device_name, measurement.dtype)
        devices = self.devices()
        old = devices.get(key)
        ms = ((old.measurements if old else ()) + (measurement,))[-MAX_MEASUREMENTS_PER_DEVICE:]
        devices[key] = DeviceCalibration(key, backend, device_name, measurement.dtype, ms)
        self._write(devices)
        return devices[key]

    def reset(self) -> bool:
        """Delete the file; True if there was one."""
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False

    def as_dict(self) -> dict:
        return {"path": str(self.path), "machine": platform.node(),
                "devices": [d.as_dict() for d in self.devices().values()]}

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # a damaged file is treated as empty; the next record rewrites it
        return data if isinstance(data, dict) and data.get("version") == FORMAT_VERSION else {}

    def _write(self, devices: dict[str, DeviceCalibration]) -> None:
        payload = {"version": FORMAT_VERSION, "machine": platform.node(),
                   "devices": {k: {"backend": d.backend, "device_name": d.device_name, "dtype": d.dtype,
                                   "measurements": [asdict(m) for m in d.measurements]}
                               for k, d in devices.items()}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".calibration-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(payload, f, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

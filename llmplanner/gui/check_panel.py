"""Check on this machine: build the plan's model with random weights, run it, and set the measurement beside
the estimate; the per-machine calibration the checks build up, visible and resettable.

The measurement (``llmplanner.measure.run_check``) imports torch and takes seconds to minutes: it runs on a
thread of its own, reports progress through a relay object that lives on the GUI thread (queued signals), and
stops at the next step when Cancel is pressed (``CheckState.request_interruption``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.calibration import CalibrationStore
from ..core.errors import PlannerError
from . import format as fmt
from .hardware_tables import RIGHT, Cell, Row, RowsTable, tokens_per_s
from .qt import QtCore, QtWidgets, Signal, Slot

DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class CheckOutcome:
    result: object
    """``measure.CheckResult``."""
    comparison: dict
    """``measure.compare.compare_with_estimate``."""
    speed: dict | None
    """``measure.compare.speed_estimate``."""
    recorded: bool


def run_and_compare(model, options, state, target, record: bool, store_path=None) -> CheckOutcome:
    """Worker function: the check, the estimates for what it built, and (if asked) the calibration record."""
    from ..measure import run_check
    from ..measure.compare import compare_with_estimate, speed_estimate

    result = run_check(model, options, state)
    comparison = compare_with_estimate(result)
    speed = speed_estimate(result, target) if target is not None else None
    if record:
        CalibrationStore(store_path).record(result.backend, result.device_name, result.calibration_measurement())
    return CheckOutcome(result, comparison, speed, record)


class _Relay(QtCore.QObject):
    """Created on the GUI thread; the check's thread emits through it (queued to the GUI thread)."""

    progress_changed = Signal(float, str)
    check_finished = Signal(object)
    check_failed = Signal(str)
    check_cancelled = Signal()


class _CheckJob(QtCore.QRunnable):
    def __init__(self, fn, args, relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._args, self._relay = fn, args, relay

    def run(self) -> None:  # the check's thread
        from ..measure import CheckCancelled

        try:
            outcome = self._fn(*self._args)
        except CheckCancelled:
            self._emit(self._relay.check_cancelled)
        except PlannerError as e:
            self._emit(self._relay.check_failed, str(e))
        except Exception as e:  # noqa: BLE001 - reported on the GUI thread
            from .errors import report_exception

            self._emit(self._relay.check_failed, f"{type(e).__name__}: {e}")
            report_exception(e)
        else:
            self._emit(self._relay.check_finished, outcome)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the panel was closed meanwhile
            pass


class CheckPanel(QtWidgets.QWidget):
    check_started = Signal()
    check_done = Signal(object)
    """A ``CheckOutcome``."""
    check_stopped = Signal(str)
    """The check failed (the message) or was cancelled ('')."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.progress_changed.connect(self._on_relay_progress_changed)
        self._relay.check_finished.connect(self._on_relay_check_finished)
        self._relay.check_failed.connect(self._on_relay_check_failed)
        self._relay.check_cancelled.connect(self._on_relay_check_cancelled)
        self._state = None
        self.outcome: CheckOutcome | None = None
        self.model = None
        self.target = None

        intro = QtWidgets.QLabel(self.tr(
            "Builds the plan's model with random weights on this machine (fewer layers of the same width when the "
            "whole model does not fit), runs a prefill and a decode with a KV cache, and measures peak memory and "
            "tokens/s. Needs torch."))
        intro.setWordWrap(True)
        self.device_combo = QtWidgets.QComboBox()
        for d in DEVICES:
            self.device_combo.addItem(d, d)
        self.device_combo.setToolTip(self.tr("auto: a CUDA/ROCm GPU, else Apple MPS, else the CPU."))
        self.prompt_spin = QtWidgets.QSpinBox()
        self.prompt_spin.setRange(1, 1 << 16)
        self.prompt_spin.setValue(128)
        self.prompt_spin.setSuffix(self.tr(" tokens"))
        self.prompt_spin.setToolTip(self.tr("Tokens in the measured prefill."))
        self.gen_spin = QtWidgets.QSpinBox()
        self.gen_spin.setRange(1, 4096)
        self.gen_spin.setValue(32)
        self.gen_spin.setSuffix(self.tr(" tokens"))
        self.gen_spin.setToolTip(self.tr("Tokens decoded after the prompt."))
        self.record_box = QtWidgets.QCheckBox(self.tr("&Record in this machine's calibration"))
        self.record_box.setChecked(True)
        self.record_box.setToolTip(self.tr("Keep the achieved bandwidth and FLOP/s for this device and dtype."))
        self.run_button = QtWidgets.QPushButton(self.tr("Check on this &machine"))
        self.run_button.setObjectName("check_button")
        self.run_button.setToolTip(self.tr("Measure the plan's model here (takes seconds to minutes)."))
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.cancel_button = QtWidgets.QPushButton(self.tr("C&ancel"))
        self.cancel_button.setObjectName("cancel_check")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip(self.tr("Stop the measurement at its next step; nothing is recorded."))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("check_status")

        options = QtWidgets.QHBoxLayout()
        for text, w in ((self.tr("De&vice:"), self.device_combo), (self.tr("&Prompt:"), self.prompt_spin),
                        (self.tr("&Generate:"), self.gen_spin)):
            label = QtWidgets.QLabel(text)
            label.setBuddy(w)
            options.addWidget(label)
            options.addWidget(w)
        options.addWidget(self.record_box)
        options.addStretch(1)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)

        self.result_table = RowsTable([
            (self.tr("Quantity"), ""), (self.tr("Measured"), self.tr("What the check measured here.")),
            (self.tr("Estimated"), self.tr("The engines' estimate for exactly what the check built and ran "
                                           "(transformers runtime).")),
            (self.tr("Difference"), self.tr("(estimated − measured) ÷ measured."))], stretch=0)
        self.result_table.setObjectName("check_results")
        self.result_notes = QtWidgets.QLabel()
        self.result_notes.setWordWrap(True)

        cal_box = QtWidgets.QGroupBox(self.tr("This machine's calibration"))
        self.calibration_table = RowsTable([
            (self.tr("Device"), ""), (self.tr("Type"), self.tr("The dtype the checks ran in.")),
            (self.tr("Runs"), self.tr("Measurements kept (the last 20).")),
            (self.tr("Decode bandwidth"), self.tr("Bytes a decoded token reads ÷ seconds per token, GB/s (a "
                                                  "least-squares line through the runs when their sizes differ); "
                                                  "in brackets, the share of the spec-sheet bandwidth.")),
            (self.tr("Fixed cost"), self.tr("Seconds per token that do not depend on size (launches, Python), ms.")),
            (self.tr("Prefill compute"), self.tr("Achieved prefill FLOP/s, TFLOP/s; in brackets, the share of the "
                                                 "spec-sheet peak."))], stretch=0)
        self.calibration_table.setObjectName("calibration_table")
        self.calibration_path = QtWidgets.QLabel()
        self.calibration_path.setWordWrap(True)
        self.calibration_path.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset_button = QtWidgets.QPushButton(self.tr("R&eset calibration"))
        self.reset_button.setObjectName("reset_calibration")
        self.reset_button.setToolTip(self.tr("Delete this machine's calibration file."))
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        cal = QtWidgets.QVBoxLayout(cal_box)
        cal.addWidget(self.calibration_table, 1)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.calibration_path, 1)
        row.addWidget(self.reset_button)
        cal.addLayout(row)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(options)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.result_table, 2)
        layout.addWidget(self.result_notes)
        layout.addWidget(cal_box, 2)
        self.refresh_calibration()

    # -- inputs ------------------------------------------------------------------------------------------------
    def set_inputs(self, model, target) -> None:
        """The plan's loaded model and this machine's ``Target`` (None until detected)."""
        self.model = model
        self.target = target

    @property
    def is_running(self) -> bool:
        return self._state is not None

    # -- running -----------------------------------------------------------------------------------------------
    def start(self) -> None:
        from ..measure import CheckOptions, CheckState

        if self.model is None or self._state is not None:
            return
        options = CheckOptions(device=self.device_combo.currentData(), prompt_tokens=self.prompt_spin.value(),
                               gen_tokens=self.gen_spin.value())
        relay = self._relay
        self._state = CheckState(lambda percent, text: _CheckJob._emit(relay.progress_changed, percent, text))
        self.outcome = None
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(self.tr("Starting…"))
        self.check_started.emit()
        self._pool.start(_CheckJob(run_and_compare, (self.model, options, self._state, self.target,
                                                     self.record_box.isChecked()), self._relay))

    def cancel(self) -> None:
        if self._state is not None:
            self._state.request_interruption()
            self.status.setText(self.tr("Cancelling at the next step…"))
            self.cancel_button.setEnabled(False)

    def wait_done(self, timeout_ms: int = 60000) -> bool:
        return self._pool.waitForDone(timeout_ms)

    def _finish(self) -> None:
        self._state = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    @Slot()
    def _on_run_button_clicked(self) -> None:
        self.start()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    @Slot(float, str)
    def _on_relay_progress_changed(self, percent: float, text: str) -> None:
        if self._state is None:
            return
        self.progress.setValue(int(percent))
        self.status.setText(text)

    @Slot(object)
    def _on_relay_check_finished(self, outcome: CheckOutcome) -> None:
        self._finish()
        self.outcome = outcome
        self.progress.setValue(100)
        r = outcome.result
        scaled = self.tr(" (scaled: {0} of {1} layers)").format(r.layers_built, r.layers_total) if r.scaled else ""
        self.status.setText(self.tr("Measured {0} on {1} ({2}, {3}){4}.").format(
            r.model, r.device_name, r.device, r.format, scaled))
        self.show_outcome(outcome)
        self.refresh_calibration()
        self.check_done.emit(outcome)

    @Slot(str)
    def _on_relay_check_failed(self, message: str) -> None:
        self._finish()
        self.status.setText(self.tr("The check failed: {0}").format(message))
        self.check_stopped.emit(message)

    @Slot()
    def _on_relay_check_cancelled(self) -> None:
        self._finish()
        self.progress.setValue(0)
        self.status.setText(self.tr("Cancelled: nothing was recorded."))
        self.check_stopped.emit("")

    # -- results -----------------------------------------------------------------------------------------------
    def show_outcome(self, o: CheckOutcome) -> None:
        r, c = o.result, o.comparison

        def diff(est, meas):
            return "–" if est is None or not meas else f"{(est - meas) / meas:+.1%}"

        rows = [
            (self.tr("Peak memory"), fmt.memory(c["measured_peak_bytes"]), fmt.memory(c["estimated_peak_bytes"]),
             diff(c["estimated_peak_bytes"], c["measured_peak_bytes"]), r.memory_method),
            (self.tr("Weights"), fmt.memory(c["measured_weights_bytes"]), fmt.memory(c["estimated_weights_bytes"]),
             diff(c["estimated_weights_bytes"], c["measured_weights_bytes"]), ""),
            (self.tr("KV cache ({0} + {1} tokens)").format(r.prompt_tokens, r.gen_tokens),
             fmt.memory(c["measured_kv_cache_bytes"]), fmt.memory(c["estimated_kv_cache_bytes"]),
             diff(c["estimated_kv_cache_bytes"], c["measured_kv_cache_bytes"]), ""),
        ]
        s = o.speed or {}
        for title, measured, key in ((self.tr("Prefill"), r.prefill_tokens_per_s, "prefill_tokens_per_s"),
                                     (self.tr("Decode"), r.decode_tokens_per_s, "decode_tokens_per_s")):
            rows.append((title, tokens_per_s(measured), tokens_per_s(s.get(key)), diff(s.get(key), measured),
                         s.get("device", "")))
        self.result_table.set_rows([Row((Cell(q, tip), Cell(m, tip, RIGHT), Cell(e, tip, RIGHT), Cell(d, tip, RIGHT)))
                                    for q, m, e, d, tip in rows])
        notes = list(r.notes)
        if o.speed is None:
            notes.append(self.tr("No speed estimate: the device is not in the hardware catalogue."))
        self.result_notes.setText("\n".join(f"• {n}" for n in notes))

    def _spec(self, backend: str, dtype: str):
        """(bandwidth B/s, FLOP/s) of the spec sheet for a calibrated device, when known."""
        t = self.target
        if t is None:
            return None, None
        acc = t.host if backend == "cpu" else t.accelerator
        if acc is None:
            return None, None
        if backend == "cpu":
            flops = acc.fp32_flops if dtype == "float32" else acc.fp16_tensor_flops
        else:
            flops = acc.bf16_tensor_flops if dtype == "bfloat16" and acc.bf16_tensor_flops else acc.fp16_tensor_flops
        return acc.memory_bandwidth, flops

    def refresh_calibration(self) -> None:
        store = CalibrationStore()
        rows = []
        for d in store.devices().values():
            fit = d.decode_fit()
            bw, fl = self._spec(d.backend, d.dtype)
            eff = d.efficiency(bw, fl)
            flops = d.prefill_flops_per_s()

            def share(x):
                return "" if x is None else f" ({x:.0%})"

            rows.append(Row((
                Cell(d.device_name, d.key), Cell(d.dtype), Cell(str(len(d.measurements)), align=RIGHT),
                Cell("–" if fit is None else f"{fit.bandwidth_bytes_per_s / 1e9:,.2f} GB/s{share(eff['bandwidth'])}",
                     "" if fit is None else fit.method, RIGHT),
                Cell("–" if fit is None or fit.fixed_seconds_per_token is None
                     else f"{fit.fixed_seconds_per_token * 1e3:,.2f} ms", align=RIGHT),
                Cell("–" if flops is None else f"{flops / 1e12:,.3f} TFLOP/s{share(eff['compute'])}", align=RIGHT),
            ), key=d.key))
        self.calibration_table.set_rows(rows)
        self.calibration_path.setText(self.tr("File: {0}").format(store.path) if rows else
                                      self.tr("No measurements yet (file: {0}).").format(store.path))
        self.reset_button.setEnabled(bool(rows))

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        answer = QtWidgets.QMessageBox.question(
            self, self.tr("Reset calibration"),
            self.tr("Delete this machine's calibration ({0} device entries)?").format(
                self.calibration_table.rows_model.rowCount()))
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            CalibrationStore().reset()
            self.refresh_calibration()

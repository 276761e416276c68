"""The scaling-law panel: where a model of this size sits relative to Chinchilla's compute optimum.

Numbers from ``llmplanner.core.scaling`` (Hoffmann et al. 2022, arXiv:2203.15556; Kaplan et al. 2020,
arXiv:2001.08361). N is the total parameter count, as Chinchilla counted it (embeddings included; Pearce &
Song 2024, arXiv:2406.12907, "Reconciling Kaplan and Chinchilla scaling laws"); training compute uses the
parameters a token passes through (the active ones, which differ from the total only for mixtures of
experts, where the dense fit is an extrapolation and says so).
"""
from __future__ import annotations

import math

from ..core import scaling
from ..core.report import ReportTable
from . import format as fmt
from .charts import LossCurve
from .qt import QtWidgets, Signal, Slot

MAX_TOKENS_B = 1e6
"""A quadrillion tokens: far beyond any corpus, the spin box's ceiling."""


class ScalingPanel(QtWidgets.QWidget):
    tokens_changed = Signal(float)
    """The user chose a training token count (0: Chinchilla's 20 per parameter)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._params = 0
        self._active = 0
        self.tokens = QtWidgets.QDoubleSpinBox()
        self.tokens.setObjectName("training_tokens")
        self.tokens.setDecimals(1)
        self.tokens.setRange(0.0, MAX_TOKENS_B)
        self.tokens.setSpecialValueText(self.tr("20 per parameter (Chinchilla)"))
        self.tokens.setSuffix(self.tr(" billion tokens"))
        self.tokens.setGroupSeparatorShown(True)
        self.tokens.setKeyboardTracking(False)
        self.tokens.setToolTip(self.tr("Training tokens D, in billions (10⁹). Llama 3 was trained on 15,000 "
                                       "billion. 0 uses Chinchilla's 20 tokens per parameter."))
        self.tokens.valueChanged.connect(self._on_tokens_value_changed)
        reset = QtWidgets.QPushButton(self.tr("Chinchilla-optimal"))
        reset.setToolTip(self.tr("Set the tokens to 20 per parameter, Chinchilla's compute-optimal ratio."))
        reset.clicked.connect(self._on_reset_clicked)
        top = QtWidgets.QHBoxLayout()
        label = QtWidgets.QLabel(self.tr("&Training tokens:"))
        label.setBuddy(self.tokens)
        top.addWidget(label)
        top.addWidget(self.tokens, 1)
        top.addWidget(reset)

        self.values: dict[str, QtWidgets.QLabel] = {}
        self.captions: dict[str, str] = {}
        grid = QtWidgets.QFormLayout()
        rows = (
            ("compute", self.tr("Training compute (6·N·D)"),
             self.tr("Floating-point operations to train: 6 per parameter per token (forward 2, backward 4; "
                     "Kaplan et al. 2020).")),
            ("ratio", self.tr("Tokens per parameter"),
             self.tr("D ÷ N. Chinchilla's compute-optimal models use about 20.")),
            ("optimal", self.tr("Compute-optimal tokens"),
             self.tr("Tokens that make this size compute-optimal: 20 per parameter (Hoffmann et al. 2022, "
                     "Table 3) and the parametric fit (their Approach 3).")),
            ("loss", self.tr("Predicted loss"),
             self.tr("Chinchilla's fit L = E + A/N^α + B/D^β, in nats per token on their MassiveText data; "
                     "compare differences, not absolute values, with other datasets.")),
            ("optimal_size", self.tr("Compute-optimal size for this budget"),
             self.tr("The parameter count Chinchilla's fit prefers for the same training compute.")),
            ("verdict", self.tr("Where this model sits"),
             self.tr("Training past the compute optimum buys a smaller, cheaper-to-run model for more training "
                     "compute; Llama 3 8B used about 1,900 tokens per parameter.")),
        )
        for key, title, tip in rows:
            value = QtWidgets.QLabel("–")
            value.setWordWrap(True)
            value.setToolTip(tip)
            caption = QtWidgets.QLabel(self.tr("{0}:").format(title))
            caption.setToolTip(tip)
            self.values[key] = value
            self.captions[key] = title
            grid.addRow(caption, value)
        self.note = QtWidgets.QLabel(wordWrap=True)
        self.chart = LossCurve()
        self.chart.setToolTip(self.tr("Predicted loss of this model size against training tokens. Dot: the "
                                      "chosen tokens; dashed line: 20 tokens per parameter."))
        left = QtWidgets.QVBoxLayout()
        left.addLayout(top)
        left.addLayout(grid)
        left.addWidget(self.note)
        left.addStretch(1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.chart, 2)

    def set_tokens(self, tokens_billion: float) -> None:
        self.tokens.blockSignals(True)
        self.tokens.setValue(tokens_billion)
        self.tokens.blockSignals(False)
        self._refresh()

    def set_model(self, total_params: int, active_params: int) -> None:
        if (total_params, active_params) == (self._params, self._active):
            return  # a context change: nothing here depends on it
        self._params = total_params
        self._active = active_params
        self._refresh()

    @Slot(float)
    def _on_tokens_value_changed(self, value: float) -> None:
        self._refresh()
        self.tokens_changed.emit(value)

    @Slot()
    def _on_reset_clicked(self) -> None:
        self.tokens.setValue(0.0)

    def chosen_tokens(self) -> float:
        v = self.tokens.value()
        return v * 1e9 if v > 0 else scaling.TOKENS_PER_PARAM * self._params

    def report(self):
        n = self._params
        if n <= 0:
            return None
        d = self.chosen_tokens()
        r = scaling.scaling_report(n, d)
        compute = scaling.training_flops(self._active, d)
        n_opt, d_opt = scaling.optimal_params_for_compute(compute)
        return r, compute, n_opt, d_opt

    def _refresh(self) -> None:
        result = self.report()
        if result is None:
            return
        r, compute, n_opt, d_opt = result
        v = self.values
        v["compute"].setText(self.tr("{0} FLOP").format(fmt.scientific(compute)))
        v["ratio"].setText(f"{r.tokens_per_param:,.1f}")
        v["optimal"].setText(self.tr("{0} tokens (20 per parameter); {1} tokens (fit)").format(
            fmt.short_count(r.optimal_tokens_20x), fmt.short_count(r.optimal_tokens_fit)))
        v["loss"].setText(self.tr("{0:.3f} nats/token (at the 20× optimum: {1:.3f})").format(
            r.loss, r.loss_at_optimum_20x))
        v["optimal_size"].setText(self.tr("{0} parameters on {1} tokens").format(
            fmt.short_count(n_opt), fmt.short_count(d_opt)))
        ratio = r.tokens / r.optimal_tokens_20x
        if 0.8 <= ratio <= 1.25:
            verdict = self.tr("at the compute optimum")
        elif ratio > 1:
            verdict = self.tr("trained {0:.1f}× past the compute optimum (smaller and cheaper to run than a "
                              "compute-optimal model of the same training cost)").format(ratio)
        else:
            verdict = self.tr("under-trained: {0:.0%} of the compute-optimal tokens").format(ratio)
        v["verdict"].setText(verdict)
        self.note.setText(self.tr("Mixture of experts: the Chinchilla fit is for dense models; compute counts the "
                                  "{0} active parameters.").format(fmt.short_count(self._active))
                          if self._active != self._params else "")
        lo = math.log10(max(r.optimal_tokens_20x / 100, 1e6))
        hi = math.log10(max(r.optimal_tokens_20x * 1000, r.tokens * 3))
        xs = [lo + (hi - lo) * i / 80 for i in range(81)]
        ys = [scaling.chinchilla_loss(r.params, 10 ** x) for x in xs]
        self.chart.set_curve(xs, ys, (math.log10(r.tokens), r.loss), math.log10(r.optimal_tokens_20x))

    def report_table(self) -> ReportTable | None:
        if self.report() is None:
            return None
        rows = tuple((self.captions[key], label.text()) for key, label in self.values.items())
        return ReportTable(self.tr("Scaling law"), (self.tr("Quantity"), self.tr("Value")), rows)

"""Measured quantisation error: a weight sample quantised in every format of the runtime, RMSE / SQNR per
format and the error histogram — the precision comparison computed, not only looked up.

The panel only shows; the Precision tab owns the worker (``format_errors.measure_errors``) and hands the
panel its ``ErrorTable``, its progress and its state.
"""
from __future__ import annotations

import math

from ..core.format_errors import STUDENT_T_DOF, ErrorTable, SampleSpec
from .precision_charts import ErrorHistogram
from .qt import QtCore, QtWidgets, Signal, Slot
from .widgets import FieldMessage, compact_rows


class QuantErrorPanel(QtWidgets.QWidget):
    measure_requested = Signal(object)
    """A ``SampleSpec`` to measure (the user pressed Measure or changed the sample)."""
    cancel_requested = Signal()

    COLUMNS = 7

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.table_data: ErrorTable | None = None
        self._model_path: str | None = None
        self._tensor_names: tuple[str, ...] = ()
        self._current_format: str | None = None

        self.sample = QtWidgets.QComboBox()
        self.sample.setObjectName("error_sample")
        self.sample.addItem(self.tr("Gaussian sample (std 0.02)"), "gaussian")
        self.sample.addItem(self.tr("Heavy-tailed sample (Student-t, ν = {0:g})").format(STUDENT_T_DOF), "student-t")
        self.sample.addItem(self.tr("A tensor of the model's safetensors file"), "tensor")
        self.sample.setCurrentIndex(1)
        self.sample.setToolTip(self.tr(
            "The weights to quantise. Trained weights have heavier tails than a Gaussian (a few large values per "
            "row), which the Student-t sample imitates; a real tensor is read from the model's file when the "
            "plan's model is a local safetensors checkpoint (only that tensor, at most 2 M values)."))
        self.tensor = QtWidgets.QComboBox()
        self.tensor.setObjectName("error_tensor")
        self.tensor.setEditable(False)
        self.tensor.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tensor.setMinimumContentsLength(24)
        self.tensor.setToolTip(self.tr("Which tensor of the checkpoint to read (its first rows, up to 2 M values)."))
        self.measure = QtWidgets.QPushButton(self.tr("&Measure"))
        self.measure.setToolTip(self.tr("Quantise the sample in every format of the runtime with numpy and "
                                        "measure the error (a second or two)."))
        self.cancel = QtWidgets.QPushButton(self.tr("Cancel"))
        self.cancel.setEnabled(False)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 14)
        self.progress.setVisible(False)
        self.sample_message = FieldMessage()
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel(self.tr("Sa&mple:")))
        top.itemAt(0).widget().setBuddy(self.sample)
        top.addWidget(self.sample)
        top.addWidget(self.tensor, 1)
        top.addWidget(self.measure)
        top.addWidget(self.cancel)
        top.addWidget(self.progress)
        top.addStretch(0)

        self.description = QtWidgets.QLabel(self.tr("Press Measure to quantise a sample in every format."))
        self.description.setWordWrap(True)

        self.table = QtWidgets.QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("error_table")
        self.table.setHorizontalHeaderLabels([
            self.tr("Format"), self.tr("RMSE"), self.tr("SQNR\n(dB)"), self.tr("Bits per\nweight"),
            self.tr("Largest\nerror"), self.tr("Simulated\nas"), self.tr("Note")])
        header_tips = [
            self.tr("The weight format."),
            self.tr("Root-mean-square error between the weights and their quantised values, in the weights' own "
                    "unit: lower is better."),
            self.tr("Signal-to-quantisation-noise ratio, 10·log₁₀(Σx² / Σ(x − x̂)²), in decibels: higher is better; "
                    "every 6 dB is about one bit."),
            self.tr("Storage per weight including the scales, for this sample's shape (bits)."),
            self.tr("The largest absolute error of any single weight."),
            self.tr("The quantisation scheme simulated (a llama.cpp mix is measured in its main tensor type)."),
            self.tr("What the simulation leaves out, or why a format could not be simulated."),
        ]
        for c, tip in enumerate(header_tips):
            self.table.horizontalHeaderItem(c).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        compact_rows(self.table)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for c in range(self.COLUMNS - 1):
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)

        self.histogram = ErrorHistogram()
        self.histogram.setToolTip(self.tr("How the rounding errors are spread: the plan's format and the format "
                                          "selected in the table."))
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.histogram)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        em = self.fontMetrics().horizontalAdvance("M")
        split.setSizes([em * 52, em * 30])

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sample_message)
        layout.addWidget(self.description)
        layout.addWidget(split, 1)

        self.sample.activated.connect(self._on_sample_activated)
        self.tensor.activated.connect(self._on_sample_activated)
        self.measure.clicked.connect(self._on_measure_clicked)
        self.cancel.clicked.connect(self.cancel_requested)
        self._update_sample_widgets()

    # -- inputs ------------------------------------------------------------------------------------------------
    def set_model_file(self, path: str | None) -> None:
        """The plan's safetensors checkpoint (None when the model is not one)."""
        if path == self._model_path:
            return
        self._model_path = path
        self._tensor_names = ()
        self.tensor.clear()
        if path is None and self.sample.currentData() == "tensor":
            self.sample.setCurrentIndex(1)
        self._update_sample_widgets()

    def set_current_format(self, format_id: str) -> None:
        if format_id != self._current_format:
            self._current_format = format_id
            self._show_histograms()

    def spec(self) -> SampleSpec:
        kind = self.sample.currentData()
        if kind == "tensor":
            return SampleSpec("tensor", path=self._model_path, tensor=self.tensor.currentData())
        return SampleSpec(kind)

    def _update_sample_widgets(self) -> None:
        model = self.sample.model()
        item = model.item(2)
        item.setEnabled(self._model_path is not None)
        item.setToolTip("" if self._model_path else self.tr("Open a model folder or .safetensors file to sample "
                                                            "its real weights."))
        self.tensor.setVisible(self.sample.currentData() == "tensor")

    # -- state from the tab ------------------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.cancel.setEnabled(running)
        self.measure.setEnabled(not running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("{0} of {1}").format(done, total))

    def show_message(self, text: str) -> None:
        self.sample_message.show_message(text)

    def show_cancelled(self) -> None:
        self.set_running(False)
        self.description.setText(self.tr("Cancelled. Press Measure to run it again."))

    def show_table(self, table: ErrorTable) -> None:
        self.table_data = table
        self.set_running(False)
        self.sample_message.clear_message()
        names = table.sample.tensor_names
        if names and names != self._tensor_names:
            self._tensor_names = names
            self.tensor.blockSignals(True)
            self.tensor.clear()
            for n in names:
                self.tensor.addItem(n, n)
            self.tensor.blockSignals(False)
        if table.sample.tensor is not None:
            self.tensor.setCurrentIndex(max(0, self.tensor.findData(table.sample.tensor)))
        self.description.setText(self.tr("Sample: {0}. Each format quantises it and dequantises it again with "
                                         "numpy, as its reference implementation does; a llama.cpp mix (Q4_K_M …) "
                                         "is measured in its main tensor type.").format(table.sample.description))
        rows = table.rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            res = row.result
            if res is None:
                cells = [row.format.label, "–", "–", "–", "–", "–", row.error or ""]
            else:
                sqnr = "∞" if math.isinf(res.sqnr_db) else f"{res.sqnr_db:.2f}"
                bpw = "–" if res.bits_per_weight is None else f"{res.bits_per_weight:.3f}"
                cells = [row.format.label, f"{res.rmse:.3e}", sqnr, bpw, f"{res.max_abs:.3e}", res.scheme, res.note]
            for c, text in enumerate(cells):
                item = self.table.item(r, c)
                if item is None:
                    item = QtWidgets.QTableWidgetItem()
                    align = QtCore.Qt.AlignmentFlag.AlignLeft if c in (0, 5, 6) else QtCore.Qt.AlignmentFlag.AlignRight
                    item.setTextAlignment(align | QtCore.Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
                item.setText(text)
                item.setToolTip(text if c == 6 else "")
        self.table.blockSignals(False)
        self._show_histograms()

    def rmse(self, format_id: str) -> float | None:
        """The measured RMSE of ``format_id`` (tests, reports)."""
        row = self.table_data.row(format_id) if self.table_data is not None else None
        return row.result.rmse if row is not None and row.result is not None else None

    def _selected_format(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.table_data is None:
            return None
        return self.table_data.rows[rows[0].row()].format.id

    def _show_histograms(self) -> None:
        if self.table_data is None:
            return
        series = []
        for fid in dict.fromkeys(f for f in (self._current_format, self._selected_format()) if f):
            row = self.table_data.row(fid)
            if row is not None and row.result is not None:
                series.append((row.format.label, row.result.hist_edges, row.result.hist_counts))
        self.histogram.set_histograms(series)

    # -- slots -------------------------------------------------------------------------------------------------
    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        self._show_histograms()

    @Slot(int)
    def _on_sample_activated(self, _index: int) -> None:
        self._update_sample_widgets()
        self.measure_requested.emit(self.spec())

    @Slot()
    def _on_measure_clicked(self) -> None:
        self.measure_requested.emit(self.spec())

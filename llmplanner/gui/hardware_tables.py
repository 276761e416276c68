"""The Hardware tab's tables: one small read-only model for rows of cells, and the rows each table shows.

Every cell says its unit (GiB, tokens, tokens/s, GB/s) and carries a tooltip with where the number comes from.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.recommend import READING_TOKENS_PER_S, FormatOption
from . import format as fmt
from .qt import QtCore, QtGui, QtWidgets, translate
from .widgets import compact_rows

LEFT = int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Cell:
    text: str
    tooltip: str = ""
    align: int = LEFT


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    key: str = ""
    """What the row stands for (a format id, a preset name …)."""
    emphasis: str = ""
    """``best`` (highlighted), ``warning`` or ``muted``."""


class RowsModel(QtCore.QAbstractTableModel):
    """Rows of ``Cell``s under translated column titles (each with a tooltip)."""

    def __init__(self, columns: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self._columns = columns
        self._rows: list[Row] = []

    @property
    def rows(self) -> list[Row]:
        return self._rows

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QtCore.QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def text(self, row: int, column: int) -> str:
        return self._rows[row].cells[column].text

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        cell = row.cells[index.column()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip or None
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            return cell.align
        if role == QtCore.Qt.ItemDataRole.FontRole and row.emphasis == "best":
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == QtCore.Qt.ItemDataRole.BackgroundRole and row.emphasis == "best":
            pal = QtWidgets.QApplication.palette()
            base, accent = pal.color(QtGui.QPalette.ColorRole.Base), pal.color(QtGui.QPalette.ColorRole.Highlight)
            return QtGui.QBrush(QtGui.QColor(int(base.red() * 0.75 + accent.red() * 0.25),
                                             int(base.green() * 0.75 + accent.green() * 0.25),
                                             int(base.blue() * 0.75 + accent.blue() * 0.25)))
        if role == QtCore.Qt.ItemDataRole.ForegroundRole and row.emphasis in ("warning", "muted"):
            from .widgets import warning_color

            if row.emphasis == "warning":
                return QtGui.QBrush(warning_color())
            return QtGui.QBrush(QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.PlaceholderText))
        return None

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != QtCore.Qt.Orientation.Horizontal:
            return None
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return self._columns[section][0]
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            return self._columns[section][1] or None
        return None


class RowsTable(QtWidgets.QTableView):
    """A read-only table of ``RowsModel`` rows, compact, one row selected at a time, keyboard-navigable."""

    def __init__(self, columns: list[tuple[str, str]], *, stretch: int | None = None, parent=None):
        super().__init__(parent)
        self.rows_model = RowsModel(columns, self)
        self.setModel(self.rows_model)
        self.verticalHeader().setVisible(False)
        compact_rows(self)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(stretch is None)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QtWidgets.QHeaderView.ResizeMode.Stretch)

    def set_rows(self, rows: list[Row]) -> None:
        self.rows_model.set_rows(rows)
        if self.wordWrap():
            self.resizeRowsToContents()

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 - Qt API
        """With wrapping, rows grow to their text whenever a column's width changes."""
        super().setWordWrap(on)
        if on:
            self.horizontalHeader().sectionResized.connect(self._on_header_section_resized)

    @QtCore.Slot(int, int, int)
    def _on_header_section_resized(self, _section: int, _old: int, _new: int) -> None:
        self.resizeRowsToContents()

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self.rows_model.rows) if r.key == key), -1)

    def select_key(self, key: str) -> None:
        i = self.row_of(key)
        if i >= 0:
            self.selectRow(i)

    def current_key(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.rows_model.rows[rows[0].row()].key if rows else None


# -- formatting ---------------------------------------------------------------------------------------------------

def tokens_per_s(x: float | None) -> str:
    return "–" if x is None else translate("HardwareTab", "{0} tokens/s").format(f"{x:,.1f}" if x < 1000
                                                                                  else f"{x:,.0f}")


def context_tokens(n: int) -> str:
    return translate("HardwareTab", "{0} tokens").format(fmt.exact(n)) if n else translate("HardwareTab", "none")


def verdict_text(o) -> str:
    """A ``FormatOption``'s verdict in the interface language (``fit.FitResult.label`` says the same in English)."""
    if o.verdict == "fits":
        return translate("HardwareTab", "fits on the GPU with headroom")
    if o.verdict == "tight":
        return translate("HardwareTab", "fits on the GPU, tight")
    if o.verdict == "partial":
        return translate("HardwareTab", "partial offload: {0} of {1} layers on the GPU").format(o.gpu_layers,
                                                                                             o.total_layers)
    if o.verdict == "cpu":
        return translate("HardwareTab", "CPU only")
    if o.verdict_label != "does not fit":
        return o.verdict_label  # a runtime's own limit, explained by the engine
    return translate("HardwareTab", "does not fit")


def quality_text(o: FormatOption) -> tuple[str, str]:
    """(cell, tooltip) for a format's published quality cost."""
    q = o.quality
    if o.kind == "float":
        text = translate("HardwareTab", "baseline")
        tip = translate("HardwareTab", "16/32-bit weights: the reference the other formats' costs are measured "
                                       "against.")
        return text, tip
    if q is None or q.relative_ppl is None:
        text = translate("HardwareTab", "no data")
        tip = translate("HardwareTab", "No published perplexity figure for this format; it is ranked as no better "
                                       "than the worst measured format with at least as many bits.")
        return text, tip
    text = translate("HardwareTab", "+{0}% PPL").format(f"{100 * q.relative_ppl:.2f}")
    tip = translate("HardwareTab", "Perplexity {0:+.4f} against 16-bit weights ({1} relative), KL divergence {2}, "
                                   "measured on {3}. Source: {4}").format(
        q.delta_ppl, f"{100 * q.relative_ppl:+.2f}%", "–" if q.kld is None else f"{q.kld:.4f}", q.model, q.source)
    return text, tip


def format_rows(options, best_format: str | None) -> list[Row]:
    """The Formats table: one row per format, the best choice emphasised."""
    rows = []
    speed_tip = translate("HardwareTab", "Decode averaged over 128 tokens after a 512-token prompt, prefill over the "
                                         "prompt (as llama-bench -p 512 -n 128 measures).")
    for o in options:
        star = "★ " if o.format == best_format else ""
        mem_tip = translate("HardwareTab", "Weights {0}; on the busiest GPU {1}; on the CPU {2}.").format(
            fmt.memory(o.weights_bytes), fmt.memory(o.gpu_bytes), fmt.memory(o.cpu_bytes))
        verdict_tip = verdict_text(o)
        if o.free_gpu_bytes is not None and o.verdict in ("fits", "tight"):
            verdict_tip += translate("HardwareTab", "; {0} of the GPU left free").format(fmt.memory(o.free_gpu_bytes))
        if o.on_gpu:
            ctx_tip = translate("HardwareTab", "The longest context (tokens per sequence) at which this format still "
                                               "runs on the GPU.")
        else:
            ctx_tip = translate("HardwareTab", "The longest context (tokens per sequence) at which this format runs "
                                               "at all.")
        q_text, q_tip = quality_text(o)
        slow = o.decode_tokens_per_s is not None and o.decode_tokens_per_s < READING_TOKENS_PER_S
        decode_tip = speed_tip + (" " + o.speed_note if o.speed_note else "")
        if slow:
            decode_tip += " " + translate("HardwareTab", "Slower than reading speed ({0} tokens/s).").format(
                f"{READING_TOKENS_PER_S:.1f}")
        emphasis = "best" if o.format == best_format else ("muted" if not o.runs else "")
        rows.append(Row((
            Cell(star + o.label, o.format),
            Cell(verdict_text(o), verdict_tip),
            Cell(fmt.memory(o.memory_bytes), mem_tip, RIGHT),
            Cell(context_tokens(o.longest_context), ctx_tip, RIGHT),
            Cell(tokens_per_s(o.decode_tokens_per_s), decode_tip, RIGHT),
            Cell(tokens_per_s(o.prefill_tokens_per_s), speed_tip, RIGHT),
            Cell(q_text, q_tip, RIGHT),
        ), key=o.format, emphasis=emphasis))
    return rows


def format_columns() -> list[tuple[str, str]]:
    return [
        (translate("HardwareTab", "Format"), translate("HardwareTab", "Weight format, best quality first.")),
        (translate("HardwareTab", "Verdict"), translate(
            "HardwareTab", "On the GPU with at least 10% of it free (headroom), tight, partial offload (N of L layers "
                           "on the GPU, the rest on the CPU), CPU only, or does not fit.")),
        (translate("HardwareTab", "Memory"), translate("HardwareTab", "Everything the runtime allocates: weights, "
                                                                      "KV cache, compute buffers, overhead (GiB).")),
        (translate("HardwareTab", "Longest context"), translate(
            "HardwareTab", "Tokens per sequence the memory allows while the verdict stays the same.")),
        (translate("HardwareTab", "Decode"), translate("HardwareTab", "Generated tokens per second.")),
        (translate("HardwareTab", "Prefill"), translate("HardwareTab", "Prompt tokens processed per second.")),
        (translate("HardwareTab", "Quality cost"), translate(
            "HardwareTab", "Published perplexity increase against 16-bit weights (lower is better).")),
    ]

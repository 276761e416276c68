"""The per-layer parameter table: one row per transformer block, one column per component."""
from __future__ import annotations

from ..core.architecture import Architecture
from ..core.params import ParamCount
from . import format as fmt
from .qt import QtCore, QtWidgets, translate
from .widgets import compact_rows

COLUMNS = ("layer", "attention", "mlp", "experts", "norms", "total", "kind")


def column_title(key: str) -> str:
    return {
        "layer": translate("LayerTable", "Layer"),
        "attention": translate("LayerTable", "Attention"),
        "mlp": translate("LayerTable", "MLP"),
        "experts": translate("LayerTable", "Experts"),
        "norms": translate("LayerTable", "Norms"),
        "total": translate("LayerTable", "Total"),
        "kind": translate("LayerTable", "Layer kind"),
    }[key]


def layer_kind(arch: Architecture, layer: int) -> str:
    parts = [translate("LayerTable", "sparse (experts)") if arch.is_sparse_layer(layer)
             else translate("LayerTable", "dense")]
    if arch.attention.is_sliding(layer):
        parts.append(translate("LayerTable", "sliding window {0}").format(fmt.exact(arch.attention.sliding_window)))
    else:
        parts.append(translate("LayerTable", "full attention"))
    return ", ".join(parts)


def layer_rows(arch: Architecture, params: ParamCount) -> list[tuple[str, ...]]:
    rows = []
    for i, comp in enumerate(params.per_layer):
        total = sum(comp.values())
        rows.append((str(i), fmt.exact(comp["attention"]), fmt.exact(comp["mlp"]), fmt.exact(comp["experts"]),
                     fmt.exact(comp["norms"]), fmt.exact(total), layer_kind(arch, i)))
    return rows


class LayerTableModel(QtCore.QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        if len(rows) == len(self._rows):
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent=QtCore.QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            if COLUMNS[index.column()] == "kind":
                return int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
            return int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == QtCore.Qt.ItemDataRole.DisplayRole and orientation == QtCore.Qt.Orientation.Horizontal:
            return column_title(COLUMNS[section])
        return None


class LayerTable(QtWidgets.QTableView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.table_model = LayerTableModel(self)
        self.setModel(self.table_model)
        self.verticalHeader().setVisible(False)
        compact_rows(self)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setToolTip(translate("LayerTable", "Parameters in each transformer block (embeddings and the output "
                                                "head are outside the blocks)."))

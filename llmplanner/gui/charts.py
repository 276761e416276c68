"""pyqtgraph charts, built once and updated in place (``setOpts``/``setData``: never cleared and re-added).

Colours follow the application palette (background, text) and are re-applied when the system switches
between light and dark. One brush per series keeps ``BarGraphItem`` on its fast path.
"""
from __future__ import annotations

import math

from .qt import QtCore, QtGui, QtWidgets, translate  # noqa: F401 - PySide6 before pyqtgraph

import pyqtgraph as pg  # noqa: E402

from . import format as fmt  # noqa: E402

pg.setConfigOptions(antialias=True)

SERIES_COLORS = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2")
"""Tableau-like colours that stay legible on light and dark backgrounds."""


class CountAxis(pg.AxisItem):
    """An axis of counts labelled 0, 2 B, 4 B … (K, M, B, T) instead of pyqtgraph's SI prefixes."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        out = []
        for v in values:
            n = v * scale
            out.append("0" if n == 0 else fmt.short_count(n, 1 if spacing * scale >= 1e8 else 2).replace(".0 ", " "))
        return out


class LogTokensAxis(pg.AxisItem):
    """A log₁₀ axis labelled in tokens (1 B, 10 B, 100 B, 1 T …)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [fmt.short_count(10 ** v, 0) if float(v).is_integer() else "" for v in values]


class ThemedPlot(pg.PlotWidget):
    """A ``PlotWidget`` whose background and text follow the palette."""

    def __init__(self, parent=None, **kw):
        super().__init__(parent, **kw)
        self.setMinimumHeight(160)
        self.getPlotItem().setMenuEnabled(False)
        self.getPlotItem().hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.apply_palette()

    def apply_palette(self) -> None:
        pal = QtWidgets.QApplication.palette()
        bg = pal.color(QtGui.QPalette.ColorRole.Base)
        fg = pal.color(QtGui.QPalette.ColorRole.Text)
        item = self.getPlotItem()
        if item is None:  # a palette event while pyqtgraph is still building the widget
            return
        self.setBackground(bg)
        for name in ("left", "bottom", "top", "right"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(fg))
            axis.setTextPen(pg.mkPen(fg))
        self.foreground = fg

    def changeEvent(self, event):  # noqa: N802 - Qt API
        if event.type() == QtCore.QEvent.Type.PaletteChange:  # the system switched light/dark
            self.apply_palette()
        super().changeEvent(event)


class BreakdownChart(ThemedPlot):
    """Horizontal bars per category for up to two series (the plan's model and a pinned one).

    ``set_series([(name, values), ...])`` updates the bars and their value labels in place.
    """

    def __init__(self, categories: list[str], parent=None):
        super().__init__(parent, axisItems={"bottom": CountAxis("bottom")})
        self.categories = list(categories)
        n = len(self.categories)
        item = self.getPlotItem()
        left = item.getAxis("left")
        left.setTicks([[(n - 1 - i, c) for i, c in enumerate(self.categories)]])
        left.setStyle(tickLength=0)
        self.setYRange(-0.6, n - 0.4, padding=0)
        self.bars: list[pg.BarGraphItem] = []
        self.labels: list[list[pg.TextItem]] = []
        for k in range(2):
            color = QtGui.QColor(SERIES_COLORS[k])
            bar = pg.BarGraphItem(x0=[0] * n, y=[0.0] * n, width=[0] * n, height=0.38,
                                  brush=pg.mkBrush(color), pen=pg.mkPen(None))
            bar.setVisible(False)
            self.addItem(bar)
            self.bars.append(bar)
            row = []
            for _ in range(n):
                t = pg.TextItem("", anchor=(0, 0.5), color=self.foreground)
                t.setVisible(False)
                self.addItem(t)
                row.append(t)
            self.labels.append(row)
        self.legend = item.addLegend(offset=(-10, 10))
        self._legend_names: list[str] = []
        self._extents: list[tuple[float, int]] = []
        item.getViewBox().sigResized.connect(self._on_view_resized)

    def apply_palette(self) -> None:
        super().apply_palette()
        for row in self.__dict__.get("labels", []):
            for t in row:
                t.setColor(self.foreground)
        legend = self.__dict__.get("legend")
        if legend is not None:
            legend.setLabelTextColor(self.foreground)

    def set_series(self, series: list[tuple[str, list[float]]]) -> None:
        n = len(self.categories)
        shown = series[:2]
        offsets = [0.0] if len(shown) == 1 else [0.2, -0.2]
        peak = max([max(v) if v else 0 for _, v in shown] + [1])
        metrics = QtGui.QFontMetrics(self.font())
        extents = [(peak, 0)]
        for k, bar in enumerate(self.bars):
            visible = k < len(shown)
            bar.setVisible(visible)
            for t in self.labels[k]:
                t.setVisible(visible)
            if not visible:
                continue
            name, values = shown[k]
            ys = [n - 1 - i + offsets[k] for i in range(n)]
            bar.setOpts(x0=[0] * n, y=ys, width=list(values), height=0.38 if len(shown) > 1 else 0.6)
            total = sum(values) or 1
            for i, t in enumerate(self.labels[k]):
                text = f" {fmt.short_count(values[i])}  ({fmt.percent(values[i], total)})" if values[i] else " 0"
                t.setText(text)
                extents.append((values[i], metrics.horizontalAdvance(text) + 12))
                t.setColor(self.foreground)
                t.setPos(values[i], ys[i])
        names = [name for name, _ in shown]
        if names != self._legend_names:
            self.legend.clear()
            if len(shown) > 1:
                for k, name in enumerate(names):
                    self.legend.addItem(self.bars[k], name)
            self._legend_names = names
        self._extents = extents
        self._apply_range()

    def _apply_range(self) -> None:
        """Leave room right of the longest bars for their labels, whatever the chart's width."""
        if not self.__dict__.get("_extents"):  # also called while pyqtgraph is still initialising
            return
        width = self.getPlotItem().getViewBox().width()
        if width <= 0:
            right = max(v for v, _ in self._extents) * 1.4
        else:  # a bar of value v with a label of L pixels ends at v·W/R + L ≤ W
            right = max(v * width / max(width - px, width / 3) for v, px in self._extents)
        self.setXRange(0, right or 1, padding=0)

    def _on_view_resized(self, *_):
        self._apply_range()


class LossCurve(ThemedPlot):
    """Predicted loss against training tokens (log axis) with markers for the chosen and optimal tokens."""

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": LogTokensAxis("bottom")})
        item = self.getPlotItem()
        item.setLabel("left", translate("Charts", "predicted loss (nats/token)"))
        item.setLabel("bottom", translate("Charts", "training tokens"))
        self.curve = item.plot([], [], pen=pg.mkPen(SERIES_COLORS[0], width=2))
        self.chosen = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(SERIES_COLORS[1]), pen=pg.mkPen(None))
        self.optimum = pg.InfiniteLine(angle=90, pen=pg.mkPen(SERIES_COLORS[2], width=1.5,
                                                              style=QtCore.Qt.PenStyle.DashLine))
        self.addItem(self.chosen)
        self.addItem(self.optimum)

    def set_curve(self, log_tokens, losses, chosen: tuple[float, float], optimum_log_tokens: float) -> None:
        self.curve.setData(log_tokens, losses)
        self.chosen.setData([chosen[0]], [chosen[1]])
        self.optimum.setValue(optimum_log_tokens)
        lo = min(losses)
        hi = max(losses)
        self.setXRange(log_tokens[0], log_tokens[-1], padding=0.02)
        self.setYRange(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo) if math.isfinite(hi) else lo + 1, padding=0)

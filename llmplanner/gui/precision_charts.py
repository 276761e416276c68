"""The Precision tab's charts: memory per format (stacked bars), memory against context, the rounding-error
histogram and the per-GPU training memory. Built once, updated in place (``setOpts``/``setData``); memory
is in GiB on every axis and label.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

from .qt import QtCore, QtGui, QtWidgets, Signal, Slot, translate  # noqa: F401 - PySide6 before pyqtgraph

import pyqtgraph as pg  # noqa: E402

from .charts import SERIES_COLORS, ThemedPlot  # noqa: E402

GIB = float(1 << 30)
TERM_COLORS = ("#4C78A8", "#F58518", "#54A24B", "#9D755D")
"""Weights, KV cache, activations, overhead (training: weights, gradients, optimizer, activations, overhead
use ``TRAINING_COLORS``)."""
TRAINING_COLORS = ("#4C78A8", "#E45756", "#B279A2", "#54A24B", "#9D755D")
LIMIT_COLOR = "#D62728"


def term_names() -> list[str]:
    return [translate("PrecisionCharts", "weights"), translate("PrecisionCharts", "KV cache"),
            translate("PrecisionCharts", "activations"), translate("PrecisionCharts", "overhead")]


def label_fill() -> QtGui.QBrush:
    """A background for text drawn over grid lines and the limit line: the plot's own, nearly opaque."""
    color = QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Base)
    color.setAlpha(215)
    return pg.mkBrush(color)


def _limit_line(angle: int) -> pg.InfiniteLine:
    """The hardware's memory: a dashed red line labelled near the axis (vertical) or mid-way (horizontal)."""
    line = pg.InfiniteLine(angle=angle, pen=pg.mkPen(LIMIT_COLOR, width=2, style=QtCore.Qt.PenStyle.DashLine),
                           label="", labelOpts={"position": 0.02 if angle == 90 else 0.5, "color": LIMIT_COLOR,
                                                "fill": label_fill(),
                                                "anchors": [(0, 1), (0, 1)] if angle == 90 else [(0.5, 1), (0.5, 1)]})
    line.setZValue(20)
    line.label.setZValue(40)
    return line


def legend_html(names: list[str], colors) -> str:
    """A one-line legend for a plot's title: coloured squares and names."""
    return "&nbsp;&nbsp;&nbsp;".join(f"<span style='color:{c}'>■</span>&nbsp;{n}" for n, c in zip(names, colors))


@dataclass(frozen=True)
class BarRow:
    """One format's bar: its name, the four terms in GiB, and the text beside it in coloured pieces."""

    label: str
    values: tuple[float, float, float, float]
    segments: tuple[tuple[str, str], ...]
    """(text, colour name) pieces of the text beside the bar; '' uses the chart's text colour."""

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.segments)


class RowLabels(pg.GraphicsObject):
    """The texts beside many bars, drawn by one item in pixels at view positions.

    One ``TextItem`` per row re-lays out its text and transform whenever the data or the view changes (35
    of them took 20–100 ms per update, a visible stall while dragging); this paints them all with one
    ``QPainter`` pass instead.
    """

    PAD = 6

    def __init__(self, foreground: QtGui.QColor):
        super().__init__()
        self.rows: list[tuple[float, float, tuple[tuple[str, str], ...], bool]] = []
        self.foreground = QtGui.QColor(foreground)
        self.fill = label_fill()
        self.font = QtGui.QFont()
        self._fonts = {}
        self._texts: dict[tuple[str, bool], tuple[QtGui.QStaticText, float]] = {}
        self.setZValue(30)

    def set_rows(self, rows, font: QtGui.QFont) -> None:
        """``rows``: (x, y, segments, bold) with x, y in view coordinates."""
        if font != self.font or not self._fonts:
            self.font = QtGui.QFont(font)
            self._fonts = {}
            for bold in (False, True):
                f = QtGui.QFont(self.font)
                f.setBold(bold)
                self._fonts[bold] = (f, QtGui.QFontMetricsF(f))
            self._texts = {}
        if len(self._texts) > 4096:
            self._texts = {}
        laid = []
        for x, y, segments, bold in rows:  # laid out once per text (most repeat from update to update)
            pieces = []
            for text, color in segments:
                key = (text, bold)
                if key not in self._texts:
                    static = QtGui.QStaticText(text)
                    static.setTextFormat(QtCore.Qt.TextFormat.PlainText)
                    static.prepare(QtGui.QTransform(), self._fonts[bold][0])
                    self._texts[key] = (static, self._fonts[bold][1].horizontalAdvance(text))
                static, width = self._texts[key]
                pieces.append((static, color, width))
            laid.append((x, y, tuple(pieces), bold))
        self.rows = laid
        self.update()

    def text_width(self, i: int) -> float:
        return sum(w for _, _, w in self.rows[i][2])

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt API
        rect = self.viewRect()  # the labels may be anywhere in the view: they are clipped to it
        return rect if rect is not None else QtCore.QRectF()

    def viewRangeChanged(self) -> None:  # noqa: N802 - pyqtgraph API
        self.prepareGeometryChange()
        self.update()

    def paint(self, p: QtGui.QPainter, *args) -> None:
        if not self.rows:
            return
        transform = p.transform()
        p.resetTransform()
        for x, y, segments, bold in self.rows:
            font, metrics = self._fonts[bold]
            at = transform.map(QtCore.QPointF(x, y))
            left = at.x() + self.PAD
            width = sum(w for _, _, w in segments)
            p.fillRect(QtCore.QRectF(left - 2, at.y() - metrics.height() / 2, width + 4, metrics.height()), self.fill)
            top = at.y() - metrics.height() / 2
            p.setFont(font)
            for static, color, w in segments:
                p.setPen(QtGui.QColor(color) if color else self.foreground)
                p.drawStaticText(QtCore.QPointF(left, top), static)
                left += w


class FormatBarsChart(ThemedPlot):
    """Horizontal stacked bars, one per format (largest at the top): weights, KV cache, activations,
    overhead; the plan's format highlighted; the hardware's memory as a vertical line. A click on a row
    emits ``row_clicked(index)``."""

    row_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        item = self.getPlotItem()
        item.setLabel("bottom", translate("PrecisionCharts", "memory (GiB)"))
        item.showGrid(x=True, y=False, alpha=0.25)
        left = item.getAxis("left")
        left.setStyle(tickLength=0)
        self.highlight = pg.BarGraphItem(x0=[0], y=[0], width=[0], height=0.96, pen=pg.mkPen(None))
        self.highlight.setZValue(-10)
        self.addItem(self.highlight)
        self.bars: list[pg.BarGraphItem] = []
        for k, color in enumerate(TERM_COLORS):
            bar = pg.BarGraphItem(x0=[], y=[], width=[], height=0.72, brush=pg.mkBrush(color), pen=pg.mkPen(None))
            self.addItem(bar)
            self.bars.append(bar)
        self.labels = RowLabels(self.foreground)
        self.addItem(self.labels)
        self.limit = pg.InfiniteLine(angle=90, pen=pg.mkPen(LIMIT_COLOR, width=2, style=QtCore.Qt.PenStyle.DashLine))
        self.limit.setZValue(20)
        self.limit.setVisible(False)
        self.addItem(self.limit)
        self._legend = legend_html(term_names(), TERM_COLORS) + "&nbsp;&nbsp;" + translate("PrecisionCharts", "(GiB)")
        self._title = self._legend
        item.setTitle(self._title, size="9pt", color=self.foreground)
        self.rows: list[BarRow] = []
        self._ticks = None
        self._shown_rows = -1
        self._right = 0.0
        self.current = -1
        self._limit_gib: float | None = None
        self._extents: list[tuple[float, int]] = []
        self.tooltip_for = None
        """A function of a row's index giving its tooltip (built when the mouse is over it, not per update)."""
        self._apply_highlight_colour()
        item.getViewBox().sigResized.connect(self._on_view_resized)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)

    def apply_palette(self) -> None:
        super().apply_palette()
        if "highlight" in self.__dict__:
            self._apply_highlight_colour()
            self.getPlotItem().setTitle(self._title, size="9pt", color=self.foreground)
            self.labels.foreground = QtGui.QColor(self.foreground)
            self.labels.fill = label_fill()
            self.labels.update()

    def _apply_highlight_colour(self) -> None:
        color = QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Highlight)
        color.setAlpha(70)
        self.highlight.setOpts(brush=pg.mkBrush(color))

    def set_rows(self, rows: list[BarRow], current: int, limit_gib: float | None, limit_label: str) -> None:
        """Show ``rows`` (top to bottom) with row ``current`` highlighted and the limit line (None: hidden)."""
        n = len(rows)
        self.rows = list(rows)
        self.current = current
        ys = [float(n - 1 - i) for i in range(n)]
        start = [0.0] * n
        for k, bar in enumerate(self.bars):
            widths = [r.values[k] for r in rows]
            bar.setOpts(x0=list(start), y=ys, width=widths, height=0.72)
            start = [s + w for s, w in zip(start, widths)]
        extents = [(limit_gib or 0.0, 0)]
        self.labels.set_rows([(start[i], ys[i], row.segments, i == current) for i, row in enumerate(rows)],
                             self.font())
        for i in range(n):
            extents.append((start[i], self.labels.text_width(i) + 2 * RowLabels.PAD))
        ticks = [[(ys[i], ("▶ " if i == current else "") + r.label) for i, r in enumerate(rows)]]
        if ticks != self._ticks:  # unchanged ticks keep the axis' cached picture (and its width)
            self.getPlotItem().getAxis("left").setTicks(ticks)
            self._ticks = ticks
        self.highlight.setVisible(0 <= current < n)
        self._extents = extents
        self._limit_gib = limit_gib
        self.limit.setVisible(limit_gib is not None)
        title = self._legend
        if limit_gib is not None:
            self.limit.setValue(limit_gib)
            title += (f"&nbsp;&nbsp;&nbsp;&nbsp;<span style='color:{LIMIT_COLOR}'>┆&nbsp;"
                      f"{html.escape(limit_label)}</span>")
        if title != self._title:  # a new title re-lays out the plot: only when it changed
            self._title = title
            self.getPlotItem().setTitle(self._title, size="9pt", color=self.foreground)
        if n != self._shown_rows:
            self.setYRange(-0.6, max(n, 1) - 0.4, padding=0)
            self._shown_rows = n
        self._apply_range()

    def _apply_range(self) -> None:
        if not self.__dict__.get("_extents"):
            return
        width = self.getPlotItem().getViewBox().width()
        if width <= 0:
            right = max(v for v, _ in self._extents) * 1.5
        else:  # a bar of value v with a label of L pixels ends at v·W/R + L ≤ W
            right = max(v * width / max(width - px, width / 3) for v, px in self._extents)
        right = right or 1.0
        if right > self._right or right < 0.97 * self._right:  # grow at once, shrink only when it shows
            self._right = right
            self.setXRange(0, right, padding=0)
        n = len(self.rows)
        if 0 <= self.current < n:
            self.highlight.setOpts(x0=[0], y=[float(n - 1 - self.current)], width=[self._right], height=0.96)

    @Slot(object)
    def _on_view_resized(self, *_):
        self._apply_range()

    def label_text(self, i: int) -> str:
        """The text beside row ``i`` (tests, reports)."""
        return self.rows[i].text

    def row_at(self, scene_pos: QtCore.QPointF) -> int:
        """The row under a scene position, or -1."""
        vb = self.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos) or not self.rows:
            return -1
        y = vb.mapSceneToView(scene_pos).y()
        i = len(self.rows) - 1 - int(round(y))
        return i if 0 <= i < len(self.rows) else -1

    def scene_pos_of_row(self, i: int) -> QtCore.QPointF:
        """Where row ``i``'s bar is, in scene coordinates (tests click there)."""
        vb = self.getPlotItem().getViewBox()
        n = len(self.rows)
        r = self.rows[i]
        return vb.mapViewToScene(QtCore.QPointF(max(sum(r.values) / 2, 1e-3), float(n - 1 - i)))

    def _on_scene_mouse_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        i = self.row_at(event.scenePos())
        if i >= 0:
            self.row_clicked.emit(i)

    def _on_scene_mouse_moved(self, pos) -> None:
        i = self.row_at(pos)
        self.setToolTip(self.tooltip_for(i) if i >= 0 and self.tooltip_for is not None else "")


class ContextAxis(pg.AxisItem):
    """A log₁₀ axis of context lengths with ticks at powers of two: 512, 1K, 2K … 1M (K = 1024 tokens)."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph API
        if not (math.isfinite(minVal) and math.isfinite(maxVal)) or maxVal <= minVal:
            return []
        lo = math.ceil(minVal / math.log10(2) - 1e-9)
        hi = math.floor(maxVal / math.log10(2) + 1e-9)
        if hi < lo:
            return []
        most = max(2, int(size / 55))
        step = 1
        while (hi - lo) // step + 1 > most:
            step += 1
        return [(step * math.log10(2), [k * math.log10(2) for k in range(lo, hi + 1) if (k - lo) % step == 0])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        out = []
        for v in values:
            k = int(round(v / math.log10(2)))
            out.append(str(2 ** k) if k < 10 else (f"{2 ** (k - 10)}K" if k < 20 else f"{2 ** (k - 20)}M"))
        return out


class MemoryCurveChart(ThemedPlot):
    """Total memory against context (log axis) for a few formats, the hardware's memory as a horizontal
    line and the plan's context as a vertical one."""

    MAX_CURVES = len(SERIES_COLORS)

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": ContextAxis("bottom")})
        item = self.getPlotItem()
        item.setLabel("left", translate("PrecisionCharts", "memory (GiB)"))
        item.setLabel("bottom", translate("PrecisionCharts", "context (tokens per sequence, log scale)"))
        item.showGrid(x=True, y=True, alpha=0.25)
        self.legend = item.addLegend(offset=(10, 10), labelTextColor=self.foreground)
        self.curves = []
        for color in SERIES_COLORS:
            curve = pg.PlotDataItem([], [], pen=pg.mkPen(color, width=2.2))
            self.addItem(curve)
            self.curves.append(curve)
        self.limit = _limit_line(0)
        self.limit.setVisible(False)
        self.addItem(self.limit)
        self.context_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.foreground, width=1,
                                                                   style=QtCore.Qt.PenStyle.DotLine),
                                            label="", labelOpts={"position": 0.95, "color": self.foreground})
        self.addItem(self.context_line)
        self._names: list[str] = []

    def set_curves(self, series: list[tuple[str, list[float] | object, list[float] | object]], context: int,
                   context_label: str, limit_gib: float | None, limit_label: str, current: int = -1) -> None:
        """``series``: (name, contexts, totals in GiB) per format, at most ``MAX_CURVES``; the ``current`` one
        (the plan's format) is drawn thicker and on top."""
        shown = series[:self.MAX_CURVES]
        names = [name for name, _, _ in shown]
        top = 0.0
        lo, hi = math.inf, -math.inf
        for k, curve in enumerate(self.curves):
            if k < len(shown):
                _, xs, ys = shown[k]
                lx = [math.log10(x) for x in xs]
                curve.setData(lx, list(ys))
                curve.setPen(pg.mkPen(SERIES_COLORS[k], width=3.6 if k == current else 2.0))
                curve.setZValue(5 if k == current else 0)
                curve.setVisible(True)
                top = max(top, max(ys) if len(ys) else 0.0)
                lo, hi = min(lo, lx[0]), max(hi, lx[-1])
            else:
                curve.setData([], [])
                curve.setVisible(False)
        if names != self._names:
            self.legend.clear()
            for k, name in enumerate(names):
                self.legend.addItem(self.curves[k], name)
            self._names = names
        self.limit.setVisible(limit_gib is not None)
        if limit_gib is not None:
            self.limit.setValue(limit_gib)
            self.limit.label.setFormat(limit_label)
            top = max(top, limit_gib)
        self.context_line.setValue(math.log10(max(1, context)))
        self.context_line.label.setFormat(context_label)
        if math.isfinite(lo):
            self.setXRange(lo, hi, padding=0.02)
        self.setYRange(0, (top or 1.0) * 1.08, padding=0)

    def apply_palette(self) -> None:
        super().apply_palette()
        if "legend" in self.__dict__:
            self.legend.setLabelTextColor(self.foreground)


class ErrorHistogram(ThemedPlot):
    """Histograms of the rounding error (x̂ − x) of up to two formats, as step curves."""

    def __init__(self, parent=None):
        super().__init__(parent)
        item = self.getPlotItem()
        item.setLabel("bottom", translate("PrecisionCharts", "quantised − original weight"))
        item.setLabel("left", translate("PrecisionCharts", "share of weights (%)"))
        item.showGrid(x=True, y=True, alpha=0.25)
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor=self.foreground)
        self.series = []
        for color in SERIES_COLORS[:2]:
            fill = QtGui.QColor(color)
            fill.setAlpha(60)
            curve = pg.PlotDataItem([0, 1], [0], stepMode="center", fillLevel=0, brush=pg.mkBrush(fill),
                                    pen=pg.mkPen(color, width=1.6))
            curve.setVisible(False)
            self.addItem(curve)
            self.series.append(curve)
        self._names: list[str] = []

    def set_histograms(self, series: list[tuple[str, list[float], list[int]]]) -> None:
        """(name, bin edges, counts) per format; each drawn as a share of its weights."""
        shown = series[:2]
        lo, hi, top = math.inf, -math.inf, 0.0
        for k, curve in enumerate(self.series):
            if k < len(shown):
                _, edges, counts = shown[k]
                total = sum(counts) or 1
                shares = [100.0 * c / total for c in counts]
                curve.setData(list(edges), shares)
                curve.setVisible(True)
                lo, hi, top = min(lo, edges[0]), max(hi, edges[-1]), max(top, max(shares))
            else:
                curve.setVisible(False)
        names = [n for n, _, _ in shown]
        if names != self._names:
            self.legend.clear()
            for k, name in enumerate(names):
                self.legend.addItem(self.series[k], name)
            self._names = names
        if math.isfinite(lo):
            self.setXRange(lo, hi, padding=0.02)
            self.setYRange(0, top * 1.1 or 1, padding=0)

    def apply_palette(self) -> None:
        super().apply_palette()
        if "legend" in self.__dict__:
            self.legend.setLabelTextColor(self.foreground)


class TrainingChart(ThemedPlot):
    """Per-GPU training memory by kind (horizontal bars with their GiB) and the GPU's memory as a line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.categories = [translate("PrecisionCharts", "weights"), translate("PrecisionCharts", "gradients"),
                           translate("PrecisionCharts", "optimizer states"),
                           translate("PrecisionCharts", "activations"), translate("PrecisionCharts", "overhead")]
        n = len(self.categories)
        item = self.getPlotItem()
        item.setLabel("bottom", translate("PrecisionCharts", "memory per GPU (GiB)"))
        item.showGrid(x=True, y=False, alpha=0.25)
        left = item.getAxis("left")
        left.setTicks([[(n - 1 - i, c) for i, c in enumerate(self.categories)]])
        left.setStyle(tickLength=0)
        self.bars = []
        for i, color in enumerate(TRAINING_COLORS):
            bar = pg.BarGraphItem(x0=[0], y=[n - 1 - i], width=[0], height=0.5, brush=pg.mkBrush(color),
                                  pen=pg.mkPen(None))
            self.addItem(bar)
            self.bars.append(bar)
        self.labels = []
        for i in range(n):
            t = pg.TextItem("", anchor=(0, 0.5), color=self.foreground)
            t.setPos(0, n - 1 - i)
            self.addItem(t)
            self.labels.append(t)
        self.limit = _limit_line(90)
        self.limit.setVisible(False)
        self.addItem(self.limit)
        self.setYRange(-0.6, n - 0.4, padding=0)
        self._extents: list[tuple[float, int]] = []
        item.getViewBox().sigResized.connect(self._on_view_resized)

    def apply_palette(self) -> None:
        super().apply_palette()
        for t in self.__dict__.get("labels", []):
            t.setColor(self.foreground)

    def set_values(self, values_gib: list[float], texts: list[str], limit_gib: float | None, limit_label: str
                   ) -> None:
        n = len(self.categories)
        metrics = QtGui.QFontMetrics(self.font())
        extents = [(limit_gib or 0.0, metrics.horizontalAdvance(limit_label) + 12 if limit_gib is not None else 0)]
        for i, (bar, v, text, t) in enumerate(zip(self.bars, values_gib, texts, self.labels)):
            bar.setOpts(x0=[0], y=[n - 1 - i], width=[v], height=0.5)
            t.setText(text)
            t.setPos(v, n - 1 - i)
            extents.append((v, metrics.horizontalAdvance(text) + 16))
        self.limit.setVisible(limit_gib is not None)
        if limit_gib is not None:
            self.limit.setValue(limit_gib)
            self.limit.label.setFormat(limit_label)
        self._extents = extents
        self._apply_range()

    def _apply_range(self) -> None:
        if not self.__dict__.get("_extents"):
            return
        width = self.getPlotItem().getViewBox().width()
        if width <= 0:
            right = max(v for v, _ in self._extents) * 1.5
        else:
            right = max(v * width / max(width - px, width / 3) for v, px in self._extents)
        self.setXRange(0, right or 1.0, padding=0)

    @Slot(object)
    def _on_view_resized(self, *_):
        self._apply_range()

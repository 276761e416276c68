"""The Sampling tab's charts: token bars before and after a sampler chain, several engines side by side, and
drawn tokens against the final distribution.

All items are created once and updated in place (``BarGraphItem.setOpts``, ``setData``, ``setValue``), one
brush per series (style.md). Probabilities are on a left axis in percent; the running sum of the "before"
bars (what top-p cuts) has its own right axis, 0–100%. Axis ranges move in steps, so that dragging a slider
does not make the chart jump.
"""
from __future__ import annotations

import numpy as np

from .qt import QtCore, QtGui, QtWidgets, translate  # noqa: F401 - PySide6 before pyqtgraph

import pyqtgraph as pg  # noqa: E402

from . import format as fmt  # noqa: E402
from .charts import SERIES_COLORS, ThemedPlot  # noqa: E402

BEFORE_COLOR = "#4C78A8"
AFTER_COLOR = "#F58518"
REMOVED_COLOR = "#B0B0B0"
CUMULATIVE_COLOR = "#54A24B"
RAW_MARK_COLOR = "#7F7F7F"
LINE_COLORS = {"top_p": "#54A24B", "min_p": "#E45756", "xtc_threshold": "#B279A2", "epsilon": "#72B7B2",
               "eta": "#9D755D", "top_n_sigma": "#FF9DA6", "min_probability": "#BAB0AC"}
ENGINE_COLORS = SERIES_COLORS

#: Left-axis maxima: the range only changes when the bars cross one of these.
Y_STEPS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)


def y_maximum(peak: float) -> float:
    for step in Y_STEPS:
        if peak * 1.06 <= step:
            return step
    return 1.0


class PercentAxis(pg.AxisItem):
    """Probabilities labelled 0%, 10%, 20% …"""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        digits = 0 if spacing * scale >= 0.01 else 1
        return [f"{100 * v * scale:.{digits}f}%" for v in values]


class TokenAxis(pg.AxisItem):
    """Token labels under the bars, on two staggered rows when they would not fit on one."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.labels: list[str] = []
        self.setStyle(tickLength=0, hideOverlappingLabels=False)

    def set_labels(self, labels: list[str]) -> None:
        self.labels = list(labels)
        self._apply()

    def resizeEvent(self, ev=None):  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        self._apply()

    def _apply(self) -> None:
        labels = self.__dict__.get("labels")
        if labels is None:
            return
        metrics = QtGui.QFontMetrics(self.font() if hasattr(self, "font") else QtGui.QFont())
        width = max(1.0, self.width() if self.width() > 0 else 600.0)
        slot = width / max(1, len(labels) + 1)
        widest = max((metrics.horizontalAdvance(t) for t in labels), default=0)
        stagger = widest + 6 > slot
        ticks = [(i, ("\n" + t) if stagger and i % 2 else t) for i, t in enumerate(labels)]
        if ticks != self.__dict__.get("_ticks"):  # an unchanged axis is not redrawn
            self._ticks = ticks
            self.setTicks([ticks, []])
        height = metrics.height() * (2 if stagger else 1) + 10
        if height != self.__dict__.get("_height"):
            self._height = height
            self.setHeight(height)


def _cache_axes(plot: pg.PlotWidget) -> None:
    """Keep each axis as a pixmap until its ticks or range change: while a slider moves only the bars change,
    and redrawing the axes' text every frame was the largest part of a frame."""
    for name in ("left", "right", "bottom"):
        plot.getPlotItem().getAxis(name).setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)


def _bars(color: str, width: float) -> pg.BarGraphItem:
    return pg.BarGraphItem(x=[0.0], height=[0.0], width=width, brush=pg.mkBrush(color), pen=pg.mkPen(None))


class TokenBarsChart(ThemedPlot):
    """Bars of the top-N tokens before (blue; grey when removed) and after (orange), the "other tokens" bar,
    the cumulative probability of the "before" bars and the samplers' threshold lines.

    ``show_view(view, before_name, after_name)`` takes a ``core.sampling.view.BarsView``.
    """

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": PercentAxis("left"), "bottom": TokenAxis("bottom"),
                                            "right": PercentAxis("right")})
        self.setMinimumHeight(220)
        item = self.getPlotItem()
        item.setContentsMargins(2, 10, 2, 2)
        item.setLabel("left", translate("SamplingCharts", "probability"))
        item.showAxis("right")
        item.setLabel("right", translate("SamplingCharts", "cumulative (before)"))
        self.cumulative_box = pg.ViewBox(enableMenu=False)
        self.cumulative_box.setMouseEnabled(False, False)
        item.scene().addItem(self.cumulative_box)
        item.getAxis("right").linkToView(self.cumulative_box)
        self.cumulative_box.setXLink(item)
        self.cumulative_box.setYRange(0, 1.0, padding=0)
        item.getViewBox().sigResized.connect(self._on_view_resized)
        self.before_kept = _bars(BEFORE_COLOR, 0.38)
        self.before_removed = _bars(REMOVED_COLOR, 0.38)
        self.after = _bars(AFTER_COLOR, 0.38)
        self.unlisted = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.38, brush=pg.mkBrush(200, 200, 200, 90),
                                        pen=pg.mkPen(REMOVED_COLOR, style=QtCore.Qt.PenStyle.DashLine))
        for bars in (self.before_kept, self.before_removed, self.after, self.unlisted):
            self.addItem(bars)
        self.cumulative = pg.PlotCurveItem([], [], pen=pg.mkPen(CUMULATIVE_COLOR, width=2))
        self.cumulative_box.addItem(self.cumulative)
        self.lines: dict[str, pg.InfiniteLine] = {}
        """The threshold lines, by key, made the first time each is needed."""
        self.view = None
        self.labels: list[str] = []
        _cache_axes(self)
        self.apply_palette()

    def _line(self, key: str) -> pg.InfiniteLine:
        line = self.lines.get(key)
        if line is None:
            color = LINE_COLORS.get(key, "#888888")
            line = pg.InfiniteLine(angle=0, movable=False,
                                   pen=pg.mkPen(color, width=1.5, style=QtCore.Qt.PenStyle.DashLine),
                                   label="", labelOpts={"position": 0.98, "color": color,
                                                        "anchors": [(1, 1), (1, 1)]})
            (self.cumulative_box if key == "top_p" else self).addItem(line)
            self.lines[key] = line
        return line

    def apply_palette(self) -> None:
        super().apply_palette()
        item = self.getPlotItem()
        if item is not None and "cumulative_box" in self.__dict__:  # the right axis belongs to the green line
            right = item.getAxis("right")
            right.setPen(pg.mkPen(CUMULATIVE_COLOR))
            right.setTextPen(pg.mkPen(CUMULATIVE_COLOR))

    def _on_view_resized(self, *_):
        vb = self.getPlotItem().getViewBox()
        self.cumulative_box.setGeometry(vb.sceneBoundingRect())
        self.cumulative_box.linkedViewChanged(vb, self.cumulative_box.XAxis)

    def show_view(self, view, line_texts: dict[str, str]) -> None:
        """Update every item in place from a ``BarsView``; ``line_texts`` labels the threshold lines."""
        self.view = view
        n = view.ids.size
        xs = np.arange(n, dtype=float)
        removed = view.removed
        kept_h = np.where(removed, 0.0, view.before)
        removed_h = np.where(removed, view.before, 0.0)
        rest_x = float(n)
        before_x = np.append(xs, rest_x) - 0.2
        self.before_kept.setOpts(x=before_x, height=np.append(kept_h, view.rest_before), width=0.38)
        self.before_removed.setOpts(x=xs - 0.2, height=removed_h, width=0.38)
        self.after.setOpts(x=np.append(xs, rest_x) + 0.2, height=np.append(view.after, view.rest_after), width=0.38)
        labels = [fmt.token_text(t, 10) for t in view.labels]
        labels.append(translate("SamplingCharts", "others"))
        right = rest_x
        if view.unlisted > 0:
            right = rest_x + 1
            self.unlisted.setOpts(x=[right - 0.2], height=[view.unlisted], width=0.38)
            labels.append(translate("SamplingCharts", "unlisted"))
        self.unlisted.setVisible(view.unlisted > 0)
        self.labels = labels
        self.getPlotItem().getAxis("bottom").set_labels(labels)
        self.cumulative.setData(xs - 0.2, view.cumulative)
        peak = max([float(view.before.max(initial=0)), float(view.after.max(initial=0)), view.rest_before,
                    view.rest_after, view.unlisted])
        shown = {}
        for line in view.lines:
            shown.setdefault(line.key, line)
        for key in set(self.lines) | set(shown):
            line = shown.get(key)
            item = self._line(key)
            item.setVisible(line is not None)
            if line is not None:
                item.setValue(line.value)
                item.label.setFormat(line_texts.get(key, key))
                if line.axis == "probability":
                    peak = max(peak, line.value)
        self.setYRange(0, y_maximum(peak), padding=0)
        self.setXRange(-0.6, right + 0.6, padding=0)


class CompareChart(ThemedPlot):
    """The final probability of the top-N raw tokens in each engine, grouped per token."""

    def __init__(self, engines: list[str], parent=None):
        super().__init__(parent, axisItems={"left": PercentAxis("left"), "bottom": TokenAxis("bottom")})
        self.setMinimumHeight(200)
        self.getPlotItem().setContentsMargins(2, 10, 2, 2)
        self.getPlotItem().setLabel("left", translate("SamplingCharts", "final probability"))
        self.engines = list(engines)
        width = 0.8 / max(1, len(self.engines))
        self.bars = {e: _bars(ENGINE_COLORS[i % len(ENGINE_COLORS)], width) for i, e in enumerate(self.engines)}
        self.raw_marks = pg.ScatterPlotItem(symbol="_", size=18, pen=pg.mkPen(RAW_MARK_COLOR, width=1.5),
                                            brush=pg.mkBrush(RAW_MARK_COLOR))
        for bars in self.bars.values():
            self.addItem(bars)
        self.addItem(self.raw_marks)
        self.view = None

    def show_view(self, view) -> None:
        self.view = view
        n = view.ids.size
        xs = np.arange(n, dtype=float)
        k = max(1, len(self.engines))
        width = 0.8 / k
        peak = float(view.raw.max(initial=0))
        by_engine = {c.engine: c for c in view.columns}
        for i, engine in enumerate(self.engines):
            column = by_engine.get(engine)
            heights = column.final if column is not None else np.zeros(n)
            self.bars[engine].setOpts(x=xs - 0.4 + width * (i + 0.5), height=heights, width=width * 0.92)
            peak = max(peak, float(heights.max(initial=0)))
        self.raw_marks.setData(xs, view.raw)
        self.getPlotItem().getAxis("bottom").set_labels([fmt.token_text(t, 10) for t in view.labels])
        self.setYRange(0, y_maximum(peak), padding=0)
        self.setXRange(-0.6, n - 0.4, padding=0)


class DrawChart(ThemedPlot):
    """How often each token was drawn (bars) against its final probability (markers)."""

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"left": PercentAxis("left"), "bottom": TokenAxis("bottom")})
        self.setMinimumHeight(200)
        self.getPlotItem().setContentsMargins(2, 10, 2, 2)
        self.getPlotItem().setLabel("left", translate("SamplingCharts", "share of draws"))
        self.observed = _bars(AFTER_COLOR, 0.6)
        self.expected = pg.ScatterPlotItem(symbol="_", size=26, pen=pg.mkPen(BEFORE_COLOR, width=1.5),
                                           brush=pg.mkBrush(BEFORE_COLOR))
        self.addItem(self.observed)
        self.addItem(self.expected)
        self.view = None

    def show_view(self, view) -> None:
        self.view = view
        n = view.ids.size
        xs = np.arange(n + 1, dtype=float)
        observed = np.append(view.observed, view.rest_observed)
        expected = np.append(view.expected, view.rest_expected)
        self.observed.setOpts(x=xs, height=observed, width=0.6)
        self.expected.setData(xs, expected)
        labels = [fmt.token_text(t, 10) for t in view.labels] + [translate("SamplingCharts", "others")]
        self.getPlotItem().getAxis("bottom").set_labels(labels)
        peak = max(float(observed.max(initial=0)), float(expected.max(initial=0)))
        self.setYRange(0, y_maximum(peak), padding=0)
        self.setXRange(-0.6, n + 0.6, padding=0)

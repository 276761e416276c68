"""Two pages of the Sampling tab: the same settings through four engines side by side, and drawing tokens.

``ComparePage.show_view(CompareView)`` shows each engine's final probabilities of the top raw tokens, its
kept set, entropy and chain, which engines agree and which tokens they disagree on, and an engine's refusal
as its own message. ``DrawPage.show_draws(DrawsView, ...)`` shows the share of N draws each token got beside
its probability.
"""
from __future__ import annotations

from ..core.sampling import MAIN_ENGINES, get_engine
from ..core.sampling.view import CompareView, DrawsView
from . import format as fmt
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot
from .sampling_charts import AFTER_COLOR, BEFORE_COLOR, ENGINE_COLORS, RAW_MARK_COLOR, CompareChart, DrawChart
from .widgets import compact_combo, compact_rows, error_color

COMPARE_MODES = ("values", "request")


def _swatch(color: str, text: str) -> str:
    return f'<span style="color:{color}">■</span>&nbsp;{_escape(text)}'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ComparePage(QtWidgets.QWidget):
    mode_changed = Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.engines = list(MAIN_ENGINES)
        self.mode = compact_combo()
        self.mode.setObjectName("compare_mode")
        self.mode.addItem(self.tr("Same values: the selected engine's settings, sent to every engine"), "values")
        self.mode.addItem(self.tr("Same request: what you did not set takes each engine's default"), "request")
        self.mode.setToolTip(self.tr(
            "Same request: the settings you set go to every engine, each fills in the rest with its own defaults "
            "(what happens when one request goes to several servers). Same values: every engine gets the numbers "
            "the selected engine ran with, so only the engines' order and boundaries differ."))
        self.mode.currentIndexChanged.connect(self._on_mode_current_index_changed)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self._chart: CompareChart | None = None
        self.legend = QtWidgets.QLabel()
        self.legend.setTextFormat(QtCore.Qt.TextFormat.RichText)
        names = [_swatch(ENGINE_COLORS[i % len(ENGINE_COLORS)], get_engine(e).name)
                 for i, e in enumerate(self.engines)]
        names.append(f'<span style="color:{RAW_MARK_COLOR}">▬</span>&nbsp;' + _escape(self.tr("raw")))
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(names))
        self.table = QtWidgets.QTableWidget(len(self.engines), 5)
        self.table.setObjectName("compare_table")
        self.table.setHorizontalHeaderLabels([self.tr("Kept"), self.tr("Entropy"), self.tr("Perplexity"),
                                              self.tr("Chain, in order"), self.tr("Notes")])
        self.table.setVerticalHeaderLabels([get_engine(e).name for e in self.engines])
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() +
                                  self.table.verticalHeader().defaultSectionSize() * len(self.engines) + 4)
        for r in range(len(self.engines)):
            for c in range(5):
                item = QtWidgets.QTableWidgetItem()
                if c < 3:
                    item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel(self.tr("Compare:")))
        top.addWidget(self.mode, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.legend)
        self._chart_at = layout.count()
        layout.addWidget(self.table)
        self.view: CompareView | None = None

    @property
    def chart(self) -> CompareChart:
        """Made when first needed: a window that never shows this page does not build its plot."""
        if self._chart is None:
            self._chart = CompareChart(self.engines)
            self.layout().insertWidget(self._chart_at, self._chart, 1)
        return self._chart

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.chart  # noqa: B018 - build the plot the first time the page is shown
        super().showEvent(event)

    @property
    def current_mode(self) -> str:
        return self.mode.currentData()

    def show_view(self, view: CompareView) -> None:
        self.view = view
        self.chart.show_view(view)
        name = lambda e: get_engine(e).name  # noqa: E731
        parts = []
        if len(view.groups) == 1:
            parts.append(self.tr("Every engine keeps the same {0} tokens.").format(fmt.exact(view.groups[0][1])))
        elif view.groups:
            groups = "; ".join(self.tr("{0}: {1} tokens").format(", ".join(name(e) for e in engines), fmt.exact(k))
                               for engines, k in view.groups)
            parts.append(self.tr("<b>The kept sets differ</b> — {0}.").format(_escape(groups)))
            if view.disputed:
                parts.append(self.tr("Kept by some engines only: {0}.").format(
                    _escape(", ".join(fmt.token_text(t) for t in view.disputed))))
        refused = [c for c in view.columns if c.error]
        if refused:
            parts.append(self.tr("Refused by {0}.").format(", ".join(name(c.engine) for c in refused)))
        self.summary.setText(" ".join(parts))
        for r, engine in enumerate(self.engines):
            column = next((c for c in view.columns if c.engine == engine), None)
            items = [self.table.item(r, c) for c in range(5)]
            if column is None:
                for it in items:
                    it.setText("")
                continue
            if column.error:
                for it in items[:4]:
                    it.setText("–")
                items[4].setText(self.tr("refused: {0}").format(column.error))
                items[4].setForeground(QtGui.QBrush(error_color()))
                items[4].setToolTip(column.error)
                continue
            items[0].setText(fmt.exact(column.kept))
            items[1].setText(self.tr("{0:.3f} bits").format(column.entropy_bits))
            items[2].setText(f"{column.perplexity:.3g}" if column.perplexity < 1000 else fmt.short_count(column.perplexity))
            chain = " › ".join(column.order) or self.tr("nothing: the raw distribution")
            items[3].setText(chain)
            items[3].setToolTip(chain)
            notes = "; ".join(column.notes)
            items[4].setText(notes)
            items[4].setToolTip(notes)
            items[4].setForeground(QtGui.QBrush())

    @Slot(int)
    def _on_mode_current_index_changed(self, _index: int) -> None:
        self.mode_changed.emit(self.current_mode)


class DrawPage(QtWidgets.QWidget):
    draw_requested = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.count = QtWidgets.QSpinBox()
        self.count.setObjectName("draw_count")
        self.count.setRange(1, 100_000)
        self.count.setValue(1000)
        self.count.setGroupSeparatorShown(True)
        self.count.setToolTip(self.tr("How many tokens to draw, each independently from the final distribution "
                                      "(Mirostat moves its threshold after each draw)."))
        self.seed = QtWidgets.QSpinBox()
        self.seed.setObjectName("draw_seed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(1)
        self.seed.setToolTip(self.tr("The same seed draws the same tokens here. Engines use their own random "
                                     "generators, so a seed there picks other tokens."))
        self.button = QtWidgets.QPushButton(self.tr("&Draw"))
        self.button.setObjectName("draw_button")
        self.button.clicked.connect(self.draw_requested)
        self._chart: DrawChart | None = None
        self.legend = QtWidgets.QLabel(_swatch(AFTER_COLOR, self.tr("share of the draws")) + "&nbsp;&nbsp;&nbsp;" +
                                       f'<span style="color:{BEFORE_COLOR}">▬</span>&nbsp;' +
                                       _escape(self.tr("final probability")))
        self.legend.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("draw_summary")
        self.summary.setWordWrap(True)
        self.chosen = QtWidgets.QLabel()
        self.chosen.setObjectName("engine_choice")
        self.chosen.setWordWrap(True)
        self.chosen.setVisible(False)
        self.tokens = QtWidgets.QLabel()
        self.tokens.setObjectName("drawn_tokens")
        self.tokens.setWordWrap(True)
        self.tokens.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel(self.tr("Tokens:")))
        row.addWidget(self.count)
        row.addWidget(QtWidgets.QLabel(self.tr("Seed:")))
        row.addWidget(self.seed)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.chosen)
        layout.addWidget(self.legend)
        self._chart_at = layout.count()
        layout.addWidget(self.tokens)
        self.view: DrawsView | None = None

    @property
    def chart(self) -> DrawChart:
        """Made when first needed (see ``ComparePage.chart``)."""
        if self._chart is None:
            self._chart = DrawChart()
            self.layout().insertWidget(self._chart_at, self._chart, 1)
        return self._chart

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.chart  # noqa: B018
        super().showEvent(event)

    def show_draws(self, view: DrawsView, drawn_labels: list[str], seed: int) -> None:
        self.view = view
        self.chart.show_view(view)
        worst = max((abs(o - e) for o, e in zip(view.observed, view.expected)), default=0.0)
        self.summary.setText(self.tr("Drew {0} tokens with seed {1}: {2} different tokens. The largest gap between a "
                                     "token's share of the draws and its probability is {3} (it shrinks like "
                                     "1/√N).").format(fmt.exact(view.total), seed, fmt.exact(view.distinct),
                                                      fmt.probability(worst)))
        shown = " · ".join(fmt.token_text(t, 16) for t in drawn_labels[:60])
        more = self.tr(" … ({0} more)").format(fmt.exact(view.total - 60)) if view.total > 60 else ""
        self.tokens.setText(self.tr("First draws: {0}{1}").format(shown, more))

    def show_engine_choice(self, chosen: str | None) -> None:
        """What the engine itself generated after the prompt (for a fetched distribution)."""
        self.chosen.setVisible(chosen is not None)
        if chosen is not None:
            self.chosen.setText(self.tr("The engine itself chose {0} (with its own sampler and random seed).").format(
                fmt.token_text(chosen, 40)))

    def clear(self) -> None:
        self.view = None
        self.summary.setText(self.tr("Press Draw to sample tokens from the final distribution."))
        self.tokens.setText("")

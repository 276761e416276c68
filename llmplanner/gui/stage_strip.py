"""The strip of an engine's sampler chain: one button per stage in the engine's order, each with the tokens
kept, the entropy and the perplexity after it; stages the settings switch off are dimmed and say why.

Clicking a stage selects it (``stage_selected(index)``); the first button ("input") stands for the whole
chain, raw → final (index 0).
"""
from __future__ import annotations

from ..core.sampling.view import StageSummary
from . import format as fmt
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot, translate

_NAMES: dict[str, dict[str, str]] = {}


def short_name(key: str) -> str:
    """A short name per stage key (the engines' own labels are in the tooltip), in the current language."""
    lang = QtCore.QLocale().name()
    names = _NAMES.get(lang)
    if names is None:
        names = _NAMES[lang] = _short_names()
    return names.get(key, key)


def _short_names() -> dict[str, str]:
    return {
        "input": translate("StageStrip", "input"),
        "logit_bias": translate("StageStrip", "logit bias"),
        "penalties": translate("StageStrip", "penalties"),
        "repetition_penalty": translate("StageStrip", "repetition"),
        "dry": translate("StageStrip", "DRY"),
        "top_n_sigma": translate("StageStrip", "top-n-σ"),
        "top_k": translate("StageStrip", "top-k"),
        "typical_p": translate("StageStrip", "typical-p"),
        "top_p": translate("StageStrip", "top-p"),
        "min_p": translate("StageStrip", "min-p"),
        "xtc": translate("StageStrip", "XTC"),
        "temperature": translate("StageStrip", "temperature"),
        "epsilon_cutoff": translate("StageStrip", "ε cut-off"),
        "eta_cutoff": translate("StageStrip", "η cut-off"),
        "mirostat": translate("StageStrip", "Mirostat"),
        "greedy": translate("StageStrip", "greedy"),
    }


def _title(summary: StageSummary, value: str) -> str:
    name = translate("StageStrip", "temp.") if summary.key == "temperature" and value else short_name(summary.key)
    return f"{name} {value}".strip()


class StageStrip(QtWidgets.QScrollArea):
    stage_selected = Signal(int)
    """The user clicked a stage (0: the whole chain)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        inner = QtWidgets.QWidget()
        self._row = QtWidgets.QHBoxLayout(inner)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(2)
        self._row.addStretch(1)
        self.setWidget(inner)
        self._group = QtWidgets.QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self._on_group_id_clicked)
        self.buttons: list[QtWidgets.QToolButton] = []
        self._arrows: list[QtWidgets.QLabel] = []
        self.summaries: list[StageSummary] = []
        self.selected = 0
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        self.setFont(font)
        lines = 4
        self.setFixedHeight(self.fontMetrics().height() * lines + 24 +
                            self.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent) // 2)

    def _button(self, index: int) -> QtWidgets.QToolButton:
        while len(self.buttons) <= index:
            i = len(self.buttons)
            if i:
                arrow = QtWidgets.QLabel("›")
                arrow.setFixedWidth(self.fontMetrics().horizontalAdvance("›") + 2)
                arrow.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
                self._row.insertWidget(self._row.count() - 1, arrow)
                self._arrows.append(arrow)
            b = QtWidgets.QToolButton()
            b.setCheckable(True)
            b.setAutoRaise(False)
            b.setObjectName(f"stage_{i}")
            b.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Expanding)
            b.setStyleSheet("QToolButton { padding: 1px 3px; }")
            self._group.addButton(b, i)
            self._row.insertWidget(self._row.count() - 1, b)
            self.buttons.append(b)
        return self.buttons[index]

    def show_stages(self, summaries: list[StageSummary], values: dict[int, str], sources: dict[int, str]) -> None:
        """One button per stage; ``values`` holds the setting shown after a stage's name (e.g. "0.95")."""
        self.summaries = list(summaries)
        for i, s in enumerate(summaries):
            b = self._button(i)
            b.setVisible(True)
            if i:
                self._arrows[i - 1].setVisible(True)
            if i == 0:
                title = self.tr("input")
            else:
                title = _title(s, values.get(i, "") if s.active else "")
            if s.active or i == 0:
                text = "\n".join((title, self.tr("{0} tokens").format(fmt.exact(s.kept)),
                                  self.tr("{0:.2f} bits").format(s.entropy_bits),
                                  self.tr("ppl {0}").format(_ppl(s.perplexity))))
            else:
                text = "\n".join((title, self.tr("off"), "", ""))
            dim = not s.active and i > 0
            if b.text() != text:
                b.setText(text)
            if b.property("dimmed") != dim:
                b.setProperty("dimmed", dim)
                font = b.font()
                font.setItalic(dim)
                b.setFont(font)
                self._dim(b, dim)
            b.setToolTip(self._tooltip(i, s, sources.get(i, "")))
            b.setAccessibleName(title)
        for j in range(len(summaries), len(self.buttons)):
            self.buttons[j].setVisible(False)
            self._arrows[j - 1].setVisible(False)
        if self.selected >= len(summaries):
            self.selected = 0
        self.buttons[self.selected].setChecked(True)

    def _tooltip(self, i: int, s: StageSummary, source: str) -> str:
        if i == 0:
            head = self.tr("<b>The whole chain</b>: the raw distribution against the final one.")
            body = self.tr("{0} tokens, entropy {1:.3f} bits, perplexity {2}").format(
                fmt.exact(s.kept), s.entropy_bits, _ppl(s.perplexity))
            return f"{head}<br>{body}<br>{self.tr('Click a stage to see what it alone did.')}"
        lines = [f"<b>{_escape(s.label)}</b>"]
        if s.active:
            lines.append(self.tr("Keeps {0} tokens (removed {1}); entropy {2:.3f} bits, perplexity {3}.").format(
                fmt.exact(s.kept), fmt.exact(s.removed), s.entropy_bits, _ppl(s.perplexity)))
        else:
            lines.append(self.tr("Off: this stage changes nothing."))
        if s.note:
            lines.append(_escape(s.note))
        if source:
            lines.append(self.tr("Source: {0}").format(_escape(source)))
        return "<br>".join(lines)

    def _dim(self, button: QtWidgets.QToolButton, dim: bool) -> None:
        pal = QtWidgets.QApplication.palette()
        if dim:
            muted = pal.color(QtGui.QPalette.ColorRole.PlaceholderText)
            pal.setColor(QtGui.QPalette.ColorRole.ButtonText, muted)
        button.setPalette(pal)

    def select(self, index: int) -> None:
        self.selected = index
        if index < len(self.buttons):
            self.buttons[index].setChecked(True)

    @Slot(int)
    def _on_group_id_clicked(self, index: int) -> None:
        self.selected = index
        self.stage_selected.emit(index)


def _ppl(x: float) -> str:
    if x >= 1000:
        return fmt.short_count(x, 1)
    return f"{x:.3g}" if x < 10 else f"{x:.1f}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

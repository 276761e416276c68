"""Small widgets the tabs share: the context slider, summary cards, the notice bar, field messages.

Colours come from the application palette (light or dark, as the system says); sizes from the font, so
everything scales with the system's DPI and font settings.
"""
from __future__ import annotations

from typing import Callable

from . import format as fmt
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot

MIN_CONTEXT = 512
MAX_SLIDER_CONTEXT = 1 << 20


def is_dark(palette: QtGui.QPalette | None = None) -> bool:
    palette = palette or QtWidgets.QApplication.palette()
    return palette.color(QtGui.QPalette.ColorRole.Window).lightness() < 128


def error_color() -> QtGui.QColor:
    return QtGui.QColor("#ff8a80" if is_dark() else "#b71c1c")


def warning_color() -> QtGui.QColor:
    return QtGui.QColor("#ffd180" if is_dark() else "#8a5300")


def compact_rows(table: QtWidgets.QTableView) -> None:
    """Rows one line of text high (the styles' default leaves a blank line's worth in each)."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 4)


def compact_combo() -> QtWidgets.QComboBox:
    """A combo box as wide as its layout gives it, not as wide as its longest entry."""
    box = QtWidgets.QComboBox()
    box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


def context_stops(maximum: int) -> list[int]:
    """Slider positions: 2ᵏ and 1.5·2ᵏ from 512 up to ``maximum`` (which is always the last stop)."""
    stops, k = [], 9
    while True:
        for v in (1 << k, 3 << (k - 1)):
            if v < maximum and v <= MAX_SLIDER_CONTEXT:
                stops.append(v)
        if (1 << k) >= min(maximum, MAX_SLIDER_CONTEXT):
            break
        k += 1
    stops.append(maximum)
    return sorted(set(s for s in stops if s <= maximum)) or [maximum]


class ContextSlider(QtWidgets.QWidget):
    """Context length: a log-scale slider (512 … the model's maximum) and an exact spin box, kept in step."""

    context_changed = Signal(int)
    """The user moved the slider or typed a value (not emitted by ``set_values``)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._stops = context_stops(4096)
        self._updating = False
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setObjectName("context_slider")
        self.slider.setPageStep(2)
        self.slider.setTracking(True)
        self.spin = QtWidgets.QSpinBox()
        self.spin.setObjectName("context_spin")
        self.spin.setGroupSeparatorShown(True)
        self.spin.setKeyboardTracking(False)
        self.spin.setSuffix(self.tr(" tokens"))
        self.spin.setAccelerated(True)
        self.maximum_label = QtWidgets.QLabel()
        tip = self.tr("Tokens of context per sequence (prompt plus generated text). The slider steps through "
                      "powers of two and halfway points up to the model's maximum; type any value in the box.")
        for w in (self.slider, self.spin):
            w.setToolTip(tip)
        self.setToolTip(tip)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        layout.addWidget(self.maximum_label)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.spin.valueChanged.connect(self._on_spin_value_changed)
        self.set_values(4096, 4096)

    def set_values(self, context: int, maximum: int) -> None:
        """Show ``context`` (clamped to 1 … ``maximum``) without emitting ``context_changed``."""
        maximum = max(1, int(maximum))
        self._updating = True
        try:
            self._stops = context_stops(maximum)
            self.slider.setRange(0, len(self._stops) - 1)
            self.spin.setRange(1, maximum)
            self.maximum_label.setText(self.tr("of {0}").format(fmt.exact(maximum)))
            self._show(min(max(1, int(context)), maximum))
        finally:
            self._updating = False

    @property
    def value(self) -> int:
        return self.spin.value()

    def _show(self, context: int) -> None:
        self.spin.setValue(context)
        nearest = min(range(len(self._stops)), key=lambda i: abs(self._stops[i] - context))
        self.slider.setValue(nearest)

    @Slot(int)
    def _on_slider_value_changed(self, index: int) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self.spin.setValue(self._stops[index])
        finally:
            self._updating = False
        self.context_changed.emit(self.spin.value())

    @Slot(int)
    def _on_spin_value_changed(self, value: int) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self._show(value)
        finally:
            self._updating = False
        self.context_changed.emit(value)


class SummaryCard(QtWidgets.QFrame):
    """A headline number: caption, value in a large font, a detail line."""

    def __init__(self, caption: str, tooltip: str = "", parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setToolTip(tooltip)
        self.caption = QtWidgets.QLabel(caption)
        self.value = QtWidgets.QLabel("–")
        self.value.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QtWidgets.QLabel("")
        self.detail.setWordWrap(True)
        self._mute()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def _mute(self) -> None:
        muted = QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.PlaceholderText)
        for label in (self.caption, self.detail):
            pal = QtWidgets.QApplication.palette()
            pal.setColor(QtGui.QPalette.ColorRole.WindowText, muted)
            label.setPalette(pal)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange:  # the system switched light/dark
            self._mute()


class FieldMessage(QtWidgets.QLabel):
    """The message shown under an input that holds an invalid value (hidden otherwise)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setAccessibleName(self.tr("Input error"))

    def show_message(self, text: str) -> None:
        self._paint()
        self.setText(text)
        self.setVisible(bool(text))

    def _paint(self) -> None:
        pal = QtWidgets.QApplication.palette()
        pal.setColor(QtGui.QPalette.ColorRole.WindowText, error_color())
        self._painting = True
        try:
            self.setPalette(pal)
        finally:
            self._painting = False

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange and not getattr(self, "_painting", False):
            self._paint()

    def clear_message(self) -> None:
        self.setText("")
        self.setVisible(False)


class NoticeBar(QtWidgets.QFrame):
    """A dismissable bar above the tabs for things the user should know (notices, a plan to recover)."""

    dismissed = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("notice_bar")
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QtWidgets.QLabel(wordWrap=True)
        self.label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self._buttons = QtWidgets.QHBoxLayout()
        close = QtWidgets.QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss this message"))
        close.clicked.connect(self.dismiss)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addLayout(self._buttons)
        layout.addWidget(close, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)
        self._tint()

    def _tint(self) -> None:
        pal = QtWidgets.QApplication.palette()
        base = pal.color(QtGui.QPalette.ColorRole.Window)
        accent = pal.color(QtGui.QPalette.ColorRole.Highlight)
        mix = QtGui.QColor(
            int(base.red() * 0.82 + accent.red() * 0.18),
            int(base.green() * 0.82 + accent.green() * 0.18),
            int(base.blue() * 0.82 + accent.blue() * 0.18),
        )
        pal.setColor(QtGui.QPalette.ColorRole.Window, mix)
        self._tinting = True
        try:
            self.setPalette(pal)
        finally:
            self._tinting = False

    def show_notice(self, text: str, actions: list[tuple[str, Callable[[], None]]] = ()) -> None:
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for label, callback in actions:
            button = QtWidgets.QPushButton(label)
            button.clicked.connect(callback)
            button.clicked.connect(self.dismiss)
            self._buttons.addWidget(button)
        self.label.setText(text)
        self.setVisible(True)

    @Slot()
    def dismiss(self) -> None:
        self.setVisible(False)
        self.dismissed.emit()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange and not getattr(self, "_tinting", False):
            self._tint()

"""Ready-to-run commands for the chosen format, one page per tool, each with a Copy button."""
from __future__ import annotations

from ..core.commands import RunCommand
from .qt import QtGui, QtWidgets, Signal, Slot


class CommandsPanel(QtWidgets.QWidget):
    copied = Signal(str)
    """The tool whose command was copied to the clipboard."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.commands: tuple[RunCommand, ...] = ()
        self.heading = QtWidgets.QLabel()
        self.heading.setWordWrap(True)
        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setObjectName("command_text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        self.text.setToolTip(self.tr("The command, ready to paste into a terminal (or a Python file)."))
        self.copy_button = QtWidgets.QPushButton(self.tr("&Copy"))
        self.copy_button.setObjectName("copy_command")
        self.copy_button.setToolTip(self.tr("Copy this command to the clipboard."))
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.notes = QtWidgets.QLabel()
        self.notes.setWordWrap(True)
        self.source = QtWidgets.QLabel()
        self.source.setOpenExternalLinks(True)
        self.source.setWordWrap(True)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.pages, 1)
        bar.addWidget(self.copy_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.source)
        self.pages.currentChanged.connect(self._on_pages_current_changed)
        self.show_commands((), "")

    def show_commands(self, commands, heading: str) -> None:
        current = self.current_tool()
        self.commands = tuple(commands)
        self.heading.setText(heading)
        self.pages.blockSignals(True)
        try:
            while self.pages.count():
                self.pages.removeTab(0)
            for c in self.commands:
                self.pages.addTab(QtWidgets.QWidget(), c.title)
            tools = [c.tool for c in self.commands]
            self.pages.setCurrentIndex(tools.index(current) if current in tools else 0)
        finally:
            self.pages.blockSignals(False)
        self.pages.setVisible(bool(self.commands))
        self.copy_button.setEnabled(bool(self.commands))
        self._show_current()

    def current_tool(self) -> str | None:
        i = self.pages.currentIndex()
        return self.commands[i].tool if 0 <= i < len(self.commands) else None

    def command_for(self, tool: str) -> RunCommand | None:
        return next((c for c in self.commands if c.tool == tool), None)

    def _show_current(self) -> None:
        i = self.pages.currentIndex()
        if not 0 <= i < len(self.commands):
            self.text.setPlainText("")
            self.notes.setText("")
            self.source.setText("")
            return
        c = self.commands[i]
        self.text.setPlainText(c.text)
        self.notes.setText("\n".join(f"• {n}" for n in c.notes))
        self.notes.setVisible(bool(c.notes))
        self.source.setText(self.tr("Flags as documented in <a href=\"{0}\">{0}</a>").format(c.source))

    @Slot(int)
    def _on_pages_current_changed(self, _index: int) -> None:
        self._show_current()

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        tool = self.current_tool()
        if tool is None:
            return
        QtWidgets.QApplication.clipboard().setText(self.command_for(tool).text)
        self.copied.emit(tool)

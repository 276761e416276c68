"""One handler for unexpected exceptions: GUI thread (``sys.excepthook``), other threads
(``threading.excepthook``) and workers (``Computation`` calls ``report_exception``).

Each exception is written to a log (``crashlog.write_crash_log``) and shown in a dialog with a copyable
report; the app keeps running. Expected errors (``PlannerError``) never come here: tabs show them as
messages where the user typed.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

from ..crashlog import crash_report, write_crash_log
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot

_handler: "ExceptionHandler | None" = None


@dataclass(frozen=True)
class ErrorReport:
    summary: str
    report: str
    log_path: str


def report_exception(exc: BaseException) -> None:
    """Send an unexpected exception to the installed handler (or to ``sys.excepthook`` when none is)."""
    if _handler is not None:
        _handler.handle(exc)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


class ExceptionHandler(QtCore.QObject):
    """Installed once by the app; ``reports`` keeps what was caught (the smoke test fails on any)."""

    exception_caught = Signal(object)
    """An ``ErrorReport``, delivered on the GUI thread."""

    def __init__(self, *, show_dialogs: bool = True, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self.show_dialogs = show_dialogs
        self.reports: list[ErrorReport] = []
        self._dialog: ErrorDialog | None = None
        self._previous = None
        self._handling = threading.local()
        self.exception_caught.connect(self._on_self_exception_caught)

    def install(self) -> None:
        global _handler
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_sys_excepthook
        threading.excepthook = self._on_threading_excepthook
        _handler = self

    def uninstall(self) -> None:
        global _handler
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
        if _handler is self:
            _handler = None

    def _on_sys_excepthook(self, exc_type, exc, tb) -> None:
        if exc is None:
            exc = exc_type()
        if tb is not None and exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self.handle(exc)

    def _on_threading_excepthook(self, args) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_value)

    def handle(self, exc: BaseException) -> None:
        """Log ``exc`` and show it (from any thread). Never raises."""
        if isinstance(exc, KeyboardInterrupt):
            QtWidgets.QApplication.quit()
            return
        if getattr(self._handling, "active", False):  # the handler itself failed: print and stop there
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
            return
        self._handling.active = True
        try:
            path = write_crash_log(exc)
            summary = f"{type(exc).__name__}: {exc}"
            report = ErrorReport(summary, crash_report(exc), str(path))
            self.exception_caught.emit(report)  # queued when called from another thread
        except Exception:  # noqa: BLE001 - last line of defence
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
        finally:
            self._handling.active = False

    @Slot(object)
    def _on_self_exception_caught(self, report: ErrorReport) -> None:
        self.reports.append(report)
        print(f"llmplanner: unexpected error: {report.summary} (details in {report.log_path})", file=sys.stderr)
        if not self.show_dialogs:
            return
        if self._dialog is None:
            self._dialog = ErrorDialog(QtWidgets.QApplication.activeWindow())
            self._dialog.finished.connect(self._on_dialog_finished)
        self._dialog.add_report(report)
        self._dialog.show()
        self._dialog.raise_()

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
            self._dialog = None


class ErrorDialog(QtWidgets.QDialog):
    """Says that something went wrong, that the work is safe, and gives a report to copy."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("llmplanner: unexpected error"))
        self.setModal(False)
        self._count = 0
        layout = QtWidgets.QVBoxLayout(self)
        self.message = QtWidgets.QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.details = QtWidgets.QPlainTextEdit(readOnly=True)
        self.details.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumSize(640, 260)
        layout.addWidget(self.details)
        buttons = QtWidgets.QDialogButtonBox()
        self.copy_button = buttons.addButton(self.tr("&Copy report"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip(self.tr("Copy the whole report to the clipboard, to paste into a bug report."))
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        close = buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)

    def add_report(self, report: ErrorReport) -> None:
        self._count += 1
        self.message.setText(self.tr(
            "Something went wrong inside llmplanner ({0}). The app keeps running and your plan is safe "
            "(unsaved changes are autosaved). The details were written to {1}; please include them if you "
            "report the problem.").format(report.summary, report.log_path))
        if self._count > 1:
            self.setWindowTitle(self.tr("llmplanner: {0} unexpected errors").format(self._count))
        text = self.details.toPlainText()
        self.details.setPlainText((text + "\n" + "-" * 72 + "\n" if text else "") + report.report)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.details.toPlainText())

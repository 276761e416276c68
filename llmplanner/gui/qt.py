"""The one place the app imports Qt from (a thin version of qutebrowser's ``qt`` wrapper).

Importing this module first also tells pyqtgraph which binding to use, so pyqtgraph always sits on the
PySide6 that the app tested (style.md: import PySide6 before pyqtgraph).
"""
from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import PySide6  # noqa: E402
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402
from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot  # noqa: E402

PYSIDE_VERSION = PySide6.__version__
QT_VERSION = QtCore.qVersion()

__all__ = ["QtCore", "QtGui", "QtWidgets", "Qt", "Signal", "Slot", "QCoreApplication", "translate",
           "PYSIDE_VERSION", "QT_VERSION"]


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate``: for strings outside a QObject method or in a shared base class."""
    return QCoreApplication.translate(context, text, disambiguation, n)

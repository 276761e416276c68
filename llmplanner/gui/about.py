"""Help ▸ About: version, licence, the libraries in use and the sources behind the numbers."""
from __future__ import annotations

import html
import sys

from .. import __version__
from .qt import PYSIDE_VERSION, QT_VERSION, QtCore, QtWidgets, translate


def versions() -> dict[str, str]:
    import pyqtgraph

    return {"llmplanner": __version__, "Python": sys.version.split()[0], "Qt": QT_VERSION,
            "PySide6": PYSIDE_VERSION, "pyqtgraph": pyqtgraph.__version__}


def general_sources() -> list[str]:
    return [
        translate("About", "Model shapes: each model's Hugging Face config.json, read by rules written from "
                           "transformers' configuration and modeling files (llmplanner/core/hf_config.py)."),
        translate("About", "Tensor names: llama.cpp's GGUF convention (gguf-py/gguf/constants.py)."),
    ]


class AboutDialog(QtWidgets.QDialog):
    def __init__(self, tab_classes, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About llmplanner"))
        v = versions()
        sources = general_sources()
        for cls in tab_classes:
            sources += [s for s in cls.sources() if s not in sources]
        text = (
            f"<h2>llmplanner {html.escape(v['llmplanner'])}</h2>"
            + "<p>" + html.escape(self.tr("Will this LLM run on my machine? In which precision, with how much "
                                          "context, how fast? And what do the sampling settings actually do?"))
            + "</p><p>" + html.escape(self.tr("Licence: MIT. Python {0}, Qt {1}, PySide6 {2}, pyqtgraph {3}.").format(
                v["Python"], v["Qt"], v["PySide6"], v["pyqtgraph"])) + "</p>"
            + "<h3>" + html.escape(self.tr("Where the numbers come from")) + "</h3><ul>"
            + "".join(f"<li>{html.escape(s)}</li>" for s in sources) + "</ul>"
        )
        label = QtWidgets.QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(True)
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        label.setContentsMargins(12, 0, 12, 12)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(label)
        scroll.setWidgetResizable(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(620, 460)
        self.text = text

"""The model picker, always at hand above the tabs: search the presets or open a model from disk or the Hub.

It proposes ``ModelSource``s (``model_chosen``); the controller loads them. What a dropped or opened path is
(config.json, model folder, GGUF, safetensors) is decided as on the command line
(``cli.common.guess_source_kind``).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..cli.common import guess_source_kind
from ..core.plan import PLAN_SUFFIX, ModelSource
from ..core.presets import all_presets
from . import format as fmt
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot
from .widgets import error_color

HUB_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
"""owner/name as the Hub accepts them (huggingface_hub's ``validate_repo_id``: letters, digits, . _ -)."""


def source_for_path(path: str) -> ModelSource:
    """The model a file or folder the user picked or dropped names."""
    return ModelSource(guess_source_kind(path), str(Path(path).absolute()))


def is_plan_file(path: str) -> bool:
    return path.lower().endswith(PLAN_SUFFIX)


class ModelPicker(QtWidgets.QWidget):
    model_chosen = Signal(object)
    """A ``ModelSource`` the user picked."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._names = [p.name for p in all_presets()]
        self._shown_source: ModelSource | None = None
        self.search = QtWidgets.QComboBox()
        self.search.setObjectName("model_search")
        self.search.setEditable(True)
        self.search.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.search.setMinimumContentsLength(22)
        self.search.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for p in all_presets():
            total = f" · {fmt.short_count(p.total_params)}" if p.total_params else ""
            self.search.addItem(p.name, p.name)
            self.search.setItemData(self.search.count() - 1, f"{p.name}{total} · {p.hf_repo or ''}",
                                    QtCore.Qt.ItemDataRole.ToolTipRole)
        completer = self.search.completer()
        completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.PopupCompletion)
        self.search.lineEdit().setPlaceholderText(self.tr("Search the built-in models…"))
        self.search.setToolTip(self.tr("Type part of a name (e.g. llama, 7b) and pick a built-in model. "
                                       "Ctrl+L jumps here."))
        self.search.activated.connect(self._on_search_activated)
        self.search.lineEdit().returnPressed.connect(self._on_search_return_pressed)

        self.open_button = QtWidgets.QToolButton()
        self.open_button.setText(self.tr("&Open model"))
        self.open_button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.open_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.open_button.setToolTip(self.tr("Read a model's shape from a config.json, a model folder, a GGUF file "
                                            "or a Hugging Face Hub repo. Only headers are read, never weights."))
        menu = QtWidgets.QMenu(self.open_button)
        self.action_config = menu.addAction(self.tr("config.json…"), self.open_config)
        self.action_folder = menu.addAction(self.tr("Model folder (safetensors)…"), self.open_folder)
        self.action_gguf = menu.addAction(self.tr("GGUF file…"), self.open_gguf)
        menu.addSeparator()
        self.action_hub = menu.addAction(self.tr("Hugging Face Hub repo…"), self.open_hub)
        self.open_button.setMenu(menu)

        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("model_summary")
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("model_error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)

        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        label = QtWidgets.QLabel(self.tr("&Model:"))
        label.setBuddy(self.search)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.open_button)
        layout.addSpacing(8)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.error, 1)

    # -- showing ---------------------------------------------------------------------------------------------
    def show_model(self, source: ModelSource, loaded) -> None:
        """Reflect the plan's model (no signal)."""
        self.search.blockSignals(True)
        index = self.search.findData(source.value) if source.kind == "preset" else -1
        if index >= 0:
            self.search.setCurrentIndex(index)
        else:
            self.search.setEditText(source.label)
        self.search.blockSignals(False)
        a = loaded.architecture
        kind = {
            "preset": self.tr("built-in"), "config": "config.json", "safetensors": "safetensors", "gguf": "GGUF",
            "hf-repo": self.tr("Hub"), "custom": self.tr("edited"),
        }[source.kind]
        att = a.attention
        self.summary.setText(self.tr("{0} · {1} layers · hidden {2} · {3} {4}/{5} heads · {6} parameters").format(
            kind, a.num_layers, fmt.exact(a.hidden_size), att.grouping, att.num_heads, att.num_kv_heads,
            fmt.short_count(loaded.total_params)))
        self.summary.setToolTip(source.value)
        if source != self._shown_source:  # a failed load falls back to the model shown: its message stays
            self.clear_error()
        self._shown_source = source

    def show_error(self, message: str) -> None:
        pal = self.error.palette()
        pal.setColor(QtGui.QPalette.ColorRole.WindowText, error_color())
        self.error.setPalette(pal)
        self.error.setText(message)
        self.error.setToolTip(message)
        self.error.setVisible(True)
        self.summary.setVisible(False)

    def clear_error(self) -> None:
        self.error.setVisible(False)
        self.summary.setVisible(True)

    # -- choosing --------------------------------------------------------------------------------------------
    @Slot(int)
    def _on_search_activated(self, index: int) -> None:
        name = self.search.itemData(index)
        if name:
            self.model_chosen.emit(ModelSource.preset(name))

    @Slot()
    def _on_search_return_pressed(self) -> None:
        text = self.search.currentText().strip()
        if not text:
            return
        matches = [n for n in self._names if text.lower() == n.lower()] or \
                  [n for n in self._names if text.lower() in n.lower()]
        if len(matches) == 1 or (matches and matches[0].lower() == text.lower()):
            self.model_chosen.emit(ModelSource.preset(matches[0]))
        elif HUB_REPO_ID.match(text):
            self.model_chosen.emit(ModelSource("hf-repo", text))
        else:
            self.show_error(self.tr("No built-in model matches {0!r}. Type part of a name, or a Hub repo id "
                                    "such as Qwen/Qwen2.5-7B.").format(text)
                            if not matches else
                            self.tr("{0} built-in models match: {1}").format(len(matches), ", ".join(matches[:6])))

    def _dialog_dir(self) -> str:
        return str(Path.home())

    def open_config(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open a config.json"), self._dialog_dir(), self.tr("Model config (*.json);;All files (*)"))
        if path:
            self.model_chosen.emit(ModelSource("config", path))

    def open_folder(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, self.tr("Open a model folder"), self._dialog_dir())
        if path:
            self.model_chosen.emit(source_for_path(path))

    def open_gguf(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open a GGUF file"), self._dialog_dir(), self.tr("GGUF models (*.gguf);;All files (*)"))
        if path:
            self.model_chosen.emit(ModelSource("gguf", path))

    def open_hub(self) -> None:
        text, ok = QtWidgets.QInputDialog.getText(
            self, self.tr("Hugging Face Hub repo"),
            self.tr("Repo id (owner/name). Only config.json and the weight index are fetched, over the network:"))
        text = text.strip()
        if not ok or not text:
            return
        if not HUB_REPO_ID.match(text):
            self.show_error(self.tr("{0!r} is not a Hub repo id: it looks like owner/name, e.g. "
                                    "meta-llama/Meta-Llama-3-8B.").format(text))
            return
        self.model_chosen.emit(ModelSource("hf-repo", text))

    def focus_search(self) -> None:
        self.search.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search.lineEdit().selectAll()

"""Where the Sampling tab's next-token distribution comes from: a synthetic Zipf-like one, a typed or pasted
``token: value`` list (edited in a table), or a real one fetched from an engine the user runs locally.

``DistributionPanel`` holds the choice and the parameters (remembered in the app's settings);
``TokenListEditor`` is the table. Neither builds distributions on the GUI thread except the typed list, which
is small: the tab runs the Zipf generator and the fetch on workers.
"""
from __future__ import annotations

import re

from ..core.errors import PlannerError
from ..core.sampling import FETCH_KINDS, Distribution, parse_token_values
from ..core.sampling.synthetic import MAX_VOCAB
from ..core.sampling.view import raw_ranking
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot
from .widgets import FieldMessage, compact_combo, compact_rows, error_color

SOURCES = ("synthetic", "typed", "engine")
DEFAULT_URLS = {"llama-server": "http://127.0.0.1:8080", "openai-completions": "http://127.0.0.1:8000",
                "openai-chat": "http://127.0.0.1:8000", "ollama": "http://127.0.0.1:11434"}
FETCH_TIMEOUT_S = 20.0

#: An example list: logits with a three-way tie, to see how each engine's top-k cuts through a tie.
EXAMPLE_ROWS = (('" Paris"', "2.8"), ('" the"', "1.2"), ('" a"', "0.9"), ('" France"', "0.9"),
                ('" located"', "0.9"), ('" home"', "0.2"), ('" not"', "-0.5"), ('"\\n"', "-1.0"))


class DistributionPanel(QtWidgets.QGroupBox):
    source_changed = Signal(str)
    synthetic_changed = Signal()
    """The vocabulary size, head or tail changed."""
    fetch_requested = Signal()
    edit_list_requested = Signal()

    def __init__(self, settings=None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Distribution"))
        self._settings = settings
        self.vocab_edited = False
        self.source = compact_combo()
        self.source.setObjectName("distribution_source")
        self.source.addItem(self.tr("Synthetic (Zipf-like)"), "synthetic")
        self.source.addItem(self.tr("Typed list"), "typed")
        self.source.addItem(self.tr("From a running engine"), "engine")
        self.source.setToolTip(self.tr(
            "Synthetic: a Zipf-Mandelbrot distribution with readable pseudo-tokens. Typed: your own 'token: value' "
            "list. From a running engine: the real next-token probabilities after a prompt, from llama-server, "
            "an OpenAI-compatible server (vLLM, LM Studio …) or Ollama on your machine."))
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self._synthetic_page())
        self.stack.addWidget(self._typed_page())
        self.stack.addWidget(self._engine_page())
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.stack)
        self._restore()
        self._fit_page()
        self.source.currentIndexChanged.connect(self._on_source_current_index_changed)

    # -- pages -------------------------------------------------------------------------------------------------
    def _synthetic_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.vocab = QtWidgets.QSpinBox()
        self.vocab.setObjectName("vocab_size")
        self.vocab.setRange(2, MAX_VOCAB)
        self.vocab.setGroupSeparatorShown(True)
        self.vocab.setKeyboardTracking(False)
        self.vocab.setSuffix(self.tr(" tokens"))
        self.vocab.setValue(32000)
        self.vocab.setToolTip(self.tr("How many tokens the vocabulary has (2 to 262,144). It starts at the plan's "
                                      "model's vocabulary."))
        self.head = QtWidgets.QDoubleSpinBox()
        self.head.setObjectName("head")
        self.head.setRange(0.1, 99.0)
        self.head.setDecimals(1)
        self.head.setSingleStep(1.0)
        self.head.setSuffix(" %")
        self.head.setKeyboardTracking(False)
        self.head.setValue(30.0)
        self.head.setToolTip(self.tr("The probability of the most likely token: high when the model is sure of "
                                     "the next token, low when many continuations fit. In percent."))
        self.exponent = QtWidgets.QDoubleSpinBox()
        self.exponent.setObjectName("exponent")
        self.exponent.setRange(0.3, 4.0)
        self.exponent.setSingleStep(0.05)
        self.exponent.setKeyboardTracking(False)
        self.exponent.setValue(1.1)
        self.exponent.setToolTip(self.tr("How fast the tail falls off: p(rank r) ∝ (r + q)^−s (Zipf–Mandelbrot). "
                                         "About 1 for natural text; larger values give a shorter tail. No unit."))
        form.addRow(self.tr("Vocabulary:"), self.vocab)
        form.addRow(self.tr("Top token:"), self.head)
        form.addRow(self.tr("Tail exponent:"), self.exponent)
        self._offering = False
        self.vocab.valueChanged.connect(self._on_vocab_value_changed)
        for box in (self.vocab, self.head, self.exponent):
            box.valueChanged.connect(self._on_synthetic_value_changed)
        return page

    def _typed_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        text = QtWidgets.QLabel(self.tr("Type or paste 'token: value' lines (logits or probabilities) on the "
                                        "Token list page."))
        text.setWordWrap(True)
        button = QtWidgets.QPushButton(self.tr("Edit the list"))
        button.clicked.connect(self.edit_list_requested)
        layout.addWidget(text)
        layout.addWidget(button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        return page

    def _engine_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.kind = compact_combo()
        self.kind.setObjectName("fetch_kind")
        names = {"llama-server": self.tr("llama-server (/completion)"),
                 "openai-completions": self.tr("OpenAI-compatible (/v1/completions)"),
                 "openai-chat": self.tr("OpenAI-compatible chat (/v1/chat/completions)"),
                 "ollama": self.tr("Ollama (/api/generate)")}
        for k in FETCH_KINDS:
            self.kind.addItem(names.get(k, k), k)
        self.kind.setToolTip(self.tr("Which API the server speaks. vLLM, LM Studio and llama-server all answer "
                                     "the OpenAI-compatible ones; Ollama needs 0.12.11 or newer for "
                                     "log-probabilities."))
        self.url = QtWidgets.QLineEdit(DEFAULT_URLS["llama-server"])
        self.url.setObjectName("fetch_url")
        self.url.setToolTip(self.tr("The server's address, e.g. http://127.0.0.1:8080 (the API's usual path is "
                                    "added when none is given)."))
        self.model = QtWidgets.QLineEdit()
        self.model.setObjectName("fetch_model")
        self.model.setPlaceholderText(self.tr("needed by vLLM and Ollama"))
        self.model.setToolTip(self.tr("The model name the server knows (as 'ollama list' shows it); llama-server "
                                      "ignores it."))
        self.prompt = QtWidgets.QPlainTextEdit("The capital of France is")
        self.prompt.setObjectName("fetch_prompt")
        self.prompt.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 10)
        self.prompt.setToolTip(self.tr("The text before the token to predict."))
        self.top_n = QtWidgets.QSpinBox()
        self.top_n.setObjectName("fetch_top_n")
        self.top_n.setRange(1, 1000)
        self.top_n.setValue(20)
        self.top_n.setToolTip(self.tr("How many of the most likely next tokens to ask for (Ollama gives at most "
                                      "20). The probability of the rest is shown as 'unlisted'."))
        self.fetch_button = QtWidgets.QPushButton(self.tr("&Fetch"))
        self.fetch_button.setObjectName("fetch_button")
        self.fetch_button.setToolTip(self.tr("Ask the server for one token with neutral sampling (temperature 1, "
                                             "nothing cut) and its alternatives; gives up after {0:g} s.").format(
                                                 FETCH_TIMEOUT_S))
        self.fetch_button.clicked.connect(self.fetch_requested)
        self.fetch_status = QtWidgets.QLabel()
        self.fetch_status.setObjectName("fetch_status")
        self.fetch_status.setWordWrap(True)
        self.fetch_status.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fetch_error = FieldMessage()
        self.fetch_error.setObjectName("fetch_error")
        form.addRow(self.tr("API:"), self.kind)
        form.addRow(self.tr("URL:"), self.url)
        form.addRow(self.tr("Model:"), self.model)
        form.addRow(self.tr("Prompt:"), self.prompt)
        form.addRow(self.tr("Alternatives:"), self.top_n)
        form.addRow(self.fetch_button)
        form.addRow(self.fetch_error)
        form.addRow(self.fetch_status)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._last_kind = "llama-server"
        return page

    # -- state -------------------------------------------------------------------------------------------------
    @property
    def current_source(self) -> str:
        return self.source.currentData()

    def set_source(self, source: str) -> None:
        self.source.setCurrentIndex(SOURCES.index(source))

    def synthetic_parameters(self) -> tuple[int, float, float]:
        return self.vocab.value(), self.head.value() / 100.0, self.exponent.value()

    def fetch_parameters(self) -> tuple[str, str, str, str | None, int, float]:
        model = self.model.text().strip() or None
        return (self.kind.currentData(), self.url.text().strip(), self.prompt.toPlainText(), model,
                self.top_n.value(), FETCH_TIMEOUT_S)

    def offer_vocabulary(self, size: int) -> None:
        """The plan's model's vocabulary, used until the user picks a size."""
        if not self.vocab_edited and 2 <= size <= MAX_VOCAB and size != self.vocab.value():
            self._offering = True
            try:
                self.vocab.setValue(size)
            finally:
                self._offering = False

    def _restore(self) -> None:
        s = self._settings
        if s is None:
            return
        source = s.get_str("sampling/source", "synthetic")
        if source in SOURCES:
            self.source.setCurrentIndex(SOURCES.index(source))
            self.stack.setCurrentIndex(SOURCES.index(source))
        vocab = s.get_int("sampling/vocab", 0)
        if vocab:
            self.vocab.blockSignals(True)
            self.vocab.setValue(vocab)
            self.vocab.blockSignals(False)
            self.vocab_edited = True
        for box, key in ((self.head, "sampling/head"), (self.exponent, "sampling/exponent")):
            value = s.get_float(key, 0.0)
            if value:
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
        kind = s.get_str("sampling/fetch_kind", "")
        if kind in FETCH_KINDS:
            self.kind.setCurrentIndex(FETCH_KINDS.index(kind))
            self._last_kind = kind
        for edit, key in ((self.url, "sampling/fetch_url"), (self.model, "sampling/fetch_model")):
            text = s.get_str(key, "")
            if text:
                edit.setText(text)
        prompt = s.get_str("sampling/fetch_prompt", "")
        if prompt:
            self.prompt.setPlainText(prompt)

    def remember(self) -> None:
        s = self._settings
        if s is None:
            return
        s.set("sampling/source", self.current_source)
        s.set("sampling/head", self.head.value())
        s.set("sampling/exponent", self.exponent.value())
        if self.vocab_edited:
            s.set("sampling/vocab", self.vocab.value())
        s.set("sampling/fetch_kind", self.kind.currentData())
        s.set("sampling/fetch_url", self.url.text())
        s.set("sampling/fetch_model", self.model.text())
        s.set("sampling/fetch_prompt", self.prompt.toPlainText())

    # -- slots -------------------------------------------------------------------------------------------------
    def _fit_page(self) -> None:
        """The stack as tall as the page shown (not the tallest page)."""
        for i in range(self.stack.count()):
            page = self.stack.widget(i)
            policy = QtWidgets.QSizePolicy.Policy.Preferred if i == self.stack.currentIndex() else \
                QtWidgets.QSizePolicy.Policy.Ignored
            page.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, policy)
        self.stack.adjustSize()

    @Slot(int)
    def _on_source_current_index_changed(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._fit_page()
        self.remember()
        self.source_changed.emit(SOURCES[index])

    @Slot()
    def _on_synthetic_value_changed(self, *_):
        self.remember()
        self.synthetic_changed.emit()

    @Slot(int)
    def _on_vocab_value_changed(self, _value: int) -> None:
        self.vocab_edited = self.vocab_edited or not self._offering

    @Slot(int)
    def _on_kind_current_index_changed(self, _index: int) -> None:
        kind = self.kind.currentData()
        if self.url.text().strip() in ("", DEFAULT_URLS.get(self._last_kind, "")):
            self.url.setText(DEFAULT_URLS[kind])
        self._last_kind = kind


# --- the token table ------------------------------------------------------------------------------------------

_LINE = re.compile(r"^line (\d+):")
_PASTED = re.compile(r"^(?P<token>.*?)\s*(?:[:=\t])\s*(?P<value>[^:=\t]*)$")


class TokenListEditor(QtWidgets.QWidget):
    """A table of ``token | value`` rows; each row is one line of ``parse_token_values``' format.

    A token with spaces at its ends, a quote or a colon is written as a JSON string (``" Paris"``, ``"\\n"``).
    Errors name the row (the parser's "line N") and colour it.
    """

    list_edited = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.kind = compact_combo()
        self.kind.setMinimumContentsLength(22)
        self.kind.setObjectName("list_kind")
        self.kind.addItem(self.tr("Values: automatic"), "auto")
        self.kind.addItem(self.tr("Values are logits"), "logit")
        self.kind.addItem(self.tr("Values are probabilities"), "prob")
        self.kind.setToolTip(self.tr("Automatic reads the values as probabilities when all are between 0 and 1 and "
                                     "they sum to at most 1 (or use %), as logits otherwise. Probabilities that "
                                     "sum to less than 1 leave the rest as unlisted tokens."))
        self.table = QtWidgets.QTableWidget(0, 2)
        self.table.setObjectName("token_table")
        compact_rows(self.table)
        self.table.setHorizontalHeaderLabels([self.tr("Token"), self.tr("Value")])
        self.table.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip(self.tr("One token per row. Quote tokens with spaces at their ends or special "
                                      "characters as JSON: \" Paris\", \"\\n\". Ctrl+V pastes 'token: value' lines."))
        add = QtWidgets.QPushButton(self.tr("Add row"))
        add.clicked.connect(self._on_add_clicked)
        remove = QtWidgets.QPushButton(self.tr("Remove rows"))
        remove.clicked.connect(self._on_remove_clicked)
        paste = QtWidgets.QPushButton(self.tr("Paste lines"))
        paste.setToolTip(self.tr("Replace the table with the 'token: value' lines on the clipboard."))
        paste.clicked.connect(self._on_paste_clicked)
        self.copy_current = QtWidgets.QPushButton(self.tr("Take the current distribution"))
        self.copy_current.setToolTip(self.tr("Fill the table with the 50 most likely tokens of the distribution "
                                             "shown now, as probabilities, to edit them."))
        self.message = FieldMessage()
        self.message.setObjectName("list_message")
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.kind)
        for b in (add, remove, paste, self.copy_current):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._filling = False
        self.set_rows(EXAMPLE_ROWS)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._paste_shortcut = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Paste, self.table)
        self._paste_shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._paste_shortcut.activated.connect(self._on_paste_clicked)

    def set_rows(self, rows) -> None:
        self._filling = True
        try:
            self.table.setRowCount(0)
            for token, value in rows:
                r = self.table.rowCount()
                self.table.insertRow(r)
                self.table.setItem(r, 0, QtWidgets.QTableWidgetItem(token))
                self.table.setItem(r, 1, QtWidgets.QTableWidgetItem(value))
        finally:
            self._filling = False

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in (0, 1)]
            out.append(tuple((c.text() if c is not None else "") for c in cells))
        return out

    def text(self) -> str:
        return "\n".join(f"{t}: {v}" if (t.strip() or v.strip()) else "" for t, v in self.rows())

    def distribution(self) -> Distribution:
        """The table as a distribution; ``PlannerError`` naming the row otherwise (also shown here)."""
        self._paint_rows(None)
        try:
            dist = parse_token_values(self.text(), self.kind.currentData())
        except PlannerError as e:
            m = _LINE.match(e.message)
            row = int(m.group(1)) - 1 if m else None
            message = e.message if not m else self.tr("Row {0}: {1}").format(row + 1, e.message[m.end():].strip())
            self.message.show_message(message)
            self._paint_rows(row)
            raise
        self.message.clear_message()
        return dist

    def fill_from(self, dist: Distribution) -> None:
        import json

        ids = raw_ranking(dist)[:50]
        rows = []
        for i in ids:
            tok = dist.label(int(i))
            shown = json.dumps(tok, ensure_ascii=False) if (tok != tok.strip() or not tok or
                                                             any(c in tok for c in ':=\t"\'#\n')) else tok
            rows.append((shown, f"{float(dist.listed_probs[int(i)]):.6g}"))
        self.kind.setCurrentIndex(2)
        self.set_rows(rows)
        self.list_edited.emit()

    def _paint_rows(self, bad: int | None) -> None:
        self._filling = True
        try:
            for r in range(self.table.rowCount()):
                for c in (0, 1):
                    item = self.table.item(r, c)
                    if item is None:
                        item = QtWidgets.QTableWidgetItem("")
                        self.table.setItem(r, c, item)
                    item.setForeground(QtGui.QBrush(error_color()) if r == bad else QtGui.QBrush())
        finally:
            self._filling = False
        if bad is not None and 0 <= bad < self.table.rowCount():
            self.table.scrollToItem(self.table.item(bad, 0))

    @Slot(QtWidgets.QTableWidgetItem)
    def _on_table_item_changed(self, _item) -> None:
        if not self._filling:
            self.list_edited.emit()

    @Slot(int)
    def _on_kind_current_index_changed(self, _index: int) -> None:
        self.list_edited.emit()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._filling = True
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QtWidgets.QTableWidgetItem(""))
        self.table.setItem(r, 1, QtWidgets.QTableWidgetItem(""))
        self._filling = False
        self.table.editItem(self.table.item(r, 0))

    @Slot()
    def _on_remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
        if rows:
            self.list_edited.emit()

    @Slot()
    def _on_paste_clicked(self) -> None:
        text = QtWidgets.QApplication.clipboard().text()
        if text.strip():
            self.paste_text(text)

    def paste_text(self, text: str) -> None:
        """Replace the table with ``token: value`` lines (blank and ``#`` lines skipped)."""
        rows = []
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = _PASTED.match(line.strip())
            rows.append((m.group("token"), m.group("value")) if m else (line.strip(), ""))
        self.set_rows(rows)
        self.list_edited.emit()

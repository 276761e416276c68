"""A control for every sampler setting, showing what the selected engine does with it.

Each setting is shown with the value the request would give it: the value the user set (its label in bold),
or else the selected engine's own default (as a request that leaves it out gets it). Settings the engine does
not have are disabled and say why. ``settings_edited(name)`` is emitted on every user edit (sliders while
dragging); ``settings(dist)`` builds the ``SamplerSettings`` of the values the user set, parsing the token
fields against the distribution (a ``PlannerError`` names the field). ``show_error(name, message)`` puts an
engine's refusal under its field.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.errors import PlannerError
from ..core.sampling import SamplerSettings, get_engine
from ..core.sampling.distribution import Distribution
from ..core.sampling.token_refs import format_logit_bias, format_token_list, parse_logit_bias, parse_token_list
from .qt import QtCore, QtWidgets, Signal, translate
from .widgets import FieldMessage, compact_combo


@dataclass(frozen=True)
class ControlSpec:
    name: str
    kind: str                                  # float | int | text | mirostat | bool
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.01
    decimals: int = 2
    slider: tuple[float, float] | None = None  # the slider's span (the box takes the wider range)
    neutral: object = 0.0                      # shown when neither the user nor the engine sets it


SPECS: dict[str, ControlSpec] = {s.name: s for s in (
    ControlSpec("temperature", "float", -1.0, 5.0, 0.05, 2, (0.0, 2.0), 1.0),
    ControlSpec("dynatemp_range", "float", 0.0, 5.0, 0.05, 2),
    ControlSpec("dynatemp_exponent", "float", 0.0, 10.0, 0.1, 2, None, 1.0),
    ControlSpec("top_k", "int", -1, 262144, 1, 0, (0, 100), 0),
    ControlSpec("top_p", "float", 0.0, 1.0, 0.01, 3, (0.0, 1.0), 1.0),
    ControlSpec("min_p", "float", 0.0, 1.0, 0.01, 3, (0.0, 0.5), 0.0),
    ControlSpec("typical_p", "float", 0.0, 1.0, 0.01, 3, None, 1.0),
    ControlSpec("top_n_sigma", "float", -1.0, 10.0, 0.1, 2, None, -1.0),
    ControlSpec("epsilon_cutoff", "float", 0.0, 1.0, 0.0001, 5, None, 0.0),
    ControlSpec("eta_cutoff", "float", 0.0, 1.0, 0.0001, 5, None, 0.0),
    ControlSpec("xtc_probability", "float", 0.0, 1.0, 0.05, 2, None, 0.0),
    ControlSpec("xtc_threshold", "float", 0.0, 1.0, 0.01, 2, None, 0.1),
    ControlSpec("min_keep", "int", -1, 1000, 1, 0, None, 0),
    ControlSpec("history", "text", neutral=""),
    ControlSpec("prompt_length", "int", 0, 1_000_000, 1, 0, None, 0),
    ControlSpec("repetition_penalty", "float", 0.0, 3.0, 0.05, 2, None, 1.0),
    ControlSpec("frequency_penalty", "float", -2.5, 2.5, 0.1, 2, None, 0.0),
    ControlSpec("presence_penalty", "float", -2.5, 2.5, 0.1, 2, None, 0.0),
    ControlSpec("penalty_last_n", "int", -2, 1_000_000, 1, 0, None, 64),
    ControlSpec("dry_multiplier", "float", 0.0, 5.0, 0.1, 2, None, 0.0),
    ControlSpec("dry_base", "float", 0.0, 5.0, 0.05, 2, None, 1.75),
    ControlSpec("dry_allowed_length", "int", -1, 64, 1, 0, None, 2),
    ControlSpec("dry_penalty_last_n", "int", -2, 1_000_000, 1, 0, None, 64),
    ControlSpec("dry_sequence_breakers", "text", neutral=""),
    ControlSpec("logit_bias", "text", neutral=""),
    ControlSpec("mirostat", "mirostat", neutral=0),
    ControlSpec("mirostat_tau", "float", 0.0, 20.0, 0.5, 2, None, 5.0),
    ControlSpec("mirostat_eta", "float", 0.0, 1.0, 0.01, 3, None, 0.1),
    ControlSpec("samplers", "text", neutral=""),
    ControlSpec("do_sample", "bool", neutral=True),
)}

SLIDER_STEPS = 1000


def groups() -> list[tuple[str, list[str]]]:
    return [
        (translate("SamplerControls", "Temperature"), ["temperature", "dynatemp_range", "dynatemp_exponent"]),
        (translate("SamplerControls", "Truncation"), ["top_k", "top_p", "min_p", "typical_p", "top_n_sigma",
                                                      "epsilon_cutoff", "eta_cutoff", "xtc_probability",
                                                      "xtc_threshold", "min_keep"]),
        (translate("SamplerControls", "Penalties and bias"), [
            "history", "prompt_length", "repetition_penalty", "frequency_penalty", "presence_penalty",
            "penalty_last_n", "dry_multiplier", "dry_base", "dry_allowed_length", "dry_penalty_last_n",
            "dry_sequence_breakers", "logit_bias"]),
        (translate("SamplerControls", "Mirostat"), ["mirostat", "mirostat_tau", "mirostat_eta"]),
        (translate("SamplerControls", "Chain"), ["samplers", "do_sample"]),
    ]


def texts() -> dict[str, tuple[str, str]]:
    """Each setting's label and its tooltip: what it does in a sentence or two, its range and unit."""
    return {
        "temperature": (translate("SamplerControls", "Temperature"), translate("SamplerControls",
            "Divides every logit by T before the softmax: below 1 sharpens the distribution, above 1 flattens "
            "it. 0 or less means greedy in llama.cpp and vLLM; transformers refuses it. No unit; usually 0–2.")),
        "dynatemp_range": (translate("SamplerControls", "Dynamic range"), translate("SamplerControls",
            "llama.cpp dynamic temperature: the temperature moves within T ± range, higher when the "
            "distribution is uncertain (high entropy). 0 = off. No unit.")),
        "dynatemp_exponent": (translate("SamplerControls", "Dynamic exponent"), translate("SamplerControls",
            "How the dynamic temperature follows the entropy: 1 is linear, larger values stay near the low end "
            "longer. No unit.")),
        "top_k": (translate("SamplerControls", "Top-k"), translate("SamplerControls",
            "Keeps only the k most likely tokens. 0 = off (every token); vLLM also takes -1 for off. "
            "A whole number of tokens.")),
        "top_p": (translate("SamplerControls", "Top-p"), translate("SamplerControls",
            "Nucleus sampling: keeps the most likely tokens until their cumulative probability reaches p "
            "(Holtzman et al. 2020). 1 = off. A probability, 0–1.")),
        "min_p": (translate("SamplerControls", "Min-p"), translate("SamplerControls",
            "Drops every token whose probability is below min-p × the top token's probability (Nguyen et al. "
            "2024). 0 = off. A fraction, 0–1.")),
        "typical_p": (translate("SamplerControls", "Typical-p"), translate("SamplerControls",
            "Locally typical sampling: keeps the tokens whose surprise is closest to the entropy until their "
            "probability reaches p (Meister et al. 2023). 1 = off. A probability, 0–1.")),
        "top_n_sigma": (translate("SamplerControls", "Top-n-σ"), translate("SamplerControls",
            "llama.cpp: keeps the tokens whose logit is within n standard deviations of the top logit (Tang et "
            "al. 2024). 0 or less = off. In standard deviations of the logits.")),
        "epsilon_cutoff": (translate("SamplerControls", "Epsilon cut-off"), translate("SamplerControls",
            "transformers: drops every token whose probability is below ε (Hewitt et al. 2022). 0 = off. "
            "A probability, e.g. 0.0003.")),
        "eta_cutoff": (translate("SamplerControls", "Eta cut-off"), translate("SamplerControls",
            "transformers: drops tokens below min(η, √η·e^−H), a cut-off that falls as the entropy H rises "
            "(Hewitt et al. 2022). 0 = off. A probability, e.g. 0.0009.")),
        "xtc_probability": (translate("SamplerControls", "XTC probability"), translate("SamplerControls",
            "llama.cpp XTC (exclude top choices): how often it removes every token above the threshold except "
            "the least likely of them. The chart mixes both outcomes. 0 = off. A probability, 0–1.")),
        "xtc_threshold": (translate("SamplerControls", "XTC threshold"), translate("SamplerControls",
            "The probability a token needs to count as a top choice for XTC. Above 0.5 XTC is off. "
            "A probability, 0–0.5.")),
        "min_keep": (translate("SamplerControls", "Min-keep"), translate("SamplerControls",
            "llama.cpp: top-p, min-p, typical-p and XTC keep at least this many tokens. 0 = no minimum. "
            "A number of tokens.")),
        "history": (translate("SamplerControls", "History"), translate("SamplerControls",
            "The tokens before this one, oldest first, for the penalties and DRY: token ids or token texts "
            "separated by commas (quote texts with spaces or commas: \" Paris\").")),
        "prompt_length": (translate("SamplerControls", "Prompt length"), translate("SamplerControls",
            "How many of the history's tokens are the prompt. vLLM counts frequency and presence over the "
            "generated tokens only. A number of tokens.")),
        "repetition_penalty": (translate("SamplerControls", "Repetition penalty"), translate("SamplerControls",
            "Divides the positive logits (multiplies the negative ones) of tokens found in the history "
            "(Keskar et al. 2019). 1 = off. A factor, usually 1–1.3.")),
        "frequency_penalty": (translate("SamplerControls", "Frequency penalty"), translate("SamplerControls",
            "Subtracts this × the number of times a token occurs in the history from its logit. 0 = off. "
            "In logits; vLLM accepts -2 to 2.")),
        "presence_penalty": (translate("SamplerControls", "Presence penalty"), translate("SamplerControls",
            "Subtracts this once from the logit of every token found in the history. 0 = off. In logits; "
            "vLLM accepts -2 to 2.")),
        "penalty_last_n": (translate("SamplerControls", "Penalty window"), translate("SamplerControls",
            "How many of the latest history tokens the penalties look at (repeat_last_n). -1 = all of them, "
            "0 = penalties off. A number of tokens.")),
        "dry_multiplier": (translate("SamplerControls", "DRY multiplier"), translate("SamplerControls",
            "llama.cpp DRY (don't repeat yourself): penalises tokens that would extend a sequence already in "
            "the history, by multiplier × base^(length − allowed length). 0 = off.")),
        "dry_base": (translate("SamplerControls", "DRY base"), translate("SamplerControls",
            "How fast the DRY penalty grows with every repeated token beyond the allowed length. At least 1 "
            "(llama-server uses 1.75 below that).")),
        "dry_allowed_length": (translate("SamplerControls", "DRY allowed length"), translate("SamplerControls",
            "Repeated sequences up to this long are not penalised by DRY. A number of tokens.")),
        "dry_penalty_last_n": (translate("SamplerControls", "DRY window"), translate("SamplerControls",
            "How much of the history DRY scans. -1 = all of it, 0 = DRY off. A number of tokens.")),
        "dry_sequence_breakers": (translate("SamplerControls", "DRY breakers"), translate("SamplerControls",
            "Texts that end a repetition for DRY, as quoted strings separated by commas, e.g. \"\\n\", \":\".")),
        "logit_bias": (translate("SamplerControls", "Logit bias"), translate("SamplerControls",
            "Adds a number to chosen tokens' logits: 'token: bias' pairs separated by commas (ids or token "
            "texts); -inf forbids a token. In logits.")),
        "mirostat": (translate("SamplerControls", "Mirostat"), translate("SamplerControls",
            "llama.cpp Mirostat replaces the truncation samplers with a feedback loop that keeps the surprise "
            "of the chosen tokens near τ (Basu et al. 2021). Off, version 1 or version 2.")),
        "mirostat_tau": (translate("SamplerControls", "Mirostat τ"), translate("SamplerControls",
            "Mirostat's target surprise: the average −log₂ p of the chosen tokens. In bits.")),
        "mirostat_eta": (translate("SamplerControls", "Mirostat η"), translate("SamplerControls",
            "How fast Mirostat corrects its threshold after each token. A learning rate, usually 0.1.")),
        "samplers": (translate("SamplerControls", "Sampler order"), translate("SamplerControls",
            "llama.cpp's chain order (--samplers): names separated by ';' (penalties, dry, top_n_sigma, top_k, "
            "typ_p, top_p, min_p, xtc, temperature) or a --sampling-seq string such as 'edskypmxt'. A sampler "
            "left out does not run.")),
        "do_sample": (translate("SamplerControls", "Sample (do_sample)"), translate("SamplerControls",
            "transformers: unticked is greedy search, the most likely token after the penalties; the sampling "
            "settings are then unused.")),
    }


class _Row:
    """The widgets of one setting."""

    def __init__(self, spec: ControlSpec, label: QtWidgets.QLabel, editor: QtWidgets.QWidget,
                 slider: QtWidgets.QSlider | None, message: FieldMessage, field: QtWidgets.QWidget):
        self.spec, self.label, self.editor, self.slider, self.message, self.field = (
            spec, label, editor, slider, message, field)


class SamplerControls(QtWidgets.QWidget):
    settings_edited = Signal(str)
    """The user changed this setting (not emitted by ``load`` or ``set_engine``)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.profile = get_engine("llama.cpp")
        self._defaults = self.profile.resolve(SamplerSettings(), True)
        self._explicit: dict[str, object] = {}
        self._updating = False
        self.rows: dict[str, _Row] = {}
        self._texts = texts()
        self._base_tips: dict[str, str] = {}
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group_boxes: list[QtWidgets.QGroupBox] = []
        for title, names in groups():
            box = QtWidgets.QGroupBox(title)
            form = QtWidgets.QFormLayout(box)
            form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setVerticalSpacing(3)
            for name in names:
                self._add_row(form, SPECS[name])
            layout.addWidget(box)
            self.group_boxes.append(box)
        layout.addStretch(1)
        self._show_all()

    # -- building ------------------------------------------------------------------------------------------------
    def _add_row(self, form: QtWidgets.QFormLayout, spec: ControlSpec) -> None:
        label_text, tip = self._texts[spec.name]
        label = QtWidgets.QLabel(label_text)
        label.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
        label.customContextMenuRequested.connect(lambda _pos, n=spec.name: self._reset_menu(n))
        slider = None
        if spec.kind in ("float", "int"):
            editor = QtWidgets.QDoubleSpinBox() if spec.kind == "float" else QtWidgets.QSpinBox()
            editor.setRange(spec.lo, spec.hi)
            editor.setSingleStep(spec.step)
            if spec.kind == "float":
                editor.setDecimals(spec.decimals)
            else:
                editor.setGroupSeparatorShown(True)
            editor.setKeyboardTracking(False)
            editor.setAccelerated(True)
            editor.valueChanged.connect(lambda _v, n=spec.name: self._on_editor_changed(n))
            if spec.slider is not None:
                slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
                slider.setObjectName(f"{spec.name}_slider")
                if spec.kind == "int":
                    slider.setRange(int(spec.slider[0]), int(spec.slider[1]))
                else:
                    slider.setRange(0, SLIDER_STEPS)
                slider.setTracking(True)
                slider.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 6)
                slider.valueChanged.connect(lambda _v, n=spec.name: self._on_slider_changed(n))
        elif spec.kind == "text":
            editor = QtWidgets.QLineEdit()
            editor.setClearButtonEnabled(True)
            editor.textEdited.connect(lambda _t, n=spec.name: self._on_editor_changed(n))
        elif spec.kind == "mirostat":
            editor = compact_combo()
            editor.addItem(self.tr("off"), 0)
            editor.addItem(self.tr("Mirostat (v1)"), 1)
            editor.addItem(self.tr("Mirostat 2.0"), 2)
            editor.currentIndexChanged.connect(lambda _i, n=spec.name: self._on_editor_changed(n))
        else:
            editor = QtWidgets.QCheckBox()
            editor.toggled.connect(lambda _b, n=spec.name: self._on_editor_changed(n))
        editor.setObjectName(spec.name)
        if slider is not None:
            field = QtWidgets.QWidget()
            h = QtWidgets.QHBoxLayout(field)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(slider, 1)
            h.addWidget(editor)
            editor.setMinimumWidth(self.fontMetrics().horizontalAdvance("−0.000") + 36)
        else:
            field = editor
        label.setBuddy(editor)
        form.addRow(label, field)
        message = FieldMessage()
        form.addRow(message)
        self.rows[spec.name] = _Row(spec, label, editor, slider, message, field)
        self._base_tips[spec.name] = tip

    # -- what is shown ---------------------------------------------------------------------------------------
    def set_engine(self, engine: str) -> None:
        """Show ``engine``'s defaults for the settings the user did not set; disable what it lacks."""
        self.profile = get_engine(engine)
        self._defaults = self.profile.resolve(SamplerSettings(), True)
        self._show_all()

    def load(self, explicit: dict[str, object]) -> None:
        """The settings the user set (``SamplerSettings`` values: tuples for the token fields)."""
        self._explicit = {k: _as_shown(SPECS[k], v) for k, v in explicit.items() if k in SPECS}
        self._show_all()

    def reset(self) -> None:
        """Forget every value the user set: the engine's defaults apply."""
        self._explicit = {}
        self._show_all()

    @property
    def explicit(self) -> dict[str, object]:
        return dict(self._explicit)

    def displayed(self, name: str):
        """The value a setting's control shows now."""
        return self._explicit.get(name, self._default_of(name))

    def _default_of(self, name: str):
        spec = SPECS[name]
        if name in self.profile.supported and name in self._defaults and self._defaults[name] is not None:
            return _as_shown(spec, self._defaults[name])
        return spec.neutral

    def _show_all(self) -> None:
        self._updating = True
        try:
            for name, row in self.rows.items():
                self._show(row, self.displayed(name))
                supported = name in self.profile.supported
                for w in (row.label, row.field):
                    w.setEnabled(supported)
                font = row.label.font()
                font.setBold(name in self._explicit)
                row.label.setFont(font)
                tip = self._base_tips[name]
                own = self.profile.parameters.get(name)
                if not supported:
                    tip += "<br><i>" + _escape(self.profile.missing_reason(name)) + "</i>"
                elif own:
                    tip += "<br>" + self.tr("{0} calls it <tt>{1}</tt>.").format(self.profile.name, own)
                if supported and name not in self._explicit:
                    tip += "<br>" + self.tr("Not set: {0}'s default applies.").format(self.profile.name)
                for w in (row.label, row.editor) + ((row.slider,) if row.slider else ()):
                    w.setToolTip(tip)
        finally:
            self._updating = False

    def _show(self, row: _Row, value) -> None:
        spec, editor = row.spec, row.editor
        if spec.kind in ("float", "int"):
            editor.setValue(value if spec.kind == "float" else int(value))
            self._sync_slider(row)
        elif spec.kind == "text":
            if editor.text() != value:
                editor.setText(str(value))
                editor.setCursorPosition(0)
        elif spec.kind == "mirostat":
            editor.setCurrentIndex(max(0, editor.findData(int(value))))
        else:
            editor.setChecked(bool(value))

    def _sync_slider(self, row: _Row) -> None:
        if row.slider is None:
            return
        lo, hi = row.spec.slider
        v = row.editor.value()
        if row.spec.kind == "int":
            pos = int(min(max(v, lo), hi))
        else:
            pos = round((min(max(v, lo), hi) - lo) / (hi - lo) * SLIDER_STEPS)
        row.slider.blockSignals(True)
        row.slider.setValue(pos)
        row.slider.blockSignals(False)

    # -- user edits ------------------------------------------------------------------------------------------
    def _read(self, row: _Row):
        spec, editor = row.spec, row.editor
        if spec.kind == "float":
            return float(editor.value())
        if spec.kind == "int":
            return int(editor.value())
        if spec.kind == "text":
            return editor.text()
        if spec.kind == "mirostat":
            return int(editor.currentData())
        return bool(editor.isChecked())

    def _on_editor_changed(self, name: str) -> None:
        if self._updating:
            return
        row = self.rows[name]
        self._sync_slider(row)
        self._set_explicit(name, self._read(row))

    def _on_slider_changed(self, name: str) -> None:
        if self._updating:
            return
        row = self.rows[name]
        lo, hi = row.spec.slider
        pos = row.slider.value()
        value = pos if row.spec.kind == "int" else round(lo + (hi - lo) * pos / SLIDER_STEPS, row.spec.decimals)
        row.editor.blockSignals(True)
        row.editor.setValue(value)
        row.editor.blockSignals(False)
        self._set_explicit(name, self._read(row))

    def _set_explicit(self, name: str, value) -> None:
        first = name not in self._explicit
        self._explicit[name] = value
        if first:
            row = self.rows[name]
            font = row.label.font()
            font.setBold(True)
            row.label.setFont(font)
        self.settings_edited.emit(name)

    def set_value(self, name: str, value) -> None:
        """Set a control as the user would (tests, presets): emits ``settings_edited``."""
        row = self.rows[name]
        self._updating = True
        try:
            self._show(row, _as_shown(row.spec, value))
        finally:
            self._updating = False
        self._set_explicit(name, self._read(row))

    def _reset_menu(self, name: str) -> None:
        menu = QtWidgets.QMenu(self)
        action = menu.addAction(self.tr("Use {0}'s default").format(self.profile.name))
        action.setEnabled(name in self._explicit)
        chosen = menu.exec(QtCore.QCursor.pos())
        if chosen is action:
            self.forget(name)

    def forget(self, name: str) -> None:
        """Drop the user's value for one setting: the engine's default applies again."""
        if name in self._explicit:
            del self._explicit[name]
            self._show_all()
            self.settings_edited.emit(name)

    # -- settings and messages -------------------------------------------------------------------------------
    def settings(self, dist: Distribution) -> SamplerSettings:
        """The values the user set as ``SamplerSettings``; ``PlannerError`` (field = the setting) when a
        token field does not parse."""
        values: dict = {}
        for name, raw in self._explicit.items():
            spec = SPECS[name]
            if spec.kind != "text":
                values[name] = raw
                continue
            text = str(raw)
            if name == "history":
                values[name] = parse_token_list(text, dist, "history")
            elif name == "logit_bias":
                values[name] = parse_logit_bias(text, dist, "logit_bias")
            elif name == "samplers":
                values[name] = tuple(x.strip() for x in text.replace(",", ";").split(";") if x.strip())
            elif name == "dry_sequence_breakers":
                values[name] = _parse_breakers(text)
        return SamplerSettings(**values)

    def show_error(self, name: str, message: str) -> None:
        row = self.rows.get(name)
        if row is not None:
            row.message.show_message(message)

    def clear_errors(self) -> None:
        for row in self.rows.values():
            if row.message.isVisible() or row.message.text():
                row.message.clear_message()

    def error_text(self, name: str) -> str:
        row = self.rows[name]
        return row.message.text() if not row.message.isHidden() else ""


def _parse_breakers(text: str) -> tuple[str, ...]:
    if not text.strip():
        return ()
    try:
        value = json.loads(f"[{text}]")
    except json.JSONDecodeError as e:
        raise PlannerError(f"write the breakers as quoted strings separated by commas ({e.msg})",
                           field="dry_sequence_breakers") from None
    if not all(isinstance(s, str) for s in value):
        raise PlannerError("every breaker must be a quoted string", field="dry_sequence_breakers")
    return tuple(value)


def _as_shown(spec: ControlSpec, value):
    """A ``SamplerSettings`` value as its control holds it (text for the token fields)."""
    if value is None:
        return spec.neutral
    if spec.kind == "text":
        if isinstance(value, str):
            return value
        if spec.name == "history":
            return format_token_list(value)
        if spec.name == "logit_bias":
            return format_logit_bias(value)
        if spec.name == "samplers":
            return ";".join(str(x) for x in value)
        return ", ".join(json.dumps(s, ensure_ascii=False) for s in value)
    if spec.kind == "float":
        return float(value)
    if spec.kind in ("int", "mirostat"):
        return int(value)
    return bool(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

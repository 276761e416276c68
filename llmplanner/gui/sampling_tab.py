"""The Sampling tab: every sampler, exactly as each engine applies it, drawn live.

Left: the engine, presets, the distribution (synthetic, typed, or fetched from a running engine) and a
control for every sampler setting. Right: the engine's chain as a strip of stages (click one to see what it
alone did), the top tokens before and after with the samplers' cut-offs, the same settings in four engines
side by side, draws against the final distribution, and the editable token list.

The chain itself runs on the GUI thread: on a 256k-token vocabulary it takes about a millisecond once the
distribution's softmax is cached (``tests/benchmarks/test_sampling_speed.py``), so every slider move is
redrawn in the same frame (``tests/benchmarks/test_sampling_tab_drag.py`` measures the longest stall). What
is slower runs on workers: building a Zipf distribution over 256k tokens (~0.1 s), fetching from a server,
the four-engine comparison and the draws.

The plan's ``sampling`` holds the engine and the settings the user set, as a request would carry them;
settings left out take the engine's own defaults (``run_chain(..., use_defaults=True)``), as on a real
server. Values an engine refuses are shown at their field with the engine's message; the last valid result
stays on screen and the plan keeps its last valid settings.
"""
from __future__ import annotations

import json
import time

from ..core.errors import PlannerError
from ..core.plan import SamplingChoice
from ..core.report import ReportSection, ReportTable
from ..core.sampling import (ENGINES, MAIN_ENGINES, ChainResult, Distribution, SamplerSettings, SettingError,
                             all_presets, compare_engines, draw, fetch_distribution, get_engine, run_chain,
                             zipf_distribution)
from ..core.sampling.presets import EXAMPLES, RECOMMENDED, SamplerPreset
from ..core.sampling.settings import settings_from_json, settings_to_json
from ..core.sampling.view import (BarsView, bars_view, compare_view, draws_view, stage_summaries)
from . import format as fmt
from .distribution_panel import DistributionPanel, TokenListEditor
from .qt import QtCore, QtGui, QtWidgets, Slot, translate
from .sampling_charts import AFTER_COLOR, BEFORE_COLOR, CUMULATIVE_COLOR, LINE_COLORS, REMOVED_COLOR, TokenBarsChart
from .sampling_controls import SamplerControls
from .sampling_pages import ComparePage, DrawPage
from .stage_strip import StageStrip, short_name
from .tabs import PlanTab
from .widgets import compact_combo, compact_rows, warning_color

PROPOSE_DELAY_MS = 250
"""A drag settles before the plan (and with it every tab) hears of it."""


# --- worker functions (pure) ----------------------------------------------------------------------------------

def make_zipf(vocab: int, head: float, exponent: float) -> Distribution:
    return zipf_distribution(vocab, head, exponent)


def fetch_for_tab(kind: str, url: str, prompt: str, model: str | None, top_n: int, timeout: float) -> Distribution:
    return fetch_distribution(kind, url, prompt, model=model, top_n=top_n, timeout=timeout)


def compare_for_tab(dist: Distribution, settings: SamplerSettings, mode: str, top_n: int):
    """``mode`` "request": the settings as given, each engine's defaults for the rest; "values": ``settings``
    are complete values, sent as they are."""
    outcomes = compare_engines(dist, settings, MAIN_ENGINES, use_defaults=(mode == "request"), strict=False)
    return compare_view(outcomes, top_n)


def draw_for_tab(result: ChainResult, count: int, seed: int, top_n: int):
    draws = draw(result, count, seed)
    dist = result.distribution
    return draws_view(result, draws, top_n), [dist.label(int(t)) for t in draws.tokens[:61]], seed


def values_everywhere(result: ChainResult, given: SamplerSettings) -> SamplerSettings:
    """The values the selected engine ran with that switch something on (its off values left out), with the
    history the user gave, to send unchanged to every engine."""
    profile = get_engine(result.engine)
    values = {}
    for name, value in result.settings.items():
        if name == "logit_bias":
            value = tuple(value or ())
            if not value:
                continue
        elif name != "temperature" and value == profile.off.get(name):
            continue
        values[name] = value
    return SamplerSettings(**values, history=given.history, prompt_length=given.prompt_length)


def preset_title(preset: SamplerPreset) -> str:
    names = {"customer service": translate("SamplingTab", "Customer service (T 0.3, top-k 20, top-p 0.5)"),
             "advertising": translate("SamplingTab", "Advertising (T 1.2, top-k 50, top-p 0.9)"),
             "walkthrough": translate("SamplingTab", "Walkthrough (T 0.8, top-k 36, top-p 0.7)"),
             "precise": translate("SamplingTab", "Precise (Mistral's recommendation)"),
             "balanced": translate("SamplingTab", "Balanced (Qwen's recommendation)"),
             "creative": translate("SamplingTab", "Creative (Gemma's recommendation)")}
    if preset.engine:
        return translate("SamplingTab", "{0} defaults").format(get_engine(preset.engine).name)
    return names.get(preset.name, preset.name)


def preset_tooltip(preset: SamplerPreset) -> str:
    if preset.engine:
        text = translate("SamplingTab", "What {0} uses when a request sets nothing. From {1}.")
        return text.format(get_engine(preset.engine).name, preset.source)
    if preset in RECOMMENDED:
        text = translate("SamplingTab", "A model vendor's published recommendation for its own models — a starting "
                                        "point, not a setting measured to be best. Source: {0}.")
        return text.format(preset.source)
    if preset in EXAMPLES:
        return translate("SamplingTab", "A worked example from the product description ({0}).").format(preset.source)
    return preset.source


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _set_text(widget, text: str) -> None:
    """``setText`` only when the text changes: an unchanged label or cell is not laid out again (a drag redraws
    the tab up to 60 times a second)."""
    if widget.text() != text:
        widget.setText(text)


class SamplingTab(PlanTab):
    tab_id = "sampling"

    @classmethod
    def title(cls) -> str:
        return translate("SamplingTab", "Sampling")

    @classmethod
    def sources(cls) -> list[str]:
        out = [translate("SamplingTab", "Sampler chains modelled from each engine's source: {0} ({1}).").format(
            p.name, "; ".join((p.version,) + tuple(p.sources))) for p in ENGINES.values()]
        out += [
            translate("SamplingTab", "Synthetic distributions: Zipf-Mandelbrot law (Piantadosi 2014, Zipf's word "
                                     "frequency law in natural language, Psychon. Bull. Rev. 21:1112)."),
            translate("SamplingTab", "Top-p: Holtzman et al. 2020 (arXiv:1904.09751); min-p: Nguyen et al. 2024 "
                                     "(arXiv:2407.01082); typical-p: Meister et al. 2023 (arXiv:2202.00666); "
                                     "epsilon/eta: Hewitt et al. 2022 (arXiv:2210.15191); top-n-sigma: Tang et al. "
                                     "2024 (arXiv:2411.07641); Mirostat: Basu et al. 2021 (arXiv:2007.14966); "
                                     "repetition penalty: Keskar et al. 2019 (arXiv:1909.05858)."),
        ]
        out += [translate("SamplingTab", "Preset “{0}”: {1}.").format(p.name, p.source) for p in RECOMMENDED]
        return out

    def __init__(self, settings=None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.engine = "llama.cpp"
        self.dist: Distribution | None = None
        self.result: ChainResult | None = None
        """The last valid chain result (what is on screen)."""
        self.sampler_settings = SamplerSettings()
        self.view: BarsView | None = None
        self.selected_key: str | None = None
        """The key of the selected stage (None: the whole chain)."""
        self.last_update_ms = 0.0
        self.updates = 0
        self._dists: dict[str, Distribution] = {}
        self._unknown: dict = {}
        self._shown_key: tuple | None = None
        self._drawn = False
        self._stale = False
        self._synthetic_built: tuple | None = None
        """The parameters of the last synthetic distribution asked for."""

        self._zipf = self.make_computation(make_zipf, description=self.tr("Building the distribution…"))
        self._zipf.result_ready.connect(self._on_zipf_result_ready)
        self._zipf.computation_failed.connect(self._on_zipf_computation_failed)
        self._fetch = self.make_computation(fetch_for_tab, description=self.tr("Fetching the distribution…"),
                                            debounce_ms=0)
        self._fetch.result_ready.connect(self._on_fetch_result_ready)
        self._fetch.computation_failed.connect(self._on_fetch_computation_failed)
        self._compare = self.make_computation(compare_for_tab, description=self.tr("Comparing the engines…"))
        self._compare.result_ready.connect(self._on_compare_result_ready)
        self._compare.computation_failed.connect(self._on_compare_computation_failed)
        self._drawer = self.make_computation(draw_for_tab, description=self.tr("Drawing tokens…"))
        self._drawer.result_ready.connect(self._on_drawer_result_ready)
        self._drawer.computation_failed.connect(self._on_drawer_computation_failed)

        self._update_timer = QtCore.QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(0)
        self._update_timer.timeout.connect(self._on_update_timer_timeout)
        self._propose_timer = QtCore.QTimer(self)
        self._propose_timer.setSingleShot(True)
        self._propose_timer.setInterval(PROPOSE_DELAY_MS)
        self._propose_timer.timeout.connect(self._on_propose_timer_timeout)

        # -- left: engine, presets, distribution, samplers ---------------------------------------------------
        self.engine_box = compact_combo()
        self.engine_box.setObjectName("engine")
        for e, profile in ENGINES.items():
            self.engine_box.addItem(profile.name, e)
            self.engine_box.setItemData(self.engine_box.count() - 1, profile.version, QtCore.Qt.ItemDataRole.ToolTipRole)
        self.engine_box.setCurrentIndex(list(ENGINES).index(self.engine))
        self.engine_box.setToolTip(self.tr("The engine whose sampler chain runs: its order, its boundaries, its "
                                           "defaults for what you do not set, and its refusals."))
        self.engine_box.currentIndexChanged.connect(self._on_engine_box_current_index_changed)
        self.preset_box = compact_combo()
        self.preset_box.setObjectName("presets")
        self.preset_box.addItem(self.tr("Presets…"), None)
        self._presets = list(all_presets())
        for p in self._presets:
            if p.engine == "ollama-go":
                continue
            self.preset_box.addItem(preset_title(p), p.name)
            self.preset_box.setItemData(self.preset_box.count() - 1, preset_tooltip(p),
                                        QtCore.Qt.ItemDataRole.ToolTipRole)
        self.preset_box.setToolTip(self.tr("Apply a preset. An engine's defaults switch to that engine and clear "
                                           "what you set; the others set their values and leave the rest to the "
                                           "engine's defaults. Hover an entry for its source."))
        self.preset_box.activated.connect(self._on_preset_box_activated)
        self.reset_button = QtWidgets.QPushButton(self.tr("&Reset"))
        self.reset_button.setObjectName("reset")
        self.reset_button.setToolTip(self.tr("Forget every value you set: the engine's defaults apply."))
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        top = QtWidgets.QGridLayout()
        engine_label = QtWidgets.QLabel(self.tr("&Engine:"))
        engine_label.setBuddy(self.engine_box)
        top.addWidget(engine_label, 0, 0)
        top.addWidget(self.engine_box, 0, 1, 1, 2)
        top.addWidget(self.preset_box, 1, 0, 1, 2)
        top.addWidget(self.reset_button, 1, 2)
        top.setColumnStretch(1, 1)

        self.distribution_panel = DistributionPanel(settings)
        self.distribution_panel.source_changed.connect(self._on_distribution_panel_source_changed)
        self.distribution_panel.synthetic_changed.connect(self._on_distribution_panel_synthetic_changed)
        self.distribution_panel.fetch_requested.connect(self._on_distribution_panel_fetch_requested)
        self.distribution_panel.edit_list_requested.connect(self._on_distribution_panel_edit_list_requested)
        self.controls = SamplerControls()
        self.controls.settings_edited.connect(self._on_controls_settings_edited)

        left = QtWidgets.QWidget()
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.distribution_panel)
        left_layout.addWidget(self.controls, 1)
        scroll = QtWidgets.QScrollArea()
        scroll.setObjectName("sampling_settings_scroll")
        self.settings_scroll = scroll
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = scroll.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent)
        scroll.setMinimumWidth(left.minimumSizeHint().width() + bar + 4)

        # -- right: distribution line, stage strip, pages ----------------------------------------------------
        self.distribution_label = QtWidgets.QLabel()
        self.distribution_label.setObjectName("distribution_label")
        self.distribution_label.setWordWrap(True)
        self.strip = StageStrip()
        self.strip.stage_selected.connect(self._on_strip_stage_selected)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("sampling_status")
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("chain_caption")
        self.caption.setWordWrap(True)
        self.legend = QtWidgets.QLabel()
        self.legend.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.top_n = QtWidgets.QSpinBox()
        self.top_n.setObjectName("top_n")
        self.top_n.setRange(5, 60)
        self.top_n.setValue(20)
        self.top_n.setToolTip(self.tr("How many of the most likely tokens get a bar; every other token is in the "
                                      "'others' bar."))
        self.top_n.valueChanged.connect(self._on_top_n_value_changed)
        self.chart = TokenBarsChart()
        self.chart.setToolTip(self.tr("Blue: before; orange: after; grey: removed. Green line (right axis): the "
                                      "running sum of the blue bars, which top-p cuts. Dashed lines: the samplers' "
                                      "cut-offs."))
        self.token_table = QtWidgets.QTableWidget(0, 4)
        self.token_table.setObjectName("token_table_view")
        self.token_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.token_table.verticalHeader().setVisible(False)
        compact_rows(self.token_table)
        th = self.token_table.horizontalHeader()
        # fixed widths: a column sized to its contents is measured again on every change (every slider move)
        th.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        for c in (1, 2):
            th.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.Fixed)
            self.token_table.setColumnWidth(c, self.fontMetrics().horizontalAdvance("0.0000%") + 12)
        th.setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.token_table.setColumnWidth(0, self.fontMetrics().horizontalAdvance("M") * 6)
        chain_row = QtWidgets.QHBoxLayout()
        chain_row.addWidget(self.legend, 1)
        shown_label = QtWidgets.QLabel(self.tr("Bars:"))
        shown_label.setBuddy(self.top_n)
        chain_row.addWidget(shown_label)
        chain_row.addWidget(self.top_n)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(self.chart)
        splitter.addWidget(self.token_table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        em = self.fontMetrics().horizontalAdvance("M")
        self.token_table.setMinimumWidth(em * 17)
        splitter.setSizes([em * 50, em * 24])
        chain_page = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(chain_page)
        cl.addWidget(self.caption)
        cl.addLayout(chain_row)
        cl.addWidget(splitter, 1)

        self.compare_page = ComparePage()
        self.compare_page.mode_changed.connect(self._on_compare_page_mode_changed)
        self.draw_page = DrawPage()
        self.draw_page.draw_requested.connect(self._on_draw_page_draw_requested)
        self.draw_page.clear()
        self.list_editor = TokenListEditor()
        self.list_editor.list_edited.connect(self._on_list_editor_list_edited)
        self.list_editor.copy_current.clicked.connect(self._on_copy_current_clicked)

        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(chain_page, self.tr("&Chain"))
        self.pages.addTab(self.compare_page, self.tr("&Four engines"))
        self.pages.addTab(self.draw_page, self.tr("D&raw"))
        self.pages.addTab(self.list_editor, self.tr("&Token list"))
        self.pages.currentChanged.connect(self._on_pages_current_changed)

        right = QtWidgets.QWidget()
        rl = QtWidgets.QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.distribution_label)
        rl.addWidget(self.strip)
        rl.addWidget(self.status)
        rl.addWidget(self.pages, 1)

        main = QtWidgets.QSplitter()
        main.addWidget(scroll)
        main.addWidget(right)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 1)
        main.setChildrenCollapsible(False)
        main.setSizes([scroll.minimumWidth(), em * 80])
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(main)
        self._show_legend()

    # -- the plan comes in ---------------------------------------------------------------------------------------
    def show_state(self, state) -> None:
        self.state = state
        vocab = state.model.architecture.embeddings.vocab_size
        self.distribution_panel.offer_vocabulary(vocab)
        choice = state.plan.sampling
        key = self._key(choice.engine, choice.settings)
        if key != self._shown_key:
            self._load_choice(choice)
            self._shown_key = key
            self._schedule()
        if self.dist is None and self.isVisible():
            self._request_distribution()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        """The first distribution is built when the tab is first shown: a window that opens on another tab
        does not pay for a 100k-token Zipf distribution at start-up."""
        super().showEvent(event)
        stale = self._stale and self._synthetic_built != self.distribution_panel.synthetic_parameters()
        self._stale = False
        if (self.dist is None or stale) and self.state is not None and not self._zipf.is_busy:
            self._request_distribution()

    @staticmethod
    def _key(engine: str, settings) -> tuple:
        return engine, json.dumps(dict(settings), sort_keys=True)

    def _load_choice(self, choice: SamplingChoice) -> None:
        problems = []
        engine = choice.engine
        if engine not in ENGINES:
            try:
                engine = get_engine(engine).id
            except PlannerError as e:
                problems.append(f"sampling.engine: {e.message}")
                engine = "llama.cpp"
        settings, unknown, bad = settings_from_json(choice.settings)
        problems += bad
        self._unknown = unknown
        self.engine = engine
        self.engine_box.blockSignals(True)
        self.engine_box.setCurrentIndex(list(ENGINES).index(engine))
        self.engine_box.blockSignals(False)
        self.controls.set_engine(engine)
        self.controls.load(settings.given())
        self._set_status(self.tr("The plan's sampling settings had problems (left out): {0}").format(
            "; ".join(problems)) if problems else "")

    def compute_now(self) -> None:
        """Build the distribution and run the chain synchronously (smoke test, screenshots)."""
        if self.dist is None:
            self._build_synthetic(now=True)
        self._update()
        if self.pages.currentWidget() is self.compare_page and self.result is not None:
            self._compare.compute_now(*self._compare_inputs())

    # -- distributions -------------------------------------------------------------------------------------------
    def _request_distribution(self) -> None:
        source = self.distribution_panel.current_source
        if source == "typed":
            self._take_typed_list()
        elif source == "engine" and "engine" in self._dists:
            self._set_distribution(self._dists["engine"])
        elif source == "engine" and "synthetic" in self._dists:
            self._set_status(self.tr("Fetch a distribution from a running engine; the synthetic one is shown "
                                     "until then."))
            self._set_distribution(self._dists["synthetic"])
        else:
            if source == "engine":
                self._set_status(self.tr("Fetch a distribution from a running engine; the synthetic one is shown "
                                         "until then."))
            self._build_synthetic()

    def _build_synthetic(self, now: bool = False) -> None:
        self._synthetic_built = self.distribution_panel.synthetic_parameters()
        (self._zipf.compute_now if now else self._zipf.request)(*self._synthetic_built)

    def _set_distribution(self, dist: Distribution) -> None:
        self.dist = dist
        self._show_distribution_label()
        self.draw_page.show_engine_choice(dist.chosen)
        self._drawn_stale()
        self._schedule()

    def _show_distribution_label(self) -> None:
        d = self.dist
        if d is None:
            self.distribution_label.setText("")
            return
        source = self.distribution_panel.current_source
        if source == "synthetic" or (source == "engine" and d is self._dists.get("synthetic")):
            vocab, head, exponent = self.distribution_panel.synthetic_parameters()
            text = self.tr("Synthetic Zipf–Mandelbrot distribution: {0} tokens, the top one at {1}, tail exponent "
                           "{2:g}.").format(fmt.exact(d.size), fmt.probability(head), exponent)
        else:
            if d is self._dists.get("typed"):
                text = self.tr("Your token list: {0} tokens.").format(fmt.exact(d.size))
            else:
                text = self.tr("{0}: {1} tokens.").format(d.source, fmt.exact(d.size))
            if d.other_mass > 0:
                text += " " + self.tr("They hold {0} of the probability; the other {1} is unlisted (the samplers run "
                                      "over the listed tokens).").format(fmt.probability(1 - d.other_mass),
                                                                         fmt.probability(d.other_mass))
            if d.chosen is not None:
                text += " " + self.tr("The engine chose {0}.").format(fmt.token_text(d.chosen, 30))
        self.distribution_label.setText(text)

    def _take_typed_list(self) -> None:
        try:
            dist = self.list_editor.distribution()
        except PlannerError:
            return  # the editor shows the message at the row; the last distribution stays
        self._dists["typed"] = dist
        if self.distribution_panel.current_source == "typed":
            self._set_distribution(dist)

    @Slot(object)
    def _on_zipf_result_ready(self, dist: Distribution) -> None:
        self._dists["synthetic"] = dist
        source = self.distribution_panel.current_source
        if source == "synthetic" or (source == "engine" and "engine" not in self._dists) or self.dist is None:
            self._set_distribution(dist)

    @Slot(str)
    def _on_zipf_computation_failed(self, message: str) -> None:
        self._set_status(message)

    @Slot(object)
    def _on_fetch_result_ready(self, dist: Distribution) -> None:
        self._dists["engine"] = dist
        panel = self.distribution_panel
        panel.fetch_error.clear_message()
        chosen = self.tr(" The engine chose {0}.").format(fmt.token_text(dist.chosen, 30)) if dist.chosen else ""
        panel.fetch_status.setText(self.tr("Got {0} tokens holding {1} of the probability.{2}").format(
            fmt.exact(dist.size), fmt.probability(1 - dist.other_mass), chosen))
        if panel.current_source == "engine":
            self._set_status("")
            self._set_distribution(dist)

    @Slot(str)
    def _on_fetch_computation_failed(self, message: str) -> None:
        self.distribution_panel.fetch_error.show_message(message)
        self.distribution_panel.fetch_status.setText("")

    @Slot(str)
    def _on_distribution_panel_source_changed(self, source: str) -> None:
        self._set_status("")
        if source in self._dists and source != "typed":
            self._set_distribution(self._dists[source])
        else:
            self._request_distribution()

    @Slot()
    def _on_distribution_panel_synthetic_changed(self) -> None:
        if not self.isVisible():
            self._stale = True  # built when the tab is shown (a new plan's model offers its vocabulary)
            return
        if self.distribution_panel.current_source == "synthetic" or self.dist is None:
            self._build_synthetic()

    @Slot()
    def _on_distribution_panel_fetch_requested(self) -> None:
        kind, url, prompt, model, top_n, timeout = self.distribution_panel.fetch_parameters()
        self.distribution_panel.remember()
        self.distribution_panel.fetch_error.clear_message()
        self.distribution_panel.fetch_status.setText(self.tr("Asking {0}…").format(url))
        self._fetch.request_now(kind, url, prompt, model, top_n, timeout,
                                description=self.tr("Fetching from {0}…").format(url))

    @Slot()
    def _on_distribution_panel_edit_list_requested(self) -> None:
        self.pages.setCurrentWidget(self.list_editor)

    @Slot()
    def _on_list_editor_list_edited(self) -> None:
        if self.distribution_panel.current_source != "typed":
            self.distribution_panel.set_source("typed")  # editing the list means using it
            return
        self._take_typed_list()

    @Slot()
    def _on_copy_current_clicked(self) -> None:
        if self.dist is not None:
            self.list_editor.fill_from(self.dist)

    # -- settings ----------------------------------------------------------------------------------------------
    @Slot(str)
    def _on_controls_settings_edited(self, _name: str) -> None:
        self._schedule()

    @Slot(int)
    def _on_engine_box_current_index_changed(self, index: int) -> None:
        self.engine = self.engine_box.itemData(index)
        self.controls.set_engine(self.engine)
        self._schedule()

    @Slot(int)
    def _on_preset_box_activated(self, index: int) -> None:
        name = self.preset_box.itemData(index)
        self.preset_box.setCurrentIndex(0)
        preset = next((p for p in self._presets if p.name == name), None)
        if preset is None:
            return
        self.apply_preset(preset)

    def apply_preset(self, preset: SamplerPreset) -> None:
        if preset.engine:
            self.engine_box.setCurrentIndex(list(ENGINES).index(preset.engine))
            self.controls.reset()
        else:
            self.controls.load(preset.settings.given())
        self._schedule()

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        self.controls.reset()
        self._schedule()

    # -- running the chain -------------------------------------------------------------------------------------
    def _schedule(self) -> None:
        self._update_timer.start()

    @Slot()
    def _on_update_timer_timeout(self) -> None:
        self._update()

    def update_now(self) -> None:
        """Run the chain for what the controls show now (tests)."""
        self._update_timer.stop()
        self._update()

    def _update(self) -> None:
        if self.dist is None:
            return
        start = time.perf_counter()
        try:
            settings = self.controls.settings(self.dist)
            result = run_chain(self.dist, settings, self.engine, use_defaults=True, strict=False)
        except SettingError as e:
            self._refused(e.setting, e.message, get_engine(self.engine).name)
            return
        except PlannerError as e:
            self._refused(e.field or "", e.message, None)
            return
        self.controls.clear_errors()
        self._set_status("")
        self.result = result
        self.sampler_settings = settings
        self._show_result()
        self.last_update_ms = (time.perf_counter() - start) * 1000
        self.updates += 1
        self._propose_timer.start()
        if self.pages.currentWidget() is self.compare_page:
            self._compare.request(*self._compare_inputs())
        self._drawn_stale()

    def _refused(self, field: str, message: str, engine_name: str | None) -> None:
        """Show the refusal at its field; keep the last valid result on screen."""
        self.controls.clear_errors()
        if field in self.controls.rows:
            self.controls.show_error(field, message)
        if engine_name:
            self._set_status(self.tr("{0} refuses these settings: {1}. The last valid result stays on screen.").format(
                engine_name, message), warn=True)
        else:
            self._set_status(self.tr("{0} The last valid result stays on screen.").format(message), warn=True)

    def _set_status(self, text: str, warn: bool = False) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        pal = self.status.palette()
        pal.setColor(QtGui.QPalette.ColorRole.WindowText, warning_color() if warn else
                     QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.WindowText))
        self.status.setPalette(pal)

    def _selected_index(self) -> int:
        if self.result is None or self.selected_key is None:
            return 0
        for i, s in enumerate(self.result.stages):
            if i and s.key == self.selected_key:
                return i
        return 0

    def _show_result(self) -> None:
        result = self.result
        summaries = stage_summaries(result)
        values = {i: self._stage_value(s.key) for i, s in enumerate(result.stages)}
        sources = {i: s.source for i, s in enumerate(result.stages)}
        index = self._selected_index()
        self.strip.selected = index
        self.strip.show_stages(summaries, values, sources)
        notes = list(result.notes)
        if notes:
            self._set_status("; ".join(notes))
        self._show_bars()

    def _stage_value(self, key: str) -> str:
        v = self.result.settings
        g = lambda name: v.get(name)  # noqa: E731
        if key in ("top_k", "top_p", "min_p", "typical_p", "top_n_sigma", "epsilon_cutoff", "eta_cutoff",
                   "repetition_penalty"):
            return f"{g(key):g}" if isinstance(g(key), (int, float)) else ""
        if key == "temperature" and isinstance(g("temperature"), (int, float)):
            r = g("dynatemp_range") or 0
            return f"{g('temperature'):g}" + (f"±{r:g}" if r else "")
        if key == "xtc" and isinstance(g("xtc_probability"), (int, float)):
            return f"{g('xtc_probability'):g}"
        if key == "mirostat" and g("mirostat"):
            return "2.0" if g("mirostat") == 2 else "v1"
        if key == "dry" and isinstance(g("dry_multiplier"), (int, float)):
            return f"×{g('dry_multiplier'):g}"
        return ""

    def _show_bars(self) -> None:
        if self.result is None:
            return
        index = self._selected_index()
        view = bars_view(self.result, index or None, self.top_n.value())
        self.view = view
        result = self.result
        engine = result.engine_name
        if view.whole_chain:
            before, after = self.tr("raw"), self.tr("after {0}'s chain").format(engine)
            caption = self.tr("The raw distribution (blue) and what {0} samples from after its whole chain "
                              "(orange); grey bars are tokens the chain removed. Click a stage above to see what "
                              "it alone did.").format(engine)
            if view.unplaced:
                names = ", ".join(short_name(result.stages[i].key) for i in view.unplaced)
                caption += " " + self.tr("The cut-offs of {0} apply to logits an earlier stage changed: select the "
                                         "stage to see them.").format(names)
        else:
            stage = result.stages[view.after_stage]
            name = short_name(stage.key)
            before, after = self.tr("entering {0}").format(name), self.tr("leaving {0}").format(name)
            if stage.active:
                caption = self.tr("{0}: the distribution entering it (blue) and leaving it (orange); grey bars are the "
                                  "tokens it removed ({1} of {2}).").format(
                    stage.label, fmt.exact(result.stages[view.before_stage].kept_count - stage.kept_count),
                    fmt.exact(result.stages[view.before_stage].kept_count))
            else:
                caption = self.tr("{0} is off here: {1}").format(name, stage.note)
            if stage.note and stage.active:
                caption += " " + stage.note + "."
        _set_text(self.caption, caption)
        self._show_legend(before, after, view)
        self.chart.show_view(view, self._line_texts(view))
        self._fill_token_table(view)

    def _line_texts(self, view: BarsView) -> dict[str, str]:
        out = {}
        for line in view.lines:
            s = f"{line.setting:g}" if line.setting is not None else ""
            value = fmt.probability(line.value)
            texts = {
                "top_p": self.tr("top-p {0}: cut where the running sum reaches {1}").format(s, value),
                "min_p": self.tr("min-p {0} × p_max = {1}").format(s, value),
                "xtc_threshold": self.tr("XTC threshold {0}").format(value),
                "epsilon": self.tr("ε cut-off {0}").format(value),
                "eta": self.tr("η cut-off {0}").format(value),
                "top_n_sigma": self.tr("top-n-σ {0}: {1}").format(s, value),
                "min_probability": self.tr("Mirostat: {0}").format(value),
            }
            out.setdefault(line.key, texts.get(line.key, line.key))
        return out

    def _show_legend(self, before: str = "", after: str = "", view: BarsView | None = None) -> None:
        def swatch(color, text, mark="■"):
            return f'<span style="color:{color}">{mark}</span>&nbsp;{_escape(text)}'
        parts = [swatch(BEFORE_COLOR, before or self.tr("raw")), swatch(AFTER_COLOR, after or self.tr("final")),
                 swatch(REMOVED_COLOR, self.tr("removed")),
                 swatch(CUMULATIVE_COLOR, self.tr("running sum (right axis)"), "●")]
        if view is not None:
            for key in dict.fromkeys(line.key for line in view.lines):
                parts.append(swatch(LINE_COLORS.get(key, "#888"), short_name({"xtc_threshold": "xtc", "epsilon":
                                                                               "epsilon_cutoff", "eta": "eta_cutoff",
                                                                               "min_probability": "mirostat"}.get(key, key)),
                                    "┅"))
        _set_text(self.legend, "&nbsp;&nbsp; ".join(parts))

    def _fill_token_table(self, view: BarsView) -> None:
        table = self.token_table
        before, after = (self.tr("Raw"), self.tr("Final")) if view.whole_chain else (self.tr("In"), self.tr("Out"))
        headers = [self.tr("Token"), before, after, self.tr("Removed by")]
        if [table.horizontalHeaderItem(c).text() if table.horizontalHeaderItem(c) else "" for c in range(4)] != headers:
            table.setHorizontalHeaderLabels(headers)
        rows = view.ids.size + 1 + (1 if view.unlisted > 0 else 0)
        if table.rowCount() != rows:
            table.setRowCount(rows)
            for r in range(rows):
                for c in range(4):
                    if table.item(r, c) is None:
                        item = QtWidgets.QTableWidgetItem()
                        if c in (1, 2):
                            item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight |
                                                  QtCore.Qt.AlignmentFlag.AlignVCenter)
                        table.setItem(r, c, item)
        stages = self.result.stages
        for r in range(view.ids.size):
            by = int(view.removed_at[r])
            cells = (fmt.token_text(view.labels[r], 18), fmt.probability(view.before[r]),
                     fmt.probability(view.after[r]), short_name(stages[by].key) if by >= 0 else "")
            for c, text in enumerate(cells):
                _set_text(table.item(r, c), text)
            table.item(r, 0).setToolTip(repr(view.labels[r]))
        r = view.ids.size
        table.item(r, 0).setToolTip(self.tr("The {0} tokens without a bar of their own").format(
            fmt.exact(view.rest_count)))
        for c, text in enumerate((self.tr("others"),
                                  fmt.probability(view.rest_before), fmt.probability(view.rest_after), "")):
            _set_text(table.item(r, c), text)
        if view.unlisted > 0:
            for c, text in enumerate((self.tr("unlisted"), fmt.probability(view.unlisted), "–", "")):
                _set_text(table.item(r + 1, c), text)

    @Slot(int)
    def _on_strip_stage_selected(self, index: int) -> None:
        if self.result is None:
            return
        self.selected_key = self.result.stages[index].key if index else None
        self._show_bars()
        if self.pages.currentWidget() is not self.pages.widget(0):
            self.pages.setCurrentIndex(0)

    def select_stage(self, index: int) -> None:
        """Show stage ``index`` (0: the whole chain), as a click on the strip does."""
        self.strip.select(index)
        self._on_strip_stage_selected(index)

    @Slot(int)
    def _on_top_n_value_changed(self, _value: int) -> None:
        self._show_bars()
        self._drawn_stale()

    # -- the plan goes out -------------------------------------------------------------------------------------
    @Slot()
    def _on_propose_timer_timeout(self) -> None:
        self.propose_now()

    def propose_now(self) -> None:
        """Send the engine and the settings that produced the result on screen to the plan."""
        self._propose_timer.stop()
        if self.state is None or self.result is None:
            return
        settings = {**self._unknown, **settings_to_json(self.sampler_settings)}
        key = self._key(self.result.engine, settings)
        if key == self._shown_key:
            return
        try:
            plan = self.state.plan.replace(sampling=SamplingChoice(self.result.engine, settings))
        except PlannerError as e:
            self._set_status(e.message, warn=True)
            return
        self._shown_key = key
        self.propose(plan)

    # -- comparison and draws ----------------------------------------------------------------------------------
    def _compare_inputs(self) -> tuple:
        mode = self.compare_page.current_mode
        settings = values_everywhere(self.result, self.sampler_settings) if mode == "values" else self.sampler_settings
        return self.dist, settings, mode, self.top_n.value()

    @Slot(int)
    def _on_pages_current_changed(self, _index: int) -> None:
        widget = self.pages.currentWidget()
        if widget is self.compare_page and self.result is not None:
            self._compare.request(*self._compare_inputs())
        elif widget is self.draw_page and self.result is not None and self._drawn:
            self._request_draw()

    @Slot(str)
    def _on_compare_page_mode_changed(self, _mode: str) -> None:
        if self.result is not None:
            self._compare.request(*self._compare_inputs())

    @Slot(object)
    def _on_compare_result_ready(self, view) -> None:
        self.compare_page.show_view(view)

    @Slot(str)
    def _on_compare_computation_failed(self, message: str) -> None:
        self.compare_page.summary.setText(_escape(message))

    @Slot()
    def _on_draw_page_draw_requested(self) -> None:
        self._drawn = True
        self._request_draw(now=True)

    def _request_draw(self, now: bool = False) -> None:
        if self.result is None:
            return
        args = (self.result, self.draw_page.count.value(), self.draw_page.seed.value(), self.top_n.value())
        (self._drawer.request_now if now else self._drawer.request)(*args)

    def _drawn_stale(self) -> None:
        if self._drawn and self.pages.currentWidget() is self.draw_page:
            self._request_draw()

    @Slot(object)
    def _on_drawer_result_ready(self, outcome) -> None:
        view, labels, seed = outcome
        self.draw_page.show_draws(view, labels, seed)

    @Slot(str)
    def _on_drawer_computation_failed(self, message: str) -> None:
        self.draw_page.summary.setText(message)

    # -- export ------------------------------------------------------------------------------------------------
    def report_sections(self) -> list[ReportSection]:
        if self.result is None:
            return []
        r = self.result
        given = settings_to_json(self.sampler_settings)
        lines = (
            self.tr("Engine: {0} ({1})").format(r.engine_name, get_engine(r.engine).version),
            self.tr("Settings set: {0}; everything else takes the engine's defaults.").format(
                json.dumps(given) if given else self.tr("none")),
            self.tr("Distribution: {0} ({1} tokens)").format(r.distribution.source or self.tr("typed list"),
                                                              fmt.exact(r.distribution.size)),
        ) + tuple(self.tr("Note: {0}").format(n) for n in r.notes)
        stages = ReportTable(
            self.tr("The chain, stage by stage"),
            (self.tr("Stage"), self.tr("Active"), self.tr("Kept tokens"), self.tr("Entropy (bits)"),
             self.tr("Perplexity"), self.tr("Note")),
            tuple((s.label, self.tr("yes") if s.active else self.tr("no"), str(s.kept_count), f"{s.entropy_bits:.4f}",
                   f"{s.perplexity:.4g}", s.note) for s in r.stages))
        view = bars_view(r, None, self.top_n.value())
        tokens = ReportTable(
            self.tr("Top tokens: raw and final probability"),
            (self.tr("Token"), self.tr("Raw"), self.tr("Final")),
            tuple((view.labels[i], f"{view.before[i]:.6g}", f"{view.after[i]:.6g}") for i in range(view.ids.size)))
        return [ReportSection(self.title(), lines, (stages, tokens))]

    def chart_widgets(self) -> dict[str, QtWidgets.QWidget]:
        charts = {"chain": self.chart}
        if self.compare_page.view is not None:
            charts["engines"] = self.compare_page.chart
        if self.draw_page.view is not None:
            charts["draws"] = self.draw_page.chart
        return charts

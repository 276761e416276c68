"""The Architecture tab: every field of the model's shape, its exact parameter count and FLOPs, live.

Left: the grouped fields (``ArchitectureForm``). Right: total and active parameters, forward FLOPs per token
at the plan's context, a breakdown chart and table, the per-layer table, the scaling-law panel and the
comparison with a pinned model. Counting runs on a worker (``compute_architecture``); an edit that makes
the architecture invalid shows its message at the field and leaves the last valid result on screen.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.architecture import Architecture
from ..core.flops import flops_per_token
from ..core.params import count_params
from ..core.errors import PlannerError
from ..core.estimate import run_estimate
from ..core.plan import ModelSource, Plan, estimate_request
from ..core.report import ReportSection, ReportTable
from ..core.tensors import COMPONENTS
from . import format as fmt
from .architecture_form import ArchitectureForm
from .charts import BreakdownChart
from .compare_panel import ComparePanel, ModelFigures, component_title
from .layer_table import COLUMNS, LayerTable, column_title, layer_rows
from .qt import QtCore, QtWidgets, Slot, translate
from .scaling_panel import ScalingPanel
from .tabs import PlanTab
from .widgets import ContextSlider, SummaryCard, compact_rows, warning_color


@dataclass(frozen=True)
class ArchitectureResult:
    main: ModelFigures
    compare: ModelFigures | None
    requested_context: int


def figures(label: str, arch: Architecture, context: int, plan: Plan | None = None) -> ModelFigures:
    """Counts and FLOPs; with a plan, also the inference memory at its settings (``core.estimate``)."""
    ctx = min(context, arch.max_context)
    memory, error = None, None
    if plan is not None:
        try:
            memory = run_estimate(estimate_request(plan, arch, mode="inference")).memory
        except PlannerError as e:
            error = str(e)
    return ModelFigures(label, arch, count_params(arch), flops_per_token(arch, ctx), ctx, memory, error)


def compute_architecture(label: str, arch: Architecture, context: int, compare_label: str | None = None,
                         compare_arch: Architecture | None = None, plan: Plan | None = None) -> ArchitectureResult:
    """Worker function: counts and FLOPs for the plan's model and the pinned one, and when one is pinned,
    both models' memory at the plan's settings."""
    if compare_arch is None:
        return ArchitectureResult(figures(label, arch, context), None, context)
    return ArchitectureResult(figures(label, arch, context, plan), figures(compare_label, compare_arch, context, plan),
                              context)


def edited_source(source: ModelSource, arch: Architecture) -> ModelSource:
    """The plan's model after an edit: a custom architecture that remembers what it was edited from."""
    if source.kind == "custom":
        return ModelSource.custom(arch, source.value)
    if arch.name == source.label:
        arch = arch.replace(name=translate("ArchitectureTab", "{0} (edited)").format(arch.name))
    return ModelSource.custom(arch, f"{source.kind}: {source.value}")


class ArchitectureTab(PlanTab):
    tab_id = "architecture"

    @classmethod
    def title(cls) -> str:
        return translate("ArchitectureTab", "Architecture")

    @classmethod
    def sources(cls) -> list[str]:
        return [
            translate("ArchitectureTab", "Parameter counts: tensor by tensor from the architecture, under Hugging "
                                         "Face transformers' convention (llmplanner/core/tensors.py), checked "
                                         "against transformers itself and published counts."),
            translate("ArchitectureTab", "FLOPs per token: Kaplan et al. 2020, Scaling Laws for Neural Language "
                                         "Models (arXiv:2001.08361), Table 1."),
            translate("ArchitectureTab", "Compute-optimal training: Hoffmann et al. 2022, Training Compute-Optimal "
                                         "Large Language Models (arXiv:2203.15556)."),
        ]

    def __init__(self, settings=None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.result: ArchitectureResult | None = None
        self._shown_main_arch: Architecture | None = None
        self._computation = self.make_computation(compute_architecture,
                                                  description=self.tr("Counting parameters…"))
        self._computation.result_ready.connect(self._on_computation_result_ready)
        self._computation.computation_failed.connect(self._on_computation_failed)

        self.form = ArchitectureForm()
        self.form.architecture_edited.connect(self._on_form_architecture_edited)
        self.form.validity_changed.connect(self._on_form_validity_changed)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 30)

        self.total_card = SummaryCard(self.tr("Total parameters"), self.tr(
            "Every parameter of the model, a tied embedding counted once (Hugging Face's convention)."))
        self.active_card = SummaryCard(self.tr("Active per token"), self.tr(
            "Parameters one token's forward pass reads: all of a dense model, k of the E experts of a mixture."))
        self.flops_card = SummaryCard(self.tr("Forward FLOPs per token"), self.tr(
            "Floating-point operations to generate one token at the context below: 2 per active matrix "
            "parameter plus attention over the context (Kaplan et al. 2020)."))
        cards = QtWidgets.QHBoxLayout()
        for card in (self.total_card, self.active_card, self.flops_card):
            cards.addWidget(card, 1)

        self.context = ContextSlider()
        self.context.context_changed.connect(self._on_context_context_changed)
        self.context_note = QtWidgets.QLabel()
        self.context_note.setWordWrap(True)
        self.context_note.setVisible(False)
        context_row = QtWidgets.QHBoxLayout()
        context_label = QtWidgets.QLabel(self.tr("Conte&xt:"))
        context_label.setBuddy(self.context.spin)
        context_row.addWidget(context_label)
        context_row.addWidget(self.context, 1)

        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        self.chart = BreakdownChart([component_title(c) for c in COMPONENTS])
        self.chart.setToolTip(self.tr("Parameters per component; with a pinned model, both side by side."))
        self.breakdown_table = QtWidgets.QTableWidget(len(COMPONENTS) + 1, 4)
        self.breakdown_table.setObjectName("breakdown_table")
        self.breakdown_table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Parameters"), self.tr("Share"), self.tr("Active per token")])
        self.breakdown_table.verticalHeader().setVisible(False)
        compact_rows(self.breakdown_table)
        self.breakdown_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.breakdown_table.horizontalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.breakdown_table.horizontalHeader().setStretchLastSection(False)
        for r in range(len(COMPONENTS) + 1):
            for c in range(4):
                item = QtWidgets.QTableWidgetItem()
                align = QtCore.Qt.AlignmentFlag.AlignLeft if c == 0 else QtCore.Qt.AlignmentFlag.AlignRight
                item.setTextAlignment(align | QtCore.Qt.AlignmentFlag.AlignVCenter)
                self.breakdown_table.setItem(r, c, item)
        self.breakdown_table.setSizeAdjustPolicy(QtWidgets.QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.breakdown_table.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.breakdown_table.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed,
                                           QtWidgets.QSizePolicy.Policy.Expanding)
        breakdown = QtWidgets.QWidget()
        b_layout = QtWidgets.QHBoxLayout(breakdown)
        b_layout.setContentsMargins(0, 0, 0, 0)
        b_layout.addWidget(self.chart, 1)
        b_layout.addWidget(self.breakdown_table, 0)

        self.layer_table = LayerTable()
        self.scaling = ScalingPanel()
        self.scaling.tokens_changed.connect(self._on_scaling_tokens_changed)
        if settings is not None:
            self.scaling.set_tokens(settings.training_tokens / 1e9)
        self.compare = ComparePanel()
        self.compare.pin_requested.connect(self._on_compare_pin_requested)
        self.compare.pin_current_requested.connect(self._on_compare_pin_current_requested)

        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(breakdown, self.tr("&Breakdown"))
        self.pages.addTab(self.layer_table, self.tr("Per &layer"))
        self.pages.addTab(self.scaling, self.tr("&Scaling law"))
        self.pages.addTab(self.compare, self.tr("Co&mpare"))

        right = QtWidgets.QWidget()
        r_layout = QtWidgets.QVBoxLayout(right)
        r_layout.setContentsMargins(0, 0, 0, 0)
        r_layout.addLayout(cards)
        r_layout.addLayout(context_row)
        r_layout.addWidget(self.context_note)
        r_layout.addWidget(self.status)
        r_layout.addWidget(self.pages, 1)

        splitter = QtWidgets.QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(splitter)

    # -- the plan comes in ---------------------------------------------------------------------------------------
    def show_state(self, state) -> None:
        self.state = state
        arch = state.model.architecture
        self.form.set_architecture(arch)
        self.context.set_values(state.plan.context, arch.max_context)
        if state.plan.context > arch.max_context:
            self.context_note.setText(self.tr(
                "The plan's context ({0} tokens) is longer than this model's maximum; figures here use {1}.").format(
                fmt.exact(state.plan.context), fmt.exact(arch.max_context)))
            self._color(self.context_note, warning_color())
            self.context_note.setVisible(True)
        else:
            self.context_note.setVisible(False)
        self._computation.request(*self._inputs(state),
                                  description=self.tr("Counting parameters of {0}…").format(arch.name))

    def _inputs(self, state) -> tuple:
        other = state.compare
        return (state.model.architecture.name, state.model.architecture, state.plan.context,
                None if other is None else other.architecture.name,
                None if other is None else other.architecture, state.plan)

    def compute_now(self) -> None:
        if self.state is not None:
            self._computation.compute_now(*self._inputs(self.state))

    # -- edits go out ------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_form_architecture_edited(self, arch: Architecture) -> None:
        if self.state is None:
            return
        plan = self.state.plan
        self.propose(plan.replace(model=edited_source(plan.model, arch)))

    @Slot(int)
    def _on_context_context_changed(self, context: int) -> None:
        if self.state is not None and context != self.state.plan.context:
            self.propose(self.state.plan.replace(context=context))

    @Slot(object)
    def _on_compare_pin_requested(self, source) -> None:
        if self.state is not None:
            self.propose(self.state.plan.replace(compare=source))

    @Slot()
    def _on_compare_pin_current_requested(self) -> None:
        if self.state is not None:
            self.propose(self.state.plan.replace(compare=self.state.plan.model))

    @Slot(float)
    def _on_scaling_tokens_changed(self, billions: float) -> None:
        if self.settings is not None:
            self.settings.training_tokens = billions * 1e9

    @Slot(bool)
    def _on_form_validity_changed(self, valid: bool) -> None:
        if valid:
            self.status.setVisible(False)
        else:
            self.status.setText(self.tr("The last valid architecture's figures are shown until the marked field "
                                        "is corrected."))
            self._color(self.status, warning_color())
            self.status.setVisible(True)

    # -- results come back -------------------------------------------------------------------------------------
    @Slot(str)
    def _on_computation_failed(self, message: str) -> None:
        self.status.setText(message)
        self.status.setVisible(True)

    @Slot(object)
    def _on_computation_result_ready(self, result: ArchitectureResult) -> None:
        self.result = result
        m = result.main
        p = m.params
        self.total_card.set(fmt.exact(p.total), fmt.long_count(p.total))
        share = p.active / p.total if p.total else 1
        self.active_card.set(fmt.exact(p.active), self.tr("{0}, {1:.1%} of the total").format(
            fmt.long_count(p.active), share))
        f = m.flops
        self.flops_card.set(fmt.flops(f.total), self.tr("at {0} tokens: weights {1}, attention {2}").format(
            fmt.exact(m.context), fmt.flops(f.matmul), fmt.flops(f.attention)))
        series = [(m.label, [p.breakdown[c] for c in COMPONENTS])]
        if result.compare is not None:
            series.append((result.compare.label, [result.compare.params.breakdown[c] for c in COMPONENTS]))
        self.chart.set_series(series)
        self._fill_breakdown_table(m)
        if m.arch != self._shown_main_arch:
            self.layer_table.table_model.set_rows(layer_rows(m.arch, p))
            self._shown_main_arch = m.arch
        self.scaling.set_model(p.total, p.active)
        error = self.state.compare_error if self.state is not None else None
        self.compare.show_figures(m, result.compare, error)
        if self.form.is_valid:
            self.status.setVisible(False)

    def _fill_breakdown_table(self, m: ModelFigures) -> None:
        p = m.params
        rows = [(component_title(c), fmt.exact(p.breakdown[c]), fmt.percent(p.breakdown[c], p.total),
                 fmt.exact(p.active_breakdown[c])) for c in COMPONENTS]
        rows.append((self.tr("Total"), fmt.exact(p.total), "100%", fmt.exact(p.active)))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.breakdown_table.item(r, c).setText(text)

    @staticmethod
    def _color(label: QtWidgets.QLabel, color) -> None:
        pal = label.palette()
        pal.setColor(label.foregroundRole(), color)
        label.setPalette(pal)

    # -- export ------------------------------------------------------------------------------------------------
    def report_sections(self) -> list[ReportSection]:
        if self.result is None:
            return []
        m = self.result.main
        p = m.params
        lines = (
            self.tr("Model: {0} ({1} layers, hidden size {2}, {3} attention with {4} heads and {5} key/value "
                    "heads)").format(m.label, m.arch.num_layers, fmt.exact(m.arch.hidden_size),
                                     m.arch.attention.grouping, m.arch.attention.num_heads,
                                     m.arch.attention.num_kv_heads),
            self.tr("Total parameters: {0} ({1})").format(fmt.exact(p.total), fmt.long_count(p.total)),
            self.tr("Active parameters per token: {0}").format(fmt.exact(p.active)),
            self.tr("Forward FLOPs per token at {0} tokens of context: {1}").format(
                fmt.exact(m.context), fmt.flops(m.flops.total)),
        )
        breakdown = ReportTable(
            self.tr("Parameter breakdown"),
            (self.tr("Component"), self.tr("Parameters"), self.tr("Share"), self.tr("Active per token")),
            tuple((component_title(c), str(p.breakdown[c]), fmt.percent(p.breakdown[c], p.total),
                   str(p.active_breakdown[c])) for c in COMPONENTS))
        layers = ReportTable(self.tr("Parameters per layer"), tuple(column_title(c) for c in COLUMNS),
                             tuple(tuple(r) for r in layer_rows(m.arch, p)))
        tables = [breakdown, layers]
        for extra in (self.scaling.report_table(), self.compare.report_table()):
            if extra is not None:
                tables.append(extra)
        return [ReportSection(self.title(), lines, tuple(tables))]

    def chart_widgets(self) -> dict[str, QtWidgets.QWidget]:
        return {"breakdown": self.chart, "loss": self.scaling.chart}

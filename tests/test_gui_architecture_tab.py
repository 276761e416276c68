"""The Architecture tab: live exact counts, validation at the field, debounced context, comparison."""
import pytest
from gui_fixtures import settings, wait_results, window  # noqa: F401 - fixtures

from llmplanner.core.flops import flops_per_token
from llmplanner.core.params import count_params
from llmplanner.core.plan import ModelSource
from llmplanner.core.presets import find_preset

pytestmark = pytest.mark.gui


def arch_tab(window):  # noqa: F811
    return window.tab("architecture")


def test_the_default_plan_shows_llama_3_8b_exactly(window):  # noqa: F811
    tab = arch_tab(window)
    expected = count_params(find_preset("Llama-3-8B").architecture())
    assert expected.total == 8_030_261_248  # Meta's model card: 8.03B
    assert tab.total_card.value.text() == "8,030,261,248"
    assert tab.active_card.value.text() == "8,030,261,248"
    rows = {tab.breakdown_table.item(r, 0).text(): tab.breakdown_table.item(r, 1).text()
            for r in range(tab.breakdown_table.rowCount())}
    assert rows["Attention"] == f"{expected.breakdown['attention']:,}"
    assert tab.layer_table.table_model.rowCount() == 32


def test_editing_a_field_updates_the_count(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab.form.widgets["model.num_layers"].setValue(16)
    wait_results(qtbot, tab)
    llama = find_preset("Llama-3-8B").architecture()
    expected = count_params(llama.replace(num_layers=16, name="x")).total
    assert tab.total_card.value.text() == f"{expected:,}"
    assert window.controller.plan.model.kind == "custom"
    assert window.controller.plan.model.architecture.num_layers == 16
    assert window.controller.plan.model.architecture.name == "Llama-3-8B (edited)"
    assert window.controller.is_modified
    assert tab.layer_table.table_model.rowCount() == 16


def test_a_vocabulary_edit_moves_embeddings_and_the_output_head(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab.form.widgets["embeddings.vocab_size"].setValue(32000)
    wait_results(qtbot, tab)
    b = tab.result.main.params.breakdown
    assert b["embeddings"] == b["output"] == 32000 * 4096


def test_an_invalid_value_shows_a_message_at_the_field_and_keeps_the_last_result(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    before = tab.total_card.value.text()
    plan_before = window.controller.plan
    tab.form.widgets["attention.num_kv_heads"].setValue(3)
    wait_results(qtbot, tab)
    message = tab.form.messages["attention.num_kv_heads"]
    assert message.isVisible()
    assert "must divide the 32 attention heads" in message.text()
    assert tab.total_card.value.text() == before
    assert window.controller.plan == plan_before
    assert tab.status.isVisible()
    tab.form.widgets["attention.num_kv_heads"].setValue(4)
    wait_results(qtbot, tab)
    assert not message.isVisible()
    assert tab.total_card.value.text() != before


def test_an_error_caused_elsewhere_is_shown_at_the_field_it_names(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab.form.widgets["attention.num_heads"].setValue(30)  # 8 kv heads no longer divide 30
    assert tab.form.messages["attention.num_kv_heads"].isVisible()
    assert not tab.form.is_valid


def test_a_bad_layer_list_says_what_is_wrong(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab.form.widgets["attention.sliding_window"].setValue(4096)
    wait_results(qtbot, tab)
    edit = tab.form.widgets["attention.sliding_layers"]
    edit.setText("0-40:2")
    edit.editingFinished.emit()
    assert "layer 40 does not exist" in tab.form.messages["attention.sliding_layers"].text()
    edit.setText("0-30:2")
    edit.editingFinished.emit()
    wait_results(qtbot, tab)
    arch = window.controller.plan.model.architecture
    assert arch.attention.sliding_layers == tuple(range(0, 31, 2))
    assert tab.result.main.flops == flops_per_token(arch, tab.result.main.context)


def test_switching_on_experts_builds_a_mixture(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab.form.widgets["moe"].setChecked(True)
    wait_results(qtbot, tab)
    p = tab.result.main.params
    assert p.breakdown["experts"] > 0 and p.breakdown["mlp"] == 0
    assert p.active < p.total
    assert tab.form.widgets["moe.num_experts"].isVisibleTo(tab.form)


def test_a_context_drag_gives_one_estimate_for_the_final_value(qtbot, qapp, window):  # noqa: F811
    tab = arch_tab(window)
    comp = tab.computations[0]
    done = comp.completed
    slider = tab.context.slider
    for position in range(slider.minimum(), slider.maximum() + 1):
        slider.setValue(position)
        qapp.processEvents()
    wait_results(qtbot, tab)
    assert comp.completed == done + 1
    assert tab.result.requested_context == 8192 == window.controller.plan.context
    assert tab.result.main.flops == flops_per_token(find_preset("Llama-3-8B").architecture(), 8192)


def test_the_context_is_capped_at_the_model_maximum_with_a_note(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    window.controller.set_plan(window.controller.plan.replace(context=100_000))
    wait_results(qtbot, tab)
    assert tab.result.main.context == 8192
    assert tab.context_note.isVisible() and "100,000" in tab.context_note.text()


def test_a_pinned_model_is_shown_side_by_side(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab.compare.picker.setCurrentIndex(tab.compare.picker.findData("Mixtral-8x7B-v0.1"))
    tab.compare.findChildren(type(tab.compare.unpin))[0].click()  # Pin
    wait_results(qtbot, tab)
    assert window.controller.plan.compare == ModelSource.preset("Mixtral-8x7B-v0.1")
    other = tab.result.compare
    assert other.params.total == count_params(find_preset("Mixtral-8x7B-v0.1").architecture()).total
    table = tab.compare.table
    assert table.item(0, 2).text() == f"{other.params.total:,}"
    assert all(bar.isVisible() for bar in tab.chart.bars)
    tab.compare.unpin.click()
    wait_results(qtbot, tab)
    assert window.controller.plan.compare is None and tab.result.compare is None
    assert not tab.chart.bars[1].isVisible()


def test_pinning_the_current_model_then_editing_compares_before_and_after(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    tab._on_compare_pin_current_requested()
    tab.form.widgets["mlp.intermediate_size"].setValue(8192)
    wait_results(qtbot, tab)
    assert tab.result.compare.params.total == 8_030_261_248
    assert tab.result.main.params.breakdown["mlp"] == 32 * 3 * 4096 * 8192


def test_the_chart_bars_are_updated_in_place(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    items_before = list(tab.chart.getPlotItem().items)
    tab.form.widgets["model.hidden_size"].setValue(2048)
    wait_results(qtbot, tab)
    assert list(tab.chart.getPlotItem().items) == items_before
    heights = list(tab.chart.bars[0].opts["width"])
    assert heights[2] == tab.result.main.params.breakdown["mlp"]


def test_the_scaling_panel_uses_chinchilla(qtbot, window, settings):  # noqa: F811
    panel = arch_tab(window).scaling
    assert panel.values["ratio"].text() == "20.0"
    panel.tokens.setValue(15000.0)  # Llama 3: 15T tokens
    assert panel.values["ratio"].text() == f"{15e12 / 8_030_261_248:,.1f}"
    assert "past the compute optimum" in panel.values["verdict"].text()
    assert settings.training_tokens == 15e12


def test_every_field_has_a_tooltip(window):  # noqa: F811
    form = arch_tab(window).form
    assert all(len(w.toolTip()) > 20 for w in form.widgets.values())


def test_choosing_mla_fills_in_deepseek_v3_ranks(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    kind = tab.form.widgets["attention.kind"]
    kind.setCurrentIndex(kind.findData("mla"))
    wait_results(qtbot, tab)
    att = window.controller.plan.model.architecture.attention
    assert (att.kind, att.q_lora_rank, att.kv_lora_rank, att.qk_rope_head_dim) == ("mla", 1536, 512, 64)
    assert tab.form.widgets["attention.kv_lora_rank"].value() == 512
    assert tab.form.widgets["attention.kv_lora_rank"].isVisibleTo(tab.form)
    assert not tab.form.widgets["attention.num_kv_heads"].isVisibleTo(tab.form)
    per_layer = tab.result.main.params.per_layer[0]["attention"]
    h, heads = 4096, 32
    expected = (1536 * h + heads * 192 * 1536  # q down, q up (their norms count under norms)
                + (512 + 64) * h + heads * (128 + 128) * 512  # kv down with the rotary key, kv up
                + h * heads * 128)  # output
    assert per_layer == expected  # DeepSeek-V2 paper §2.1 shapes, arXiv:2405.04434


def test_the_comparison_includes_memory_at_the_plan_settings(qtbot, window):  # noqa: F811
    from llmplanner.core.estimate import run_estimate
    from llmplanner.core.plan import estimate_request

    tab = arch_tab(window)
    window.controller.set_plan(window.controller.plan.replace(compare=ModelSource.preset("Mistral-7B-v0.1")))
    wait_results(qtbot, tab)
    plan = window.controller.plan
    mistral = find_preset("Mistral-7B-v0.1").architecture()
    expected = run_estimate(estimate_request(plan, mistral, mode="inference")).memory
    assert tab.result.compare.memory.total_bytes == expected.total_bytes
    assert expected.context == 4096  # the plan's context (Mistral allows 32k)
    rows = {tab.compare.table.item(r, 0).text(): tab.compare.table.item(r, 2).text()
            for r in range(tab.compare.table.rowCount())}
    assert any(k.startswith("Memory: llama.cpp, q4_k_m, KV cache f16, 4,096 tokens") for k in rows)
    assert rows["  KV cache"] == "512.00 MiB"  # 32 layers × 4,096 × 2 × 8 heads × 128 × 2 bytes


def test_a_runtime_that_needs_a_gpu_explains_instead_of_failing(qtbot, window):  # noqa: F811
    tab = arch_tab(window)
    window.controller.set_plan(window.controller.plan.replace(
        runtime="vllm", weight_format="bf16", compare=ModelSource.preset("GPT-2")))
    wait_results(qtbot, tab)
    assert tab.result.compare.memory is None and "GPU" in tab.result.compare.memory_error
    assert tab.result.main.params.total == 8_030_261_248

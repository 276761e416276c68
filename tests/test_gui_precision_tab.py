"""The Precision tab: the bars are the engines' numbers, edits go to the plan, bad values stay at their field,
a drag computes once, a click picks a format, the error panel measures, training shows its breakdown."""
import pytest
from gui_fixtures import settings, wait_results, window  # noqa: F401 - fixtures

from llmplanner.core.estimate import run_estimate
from llmplanner.core.format_comparison import runtime_formats
from llmplanner.core.machine import CpuInfo, MachineInfo
from llmplanner.core.plan import GpuPick, HardwareChoice, estimate_request
from llmplanner.core.presets import find_preset

pytestmark = pytest.mark.gui

GiB = float(1 << 30)
LLAMA3 = find_preset("Llama-3-8B").architecture()
RTX_4090 = HardwareChoice("catalogue", (GpuPick("RTX 4090"),))


@pytest.fixture(autouse=True)
def this_machine(monkeypatch):
    """Detection answers with a fixed machine (no GPU, 32 GiB RAM), whatever runs the tests."""
    from llmplanner.gui import precision_tab

    fake = MachineInfo(gpus=(), ram_total_bytes=32 << 30, ram_available_bytes=30 << 30,
                       cpu=CpuInfo("test CPU", "x86_64", 8, 16), tier="cpu-only")
    monkeypatch.setattr(precision_tab, "_machine", fake)
    return fake


def open_tab(qtbot, window, **changes):  # noqa: F811
    tab = window.tab("precision")
    window.set_current_tab("precision")
    if changes:
        window.controller.set_plan(window.controller.plan.replace(**changes))
    qtbot.waitUntil(lambda: tab.state is not None and tab.state.plan == window.controller.plan)
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.plan == window.controller.plan)
    return tab


def shown(tab) -> dict[str, tuple[float, ...]]:
    """Format label → the widths of its four stacked bars (GiB), as the chart holds them."""
    widths = [list(bar.opts["width"]) for bar in tab.bars.bars]
    return {row.label: tuple(w[i] for w in widths) for i, row in enumerate(tab.bars.rows)}


def expected(plan, arch=LLAMA3) -> dict[str, tuple[float, ...]]:
    out = {}
    for f in runtime_formats(plan.runtime, arch):
        m = run_estimate(estimate_request(plan.replace(weight_format=f.id), arch)).memory
        out[f.label] = tuple(v / GiB for v in (m.weights_bytes, m.kv_cache_bytes, m.activations_bytes,
                                                m.overhead_bytes))
    return out


def same(a: dict, b: dict) -> bool:
    return list(a) == list(b) and all(x == pytest.approx(y, rel=1e-12) for k in a for x, y in zip(a[k], b[k]))


def choose(combo, data) -> None:
    """What a user's pick in a combo box does: the index changes, then ``activated`` fires."""
    i = combo.findData(data)
    assert i >= 0, data
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_the_bars_are_the_engines_numbers_for_every_format(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window, hardware=RTX_4090, context=8192)
    plan = window.controller.plan
    assert same(shown(tab), expected(plan))
    labels = [row.label for row in tab.bars.rows]
    assert labels[0] == "FP32" and len(labels) == 35  # every format llama.cpp loads, largest first
    current = labels.index("Q4_K_M")
    assert tab.bars.current == current
    assert tab.bars.limit.isVisible() and tab.bars.limit.value() == pytest.approx(24.0)
    q4 = tab.bars.label_text(current)
    assert q4 == "6.15 GiB  ·  fits  ·  ΔPPL +0.175 (Llama-3-8B)"
    assert "no quality data" in tab.bars.label_text(labels.index("TQ1_0"))
    assert "4.89 bits per weight" in tab.summary.text() and "fits with headroom" in tab.summary.text()
    assert "NVIDIA GeForce RTX 4090: 24.00 GiB" in tab.hardware.text()
    model = tab.table_model
    tab.pages.setCurrentIndex(1)  # the table catches up when it is shown
    assert model.rowCount() == 35
    row = [model.index(current, c).data() for c in range(model.columnCount())]
    assert row[:3] == ["Q4_K_M", "4.89", "4.58"] and row[7] == "fits"


def test_without_a_pick_the_detected_machine_is_the_limit(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window)
    assert "no GPU found" in tab.hardware.text() and "32.00 GiB" in tab.hardware.text()
    assert tab.bars.limit.value() == pytest.approx(32.0)
    assert "CPU only" in tab.bars.label_text(tab.bars.current)


def test_changing_the_runtime_adapts_the_format_and_updates_the_bars(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window, hardware=RTX_4090)
    choose(tab.controls.runtime, "transformers")
    qtbot.waitUntil(lambda: window.controller.plan.runtime == "transformers")
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: tab.result.plan == window.controller.plan)
    plan = window.controller.plan
    assert plan.weight_format == "bf16"  # transformers cannot load a GGUF Q4_K_M
    assert "switched to BF16" in tab.status.text() and tab.status.isVisible()
    assert same(shown(tab), expected(plan))
    assert len(tab.bars.rows) == 14 and tab.bars.rows[tab.bars.current].label == "BF16"


def test_changing_the_context_and_the_batch_grows_the_kv_cache(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window, hardware=RTX_4090, context=2048)
    before = shown(tab)["Q4_K_M"]
    tab.context.spin.setValue(8192)
    tab.controls.batch.setValue(2)
    qtbot.waitUntil(lambda: (window.controller.plan.context, window.controller.plan.batch) == (8192, 2))
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: tab.result.plan == window.controller.plan)
    after = shown(tab)["Q4_K_M"]
    assert after[1] == pytest.approx(8 * before[1])  # 4× the context for 2 sequences
    assert same(shown(tab), expected(window.controller.plan))


def test_a_quantised_kv_cache_on_transformers_is_refused_at_the_field(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window, runtime="transformers", weight_format="bf16", hardware=RTX_4090)
    plan, bars, done = window.controller.plan, shown(tab), tab.computations[0].completed
    choose(tab.controls.kv, "q8_0")
    message = tab.controls.messages["kv_format"]
    assert message.isVisible() and "transformers cannot keep a q8_0 cache" in message.text()
    wait_results(qtbot, tab)
    assert window.controller.plan == plan and shown(tab) == bars and tab.computations[0].completed == done
    choose(tab.controls.kv, "f32")
    qtbot.waitUntil(lambda: window.controller.plan.kv_format == "f32")
    assert not message.isVisible()


def test_an_objection_of_the_engines_shows_at_its_field_and_keeps_the_last_result(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window)
    bars = shown(tab)
    choose(tab.controls.runtime, "vllm")  # this machine has no GPU
    qtbot.waitUntil(lambda: tab.controls.messages["runtime"].isVisible())
    assert "vLLM needs a GPU" in tab.controls.messages["runtime"].text()
    assert shown(tab) == bars
    window.controller.set_plan(window.controller.plan.replace(hardware=HardwareChoice(
        "catalogue", (GpuPick("A100 80GB"),))))
    qtbot.waitUntil(lambda: not tab.controls.messages["runtime"].isVisible())
    assert tab.bars.rows[tab.bars.current].label == "BF16"


def test_an_unknown_lora_target_is_refused_at_the_field(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window, mode="lora", context=2048)
    plan = window.controller.plan
    tab.controls.lora_targets.setText("q_proj, qkv_projection")
    tab.controls.lora_targets.editingFinished.emit()
    message = tab.controls.messages["lora_targets"]
    assert message.isVisible() and "unknown LoRA target 'qkv_projection'" in message.text()
    assert window.controller.plan == plan


def test_a_context_drag_gives_one_estimate_for_the_final_value(qtbot, qapp, window):  # noqa: F811
    tab = open_tab(qtbot, window, context=1024)
    comp = tab.computations[0]
    done = comp.completed
    slider = tab.context.slider
    for position in range(slider.minimum(), slider.maximum() + 1):
        slider.setValue(position)
        qapp.processEvents()
    wait_results(qtbot, tab)
    assert comp.completed == done + 1
    assert tab.result.plan.context == 8192 == window.controller.plan.context
    assert same(shown(tab), expected(window.controller.plan))


def test_clicking_a_bar_makes_its_format_the_plans(qtbot, window):  # noqa: F811
    from llmplanner.gui.qt import QtCore

    tab = open_tab(qtbot, window, hardware=RTX_4090)
    labels = [row.label for row in tab.bars.rows]
    i = labels.index("Q6_K")
    point = tab.bars.mapFromScene(tab.bars.scene_pos_of_row(i))
    qtbot.mouseClick(tab.bars.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.controller.plan.weight_format == "q6_k")
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: tab.bars.current == i)
    assert "Q6_K" in tab.summary.text()


def test_the_quantisation_error_panel_measures_every_format(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window)
    progress = []
    tab._errors.progress_changed.connect(lambda done, total: progress.append((done, total)))
    tab.pages.setCurrentIndex(3)  # opening the page measures
    qtbot.waitUntil(lambda: tab.errors.table_data is not None, timeout=30000)
    q4_0, q2_k = tab.errors.rmse("q4_0"), tab.errors.rmse("q2_k")
    assert q4_0 is not None and q2_k is not None and q4_0 < q2_k
    assert tab.errors.rmse("q8_0") < q4_0
    assert progress and progress[-1] == (35, 35)
    assert tab.errors.table.rowCount() == 35
    rows = {tab.errors.table.item(r, 0).text(): r for r in range(tab.errors.table.rowCount())}
    assert tab.errors.table.item(rows["Q4_0"], 1).text() == f"{q4_0:.3e}"
    assert tab.errors.histogram.series[0].isVisible()  # the plan's Q4_K_M
    assert "Student-t" in tab.errors.description.text()


def test_a_measurement_can_be_cancelled(qtbot, window):  # noqa: F811
    from llmplanner.core.format_errors import SampleSpec

    tab = open_tab(qtbot, window)
    tab.errors.measure_requested.emit(SampleSpec("gaussian"))
    assert tab.errors.cancel.isEnabled()
    tab.errors.cancel.click()
    qtbot.waitUntil(lambda: not tab._errors.is_busy, timeout=30000)
    assert tab.errors.table_data is None and "Cancelled" in tab.errors.description.text()
    assert tab.errors.measure.isEnabled() and not tab.errors.cancel.isEnabled()


def tiny_llama_folder(folder):
    """A Llama checkpoint of random float32 weights (hidden 64, FFN 96, 2 layers) with its config.json."""
    import json

    import numpy as np
    from safetensors.numpy import save_file

    cfg = dict(model_type="llama", vocab_size=300, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
               num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128, tie_word_embeddings=False)
    rng = np.random.default_rng(0)
    shapes = {"model.embed_tokens.weight": (300, 64), "model.norm.weight": (64,), "lm_head.weight": (300, 64)}
    for i in range(2):
        p = f"model.layers.{i}."
        shapes.update({p + "self_attn.q_proj.weight": (64, 64), p + "self_attn.k_proj.weight": (32, 64),
                       p + "self_attn.v_proj.weight": (32, 64), p + "self_attn.o_proj.weight": (64, 64),
                       p + "mlp.gate_proj.weight": (96, 64), p + "mlp.up_proj.weight": (96, 64),
                       p + "mlp.down_proj.weight": (64, 96), p + "input_layernorm.weight": (64,),
                       p + "post_attention_layernorm.weight": (64,)})
    folder.mkdir()
    save_file({k: (0.02 * rng.standard_normal(v)).astype(np.float32) for k, v in shapes.items()},
              str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps(cfg))
    return folder


def test_a_tensor_of_the_plans_safetensors_model_can_be_measured(qtbot, window, tmp_path):  # noqa: F811
    from llmplanner.core.plan import ModelSource

    folder = tiny_llama_folder(tmp_path / "tiny")
    tab = open_tab(qtbot, window, model=ModelSource("safetensors", str(folder)))
    assert tab.errors.sample.model().item(2).isEnabled()
    tab.pages.setCurrentIndex(3)
    choose(tab.errors.sample, "tensor")
    qtbot.waitUntil(lambda: tab.errors.table_data is not None and tab.errors.table_data.sample.tensor is not None,
                    timeout=30000)
    assert tab.errors.table_data.sample.tensor == "model.layers.0.mlp.down_proj.weight"
    assert tab.errors.tensor.currentData() == "model.layers.0.mlp.down_proj.weight"
    assert tab.errors.rmse("q4_0") is not None  # rows of 96 hold blocks of 32
    assert "not a multiple of 256" in tab.errors.table_data.row("q4_k_m").error


def test_training_shows_gradients_optimizer_states_and_the_rule_of_thumb(qtbot, window):  # noqa: F811
    tab = open_tab(qtbot, window, hardware=RTX_4090, context=2048)
    choose(tab.controls.mode, "lora")
    qtbot.waitUntil(lambda: window.controller.plan.mode == "lora")
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: tab.result.plan == window.controller.plan)
    assert tab.pages.currentIndex() == 4 and not tab.pages.isTabEnabled(0)
    assert tab.controls.training_box.isVisibleTo(tab) and tab.controls.lora_rank.isEnabled()
    m = run_estimate(estimate_request(window.controller.plan, LLAMA3)).training
    assert tab.training.memory == m and m.gradients_bytes > 0 and m.optimizer_bytes > 0
    cells = {tab.training.table.item(r, 0).text(): tab.training.table.item(r, 1).text()
             for r in range(tab.training.table.rowCount())}
    assert cells["Gradients"] == f"{m.gradients_bytes / GiB:,.2f} GiB"
    assert cells["Optimizer states"] == f"{m.optimizer_bytes / GiB:,.2f} GiB"
    widths = [bar.opts["width"][0] for bar in tab.training.chart.bars]
    assert widths == pytest.approx([m.weights_bytes / GiB, m.gradients_bytes / GiB, m.optimizer_bytes / GiB,
                                    m.activations_bytes / GiB, m.overhead_bytes / GiB])
    assert "Rule of thumb" in tab.training.rule.text() and "overstates" in tab.training.rule.text()
    choose(tab.controls.optimizer, "sgd")
    qtbot.waitUntil(lambda: window.controller.plan.training.optimizer == "sgd")
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: tab.result.plan == window.controller.plan)
    assert tab.training.memory.optimizer_bytes == 0  # plain SGD keeps no state


def test_export_has_the_precision_section_and_charts(qtbot, window, tmp_path):  # noqa: F811
    from llmplanner.gui.export import export_charts, export_csv, export_markdown

    open_tab(qtbot, window, hardware=RTX_4090, context=8192)
    md = export_markdown(str(tmp_path / "r.md"), window.controller.plan, window.tabs).read_text(encoding="utf-8")
    assert "## Precision" in md and "| Q4_K_M | 4.89 | 4.58 |" in md and "All memory in GiB" in md
    csv_text = export_csv(str(tmp_path / "r.csv"), window.tabs).read_text(encoding="utf-8")
    assert "Precision,Memory by format,Q4_K_M,Total (GiB),6.15" in csv_text
    names = {p.name for p in export_charts(str(tmp_path / "charts"), window.tabs)}
    assert {"precision-formats.png", "precision-memory-vs-context.png"} <= names
    assert any("Quality cost" in s for s in window.tab("precision").sources())


def test_memory_against_context_draws_the_plans_format_and_the_ticked_ones(qtbot, window):  # noqa: F811
    from llmplanner.core.format_comparison import compare_formats, plan_hardware
    from llmplanner.gui.qt import QtCore

    tab = open_tab(qtbot, window, hardware=RTX_4090, context=8192)
    tab.pages.setCurrentIndex(2)
    plan = window.controller.plan
    c = compare_formats(plan, LLAMA3, plan_hardware(plan, LLAMA3))
    assert [fc.format.id for fc in c.curves] == ["q4_1", "q4_k_m", "iq4_nl", "q4_k_s"]  # the plan's and neighbours
    for k, fc in enumerate(c.curves):
        xs, ys = tab.curves.curves[k].getData()
        assert list(ys) == pytest.approx(list(fc.curve.total / GiB))
        assert 10 ** xs[-1] == pytest.approx(8192)
    assert tab.curves.limit.value() == pytest.approx(24.0)
    f16 = next(tab.curve_list.item(i) for i in range(tab.curve_list.count()) if tab.curve_list.item(i).text() == "FP16")
    f16.setCheckState(QtCore.Qt.CheckState.Checked)
    wait_results(qtbot, tab)
    qtbot.waitUntil(lambda: "FP16" in [fc.format.label for fc in tab.result.comparison.curves])
    assert window.controller.plan == plan  # drawing a curve is not an edit of the plan
    assert tab.curves.curves[4].isVisible()

"""The Hardware tab with detection replaced by fake machines: tier and table, overrides, filters, commands, the
measured check (a tiny model) and its cancellation, and a GUI thread that detection never blocks."""
import threading

import pytest

from conftest import DATA
from fake_machines import GIB, RTX_4090, UNKNOWN, machine
from llmplanner.core.plan import GpuPick, ModelSource, Plan

pytestmark = pytest.mark.gui

TINY = str(DATA / "tiny_llama" / "config.json")


@pytest.fixture
def fake_machine(monkeypatch):
    """Detection answers with the machine the test puts in ``box['info']`` (an RTX 4090 box by default)."""
    from llmplanner.core import detect
    from llmplanner.gui import hardware_jobs
    from llmplanner.gui.hardware_tab import detection_pool

    detection_pool().waitForDone(120_000)  # a real detection started by another test must not land in ours
    kept = hardware_jobs.known_machine()
    hardware_jobs.forget_machine()
    box = {"info": machine([RTX_4090]), "threads": []}

    def fake_detect(**_kw):
        box["threads"].append(threading.current_thread().name)
        gate = box.get("gate")
        if gate is not None:
            assert gate.wait(10), "the GUI thread never released detection"
        return box["info"]

    monkeypatch.setattr(detect, "detect", fake_detect)
    yield box
    detection_pool().waitForDone(10_000)
    hardware_jobs.forget_machine()
    if kept is not None:
        hardware_jobs._machine = kept


def make_window(qtbot, tmp_path, plan=None):
    from llmplanner.gui.architecture_tab import ArchitectureTab
    from llmplanner.gui.controller import PlanController
    from llmplanner.gui.hardware_tab import HardwareTab
    from llmplanner.gui.main_window import MainWindow
    from llmplanner.gui.settings import Settings

    controller = PlanController()
    if plan is not None:
        controller.set_plan(plan, modified=False)
    settings = Settings(tmp_path / "s.ini")
    settings.confirm_unsaved_close = False
    window = MainWindow(controller, settings, tab_classes=[ArchitectureTab, HardwareTab])
    qtbot.addWidget(window)
    window.show()
    tab = window.tab("hardware")
    window.set_current_tab("hardware")
    return window, tab


def wait_all(qtbot, tab, timeout=30000):
    qtbot.waitUntil(lambda: tab.machine is not None, timeout=timeout)
    qtbot.waitUntil(lambda: not any(c.is_busy for c in tab.computations) and tab.result is not None,
                    timeout=timeout)


def show_page(qtbot, tab, widget, attr, timeout=30000):
    """Switch to a page whose figures are computed when it is shown, and wait for them."""
    tab.pages.setCurrentWidget(widget)
    qtbot.waitUntil(lambda: getattr(tab, attr) is not None and not any(c.is_busy for c in tab.computations),
                    timeout=timeout)


def test_the_tab_shows_the_tier_with_its_figure_and_every_formats_verdict(qtbot, tmp_path, fake_machine):
    window, tab = make_window(qtbot, tmp_path, Plan(context=8192))
    wait_all(qtbot, tab)
    panel = tab.machine_panel
    assert panel.tier_label.text() == "Tier: 16-24GB"
    assert "25.76 GB" in panel.tier_figure.text() and "Rule:" in panel.rule_label.text()
    assert "NVIDIA GeForce RTX 4090" in panel.gpus_label.text() and "1,008 GB/s" in panel.gpus_label.text()
    rec = tab.result.recommendation
    assert rec.target.source == "detected" and rec.target.gpu_memory_bytes == RTX_4090[1]
    model = tab.formats_table.rows_model
    assert model.rowCount() == len(rec.options)
    best_row = tab.formats_table.row_of(rec.best.option.format)
    assert model.rows[best_row].emphasis == "best" and model.text(best_row, 0).startswith("★ ")
    assert tab.best_label.text() == f"Best: {rec.best.reason}"
    q8 = tab.formats_table.row_of("q8_0")
    assert model.text(q8, 1) == "fits on the GPU with headroom" and model.text(q8, 4).endswith("tokens/s")
    assert model.text(q8, 2).endswith("GiB") and model.text(q8, 3) == "8,192 tokens"


def test_detection_runs_off_the_gui_thread_and_never_blocks_it(qtbot, tmp_path, fake_machine):
    """Detection waits for a timer that only a free GUI thread can fire: if detection blocked the GUI thread,
    it would never finish."""
    from llmplanner.gui.qt import QtCore

    gate = threading.Event()
    fake_machine["gate"] = gate
    window, tab = make_window(qtbot, tmp_path)
    assert tab.machine is None and tab.machine_panel.progress.isVisibleTo(window)
    QtCore.QTimer.singleShot(50, gate.set)
    qtbot.waitUntil(lambda: tab.machine is not None, timeout=10000)
    assert fake_machine["threads"] and threading.main_thread().name not in fake_machine["threads"]
    assert not tab.machine_panel.progress.isVisibleTo(window)


def test_a_what_if_machine_recomputes_for_the_gpu_chosen(qtbot, tmp_path, fake_machine):
    window, tab = make_window(qtbot, tmp_path, Plan(context=8192))
    wait_all(qtbot, tab)
    panel = tab.machine_panel
    panel.gpu_combo.setCurrentIndex(panel.gpu_combo.findData("NVIDIA GeForce RTX 3060 12GB"))
    panel.count_spin.setValue(2)
    panel.plan_what_if.click()
    controller = window.controller
    qtbot.waitUntil(lambda: controller.plan.hardware.source == "catalogue")
    assert controller.plan.hardware.gpus == (GpuPick("NVIDIA GeForce RTX 3060 12GB", 2),)
    qtbot.waitUntil(lambda: tab.result is not None and "RTX 3060" in tab.result.recommendation.target.label,
                    timeout=20000)
    rec = tab.result.recommendation
    assert rec.target.gpu_count == 2 and rec.target.tier.tier == "16-24GB"  # 2 × 12 GiB add up
    assert tab.result.other.target.source == "detected"  # the comparison keeps this machine
    compare = tab.compare_table.rows_model
    assert "RTX 4090" in compare.text(0, 1) and "2 × NVIDIA GeForce RTX 3060" in compare.text(0, 2)


def test_a_cpu_only_what_if_and_a_gpu_outside_the_catalogue(qtbot, tmp_path, fake_machine):
    fake_machine["info"] = machine([UNKNOWN])
    window, tab = make_window(qtbot, tmp_path)
    wait_all(qtbot, tab)
    assert "not in the catalogue" in tab.machine_panel.gpus_label.text()
    q4 = tab.formats_table.row_of("q4_k_m")
    assert tab.formats_table.rows_model.text(q4, 4) == "–"  # no bandwidth, no speed
    panel = tab.machine_panel
    panel.gpu_combo.setCurrentIndex(0)  # None (CPU only)
    panel.ram_spin.setValue(32)
    panel.plan_what_if.click()
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.recommendation.target.source == "catalogue"
                    and not tab.result.recommendation.target.has_gpu, timeout=20000)
    assert window.controller.plan.hardware.ram_bytes == 32 * GIB
    assert all(o.verdict in ("cpu", "no") for o in tab.result.recommendation.options)


def test_what_fits_filters_by_use(qtbot, tmp_path, fake_machine):
    window, tab = make_window(qtbot, tmp_path)
    wait_all(qtbot, tab)
    assert tab.fits is None  # computed when its page is shown
    show_page(qtbot, tab, tab.fits_table.parentWidget(), "fits")
    assert len(tab.fits.entries) > 10
    tab.use_boxes["code"].setChecked(True)
    qtbot.waitUntil(lambda: tab.fits is not None and tab.fits.tags == ("code",), timeout=20000)
    names = [r.key for r in tab.fits_table.rows_model.rows]
    assert names == ["StarCoder2-7B"]


def test_commands_follow_the_selected_format_and_copy(qtbot, tmp_path, fake_machine):
    from llmplanner.gui.qt import QtWidgets

    window, tab = make_window(qtbot, tmp_path, Plan(context=8192))
    wait_all(qtbot, tab)
    tab.formats_table.select_key("q4_k_m")
    text = tab.commands.command_for("llama.cpp").text
    assert "llama-server -m Llama-3-8B-Q4_K_M.gguf -ngl 33 -c 8192 -fa off" in text
    assert "PARAMETER num_gpu 33" in tab.commands.command_for("ollama").text
    tab.pages.setCurrentWidget(tab.commands)
    tab.commands.copy_button.click()
    assert QtWidgets.QApplication.clipboard().text() == text
    tab.use_button.click()
    qtbot.waitUntil(lambda: window.controller.plan.weight_format == "q4_k_m")


def test_runtime_and_context_edits_go_to_the_plan(qtbot, tmp_path, fake_machine):
    window, tab = make_window(qtbot, tmp_path)
    wait_all(qtbot, tab)
    tab.runtime_combo.setCurrentIndex(tab.runtime_combo.findData("vllm"))
    qtbot.waitUntil(lambda: window.controller.plan.runtime == "vllm")
    assert window.controller.plan.weight_format == "bf16"
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.recommendation.runtime == "vllm", timeout=20000)
    assert [c.tool for c in tab.commands.commands][:1] == ["vllm"]
    tab.context.spin.setValue(2048)
    qtbot.waitUntil(lambda: window.controller.plan.context == 2048)


def test_tiers_and_scale_out_pages_fill(qtbot, tmp_path, fake_machine):
    window, tab = make_window(qtbot, tmp_path)
    wait_all(qtbot, tab)
    show_page(qtbot, tab, tab.tiers_table.parentWidget(), "tiers")
    assert [r.key for r in tab.tiers_table.rows_model.rows] == ["cpu-only", "8-12GB", "16-24GB", "40GB+"]
    show_page(qtbot, tab, tab.speed_table.parentWidget().parentWidget(), "scale")
    assert "One NVIDIA GeForce RTX 4090 holds" in tab.layout_label.text()
    assert tab.speed_table.rows_model.rowCount() > 0
    sections = tab.report_sections()
    assert sections and sections[0].tables[0].rows


def test_the_check_runs_on_a_tiny_model_and_fills_measured_beside_estimated(qtbot, tmp_path, fake_machine,
                                                                           monkeypatch):
    from llmplanner.gui.qt import QtWidgets

    fake_machine["info"] = machine([], ram=16 * GIB)
    plan = Plan(model=ModelSource("config", TINY), context=512)
    window, tab = make_window(qtbot, tmp_path, plan)
    wait_all(qtbot, tab)
    check = tab.check
    check.device_combo.setCurrentIndex(check.device_combo.findData("cpu"))
    check.prompt_spin.setValue(32)
    check.gen_spin.setValue(4)
    with qtbot.waitSignal(check.check_done, timeout=120000) as blocker:
        check.run_button.click()
        assert check.cancel_button.isEnabled() and not check.run_button.isEnabled()
    outcome = blocker.args[0]
    assert outcome.result.layers_built == 2 and outcome.result.device == "cpu"
    rows = check.result_table.rows_model
    assert rows.rowCount() == 5 and rows.text(0, 1).endswith("iB") and rows.text(0, 3).endswith("%")
    assert rows.text(4, 2).endswith("tokens/s")  # the speed engine's estimate beside the measurement
    assert check.progress.value() == 100
    assert check.calibration_table.rows_model.rowCount() == 1 and check.reset_button.isEnabled()
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: QtWidgets.QMessageBox.StandardButton.Yes)
    check.reset_button.click()
    assert check.calibration_table.rows_model.rowCount() == 0


def test_the_check_can_be_cancelled(qtbot, tmp_path, fake_machine):
    fake_machine["info"] = machine([], ram=16 * GIB)
    window, tab = make_window(qtbot, tmp_path, Plan(model=ModelSource("config", TINY), context=512))
    wait_all(qtbot, tab)
    check = tab.check
    with qtbot.waitSignal(check.check_stopped, timeout=120000) as blocker:
        check.start()
        check.cancel()
    assert blocker.args == [""] and "Cancelled" in check.status.text()
    assert check.run_button.isEnabled() and check.outcome is None
    assert check.calibration_table.rows_model.rowCount() == 0

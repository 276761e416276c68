"""The Sampling tab: the bars are the engine's result, the strip is the engine's chain, a stage can be looked at
alone, four engines side by side, refusals at the field, real distributions fetched from a server on
127.0.0.1, and the settings kept in the plan."""
import json
import math

import numpy as np
import pytest
from fake_engines import FakeEngine
from gui_fixtures import settings, window  # noqa: F401 - fixtures

from llmplanner.core.sampling import Distribution, SamplerSettings, get_engine, run_chain
from llmplanner.core.sampling.view import bars_view

pytestmark = pytest.mark.gui


def sampling_tab(qtbot, window):  # noqa: F811
    tab = window.tab("sampling")
    window.set_current_tab("sampling")
    qtbot.waitUntil(lambda: tab.result is not None, timeout=15000)
    return tab


def expected(tab, settings=None, engine=None):
    """What the engine's chain gives for what the tab's controls hold."""
    return run_chain(tab.dist, settings or tab.controls.settings(tab.dist), engine or tab.engine, use_defaults=True,
                     strict=False)


def bar_heights(chart):
    """(ids shown, before heights, after heights) as the chart's bar items hold them."""
    n = chart.view.ids.size
    kept = np.asarray(chart.before_kept.opts["height"], dtype=float)[:n]
    removed = np.asarray(chart.before_removed.opts["height"], dtype=float)
    after = np.asarray(chart.after.opts["height"], dtype=float)[:n]
    return chart.view.ids, kept + removed, after


@pytest.fixture
def tied(qtbot, window):  # noqa: F811
    """The tab on a typed list whose 2nd to 4th tokens tie."""
    tab = sampling_tab(qtbot, window)
    tab.list_editor.paste_text('"a": 3\n"b": 2\n"c": 2\n"d": 2\n"e": 1\n')
    qtbot.waitUntil(lambda: tab.dist is not None and tab.dist.size == 5)
    tab.update_now()
    return tab


def test_the_bars_are_llama_cpps_default_chain_on_a_zipf_distribution(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    assert tab.engine == "llama.cpp" and tab.dist.size == 128_256  # Llama-3-8B's vocabulary
    r = expected(tab, SamplerSettings())
    ids, before, after = bar_heights(tab.chart)
    assert np.allclose(before, r.stages[0].probs[ids], rtol=1e-12, atol=0)
    assert np.allclose(after, r.probs[ids], rtol=1e-12, atol=0)
    assert r.final.kept_count == 6
    assert tab.token_table.item(0, 2).text() == f"{100 * r.probs[ids[0]]:.1f}%"
    assert tab.token_table.item(7, 3).text() == "min-p"


@pytest.mark.parametrize("name, value", [("temperature", 1.4), ("top_k", 12), ("top_p", 0.5)])
def test_moving_a_control_redraws_the_engines_result(qtbot, window, name, value):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    before = tab.updates
    tab.controls.set_value(name, value)
    qtbot.waitUntil(lambda: tab.updates > before)
    r = expected(tab)
    assert r.settings[name] == value
    ids, _, after = bar_heights(tab.chart)
    assert np.allclose(after, r.probs[ids], rtol=1e-12, atol=0)
    assert tab.result.final.kept_count == r.final.kept_count


def test_dragging_the_temperature_slider_follows_the_slider(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    slider = tab.controls.rows["temperature"].slider
    slider.setValue(slider.maximum())  # the slider spans 0 to 2
    qtbot.waitUntil(lambda: tab.result.settings["temperature"] == 2.0)
    assert tab.controls.rows["temperature"].editor.value() == 2.0
    ids, _, after = bar_heights(tab.chart)
    assert np.allclose(after, expected(tab).probs[ids], rtol=1e-12, atol=0)


@pytest.mark.parametrize("engine", ["llama.cpp", "hf", "vllm", "ollama", "ollama-go"])
def test_the_stage_strip_follows_the_engines_order(qtbot, window, engine):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.engine_box.setCurrentIndex(tab.engine_box.findData(engine))
    tab.update_now()
    r = expected(tab, engine=engine)
    assert [s.key for s in tab.strip.summaries] == [s.key for s in r.stages]
    for button, stage in zip(tab.strip.buttons[1:], r.stages[1:]):
        assert ("off" in button.text()) == (not stage.active)
        if stage.active:
            assert f"{stage.kept_count:,} tokens" in button.text()
        else:
            assert stage.note.replace("<", "&lt;").replace(">", "&gt;") in button.toolTip()


def test_llama_cpps_sampler_order_reorders_the_strip(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.controls.set_value("samplers", "temperature;top_p;top_k")
    tab.update_now()
    assert [s.key for s in tab.strip.summaries] == ["input", "logit_bias", "temperature", "top_p", "top_k"]


def test_clicking_a_stage_shows_what_it_alone_did(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    r = tab.result
    i = [s.key for s in r.stages].index("top_p")
    from llmplanner.gui.qt import Qt

    qtbot.mouseClick(tab.strip.buttons[i], Qt.MouseButton.LeftButton)
    assert tab.selected_key == "top_p" and not tab.chart.view.whole_chain
    ids, before, after = bar_heights(tab.chart)
    assert np.allclose(before, r.stages[i - 1].probs[ids], rtol=1e-12, atol=0)
    assert np.allclose(after, r.stages[i].probs[ids], rtol=1e-12, atol=0)
    line = tab.chart.lines["top_p"]
    assert line.isVisible() and line.value() == pytest.approx(0.95)
    assert "top-p 0.95" in tab.caption.text()
    tab.controls.set_value("top_p", 0.6)  # the selection survives a new result
    tab.update_now()
    assert tab.selected_key == "top_p" and tab.chart.lines["top_p"].value() == pytest.approx(0.6)
    tab.select_stage(0)
    assert tab.chart.view.whole_chain


def test_four_engines_side_by_side_show_how_they_cut_a_tie(qtbot, tied):
    tab = tied
    tab.controls.set_value("top_k", 2)
    tab.controls.set_value("top_p", 1.0)
    tab.controls.set_value("min_p", 0.0)
    tab.controls.set_value("temperature", 1.0)
    tab.update_now()
    tab.pages.setCurrentWidget(tab.compare_page)
    qtbot.waitUntil(lambda: tab.compare_page.view is not None and
                    {c.engine: c.kept for c in tab.compare_page.view.columns}.get("hf") == 4, timeout=5000)
    view = tab.compare_page.view
    assert view.groups == ((("hf", "vllm"), 4), (("llama.cpp", "ollama"), 2))
    bars = tab.compare_page.chart.bars
    assert np.asarray(bars["hf"].opts["height"])[2] > 0 and np.asarray(bars["llama.cpp"].opts["height"])[2] == 0
    assert "kept sets differ" in tab.compare_page.summary.text()
    assert tab.compare_page.table.item(1, 0).text() == "2" and tab.compare_page.table.item(0, 0).text() == "4"


def test_a_refused_value_shows_the_engines_message_and_keeps_the_last_result(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.engine_box.setCurrentIndex(tab.engine_box.findData("hf"))
    tab.update_now()
    tab.propose_now()
    qtbot.waitUntil(lambda: window.controller.plan.sampling.engine == "hf")
    last, plan = tab.result, window.controller.plan
    heights = np.array(tab.chart.after.opts["height"], dtype=float)
    tab.controls.set_value("temperature", -0.5)
    tab.update_now()
    message = tab.controls.error_text("temperature")
    assert "requires a strictly positive temperature, got -0.5" in message
    assert tab.result is last and np.array_equal(heights, np.array(tab.chart.after.opts["height"], dtype=float))
    assert "refuses" in tab.status.text()
    tab.propose_now()
    assert window.controller.plan == plan
    tab.engine_box.setCurrentIndex(tab.engine_box.findData("llama.cpp"))  # llama.cpp: <= 0 is greedy
    tab.update_now()
    assert tab.controls.error_text("temperature") == "" and tab.result.final.kept_count == 1


def test_a_token_list_with_an_error_says_which_row(qtbot, tied):
    tab = tied
    tab.list_editor.paste_text('"x": 0.5\n"y": 0.3\n"z": lots\n')
    assert "Row 3" in tab.list_editor.message.text() and "'lots' is not a number" in tab.list_editor.message.text()
    assert tab.dist.size == 5  # the last good list stays
    tab.list_editor.paste_text('"x": 0.5\n"y": 0.3\n')
    qtbot.waitUntil(lambda: tab.dist.size == 2)
    tab.update_now()
    assert tab.chart.view.unlisted == pytest.approx(0.2)
    assert tab.chart.labels[-1] == "unlisted"


def test_history_and_bias_by_token_text(qtbot, tied):
    tab = tied
    tab.controls.set_value("history", '"b", "b", c')
    tab.controls.set_value("repetition_penalty", 1.5)
    tab.update_now()
    assert tab.result.stage("penalties").active
    r = expected(tab, SamplerSettings(history=(1, 1, 2), repetition_penalty=1.5))
    assert np.array_equal(tab.result.probs, r.probs)
    tab.controls.set_value("logit_bias", "zz: 1")
    tab.update_now()
    assert "neither a token id nor a token" in tab.controls.error_text("logit_bias")


def test_a_distribution_fetched_from_a_llama_server(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    server = FakeEngine()
    try:
        lp = {" Paris": math.log(0.6), " Lyon": math.log(0.2), " the": math.log(0.1)}
        server.routes["/completion"] = (200, {"content": " Paris", "completion_probabilities": [
            {"id": 9, "token": " Paris", "logprob": lp[" Paris"],
             "top_logprobs": [{"token": t, "logprob": v} for t, v in lp.items()]}]})
        panel = tab.distribution_panel
        panel.set_source("engine")
        panel.url.setText(server.url)
        panel.prompt.setPlainText("The capital of France is")
        panel.top_n.setValue(3)
        panel.fetch_button.click()
        qtbot.waitUntil(lambda: tab.dist is not None and tab.dist.tokens == (" Paris", " Lyon", " the"), timeout=10000)
        tab.update_now()
        sent = server.requests[-1][2]
        assert sent["prompt"] == "The capital of France is" and sent["n_probs"] == 3
        view = tab.chart.view
        assert view.unlisted == pytest.approx(0.1, abs=1e-6) and view.before[0] == pytest.approx(0.6, abs=1e-6)
        assert "unlisted" in tab.distribution_label.text() and "␣Paris" in tab.distribution_label.text()
        assert "␣Paris" in tab.draw_page.chosen.text() and not tab.draw_page.chosen.isHidden()
        server.routes["/completion"] = (400, {"error": {"message": "the model is not loaded"}})
        panel.fetch_button.click()
        qtbot.waitUntil(lambda: not panel.fetch_error.isHidden(), timeout=10000)
        assert "the model is not loaded" in panel.fetch_error.text()
        assert tab.dist.tokens == (" Paris", " Lyon", " the")  # the last distribution stays
    finally:
        server.close()


def test_a_fetch_that_times_out_says_so(qtbot, window, monkeypatch):  # noqa: F811
    from llmplanner.gui import distribution_panel

    monkeypatch.setattr(distribution_panel, "FETCH_TIMEOUT_S", 0.3)
    tab = sampling_tab(qtbot, window)
    server = FakeEngine()
    try:
        server.routes["/completion"] = (200, "hang")
        panel = tab.distribution_panel
        panel.set_source("engine")
        panel.url.setText(server.url)
        panel.fetch_button.click()
        qtbot.waitUntil(lambda: not panel.fetch_error.isHidden(), timeout=10000)
        assert "did not answer within 0.3 s" in panel.fetch_error.text()
    finally:
        server.close()


def test_settings_are_kept_in_the_plan_and_restored(qtbot, window, tmp_path, settings):  # noqa: F811
    from llmplanner.gui.controller import PlanController
    from llmplanner.gui.main_window import MainWindow

    tab = sampling_tab(qtbot, window)
    tab.engine_box.setCurrentIndex(tab.engine_box.findData("vllm"))
    tab.controls.set_value("top_p", 0.9)
    tab.controls.set_value("temperature", 0.7)
    tab.controls.set_value("history", "0, 1, 1")
    tab.controls.set_value("presence_penalty", 0.5)
    qtbot.waitUntil(lambda: window.controller.plan.sampling.engine == "vllm", timeout=5000)
    saved = dict(window.controller.plan.sampling.settings)
    assert saved == {"temperature": 0.7, "top_p": 0.9, "presence_penalty": 0.5, "history": [0, 1, 1]}
    path = window.controller.save_plan(str(tmp_path / "p.llmplan"))
    assert json.loads(open(path).read())["sampling"]["settings"]["top_p"] == 0.9

    other = MainWindow(PlanController(), settings)
    qtbot.addWidget(other)
    other.controller.open_plan(path)
    other.show()
    other.set_current_tab("sampling")  # the tab builds its distribution when it is first shown
    again = other.tab("sampling")
    qtbot.waitUntil(lambda: again.result is not None and again.result.engine == "vllm", timeout=15000)
    assert again.engine_box.currentData() == "vllm"
    assert again.controls.displayed("top_p") == 0.9 and again.controls.displayed("history") == "0, 1, 1"
    assert again.controls.rows["top_p"].label.font().bold()
    assert not again.controls.rows["min_p"].label.font().bold()  # not set: vLLM's default
    assert again.result.settings["presence_penalty"] == 0.5
    for c in again.computations:
        c.cancel()


def test_presets_set_values_or_switch_to_an_engines_defaults(qtbot, window):  # noqa: F811
    from llmplanner.core.sampling import find_preset

    tab = sampling_tab(qtbot, window)
    tab.apply_preset(find_preset("balanced"))
    tab.update_now()
    assert tab.controls.explicit == {"temperature": 0.7, "top_p": 0.8, "top_k": 20, "min_p": 0.0}
    assert tab.result.settings["top_k"] == 20
    tab.apply_preset(find_preset("vLLM defaults"))
    tab.update_now()
    assert tab.engine == "vllm" and tab.controls.explicit == {}
    tips = [tab.preset_box.itemData(i, 3) for i in range(1, tab.preset_box.count())]  # ToolTipRole
    assert any("Qwen3" in t and "not a setting measured" in t for t in tips)
    assert any("common/common.h" in t for t in tips)


def test_unsupported_settings_are_disabled_with_the_engines_reason(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.engine_box.setCurrentIndex(tab.engine_box.findData("vllm"))
    row = tab.controls.rows["typical_p"]
    assert not row.field.isEnabled()
    assert get_engine("vllm").missing_reason("typical_p") in row.editor.toolTip()
    assert tab.controls.rows["top_p"].field.isEnabled()


def test_draws_are_shown_against_the_final_distribution(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.pages.setCurrentWidget(tab.draw_page)
    tab.draw_page.count.setValue(500)
    tab.draw_page.button.click()
    qtbot.waitUntil(lambda: tab.draw_page.view is not None, timeout=5000)
    view = tab.draw_page.view
    assert view.total == 500 and view.observed.sum() == pytest.approx(1.0)
    assert np.allclose(view.expected, tab.result.probs[view.ids])
    assert "Drew 500 tokens with seed 1" in tab.draw_page.summary.text()


def test_the_synthetic_head_sets_the_top_token(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.distribution_panel.vocab.setValue(1000)
    tab.distribution_panel.head.setValue(55.0)
    qtbot.waitUntil(lambda: tab.dist.size == 1000 and abs(float(tab.dist.probs[0]) - 0.55) < 1e-6, timeout=10000)
    tab.update_now()
    assert bars_view(tab.result).before[0] == pytest.approx(0.55, rel=1e-6)


def test_the_report_lists_the_chain(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    [section] = tab.report_sections()
    stages, tokens = section.tables
    assert [row[0] for row in stages.rows] == [s.label for s in tab.result.stages]
    assert tokens.rows[0][2] == f"{tab.result.probs[0]:.6g}"


def test_mirostat_replaces_llama_cpps_chain_and_draws_with_a_moving_threshold(qtbot, window):  # noqa: F811
    tab = sampling_tab(qtbot, window)
    tab.controls.set_value("mirostat", 2)
    tab.update_now()
    summaries = {s.key: s for s in tab.strip.summaries}
    assert summaries["mirostat"].active and not summaries["top_k"].active
    assert "Mirostat replaces the sampler chain" in summaries["top_k"].note
    tab.pages.setCurrentWidget(tab.draw_page)
    tab.draw_page.count.setValue(200)
    tab.draw_page.button.click()
    qtbot.waitUntil(lambda: tab.draw_page.view is not None and tab.draw_page.view.total == 200, timeout=10000)

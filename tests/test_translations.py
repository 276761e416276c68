"""Every user-visible string is in the Simplified Chinese catalogue, translated, and compiled."""
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import update_translations as ut  # noqa: E402

TS = ROOT / "resources" / "i18n" / "llmplanner_zh_CN.ts"


def _messages(ts: Path):
    root = ET.parse(ts).getroot()
    for ctx in root.iter("context"):
        for m in ctx.iter("message"):
            yield ctx.find("name").text, m.find("source").text, m.find("translation")


def test_the_catalogue_has_every_string_of_the_source_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    ut.lupdate(fresh, ("-no-obsolete", "-locations", "none", "-target-language", "zh_CN"))
    untranslated = [(c, s) for c, s, t in _messages(fresh) if t.get("type") == "unfinished" or not (t.text or "")]
    assert untranslated == [], "run packaging/update_translations.py and translate these"
    shipped = {(c, s) for c, s, _ in _messages(TS)}
    assert {(c, s) for c, s, _ in _messages(fresh)} == shipped


def test_placeholders_survive_translation():
    import re

    for context, source, translation in _messages(TS):
        pattern = r"\{[0-9][^}]*\}"
        assert sorted(re.findall(pattern, source)) == sorted(re.findall(pattern, translation.text)), (context, source)
        assert source.count("&") == translation.text.count("&"), (context, source)


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    qm = tmp_path / "fresh.qm"
    ut.lrelease(TS, qm)
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run packaging/update_translations.py"


@pytest.mark.gui
def test_switching_to_chinese_translates_the_window(qtbot, qapp, tmp_path):
    from llmplanner.gui.controller import PlanController
    from llmplanner.gui.i18n import install_language
    from llmplanner.gui.main_window import MainWindow
    from llmplanner.gui.settings import Settings

    try:
        assert install_language(qapp, "zh_CN") == "zh_CN"
        settings = Settings(tmp_path / "s.ini")
        window = MainWindow(PlanController(), settings)
        qtbot.addWidget(window)
        assert window.tabs_widget.tabText(0) == "架构"
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        window.tab("architecture").compute_now()
        assert window.tab("architecture").total_card.detail.text() == "80.30 亿"
    finally:
        install_language(qapp, "en")
    window2 = MainWindow(PlanController(), settings)
    qtbot.addWidget(window2)
    assert window2.tabs_widget.tabText(0) == "Architecture"


def test_the_language_follows_the_system_unless_chosen(monkeypatch):
    from llmplanner.gui import i18n

    monkeypatch.setattr(i18n, "system_language", lambda: "zh_CN")
    assert i18n.effective_language("system") == "zh_CN"
    assert i18n.effective_language("en") == "en"
    monkeypatch.setattr(i18n, "system_language", lambda: "en")
    assert i18n.effective_language("system") == "en"

"""Settings: a typed wrapper over an INI file that tests keep private and that survives damage."""
import pytest

pytestmark = pytest.mark.gui


def test_the_default_file_lives_in_the_config_folder_the_environment_names(qapp, tmp_path):
    from llmplanner.gui.settings import Settings

    s = Settings()
    assert s.path == tmp_path / "config" / "llmplanner.ini"  # conftest points LLMPLANNER_CONFIG_DIR here


def test_values_keep_their_types_through_the_file(qapp, tmp_path):
    from llmplanner.gui.settings import Settings

    path = tmp_path / "s.ini"
    s = Settings(path)
    s.language = "zh_CN"
    s.reopen_last_plan = False
    s.geometry = b"\x01\x02\xff"
    s.training_tokens = 15e12
    for f in ("/a.llmplan", "/b.llmplan", "/a.llmplan"):
        s.add_recent_file(f)
    s.sync()
    text = path.read_text()
    assert "PyObjectWrapper" not in text and "zh_CN" in text  # plain text, never a pickled object
    path2 = tmp_path / "copy.ini"
    path2.write_text(text)  # a fresh file: values come back as text and are converted
    t = Settings(path2)
    assert t.language == "zh_CN" and t.reopen_last_plan is False and t.geometry == b"\x01\x02\xff"
    assert t.training_tokens == 15e12
    assert t.recent_files == ["/a.llmplan", "/b.llmplan"]


def test_values_of_the_wrong_kind_fall_back_to_defaults(qapp, tmp_path):
    from llmplanner.gui.settings import Settings

    path = tmp_path / "odd.ini"
    path.write_text("[ui]\nlanguage=klingon\nconfirm_unsaved_close=perhaps\n[window]\ngeometry=@@@notbase64\n"
                    "[architecture]\ntraining_tokens=nan\n")
    s = Settings(path)
    assert s.language == "system" and s.confirm_unsaved_close is True
    assert s.geometry == b"" and s.training_tokens == 0.0
    assert s.notices == []


@pytest.mark.parametrize("content", [b"\x00\x01binary\xff", b"[window\ngeometry=1\n", b"\xff\xfe\xfa not utf8"])
def test_a_corrupt_file_is_set_aside_and_replaced_by_defaults(qapp, tmp_path, content):
    from llmplanner.gui.settings import Settings

    path = tmp_path / "llmplanner.ini"
    path.write_bytes(content)
    s = Settings(path)
    assert (tmp_path / "llmplanner.ini.bak").read_bytes() == content
    assert len(s.notices) == 1 and "llmplanner.ini.bak" in s.notices[0]
    assert s.language == "system"
    s.language = "en"
    s.sync()
    assert Settings(path).language == "en" and Settings(path).notices == []

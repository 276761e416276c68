"""Autosave files: written per process, found again only when their app is gone."""
import subprocess
import sys

from llmplanner.autosave import Autosaver, discard_recovered, find_recoverable
from llmplanner.core.plan import Plan


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_plan_left_by_a_finished_process_is_found(tmp_path):
    pid = _dead_pid()
    saver = Autosaver(tmp_path, pid=pid)
    saver.write(Plan(name="unsaved work", context=12345), saved_path="/somewhere/plan.llmplan")
    found = find_recoverable(tmp_path)
    assert len(found) == 1
    assert found[0].plan == Plan(name="unsaved work", context=12345)
    assert found[0].saved_path == "/somewhere/plan.llmplan"
    discard_recovered(found[0])
    assert find_recoverable(tmp_path) == []


def test_the_plans_of_running_apps_are_left_alone(tmp_path):
    Autosaver(tmp_path).write(Plan(name="mine"))  # this process: running
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as other:
        try:
            Autosaver(tmp_path, pid=other.pid).write(Plan(name="theirs"))
            assert find_recoverable(tmp_path) == []
        finally:
            other.kill()


def test_discard_removes_the_file(tmp_path):
    saver = Autosaver(tmp_path)
    saver.write(Plan())
    assert saver.file.exists()
    saver.discard()
    saver.discard()  # twice is fine
    assert not saver.file.exists()


def test_an_unreadable_autosave_is_set_aside_not_offered(tmp_path):
    pid = _dead_pid()
    (tmp_path / f"unsaved-{pid}.llmplan").write_text("{half a pla")
    assert find_recoverable(tmp_path) == []
    assert (tmp_path / f"unsaved-{pid}.unreadable").exists()

"""Computations off the GUI thread: debounced, latest wins, errors become messages."""
import threading

import pytest

from llmplanner.core.errors import PlannerError

pytestmark = pytest.mark.gui


def _computation(fn, **kw):
    from llmplanner.gui.workers import Computation

    return Computation(fn, **kw)


def test_a_burst_of_requests_runs_once_with_the_last_arguments(qtbot):
    calls = []

    def square(x):
        calls.append(x)
        return x * x

    comp = _computation(square, debounce_ms=30)
    results = []
    comp.result_ready.connect(results.append)
    for x in range(50):
        comp.request(x)
    assert comp.is_busy
    qtbot.waitUntil(lambda: not comp.is_busy)
    assert calls == [49] and results == [2401]


def test_a_result_that_arrives_after_a_newer_request_is_dropped(qtbot):
    release = threading.Event()
    started = threading.Event()

    def slow(x, cancel):
        started.set()
        if x == "old":
            release.wait(5)
            assert cancel.cancelled  # the newer request marked it
        return x

    comp = _computation(slow, debounce_ms=0, cancellable=True)
    results = []
    comp.result_ready.connect(results.append)
    comp.request_now("old")
    assert started.wait(5)
    comp.request("new")
    release.set()
    qtbot.waitUntil(lambda: not comp.is_busy)
    assert results == ["new"]


def test_a_planner_error_becomes_a_message(qtbot):
    def fail(_):
        raise PlannerError("context must be positive", field="context")

    comp = _computation(fail, debounce_ms=0)
    with qtbot.waitSignal(comp.computation_failed) as blocker:
        comp.request(1)
    assert blocker.args == ["field 'context': context must be positive"]
    qtbot.waitUntil(lambda: not comp.is_busy)


def test_an_unexpected_error_becomes_a_message_and_a_report(qtbot, tmp_path):
    from llmplanner.gui.errors import ExceptionHandler

    def broken(_):
        return {}["missing"]

    handler = ExceptionHandler(show_dialogs=False)
    handler.install()
    try:
        comp = _computation(broken, debounce_ms=0)
        with qtbot.waitSignal(comp.computation_failed) as blocker:
            comp.request(1)
        assert "Internal error" in blocker.args[0] and "KeyError" in blocker.args[0]
        qtbot.waitUntil(lambda: len(handler.reports) == 1)
        assert "KeyError" in handler.reports[0].report
        assert handler.reports[0].log_path.startswith(str(tmp_path))
    finally:
        handler.uninstall()


def test_the_function_runs_on_a_worker_thread_and_the_result_arrives_on_the_gui_thread(qtbot):
    threads = {}

    def where(_):
        threads["worker"] = threading.current_thread()
        return 1

    comp = _computation(where, debounce_ms=0)

    def on_result(_):
        threads["slot"] = threading.current_thread()

    comp.result_ready.connect(on_result)
    comp.request(0)
    qtbot.waitUntil(lambda: "slot" in threads)
    assert threads["worker"] is not threading.main_thread()
    assert threads["slot"] is threading.main_thread()


def test_activity_is_reported_while_busy(qtbot):
    comp = _computation(lambda x: x, debounce_ms=10, description="Counting…")
    seen = []
    comp.activity_changed.connect(seen.append)
    comp.request(1, description="Counting Llama…")
    qtbot.waitUntil(lambda: not comp.is_busy)
    assert seen[0] == "Counting Llama…" and seen[-1] == ""


def test_progress_reported_by_the_job_arrives_on_the_gui_thread(qtbot):
    def count(n, cancel):
        for i in range(n):
            cancel.report_progress(i + 1, n)
        return n

    comp = _computation(count, debounce_ms=0, cancellable=True)
    seen = []
    comp.progress_changed.connect(lambda done, total: seen.append((done, total, threading.current_thread().name)))
    comp.request_now(5)
    qtbot.waitUntil(lambda: not comp.is_busy)
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert [s[:2] for s in seen] == [(i, 5) for i in range(1, 6)]
    assert {s[2] for s in seen} == {threading.main_thread().name}

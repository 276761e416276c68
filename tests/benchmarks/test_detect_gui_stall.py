"""How long the GUI thread stalls while detection (the torch probe included) runs in a worker thread.

A 10 ms QTimer ticks on the Qt event loop while ``detect()`` runs; the longest gap between two ticks is what a
user would feel. Measured twice: detection alone in a worker thread, and the Hardware tab detecting this machine
as it does when first shown (its detection pool, then its computations). Target (issue #5): at most 100 ms.
Recorded, not asserted: timings on shared CI machines are noise, and the number is for people comparing runs.
"""
import threading
import time

import pytest


def longest_gap_while(start, done, timeout_s=180.0):
    """(seconds it took, longest gap between 10 ms ticks in ms, ticks): ``start()`` then spin until ``done()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    ticks: list[float] = []
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    deadline = time.perf_counter() + timeout_s

    def _on_poll_timeout():
        if done() or time.perf_counter() > deadline:
            loop.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(_on_poll_timeout)
    timer.start()
    poll.start()
    begin = time.perf_counter()
    start()
    loop.exec()
    elapsed = time.perf_counter() - begin
    timer.stop()
    poll.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    return elapsed, (max(gaps) * 1000 if gaps else elapsed * 1000), len(ticks)


@pytest.mark.gui
def test_longest_gui_stall_while_detecting(qapp, record_property, capsys):
    from llmplanner.core.detect import detect

    done = threading.Event()
    result = {}

    def worker():
        try:
            result["info"] = detect()
        finally:
            done.set()

    elapsed, longest_ms, ticks = longest_gap_while(
        lambda: threading.Thread(target=worker, name="detect-worker", daemon=True).start(), done.is_set)
    record_property("detect_seconds", round(elapsed, 3))
    record_property("longest_gui_stall_ms", round(longest_ms, 1))
    with capsys.disabled():
        print(f"\ndetection took {elapsed:.2f} s in a worker; longest GUI-thread gap between 10 ms ticks: "
              f"{longest_ms:.1f} ms over {ticks} ticks (target <= 100 ms)")
    assert result["info"].tier  # detection finished and produced a machine


@pytest.mark.gui
def test_longest_gui_stall_while_the_hardware_tab_detects(qtbot, record_property, capsys):
    """The tab as the app builds it: shown, it detects this machine on its pool, then computes its pages."""
    from llmplanner.gui import hardware_jobs
    from llmplanner.gui.hardware_tab import HardwareTab, detection_pool

    detection_pool().waitForDone(180_000)
    kept = hardware_jobs.known_machine()
    hardware_jobs.forget_machine()
    try:
        tab = HardwareTab()
        qtbot.addWidget(tab)
        elapsed, longest_ms, ticks = longest_gap_while(tab.show, lambda: tab.machine is not None)
    finally:
        detection_pool().waitForDone(180_000)
        if hardware_jobs.known_machine() is None and kept is not None:
            hardware_jobs._machine = kept
    record_property("tab_detect_seconds", round(elapsed, 3))
    record_property("tab_longest_gui_stall_ms", round(longest_ms, 1))
    with capsys.disabled():
        print(f"\nthe Hardware tab detected this machine in {elapsed:.2f} s; longest GUI-thread gap between 10 ms "
              f"ticks: {longest_ms:.1f} ms over {ticks} ticks (target <= 100 ms)")
    assert tab.machine is not None and tab.machine_panel.tier_label.text().startswith("Tier: ")

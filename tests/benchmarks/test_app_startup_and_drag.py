"""Benchmarks of the app shell (issue #9). They record figures, they do not assert times: these machines
are noisy. Run them with ``pytest tests/benchmarks --benchmark-enable`` or ``python tests/benchmarks/run.py``."""
import pytest

from .figures import bare_seconds, drag_stall, smoke_seconds, startup_ratio

pytestmark = pytest.mark.gui


def test_startup_of_the_smoke_test_against_a_bare_window(benchmark):
    pairs = 1 if benchmark.disabled else 5
    figures = startup_ratio(pairs)
    benchmark.extra_info.update(figures)
    benchmark.pedantic(smoke_seconds, rounds=1 if benchmark.disabled else 3, iterations=1)
    assert figures["startup_ratio"] > 0


def test_bare_window_startup(benchmark):
    benchmark.pedantic(bare_seconds, rounds=1 if benchmark.disabled else 3, iterations=1)


def test_longest_gui_thread_stall_while_dragging_the_context_slider(benchmark):
    result = benchmark.pedantic(drag_stall, rounds=1, iterations=1)
    benchmark.extra_info.update(result)
    assert result["drag_ticks"] > 10
    assert result["estimates"] >= 1

"""Benchmarks of the app shell (issue #9). They record figures in ``extra_info``, they do not assert times:
these machines are noisy. ``pytest tests/benchmarks --benchmark-enable`` repeats them; ``python
tests/benchmarks/run.py`` prints them as JSON."""
import pytest
from gui_fixtures import settings, window  # noqa: F401 - fixtures

from .figures import measure_drag, startup_ratio

pytestmark = pytest.mark.gui


def test_startup_of_the_smoke_test_against_a_bare_window(benchmark):
    figures = benchmark.pedantic(startup_ratio, args=(1 if benchmark.disabled else 5,), rounds=1, iterations=1)
    benchmark.extra_info.update(figures)
    assert figures["smoke_s"] > 0 and figures["bare_s"] > 0


def test_longest_gui_thread_stall_while_dragging_the_context_slider(benchmark, qapp, window):  # noqa: F811
    result = benchmark.pedantic(measure_drag, args=(qapp, window), rounds=1, iterations=1)
    benchmark.extra_info.update(result)
    assert result["drag_ticks"] > 10
    assert result["drag_estimates"] >= 1
    assert result["drag_tab"] == "precision"

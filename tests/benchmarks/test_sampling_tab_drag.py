"""How the Sampling tab keeps up with a slider: the longest GUI-thread stall while the temperature slider is
dragged over a 256k-token vocabulary (the chain runs on the GUI thread, so this is the figure that says
whether that is right). Records figures in ``extra_info``; asserts only that the drag was measured and that
every position was redrawn (these machines are too noisy to assert times)."""
import pytest
from gui_fixtures import settings, window  # noqa: F401 - fixtures

from .sampling_figures import measure_sampling_drag, sample_256k_ms

pytestmark = pytest.mark.gui


def test_longest_gui_thread_stall_while_dragging_the_temperature_slider(benchmark, qapp, window):  # noqa: F811
    result = benchmark.pedantic(measure_sampling_drag, args=(qapp, window), rounds=1, iterations=1)
    benchmark.extra_info.update(result)
    print(f"\nsampling drag on {result['sampling_drag_vocab']:,} tokens: longest GUI-thread gap "
          f"{result['sampling_drag_max_stall_ms']:.1f} ms, slowest update {result['sampling_update_max_ms']:.1f} ms, "
          f"{result['sampling_drag_updates']} updates")
    assert result["sampling_drag_ticks"] > 10
    assert result["sampling_drag_updates"] >= 150  # 101 positions forth and back: (almost) every one redrawn


def test_the_llama_cpp_default_chain_on_256k_tokens(benchmark):
    figures = benchmark.pedantic(sample_256k_ms, args=(True,), rounds=1, iterations=1)
    benchmark.extra_info.update(figures)
    assert figures["sample_256k_ms"] > 0

"""Guard against PySide6-Essentials 6.12.0's slot bug: every Python slot call dropped a reference to None
and the interpreter aborted ("none_dealloc") after a few thousand signals (DEVELOPERS.md). The pin in
pyproject.toml excludes it; this test catches a release with the same fault."""
import sys

import pytest

pytestmark = pytest.mark.gui


def test_twenty_thousand_signals_leave_none_refcount_alone(qapp):
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        fired = Signal(int)

    calls = []

    def slot(value):  # a plain Python slot, as the app's widgets use
        calls.append(value)

    emitter = Emitter()
    emitter.fired.connect(slot)
    before = sys.getrefcount(None)
    for i in range(20_000):
        emitter.fired.emit(i)
    after = sys.getrefcount(None)
    assert len(calls) == 20_000
    assert after >= before - 100, f"None lost {before - after} references over 20,000 slot calls"

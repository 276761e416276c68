#!/usr/bin/env python3
"""Refresh the translation catalogues from the source and compile them.

    python packaging/update_translations.py          # lupdate: add new strings to resources/i18n/*.ts
                                                      # lrelease: compile each .ts to its .qm

``pyside6-lupdate`` reads the ``self.tr(...)``, ``QCoreApplication.translate(...)``/``translate(...)`` and
``QT_TRANSLATE_NOOP(...)`` calls in ``llmplanner/``; translators fill the ``.ts`` files (Qt Linguist,
``pyside6-linguist``, or any editor); ``pyside6-lrelease`` compiles them. Both tools ship with
PySide6-Essentials. ``tests/test_translations.py`` fails when a string is missing from a catalogue or
untranslated, or when a ``.qm`` is older than its ``.ts``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    """``pyside6-<name>`` beside this Python, or on PATH."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    for candidate in (here, here.with_suffix(".exe")):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found: install PySide6-Essentials")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "llmplanner").rglob("*.py"))


def lupdate(ts: Path, extra: tuple[str, ...] = ()) -> None:
    subprocess.run([tool("lupdate"), *extra, *sources(), "-ts", str(ts)], cwd=ROOT, check=True,
                   capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, check=True, capture_output=True,
                   text=True)


def main() -> int:
    I18N.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = I18N / f"llmplanner_{lang}.ts"
        lupdate(ts, ("-no-obsolete", "-locations", "none", "-target-language", lang))
        lrelease(ts, ts.with_suffix(".qm"))
        print(f"updated {ts.relative_to(ROOT)} and its .qm")
    return 0


if __name__ == "__main__":
    sys.exit(main())

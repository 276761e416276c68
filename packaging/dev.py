#!/usr/bin/env python3
"""Set up a virtual environment (first time, or when the dependencies changed) and run the app or the tests.

    python3 packaging/dev.py app     # first run sets up .venv, then opens the app
    python3 packaging/dev.py test    # sets up .venv with the test extra, runs the whole test suite
    python3 packaging/dev.py build   # adds PyInstaller to .venv, builds dist/llmplanner (packaging/build.py)
    python3 packaging/dev.py smoke   # adds PyInstaller to .venv, smoke-tests the wheel and the bundle

Extra arguments go to the app, to pytest, to packaging/build.py or to packaging/smoke.py. Works on Linux,
macOS and Windows with Python 3.10+. Each extra is (re)installed only when pyproject.toml or
packaging/constraints.txt change.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("LLMPLANNER_VENV", ROOT / ".venv"))
CONSTRAINTS = ROOT / "packaging" / "constraints.txt"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_env(extra: str) -> Path:
    if sys.version_info < (3, 10):
        sys.exit(f"llmplanner needs Python 3.10 or newer; this is {sys.version.split()[0]}")
    py = venv_python()
    if not py.exists():
        print(f"creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for f in (ROOT / "pyproject.toml", CONSTRAINTS):
        digest.update(f.read_bytes())
    digest.update(extra.encode())
    stamp = VENV / f".llmplanner-installed{'-' + extra if extra else ''}"
    want = digest.hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != want:
        target = f"{ROOT}[{extra}]" if extra else str(ROOT)
        print(f"installing llmplanner{f'[{extra}]' if extra else ''} and its dependencies ...", flush=True)
        subprocess.check_call([str(py), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), "-e", target])
        stamp.write_text(want)
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "build", "smoke"):
        print(__doc__)
        return 2
    what, rest = argv[0], argv[1:]
    if what == "app":
        py = ensure_env("")
        return subprocess.call([str(py), "-m", "llmplanner", *rest], cwd=ROOT)
    if what in ("build", "smoke"):
        py = ensure_env("packaging")
        return subprocess.call([str(py), str(ROOT / "packaging" / f"{what}.py"), *rest], cwd=ROOT)
    py = ensure_env("test")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Shared fixtures. Qt runs offscreen; settings and logs never touch the user's real folders."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path, monkeypatch):
    """Logs, settings and caches of the code under test go to a temporary folder."""
    monkeypatch.setenv("LLMPLANNER_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("LLMPLANNER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("LLMPLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def load_data(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference_models():
    return load_data("reference_models.json")["models"]


def run_cli(*args: str, env: dict | None = None, timeout: float = 120):
    """Run ``python -m llmplanner`` in a subprocess from the project root; returns CompletedProcess."""
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "llmplanner", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=full_env)

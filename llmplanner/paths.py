"""The user's folders for llmplanner: settings, autosaves, caches (logs: ``crashlog.log_dir``).

``LLMPLANNER_CONFIG_DIR`` and ``LLMPLANNER_CACHE_DIR`` override them (tests, portable installs), otherwise
platformdirs gives each OS's usual place (``~/.config/llmplanner``, ``%APPDATA%\\llmplanner``,
``~/Library/Application Support/llmplanner``).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def config_dir() -> Path:
    override = os.environ.get("LLMPLANNER_CONFIG_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_config_dir

        return Path(user_config_dir("llmplanner", appauthor=False))
    except Exception:  # platformdirs missing or no home folder: still somewhere writable
        return Path(tempfile.gettempdir()) / "llmplanner-config"


def cache_dir() -> Path:
    override = os.environ.get("LLMPLANNER_CACHE_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("llmplanner", appauthor=False))
    except Exception:
        return Path(tempfile.gettempdir()) / "llmplanner-cache"


def autosave_dir() -> Path:
    return config_dir() / "autosave"

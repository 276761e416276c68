"""llmplanner: will this LLM run on my machine, in which precision, with how much context, how fast?"""
from __future__ import annotations


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("llmplanner")
    except PackageNotFoundError:  # running from a source checkout that was never installed
        return "0.0.0+source"
    except Exception:  # pragma: no cover - broken metadata must not stop the app
        return "unknown"


__version__ = _version()

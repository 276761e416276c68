"""llmplanner: will this LLM run on my machine, in which precision, with how much context, how fast?"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("llmplanner")
    except PackageNotFoundError:  # running from a source checkout that was never installed
        return "0.0.0+source"
    except Exception:  # pragma: no cover - broken metadata must not stop the app
        return "unknown"


def __getattr__(name: str):
    # importlib.metadata costs ~65 ms at start-up: read the version only when someone asks for it
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'llmplanner' has no attribute {name!r}")

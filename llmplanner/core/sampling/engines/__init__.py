"""The engine profiles, by id: each an ordered sampler chain modelled from the engine's source."""
from __future__ import annotations

from ...errors import UnknownNameError
from .base import EngineProfile
from .hf import Transformers
from .llama_cpp import DEFAULT_ORDER, LlamaCpp
from .ollama import Ollama, OllamaGo
from .vllm import VLLM

ENGINES: dict[str, EngineProfile] = {e.id: e for e in (Transformers(), LlamaCpp(), VLLM(), Ollama(), OllamaGo())}

#: The four engines the command line and the side-by-side view compare by default.
MAIN_ENGINES = ("hf", "llama.cpp", "vllm", "ollama")

ALIASES = {"transformers": "hf", "huggingface": "hf", "llamacpp": "llama.cpp", "llama-cpp": "llama.cpp",
           "llama-server": "llama.cpp", "llama_cpp": "llama.cpp"}


def get_engine(name: str) -> EngineProfile:
    key = ALIASES.get(str(name).lower(), str(name).lower())
    if key not in ENGINES:
        raise UnknownNameError("engine", name, ENGINES, field="engine")
    return ENGINES[key]


__all__ = ["ENGINES", "MAIN_ENGINES", "EngineProfile", "get_engine", "DEFAULT_ORDER"]

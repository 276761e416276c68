"""The sampling playground's model: every sampler exactly as each engine applies it (numpy, no Qt).

Typical use (what the Sampling tab does on every slider move)::

    dist = zipf_distribution(32_000, top_probability=0.3)            # or parse_token_values / fetch_distribution
    result = run_chain(dist, SamplerSettings(temperature=0.8, top_p=0.9), "llama.cpp")
    for stage in result.stages:                                     # stages[0] is the raw distribution
        stage.label, stage.active, stage.kept_count, stage.entropy_bits, stage.perplexity
        stage.probs, stage.kept, stage.thresholds                   # full vocabulary, removed tokens at 0
    result.probs                                                    # final, in token-id order
    compare_engines(dist, settings)                                 # the same settings, four engines
    draw(result, 1000, seed=1)                                      # a histogram to set against result.probs
"""
from .chain import ChainResult, Stage, StageResult
from .distribution import Distribution, entropy_bits, perplexity, softmax
from .draw import Draws, draw
from .engines import ENGINES, MAIN_ENGINES, EngineProfile, get_engine
from .fetch import KINDS as FETCH_KINDS
from .fetch import FetchError, fetch_distribution
from .mirostat import MirostatState
from .pasted import format_token_values, parse_token_values
from .presets import SamplerPreset, all_presets, find_preset
from .run import compare_engines, run_chain
from .settings import LABELS, SETTING_NAMES, SamplerSettings, SettingError, flag
from .synthetic import pseudo_tokens, zipf_distribution

__all__ = [
    "ChainResult", "Stage", "StageResult", "Distribution", "entropy_bits", "perplexity", "softmax",
    "Draws", "draw", "ENGINES", "MAIN_ENGINES", "EngineProfile", "get_engine", "FETCH_KINDS", "FetchError",
    "fetch_distribution", "MirostatState", "format_token_values", "parse_token_values", "SamplerPreset",
    "all_presets", "find_preset", "compare_engines", "run_chain", "LABELS", "SETTING_NAMES", "SamplerSettings",
    "SettingError", "flag", "pseudo_tokens", "zipf_distribution",
]

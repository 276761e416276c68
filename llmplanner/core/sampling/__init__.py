"""The sampling playground's model: every sampler exactly as each engine applies it (numpy, no Qt)."""
from .chain import ChainResult, Stage, StageResult
from .distribution import Distribution, entropy_bits, perplexity, softmax
from .engines import ENGINES, MAIN_ENGINES, EngineProfile, get_engine
from .mirostat import MirostatState
from .run import compare_engines, run_chain
from .settings import LABELS, SETTING_NAMES, SamplerSettings, SettingError, flag

__all__ = [
    "ChainResult", "Stage", "StageResult", "Distribution", "entropy_bits", "perplexity", "softmax",
    "ENGINES", "MAIN_ENGINES", "EngineProfile", "get_engine", "MirostatState", "compare_engines", "run_chain",
    "LABELS", "SETTING_NAMES", "SamplerSettings", "SettingError", "flag",
]

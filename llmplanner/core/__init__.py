"""The model layer: pure functions over plain dataclasses, with no Qt and no torch.

The GUI, the command line and the tests all go through here. Importing this package must never import
PySide6, pyqtgraph or torch (``tests/test_core_boundary.py``).
"""
from .architecture import MLP, Architecture, Attention, Embeddings, MoE, Norms, standard_attention
from .errors import ArchitectureError, ConfigError, HeaderError, PlannerError, UnknownNameError
from .params import ParamCount, count_params
from .tensors import TensorSpec, inventory

__all__ = [
    "Architecture", "Attention", "MLP", "MoE", "Embeddings", "Norms", "standard_attention",
    "PlannerError", "ArchitectureError", "ConfigError", "HeaderError", "UnknownNameError",
    "ParamCount", "count_params", "TensorSpec", "inventory",
]

"""Training and fine-tuning memory: full training, LoRA and QLoRA, with ZeRO and tensor parallelism.

Public API (the command line's ``--mode full|lora|qlora`` and the GUI call these)::

    setup = TrainingSetup(mode="lora", lora_rank=16, micro_batch=1, seq_len=2048)
    mem = training_memory(arch, setup)          # per-GPU breakdown
    mem.total_bytes, mem.as_dict()

Modules, one job each: ``setup`` (the knobs), ``optimizers`` (state bytes per tensor), ``lora`` (adapters
and their exact count), ``qlora`` (the NF4 base), ``activations`` (Korthikanti et al. 2022, generalised),
``parallel`` (ZeRO and tensor parallelism), ``memory`` (the sum, the rule of thumb), ``report`` (the
estimate service's ``training_report(req)``).
"""
from .activations import ActivationMemory, Trainability, activation_memory, layer_tensors
from .lora import Adapter, adapters, lora_trainable_params, resolve_targets
from .memory import TrainingMemory, min_gpus, training_memory
from .optimizers import state_bytes
from .parallel import ModelStates, zero_partition, zero_per_gpu_bytes
from .qlora import nf4_double_quant_weight_bytes, quantised_linear_params
from .report import setup_from_request, training_report
from .setup import MODES, OPTIMIZERS, PRECISIONS, RECOMPUTE, TrainingSetup

__all__ = [
    "ActivationMemory", "Adapter", "MODES", "ModelStates", "OPTIMIZERS", "PRECISIONS", "RECOMPUTE",
    "Trainability", "TrainingMemory", "TrainingSetup", "activation_memory", "adapters", "layer_tensors",
    "lora_trainable_params", "min_gpus", "nf4_double_quant_weight_bytes", "quantised_linear_params",
    "resolve_targets", "setup_from_request", "state_bytes", "training_memory", "training_report",
    "zero_partition", "zero_per_gpu_bytes",
]

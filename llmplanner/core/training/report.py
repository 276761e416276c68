"""The estimate service's entry point for ``--mode full|lora|qlora``: a request in, a ``TrainingMemory`` out.

``llmplanner.core.estimate.run_estimate`` calls ``training_report(req)`` for the training modes. The request's
context is the sequence length and its batch the micro-batch per GPU; ``req.training`` holds any other
``TrainingSetup`` field by name (``{"optimizer": "adamw-8bit", "recompute": "full", "lora_rank": 64}``);
``--gpu-count`` is the data-parallel size unless ``tensor_parallel`` says otherwise, and the GPU's memory
feeds the rule of thumb and the smallest GPU count that fits.
"""
from __future__ import annotations

from dataclasses import fields

from ..errors import ConfigError
from .memory import TrainingMemory, training_memory
from .setup import TrainingSetup

_SETUP_FIELDS = {f.name for f in fields(TrainingSetup)}
_FROM_REQUEST = {"mode", "seq_len", "micro_batch", "gpu_memory_bytes"}


def setup_from_request(req) -> TrainingSetup:
    """The ``TrainingSetup`` an ``EstimateRequest`` describes."""
    options = dict(req.training or {})
    unknown = sorted(set(options) - (_SETUP_FIELDS - _FROM_REQUEST))
    if unknown:
        raise ConfigError(f"unknown training option {unknown[0]!r} (known: "
                          f"{', '.join(sorted(_SETUP_FIELDS - _FROM_REQUEST))})", field="training")
    gpus = req.hardware.devices() if req.hardware is not None else ()
    memory = gpus[0].capacity_bytes if gpus else None
    if gpus and "data_parallel" not in options:
        options["data_parallel"] = max(1, len(gpus) // options.get("tensor_parallel", 1))
    return TrainingSetup(mode=req.mode, seq_len=req.context, micro_batch=req.batch, gpu_memory_bytes=memory,
                         **options)


def training_report(req) -> TrainingMemory:
    """Per-GPU training memory for a resolved ``EstimateRequest`` in a training mode."""
    return training_memory(req.arch, setup_from_request(req))

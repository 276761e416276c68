"""Measured rounding error of one weight sample in many formats: the Precision tab's "computed, not only
looked up" panel.

The sample is a Gaussian or Student-t draw (``quant_sim.gaussian_sample``) or a real tensor
(``tensor_sample.read_tensor``); each format is simulated by ``quant_sim.quantization_error``. Formats that
share a simulated scheme (a llama.cpp mix is measured in its main tensor type: Q4_K_M and Q4_K_S both as
Q4_K) are measured once. Long runs take a ``cancel`` object (``.cancelled``) and a ``progress(done, total)``
callback, in the style of Orange3's ``run(data, state)``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from .errors import PlannerError
from .formats import WeightFormat, get_format
from .quant_sim import QuantizationError, gaussian_sample, quantization_error

SAMPLE_KINDS = ("gaussian", "student-t", "tensor")
STUDENT_T_DOF = 5.0
"""Degrees of freedom of the heavy-tailed sample (``gaussian_sample``: dof ≈ 4–6 mimics trained weights)."""
DEFAULT_SAMPLE_SIZE = 1 << 20


class Cancelled(Exception):
    """The measurement was superseded (a newer request, or the user pressed Cancel)."""


@dataclass(frozen=True)
class SampleSpec:
    """Which weights to quantise."""

    kind: str = "student-t"
    size: int = DEFAULT_SAMPLE_SIZE
    seed: int = 0
    path: str | None = None
    """The safetensors checkpoint, for ``tensor``."""
    tensor: str | None = None
    """The tensor's name (None: ``tensor_sample.default_tensor``)."""

    def __post_init__(self):
        if self.kind not in SAMPLE_KINDS:
            raise PlannerError(f"unknown sample {self.kind!r} (one of {', '.join(SAMPLE_KINDS)})", field="sample")
        if self.kind == "tensor" and not self.path:
            raise PlannerError("a tensor sample needs the model's safetensors file", field="sample")


@dataclass(frozen=True)
class Sample:
    spec: SampleSpec
    values: np.ndarray
    description: str
    """What was sampled, in English for reports: 'Student-t (ν = 5), 1,048,576 values, std 0.02'."""
    tensor: str | None = None
    """The tensor read, for a checkpoint."""
    tensor_names: tuple[str, ...] = ()
    """For a checkpoint: every tensor that could be sampled instead."""
    tensor_shape: tuple[int, ...] = ()


def load_sample(spec: SampleSpec) -> Sample:
    if spec.kind == "tensor":
        from .tensor_sample import float_matrices, read_tensor

        names = tuple(t.name for t in float_matrices(spec.path))
        t = read_tensor(spec.path, spec.tensor, max_elements=spec.size)
        rows = t.values.shape[0]
        whole = int(np.prod(t.shape)) // t.shape[-1]
        part = "" if rows == whole else f", its first {rows:,} of {whole:,} rows"
        return Sample(spec, t.values, f"{t.name} ({t.dtype} {list(t.shape)}{part})", t.name, names, t.shape)
    dof = STUDENT_T_DOF if spec.kind == "student-t" else None
    values = gaussian_sample(spec.size, spec.seed, dof=dof)
    what = "Gaussian" if dof is None else f"Student-t (ν = {dof:g})"
    return Sample(spec, values, f"{what}, {spec.size:,} values, std 0.02")


@dataclass(frozen=True)
class ErrorRow:
    format: WeightFormat
    result: QuantizationError | None
    error: str | None = None
    """Why the format could not be simulated (i-quant lattices, a row length its blocks do not divide)."""


@dataclass(frozen=True)
class ErrorTable:
    sample: Sample
    rows: tuple[ErrorRow, ...]

    def row(self, format_id: str) -> ErrorRow | None:
        return next((r for r in self.rows if r.format.id == format_id), None)


def _scheme(f: WeightFormat) -> str:
    return f"ggml:{f.params['default_type']}" if f.is_gguf else f.id


def measure_errors(spec: SampleSpec, formats: tuple[str, ...], *, cancel=None,
                   progress: Callable[[int, int], None] | None = None) -> ErrorTable:
    """Quantise the sample in every format of ``formats``; raises ``Cancelled`` when ``cancel.cancelled``
    turns true between formats. A llama.cpp mix's result names its main tensor type as its ``scheme`` (the
    note saying so is dropped: it would name whichever mix of that type came first)."""
    sample = load_sample(spec)
    fmts = [get_format(f) for f in formats]
    done: dict[str, ErrorRow] = {}
    rows = []
    for i, f in enumerate(fmts):
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        if progress is not None:
            progress(i, len(fmts))
        key = _scheme(f)
        if key not in done:
            try:
                done[key] = ErrorRow(f, quantization_error(sample.values, f))
            except PlannerError as e:
                done[key] = ErrorRow(f, None, e.message)
        result = done[key].result
        if result is not None and f.is_gguf:
            result = replace(result, note="")
        rows.append(ErrorRow(f, result, done[key].error))
    if progress is not None:
        progress(len(fmts), len(fmts))
    return ErrorTable(sample, tuple(rows))

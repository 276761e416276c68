"""One real weight tensor from a safetensors checkpoint, read alone: the bytes of that tensor (its first rows
when it is large), never the rest of the model.

The header is read and validated by ``safetensors_header`` (offsets that tile the file exactly, so the slice
read here is the tensor's); the data is decoded with numpy. The ``safetensors`` package's numpy backend
(``safe_open(..., framework="numpy")``) cannot return bfloat16 — the dtype of most current checkpoints
("data type 'bfloat16' not understood", safetensors 0.8) — and its torch backend would import torch, so the
tensor's bytes are read here at the offsets the header gives: BF16 is the upper half of an IEEE float32
(Google Brain bfloat16), F16 and F32 are IEEE 754 little-endian as the format specifies
(https://huggingface.co/docs/safetensors/index#format).
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import PlannerError
from .safetensors_header import HeaderTensor, read_safetensors_header

FLOAT_DTYPES = ("F32", "F16", "BF16", "F64")
DEFAULT_MAX_ELEMENTS = 1 << 21
"""2M weights: enough for stable error statistics, a few MB to read."""
_PREFERRED = (r"layers\.0\..*down_proj\.weight$", r"layers\.0\..*mlp.*\.weight$", r"layers\.0\..*q_proj\.weight$",
              r"\b0\b.*\.weight$")


@dataclass(frozen=True)
class TensorSample:
    name: str
    shape: tuple[int, ...]
    """The whole tensor's shape, as stored."""
    dtype: str
    values: np.ndarray
    """float32, rows along the last axis: the first ``values.shape[0]`` rows of the tensor."""
    path: str


def float_matrices(path: str | Path) -> tuple[HeaderTensor, ...]:
    """The tensors of the checkpoint at ``path`` that can be sampled: floating point, at least 2-D."""
    header = read_safetensors_header(path)
    return tuple(t for t in header.tensors if t.dtype in FLOAT_DTYPES and len(t.shape) >= 2 and t.numel > 0)


def default_tensor(tensors: tuple[HeaderTensor, ...]) -> HeaderTensor:
    """A representative weight: the first layer's MLP down projection (or another MLP or query matrix of
    layer 0), else the largest matrix."""
    if not tensors:
        raise PlannerError("the checkpoint holds no floating-point weight matrix to sample")
    for pattern in _PREFERRED:
        found = [t for t in tensors if re.search(pattern, t.name)]
        if found:
            return found[0]
    return max(tensors, key=lambda t: t.numel)


def _data_start(file: Path) -> int:
    with open(file, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
    return 8 + n


def read_tensor(path: str | Path, name: str | None = None, *, max_elements: int = DEFAULT_MAX_ELEMENTS
                ) -> TensorSample:
    """The tensor ``name`` (default: ``default_tensor``) as float32 rows, at most ``max_elements`` of them
    (whole rows from the start of the tensor). Raises ``PlannerError`` for a missing or non-float tensor."""
    tensors = float_matrices(path)
    if name is None:
        t = default_tensor(tensors)
    else:
        t = next((x for x in tensors if x.name == name), None)
        if t is None:
            header = read_safetensors_header(path)
            other = next((x for x in header.tensors if x.name == name), None)
            if other is None:
                raise PlannerError(f"the checkpoint has no tensor {name!r}", source=str(path), field="tensor")
            raise PlannerError(f"tensor {name!r} is {other.dtype} {list(other.shape)}: the error simulation needs a "
                               f"floating-point matrix ({', '.join(FLOAT_DTYPES)})", source=str(path), field="tensor")
    cols = t.shape[-1]
    rows_total = t.numel // cols
    rows = max(1, min(rows_total, max_elements // cols))
    itemsize = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}[t.dtype]
    header = read_safetensors_header(path)
    file = Path(header.folder) / t.file
    count = rows * cols
    try:
        with open(file, "rb") as f:
            f.seek(_data_start(file) + t.offset)
            raw = f.read(count * itemsize)
    except OSError as e:
        raise PlannerError(f"cannot read the tensor ({e.strerror or e})", source=str(file)) from None
    if len(raw) != count * itemsize:
        raise PlannerError(f"the file ends inside tensor {t.name!r} (truncated?)", source=str(file))
    if t.dtype == "BF16":
        values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
    else:
        values = np.frombuffer(raw, dtype={"F32": "<f4", "F16": "<f2", "F64": "<f8"}[t.dtype]).astype(np.float32)
    return TensorSample(t.name, tuple(t.shape), t.dtype, values.reshape(rows, cols), str(path))

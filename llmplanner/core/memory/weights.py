"""Bytes of every weight tensor in the chosen storage, aligned with the tensor inventory."""
from __future__ import annotations

from math import prod

from ..architecture import Architecture
from ..tensors import TensorSpec, inventory


def tensor_bytes(arch: Architecture, weight_format: str,
                 header_types: tuple[tuple[str, str], ...] | None = None, *,
                 runtime: str | None = None) -> list[tuple[TensorSpec, int]]:
    """(tensor, bytes) for every tensor of ``arch``.

    With a real GGUF's per-tensor types (``header_types``) those are used (ggml row sizes); otherwise the
    format's recipe (``llmplanner.core.formats.tensor_storage``) decides each tensor's type.
    """
    tensors = inventory(arch)
    if header_types:
        from ..formats import GGML_TYPES

        types = dict(header_types)
        out = []
        for t in tensors:
            ggml = GGML_TYPES.get(str(types.get(t.name, "F32")).upper())
            if ggml is None:
                out.append((t, 4 * t.numel))
                continue
            rows = prod(t.shape[:-1]) if len(t.shape) > 1 else 1
            out.append((t, rows * ggml.row_bytes(t.shape[-1])))
        return out
    from ..formats import get_format, tensor_storage

    storage = tensor_storage(arch, get_format(weight_format), runtime=runtime)
    return [(t, s.bytes) for t, s in zip(tensors, storage)]


def weights_total(arch: Architecture, weight_format: str, runtime: str | None = None) -> int:
    return sum(b for _t, b in tensor_bytes(arch, weight_format, runtime=runtime))

"""Bytes of every weight tensor in the chosen storage, aligned with the tensor inventory."""
from __future__ import annotations

from functools import lru_cache
from math import prod

from ..architecture import Architecture
from ..tensors import TensorSpec, inventory


def tensor_bytes(arch: Architecture, weight_format: str,
                 header_types: tuple[tuple[str, str], ...] | None = None, *,
                 runtime: str | None = None) -> tuple[tuple[TensorSpec, int], ...]:
    """(tensor, bytes) for every tensor of ``arch``.

    With a real GGUF's per-tensor types (``header_types``) those are used (ggml row sizes); otherwise the
    format's recipe (``llmplanner.core.formats.tensor_storage``) decides each tensor's type.
    """
    return _tensor_bytes(arch, weight_format, header_types, runtime)


@lru_cache(maxsize=256)
def _tensor_bytes(arch, weight_format, header_types, runtime) -> tuple[tuple[TensorSpec, int], ...]:
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
        return tuple(out)
    from ..formats import get_format, tensor_storage

    storage = tensor_storage(arch, get_format(weight_format), runtime=runtime)
    return tuple((t, s.bytes) for t, s in zip(tensors, storage))


@lru_cache(maxsize=256)
def bytes_by_layer(arch: Architecture, weight_format: str, header_types=None, runtime: str | None = None,
                   output_roles: frozenset = frozenset()) -> tuple[tuple[int, ...], int, int]:
    """(bytes of each transformer layer, bytes outside the layers in ``output_roles``, the other outside bytes)."""
    layers = [0] * arch.num_layers
    output = other = 0
    for t, b in _tensor_bytes(arch, weight_format, header_types, runtime):
        if t.layer is not None:
            layers[t.layer] += b
        elif t.role in output_roles:
            output += b
        else:
            other += b
    return tuple(layers), output, other


def weights_total(arch: Architecture, weight_format: str, runtime: str | None = None) -> int:
    return sum(b for _t, b in tensor_bytes(arch, weight_format, runtime=runtime))

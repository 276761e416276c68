"""Read safetensors headers — one file, a sharded index or a model folder — without loading a weight.

Format (https://huggingface.co/docs/safetensors/index#format, ``safetensors/src/tensor.rs``): 8 bytes
little-endian header length N, N bytes of UTF-8 JSON mapping tensor names to ``{"dtype", "shape",
"data_offsets": [begin, end]}`` (offsets into the byte buffer after the header) plus an optional
``__metadata__`` object of strings, then the tensor bytes.

We parse it ourselves instead of through the ``safetensors`` package because a planner is fed half-downloaded
and hostile files and must refuse each with a reason naming the file, never allocate what the file claims,
and never need a tensor framework. The checks are those of the reference implementation
(``Metadata::validate`` and ``SafeTensors::read_metadata`` in ``tensor.rs``): header at most 100 MB and inside
the file, valid UTF-8 JSON object, known dtypes, non-negative integer shapes, offsets that tile the data
buffer exactly from 0 to its end with ``end - begin == numel × dtype size`` — so a truncated download is
reported as truncated.
"""
from __future__ import annotations

import json
import math
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HeaderError

MAX_HEADER_BYTES = 100_000_000
"""``MAX_HEADER_SIZE`` of safetensors/src/tensor.rs; real headers are a few kB to a few MB."""

MAX_INDEX_BYTES = 64 * 1024 * 1024
"""A ``model.safetensors.index.json`` lists one line per tensor: DeepSeek-V3's is ~9 MB."""

MAX_DIMS = 16
"""No real tensor has more than 5 dimensions; more is a corrupt or hostile header."""

MAX_DIM = (1 << 63) - 1

DTYPE_BITS = {
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8,
    "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32,
    "I64": 64, "U64": 64, "F64": 64, "C64": 64,
    "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
}
"""Bits per element of every dtype safetensors defines (``Dtype::bitsize`` in tensor.rs, 0.6+)."""

INDEX_SUFFIX = ".safetensors.index.json"


@dataclass(frozen=True)
class HeaderTensor:
    """One tensor as a header describes it (no data)."""

    name: str
    shape: tuple[int, ...]
    """PyTorch order: ``(out_features, in_features)`` for a linear layer."""
    dtype: str
    """The safetensors dtype (``BF16``) or the ggml type name (``Q4_K``)."""
    nbytes: int
    file: str
    """The file (name within its folder) holding the data."""
    offset: int = 0
    """Start of the data, relative to the file's data section."""

    @property
    def numel(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class SafetensorsHeader:
    """Every tensor of one checkpoint (all shards), with where it came from."""

    path: str
    """What the user named: a file, an index or a folder."""
    folder: str
    files: tuple[str, ...]
    tensors: tuple[HeaderTensor, ...]
    file_bytes: int
    """Total size of the weight files on disk."""
    metadata: dict = field(default_factory=dict)
    """The first file's ``__metadata__`` (``{"format": "pt"}``) and the index's ``metadata`` (``total_size``)."""
    index: str | None = None

    @property
    def tensor_bytes(self) -> int:
        return sum(t.nbytes for t in self.tensors)

    def by_name(self) -> dict[str, HeaderTensor]:
        return {t.name: t for t in self.tensors}


# -- one header ------------------------------------------------------------------------------------------

def _reject_constant(token: str):
    raise ValueError(f"{token} is not valid in a safetensors header")


class _DuplicateName(ValueError):
    pass


def _unique_object(pairs):
    out = dict(pairs)
    if len(out) != len(pairs):
        seen = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _DuplicateName(f"{dup!r} appears twice in the header")
    return out


def parse_header_json(raw: bytes, source: str) -> dict:
    """The header's JSON object; refuses bad UTF-8, bad JSON, duplicate names, NaN/Infinity."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HeaderError("the header is not UTF-8 text (not a safetensors file?)", source=source) from None
    if not text.lstrip().startswith("{"):
        raise HeaderError("the header is not a JSON object (not a safetensors file?)", source=source)
    try:
        data = json.loads(text, object_pairs_hook=_unique_object, parse_constant=_reject_constant)
    except RecursionError:
        raise HeaderError("the header JSON is nested too deeply", source=source) from None
    except _DuplicateName as e:
        raise HeaderError(str(e), source=source) from None
    except ValueError as e:  # JSONDecodeError, duplicate names, integers with absurd digit counts
        raise HeaderError(f"the header is not valid JSON ({e})", source=source) from None
    if not isinstance(data, dict):
        raise HeaderError("the header is not a JSON object", source=source)
    return data


def tensors_from_header(data: dict, *, file: str, source: str, data_bytes: int | None) -> list[HeaderTensor]:
    """Validate every entry of a parsed header; ``data_bytes`` (when known) is the size of the data section."""
    meta = data.get("__metadata__")
    if meta is not None and not isinstance(meta, dict):
        raise HeaderError("__metadata__ must be an object of strings", source=source, field="__metadata__")
    out: list[HeaderTensor] = []
    for name, info in data.items():
        if name == "__metadata__":
            continue
        where = f"tensor {name!r}"
        if not isinstance(info, dict):
            raise HeaderError(f"{where}: expected an object with dtype, shape and data_offsets", source=source)
        dtype = info.get("dtype")
        if not isinstance(dtype, str) or dtype not in DTYPE_BITS:
            raise HeaderError(f"{where}: unknown dtype {dtype!r} (known: {', '.join(DTYPE_BITS)})", source=source)
        shape = info.get("shape")
        if not isinstance(shape, list) or len(shape) > MAX_DIMS:
            raise HeaderError(f"{where}: shape must be a list of at most {MAX_DIMS} sizes, got {_short(shape)}",
                              source=source)
        for d in shape:
            if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= MAX_DIM:
                raise HeaderError(f"{where}: shape {_short(shape)} has an impossible size {_short(d)}", source=source)
        offsets = info.get("data_offsets")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or any(isinstance(o, bool) or not isinstance(o, int) for o in offsets)):
            raise HeaderError(f"{where}: data_offsets must be two integers, got {_short(offsets)}", source=source)
        begin, end = offsets
        if not 0 <= begin <= end:
            raise HeaderError(f"{where}: data_offsets {offsets} are not an increasing pair", source=source)
        if data_bytes is not None and end > data_bytes:
            raise HeaderError(f"{where} ends at byte {end:,} of the data but the file holds only {data_bytes:,}: "
                              "the file is truncated (an incomplete download?)", source=source)
        bits = math.prod(shape) * DTYPE_BITS[dtype]
        if bits % 8 or bits // 8 != end - begin:
            raise HeaderError(f"{where}: shape {shape} of {dtype} needs {bits / 8:,.0f} bytes but data_offsets "
                              f"give {end - begin:,}", source=source)
        out.append(HeaderTensor(name, tuple(shape), dtype, end - begin, file, begin))
    out.sort(key=lambda t: (t.offset, t.offset + t.nbytes))
    position = 0
    for t in out:
        if t.offset != position:
            what = "overlaps the previous tensor" if t.offset < position else f"leaves a gap at byte {position:,}"
            raise HeaderError(f"tensor {t.name!r}: data_offsets start at {t.offset:,}, which {what}", source=source)
        position = t.offset + t.nbytes
    if data_bytes is not None and position != data_bytes:
        raise HeaderError(f"the tensors end at byte {position:,} of the data but the file holds {data_bytes:,}: "
                          "trailing bytes that no tensor describes", source=source)
    return out


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_file_header(path: str | Path) -> tuple[list[HeaderTensor], dict, int]:
    """Tensors, ``__metadata__`` and file size of one ``.safetensors`` file."""
    p = Path(path)
    source = str(p)
    try:
        with open(p, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < 8:
                raise HeaderError(f"the file is {size} bytes: too short for a safetensors header "
                                  "(an incomplete download?)", source=source)
            (n,) = struct.unpack("<Q", f.read(8))
            if n > MAX_HEADER_BYTES:
                raise HeaderError(f"the header claims {n:,} bytes, more than the {MAX_HEADER_BYTES:,} safetensors "
                                  "allows (not a safetensors file?)", source=source)
            if n > size - 8:
                raise HeaderError(f"the header claims {n:,} bytes but the file has only {size - 8:,} after the "
                                  "length: the file is truncated or not a safetensors file", source=source)
            raw = f.read(n)
    except OSError as e:
        raise HeaderError(f"cannot read the file ({e.strerror or e})", source=source) from None
    if len(raw) != n:
        raise HeaderError("the file changed while it was read", source=source)
    data = parse_header_json(raw, source)
    tensors = tensors_from_header(data, file=p.name, source=source, data_bytes=size - 8 - n)
    meta = data.get("__metadata__") or {}
    return tensors, dict(meta), size


# -- sharded checkpoints and folders ---------------------------------------------------------------------

def read_index(path: str | Path) -> tuple[dict[str, str], dict]:
    """``weight_map`` (tensor → shard file name) and ``metadata`` of a ``*.safetensors.index.json``."""
    p = Path(path)
    source = str(p)
    try:
        size = p.stat().st_size
        if size > MAX_INDEX_BYTES:
            raise HeaderError(f"is {size / 2**20:.0f} MiB: too large to be a safetensors index", source=source)
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise HeaderError(f"cannot read the file ({e.strerror or e})", source=source) from None
    except UnicodeDecodeError:
        raise HeaderError("not UTF-8 text", source=source) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        raise HeaderError(f"not valid JSON ({e})", source=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("weight_map"), dict) or not data["weight_map"]:
        raise HeaderError("a safetensors index needs a non-empty weight_map object", source=source,
                          field="weight_map")
    weight_map = data["weight_map"]
    for name, shard in weight_map.items():
        if not isinstance(shard, str) or not _is_plain_file_name(shard):
            raise HeaderError(f"tensor {name!r} maps to {_short(shard)}, not a file name in this folder",
                              source=source, field="weight_map")
    meta = data.get("metadata")
    return dict(weight_map), dict(meta) if isinstance(meta, dict) else {}


def _is_plain_file_name(name: str) -> bool:
    """A shard lives beside its index: no folders, no '..', no absolute paths."""
    return bool(name) and name not in (".", "..") and not re.search(r"[/\\]|^[A-Za-z]:", name) and "\0" not in name


def resolve_checkpoint(path: str | Path) -> tuple[Path, Path | None, list[Path]]:
    """(folder, index or None, weight files) for a file, an index or a model folder."""
    p = Path(path)
    if p.is_dir():
        folder = p
        indexes = sorted(folder.glob("*" + INDEX_SUFFIX))
        preferred = folder / ("model" + INDEX_SUFFIX)
        if preferred.exists():
            return folder, preferred, []
        if len(indexes) == 1:
            return folder, indexes[0], []
        if len(indexes) > 1:
            names = ", ".join(i.name for i in indexes)
            raise HeaderError(f"the folder holds several safetensors indexes ({names}): name one", source=str(p))
        if (folder / "model.safetensors").exists():
            return folder, None, [folder / "model.safetensors"]
        files = sorted(folder.glob("*.safetensors"))
        if not files:
            raise HeaderError("the folder holds no .safetensors file and no model.safetensors.index.json",
                              source=str(p))
        return folder, None, files
    if not p.exists():
        raise HeaderError("no such file or folder", source=str(p))
    if p.name.endswith(INDEX_SUFFIX) or p.name.endswith(".index.json"):
        return p.parent, p, []
    return p.parent, None, [p]


def read_safetensors_header(path: str | Path) -> SafetensorsHeader:
    """Every tensor header of a ``.safetensors`` file, a sharded ``*.safetensors.index.json`` or a folder.

    With an index, each shard it names is read; a missing shard, a tensor the index lists but no shard
    holds, or a tensor held by two shards is refused.
    """
    folder, index, files = resolve_checkpoint(path)
    metadata: dict = {}
    weight_map: dict[str, str] | None = None
    if index is not None:
        weight_map, metadata = read_index(index)
        files = [folder / name for name in dict.fromkeys(weight_map.values())]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise HeaderError(f"shard {missing[0]}{more} named by the index is missing (an incomplete download?)",
                              source=str(index))
    tensors: list[HeaderTensor] = []
    seen: dict[str, str] = {}
    total = 0
    for i, f in enumerate(files):
        found, meta, size = read_file_header(f)
        total += size
        if i == 0:
            metadata = {**{f"file.{k}": v for k, v in meta.items()}, **metadata}
        for t in found:
            if t.name in seen:
                raise HeaderError(f"tensor {t.name!r} is stored in both {seen[t.name]} and {f.name}",
                                  source=str(index or folder))
            seen[t.name] = f.name
        tensors.extend(found)
    if weight_map is not None:
        for name, shard in weight_map.items():
            if seen.get(name) != shard:
                where = f"found in {seen[name]}" if name in seen else "found in no shard"
                raise HeaderError(f"the index puts tensor {name!r} in {shard} but it is {where}", source=str(index))
    return SafetensorsHeader(
        path=str(path), folder=str(folder), files=tuple(f.name for f in files), tensors=tuple(tensors),
        file_bytes=total, metadata=metadata, index=str(index) if index else None,
    )

"""Read a GGUF file's header — metadata and tensor infos — without loading a weight, and refuse bad files.

Layout (llama.cpp ``ggml/src/gguf.cpp``, ``docs/gguf.md``): magic ``GGUF``, version (u32), tensor count and
key/value count (u64), the key/value pairs (key string, value type, value; arrays carry an item type and a
count), the tensor infos (name, n_dims ≤ 4, ``ne`` (u64 each), ggml type, offset), padding to
``general.alignment`` (default 32), then the tensor data. Strings are a u64 length and UTF-8 bytes.

The walk is bounded at every step by what is actually in the file, the way ``gguf_init_from_file_impl``
checks a file before llama.cpp loads it: counts that cannot fit in the remaining bytes, unknown value or
ggml types, more than 4 dimensions, element counts that overflow int64, rows that are not a whole number of
quantisation blocks, tensor offsets that are not where the previous tensor's padded data ends, data past the
end of the file — each is a ``HeaderError`` naming the file, and nothing is allocated from a claimed size.

We walk the header ourselves rather than through ``gguf.GGUFReader``: the reader builds a numpy view for every
array element (17 s for a 256k-token vocabulary here) and trusts counts (a 2**60-element array never ends).
The ``gguf`` package still supplies the tables: value types, ggml block sizes (``GGML_QUANT_SIZES``) and names.
GGUF files written for big-endian hosts are detected as llama.cpp does (the version's low 16 bits are zero).
"""
from __future__ import annotations

import mmap
import os
import re
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import HeaderError
from .safetensors_header import HeaderTensor

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
"""GGUFv1 (August 2023) used 32-bit counts and is refused by llama.cpp since 2023 (gguf.cpp)."""
DEFAULT_ALIGNMENT = 32
MAX_DIMS = 4
"""``GGML_MAX_DIMS``."""
INT64_MAX = (1 << 63) - 1
MAX_NAME = 4096
"""llama.cpp refuses tensor names of 64 bytes or more (``GGML_MAX_NAME``); we only refuse absurd ones."""
MAX_INLINE_ARRAY = 4096
"""Arrays up to this length are kept as lists (per-layer head counts, sliding-window patterns); longer ones
(vocabularies, merges) are summarised as ``GGUFArray`` with their length."""
MAX_STRING_KEPT = 1 << 20

# value type id -> (struct code, size); 8 = string, 9 = array
_SCALARS = {0: ("B", 1), 1: ("b", 1), 2: ("H", 2), 3: ("h", 2), 4: ("I", 4), 5: ("i", 4), 6: ("f", 4),
            7: ("?", 1), 10: ("Q", 8), 11: ("q", 8), 12: ("d", 8)}
_STRING, _ARRAY = 8, 9
VALUE_TYPE_NAMES = {0: "uint8", 1: "int8", 2: "uint16", 3: "int16", 4: "uint32", 5: "int32", 6: "float32",
                    7: "bool", 8: "string", 9: "array", 10: "uint64", 11: "int64", 12: "float64"}


@dataclass(frozen=True)
class GGUFArray:
    """A long metadata array, summarised: its item type and length (the vocabulary size, for tokens)."""

    item_type: str
    length: int


@dataclass(frozen=True)
class GGUFHeader:
    path: str
    version: int
    byte_order: str
    """``<`` little-endian (every common file) or ``>``."""
    alignment: int
    metadata: dict[str, Any]
    tensors: tuple[HeaderTensor, ...]
    """Shapes in PyTorch order (ggml's ``ne`` reversed), ``dtype`` = ggml type name (``Q4_K``)."""
    data_offset: int
    file_bytes: int
    files: tuple[str, ...] = ()
    """All split files (``-00001-of-00003.gguf``) read, in order; just this file when not split."""
    value_types: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def tensor_bytes(self) -> int:
        return sum(t.nbytes for t in self.tensors)

    @property
    def architecture(self) -> str | None:
        arch = self.metadata.get("general.architecture")
        return arch if isinstance(arch, str) else None

    def by_name(self) -> dict[str, HeaderTensor]:
        return {t.name: t for t in self.tensors}


@lru_cache(maxsize=1)
def ggml_types() -> dict[int, tuple[str, int, int]]:
    """ggml type id → (name, elements per block, bytes per block), from the gguf package's tables."""
    from gguf.constants import GGML_QUANT_SIZES

    return {int(t): (t.name, block, size) for t, (block, size) in GGML_QUANT_SIZES.items()}


class _Cursor:
    """Bounded little/big-endian reads from a memory map; every read checks what is left."""

    def __init__(self, buf, size: int, order: str, source: str):
        self.buf, self.size, self.order, self.source, self.pos = buf, size, order, source, 0

    def need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > self.size:
            raise HeaderError(f"{what} at byte {self.pos:,} runs past the end of the file ({self.size:,} bytes): "
                              "the file is truncated or corrupt", source=self.source)

    def scalar(self, code: str, n: int, what: str):
        self.need(n, what)
        (v,) = struct.unpack_from(self.order + code, self.buf, self.pos)
        self.pos += n
        return v

    def u32(self, what: str) -> int:
        return self.scalar("I", 4, what)

    def u64(self, what: str) -> int:
        return self.scalar("Q", 8, what)

    def string(self, what: str, limit: int | None = None) -> str:
        n = self.u64(f"the length of {what}")
        if limit is not None and n > limit:
            raise HeaderError(f"{what} claims {n:,} bytes (limit {limit:,}): corrupt header", source=self.source)
        self.need(n, what)
        raw = bytes(self.buf[self.pos:self.pos + min(n, MAX_STRING_KEPT)])
        self.pos += n
        text = raw.decode("utf-8", errors="replace")
        return text if n <= MAX_STRING_KEPT else text + f"… ({n:,} bytes)"

    def skip_string(self, what: str) -> None:
        n = self.u64(f"the length of {what}")
        self.need(n, what)
        self.pos += n

    @property
    def left(self) -> int:
        return self.size - self.pos


def _value(c: _Cursor, vtype: int, key: str):
    if vtype in _SCALARS:
        code, n = _SCALARS[vtype]
        return c.scalar(code, n, f"the value of {key!r}")
    if vtype == _STRING:
        return c.string(f"the value of {key!r}")
    if vtype == _ARRAY:
        itype = c.u32(f"the item type of {key!r}")
        count = c.u64(f"the length of {key!r}")
        if itype == _ARRAY or (itype not in _SCALARS and itype != _STRING):
            raise HeaderError(f"key {key!r} is an array of invalid type {itype}", source=c.source)
        item = _SCALARS[itype][1] if itype in _SCALARS else 8
        if count > c.left // item:
            raise HeaderError(f"key {key!r} claims {count:,} items but only {c.left:,} bytes remain: "
                              "the file is truncated or corrupt", source=c.source)
        if count <= MAX_INLINE_ARRAY:
            return [_value(c, itype, key) for _ in range(count)]
        if itype == _STRING:
            for _ in range(count):
                c.skip_string(f"an item of {key!r}")
        else:
            c.pos += count * item
        return GGUFArray(VALUE_TYPE_NAMES[itype], count)
    raise HeaderError(f"key {key!r} has invalid value type {vtype}", source=c.source)


def _open(path: Path):
    try:
        f = open(path, "rb")
    except OSError as e:
        raise HeaderError(f"cannot read the file ({e.strerror or e})", source=str(path)) from None
    return f


def read_single_gguf(path: str | Path) -> GGUFHeader:
    """The header of one GGUF file (one split of a split model)."""
    p = Path(path)
    source = str(p)
    with _open(p) as f:
        size = os.fstat(f.fileno()).st_size
        if size < 24:
            raise HeaderError(f"the file is {size} bytes: too short for a GGUF header (an incomplete download?)",
                              source=source)
        try:
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as e:
            raise HeaderError(f"cannot map the file ({e})", source=source) from None
        try:
            return _parse(buf, size, source)
        finally:
            buf.close()


def _parse(buf, size: int, source: str) -> GGUFHeader:
    magic = bytes(buf[:4])
    if magic != GGUF_MAGIC:
        raise HeaderError(f"not a GGUF file: it starts with {magic!r}, not b'GGUF'", source=source)
    (version,) = struct.unpack_from("<I", buf, 4)
    order = "<"
    if version & 0xFFFF == 0 and version:
        order = ">"
        (version,) = struct.unpack_from(">I", buf, 4)
    if version == 1:
        raise HeaderError("GGUF version 1 (2023) is no longer supported by llama.cpp; convert the model again",
                          source=source)
    if version not in SUPPORTED_VERSIONS:
        raise HeaderError(f"unknown GGUF version {version} (this reader knows versions 2 and 3)", source=source)
    c = _Cursor(buf, size, order, source)
    c.pos = 8
    n_tensors = c.u64("the tensor count")
    n_kv = c.u64("the key/value count")
    # the smallest key/value is 13 bytes (empty key, uint8), the smallest tensor info 24 (empty name, 0 dims)
    if n_kv > c.left // 13:
        raise HeaderError(f"the header claims {n_kv:,} metadata entries but the file has room for at most "
                          f"{c.left // 13:,}: corrupt header", source=source)
    if n_tensors > c.left // 24:
        raise HeaderError(f"the header claims {n_tensors:,} tensors but the file has room for at most "
                          f"{c.left // 24:,}: corrupt header", source=source)
    metadata: dict[str, Any] = {}
    types: dict[str, str] = {}
    for _ in range(n_kv):
        key = c.string("a metadata key", limit=MAX_NAME)
        if key in metadata:
            raise HeaderError(f"metadata key {key!r} appears twice", source=source)
        vtype = c.u32(f"the type of {key!r}")
        metadata[key] = _value(c, vtype, key)
        types[key] = VALUE_TYPE_NAMES.get(vtype, "?")
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if "general.alignment" in metadata and types["general.alignment"] != "uint32":
        raise HeaderError("general.alignment must be a uint32", source=source, field="general.alignment")
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise HeaderError(f"alignment {alignment!r} is not a power of two", source=source, field="general.alignment")

    table = ggml_types()
    infos = []
    names: set[str] = set()
    for i in range(n_tensors):
        name = c.string(f"the name of tensor {i}", limit=MAX_NAME)
        if name in names:
            raise HeaderError(f"tensor {name!r} appears twice", source=source)
        names.add(name)
        n_dims = c.u32(f"the dimension count of {name!r}")
        if n_dims > MAX_DIMS:
            raise HeaderError(f"tensor {name!r} has {n_dims} dimensions; ggml allows at most {MAX_DIMS}",
                              source=source)
        ne = [c.u64(f"a dimension of {name!r}") for _ in range(n_dims)]
        numel = 1
        for d in ne:
            if d > INT64_MAX:
                raise HeaderError(f"tensor {name!r} has a negative dimension ({d - (1 << 64)})", source=source)
            numel *= d
        if numel > INT64_MAX:
            raise HeaderError(f"tensor {name!r} with shape {ne} has more elements than int64 can count",
                              source=source)
        type_id = c.u32(f"the type of {name!r}")
        if type_id not in table:
            raise HeaderError(f"tensor {name!r} has unknown ggml type {type_id} (removed, or newer than the "
                              "installed gguf package)", source=source)
        type_name, block, type_size = table[type_id]
        row = ne[0] if ne else 1  # ggml treats a 0-dimensional tensor as ne = [1, 1, 1, 1]
        if row % block:
            raise HeaderError(f"tensor {name!r} of type {type_name} has rows of {row} elements, not a multiple of "
                              f"its block size {block}", source=source)
        offset = c.u64(f"the data offset of {name!r}")
        nbytes = numel // block * type_size if block else 0
        infos.append((name, tuple(reversed(ne)), type_name, nbytes, offset))
    data_offset = -(-c.pos // alignment) * alignment
    expected = 0
    tensors = []
    for name, shape, type_name, nbytes, offset in infos:
        if offset != expected:
            raise HeaderError(f"tensor {name!r} has data offset {offset:,} where {expected:,} was expected "
                              "(tensor data must follow in order, padded to the alignment)", source=source)
        expected += -(-nbytes // alignment) * alignment
        end = data_offset + offset + nbytes
        if end > size:
            raise HeaderError(f"tensor {name!r} ends at byte {end:,} but the file has only {size:,}: the file is "
                              "truncated (an incomplete download?)", source=source)
        tensors.append(HeaderTensor(name, shape, type_name, nbytes, Path(source).name, offset))
    return GGUFHeader(path=source, version=version, byte_order=order, alignment=alignment, metadata=metadata,
                      tensors=tuple(tensors), data_offset=data_offset, file_bytes=size, files=(Path(source).name,),
                      value_types=types)


_SPLIT = re.compile(r"^(?P<prefix>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)


def read_gguf_header(path: str | Path) -> GGUFHeader:
    """The header of a GGUF model: one file, or every split of a split model (``gguf-split``'s
    ``<name>-00001-of-00003.gguf``, metadata keys ``split.no``/``split.count``/``split.tensors.count``)."""
    p = Path(path)
    if p.is_dir():
        raise HeaderError("is a folder: name the .gguf file", source=str(p))
    first = read_single_gguf(p)
    count = first.metadata.get("split.count")
    if not isinstance(count, int) or count <= 1:
        return first
    m = _SPLIT.match(p.name)
    if not m:
        raise HeaderError(f"is split {first.metadata.get('split.no', 0) + 1} of {count} but its name does not "
                          "follow <name>-00001-of-NNNNN.gguf, so the other splits cannot be found", source=str(p))
    parts = [first if int(m["no"]) == i else None for i in range(1, count + 1)]
    files, tensors, total = [], [], 0
    for i in range(1, count + 1):
        name = f"{m['prefix']}-{i:05d}-of-{count:05d}.gguf"
        split_path = p.with_name(name)
        if parts[i - 1] is None:
            if not split_path.is_file():
                raise HeaderError(f"split {name} of this {count}-file model is missing (an incomplete download?)",
                                  source=str(p))
            parts[i - 1] = read_single_gguf(split_path)
        h = parts[i - 1]
        files.append(name)
        tensors.extend(h.tensors)
        total += h.file_bytes
    head = parts[0]
    names = [t.name for t in tensors]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise HeaderError(f"tensor {dup!r} appears in two splits", source=str(p))
    expected = head.metadata.get("split.tensors.count")
    if isinstance(expected, int) and expected != len(tensors):
        raise HeaderError(f"the splits hold {len(tensors)} tensors but split.tensors.count says {expected}",
                          source=str(p))
    return GGUFHeader(path=str(p), version=head.version, byte_order=head.byte_order, alignment=head.alignment,
                      metadata=head.metadata, tensors=tuple(tensors), data_offset=head.data_offset,
                      file_bytes=total, files=tuple(files), value_types=head.value_types)

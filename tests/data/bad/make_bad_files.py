"""Generate the corpus of broken weight files in this folder (tiny; committed so the CLI tests read them).

Run ``python tests/data/bad/make_bad_files.py`` to rebuild it. Each file breaks one rule a reader must enforce
(safetensors: tensor.rs ``read_metadata``/``validate``; GGUF: ggml/src/gguf.cpp ``gguf_init_from_file_impl``).
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

HERE = Path(__file__).parent


# -- safetensors --------------------------------------------------------------------------------------------

def st(header, data: bytes = b"", *, length: int | None = None) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw) if length is None else length) + raw + data


GOOD_ST = {"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
           "b": {"dtype": "BF16", "shape": [4], "data_offsets": [16, 24]}}

SAFETENSORS = {
    "empty.safetensors": b"",
    "short.safetensors": b"\x01\x02\x03",
    "header-longer-than-file.safetensors": st(GOOD_ST, bytes(24), length=100_000),
    "header-length-2pow63.safetensors": st(GOOD_ST, bytes(24), length=2**63),
    "header-length-absurd.safetensors": st(GOOD_ST, bytes(24), length=200_000_000),
    "not-json.safetensors": st(b"{this is not json}      "),
    "not-utf8.safetensors": st(b"{\xff\xfe\xfd}    "),
    "json-array.safetensors": st(b"[1, 2, 3]"),
    "unknown-dtype.safetensors": st({"a": {"dtype": "F17", "shape": [2], "data_offsets": [0, 8]}}, bytes(8)),
    "negative-shape.safetensors": st({"a": {"dtype": "F32", "shape": [-2, 2], "data_offsets": [0, 16]}}, bytes(16)),
    "float-shape.safetensors": st({"a": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 10]}}, bytes(10)),
    "huge-shape.safetensors": st({"a": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 8]}},
                                 bytes(8)),
    "too-many-dims.safetensors": st({"a": {"dtype": "U8", "shape": [1] * 40, "data_offsets": [0, 1]}}, bytes(1)),
    "offsets-outside-file.safetensors": st({"a": {"dtype": "F32", "shape": [1000], "data_offsets": [0, 4000]}},
                                           bytes(16)),
    "offsets-reversed.safetensors": st({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}, bytes(8)),
    "overlapping.safetensors": st({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                                   "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, bytes(16)),
    "truncated.safetensors": st(GOOD_ST, bytes(24))[:-10],
    "duplicate-tensor.safetensors": st(b'{"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, '
                                       b'"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}', bytes(1)),
    "deeply-nested.safetensors": st(b"{\"a\": " + b"[" * 5_000 + b"]" * 5_000 + b"}"),
    "nan-in-header.safetensors": st(b'{"a": {"dtype": "U8", "shape": [NaN], "data_offsets": [0, 1]}}', bytes(1)),
    "missing-shard.safetensors.index.json": json.dumps(
        {"metadata": {"total_size": 8}, "weight_map": {"a": "gone-00001-of-00002.safetensors"}}).encode(),
    "path-traversal.safetensors.index.json": json.dumps({"weight_map": {"a": "../../etc/passwd"}}).encode(),
    "index-not-json.safetensors.index.json": b"{weight_map",
}


# -- GGUF ---------------------------------------------------------------------------------------------------

def s(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def kv_str(key: str, value: str) -> bytes:
    return s(key) + struct.pack("<I", 8) + s(value)


def kv_u32(key: str, value: int) -> bytes:
    return s(key) + struct.pack("<II", 4, value)


def gguf(kvs: list[bytes], tensors: list[bytes], data: bytes = b"", *, version: int = 3,
         n_tensors: int | None = None, n_kv: int | None = None, magic: bytes = b"GGUF", align: int = 32) -> bytes:
    head = magic + struct.pack("<IQQ", version, len(tensors) if n_tensors is None else n_tensors,
                               len(kvs) if n_kv is None else n_kv)
    body = head + b"".join(kvs) + b"".join(tensors)
    body += bytes(-len(body) % align)
    return body + data


def tinfo(name: str, ne: list[int], ggml_type: int = 0, offset: int = 0) -> bytes:
    return s(name) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", d) for d in ne) + struct.pack(
        "<IQ", ggml_type, offset)


LLAMA = [kv_str("general.architecture", "llama"), kv_u32("llama.block_count", 1),
         kv_u32("llama.embedding_length", 8)]

GGUF = {
    "empty.gguf": b"",
    "short.gguf": b"GGUF\x03\x00",
    "wrong-magic.gguf": gguf(LLAMA, [], magic=b"GGML"),
    "safetensors-renamed.gguf": st(GOOD_ST, bytes(24)),
    "version-1.gguf": gguf(LLAMA, [], version=1),
    "version-99.gguf": gguf(LLAMA, [], version=99),
    "tensor-count-absurd.gguf": gguf(LLAMA, [], n_tensors=2**62),
    "kv-count-absurd.gguf": gguf(LLAMA, [], n_kv=2**63 + 5),
    "key-length-absurd.gguf": b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**63) + bytes(64),
    "string-past-end.gguf": b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("k") + struct.pack("<IQ", 8, 10**6) + b"x",
    "array-length-absurd.gguf": b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("tokenizer.ggml.tokens")
    + struct.pack("<IIQ", 9, 8, 2**60) + bytes(64),
    "nested-array.gguf": b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("k") + struct.pack("<IIQ", 9, 9, 1)
    + bytes(64),
    "bad-value-type.gguf": b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + s("k") + struct.pack("<I", 42) + bytes(16),
    "duplicate-key.gguf": gguf(LLAMA + [kv_u32("llama.block_count", 2)], []),
    "bad-alignment.gguf": gguf(LLAMA + [kv_u32("general.alignment", 3)], []),
    "too-many-dims.gguf": gguf(LLAMA, [tinfo("t", [1] * 9)], bytes(32)),
    "negative-dim.gguf": gguf(LLAMA, [tinfo("t", [2**64 - 1, 2])], bytes(32)),
    "overflow-dims.gguf": gguf(LLAMA, [tinfo("t", [2**40, 2**40])], bytes(32)),
    "unknown-ggml-type.gguf": gguf(LLAMA, [tinfo("t", [8], ggml_type=200)], bytes(32)),
    "quantized-scalar.gguf": gguf(LLAMA, [tinfo("t", [], ggml_type=2)], bytes(32)),
    "row-not-whole-blocks.gguf": gguf(LLAMA, [tinfo("t", [10, 2], ggml_type=2)], bytes(64)),
    "bad-tensor-offset.gguf": gguf(LLAMA, [tinfo("a", [8]), tinfo("b", [8], offset=4)], bytes(64)),
    "duplicate-tensor.gguf": gguf(LLAMA, [tinfo("a", [8]), tinfo("a", [8], offset=32)], bytes(64)),
    "truncated-data.gguf": gguf(LLAMA, [tinfo("token_embd.weight", [8, 1000])], bytes(100)),
    "no-architecture.gguf": gguf([kv_u32("llama.block_count", 1)], [tinfo("token_embd.weight", [8, 4])],
                                 bytes(128)),
    "vision-projector.gguf": gguf([kv_str("general.architecture", "clip")], [tinfo("v.patch_embd.weight", [8])],
                                  bytes(32)),
    "missing-head-count.gguf": gguf(LLAMA, [tinfo("token_embd.weight", [8, 4]), tinfo("blk.0.ffn_down.weight",
                                                                                   [4, 8], offset=128)],
                                    bytes(256)),
}


def main() -> None:
    for name, data in {**SAFETENSORS, **GGUF}.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(SAFETENSORS) + len(GGUF)} files to {HERE}")


if __name__ == "__main__":
    main()

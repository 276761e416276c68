"""Broken and hostile weight files are refused with a reason naming the file: through the command line (exit 2,
one line, nothing on stdout) and, for random and mutated bytes, with nothing but HeaderError coming out."""
import json
import os
import struct
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import DATA, run_cli
from llmplanner.cli import main
from llmplanner.core.errors import HeaderError
from llmplanner.core.gguf_header import read_gguf_header
from llmplanner.core.safetensors_header import read_safetensors_header
from llmplanner.core.weight_headers import load_gguf_model, load_safetensors_model

BAD = DATA / "bad"
sys.path.insert(0, str(BAD))
import make_bad_files  # noqa: E402

CORPUS = sorted(p for p in BAD.iterdir() if p.is_file() and p.suffix != ".py")


def _flag(path: Path) -> str:
    return "--gguf" if path.name.endswith(".gguf") else "--safetensors"


def test_corpus_is_what_the_generator_writes():
    expected = {**make_bad_files.SAFETENSORS, **make_bad_files.GGUF}
    assert {p.name for p in CORPUS} == set(expected)
    for p in CORPUS:
        assert p.read_bytes() == expected[p.name], p.name


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_broken_file_is_refused_with_one_line_naming_it(path, capsys):
    assert main(["estimate", _flag(path), str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and lines[0].startswith("llmplanner: error: ")


@pytest.mark.parametrize("name", ["header-length-2pow63.safetensors", "truncated-data.gguf",
                                  "array-length-absurd.gguf"])
def test_broken_files_through_a_real_process(name):
    path = BAD / name
    p = run_cli("estimate", _flag(path), str(path))
    assert p.returncode == 2 and p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1 and str(path) in p.stderr and "Traceback" not in p.stderr


def test_positional_path_finds_the_reader_by_extension(capsys):
    path = BAD / "wrong-magic.gguf"
    assert main(["estimate", str(path)]) == 2
    assert "not a GGUF file" in capsys.readouterr().err


def test_missing_file_and_folder_without_weights(tmp_path, capsys):
    assert main(["estimate", "--safetensors", str(tmp_path / "nope.safetensors")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["estimate", "--safetensors", str(tmp_path)]) == 2
    assert "no .safetensors file" in capsys.readouterr().err
    assert main(["estimate", "--gguf", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


# -- property tests: only HeaderError comes out --------------------------------------------------------------

def _write(data: bytes, suffix: str) -> str:
    fd, name = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return name


def _only_header_errors(data: bytes, suffix: str, *readers) -> None:
    name = _write(data, suffix)
    try:
        for read in readers:
            try:
                read(name)
            except HeaderError:
                pass
    finally:
        os.unlink(name)


def _valid_safetensors() -> bytes:
    header = {"__metadata__": {"format": "pt"},
              "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "model.layers.0.mlp.up_proj.weight": {"dtype": "BF16", "shape": [4, 2], "data_offsets": [24, 40]}}
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + bytes(40)


def _valid_gguf() -> bytes:
    import gguf
    import numpy as np

    fd, name = tempfile.mkstemp(suffix=".gguf")
    os.close(fd)
    w = gguf.GGUFWriter(name, "llama")
    w.add_block_count(1)
    w.add_embedding_length(8)
    w.add_head_count(2)
    w.add_feed_forward_length(16)
    w.add_token_list(["a", "b", "c"])
    for tname, shape in [("token_embd.weight", (3, 8)), ("blk.0.attn_norm.weight", (8,)),
                         ("blk.0.attn_q.weight", (8, 8)), ("blk.0.attn_k.weight", (8, 8)),
                         ("blk.0.attn_v.weight", (8, 8)), ("blk.0.attn_output.weight", (8, 8)),
                         ("blk.0.ffn_norm.weight", (8,)), ("blk.0.ffn_up.weight", (16, 8)),
                         ("blk.0.ffn_down.weight", (8, 16)), ("output_norm.weight", (8,))]:
        w.add_tensor(tname, np.zeros(shape, np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    data = Path(name).read_bytes()
    os.unlink(name)
    return data


VALID_ST = _valid_safetensors()
VALID_GGUF = _valid_gguf()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_fuzzed_seeds_are_valid():
    _only_header_errors(VALID_ST, ".safetensors", read_safetensors_header)
    name = _write(VALID_GGUF, ".gguf")
    try:
        # embedding 3x8, three norms of 8, q/k/v/o 8x8, up/down 16x8 (tied output: no output.weight)
        assert load_gguf_model(name).header_params == 24 + 3 * 8 + 4 * 64 + 2 * 128
    finally:
        os.unlink(name)


@FAST
@given(st.binary(max_size=512))
def test_random_bytes(data):
    _only_header_errors(data, ".safetensors", read_safetensors_header, load_safetensors_model)
    _only_header_errors(data, ".gguf", read_gguf_header, load_gguf_model)


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_after_a_plausible_prefix(tail):
    _only_header_errors(b"GGUF" + struct.pack("<I", 3) + tail, ".gguf", read_gguf_header, load_gguf_model)
    _only_header_errors(struct.pack("<Q", len(tail)) + tail, ".safetensors", read_safetensors_header)


def _mutations(seed: bytes):
    return st.tuples(
        st.lists(st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 255)), min_size=1, max_size=6),
        st.one_of(st.none(), st.integers(0, len(seed))),
    )


def _mutate(seed: bytes, mutation) -> bytes:
    flips, cut = mutation
    data = bytearray(seed)
    for pos, value in flips:
        data[pos] = value
    return bytes(data[:cut] if cut is not None else data)


@FAST
@given(_mutations(VALID_GGUF))
@example(([(492, 0)], None))  # once crashed the block-size message of a 0-dimensional tensor
def test_mutated_gguf(mutation):
    _only_header_errors(_mutate(VALID_GGUF, mutation), ".gguf", read_gguf_header, load_gguf_model)


def test_a_block_count_beyond_the_stored_blocks_is_refused_at_once(tmp_path):
    """A flipped byte once made block_count about 2**31: reading looped over every claimed block (fuzzing hung)."""
    key = b"llama.block_count"
    value_at = VALID_GGUF.index(key) + len(key) + 4  # after the key comes its uint32 type tag, then the value
    data = bytearray(VALID_GGUF)
    data[value_at:value_at + 4] = struct.pack("<I", 2**31)
    path = tmp_path / "huge-block-count.gguf"
    path.write_bytes(bytes(data))
    with pytest.raises(HeaderError, match="says 2147483648 blocks but the file has tensors for 1"):
        load_gguf_model(str(path))


@FAST
@given(_mutations(VALID_ST))
def test_mutated_safetensors(mutation):
    _only_header_errors(_mutate(VALID_ST, mutation), ".safetensors", read_safetensors_header,
                        load_safetensors_model)


JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                  max_size=4), max_leaves=12)


@FAST
@given(st.dictionaries(st.text(max_size=10), JSON | st.fixed_dictionaries(
    {"dtype": st.sampled_from(["F32", "BF16", "I64", "F4", "X"]), "shape": JSON, "data_offsets": JSON}),
    max_size=4), st.integers(0, 64))
def test_structured_safetensors_headers(header, data_len):
    raw = json.dumps(header).encode()
    _only_header_errors(struct.pack("<Q", len(raw)) + raw + bytes(data_len), ".safetensors",
                        read_safetensors_header, load_safetensors_model)

"""ggml tensor types: block layouts as ggml-common.h defines them, row sizes as ggml_row_size computes them."""
import pytest

from conftest import load_data
from llmplanner.core.errors import PlannerError, UnknownNameError
from llmplanner.core.ggml_types import GGML_TYPE_NAMES, GGML_TYPES, ggml_type

REFERENCE = load_data("quant_formats.json")["ggml_types"]


@pytest.mark.parametrize("ref", REFERENCE, ids=lambda r: r["ggml_type"])
def test_block_layout_matches_ggml_common_h(ref):
    t = GGML_TYPES[ref["ggml_type"]]
    assert (t.block_size, t.type_size) == (ref["weights_per_block"], ref["bytes_per_block"])
    assert t.bits_per_weight == pytest.approx(ref["bits_per_weight"])


def test_every_type_in_the_gguf_python_package_is_known_with_its_id_and_size():
    """gguf-py (llama.cpp's own Python package) lists the ids and (block, bytes) of every GGUF type."""
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    for qt in GGMLQuantizationType:
        assert GGML_TYPE_NAMES[int(qt)] == qt.name
        if qt.name != "Q8_1":   # gguf-py keeps Q8_1's old float d, s (40 bytes); ggml-common.h asserts 36
            assert (GGML_TYPES[qt.name].block_size, GGML_TYPES[qt.name].type_size) == GGML_QUANT_SIZES[qt]


def test_row_bytes_is_whole_blocks():
    q4k = ggml_type("q4_k")
    assert q4k.row_bytes(4096) == 16 * 144
    assert ggml_type("F16").row_bytes(7) == 14
    assert ggml_type(8).name == "Q8_0"          # by GGUF id


def test_row_that_is_not_whole_blocks_is_refused_naming_both_sizes():
    with pytest.raises(PlannerError, match=r"256.*4000|4000.*256"):
        ggml_type("Q4_K").row_bytes(4000)


def test_unknown_type_suggests_near_names():
    with pytest.raises(UnknownNameError, match="Q4_K"):
        ggml_type("Q4_KK")
    with pytest.raises(PlannerError):
        ggml_type(999)

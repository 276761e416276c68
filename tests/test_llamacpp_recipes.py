"""llama.cpp file types are per-tensor recipes: real file sizes follow from the rules, tensor by tensor."""
import pytest

from conftest import load_data
from llmplanner.core.errors import UnknownNameError
from llmplanner.core.formats import weight_bytes
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.llamacpp_quant import file_type, gguf_tensor_types
from llmplanner.core.tensors import inventory

DATA = load_data("llamacpp_sizes.json")
ARCHS = {name: architecture_from_config(m["config"]) for name, m in DATA["models"].items()}
GIB = 1024 ** 3


def _case_id(c):
    return f"{c['model']}-{c['file_type']}-{'imatrix' if c.get('imatrix') else 'plain'}-{'GiB' if 'size_gib' in c else 'bpw'}"


@pytest.mark.parametrize("case", DATA["cases"], ids=_case_id)
def test_file_size_and_bits_per_weight_match_llama_cpp_within_1_5_percent(case):
    arch = ARCHS[case["model"]]
    wb = weight_bytes(arch, case["file_type"].lower(), imatrix=case.get("imatrix"))
    if "size_gib" in case:
        assert wb.total / GIB == pytest.approx(case["size_gib"], rel=0.015)
    if "bpw" in case:
        assert wb.bits_per_weight == pytest.approx(case["bpw"], rel=0.015)


def _types(arch, ft, **kw):
    return {t.name: ty for t, ty in zip(inventory(arch), gguf_tensor_types(arch, ft, **kw))}


def test_q4_k_m_gives_half_of_attn_v_and_ffn_down_q6_k_and_the_output_q6_k():
    types = _types(ARCHS["Llama-2-7B"], "Q4_K_M")
    more = [i for i in range(32) if types[f"blk.{i}.attn_v.weight"] == "Q6_K"]
    # use_more_bits: first and last eighth, then every third layer in between
    assert more == [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]
    assert [i for i in range(32) if types[f"blk.{i}.ffn_down.weight"] == "Q6_K"] == more
    assert types["output.weight"] == "Q6_K"
    assert types["token_embd.weight"] == "Q4_K"
    assert types["blk.5.attn_q.weight"] == "Q4_K"
    assert types["blk.5.attn_norm.weight"] == "F32" and types["output_norm.weight"] == "F32"


def test_70b_gqa_models_get_q5_k_attn_v_where_the_mix_says_q3_k_or_q4_k():
    assert _types(ARCHS["Llama-2-70B"], "Q4_K_S")["blk.10.attn_v.weight"] == "Q5_K"
    assert _types(ARCHS["Llama-2-13B"], "Q4_K_S")["blk.10.attn_v.weight"] == "Q4_K"


def test_q2_k_attn_v_depends_on_grouped_query_attention():
    assert _types(ARCHS["Llama-3-8B"], "Q2_K")["blk.9.attn_v.weight"] == "Q4_K"   # n_gqa = 4
    assert _types(ARCHS["Llama-2-7B"], "Q2_K")["blk.9.attn_v.weight"] == "Q3_K"   # MHA


def test_moe_router_is_never_quantised_and_8_expert_models_keep_attn_v_in_q8_0(reference_models):
    cfg = next(m for m in reference_models if m["name"].startswith("Mixtral"))["config"]
    arch = architecture_from_config(cfg)
    types = _types(arch, "Q4_K_M")
    assert types["blk.0.ffn_gate_inp.weight"] == "F32"
    assert types["blk.0.attn_v.weight"] == types["blk.0.attn_k.weight"] == "Q8_0"
    assert types["blk.0.attn_output.weight"] == "Q5_K"


def test_rows_that_are_not_whole_256_blocks_fall_back_like_llama_cpp(reference_models):
    # Phi-3-mini: ffn_down rows are 8192 wide (fine) — build a model with a 4544-wide hidden size (Falcon-7B-like
    # widths are not multiples of 256): k-quants fall back to the 32-block legacy types.
    cfg = dict(DATA["models"]["Llama-2-7B"]["config"], hidden_size=4544, num_attention_heads=71,
               num_key_value_heads=71, intermediate_size=18176)
    types = _types(architecture_from_config(cfg), "Q4_K_M")
    assert types["blk.4.attn_q.weight"] == "Q5_0"            # Q4_K -> Q5_0
    assert types["blk.0.attn_v.weight"] == "Q8_0"            # Q6_K -> Q8_0
    assert types["output.weight"] == "Q8_0"                  # the output head: nx % 256 -> Q8_0
    assert types["blk.4.ffn_down.weight"] == "Q4_K"          # 18176 = 71 x 256 is whole blocks


def test_imatrix_matters_only_where_llama_cpp_says_so():
    arch = ARCHS["Llama-3-8B"]
    plain, with_imatrix = _types(arch, "IQ4_XS", imatrix=False), _types(arch, "IQ4_XS", imatrix=True)
    assert plain["blk.0.ffn_down.weight"] == "Q5_K" and with_imatrix["blk.0.ffn_down.weight"] == "IQ4_XS"
    # IQ2_XXS cannot be made without one, so the default assumes it
    assert gguf_tensor_types(arch, "IQ2_XXS") == gguf_tensor_types(arch, "IQ2_XXS", imatrix=True)


def test_tied_embeddings_take_the_output_rule(reference_models):
    cfg = next(m for m in reference_models if m["name"].startswith("Gemma-2"))["config"]
    types = _types(architecture_from_config(cfg), "Q4_K_M")
    assert "output.weight" not in types
    assert types["token_embd.weight"] == "Q6_K"


def test_bits_per_weight_follow_the_model_not_a_constant():
    a, b = weight_bytes(ARCHS["Llama-2-7B"], "q4_k_m"), weight_bytes(ARCHS["Llama-3-8B"], "q4_k_m")
    assert b.bits_per_weight - a.bits_per_weight > 0.04      # 4.89 vs 4.84 in llama.cpp's own logs


def test_file_type_aliases_and_unknown_names():
    assert file_type("q4_k").name == "Q4_K_M"
    with pytest.raises(UnknownNameError, match="Q4_K_M"):
        file_type("Q4_K_MM")

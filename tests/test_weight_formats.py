"""Weight formats: names, runtimes, and the exact bytes each scheme stores per tensor."""
import pytest
from hypothesis import given, settings, strategies as st

from conftest import load_data
from llmplanner.core.errors import PlannerError, UnknownNameError
from llmplanner.core.formats import (KV_CACHE_TYPES, all_formats, get_format, kv_row_bytes, tensor_storage,
                                     weight_bytes)
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.tensors import inventory
from llmplanner.core.weight_storage import matrix_bytes, quantized_matrix_bytes, storage_bits

OTHER = {f["format"]: f for f in load_data("quant_formats.json")["other_formats"]}
GIB = 1024 ** 3


@pytest.fixture(scope="module")
def llama3(reference_models):
    return architecture_from_config(next(m for m in reference_models if m["name"] == "Llama-3-8B")["config"])


@pytest.fixture(scope="module")
def mixtral(reference_models):
    return architecture_from_config(next(m for m in reference_models if m["name"].startswith("Mixtral"))["config"])


# -- names -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, fid", [("Q4_K_M", "q4_k_m"), ("fp16", "f16"), ("float16", "f16"),
                                       ("bfloat16", "bf16"), ("int4", "gptq-int4"), ("FP32", "f32"),
                                       ("q4_k", "q4_k_m"), ("load_in_4bit", "nf4"), ("awq", "awq-int4"),
                                       ("IQ2_XXS", "iq2_xxs"), ("gptq_int4", "gptq-int4")])
def test_names_and_aliases(name, fid):
    assert get_format(name).id == fid


def test_unknown_format_names_the_nearest():
    with pytest.raises(UnknownNameError) as e:
        get_format("q4_k_mm")
    assert "q4_k_m" in str(e.value)


def test_every_llama_cpp_file_type_is_a_format_for_llama_cpp_and_ollama():
    ids = {f.id for f in all_formats()}
    for fid in ("q8_0", "q6_k", "q5_k_m", "q5_k_s", "q5_0", "q5_1", "q4_k_m", "q4_k_s", "q4_0", "q4_1", "q3_k_l",
                "q3_k_m", "q3_k_s", "q2_k", "q2_k_s", "iq4_xs", "iq4_nl", "iq3_m", "iq3_xxs", "iq2_m", "iq2_xs",
                "iq2_xxs", "iq1_m", "iq1_s", "tq1_0", "tq2_0"):
        assert fid in ids
        assert get_format(fid).runtimes == ("llama.cpp", "ollama")
    assert len(ids) == len(all_formats())
    for f in all_formats():
        assert f.description and f.source and f.runtimes and f.bits > 0


# -- bits per weight of the schemes ------------------------------------------------------------------------

def test_nf4_is_4_5_bits_and_double_quant_4_127_as_in_qlora():
    assert storage_bits("nf4") == pytest.approx(OTHER["bitsandbytes NF4 (QLoRA), blocksize 64, fp32 absmax"]
                                                ["bits_per_weight"], abs=1e-4)
    dq = OTHER["bitsandbytes NF4 + double quantization (8-bit constants, second-level block 256, fp32)"]
    assert storage_bits("nf4-dq") == pytest.approx(dq["bits_per_weight"], abs=1e-3)


def test_gptq_g128_is_4_15625_bits_plus_its_g_idx():
    ref = OTHER["GPTQ 4-bit, group_size 128 (AutoGPTQ QuantLinear)"]["bits_per_weight"]
    for out in (4096, 14336):
        assert storage_bits("gptq-int4", out, 4096) == pytest.approx(ref + 32 / out)


def test_awq_fp8_block_and_mxfp4_bits():
    assert storage_bits("awq-int4") == OTHER["AWQ 4-bit, group_size 128 (AutoAWQ WQLinear_GEMM)"]["bits_per_weight"]
    assert storage_bits("fp8-block") == OTHER["FP8 E4M3 with 128x128 block scales (DeepSeek-V3 native)"]["bits_per_weight"]
    assert storage_bits("mxfp4") == OTHER["MXFP4 (gpt-oss native)"]["bits_per_weight"]


def test_gptq_buffers_are_autogptq_s():
    """qweight int32 (in/32*4, out), qzeros int32 (in/128, out/32*4), scales fp16 (in/128, out), g_idx int32 (in)."""
    out, inp = 4096, 11008
    expected = (inp // 32 * 4) * out * 4 + (inp // 128) * (out // 32 * 4) * 4 + (inp // 128) * out * 2 + inp * 4
    assert quantized_matrix_bytes(get_format("gptq-int4"), out, inp) == expected


def test_llm_int8_stores_one_fp32_scale_per_row():
    assert quantized_matrix_bytes(get_format("int8"), 4096, 1024) == 4096 * 1024 + 4096 * 4


# -- which tensors stay in high precision -------------------------------------------------------------------

def test_hf_schemes_keep_embeddings_head_norms_and_router_in_16_bit(mixtral):
    for fid in ("nf4", "gptq-int4", "awq-int4", "fp8", "int8"):
        st_ = {s.name: s for s in tensor_storage(mixtral, fid)}
        assert st_["token_embd.weight"].storage == get_format(fid).params["dtype"].lower()
        assert st_["output.weight"].storage in ("bf16", "f16")
        assert st_["blk.0.attn_norm.weight"].storage in ("bf16", "f16")
        assert st_["blk.0.ffn_gate_inp.weight"].storage in ("bf16", "f16")
        assert st_["blk.0.ffn_down_exps.weight"].storage == fid
        assert st_["blk.0.attn_q.weight"].storage == fid


def test_mxfp4_quantises_only_the_experts_of_a_moe_model(mixtral, llama3):
    st_ = {s.name: s.storage for s in tensor_storage(mixtral, "mxfp4")}
    assert st_["blk.3.ffn_up_exps.weight"] == "mxfp4" and st_["blk.3.attn_q.weight"] == "bf16"
    assert {s.name: s.storage for s in tensor_storage(llama3, "mxfp4")}["blk.3.attn_q.weight"] == "mxfp4"


def test_storage_is_aligned_with_the_inventory(llama3):
    for fid in ("q4_k_m", "nf4", "bf16", "gptq-int4"):
        storage = tensor_storage(llama3, fid)
        assert [s.name for s in storage] == [t.name for t in inventory(llama3)]


def test_weight_bytes_breakdown_adds_up(llama3):
    wb = weight_bytes(llama3, "q4_k_m")
    assert sum(wb.by_component.values()) == wb.total == sum(wb.by_layer) + wb.outside_layers
    assert len(wb.by_layer) == 32


def test_vllm_bf16_llama_3_1_8b_is_within_1_percent_of_its_log(llama3):
    """vLLM: 'Loading model weights took 14.99 GiB' (runtime-measurements.json, vllm)."""
    assert weight_bytes(llama3, "bf16", runtime="vllm").total / GIB == pytest.approx(14.99, rel=0.01)


def test_float_formats_follow_the_runtime(llama3):
    hf = weight_bytes(llama3, "f16", runtime="transformers")
    gguf = weight_bytes(llama3, "f16", runtime="llama.cpp")
    assert gguf.total > hf.total                       # llama.cpp keeps the norms in F32
    assert hf.bits_per_weight == 16.0
    with pytest.raises(UnknownNameError):
        weight_bytes(llama3, "f16", runtime="tensorrt")


# -- properties ---------------------------------------------------------------------------------------------

FORMATS = [f for f in all_formats()]


@settings(max_examples=40, deadline=None)
@given(out=st.integers(4, 64).map(lambda k: 256 * k), inp=st.integers(4, 64).map(lambda k: 256 * k),
       a=st.sampled_from(FORMATS), b=st.sampled_from(FORMATS))
def test_fewer_bits_never_means_more_bytes_for_the_same_tensor(out, inp, a, b):
    if storage_bits(a) + 0.05 < storage_bits(b):
        assert matrix_bytes(a, out, inp) <= matrix_bytes(b, out, inp)


# -- KV cache -----------------------------------------------------------------------------------------------

def test_kv_cache_types_are_llama_cpp_s_and_vllm_s():
    assert set(KV_CACHE_TYPES) == {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1",
                                   "fp8", "fp8_e4m3", "fp8_e5m2"}


def test_kv_row_bytes():
    assert kv_row_bytes("f16", 1024) == 2048          # Llama-3-8B: 8 kv heads x 128
    assert kv_row_bytes("q8_0", 1024) == 32 * 34
    assert kv_row_bytes("q4_0", 1024) == 32 * 18
    assert kv_row_bytes("fp8", 1024) == 1024


def test_kv_row_that_is_not_whole_blocks_names_both_numbers():
    with pytest.raises(PlannerError, match=r"32.*100|100.*32"):
        kv_row_bytes("q4_0", 100)
    with pytest.raises(UnknownNameError):
        kv_row_bytes("q3_k", 1024)

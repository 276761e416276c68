"""Exact counts from weight headers: real-family checkpoints written by transformers and GGUF files written the
way llama.cpp's converter writes them give transformers' own count, with no weight loaded."""
import json

import numpy as np
import pytest

from conftest import run_cli
from llmplanner.cli import main
from llmplanner.core.errors import HeaderError
from llmplanner.core.gguf_header import read_gguf_header
from llmplanner.core.hf_config import load_config
from llmplanner.core.params import count_params
from llmplanner.core.safetensors_header import read_safetensors_header
from llmplanner.core.weight_headers import load_gguf_model, load_safetensors_model
from weights_factory import CONFIGS, GGUF_ARCH, build, save_tiny_model, write_gguf

FAMILIES = list(CONFIGS)


# -- safetensors ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES)
def test_sharded_checkpoint_count_equals_transformers(tmp_path, family):
    truth = save_tiny_model(tmp_path, family, shard="40KB")
    assert (tmp_path / "model.safetensors.index.json").exists()
    model = load_safetensors_model(tmp_path)
    assert model.header_params == truth
    assert model.header_info["architecture_params"] == truth
    assert model.header_info["matches_architecture"] is True
    assert len(model.header_info["files"]) > 1
    # the index itself is accepted too
    assert load_safetensors_model(tmp_path / "model.safetensors.index.json").header_params == truth


@pytest.mark.parametrize("family", ["llama", "qwen2", "mixtral", "gpt2"])
def test_single_file_written_by_save_file(tmp_path, family):
    truth = save_tiny_model(tmp_path, family, how="save_file")
    model = load_safetensors_model(tmp_path / "model.safetensors")
    assert model.header_params == truth == count_params(model.architecture).total
    assert model.header_info["metadata"]["file.format"] == "pt"


def test_per_dtype_counts_and_bytes(tmp_path):
    import torch
    from safetensors.torch import save_file

    model, _ = build("llama")
    state = {k: v.to(torch.bfloat16) for k, v in model.state_dict().items()}
    state["model.norm.weight"] = state["model.norm.weight"].float()
    save_file(state, str(tmp_path / "model.safetensors"))
    info = load_safetensors_model(tmp_path / "model.safetensors").header_info
    assert info["dtypes"]["F32"] == {"tensors": 1, "elements": 64, "bytes": 256}
    bf16 = info["dtypes"]["BF16"]
    assert bf16["bytes"] == 2 * bf16["elements"] and bf16["tensors"] == len(state) - 1
    assert info["tensor_bytes"] == bf16["bytes"] + 256
    assert info["file_bytes"] == (tmp_path / "model.safetensors").stat().st_size


def test_our_header_reader_agrees_with_the_safetensors_package(tmp_path):
    from safetensors import safe_open

    save_tiny_model(tmp_path, "mixtral", how="save_file")
    path = tmp_path / "model.safetensors"
    ours = read_safetensors_header(path).by_name()
    with safe_open(str(path), "np") as f:
        assert set(f.keys()) == set(ours)
        for name in f.keys():
            assert tuple(f.get_slice(name).get_shape()) == ours[name].shape


def _add(path, extra: dict):
    """Rewrite a safetensors file with extra tensors (numpy arrays) appended."""
    from safetensors.numpy import load_file, save_file

    state = load_file(str(path))
    state.update(extra)
    save_file(state, str(path))


def test_buffers_in_old_checkpoints_are_not_counted(tmp_path):
    """GPT-2/GPT-NeoX checkpoints carry the causal mask (attn.bias, masked_bias), old Llama ones inv_freq."""
    truth = save_tiny_model(tmp_path, "gpt2", how="save_file")
    _add(tmp_path / "model.safetensors", {
        "h.0.attn.bias": np.ones((1, 1, 128, 128), np.float32), "h.0.attn.masked_bias": np.array(-1e4, np.float32),
        "h.1.attn.bias": np.ones((1, 1, 128, 128), np.float32)})
    model = load_safetensors_model(tmp_path)
    assert model.header_params == truth
    assert model.header_info["skipped"]["buffer"]["tensors"] == 3
    assert model.header_info["matches_architecture"] is True


def test_rotary_inv_freq_and_position_ids_are_buffers(tmp_path):
    truth = save_tiny_model(tmp_path, "llama", how="save_file")
    _add(tmp_path / "model.safetensors", {f"model.layers.{i}.self_attn.rotary_emb.inv_freq": np.ones(8, np.float32)
                                          for i in range(2)})
    assert load_safetensors_model(tmp_path).header_params == truth


def test_multi_token_prediction_layer_is_not_counted(tmp_path):
    """DeepSeek-V3 ships layer 61 (its MTP module) after num_hidden_layers = 61; transformers does not build it."""
    from safetensors.numpy import load_file

    truth = save_tiny_model(tmp_path, "deepseek_v3", how="save_file")
    state = load_file(str(tmp_path / "model.safetensors"))
    mtp = {k.replace("model.layers.2.", "model.layers.3."): v for k, v in state.items() if "layers.2." in k}
    mtp["model.layers.3.eh_proj.weight"] = np.zeros((64, 128), np.float32)
    _add(tmp_path / "model.safetensors", mtp)
    model = load_safetensors_model(tmp_path)
    assert model.header_params == truth
    # the MTP block's own router score bias is reported as the buffer it is, with those of the 2 MoE layers
    assert model.header_info["skipped"]["mtp"]["tensors"] == len(mtp) - 1
    assert model.header_info["skipped"]["buffer"]["tensors"] == 3


def test_tied_embedding_stored_twice_counts_once(tmp_path):
    from safetensors.numpy import load_file

    truth = save_tiny_model(tmp_path, "qwen2", how="save_file")
    state = load_file(str(tmp_path / "model.safetensors"))
    _add(tmp_path / "model.safetensors", {"lm_head.weight": state["model.embed_tokens.weight"].copy()})
    model = load_safetensors_model(tmp_path)
    assert model.header_params == truth
    assert model.header_info["skipped"]["tied"]["tensors"] == 1


def _quantised_llama(folder, method: str, *, with_config_bits=True, with_g_idx=True):
    """A tiny Llama quantised to 4 bits the way GPTQ, AWQ, FP8 or bitsandbytes checkpoints store it (the shapes
    and dtypes of AutoGPTQ QuantLinear, AutoAWQ WQLinear_GEMM, DeepSeek-V3 FP8, bnb Params4bit)."""
    from safetensors.numpy import save_file

    model, cfg = build("llama")
    truth = sum(p.numel() for p in model.parameters())
    state, group = {}, 32
    for name, p in model.state_dict().items():
        a = p.detach().numpy()
        if a.ndim != 2 or "embed" in name or "lm_head" in name:
            state[name] = a.astype(np.float16)
            continue
        out, inn = a.shape
        base = name[: -len(".weight")]
        if method == "gptq":
            state[base + ".qweight"] = np.zeros((inn * 4 // 32, out), np.int32)
            state[base + ".qzeros"] = np.zeros((inn // group, out * 4 // 32), np.int32)
            state[base + ".scales"] = np.zeros((inn // group, out), np.float16)
            if with_g_idx:
                state[base + ".g_idx"] = np.zeros(inn, np.int32)
        elif method == "awq":
            state[base + ".qweight"] = np.zeros((inn, out * 4 // 32), np.int32)
            state[base + ".qzeros"] = np.zeros((inn // group, out * 4 // 32), np.int32)
            state[base + ".scales"] = np.zeros((inn // group, out), np.float16)
        elif method == "fp8":
            import torch

            state[name] = torch.zeros((out, inn), dtype=torch.float8_e4m3fn)
            state[base + ".weight_scale_inv"] = torch.ones((1, 1), dtype=torch.float32)
            continue
        elif method == "bnb4":
            state[name] = np.zeros((out * inn // 2, 1), np.uint8)
            state[name + ".absmax"] = np.zeros(out * inn // 64, np.float32)
            state[name + ".quant_map"] = np.zeros(16, np.float32)
            state[name + ".quant_state.bitsandbytes__nf4"] = np.zeros(90, np.uint8)
    if method == "fp8":
        import torch
        from safetensors.torch import save_file as save_torch

        save_torch({k: (v if isinstance(v, torch.Tensor) else torch.from_numpy(v)) for k, v in state.items()},
                   str(folder / "model.safetensors"))
    else:
        save_file(state, str(folder / "model.safetensors"))
    config = {k: v for k, v in cfg.items()}
    if with_config_bits and method in ("gptq", "awq"):
        config["quantization_config"] = {"quant_method": method, "bits": 4, "group_size": group}
    (folder / "config.json").write_text(json.dumps(config))
    return truth


@pytest.mark.parametrize("method, kw", [
    ("gptq", {}), ("gptq", {"with_config_bits": False}), ("gptq", {"with_config_bits": False, "with_g_idx": False}),
    ("awq", {}), ("awq", {"with_config_bits": False}), ("fp8", {}), ("bnb4", {}),
])
def test_quantised_checkpoints_count_real_parameters(tmp_path, method, kw):
    truth = _quantised_llama(tmp_path, method, **kw)
    model = load_safetensors_model(tmp_path)
    assert model.header_params == truth
    assert model.header_info["matches_architecture"] is True
    assert model.header_info["skipped"].get("quantization", {}).get("tensors", 0) > 0


def test_without_config_the_header_count_and_patterns_remain(tmp_path):
    truth = save_tiny_model(tmp_path, "qwen3_moe", how="save_pretrained")
    (tmp_path / "config.json").unlink()
    model = load_safetensors_model(tmp_path)
    assert model.architecture is None and model.header_params == truth
    patterns = model.header_info["patterns"]
    assert patterns["model.layers.{i}.self_attn.q_proj.weight"]["tensors"] == 2
    assert patterns["model.layers.{i}.mlp.experts.{e}.up_proj.weight"]["tensors"] == 2 * 4
    assert sum(p["params"] for p in patterns.values()) == truth
    assert model.header_info["breakdown"]["experts"] > 0


def test_config_that_does_not_match_the_weights_names_the_difference(tmp_path):
    save_tiny_model(tmp_path, "llama", how="save_file")
    cfg = json.loads((tmp_path / "config.json").read_text())
    cfg["num_hidden_layers"] = 3
    cfg["intermediate_size"] = 100
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    model = load_safetensors_model(tmp_path)
    info = model.header_info
    assert info["matches_architecture"] is False
    names = {d["tensor"] for d in info["differences"]}
    assert "blk.*.ffn_down.weight" in names and "blk.*.attn_q.weight" in names
    assert any("fewer than the architecture" in n for n in model.notes)


def test_cli_reports_the_header_count(tmp_path, capsys):
    truth = save_tiny_model(tmp_path, "mixtral", shard="40KB")
    assert main(["estimate", "--safetensors", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["params"]["total"] == truth and out["header"]["matches_architecture"] is True
    assert main(["estimate", str(tmp_path / "model.safetensors.index.json")]) == 0
    assert f"{truth:,}" in capsys.readouterr().out


def test_cli_without_config_prints_the_header_count(tmp_path, capsys):
    truth = save_tiny_model(tmp_path, "llama", how="save_file")
    (tmp_path / "config.json").unlink()
    assert main(["estimate", str(tmp_path / "model.safetensors"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["params"]["total"] == out["params"]["active"] == truth
    assert out["model"]["layers"] is None and out["flops_per_token"] is None
    assert main(["estimate", str(tmp_path / "model.safetensors")]) == 0
    assert "architecture unknown" in capsys.readouterr().out


# -- GGUF -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("family", list(GGUF_ARCH))
def test_gguf_reproduces_architecture_and_count(tmp_path, family):
    path = tmp_path / "model.gguf"
    truth = write_gguf(path, family)
    model = load_gguf_model(path)
    from_config = load_config_dict(family)
    arch = model.architecture
    assert model.header_info["matches_architecture"] is True
    if family == "gpt2":  # the converter writes the tied embedding a second time as output.weight
        assert model.header_params == truth + 300 * 64
        assert any("twice" in n for n in model.notes)
    else:
        assert model.header_params == truth == count_params(arch).total
    assert (arch.num_layers, arch.hidden_size, arch.embeddings.vocab_size) == (
        from_config.num_layers, from_config.hidden_size, from_config.embeddings.vocab_size)
    assert (arch.attention.num_heads, arch.attention.num_kv_heads, arch.attention.qk_head_dim) == (
        from_config.attention.num_heads, from_config.attention.num_kv_heads, from_config.attention.qk_head_dim)
    assert arch.attention.kind == from_config.attention.kind
    assert (arch.moe is None) == (from_config.moe is None)
    if arch.moe:
        assert (arch.moe.num_experts, arch.moe.experts_per_token, arch.sparse_layers) == (
            from_config.moe.num_experts, from_config.moe.experts_per_token, from_config.sparse_layers)
    assert arch.family == from_config.family or (family, arch.family) == ("mixtral", "llama")


def load_config_dict(family):
    from llmplanner.core.hf_config import architecture_from_config

    return architecture_from_config(dict(CONFIGS[family]))


def test_gguf_keeps_per_tensor_types_file_type_and_sizes(tmp_path):
    import gguf

    path = tmp_path / "q8.gguf"
    truth = write_gguf(path, "llama", qtype=gguf.GGMLQuantizationType.Q8_0)
    info = load_gguf_model(path).header_info
    assert info["file_type"] == {"id": 7, "name": "Q8_0"}
    q8 = info["ggml_types"]["Q8_0"]
    assert q8["bytes"] == q8["elements"] // 32 * 34  # ggml block_q8_0: 32 weights in 34 bytes
    assert sum(t["bytes"] for t in info["tensors"]) == info["tensor_bytes"] <= info["file_bytes"]
    assert info["file_bytes"] == path.stat().st_size
    by_name = {t["name"]: t for t in info["tensors"]}
    assert by_name["blk.0.attn_q.weight"]["type"] == "Q8_0" and by_name["blk.0.attn_norm.weight"]["type"] == "F32"
    assert sum(v["elements"] for v in info["ggml_types"].values()) == truth
    # per-tensor (name, ggml type) pairs, as the memory engine reads them
    assert dict(info["tensor_types"])["blk.1.ffn_down.weight"] == "Q8_0"


def test_estimate_of_a_gguf_uses_its_file_type_and_real_tensor_types(tmp_path, capsys):
    import gguf

    path = tmp_path / "q8.gguf"
    write_gguf(path, "llama", qtype=gguf.GGMLQuantizationType.Q8_0)
    assert main(["estimate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "q8_0"
    # every stored tensor is in the inventory, so the weights are exactly the file's tensor bytes
    assert out["memory"]["weights_bytes"] == out["header"]["tensor_bytes"]


def test_our_gguf_reader_agrees_with_gguf_reader(tmp_path):
    import gguf

    path = tmp_path / "m.gguf"
    write_gguf(path, "qwen3_moe", qtype=gguf.GGMLQuantizationType.Q8_0)
    ours = read_gguf_header(path)
    ref = gguf.GGUFReader(path)
    assert ours.data_offset == ref.data_offset
    assert [t.name for t in ours.tensors] == [t.name for t in ref.tensors]
    for a, b in zip(ours.tensors, ref.tensors):
        assert a.shape == tuple(int(x) for x in reversed(b.shape.tolist()))
        assert (a.dtype, a.nbytes, ours.data_offset + a.offset) == (b.tensor_type.name, b.n_bytes, b.data_offset)
    assert ours.metadata["qwen3moe.expert_count"] == ref.fields["qwen3moe.expert_count"].contents()


def test_split_gguf_is_read_across_its_files(tmp_path):
    truth = write_gguf(tmp_path / "tiny.gguf", "llama", split_max_tensors=8)
    splits = sorted(tmp_path.glob("tiny-*-of-*.gguf"))
    assert len(splits) == 3
    model = load_gguf_model(splits[0])
    assert model.header_params == truth and len(model.header_info["files"]) == 3
    splits[2].unlink()
    with pytest.raises(HeaderError, match="missing"):
        load_gguf_model(splits[0])


def test_big_endian_gguf(tmp_path):
    truth = write_gguf(tmp_path / "be.gguf", "llama", big_endian=True)
    model = load_gguf_model(tmp_path / "be.gguf")
    assert model.header_params == truth and model.header_info["byte_order"] == "big"


def test_multi_token_prediction_blocks_in_gguf(tmp_path):
    """llama.cpp stores nextn (MTP) blocks after the layers and says so in {arch}.nextn_predict_layers."""
    import gguf

    path = tmp_path / "m.gguf"
    w = gguf.GGUFWriter(path, "llama")
    w.add_block_count(2)
    w.add_uint32("llama.nextn_predict_layers", 1)
    w.add_embedding_length(8)
    w.add_head_count(2)
    w.add_feed_forward_length(16)
    for name, shape in [("token_embd.weight", (10, 8)), ("output_norm.weight", (8,)), ("output.weight", (10, 8))]:
        w.add_tensor(name, np.zeros(shape, np.float32))
    for i in range(2):
        for role, shape in [("attn_norm", (8,)), ("attn_q", (8, 8)), ("attn_k", (8, 8)), ("attn_v", (8, 8)),
                            ("attn_output", (8, 8)), ("ffn_norm", (8,)), ("ffn_gate", (16, 8)),
                            ("ffn_up", (16, 8)), ("ffn_down", (8, 16))]:
            w.add_tensor(f"blk.{i}.{role}.weight", np.zeros(shape, np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    model = load_gguf_model(path)
    layer = 2 * 8 + 4 * 64 + 3 * 128
    assert model.architecture.num_layers == 1
    assert model.header_params == 80 + 8 + 80 + layer
    assert model.header_info["skipped"]["mtp"]["tensors"] == 9


def test_cli_gguf_positional_and_flag(tmp_path, capsys):
    path = tmp_path / "m.gguf"
    truth = write_gguf(path, "qwen3_moe")
    assert main(["estimate", str(path), "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["estimate", "--gguf", str(path), "--json"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a["params"] == b["params"] and a["params"]["total"] == truth
    assert a["params"]["active"] < truth and a["header"]["file_type"]["name"] == "F16"


def test_cli_gguf_subprocess_table(tmp_path):
    path = tmp_path / "m.gguf"
    truth = write_gguf(path, "llama")
    p = run_cli("estimate", str(path))
    assert p.returncode == 0, p.stderr
    assert f"{truth:,}" in p.stdout and "header count equals the architecture's count" in p.stdout



# -- a real checkpoint's header, rebuilt tensor by tensor -------------------------------------------------

def deepseek_v3_checkpoint():
    """The tensor list of deepseek-ai/DeepSeek-V3's safetensors (names, shapes, dtypes as the checkpoint stores
    them: FP8 E4M3 linear weights each with a float32 128x128-block ``weight_scale_inv``, BF16 embeddings, norms
    and routers, float32 ``e_score_correction_bias``, and the multi-token-prediction layer 61 with its own
    embed_tokens, enorm, hnorm, eh_proj and shared_head)."""
    from math import ceil

    from llmplanner.core.safetensors_header import HeaderTensor

    h, vocab, experts, heads = 7168, 129280, 256, 128
    size = {"F8_E4M3": 1, "BF16": 2, "F32": 4}
    out = []

    def add(name, shape, dtype):
        n = 1
        for d in shape:
            n *= d
        out.append(HeaderTensor(name, tuple(shape), dtype, n * size[dtype], "model.safetensors"))

    def fp8(name, o, i):
        add(name, (o, i), "F8_E4M3")
        add(name + "_scale_inv", (ceil(o / 128), ceil(i / 128)), "F32")

    add("model.embed_tokens.weight", (vocab, h), "BF16")
    for i in range(62):
        p = f"model.layers.{i}."
        add(p + "input_layernorm.weight", (h,), "BF16")
        add(p + "post_attention_layernorm.weight", (h,), "BF16")
        fp8(p + "self_attn.q_a_proj.weight", 1536, h)
        add(p + "self_attn.q_a_layernorm.weight", (1536,), "BF16")
        fp8(p + "self_attn.q_b_proj.weight", heads * 192, 1536)
        fp8(p + "self_attn.kv_a_proj_with_mqa.weight", 576, h)
        add(p + "self_attn.kv_a_layernorm.weight", (512,), "BF16")
        fp8(p + "self_attn.kv_b_proj.weight", heads * 256, 512)
        fp8(p + "self_attn.o_proj.weight", h, heads * 128)
        if i < 3:
            for proj, o, inp in (("gate_proj", 18432, h), ("up_proj", 18432, h), ("down_proj", h, 18432)):
                fp8(p + f"mlp.{proj}.weight", o, inp)
            continue
        add(p + "mlp.gate.weight", (experts, h), "BF16")
        add(p + "mlp.gate.e_score_correction_bias", (experts,), "F32")
        for e in [f"experts.{k}" for k in range(experts)] + ["shared_experts"]:
            for proj, o, inp in (("gate_proj", 2048, h), ("up_proj", 2048, h), ("down_proj", h, 2048)):
                fp8(p + f"mlp.{e}.{proj}.weight", o, inp)
        if i == 61:
            for name in ("enorm", "hnorm", "shared_head.norm"):
                add(p + name + ".weight", (h,), "BF16")
            add(p + "eh_proj.weight", (h, 2 * h), "BF16")
            add(p + "embed_tokens.weight", (vocab, h), "BF16")
            add(p + "shared_head.head.weight", (vocab, h), "BF16")
    add("model.norm.weight", (h,), "BF16")
    add("lm_head.weight", (vocab, h), "BF16")
    return out


def test_deepseek_v3_checkpoint_header_gives_the_transformers_count():
    """The rebuilt header holds exactly what the Hub's API reports for deepseek-ai/DeepSeek-V3 (safetensors.parameters
    BF16 3,918,786,560, F8_E4M3 680,571,043,840, F32 41,555,600; total 684,531,386,000); under transformers'
    convention (no MTP layer, no FP8 scales, no router score buffers) that is 671,026,404,352."""
    from llmplanner.core.presets import find_preset
    from llmplanner.core.safetensors_header import SafetensorsHeader
    from llmplanner.core.weight_headers import model_from_safetensors_header

    tensors = deepseek_v3_checkpoint()
    header = SafetensorsHeader(path="deepseek-ai/DeepSeek-V3", folder="deepseek-ai/DeepSeek-V3",
                               files=("model.safetensors",), tensors=tuple(tensors), file_bytes=0)
    preset = find_preset("DeepSeek-V3")
    model = model_from_safetensors_header(header, preset.architecture(), preset.config, config_source="preset",
                                          source_kind="safetensors", source="deepseek-ai/DeepSeek-V3")
    info = model.header_info
    assert {k: v["elements"] for k, v in info["dtypes"].items()} == {
        "BF16": 3_918_786_560, "F8_E4M3": 680_571_043_840, "F32": 41_555_600}
    assert model.header_params == 671_026_404_352 == info["architecture_params"]
    assert info["matches_architecture"] is True
    assert info["skipped"]["quantization"]["elements"] == 41_540_496  # every FP8 block scale, the MTP layer's too
    assert info["skipped"]["buffer"]["elements"] == 59 * 256
    assert info["params_by_dtype"] == {"F8_E4M3": 669_065_609_216, "BF16": 1_960_795_136}

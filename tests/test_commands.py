"""Ready-to-run commands carry the flags each tool documents, with the engines' values."""
import shlex

from llmplanner.core.commands import (IMATRIX_REQUIRED, ModelRef, llama_cpp_command, model_ref, ollama_command,
                                      run_commands, transformers_command, vllm_command)
from llmplanner.core.estimate import EstimateRequest
from llmplanner.core.layouts import smallest_layout
from llmplanner.core.plan import ModelSource
from llmplanner.core.presets import find_preset
from llmplanner.core.recommend import evaluate
from llmplanner.core.target import target_from_catalogue

GIB = 1 << 30
REF = ModelRef("Llama-3-8B", hf_repo="meta-llama/Meta-Llama-3-8B")


def option(fmt, gpu="RTX 4090", runtime="llama.cpp", model="Llama-3-8B", kv=None, fa=False, ram=64 * GIB):
    target = target_from_catalogue(gpu, ram_bytes=ram) if gpu else target_from_catalogue(None, ram_bytes=ram)
    req = EstimateRequest(arch=find_preset(model).architecture(), runtime=runtime, context=8192, kv_format=kv,
                          flash_attention=fa)
    return evaluate(req, target, fmt, with_context=False)


def server_args(text):
    line = next(l for l in text.splitlines() if l.startswith("llama-server"))
    words = shlex.split(line)
    return {words[i]: words[i + 1] for i in range(1, len(words) - 1) if words[i].startswith("-")}


def test_llama_server_gets_the_file_the_layers_the_context_and_flash_attention():
    o = option("q4_k_m")
    c = llama_cpp_command(REF, o)
    args = server_args(c.text)
    assert args["-m"] == "Llama-3-8B-Q4_K_M.gguf" and args["-c"] == "8192" and args["-fa"] == "off"
    assert args["-ngl"] == str(o.gpu_layers) == "33"  # 32 layers and the output layer
    assert "llama-quantize Llama-3-8B-BF16.gguf Llama-3-8B-Q4_K_M.gguf Q4_K_M" in c.text
    assert "hf download meta-llama/Meta-Llama-3-8B" in c.text


def test_a_quantised_cache_turns_flash_attention_on():
    args = server_args(llama_cpp_command(REF, option("q4_k_m", kv="q8_0")).text)
    assert args["--cache-type-k"] == args["--cache-type-v"] == "q8_0" and args["-fa"] == "on"


def test_partial_offload_and_cpu_only_set_ngl_to_the_fits_answer():
    o = option("q8_0", gpu="RTX 4060", model="Llama-3.1-70B", ram=128 * GIB)
    assert o.verdict == "partial"
    assert server_args(llama_cpp_command(REF, o).text)["-ngl"] == str(o.gpu_layers)
    cpu = option("q4_k_m", gpu=None, ram=32 * GIB)
    assert cpu.verdict == "cpu" and server_args(llama_cpp_command(REF, cpu).text)["-ngl"] == "0"


def test_parallel_sequences_share_the_context():
    args = server_args(llama_cpp_command(REF, option("q4_k_m"), batch=4).text)
    assert args["-np"] == "4" and args["-c"] == str(4 * 8192)


def test_formats_llama_quantize_refuses_without_an_importance_matrix_get_one():
    for fmt in IMATRIX_REQUIRED:
        text = llama_cpp_command(REF, option(fmt)).text
        assert "llama-imatrix" in text and "--imatrix imatrix.dat" in text
    assert "llama-imatrix" not in llama_cpp_command(REF, option("q4_k_m")).text
    assert "llama-quantize" not in llama_cpp_command(REF, option("q8_0")).text  # convert writes Q8_0 itself


def test_a_multi_node_llama_cpp_layout_uses_the_rpc_backend():
    req = EstimateRequest(arch=find_preset("Llama-3.1-405B").architecture(), weight_format="q4_k_m", context=8192)
    lay = smallest_layout(req, "RTX 4090").layout
    c = llama_cpp_command(REF, option("q4_k_m"), layout=lay)
    assert server_args(c.text)["--rpc"].count(":50052") == lay.nodes - 1
    assert any("rpc-server" in n for n in c.notes)


def test_an_existing_gguf_is_served_as_it_is():
    c = llama_cpp_command(ModelRef("x", gguf_path="/models/x Q4.gguf"), option("q4_k_m"))
    assert server_args(c.text)["-m"] == "/models/x Q4.gguf" and "convert" not in c.text


def test_ollama_modelfile_sets_context_and_gpu_layers():
    o = option("q4_k_m", kv="q8_0")
    text = ollama_command(REF, o).text
    assert "FROM ./Llama-3-8B-Q4_K_M.gguf" in text
    assert "PARAMETER num_ctx 8192" in text and f"PARAMETER num_gpu {o.gpu_layers}" in text
    assert "OLLAMA_KV_CACHE_TYPE=q8_0" in text and "OLLAMA_FLASH_ATTENTION=1" in text
    assert "ollama create llama-3-8b-q4_k_m -f Modelfile" in text


def test_vllm_serve_flags():
    text = vllm_command(REF, option("bf16", runtime="vllm")).text
    words = shlex.split(text.replace("\\\n", " "))
    assert words[:3] == ["vllm", "serve", "meta-llama/Meta-Llama-3-8B"]
    args = {words[i]: words[i + 1] for i in range(3, len(words), 2)}
    assert args == {"--max-model-len": "8192", "--gpu-memory-utilization": "0.90", "--tensor-parallel-size": "1",
                    "--dtype": "bfloat16"}
    nf4 = vllm_command(REF, option("nf4", runtime="vllm")).text
    assert "--quantization bitsandbytes" in nf4
    awq = vllm_command(REF, option("awq-int4", runtime="vllm")).text
    assert "<a AWQ 4-bit (g128) checkpoint of meta-llama/Meta-Llama-3-8B>" in awq


def test_vllm_tensor_and_pipeline_parallel_sizes_come_from_the_layout():
    req = EstimateRequest(arch=find_preset("Llama-3.1-405B").architecture(), runtime="vllm", weight_format="bf16",
                          context=8192)
    lay = smallest_layout(req, "H100 SXM").layout
    text = vllm_command(REF, option("bf16", runtime="vllm"), layout=lay).text
    assert "--tensor-parallel-size 8" in text and "--pipeline-parallel-size 2" in text


def test_transformers_snippet_is_valid_python_with_the_quantisation_config():
    o = option("nf4", runtime="transformers")
    c = transformers_command(REF, o)
    compile(c.text, "<snippet>", "exec")
    assert 'device_map="auto"' in c.text and "dtype=torch.bfloat16" in c.text
    assert "BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type='nf4'" in c.text
    int8 = transformers_command(REF, option("int8", runtime="transformers")).text
    assert "BitsAndBytesConfig(load_in_8bit=True)" in int8
    cpu = transformers_command(REF, option("bf16", runtime="transformers", gpu=None, ram=64 * GIB)).text
    assert 'device_map="cpu"' in cpu


def test_each_runtime_gets_its_own_command_and_its_siblings():
    tools = [c.tool for c in run_commands(REF, option("q4_k_m"))]
    assert tools == ["llama.cpp", "ollama"]
    tools = [c.tool for c in run_commands(REF, option("bf16", runtime="vllm"))]
    assert tools == ["vllm", "transformers"]


def test_model_sources_map_to_where_the_files_are():
    assert model_ref(ModelSource.preset("Llama-3-8B"), "Llama-3-8B").hf_repo == "meta-llama/Meta-Llama-3-8B"
    assert model_ref(ModelSource("hf-repo", "Qwen/Qwen3-8B"), "Qwen3-8B").checkpoint == "Qwen/Qwen3-8B"
    assert model_ref(ModelSource("config", "/m/llama/config.json"), "x").local_path == "/m/llama"
    assert model_ref(ModelSource("gguf", "/m/x.gguf"), "x").gguf_path == "/m/x.gguf"


def test_an_option_that_does_not_run_gets_the_commands_of_the_layout_that_holds_it():
    from llmplanner.core.commands import commands_for

    target = target_from_catalogue("RTX 4090", ram_bytes=64 * GIB)
    o = option("bf16", runtime="vllm", model="Llama-3.1-70B")
    assert o.verdict == "no"
    assert commands_for(REF, o, target) == ("none", ())
    req = EstimateRequest(arch=find_preset("Llama-3.1-70B").architecture(), runtime="vllm", weight_format="bf16",
                          context=8192)
    lay = smallest_layout(req, "RTX 4090").layout
    where, cmds = commands_for(REF, o, target, layout=lay)
    assert where == "layout" and f"--tensor-parallel-size {lay.tensor_parallel}" in cmds[0].text
    runs = option("q4_k_m")
    where, cmds = commands_for(REF, runs, target_from_catalogue("RTX 4090", 2, 64 * GIB))
    assert where == "machine" and "--split-mode layer" in cmds[0].text

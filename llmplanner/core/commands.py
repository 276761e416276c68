"""Ready-to-run commands for a chosen format on a machine: llama.cpp, Ollama, vLLM and transformers.

Every flag comes from the tool's documentation or source (``SOURCES``); the values come from the engines'
answer for the chosen option (``recommend.FormatOption``: the layers on the GPU, the context, the cache type)
and the layout (``layouts.Layout``: tensor and pipeline parallel sizes, GPUs over nodes).

- llama.cpp: ``convert_hf_to_gguf.py`` (``--outtype`` f32, f16, bf16, q8_0), ``llama-quantize`` for the other
  file types — with an importance matrix (``llama-imatrix``) for IQ1_S, IQ1_M, IQ2_S, IQ2_XXS, IQ2_XS and
  Q2_K_S, which it refuses to make without one (tools/quantize/quantize.cpp) — and ``llama-server`` with
  ``-m``, ``-ngl`` (layers on the GPU; the repeating layers plus the output layer), ``-c`` (the context of all
  slots: ``-np`` parallel sequences share it), ``-fa on|off`` (common/arg.cpp, since 2025 a value is
  required), ``--cache-type-k``/``--cache-type-v`` (a quantised V cache needs flash attention), and the RPC
  backend's ``--rpc host:port,...`` for layers on other machines (tools/rpc/README.md).
- Ollama: a Modelfile ``FROM ./file.gguf`` with ``PARAMETER num_ctx`` (context) and ``PARAMETER num_gpu``
  (layers sent to the GPU), docs/modelfile.md; the server's ``OLLAMA_FLASH_ATTENTION``, ``OLLAMA_KV_CACHE_TYPE``
  and ``OLLAMA_NUM_PARALLEL`` (docs/faq.md).
- vLLM: ``vllm serve <repo> --max-model-len --gpu-memory-utilization --tensor-parallel-size
  --pipeline-parallel-size --dtype --quantization --kv-cache-dtype`` (docs.vllm.ai, engine arguments; in-flight
  ``--quantization bitsandbytes`` for NF4 and ``--quantization fp8`` from a 16-bit checkpoint: features/
  quantization/bnb and /fp8). GPTQ, AWQ, pre-quantised INT8 and block FP8 need a checkpoint made in that format.
- transformers: ``AutoModelForCausalLM.from_pretrained(repo, device_map=..., dtype=..., quantization_config=
  BitsAndBytesConfig(...))`` (docs: quantization/bitsandbytes; ``dtype`` replaced ``torch_dtype`` in 4.56,
  PR #39782), ``max_memory`` per device when layers go to the CPU (accelerate big-model inference).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .formats import get_format

SOURCES = {
    "llama.cpp": "https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md",
    "ollama": "https://github.com/ollama/ollama/blob/main/docs/modelfile.md",
    "vllm": "https://docs.vllm.ai/en/latest/configuration/engine_args.html",
    "transformers": "https://huggingface.co/docs/transformers/quantization/bitsandbytes",
}
TOOLS = ("llama.cpp", "ollama", "vllm", "transformers")
IMATRIX_REQUIRED = frozenset({"iq1_s", "iq1_m", "iq2_s", "iq2_xxs", "iq2_xs", "q2_k_s"})
"""File types ``llama-quantize`` refuses to make without ``--imatrix`` (tools/quantize/quantize.cpp)."""
CONVERT_OUTTYPES = frozenset({"f32", "f16", "bf16", "q8_0"})
"""``convert_hf_to_gguf.py --outtype`` choices that need no llama-quantize step."""
RPC_PORT = 50052
"""``rpc-server``'s default port (tools/rpc/README.md)."""
VLLM_GPU_MEMORY_UTILIZATION = 0.9
"""vLLM's default share of each GPU, which the memory estimate assumes."""


@dataclass(frozen=True)
class ModelRef:
    """Where the model's files come from."""

    name: str
    hf_repo: str | None = None
    local_path: str | None = None
    """A local checkpoint folder (config.json and safetensors)."""
    gguf_path: str | None = None

    @property
    def checkpoint(self) -> str:
        """What vLLM/transformers load: a Hub repo id or a local folder (a placeholder when neither is known)."""
        return self.hf_repo or self.local_path or f"<folder with {self.name}'s checkpoint>"


@dataclass(frozen=True)
class RunCommand:
    tool: str
    title: str
    language: str
    """``shell``, ``python`` or ``modelfile`` (a Modelfile followed by shell lines)."""
    text: str
    notes: tuple[str, ...] = ()
    source: str = ""

    def as_dict(self) -> dict:
        return {"tool": self.tool, "title": self.title, "language": self.language, "text": self.text,
                "notes": list(self.notes), "source": self.source}


def model_ref(source, arch_name: str) -> ModelRef:
    """A ``plan.ModelSource`` as a ``ModelRef``."""
    from pathlib import Path

    kind, value = source.kind, source.value
    if kind == "preset":
        from .presets import find_preset

        return ModelRef(arch_name, hf_repo=find_preset(value).hf_repo)
    if kind == "hf-repo":
        return ModelRef(arch_name, hf_repo=value)
    if kind == "gguf":
        return ModelRef(arch_name, gguf_path=value)
    if kind == "config":
        p = Path(value)
        return ModelRef(arch_name, local_path=str(p.parent if p.name == "config.json" else p))
    if kind == "safetensors":
        p = Path(value)
        return ModelRef(arch_name, local_path=str(p if p.is_dir() else p.parent))
    return ModelRef(arch_name)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "model"


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9._/:@%+=,-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def gguf_name(ref: ModelRef, fmt: str) -> str:
    return ref.gguf_path or f"{_slug(ref.name)}-{get_format(fmt).file_type or fmt.upper()}.gguf"


def _gguf_steps(ref: ModelRef, fmt: str) -> list[str]:
    """Shell lines that make the GGUF (empty when the model is a GGUF already)."""
    if ref.gguf_path:
        return []
    f = get_format(fmt)
    folder = ref.local_path or _slug(ref.hf_repo.split("/")[-1] if ref.hf_repo else ref.name)
    tools = "convert_hf_to_gguf.py" if f.id in CONVERT_OUTTYPES else "convert_hf_to_gguf.py, then llama-quantize"
    lines = [f"# 1. make the GGUF from the checkpoint (llama.cpp's {tools})"]
    if ref.hf_repo and not ref.local_path:
        lines.append(f"hf download {ref.hf_repo} --local-dir {_quote(folder)}")
    target = gguf_name(ref, fmt)
    if f.id in CONVERT_OUTTYPES:
        lines.append(f"python convert_hf_to_gguf.py {_quote(folder)} --outtype {f.id} --outfile {_quote(target)}")
        return lines
    base = f"{_slug(ref.name)}-BF16.gguf"
    lines.append(f"python convert_hf_to_gguf.py {_quote(folder)} --outtype bf16 --outfile {base}")
    if f.id in IMATRIX_REQUIRED:
        lines.append(f"llama-imatrix -m {base} -f calibration.txt -o imatrix.dat   # any representative text")
        lines.append(f"llama-quantize --imatrix imatrix.dat {base} {_quote(target)} {f.file_type}")
    else:
        lines.append(f"llama-quantize {base} {_quote(target)} {f.file_type}")
    return lines


def _gguf_ok(fmt: str) -> bool:
    f = get_format(fmt)
    return f.runs_on("llama.cpp") and bool(f.file_type)


def llama_cpp_command(ref: ModelRef, option, *, batch: int = 1, layout=None) -> RunCommand:
    """``llama-server`` for ``option`` (a ``recommend.FormatOption``)."""
    fmt = option.format
    target = gguf_name(ref, fmt)
    steps = _gguf_steps(ref, fmt)
    ngl = option.gpu_layers if option.verdict in ("fits", "tight", "partial") else 0
    args = ["llama-server", "-m", _quote(target), "-ngl", str(ngl), "-c", str(option.context * max(1, batch)),
            "-fa", "on" if option.flash_attention else "off"]
    notes = []
    if batch > 1:
        args += ["-np", str(batch)]
        notes.append(f"-c is shared by the {batch} parallel sequences (-np): {option.context:,} tokens each")
    kv = option.kv_format
    if kv and kv not in ("f16", "auto"):
        args += ["--cache-type-k", kv, "--cache-type-v", kv]
        if not option.flash_attention:
            args[args.index("-fa") + 1] = "on"
            notes.append("a quantised V cache needs flash attention: -fa on")
    nodes = getattr(layout, "nodes", 1) if layout is not None else 1
    if layout is not None and nodes > 1:
        hosts = ",".join(f"node{i}:{RPC_PORT}" for i in range(2, nodes + 1))
        args += ["--rpc", hosts]
        notes.append(f"on each other node first: rpc-server -H 0.0.0.0 -p {RPC_PORT} (a llama.cpp build with "
                     "-DGGML_RPC=ON); never on an open network")
    elif layout is not None and layout.total_gpus > 1:
        args += ["--split-mode", "layer"]
        notes.append(f"layers are spread over the {layout.total_gpus} GPUs in proportion to their memory "
                     "(--tensor-split to change it)")
    lines = steps + (["", "# 2. serve it (OpenAI-compatible API on http://localhost:8080)"] if steps else
                     ["# serve it (OpenAI-compatible API on http://localhost:8080)"])
    lines.append(" ".join(args))
    if ngl == 0:
        notes.append("-ngl 0: every layer runs on the CPU")
    elif option.verdict == "partial":
        notes.append(f"-ngl {ngl}: {ngl} of {option.total_layers} layers on the GPU, the rest on the CPU")
    if get_format(fmt).id in IMATRIX_REQUIRED:
        notes.append(f"llama-quantize refuses {get_format(fmt).label} without an importance matrix")
    return RunCommand("llama.cpp", "llama.cpp (llama-server)", "shell", "\n".join(lines), tuple(notes),
                      SOURCES["llama.cpp"])


def ollama_command(ref: ModelRef, option, *, batch: int = 1) -> RunCommand:
    fmt = option.format
    name = _slug(f"{ref.name}-{get_format(fmt).file_type or fmt}").lower()
    steps = _gguf_steps(ref, fmt)
    ngl = option.gpu_layers if option.verdict in ("fits", "tight", "partial") else 0
    modelfile = [f"FROM ./{gguf_name(ref, fmt)}" if not ref.gguf_path else f"FROM {ref.gguf_path}",
                 f"PARAMETER num_ctx {option.context}", f"PARAMETER num_gpu {ngl}"]
    env = []
    if option.flash_attention or (option.kv_format not in ("f16", "auto", "")):
        env.append("OLLAMA_FLASH_ATTENTION=1")
    if option.kv_format not in ("f16", "auto", ""):
        env.append(f"OLLAMA_KV_CACHE_TYPE={option.kv_format}")
    if batch > 1:
        env.append(f"OLLAMA_NUM_PARALLEL={batch}")
    lines = steps + ([""] if steps else [])
    lines += ["# Modelfile", *modelfile, "", "# then"]
    if env:
        lines.append(" ".join(env) + " ollama serve   # the server's settings")
    lines += [f"ollama create {name} -f Modelfile", f"ollama run {name}"]
    notes = [f"num_gpu {ngl}: layers sent to the GPU (Ollama picks its own number when the line is left out)"]
    return RunCommand("ollama", "Ollama (Modelfile)", "modelfile", "\n".join(lines), tuple(notes), SOURCES["ollama"])


_VLLM_DTYPE = {"f16": "float16", "bf16": "bfloat16", "f32": "float32"}


def vllm_command(ref: ModelRef, option, *, layout=None) -> RunCommand:
    f = get_format(option.format)
    args = ["vllm", "serve", _quote(ref.checkpoint), "--max-model-len", str(option.context),
            "--gpu-memory-utilization", f"{VLLM_GPU_MEMORY_UTILIZATION:.2f}"]
    tp = layout.tensor_parallel if layout is not None else 1
    pp = layout.pipeline_parallel if layout is not None else 1
    args += ["--tensor-parallel-size", str(tp)]
    if pp > 1:
        args += ["--pipeline-parallel-size", str(pp)]
    notes = []
    repo = ref.checkpoint
    if f.id in _VLLM_DTYPE:
        args += ["--dtype", _VLLM_DTYPE[f.id]]
    elif f.id in ("nf4", "nf4-dq", "fp4"):
        args += ["--quantization", "bitsandbytes"]
        notes.append("in-flight bitsandbytes 4-bit quantisation of the 16-bit checkpoint (pip install bitsandbytes)")
    elif f.id == "fp8":
        args += ["--quantization", "fp8"]
        notes.append("dynamic FP8 quantisation of the 16-bit checkpoint at load time")
    else:
        repo = f"<a {f.label} checkpoint of {ref.hf_repo or ref.name}>"
        args[2] = repo
        notes.append(f"{f.label} needs a checkpoint quantised in that format; vLLM reads the scheme from its "
                     "config.json")
    kv = option.kv_format
    if kv and kv not in ("auto", "f16", "bf16"):
        args += ["--kv-cache-dtype", kv]
    if pp > 1:
        notes.append(f"multi-node: start a Ray cluster over the {pp} nodes first (vLLM docs, 'Distributed "
                     "inference and serving'), then run this on the head node")
    text = " \\\n    ".join([" ".join(args[:3])] + [" ".join(args[i:i + 2]) for i in range(3, len(args), 2)])
    return RunCommand("vllm", "vLLM (vllm serve)", "shell", text, tuple(notes), SOURCES["vllm"])


_TORCH_DTYPE = {"f16": "torch.float16", "bf16": "torch.bfloat16", "f32": "torch.float32"}


def transformers_command(ref: ModelRef, option, *, gpu_count: int = 1, gpu_memory_bytes: int | None = None,
                         ram_bytes: int | None = None) -> RunCommand:
    f = get_format(option.format)
    dtype = _TORCH_DTYPE.get(f.id, "torch.bfloat16")
    lines = ["import torch", "from transformers import AutoModelForCausalLM, AutoTokenizer"
             + (", BitsAndBytesConfig" if f.kind == "bitsandbytes" else ""), ""]
    repo = ref.checkpoint
    notes = []
    if f.kind in ("gptq", "awq", "fp8", "mx"):
        repo = f"<a {f.label} checkpoint of {ref.hf_repo or ref.name}>"
        notes.append(f"{f.label}: load a checkpoint quantised in that format; transformers reads the scheme from "
                     "its config.json")
    lines.append(f"model_id = {repo!r}")
    kwargs = []
    if f.id == "int8":
        lines.append("quantization_config = BitsAndBytesConfig(load_in_8bit=True)")
    elif f.kind == "bitsandbytes":
        qtype = "fp4" if f.id == "fp4" else "nf4"
        double = "True" if f.params.get("double_quant") else "False"
        lines.append(f"quantization_config = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type={qtype!r}, "
                     f"bnb_4bit_use_double_quant={double}, bnb_4bit_compute_dtype={dtype})")
    if option.verdict == "cpu":
        kwargs.append('device_map="cpu"')
    else:
        kwargs.append('device_map="auto"')
    if option.verdict == "partial" and gpu_memory_bytes and ram_bytes:
        per = f"{gpu_memory_bytes / 2**30:.0f}GiB"
        gpus = ", ".join(f"{i}: {per!r}" for i in range(max(1, gpu_count)))
        kwargs.append(f'max_memory={{{gpus}, "cpu": {f"{ram_bytes / 2**30:.0f}GiB"!r}}}')
        notes.append("layers that do not fit the GPU go to the CPU; accelerate moves them to the GPU for every "
                     "forward pass (slow)")
    kwargs.append(f"dtype={dtype}")
    if f.kind == "bitsandbytes":
        kwargs.append("quantization_config=quantization_config")
    lines.append("model = AutoModelForCausalLM.from_pretrained(")
    lines.append("    model_id, " + ", ".join(kwargs) + ")  # transformers < 4.56: torch_dtype=")
    lines.append("tokenizer = AutoTokenizer.from_pretrained(model_id)")
    lines.append("")
    lines.append("inputs = tokenizer(\"Hello\", return_tensors=\"pt\").to(model.device)")
    lines.append(f"print(tokenizer.decode(model.generate(**inputs, max_new_tokens=64)[0]))  "
                 f"# prompt + output up to {option.context:,} tokens")
    return RunCommand("transformers", "transformers (Python)", "python", "\n".join(lines), tuple(notes),
                      SOURCES["transformers"])


FAMILIES = {"llama.cpp": ("llama.cpp", "ollama"), "ollama": ("ollama", "llama.cpp"),
            "vllm": ("vllm", "transformers"), "transformers": ("transformers", "vllm")}
"""The plan's runtime first, then the one that loads the same files (GGUF; Hugging Face checkpoints)."""


def run_commands(ref: ModelRef, option, *, batch: int = 1, layout=None, gpu_count: int = 1,
                 gpu_memory_bytes: int | None = None, ram_bytes: int | None = None) -> tuple[RunCommand, ...]:
    """The commands for ``option`` (a ``recommend.FormatOption``) in its runtime and the runtime that loads the
    same files: llama.cpp and Ollama read GGUF files, vLLM and transformers Hugging Face checkpoints. The
    other pair is left out — its memory differs, so the option's verdict would not hold for it."""
    f = get_format(option.format)
    out = []
    for tool in FAMILIES.get(option.runtime, ()):
        if not f.runs_on(tool):
            continue
        if tool == "llama.cpp" and _gguf_ok(f.id):
            out.append(llama_cpp_command(ref, option, batch=batch, layout=layout))
        elif tool == "ollama" and _gguf_ok(f.id) and (layout is None or layout.nodes == 1):
            out.append(ollama_command(ref, option, batch=batch))
        elif tool == "vllm" and not ref.gguf_path and option.verdict in ("fits", "tight"):
            out.append(vllm_command(ref, option, layout=layout))
        elif tool == "transformers" and not ref.gguf_path:
            out.append(transformers_command(ref, option, gpu_count=gpu_count, gpu_memory_bytes=gpu_memory_bytes,
                                            ram_bytes=ram_bytes))
    if len(out) > 1 and out[1].tool != option.runtime:
        sib = out[1]
        out[1] = RunCommand(sib.tool, sib.title, sib.language, sib.text,
                            sib.notes + (f"the verdict and the numbers beside it are {option.runtime}'s estimate",),
                            sib.source)
    return tuple(out)


def commands_for(ref: ModelRef, option, target, *, batch: int = 1, layout=None) -> tuple[str, tuple[RunCommand, ...]]:
    """(where, commands) for ``option`` on ``target`` (``core.target.Target``):

    - ``machine``: the option runs on the target (its own GPUs, however many);
    - ``layout``: it does not, but ``layout`` (``layouts.Layout``, the smallest multi-GPU or multi-node one)
      holds it: the commands are for that layout, every layer on the GPUs;
    - ``none``: neither.
    """
    from dataclasses import replace

    from .layouts import Layout

    if option.runs:
        own = None
        if target.gpu_count > 1:
            acc = target.accelerator
            own = Layout(option.runtime, acc.name if acc else "GPU", target.gpu_memory_bytes or 0, 1, target.gpu_count,
                         target.gpu_count, target.gpu_count if option.runtime == "vllm" else 1, 1, option.gpu_bytes,
                         0, option.verdict, option.decode_tokens_per_s, option.prefill_tokens_per_s,
                         "this machine's GPUs")
        return "machine", run_commands(ref, option, batch=batch, layout=own, gpu_count=target.gpu_count,
                                       gpu_memory_bytes=target.gpu_memory_bytes, ram_bytes=target.ram_bytes)
    if layout is None:
        return "none", ()
    on_layout = replace(option, verdict=layout.verdict, verdict_label=layout.how, gpu_layers=option.total_layers)
    return "layout", run_commands(ref, on_layout, batch=batch, layout=layout, gpu_count=layout.total_gpus,
                                  gpu_memory_bytes=layout.gpu_memory_bytes)

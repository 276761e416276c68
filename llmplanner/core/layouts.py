"""When one machine is not enough: the smallest multi-GPU or multi-node layout of a catalogue GPU.

How each runtime spreads one model, and what the search tries (fewest GPUs first):

- **llama.cpp** splits whole layers over every GPU it sees (``--split-mode layer``, the default, in
  proportion to ``--tensor-split``); across machines its RPC backend does the same with the GPUs that
  ``rpc-server`` exposes on each node (``--rpc host:port,...``; llama.cpp ``tools/rpc/README.md``). Memory is
  the engines' llama.cpp estimate with that many GPUs; the count searched is any number of GPUs, filling
  nodes of ``gpus_per_node``.
- **Ollama** spreads layers over the GPUs of one machine; it has no multi-machine mode.
- **vLLM** runs tensor parallel within a node (``--tensor-parallel-size``; the number of attention heads must
  be divisible by it, vLLM ``ModelConfig.verify_with_parallel_config``: "Total number of attention heads must
  be divisible by tensor parallel size") and pipeline parallel across nodes (``--pipeline-parallel-size``, one
  stage of consecutive layers per node; vLLM docs "Distributed inference and serving"). A pipeline stage's
  memory is the vLLM estimate of its ⌈L/p⌉ layers with the token embedding and the output head both counted
  (the first and last stage each hold one of them: an upper bound for every stage).
- **transformers** (accelerate ``device_map="auto"``) places whole layers on the GPUs of one process on one
  machine; it has no multi-machine mode.

Speeds are estimated for layouts within one node (``speed_estimate``: layer split with a hand-off per device
boundary, tensor parallel with two all-reduces per layer); across nodes the network is not modelled, so none
is given.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, replace

from .errors import PlannerError
from .estimate import EstimateRequest, HardwareChoice
from .fit import fit
from .hardware import find_accelerator
from .target import Target, target_from_catalogue

GPUS_PER_NODE = 8
"""GPUs in one server of the common kind (NVIDIA DGX/HGX H100 and A100, AMD MI300X platforms: 8 each; NVIDIA
DGX H100 datasheet)."""
MAX_NODES = 32
"""How far the search goes before giving up (32 nodes of 8 = 256 GPUs)."""


@dataclass(frozen=True)
class Layout:
    runtime: str
    gpu: str
    gpu_memory_bytes: int
    nodes: int
    gpus_per_node: int
    """GPUs used in each node (the last llama.cpp node may use fewer: see ``total_gpus``)."""
    total_gpus: int
    tensor_parallel: int
    pipeline_parallel: int
    memory_per_gpu_bytes: int
    """The runtime's buffers on the busiest GPU."""
    reserve_bytes: int
    """What the runtime keeps free per GPU beyond its buffers (CUDA context, llama.cpp's margin)."""
    verdict: str
    decode_tokens_per_s: float | None
    prefill_tokens_per_s: float | None
    how: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class LayoutSearch:
    layout: Layout | None
    why_not: str = ""
    """Why there is none (a runtime without multi-machine mode, more than the search covers …)."""

    def as_dict(self) -> dict:
        return {"layout": None if self.layout is None else self.layout.as_dict(), "why_not": self.why_not}


def stage_architecture(arch, layers: int):
    """``arch`` with only its first ``layers`` layers (per-layer settings cut to match): a pipeline stage."""
    if layers >= arch.num_layers:
        return arch
    att = arch.attention
    if att.sliding_layers is not None:
        att = dataclasses.replace(att, sliding_layers=tuple(i for i in att.sliding_layers if i < layers))
    moe = arch.moe
    if moe is not None:
        moe = dataclasses.replace(moe, first_dense_layers=min(moe.first_dense_layers, layers),
                                  dense_layers=tuple(i for i in moe.dense_layers if i < layers))
    return dataclasses.replace(arch, num_layers=layers, attention=att, moe=moe)


def _ok(result) -> bool:
    return result.verdict in ("fits", "tight")


def _first(lo: int, hi: int, ok) -> int | None:
    """The least n in [lo, hi] with ok(n), for a predicate that stays true once true (more GPUs, more room)."""
    if lo > hi or not ok(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _busiest(est) -> int:
    return max((d.total for d in est.devices if d.device.is_gpu), default=0)


def _speed(req: EstimateRequest, target_host, result):
    from .speed_estimate import speed_for

    placed = replace(req, gpu_layers=result.gpu_layers) if result.verdict == "tight" and req.gpu_layers is None \
        else req
    try:
        s = speed_for(placed, host=target_host)
    except PlannerError:
        return None, None
    return s.decode_tokens_per_s, s.prefill_tokens_per_s


def smallest_layout(base: EstimateRequest, gpu: str, *, gpu_memory_bytes: int | None = None,
                    gpus_per_node: int = GPUS_PER_NODE, max_nodes: int = MAX_NODES,
                    host: str | None = None) -> LayoutSearch:
    """The fewest ``gpu``s (catalogue name) that hold ``base`` (model, format, runtime, context) on the GPUs."""
    if gpus_per_node < 1 or max_nodes < 1:
        raise PlannerError("a layout needs at least one GPU per node and one node", field="gpu_count")
    acc = find_accelerator(gpu)
    if acc.kind != "gpu":
        raise PlannerError(f"{acc.name} is not a GPU that can be put several to a node", field="gpu")
    req = base.resolved()
    host_acc = target_from_catalogue(acc.name, host=host).host
    runtime = req.runtime

    def hw(n: int) -> HardwareChoice:
        return HardwareChoice(gpu=acc.name, gpu_count=n, vram_bytes=gpu_memory_bytes, ram_bytes=None)

    def result_for(n: int, r=req):
        r = replace(r, hardware=hw(n))
        return r, fit(r.memory_request(), hw(n).machine())

    per_gpu = hw(1).devices()[0].capacity_bytes
    if runtime in ("llama.cpp", "ollama", "transformers"):
        top = gpus_per_node * (max_nodes if runtime == "llama.cpp" else 1)
        cache: dict[int, object] = {}

        def ok(n):
            if n not in cache:
                cache[n] = result_for(n)
            return _ok(cache[n][1])

        n = _first(1, top, ok)
        if n is None:
            if runtime != "llama.cpp":
                name = "Ollama" if runtime == "ollama" else "transformers (device_map='auto')"
                return LayoutSearch(None, f"even {gpus_per_node} × {acc.name} in one machine is not enough, and "
                                          f"{name} runs on one machine only (llama.cpp's RPC backend and vLLM's "
                                          "pipeline parallelism span several)")
            return LayoutSearch(None, f"not even {top} × {acc.name} ({max_nodes} nodes of {gpus_per_node})")
        r, res = cache[n]
        nodes = math.ceil(n / gpus_per_node)
        decode = prefill = None
        if nodes == 1:
            decode, prefill = _speed(r, host_acc, res)
        if runtime == "transformers":
            how = ("one GPU holds every layer" if n == 1 else
                   f"transformers/accelerate device_map='auto': whole layers over {n} GPUs")
        elif n == 1:
            how = "one GPU holds every layer"
        elif nodes == 1:
            how = (f"{'Ollama' if runtime == 'ollama' else 'llama.cpp'} splits whole layers over {n} GPUs "
                   "(--split-mode layer)")
        else:
            how = (f"llama.cpp RPC: layers split over {n} GPUs on {nodes} nodes (rpc-server on {nodes - 1} of them, "
                   f"--rpc); network speed not modelled")
        return LayoutSearch(Layout(runtime, acc.name, per_gpu, nodes, min(n, gpus_per_node), n, 1, nodes,
                                   _busiest(res.estimate), res.estimate.reserve_bytes, res.verdict, decode, prefill,
                                   how))
    # vLLM: tensor parallel within a node, pipeline parallel across nodes
    heads = req.arch.attention.num_heads
    tps = [t for t in range(1, gpus_per_node + 1) if heads % t == 0]
    for tp in tps:
        r, res = result_for(tp)
        if _ok(res):
            decode, prefill = _speed(r, host_acc, res)
            return LayoutSearch(Layout(runtime, acc.name, per_gpu, 1, tp, tp, tp, 1, _busiest(res.estimate),
                                       res.estimate.reserve_bytes, res.verdict, decode, prefill,
                                       "one GPU holds every layer" if tp == 1 else
                                       f"vLLM tensor parallel over {tp} GPUs (--tensor-parallel-size {tp})"))
    tp = tps[-1]
    layers = req.arch.num_layers
    for pp in range(2, min(max_nodes, layers) + 1):
        stage = stage_architecture(req.arch, math.ceil(layers / pp))
        _r, res = result_for(tp, replace(req, arch=stage))
        if _ok(res):
            return LayoutSearch(Layout(runtime, acc.name, per_gpu, pp, tp, tp * pp, tp, pp, _busiest(res.estimate),
                                       res.estimate.reserve_bytes, res.verdict, None, None,
                                       f"vLLM: tensor parallel {tp} within each node, pipeline parallel over {pp} "
                                       f"nodes (--tensor-parallel-size {tp} --pipeline-parallel-size {pp}); "
                                       "network speed not modelled"))
    return LayoutSearch(None, f"not even {min(max_nodes, layers)} nodes of {tp} × {acc.name}")


def layout_gpu(target: Target, fallback: str) -> str:
    """The GPU a layout search should use for ``target``: its own when it has a catalogue GPU, else
    ``fallback``."""
    acc = target.accelerator
    return acc.name if acc is not None and acc.kind == "gpu" else fallback

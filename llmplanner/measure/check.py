"""The measured check: build the plan's model with random weights on this machine, run it, measure it.

``run_check(model, options, state)`` builds the architecture with transformers (``hf_model``), scaled to
fewer layers when the whole model does not fit the device's free memory, then runs

1. a warm-up with the same shapes (a prefill of the same length and two decode steps; not measured:
   kernel and algorithm selection per shape, allocator growth),
2. a prefill of ``prompt_tokens`` random tokens with a KV cache (transformers' ``DynamicCache``), and
3. ``gen_tokens`` greedy decode steps, each feeding the last token and the cache,

timing prefill and decode separately (device synchronised around each) and metering peak memory
(``memory``). torch and transformers are imported inside the functions only, so importing this module is
cheap and torch-free.

Derived figures for calibration: the decode's achieved memory traffic (bytes one token reads — every matrix
it multiplies, the tied head included, plus the KV cache at the mean context — times tokens/s) and the
prefill's achieved FLOP/s (``core.flops.prefill_flops``, minus the output head for the prompt tokens whose
logits transformers skips with ``logits_to_keep=1``).
"""
from __future__ import annotations

import inspect
import sys
import time
from dataclasses import asdict, dataclass, field

from ..core.architecture import Architecture
from ..core.errors import PlannerError, UnknownNameError
from ..core.flops import matmul_params, prefill_flops
from ..core.model_source import LoadedModel
from ..core.params import count_params
from . import hf_model
from .memory import meter_for
from .state import CheckState

DEVICES = ("auto", "cpu", "cuda", "mps")
BUDGET_SHARE = {"cuda": 0.9, "mps": 0.9, "cpu": 0.8}
"""Share of the free memory the check lets itself use: the rest is headroom for the allocator's
fragmentation, library workspaces (cuBLAS) and, on the CPU, the desktop and page cache."""


class CheckOutOfMemory(PlannerError):
    """The device ran out of memory during the check (another process took memory meanwhile, or a long
    prompt's activations): fewer prompt tokens or ``max_layers`` make a smaller check."""


def _is_out_of_memory(e: BaseException) -> bool:
    text = str(e).lower()
    return type(e).__name__ == "OutOfMemoryError" or "out of memory" in text or "can't allocate memory" in text


@dataclass(frozen=True)
class CheckOptions:
    device: str = "auto"
    """``auto`` (CUDA/ROCm, else MPS, else CPU), ``cpu``, ``cuda``, ``cuda:N`` or ``mps``."""
    format: str | None = None
    """``f32``, ``f16`` or ``bf16``; default bf16 on CUDA where supported (else f16), f16 on MPS, f32 on CPU
    (PyTorch's CPU half-precision matmuls are slow on many CPUs and would misstate speed)."""
    prompt_tokens: int = 128
    gen_tokens: int = 32
    max_layers: int | None = None
    """Build at most this many layers (a quicker check); the result says it was scaled."""
    memory_budget_bytes: int | None = None
    """Build no more than fits in this many bytes (default: a share of the device's free memory)."""
    seed: int = 0


@dataclass(frozen=True)
class CheckResult:
    model: str
    device: str
    """torch's device string, ``cuda:0``, ``mps`` or ``cpu``."""
    backend: str
    """``cuda``, ``rocm``, ``mps`` or ``cpu``."""
    device_name: str
    format: str
    dtype: str
    config_source: str
    model_type: str
    layers_built: int
    layers_total: int
    params_built: int
    """Parameters of the model that was built (counted by torch)."""
    params_expected: int
    """What ``core.params`` counts for the built architecture; equal unless a note says why not."""
    weights_bytes: int
    buffers_bytes: int
    kv_cache_bytes: int
    """The KV cache after the run (prompt + generated tokens), from the cache's tensors."""
    peak_memory_bytes: int
    memory_method: str
    baseline_bytes: int
    prompt_tokens: int
    gen_tokens: int
    prefill_seconds: float
    prefill_tokens_per_s: float
    decode_seconds: float
    decode_tokens_per_s: float
    decode_bytes_per_token: int
    decode_bytes_per_s: float
    prefill_flops: int
    prefill_flops_per_s: float
    build_seconds: float
    built_architecture: Architecture = field(repr=False, compare=False)
    memory_details: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def scaled(self) -> bool:
        return self.layers_built < self.layers_total

    def calibration_measurement(self):
        """This run as a ``core.calibration.Measurement`` (record it with ``CalibrationStore.record``)."""
        from ..core.calibration import Measurement

        return Measurement(model=self.model, layers=self.layers_built, dtype=self.dtype,
                           decode_bytes_per_token=self.decode_bytes_per_token,
                           decode_seconds_per_token=self.decode_seconds / self.gen_tokens,
                           prefill_tokens=self.prompt_tokens, prefill_flops=self.prefill_flops,
                           prefill_seconds=self.prefill_seconds, versions=dict(self.versions))

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("built_architecture")
        d["scaled"] = self.scaled
        d["notes"] = list(self.notes)
        return d


def _elapsed(sync, start: float) -> float:
    sync()
    return time.perf_counter() - start


def resolve_device(torch, requested: str | None):
    """(torch.device, kind 'cuda'|'mps'|'cpu', back-end name) for a requested device; PlannerError if absent."""
    req = (requested or "auto").strip().lower()
    base, _, index = req.partition(":")
    if base not in DEVICES:
        raise UnknownNameError("device", req, DEVICES, field="device")
    cuda_ok = bool(torch.cuda.is_available())
    mps_ok = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if base == "auto":
        base = "cuda" if cuda_ok else ("mps" if mps_ok else "cpu")
    backend = "rocm" if base == "cuda" and getattr(torch.version, "hip", None) else base
    if base == "cuda":
        if not cuda_ok:
            build = torch.version.cuda or torch.version.hip
            why = f"built for CUDA/HIP {build} but sees no GPU" if build else "a CPU-only build"
            raise PlannerError(f"device cuda is not available: torch {torch.__version__} is {why}", field="device")
        i = int(index) if index.isdigit() else 0
        if i >= torch.cuda.device_count():
            raise PlannerError(f"device cuda:{i} does not exist ({torch.cuda.device_count()} CUDA device(s))",
                               field="device")
        return torch.device("cuda", i), "cuda", backend
    if base == "mps":
        if not mps_ok:
            raise PlannerError(f"device mps is not available: torch {torch.__version__} sees no Apple GPU",
                               field="device")
        return torch.device("mps"), "mps", backend
    return torch.device("cpu"), "cpu", backend


def _device_name(torch, device, kind: str) -> str:
    if kind == "cuda":
        return str(torch.cuda.get_device_name(device))
    if kind == "mps":
        from ..core.detect_system import sysctl

        return sysctl("machdep.cpu.brand_string") or "Apple GPU"
    from ..core.detect_system import cpu_model_and_features

    return cpu_model_and_features()[0]


def _free_bytes(torch, device, kind: str) -> int:
    if kind == "cuda":
        return int(torch.cuda.mem_get_info(device)[0])
    import psutil

    available = int(psutil.virtual_memory().available)
    if kind == "mps":
        mps_free = int(torch.mps.recommended_max_memory()) - int(torch.mps.driver_allocated_memory())
        return min(available, mps_free)
    return available


def _default_format(torch, kind: str, device) -> str:
    if kind == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "f16"
    return "f16" if kind == "mps" else "f32"


def _sync_fn(torch, kind: str, device):
    if kind == "cuda":
        return lambda: torch.cuda.synchronize(device)
    if kind == "mps":
        return torch.mps.synchronize
    return lambda: None


def cache_bytes(torch, cache) -> int:
    """Bytes held by the tensors of a transformers cache (``DynamicCache`` layers, or legacy tuples)."""
    seen: set[int] = set()

    def walk(obj, depth=0) -> int:
        if obj is None or depth > 4:
            return 0
        if torch.is_tensor(obj):
            if id(obj) in seen:
                return 0
            seen.add(id(obj))
            return obj.numel() * obj.element_size()
        if isinstance(obj, (list, tuple)):
            return sum(walk(o, depth + 1) for o in obj)
        layers = getattr(obj, "layers", None)
        if isinstance(layers, (list, tuple)):  # transformers >= 4.56: Cache.layers[i].keys/values
            return sum(walk(getattr(layer, "keys", None), depth + 1) + walk(getattr(layer, "values", None), depth + 1)
                       for layer in layers)
        return walk(getattr(obj, "key_cache", None), depth + 1) + walk(getattr(obj, "value_cache", None), depth + 1)

    return walk(cache)


def _cache_of(out):
    """The KV cache a forward pass returned (``cache`` since transformers 5, ``past_key_values`` before)."""
    cache = getattr(out, "cache", None)
    return cache if cache is not None else out.past_key_values


def _prepare(cfg: dict, torch):
    """The transformers config and model class, imported before the memory baseline is taken (a modeling
    module's import is tens of MB that must not count as the model's memory)."""
    from transformers import AutoConfig, AutoModelForCausalLM

    cfg = dict(cfg)
    model_type = cfg.pop("model_type")
    config = AutoConfig.for_model(model_type, **cfg)
    model_class = AutoModelForCausalLM._model_mapping[type(config)]
    return config, model_class


def _build(config, model_class, dtype, device, seed: int, torch):
    import transformers

    torch.manual_seed(seed)
    dtype_kw = "dtype" if int(transformers.__version__.split(".")[0]) >= 5 else "torch_dtype"
    with torch.device(device):
        model = model_class._from_config(config, **{dtype_kw: dtype})
    return model.eval()


@dataclass(frozen=True)
class _Plan:
    """What will be built where, decided before anything is allocated."""

    device: object
    kind: str
    backend: str
    dtype_name: str
    elem: int
    cfg: dict
    origin: str
    layers: int
    built_arch: Architecture
    notes: list


def _plan(model: LoadedModel, options: CheckOptions, torch) -> _Plan:
    arch = model.architecture
    device, kind, backend = resolve_device(torch, options.device)
    dtype_name = hf_model.torch_dtype_name(options.format or _default_format(torch, kind, device))
    elem = hf_model.DTYPE_BYTES[dtype_name]
    cfg, origin, notes = hf_model.config_for_check(model)
    budget = int(_free_bytes(torch, device, kind) * BUDGET_SHARE[kind])
    if options.memory_budget_bytes is not None:
        budget = min(budget, options.memory_budget_bytes)
    layers = hf_model.layers_that_fit(arch, budget, elem, options.prompt_tokens + options.gen_tokens)
    if layers == 0:
        raise PlannerError(f"not even one layer of {arch.name} fits in {budget / 2**30:.2f} GiB on {device} "
                           f"(embeddings and output alone need more)", field="device")
    if options.max_layers is not None:
        layers = min(layers, max(1, options.max_layers))
    if layers < arch.num_layers:
        by_request = options.max_layers is not None and layers == options.max_layers
        why = (f"--max-layers {options.max_layers}" if by_request
               else f"the whole model does not fit the {budget / 2**30:.2f} GiB available on {device}")
        notes.append(f"scaled: built {layers} of {arch.num_layers} layers with the same widths ({why}); "
                     "per-layer memory and time are the real model's, totals are for the smaller model")
        cfg = hf_model.scale_config(cfg, layers)
    return _Plan(device, kind, backend, dtype_name, elem, cfg, origin, layers,
                 hf_model.scaled_architecture(arch, layers), notes)


class CheckUnavailable(PlannerError):
    """torch or transformers is not installed here (the packaged app leaves them out unless built with them)."""


def import_torch():
    """``torch``, after making sure transformers is there too; ``CheckUnavailable`` names what is missing."""
    import importlib.util

    if importlib.util.find_spec("transformers") is None:  # looked up first: importing torch takes seconds
        missing = "transformers"
    else:
        try:
            import torch
        except ImportError as e:
            missing = f"torch ({e})"
        else:
            return torch
    frozen = getattr(sys, "frozen", False)
    how = ("this packaged llmplanner is built without them; use a build made with "
           "`python packaging/build.py --with-torch`" if frozen else "install them with `pip install torch "
           "transformers` (see packaging/constraints.txt for the tested versions)")
    raise CheckUnavailable(f"the measured check needs torch and transformers, and {missing} is not installed: "
                           f"{how}. Estimates, detection (NVML and the OS) and everything else work without them.")


def run_check(model: LoadedModel, options: CheckOptions | None = None,
              state: CheckState | None = None) -> CheckResult:
    """Measure ``model`` on this machine (see the module docstring). Raises ``PlannerError`` for bad input
    (``CheckOutOfMemory`` when the device runs out of memory) and ``CheckCancelled`` when ``state`` is
    interrupted."""
    options = options or CheckOptions()
    state = state or CheckState()
    if options.prompt_tokens < 1 or options.gen_tokens < 1:
        raise PlannerError("prompt and generated tokens must be at least 1", field="tokens")
    arch = model.architecture
    if options.prompt_tokens + options.gen_tokens > arch.max_context:
        raise PlannerError(f"{options.prompt_tokens} + {options.gen_tokens} tokens exceed {arch.name}'s maximum "
                           f"context of {arch.max_context}", field="tokens")
    if options.format is not None:
        hf_model.torch_dtype_name(options.format)  # refuse a bad format before the slow imports
    if (options.device or "auto").strip().lower().partition(":")[0] not in DEVICES:
        raise UnknownNameError("device", options.device, DEVICES, field="device")
    state.step(1, "loading torch and transformers")
    torch = import_torch()

    state.step(5, "choosing how many layers fit")
    plan = _plan(model, options, torch)
    try:
        return _measure(model, options, state, plan, torch)
    except RuntimeError as e:  # torch.OutOfMemoryError is a RuntimeError too
        if not _is_out_of_memory(e):
            raise
        raise CheckOutOfMemory(f"the check ran out of memory on {plan.device} with {plan.layers} layers and "
                               f"{options.prompt_tokens} prompt tokens ({str(e).splitlines()[0][:160]}); try "
                               "fewer --prompt-tokens or --max-layers", field="device") from None
    finally:
        if plan.kind == "cuda":
            torch.cuda.empty_cache()
        elif plan.kind == "mps":
            torch.mps.empty_cache()


def _measure(model: LoadedModel, options: CheckOptions, state: CheckState, plan: _Plan, torch) -> CheckResult:
    import transformers

    arch, built_arch, device, kind = model.architecture, plan.built_arch, plan.device, plan.kind
    notes = plan.notes
    config, model_class = _prepare(plan.cfg, torch)
    sync = _sync_fn(torch, kind, device)
    meter = meter_for(kind, torch, device)
    meter.start()
    try:
        fmt = hf_model.FORMAT_NAMES[plan.dtype_name]
        state.step(10, f"building {plan.layers} layers in {fmt} on {device}")
        t0 = time.perf_counter()
        net = _build(config, model_class, getattr(torch, plan.dtype_name), device, options.seed, torch)
        build_seconds = _elapsed(sync, t0)
        meter.mark_built()
        params_built = sum(p.numel() for p in net.parameters())
        weights_bytes = sum(p.numel() * p.element_size() for p in net.parameters())
        buffers_bytes = sum(b.numel() * b.element_size() for b in net.buffers())
        forward = inspect.signature(net.forward).parameters
        cache_kw = "cache" if "cache" in forward else "past_key_values"
        keep_kw = next((k for k in ("logits_to_keep", "num_logits_to_keep") if k in forward), None)
        vocab = int(getattr(net.config, "vocab_size", arch.embeddings.vocab_size))
        gen = torch.Generator().manual_seed(options.seed)

        def run_once(prompt: int, steps: int, progress: tuple[float, float] | None):
            ids = torch.randint(0, vocab, (1, prompt), generator=gen).to(device)
            extra = {keep_kw: 1} if keep_kw else {}
            sync()
            start = time.perf_counter()
            out = net(input_ids=ids, use_cache=True, **extra)
            prefill_s = _elapsed(sync, start)
            meter.sample()
            cache = _cache_of(out)
            nxt = out.logits[:, -1:].argmax(-1)
            del out
            start = time.perf_counter()
            for i in range(steps):
                if progress is not None:
                    lo, hi = progress
                    state.step(lo + (hi - lo) * i / steps, f"decoding token {i + 1} of {steps}")
                else:
                    state.check_cancelled()
                out = net(input_ids=nxt, use_cache=True, **{cache_kw: cache})
                cache = _cache_of(out)
                nxt = out.logits[:, -1:].argmax(-1)
                del out
                meter.sample()
            return prefill_s, _elapsed(sync, start), cache

        with torch.inference_mode():
            state.step(40, "warming up")
            run_once(options.prompt_tokens, 2, None)
            state.step(50, f"prefill of {options.prompt_tokens} tokens")
            prefill_s, decode_s, cache = run_once(options.prompt_tokens, options.gen_tokens, (60, 99))
            kv_bytes = cache_bytes(torch, cache)
        del cache, net
    finally:
        reading = meter.stop()  # also stops the CPU sampler thread when cancelled or out of memory

    expected = count_params(built_arch).total
    if params_built != expected:
        notes.append(f"transformers built {params_built:,} parameters where the architecture counts {expected:,} "
                     f"({plan.origin}): memory figures are for what was built")
    prefill_s, decode_s = max(prefill_s, 1e-9), max(decode_s, 1e-9)
    head = arch.embeddings.vocab_size * (arch.embeddings.projection_dim or arch.hidden_size)
    flops = prefill_flops(built_arch, options.prompt_tokens)
    if keep_kw:
        flops -= 2 * head * (options.prompt_tokens - 1)
    mean_context = options.prompt_tokens + (options.gen_tokens + 1) / 2
    bytes_per_token = matmul_params(built_arch) * plan.elem + int(
        hf_model.kv_bytes_per_token(built_arch, plan.elem) * mean_context)
    decode_tps = options.gen_tokens / decode_s
    state.step(100, "done")
    return CheckResult(
        model=arch.name, device=str(device), backend=plan.backend, device_name=_device_name(torch, device, kind),
        format=fmt, dtype=plan.dtype_name, config_source=plan.origin,
        model_type=plan.cfg.get("model_type", ""), layers_built=plan.layers, layers_total=arch.num_layers,
        params_built=params_built, params_expected=expected, weights_bytes=weights_bytes,
        buffers_bytes=buffers_bytes, kv_cache_bytes=kv_bytes, peak_memory_bytes=reading.peak_bytes,
        memory_method=reading.method, baseline_bytes=reading.baseline_bytes,
        prompt_tokens=options.prompt_tokens, gen_tokens=options.gen_tokens,
        prefill_seconds=prefill_s, prefill_tokens_per_s=options.prompt_tokens / prefill_s,
        decode_seconds=decode_s, decode_tokens_per_s=decode_tps, decode_bytes_per_token=bytes_per_token,
        decode_bytes_per_s=bytes_per_token * decode_tps, prefill_flops=flops,
        prefill_flops_per_s=flops / prefill_s, build_seconds=build_seconds,
        built_architecture=built_arch, memory_details=reading.details,
        versions={"torch": torch.__version__, "transformers": transformers.__version__},
        notes=tuple(notes))

"""Training and fine-tuning memory per GPU: weights, gradients, optimizer states, activations, overhead.

Model states follow ZeRO's mixed-precision accounting (Rajbhandari et al. 2020 §3.1, "16Ψ bytes": 2 + 2 +
12 per parameter), computed tensor by tensor over the inventory so that the optimizer's real state sizes
(8-bit blocks, Adafactor's factored rows and columns), LoRA's adapters (Hu et al. 2021) and QLoRA's NF4
base (Dettmers et al. 2023) come out exactly; tensor and ZeRO partitioning are in ``parallel``; activations
(Korthikanti et al. 2022, generalised per architecture) in ``activations``.

What "2 + 2 + 12" leaves out, and what is done about it here:

- activations — modelled (``activations_bytes``), and usually the larger part for long sequences;
- temporary buffers — modelled where they are forced: ZeRO-3's gathered parameters of the block being
  computed, QLoRA's dequantised 16-bit copy of one weight (bitsandbytes ``MatMul4Bit.backward`` dequantises
  the whole matrix). Not modelled: the optimizer step's temporaries (PyTorch's ``foreach`` AdamW allocates
  intermediates the size of the parameters; the fused implementation does not), cuBLAS/NCCL workspaces;
- communication buckets — not modelled: they are framework settings (``torch.nn.parallel.
  DistributedDataParallel``: ``bucket_cap_mb=25``, and buckets that copy every gradient unless
  ``gradient_as_bucket_view=True``; DeepSpeed's ``zero_optimization`` ``reduce_bucket_size`` and
  ``allgather_bucket_size``);
- allocator fragmentation and the CUDA context — not modelled here: they depend on the runtime, the driver
  and the GPU (the inference runtime profiles own them).

The totals are the sum at the memory peak of a training step as these estimates conventionally take it
(all activations of the micro-batch alive together with full gradients and optimizer states).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import prod

from ..architecture import Architecture
from ..params import count_params
from ..tensors import TensorSpec, inventory
from . import qlora as nf4
from .activations import ActivationMemory, Trainability, activation_memory
from .lora import adapted_roles, adapters
from .optimizers import MASTER_BYTES, state_bytes
from .parallel import ModelStates, ceil_div, tp_shard_shape, zero_partition
from .setup import TrainingSetup

RULE_OF_THUMB_BYTES_PER_PARAM = 18
"""Megatron-LM's per-parameter count for mixed-precision Adam without a distributed optimizer
(``megatron/training/theoretical_memory_usage.py``: ``num_bytes_per_parameter = 18``): 2 (bf16 weights)
+ 4 (fp32 gradient accumulation buffer, ``main_grad``) + 12 (fp32 master weights, Adam m and v)."""
RULE_OF_THUMB_HEADROOM = 1.25
"""A flat 25 % on top for activations, buffers and fragmentation."""

NOT_INCLUDED = (
    "CUDA context and library workspaces (cuBLAS, NCCL)",
    "allocator fragmentation",
    "communication buckets (DDP bucket_cap_mb, DeepSpeed reduce/allgather buckets)",
    "optimizer-step temporaries (foreach AdamW)",
)


def _unit(t: TensorSpec) -> str:
    return f"layer {t.layer}" if t.layer is not None else ("embeddings" if t.component == "embeddings" else "head")


def _dtype_bytes(name: str) -> int:
    return 4 if name == "fp32" else 2


@dataclass(frozen=True)
class _States:
    """Model states of one tensor-parallel rank before ZeRO divides them."""

    states: ModelStates
    largest_unit_bytes: int
    """Weights of the biggest block (a layer, the embeddings, the head): what ZeRO-3 gathers at once."""
    largest_quantised: int
    """Elements of the biggest 4-bit matrix (QLoRA dequantises one at a time)."""


@lru_cache(maxsize=256)
def _model_states(arch: Architecture, mode: str, optimizer: str, mixed: bool, t: int, rank: int,
                  targets: tuple[str, ...], adapter_dtype: str, base_weight_bytes: int | None) -> _States:
    """Weights, gradients and optimizer states tensor by tensor (cached: they do not depend on the batch,
    the sequence or the data-parallel size)."""
    wbytes = 2 if mixed else 4
    weights = grads = opt = 0
    units: dict[str, int] = {}
    base = [(spec, tp_shard_shape(spec.shape, t)) for spec in inventory(arch)]

    def take(unit: str, w: int, g: int = 0, o: int = 0):
        nonlocal weights, grads, opt
        weights, grads, opt = weights + w, grads + g, opt + o
        units[unit] = units.get(unit, 0) + w

    if mode == "full":
        for spec, shape in base:
            n = prod(shape)
            take(_unit(spec), n * wbytes, n * wbytes,
                 _state_bytes(optimizer, shape) + (MASTER_BYTES * n if mixed else 0))
    elif mode == "lora":
        for spec, shape in base:
            take(_unit(spec), prod(shape) * wbytes)
    else:  # qlora
        whole = sum(nf4.tensor_bytes(spec) for spec, _ in base)
        for spec, _ in base:
            b = nf4.tensor_bytes(spec)
            b = ceil_div(b, t) if spec.is_matrix else b
            if base_weight_bytes is not None:  # the caller's total, spread in the local layout's proportions
                b = b * base_weight_bytes // whole
            take(_unit(spec), b)
    if mode != "full":
        abytes = _dtype_bytes(adapter_dtype)
        spec_of = {spec.name: spec for spec, _ in base}
        for ad in adapters(arch, rank, targets):
            for shape in (ad.a_shape, tp_shard_shape(ad.b_shape, t)):
                n = prod(shape)
                take(_unit(spec_of[ad.name]), n * abytes, n * abytes, _state_bytes(optimizer, shape))
    quantised = max((ceil_div(spec.numel, t) for spec in inventory(arch) if nf4.is_quantised_linear(spec)),
                    default=0) if mode == "qlora" else 0
    return _States(ModelStates(weights, grads, opt), max(units.values(), default=0), quantised)


_state_bytes = lru_cache(maxsize=4096)(state_bytes)


def _nf4_dq_bytes(arch: Architecture) -> int:
    """QLoRA's frozen base as bitsandbytes stores it: ``formats.weight_bytes(arch, "nf4-dq")`` (the same
    figure the Precision tab shows; ``training.qlora`` spreads it over tensors and tensor-parallel ranks)."""
    from ..formats import get_format, weight_bytes

    return weight_bytes(arch, get_format("nf4-dq")).total


@dataclass(frozen=True)
class TrainingMemory:
    """Memory of one GPU during training, by kind, with the rule of thumb beside it."""

    setup: TrainingSetup
    weights_bytes: int
    gradients_bytes: int
    optimizer_bytes: int
    """Optimizer states plus the fp32 master weights of mixed precision."""
    activations_bytes: int
    overhead_bytes: int
    trainable_params: int
    all_params: int
    """Every parameter of the trained model: the base plus LoRA adapters (PEFT's "all params")."""
    activations: ActivationMemory = field(repr=False)
    overhead: dict[str, int] = field(default_factory=dict)
    """Named buffers in ``overhead_bytes``."""
    optimizer_paged: bool = False
    """QLoRA's paged optimizer: its states live in unified memory and page out to CPU under pressure."""
    rule_of_thumb_gpus: float | None = None
    """params(B) × 18 × 1.25 / GPU memory (GB); ``None`` without ``setup.gpu_memory_bytes``."""
    rule_of_thumb_bytes: int = 0
    rule_of_thumb_explanation: str = ""
    detailed_gpus: int | None = None
    """The fewest GPUs (data-parallel × tensor-parallel, this ZeRO stage) whose per-GPU total fits
    ``setup.gpu_memory_bytes``; ``None`` when unknown or when no count up to 65,536 fits."""
    not_included: tuple[str, ...] = NOT_INCLUDED

    @property
    def model_states_bytes(self) -> int:
        return self.weights_bytes + self.gradients_bytes + self.optimizer_bytes

    @property
    def total_bytes(self) -> int:
        return self.model_states_bytes + self.activations_bytes + self.overhead_bytes

    @property
    def gpus(self) -> int:
        return self.setup.gpus

    def as_dict(self) -> dict:
        return {
            "setup": self.setup.as_dict(),
            "gpus": self.gpus,
            "weights_bytes": self.weights_bytes,
            "gradients_bytes": self.gradients_bytes,
            "optimizer_bytes": self.optimizer_bytes,
            "activations_bytes": self.activations_bytes,
            "overhead_bytes": self.overhead_bytes,
            "total_bytes": self.total_bytes,
            "trainable_params": self.trainable_params,
            "all_params": self.all_params,
            "activations": self.activations.as_dict(),
            "overhead": dict(self.overhead),
            "optimizer_paged": self.optimizer_paged,
            "rule_of_thumb_gpus": self.rule_of_thumb_gpus,
            "rule_of_thumb_bytes": self.rule_of_thumb_bytes,
            "rule_of_thumb_explanation": self.rule_of_thumb_explanation,
            "detailed_gpus": self.detailed_gpus,
            "not_included": list(self.not_included),
        }


def _trainability(arch: Architecture, setup: TrainingSetup) -> Trainability:
    if setup.mode == "full":
        return Trainability(full=True)
    return Trainability(full=False, adapted=adapted_roles(arch, setup.lora_targets), rank=setup.lora_rank,
                        lora_dropout=float(setup.lora_dropout))


class _PerGpu:
    """Everything one GPU holds, evaluated for any data-parallel size (activations do not depend on it)."""

    def __init__(self, arch: Architecture, setup: TrainingSetup, base_weight_bytes: int | None):
        self.setup = setup
        if setup.mode == "qlora" and base_weight_bytes is None:
            base_weight_bytes = _nf4_dq_bytes(arch)
        self.raw = _model_states(arch, setup.mode, setup.optimizer, setup.mixed, setup.tensor_parallel,
                                 setup.lora_rank, tuple(setup.lora_targets), setup.resolved_adapter_dtype,
                                 base_weight_bytes)
        self.acts = activation_memory(arch, setup, _trainability(arch, setup))

    def states(self, n: int) -> ModelStates:
        return zero_partition(self.raw.states, self.setup.zero_stage, n)

    def overhead(self, n: int) -> dict[str, int]:
        out: dict[str, int] = {}
        if self.setup.zero_stage == 3 and n > 1:
            out["zero3_gathered_parameters"] = ceil_div(self.raw.largest_unit_bytes * (n - 1), n)
        if self.setup.mode == "qlora":
            out["dequantized_weight"] = self.raw.largest_quantised * nf4.UNQUANTISED_BYTES
        return out

    def total(self, n: int) -> int:
        return self.states(n).total + self.acts.total_bytes + sum(self.overhead(n).values())


def _min_gpus(per_gpu: _PerGpu, gpu_memory_bytes: int, max_gpus: int) -> int | None:
    t = per_gpu.setup.tensor_parallel
    hi = max(1, max_gpus // t)
    if per_gpu.total(hi) > gpu_memory_bytes:
        return None
    if per_gpu.setup.zero_stage == 0:
        return t  # plain data parallelism replicates everything: more ranks do not help
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        if per_gpu.total(mid) <= gpu_memory_bytes:
            hi = mid
        else:
            lo = mid + 1
    return lo * t


def min_gpus(arch: Architecture, setup: TrainingSetup, gpu_memory_bytes: int, *,
             base_weight_bytes: int | None = None, max_gpus: int = 65536) -> int | None:
    """The fewest GPUs (data-parallel ranks × ``setup.tensor_parallel``) at ``setup``'s ZeRO stage and
    micro-batch whose per-GPU memory fits ``gpu_memory_bytes``; ``None`` if none up to ``max_gpus`` does.
    Per-GPU memory never grows with more data-parallel ranks (ZeRO divides, activations stay), so the
    smallest count is found by bisection."""
    return _min_gpus(_PerGpu(arch, setup, base_weight_bytes), gpu_memory_bytes, max_gpus)


def _explain(arch: Architecture, setup: TrainingSetup, mem: dict, params: int, rule_gpus: float | None,
             detailed: int | None) -> str:
    gb = 1e9
    rule = params * RULE_OF_THUMB_BYTES_PER_PARAM * RULE_OF_THUMB_HEADROOM
    head = (f"Rule of thumb: {params / 1e9:.2f}B params × 18 bytes × 1.25 = {rule / gb:.1f} GB")
    if rule_gpus is not None:
        head += f", / {setup.gpu_memory_bytes / gb:.0f} GB per GPU ≈ {rule_gpus:.1f} GPUs"
    parts = [
        head + ".",
        "The 18 bytes per parameter are full mixed-precision Adam as Megatron-LM counts it: 2 (bf16 weights) "
        "+ 4 (fp32 gradients) + 12 (fp32 master weights, Adam m and v); the 1.25 is a flat 25% for "
        "everything else.",
        f"The detailed estimate for this setup ({setup.mode}, {setup.optimizer}, {setup.precision}) is "
        f"{mem['states'] / gb:.1f} GB of weights, gradients and optimizer states and "
        f"{mem['activations'] / gb:.1f} GB of activations per GPU for a micro-batch of {setup.micro_batch} × "
        f"{setup.seq_len} tokens.",
        "Activations are not a fixed 25%: they grow linearly with micro-batch and sequence length "
        "(quadratically in sequence length when attention scores are kept) and shrink with recomputation, "
        "so the rule is too generous for short sequences and too tight for long ones.",
    ]
    if setup.mode != "full":
        parts.append("The rule assumes every weight is trained; LoRA/QLoRA train only the adapters and keep a "
                     "frozen base, so it overstates them by far.")
    if setup.zero_stage:
        parts.append(f"ZeRO stage {setup.zero_stage} divides "
                     + {1: "the optimizer states", 2: "optimizer states and gradients",
                        3: "optimizer states, gradients and weights"}[setup.zero_stage]
                     + " among the data-parallel GPUs, which a per-GPU rule cannot express: each added GPU "
                       "also lowers the memory the others need.")
    if detailed is not None:
        parts.append(f"Detailed: {detailed} GPU{'s' if detailed != 1 else ''} of this size fit the setup.")
    elif setup.gpu_memory_bytes:
        parts.append("Detailed: no number of GPUs of this size fits this setup"
                     + (" — plain data parallelism (ZeRO stage 0) gives every GPU a full copy; ZeRO, tensor "
                        "parallelism, recomputation or a smaller micro-batch would." if setup.zero_stage == 0
                        else " (the activations of one micro-batch alone do not fit)."))
    return " ".join(parts)


def training_memory(arch: Architecture, setup: TrainingSetup, *, base_weight_bytes: int | None = None
                    ) -> TrainingMemory:
    """Memory of one GPU while training ``arch`` as ``setup`` says.

    ``base_weight_bytes``: QLoRA's frozen base in bytes for the whole model; by default
    ``formats.weight_bytes(arch, get_format("nf4-dq"))``.
    """
    per_gpu = _PerGpu(arch, setup, base_weight_bytes)
    states, acts = per_gpu.states(setup.data_parallel), per_gpu.acts
    overhead = per_gpu.overhead(setup.data_parallel)
    counted = count_params(arch).total
    if setup.mode == "full":
        trainable = counted
    else:
        trainable = sum(a.params for a in adapters(arch, setup.lora_rank, setup.lora_targets))
    all_params = counted + (trainable if setup.mode != "full" else 0)
    rule_bytes = int(counted * RULE_OF_THUMB_BYTES_PER_PARAM * RULE_OF_THUMB_HEADROOM)
    rule_gpus = rule_bytes / setup.gpu_memory_bytes if setup.gpu_memory_bytes else None
    detailed = _min_gpus(per_gpu, setup.gpu_memory_bytes, 65536) if setup.gpu_memory_bytes else None
    explanation = _explain(arch, setup, {"states": states.total, "activations": acts.total_bytes}, counted,
                           rule_gpus, detailed)
    return TrainingMemory(
        setup=setup,
        weights_bytes=states.weights,
        gradients_bytes=states.gradients,
        optimizer_bytes=states.optimizer,
        activations_bytes=acts.total_bytes,
        overhead_bytes=sum(overhead.values()),
        trainable_params=trainable,
        all_params=all_params,
        activations=acts,
        overhead=overhead,
        optimizer_paged=setup.mode == "qlora",
        rule_of_thumb_gpus=rule_gpus,
        rule_of_thumb_bytes=rule_bytes,
        rule_of_thumb_explanation=explanation,
        detailed_gpus=detailed,
    )

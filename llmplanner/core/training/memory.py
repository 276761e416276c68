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
- communication buckets — not modelled: they are framework settings (PyTorch DDP ``bucket_cap_mb`` = 25 and a
  bucket copy of every gradient unless ``gradient_as_bucket_view=True``; DeepSpeed ``reduce_bucket_size`` and
  ``allgather_bucket_size`` = 5e8 elements);
- allocator fragmentation and the CUDA context — not modelled: they depend on the runtime and the GPU
  (typically several hundred MB for the context, 5–30 % of reserved memory for fragmentation).

The totals are the sum at the memory peak of a training step as these estimates conventionally take it
(all activations of the micro-batch alive together with full gradients and optimizer states).
"""
from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class _Piece:
    """One stored tensor of model state on one GPU, before ZeRO: its weight bytes and, if trained, the
    bytes of its gradient and optimizer state."""

    unit: str
    weight_bytes: int
    trainable: int = 0
    gradient_bytes: int = 0
    optimizer_bytes: int = 0


def _unit(t: TensorSpec) -> str:
    return f"layer {t.layer}" if t.layer is not None else ("embeddings" if t.component == "embeddings" else "head")


def _dtype_bytes(name: str) -> int:
    return 4 if name == "fp32" else 2


def _pieces(arch: Architecture, setup: TrainingSetup, base_weight_bytes: int | None) -> list[_Piece]:
    t = setup.tensor_parallel
    wbytes = 2 if setup.mixed else 4
    out: list[_Piece] = []
    base = [(spec, tp_shard_shape(spec.shape, t)) for spec in inventory(arch)]

    def numel(shape):
        n = 1
        for d in shape:
            n *= d
        return n

    if setup.mode == "full":
        for spec, shape in base:
            n = numel(shape)
            opt = state_bytes(setup.optimizer, shape) + (MASTER_BYTES * n if setup.mixed else 0)
            out.append(_Piece(_unit(spec), n * wbytes, n, n * wbytes, opt))
        return out

    if setup.mode == "lora":
        for spec, shape in base:
            out.append(_Piece(_unit(spec), numel(shape) * wbytes))
    else:  # qlora
        whole = sum(nf4.tensor_bytes(spec) for spec, _ in base)
        for spec, _ in base:
            b = nf4.tensor_bytes(spec)
            b = ceil_div(b, t) if spec.is_matrix else b
            if base_weight_bytes is not None:  # the caller's total, spread in the local layout's proportions
                b = b * base_weight_bytes // whole
            out.append(_Piece(_unit(spec), b))
    abytes = _dtype_bytes(setup.resolved_adapter_dtype)
    layer_of = {spec.name: spec for spec, _ in base}
    for ad in adapters(arch, setup.lora_rank, setup.lora_targets):
        spec = layer_of[ad.name]
        for shape in (ad.a_shape, tp_shard_shape(ad.b_shape, t)):
            n = numel(shape)
            out.append(_Piece(_unit(spec), n * abytes, n, n * abytes, state_bytes(setup.optimizer, shape)))
    return out


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


def _per_gpu(arch: Architecture, setup: TrainingSetup, base_weight_bytes: int | None):
    pieces = _pieces(arch, setup, base_weight_bytes)
    states = ModelStates(sum(p.weight_bytes for p in pieces), sum(p.gradient_bytes for p in pieces),
                         sum(p.optimizer_bytes for p in pieces))
    states = zero_partition(states, setup.zero_stage, setup.data_parallel)
    acts = activation_memory(arch, setup, _trainability(arch, setup))
    overhead: dict[str, int] = {}
    n = setup.data_parallel
    if setup.zero_stage == 3 and n > 1:
        units: dict[str, int] = {}
        for p in pieces:
            units[p.unit] = units.get(p.unit, 0) + p.weight_bytes
        overhead["zero3_gathered_parameters"] = ceil_div(max(units.values()) * (n - 1), n)
    if setup.mode == "qlora":
        biggest = max((ceil_div(s.numel, setup.tensor_parallel) for s in inventory(arch)
                       if nf4.is_quantised_linear(s)), default=0)
        overhead["dequantized_weight"] = biggest * nf4.UNQUANTISED_BYTES
    return states, acts, overhead


def _fits(arch, setup, base_weight_bytes, n: int, limit: int) -> bool:
    from dataclasses import replace

    s = replace(setup, data_parallel=n)
    states, acts, overhead = _per_gpu(arch, s, base_weight_bytes)
    return states.total + acts.total_bytes + sum(overhead.values()) <= limit


def min_gpus(arch: Architecture, setup: TrainingSetup, gpu_memory_bytes: int, *,
             base_weight_bytes: int | None = None, max_gpus: int = 65536) -> int | None:
    """The fewest GPUs (data-parallel ranks × ``setup.tensor_parallel``) at ``setup``'s ZeRO stage and
    micro-batch whose per-GPU memory fits ``gpu_memory_bytes``; ``None`` if none up to ``max_gpus`` does.
    Per-GPU memory never grows with more data-parallel ranks (ZeRO divides, activations stay), so the
    smallest count is found by bisection."""
    t = setup.tensor_parallel
    hi = max(1, max_gpus // t)
    if not _fits(arch, setup, base_weight_bytes, hi, gpu_memory_bytes):
        return None
    if setup.zero_stage == 0:
        return t  # plain data parallelism replicates everything: more ranks do not help
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        if _fits(arch, setup, base_weight_bytes, mid, gpu_memory_bytes):
            hi = mid
        else:
            lo = mid + 1
    return lo * t


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
    return " ".join(parts)


def training_memory(arch: Architecture, setup: TrainingSetup, *, base_weight_bytes: int | None = None
                    ) -> TrainingMemory:
    """Memory of one GPU while training ``arch`` as ``setup`` says.

    ``base_weight_bytes``: QLoRA's frozen base in bytes for the whole model (e.g. from
    ``llmplanner.core.formats``); by default the NF4 double-quantisation layout of ``training.qlora``.
    """
    states, acts, overhead = _per_gpu(arch, setup, base_weight_bytes)
    counted = count_params(arch).total
    if setup.mode == "full":
        trainable = counted
    else:
        trainable = sum(a.params for a in adapters(arch, setup.lora_rank, setup.lora_targets))
    all_params = counted + (trainable if setup.mode != "full" else 0)
    rule_bytes = int(counted * RULE_OF_THUMB_BYTES_PER_PARAM * RULE_OF_THUMB_HEADROOM)
    rule_gpus = rule_bytes / setup.gpu_memory_bytes if setup.gpu_memory_bytes else None
    detailed = (min_gpus(arch, setup, setup.gpu_memory_bytes, base_weight_bytes=base_weight_bytes)
                if setup.gpu_memory_bytes else None)
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

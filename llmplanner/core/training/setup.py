"""What a training run looks like: the knobs that decide its memory, validated once.

``TrainingSetup`` is a frozen dataclass the command line (``--mode full|lora|qlora``) and the GUI fill in;
every field is checked here so that the estimators below can trust it. Bad values raise
``UnknownNameError`` (a name that does not exist, with the nearest ones) or ``ConfigError`` (a number out of
range), each naming the field.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError, UnknownNameError

MODES = ("full", "lora", "qlora")
OPTIMIZERS = ("adamw", "adamw-8bit", "sgd", "sgd-momentum", "adafactor")
PRECISIONS = ("bf16-mixed", "fp16-mixed", "fp32")
RECOMPUTE = ("none", "selective", "full")
ATTENTION_KERNELS = ("flash", "eager", "unfused")
NORM_KERNELS = ("eager", "fused")
ADAPTER_DTYPES = ("fp32", "bf16")
ZERO_STAGES = (0, 1, 2, 3)

#: Ceilings no real run comes near; larger values are typos.
_LIMITS = {"micro_batch": 1 << 20, "seq_len": 1 << 31, "lora_rank": 1 << 16, "data_parallel": 1 << 20,
           "tensor_parallel": 1 << 12}


def _check_name(kind: str, field: str, value, choices) -> None:
    if value not in choices:
        raise UnknownNameError(kind, value, [str(c) for c in choices], field=field)


def _check_count(field: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"must be a whole number, got {value!r}", field=field)
    if value < 1:
        raise ConfigError(f"must be at least 1, got {value}", field=field)
    if value > _LIMITS[field]:
        raise ConfigError(f"{value:,} is larger than any real run uses (limit {_LIMITS[field]:,})", field=field)


@dataclass(frozen=True)
class TrainingSetup:
    """One training configuration, per GPU where that matters (``micro_batch`` is per data-parallel rank)."""

    mode: str = "full"
    """``full`` (every weight trained), ``lora`` (16-bit frozen base + adapters, Hu et al. 2021) or ``qlora``
    (NF4 double-quantised frozen base + adapters, Dettmers et al. 2023)."""
    optimizer: str = "adamw"
    precision: str = "bf16-mixed"
    """``bf16-mixed``/``fp16-mixed``: 16-bit weights, gradients and activations with fp32 master weights
    (ZeRO's mixed-precision recipe); ``fp32``: everything in 32-bit."""
    recompute: str = "none"
    """Activation recomputation (Korthikanti et al. 2022): ``selective`` recomputes the attention core,
    ``full`` keeps only each layer's input (gradient checkpointing)."""
    micro_batch: int = 1
    seq_len: int = 2048
    lora_rank: int = 16
    lora_targets: tuple[str, ...] = ("all-linear",)
    """Which matrices get adapters: ``q k v o qkv kv gate up down experts router lm_head`` (or the Hugging
    Face module names ``q_proj`` …), or ``all-linear`` (PEFT: every linear layer except the output head).
    The default follows QLoRA's finding (§4) that adapting every linear layer is needed to match full
    fine-tuning; PEFT's own default for Llama is ``q, v``."""
    lora_dropout: float = 0.0
    """PEFT's ``lora_dropout``: when above 0 each adapted layer keeps its own dropped copy of its input."""
    adapter_dtype: str | None = None
    """Adapter weights and gradients: ``fp32`` or ``bf16``. ``None`` picks per mode: ``fp32`` for LoRA
    (PEFT's ``autocast_adapter_dtype=True`` default upcasts adapters of a 16-bit model) and ``bf16`` for
    QLoRA (the paper's recipe: "LoRA adapters in BFloat16", its qlora.py casts them)."""
    zero_stage: int = 0
    """ZeRO (Rajbhandari et al. 2020) over the data-parallel group: 1 partitions optimizer states, 2 also
    gradients, 3 also parameters."""
    data_parallel: int = 1
    tensor_parallel: int = 1
    sequence_parallel: bool = False
    """Megatron sequence parallelism: the activations that tensor parallelism replicates (norm inputs,
    dropout masks) are split along the sequence too (Korthikanti et al. 2022 §4.2.2)."""
    attention_kernel: str = "flash"
    """How attention keeps what its backward needs:

    - ``flash``: a fused kernel (FlashAttention; PyTorch SDPA, transformers' default ``sdpa``) keeps only
      Q, K, V at their own width, its output and the fp32 softmax log-sum-exp, and recomputes the s×s scores;
    - ``eager``: transformers' ``eager_attention_forward``: K and V repeated to every head (``repeat_kv``),
      the softmax computed and kept in fp32 plus the 16-bit copy that multiplies V;
    - ``unfused``: Korthikanti et al.'s accounting (Megatron's unfused core attention with its fused
      scale-mask-softmax): repeated K/V and the 16-bit probabilities — the ``5as/h`` term with dropout."""
    norm_kernel: str = "eager"
    """``eager``: RMSNorm as transformers' modeling files write it (``LlamaRMSNorm``: the input upcast to
    fp32 and kept, the per-token rstd, and the normalised 16-bit tensor kept for the weight's gradient);
    ``fused``: a fused kernel (Apex, Megatron/TE, Liger) that keeps only its 16-bit input, as Korthikanti
    et al. count it. LayerNorm is PyTorch's fused ``native_layer_norm`` either way."""
    dropout: bool = False
    """Dropout on attention probabilities and residual branches (GPT-2/GPT-3, Megatron); modern LLM
    fine-tuning runs without it (Llama's ``attention_dropout`` is 0), so no masks are kept by default."""
    gpu_memory_bytes: int | None = None
    """Memory of one GPU, for the rule of thumb and the smallest GPU count that fits."""

    def __post_init__(self):
        if isinstance(self.lora_targets, str):
            object.__setattr__(self, "lora_targets", tuple(p.strip() for p in self.lora_targets.split(",")
                                                            if p.strip()))
        else:
            object.__setattr__(self, "lora_targets", tuple(self.lora_targets))
        _check_name("training mode", "mode", self.mode, MODES)
        _check_name("optimizer", "optimizer", self.optimizer, OPTIMIZERS)
        _check_name("training precision", "precision", self.precision, PRECISIONS)
        _check_name("recomputation", "recompute", self.recompute, RECOMPUTE)
        _check_name("attention kernel", "attention_kernel", self.attention_kernel, ATTENTION_KERNELS)
        _check_name("norm kernel", "norm_kernel", self.norm_kernel, NORM_KERNELS)
        if self.adapter_dtype is not None:
            _check_name("adapter dtype", "adapter_dtype", self.adapter_dtype, ADAPTER_DTYPES)
        if self.zero_stage not in ZERO_STAGES or isinstance(self.zero_stage, bool):
            raise ConfigError(f"ZeRO stage must be 0, 1, 2 or 3, got {self.zero_stage!r}", field="zero_stage")
        for name in ("micro_batch", "seq_len", "lora_rank", "data_parallel", "tensor_parallel"):
            _check_count(name, getattr(self, name))
        if isinstance(self.lora_dropout, bool) or not isinstance(self.lora_dropout, (int, float)) \
                or not 0.0 <= self.lora_dropout < 1.0:
            raise ConfigError(f"must be a probability in [0, 1), got {self.lora_dropout!r}", field="lora_dropout")
        if self.mode != "full" and not self.lora_targets:
            raise ConfigError("LoRA needs at least one target module", field="lora_targets")
        if self.gpu_memory_bytes is not None:
            if isinstance(self.gpu_memory_bytes, bool) or not isinstance(self.gpu_memory_bytes, int) \
                    or self.gpu_memory_bytes < 1:
                raise ConfigError(f"must be a positive number of bytes, got {self.gpu_memory_bytes!r}",
                                  field="gpu_memory_bytes")

    # -- derived -----------------------------------------------------------------------------------------
    @property
    def mixed(self) -> bool:
        return self.precision != "fp32"

    @property
    def activation_bytes(self) -> int:
        """Bytes of one stored activation element: 16-bit under mixed precision, else 32-bit."""
        return 2 if self.mixed else 4

    @property
    def gpus(self) -> int:
        """GPUs the run spans: data-parallel × tensor-parallel ranks."""
        return self.data_parallel * self.tensor_parallel

    @property
    def resolved_adapter_dtype(self) -> str:
        if self.adapter_dtype is not None:
            return self.adapter_dtype
        if self.precision == "fp32":
            return "fp32"
        return "bf16" if self.mode == "qlora" else "fp32"

    def as_dict(self) -> dict:
        from dataclasses import asdict

        d = asdict(self)
        d["lora_targets"] = list(self.lora_targets)
        return d

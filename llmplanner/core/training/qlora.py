"""QLoRA's frozen base: NF4 with double quantisation, bytes per tensor.

Dettmers et al. 2023, "QLoRA: Efficient Finetuning of Quantized LLMs" (arXiv:2305.14314) §3: weights in
4-bit NormalFloat, blocks of 64 with one absmax each; Double Quantization stores those absmax values as
8-bit floats in second-level blocks of 256 with one fp32 constant each — "8/64 + 32/(64·256) = 0.127 bits
per parameter", 4.127 bits per weight in all. The storage is bitsandbytes' ``quantize_4bit``
(``bitsandbytes/functional.py``): packed uint8 (two weights a byte), ``quantize_blockwise(absmax - offset,
blocksize=256)`` for the constants, and one fp32 ``offset`` (the mean absmax) per tensor.

Only ``nn.Linear`` weights are quantised: transformers' bitsandbytes integration keeps the output head
(``get_keys_to_not_convert``), the embeddings and the norms in the 16-bit ``torch_dtype``
(``/work/shared/reference/quant-formats.json`` ``other_formats``: "applies to quantized Linear weights only").
Linear biases stay 16-bit too. Stacked experts count as per-expert linears (transformers 4.x builds them
as ``nn.Linear``; a model whose experts are fused 3-D parameters would keep them 16-bit).

The training estimate takes its total from ``formats.weight_bytes(arch, get_format("nf4-dq"))`` and uses this
per-tensor layout only to spread it over blocks (ZeRO-3) and tensor-parallel ranks. The two agree within
0.02 % on decoder models (``tests/test_training.py``): ``formats`` also counts the 16- and 256-entry code
tables per tensor (~1 kB each) and keeps MoE routers in 16 bits.
"""
from __future__ import annotations

from ..architecture import Architecture
from ..tensors import TensorSpec, inventory
from .lora import LOOKUP_ROLES

NF4_BLOCK = 64
DQ_BLOCK = 256
UNQUANTISED_BYTES = 2
"""bf16/fp16 for everything bitsandbytes leaves alone."""


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def is_quantised_linear(t: TensorSpec) -> bool:
    """A weight that bitsandbytes' 4-bit ``Linear4bit`` replaces: a linear layer's matrix, not the head."""
    return t.is_matrix and t.role not in LOOKUP_ROLES and t.role != "output"


def nf4_dq_tensor_bytes(numel: int) -> int:
    """Packed 4-bit codes + uint8 absmax per 64 + fp32 absmax per 256 blocks + one fp32 offset."""
    blocks = _ceil_div(numel, NF4_BLOCK)
    return _ceil_div(numel, 2) + blocks + 4 * _ceil_div(blocks, DQ_BLOCK) + 4


def tensor_bytes(t: TensorSpec) -> int:
    """Stacked experts are quantised expert by expert (one ``Linear4bit`` each)."""
    if not is_quantised_linear(t):
        return t.numel * UNQUANTISED_BYTES
    experts = t.experts if len(t.shape) == 3 else 1
    return experts * nf4_dq_tensor_bytes(t.numel // experts)


def nf4_double_quant_weight_bytes(arch: Architecture) -> int:
    """Bytes of ``arch`` loaded with ``BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
    bnb_4bit_use_double_quant=True)`` and a 16-bit ``torch_dtype``."""
    return sum(tensor_bytes(t) for t in inventory(arch))


def quantised_linear_params(arch: Architecture) -> int:
    """Weights stored in 4 bits (the rest of the model stays 16-bit)."""
    return sum(t.numel for t in inventory(arch) if is_quantised_linear(t))

"""LoRA adapters: which matrices a target list adapts, and exactly how many parameters that adds.

Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models" (arXiv:2106.09685) §4.1: a frozen
weight W (d_out × d_in) gets the update B·A with B (d_out × r) and A (r × d_in), so each adapted matrix adds
``r·(d_in + d_out)`` trainable parameters (no bias: PEFT's default ``bias="none"``). Stacked MoE experts
(E, out, in) get one pair per expert, as PEFT does for per-expert ``nn.Linear`` modules.

Targets are matched on the tensor inventory's roles (``llmplanner.core.tensors``), so the count follows the
model's real shapes: GQA's narrow k/v projections, fused qkv (GPT-2, GPT-NeoX, Phi-3), MLA's low-rank
projections, shared and routed experts. ``all-linear`` is PEFT's shorthand (``peft/tuners/tuners_utils.py``
``_maybe_include_all_linear_layers``): every linear layer except the output head.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..architecture import Architecture
from ..errors import ConfigError, UnknownNameError
from ..tensors import TensorSpec, inventory

LOOKUP_ROLES = frozenset({"token_embd", "position_embd", "token_types"})
"""Embedding tables: looked up, not multiplied; never LoRA targets and never quantised as linears."""

TARGET_ROLES: dict[str, tuple[str, ...]] = {
    "q": ("attn_q", "attn_q_a", "attn_q_b"),
    "k": ("attn_k",),
    "v": ("attn_v",),
    "qkv": ("attn_qkv",),
    "kv": ("attn_kv_a_mqa", "attn_kv_b"),
    "o": ("attn_output",),
    "gate": ("ffn_gate", "ffn_gate_shexp"),
    "up": ("ffn_up", "ffn_up_shexp"),
    "down": ("ffn_down", "ffn_down_shexp"),
    "experts": ("ffn_gate_exps", "ffn_up_exps", "ffn_down_exps"),
    "router": ("ffn_gate_inp",),
    "lm_head": ("output",),
}
"""Short target names → inventory roles (llama.cpp naming)."""

ALIASES = {
    # Hugging Face module names (modeling_llama.py, modeling_gpt_neox.py, modeling_gpt2.py, modeling_phi3.py,
    # modeling_mixtral.py, modeling_deepseek_v3.py)
    "q_proj": "q", "k_proj": "k", "v_proj": "v", "o_proj": "o",
    "qkv_proj": "qkv", "query_key_value": "qkv", "c_attn": "qkv", "wqkv": "qkv",
    "q_a_proj": "q", "q_b_proj": "q", "kv_a_proj_with_mqa": "kv", "kv_b_proj": "kv",
    "gate_proj": "gate", "up_proj": "up", "down_proj": "down", "gate_up_proj": "up",
    "w1": "experts", "w2": "experts", "w3": "experts",
    "output": "lm_head", "all_linear": "all-linear",
}


@dataclass(frozen=True)
class Adapter:
    """One adapted matrix and its A/B pair."""

    name: str
    """The base tensor's inventory name, e.g. ``blk.3.attn_v.weight``."""
    role: str
    in_features: int
    out_features: int
    experts: int
    rank: int
    layer: int | None

    @property
    def a_shape(self) -> tuple[int, ...]:
        return (self.experts, self.rank, self.in_features) if self.experts > 1 else (self.rank, self.in_features)

    @property
    def b_shape(self) -> tuple[int, ...]:
        return (self.experts, self.out_features, self.rank) if self.experts > 1 else (self.out_features, self.rank)

    @property
    def params(self) -> int:
        """r·(in + out) per expert (Hu et al. 2021 §4.1)."""
        return self.experts * self.rank * (self.in_features + self.out_features)


def _is_linear(t: TensorSpec) -> bool:
    return t.is_matrix and t.role not in LOOKUP_ROLES


def resolve_targets(targets) -> tuple[str, ...]:
    """Canonical target names (``q_proj`` → ``q``), refusing unknown ones with the nearest names."""
    out = []
    choices = sorted(set(TARGET_ROLES) | set(ALIASES) | {"all-linear"})
    for raw in targets:
        name = str(raw).strip().lower()
        name = ALIASES.get(name, name)
        if name != "all-linear" and name not in TARGET_ROLES:
            raise UnknownNameError("LoRA target", raw, choices, field="lora_targets")
        if name not in out:
            out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class TargetSelection:
    """Resolved targets: explicit roles, plus every linear but the head when ``all_linear``."""

    roles: frozenset[str]
    all_linear: bool = False

    def adapts(self, t: TensorSpec) -> bool:
        if not _is_linear(t):
            return False
        return t.role in self.roles or (self.all_linear and t.role != "output")


def select_targets(targets) -> TargetSelection:
    names = resolve_targets(targets)
    roles = frozenset(r for n in names if n != "all-linear" for r in TARGET_ROLES[n])
    return TargetSelection(roles, "all-linear" in names)


def adapters(arch: Architecture, rank: int, targets) -> tuple[Adapter, ...]:
    """Every adapter pair that ``targets`` at ``rank`` put on ``arch``; refuses a target list that matches
    nothing (as PEFT does: "Target modules … not found in the base model")."""
    if isinstance(targets, str):
        targets = [p.strip() for p in targets.split(",") if p.strip()]
    return _adapters(arch, rank, tuple(targets))


@lru_cache(maxsize=256)
def _adapters(arch: Architecture, rank: int, targets: tuple[str, ...]) -> tuple[Adapter, ...]:
    selection = select_targets(targets)
    out = []
    for t in inventory(arch):
        if not selection.adapts(t):
            continue
        out_f, in_f = t.shape[-2], t.shape[-1]
        out.append(Adapter(t.name, t.role, in_f, out_f, t.experts if len(t.shape) == 3 else 1, rank, t.layer))
    if not out:
        present = sorted({t.role for t in inventory(arch) if _is_linear(t)})
        raise ConfigError(f"LoRA targets {', '.join(targets)} match no matrix of {arch.name} "
                          f"(its linear layers: {', '.join(present)})", field="lora_targets")
    return tuple(out)


def adapted_roles(arch: Architecture, targets) -> frozenset[str]:
    """The roles of ``arch`` that carry adapters."""
    return frozenset(a.role for a in adapters(arch, 1, targets))


def lora_trainable_params(arch: Architecture, rank: int, targets) -> int:
    """Exactly what PEFT's ``print_trainable_parameters`` reports as "trainable params"."""
    return sum(a.params for a in adapters(arch, rank, targets))

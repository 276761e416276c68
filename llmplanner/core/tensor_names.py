"""Tensor names across formats: Hugging Face checkpoint names → llama.cpp's GGUF names, components, patterns.

Our tensor inventory (``tensors.py``) is named the GGUF way, so a checkpoint compared with an architecture
needs the Hugging Face names translated. The translation table is llama.cpp's own, shipped in the ``gguf``
package (``gguf/tensor_mapping.py``: ``TensorNameMap``, used by ``convert_hf_to_gguf.py``); we add only what
the converter does before looking names up: per-expert tensors (``experts.7.w1``) fold into the merged
expert tensor, multimodal wrappers (``language_model.``) are unwrapped, and quantised weight names
(``qweight``, ``*_blocks``) are read as the weight they hold.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

#: Hugging Face ``model_type`` → llama.cpp architecture name (``gguf.MODEL_ARCH_NAMES``), as
#: convert_hf_to_gguf.py registers the model classes.
HF_TO_GGUF_ARCH = {
    "llama": "llama", "mistral": "llama", "mixtral": "llama", "ministral": "llama", "granite": "granite",
    "qwen2": "qwen2", "qwen2_moe": "qwen2moe", "qwen3": "qwen3", "qwen3_moe": "qwen3moe",
    "gemma": "gemma", "gemma2": "gemma2", "gemma3_text": "gemma3", "gemma3": "gemma3",
    "phi3": "phi3", "phi": "phi2", "gpt2": "gpt2", "gptj": "gptj", "gpt_neox": "gptneox", "falcon": "falcon",
    "bert": "bert", "deepseek_v2": "deepseek2", "deepseek_v3": "deepseek2", "olmo2": "olmo2",
    "starcoder2": "starcoder2",
}

#: GGUF architecture → the Hugging Face ``model_type`` whose rules describe it.
GGUF_TO_HF_FAMILY = {
    "llama": "llama", "granite": "granite", "qwen2": "qwen2", "qwen2moe": "qwen2_moe", "qwen3": "qwen3",
    "qwen3moe": "qwen3_moe", "gemma": "gemma", "gemma2": "gemma2", "gemma3": "gemma3_text", "phi3": "phi3",
    "phi2": "phi", "gpt2": "gpt2", "gptj": "gptj", "gptneox": "gpt_neox", "falcon": "falcon", "bert": "bert",
    "deepseek2": "deepseek_v3", "olmo2": "olmo2", "starcoder2": "starcoder2",
}

_WRAPPERS = (
    (re.compile(r"^(?:model\.)?language_model\.model\."), "model."),
    (re.compile(r"^model\.language_model\."), "model."),
    (re.compile(r"^(?:model\.)?language_model\.lm_head\."), "lm_head."),
    (re.compile(r"^language_model\."), ""),
)
_EXPERT_INDEX = re.compile(r"\.experts\.\d+\.")
_LAYER = re.compile(r"(?:^|\.)(?:layers|h|blocks|layer|blk)\.(\d+)\.")
_ENCODERS = re.compile(r"(?:^|\.)(?:vision|visual|vision_tower|vision_model|audio|audio_tower|image|mm_projector|"
                       r"multi_modal_projector|vision_embed|embed_vision|embed_audio|siglip|speech)", re.I)


def layer_of(name: str) -> int | None:
    """The block index in a tensor name (``model.layers.12.…``, ``h.3.…``, ``blk.7.…``), or None."""
    m = _LAYER.search(name)
    return int(m.group(1)) if m else None


def is_encoder_tensor(name: str) -> bool:
    """A vision/audio encoder or projector tensor of a multimodal checkpoint."""
    return bool(_ENCODERS.search(name))


_INDEXED = re.compile(r"(?:(?<=\.)|^)(layers|h|blocks|layer|blk|experts)\.\d+\.")


def _placeholder(m: re.Match) -> str:
    return f"{m.group(1)}.{{e}}." if m.group(1) == "experts" else f"{m.group(1)}.{{i}}."


def pattern_of(name: str) -> str:
    """The name with block and expert indices replaced: ``model.layers.{i}.mlp.experts.{e}.w1.weight``."""
    return _INDEXED.sub(_placeholder, name)


@lru_cache(maxsize=16)
def _name_map(arch_name: str, n_blocks: int):
    import gguf

    by_name = {v: k for k, v in gguf.MODEL_ARCH_NAMES.items()}
    arch = by_name.get(arch_name, gguf.MODEL_ARCH.LLAMA)
    return gguf.get_tensor_name_map(arch, n_blocks)


def hf_to_gguf_name(name: str, model_type: str | None, n_blocks: int) -> str | None:
    """llama.cpp's GGUF name of a Hugging Face checkpoint tensor, or None when it has none.

    Unknown model types are looked up with the Llama table, which also covers the common alternatives.
    """
    for pattern, repl in _WRAPPERS:
        name = pattern.sub(repl, name, count=1)
    name = _EXPERT_INDEX.sub(".experts.", name)
    if name.endswith(".qweight"):
        name = name[: -len("qweight")] + "weight"
    elif name.endswith(".weight_packed"):
        name = name[: -len("_packed")]
    elif name.endswith("_blocks"):
        name = name[: -len("_blocks")] + ".weight"
    arch = HF_TO_GGUF_ARCH.get(model_type or "", "llama")
    tmap = _name_map(arch, max(int(n_blocks), 1))
    return tmap.get_name(name, try_suffixes=(".weight", ".bias"))


class HFNamer:
    """``hf_to_gguf_name`` for a whole checkpoint: names that differ only in their block and expert numbers
    share one look-up (DeepSeek-V3 has 92,000 tensors but a few dozen name patterns)."""

    def __init__(self, model_type: str | None, n_blocks: int):
        self.model_type, self.n_blocks = model_type, n_blocks
        self._templates: dict[str, str | None] = {}

    def __call__(self, name: str, pattern: str | None = None) -> str | None:
        pattern = pattern_of(name) if pattern is None else pattern
        if pattern.count("{i}") != 1:
            return hf_to_gguf_name(name, self.model_type, self.n_blocks)
        if pattern not in self._templates:
            probe = hf_to_gguf_name(pattern.replace("{i}", "0").replace("{e}", "0"), self.model_type, self.n_blocks)
            self._templates[pattern] = (probe.replace("blk.0.", "blk.{i}.", 1)
                                        if probe and probe.startswith("blk.0.") else probe)
        template = self._templates[pattern]
        if template is None or "{i}" not in template:
            return template
        return template.replace("{i}", str(layer_of(name)), 1)


def component_of(gguf_name: str) -> str:
    """Breakdown category (``tensors.COMPONENTS``) of a GGUF tensor name."""
    role = re.sub(r"^blk\.\d+\.", "", gguf_name)
    if role.startswith(("token_embd", "position_embd", "token_types")):
        return "embeddings"
    if role.startswith("output.") or role == "output":
        return "output"
    if "norm" in role:
        return "norms"
    if "_exps" in role or "_shexp" in role or "gate_inp" in role or "exp_probs" in role:
        return "experts"
    if role.startswith("attn"):
        return "attention"
    if role.startswith("ffn"):
        return "mlp"
    return "other"


def compare_counts(header: dict[str, int], architecture: dict[str, int], *, limit: int = 40) -> list[dict]:
    """Where a checkpoint's tensors and an architecture's inventory disagree, by GGUF name.

    Blocks (and the non-block tensors) whose totals agree are not listed even if names differ (llama.cpp
    and our inventory may name a norm differently); in the others every name whose count differs is
    listed, folded over blocks (``blk.*.ffn_up_exps.weight`` with how many tensors were folded).
    """
    def group(counts):
        out = defaultdict(dict)
        for name, n in counts.items():
            m = re.match(r"^blk\.(\d+)\.", name)
            out[int(m.group(1)) if m else None][name] = n
        return out

    h, a = group(header), group(architecture)
    folded: dict[str, list[int]] = {}
    for key in sorted(set(h) | set(a), key=lambda k: -1 if k is None else k):
        hs, as_ = h.get(key, {}), a.get(key, {})
        if sum(hs.values()) == sum(as_.values()):
            continue
        for name in sorted(set(hs) | set(as_)):
            if hs.get(name, 0) != as_.get(name, 0):
                entry = folded.setdefault(re.sub(r"^blk\.\d+\.", "blk.*.", name), [0, 0, 0])
                entry[0] += hs.get(name, 0)
                entry[1] += as_.get(name, 0)
                entry[2] += 1
    rows = [{"tensor": n, "header": v[0], "architecture": v[1], "tensors": v[2]} for n, v in folded.items()]
    rows.sort(key=lambda r: -abs(r["header"] - r["architecture"]))
    return rows[:limit]

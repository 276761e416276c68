"""Exact parameter counts from weight files — safetensors and GGUF — without loading a weight.

``load_safetensors_model(path)`` reads every header of a ``.safetensors`` file, a sharded index or a model
folder (``safetensors_header``), applies transformers' counting convention (``weight_count``) and, when a
``config.json`` lies beside the weights, reads the architecture from it and says whether the two counts
agree and, if not, which tensors differ. ``load_gguf_model(path)`` reads a GGUF header (``gguf_header``),
builds the architecture from its metadata and tensors (``gguf_arch``) and keeps the per-tensor ggml types
(``header_info["tensor_types"]``: (name, type) pairs, read by ``memory.weights.tensor_bytes``), the file type
and sizes that the memory estimate needs.

In both, ``LoadedModel.header_params`` is the header's count: what the user will actually load.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from .gguf_header import GGUFArray, GGUFHeader, read_gguf_header
from .model_source import LoadedModel
from .params import count_params
from .safetensors_header import HeaderTensor, SafetensorsHeader, read_safetensors_header
from .tensor_names import HFNamer, compare_counts, component_of, is_encoder_tensor, layer_of, pattern_of
from .tensors import COMPONENTS, inventory
from .weight_count import Counted, classify

__all__ = ["load_safetensors_model", "load_gguf_model", "read_safetensors_header", "read_gguf_header"]


# -- summaries shared by both formats --------------------------------------------------------------------

def _by_type(tensors: Iterable[HeaderTensor]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for t in tensors:
        row = out.setdefault(t.dtype, {"tensors": 0, "elements": 0, "bytes": 0})
        row["tensors"] += 1
        row["elements"] += t.numel
        row["bytes"] += t.nbytes
    return dict(sorted(out.items(), key=lambda kv: -kv[1]["bytes"]))


def _skipped(counted: list[Counted]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for c in counted:
        if c.kind == "parameter":
            continue
        row = out.setdefault(c.kind, {"tensors": 0, "elements": 0, "reasons": []})
        row["tensors"] += 1
        row["elements"] += c.stored
        if c.reason not in row["reasons"]:
            row["reasons"].append(c.reason)
    return out


def _skip_notes(skipped: dict[str, dict]) -> list[str]:
    words = {"buffer": "buffer", "quantization": "quantisation scale/zero-point", "mtp": "multi-token-prediction",
             "tied": "tied output-head"}
    return [f"not counted: {row['tensors']} {words[kind]} tensor(s), {row['elements']:,} elements "
            f"({'; '.join(row['reasons'][:3])})" for kind, row in skipped.items()]


def _breakdowns(counted: list[Counted], names: dict[str, str | None],
                patterns_of: dict[str, str] | None = None) -> tuple[dict, dict, dict[str, int]]:
    """(component → params, pattern → {tensors, params}, comparison key → params)."""
    components = dict.fromkeys(COMPONENTS, 0)
    patterns: dict[str, dict[str, int]] = {}
    keyed: dict[str, int] = defaultdict(int)
    for c in counted:
        if c.kind != "parameter":
            continue
        gguf_name = names.get(c.name)
        components[component_of(gguf_name) if gguf_name else "other"] += c.params
        pattern = patterns_of[c.name] if patterns_of else pattern_of(c.name)
        row = patterns.setdefault(pattern, {"tensors": 0, "params": 0})
        row["tensors"] += 1
        row["params"] += c.params
        keyed[gguf_name or pattern] += c.params
    return components, patterns, dict(keyed)


def _compare(arch, header_params: int, keyed: dict[str, int]) -> dict:
    if arch is None:
        return {"architecture_params": None, "matches_architecture": None, "differences": []}
    expected = count_params(arch).total
    if expected == header_params:
        return {"architecture_params": expected, "matches_architecture": True, "differences": []}
    arch_counts: dict[str, int] = defaultdict(int)
    for t in inventory(arch):
        arch_counts[t.name] += t.numel
    return {"architecture_params": expected, "matches_architecture": False,
            "differences": compare_counts(keyed, dict(arch_counts))}


def _mismatch_note(cmp: dict, header_params: int, what: str) -> list[str]:
    if cmp["matches_architecture"] is not False:
        return []
    diff = header_params - cmp["architecture_params"]
    top = ", ".join(d["tensor"] for d in cmp["differences"][:3])
    return [f"the weights hold {header_params:,} parameters, {abs(diff):,} {'more' if diff > 0 else 'fewer'} than "
            f"the architecture {what} describes ({cmp['architecture_params']:,}); differing: {top or 'see header'}"]


# -- safetensors ------------------------------------------------------------------------------------------

def _config_beside(header: SafetensorsHeader):
    path = Path(header.folder) / "config.json"
    if not path.is_file():
        return None, None, None
    from .hf_config import load_config

    arch = load_config(path)
    data = json.loads(path.read_text(encoding="utf-8"))  # load_config has validated it
    return arch, data, str(path)


def _quant_config(config: dict | None) -> dict | None:
    if not isinstance(config, dict):
        return None
    for holder in (config, config.get("text_config") if isinstance(config.get("text_config"), dict) else {}):
        q = holder.get("quantization_config")
        if isinstance(q, dict):
            return q
    return None


def count_safetensors(header: SafetensorsHeader, arch=None, config: dict | None = None):
    """Counted tensors, their GGUF names and their name patterns."""
    blocks = max((layer_of(t.name) or 0 for t in header.tensors), default=0) + 1
    namer = HFNamer(arch.family if arch is not None else None, blocks)
    patterns = {t.name: pattern_of(t.name) for t in header.tensors}
    names = {t.name: namer(t.name, patterns[t.name]) for t in header.tensors}
    counted = classify(header.tensors, num_layers=arch.num_layers if arch is not None else None,
                       tied=arch.embeddings.tied if arch is not None else None,
                       quant_config=_quant_config(config), gguf_names=names)
    return counted, names, patterns


def load_safetensors_model(path: str | Path) -> LoadedModel:
    """Exact parameter count of a safetensors checkpoint from its headers; the architecture from the
    ``config.json`` beside it when there is one (``architecture`` is None otherwise)."""
    header = read_safetensors_header(path)
    arch, config, config_path = _config_beside(header)
    return model_from_safetensors_header(header, arch, config, config_source=config_path,
                                         source_kind="safetensors", source=str(path))


def model_from_safetensors_header(header: SafetensorsHeader, arch, config: dict | None, *,
                                  config_source: str | None, source_kind: str, source: str) -> LoadedModel:
    """The ``LoadedModel`` of read headers (local or fetched from the Hub) and an optional architecture."""
    counted, names, name_patterns = count_safetensors(header, arch, config)
    header_params = sum(c.params for c in counted)
    components, patterns, keyed = _breakdowns(counted, names, name_patterns)
    skipped = _skipped(counted)
    cmp = _compare(arch, header_params, keyed)
    by_dtype: dict[str, int] = defaultdict(int)
    stored = {t.name: t for t in header.tensors}
    for c in counted:
        if c.params:
            by_dtype[stored[c.name].dtype] += c.params
    encoder = sum(c.params for c in counted if c.kind == "parameter" and is_encoder_tensor(c.name))
    info = {
        "format": "safetensors",
        "path": header.path,
        "files": list(header.files),
        "index": header.index,
        "config": config_source,
        "file_bytes": header.file_bytes,
        "tensor_bytes": header.tensor_bytes,
        "tensor_count": len(header.tensors),
        "dtypes": _by_type(header.tensors),
        "params_by_dtype": dict(by_dtype),
        "skipped": skipped,
        "breakdown": components,
        "patterns": patterns,
        "encoder_params": encoder,
        "metadata": header.metadata,
        **cmp,
    }
    notes = list(arch.notes) if arch is not None else []
    if arch is None:
        notes.append(f"no config.json beside the weights in {header.folder}: the count is the header's, "
                     "the architecture (heads, context, active experts) is unknown")
    notes += _skip_notes(skipped)
    if encoder:
        notes.append(f"{encoder:,} of the parameters are in vision/audio encoder or projector tensors")
    notes += _mismatch_note(cmp, header_params, "config.json")
    return LoadedModel(architecture=arch, source_kind=source_kind, source=source, header_params=header_params,
                       header_info=info, notes=tuple(notes))


# -- GGUF -------------------------------------------------------------------------------------------------

def _file_type(header: GGUFHeader) -> dict | None:
    ft = header.metadata.get("general.file_type")
    if not isinstance(ft, int) or isinstance(ft, bool):
        return None
    from gguf.constants import LlamaFileType

    try:
        name = LlamaFileType(ft).name
    except ValueError:
        name = f"unknown ({ft})"
    for prefix in ("MOSTLY_", "ALL_"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return {"id": ft, "name": name}


def _small_metadata(header: GGUFHeader) -> dict:
    out = {}
    for k, v in header.metadata.items():
        if k.startswith("tokenizer.") and not isinstance(v, (int, float, str)):
            continue
        if isinstance(v, GGUFArray):
            out[k] = {"array_of": v.item_type, "length": v.length}
        elif isinstance(v, str) and len(v) > 200:
            out[k] = v[:200] + "…"
        elif isinstance(v, float) and v != v:
            out[k] = None
        else:
            out[k] = v
    return out


def count_gguf(header: GGUFHeader, num_layers: int | None = None) -> list[Counted]:
    """Counted tensors of a GGUF file: elements as stored (merged experts count E × out × in), less
    buffers (``rope_freqs``, ``exp_probs_b``) and multi-token-prediction blocks (``nextn``)."""
    return classify(header.tensors, mtp_layers_from=num_layers)


def load_gguf_model(path: str | Path) -> LoadedModel:
    """Exact parameter count and architecture of a GGUF model from its header and metadata."""
    from .gguf_arch import architecture_from_gguf

    header = read_gguf_header(path)
    arch, arch_notes = architecture_from_gguf(header)
    counted = count_gguf(header, arch.num_layers)
    header_params = sum(c.params for c in counted)
    names = {t.name: t.name for t in header.tensors}
    components, _patterns, keyed = _breakdowns(counted, names)
    skipped = _skipped(counted)
    cmp = _compare(arch, header_params, keyed)
    info = {
        "format": "gguf",
        "path": header.path,
        "files": list(header.files),
        "version": header.version,
        "byte_order": "little" if header.byte_order == "<" else "big",
        "architecture": header.architecture,
        "file_type": _file_type(header),
        "file_bytes": header.file_bytes,
        "tensor_bytes": header.tensor_bytes,
        "data_offset": header.data_offset,
        "alignment": header.alignment,
        "tensor_count": len(header.tensors),
        "ggml_types": _by_type(header.tensors),
        "tensor_types": tuple((t.name, t.dtype) for t in header.tensors),
        "tensors": [{"name": t.name, "shape": list(t.shape), "type": t.dtype, "bytes": t.nbytes}
                    for t in header.tensors],
        "skipped": skipped,
        "breakdown": components,
        "metadata": _small_metadata(header),
        **cmp,
    }
    notes = arch_notes + _skip_notes(skipped) + _mismatch_note(cmp, header_params, "its metadata")
    return LoadedModel(architecture=arch, source_kind="gguf", source=str(path), header_params=header_params,
                       header_info=info, notes=tuple(notes))


"""The plan: one model and the settings every tab works from, and its ``.llmplan`` file.

A ``Plan`` is what the user builds in the app — which model (a preset, a config.json, weight headers, a
Hub repo or an edited architecture), an optional model pinned for comparison, the runtime, the weight and
KV-cache formats, context and batch, inference or training (with its options), the hardware and the
sampler settings. All tabs read the same plan; a tab's edit produces a new plan (the dataclasses are
frozen, ``plan.replace(context=8192)``).

Files are JSON with a ``format_version``. Reading is tolerant of what a user can fix by looking (a missing
or invalid field takes its default and adds a notice; a preset that no longer exists is replaced by the
default model, with a notice) and strict about what it cannot interpret (not JSON, not a plan, a format
from a newer llmplanner): those raise ``PlannerError`` naming the file. Writing is atomic
(``atomic_io.write_text_atomic``).
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .architecture import Architecture
from .errors import PlannerError, UnknownNameError

FORMAT_VERSION = 1
"""Bump when a field changes meaning; readers refuse newer versions and upgrade older ones."""
PLAN_SUFFIX = ".llmplan"
MAX_PLAN_BYTES = 16 << 20
"""A plan is a few kB (a custom architecture included); anything this large is not one."""

SOURCE_KINDS = ("preset", "config", "safetensors", "gguf", "hf-repo", "custom")
RUNTIMES = ("llama.cpp", "transformers", "ollama", "vllm")
MODES = ("inference", "full", "lora", "qlora")
"""Inference, full fine-tuning, LoRA (Hu et al. 2021, arXiv:2106.09685), QLoRA (Dettmers et al. 2023,
arXiv:2305.14314)."""
HARDWARE_SOURCES = ("detected", "catalogue")
DEFAULT_MODEL = "Llama-3-8B"
MAX_CONTEXT = (1 << 31) - 1
MAX_BATCH = 1 << 16


def _require(ok: bool, field_name: str, message: str) -> None:
    if not ok:
        raise PlannerError(message, field=field_name)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@dataclass(frozen=True)
class ModelSource:
    """Where the plan's model comes from. ``custom`` carries the whole architecture (an edited model)."""

    kind: str
    value: str
    """A preset name, a path, a Hub repo id, or for ``custom`` a description of what it was edited from."""
    architecture: Architecture | None = None

    def __post_init__(self):
        _require(self.kind in SOURCE_KINDS, "model.kind",
                 f"must be one of {', '.join(SOURCE_KINDS)}, got {self.kind!r}")
        _require(isinstance(self.value, str) and bool(self.value.strip()), "model.value", "must name the model")
        if self.kind == "custom":
            _require(isinstance(self.architecture, Architecture), "model.architecture",
                     "a custom model needs its architecture")
        else:
            _require(self.architecture is None, "model.architecture",
                     f"only a custom model carries an architecture, not a {self.kind}")

    @classmethod
    def preset(cls, name: str) -> "ModelSource":
        return cls("preset", name)

    @classmethod
    def custom(cls, arch: Architecture, based_on: str) -> "ModelSource":
        return cls("custom", based_on, arch)

    @property
    def label(self) -> str:
        """A short name for the picker and the window title."""
        if self.kind == "custom":
            return self.architecture.name
        if self.kind in ("config", "safetensors", "gguf"):
            p = Path(self.value)
            return p.parent.name if p.name == "config.json" and p.parent.name else p.name or self.value
        return self.value


@dataclass(frozen=True)
class TrainingOptions:
    """Settings that matter only when ``Plan.mode`` is a kind of training."""

    optimizer: str = "adamw"
    recompute: str = "none"
    """Activation recomputation (gradient checkpointing): ``none``, ``selective`` or ``full``
    (Korthikanti et al. 2022, arXiv:2205.05198)."""
    lora_rank: int = 16
    lora_targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")
    """Module names as PEFT's ``target_modules`` spells them."""
    zero_stage: int = 0
    """DeepSpeed ZeRO stage 0–3 (Rajbhandari et al. 2020, arXiv:1910.02054)."""
    gpu_count: int = 1

    def __post_init__(self):
        _require(isinstance(self.optimizer, str) and bool(self.optimizer), "training.optimizer", "must be a name")
        _require(isinstance(self.recompute, str) and bool(self.recompute), "training.recompute", "must be a name")
        _require(_is_int(self.lora_rank) and 1 <= self.lora_rank <= 1 << 16, "training.lora_rank",
                 f"must be a whole number from 1 to 65536, got {self.lora_rank!r}")
        _require(all(isinstance(t, str) and t for t in self.lora_targets), "training.lora_targets",
                 "must be module names")
        _require(_is_int(self.zero_stage) and 0 <= self.zero_stage <= 3, "training.zero_stage",
                 f"must be 0, 1, 2 or 3, got {self.zero_stage!r}")
        _require(_is_int(self.gpu_count) and 1 <= self.gpu_count <= 1 << 16, "training.gpu_count",
                 f"must be a whole number of at least 1, got {self.gpu_count!r}")


@dataclass(frozen=True)
class GpuPick:
    """``count`` GPUs of one catalogue model."""

    name: str
    count: int = 1

    def __post_init__(self):
        _require(isinstance(self.name, str) and bool(self.name), "hardware.gpus", "a GPU needs a name")
        _require(_is_int(self.count) and 1 <= self.count <= 1 << 16, "hardware.gpus",
                 f"a GPU count must be at least 1, got {self.count!r}")


@dataclass(frozen=True)
class HardwareChoice:
    """The machine to plan for: this one as detected, or GPUs and RAM picked from the catalogue."""

    source: str = "detected"
    gpus: tuple[GpuPick, ...] = ()
    ram_bytes: int | None = None
    """System RAM in bytes (None: as detected, or not set)."""

    def __post_init__(self):
        _require(self.source in HARDWARE_SOURCES, "hardware.source",
                 f"must be one of {', '.join(HARDWARE_SOURCES)}, got {self.source!r}")
        _require(all(isinstance(g, GpuPick) for g in self.gpus), "hardware.gpus", "must be GPU picks")
        _require(self.ram_bytes is None or (_is_int(self.ram_bytes) and self.ram_bytes > 0), "hardware.ram_bytes",
                 f"must be a positive number of bytes, got {self.ram_bytes!r}")

    @property
    def gpu_count(self) -> int:
        return sum(g.count for g in self.gpus)


@dataclass(frozen=True)
class SamplingChoice:
    """The sampler engine and its settings (names as the engine spells them, e.g. ``top_k``)."""

    engine: str = "llama.cpp"
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        _require(isinstance(self.engine, str) and bool(self.engine), "sampling.engine", "must be a name")
        _require(isinstance(self.settings, Mapping), "sampling.settings", "must be an object of settings")
        try:  # a private, JSON-clean, read-only copy: a plan is a value
            copy = json.loads(json.dumps(dict(self.settings), allow_nan=False))
        except (TypeError, ValueError) as e:
            raise PlannerError(f"must hold plain numbers, text and lists ({e})", field="sampling.settings") from None
        object.__setattr__(self, "settings", MappingProxyType(copy))


@dataclass(frozen=True)
class Plan:
    """Everything the tabs compute from. Frozen: edits make a new plan (``replace``)."""

    name: str = ""
    model: ModelSource = field(default_factory=lambda: ModelSource.preset(DEFAULT_MODEL))
    compare: ModelSource | None = None
    """A second model pinned for side-by-side comparison."""
    runtime: str = "llama.cpp"
    weight_format: str = "q4_k_m"
    """A format id (``f16``, ``q8_0``, ``q4_k_m``, ``nf4`` ...) as the Precision tab lists them."""
    kv_format: str = "f16"
    context: int = 4096
    """Tokens of context (prompt and generated) per sequence."""
    batch: int = 1
    """Sequences processed together (llama.cpp ``--parallel``, vLLM's concurrent requests)."""
    mode: str = "inference"
    training: TrainingOptions = field(default_factory=TrainingOptions)
    hardware: HardwareChoice = field(default_factory=HardwareChoice)
    sampling: SamplingChoice = field(default_factory=SamplingChoice)

    def __post_init__(self):
        _require(isinstance(self.name, str), "name", "must be text")
        _require(isinstance(self.model, ModelSource), "model", "must be a model source")
        _require(self.compare is None or isinstance(self.compare, ModelSource), "compare", "must be a model source")
        _require(self.runtime in RUNTIMES, "runtime", f"must be one of {', '.join(RUNTIMES)}, got {self.runtime!r}")
        _require(isinstance(self.weight_format, str) and bool(self.weight_format), "weight_format",
                 "must be a format id")
        _require(isinstance(self.kv_format, str) and bool(self.kv_format), "kv_format", "must be a format id")
        _require(_is_int(self.context) and 1 <= self.context <= MAX_CONTEXT, "context",
                 f"must be a whole number of tokens from 1 to {MAX_CONTEXT:,}, got {self.context!r}")
        _require(_is_int(self.batch) and 1 <= self.batch <= MAX_BATCH, "batch",
                 f"must be a whole number from 1 to {MAX_BATCH:,}, got {self.batch!r}")
        _require(self.mode in MODES, "mode", f"must be one of {', '.join(MODES)}, got {self.mode!r}")
        _require(isinstance(self.training, TrainingOptions), "training", "must be training options")
        _require(isinstance(self.hardware, HardwareChoice), "hardware", "must be a hardware choice")
        _require(isinstance(self.sampling, SamplingChoice), "sampling", "must be sampling settings")

    def replace(self, **changes) -> "Plan":
        """A copy with some fields changed, validated again (raises ``PlannerError``)."""
        return dataclasses.replace(self, **changes)

    @property
    def title(self) -> str:
        return self.name or self.model.label


# -- to and from plain dicts ---------------------------------------------------------------------------------

def _source_to_dict(src: ModelSource) -> dict:
    from .arch_io import architecture_to_dict

    d = {"kind": src.kind, "value": src.value}
    if src.architecture is not None:
        d["architecture"] = architecture_to_dict(src.architecture)
    return d


def plan_to_dict(plan: Plan) -> dict:
    """The plan as the JSON object a ``.llmplan`` file holds."""
    return {
        "format_version": FORMAT_VERSION,
        "name": plan.name,
        "model": _source_to_dict(plan.model),
        "compare": None if plan.compare is None else _source_to_dict(plan.compare),
        "runtime": plan.runtime,
        "weight_format": plan.weight_format,
        "kv_format": plan.kv_format,
        "context": plan.context,
        "batch": plan.batch,
        "mode": plan.mode,
        "training": {
            "optimizer": plan.training.optimizer,
            "recompute": plan.training.recompute,
            "lora_rank": plan.training.lora_rank,
            "lora_targets": list(plan.training.lora_targets),
            "zero_stage": plan.training.zero_stage,
            "gpu_count": plan.training.gpu_count,
        },
        "hardware": {
            "source": plan.hardware.source,
            "gpus": [{"name": g.name, "count": g.count} for g in plan.hardware.gpus],
            "ram_bytes": plan.hardware.ram_bytes,
        },
        "sampling": {"engine": plan.sampling.engine, "settings": dict(plan.sampling.settings)},
    }


class _Reader:
    """Reads fields one by one, replacing a missing or invalid one by its default.

    Invalid values each get a notice naming the field; missing ones are gathered into one notice
    (``missing_notice``), since an older or hand-written plan may lack many at once.
    """

    def __init__(self, notices: list[str]):
        self.notices = notices
        self.missing: list[str] = []

    def field(self, data: dict, key: str, default, build, where: str | None = None):
        where = where or key
        if key not in data:
            self.missing.append(where)
            return default
        try:
            return build(data[key])
        except PlannerError as e:
            self.notices.append(f"'{e.field or where}' {e.message}; using {_show(default)}")
            return default

    def section(self, data: dict, key: str, cls, builders: dict):
        """A sub-object read field by field; a cross-field check that fails resets the field it names."""
        default = cls()
        if key not in data:
            self.missing.append(key)
            return default
        raw = data[key]
        if not isinstance(raw, dict):
            self.notices.append(f"'{key}' must be an object; using the defaults")
            return default
        values = {name: self.field(raw, name, getattr(default, name), build, f"{key}.{name}")
                  for name, build in builders.items()}
        for _ in range(len(values) + 1):
            try:
                return cls(**values)
            except PlannerError as e:
                name = (e.field or "").split(".")[-1]
                if name not in values or values[name] == getattr(default, name):
                    break
                self.notices.append(f"'{e.field}' {e.message}; using {_show(getattr(default, name))}")
                values[name] = getattr(default, name)
        self.notices.append(f"'{key}' is inconsistent; using the defaults")
        return default

    def missing_notice(self) -> None:
        if self.missing:
            self.notices.append("not in the file, so the defaults are used: " + ", ".join(self.missing))


def _show(value) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(map(str, value)) + "]" if value else "none"
    if value is None or value == "":
        return "none"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _as_str(v):
    if not isinstance(v, str) or not v:
        raise PlannerError(f"must be text, got {v!r}")
    return v


def _as_int(v):
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if not _is_int(v):
        raise PlannerError(f"must be a whole number, got {v!r}")
    return v


def _one_of(choices):
    def build(v):
        if v not in choices:
            raise PlannerError(f"must be one of {', '.join(choices)}, got {v!r}")
        return v
    return build


def _str_list(v):
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise PlannerError("must be a list of names")
    return tuple(v)


def _gpus(v):
    if not isinstance(v, list):
        raise PlannerError("must be a list of {name, count}")
    out = []
    for g in v:
        if not isinstance(g, dict):
            raise PlannerError("must be a list of {name, count}")
        out.append(GpuPick(_as_str(g.get("name")), _as_int(g.get("count", 1))))
    return tuple(out)


def _model_source(raw, where: str) -> ModelSource:
    """Read a model source; refuse it (PlannerError) when unusable, note when a preset has gone."""
    if not isinstance(raw, dict):
        raise PlannerError("must be an object with kind and value", field=where)
    kind, value = raw.get("kind"), raw.get("value")
    if kind not in SOURCE_KINDS:
        raise PlannerError(f"has an unknown kind {kind!r}", field=f"{where}.kind")
    if not isinstance(value, str) or not value.strip():
        raise PlannerError("must name the model", field=f"{where}.value")
    if kind == "custom":
        from .arch_io import architecture_from_dict

        try:
            arch = architecture_from_dict(raw.get("architecture"))
        except PlannerError as e:
            raise PlannerError(f"has an invalid architecture ({e})", field=f"{where}.architecture") from None
        return ModelSource.custom(arch, value)
    if kind == "preset":
        from .presets import find_preset

        try:
            find_preset(value)
        except UnknownNameError as e:
            hint = f" (did you mean {', '.join(e.suggestions)}?)" if e.suggestions else ""
            raise PlannerError(f"names the preset {value!r}, which no longer exists{hint}", field=where) from None
    return ModelSource(kind, value)


def plan_from_dict(data: Any, *, source: str | None = None) -> tuple[Plan, list[str]]:
    """A plan from its JSON object, and the notices about what was missing or replaced.

    Raises ``PlannerError`` for something that is not a plan or comes from a newer format.
    """
    if not isinstance(data, dict):
        raise PlannerError(f"not an llmplanner plan: expected a JSON object, got {type(data).__name__}", source=source)
    if "format_version" not in data:
        raise PlannerError("not an llmplanner plan: it has no format_version", source=source)
    version = data["format_version"]
    if not _is_int(version) or version < 1:
        raise PlannerError(f"format_version must be a whole number from 1, got {version!r}", source=source,
                           field="format_version")
    if version > FORMAT_VERSION:
        raise PlannerError(f"written by a newer llmplanner (plan format {version}; this version reads up to "
                           f"{FORMAT_VERSION}): update llmplanner to open it", source=source)
    notices: list[str] = []
    r = _Reader(notices)
    default = Plan()

    model = default.model
    if "model" not in data:
        r.missing.append(f"model (the preset {DEFAULT_MODEL})")
    else:
        try:
            model = _model_source(data["model"], "model")
        except PlannerError as e:
            notices.append(f"'{e.field}' {e.message}; using the preset {DEFAULT_MODEL}")
    compare = None
    if data.get("compare") is not None:
        try:
            compare = _model_source(data["compare"], "compare")
        except PlannerError as e:
            notices.append(f"'{e.field}' {e.message}; the comparison is dropped")

    def _name(v):
        if not isinstance(v, str):
            raise PlannerError(f"must be text, got {v!r}")
        return v

    def _context(v):
        v = _as_int(v)
        if not 1 <= v <= MAX_CONTEXT:
            raise PlannerError(f"must be from 1 to {MAX_CONTEXT:,} tokens, got {v:,}")
        return v

    def _batch(v):
        v = _as_int(v)
        if not 1 <= v <= MAX_BATCH:
            raise PlannerError(f"must be from 1 to {MAX_BATCH:,}, got {v:,}")
        return v

    def _ram(v):
        if v is None:
            return None
        v = _as_int(v)
        if v <= 0:
            raise PlannerError(f"must be a positive number of bytes, got {v}")
        return v

    def _settings(v):
        if not isinstance(v, dict):
            raise PlannerError("must be an object of settings")
        return v

    training = r.section(data, "training", TrainingOptions, {
        "optimizer": _as_str, "recompute": _as_str, "lora_rank": _as_int, "lora_targets": _str_list,
        "zero_stage": _as_int, "gpu_count": _as_int,
    })
    hardware = r.section(data, "hardware", HardwareChoice, {
        "source": _one_of(HARDWARE_SOURCES), "gpus": _gpus, "ram_bytes": _ram,
    })
    sampling = r.section(data, "sampling", SamplingChoice, {"engine": _as_str, "settings": _settings})
    plan = Plan(
        name=r.field(data, "name", default.name, _name),
        model=model,
        compare=compare,
        runtime=r.field(data, "runtime", default.runtime, _one_of(RUNTIMES)),
        weight_format=r.field(data, "weight_format", default.weight_format, _as_str),
        kv_format=r.field(data, "kv_format", default.kv_format, _as_str),
        context=r.field(data, "context", default.context, _context),
        batch=r.field(data, "batch", default.batch, _batch),
        mode=r.field(data, "mode", default.mode, _one_of(MODES)),
        training=training,
        hardware=hardware,
        sampling=sampling,
    )
    r.missing_notice()
    return plan, notices


# -- files ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadedPlan:
    plan: Plan
    path: str
    notices: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Top-level keys the plan format does not define (autosave metadata), as read."""


def plan_to_json(plan: Plan, **extra) -> str:
    data = plan_to_dict(plan)
    data.update(extra)
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save_plan(plan: Plan, path: str | os.PathLike, **extra) -> Path:
    """Write ``plan`` to ``path`` atomically (``extra`` adds top-level keys, e.g. autosave metadata)."""
    from .atomic_io import write_text_atomic

    return write_text_atomic(path, plan_to_json(plan, **extra))


def _refuse_constant(token: str):
    raise ValueError(f"{token} is not a number JSON allows")


def read_plan_json(path: str | os.PathLike) -> Any:
    """The JSON value in a plan file; ``PlannerError`` for an unreadable, oversized or corrupt file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PLAN_BYTES:
            raise PlannerError(f"not an llmplanner plan: {size:,} bytes is far larger than a plan", source=str(p))
        raw = p.read_bytes()
    except OSError as e:
        raise PlannerError(f"cannot read the file: {e.strerror or e}", source=str(p)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlannerError("not an llmplanner plan: the file is not UTF-8 text", source=str(p)) from None
    if not text.strip():
        raise PlannerError("the plan file is empty", source=str(p))
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise PlannerError(f"the plan file is corrupt (line {e.lineno}, column {e.colno}: {e.msg})",
                           source=str(p)) from None
    except (ValueError, RecursionError) as e:
        raise PlannerError(f"the plan file is corrupt ({e})", source=str(p)) from None


def load_plan(path: str | os.PathLike) -> LoadedPlan:
    """Read a ``.llmplan`` file (see the module docstring for what is tolerated and what is refused)."""
    data = read_plan_json(path)
    plan, notices = plan_from_dict(data, source=str(path))
    known = set(plan_to_dict(Plan()))
    extra = {k: v for k, v in data.items() if k not in known}
    return LoadedPlan(plan, str(path), tuple(notices), extra)


def resolve_model(source: ModelSource):
    """The ``LoadedModel`` a source names (reads files or the network for those kinds; call off the GUI thread)."""
    from .model_source import LoadedModel, load_model

    if source.kind == "custom":
        return LoadedModel(source.architecture, "custom", source.value, notes=source.architecture.notes)
    return load_model(source.kind, source.value)


def estimate_request(plan: Plan, arch: Architecture, *, mode: str | None = None):
    """The engines' ``EstimateRequest`` for ``arch`` at the plan's settings (``llmplanner.core.estimate``).

    The context is the plan's, capped at the model's maximum. Hardware picked from the catalogue becomes
    the engines' ``HardwareChoice`` (one GPU model: the first pick, with its count); ``detected`` hardware
    is left to the detection layer and gives no devices here. In the training modes the plan's
    ``TrainingOptions`` become the request's ``training`` options (``training.gpu_count`` is the
    data-parallel size), the context the sequence length and the batch the micro-batch per GPU.
    """
    from .estimate import EstimateRequest
    from .estimate import HardwareChoice as EngineHardware

    hw = EngineHardware(ram_bytes=plan.hardware.ram_bytes)
    if plan.hardware.source == "catalogue" and plan.hardware.gpus:
        first = plan.hardware.gpus[0]
        hw = EngineHardware(gpu=first.name, gpu_count=first.count, ram_bytes=plan.hardware.ram_bytes)
    mode = mode or plan.mode
    training = {}
    if mode != "inference":
        t = plan.training
        training = {"optimizer": t.optimizer, "recompute": t.recompute, "lora_rank": t.lora_rank,
                    "lora_targets": tuple(t.lora_targets), "zero_stage": t.zero_stage, "data_parallel": t.gpu_count}
    return EstimateRequest(arch=arch, runtime=plan.runtime, weight_format=plan.weight_format,
                           kv_format=plan.kv_format, context=min(plan.context, arch.max_context), batch=plan.batch,
                           mode=mode, hardware=hw, training=training)

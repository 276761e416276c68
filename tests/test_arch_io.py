"""Architectures to and from plain dicts: lossless for every preset, strict and precise about bad input."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmplanner.core.arch_io import architecture_from_dict, architecture_to_dict
from llmplanner.core.architecture import MLP, Architecture, Attention, Embeddings, MoE, Norms
from llmplanner.core.errors import ArchitectureError
from llmplanner.core.presets import all_presets, find_preset


@pytest.mark.parametrize("preset", all_presets(), ids=lambda p: p.name)
def test_every_preset_round_trips_through_json(preset):
    arch = preset.architecture()
    text = json.dumps(architecture_to_dict(arch))
    assert architecture_from_dict(json.loads(text)) == arch


@settings(max_examples=60, deadline=None)
@given(
    hidden=st.integers(1, 1 << 14), layers=st.integers(1, 200), heads=st.integers(1, 64),
    group=st.integers(1, 8), head_dim=st.integers(1, 256), vocab=st.integers(1, 1 << 18),
    experts=st.none() | st.tuples(st.integers(1, 64), st.integers(1, 64)),
    window=st.none() | st.integers(1, 1 << 16), tied=st.booleans(),
)
def test_random_architectures_round_trip(hidden, layers, heads, group, head_dim, vocab, experts, window, tied):
    moe = None
    if experts is not None:
        e, k = max(experts), min(experts)
        moe = MoE(num_experts=e, experts_per_token=k, expert_intermediate_size=hidden, dense_layers=(0,))
    arch = Architecture(
        name="random", hidden_size=hidden, num_layers=layers,
        attention=Attention(num_heads=heads * group, num_kv_heads=heads, head_dim=head_dim, sliding_window=window,
                            sliding_layers=None if window is None else tuple(range(0, layers, 2))),
        mlp=MLP(intermediate_size=4 * hidden), embeddings=Embeddings(vocab_size=vocab, tied=tied),
        norms=Norms(), moe=moe,
    )
    assert architecture_from_dict(json.loads(json.dumps(architecture_to_dict(arch)))) == arch


def _llama():
    return architecture_to_dict(find_preset("Llama-3-8B").architecture())


@pytest.mark.parametrize("edit, field, message", [
    (lambda d: d.update(hidden_size="4096"), "model.hidden_size", "integer"),
    (lambda d: d.update(hidden_size=True), "model.hidden_size", "integer"),
    (lambda d: d.update(num_layers=0), "model.num_layers", "at least 1"),
    (lambda d: d["attention"].update(num_kv_heads=3), "attention.num_kv_heads", "divide"),
    (lambda d: d["attention"].update(kind="linear"), "attention.kind", "standard, mla"),
    (lambda d: d["attention"].update(sliding_window=4096, sliding_layers=[0, 99]), "attention.sliding_layers",
     "99"),
    (lambda d: d["attention"].update(sliding_layers=[0, "1"]), "attention.sliding_layers[1]", "integer"),
    (lambda d: d["embeddings"].pop("vocab_size"), "embeddings.vocab_size", "required"),
    (lambda d: d["mlp"].update(width=3), "mlp.width", "not a field"),
    (lambda d: d.update(moe={"num_experts": 8, "experts_per_token": 9, "expert_intermediate_size": 10}),
     "moe.experts_per_token", "more than"),
    (lambda d: d.update(norms=[1, 2]), "norms", "object"),
    (lambda d: d["embeddings"].update(vocab_size=1 << 30), "embeddings.vocab_size", "larger than any real model"),
])
def test_a_bad_value_is_refused_naming_its_field(edit, field, message):
    data = _llama()
    edit(data)
    with pytest.raises(ArchitectureError, match=message) as info:
        architecture_from_dict(data, source="plan.llmplan")
    assert info.value.field == field
    assert "plan.llmplan" in str(info.value)


def test_optional_fields_take_their_defaults():
    data = _llama()
    del data["notes"], data["norms"], data["moe"]
    arch = architecture_from_dict(data)
    assert arch.norms == Norms() and arch.moe is None and arch.notes == ()


def test_a_whole_number_written_as_a_float_is_accepted():
    data = _llama()
    data["hidden_size"] = 4096.0
    assert architecture_from_dict(data).hidden_size == 4096

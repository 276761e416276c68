"""Exact parameter counts of real models, against their published figures (tests/data/reference_models.json)."""
import pytest

from conftest import load_data
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.params import count_params

MODELS = load_data("reference_models.json")["models"]


@pytest.mark.parametrize("model", MODELS, ids=[m["name"] for m in MODELS])
def test_total_equals_published_count(model):
    arch = architecture_from_config(model["config"])
    assert count_params(arch).total == model["total_params"]


@pytest.mark.parametrize("model", MODELS, ids=[m["name"] for m in MODELS])
def test_breakdown_sums_to_total(model):
    count = count_params(architecture_from_config(model["config"]))
    assert sum(count.breakdown.values()) == count.total


def test_llama3_8b_layer_table():
    """Each Llama-3-8B layer: q,o 4096² + k,v 4096·1024 + 3·4096·14336 + two RMSNorms = 218,112,000."""
    llama = next(m for m in MODELS if m["name"] == "Llama-3-8B")
    count = count_params(architecture_from_config(llama["config"]))
    assert len(count.per_layer) == 32
    for layer in count.per_layer:
        assert layer["attention"] == 2 * 4096 * 4096 + 2 * 4096 * 1024
        assert layer["mlp"] == 3 * 4096 * 14336
        assert layer["norms"] == 2 * 4096
        assert sum(layer.values()) == 218_112_000
    assert count.breakdown["embeddings"] == count.breakdown["output"] == 128256 * 4096


def test_mixtral_active_parameters_match_the_paper():
    """Mixtral 8x7B: "13B active parameters" per token (Jiang et al. 2024, arXiv:2401.04088 §2.1: 12.9B)."""
    mixtral = next(m for m in MODELS if m["name"].startswith("Mixtral"))
    count = count_params(architecture_from_config(mixtral["config"]))
    assert round(count.active / 1e9, 1) == 12.9
    assert count.total == 46_702_792_704


def test_pythia_non_embedding_count_matches_the_paper():
    """Biderman et al. 2023 Table 1: Pythia-1B has 805,736,448 non-embedding parameters."""
    pythia = next(m for m in MODELS if m["name"] == "Pythia-1b")
    assert count_params(architecture_from_config(pythia["config"])).non_embedding == 805_736_448

"""Every reference vector (tests/data/sampling_vectors.json, sources inside), per engine, through the
command line exactly as ../shared/tools/check_reference.py calls it, and through the Python API."""
import json

import pytest

from conftest import load_data
from llmplanner.cli import main
from llmplanner.core.sampling import Distribution, SamplerSettings, run_chain

ENGINES = ["hf", "llama.cpp", "vllm", "ollama"]
VECTORS = load_data("sampling_vectors.json")["vectors"]
CASES = [(v, e, want) for v in VECTORS for key, want in v["expected"].items()
         for e in (ENGINES if key == "all" else [key])]


def cli_args(vec, engine):
    """The arguments check_reference.py builds (sample_args)."""
    args = ["sample", f"--logits={','.join(repr(float(x)) for x in vec['logits'])}", "--engine", engine, "--json"]
    for k, v in vec["settings"].items():
        flag = {"history": "--history", "logit_bias": "--logit-bias"}.get(k, "--" + k.replace("_", "-"))
        if k == "history":
            v = ",".join(str(int(t)) for t in v)
        elif k == "logit_bias":
            v = ",".join(f"{t}:{b}" for t, b in v.items())
        args.append(f"{flag}={v}")
    return args


@pytest.mark.parametrize("vec, engine, want", CASES, ids=[f"{v['id']}[{e}]" for v, e, _ in CASES])
def test_command_line_matches_reference(vec, engine, want, capsys):
    assert main(cli_args(vec, engine)) == 0
    got = json.loads(capsys.readouterr().out)["probs"]
    assert got == pytest.approx(want, abs=2e-5)


@pytest.mark.parametrize("vec, engine, want", CASES, ids=[f"{v['id']}[{e}]" for v, e, _ in CASES])
def test_api_matches_reference(vec, engine, want):
    s = dict(vec["settings"])
    s["history"] = tuple(s.get("history", ()))
    result = run_chain(Distribution.from_logits(vec["logits"]), SamplerSettings(**s), engine)
    assert list(result.probs) == pytest.approx(want, abs=2e-5)
    for stage in result.stages:  # every stage is a distribution over the full vocabulary
        assert stage.probs.sum() == pytest.approx(1.0, abs=1e-6)
        assert stage.probs.shape == (len(vec["logits"]),)

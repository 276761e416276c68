"""The sample command's contract (issue #6): JSON shape, off-by-default settings, engine defaults,
refusals as one line with exit code 2."""
import json

import pytest

from conftest import run_cli
from llmplanner.cli import main


def run_json(capsys, *args):
    assert main(["sample", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_final_probs_in_input_order_and_every_stage(capsys):
    out = run_json(capsys, "--logits=0,3,1", "--engine", "llama.cpp")
    assert len(out["probs"]) == 3 and out["probs"][1] == max(out["probs"])
    keys = [s["key"] for s in out["stages"]]
    assert keys == ["input", "logit_bias", "penalties", "dry", "top_n_sigma", "top_k", "typical_p", "top_p",
                    "min_p", "xtc", "temperature"]
    assert all(len(s["probs"]) == 3 for s in out["stages"])


def test_settings_not_given_are_off(capsys):
    out = run_json(capsys, "--logits=2,1,0,-1", "--engine", "ollama")
    assert not any(s["active"] for s in out["stages"][1:])
    assert out["probs"] == pytest.approx(out["stages"][0]["probs"])


def test_engine_defaults_apply_the_engines_own_values(capsys):
    logits = "--logits=" + ",".join(str(-0.1 * i) for i in range(60))
    hf = run_json(capsys, logits, "--engine", "hf", "--engine-defaults")
    assert sum(p > 0 for p in hf["probs"]) == 50           # GenerationConfig top_k 50
    llama = run_json(capsys, logits, "--engine", "llama.cpp", "--engine-defaults")
    assert sum(p > 0 for p in llama["probs"]) <= 40         # top_k 40, top_p 0.95, min_p 0.05
    assert llama["settings"]["temperature"] == 0.8


def test_draws_are_seeded(capsys):
    a = run_json(capsys, "--logits=1,1,1,1", "--draw", "30", "--seed", "7")["draws"]
    b = run_json(capsys, "--logits=1,1,1,1", "--draw", "30", "--seed", "7")["draws"]
    assert a == b and len(a) == 30 and set(a) <= {0, 1, 2, 3}


def test_readable_output_names_the_stages(capsys):
    assert main(["sample", "--logits=2,1,0", "--top-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "top-k 2" in out and "raw distribution" in out


def test_token_file_is_read(tmp_path, capsys):
    path = tmp_path / "next.txt"
    path.write_text("Paris: 0.6\nLyon: 0.2\n\"the\": 0.1\n")
    assert main(["sample", "--tokens-file", str(path), "--top-k", "1"]) == 0
    assert "Paris" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["--logits=2,1,0", "--engine", "vllm", "--temperature=-0.5"], "non-negative temperature"),
    (["--logits=2,1,0", "--engine", "vllm", "--temperature=2.5"], "[0, 2]"),
    (["--logits=2,1,0", "--engine", "hf", "--temperature=0"], "do_sample=False"),
    (["--logits=2,1,0", "--engine", "hf", "--top-k=-3"], "strictly positive integer"),
    (["--logits=2,1,0", "--engine", "vllm", "--top-p=0"], "(0, 1]"),
    (["--logits=2,1,0", "--engine", "vllm", "--typical-p=0.5"], "no typical-p"),
    (["--logits=2,1,0", "--engine", "ollama", "--xtc-probability=0.5"], "no xtc_probability"),
    (["--logits=2,1,0", "--engine", "llama.cpp", "--penalty-last-n=-2"], "repeat_last_n"),
    (["--logits=2,1,0", "--engine", "llama.cpp", "--mirostat=3"], "Mirostat"),
    (["--logits=2,1,0", "--engine", "warp"], "unknown engine"),
    (["--logits=2,one,0"], "not a number"),
    (["--logits=2,1,0", "--logit-bias=1"], "token_id:bias"),
    (["--logits=2,1,0", "--history=1,x"], "not a token id"),
    (["--logits=2,1,0", "--top-k=2.5"], "whole number"),
    (["--probs=0.7,0.6"], "more than 1"),
    (["--logits=-inf,-inf"], "-inf"),
])
def test_bad_settings_exit_2_with_one_line(args, words):
    p = run_cli("sample", *args, "--json")
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in p.stderr

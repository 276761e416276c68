"""The estimate command's contract: JSON shape, exit codes, one-line errors."""
import json

import pytest

from conftest import run_cli
from llmplanner.cli import main


def run_json(capsys, *args):
    assert main(["estimate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_preset_json_has_params_total_active_and_breakdown(capsys):
    out = run_json(capsys, "--preset", "Llama-3-8B")
    assert out["params"]["total"] == 8_030_261_248
    assert out["params"]["active"] == 8_030_261_248
    assert sum(out["params"]["breakdown"].values()) == 8_030_261_248


def test_config_file_and_positional_path_agree(tmp_path, capsys, reference_models):
    mixtral = next(m for m in reference_models if m["name"].startswith("Mixtral"))
    path = tmp_path / "config.json"
    path.write_text(json.dumps(mixtral["config"]))
    a = run_json(capsys, "--config", str(path))
    b = run_json(capsys, str(tmp_path))
    assert a["params"] == b["params"]
    assert a["params"]["total"] == 46_702_792_704
    assert a["params"]["active"] < a["params"]["total"]


def test_readable_table_names_the_total(capsys):
    assert main(["estimate", "Mixtral-8x7B-v0.1"]) == 0
    out = capsys.readouterr().out
    assert "46,702,792,704" in out and "active per token" in out


@pytest.mark.parametrize("args, words", [
    (["--preset", "Llama-9-70B"], "unknown preset"),
    (["--config", "/nonexistent/config.json"], "cannot read"),
    (["--preset", "Llama-3-8B", "--context", "-5"], "at least 1"),
    (["--preset", "Llama-3-8B", "--context", "lots"], "whole number"),
    ([], "name a model"),
])
def test_bad_input_exits_2_with_one_line(args, words):
    p = run_cli("estimate", *args, "--json")
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in p.stderr


@pytest.mark.parametrize("content, words", [
    ("", "empty"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"model_type": "mystery", "hidden_size": 4096}', "num_hidden_layers"),
    ('{"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 30, '
     '"intermediate_size": 11008, "vocab_size": 32000}', "must divide"),
    ('{"model_type": "llama", "hidden_size": "big", "num_hidden_layers": 32}', "must be an integer"),
    ('{"model_type": "llama", "hidden_size": NaN}', "NaN"),
])
def test_broken_config_names_file_and_field(tmp_path, content, words):
    path = tmp_path / "config.json"
    path.write_text(content)
    p = run_cli("estimate", "--config", str(path))
    assert p.returncode == 2, p.stderr
    assert str(path) in p.stderr and words in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_unknown_model_type_is_read_as_llama_with_a_note(tmp_path, capsys):
    cfg = {"model_type": "brand_new_llm", "vocab_size": 1000, "hidden_size": 64, "intermediate_size": 128,
           "num_hidden_layers": 2, "num_attention_heads": 4}
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    out = run_json(capsys, "--config", str(tmp_path / "config.json"))
    assert any("brand_new_llm" in n and "Llama-like" in n for n in out["notes"])
    assert out["params"]["total"] == 2 * 1000 * 64 + 2 * (4 * 64 * 64 + 3 * 64 * 128 + 2 * 64) + 64

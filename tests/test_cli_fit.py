"""``llmplanner fit``: the command-line contract (issue #3)."""
import json

from conftest import run_cli


def fit_json(*args):
    r = run_cli("fit", *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_fit_prints_every_format_the_best_choice_the_longest_context_and_commands():
    d = fit_json("Llama-3-8B", "--gpu", "RTX 4090", "--ram", "64GiB", "--context", "8192")
    assert d["machine"]["gpu"] == "NVIDIA GeForce RTX 4090" and d["machine"]["tier"]["tier"] == "16-24GB"
    by = {f["format"]: f for f in d["formats"]}
    assert by["q8_0"]["verdict"] == "fits" and by["q8_0"]["decode_tokens_per_s"] > 0
    assert d["best"]["format"] == d["chosen"]["format"] and "headroom" in d["chosen"]["reason"]
    assert d["longest_context"] == {"format": d["chosen"]["format"], "tokens": 8192}
    assert [c["tool"] for c in d["commands"]] == ["llama.cpp", "ollama"] and d["commands_for"] == "machine"
    assert "-c 8192" in d["commands"][0]["text"]


def test_a_chosen_format_gets_its_commands_and_a_layout_when_one_gpu_is_not_enough():
    d = fit_json("Llama-3.1-70B", "--gpu", "RTX 4090", "--runtime", "vllm", "--format", "bf16")
    assert d["chosen"]["format"] == "bf16" and d["chosen"]["verdict"] == "no"
    lay = d["layout"]["layout"]
    assert lay["tensor_parallel"] == 8 and lay["memory_per_gpu_bytes"] <= lay["gpu_memory_bytes"]
    # it does not run on one card: the commands are for the layout that holds it
    assert d["commands_for"] == "layout"
    assert "--tensor-parallel-size 8" in d["commands"][0]["text"] and d["commands"][0]["tool"] == "vllm"


def test_memory_only_gpus_fit_without_speeds():
    d = fit_json("Llama-3-8B", "--vram", "16GiB", "--ram", "32GiB")
    assert d["machine"]["gpu"] is None and d["machine"]["gpu_memory_bytes"] == 16 << 30
    assert all(f["decode_tokens_per_s"] is None for f in d["formats"] if f["verdict"] in ("fits", "tight"))


def test_unknown_gpu_is_exit_2_with_the_nearest_names():
    r = run_cli("fit", "Llama-3-8B", "--gpu", "RTX 4099", "--json")
    assert r.returncode == 2 and r.stdout == ""
    assert "unknown GPU 'RTX 4099'" in r.stderr and "RTX 4090" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_the_smallest_device_for_a_speed_is_listed_on_request():
    d = fit_json("Llama-3-8B", "--gpu", "RTX 4090", "--format", "q4_k_m", "--speed", "100")
    s = d["smallest_for_speed"]
    assert s["format"] == "q4_k_m" and all(x["decode_tokens_per_s"] >= 100 for x in s["devices"])


def test_fit_on_this_machine_detects_it(monkeypatch, capsys):
    """Without hardware options the machine is detected (here a fake RTX 3060 machine)."""
    from fake_machines import RTX_3060, machine

    from llmplanner.cli import main
    from llmplanner.core import detect

    monkeypatch.setattr(detect, "detect", lambda **kw: machine([RTX_3060], ram=32 << 30))
    assert main(["fit", "Llama-3-8B", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["machine"]["source"] == "detected" and d["machine"]["tier"]["tier"] == "8-12GB"
    assert d["machine"]["gpu_memory_bytes"] == 12288 << 20

"""--hf-repo against a local server that answers like the Hub: config.json through the HF cache, the exact count
from the shards' headers over range requests, and one clear sentence for every way the network fails."""
import json

import pytest

from conftest import run_cli
from fake_hub import FakeHub
from llmplanner.core.errors import PlannerError
from llmplanner.core.hub import load_hub_model, validate_repo_id
from weights_factory import save_tiny_model

REPO = "tiny-org/tiny-llama"


@pytest.fixture(scope="module")
def tiny_files(tmp_path_factory):
    """A 2-layer Llama saved by transformers in 3 shards with an index, as bytes per file name."""
    folder = tmp_path_factory.mktemp("tiny")
    truth = save_tiny_model(folder, "llama", shard="40KB")
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}, truth


@pytest.fixture
def hub(monkeypatch, tmp_path):
    import huggingface_hub.constants as hc

    server = FakeHub()
    with server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setattr(hc, "HF_HUB_OFFLINE", False)
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
        monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        yield server


def test_sharded_repo_gives_the_exact_header_count(hub, tiny_files):
    files, truth = tiny_files
    hub.repos[REPO] = files
    model = load_hub_model(REPO)
    assert model.source_kind == "hf-repo"
    assert model.header_params == truth
    assert model.header_info["matches_architecture"] is True
    assert len(model.header_info["files"]) == sum(n.endswith(".safetensors") for n in files) > 1
    # only the headers travelled: every shard request was a range request
    gets = [r for r in hub.requests if r[0] == "GET" and r[1].endswith(".safetensors")]
    assert gets and all(r[2] and r[2].startswith("bytes=") for r in gets)


def test_a_fetched_repo_is_served_offline_from_the_caches(hub, tiny_files, monkeypatch):
    files, truth = tiny_files
    hub.repos[REPO] = files
    load_hub_model(REPO)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    hub.repos.clear()  # the server forgets everything: only the caches can answer
    assert load_hub_model(REPO).header_params == truth


def test_a_server_that_ignores_range_is_read_only_up_to_the_header(hub, tiny_files):
    files, truth = tiny_files
    hub.repos[REPO] = files
    hub.no_range = True
    assert load_hub_model(REPO).header_params == truth


def test_single_file_repo_and_repo_without_safetensors(hub, tmp_path):
    folder = tmp_path / "one"
    truth = save_tiny_model(folder, "qwen2")
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    hub.repos["a/single"] = files
    assert load_hub_model("a/single").header_params == truth
    hub.repos["a/config-only"] = {"config.json": files["config.json"]}
    model = load_hub_model("a/config-only")
    assert model.header_params is None
    assert any("unavailable" in n for n in model.notes)


@pytest.mark.parametrize("setup, words", [
    (lambda hub: None, "no model 'tiny-org/tiny-llama'"),
    (lambda hub: (hub.repos.__setitem__(REPO, {"README.md": b"hi"})), "has no config.json"),
    (lambda hub: (hub.repos.__setitem__(REPO, {"config.json": b"{}"}), hub.gated.add(REPO)), "gated"),
    (lambda hub: setattr(hub, "garbage", True), "does not answer like the Hugging Face Hub"),
    (lambda hub: hub.repos.__setitem__(REPO, {"config.json": b"<html>not json"}), "not valid JSON"),
])
def test_failures_are_one_sentence(hub, setup, words):
    setup(hub)
    with pytest.raises(PlannerError) as e:
        load_hub_model(REPO)
    assert words in str(e.value)


def test_slow_server_times_out(hub, tiny_files):
    hub.repos[REPO] = tiny_files[0]
    hub.slow_seconds = 1.5
    with pytest.raises(PlannerError, match="timed out after 0.3 s"):
        load_hub_model(REPO, timeout=0.3)


def test_refused_connection_says_no_network(monkeypatch, tmp_path):
    import socket

    import huggingface_hub.constants as hc

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(PlannerError, match="no network: cannot reach 127.0.0.1"):
        load_hub_model(REPO)


def test_offline_without_cache_is_a_clear_message():
    # conftest sets HF_HUB_OFFLINE=1 for every test
    with pytest.raises(PlannerError, match="offline .HF_HUB_OFFLINE is set."):
        load_hub_model("meta-llama/Llama-3.1-8B")


@pytest.mark.parametrize("bad", ["", "a/b/c", "../etc/passwd", "has space/x", "x" * 97 + "/y", "a--b/c",
                                 "-lead/x", "a/b.git"])
def test_repo_id_is_validated_before_any_network(bad):
    with pytest.raises(PlannerError, match="repo id"):
        validate_repo_id(bad)


def test_repo_urls_are_accepted():
    assert validate_repo_id("https://huggingface.co/Qwen/Qwen3-8B") == "Qwen/Qwen3-8B"
    assert validate_repo_id("gpt2") == "gpt2"


def test_cli_hf_repo_offline_exits_2_with_one_line():
    p = run_cli("estimate", "--hf-repo", "Qwen/Qwen3-8B", "--json")
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "HF_HUB_OFFLINE" in lines[0] and "Traceback" not in p.stderr


def test_cli_hf_repo_end_to_end(hub, tiny_files):
    files, truth = tiny_files
    hub.repos[REPO] = files
    p = run_cli("estimate", "--hf-repo", REPO, "--json", env={"HF_HUB_OFFLINE": "0"})
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["params"]["total"] == truth and out["header"]["matches_architecture"] is True

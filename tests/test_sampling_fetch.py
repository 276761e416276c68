"""Fetching real distributions: a small HTTP server on 127.0.0.1 answers like llama-server, an
OpenAI-compatible server (vLLM) and Ollama do; timeouts, refusals and malformed answers give one clear
sentence."""
import math
import socket

import pytest
from fake_engines import FakeEngine

from llmplanner.core.errors import PlannerError
from llmplanner.core.sampling import FetchError, fetch_distribution

LP = {" Paris": math.log(0.6), " Lyon": math.log(0.2), " the": math.log(0.1)}


@pytest.fixture
def engine():
    e = FakeEngine()
    yield e
    e.close()


def alts(key="logprob", name="token", transform=lambda x: x):
    return [{name: t, key: transform(v)} for t, v in LP.items()]


def check(d, chosen=" Paris"):
    assert d.tokens == (" Paris", " Lyon", " the")
    assert list(d.listed_probs) == pytest.approx([0.6, 0.2, 0.1], abs=1e-6)
    assert d.other_mass == pytest.approx(0.1, abs=1e-6)
    assert d.chosen == chosen


def test_llama_server_current_shape(engine):
    engine.routes["/completion"] = (200, {"content": " Paris", "completion_probabilities": [
        {"id": 9, "token": " Paris", "logprob": LP[" Paris"], "bytes": [32], "top_logprobs": alts()}]})
    check(fetch_distribution("llama-server", engine.url, "The capital of France is", top_n=3))
    sent = engine.requests[0][2]
    assert sent["n_probs"] == 3 and sent["n_predict"] == 1 and sent["temperature"] == 1.0
    assert sent["post_sampling_probs"] is False and sent["top_k"] == 0


def test_llama_server_post_sampling_and_legacy_shapes(engine):
    engine.routes["/completion"] = (200, {"completion_probabilities": [
        {"token": " Paris", "prob": 0.6, "top_probs": alts("prob", transform=math.exp)}]})
    check(fetch_distribution("llama-server", engine.url, "x"))
    engine.routes["/completion"] = (200, {"completion_probabilities": [
        {"content": " Paris", "probs": alts("prob", "tok_str", math.exp)}]})
    check(fetch_distribution("llama-server", engine.url + "/completion", "x"))


def test_openai_completions_both_shapes(engine):
    engine.routes["/v1/completions"] = (200, {"choices": [{"text": " Paris", "logprobs": {
        "tokens": [" Paris"], "token_logprobs": [LP[" Paris"]], "top_logprobs": [dict(LP)]}}]})
    check(fetch_distribution("openai-completions", engine.url, "x", model="m", top_n=3))
    assert engine.requests[-1][2]["logprobs"] == 3 and engine.requests[-1][2]["model"] == "m"
    engine.routes["/v1/completions"] = (200, {"choices": [{"text": " Paris", "logprobs": {"content": [
        {"token": " Paris", "logprob": LP[" Paris"], "top_logprobs": alts()}]}}]})
    check(fetch_distribution("openai-completions", engine.url, "x"))


def test_openai_chat(engine):
    engine.routes["/v1/chat/completions"] = (200, {"choices": [{"message": {"content": " Paris"}, "logprobs": {
        "content": [{"token": " Paris", "logprob": LP[" Paris"], "top_logprobs": alts()}]}}]})
    check(fetch_distribution("openai-chat", engine.url, "x", model="m", top_n=5))
    sent = engine.requests[-1][2]
    assert sent["logprobs"] is True and sent["top_logprobs"] == 5 and sent["messages"][0]["content"] == "x"


def test_ollama_generate_with_logprobs(engine):
    engine.routes["/api/generate"] = (200, {"response": " Paris", "done": True, "logprobs": [
        {"token": " Paris", "logprob": LP[" Paris"], "top_logprobs": alts()}]})
    check(fetch_distribution("ollama", engine.url, "x", model="llama3.2", top_n=50))
    sent = engine.requests[-1][2]
    assert sent["top_logprobs"] == 20 and sent["stream"] is False and sent["options"]["num_predict"] == 1


def test_old_ollama_says_which_version_it_is(engine):
    engine.routes["/api/generate"] = (200, {"response": " Paris", "done": True})
    engine.routes["/api/version"] = (200, {"version": "0.6.2"})
    with pytest.raises(FetchError, match=r"version 0\.6\.2.*0\.12\.11"):
        fetch_distribution("ollama", engine.url, "x", model="llama3.2")


@pytest.mark.parametrize("payload, words", [
    (b"<html>oops</html>", "did not answer JSON"),
    ({"content": "x"}, "without completion_probabilities"),
    ({"completion_probabilities": [{"token": "a", "top_logprobs": [{"token": "a"}]}]}, "token and logprob"),
    ({"completion_probabilities": [{"token": "a", "top_logprobs": [{"token": "a", "logprob": "high"}]}]},
     "a number for logprob"),
    ({"completion_probabilities": [{"token": "a", "top_logprobs": [{"token": "a", "logprob": 0.5}]}]},
     "probability in [0, 1]"),
    ({"error": {"code": 500, "message": "model is loading"}}, "refused: model is loading"),
])
def test_wrong_answers_are_explained(engine, payload, words):
    engine.routes["/completion"] = (200, payload)
    with pytest.raises(FetchError) as e:
        fetch_distribution("llama-server", engine.url, "x")
    assert words in str(e.value) and engine.url in str(e.value)


def test_http_errors_are_explained(engine):
    engine.routes["/v1/chat/completions"] = (400, {"error": {"message": "logprobs are not enabled"}})
    with pytest.raises(FetchError, match="HTTP 400.*logprobs are not enabled"):
        fetch_distribution("openai-chat", engine.url, "x", model="m")


def test_timeout_is_explained(engine):
    engine.routes["/completion"] = (200, "hang")
    with pytest.raises(FetchError, match="did not answer within 0.3 s"):
        fetch_distribution("llama-server", engine.url, "x", timeout=0.3)


def test_refused_connection_is_explained():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        fetch_distribution("llama-server", f"http://127.0.0.1:{port}", "x", timeout=2)


@pytest.mark.parametrize("kind, url, kw, words", [
    ("llama-server", "ftp://127.0.0.1", {}, "http://"), ("telepathy", "http://127.0.0.1", {}, "unknown engine API"),
    ("ollama", "http://127.0.0.1:1", {}, "model name"), ("llama-server", "http://127.0.0.1:1", {"top_n": 0}, "between 1"),
])
def test_bad_requests_are_refused_before_sending(kind, url, kw, words):
    with pytest.raises(PlannerError, match=words):
        fetch_distribution(kind, url, "x", **kw)

"""Real next-token distributions from an engine the user already runs locally.

Each fetcher sends the prompt, asks for one token with its top-N alternatives' log-probabilities and
neutral sampling settings (temperature 1, no truncation: an older llama-server reports probabilities after
its own chain), and returns a ``Distribution`` over those N tokens, with the rest of the vocabulary as the
explicit ``other_mass`` and the generated token as ``chosen``. Standard library only (urllib).

Supported answers (checked against the engines' sources and API references):
- llama-server ``POST /completion`` with ``n_probs``: the current shape (tools/server/server-task.cpp
  ``probs_vector_to_json``) ``completion_probabilities: [{token, logprob, top_logprobs: [{token,
  logprob}]}]``, its ``post_sampling_probs`` variant (``prob`` / ``top_probs``), and the pre-2025 shape
  ``completion_probabilities: [{content, probs: [{tok_str, prob}]}]``.
- OpenAI-compatible ``POST /v1/completions`` with ``logprobs: N`` (``choices[0].logprobs.top_logprobs[0]``,
  a ``{token: logprob}`` map; llama-server also answers in the chat shape below) and
  ``POST /v1/chat/completions`` with ``logprobs: true, top_logprobs: N``
  (``choices[0].logprobs.content[0].top_logprobs``): vLLM, llama-server, Ollama, LM Studio, ...
- Ollama ``POST /api/generate`` with ``logprobs: true, top_logprobs: N`` (N <= 20; api/types.go, since
  Ollama v0.12.11): ``logprobs: [{token, logprob, top_logprobs: [...]}]``. An older Ollama answers without
  ``logprobs``; we then say which version it is (``GET /api/version``).
"""
from __future__ import annotations

import json
import math
import socket
import urllib.parse
from typing import Any

from ..errors import PlannerError
from .distribution import Distribution

KINDS = ("llama-server", "openai-completions", "openai-chat", "ollama")
DEFAULT_PATHS = {"llama-server": "/completion", "openai-completions": "/v1/completions",
                 "openai-chat": "/v1/chat/completions", "ollama": "/api/generate"}
#: Ollama accepts top_logprobs 0..20 (api/types.go GenerateRequest.TopLogprobs).
OLLAMA_MAX_TOP = 20


class FetchError(PlannerError):
    """The engine could not be reached or did not answer as expected."""


def endpoint(url: str, kind: str) -> str:
    """The full URL: the server address as given, with the kind's usual path when none is given."""
    if kind not in KINDS:
        raise PlannerError(f"unknown engine API {kind!r}; use one of {', '.join(KINDS)}", field="kind")
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PlannerError(f"{url!r} is not an http:// or https:// address", field="url")
    if parts.path in ("", "/"):
        parts = parts._replace(path=DEFAULT_PATHS[kind])
    return urllib.parse.urlunsplit(parts)


def _post(url: str, body: dict, timeout: float) -> Any:
    data = json.dumps(body).encode()
    import urllib.request  # http.client, email and ssl: loaded when a fetch is made, not at start-up

    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    return _read_json(req, url, timeout)


def _read_json(req, url: str, timeout: float) -> Any:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        detail = e.read()[:300].decode("utf-8", "replace").strip()
        raise FetchError(f"{url} answered HTTP {e.code} {e.reason}" + (f": {detail}" if detail else ""),
                         field="url") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"{url} did not answer within {timeout:g} s", field="url") from None
        if isinstance(reason, ConnectionRefusedError):
            raise FetchError(f"cannot reach {url}: connection refused (is the server running?)",
                             field="url") from None
        raise FetchError(f"cannot reach {url}: {reason}", field="url") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"{url} did not answer within {timeout:g} s", field="url") from None
    except (ConnectionError, OSError) as e:
        raise FetchError(f"cannot reach {url}: {e}", field="url") from None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        snippet = raw[:120].decode("utf-8", "replace").strip()
        raise FetchError(f"{url} did not answer JSON: {snippet!r}", field="url") from None


def _shape(url: str, what: str) -> FetchError:
    return FetchError(f"{url} answered JSON without {what}", field="url")


def _dig(obj: Any, url: str, *path) -> Any:
    cur = obj
    for key in path:
        if isinstance(key, int):
            if not isinstance(cur, list) or len(cur) <= key:
                raise _shape(url, "/".join(str(p) for p in path))
        elif not isinstance(cur, dict) or key not in cur:
            raise _shape(url, "/".join(str(p) for p in path))
        cur = cur[key]
    return cur


def _number(x: Any, url: str, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or math.isnan(float(x)):
        raise _shape(url, f"a number for {what} (got {x!r})")
    return float(x)


def _build(pairs: list[tuple[str, float]], url: str, *, as_prob: bool, chosen: str | None,
           source: str) -> Distribution:
    """From (token, logprob or prob) pairs; duplicates (different ids, same text) keep the first."""
    if not pairs:
        raise _shape(url, "any alternative tokens (ask for at least one log-probability)")
    tokens, probs, seen = [], [], set()
    for tok, value in pairs:
        if tok in seen:
            tok = f"{tok}\u2009#{len(tokens)}"  # same text, different token id: keep both, tell them apart
        seen.add(tok)
        p = value if as_prob else math.exp(value)
        if not 0.0 <= p <= 1.0 + 1e-6:
            raise _shape(url, f"a probability in [0, 1] for {tok!r} (got {p!r})")
        tokens.append(tok)
        probs.append(min(p, 1.0))
    total = math.fsum(probs)
    if total > 1.0 + 1e-3:
        raise FetchError(f"{url}: the listed probabilities sum to {total:.4f}, more than 1", field="url")
    scale = 1.0 / total if total > 1.0 else 1.0
    probs = [p * scale for p in probs]
    other = max(0.0, 1.0 - math.fsum(probs))
    return Distribution.from_probs(probs, tokens, other_mass=min(other, 0.999999), source=source, chosen=chosen)


# --- the engines ----------------------------------------------------------------------------------------------

def parse_llama_server(answer: Any, url: str) -> Distribution:
    rows = _dig(answer, url, "completion_probabilities")
    if not isinstance(rows, list) or not rows:
        raise _shape(url, "completion_probabilities (is n_probs > 0?)")
    first = rows[0]
    if not isinstance(first, dict):
        raise _shape(url, "an object in completion_probabilities")
    if "top_logprobs" in first:
        alts, key, as_prob, chosen = first["top_logprobs"], "logprob", False, first.get("token")
    elif "top_probs" in first:
        alts, key, as_prob, chosen = first["top_probs"], "prob", True, first.get("token")
    elif "probs" in first:
        alts, key, as_prob, chosen = first["probs"], "prob", True, first.get("content")
    else:
        raise _shape(url, "top_logprobs, top_probs or probs in completion_probabilities[0]")
    if not isinstance(alts, list):
        raise _shape(url, "a list of alternatives")
    pairs = []
    for a in alts:
        if not isinstance(a, dict):
            raise _shape(url, "objects in the alternatives list")
        tok = a.get("token", a.get("tok_str"))
        if not isinstance(tok, str) or key not in a:
            raise _shape(url, f"token and {key} in every alternative")
        pairs.append((tok, _number(a[key], url, key)))
    return _build(pairs, url, as_prob=as_prob, chosen=chosen, source=f"llama-server {url}")


def _chat_content(logprobs: Any, url: str, chosen: str | None, source: str) -> Distribution:
    content = _dig(logprobs, url, "content")
    if not isinstance(content, list) or not content or not isinstance(content[0], dict):
        raise _shape(url, "logprobs.content[0]")
    alts = content[0].get("top_logprobs")
    if not isinstance(alts, list):
        raise _shape(url, "logprobs.content[0].top_logprobs")
    pairs = []
    for a in alts:
        if not isinstance(a, dict) or not isinstance(a.get("token"), str) or "logprob" not in a:
            raise _shape(url, "token and logprob in every top_logprobs entry")
        pairs.append((a["token"], _number(a["logprob"], url, "logprob")))
    return _build(pairs, url, as_prob=False, chosen=content[0].get("token", chosen), source=source)


def parse_openai_completions(answer: Any, url: str) -> Distribution:
    choice = _dig(answer, url, "choices", 0)
    logprobs = _dig(choice, url, "logprobs")
    if not isinstance(logprobs, dict):
        raise _shape(url, "choices[0].logprobs (does the server support logprobs?)")
    source = f"OpenAI-compatible completions {url}"
    if "content" in logprobs:
        return _chat_content(logprobs, url, choice.get("text"), source)
    top = _dig(logprobs, url, "top_logprobs")
    if not isinstance(top, list) or not top or not isinstance(top[0], dict):
        raise _shape(url, "choices[0].logprobs.top_logprobs[0]")
    pairs = [(str(tok), _number(lp, url, "logprob")) for tok, lp in top[0].items()]
    tokens = logprobs.get("tokens")
    chosen = tokens[0] if isinstance(tokens, list) and tokens else choice.get("text")
    return _build(pairs, url, as_prob=False, chosen=chosen, source=source)


def parse_openai_chat(answer: Any, url: str) -> Distribution:
    choice = _dig(answer, url, "choices", 0)
    logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
    if not isinstance(logprobs, dict):
        raise _shape(url, "choices[0].logprobs (does the server support logprobs?)")
    message = choice.get("message") or {}
    return _chat_content(logprobs, url, message.get("content"), f"OpenAI-compatible chat {url}")


def parse_ollama(answer: Any, url: str, version: str | None = None) -> Distribution:
    if not isinstance(answer, dict):
        raise _shape(url, "an object")
    rows = answer.get("logprobs")
    if not rows:
        v = f" (it is version {version})" if version else ""
        raise FetchError(f"{url} answered without logprobs{v}: log-probabilities need Ollama 0.12.11 or newer",
                         field="url")
    first = rows[0] if isinstance(rows, list) else None
    if not isinstance(first, dict) or not isinstance(first.get("top_logprobs"), list):
        raise _shape(url, "logprobs[0].top_logprobs")
    pairs = []
    for a in first["top_logprobs"]:
        if not isinstance(a, dict) or not isinstance(a.get("token"), str) or "logprob" not in a:
            raise _shape(url, "token and logprob in every top_logprobs entry")
        pairs.append((a["token"], _number(a["logprob"], url, "logprob")))
    return _build(pairs, url, as_prob=False, chosen=first.get("token"), source=f"Ollama {url}")


def _ollama_version(url: str, timeout: float) -> str | None:
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    vurl = urllib.parse.urlunsplit(parts._replace(path="/api/version", query=""))
    try:
        answer = _read_json(urllib.request.Request(vurl), vurl, timeout)
    except PlannerError:
        return None
    return answer.get("version") if isinstance(answer, dict) else None


def request_body(kind: str, prompt: str, top_n: int, model: str | None) -> dict:
    """The JSON each API gets: one token, top-N alternatives, neutral sampling."""
    neutral = {"temperature": 1.0, "top_p": 1.0}
    if kind == "llama-server":
        return {"prompt": prompt, "n_predict": 1, "n_probs": top_n, "post_sampling_probs": False,
                "cache_prompt": True, "stream": False, "top_k": 0, "min_p": 0.0, "typical_p": 1.0, **neutral}
    if kind == "openai-completions":
        return {"model": model or "", "prompt": prompt, "max_tokens": 1, "logprobs": top_n, "stream": False,
                **neutral}
    if kind == "openai-chat":
        return {"model": model or "", "messages": [{"role": "user", "content": prompt}], "max_tokens": 1,
                "logprobs": True, "top_logprobs": top_n, "stream": False, **neutral}
    return {"model": model or "", "prompt": prompt, "stream": False, "logprobs": True,
            "top_logprobs": min(top_n, OLLAMA_MAX_TOP),
            "options": {"num_predict": 1, "top_k": 0, "min_p": 0.0, **neutral}}


def fetch_distribution(kind: str, url: str, prompt: str, *, model: str | None = None, top_n: int = 20,
                       timeout: float = 30.0) -> Distribution:
    """Ask a running engine for the next-token distribution after ``prompt``.

    ``kind``: llama-server, openai-completions, openai-chat or ollama. ``model`` is needed by vLLM and
    Ollama (llama-server ignores it). Any failure raises ``FetchError`` with one clear sentence.
    """
    full = endpoint(url, kind)
    if not 1 <= int(top_n) <= 1000:
        raise PlannerError(f"ask for between 1 and 1000 alternatives, got {top_n}", field="top_n")
    if kind == "ollama" and not model:
        raise PlannerError("Ollama needs a model name (as in 'ollama list')", field="model")
    answer = _post(full, request_body(kind, prompt, int(top_n), model), timeout)
    if isinstance(answer, dict) and "error" in answer and len(answer) <= 2:
        err = answer["error"]
        msg = err.get("message", err) if isinstance(err, dict) else err
        raise FetchError(f"{full} refused: {msg}", field="url")
    if kind == "llama-server":
        return parse_llama_server(answer, full)
    if kind == "openai-completions":
        return parse_openai_completions(answer, full)
    if kind == "openai-chat":
        return parse_openai_chat(answer, full)
    version = None
    if isinstance(answer, dict) and not answer.get("logprobs"):
        version = _ollama_version(full, timeout)
    return parse_ollama(answer, full, version)

"""A model from the Hugging Face Hub by repo id: ``config.json`` and the exact count from the weights' headers.

Only on the user's request (``--hf-repo``, the Architecture tab's fetch button). ``config.json`` (and the
sharded checkpoint's ``model.safetensors.index.json``) come through ``huggingface_hub.hf_hub_download``, so
they land in — and are served offline from — the standard Hugging Face cache. The exact parameter count comes
from the safetensors headers, read with HTTP range requests: the first bytes of each weight file hold its
8-byte header length and the JSON header (the same technique as ``HfApi.get_safetensors_metadata``; we do the
requests ourselves so that the hostile-input checks of ``safetensors_header`` apply and so that a server that
ignores ``Range`` is read only up to the header, never the whole multi-GB file). The parsed headers are
cached per commit in our cache folder, so an offline machine that fetched a repo once still gets the exact
count.

``HF_ENDPOINT``, ``HF_HUB_OFFLINE`` and ``HF_HUB_CACHE``/``HF_HOME`` are read when called. Every failure —
offline, refused, timed out, 404, gated, an answer that is not the Hub's — becomes one ``PlannerError``
sentence saying what to do.
"""
from __future__ import annotations

import json
import os
import re
import struct
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from .errors import ConfigError, HeaderError, PlannerError
from .model_source import LoadedModel
from .safetensors_header import (MAX_HEADER_BYTES, HeaderTensor, SafetensorsHeader, parse_header_json,
                                 tensors_from_header)

DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_TIMEOUT = 10.0
"""Seconds to wait for the Hub to answer (huggingface_hub's own default for metadata calls)."""
FIRST_RANGE = 1 << 20
"""Bytes asked for first: the length prefix and, for nearly every file, the whole header."""
INDEX_NAME = "model.safetensors.index.json"
SINGLE_NAME = "model.safetensors"

_REPO_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"^(?:{_REPO_PART}/)?{_REPO_PART}$")


class HubAnswer(PlannerError):
    """The Hub answered, and the answer is no: no such repo, revision or file, or a gated repo."""


class HubFileMissing(HubAnswer):
    """The repo exists but lacks the file."""


class HubOffline(PlannerError):
    """Offline and the file is not cached."""


def validate_repo_id(repo_id: str) -> str:
    """``owner/name`` (or a legacy bare ``name``) as the Hub allows them; refuses URLs, paths and typos
    before any network access."""
    if not isinstance(repo_id, str) or not repo_id.strip():
        raise PlannerError("a Hugging Face repo id is needed, like meta-llama/Llama-3.1-8B", field="hf-repo")
    rid = repo_id.strip()
    m = re.match(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/([^?#]+?)/?$", rid)
    if m:
        rid = "/".join(m.group(1).split("/")[:2])
    if not _REPO_ID.match(rid) or "--" in rid or ".." in rid or rid.endswith(".git"):
        raise PlannerError(f"{repo_id!r} is not a Hugging Face repo id (owner/name: letters, digits, '-', '_', "
                           "'.'; at most 96 characters each)", field="hf-repo")
    return rid


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().upper() in ("1", "ON", "YES", "TRUE")


def hub_settings() -> dict:
    """Endpoint, offline flag and cache folder as the environment says now."""
    endpoint = (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
    offline = _env_true("HF_HUB_OFFLINE") or _env_true("TRANSFORMERS_OFFLINE")
    cache = os.environ.get("HF_HUB_CACHE") or (
        str(Path(os.environ["HF_HOME"]) / "hub") if os.environ.get("HF_HOME") else None)
    return {"endpoint": endpoint, "offline": offline, "cache_dir": cache}


def _our_cache_dir() -> Path:
    override = os.environ.get("LLMPLANNER_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("llmplanner", appauthor=False))


# -- errors -----------------------------------------------------------------------------------------------

def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _named(exc: BaseException, *words: str) -> bool:
    return any(any(w in cls.__name__ for w in words) for cls in type(exc).__mro__)


def explain(exc: BaseException, repo_id: str, filename: str, settings: dict, timeout: float) -> PlannerError:
    """One sentence for whatever went wrong fetching ``filename`` of ``repo_id``."""
    endpoint = settings["endpoint"]
    host = urlparse(endpoint).netloc or endpoint
    what = f"{repo_id}/{filename}"
    chain = list(_chain(exc))
    for e in chain:
        if _named(e, "GatedRepoError"):
            return HubAnswer(f"{repo_id} is a gated model: accept its license on {endpoint}/{repo_id} and log "
                                "in (hf auth login), or use --config with a downloaded config.json", field="hf-repo")
        if _named(e, "RepositoryNotFoundError"):
            return HubAnswer(f"no model {repo_id!r} on {host} (a typo, or a private repo: log in with "
                                "hf auth login)", field="hf-repo")
        if _named(e, "RevisionNotFoundError"):
            return HubAnswer(f"{repo_id} has no such revision", field="hf-repo")
        if _named(e, "RemoteEntryNotFoundError"):
            return HubFileMissing(f"{repo_id} has no {filename} on {host} (a GGUF-only repo? download the .gguf "
                                  "and use --gguf)", field="hf-repo")
    if settings["offline"] or any(_named(e, "OfflineModeIsEnabled") for e in chain):
        return HubOffline(f"offline (HF_HUB_OFFLINE is set) and {what} is not in the Hugging Face cache: unset "
                          "HF_HUB_OFFLINE to fetch it, or use --config", field="hf-repo")
    for e in chain:
        if _named(e, "Timeout") or isinstance(e, TimeoutError):
            return PlannerError(f"timed out after {timeout:g} s waiting for {host} to send {what} (slow network? "
                                "try again, or use --config)", field="hf-repo")
    for e in chain:
        if _named(e, "ConnectError", "ConnectionError", "NetworkError", "ProxyError") or isinstance(e, ConnectionError):
            return PlannerError(f"no network: cannot reach {host} to fetch {what} (set HF_ENDPOINT or use --config)",
                                field="hf-repo")
    for e in chain:
        if _named(e, "FileMetadataError"):
            return PlannerError(f"{host} does not answer like the Hugging Face Hub for {what} (check HF_ENDPOINT)",
                                field="hf-repo")
        response = getattr(e, "response", None)
        status = getattr(response, "status_code", None)
        if status == 404:
            return HubFileMissing(f"{repo_id} has no {filename} on {host}", field="hf-repo")
        if _named(e, "HfHubHTTPError", "HTTPStatusError") and status:
            return PlannerError(f"{host} answered HTTP {status} for {what}", field="hf-repo")
    first = chain[0]
    return PlannerError(f"cannot fetch {what} from {host}: {type(first).__name__}: {first}", field="hf-repo")


# -- files through the Hugging Face cache -----------------------------------------------------------------

def _download(repo_id: str, filename: str, revision: str | None, settings: dict, timeout: float) -> Path:
    """The file from the Hugging Face cache, fetched first if needed.

    One metadata request with our timeout decides whether the Hub answers: ``hf_hub_download`` alone retries
    a missing network five times with back-off (23 s) before it gives up, and a planner should answer at once.
    When the Hub cannot be reached, a cached copy is used if there is one.
    """
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url

    common = dict(revision=revision, cache_dir=settings["cache_dir"])
    if not settings["offline"]:
        try:
            get_hf_file_metadata(hf_hub_url(repo_id, filename, revision=revision, endpoint=settings["endpoint"]),
                                 timeout=timeout)
        except Exception as e:  # noqa: BLE001 - every library/network failure becomes one sentence
            error = explain(e, repo_id, filename, settings, timeout)
            if isinstance(error, HubAnswer):
                raise error from None
            try:
                return Path(hf_hub_download(repo_id, filename, local_files_only=True, **common))
            except Exception:  # noqa: BLE001 - not cached: the network error is the answer
                raise error from None
    try:
        return Path(hf_hub_download(repo_id, filename, endpoint=settings["endpoint"], etag_timeout=timeout,
                                    local_files_only=settings["offline"], **common))
    except Exception as e:  # noqa: BLE001
        raise explain(e, repo_id, filename, settings, timeout) from None


def _commit_of(path: Path) -> str | None:
    m = re.search(r"snapshots[/\\]([0-9a-f]{40})[/\\]", str(path))
    return m.group(1) if m else None


# -- headers over HTTP range requests ---------------------------------------------------------------------

def _read_remote_header(repo_id: str, filename: str, revision: str, settings: dict, timeout: float):
    """(header JSON dict, file size or None) of one remote safetensors file, reading only the header bytes."""
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    url = hf_hub_url(repo_id, filename, revision=revision, endpoint=settings["endpoint"])
    source = f"{repo_id}/{filename}"
    headers = build_hf_headers()

    def fetch(start: int, stop: int) -> tuple[bytes, int | None]:
        want = stop - start
        with get_session().stream("GET", url, headers={**headers, "Range": f"bytes={start}-{stop - 1}"},
                                  timeout=timeout, follow_redirects=True) as r:
            if r.status_code >= 400:
                r.read()  # an error body is small; the Hub's error codes are read from it and its headers
            hf_raise_for_status(r)
            total = None
            m = re.match(r"bytes \d+-\d+/(\d+)", r.headers.get("Content-Range", ""))
            if m:
                total = int(m.group(1))
            elif r.status_code == 200 and r.headers.get("Content-Length", "").isdigit():
                total = int(r.headers["Content-Length"])
            skip = start if r.status_code == 200 else 0  # a server that ignores Range sends from byte 0
            out = bytearray()
            for chunk in r.iter_bytes():
                out += chunk
                if len(out) >= skip + want:
                    break
            return bytes(out[skip:skip + want]), total

    try:
        first, total = fetch(0, FIRST_RANGE)
        if len(first) < 8:
            raise HeaderError("the answer is too short to hold a safetensors header", source=source)
        (n,) = struct.unpack("<Q", first[:8])
        if n > MAX_HEADER_BYTES:
            raise HeaderError(f"the header claims {n:,} bytes, more than the {MAX_HEADER_BYTES:,} safetensors "
                              "allows", source=source)
        if total is not None and n > total - 8:
            raise HeaderError(f"the header claims {n:,} bytes but the file has only {total:,}", source=source)
        raw = first[8:8 + n]
        if len(raw) < n:
            rest, _ = fetch(8 + len(raw), 8 + n)
            raw += rest
        if len(raw) != n:
            raise HeaderError(f"the server sent {len(raw):,} of the header's {n:,} bytes", source=source)
    except PlannerError:
        raise
    except Exception as e:  # noqa: BLE001
        raise explain(e, repo_id, filename, settings, timeout) from None
    return parse_header_json(raw, source), (None if total is None else total - 8 - n)


def _headers_cache_file(repo_id: str, commit: str) -> Path:
    return _our_cache_dir() / "hub-headers" / repo_id.replace("/", "--") / f"{commit}.json"


def _remote_headers(repo_id: str, files: list[str], commit: str, settings: dict, timeout: float) -> dict:
    """shard → {"header": dict, "data_bytes": int|None}, from our cache or the network."""
    cache = _headers_cache_file(repo_id, commit) if commit else None
    if cache is not None and cache.is_file():
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
            if isinstance(cached, dict) and set(cached) == set(files):
                return cached
        except (OSError, ValueError):
            pass
    if settings["offline"]:
        raise HubOffline("offline: the weights' headers are not cached yet", field="hf-repo")
    with ThreadPoolExecutor(max_workers=min(8, len(files))) as pool:
        results = list(pool.map(lambda f: _read_remote_header(repo_id, f, commit, settings, timeout), files))
    out = {f: {"header": h, "data_bytes": d} for f, (h, d) in zip(files, results)}
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps(out), encoding="utf-8")
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only cache folder costs a refetch next time, nothing more
    return out


def _header_from_remote(repo_id: str, raw: dict, index_meta: dict, weight_map: dict | None) -> SafetensorsHeader:
    tensors: list[HeaderTensor] = []
    seen: dict[str, str] = {}
    total = 0
    for shard, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("header"), dict):
            raise HeaderError("cached header is malformed", source=f"{repo_id}/{shard}")
        found = tensors_from_header(entry["header"], file=shard, source=f"{repo_id}/{shard}",
                                    data_bytes=entry.get("data_bytes"))
        for t in found:
            if t.name in seen:
                raise HeaderError(f"tensor {t.name!r} is stored in both {seen[t.name]} and {shard}", source=repo_id)
            seen[t.name] = shard
        tensors.extend(found)
        total += sum(t.nbytes for t in found)
    if weight_map:
        missing = [n for n, shard in weight_map.items() if seen.get(n) != shard]
        if missing:
            raise HeaderError(f"the index lists tensor {missing[0]!r} that its shard does not hold",
                              source=f"{repo_id}/{INDEX_NAME}")
    return SafetensorsHeader(path=repo_id, folder=repo_id, files=tuple(raw), tensors=tuple(tensors),
                             file_bytes=total, metadata=index_meta, index=INDEX_NAME if weight_map else None)


def load_hub_model(repo_id: str, *, revision: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                   read_headers: bool = True) -> LoadedModel:
    """``config.json`` of a Hub repo as an architecture and, from its safetensors headers, the exact count.

    When the headers cannot be read (no safetensors weights, offline without a cached copy), the model is
    still returned with the architecture's count and a note saying why the header count is missing.
    """
    from .hf_config import load_config
    from .weight_headers import model_from_safetensors_header

    repo_id = validate_repo_id(repo_id)
    settings = hub_settings()
    config_path = _download(repo_id, "config.json", revision, settings, timeout)
    try:
        arch = load_config(config_path, name=repo_id)
    except ConfigError as e:
        e.source = f"{repo_id}/config.json (from {settings['endpoint']})"
        raise
    config = json.loads(config_path.read_text(encoding="utf-8"))
    commit = _commit_of(config_path) or revision or "main"
    notes: list[str] = []
    if not read_headers:
        return LoadedModel(arch, "hf-repo", repo_id, notes=arch.notes)
    try:
        weight_map, index_meta = None, {}
        try:
            from .safetensors_header import read_index

            index_path = _download(repo_id, INDEX_NAME, commit, settings, timeout)
            weight_map, index_meta = read_index(index_path)
            files = list(dict.fromkeys(weight_map.values()))
        except HubFileMissing:
            files = [SINGLE_NAME]
        raw = _remote_headers(repo_id, files, commit, settings, timeout)
        header = _header_from_remote(repo_id, raw, index_meta, weight_map)
    except (HubFileMissing, HubOffline) as e:
        notes.append(f"exact count from the weights' headers unavailable ({e.message}): the count is the "
                     "architecture's")
        return LoadedModel(arch, "hf-repo", repo_id, notes=tuple(arch.notes) + tuple(notes))
    return model_from_safetensors_header(header, arch, config, config_source=f"{repo_id}/config.json",
                                         source_kind="hf-repo", source=repo_id)

"""A tiny HTTP server on 127.0.0.1 that answers like the Hugging Face Hub's file endpoints.

``HEAD``/``GET /{repo}/resolve/{revision}/{file}`` with the headers huggingface_hub relies on
(``X-Repo-Commit``, ``ETag``, ``Content-Length``), ``Range`` requests answered with 206, and the Hub's error
codes (``X-Error-Code: RepoNotFound | EntryNotFound | GatedRepo``). Behaviours for the failure tests:
``gated`` repos, ``slow`` (waits before answering), ``garbage`` (200 without Hub headers, HTML body),
``no_range`` (ignores Range and sends the whole file).
"""
from __future__ import annotations

import hashlib
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    def __init__(self):
        self.repos: dict[str, dict[str, bytes]] = {}
        self.gated: set[str] = set()
        self.slow_seconds = 0.0
        self.garbage = False
        self.no_range = False
        self.requests: list[tuple[str, str, str | None]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_HEAD(self):
                self._answer(head=True)

            def do_GET(self):
                self._answer(head=False)

            def _send(self, code, headers, body=b"", head=False):
                self.send_response(code)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head and body:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            def _answer(self, head):
                hub.requests.append((self.command, self.path, self.headers.get("Range")))
                if hub.slow_seconds:
                    time.sleep(hub.slow_seconds)
                if hub.garbage:
                    return self._send(200, {"Content-Type": "text/html"}, b"<html>captive portal</html>", head)
                m = re.match(r"^/(.+)/resolve/([^/]+)/(.+)$", self.path)
                if not m:
                    return self._send(404, {"X-Error-Code": "RepoNotFound"}, b"not found", head)
                repo, _rev, name = m.groups()
                if repo not in hub.repos:
                    return self._send(401, {"X-Error-Code": "RepoNotFound"}, b"", head)
                if repo in hub.gated:
                    return self._send(403, {"X-Error-Code": "GatedRepo", "X-Error-Message": "gated"}, b"", head)
                files = hub.repos[repo]
                if name not in files:
                    return self._send(404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT}, b"", head)
                data = files[name]
                base = {"X-Repo-Commit": COMMIT, "ETag": '"' + hashlib.sha1(data).hexdigest() + '"',
                        "Accept-Ranges": "bytes"}
                rng = self.headers.get("Range")
                if rng and not hub.no_range and not head:
                    a, b = re.match(r"bytes=(\d+)-(\d+)", rng).groups()
                    a, b = int(a), min(int(b), len(data) - 1)
                    part = data[a:b + 1]
                    return self._send(206, {**base, "Content-Range": f"bytes {a}-{b}/{len(data)}"}, part, head)
                if head:
                    self.send_response(200)
                    for k, v in base.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    return None
                return self._send(200, base, data, head)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

"""A small HTTP server on 127.0.0.1 that answers like llama-server, an OpenAI-compatible server (vLLM) or
Ollama: ``routes[path] = (status, payload)`` (a JSON-able payload, raw bytes, or ``"hang"`` to never answer
until closed). Every request is recorded in ``requests`` as (method, path, JSON body)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeEngine:
    def __init__(self):
        self.routes = {}
        self.requests = []
        self.release = threading.Event()
        engine = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                engine.requests.append((self.command, self.path, json.loads(body) if body else None))
                status, payload = engine.routes.get(self.path, (404, b'{"error": "not found"}'))
                if payload == "hang":
                    engine.release.wait(5)
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload if isinstance(payload, bytes) else json.dumps(payload).encode())

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

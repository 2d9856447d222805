"""A loopback server whose answer comes from a verifier: 200 when the request's auth checks out.

Each test hands it a function ``verify(handler, seen) -> (status, headers)`` built on an independent
library (oauthlib, mohawk, botocore, PyJWT, edgegrid-python, pyspnego, oauthlib's OAuth 2.0 server).
The handler object lives as long as its connection, so NTLM can keep its state on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from conftest import Seen

Verify = Callable[[Any, Seen], tuple[int, list[tuple[str, str]]]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: VerifyingServer

    def log_message(self, *args: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Seen(self.command, self.path, list(self.headers.items()), body)
        self.server.seen.append(seen)
        self.server.connections.add(id(self.connection))
        seen.connection = id(self.connection)  # type: ignore[attr-defined]
        try:
            status, headers, *rest = self.server.verify(self, seen)
            text = rest[0] if rest else ""
        except Exception as exc:  # noqa: BLE001 - a verifier's failure is an answer the test reads
            status, headers, text = 500, [], f"{type(exc).__name__}: {exc}"
        payload = text.encode()
        self.send_response(status)
        if not any(k.lower() == "content-type" for k, _ in headers):
            self.send_header("Content-Type", "application/json")
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class VerifyingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, verify: Verify) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.verify = verify
        self.seen: list[Seen] = []
        self.connections: set[int] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def verifying_server(verify: Verify) -> Iterator[VerifyingServer]:
    srv = VerifyingServer(verify)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def auth(kind: str, **params: Any) -> dict[str, Any]:
    """A v2.1 auth object."""
    return {"type": kind, kind: [{"key": k, "value": v, "type": "string"} for k, v in params.items()]}


OK_TEST = [
    "if (pm.response.code !== 200) { console.log('refused: ' + pm.response.text()); }",
    "pm.test('accepted', function () { pm.response.to.have.status(200); });",
]

"""A loopback server whose answer comes from a verifier: 200 when the request's auth checks out.

Each test hands it a function ``verify(handler, seen) -> (status, headers)`` built on an independent
library (oauthlib, mohawk, botocore, PyJWT, edgegrid-python, pyspnego, oauthlib's OAuth 2.0 server).
The handler object lives as long as its connection, so NTLM can keep its state on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from conftest import RecordingHandler, RecordingServer, Seen, serving

Verify = Callable[[Any, Seen], tuple[int, list[tuple[str, str]]]]


class _Handler(RecordingHandler):
    server: VerifyingServer

    def answer(self, seen: Seen) -> None:
        self.server.connections.add(id(self.connection))
        seen.connection = id(self.connection)  # type: ignore[attr-defined]
        try:
            status, headers, *rest = self.server.verify(self, seen)
            text = rest[0] if rest else ""
        except Exception as exc:  # noqa: BLE001 - a verifier's failure is an answer the test reads
            status, headers, text = 500, [], f"{type(exc).__name__}: {exc}"
        self.send(status, headers, text.encode())


class VerifyingServer(RecordingServer):
    def __init__(self, verify: Verify) -> None:
        super().__init__(_Handler)
        self.verify = verify
        self.connections: set[int] = set()


@contextmanager
def verifying_server(verify: Verify) -> Iterator[VerifyingServer]:
    with serving(VerifyingServer(verify)) as srv:
        yield srv  # type: ignore[misc]


def auth(kind: str, **params: Any) -> dict[str, Any]:
    """A v2.1 auth object."""
    return {"type": kind, kind: [{"key": k, "value": v, "type": "string"} for k, v in params.items()]}


OK_TEST = [
    "if (pm.response.code !== 200) { console.log('refused: ' + pm.response.text()); }",
    "pm.test('accepted', function () { pm.response.to.have.status(200); });",
]

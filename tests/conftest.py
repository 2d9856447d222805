"""Shared fixtures: a recording HTTP server on 127.0.0.1, and Newman for differential checks."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from runner.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class RecordingHandler(BaseHTTPRequestHandler):
    """Any method: the request is read and recorded in ``server.seen``; subclasses say what to answer."""

    protocol_version = "HTTP/1.1"
    server: RecordingServer

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
        self.answer(seen)

    def answer(self, seen: Seen) -> None:
        raise NotImplementedError

    def send(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        """A JSON answer unless ``headers`` name another type; no body for HEAD."""
        self.send_response(status)
        if not any(k.lower() == "content-type" for k, _ in headers):
            self.send_header("Content-Type", "application/json")
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class RecordingServer(ThreadingHTTPServer):
    """A loopback server that records every request it receives."""

    daemon_threads = True

    def __init__(self, handler: type[RecordingHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.seen: list[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-answer (Ctrl-C and timeout tests) are expected, not errors."""


@contextmanager
def serving(srv: RecordingServer) -> Iterator[RecordingServer]:
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


class _EchoHandler(RecordingHandler):
    def answer(self, seen: Seen) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        status, extra, payload = 200, [], None
        parts = url.path.strip("/").split("/")
        if parts[0] == "status" and len(parts) > 1:
            status = int(parts[1])
        elif parts[0] == "redirect":
            status, extra = 302, [("Location", query.get("to", "/"))]
        elif parts[0] == "cookies" and len(parts) > 1 and parts[1] == "set":
            extra = [("Set-Cookie", f"{k}={v}; Path=/") for k, v in query.items()]
        elif parts[0] == "slow":
            time.sleep(float(query.get("ms", "200")) / 1000)
        elif parts[0] == "echo-secret":
            payload = json.dumps(
                {"headers": dict(self.headers.items()), "body": seen.body.decode("utf-8", "replace"), "url": self.path}
            ).encode()
        if payload is None:
            payload = json.dumps(
                {
                    "method": self.command,
                    "url": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": seen.body.decode("utf-8", "replace"),
                    "access_token": self.server.token,
                    "cookies": self.headers.get("Cookie"),
                }
            ).encode()
        if parts[0] == "gzip":
            payload = gzip.compress(payload)
            extra.insert(0, ("Content-Encoding", "gzip"))
        self.send(status, extra, payload)


class EchoServer(RecordingServer):
    """Answers JSON describing each request and records every request it receives."""

    server: EchoServer

    def __init__(self) -> None:
        super().__init__(_EchoHandler)
        self.token = "tok-8f2c1e"


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs inside the tests must not append to the real CI job's summary (tests that want one set it)."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def server() -> Iterator[EchoServer]:
    with serving(EchoServer()) as srv:
        yield srv  # type: ignore[misc]


def _newman_path() -> str | None:
    explicit = os.environ.get("POSTRUN_NEWMAN")
    if explicit and Path(explicit).exists():
        return explicit
    found = shutil.which("newman")
    if found:
        return found
    cache = Path(os.environ.get("POSTRUN_NEWMAN_DIR", Path.home() / ".cache" / "postrun" / "newman"))
    binary = cache / "node_modules" / ".bin" / "newman"
    if binary.exists():
        return str(binary)
    if not shutil.which("npm") or not shutil.which("node"):
        return None
    cache.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund", "newman@6"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    return str(binary) if binary.exists() else None


@pytest.fixture(scope="session")
def newman() -> str:
    """Path to a Newman executable; the test is skipped where Node or npm cannot provide one."""
    path = _newman_path()
    if path is None:
        pytest.skip("newman is not available (needs node and npm)")
    return path


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def collection(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"info": {"name": "test collection", "schema": SCHEMA}, "item": items, **extra}


def item(name: str, url: str, test: list[str] | None = None, pre: list[str] | None = None, **request: Any) -> dict:
    events = []
    if pre:
        events.append({"listen": "prerequest", "script": {"exec": pre}})
    if test:
        events.append({"listen": "test", "script": {"exec": test}})
    return {"name": name, "event": events, "request": {"method": "GET", "url": url, **request}}


def postrun(*args: str) -> Any:
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


@pytest.fixture
def make(tmp_path: Path, server: EchoServer):
    """Write a collection (and an environment pointing at the server) and return the CLI args."""

    def _make(items: list[dict], env: dict | None = None, **extra: Any) -> list[str]:
        coll = write_json(tmp_path / "c.json", collection(items, **extra))
        values = [{"key": "base", "value": server.url, "enabled": True}]
        values += [{"key": k, "value": v, "enabled": True} for k, v in (env or {}).items()]
        envf = write_json(tmp_path / "e.json", {"name": "env", "values": values})
        return [str(coll), "-e", str(envf)]

    return _make


@dataclass
class Answer:
    """What ``ChosenServer`` answers on one path: status line, headers in order (repeats kept), body."""

    status: int = 200
    reason: str = "OK"
    headers: list[tuple[str, str]] | None = None
    body: bytes = b""


class _ChosenHandler(RecordingHandler):
    server: ChosenServer

    def answer(self, seen: Seen) -> None:
        chosen = self.server.answers.get(urlsplit(self.path).path)
        if chosen is None:
            body = json.dumps(
                {"method": seen.method, "url": seen.target, "body": seen.body.decode("utf-8", "replace")}
            ).encode()
            chosen = Answer(headers=[("Content-Type", "application/json")], body=body)
        self.send_response_only(chosen.status, chosen.reason)
        headers = chosen.headers or []
        for key, value in headers:
            self.send_header(key, value)
        if not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
            self.send_header("Content-Length", str(len(chosen.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(chosen.body)


class ChosenServer(RecordingServer):
    """Answers each path exactly as chosen (no Date or Server header of its own, so answers are
    byte-stable); any other path gets a small JSON echo. Records every request it receives."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        super().__init__(_ChosenHandler)
        self.answers = answers

"""A loopback mock server that answers from a collection's saved example responses.

`postrun run --mock` points every request at this server, so a collection can be exercised without its
real backend. Matching follows Postman's mock servers: method and path must match (``:var`` and unresolved
``{{var}}`` segments are wildcards), literal paths beat wildcard ones, then the best query match wins,
then document order. ``x-mock-response-name`` / ``x-mock-response-code`` request headers narrow the choice.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

from runner.files import encode_utf8

# A path segment pattern: None matches any one segment, a str must be equal, a regex must fullmatch.
Segment = str | re.Pattern[str] | None

_VAR = re.compile(r"\{\{[^{}]*\}\}")
_SCHEME = re.compile(r"^[^/?#]*://")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Saved bodies are stored decoded and we set our own Content-Length, so these must not be replayed.
_DROPPED_HEADERS = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "content-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
    }
)
_PREVIEW_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "text": "text/plain",
    "javascript": "application/javascript",
}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class _Example:
    """One saved example, pre-parsed for matching and pre-rendered for answering."""

    order: int
    method: str
    wildcards: int
    query: tuple[tuple[str, str | None], ...]  # value None: any value for that key
    name: str
    code: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class _Reply:
    code: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


# --- parsing saved requests -------------------------------------------------------------------------


def _iter_requests(items: Iterable[dict]) -> Iterator[dict]:
    """Yield request items, descending into folders in case the caller did not flatten them."""
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("item"), list):
            yield from _iter_requests(item["item"])
        elif isinstance(item, dict):
            yield item


def _as_request(request: Any) -> dict:
    """v2.1 allows a request to be just its URL string."""
    if isinstance(request, str):
        return {"url": request}
    return request if isinstance(request, dict) else {}


def _split_query(query: str) -> list[tuple[str, str]]:
    pairs = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote_plus(key), unquote_plus(value)))
    return pairs


def _path_of(url: str) -> tuple[str, str]:
    """Split a resolved saved URL into (path, query), dropping scheme, host, port and hash."""
    url = url.split("#", 1)[0]
    url, _, query = url.partition("?")
    scheme = _SCHEME.match(url)
    if scheme:
        rest = url[scheme.end() :]
        cut = rest.find("/")
        return ("" if cut < 0 else rest[cut:]), query
    if url.startswith("/"):
        return url, query
    cut = url.find("/")  # Postman reads the first part of a scheme-less URL as its host
    return ("" if cut < 0 else url[cut:]), query


def _url_parts(url: Any, resolve: Callable[[str], str]) -> tuple[str, list[tuple[str, str | None]]]:
    """Return the resolved path and the saved (key, value) query pairs of a string or object URL."""
    if isinstance(url, str):
        path, query = _path_of(resolve(url))
        return path, list(_split_query(query))
    if not isinstance(url, dict):
        return "", []
    host, path = url.get("host"), url.get("path")
    if not host and not path:
        return _url_parts(url.get("raw") or "", resolve)
    host_s = ".".join(str(h) for h in host) if isinstance(host, list) else str(host or "")
    if isinstance(path, list):
        path_s = "/".join(p.get("value", "") if isinstance(p, dict) else str(p) for p in path)
    else:
        path_s = str(path or "")
    text = (f"{url['protocol']}://" if url.get("protocol") else "") + host_s
    text += f":{url['port']}" if url.get("port") else ""
    text += "/" + path_s.lstrip("/") if path_s else ""
    resolved_path, _ = _path_of(resolve(text))
    if "query" not in url:
        _, raw_query = _path_of(resolve(url.get("raw") or ""))
        return resolved_path, list(_split_query(raw_query))
    pairs: list[tuple[str, str | None]] = []
    for q in url.get("query") or []:
        if isinstance(q, dict) and not q.get("disabled") and q.get("key") is not None:
            value = q.get("value")
            pairs.append((resolve(str(q["key"])), "" if value is None else resolve(str(value))))
    return resolved_path, pairs


def _segment(text: str) -> Segment:
    if (text.startswith(":") and len(text) > 1) or _VAR.fullmatch(text):
        return None
    if _VAR.search(text):
        pieces = _VAR.split(text)
        return re.compile("[^/]*".join(re.escape(unquote(p)) for p in pieces))
    return unquote(text)


def _query_pattern(pairs: list[tuple[str, str | None]]) -> tuple[tuple[str, str | None], ...]:
    """Unresolved {{var}} values match any value for their key."""
    return tuple((k, None if v is not None and _VAR.search(v) else (v or "")) for k, v in pairs)


def _example_headers(example: dict) -> tuple[tuple[str, str], ...]:
    raw = example.get("header")
    if isinstance(raw, str):
        raw = [{"key": k, "value": v} for k, _, v in (ln.partition(":") for ln in raw.splitlines())]
    headers: list[tuple[str, str]] = []
    for h in raw if isinstance(raw, list) else []:
        if not isinstance(h, dict) or h.get("disabled"):
            continue
        key = str(h.get("key") or "").strip()
        if not _HEADER_NAME.match(key) or key.lower() in _DROPPED_HEADERS:
            continue
        value = "" if h.get("value") is None else str(h["value"])
        headers.append((key, value.replace("\r", " ").replace("\n", " ").strip()))
    if not any(k.lower() == "content-type" for k, _ in headers):
        content_type = _PREVIEW_TYPES.get(str(example.get("_postman_previewlanguage") or "").lower())
        if content_type:
            headers.append(("Content-Type", content_type))
    return tuple(headers)


def _code_and_reason(example: dict) -> tuple[int, str]:
    try:
        code = int(example.get("code") or 200)
    except (TypeError, ValueError):
        code = 200
    if not 200 <= code <= 599:  # a 1xx would read as an interim response and hang the client
        code = 200
    reason = " ".join(str(example.get("status") or "").split())
    if not reason or not reason.isprintable():
        try:
            reason = HTTPStatus(code).phrase
        except ValueError:
            reason = "Mock Response"
    return code, reason


def _wire(text: str) -> str:
    """``text`` as http.server's Latin-1 writer sends its UTF-8 bytes; unpaired surrogates become U+FFFD."""
    return text if text.isascii() else encode_utf8(text).decode("latin-1")


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if not isinstance(body, str):
        body = json.dumps(body)
    return encode_utf8(body)


# --- matching ---------------------------------------------------------------------------------------


class _Node:
    """A path trie node, so a lookup only visits branches whose segments can match."""

    __slots__ = ("literal", "patterns", "examples")

    def __init__(self) -> None:
        self.literal: dict[str, _Node] = {}
        self.patterns: list[tuple[Segment, _Node]] = []  # wildcard (None) and partial-regex children
        self.examples: dict[str, list[_Example]] = {}  # method -> examples ending here, in document order

    def child(self, segment: Segment) -> _Node:
        if isinstance(segment, str):
            return self.literal.setdefault(segment, _Node())
        key = None if segment is None else segment.pattern
        for pattern, node in self.patterns:
            if (None if pattern is None else pattern.pattern) == key:
                return node
        node = _Node()
        self.patterns.append((segment, node))
        return node

    def find(self, segments: list[str], method: str, out: list[_Example], i: int = 0) -> None:
        if i == len(segments):
            out.extend(self.examples.get(method, ()))
            return
        literal = self.literal.get(segments[i])
        if literal is not None:
            literal.find(segments, method, out, i + 1)
        for pattern, node in self.patterns:
            if pattern is None or pattern.fullmatch(segments[i]):
                node.find(segments, method, out, i + 1)


def _query_score(saved: tuple[tuple[str, str | None], ...], request: list[tuple[str, str]]) -> int:
    """Equal pairs count for, saved pairs the request lacks and request pairs the example lacks against."""
    left = list(request)
    matched = 0
    for key, value in saved:
        for i, (k, v) in enumerate(left):
            if k == key and (value is None or v == value):
                del left[i]
                matched += 1
                break
    return matched - (len(saved) - matched) - len(left)


def _not_found(method: str, path: str, message: str) -> _Reply:
    body = {"error": "mockRequestNotFoundError", "message": message, "method": method, "path": path}
    return _Reply(404, "Not Found", (("Content-Type", "application/json"),), json.dumps(body).encode())


class MockServer:
    """Serve saved examples on 127.0.0.1 for the length of a run."""

    def __init__(self, items: Iterable[dict], resolve: Callable[[str], str] = lambda s: s) -> None:
        # a path trie built once: per-request matching visits only branches that can match
        self._root = _Node()
        order = 0
        for item in _iter_requests(items):
            request = _as_request(item.get("request"))
            for example in item.get("response") or []:
                if not isinstance(example, dict):
                    continue
                original = _as_request(example.get("originalRequest")) or request
                method = str(original.get("method") or request.get("method") or "GET").upper()
                path, query = _url_parts(original.get("url") or request.get("url"), resolve)
                segments = tuple(_segment(s) for s in path.split("/") if s)
                code, reason = _code_and_reason(example)
                ex = _Example(
                    order=order,
                    method=method,
                    wildcards=sum(not isinstance(s, str) for s in segments),
                    query=_query_pattern(query),
                    name=str(example.get("name") or ""),
                    code=code,
                    reason=reason,
                    headers=_example_headers(example),
                    body=_body_bytes(example.get("body")),
                )
                node = self._root
                for segment in segments:
                    node = node.child(segment)
                node.examples.setdefault(method, []).append(ex)
                order += 1
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> None:
        """Bind a free loopback port and serve from a daemon thread."""
        if self._server is not None:
            return
        server = _Server(("127.0.0.1", 0), _Handler)
        server.mock = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="postrun-mock", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> MockServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("MockServer is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # matching

    def _candidates(self, method: str, segments: list[str]) -> list[_Example]:
        found: list[_Example] = []
        self._root.find(segments, method, found)
        return found

    def answer(self, method: str, target: str, headers: Any = None) -> _Reply:
        """Pick the reply for one request; `target` is the request-target (path and query)."""
        method = method.upper()
        if "://" in target.split("?", 1)[0]:
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        path, _, query = target.split("#", 1)[0].partition("?")
        segments = [unquote(s) for s in path.split("/") if s]
        found = self._candidates(method, segments)
        if not found and method == "HEAD":
            found = self._candidates("GET", segments)
        if not found:
            return _not_found(method, path, f"No saved example matches {method} {path}")
        headers = headers or {}
        name, code = headers.get("x-mock-response-name"), headers.get("x-mock-response-code")
        if name is not None:
            found = [ex for ex in found if ex.name == name.strip()]
        if code is not None:
            found = [ex for ex in found if str(ex.code) == code.strip()]
        if not found:
            asked = ", ".join(
                f"{h}: {v}" for h, v in (("x-mock-response-name", name), ("x-mock-response-code", code)) if v
            )
            return _not_found(method, path, f"No saved example for {method} {path} matches {asked}")
        pairs = _split_query(query)
        best = min(found, key=lambda ex: (ex.wildcards, -_query_score(ex.query, pairs), ex.order))
        return _Reply(best.code, best.reason, best.headers, best.body)


# --- HTTP plumbing ----------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mock: MockServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients dropping connections is routine here; only report real bugs."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are dropped after this
    disable_nagle_algorithm = True  # small replies must not wait for delayed ACKs
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Runs print their own report; the mock stays quiet."""

    def __getattr__(self, name: str) -> Any:
        # BaseHTTPRequestHandler dispatches to do_<METHOD>; answering every name serves any method
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        try:
            self._drain_body()
        except ValueError:
            self.close_connection = True
            self.send_error(400, "Bad request body framing")
            return
        reply = self.server.mock.answer(self.command, self.path, self.headers)
        # http.server writes Latin-1 and refuses anything else: text beyond it (an emoji in a saved status
        # or header) goes on the wire as its UTF-8 bytes, as Postman's mock servers send it.
        self.send_response(reply.code, _wire(reply.reason))
        for key, value in reply.headers:
            self.send_header(key, _wire(value))
        bodyless = reply.code in (204, 304)
        if not bodyless:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if not bodyless and self.command.upper() != "HEAD":
            self.wfile.write(reply.body)

    def _drain_body(self) -> None:
        """Read the request body fully so the connection can carry the next request."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                size = int(self.rfile.readline(65537).split(b";", 1)[0].strip() or b"x", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return
                self._skip(size + 2)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        self._skip(length)

    def _skip(self, n: int) -> None:
        while n > 0:
            chunk = self.rfile.read(min(n, _CHUNK))
            if not chunk:
                raise ValueError("request body ended early")
            n -= len(chunk)

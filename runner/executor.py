"""Send prepared requests on the run's connections (``runner.http11``): keep-alive, a cookie jar, redirects.

Each request goes out with the exact header list and encoded target that ``runner.request``
produced; httpx's URLs and cookie jar are used, its client is not (see ``runner.http11``).
"""

from __future__ import annotations

import re
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpcore
import httpx

from runner import headers as header_list
from runner.http11 import Connections, Exchange, Timeouts
from runner.request import PreparedRequest
from runner.transport import TLSOptions


@dataclass
class Response:
    """What came back, as scripts and reporters need it."""

    code: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    time_ms: float
    url: str
    http_version: str = "HTTP/1.1"
    cookies: list[dict[str, object]] = field(default_factory=list)

    full_size: int | None = None  # set when ``body`` is a cut copy (a response rebuilt from a report)
    phases: dict[str, float] | None = None  # ms per phase (prepare, wait, tcp, ...), for --verbose
    warnings: list[str] = field(default_factory=list)  # e.g. the body was cut at --max-response-size

    @property
    def size(self) -> int:
        return len(self.body) if self.full_size is None else self.full_size

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        return header_list.first(self.headers, name)

    def __repr__(self) -> str:
        return f"<Response {self.code} {self.reason}, {self.size} bytes, {self.time_ms:.0f} ms>"


class RequestError(Exception):
    """The request could not be completed (refused, DNS, timeout, TLS...), worded like Newman's errors."""


# The decoded response body kept for scripts and reports; beyond it the body is cut (and the item
# warned), so a runaway or decompression-bomb response cannot take the machine's memory.
DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024
# Connecting (TCP and the TLS handshake) when no --timeout-request is given: https:// to a plain-HTTP
# port otherwise waits for a ServerHello that never comes.
DEFAULT_CONNECT_TIMEOUT = 30.0


@dataclass
class ExecutorOptions:
    insecure: bool = False
    follow_redirects: bool = True
    max_redirects: int = 10
    timeout_request: float | None = None  # seconds; None waits forever, as Newman's default
    redirect_to: str | None = None  # "http://127.0.0.1:PORT": send everything there (--mock)
    tls: TLSOptions | None = None  # client certificates, extra CAs; None: from ``insecure`` alone
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE  # bytes of decoded body kept


class Executor:
    """Owns the run's connections and cookie jar; ``send`` never raises anything but RequestError."""

    def __init__(self, options: ExecutorOptions | None = None) -> None:
        self.options = options or ExecutorOptions()
        self._wire = Connections(
            self.options.tls or TLSOptions(insecure=self.options.insecure), pinned=self.options.redirect_to
        )
        self._cookies = httpx.Cookies()
        self._origins: dict[str, httpx.URL] = {}
        # httpx URLs by (origin, request target): an item sends the same URL every iteration, and
        # parsing one costs more than anything else we do to build the request.
        self._urls: dict[tuple[str, str], httpx.URL] = {}

    def _url(self, origin: str, target: str) -> httpx.URL:
        base = self._origins.get(origin)
        if base is None:
            base = self._origins[origin] = httpx.URL(origin)
        url = with_raw_target(base, target)
        if len(self._urls) >= 4096:  # a run of ever-new URLs (an id per request) keeps no more than this
            self._urls.clear()
        self._urls[(origin, target)] = url
        return url

    @staticmethod
    def _timeouts(limit: float | None) -> Timeouts:
        return Timeouts(connect=DEFAULT_CONNECT_TIMEOUT if limit is None else limit, read=limit, write=limit)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    def close(self) -> None:
        self._wire.close()

    def send(
        self,
        prepared: PreparedRequest,
        *,
        follow_redirects: bool | None = None,
        timeout: float | None = None,
        profile: Mapping[str, Any] | None = None,
    ) -> Response:
        """Send ``prepared`` and follow redirects as postman-runtime does, per its protocol profile."""
        entered = time.perf_counter()
        profile = profile or {}
        target = prepared.target
        if target.scheme not in ("http", "https"):
            raise RequestError(f"Invalid protocol: {target.scheme}:")
        _check_sendable(prepared.method, prepared.headers)
        try:
            url = self._urls.get((target.origin, target.target))
            if url is None:
                url = self._url(target.origin, target.target)
        except (httpx.InvalidURL, UnicodeError) as exc:
            shown = prepared.url if len(prepared.url) <= 200 else prepared.url[:200] + "..."
            raise RequestError(f"Invalid URL {shown}: {exc}") from None
        marks: dict[str, float] = {}  # when each phase began and ended; redirects overwrite them: the last hop's
        limit = self.options.timeout_request
        if timeout is not None:  # the run's own deadline is nearer than the per-request limit
            limit = timeout if limit is None else min(limit, timeout)
        timeouts = self._timeouts(limit)
        cookies_on = not profile.get("disableCookies")
        if cookies_on:
            cookie = self._cookie_header(url)
            if cookie and prepared.header("Cookie") is None:
                prepared.headers.append(("Cookie", cookie))  # so scripts and reports see what was sent
        follow = self.options.follow_redirects if follow_redirects is None else follow_redirects
        max_redirects = profile.get("maxRedirects")
        max_redirects = self.options.max_redirects if not isinstance(max_redirects, int) else max_redirects
        method, headers, body = prepared.method, list(prepared.headers), prepared.body
        started = time.perf_counter()
        deadline = None if limit is None else started + limit  # --timeout-request bounds the whole response
        redirects = 0
        try:
            while True:
                response = self._send_one(method, url, _wire_headers(method, url, headers, body), body, profile,
                                          timeouts, marks, cookies_on)  # fmt: skip
                location = response.header("Location")
                if not (follow and response.status in REDIRECT_CODES and location):
                    break
                if redirects >= max_redirects:
                    response.discard()
                    raise RequestError(f"Exceeded maxRedirects. Probably stuck in a redirect loop {prepared.url}")
                redirects += 1
                for _chunk in response.body():
                    pass
                response.close()
                hop = _redirected(response.status, method, headers, body, url, location, profile)
                method, headers, body, url = hop
                # As postman-request: the jar's cookies for the new URL, else the Cookie header sent so far.
                if cookies_on and (cookie := self._cookie_header(url)):
                    headers = [(k, v) for k, v in headers if k.lower() != "cookie"] + [("Cookie", cookie)]
            try:
                body_bytes, warnings = self._read_body(response, deadline)
            finally:
                response.close()
            marks["read"] = time.perf_counter()
        except httpcore.TimeoutException as exc:
            if isinstance(exc, httpcore.ConnectTimeout) and target.scheme == "https" and "handshake" in str(exc):
                raise RequestError(
                    f"TLS handshake with {target.netloc} timed out after {round((limit or 0) * 1000)} ms"
                    " (no TLS answer: is it a plain-HTTP port? then use http://)"
                ) from None
            raise RequestError(f"ESOCKETTIMEDOUT: request to {prepared.url} timed out") from None
        except httpcore.ConnectError as exc:
            raise RequestError(_connect_message(exc, target.host, target.port, target.scheme)) from None
        except httpcore.ProxyError as exc:
            raise RequestError(f"tunneling socket could not be established, cause={exc}") from None
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            raise RequestError(f"{type(exc).__name__}: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: connections closed by an abort
            raise RequestError(str(exc) or type(exc).__name__) from None
        elapsed = (time.perf_counter() - started) * 1000
        cookies = [
            {"name": c.name, "value": c.value, "domain": c.domain, "path": c.path, "secure": bool(c.secure)}
            for c in self._cookies.jar
        ]
        return Response(
            code=response.status,
            # the status text as sent, read as UTF-8 (an emoji in a mock's status), not dropped as non-ASCII
            reason=response.reason.decode("utf-8", "replace") or _reason(response.status),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers],
            body=body_bytes,
            time_ms=elapsed,
            url=str(url),
            http_version=response.http_version,
            cookies=cookies,
            phases=_phases(marks, entered, started),
            warnings=warnings,
        )

    def _read_body(self, response: Exchange, deadline: float | None) -> tuple[bytes, list[str]]:
        """The decoded body, read within ``deadline`` and cut at the size limit; blames extra bytes on it."""
        decoder = BodyDecoder(response.header("Content-Encoding") or "")
        limit = self.options.max_response_size
        body = bytearray()  # grown in place: no second copy of a large body
        for raw in response.body():
            if deadline is not None and time.perf_counter() > deadline:
                raise httpcore.ReadTimeout("the whole response took longer than the time limit")
            for piece in decoder.decode(raw, limit - len(body) + 1):
                body += piece
            if len(body) > limit:
                break
        else:
            for piece in decoder.flush(limit - len(body) + 1):
                body += piece
        if len(body) > limit:
            del body[limit:]
            response.discard()  # the rest of the body may still be on the wire: never reuse it
            note = (
                f"response body is larger than {limit} bytes (--max-response-size): the first {limit} bytes"
                " are kept for scripts and reports, the rest was not read"
            )
            return bytes(body), [note]
        extra = response.trailing_bytes()
        if extra:
            response.discard()  # those bytes would be read as the next item's response
            length = response.header("Content-Length")
            what = f"its Content-Length ({length})" if length is not None else "the end of its body"
            raise RequestError(f"Parse Error: the response has {extra} more bytes than {what}")
        return bytes(body), []

    def _cookie_header(self, url: httpx.URL) -> str | None:
        if not self._cookies.jar:  # nothing to send: skip building a probe request per hop
            return None
        probe = httpx.Request("GET", url)
        self._cookies.set_cookie_header(probe)
        return probe.headers.get("Cookie")

    def _send_one(
        self,
        method: str,
        url: httpx.URL,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
        profile: Mapping[str, Any],
        timeouts: Timeouts,
        marks: dict[str, float],
        cookies_on: bool,
    ) -> Exchange:
        """One hop; with ``disableCookies`` nothing is stored in the jar."""
        response = self._wire.request(method, url, headers, body, dict(profile), timeouts, marks)
        # The jar reads only Set-Cookie(2) headers: without one there is nothing to store.
        if cookies_on and (response.has_header(b"set-cookie") or response.has_header(b"set-cookie2")):
            sent = httpx.Request(method, url, headers=headers)
            self._cookies.extract_cookies(httpx.Response(response.status, headers=response.headers, request=sent))
        return response


class BodyDecoder:
    """Content-Encoding (gzip, deflate, br, and chains of them) decoded in bounded steps.

    ``decode(data, room)`` stops once about ``room`` bytes came out, so a small compressed input that
    inflates to gigabytes is stopped near the limit instead of inflated whole.
    """

    STEP = 1024 * 1024

    def __init__(self, header: str) -> None:
        self.header = header
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        # identity and unknown codings pass through, as httpx and Node do
        known = ("gzip", "x-gzip", "deflate", "br")
        self._stages: list[list[Any]] = [[c, None] for c in reversed(codings) if c in known]

    def decode(self, data: bytes, room: int) -> list[bytes]:
        try:
            pieces = [data]
            for stage in self._stages:
                pieces = self._stage(stage, pieces, room)
            return [p for p in pieces if p]
        except Exception as exc:  # zlib.error, brotli.error: a body that does not decode
            raise ValueError(f"the response body cannot be decoded ({self.header}): {exc}") from None

    def flush(self, room: int) -> list[bytes]:
        return self.decode(b"", room) if self._stages else []

    def _stage(self, stage: list[Any], pieces: list[bytes], room: int) -> list[bytes]:
        kind, state = stage
        out: list[bytes] = []
        produced = 0
        for piece in pieces:
            if state is None:
                state = stage[1] = self._start(kind, piece)
            if kind == "br":
                chunk = state.process(piece, output_buffer_limit=max(1, min(room, self.STEP)))
                out.append(chunk)
                produced += len(chunk)
                while not state.can_accept_more_data() and produced < room:
                    chunk = state.process(b"", output_buffer_limit=self.STEP)
                    out.append(chunk)
                    produced += len(chunk)
            else:
                chunk = state.decompress(piece, max(1, min(self.STEP, room - produced)))
                out.append(chunk)
                produced += len(chunk)
                while produced < room:
                    if state.unconsumed_tail:
                        chunk = state.decompress(state.unconsumed_tail, max(1, min(self.STEP, room - produced)))
                    elif state.eof and state.unused_data and kind != "deflate":
                        # gzip allows several members one after another (Node reads them all)
                        rest, state = state.unused_data, self._start(kind, b"")
                        stage[1] = state
                        chunk = state.decompress(rest, max(1, min(self.STEP, room - produced)))
                    else:
                        break
                    out.append(chunk)
                    produced += len(chunk)
            if produced >= room:
                break
        return out

    @staticmethod
    def _start(kind: str, first: bytes) -> Any:
        if kind == "br":
            import brotli

            return brotli.Decompressor()
        if kind == "deflate":
            # zlib-wrapped deflate, or the raw deflate some servers send (httpx and browsers accept both)
            try:
                zlib.decompressobj().decompress(first[:64])
                return zlib.decompressobj()
            except zlib.error:
                return zlib.decompressobj(-zlib.MAX_WBITS)
        return zlib.decompressobj(16 + zlib.MAX_WBITS)


REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


def with_raw_target(base: httpx.URL, target: str) -> httpx.URL:
    """``base`` with this exact request target: httpx's ``copy_with(raw_path=...)`` would drop ``.``
    and ``..`` segments, which Newman sends as written."""
    path, sep, query = target.partition("?")
    url = base.copy_with(raw_path=target.encode("ascii"))
    ref = url._uri_reference
    url._uri_reference = ref._replace(path=path or "/", query=query if sep else None)
    return url


def _check_sendable(method: str, headers: list[tuple[str, str]]) -> None:
    """What Node refuses to send, refused with Node's words (the item fails, the run goes on)."""
    if not _TOKEN.fullmatch(method):
        raise RequestError(f'Method must be a valid HTTP token ["{method}"]')
    for key, value in headers:
        if not _TOKEN.fullmatch(key):
            raise RequestError(f'Header name must be a valid HTTP token ["{key}"]')
        if _BAD_VALUE.search(value):
            raise RequestError(f'Invalid character in header content ["{key}"]')


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(r"[^\t\x20-\x7e\x80-\xff]")


def _wire_headers(
    method: str, url: httpx.URL, headers: list[tuple[str, str]], body: bytes | None
) -> list[tuple[bytes, bytes]]:
    """The header list as bytes, with what httpx's Request added to it (as sent before this module
    wrote through h11 itself): Host first when missing, and a body's Content-Length when missing
    (an empty body of POST, PUT or PATCH: ``Content-Length: 0``, after Host)."""
    raw = [(k.encode("ascii"), v.encode("latin-1")) for k, v in headers]
    names = {k.lower() for k, _ in headers}
    front: list[tuple[bytes, bytes]] = []
    if "host" not in names and url.host:
        front.append((b"Host", url.netloc))
    if body and "content-length" not in names:
        raw.append((b"Content-Length", str(len(body)).encode("ascii")))
    elif body == b"" and method in ("POST", "PUT", "PATCH") and not names & {"content-length", "transfer-encoding"}:
        front.append((b"Content-Length", b"0"))
    return front + raw if front else raw


def _redirected(
    status: int,
    method: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    url: httpx.URL,
    location: str,
    profile: Mapping[str, Any],
) -> tuple[str, list[tuple[str, str]], bytes | None, httpx.URL]:
    """The next hop as postman-request builds it: 301/302/303 turn into GET without the body (unless
    ``followOriginalHttpMethod``), Authorization stays only on the same host (or with
    ``followAuthorizationHeader``), and Referer names the previous URL (unless removed)."""
    next_url = _location(url, location)
    if status not in (307, 308) and not profile.get("followOriginalHttpMethod"):
        if method != "HEAD":
            method = "GET"
        body = None
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-type", "content-length")]
    new_host = next_url.host != url.host
    add_referer = not profile.get("removeRefererHeaderOnRedirect")
    drop = {"host", "referer"} if add_referer else {"host"}  # removing ours keeps a Referer the request set
    if new_host and not profile.get("followAuthorizationHeader"):
        drop.add("authorization")
    headers = [(k, v) for k, v in headers if k.lower() not in drop]
    if add_referer:
        headers.append(("Referer", str(url)))
    netloc = next_url.netloc.decode("ascii")
    headers.append(("Host", netloc))
    return method, headers, body, next_url


def _location(url: httpx.URL, location: str) -> httpx.URL:
    """Resolve a Location header; a scheme other than http(s) is a relative path, as Node resolves it."""
    scheme = location.split(":", 1)[0].lower() if ":" in location else ""
    if scheme and scheme not in ("http", "https") and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
        location = "./" + location
    try:
        next_url = url.join(location)
    except httpx.InvalidURL as exc:
        raise RequestError(f"invalid redirect location {location!r}: {exc}") from None
    if next_url.scheme not in ("http", "https") or not next_url.host:
        raise RequestError(f"invalid redirect location {location!r}")
    return next_url


def _reason(code: int) -> str:
    """The standard reason phrase, as Node gives for a status line without one."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def _phases(marks: dict[str, float], entered: float, started: float) -> dict[str, float]:
    """Newman's timing phases in ms from the marks ``runner.http11`` sets (the last hop of redirects).

    httpcore resolves names inside its TCP connect, so ``dns`` is not told apart (0).
    """

    def between(a: str | float | None, b: str | float | None) -> float:
        ta = marks.get(a) if isinstance(a, str) else a
        tb = marks.get(b) if isinstance(b, str) else b
        return max(0.0, (tb - ta) * 1000) if ta is not None and tb is not None else 0.0

    first = marks.get("connect") or marks.get("send")
    out = {
        "prepare": between(entered, started),
        "wait": between(started, first),
        "dns": 0.0,
        "tcp": between("connect", "connected"),
        "secureHandshake": between("tls", "secured"),
        "firstByte": between("sent", "head"),
        "download": between("head", "read"),
        "process": between("read", time.perf_counter()),
    }
    out["total"] = sum(out.values())
    return out


def _connect_message(exc: httpcore.ConnectError, host: str, port: int | None, scheme: str) -> str:
    text = str(exc)
    where = f"{host}:{port or (443 if scheme == 'https' else 80)}"
    cause = exc.__cause__ or exc.__context__
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, socket.gaierror) or "Name or service not known" in text or "nodename" in text:
        return f"getaddrinfo ENOTFOUND {host}"
    if isinstance(cause, ssl.SSLError) or "SSL" in text or "certificate" in text:
        return f"TLS error connecting to {where}: {text}"
    if isinstance(cause, ConnectionRefusedError) or "Connection refused" in text or "Errno 111" in text:
        return f"connect ECONNREFUSED {where}"
    return f"connect error {where}: {text}"

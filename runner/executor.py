"""Send prepared requests with one httpx client per run: keep-alive, a cookie jar, redirects.

We build each ``httpx.Request`` ourselves from the exact header list and encoded target that
``runner.request`` produced, so httpx adds nothing of its own to what goes on the wire.
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from runner.request import PreparedRequest


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

    @property
    def size(self) -> int:
        return len(self.body) if self.full_size is None else self.full_size

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None


class RequestError(Exception):
    """The request could not be completed (refused, DNS, timeout, TLS...), worded like Newman's errors."""


@dataclass
class ExecutorOptions:
    insecure: bool = False
    follow_redirects: bool = True
    max_redirects: int = 10
    timeout_request: float | None = None  # seconds; None waits forever, as Newman's default
    redirect_to: str | None = None  # "http://127.0.0.1:PORT": send everything there (--mock)


class _PinnedTransport(httpx.HTTPTransport):
    """Sends every request to one origin whatever its URL says: redirects and pm.sendRequest too.

    This is what makes ``--mock`` safe: nothing can reach the hosts a collection names.
    """

    def __init__(self, origin: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._origin = httpx.URL(origin)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # A copy: the client keeps the original request, so cookies stay scoped to the named host.
        pinned = httpx.Request(
            request.method,
            request.url.copy_with(scheme=self._origin.scheme, host=self._origin.host, port=self._origin.port),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return super().handle_request(pinned)


class _LazyTLSTransport(httpx.BaseTransport):
    """Builds the verifying HTTPS transport on first use: loading the CA bundle takes ~0.1 s, and
    plain-HTTP runs (every --mock run among them) never need it."""

    def __init__(self, verify: bool) -> None:
        self._verify = verify
        self._transport: httpx.HTTPTransport | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            self._transport = httpx.HTTPTransport(verify=self._verify)
        return self._transport.handle_request(request)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


class Executor:
    """Owns the run's httpx client; ``send`` never raises anything but RequestError."""

    def __init__(self, options: ExecutorOptions | None = None) -> None:
        self.options = options or ExecutorOptions()
        verify: bool | ssl.SSLContext = not self.options.insecure
        if self.options.redirect_to:
            transport: httpx.BaseTransport = _PinnedTransport(self.options.redirect_to, verify=False)
            mounts = None
        else:
            transport = httpx.HTTPTransport(verify=False)  # plain HTTP: no certificates to load
            mounts = {"https://": _LazyTLSTransport(verify)}
        self.client = httpx.Client(
            transport=transport,
            mounts=mounts,
            verify=verify,
            timeout=httpx.Timeout(self.options.timeout_request),
            follow_redirects=False,
            max_redirects=self.options.max_redirects,
            headers=None,
            trust_env=True,
        )
        # httpx's defaults would be merged into requests it builds; ours are built by hand.
        self.client.headers.clear()
        self._origins: dict[str, httpx.URL] = {}

    @property
    def cookies(self) -> httpx.Cookies:
        return self.client.cookies

    def close(self) -> None:
        self.client.close()

    def send(
        self, prepared: PreparedRequest, *, follow_redirects: bool | None = None, timeout: float | None = None
    ) -> Response:
        entered = time.perf_counter()
        target = prepared.target
        base = self._origins.get(target.origin)
        if base is None:
            base = self._origins[target.origin] = httpx.URL(target.origin)
        url = base.copy_with(raw_path=target.target.encode("ascii"))
        request = httpx.Request(prepared.method, url, headers=prepared.headers, content=prepared.body)
        if timeout is not None:  # the run's own deadline is nearer than the per-request limit
            limit = self.options.timeout_request
            request.extensions["timeout"] = httpx.Timeout(timeout if limit is None else min(limit, timeout)).as_dict()
        if prepared.body is None:
            for key in [k for k in request.headers if k.lower() in ("content-length", "transfer-encoding")]:
                if not any(k.lower() == key.lower() for k, _ in prepared.headers):
                    del request.headers[key]
        self.client.cookies.set_cookie_header(request)
        cookie = request.headers.get("Cookie")
        if cookie and prepared.header("Cookie") is None:
            prepared.headers.append(("Cookie", cookie))  # so scripts and reports see what was sent
        follow = self.options.follow_redirects if follow_redirects is None else follow_redirects
        marks: dict[str, float] = {}
        request.extensions["trace"] = lambda event, _info: marks.__setitem__(event, time.perf_counter())
        started = time.perf_counter()
        try:
            response = self.client.send(request, follow_redirects=follow)
            body = response.read()
            marks["read"] = time.perf_counter()
        except httpx.TooManyRedirects:
            raise RequestError(f"Exceeded maxRedirects. Probably stuck in a redirect loop {prepared.url}") from None
        except httpx.TimeoutException:
            raise RequestError(f"ESOCKETTIMEDOUT: request to {prepared.url} timed out") from None
        except httpx.ConnectError as exc:
            raise RequestError(_connect_message(exc, target.host, target.port, target.scheme)) from None
        except httpx.HTTPError as exc:
            raise RequestError(f"{type(exc).__name__}: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: client closed by an abort
            raise RequestError(str(exc)) from None
        elapsed = (time.perf_counter() - started) * 1000
        cookies = [
            {"name": c.name, "value": c.value, "domain": c.domain, "path": c.path, "secure": bool(c.secure)}
            for c in self.client.cookies.jar
        ]
        return Response(
            code=response.status_code,
            reason=response.reason_phrase,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            body=body,
            time_ms=elapsed,
            url=str(response.url),
            http_version=response.http_version,
            cookies=cookies,
            phases=_phases(marks, entered, started),
        )


def _phases(marks: dict[str, float], entered: float, started: float) -> dict[str, float]:
    """Newman's timing phases in ms from httpcore's trace events (the last hop of redirects).

    httpcore resolves names inside its TCP connect, so ``dns`` is not told apart (0).
    """

    def between(a: str | float | None, b: str | float | None) -> float:
        ta = marks.get(a) if isinstance(a, str) else a
        tb = marks.get(b) if isinstance(b, str) else b
        return max(0.0, (tb - ta) * 1000) if ta is not None and tb is not None else 0.0

    first = marks.get("connection.connect_tcp.started") or marks.get("http11.send_request_headers.started")
    sent = marks.get("http11.send_request_body.complete") or marks.get("http11.send_request_headers.complete")
    out = {
        "prepare": between(entered, started),
        "wait": between(started, first),
        "dns": 0.0,
        "tcp": between("connection.connect_tcp.started", "connection.connect_tcp.complete"),
        "secureHandshake": between("connection.start_tls.started", "connection.start_tls.complete"),
        "firstByte": between(sent, "http11.receive_response_headers.complete"),
        "download": between("http11.receive_response_headers.complete", "read"),
        "process": between("read", time.perf_counter()),
    }
    out["total"] = sum(out.values())
    return out


def _connect_message(exc: httpx.ConnectError, host: str, port: int | None, scheme: str) -> str:
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

"""HTTP/1.1 exchanges for the executor: h11 for the protocol, httpcore's streams for sockets and TLS.

Why not httpx's client and httpcore's pool: the executor builds every header itself, follows
redirects itself and reads bodies itself, so what those layers add per request is their models,
locks and trace hooks; measured on the benchmark's loopback server, about 0.5 ms of Python a request
(httpx 1.0-1.3 ms, this 0.6-0.7 ms, bare sockets 0.4 ms). What goes on the wire and how answers are
parsed stays with the libraries: h11 writes and parses the messages (httpcore's settings: 64 KiB
reads, 100 KiB heads), httpcore's backend connects, upgrades to TLS and maps socket errors to its
exceptions, and the rules copied here are httpcore's own (proxy headers, CONNECT, keep-alive reuse).
"""

from __future__ import annotations

import base64
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import h11
import httpcore
import httpx

from runner.transport import ProxyConfig, TLSOptions, tls_context

READ_SIZE = 64 * 1024  # httpcore's READ_NUM_BYTES
MAX_HEAD = 100 * 1024  # httpcore's MAX_INCOMPLETE_EVENT_SIZE
# A request's head and body leave in one send up to this size (httpcore wrote them apart: two TCP
# segments, two wake-ups of the server, 60-80 us a request); beyond it they are written one after the
# other, so a large upload is never held in a second copy.
COALESCE_LIMIT = 64 * 1024
# Idle keep-alive connections kept at most (httpx's default): a run across many hosts keeps no more sockets.
MAX_IDLE = 20


@dataclass(frozen=True)
class Timeouts:
    connect: float | None = None
    read: float | None = None
    write: float | None = None


@dataclass(frozen=True)
class _Route:
    """Where a request's connection goes: the origin, through which proxy, with which TLS settings."""

    scheme: str
    host: str
    port: int
    proxy: str | None
    tls_key: tuple[Any, ...]


class _Connection:
    def __init__(self, stream: httpcore.NetworkStream, route: _Route) -> None:
        self.stream = stream
        self.route = route
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD)

    def close(self) -> None:
        try:
            self.stream.close()
        except OSError:
            pass


class _H11Errors:
    """h11's errors as httpcore names them (the executor reports ``RemoteProtocolError: ...``)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> bool:
        if isinstance(exc, h11.RemoteProtocolError):
            raise httpcore.RemoteProtocolError(str(exc)) from exc
        if isinstance(exc, h11.LocalProtocolError):
            raise httpcore.LocalProtocolError(str(exc)) from exc
        return False


class Exchange:
    """A response whose head has arrived; its body is read with ``body()`` and then ``close()``d."""

    def __init__(self, pool: Connections, conn: _Connection, event: Any, read_timeout: float | None) -> None:
        self._pool = pool
        self._conn: _Connection | None = conn
        self._read_timeout = read_timeout
        self.status: int = event.status_code
        self.reason: bytes = event.reason
        self.http_version = "HTTP/" + event.http_version.decode("ascii")
        self.headers: list[tuple[bytes, bytes]] = event.headers.raw_items()

    def header(self, name: str) -> str | None:
        """As httpx's ``headers.get``: repeated headers joined with ", ", decoded as the whole head is."""
        wanted = name.lower().encode("ascii")
        values = [v for k, v in self.headers if k.lower() == wanted]
        if not values:
            return None
        return b", ".join(values).decode(_head_encoding(self.headers))

    def has_header(self, name: bytes) -> bool:
        return any(k.lower() == name for k, _ in self.headers)

    def body(self) -> Iterator[bytes]:
        """The raw (still encoded) body as it arrives."""
        conn = self._conn
        if conn is None:
            return
        try:
            while True:
                with _H11Errors():
                    event = conn.h11.next_event()
                if event is h11.NEED_DATA:
                    data = conn.stream.read(READ_SIZE, timeout=self._read_timeout)
                    with _H11Errors():
                        conn.h11.receive_data(data)
                elif isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                    return
        except BaseException:
            self.discard()
            raise

    def trailing_bytes(self) -> int:
        """Bytes the server sent after the end of the response (they would be read as the next one)."""
        return len(self._conn.h11.trailing_data[0]) if self._conn is not None else 0

    def discard(self) -> None:
        """Close the connection: the rest of the answer may still be on the wire, never reuse it."""
        if self._conn is not None:
            self._pool._release(self._conn, reuse=False)
            self._conn = None

    def close(self) -> None:
        """Done with the response: the connection goes back for keep-alive when both sides are done."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            state = conn.h11
            reuse = state.our_state is h11.DONE and state.their_state is h11.DONE
            if reuse:
                state.start_next_cycle()
            self._pool._release(conn, reuse=reuse)


class Connections:
    """The run's keep-alive connections, one pool per route; ``close`` fails a request in flight."""

    def __init__(self, tls: TLSOptions, proxies: ProxyConfig | None = None, pinned: str | None = None) -> None:
        self.tls = tls
        self.proxies = proxies or ProxyConfig()
        # --mock: every request goes to this origin, whatever its URL says (redirects and
        # pm.sendRequest too), without a proxy and without verifying certificates.
        self.pinned = httpx.URL(pinned) if pinned else None
        self._backend = httpcore.SyncBackend()
        self._idle: dict[_Route, list[_Connection]] = {}
        self._busy: set[_Connection] = set()
        self._contexts: dict[tuple[Any, ...], ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self.closed = False

    def request(
        self,
        method: str,
        url: httpx.URL,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
        profile: dict[str, Any],
        timeouts: Timeouts,
        marks: dict[str, float],
    ) -> Exchange:
        """Send one request and wait for its response's head (``marks`` gets the phases' times)."""
        if self.closed:
            raise RuntimeError("the run was stopped")
        route = self._route(url, profile)
        target = url.raw_path
        if route.proxy is not None and route.scheme == "http":  # forwarded: the absolute URL, proxy auth first
            port = b"" if url.port is None else b":%d" % url.port
            target = b"%b://%b%b%b" % (url.raw_scheme, url.raw_host, port, url.raw_path)
            headers = _merge_headers(_proxy_headers(route.proxy), headers)
        conn = self._acquire(route, timeouts, marks)
        try:
            marks["send"] = time.perf_counter()
            self._send(conn, method.encode("ascii"), target, headers, body, timeouts.write)
            marks["sent"] = time.perf_counter()
            event = _receive_head(conn, timeouts.read)
            marks["head"] = time.perf_counter()
        except BaseException:
            self._release(conn, reuse=False)
            raise
        return Exchange(self, conn, event, timeouts.read)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            conns = [c for idle in self._idle.values() for c in idle] + list(self._busy)
            self._idle.clear()
            self._busy.clear()
        for conn in conns:
            conn.close()

    # -- connections ------------------------------------------------------------------------------
    def _route(self, url: httpx.URL, profile: dict[str, Any]) -> _Route:
        if self.pinned is not None:
            pin = self.pinned
            return _Route(pin.scheme, pin.host, pin.port or _default_port(pin.scheme), None, ("pinned",))
        scheme = url.scheme
        proxy = self.proxies.for_url(url)
        tls_key: tuple[Any, ...] = ()
        if scheme == "https":
            tls_key = (
                profile.get("strictSSL") is not False,
                self.tls.cert_for(str(url)),
                tuple(profile.get("tlsDisabledProtocols") or ()),
                tuple(profile.get("tlsCipherSelection") or ()),
            )
        return _Route(scheme, url.raw_host.decode("ascii"), url.port or _default_port(scheme), proxy, tls_key)

    def _acquire(self, route: _Route, timeouts: Timeouts, marks: dict[str, float]) -> _Connection:
        """An idle connection of the route the server has not closed, else a new one."""
        with self._lock:
            idle = self._idle.get(route)
            while idle:
                conn = idle.pop()
                if not idle:
                    del self._idle[route]
                if conn.stream.get_extra_info("is_readable"):  # closed by the server (or junk): httpcore drops it
                    conn.close()
                    idle = self._idle.get(route)
                    continue
                self._busy.add(conn)
                return conn
        conn = _Connection(self._connect(route, timeouts, marks), route)
        with self._lock:
            if self.closed:
                conn.close()
                raise RuntimeError("the run was stopped")
            self._busy.add(conn)
        return conn

    def _release(self, conn: _Connection, reuse: bool) -> None:
        """Keep ``conn`` for reuse (dropping the oldest idle one beyond MAX_IDLE), or close it."""
        to_close: _Connection | None = conn
        with self._lock:
            self._busy.discard(conn)
            if reuse and not self.closed:
                to_close = None
                if sum(map(len, self._idle.values())) >= MAX_IDLE:  # the longest-kept route's oldest goes
                    oldest = next(iter(self._idle))
                    to_close = self._idle[oldest].pop(0)
                    if not self._idle[oldest]:
                        del self._idle[oldest]
                self._idle.setdefault(conn.route, []).append(conn)
        if to_close is not None:
            to_close.close()

    def _connect(self, route: _Route, timeouts: Timeouts, marks: dict[str, float]) -> httpcore.NetworkStream:
        if route.proxy is None:
            host, port, scheme = route.host, route.port, route.scheme
        else:
            proxy = httpx.URL(route.proxy)
            if proxy.scheme not in ("http", "https"):
                raise httpcore.ProxyError(f"unsupported proxy scheme {proxy.scheme!r} in {route.proxy}")
            host, port, scheme = proxy.raw_host.decode("ascii"), proxy.port or _default_port(proxy.scheme), proxy.scheme
        marks["connect"] = time.perf_counter()
        stream = self._backend.connect_tcp(host, port, timeout=timeouts.connect, socket_options=[])
        marks["connected"] = time.perf_counter()
        try:
            if scheme == "https":  # to the origin, or to an https proxy
                stream = self._tls(stream, route if route.proxy is None else None, host, timeouts, marks)
            if route.proxy is not None and route.scheme == "https":
                self._tunnel(stream, route, timeouts)
                stream = self._tls(stream, route, route.host, timeouts, marks)
        except BaseException:
            stream.close()
            raise
        return stream

    def _tls(
        self,
        stream: httpcore.NetworkStream,
        route: _Route | None,
        hostname: str,
        timeouts: Timeouts,
        marks: dict[str, float],
    ) -> httpcore.NetworkStream:
        context = self._context(route)
        context.set_alpn_protocols(["http/1.1"])  # as httpcore offers it without HTTP/2
        marks["tls"] = time.perf_counter()
        secured = stream.start_tls(context, server_hostname=hostname, timeout=timeouts.connect)
        marks["secured"] = time.perf_counter()
        return secured

    def _context(self, route: _Route | None) -> ssl.SSLContext:
        """The TLS context of the route's settings (built once: loading the CA bundle costs ~0.1 s)."""
        key = route.tls_key if route is not None else ("proxy",)
        with self._lock:
            context = self._contexts.get(key)
        if context is None:
            if route is None:
                context = httpx.create_ssl_context()
            elif key == ("pinned",):
                context = httpx.create_ssl_context(verify=False)
            else:
                strict, cert, disabled, ciphers = key
                profile = {"strictSSL": strict, "tlsDisabledProtocols": disabled, "tlsCipherSelection": ciphers}
                context = tls_context(self.tls, cert, profile)
            with self._lock:
                self._contexts[key] = context
        return context

    def _tunnel(self, stream: httpcore.NetworkStream, route: _Route, timeouts: Timeouts) -> None:
        """CONNECT host:port through the proxy, as httpcore asks for it; a non-2xx answer is a ProxyError."""
        target = b"%b:%d" % (route.host.encode("ascii"), route.port)
        conn = _Connection(stream, route)
        headers = _merge_headers([(b"Host", target), (b"Accept", b"*/*")], _proxy_headers(route.proxy or ""))
        self._send(conn, b"CONNECT", target, headers, None, timeouts.write)
        event = _receive_head(conn, timeouts.read)
        if not 200 <= event.status_code <= 299:
            raise httpcore.ProxyError(f"{event.status_code} {event.reason.decode('ascii', errors='ignore')}")

    @staticmethod
    def _send(
        conn: _Connection,
        method: bytes,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
        write_timeout: float | None,
    ) -> None:
        with _H11Errors():
            head = conn.h11.send(h11.Request(method=method, target=target, headers=headers)) or b""
            if body and len(head) + len(body) > COALESCE_LIMIT:
                pieces = [head, *conn.h11.send_with_data_passthrough(h11.Data(data=body))]
                pieces.append(conn.h11.send(h11.EndOfMessage()) or b"")
            else:
                data = conn.h11.send(h11.Data(data=body)) if body else b""
                pieces = [head + (data or b"") + (conn.h11.send(h11.EndOfMessage()) or b"")]
        try:
            for piece in pieces:
                if piece:
                    conn.stream.write(piece, timeout=write_timeout)
        except httpcore.WriteError:
            pass  # as httpcore: the server may have answered (413) and closed; read what it said


def _receive_head(conn: _Connection, read_timeout: float | None) -> Any:
    """The response's head, skipping 1xx answers (but a 101), with httpcore's words for an early close."""
    while True:
        with _H11Errors():
            event = conn.h11.next_event()
        if event is h11.NEED_DATA:
            data = conn.stream.read(READ_SIZE, timeout=read_timeout)
            if data == b"" and conn.h11.their_state is h11.SEND_RESPONSE:
                raise httpcore.RemoteProtocolError("Server disconnected without sending a response.")
            with _H11Errors():
                conn.h11.receive_data(data)
        elif isinstance(event, h11.Response):
            return event
        elif isinstance(event, h11.InformationalResponse) and event.status_code == 101:
            return event


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _proxy_headers(proxy: str) -> list[tuple[bytes, bytes]]:
    """Basic credentials from the proxy URL's user info, as httpx passes them to httpcore."""
    url = httpx.URL(proxy)
    if not (url.username or url.password):
        return []
    token = base64.b64encode(url.username.encode("utf-8") + b":" + url.password.encode("utf-8"))
    return [(b"Proxy-Authorization", b"Basic " + token)]


def _merge_headers(
    defaults: list[tuple[bytes, bytes]], overrides: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """httpcore's rule: the defaults first, minus the names the overrides set."""
    names = {k.lower() for k, _ in overrides}
    return [(k, v) for k, v in defaults if k.lower() not in names] + list(overrides)


def _head_encoding(headers: list[tuple[bytes, bytes]]) -> str:
    """httpx's choice for a whole head: ASCII, else UTF-8, else ISO-8859-1."""
    for encoding in ("ascii", "utf-8"):
        try:
            for k, v in headers:
                k.decode(encoding)
                v.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "iso-8859-1"

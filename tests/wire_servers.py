"""Real servers for the wire tests, all on 127.0.0.1: a recording forward proxy (it logs CONNECT and
answers every request itself, decrypting https with a test CA, so nothing leaves the machine), an
mTLS server that demands a client certificate, and raw request capture.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import trustme


@dataclass
class Captured:
    """One request as it arrived: which tunnel (or none), and its exact bytes."""

    tunnel: str | None  # "host:port" of the CONNECT it came through; None for a plain proxied request
    head: bytes
    body: bytes

    @property
    def request_line(self) -> str:
        return self.head.split(b"\r\n", 1)[0].decode("latin-1")

    @property
    def headers(self) -> list[tuple[str, str]]:
        lines = self.head.decode("latin-1").split("\r\n")[1:]
        return [(k, v.strip(" \t")) for k, _, v in (line.partition(":") for line in lines if line)]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def read_request(sock: Any, buffer: bytearray) -> tuple[bytes, bytes] | None:
    """One HTTP/1.1 request (head, body) from ``sock``; None when the peer closed first."""
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    end = buffer.index(b"\r\n\r\n")
    head = bytes(buffer[:end])
    del buffer[: end + 4]
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value)
        elif key.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while b"\r\n0\r\n\r\n" not in buffer and not buffer.startswith(b"0\r\n\r\n"):
            data = sock.recv(65536)
            if not data:
                break
            buffer += data
        end = buffer.find(b"0\r\n\r\n")
        body = bytes(buffer[: end + 5])
        del buffer[: end + 5]
        return head, body
    while len(buffer) < length:
        data = sock.recv(65536)
        if not data:
            break
        buffer += data
    body = bytes(buffer[:length])
    del buffer[:length]
    return head, body


OK_JSON = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


class RecordingProxy:
    """A forward proxy that is also the only server: plain requests and CONNECT tunnels (decrypted
    with certificates from ``ca``) are recorded and answered ``200 {}`` (or what ``answer`` returns
    for the request); nothing is forwarded. Requests sent to it directly are recorded the same way."""

    def __init__(
        self,
        ca: trustme.CA | None = None,
        answer: bytes | Callable[[Captured], bytes] = OK_JSON,
        require_auth: str | None = None,
    ) -> None:
        self.ca = ca
        self.answer = answer
        self.require_auth = require_auth  # expected Proxy-Authorization value, if any
        self.connects: list[tuple[str, str | None]] = []  # (target, Proxy-Authorization)
        self.requests: list[Captured] = []
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._sock.close()

    def _context(self, host: str) -> ssl.SSLContext:
        with self._lock:
            ctx = self._contexts.get(host)
            if ctx is None:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                assert self.ca is not None, "a CONNECT needs the proxy to have a CA"
                self.ca.issue_cert(host).configure_cert(ctx)
                self._contexts[host] = ctx
            return ctx

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        buffer = bytearray()
        try:
            while True:
                got = read_request(conn, buffer)
                if got is None:
                    return
                head, body = got
                captured = Captured(None, head, body)
                method, target = captured.request_line.split(" ")[:2]
                auth = captured.header("Proxy-Authorization")
                if self.require_auth is not None and auth != self.require_auth:
                    if method == "CONNECT":  # recorded before answering: the client may be done at once
                        with self._lock:
                            self.connects.append((target, auth))
                    conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
                    if method == "CONNECT":
                        return
                    continue
                if method == "CONNECT":
                    with self._lock:
                        self.connects.append((target, auth))
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    host = target.rsplit(":", 1)[0].strip("[]")
                    tls = self._context(host).wrap_socket(conn, server_side=True)
                    self._serve_tunnel(tls, target)
                    return
                with self._lock:
                    self.requests.append(captured)
                conn.sendall(self._answer(captured))
        except (OSError, ssl.SSLError, ValueError):
            return
        finally:
            conn.close()

    def _serve_tunnel(self, tls: ssl.SSLSocket, target: str) -> None:
        buffer = bytearray()
        while True:
            got = read_request(tls, buffer)
            if got is None:
                return
            captured = Captured(target, *got)
            with self._lock:
                self.requests.append(captured)
            tls.sendall(self._answer(captured))

    def _answer(self, captured: Captured) -> bytes:
        return self.answer(captured) if callable(self.answer) else self.answer


@dataclass
class MTLSServer:
    """HTTPS on 127.0.0.1 that requires a client certificate signed by ``client_ca``; it answers with
    the certificate's subject common name, so a test sees which certificate was presented."""

    server_ca: trustme.CA
    client_ca: trustme.CA
    maximum_version: ssl.TLSVersion | None = None
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
        self.client_ca.configure_trust(ctx)
        ctx.verify_mode = ssl.CERT_REQUIRED
        if self.maximum_version is not None:
            ctx.maximum_version = self.maximum_version
        self._ctx = ctx
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self.url = f"https://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._sock.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            tls = self._ctx.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            conn.close()
            return
        try:
            cert = tls.getpeercert() or {}
            name = next((v for rdn in cert.get("subject", ()) for k, v in rdn if k == "commonName"), "")
            buffer = bytearray()
            while read_request(tls, buffer) is not None:
                self.seen.append(name)
                body = ('{"client":"' + name + '"}').encode()
                tls.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
        except (OSError, ssl.SSLError):
            pass
        finally:
            tls.close()


def client_cert(ca: trustme.CA, name: str, tmp: Any, passphrase: bytes | None = None) -> tuple[str, str]:
    """A client certificate for ``name`` signed by ``ca``, written as PEM files (cert, key)."""
    from cryptography.hazmat.primitives import serialization

    leaf = ca.issue_cert(name, common_name=name)
    cert_path, key_path = tmp / f"{name}.crt", tmp / f"{name}.key"
    cert_path.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    if passphrase is None:
        key_path.write_bytes(leaf.private_key_pem.bytes())
    else:
        key = serialization.load_pem_private_key(leaf.private_key_pem.bytes(), password=None)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(passphrase),
            )
        )
    return str(cert_path), str(key_path)

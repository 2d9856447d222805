"""Servers that misbehave: endless bodies, decompression bombs, bytes past Content-Length, https to plain HTTP.

A raw-socket server on 127.0.0.1 answers by path, so each fault is exactly what goes on the wire.
Every run is bounded in time; memory is measured on a postrun child process.
"""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import collection, item, postrun, write_json

from runner.executor import BodyDecoder

BOMB_SIZE = 1024**3  # what the gzip bomb inflates to


def _gzip_bomb(size: int) -> bytes:
    """Gzip members of 1 MiB of zeros, one after another (a gzip stream may hold several): ~1 KiB each."""
    member = gzip.compress(b"\0" * (1024 * 1024), compresslevel=9)
    return member * (size // (1024 * 1024))


class RawServer:
    """Answers each request by its path with a fault; keeps connections alive like a normal server."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = threading.Event()
        self._bomb: bytes | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def bomb(self) -> bytes:
        if self._bomb is None:  # built on first use
            self._bomb = _gzip_bomb(BOMB_SIZE)
        return self._bomb

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        try:
            while not self.closed.is_set():
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                path = head.split(b" ")[1].decode()
                self._answer(conn, path)
        except OSError:
            pass
        finally:
            conn.close()

    def _answer(self, conn: socket.socket, path: str) -> None:
        if path == "/endless":
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n")
            chunk = b"%x\r\n%s\r\n" % (16384, b"x" * 16384)
            while not self.closed.is_set():
                conn.sendall(chunk)
                time.sleep(0.001)
        elif path == "/trickle":  # a chunk every 50 ms: never idle long enough for a read timeout
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            while not self.closed.is_set():
                conn.sendall(b"1\r\nx\r\n")
                time.sleep(0.05)
        elif path == "/bomb":
            body = self.bomb
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/plain\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)
            )
            conn.sendall(body)
        elif path.startswith("/big/"):
            size = int(path.split("/")[2])
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
            block = b"y" * 65536
            left = size
            while left > 0:
                conn.sendall(block[: min(left, len(block))])
                left -= len(block)
        elif path == "/extra":  # 5 bytes promised, 5 sent, then more in the same write
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 999 garbage\r\n\r\nmore")
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}")

    def close(self) -> None:
        self.closed.set()
        self.sock.close()


@pytest.fixture
def raw() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.close()


class SilentServer:
    """Accepts connections and reads, never answers: what a plain-HTTP server does with a TLS ClientHello."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


def _run(tmp_path: Path, items: list[dict], *args: str):
    coll = write_json(tmp_path / "c.json", collection(items))
    started = time.monotonic()
    result = postrun(str(coll), "-r", "cli,json", "--reporter-json-export", str(tmp_path / "r.json"), *args)
    return result, time.monotonic() - started, json.loads((tmp_path / "r.json").read_text())


def test_endless_chunked_body_is_bounded_by_timeout_request(tmp_path, raw):
    items = [item("endless", raw.url + "/endless"), item("after", raw.url + "/ok")]
    result, took, report = _run(tmp_path, items, "--timeout-request", "1000", "--max-response-size", "1GB")
    assert took < 8, took
    assert result.exit_code == 1
    first, second = report["run"]["executions"]
    assert "timed out" in first["requestError"]["message"]
    assert second["response"]["code"] == 200 and "requestError" not in second


def test_trickling_body_is_bounded_by_timeout_request_as_a_whole(tmp_path, raw):
    result, took, report = _run(tmp_path, [item("trickle", raw.url + "/trickle")], "--timeout-request", "700")
    assert took < 5, took
    assert "timed out" in report["run"]["executions"][0]["requestError"]["message"]


def test_endless_body_is_bounded_by_the_run_timeout(tmp_path, raw):
    items = [item("endless", raw.url + "/endless"), item("never", raw.url + "/ok")]
    result, took, report = _run(tmp_path, items, "--timeout", "1000", "--max-response-size", "1GB")
    assert took < 8, took
    assert result.exit_code == 1
    assert "run timed out" in result.output
    assert report["run"]["error"].startswith("run timed out")


def test_body_over_the_limit_is_cut_with_a_warning_and_the_run_goes_on(tmp_path, raw):
    pre = ["pm.test('len', () => pm.expect(pm.response.text().length).to.eql(1048576))"]
    items = [item("big", raw.url + f"/big/{5 * 1024 * 1024}", test=pre), item("after", raw.url + "/ok")]
    result, took, report = _run(tmp_path, items, "--max-response-size", "1MB")
    big, after = report["run"]["executions"]
    assert big["response"]["code"] == 200
    assert big["assertions"] == [{"assertion": "len", "skipped": False}]
    assert "larger than 1048576 bytes (--max-response-size)" in big["warnings"][0]
    assert after["response"]["code"] == 200 and "warnings" not in after
    assert result.exit_code == 1  # a cut body is reported, never silent


def test_endless_body_without_time_limits_stops_at_the_default_size_limit(tmp_path, raw):
    result, took, report = _run(tmp_path, [item("endless", raw.url + "/endless")], "--max-response-size", "4MB")
    assert took < 10
    assert "larger than 4194304 bytes" in report["run"]["executions"][0]["warnings"][0]


def test_bad_size_option_is_a_usage_error(tmp_path, raw):
    coll = write_json(tmp_path / "c.json", collection([item("a", raw.url + "/ok")]))
    result = postrun(str(coll), "--max-response-size", "lots")
    assert result.exit_code == 2 and "--max-response-size takes a size" in result.output


def test_more_bytes_than_content_length_blame_the_item_that_got_them(tmp_path, raw):
    items = [item("extra", raw.url + "/extra"), item("next", raw.url + "/ok"), item("third", raw.url + "/ok")]
    result, took, report = _run(tmp_path, items)
    extra, nxt, third = report["run"]["executions"]
    assert "more bytes than its Content-Length (5)" in extra["requestError"]["message"]
    assert nxt["response"]["code"] == 200 and "requestError" not in nxt
    assert third["response"]["code"] == 200


def test_https_to_a_plain_http_port_fails_fast_with_a_tls_error(tmp_path):
    silent = SilentServer()
    try:
        url = f"https://127.0.0.1:{silent.port}/x"
        result, took, report = _run(tmp_path, [item("tls", url)], "--timeout-request", "800", "-k")
    finally:
        silent.close()
    assert took < 5
    message = report["run"]["executions"][0]["requestError"]["message"]
    assert "TLS handshake" in message and "plain-HTTP" in message


def test_https_to_a_plain_http_server_that_answers_is_a_tls_error(tmp_path, server):
    url = server.url.replace("http://", "https://") + "/get"
    result, took, report = _run(tmp_path, [item("tls", url)], "--timeout-request", "3000")
    assert took < 5
    assert "TLS" in report["run"]["executions"][0]["requestError"]["message"]


def test_decoder_stops_a_bomb_near_the_limit():
    bomb = _gzip_bomb(64 * 1024 * 1024)
    decoder = BodyDecoder("gzip")
    pieces = decoder.decode(bomb, 1024 * 1024 + 1)
    assert 1024 * 1024 < sum(map(len, pieces)) <= 2 * 1024 * 1024
    assert BodyDecoder("deflate").decode(zlib.compress(b"abc"), 100) == [b"abc"]
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert b"".join(BodyDecoder("deflate").decode(raw.compress(b"abc") + raw.flush(), 100)) == b"abc"
    import brotli

    assert b"".join(BodyDecoder("br").decode(brotli.compress(b"z" * 10_000_000), 1000))[:5] == b"zzzzz"
    assert sum(map(len, BodyDecoder("br").decode(brotli.compress(b"z" * 10_000_000), 1000))) < 2 * 1024 * 1024
    two = gzip.compress(b"ab") + gzip.compress(b"cd")
    assert b"".join(BodyDecoder("gzip").decode(two, 100)) == b"abcd"
    with pytest.raises(ValueError, match="cannot be decoded"):
        BodyDecoder("gzip").decode(b"not gzip", 100)


# Started from a small Python process: a child forked straight from pytest would count pytest's own
# memory in its peak.
_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _peak_mib(command: list[str]) -> tuple[float, float]:
    """Peak RSS (MiB) and wall time of a postrun child process."""
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024, time.monotonic() - started


@pytest.mark.parametrize(
    ("script", "limit", "ceiling"),
    [(False, None, 200), (True, "8MB", 280)],  # default 32 MiB limit; a script holds several copies of the body
)
def test_gzip_bomb_keeps_memory_near_the_limit(tmp_path, raw, script, limit, ceiling):
    """1 GiB inflated from ~1 MB on the wire: the child's peak memory stays near the limit, not near 1 GiB."""
    test = ["pm.test('body', () => pm.expect(pm.response.text().length).to.be.above(0))"] if script else None
    coll = write_json(tmp_path / "c.json", collection([item("bomb", raw.url + "/bomb", test=test)]))
    report = tmp_path / "r.json"
    command = [sys.executable, "-m", "runner", "run", str(coll), "-r", "json"]
    command += ["--reporter-json-export", str(report)]
    peak, took = _peak_mib(command + (["--max-response-size", limit] if limit else []))
    execution = json.loads(report.read_text())["run"]["executions"][0]
    size = 8 * 1024 * 1024 if limit else 32 * 1024 * 1024
    assert f"larger than {size} bytes" in execution["warnings"][0]
    if script:
        assert execution["assertions"] == [{"assertion": "body", "skipped": False}]
    assert peak < ceiling, (peak, took)
    assert took < 60, (peak, took)

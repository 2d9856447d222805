"""Report details tools parse, as Newman 6.2 writes them: the cli line's response size (headers
and body), "total data received" (bodies, a compressed one as sent), sizes in the filesize
package's format, durations as Newman's prettyms, run.stats.iterations (never failed), the json
report's cursor shapes, and the iteration banner. Unit tests run without Node; the differential
ones (marker ``newman``) run the same collection through Newman and postrun against one server
whose answers never change."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from runner.executor import Response
from runner.reporters.cli import human_ms, human_size
from runner.results import body_size, header_size, wire_size
from tests.conftest import ROOT, collection, item, postrun, write_json

# measured with the filesize package Newman 6.2 uses (10.1.4, spacer ''); 3,000 random counts agreed too
SIZES = {
    0: "0B", 12: "12B", 999: "999B", 1000: "1kB", 1004: "1kB", 1005: "1kB", 1024: "1.02kB", 1500: "1.5kB",
    10240: "10.24kB", 123456: "123.46kB", 999994: "999.99kB", 999995: "1MB", 1000000: "1MB", 1048576: "1.05MB",
    5_000_000: "5MB", 10**9: "1GB", 2 * 10**10: "20GB", 10**27: "1000YB",
}  # fmt: skip


@pytest.mark.parametrize(("n", "shown"), SIZES.items())
def test_sizes_read_as_newmans_filesize(n: int, shown: str) -> None:
    assert human_size(n) == shown


# measured with Newman 6.2's util.prettyms (pretty-ms 7.0.1 past 1998 ms); 8,000 random durations agreed too
DURATIONS = {
    0: "0µs", 0.4: "400µs", 0.99: "990µs", 1: "1ms", 5.7: "5ms", 999.9: "999ms", 1500: "1500ms", 1997.9: "1997ms",
    1998: "1.9s", 2000: "2s", 2099: "2s", 59999: "59.9s", 60000: "1m", 61000: "1m 1s", 65432: "1m 5.4s",
    119999: "1m 59.9s", 3600000: "1h", 3723456: "1h 2m 3.4s", 90061000: "1d 1h 1m 1s",
}  # fmt: skip


@pytest.mark.parametrize(("ms", "shown"), DURATIONS.items())
def test_durations_read_as_newmans_prettyms(ms: float, shown: str) -> None:
    assert human_ms(ms) == shown


HEADERS = [
    ("Server", "BaseHTTP/0.6 Python/3.11.7"),
    ("Date", "Wed, 02 Dec 2026 06:27:38 GMT"),
    ("Content-Type", "application/json"),
]


def _response(headers: list[tuple[str, str]], body: bytes, code: int = 200, reason: str = "OK") -> Response:
    return Response(code=code, reason=reason, headers=headers, body=body, time_ms=1.0, url="http://x/")


def test_the_cli_size_is_status_line_headers_and_body_as_newman_measured_it() -> None:
    """Newman printed ``[200 OK, 490B, ...]`` for this 345-byte answer (its report's headers)."""
    res = _response([*HEADERS, ("Content-Length", "345")], b"x" * 345)
    assert (body_size(res), header_size(res), wire_size(res)) == (345, 145, 490)


def test_a_compressed_body_counts_as_sent_and_its_decoded_bytes_otherwise() -> None:
    """Newman printed 419B for a gzip answer of 250 bytes (342 decoded), and counted 250 received."""
    headers = [*HEADERS, ("Content-Encoding", "gzip"), ("Content-Length", "250")]
    assert (body_size(_response(headers, b"y" * 342)), wire_size(_response(headers, b"y" * 342))) == (250, 419)
    chunked = [*HEADERS, ("Content-Encoding", "gzip")]  # no length: the decoded bytes
    assert body_size(_response(chunked, b"y" * 342)) == 342
    assert body_size(_response([("Content-Encoding", "br"), ("Content-Length", "9")], b"z" * 40)) == 40


def test_no_headers_leave_the_status_line() -> None:
    assert header_size(_response([], b"", 204, "No Content")) == len("HTTP/X.X 204 No Content\r\n\r\n")


def _run(make, tmp_path: Path, items: list[dict], *extra: str) -> tuple[str, dict[str, Any]]:
    report = tmp_path / "r.json"
    result = postrun(*make(items), "-r", "cli,json", "--reporter-json-export", str(report), "--color", "off", *extra)
    return result.output, json.loads(report.read_text())


def test_failed_assertions_fail_no_iteration_in_the_table_or_the_json(make, tmp_path) -> None:
    items = [item("a", "{{base}}/get", ["pm.test('fails', () => pm.expect(1).to.equal(2));"])]
    out, report = _run(make, tmp_path, items, "-n", "2")
    assert report["run"]["stats"]["iterations"] == {"total": 2, "pending": 0, "failed": 0}
    assert report["run"]["stats"]["assertions"]["failed"] == 2
    assert re.search(r"│\s+iterations │\s+2 │\s+0 │", out)


def test_cursor_shapes_follow_postman_runtimes_steps(make, tmp_path) -> None:
    jump = "if (!pm.variables.get('back')) { pm.variables.set('back', 1); postman.setNextRequest('a'); }"
    items = [
        item("a", "{{base}}/get", ["pm.test('fails', () => pm.expect(1).to.equal(2));"]),
        item("b", "{{base}}/get", [jump]),
    ]
    out, report = _run(make, tmp_path, items, "-n", "2")
    cursors = [e["cursor"] for e in report["run"]["executions"]]
    full = ["position", "iteration", "length", "cycles", "empty", "eof", "bof", "cr", "ref", "httpRequestId"]
    step = ["ref", "length", "cycles", "position", "iteration", "httpRequestId"]
    # a b (jump back) a b | a b: the run's first and the jump back to the first item are full cursors
    assert [list(c) for c in cursors] == [full, step, full, step, step[:5] + ["cr", "httpRequestId"], step]
    assert [(c["position"], c["iteration"]) for c in cursors] == [(0, 0), (1, 0), (0, 0), (1, 0), (0, 1), (1, 1)]
    assert cursors[4]["cr"] is True and cursors[0]["cr"] is False and cursors[0]["eof"] is False
    assert cursors[2]["bof"] is True
    failures = report["run"]["failures"]
    assert [f["cursor"]["ref"] for f in failures] == [cursors[0]["ref"], cursors[2]["ref"], cursors[4]["ref"]]
    assert [list(f["cursor"])[-3:] for f in failures][2] == ["httpRequestId", "scriptId", "execution"]
    assert "cr" in failures[2]["cursor"] and "empty" not in failures[2]["cursor"]
    assert out.count("Iteration 1/2") == 1 and out.count("Iteration 2/2") == 1


def test_the_cli_line_and_total_received_add_up_from_the_json_report(make, tmp_path) -> None:
    out, report = _run(make, tmp_path, [item("a", "{{base}}/get"), item("z", "{{base}}/gzip")])
    sizes = re.findall(r"\[200 OK, (\S+), \S+\]", out)
    expected, received = [], 0
    for execution in report["run"]["executions"]:
        res = execution["response"]
        headers = [(h["key"], h["value"]) for h in res["header"]]
        rebuilt = _response(headers, bytes(res["stream"]["data"]), res["code"], res["status"])
        expected.append(human_size(wire_size(rebuilt)))
        received += body_size(rebuilt)
    assert sizes == expected
    assert report["run"]["transfers"]["responseTotal"] == received
    assert f"total data received: {human_size(received)} (approx)" in out
    assert "Iteration" not in out  # one iteration: no banner, as Newman


# --- against Newman ------------------------------------------------------------------------------

GZIPPED = gzip.compress(json.dumps({"fixed": "answer", "n": list(range(40))}).encode(), mtime=0)


class _Fixed(BaseHTTPRequestHandler):
    """The same answer whoever asks, so both runners' sizes must agree to the byte."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        extra: list[tuple[str, str]] = []
        status, body = 200, b"hello world!"
        if path == "/gzip":
            body, extra = GZIPPED, [("Content-Encoding", "gzip")]
        elif path == "/big":
            body = b"x" * 1500
        elif path == "/missing":
            status, body = 404, b""
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        for key, value in extra:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815 - http.server's name

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fixed_server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Fixed)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def _both(newman: str, base: str, tmp: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    jump = "if (!pm.variables.get('back')) { pm.variables.set('back', 1); postman.setNextRequest('plain'); }"
    items = [
        item("plain", f"{base}/plain", ["pm.test('fails', () => pm.expect(1).to.equal(2));"]),
        {"name": "F", "item": [item("gzip", f"{base}/gzip", ["pm.test('ok', () => {});"])]},
        item("big", f"{base}/big", [jump]),
        item("missing", f"{base}/missing"),
    ]
    coll = write_json(tmp / "fixed.json", collection(items))
    out = {}
    for who, command in (("newman", [newman, "run"]), ("postrun", [sys.executable, "-m", "runner", "run"])):
        report = tmp / f"{who}.json"
        done = subprocess.run(
            [*command, str(coll), "-n", "2", "-r", "cli,json", "--reporter-json-export", str(report)],
            capture_output=True, text=True, timeout=120, cwd=ROOT, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        out[who] = (re.sub(r"\x1b\[[0-9;]*m", "", done.stdout), json.loads(report.read_text()))
    return out


def _lines(cli: str) -> list[str]:
    """The request lines (times blanked), the banners, and the table rows that hold no time."""
    keep = []
    for line in cli.splitlines():
        line = re.sub(r", [0-9.µms ]+\]$", ", T]", line.rstrip())
        if re.match(r"^  (GET|POST) ", line) or line.startswith("Iteration") or "data received" in line:
            keep.append(line)
        elif re.match(r"^│\s+(iterations|requests|test-scripts|prerequest-scripts|assertions) ", line):
            keep.append(line)
    return keep


def _shape(cursor: dict[str, Any]) -> dict[str, Any]:
    return {k: ("id" if k in ("ref", "httpRequestId", "scriptId", "execution") else v) for k, v in cursor.items()}


@pytest.mark.newman
def test_sizes_iterations_and_cursors_equal_newmans(newman, fixed_server, tmp_path) -> None:
    both = _both(newman, fixed_server, tmp_path)
    (their_cli, theirs), (our_cli, ours) = both["newman"], both["postrun"]
    assert _lines(our_cli) == _lines(their_cli)
    assert ours["run"]["transfers"] == theirs["run"]["transfers"]
    assert ours["run"]["stats"]["iterations"] == theirs["run"]["stats"]["iterations"]
    for key in ("executions", "failures"):
        mine = [list(_shape(e["cursor"]).items()) for e in ours["run"][key]]
        assert mine == [list(_shape(e["cursor"]).items()) for e in theirs["run"][key]], key


@pytest.mark.newman
def test_verbose_sizes_and_body_mode_equal_newmans(newman, fixed_server, tmp_path) -> None:
    """--verbose's ``270B↑ 793B↓ size`` and ``┌ ↑ raw ★ 11B`` (the same User-Agent for both, so the
    requests are the same length)."""
    agent = [{"key": "User-Agent", "value": "same/1.0"}]
    body = {"mode": "raw", "raw": "hello ünï"}
    items = [item("gz", f"{fixed_server}/gzip", header=agent), item("p", f"{fixed_server}/plain?a=1",
             method="POST", body=body, header=agent)]  # fmt: skip
    coll = write_json(tmp_path / "verbose.json", collection(items))
    shown = {}
    for who, command in (("newman", [newman, "run"]), ("postrun", [sys.executable, "-m", "runner", "run"])):
        done = subprocess.run([*command, str(coll), "--verbose"], capture_output=True, text=True, timeout=120,
                              cwd=ROOT, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})  # fmt: skip
        text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
        sizes = re.findall(r"★ (\S+↑ \S+↓) size", text)
        shown[who] = (sizes, re.findall(r"┌ ↑ .*", text))
    assert shown["postrun"] == shown["newman"] and len(shown["newman"][0]) == 2


def test_the_json_reporters_compact_line_is_what_json_dumps_writes() -> None:
    """The item written once and the Buffer by table must give json.dumps's own text, byte for byte."""
    from runner.reporters.json import JsonReporter

    reporter = JsonReporter({"json_export": "unused.json"})
    item = {"id": "i1", "name": "naïve ✓ \"quoted\" \u2028", "request": {"url": {"raw": "http://x/{{a}}"}}, "path": []}
    for body in (b"", bytes(range(256)), "ünïcode {\"a\": 1}".encode()):
        record = {
            "cursor": {"iteration": 0, "ref": "r"},
            "item": item,
            "id": "i1",
            "response": {"code": 200, "stream": {"type": "Buffer", "data": list(body)}, "header": [{"key": "k"}]},
            "assertions": [{"assertion": "a\u0000b", "skipped": False}],
        }
        expected = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        assert reporter._compact(record) == expected
        assert reporter._compact(record) == expected  # the item's text, now from the cache
        assert json.dumps(record, ensure_ascii=False, separators=(",", ":")) == expected  # record left as it was
    failed = {"cursor": {}, "item": item, "id": "i1", "requestError": {"message": "refused"}}
    assert reporter._compact(failed) == json.dumps(failed, ensure_ascii=False, separators=(",", ":"))

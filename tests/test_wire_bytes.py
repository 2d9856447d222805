"""Request bytes as Newman sends them, and redirects as postman-request follows them.

Each case was measured with Newman 6.2 against a raw capture server; the expectations below are
those measurements, and the tests marked ``newman`` run Newman again beside postrun and compare
the captured bytes (User-Agent, Postman-Token and header order aside)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import ROOT, collection, postrun, write_json
from tests.wire_servers import Captured, RecordingProxy

BOUNDARY = re.compile(rb"-{26}\d{24}")
IGNORED = {"user-agent", "postman-token"}


def answer(captured: Captured) -> bytes:
    """``/redir/CODE?to=URL`` redirects (and sets cookie rCODE); ``/noreason`` has no reason phrase."""
    target = captured.request_line.split(" ")[1]
    parts = urlsplit(target)
    if re.fullmatch(r"/redir/\d{3}", parts.path):
        code = parts.path.split("/")[2]
        location = parse_qs(parts.query, keep_blank_values=True).get("to", [""])[0]
        return (
            f"HTTP/1.1 {code} Moved\r\nLocation: {location}\r\nSet-Cookie: r{code}=1; Path=/\r\n"
            "Content-Length: 0\r\n\r\n"
        ).encode("latin-1")
    if parts.path == "/noreason":
        return b"HTTP/1.1 404\r\nContent-Length: 2\r\n\r\nno"
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


@pytest.fixture
def raw():
    server = RecordingProxy(answer=answer)
    yield server
    server.close()


def req(name: str, url: str, method: str = "GET", header=None, body=None, pre=None, profile=None, test=None):
    out: dict = {"name": name, "request": {"method": method, "url": url, "header": header or []}}
    if body is not None:
        out["request"]["body"] = body
    events = []
    if pre:
        events.append({"listen": "prerequest", "script": {"exec": pre}})
    if test:
        events.append({"listen": "test", "script": {"exec": test}})
    if events:
        out["event"] = events
    if profile:
        out["protocolProfileBehavior"] = profile
    return out


def probe_items(base: str) -> list[dict]:
    other = base.replace("127.0.0.1", "localhost")
    json_body = '{\n // note\n "a": "http://x/y", /* inline */ "b": "/* kept */"\n}'
    return [
        req(
            "headers",
            f"{base}/ws/./a/../b",
            header=[
                {"key": "Authorization", "value": "Bearer "},
                {"key": "X-Lead", "value": "  lead"},
                {"key": "X-Case", "value": "1"},
                {"key": "x-case", "value": "2"},
                {"key": "X-Twice", "value": "one"},
                {"key": "X-Twice", "value": "two"},
            ],
        ),
        req(
            "form-data",
            f"{base}/form",
            "POST",
            header=[{"key": "Content-Type", "value": "multipart/form-data"}],
            body={
                "mode": "formdata",
                "formdata": [
                    {"key": "a", "value": "1", "type": "text"},
                    {"key": "empty-list", "type": "file", "src": []},
                    {"key": "no-src", "type": "file"},
                ],
            },
        ),
        req(
            "json comments",
            f"{base}/json",
            "POST",
            body={"mode": "raw", "raw": json_body, "options": {"raw": {"language": "json"}}},
        ),
        req(
            "json comments by content type",
            f"{base}/json-ct",
            "POST",
            header=[{"key": "Content-Type", "value": "application/vnd.api+json"}],
            body={"mode": "raw", "raw": '{"a": 1 /* x */}'},
        ),
        req(
            "comments kept for text",
            f"{base}/text-ct",
            "POST",
            header=[{"key": "Content-Type", "value": "text/plain"}],
            body={"mode": "raw", "raw": '{"a": 1 /* x */}'},
        ),
        req(
            "null variable",
            f"{base}/null/{{{{n}}}}",
            pre=["pm.variables.set('n', null);"],
        ),
        req(
            "redirect 302 turns POST into GET",
            f"{base}/redir/302?to=%2Fredir%2F307%3Fto%3D%252Ffinal",
            "POST",
            header=[{"key": "Authorization", "value": "Bearer tok"}],
            body={"mode": "raw", "raw": "hello"},
        ),
        req(
            "redirect 307 to another host drops Authorization",
            f"{base}/redir/307?to={other}/final2",
            "POST",
            header=[{"key": "Authorization", "value": "Bearer tok"}],
            body={"mode": "raw", "raw": "hello"},
        ),
        req(
            "profile keeps method, Authorization, no Referer",
            f"{base}/redir/302?to={other}/final3",
            "POST",
            header=[{"key": "Authorization", "value": "Bearer tok"}],
            body={"mode": "raw", "raw": "hello"},
            profile={
                "followOriginalHttpMethod": True,
                "removeRefererHeaderOnRedirect": True,
                "followAuthorizationHeader": True,
            },
        ),
        req(
            "disabled body content-type",
            f"{base}/no-ctype",
            "POST",
            body={"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}]},
            profile={"disabledSystemHeaders": {"content-type": True}},
        ),
        req(
            "disabled raw content-type",
            f"{base}/no-ctype-raw",
            "POST",
            body={"mode": "raw", "raw": "{}", "options": {"raw": {"language": "json"}}},
            profile={"disabledSystemHeaders": {"content-type": True}},
        ),
        req(
            "303 keeps the method with followOriginalHttpMethod",
            f"{base}/redir/303?to=/after303",
            "POST",
            body={"mode": "raw", "raw": "hello"},
            profile={"followOriginalHttpMethod": True},
        ),
        req("301 turns PUT into GET", f"{base}/redir/301?to=/after301", "PUT", body={"mode": "raw", "raw": "x"}),
        req("308 keeps POST", f"{base}/redir/308?to=/after308", "POST", body={"mode": "raw", "raw": "hello"}),
        req("javascript: location is a relative path", f"{base}/redir/302?to=javascript:alert(1)"),
        req("empty location is not followed", f"{base}/redir/302?to="),
        req("not followed", f"{base}/redir/301?to=/never", profile={"followRedirects": False}),
        req(
            "no reason phrase",
            f"{base}/noreason",
            test=["pm.test('reason', () => pm.expect(pm.response.status).to.equal('Not Found'))"],
        ),
    ]


def comparable(c: Captured) -> tuple:
    head = BOUNDARY.sub(b"BOUNDARY", c.head).decode("latin-1").split("\r\n")
    headers = sorted(h for h in head[1:] if h.split(":", 1)[0].lower() not in IGNORED)
    return head[0], headers, BOUNDARY.sub(b"BOUNDARY", c.body)


def run_postrun(tmp_path: Path, base: str) -> dict:
    coll = write_json(tmp_path / "probe.json", collection(probe_items(base)))
    out = tmp_path / "postrun.json"
    result = postrun(str(coll), "-r", "json", "--reporter-json-export", str(out))
    assert "Traceback" not in result.output
    return json.loads(out.read_text())


def by_line(raw: RecordingProxy) -> dict[str, Captured]:
    return {c.request_line.split(" ")[1]: c for c in raw.requests}


def test_headers_keep_blanks_repeat_and_merge_by_case_as_node(tmp_path, raw):
    run_postrun(tmp_path, raw.url)
    c = by_line(raw)["/ws/./a/../b"]  # dot segments kept
    headers = [h for h in c.head.decode("latin-1").split("\r\n")[1:] if not h.startswith(("User-Agent", "Postman"))]
    assert "Authorization: Bearer " in headers
    assert "X-Lead:   lead" in headers
    assert "x-case: 2" in headers and "X-Case: 1" not in headers  # one header, the last spelling and value
    assert [h for h in headers if h.startswith("X-Twice")] == ["X-Twice: one", "X-Twice: two"]


def test_form_data_empty_file_parts_and_multipart_content_type(tmp_path, raw):
    run_postrun(tmp_path, raw.url)
    c = by_line(raw)["/form"]
    ctype = c.header("Content-Type")
    assert ctype is not None and BOUNDARY.search(ctype.encode())
    boundary = ctype.split("boundary=")[1]
    assert (
        c.body
        == (
            f'--{boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="empty-list"; filename=""\r\n\r\n\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="no-src"; filename=""\r\n\r\n\r\n'
            f"--{boundary}--\r\n"
        ).encode()
    )
    assert c.header("Content-Length") == str(len(c.body))


def test_json_comments_are_stripped_and_null_is_null(tmp_path, raw):
    run_postrun(tmp_path, raw.url)
    seen = by_line(raw)
    assert seen["/json"].body == b'{\n \n "a": "http://x/y",  "b": "/* kept */"\n}'
    assert "/null/null" in seen


def test_redirect_chain_as_postman_request(tmp_path, raw):
    report = run_postrun(tmp_path, raw.url)
    lines = [c.request_line for c in raw.requests]
    i = lines.index("POST /redir/302?to=%2Fredir%2F307%3Fto%3D%252Ffinal HTTP/1.1")
    first, second, third = raw.requests[i : i + 3]
    assert second.request_line == "GET /redir/307?to=%2Ffinal HTTP/1.1"
    assert second.body == b"" and second.header("Content-Type") is None and second.header("Content-Length") is None
    assert second.header("Authorization") == "Bearer tok"  # same host: kept
    assert second.header("Referer") == f"{raw.url}/redir/302?to=%2Fredir%2F307%3Fto%3D%252Ffinal"
    assert second.header("Cookie") == "r302=1"
    assert third.request_line == "GET /final HTTP/1.1" and third.header("Cookie") == "r302=1; r307=1"
    cross = next(c for c in raw.requests if c.request_line.startswith("POST /final2"))
    assert cross.body == b"hello" and cross.header("Authorization") is None
    assert cross.header("Host") == raw.url.replace("http://127.0.0.1", "localhost")
    kept = next(c for c in raw.requests if c.request_line.startswith("POST /final3"))
    assert kept.body == b"hello" and kept.header("Authorization") == "Bearer tok" and kept.header("Referer") is None
    assert "GET /redir/javascript:alert(1) HTTP/1.1" in lines
    assert "GET /never HTTP/1.1" not in lines
    codes = {ex["item"]["name"]: ex["response"]["code"] for ex in report["run"]["executions"] if "response" in ex}
    assert codes["empty location is not followed"] == 302 and codes["not followed"] == 301
    assert all(not ex.get("requestError") for ex in report["run"]["executions"])
    assert report["run"]["stats"]["assertions"]["failed"] == 0


def test_max_redirects_fails_the_item_only(tmp_path, raw):
    loop = f"{raw.url}/redir/302?to=/redir/302%3Fto%3D/redir/302%253Fto%253D/x"
    items = [
        req("loop", loop, profile={"maxRedirects": 1}),
        req("after", f"{raw.url}/after"),
    ]
    out = tmp_path / "r.json"
    postrun(str(write_json(tmp_path / "c.json", collection(items))), "-r", "json", "--reporter-json-export", str(out))
    executions = json.loads(out.read_text())["run"]["executions"]
    assert "maxRedirects" in executions[0]["requestError"]["message"]
    assert "response" in executions[1]


def test_unsendable_requests_fail_their_item_and_the_run_goes_on(tmp_path, raw):
    items = [
        req("non-latin header", f"{raw.url}/h", header=[{"key": "X-A", "value": "é✓"}]),
        req("non-ascii method", f"{raw.url}/m", method="GÉT"),
        req("bad ipv6", "http://[::1/x"),
        req("raw spaces", f"{raw.url}/a b", profile={"disableUrlEncoding": True}),
        req("latin-1 header", f"{raw.url}/latin", header=[{"key": "X-L", "value": "café"}]),
    ]
    out = tmp_path / "r.json"
    result = postrun(
        str(write_json(tmp_path / "c.json", collection(items))), "-r", "json", "--reporter-json-export", str(out)
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [(ex.get("requestError") or {}).get("message") for ex in json.loads(out.read_text())["run"]["executions"]]
    assert errors[0] == 'Invalid character in header content ["X-A"]'
    assert errors[1] == 'Method must be a valid HTTP token ["GÉT"]'
    assert errors[2] and errors[3] == "Request path contains unescaped characters"
    assert errors[4] is None
    assert by_line(raw)["/latin"].head.split(b"X-L: ")[1].startswith("café".encode("latin-1"))


@pytest.mark.newman
def test_probe_bytes_equal_newmans(newman, tmp_path, raw):
    coll = write_json(tmp_path / "probe.json", collection(probe_items(raw.url)))
    subprocess.run([newman, "run", str(coll)], capture_output=True, timeout=120, cwd=tmp_path)
    newman_seen = [comparable(c) for c in raw.requests]
    raw.requests.clear()
    subprocess.run(
        [sys.executable, "-m", "runner", "run", str(coll)],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    postrun_seen = [comparable(c) for c in raw.requests]
    assert newman_seen, "Newman sent nothing"
    assert postrun_seen == newman_seen

"""Postman's response/request assertions (runner/sandbox/js/assertions.js), run in QuickJS.

Each case is a test-script expression run against the response of one of the FIXTURES. The expected
outcomes in CASES were recorded from Newman 6 (postman-sandbox 4.7, chai-postman 2.0.1): the
differential test (marked ``newman``) serves FIXTURES on a loopback port, runs every case through
Newman and through QuickJS, and compares test names, outcomes and messages.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import quickjs

from runner.sandbox import host

JS_DIR = Path(__file__).resolve().parents[1] / "runner" / "sandbox" / "js"
NEWMAN_CANDIDATES = [
    Path("/tmp/newman/node_modules/.bin/newman"),
    Path("/tmp/postrun-newman/node_modules/.bin/newman"),
]
PASS = "pass"

# ---------------------------------------------------------------------------------------------------
# The responses: path -> (code, reason, headers, body). The server adds Content-Length (and its own
# Server and Date headers); the JS factory below adds Content-Length too.

JSON_TYPE = ("Content-Type", "application/json")
OK_BODY = '{"a": {"b": [1, 2]}}'
FIXTURES: dict[str, tuple[int, str, list[tuple[str, str]], str]] = {
    "/ok": (200, "OK", [JSON_TYPE, ("X-Foo", "bar")], OK_BODY),
    "/text": (200, "OK", [("Content-Type", "text/plain")], "hello world"),
    "/reason": (200, "Fine", [JSON_TYPE], OK_BODY),
    "/multi": (200, "OK", [JSON_TYPE, ("X-Multi", "one"), ("X-Multi", "two")], OK_BODY),
}
for _code in (201, 202, 204, 302, 400, 401, 403, 404, 406, 418, 429, 500):
    FIXTURES[f"/status/{_code}"] = (
        _code, HTTPStatus(_code).phrase, [JSON_TYPE], "" if _code == 204 else json.dumps({"code": _code})
    )

# Builds the sandbox core's request/response shapes from a fixture, and runs one case. The outcome is
# 'pass', the AssertionError's message, or '<ErrorName>: <message>' for any other error.
FACTORY_JS = r"""
function makeHeaders(pairs) {
  const list = pairs.map(([key, value]) => ({ key, value }));
  const find = (name) => list.filter((h) => h.key.toLowerCase() === String(name).toLowerCase());
  return {
    get(name) { const found = find(name); return found.length ? found[found.length - 1].value : undefined; },
    has(name, value) {
      const found = find(name);
      return arguments.length < 2 ? found.length > 0 : found.some((h) => h.value === value);
    },
    toObject() { const out = {}; list.forEach((h) => { out[h.key.toLowerCase()] = h.value; }); return out; },
    all() { return list.map((h) => ({ key: h.key, value: h.value })); },
    each(fn) { list.forEach(fn); },
  };
}

// What liquid-json (the SDK's parser) throws, for the bodies used here.
function jsonError(text) {
  const e = new Error(text === '' ? 'No data, empty input at 1:1\n\n^'
    : "Unexpected token '" + text.charAt(0) + "' at 1:1\n" + text + '\n^');
  e.name = 'JSONError';
  return e;
}

function makeResponse([code, status, headers, body]) {
  const all = headers.concat([['Content-Length', String(body.length)]]);
  return __postrunAssert.attach({
    __kind: 'response', code, status, headers: makeHeaders(all), responseTime: 12, responseSize: body.length,
    text() { return body; },
    json() { try { return JSON.parse(body); } catch (e) { throw jsonError(body); } },
    size() { return { body: body.length, header: 150, total: body.length + 150 }; },
  });
}

function makeRequest(path) {
  return __postrunAssert.attach({
    __kind: 'request', method: 'GET', url: { toString: () => 'http://127.0.0.1' + path },
    headers: makeHeaders([['Host', '127.0.0.1'], ['Accept', '*/*']]), body: undefined,
  });
}

function runCase(fixture, path, src) {
  const pm = { response: makeResponse(fixture), request: makeRequest(path), expect: __chai.expect };
  try {
    new Function('pm', src)(pm);
    return 'pass';
  } catch (e) {
    return (e instanceof __chai.AssertionError ? '' : e.name + ': ') + e.message;
  }
}
"""

# (fixture path, test script expression, outcome recorded from Newman)
CASES: list[tuple[str, str, str]] = []

# Outcomes with response times and sizes, which differ between runs and implementations: the
# differential test compares them with the numbers masked.
VOLATILE = ("responseTime", "responseSize")


# ---------------------------------------------------------------------------------------------------
# QuickJS side


def _stand_in_ajv(schema_json: str, data_json: str | None, options_json: str | None = None) -> str:
    """A tiny ajv-6-like validator, used when runner.sandbox.libs isn't importable."""
    from jsonschema import Draft7Validator

    def data_path(error: Any) -> str:
        return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in error.absolute_path)

    def message(error: Any) -> str:
        if error.validator == "required":
            return f"should have required property '{error.message.split(chr(39))[1]}'"
        if error.validator == "type":
            return f"should be {error.validator_value}"
        return error.message

    data = json.loads(data_json) if data_json else None
    errors = Draft7Validator(json.loads(schema_json)).iter_errors(data)
    return json.dumps([{"dataPath": data_path(e), "message": message(e)} for e in errors])


def _ajv_validate() -> host.HostFunction:
    try:
        from runner.sandbox.libs import ajv_validate
    except Exception:  # noqa: BLE001 - libs.py is optional here
        return _stand_in_ajv
    return ajv_validate


def load_context() -> quickjs.Context:
    ctx = quickjs.Context()
    ctx.eval(host.HOST_JS)
    host.install(ctx, {"ajv_validate": _ajv_validate()})
    ctx.eval((JS_DIR / "chai.js").read_text(encoding="utf-8"))
    ctx.eval((JS_DIR / "assertions.js").read_text(encoding="utf-8"))
    ctx.eval(FACTORY_JS)
    return ctx


@pytest.fixture(scope="module")
def ctx() -> quickjs.Context:
    return load_context()


def run_quickjs(ctx: quickjs.Context, cases: list[tuple[str, str]]) -> list[str]:
    run = ctx.eval("(fixture, path, src) => runCase(JSON.parse(fixture), path, src)")
    return [run(json.dumps(FIXTURES[path]), path, src) for path, src in cases]


@pytest.mark.parametrize(("path", "src", "expected"), CASES, ids=[f"{p} {s}" for p, s, _ in CASES])
def test_matches_newman(ctx: quickjs.Context, path: str, src: str, expected: str) -> None:
    assert run_quickjs(ctx, [(path, src)]) == [expected]


def test_attach_defines_a_hidden_to(ctx: quickjs.Context) -> None:
    check = ctx.eval("""(() => {
      const r = makeResponse(JSON.parse('[200, "OK", [], "{}"]'));
      const d = Object.getOwnPropertyDescriptor(r, 'to');
      return JSON.stringify([Object.keys(r).includes('to'), 'to' in JSON.parse(JSON.stringify(r)),
        typeof d.get, d.enumerable, r.to instanceof __chai.Assertion, __chai.util.flag(r.to, 'object') === r]);
    })()""")
    assert json.loads(check) == [False, False, "function", False, True, True]


def test_chains_and_custom_messages(ctx: quickjs.Context) -> None:
    cases = [
        ("/ok", "pm.response.to.be.ok.and.to.have.header('X-Foo').and.be.json"),
        ("/ok", "pm.expect(pm.response).to.have.status(200).and.not.be.error"),
        ("/ok", "pm.expect(pm.response, 'custom').to.have.status(201)"),
        ("/ok", "pm.expect(1, 'custom').to.have.status(201)"),
    ]
    assert run_quickjs(ctx, cases) == [
        PASS,
        PASS,
        "custom: expected response to have status code 201 but got 200",
        "expecting a postman response object but got 1",
    ]


def test_json_schema_without_validator() -> None:
    ctx = quickjs.Context()
    ctx.eval(host.HOST_JS)
    ctx.eval((JS_DIR / "chai.js").read_text(encoding="utf-8"))
    ctx.eval((JS_DIR / "assertions.js").read_text(encoding="utf-8"))
    ctx.eval(FACTORY_JS)
    outcome = run_quickjs(ctx, [("/ok", "pm.response.to.have.jsonSchema({type: 'object'})")])
    assert outcome == ["Error: jsonSchema: no JSON Schema validator is available"]


# ---------------------------------------------------------------------------------------------------
# Differential check against Newman


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        code, reason, headers, body = FIXTURES[self.path]
        data = body.encode()
        self.send_response(code, reason)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _newman() -> Path:
    for candidate in NEWMAN_CANDIDATES:
        if candidate.exists():
            return candidate
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not available")
    prefix = NEWMAN_CANDIDATES[-1].parents[2]
    cmd = ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent", "newman@6"]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"could not install newman: {exc}")
    return NEWMAN_CANDIDATES[-1]


def test_name(index: int, src: str) -> str:
    return f"{index}: {src}"


test_name.__test__ = False  # type: ignore[attr-defined]


def run_newman(cases: list[tuple[str, str]], tmp_path: Path) -> list[tuple[str, str]]:
    """(test name, outcome) of each case, run by Newman against FIXTURES served on a loopback port."""
    newman = _newman()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        scripts: dict[str, list[str]] = {}
        for index, (path, src) in enumerate(cases):
            name = json.dumps(test_name(index, src))
            scripts.setdefault(path, []).append(f"pm.test({name}, function () {{ {src}; }});")
        items = [
            {
                "name": path,
                "request": {"method": "GET", "url": f"http://127.0.0.1:{port}{path}"},
                "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": lines}}],
            }
            for path, lines in scripts.items()
        ]
        collection = {
            "info": {
                "name": "assertions",
                "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
            },
            "item": items,
        }
        (tmp_path / "collection.json").write_text(json.dumps(collection), encoding="utf-8")
        report = tmp_path / "out.json"
        subprocess.run(
            [str(newman), "run", str(tmp_path / "collection.json"), "-r", "json",
             "--reporter-json-export", str(report)],
            capture_output=True, timeout=300, check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    outcomes = []
    for execution in json.loads(report.read_text(encoding="utf-8"))["run"]["executions"]:
        for assertion in execution.get("assertions", []):
            error = assertion.get("error")
            if not error:
                outcomes.append((assertion["assertion"], PASS))
            else:
                prefix = "" if error["name"] == "AssertionError" else error["name"] + ": "
                outcomes.append((assertion["assertion"], prefix + error["message"]))
    order = {test_name(i, src): i for i, (_, src) in enumerate(cases)}
    return sorted(outcomes, key=lambda item: order.get(item[0], -1))


def _comparable(src: str, outcome: str) -> str:
    return re.sub(r"\d+", "N", outcome) if any(word in src for word in VOLATILE) else outcome


@pytest.mark.newman
def test_same_outcomes_as_newman(ctx: quickjs.Context, tmp_path: Path) -> None:
    cases = [(path, src) for path, src, _ in CASES]
    theirs = run_newman(cases, tmp_path)
    assert [name for name, _ in theirs] == [test_name(i, src) for i, (_, src) in enumerate(cases)]
    ours = run_quickjs(ctx, cases)
    differences = [
        (path, src, t, o)
        for (path, src), (_, t), o in zip(cases, theirs, ours, strict=True)
        if _comparable(src, t) != _comparable(src, o)
    ]
    assert differences == []
    recorded = [_comparable(src, expected) for _, src, expected in CASES]
    assert [_comparable(src, t) for (_, src), (_, t) in zip(cases, theirs, strict=True)] == recorded

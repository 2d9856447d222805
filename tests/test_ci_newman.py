"""The same run by Newman and by postrun against one loopback server: the JSON report has every
key path Newman's has, with Newman's types; JUnit has Newman's suite and testcase names,
classnames, failure types, CDATA text and system-err; exports type variables as Newman does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, EchoServer, collection, item, write_json
from tests.keypaths import compare

pytestmark = pytest.mark.newman

KNOWN: tuple[str, ...] = ()  # key paths of Newman's report that postrun does not write (none)


def _probe(server: EchoServer, tmp: Path) -> tuple[Path, Path]:
    items = [
        {
            "name": "F1",
            "item": [
                item(
                    "get ok",
                    "{{base}}/get?a=1&b={{cv}}",
                    [
                        "pm.test('status 200', () => pm.response.to.have.status(200));",
                        "pm.test('fails', () => pm.expect(1).to.equal(2));",
                        "pm.environment.set('x', 5);",
                    ],
                    header=[{"key": "X-A", "value": "b"}],
                )
            ],
        },
        item(
            "post",
            "{{base}}/post",
            ["pm.test('ok', () => {});", "throw new Error('boom')"],
            method="POST",
            body={"mode": "raw", "raw": '{"a":1}'},
        ),
        item("refused", "http://127.0.0.1:1/nothing"),
        {
            "name": "form",
            "description": "an item described",
            "request": {
                "method": "POST",
                "url": {
                    "raw": "{{base}}/post/:id?x=1",
                    "host": ["{{base}}"],
                    "path": ["post", ":id"],
                    "query": [{"key": "x", "value": "1"}],
                    "variable": [{"key": "id", "value": "7"}],
                },
                "body": {"mode": "formdata", "formdata": [{"key": "a", "value": "b", "type": "text"}]},
                "header": [{"key": "X-Off", "value": "1", "disabled": True}],
            },
            "event": [
                {"listen": "prerequest", "script": {"exec": ["console.log('hi', {a: 1});"]}},
                {"listen": "test", "script": {"exec": ["pm.test.skip('later', () => {});", "pm.test('ok', () => 1);"]}},
            ],
            "response": [
                {
                    "name": "saved",
                    "originalRequest": {"method": "POST", "url": "http://example.invalid/post"},
                    "status": "OK",
                    "code": 200,
                    "header": [],
                    "body": "{}",
                }
            ],
        },
        item(
            "urlencoded",
            "{{base}}/status/201",
            pre=["throw new TypeError('pre boom')"],
            method="POST",
            body={"mode": "urlencoded", "urlencoded": [{"key": "k", "value": "{{cv}}"}]},
        ),
    ]
    doc = collection(
        items,
        variable=[{"key": "cv", "value": "1"}],
        event=[{"listen": "prerequest", "script": {"exec": ["// collection pre-request"], "type": "text/javascript"}}],
        auth={"type": "basic", "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "pw"}]},
    )
    doc["info"]["_postman_id"] = "11111111-2222-3333-4444-555555555555"
    doc["info"]["description"] = "a collection described"
    coll = write_json(tmp / "probe.json", doc)
    env = write_json(
        tmp / "env.json",
        {
            "id": "e1",
            "name": "probe env",
            "values": [
                {"key": "base", "value": server.url, "enabled": True},
                {"key": "typed", "value": "1", "type": "string", "enabled": True},
                {"key": "plain", "value": "p", "type": "default", "enabled": True},
            ],
        },
    )
    return coll, env


def _run_both(newman: str, server: EchoServer, tmp: Path) -> dict[str, dict[str, Path]]:
    coll, env = _probe(server, tmp)
    out: dict[str, dict[str, Path]] = {}
    for who, command in (
        ("newman", [newman, "run"]),
        ("postrun", [sys.executable, "-m", "runner", "run"]),
    ):
        paths = {kind: tmp / f"{who}.{kind}" for kind in ("json", "xml", "env")}
        subprocess.run(
            [
                *command,
                str(coll),
                "-e",
                str(env),
                "-n",
                "2",
                "-r",
                "json,junit",
                "--reporter-json-export",
                str(paths["json"]),
                "--reporter-junit-export",
                str(paths["xml"]),
                "--export-environment",
                str(paths["env"]),
            ],
            capture_output=True,
            timeout=120,
            cwd=ROOT,
        )
        out[who] = paths
    return out


@pytest.fixture(scope="module")
def both(newman, tmp_path_factory):
    """One run each (Newman's takes seconds), shared by the comparisons below."""
    server = EchoServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _run_both(newman, server, tmp_path_factory.mktemp("both"))
    finally:
        server.shutdown()
        server.server_close()


def test_json_report_has_every_newman_key_path_with_newmans_types(both):
    newman = json.loads(both["newman"]["json"].read_text())
    ours = json.loads(both["postrun"]["json"].read_text())
    assert compare(newman, ours, ignore=KNOWN) == []
    # and the values tools branch on
    error = next(e for e in ours["run"]["executions"] if e["item"]["name"] == "refused")["requestError"]
    theirs = next(e for e in newman["run"]["executions"] if e["item"]["name"] == "refused")["requestError"]
    assert {k: error[k] for k in ("code", "errno", "syscall", "address", "port")} == theirs
    assert [f["at"] for f in ours["run"]["failures"]] == [f["at"] for f in newman["run"]["failures"]]
    first = ours["run"]["executions"][0]["request"]["url"]
    assert first == newman["run"]["executions"][0]["request"]["url"] | {"port": first["port"]}


def _suites(path: Path) -> list[dict]:
    out = []
    for suite in ET.parse(path).getroot().iter("testsuite"):
        cases = []
        for case in suite.iter("testcase"):
            failure = case.find("failure")
            cases.append(
                (
                    case.get("name"),
                    case.get("classname"),
                    None if failure is None else (failure.get("type"), failure.get("message")),
                )
            )
        err = suite.find("system-err")
        text = "" if err is None else re.sub(r"\n\s+at .*", "", err.text or "")
        out.append(
            {
                "name": suite.get("name"),
                "counts": (suite.get("tests"), suite.get("failures"), suite.get("errors")),
                "cases": cases,
                "system-err": text,
            }
        )
    return out


def test_junit_names_classnames_failures_and_system_err_match_newman(both):
    assert _suites(both["postrun"]["xml"]) == _suites(both["newman"]["xml"])
    root = {who: ET.parse(both[who]["xml"]).getroot() for who in both}
    assert root["postrun"].get("tests") == root["newman"].get("tests")
    raw = {who: both[who]["xml"].read_text() for who in both}
    cdata = {who: re.findall(r"<!\[CDATA\[(.*?)\]\]>", raw[who], re.S) for who in both}
    # Every CDATA section but the stack trace (Newman's holds V8's frames) is the same text.
    assert [c for c in cdata["postrun"] if not c.startswith(("Stacktrace", "Iteration"))] == [
        c for c in cdata["newman"] if not c.startswith(("Stacktrace", "Iteration"))
    ]


def test_exported_variables_are_typed_as_newman_types_them(both):
    types = {
        who: {v["key"]: v["type"] for v in json.loads(both[who]["env"].read_text())["values"]} for who in both
    }
    assert types["postrun"] == types["newman"]


NAMES = [
    "F1 / get ok",
    "Get user's XMLHttpRequest v2",
    "créer un dossier / Ünïcødé",
    "snake_case-and-kebab 42items",
    "ALLCAPS then lower",
    "/ leading slash",
    "日本語 / テスト",
    "",
    "get123abc HTTPServer ABCdef a1b2",
    "IPv6 test, user-ID's — «quoted» 3rd",
    "Folder A / Folder B / Request: POST /users/{{id}}",
]


def test_junit_classnames_are_lodash_camel_case_as_newman_makes_them(newman):
    from runner.reporters.junit import class_name

    lodash = Path(newman).resolve().parent.parent / "lodash"
    if not (lodash / "package.json").exists():
        lodash = Path(newman).parent.parent / "lodash"
    script = (
        f"const _ = require({json.dumps(str(lodash))});"
        "const names = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(names.map(n => _.upperFirst(_.camelCase(n).replace(/\\W/g, '')))));"
    )
    done = subprocess.run(["node", "-e", script], input=json.dumps(NAMES), capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        pytest.skip(f"lodash from Newman's install is not usable: {done.stderr[:200]}")
    assert [class_name(n) for n in NAMES] == json.loads(done.stdout)


SAMPLES = ROOT.parent / "shared" / "corpus" / "postman-newman-samples"
ECHO = ROOT.parent / "shared" / "postman-echo"
# Differences that are not the json reporter's: the legacy postman.setEnvironmentVariable stores a
# number where Newman stores its string (sandbox); Newman marks digest auth's computed parameters.
NOT_REPORTER = ("/environment/values/[]/value", "/run/executions/[]/request/auth/digest")


def _to_loopback(doc, port: int):
    """Every postman-echo.com address in ``doc`` (url strings, url objects, scripts) made the loopback echo."""
    local = f"127.0.0.1:{port}"
    if isinstance(doc, dict):
        out = {k: _to_loopback(v, port) for k, v in doc.items()}
        host = out.get("host")
        if isinstance(host, list) and "postman-echo" in ".".join(map(str, host)):
            out.update(host=["127", "0", "0", "1"], protocol="http", port=str(port))
        return out
    if isinstance(doc, list):
        return [_to_loopback(v, port) for v in doc]
    if isinstance(doc, str):
        return doc.replace("https://postman-echo.com", f"http://{local}").replace("postman-echo.com", local)
    return doc


def _only_loopback(doc) -> bool:
    """No request of ``doc`` can leave the machine: every url names 127.0.0.1 (or a variable)."""
    from runner.url import as_url_object

    def walk(node):
        if isinstance(node, dict):
            if "url" in node and "request" not in node:
                parts = as_url_object(node["url"])
                host = ".".join(map(str, parts.get("host") or []))
                if host not in ("127.0.0.1", "") and not host.startswith("{{"):
                    return False
            return all(walk(v) for v in node.values())
        if isinstance(node, list):
            return all(walk(v) for v in node)
        return True

    return walk(doc) and "postman-echo" not in json.dumps(doc)


@pytest.mark.parametrize(
    "name",
    [
        "sample-collection.json",
        "disabled-and-duplicates.postman_collection.json",
        "multi-level-folders-v2.postman_collection.json",
        "echo-v2.postman_collection.json",
    ],
)
def test_newmans_sample_collections_give_every_newman_key_path(newman, tmp_path, name):
    if not (SAMPLES / name).exists() or not (ECHO / "pm_echo.py").exists():
        pytest.skip("../shared/corpus or ../shared/postman-echo is absent")
    sys.path.insert(0, str(ECHO))
    try:
        import pm_echo
    finally:
        sys.path.remove(str(ECHO))
    server = pm_echo._Server(("127.0.0.1", 0), pm_echo.EchoHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        doc = _to_loopback(json.loads((SAMPLES / name).read_text(encoding="utf-8")), server.server_address[1])
        assert _only_loopback(doc), "the rewritten collection still names another host"
        coll = write_json(tmp_path / name, doc)
        reports = {}
        for who, command in (("newman", [newman, "run"]), ("postrun", [sys.executable, "-m", "runner", "run"])):
            out = tmp_path / f"{who}.json"
            subprocess.run([*command, str(coll), "-r", "json", "--reporter-json-export", str(out)],
                           capture_output=True, timeout=120, cwd=ROOT)
            reports[who] = json.loads(out.read_text())
    finally:
        server.shutdown()
        server.server_close()
    assert compare(reports["newman"], reports["postrun"], ignore=NOT_REPORTER) == []

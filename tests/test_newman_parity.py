"""Differential checks: the same collection run by Newman and by postrun against one loopback server.

The server must receive the same requests (method, target, headers but User-Agent and
Postman-Token, body byte for byte), and scripts must give the same assertions, messages and
exported environment. Skipped where Node/npm cannot provide Newman.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, EchoServer, Seen, write_json

pytestmark = pytest.mark.newman

IGNORED = {"user-agent", "postman-token"}
BOUNDARY = re.compile(rb"-{26}\d{24}")


def _comparable(seen: Seen) -> tuple[str, str, list[tuple[str, str]], bytes]:
    headers = sorted(
        (k, BOUNDARY.sub(b"BOUNDARY", v.encode()).decode()) for k, v in seen.headers if k.lower() not in IGNORED
    )
    return seen.method, seen.target, headers, BOUNDARY.sub(b"BOUNDARY", seen.body)


def _run_both(newman: str, server: EchoServer, args: list[str], tmp: Path) -> tuple[list, list, dict, dict]:
    n_json, p_json = tmp / "newman.json", tmp / "postrun.json"
    n_env, p_env = tmp / "newman-env.json", tmp / "postrun-env.json"
    subprocess.run(
        [newman, "run", *args, "-r", "json", "--reporter-json-export", str(n_json), "--export-environment", str(n_env)],
        capture_output=True,
        timeout=120,
        cwd=tmp,
    )
    newman_seen = list(server.seen)
    server.seen.clear()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            *args,
            "-r",
            "json",
            "--reporter-json-export",
            str(p_json),
            "--export-environment",
            str(p_env),
            "--export-secrets",  # Newman writes secret values; we leave them out unless asked
        ],
        capture_output=True,
        timeout=120,
        cwd=tmp,
    )
    postrun_seen = list(server.seen)
    reports = {"newman": json.loads(n_json.read_text()), "postrun": json.loads(p_json.read_text())}
    envs = {
        "newman": json.loads(n_env.read_text()) if n_env.exists() else None,
        "postrun": json.loads(p_env.read_text()) if p_env.exists() else None,
    }
    return newman_seen, postrun_seen, reports, envs


def _assertions(report: dict) -> list[tuple[str, str, bool, str | None]]:
    return [
        (ex["item"]["name"], a["assertion"], "error" not in a, (a.get("error") or {}).get("message"))
        for ex in report["run"]["executions"]
        for a in ex.get("assertions", [])
    ]


def _env_values(env: dict | None) -> dict:
    return {v["key"]: v["value"] for v in (env or {}).get("values", [])}


@pytest.mark.parametrize("name", ["zendesk-support", "forgerock-am", "salesforce-platform"])
def test_bundled_collections_put_the_same_requests_on_the_wire(newman, server, tmp_path, name):
    collection = ROOT / "collections" / f"{name}.postman_collection.json"
    env = ROOT / "environments" / "acme.postman_environment.json"
    args = [
        str(collection),
        "-e",
        str(env),
        "--env-var",
        f"baseUrl={server.url}",
        "--env-var",
        f"amUrl={server.url}/am",
        "--env-var",
        f"url={server.url}",
    ]
    newman_seen, postrun_seen, reports, envs = _run_both(newman, server, args, tmp_path)
    assert newman_seen, "Newman sent nothing"
    assert [_comparable(s) for s in postrun_seen] == [_comparable(s) for s in newman_seen]
    assert _assertions(reports["postrun"]) == _assertions(reports["newman"])
    assert _env_values(envs["postrun"]) == _env_values(envs["newman"])


def test_salesforce_token_from_the_script_reaches_the_next_request(newman, server, tmp_path):
    collection = ROOT / "collections" / "salesforce-platform.postman_collection.json"
    env = ROOT / "environments" / "globex.postman_environment.json"
    args = [str(collection), "-e", str(env), "--env-var", f"url={server.url}"]
    newman_seen, postrun_seen, _, envs = _run_both(newman, server, args, tmp_path)
    assert postrun_seen[1].header("Authorization") == f"Bearer {server.token}"
    assert newman_seen[1].header("Authorization") == f"Bearer {server.token}"
    assert _env_values(envs["postrun"])["_accessToken"] == server.token


WIRE_PROBE = {
    "info": {"name": "wire probe", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "auth": {
        "type": "basic",
        "basic": [{"key": "username", "value": "u@x.com/token"}, {"key": "password", "value": "p:w"}],
    },
    "item": [
        {
            "name": "raw no language",
            "request": {
                "method": "POST",
                "url": "{{base}}/a b/ü/{x}?q=a b&r=ü&s=a+b&t=%20#frag",
                "body": {"mode": "raw", "raw": "hello"},
            },
        },
        {
            "name": "raw json + path vars + query list",
            "request": {
                "method": "POST",
                "url": {
                    "raw": "x",
                    "host": ["{{base}}"],
                    "path": ["p", ":id"],
                    "variable": [{"key": "id", "value": "a/b c"}],
                    "query": [
                        {"key": "k", "value": "v&w=x"},
                        {"key": "dis", "value": "1", "disabled": True},
                        {"key": "novalue"},
                        {"key": "empty", "value": ""},
                        {"key": "sp ace", "value": "ä|[]{}"},
                    ],
                },
                "body": {"mode": "raw", "raw": '{"a":1}', "options": {"raw": {"language": "json"}}},
            },
        },
        {
            "name": "raw empty",
            "request": {"method": "POST", "url": "{{base}}/empty", "body": {"mode": "raw", "raw": ""}},
        },
        {
            "name": "urlencoded",
            "request": {
                "method": "POST",
                "url": "{{base}}/form",
                "body": {
                    "mode": "urlencoded",
                    "urlencoded": [
                        {"key": "a b", "value": "c&d=e+f ü!*'()~"},
                        {"key": "rep", "value": "1"},
                        {"key": "rep", "value": "2"},
                        {"key": "off", "value": "x", "disabled": True},
                    ],
                },
            },
        },
        {
            "name": "formdata",
            "request": {
                "method": "POST",
                "url": "{{base}}/fd",
                "body": {
                    "mode": "formdata",
                    "formdata": [
                        {"key": "t", "value": "v1", "type": "text"},
                        {"key": "f", "src": "file.txt", "type": "file"},
                    ],
                },
            },
        },
        {
            "name": "get drops body",
            "request": {"method": "GET", "url": "{{base}}/g", "body": {"mode": "raw", "raw": "x"}},
        },
        {
            "name": "duplicate headers",
            "request": {
                "method": "GET",
                "url": "{{base}}/h",
                "header": [
                    {"key": "X-Dup", "value": "1"},
                    {"key": "x-dup", "value": "2"},
                    {"key": "X-Off", "value": "1", "disabled": True},
                    {"key": "Accept", "value": "application/json"},
                ],
            },
        },
        {
            "name": "bearer lower-case method",
            "request": {
                "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "tkn"}]},
                "method": "get",
                "url": "{{base}}/bearer",
            },
        },
        {
            "name": "apikey in query, PURGE",
            "request": {
                "auth": {
                    "type": "apikey",
                    "apikey": [
                        {"key": "key", "value": "api key"},
                        {"key": "value", "value": "v/1"},
                        {"key": "in", "value": "query"},
                    ],
                },
                "method": "PURGE",
                "url": "{{base}}/apikey?z=1",
            },
        },
        {
            "name": "graphql",
            "request": {
                "method": "POST",
                "url": "{{base}}/gql",
                "body": {"mode": "graphql", "graphql": {"query": '{ a(x: "é") }', "variables": '{"x": 1}'}},
            },
        },
        {
            "name": "graphql null variables",
            "request": {
                "method": "POST",
                "url": "{{base}}/gql2",
                "body": {"mode": "graphql", "graphql": {"query": "{ b }", "variables": None}},
            },
        },
        {
            "name": "file body",
            "request": {"method": "PUT", "url": "{{base}}/file", "body": {"mode": "file", "file": {"src": "file.txt"}}},
        },
        {
            "name": "noauth xml",
            "request": {
                "auth": {"type": "noauth"},
                "method": "DELETE",
                "url": "{{base}}/noauth",
                "body": {"mode": "raw", "raw": "<x/>", "options": {"raw": {"language": "xml"}}},
            },
        },
        {
            "name": "custom method",
            "request": {"method": "FOO", "url": "{{base}}/custom", "body": {"mode": "raw", "raw": "zz"}},
        },
        {"name": "header string", "request": {"method": "GET", "url": "{{base}}/hs", "header": "X-A: 1\nX-B: two"}},
    ],
}


def test_wire_probe_matches_newman(newman, server, tmp_path):
    (tmp_path / "file.txt").write_text("file content\n")
    probe = write_json(tmp_path / "probe.json", WIRE_PROBE)
    args = [str(probe), "--env-var", f"base={server.url}", "--working-dir", str(tmp_path)]
    newman_seen, postrun_seen, _, _ = _run_both(newman, server, args, tmp_path)
    assert len(postrun_seen) == len(newman_seen) == len(WIRE_PROBE["item"])
    for ours, theirs in zip(postrun_seen, newman_seen, strict=True):
        assert _comparable(ours) == _comparable(theirs)


SCRIPTS = {
    "info": {"name": "scripts", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "event": [{"listen": "prerequest", "script": {"exec": ["pm.variables.set('fromCollection', 'c');"]}}],
    "item": [
        {
            "name": "passes and fails",
            "event": [
                {
                    "listen": "test",
                    "script": {
                        "exec": [
                            "pm.test('Status code is 200', () => pm.response.to.have.status(200));",
                            "pm.test('eql fails', () => pm.expect(pm.response.code).to.eql(201));",
                            "pm.test('equal fails', () => pm.expect('a').to.equal('b'));",
                            "pm.test('include fails', () => pm.expect('foobar').to.include('baz'));",
                            "pm.test('status fails', () => pm.response.to.have.status(404));",
                            "pm.test('deep eql', () => pm.expect({a: [1, 2]}).to.eql({a: [1, 3]}));",
                            "pm.test('header', () => pm.response.to.have.header('Content-Type'));",
                            "pm.test('json body', () => pm.expect(pm.response.json().method).to.equal('GET'));",
                            "tests['legacy true'] = responseCode.code === 200;",
                            "tests['legacy false'] = responseCode.code === 500;",
                            "pm.environment.set('token', pm.response.json().access_token);",
                            "pm.environment.set('n', 42);",
                            "pm.globals.set('g', 'global');",
                            "pm.collectionVariables.set('cv', pm.variables.get('fromCollection'));",
                        ]
                    },
                }
            ],
            "request": {"method": "GET", "url": "{{base}}/one"},
        },
        {
            "name": "uses what the first set",
            "event": [
                {
                    "listen": "test",
                    "script": {
                        "exec": [
                            "pm.test('token arrived', () => {",
                            "  pm.expect(pm.request.headers.get('X-Token')).to.equal(pm.environment.get('token'));",
                            "});",
                            "pm.environment.unset('n');",
                        ]
                    },
                }
            ],
            "request": {
                "method": "GET",
                "url": "{{base}}/two/{{cv}}",
                "header": [{"key": "X-Token", "value": "{{token}}"}],
            },
        },
        {
            "name": "status 404",
            "event": [
                {
                    "listen": "test",
                    "script": {
                        "exec": [
                            "pm.test('not found', () => pm.response.to.be.notFound);",
                            "pm.test('ok fails', () => pm.response.to.be.ok);",
                        ]
                    },
                }
            ],
            "request": {"method": "GET", "url": "{{base}}/status/404"},
        },
    ],
}


def test_script_outcomes_and_exported_environment_match_newman(newman, server, tmp_path):
    collection = write_json(tmp_path / "scripts.json", SCRIPTS)
    env = write_json(
        tmp_path / "env.json", {"name": "e", "values": [{"key": "base", "value": server.url, "enabled": True}]}
    )
    newman_seen, postrun_seen, reports, envs = _run_both(newman, server, [str(collection), "-e", str(env)], tmp_path)
    assert [_comparable(s) for s in postrun_seen] == [_comparable(s) for s in newman_seen]
    assert _assertions(reports["postrun"]) == _assertions(reports["newman"])
    assert _env_values(envs["postrun"]) == _env_values(envs["newman"])


def _sugar_probe() -> list[str]:
    """A test per built-in: which of the names Sugar adds to it (as the build found them) the script sees."""
    from runner.sandbox import modules

    added = modules.index()["sugar"]["added"]
    return [
        f"var SUGAR = {json.dumps(added)};",
        "Object.keys(SUGAR).forEach(function (k) { var o = eval(k);",  # Newman's sandbox has no globalThis
        "  pm.test('sugar ' + k + ' ' + SUGAR[k].filter(function (n) { return typeof o[n] === 'function'; })",
        "    .join(','), function () {}); });",
        "pm.test('uses ' + JSON.stringify(['abc'.has('b'), [1, 2].none(3), (56).hex(), 'hello world'.camelize(),",
        "  [3, 1, 2].min(), 'a-b'.dasherize(), [1, [2]].flatten().length, new Date(0).addDays(1).getTime()]),",
        "  function () {});",
    ]


def test_sugar_and_variable_values_match_newman(newman, server, tmp_path):
    """Every method Sugar adds is there in Newman too, and values scripts store read and resolve the same."""
    names = ["eU", "eN", "gU", "cU", "lU", "lN", "ef", "lo"]
    sets = [
        "pm.environment.set('eU', undefined); pm.environment.set('eN', null); pm.globals.set('gU', undefined);",
        "pm.collectionVariables.set('cU', undefined); pm.variables.set('lU', undefined); pm.variables.set('lN', null);",
        "pm.environment.set('ef', function () { return 'fn'; }); pm.variables.set('lo', {a: [1, 2]});",
        "pm.test('same ' + JSON.stringify(['eU', 'eN', 'gU', 'cU', 'lU', 'lN', 'ef', 'lo'].map(function (n) {",
        "  return pm.variables.replaceIn('{{' + n + '}}'); })), function () {});",
    ]
    query = "&".join(f"{n}={{{{{n}}}}}" for n in names)
    later = ["pm.test('later ' + [pm.environment.get('eU'), pm.environment.get('ef')], function () {});"]
    collection = write_json(tmp_path / "values.json", {
        "info": {"name": "values", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "sugar", "request": {"method": "GET", "url": "{{base}}/s"},
             "event": [{"listen": "test", "script": {"exec": _sugar_probe()}}]},
            {"name": "set", "request": {"method": "GET", "url": "{{base}}/a"},
             "event": [{"listen": "test", "script": {"exec": sets}}]},
            {"name": "use", "request": {"method": "GET", "url": "{{base}}/b?" + query},
             "event": [{"listen": "test", "script": {"exec": later}}]},
        ],
    })
    env = write_json(
        tmp_path / "env.json", {"name": "e", "values": [{"key": "base", "value": server.url, "enabled": True}]}
    )
    newman_seen, postrun_seen, reports, envs = _run_both(newman, server, [str(collection), "-e", str(env)], tmp_path)
    theirs = _assertions(reports["newman"])
    assert len(theirs) > 10 and all(passed for _, _, passed, _ in theirs), theirs
    assert _assertions(reports["postrun"]) == theirs
    assert [_comparable(s) for s in postrun_seen] == [_comparable(s) for s in newman_seen]
    assert _env_values(envs["postrun"]) == _env_values(envs["newman"])

"""Input Newman accepts: collections, environments, globals and data from http(s) URLs, collections
and environments by UID through the Postman API (on loopback here), collections without ``info``,
events given as one object."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import collection, item, postrun, write_json

COLLECTION_UID = "12345678-0a1b2c3d-1111-2222-3333-444455556666"
ENVIRONMENT_UID = "12345678-9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
API_KEY = "PMAK-test-0123456789abcdef"


class _Files(BaseHTTPRequestHandler):
    """Serves ``server.files`` by path; under /collections and /environments it wants the API key."""

    server: Any

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.seen.append((self.path, self.headers.get("X-Api-Key")))
        found = self.server.files.get(self.path)
        if self.path.startswith(("/collections/", "/environments/")) and self.headers.get("X-Api-Key") != API_KEY:
            found, status = b'{"error":{"name":"AuthenticationError"}}', 401
        else:
            status = 200 if found is not None else 404
        body = found if found is not None else b"{}"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def files():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    srv.files, srv.seen = {}, []
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _dump(doc: Any) -> bytes:
    return json.dumps(doc).encode()


def test_collection_environment_globals_and_data_from_urls(files, server):
    test = [
        "pm.test('vars', () => {",
        "  pm.expect(pm.environment.get('e')).to.equal('env');",
        "  pm.expect(pm.globals.get('g')).to.equal('glob');",
        "  pm.expect(pm.iterationData.get('d')).to.equal('row');",
        "});",
    ]
    files.files = {
        "/c.json": _dump(collection([item("a", f"{server.url}/get", test=test)])),
        "/e.json": _dump({"name": "remote env", "values": [{"key": "e", "value": "env"}]}),
        "/g.json": _dump({"values": [{"key": "g", "value": "glob"}]}),
        "/d.csv": b'd\n"row"\n',
    }
    u = files.url
    result = postrun(f"{u}/c.json", "-e", f"{u}/e.json", "-g", f"{u}/g.json", "-d", f"{u}/d.csv")
    assert result.exit_code == 0, result.output
    assert [p for p, _ in files.seen] == ["/c.json", "/g.json", "/e.json", "/d.csv"]


def test_a_url_that_fails_is_a_usage_error_naming_it(files):
    result = postrun(f"{files.url}/missing.json")
    assert result.exit_code == 2
    assert f"{files.url}/missing.json" in result.output and "404" in result.output
    refused = postrun("http://127.0.0.1:9/c.json")
    assert refused.exit_code == 2 and "Traceback" not in refused.output


def test_postman_api_by_uid_with_the_key(files, server, monkeypatch):
    monkeypatch.setenv("POSTRUN_POSTMAN_API_URL", files.url)
    test = ["pm.test('env', () => pm.expect(pm.environment.get('e')).to.equal('api-env'))"]
    files.files = {
        f"/collections/{COLLECTION_UID}": _dump(
            {"collection": collection([item("a", f"{server.url}/get", test=test)])}
        ),
        f"/environments/{ENVIRONMENT_UID}": _dump(
            {"environment": {"name": "api", "values": [{"key": "e", "value": "api-env"}]}}
        ),
    }
    result = postrun(COLLECTION_UID, "-e", ENVIRONMENT_UID, "--postman-api-key", API_KEY, "--verbose")
    assert result.exit_code == 0, result.output
    assert files.seen == [(f"/collections/{COLLECTION_UID}", API_KEY), (f"/environments/{ENVIRONMENT_UID}", API_KEY)]
    assert API_KEY not in result.output


def test_postman_api_with_a_wrong_key(files, monkeypatch):
    monkeypatch.setenv("POSTRUN_POSTMAN_API_URL", files.url)
    result = postrun(COLLECTION_UID, "--postman-api-key", "PMAK-wrong")
    assert result.exit_code == 2 and "401" in result.output and "--postman-api-key" in result.output


def test_the_api_key_goes_only_to_the_api(files, server, monkeypatch):
    monkeypatch.setenv("POSTRUN_POSTMAN_API_URL", "http://127.0.0.1:9")
    files.files = {"/c.json": _dump(collection([item("a", f"{server.url}/get")]))}
    assert postrun(f"{files.url}/c.json", "--postman-api-key", API_KEY).exit_code == 0
    assert files.seen == [("/c.json", None)]


def test_collection_without_info_and_event_objects(tmp_path, server):
    doc = {
        "item": [
            {
                "name": "a",
                "event": {"listen": "test", "script": {"exec": ["pm.test('ran', () => {})"]}},
                "request": f"{server.url}/get",
            },
            {
                "name": "f",
                "event": {"listen": "prerequest", "script": {"exec": ["pm.variables.set('x', 'y')"]}},
                "item": [{"name": "b", "request": f"{server.url}/{{{{x}}}}"}],
            },
        ]
    }
    out = tmp_path / "r.json"
    result = postrun(str(write_json(tmp_path / "c.json", doc)), "-r", "json", "--reporter-json-export", str(out))
    assert result.exit_code == 0, result.output
    assert [s.target for s in server.seen] == ["/get", "/y"]
    assert json.loads(out.read_text())["run"]["stats"]["assertions"]["total"] == 1


def test_protocol_profile_is_inherited_from_collection_and_folders(tmp_path, server):
    inner = {
        "name": "inner",
        "protocolProfileBehavior": {"followRedirects": True},
        "item": [item("follows", f"{server.url}/redirect?to=/landed")],
    }
    outer = {"name": "outer", "item": [item("stays", f"{server.url}/redirect?to=/never"), inner]}
    coll = collection([outer], protocolProfileBehavior={"followRedirects": False})
    postrun(str(write_json(tmp_path / "c.json", coll)))
    assert [s.target for s in server.seen] == ["/redirect?to=/never", "/redirect?to=/landed", "/landed"]


@pytest.mark.newman
def test_csv_rows_reach_scripts_as_under_newman(newman, tmp_path, server):
    """Each iteration's data as both runners hand it to scripts (types included), for a CSV with
    relaxed quotes, blanks, numbers, an empty line and a short row."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    data = tmp_path / "data.csv"
    data.write_text('name, id ,note,code\n"Ann" ,7,"a, b",007\n  Bob ,-3.5, x"y"z ,0x1f\n\n"Cy",12\n', encoding="utf-8")
    test = ["pm.environment.set('row' + pm.info.iteration, JSON.stringify(pm.iterationData.toObject()));"]
    coll = write_json(tmp_path / "c.json", collection([item("a", f"{server.url}/get", test=test)]))
    env = write_json(tmp_path / "e.json", {"name": "e", "values": []})
    outputs = {}
    for runner, command in (("newman", [newman]), ("postrun", [sys.executable, "-m", "runner"])):
        out = tmp_path / f"{runner}-env.json"
        subprocess.run(
            [*command, "run", str(coll), "-d", str(data), "-e", str(env), "--export-environment", str(out)],
            capture_output=True,
            timeout=120,
            cwd=ROOT,
        )
        outputs[runner] = {v["key"]: json.loads(v["value"]) for v in json.loads(out.read_text())["values"]}
    assert outputs["newman"]["row0"] == {"name": "Ann", "id": 7, "note": "a, b", "code": 7}
    assert outputs["postrun"] == outputs["newman"]

"""The engine and the CLI end to end: real collections in tmp dirs, a real server on 127.0.0.1."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, collection, item, postrun, write_json


def test_passing_run_exits_0_and_failing_run_exits_1(make, server):
    ok = postrun(*make([item("ok", "{{base}}/x", ["pm.test('200', () => pm.response.to.have.status(200))"])]))
    assert ok.exit_code == 0, ok.output
    assert "✓  200" in ok.output
    bad = postrun(
        *make([item("bad", "{{base}}/status/500", ["pm.test('200', () => pm.response.to.have.status(200))"])])
    )
    assert bad.exit_code == 1
    assert "expected response to have status code 200 but got 500" in bad.output
    suppressed = postrun(
        *make([item("bad", "{{base}}/status/500", ["pm.test('t', () => pm.expect(1).to.equal(2))"])]), "-x"
    )
    assert suppressed.exit_code == 0


def test_refused_connection_is_reported_and_the_run_goes_on(make, server):
    # As in Newman, the tests still run, with an empty response object.
    tests = [
        "pm.test('empty response', () => { pm.expect(pm.response.code).to.equal(undefined);"
        " pm.expect(typeof responseBody).to.equal('undefined'); })"
    ]
    result = postrun(*make([item("refused", "http://127.0.0.1:1/x", tests), item("next", "{{base}}/after")]))
    assert "✓  empty response" in result.output
    assert result.exit_code == 1
    assert "connect ECONNREFUSED 127.0.0.1:1" in result.output
    assert [s.target for s in server.seen] == ["/after"]


def test_iterations_and_csv_data_rows_reuse_the_last_row(make, server, tmp_path):
    data = tmp_path / "data.csv"
    data.write_bytes('\ufeffname,note\n"a, b",x\nc,"say ""hi"""\n'.encode())
    args = make(
        [
            item(
                "d",
                "{{base}}/d?n={{name}}&i={{note}}",
                [
                    "pm.test('iteration ' + pm.info.iteration, () =>"
                    " pm.expect(pm.iterationData.get('name')).to.be.a('string'))"
                ],
            )
        ]
    )
    result = postrun(*args, "-d", str(data), "-n", "3")
    assert result.exit_code == 0, result.output
    assert [s.target for s in server.seen] == ["/d?n=a,%20b&i=x", "/d?n=c&i=say%20%22hi%22", "/d?n=c&i=say%20%22hi%22"]


def test_data_rows_set_the_iteration_count(make, server, tmp_path):
    data = write_json(tmp_path / "data.json", [{"v": 1}, {"v": 2}])
    assert postrun(*make([item("d", "{{base}}/v/{{v}}")]), "-d", str(data)).exit_code == 0
    assert [s.target for s in server.seen] == ["/v/1", "/v/2"]


def test_folder_selection_keeps_collection_order_and_runs_parent_scripts(make, server):
    items = [
        {
            "name": "A",
            "event": [{"listen": "prerequest", "script": {"exec": ["pm.variables.set('f', 'A')"]}}],
            "item": [item("a1", "{{base}}/a1?f={{f}}")],
        },
        item("top", "{{base}}/top"),
        {"name": "B", "id": "folder-b", "item": [item("b1", "{{base}}/b1")]},
    ]
    result = postrun(*make(items), "--folder", "folder-b", "--folder", "A")
    assert result.exit_code == 0, result.output
    assert [s.target for s in server.seen] == ["/a1?f=A", "/b1"]
    missing = postrun(*make(items), "--folder", "nope")
    assert missing.exit_code == 2
    assert "Unable to find a folder or request: nope" in missing.output


def test_set_next_request_and_skip_request(make, server):
    items = [
        item("first", "{{base}}/1", ["postman.setNextRequest('third')"]),
        item("second", "{{base}}/2"),
        item("third", "{{base}}/3", pre=["pm.execution.skipRequest()"]),
        item("fourth", "{{base}}/4", ["pm.execution.setNextRequest(null)"]),
        item("fifth", "{{base}}/5"),
    ]
    assert postrun(*make(items)).exit_code == 0
    assert [s.target for s in server.seen] == ["/1", "/4"]


def test_bail_stops_at_the_first_failure(make, server):
    items = [item("fails", "{{base}}/1", ["pm.test('t', () => pm.expect(1).to.equal(2))"]), item("never", "{{base}}/2")]
    result = postrun(*make(items), "--bail")
    assert result.exit_code == 1
    assert [s.target for s in server.seen] == ["/1"]


def test_script_errors_name_the_event_item_and_line_and_the_run_goes_on(make, server):
    items = [item("broken", "{{base}}/1", ["var a = 1;", "undefinedFunction();"]), item("next", "{{base}}/2")]
    result = postrun(*make(items))
    assert result.exit_code == 1
    assert "undefinedFunction is not defined (test-script of broken, line 2)" in result.output
    assert len(server.seen) == 2


def test_infinite_loop_memory_bomb_and_recursion_are_contained(make, server):
    items = [
        item("loop", "{{base}}/1", ["while (true) {}"]),
        item("bomb", "{{base}}/2", ["const a = []; while (true) a.push(new Array(1e6).fill(1));"]),
        item("recursion", "{{base}}/3", ["function f() { return f(); } f();"]),
        item(
            "escape",
            "{{base}}/4",
            ["pm.test('no python', () => { pm.expect(typeof require('fs')).to.equal('object'); });"],
        ),
        item("after", "{{base}}/5", ["pm.test('still fine', () => pm.response.to.have.status(200))"]),
    ]
    result = postrun(*make(items), "--timeout-script", "300")
    assert result.exit_code == 1
    assert "script timed out after 0.3 s" in result.output
    assert "ran out of memory" in result.output
    assert "Maximum call stack size exceeded" in result.output
    assert "✓  no python" in result.output  # require('fs') is an empty object, as in Postman's sandbox
    assert "✓  still fine" in result.output


def test_prototype_tampering_does_not_leak_into_the_next_item(make, server):
    items = [
        item(
            "patch",
            "{{base}}/1",
            pre=["Object.prototype.isSandbox = function () { return true; };", "globalThis.leaked = 1;"],
            test=["pm.test('patched here', () => pm.expect(({}).isSandbox()).to.equal(true))"],
        ),
        item(
            "clean",
            "{{base}}/2",
            [
                "pm.test('clean', () => { pm.expect(({}).isSandbox).to.equal(undefined);"
                " pm.expect(typeof leaked).to.equal('undefined'); })"
            ],
        ),
    ]
    result = postrun(*make(items))
    assert result.exit_code == 0, result.output


def test_variables_persist_like_newman(make, server, tmp_path):
    items = [
        item(
            "set",
            "{{base}}/1",
            [
                "pm.environment.set('e', 'E'); pm.globals.set('g', 'G');",
                "pm.collectionVariables.set('c', 'C'); pm.variables.set('l', 'L');",
            ],
        ),
        item("use", "{{base}}/2?e={{e}}&g={{g}}&c={{c}}&l={{l}}"),
    ]
    exported = tmp_path / "out" / "env.json"
    result = postrun(
        *make(items),
        "-n",
        "2",
        "--export-environment",
        str(exported),
        "--export-globals",
        str(tmp_path / "g.json"),
        "--export-collection",
        str(tmp_path / "c2.json"),
    )
    assert result.exit_code == 0, result.output
    assert server.seen[1].target == "/2?e=E&g=G&c=C&l=L"
    env = json.loads(exported.read_text())
    assert {v["key"]: v["value"] for v in env["values"]}["e"] == "E"
    assert env["_postman_variable_scope"] == "environment"
    assert {v["key"]: v["value"] for v in json.loads((tmp_path / "g.json").read_text())["values"]} == {"g": "G"}
    assert {v["key"]: v["value"] for v in json.loads((tmp_path / "c2.json").read_text())["variable"]} == {"c": "C"}
    assert not list(exported.parent.glob(".*.tmp"))


def test_precedence_and_disabled_entries(make, server, tmp_path):
    globals_ = write_json(
        tmp_path / "g.json",
        [{"key": "v", "value": "global", "enabled": True}, {"key": "only_g", "value": "G", "enabled": True}],
    )
    args = make([item("p", "{{base}}/{{v}}/{{only_g}}/{{off}}")], variable=[{"key": "v", "value": "collection"}])
    env = json.loads(Path(args[2]).read_text())
    env["values"] += [
        {"key": "v", "value": "environment", "enabled": True},
        {"key": "off", "value": "disabled-value", "enabled": False},
    ]
    write_json(Path(args[2]), env)
    assert postrun(*args, "-g", str(globals_)).exit_code == 0
    assert server.seen[0].target == "/environment/G/%7B%7Boff%7D%7D"


def test_send_request_uses_the_run_client_and_cookies(make, server):
    items = [
        item("cookie", "{{base}}/cookies/set?session=abc"),
        item(
            "send",
            "{{base}}/x",
            pre=[
                "pm.sendRequest(pm.environment.get('base') + '/side', (err, res) => {",
                "  pm.environment.set('side', res.json().url);",
                "});",
            ],
            test=[
                "pm.test('side request', () => pm.expect(pm.environment.get('side')).to.equal('/side'));",
                "pm.test('cookie', () => pm.expect(pm.cookies.get('session')).to.equal('abc'));",
            ],
        ),
    ]
    result = postrun(*make(items))
    assert result.exit_code == 0, result.output
    assert [s.target for s in server.seen] == ["/cookies/set?session=abc", "/side", "/x"]
    assert server.seen[2].header("Cookie") == "session=abc"


def test_redirects_gzip_and_timeouts(make, server):
    items = [
        item(
            "redirect",
            "{{base}}/redirect?to=/landed",
            ["pm.test('landed', () => pm.expect(pm.response.json().url).to.equal('/landed'))"],
        ),
        item(
            "gzip", "{{base}}/gzip", ["pm.test('decoded', () => pm.expect(pm.response.json().method).to.equal('GET'))"]
        ),
    ]
    assert postrun(*make(items)).exit_code == 0
    server.seen.clear()
    no_follow = postrun(
        *make([item("r", "{{base}}/redirect?to=/landed", ["pm.test('302', () => pm.response.to.have.status(302))"])]),
        "--ignore-redirects",
    )
    assert no_follow.exit_code == 0, no_follow.output
    slow = postrun(*make([item("slow", "{{base}}/slow?ms=1000")]), "--timeout-request", "100")
    assert slow.exit_code == 1
    assert "timed out" in slow.output


def test_bad_input_exits_2_with_file_and_place(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"info": {"name": "x"},\n  "item": [,]}')
    result = postrun(str(broken))
    assert result.exit_code == 2
    assert f"{broken}: line 2, column 12: invalid JSON" in result.output
    invalid = write_json(tmp_path / "invalid.json", collection([{"name": "x", "request": {"url": 42}}]))
    result = postrun(str(invalid))
    assert result.exit_code == 2
    assert f"{invalid}: /item/0/request/url:" in result.output
    assert "Traceback" not in result.output
    missing = postrun(str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "collection not found" in missing.output


def test_json_and_junit_reports(make, server, tmp_path):
    items = [
        item("one", "{{base}}/1", ["pm.test('passes', () => {})", "pm.test('fails', () => pm.expect(1).to.equal(2))"]),
        item("two", "http://127.0.0.1:1/refused"),
    ]
    out_json, out_xml = tmp_path / "r.json", tmp_path / "r.xml"
    result = postrun(
        *make(items),
        "-n",
        "2",
        "-r",
        "cli,json,junit",
        "--reporter-json-export",
        str(out_json),
        "--reporter-junit-export",
        str(out_xml),
    )
    assert result.exit_code == 1
    report = json.loads(out_json.read_text())
    assert set(report) == {"collection", "environment", "globals", "run"}
    assert report["run"]["stats"]["assertions"] == {"total": 4, "pending": 0, "failed": 2}
    assert report["run"]["stats"]["requests"] == {"total": 4, "pending": 0, "failed": 2}
    first = report["run"]["executions"][0]
    assert first["item"]["name"] == "one" and first["response"]["code"] == 200
    assert first["assertions"][1]["error"]["message"] == "expected 1 to equal 2"
    root = ET.parse(out_xml).getroot()
    assert root.tag == "testsuites"
    # Newman's report: tests counts the executions; a testcase per assertion, iterations folded.
    assert root.get("tests") == "4"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert (suites["one"].get("failures"), suites["two"].get("errors")) == ("2", "2")
    assert [c.get("name") for c in suites["one"].iter("testcase")] == ["passes", "fails"]


def test_secrets_never_reach_output_or_reports(make, server, tmp_path):
    items = [
        item(
            "echo",
            "{{base}}/echo-secret?k={{apiKey}}",
            ["console.log('token is', pm.environment.get('token'));"],
            auth={
                "type": "basic",
                "basic": [{"key": "username", "value": "user"}, {"key": "password", "value": "hunter2-pw"}],
            },
            header=[{"key": "X-Token", "value": "{{token}}"}],
        )
    ]
    args = make(items, {"apiKey": "key-123456"})
    env = json.loads(Path(args[2]).read_text())
    env["values"].append({"key": "token", "value": "s3cr3t-token", "type": "secret", "enabled": True})
    write_json(Path(args[2]), env)
    out_json, out_xml, out_html = tmp_path / "r.json", tmp_path / "r.xml", tmp_path / "r.html"
    result = postrun(
        *args,
        "--verbose",
        "--secret",
        "apiKey",
        "-r",
        "cli,json,junit,html,progress",
        "--reporter-json-export",
        str(out_json),
        "--reporter-junit-export",
        str(out_xml),
        "--reporter-html-export",
        str(out_html),
    )
    assert result.exit_code == 0, result.output
    assert server.seen[0].header("X-Token") == "s3cr3t-token"
    assert out_html.exists()
    for text in (result.output, out_json.read_text(), out_xml.read_text(), out_html.read_text()):
        for secret in ("s3cr3t-token", "hunter2-pw", "key-123456", "dXNlcjpodW50ZXIyLXB3"):
            assert secret not in text


def test_mock_replays_bundled_collections_offline():
    for name in ("zendesk-support", "forgerock-am", "salesforce-platform"):
        result = postrun(
            str(ROOT / "collections" / f"{name}.postman_collection.json"),
            "-e",
            str(ROOT / "environments" / "globex.postman_environment.json"),
            "--mock",
        )
        assert result.exit_code == 0, result.output
        assert "globex" in result.output


def test_mock_answers_404_with_a_reason_when_nothing_matches(tmp_path):
    coll = write_json(
        tmp_path / "c.json",
        collection(
            [
                item(
                    "nothing saved",
                    "https://api.example.test/none",
                    [
                        "pm.test('404', () => pm.response.to.have.status(404));",
                        "pm.test('why', () => pm.expect(pm.response.json().message).to.include('GET /none'))",
                    ],
                )
            ]
        ),
    )
    result = postrun(str(coll), "--mock")
    assert result.exit_code == 0, result.output


def test_dynamic_variables_and_jinja_syntax_stay_data(make, server):
    items = [
        item("dyn", "{{base}}/d", method="POST", body={"mode": "raw", "raw": "{{$guid}} {{$guid}} {{ 7*7 }} {% for %}"})
    ]
    assert postrun(*make(items)).exit_code == 0
    first, second, *rest = server.seen[0].body.decode().split(" ")
    assert len(first) == 36 and first != second
    assert " ".join(rest) == "{{ 7*7 }} {% for %}"


def test_mock_never_follows_a_redirect_off_the_machine(tmp_path):
    saved = {
        "name": "moved",
        "code": 302,
        "status": "Found",
        "body": "",
        "header": [{"key": "Location", "value": "https://elsewhere.example.test/landing"}],
        "originalRequest": {"method": "GET", "url": "https://api.example.test/moved"},
    }
    landing = {
        "name": "landing",
        "code": 200,
        "status": "OK",
        "body": '{"landed": true}',
        "header": [
            {"key": "Content-Type", "value": "application/json"},
            {"key": "Set-Cookie", "value": "sid=1; Path=/"},
        ],
        "originalRequest": {"method": "GET", "url": "https://elsewhere.example.test/landing"},
    }
    items = [
        {
            **item(
                "moved",
                "https://api.example.test/moved",
                ["pm.test('landed on the mock', () => pm.expect(pm.response.json().landed).to.equal(true))"],
            ),
            "response": [saved],
        },
        {
            **item(
                "landing",
                "https://elsewhere.example.test/landing",
                [
                    "pm.test('cookie kept for its host', () =>"
                    " pm.expect(pm.request.headers.get('Cookie')).to.equal('sid=1'))"
                ],
            ),
            "response": [landing],
        },
    ]
    result = postrun(str(write_json(tmp_path / "c.json", collection(items))), "--mock")
    assert result.exit_code == 0, result.output


def test_ctrl_c_mid_run_writes_reports_and_exports_and_exits_130(server, tmp_path):
    import signal
    import subprocess
    import sys
    import time as _time

    fast = item("fast", "{{base}}/fast", ["pm.environment.set('seen', 'yes')"])
    coll = write_json(tmp_path / "c.json", collection([fast, item("slow", "{{base}}/slow?ms=5000")]))
    env = write_json(tmp_path / "e.json", {"name": "e", "values": [{"key": "base", "value": server.url}]})
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            str(coll),
            "-e",
            str(env),
            "-r",
            "cli,json,junit",
            "--reporter-json-export",
            str(tmp_path / "r.json"),
            "--reporter-junit-export",
            str(tmp_path / "r.xml"),
            "--export-environment",
            str(tmp_path / "env-out.json"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = _time.monotonic() + 20
    while not any(s.target.startswith("/slow") for s in server.seen) and _time.monotonic() < deadline:
        _time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err
    report = json.loads((tmp_path / "r.json").read_text())
    assert [e["item"]["name"] for e in report["run"]["executions"]] == ["fast"]
    assert report["run"]["error"] == "interrupted (Ctrl-C)"
    assert ET.parse(tmp_path / "r.xml").getroot().tag == "testsuites"
    env_out = json.loads((tmp_path / "env-out.json").read_text())
    assert {v["key"]: v["value"] for v in env_out["values"]}["seen"] == "yes"


def test_run_timeout_abandons_the_request_in_flight(make, server, tmp_path):
    out = tmp_path / "r.json"
    result = postrun(
        *make([item("fast", "{{base}}/fast"), item("slow", "{{base}}/slow?ms=3000")]),
        "--timeout",
        "700",
        "-r",
        "cli,json",
        "--reporter-json-export",
        str(out),
    )
    assert result.exit_code == 1
    assert "run stopped: run timed out after 700 ms" in result.output
    report = json.loads(out.read_text())
    assert [e["item"]["name"] for e in report["run"]["executions"]] == ["fast"]
    assert report["run"]["stats"]["requests"]["failed"] == 0


def test_secrets_set_by_scripts_or_from_the_process_environment_stay_out(make, server, tmp_path, monkeypatch):
    monkeypatch.setenv("POSTRUN_TEST_TOKEN", "env-secret-998877")
    items = [
        item("login", "{{base}}/login", ["pm.environment.set('session', 'fresh-session-445566')"]),
        item(
            "use",
            "{{base}}/echo-secret",
            ["console.log(pm.environment.get('session'), pm.environment.get('POSTRUN_TEST_TOKEN'))"],
            header=[{"key": "X-Session", "value": "{{session}}"}, {"key": "X-Env", "value": "{{POSTRUN_TEST_TOKEN}}"}],
        ),
    ]
    args = make(items)
    env = json.loads(Path(args[2]).read_text())
    env["values"].append({"key": "session", "value": "", "type": "secret"})
    write_json(Path(args[2]), env)
    out, exported, exported_all = tmp_path / "r.json", tmp_path / "env.json", tmp_path / "env-all.json"
    result = postrun(
        *args,
        "--secret-env",
        "POSTRUN_TEST_TOKEN",
        "--verbose",
        "-r",
        "cli,json",
        "--reporter-json-export",
        str(out),
        "--export-environment",
        str(exported),
    )
    assert result.exit_code == 0, result.output
    assert server.seen[1].header("X-Session") == "fresh-session-445566"
    assert server.seen[1].header("X-Env") == "env-secret-998877"
    for text in (result.output, out.read_text(), exported.read_text()):
        assert "fresh-session-445566" not in text and "env-secret-998877" not in text
    values = {v["key"]: v for v in json.loads(exported.read_text())["values"]}
    assert values["session"] == {"key": "session", "value": "", "type": "secret"}
    postrun(*args, "--secret-env", "POSTRUN_TEST_TOKEN", "--export-environment", str(exported_all), "--export-secrets")
    values = {v["key"]: v["value"] for v in json.loads(exported_all.read_text())["values"]}
    assert values["session"] == "fresh-session-445566" and values["POSTRUN_TEST_TOKEN"] == "env-secret-998877"
    missing = postrun(*args, "--secret-env", "POSTRUN_NO_SUCH_VARIABLE")
    assert missing.exit_code == 2 and "POSTRUN_NO_SUCH_VARIABLE" in missing.output


def test_credentials_of_items_that_did_not_run_stay_out_of_the_json_report(make, server, tmp_path):
    secret_auth = {
        "type": "basic",
        "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "never-sent-7731"}],
    }
    items = [
        {"name": "ran", "item": [item("ok", "{{base}}/ok")]},
        {"name": "skipped", "item": [item("with creds", "{{base}}/x", auth=secret_auth)]},
    ]
    out = tmp_path / "r.json"
    assert postrun(*make(items), "--folder", "ran", "-r", "json", "--reporter-json-export", str(out)).exit_code == 0
    assert "never-sent-7731" not in out.read_text()


def test_tls_failure_is_a_request_error_and_insecure_skips_verification(make, tmp_path):
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    if not shutil.which("openssl"):
        pytest.skip("openssl is not available to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/hello"
        items = [
            item("self-signed", url, ["pm.test('200', () => pm.response.to.have.status(200))"]),
            item("after", "{{base}}/after"),
        ]
        strict = postrun(*make(items))
        assert strict.exit_code == 1
        assert "TLS error" in strict.output and "/after" in strict.output
        insecure = postrun(*make(items), "-k")
        assert insecure.exit_code == 0, insecure.output
    finally:
        httpd.shutdown()
        httpd.server_close()

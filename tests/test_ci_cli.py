"""Newman's CLI tests (newman, test/cli) with ``postrun`` in place of ``newman``, on loopback.

Each test names the Newman test it follows. The collections are our own small equivalents of
Newman's fixtures (single-get-request, single-request-failing, nested requests...). Exit code 2
for bad usage, where Newman exits 1, is the accepted difference.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner import __version__
from runner.cli import main
from tests.conftest import ROOT, collection, item, write_json

ANSI = re.compile(r"\x1b\[")


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["run", *args], catch_exceptions=False)


@pytest.fixture
def single_get(tmp_path, server) -> str:
    """Newman's single-get-request: one GET whose status test passes."""
    doc = collection(
        [item("A simple GET request", f"{server.url}/get", ["pm.test('response code is 200', () => "
                                                               "pm.response.to.have.status(200));"])]
    )
    return str(write_json(tmp_path / "single-get-request.json", doc))


@pytest.fixture
def single_failing(tmp_path, server) -> str:
    """Newman's single-request-failing: a legacy ``tests[]`` check that fails."""
    doc = collection([item("Status Code Test", f"{server.url}/status/404",
                           ["tests['response code is 200'] = responseCode.code === 200;"])])
    return str(write_json(tmp_path / "single-request-failing.json", doc))


@pytest.fixture
def variables_file(tmp_path) -> str:
    return str(write_json(tmp_path / "simple-variables.json",
                          {"name": "simple", "values": [{"key": "var-1", "value": "value-1", "enabled": True}]}))


# cli-reporter-failure-details.test.js
def test_failure_details_are_complete(single_failing):
    result = CliRunner().invoke(
        main, ["run", single_failing, "--reporter-cli-no-assertion", "--reporter-cli-no-summary"]
    )
    assert result.exit_code == 1 and result.stderr == ""
    assert "1.  AssertionError  response code is 200" in result.stdout
    assert "expected false to be truthy" in result.stdout
    assert "at assertion:0 in test-script" in result.stdout
    assert 'inside "Status Code Test"' in result.stdout


# cli-reporter-no-success-assertsions.test.js
def test_no_success_assertions(single_get):
    assert "✓" in run(single_get).output
    assert "✓" not in run(single_get, "--reporter-cli-no-success-assertions").output


def test_no_assertions_no_banner_and_silent(single_get, single_failing):
    assert "response code is 200" in run(single_get).output
    assert "response code is 200" not in run(single_get, "--reporter-cli-no-assertions").output
    assert run(single_get).output.startswith("postrun\n")
    assert not run(single_get, "--reporter-cli-no-banner").output.startswith("postrun")
    for flag in ("--silent", "--reporter-cli-silent", "--reporter-silent"):
        result = run(single_failing, flag)
        assert result.exit_code == 1 and result.output == "", flag


def test_disable_unicode_uses_plain_symbols(single_get):
    output = run(single_get, "--disable-unicode").output
    assert "✓" not in output and "→" not in output and "Pass" in output
    assert output.isascii() and "+-----" in output


# cli-reporter-show-timestamp.test.js
def test_show_timestamps(single_get):
    result = run(single_get, "--reporter-cli-show-timestamps")
    assert result.exit_code == 0
    assert re.search(r"\[([01]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\]", result.output)


# color-tty.test.js (output through a pipe, as CI reads it)
def _piped(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in __import__("os").environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "runner", "run", *args], capture_output=True, text=True,
                          env={**environ, **(env or {})}, cwd=ROOT, timeout=60)


def test_color_through_a_pipe(single_get, monkeypatch):
    on = _piped(single_get, "--color", "on")
    assert on.returncode == 0 and on.stderr == "" and ANSI.search(on.stdout)
    assert not ANSI.search(_piped(single_get).stdout)
    # The same rules in-process (click's runner is not a terminal either).
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert not ANSI.search(run(single_get, "--color", "off").output)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI.search(run(single_get).output)
    assert not ANSI.search(run(single_get, "--color", "off").output)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(run(single_get, "--color", "auto").output)
    assert ANSI.search(run(single_get, "--color", "on").output)


# export-environment.test.js
def test_export_environment(single_get, single_failing, variables_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(single_get, "-e", variables_file, "--export-environment", "out/test-environment.json").exit_code == 0
    exported = json.loads(Path("out/test-environment.json").read_text())
    assert exported["_postman_variable_scope"] == "environment" and exported["name"] == "simple"
    assert exported["values"] == [{"key": "var-1", "value": "value-1", "type": "any"}]  # Newman's eql
    # even if the collection is failing
    assert run(single_failing, "-e", variables_file, "--export-environment", "out/failing.json").exit_code == 1
    assert Path("out/failing.json").exists()
    # in a pre-existing directory
    Path("dir").mkdir()
    assert run(single_get, "-e", variables_file, "--export-environment", "dir").exit_code == 0
    assert len(list(Path("dir").iterdir())) == 1
    # overridden by --env-var
    assert run(single_get, "--env-var", "dummyVar=bar2", "--export-environment", "out/over.json").exit_code == 0
    values = json.loads(Path("out/over.json").read_text())["values"]
    assert [(v["key"], v["value"]) for v in values] == [("dummyVar", "bar2")]


# export-globals.test.js
def test_export_globals(single_get, variables_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["-g", variables_file, "--global-var", "foo=bar", "--export-globals"]
    assert run(single_get, *args, "out/test-globals.json").exit_code == 0
    exported = json.loads(Path("out/test-globals.json").read_text())
    assert exported["_postman_variable_scope"] == "globals"
    assert exported["values"] == [{"key": "var-1", "value": "value-1", "type": "any"},
                                  {"key": "foo", "value": "bar", "type": "any"}]
    Path("dir").mkdir()
    assert run(single_get, *args, "dir").exit_code == 0
    assert len(list(Path("dir").iterdir())) == 1


# iteration-count.test.js
@pytest.mark.parametrize(("extra", "iterations"), [((), 1), (("--iteration-count", "3"), 3), (("-d",), 2)])
def test_iteration_count(single_get, tmp_path, extra, iterations):
    args = list(extra)
    if args == ["-d"]:
        args.append(str(write_json(tmp_path / "data.json", [{"a": 1}, {"a": 2}])))
    out = tmp_path / "iteration-count-test.json"
    assert run(single_get, *args, "-r", "json", "--reporter-json-export", str(out)).exit_code == 0
    assert json.loads(out.read_text())["run"]["stats"]["iterations"]["total"] == iterations


# run-options.test.js
def test_run_options(single_get, tmp_path):
    runner = CliRunner()
    for flag in ("--version", "-v"):
        result = runner.invoke(main, [flag])
        assert (result.exit_code, result.stdout, result.stderr) == (0, f"{__version__}\n", "")
    result = runner.invoke(main, [], prog_name="postrun")
    assert result.exit_code == 2 and "Usage: postrun" in result.stderr and result.stdout == ""
    assert runner.invoke(main, ["run"]).exit_code == 2
    assert runner.invoke(main, ["run", "-e", single_get]).exit_code == 2
    assert runner.invoke(main, ["run", "https://api.example.invalid/collections/x?apikey=k"]).exit_code == 2
    for option in ("--global-var", "--env-var"):
        missing = runner.invoke(main, ["run", single_get, option])
        assert (missing.exit_code, missing.stderr) == (2, f"error: option '{option} <value>' argument missing\n")
    missing = runner.invoke(main, ["run", single_get, "-e"])
    assert (missing.exit_code, missing.stderr) == (2, "error: option '-e, --environment <path>' argument missing\n")
    assert runner.invoke(main, ["run", single_get, "--global-var", "first=James"]).exit_code == 0
    undefined_doc = collection([item("u", "http://127.0.0.1:1/", ["undefinedFn()"])])
    undefined = write_json(tmp_path / "undefined.json", undefined_doc)
    assert run(str(undefined)).exit_code == 1


def test_timeout_script(tmp_path, server):
    busy = ["const t = Date.now(); while (Date.now() - t < 200) {}"]
    doc = collection([item("slow script", f"{server.url}/get", busy)])
    coll = str(write_json(tmp_path / "timeout.json", doc))
    assert run(coll, "--timeout-script", "5").exit_code != 0
    assert run(coll, "--timeout-script", "5000").exit_code == 0


# shallow-junit-reporter.test.js
def _junit(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert re.fullmatch(r"\d+\.\d{3}", root.get("time"))
    return root


def test_junit_success_failure_folder_and_equals_form(single_get, single_failing, tmp_path, monkeypatch):
    out = tmp_path / "newman-report.xml"
    assert run(single_get, "-r", "junit", "--reporter-junit-export", str(out)).exit_code == 0
    suite = _junit(out).find("testsuite")
    assert re.fullmatch(r"\d+\.\d{3}", suite.get("time"))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    assert suite.find("testcase").get("classname") == "ASimpleGetRequest"

    assert run(single_failing, "-r", "junit", "--reporter-junit-export", str(out)).exit_code == 1
    suite = _junit(out).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "1", "0")
    case = suite.find("testcase")
    assert case.get("classname") == "StatusCodeTest" and re.fullmatch(r"\d+\.\d{3}", case.get("time"))
    failure = case.find("failure")
    assert failure.get("type") == "AssertionFailure" and failure.text.strip()

    monkeypatch.chdir(tmp_path)
    Path("out").mkdir()
    assert run(single_get, "-r", "junit", "--reporter-junit-export", "out").exit_code == 0
    assert len(list(Path("out").iterdir())) == 1
    assert run(single_get, "-r", "junit", f"--reporter-junit-export={tmp_path / 'eq.xml'}").exit_code == 0
    assert (tmp_path / "eq.xml").exists()


def test_junit_type_error_and_nested_requests(tmp_path, server):
    failing = collection([item("Failed Request", f"{server.url}/get",
                               ["pm.test('passes', () => {});", "pm.test('fails', () => pm.expect(1).to.equal(2));",
                                "undefinedFunction();"])])
    out = tmp_path / "r.xml"
    junit = ["-r", "junit", "--reporter-junit-export", str(out)]
    assert run(str(write_json(tmp_path / "f.json", failing)), *junit).exit_code == 1
    suite = _junit(out).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "1")
    assert suite.find("system-err").text.strip() and suite.find("testcase").get("classname") == "FailedRequest"
    nested = collection([{"name": "Nested", "item": [{"name": "Request", "item": [
        item("Test", f"{server.url}/get", ["pm.test('a', () => {});", "pm.test('b', () => {});"])]}]}])
    assert run(str(write_json(tmp_path / "n.json", nested)), *junit).exit_code == 0
    suite = _junit(out).find("testsuite")
    assert suite.get("name") == "Nested / Request / Test"
    assert suite.find("testcase").get("classname") == "NestedRequestTest"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "0", "0")


# suppress-exit-code.test.js
def test_suppress_exit_code(single_get, single_failing):
    assert run(single_get, "--suppress-exit-code").exit_code == 0
    assert run(single_get, "-x").exit_code == 0
    assert run(single_failing).exit_code == 1
    assert run(single_failing, "-x").exit_code == 0


# working-directory.test.js
def test_working_dir_and_no_insecure_file_read(tmp_path, server):
    work = tmp_path / "work-dir"
    work.mkdir()
    (work / "inside.txt").write_text("inside")
    (tmp_path / "outside.txt").write_text("outside")

    def coll(src: str) -> str:
        body = {"mode": "file", "file": {"src": src}}
        test = ["pm.test('body sent', () => pm.expect(pm.response.json().body).to.not.equal(''));"]
        return str(write_json(tmp_path / f"{Path(src).stem}.json",
                              collection([item("file", f"{server.url}/post", test, method="POST", body=body)])))

    assert run(coll("inside.txt"), "--working-dir", str(work)).exit_code == 0
    refused = run(coll("../outside.txt"), "--working-dir", str(work), "--no-insecure-file-read")
    assert refused.exit_code == 1 and "outside the working directory" in refused.output
    assert run(coll("../outside.txt"), "--working-dir", str(work)).exit_code == 0


# --bail [folder,failure] (bin/newman.js)
def test_bail_modifiers(tmp_path, server):
    doc = collection([item("first", f"{server.url}/status/500", ["pm.test('ok', () => pm.response.to.be.ok)"]),
                      item("second", f"{server.url}/get")])
    coll = str(write_json(tmp_path / "c.json", doc))
    for args, ran in ((["--bail"], 1), (["--bail", "failure"], 1), (["--bail", "folder,failure"], 1),
                      (["--bail", "folder"], 2), ([], 2)):
        out = tmp_path / "r.json"
        result = run(*args, coll, "-r", "json", "--reporter-json-export", str(out))
        assert result.exit_code == 1, (args, result.output)
        assert len(json.loads(out.read_text())["run"]["executions"]) == ran, args
    assert run(coll, "--bail", "sometimes").exit_code == 2
    assert run(coll, "--bail", "folder", "--folder", "nothing").exit_code == 2


def test_unknown_reporter_names_ours(single_get):
    result = CliRunner().invoke(main, ["run", single_get, "-r", "htmlextra"])
    assert result.exit_code == 2
    assert "htmlextra" in result.stderr and "cli, html, json, junit, progress" in result.stderr
    assert "Node packages" in result.stderr


def test_generic_reporter_options_reach_every_reporter(single_failing, tmp_path):
    out = tmp_path / "r.json"
    result = run(single_failing, "-r", "cli,json", "--reporter-json-export", str(out), "--reporter-no-summary",
                 "--reporter-cli-no-failures")
    assert "executed" not in result.output and "AssertionError" not in result.output
    assert json.loads(out.read_text())["run"]["stats"]["assertions"]["failed"] == 1


def test_tenant_blocks_print_in_the_order_given_whatever_finishes_first(tmp_path, server):
    doc = collection([item("wait", "{{base}}/slow?ms={{ms}}")])
    coll = str(write_json(tmp_path / "c.json", doc))
    envs = []
    for name, ms in (("slowpoke", "600"), ("quick", "1")):
        values = [{"key": "base", "value": server.url}, {"key": "ms", "value": ms}]
        envs += ["-e", str(write_json(tmp_path / f"{name}.json", {"name": name, "values": values}))]
    out = subprocess.run([sys.executable, "-m", "runner", "run", coll, *envs, "--parallel", "2"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60).stdout
    assert out.index("tenant slowpoke") < out.index("tenant quick"), out


# verbose.test.js (over http: Newman's ssl-handshake column only appears for https)
VERBOSE = ["prepare", "wait", "dns-lookup", "tcp-handshake", "transfer-start", "download", "process",
           "average DNS lookup time:", "average first byte time:"]


def test_verbose_shows_bodies_and_timing_phases(single_get):
    output = run(single_get, "--verbose").output
    for text in VERBOSE:
        assert text in output, text
    assert re.search(r"200 OK ★ \S+ time ★ \S+↑ \S+↓ size ★ \d+↑ \d+↓ headers ★ 0 cookies", output)
    assert '"url":' in output  # the response body
    quiet = run(single_get).output
    for text in VERBOSE:
        assert text not in quiet, text


def test_verbose_fills_the_json_reports_first_byte_timings(single_get, tmp_path):
    out = tmp_path / "r.json"
    run(single_get, "-r", "json", "--reporter-json-export", str(out), "--verbose")
    timings = json.loads(out.read_text())["run"]["timings"]
    assert timings["firstByteAverage"] > 0 and timings["firstByteMax"] >= timings["firstByteMin"] > 0
    run(single_get, "-r", "json", "--reporter-json-export", str(out))
    assert json.loads(out.read_text())["run"]["timings"]["firstByteAverage"] == 0


def test_reporter_switches_before_the_collection_do_not_take_it(single_get, tmp_path):
    out = tmp_path / "r.json"
    result = run("--reporter-cli-no-summary", single_get, "-r", "cli,json", "--reporter-json-export", str(out))
    assert result.exit_code == 0 and "executed" not in result.output and out.exists()
    assert run("--bail", single_get).exit_code == 0  # --bail alone does not take it either


# unit/cli.test.js: "should load all arguments (including reporters)"
def test_reporter_options_are_parsed_as_newman_parses_them():
    from runner.reporters.options import reporter_options, split_reporter_args

    args = ("myCollection.json -e myEnv.json --reporter-cli-no-summary --reporter-cli-no-success-assertions "
            "--reporters json --bail folder,failure --reporter-json-output ./omg.txt --reporter-use everything "
            "--reporter-junit-export=out.xml").split()
    rest, found = split_reporter_args(args)
    assert rest == "myCollection.json -e myEnv.json --reporters json --bail folder,failure".split()
    options = reporter_options(found, ["json"])
    assert options["json_output"] == "./omg.txt" and options["json_use"] == "everything"
    assert options["json_cli_no_success_assertions"] is True  # cli is not chosen: a generic option
    assert options["json_junit_export"] == "out.xml"
    assert reporter_options(found, ["cli", "junit"])["cli_no_summary"] is True
    assert reporter_options(found, ["cli", "junit"])["junit_export"] == "out.xml"

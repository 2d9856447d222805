"""The pytest plugin, through pytest's own pytester: collections as tests, ids, -k, failures, JUnit, xdist."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, collection, item, write_json
from tests.test_api import readme_block

pytest_plugins = ["pytester"]

STATUS_200 = "pm.test('is 200', () => pm.response.to.have.status(200))"
BUNDLED = [
    "collections/zendesk-support.postman_collection.json::acme::Support API/Renew the current session",
    "collections/zendesk-support.postman_collection.json::acme::Help Center API/Show Session",
    "collections/zendesk-support.postman_collection.json::globex::Support API/Renew the current session",
    "collections/zendesk-support.postman_collection.json::globex::Help Center API/Show Session",
]


@pytest.fixture
def bundled(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copytree(ROOT / "collections", pytester.path / "collections")
    shutil.copytree(ROOT / "environments", pytester.path / "environments")
    return pytester


def served(pytester: pytest.Pytester, server, items: list[dict], tenants: dict[str, dict[str, str]]) -> list[str]:
    """A collection and one environment per tenant (pointing at the loopback server); the plugin's args."""
    write_json(pytester.path / "api.postman_collection.json", collection(items))
    (pytester.path / "envs").mkdir()
    for name, values in tenants.items():
        entries = [{"key": "base", "value": server.url}] + [{"key": k, "value": v} for k, v in values.items()]
        write_json(pytester.path / "envs" / f"{name}.json", {"name": name, "values": entries})
    return ["--postman-collection", "api.postman_collection.json", "--postman-env-dir", "envs"]


@pytest.fixture(scope="module", autouse=True)
def _modules_loaded_outside_pytester() -> None:
    """pytester's in-process runs drop the modules first imported inside them; a run here imports them first,
    so every inner run shares one httpx/httpcore (else exception classes differ between runs)."""
    import runner
    from runner.reporters import make_reporters

    make_reporters(["cli", "json", "junit", "html", "progress"], {})
    runner.run(collection([item("refused", "http://127.0.0.1:1/")]))
    runner.run(ROOT / "collections" / "zendesk-support.postman_collection.json", mock=True)


def collected_ids(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if "::" in line]


def test_the_readme_example_collects_one_test_per_tenant_and_request(bundled: pytest.Pytester) -> None:
    command = shlex.split(readme_block("pytest plugin", "sh"))
    assert command[0] == "pytest"
    args = command[1:]
    listed = bundled.runpytest(*args, "--collect-only", "-q")
    assert collected_ids(listed) == BUNDLED
    bundled.runpytest(*args).assert_outcomes(passed=4)
    selected = bundled.runpytest(*args, "-k", "acme and Renew", "-v")
    selected.assert_outcomes(passed=1, deselected=3)
    selected.stdout.fnmatch_lines(["*::acme::Support API/Renew the current session PASSED*"])
    shown = readme_block("pytest plugin", "text").splitlines()
    verbose = bundled.runpytest(*args, "-v", "-p", "no:cacheprovider")
    verbose.stdout.fnmatch_lines([f"{line} *" for line in shown])


def test_folders_globs_and_the_ini_option_name_collections(bundled: pytest.Pytester) -> None:
    by_folder = bundled.runpytest("--postman-collection", "collections", "--postman-mock", "--collect-only", "-q")
    by_glob = bundled.runpytest("--postman-collection", "collections/*.json", "--postman-mock", "--collect-only", "-q")
    assert collected_ids(by_folder) == collected_ids(by_glob)
    assert len(collected_ids(by_glob)) == 5  # the three bundled collections, no tenant level without environments
    bundled.makeini(textwrap.dedent(readme_block("pytest plugin", "ini")))
    from_ini = collected_ids(bundled.runpytest("--collect-only", "-q"))
    assert len(from_ini) == 10 and set(BUNDLED) <= set(from_ini)
    bundled.runpytest("--postman-mock").assert_outcomes(passed=10)


def test_inert_without_collections(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain(): pass")
    config = pytester.parseconfigure()
    assert config.pluginmanager.get_plugin("postrun-collections") is None
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_selection_runs_only_the_selected_requests_in_collection_order(pytester, server) -> None:
    items = [item(name, f"{{{{base}}}}/{name}") for name in ("first", "second", "third")]
    args = served(pytester, server, items, {"acme": {}})
    pytester.runpytest(*args, "-k", "third or first").assert_outcomes(passed=2, deselected=1)
    assert [s.target for s in server.seen] == ["/first", "/third"]


def test_a_failing_assertion_reads_like_a_pytest_failure_and_is_masked(pytester, server) -> None:
    tests = [STATUS_200, "pm.test('has token', () => pm.expect(pm.response.json()).to.have.property('nope'))"]
    items = [
        item("ok", "{{base}}/ok"),
        {"name": "Users", "item": [item("Me", "{{base}}/echo-secret?k={{key}}", tests, method="POST")]},
        item("down", "http://127.0.0.1:1/down"),
        item("broken script", "{{base}}/x", ["throw new TypeError('kaput')"]),
    ]
    args = served(pytester, server, items, {"acme": {"key": "sekrit-value-42"}})
    result = pytester.runpytest(*args, "--postman-secret", "key")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*_ acme: Users/Me _*",
            "✗ has token: AssertionError: expected { *} to have property 'nope'",
            "POST http://127.0.0.1:*/echo-secret?k=***",
            "→ 200 OK (* bytes, * ms)",
            "response body:",
            '  {"headers": {*',
        ]
    )
    result.stdout.fnmatch_lines(["*✗ request error: connect ECONNREFUSED 127.0.0.1:1*"])
    result.stdout.fnmatch_lines(["*✗ TypeError in the test script of broken script*: kaput*"])
    assert "sekrit-value-42" not in result.stdout.str()


def test_junitxml_has_the_node_ids_and_the_failure(pytester, server, tmp_path: Path) -> None:
    items = [item("good", "{{base}}/good", [STATUS_200]), item("bad", "{{base}}/status/503", [STATUS_200])]
    args = served(pytester, server, items, {"acme": {}, "globex": {}})
    report = tmp_path / "junit.xml"
    pytester.runpytest(*args, f"--junitxml={report}").assert_outcomes(passed=2, failed=2)
    cases = ET.parse(report).getroot().findall(".//testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("api.postman_collection.json.acme", "good"),
        ("api.postman_collection.json.acme", "bad"),
        ("api.postman_collection.json.globex", "good"),
        ("api.postman_collection.json.globex", "bad"),
    ]
    failure = cases[1].find("failure")
    assert failure is not None and "expected response to have status code 200 but got 503" in failure.get("message")
    assert "GET http://127.0.0.1:" in failure.text and "→ 503" in failure.text
    assert all(c.find("failure") is None for c in (cases[0], cases[2]))


def test_tenants_are_independent_runs(pytester, server) -> None:
    """globex's server answers 500; acme passes. Variables a script sets stay in its tenant."""
    items = [
        item("set", "{{base}}/status/{{code}}", [STATUS_200, "pm.environment.set('seen', pm.environment.name)"]),
        item("read", "{{base}}/read/{{seen}}"),
    ]
    args = served(pytester, server, items, {"acme": {"code": "200"}, "globex": {"code": "500"}})
    result = pytester.runpytest(*args, "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*::globex::set FAILED*"])
    assert sorted(s.target for s in server.seen if s.target.startswith("/read")) == ["/read/acme", "/read/globex"]


def test_iterations_get_their_own_ids(pytester, server) -> None:
    write_json(pytester.path / "rows.json", [{"n": "1"}, {"n": "2"}])
    args = served(pytester, server, [item("row", "{{base}}/row/{{n}}")], {"acme": {}})
    args += ["--postman-iteration-data", "rows.json"]
    listed = pytester.runpytest(*args, "--collect-only", "-q")
    assert collected_ids(listed) == [
        "api.postman_collection.json::acme::row[iteration 1]",
        "api.postman_collection.json::acme::row[iteration 2]",
    ]
    pytester.runpytest(*args).assert_outcomes(passed=2)
    assert [s.target for s in server.seen] == ["/row/1", "/row/2"]


def test_exitfirst_stops_the_run_like_bail(pytester, server) -> None:
    items = [item("a", "{{base}}/status/500", [STATUS_200]), item("b", "{{base}}/b"), item("c", "{{base}}/c")]
    args = served(pytester, server, items, {"acme": {}})
    pytester.runpytest(*args, "-x").assert_outcomes(failed=1)
    assert [s.target for s in server.seen] == ["/status/500"]


def test_postman_reports_are_written(pytester, server) -> None:
    args = served(pytester, server, [item("a", "{{base}}/a", [STATUS_200])], {"acme": {}})
    pytester.runpytest(*args, "--postman-report", "json=out/r.json", "--postman-report", "html=out/r.html")
    doc = json.loads((pytester.path / "out" / "r.json").read_text())
    assert doc["run"]["stats"]["assertions"] == {"total": 1, "pending": 0, "failed": 0}
    assert "<html" in (pytester.path / "out" / "r.html").read_text()


def test_a_broken_collection_is_a_collection_error_naming_the_file(pytester) -> None:
    (pytester.path / "bad.json").write_text('{"info": {"name": "x"}, "item": [{"name": 1')
    result = pytester.runpytest("--postman-collection", "bad.json")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*bad.json: line 1, column *"])
    assert "Traceback" not in result.stdout.str()


def test_the_postman_fixture(bundled: pytest.Pytester) -> None:
    bundled.makepyfile(
        readme_block("pytest plugin", "python")
        + """
def test_counts(postman):
    r = postman.run("collections/zendesk-support.postman_collection.json", mock=True)
    assert r.stats.requests.total == 2
"""
    )
    bundled.makepyfile(
        test_failing="""
        def test_failures_show_in_the_assertion(postman):
            r = postman.run({"info": {"name": "c"}, "item": [{"name": "x", "request": "http://127.0.0.1:1/",
                             "event": [{"listen": "test", "script": {"exec": ["pm.test('t', () => {})"]}}]}]})
            assert r.ok, r.failures
        """
    )
    result = bundled.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: [[]Failure(iteration=0, item='x', request='Error', *ECONNREFUSED*"])


@pytest.mark.xdist
@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="pytest-xdist is not installed")
@pytest.mark.parametrize("dist", [[], ["--dist", "worksteal"]], ids=["load", "worksteal"])
def test_under_xdist_a_collection_and_tenant_stay_on_one_worker(pytester, server, dist: list[str]) -> None:
    """Each item needs the previous one's variable: split across workers or reordered, they would fail."""
    chain = [
        item(
            f"step {n}",
            f"{{{{base}}}}/step/{n}?prev={{{{step}}}}",
            [f"pm.test('after {n - 1}', () => pm.expect(pm.environment.get('step')).to.equal('{n - 1}'))",
             f"pm.environment.set('step', '{n}')"],
        )
        for n in range(1, 7)
    ]
    args = served(pytester, server, chain, {t: {"step": "0"} for t in ("acme", "globex", "initech")})
    result = pytester.runpytest_subprocess(*args, "-n", "2", *dist, "-v")
    result.assert_outcomes(passed=18)
    workers: dict[str, set[str]] = {}
    for line in result.outlines:
        found = re.search(r"\[(gw\d+)\].*::(\w+)::step \d", line)
        if found:
            workers.setdefault(found.group(2), set()).add(found.group(1))
    assert set(workers) == {"acme", "globex", "initech"}
    assert all(len(used) == 1 for used in workers.values()), workers
    assert len(server.seen) == 18


def test_skipped_requests_and_requests_of_one_name(pytester, server) -> None:
    items = [
        item("skipped", "{{base}}/never", pre=["pm.execution.skipRequest()"]),
        item("dup", "{{base}}/dup/1", ["pm.execution.setNextRequest(null)"]),
        item("dup", "{{base}}/dup/2"),
    ]
    args = served(pytester, server, items, {"acme": {}})
    listed = pytester.runpytest(*args, "--collect-only", "-q")
    assert [i.split("::")[-1] for i in collected_ids(listed)] == ["skipped", "dup", "dup (2)"]
    result = pytester.runpytest(*args, "-rs")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*skipped by pm.execution.skipRequest()*", "*not run: the run did not reach it*"])
    assert [s.target for s in server.seen] == ["/dup/1"]


def test_a_bad_report_option_is_a_usage_error(pytester) -> None:
    write_json(pytester.path / "c.json", collection([]))
    result = pytester.runpytest("--postman-collection", "c.json", "--postman-report", "xml=x")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--postman-report takes json=PATH or html=PATH, got 'xml=x'*"])

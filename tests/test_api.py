"""The Python API (runner.run, runner.check, Result): real collections, a real server on 127.0.0.1."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import runner
from runner.api import Options
from runner.cli import check_command, run_command
from tests.conftest import ROOT, collection, item, write_json

ZENDESK = ROOT / "collections" / "zendesk-support.postman_collection.json"
ACME = ROOT / "environments" / "acme.postman_environment.json"
STATUS_200 = "pm.test('is 200', () => pm.response.to.have.status(200))"


def env(server, **values: str) -> dict:
    entries = [{"key": "base", "value": server.url}] + [{"key": k, "value": v} for k, v in values.items()]
    return {"name": "acme", "values": entries}


def test_the_readme_example_runs_a_bundled_collection_offline() -> None:
    result = runner.run(ZENDESK, environment=ACME, mock=True)
    assert result.ok and result.exit_code == 0
    assert (result.stats.requests.total, result.stats.requests.failed) == (2, 0)
    assert (result.stats.assertions.total, result.stats.test_scripts.total) == (4, 2)
    assert result.stats.iterations.total == 1
    assert [t.name for t in result.tenants] == ["acme"]
    [first, second] = result.executions
    assert first.item.path == ["Support API", "Renew the current session"]
    assert first.tenant == "acme" and first.iteration == 0
    assert first.request.method == "GET" and first.request.url.startswith("https://acme.zendesk.com/")
    assert first.response.code == 200
    assert [a.name for a in first.assertions] == ["Status code is 200", "Returns an authenticity token"]
    assert second.item.name == "Show Session"


def test_a_failure_names_tenant_iteration_item_assertion_and_message(server) -> None:
    doc = collection(
        [{"name": "Folder", "item": [item("bad", "{{base}}/status/500", [STATUS_200])]}, item("ok", "{{base}}/ok")]
    )
    result = runner.run(doc, environment=env(server), iterations=2)
    assert not result.ok and result.exit_code == 1
    assert [(f.tenant, f.iteration, f.path, f.kind, f.title) for f in result.failures] == [
        ("acme", 0, "Folder / bad", "assertion", "is 200"),
        ("acme", 1, "Folder / bad", "assertion", "is 200"),
    ]
    assert result.failures[0].message == "expected response to have status code 200 but got 500"
    assert (result.stats.iterations.failed, result.stats.assertions.failed) == (0, 2)  # as Newman counts
    assert runner.run(doc, environment=env(server), suppress_exit_code=True).exit_code == 0


def test_reprs_are_short_and_never_hold_the_collection(server) -> None:
    big = [item(f"item {n}", "{{base}}/status/500", [STATUS_200]) for n in range(60)]
    result = runner.run(collection(big), environment=env(server))
    shown = {
        "failure": repr(result.failures[0]),
        "execution": repr(result.executions[0]),
        "item": repr(result.executions[0].item),
        "request": repr(result.executions[0].request),
        "response": repr(result.executions[0].response),
        "stats": repr(result.stats),
        "tenant": repr(result.tenants[0]),
        "result": repr(result),
        "collection": repr(runner.load_collection(ZENDESK)),
    }
    for name, text in shown.items():
        assert len(text) < 400, (name, text)
        assert "item 59" not in text or name == "result", (name, text)
    assert shown["failure"] == (
        "Failure(tenant='acme', iteration=0, item='item 0', assertion='is 200', "
        "message='expected response to have status code 200 but got 500')"
    )
    assert "500" in shown["execution"] and "'item 0'" in shown["execution"]


def test_dicts_for_collection_environment_globals_and_data(server) -> None:
    doc = collection([item("d", "{{base}}/d?row={{row}}&g={{g}}&e={{e}}")])
    result = runner.run(
        doc,
        environment=env(server, e="env"),
        globals={"values": [{"key": "g", "value": "glob"}]},
        data=[{"row": "1"}, {"row": "2"}],
    )
    assert result.ok
    assert [s.target for s in server.seen] == ["/d?row=1&g=glob&e=env", "/d?row=2&g=glob&e=env"]
    assert result.stats.iterations.total == 2


def test_env_vars_as_mapping_or_assignments_and_several_tenants(server, tmp_path: Path) -> None:
    doc = collection([item("t", "{{base}}/t/{{who}}")])
    write_json(tmp_path / "a.json", {"name": "a", "values": [{"key": "base", "value": server.url}]})
    write_json(tmp_path / "b.json", {"name": "b", "values": [{"key": "base", "value": server.url}]})
    result = runner.run(doc, env_dir=tmp_path, env_vars={"who": "x"}, parallel=1)
    assert [t.name for t in result.tenants] == ["a", "b"] and all(t.ok for t in result.tenants)
    result = runner.run(doc, environments=[tmp_path / "*.json"], env_vars=["who=y"], parallel=1)
    assert [s.target for s in server.seen] == ["/t/x", "/t/x", "/t/y", "/t/y"]


def test_bad_input_raises_input_error_with_file_and_pointer(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"info": {"name": "x"}, "item": [')
    with pytest.raises(runner.InputError) as exc:
        runner.run(broken)
    assert exc.value.file == str(broken) and "line 1" in str(exc.value)
    with pytest.raises(runner.InputError) as exc:
        runner.run(collection([{"name": "x", "request": {"url": 42}}]))
    assert "<collection>" in str(exc.value) and "/item/0/request/url" in str(exc.value)
    with pytest.raises(runner.InputError) as exc:
        runner.run(collection([]), data=[{"a": 1}, "row"])
    assert (exc.value.file, exc.value.where) == ("<data>", "/1")
    with pytest.raises(runner.InputError) as exc:
        runner.run(collection([]), environment={"values": [{"value": 1}]})
    assert exc.value.where == "/values/0"
    with pytest.raises(runner.UsageError, match="Unable to find a folder or request: nope"):
        runner.run(collection([]), folders=["nope"])
    with pytest.raises(TypeError, match="environment must be a path or a loaded document"):
        runner.run(collection([]), environment=42)
    with pytest.raises(TypeError, match="unexpected keyword argument 'no_such_option'"):
        runner.run(collection([]), no_such_option=True)


def test_on_execution_streams_each_request_and_stop_run_ends_it_like_bail(server) -> None:
    doc = collection([item(name, f"{{{{base}}}}/{name}") for name in ("a", "b", "c")])
    seen: list[tuple[str, int]] = []

    def stream(ex: runner.Execution) -> None:
        seen.append((ex.item.name, len(server.seen)))  # called as each finishes, before the next is sent
        if ex.item.name == "b":
            raise runner.StopRun("enough")

    result = runner.run(doc, environment=env(server), on_execution=stream)
    assert seen == [("a", 1), ("b", 2)]
    assert [s.target for s in server.seen] == ["/a", "/b"]
    assert result.interrupted == "enough" and not result.ok and result.exit_code == 1


def test_secrets_are_masked_in_failures_executions_and_json(server) -> None:
    test = "pm.test('fails ' + pm.environment.get('key'), () => pm.expect(1).to.equal(2))"
    doc = collection([item("s", "{{base}}/echo-secret?k={{key}}", [test])])
    environment = env(server)
    environment["values"].append({"key": "key", "value": "hunter2-secret", "type": "secret"})
    result = runner.run(doc, environment=environment)
    ex = result.executions[0]
    report = json.dumps(result.to_json())
    for text in [repr(result.failures), result.failures[0].title, ex.request.url, ex.response.text(), report]:
        assert "hunter2-secret" not in text
    assert "***" in ex.response.text() and result.failures[0].title == "fails ***"
    assert result.mask("say hunter2-secret") == "say ***"


def test_to_json_is_the_json_reporters_document(server, tmp_path: Path) -> None:
    doc = collection([item("a", "{{base}}/a", [STATUS_200])])
    target = tmp_path / "out" / "report.json"
    result = runner.run(doc, environment=env(server), reporters=["json"], reporter_json_export=str(target))
    written = json.loads(target.read_text())
    built = result.to_json()
    assert built["run"]["stats"] == written["run"]["stats"]
    assert [e["item"]["name"] for e in built["run"]["executions"]] == ["a"]
    assert built["collection"]["info"]["name"] == "test collection"


def test_check_is_postrun_check_from_python(tmp_path: Path) -> None:
    doc = collection([item("a", "https://{{host}}/x?k={{key}}")])
    result = runner.check(doc, environment={"name": "t", "values": [{"key": "host", "value": "h"}]})
    assert not result.ok and result.exit_code == 1
    assert [(r.tenant, sorted(r.missing)) for r in result.reports] == [("t", ["key"])]
    assert "t: 1 variable left unresolved" in str(result)
    assert runner.check(doc, env_vars={"host": "h", "key": "k"}).ok


def test_every_cli_option_is_an_api_keyword() -> None:
    """The CLI hands its options to the API by name: an option the API does not know would break it."""
    named = set(inspect.signature(runner.run).parameters) - {"newman_options"}
    for param in run_command.params:
        if param.name not in named:
            Options.build({param.name: None})  # a TypeError names the option the API lacks
    accepted = set(inspect.signature(runner.check).parameters)
    assert {p.name for p in check_command.params} <= accepted


def test_importing_runner_stays_cheap() -> None:
    code = "import runner, sys; print(sorted(m for m in ('runner.engine', 'httpx', 'runner.api') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def readme_block(section: str, language: str, index: int = 0) -> str:
    """The index-th ```language block of the README section titled ``section``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return body.split(f"```{language}\n")[index + 1].split("```", 1)[0]


def test_the_readme_python_example_runs_as_written(monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(readme_block("Python API", "python"), "README.md", "exec"), {})  # noqa: S102
    lines = capsys.readouterr().out.splitlines()
    streamed = [f"{t} {name} 200" for t in ("acme", "globex") for name in ("Renew the current session", "Show Session")]
    assert sorted(lines[:4]) == streamed  # tenants run at once, each in its order
    assert lines[4].startswith("<Result passed: 4 requests (0 failed), 8 assertions (0 failed)")

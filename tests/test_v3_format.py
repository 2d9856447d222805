"""v3 collection folders (Postman v12's YAML): running them, their environments, and bad files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.collection import load_collection
from runner.errors import InputError
from runner.variables import load_scope_file
from tests.conftest import EchoServer


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


ACME = {
    ".resources/definition.yaml": """
        $kind: collection
        id: 6f1b1c6e-0000-4000-8000-000000000001
        name: Acme API
        variables:
          greeting: Off
        auth:
          - id: 3f0e7c0a-0000-4000-8000-000000000002
            type: bearer
            name: bearer auth
            credentials:
              token: "{{token}}"
        scripts:
          - type: http:beforeRequest
            code: pm.variables.set("fromCollection", "yes")
    """,
    # Listed first by name, runs last by order.
    "Alpha.request.yaml": """
        $kind: http-request
        url: "{{base}}/alpha?since=2024-05-27T14:00:00.553Z"
        method: GET
        order: 3000
    """,
    "Users/.resources/definition.yaml": """
        $kind: collection
        name: "Users: admin"
        order: 1000
        scripts:
          - type: http:afterResponse
            code: pm.test("folder test", () => pm.response.to.have.status(200));
    """,
    "Users/Create user.request.yaml": """
        $kind: http-request
        name: "Create user?"
        url: "{{base}}/users/:id?verbose=1"
        method: POST
        headers:
          - key: X-Greeting
            value: "{{greeting}}"
          - key: X-Off
            value: disabled
            disabled: true
        queryParams:
          - key: verbose
            value: "1"
          - key: debug
            value: "true"
            disabled: true
        pathVariables:
          id: "42"
        body:
          type: json
          content: |-
            {"name": "{{fromCollection}}"}
        scripts:
          - type: beforeRequest
            code: pm.variables.set("pre", "ran")
          - type: afterResponse
            code: |-
              pm.test("created", () => {
                pm.expect(pm.response.json().body).to.include("yes");
              });
        examples: ./.resources/Create user.resources/examples
        order: 2000
    """,
    "Users/.resources/Create user.resources/examples/Created.example.yaml": """
        $kind: http-example
        request:
          url: "{{base}}/users/:id"
          method: POST
        response:
          statusCode: 201
          statusText: Created
          headers:
            Content-Type: application/json
          body:
            type: json
            content: '{"id": 42}'
        order: 1000
    """,
    "Users/List users.request.yaml": """
        $kind: http-request
        url: "{{base}}/users"
        method: GET
        auth:
          type: noauth
        body:
          type: urlencoded
          content:
            a: "1"
            b: Off
        order: 1000
    """,
    "Login.request.yaml": """
        $kind: http-request
        url: "{{base}}/login"
        method: POST
        body:
          type: text
          content: plain words
        order: 2000
    """,
}


@pytest.fixture
def acme(tmp_path: Path, server: EchoServer) -> tuple[Path, Path]:
    root = write(tmp_path / "Acme", ACME)
    env = (
        write(
            tmp_path,
            {
                "acme.environment.yaml": f"""
                name: acme
                values:
                  - key: base
                    value: {server.url}
                    enabled: true
                    type: default
                  - key: token
                    value: s3cr3t-token
                    enabled: true
                    type: secret
            """
            },
        )
        / "acme.environment.yaml"
    )
    return root, env


def test_a_v3_folder_loads_in_order_with_names_and_examples(acme):
    root, _env = acme
    collection = load_collection(root)
    assert collection.name == "Acme API"
    assert [i.path for i in collection.items()] == [
        ["Users: admin", "List users"],
        ["Users: admin", "Create user?"],
        ["Login"],
        ["Alpha"],
    ]
    create = next(i for i in collection.items() if i.name == "Create user?")
    assert [r["name"] for r in create.responses] == ["Created"]
    assert create.responses[0]["code"] == 201
    assert [s.listen for s in create.events] == ["prerequest", "test"]
    assert collection.auth == {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]}
    assert collection.variables == [{"key": "greeting", "value": "Off"}]  # YAML 1.2: Off is a string


def test_a_v3_folder_runs_and_sends_what_it_says(acme, server: EchoServer, tmp_path: Path):
    root, env = acme
    report = tmp_path / "report.json"
    result = cli("run", str(root), "-e", str(env), "-r", "json", "--reporter-json-export", str(report))
    assert result.exit_code == 0, result.output
    seen = {s.target.split("?")[0]: s for s in server.seen}
    create = seen["/users/42"]
    assert create.target == "/users/42?verbose=1"  # the disabled query param stays out
    assert create.header("X-Greeting") == "Off"
    assert create.header("X-Off") is None
    assert create.header("Content-Type") == "application/json"
    assert create.header("Authorization") == "Bearer s3cr3t-token"
    assert json.loads(create.body) == {"name": "yes"}
    listing = seen["/users"]
    assert listing.header("Authorization") is None  # noauth on the request
    assert listing.body == b"a=1&b=Off"
    # A timestamp in the URL stays the text it was, not a date.
    assert seen["/alpha"].target == "/alpha?since=2024-05-27T14:00:00.553Z"
    assert seen["/login"].body == b"plain words" and seen["/login"].header("Content-Type") == "text/plain"
    doc = json.loads(report.read_text())
    names = [a["assertion"] for e in doc["run"]["executions"] for a in e.get("assertions", [])]
    assert names.count("folder test") == 2 and "created" in names
    assert "s3cr3t-token" not in report.read_text()  # the secret-typed env value is masked


def test_folder_selection_and_mock_work_on_a_v3_folder(acme, server: EchoServer):
    root, env = acme
    result = cli("run", str(root), "-e", str(env), "--folder", "Users: admin")
    assert result.exit_code == 0, result.output
    assert sorted(s.target.split("?")[0] for s in server.seen) == ["/users", "/users/42"]
    server.seen.clear()
    result = cli("run", str(root), "-e", str(env), "--mock", "--folder", "Create user?")
    assert "201 Created" in result.output, result.output  # answered from the saved example
    assert server.seen == []


def test_env_dir_takes_yaml_and_json_environments(acme, server: EchoServer, tmp_path: Path):
    root, env = acme
    envs = tmp_path / "envs"
    envs.mkdir()
    (envs / "acme.environment.yaml").write_text(env.read_text())
    (envs / "globex.postman_environment.json").write_text(
        json.dumps({"name": "globex", "values": [{"key": "base", "value": server.url}, {"key": "token", "value": "g"}]})
    )
    (envs / "notes.yaml").write_text("not: an environment\n")  # only *.environment.yaml counts
    result = cli("run", str(root), "--env-dir", str(envs), "--parallel", "1")
    assert result.exit_code == 0, result.output
    assert "acme" in result.output and "globex" in result.output
    assert len(server.seen) == 8


def test_environment_yaml_keeps_types_and_disabled_entries(tmp_path: Path):
    path = (
        write(
            tmp_path,
            {
                "t.environment.yaml": """
                name: t
                values:
                  - {key: mode, value: Off, enabled: true, type: default}
                  - {key: when, value: 2024-01-02, enabled: true}
                  - {key: gone, value: x, enabled: false}
                  - {key: pw, value: hunter2, enabled: true, type: secret}
            """
            },
        )
        / "t.environment.yaml"
    )
    scope = load_scope_file(path, "environment")
    assert scope.to_dict() == {"mode": "Off", "when": "2024-01-02", "pw": "hunter2"}
    assert scope.secret_keys() == {"pw"}


@pytest.mark.parametrize(
    ("files", "bad_file", "line", "words"),
    [
        ({"A.request.yaml": "$kind: http-request\nurl: [unclosed\n"}, "A.request.yaml", 3, "invalid YAML"),
        ({"A.request.yaml": "$kind: http-request\nurl: x\nurl: y\n"}, "A.request.yaml", 3, "duplicate key"),
        ({"A.request.yaml": "url: x\n$kind: websocket-requests\n"}, "A.request.yaml", 2, "unknown $kind"),
        (
            {".resources/definition.yaml": "name: c\n$kind: workspace\n", "A.request.yaml": "$kind: http-request\n"},
            ".resources/definition.yaml",
            2,
            "unknown $kind",
        ),
        (
            {"A.request.yaml": "$kind: http-request\nurl: x\nexamples: ./.resources/Nope.resources/examples\n"},
            "A.request.yaml",
            3,
            "broken reference",
        ),
        ({"A.request.yaml": "$kind: http-request\nbody:\n  type: binary\n"}, "A.request.yaml", 3, "body type"),
        ({"A.request.yaml": "$kind: http-request\nscripts:\n  - type: onTest\n"}, "A.request.yaml", 3, "script type"),
        ({"A.request.yaml": "$kind: http-request\nheaders: 5\n"}, "A.request.yaml", 2, "expected a mapping"),
    ],
)
def test_bad_v3_files_name_the_file_and_line_and_exit_2(tmp_path: Path, files, bad_file, line, words):
    root = write(tmp_path / "c", files)
    result = cli("run", str(root))
    assert result.exit_code == 2
    message = result.output.strip().splitlines()[-1]
    assert message.startswith(f"error: {root / bad_file}: line {line}"), message
    assert words in message
    assert "Traceback" not in result.output


def test_a_folder_that_is_not_a_v3_collection_is_a_clear_error(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="nor a v3 collection"):
        load_collection(tmp_path / "empty")
    bad_env = write(tmp_path, {"x.environment.yaml": "values: 7\n"}) / "x.environment.yaml"
    result = cli("run", str(write(tmp_path / "c", ACME)), "-e", str(bad_env))
    assert result.exit_code == 2 and f"{bad_env}: line 1" in result.output


def test_every_reporter_and_check_take_a_v3_folder(acme, tmp_path: Path):
    root, env = acme
    out = {ext: tmp_path / f"r.{ext}" for ext in ("json", "xml", "html")}
    result = cli(
        "run", str(root), "-e", str(env), "-r", "cli,json,junit,html",
        "--reporter-json-export", str(out["json"]),
        "--reporter-junit-export", str(out["xml"]),
        "--reporter-html-export", str(out["html"]),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out["json"].read_text())["collection"]["info"]["name"] == "Acme API"
    assert "Create user?" in out["xml"].read_text() and "Create user?" in out["html"].read_text()
    checked = cli("check", str(root), "-e", str(env))
    assert checked.exit_code == 0 and "every variable resolves" in checked.output

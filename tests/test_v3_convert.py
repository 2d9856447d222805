"""``postrun convert``: v2.1 -> v3 -> v2.1 keeps what v3 can hold, warns about the rest, and runs the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.collection import load_collection
from runner.v3.convert import convert
from runner.v3.writer import safe_name
from runner.v3.yamlio import load_yaml
from tests.conftest import CORPUS, SCHEMA, EchoServer
from tests.v3_parity import compare_runs

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "collections").glob("*.postman_collection.json"))


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


RICH = {
    "info": {"_postman_id": "0b3c", "name": "Rich: all/kinds", "schema": SCHEMA, "description": {"content": "d"}},
    "variable": [{"key": "base", "value": "http://h"}, {"key": "off", "value": "Off"}, {"key": "n", "value": 5}],
    "auth": {"type": "basic", "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "p"}]},
    "event": [{"listen": "prerequest", "script": {"exec": ["pm.variables.set('c', 'yes');"]}}],
    "item": [
        {
            "name": "Folder: one",
            "auth": {"type": "noauth"},
            "protocolProfileBehavior": {"followRedirects": False},
            "event": [{"listen": "test", "script": {"exec": ["pm.test('folder', () => {});"]}}],
            "item": [
                {
                    "name": "Create",
                    "id": "i-1",
                    "request": {
                        "method": "POST",
                        "header": [{"key": "A", "value": "1"}, {"key": "B", "value": "2", "disabled": True}],
                        "url": {
                            "raw": "{{base}}/p/:id?q=1&r=2",
                            "host": ["{{base}}"],
                            "path": ["p", ":id"],
                            "query": [{"key": "q", "value": "1"}, {"key": "r", "value": "2", "disabled": True}],
                            "variable": [{"key": "id", "value": "7", "description": "the id"}],
                        },
                        "body": {"mode": "raw", "raw": '{"c": "{{c}}"}', "options": {"raw": {"language": "json"}}},
                    },
                    "event": [{"listen": "test", "script": {"exec": ["pm.test('ok', () => pm.response.to.be.ok);"]}}],
                    "response": [
                        {
                            "name": "Made",
                            "originalRequest": {"method": "POST", "url": "{{base}}/p/7"},
                            "code": 201,
                            "status": "Created",
                            "_postman_previewlanguage": "json",
                            "header": [{"key": "Content-Type", "value": "application/json"}],
                            "body": '{"id": 7}',
                        }
                    ],
                },
                {
                    "name": "Create",  # the same name again: a file of its own
                    "request": {
                        "method": "PUT",
                        "url": "{{base}}/form",
                        "body": {
                            "mode": "formdata",
                            "formdata": [
                                {"key": "t", "value": "v", "type": "text"},
                                {"key": "off", "value": "w", "type": "text", "disabled": True},
                            ],
                        },
                    },
                },
                {
                    "name": "encode",
                    "request": {
                        "method": "POST",
                        "url": "{{base}}/enc",
                        "body": {
                            "mode": "urlencoded",
                            "urlencoded": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}],
                        },
                        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "tok"}]},
                    },
                    "protocolProfileBehavior": {"disabledSystemHeaders": {"accept-encoding": True}},
                },
            ],
        },
        {
            "name": "Query",
            "request": {
                "method": "POST",
                "url": "{{base}}/graphql",
                "body": {"mode": "graphql", "graphql": {"query": "{ me }", "variables": '{"x": 1}'}},
            },
        },
        {
            "name": "Plain text",
            "request": {"method": "POST", "url": "{{base}}/t", "body": {"mode": "raw", "raw": "hi"}},
        },
        {
            "name": "Get with body",
            "request": {"method": "GET", "url": "{{base}}/g", "body": {"mode": "raw", "raw": "{}"}},
            "protocolProfileBehavior": {"disableBodyPruning": True},
        },
    ],
}


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    path = tmp_path / "rich.json"
    path.write_text(json.dumps(RICH))
    return path


def test_v2_1_to_v3_to_v2_1_runs_the_same(rich: Path, tmp_path: Path, server: EchoServer):
    v3, back = tmp_path / "v3", tmp_path / "back.json"
    convert(str(rich), "v3", str(v3))
    convert(str(v3), "v2.1", str(back))
    assert compare_runs(rich, v3, server) == []
    assert compare_runs(rich, back, server) == []
    first, again = load_collection(rich), load_collection(back)
    assert [i.path for i in again.items()] == [i.path for i in first.items()]
    assert [i.id for i in again.items()][0] == "i-1"
    create = next(again.items())
    assert create.request["header"] == [{"key": "A", "value": "1"}, {"key": "B", "value": "2", "disabled": True}]
    assert create.request["url"]["query"][1] == {"key": "r", "value": "2", "disabled": True}
    assert create.request["url"]["variable"] == [{"key": "id", "value": "7", "description": "the id"}]
    assert create.responses[0]["code"] == 201 and create.responses[0]["body"] == '{"id": 7}'
    assert again.variables[1:] == [{"key": "off", "value": "Off"}, {"key": "n", "value": 5}]
    assert again.doc["item"][0]["protocolProfileBehavior"] == {"followRedirects": False}  # a folder's settings


def test_the_v3_files_follow_postmans_layout(rich: Path, tmp_path: Path):
    v3 = tmp_path / "v3"
    convert(str(rich), "v3", str(v3))
    files = set(tree(v3))
    assert files == {
        ".resources/definition.yaml",
        "Folder- one/.resources/definition.yaml",
        "Folder- one/Create.request.yaml",
        "Folder- one/Create 1.request.yaml",
        "Folder- one/.resources/Create.resources/examples/Made.example.yaml",
        "Folder- one/encode.request.yaml",
        "Query.request.yaml",
        "Plain text.request.yaml",
        "Get with body.request.yaml",
    }
    folder = load_yaml(v3 / "Folder- one/.resources/definition.yaml")
    assert folder["name"] == "Folder: one" and folder["order"] == 1000
    assert folder["auth"] == [{"id": "", "type": "noauth", "name": "No Auth"}]
    create = load_yaml(v3 / "Folder- one/Create.request.yaml")
    assert create["headers"] == [{"key": "A", "value": "1"}, {"key": "B", "value": "2", "disabled": True}]
    assert create["pathVariables"] == [{"key": "id", "value": "7", "description": "the id"}]
    assert create["body"] == {"type": "json", "content": '{"c": "{{c}}"}'}
    assert create["scripts"] == [{"type": "afterResponse", "code": "pm.test('ok', () => pm.response.to.be.ok);"}]
    assert create["examples"] == "./.resources/Create.resources/examples"
    assert load_yaml(v3 / "Folder- one/Create 1.request.yaml")["name"] == "Create"
    query = load_yaml(v3 / "Query.request.yaml")
    assert query["$kind"] == "graphql-request" and query["query"] == "{ me }"
    encode = load_yaml(v3 / "Folder- one/encode.request.yaml")
    assert encode["settings"] == {"disabledSystemHeaders": ["accept-encoding"]}
    assert encode["auth"] == {"type": "bearer", "credentials": {"token": "tok"}}
    root = load_yaml(v3 / ".resources/definition.yaml")
    assert root["scripts"][0]["type"] == "http:beforeRequest"
    assert root["variables"] == {"base": "http://h", "off": "Off", "n": 5}
    assert "off: Off" in (v3 / ".resources/definition.yaml").read_text()  # YAML 1.2: no quotes needed


def test_what_v3_cannot_hold_is_a_warning_naming_the_item(tmp_path: Path):
    doc = {
        "info": {"name": "lossy", "schema": SCHEMA},
        "item": [
            {
                "name": "pruned",
                "request": {"method": "GET", "url": "http://h/", "body": {"mode": "raw", "raw": "x"}},
                "protocolProfileBehavior": {"disableBodyPruning": True},
            },
            {
                "name": "gql get",
                "request": {"method": "GET", "url": "http://h/", "body": {"mode": "graphql", "graphql": {}}},
            },
            {
                "name": "gql off",
                "request": {
                    "method": "POST",
                    "url": {
                        "raw": "http://h/?a=1",
                        "host": ["h"],
                        "query": [{"key": "b", "value": "2", "disabled": True}],
                    },
                    "body": {"mode": "graphql", "graphql": {"query": "{a}"}},
                },
            },
            {"name": "own vars", "variable": [{"key": "k", "value": "v"}], "request": {"url": "http://h/"}},
            {
                "name": "off script",
                "event": [{"listen": "test", "disabled": True, "script": {"exec": ["1"]}}],
                "request": {"url": "http://h/"},
            },
        ],
    }
    src = tmp_path / "lossy.json"
    src.write_text(json.dumps(doc))
    result = cli("convert", str(src), "--to", "v3", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert any("'pruned'" in w and "disableBodyPruning" in w for w in warnings)
    assert any("'gql get'" in w and "POST" in w for w in warnings)
    assert any("'gql off'" in w and "disabled query params" in w for w in warnings)
    assert any("'own vars'" in w and "variables" in w for w in warnings)
    assert any("'off script'" in w and "disabled" in w for w in warnings)


def test_environments_convert_both_ways(tmp_path: Path):
    src = ROOT / "environments" / "acme.postman_environment.json"
    yaml_env, back = tmp_path / "acme.environment.yaml", tmp_path / "acme.json"
    assert cli("convert", str(src), "--to", "v3", "-o", str(yaml_env)).exit_code == 0
    assert cli("convert", str(yaml_env), "--to", "v2.1", "-o", str(back)).exit_code == 0
    original = json.loads(src.read_text())
    converted = json.loads(back.read_text())
    assert converted["name"] == original["name"]
    assert [(v["key"], v["value"], v.get("type", "default")) for v in converted["values"]] == [
        (v["key"], v["value"], v.get("type", "default")) for v in original["values"]
    ]


def test_convert_refuses_to_overwrite_what_is_not_a_v3_folder(rich: Path, tmp_path: Path):
    target = tmp_path / "precious"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = cli("convert", str(rich), "--to", "v3", "-o", str(target))
    assert result.exit_code == 2 and "not a v3 collection" in result.output
    assert (target / "notes.txt").read_text() == "keep me"
    # An earlier conversion is replaced whole: files of removed items do not linger.
    out = tmp_path / "v3"
    convert(str(rich), "v3", str(out))
    (out / "Stale.request.yaml").write_text("$kind: http-request\n")
    convert(str(rich), "v3", str(out))
    assert not (out / "Stale.request.yaml").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = cli("convert", str(bad), "--to", "v3", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "line 1, column 2" in result.output


def test_file_names_replace_what_file_systems_refuse():
    assert safe_name('a/b\\c:d*e?f"g<h>i|j', "x") == "a-b-c-d-e-f-g-h-i-j"
    assert safe_name("Login: <step> 2", "x") == "Login- -step- 2"
    assert safe_name("", "New Request") == "New Request"
    assert safe_name(".hidden", "x") == "-hidden"


@pytest.mark.parametrize("source", BUNDLED, ids=lambda p: p.name)
def test_the_bundled_v3_examples_are_the_converters_output_and_run_the_same(
    source: Path, tmp_path: Path, server: EchoServer
):
    bundled = ROOT / "collections" / source.name.removesuffix(".postman_collection.json")
    fresh = tmp_path / "fresh"
    convert(str(source), "v3", str(fresh))
    assert tree(bundled) == tree(fresh), "regenerate collections/ with postrun convert"
    env = ROOT / "environments" / "acme.postman_environment.json"
    assert compare_runs(source, bundled, server, env) == []


CORPUS_ROUND_TRIP = [
    "zendesk/Zendesk.postman_collection.json",
    "postman-newman-samples/disabled-and-duplicates.postman_collection.json",
    "wise/Cards API.postman_collection.json",
    "brightspace/Quizzes.postman_collection.json",
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus is not here")
@pytest.mark.parametrize("name", CORPUS_ROUND_TRIP)
def test_corpus_collections_round_trip_and_run_the_same(name: str, tmp_path: Path, server: EchoServer):
    source = CORPUS / name
    v3, back = tmp_path / "v3", tmp_path / "back.json"
    convert(str(source), "v3", str(v3))
    convert(str(v3), "v2.1", str(back))
    assert compare_runs(source, v3, server) == []
    assert compare_runs(source, back, server) == []


def test_long_one_line_bodies_and_scripts_survive_the_yaml(tmp_path: Path):
    """A long line is never folded: ruamel's folding of a quoted scalar could split an escape (``\\ n``)."""
    body = json.dumps({"html": "<div>\n  <a href='x'>Terms</a>\n</div> " * 400, "tab": "\t", "cr": "a\r\nb"})
    script = "var s = '" + "x\\n y " * 900 + "';\n  pm.test('t', () => {});  \n\ttrailing tab\t"
    doc = {
        "info": {"name": "long", "schema": SCHEMA},
        "item": [
            {
                "name": "long",
                "request": {"method": "POST", "url": "http://h/", "body": {"mode": "raw", "raw": body}},
                "event": [{"listen": "test", "script": {"exec": script.split("\n")}}],
            }
        ],
    }
    src, v3 = tmp_path / "long.json", tmp_path / "v3"
    src.write_text(json.dumps(doc))
    convert(str(src), "v3", str(v3))
    item = next(load_collection(v3).items())
    assert item.request["body"]["raw"] == body
    assert item.events[0].source == script

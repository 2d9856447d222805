"""Environment, globals and iteration-data files, variable scopes and their precedence."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

import pytest

from runner.errors import InputError
from runner.resolver import Resolver
from runner.variables import (
    MISSING,
    Scopes,
    VariableScope,
    load_data_file,
    load_scope_file,
    parse_assignment,
)


def write_json(tmp_path: Path, doc: Any, name: str = "env.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def write_text(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- environment and globals files --------------------------------------------------------------------


def test_environment_file_as_postman_exports_it(tmp_path):
    doc = {
        "id": "env-id",
        "name": "Staging",
        "values": [
            {"key": "host", "value": "127.0.0.1", "enabled": True, "type": "default"},
            {"key": "token", "value": "s3cret", "enabled": True, "type": "secret"},
            {"key": "old", "value": "no", "enabled": False, "type": "default"},
            {"key": "gone", "value": "no", "disabled": True},
            {"key": "nothing", "value": None, "enabled": True},
            {"key": "count", "value": 3},
            {"key": "host", "value": "127.0.0.2", "enabled": True},  # duplicate: the last one wins
            {"key": "gone", "value": "back", "enabled": True},
        ],
        "_postman_variable_scope": "environment",
    }
    scope = load_scope_file(write_json(tmp_path, doc), "environment")
    assert (scope.name, scope.id) == ("Staging", "env-id")
    assert scope.get("host") == "127.0.0.2"
    assert scope.get("count") == 3 and scope.get("nothing") is None and scope.has("nothing")
    assert not scope.has("old") and scope.lookup("old") is MISSING  # enabled: false never resolves
    assert scope.get("gone") == "back"  # a disabled entry does not hide a later enabled one
    assert scope.secret_keys() == {"token"}
    assert scope.to_dict() == {
        "token": "s3cret",
        "nothing": None,
        "count": 3,
        "host": "127.0.0.2",
        "gone": "back",
    }
    assert len(scope) == 5


def test_disabled_entries_never_resolve_and_null_is_null(tmp_path):
    doc = {
        "name": "e",
        "values": [
            {"key": "a", "value": "from-env", "disabled": True},
            {"key": "b", "value": "from-env", "enabled": False},
            {"key": "n", "value": None},
        ],
    }
    env = load_scope_file(write_json(tmp_path, doc), "environment")
    collection = VariableScope("c", [{"key": "a", "value": "from-collection"}])
    resolver = Resolver(Scopes(VariableScope(), collection, env).lookup)
    assert resolver.resolve("{{a}} {{b}} {{n}}") == "from-collection {{b}} null"
    assert resolver.unresolved == {"b"}


def test_globals_file_may_be_a_bare_array(tmp_path):
    path = write_json(
        tmp_path, [{"key": "g", "value": "1", "enabled": True}, {"key": "h", "value": 2}], "globals.json"
    )
    scope = load_scope_file(path, "globals")
    assert scope.to_dict() == {"g": "1", "h": 2}
    assert scope.name == "globals.json"


def test_empty_and_minimal_scope_files(tmp_path):
    assert len(load_scope_file(write_json(tmp_path, {"name": "only a name"}), "environment")) == 0
    assert len(load_scope_file(write_json(tmp_path, []), "globals")) == 0
    scope = load_scope_file(
        write_json(tmp_path, {"values": [{"key": 7, "value": "numeric key"}]}), "environment"
    )
    assert scope.get("7") == "numeric key"


@pytest.mark.parametrize(
    ("doc", "where", "message"),
    [
        ("just text", "/", "an environment file must be an object with a 'values' array, or an array"),
        ({"values": None}, "/", "an environment file must be an object with a 'values' array"),
        ({"values": {"key": "a"}}, "/", "an environment file must be an object with a 'values' array"),
        ({"values": [{"key": "a", "value": 1}, "b"]}, "/values/1", "each variable must be an object"),
        ({"values": [{"value": 1}]}, "/values/0", "variable has no 'key'"),
    ],
)
def test_bad_environment_files_are_located(tmp_path, doc, where, message):
    path = write_json(tmp_path, doc)
    with pytest.raises(InputError) as info:
        load_scope_file(path, "environment")
    assert info.value.file == str(path) and info.value.where == where
    assert message in str(info.value)


def test_bad_globals_array_entry_is_located(tmp_path):
    path = write_json(tmp_path, [{"key": "a"}, 5], "globals.json")
    with pytest.raises(InputError, match=r"globals\.json: /1: each variable must be an object"):
        load_scope_file(path, "globals")
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=r"globals\.json: line 1, column 2: invalid JSON"):
        load_scope_file(path, "globals")


def test_scope_files_in_utf16_and_with_bom(tmp_path):
    text = json.dumps({"name": "Ümlaut", "values": [{"key": "k", "value": "ß"}]}, ensure_ascii=False)
    for i, data in enumerate(
        [
            codecs.BOM_UTF8 + text.encode(),
            codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
            codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        ]
    ):
        path = tmp_path / f"env{i}.json"
        path.write_bytes(data)
        scope = load_scope_file(path, "environment")
        assert (scope.name, scope.get("k")) == ("Ümlaut", "ß")


def test_export_gives_postmans_file_format_and_round_trips(tmp_path):
    doc = {
        "id": "e1",
        "name": "Env",
        "values": [
            {"key": "a", "value": "1", "type": "default", "enabled": True},
            {"key": "s", "value": "x", "type": "secret", "enabled": True},
            {"key": "off", "value": "y", "enabled": False},
            {"key": "n", "value": None},
        ],
    }
    scope = load_scope_file(write_json(tmp_path, doc), "environment")
    scope.set("a", "changed")
    scope.set("new", 5)
    scope.unset("n")
    assert scope.export("environment")["values"][1] == {"key": "s", "value": "", "type": "secret"}
    out = scope.export("environment", secrets=True)  # secret values only with --export-secrets
    assert set(out) == {
        "id",
        "name",
        "values",
        "_postman_variable_scope",
        "_postman_exported_at",
        "_postman_exported_using",
    }
    assert (out["id"], out["name"], out["_postman_variable_scope"]) == ("e1", "Env", "environment")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", out["_postman_exported_at"])
    assert out["_postman_exported_using"].startswith("postrun/")
    assert out["values"] == [
        {"key": "a", "value": "changed", "type": "any"},
        {"key": "s", "value": "x", "type": "secret"},
        {"key": "new", "value": 5, "type": "any"},
        {"key": "off", "value": "y", "type": "any", "enabled": False},
    ]
    again = load_scope_file(write_json(tmp_path, out, "exported.json"), "environment")
    assert again.to_dict() == scope.to_dict() and again.secret_keys() == {"s"} and not again.has("off")
    assert again.export("environment", secrets=True)["values"] == out["values"]
    assert VariableScope("g").export("globals")["_postman_variable_scope"] == "globals"


def test_scope_operations():
    scope = VariableScope("s", [{"key": "a", "value": 1, "type": "number"}, {"key": "b", "value": 2}])
    scope.set("a", 10)
    assert scope.export("environment")["values"][0]["type"] == "number"  # the type survives a set
    scope.set("b", "x", "string")
    assert [e["type"] for e in scope] == ["number", "string"]
    scope.replace_all({"b": "kept", "c": "new"})
    assert scope.to_dict() == {"b": "kept", "c": "new"}
    assert scope.get("missing", "default") == "default" and scope.lookup("missing") is MISSING
    scope.clear()
    assert len(scope) == 0 and scope.to_dict() == {}


def test_parse_assignment():
    assert parse_assignment("k=v", "--env-var") == ("k", "v")
    assert parse_assignment("url=http://h/?a=b", "--env-var") == ("url", "http://h/?a=b")
    assert parse_assignment("empty=", "--env-var") == ("empty", "")
    for bad in ("novalue", "=v", ""):
        with pytest.raises(InputError, match="--global-var: expected KEY=VALUE"):
            parse_assignment(bad, "--global-var")


# --- precedence ---------------------------------------------------------------------------------------


def test_precedence_local_data_environment_collection_globals():
    names = ["local", "data", "env", "coll", "glob"]

    def entries(level: int) -> list[dict[str, Any]]:
        # a scope defines its own name and the names of every higher scope, so each scope wins once
        return [{"key": name, "value": f"{names[level]}-value"} for name in names[: level + 1]]

    scopes = Scopes(
        VariableScope("g", entries(4)),
        VariableScope("c", entries(3)),
        VariableScope("e", entries(2)),
        data={e["key"]: e["value"] for e in entries(1)},
        local={e["key"]: e["value"] for e in entries(0)},
    )
    assert scopes.lookup("local") == "local-value"
    assert scopes.lookup("data") == "data-value"
    assert scopes.lookup("env") == "env-value"
    assert scopes.lookup("coll") == "coll-value"
    assert scopes.lookup("glob") == "glob-value"
    assert scopes.lookup("nowhere") is MISSING
    assert scopes.merged() == {name: f"{name}-value" for name in names}
    resolver = Resolver(scopes.lookup)
    assert resolver.resolve("{{glob}}|{{coll}}|{{env}}|{{data}}|{{local}}") == (
        "glob-value|coll-value|env-value|data-value|local-value"
    )


def test_disabled_entries_in_a_higher_scope_do_not_hide_lower_ones():
    scopes = Scopes(
        VariableScope("g", [{"key": "x", "value": "global"}]),
        VariableScope("c", [{"key": "x", "value": "collection", "disabled": True}]),
        VariableScope("e", [{"key": "x", "value": "environment", "enabled": False}]),
    )
    assert scopes.lookup("x") == "global"
    assert scopes.merged() == {"x": "global"}


def test_null_in_a_higher_scope_shadows_and_resolves_to_null():
    scopes = Scopes(
        VariableScope(),
        VariableScope("c", [{"key": "x", "value": "c"}]),
        VariableScope("e", [{"key": "x", "value": None}]),
        data={"d": None},
    )
    resolver = Resolver(scopes.lookup)
    assert resolver.resolve("{{x}}/{{d}}") == "null/null"


# --- iteration data -----------------------------------------------------------------------------------


def test_csv_with_quotes_commas_newlines_and_empty_cells(tmp_path):
    """What Newman 6.2's csv-parse gives for this text (measured with node)."""
    text = (
        'id,name,"note, quoted header",empty\r\n'
        '1,"Smith, John","line one\nline two",\r\n'
        '2,"say ""hi""",,\r\n'
        "\r\n"  # an empty line is a row with an empty first column
        "3,short\r\n"  # missing cells are undefined: the keys are absent
        '4, "after a space",plain text ,\r\n'  # blanks around a delimiter are trimmed
    )
    assert load_data_file(write_text(tmp_path, text)) == [
        {"id": 1, "name": "Smith, John", "note, quoted header": "line one\nline two", "empty": ""},
        {"id": 2, "name": 'say "hi"', "note, quoted header": "", "empty": ""},
        {"id": ""},
        {"id": 3, "name": "short"},
        {"id": 4, "name": "after a space", "note, quoted header": "plain text", "empty": ""},
    ]


def test_csv_unquoted_numbers_become_numbers_and_header_cells_are_trimmed(tmp_path):
    rows = load_data_file(write_text(tmp_path, ' a , b , c \n007,1.50,"12"\ntrue,,0x10\n-3,+7,1e3\n'))
    assert rows == [
        {"a": 7, "b": 1.5, "c": "12"},
        {"a": "true", "b": "", "c": 0},  # parseFloat("0x10") is 0, as in Newman
        {"a": -3, "b": 7, "c": 1000},
    ]


def test_csv_relaxed_quotes_as_newman(tmp_path):
    rows = load_data_file(write_text(tmp_path, 'a,b,c\n"foo" ,x"y"z, "q" \n1,2,3,4\n'))
    assert rows == [{"a": "foo", "b": 'x"y"z', "c": "q"}, {"a": 1, "b": 2, "c": 3}]  # extra values dropped


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_csv_with_bom_and_utf16(tmp_path, prefix, encoding):
    path = tmp_path / "data.csv"
    path.write_bytes(prefix + "name,city\nZoë,Zürich\n".encode(encoding))
    assert load_data_file(path) == [{"name": "Zoë", "city": "Zürich"}]


def test_csv_header_only_and_empty_file(tmp_path):
    assert load_data_file(write_text(tmp_path, "a,b\n")) == []
    assert load_data_file(write_text(tmp_path, "")) == []


def test_csv_cells_may_be_large(tmp_path):
    big = "x" * 300_000
    assert load_data_file(write_text(tmp_path, f'a\n"{big}"\n')) == [{"a": big}]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('a,b\n1,"never closed\n', "line 2", "invalid CSV: Quote Not Closed"),
        ('a,b\n"multi\nline",2\n"x"y,2\n', "line 4", "invalid CSV: Invalid Closing Quote"),
    ],
)
def test_bad_csv_is_a_located_input_error(tmp_path, text, where, message):
    path = write_text(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_data_file(path)
    assert info.value.file == str(path) and info.value.where == where and message in info.value.message


def test_json_data_file(tmp_path):
    rows = [{"a": 1, "b": "x", "nested": {"k": [1, 2]}}, {"a": None}, {}]
    assert load_data_file(write_json(tmp_path, rows, "data.json")) == rows
    # Detected by content too, whatever the extension; a BOM is fine.
    path = tmp_path / "data.txt"
    path.write_bytes(codecs.BOM_UTF8 + b'  [{"k": "v"}]')
    assert load_data_file(path) == [{"k": "v"}]


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ('{"a": 1}', "data.json", "data.json: /: a JSON data file must be an array of objects"),
        ("[1, 2]", "data.json", "data.json: /0: each row must be an object"),
        ('[{"a": 1}, "x"]', "rows.txt", "rows.txt: /1: each row must be an object"),
        ('[{"a": 1},\n {"b": }]', "data.json", "data.json: line 2, column 8: invalid JSON: Expecting value"),
        ("a,b\n1,2", "data.json", "data.json: line 1, column 1: invalid JSON"),
    ],
)
def test_bad_json_data_is_a_clear_input_error(tmp_path, content, name, expected):
    path = write_text(tmp_path, content, name)
    with pytest.raises(InputError) as info:
        load_data_file(path)
    assert str(info.value).startswith(f"{tmp_path}/{expected}")


def test_missing_data_file(tmp_path):
    with pytest.raises(InputError, match="data file not found"):
        load_data_file(tmp_path / "nope.csv")

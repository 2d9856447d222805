"""Loading collections: v2.1, v2.0 and v1 files, nesting, auth, events, variables, encodings, errors."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.collection import Folder, Item, build_collection, load_collection, normalize_headers
from runner.errors import InputError, InvalidCollection, PostrunError
from runner.request import definition, effective_auth, prepare
from runner.resolver import Resolver
from runner.variables import Scopes, VariableScope

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
V20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"


def write(tmp_path: Path, doc: Any, name: str = "c.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def coll(*items: Any, schema: str = V21, **top: Any) -> dict[str, Any]:
    return {"info": {"name": "test", "schema": schema}, "item": list(items), **top}


def req(name: str, url: Any = "http://127.0.0.1/x", **request: Any) -> dict[str, Any]:
    return {"name": name, "request": {"method": "GET", "url": url, **request}}


def items_by_name(folder: Folder) -> dict[str, Item]:
    return {item.name: item for item in folder.items()}


def sent(item: Item, **variables: Any) -> Any:
    scopes = Scopes(
        VariableScope(),
        VariableScope("c", [{"key": k, "value": v} for k, v in variables.items()]),
        VariableScope(),
    )
    return prepare(definition(item), Resolver(scopes.lookup))


# --- v2.1 ---------------------------------------------------------------------------------------------


def test_folders_nest_to_any_depth_in_collection_order(tmp_path):
    deep: dict[str, Any] = req("deepest")
    for level in range(8, 0, -1):
        deep = {"name": f"level{level}", "item": [deep]}
    doc = coll(
        req("first"),
        {"name": "A", "item": [req("a1"), {"name": "B", "item": [req("b1")]}, req("a2")]},
        deep,
        {"name": "empty", "item": []},
        req("last"),
    )
    c = load_collection(write(tmp_path, doc))
    assert [i.name for i in c.items()] == ["first", "a1", "b1", "a2", "deepest", "last"]
    assert [f.name for f in c.folders()] == ["A", "B", *[f"level{n}" for n in range(1, 9)], "empty"]
    names = items_by_name(c)
    assert names["b1"].path == ["A", "B", "b1"]
    assert names["b1"].pointer == "/item/1/item/1/item/0"
    assert names["deepest"].path == [*[f"level{n}" for n in range(1, 9)], "deepest"]
    assert names["deepest"].parent.parent.name == "level7"
    assert names["first"].parent is c and c.parent is None


def nested(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = req("leaf")
    for level in range(depth, 0, -1):
        node = {"name": f"f{level}", "item": [node]}
    return coll(node)


def test_hundreds_of_folder_levels_load_from_a_file(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(nested(450)), encoding="utf-8")  # about as deep as JSON parsing allows
    c = load_collection(path)
    [leaf] = list(c.items())
    assert len(leaf.path) == 451 and len(list(c.folders())) == 450
    assert sent(leaf).target.target == "/x"


def test_nesting_limits_are_input_errors(tmp_path):
    assert len(list(build_collection(nested(1000)).folders())) == 1000
    with pytest.raises(InputError, match="folders are nested more than 1000 levels deep"):
        build_collection(nested(1001), "deep.json")
    folders = [
        {"id": f"f{i}", "name": f"F{i}", "order": [], "folders_order": [f"f{i + 1}"] if i < 1500 else []}
        for i in range(1501)
    ]
    with pytest.raises(InputError, match="nested more than 1000 levels"):
        build_collection({"id": "c", "name": "v1", "folders": folders, "folders_order": ["f0"], "order": []})
    path = tmp_path / "brackets.json"
    path.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    with pytest.raises(InputError, match="brackets.json: line 1, column 1001: JSON nested too deeply to read"):
        load_collection(path)


def test_auth_at_collection_folder_and_request_is_inherited_nearest_first(tmp_path):
    bearer = {"type": "bearer", "bearer": [{"key": "token", "value": "{{tok}}"}]}
    basic = {"type": "basic", "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "p"}]}
    doc = coll(
        req("uses-collection"),
        {
            "name": "F",
            "auth": basic,
            "item": [
                req("uses-folder"),
                req("own-noauth", auth={"type": "noauth"}),
                req("null-auth", auth=None),
                {"name": "G", "item": [req("uses-folder-two-up")]},
            ],
        },
        auth=bearer,
    )
    c = load_collection(write(tmp_path, doc))
    names = items_by_name(c)
    assert effective_auth(names["uses-collection"])["type"] == "bearer"
    for name in ("uses-folder", "null-auth", "uses-folder-two-up"):
        assert effective_auth(names[name]) == basic, name
    assert effective_auth(names["own-noauth"]) == {"type": "noauth", "noauth": []}
    assert sent(names["uses-collection"], tok="T").header("Authorization") == "Bearer T"
    assert sent(names["uses-folder-two-up"]).header("Authorization") == "Basic dTpw"
    assert sent(names["own-noauth"]).header("Authorization") is None


def test_events_with_exec_as_list_or_one_string(tmp_path):
    doc = coll(
        {
            "name": "i",
            "request": {"method": "GET", "url": "http://127.0.0.1/"},
            "event": [
                {
                    "listen": "prerequest",
                    "script": {"type": "text/javascript", "exec": ["var a = 1;", "a++;"]},
                },
                {"listen": "test", "script": {"exec": "pm.test('one string', () => {});\nvar b;"}},
                {"listen": "test", "script": {"exec": ["// disabled"]}, "disabled": True},
                {"listen": "test", "script": {"exec": ["", "  "]}},
                {"listen": "test", "script": {"exec": ["line1\nline2"]}},
            ],
        },
        event=[{"listen": "prerequest", "script": {"exec": "console.log('collection')"}}],
    )
    c = load_collection(write(tmp_path, doc))
    item = next(c.items())
    assert [(s.listen, s.source) for s in item.events] == [
        ("prerequest", "var a = 1;\na++;"),
        ("test", "pm.test('one string', () => {});\nvar b;"),
        ("test", "line1\nline2"),
    ]
    assert [s.pointer for s in item.events] == ["/item/0/event/0", "/item/0/event/1", "/item/0/event/4"]
    assert item.events[0].owner == "i"
    assert [(s.owner, s.source) for s in c.events] == [("collection", "console.log('collection')")]


def test_collection_variables_an_id_without_key_uses_the_id(tmp_path):
    doc = coll(
        req("i"),
        variable=[
            {"key": "plain", "value": "p"},
            {"id": "byId", "value": "i", "type": "string"},
            {"id": "nullKey", "key": None, "value": "n"},
            {"id": "ignored-id", "key": "realKey", "value": "r"},
            {"key": "off", "value": "x", "disabled": True},
        ],
    )
    c = load_collection(write(tmp_path, doc))
    assert [v["key"] for v in c.variables] == ["plain", "byId", "nullKey", "realKey", "off"]
    scope = VariableScope("c", c.variables)
    assert scope.get("byId") == "i" and scope.get("nullKey") == "n" and scope.get("realKey") == "r"
    assert not scope.has("off") and not scope.has("ignored-id")


def test_saved_example_responses_stay_on_each_item(tmp_path):
    example = {
        "name": "ok",
        "originalRequest": {"method": "GET", "url": "http://127.0.0.1/x"},
        "code": 200,
        "status": "OK",
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "body": "{}",
    }
    doc = coll(
        {**req("with"), "response": [example, {**example, "name": "second", "code": 404}]},
        {"name": "F", "item": [{**req("nested"), "response": [example]}]},
        req("without"),
    )
    names = items_by_name(load_collection(write(tmp_path, doc)))
    assert [r["name"] for r in names["with"].responses] == ["ok", "second"]
    assert names["with"].responses[0] == example
    assert len(names["nested"].responses) == 1
    assert names["without"].responses == []


def test_request_details_are_normalised(tmp_path):
    doc = coll(
        {
            **req(
                "i",
                method="post",
                header="X-A: 1\n//X-Off: 2\nX-B: b:c\r\n continued\nno colon here",
                description="about i",
            ),
            "protocolProfileBehavior": {"disableBodyPruning": True},
        },
        {
            **req(
                "parts",
                url={"protocol": "https", "host": "api.example.com", "path": "/v1/users", "port": "8443"},
            ),
            "description": "on the item itself",
        },
    )
    names = items_by_name(load_collection(write(tmp_path, doc)))
    item = names["i"]
    assert item.request["method"] == "POST"
    assert item.request["header"] == [
        {"key": "X-A", "value": "1", "disabled": False},
        {"key": "X-Off", "value": "2", "disabled": True},
        {"key": "X-B", "value": "b:c continued", "disabled": False},
    ]
    assert item.description == "about i"
    assert item.protocol_profile == {"disableBodyPruning": True}
    assert item.request["url"]["host"] == ["127.0.0.1"] and item.request["url"]["path"] == ["x"]
    parts = names["parts"].request["url"]
    assert parts["host"] == ["api", "example", "com"] and parts["path"] == ["v1", "users"]
    assert str(sent(names["parts"]).target) == "https://api.example.com:8443/v1/users"
    assert names["parts"].description == "on the item itself"


def test_header_strings_as_postman_parses_them():
    assert normalize_headers("A: 1\r\nB:2\n// C : 3\n\n: novalue\nD") == [
        {"key": "A", "value": "1", "disabled": False},
        {"key": "B", "value": "2", "disabled": False},
        {"key": "C", "value": "3", "disabled": True},
    ]
    assert normalize_headers(None) == [] and normalize_headers([{"key": "K"}, "junk"]) == [{"key": "K"}]


# --- v2.0 ---------------------------------------------------------------------------------------------


def test_v2_0_auth_objects_and_plain_string_request_and_url(tmp_path):
    doc = coll(
        "placeholder",
        schema=V20,
        auth={"type": "bearer", "bearer": {"token": "{{tok}}"}},
    )
    doc["item"] = [
        {"name": "string-request", "request": "http://127.0.0.1:9/plain?q=1"},
        {
            "name": "string-url",
            "request": {
                "method": "PUT",
                "url": "http://127.0.0.1:9/s",
                "auth": {"type": "basic", "basic": {"username": "u", "password": "p"}},
            },
        },
        {
            "name": "apikey",
            "request": {
                "url": "http://127.0.0.1:9/k",
                "method": "GET",
                "auth": {"type": "apikey", "apikey": {"key": "X-Key", "value": "v"}},
            },
        },
        {
            "name": "segments",
            "request": {
                "method": "GET",
                "url": {
                    "raw": "http://127.0.0.1:9/a/b",
                    "protocol": "http",
                    "host": ["127", "0", "0", "1"],
                    "port": "9",
                    "path": [{"type": "string", "value": "a"}, "b"],
                },
            },
        },
    ]
    c = load_collection(write(tmp_path, doc))
    assert c.auth == {"type": "bearer", "bearer": [{"key": "token", "value": "{{tok}}"}]}
    names = items_by_name(c)
    assert names["string-request"].request["method"] == "GET"
    p = sent(names["string-request"], tok="T")
    assert (p.method, p.target.target, p.header("Authorization")) == ("GET", "/plain?q=1", "Bearer T")
    assert names["string-url"].auth == {
        "type": "basic",
        "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "p"}],
    }
    p = sent(names["string-url"])
    assert (p.method, p.target.target, p.header("Authorization")) == ("PUT", "/s", "Basic dTpw")
    assert sent(names["apikey"]).header("X-Key") == "v"
    assert sent(names["segments"]).target.target == "/a/b"


# --- v1 -----------------------------------------------------------------------------------------------


def v1_doc() -> dict[str, Any]:
    return {
        "id": "col-1",
        "name": "legacy",
        "description": "old format",
        "order": ["r-top"],
        "folders_order": ["f-outer", "f-inner"],  # f-inner is also a subfolder: it must appear only there
        "folders": [
            {
                "id": "f-outer",
                "name": "Outer",
                "order": ["r-raw"],
                "folders_order": ["f-inner"],
                "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "folder-token"}]},
            },
            {
                "id": "f-inner",
                "name": "Inner",
                "order": ["r-form", "r-bin"],
                "folders_order": [],
                "description": "inner folder",
            },
        ],
        "variables": [{"key": "host", "value": "127.0.0.1:9"}, {"id": "byid", "value": "x", "type": "text"}],
        "requests": [
            {
                "id": "r-top",
                "name": "Top",
                "method": "get",
                "url": "http://{{host}}/users/:id/:other?fromurl=1",
                "pathVariables": {"id": "42", "other": "o"},
                "pathVariableData": [{"key": "other", "value": "preferred"}],
                "headers": "Accept: application/json\n// X-Off: 1\n",
                "tests": "tests['ok'] = true;\nvar x;",
                "preRequestScript": "var pre = 1;",
                "events": [{"listen": "test", "script": {"exec": "ignored: the legacy scripts win"}}],
                "currentHelper": "basicAuth",
                "helperAttributes": {
                    "id": "basic",
                    "username": "user",
                    "password": "pw",
                    "saveToRequest": True,
                },
                "description": "top request",
                "responses": [
                    {
                        "id": "resp-1",
                        "name": "Saved",
                        "responseCode": {"code": 201, "name": "Created"},
                        "headers": [{"key": "X", "value": "1"}],
                        "text": '{"ok":true}',
                        "time": 12,
                        "requestObject": "r-top",
                    },
                ],
            },
            {
                "id": "r-raw",
                "name": "Raw",
                "method": "POST",
                "url": "http://{{host}}/raw",
                "queryParams": [
                    {"key": "q", "value": "1", "enabled": True},
                    {"key": "off", "value": "2", "enabled": False},
                    {"key": "flag", "value": None, "equals": False},
                ],
                "headerData": [
                    {"key": "X-Data", "value": "d", "enabled": True},
                    {"key": "X-Gone", "value": "g", "enabled": False},
                ],
                "headers": "X-Data: d\nX-Gone: g\nX-Extra: e",
                "dataMode": "raw",
                "rawModeData": '{"a": 1}',
                "dataOptions": {"raw": {"language": "json"}},
                "events": [{"listen": "prerequest", "script": {"exec": "var raw = 1;\nraw++;"}}],
            },
            {
                "id": "r-form",
                "name": "Form",
                "method": "POST",
                "url": "http://{{host}}/form",
                "dataMode": "params",
                "data": [
                    {"key": "text", "value": "t", "type": "text", "enabled": True},
                    {"key": "upload", "value": "up.txt", "type": "file", "enabled": True},
                    {"key": "skipped", "value": "s", "type": "text", "enabled": False},
                    {"value": "no key"},
                ],
                "events": [{"script": {"exec": "pm.test('v1 events');\nvar e;"}}],
                "currentHelper": "bearerAuth",
                "helperAttributes": '{"token": "helper-token"}',
            },
            {
                "id": "r-bin",
                "name": "Binary",
                "method": "PUT",
                "url": "http://{{host}}/bin",
                "dataMode": "binary",
                "rawModeData": "body.bin",
                "currentHelper": "normal",
            },
            {"id": "r-orphan", "name": "Not in any order", "url": "http://{{host}}/never"},
        ],
    }


def test_v1_collection_is_converted_as_the_transformer_does(tmp_path):
    (tmp_path / "up.txt").write_text("UPLOAD")
    (tmp_path / "body.bin").write_bytes(b"\x00\x01")
    c = load_collection(write(tmp_path, v1_doc()))
    assert c.id == "col-1" and c.name == "legacy" and c.description == "old format"
    assert [(type(n).__name__, n.name) for n in c.children] == [("Folder", "Outer"), ("Item", "Top")]
    assert [i.name for i in c.items()] == ["Form", "Binary", "Raw", "Top"]  # subfolders before requests
    assert [f.name for f in c.folders()] == ["Outer", "Inner"]
    assert c.variables[0] == {"key": "host", "value": "127.0.0.1:9"}
    assert c.variables[1]["key"] == "byid" and c.variables[1]["type"] == "string"
    names = items_by_name(c)
    scopes = Scopes(VariableScope(), VariableScope("c", c.variables), VariableScope())

    def send(name: str) -> Any:
        return prepare(definition(names[name]), Resolver(scopes.lookup), working_dir=str(tmp_path))

    top = names["Top"]
    assert top.request["method"] == "GET" and top.description == "top request"
    assert [(s.listen, s.source) for s in top.events] == [
        ("test", "tests['ok'] = true;\nvar x;"),
        ("prerequest", "var pre = 1;"),
    ]
    p = send("Top")
    assert p.target.target == "/users/42/preferred?fromurl=1"
    assert p.header("Accept") == "application/json" and p.header("X-Off") is None
    assert p.header("Authorization") == "Basic dXNlcjpwdw=="
    assert top.auth["basic"][-1] == {"key": "saveHelperData", "value": True}
    [saved] = top.responses
    assert (saved["name"], saved["code"], saved["status"], saved["body"]) == (
        "Saved",
        201,
        "Created",
        '{"ok":true}',
    )
    assert saved["header"] == [{"key": "X", "value": "1"}] and saved["responseTime"] == 12
    assert saved["originalRequest"]["method"] == "get"

    raw = names["Raw"]
    assert [(s.listen, s.source) for s in raw.events] == [("prerequest", "var raw = 1;\nraw++;")]
    p = send("Raw")
    assert p.target.target == "/raw?q=1&flag"
    assert p.body == b'{"a": 1}' and p.header("Content-Type") == "application/json"
    assert [(k, v) for k, v in p.headers if k.startswith("X-")] == [("X-Data", "d"), ("X-Extra", "e")]
    assert p.header("Authorization") == "Bearer folder-token"  # inherited from the Outer folder

    form = names["Form"]
    assert [(s.listen, s.source) for s in form.events] == [("test", "pm.test('v1 events');\nvar e;")]
    fields = form.request["body"]["formdata"]
    assert [f["key"] for f in fields] == ["text", "upload", "skipped"]
    assert fields[1]["src"] == "up.txt" and "value" not in fields[1] and fields[2]["disabled"] is True
    p = send("Form")
    assert b'name="text"\r\n\r\nt\r\n' in p.body and b"UPLOAD" in p.body and b"skipped" not in p.body
    assert p.header("Authorization") == "Bearer helper-token"
    assert form.parent.description == "inner folder"

    p = send("Binary")
    assert (p.method, p.body) == ("PUT", b"\x00\x01")
    assert p.header("Authorization") == "Bearer folder-token"  # "normal" helper means no own auth


def test_v1_body_modes_without_data_mode_are_inferred():
    doc = {
        "id": "c",
        "name": "n",
        "order": ["a", "b", "c"],
        "requests": [
            {
                "id": "a",
                "name": "a",
                "url": "http://127.0.0.1/a",
                "method": "POST",
                "rawModeData": "text body",
            },
            {
                "id": "b",
                "name": "b",
                "url": "http://127.0.0.1/b",
                "method": "POST",
                "data": [{"key": "k", "value": "v"}],
            },
            {
                "id": "c",
                "name": "c",
                "url": "http://127.0.0.1/c",
                "method": "POST",
                "data": [],
                "rawModeData": "",
            },
        ],
    }
    names = items_by_name(build_collection(doc, "v1.json"))
    assert names["a"].request["body"] == {"mode": "raw", "raw": "text body"}
    assert names["b"].request["body"] == {"mode": "formdata", "formdata": [{"key": "k", "value": "v"}]}
    assert "body" not in names["c"].request


# --- validation and file problems ---------------------------------------------------------------------


def test_invalid_collection_lists_one_line_per_problem(tmp_path):
    doc = coll(
        req("a"), req("b"), req("c"), req("d", url=5), {"name": "F", "item": [{"name": "x", "request": 7}]}
    )
    path = write(tmp_path, doc)
    with pytest.raises(InvalidCollection) as info:
        load_collection(path)
    err = info.value
    assert isinstance(err, InputError) and isinstance(err, PostrunError)
    lines = str(err).splitlines()
    assert len(lines) == len(err.problems) >= 2
    assert lines[0].startswith(f"{path}: /item/3/request/url: ")
    assert any(line.startswith(f"{path}: /item/4/item/0/request: ") for line in lines)
    assert all(line.startswith(f"{path}: /") for line in lines)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "a collection must be a JSON object, not an array"),
        ("text", "a collection must be a JSON object, not a string"),
        ({"values": []}, "environment or globals file"),
        ({"info": {"name": "n", "schema": V21}, "item": []}, None),
    ],
)
def test_documents_that_are_not_collections(tmp_path, payload, message):
    path = write(tmp_path, payload)
    if message is None:
        assert list(load_collection(path).items()) == []
        return
    with pytest.raises(InputError) as info:
        load_collection(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_utf8_bom_and_utf16_files_load(tmp_path, encode):
    text = json.dumps(coll(req("Grüße 😀", url="http://127.0.0.1/ü")), ensure_ascii=False, indent=2)
    path = tmp_path / "c.json"
    path.write_bytes(encode(text))
    c = load_collection(path)
    item = next(c.items())
    assert item.name == "Grüße 😀"
    assert sent(item).target.target == "/%C3%BC"


def test_broken_json_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "info": {"name": "x"},\n  "item": [,]\n}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_collection(path)
    assert info.value.where == "line 3, column 12"
    assert str(info.value) == f"{path}: line 3, column 12: invalid JSON: Expecting value"
    # The same position with a BOM in front, and in UTF-16: columns count characters, not bytes.
    text = '{\n  "näme": 1,\n  "x": ]\n}'
    for data in (codecs.BOM_UTF8 + text.encode(), codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        path.write_bytes(data)
        with pytest.raises(InputError, match=r"line 3, column 8: invalid JSON"):
            load_collection(path)


def test_unreadable_inputs_are_input_errors(tmp_path):
    cases = {
        tmp_path / "missing.json": "collection not found",
        tmp_path: "collection is a directory, not a file",
    }
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"info": {"name": "caf\xe9"}}')
    cases[latin1] = "not UTF-8 or UTF-16 text"
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    cases[empty] = "line 1, column 1: invalid JSON"
    for path, message in cases.items():
        with pytest.raises(InputError) as info:
            load_collection(path)
        assert str(info.value).startswith(f"{path}: ") and message in str(info.value), str(info.value)


def test_cli_reports_bad_input_without_a_traceback(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"info": {"name": "x"}, "item": [}', encoding="utf-8")
    good = write(tmp_path, coll(), "good.json")
    bad_env = tmp_path / "env.json"
    bad_env.write_text('{"values": [{"key": "a"}, 3]}', encoding="utf-8")
    bad_data = tmp_path / "data.csv"
    bad_data.write_text('a,b\n1,"unclosed\n', encoding="utf-8")
    runs = {
        (str(broken),): f"error: {broken}: line 1, column 34: invalid JSON",
        (str(good), "-e", str(bad_env)): f"error: {bad_env}: /values/1: each variable must be an object",
        (str(good), "-d", str(bad_data)): f"error: {bad_data}: line 2: invalid CSV",
    }
    for args, expected in runs.items():
        result = CliRunner().invoke(main, ["run", *args])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert expected in result.stderr
        assert "Traceback" not in result.output + result.stderr

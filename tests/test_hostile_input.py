"""Hostile input files: each case is the input that once ended in a traceback or a hang.

Every case must end as a clear exit-2 error that names the file and the place (a JSON pointer, or a
line and column), or as a request error on one item while the run goes on.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import collection, item, write_json

from runner.cli import main
from runner.files import MAX_JSON_DEPTH

BIG = "1" * 5000
# "file: /pointer: message" or "file: line L, column C: message"
LOCATED = re.compile(r"error: .+?: (/[^:]*|line \d+(, column \d+)?): .+")


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback: {result.exception!r}") from result.exception
    return result


def assert_located(result: Any, fragment: str) -> None:
    assert result.exit_code == 2, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("error: "))
    assert LOCATED.fullmatch(line), line
    assert fragment in line, line


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ok_collection(tmp_path: Path, url: str) -> Path:
    return write_json(tmp_path / "ok.json", collection([item("a", url + "/get")]))


# --- located exit-2 errors -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["collection", "environment", "globals", "data"])
def test_a_5000_digit_number_is_a_located_error(tmp_path, server, kind):
    coll = ok_collection(tmp_path, server.url)
    if kind == "collection":
        text = '{"info": {"name": "x", "schema": "%s"}, "item": [],\n "variable": [{"key": "a", "value": %s}]}'
        path = write_text(tmp_path / "c.json", text % (collection([])["info"]["schema"], BIG))
        result = invoke("run", str(path))
        assert_located(result, "line 2, column 37: number too large: 5000 digits")
        return
    if kind == "data":
        path = write_text(tmp_path / "d.json", '[{"a": ' + BIG + "}]")
        result = invoke("run", str(coll), "-d", str(path))
    else:
        path = write_text(tmp_path / "v.json", '{"values": [{"key": "a", "value": ' + BIG + "}]}")
        result = invoke("run", str(coll), "-e" if kind == "environment" else "-g", str(path))
    assert_located(result, "number too large")


def test_json_nested_too_deeply_names_line_and_column(tmp_path, server):
    coll = ok_collection(tmp_path, server.url)
    deep = '{"values": [{"key": "a",\n"value": ' + "[" * 5000 + "]" * 5000 + "}]}"
    result = invoke("run", str(coll), "-e", str(write_text(tmp_path / "e.json", deep)))
    column = 10 + MAX_JSON_DEPTH - 3  # three levels open before "value"
    assert_located(
        result, f"line 2, column {column}: JSON nested too deeply to read (more than {MAX_JSON_DEPTH} levels)"
    )


def test_root_level_type_errors_name_the_root(tmp_path, server):
    assert_located(invoke("run", str(write_text(tmp_path / "c.json", "[1, 2]"))), "/: a collection must be")
    coll = ok_collection(tmp_path, server.url)
    assert_located(invoke("run", str(coll), "-e", str(write_text(tmp_path / "e.json", "5"))), "/: an environment")
    assert_located(invoke("run", str(coll), "-d", str(write_text(tmp_path / "d.json", "{}"))), "/: a JSON data file")


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        ({"collection": 5, "run": {}}, "/: not a postrun/Newman json report"),
        (
            {"collection": {"info": {"name": "x"}, "item": []}, "run": {"executions": [{"item": 5}]}},
            "/run/executions/0/item: must be an object",
        ),
        ({"collection": {"info": {"name": "x"}, "item": []}, "run": {"executions": 7}}, "/run/executions: must be"),
        (
            {
                "collection": {"info": {"name": "x"}, "item": [{"id": "i", "name": "i", "request": "http://x"}]},
                "run": {"executions": [{"item": {"id": "i"}, "cursor": {"iteration": "x"}}]},
            },
            "/run/executions/0: execution that cannot be read",
        ),
        ({"collection": {"info": 3}, "run": {}}, "/collection/info: must be an object"),
        ({"collection": {"info": {"name": "x"}}, "run": {}, "tenants": [1]}, "/tenants/0: must be an object"),
    ],
)
def test_merge_on_an_invalid_shard_file_is_a_located_error(tmp_path, doc, where):
    result = invoke("merge", str(write_json(tmp_path / "shard.json", doc)))
    assert_located(result, where)


# --- the run goes on ---------------------------------------------------------------------------------


def run_report(tmp_path: Path, items: list[dict], *args: str, **extra: Any) -> tuple[Any, dict]:
    coll = write_json(tmp_path / "c.json", collection(items, **extra))
    out = tmp_path / "r.json"
    result = invoke(
        "run",
        str(coll),
        "-r",
        "cli,json,junit,html",
        "--reporter-json-export",
        str(out),
        "--reporter-junit-export",
        str(tmp_path / "r.xml"),
        "--reporter-html-export",
        str(tmp_path / "r.html"),
        "--export-collection",
        str(tmp_path / "export.json"),
        *args,
    )
    return result, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/" + "a" * 200_000, "Invalid URL"),
        ("http://[[:]/x", "Invalid URL"),
        ("http://ho\tst/x", "Invalid URL"),
        ({"protocol": "]", "host": ["127", "0", "0", "1"], "path": ["x"]}, "Invalid protocol: ]:"),
    ],
)
def test_urls_httpx_refuses_are_request_errors_and_the_run_goes_on(tmp_path, server, url, message):
    result, report = run_report(tmp_path, [item("bad", url), item("next", server.url + "/get")])
    assert result.exit_code == 1
    bad, nxt = report["run"]["executions"]
    assert message in bad["requestError"]["message"]
    assert len(bad["requestError"]["message"]) < 1000
    assert nxt["response"]["code"] == 200


def test_non_ascii_header_value_from_a_data_file_is_sent_as_latin1(tmp_path, server):
    data = write_text(tmp_path / "d.csv", "name\nJosé\n")
    items = [item("a", server.url + "/get", header=[{"key": "X-Name", "value": "{{name}}"}])]
    result, report = run_report(tmp_path, items, "-d", str(data))
    assert result.exit_code == 0, result.output
    assert server.seen[0].header("X-Name") == "José"  # Node writes header strings as Latin-1, so does postrun


def test_non_latin1_header_value_and_non_ascii_method_are_request_errors(tmp_path, server):
    items = [
        item("hdr", server.url + "/get", header=[{"key": "X", "value": "ключ"}]),
        item("meth", server.url + "/get", method="ÜBER"),
        item("next", server.url + "/get"),
    ]
    result, report = run_report(tmp_path, items)
    hdr, meth, nxt = report["run"]["executions"]
    assert hdr["requestError"]["message"] == 'Invalid character in header content ["X"]'
    assert meth["requestError"]["message"] == 'Method must be a valid HTTP token ["ÜBER"]'  # Newman's words
    assert nxt["response"]["code"] == 200


def test_lone_surrogates_reach_body_reports_exports_and_console_as_ufffd(tmp_path, server):
    raw = json.dumps(
        collection(
            [
                item(
                    "a\ud800",
                    server.url + "/post?q=\udfff",
                    method="POST",
                    body={"mode": "raw", "raw": "x\ud800y"},
                    test=["console.log('half \\ud83d'); pm.environment.set('h', '\\ud800')"],
                )
            ],
            variable=[{"key": "v", "value": "\ud800"}],
        )
    )
    assert "\\ud800" in raw
    coll = write_text(tmp_path / "c.json", raw)
    out = tmp_path / "r.json"
    result = invoke(
        "run",
        str(coll),
        "-r",
        "cli,json,junit,html",
        "--reporter-json-export",
        str(out),
        "--reporter-junit-export",
        str(tmp_path / "r.xml"),
        "--reporter-html-export",
        str(tmp_path / "r.html"),
        "--export-collection",
        str(tmp_path / "x.json"),
        "--export-environment",
        str(tmp_path / "e.json"),
    )
    assert result.exit_code == 0, result.output
    assert server.seen[0].body == "x\ufffdy".encode()
    for name in ("r.json", "r.xml", "r.html", "x.json", "e.json"):
        (tmp_path / name).read_text(encoding="utf-8")  # valid UTF-8
    assert "half \ufffd" in result.output


def test_v1_collection_with_wrong_typed_order_lists_runs(tmp_path, server):
    doc = {
        "id": "c",
        "name": "v1",
        "order": 5,
        "folders_order": "abc",
        "folders": [{"id": "f", "name": "F", "order": {"x": 1}, "folders_order": 7}, 3],
        "requests": [{"id": "r", "name": "r", "url": server.url + "/get", "method": "GET", "responses_order": 1}, "x"],
    }
    result = invoke("run", str(write_json(tmp_path / "v1.json", doc)))
    assert result.exit_code == 0, result.output
    doc["order"] = [["r"], {"a": 1}, "r"]
    result = invoke("run", str(write_json(tmp_path / "v1.json", doc)))
    assert result.exit_code == 0 and len(server.seen) == 1


def test_wrong_type_in_protocol_profile_disables_nothing(tmp_path, server):
    it = {**item("a", server.url + "/get"), "protocolProfileBehavior": {"disabledSystemHeaders": 5}}
    result, report = run_report(tmp_path, [it])
    assert result.exit_code == 0, result.output
    assert (
        server.seen[0].header(
            "User-Agent",
        )
        is not None
    )


def test_nul_in_a_script_line_is_a_script_error_on_that_item(tmp_path, server):
    items = [
        item("nul", server.url + "/get", test=["pm.test('x', () => {});\u0000 var a = 1;"]),
        item(
            "nul in string", server.url + "/get", test=["pm.test('len', () => pm.expect('a\u0000b'.length).to.eql(3));"]
        ),
    ]
    result, report = run_report(tmp_path, items)
    nul, in_string = report["run"]["executions"]
    assert nul["scriptErrors"][0]["name"] == "SyntaxError"
    assert in_string["assertions"] == [{"assertion": "len", "skipped": False}]


def test_deep_data_row_and_variable_reach_reports_and_exports(tmp_path, server):
    nested: Any = "leaf-secret"
    for _ in range(900):
        nested = [nested]
    data = write_json(tmp_path / "d.json", [{"deep": nested, "tok": "leaf-secret"}])
    items = [item("a", server.url + "/get", test=["console.log(JSON.stringify(pm.iterationData.get('deep')).length)"])]
    result, report = run_report(
        tmp_path,
        items,
        "-d",
        str(data),
        "--secret",
        "tok",
        "--secret",
        "deep",
        variable=[{"key": "v", "value": nested}],
    )
    assert result.exit_code == 0, result.output
    exported = json.loads((tmp_path / "export.json").read_text())
    assert exported["variable"][0]["key"] == "v"


@pytest.mark.parametrize("value", ["{{a}}{{a}}{{a}}{{a}}", "x{{b}}"])
def test_self_referencing_variables_are_bounded_and_named(tmp_path, server, value):
    variables = [{"key": "a", "value": value}, {"key": "b", "value": "{{a}}y"}]
    started = time.monotonic()
    result, report = run_report(tmp_path, [item("a", server.url + "/get?q={{a}}")], variable=variables)
    assert time.monotonic() - started < 10
    [warning] = report["run"]["executions"][0]["warnings"]
    assert warning.startswith("variable 'a' refers to itself (a → ")
    assert result.exit_code == 1


def test_variable_expansion_is_bounded_in_size(tmp_path, server):
    variables = [{"key": k, "value": ("{{" + n + "}}") * 1000} for k, n in (("a", "b"), ("b", "c"), ("c", "d"))]
    variables.append({"key": "d", "value": "zz"})
    items = [item("a", server.url + "/post", method="POST", body={"mode": "raw", "raw": "{{a}}"})]
    started = time.monotonic()
    result, report = run_report(tmp_path, items, variable=variables)
    assert time.monotonic() - started < 30
    assert "longer than 10485760 characters" in report["run"]["executions"][0]["warnings"][0]


def test_mock_example_with_emoji_status_text(tmp_path):
    example = {
        "name": "ex",
        "code": 200,
        "status": "OK 🔑",
        "header": [{"key": "X-E", "value": "🔑"}],
        "body": "hi",
        "originalRequest": {"method": "GET", "url": "https://api.example.com/x"},
    }
    it = item(
        "a", "https://api.example.com/x", test=["pm.test('s', () => pm.expect(pm.response.status).to.eql('OK 🔑'))"]
    )
    it["response"] = [example]
    result, report = run_report(tmp_path, [it], "--mock")
    assert result.exit_code == 0, result.output
    assert report["run"]["executions"][0]["response"]["status"] == "OK 🔑"


# --- found by the fuzzer (tests/test_hostile_fuzz.py) -------------------------------------------------


def test_port_of_4400_digits_is_a_request_error(tmp_path, server):
    result, report = run_report(tmp_path, [item("a", "http://127.0.0.1:" + "9" * 4400 + "/x")])
    assert "invalid port" in report["run"]["executions"][0]["requestError"]["message"]


def test_v1_helper_and_data_mode_of_wrong_types_are_ignored(tmp_path, server):
    request = {"id": "r", "name": "r", "url": server.url + "/get", "method": "GET"}
    doc = {"id": "c", "name": "v1", "order": ["r"], "requests": [{**request, "currentHelper": ["x"], "dataMode": [1]}]}
    result = invoke("run", str(write_json(tmp_path / "v1.json", doc)))
    assert result.exit_code == 0, result.output


def test_data_file_that_is_not_text_names_line_and_column(tmp_path, server):
    data = tmp_path / "d.csv"
    data.write_bytes(b"a,b\n1,\xff\n")
    result = invoke("run", str(ok_collection(tmp_path, server.url)), "-d", str(data))
    assert_located(result, "line 2, column 3: not UTF-8 or UTF-16 text (byte 6)")


def test_integer_beyond_a_double_in_a_data_file_resolves_as_infinity(tmp_path, server):
    data = write_text(tmp_path / "d.json", '[{"n": ' + "9" * 400 + "}]")
    items = [item("a", server.url + "/get?n={{n}}")]
    result, report = run_report(tmp_path, items, "-d", str(data))
    assert result.exit_code == 0, result.output
    assert server.seen[0].target == "/get?n=Infinity"


def test_wrong_types_inside_body_options_mean_not_set(tmp_path, server):
    items = [
        item("list", server.url + "/post", method="POST", body={"mode": "raw", "raw": "x", "options": {"raw": [1]}}),
        item("text", server.url + "/post", method="POST", body={"mode": "raw", "raw": "y", "options": {"raw": "json"}}),
        item(
            "lang",
            server.url + "/post",
            method="POST",
            body={"mode": "raw", "raw": "z", "options": {"raw": {"language": {}}}},
        ),
    ]
    result, report = run_report(tmp_path, items)
    assert all("requestError" not in ex for ex in report["run"]["executions"]), result.output
    assert [seen.body for seen in server.seen] == [b"x", b"y", b"z"]


def test_csv_integer_of_4400_digits_is_read_as_a_double(tmp_path, server):
    data = write_text(tmp_path / "d.csv", "n\n" + "9" * 4400 + "\n")
    result, report = run_report(tmp_path, [item("a", server.url + "/get?n={{n}}")], "-d", str(data))
    assert result.exit_code == 0, result.output
    assert server.seen[0].target == "/get?n=Infinity"


def test_shard_with_a_header_key_of_the_wrong_type_merges(tmp_path):
    doc = {
        "collection": {"info": {"name": "x"}, "item": [{"id": "i", "name": "i", "request": "http://x"}]},
        "run": {"executions": [{"item": {"id": "i"}, "request": {"url": "http://x", "header": [{"key": {"a": 1}}]}}]},
    }
    result = invoke(
        "merge",
        str(write_json(tmp_path / "shard.json", doc)),
        "-r",
        "json",
        "--reporter-json-export",
        str(tmp_path / "m.json"),
    )
    assert result.exit_code in (0, 1), result.output

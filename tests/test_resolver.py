"""Resolving {{variables}} with Postman's rules, and proof that user text is never template code."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

from runner.collection import Item, build_collection
from runner.request import PreparedRequest, definition, prepare, urlencode_component
from runner.resolver import MAX_PASSES, Resolver, js_number, render_value
from runner.url import join_url, to_target
from runner.variables import MISSING, Scopes, VariableScope

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def resolver(**values: Any) -> Resolver:
    return Resolver(lambda name: values.get(name, MISSING))


# --- references ---------------------------------------------------------------------------------------


def test_names_are_any_run_of_characters_other_than_braces():
    r = resolver(
        **{
            "a": "A",
            "with space": "S",
            "dotted.name": "D",
            "slash/name": "L",
            "dash-name": "H",
            "$custom": "C",
            " padded ": "P",
            "ü-ñ": "U",
            "a:b?c#d&e=f": "R",
        }
    )
    text = (
        "{{a}}|{{with space}}|{{dotted.name}}|{{slash/name}}|{{dash-name}}|{{$custom}}|{{ padded }}|{{ü-ñ}}"
    )
    assert r.resolve(text) == "A|S|D|L|H|C|P|U"
    assert r.resolve("{{a:b?c#d&e=f}}") == "R"
    assert r.resolve("{{ a }}") == "{{ a }}"  # no trimming: " a " is another name


def test_unresolved_references_stay_literally_and_are_recorded():
    r = resolver(known="k")
    assert (
        r.resolve("x {{missing}} {{known}} {{}} {{ also missing }}")
        == "x {{missing}} k {{}} {{ also missing }}"
    )
    assert r.unresolved == {"missing", "", " also missing "}


def test_text_that_is_not_a_reference():
    r = resolver(a="A")
    for text in ("", "plain", "{a}", "{{a", "a}}", "{ {a} }", "{{a}", "{{{a}", "{{\n}}x"):
        assert r.resolve(text) == text
    assert r.resolve("{{{a}}}") == "{A}"
    assert r.resolve("{{a}}{{a}}") == "AA"


def test_non_strings_pass_through_and_resolve_deep_copies():
    r = resolver(k="K", v="V")
    for value in (None, 5, 1.5, True, b"{{k}}"):
        assert r.resolve(value) is value
    data = {"{{k}}": ["{{v}}", {"n": 1, "s": "{{k}}{{v}}"}], "plain": None}
    out = r.resolve_deep(data)
    assert out == {"K": ["V", {"n": 1, "s": "KV"}], "plain": None}
    assert data == {"{{k}}": ["{{v}}", {"n": 1, "s": "{{k}}{{v}}"}], "plain": None}


def test_nested_references_resolve_innermost_first():
    r = resolver(
        env="prod", host_prod="api.example", host_dev="dev.example", name="env", a="{{b}}", b="{{c}}", c="C"
    )
    assert r.resolve("{{host_{{env}}}}") == "api.example"
    assert r.resolve("{{host_{{ {{name}} }}}}") == "{{host_{{ env }}}}"
    assert r.resolve("{{{{name}}}}") == "prod"
    assert r.resolve("{{a}}") == "C"  # values holding references resolve too


def test_resolution_stops_after_19_passes():
    assert MAX_PASSES == 19
    chain = {f"v{i}": f"{{{{v{i + 1}}}}}" for i in range(30)}
    r = resolver(**chain)
    assert r.resolve("{{v0}}") == "{{v19}}"
    grow = resolver(g="x{{g}}")  # Newman expands this 19 times; postrun leaves it and says why
    assert grow.resolve("{{g}}") == "{{g}}"
    assert grow.problems == {"g": "variable 'g' refers to itself (g → g); left unresolved"}
    assert resolver(s="{{s}}").resolve("{{s}}") == "{{s}}"  # self reference ends at once


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (42, "42"),
        (-7, "-7"),
        (0, "0"),
        (True, "true"),
        (False, "false"),
        (1.5, "1.5"),
        (2.0, "2"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e16, "15000000000000000"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1.2345e-8, "1.2345e-8"),
        (5e-324, "5e-324"),
        (12345678901234567890, "12345678901234567000"),
        (2**53, "9007199254740992"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        ("", ""),
    ],
)
def test_values_render_as_javascript_would(value, text):
    assert render_value(value) == text
    assert resolver(v=value).resolve("[{{v}}]") == f"[{text}]"


def test_js_number_matches_number_to_string():
    assert [js_number(x) for x in (123.456, 1e300, -2.5e-8, 4.35, 1234.5678e10)] == [
        "123.456",
        "1e+300",
        "-2.5e-8",
        "4.35",
        "12345678000000",
    ]


def test_null_resolves_to_null_as_in_newman():
    r = resolver(v=None)
    assert r.resolve("a{{v}}b") == "anullb"
    assert r.unresolved == set()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"a": 1}, "[object Object]"),
        ({}, "[object Object]"),
        ([1, 2], "1,2"),
        ([1, [2, None], True, "x", {"b": 2}, 0.5], "1,2,,true,x,[object Object],0.5"),
        ([], ""),
        ({"toString": "x"}, ""),
    ],
)
def test_objects_and_arrays_resolve_to_their_javascript_to_string(value, text):
    """Measured with Newman 6.2 for environment, collection, data and script-set values alike."""
    r = resolver(v=value)
    assert r.resolve("a{{v}}b") == f"a{text}b"
    assert r.unresolved == set()


def test_an_array_javascript_cannot_join_stays_unresolved():
    r = resolver(v=[1, {"toString": 2}])
    assert r.resolve("a{{v}}b") == "a{{v}}b"
    assert r.unresolved == {"v"}


def test_dynamic_variables_are_fresh_per_occurrence():
    r = resolver()
    out = r.resolve("{{$guid}} {{$guid}} {{$randomInt}} {{$timestamp}}")
    first, second, number, stamp = out.split(" ")
    assert UUID4.fullmatch(first) and UUID4.fullmatch(second) and first != second
    assert number.isdigit() and 0 <= int(number) <= 1000
    assert stamp.isdigit() and len(stamp) == 10
    values = {resolver().resolve("{{$guid}}") for _ in range(20)}
    assert len(values) == 20
    assert r.unresolved == set()


def test_user_variables_win_over_dynamic_ones_and_unknown_dollar_names_stay():
    r = resolver(**{"$guid": "mine", "$randomInt": 0})
    assert r.resolve("{{$guid}}/{{$randomInt}}/{{$notAThing}}") == "mine/0/{{$notAThing}}"
    assert r.unresolved == {"$notAThing"}


def test_a_dynamic_value_is_resolved_even_when_nested():
    r = resolver(kind="guid")
    assert UUID4.fullmatch(r.resolve("{{${{kind}}}}"))


def test_cached_templates_do_not_keep_values_or_lookups():
    text = "cached {{x}} text"
    assert resolver(x="1").resolve(text) == "cached 1 text"
    assert resolver(x="2").resolve(text) == "cached 2 text"
    assert resolver().resolve(text) == text


def test_whitespace_and_newlines_are_kept_exactly():
    r = resolver(v="V")
    for text in ("{{v}}\n", "\n\n{{v}}\n\n", "a\r\n{{v}}\r\n", "  {{v}}\t", "{{v}}\n\n\n"):
        assert r.resolve(text) == text.replace("{{v}}", "V")


# --- user text is data, never template code -----------------------------------------------------------

PAYLOADS = [
    "{% for x in y %}X{% endfor %}",
    "{{ 7*7 }}",
    "{{7*7}}",
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ config }}",
    "{{ self }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{# a comment #}",
    "{#",
    "{%- raw -%}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "{% set a = 7*7 %}{{ a }}",
    "{{ lipsum.__globals__ }}",
    "{{ range(3)|list }}",
    "{%",
    "%}",
    "}}{{",
    "{{",
    "${7*7} #{7*7} <%= 7*7 %>",
]
# What an evaluating engine would have produced from one of the payloads; none may show up.
EVALUATED = ("49", "<class", "Config", "TemplateReference", "uid=", "[0, 1, 2]", "Cycler", "<function")


def assert_not_evaluated(text: str, payload: str) -> None:
    for marker in EVALUATED:
        if marker not in payload:
            assert marker not in text, (marker, text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_syntax_in_text_comes_out_literally(payload):
    r = resolver(y=[1, 2], a="A", config="CONFIG", self="SELF")
    assert r.resolve(payload) == payload
    assert r.resolve(f"before {payload} after") == f"before {payload} after"
    assert_not_evaluated(r.resolve(payload), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_syntax_in_a_variable_value_is_inserted_literally(payload):
    r = resolver(v=payload, y=[1, 2])
    assert r.resolve("<{{v}}>") == f"<{payload}>"
    assert r.resolve_deep({"k{{v}}": ["{{v}}"]}) == {f"k{payload}": [payload]}


def build(text: str, tmp_path: Path) -> dict[str, Item]:
    """Items that put ``text`` into every place a request resolves variables."""

    def item(name: str, method: str = "POST", **request: Any) -> dict[str, Any]:
        request.setdefault(
            "url", {"protocol": "http", "host": ["127", "0", "0", "1"], "port": "9", "path": [name]}
        )
        return {"name": name, "request": {"method": method, **request}}

    def auth(kind: str, **params: Any) -> dict[str, Any]:
        return {"type": kind, kind: [{"key": k, "value": v} for k, v in params.items()]}

    url_parts = {
        "protocol": "http",
        "host": ["127", "0", "0", "1"],
        "port": "9",
        "path": ["p", text, ":pv"],
        "variable": [{"key": "pv", "value": text}],
        "query": [{"key": text, "value": text}, {"key": "plain", "value": text}],
    }
    doc = {
        "info": {"name": "payloads", "schema": V21},
        "item": [
            item("url", "GET", url=url_parts),
            item("host", "GET", url={"protocol": "http", "host": [text], "port": "9", "path": ["h"]}),
            item(
                "headers",
                "GET",
                header=[{"key": f"X-{text}", "value": text}, {"key": "X-Plain", "value": text}],
            ),
            item("raw", body={"mode": "raw", "raw": text}),
            item("urlencoded", body={"mode": "urlencoded", "urlencoded": [{"key": text, "value": text}]}),
            item(
                "formdata",
                body={
                    "mode": "formdata",
                    "formdata": [
                        {"key": text, "value": text, "type": "text"},
                        {"key": "upload", "src": f"{text}.txt", "type": "file"},
                    ],
                },
            ),
            item("graphql", body={"mode": "graphql", "graphql": {"query": text, "variables": text}}),
            item("file", body={"mode": "file", "file": {"src": f"{text}.txt"}}),
            item("basic", "GET", auth=auth("basic", username=text, password=text)),
            item("bearer", "GET", auth=auth("bearer", token=text)),
            item(
                "apikey-header",
                "GET",
                auth=auth("apikey", key=f"X-Key-{text}", value=text, **{"in": "header"}),
            ),
            item("apikey-query", "GET", auth=auth("apikey", key=text, value=text, **{"in": "query"})),
            item("oauth2", "GET", auth=auth("oauth2", accessToken=text, headerPrefix="Token")),
        ],
    }
    return {i.name: i for i in build_collection(doc).items()}


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("where", ["in-collection", "in-variable"])
def test_every_resolved_place_keeps_template_syntax_literally(tmp_path, payload, where):
    """Payloads written into the collection, or held by an environment variable the collection uses."""
    (tmp_path / f"{payload}.txt").write_bytes(b"FILE CONTENT")
    text = payload if where == "in-collection" else "{{p}}"
    environment = VariableScope("env", [{"key": "p", "value": payload}, {"key": "y", "value": "[1, 2]"}])
    scopes = Scopes(VariableScope("g", [{"key": "config", "value": "CONFIG"}]), VariableScope(), environment)
    items = build(text, tmp_path)
    literal = build(payload, tmp_path)

    def send(name: str) -> PreparedRequest:
        # Exact comparisons below prove the text was not evaluated (random tokens, boundaries and
        # lengths make a search for evaluation results such as "49" meaningless here).
        return prepare(definition(items[name]), Resolver(scopes.lookup), working_dir=str(tmp_path))

    # URL: path segment, path variable value, query key and value (joined with Postman's escaping of
    # & # = in query keys and & # in values), and the host.
    p = send("url")
    # Written into the collection, the text is joined (and escaped) as a query key/value; held by a
    # variable, it is substituted after joining, as Newman does. Either way it arrives literally.
    if where == "in-collection":
        expected = join_url(literal["url"].request["url"])
    else:
        expected = join_url(items["url"].request["url"]).replace("{{p}}", payload)
    assert expected.startswith(f"http://127.0.0.1:9/p/{payload}/{payload}?")
    assert p.url == expected
    assert p.target == to_target(expected)
    p = send("host")
    assert p.url == f"http://{payload}:9/h"

    p = send("headers")
    assert (f"X-{payload}", payload) in p.headers and p.header("X-Plain") == payload

    assert send("raw").body == payload.encode()
    encoded = f"{urlencode_component(payload)}={urlencode_component(payload)}"
    assert send("urlencoded").body == encoded.encode()
    body = send("formdata").body
    assert f'name="{payload}"\r\n\r\n{payload}\r\n'.encode() in body
    assert f'filename="{payload}.txt"'.encode() in body and b"FILE CONTENT" in body
    assert (
        send("graphql").body == ('{"query":' + json.dumps(payload) + ',"variables":' + payload + "}").encode()
    )
    assert send("file").body == b"FILE CONTENT"

    credentials = base64.b64encode(f"{payload}:{payload}".encode()).decode()
    assert send("basic").header("Authorization") == f"Basic {credentials}"
    assert send("bearer").header("Authorization") == f"Bearer {payload}"
    assert send("apikey-header").header(f"X-Key-{payload}") == payload
    p = send("apikey-query")
    assert p.url == join_url(
        {**literal["apikey-query"].request["url"], "query": [{"key": payload, "value": payload}]}
    )
    assert send("oauth2").header("Authorization") == f"Token {payload}"

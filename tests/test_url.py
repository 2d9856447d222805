"""URLs: parsing, joining and on-the-wire encoding, checked against what Newman 6.2 sends.

Every expected request target below was observed on a loopback server receiving Newman 6.2's request
for the same collection item (the request line as it arrived).
"""

from __future__ import annotations

from typing import Any

import pytest

from runner.collection import build_collection
from runner.request import PreparedRequest, definition, prepare
from runner.resolver import Resolver
from runner.url import (
    InvalidURL,
    Target,
    as_url_object,
    join_url,
    parse_query,
    parse_url,
    path_variable_name,
    to_target,
    unparse_param,
)
from runner.variables import MISSING, Scopes, VariableScope

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def send(url: Any, method: str = "GET", **variables: Any) -> PreparedRequest:
    """Load ``url`` as a collection item's url and prepare the request with ``variables``."""
    doc = {
        "info": {"name": "u", "schema": V21},
        "item": [{"name": "i", "request": {"method": method, "url": url}}],
    }
    item = next(build_collection(doc).items())
    env = VariableScope("env", [{"key": k, "value": v} for k, v in variables.items()])
    return prepare(definition(item), Resolver(Scopes(VariableScope(), VariableScope(), env).lookup))


def parts(path: list[Any], query: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    url = {"raw": "ignored", "protocol": "http", "host": ["h"], "port": "1", "path": path, **extra}
    if query is not None:
        url["query"] = query
    return url


def newman_order(url: Any, **variables: Any) -> str:
    """Newman's order of work: join the url object, resolve the joined string, then encode."""
    lookup = {k: v for k, v in variables.items()}
    text = Resolver(lambda name: lookup.get(name, MISSING)).resolve(join_url(as_url_object(url)))
    return to_target(text).target


# --- the cases measured for the issue -----------------------------------------------------------------


def test_string_url_is_encoded_as_newman_sends_it():
    p = send("http://h:1/a b/ü/{x}?q=a b&r=ü&s=a+b&t=%20&u=\"'<>`#frag")
    assert p.target.target == "/a%20b/%C3%BC/%7Bx%7D?q=a%20b&r=%C3%BC&s=a+b&t=%20&u=%22%27%3C%3E`"
    assert p.header("Host") == "h:1"


def test_url_object_with_path_variable_and_query_list():
    url = parts(
        ["p", ":id"],
        [
            {"key": "k", "value": "v&w=x"},
            {"key": "dis", "value": "1", "disabled": True},
            {"key": "novalue"},
            {"key": "empty", "value": ""},
            {"key": "sp ace", "value": "ä|[]{}"},
        ],
        variable=[{"key": "id", "value": "a/b c"}],
    )
    assert send(url).target.target == "/p/a/b%20c?k=v%26w=x&novalue&empty=&sp%20ace=%C3%A4|[]{}"


def test_special_characters_in_path_segments_and_query_params():
    url = parts(
        ["p%2Fq", "100%", "a[b]", "c'd", "e|f", "g^h"],
        [
            {"key": "a=b", "value": "c=d"},
            {"key": "p", "value": "100%"},
            {"key": "h", "value": "x#y"},
            {"key": "plus", "value": "a+b"},
            {"key": "pc", "value": "%41%zz"},
            {"key": None, "value": "onlyval"},
        ],
    )
    expected = "/p%2Fq/100%/a[b]/c'd/e|f/g^h?a%3Db=c=d&p=100%&h=x%23y&plus=a+b&pc=%41%zz&=onlyval"
    assert send(url).target.target == expected


@pytest.mark.parametrize(
    ("url", "scheme", "target"),
    [
        ("http://127.0.0.1:18999/t/?", "http", "/t/?"),
        ("http://127.0.0.1:18999/a/:b", "http", "/a/:b"),  # a path variable without a value stays
        ("127.0.0.1:18999/noproto?a=1&&b&=c", "http", "/noproto?a=1&&b&=c"),
        ("HTTPS://H.Example:8443", "https", "/"),
    ],
)
def test_small_shapes(url, scheme, target):
    p = send(url)
    assert (p.target.scheme, p.target.target) == (scheme, target)


def test_userinfo_becomes_basic_auth_and_leaves_the_target():
    p = send("http://us%20er:p%40ss@h/ui")
    assert p.header("Authorization") == "Basic dXMgZXI6cEBzcw=="
    assert p.target.target == "/ui" and p.target.netloc == "h" and "@" not in str(p.target)
    assert p.url == "http://us%20er:p%40ss@h/ui"


@pytest.mark.parametrize(
    ("userinfo", "authorization"),
    [
        ("user@", "Basic dXNlcjo="),
        ("u:@", "Basic dTo="),
        (":pw@", "Basic OnB3"),
        ("a:b:c@", "Basic YTpiOmM="),
        ("@", None),
        ("", None),
    ],
)
def test_userinfo_shapes(userinfo, authorization):
    assert send(f"http://{userinfo}127.0.0.1:9/x").header("Authorization") == authorization


def test_an_authorization_header_beats_userinfo():
    doc = {
        "info": {"name": "u", "schema": V21},
        "item": [
            {
                "name": "i",
                "request": {
                    "method": "GET",
                    "url": "http://u:p@h/x",
                    "header": [{"key": "Authorization", "value": "Mine"}],
                },
            }
        ],
    }
    p = prepare(definition(next(build_collection(doc).items())), Resolver(lambda n: MISSING))
    assert p.header("Authorization") == "Mine"


@pytest.mark.parametrize(
    ("url", "netloc"),
    [
        ("http://h:80/x", "h"),
        ("https://h:443/x", "h"),
        ("http://h:443/x", "h:443"),
        ("https://h:80/x", "h:80"),
        ("http://h:8080/x", "h:8080"),
        ("http://[::1]:8080/x", "[::1]:8080"),
        ("http://[::1]/x", "[::1]"),
        ("http://LOCALHOST:9/x", "localhost:9"),
        ("http://bücher.example/x", "xn--bcher-kva.example"),
        ("http://ÄÖÜ.example:81/", "xn--4ca0bs.example:81"),
        # Node's WHATWG domainToASCII, which Newman uses, not IDNA 2003 (that would give strasse.de)
        ("http://straße.de/", "xn--strae-oqa.de"),
        ("http://☃.net/", "xn--n3h.net"),
        ("http://ｅｘａｍｐｌｅ．ｃｏｍ/", "example.com"),
        ("http://127.1:9/", "127.0.0.1:9"),
        ("http://0x7F.1/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),
        ("http://1.2.3.4.5/", "1.2.3.4.5"),
        ("http://256.1/", "256.1"),
    ],
)
def test_default_ports_dropped_hosts_lowercased_and_idn_punycoded(url, netloc):
    p = send(url)
    assert p.target.netloc == netloc and p.header("Host") == netloc


# --- more cases measured against Newman 6.2 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "variable", "target"),
    [
        (["p", ":id"], [{"key": "id", "value": "a?b#c"}], "/p/a?b"),
        (["p", ":id"], [{"key": "id", "value": ""}], "/p/:id"),
        (["p", ":id"], [{"key": "id"}], "/p/:id"),
        (["p", ":id"], [{"key": "id", "value": 5}], "/p/:id"),  # only string values replace
        (["p", ":id.json"], [{"key": "id", "value": "5"}], "/p/5.json"),
        (["p", "x:id"], [{"key": "id", "value": "5"}], "/p/x:id"),
        (
            ["p", ":a", ":b"],
            [{"key": "a", "value": "1"}, {"key": "b", "value": "2", "disabled": True}],
            "/p/1/2",
        ),
        (["p", ":id"], [{"id": "id", "value": "byid"}], "/p/byid"),
        (["p", ":id"], [{"key": "id", "value": "first"}, {"key": "id", "value": "second"}], "/p/second"),
        ([":"], [{"key": "", "value": "empty"}], "/:"),
        (["p", ":id"], [{"key": "id", "value": "ü x%20"}], "/p/%C3%BC%20x%20"),
    ],
)
def test_path_variables(path, variable, target):
    assert send(parts(path, variable=variable)).target.target == target


def test_path_variable_names():
    assert path_variable_name(":id") == "id"
    assert path_variable_name(":id.json") == "id"
    assert path_variable_name(":") is None and path_variable_name(":.x") is None
    assert path_variable_name("id") is None and path_variable_name("a:id") is None


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("http://h:1/a\\b", "/a/b"),
        ("http://h:1//a//b", "//a//b"),
        ("http://h:1/a/../b/./c", "/a/../b/./c"),
        ("http://h:1/a#b?c", "/a"),
        ("http://h:1/a?b=c#", "/a?b=c"),
        ("http://h:1", "/"),
        ("http://h:1/a/", "/a/"),
        ("http://h:1/{{nope}}/x?q={{nope}}", "/%7B%7Bnope%7D%7D/x?q={{nope}}"),
        ("http://h:1/a?q=1?2&x=é😀&y=%zz&z=%2f", "/a?q=1?2&x=%C3%A9%F0%9F%98%80&y=%zz&z=%2f"),
        ("http://h:1/a\tb", "/a%09b"),
        ("  http://h:1/trim  ", "/trim%20%20"),
        ("http://h:1/a?x=1\n", "/a?x=1%0A"),
        ("http://h:1/a;b=c/d,e!$&'()*+~@:", "/a;b=c/d,e!$&'()*+~@:"),
        ("http://h:1/q?a=1&a=2&&", "/q?a=1&a=2&&"),
        ("http://h:1/x y?a b=c d", "/x%20y?a%20b=c%20d"),
        ("http:///h:1/extra", "/extra"),
    ],
)
def test_string_urls(url, target):
    assert send(url).target.target == target


@pytest.mark.parametrize(
    ("url", "target"),
    [
        (parts(["a"], []), "/a"),
        (parts(["a"], [{"key": "", "value": ""}]), "/a?="),
        (parts(["a"], [{"key": "", "value": None}]), "/a?"),
        (parts(["a"], [{"key": None, "value": None}]), "/a?"),
        (parts(["a"], [{"key": "n", "value": 5}, {"key": 7, "value": "x"}]), "/a?n&=x"),
        (parts(["a"], [{"key": "lit=eq&amp", "value": "v=w&x#y"}]), "/a?lit%3Deq%26amp=v=w%26x%23y"),
        (parts(["a b", "ü"], [{"key": "x y", "value": "&=#?/"}]), "/a%20b/%C3%BC?x%20y=%26=%23?/"),
        ({"protocol": "http", "host": "h", "port": "1", "path": "/a/b"}, "/a/b"),
        ({"protocol": "http", "host": "h", "port": "1", "path": "//a/b"}, "//a/b"),
        ({"protocol": "http://", "host": ["h"], "port": "1", "path": ["proto"]}, "/proto"),
        ({"protocol": "http", "host": ["h"], "path": []}, "/"),
    ],
)
def test_url_objects(url, target):
    assert send(url).target.target == target


def test_variables_inside_parts_resolve_before_encoding():
    p = send("{{base}}/with/{{seg}}?x={{x}}", base="http://h:1", seg="s/t u?v", x="1 2")
    assert p.url == "http://h:1/with/s/t u?v?x=1 2"
    assert p.target.target == "/with/s/t%20u?v?x=1%202"
    assert send("http://{{hostport}}/hp", hostport="127.0.0.1:9").target.netloc == "127.0.0.1:9"


def test_newman_joins_the_url_before_resolving_it():
    """A variable's value is substituted into the joined URL, so ``&``, ``=`` and ``#`` in it count."""
    env = {"qs": "a=1&b=2#h", "qv": "a&b=c#d", "kq": "k&=x", "empty": "", "pv": ":id"}
    assert newman_order("http://h:1/x?{{qs}}", **env) == "/x?a=1&b=2"
    assert newman_order(parts(["a"], [{"key": "k", "value": "{{qv}}"}]), **env) == "/a?k=a&b=c"
    assert newman_order("http://h:1/q?a[]=1&b={{qv}}", **env) == "/q?a[]=1&b=a&b=c"
    assert newman_order(parts(["a"], [{"key": "{{kq}}", "value": "v"}]), **env) == "/a?k&=x=v"
    assert newman_order(parts(["p", ":id"], variable=[{"key": "id", "value": "{{empty}}"}]), **env) == "/p/"
    assert newman_order(parts(["{{pv}}"], variable=[{"key": "id", "value": "7"}]), **env) == "/:id"
    # Literal & # = typed into a query list are still escaped: only resolved text can add params.
    assert newman_order(parts(["a"], [{"key": "a=b", "value": "c&d"}])) == "/a?a%3Db=c%26d"


def test_prepare_follows_newmans_join_then_resolve_order():
    assert send("http://h:1/x?{{qs}}", qs="a=1&b=2").target.target == "/x?a=1&b=2"


# --- the pieces ---------------------------------------------------------------------------------------


def test_parse_url_parts():
    assert parse_url("https://u:p@api.example.com:8443/v1/users?a=1&b#top") == {
        "raw": "https://u:p@api.example.com:8443/v1/users?a=1&b#top",
        "protocol": "https",
        "auth": {"user": "u", "password": "p"},
        "host": ["api.example.com"],
        "port": "8443",
        "path": ["v1", "users"],
        "query": [{"key": "a", "value": "1"}, {"key": "b", "value": None}],
        "hash": "top",
    }
    assert parse_url("user@h")["auth"] == {"user": "user", "password": None}
    assert parse_url("h") == {"raw": "h", "host": ["h"]}
    assert parse_url("") == {"raw": "", "host": []}
    assert parse_url("file:///etc/hosts")["path"] == ["etc", "hosts"]


def test_parse_url_keeps_references_whole():
    url = parse_url("{{base}}/a/{{x/y?z#w}}/:id?k={{a&b=c}}&{{q}}#{{h}}")
    assert url["host"] == ["{{base}}"] and "protocol" not in url
    assert url["path"] == ["a", "{{x/y?z#w}}", ":id"]
    assert url["query"] == [{"key": "k", "value": "{{a&b=c}}"}, {"key": "{{q}}", "value": None}]
    assert url["hash"] == "{{h}}"
    assert parse_url("{{proto}}://{{user}}:{{pass}}@{{host}}:{{port}}/p") | {"raw": ""} == {
        "raw": "",
        "protocol": "{{proto}}",
        "auth": {"user": "{{user}}", "password": "{{pass}}"},
        "host": ["{{host}}"],
        "port": "{{port}}",
        "path": ["p"],
    }


def test_parse_query():
    assert parse_query("a=1&&b&=c&d==e") == [
        {"key": "a", "value": "1"},
        {"key": "", "value": None},
        {"key": "b", "value": None},
        {"key": "", "value": "c"},
        {"key": "d", "value": "=e"},
    ]
    assert parse_query("") == [{"key": "", "value": None}]


def test_as_url_object_forms():
    assert as_url_object(None) == {"host": [], "path": []}
    assert as_url_object("http://h/x")["path"] == ["x"]
    raw_only = as_url_object({"raw": "http://h/:id?a=1", "variable": [{"key": "id", "value": "7"}]})
    assert raw_only["host"] == ["h"] and raw_only["variable"] == [{"key": "id", "value": "7"}]
    assert raw_only["query"] == [{"key": "a", "value": "1"}]
    explicit = as_url_object({"raw": "http://h/?a=1", "query": [{"key": "b", "value": "2"}]})
    assert explicit["query"] == [{"key": "b", "value": "2"}]
    assert as_url_object({"host": "a.b.c", "path": "/"})["path"] == [""]
    assert as_url_object({"host": "a.b.c", "path": ""})["path"] == []
    assert join_url(as_url_object({"host": "{{a.b}}.c", "path": "x"})) == "{{a.b}}.c/x"


def test_join_url():
    url = {
        "protocol": "https",
        "auth": {"user": "u", "password": "p w"},
        "host": ["api", "example", "com"],
        "port": 8443,
        "path": ["v1", ":id", {"type": "string", "value": "x"}],
        "variable": [{"key": "id", "value": "42"}],
        "query": [{"key": "a", "value": "1"}, {"key": "off", "value": "2", "disabled": True}, "junk"],
        "hash": "h",
    }
    assert join_url(url) == "https://u:p w@api.example.com:8443/v1/42/x?a=1"
    assert join_url({"host": ["h"], "auth": {"user": "", "password": None}}) == "@h"
    assert join_url({"host": ["h"], "query": [{"key": "x", "disabled": True}]}) == "h"
    assert unparse_param({"key": "a{{b=c}}=", "value": "{{x#y}}#"}) == "a{{b=c}}%3D={{x#y}}%23"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no host"),
        ("http:///", "no host"),
        ("/only/a/path", "no host"),
        ("http://h:port/", "invalid port 'port'"),
        ("http://h:8_0/", "invalid port '8_0'"),
        ("http://h: 80/", "invalid port ' 80'"),
        ("http://h:65536/", "invalid port '65536'"),
        ("http://{{baseUrl}}:{{port}}/x", "invalid port '{{port}}'"),
    ],
)
def test_unusable_urls_raise_invalid_url(text, message):
    with pytest.raises(InvalidURL, match=message):
        to_target(text)


def test_target_properties():
    t = to_target("HTTPS://Example.COM:8443/a b?c=d")
    assert t == Target("https", "example.com", 8443, "/a%20b?c=d")
    assert (t.netloc, t.origin, str(t)) == (
        "example.com:8443",
        "https://example.com:8443",
        "https://example.com:8443/a%20b?c=d",
    )
    assert to_target("http://[::1]/").host == "::1"

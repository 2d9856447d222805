"""The --mock server, exercised over real loopback HTTP."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator

import httpx
import pytest

from runner.mock import MockServer
from tests.conftest import CORPUS

ZENDESK = CORPUS / "zendesk" / "zendesk-tickets-api.postman_collection.json"


def example(name: str, code: int, body: str | None = "", method: str = "GET", url: object = "", **extra) -> dict:
    """A saved example; `url` goes into originalRequest unless it is None (then none is saved)."""
    ex: dict = {"name": name, "code": code, "status": "", "header": [], "body": body, **extra}
    if url is not None:
        ex["originalRequest"] = {"method": method, "url": url, "header": []}
    return ex


def item(name: str, method: str, url: object, *examples: dict) -> dict:
    return {"name": name, "request": {"method": method, "url": url}, "response": list(examples)}


def obj_url(host: str, *path: str, query: list[dict] | None = None) -> dict:
    return {"raw": "ignored", "host": [host], "path": list(path), "query": query or [], "variable": []}


VARS = {
    "baseUrl": "http://x.test/api/v2",
    "amUrl": "https://am.example.test/am",
    "realm": "/realms/root",
}


def resolve(text: str) -> str:
    return re.sub(r"\{\{([^{}]+)\}\}", lambda m: VARS.get(m.group(1), m.group(0)), text)


ITEMS = [
    item(
        "user by id",
        "GET",
        "{{baseUrl}}/users/:id",
        example("user", 200, '{"id": 1}', "GET", obj_url("{{baseUrl}}", "users", ":id")),
    ),
    item(
        "me",
        "GET",
        "{{baseUrl}}/users/me",
        example("me", 200, '{"me": true}', "get", obj_url("{{baseUrl}}", "users", "me")),
    ),
    item(
        "list",
        "GET",
        "{{baseUrl}}/users",
        example("all", 200, "all", "GET", obj_url("{{baseUrl}}", "users")),
        example(
            "page 2",
            200,
            "page2",
            "GET",
            obj_url("{{baseUrl}}", "users", query=[{"key": "page", "value": "2"}]),
        ),
        example(
            "active",
            200,
            "active",
            "GET",
            obj_url(
                "{{baseUrl}}",
                "users",
                query=[{"key": "active", "value": "true"}, {"key": "x", "value": "1", "disabled": True}],
            ),
        ),
    ),
    item(
        "session",
        "POST",
        {"raw": "{{amUrl}}/json{{realm}}/sessions?_action=logout"},
        example("OK", 200, '{"result": "ok"}', "POST", obj_url("{{amUrl}}", "json{{realm}}", "sessions")),
        example("Unauthorized", 401, '{"code": 401}', "POST", obj_url("{{amUrl}}", "json{{realm}}", "sessions")),
    ),
    item(
        "tenant",
        "GET",
        "https://{{tenant}}.example.com/t/{{tenantId}}/info#frag",
        # no originalRequest: the item's own (string) request is used
        example("info", 202, None, url=None, _postman_previewlanguage="json"),
    ),
    item(
        "html page",
        "GET",
        "http://other.test/page.html?lang=en",
        example(
            "page",
            200,
            "<p>héllo</p>",
            "GET",
            "http://other.test/page.html?lang=en",
            _postman_previewlanguage="html",
            header=[
                {"key": "X-Seen", "value": "yes"},
                {"key": "Content-Length", "value": "999"},
                {"key": "Content-Encoding", "value": "gzip"},
                {"key": "Transfer-Encoding", "value": "chunked"},
            ],
        ),
    ),
    item("purge", "PURGE", "{{baseUrl}}/cache", example("purged", 200, "gone", "PURGE", "{{baseUrl}}/cache")),
    item("nothing", "DELETE", "{{baseUrl}}/users/:id", example("deleted", 204, None, "DELETE", None)),
]


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(ITEMS, resolve) as server:
        yield server


@pytest.fixture(scope="module")
def client(mock: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock.base_url, timeout=5) as c:
        yield c


def test_base_url_is_loopback(mock: MockServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mock.base_url)


def test_literal_path_beats_path_variable(client: httpx.Client) -> None:
    assert client.get("/api/v2/users/me").json() == {"me": True}
    assert client.get("/api/v2/users/42").json() == {"id": 1}
    assert client.get("/api/v2/users/42/").json() == {"id": 1}  # trailing slash insensitive


def test_base_url_prefix_is_required(client: httpx.Client) -> None:
    assert client.get("/users/42").status_code == 404


def test_query_preference(client: httpx.Client) -> None:
    assert client.get("/api/v2/users").text == "all"
    assert client.get("/api/v2/users?page=2").text == "page2"
    assert client.get("/api/v2/users?active=true").text == "active"
    assert client.get("/api/v2/users?active=true&x=1").text == "active"  # disabled saved param ignored
    assert client.get("/api/v2/users?other=1").text == "all"


def test_method_mismatch_is_explained(client: httpx.Client) -> None:
    r = client.post("/json/sessions", content=b"{}")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {
        "error": "mockRequestNotFoundError",
        "message": "No saved example matches POST /json/sessions",
        "method": "POST",
        "path": "/json/sessions",
    }
    assert client.put("/api/v2/users/me").status_code == 404


def test_response_code_header_picks_example(client: httpx.Client) -> None:
    path = "/am/json/realms/root/sessions"
    assert client.post(path, json={"a": 1}).status_code == 200
    r = client.post(path, json={"a": 1}, headers={"x-mock-response-code": "401"})
    assert (r.status_code, r.json()) == (401, {"code": 401})
    r = client.post(path, headers={"x-mock-response-code": "500"})
    assert r.status_code == 404
    assert "x-mock-response-code: 500" in r.json()["message"]


def test_response_name_header_picks_example(client: httpx.Client) -> None:
    path = "/am/json/realms/root/sessions"
    assert client.post(path, headers={"x-mock-response-name": "Unauthorized"}).status_code == 401
    assert client.get("/api/v2/users", headers={"x-mock-response-name": "page 2"}).text == "page2"
    r = client.post(path, headers={"x-mock-response-name": "nope"})
    assert r.status_code == 404 and "x-mock-response-name: nope" in r.json()["message"]


def test_string_url_with_unresolved_vars(client: httpx.Client) -> None:
    r = client.get("/t/acme/info")
    assert r.status_code == 202
    assert r.content == b"" and r.headers["content-length"] == "0"
    assert r.headers["content-type"] == "application/json"  # from _postman_previewlanguage
    assert client.get("/t/acme/extra/info").status_code == 404  # a wildcard is one segment


def test_headers_and_body(client: httpx.Client) -> None:
    r = client.get("/page.html?lang=en")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html"
    assert r.headers["x-seen"] == "yes"
    assert "content-encoding" not in r.headers and "transfer-encoding" not in r.headers
    assert r.headers["content-length"] == str(len("<p>héllo</p>".encode()))
    assert r.text == "<p>héllo</p>"


def test_custom_method_and_no_content(client: httpx.Client) -> None:
    assert client.request("PURGE", "/api/v2/cache").text == "gone"
    r = client.delete("/api/v2/users/7")  # no originalRequest url: falls back to the item's
    assert r.status_code == 204 and r.content == b""


def test_lowercase_method_and_keep_alive(mock: MockServer) -> None:
    """Two raw requests on one socket: a lower-case method with a body, then a chunked GET."""
    port = int(mock.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            b"purge /api/v2/cache HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            b"GET /api/v2/users/me HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n0\r\n\r\n"
        )
        data = b""
        while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b'{"me": true}'):
            chunk = sock.recv(65536)
            assert chunk, data
            data += chunk
    assert b"gone" in data


def test_stop_and_restart() -> None:
    server = MockServer(ITEMS, resolve)
    with pytest.raises(RuntimeError):
        _ = server.base_url
    server.start()
    url = server.base_url
    assert httpx.get(url + "/api/v2/users").text == "all"
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/api/v2/users", timeout=1)


def _flatten(items: list[dict]) -> Iterator[dict]:
    for it in items:
        if "item" in it:
            yield from _flatten(it["item"])
        else:
            yield it


@pytest.mark.skipif(not ZENDESK.exists(), reason="corpus collection not available")
def test_real_collection() -> None:
    collection = json.loads(ZENDESK.read_text())
    variables = {v["key"]: v["value"] for v in collection.get("variable", [])}

    def resolve_vars(text: str) -> str:
        return re.sub(r"\{\{([^{}]+)\}\}", lambda m: str(variables.get(m.group(1), m.group(0))), text)

    items = list(_flatten(collection["item"]))
    with MockServer(items, resolve_vars) as server, httpx.Client(base_url=server.base_url) as client:
        checked = 0
        for it in items:
            for ex in it.get("response", []):
                url = ex["originalRequest"]["url"]
                path = "/" + "/".join("123" if p.startswith(":") else p for p in url["path"])
                params = [(q["key"], q["value"]) for q in url.get("query", []) if not q.get("disabled")]
                method = ex["originalRequest"]["method"]
                headers = {"x-mock-response-name": ex["name"], "x-mock-response-code": str(ex["code"])}
                r = client.request(method, path, params=params, headers=headers)
                assert r.status_code == ex["code"], (method, path, ex["name"])
                checked += 1
        assert checked > 10
        # without hints, the first saved example for the path wins
        assert client.get("/tickets/5").status_code == 200

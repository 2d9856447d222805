"""The small rules under the wire features: URL match patterns, NO_PROXY, JSON comments, tough-cookie dates."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from runner.collection import inherit_profile
from runner.cookiejar import dump_jar, load_jar
from runner.request import strip_json_comments
from runner.transport import ProxyConfig, match_url_pattern
from tests.conftest import write_json


@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        ("https://example.com/*", "https://example.com/a/b", True),
        ("https://example.com/*", "http://example.com/a", False),
        ("http+https://example.com/*", "http://example.com/", True),
        ("*://example.com/*", "https://example.com/", True),
        ("https://*.example.com/*", "https://api.example.com/x", True),
        ("https://*.example.com/*", "https://example.com/x", True),
        ("https://*.example.com/*", "https://badexample.com/x", False),
        ("https://example.com:8443/*", "https://example.com:8443/x", True),
        ("https://example.com:8443/*", "https://example.com/x", False),
        ("https://example.com:443/*", "https://example.com/x", True),
        ("https://example.com/v1/*", "https://example.com/v2/x", False),
        ("https://*/*", "https://anything.test/", True),
        ("<all_urls>", "http://x.test/", True),
        ("example.com", "https://example.com/", False),
    ],
)
def test_url_match_patterns(pattern, url, expected):
    assert match_url_pattern(pattern, url) is expected


def test_proxy_environment_names_and_no_proxy():
    config = ProxyConfig(
        {
            "http_proxy": "proxy.test:3128",
            "HTTPS_PROXY": "http://u:p%40ss@secure.test:8080",
            "no_proxy": "a.test, .b.test,c.test:8080",
        }
    )
    assert config.for_url(httpx.URL("http://x.test/")) == "http://proxy.test:3128"
    assert config.for_url(httpx.URL("https://x.test/")) == "http://u:p%40ss@secure.test:8080"
    assert config.for_url(httpx.URL("http://a.test/")) is None
    assert config.for_url(httpx.URL("http://sub.a.test/")) is None
    assert config.for_url(httpx.URL("http://deep.b.test/")) is None
    assert config.for_url(httpx.URL("http://c.test:8080/")) is None
    assert config.for_url(httpx.URL("http://c.test/")) == "http://proxy.test:3128"
    assert config.for_url(httpx.URL("http://notb.test/")) == "http://proxy.test:3128"
    assert set(config.credentials()) == {"p%40ss", "p@ss"}
    assert ProxyConfig({"HTTP_PROXY": "http://p.test", "NO_PROXY": "*"}).for_url(httpx.URL("http://x.test/")) is None
    assert ProxyConfig({}).for_url(httpx.URL("http://x.test/")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1} // end', '{"a": 1} '),
        ('{"url": "http://x//y", /* c */ "b": 2}', '{"url": "http://x//y",  "b": 2}'),
        ('{"q": "say \\"/*hi*/\\""}', '{"q": "say \\"/*hi*/\\""}'),
        ("[1, /* unclosed", "[1, "),
        ("no slashes at all", "no slashes at all"),
        ("a // one\nb // two\r\nc", "a \nb \nc"),  # as strip-json-comments without whitespace: the \r goes
        ('"x" /* multi\nline */ y', '"x"  y'),
    ],
)
def test_json_comments_are_stripped_outside_strings(text, expected):
    assert strip_json_comments(text) == expected


def test_profiles_merge_key_by_key():
    parent = {"followRedirects": False, "disabledSystemHeaders": {"user-agent": True}}
    own = {"maxRedirects": 3, "disabledSystemHeaders": {"accept": True}}
    assert inherit_profile(parent, own) == {
        "followRedirects": False,
        "maxRedirects": 3,
        "disabledSystemHeaders": {"user-agent": True, "accept": True},
    }
    assert inherit_profile(parent, None) is parent


def test_jar_expiry_from_max_age_and_domain_cookies(tmp_path):
    path = write_json(
        tmp_path / "jar.json",
        {
            "cookies": [
                {
                    "key": "young",
                    "value": "1",
                    "domain": "x.test",
                    "path": "/",
                    "maxAge": 10**9,
                    "creation": "2024-01-01T00:00:00.000Z",
                },
                {
                    "key": "aged",
                    "value": "2",
                    "domain": "x.test",
                    "path": "/",
                    "maxAge": 60,
                    "creation": "2001-01-01T00:00:00.000Z",
                },
                {
                    "key": "wide",
                    "value": "3",
                    "domain": "x.test",
                    "path": "/",
                    "hostOnly": False,
                    "secure": True,
                    "httpOnly": True,
                },
            ]
        },
    )
    jar = httpx.Cookies()
    load_jar(str(path), jar)
    assert sorted(c.name for c in jar.jar) == ["wide", "young"]
    request = httpx.Request("GET", "https://api.x.test/")
    jar.set_cookie_header(request)
    assert request.headers["Cookie"] == "young=1; wide=3"  # without hostOnly: a domain cookie, as tough-cookie
    dumped = {c["key"]: c for c in dump_jar(jar)["cookies"]}
    assert dumped["wide"]["hostOnly"] is False and dumped["wide"]["secure"] and dumped["wide"]["httpOnly"]
    assert dumped["young"]["hostOnly"] is False and dumped["young"]["expires"].endswith("Z")


# --- one send per request: head and body coalesced --------------------------------------------


def _connection_pair() -> tuple[object, socket.socket]:
    from httpcore._backends.sync import SyncStream

    from runner.http11 import _Connection, _Route

    ours, peer = socket.socketpair()
    peer.settimeout(5)
    return _Connection(SyncStream(ours), _Route("http", "x.test", 80, None, ())), peer


def _send(conn: object, body: bytes) -> None:
    from runner.http11 import Connections

    headers = [(b"Host", b"x.test"), (b"Content-Length", str(len(body)).encode())]
    Connections._send(conn, b"POST", b"/", headers, body, 5)


def test_head_and_body_leave_in_one_send() -> None:
    conn, peer = _connection_pair()
    _send(conn, b"body")
    assert peer.recv(1000) == b"POST / HTTP/1.1\r\nHost: x.test\r\nContent-Length: 4\r\n\r\nbody"


def test_large_bodies_are_written_without_joining_them_to_the_head() -> None:
    from runner.http11 import COALESCE_LIMIT

    conn, peer = _connection_pair()
    big = b"x" * (COALESCE_LIMIT + 1)
    writer = threading.Thread(target=_send, args=(conn, big))
    writer.start()
    received = b""
    while not received.endswith(big):
        received += peer.recv(1 << 20)
    writer.join(5)
    assert received == b"POST / HTTP/1.1\r\nHost: x.test\r\nContent-Length: %d\r\n\r\n" % len(big) + big


def test_a_failed_write_still_reads_what_the_server_answered() -> None:
    """As httpcore does when a server closes early: the write error is dropped and the answer read."""
    from runner.http11 import _receive_head

    conn, peer = _connection_pair()
    peer.sendall(b"HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n")
    peer.shutdown(socket.SHUT_RD)
    peer.close()
    _send(conn, b"x" * 100_000)
    assert _receive_head(conn, 5).status_code == 413


def test_idle_connections_are_bounded_across_routes() -> None:
    """A run across many hosts keeps at most MAX_IDLE sockets open; the oldest route's go first."""
    from httpcore._backends.sync import SyncStream

    from runner.http11 import MAX_IDLE, Connections, _Connection, _Route
    from runner.transport import TLSOptions

    pool = Connections(TLSOptions())
    pairs = []
    for n in range(MAX_IDLE + 3):
        ours, peer = socket.socketpair()
        pairs.append((ours, peer))
        conn = _Connection(SyncStream(ours), _Route("http", f"h{n}.test", 80, None, ()))
        pool._busy.add(conn)
        pool._release(conn, reuse=True)
    assert sum(map(len, pool._idle.values())) == MAX_IDLE
    assert [r.host for r in pool._idle][:1] == ["h3.test"]
    assert pairs[0][0].fileno() == -1 and pairs[3][0].fileno() != -1  # the dropped ones are closed
    pool.close()
    assert all(ours.fileno() == -1 for ours, _ in pairs)

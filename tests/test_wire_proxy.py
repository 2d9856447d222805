"""HTTP_PROXY / HTTPS_PROXY / NO_PROXY, as Newman honours them: every request, redirects and
pm.sendRequest go through the proxy; https through CONNECT; credentials in the proxy URL masked."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from tests.conftest import collection, item, postrun, write_json
from tests.wire_servers import RecordingProxy

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "ALL_PROXY")


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(autouse=True)
def _clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def proxy(ca: trustme.CA):
    p = RecordingProxy(ca)
    yield p
    p.close()


def _write(tmp_path: Path, items: list[dict]) -> str:
    return str(write_json(tmp_path / "c.json", collection(items)))


def test_http_goes_to_the_proxy_in_absolute_form(tmp_path, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    coll = _write(
        tmp_path,
        [
            item(
                "a", "http://api.example.test/things?x=1", test=["pm.test('ok', () => pm.response.to.have.status(200))"]
            )
        ],
    )
    result = postrun(coll)
    assert result.exit_code == 0, result.output
    assert [r.request_line for r in proxy.requests] == ["GET http://api.example.test/things?x=1 HTTP/1.1"]
    assert proxy.requests[0].header("Host") == "api.example.test"
    assert proxy.connects == []


def test_https_goes_through_connect_and_lower_case_names_work(tmp_path, proxy, ca_file, monkeypatch):
    monkeypatch.setenv("https_proxy", proxy.url)
    coll = _write(tmp_path, [item("a", "https://secure.example.test/v1/me")])
    result = postrun(coll, "--ssl-extra-ca-certs", ca_file)
    assert result.exit_code == 0, result.output
    assert [c[0] for c in proxy.connects] == ["secure.example.test:443"]
    assert [(r.tunnel, r.request_line) for r in proxy.requests] == [("secure.example.test:443", "GET /v1/me HTTP/1.1")]


def test_https_falls_back_to_http_proxy(tmp_path, proxy, ca_file, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    coll = _write(tmp_path, [item("a", "https://only-http-proxy.example.test:8443/")])
    assert postrun(coll, "--ssl-extra-ca-certs", ca_file).exit_code == 0
    assert [c[0] for c in proxy.connects] == ["only-http-proxy.example.test:8443"]


def test_no_proxy_bypasses_matching_hosts(tmp_path, proxy, server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,.internal.test,127.0.0.1")
    coll = _write(
        tmp_path,
        [
            item("direct", f"{server.url}/direct"),
            item("proxied", "http://public.example.test/p"),
            item("suffix", "http://svc.internal.test/s"),
        ],
    )
    postrun(coll)
    assert [s.target for s in server.seen] == ["/direct"]  # 127.0.0.1 is in NO_PROXY
    lines = [r.request_line for r in proxy.requests]
    assert lines == ["GET http://public.example.test/p HTTP/1.1"]  # svc.internal.test bypassed (and unreachable)


def test_redirects_and_send_request_use_the_proxy(tmp_path, ca, monkeypatch):
    redirect = b"HTTP/1.1 302 Found\r\nLocation: http://next.example.test/landing\r\nContent-Length: 0\r\n\r\n"
    proxy = RecordingProxy(ca, answer=redirect)
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        script = ["pm.sendRequest('http://side.example.test/from-script', () => {});"]
        coll = _write(tmp_path, [item("a", "http://first.example.test/start", pre=script)])
        postrun(coll, "--ignore-redirects")
        assert [r.request_line for r in proxy.requests][:2] == [
            "GET http://side.example.test/from-script HTTP/1.1",
            "GET http://first.example.test/start HTTP/1.1",
        ]
        proxy.requests.clear()
        postrun(_write(tmp_path, [item("b", "http://first.example.test/again")]))
        lines = [r.request_line for r in proxy.requests]
        assert lines[:2] == [
            "GET http://first.example.test/again HTTP/1.1",
            "GET http://next.example.test/landing HTTP/1.1",
        ]
    finally:
        proxy.close()


def test_proxy_credentials_are_sent_and_masked(tmp_path, ca, monkeypatch):
    import base64

    expected = "Basic " + base64.b64encode(b"alice:pr0xy-s3cret").decode()
    proxy = RecordingProxy(ca, require_auth=expected)
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://alice:pr0xy-s3cret@127.0.0.1:{proxy.port}")
        coll = _write(tmp_path, [item("a", "http://api.example.test/x")])
        report = tmp_path / "r.json"
        result = postrun(coll, "--verbose", "-r", "cli,json", "--reporter-json-export", str(report))
        assert result.exit_code == 0, result.output
        assert proxy.requests[0].header("Proxy-Authorization") == expected
        assert "pr0xy-s3cret" not in result.output and "pr0xy-s3cret" not in report.read_text()
    finally:
        proxy.close()


def test_a_proxy_that_refuses_fails_the_item_and_the_run_goes_on(tmp_path, ca, ca_file, monkeypatch):
    proxy = RecordingProxy(ca, require_auth="Basic nope")
    try:
        monkeypatch.setenv("HTTPS_PROXY", f"http://bob:hunter2-proxy@127.0.0.1:{proxy.port}")
        coll = _write(tmp_path, [item("a", "https://x.example.test/"), item("b", "https://y.example.test/")])
        result = postrun(coll, "--ssl-extra-ca-certs", ca_file)
        assert result.exit_code == 1
        assert [c[0] for c in proxy.connects] == ["x.example.test:443", "y.example.test:443"]
        assert "hunter2-proxy" not in result.output
        assert "Traceback" not in result.output
    finally:
        proxy.close()

"""The html reporter end to end: real runs against the loopback server, the page read back as text,
and (where Chromium is installed) opened in a headless browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.collection import build_collection
from runner.engine import Run, RunOptions, Session
from runner.reporters import make_reporters
from runner.reporters.html import BODY_LIMIT, HtmlReporter, body_view
from runner.secrets import Masker
from runner.variables import VariableScope
from tests.conftest import EchoServer, write_json

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
SECRETS = ("s3cr3t-token", "hunter2-pw", "dXNlcjpodW50ZXIyLXB3", "key-123456")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def item(name: str, url: str, tests: list[str] | None = None, **request: Any) -> dict[str, Any]:
    events = [{"listen": "test", "script": {"exec": tests}}] if tests else []
    return {"name": name, "event": events, "request": {"method": "GET", "url": url, **request}}


def environment(name: str, base: str, **values: str) -> VariableScope:
    entries = [{"key": "base", "value": base, "enabled": True}]
    entries += [{"key": k, "value": v, "enabled": True} for k, v in values.items()]
    entries.append({"key": "token", "value": "s3cr3t-token", "type": "secret", "enabled": True})
    return VariableScope(name, entries)


def run_html(tmp_path: Path, items: list[dict[str, Any]], tenants: list[VariableScope], **options: Any) -> str:
    """Run ``items`` once per tenant with the html reporter (as ``postrun run -r html`` wires it); the page."""
    collection = build_collection({"info": {"name": "html demo", "schema": SCHEMA}, "item": items}, "c.json")
    out = tmp_path / "report.html"
    masker = Masker()
    masker.add([env.get("apiKey") for env in tenants if env.has("apiKey")])  # as --secret apiKey does
    runs = [
        Run(
            collection=collection,
            environment=env,
            options=RunOptions(**options),
            masker=masker,
            tenant=env.name if len(tenants) > 1 else "",
        )
        for env in tenants
    ]
    reporters = make_reporters(["html"], {"html_export": str(out)})
    Session(collection, runs, reporters, masker, parallel=2).execute()
    return out.read_text(encoding="utf-8")


def failing_items() -> list[dict[str, Any]]:
    return [
        item("healthy", "{{base}}/ok", ["pm.test('is 200', () => pm.response.to.have.status(200))"]),
        {
            "name": "orders",
            "item": [
                item(
                    "create order",
                    "{{base}}/echo-secret?k={{apiKey}}",
                    [
                        "console.log('token is', pm.environment.get('token'));",
                        "pm.test('order accepted', () => pm.expect(pm.response.code).to.equal(201))",
                    ],
                    method="POST",
                    header=[
                        {"key": "X-Token", "value": "{{token}}"},
                        {"key": "Content-Type", "value": "application/json"},
                    ],
                    body={"mode": "raw", "raw": '{"sku": "A-1", "token": "{{token}}"}'},
                    auth={
                        "type": "basic",
                        "basic": [{"key": "username", "value": "user"}, {"key": "password", "value": "hunter2-pw"}],
                    },
                )
            ],
        },
    ]


class _Outline(HTMLParser):
    """What a browser would fetch: every src/href/action, and how many html documents there are."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.documents = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.documents += tag == "html"
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "action", "srcset", "poster", "data")]


def test_failing_run_page_is_self_contained_failures_first_and_masked(tmp_path, server: EchoServer):
    page = run_html(tmp_path, failing_items(), [environment("env", server.url, apiKey="key-123456")])
    assert server.seen[1].header("X-Token") == "s3cr3t-token"  # the secret really went out and came back

    outline = _Outline()
    outline.feed(page)
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert outline.documents == 1
    assert all(link.startswith("#") for link in outline.links), outline.links
    urls = set(re.findall(r"https?://[^\s\"'<>]*", page))
    assert urls and all(u.startswith(server.url) for u in urls), urls  # only request URLs, shown as text
    assert "<link" not in page and "@import" not in page and "url(" not in page

    failures, executions = page.index('id="failures"'), page.index('id="executions"')
    first = page.index("order accepted")
    assert failures < first < executions
    assert "expected 200 to equal 201" in page[failures:executions]
    assert "orders / create order" in page[failures:executions]
    assert 'POST</span> <span class="url">' + server.url + "/echo-secret?k=***" in page[failures:executions]

    for secret in SECRETS:
        assert secret not in page, secret
    assert "token is ***" in page  # console output, masked
    assert "&#34;X-Token&#34;: &#34;***&#34;" in page  # the echoed header, pretty-printed and masked
    assert page.count("<details") >= 4 and "<details open" not in page.split('id="executions"')[1]


def test_two_tenants_show_the_tenant_table_and_the_item_matrix(tmp_path, server: EchoServer):
    items = [
        item("ping", "{{base}}/ping", ["pm.test('200', () => pm.response.to.have.status(200))"]),
        item("flaky", "{{base}}/status/{{code}}", ["pm.test('200', () => pm.response.to.have.status(200))"]),
    ]
    tenants = [environment("acme", server.url, code="200"), environment("globex", server.url, code="503")]
    page = run_html(tmp_path, items, tenants, iterations=2)

    matrix = page[page.index('id="matrix"') : page.index("</table>", page.index('id="matrix"'))]
    assert "<th>acme</th><th>globex</th>" in matrix
    rows = {m[0]: m[1] for m in re.findall(r"<tr><td>([^<]+)</td>(.*?)</tr>", matrix, re.S)}
    assert "✓ 2" in rows["ping"] and "✗" not in rows["ping"]
    flaky = re.findall(r'<td class="cell (\w+)">([^<]*)</td>', rows["flaky"])
    assert flaky == [("ok", "✓ 2"), ("bad", "✗ 2")]
    tenants_table = page[page.index('id="tenants"') : page.index('id="matrix"')]
    assert "acme" in tenants_table and "globex" in tenants_table
    failures = page[page.index('id="failures"') : page.index('id="summary"')]
    assert failures.count('class="failure"') == 2 and "globex" in failures and "acme" not in failures


def test_large_bodies_are_cut_and_show_their_full_size(tmp_path, server: EchoServer):
    big = "x" * (BODY_LIMIT * 2)
    items = [item("big", "{{base}}/big", method="POST", body={"mode": "raw", "raw": big})]
    page = run_html(tmp_path, items, [environment("env", server.url)])
    assert "x" * BODY_LIMIT in page and "x" * (BODY_LIMIT + 1) not in page
    assert "showing the first 65.54kB of 131.07kB"  # sizes as Newman prints them (base 1000) in page


def test_past_the_body_budget_later_bodies_are_cut_shorter(tmp_path, server: EchoServer, monkeypatch):
    monkeypatch.setattr("runner.reporters.html.BODY_BUDGET", 1)
    big = {"mode": "raw", "raw": "q" * 10_000}
    items = [item(f"i{n}", "{{base}}/i", method="POST", body=big) for n in range(3)]
    page = run_html(tmp_path, items, [environment("env", server.url)])
    assert "the bodies of 2 later executions are cut to 2.05kB" in page
    assert page.count("q" * 10_000) == 2  # the first request, and its echo in the response
    assert page.count("showing the first 2.05kB of 10kB") == 2  # the later requests


def test_bodies_are_masked_before_the_cut_and_binary_is_described():
    masker = Masker()
    masker.add(["s3cr3t-token"])
    text = "x" * (BODY_LIMIT - 5) + "s3cr3t-token" + "y" * (BODY_LIMIT * 3)
    view = body_view(text.encode(), "text/plain", masker)
    assert view is not None and view["truncated"] and view["size"] == len(text)
    assert "x***y" in view["text"] and "s3cr" not in view["text"]
    assert body_view(b"\x89PNG\x00\x00", "image/png", masker) == {
        "text": None,
        "size": 6,
        "note": "binary content not shown",
    }
    assert body_view(b"--b\r\n...", "multipart/form-data", masker, opaque=True)["note"].startswith("multipart")
    assert body_view(None, None, masker) is None
    pretty = body_view(b'{"a":[1,{"t":"s3cr3t-token"}]}', None, masker)
    assert pretty is not None and pretty["text"] == '{\n  "a": [\n    1,\n    {\n      "t": "***"\n    }\n  ]\n}'


def test_executions_past_the_cap_are_summed_per_item(tmp_path, server: EchoServer, monkeypatch):
    monkeypatch.setattr("runner.reporters.html.DETAIL_CAP", 3)
    items = [
        item("a", "{{base}}/a"),
        item("b", "{{base}}/status/{{code}}", ["pm.test('ok', () => pm.response.to.have.status(200))"]),
    ]
    page = run_html(tmp_path, items, [environment("env", server.url, code="500")], iterations=4)
    # a1 b1 a2 in order; past the cap the failed b2 b3 b4 still one by one, a3 a4 summed up
    assert page.count('<details class="exec') == 3 + 3
    assert "8 executions: the first 3 are shown one by one" in page
    rest = page[page.index('id="rest"') :]
    assert "Not shown one by one (2 executions)" in rest
    assert re.search(r"<td>a</td>\s*<td class=\"num\">2</td>", rest)


def test_request_errors_script_errors_and_skipped_requests_are_shown(tmp_path, server: EchoServer):
    items = [
        item("refused", "http://127.0.0.1:1/x"),
        item("broken", "{{base}}/b", ["throw new Error('boom ' + pm.environment.get('token'))"]),
        {
            "name": "skipped",
            "event": [{"listen": "prerequest", "script": {"exec": ["pm.execution.skipRequest()"]}}],
            "request": {"method": "GET", "url": "{{base}}/never"},
        },
    ]
    page = run_html(tmp_path, items, [environment("env", server.url)], bail=False)
    failures = page[page.index('id="failures"') : page.index('id="executions"')]
    assert "connect ECONNREFUSED 127.0.0.1:1" in failures
    assert "boom ***" in failures and "s3cr3t-token" not in page
    assert "(request skipped by the pre-request script)" in page
    assert [s.target for s in server.seen] == ["/b"]


def test_cli_run_with_html_and_progress_writes_the_default_report(tmp_path, server: EchoServer):
    coll = {"info": {"name": "cli demo", "schema": SCHEMA}, "item": failing_items()}
    env = {"name": "env", "values": [{"key": "base", "value": server.url, "enabled": True}]}
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        Path("c.json").write_text(json.dumps(coll), encoding="utf-8")
        Path("e.json").write_text(json.dumps(env), encoding="utf-8")
        result = runner.invoke(main, ["run", "c.json", "-e", "e.json", "-r", "html,progress"], catch_exceptions=False)
        (report,) = Path("postrun").glob("postrun-run-report-*.html")
        page = report.read_text(encoding="utf-8")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("progress: 2/2 requests (100%), 1 failed, finished in")
    assert "order accepted" in page and "hunter2-pw" not in page


def test_cli_two_tenants_in_parallel_processes_fill_the_matrix(tmp_path, server: EchoServer):
    coll = write_json(tmp_path / "c.json", {"info": {"name": "cli demo", "schema": SCHEMA}, "item": failing_items()})
    envs = []
    for name in ("acme", "globex"):
        values = [
            {"key": "base", "value": server.url, "enabled": True},
            {"key": "apiKey", "value": f"key-{name}-123456", "type": "secret", "enabled": True},
            {"key": "token", "value": "s3cr3t-token", "type": "secret", "enabled": True},
        ]
        envs += ["-e", str(write_json(tmp_path / f"{name}.json", {"name": name, "values": values}))]
    out = tmp_path / "tenants.html"
    args = ["run", str(coll), *envs, "--parallel", "2", "-r", "html", "--reporter-html-export", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    matrix = page[page.index('id="matrix"') : page.index("</table>", page.index('id="matrix"'))]
    assert "<th>acme</th><th>globex</th>" in matrix
    assert re.search(
        r"<td>orders / create order</td>\s*<td class=\"cell bad\">✗ 1</td>\s*<td class=\"cell bad\">", matrix
    )
    for secret in ("s3cr3t-token", "hunter2-pw", "key-acme-123456", "key-globex-123456", "dXNlcjpodW50ZXIyLXB3"):
        assert secret not in page, secret


def test_reporter_is_registered_with_a_default_path():
    (reporter,) = make_reporters(["html"], {})
    assert isinstance(reporter, HtmlReporter)
    assert reporter.path.startswith("postrun") and reporter.path.endswith(".html")
    reporter.spool.close()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_headless_chromium_renders_the_page(tmp_path, server: EchoServer):
    page = run_html(tmp_path, failing_items(), [environment("env", server.url, apiKey="key-123456")])
    assert page
    shot = tmp_path / "shot.png"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1280,900",
        (tmp_path / "report.html").as_uri(),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium could not run: {exc}")
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

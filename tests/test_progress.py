"""The progress reporter (plain lines in CI logs, one redrawn line on a terminal) and the GitHub step
summary, on real runs against the loopback server."""

from __future__ import annotations

import io
import re
from typing import Any

from runner.collection import build_collection
from runner.engine import Run, RunOptions, Session
from runner.reporters import make_reporters
from runner.reporters.progress import ProgressReporter, eta_seconds
from runner.reporters.summary import MAX_FAILURES, write_step_summary
from runner.secrets import Masker
from runner.variables import VariableScope
from tests.conftest import EchoServer

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def item(name: str, url: str, tests: list[str] | None = None) -> dict[str, Any]:
    events = [{"listen": "test", "script": {"exec": tests}}] if tests else []
    return {"name": name, "event": events, "request": {"method": "GET", "url": url}}


def session(
    server: EchoServer, reporters: list[Any], tenants: dict[str, str], items: list[dict[str, Any]], iterations: int = 1
) -> Session:
    """A session over ``items``, one tenant per name (value: the status /status/{{code}} answers)."""
    collection = build_collection({"info": {"name": "progress demo", "schema": SCHEMA}, "item": items}, "c.json")
    masker = Masker()
    runs = []
    for name, code in tenants.items():
        env = VariableScope(
            name,
            [
                {"key": "base", "value": server.url, "enabled": True},
                {"key": "code", "value": code, "enabled": True},
                {"key": "token", "value": "s3cr3t-token", "type": "secret", "enabled": True},
            ],
        )
        runs.append(
            Run(
                collection=collection,
                environment=env,
                options=RunOptions(iterations=iterations),
                masker=masker,
                tenant=name if len(tenants) > 1 else "",
            )
        )
    return Session(collection, runs, reporters, masker, parallel=2)


ITEMS = [
    item("ok", "{{base}}/ok"),
    item("maybe", "{{base}}/status/{{code}}", ["pm.test('is 200', () => pm.response.to.have.status(200))"]),
]


class FakeTerminal:
    """A stream that says it is a terminal and keeps every write."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)


def test_plain_lines_in_ci_logs_every_tenth_and_a_final_line(server: EchoServer):
    out = io.StringIO()
    reporter = ProgressReporter({}, stream=out)
    session(server, [reporter], {"": "500"}, ITEMS, iterations=5).execute()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert lines[0].startswith("progress: 1/10 requests (10%), 0 failed, eta ")
    assert [int(re.match(r"progress: (\d+)/10", line).group(1)) for line in lines] == list(range(1, 11))
    assert re.search(r"progress: 4/10 requests \(40%\), 2 failed, eta \S+", out.getvalue())
    assert re.fullmatch(r"progress: 10/10 requests \(100%\), 5 failed, finished in \S+", lines[-1])


def test_plain_lines_are_rate_limited_on_long_runs(server: EchoServer):
    out = io.StringIO()
    items = [item(f"i{n}", "{{base}}/ok") for n in range(50)]
    session(server, [ProgressReporter({"progress": 3600}, stream=out)], {"": "200"}, items).execute()
    lines = out.getvalue().splitlines()
    assert len(lines) == 10  # 10%, 20% ... 90%, then the final line
    assert lines[0].startswith("progress: 5/50 requests (10%), 0 failed")


def test_a_terminal_gets_one_line_redrawn_with_a_bar(server: EchoServer):
    term = FakeTerminal()
    items = [item(f"i{n}", "{{base}}/ok") for n in range(30)]
    session(server, [ProgressReporter({}, stream=term)], {"": "200"}, items).execute()
    redraws = [w for w in term.writes if w.startswith("\r") and not w.endswith("\n")]
    assert redraws[0].startswith("\r[------------------------] 0/30 requests (0%), 0 failed")
    assert 1 <= len(redraws) < 30  # throttled: not one per request
    assert all("\n" not in w for w in redraws)
    final = "".join(term.writes).rsplit("\r", 1)[1]
    assert re.match(r"progress: 30/30 requests \(100%\), 0 failed, finished in \S+\s*\n$", final)


def test_several_tenants_count_all_of_them_and_say_when_each_ends(server: EchoServer):
    out = io.StringIO()
    (reporter,) = make_reporters(["progress"], {})
    reporter.out, reporter.tty = out, False
    session(server, [reporter], {"acme": "200", "globex": "503"}, ITEMS, iterations=2).execute()
    text = out.getvalue()
    assert "/8 requests" in text
    assert "progress: tenant acme passed (4 requests, 0 failures)" in text
    assert "progress: tenant globex failed (4 requests, 2 failures)" in text
    assert text.splitlines()[-1].startswith("progress: 8/8 requests (100%), 2 failed, finished in")


def test_eta_follows_the_pace_so_far():
    assert eta_seconds(0, 100, 5.0) is None
    assert eta_seconds(25, 100, 5.0) == 15.0
    assert eta_seconds(120, 100, 5.0) is None  # past the planned total: unknown


def test_step_summary_is_appended_masked_and_escaped(server: EchoServer, tmp_path, monkeypatch):
    target = tmp_path / "step-summary.md"
    target.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    items = [
        *ITEMS,
        item(
            "leaky",
            "{{base}}/ok",
            ["pm.test('<img src=x> | ' + pm.environment.get('token'), () => pm.expect(1).to.equal(2))"],
        ),
    ]
    run = session(server, [], {"acme": "200", "globex": "503"}, items).execute()
    write_step_summary(run)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n### ❌ postrun: progress demo failed")
    assert "| requests | 6 | 0 |" in text and "| assertions | 4 | 3 |" in text and "| **failures** | **3** | |" in text
    assert re.search(r"\| acme \| ❌ failed \| 3 \| 0 \| 2 \| 1 \| 1 \|", text)
    assert re.search(r"\| globex \| ❌ failed \| 3 \| 0 \| 2 \| 2 \| 2 \|", text)
    assert "1. **leaky** (tenant acme, iteration 1): &lt;img src=x&gt; \\| \\*\\*\\*: expected 1 to equal 2" in text
    assert "s3cr3t-token" not in text and "<img" not in text


def test_step_summary_lists_the_first_failures_and_needs_the_variable(server: EchoServer, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    check = ["pm.test('is 200', () => pm.response.to.be.ok)"]
    items = [item(f"bad {n}", "{{base}}/status/500", check) for n in range(60)]
    run = session(server, [], {"": "200"}, items).execute()
    write_step_summary(run)  # no variable: nothing to do, nothing raised
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    write_step_summary(run)
    text = target.read_text(encoding="utf-8")
    assert f"{MAX_FAILURES}. **bad 49**" in text and "**bad 50**" not in text
    assert "…and 10 more failures." in text
    assert "| tenant |" not in text

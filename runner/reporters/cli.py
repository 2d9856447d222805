"""The cli reporter: Newman's terminal output, a line per request, a summary table, the failures."""

from __future__ import annotations

import sys
from typing import Any, TextIO

import click

from runner.collection import Folder
from runner.results import Execution, Summary


def human_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n}{unit}" if unit == "B" else f"{n:.2f}{unit}".replace(".00", "")
        n /= 1024  # type: ignore[assignment]
    return f"{n}B"


def human_ms(ms: float) -> str:
    if ms < 1:
        return f"{ms * 1000:.0f}µs"
    if ms < 1000:
        return f"{ms:.0f}ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f}s"
    return f"{int(ms // 60_000)}m {ms % 60_000 / 1000:.1f}s"


class CliReporter:
    def __init__(self, options: dict[str, Any], stream: TextIO | None = None) -> None:
        self.out = stream or sys.stdout
        self.color = options.get("color", "auto")
        self.verbose = bool(options.get("verbose"))
        self.no_success = bool(options.get("cli_no_success_assertions"))
        self.no_summary = bool(options.get("cli_no_summary"))
        self.no_failures = bool(options.get("cli_no_failures"))
        self.no_console = bool(options.get("cli_no_console"))
        self._folder: Folder | None = None
        self._failure_index = 0

    def _style(self, text: str, **kw: Any) -> str:
        use = self.color == "on" or (self.color == "auto" and getattr(self.out, "isatty", lambda: False)())
        return click.style(text, **kw) if use else text

    def _echo(self, text: str = "") -> None:
        click.echo(self.run.masker.mask(text), file=self.out)

    def start(self, run: Any) -> None:
        self.run = run
        self._echo("postrun\n")
        self._echo(run.collection.name)

    def execution(self, ex: Execution) -> None:
        item = ex.item
        parent = item.parent if isinstance(item.parent, Folder) and item.parent.parent is not None else None
        if parent is not self._folder:
            self._folder = parent
            if parent is not None:
                self._echo("\n❏ " + " / ".join(parent.path))
        if ex.iteration and item is self.run.items[0]:
            self._echo(f"\nIteration {ex.iteration + 1}/{self.run.iteration_count}")
        self._echo(("\n↳ " if parent is not None else "\n→ ") + item.name)
        for err in (e for e in ex.script_errors if e.event == "prerequest"):
            self._failure_index += 1
            self._echo(self._style(f"  {self._failure_index}. {err.name} in prerequest-script", fg="red"))
        if ex.skipped:
            self._echo(self._style("  (request skipped by pm.execution.skipRequest)", fg="yellow"))
        elif ex.request is not None or ex.request_error:
            method = ex.request.method if ex.request else ""
            url = ex.request.url if ex.request else ""
            if ex.response is not None:
                res = ex.response
                self._echo(
                    f"  {method} {url} [{res.code} {res.reason}, {human_size(res.size)}, {human_ms(res.time_ms)}]"
                )
            else:
                self._echo(f"  {method} {url} " + self._style("[errored]", fg="red"))
                self._echo(self._style(f"     {ex.request_error}", fg="red"))
        if self.verbose and ex.request is not None:
            for key, value in ex.request.headers:
                self._echo(self._style(f"    > {key}: {value}", dim=True))
            if ex.response is not None:
                for key, value in ex.response.headers:
                    self._echo(self._style(f"    < {key}: {value}", dim=True))
        for warning in ex.warnings:
            self._echo(self._style(f"  ⚠ {warning}", fg="yellow"))
        if ex.console and (self.verbose or not self.no_console):
            self._echo("  ┌")
            for level, message in ex.console:
                for line in message.splitlines() or [""]:
                    self._echo(f"  │ {line}" if level == "log" else f"  │ [{level}] {line}")
            self._echo("  └")
        for a in ex.assertions:
            if a.skipped:
                self._echo(self._style(f"  -  {a.name} (skipped)", fg="cyan"))
            elif a.passed:
                if not self.no_success:
                    self._echo(self._style("  ✓ ", fg="green") + f" {a.name}")
            else:
                self._failure_index += 1
                self._echo(self._style(f"  {self._failure_index}. {a.name}", fg="red"))
        for err in (e for e in ex.script_errors if e.event == "test"):
            self._failure_index += 1
            self._echo(self._style(f"  {self._failure_index}. {err.name} in test-script", fg="red"))

    def done(self, summary: Summary) -> None:
        if not self.no_summary:
            self._table(summary)
        if summary.interrupted:
            self._echo(self._style(f"\nrun stopped: {summary.interrupted}", fg="yellow"))
        if summary.failures and not self.no_failures:
            self._echo("")
            self._echo(self._style("  #  failure         detail", fg="red"))
            for n, f in enumerate(summary.failures, start=1):
                title = "AssertionError" if f.kind == "assertion" else f.title
                self._echo(f"\n {n}.  {title}")
                if f.kind == "assertion":
                    self._echo(f"     {f.title}")
                self._echo(f"     {f.message}")
                where = f"at {f.kind}" + (
                    f" (iteration {f.iteration + 1})" if summary.stats.iterations.total > 1 else ""
                )
                self._echo(self._style(f"     {where}", dim=True))
                self._echo(self._style(f'     inside "{f.path}"', dim=True))

    def _table(self, summary: Summary) -> None:
        s = summary.stats
        rows = [
            ("iterations", s.iterations),
            ("requests", s.requests),
            ("test-scripts", s.testScripts),
            ("prerequest-scripts", s.prerequestScripts),
            ("assertions", s.assertions),
        ]
        w0, w1 = 25, 18

        def line(left: str, mid: str, right: str) -> str:
            return f"{left}{'─' * w0}{mid}{'─' * w1}{mid}{'─' * w1}{right}"

        self._echo("")
        self._echo(line("┌", "┬", "┐"))
        self._echo(f"│{'':{w0}}│{'executed':>{w1 - 1}} │{'failed':>{w1 - 1}} │")
        for name, counter in rows:
            self._echo(line("├", "┼", "┤"))
            failed = str(counter.failed)
            self._echo(f"│{name:>{w0 - 1}} │{counter.total:>{w1 - 1}} │{failed:>{w1 - 1}} │")
        width = w0 + 2 * w1 + 2
        t = summary.timings()
        extra = [
            f"total run duration: {human_ms((summary.completed or 0) * 1000 - summary.started * 1000)}",
            f"total data received: {human_size(summary.bytes_received)} (approx)",
        ]
        if summary.response_times:
            extra.append(
                f"average response time: {human_ms(t['responseAverage'])} [min: {human_ms(t['responseMin'])}, "
                f"max: {human_ms(t['responseMax'])}, s.d.: {human_ms(t['responseSd'])}]"
            )
        self._echo(f"├{'─' * w0}┴{'─' * w1}┴{'─' * w1}┤")
        for i, text in enumerate(extra):
            self._echo(f"│ {text:<{width - 1}}│")
            self._echo(f"├{'─' * width}┤" if i < len(extra) - 1 else f"└{'─' * width}┘")

"""The cli reporter: Newman's terminal output, a line per request, a summary table, the failures."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TextIO

import click

from runner.collection import Folder
from runner.reporters.verbose import PhaseStats, verbose_lines
from runner.results import Execution, Summary, aggregate, wire_size

SIZE_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def human_size(n: int) -> str:
    """A byte count as Newman prints it (the filesize package, base 1000, no space): ``490B``,
    ``1.5kB``, ``1.02kB`` for 1024; two decimals past bytes, rounded half up, trailing zeros dropped."""
    if n <= 0:
        return "0B"
    if n < 1000 and isinstance(n, int):  # whole bytes, as the rule below gives them
        return f"{n}B"
    exponent = min(max(math.floor(math.log(n) / math.log(1000)), 0), len(SIZE_UNITS) - 1)
    scale = 100 if exponent else 1
    value = math.floor(n / 1000**exponent * scale + 0.5) / scale
    if value == 1000 and exponent < len(SIZE_UNITS) - 1:
        value, exponent = 1, exponent + 1
    text = repr(float(value))
    return (text[:-2] if text.endswith(".0") else text) + SIZE_UNITS[exponent]


def human_ms(ms: float) -> str:
    """A duration as Newman prints it: whole microseconds under 1 ms, whole milliseconds (cut,
    not rounded) under 1998 ms, then pretty-ms 7's units (``1.9s``, ``1m 5.4s``, ``1h 2m 3.4s``),
    seconds cut to a tenth and units that are 0 left out."""
    if ms < 1:
        return f"{int(ms * 1000)}µs"
    if ms < 1998:
        return f"{int(ms)}ms"
    days = math.floor(ms / 86_400_000)
    units = [
        (days // 365, "y"), (days % 365, "d"), (math.floor(ms / 3_600_000) % 24, "h"),
        (math.floor(ms / 60_000) % 60, "m"),
    ]  # fmt: skip
    parts = [f"{value}{unit}" for value, unit in units if value]
    seconds = f"{math.floor(ms / 1000 % 60 * 10 + 1e-7) / 10:.1f}".removesuffix(".0")
    if float(seconds):
        parts.append(f"{seconds}s")
    return " ".join(parts) or "0ms"


UNICODE = {"ok": "✓", "folder": "❏", "root": "→", "sub": "↳", "top": "┌", "middle": "│", "bottom": "└"}
PLAIN = {"ok": "Pass", "folder": "Folder", "root": "Root", "sub": "Sub-folder", "top": "-", "middle": "|"}
PLAIN["bottom"] = "-"
# --disable-unicode: the tables' box drawing and the remaining marks in plain ASCII, as Newman's fallback
ASCII = str.maketrans({c: "+" for c in "┌┬┐├┼┤┴└┘"} | {"─": "-", "│": "|", "═": "="} | {"✓": "v", "✗": "x"}
                      | {"★": "*", "↑": "^", "↓": "v", "⚠": "!", "µ": "u"})


def use_color(choice: str, stream: Any) -> bool:
    """``--color on`` colours even through a pipe, ``off`` never; ``auto`` honours NO_COLOR and
    FORCE_COLOR, then colours a terminal only."""
    if choice in ("on", "off"):
        return choice == "on"
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("0", "false"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


class CliReporter:
    def __init__(self, options: dict[str, Any], stream: TextIO | None = None) -> None:
        self.out = stream or sys.stdout
        self.color = options.get("color", "auto")
        self.verbose = bool(options.get("verbose"))
        self.no_success = bool(options.get("cli_no_success_assertions"))
        self.no_summary = bool(options.get("cli_no_summary"))
        self.no_failures = bool(options.get("cli_no_failures"))
        self.no_console = bool(options.get("cli_no_console"))
        self.no_assertions = bool(options.get("cli_no_assertions"))
        self.no_banner = bool(options.get("cli_no_banner"))
        self.timestamps = bool(options.get("cli_show_timestamps"))
        self.silent = bool(options.get("cli_silent"))
        self.plain = bool(options.get("disable_unicode"))
        self.symbols = PLAIN if self.plain else UNICODE
        self._colored = use_color(self.color, self.out)
        self._finished: set[str] = set()  # tenants whose run ended
        self._printed: set[str] = set()  # tenants whose block is printed (in the order they were given)
        self._dns, self._first_byte = PhaseStats(), PhaseStats()  # --verbose averages
        self._folder: dict[str, Folder | None] = {}
        self._failure_index: dict[str, int] = {}
        self._iteration: dict[str, int] = {}  # tenant -> iteration of its latest execution
        self._blocks: dict[str, list[str]] = {}  # several tenants: each tenant's lines, printed when it ends
        self._matrix: dict[tuple[str, str], list[int]] = {}  # (tenant, item id) -> [passed, failed]

    def _style(self, text: str, **kw: Any) -> str:
        return click.style(text, **kw) if self._colored else text

    def _print(self, text: str) -> None:
        if not self.silent:
            click.echo(text.translate(ASCII) if self.plain else text, file=self.out, color=self._colored)

    def _stamp(self) -> str:
        return self._style(f"[{time.strftime('%H:%M:%S')}] ", dim=True) if self.timestamps else ""

    def _echo(self, text: str = "", tenant: str | None = None) -> None:
        text = self.session.masker.mask(text)
        if tenant is not None and self.session.multi:
            self._blocks.setdefault(tenant, []).append(text)
        else:
            self._print(text)

    def start(self, session: Any) -> None:
        self.session = session
        if not self.no_banner:
            self._echo("postrun\n")
        self._echo(session.collection.name)
        if session.multi:
            names = ", ".join(run.tenant for run in session.runs)
            self._echo(f"{len(session.runs)} tenants: {names} (up to {session.parallel} at once)")

    def _exchange(self, ex: Execution, echo: Callable[[str], None]) -> None:
        """One request's line (and its --verbose details)."""
        method = ex.request.method if ex.request else ""
        url = ex.request.url if ex.request else ""
        if ex.response is not None:
            res = ex.response
            size, took = human_size(wire_size(res)), human_ms(res.time_ms)
            echo(f"  {self._stamp()}{method} {url} [{res.code} {res.reason}, {size}, {took}]")
        else:
            echo(f"  {self._stamp()}{method} {url} " + self._style("[errored]", fg="red"))
            echo(self._style(f"     {ex.request_error}", fg="red"))
        if self.verbose and ex.request is not None:
            for key, value in ex.request.headers:
                echo(self._style(f"    > {key}: {value}", dim=True))
            if ex.response is not None:
                for key, value in ex.response.headers:
                    echo(self._style(f"    < {key}: {value}", dim=True))
            dim = lambda text: self._style(text, dim=True)  # noqa: E731
            for line in verbose_lines(ex, self.symbols, human_size, human_ms, dim):
                echo(line)
            if ex.response is not None and ex.response.phases:
                self._dns.add(ex.response.phases["dns"])
                self._first_byte.add(ex.response.phases["firstByte"])

    def _index(self, tenant: str) -> int:
        self._failure_index[tenant] = self._failure_index.get(tenant, 0) + 1
        return self._failure_index[tenant]

    def execution(self, ex: Execution) -> None:
        lines: list[str] = []
        self._lines(ex, lines.append)
        self._echo("\n".join(lines), ex.tenant)  # one write an execution, masked as a whole

    def _lines(self, ex: Execution, echo: Callable[[str], None]) -> None:
        tenant = ex.tenant
        cell = self._matrix.setdefault((tenant, ex.item.id), [0, 0])
        cell[1 if ex.failed else 0] += 1
        item = ex.item
        parent = item.parent if isinstance(item.parent, Folder) and item.parent.parent is not None else None
        run = next(r for r in self.session.runs if r.tenant == tenant)
        if self._iteration.get(tenant) != ex.iteration:  # Newman's banner, the first iteration's too
            self._iteration[tenant] = ex.iteration
            if run.iteration_count > 1:
                echo(f"\nIteration {ex.iteration + 1}/{run.iteration_count}")
            self._folder.pop(tenant, None)
        header = parent is not None and parent is not self._folder.get(tenant)
        if parent is not self._folder.get(tenant):
            self._folder[tenant] = parent
            if parent is not None:
                echo(f"\n{self.symbols['folder']} " + " / ".join(parent.path))
        mark = self.symbols["sub"] if parent is not None else self.symbols["root"]
        echo(("" if header else "\n") + f"{mark} " + item.name)
        for err in (e for e in ex.script_errors if e.event == "prerequest"):
            echo(self._style(f"  {self._index(tenant)}. {err.name} in prerequest-script", fg="red"))
        for call in ex.auth_calls:  # OAuth 2.0 token requests: a line each, before the item's request
            res = call.response
            where = f"  {call.request.method} {call.request.url}"
            if res is not None:
                shown = f"[{res.code} {res.reason}, {human_size(wire_size(res))}, {human_ms(res.time_ms)}]"
                echo(f"{where} {shown} (oauth2 {call.purpose})")
            else:
                echo(f"{where} " + self._style("[errored]", fg="red") + f" (oauth2 {call.purpose})")
        if ex.skipped:
            echo(self._style("  (request skipped by pm.execution.skipRequest)", fg="yellow"))
        elif ex.request is not None or ex.request_error:
            for request, response in ex.attempts:  # what the auth exchange sent first: a line each, as Newman
                self._exchange(replace(ex, request=request, response=response, request_error=None), echo)
            self._exchange(ex, echo)
        for warning in ex.warnings:
            echo(self._style(f"  ⚠ {warning}", fg="yellow"))
        if ex.console and (self.verbose or not self.no_console):
            bar = self.symbols["middle"]
            echo(f"  {self.symbols['top']}")
            for level, message in ex.console:
                for line in message.splitlines() or [""]:
                    echo(f"  {bar} {line}" if level == "log" else f"  {bar} [{level}] {line}")
            echo(f"  {self.symbols['bottom']}")
        for a in ex.assertions:
            if self.no_assertions:
                if not a.passed and not a.skipped:
                    self._index(tenant)  # failures keep their numbers in the list at the end
            elif a.skipped:
                echo(self._style(f"  -  {a.name} (skipped)", fg="cyan"))
            elif a.passed:
                if not self.no_success:
                    echo(self._stamp() + self._style(f"  {self.symbols['ok']} ", fg="green") + f" {a.name}")
            else:
                echo(self._stamp() + self._style(f"  {self._index(tenant)}. {a.name}", fg="red"))
        for err in (e for e in ex.script_errors if e.event == "test"):
            echo(self._style(f"  {self._index(tenant)}. {err.name} in test-script", fg="red"))

    def run_done(self, summary: Summary) -> None:
        """A tenant finished: print the blocks of the finished tenants at the front, in the order given."""
        if not self.session.multi:
            return
        self._finished.add(summary.tenant)
        self._flush_blocks(final=False)

    def _flush_blocks(self, final: bool) -> None:
        for run in self.session.runs:
            tenant = run.tenant
            if tenant in self._printed:
                continue
            if tenant not in self._finished and not final:
                return
            if tenant in self._finished or tenant in self._blocks:
                status = "failed" if not run.summary.ok else "passed"
                self._print(self.session.masker.mask(f"\n══ tenant {tenant} ({status}) ══"))
                for line in self._blocks.pop(tenant, []):
                    self._print(line)
            self._printed.add(tenant)

    def done(self, session: Any) -> None:
        if session.multi:
            self._flush_blocks(final=True)
        summaries = session.summaries
        total = aggregate(summaries)
        if session.multi and not self.no_summary:
            self._tenant_matrix(session)
        if not self.no_summary:
            self._table(total)
        if session.interrupted:
            self._echo(self._style(f"\nrun stopped: {session.interrupted}", fg="yellow"))
        if total.failures and not self.no_failures:
            self._failure_table(total, session)
        if session.multi:
            failed = [s.tenant for s in summaries if not s.ok]
            if failed:
                self._echo(self._style(f"\ntenants with failures: {', '.join(failed)}", fg="red"))
            else:
                self._echo(self._style(f"\nall {len(summaries)} tenants passed", fg="green"))

    def _failure_table(self, total: Summary, session: Any) -> None:
        """Newman's failure table: number, error name (and iteration), then the test, message, where."""
        cycles = max((run.iteration_count for run in session.runs), default=1)
        width = len(str(len(total.failures)))
        rows: list[tuple[str, list[str], list[str]]] = []
        for n, f in enumerate(total.failures, start=1):
            name = ["AssertionError" if f.kind == "assertion" else f.title]
            if cycles > 1:
                name.append(f"iteration: {f.iteration + 1}")
            at = f"assertion:{f.index} in test-script" if f.kind == "assertion" else f.kind
            inside = f'inside "{f.path}"' + (f" for tenant {f.tenant}" if session.multi else "")
            detail = [f.title if f.kind == "assertion" else "", *f.message.splitlines(), f"at {at}", inside]
            rows.append((f"{n:>{width}}.", name, detail))
        widths = [
            max([width + 1, 1] + [len(r[0]) for r in rows]),
            max([7] + [len(line) for r in rows for line in r[1]]),
            max([6] + [len(line) for r in rows for line in r[2]]),
        ]
        blank = " " * (sum(widths) + 6)
        self._echo("")
        head = f" {'#':>{widths[0]}}  {'failure':<{widths[1]}}  {'detail':<{widths[2]}} "
        self._echo(self._style(head, fg="red"))
        for number, name, detail in rows:
            self._echo(blank)
            for i in range(max(len(name), len(detail))):
                left = number if i == 0 else ""
                mid = name[i] if i < len(name) else ""
                right = detail[i] if i < len(detail) else ""
                if i:
                    mid, right = self._style(mid.ljust(widths[1]), dim=True), self._style(right, dim=True)
                line = f" {left:>{widths[0]}}  {mid:<{widths[1]}}  {right:<{widths[2]}} "
                self._echo(line)

    def _tenant_matrix(self, session: Any) -> None:
        """A row per item, a column per tenant: ✓ when every run of it passed, ✗ and a count otherwise."""
        tenants = [run.tenant for run in session.runs]
        items = session.runs[0].items
        width = max([len(i.name) for i in items] + [4])
        cols = [max(len(t), 3) for t in tenants]
        self._echo("")
        self._echo(" " * (width + 2) + "  ".join(t.rjust(c) for t, c in zip(tenants, cols, strict=True)))
        for item in items:
            cells = []
            for tenant, c in zip(tenants, cols, strict=True):
                passed, failed = self._matrix.get((tenant, item.id), [0, 0])
                mark = "-" if not passed and not failed else ("✓" if not failed else f"✗{failed}")
                cells.append(mark.rjust(c))
            self._echo(f"  {item.name.ljust(width)}" + "  ".join(cells))

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
        if summary.responses:
            extra.append(
                f"average response time: {human_ms(t['responseAverage'])} [min: {human_ms(t['responseMin'])}, "
                f"max: {human_ms(t['responseMax'])}, s.d.: {human_ms(t['responseSd'])}]"
            )
        if self.verbose and self._first_byte.n:
            extra.append(self._dns.line("average DNS lookup time:", human_ms))
            extra.append(self._first_byte.line("average first byte time:", human_ms))
        self._echo(f"├{'─' * w0}┴{'─' * w1}┴{'─' * w1}┤")
        for i, text in enumerate(extra):
            self._echo(f"│ {text:<{width - 1}}│")
            self._echo(f"├{'─' * width}┤" if i < len(extra) - 1 else f"└{'─' * width}┘")

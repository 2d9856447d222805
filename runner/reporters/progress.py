"""The progress reporter: how far a long run has got, how many failed, and when it should end.

On a terminal it redraws one line (``\\r``) at most ``REDRAWS_PER_SECOND`` times a second; in a CI
log, where redraws would pile up, it prints a plain line every ``progress`` seconds (option,
default 10) or each time another 10% is done. The total is items x iterations x tenants; when
``setNextRequest`` makes a run longer than that, the total is shown as unknown.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any, TextIO

from runner.reporters.cli import human_ms
from runner.results import Execution, Summary

REDRAWS_PER_SECOND = 10
DEFAULT_INTERVAL = 10.0  # seconds between plain lines when not on a terminal
BAR_WIDTH = 24


def planned_requests(session: Any) -> int:
    """Items x iterations for every tenant: what the run will execute unless scripts jump around."""
    total = 0
    for run in session.runs:
        iterations = len(run.iterations) if run.iterations is not None else run.iteration_count
        total += len(run.items) * iterations
    return total


def eta_seconds(done: int, total: int, elapsed: float) -> float | None:
    """Time left at the pace so far; None until there is a pace, or when the total is unknown."""
    if done <= 0 or total <= done or elapsed <= 0:
        return None
    return elapsed / done * (total - done)


class ProgressReporter:
    def __init__(self, options: dict[str, Any], stream: TextIO | None = None) -> None:
        self.out = stream or sys.stderr  # stdout belongs to the cli reporter: the two never interleave
        interval = options.get("progress")
        self.interval = float(interval) if isinstance(interval, int | float) and interval > 0 else DEFAULT_INTERVAL
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.done_count = 0
        self.failed = 0
        self.total = 0
        self._last_draw = 0.0
        self._last_line = 0.0
        self._last_decile = 0
        self._width = 0  # length of the line on screen, to blank it when redrawing a shorter one

    def start(self, session: Any) -> None:
        self.session = session
        self.total = planned_requests(session)
        self.started = time.monotonic()
        self._last_line = self.started
        if self.tty:
            self._draw()

    def execution(self, ex: Execution) -> None:
        self.done_count += 1
        self.failed += bool(ex.failed)
        now = time.monotonic()
        if self.tty:
            if now - self._last_draw >= 1 / REDRAWS_PER_SECOND:
                self._draw(now)
            return
        decile = self.done_count * 10 // self.total if self.total and self.done_count <= self.total else 0
        crossed = self._last_decile < decile < 10  # the 100% line is the one ``done`` prints
        self._last_decile = max(decile, self._last_decile)
        if crossed or now - self._last_line >= self.interval:
            self._last_line = now
            self._print(self.status(now))

    def run_done(self, summary: Summary) -> None:
        if not self.session.multi:
            return
        s = summary.stats
        state = "passed" if summary.ok else "failed"
        self._print(
            f"progress: tenant {summary.tenant} {state} ({s.items.total} requests, {len(summary.failures)} failures)"
        )

    def done(self, session: Any) -> None:
        elapsed = time.monotonic() - self.started
        line = f"progress: {self._counts()}, {self.failed} failed, finished in {human_ms(elapsed * 1000)}"
        if session.interrupted:
            line += f" (stopped: {session.interrupted})"
        self._print(line)

    # -- drawing --------------------------------------------------------------------------------
    def _counts(self) -> str:
        if self.total and self.done_count <= self.total:
            percent = self.done_count * 100 // self.total
            return f"{self.done_count}/{self.total} requests ({percent}%)"
        return f"{self.done_count} requests"

    def status(self, now: float | None = None) -> str:
        """The plain one-line status: counts, failures so far and the time left."""
        elapsed = (now or time.monotonic()) - self.started
        eta = eta_seconds(self.done_count, self.total, elapsed)
        text = f"progress: {self._counts()}, {self.failed} failed"
        return text + (f", eta {human_ms(eta * 1000)}" if eta is not None else "")

    def _bar(self) -> str:
        if not self.total or self.done_count > self.total:
            return ""
        filled = BAR_WIDTH * self.done_count // self.total
        return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "] "

    def _draw(self, now: float | None = None) -> None:
        """Redraw the terminal line in place, cut to the terminal's width."""
        now = now or time.monotonic()
        self._last_draw = now
        text = self._bar() + self.status(now).removeprefix("progress: ")
        columns = shutil.get_terminal_size((80, 24)).columns - 1
        text = self.session.masker.mask(text)[:columns]
        pad = max(0, self._width - len(text))
        self.out.write("\r" + text + " " * pad)
        self._flush()
        self._width = len(text)

    def _print(self, line: str) -> None:
        """A whole line; on a terminal it replaces the bar, which is drawn again on the next update."""
        line = self.session.masker.mask(line)
        if self.tty and self._width:
            line = "\r" + line.ljust(self._width)
            self._width = 0
        self.out.write(line + "\n")
        self._flush()

    def _flush(self) -> None:
        flush = getattr(self.out, "flush", None)
        if flush is not None:
            flush()

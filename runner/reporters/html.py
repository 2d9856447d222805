"""The html reporter: one self-contained page a person opens after a run, failures at the top.

The page fetches nothing when opened (CSS and JS are inline, no fonts or CDNs, and a CSP says
so) and stays usable on long runs: each execution is a collapsed ``<details>``, and the only
script is a filter box that does nothing until used. Executions are masked, their bodies cut to
``BODY_LIMIT``, and spooled to a temporary file as they finish; at the end the page is streamed
out through ``atomic_writer`` one execution at a time, so memory stays flat however long the run.
The page stays a size a browser opens: past ``DETAIL_CAP`` executions only failed ones are kept
in detail (the rest are summed up per item), and past ``BODY_BUDGET`` bodies are cut shorter.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from runner import headers as header_list
from runner.files import atomic_writer
from runner.reporters import default_export_path, default_file_name
from runner.reporters.cli import human_ms, human_size
from runner.reporters.spool import Spool
from runner.results import Execution, Summary, aggregate
from runner.secrets import Masker

BODY_LIMIT = 64 * 1024  # characters of each request or response body shown
BODY_BUDGET = 64 * 1024 * 1024  # characters of bodies on the page before later ones are cut shorter
SMALL_BODY_LIMIT = 2 * 1024  # characters of each body once the budget is spent (but for the first failures)
PRETTY_LIMIT = 1024 * 1024  # bytes: larger JSON bodies are shown as sent, not re-indented
MASK_MARGIN = 64 * 1024  # characters masked past the cut: longer than any secret
DETAIL_CAP = 10_000  # executions shown one by one; past it, failed ones only
FAILED_DETAIL_CAP = 1_000  # failed executions shown one by one past DETAIL_CAP
FAILURE_CARDS = 500  # failed executions shown with their request and response at the top
CONSOLE_LINES = 200  # console lines kept per execution
CONSOLE_CHARS = 4096  # characters kept per console line
ITERATION_ROWS = 200  # rows of the per-iteration table before it shows failed iterations only


@dataclass
class Tally:
    """Running counts for one row of a table: an iteration, or an item not shown in detail."""

    runs: int = 0
    failed: int = 0
    assertions: int = 0
    assertions_failed: int = 0
    time_ms: float = 0.0

    def add(self, ex: Execution) -> None:
        self.runs += 1
        self.failed += bool(ex.failed)
        self.assertions += len(ex.assertions)
        self.assertions_failed += len(ex.failed_assertions)
        self.time_ms += ex.response.time_ms if ex.response else 0.0


def make_environment(masker: Masker) -> Environment:
    """Jinja with autoescape, and every value masked on its way out (macro output is already masked)."""

    def finalize(value: Any) -> Any:
        return value if isinstance(value, Markup) else masker.mask(value)

    env = Environment(
        loader=PackageLoader("runner.reporters", "templates"),
        autoescape=True,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ms"] = human_ms
    env.filters["size"] = human_size
    return env


def body_view(
    data: bytes | None,
    content_type: str | None,
    masker: Masker,
    text: str | None = None,
    opaque: bool = False,
    limit: int = BODY_LIMIT,
) -> dict[str, Any] | None:
    """A body as the page shows it: JSON re-indented, masked, then cut to ``limit`` characters.

    Masking comes before the cut, so a cut never leaves part of a secret; a huge body is decoded
    and masked only up to ``MASK_MARGIN`` past the cut, so it costs no more than a small one.
    ``opaque`` bodies (multipart with files) are described, not shown.
    """
    if text is None:
        if data is None:
            return None
        if opaque or b"\x00" in data[:1024]:
            what = "multipart or file content" if opaque else "binary content"
            return {"text": None, "size": len(data), "note": f"{what} not shown"}
        window = data if len(data) <= PRETTY_LIMIT else data[: 4 * (limit + MASK_MARGIN)]
        text = window.decode("utf-8", errors="replace")
    size = len(data) if data is not None else len(text.encode("utf-8", errors="replace"))
    if size <= PRETTY_LIMIT and _looks_json(content_type, text):
        try:
            text = json.dumps(masker.mask_deep(json.loads(text)), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):
            pass
    text = masker.mask(text[: limit + MASK_MARGIN])
    return {"text": text[:limit], "size": size, "truncated": len(text) > limit}


def _looks_json(content_type: str | None, text: str) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return text.lstrip()[:1] in ("{", "[")


_header = header_list.first


def execution_record(ex: Execution, seq: int, masker: Masker, limit: int = BODY_LIMIT) -> dict[str, Any]:
    """What the page shows of one execution, masked and bounded in size, ready to spool."""
    record: dict[str, Any] = {
        "n": seq,
        "tenant": ex.tenant,
        "iteration": ex.iteration,
        "item": ex.item.id,
        "path": " / ".join(ex.item.path) or ex.item.name,
        "failed": ex.failed,
        "skipped": ex.skipped,
        "error": ex.request_error,
        "request": None,
        "response": None,
        "assertions": [
            {
                "name": a.name,
                "status": "skipped" if a.skipped else ("passed" if a.passed else "failed"),
                "message": None if a.passed or a.skipped else (a.error_message or "assertion failed"),
            }
            for a in ex.assertions
        ],
        "script_errors": [str(e) + f" ({e.event}-script of {e.owner})" for e in ex.script_errors],
        "warnings": list(ex.warnings),
        "console": [[level, msg[:CONSOLE_CHARS]] for level, msg in ex.console[:CONSOLE_LINES]],
        "console_dropped": max(0, len(ex.console) - CONSOLE_LINES),
        "attempts": [  # what the auth exchange sent before the item's request (a digest challenge)
            f"{req.method} {req.url} [{res.code} {res.reason}]" for req, res in ex.attempts
        ],
        "auth_calls": [  # OAuth 2.0 token requests made for this item, one line each
            f"{c.request.method} {c.request.url} "
            + (f"[{c.response.code} {c.response.reason}]" if c.response is not None else "[errored]")
            + f" (oauth2 {c.purpose})"
            for c in ex.auth_calls
        ],
    }
    if ex.request is not None:
        req = ex.request
        record["request"] = {
            "method": req.method,
            "url": req.url,
            "headers": req.headers,
            "body": body_view(
                req.body,
                _header(req.headers, "Content-Type"),
                masker,
                req.body_text,
                opaque=req.body_text is None,
                limit=limit,
            ),
        }
    if ex.response is not None:
        res = ex.response
        record["response"] = {
            "code": res.code,
            "reason": res.reason,
            "headers": res.headers,
            "body": body_view(res.body, res.header("Content-Type"), masker, limit=limit),
            "size": res.size,
            "time_ms": res.time_ms,
        }
    return masker.mask_deep(record)


class HtmlReporter:
    """``-r html``: writes the page to ``options["html_export"]`` (or the default report path)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("html_export") or default_export_path("html", "html")
        self.spool = Spool()
        self.seq = 0
        self.detailed = 0
        self.extra_failed = 0  # failed executions kept in detail past DETAIL_CAP
        self.body_chars = 0  # characters of bodies spooled so far, against BODY_BUDGET
        self.bodies_cut = 0  # executions whose bodies got SMALL_BODY_LIMIT
        self.offsets: dict[str, list[int]] = {}  # tenant -> spool offsets of its detailed executions
        self.failed: list[tuple[str, int, int]] = []  # (tenant, seq, offset) of failed executions in detail
        self.failed_total = 0
        self.cells: dict[tuple[str, str], list[int]] = {}  # (tenant, item id) -> [passed, failed]
        self.iterations: dict[int, Tally] = {}
        self.rest: dict[tuple[str, str], Tally] = {}  # executions past the caps, per (tenant, item id)

    def start(self, session: Any) -> None:
        self.session = session

    def execution(self, ex: Execution) -> None:
        self.seq += 1
        cell = self.cells.setdefault((ex.tenant, ex.item.id), [0, 0])
        cell[1 if ex.failed else 0] += 1
        self.iterations.setdefault(ex.iteration, Tally()).add(ex)
        self.failed_total += bool(ex.failed)
        if self.detailed >= DETAIL_CAP:
            if not ex.failed or self.extra_failed >= FAILED_DETAIL_CAP:
                self.rest.setdefault((ex.tenant, ex.item.id), Tally()).add(ex)
                return
            self.extra_failed += 1
        self.detailed += 1
        limit = BODY_LIMIT
        if self.body_chars >= BODY_BUDGET and not (ex.failed and len(self.failed) < FAILURE_CARDS):
            limit = SMALL_BODY_LIMIT
            self.bodies_cut += 1
        record = execution_record(ex, self.seq, self.session.masker, limit)
        for part in (record["request"], record["response"]):
            if part and part["body"] and part["body"]["text"]:
                self.body_chars += len(part["body"]["text"])
        offset = self.spool.append(record)
        self.offsets.setdefault(ex.tenant, []).append(offset)
        if ex.failed:
            self.failed.append((ex.tenant, self.seq, offset))

    def run_done(self, summary: Summary) -> None:
        pass

    def done(self, session: Any) -> None:
        env = make_environment(session.masker)
        tenants = [run.tenant for run in session.runs]
        order = {name: i for i, name in enumerate(tenants)}
        failed = sorted(self.failed, key=lambda f: (order.get(f[0], 0), f[1]))[:FAILURE_CARDS]
        context = self._context(session)
        context["failures"] = (self.spool.read_at(offset) for _t, _s, offset in failed)
        context["failures_shown"] = len(failed)
        execution = env.get_template("execution.html.j2")
        group = env.get_template("group.html.j2")
        try:
            with atomic_writer(self.path, "html report", default_file_name("html")) as out:
                for chunk in env.get_template("head.html.j2").generate(context):
                    out.write(chunk)
                for tenant in tenants:
                    offsets = self.offsets.get(tenant, [])
                    if session.multi:
                        out.write(group.render(tenant=tenant, count=len(offsets)))
                    for offset in offsets:
                        out.write(execution.render(r=self.spool.read_at(offset), multi=session.multi))
                out.write(env.get_template("tail.html.j2").render(context))
        finally:
            self.spool.close()

    def _context(self, session: Any) -> dict[str, Any]:
        """Everything the page shows besides the executions: small, whatever the run's length."""
        summaries: list[Summary] = session.summaries
        total = aggregate(summaries)
        s = total.stats
        completed = session.completed or time.time()
        items = session.runs[0].items
        tenants = [run.tenant for run in session.runs]
        timings = total.timings()
        iteration_rows = sorted(self.iterations.items())
        iterations_note = None
        if len(iteration_rows) > ITERATION_ROWS:
            iterations_note = f"{len(iteration_rows)} iterations: showing those with failures only"
            iteration_rows = [(i, t) for i, t in iteration_rows if t.failed][:ITERATION_ROWS]
            if not iteration_rows:
                iterations_note = f"{len(self.iterations)} iterations, none failed"
        names = {item.id: " / ".join(item.path) or item.name for item in items}
        return {
            "title": session.collection.name,
            "generated": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(completed)),
            "ok": session.ok,
            "interrupted": session.interrupted,
            "multi": session.multi,
            "duration_ms": (completed - session.started) * 1000,
            "stats": s,
            "responses": total.responses,
            "timings": timings,
            "received": total.bytes_received,
            "failure_lines": len(total.failures),
            "failed_total": self.failed_total,
            "iteration_rows": iteration_rows,
            "iterations_note": iterations_note,
            "tenants": [
                {
                    "name": summary.tenant,
                    "environment": summary.environment_name or "",
                    "ok": summary.ok,
                    "stats": summary.stats,
                    "failures": len(summary.failures),
                    "duration_ms": ((summary.completed or completed) - summary.started) * 1000,
                    "average_ms": summary.timings()["responseAverage"],
                }
                for summary in summaries
            ],
            "matrix": {
                "tenants": tenants,
                "rows": [
                    {"path": names[item.id], "cells": [self.cells.get((t, item.id)) for t in tenants]} for item in items
                ],
            },
            "executions": self.seq,
            "detailed": self.detailed,
            "detail_cap": DETAIL_CAP,
            "rest": [
                {"tenant": tenant, "path": names.get(item_id, item_id), "tally": tally}
                for (tenant, item_id), tally in self.rest.items()
            ],
            "rest_count": sum(t.runs for t in self.rest.values()),
            "bodies_cut": self.bodies_cut,
            "small_body_limit": SMALL_BODY_LIMIT,
        }

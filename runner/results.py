"""What a run produced: one Execution per item run, and the totals reporters summarise."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from runner.collection import Collection, Item
from runner.executor import Response
from runner.request import PreparedRequest
from runner.sandbox.runtime import ScriptError, TestResult
from runner.url import InvalidURL, Target, join_url, to_target


@dataclass(repr=False)
class Execution:
    """One item, run once in one iteration."""

    item: Item
    iteration: int
    tenant: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    request: PreparedRequest | None = None
    response: Response | None = None
    request_error: str | None = None
    assertions: list[TestResult] = field(default_factory=list)
    script_errors: list[ScriptError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    skipped: bool = False  # pm.execution.skipRequest()
    auth_calls: list[Any] = field(default_factory=list)  # OAuth 2.0 token requests (runner.auth.TokenCall)
    # What the auth exchange sent before ``request`` (digest's and NTLM's challenged requests, a 401
    # before a new OAuth 2.0 token), oldest first: Newman reports each as one more request of the item.
    attempts: list[tuple[PreparedRequest, Response]] = field(default_factory=list)
    prerequest_scripts: int = 0
    test_scripts: int = 0

    @property
    def failed_assertions(self) -> list[TestResult]:
        return [a for a in self.assertions if not a.passed and not a.skipped]

    @property
    def failed(self) -> bool:
        return bool(self.request_error or self.failed_assertions or self.script_errors or self.warnings)

    def __repr__(self) -> str:
        got = f"{self.response.code} {self.response.reason}" if self.response else self.request_error or "no response"
        sent = f"{self.request.method} {self.request.url}" if self.request else "not sent"
        failed = len(self.failed_assertions)
        tenant = f" tenant={self.tenant!r}" if self.tenant else ""
        return (
            f"<Execution {'/'.join(self.item.path) or self.item.name!r}{tenant} iteration={self.iteration}: "
            f"{sent} -> {got}, {len(self.assertions)} assertion(s), {failed} failed>"
        )


@dataclass(repr=False)
class Failure:
    """One line of the failure list: what failed, where, and why."""

    kind: str  # "assertion", "request", "prerequest-script", "test-script", "warning"
    item: Item
    iteration: int
    title: str
    message: str
    tenant: str = ""
    index: int = 0  # an assertion's place among its execution's assertions (Newman's error.index)
    sent_headers: list[tuple[str, str]] | None = None  # what the request carried (Newman's failure source)
    execution_id: str = ""  # the Execution it came from (its cursor in the json report)

    @property
    def path(self) -> str:
        return " / ".join(self.item.path)

    def __repr__(self) -> str:
        tenant = f"tenant={self.tenant!r}, " if self.tenant else ""
        return (
            f"Failure({tenant}iteration={self.iteration}, item={self.path or self.item.name!r}, "
            f"{self.kind}={self.title!r}, message={self.message!r})"
        )


@dataclass
class Counter:
    total: int = 0
    failed: int = 0
    pending: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "pending": self.pending, "failed": self.failed}


@dataclass(repr=False)
class Stats:
    iterations: Counter = field(default_factory=Counter)
    items: Counter = field(default_factory=Counter)
    scripts: Counter = field(default_factory=Counter)
    prerequests: Counter = field(default_factory=Counter)
    requests: Counter = field(default_factory=Counter)
    tests: Counter = field(default_factory=Counter)
    assertions: Counter = field(default_factory=Counter)
    testScripts: Counter = field(default_factory=Counter)  # noqa: N815 - Newman's JSON key
    prerequestScripts: Counter = field(default_factory=Counter)  # noqa: N815 - Newman's JSON key

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: getattr(self, name).as_dict() for name in self.__dataclass_fields__}

    @property
    def test_scripts(self) -> Counter:
        return self.testScripts

    @property
    def prerequest_scripts(self) -> Counter:
        return self.prerequestScripts

    def __repr__(self) -> str:
        shown = ("requests", "assertions", "testScripts", "prerequestScripts", "iterations")
        parts = [f"{name}={getattr(self, name).total}/{getattr(self, name).failed} failed" for name in shown]
        return f"Stats({', '.join(parts)})"


@dataclass
class Summary:
    """One tenant's run: running totals and failures, kept as it goes (executions are not kept)."""

    collection: Collection
    environment_name: str | None = None
    tenant: str = ""
    started: float = field(default_factory=time.time)
    completed: float | None = None
    stats: Stats = field(default_factory=Stats)
    failures: list[Failure] = field(default_factory=list)
    interrupted: str | None = None  # why the run stopped early (bail, timeout, Ctrl-C)
    responses: int = 0  # response-time aggregates, kept running so memory stays flat
    time_sum: float = 0.0
    time_sumsq: float = 0.0
    time_min: float = 0.0
    time_max: float = 0.0
    bytes_received: int = 0

    def record(self, ex: Execution) -> None:
        """Fold one execution into the totals and the failure list."""
        s = self.stats
        before = len(self.failures)
        s.items.total += 1
        s.prerequests.total += 1
        s.tests.total += 1
        s.prerequestScripts.total += ex.prerequest_scripts
        s.testScripts.total += ex.test_scripts
        s.scripts.total += ex.prerequest_scripts + ex.test_scripts
        s.requests.total += len(ex.attempts) + (ex.request is not None and not ex.skipped)
        if ex.request_error:
            s.requests.failed += 1
            self.failures.append(Failure("request", ex.item, ex.iteration, "Error", ex.request_error, ex.tenant))
        for warning in ex.warnings:
            self.failures.append(Failure("warning", ex.item, ex.iteration, "Warning", warning, ex.tenant))
        for err in ex.script_errors:
            counter = s.prerequestScripts if err.event == "prerequest" else s.testScripts
            counter.failed += 1
            s.scripts.failed += 1
            kind = "prerequest-script" if err.event == "prerequest" else "test-script"
            where = f"{err.owner}" + (f", line {err.line}" if err.line else "")
            self.failures.append(
                Failure(kind, ex.item, ex.iteration, err.name, f"{err.message} ({kind} of {where})", ex.tenant)
            )
        for index, a in enumerate(ex.assertions):
            s.assertions.total += 1
            if a.skipped:
                s.assertions.pending += 1
            elif not a.passed:
                s.assertions.failed += 1
                message = a.error_message or "assertion failed"
                self.failures.append(Failure("assertion", ex.item, ex.iteration, a.name, message, ex.tenant, index))
        for failure in self.failures[before:]:
            failure.execution_id = ex.id
            if ex.request is not None:
                failure.sent_headers = ex.request.headers
        for response in [res for _, res in ex.attempts] + [ex.response]:
            if response is not None:
                self.add_time(response.time_ms)
                self.bytes_received += body_size(response)  # Newman's "total data received": bodies only

    def add_time(self, ms: float) -> None:
        self.time_min = ms if not self.responses else min(self.time_min, ms)
        self.time_max = ms if not self.responses else max(self.time_max, ms)
        self.responses += 1
        self.time_sum += ms
        self.time_sumsq += ms * ms

    @property
    def ok(self) -> bool:
        return not self.failures and not self.interrupted

    def timings(self) -> dict[str, Any]:
        n = self.responses
        avg = self.time_sum / n if n else 0.0
        sd = math.sqrt(max(0.0, self.time_sumsq / n - avg * avg)) if n else 0.0
        completed = self.completed or time.time()
        return {
            "responseAverage": avg,
            "responseMin": self.time_min,
            "responseMax": self.time_max,
            "responseSd": sd,
            "started": int(self.started * 1000),
            "completed": int(completed * 1000),
        }


def body_size(res: Response) -> int:
    """The body's size as Newman counts it (postman-collection's Response#size().body): a gzip or
    deflate body by its Content-Length, as it came over the wire; any other by its decoded bytes."""
    encoding = (res.header("Content-Encoding") or "").lower()
    length = (res.header("Content-Length") or "").strip()
    if ("gzip" in encoding or "deflate" in encoding) and length.isdigit():  # Node refuses any other length
        return int(length)
    return res.size


def header_size(res: Response) -> int:
    """The status line and headers as Newman counts them: ``HTTP/X.X <code> <reason>`` and a
    ``key: value`` CRLF per header, plus the blank line (characters, as JavaScript's length)."""
    status = len(f"HTTP/X.X {res.code} {res.reason}\r\n\r\n")
    return status + sum(len(key) + len(value) + 4 for key, value in res.headers)


def wire_size(res: Response) -> int:
    """Newman's response size in the cli line (Response#size().total): body and headers."""
    return body_size(res) + header_size(res)


def aggregate(summaries: list[Summary]) -> Summary:
    """One summary for several tenants: totals added up, failures in tenant order."""
    first = summaries[0]
    total = Summary(
        first.collection,
        first.environment_name if len(summaries) == 1 else None,
        tenant=first.tenant if len(summaries) == 1 else "",
    )
    total.started = min(s.started for s in summaries)
    done = [s.completed for s in summaries if s.completed]
    total.completed = max(done) if done else None
    for s in summaries:
        for name in Stats.__dataclass_fields__:
            mine, theirs = getattr(total.stats, name), getattr(s.stats, name)
            mine.total += theirs.total
            mine.failed += theirs.failed
            mine.pending += theirs.pending
        total.failures += s.failures
        if s.responses:
            total.time_min = s.time_min if not total.responses else min(total.time_min, s.time_min)
            total.time_max = s.time_max if not total.responses else max(total.time_max, s.time_max)
        total.responses += s.responses
        total.time_sum += s.time_sum
        total.time_sumsq += s.time_sumsq
        total.bytes_received += s.bytes_received
        total.interrupted = total.interrupted or s.interrupted
    return total


STREAM_LIMIT = 64 * 1024  # bytes of each response body kept in the report


def execution_json(ex: Execution) -> dict[str, Any]:
    """One execution as Newman's ``run.executions[]`` entry."""
    item = ex.item
    out: dict[str, Any] = {
        "cursor": {"iteration": ex.iteration, "ref": ex.id, "httpRequestId": ex.id},
        "item": {"id": item.id, "name": item.name, "path": item.path},
        "id": ex.id,
    }
    if ex.tenant:
        out["tenant"] = ex.tenant
    out["scripts"] = {"prerequest": ex.prerequest_scripts, "test": ex.test_scripts}
    if ex.skipped:
        out["skipped"] = True
    if ex.request is not None:
        req = ex.request
        out["request"] = {
            "url": req.url,
            "method": req.method,
            "header": [{"key": k, "value": v} for k, v in req.headers],
        }
        if req.body_text is not None:
            out["request"]["body"] = {"mode": "raw", "raw": req.body_text}
    if ex.response is not None:
        res = ex.response
        out["response"] = {
            "id": ex.id,
            "status": res.reason,
            "code": res.code,
            "header": [{"key": k, "value": v} for k, v in res.headers],
            "stream": {"type": "Buffer", "data": list(res.body[:STREAM_LIMIT])},
            "cookie": res.cookies,
            "responseTime": round(res.time_ms),
            "responseSize": res.size,
        }
    if ex.request_error:
        out["requestError"] = {"message": ex.request_error}
    if ex.auth_calls:  # OAuth 2.0 token requests made for this item, before its own request
        out["authRequests"] = [_auth_call_json(call) for call in ex.auth_calls]
    if ex.attempts:  # requests the auth exchange sent before the last (tenant processes and shards keep them)
        out["attempts"] = [_exchange_json(req, res) for req, res in ex.attempts]
    out["assertions"] = [
        {"assertion": a.name, "skipped": a.skipped}
        | (
            {"error": {"name": a.error_name or "AssertionError", "message": a.error_message or "", "test": a.name}}
            if not a.passed
            else {}
        )
        for a in ex.assertions
    ]
    if ex.script_errors:
        out["scriptErrors"] = [
            {"name": e.name, "message": e.message, "event": e.event, "owner": e.owner, "line": e.line}
            for e in ex.script_errors
        ]
    if ex.warnings:
        out["warnings"] = list(ex.warnings)
    if ex.console:
        out["console"] = [{"level": level, "message": msg} for level, msg in ex.console]
    return out


def url_text(url: Any) -> str:
    """A report's url back to text: a string as it is, Newman's Url object joined."""
    if isinstance(url, dict):
        if isinstance(url.get("raw"), str):
            return url["raw"]
        host = url.get("host") or []
        return join_url({**url, "host": host if isinstance(host, list) else [host]})
    return str(url or "")


def execution_from_json(record: dict[str, Any], item: Item) -> Execution:
    """An execution back from ``execution_json`` (shard results, tenant processes)."""
    ex = Execution(
        item=item,
        iteration=int((record.get("cursor") or {}).get("iteration") or 0),
        tenant=record.get("tenant", ""),
        id=(record.get("cursor") or {}).get("ref") or record.get("id") or "",
    )
    req = record.get("request")
    if req:
        url = url_text(req.get("url"))
        try:
            target = to_target(url)
        except (InvalidURL, ValueError):
            target = Target("http", "", None, "/")
        ex.request = PreparedRequest(
            method=str(req.get("method") or "GET"),
            url=url,
            target=target,
            headers=[(str(h.get("key", "")), str(h.get("value", ""))) for h in req.get("header") or []],
            body_text=(req.get("body") or {}).get("raw"),
        )
    res = record.get("response")
    if res:
        ex.response = Response(
            code=int(res.get("code") or 0),
            reason=str(res.get("status") or ""),
            headers=[(str(h.get("key", "")), str(h.get("value", ""))) for h in res.get("header") or []],
            body=bytes((res.get("stream") or {}).get("data") or []),
            time_ms=float(res.get("responseTime") or 0),
            url=ex.request.url if ex.request else "",
            cookies=res.get("cookie") or [],
            full_size=int(res["responseSize"]) if res.get("responseSize") is not None else None,
        )
    if record.get("requestError"):
        error = record["requestError"]
        ex.request_error = str(error.get("message") or error.get("code") or "request error")
    ex.auth_calls = [_auth_call_from_json(call) for call in record.get("authRequests") or []]
    ex.attempts = [(req, res) for req, res in map(_exchange_from_json, record.get("attempts") or []) if res is not None]
    for a in record.get("assertions") or []:
        error = a.get("error")
        ex.assertions.append(
            TestResult(
                name=a.get("assertion", ""),
                passed=error is None,
                skipped=bool(a.get("skipped")),
                error_name=(error or {}).get("name"),
                error_message=(error or {}).get("message"),
            )
        )
    for e in record.get("scriptErrors") or []:
        ex.script_errors.append(
            ScriptError(
                e.get("name", "Error"),
                e.get("message", ""),
                e.get("event", "test"),
                e.get("owner", ""),
                "",
                e.get("line"),
            )
        )
    scripts = record.get("scripts") or {}
    ex.prerequest_scripts = int(scripts.get("prerequest") or 0)
    ex.test_scripts = int(scripts.get("test") or 0)
    ex.skipped = bool(record.get("skipped"))
    ex.warnings = list(record.get("warnings") or [])
    ex.console = [(c.get("level", "log"), c.get("message", "")) for c in record.get("console") or []]
    return ex


def _auth_call_json(call: Any) -> dict[str, Any]:
    out = {"purpose": call.purpose, **_exchange_json(call.request, call.response)}
    if call.error:
        out["error"] = call.error
    return out


def _exchange_json(req: PreparedRequest, res: Response | None) -> dict[str, Any]:
    """A request and its response, without the bodies: what reports show of a request besides the item's own."""
    out: dict[str, Any] = {
        "request": {"url": req.url, "method": req.method, "header": [{"key": k, "value": v} for k, v in req.headers]},
    }
    if req.body_text is not None:
        out["request"]["body"] = {"mode": "raw", "raw": req.body_text}
    if res is not None:
        out["response"] = {
            "code": res.code, "status": res.reason, "responseTime": round(res.time_ms), "responseSize": res.size,
            "header": [{"key": k, "value": v} for k, v in res.headers],
        }  # fmt: skip
    return out


def _auth_call_from_json(record: dict[str, Any]) -> Any:
    from runner.auth import TokenCall

    prepared, response = _exchange_from_json(record, "POST")
    return TokenCall(str(record.get("purpose") or "token"), prepared, response, record.get("error"))


def _exchange_from_json(record: dict[str, Any], method: str = "GET") -> tuple[PreparedRequest, Response | None]:
    req = record.get("request") or {}
    url = str(req.get("url") or "")
    try:
        target = to_target(url)
    except (InvalidURL, ValueError):
        target = Target("http", "", None, "/")
    prepared = PreparedRequest(
        method=str(req.get("method") or method), url=url, target=target,
        headers=[(str(h.get("key", "")), str(h.get("value", ""))) for h in req.get("header") or []],
        body_text=(req.get("body") or {}).get("raw"),
    )  # fmt: skip
    res = record.get("response")
    response = None
    if res:
        response = Response(
            code=int(res.get("code") or 0), reason=str(res.get("status") or ""),
            headers=[(str(h.get("key", "")), str(h.get("value", ""))) for h in res.get("header") or []], body=b"",
            time_ms=float(res.get("responseTime") or 0), url=url, full_size=int(res.get("responseSize") or 0),
        )  # fmt: skip
    return prepared, response

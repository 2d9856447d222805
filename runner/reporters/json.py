"""The json reporter: Newman's summary shape, so tools built for Newman's JSON read ours.

Executions are spooled to a temporary file as they finish and streamed into the report at the
end, so memory stays flat however long the run. With several tenants, ``run`` holds the totals
and every execution (each naming its tenant), and ``tenants`` holds one summary per tenant.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from runner.files import atomic_writer
from runner.reporters import default_export_path, default_file_name
from runner.reporters.newman_json import (
    auth_json,
    checksum,
    collection_json,
    cursor_json,
    description_json,
    item_json,
    parent_json,
    request_error_json,
    script_frame,
    sent_body,
    url_object,
)
from runner.reporters.spool import Spool
from runner.reporters.verbose import PhaseStats
from runner.request import effective_auth
from runner.results import Execution, Failure, Summary, aggregate, execution_json


def failure_json(f: Failure, session: Any, variables: list[dict[str, Any]], places: Places) -> dict[str, Any]:
    """One of Newman's ``run.failures[]``: the error, where it happened (``at``), the item and its parent."""
    if f.kind == "assertion":
        error: dict[str, Any] = {
            "name": "AssertionError",
            "index": f.index,
            "test": f.title,
            "message": f.message,
            "stack": f"AssertionError: {f.message}",
        }
        at = f"assertion:{f.index} in test-script"
    elif f.kind == "request":
        error = request_error_json(f.message)
        at = "request"
    else:
        event = "test" if f.kind == "test-script" else "prerequest" if f.kind == "prerequest-script" else ""
        error = {
            "type": "Error" if f.kind != "warning" else "Warning",
            "name": f.title,
            "message": f.message,
            "stack": f"{f.title}: {f.message}",
            "checksum": checksum(_script_source(f.item, event)),
            "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{f.item.id}:{event}")),
            "timestamp": int(time.time() * 1000),
            "stacktrace": [],
        }
        at = f.kind
    # Newman gives every failure's error the script's (or request's) checksum, an id and a time.
    event = "prerequest" if f.kind == "prerequest-script" else "test"
    error.setdefault("checksum", checksum(_script_source(f.item, event) if f.kind != "request" else f.item.id))
    error.setdefault("id", str(uuid.uuid5(uuid.NAMESPACE_OID, f"{f.item.id}:{f.kind}:{f.index}")))
    error.setdefault("timestamp", int(time.time() * 1000))
    error.setdefault("stacktrace", [script_frame(f.item.name, f.kind)])
    # the ref of the execution it came from, as Newman's (a failure rebuilt without one gets its own)
    ref = f.execution_id or str(uuid.uuid5(uuid.NAMESPACE_OID, f"{f.tenant}:{f.item.id}:{f.iteration}"))
    cursor = places.cursor(f.tenant, f.item, f.iteration, ref, places.shape_of(f.execution_id))
    cursor["scriptId"] = error.get("id", str(uuid.uuid5(uuid.NAMESPACE_OID, f"{f.item.id}:test")))
    cursor["execution"] = str(uuid.uuid5(uuid.NAMESPACE_OID, ref))
    name = session.collection.name
    source = {**item_json(f.item, name), "path": f.item.path}
    if f.sent_headers is not None:  # Newman's source is the item as sent: its headers, system ones marked
        written = {str(h.get("key", "")).lower() for h in f.item.request.get("header") or [] if isinstance(h, dict)}
        source["request"]["header"] = [
            {"key": k, "value": v} | ({} if k.lower() in written else {"system": True}) for k, v in f.sent_headers
        ]
    out = {
        "error": error,
        "at": at,
        "source": source,
        "parent": places.parent(f.item, variables),
        "cursor": cursor,
    }
    if f.tenant:
        out["tenant"] = f.tenant
    return out


def _script_source(item: Any, event: str) -> str:
    return "\n".join(s.source for s in item.events if s.listen == event)


class Places:
    """Where an item sits in its tenant's run (Newman's cursor position, length and cycles)."""

    def __init__(self, session: Any) -> None:
        self.runs = {run.tenant: run for run in session.runs}
        self.first = session.runs[0]
        self.positions: dict[str, dict[str, int]] = {}
        self.items: dict[str, dict[str, Any]] = {}  # item id -> its JSON (Newman's item shape)
        self.parents: dict[str, dict[str, Any]] = {}  # folder or collection id -> its JSON
        self.last_iteration: dict[str, int] = {}  # tenant -> iteration of its latest execution
        self.shapes: dict[str, str] = {}  # execution id -> its cursor's shape (see cursor_json)

    def _position(self, tenant: str, item: Any) -> int:
        positions = self.positions.get(tenant)
        if positions is None:
            run = self.runs.get(tenant, self.first)
            positions = self.positions[tenant] = {i.id: n for n, i in enumerate(run.items)}
        return positions.get(item.id, 0)

    def step(self, ex: Execution) -> str:
        """The cursor shape of the tenant's next execution, told from the one before (executions
        arrive in their tenant's order): the run's first, or a jump back to the first item within
        an iteration, is the full cursor; an iteration's first otherwise is ``cr``."""
        before = self.last_iteration.get(ex.tenant)
        self.last_iteration[ex.tenant] = ex.iteration
        if before is None:
            shape = "full"
        elif before != ex.iteration:
            shape = "cr"
        else:
            shape = "full" if self._position(ex.tenant, ex.item) == 0 else "next"
        self.shapes[ex.id] = shape
        return shape

    def shape_of(self, execution_id: str) -> str:
        return self.shapes.get(execution_id, "full")

    def cursor(self, tenant: str, item: Any, iteration: int, ref: str, shape: str = "full") -> dict[str, Any]:
        run = self.runs.get(tenant, self.first)
        position = self._position(tenant, item)
        return cursor_json(position, len(run.items), run.iteration_count, iteration, ref, shape)

    def parent(self, item: Any, variables: list[dict[str, Any]]) -> dict[str, Any]:
        """A failure's parent (folder or collection) JSON, built once per parent."""
        key = item.parent.id if item.parent is not None else ""
        if key not in self.parents:
            self.parents[key] = parent_json(item, variables)
        return self.parents[key]


def timings_json(summary: Summary) -> dict[str, Any]:
    """``run.timings`` with every key Newman writes; min and max are whole milliseconds as in Newman."""
    t = summary.timings()
    return {
        "responseAverage": t["responseAverage"],
        "responseMin": round(t["responseMin"]),
        "responseMax": round(t["responseMax"]),
        "responseSd": t["responseSd"],
        **{f"{phase}{stat}": 0 for phase in ("dns", "firstByte") for stat in ("Average", "Min", "Max", "Sd")},
        "started": t["started"],
        "completed": t["completed"],
    }


def run_json(
    summary: Summary, session: Any, variables: list[dict[str, Any]], places: Places, failures: bool = True
) -> dict[str, Any]:
    """Newman's ``run`` without its executions; ``failures=False`` leaves them to be streamed."""
    out: dict[str, Any] = {
        "stats": summary.stats.as_dict(),
        "timings": timings_json(summary),
        "transfers": {"responseTotal": summary.bytes_received},
    }
    if failures:
        out["failures"] = [failure_json(f, session, variables, places) for f in summary.failures]
    out["error"] = summary.interrupted
    return out


def newman_execution(record: dict[str, Any], ex: Execution, places: Places, collection_name: str) -> dict[str, Any]:
    """``execution_json`` in Newman's shape: full cursor, item with request/response/event, Url
    objects, system headers marked, errors with Newman's fields."""
    record["cursor"] = places.cursor(ex.tenant, ex.item, ex.iteration, ex.id, places.step(ex))
    item = places.items.get(ex.item.id)
    if item is None:  # the same for each iteration: built once per item
        item = places.items[ex.item.id] = {**item_json(ex.item, collection_name), "path": ex.item.path}
    record["item"] = item
    record["id"] = ex.item.id
    request = record.get("request")
    if request is not None:
        request["url"] = url_object(request["url"])
        written = [h for h in ex.item.request.get("header") or [] if isinstance(h, dict)]
        own = {str(h.get("key", "")).lower() for h in written if not h.get("disabled")}
        for header in request["header"]:
            if header["key"].lower() not in own:
                header["system"] = True
        request["header"] += [{"key": h.get("key"), "value": h.get("value"), "disabled": True}
                              for h in written if h.get("disabled")]
        body = sent_body(ex.item.request.get("body"), ex.request.body_text if ex.request else None)
        if body is not None:
            request["body"] = body
        elif "body" in request:
            del request["body"]
        if isinstance(ex.item.request.get("body"), dict) and "body" not in request:
            request["body"] = {}  # Newman keeps a body it did not send as an empty object
        if ex.item.request.get("description") is not None:
            request["description"] = description_json(ex.item.request["description"])
        described = {str(h.get("key", "")).lower(): h["description"] for h in written if "description" in h}
        for header in request["header"]:
            if header["key"].lower() in described:
                header["description"] = description_json(described[header["key"].lower()])
        auth = auth_json(effective_auth(ex.item))
        if auth is not None:
            request["auth"] = auth
    for index, assertion in enumerate(record.get("assertions") or []):
        error = assertion.get("error")
        if error is not None:
            assertion["error"] = {
                "name": error["name"],
                "index": index,
                "test": error["test"],
                "message": error["message"],
                "stack": f"{error['name']}: {error['message']}",
            }
    for err in ex.script_errors:
        key = "testScript" if err.event == "test" else "prerequestScript"
        record.setdefault(key, []).append(
            {
                "error": {
                    "type": "Error",
                    "name": err.name,
                    "message": err.message,
                    "checksum": checksum(_script_source(ex.item, err.event)),
                    "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{ex.item.id}:{err.event}")),
                    "timestamp": int(time.time() * 1000),
                    "stacktrace": [],
                }
            }
        )
    if ex.request_error:
        record["requestError"] = request_error_json(ex.request_error)
    return record


class _Placeholder:
    """Stands in a record for a part written separately; json.dumps writes it as a string no data can
    hold (a random token per run), which is then replaced by the part's JSON."""

    def __init__(self) -> None:
        self.token = f"postrun-{uuid.uuid4().hex}"
        self.text = f'"{self.token}"'


def _placeholder(value: Any) -> str:
    if isinstance(value, _Placeholder):
        return value.token
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_ITEM, _DATA = _Placeholder(), _Placeholder()
_BYTE_TEXT = [str(n) for n in range(256)]


class JsonReporter:
    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("json_export") or default_export_path("json", "json")
        self.verbose = bool(options.get("verbose"))
        self.phases = {"firstByte": PhaseStats()}  # dns is not told apart from the TCP connect
        self.spool = Spool()
        self._items: dict[int, tuple[dict[str, Any], str]] = {}  # item JSON as text, by the dict's id

    def start(self, session: Any) -> None:
        self.session = session
        self.places = Places(session)

    def execution(self, ex: Execution) -> None:
        record = newman_execution(execution_json(ex), ex, self.places, self.session.collection.name)
        record.pop("attempts", None)
        masker = self.session.masker
        text = self._compact(record) if not masker.active else None
        if text is None:
            text = json.dumps(masker.mask_deep(record), ensure_ascii=False, separators=(",", ":"))
        # Newman pushes an item's one execution object again for each request its auth sent (digest's
        # challenged one, NTLM's handshake): the same entry, as it ended, once per request.
        for _ in range(1 + len(ex.attempts)):
            self.spool.append_json(text)
        if self.verbose:
            for response in [res for _, res in ex.attempts] + [ex.response]:
                if response is not None and response.phases:
                    for phase, stats in self.phases.items():
                        stats.add(response.phases[phase])

    def _compact(self, record: dict[str, Any]) -> str:
        """``record`` as compact JSON, the same text json.dumps writes, for a run with nothing to mask:
        the item (the same every iteration) is written once, and the response's Buffer (a number per
        byte) by table; json.dumps of the rest leaves a placeholder for each. ~0.04 ms a request."""
        item = record["item"]
        item_text = self._items.get(id(item))
        if item_text is None or item_text[0] is not item:
            item_text = self._items[id(item)] = (item, json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        record["item"] = _ITEM
        stream = (record.get("response") or {}).get("stream")
        data = stream.get("data") if isinstance(stream, dict) else None
        if isinstance(data, list):
            stream["data"] = _DATA
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_placeholder)
        record["item"] = item
        text = text.replace(_ITEM.text, item_text[1], 1)
        if isinstance(data, list):
            stream["data"] = data
            text = text.replace(_DATA.text, "[" + ",".join(map(_BYTE_TEXT.__getitem__, data)) + "]", 1)
        return text

    def run_done(self, summary: Summary) -> None:
        pass

    def done(self, session: Any) -> None:
        mask = session.masker.mask_deep
        runs = session.runs
        first = runs[0]
        total = aggregate(session.summaries)
        variables = first.collection_vars.export("collection")["values"]
        head = {
            "collection": collection_json(session.collection, variables),
            "environment": first.scopes.environment.export("environment"),
            "globals": first.scopes.globals.export("globals"),
        }
        if getattr(session, "shard", None):
            head["shard"] = session.shard
        if session.multi:
            head["tenants"] = [
                {
                    "name": run.tenant,
                    "environment": run.scopes.environment.export("environment"),
                    "run": run_json(run.summary, session, variables, self.places),
                }
                for run in runs
            ]
        run_doc = run_json(total, session, variables, self.places, failures=False)
        if self.verbose:  # Newman measures the phases with --verbose only
            for phase, stats in self.phases.items():
                if stats.n:
                    run_doc["timings"].update(stats.as_timings(phase))
        failures = (
            json.dumps(mask(failure_json(f, session, variables, self.places)), ensure_ascii=False)
            for f in total.failures
        )
        try:
            _write_streaming(self.path, mask(head), mask(run_doc), failures, self.spool)
        finally:
            self.spool.close()


def _write_streaming(
    path: str, head: dict[str, Any], run_doc: dict[str, Any], failures: Iterator[str], spool: Spool
) -> None:
    """Write ``{...head, "run": {...run_doc, "failures": [...], "executions": [spooled]}}`` holding neither
    the executions nor the failures (each embeds its item and parent, as Newman's do) in memory."""
    error = run_doc.pop("error", None)
    with atomic_writer(path, "json report", default_file_name("json")) as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1])
        out.write(', "run": ' + json.dumps(run_doc, ensure_ascii=False)[:-1] + ', "failures": [')
        for i, failure in enumerate(failures):
            out.write(("," if i else "") + "\n" + failure)
        out.write('], "error": ' + json.dumps(error, ensure_ascii=False) + ', "executions": [')
        for i, line in enumerate(spool.lines()):  # already JSON: copied, not parsed and dumped again
            out.write(("," if i else "") + "\n" + line)
        out.write("\n]}}\n")

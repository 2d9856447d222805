"""The json reporter: Newman's summary shape, so tools built for Newman's JSON read ours."""

from __future__ import annotations

from typing import Any

from runner.files import write_json
from runner.reporters import default_export_path
from runner.results import Execution, Summary

STREAM_LIMIT = 64 * 1024  # bytes of each response body kept in the report


def execution_json(ex: Execution) -> dict[str, Any]:
    """One execution as Newman's ``run.executions[]`` entry."""
    item = ex.item
    out: dict[str, Any] = {
        "cursor": {"iteration": ex.iteration, "ref": ex.id, "httpRequestId": ex.id},
        "item": {"id": item.id, "name": item.name, "path": item.path},
        "id": ex.id,
    }
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
    if ex.console:
        out["console"] = [{"level": level, "message": msg} for level, msg in ex.console]
    return out


class JsonReporter:
    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("json_export") or default_export_path("json", "json")
        self.executions: list[dict[str, Any]] = []

    def start(self, run: Any) -> None:
        self.run = run

    def execution(self, ex: Execution) -> None:
        self.executions.append(execution_json(ex))

    def done(self, summary: Summary) -> None:
        run = self.run
        doc = {
            "collection": {
                "info": {"_postman_id": run.collection.id, "name": run.collection.name},
                "item": run.collection.doc.get("item", []),
                "variable": run.collection_vars.export("collection")["values"],
            },
            "environment": run.scopes.environment.export("environment"),
            "globals": run.scopes.globals.export("globals"),
            "run": {
                "stats": summary.stats.as_dict(),
                "timings": summary.timings(),
                "executions": self.executions,
                "transfers": {"responseTotal": summary.bytes_received},
                "failures": [
                    {
                        "error": {
                            "name": f.title if f.kind != "assertion" else "AssertionError",
                            "message": f.message,
                            "test": f.title if f.kind == "assertion" else None,
                        },
                        "at": f.kind,
                        "source": {"id": f.item.id, "name": f.item.name, "path": f.item.path},
                        "parent": {"name": run.collection.name},
                        "cursor": {"iteration": f.iteration},
                    }
                    for f in summary.failures
                ],
                "error": summary.interrupted,
            },
        }
        # Masked as a whole at the end: credentials learnt late in the run are masked everywhere.
        write_json(self.path, run.masker.mask_deep(doc))

"""The json reporter: Newman's summary shape, so tools built for Newman's JSON read ours.

Executions are spooled to a temporary file as they finish and streamed into the report at the
end, so memory stays flat however long the run. With several tenants, ``run`` holds the totals
and every execution (each naming its tenant), and ``tenants`` holds one summary per tenant.
"""

from __future__ import annotations

import json
from typing import Any

from runner.files import atomic_writer
from runner.reporters import default_export_path, default_file_name
from runner.reporters.spool import Spool
from runner.results import Execution, Failure, Summary, aggregate, execution_json


def failure_json(f: Failure, collection_name: str) -> dict[str, Any]:
    out = {
        "error": {
            "name": "AssertionError" if f.kind == "assertion" else f.title,
            "message": f.message,
            "test": f.title if f.kind == "assertion" else None,
        },
        "at": f.kind,
        "source": {"id": f.item.id, "name": f.item.name, "path": f.item.path},
        "parent": {"name": collection_name},
        "cursor": {"iteration": f.iteration},
    }
    if f.tenant:
        out["tenant"] = f.tenant
    return out


def run_json(summary: Summary, collection_name: str) -> dict[str, Any]:
    return {
        "stats": summary.stats.as_dict(),
        "timings": summary.timings(),
        "transfers": {"responseTotal": summary.bytes_received},
        "failures": [failure_json(f, collection_name) for f in summary.failures],
        "error": summary.interrupted,
    }


class JsonReporter:
    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("json_export") or default_export_path("json", "json")
        self.spool = Spool()

    def start(self, session: Any) -> None:
        self.session = session

    def execution(self, ex: Execution) -> None:
        self.spool.append(self.session.masker.mask_deep(execution_json(ex)))

    def run_done(self, summary: Summary) -> None:
        pass

    def done(self, session: Any) -> None:
        mask = session.masker.mask_deep
        runs = session.runs
        first = runs[0]
        total = aggregate(session.summaries)
        name = session.collection.name
        head = {
            "collection": {
                "info": {"_postman_id": session.collection.id, "name": name},
                "item": session.collection.doc.get("item", []),
                "variable": first.collection_vars.export("collection")["values"],
            },
            "environment": first.scopes.environment.export("environment"),
            "globals": first.scopes.globals.export("globals"),
        }
        if session.multi:
            head["tenants"] = [
                {
                    "name": run.tenant,
                    "environment": run.scopes.environment.export("environment"),
                    "run": run_json(run.summary, name),
                }
                for run in runs
            ]
        run_doc = run_json(total, name)
        _write_streaming(self.path, mask(head), mask(run_doc), self.spool)
        self.spool.close()


def _write_streaming(path: str, head: dict[str, Any], run_doc: dict[str, Any], spool: Spool) -> None:
    """Write ``{...head, "run": {...run_doc, "executions": [spooled]}}`` without holding the executions."""
    with atomic_writer(path, "json report", default_file_name("json")) as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1])
        out.write(', "run": ' + json.dumps(run_doc, ensure_ascii=False)[:-1] + ', "executions": [')
        for i, line in enumerate(spool.lines()):  # already JSON: copied, not parsed and dumped again
            out.write(("," if i else "") + "\n" + line)
        out.write("\n]}}\n")

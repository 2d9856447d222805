"""``postrun merge``: combine the JSON results of several shards into one set of reports.

Each shard's json report holds the collection and every execution (with its tenant). We rebuild
the executions and replay them through the ordinary reporters, so merged reports are the same
reports an unsharded run writes, with the same totals.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runner.collection import Collection, build_collection
from runner.engine import Run
from runner.errors import InputError
from runner.files import read_json
from runner.results import Execution, execution_from_json
from runner.variables import VariableScope


@dataclass
class Results:
    collection: Collection
    runs: list[Run]
    executions: list[Execution]
    started: float
    completed: float


def load_results(paths: Sequence[str]) -> Results:
    """Read shard results; they must come from one collection."""
    if not paths:
        raise InputError("merge", "no result files given")
    docs = [(os.fspath(p), read_json(p, "result file")) for p in paths]
    for name, doc in docs:
        if not isinstance(doc, dict) or not isinstance(doc.get("run"), dict) or "collection" not in doc:
            raise InputError(name, "not a postrun/Newman json report (no 'collection' and 'run')")
    first_name, first = docs[0]
    collection = _collection(first["collection"], first_name)
    for name, doc in docs[1:]:
        info = (doc.get("collection") or {}).get("info") or {}
        if info.get("_postman_id") != collection.id and info.get("name") != collection.name:
            raise InputError(name, f"results of another collection ({info.get('name')!r}, not {collection.name!r})")
    items = {item.id: item for item in collection.items()}
    by_path = {tuple(item.path): item for item in collection.items()}
    environments: dict[str, dict[str, Any]] = {}
    executions: list[Execution] = []
    for name, doc in docs:
        for tenant in doc.get("tenants") or []:
            environments[tenant.get("name", "")] = tenant.get("environment") or {}
        for i, record in enumerate(doc["run"].get("executions") or []):
            item = items.get(record.get("item", {}).get("id")) or by_path.get(
                tuple(record.get("item", {}).get("path") or [])
            )
            if item is None:
                raise InputError(name, "execution of an item the collection does not have", f"/run/executions/{i}")
            executions.append(execution_from_json(record, item))
        if not doc.get("tenants") and doc.get("environment"):
            tenant = next((ex.tenant for ex in executions), "")
            environments.setdefault(tenant, doc["environment"])
    order = list(dict.fromkeys([*environments, *(ex.tenant for ex in executions)]))
    runs = []
    for tenant in order:
        env = environments.get(tenant) or {}
        scope = VariableScope(env.get("name", ""), env.get("values") or [], env.get("id"))
        runs.append(Run(collection, scope if env else None, tenant=tenant))
    # Within a tenant, executions in iteration order; tenants in the order they were first seen.
    rank = {t: n for n, t in enumerate(order)}
    executions.sort(key=lambda ex: (rank[ex.tenant], ex.iteration))
    for run in runs:
        mine = {ex.iteration for ex in executions if ex.tenant == run.tenant}
        failed = {ex.iteration for ex in executions if ex.tenant == run.tenant and ex.failed}
        run.summary.stats.iterations.total = len(mine)
        run.summary.stats.iterations.failed = len(failed)
    timings = [doc["run"].get("timings") or {} for _, doc in docs]
    started = min((t.get("started", 0) for t in timings), default=0) / 1000
    completed = max((t.get("completed", 0) for t in timings), default=0) / 1000
    for run in runs:
        run.summary.started, run.summary.completed = started, completed
    return Results(collection, runs, executions, started, completed)


def _collection(doc: dict[str, Any], file: str) -> Collection:
    info = dict(doc.get("info") or {})
    info.setdefault("schema", "https://schema.getpostman.com/json/collection/v2.1.0/collection.json")
    return build_collection({**doc, "info": info}, file)

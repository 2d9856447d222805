"""``postrun merge``: combine the JSON results of several shards into one set of reports.

Each shard's json report holds the collection and every execution (with its tenant). We rebuild
the executions and replay them through the ordinary reporters, so merged reports are the same
reports an unsharded run writes, with the same totals.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
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
    warnings: list[str] = field(default_factory=list)


def load_results(paths: Sequence[str], allow_partial: bool = False) -> Results:
    """Read shard results; they must come from one collection, and (with --shard metadata) be every
    shard of one run, each once. ``allow_partial`` merges anyway, with warnings, a duplicate counted once."""
    if not paths:
        raise InputError("merge", "no result files given")
    docs = [(os.fspath(p), read_json(p, "result file")) for p in paths]
    for name, doc in docs:
        if not (isinstance(doc, dict) and isinstance(doc.get("run"), dict) and isinstance(doc.get("collection"), dict)):
            raise InputError(name, "not a postrun/Newman json report (no 'collection' and 'run' objects)", "/")
        _check_shape(name, doc)
    docs, warnings = _check_shards(docs, allow_partial)
    first_name, first = docs[0]
    collection = _collection(first["collection"], first_name)
    for name, doc in docs[1:]:
        info = doc["collection"].get("info") if isinstance(doc["collection"].get("info"), dict) else {}
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
            where = f"/run/executions/{i}"
            if not isinstance(record, dict) or not isinstance(record.get("item") or {}, dict):
                raise InputError(name, "an execution must be an object with an 'item'", where)
            item = items.get(record.get("item", {}).get("id")) or by_path.get(
                tuple(record.get("item", {}).get("path") or [])
            )
            if item is None:
                raise InputError(name, "execution of an item the collection does not have", where)
            try:
                executions.append(execution_from_json(record, item))
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(name, f"execution that cannot be read ({exc})", where) from None
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
        run.summary.stats.iterations.total = len(mine)  # failed stays 0, as Newman's (see Engine._iterations)
    timings = [doc["run"].get("timings") or {} for _, doc in docs]
    started = min((t.get("started", 0) for t in timings), default=0) / 1000
    completed = max((t.get("completed", 0) for t in timings), default=0) / 1000
    for run in runs:
        run.summary.started, run.summary.completed = started, completed
    return Results(collection, runs, executions, started, completed, warnings)


def _check_shards(docs: list[tuple[str, Any]], allow_partial: bool) -> tuple[list[tuple[str, Any]], list[str]]:
    """Every shard of one run, each once: the same shard twice, a missing one, or shards of two
    runs is an error (a warning with ``allow_partial``, a repeated shard then counted once)."""
    problems: list[str] = []
    kept: list[tuple[str, Any]] = []
    seen: dict[int, str] = {}
    files: dict[tuple[int, int], str] = {}
    shards = [(name, doc.get("shard")) for name, doc in docs]
    marked = [(name, s) for name, s in shards if isinstance(s, dict)]
    for (name, doc), (_, info) in zip(docs, shards, strict=True):
        try:
            ident = os.stat(name)
            key = (ident.st_dev, ident.st_ino)
        except OSError:
            key = (0, id(doc))
        if key in files:
            problems.append(f"{name}: the same file as {files[key]}, given twice")
            continue
        files[key] = name
        if isinstance(info, dict) and isinstance(info.get("index"), int):
            if info["index"] in seen:
                label = f"{info['index']}/{info.get('count')}"
                problems.append(f"{name}: shard {label} given twice (also {seen[info['index']]})")
                continue
            seen[info["index"]] = name
        kept.append((name, doc))
    if marked:
        if len(marked) != len(docs):
            plain = [name for name, s in shards if not isinstance(s, dict)]
            problems.append(f"{', '.join(plain)}: not the result of a --shard run, unlike the others")
        runs = {(s.get("run"), s.get("count")) for _, s in marked}
        if len(runs) > 1:
            each = ", ".join(f"{n} (run {s.get('run')}, {s.get('count')} shards)" for n, s in marked)
            problems.append(f"shards of different runs: {each}")
        else:
            count = int(next(iter(runs))[1] or 0)
            missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
            if missing:
                problems.append(f"missing shard{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if problems and not allow_partial:
        raise InputError("merge", "; ".join(problems) + " (--allow-partial merges anyway)")
    return kept, problems


def _check_shape(name: str, doc: dict[str, Any]) -> None:
    """The parts of a result file merge reads have the types it needs; the message names the place."""

    def need(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> None:
        if value is not None and not isinstance(value, kind):
            raise InputError(name, f"must be {what}", where)

    need(doc["collection"].get("info"), dict, "/collection/info", "an object")
    need(doc.get("tenants"), list, "/tenants", "a list")
    for i, tenant in enumerate(doc.get("tenants") or []):
        need(tenant, dict, f"/tenants/{i}", "an object")
        need(tenant.get("environment"), dict, f"/tenants/{i}/environment", "an object")
        need((tenant.get("environment") or {}).get("values"), list, f"/tenants/{i}/environment/values", "a list")
    need(doc.get("environment"), dict, "/environment", "an object")
    need((doc.get("environment") or {}).get("values"), list, "/environment/values", "a list")
    need(doc["run"].get("executions"), list, "/run/executions", "a list")
    need(doc["run"].get("timings"), dict, "/run/timings", "an object")
    for key in ("started", "completed"):
        need((doc["run"].get("timings") or {}).get(key), (int, float), f"/run/timings/{key}", "a number")
    for i, record in enumerate(doc["run"].get("executions") or []):
        need(record, dict, f"/run/executions/{i}", "an object")
        need(record.get("item"), dict, f"/run/executions/{i}/item", "an object")
        path = record["item"].get("path") if record.get("item") else None
        need(path, list, f"/run/executions/{i}/item/path", "a list")


def _collection(doc: dict[str, Any], file: str) -> Collection:
    info = dict(doc.get("info") or {})
    info.setdefault("schema", "https://schema.getpostman.com/json/collection/v2.1.0/collection.json")
    return build_collection({**doc, "info": info}, file)

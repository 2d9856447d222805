"""Compare two runs of one collection in two formats: what a loopback server received, and the results.

Every request (``pm.sendRequest`` included) is sent to a recording server on 127.0.0.1. A collection
may send different bytes from one run to the next ({{$guid}}, timestamps, random data), so the
reference format is run twice: a field that differs between those two runs is not compared.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from runner.collection import Collection, load_collection
from runner.engine import Run, RunOptions
from runner.results import Execution
from runner.variables import VariableScope, load_scope_file

Record = tuple[Any, ...]


def record(
    collection: Collection, server: Any, env_file: Path | None = None, strip_names: bool = False
) -> tuple[list[Record], list[Record]]:
    """Run the collection once against ``server``: (executions as tuples, requests as received).

    ``strip_names`` compares item names without surrounding blanks (``postman collection migrate``
    trims them and does not keep the original).
    """
    executions: list[Execution] = []
    environment = load_scope_file(env_file, "environment") if env_file else VariableScope("")
    start = len(server.seen)
    run = Run(
        collection=collection,
        environment=environment,
        options=RunOptions(mock_url=server.url, timeout=60_000, timeout_request=5_000, timeout_script=5_000),
        sink=executions.append,
    )
    run.execute()
    results = [
        (
            tuple(n.strip() if strip_names else n for n in ex.item.path),
            ex.iteration,
            ex.request.method if ex.request else None,
            ex.request_error,
            tuple((a.name, a.passed, a.skipped, a.error_name, a.error_message) for a in ex.assertions),
            tuple(str(e) for e in ex.script_errors),
            ex.response.code if ex.response else None,
        )
        for ex in executions
    ]
    wire = [(s.method, s.target, tuple(s.headers), _body(s)) for s in server.seen[start:]]
    return results, wire


def _body(seen: Any) -> bytes:
    if seen.header("Content-Encoding") == "gzip" and seen.body[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(seen.body)
        except OSError:
            pass
    return seen.body


def differences(first: list[Record], again: list[Record], other: list[Record], what: str) -> list[str]:
    """Where ``other`` differs from ``first``, at the places where ``first`` and ``again`` agree."""
    problems = []
    if len(first) == len(again) and len(other) != len(first):
        problems.append(f"{what}: {len(other)} instead of {len(first)}")
    for i, (a, b, c) in enumerate(zip(first, again, other, strict=False)):
        for j, (x, y, z) in enumerate(zip(a, b, c, strict=False)):
            if x == y and z != x:
                if isinstance(x, tuple) and isinstance(z, tuple) and len(x) == len(z):
                    diff = [(p, q) for p, q in zip(x, z, strict=True) if p != q][:3]
                    problems.append(f"{what} #{i} field {j}: {diff}")
                else:
                    problems.append(f"{what} #{i} field {j}: {str(x)[:200]} != {str(z)[:200]}")
    return problems


def compare_runs(
    reference: Path | Collection,
    candidate: Path | Collection,
    server: Any,
    env_file: Path | None = None,
    strip_names: bool = False,
) -> list[str]:
    """Run ``reference`` twice and ``candidate`` once; every difference that is not run-to-run noise."""
    ref = reference if isinstance(reference, Collection) else load_collection(reference)
    cand = candidate if isinstance(candidate, Collection) else load_collection(candidate)
    # The candidate runs between the two reference runs, so time-dependent values ({{$timestamp}})
    # that agree in both reference runs agree in the candidate's too.
    r1, w1 = record(ref, server, env_file, strip_names)
    r3, w3 = record(cand, server, env_file, strip_names)
    r2, w2 = record(ref, server, env_file, strip_names)
    return differences(r1, r2, r3, "execution") + differences(w1, w2, w3, "request")

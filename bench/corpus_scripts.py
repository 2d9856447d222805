"""How much of the real-world corpus's JavaScript runs in postrun's sandbox.

Runs every collection in ../shared/corpus with --mock (so nothing leaves the machine), with the
environment from its own folder when there is one, and counts, per script-bearing item, whether
any of its scripts failed with a ReferenceError or a "not available" error: the failures that
mean our sandbox lacks something a script uses. Other script failures (a test that fails against
a saved example, a TypeError on a missing field) are counted apart: they are the collection's.

    python bench/corpus_scripts.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from runner.collection import load_collection
from runner.engine import Run, RunOptions, script_chain
from runner.mock import MockServer
from runner.resolver import Resolver
from runner.variables import load_scope_file

MISSING_FEATURE = ("ReferenceError", "Cannot find module", "not available", "not supported by postrun")


def environment_for(path: Path):
    for candidate in sorted(path.parent.glob("*environment*.json")):
        try:
            return load_scope_file(candidate, "environment")
        except Exception:  # noqa: BLE001 - a broken environment just means none
            continue
    return None


def measure(corpus: Path) -> dict:
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    per_file = {}
    for path in sorted(corpus.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(doc, dict) or not ({"info", "requests"} & doc.keys()):
            continue
        collection = load_collection(path)
        run = Run(collection, environment_for(path), options=RunOptions(iterations=1, timeout_script=5000))
        bearing = {item.id for item in run.items if script_chain(item)}
        if not bearing:
            continue
        seen: dict[str, list[str]] = {}

        def collect(ex, bearing=bearing, seen=seen):
            if ex.item.id in bearing:
                seen.setdefault(ex.item.id, []).extend(f"{e.name}: {e.message}" for e in ex.script_errors)

        run.sink = collect
        with MockServer([i.raw for i in collection.items()], Resolver(run.scopes.lookup).resolve) as mock:
            run.options.mock_url = mock.base_url
            run.options.timeout = 60_000
            run.execute()
        clean = sum(1 for errs in seen.values() if not any(m in e for e in errs for m in MISSING_FEATURE))
        other = sum(1 for errs in seen.values() if errs and not any(m in e for e in errs for m in MISSING_FEATURE))
        for errs in seen.values():
            for e in errs:
                if any(m in e for m in MISSING_FEATURE):
                    reasons[e[:120]] += 1
        per_file[str(path.relative_to(corpus))] = {"script_items_run": len(seen), "clean": clean, "other_errors": other}
        totals["script_items_run"] += len(seen)
        totals["clean"] += clean
        totals["other_errors"] += other
    return {"totals": dict(totals), "files": per_file, "missing_features": reasons.most_common(20)}


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    print(json.dumps(measure(corpus), indent=2))

"""What one pm.expect / pm.response.to.* assertion costs in the sandbox, and what the first one costs a run.

    python bench/assertions.py      # a Markdown table (median of 5 rounds)

Each row runs a test script of N copies of one passing assertion in a warm sandbox (the libraries already
loaded by an earlier round) and divides by N; the script with no assertion is subtracted. "first" is the
first script of a fresh sandbox that asserts anything: it pays for parsing the assertion libraries.
Compare rows with each other; absolute times depend on the machine and its load.
"""

from __future__ import annotations

import statistics
import time

from runner.collection import Script
from runner.sandbox.runtime import Sandbox

N = 200
CASES = [
    ("pm.expect(1).to.equal(1)", "pm.expect(1).to.equal(1);"),
    ("pm.response.to.have.status(200)", "pm.response.to.have.status(200);"),
    ("pm.response.to.be.ok", "pm.response.to.be.ok;"),
    ("pm.response.to.have.header('Content-Type')", "pm.response.to.have.header('Content-Type');"),
    ("pm.response.to.have.jsonBody('a.b')", "pm.response.to.have.jsonBody('a.b');"),
    ("pm.expect(pm.response.json()).to.have.property('a')", "pm.expect(pm.response.json()).to.have.property('a');"),
]
STATE = {
    "eventName": "test", "environment": {}, "globals": {}, "collectionVariables": {}, "data": {}, "local": {},
    "request": {"method": "GET", "url": "http://127.0.0.1/x", "header": []},
    "response": {"code": 200, "status": "OK", "header": [{"key": "Content-Type", "value": "application/json"}],
                 "body": '{"a": {"b": [1, 2]}}', "responseTime": 3, "responseSize": 20, "headerSize": 40},
}


def _time(sandbox: Sandbox, source: str) -> float:
    script = Script(source=source, listen="test", owner="bench", pointer="/item/0")
    start = time.perf_counter()
    result = sandbox.run(script, STATE)
    elapsed = time.perf_counter() - start
    sandbox.end_item()
    if result.error is not None or not all(t.passed for t in result.tests):
        raise SystemExit(f"{source[:60]}: {result.error or [t.error for t in result.tests]}")
    return elapsed


def per_assertion(line: str, rounds: int = 5) -> float:
    sandbox = Sandbox()
    try:
        body = "pm.test('t', function () {\n" + line * N + "\n});"
        empty = "pm.test('t', function () {});"
        _time(sandbox, body)  # load what the assertion needs
        costs = []
        for _ in range(rounds):
            costs.append((_time(sandbox, body) - _time(sandbox, empty)) / N)
        return statistics.median(costs)
    finally:
        sandbox.close()


def first_assertion(rounds: int = 5) -> float:
    costs = []
    for _ in range(rounds):
        sandbox = Sandbox()
        try:
            _time(sandbox, "pm.test('warm', function () {});")
            costs.append(_time(sandbox, "pm.test('t', function () { pm.response.to.have.status(200); });"))
        finally:
            sandbox.close()
    return statistics.median(costs)


def main() -> None:
    print("| assertion | per assertion |")
    print("|---|---|")
    for name, line in CASES:
        print(f"| `{name}` | {per_assertion(line) * 1000:.3f} ms |")
    print(f"| first `pm.response.to.have.status(200)` of a fresh sandbox | {first_assertion() * 1000:.1f} ms |")


if __name__ == "__main__":
    main()

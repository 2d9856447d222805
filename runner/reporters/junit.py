"""The junit reporter: a testsuite per item (per tenant and item with several tenants), a testcase
per assertion per iteration, request and script errors as ``<error>`` elements.

The XML follows the JUnit schema that Jenkins and GitLab read. Testcases are spooled as they
happen and grouped into their suites at the end, so memory stays flat however long the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from runner.files import atomic_writer
from runner.reporters import default_export_path, default_file_name
from runner.reporters.spool import Spool
from runner.results import Execution, Summary


@dataclass
class _Suite:
    name: str
    classname: str
    tenant: str
    environment: str
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    time: float = 0.0
    offsets: list[int] = field(default_factory=list)


class JunitReporter:
    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("junit_export") or default_export_path("junit", "xml")
        self.suites: dict[tuple[str, str], _Suite] = {}
        self.spool = Spool()

    def start(self, session: Any) -> None:
        self.session = session
        self.environments = {run.tenant: run.summary.environment_name or "" for run in session.runs}

    def _suite(self, ex: Execution) -> _Suite:
        key = (ex.tenant, ex.item.id)
        suite = self.suites.get(key)
        if suite is None:
            path = " / ".join(ex.item.path) or ex.item.name
            name = f"{ex.tenant} / {path}" if self.session.multi else path
            classname = ".".join([self.session.collection.name, *ex.item.path])
            suite = _Suite(name, classname, ex.tenant, self.environments.get(ex.tenant, ""))
            self.suites[key] = suite
        return suite

    def execution(self, ex: Execution) -> None:
        suite = self._suite(ex)
        multi_iteration = self.session.runs[0].iteration_count > 1
        suffix = f" (iteration {ex.iteration + 1})" if multi_iteration else ""
        seconds = (ex.response.time_ms / 1000) if ex.response else 0.0
        suite.time += seconds
        cases: list[dict[str, Any]] = []
        problems = [("RequestError", ex.request_error)] if ex.request_error else []
        problems += [
            (f"{e.event}-script", f"{e.name}: {e.message}" + (f" (line {e.line})" if e.line else ""))
            for e in ex.script_errors
        ]
        problems += [("Warning", w) for w in ex.warnings]
        for kind, message in problems:
            cases.append({"name": f"{kind}{suffix}", "time": seconds, "error": [kind, message]})
            suite.errors += 1
        for a in ex.assertions:
            case: dict[str, Any] = {"name": a.name + suffix, "time": seconds}
            if a.skipped:
                case["skipped"] = True
                suite.skipped += 1
            elif not a.passed:
                case["failure"] = [a.error_name or "AssertionError", a.error_message or ""]
                suite.failures += 1
            cases.append(case)
        suite.tests += len(cases)
        mask = self.session.masker.mask_deep
        for case in cases:
            suite.offsets.append(self.spool.append(mask(case)))

    def run_done(self, summary: Summary) -> None:
        pass

    def done(self, session: Any) -> None:
        mask = session.masker.mask
        stamp = datetime.fromtimestamp(session.started, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        # Tenants in command-line order, items in collection order, however the tenants interleaved.
        tenant_rank = {run.tenant: n for n, run in enumerate(session.runs)}
        item_rank = {item.id: n for n, item in enumerate(session.collection.items())}
        suites = sorted(self.suites.items(), key=lambda kv: (tenant_rank.get(kv[0][0], 0), item_rank.get(kv[0][1], 0)))
        tests = sum(s.tests for _, s in suites)
        failures = sum(s.failures for _, s in suites)
        errors = sum(s.errors for _, s in suites)
        seconds = sum(s.time for _, s in suites)
        with atomic_writer(self.path, "junit report", default_file_name("xml")) as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            root = _attrs(
                name=mask(session.collection.name), tests=tests, failures=failures, errors=errors, time=f"{seconds:.3f}"
            )
            out.write(f"<testsuites{root}>\n")
            for index, (_key, suite) in enumerate(suites):
                attrs = _attrs(
                    name=mask(suite.name),
                    id=index,
                    timestamp=stamp,
                    tests=suite.tests,
                    failures=suite.failures,
                    errors=suite.errors,
                    skipped=suite.skipped,
                    time=f"{suite.time:.3f}",
                )
                out.write(f"  <testsuite{attrs}>\n")
                out.write("    <properties>\n")
                props = [("collection", session.collection.name), ("environment", suite.environment)]
                props += [("tenant", suite.tenant)] if suite.tenant else []
                for name, value in props:
                    out.write(f"      <property{_attrs(name=name, value=mask(value))}/>\n")
                out.write("    </properties>\n")
                classname = mask(suite.classname)
                for offset in suite.offsets:
                    out.write(_testcase(self.spool.read_at(offset), classname))
                out.write("  </testsuite>\n")
            out.write("</testsuites>\n")
        self.spool.close()


def _attrs(**values: Any) -> str:
    return "".join(f" {key}={quoteattr(str(value))}" for key, value in values.items())


def _testcase(case: dict[str, Any], classname: str) -> str:
    seconds = f"{case['time']:.3f}"
    head = f"    <testcase{_attrs(name=case['name'], classname=classname, time=seconds)}"
    for tag in ("error", "failure"):
        if tag in case:
            kind, message = case[tag]
            text = message if tag == "error" else f"{kind}: {message}"
            return (
                f"{head}>\n      <{tag}{_attrs(type=kind, message=message)}>{escape(text)}</{tag}>\n    </testcase>\n"
            )
    if case.get("skipped"):
        return f"{head}>\n      <skipped/>\n    </testcase>\n"
    return f"{head}/>\n"

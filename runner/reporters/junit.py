"""The junit reporter: a testsuite per item, a testcase per assertion per iteration.

Request and script errors are ``<error>`` elements, failed assertions ``<failure>`` elements;
the XML follows the JUnit schema that Jenkins and GitLab read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from runner.files import write_atomic
from runner.reporters import default_export_path
from runner.results import Execution, Summary


class JunitReporter:
    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("junit_export") or default_export_path("junit", "xml")
        self.suites: dict[str, list[Execution]] = {}

    def start(self, run: Any) -> None:
        self.run = run

    def execution(self, ex: Execution) -> None:
        self.suites.setdefault(ex.item.id, []).append(_light(ex))

    def done(self, summary: Summary) -> None:
        mask = self.run.masker.mask
        multi = summary.stats.iterations.total > 1
        root = ET.Element("testsuites", name=mask(self.run.collection.name))
        totals = {"tests": 0, "failures": 0, "errors": 0, "time": 0.0}
        for suite_id, executions in self.suites.items():
            item = executions[0].item
            suite = ET.SubElement(root, "testsuite")
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="collection", value=mask(self.run.collection.name))
            ET.SubElement(props, "property", name="environment", value=mask(summary.environment_name or ""))
            counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
            classname = mask(".".join([self.run.collection.name, *item.path]))
            for ex in executions:
                seconds = (ex.response.time_ms / 1000) if ex.response else 0.0
                counts["time"] += seconds
                suffix = f" (iteration {ex.iteration + 1})" if multi else ""
                for problem, kind in (
                    [(ex.request_error, "RequestError")]
                    + [
                        (f"{e.name}: {e.message}" + (f" (line {e.line})" if e.line else ""), f"{e.event}-script")
                        for e in ex.script_errors
                    ]
                    + [(w, "Warning") for w in ex.warnings]
                ):
                    if not problem:
                        continue
                    case = ET.SubElement(
                        suite, "testcase", name=mask(f"{kind}{suffix}"), classname=classname, time=f"{seconds:.3f}"
                    )
                    err = ET.SubElement(case, "error", type=kind, message=mask(problem))
                    err.text = mask(problem)
                    counts["tests"] += 1
                    counts["errors"] += 1
                for a in ex.assertions:
                    case = ET.SubElement(
                        suite, "testcase", name=mask(a.name + suffix), classname=classname, time=f"{seconds:.3f}"
                    )
                    counts["tests"] += 1
                    if a.skipped:
                        ET.SubElement(case, "skipped")
                        counts["skipped"] += 1
                    elif not a.passed:
                        fail = ET.SubElement(
                            case, "failure", type=a.error_name or "AssertionError", message=mask(a.error_message or "")
                        )
                        fail.text = mask(f"{a.error_name or 'AssertionError'}: {a.error_message or ''}")
                        counts["failures"] += 1
            suite.set("name", mask(" / ".join(item.path) or item.name))
            suite.set("id", suite_id)
            suite.set("timestamp", datetime.fromtimestamp(summary.started, UTC).strftime("%Y-%m-%dT%H:%M:%S"))
            for key in ("tests", "failures", "errors", "skipped"):
                suite.set(key, str(counts[key]))
            suite.set("time", f"{counts['time']:.3f}")
            for key in ("tests", "failures", "errors"):
                totals[key] += counts[key]
            totals["time"] += counts["time"]
        for key in ("tests", "failures", "errors"):
            root.set(key, str(totals[key]))
        root.set("time", f"{totals['time']:.3f}")
        ET.indent(root)
        write_atomic(
            self.path, '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
        )


def _light(ex: Execution) -> Execution:
    """Keep what the XML needs and drop bodies, so long runs do not hold every response in memory."""
    if ex.response is not None:
        from dataclasses import replace

        ex = replace(ex, response=replace(ex.response, body=b""), request=None)
    return ex

"""The junit reporter: Newman's names by default, so a CI system's test history carries over.

By default (Newman's report) there is a testsuite per item (per tenant and item with several
tenants) named by its folder path, a testcase per assertion name folding the iterations, with
Newman's classnames, ``AssertionFailure`` failures and CDATA text, and request and script errors
in ``system-err``. ``--reporter-junit-per-iteration`` gives postrun's own report instead: a
testcase per assertion per iteration and errors as ``<error>`` testcases.

The XML follows the JUnit schema that Jenkins and GitLab read. Testcases are spooled as they
happen and grouped into their suites at the end, so memory stays flat however long the run.
"""

from __future__ import annotations

import re
import unicodedata
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


# Latin letters without a Unicode decomposition that lodash's deburr still maps to plain ones.
_DEBURR = str.maketrans(
    {
        "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L", "ı": "i", "ŀ": "l", "Ŀ": "L", "ĸ": "k", "œ": "oe",
        "Œ": "Oe", "ſ": "s", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "n", "Ŋ": "N", "ĳ": "ij", "Ĳ": "IJ",
    }
)


_WORD = re.compile(
    r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+"
    r"|\d*(?:1ST|2ND|3RD|(?![123])\dTH)(?=\b|[a-z_])|\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])"
    r"|\d+|[^\W\d_a-zA-Z]+"
)


def _words(text: str) -> list[str]:
    """Words as lodash's ``_.words`` splits them: runs of letters broken at case changes
    (``XMLHttp`` -> ``XML``, ``Http``), runs of digits; anything else separates."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).translate(_DEBURR)
    text = re.sub("['\u2019]", "", text)
    words: list[str] = []
    for run in re.findall(r"[^\W_]+", text):
        words += _WORD.findall(run)
    return words


def class_name(name: str) -> str:
    """Newman's testcase classname: ``_.upperFirst(_.camelCase(name))`` without non-word characters."""
    words = _words(name)
    camel = "".join(w.lower() if i == 0 else w[:1].upper() + w[1:].lower() for i, w in enumerate(words))
    camel = re.sub(r"\W", "", camel, flags=re.ASCII)
    return camel[:1].upper() + camel[1:]


@dataclass
class _Test:
    """One assertion name of one suite, its iterations folded together as Newman folds them."""

    failed: int = 0
    message: str = ""
    stack: str = ""


@dataclass
class _ItemSuite:
    name: str
    item_id: str
    tenant: str
    environment: str
    last_tests: int = 0  # Newman: the assertion count of the item's last execution
    runs: int = 0  # times the item ran (its entries in ``times`` count its auth's extra requests too)
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    times: list[float] = field(default_factory=list)
    tests: dict[str, _Test] = field(default_factory=dict)
    skipped_names: set[str] = field(default_factory=set)
    errors_offset: list[int] = field(default_factory=list)  # spooled system-err texts


def junit_reporter(options: dict[str, Any]) -> Any:
    """``-r junit``: Newman's report, or postrun's per-iteration one (``--reporter-junit-per-iteration``)."""
    return PerIterationJunitReporter(options) if options.get("junit_per_iteration") else JunitReporter(options)


class PerIterationJunitReporter:
    """postrun's junit report: a testcase per assertion per iteration, errors as ``<error>`` testcases."""

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


class JunitReporter:
    """Newman's junit report: a testsuite per item, a testcase per assertion name (iterations folded)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.path = options.get("junit_export") or default_export_path("junit", "xml")
        self.suites: dict[tuple[str, str], _ItemSuite] = {}
        self.spool = Spool()

    def start(self, session: Any) -> None:
        self.session = session
        self.items = {item.id: item for item in session.collection.items()}
        self.environments = {run.tenant: run.summary.environment_name or "" for run in session.runs}

    def _suite(self, ex: Execution) -> _ItemSuite:
        key = (ex.tenant, ex.item.id)
        suite = self.suites.get(key)
        if suite is None:
            path = " / ".join(ex.item.path) or ex.item.name
            name = f"{ex.tenant} / {path}" if self.session.multi else path
            suite = _ItemSuite(name, ex.item.id, ex.tenant, self.environments.get(ex.tenant, ""))
            self.suites[key] = suite
        return suite

    def execution(self, ex: Execution) -> None:
        suite = self._suite(ex)
        suite.runs += 1
        # Newman's executions list holds an item's execution once per request its auth sent (digest's
        # challenged one, NTLM's handshake), and its report counts each entry: so do we.
        for _ in range(1 + len(ex.attempts)):
            self._entry(suite, ex)

    def _entry(self, suite: _ItemSuite, ex: Execution) -> None:
        suite.times.append((ex.response.time_ms / 1000) if ex.response else 0.0)
        mask = self.session.masker.mask
        errors = []
        if ex.request_error:
            errors.append(f"RequestError: Error: {ex.request_error}\n")
        text = f"Iteration: {ex.iteration}\n" + "".join(errors) + "\n---\n"
        for kind in ("test", "prerequest"):
            for err in (e for e in ex.script_errors if e.event == kind):
                errors.append(err)
                text += f"{kind}ScriptError: {err.message}\n---\n"
        for warning in ex.warnings:
            errors.append(warning)
            text += f"Warning: {warning}\n---\n"
        if errors:
            suite.errors += len(errors)
            suite.errors_offset.append(self.spool.append(mask(text)))
        suite.last_tests = len(ex.assertions)
        for a in ex.assertions:
            test = suite.tests.setdefault(a.name, _Test())
            if a.skipped:
                suite.skipped_names.add(a.name)
            elif not a.passed:
                suite.failures += 1
                if not test.failed:
                    test.message = mask(a.error_message or "")
                    test.stack = mask(f"{a.error_name or 'AssertionError'}: {a.error_message or ''}")
                test.failed += 1

    def run_done(self, summary: Summary) -> None:
        pass

    def done(self, session: Any) -> None:
        mask = session.masker.mask
        started = datetime.fromtimestamp(session.started, UTC)
        stamp = started.strftime("%Y-%m-%dT%H:%M:%S.") + f"{started.microsecond // 1000:03d}Z"
        tenant_rank = {run.tenant: n for n, run in enumerate(session.runs)}
        item_rank = {item.id: n for n, item in enumerate(session.collection.items())}
        suites = sorted(self.suites.values(), key=lambda s: (tenant_rank.get(s.tenant, 0), item_rank.get(s.item_id, 0)))
        collection = session.collection
        tests_total = sum(s.runs for s in suites)  # Newman: run.stats.tests.total
        total_time = sum(sum(s.times) for s in suites)
        try:
            with atomic_writer(self.path, "junit report", default_file_name("xml")) as out:
                out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
                root = _attrs(name=mask(collection.name), tests=tests_total, time=f"{total_time:.3f}")
                out.write(f"<testsuites{root}>\n")
                for suite in suites:
                    self._write_suite(out, suite, stamp)
                out.write("</testsuites>\n")
        finally:
            self.spool.close()

    def _write_suite(self, out: Any, suite: _ItemSuite, stamp: str) -> None:
        session = self.session
        mask = session.masker.mask
        mean = sum(suite.times) / len(suite.times) if suite.times else 0.0
        attrs = _attrs(
            name=mask(suite.name),
            id=suite.item_id,
            timestamp=stamp,
            tests=suite.last_tests,
            failures=suite.failures,
            errors=suite.errors,
            time=f"{mean:.3f}",
        )
        if suite.skipped_names:
            attrs += _attrs(skipped=len(suite.skipped_names))
        if not suite.tests and not suite.errors_offset and not session.multi:
            out.write(f"  <testsuite{attrs}/>\n")
            return
        out.write(f"  <testsuite{attrs}>\n")
        if session.multi:
            out.write("    <properties>\n")
            for name, value in (("environment", suite.environment), ("tenant", suite.tenant)):
                out.write(f"      <property{_attrs(name=name, value=mask(value))}/>\n")
            out.write("    </properties>\n")
        classname = class_name(mask(suite.name)) or class_name(mask(session.collection.name))
        last = f"{suite.times[-1]:.3f}" if suite.times else "0.000"
        for name, test in suite.tests.items():
            head = f"    <testcase{_attrs(name=mask(name), time=last, classname=classname)}"
            if test.failed:
                out.write(f"{head}>\n")
                out.write(f"      <failure{_attrs(type='AssertionFailure', message=test.message)}>\n")
                for text in (
                    f"Failed {test.failed} times.",
                    f"Collection JSON ID: {session.collection.id}.",
                    f"Collection name: {mask(session.collection.name)}.",
                    f"Request name: {mask(' / '.join(self._item_path(suite)))}.",
                    f"Test description: {mask(name)}.",
                    f"Error message: {test.message}.",
                    f"Stacktrace: {test.stack}.",
                ):
                    out.write(f"        {_cdata(text)}\n")
                out.write("      </failure>\n    </testcase>\n")
            elif name in suite.skipped_names:
                out.write(f"{head}>\n      <skipped/>\n    </testcase>\n")
            else:
                out.write(f"{head}/>\n")
        if suite.errors_offset:
            text = "".join(self.spool.read_at(offset) for offset in suite.errors_offset)
            out.write(f"    <system-err>{_cdata(text)}</system-err>\n")
        out.write("  </testsuite>\n")

    def _item_path(self, suite: _ItemSuite) -> list[str]:
        item = self.items.get(suite.item_id)
        return list(item.path) if item is not None else [suite.name]


def _cdata(text: str) -> str:
    """A CDATA section; a ``]]>`` inside is split across two sections, as XML requires."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"

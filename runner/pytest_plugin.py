"""pytest plugin: Postman collections as pytest tests, one per tenant, iteration and request.

Registered through the ``pytest11`` entry point, so it is loaded wherever postrun is installed;
it stays inert (no hooks beyond its options and the ``postman`` fixture) unless collections are
named with ``--postman-collection`` or the ``postman_collections`` ini option. The requests of one
collection and tenant run in order in one run (``runner.run``), when the first of them is due; each
test then reports its own request's result.
"""

from __future__ import annotations

import glob
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

if TYPE_CHECKING:
    from runner.api import Result
    from runner.collection import Collection
    from runner.results import Execution

BODY_SHOWN = 500  # characters of the response body a failure shows
PLUGIN_NAME = "postrun-collections"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("postman", "Postman collections (postrun)")
    group.addoption(
        "--postman-collection",
        action="append",
        default=[],
        metavar="PATH",
        help="Run this Postman collection as tests: a file, a folder or a glob (repeatable).",
    )
    group.addoption("--postman-env", action="append", default=[], metavar="PATH", help="Environment file or glob.")
    group.addoption("--postman-env-dir", metavar="DIR", help="Every environment file in DIR, a tenant each.")
    group.addoption("--postman-mock", action="store_true", help="Answer requests from the saved examples, offline.")
    group.addoption("--postman-secret", action="append", default=[], metavar="KEY", help="Mask this variable.")
    group.addoption("--postman-timeout-request", type=float, metavar="MS", help="Time limit per request.")
    group.addoption("--postman-iteration-data", metavar="PATH", help="Iteration data (CSV or JSON).")
    group.addoption("--postman-iteration-count", type=int, metavar="N", help="Number of iterations.")
    group.addoption(
        "--postman-report",
        action="append",
        default=[],
        metavar="KIND=PATH",
        help="Also write postrun's json or html report (one per collection and tenant when there are several).",
    )
    parser.addini("postman_collections", "Postman collections to run as tests (files, folders, globs)", "linelist")
    parser.addini("postman_environments", "Environment (tenant) files or globs for those collections", "linelist")


def pytest_configure(config: pytest.Config) -> None:
    """Do nothing unless collections are named; then register the plugin object that collects and runs them."""
    from_cli = _expand(config.getoption("postman_collection"), Path.cwd())
    from_ini = _expand(config.getini("postman_collections"), _ini_dir(config))
    if not from_cli and not from_ini:
        return
    explicit = config.args_source == pytest.Config.ArgsSource.ARGS
    if not explicit:
        config.args = [] if from_cli else list(config.args)
    wanted = from_cli if (explicit or from_cli) else from_ini
    for path in wanted:
        if str(path) not in config.args:
            config.args.append(str(path))
    config.pluginmanager.register(PostmanPlugin(config, set(from_cli) | set(from_ini)), PLUGIN_NAME)


def _ini_dir(config: pytest.Config) -> Path:
    return config.inipath.parent if config.inipath else config.rootpath


def _expand(patterns: list[str], base: Path) -> list[Path]:
    """Files, folders (their ``*.json`` collections) and globs, as absolute paths in a stable order."""
    found: list[Path] = []
    for pattern in patterns:
        full = pattern if os.path.isabs(pattern) else str(base / pattern)
        matches = sorted(glob.glob(full)) if glob.has_magic(full) else [full]
        if not matches:
            raise pytest.UsageError(f"{pattern}: no Postman collection matches")
        for match in matches:
            path = Path(match).resolve()
            if path.is_dir():
                found += sorted(p for p in path.glob("*.json") if not p.name.endswith(_NOT_COLLECTIONS))
            else:
                found.append(path)
    return list(dict.fromkeys(found))


_NOT_COLLECTIONS = (".postman_environment.json", ".postman_globals.json")


class PostmanPlugin:
    """The active part: collects the named collections and runs each collection x tenant once."""

    def __init__(self, config: pytest.Config, collections: set[Path]) -> None:
        self.config = config
        self.collections = collections
        self._tenants: list[tuple[str, str | None]] | None = None
        self.groups: list[Group] = []
        self.reports: list[tuple[str, str]] = []
        for spec in config.getoption("postman_report"):
            kind, sep, target = spec.partition("=")
            if not sep or not target or kind not in ("json", "html"):
                raise pytest.UsageError(f"--postman-report takes json=PATH or html=PATH, got {spec!r}")
            self.reports.append((kind, target))

    def tenants(self) -> list[tuple[str, str | None]]:
        """(name, environment file) per tenant; one unnamed tenant without environments."""
        if self._tenants is None:
            from runner.api import load_tenants

            patterns = self.config.getoption("postman_env") or [
                str(_ini_dir(self.config) / p) for p in self.config.getini("postman_environments")
            ]
            files = _env_files(patterns, self.config.getoption("postman_env_dir"))
            named = load_tenants(files, None)
            self._tenants = [(name, path) for (name, _scope), path in zip(named, files, strict=True)] or [("", None)]
        return self._tenants

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
        if file_path.resolve() in self.collections:
            return PostmanFile.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        """pytest-xdist: schedule a collection x tenant as one unit, so one worker runs it, in order.

        Other tests are grouped as the chosen mode would (load and worksteal: each test alone;
        loadscope; loadgroup); loadfile already keeps a file on one worker, and each runs everything
        everywhere, so those two are left to xdist.
        """
        dist = config.getvalue("dist")
        if dist not in ("load", "worksteal", "loadscope", "loadgroup"):
            return None
        from xdist.scheduler import LoadGroupScheduling, LoadScopeScheduling

        from runner.errors import PostrunError

        ours = {_node_path(path, config) for path in self.collections}
        try:
            depth = 2 if any(name for name, _env in self.tenants()) else 1
        except PostrunError:
            depth = 1  # the workers report the bad environment; the file is then the unit

        class PostmanScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                parts = nodeid.split("::")
                if parts[0] in ours:
                    return "::".join(parts[:depth])
                if dist in ("load", "worksteal"):
                    return nodeid
                if dist == "loadgroup":
                    return LoadGroupScheduling._split_scope(self, nodeid)  # type: ignore[arg-type]
                return super()._split_scope(nodeid)

        return PostmanScheduling(config, log)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
        report = yield
        if isinstance(item, PostmanItem) and call.when == "call":
            spent = item.group.durations.get(item.key)
            if spent is not None:
                report.duration = spent  # type: ignore[attr-defined] # the request's time, not its group's run
        return report


def _node_path(path: Path, config: pytest.Config) -> str:
    """A file's part of a node id: relative to the rootdir, with forward slashes."""
    try:
        return path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return os.path.relpath(path, config.rootpath).replace(os.sep, "/")


def _env_files(patterns: list[str], env_dir: str | None) -> list[str]:
    from runner.errors import UsageError

    files: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise UsageError(f"{pattern}: no environment file matches")
        files += matches
    if env_dir:
        folder = Path(env_dir)
        if not folder.is_dir():
            raise UsageError(f"--postman-env-dir {env_dir}: not a folder")
        files += sorted(str(p) for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    return files


class PostmanFile(pytest.File):
    """A collection file: a node per tenant (when named), then a test per request and iteration."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        from runner.api import load_data
        from runner.collection import load_collection
        from runner.errors import PostrunError

        plugin = cast(PostmanPlugin, self.config.pluginmanager.get_plugin(PLUGIN_NAME))
        try:
            collection = load_collection(self.path)
            tenants = plugin.tenants()
            data_file = self.config.getoption("postman_iteration_data")
            rows = len(load_data(data_file)) if data_file else 0
        except PostrunError as exc:
            raise self.CollectError(str(exc)) from None
        iterations = self.config.getoption("postman_iteration_count") or max(1, rows)
        for name, env_file in tenants:
            group = Group(plugin, self.path, collection, name, env_file, iterations)
            plugin.groups.append(group)
            if name:
                yield PostmanTenant.from_parent(self, name=name, group=group)
            else:
                yield from group.items(self)


class PostmanTenant(pytest.Collector):
    def __init__(self, *, group: Group, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.group = group

    def collect(self) -> Iterator[pytest.Item]:
        return self.group.items(self)


class Group:
    """One collection x tenant: run once, in order, for the items pytest selected from it."""

    def __init__(
        self,
        plugin: PostmanPlugin,
        path: Path,
        collection: Collection,
        tenant: str,
        env_file: str | None,
        iterations: int,
    ) -> None:
        self.plugin = plugin
        self.path = path
        self.collection = collection
        self.tenant = tenant
        self.env_file = env_file
        self.iterations = iterations
        self.result: Result | None = None
        self.error: str | None = None
        self.executions: dict[tuple[str, int], list[Execution]] = {}
        self.durations: dict[tuple[str, int], float] = {}

    def items(self, parent: pytest.Collector) -> Iterator[pytest.Item]:
        for iteration in range(self.iterations):
            seen: dict[str, int] = {}
            for item in self.collection.items():
                name = "/".join(item.path) or item.name
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name += f" ({seen[name]})"  # two requests of one name in one folder
                if self.iterations > 1:
                    name += f"[iteration {iteration + 1}]"
                yield PostmanItem.from_parent(parent, name=name, group=self, item_id=item.id, iteration=iteration)

    def run(self, session: pytest.Session) -> None:
        """Run the selected requests of this collection and tenant (as --folder would), once."""
        if self.result is not None or self.error is not None:
            return
        import runner
        from runner.errors import PostrunError

        config = session.config
        selected = [i for i in session.items if isinstance(i, PostmanItem) and i.group is self]
        folders = list(dict.fromkeys(i.item_id for i in selected))
        reports = self.plugin.reports
        options: dict[str, Any] = {f"reporter_{kind}_export": self._report_path(target) for kind, target in reports}
        maxfail = config.option.maxfail
        self._failed, self._last = 0, time.perf_counter()

        def on_execution(ex: Execution) -> None:
            key = (ex.item.id, ex.iteration)
            now = time.perf_counter()
            self.durations[key] = self.durations.get(key, 0.0) + now - self._last
            self._last = now
            self.executions.setdefault(key, []).append(ex)
            if ex.failed:
                self._failed += 1
                if maxfail and session.testsfailed + self._failed >= maxfail:
                    raise runner.StopRun("stopped: pytest's --maxfail (or -x) was reached")

        try:
            result = runner.run(
                self.collection,
                environment=self.env_file,
                folders=folders,
                iterations=config.getoption("postman_iteration_count"),
                data=config.getoption("postman_iteration_data"),
                secrets=config.getoption("postman_secret"),
                mock=config.getoption("postman_mock"),
                timeout_request=config.getoption("postman_timeout_request"),
                reporters=[kind for kind, _target in self.plugin.reports],
                on_execution=on_execution,
                step_summary=False,
                **options,
            )
        except PostrunError as exc:
            self.error = str(exc)  # bad input: every test of the group fails with it
            return
        self.result = result
        if result.interrupted and "Ctrl-C" in result.interrupted:
            raise KeyboardInterrupt

    def _report_path(self, target: str) -> str:
        if len(self.plugin.groups) == 1:
            return target
        stem, ext = os.path.splitext(target)
        label = self.path.name.removesuffix(".json").removesuffix(".postman_collection")
        return f"{stem}-{label}" + (f"-{self.tenant}" if self.tenant else "") + ext


class PostmanFailure(Exception):
    """A request whose assertions, scripts or sending failed; its text is the whole report."""


class PostmanItem(pytest.Item):
    """One request, in one iteration, for one tenant."""

    def __init__(self, *, group: Group, item_id: str, iteration: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.group = group
        self.item_id = item_id
        self.iteration = iteration

    @property
    def key(self) -> tuple[str, int]:
        return (self.item_id, self.iteration)

    def runtest(self) -> None:
        self.group.run(self.session)
        result = self.group.result
        if result is None:
            raise PostmanFailure(f"error: {self.group.error}")
        executions = self.group.executions.get(self.key)
        if not executions:
            reason = result.interrupted or "the run did not reach it (pm.execution.setNextRequest)"
            pytest.skip(f"not run: {reason}")
        for ex in executions:
            for level, message in ex.console:
                print(f"console.{level}: {message}")
        failed = [ex for ex in executions if ex.failed]
        if failed:
            raise PostmanFailure("\n\n".join(describe(ex) for ex in failed))
        if all(ex.skipped for ex in executions):
            pytest.skip("skipped by pm.execution.skipRequest()")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PostmanFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.group.tenant + ': ' if self.group.tenant else ''}{self.name}"


def describe(ex: Execution) -> str:
    """A failed request as pytest shows it: what failed, the request line, the status and the body's start."""
    lines: list[str] = []
    for a in ex.failed_assertions:
        lines.append(f"✗ {a.name}: {a.error_name or 'AssertionError'}: {a.error_message or 'assertion failed'}")
    for err in ex.script_errors:
        where = f"{err.event} script of {err.owner}" + (f", line {err.line}" if err.line else "")
        lines.append(f"✗ {err.name} in the {where}: {err.message}")
    if ex.request_error:
        lines.append(f"✗ request error: {ex.request_error}")
    lines += [f"✗ {warning}" for warning in ex.warnings]
    if ex.request is not None:
        lines.append(f"{ex.request.method} {ex.request.url}")
    if ex.response is not None:
        res = ex.response
        lines.append(f"→ {res.code} {res.reason} ({res.size} bytes, {res.time_ms:.0f} ms)")
        body = res.text()
        if body:
            more = len(body) - BODY_SHOWN
            cut = body[:BODY_SHOWN] + (f"… ({more} more characters)" if more > 0 else "")
            lines += ["response body:", *("  " + line for line in cut.splitlines())]
    return "\n".join(lines)


class Postman:
    """The ``postman`` fixture: ``runner.run`` and ``runner.check``, with the plugin's --postman-* defaults."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def run(self, collection: Any, **kwargs: Any) -> Result:
        import runner

        kwargs.setdefault("mock", bool(self.config.getoption("postman_mock")))
        kwargs.setdefault("secrets", tuple(self.config.getoption("postman_secret")))
        kwargs.setdefault("timeout_request", self.config.getoption("postman_timeout_request"))
        kwargs.setdefault("step_summary", False)
        return runner.run(collection, **kwargs)

    def check(self, collection: Any, **kwargs: Any) -> Any:
        import runner

        return runner.check(collection, **kwargs)


@pytest.fixture
def postman(request: pytest.FixtureRequest) -> Postman:
    """Run collections from a test: ``r = postman.run("c.json", environment="e.json"); assert r.ok, r.failures``."""
    return Postman(request.config)

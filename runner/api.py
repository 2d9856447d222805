"""postrun from Python: ``run()``, ``check()`` and what they return. ``postrun run`` and ``postrun check``
are thin layers over these two functions, so Python and the terminal share one code path.

``run()`` takes the CLI's options under the names of its long flags (``--delay-request`` is
``delay_request``), and the CLI passes them all by name. A new option is one click line plus one
field: of ``RunOptions`` (engine.py) when runs use it, else of ``Options`` here (reporters get every
``Options`` field); a ``reporter_*`` keyword needs no field: it reaches the reporters without the
prefix, as Newman passes reporter options.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import glob
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.collection import Collection, build_collection, load_collection
from runner.engine import Run, RunOptions, Session
from runner.errors import InputError, UsageError
from runner.files import OutputError, output_path, write_json
from runner.reporters import default_file_name, make_reporters
from runner.resolver import Resolver
from runner.results import Execution, Failure, Stats, Summary, aggregate, execution_from_json, execution_json
from runner.secrets import Masker
from runner.variables import (
    VariableScope,
    export_type,
    load_data_file,
    load_scope_file,
    parse_assignment,
    scope_from_doc,
)

if TYPE_CHECKING:
    from runner.transport import TLSOptions
    from runner.unresolved import TenantReport

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_DEFAULT_PARALLEL = 16

PathLike = str | os.PathLike[str]
Document = PathLike | Mapping[str, Any]  # a file, or the JSON document already loaded
Assignments = Mapping[str, Any] | Iterable[str] | None  # {"key": "value"} or ["key=value", ...]

__all__ = ["CheckResult", "Options", "Result", "StopRun", "TenantResult", "check", "load_collection", "run"]


@dataclass
class Options(RunOptions):
    """Every ``postrun run`` option; the engine's part (timeouts, TLS, redirects...) is ``RunOptions``."""

    global_vars: Assignments = None
    secrets: Sequence[str] = ()
    secret_envs: Sequence[str] = ()  # variables set from the process environment, as secrets
    export_secrets: bool = False
    export_environment: str | None = None
    export_globals: str | None = None
    export_collection: str | None = None
    parallel: int | None = None
    shard: str | None = None  # "I/N"
    suppress_exit_code: bool = False
    mock: bool = False
    verbose: bool = False
    color: str = "auto"
    ssl_client_cert: str | None = None
    ssl_client_key: str | None = None
    ssl_client_passphrase: str | None = None
    ssl_client_cert_list: str | None = None
    ssl_extra_ca_certs: str | None = None
    cookie_jar: str | None = None  # start with the cookies of this jar (tough-cookie JSON)
    export_cookie_jar: str | None = None
    postman_api_key: str | None = None  # fetch collections and environments given by UID
    silent: bool = False  # no terminal output (the cli reporter's --reporter-cli-silent too)
    disable_unicode: bool = False
    reporter: dict[str, Any] = field(default_factory=dict)  # reporter_* options, without the prefix
    keep_executions: bool = True  # Result.executions; the CLI turns it off so memory stays flat
    step_summary: bool = True  # append to $GITHUB_STEP_SUMMARY when it is set

    @classmethod
    def build(cls, values: Mapping[str, Any]) -> Options:
        """Options from keyword arguments; an unknown name is a TypeError, as for any Python call."""
        known = {f.name for f in dataclasses.fields(cls)} - {"reporter", "mock_url"}
        chosen: dict[str, Any] = {}
        reporter: dict[str, Any] = {}
        for name, value in values.items():
            if name.startswith("reporter_"):
                reporter[name.removeprefix("reporter_")] = value
            elif name in known:
                chosen[name] = value
            else:
                raise TypeError(f"run() got an unexpected keyword argument {name!r}")
        return cls(**chosen, reporter=reporter)

    def reporter_options(self) -> dict[str, Any]:
        """What reporters get: every option that is not the engine's (verbose, color...), then reporter_*."""
        engine = {f.name for f in dataclasses.fields(RunOptions)} | {"reporter"}
        chosen = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in engine}
        chosen = chosen | self.reporter
        chosen["cli_silent"] = bool(chosen.get("cli_silent") or self.silent)
        return chosen


class StopRun(Exception):  # noqa: N818 - a signal to stop, not an error
    """Raise it from ``on_execution`` to stop the run as ``--bail`` would; reports are still written."""


@dataclass(repr=False)
class TenantResult:
    """One tenant's part of a run."""

    name: str
    environment: str | None
    stats: Stats
    failures: list[Failure]
    interrupted: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and not self.interrupted

    def __repr__(self) -> str:
        state = "passed" if self.ok else f"failed, {len(self.failures)} failure(s)"
        return f"<TenantResult {self.name or '(no environment)'!r} {state}>"


class Result:
    """What a run produced: ``ok``, ``exit_code``, ``stats``, ``failures``, ``executions``, ``tenants``.

    Everything here is masked as the reports are: secrets read ``***``.
    """

    def __init__(
        self,
        session: Session | None,
        options: Options,
        executions: list[Execution],
        note: str | None = None,
        output_errors: Sequence[Exception] = (),
    ) -> None:
        self.output_errors = list(output_errors)  # reports or exports that could not be written
        self._session = session
        self._options = options
        self.executions = executions
        self.note = note  # what the CLI prints besides the reports ("shard 2/3 has no work")
        summaries = session.summaries if session else []
        self._masker = session.masker if session else Masker()
        total = aggregate(summaries) if summaries else None
        self.stats: Stats = total.stats if total else Stats()
        self.failures: list[Failure] = [self._masked(f) for f in total.failures] if total else []
        self.tenants: list[TenantResult] = [self._tenant(s) for s in summaries]
        self.interrupted: str | None = session.interrupted if session else None

    def _masked(self, failure: Failure) -> Failure:
        mask = self._masker.mask
        return dataclasses.replace(failure, title=mask(failure.title), message=mask(failure.message))

    def _tenant(self, summary: Summary) -> TenantResult:
        failures = [self._masked(f) for f in summary.failures]
        return TenantResult(summary.tenant, summary.environment_name, summary.stats, failures, summary.interrupted)

    @property
    def ok(self) -> bool:
        return self._session.ok if self._session else True

    @property
    def exit_code(self) -> int:
        """What ``postrun run`` exits with: 0 passed, 1 failed (or an output not written, even with
        suppress_exit_code), 130 interrupted by Ctrl-C, 143 by SIGTERM."""
        from runner.signals import EXIT_TERMINATED
        from runner.signals import state as signal_state

        if signal_state.terminated:
            return EXIT_TERMINATED
        if self.interrupted and "Ctrl-C" in self.interrupted:
            return EXIT_INTERRUPTED
        if self.output_errors:
            return EXIT_FAILED
        if self._options.suppress_exit_code or self.ok:
            return EXIT_OK
        return EXIT_FAILED

    def mask(self, text: Any) -> Any:
        """``text`` with this run's secrets replaced by ``***``."""
        return self._masker.mask(text)

    def to_json(self) -> dict[str, Any]:
        """The json reporter's document (Newman's summary shape), built from ``executions``."""
        import tempfile

        from runner.reporters.json import JsonReporter

        if self._session is None:
            return {}
        with tempfile.TemporaryDirectory(prefix="postrun-json-") as folder:
            path = os.path.join(folder, "report.json")
            reporter = JsonReporter({"json_export": path})
            reporter.start(self._session)
            for ex in self.executions:
                reporter.execution(ex)
            reporter.done(self._session)
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)

    def __repr__(self) -> str:
        state = "passed" if self.ok else "failed"
        s = self.stats
        return (
            f"<Result {state}: {s.requests.total} requests ({s.requests.failed} failed), "
            f"{s.assertions.total} assertions ({s.assertions.failed} failed), {len(self.failures)} failure(s), "
            f"{len(self.tenants)} tenant(s)>"
        )


@dataclass(repr=False)
class CheckResult:
    """``postrun check``'s answer: per tenant, the variables left unresolved. ``str()`` is what it prints."""

    reports: list[TenantReport]

    @property
    def ok(self) -> bool:
        return all(r.complete for r in self.reports)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_FAILED

    def __str__(self) -> str:
        from runner.unresolved import format_reports

        return format_reports(self.reports)

    def __repr__(self) -> str:
        missing = {r.tenant or "(no environment)": sorted(r.missing) for r in self.reports if r.missing}
        return f"<CheckResult {'complete' if self.ok else f'missing {missing}'}>"


class _Collector:
    """A reporter that keeps (masked) executions for the Result and streams them to ``on_execution``."""

    def __init__(self, keep: bool, on_execution: Callable[[Execution], Any] | None) -> None:
        self.keep = keep
        self.on_execution = on_execution
        self.executions: list[Execution] = []

    def start(self, session: Session) -> None:
        self.session = session

    def execution(self, ex: Execution) -> None:
        if not self.keep and self.on_execution is None:
            return
        masker = self.session.masker
        masked = execution_from_json(masker.mask_deep(execution_json(ex)), ex.item)
        if masked.response is not None:  # the report keeps bodies as bytes, which mask_deep leaves alone
            masked.response.body = _mask_bytes(masked.response.body, masker)
        if self.keep:
            self.executions.append(masked)
        if self.on_execution is not None:
            try:
                self.on_execution(masked)
            except StopRun as stop:
                self.session.stop.set(str(stop) or "stopped by on_execution")

    def run_done(self, summary: Summary) -> None:
        pass

    def done(self, session: Session) -> None:
        pass


def _mask_bytes(body: bytes, masker: Masker) -> bytes:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    masked = masker.mask(text)
    return body if masked == text else masked.encode("utf-8")


def run(
    collection: Document | Collection,
    *,
    environment: Document | None = None,
    environments: Iterable[Document] = (),
    env_dir: PathLike | None = None,
    globals: Document | None = None,  # noqa: A002 - Newman's name for it
    data: PathLike | Sequence[Mapping[str, Any]] | None = None,
    iterations: int | None = None,
    folders: Sequence[str] = (),
    env_vars: Assignments = None,
    secrets: Sequence[str] = (),
    mock: bool = False,
    bail: bool | str | None = False,
    timeout_request: float | None = None,
    reporters: Sequence[str] = (),
    on_execution: Callable[[Execution], Any] | None = None,
    **newman_options: Any,
) -> Result:
    """Run a collection as ``postrun run`` does, with the same defaults, and return its Result.

    ``collection``, ``environment(s)`` and ``globals`` are files or loaded dicts; ``data`` a file or a
    list of rows. Several environments (or ``env_dir``) make one tenant each. ``reporters`` (default
    none: quiet) are postrun's (``cli``, ``json``, ``junit``, ``html``, ``progress``). Any other
    ``postrun run`` option is a keyword under its long flag's name. Bad input raises InputError.
    """
    options = Options.build(
        {
            "iterations": iterations,
            "folders": tuple(folders),
            "secrets": tuple(secrets),
            "mock": mock,
            "bail": parse_bail(bail),
            "timeout_request": timeout_request,
            **newman_options,
        }
    )
    from runner import remote

    masker = Masker()
    if options.postman_api_key:
        remote.set_api_key(options.postman_api_key)
        masker.add([options.postman_api_key])
    loaded = _collection(collection)
    globals_, tenants = load_variables(environment, environments, env_dir, globals, env_vars, options.global_vars)
    rows = load_data(data) if data is not None else []
    tls, cookies = wire_options(options, masker)
    for name in options.secret_envs:
        if name not in os.environ:
            raise UsageError(f"--secret-env {name}: no such variable in the process environment")
        tenants = [(t, env if env is not None else VariableScope("")) for t, env in tenants]
        for _tenant, env in tenants:
            env.set(name, os.environ[name], type="secret")  # type: ignore[union-attr]
    masker.names.update(options.secrets)  # masks these names in every scope, also when a script creates them
    _check_token_cache(options.oauth2_token_cache)
    if options.max_response_size is not None:
        options.max_response_size = parse_size(options.max_response_size)
    engine_options = RunOptions(**{f.name: getattr(options, f.name) for f in dataclasses.fields(RunOptions)})
    engine_options.tls, engine_options.cookies = tls, cookies
    runs = [
        Run(
            collection=loaded,
            environment=env,
            globals=globals_.copy(),
            data=rows,
            options=dataclasses.replace(engine_options),
            masker=masker,
            tenant=name,
        )
        for name, env in tenants
    ]
    shard_info, note = None, None
    if options.shard:
        index, count = parse_shard(options.shard)
        shard_info = {"index": index, "count": count, "run": run_fingerprint(loaded, runs, options)}
        everything = runs
        runs = shard(runs, index, count)
        if not runs:  # still write its (empty) reports, so that merge sees every shard
            note = f"shard {options.shard} has no work"
            runs = [everything[0]]
            runs[0].iterations = []
    _check_export_paths(options, len(runs))
    collector = _Collector(options.keep_executions, on_execution)
    chosen = make_reporters(split_reporters(reporters), options.reporter_options())
    parallel = options.parallel or min(len(runs), MAX_DEFAULT_PARALLEL)
    session = Session(
        loaded, runs, [*chosen, collector], masker, parallel=parallel, processes=len(runs) > 1 and parallel > 1
    )
    session.shard = shard_info
    with contextlib.ExitStack() as stack:
        if options.mock:
            from runner.mock import MockServer

            raw_items = [item.raw for item in loaded.items()]
            for one in runs:  # a mock per tenant: saved URLs resolve with that tenant's variables
                server = stack.enter_context(MockServer(raw_items, Resolver(one.scopes.lookup).resolve))
                one.options.mock_url = server.base_url
        session.execute()
    from runner.signals import deferred

    with deferred():  # a second Ctrl-C does not cut the exports short
        failed_outputs = [*session.output_errors, *_exports(session, options)]
        if options.step_summary:
            from runner.reporters.summary import write_step_summary

            write_step_summary(session)
    return Result(session, options, collector.executions, note=note, output_errors=failed_outputs)


def check(
    collection: Document | Collection,
    *,
    environment: Document | None = None,
    environments: Iterable[Document] = (),
    env_dir: PathLike | None = None,
    globals: Document | None = None,  # noqa: A002 - Newman's name for it
    data: PathLike | Sequence[Mapping[str, Any]] | None = None,
    folders: Sequence[str] = (),
    env_vars: Assignments = None,
    global_vars: Assignments = None,
) -> CheckResult:
    """``postrun check`` from Python: the variables each tenant leaves unresolved; nothing is sent."""
    from runner.unresolved import check as find_unresolved

    loaded = _collection(collection)
    globals_, tenants = load_variables(environment, environments, env_dir, globals, env_vars, global_vars)
    rows = load_data(data) if data is not None else None
    return CheckResult(find_unresolved(loaded, tenants, globals_, rows, tuple(folders)))


# --- inputs -------------------------------------------------------------------------------------


def _collection(value: Document | Collection) -> Collection:
    if isinstance(value, Collection):
        return value
    if isinstance(value, Mapping):
        return build_collection(copy.deepcopy(dict(value)), "<collection>")
    from runner import remote

    return load_collection(remote.locate(_path(value, "collection"), "collection"))


def wire_options(options: Options, masker: Masker) -> tuple[TLSOptions, list[Any]]:
    """TLS settings and the starting cookie jar, each file checked now (a bad one is exit code 2)."""
    from runner.transport import ClientCert, TLSOptions, load_cert_list, tls_context

    for flag in ("ssl_client_cert", "ssl_client_key", "ssl_extra_ca_certs"):
        path = getattr(options, flag)
        if path and not os.path.isfile(path):
            raise UsageError(f"--{flag.replace('_', '-')} {path}: no such file")
    if options.ssl_client_key and not options.ssl_client_cert:
        raise UsageError("--ssl-client-key needs --ssl-client-cert")
    single = None
    if options.ssl_client_cert:
        single = ClientCert(options.ssl_client_cert, options.ssl_client_key, options.ssl_client_passphrase)
    listed = load_cert_list(options.ssl_client_cert_list) if options.ssl_client_cert_list else []
    masker.add([c.passphrase for c in [single, *listed] if c is not None and c.passphrase])
    tls = TLSOptions(options.insecure, options.ssl_extra_ca_certs, single, listed)
    for cert in [c for c in [single, *listed] if c is not None]:
        try:
            tls_context(tls, cert, {})
        except (OSError, ValueError) as exc:
            raise UsageError(f"client certificate {cert.cert}: {exc}") from None
    cookies: list[Any] = []
    if options.cookie_jar:
        import httpx

        from runner.cookiejar import load_jar

        jar = httpx.Cookies()
        load_jar(options.cookie_jar, jar)
        cookies = list(jar.jar)
    return tls, cookies


def _check_token_cache(path: str | None) -> None:
    """Fail early, as bad input, when the OAuth 2.0 token cache file cannot be read."""
    if path:
        from runner.auth import AuthError, TokenStore

        try:
            TokenStore(path)
        except AuthError as exc:
            raise UsageError(str(exc)) from None


def _path(value: Any, what: str) -> str:
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"{what} must be a path or a loaded document (dict), not {type(value).__name__}")
    return os.fspath(value)


def _scope(value: Document, what: str, label: str) -> VariableScope:
    if isinstance(value, Mapping) or isinstance(value, list):
        return scope_from_doc(copy.deepcopy(value), label, what)
    return load_scope_file(_path(value, what), what)


def load_data(value: PathLike | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Iteration data: a CSV or JSON file, or rows given from Python."""
    if isinstance(value, str | os.PathLike):
        return load_data_file(value)
    rows = list(value)
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise InputError("<data>", "each row must be an object", f"/{i}")
    return [dict(row) for row in rows]


def _assignments(values: Assignments, option: str) -> list[tuple[str, Any]]:
    if values is None:
        return []
    if isinstance(values, Mapping):
        return [(str(k), v) for k, v in values.items()]
    if isinstance(values, str):
        values = [values]
    return [parse_assignment(text, option) for text in values]


def load_variables(
    environment: Document | None,
    environments: Iterable[Document],
    env_dir: PathLike | None,
    globals_doc: Document | None,
    env_vars: Assignments,
    global_vars: Assignments,
) -> tuple[VariableScope, list[tuple[str, VariableScope | None]]]:
    """Globals and the tenants, as run and check take them.

    With no environment there is one unnamed tenant, with an environment only if env_vars gives
    it values.
    """
    globals_ = _scope(globals_doc, "globals", "<globals>") if globals_doc is not None else VariableScope("globals")
    for key, value in _assignments(global_vars, "--global-var"):
        globals_.set(key, value)
    given = ([environment] if environment is not None else []) + list(environments)
    tenants: list[tuple[str, VariableScope | None]] = list(load_tenants(given, env_dir))
    assignments = _assignments(env_vars, "--env-var")
    if not tenants:
        tenants = [("", VariableScope("") if assignments else None)]
    for _name, scope in tenants:
        for key, value in assignments:
            scope.set(key, value)  # type: ignore[union-attr]
    return globals_, tenants


def load_tenants(patterns: Iterable[Document], env_dir: PathLike | None) -> list[tuple[str, VariableScope]]:
    """Each environment is a tenant, named by its ``name`` (or its file name when that is taken)."""
    sources: list[Document] = []
    for pattern in patterns:
        if isinstance(pattern, Mapping):
            sources.append(pattern)
            continue
        text = _path(pattern, "environment")
        from runner import remote

        located = remote.locate(text, "environment")
        if remote.is_remote(located):
            sources.append(located)
            continue
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else [text]
        if not matches:
            raise UsageError(f"{text}: no environment file matches")
        sources += matches
    if env_dir:
        folder = os.fspath(env_dir)
        if not os.path.isdir(folder):
            raise UsageError(f"{folder}: not a folder")
        found = sorted(str(p) for p in Path(folder).iterdir() if _is_environment_file(p))
        if not found:
            raise UsageError(f"{folder}: no environment files (*.json, *.environment.yaml) in it")
        sources += found
    tenants: list[tuple[str, VariableScope]] = []
    taken: set[str] = set()
    for n, source in enumerate(sources, start=1):
        label = source if not isinstance(source, Mapping) else f"<environment {n}>"
        scope = _scope(source, "environment", str(label))
        stem = Path(str(label)).name
        for suffix in (".json", ".postman_environment", ".yaml", ".yml", ".environment"):
            stem = stem.removesuffix(suffix)
        name = scope.name if scope.name and scope.name not in taken else stem
        while name in taken:
            name += "'"
        taken.add(name)
        tenants.append((name, scope))
    return tenants


def _is_environment_file(path: Path) -> bool:
    """What --env-dir picks up: JSON files, and Postman v12's ``*.environment.yaml``."""
    return path.is_file() and (path.suffix == ".json" or path.name.endswith((".environment.yaml", ".environment.yml")))


def split_reporters(values: Iterable[str]) -> list[str]:
    """``["cli,json", "junit"]`` -> ``["cli", "json", "junit"]``: -r takes lists, and may be repeated."""
    names: list[str] = []
    for value in values:
        names += [n.strip() for n in value.split(",") if n.strip()]
    return names


# --- shards ---------------------------------------------------------------------------------------


def parse_bail(value: bool | str | None) -> bool:
    """``--bail`` alone or with ``failure``: stop at the first failure. ``folder`` (Newman: stop when
    --folder names nothing) is always so in postrun: an unknown folder is a usage error."""
    if value is None or isinstance(value, bool):
        return bool(value)
    modifiers = {m.strip() for m in value.split(",") if m.strip()}
    unknown = modifiers - {"folder", "failure"}
    if unknown:
        raise UsageError(f"--bail takes folder and/or failure, not {', '.join(sorted(unknown))}")
    return not modifiers or "failure" in modifiers


def run_fingerprint(collection: Collection, runs: list[Run], options: Options) -> str:
    """The same for every shard of one run, different for another run: what is run, and the CI run
    (GitHub's, GitLab's or Jenkins's id) when there is one."""
    ci_run = next((os.environ[k] for k in ("GITHUB_RUN_ID", "CI_PIPELINE_ID", "BUILD_TAG") if os.environ.get(k)), "")
    what = {
        "collection": collection.doc,
        "tenants": [one.tenant for one in runs],
        "iterations": [one.iteration_count for one in runs],
        "folders": list(options.folders),
        "ci": ci_run,
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:16]


def parse_size(text: str | int) -> int:
    """``--max-response-size``: bytes, or a number with KB/MB/GB (powers of 1024; KiB etc. too)."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", text, re.IGNORECASE)
    if not m or float(m.group(1)) < 1:
        raise UsageError(f"--max-response-size takes a size such as 10MB, 512KB or 1048576, got {text!r}")
    return int(float(m.group(1)) * 1024 ** " kmg".index((m.group(2) or " ").lower()))


def parse_shard(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i = n = 0
    if not sep or n < 1 or not 1 <= i <= n:
        raise UsageError(f"--shard takes I/N with 1 <= I <= N, got {text!r}")
    return i, n


def shard(runs: list[Run], index: int, count: int) -> list[Run]:
    """The index-th of count deterministic slices of the (tenant, iteration) work, dealt round-robin."""
    units = [(run, iteration) for run in runs for iteration in range(run.iteration_count)]
    mine: dict[int, list[int]] = {}
    for position, (one, iteration) in enumerate(units):
        if position % count == index - 1:
            mine.setdefault(id(one), []).append(iteration)
    kept = []
    for one in runs:
        if id(one) in mine:
            one.iterations = mine[id(one)]
            kept.append(one)
    return kept


# --- exports --------------------------------------------------------------------------------------


def _export_target(path: str, tenant: str, suffix: str, multi: bool) -> str:
    if multi:
        return os.path.join(path, f"{tenant}.{suffix}.json")
    return path


def _check_export_paths(options: Options, tenants: int) -> None:
    if tenants < 2:
        return
    for flag in ("export_environment", "export_globals", "export_collection", "export_cookie_jar"):
        path = getattr(options, flag)
        if path and not (path.endswith(("/", os.sep)) or os.path.isdir(path)):
            option = "--" + flag.replace("_", "-")
            raise UsageError(f"with several tenants, {option} takes a folder (end it with /): {path}")


def _exports(session: Session, options: Options) -> list[OutputError]:
    """Write the exports; each one that cannot be written is returned, and the others are still written."""
    multi = session.multi
    secrets = bool(options.export_secrets)
    failed: list[OutputError] = []

    def write(path: str, doc: dict[str, Any], what: str, stem: str) -> None:
        try:
            write_json(path, doc, what, default_file_name("json", stem))
        except OutputError as exc:
            failed.append(exc)

    for one in session.runs:
        if options.export_environment:
            target = _export_target(options.export_environment, one.tenant, "postman_environment", multi)
            scope = one.scopes.environment
            doc = scope.export("environment", secrets or _same_file(target, scope.source))
            write(target, doc, "environment export", "postrun-environment")
        if options.export_globals:
            target = _export_target(options.export_globals, one.tenant, "postman_globals", multi)
            scope = one.scopes.globals
            doc = scope.export("globals", secrets or _same_file(target, scope.source))
            write(target, doc, "globals export", "postrun-globals")
        if options.export_collection:
            target = _export_target(options.export_collection, one.tenant, "postman_collection", multi)
            keep = secrets or _same_file(target, one.collection.file)
            doc = export_collection(one.collection, one.scopes.collection, keep)
            write(target, doc, "collection export", "postrun-collection")
        if options.export_cookie_jar and one.final_cookies is not None:
            target = _export_target(options.export_cookie_jar, one.tenant, "cookies", multi)
            write(target, one.final_cookies, "cookie jar export", "postrun-cookies")
    return failed


def _same_file(target: str, source: str | None) -> bool:
    """An export onto the file its values came from keeps the secret values that file held."""
    if not source:
        return False
    try:
        return os.path.samefile(output_path(target), source)
    except OSError:
        return False


def export_collection(collection: Collection, variables: VariableScope, secrets: bool = False) -> dict[str, Any]:
    """The collection file as loaded, with collection variables as the run left them: disabled ones,
    ids and descriptions kept, as Newman keeps them; secret values only with ``secrets``."""
    doc = dict(collection.doc)  # only "variable" changes: the rest is shared, not copied (any depth)
    doc["variable"] = [_collection_variable(entry, secrets) for entry in variables.entries()]
    return doc


def _collection_variable(entry: dict[str, Any], secrets: bool) -> dict[str, Any]:
    out = {k: v for k, v in entry.items() if k not in ("enabled", "value", "type")}
    value = "" if entry.get("type") == "secret" and not secrets else entry.get("value")
    out |= {"value": value, "type": export_type(entry)}
    if entry.get("enabled") is False:
        out["disabled"] = True
    return out


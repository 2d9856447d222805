"""The run: iterations over the selected items, each item as pre-request scripts -> send -> tests.

A Run is one tenant (one environment): it owns its variable scopes, cookie jar (via the
executor) and sandbox, and hands each finished Execution to its sink. A Session runs the
tenants, one after another or in parallel, and fans executions out to the reporters.
"""

from __future__ import annotations

import base64
import copy
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from runner.auth import AuthError, AuthSession, TokenStore
from runner.collection import Collection, Folder, Item, Script, normalize_request
from runner.cookiejar import dump_jar, http_only, iso_date
from runner.errors import UsageError
from runner.executor import DEFAULT_MAX_RESPONSE_SIZE, Executor, ExecutorOptions, RequestError, Response
from runner.files import OutputError
from runner.request import PreparedRequest, definition, prepare
from runner.resolver import Resolver
from runner.results import Execution, Summary, execution_from_json
from runner.sandbox.runtime import NOT_SET, Sandbox, ScriptResult
from runner.secrets import Masker
from runner.signals import Terminated, deferred, uninterrupted
from runner.transport import ProxyConfig, TLSOptions
from runner.url import InvalidURL, parse_url
from runner.variables import MISSING, Scopes, VariableScope


class Reporter(Protocol):
    """What the session calls; ``execution`` and ``run_done`` are serialised by the session's lock."""

    def start(self, session: Session) -> None: ...
    def execution(self, ex: Execution) -> None: ...
    def run_done(self, summary: Summary) -> None: ...
    def done(self, session: Session) -> None: ...


@dataclass
class RunOptions:
    iterations: int | None = None
    folders: Sequence[str] = ()
    bail: bool = False
    delay_request: float = 0.0  # ms
    timeout: float | None = None  # ms, whole run
    timeout_request: float | None = None  # ms
    timeout_script: float | None = None  # ms
    insecure: bool = False
    ignore_redirects: bool = False
    working_dir: str = "."
    insecure_file_read: bool = True  # --no-insecure-file-read: no body file from outside working_dir
    mock_url: str | None = None  # send every request to this origin (--mock)
    oauth2_token_cache: str | None = None  # keep OAuth 2.0 tokens across runs in this file
    tls: TLSOptions | None = None  # client certificates and CAs (--ssl-*)
    cookies: list[Any] = field(default_factory=list)  # the jar to start from (--cookie-jar)
    max_response_size: int | str | None = None  # decoded body kept, bytes or "10MB" (--max-response-size)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class Stop:
    """Why a session must stop early (Ctrl-C, --timeout, --bail); shared by all its runs.

    With tenants in processes, ``event`` is a multiprocessing event shared across them.
    """

    def __init__(self, event: Any = None) -> None:
        self._event = event if event is not None else threading.Event()
        self.reason: str | None = None

    def set(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    def __bool__(self) -> bool:
        return self._event.is_set()


@dataclass
class Run:
    """One tenant's run of a collection: its own variables, cookie jar, connections and sandbox."""

    collection: Collection
    environment: VariableScope | None = None
    globals: VariableScope = field(default_factory=lambda: VariableScope("globals"))
    data: list[dict[str, Any]] = field(default_factory=list)
    options: RunOptions = field(default_factory=RunOptions)
    masker: Masker = field(default_factory=Masker)
    tenant: str = ""
    iterations: Sequence[int] | None = None  # which iterations to run (a shard); None: all
    sink: Callable[[Execution], None] = lambda ex: None
    stop: Stop = field(default_factory=Stop)

    def __post_init__(self) -> None:
        self.collection_vars = VariableScope(self.collection.name, self.collection.variables)
        self.scopes = Scopes(self.globals, self.collection_vars, self.environment or VariableScope(""))
        self.items = select_items(self.collection, self.options.folders)
        self.masker.add_scopes(self.scopes)  # typed secret, or named with --secret, in any scope
        self.masker.add_collection(self.collection)
        self.summary = Summary(self.collection, self.environment.name if self.environment else None, tenant=self.tenant)
        self.executor: Executor | None = None
        self.final_cookies: dict[str, Any] | None = None  # the jar as the run ended, tough-cookie JSON

    @property
    def iteration_count(self) -> int:
        if self.options.iterations:
            return self.options.iterations
        return max(1, len(self.data))

    def execute(self) -> Summary:
        """Run this tenant's iterations; always returns the summary, even when stopped early."""
        opts = self.options
        timeout = (opts.timeout_script / 1000) if opts.timeout_script else None  # 0 or unset: no cap, as Newman
        self.executor = Executor(
            ExecutorOptions(
                insecure=opts.insecure,
                follow_redirects=not opts.ignore_redirects,
                timeout_request=(opts.timeout_request / 1000) if opts.timeout_request else None,
                redirect_to=opts.mock_url,
                tls=opts.tls,
                max_response_size=opts.max_response_size or DEFAULT_MAX_RESPONSE_SIZE,
            )
        )
        for cookie in opts.cookies:
            self.executor.cookies.jar.set_cookie(copy.copy(cookie))
        self.masker.add(ProxyConfig().credentials())
        self.auth = AuthSession(TokenStore(opts.oauth2_token_cache), self.tenant, self.masker.add)
        self.deadline = time.monotonic() + opts.timeout / 1000 if opts.timeout else None
        self.sandbox = Sandbox(timeout=timeout, send_request=self._send_from_script, cookie_jar=self._cookie_jar,
                               run_deadline=lambda: self.deadline)
        try:
            self._iterations()
        except KeyboardInterrupt as exc:
            self.stop.set(interrupt_reason(exc))
        finally:
            self.final_cookies = dump_jar(self.executor.cookies)
            self.executor.close()
            self.sandbox.close()
            self.summary.completed = time.time()
            if self.stop and not self.summary.interrupted:
                self.summary.interrupted = self.stop.reason
        return self.summary

    def abort(self) -> None:
        """Abandon the request in flight (from another thread): closing the client fails it at once."""
        if self.executor is not None:
            self.executor.close()

    def _iterations(self) -> None:
        wanted = range(self.iteration_count) if self.iterations is None else self.iterations
        for iteration in wanted:
            if self.stop:
                return
            if self.data:
                self.scopes.data = dict(self.data[min(iteration, len(self.data) - 1)])
                self.masker.add_scopes(self.scopes)  # a --secret name may be a data-file column
            self.iteration = iteration
            stop = self._run_sequence(iteration)
            # Newman's iterations.failed counts errors of the iteration event itself, which
            # postman-runtime never raises: 0 however the iteration's items went, so never counted here.
            self.summary.stats.iterations.total += 1
            if stop:
                return

    def _run_sequence(self, iteration: int) -> bool:
        """Run the items of one iteration, following setNextRequest; True when the run must stop."""
        index = 0
        first = True
        while index < len(self.items):
            if self.stop:
                return True
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.stop.set(f"run timed out after {self.options.timeout:g} ms")
                return True
            if not first and self.options.delay_request:
                time.sleep(self.options.delay_request / 1000)
            first = False
            item = self.items[index]
            ex, next_request = self.run_item(item, iteration)
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.stop.set(f"run timed out after {self.options.timeout:g} ms")
            if self.stop and (ex.request_error or ex.response is None):
                return True  # the request in flight was abandoned on purpose: not a result
            with uninterrupted():  # every reporter gets the execution, or none does
                self.summary.record(ex)
                self.sink(ex)
            if self.options.bail and ex.failed:
                self.stop.set("stopped on the first failure (--bail)")
                return True
            if next_request is NOT_SET:
                index += 1
            elif next_request is None:
                return False
            else:
                found = self._find(next_request)
                if found is None:
                    return False
                index = found
        return False

    def _find(self, name_or_id: str) -> int | None:
        for i, item in enumerate(self.items):
            if item.id == name_or_id:
                return i
        for i, item in enumerate(self.items):
            if item.name == name_or_id:
                return i
        return None

    # -- one item -------------------------------------------------------------------------------
    def run_item(self, item: Item, iteration: int) -> tuple[Execution, Any]:
        ex = Execution(item=item, iteration=iteration, tenant=self.tenant)
        next_request: Any = NOT_SET
        request_def = definition(item)
        inherited = request_def.get("auth") if item.request.get("auth") is None else None
        chain = script_chain(item)
        for script in (s for s in chain if s.listen == "prerequest"):
            ex.prerequest_scripts += 1
            result = self._script(script, "prerequest", item, iteration, _own_auth(request_def, inherited), None, ex)
            if result.request is not None:
                request_def = _merge_request(request_def, result.request)
            if result.next_request is not NOT_SET:
                next_request = result.next_request
            if result.skip_request:
                ex.skipped = True
                break
        if not ex.skipped:
            resolver = Resolver(self.scopes.lookup)
            follow = item.protocol_profile.get("followRedirects")

            def build(state: Any) -> PreparedRequest:
                built = prepare(
                    request_def, resolver, working_dir=self.options.working_dir, protocol_profile=item.protocol_profile,
                    session=self.auth, state=state, insecure_file_read=self.options.insecure_file_read,
                )  # fmt: skip
                self.masker.add(built.credentials, f"an auth credential of {item.name!r}")
                return built

            def send(prepared: PreparedRequest, follow_redirects: bool | None = None) -> Response:
                self.masker.add(prepared.credentials, f"an auth credential of {item.name!r}")
                remaining = None if self.deadline is None else max(0.001, self.deadline - time.monotonic())
                how = follow if follow_redirects is None else follow_redirects
                return self.executor.send(
                    prepared, follow_redirects=how, timeout=remaining, profile=item.protocol_profile
                )

            try:
                self.auth.exchange(ex, build, send)  # the request, with its auth's challenges and tokens
            except (InvalidURL, RequestError, AuthError) as exc:
                ex.request_error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a request postrun cannot build fails its item, not the run
                ex.request_error = f"postrun could not build this request ({type(exc).__name__}: {exc})"
            if ex.request is not None:
                ex.warnings += ex.request.warnings
            if ex.response is not None:
                ex.warnings += ex.response.warnings  # e.g. the body was cut at --max-response-size
            ex.warnings += list(dict.fromkeys(resolver.problems.values()))  # self-references, runaway sizes
            tests = [s for s in chain if s.listen == "test"]
            if tests:  # built once per item, and only for an item with test scripts
                sent, received = _sent_request(request_def, ex.request), _response_state(ex.response)
            for script in tests:
                ex.test_scripts += 1
                result = self._script(script, "test", item, iteration, sent, received, ex)
                if result.next_request is not NOT_SET:
                    next_request = result.next_request
        self.sandbox.end_item()
        return ex, next_request

    def _script(
        self,
        script: Script,
        event: str,
        item: Item,
        iteration: int,
        request: dict[str, Any],
        response: dict[str, Any] | None,
        ex: Execution,
    ) -> ScriptResult:
        scopes = self.scopes
        location = [self.collection.name, *item.path]
        state = {
            "eventName": event,
            "iteration": iteration,
            "iterationCount": self.iteration_count,
            "requestName": item.name,
            "requestId": item.id,
            "location": location,
            "environment": scopes.environment.to_dict(),
            "environmentName": self.environment.name if self.environment else None,
            "globals": scopes.globals.to_dict(),
            "collectionVariables": scopes.collection.to_dict(),
            "data": scopes.data,
            "local": scopes.local,
            "request": request,
            "response": response,
            "cookies": self._cookies_for(ex.request),
        }
        result = self.sandbox.run(script, state)
        for name, values in result.scopes.items():
            if name == "environment":
                scopes.environment.replace_all(values)
            elif name == "globals":
                scopes.globals.replace_all(values)
            elif name == "collectionVariables":
                scopes.collection.replace_all(values)
            elif name == "local":
                scopes.local = values
        if result.scopes:
            self.masker.add_scopes(scopes)  # a script may store a new secret value, or create a --secret name
        ex.assertions += result.tests
        ex.console += result.console
        if result.error is not None:
            ex.script_errors.append(result.error)
        return result

    # -- host services for scripts ------------------------------------------------------------
    def _send_from_script(self, request: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """pm.sendRequest: sent as written (Postman does not resolve variables here), on the run's client,
        within ``timeout`` (what is left of the script's time)."""
        try:
            prepared = prepare(
                normalize_request(request), Resolver(lambda _name: MISSING), working_dir=None
            )  # a script reads no files: its file bodies go without them
            response = self.executor.send(prepared, timeout=timeout)
        except (InvalidURL, RequestError) as exc:
            return {"error": str(exc)}
        return {"response": _response_state(response)}

    def _cookies_matching(self, host: str, name: str | None = None) -> list[Any]:
        """Cookies of the run's jar that a request to ``host`` would carry (by name, when given)."""
        return [
            c
            for c in self.executor.cookies.jar
            if host.endswith(c.domain.lstrip(".")) and (name is None or c.name == name)
        ]

    def _cookies_for(self, request: PreparedRequest | None) -> list[dict[str, Any]]:
        if request is None:
            return []
        return [_cookie_json(c) for c in self._cookies_matching(request.target.host)]

    def _cookie_jar(self, op: str, args: list[Any]) -> dict[str, Any]:
        """pm.cookies.jar(): get/getAll/set/unset/clear on the run's jar, for a URL's host."""
        host = parse_url(str(args[0])).get("host", [""])
        domain = host[0] if host else ""
        if op == "get":
            found = self._cookies_matching(domain, args[1])
            return {"value": found[0].value if found else None}
        if op == "getAll":
            return {"cookies": [_cookie_json(c) for c in self._cookies_matching(domain)]}
        if op == "set":
            self.executor.cookies.set(args[1], args[2], domain=domain)
        elif op in ("unset", "clear"):
            for c in self._cookies_matching(domain, args[1] if op == "unset" else None):
                self.executor.cookies.jar.clear(c.domain, c.path, c.name)
        return {}


class Session:
    """The whole command: one Run per tenant, run one after another or several at once.

    Reporters see one stream of executions (serialised by a lock) and one end; each tenant is
    isolated: its own copy of the globals, its own variables, cookie jar, connections and sandbox.
    """

    def __init__(
        self,
        collection: Collection,
        runs: list[Run],
        reporters: Sequence[Reporter],
        masker: Masker,
        parallel: int = 1,
        processes: bool = False,
    ) -> None:
        self.collection = collection
        self.runs = runs
        self.reporters = list(reporters)
        self.masker = masker
        self.parallel = max(1, parallel)
        self.processes = processes and _can_fork()
        self.stop = Stop()
        self._lock = threading.Lock()
        self.started = time.time()
        self.completed: float | None = None
        self.output_errors: list[OutputError] = []  # reports that could not be written
        self.shard: dict[str, Any] | None = None  # --shard I/N: which slice, of which run (for postrun merge)
        for run in runs:
            run.sink = self._emit
            run.stop = self.stop
            run.masker = masker

    @property
    def multi(self) -> bool:
        return len(self.runs) > 1

    def _emit(self, ex: Execution) -> None:
        with self._lock:
            for reporter in self.reporters:
                reporter.execution(ex)

    def _run(self, run: Run) -> Summary:
        summary = run.execute()
        with self._lock:
            for reporter in self.reporters:
                reporter.run_done(summary)
        return summary

    def replay(self, executions: Iterable[Execution]) -> Session:
        """Report executions that ran elsewhere (``postrun merge``): same reporters, same totals."""
        by_tenant = {run.tenant: run for run in self.runs}
        for reporter in self.reporters:
            reporter.start(self)
        for ex in executions:
            by_tenant[ex.tenant].summary.record(ex)
            self._emit(ex)
        for run in self.runs:
            with self._lock:
                for reporter in self.reporters:
                    reporter.run_done(run.summary)
        self._finish()
        return self

    def execute(self) -> Session:
        for reporter in self.reporters:
            reporter.start(self)
        try:
            if self.parallel == 1 or len(self.runs) == 1:
                for run in self.runs:
                    if self.stop:
                        break
                    self._run(run)
            elif self.processes:
                self._execute_processes()
            else:
                self._execute_parallel()
        except KeyboardInterrupt as exc:
            self.stop.set(interrupt_reason(exc))
        self.completed = time.time()
        for run in self.runs:
            if self.stop and not run.summary.interrupted:
                run.summary.interrupted = self.stop.reason
        self._finish()
        return self

    def _finish(self) -> None:
        """Every reporter writes its report: one that cannot write does not stop the others, and a
        second Ctrl-C (or SIGTERM) meanwhile does not cut the writing short."""
        with deferred():
            for reporter in self.reporters:
                try:
                    reporter.done(self)
                except OutputError as exc:
                    self.output_errors.append(exc)

    def _execute_processes(self) -> None:
        """Tenants in forked processes, so they use every core (the GIL serialises threads).

        Each child streams its executions, already masked, to us; we rebuild them and report them
        here, so reporters see exactly what they see with threads.
        """
        import multiprocessing.connection  # imported by the runs that use it (14 ms at start)

        context = multiprocessing.get_context("fork")
        self.stop = Stop(context.Event())
        for run in self.runs:
            run.stop = self.stop
        items = {item.id: item for item in self.collection.items()}
        pending = list(self.runs)
        active: dict[Any, tuple[Run, Any]] = {}
        interrupts = 0
        while pending or active:
            try:
                while pending and len(active) < self.parallel and not self.stop:
                    run = pending.pop(0)
                    receiver, sender = context.Pipe(duplex=False)
                    process = context.Process(target=_tenant_child, args=(run, sender), daemon=True)
                    process.start()
                    sender.close()
                    active[receiver] = (run, process)
                if not active:
                    break
                for receiver in multiprocessing.connection.wait(list(active), timeout=0.5):
                    with uninterrupted():  # a signal never loses the execution being received
                        self._receive(receiver, active, items)
            except KeyboardInterrupt as exc:
                # The children got the signal too: keep reading while they finish and report.
                interrupts += 1
                self.stop.set(interrupt_reason(exc))
                self.stop.reason = interrupt_reason(exc)
                if isinstance(exc, Terminated) and interrupts == 1:  # sent to us alone: pass it on
                    for _run, process in active.values():
                        process.terminate()
                if interrupts > 1:
                    for _run, process in active.values():
                        process.terminate()
                    raise

    def _receive(self, receiver: Any, active: dict[Any, tuple[Run, Any]], items: dict[str, Item]) -> None:
        run, process = active[receiver]
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            kind, payload = "done", {"crashed": True}
        if kind == "ex":
            ex = execution_from_json(payload, items[payload["item"]["id"]])
            run.summary.record(ex)
            self._emit(ex)
            return
        _adopt_child_state(run, payload, self.masker)
        if payload.get("stop") and not self.stop.reason:
            self.stop.reason = payload["stop"]  # another process set the shared event: keep its reason
        with self._lock:
            for reporter in self.reporters:
                reporter.run_done(run.summary)
        del active[receiver]
        receiver.close()
        process.join(timeout=5)

    def _execute_parallel(self) -> None:
        from concurrent.futures import ThreadPoolExecutor, wait

        pool = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="postrun-tenant")
        futures = [pool.submit(self._run, run) for run in self.runs]
        try:
            while not all(f.done() for f in futures):
                wait(futures, timeout=0.2)
        except KeyboardInterrupt as exc:
            self.stop.set(interrupt_reason(exc))
            for run in self.runs:
                run.abort()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            future.result()

    @property
    def summaries(self) -> list[Summary]:
        return [run.summary for run in self.runs]

    @property
    def ok(self) -> bool:
        return not self.stop.reason and all(s.ok for s in self.summaries)

    @property
    def interrupted(self) -> str | None:
        return self.stop.reason


def interrupt_reason(exc: BaseException) -> str:
    return "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted (Ctrl-C)"


def _cookie_json(cookie: Any) -> dict[str, Any]:
    """A jar cookie as postman-runtime hands it to the sandbox (its toPostmanCookie, then JSON): no
    expiry is null, an expiry a date. ``maxAge`` is null (the SDK makes it 0): the standard library's
    jar turns Max-Age into an expiry and keeps no Max-Age."""
    return {
        "name": cookie.name,
        "value": cookie.value,
        "expires": None if cookie.expires is None else iso_date(cookie.expires),
        "maxAge": None,
        "domain": cookie.domain.lstrip("."),
        "path": cookie.path,
        "secure": bool(cookie.secure),
        "httpOnly": http_only(cookie),
        "hostOnly": not cookie.domain_specified,
    }


def _tenant_child(run: Run, conn: Any) -> None:
    """A tenant's process: run it, send each execution (masked) and, at the end, its state."""
    from runner.results import execution_json

    def sink(ex: Execution) -> None:
        conn.send(("ex", run.masker.mask_deep(execution_json(ex))))

    run.sink = sink
    try:
        summary = run.execute()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent instead of a traceback
        summary = run.summary
        summary.interrupted = summary.interrupted or f"tenant process failed: {exc}"
    conn.send(
        (
            "done",
            {
                "iterations": [summary.stats.iterations.total, summary.stats.iterations.failed],
                "interrupted": summary.interrupted,
                "stop": run.stop.reason,
                "environment": run.scopes.environment.export("environment", secrets=True),
                "globals": run.scopes.globals.export("globals", secrets=True),
                "collection": run.scopes.collection.export("collection", secrets=True),
                "secrets": sorted(run.masker.values),
                "cookies": run.final_cookies,
                "completed": summary.completed,
            },
        )
    )
    conn.close()


def _adopt_child_state(run: Run, state: dict[str, Any], masker: Masker) -> None:
    """What a tenant's process ended with: totals the executions cannot tell, and its variables."""
    if state.get("crashed"):
        run.summary.interrupted = run.summary.interrupted or "tenant process ended unexpectedly"
        return
    run.summary.stats.iterations.total, run.summary.stats.iterations.failed = state["iterations"]
    run.summary.interrupted = state.get("interrupted")
    run.summary.completed = state.get("completed")
    masker.add(state.get("secrets") or [])
    run.final_cookies = state.get("cookies")
    for scope, key in (
        (run.scopes.environment, "environment"),
        (run.scopes.globals, "globals"),
        (run.scopes.collection, "collection"),
    ):
        exported = state[key]
        scope.restore(exported["values"])


def _own_auth(request_def: dict[str, Any], inherited: Any) -> dict[str, Any]:
    """The request as a pre-request script sees it: without the auth it inherits (postman-runtime applies
    that when it sends the request; pm.request.auth is undefined until then), with one a script set."""
    if inherited is None or request_def.get("auth") is not inherited:
        return request_def
    return {k: v for k, v in request_def.items() if k != "auth"}


def _merge_request(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A pre-request script's version of the request, in our v2.1 shape."""
    merged = normalize_request(after)
    if "auth" not in after:
        merged["auth"] = before.get("auth")
    return merged


def _sent_request(request_def: dict[str, Any], prepared: PreparedRequest | None) -> dict[str, Any]:
    """What test scripts see as pm.request: the request as it was sent, its #fragment kept, and the
    headers postrun added (not the item's own) marked ``system``, as postman-runtime marks them."""
    if prepared is None:
        return request_def
    sent = copy.copy(request_def)
    sent["method"] = prepared.method
    sent["url"] = _sent_url(request_def, prepared)
    sent["header"] = _sent_headers(request_def, prepared)
    return sent


def _sent_url(request_def: dict[str, Any], prepared: PreparedRequest) -> dict[str, Any]:
    """The URL as postman-runtime leaves it on the sent request: path and query as encoded on the wire,
    the host split at its dots (as the SDK's Url parses it), its #fragment and user info kept."""
    shown = parse_url(prepared.url)
    url = parse_url(str(prepared.target))
    for key in ("auth", "hash"):
        if key in shown:
            url[key] = shown[key]
    if "port" not in shown:
        url.pop("port", None)
    defined = request_def.get("url")
    if "hash" not in url and isinstance(defined, dict) and defined.get("hash"):
        url["hash"] = defined["hash"]
    url["host"] = ".".join(str(h) for h in url.get("host") or []).split(".") if url.get("host") else []
    return url


def _sent_headers(request_def: dict[str, Any], prepared: PreparedRequest) -> list[dict[str, Any]]:
    """The sent request's header list as postman-runtime keeps it: the item's own headers in their order
    (disabled ones too, as written; enabled ones with the values sent), then what was added to send it,
    marked ``system`` (the Content-Type of a urlencoded body is not among them in Newman's list)."""
    sent = [(k, v) for k, v in prepared.headers]
    out: list[dict[str, Any]] = []
    for h in request_def.get("header") or []:
        key = str(h.get("key") or "")
        if h.get("disabled"):
            out.append({"key": key, "value": h.get("value"), "disabled": True})
            continue
        i = next((i for i, (k, _) in enumerate(sent) if k.lower() == key.lower()), None)
        if i is not None:
            k, v = sent.pop(i)
            out.append({"key": k, "value": v})
    body = request_def.get("body") if isinstance(request_def.get("body"), dict) else {}
    for k, v in sent:
        if k.lower() == "content-type" and body.get("mode") == "urlencoded":
            continue
        out.append({"key": k, "value": v, "system": True})
    return out


def _response_state(response: Response | None) -> dict[str, Any] | None:
    """The response as postman-runtime hands it to the sandbox: the body's bytes (``stream``) and, when the
    SDK's Response#text() would decode them as plain UTF-8, that text (so the sandbox need not)."""
    if response is None:
        return None
    return {
        "id": str(uuid.uuid4()),  # as the runtime's Response has one (the SDK would make one, slowly here)
        "code": response.code,
        "status": response.reason,
        "header": [{"key": k, "value": v} for k, v in response.headers],
        "stream": base64.b64encode(response.body).decode("ascii"),
        "body": _sdk_text(response),
        "responseTime": round(response.time_ms),
        "responseSize": response.size,
        "cookie": [],  # postman-runtime makes its Response without cookies (pm.cookies has the jar's)
    }


_CHARSET = re.compile(r"""charset\s*=\s*"?([^;"\s]*)""", re.I)


def _sdk_text(response: Response) -> str | None:
    """The body as the SDK's text() decodes it, if that is UTF-8 (the charset given, or none); else None.

    The SDK decodes with iconv-lite, which drops a leading BOM; another charset, invalid UTF-8 or two
    Content-Type headers are left to the SDK itself in the sandbox.
    """
    types = [v for k, v in response.headers if k.lower() == "content-type"]
    if len(types) > 1:
        return None
    if types and "charset" in types[0].lower():
        m = _CHARSET.search(types[0])
        if not m or m.group(1).lower() not in ("utf-8", "utf8"):
            return None
    try:
        return response.body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def script_chain(item: Item) -> list[Script]:
    """Scripts in Postman's order: collection, outer folder ... inner folder, item."""
    nodes: list[Folder | Item] = []
    node: Folder | Item | None = item
    while node is not None:
        nodes.append(node)
        node = node.parent
    return [script for n in reversed(nodes) for script in n.events]


def select_items(collection: Collection, folders: Iterable[str]) -> list[Item]:
    """The items to run: all of them, or those inside the named folders (or named items), in order."""
    wanted = list(folders)
    if not wanted:
        return list(collection.items())
    chosen: set[str] = set()
    for name in wanted:
        matches = [f for f in collection.folders() if name in (f.name, f.id)]
        matches += [i for i in collection.items() if name in (i.name, i.id)]
        if not matches:
            raise UsageError(f"Unable to find a folder or request: {name}")
        for match in matches:
            if isinstance(match, Folder):
                chosen.update(i.id for i in match.items())
            else:
                chosen.add(match.id)
    return [i for i in collection.items() if i.id in chosen]

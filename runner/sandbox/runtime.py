"""Run pre-request and test scripts in one QuickJS context per run.

The pm library is evaluated once; each distinct script is compiled once into a function. A run
of a script is: ``begin(state)`` (one JSON string in), call the function, drain promises and
timers, ``finish()`` (one JSON string out). What scripts may touch outside the context is only
the host functions registered here: no files, processes, environment or network beyond
``pm.sendRequest``. A time limit applies to each script and a memory limit to the context.

quickjs-ng refuses calls into Python while its own time limit is set, and a running eval cannot
be interrupted from another thread. So a script first runs on a context owned by the run's own
thread, under the engine's time limit (no thread hop: most scripts are pure JavaScript). If it
reaches a host function (hashing, pm.sendRequest, ...) it is run again from the start on a second
context that lives on a worker thread, without the engine's limit, bounded by the caller's
deadline instead; its effects only apply at ``finish``, so nothing of the first attempt leaks.
It is remembered as host-using, and the rest of its item runs there too (so prototype patches made
by one script of an item stay visible to the next). A host-using script that overruns leaves its
worker behind (a daemon thread) and the next one boots afresh.
"""

from __future__ import annotations

import functools
import json
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import quickjs

from runner.collection import Script
from runner.sandbox import host, modules

DEFAULT_CPU_LIMIT = 10.0  # seconds of synchronous work per slice of a script (an endless loop must not hang CI)
DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024
NOT_SET: Any = object()
_LOCATION = re.compile(r"<input>:(\d+)(?::(\d+))?")
_FUNCTION_CONSTRUCTOR = re.compile(r"\bFunction\s*\(")
_SCRIPT_FRAME = re.compile(r"at __postrun_script__ \(<input>:(\d+)(?::(\d+))?\)")
_LIBRARY = ("loader.js", "assertions.js", "pm.js", "globals.js")
_SANDBOX2 = ('"use sandbox2";', "'use sandbox2';")  # Postman's marker for scripts without the legacy API
_MAX_ROUNDS = 16  # a script is run again at most this often while the libraries it needs are handed over
def library_context(names: tuple[str, ...] | None = None) -> Any:
    """A bare QuickJS context with the packed libraries handed over (all, or those ``names`` need), the
    globals and ``require`` as scripts see them, and no pm API: for tests and measurements of the libraries."""
    ctx = quickjs.Context()
    ctx.eval(_library_source("loader.js"))
    ctx.eval("__postrunModules.setIndex")(modules.boot_index())
    add = ctx.eval("__postrunModules.add")
    pack = modules.index()
    paths = list(pack["modules"]) if names is None else modules.closure([pack["entries"][n] for n in names])
    for path, text, info in modules.sources(paths):
        add(path, text, info)
    ctx.eval("globalThis.__postrun = { adopt: function () {} }; globalThis.require = __postrunModules.require;")
    ctx.eval(_library_source("globals.js"))
    return ctx


_TOP_FRAME = re.compile(r"^\s*at (__postrun_script__|<anonymous>) \(<input>:(\d+):(\d+)\)", re.M)
_CALLEE = re.compile(
    r"(?<![\w$.])((?:new\s+)?[A-Za-z_$][\w$]*(?:\s*(?:\?\.|\.)\s*[A-Za-z_$][\w$]*|\[[^\[\]]*\]"
    r"|\((?:[^()]|\([^()]*\))*\))*)\s*\("
)
_NOT_CALLEES = {"function", "if", "for", "while", "switch", "catch", "return", "typeof", "new", "with", "await", "void"}


def v8_callee_message(message: str | None, stack: str, source: str) -> str | None:
    """QuickJS says 'not a function' where V8 names the callee ('jsonData.forEach is not a function').

    The callee is read from the script's line where the error was thrown: the last call on that line
    that starts at or before the reported column (QuickJS reports a column inside the call).
    """
    if message != "not a function":
        return message
    frames = [f for f in stack.splitlines() if f.strip().startswith("at ")]
    top = _TOP_FRAME.match(frames[0]) if frames else None  # only where the script itself threw
    if not top:
        return message
    lines = source.split("\n")
    index = int(top.group(2)) - 2  # the script is wrapped after one line of our own
    if not 0 <= index < len(lines):
        return message
    text, col = lines[index], int(top.group(3))
    best = None
    for m in _CALLEE.finditer(text):
        callee = m.group(1)
        if callee.split(".")[0].strip() in _NOT_CALLEES or m.start(1) + 1 > col:
            continue
        best = callee
    if best is None:
        return message
    # V8 shows calls inside the callee as (...): pm.response.json(...).nope
    shown = re.sub(r"\((?:[^()]|\([^()]*\))*\)", "(...)", best)
    return f"{shown.strip()} is not a function"


@dataclass
class ScriptError:
    """A script that did not run to its end: syntax error, thrown error, timeout, memory."""

    name: str
    message: str
    event: str
    owner: str
    pointer: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        at = f" (line {self.line})" if self.line else ""
        return f"{self.name}: {self.message}{at}"


@dataclass
class TestResult:
    name: str
    passed: bool
    skipped: bool = False
    error_name: str | None = None
    error_message: str | None = None


@dataclass
class ScriptResult:
    tests: list[TestResult] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    error: ScriptError | None = None
    skip_request: bool = False
    next_request: Any = NOT_SET  # NOT_SET, None (stop the iteration), or a name or id
    scopes: dict[str, dict[str, Any]] = field(default_factory=dict)
    request: dict[str, Any] | None = None


def _library_source(name: str) -> str:
    return resources.files("runner.sandbox").joinpath("js", name).read_text("utf-8")


def _module_sources(path: str) -> str:
    """The texts of a packed module and what it requires, for a context that may call Python."""
    return json.dumps(modules.sources(modules.closure([path])))


def _dynamic(name: str) -> str | None:
    from runner.dynamic import dynamic_value  # a large table, needed by few runs

    return dynamic_value(name)


_TAMPERING = re.compile(
    r"prototype|__proto__|defineProperty|setPrototypeOf|\b(?:globalThis|this|window|global|eval|Function|Reflect)\b"
    r"|\b(?:Object|Array|String|Number|Boolean|Date|RegExp|Promise|Error|Map|Set|Symbol|JSON|Math|console|pm"
    r"|postman|require|setTimeout|setInterval|clearTimeout|atob|btoa|_|CryptoJS|moment|Buffer)\b(?:\.[\w$]+)*\s*=(?!=)"
)


@functools.lru_cache(maxsize=4096)
def may_replace_builtins(source: str) -> bool:
    """Whether a script's text could replace a built-in or a pm method (not just add to them)."""
    return bool(_TAMPERING.search(source))


def unused_state(source: str) -> frozenset[str]:
    """Parts of the state a script cannot reach, judged from its text (serialising them costs time).

    Conservative: code that builds code (eval, Function) gets everything.
    """
    if "eval" in source or _FUNCTION_CONSTRUCTOR.search(source):
        return frozenset()
    lower = source.lower()
    unused = set()
    if "request" not in lower:
        unused.add("request")
    if "respons" not in lower:
        unused.add("response")
    if "cookie" not in lower:
        unused.add("cookies")
    return frozenset(unused)


class _Clock:
    """How long the worker's script has been running JavaScript without pause (time in host calls,
    such as pm.sendRequest, and waiting for timers do not count): the CPU limit of host-using scripts."""

    def __init__(self) -> None:
        self._slice: float | None = None
        self._host: float | None = None
        self._host_total = 0.0

    def start(self) -> None:
        self._slice, self._host, self._host_total = time.monotonic(), None, 0.0

    def stop(self) -> None:
        self._slice = None

    def host_begin(self) -> None:
        self._host = time.monotonic()

    def host_end(self) -> None:
        if self._host is not None:
            self._host_total += time.monotonic() - self._host
            self._host = None

    def busy(self) -> float:
        if self._slice is None or self._host is not None:
            return 0.0
        return time.monotonic() - self._slice - self._host_total


class _Stuck(Exception):
    """The worker did not answer in time: its script is still running and cannot be stopped."""


class _Worker:
    """A daemon thread that owns a QuickJS context: every call on the context is made from here."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], queue.SimpleQueue[Any]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="postrun-sandbox", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, reply = job
            try:
                reply.put((True, fn()))
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
                reply.put((False, exc))

    def call(self, fn: Callable[[], Any], watch: Callable[[], str | None] | None = None) -> Any:
        """Run ``fn`` on the worker; ``watch`` is asked every 50 ms whether to give up (_Stuck)."""
        reply: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._jobs.put((fn, reply))
        while True:
            try:
                ok, value = reply.get(timeout=None if watch is None else 0.05)
                break
            except queue.Empty:
                why = watch() if watch is not None else None
                if why:
                    raise _Stuck(why) from None
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        self._jobs.put(None)


class _Context:
    """One QuickJS context with the pm library, used from one thread only (the one that made it)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.timeout = sandbox.timeout
        self.cpu_limit = sandbox.cpu_limit
        self.memory_limit = sandbox.memory_limit
        self._script_deadline: float | None = None
        self._compiled: dict[str, int | ScriptError] = {}
        self.dirty = False  # scripts ran since the last reset
        self.tampering = False  # one of them could have replaced a built-in: compare every value
        self._boot()

    def _boot(self) -> None:
        ctx = quickjs.Context()
        ctx.set_memory_limit(self.memory_limit)
        ctx.eval(host.HOST_JS)
        functions: dict[str, host.HostFunction] = {"dynamic": _dynamic, "module_sources": _module_sources}
        functions["send_request"] = self.sandbox._host_send_request
        functions["cookie_jar"] = self.sandbox._host_cookie_jar
        host.install(ctx, functions)
        ctx.eval(_library_source("loader.js"))
        ctx.eval("__postrunModules.setIndex")(modules.boot_index())
        for name in _LIBRARY[1:]:
            ctx.eval(_library_source(name))
        self._add_module = ctx.eval("__postrunModules.add")
        self._take_needed = ctx.eval("__postrunModules.takeNeeded")
        self._set_host_mode = ctx.eval("__postrunModules.setHostMode")
        ctx.eval("__postrun.seal()")
        self._ctx = ctx
        self._begin = ctx.eval("__postrun.begin")
        self._run = ctx.eval("__postrun.run")
        self._pending = ctx.eval("__postrun.pending")
        self._fire = ctx.eval("__postrun.fireTimer")
        self._finish = ctx.eval("__postrun.finish")
        self._reset = ctx.eval("__postrun.reset")
        self._compile_fn = ctx.eval("__postrun.compile")
        self._compiled.clear()

    def _compile(self, script: Script) -> int | ScriptError:
        cached = self._compiled.get(script.source)
        if cached is not None:
            return cached
        self._ctx.set_time_limit(self.cpu_limit)
        try:
            fn = self._ctx.eval("(function __postrun_script__() {\n" + script.source + "\n})")
            result: int | ScriptError = int(self._compile_fn(fn, script.source[:15] in _SANDBOX2))
        except quickjs.JSException as exc:
            result = self._error(exc, script)
        finally:
            self._ctx.set_time_limit(-1)
        self._compiled[script.source] = result
        return result

    def _timeout_message(self) -> str:
        if self._script_deadline is not None and time.monotonic() >= self._script_deadline - 0.005:
            return f"script timed out after {self.timeout:g} s"
        return (f"script timed out: it ran {self.cpu_limit:g} s without pausing (the limit on synchronous work; "
                "--timeout-script sets a limit on a script's whole time)")

    def _slice_limit(self) -> float:
        """The engine's time limit for the next stretch of synchronous work."""
        if self._script_deadline is None:
            return self.cpu_limit
        return max(0.001, min(self.cpu_limit, self._script_deadline - time.monotonic()))

    def _error(self, exc: BaseException, script: Script) -> ScriptError:
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        name, _, message = first.partition(": ")
        if not message:
            name, message = "Error", first
        if isinstance(exc, quickjs.StackOverflow):
            name, message = "RangeError", "Maximum call stack size exceeded"
        return self._script_error(name, message, text, script)

    def _script_error(self, name: str, message: str, stack: str, script: Script) -> ScriptError:
        """A ScriptError with our wording for limits and the script's own line (not the library's)."""
        if "stack size exceeded" in message:
            name, message = "RangeError", "Maximum call stack size exceeded"
        elif message == "interrupted":
            name, message = "TimeoutError", self._timeout_message()
        elif message == "out of memory":
            name, message = "RangeError", f"script ran out of memory (limit {self.memory_limit // (1024 * 1024)} MiB)"
        line = col = None
        m = _SCRIPT_FRAME.search(stack) or (_LOCATION.search(stack) if name == "SyntaxError" else None)
        if m:
            line = max(1, int(m.group(1)) - 1)
            col = int(m.group(2)) if m.group(2) else None
        message = v8_callee_message(message, stack, script.source)
        return ScriptError(name, message, script.listen, script.owner, script.pointer, line, col)

    def execute(self, script: Script, state: str, host: bool) -> ScriptResult | None:
        """Run a script; None when it reached a host function under the engine's time limit.

        A script that requires a library whose text is not in the context yet is run again once
        the text is there (its first attempt's effects never leave the context: they apply at finish).
        """
        for _ in range(_MAX_ROUNDS):
            result = self._execute(script, state, host)
            needed = self._take_needed()
            if not needed:
                return result
            for path, text, info in modules.sources(modules.closure(needed.split("\n"))):
                self._add_module(path, text, info)
        return result

    def _execute(self, script: Script, state: str, host: bool) -> ScriptResult | None:
        compiled = self._compile(script)
        if isinstance(compiled, ScriptError):
            return ScriptResult(error=compiled)
        self.dirty = True
        self.tampering = self.tampering or may_replace_builtins(script.source)
        now = time.monotonic()
        self._script_deadline = now + self.timeout if self.timeout else None
        run_deadline = self.sandbox.run_deadline()
        waits = [d for d in (self._script_deadline, run_deadline) if d is not None]
        deadline = min(waits) if waits else None
        clock = self.sandbox._clock
        error: ScriptError | None = None
        try:
            self._set_host_mode(host)
            self._ctx.set_time_limit(-1 if host else self._slice_limit())
            if host:
                clock.start()
            self._begin(state)
            self._run(compiled)
            clock.stop()
            error = self._drain(deadline, script, host)
        except (quickjs.JSException, quickjs.StackOverflow) as exc:
            error = self._error(exc, script)
        except Exception as exc:  # noqa: BLE001 - a broken context must not end the run
            error = ScriptError("Error", f"sandbox failure: {exc}", script.listen, script.owner, script.pointer)
        finally:
            clock.stop()
        try:
            self._ctx.set_time_limit(-1 if host else self.cpu_limit)
            out = json.loads(self._finish())
        except Exception:  # noqa: BLE001 - the context is unusable (e.g. memory exhausted): start afresh
            self._boot()
            return ScriptResult(
                error=error or ScriptError("Error", "sandbox failure", script.listen, script.owner, script.pointer)
            )
        finally:
            self._ctx.set_time_limit(-1)
        if out.get("hostBlocked") and not host:
            return None
        return self._result(out, error, script)

    def _drain(self, deadline: float | None, script: Script, host: bool) -> ScriptError | None:
        """Run promise jobs and timers until the script has no pending work.

        Waiting is bounded by ``deadline`` only (--timeout-script, else the run's --timeout), as in
        Newman, where a script may wait 20 s on a timer; each stretch of work has the CPU limit.
        """
        clock = self.sandbox._clock
        while True:
            if host:
                clock.start()
            else:
                self._ctx.set_time_limit(self._slice_limit())
            while self._ctx.execute_pending_job():
                pass
            clock.stop()
            wait = self._pending()
            if wait == -1:
                return None
            remaining = None if deadline is None else deadline - time.monotonic()
            if wait == -2 or (remaining is not None and (remaining <= 0 or wait / 1000 > remaining)):
                capped = self.timeout and deadline == self._script_deadline
                why = (f"script timed out after {self.timeout:g} s" if capped
                       else "script ended" if wait == -2 else "the run's --timeout was reached")
                return ScriptError("TimeoutError", f"{why} with work still pending", script.listen, script.owner,
                                   script.pointer)
            if wait > 0:
                time.sleep(wait / 1000)
            if host:
                clock.start()
            else:
                self._ctx.set_time_limit(self._slice_limit())
            self._fire()
            clock.stop()

    def _result(self, out: dict[str, Any], error: ScriptError | None, script: Script) -> ScriptResult:
        if error is None and out.get("error"):
            err = out["error"]
            error = self._script_error(
                err.get("name") or "Error", err.get("message") or "", err.get("stack") or "", script
            )
        tests = [
            TestResult(
                name=t["name"],
                passed=bool(t["passed"]),
                skipped=bool(t.get("skipped")),
                error_name=(t.get("error") or {}).get("name"),
                error_message=v8_callee_message((t.get("error") or {}).get("message"),
                                                (t.get("error") or {}).get("stack") or "", script.source),
            )
            for t in out.get("tests", [])
        ]
        return ScriptResult(
            tests=tests,
            console=[(c["level"], c["message"]) for c in out.get("console", [])],
            error=error,
            skip_request=bool(out.get("skipRequest")),
            next_request=out["nextRequest"] if "nextRequest" in out else NOT_SET,
            scopes=out.get("scopes") or {},
            request=out.get("request"),
        )

    def reset(self) -> None:
        """Undo what scripts did to globals and built-in prototypes since the last reset."""
        if not self.dirty:
            return
        self.dirty = False
        full, self.tampering = self.tampering, False
        try:
            self._ctx.set_time_limit(self.cpu_limit)
            self._reset(full)
        except Exception:  # noqa: BLE001
            self._boot()
        finally:
            self._ctx.set_time_limit(-1)


class Sandbox:
    """The scripts of one run (a tenant). Pure-JS scripts run on a context owned by the run's thread,
    under the engine's time limit; scripts that call into Python run on a worker's context."""

    def __init__(
        self,
        *,
        timeout: float | None = None,
        cpu_limit: float = DEFAULT_CPU_LIMIT,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        send_request: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        cookie_jar: Callable[[str, list[Any]], dict[str, Any]] | None = None,
        run_deadline: Callable[[], float | None] | None = None,
    ) -> None:
        """``timeout``: a cap on each script's whole time (s; None or 0: none, as in Newman). ``cpu_limit``:
        a cap on each stretch of synchronous work. ``run_deadline``: the run's own end (monotonic), if any."""
        self.timeout = timeout or None
        self.cpu_limit = min(cpu_limit, self.timeout) if self.timeout else cpu_limit
        self.run_deadline: Callable[[], float | None] = run_deadline or (lambda: None)
        self._clock = _Clock()
        self.memory_limit = memory_limit
        self._send_request = send_request
        self._cookie_jar = cookie_jar
        self._needs_host: set[str] = set()
        self._unused: dict[str, frozenset[str]] = {}
        self._direct: _Context | None = None
        self._worker: _Worker | None = None
        self._hosted: _Context | None = None
        self._item_on_worker = False  # an item that used a host function keeps to the worker's context

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()

    # -- host functions -------------------------------------------------------------------------
    def _host_send_request(self, request_json: str) -> str:
        if self._send_request is None:
            return json.dumps({"error": "pm.sendRequest is not available here"})
        self._clock.host_begin()  # waiting for the answer is not the script's CPU time
        try:
            return json.dumps(self._send_request(json.loads(request_json)))
        finally:
            self._clock.host_end()

    def _host_cookie_jar(self, op: str, args_json: str) -> str:
        if self._cookie_jar is None:
            return json.dumps({})
        self._clock.host_begin()
        try:
            return json.dumps(self._cookie_jar(op, json.loads(args_json)))
        finally:
            self._clock.host_end()

    # -- scripts --------------------------------------------------------------------------------
    def run(self, script: Script, state: dict[str, Any]) -> ScriptResult:
        """Run one script with ``state`` (event, request, response, variable scopes, info)."""
        unused = self._unused.get(script.source)
        if unused is None:
            unused = self._unused[script.source] = unused_state(script.source)
        if unused:
            state = {k: v for k, v in state.items() if k not in unused}
        text = json.dumps(state, default=str)
        if not self._item_on_worker and script.source not in self._needs_host:
            if self._direct is None:
                self._direct = _Context(self)
            result = self._direct.execute(script, text, host=False)
            if result is not None:
                return result
            self._needs_host.add(script.source)  # it called into Python: run it again where it may
        self._item_on_worker = True
        return self._run_hosted(script, text)

    def _run_hosted(self, script: Script, state: str) -> ScriptResult:
        if self._worker is None:
            self._worker = _Worker()
            self._hosted = self._worker.call(lambda: _Context(self))
        hosted = self._hosted
        assert hosted is not None
        started = time.monotonic()
        try:
            result = self._worker.call(lambda: hosted.execute(script, state, host=True), watch=self._overdue(started))
        except _Stuck as stuck:  # the script still runs on that thread and cannot be stopped: leave it behind
            self._worker.stop()
            self._worker = self._hosted = None
            return ScriptResult(error=ScriptError("TimeoutError", str(stuck), script.listen, script.owner,
                                                  script.pointer))
        assert result is not None
        return result

    def _overdue(self, started: float) -> Callable[[], str | None]:
        """Why a host-using script must be abandoned now (it runs without the engine's limit), or None."""
        def check() -> str | None:
            now = time.monotonic()
            if self._clock.busy() > self.cpu_limit + 0.5:
                return (f"script timed out: it ran {self.cpu_limit:g} s without pausing (the limit on synchronous "
                        "work; --timeout-script sets a limit on a script's whole time)")
            if self.timeout and now - started > self.timeout + 0.5:
                return f"script timed out after {self.timeout:g} s"
            deadline = self.run_deadline()
            if deadline is not None and now > deadline + 0.5:
                return "the run's --timeout was reached while a script ran"
            return None
        return check

    def end_item(self) -> None:
        """Undo what the item's scripts did to globals and built-in prototypes, in each context used."""
        if self._direct is not None:
            self._direct.reset()
        if self._item_on_worker and self._worker is not None and self._hosted is not None:
            hosted = self._hosted
            self._worker.call(hosted.reset)
        self._item_on_worker = False

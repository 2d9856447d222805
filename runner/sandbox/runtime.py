"""Run pre-request and test scripts in one QuickJS context per run, on the run's own thread.

The pm library is evaluated once; each distinct script is compiled once into a function. A run
of a script is: ``begin(state)`` (one JSON string in), call the function, drain promise jobs, timers
and queued host calls, ``finish()`` (one JSON string out).

Scripts never call into Python while JavaScript runs, so every stretch of JavaScript runs under the
engine's time limit and stops when it is reached, whatever the script was doing. What a script asks of
the host (pm.sendRequest, the cookie jar) is queued; the runtime performs it between stretches, bounded
by the script's deadline, and calls the script back. A library's text is handed over when a script
first needs it: the script is run again once it is there, and its first attempt's effects never leave
the context (they apply at ``finish``; host calls it made are answered again from a log, not repeated).
A script stopped by a limit leaves its context behind: the next script gets a fresh one.
No files, processes, environment or network are reachable from a script beyond ``pm.sendRequest``.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import quickjs

from runner.sandbox import modules

if TYPE_CHECKING:
    from runner.collection import Script

DEFAULT_CPU_LIMIT = 10.0  # seconds of synchronous work per slice of a script (an endless loop must not hang CI)
DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024
NOT_SET: Any = object()
_LOCATION = re.compile(r"<input>:(\d+)(?::(\d+))?")
_FUNCTION_CONSTRUCTOR = re.compile(r"\bFunction\s*\(")
_SCRIPT_FRAME = re.compile(r"at __postrun_script__ \(<input>:(\d+)(?::(\d+))?\)")
_LIBRARY = ("loader.js", "assertions.js", "isolation.js", "objects.js", "scopes.js", "pm.js", "globals.js")
_SANDBOX2 = ('"use sandbox2";', "'use sandbox2';")  # Postman's marker for scripts without the legacy API
_MAX_ROUNDS = 16  # a script is run again at most this often while the libraries it needs are handed over
def library_context(names: tuple[str, ...] | None = None) -> Any:
    """A bare QuickJS context with the packed libraries handed over (all, or those ``names`` need), the
    globals and ``require`` as scripts see them, and no pm API: for tests and measurements of the libraries."""
    ctx = quickjs.Context()
    ctx.eval(_library_source("loader.js"))
    ctx.eval("__postrunModules.setIndex")(modules.boot_index())
    pack = modules.index()
    paths = list(pack["modules"]) if names is None else modules.closure([pack["entries"][n] for n in names])
    ctx.eval("__postrunModules.addAll")(*handover(modules.sources(paths)))
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


_THROWS_NULL = re.compile(r"\bthrow\s+null\b|\breject\s*\(\s*null\b")
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


_GAP = r"(?:\s|/\*.*?\*/|//[^\n]*(?:\n|$))*"  # what may stand between tokens: space and comments
_OP = r"(?:\*\*|<<|>>>?|&&|\|\||\?\?|[-+*/%&|^])?"
_WRITES = re.compile(
    # a member assigned, updated or deleted: a.b = …, a[b] += …, a.b++, --a[b], delete a.b, [a.b] = …
    rf"(?:\.{_GAP}[\w$\\]+|[\]}}]){_GAP}(?:{_OP}=(?![=>])|\+\+|--)|(?:\+\+|--){_GAP}[\w$.\[]|\bdelete\b"
    # functions that change an object in place, and the ways to reach objects or functions indirectly
    r"|\b(?:defineProperty|defineProperties|setPrototypeOf|assign|assignIn|freeze|seal|preventExtensions"
    r"|__proto__|__defineGetter__|__defineSetter__|prototype|constructor|getPrototypeOf|Reflect|globalThis"
    r"|window|global|self|this|with|eval|Function|call|apply|bind|set|setWith|update|updateWith|unset|merge"
    r"|mergeWith|extend|extendOwn|defaults|defaultsDeep|mixin|use|invoke|invokeMap|runInContext|locale"
    r"|updateLocale|defineLocale|addMethod|addProperty|addChainableMethod|overwriteMethod|overwriteProperty"
    r"|overwriteChainableMethod|import)\b"
    rf"|\]{_GAP}\(",  # a member called by a computed name
    re.S,
)
# What scripts write that is theirs alone: legacy `tests[...]`, and pm's own setters.
_OWN_WRITES = re.compile(
    rf"\btests{_GAP}(?:\[[^\]\n]*\]|\.{_GAP}[\w$]+){_GAP}=(?!=)"
    rf"|\bpm{_GAP}\.{_GAP}(?:environment|globals|variables|collectionVariables|iterationData){_GAP}\.{_GAP}"
    r"(?:set|unset)\b",
    re.S,
)


@functools.lru_cache(maxsize=4096)
def may_write_shared(source: str) -> bool:
    """Whether a script's text could change an object later items share (a built-in, pm, a library).

    Conservative: any member assignment, in-place changer or indirect reach counts, so that the full
    check and reset after the item (milliseconds) is skipped only for scripts that plainly cannot.
    """
    return bool(_WRITES.search(_OWN_WRITES.sub(" ", source)))


class _Stopped(Exception):
    """A limit stopped the script: its context is left behind."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def handover(parts: list[tuple[str, str, str]]) -> tuple[str, str]:
    """Module texts for the loader's ``addAll``: back to back, and [path, length, info] of each, the
    lengths in UTF-16 units, as JavaScript slices strings (one call instead of one a module)."""
    index = [[path, len(text.encode("utf-16-le")) // 2, info] for path, text, info in parts]
    return "".join(text for _, text, _ in parts), json.dumps(index)


class _Context:
    """One QuickJS context with the pm library, used from the thread that made it."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.bind(sandbox)
        self._script_deadline: float | None = None
        self._compiled: dict[str, int | ScriptError] = {}
        self.dirty = False  # scripts ran since the last reset
        self.tampering = False  # one of them could have written to a shared object: check every one
        self.broken = False  # a limit stopped a script here, or the reset could not put things back
        self._boot()

    def bind(self, sandbox: Sandbox) -> None:
        """Serve ``sandbox`` (its limits and host calls): a context booted ahead is handed to the first run."""
        self.sandbox = sandbox
        self.timeout = sandbox.timeout
        self.cpu_limit = sandbox.cpu_limit
        self.memory_limit = sandbox.memory_limit
        if hasattr(self, "_ctx"):
            self._ctx.set_memory_limit(self.memory_limit)

    def preload(self, names: tuple[str, ...]) -> None:
        """Evaluate the libraries ``names`` now (what a script would load on first use), in one call each way."""
        pack = modules.index()
        self._add_all(*handover(modules.sources(modules.closure([pack["entries"][name] for name in names]))))
        self._ctx.set_time_limit(self.cpu_limit)
        try:
            self._ctx.eval("__postrun.preload")(json.dumps(list(names)))
        finally:
            self._ctx.set_time_limit(-1)

    def _boot(self) -> None:
        ctx = quickjs.Context()
        ctx.set_memory_limit(self.memory_limit)
        ctx.eval(_library_source("loader.js"))
        ctx.eval("__postrunModules.setIndex")(modules.boot_index())
        for name in _LIBRARY[1:]:
            ctx.eval(_library_source(name))
        self._add_all = ctx.eval("__postrunModules.addAll")
        self._take_needed = ctx.eval("__postrunModules.takeNeeded")
        ctx.eval("__postrun.seal()")
        self._ctx = ctx
        self._begin = ctx.eval("__postrun.begin")
        self._run = ctx.eval("__postrun.run")
        self._take_ops = ctx.eval("__postrun.takeOps")
        self._reply = ctx.eval("__postrun.reply")
        self._pending = ctx.eval("__postrun.pending")
        self._abandon_tests = ctx.eval("__postrun.abandonTests")
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

    def _cpu_message(self) -> str:
        return (f"script timed out: it ran {self.cpu_limit:g} s without pausing (the limit on synchronous work; "
                "--timeout-script sets a limit on a script's whole time)")

    def _timeout_message(self) -> str:
        if self._script_deadline is not None and time.monotonic() >= self._script_deadline - 0.005:
            return f"script timed out after {self.timeout:g} s"
        run_deadline = self.sandbox.run_deadline()
        if run_deadline is not None and time.monotonic() >= run_deadline - 0.005:
            return "the run's --timeout was reached while a script ran"
        return self._cpu_message()

    def _memory_message(self) -> str:
        return f"script ran out of memory (limit {self.memory_limit // (1024 * 1024)} MiB)"

    def _near_memory_limit(self, memory_share: float = 0.6) -> bool:
        try:
            return int(self._ctx.memory()["memory_used_size"]) > self.memory_limit * memory_share
        except Exception:  # noqa: BLE001 - a context that cannot say is one that ran out
            return True

    def _slice_limit(self) -> float:
        """The engine's time limit for the next stretch of JavaScript."""
        deadline = self._deadline()
        if deadline is None:
            return self.cpu_limit
        return max(0.001, min(self.cpu_limit, deadline - time.monotonic()))

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
            name, message = "RangeError", self._memory_message()
        line = col = None
        m = _SCRIPT_FRAME.search(stack) or (_LOCATION.search(stack) if name == "SyntaxError" else None)
        if m:
            line = max(1, int(m.group(1)) - 1)
            col = int(m.group(2)) if m.group(2) else None
        message = v8_callee_message(message, stack, script.source)
        return ScriptError(name, message, script.listen, script.owner, script.pointer, line, col)

    def execute(self, script: Script, state: dict[str, Any]) -> ScriptResult:
        """Run a script to its end or its limit.

        A script that needs a library's text that is not in the context yet is run again once it is
        there; host calls its earlier attempts made are answered from their log, so pm.sendRequest is
        never repeated.
        """
        log: list[tuple[str, dict[str, Any]]] = []
        text = json.dumps(state, default=str)
        result = ScriptResult()
        for _ in range(_MAX_ROUNDS):
            result = self._execute(script, text, log)
            if self.broken:
                return result
            needed = self._take_needed()
            if not needed:
                return result
            self._add_all(*handover(modules.sources(modules.closure(needed.split("\n")))))
        return result

    def _execute(self, script: Script, state: str, log: list[tuple[str, dict[str, Any]]]) -> ScriptResult:
        compiled = self._compile(script)
        if isinstance(compiled, ScriptError):
            return ScriptResult(error=compiled)
        self.dirty = True
        self.tampering = self.tampering or may_write_shared(script.source)
        self._script_deadline = time.monotonic() + self.timeout if self.timeout else None
        error: ScriptError | None = None
        stopped: _Stopped | None = None
        try:
            self._ctx.set_time_limit(self._slice_limit())
            self._begin(state)
            self._run(compiled)
            error = self._drain(script, iter(list(log)), log)
        except _Stopped as exc:
            stopped = exc
        except (quickjs.JSException, quickjs.StackOverflow) as exc:
            error = self._error(exc, script)
            if error.name in ("TimeoutError", "RangeError") and error.message != "Maximum call stack size exceeded":
                stopped = _Stopped(error.name, error.message)
        except Exception as exc:  # noqa: BLE001 - a broken context must not end the run
            error = ScriptError("Error", f"sandbox failure: {exc}", script.listen, script.owner, script.pointer)
            stopped = _Stopped(error.name, error.message)
        if stopped is not None:
            # Its promise jobs may still be queued in the engine: nothing of it may run later.
            self.broken = True
            if error is None:
                error = ScriptError(stopped.name, stopped.message, script.listen, script.owner, script.pointer)
        try:
            self._ctx.set_time_limit(self.cpu_limit)
            reason = json.dumps({"name": error.name, "message": error.message}) if stopped and error else ""
            out = json.loads(self._finish(reason))
        except Exception as exc:  # noqa: BLE001 - the context is unusable (e.g. memory exhausted)
            self.broken = True
            if error is None or error.message == "null":
                if self._near_memory_limit():
                    error = ScriptError("RangeError", self._memory_message(), script.listen, script.owner,
                                        script.pointer)
                else:  # say what broke: a script can leave pm's objects in a state finish cannot read
                    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    error = ScriptError("Error", f"sandbox failure while collecting the results: {first}",
                                        script.listen, script.owner, script.pointer)
            return ScriptResult(error=error)
        finally:
            self._ctx.set_time_limit(-1)
        return self._result(out, error, script)

    def _deadline(self) -> float | None:
        ends = [d for d in (self._script_deadline, self.sandbox.run_deadline()) if d is not None]
        return min(ends) if ends else None

    def _jobs(self) -> None:
        """Run queued promise jobs. Each job has the engine's limit; a chain of them, endless or not,
        has the same limit as one stretch of synchronous work."""
        limit = self._slice_limit()
        started = time.monotonic()
        self._ctx.set_time_limit(limit)
        n = 0
        while self._ctx.execute_pending_job():
            n += 1
            if not n & 31 and time.monotonic() - started > limit:
                raise _Stopped("TimeoutError", self._timeout_message())
            if not n & 1023:
                if self._near_memory_limit(memory_share=0.8):
                    # a chain of promises filling the memory: once it is full, the chain just stops
                    raise _Stopped("RangeError", self._memory_message())
                self._ctx.set_time_limit(max(0.001, limit - (time.monotonic() - started)))

    def _drain(self, script: Script, replay: Any, log: list[tuple[str, dict[str, Any]]]) -> ScriptError | None:
        """Run promise jobs, host calls and timers until the script has nothing left to do.

        Waiting is bounded by the deadline only (--timeout-script, else the run's --timeout), as in
        Newman, where a script may wait 20 s on a timer; each stretch of work has the CPU limit.
        """
        while True:
            self._jobs()
            ops = self._take_ops()
            if ops:
                for op in json.loads(ops):
                    out = self._host(op, replay, log)
                    self._ctx.set_time_limit(self._slice_limit())
                    self._reply(op["id"], json.dumps(out))
                continue
            wait = self._pending()
            deadline = self._deadline()
            remaining = None if deadline is None else deadline - time.monotonic()
            if wait == -1:
                return None
            if wait == -2:
                self._ctx.set_time_limit(self._slice_limit())
                self._abandon_tests()
                continue
            if remaining is not None and (remaining <= 0 or wait / 1000 > remaining):
                capped = self.timeout and deadline == self._script_deadline
                why = f"script timed out after {self.timeout:g} s" if capped else "the run's --timeout was reached"
                return ScriptError("TimeoutError", f"{why} with work still pending", script.listen, script.owner,
                                   script.pointer)
            if wait > 0:
                time.sleep(wait / 1000)
            self._ctx.set_time_limit(self._slice_limit())
            self._fire()

    def _host(self, op: dict[str, Any], replay: Any, log: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
        """Perform one queued host call (or answer it from an earlier attempt's log), within the deadline.

        The n-th call of an attempt gets the answer the n-th call of the first attempt got, even when its
        arguments differ (a timestamp or a nonce made again): a request is never sent twice.
        """
        name = str(op.get("op"))
        earlier = next(replay, None)
        if earlier is not None and earlier[0] == name:
            out = earlier[1]
        else:
            deadline = self._deadline()
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise _Stopped("TimeoutError", self._timeout_message())
            try:
                out = self.sandbox.host_call(name, op.get("args"), remaining)
            except Exception as exc:  # noqa: BLE001 - reported to the script, which may handle it
                out = {"error": str(exc) or type(exc).__name__}
        log.append((name, out))
        deadline = self._deadline()
        if deadline is not None and time.monotonic() >= deadline:
            raise _Stopped("TimeoutError", self._timeout_message())
        return out

    def _result(self, out: dict[str, Any], error: ScriptError | None, script: Script) -> ScriptResult:
        if error is None and out.get("error"):
            err = out["error"]
            name, message = err.get("name") or "Error", err.get("message") or ""
            if err.get("thrownNull") and not _THROWS_NULL.search(script.source):
                # QuickJS throws null when memory ran out so far that not even its error fits
                name, message = "RangeError", self._memory_message()
                self.broken = True
            error = self._script_error(name, message, err.get("stack") or "", script)
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
        """Put back what scripts changed in the built-ins, globals, pm and libraries since the last reset."""
        if not self.dirty or self.broken:
            return
        self.dirty = False
        full, self.tampering = self.tampering, False
        if not self._restore(full):
            self.broken = True  # frozen, made non-configurable, or seen by a library: only a new context is clean

    def _restore(self, full: bool) -> bool:
        try:
            self._ctx.set_time_limit(self.cpu_limit)
            return bool(self._reset(full))
        except Exception:  # noqa: BLE001
            return False
        finally:
            self._ctx.set_time_limit(-1)


class Sandbox:
    """The scripts of one run (a tenant), on one context owned by the run's thread."""

    def __init__(
        self,
        *,
        timeout: float | None = None,
        cpu_limit: float = DEFAULT_CPU_LIMIT,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        send_request: Callable[[dict[str, Any], float | None], dict[str, Any]] | None = None,
        cookie_jar: Callable[[str, list[Any]], dict[str, Any]] | None = None,
        run_deadline: Callable[[], float | None] | None = None,
    ) -> None:
        """``timeout``: a cap on each script's whole time (s; None or 0: none, as in Newman). ``cpu_limit``:
        a cap on each stretch of synchronous work. ``run_deadline``: the run's own end (monotonic), if any.
        ``send_request(request, timeout)`` serves pm.sendRequest within ``timeout`` seconds (None: no limit)."""
        self.timeout = timeout or None
        self.cpu_limit = min(cpu_limit, self.timeout) if self.timeout else cpu_limit
        self.run_deadline: Callable[[], float | None] = run_deadline or (lambda: None)
        self.memory_limit = memory_limit
        self._send_request = send_request
        self._cookie_jar = cookie_jar
        self._unused: dict[str, frozenset[str]] = {}
        self._context: _Context | None = None

    def close(self) -> None:
        self._context = None

    def host_call(self, name: str, args: Any, timeout: float | None) -> dict[str, Any]:
        """What a script queued for the host: pm.sendRequest, or an operation on the cookie jar."""
        if name == "send_request":
            if self._send_request is None:
                return {"error": "pm.sendRequest is not available here"}
            return self._send_request(args, timeout)
        if name == "cookie_jar":
            if self._cookie_jar is None:
                return {}
            return self._cookie_jar(str(args["op"]), list(args["args"]))
        return {"error": f"no host function {name}"}

    def run(self, script: Script, state: dict[str, Any]) -> ScriptResult:
        """Run one script with ``state`` (event, request, response, variable scopes, info)."""
        unused = self._unused.get(script.source)
        if unused is None:
            unused = self._unused[script.source] = unused_state(script.source)
        if unused:
            state = {k: v for k, v in state.items() if k not in unused}
        if self._context is None or self._context.broken:
            self._context = _take_warm(self) or _Context(self)
        return self._context.execute(script, state)

    def end_item(self) -> None:
        """Put back what the item's scripts changed in the built-ins and libraries."""
        if self._context is not None:
            self._context.reset()


# A context booted ahead of the first run, with the libraries nearly every script loads (the SDK for
# pm.request/pm.response/the scopes, chai for pm.test/pm.expect): the CLI boots it on the main thread
# while another thread imports the rest of postrun (runner/launch.py). Only a sandbox on that thread
# takes it: a QuickJS context is used from the thread that made it.
WARM_LIBRARIES = ("postman-collection", "chai", "chai-postman")
_warm: list[tuple[threading.Thread, _Context]] = []


def warm_up() -> None:
    """Boot a context and evaluate WARM_LIBRARIES in it, for the first sandbox on this thread to take."""
    context = _Context(Sandbox())
    context.preload(WARM_LIBRARIES)
    _warm.append((threading.current_thread(), context))


def _take_warm(sandbox: Sandbox) -> _Context | None:
    if not _warm or _warm[0][0] is not threading.current_thread():
        return None
    _, context = _warm.pop()
    if context.broken:
        return None
    context.bind(sandbox)
    return context

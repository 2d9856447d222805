"""The ``postrun`` command's start (runner/launch.py): a context booted while postrun is imported.

The context is booted on the main thread with the SDK and chai evaluated, and the run's first sandbox
on that thread takes it; scripts then behave as on a context that loads them on first use.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import Any

import quickjs

from runner.collection import Script
from runner.sandbox import modules, runtime
from runner.sandbox.runtime import Sandbox, handover, warm_up

STATE = {"eventName": "test", "environment": {}, "globals": {}, "collectionVariables": {}, "data": {}, "local": {}}


def script(source: str) -> Script:
    return Script(source=source, listen="test", owner="launch", pointer="/item/0")


def loaded(sandbox: Sandbox, name: str) -> bool:
    context = sandbox._context
    assert context is not None
    return bool(context._ctx.eval(f"__postrunModules.loaded({json.dumps(name)})"))


def test_handover_slices_texts_with_characters_outside_the_bmp() -> None:
    # JavaScript counts UTF-16 units: a module after one with an emoji must still start where it starts.
    texts = {"a.js": "module.exports = '\U0001f600 é \U00010348';", "b.js": "module.exports = 'b' + 1;"}
    ctx = quickjs.Context()
    ctx.eval(runtime._library_source("loader.js"))
    ctx.eval("__postrunModules.setIndex")(json.dumps({"entries": {"a": "a.js", "b": "b.js"}}))
    info = json.dumps({"deps": {}, "free": [], "lazy": []})
    ctx.eval("__postrunModules.addAll")(*handover([(path, text, info) for path, text in texts.items()]))
    assert ctx.eval("__postrunModules.internal('a')") == "\U0001f600 é \U00010348"
    assert ctx.eval("__postrunModules.internal('b')") == "b1"


def test_the_first_sandbox_on_the_booting_thread_takes_the_warm_context() -> None:
    warm_up()
    try:
        sandbox = Sandbox(cpu_limit=5)
        result = sandbox.run(script("pm.test('t', () => pm.expect(pm.response.code).to.equal(200));"),
                             {**STATE, "response": {"id": "r", "code": 200, "status": "OK", "header": []}})
        assert [(t.name, t.passed) for t in result.tests] == [("t", True)], result
        assert not runtime._warm
        assert loaded(sandbox, "postman-collection") and loaded(sandbox, "chai")
        assert not loaded(sandbox, "moment")  # only what nearly every script needs is evaluated ahead
        assert sandbox._context is not None and sandbox._context.cpu_limit == 5  # the run's limits, not the boot's
        sandbox.end_item()
        again = sandbox.run(script("pm.test('u', () => pm.expect(require('moment')).to.be.a('function'));"), STATE)
        assert [(t.name, t.passed) for t in again.tests] == [("u", True)], again
        sandbox.close()
    finally:
        runtime._warm.clear()


def test_a_sandbox_on_another_thread_boots_its_own() -> None:
    warm_up()
    try:
        seen: dict[str, Any] = {}

        def other() -> None:
            sandbox = Sandbox()
            seen["result"] = sandbox.run(script("pm.test('t', () => {});"), STATE)
            sandbox.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert [t.passed for t in seen["result"].tests] == [True]
        assert len(runtime._warm) == 1  # still there for this thread
    finally:
        runtime._warm.clear()


def test_the_command_runs_a_collection_with_a_warm_context(server: Any, tmp_path: Any) -> None:
    collection = {
        "info": {"name": "warm", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {
                "name": "one",
                "event": [
                    {"listen": "prerequest", "script": {"exec": ["pm.variables.set('n', 'x');"]}},
                    {"listen": "test", "script": {"exec": [
                        "pm.test('status', () => pm.response.to.have.status(200));",
                        "pm.test('local', () => pm.expect(pm.variables.get('n')).to.equal('x'));",
                    ]}},
                ],
                "request": {"method": "GET", "url": f"{server.url}/get"},
            }
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection))
    report_path = tmp_path / "r.json"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "runner", "run", str(path), "-r", "json", "--reporter-json-export", str(report_path)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(report_path.read_text())
    assertions = [a["assertion"] for e in report["run"]["executions"] for a in e["assertions"]]
    assert assertions == ["status", "local"]
    assert report["run"]["stats"]["assertions"] == {"total": 2, "pending": 0, "failed": 0}


def test_every_entry_can_be_preloaded() -> None:
    # The same handover the warm context uses, over every library a script can require.
    context = runtime._Context(Sandbox())
    names = tuple(modules.index()["entries"])
    context.preload(tuple(n for n in names if n not in ("fs", "os", "sugar")))
    assert context._ctx.eval("typeof __postrunModules.internal('moment')") == "function"

"""Hostile scripts: each case is a script that once hung a run, escaped a limit, forged another item's
result, crashed the run or said something unclear.

A script must stop when its limit is reached, whatever it was doing; it reaches no file and no host
beyond what pm.sendRequest asks for; and nothing it does changes the outcome of another item.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import item, postrun

from runner.collection import Script
from runner.sandbox.runtime import Sandbox, may_write_shared

STATE = {"eventName": "test", "environment": {}, "globals": {}, "collectionVariables": {}, "data": {}, "local": {}}
AFTER = ["pm.test('the next item runs and asserts', () => pm.expect(1).to.equal(1));"]


def script(source: str) -> Script:
    return Script(source=source, listen="test", owner="hostile", pointer="/item/0")


def across_items(make, first: list[str], then: list[str], *options: str) -> object:
    """A run of two items: the test script ``first``, then ``then``, which must not see its effects."""
    return postrun(*make([item("first", "{{base}}/t", first), item("then", "{{base}}/c", then)]), *options)


def run_alone(source: str, **limits: float) -> object:
    """One script on a fresh sandbox, then a plain one on the same sandbox (it must still work)."""
    sandbox = Sandbox(**limits)
    try:
        started = time.monotonic()
        result = sandbox.run(script(source), STATE)
        result.elapsed = time.monotonic() - started
        sandbox.end_item()
        after = sandbox.run(script("pm.test('after', () => pm.expect(2).to.equal(2));"), STATE)
        assert [(t.name, t.passed) for t in after.tests] == [("after", True)], after
        return result
    finally:
        sandbox.close()


# --- unbounded waits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "function f() { return Promise.resolve().then(f); } f();",
        "(async function () { while (true) await null; })();",
        "(async function () { for (;;) { await new Promise(r => r()); } })();",
    ],
    ids=["promise-chain", "await-null-loop", "await-promise-loop"],
)
def test_endless_promise_jobs_are_stopped_by_the_cpu_limit(source):
    result = run_alone(source, cpu_limit=0.3)
    assert result.error is not None and result.error.name in ("TimeoutError", "RangeError"), result
    assert result.elapsed < 5


@pytest.mark.parametrize(
    "check",
    [
        "new (require('ajv'))().compile({type: 'string', pattern: '^(a+)+$'})('a'.repeat(40) + '!')",
        "tv4.validate('a'.repeat(40) + '!', {type: 'string', pattern: '^(a+)+$'})",
    ],
    ids=["ajv", "tv4"],
)
def test_a_redos_pattern_in_a_schema_is_stopped_and_its_test_does_not_pass(check):
    result = run_alone(f"pm.test('schema', () => {{ pm.expect({check}).to.be.false; }});", cpu_limit=0.5)
    assert result.error is not None and result.error.name == "TimeoutError"
    assert [(t.name, t.passed) for t in result.tests] == [("schema", False)]
    assert "timed out" in result.tests[0].error_message
    assert result.elapsed < 5


# --- the time limit holds after a host call -----------------------------------------------------


def test_a_script_busy_after_pm_send_request_stops_at_its_limit(make, server):
    pre = ["pm.sendRequest(pm.environment.get('base') + '/first', () => { while (true) {} });"]
    args = make([item("busy", "{{base}}/a", pre=pre), item("next", "{{base}}/b", AFTER)])
    started = time.monotonic()
    result = postrun(*args, "--timeout-script", "800")
    assert time.monotonic() - started < 10
    assert "script timed out after 0.8 s" in result.output
    assert "✓  the next item runs and asserts" in result.output
    assert [s.target for s in server.seen] == ["/first", "/a", "/b"]


def test_requests_a_stopped_script_queued_are_never_sent(make, server):
    pre = [
        "const base = pm.environment.get('base');",
        "setInterval(() => pm.sendRequest(base + '/leak', () => {}), 20);",
    ]
    args = make([item("leaky", "{{base}}/a", pre=pre), item("next", "{{base}}/b", AFTER)])
    result = postrun(*args, "--timeout-script", "400")
    assert "script timed out after 0.4 s" in result.output
    sent = len(server.seen)
    time.sleep(0.5)
    assert len(server.seen) == sent  # nothing more once the run is over
    assert [s.target for s in server.seen][-2:] == ["/a", "/b"]


def test_a_slow_send_request_is_bounded_by_the_script_limit(make, server):
    pre = ["pm.sendRequest(pm.environment.get('base') + '/slow?ms=3000', () => {});"]
    args = make([item("slow", "{{base}}/a", pre=pre), item("next", "{{base}}/b", AFTER)])
    started = time.monotonic()
    result = postrun(*args, "--timeout-script", "500")
    assert time.monotonic() - started < 2.5
    assert "script timed out after 0.5 s" in result.output


# --- files ---------------------------------------------------------------------------------------


def test_pm_send_request_reads_no_files(make, server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    pre = [
        "const base = pm.environment.get('base');",
        f"const file = {json.dumps(str(secret))};",
        "pm.sendRequest({url: base + '/file', method: 'POST', body: {mode: 'file', file: {src: file}}}, () => {});",
        "pm.sendRequest({url: base + '/form', method: 'POST', body: {mode: 'formdata',",
        "  formdata: [{key: 'f', type: 'file', src: file}, {key: 'g', type: 'file', src: '../../etc/passwd'}]}},",
        "  () => {});",
    ]
    postrun(*make([item("files", "{{base}}/a", pre=pre)]), "--working-dir", str(tmp_path))
    bodies = {s.target: s.body for s in server.seen}
    assert set(bodies) == {"/file", "/form", "/a"}
    assert b"TOP-SECRET" not in bodies["/file"] + bodies["/form"]
    assert b"root:" not in bodies["/form"]


# --- memory ---------------------------------------------------------------------------------------


def test_library_code_cannot_pass_the_memory_limit():
    """CryptoJS's random words are made in JavaScript: the context's memory limit holds them."""
    code = (
        "import resource, sys\n"
        "from runner.collection import Script\n"
        "from runner.sandbox.runtime import Sandbox\n"
        "sb = Sandbox(cpu_limit=20, memory_limit=64 * 1024 * 1024)\n"
        "s = Script(source='CryptoJS.lib.WordArray.random(6e8)', listen='test', owner='x', pointer='/i')\n"
        "r = sb.run(s, {'eventName': 'test'})\n"
        "print(r.error.name, r.error.message)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    error, peak_mib = out.stdout.strip().splitlines()
    assert error == "RangeError script ran out of memory (limit 64 MiB)"
    assert int(peak_mib) < 400


def test_out_of_memory_says_so_not_null():
    result = run_alone("var o = {}; for (var i = 0; i < 1e7; i++) { o['k' + i] = i; } Object.keys(o);",
                       memory_limit=48 * 1024 * 1024)
    assert result.error is not None
    assert (result.error.name, result.error.message) == ("RangeError", "script ran out of memory (limit 48 MiB)")


def test_a_script_that_throws_null_is_still_reported_as_null():
    result = run_alone("throw null;")
    assert (result.error.name, result.error.message) == ("Error", "null")


# --- tampering across items -----------------------------------------------------------------------

TAMPER = [
    "const keep = Object.keys;",
    "Object.keys = () => [];",
    "Object.defineProperty = function () { return arguments[0]; };",
    "Array.isArray = () => false;",
    "Array.prototype[Symbol.iterator] = function* () {};",
    "Date.now = () => 0;",
    "Reflect.ownKeys = () => [];",
    "Array.prototype.forEach = function () {};",
    "JSON.parse = () => ({});",
    "Math.random = () => 4;",
    "const proto = Object.getPrototypeOf(pm.expect(1));",
    "proto.assert = function () {};",
    "pm.environment.set = function () {};",
    "console.log = function () {};",
    "var o = Object; o['get' + 'OwnPropertyNames'] = () => [];",
    "pm.test('tampered here', () => pm.expect(1).to.equal(2));  // passes here: its own item",
]
CHECK = [
    "pm.test('built-ins are native again', () => {",
    "  pm.expect(Object.keys({a: 1})).to.eql(['a']);",
    "  pm.expect(Array.isArray([])).to.equal(true);",
    "  pm.expect([...[1, 2]]).to.eql([1, 2]);",
    "  pm.expect(Date.now()).to.be.above(1e12);",
    "  pm.expect(Reflect.ownKeys({b: 1})).to.eql(['b']);",
    "  let n = 0; [1, 2].forEach(() => n++); pm.expect(n).to.equal(2);",
    "  pm.expect(JSON.parse('{\"x\":1}')).to.eql({x: 1});",
    "  pm.expect(Math.random()).to.be.below(1);",
    "  pm.expect(Object.getOwnPropertyNames({c: 1})).to.eql(['c']);",
    "  const d = {}; Object.defineProperty(d, 'e', {value: 1, enumerable: true}); pm.expect(d.e).to.equal(1);",
    "});",
    "pm.environment.set('kept', 'yes');",
    "pm.test('the variable was stored', () => pm.expect(pm.environment.get('kept')).to.equal('yes'));",
    "console.log('still logs');",
    "pm.test('an impossible assertion fails', () => pm.expect(1).to.equal(2));",
]


def test_tampering_in_one_item_does_not_reach_the_next(make, server, tmp_path):
    out = tmp_path / "env-out.json"
    result = across_items(make, TAMPER, CHECK, "--export-environment", str(out))
    assert result.exit_code == 1, result.output  # the impossible assertion of the second item fails
    assert "✓  built-ins are native again" in result.output
    assert "✓  the variable was stored" in result.output
    assert "still logs" in result.output
    failures = result.output[result.output.index("#  failure"):]
    assert "an impossible assertion fails" in failures and "expected 1 to equal 2" in failures
    values = {v["key"]: v["value"] for v in json.loads(out.read_text())["values"]}
    assert values["kept"] == "yes"


def test_tampering_with_a_library_is_undone(make, server):
    tamper = [
        "_.map = () => ['forged'];",
        "require('lodash').isEqual = () => true;",
        "CryptoJS.SHA256 = () => 'forged';",
        "CryptoJS.lib.WordArray.random = () => 'forged';",
        "require('moment').fn.format = () => 'forged';",
    ]
    check = [
        "pm.test('libraries are as loaded', () => {",
        "  pm.expect(_.map([1], x => x + 1)).to.eql([2]);",
        "  pm.expect(require('lodash').isEqual(1, 2)).to.equal(false);",
        "  pm.expect(CryptoJS.SHA256('a').toString()).to.have.lengthOf(64);",
        "  pm.expect(CryptoJS.lib.WordArray.random(4).sigBytes).to.equal(4);",
        "  pm.expect(require('moment')(0).utc().format('YYYY')).to.equal('1970');",
        "});",
    ]
    result = across_items(make, tamper, check)
    assert result.exit_code == 0, result.output


def test_freezing_a_built_in_does_not_reach_the_next_item(make, server):
    tamper = ["Object.freeze(Array.prototype); Object.preventExtensions(globalThis);"]
    check = ["Array.prototype.mine = 1;", "pm.test('open again', () => pm.expect([].mine).to.equal(1));"]
    result = across_items(make, tamper, check)
    assert result.exit_code == 0, result.output


def test_hidden_writes_are_seen_by_the_check():
    for source in [
        "Object /* comment */ . keys = 1",
        "var o = Object; o.keys = 1",
        "var p = [].constructor; p.isArray = 1",
        "Object['defi' + 'neProperty'](Array.prototype, 'x', {value: 1})",
        "Object.assign(Array.prototype, {x: 1})",
        "_.extend(Array.prototype, {x: 1})",
        "globalThis.x = 1",
        "delete Array.prototype.forEach",
        "[Array.prototype.x] = [1]",
        "Array.prototype.x++",
    ]:
        assert may_write_shared(source), source
    for source in [
        "pm.test('s', () => { pm.response.to.have.status(200); });",
        "tests['status'] = responseCode.code === 200;",
        "pm.environment.set('a', pm.response.json().a); pm.variables.set('b', 1);",
        "if (a.b == 1 && c.d !== 2 && e.f >= 3) { console.log(x.map(([k, v]) => k)); }",
    ]:
        assert not may_write_shared(source), source


# --- console --------------------------------------------------------------------------------------


def test_half_an_emoji_on_the_console_does_not_crash_the_run(make, server, tmp_path):
    test = ["console.log('🔑'.split('')); console.log('🔑'[0]);"] + AFTER
    report = tmp_path / "r.json"
    result = postrun(*make([item("emoji", "{{base}}/e", test)]), "-r", "cli,json", "--reporter-json-export",
                     str(report))
    assert result.exit_code == 0, result.output
    assert "✓  the next item runs and asserts" in result.output
    report.read_text("utf-8").encode("utf-8")  # well-formed UTF-8 throughout
    json.loads(report.read_text("utf-8"))
    assert "\ufffd" in result.output


def test_a_console_flood_keeps_the_first_lines_and_says_what_was_dropped():
    result = run_alone("console.log('first'); for (var i = 0; i < 400000; i++) console.log('line ' + i + ' ' + "
                       "'x'.repeat(40));")
    assert result.error is None
    assert result.console[0] == ("log", "first")
    level, note = result.console[-1]
    assert level == "warn" and "more console message(s) not shown" in note and "8 MiB" in note


# --- clear messages -------------------------------------------------------------------------------


def test_a_done_never_called_fails_its_test_at_once_with_a_clear_message():
    result = run_alone("pm.test('async', function (done) { /* done is never called */ });")
    assert result.error is None
    assert [(t.name, t.passed) for t in result.tests] == [("async", False)]
    assert result.tests[0].error_message == "pm.test('async') never called its done callback"
    assert result.elapsed < 1


def test_a_done_called_later_still_passes():
    result = run_alone("pm.test('async', function (done) { setTimeout(() => done(), 50); });")
    assert [(t.name, t.passed) for t in result.tests] == [("async", True)]


def test_a_test_stopped_by_the_time_limit_is_not_a_pass():
    result = run_alone("pm.test('endless', () => { while (true) {} });", cpu_limit=0.2)
    assert result.error is not None and result.error.name == "TimeoutError"
    assert [(t.name, t.passed) for t in result.tests] == [("endless", False)]


def test_a_stopped_script_leaves_nothing_to_run_later():
    """Its queued promise jobs do not run in the next script (the context is made anew)."""
    sandbox = Sandbox(cpu_limit=0.2)
    try:
        first = sandbox.run(script("(async () => { for (;;) { await null; globalThis.leak = 1; } })();"), STATE)
        assert first.error is not None
        sandbox.end_item()
        second = sandbox.run(script("pm.test('clean', () => pm.expect(typeof leak).to.equal('undefined'));"), STATE)
        assert [(t.name, t.passed) for t in second.tests] == [("clean", True)]
    finally:
        sandbox.close()


def test_scripts_stay_inside_the_sandbox_after_the_rewrite(tmp_path: Path):
    """No function of Python is reachable: the host is only asked through queued requests."""
    result = run_alone("pm.test('none', () => pm.expect(Object.getOwnPropertyNames(globalThis)"
                       ".filter(k => /^__py|^__host/.test(k))).to.eql([]));")
    assert [(t.name, t.passed) for t in result.tests] == [("none", True)]


def test_a_script_run_again_for_a_library_never_repeats_its_request(make, server):
    """moment's text and more $guid values arrive after the callback asked for them; the script runs
    again from the start, and its pm.sendRequest is answered from the first attempt's log."""
    pre = [
        "pm.sendRequest({url: pm.environment.get('base') + '/once', header: {'X-Now': String(Math.random())}}, () => {",
        "  pm.variables.set('y', require('moment')(0).utc().format('YYYY'));",
        "  pm.variables.set('g', pm.variables.replaceIn(pm.request.body.raw));",
        "});",
    ]
    test = [
        "pm.test('year', () => pm.expect(pm.variables.get('y')).to.equal('1970'));",
        "pm.test('guid', () => pm.expect(pm.variables.get('g')).to.match(/^[0-9a-f-]{36}$/));",
    ]
    body = {"mode": "raw", "raw": "{{$guid}}"}
    result = postrun(*make([item("again", "{{base}}/a", test, pre, method="POST", body=body)]))
    assert result.exit_code == 0, result.output
    assert [s.target for s in server.seen] == ["/once", "/a"]


def test_a_script_that_breaks_collecting_its_results_is_told_what_broke():
    result = run_alone("Array.prototype.forEach = function () { throw new Error('tampered'); };")
    assert result.error is not None
    assert result.error.message == "sandbox failure while collecting the results: Error: tampered"

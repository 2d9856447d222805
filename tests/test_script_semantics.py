"""Script semantics where postrun followed Newman 6.2 after measuring it (probe collections run under both).

Each expected text below is what Newman 6.2 printed for the same script against a loopback server.
"""

from __future__ import annotations

import re

from tests.conftest import item, postrun


def test_legacy_setters_store_what_to_string_gives(make, server):
    test = [
        "postman.setEnvironmentVariable('n', 1); postman.setEnvironmentVariable('f', false);",
        "postman.setEnvironmentVariable('z', 0); postman.setEnvironmentVariable('o', {a: 1});",
        "postman.setGlobalVariable('g', 2.5);",
        "pm.test('stored', () => pm.expect([pm.environment.get('n'), pm.environment.get('f'), pm.environment.get('z'),",
        "  pm.environment.get('o'), pm.globals.get('g')]).to.eql(['1', false, 0, '[object Object]', '2.5']));",
        "pm.test('legacy object', () => pm.expect([environment.n, typeof environment.z]).to.eql(['1', 'number']));",
    ]
    result = postrun(*make([item("legacy", "{{base}}/x", test)]))
    assert result.exit_code == 0, result.output


def test_json_errors_are_liquid_jsons(make, server):
    test = [
        "function err(f) { try { f(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } }",
        "pm.test('empty body', () => {",
        "  pm.expect(err(() => pm.response.json())).to.equal('JSONError: No data, empty input at 1:1\\n\\n^');",
        "  pm.expect(err(() => JSON.parse(responseBody))).to.equal('JSONError: No data, empty input at 1:1\\n\\n^');",
        "});",
        "pm.test('bad text', () => pm.expect(err(() => JSON.parse('{bad')))",
        "  .to.equal(\"JSONError: Unexpected token 'b' at 1:2\\n{bad\\n ^\"));",
        "pm.test('bom', () => pm.expect(JSON.parse('\\ufeff{\"a\":1}')).to.eql({a: 1}));",
        "pm.test('valid', () => pm.expect(JSON.parse('[1, {\"b\": null}]')).to.eql([1, {b: null}]));",
    ]
    result = postrun(*make([item("empty", "{{base}}/x", test, method="HEAD")]))
    assert result.exit_code == 0, result.output


def test_engine_errors_name_the_callee_as_v8_does(make, server):
    items = [
        item("a", "{{base}}/a", ["var jsonData = {}; jsonData.forEach(function () {})"]),
        item("b", "{{base}}/b", ["pm.response.json().nope()"]),
        item("c", "{{base}}/c", ["var t = 1;", "  t()"]),
        item("d", "{{base}}/d", ["pm.test('inside a test', () => { var o = {a: {}}; o.a.go(1, 2); });"]),
        item("e", "{{base}}/e", ["var a = {b: {}}; a.b.c.d"]),
    ]
    result = postrun(*make(items))
    assert result.exit_code == 1
    assert "jsonData.forEach is not a function" in result.output
    assert "pm.response.json(...).nope is not a function" in result.output
    assert "t is not a function" in result.output
    assert "o.a.go is not a function" in result.output
    assert "Cannot read properties of undefined (reading 'd')" in result.output
    assert re.search(r"(?<!is )not a function", result.output) is None  # QuickJS's bare wording never shows


def test_visualizer_set_checks_its_arguments(make, server):
    test = [
        "function err(f) { try { f(); return 'ok'; } catch (e) { return e.message; } }",
        "pm.test('checks', () => pm.expect([err(() => pm.visualizer.set(1)), err(() => pm.visualizer.set('t', 'x')),",
        "  err(() => pm.visualizer.set('t', {}, 5)), err(() => pm.visualizer.set('t', {a: 1}, {}))]).to.eql([",
        "  'Invalid template. Template must be of type string, found number',",
        "  'Invalid data. Data must be an object, found string',",
        "  'Invalid options. Options must be an object, found number', 'ok']));",
    ]
    result = postrun(*make([item("vis", "{{base}}/v", test)]))
    assert result.exit_code == 0, result.output


def test_sugar_extends_the_built_ins_as_in_postman(make, server):
    test = [
        "pm.test('sugar', () => pm.expect(['abc'.has('b'), [1, 2].none(3), (56).hex(), typeof (function () {}).once,",
        "  new Date(0).addDays(1).getTime(), 'a b'.words().length])",
        "  .to.eql([true, true, '38', 'function', 86400000, 2]));",
        "pm.test('lodash 3 global, lodash 4 module', () => pm.expect([_.VERSION, require('lodash').VERSION])",
        "  .to.eql(['3.10.2', '4.17.21']));",
    ]
    result = postrun(*make([item("sugar", "{{base}}/s", test), item("again", "{{base}}/t", test)]))
    assert result.exit_code == 0, result.output
    assert result.output.count("✓  sugar") == 2  # still there after the reset between items


def test_waiting_is_bounded_by_timeout_script_only(make, server):
    """Newman has no per-script limit: a script may wait on a timer (PayPal's collection waits 20 s)."""
    wait = ["setTimeout(() => pm.test('waited', () => {}), 1200);"]
    items = [item("wait", "{{base}}/w", wait)]
    assert "✓  waited" in postrun(*make(items)).output
    assert "✓  waited" in postrun(*make(items), "--timeout-script", "0").output
    capped = postrun(*make(items), "--timeout-script", "300")
    assert capped.exit_code == 1
    assert "script timed out after 0.3 s with work still pending" in capped.output


def test_synchronous_work_has_the_cpu_limit_pure_or_host_using():
    from runner.collection import Script
    from runner.sandbox.runtime import Sandbox

    sandbox = Sandbox(cpu_limit=0.2)
    state = {"eventName": "test", "environment": {}, "globals": {}, "collectionVariables": {}, "data": {}, "local": {}}
    try:
        for source in ("while (true) {}", "setTimeout(() => { for (;;) {} }, 10)",
                       "pm.variables.replaceIn('{{$guid}}'); while (true) {}"):  # the last one calls into Python
            result = sandbox.run(Script(source=source, listen="test", owner="x", pointer="/item/0"), state)
            assert result.error is not None and result.error.name == "TimeoutError", source
            assert "ran 0.2 s without pausing" in result.error.message
            sandbox.end_item()
        ok = sandbox.run(Script(source="pm.test('after', () => {})", listen="test", owner="x", pointer="/i"), state)
        assert [t.passed for t in ok.tests] == [True]
    finally:
        sandbox.close()


def test_pm_members_cannot_be_reassigned(make, server):
    test = [
        "pm.environment = 1; pm.globals = null; pm.variables = 2; pm.collectionVariables = 3; pm.request = 4;",
        "pm.response = 5; pm.iterationData = 6; pm.info = 7; pm.cookies = 8;",
        "pm.test('still objects', () => pm.expect([pm.environment, pm.globals, pm.variables, pm.collectionVariables,",
        "  pm.request, pm.response, pm.iterationData, pm.info, pm.cookies].map(v => typeof v))",
        "  .to.eql(Array(9).fill('object')));",
        "pm.test('strict code too', () => {",
        "  'use strict'; pm.environment = 1; pm.expect(pm.environment.set).to.be.a('function');",
        "});",
    ]
    result = postrun(*make([item("reassign", "{{base}}/r", test), item("next", "{{base}}/n", test)]))
    assert result.exit_code == 0, result.output


def test_use_sandbox2_scripts_run_without_the_legacy_api(make, server):
    sandbox2 = [
        "'use sandbox2';",
        "pm.test('no legacy', () => pm.expect([typeof tests, typeof postman, typeof _, typeof CryptoJS,",
        "  typeof responseBody, typeof Buffer, typeof 'x'.has]).to.eql(['undefined', 'undefined', 'undefined',",
        "  'undefined', 'undefined', 'function', 'function']));",
        "pm.test('native JSON', () => pm.expect(() => JSON.parse('')).to.throw(SyntaxError));",
    ]
    legacy = [
        "pm.test('legacy', () => pm.expect([typeof tests, typeof postman, typeof _, typeof CryptoJS])",
        "  .to.eql(['object', 'object', 'function', 'object']));",
    ]
    items = [item("s2", "{{base}}/a", sandbox2), item("legacy", "{{base}}/b", legacy), item("s2 again", "{{base}}/c",
                                                                                          sandbox2)]
    result = postrun(*make(items))
    assert result.exit_code == 0, result.output


def test_chai_postman_assertions_know_the_sdk_objects_and_honour_not(make, server):
    test = [
        "const sdk = require('postman-collection');",
        "pm.test('sdk request', () => { pm.expect(new sdk.Request({url: 'http://x'})).to.be.postmanRequest;",
        "  pm.expect(new sdk.Response({code: 102})).to.not.be.postmanRequest; });",
        "pm.test('sdk response', () => pm.expect(new sdk.Response({code: 102})).to.be.postmanRequest);",
        "pm.test('ours', () => { pm.expect(pm.response).to.be.postmanResponse.and.not.be.postmanRequest; });",
    ]
    result = postrun(*make([item("sdk", "{{base}}/x", test)]))
    assert "✓  sdk request" in result.output and "✓  ours" in result.output
    # Newman 6.2's message for the failing one (postman-sandbox's chai-postman unit test expects the same)
    assert "expecting a postman request object but got PostmanResponse{ …(6) }" in result.output


def test_a_pre_request_script_may_replace_the_url_with_a_string(make, server):
    """Twitter Ads' OAuth pre-request script does `pm.request.url = '...'`; Postman's SDK keeps the string and
    parses it when the request is rebuilt, so the new URL is what goes out (it read as a sandbox failure)."""
    pre = [
        "pm.request.url = pm.request.url.toString().replace('/old?x=1', '/new') + '?q=a%20b';",
        "pm.request.headers.add({key: 'X-Probe', value: typeof pm.request.url});",
    ]
    test = ["pm.test('seen as sent', () => pm.expect(pm.request.url.toString()).to.match(/\\/new\\?q=a%20b$/));"]
    result = postrun(*make([item("swap", "{{base}}/old?x=1", test, pre)]))
    assert result.exit_code == 0, result.output
    assert [(s.target, s.header("X-Probe")) for s in server.seen] == [("/new?q=a%20b", "string")]


def test_null_undefined_and_objects_in_variables_as_newman_writes_them(make, server):
    """Measured with Newman 6.2: in the script that set them, undefined resolves to "", null to "null", an object
    to its toString() and a function to what it returns; afterwards undefined and functions are null in every
    scope but pm.variables, where undefined still resolves to "" (Wise's payment flow relies on it), and
    objects still resolve to their toString()."""
    names = ["eU", "eN", "gU", "cU", "lU", "lN", "eo", "la", "ef"]
    sets = [
        "pm.environment.set('eU', undefined); pm.environment.set('eN', null); pm.globals.set('gU', undefined);",
        "pm.collectionVariables.set('cU', undefined); pm.variables.set('lU', undefined); pm.variables.set('lN', null);",
        "pm.environment.set('eo', {a: 1}); pm.variables.set('la', [1, [2, null]]);",
        "pm.environment.set('ef', function () { return 'fn'; });",
        "pm.test('same ' + JSON.stringify([" + ",".join(f"pm.variables.replaceIn('{{{{{n}}}}}')" for n in names)
        + "]), () => {});",
        "pm.test('kinds ' + [pm.variables.has('lU'), typeof pm.variables.get('lU'), pm.environment.get('ef')],",
        "  () => {});",
    ]
    query = "&".join(f"{n}={{{{{n}}}}}" for n in names)
    result = postrun(*make([item("set", "{{base}}/a", sets), item("use", "{{base}}/b?" + query)]))
    assert result.exit_code == 0, result.output
    assert '✓  same ["","null","","","","null","[object Object]","1,2,","fn"]' in result.output
    assert "✓  kinds true,undefined,fn" in result.output
    sent = "/b?eU=null&eN=null&gU=null&cU=null&lU=&lN=null&eo=[object%20Object]&la=1,2,&ef=null"
    assert server.seen[1].target == sent

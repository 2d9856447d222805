"""Scripts through the whole engine: what they see, what they change, what reaches the wire."""

from __future__ import annotations

import json

from tests.conftest import ROOT, item, postrun, write_json


def test_forgerock_seed_status_test_passes_on_200_and_fails_with_chais_message_on_401(server, tmp_path):
    seed = json.loads((ROOT / "collections" / "forgerock-am.postman_collection.json").read_text())
    env = ROOT / "environments" / "acme.postman_environment.json"
    coll = write_json(tmp_path / "fr.json", seed)
    ok = postrun(str(coll), "-e", str(env), "--env-var", f"amUrl={server.url}/am")
    assert ok.exit_code == 0, ok.output
    assert "✓  Status code is 200" in ok.output
    sent = server.seen[0]
    assert sent.target == "/am/json/realms/root/realms/alpha/sessions?_prettyPrint=true&_action=refresh"
    assert sent.header("iPlanetDirectoryPro") == "AQIC5wM2LY4Sfcz-acme-sso"
    bad = postrun(str(coll), "-e", str(env), "--env-var", f"amUrl={server.url}/status/401")
    assert bad.exit_code == 1
    assert "expected 401 to deeply equal 200" in bad.output


def test_pre_request_changes_to_pm_request_are_sent(make, server):
    pre = [
        "pm.request.headers.add({key: 'X-Added', value: 'yes'});",
        "pm.request.headers.upsert({key: 'X-Replaced', value: 'new'});",
        "pm.request.headers.remove('X-Removed');",
        "pm.request.url.query.add({key: 'added', value: '1'});",
        "pm.request.url.query.remove('gone');",
        "pm.request.method = 'PUT';",
        "const changed = pm.variables.replaceIn('{{base}}') !== '';",
        "pm.request.body.update({mode: 'raw', raw: JSON.stringify({changed: changed})});",
        "pm.request.auth = {type: 'bearer', bearer: [{key: 'token', value: 'from-script'}]};",
    ]
    items = [item("change me", "{{base}}/orig?gone=1&kept=2", pre=pre,
                  header=[{"key": "X-Replaced", "value": "old"}, {"key": "X-Removed", "value": "x"}],
                  body={"mode": "raw", "raw": "original"})]
    assert postrun(*make(items)).exit_code == 0
    sent = server.seen[0]
    assert sent.method == "PUT"
    assert sent.target == "/orig?kept=2&added=1"
    assert sent.header("X-Added") == "yes" and sent.header("X-Replaced") == "new" and sent.header("X-Removed") is None
    assert json.loads(sent.body) == {"changed": True}
    assert sent.header("Authorization") == "Bearer from-script"


def test_info_execution_and_request_in_tests(make, server):
    test = [
        "pm.test('info', () => {",
        "  pm.expect(pm.info.eventName).to.equal('test');",
        "  pm.expect(pm.info.requestName).to.equal('the item');",
        "  pm.expect(pm.info.iterationCount).to.equal(2);",
        "  pm.expect(pm.execution.location).to.eql(['test collection', 'F', 'the item']);",
        "  pm.expect(pm.request.url.toString()).to.include('/seen?x=1');",
        "  pm.expect(pm.request.method).to.equal('GET');",
        "});",
        "pm.test('iteration ' + pm.info.iteration, () => {});",
    ]
    items = [{"name": "F", "item": [item("the item", "{{base}}/seen?x=1", test)]}]
    result = postrun(*make(items), "-n", "2")
    assert result.exit_code == 0, result.output
    assert "✓  iteration 0" in result.output and "✓  iteration 1" in result.output


def test_libraries_run_through_the_host_and_legacy_api_works(make, server):
    test = [
        "const CryptoJS2 = require('crypto-js');",
        "pm.test('hmac', () => pm.expect(CryptoJS2.HmacSHA256('msg', 'key').toString())",
        "  .to.equal('2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628'));",
        "pm.test('base64', () => pm.expect(btoa('hi') + Buffer.from('hi').toString('hex')).to.equal('aGk=6869'));",
        "pm.test('lodash & moment', () =>",
        "  pm.expect(_.get({a: {b: 1}}, 'a.b') + require('moment').utc(0).format('YYYY')).to.equal('11970'));",
        "pm.test('uuid', () => pm.expect(require('uuid').v4()).to.match(/^[0-9a-f-]{36}$/));",
        "pm.test('legacy', () => {",
        "  pm.expect(responseCode.code).to.equal(200);",
        "  pm.expect(postman.getResponseHeader('content-TYPE')).to.equal('application/json');",
        "  pm.expect(JSON.parse(responseBody).method).to.equal('GET');",
        "  pm.expect(typeof responseTime).to.equal('number');",
        "});",
        "postman.setEnvironmentVariable('legacy', 'set');",
        "tests['legacy tests object'] = environment.base.startsWith('http');",
    ]
    result = postrun(*make([item("libs", "{{base}}/libs", test), item("after", "{{base}}/after?l={{legacy}}")]))
    assert result.exit_code == 0, result.output
    assert server.seen[1].target == "/after?l=set"


def test_iteration_data_changes_do_not_persist_but_local_variables_do(make, server, tmp_path):
    data = write_json(tmp_path / "d.json", [{"row": "r1"}, {"row": "r2"}])
    items = [
        item("one", "{{base}}/1?row={{row}}", pre=["pm.iterationData.set('row', 'changed');",
                                                    "pm.variables.set('n', (pm.variables.get('n') || 0) + 1);"]),
        item("two", "{{base}}/2?row={{row}}&n={{n}}"),
    ]
    assert postrun(*make(items), "-d", str(data)).exit_code == 0
    assert [s.target for s in server.seen] == ["/1?row=r1", "/2?row=r1&n=1", "/1?row=r2", "/2?row=r2&n=2"]


def test_send_request_promise_form_and_timers(make, server):
    pre = [
        "pm.sendRequest({url: pm.environment.get('base') + '/side', method: 'POST', header: {'X-Side': '1'},",
        "                body: {mode: 'raw', raw: 'side body'}})",
        "  .then(res => { setTimeout(() => pm.environment.set('side', res.json().body), 20); });",
    ]
    items = [item("promise", "{{base}}/main", pre=pre), item("after", "{{base}}/after?side={{side}}")]
    assert postrun(*make(items)).exit_code == 0
    side = server.seen[0]
    assert (side.method, side.target, side.header("X-Side"), side.body) == ("POST", "/side", "1", b"side body")
    assert server.seen[2].target == "/after?side=side%20body"


def test_console_output_is_kept_in_the_json_report(make, server, tmp_path):
    out = tmp_path / "r.json"
    items = [item("talks", "{{base}}/x", ["console.log('hello', {a: 1}); console.warn('careful');"])]
    assert postrun(*make(items), "-r", "json", "--reporter-json-export", str(out)).exit_code == 0
    console = json.loads(out.read_text())["run"]["executions"][0]["console"]
    assert console == [{"level": "log", "message": "hello { a: 1 }"}, {"level": "warn", "message": "careful"}]


def test_skipped_tests_and_async_done(make, server):
    test = [
        "pm.test.skip('not now', () => { throw new Error('never'); });",
        "pm.test('async', function (done) { setTimeout(() => { pm.expect(1).to.equal(1); done(); }, 10); });",
    ]
    result = postrun(*make([item("async", "{{base}}/x", test)]))
    assert result.exit_code == 0, result.output
    assert "not now (skipped)" in result.output and "✓  async" in result.output


def test_replaced_builtins_and_pm_methods_are_restored_for_the_next_item(make, server):
    tamper = [
        "Date.prototype.toISOString = function () { return 'frozen'; };",
        "JSON.parse = function () { return 42; };",
        "console.log = function () {};",
        "pm.test = function () {};",
        "leaked = 'yes';",
    ]
    check = [
        "pm.test('restored', () => {",
        "  pm.expect(new Date(0).toISOString()).to.equal('1970-01-01T00:00:00.000Z');",
        "  pm.expect(JSON.parse('1')).to.equal(1);",
        "  pm.expect(typeof leaked).to.equal('undefined');",
        "});",
        "console.log('still logs');",
    ]
    result = postrun(*make([item("tamper", "{{base}}/1", pre=tamper), item("check", "{{base}}/2", check)]))
    assert result.exit_code == 0, result.output
    assert "✓  restored" in result.output and "still logs" in result.output


def test_scripts_cannot_reach_python_the_process_or_files(make, server):
    test = [
        "pm.test('no process, files or environment', () => {",
        "  pm.expect(typeof process).to.equal('undefined');",
        "  pm.expect(Object.keys(require('fs'))).to.eql([]);  // an empty module, as in Postman",
        "  pm.expect(() => require('child_process')).to.throw(\"Cannot find module 'child_process'\");",
        "});",
        "pm.test('no function of Python is reachable: scripts only queue requests for the host', () => {",
        "  pm.expect([typeof __host, Object.getOwnPropertyNames(globalThis).filter(k => /^__py/.test(k))])",
        "    .to.eql(['undefined', []]);",
        "});",
        "pm.test('the global is the sandbox own', () => {",
        "  const g = (function () { return this; }).constructor('return this')();",
        "  pm.expect(g).to.equal(globalThis);",
        "  pm.expect(Object.keys(g).filter(k => /python|__class__|__import__/i.test(k))).to.eql([]);",
        "});",
    ]
    result = postrun(*make([item("escape", "{{base}}/x", test)]))
    assert result.exit_code == 0, result.output

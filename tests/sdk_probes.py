"""The probes of tests/test_sdk_parity.py: JavaScript expressions on pm.request, pm.response, pm.cookies
and the variable scopes, grouped by the item (request) whose scripts evaluate them.

Written from postman-collection 4.4.0's documented API and the behaviours postman-sandbox's unit
suites check (sandbox-libraries/pm, postman, legacy, postman-collection, chai-postman, pm-variables,
sandbox-variables), in our own words. Each probe is one expression; probes run in order, so a probe
that changes state (``set``, ``add``, ``url = ...``) is seen by the ones after it, the same way under
both runners.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import Answer

# ---------------------------------------------------------------- the answers the server gives

DATE = ("Date", "Wed, 02 Dec 2026 08:00:00 GMT")
JSON_BODY = b'{"a":1,"list":[1,2,3],"nested":{"x":"y"},"s":"text"}'

ANSWERS: dict[str, Answer] = {
    "/resp/json": Answer(
        201,
        "Made It",
        [
            ("Content-Type", "application/json; charset=utf-8"),
            DATE,
            ("X-Case", "Val"),
            ("x-multi", "a"),
            ("X-Multi", "b"),
            ("Set-Cookie", "sid=abc123; Path=/"),
            ("Set-Cookie", "theme=dark; Path=/; HttpOnly"),
            ("Set-Cookie", 'quoted="q v"; Path=/'),
            ("X-Empty", ""),
        ],
        JSON_BODY,
    ),
    "/resp/text": Answer(200, "OK", [("Content-Type", "text/plain; charset=utf-8"), DATE], "héllo wörld\n".encode()),
    "/resp/empty": Answer(204, "No Content", [DATE], b""),
    "/resp/attach": Answer(
        200,
        "OK",
        [("Content-Type", "text/csv"), ("Content-Disposition", 'attachment; filename="report.csv"'), DATE],
        b"a,b\n1,2\n",
    ),
    "/resp/xml": Answer(
        200, "OK", [("Content-Type", "application/xml"), DATE], b'<?xml version="1.0"?><root><k a="1">v</k></root>'
    ),
    "/resp/missing": Answer(404, "Not Found", [("Content-Type", "application/json"), DATE], b'{"error":"nope"}'),
    "/resp/html": Answer(200, "OK", [("Content-Type", "text/html"), DATE], b"<html><body><p>hi</p></body></html>"),
    "/resp/badjson": Answer(200, "OK", [("Content-Type", "application/json"), DATE], b"{not json"),
    "/resp/jsonp": Answer(200, "OK", [("Content-Type", "application/javascript"), DATE], b'cb({"p":1});'),
}


# ---------------------------------------------------------------- probe lists


@dataclass
class Probe:
    """One expression, evaluated in one item's pre-request or test script (or logged, for console)."""

    item: str
    phase: str  # "pre", "test", "later" (test script, value given to a callback) or "console"
    expr: str

    @property
    def key(self) -> str:
        return f"{self.item} {self.phase}: {self.expr}"


@dataclass
class Item:
    name: str
    request: dict[str, Any]
    pre: list[str] = field(default_factory=list)
    test: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    later: list[str] = field(default_factory=list)  # statements that call done(value) from a callback


def url(path: str, query: str = "") -> str:
    """A string URL: the SDK parses strings, while a url object holding only ``raw`` stays empty."""
    return "{{base}}" + path + (("?" + query) if query else "")


URL_PROBES = [
    "pm.request.url.toString()",
    "pm.request.url.getHost()",
    "pm.request.url.getPath()",
    "pm.request.url.getPath(true)",
    "pm.request.url.getQueryString()",
    "pm.request.url.getPathWithQuery()",
    "pm.request.url.getRaw()",
    "pm.request.url.getRemote()",
    "pm.request.url.getRemote(true)",
    "pm.request.url.getOAuth1BaseUrl()",
    "pm.request.url.protocol",
    "pm.request.url.port",
    "pm.request.url.host",
    "pm.request.url.path",
    "pm.request.url.hash",
    "pm.request.url.auth",
    "pm.request.url.toJSON()",
    "pm.request.url.query.toObject()",
    "pm.request.url.query.count()",
    "pm.request.url.query.get('a')",
    "pm.request.url.query.has('novalue')",
    "pm.request.url.query.idx(0).toJSON()",
    "pm.request.url.query.idx(3).toString()",
    "pm.request.url.query.toString()",
    "pm.request.url.query.all().map(function (q) { return q.key + '=' + q.value; })",
    "pm.request.url.variables.toObject()",
    "pm.request.url.variables.get('id')",
    "pm.request.url.variables.idx(0) && pm.request.url.variables.idx(0).toJSON()",
    "pm.request.url.toString(true)",
    "pm.request.url.query.map(function (q) { return q.disabled ? '-' + q.key : q.key; })",
]

HEADER_PROBES = [
    "pm.request.headers.toObject()",
    "pm.request.headers.toObject(true)",
    "pm.request.headers.toObject(false, true)",
    "pm.request.headers.toObject(true, false, true)",
    "pm.request.headers.get('x-case')",
    "pm.request.headers.get('X-CASE')",
    "pm.request.headers.get('X-Multi')",
    "pm.request.headers.get('X-Off')",
    "pm.request.headers.has('X-Off')",
    "pm.request.headers.has('x-one')",
    "pm.request.headers.has('X-One', '1')",
    "pm.request.headers.has('X-One', '2')",
    "pm.request.headers.count()",
    "pm.request.headers.all().map(function (h) { return h.key; })",
    "pm.request.headers.one('X-One') && pm.request.headers.one('X-One').toJSON()",
    "pm.request.headers.idx(0).toString()",
    "pm.request.headers.indexOf('X-Multi')",
    "pm.request.headers.toString()",
    "pm.request.headers.toJSON()",
    "pm.request.headers.filter(function (h) { return h.disabled; }).map(function (h) { return h.key; })",
    "pm.request.headers.reduce(function (acc, h) { return acc + h.key.length; }, 0)",
    "pm.request.headers.find(function (h) { return h.key === 'X-Var'; }).value",
    "pm.request.getHeaders()",
    "pm.request.getHeaders({ ignoreCase: true })",
    "pm.request.getHeaders({ enabled: true, multiValue: true })",
    "(function () { var k = []; pm.request.forEachHeader(function (h) { k.push(h.key); }); return k; })()",
    "pm.request.headers.contentSize()",
    "typeof pm.request.headers.eachParent",
    "pm.request.headers.get('content-type')",
    "pm.request.headers.get()",
]

REQUEST_PROBES = [
    "pm.request.method",
    "pm.request.name",
    "pm.request.description",
    "pm.request.disabled",
    "typeof pm.request.id",
    "pm.request.auth && pm.request.auth.type",
    "pm.request.auth && pm.request.auth.parameters().toObject()",
    "pm.request.auth && pm.request.auth.current()",
    "pm.request.auth && pm.request.auth.toJSON()",
    "pm.request.body",
    "pm.request.toJSON()",
    "Object.keys(pm.request.toJSON())",
    "pm.request.clone().toJSON().url",
    "pm.request.size()",
    "pm.request.proxy",
    "pm.request.certificate",
    "typeof pm.request.upsertHeader",
    "pm.request.url instanceof require('postman-collection').Url",
    "'to' in pm.request.toJSON()",
    "Object.keys(JSON.parse(JSON.stringify(pm.request))).sort()",
    "pm.info.eventName",
    "pm.info.iteration",
    "pm.info.iterationCount",
    "pm.info.requestName",
    "typeof pm.info.requestId",
    "(function () { try { pm.environment = 1; } catch (e) { return 'threw ' + "
    "e.name; } return typeof pm.environment; })()",
    "(function () { try { pm.request = 1; } catch (e) { return 'threw ' + e.name; } return typeof pm.request; })()",
]

SDK_PROBES = [
    "pm.request instanceof require('postman-collection').Request",
    "require('postman-collection').Request.isRequest(pm.request)",
    "require('postman-collection').Response.isResponse(pm.response)",
    "pm.response instanceof require('postman-collection').Response",
    "require('postman-collection').Url.isUrl(pm.request.url)",
    "require('postman-collection').PropertyList.isPropertyList(pm.request.headers)",
    "require('postman-collection').PropertyList.isPropertyList(pm.request.url.query)",
    "require('postman-collection').VariableScope.isVariableScope(pm.environment)",
    "require('postman-collection').VariableScope.isVariableScope(pm.variables)",
    "pm.environment instanceof require('postman-collection').VariableScope",
    "require('postman-collection').CookieList.isCookieList(pm.cookies)",
    "pm.cookies instanceof require('postman-collection').PropertyList",
    "require('postman-collection').Header.isHeader(pm.request.headers.idx(0))",
    "require('postman-collection').QueryParam.unparse(pm.request.url.query.all())",
    "new (require('postman-collection').Url)('https://u:p@example.com:8443/a/b?x=1&y#h').toJSON()",
    "new (require('postman-collection').Url)('https://example.com/a b?q=a b').toString()",
    "require('postman-collection').Url.parse('http://h.test:81/p/:id?z=9')",
    "new (require('postman-collection').Request)({ url: 'https://x.test/a', method: 'post' }).toJSON()",
    "new (require('postman-collection').Request)(pm.request.toJSON()).url.toString()",
    "new (require('postman-collection').Response)({ code: 418, body: 'tea' }).reason()",
    "new (require('postman-collection').Response)({ code: 200, body: '{\"k\":2}' }).json()",
    "new (require('postman-collection').Header)('X-H: v').toJSON()",
    "require('postman-collection').Header.parse('A: 1\\r\\nB: 2')",
    "new (require('postman-collection').HeaderList)(null, [{ key: 'a', value: 'b' }]).toObject()",
    "new (require('postman-collection').VariableScope)({ values: [{ key: 'k', value: 'v' }] }).toObject()",
    "new (require('postman-collection').VariableScope)({ values: [{ key: 'k', value: 'v' }] }).replaceIn('<{{k}}>')",
    "new (require('postman-collection').Cookie)({ name: 'c', value: 'd', path: '/' }).toString()",
    "require('postman-collection').Cookie.parse('a=b; Path=/; HttpOnly')",
    "new (require('postman-collection').QueryParam)('a=b c').toString()",
    "new (require('postman-collection').RequestBody)({ mode: 'raw', raw: 'x' }).toString()",
    "new (require('postman-collection').Collection)({ item: [{ request: 'https://x.test/' }] }).items.count()",
    "new (require('postman-collection').Response)({ code: 200, header: [{ key: 'A', "
    "value: 'b' }], body: 'x' }).headers.get('a')",
    "require('postman-collection').Response.isResponse({ code: 200 })",
    "/^[0-9a-f-]{36}$/.test(pm.variables.replaceIn('{{$guid}}'))",
    "/^\\d+$/.test(pm.variables.replaceIn('{{$randomInt}}'))",
    "Object.keys(require('postman-collection')).sort()",
]

BODY_PROBES = [
    "pm.request.body.mode",
    "pm.request.body.toString()",
    "pm.request.body.isEmpty()",
    "pm.request.body.toJSON()",
    "pm.request.body.options",
    "pm.request.body.disabled",
]

RESPONSE_PROBES = [
    "pm.response.code",
    "pm.response.status",
    "pm.response.reason()",
    "pm.response.headers.get('x-case')",
    "pm.response.headers.get('X-MULTI')",
    "pm.response.headers.get('X-Empty')",
    "pm.response.headers.has('set-cookie')",
    "pm.response.headers.count()",
    "pm.response.headers.toObject()",
    "pm.response.headers.toObject(false, false, true)",
    "pm.response.headers.all().map(function (h) { return h.key + ': ' + h.value; })",
    "pm.response.headers.toString()",
    "pm.response.headers.toJSON()",
    "pm.response.text()",
    "pm.response.json()",
    "pm.response.json().nested.x",
    "pm.response.json(function (k, v) { return typeof v === 'number' ? v * 10 : v; })",
    "pm.response.size()",
    "pm.response.contentInfo()",
    "pm.response.mime && pm.response.mime()",
    "pm.response.mimeInfo && pm.response.mimeInfo()",
    "pm.response.dataURI()",
    "pm.response.encoding()",
    "pm.response.details()",
    "pm.response.responseSize",
    "typeof pm.response.responseTime",
    "pm.response.stream && pm.response.stream.length",
    "Object.keys(pm.response.toJSON()).sort()",
    "pm.response.toJSON().header",
    "pm.response.toJSON().cookie",
    "pm.response.toJSON().status",
    "pm.response.originalRequest && pm.response.originalRequest.url.toString()",
    "typeof pm.response.cookies",
    "pm.response.cookies && pm.response.cookies.count()",
    "pm.response.headers.one('X-Case') && pm.response.headers.one('X-Case').toJSON()",
    "pm.response.headers.idx(0).toString()",
    "pm.response.headers.indexOf('X-Case')",
    "pm.response.headers.get('Set-Cookie')",
    "pm.response.headers.get('content-length')",
    "pm.response.body",
    "'to' in pm.response.toJSON()",
]

COOKIE_PROBES = [
    "pm.cookies.count()",
    "pm.cookies.toObject()",
    "pm.cookies.get('sid')",
    "pm.cookies.get('quoted')",
    "pm.cookies.get('nope')",
    "pm.cookies.has('theme')",
    "pm.cookies.has('sid', 'abc123')",
    "pm.cookies.has('sid', 'other')",
    "pm.cookies.one('sid') && pm.cookies.one('sid').toJSON()",
    "pm.cookies.one('theme') && pm.cookies.one('theme').httpOnly",
    "pm.cookies.all().map(function (c) { return c.name; })",
    "pm.cookies.idx(0) && pm.cookies.idx(0).toString()",
    "pm.cookies.toString()",
    "pm.cookies.toJSON().map(function (c) { return [c.key, c.value, c.path]; })",
    "typeof pm.cookies.jar",
    "typeof pm.cookies.jar().get",
    "pm.cookies.get('SID')",
    "pm.cookies.toObject(false, true)",
]

CHAI_PROBES = [
    "pm.response.to.have.status(201) && 'ok'",
    "pm.response.to.not.have.status(201) && 'ok'",
    "pm.response.to.have.status(200) && 'ok'",
    "pm.response.to.have.status('Made It') && 'ok'",
    "pm.response.to.be.ok && 'ok'",
    "pm.response.to.be.success && 'ok'",
    "pm.response.to.be.clientError && 'ok'",
    "pm.response.to.be.created && 'ok'",
    "pm.response.to.not.be.error && 'ok'",
    "pm.response.to.have.header('X-Case') && 'ok'",
    "pm.response.to.have.header('x-case', 'Val') && 'ok'",
    "pm.response.to.have.header('x-case', 'Nope') && 'ok'",
    "pm.response.to.have.header('Content-Type', 'application/json; charset=utf-8') && 'ok'",
    "pm.response.to.have.header('X-Missing') && 'ok'",
    "pm.response.to.not.have.header('X-Case') && 'ok'",
    "pm.response.to.have.statusCode(201) && 'ok'",
    "pm.response.to.have.statusReason('Made It') && 'ok'",
    "pm.response.to.have.statusReason('Other') && 'ok'",
    "pm.response.to.have.body() && 'ok'",
    "pm.response.to.have.body('nope') && 'ok'",
    "pm.response.to.have.jsonBody() && 'ok'",
    "pm.response.to.have.jsonBody('nested.x') && 'ok'",
    "pm.response.to.have.jsonBody('nested.x', 'y') && 'ok'",
    "pm.response.to.have.jsonBody('a', 2) && 'ok'",
    "pm.response.to.have.jsonBody({ a: 1 }) && 'ok'",
    "pm.response.to.be.json && 'ok'",
    "pm.response.to.be.html && 'ok'",
    "pm.response.to.be.withBody && 'ok'",
    "pm.response.to.have.jsonSchema({ type: 'object', required: ['a'] }) && 'ok'",
    "pm.response.to.have.jsonSchema({ type: 'object', required: ['zz'] }) && 'ok'",
    "pm.response.to.be.a.postmanResponse && 'ok'",
    "pm.response.to.be.response && 'ok'",
    "pm.response.to.have.responseTime && 'ok'",
    "pm.request.to.be.a.postmanRequest && 'ok'",
    "pm.request.to.have.header('X-One') && 'ok'",
    "pm.request.to.have.header('Authorization') && 'ok'",
    "pm.request.to.have.header('authorization', 'Bearer inherited-token') && 'ok'",
    "pm.request.to.have.header('X-Nope') && 'ok'",
    "pm.expect(pm.response).to.have.property('code', 201) && 'ok'",
    "pm.expect(pm.response.code).to.be.oneOf([200, 202]) && 'ok'",
    "pm.expect(pm.response.headers.get('X-Case')).to.equal('val') && 'ok'",
    "pm.expect(pm.cookies.has('sid')).to.be.true && 'ok'",
    "pm.expect(pm.response.json()).to.deep.include({ s: 'text' }) && 'ok'",
    "pm.expect(pm.environment.get('envStr')).to.eql('nope') && 'ok'",
    "pm.expect(pm.request.url.toString()).to.include('/resp/json') && 'ok'",
    "pm.response.to.have.statusCodeClass(2) && 'ok'",
    "pm.response.to.have.statusCodeClass(4) && 'ok'",
    "pm.response.to.be.info && 'ok'",
    "pm.response.to.be.redirection && 'ok'",
    "pm.response.to.be.serverError && 'ok'",
    "pm.response.to.be.accepted && 'ok'",
    "pm.response.to.be.withoutContent && 'ok'",
    "pm.response.to.be.badRequest && 'ok'",
    "pm.response.to.be.unauthorised && 'ok'",
    "pm.response.to.be.forbidden && 'ok'",
    "pm.response.to.be.notAcceptable && 'ok'",
    "pm.response.to.be.rateLimited && 'ok'",
    "pm.response.to.not.be.ok && 'ok'",
    "pm.response.to.have.responseTime.below(600000) && 'ok'",
    "pm.response.to.have.responseSize.below(10) && 'ok'",
    "pm.response.to.have.body(/text/) && 'ok'",
    "pm.response.to.not.have.body(/text/) && 'ok'",
    "pm.response.to.not.have.body('zzz') && 'ok'",
    "pm.response.to.not.have.jsonBody('zz') && 'ok'",
    "pm.response.to.not.have.jsonBody('a') && 'ok'",
    "pm.response.to.have.jsonBody('list[1]', 2) && 'ok'",
    "pm.response.to.not.have.jsonSchema({ type: 'array' }) && 'ok'",
    "pm.response.to.be.postmanRequest && 'ok'",
    "pm.response.to.be.postmanRequestOrResponse && 'ok'",
    "pm.request.to.be.postmanResponse && 'ok'",
    "pm.expect(pm.request.headers.idx(0)).to.be.postmanRequestOrResponse && 'ok'",
    "pm.response.to.have.header() && 'ok'",
    "pm.response.to.have.status(201).and.to.have.header('X-Case') && 'ok'",
]

SCOPE_PROBES_1 = [
    # environment: the file's values, then writes of every type
    "pm.environment.name",
    "pm.environment.get('envStr')",
    "pm.environment.get('envNum')",
    "pm.environment.get('envBool')",
    "pm.environment.get('envDisabled')",
    "pm.environment.get('missing')",
    "pm.environment.has('envStr')",
    "pm.environment.has('envDisabled')",
    "pm.environment.has('missing')",
    "pm.environment.toObject()",
    "pm.environment.toObject(true)",
    "pm.environment.toJSON()",
    "pm.environment.values && pm.environment.values.count()",
    "(pm.environment.set('n', 5), pm.environment.get('n'))",
    "(pm.environment.set('b', false), pm.environment.get('b'))",
    "(pm.environment.set('o', { k: [1, 2] }), pm.environment.get('o'))",
    "(pm.environment.set('arr', [1, 'x']), pm.environment.get('arr'))",
    "(pm.environment.set('nul', null), pm.environment.get('nul'))",
    "(pm.environment.set('und', undefined), pm.environment.get('und'))",
    "(pm.environment.set('typed', '7', 'number'), pm.environment.get('typed'))",
    "pm.environment.has('und')",
    "pm.environment.set('chain', 1)",
    "(pm.environment.unset('envStr2'), pm.environment.has('envStr2'))",
    "pm.environment.replaceIn('{{envStr}}-{{envNum}}-{{missing}}-{{n}}')",
    "pm.environment.replaceIn('{{o}}')",
    "pm.environment.replaceIn({ a: '{{envStr}}' })",
    "pm.environment.replaceIn('{{$guid}}').length",
    "Object.keys(pm.environment.toObject())",
    # globals
    "pm.globals.get('glStr')",
    "pm.globals.toObject()",
    "(pm.globals.set('gn', 1.5), pm.globals.get('gn'))",
    "pm.globals.has('glStr')",
    "pm.globals.toJSON()",
    # collection variables
    "pm.collectionVariables.get('colStr')",
    "pm.collectionVariables.toObject()",
    "(pm.collectionVariables.set('cv', true), pm.collectionVariables.get('cv'))",
    "pm.collectionVariables.has('colStr')",
    "pm.collectionVariables.toJSON()",
    "pm.collectionVariables.replaceIn('{{colStr}}:{{envStr}}')",
    # iteration data
    "pm.iterationData.get('dataKey')",
    "pm.iterationData.get('num')",
    "pm.iterationData.toObject()",
    "pm.iterationData.has('shared')",
    "pm.iterationData.toJSON()",
    "(function () { try { pm.iterationData.set('x', 1); return pm.iterationData.get('x'); } "
    "catch (e) { return 'threw ' + e.message; } })()",
    "(pm.iterationData.unset('num'), pm.iterationData.has('num'))",
    # pm.variables: precedence and locals
    "pm.variables.get('shared')",
    "pm.variables.get('envStr')",
    "pm.variables.get('glStr')",
    "pm.variables.get('colStr')",
    "pm.variables.get('dataKey')",
    "pm.variables.has('colStr')",
    "pm.variables.has('missing')",
    "(pm.variables.set('shared', 'local'), pm.variables.get('shared'))",
    "pm.variables.get('shared') === pm.environment.get('shared')",
    "pm.variables.toObject()",
    "pm.variables.replaceIn('{{shared}}|{{envStr}}|{{glStr}}|{{colStr}}|{{dataKey}}|{{nope}}')",
    "pm.variables.replaceIn('{{nested{{envStr}}}}')",
    "pm.variables.toJSON()",
    "(pm.variables.unset('shared'), pm.variables.get('shared'))",
    "(function () { try { return pm.variables.clear(); } catch (e) { return 'threw ' + e.message; } })()",
    "(pm.variables.set('vo', { a: [1] }), pm.variables.get('vo'))",
    "(pm.variables.set('envNum', 'overridden'), [pm.variables.get('envNum'), pm.environment.get('envNum')])",
    "pm.variables.replaceIn('{{envNum}}')",
    # clear, at the end of this item
    "(pm.globals.clear(), pm.globals.toObject())",
    "pm.globals.get('gn')",
]

SCOPE_PROBES_2 = [
    "pm.environment.get('n')",
    "pm.environment.get('b')",
    "pm.environment.get('o')",
    "pm.environment.get('nul')",
    "pm.environment.get('und')",
    "pm.environment.get('typed')",
    "pm.environment.toObject()",
    "pm.globals.toObject()",
    "pm.collectionVariables.get('cv')",
    "pm.variables.get('shared')",
    "pm.variables.toObject()",
    "pm.iterationData.toObject()",
    "(pm.collectionVariables.unset('cv'), pm.collectionVariables.has('cv'))",
    "(pm.globals.set('g2', 'x'), pm.globals.unset('g2'), pm.globals.toObject())",
    "(pm.environment.set('noValue'), [pm.environment.has('noValue'), pm.environment.get('noValue')])",
    "(pm.environment.set('', 'empty key'), pm.environment.get(''))",
    "pm.environment.get(null)",
    "(pm.collectionVariables.clear(), pm.collectionVariables.toObject())",
    "(pm.environment.clear(), pm.environment.toObject())",
    "pm.environment.get('envStr')",
    "pm.variables.get('envStr')",
]

LEGACY_PROBES = [
    "typeof request",
    "request.url",
    "request.method",
    "request.headers",
    "request.data",
    "request.name",
    "responseCode",
    "responseHeaders",
    "responseBody",
    "typeof responseTime",
    "responseCookies.map(function (c) { return c.name + '=' + c.value; })",
    "postman.getResponseHeader('x-case')",
    "postman.getResponseHeader('X-MULTI')",
    "postman.getResponseCookie('sid')",
    "environment.envStr",
    "globals",
    "data",
    "iteration",
    "(postman.setEnvironmentVariable('legacyEnv', 3), pm.environment.get('legacyEnv'))",
    "(postman.setGlobalVariable('legacyGl', 'g'), pm.globals.get('legacyGl'))",
    "postman.getEnvironmentVariable('envStr')",
    "(postman.clearEnvironmentVariable('legacyEnv'), pm.environment.has('legacyEnv'))",
    "postman.getGlobalVariable('glStr')",
    "typeof postman.setNextRequest",
    "(tests['legacy test'] = true, 'set')",
]

JAR = "pm.cookies.jar()"
HERE = "pm.request.url.toString()"
JAR_PROBES = [
    f"{JAR}.get({HERE}, 'sid', function (e, v) {{ done([e && e.message, v]); }})",
    f"{JAR}.getAll({HERE}, function (e, v) {{ "
    "done([e && e.message, v && v.map(function (c) { return c.name; })]); })",
    f"{JAR}.set({HERE}, 'made', 'here', function (e, c) {{ done([e && e.message, c && c.name, c && c.value]); }})",
    f"{JAR}.set({HERE}, {{ name: 'obj', value: 'v', httpOnly: true }}, "
    "function (e, c) { done([e && e.message, c && c.name, c && c.httpOnly]); })",
    f"{JAR}.unset({HERE}, 'nope', function (e) {{ done(e ? e.message : 'no error'); }})",
    f"{JAR}.get('http://other.test/', 'sid', function (e, v) {{ done([e && e.message, v]); }})",
    f"{JAR}.get({HERE}, function (e, v) {{ done(e ? e.name + ': ' + e.message : v); }})",
    f"{JAR}.get({HERE}, 'nope', function (e, v) {{ done([e && e.message, v]); }})",
]

CONSOLE_PROBES = [
    "'plain string'",
    "{ a: 1, b: [1, 2], c: { d: null } }",
    "pm.request.url",
    "pm.request.url.toString()",
    "pm.request.headers",
    "pm.request.headers.idx(0)",
    "pm.request.method",
    "pm.response.code",
    "pm.response.headers",
    "pm.response.json()",
    "pm.cookies",
    "pm.environment.get('envNum')",
    "pm.environment",
    "pm.request.url.query",
    "undefined",
    "null",
]

MUTATION_ITEMS: list[tuple[str, dict[str, Any], list[str]]] = [
    # (name, request, pre-request probes that change the request), what is sent is compared too
    (
        "mut-headers",
        {
            "method": "GET",
            "url": url("/mut/headers", "keep=1"),
            "header": [{"key": "X-Remove", "value": "gone"}, {"key": "X-Keep", "value": "k"}],
        },
        [
            "(pm.request.headers.add({ key: 'X-Added', value: 'one' }), pm.request.headers.get('X-Added'))",
            "(pm.request.headers.upsert({ key: 'x-keep', value: 'changed' }), pm.request.headers.get('X-Keep'))",
            "(pm.request.headers.remove('X-Remove'), pm.request.headers.has('X-Remove'))",
            "(pm.request.addHeader({ key: 'X-Var', value: '{{envStr}}' }), pm.request.headers.get('X-Var'))",
            "(pm.request.upsertHeader({ key: 'X-Up', value: 'u' }), pm.request.headers.count())",
            "(pm.request.headers.add({ key: 'X-Dup', value: '1' }), "
            "pm.request.headers.add({ key: 'X-Dup', value: '2' }), "
            "pm.request.headers.all().filter(function (h) { return h.key === 'X-Dup'; }).length)",
            "(pm.request.headers.add('X-Str: from-string'), pm.request.headers.get('X-Str'))",
            "(pm.request.headers.add({ key: 'X-Disabled', value: 'no', disabled: true "
            "}), pm.request.headers.toObject(true))",
            "(pm.request.removeHeader('x-keep', { ignoreCase: true }), pm.request.headers.has('X-Keep'))",
        ],
    ),
    (
        "mut-query",
        {"method": "GET", "url": url("/mut/query", "drop=1&keep=2")},
        [
            "(pm.request.url.query.add({ key: 'q', value: 'a b' }), pm.request.url.getQueryString())",
            "(pm.request.url.query.remove('drop'), pm.request.url.getQueryString())",
            "(pm.request.addQueryParams('x=y&z'), pm.request.url.getQueryString())",
            "(pm.request.addQueryParams([{ key: 'arr', value: '1' }]), pm.request.url.query.count())",
            "(pm.request.removeQueryParams('x'), pm.request.url.getQueryString())",
            "(pm.request.url.query.upsert({ key: 'keep', value: '3' }), pm.request.url.query.get('keep'))",
            "(pm.request.url.addQueryParams('v={{envStr}}'), pm.request.url.toString())",
            "(pm.request.url.path.push('extra'), pm.request.url.getPath())",
            "(pm.request.url.hash = 'h', pm.request.url.toString())",
        ],
    ),
    (
        "mut-url-string",
        {"method": "GET", "url": url("/mut/before")},
        [
            "(pm.request.url = pm.variables.get('base') + '/mut/after-string?s=1', pm.request.url.toString())",
            "pm.request.url.getPath()",
            "pm.request.url instanceof require('postman-collection').Url",
            "typeof pm.request.url.query.add",
        ],
    ),
    (
        "mut-url-object",
        {"method": "GET", "url": url("/mut/before2")},
        [
            "(pm.request.url = { protocol: 'http', host: ['127', '0', '0', '1'], port: pm.variables.get('port'), "
            "path: ['mut', 'after-object'], query: [{ key: 'o', value: '1' }] }, pm.request.url.toString())",
            "pm.request.url.getHost()",
            "typeof pm.request.url.getQueryString",
        ],
    ),
    (
        "mut-url-update",
        {"method": "GET", "url": url("/mut/before3")},
        [
            "(pm.request.url.update(pm.variables.get('base') + '/mut/after-update?u=2'), pm.request.url.toString())",
            "(pm.request.url.port, pm.request.url.path)",
        ],
    ),
    (
        "mut-method-body",
        {"method": "GET", "url": url("/mut/method")},
        [
            "(pm.request.method = 'POST', pm.request.method)",
            "(pm.request.body = new (require('postman-collection').RequestBody)({ "
            "mode: 'raw', raw: '{\"new\":true}' }), "
            "pm.request.body.toString())",
            "(pm.request.headers.upsert({ key: 'Content-Type', value: "
            "'application/json' }), pm.request.headers.toObject())",
        ],
    ),
    (
        "mut-body-update",
        {
            "method": "POST",
            "url": url("/mut/body"),
            "body": {"mode": "raw", "raw": "old"},
        },
        [
            "(pm.request.body.update('replaced {{envStr}}'), pm.request.body.toString())",
            "pm.request.body.mode",
        ],
    ),
    (
        "mut-body-urlencoded",
        {
            "method": "POST",
            "url": url("/mut/urlencoded"),
            "body": {"mode": "raw", "raw": "old"},
        },
        [
            "(pm.request.body.update({ mode: 'urlencoded', urlencoded: [{ key: 'a', value: "
            "'1' }, { key: 'b c', value: 'd&e' }] }), "
            "pm.request.body.toJSON())",
            "pm.request.body.urlencoded && pm.request.body.urlencoded.toObject()",
        ],
    ),
    (
        "mut-body-add",
        {
            "method": "POST",
            "url": url("/mut/formadd"),
            "body": {"mode": "urlencoded", "urlencoded": [{"key": "first", "value": "1"}]},
        },
        [
            "(pm.request.body.urlencoded.add({ key: 'second', value: '2' }), pm.request.body.urlencoded.toObject())",
            "(pm.request.body.urlencoded.upsert({ key: 'first', value: 'one' }), pm.request.body.toString())",
        ],
    ),
    (
        "mut-auth",
        {"method": "GET", "url": url("/mut/auth")},
        [
            "(pm.request.authorizeUsing('basic', { username: 'u', password: 'p' }), pm.request.auth.toJSON())",
            "pm.request.auth.parameters().get('username')",
            "(pm.request.auth.update({ username: 'u2' }), pm.request.auth.parameters().get('username'))",
        ],
    ),
    (
        "mut-auth-none",
        {
            "method": "GET",
            "url": url("/mut/auth-none"),
            "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "t0"}]},
        },
        [
            "pm.request.auth.type",
            "(pm.request.authorizeUsing('noauth'), pm.request.auth && pm.request.auth.type)",
        ],
    ),
]


def base_items() -> list[Item]:
    """Every item but the mutation ones, in run order."""
    headers = [
        {"key": "X-One", "value": "1"},
        {"key": "x-case", "value": "Mixed"},
        {"key": "X-Off", "value": "off", "disabled": True},
        {"key": "X-Multi", "value": "a"},
        {"key": "X-Multi", "value": "b"},
        {"key": "X-Var", "value": "{{envStr}}"},
    ]
    req_url = {
        "raw": "{{base}}/req/:id?a=1&b=two&empty=&novalue&enc=a%20b&v={{envStr}}#frag",
        "host": ["{{base}}"],
        "path": ["req", ":id"],
        "query": [
            {"key": "a", "value": "1"},
            {"key": "b", "value": "two"},
            {"key": "empty", "value": ""},
            {"key": "novalue", "value": None},
            {"key": "enc", "value": "a%20b"},
            {"key": "v", "value": "{{envStr}}"},
            {"key": "off", "value": "x", "disabled": True},
        ],
        "variable": [{"key": "id", "value": "42"}],
        "hash": "frag",
    }
    bearer = {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]}
    req = {"method": "GET", "url": req_url, "header": headers, "auth": bearer, "description": "the request probes"}
    bodies = {
        "body-raw": {
            "mode": "raw",
            "raw": '{"k": "{{envStr}}", "n": 1}',
            "options": {"raw": {"language": "json"}},
        },
        "body-urlencoded": {
            "mode": "urlencoded",
            "urlencoded": [
                {"key": "a", "value": "1"},
                {"key": "sp ace", "value": "x y&z"},
                {"key": "off", "value": "no", "disabled": True},
                {"key": "v", "value": "{{envStr}}"},
            ],
        },
        "body-formdata": {
            "mode": "formdata",
            "formdata": [
                {"key": "t", "value": "text", "type": "text"},
                {"key": "off", "value": "no", "type": "text", "disabled": True},
                {"key": "f", "src": "upload.txt", "type": "file"},
            ],
        },
        "body-graphql": {
            "mode": "graphql",
            "graphql": {"query": "query Q($id: ID) { thing(id: $id) { name } }", "variables": '{"id": "{{envStr}}"}'},
        },
        "body-file": {"mode": "file", "file": {"src": "upload.txt"}},
        "body-empty-raw": {"mode": "raw", "raw": ""},
        "body-disabled": {"mode": "raw", "raw": "hidden", "disabled": True},
        "body-none": None,
    }
    extra_body = {
        "body-urlencoded": [
            "pm.request.body.urlencoded.toObject()",
            "pm.request.body.urlencoded.count()",
            "pm.request.body.urlencoded.get('sp ace')",
        ],
        "body-formdata": [
            "pm.request.body.formdata.toObject()",
            "pm.request.body.formdata.all().map(function (f) { return [f.key, f.type, f.src]; })",
        ],
        "body-graphql": ["pm.request.body.graphql"],
        "body-file": ["pm.request.body.file"],
        "body-raw": ["pm.request.body.raw", "JSON.parse(pm.request.body.raw).n"],
    }
    items = [
        Item(
            "req",
            req,
            pre=URL_PROBES + HEADER_PROBES + REQUEST_PROBES,
            # after sending: the URL resolved, the headers the runtime added, the SDK's classes
            test=URL_PROBES[:10]
            + HEADER_PROBES[:5]
            + [
                "require('lodash').omit(pm.request.headers.toObject(), ['authorization'])",
                "pm.request.toJSON()",
                "pm.request.size()",
            ]
            + SDK_PROBES,
        )
    ]
    for name, body in bodies.items():
        probes = BODY_PROBES + extra_body.get(name, [])
        request = {"method": "POST", "url": url("/" + name)} | ({"body": body} if body else {})
        items.append(Item(name, request, pre=probes))
    auths = {
        "auth-basic": {
            "type": "basic",
            "basic": [{"key": "username", "value": "user"}, {"key": "password", "value": "pw-literal"}],
        },
        "auth-apikey": {
            "type": "apikey",
            "apikey": [
                {"key": "key", "value": "X-Api"},
                {"key": "value", "value": "k1"},
                {"key": "in", "value": "query"},
            ],
        },
        "auth-noauth": {"type": "noauth"},
        "auth-oauth1": {
            "type": "oauth1",
            "oauth1": [
                {"key": "consumerKey", "value": "ck"},
                {"key": "consumerSecret", "value": "cs"},
                {"key": "signatureMethod", "value": "HMAC-SHA1"},
                {"key": "timestamp", "value": "1700000000"},
                {"key": "nonce", "value": "fixednonce"},
                {"key": "version", "value": "1.0"},
                {"key": "addParamsToHeader", "value": True},
            ],
        },
    }
    auth_probes = [
        "pm.request.auth && pm.request.auth.type",
        "pm.request.auth && pm.request.auth.parameters().get('password') === 'pw-literal'",
        "pm.request.auth && pm.request.auth.parameters().toObject()",
        "pm.request.auth && pm.request.auth.toJSON()",
        "pm.request.headers.toObject()",
        "pm.request.url.toString()",
    ]
    for name, auth in auths.items():
        items.append(
            Item(
                name, {"method": "GET", "url": url("/" + name), "auth": auth}, pre=auth_probes[:4], test=auth_probes[4:]
            )
        )
    items.append(
        Item("auth-inherit", {"method": "GET", "url": url("/auth-inherit")}, pre=auth_probes[:4], test=auth_probes[4:])
    )
    url_parts = [
        "pm.request.url.toString()",
        "pm.request.url.getPath()",
        "pm.request.url.getPathWithQuery()",
        "pm.request.url.getQueryString()",
        "pm.request.url.getRemote()",
        "pm.request.url.getOAuth1BaseUrl()",
        "pm.request.url.path",
        "pm.request.url.auth",
        "pm.request.url.query.get('x')",
        "pm.request.url.query.toObject()",
        "pm.request.url.query.toObject(false, false, true)",
        "pm.request.url.query.all().map(function (q) { return [q.key, q.value]; })",
        "pm.request.url.variables.toObject()",
        "pm.request.url.hash",
    ]
    items.append(
        Item(
            "url-parts",
            {
                "method": "GET",
                "url": {
                    "raw": '{{base}}/u/%C3%BC/a%2Fb/:p?x=1&x=2&sp=a b&amp=%26&j={"a":1}#sec',
                    "host": ["{{base}}"],
                    "path": ["u", "%C3%BC", "a%2Fb", ":p"],
                    "query": [
                        {"key": "x", "value": "1"},
                        {"key": "x", "value": "2"},
                        {"key": "sp", "value": "a b"},
                        {"key": "amp", "value": "%26"},
                        {"key": "j", "value": '{"a":1}'},
                    ],
                    "variable": [{"key": "p", "value": "v 1"}],
                    "hash": "sec",
                },
            },
            pre=url_parts,
            test=url_parts,
        )
    )
    items.append(
        Item(
            "url-auth",
            {"method": "GET", "url": "http://user:pa%40ss@{{hostport}}/url-auth?q=1"},
            pre=url_parts[:8],
            test=url_parts[:8] + ["pm.request.headers.get('Authorization')"],
        )
    )
    response_tests = RESPONSE_PROBES + COOKIE_PROBES + CHAI_PROBES + SDK_PROBES[:4] + LEGACY_PROBES
    items.append(
        Item(
            "resp-json",
            {"method": "GET", "url": url("/resp/json")},
            pre=["typeof pm.response", "pm.cookies.count()"],
            test=response_tests,
            console=CONSOLE_PROBES,
        )
    )
    small = [
        "pm.response.reason()",
        "pm.response.text()",
        "pm.response.size()",
        "pm.response.contentInfo()",
        "pm.response.json()",
        "pm.response.dataURI()",
        "pm.response.to.be.ok && 'ok'",
        "pm.response.to.be.withBody && 'ok'",
    ]
    status_checks = {
        "missing": [
            "pm.response.to.be.notFound && 'ok'",
            "pm.response.to.be.error && 'ok'",
            "pm.response.to.have.status(200) && 'ok'",
            "pm.response.to.be.success && 'ok'",
        ],
        "empty": ["pm.response.to.have.body() && 'ok'", "pm.response.to.be.json && 'ok'"],
        "html": ["pm.response.to.be.html && 'ok'", "pm.response.to.be.json && 'ok'"],
        "xml": ["xml2Json(pm.response.text())"],
    }
    for path in ("text", "empty", "attach", "xml", "missing", "html", "badjson"):
        test = small + status_checks.get(path, [])
        items.append(Item(f"resp-{path}", {"method": "GET", "url": url(f"/resp/{path}")}, test=test))
    items.append(
        Item(
            "resp-jsonp",
            {"method": "GET", "url": url("/resp/jsonp")},
            test=["pm.response.jsonp()", "pm.response.jsonp(function (k, v) { return v; })", "pm.response.text()"],
        )
    )
    return items


def scope_items() -> list[Item]:
    """Last in the run: they clear the scopes (the environment holds ``base``)."""
    return [
        Item(
            "scopes-1",
            {"method": "GET", "url": url("/scopes/1")},
            pre=SCOPE_PROBES_1,
            test=["pm.environment.get('n')", "pm.variables.get('shared')", "pm.globals.toObject()"],
        ),
        Item("scopes-2", {"method": "GET", "url": url("/scopes/2")}, test=SCOPE_PROBES_2),
    ]


def all_items() -> list[Item]:
    items = base_items()
    after = ["pm.request.url.toString()", "require('lodash').omit(pm.request.headers.toObject(), ['authorization'])"]
    for name, request, pre in MUTATION_ITEMS:
        items.append(Item(name, request, pre=pre, test=after))
    # the jar's cookies, set for /jar/deep/start, go out with the next request to /jar/deep/...
    items.append(Item("jar", {"method": "GET", "url": url("/jar/deep/start")}, later=JAR_PROBES))
    items.append(Item("jar-after", {"method": "GET", "url": url("/jar/deep/next")}, test=["pm.cookies.toObject()"]))
    return items + scope_items()


def probes(items: list[Item]) -> list[Probe]:
    """Every probe, in the order its number is given (the number is its index here)."""
    return [
        Probe(it.name, phase, expr)
        for it in items
        for phase, exprs in (("pre", it.pre), ("test", it.test), ("later", it.later), ("console", it.console))
        for expr in exprs
    ]


# The probe runner inside each script: the probe's number and its value (type, then JSON), or what it threw.
PRELUDE = (
    "var __show = function (v) { return v === undefined ? 'undefined' : typeof v === 'function' ? 'function'"
    " : typeof v + ' ' + JSON.stringify(v); };"
    " var __threw = function (e) { return 'throws ' + (e && e.name) + ': ' + (e && e.message); };"
    " var __record = function (n, out) { pm.test('#' + n + ' => ' + out, function () {}); };"
    " var __probe = function (n, f) { var out; try { out = __show(f()); } catch (e) { out = __threw(e); }"
    " __record(n, out); };"
    " var __later = function (n, f) { try { f(function (v) { __record(n, __show(v)); }); }"
    " catch (e) { __record(n, __threw(e)); } };"
)


def _lines(exprs: list[str], start: int, kind: str) -> list[str]:
    if kind == "console":
        return [
            f"console.log('@@probe {start + i}'); try {{ console.log({e}); }}"
            " catch (e) { console.log('throws ' + e.name + ': ' + e.message); }"
            for i, e in enumerate(exprs)
        ]
    if kind == "later":
        return [f"__later({start + i}, function (done) {{ {e}; }});" for i, e in enumerate(exprs)]
    return [PRELUDE] + [f"__probe({start + i}, function () {{ return ({e}); }});" for i, e in enumerate(exprs)]


def collection_doc(items: list[Item]) -> dict[str, Any]:
    """The probe collection: numbered probes, in the order of ``probes(items)``."""
    out, n = [], 0
    for it in items:
        events = []
        pre = _lines(it.pre, n, "pre")
        n += len(it.pre)
        test = _lines(it.test, n, "test")
        n += len(it.test)
        test += _lines(it.later, n, "later")
        n += len(it.later)
        test += _lines(it.console, n, "console")
        n += len(it.console)
        if it.pre:
            events.append({"listen": "prerequest", "script": {"exec": pre}})
        if it.test or it.later or it.console:
            events.append({"listen": "test", "script": {"exec": test}})
        out.append({"name": it.name, "event": events, "request": it.request})
    return {
        "info": {
            "name": "sdk parity",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": out,
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "inherited-token"}]},
        "variable": [
            {"key": "colStr", "value": "col-value"},
            {"key": "shared", "value": "from-collection"},
        ],
    }


def environment_doc(base: str, port: int) -> dict[str, Any]:
    values = [
        ("base", base, "default"),
        ("port", str(port), "default"),
        ("hostport", f"127.0.0.1:{port}", "default"),
        ("envStr", "env-value", "default"),
        ("envStr2", "second", "default"),
        ("envNum", 5, "number"),
        ("envBool", True, "boolean"),
        ("token", "tok-123", "default"),
        ("shared", "from-env", "default"),
    ]
    docs = [{"key": k, "value": v, "type": t, "enabled": True} for k, v, t in values]
    docs.append({"key": "envDisabled", "value": "off", "enabled": False})
    return {"id": "5f0c2a6e-0000-4000-8000-000000000001", "name": "parity env", "values": docs}


def globals_doc() -> dict[str, Any]:
    return {
        "id": "5f0c2a6e-0000-4000-8000-000000000002",
        "name": "parity globals",
        "values": [
            {"key": "glStr", "value": "gl-value", "enabled": True},
            {"key": "shared", "value": "from-globals", "enabled": True},
        ],
    }


DATA = [{"dataKey": "row1", "shared": "from-data", "num": 7}]


def data_text() -> str:
    return json.dumps(DATA)

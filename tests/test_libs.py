"""The sandbox libraries: the real npm packages Postman ships, packed by the build step (runner/sandbox/pack.py).

Fixed vectors run everywhere; the `newman` tests evaluate the same expressions in node with the npm
packages Newman's sandbox bundles (crypto-js, lodash, moment, ajv 6, tv4, xml2js, atob, btoa) and demand equal results.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from runner.sandbox.runtime import handover, library_context

UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def make_context() -> Any:
    """A context built the way the sandbox builds one."""
    ctx = library_context()
    # Most cases here exercise lodash 4 and moment, which scripts get with require(); the globals as Postman
    # defines them (`_` is lodash 3, no `moment`) are checked in test_postman_globals.
    ctx.eval("var console = {log: function () {}, warn: function () {}, error: function () {}};")
    ctx.eval("var _ = require('lodash'), moment = require('moment');")
    return ctx


@pytest.fixture(scope="module")
def ctx() -> Any:
    return make_context()


def js(ctx: Any, expr: str) -> Any:
    """Evaluate a JS expression and bring its value back through JSON."""
    text = ctx.eval(f"JSON.stringify((function () {{ return ({expr}); }})())")
    return None if text is None else json.loads(text)


def js_error(ctx: Any, expr: str) -> str:
    """The message of the error the expression throws."""
    return js(ctx, f"(function () {{ try {{ {expr}; return null; }} catch (e) {{ return e.message; }} }})()")


# --------------------------------------------------------------------------------------------------------
# CryptoJS


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("CryptoJS.MD5('').toString()", "d41d8cd98f00b204e9800998ecf8427e"),
        ("CryptoJS.SHA1('abc').toString()", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "CryptoJS.SHA256('abc').toString()",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        ("CryptoJS.SHA512('abc').toString()", hashlib.sha512(b"abc").hexdigest()),
        ("CryptoJS.SHA384('abc').toString()", hashlib.sha384(b"abc").hexdigest()),
        ("CryptoJS.SHA224('abc').toString()", hashlib.sha224(b"abc").hexdigest()),
        ("String(CryptoJS.SHA256('héllo €'))", hashlib.sha256("héllo €".encode()).hexdigest()),
        (
            "CryptoJS.HmacSHA256('The quick brown fox jumps over the lazy dog', 'key').toString()",
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        ),
        (  # RFC 2202 test case 2
            "CryptoJS.HmacSHA1('what do ya want for nothing?', 'Jefe').toString()",
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        ),
        (
            "CryptoJS.HmacMD5('what do ya want for nothing?', 'Jefe').toString()",
            "750c783e6ab0b503eaa86e310a5db738",
        ),
        (
            "CryptoJS.HmacSHA512('msg', 'k').toString(CryptoJS.enc.Base64)",
            base64.b64encode(hmac.new(b"k", b"msg", "sha512").digest()).decode(),
        ),
        (
            "CryptoJS.algo.SHA256.create().update('ab').update('c').finalize().toString()",
            hashlib.sha256(b"abc").hexdigest(),
        ),
        (
            "CryptoJS.algo.HMAC.create(CryptoJS.algo.SHA1, 'k').update('m').finalize().toString()",
            hmac.new(b"k", b"m", "sha1").hexdigest(),
        ),
        (
            "CryptoJS.HmacSHA256(CryptoJS.enc.Hex.parse('00ff'), CryptoJS.enc.Hex.parse('0102')).toString()",
            hmac.new(b"\x01\x02", b"\x00\xff", "sha256").hexdigest(),
        ),
    ],
)
def test_hash_vectors(ctx: Any, expr: str, expected: str) -> None:
    assert js(ctx, expr) == expected


def test_encoders_round_trip_utf8_text(ctx: Any) -> None:
    text = "héllo wörld € 😀"
    b64 = base64.b64encode(text.encode()).decode()
    assert js(ctx, f"CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse({text!r}))") == b64
    assert js(ctx, f"CryptoJS.enc.Utf8.stringify(CryptoJS.enc.Base64.parse({b64!r}))") == text
    assert js(ctx, f"CryptoJS.enc.Hex.stringify(CryptoJS.enc.Utf8.parse({text!r}))") == text.encode().hex()
    assert js(ctx, "CryptoJS.enc.Latin1.stringify(CryptoJS.enc.Hex.parse('48e9ff'))") == "H\u00e9\u00ff"
    assert js(ctx, "typeof CryptoJS.enc.Base64url") == "undefined"  # added in crypto-js 4; Postman ships 3.3.0
    assert (
        js_error(ctx, "CryptoJS.enc.Utf8.stringify(CryptoJS.enc.Hex.parse('ff'))") == "Malformed UTF-8 data"
    )


def test_word_arrays(ctx: Any) -> None:
    assert js(ctx, "(function (w) { return [w.words, w.sigBytes]; })(CryptoJS.enc.Utf8.parse('abc'))") == [
        [1633837824],
        3,
    ]
    joined = "(function () { var w = CryptoJS.enc.Utf8.parse('abc'); var c = w.clone();"
    joined += (
        " w.concat(CryptoJS.enc.Utf8.parse('defgh')); return [w.toString(), w.sigBytes, c.toString()]; })()"
    )
    assert js(ctx, joined) == ["6162636465666768", 8, "616263"]
    assert js(ctx, "CryptoJS.lib.WordArray.create([0x12345678, 0x9abcdef0], 6).toString()") == "123456789abc"
    assert js(ctx, "CryptoJS.lib.WordArray.create(new Uint8Array([1, 2, 255])).toString()") == "0102ff"
    assert js(ctx, "CryptoJS.lib.WordArray.random(16).sigBytes") == 16
    assert js(
        ctx, "CryptoJS.lib.WordArray.random(16).toString() !== CryptoJS.lib.WordArray.random(16).toString()"
    )
    assert js(ctx, "'' + CryptoJS.MD5('a')") == hashlib.md5(b"a").hexdigest()


def test_pbkdf2_matches_hashlib(ctx: Any) -> None:
    expected = hashlib.pbkdf2_hmac("sha1", b"password", b"salt", 10, 16).hex()
    expr = "CryptoJS.PBKDF2('password', 'salt', {keySize: 4, iterations: 10, hasher: CryptoJS.algo.SHA1})"
    assert js(ctx, expr + ".toString()") == expected
    default = hashlib.pbkdf2_hmac("sha1", b"p", b"s", 1, 16).hex()  # crypto-js 3.3.0 defaults
    assert js(ctx, "CryptoJS.PBKDF2('p', 's').toString()") == default


def test_ciphers_round_trip(ctx: Any) -> None:
    for cipher in ("AES", "DES", "TripleDES", "Rabbit", "RC4"):
        secret = f"CryptoJS.{cipher}.encrypt('msg', 'k').toString()"
        expr = f"CryptoJS.{cipher}.decrypt({secret}, 'k').toString(CryptoJS.enc.Utf8)"
        assert js(ctx, expr) == "msg"
    key = "CryptoJS.enc.Hex.parse('000102030405060708090a0b0c0d0e0f')"
    fixed = f"CryptoJS.AES.encrypt(CryptoJS.enc.Hex.parse('00112233445566778899aabbccddeeff'), {key}, " \
        "{mode: CryptoJS.mode.ECB, padding: CryptoJS.pad.NoPadding}).ciphertext.toString()"
    assert js(ctx, fixed) == "69c4e0d86a7b0430d8cdb78070b4c55a"  # FIPS-197 appendix C.1


def test_require_crypto_js_is_the_global(ctx: Any) -> None:
    assert js(ctx, "require('crypto-js') === CryptoJS")


# --------------------------------------------------------------------------------------------------------
# atob / btoa / Buffer / uuid / querystring


def test_atob_btoa(ctx: Any) -> None:
    assert js(ctx, "btoa('client:secret')") == base64.b64encode(b"client:secret").decode()
    assert js(ctx, "atob('aGVsbG8=')") == "hello"
    assert js(ctx, "atob('aGVsbG8')") == "hello"  # lenient like the npm package
    assert js(ctx, "btoa('\\u00e9')") == "6Q=="  # one byte per char
    assert js(ctx, "require('atob') === atob && require('btoa') === btoa")


@pytest.mark.parametrize(
    "encoding", ["utf8", "utf-8", "base64", "hex", "latin1", "binary", "ucs2"]
)
def test_buffer_round_trips(ctx: Any, encoding: str) -> None:
    text = (
        "héllo wörlds" if encoding not in ("latin1", "binary") else "h\u00e9llo"
    )  # even byte count for ucs2
    expr = f"(function (b) {{ return Buffer.from(b.toString({encoding!r}), {encoding!r}).toString(); }})"
    assert js(ctx, f"{expr}(Buffer.from({text!r}))") == text


def test_buffer_api(ctx: Any) -> None:
    assert js(ctx, "Buffer.from('hello').toString('base64')") == "aGVsbG8="
    assert js(ctx, "Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString()") == "hello world"
    assert js(ctx, "Buffer.from('68656c6c6f', 'hex').toString('utf8')") == "hello"
    assert js(ctx, "Buffer.from([104, 105]).toString()") == "hi"
    assert js(ctx, "Buffer.from('héllo').length") == 6
    assert js(ctx, "Buffer.byteLength('héllo')") == 6
    assert js(ctx, "[Buffer.isBuffer(Buffer.from('a')), Buffer.isBuffer('a')]") == [True, False]
    assert js(ctx, "Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]).toString()") == "abcd"
    assert js(ctx, "Buffer.from('hi')") == {"type": "Buffer", "data": [104, 105]}
    assert js(ctx, "Buffer.from([0xff, 0x41]).toString()") == "\ufffdA"
    assert js(ctx, "Buffer.from('hello').slice(1, 3).toString()") == "el"
    assert js(ctx, "Buffer.from(' c3Vy\\nZQ ', 'base64').toString()") == "sure"
    assert js(ctx, "require('buffer').Buffer === Buffer")


def test_uuid_module_shapes(ctx: Any) -> None:
    assert UUID_V4.match(js(ctx, "require('uuid')()"))
    assert UUID_V4.match(js(ctx, "require('uuid').v4()"))
    assert js(ctx, "typeof require('uuid').v1") == "undefined"  # Postman's own uuid module has only v4
    assert js(ctx, "require('uuid').v4() !== require('uuid').v4()")


def test_querystring(ctx: Any) -> None:
    qs = "require('querystring')"
    assert js(ctx, f"{qs}.parse('a=1&b=2&a=3&c&d=x%20y+z')") == {
        "a": ["1", "3"],
        "b": "2",
        "c": "",
        "d": "x y z",
    }
    assert js(ctx, f"{qs}.stringify({{a: [1, 2], b: 'x y', c: ''}})") == "a=1&a=2&b=x%20y&c="


# --------------------------------------------------------------------------------------------------------
# lodash


def test_lodash_common_functions(ctx: Any) -> None:
    checks = {
        "_.get({a: {b: [{c: 3}]}}, 'a.b[0].c')": 3,
        "_.get({a: 1}, 'x.y', 'd')": "d",
        "_.set({}, 'a.b[0]', 1)": {"a": {"b": [1]}},
        "[_.has({a: {b: 1}}, 'a.b'), _.has({a: 1}, 'b')]": [True, False],
        "[_.isEmpty({}), _.isEmpty([1]), _.isEmpty(''), _.isEmpty(null)]": [True, False, True, True],
        "_.isEqual({a: [1, {b: 2}]}, {a: [1, {b: 2}]})": True,
        "[_.isArray([]), _.isString(''), _.isObject(null), _.isNumber(1), _.isNil(null), _.isUndefined()]": [
            True,
            True,
            False,
            True,
            True,
            True,
        ],
        "_.map([{n: 1}, {n: 2}], 'n')": [1, 2],
        "_.filter([{a: 1, b: 2}, {a: 2, b: 2}], {a: 2})": [{"a": 2, "b": 2}],
        "_.find([{id: 1}, {id: 2}], ['id', 2])": {"id": 2},
        "_.findIndex([1, 5, 9], function (n) { return n > 4; })": 1,
        "(function (o) { _.each({a: 1, b: 2}, function (v, k) { o.push(k + v); }); return o; })([])": [
            "a1",
            "b2",
        ],
        "[_.keys({a: 1, b: 2}), _.values({a: 1, b: 2})]": [["a", "b"], [1, 2]],
        "[_.pick({a: 1, b: 2, c: 3}, ['a', 'c']), _.omit({a: 1, b: 2}, 'a')]": [{"a": 1, "c": 3}, {"b": 2}],
        "_.merge({a: [1, 2], b: {c: 1}}, {a: [3], b: {d: 2}})": {"a": [3, 2], "b": {"c": 1, "d": 2}},
        "_.assign({a: 1}, {b: 2}, {a: 3})": {"a": 3, "b": 2},
        "(function () { var o = {a: {b: 1}}; var c = _.cloneDeep(o); c.a.b = 2; return o.a.b; })()": 1,
        "_.uniq([2, 1, 2])": [2, 1],
        "(function (n) { return n >= 1 && n <= 3 && n % 1 === 0; })(_.random(1, 3))": True,
        "[1, 2].indexOf(_.sample([1, 2])) >= 0": True,
        "_.times(3, function (i) { return i * 2; })": [0, 2, 4],
        "[_.includes([1, 2], 2), _.includes('abc', 'b'), _.size({a: 1, b: 2})]": [True, True, 2],
        "_.sortBy([{n: 'b'}, {n: 'a'}], 'n')": [{"n": "a"}, {"n": "b"}],
        "_.groupBy(['one', 'two', 'three'], 'length')": {"3": ["one", "two"], "5": ["three"]},
        "[_.first([1, 2]), _.head([]), _.last([1, 2])]": [1, None, 2],
        "[_.range(3), _.range(1, 7, 2)]": [[0, 1, 2], [1, 3, 5]],
        "[_.trim('  a  '), _.padStart('5', 3, '0'), _.startsWith('abc', 'a'), _.endsWith('abc', 'c')]": [
            "a",
            "005",
            True,
            True,
        ],
        "[_.capitalize('hELLO'), _.camelCase('Foo Bar-baz'), _.kebabCase('fooBar'), _.snakeCase('A b')]": [
            "Hello",
            "fooBarBaz",
            "foo-bar",
            "a_b",
        ],
        "_.chain([3, 1, 2]).sortBy().map(function (n) { return n * 10; }).value()": [10, 20, 30],
        "[_([1, 2, 3]).map(function (n) { return n + 1; }).value(), _([1, 2]).head()]": [[2, 3, 4], 1],
    }
    for expr, expected in checks.items():
        assert js(ctx, expr) == expected, expr


def test_lodash_global_is_callable_and_has_lodash3_names() -> None:
    ctx = library_context()
    assert js(ctx, "typeof _") == "function"
    assert js(ctx, "_.pluck([{a: 1}, {a: 2}], 'a')") == [1, 2]
    assert js(ctx, "_.contains([1, 2], 2)") is True
    assert js(ctx, "typeof require('lodash').pluck") == "undefined"  # lodash 4 dropped it
    assert js(ctx, "require('lodash').VERSION") == "4.17.21"


def test_lodash_survives_object_prototype_additions(ctx: Any) -> None:
    """PayPal's collection adds enumerable Object.prototype methods, then calls them through `_`."""
    script = """(function () {
      Object.prototype.isSandbox = function () { return 'sandbox'; };
      Object.prototype.getTomorrow = function () { return 'tomorrow'; };
      try {
        return [_.isSandbox(), _.getTomorrow(), _.keys({a: 1}), _.map({a: 1}, function (v, k) { return k; }),
          _.merge({}, {b: 1}), _.isEqual({a: 1}, {a: 1}), _.filter([{a: 1}], {a: 1}).length,
          _.cloneDeep({x: [1]}), _.isEmpty({}), _.groupBy([1], function () { return 'k'; }),
          moment.utc(0).format('YYYY'), Buffer.from('a').toString('hex'), CryptoJS.MD5('').toString().length,
          require('querystring').stringify({q: 1}), xml2Json('<a>1</a>')];
      } finally {
        delete Object.prototype.isSandbox;
        delete Object.prototype.getTomorrow;
      }
    })()"""
    assert js(ctx, script) == [
        "sandbox",
        "tomorrow",
        ["a"],
        ["a"],
        {"b": 1},
        True,
        1,
        {"x": [1]},
        True,
        {"k": [1]},
        "1970",
        "61",
        32,
        "q=1",
        {"a": "1"},
    ]


# --------------------------------------------------------------------------------------------------------
# moment


def test_moment_formats_a_fixed_timestamp_in_utc(ctx: Any) -> None:
    m = "moment.utc(1600000000123)"
    pattern = "YYYY-MM-DD HH:mm:ss.SSS Z ZZ x X A hh Do MMM MMMM ddd dddd"
    assert js(ctx, f"{m}.format({pattern!r})") == (
        "2020-09-13 12:26:40.123 +00:00 +0000 1600000000123 1600000000 PM 12 13th Sep September Sun Sunday"
    )
    assert js(ctx, f"{m}.toISOString()") == "2020-09-13T12:26:40.123Z"
    assert js(ctx, f"{m}.format()") == "2020-09-13T12:26:40Z"
    assert js(ctx, f"[{m}.valueOf(), {m}.unix()]") == [1600000000123, 1600000000]


def test_moment_arithmetic_and_comparison(ctx: Any) -> None:
    base = "moment.utc('2020-01-31T10:00:00Z')"
    assert js(ctx, f"{base}.add(1, 'months').toISOString()") == "2020-02-29T10:00:00.000Z"
    assert js(ctx, f"{base}.add(60, 'days').format('YYYY-MM-DD')") == "2020-03-31"
    assert js(ctx, f"{base}.subtract(5, 'days').format('YYYY-MM-DD')") == "2020-01-26"
    assert js(ctx, f"{base}.add(2, 'h').format('HH:mm')") == "12:00"
    assert js(ctx, f"{base}.startOf('month').toISOString()") == "2020-01-01T00:00:00.000Z"
    assert js(ctx, f"{base}.endOf('day').toISOString()") == "2020-01-31T23:59:59.999Z"
    assert js(ctx, "moment.utc('2020-05-17').diff(moment.utc('2020-01-01'), 'days')") == 137
    assert js(ctx, "moment.utc('2020-05-17').diff(moment.utc('2020-01-01'), 'months')") == 4
    assert js(ctx, f"[{base}.isBefore('2020-02-01'), {base}.isAfter('2020-02-01')]") == [True, False]
    assert js(ctx, "moment.utc('2020-01-01T01:00Z').isSame('2020-01-01T23:00Z', 'day')") is True
    assert js(ctx, "moment('nonsense').isValid()") is False
    assert (
        js(ctx, "moment.utc('25/12/1995 14:05', 'DD/MM/YYYY HH:mm').toISOString()")
        == "1995-12-25T14:05:00.000Z"
    )
    assert js(ctx, "moment.duration(90, 'minutes').asHours()") == 1.5


def test_moment_corpus_idiom(ctx: Any) -> None:
    """brightspace: `moment(dateNow).add(4, 'months').toISOString()` with `dateNow = new Date()`."""
    expr = """(function () {
      var moment = require('moment'); var dateNow = new Date();
      var out = moment(dateNow).add(4, 'months').toISOString();
      return [typeof out, moment(out).diff(dateNow, 'months'),
        moment(dateNow).subtract(5, 'days').valueOf() < +dateNow];
    })()"""
    assert js(ctx, expr) == ["string", 4, True]


# --------------------------------------------------------------------------------------------------------
# ajv, tv4


def test_ajv_valid_and_invalid(ctx: Any) -> None:
    schema = "{type: 'object', required: ['a'], properties: {a: {type: 'string'}, b: {type: 'number'}}}"
    expr = f"""(function () {{
      var Ajv = require('ajv'); var ajv = new Ajv({{logger: console}}); var s = {schema};
      var v = ajv.compile(s);
      return [v({{a: 'x'}}), v.errors, v({{a: 1}}), v.errors, ajv.validate(s, {{b: 'x', a: 'y'}}),
        ajv.errorsText()];
    }})()"""
    ok, no_errors, bad, errors, bad2, text = js(ctx, expr.replace("{logger: console}", "{}"))
    assert (ok, no_errors, bad, bad2) == (True, None, False, False)
    assert errors == [
        {
            "keyword": "type",
            "dataPath": ".a",
            "schemaPath": "#/properties/a/type",
            "params": {"type": "string"},
            "message": "should be string",
        }
    ]
    assert text == "data.b should be number"


def test_ajv_compile_rejects_bad_schemas(ctx: Any) -> None:
    assert js_error(ctx, "new (require('ajv'))().compile({type: 'strin'})").startswith("schema is invalid:")
    assert js_error(ctx, "new (require('ajv'))().compile({format: 'nope'})") == (
        'unknown format "nope" is used in schema at path "#"'
    )


def test_ajv_wise_payin_idiom(ctx: Any) -> None:
    expr = """(function () {
      const Ajv = require('ajv'); const ajv = new Ajv({logger: false});
      const schema = {properties: {type: {type: 'string'}, reference: {type: 'string'},
        amount: {type: 'number'},
        currency: {type: 'string'}}, required: ['type', 'reference', 'amount', 'currency']};
      return [ajv.validate(schema, {type: 'BANK', reference: 'r', amount: 10.5, currency: 'EUR'}),
        ajv.validate(schema, {type: 'BANK', reference: 'r', currency: 'EUR'}), ajv.errors[0].message];
    })()"""
    assert js(ctx, expr) == [True, False, "should have required property 'amount'"]


def test_tv4(ctx: Any) -> None:
    schema = "{type: 'object', required: ['a'], properties: {b: {type: 'string'}}}"
    assert js(ctx, f"[tv4.validate({{a: 1}}, {schema}), tv4.error, tv4.missing]") == [True, None, []]
    assert js(
        ctx,
        f"[tv4.validate({{b: 1}}, {schema}), tv4.error.message, tv4.error.code, tv4.error instanceof Error]",
    ) == [
        False,
        "Missing required property: a",
        302,
        True,
    ]
    result = js(ctx, f"tv4.validateMultiple({{b: 1}}, {schema})")
    assert result["valid"] is False
    assert [e["message"] for e in result["errors"]] == [
        "Missing required property: a",
        "Invalid type: number (expected string)",
    ]
    assert js(ctx, f"tv4.validateResult({{a: 1}}, {schema}).valid") is True
    assert js(ctx, "[tv4.validate(1, {$ref: 'http://example.com/x#'}), tv4.missing]") == [
        True,
        ["http://example.com/x"],
    ]
    assert js(ctx, "require('tv4') === tv4")


# --------------------------------------------------------------------------------------------------------
# XML

SOAP_LOGIN = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
    xmlns="urn:partner.soap.sforce.com"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soapenv:Body>
    <loginResponse>
      <result>
        <serverUrl>https://acme.my.salesforce.com/services/Soap/u/55.0/00D</serverUrl>
        <sessionId>00D!AQ0AQ.token</sessionId>
        <userId>005xx0000012345</userId>
        <userInfo><currencySymbol xsi:nil="true"/><organizationId>00Dxx0000001gPL</organizationId></userInfo>
      </result>
    </loginResponse>
  </soapenv:Body>
</soapenv:Envelope>"""


def test_xml2json_soap_login(ctx: Any) -> None:
    """salesforce-platform-apis: xml2Json(text)['soapenv:Envelope']['soapenv:Body'].loginResponse.result."""
    ctx.set("soap_text", SOAP_LOGIN)
    result = js(ctx, "xml2Json(soap_text)['soapenv:Envelope']['soapenv:Body'].loginResponse.result")
    assert result["sessionId"] == "00D!AQ0AQ.token"
    assert result["serverUrl"].split("/")[2] == "acme.my.salesforce.com"
    assert result["userInfo"]["organizationId"] == "00Dxx0000001gPL"
    assert result["userInfo"]["currencySymbol"] == {"$": {"xsi:nil": "true"}}
    envelope = js(ctx, "xml2Json(soap_text)['soapenv:Envelope']")
    assert envelope["$"]["xmlns:soapenv"] == "http://schemas.xmlsoap.org/soap/envelope/"


def test_xml2json_shapes(ctx: Any) -> None:
    xml = "<r><b>1</b><b>2</b><c d='e'>f<g/>h</c><e>  spaced  </e></r>"
    assert js(ctx, f"xml2Json({xml!r})") == {
        "r": {"b": ["1", "2"], "c": {"_": "fh", "$": {"d": "e"}, "g": ""}, "e": "spaced"}
    }
    assert (
        js(ctx, "xml2Json('<jobInfo xmlns=\"x\">\\n  <id>750</id>\\n</jobInfo>')['jobInfo']['id']") == "750"
    )
    assert js(ctx, "typeof xml2Json('not xml')") == "undefined"
    parsed = "(function () { var out; require('xml2js').parseString('<a x=\"1\"><b>t</b></a>',"
    parsed += " function (err, r) { out = [err, r]; }); return out; })()"
    assert js(ctx, parsed) == [None, {"a": {"$": {"x": "1"}, "b": ["t"]}}]


# --------------------------------------------------------------------------------------------------------
# The Python side and the module table


def test_postman_globals() -> None:
    """The globals and require names of Postman's sandbox, as measured with Newman 6.2."""
    ctx = library_context()
    names = ["assert", "buffer", "events", "path", "punycode", "querystring", "stream", "string_decoder", "timers",
             "url", "util", "os", "fs", "json", "_process", "crypto-js", "atob", "btoa", "uuid", "lodash", "moment",
             "ajv", "tv4", "xml2js", "cheerio", "backbone", "csv-parse/lib/sync", "postman-collection", "chai"]
    assert js(ctx, f"{names!r}.filter(function (n) {{ return !require(n); }})") == []
    kinds = "[_, CryptoJS, tv4, xml2Json, Backbone, cheerio, atob, btoa, Buffer, typeof moment === 'undefined']"
    assert js(ctx, f"{kinds}.map(function (v) {{ return typeof v; }})") == [
        "function", "object", "object", "function", "object", "function", "function", "function", "function", "boolean"]
    versions = "[_.VERSION, require('lodash').VERSION, require('moment').version]"
    assert js(ctx, versions) == ["3.10.2", "4.17.21", "2.30.1"]
    assert js(ctx, "Object.keys(require('fs')).length") == 0
    for name in ("lodash3", "lodash/get", "crypto-js/md5", "crypto", "nope", "sugar", "chai-postman"):
        assert js_error(ctx, f"require({name!r})") == f"Cannot find module '{name}'"


def test_paypal_checkout_bundle_helpers(ctx: Any) -> None:
    """PayPal_Checkout_Flows' bundle: base64url via Buffer and an HS256 JWT via CryptoJS.HmacSHA256."""
    expr = """(function () {
      function b64url(e) { return Buffer.from(e).toString('base64').replace(/=+$/, '').replace(/\\+/g, '-')
        .replace(/\\//g, '_'); }
      var c = b64url(JSON.stringify({alg: 'HS256'})) + '.' + b64url(JSON.stringify({iss: 'me'}));
      return [c, b64url(CryptoJS.HmacSHA256(c, 'secret').toString())];
    })()"""
    token, signature = js(ctx, expr)
    header = base64.urlsafe_b64encode(b'{"alg":"HS256"}').decode().rstrip("=")
    assert token.startswith(header + ".")
    digest_hex = hmac.new(b"secret", token.encode(), "sha256").hexdigest()
    assert signature == base64.urlsafe_b64encode(digest_hex.encode()).decode().rstrip("=")


# --------------------------------------------------------------------------------------------------------
# Differential checks against the npm packages (node)

REFERENCE_PACKAGES = [
    # the versions postman-sandbox 4.7.1 bundles, and the browser shims it uses for Node's buffer and querystring
    "crypto-js@3.3.0",
    "lodash@4.17.21",
    "moment@2.30.1",
    "ajv@6.12.5",
    "buffer@6.0.3",
    "querystring-es3@0.2.1",
    "tv4@1.3.0",
    "xml2js@0.4.23",
    "atob@2.1.2",
    "btoa@1.2.1",
]

NODE_PRELUDE = r"""
var CryptoJS = require('crypto-js'), _ = require('lodash'), moment = require('moment'), tv4 = require('tv4');
var xml2js = require('xml2js'), atob = require('atob'), btoa = require('btoa');
var modules = {'crypto-js': CryptoJS, lodash: _, moment: moment, ajv: require('ajv'), tv4: tv4,
  xml2js: xml2js, querystring: require('querystring-es3'), atob: atob, btoa: btoa, buffer: require('buffer/')};
var Buffer = modules.buffer.Buffer;
function xml2Json(s) {  // postman-sandbox's wrapper
  var out = {};
  var options = {explicitArray: false, async: false, trim: true, mergeAttrs: false};
  xml2js.parseString(s, options, function (e, r) { out = r; });
  return out;
}
Object.assign(globalThis, {CryptoJS: CryptoJS, _: _, moment: moment, tv4: tv4, atob: atob, btoa: btoa, Buffer: Buffer,
  xml2Json: xml2Json, require: function (n) { return modules[n]; }});
"""

EVAL_ALL = r"""
(function (exprs) {
  return JSON.stringify(exprs.map(function (src) {
    try {
      var v = (0, eval)(src);
      return {ok: v === undefined ? '<undefined>' : (typeof v === 'number' && v !== v) ? '<NaN>' : v};
    } catch (e) { return {err: String(e && e.message || e)}; }
  }));
})
"""

# One JS expression per paragraph (blank-line separated); `//` lines are comments.
DIFF_CASES_TEXT = r"""
// crypto-js, Buffer, atob/btoa, querystring
CryptoJS.SHA256('héllo wörld €').toString(CryptoJS.enc.Base64)

CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA1('GET&https%3A%2F%2Fapi&a%3D1', 'cs&ts'))

encodeURIComponent(CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse('abcXYZ0123456789')))

JSON.stringify(CryptoJS.enc.Utf8.parse('abcde'))

(function () { var w = CryptoJS.lib.WordArray.create([0x12345678, 0x9abcdef0], 6); w.clamp(); return
[w.words, w.sigBytes]; })()

CryptoJS.enc.Utf16.stringify(CryptoJS.enc.Utf16.parse('hé'))

CryptoJS.enc.Utf16LE.parse('hé').toString()

CryptoJS.PBKDF2('password', 'salt', {keySize: 8, iterations: 1000}).toString()

CryptoJS.lib.WordArray.random(50).toString().length

CryptoJS.enc.Base64.stringify(CryptoJS.SHA256('v')).replace(/\+/g, '-').replace(/\//g,
'_').replace(/=/g, '')

atob(btoa('\u00ff\u00fe'))

Buffer.from('68656c6c6fzz11', 'hex').toString('hex')

Buffer.from([0xc3, 0x28, 0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82]).toString()

Buffer.from([0xff, 0x80]).toString('ascii')

Buffer.from('hi', 'utf16le').toString('hex')

Buffer.from('a-b_cw', 'base64url').toString('base64')

Buffer.alloc(5, 'ab').toString()

Buffer.from([1, 2, 3, 4]).readUInt32LE(0)

(function () { var b = Buffer.alloc(4); b.writeUInt32BE(0xdeadbeef, 0); return b.toString('hex'); })()

(function () { try { Buffer.from('x', 'nope'); } catch (e) { return e.message; } })()

require('querystring').parse('x=%ZZ&y=%41&z=1&z=2')

require('querystring').stringify({a: [1, 2], 'k&': 'v=', n: null, t: true})

// lodash 4
_.get({a: {'b.c': 1}}, 'a["b.c"]')

_.get(null, 'a', 3)

_.set({}, 'x[1].y', 'z')

_.merge({}, {a: {b: [{c: 1}]}}, {a: {b: [{d: 2}]}}, {e: undefined})

_.defaultsDeep({a: {b: 1}}, {a: {b: 2, c: 3}})

_.sortBy([3, null, 1, undefined, 2, NaN])

_.orderBy([{n: 'b', a: 2}, {n: 'a', a: 2}, {n: 'c', a: 1}], ['a', 'n'], ['desc', 'asc'])

_.countBy(['a', 'b', 'a'])

_.keyBy([{id: 'x'}, {id: 'y'}], 'id')

_.partition([1, 2, 3, 4], function (n) { return n % 2; })

[_.range(-4), _.range(0, -4, -1), _.range(1, 4, 0)]

[_.pad('abc', 8, '_-'), _.padEnd('abc', 6, '_-'), _.trim('-_-abc-_-', '_-')]

['XMLHttpRequest', 'fooBarBAZ', 'foo2bar', '1st place', 'ÀBC déf', 'userID', "it's fine",
'x-request-id', 'HTML5Parser'].map(function (s) { return [_.camelCase(s), _.kebabCase(s),
_.startCase(s), _.words(s)]; })

[_.chunk([1, 2, 3, 4, 5], 2), _.compact([0, 1, false, '', 3, null, NaN]), _.flattenDeep([1, [2, [3,
[4]]]])]

[_.intersection([2, 1], [2, 3]), _.union([2], [1, 2]), _.xor([2, 1], [2, 3]), _.difference([2, 1, 3],
[2])]

[_.zip(['a', 'b'], [1, 2]), _.zipObject(['a', 'b'], [1, 2]), _.fromPairs([['a', 1]]), _.toPairs({a: 1})]

[_.invert({a: 'x'}), _.mapValues({a: {n: 1}}, 'n'), _.pickBy({a: 1, b: '2'}, _.isNumber)]

[_.sum([4, 2, 8]), _.max([]), _.mean([4, 2]), _.maxBy([{n: 1}, {n: 2}], 'n'), _.clamp(10, -5, 5)]

[_.toNumber('3.2'), _.toInteger(-3.7), _.toString([1, [2, 3]]), _.toString(-0)]

[_.escape('<a href="x">\'&'), _.unescape('&lt;&amp;&#39;'), _.escapeRegExp('[a](b)')]

[_.truncate('hi-diddly-ho there, neighborino', {length: 24, separator: /,? +/}), _.repeat('ab', 3)]

_.chain([{a: 3}, {a: 1}]).sortBy('a').map('a').head().value()

_.isMatch({a: 1, b: {c: 2, d: 3}}, {b: {c: 2}})

_.zipObjectDeep(['a.b[0].c', 'a.b[1].d'], [1, 2])

_.deburr('déjà vu Æsir ß')

[_.isEqual({a: undefined}, {}), _.isEqual(0, -0), _.isEqual(new Date(5), new Date(5))]

_.mergeWith({a: [1]}, {a: [2]}, function (a, b) { if (_.isArray(a)) return a.concat(b); })

// moment
moment.utc('2021-03-04T05:06:07Z').format('LT LTS L LL LLL LLLL l ll lll llll')

moment.utc('2020-12-31T10:11:12Z').format('w ww W WW gggg GGGG DDD DDDD Q k E e [at] Do')

moment('2021-03-04T05:06:07.891+02:00').toISOString()

[moment('2021-03-04').format(), moment('20210304').format(), moment('2021-03').format()]

[moment('2021-03-04T1020').isValid(), moment.utc('2021-02-30').isValid(), moment(null).isValid()]

moment.utc('Tue, 01 Nov 2016 13:23:12 +0630').toISOString()

[moment.utc([2020, 1, 29, 10]).format(), moment.utc({year: 2020, month: 5, day: 3}).format()]

moment.utc('2020-01-31T10:00:00Z').add(13, 'months').subtract(1, 'quarter').add(1.5, 'hours').format()

moment.utc('2020-02-29T10:00:00Z').add(1, 'y').add({days: 1, hours: 2}).add('3', 'd').format()

['year', 'month', 'week', 'isoWeek', 'day', 'hour'].map(function (u) { return
moment.utc('2020-05-17T10:11:12.345Z').startOf(u).format() + ' ' +
moment.utc('2020-05-17T10:11:12.345Z').endOf(u).toISOString(); })

['years', 'months', 'weeks', 'days', 'hours'].map(function (u) { return
moment.utc('2020-05-17').diff(moment.utc('2019-01-31T06:00Z'), u, true); })

moment.utc('2020-03-31').diff(moment.utc('2020-02-29'), 'months', true)

[moment.utc('2020-01-05').isBetween('2020-01-01', '2020-01-10'),
moment.utc('2020-01-01').isSameOrBefore('2020-01-01')]

[moment.utc('2020-01-01T10:20:30Z').utcOffset(120).format(),
moment.parseZone('2020-01-01T10:20:30+05:00').format()]

[moment.utc('1995-12-25 2:05 pm', 'YYYY-MM-DD h:mm a').format(), moment.utc('December 25th, 1995',
'MMMM Do, YYYY').format(), moment.utc('1600000000', 'X').toISOString()]

[moment.utc('2012.05.25', 'YYYY-MM-DD', true).isValid(), moment.utc('2012-05-25', ['MM-DD-YYYY',
'YYYY-MM-DD']).format()]

[moment.utc('2020-03-31T10:11:12Z').month(1).format(),
moment.utc('2020-05-17T10:11:12Z').day(1).format()]

moment.utc('2020-05-17T10:11:12Z').set({year: 2000, month: 1, date: 29}).toArray()

['2020-05-17T10:11:50Z', '2020-05-17T10:12:12Z', '2020-05-20T12:11:12Z', '2020-09-20T12:11:12Z',
'2023-09-20T12:11:12Z'].map(function (t) { return
moment.utc('2020-05-17T10:11:12Z').from(moment.utc(t)); })

[moment().subtract(3, 'days').fromNow(), moment().add(1, 'hour').fromNow()]

[moment.duration('P1Y2M3DT4H5M6S').asSeconds(), moment.duration('1.02:03:04.5').asSeconds(),
moment.duration({days: 1, hours: 25}).humanize(), moment.duration(45, 'days').months()]

moment.utc('2020-05-17T10:11:12Z').calendar(moment.utc('2020-05-18T09:00:00Z'))

[moment(1600000000123).format(), moment('2021-06-01T00:00:00').utc().format(), moment([2021, 5,
1]).format()]

// ajv 6 and tv4
(function () { var a = new (require('ajv'))({allErrors: true}); return [a.validate({type: 'object',
required: ['id', 'items'], properties: {id: {type: 'string'}, items: {type: 'array', items: {type:
'object', required: ['sku'], properties: {sku: {type: 'string', pattern: '^[A-Z]+$'}, qty: {type:
'integer', minimum: 1}}}}}}, {items: [{sku: 'ab', qty: 0}, {qty: 'x'}]}), a.errors]; })()

(function () { var a = new (require('ajv'))(); return [a.validate({type: 'array', items: {type:
'object', properties: {tags: {uniqueItems: true}}, additionalProperties: false}}, [{tags: [1, 1]}]),
a.errors, a.validate({additionalProperties: {type: 'string'}}, {'a-b': 1}), a.errors]; })()

(function () { var a = new (require('ajv'))(); return [a.validate({definitions: {pos: {minimum: 1}},
properties: {n: {$ref: '#/definitions/pos'}}}, {n: 0}), a.errors, a.validate({dependencies: {a: ['b']}},
{a: 1}), a.errors, a.validate({propertyNames: {maxLength: 2}}, {abc: 1}), a.errors]; })()

(function () { var a = new (require('ajv'))(); return [a.validate({oneOf: [{type: 'number'}, {type:
'integer'}]}, 1), a.errors, a.validate({anyOf: [{type: 'string'}, {type: 'number'}]}, null), a.errors,
a.validate({format: 'email'}, 'nope'), a.errors]; })()

(function () { try { new (require('ajv'))().compile({type: 'strin'}); } catch (e) { return e.message; }
})()

(function () { var a = new (require('ajv'))({jsonPointers: true}); return [a.validate({properties: {a:
{items: {type: 'string'}}}}, {a: ['x', 2]}), a.errors, a.errorsText(a.errors, {dataVar: 'x'})]; })()

(function () { var r = tv4.validateMultiple({b: 'x', c: [1, 1]}, {type: 'object', required: ['a'],
properties: {b: {type: 'number'}, c: {uniqueItems: true}}}); return [r.valid, r.errors.map(function (e)
{ return [e.code, e.message, e.dataPath, e.schemaPath]; })]; })()

(function () { var ok = tv4.validate(3, {anyOf: [{type: 'string'}, {type: 'boolean'}]}); return [ok,
tv4.error.message, tv4.error.subErrors.length, tv4.error.subErrors[0].message]; })()

// xml2Json / xml2js
xml2Json('<r><b>1</b><b>2</b><c d="e">f<g/>h</c><e>  s  </e><n/><k a="1"/><![CDATA[x]]></r>')

[xml2Json(''), xml2Json('garbage'), xml2Json('<a>x &amp; y &lt; &#65;</a>'),
xml2Json('<a>\n <b> 1 </b>\n</a>')]

(function () { var out; require('xml2js').parseString('<a x="1"> t </a>', {explicitCharkey: true, trim:
true}, function (e, r) { out = r; }); return out; })()

(function () { var out; require('xml2js').parseString('<a k="v"><b>t</b><b>u</b></a>', {mergeAttrs:
true}, function (e, r) { out = r; }); return out; })()
"""
DIFF_CASES = [
    "\n".join(line for line in block.splitlines() if not line.startswith("//"))
    for block in DIFF_CASES_TEXT.strip().split("\n\n")
]


@pytest.fixture(scope="module")
def reference_dir() -> Path:
    """A directory with the reference npm packages installed (cached between runs)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node/npm not available")
    tag = hashlib.sha1(" ".join(REFERENCE_PACKAGES).encode()).hexdigest()[:10]
    where = Path(tempfile.gettempdir()) / f"postrun-libsref-{tag}"
    names = [p.rsplit("@", 1)[0] for p in REFERENCE_PACKAGES]
    if not all((where / "node_modules" / n / "package.json").exists() for n in names):
        where.mkdir(parents=True, exist_ok=True)
        (where / "package.json").write_text('{"name": "postrun-libsref", "private": true}')
        try:
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *REFERENCE_PACKAGES],
                cwd=where,
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"npm install failed: {exc}")
    return where


@pytest.fixture(scope="module")
def node_results(reference_dir: Path) -> list[Any]:
    script = reference_dir / "eval_cases.js"
    script.write_text(NODE_PRELUDE + f"console.log({EVAL_ALL}({json.dumps(DIFF_CASES)}));")
    out = subprocess.run(["node", str(script)], cwd=reference_dir, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def sandbox_results() -> list[Any]:
    ctx = make_context()
    return json.loads(ctx.eval(f"{EVAL_ALL}({json.dumps(DIFF_CASES)})"))


@pytest.mark.newman
@pytest.mark.parametrize("index", range(len(DIFF_CASES)), ids=[c[:60] for c in DIFF_CASES])
def test_matches_npm_packages(index: int, sandbox_results: list[Any], node_results: list[Any]) -> None:
    assert sandbox_results[index] == node_results[index], DIFF_CASES[index]


def test_the_sdk_loads_its_lazy_requires_on_first_use() -> None:
    """postman-collection requires faker, semver, file-type, mime-types, mime-format and iconv-lite at its top
    but uses them only in functions: the SDK loads without their texts (pack.py LAZY), and the first use
    asks for them."""
    from runner.sandbox import modules

    ctx = library_context(("postman-collection",))
    lazy = {spec for info in modules.index()["modules"].values() for spec in info.get("lazy", [])}
    assert lazy == {"@faker-js/faker/locale/en", "semver", "file-type", "mime-types", "mime-format", "iconv-lite"}
    ctx.eval("globalThis.sdk = require('postman-collection')")
    assert ctx.eval("__postrunModules.takeNeeded()") == ""
    with pytest.raises(Exception, match="Cannot find module .*semver"):
        ctx.eval("new sdk.Version('1.2.3')")
    needed = ctx.eval("__postrunModules.takeNeeded()").split("\n")
    assert any("/semver/" in path for path in needed)
    ctx.eval("__postrunModules.addAll")(*handover(modules.sources(modules.closure(needed))))
    assert ctx.eval("new sdk.Version('1.2.3').minor") == 2
    # faker: the SDK keeps `faker.internet.ipv6` itself in its table of {{$random...}} generators
    resolve = "sdk.Property.replaceSubstitutions('{{$randomIPV6}}', [])"
    with pytest.raises(Exception, match="Cannot find module .*faker"):
        ctx.eval(resolve)
    needed = ctx.eval("__postrunModules.takeNeeded()").split("\n")
    ctx.eval("__postrunModules.addAll")(*handover(modules.sources(modules.closure(needed))))
    assert ctx.eval(resolve).count(":") == 7
    # mime-format and mime-types (contentInfo), then iconv-lite (a body in a charset other than UTF-8)
    latin1 = ("new sdk.Response({code: 200, header: [{key: 'Content-Type', value: 'text/plain; charset=latin1'}], "
              "stream: require('buffer').Buffer.from([0x63, 0x61, 0x66, 0xe9])})")
    asked = []
    for _ in range(5):
        try:
            text = ctx.eval(f"{latin1}.text()")
            break
        except Exception as exc:  # noqa: BLE001 - a module the first use asks for
            assert "Cannot find module" in str(exc)
        needed = ctx.eval("__postrunModules.takeNeeded()").split("\n")
        asked += needed
        ctx.eval("__postrunModules.addAll")(*handover(modules.sources(modules.closure(needed))))
    assert text == "café"
    assert {p.split("/")[1] for p in asked} == {"mime-format", "mime-types", "iconv-lite"}
    assert ctx.eval(f"{latin1}.contentInfo().mimeType") == "text"

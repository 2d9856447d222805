"""chai's BDD `expect` in the sandbox: the real chai 4.4.1 Postman bundles, packed by the build, run in QuickJS.

The expected messages in CASES were produced by real chai under node. The differential test (marked
``newman``) re-runs every case, plus generated values, in node + chai 4.4.1 and compares: what it checks
now is that QuickJS runs chai's own code as V8 does.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import quickjs

from runner.sandbox.runtime import library_context

REFERENCE_CHAI = "4.4.1"  # the chai postman-sandbox 4.7.1 bundles
REFERENCE_DIR = Path(os.environ.get("POSTRUN_CHAI_REF_DIR", "/tmp/postrun-chai-ref")) / REFERENCE_CHAI

# Runs one case with `chai` and `expect` in scope. The outcome is 'pass', the AssertionError's
# message, or '<ErrorName>: <message>' for any other error. Node and QuickJS use this same function.
RUN_CASE_JS = """
function runCase(chai, src) {
  try {
    new Function('chai', 'expect', src)(chai, chai.expect);
    return 'pass';
  } catch (e) {
    return (e instanceof chai.AssertionError ? '' : e.name + ': ') + e.message;
  }
}
"""

PASS = "pass"


def load_chai() -> quickjs.Context:
    """A fresh QuickJS context with the packed chai as ``__chai``."""
    ctx = library_context(("chai",))
    ctx.eval("var __chai = require('chai'); __chai.inspect = __chai.util.inspect;")
    return ctx


def run_cases(sources: list[str], fresh: bool = True) -> list[str]:
    """Outcome of each source (see RUN_CASE_JS); each in a fresh context unless ``fresh`` is False."""
    outcomes = []
    runner = None
    for src in sources:
        if fresh or runner is None:
            ctx = load_chai()
            ctx.eval(RUN_CASE_JS)
            runner = ctx.eval("(src) => runCase(__chai, src)")
        outcomes.append(runner(src))
    return outcomes


_SHARED: list[Any] = []


def run(src: str) -> str:
    """One case, in a context shared by the table's cases (they leave chai as they found it)."""
    if not _SHARED:
        ctx = load_chai()
        ctx.eval(RUN_CASE_JS)
        _SHARED.append(ctx.eval("(src) => runCase(__chai, src)"))
    return _SHARED[0](src)


CASES: list[tuple[str, str]] = [
    # equal / eql (deep-eql semantics)
    ("expect(404).to.equal(200)", "expected 404 to equal 200"),
    ("expect(200).to.equal(200)", PASS),
    ("expect(1).to.not.equal(1)", "expected 1 to not equal 1"),
    ("expect('a').to.equals('b')", "expected 'a' to equal 'b'"),
    ("expect(null).to.eq(undefined)", "expected null to equal undefined"),
    ("expect({a: 1}).to.equal({a: 1})", "expected { a: 1 } to equal { a: 1 }"),
    ("expect({a: 1}).to.deep.equal({a: 1})", PASS),
    ("expect({a: 1}).to.deep.equal({a: 2})", "expected { a: 1 } to deeply equal { a: 2 }"),
    ("expect(1, 'my msg').to.equal(2)", "my msg: expected 1 to equal 2"),
    ("expect(1).to.equal(2, 'custom')", "custom: expected 1 to equal 2"),
    ("expect({a: 1}).to.eql({a: 2})", "expected { a: 1 } to deeply equal { a: 2 }"),
    ("expect({a: {b: [1, 2]}}).to.eql({a: {b: [1, 2]}})", PASS),
    ("expect([1, 2]).to.not.eql([1, 2])", "expected [ 1, 2 ] to not deeply equal [ 1, 2 ]"),
    ("expect(NaN).to.eql(NaN)", PASS),
    ("expect(-0).to.eql(0)", "expected -0 to deeply equal +0"),
    ("expect(new Date(0)).to.eql(new Date(0))", PASS),
    ("expect(/a/g).to.eql(/a/i)", "expected /a/g to deeply equal /a/i"),
    (
        "expect(new Map([[1, 'a'], [2, 'b']])).to.eql(new Map([[1, 'a'], [2, 'c']]))",
        "expected Map{ 1 => 'a', 2 => 'b' } to deeply equal Map{ 1 => 'a', 2 => 'c' }",
    ),
    ("expect(new Set([1, 2])).to.eql(new Set([2, 1]))", PASS),
    ("expect({a: undefined}).to.eql({})", "expected { a: undefined } to deeply equal {}"),
    (
        "expect([1, [2, {x: 'y'}]]).to.eqls([1, [2, {x: 'z'}]])",
        "expected [ 1, [ 2, { x: 'y' } ] ] to deeply equal [ 1, [ 2, { x: 'z' } ] ]",
    ),
    ("expect(new (class Foo { constructor() { this.a = 1; } })()).to.eql({a: 1})", PASS),
    ("expect([1, 2]).to.eql({0: 1, 1: 2})", "expected [ 1, 2 ] to deeply equal { '0': 1, '1': 2 }"),

    # above / least / below / most / within, also on .length
    ("expect(5).to.be.above(10)", "expected 5 to be above 10"),
    ("expect(5).to.be.gt(4)", PASS),
    ("expect(5).to.not.be.above(4)", "expected 5 to be at most 4"),
    ("expect(5).to.be.greaterThan(5)", "expected 5 to be above 5"),
    ("expect(5).to.be.below(1)", "expected 5 to be below 1"),
    ("expect(5).to.be.lt(1)", "expected 5 to be below 1"),
    ("expect(5).to.not.be.lessThan(6)", "expected 5 to be at least 6"),
    ("expect(5).to.be.at.least(6)", "expected 5 to be at least 6"),
    ("expect(5).to.be.gte(5)", PASS),
    ("expect(5).to.not.be.least(4)", "expected 5 to be below 4"),
    ("expect(5).to.be.at.most(4)", "expected 5 to be at most 4"),
    ("expect(5).to.be.lte(4)", "expected 5 to be at most 4"),
    ("expect(5).to.not.be.most(6)", "expected 5 to be above 6"),
    ("expect('5').to.be.above(4)", "expected '5' to be a number or a date"),
    ("expect(5).to.be.above('4')", "the argument to above must be a number"),
    ("expect(new Date(0)).to.be.above(5)", "the argument to above must be a date"),
    ("expect(null).to.be.below(1)", "expected null to be a number or a date"),
    ("expect([1, 2]).to.be.at.least(1)", "expected 1,2 to be a number or a date"),
    ("expect([1, 2, 3]).to.have.length.above(3)", "expected [ 1, 2, 3 ] to have a length above 3 but got 3"),
    (
        "expect([1, 2, 3]).to.have.lengthOf.below(2)",
        "expected [ 1, 2, 3 ] to have a length below 2 but got 3",
    ),
    ("expect('abc').to.have.length.at.least(4)", "expected 'abc' to have a length at least 4 but got 3"),
    (
        "expect(new Set([1])).to.have.length.at.most(0)",
        "expected Set{ 1 } to have a size at most +0 but got 1",
    ),
    ("expect([1, 2]).to.not.have.length.above(1)", "expected [ 1, 2 ] to not have a length above 1"),
    ("expect([1, 2]).to.not.have.length.at.most(3)", "expected [ 1, 2 ] to have a length above 3"),
    ("expect(5).to.have.length.above(1)", "expected 5 to have property 'length'"),
    ("expect(5).to.be.within(1, 3)", "expected 5 to be within 1..3"),
    ("expect(2).to.be.within(1, 3)", PASS),
    ("expect(2).to.not.be.within(1, 3)", "expected 2 to not be within 1..3"),
    ("expect([1, 2, 3]).to.have.length.within(5, 7)", "expected [ 1, 2, 3 ] to have a length within 5..7"),
    (
        "expect(new Date(0)).to.be.within(new Date(1), new Date(2))",
        "expected 1970-01-01T00:00:00.000Z to be within 1970-01-01T00:00:00.001Z..1970-01-01T00:00:00.002Z",
    ),
    ("expect(5).to.be.within(1, '3')", "the arguments to within must be numbers"),

    # a / an (type-detect names) and instanceof
    ("expect('a').to.be.a('number')", "expected 'a' to be a number"),
    ("expect([]).to.be.an('array')", PASS),
    ("expect({}).to.be.an('array')", "expected {} to be an array"),
    ("expect(null).to.be.an('object')", "expected null to be an object"),
    ("expect(undefined).to.be.a('string')", "expected undefined to be a string"),
    ("expect(/x/).to.be.a('regexp')", PASS),
    ("expect(new Date()).to.be.a('date')", PASS),
    ("expect(Promise.resolve()).to.be.a('promise')", PASS),
    ("expect(function () {}).to.be.a('function')", PASS),
    ("expect(1).to.not.be.a('number')", "expected 1 not to be a number"),
    ("expect(true).to.be.a('Boolean')", PASS),
    ("expect(new Map()).to.be.a('map')", PASS),
    ("expect(Symbol('s')).to.be.a('symbol')", PASS),
    ("expect(1).to.be.an('object', 'wrong type')", "wrong type: expected 1 to be an object"),
    ("expect([]).to.be.an('object')", "expected [] to be an object"),
    ("expect(new Error('x')).to.be.an('error')", PASS),
    ("expect([]).to.be.an.instanceof(Array)", PASS),
    ("expect({}).to.be.an.instanceOf(Array)", "expected {} to be an instance of Array"),
    (
        "expect(new Error('x')).to.not.be.instanceof(Error)",
        "expected Error: x to not be an instance of Error",
    ),
    ("expect(1).to.be.instanceof(1)", "The instanceof assertion needs a constructor but number was given."),

    # property (plain, deep, nested, own), ownPropertyDescriptor
    ("expect({a: 1}).to.have.property('b')", "expected { a: 1 } to have property 'b'"),
    ("expect({a: 1}).to.have.property('a', 2)", "expected { a: 1 } to have property 'a' of 2, but got 1"),
    ("expect({a: 1}).to.have.property('a').that.equals(1)", PASS),
    ("expect({a: 1}).to.have.property('a').that.equals(2)", "expected 1 to equal 2"),
    ("expect({a: 1}).to.not.have.property('a')", "expected { a: 1 } to not have property 'a'"),
    ("expect({a: 1}).to.not.have.property('a', 1)", "expected { a: 1 } to not have property 'a' of 1"),
    ("expect({a: 1}).to.not.have.property('a', 2)", PASS),
    (
        "expect({a: {b: 1}}).to.have.deep.property('a', {b: 2})",
        "expected { a: { b: 1 } } to have deep property 'a' of { b: 2 }, but got { b: 1 }",
    ),
    (
        "expect({a: {b: 1}}).to.have.property('a', {b: 1})",
        "expected { a: { b: 1 } } to have property 'a' of { b: 1 }, but got { b: 1 }",
    ),
    (
        "expect({a: {b: [1, 2]}}).to.have.nested.property('a.b[1]', 3)",
        "expected { a: { b: [ 1, 2 ] } } to have nested property 'a.b[1]' of 3, but got 2",
    ),
    (
        "expect({a: {b: [1, 2]}}).to.have.nested.property('a.c')",
        "expected { a: { b: [ 1, 2 ] } } to have nested property 'a.c'",
    ),
    ("expect({a: {b: [1, 2]}}).to.have.nested.property('a.b[1]')", PASS),
    (r"expect({'a.b': 1}).to.have.nested.property('a\\.b')", PASS),
    ("expect({}).to.have.own.property('toString')", "expected {} to have own property 'toString'"),
    ("expect({}).to.have.property('toString')", PASS),
    ("expect({a: 1}).to.have.ownProperty('b')", "expected { a: 1 } to have own property 'b'"),
    ("expect({a: 1}).to.haveOwnProperty('a', 1)", PASS),
    ("expect(null).to.have.property('a')", "Target cannot be null or undefined."),
    ("expect({a: 1}).to.have.property({})", "the argument to property must be a string, number, or symbol"),
    ("expect({}).to.have.nested.own.property('a')", 'The "nested" and "own" flags cannot be combined.'),
    ("expect('abc').to.have.property('length', 3)", PASS),
    (
        "expect({a: 1}).to.have.ownPropertyDescriptor('b')",
        "expected { a: 1 } to have an own property descriptor for 'b'",
    ),
    (
        "expect({a: 1}).to.have.ownPropertyDescriptor('a', {value: 2, writable: true, enumerable: true, "
        "configurable: true})",
        "expected the own property descriptor for 'a' on { a: 1 } to match { value: 2, writable: true, "
        "\u2026(2) }, got { value: 1, writable: true, \u2026(2) }",
    ),
    ("expect({a: 1}).to.have.ownPropertyDescriptor('a').that.has.property('value', 1)", PASS),

    # length, match, string
    ("expect([1, 2, 3]).to.have.length(2)", "expected [ 1, 2, 3 ] to have a length of 2 but got 3"),
    ("expect('abc').to.have.lengthOf(3)", PASS),
    ("expect([1]).to.not.have.lengthOf(1)", "expected [ 1 ] to not have a length of 1"),
    ("expect(new Map([[1, 2]])).to.have.lengthOf(2)", "expected Map{} to have a size of 2 but got 1"),
    (
        "expect(new Map([[1, 2], [3, 4]])).to.have.lengthOf(3)",
        "expected Map{ 1 => 2, 3 => 4 } to have a size of 3 but got 2",
    ),
    ("expect(5).to.have.lengthOf(1)", "expected 5 to have property 'length'"),
    ("expect('foo').to.match(/^bar/)", "expected 'foo' to match /^bar/"),
    ("expect('foo').to.not.match(/o/)", "expected 'foo' not to match /o/"),
    ("expect('foobar').to.have.string('baz')", "expected 'foobar' to contain 'baz'"),
    ("expect('foobar').to.not.have.string('bar')", "expected 'foobar' to not contain 'bar'"),
    ("expect(5).to.have.string('5')", "expected 5 to be a string"),

    # keys (all / any / contain)
    ("expect({a: 1, b: 2}).to.have.keys('a')", "expected { a: 1, b: 2 } to have key 'a'"),
    ("expect({a: 1, b: 2}).to.have.all.keys('a', 'b')", PASS),
    ("expect({a: 1, b: 2}).to.have.any.keys('c', 'd')", "expected { a: 1, b: 2 } to have keys 'c', or 'd'"),
    (
        "expect({a: 1, b: 2}).to.contain.keys('a', 'c')",
        "expected { a: 1, b: 2 } to contain keys 'a', and 'c'",
    ),
    ("expect({a: 1, b: 2}).to.include.any.keys(['a', 'x'])", PASS),
    ("expect({a: 1}).to.not.have.key('a')", "expected { a: 1 } to not have key 'a'"),
    ("expect({a: 1}).to.have.keys({a: 0, b: 0})", "expected { a: 1 } to have keys 'a', and 'b'"),
    ("expect({a: 1}).to.have.keys()", "keys required"),
    (
        "expect({a: 1}).to.have.keys(['a'], 'b')",
        "when testing keys against an object or an array you must give a single Array|Object|String "
        "argument or multiple String arguments",
    ),
    ("expect(new Map([['x', 1]])).to.have.key('y')", "expected Map{} to have key 'y'"),
    (
        "expect({a: 1, b: 2, c: 3}).to.have.all.keys('a', 'b', 'c', 'd')",
        "expected { a: 1, b: 2, c: 3 } to have keys 'a', 'b', 'c', and 'd'",
    ),

    # include on strings, arrays, objects, Sets and Maps
    ("expect('foobar').to.include('x')", "expected 'foobar' to include 'x'"),
    ("expect('foobar').to.contain('bar')", PASS),
    ("expect([1, 2, 3]).to.include(4)", "expected [ 1, 2, 3 ] to include 4"),
    ("expect([{a: 1}]).to.include({a: 1})", "expected [ { a: 1 } ] to include { a: 1 }"),
    ("expect([{a: 1}]).to.deep.include({a: 1})", PASS),
    ("expect([{a: 1}]).to.deep.include({a: 2})", "expected [ { a: 1 } ] to deep include { a: 2 }"),
    ("expect({a: 1, b: 2}).to.include({a: 1})", PASS),
    (
        "expect({a: 1, b: 2}).to.include({a: 2})",
        "expected { a: 1, b: 2 } to have property 'a' of 2, but got 1",
    ),
    (
        "expect({a: 1, b: 2}).to.not.include({a: 1, b: 2})",
        "expected { a: 1, b: 2 } to not have property 'a' of 1",
    ),
    ("expect({a: 1, b: 2}).to.not.include({a: 1, b: 3})", PASS),
    (
        "expect({a: {b: 1}}).to.deep.include({a: {b: 2}})",
        "expected { a: { b: 1 } } to have deep property 'a' of { b: 2 }, but got { b: 1 }",
    ),
    (
        "expect({a: {b: 1}}).to.nested.include({'a.b': 2})",
        "expected { a: { b: 1 } } to have nested property 'a.b' of 2, but got 1",
    ),
    (
        "expect({a: 1}).to.include('a')",
        "the given combination of arguments (object and string) is invalid for this assertion. You can "
        "use an array, a map, an object, a set, a string, or a weakset instead of a string",
    ),
    ("expect([1, 2]).to.not.includes(2)", "expected [ 1, 2 ] to not include 2"),
    ("expect(new Set([1])).to.contains(2)", "expected Set{ 1 } to include 2"),
    ("expect(new Map([['k', 'v']])).to.include('x')", "expected Map{} to include 'x'"),
    (
        "expect(null).to.include('a')",
        "the given combination of arguments (null and string) is invalid for this assertion. You can use "
        "an array, a map, an object, a set, a string, or a weakset instead of a string",
    ),
    ("expect('foobar').to.include('o', 'needs an o')", PASS),

    # members, oneOf
    ("expect([1, 2, 3]).to.have.members([3, 2, 1])", PASS),
    (
        "expect([1, 2, 3]).to.have.members([1, 2])",
        "expected [ 1, 2, 3 ] to have the same members as [ 1, 2 ]",
    ),
    ("expect([1, 2, 3]).to.include.members([1, 4])", "expected [ 1, 2, 3 ] to be a superset of [ 1, 4 ]"),
    (
        "expect([1, 2, 3]).to.have.ordered.members([2, 1, 3])",
        "expected [ 1, 2, 3 ] to have the same ordered members as [ 2, 1, 3 ]",
    ),
    (
        "expect([1, 2, 3]).to.include.ordered.members([1, 3])",
        "expected [ 1, 2, 3 ] to be an ordered superset of [ 1, 3 ]",
    ),
    (
        "expect([{a: 1}]).to.have.members([{a: 1}])",
        "expected [ { a: 1 } ] to have the same members as [ { a: 1 } ]",
    ),
    ("expect([{a: 1}]).to.have.deep.members([{a: 1}])", PASS),
    (
        "expect([1, 2]).to.not.have.members([2, 1])",
        "expected [ 1, 2 ] to not have the same members as [ 2, 1 ]",
    ),
    ("expect('abc').to.have.members(['a'])", "expected 'abc' to be an array"),
    ("expect(5).to.be.oneOf([1, 2, 3])", "expected 5 to be one of [ 1, 2, 3 ]"),
    ("expect(2).to.be.oneOf([1, 2, 3])", PASS),
    ("expect(2).to.not.be.oneOf([1, 2, 3])", "expected 2 to not be one of [ 1, 2, 3 ]"),
    ("expect({a: 1}).to.be.deep.oneOf([{a: 2}])", "expected { a: 1 } to deeply equal one of [ { a: 2 } ]"),
    ("expect([1, 2]).to.contain.oneOf([3, 4])", "expected [ 1, 2 ] to contain one of [ 3, 4 ]"),

    # ok, true, false, null, undefined, NaN, exist, empty, finite, arguments
    ("expect(0).to.be.ok", "expected +0 to be truthy"),
    ("expect('x').to.not.be.ok", "expected 'x' to be falsy"),
    ("expect(1).to.be.true", "expected 1 to be true"),
    ("expect(true).to.not.be.true", "expected true to be false"),
    ("expect('false').to.be.false", "expected 'false' to be false"),
    ("expect(undefined).to.be.null", "expected undefined to be null"),
    ("expect(null).to.not.be.null", "expected null not to be null"),
    ("expect(null).to.be.undefined", "expected null to be undefined"),
    ("expect(undefined).to.not.be.undefined", "expected undefined not to be undefined"),
    ("expect(1).to.be.NaN", "expected 1 to be NaN"),
    ("expect(NaN).to.not.be.NaN", "expected NaN not to be NaN"),
    ("expect(undefined).to.exist", "expected undefined to exist"),
    ("expect(0).to.not.exist", "expected +0 to not exist"),
    ("expect(null).to.exist", "expected null to exist"),
    ("expect([1]).to.be.empty", "expected [ 1 ] to be empty"),
    ("expect('').to.not.be.empty", "expected '' not to be empty"),
    ("expect({a: 1}).to.be.empty", "expected { a: 1 } to be empty"),
    ("expect(new Set()).to.be.empty", PASS),
    ("expect(5).to.be.empty", ".empty was passed non-string primitive 5"),
    ("expect(function f() {}).to.be.empty", ".empty was passed a function f"),
    ("expect(Infinity).to.be.finite", "expected Infinity to be a finite number"),
    ("expect('1').to.be.finite", "expected '1' to be a finite number"),
    ("expect([]).to.be.arguments", "expected [] to be arguments but got Array"),

    # throw
    ("expect(function () {}).to.throw()", "expected [Function] to throw an error"),
    ("expect(function () { throw new Error('boom'); }).to.throw()", PASS),
    (
        "expect(function () { throw new TypeError('boom'); }).to.throw(RangeError)",
        "expected [Function] to throw 'RangeError' but 'TypeError: boom' was thrown",
    ),
    (
        "expect(function () { throw new Error('boom'); }).to.throw('bang')",
        "expected [Function] to throw error including 'bang' but got 'boom'",
    ),
    (
        "expect(function () { throw new Error('boom'); }).to.throw(/bang/)",
        "expected [Function] to throw error matching /bang/ but got 'boom'",
    ),
    (
        "expect(function () { throw new Error('boom'); }).to.not.throw()",
        "expected [Function] to not throw an error but 'Error: boom' was thrown",
    ),
    (
        "expect(function () { throw new TypeError('boom'); }).to.throw(TypeError, 'bang')",
        "expected [Function] to throw error including 'bang' but got 'boom'",
    ),
    ("expect(function () { throw new TypeError('boom'); }).to.throws(TypeError, /boo/)", PASS),
    ("expect(function named() {}).to.Throw(Error)", "expected [Function named] to throw Error"),
    ("const err = new Error('x'); expect(function () { throw err; }).to.throw(err)", PASS),
    (
        "expect(function () { throw new Error('x'); }).to.throw(new Error('x'))",
        "expected [Function] to throw 'Error: x' but 'Error: x' was thrown",
    ),
    (
        "expect(function () { throw 'str'; }).to.throw('nope')",
        "expected [Function] to throw error including 'nope' but got 'str'",
    ),
    ("expect(1).to.throw()", "expected 1 to be a function"),
    (
        "expect(function () { throw new Error('boom'); }).to.not.throw('boom')",
        "expected [Function] to throw error not including 'boom'",
    ),
    (
        "expect(function () { throw new Error('boom'); }).to.not.throw(Error)",
        "expected [Function] to not throw 'Error' but 'Error: boom' was thrown",
    ),
    ("expect(function () { throw new Error('boom'); }).to.not.throw(TypeError, 'boom')", PASS),
    (
        "expect(function () { throw new Error('boom'); }).to.not.throw(Error, 'boom')",
        "expected [Function] to not throw 'Error' but 'Error: boom' was thrown",
    ),
    (
        "expect(function () { throw new Error('boom'); }).to.throw(Error).with.property('message', "
        "'boom')",
        PASS,
    ),
    (
        "expect(() => { throw new Error('boom'); }).to.throw(Error, 'nope')",
        "expected [Function] to throw error including 'nope' but got 'boom'",
    ),
    (
        "const thrower = () => { throw new RangeError('out'); }; expect(thrower).to.throw(TypeError)",
        "expected [Function thrower] to throw 'TypeError' but 'RangeError: out' was thrown",
    ),

    # respondTo, satisfy, closeTo, change / increase / decrease, frozen / sealed / extensible
    ("expect({}).to.respondTo('foo')", "expected {} to respond to 'foo'"),
    ("expect([]).to.respondTo('push')", PASS),
    ("expect(Array).to.respondTo('push')", PASS),
    ("expect(Array).itself.to.respondTo('isArray')", PASS),
    ("expect(Array).itself.to.respondsTo('push')", "expected [Function Array] to respond to 'push'"),
    ("expect(1).to.satisfy(function (n) { return n > 1; })", "expected 1 to satisfy [Function]"),
    (
        "expect(2).to.not.satisfy(function isTwo(n) { return n === 2; })",
        "expected 2 to not satisfy[Function isTwo]",
    ),
    ("expect(1.5).to.be.closeTo(1, 0.1)", "expected 1.5 to be close to 1 +/- 0.1"),
    ("expect(1.05).to.be.approximately(1, 0.1)", PASS),
    (
        "expect(1).to.be.closeTo(1)",
        "the arguments to closeTo or approximately must be numbers, and a delta is required",
    ),
    ("expect('1').to.be.closeTo(1, 1)", "expected '1' to be a number"),
    ("const o = {v: 1}; expect(function () {}).to.change(o, 'v')", "expected .v to change"),
    (
        "const o = {v: 1}; expect(function () { o.v += 2; }).to.increase(o, 'v').by(3)",
        "expected .v to increase by 3",
    ),
    (
        "let n = 5; expect(function () { n++; }).to.decrease(function () { return n; })",
        "expected 5 to decrease",
    ),
    (
        "const o = {v: 1}; expect(function () { o.v--; }).to.not.decrease(o, 'v')",
        "expected .v to not decrease",
    ),
    ("const o = {v: 1}; expect(function () { o.v = 'x'; }).to.changes(o, 'v')", PASS),
    ("expect({}).to.be.frozen", "expected {} to be frozen"),
    ("expect(Object.freeze({})).to.not.be.sealed", "expected {} to not be sealed"),
    ("expect(Object.preventExtensions({})).to.be.extensible", "expected {} to be extensible"),
    ("expect(1).to.be.frozen", PASS),

    # chains and protection against unknown properties
    (
        "expect(1).to.be.been.is.that.which.and.has.have.with.at.of.same.but.does.still.also.equal(2)",
        "expected 1 to equal 2",
    ),
    ("expect(1).to.be.ture", 'Error: Invalid Chai property: ture. Did you mean "true"?'),
    (
        "expect(1).to.equal.foo",
        'Error: Invalid Chai property: equal.foo. See docs for proper usage of "equal".',
    ),
    (
        "expect([1]).to.include.length(1)",
        'Error: Invalid Chai property: include.length. Due to a compatibility issue, "length" cannot '
        'directly follow "include". Use "include.lengthOf" instead.',
    ),
    ("expect(1).to.xyzzyq", "Error: Invalid Chai property: xyzzyq"),

    # how values are shown in messages (chai's inspect / objDisplay, truncation at 40)
    ("expect({a: 1, b: 'x'}).to.equal(1)", "expected { a: 1, b: 'x' } to equal 1"),
    ("expect([]).to.eql({})", "expected [] to deeply equal {}"),
    ("expect({a: {b: {c: {d: 1}}}}).to.equal(1)", "expected { a: { b: { c: { d: 1 } } } } to equal 1"),
    (
        "expect({a: 1, b: 2, c: 3, d: 'hellohellohello', e: [1, 2, 3]}).to.eql(1)",
        "expected { a: 1, b: 2, c: 3, \u2026(2) } to deeply equal 1",
    ),
    (
        "expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]).to.eql(1)",
        "expected [ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, \u2026(6) ] to deeply equal 1",
    ),
    (
        "expect('a'.repeat(50)).to.equal('b')",
        "expected 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u2026' to equal 'b'",
    ),
    (
        "expect(function aVeryLongFunctionNameIsHereOkThen() {}).to.eql(1)",
        "expected [Function: aVeryLongFunctionNameIsHereOkThen] to deeply equal 1",
    ),
    ("expect(function foo() {}).to.equal(1)", "expected [Function foo] to equal 1"),
    ("expect(new Error('boom')).to.equal(1)", "expected Error: boom to equal 1"),
    ("expect(new TypeError('boom')).to.equal(1)", "expected TypeError: boom to equal 1"),
    ("expect(new Date(0)).to.equal(1)", "expected 1970-01-01T00:00:00.000Z to equal 1"),
    ("expect(new Date(NaN)).to.equal(1)", "expected Invalid Date to equal 1"),
    ("expect(/ab+c/gi).to.equal(1)", "expected /ab+c/gi to equal 1"),
    ("expect(Symbol('s')).to.equal(1)", "expected Symbol(s) to equal 1"),
    ("expect(10n).to.equal(1)", "expected 10n to equal 1"),
    ("expect(new Map([[1, 2], [3, 4]])).to.equal(1)", "expected Map{ 1 => 2, 3 => 4 } to equal 1"),
    ("expect(new Set([1, 'a'])).to.equal(1)", "expected Set{ 1, 'a' } to equal 1"),
    ("expect(new Uint8Array([1, 2])).to.equal(1)", "expected Uint8Array[ 1, 2 ] to equal 1"),
    ('expect({\'a-b\': 1, "it\'s": 2}).to.equal(1)', r"expected { 'a-b': 1, 'it\'s': 2 } to equal 1"),
    (r"expect('it\'s\n').to.equal(1)", r"expected 'it\'s\n' to equal 1"),
    (
        "expect(new (class Foo { constructor() { this.a = 1; } })()).to.equal(1)",
        "expected Foo{ a: 1 } to equal 1",
    ),
    ("expect(Object.create(null)).to.equal(1)", "expected {} to equal 1"),
    ("expect([undefined, null, true]).to.equal(1)", "expected [ undefined, null, true ] to equal 1"),
    (
        "expect({averyveryverylongkeynamethatexceedsforty: 1, b: 2, c: 3}).to.equal(1)",
        "expected { \u2026(3) } to equal 1",
    ),
    (
        "expect(['averyveryverylongstringthatexceedsfortycharacters', 1]).to.equal(1)",
        "expected [ \u2026(2) ] to equal 1",
    ),
    ("const o = {a: 1}; o.self = o; expect(o).to.equal(1)", "expected { a: 1, self: [Circular] } to equal 1"),
    ("expect({inspect: function () { return 'custom!'; }}).to.equal(1)", "expected custom! to equal 1"),
    ("expect(Infinity).to.equal(-Infinity)", "expected Infinity to equal -Infinity"),
    ("expect([0, -0]).to.equal(1)", "expected [ +0, -0 ] to equal 1"),
    (
        "expect((function () { return arguments; })(1, 2)).to.equal(1)",
        "expected Arguments[ 1, 2 ] to equal 1",
    ),
    (
        "expect({nested: {list: [1, 2, {deep: 'value'}], other: 'text'}}).to.equal(1)",
        "expected { nested: { \u2026(2) } } to equal 1",
    ),
    (
        "expect([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]).to.equal(1)",
        "expected [ [ 1, 2 ], [ 3, 4 ], [ 5, 6 ], \u2026(2) ] to equal 1",
    ),

    # AssertionError fields, expect.fail
    (
        "try { expect(1).to.equal(2); } catch (e) { throw new Error([e.name, e.message, e.actual, "
        "e.expected, e.showDiff, e instanceof Error, e instanceof chai.AssertionError, e.operator, "
        "String(e)].join('|')); }",
        "Error: AssertionError|expected 1 to equal 2|1|2|true|true|true|strictEqual|AssertionError: "
        "expected 1 to equal 2",
    ),
    (
        "try { expect({a: 1}).to.be.empty; } catch (e) { throw new Error([e.showDiff, "
        "JSON.stringify(e.actual), e.expected, e.operator].join('|')); }",
        'Error: false|{"a":1}||strictEqual',
    ),
    (
        "try { expect([1, 2]).to.have.members([2]); } catch (e) { throw new Error([e.showDiff, "
        "JSON.stringify(e.actual), JSON.stringify(e.expected)].join('|')); }",
        "Error: true|[1,2]|[2]",
    ),
    ("expect.fail('boom')", "boom"),
    ("expect.fail(1, 2, 'failed with values')", "failed with values"),

    # plugin API, config and util
    (
        "chai.Assertion.addProperty('teapot', function () { this.assert(this._obj === 418, 'expected "
        "#{this} to be a teapot', 'expected #{this} not to be a teapot'); }); expect(200).to.be.teapot",
        "expected 200 to be a teapot",
    ),
    (
        "chai.Assertion.addProperty('teapot2', function () { this.assert(this._obj === 418, 'expected "
        "#{this} to be a teapot', 'expected #{this} not to be a teapot'); }); "
        "expect(418).not.to.be.teapot2",
        "expected 418 not to be a teapot",
    ),
    (
        "chai.Assertion.addMethod('statusCode', function (code) { const actual = this._obj.code; "
        "this.assert(actual === code, 'expected #{this} to have status #{exp} but got #{act}', 'expected "
        "#{this} to not have status #{exp}', code, actual); }); expect({code: "
        "404}).to.have.statusCode(200)",
        "expected { code: 404 } to have status 200 but got 404",
    ),
    (
        "chai.Assertion.addMethod('statusCode2', function (code) { this.assert(this._obj.code === code, "
        "'expected #{this} to have status #{exp}', 'expected #{this} to not have status #{exp}', code); "
        "}); expect({code: 200}).to.not.have.statusCode2(200)",
        "expected { code: 200 } to not have status 200",
    ),
    (
        "chai.Assertion.addChainableMethod('jsonBody', function (v) { new chai.Assertion(this._obj.body, "
        "chai.util.flag(this, 'message')).to.eql(v); }, function () { chai.util.flag(this, 'isJson', "
        "true); }); expect({body: {a: 1}}, 'body check').to.have.jsonBody({a: 2})",
        "body check: expected { a: 1 } to deeply equal { a: 2 }",
    ),
    (
        "chai.Assertion.addChainableMethod('jsonBody2', function (v) {}, function () { "
        "chai.util.flag(this, 'isJson', true); }); expect({body: "
        "1}).to.be.jsonBody2.and.have.property('body', 2)",
        "expected { body: 1 } to have property 'body' of 2, but got 1",
    ),
    (
        "chai.Assertion.addProperty('strictly', function () { chai.util.flag(this, 'strict', true); }); "
        "chai.Assertion.addMethod('five', function () { this.assert(chai.util.flag(this, 'strict') === "
        "true && this._obj === 5, 'expected #{this} to strictly be five', 'nope'); }); "
        "expect(4).to.strictly.be.five()",
        "expected 4 to strictly be five",
    ),
    (
        "chai.Assertion.addMethod('returnsValue', function () { return 'custom return'; }); if "
        "(expect(1).to.returnsValue() !== 'custom return') throw new Error('bad return');",
        PASS,
    ),
    (
        "chai.Assertion.overwriteMethod('above', function (_super) { return function (n) { if "
        "(chai.util.flag(this, 'object') === 'special') { this.assert(false, 'special #{this}', 'not "
        "special'); } else { _super.apply(this, arguments); } }; }); try { expect(1).to.be.above(2); } "
        "finally { chai.Assertion.overwriteMethod('above', function (_super) { return _super; }); }",
        "expected 1 to be above 2",
    ),
    (
        "chai.Assertion.addProperty('plugged', function () { this._obj = this._obj * 2; }); "
        "expect(2).to.be.plugged.and.equal(5)",
        "expected 4 to equal 5",
    ),
    (
        "chai.config.truncateThreshold = 0; try { expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, "
        "15, 16, 17]).to.equal(1); } finally { chai.config.truncateThreshold = 40; }",
        "expected [ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 ] to equal 1",
    ),
    (
        'if (chai.util.inspect({a: [1, \'x\']}) !== "{ a: [ 1, \'x\' ] }") throw new '
        "Error(chai.util.inspect({a: [1, 'x']}));",
        PASS,
    ),
    (
        "if (chai.util.type(null) !== 'null' || chai.util.type([]) !== 'Array' || chai.util.type(/x/) !== "
        "'RegExp') throw new Error('type');",
        PASS,
    ),
    (
        "if (!chai.util.eql({a: [1, {b: 2}]}, {a: [1, {b: 2}]}) || chai.util.eql({a: 1}, {a: '1'})) throw "
        "new Error('eql');",
        PASS,
    ),
]


@pytest.mark.parametrize(("src", "expected"), CASES, ids=[src[:60] for src, _ in CASES])
def test_matches_chai(src: str, expected: str) -> None:
    assert run(src) == expected


def test_require_chai_is_the_packed_chai() -> None:
    ctx = load_chai()
    assert ctx.eval("require('chai') === __chai")
    exported = set(json.loads(ctx.eval("JSON.stringify(Object.keys(__chai))")))
    assert {"expect", "Assertion", "AssertionError", "util", "use", "assert", "should"} <= exported


def test_assertion_error() -> None:
    ctx = load_chai()
    ctx.eval("var err; try { __chai.expect({a: 1}).to.eql({a: 2}); } catch (e) { err = e; }")
    assert ctx.eval("err.name") == "AssertionError"
    assert ctx.eval("err.message") == "expected { a: 1 } to deeply equal { a: 2 }"
    assert ctx.eval("err instanceof Error && err instanceof __chai.AssertionError")
    assert ctx.eval("JSON.stringify([err.actual, err.expected, err.showDiff])") == '[{"a":1},{"a":2},true]'
    assert ctx.eval("String(err)") == "AssertionError: expected { a: 1 } to deeply equal { a: 2 }"
    assert ctx.eval("typeof err.stack") == "string"


def test_chains_return_assertions() -> None:
    ctx = load_chai()
    assert ctx.eval("__chai.expect(1).to.equal(1) instanceof __chai.Assertion")
    assert ctx.eval("__chai.expect([1, 2]).to.have.length(2).and.include(2)._obj.length") == 2
    assert ctx.eval("__chai.expect({a: {b: 3}}).to.have.property('a').that.has.property('b')._obj") == 3


def test_inspect_and_obj_display() -> None:
    ctx = load_chai()
    shown = ctx.eval("__chai.inspect({a: 1, b: 'x', c: [1, 2], d: {}})")
    assert shown == "{ a: 1, b: 'x', c: [ 1, 2 ], d: {} }"
    assert ctx.eval("__chai.inspect('a'.repeat(60))") == "'" + "a" * 37 + "…'"
    assert ctx.eval("__chai.util.objDisplay(function longNamedFunctionAbcdefghijklmnopq() {})") == (
        "[Function: longNamedFunctionAbcdefghijklmnopq]"
    )


# ---------------------------------------------------------------------------------------------------
# Differential check against real chai in node


def _reference_chai() -> Path:
    """Directory holding node_modules/chai at REFERENCE_CHAI, installing it on first use."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not available")
    if not (REFERENCE_DIR / "node_modules" / "chai" / "package.json").exists():
        REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
        cmd = ["npm", "install", "--prefix", str(REFERENCE_DIR), "--no-audit", "--no-fund", "--silent",
               f"chai@{REFERENCE_CHAI}"]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"could not install chai@{REFERENCE_CHAI}: {exc}")
    return REFERENCE_DIR


def run_in_node(sources: list[str], tmp_path: Path) -> list[str]:
    script = tmp_path / "run_chai.js"
    script.write_text(
        RUN_CASE_JS
        + "const chai = require(process.argv[2] + '/node_modules/chai');\n"
        + "const sources = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        + "process.stdout.write(JSON.stringify(sources.map((src) => runCase(chai, src))));\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["node", str(script), str(_reference_chai())],
        input=json.dumps(sources), capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(done.stdout)


def generated_values(count: int, seed: int = 4) -> list[str]:
    """JS source of varied nested values, to exercise inspect's truncation rules."""
    rng = random.Random(seed)
    leaves = ["0", "-0", "1.5", "123456789", "NaN", "null", "undefined", "true", "10n", "'x'", "''",
              "'it\\'s'", "'" + "long text " * 5 + "'", "new Date(86400000)", "/a[b]/g",
              "function named() {}", "() => 1", "Symbol('s')", "new Error('e')"]

    def value(depth: int) -> str:
        roll = rng.random()
        if depth > 3 or roll < 0.35:
            return rng.choice(leaves)
        size = rng.choice([0, 1, 2, 3, 5, 9, 14])
        if roll < 0.6:
            return "[" + ", ".join(value(depth + 1) for _ in range(size)) + "]"
        if roll < 0.9:
            keys = ["a", "b_c", "long_key_name_here", "'x-y'", "'1'", "'with space'"]
            return "{" + ", ".join(f"{rng.choice(keys)}{i}: {value(depth + 1)}" for i in range(size)) + "}"
        if roll < 0.95:
            pairs = (f"[{value(depth + 1)}, {value(depth + 1)}]" for _ in range(size))
            return "new Map([" + ", ".join(pairs) + "])"
        return "new Set([" + ", ".join(value(depth + 1) for _ in range(size)) + "])"

    return [value(0) for _ in range(count)]


@pytest.mark.newman
def test_same_outcomes_as_node_chai(tmp_path: Path) -> None:
    table = [src for src, _ in CASES]
    values = generated_values(200)
    generated = [f"expect({v}).to.equal(1)" for v in values]
    generated += [f"expect({v}).to.deep.include({v})" for v in values[:50]]
    generated += [f"throw new Error(chai.util.inspect({v}))" for v in values]
    sources = table + generated
    ours = run_cases(table, fresh=False) + run_cases(generated, fresh=False)  # generated cases have no side effects
    theirs = run_in_node(sources, tmp_path)
    differences = [(src, t, o) for src, t, o in zip(sources, theirs, ours, strict=True) if t != o]
    assert differences == []
    assert [expected for _, expected in CASES] == theirs[: len(CASES)]

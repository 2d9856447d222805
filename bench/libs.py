"""What each sandbox library costs the first time a script loads it, and what a typical use costs after.

    python bench/libs.py            # a Markdown table (median of 5 fresh contexts per library)

Each row: a fresh context (the pack's texts handed over, nothing evaluated), then the first `require`
(parse and evaluate the library and what it requires), then one typical call. Compare rows with
each other; absolute times depend on the machine and its load.
"""

from __future__ import annotations

import statistics
import time

from runner.sandbox import modules
from runner.sandbox.runtime import library_context

CASES = [
    ("lodash", "require('lodash')", "require('lodash').get({a: {b: 1}}, 'a.b')"),
    ("lodash 3 (`_`)", "_", "_.pluck([{a: 1}], 'a')"),
    ("moment", "require('moment')", "require('moment').utc(0).format('YYYY-MM-DD')"),
    ("chai", "require('chai')", "require('chai').expect({a: 1}).to.deep.equal({a: 1})"),
    ("crypto-js", "CryptoJS", "CryptoJS.HmacSHA256('msg', 'key').toString()"),
    ("ajv", "require('ajv')", "new (require('ajv'))({logger: false}).validate({type: 'object'}, {})"),
    ("tv4", "tv4", "tv4.validate({}, {type: 'object'})"),
    ("xml2js (`xml2Json`)", "xml2Json", "xml2Json('<a><b>1</b></a>')"),
    ("cheerio", "cheerio", "cheerio.load('<p>hi</p>')('p').text()"),
    ("csv-parse/lib/sync", "require('csv-parse/lib/sync')", "require('csv-parse/lib/sync')('a,b\\n1,2')"),
    ("postman-collection", "require('postman-collection')",
     "new (require('postman-collection').Url)('http://a/b?c=1').getQueryString()"),
    ("backbone", "Backbone", "new Backbone.Model({a: 1}).get('a')"),
    ("buffer (`Buffer`)", "Buffer", "Buffer.from('hi').toString('base64')"),
    ("assert", "require('assert')", "require('assert').deepStrictEqual({a: 1}, {a: 1})"),
    ("url", "require('url')", "require('url').parse('http://a/b?c=1').query"),
    ("Sugar (prototypes)", "'x'.has", "'abc'.has('b')"),
]


def measure(load: str, use: str, rounds: int = 5) -> tuple[float, float, int]:
    first, then = [], []
    files = 0
    for _ in range(rounds):
        ctx = library_context()
        t0 = time.perf_counter()
        ctx.eval(f"void ({load})")
        t1 = time.perf_counter()
        ctx.eval(f"void ({use})")
        t2 = time.perf_counter()
        first.append(t1 - t0)
        then.append(t2 - t1)
        files = ctx.eval("Object.keys(__postrunModules).length")  # keep ctx alive until here
    return statistics.median(first) * 1000, statistics.median(then) * 1000, files


def main() -> None:
    index = modules.index()
    print("| library | first load | one use after | source parsed |")
    print("|---|---|---|---|")
    for name, load, use in CASES:
        loaded, used, _ = measure(load, use)
        entry = {"lodash 3 (`_`)": "lodash3", "Sugar (prototypes)": "sugar", "xml2js (`xml2Json`)": "xml2js",
                 "buffer (`Buffer`)": "buffer"}.get(name, name.split(" ")[0])
        path = index["entries"].get(entry) or index["entries"].get(entry.lower())
        size = sum(index["modules"][p]["at"][1] for p in modules.closure([path])) if path else 0
        print(f"| {name} | {loaded:.1f} ms | {used:.2f} ms | {size / 1024:.0f} KiB |")


if __name__ == "__main__":
    main()

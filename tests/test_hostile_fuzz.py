"""A seeded mutator over every input kind: no traceback, no hang, and every exit-2 message names the place.

Collections (v2.1 and v1), environments, globals, data (JSON and CSV) and shard result files are
mutated (values replaced by hostile ones, types swapped, keys dropped, deep nesting, huge numbers,
lone surrogates, truncation, stray bytes) and run against a loopback server. CI runs a few seconds;
POSTRUN_FUZZ_SECONDS=60 (and POSTRUN_FUZZ_SEED) runs longer locally. A failure prints the case's seed
and keeps its files, so it can be replayed and turned into a test in test_hostile_input.py.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import time
import traceback
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import collection, item, write_json

from runner.cli import main

SECONDS = float(os.environ.get("POSTRUN_FUZZ_SECONDS", "4"))
SEED = int(os.environ.get("POSTRUN_FUZZ_SEED", "20261202"))
LOCATED = re.compile(r"error: .+?: (/[^:]*|line \d+(, column \d+)?): .+")
BOUNDS = ["--timeout", "4000", "--timeout-request", "1000", "--timeout-script", "1000"]

HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    1e308,
    2**70,
    "",
    "\0",
    "José",
    "ÜBER",
    "🔑",
    "{{a}}",
    "{{a}}{{a}}",
    "{{$guid}}",
    "x" * 20_000,
    "http://[[:]/x",
    "http://ho\tst/",
    "]",
    "\r\nX-Injected: 1",
    "../../etc/passwd",
    [],
    {},
    [1, "a", None],
    {"a": {"b": []}},
    {"type": "secret"},
    {"key": 5, "value": [1]},
]


def base_collection(url: str) -> dict[str, Any]:
    test = ["pm.test('ok', () => pm.response.to.have.status(200)); pm.environment.set('t', pm.response.text());"]
    return collection(
        [
            item("get", url + "/get?q={{q}}", test=test, header=[{"key": "X-A", "value": "{{a}}"}]),
            {
                "name": "folder",
                "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{tok}}"}]},
                "item": [
                    item(
                        "post",
                        url + "/post",
                        method="POST",
                        body={"mode": "raw", "raw": "{{a}}", "options": {"raw": {"language": "json"}}},
                    ),
                    item(
                        "form",
                        url + "/post",
                        method="POST",
                        body={"mode": "urlencoded", "urlencoded": [{"key": "k", "value": "{{a}}"}]},
                    ),
                    {
                        **item(
                            "gql",
                            url + "/post",
                            method="POST",
                            body={"mode": "graphql", "graphql": {"query": "{a}", "variables": "{}"}},
                        ),
                        "protocolProfileBehavior": {"disableBodyPruning": True, "disabledSystemHeaders": {}},
                    },
                ],
            },
            {
                "name": "url object",
                "request": {
                    "method": "GET",
                    "url": {
                        "raw": url + "/get/:id",
                        "protocol": "http",
                        "host": ["127", "0", "0", "1"],
                        "path": ["get", ":id"],
                        "variable": [{"key": "id", "value": "{{a}}"}],
                        "query": [{"key": "x", "value": "1"}],
                    },
                },
                "response": [{"name": "ex", "code": 200, "status": "OK", "body": "{}"}],
            },
        ],
        variable=[{"key": "a", "value": "alpha"}, {"key": "s", "value": "sec-ret", "type": "secret"}],
        auth={"type": "basic", "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "pw-1"}]},
        event=[{"listen": "prerequest", "script": {"exec": ["pm.variables.set('q', 'v')"]}}],
    )


def v1_collection(url: str) -> dict[str, Any]:
    return {
        "id": "c1",
        "name": "v1",
        "order": ["r1"],
        "folders_order": ["f1"],
        "folders": [{"id": "f1", "name": "F", "order": ["r2"], "folders_order": []}],
        "requests": [
            {
                "id": "r1",
                "name": "r1",
                "url": url + "/get",
                "method": "GET",
                "headers": "X-A: 1\n",
                "tests": "tests['ok'] = responseCode.code === 200;",
            },
            {
                "id": "r2",
                "name": "r2",
                "url": url + "/post",
                "method": "POST",
                "dataMode": "params",
                "data": [{"key": "a", "value": "b", "type": "text"}],
                "currentHelper": "basicAuth",
                "helperAttributes": {"username": "u", "password": "p"},
            },
        ],
    }


def mutate_tree(rng: random.Random, doc: Any, rounds: int) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rounds):
        nodes: list[tuple[Any, Any]] = []  # (container, key)
        stack = [doc]
        while stack:
            node = stack.pop()
            pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
            for key, child in pairs:
                nodes.append((node, key))
                if isinstance(child, (dict, list)):
                    stack.append(child)
        if not nodes:
            return rng.choice(HOSTILE)
        container, key = rng.choice(nodes)
        op = rng.random()
        if op < 0.55:
            container[key] = copy.deepcopy(rng.choice(HOSTILE))
        elif op < 0.7 and isinstance(container, dict):
            del container[key]
        elif op < 0.8:
            nested: Any = container[key]
            for _ in range(rng.choice([40, 300, 995, 1200])):
                nested = [nested]
            container[key] = nested
        elif op < 0.9 and isinstance(container[key], str):
            text = container[key]
            cut = rng.randrange(len(text) + 1)
            container[key] = text[:cut] + rng.choice(["\ud800", "\0", "🔑", "{{", "}}", "\n", "é"]) + text[cut:]
        else:
            container[key] = {"value": container[key]} if rng.random() < 0.5 else [container[key]]
    return doc


def mutate_text(rng: random.Random, text: str) -> str:
    op = rng.random()
    if op < 0.3:
        return text[: rng.randrange(len(text) + 1)]
    if op < 0.5:
        digits = list(re.finditer(r"(?<![\w.\"])\d+(?![\w.\"])", text))
        if digits:
            m = rng.choice(digits)
            return text[: m.start()] + "9" * rng.choice([400, 4400, 6000]) + text[m.end() :]
    if op < 0.65:
        return "\ufeff" + text
    if op < 0.8:
        at = rng.randrange(len(text) + 1)
        return (
            text[:at] + rng.choice(['"\\ud800"', "NaN", "\\u0000", "[" * 3000, "\x00", '"\\udfff\\ud800"']) + text[at:]
        )
    return text.replace('"', "'", 1)


def run_case(source: Path, args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        frames = traceback.extract_tb(result.exception.__traceback__)
        where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.line}" for f in frames if "runner" in f.filename)
        raise AssertionError(
            f"traceback {result.exception!r} at {where[-600:]}\ninput: {source.read_text(errors='replace')[:3000]}"
        ) from result.exception
    return result.exit_code, result.output


@pytest.fixture
def seeds(tmp_path: Path, server: Any) -> dict[str, Any]:
    env = {"name": "env", "values": [{"key": "tok", "value": "tok-123", "type": "secret"}, {"key": "q", "value": "1"}]}
    shard = tmp_path / "shard.json"
    coll = write_json(tmp_path / "seed.json", base_collection(server.url))
    CliRunner().invoke(main, ["run", str(coll), "-r", "json", "--reporter-json-export", str(shard)])
    return {
        "collection": base_collection(server.url),
        "v1": v1_collection(server.url),
        "environment": env,
        "globals": {"name": "g", "values": [{"key": "a", "value": "g"}], "_postman_variable_scope": "globals"},
        "data": [{"a": "1", "q": "x"}, {"a": 2}],
        "csv": 'a,q\n1,"x"\n"2",y\n',
        "shard": json.loads(shard.read_text()),
    }


def test_mutated_inputs_never_end_in_a_traceback_or_an_unlocated_error(tmp_path, server, seeds):
    rng = random.Random(SEED)
    deadline = time.monotonic() + SECONDS
    ok_coll = write_json(tmp_path / "ok.json", seeds["collection"])
    kinds = ["collection", "v1", "environment", "globals", "data", "csv", "shard"]
    cases = 0
    while time.monotonic() < deadline or cases < len(kinds):
        case_seed = rng.randrange(2**32)
        case = random.Random(case_seed)
        kind = kinds[cases % len(kinds)]
        folder = tmp_path / f"case-{cases}"
        folder.mkdir()
        if kind == "csv":
            path = folder / "data.csv"
            path.write_text(mutate_text(case, seeds["csv"]), encoding="utf-8", errors="surrogatepass")
        else:
            doc = mutate_tree(case, seeds[kind], case.randint(1, 4))
            text = json.dumps(doc, ensure_ascii=case.random() < 0.5)
            if case.random() < 0.3:
                text = mutate_text(case, text)
            path = folder / f"{kind}.json"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        target = {
            "collection": ["run", str(path)],
            "v1": ["run", str(path)],
            "environment": ["run", str(ok_coll), "-e", str(path)],
            "globals": ["run", str(ok_coll), "-g", str(path)],
            "data": ["run", str(ok_coll), "-d", str(path)],
            "csv": ["run", str(ok_coll), "-d", str(path)],
            "shard": ["merge", str(path)],
        }[kind]
        reports = [
            "-r",
            "cli,json,junit",
            "--reporter-json-export",
            str(folder / "r.json"),
            "--reporter-junit-export",
            str(folder / "r.xml"),
        ]
        if kind != "shard":
            reports += [
                *BOUNDS,
                "--export-environment",
                str(folder / "e.json"),
                "--export-collection",
                str(folder / "c.json"),
            ]
        started = time.monotonic()
        try:
            code, output = run_case(path, target + reports)
        except AssertionError as exc:
            raise AssertionError(f"case {cases} (seed {case_seed}, {kind}, file {path}): {exc}") from exc
        took = time.monotonic() - started
        assert took < 20, f"case {cases} (seed {case_seed}, {kind}) took {took:.1f} s"
        assert code in (0, 1, 2), f"case {cases} (seed {case_seed}): exit {code}\n{output[-2000:]}"
        source = path.read_text(errors="replace")[:3000]
        detail = f"case {cases} (seed {case_seed}, {kind}): {output[-3000:]}\ninput: {source}"
        assert "could not build this request" not in output, detail
        if code == 2:
            line = next((ln for ln in output.splitlines() if ln.startswith("error: ")), output)
            assert LOCATED.fullmatch(line), f"case {cases} (seed {case_seed}, {kind}) unlocated: {line[:500]}"
        cases += 1
    assert cases >= len(kinds)

"""pm.request, pm.response, pm.cookies and the variable scopes, probe by probe, under Newman 6.2 and postrun.

Postman's sandbox hands scripts the postman-collection SDK's own objects (Request, Response, Url,
HeaderList, PropertyList, VariableScope, CookieList); postrun must behave as they do. One collection
(tests/sdk_probes.py) evaluates a few hundred expressions in pre-request and test scripts, each
recorded as a test name ``#<n> => <type> <JSON>`` (or what it threw); it is run once by each runner
against one loopback server, and every probe's value, every console.log and every request the server
received are compared.

KNOWN is the exact set of probes that differ today, with what differs: a probe that starts to agree
fails the test as surely as a new difference does, so KNOWN always says where postrun stands. Set
``POSTRUN_SDK_DIFFS=path`` to have the run write the differences (both values) there as Markdown.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, ChosenServer, Seen, serving, write_json
from tests.sdk_probes import (
    ANSWERS,
    all_items,
    collection_doc,
    data_text,
    environment_doc,
    globals_doc,
    probes,
)

pytestmark = pytest.mark.newman

ITEMS = all_items()
PROBES = probes(ITEMS)
_NAME = re.compile(r"#(\d+) => (.*)", re.S)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_BOUNDARY = re.compile(r"-{26}\d{24}")
_SENT_IGNORED = {"user-agent", "postman-token"}
_MISSING = "<not recorded>"


@dataclass
class Run:
    """What one runner did: each probe's value by number (console probes too), the other console lines
    of each item (deprecation warnings...), and the requests the server received, in order."""

    values: dict[int, str]
    other: dict[str, str]
    sent: list[Seen]
    output: str


# The User-Agent each runner sends is its own, on purpose (the wire tests ignore it too).
_AGENT = re.compile(r"PostmanRuntime/[\d.]+|postrun/[\w.+-]+")


# V8 and QuickJS word their own TypeErrors differently; which engine threw is not what is compared.
_ENGINE = [
    (
        re.compile(r"Cannot read properties of (undefined|null) \(reading '([^']*)'\)"),
        r"cannot read property '\2' of \1",
    ),
    (re.compile(r"TypeError: [\w.$\[\]'()]+ is not a function"), "TypeError: not a function"),
]


def _normal(text: str) -> str:
    text = _AGENT.sub("<user-agent>", _BOUNDARY.sub("<boundary>", _UUID.sub("<uuid>", text)))
    for rx, to in _ENGINE:
        text = rx.sub(to, text)
    return text


def _values(report: dict) -> dict[int, str]:
    out: dict[int, str] = {}
    for ex in report["run"]["executions"]:
        for a in ex.get("assertions", []):
            m = _NAME.match(a["assertion"])
            if m:
                out[int(m.group(1))] = _normal(m.group(2))
    return out


def _console(output: str) -> tuple[dict[int, str], dict[str, str]]:
    """console.log lines of the cli reporter: cut at the ``@@probe <n>`` markers the console probes
    log, and the rest by item (the ``→ name`` line the reporter starts each item with)."""
    out: dict[int, str] = {}
    other: dict[str, str] = {}
    current: int | None = None
    item = ""
    for line in output.splitlines():
        text = line.strip()
        if text.startswith("→ "):
            item = text[2:].strip()
        if text.startswith("└"):
            current = None
        if not text.startswith("│"):
            continue
        text = text[1:].strip()
        m = re.fullmatch(r"'@@probe (\d+)'|@@probe (\d+)", text)
        if m:
            current = int(m.group(1) or m.group(2))
            out[current] = ""
        elif current is not None:
            out[current] = f"{out[current]} {text}"
        else:
            other[item] = f"{other.get(item, '')} {text}"
    # Newman's cli reporter wraps long lines at its own width, even inside a word: compare without
    # whitespace, since where a line breaks is the reporter's business, not the logged value's
    return {n: _squeezed(v) for n, v in out.items()}, {k: _squeezed(v) for k, v in other.items()}


def _squeezed(text: str) -> str:
    return _normal("".join(text.split()))


def _run(cmd: list[str], tmp: Path, server: ChosenServer, report: Path, env: dict[str, str]) -> Run:
    server.seen.clear()
    flags = ["-r", "cli,json", "--reporter-json-export", str(report), "--color", "off"]
    flags += ["--reporter-cli-no-summary", "--reporter-cli-no-banner"]
    proc = subprocess.Popen([*cmd, *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp, env=env)
    try:
        stdout, stderr = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        sockets = subprocess.run(["ss", "-tnp"], capture_output=True, text=True).stdout
        mine = [line for line in sockets.splitlines() if f"pid={proc.pid}," in line]
        proc.kill()
        stdout, _ = proc.communicate()
        tail = stdout.decode("utf-8", "replace")[-1500:]
        pytest.fail(
            f"{cmd[0]} did not finish the probe collection in 90 s (report written: {report.exists()};"
            f" its sockets: {mine}); its output ended:\n{tail}"
        )
    output = stdout.decode("utf-8", "replace") + stderr.decode("utf-8", "replace")
    values = _values(json.loads(report.read_text())) if report.exists() else {}
    logged, other = _console(output)
    values.update(logged)
    return Run(values, other, list(server.seen), output)


@pytest.fixture(scope="module")
def runs(newman: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    tmp = tmp_path_factory.mktemp("sdk-parity")
    with serving(ChosenServer(ANSWERS)) as server:
        args = [
            str(write_json(tmp / "probes.postman_collection.json", collection_doc(ITEMS))),
            "-e",
            str(write_json(tmp / "env.json", environment_doc(server.url, server.server_address[1]))),
            "-g",
            str(write_json(tmp / "globals.json", globals_doc())),
            "-d",
            str(tmp / "data.json"),
        ]
        (tmp / "data.json").write_text(data_text(), encoding="utf-8")
        (tmp / "upload.txt").write_text("file body\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        yield {
            "newman": _run([newman, "run", *args], tmp, server, tmp / "newman.json", env),
            "postrun": _run([sys.executable, "-m", "runner", "run", *args], tmp, server, tmp / "postrun.json", env),
        }


def _sent(seen: Seen) -> str:
    # in the order sent, but Host: postrun sends it first on purpose (README, "Where postrun differs")
    headers = [(k, _normal(v)) for k, v in seen.headers if k.lower() not in _SENT_IGNORED]
    headers = sorted(headers, key=lambda kv: kv[0].lower() != "host")
    body = _normal(seen.body.decode("utf-8", "replace"))
    return json.dumps({"method": seen.method, "target": seen.target, "headers": headers, "body": body})


def differences(runs: dict[str, Run]) -> dict[str, tuple[str, str]]:
    """Every probe (and every item's sent request) whose value differs: key -> (newman, postrun)."""
    out: dict[str, tuple[str, str]] = {}
    n, p = runs["newman"], runs["postrun"]
    for i, probe in enumerate(PROBES):
        a, b = n.values.get(i, _MISSING), p.values.get(i, _MISSING)
        if a != b:
            out[probe.key] = (a, b)
    for i, it in enumerate(ITEMS):
        a = _sent(n.sent[i]) if i < len(n.sent) else _MISSING
        b = _sent(p.sent[i]) if i < len(p.sent) else _MISSING
        if a != b:
            out[f"{it.name} sent"] = (a, b)
        a, b = n.other.get(it.name, ""), p.other.get(it.name, "")
        if a != b:
            out[f"{it.name} console-other"] = (a, b)
    return out


# ------------------------------------------------------------------ what differs today, by cause
KNOWN_FILE = Path(__file__).with_name("sdk_parity_known.txt")


def load_known(path: Path) -> dict[str, str]:
    """KNOWN: probe key -> its cause, from the file's ``## NAME: text`` headings and the keys below them."""
    known: dict[str, str] = {}
    cause = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            cause = line[3:]
        elif line.strip() and not line.startswith("#"):
            known[line] = cause
    return known


KNOWN = load_known(KNOWN_FILE)


def write_diffs(path: Path, diffs: dict[str, tuple[str, str]]) -> None:
    """Every difference with both values, grouped by KNOWN's causes (new ones first), as Markdown."""
    compared = len(PROBES) + 2 * len(ITEMS)
    lines = [f"# SDK parity: {len(diffs)} of {compared} probes differ from Newman 6.2", ""]
    groups: dict[str, list[str]] = {}
    for key in diffs:
        groups.setdefault(KNOWN.get(key, "NEW: not in tests/sdk_parity_known.txt"), []).append(key)
    for cause in sorted(
        groups, key=lambda c: (not c.startswith("NEW"), list(KNOWN.values()).index(c) if c in KNOWN.values() else 0)
    ):
        lines += [f"## {cause} ({len(groups[cause])})", ""]
        for key in groups[cause]:
            a, b = diffs[key]
            lines += [f"- `{key}`", f"  - newman:  `{a[:300]}`", f"  - postrun: `{b[:300]}`"]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _group(key: str) -> str:
    return key.split(" ", 1)[0]


GROUPS = sorted({p.item for p in PROBES})


def test_newman_recorded_every_probe(runs):
    """The yardstick itself: Newman evaluated every probe and received every request (no script died)."""
    missing = [p.key for i, p in enumerate(PROBES) if i not in runs["newman"].values]
    assert not missing, f"Newman recorded no value for {len(missing)} probes: {missing[:10]}"
    assert len(runs["newman"].sent) == len(ITEMS), [s.target for s in runs["newman"].sent]
    target = os.environ.get("POSTRUN_SDK_DIFFS")
    if target:
        write_diffs(Path(target), differences(runs))


@pytest.mark.parametrize("group", GROUPS)
def test_probes_agree_with_newman_but_known(runs, group):
    diffs = {k: v for k, v in differences(runs).items() if _group(k) == group}
    known = {k for k in KNOWN if _group(k) == group}
    new = {k: v for k, v in diffs.items() if k not in known}
    fixed = sorted(known - diffs.keys())
    report = [f"{k}\n    newman:  {a}\n    postrun: {b}" for k, (a, b) in new.items()]
    assert not new and not fixed, (
        f"{len(new)} new differences:\n" + "\n".join(report) + f"\n{len(fixed)} KNOWN now agree (remove them): {fixed}"
    )


def test_known_names_only_real_probes():
    keys = {p.key for p in PROBES} | {f"{it.name} {kind}" for it in ITEMS for kind in ("sent", "console-other")}
    assert not set(KNOWN) - keys, sorted(set(KNOWN) - keys)


def test_probes_are_many_and_named_once():
    assert len(PROBES) >= 150
    assert len({p.key for p in PROBES}) == len(PROBES), "two probes share a key"

"""The public corpus (``../shared/corpus``) under Newman and under postrun, both sending everything to
one loopback recording proxy (``HTTP_PROXY``/``HTTPS_PROXY``, https decrypted with a test CA that
both runners trust): the requests must be equal byte for byte, apart from User-Agent, Postman-Token,
header order and values that are generated afresh on every run (GUIDs, timestamps, random numbers).

Nothing is forwarded: the proxy answers every request ``200 {}`` itself. Each collection is cut to
its first items (folders, scripts, auth and variables kept) so that the comparison stays quick.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.conftest import CORPUS, ROOT
from tests.test_wire_integration import without_replaced_authorization
from tests.test_wire_proxy import PROXY_VARS
from tests.wire_servers import Captured, RecordingProxy

pytestmark = pytest.mark.newman

MAX_ITEMS = 15
IGNORED = {"user-agent", "postman-token"}
# What differs between any two runs: generated ids, clocks, random numbers, multipart boundaries.
_FRESH = [
    (re.compile(rb"-{26}\d{24}"), b"BOUNDARY"),
    (re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"), b"GUID"),
    (re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?"), b"DATE"),
    (re.compile(rb"\d{9,}"), b"NUMBER"),
    (re.compile(rb"[A-Za-z0-9_-]{40,}"), b"TOKEN"),  # PKCE verifiers and challenges a script draws
]


# OAuth 1.0a draws a nonce and reads the clock for every request, and the signature covers both: just
# those three fields are replaced (the nonce by its length), wherever the parameters go.
_OAUTH1_FRESH = re.compile(rb'(oauth_(?:nonce|timestamp|signature))(="|=)([^"&,\s]*)')


def _oauth1_field(m: re.Match[bytes]) -> bytes:
    name, value = m.group(1), m.group(3)
    return name + m.group(2) + (b"NONCE%d" % len(value) if name == b"oauth_nonce" else name.upper()[6:])


def _fresh(data: bytes) -> bytes:
    data = _OAUTH1_FRESH.sub(_oauth1_field, data)
    for pattern, placeholder in _FRESH:
        data = pattern.sub(placeholder, data)
    return data


def _collections() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    found = []
    for path in sorted(CORPUS.rglob("*.json")):
        name = path.name.lower()
        if name.endswith(("environment.json", "globals.json", "_data.json")):
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(doc, dict) and ("item" in doc or "requests" in doc):
            found.append(path)
    return found


COLLECTIONS = _collections()


def cut(doc: dict[str, Any], limit: int) -> dict[str, Any]:
    """The collection with only its first ``limit`` request items, in order (v2 files)."""
    left = [limit]

    def keep(items: list[Any]) -> list[Any]:
        out = []
        for child in items:
            if left[0] <= 0:
                break
            if isinstance(child, dict) and isinstance(child.get("item"), list):
                inner = keep(child["item"])
                if inner:
                    out.append({**child, "item": inner})
            else:
                left[0] -= 1
                out.append(child)
        return out

    if isinstance(doc.get("item"), list):
        return {**doc, "item": keep(doc["item"])}
    return doc


_RANDOM_VARIABLE = re.compile(r"\{\{\$random\w*\}\}")


def prepared(path: Path) -> str:
    """The collection cut to its first items, faker variables (``{{$randomCity}}``) fixed: each runner
    draws its own, so they would differ; ``tests/test_dynamic.py`` covers them. An item's own
    Authorization header is left out where an auth helper replaces it in Newman (postrun keeps it, on
    purpose: README), for both runners, so that the helper's header is compared."""
    doc = json.loads(path.read_text(encoding="utf-8-sig"))
    return _RANDOM_VARIABLE.sub("fixed-random", json.dumps(without_replaced_authorization(cut(doc, MAX_ITEMS))))


def _environment_for(path: Path) -> Path | None:
    envs = [p for p in path.parent.glob("*.json") if p.name.lower().endswith("environment.json")]
    if not envs:
        return None
    return max(envs, key=lambda e: len(os.path.commonprefix([e.name.lower(), path.name.lower()])))


def comparable(c: Captured) -> tuple[Any, ...]:
    """Content-Length is compared as "matches the body" (a random value may change the length)."""
    lines = c.head.split(b"\r\n")
    names = [h.split(b":", 1)[0].strip().lower().decode() for h in lines[1:]]
    headers = sorted(_fresh(h) for h, n in zip(lines[1:], names, strict=True) if n not in IGNORED | {"content-length"})
    length = c.header("Content-Length")
    return c.tunnel, _fresh(lines[0]), headers, _fresh(c.body), length is None or int(length) == len(c.body)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


# Differences that come from other parts than the wire (measured; each names its cause).
KNOWN: dict[str, str] = {}


def _param(path: Path) -> Any:
    rel = str(path.relative_to(CORPUS))
    marks = [pytest.mark.xfail(reason=KNOWN[rel], strict=False)] if rel in KNOWN else []
    return pytest.param(path, id=rel, marks=marks)


def _started(command: list[str], proxy: RecordingProxy, ca_file: Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(HTTP_PROXY=proxy.url, HTTPS_PROXY=proxy.url, NODE_EXTRA_CA_CERTS=str(ca_file), PYTHONPATH=str(ROOT))
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)


@pytest.mark.skipif(not COLLECTIONS, reason="../shared/corpus is not here")
@pytest.mark.parametrize("path", [_param(p) for p in COLLECTIONS] or [None])
def test_corpus_requests_equal_newmans(newman, ca, tmp_path, path):
    """Newman and postrun run at once, each with a recording proxy of its own (the run takes as long
    as the slower of the two, not both): what each proxy saw is compared."""
    coll = tmp_path / "collection.json"
    coll.write_text(prepared(path), encoding="utf-8")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    args = [str(coll), "--timeout-request", "5000"]
    environment = _environment_for(path)
    if environment is not None:
        args += ["-e", str(environment)]
    proxies = RecordingProxy(ca), RecordingProxy(ca)
    runs: list[subprocess.Popen[bytes]] = []
    try:
        runs.append(_started([newman, "run", *args], proxies[0], ca_file, path.parent))
        postrun_command = [sys.executable, "-m", "runner", "run", *args, "--ssl-extra-ca-certs", str(ca_file)]
        runs.append(_started(postrun_command, proxies[1], ca_file, path.parent))
        stderr = [run.communicate(timeout=300)[1] for run in runs]
        newman_seen, postrun_seen = ([comparable(c) for c in proxy.requests] for proxy in proxies)
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
        for proxy in proxies:
            proxy.close()
    assert b"Traceback" not in stderr[1]
    assert postrun_seen == newman_seen

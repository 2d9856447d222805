"""The build step that fetches, verifies and packs the sandbox's npm libraries (runner/sandbox/pack.py).

Tarballs are real .tgz files made here, served by a loopback HTTP server standing in for the registry
or read from a folder; the full-lockfile build uses the tarball cache the install filled (skipped when absent).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.sandbox import pack


def make_tarball(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


TARBALL = make_tarball({"package.json": json.dumps({"name": "left-pad", "version": "1.3.0", "main": "index.js",
                                                    "scripts": {"x": "y"}}),
                        "index.js": "module.exports = function () {};", "test/t.js": "x", "README.md": "r"})


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pack.CACHE_ENV, "")
    monkeypatch.delenv(pack.TARBALLS_ENV, raising=False)
    monkeypatch.delenv(pack.REGISTRY_ENV, raising=False)


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    """A loopback npm registry serving left-pad 1.3.0's tarball at the registry's usual path."""
    root = tmp_path / "registry"
    (root / "left-pad" / "-").mkdir(parents=True)
    (root / "left-pad" / "-" / "left-pad-1.3.0.tgz").write_bytes(TARBALL)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_from_a_registry_verifies_integrity(registry: str, no_cache: None, monkeypatch) -> None:
    monkeypatch.setenv(pack.REGISTRY_ENV, registry)
    assert pack.fetch("left-pad", "1.3.0", sri(TARBALL)) == TARBALL


def test_an_integrity_mismatch_is_refused(registry: str, no_cache: None, monkeypatch) -> None:
    monkeypatch.setenv(pack.REGISTRY_ENV, registry)
    wrong = sri(TARBALL + b"tampered")
    with pytest.raises(pack.BuildError, match=r"left-pad@1\.3\.0 .*integrity mismatch.*refusing"):
        pack.fetch("left-pad", "1.3.0", wrong)
    with pytest.raises(pack.BuildError, match="no usable integrity"):
        pack.fetch("left-pad", "1.3.0", "md5-abc")


def test_a_tampered_tarball_in_the_folder_is_refused(tmp_path: Path, no_cache: None, monkeypatch) -> None:
    (tmp_path / "left-pad-1.3.0.tgz").write_bytes(TARBALL[:20] + bytes([TARBALL[20] ^ 1]) + TARBALL[21:])
    monkeypatch.setenv(pack.TARBALLS_ENV, str(tmp_path))
    with pytest.raises(pack.BuildError, match="integrity mismatch"):
        pack.fetch("left-pad", "1.3.0", sri(TARBALL))


def test_an_unreachable_registry_is_a_clear_build_error(no_cache: None, monkeypatch) -> None:
    monkeypatch.setenv(pack.REGISTRY_ENV, "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(pack.BuildError) as info:
        pack.fetch("left-pad", "1.3.0", sri(TARBALL))
    message = str(info.value)
    assert "could not fetch http://127.0.0.1:9/left-pad/-/left-pad-1.3.0.tgz" in message
    assert pack.REGISTRY_ENV in message and pack.TARBALLS_ENV in message


def test_a_tarball_folder_works_offline(tmp_path: Path, no_cache: None, monkeypatch) -> None:
    (tmp_path / "left-pad-1.3.0.tgz").write_bytes(TARBALL)
    scoped = make_tarball({"package.json": "{}", "index.js": ""})
    (tmp_path / "faker-js-faker-5.5.3.tgz").write_bytes(scoped)  # npm pack's name for a scoped package
    monkeypatch.setenv(pack.TARBALLS_ENV, str(tmp_path))
    monkeypatch.setenv(pack.REGISTRY_ENV, "http://127.0.0.1:9")  # never asked
    assert pack.fetch("left-pad", "1.3.0", sri(TARBALL)) == TARBALL
    assert pack.fetch("@faker-js/faker", "5.5.3", sri(scoped)) == scoped
    with pytest.raises(pack.BuildError, match="not found in"):
        pack.fetch("right-pad", "1.0.0", sri(TARBALL))


def test_unpack_keeps_loadable_files_and_slims_the_manifest() -> None:
    files = pack.unpack(TARBALL, "left-pad", "node_modules/left-pad")
    assert sorted(files) == ["node_modules/left-pad/index.js", "node_modules/left-pad/package.json"]
    assert json.loads(files["node_modules/left-pad/package.json"]) == {
        "name": "left-pad", "version": "1.3.0", "main": "index.js"}


def test_resolution_follows_node_and_the_builtin_shims() -> None:
    files = {
        "node_modules/a/package.json": json.dumps({"main": "lib/main"}),
        "node_modules/a/lib/main.js": "require('./x'); require('b'); require('util'); require('util/');",
        "node_modules/a/lib/x.json": "{}",
        "node_modules/a/node_modules/b/index.js": "",
        "node_modules/b/index.js": "",
        "node_modules/util/util.js": "",
        "node_modules/util/package.json": json.dumps({"main": "./util.js"}),
    }
    r = pack._Resolver(files)
    origin = "node_modules/a/lib/main.js"
    assert r.path("node_modules/a") == origin
    assert r.resolve("./x", origin) == "node_modules/a/lib/x.json"
    assert r.resolve("b", origin) == "node_modules/a/node_modules/b/index.js"  # the nearest node_modules wins
    assert r.resolve("b", "node_modules/util/util.js") == "node_modules/b/index.js"
    assert r.resolve("util", origin) == "node_modules/util/util.js"
    assert r.resolve("util/", origin) == "node_modules/util/util.js"
    assert r.resolve("nope", origin) is None


def test_the_whole_lockfile_builds_offline_from_a_folder(tmp_path: Path, monkeypatch) -> None:
    cache = Path.home() / ".cache" / "postrun" / "npm-tarballs"
    wanted = {pack.tarball_names(name, version)[0] for _, name, version, _ in pack.read_lock()}
    if not cache.is_dir() or not wanted <= {p.name for p in cache.glob("*.tgz")}:
        pytest.skip("no tarball cache from an earlier install")
    monkeypatch.setenv(pack.TARBALLS_ENV, str(cache))
    monkeypatch.setenv(pack.REGISTRY_ENV, "http://127.0.0.1:9")
    target = pack.build_pack(tmp_path / "lib")
    assert pack.up_to_date(tmp_path / "lib")
    index = json.loads(target.read_text())
    assert index["entries"]["moment"] == "node_modules/moment/min/moment.min.js"
    assert {p["name"]: p["version"] for p in index["packages"].values()}["chai"] == "4.4.1"
    blob = (tmp_path / "lib" / pack.BLOB_FILE).read_bytes()
    start, length = index["modules"]["node_modules/moment/min/moment.min.js"]["at"]
    assert b"2.30.1" in blob[start:start + length]
    assert not any("/test/" in p for p in index["modules"])

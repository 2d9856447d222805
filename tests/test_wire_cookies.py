"""Cookie jars carried between runs and runners: --cookie-jar reads tough-cookie JSON (what Newman's
--export-cookie-jar writes), --export-cookie-jar writes it; disableCookies keeps a request out of the jar."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import collection, item, postrun, write_json


def _jar(cookies: list[dict]) -> dict:
    return {"version": "tough-cookie@4.1.3-postman.1", "storeType": "MemoryCookieStore", "cookies": cookies}


def test_a_jar_file_starts_the_run_and_scripts_see_it(tmp_path, server):
    jar = write_json(
        tmp_path / "jar.json",
        _jar(
            [
                {"key": "session", "value": "abc", "domain": "127.0.0.1", "path": "/", "hostOnly": True},
                {"key": "other", "value": "x", "domain": "elsewhere.test", "path": "/", "hostOnly": True},
                {
                    "key": "old",
                    "value": "gone",
                    "domain": "127.0.0.1",
                    "path": "/",
                    "expires": "2001-01-01T00:00:00.000Z",
                },
                {"key": "deep", "value": "d", "domain": "127.0.0.1", "path": "/only/here"},
            ]
        ),
    )
    test = ["pm.test('jar', () => pm.expect(pm.cookies.get('session')).to.equal('abc'))"]
    coll = write_json(tmp_path / "c.json", collection([item("a", f"{server.url}/get", test=test)]))
    result = postrun(str(coll), "--cookie-jar", str(jar))
    assert result.exit_code == 0, result.output
    assert server.seen[0].header("Cookie") == "session=abc"


def test_export_writes_tough_cookie_json_atomically(tmp_path, server):
    coll = write_json(tmp_path / "c.json", collection([item("set", f"{server.url}/cookies/set?a=1&b=2")]))
    out = tmp_path / "out" / "jar.json"
    out.parent.mkdir()
    assert postrun(str(coll), "--export-cookie-jar", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert doc["version"].startswith("tough-cookie@") and doc["storeType"] == "MemoryCookieStore"
    assert sorted((c["key"], c["value"], c["domain"], c["path"], c["hostOnly"]) for c in doc["cookies"]) == [
        ("a", "1", "127.0.0.1", "/", True),
        ("b", "2", "127.0.0.1", "/", True),
    ]
    assert [p.name for p in out.parent.iterdir()] == ["jar.json"]  # no temporary file left behind


def test_round_trip_through_export_and_import(tmp_path, server):
    first = write_json(tmp_path / "c1.json", collection([item("set", f"{server.url}/cookies/set?token=t1")]))
    jar = tmp_path / "jar.json"
    postrun(str(first), "--export-cookie-jar", str(jar))
    second = write_json(tmp_path / "c2.json", collection([item("use", f"{server.url}/get")]))
    server.seen.clear()
    postrun(str(second), "--cookie-jar", str(jar))
    assert server.seen[0].header("Cookie") == "token=t1"


def test_disable_cookies_neither_sends_nor_stores(tmp_path, server):
    jar = write_json(tmp_path / "jar.json", _jar([{"key": "s", "value": "1", "domain": "127.0.0.1", "path": "/"}]))
    items = [
        {**item("quiet", f"{server.url}/cookies/set?q=2"), "protocolProfileBehavior": {"disableCookies": True}},
        item("normal", f"{server.url}/get"),
    ]
    coll = write_json(tmp_path / "c.json", collection(items))
    postrun(str(coll), "--cookie-jar", str(jar))
    assert server.seen[0].header("Cookie") is None
    assert server.seen[1].header("Cookie") == "s=1"  # q=2 was not stored


def test_inherited_disable_cookies_from_a_folder(tmp_path, server):
    folder = {
        "name": "f",
        "protocolProfileBehavior": {"disableCookies": True},
        "item": [item("in", f"{server.url}/cookies/set?z=9")],
    }
    coll = write_json(tmp_path / "c.json", collection([folder, item("after", f"{server.url}/get")]))
    postrun(str(coll))
    assert server.seen[1].header("Cookie") is None


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        ({"cookies": "no"}, ""),
        ({"cookies": [{"value": "x"}]}, "/cookies/0"),
        ({"cookies": [{"key": "k"}]}, "/cookies/0"),
    ],
)
def test_bad_jar_files_are_usage_errors(tmp_path, doc, where):
    jar = write_json(tmp_path / "jar.json", doc)
    coll = write_json(tmp_path / "c.json", collection([item("a", "http://127.0.0.1:9/")]))
    result = postrun(str(coll), "--cookie-jar", str(jar))
    assert result.exit_code == 2 and f"jar.json: {where}".rstrip(": ") in result.output


@pytest.mark.newman
def test_jars_go_between_newman_and_postrun(newman, tmp_path, server):
    setter = write_json(tmp_path / "set.json", collection([item("set", f"{server.url}/cookies/set?fromNewman=n1")]))
    newman_jar = tmp_path / "newman-jar.json"
    subprocess.run(
        [newman, "run", str(setter), "--export-cookie-jar", str(newman_jar)], capture_output=True, timeout=120
    )
    assert "fromNewman" in newman_jar.read_text()
    user = write_json(tmp_path / "use.json", collection([item("use", f"{server.url}/get")]))
    server.seen.clear()
    postrun_jar = tmp_path / "postrun-jar.json"
    postrun(str(user), "--cookie-jar", str(newman_jar), "--export-cookie-jar", str(postrun_jar))
    assert server.seen[-1].header("Cookie") == "fromNewman=n1"
    server.seen.clear()
    subprocess.run([newman, "run", str(user), "--cookie-jar", str(postrun_jar)], capture_output=True, timeout=120)
    assert server.seen[-1].header("Cookie") == "fromNewman=n1"


def test_tenants_export_one_jar_each(tmp_path, server):
    coll = write_json(tmp_path / "c.json", collection([item("set", "{{base}}/cookies/set?t={{tenant}}")]))
    envs = []
    for name in ("acme", "globex"):
        values = [{"key": "base", "value": server.url}, {"key": "tenant", "value": name}]
        envs += ["-e", str(write_json(tmp_path / f"{name}.json", {"name": name, "values": values}))]
    out = tmp_path / "jars"
    result = postrun(str(coll), *envs, "--export-cookie-jar", f"{out}/")
    assert result.exit_code == 0, result.output
    for name in ("acme", "globex"):
        cookies = json.loads((out / f"{name}.cookies.json").read_text())["cookies"]
        assert [(c["key"], c["value"]) for c in cookies] == [("t", name)]


def test_session_cookie_keeps_its_creation_date(tmp_path, server):
    jar = write_json(
        tmp_path / "jar.json",
        _jar([{"key": "k", "value": "v", "domain": "127.0.0.1", "path": "/", "creation": "2024-05-01T10:00:00.000Z"}]),
    )
    coll = write_json(tmp_path / "c.json", collection([item("a", f"{server.url}/get")]))
    out = Path(tmp_path / "o.json")
    postrun(str(coll), "--cookie-jar", str(jar), "--export-cookie-jar", str(out))
    (cookie,) = json.loads(out.read_text())["cookies"]
    assert cookie["creation"] == "2024-05-01T10:00:00.000Z" and "expires" not in cookie

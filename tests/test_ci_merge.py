"""``postrun merge`` checks its shards: each shard of one run once, empty shards still reported,
JUnit names equal to the unsharded run's, and broken shard files reported, not a traceback."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from tests.conftest import collection, item, write_json


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def shards(server, tmp_path):
    """One collection, 2 iterations, cut into 3 shards: the third has no work."""
    ok = item("ok", f"{server.url}/ok", ["pm.test('200', () => pm.response.to.be.ok)"])
    doc = collection(
        [
            {"name": "Folder", "item": [ok]},
            item("bad", f"{server.url}/status/404", ["pm.test('is 200', () => pm.response.to.have.status(200))"]),
        ]
    )
    coll = str(write_json(tmp_path / "c.json", doc))

    def shard(i: int, count: int = 3, *extra: str) -> Path:
        out = tmp_path / f"shard-{i}-of-{count}{'-'.join(extra)}.json"
        result = cli("run", coll, "-n", "2", "--shard", f"{i}/{count}", *extra, "-r", "json",
                     "--reporter-json-export", str(out))
        assert result.exit_code in (0, 1), result.output
        return out

    whole = tmp_path / "whole.xml"
    cli("run", coll, "-n", "2", "-r", "junit", "--reporter-junit-export", str(whole))
    return shard, whole, tmp_path


def _names(path: Path) -> list[tuple]:
    root = ET.parse(path).getroot()
    return [
        (s.get("name"), s.get("tests"), s.get("failures"), s.get("errors"),
         [(c.get("name"), c.get("classname"), c.find("failure") is not None) for c in s.iter("testcase")])
        for s in root.iter("testsuite")
    ]


def test_an_empty_shard_writes_its_json_and_merged_junit_names_equal_the_unsharded_run(shards):
    shard, whole, tmp = shards
    parts = [shard(i) for i in (1, 2, 3)]
    empty = json.loads(parts[2].read_text())
    assert empty["run"]["executions"] == [] and empty["shard"]["index"] == 3
    merged = tmp / "merged.xml"
    result = cli("merge", *map(str, parts), "-r", "junit", "--reporter-junit-export", str(merged))
    assert result.exit_code == 1, result.output
    assert _names(merged) == _names(whole)


def test_the_same_shard_twice_is_an_error(shards):
    shard, _whole, tmp = shards
    one, two, three = (shard(i) for i in (1, 2, 3))
    result = cli("merge", str(one), str(one), str(two), str(three))
    assert result.exit_code == 2 and "given twice" in result.output and "Traceback" not in result.output
    copy = tmp / "copy-of-1.json"
    copy.write_text(one.read_text())
    result = cli("merge", str(one), str(copy), str(two), str(three))
    assert result.exit_code == 2 and "shard 1/3 given twice" in result.output
    # --allow-partial counts it once
    out = tmp / "m.json"
    result = cli("merge", "--allow-partial", str(one), str(copy), str(two), str(three), "-r", "json",
                 "--reporter-json-export", str(out))
    assert result.exit_code == 1 and "warning:" in result.output
    assert json.loads(out.read_text())["run"]["stats"]["requests"]["total"] == 4


def test_a_missing_shard_is_an_error_unless_partial_is_allowed(shards):
    shard, _whole, tmp = shards
    one, three = shard(1), shard(3)
    result = cli("merge", str(one), str(three))
    assert result.exit_code == 2 and "missing shard 2/3" in result.output
    out = tmp / "partial.json"
    result = cli("merge", "--allow-partial", str(one), str(three), "-r", "json", "--reporter-json-export", str(out))
    assert result.exit_code in (0, 1) and "missing shard 2/3" in result.output
    assert json.loads(out.read_text())["run"]["stats"]["requests"]["total"] == 2


def test_shards_of_different_runs_are_an_error(shards):
    shard, _whole, _tmp = shards
    one, two = shard(1, 2), shard(2, 2, "--folder", "Folder")
    result = cli("merge", str(one), str(two))
    assert result.exit_code == 2 and "shards of different runs" in result.output
    three = shard(1, 3)
    result = cli("merge", str(one), str(three))
    assert result.exit_code == 2 and "different runs" in result.output


def test_invalid_shard_files_are_clear_errors(shards):
    shard, _whole, tmp = shards
    good = shard(1, 1)
    broken = tmp / "broken.json"
    broken.write_text('{"run": {"executions": [}')
    result = cli("merge", str(good), str(broken))
    assert result.exit_code == 2 and "broken.json: line 1, column" in result.output
    doc = json.loads(good.read_text())
    doc["run"]["executions"][0]["assertions"] = "not a list"
    doc["shard"] = None
    odd = write_json(tmp / "odd.json", doc)
    result = cli("merge", str(odd))
    assert result.exit_code == 2 and "odd.json: /run/executions/0:" in result.output
    assert "Traceback" not in result.output
    not_report = write_json(tmp / "other.json", {"values": []})
    result = cli("merge", str(not_report))
    assert result.exit_code == 2 and "not a postrun/Newman json report" in result.output

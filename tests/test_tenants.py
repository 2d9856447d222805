"""Many tenants in one command: isolation, parallel output, combined reports, shards and merge, check."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from runner.cli import main
from tests.conftest import ROOT, collection, item, write_json

ENVIRONMENTS = ROOT / "environments"


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tenant_env(tmp: Path, name: str, server_url: str, **values: str) -> Path:
    entries = [{"key": "base", "value": server_url}, {"key": "tenant", "value": name}]
    entries += [{"key": k, "value": v} for k, v in values.items()]
    return write_json(tmp / f"{name}.postman_environment.json", {"name": name, "values": entries})


def test_each_tenant_is_isolated_and_reported_in_its_own_block(server, tmp_path):
    envs = tmp_path / "envs"
    envs.mkdir()
    for name in ("acme", "globex", "initech"):
        tenant_env(envs, name, server.url)
    coll = write_json(
        tmp_path / "c.json",
        collection(
            [
                item(
                    "login",
                    "{{base}}/cookies/set?sid={{tenant}}",
                    [
                        "pm.test('nothing leaked in', () =>",
                        "  pm.expect(pm.environment.get('mine')).to.equal(undefined));",
                        "pm.environment.set('mine', pm.environment.get('tenant'));",
                        "pm.globals.set('g', pm.environment.get('tenant'));",
                    ],
                ),
                item(
                    "whoami",
                    "{{base}}/who?t={{tenant}}&mine={{mine}}&g={{g}}",
                    [
                        "pm.test('own cookie', () =>",
                        "  pm.expect(pm.response.json().cookies).to.equal('sid=' + pm.environment.get('tenant')));",
                    ],
                ),
            ]
        ),
    )
    out = tmp_path / "exports"
    result = cli("run", str(coll), "--env-dir", str(envs), "--parallel", "3", "--export-environment", f"{out}/")
    assert result.exit_code == 0, result.output
    who = sorted(s.target for s in server.seen if s.target.startswith("/who"))
    assert who == [f"/who?t={t}&mine={t}&g={t}" for t in ("acme", "globex", "initech")]
    # One block per tenant, never interleaved.
    blocks = result.output.split("══ tenant ")[1:]
    assert sorted(b.split(" ")[0] for b in blocks) == ["acme", "globex", "initech"]
    for block in blocks:
        name = block.split(" ")[0]
        body = block.split("══", 2)[-1].split("\n\n                ")[0]
        for other in {"acme", "globex", "initech"} - {name}:
            assert f"t={other}" not in body
    assert "all 3 tenants passed" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"{t}.postman_environment.json" for t in ("acme", "globex", "initech")
    ]
    exported = json.loads((out / "globex.postman_environment.json").read_text())
    assert {v["key"]: v["value"] for v in exported["values"]}["mine"] == "globex"


def test_a_failing_tenant_fails_the_run_and_is_named(server, tmp_path):
    a = tenant_env(tmp_path, "good", server.url, code="200")
    b = tenant_env(tmp_path, "bad", server.url, code="500")
    coll = write_json(
        tmp_path / "c.json",
        collection(
            [item("status", "{{base}}/status/{{code}}", ["pm.test('200', () => pm.response.to.have.status(200))"])]
        ),
    )
    out_json, out_xml = tmp_path / "r.json", tmp_path / "r.xml"
    result = cli(
        "run",
        str(coll),
        "-e",
        str(a),
        "-e",
        str(b),
        "-r",
        "cli,json,junit",
        "--reporter-json-export",
        str(out_json),
        "--reporter-junit-export",
        str(out_xml),
    )
    assert result.exit_code == 1
    assert "tenants with failures: bad" in result.output
    assert "✗1" in result.output  # the matrix cell
    report = json.loads(out_json.read_text())
    assert [(t["name"], t["run"]["stats"]["assertions"]["failed"]) for t in report["tenants"]] == [
        ("good", 0),
        ("bad", 1),
    ]
    suites = [s.get("name") for s in ET.parse(out_xml).getroot().iter("testsuite")]
    assert suites == ["good / status", "bad / status"]


def test_globs_name_tenants_and_a_file_export_path_is_refused_with_several(server, tmp_path):
    for name in ("one", "two"):
        tenant_env(tmp_path, name, server.url)
    coll = write_json(tmp_path / "c.json", collection([item("x", "{{base}}/x")]))
    result = cli(
        "run",
        str(coll),
        "-e",
        str(tmp_path / "*.postman_environment.json"),
        "--export-environment",
        str(tmp_path / "single.json"),
    )
    assert result.exit_code == 2
    assert "takes a folder" in result.output
    assert cli("run", str(coll), "-e", str(tmp_path / "nomatch*.json")).exit_code == 2


def test_two_shards_merged_give_the_totals_of_the_unsharded_run(server, tmp_path):
    for name in ("acme", "globex", "initech"):
        tenant_env(tmp_path, name, server.url)
    coll = write_json(
        tmp_path / "c.json",
        collection(
            [
                item("ok", "{{base}}/ok", ["pm.test('200', () => pm.response.to.have.status(200))"]),
                item("bad", "{{base}}/status/404", ["pm.test('200', () => pm.response.to.have.status(200))"]),
            ]
        ),
    )
    envs = str(tmp_path / "*.postman_environment.json")
    whole = tmp_path / "whole.json"
    assert (
        cli("run", str(coll), "-e", envs, "-n", "2", "-r", "json", "--reporter-json-export", str(whole)).exit_code == 1
    )
    parts = []
    for i in (1, 2):
        part = tmp_path / f"shard{i}.json"
        result = cli(
            "run",
            str(coll),
            "-e",
            envs,
            "-n",
            "2",
            "--shard",
            f"{i}/2",
            "-r",
            "json",
            "--reporter-json-export",
            str(part),
        )
        assert result.exit_code == 1
        parts.append(part)
    shard_targets = [json.loads(p.read_text())["run"]["stats"]["requests"]["total"] for p in parts]
    assert sum(shard_targets) == 12 and all(shard_targets)
    merged = tmp_path / "merged.json"
    result = cli(
        "merge",
        *map(str, parts),
        "-r",
        "cli,json,junit",
        "--reporter-json-export",
        str(merged),
        "--reporter-junit-export",
        str(tmp_path / "merged.xml"),
    )
    assert result.exit_code == 1
    assert json.loads(merged.read_text())["run"]["stats"] == json.loads(whole.read_text())["run"]["stats"]
    root = ET.parse(tmp_path / "merged.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == ("12", "6")
    assert cli("run", str(coll), "--shard", "3/2").exit_code == 2


def test_check_reports_a_deliberately_incomplete_tenant(tmp_path):
    envs = tmp_path / "envs"
    shutil.copytree(ENVIRONMENTS, envs)
    ok = cli("check", str(ROOT / "collections" / "zendesk-support.postman_collection.json"), "--env-dir", str(envs))
    assert ok.exit_code == 0, ok.output
    broken = json.loads((envs / "acme.postman_environment.json").read_text())
    broken["name"] = "newco"
    broken["values"] = [v for v in broken["values"] if v["key"] != "apiToken"]
    write_json(envs / "newco.postman_environment.json", broken)
    result = cli("check", str(ROOT / "collections" / "zendesk-support.postman_collection.json"), "--env-dir", str(envs))
    assert result.exit_code == 1
    assert "newco" in result.output and "apiToken" in result.output
    assert (
        cli(
            "check",
            str(ROOT / "collections" / "salesforce-platform.postman_collection.json"),
            "--env-dir",
            str(ENVIRONMENTS),
        ).exit_code
        == 0
    )


def test_junit_validates_against_the_junit_schema_with_the_right_counts(server, tmp_path):
    import xmlschema

    a = tenant_env(tmp_path, "good", server.url, code="200")
    b = tenant_env(tmp_path, "bad", server.url, code="500")
    coll = write_json(tmp_path / "c.json", collection([
        item("status", "{{base}}/status/{{code}}", ["pm.test('200', () => pm.response.to.have.status(200))",
                                                     "pm.test.skip('later')"]),
        item("refused", "http://127.0.0.1:1/x", ["undefinedFunction()"]),
    ]))
    out = tmp_path / "r.xml"
    cli("run", str(coll), "-e", str(a), "-e", str(b), "-n", "2", "-r", "junit", "--reporter-junit-export", str(out))
    schema = xmlschema.XMLSchema(str(ROOT / "tests" / "data" / "junit.xsd"))
    schema.validate(str(out))
    root = ET.parse(out).getroot()
    # 2 tenants x 2 iterations x (2 assertions + request error + script error)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("16", "2", "8")
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "bad / status")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "2", "2")
    assert [c.get("name") for c in suite.iter("testcase")] == ["200 (iteration 1)", "later (iteration 1)",
                                                               "200 (iteration 2)", "later (iteration 2)"]

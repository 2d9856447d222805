"""Outputs never go missing: a report or export that cannot be written is an error for that one
output, every other one is still written, and the exit code says something failed. Signals (SIGTERM,
a second Ctrl-C) do not lose reports; exports onto their own source file keep the user's values."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from runner.files import OutputError
from runner.files import write_json as atomic_json
from runner.signals import deferred, handle_termination
from tests.conftest import collection, item, postrun, write_json

ITEMS = [item("one", "{{base}}/one", ["pm.test('passes', () => {})"])]


def _outputs(tmp_path: Path, json_path: Path | str, **others: Path) -> list[str]:
    xml = others.get("xml", tmp_path / "r.xml")
    html = others.get("html", tmp_path / "r.html")
    env = others.get("env", tmp_path / "env-out.json")
    return [
        "-r",
        "cli,json,junit,html",
        "--reporter-json-export",
        str(json_path),
        "--reporter-junit-export",
        str(xml),
        "--reporter-html-export",
        str(html),
        "--export-environment",
        str(env),
    ]


def _others_written(tmp_path: Path) -> None:
    assert ET.parse(tmp_path / "r.xml").getroot().tag == "testsuites"
    assert (tmp_path / "r.html").read_text().lstrip().lower().startswith("<!doctype html")
    assert json.loads((tmp_path / "env-out.json").read_text())["values"]


def test_a_parent_that_is_a_file_fails_that_report_only(make, tmp_path):
    (tmp_path / "afile").write_text("x")
    result = postrun(*make(ITEMS), *_outputs(tmp_path, tmp_path / "afile" / "r.json"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "afile/r.json: cannot write the json report: a parent in the path is a file" in result.output
    _others_written(tmp_path)


def test_a_full_disk_fails_that_report_only(make, tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full to stand for a full disk")
    result = postrun(*make(ITEMS), *_outputs(tmp_path, "/dev/full"))
    assert result.exit_code == 1
    assert "/dev/full: cannot write the json report: no space left on the device" in result.output
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written in place, never replaced by a file
    _others_written(tmp_path)


@pytest.fixture
def read_only_dir(tmp_path: Path):
    """A folder nobody can write into: mode 0555, and immutable where we are root (root ignores modes)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if os.access(folder, os.W_OK):
        try:
            immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        except OSError:  # no chattr here
            immutable = False
        if not immutable:
            folder.chmod(0o755)
            pytest.skip("cannot make a read-only folder here (root without chattr)")
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_a_read_only_folder_fails_that_export_only(make, tmp_path, read_only_dir):
    result = postrun(
        *make(ITEMS),
        *_outputs(tmp_path, tmp_path / "r.json", env=read_only_dir / "env.json"),
        "--export-globals",
        str(tmp_path / "globals-out.json"),
    )
    assert result.exit_code == 1
    assert "ro/env.json: cannot write the environment export:" in result.output
    assert json.loads((tmp_path / "r.json").read_text())["run"]["stats"]["assertions"]["total"] == 1
    assert json.loads((tmp_path / "globals-out.json").read_text())["_postman_variable_scope"] == "globals"
    assert not list(read_only_dir.iterdir())


def test_an_existing_folder_gets_the_default_file_name_inside(make, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = postrun(*make(ITEMS), *_outputs(tmp_path, out, env=out), "--export-collection", str(out) + "/")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3, names
    report = next(out.glob("postrun-run-report-*.json"))
    assert json.loads(report.read_text())["run"]["stats"]["requests"]["total"] == 1
    env = next(out.glob("postrun-environment-*.json"))
    assert json.loads(env.read_text())["_postman_variable_scope"] == "environment"
    assert next(out.glob("postrun-collection-*.json"))


def test_an_output_failure_is_not_hidden_by_suppress_exit_code(make, tmp_path):
    (tmp_path / "afile").write_text("x")
    result = postrun(*make(ITEMS), "-x", *_outputs(tmp_path, tmp_path / "afile" / "r.json"))
    assert result.exit_code == 1


def test_new_files_get_the_umask_mode_and_existing_files_keep_theirs(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_json(tmp_path / "new.json", {"a": 1})
        assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o640
    finally:
        os.umask(old)
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    kept.chmod(0o604)
    atomic_json(kept, {"b": 2})
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o604
    assert json.loads(kept.read_text()) == {"b": 2}


def test_a_symlink_keeps_pointing_at_the_file_written(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_json(link, {"c": 3})
    assert link.is_symlink() and json.loads(real.read_text()) == {"c": 3}


def test_writing_into_a_folder_path_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="it is a folder"):
        atomic_json(tmp_path, {"d": 4}, "report")


def test_exporting_onto_the_source_keeps_secrets_mode_and_symlink(make, server, tmp_path):
    real = write_json(
        tmp_path / "real-env.json",
        {
            "id": "e1",
            "name": "env",
            "values": [
                {"key": "base", "value": server.url, "enabled": True},
                {"key": "token", "value": "s3cr3t-value", "type": "secret", "enabled": True},
            ],
        },
    )
    real.chmod(0o640)
    link = tmp_path / "env.json"
    link.symlink_to(real)
    coll = write_json(tmp_path / "c.json", collection([item("one", "{{base}}/one", ["pm.environment.set('n', 1)"])]))
    result = postrun(str(coll), "-e", str(link), "--export-environment", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    values = {v["key"]: v for v in json.loads(real.read_text())["values"]}
    assert values["token"]["value"] == "s3cr3t-value" and values["token"]["type"] == "secret"
    assert values["n"]["value"] == 1 and values["n"]["type"] == "any"
    # Exported elsewhere, the secret value is still left out (unless --export-secrets).
    result = postrun(str(coll), "-e", str(link), "--export-environment", str(tmp_path / "other.json"))
    other = {v["key"]: v for v in json.loads((tmp_path / "other.json").read_text())["values"]}
    assert other["token"]["value"] == ""


def test_export_collection_keeps_disabled_variables_ids_and_descriptions(server, tmp_path):
    doc = collection(
        [item("one", f"{server.url}/one", ["pm.collectionVariables.set('a', 'changed')"])],
        variable=[
            {"key": "a", "value": "1", "id": "var-a", "description": "the a"},
            {"key": "b", "value": "2", "disabled": True, "description": "off"},
            {"key": "c", "value": "3", "type": "string"},
        ],
    )
    coll = write_json(tmp_path / "c.json", doc)
    result = postrun(str(coll), "--export-collection", str(coll))
    assert result.exit_code == 0, result.output
    variables = {v["key"]: v for v in json.loads(coll.read_text())["variable"]}
    assert variables["a"] == {"key": "a", "value": "changed", "id": "var-a", "description": "the a", "type": "any"}
    assert variables["b"]["disabled"] is True and variables["b"]["description"] == "off"
    assert variables["c"]["type"] == "string"


def _start(tmp_path: Path, server, *extra: str, slow: int = 1) -> subprocess.Popen:
    fast = item("fast", "{{base}}/fast", ["pm.environment.set('seen', 'yes')"])
    coll = write_json(tmp_path / "c.json", collection([fast, item("slow", "{{base}}/slow?ms=5000")]))
    env = write_json(tmp_path / "e.json", {"name": "e", "values": [{"key": "base", "value": server.url}]})
    args = [sys.executable, "-m", "runner", "run", str(coll), "-e", str(env), *extra]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    deadline = time.monotonic() + 20
    while sum(s.target.startswith("/slow") for s in server.seen) < slow and time.monotonic() < deadline:
        time.sleep(0.05)
    return process


def test_sigterm_writes_partial_reports_and_exits_143(server, tmp_path):
    process = _start(tmp_path, server, *_outputs(tmp_path, tmp_path / "r.json"))
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 143, out + err
    assert "Traceback" not in err
    report = json.loads((tmp_path / "r.json").read_text())
    assert [e["item"]["name"] for e in report["run"]["executions"]] == ["fast"]
    assert report["run"]["error"] == "terminated (SIGTERM)"
    _others_written(tmp_path)
    assert {v["key"]: v["value"] for v in json.loads((tmp_path / "env-out.json").read_text())["values"]}["seen"]


def test_sigterm_with_tenants_in_processes_writes_reports(server, tmp_path):
    envs = []
    for name in ("t1", "t2"):
        values = [{"key": "base", "value": server.url}]
        envs += ["-e", str(write_json(tmp_path / f"{name}.json", {"name": name, "values": values}))]
    report_path = tmp_path / "r.json"
    reports = ["-r", "json", "--reporter-json-export", str(report_path)]
    process = _start(tmp_path, server, *envs, "--parallel", "3", *reports, slow=3)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 143, out + err
    assert "Traceback" not in err
    report = json.loads(report_path.read_text())
    assert report["run"]["error"] == "terminated (SIGTERM)"
    assert {e["tenant"] for e in report["run"]["executions"]} == {"e", "t1", "t2"}
    assert {e["item"]["name"] for e in report["run"]["executions"]} == {"fast"}


def test_a_second_signal_while_reports_are_written_does_not_stop_the_writing(tmp_path):
    written = []
    with handle_termination() as state, deferred():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        atomic_json(tmp_path / "late.json", {"still": "written"})
        written.append(True)
    assert written and json.loads((tmp_path / "late.json").read_text()) == {"still": "written"}
    assert state.received == signal.SIGINT

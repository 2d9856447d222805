"""What reports show of a request an auth helper sends again (digest's answer to its challenge).

Measured with Newman 6.2 on the loopback Postman Echo: postman-runtime replays the request after the
401, each send is a ``request`` event, and Newman's reporters see both: the cli prints a line for
each, ``run.stats.requests`` counts both, and ``run.executions`` holds the item's one execution
object once per request (the same entry twice, as it ended). The junit reporter walks those entries,
so an assertion that failed is "Failed 2 times."
"""

from __future__ import annotations

import json
from pathlib import Path

from auth_verifiers import digest_server
from authkit import auth, verifying_server
from conftest import collection, item, postrun, write_json

from runner.collection import load_collection
from runner.executor import Response
from runner.request import PreparedRequest
from runner.results import Execution, Summary, execution_from_json, execution_json
from runner.url import to_target

PARAMS = {"username": "Mufasa", "password": "Circle of Life"}
TESTS = [
    "pm.test('accepted', function () { pm.response.to.have.status(200); });",
    "pm.test('fails', function () { pm.expect(1).to.equal(2); });",
]


def _run(tmp_path: Path, url: str) -> tuple[str, dict, str]:
    items = [
        item("challenged", url + "/MD5/auth", test=TESTS, auth=auth("digest", **PARAMS)),
        item("plain", url + "/MD5/auth", test=TESTS),
    ]
    coll = write_json(tmp_path / "c.json", collection(items))
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    result = postrun(
        str(coll), "-r", "cli,json,junit", "--reporter-json-export", str(report),
        "--reporter-junit-export", str(junit), "--disable-unicode",
    )  # fmt: skip
    return result.output, json.loads(report.read_text()), junit.read_text()


def test_a_challenged_request_is_a_request_of_its_own_in_every_report(tmp_path: Path) -> None:
    with verifying_server(digest_server()) as srv:
        output, report, junit = _run(tmp_path, srv.url)
    assert len(srv.seen) == 3  # the challenged item twice, the plain one once

    lines = [line.strip() for line in output.splitlines() if "/MD5/auth" in line]
    assert [line.split("[")[1].split(",")[0] for line in lines] == ["401 Unauthorized", "200 OK", "401 Unauthorized"]

    stats = report["run"]["stats"]
    assert stats["requests"]["total"] == 3 and stats["items"]["total"] == 2
    assert stats["assertions"] == {"total": 4, "pending": 0, "failed": 3}  # assertions run once per item
    names = [ex["item"]["name"] for ex in report["run"]["executions"]]
    assert names == ["challenged", "challenged", "plain"]
    first, second = report["run"]["executions"][:2]
    assert first == second and first["response"]["code"] == 200  # the entry as the item ended
    assert len(report["run"]["failures"]) == 3  # failures are not repeated

    assert 'tests="2"' in junit.split("<testsuite ")[0]  # the root counts items run
    challenged = junit.split("<testsuite ")[1]
    assert 'failures="2"' in challenged and "Failed 2 times." in challenged


def test_tenant_processes_and_shards_keep_the_challenged_request(tmp_path: Path) -> None:
    """execution_json is how an execution crosses a process (and a shard file): the attempts go with it,
    so the parent's (and ``postrun merge``'s) reports count them too."""
    coll = load_collection(write_json(tmp_path / "c.json", collection([item("challenged", "http://h.test/a")])))
    target = next(iter(coll.items()))

    def exchange(code: int, reason: str) -> tuple[PreparedRequest, Response]:
        request = PreparedRequest("GET", "http://h.test/a", to_target("http://h.test/a"), [("Host", "h.test")])
        return request, Response(code, reason, [("Content-Length", "2")], b"{}", 12.0, "http://h.test/a")

    ex = Execution(item=target, iteration=0)
    ex.attempts.append(exchange(401, "Unauthorized"))
    ex.request, ex.response = exchange(200, "OK")
    again = execution_from_json(json.loads(json.dumps(execution_json(ex))), target)
    assert [(req.method, req.url, res.code, res.reason) for req, res in again.attempts] == [
        ("GET", "http://h.test/a", 401, "Unauthorized")
    ]
    summary = Summary(coll)
    summary.record(again)
    assert summary.stats.requests.total == 2 and summary.responses == 2

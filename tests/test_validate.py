"""The collection schema accepts every real export in the corpus and explains what it rejects."""

from __future__ import annotations

import copy
import json
import random
import time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from runner.validate import Problem, _accepts, _explain, _pointer, _valid, _validator, validate_collection
from tests.conftest import CORPUS

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
V20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"


def _load(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _corpus_collections() -> list[Path]:
    """v2.x collections only: v1 files, environments, globals and data files have no 'info' + 'item'."""
    if not CORPUS.is_dir():
        return []
    found = []
    for path in sorted(CORPUS.rglob("*.json")):
        doc = _load(path)
        if isinstance(doc, dict) and "info" in doc and "item" in doc:
            found.append(path)
    return found


COLLECTIONS = _corpus_collections()


def coll(*items: object, **top: object) -> dict:
    """A minimal valid v2.1 collection around the given items."""
    return {"info": {"name": "t", "schema": V21}, "item": list(items), **top}


def req(**request: object) -> dict:
    return {"name": "r", "request": {"method": "GET", "url": "https://example.com", **request}}


def only(doc: object) -> Problem:
    problems = validate_collection(doc)
    assert len(problems) == 1, problems
    return problems[0]


# --- the corpus --------------------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")
def test_corpus_has_collections() -> None:
    assert len(COLLECTIONS) >= 30


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")
@pytest.mark.parametrize("path", COLLECTIONS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_collection_is_valid(path: Path) -> None:
    assert validate_collection(_load(path)) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")
def test_largest_collection_is_fast() -> None:
    largest = max(COLLECTIONS, key=lambda p: p.stat().st_size)
    doc = _load(largest)
    validate_collection(coll())  # compile outside the timing
    start = time.perf_counter()
    validate_collection(doc)
    assert time.perf_counter() - start < 2.0


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")
def test_v1_corpus_file_gives_one_problem() -> None:
    doc = _load(CORPUS / "postman-newman-samples" / "v1.postman_collection.json")
    problem = only(doc)
    assert problem.pointer == ""
    assert "info" in problem.message and "v1" in problem.message


# --- crafted invalid documents ---------------------------------------------------------------------


def test_item_not_a_list() -> None:
    assert only(coll() | {"item": {"name": "x"}}) == Problem(
        "/item", "must be a list of requests and folders, not an object"
    )


def test_url_a_number() -> None:
    assert only(coll(req(url=5))) == Problem("/item/0/request/url", "must be a string or a URL object, not a number")


def test_method_an_object() -> None:
    problem = only(coll(req(method={"name": "GET"})))
    assert problem.pointer == "/item/0/request/method"
    assert problem.message.endswith("not an object") and "string" in problem.message


def test_exec_a_number() -> None:
    doc = coll(event=[{"listen": "test", "script": {"type": "text/javascript", "exec": 42}}])
    problem = only(doc)
    assert problem.pointer == "/event/0/script/exec"
    assert problem.message == "must be a string or a list of lines of script, not a number"


def test_exec_line_a_number() -> None:
    item = req() | {"event": [{"listen": "prerequest", "script": {"exec": ["ok", 7]}}]}
    assert only(coll(item)).pointer == "/item/0/event/0/script/exec/1"


def test_auth_type_a_number_is_one_problem() -> None:
    problem = only(coll(auth={"type": 3}))
    assert problem.pointer == "/auth/type"
    assert "auth type" in problem.message and problem.message.endswith("not a number")


def test_auth_type_wrong_case_suggests_fix() -> None:
    problem = only(coll(req(auth={"type": "Bearer", "bearer": []})))
    assert problem.pointer == "/item/0/request/auth/type"
    assert "did you mean 'bearer'?" in problem.message


def test_folder_item_a_string() -> None:
    assert only(coll({"name": "folder", "item": "oops"})) == Problem(
        "/item/0/item", "must be a list of requests and folders, not a string"
    )


def test_deep_header_key() -> None:
    bad_header = req(header=[{"key": "A", "value": "1"}, {"key": "B", "value": "2"}, {"key": {}, "value": "3"}])
    doc = coll(req(), {"name": "f", "item": [bad_header]})
    problem = only(doc)
    assert problem.pointer == "/item/1/item/0/request/header/2/key"
    assert problem.message == "must be a header name (a string), not an object"


def test_item_entry_not_an_object() -> None:
    assert only(coll("GET https://x")) == Problem("/item/0", "must be an object (a request or a folder), not a string")


def test_auth_attribute_without_key() -> None:
    problem = only(coll(auth={"type": "bearer", "bearer": [{"value": "t"}]}))
    assert problem == Problem("/auth/bearer/0", "missing required key 'key'")


def test_one_problem_per_bad_value_sorted_in_document_order() -> None:
    items = [req() for _ in range(11)]
    items[2] = req(url=True)
    items[10] = req(method=["GET"])
    problems = validate_collection(coll(*items))
    assert [p.pointer for p in problems] == ["/item/2/request/url", "/item/10/request/method"]


def test_problems_in_different_branches_are_all_reported() -> None:
    doc = coll(req(url={"raw": "x", "query": [{"key": "k", "value": "v", "disabled": "yes"}]}))
    doc["auth"] = {"type": "apikey", "apikey": [{"key": 1}]}
    assert validate_collection(doc) == [
        Problem("/auth/apikey/0/key", "must be a parameter name (a string), not a number"),
        Problem("/item/0/request/url/query/0/disabled", "must be true or false, not a string"),
    ]


def test_pointer_escaping() -> None:
    assert _pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"
    assert _pointer([]) == ""


def test_not_a_collection() -> None:
    assert only([]) == Problem("", "must be a collection object, not a list")
    assert "environment" in only({"id": "e", "name": "env", "values": []}).message


def test_v1_document_gives_one_problem() -> None:
    v1 = {"id": "1", "name": "old", "order": ["a"], "folders": [], "requests": [{"id": "a", "url": "x"}]}
    problem = only(v1)
    assert problem.pointer == ""
    assert "no 'info'" in problem.message and "v1" in problem.message


def test_missing_item() -> None:
    assert only({"info": {"name": "x"}}) == Problem("", "missing required key 'item'")


def test_any_of_reports_best_branch() -> None:
    schema = {"anyOf": [{"type": "string"}, {"type": "object", "properties": {"a": {"type": "integer"}}}]}
    [error] = Draft202012Validator(schema).iter_errors({"a": "x"})
    assert _explain(error) == [Problem("/a", "must be a whole number, not a string")]
    tie = {"anyOf": [{"type": "string"}, {"type": "integer"}], "x-expected": "a name or a number"}
    [error] = Draft202012Validator(tie).iter_errors([])
    assert _explain(error) == [Problem("", "must be a name or a number, not a list")]


# --- what must be accepted ---------------------------------------------------------------------------


def test_unknown_keys_are_accepted() -> None:
    item = req(x_custom={"a": 1}) | {"_postman_isSubFolder": True, "whatever": [1, 2]}
    doc = coll(item, {"name": "f", "item": [], "colour": "red"}, extra=1)
    doc["info"]["_exporter_id"] = "123"
    assert validate_collection(doc) == []


def test_v20_auth_objects_and_v21_lists() -> None:
    v20 = req(auth={"type": "bearer", "bearer": {"token": "{{t}}"}})
    v21 = req(auth={"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}", "type": "string"}]})
    oauth2 = req(auth={"type": "oauth2", "oauth2": {"accessToken": "a", "addTokenTo": "header"}})
    noauth = req(auth={"type": "noauth"})
    assert validate_collection(coll(v20, v21, oauth2, noauth, req(auth=None))) == []
    doc = coll(auth={"type": "digest", "digest": {"username": "u", "password": "p"}})
    doc["info"]["schema"] = V20
    assert validate_collection(doc) == []


def test_plain_string_request_and_url() -> None:
    assert validate_collection(coll({"name": "a", "request": "https://example.com/a"}, req())) == []


def test_url_object_forms() -> None:
    url = {
        "raw": "https://{{host}}:8080/a/:id?q=1#top",
        "protocol": "https",
        "host": ["{{host}}"],
        "port": 8080,
        "path": ["a", ":id", {"type": "string", "value": "b"}],
        "query": [{"key": "q", "value": None, "disabled": False, "description": {"content": "d"}}],
        "variable": [{"key": "id", "value": 7}, {"id": "other", "value": None}],
        "hash": "top",
    }
    string_parts = {"raw": "http://h/p", "host": "h", "path": "p"}
    assert validate_collection(coll(req(url=url), req(url=string_parts))) == []


def test_loose_but_runnable_values() -> None:
    body_formdata = {
        "mode": "formdata",
        "formdata": [
            {"key": "f", "type": "file", "src": []},
            {"key": "g", "type": "file", "src": ["a.txt", "b.txt"]},
            {"key": "h", "type": "file", "src": None},
            {"key": "n", "value": 3, "type": "text"},
        ],
    }
    items = [
        req(method="get", header="Accept: */*\nX-A: 1", body=body_formdata, description=None),
        req(body={"mode": "graphql", "graphql": {"query": "{ a }", "variables": None}}),
        req(body={"mode": "file", "file": {"src": None}}),
        req(body={"mode": "urlencoded", "urlencoded": [{"key": "a", "value": 1, "disabled": True}]}),
        req(body={"mode": "raw", "raw": "{}", "options": {"raw": {"language": "json"}}}),
        req(header=[{"key": "A", "value": 1, "disabled": True, "description": {"content": "x"}}]),
        {"name": "no request at all"},
        req() | {"event": [{"listen": "test", "script": {"exec": "one string", "type": "text/javascript"}}]},
    ]
    variables = [{"key": "n", "value": 1}, {"key": "o", "value": {"a": [1]}}, {"id": "only-id", "value": "x"}]
    doc = coll(*items, variable=variables, protocolProfileBehavior={"followRedirects": False})
    doc["info"]["description"] = {"content": "# hi", "type": "text/markdown"}
    assert validate_collection(doc) == []


def test_saved_responses() -> None:
    example = {
        "name": "ok",
        "originalRequest": {"method": "GET", "url": {"raw": "x", "host": ["x"]}, "header": []},
        "status": "OK",
        "code": 200,
        "_postman_previewlanguage": None,
        "header": None,
        "cookie": [],
        "body": None,
        "responseTime": None,
    }
    assert validate_collection(coll(req() | {"response": [example, copy.deepcopy(example)]})) == []


def test_deeply_nested_folders() -> None:
    node: dict = req()
    for depth in range(30):
        node = {"name": f"level {depth}", "item": [node], "auth": {"type": "noauth"}}
    assert validate_collection(coll(node)) == []
    node["item"][0]["item"][0]["item"][0] = req(url=[])
    problem = only(coll(node))
    assert problem.pointer == "/item/0/item/0/item/0/item/0/request/url"


# --- the fast yes/no evaluator agrees with jsonschema ---------------------------------------------


def _jsonschema_says_valid(doc: object) -> bool:
    return next(iter(_validator().iter_errors(doc)), None) is None


def _spots(doc: object) -> list[tuple[object, object]]:
    """Every (container, key or index) in ``doc``, in document order."""
    found: list[tuple[object, object]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in pairs:
            found.append((node, key))
            stack.append(value)
    return found


def _mutations(doc: object, rng: random.Random, count: int) -> list[object]:
    """``count`` copies of ``doc``, each with one value somewhere replaced by a value of another type."""
    replacements = [None, True, 0, 1.5, 2.0, "", "Bearer", "noauth", [], ["x", 1], {}, {"item": []}, {"key": 3}]
    size = len(_spots(doc))
    out = []
    for _ in range(count):
        copied = copy.deepcopy(doc)
        parent, key = _spots(copied)[rng.randrange(size)]  # the same walk order on the copy
        parent[key] = copy.deepcopy(rng.choice(replacements))  # type: ignore[index]
        out.append(copied)
    return out


def test_fast_check_agrees_with_jsonschema_on_mutated_collections() -> None:
    """Thousands of one-value mutations of real and crafted collections: both say valid, or both not."""
    rng = random.Random(8)
    small = sorted((p for p in COLLECTIONS if p.stat().st_size < 15_000), key=lambda p: p.stat().st_size)
    seeds: list[object] = [_load(p) for p in small[-5:]]
    bearer = req(auth={"type": "bearer", "bearer": [{"key": "token", "value": "t"}]})
    seeds.append(coll(bearer, {"name": "f", "item": [req()]}))
    verdicts = {True: 0, False: 0}
    disagreements = 0
    for seed in seeds:
        for doc in _mutations(seed, rng, 80):
            expected = _jsonschema_says_valid(doc)
            verdicts[expected] += 1
            if _valid(doc) != expected:
                disagreements += 1
    assert disagreements == 0
    assert verdicts[True] > 20 and verdicts[False] > 20  # both answers were exercised


def test_fast_check_json_type_rules() -> None:
    schema = {"properties": {"n": {"type": "integer"}, "e": {"enum": ["a", True]}}}
    assert _accepts(schema, {"n": 2.0}, {}) and not _accepts(schema, {"n": 2.5}, {})
    assert not _accepts(schema, {"n": True}, {})  # a boolean is not a number in JSON Schema
    assert _accepts(schema, {"e": True}, {}) and not _accepts(schema, {"e": 1}, {})
    with pytest.raises(ValueError, match="minLength"):
        _accepts({"minLength": 1}, "", {})


def test_the_shipped_schema_is_a_valid_json_schema():
    """Checked here rather than at every start of postrun (it costs ~30 ms)."""
    import json
    from importlib import resources

    from jsonschema import Draft202012Validator

    schema = json.loads(resources.files("runner").joinpath("schema", "collection-v2.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)

"""``postrun check``: unresolved variables per tenant, found without sending anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from runner.collection import Collection, load_collection
from runner.unresolved import TenantReport, Use, check, format_reports, scan_script
from runner.variables import VariableScope, load_data_file, load_scope_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def write_collection(tmp_path: Path, items: list[dict[str, Any]], **extra: Any) -> Collection:
    doc = {"info": {"name": "c", "schema": SCHEMA}, "item": items, **extra}
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps(doc))
    return load_collection(path)


def write_env(tmp_path: Path, name: str, values: dict[str, Any], disabled: tuple[str, ...] = ()) -> VariableScope:
    entries = [{"key": k, "value": v, "enabled": k not in disabled} for k, v in values.items()]
    path = tmp_path / f"{name}.postman_environment.json"
    path.write_text(json.dumps({"name": name, "values": entries}))
    return load_scope_file(path, "environment")


def item(name: str, url: str = "https://x.test", *, events: dict[str, str] | None = None, **request: Any) -> dict:
    out: dict[str, Any] = {"name": name, "request": {"method": "GET", "url": url, **request}}
    if events:
        out["event"] = [{"listen": listen, "script": {"exec": source.split("\n")}} for listen, source in events.items()]
    return out


def missing(collection: Collection, env: VariableScope | None = None, **kw: Any) -> dict[str, list[Use]]:
    globals_ = kw.pop("globals_", VariableScope("globals"))
    [report] = check(collection, [("t", env)], globals_, **kw)
    return report.missing


# --- the bundled collections and tenants ------------------------------------------------------------


def bundled_tenants() -> list[tuple[str, VariableScope | None]]:
    return [
        (name, load_scope_file(ROOT / "environments" / f"{name}.postman_environment.json", "environment"))
        for name in ("acme", "globex")
    ]


@pytest.mark.parametrize("path", sorted((ROOT / "collections").glob("*.json")), ids=lambda p: p.name)
def test_bundled_collections_are_complete_for_both_tenants(path: Path) -> None:
    reports = check(load_collection(path), bundled_tenants(), VariableScope("globals"))
    assert [r.tenant for r in reports] == ["acme", "globex"]
    assert all(r.complete for r in reports), format_reports(reports)
    assert format_reports(reports).endswith("All 2 tenants resolve every variable the collection uses.")


def test_tenant_without_api_token_misses_it_in_the_inherited_basic_auth(tmp_path: Path) -> None:
    doc = json.loads((ROOT / "environments" / "acme.postman_environment.json").read_text())
    doc["values"] = [v for v in doc["values"] if v["key"] != "apiToken"]
    (tmp_path / "acme.json").write_text(json.dumps(doc))
    tenants = [("acme", load_scope_file(tmp_path / "acme.json", "environment")), bundled_tenants()[1]]
    collection = load_collection(ROOT / "collections" / "zendesk-support.postman_collection.json")
    acme, globex = check(collection, tenants, VariableScope("globals"))
    assert list(acme.missing) == ["apiToken"]
    assert acme.missing["apiToken"] == [
        Use("Support API / Renew the current session", "auth basic.password"),
        Use("Help Center API / Show Session", "auth basic.password"),
    ]
    assert globex.complete
    text = format_reports([acme, globex])
    assert "acme: 1 variable left unresolved" in text
    assert "{{apiToken}} used in 2 places" in text
    assert "Support API / Renew the current session: auth basic.password" in text
    assert "globex: every variable resolves" in text
    assert text.splitlines()[-1] == "Unresolved variables in 1 of 2 tenants: acme"


def test_salesforce_token_set_by_the_refresh_test_script_is_not_missing(tmp_path: Path) -> None:
    doc = json.loads((ROOT / "environments" / "acme.postman_environment.json").read_text())
    doc["values"] = [v for v in doc["values"] if v["key"] != "_accessToken"]
    (tmp_path / "acme.json").write_text(json.dumps(doc))
    env = load_scope_file(tmp_path / "acme.json", "environment")
    collection = load_collection(ROOT / "collections" / "salesforce-platform.postman_collection.json")
    assert missing(collection, env) == {}
    # Run the Limits request alone: nothing sets the token before it is used.
    assert missing(collection, env, folders=["REST"]) == {"_accessToken": [Use("REST / Limits", "auth bearer.token")]}


# --- what is a reference ------------------------------------------------------------------------------


def test_every_sent_part_of_the_request_is_checked(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path,
        [
            item(
                "all",
                url={
                    "raw": "ignored",
                    "protocol": "{{proto}}",
                    "host": ["{{host}}"],
                    "port": "{{port}}",
                    "path": ["v1", ":id"],
                    "query": [
                        {"key": "{{qk}}", "value": "{{qv}}"},
                        {"key": "off", "value": "{{off}}", "disabled": True},
                    ],
                    "variable": [{"key": "id", "value": "{{pathId}}"}, {"key": "unused", "value": "{{unusedVar}}"}],
                },
                method="POST",
                header=[
                    {"key": "{{hk}}", "value": "{{hv}}"},
                    {"key": "X-Off", "value": "{{offHeader}}", "disabled": True},
                ],
                body={
                    "mode": "urlencoded",
                    "urlencoded": [
                        {"key": "a", "value": "{{formValue}}"},
                        {"key": "b", "value": "{{offField}}", "disabled": True},
                    ],
                },
                description="{{inDescription}}",
            )
        ],
    )
    found = missing(collection)
    assert list(found) == ["proto", "host", "port", "pathId", "qk", "qv", "hk", "hv", "formValue"]
    assert found["host"] == [Use("all", "url")]
    assert found["hv"] == [Use("all", "header {{hk}}")]
    assert found["formValue"] == [Use("all", "body a")]


def test_body_modes(tmp_path: Path) -> None:
    def post(name: str, body: dict[str, Any]) -> dict[str, Any]:
        return item(name, method="POST", body=body)

    collection = write_collection(
        tmp_path,
        [
            post("raw", {"mode": "raw", "raw": '{"a": "{{rawVar}}"}'}),
            post(
                "form",
                {
                    "mode": "formdata",
                    "formdata": [
                        {"key": "t", "type": "text", "value": "{{textPart}}"},
                        {"key": "f", "type": "file", "src": ["{{dir}}/a.png"]},
                        {"key": "g", "type": "text", "value": "{{offPart}}", "disabled": True},
                    ],
                },
            ),
            post("file", {"mode": "file", "file": {"src": "{{upload}}"}}),
            post(
                "gql", {"mode": "graphql", "graphql": {"query": '{ a(id: "{{gqlId}}") }', "variables": "{{gqlVars}}"}}
            ),
            post("disabled", {"mode": "raw", "raw": "{{disabledBody}}", "disabled": True}),
            item("get", body={"mode": "raw", "raw": "{{prunedBody}}"}),
            {
                **item("kept", body={"mode": "raw", "raw": "{{keptBody}}"}),
                "protocolProfileBehavior": {"disableBodyPruning": True},
            },
        ],
    )
    found = missing(collection)
    assert list(found) == ["rawVar", "textPart", "dir", "upload", "gqlId", "gqlVars", "keptBody"]
    assert found["dir"] == [Use("form", "body f file")]
    assert found["gqlVars"] == [Use("gql", "body variables")]


def test_auth_is_inherited_and_noauth_or_oauth2_settings_are_not_sent(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path,
        [
            {
                "name": "F",
                "auth": {"type": "apikey", "apikey": [{"key": "value", "value": "{{folderKey}}"}]},
                "item": [item("inherits"), item("none", auth={"type": "noauth"})],
            },
            item("top"),
            item(
                "oauth",
                auth={
                    "type": "oauth2",
                    "oauth2": [
                        {"key": "accessToken", "value": "{{oauthToken}}"},
                        {"key": "clientSecret", "value": "{{notSent}}"},
                    ],
                },
            ),
        ],
        auth={"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]},
    )
    found = missing(collection)
    assert found == {
        "folderKey": [Use("F / inherits", "auth apikey.value")],
        "token": [Use("top", "auth bearer.token")],
        "oauthToken": [Use("oauth", "auth oauth2.accessToken")],
    }


def test_saved_examples_are_not_checked(tmp_path: Path) -> None:
    example = {"name": "ok", "originalRequest": {"method": "GET", "url": "{{exampleHost}}"}, "body": "{{exampleBody}}"}
    collection = write_collection(tmp_path, [{**item("a"), "response": [example]}])
    assert missing(collection) == {}


def test_dynamic_variables_are_never_missing(tmp_path: Path) -> None:
    collection = write_collection(tmp_path, [item("a", "https://x.test/{{$guid}}/{{$randomEmail}}/{{$unknownThing}}")])
    assert missing(collection) == {}


# --- what provides a variable ------------------------------------------------------------------------


def test_scopes_and_null_provide_and_disabled_do_not(tmp_path: Path) -> None:
    """A null value resolves to "null", as in Newman (measured), so it is not missing."""
    collection = write_collection(
        tmp_path,
        [item("a", "https://{{envVar}}.{{collVar}}.{{globalVar}}.{{nullVar}}.{{offVar}}.{{emptyVar}}/")],
        variable=[{"key": "collVar", "value": "c"}],
    )
    env = write_env(
        tmp_path, "t", {"envVar": "e", "nullVar": None, "offVar": "x", "emptyVar": ""}, disabled=("offVar",)
    )
    globals_ = VariableScope("globals", [{"key": "globalVar", "value": "g"}])
    assert list(missing(collection, env, globals_=globals_)) == ["offVar"]


def test_nested_references_in_values_count(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path, [item("a", "{{baseUrl}}/users")], variable=[{"key": "baseUrl", "value": "{{scheme}}://{{host}}"}]
    )
    env = write_env(tmp_path, "t", {"scheme": "https"})
    assert missing(collection, env) == {"host": [Use("a", "url")]}
    # A name built from another variable resolves inner first, as the runner does.
    collection = write_collection(tmp_path, [item("a", "https://{{host_{{region}}}}/")])
    assert list(missing(collection, write_env(tmp_path, "t", {"region": "eu"}))) == ["host_eu"]
    assert missing(collection, write_env(tmp_path, "t", {"region": "eu", "host_eu": "eu.x.test"})) == {}


def test_iteration_data_columns_provide(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("user,id\nann,1\nbob,\n")
    data = load_data_file(tmp_path / "data.csv")
    collection = write_collection(tmp_path, [item("a", "https://x.test/{{user}}/{{id}}/{{other}}")])
    assert list(missing(collection, data=data)) == ["other"]
    assert list(missing(collection)) == ["user", "id", "other"]


def test_later_data_rows_are_checked_after_a_whole_iteration(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(json.dumps([{"token": "t1"}, {"other": 1}]))
    data = load_data_file(tmp_path / "data.json")
    collection = write_collection(
        tmp_path,
        [item("use", "https://x.test/{{token}}"), item("login", events={"test": 'pm.environment.set("token", "x");'})],
    )
    # Row 1 has the column; row 2 has not, but by then the login test has set the token.
    assert missing(collection, data=data) == {}
    [report] = check(collection, [("t", None)], VariableScope("globals"))
    assert report.missing == {"token": [Use("use", "url")]}
    assert report.set_later == {"token"}
    assert "{{token}} used in 1 place (a script sets it, but later in the run)" in format_reports([report])


# --- scripts that set variables -----------------------------------------------------------------------


def test_prerequest_setters_cover_their_own_item_and_test_setters_only_later_ones(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path,
        [
            item(
                "first",
                "https://x.test/{{pre}}/{{post}}",
                events={"prerequest": "pm.environment.set('pre', 1);", "test": "pm.environment.set('post', 2);"},
            ),
            item("second", "https://x.test/{{pre}}/{{post}}"),
        ],
    )
    assert missing(collection) == {"post": [Use("first", "url")]}


def test_collection_and_folder_scripts_run_before_each_item(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path,
        [
            {
                "name": "F",
                "event": [{"listen": "prerequest", "script": {"exec": ["pm.globals.set('fromFolder', 1)"]}}],
                "item": [item("in", "https://x.test/{{fromCollection}}/{{fromFolder}}")],
            },
            item("out", "https://x.test/{{fromCollection}}/{{fromFolder}}"),
        ],
        event=[{"listen": "prerequest", "script": {"exec": ['pm.collectionVariables.set("fromCollection", 1)']}}],
    )
    assert missing(collection) == {}


def test_setter_forms_that_are_seen(tmp_path: Path) -> None:
    script = "\n".join(
        [
            'pm.environment.set("a", 1);',
            "pm.globals.set('b', 1);",
            "pm.collectionVariables.set(`c`, 1);",
            "pm.variables.set('d', 1);",
            'postman.setEnvironmentVariable("e", 1);',
            "postman.setGlobalVariable('f', 1);",
            "const context = pm.environment.name ? pm.environment : pm.collectionVariables;",
            'context.set("g", jsonData.access_token);',
            "pm.environment\n  .set('h', 1);",
        ]
    )
    names = "".join(f"{{{{{n}}}}}" for n in "abcdefgh")
    collection = write_collection(tmp_path, [item("a", f"https://x.test/{names}", events={"prerequest": script})])
    assert missing(collection) == {}


def test_setters_that_cannot_be_seen_leave_the_variable_missing(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "const name = 'a';",
            "pm.environment.set(name, 1);",
            "pm.environment.set('b' + suffix, 1);",
            "pm.environment.set(`c${n}`, 1);",
            "// pm.environment.set('d', 1);",
            "/* pm.environment.set('e', 1); */",
            "pm.environment.set('f');",
            "pm.request.headers.set('g', 1);",
            "const s = \"pm.environment.set('h', 1)\";",
        ]
    )
    names = "".join(f"{{{{{n}}}}}" for n in ["a", "b", "c1", "d", "e", "f", "g", "h"])
    collection = write_collection(tmp_path, [item("a", f"https://x.test/{names}", events={"prerequest": script})])
    assert list(missing(collection)) == ["a", "b", "c1", "d", "e", "f", "g", "h"]


def test_an_environment_null_provides_the_variable(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path, [item("a", "https://x.test/{{v}}", events={"prerequest": "pm.globals.set('v', 1)"})]
    )
    env = write_env(tmp_path, "t", {"v": None})
    assert missing(collection, env) == {}  # it resolves to "null", as in Newman
    assert missing(collection, write_env(tmp_path, "u", {})) == {}


def test_replace_in_templates_in_scripts_count_as_uses(tmp_path: Path) -> None:
    script = "pm.variables.set('x', 1);\nconst s = pm.variables.replaceIn('{{x}}-{{y}}-{{$timestamp}}');"
    collection = write_collection(
        tmp_path,
        [item("a", events={"prerequest": script})],
        event=[{"listen": "test", "script": {"exec": ['pm.variables.replaceIn("{{z}}")']}}],
    )
    assert missing(collection) == {"y": [Use("a", "pre-request script")], "z": [Use("a", "test script (collection)")]}


def test_scan_script_reports_setters_and_templates_in_order() -> None:
    source = "pm.variables.replaceIn('{{a}}'); pm.environment.set(\"b\\\"q\", 1); ctx.set('c', 2)"
    assert scan_script(source) == (("", "", "{{a}}"), ("environment", 'b"q', None), ("environment", "c", None))


# --- selection and output ----------------------------------------------------------------------------


def test_folders_limit_the_items_checked(tmp_path: Path) -> None:
    collection = write_collection(
        tmp_path,
        [{"name": "A", "item": [item("a", "https://x.test/{{inA}}")]}, {"name": "B", "item": [item("b", "{{inB}}")]}],
    )
    assert list(missing(collection, folders=["B"])) == ["inB"]


def test_format_lists_the_first_places_then_a_count() -> None:
    uses = [Use(f"item {i}", "url") for i in range(5)]
    text = format_reports([TenantReport("", {"host": uses})], places=2)
    assert text.splitlines() == [
        "(no environment): 1 variable left unresolved",
        "  {{host}} used in 5 places",
        "    item 0: url",
        "    item 1: url",
        "    ... and 3 more",
        "Unresolved variables in 1 of 1 tenant: (no environment)",
    ]
    assert format_reports([TenantReport("acme")]).splitlines() == [
        "acme: every variable resolves",
        "All 1 tenant resolve every variable the collection uses.",
    ]


# --- the corpus -----------------------------------------------------------------------------------------


def _corpus_cases() -> list[tuple[Path, list[Path], Path | None, Path | None]]:
    """Each corpus collection with the environments, data file and globals file of its folder."""
    if not CORPUS.is_dir():
        return []
    out = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        collections, environments, data, globals_ = [], [], None, None
        for path in sorted(folder.iterdir()):
            if path.suffix == ".csv" or path.name.endswith("_data.json"):
                data = path
            elif path.name.endswith("_globals.json"):
                globals_ = path
            elif path.suffix == ".json":
                doc = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(doc, dict) and ("info" in doc or "requests" in doc):
                    collections.append(path)
                elif isinstance(doc, dict) and isinstance(doc.get("values"), list):
                    environments.append(path)
        out += [(c, environments, data, globals_) for c in collections]
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
@pytest.mark.parametrize("case", _corpus_cases(), ids=lambda case: case[0].name)
def test_corpus_collections_check_without_crashing(case: tuple[Path, list[Path], Path | None, Path | None]) -> None:
    collection_path, env_paths, data_path, globals_path = case
    collection = load_collection(collection_path)
    tenants: list[tuple[str, VariableScope | None]] = [
        (p.name, load_scope_file(p, "environment")) for p in env_paths
    ] or [("", None)]
    globals_ = load_scope_file(globals_path, "globals") if globals_path else VariableScope("globals")
    data = load_data_file(data_path) if data_path else None
    reports = check(collection, tenants, globals_, data=data)
    assert [r.tenant for r in reports] == [name for name, _ in tenants]
    for report in reports:
        assert report.set_later <= set(report.missing)
        for name, uses in report.missing.items():
            assert name and not name.startswith("$") and uses
    assert format_reports(reports)


def test_oauth2_grant_settings_are_checked_when_postrun_fetches_the_token(tmp_path: Path) -> None:
    params = {"grant_type": "client_credentials", "accessTokenUrl": "https://idp.test/token",
              "clientId": "{{clientId}}", "clientSecret": "{{clientSecret}}"}  # fmt: skip
    oauth = {"type": "oauth2", "oauth2": [{"key": k, "value": v} for k, v in params.items()]}
    collection = write_collection(tmp_path, [item("fetches", auth=oauth)])
    assert missing(collection) == {
        "clientId": [Use("fetches", "auth oauth2.clientId")],
        "clientSecret": [Use("fetches", "auth oauth2.clientSecret")],
    }

"""Every real collection in the shared corpus loads, validates and resolves into concrete requests.

The files are read where they are (never copied into the project); each one is loaded once per module.
The dry run prepares every request item with the environment (and globals and first data row) from
its own folder, without sending anything.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runner.collection import Collection, Item, load_collection
from runner.request import definition, prepare
from runner.resolver import Resolver
from runner.url import InvalidURL, join_url
from runner.variables import Scopes, VariableScope, load_data_file, load_scope_file
from tests.conftest import CORPUS

if not CORPUS.is_dir():
    pytest.skip(f"{CORPUS} is not here", allow_module_level=True)


def _kind(path: Path) -> str:
    name = path.name.lower()
    if path.suffix == ".csv" or name.endswith("_data.json"):
        return "data"
    if name.endswith("globals.json"):
        return "globals"
    if name.endswith("environment.json"):
        return "environment"
    return "collection"


FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".csv"))
COLLECTIONS = [p for p in FILES if _kind(p) == "collection"]
SCOPE_FILES = [p for p in FILES if _kind(p) in ("environment", "globals")]
DATA_FILES = [p for p in FILES if _kind(p) == "data"]


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


# Items whose host is a variable that holds nothing usable until a script sets it at run time
# (Salesforce's {{_endpoint}} comes from the login response; Zendesk's {{baseUrl}} is "/"). These
# counts may shrink, never grow.
UNRESOLVABLE_HOSTS = {
    "salesforce-platform-apis/Salesforce APIs.postman_collection.json": 231,
    "salesforce-apis-2020/Salesforce API.postman_collection.json": 26,
    "zendesk/zendesk-tickets-api.postman_collection.json": 35,
}


@functools.cache
def collection(path: Path) -> Collection:
    return load_collection(path)


def _best_match(path: Path, candidates: list[Path]) -> Path | None:
    """The file in the same folder whose name shares the longest prefix with the collection's name."""
    here = [c for c in candidates if c.parent == path.parent]
    if not here:
        return None
    return max(here, key=lambda c: (len(os.path.commonprefix([c.name.lower(), path.name.lower()])), -here.index(c)))


@functools.cache
def scopes_for(path: Path) -> Scopes:
    env_file = _best_match(path, [p for p in SCOPE_FILES if _kind(p) == "environment"])
    globals_file = _best_match(path, [p for p in SCOPE_FILES if _kind(p) == "globals"])
    data_file = _best_match(path, DATA_FILES)
    rows = load_data_file(data_file) if data_file else []
    return Scopes(
        load_scope_file(globals_file, "globals") if globals_file else VariableScope("globals"),
        VariableScope("collection", collection(path).variables),
        load_scope_file(env_file, "environment") if env_file else VariableScope(""),
        data=dict(rows[0]) if rows else {},
    )


@dataclass
class DryRun:
    items: int = 0
    unresolvable: list[tuple[Item, str]] = field(default_factory=list)


@functools.cache
def dry_run(path: Path, working_dir: str) -> DryRun:
    scopes = scopes_for(path)
    result = DryRun()
    for item in collection(path).items():
        result.items += 1
        try:
            prepared = prepare(
                definition(item),
                Resolver(scopes.lookup),
                working_dir=working_dir,
                protocol_profile=item.protocol_profile,
            )
        except InvalidURL as exc:
            result.unresolvable.append((item, str(exc)))
            continue
        where = " / ".join(item.path)
        assert prepared.method and prepared.method == prepared.method.strip(), where
        assert prepared.target.target.startswith("/"), (where, prepared.target)
        assert prepared.target.host, (where, prepared.target)
    return result


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("corpus-workdir"))


def test_the_corpus_is_classified():
    assert len(COLLECTIONS) >= 30
    assert len(SCOPE_FILES) >= 15
    assert {_id(p) for p in DATA_FILES} >= {
        "brightspace/input.csv",
        "postman-newman-samples/globals-env-data-files.postman_data.json",
    }


@pytest.mark.parametrize("path", COLLECTIONS, ids=_id)
def test_collection_loads_and_validates(path):
    c = collection(path)
    assert isinstance(c, Collection) and c.file == str(path)
    assert c.name
    for item in c.items():
        assert item.request["method"] and isinstance(item.request["url"], dict)


@pytest.mark.parametrize("path", SCOPE_FILES, ids=_id)
def test_environment_and_globals_files_load(path):
    scope = load_scope_file(path, _kind(path))
    assert len(scope) > 0
    exported = scope.export(_kind(path))
    assert {v["key"] for v in exported["values"] if v.get("enabled", True)} == set(scope.to_dict())


@pytest.mark.parametrize("path", COLLECTIONS, ids=_id)
def test_every_request_item_resolves_in_a_dry_run(path, workdir):
    result = dry_run(path, workdir)
    expected = UNRESOLVABLE_HOSTS.get(_id(path), 0)
    listing = "\n".join(f"  {' / '.join(i.path)}: {message}" for i, message in result.unresolvable)
    assert len(result.unresolvable) <= expected, f"{len(result.unresolvable)} unresolvable hosts:\n{listing}"
    for item, message in result.unresolvable:
        host = join_url({"host": item.request["url"].get("host") or []})
        assert "{{" in host or not host, f"{' / '.join(item.path)}: {message} (host {host!r})"


def test_unresolvable_hosts_stay_few(workdir):
    runs = {_id(p): dry_run(p, workdir) for p in COLLECTIONS}
    total = sum(r.items for r in runs.values())
    bad = [(name, i, m) for name, r in runs.items() for i, m in r.unresolvable]
    listing = "\n".join(f"  {name}: {' / '.join(i.path)}: {m}" for name, i, m in bad)
    assert total > 4000
    assert len(bad) <= sum(UNRESOLVABLE_HOSTS.values()) and len(bad) < total // 10, listing


# --- what the corpus notes call out -------------------------------------------------------------------


def test_brightspace_csv_loads_as_data():
    rows = load_data_file(CORPUS / "brightspace" / "input.csv")
    assert rows == [  # unquoted numbers are numbers, as Newman reads CSV
        {"OrgUnitId": 6606, "UserId": 141836, "RoleId": 109},
        {"OrgUnitId": 6606, "UserId": 141881, "RoleId": 110},
        {"OrgUnitId": 7160, "UserId": 141836, "RoleId": 109},
        {"OrgUnitId": 7160, "UserId": 141881, "RoleId": 110},
    ]


def test_newman_samples_disabled_duplicates_globals_and_data(workdir):
    env = load_scope_file(
        CORPUS / "postman-newman-samples/disabled-and-duplicates.postman_environment.json", "environment"
    )
    assert not env.has("justDisabled")
    assert env.get("oneDisabled") == "1"
    assert env.get("duplicate") == "2"
    path = CORPUS / "postman-newman-samples/globals-env-data-files.postman_collection.json"
    first = next(collection(path).items())
    prepared = prepare(definition(first), Resolver(scopes_for(path).lookup), working_dir=workdir)
    # data beats environment ("data"), environment beats globals; unknown names stay as written
    assert prepared.url == (
        "https://postman-echo.com/get?global=global1&env=env2&data=DATA&prsE={{prsE}}&prsG={{prsG}}"
    )
    assert prepared.target.target == "/get?global=global1&env=env2&data=DATA&prsE={{prsE}}&prsG={{prsG}}"


def test_v1_and_v2_versions_of_the_same_collection_agree():
    base = CORPUS / "postman-newman-samples"
    v1 = collection(base / "multi-level-folders-v1.postman_collection.json")
    v2 = collection(base / "multi-level-folders-v2.postman_collection.json")

    def shape(c: Collection) -> list[tuple[list[str], str, str, list[str]]]:
        return [
            (i.path, i.request["method"], join_url(i.request["url"]), sorted(s.listen for s in i.events))
            for i in c.items()
        ]

    assert shape(v1) == shape(v2)
    assert [f.path for f in v1.folders()] == [f.path for f in v2.folders()]
    sample = collection(base / "v1.postman_collection.json")
    assert [i.request["method"] for i in sample.items()] == ["GET", "POST", "POST"]


def test_corpus_specifics():
    stripe = collection(CORPUS / "stripe/StripeAPICollection.json")
    assert VariableScope("c", stripe.variables).get("versionUserAgent").startswith("Stripe Postman Collection")
    paypal = collection(CORPUS / "paypal/PayPal_Public_APIs.json")
    assert sum(len(i.responses) for i in paypal.items()) == 463
    graphql = collection(CORPUS / "contentstack/graphql-collection.json")
    assert sum(1 for i in graphql.items() if (i.request.get("body") or {}).get("mode") == "graphql") == 69
    wise = load_scope_file(CORPUS / "wise/TW-API-ENVIRONMENT.postman_environment.json", "environment")
    assert wise.has("client_credentials_token\n")
    idc = load_scope_file(CORPUS / "forgerock-field/IDC.postman_environment.json", "environment")
    assert idc.has("openamAccessToken") and idc.get("openamAccessToken") is None
    forgerock = collection(CORPUS / "forgerock-field/IdentityCloudAndPlatform.postman_collection.json")
    assert max(len(f.path) for f in forgerock.folders()) >= 6

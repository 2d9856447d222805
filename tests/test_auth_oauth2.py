"""OAuth 2.0 tokens fetched by postrun from a loopback authorization server built on oauthlib's Server."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest
from authkit import OK_TEST, auth, verifying_server
from conftest import collection, item, postrun, write_json

oauth2 = pytest.importorskip("oauthlib.oauth2")

CLIENTS = {"app-1": "s3cret-one", "app-2": "s3cret-two", "public-app": None}
USERS = {"alice": "wonder-land-pw"}
CODE, VERIFIER = "code-7f3a", "verifier-0123456789-0123456789-0123456789-abc"


class Validator(oauth2.RequestValidator):
    """Just enough of oauthlib's validator for the grants Postman configures; records what it saw."""

    def __init__(self, state: AuthServer) -> None:
        self.state = state

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        header = request.headers.get("Authorization", "")
        in_body = request.client_secret is not None
        if header.startswith("Basic "):
            cid, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            cid, secret = unquote_plus(cid), unquote_plus(secret)
            methods = ["header"] + (["body"] if in_body or request.client_id else [])
        else:
            cid, secret, methods = request.client_id, request.client_secret, ["body"]
        self.state.client_auth.append(methods)
        if len(methods) != 1 or CLIENTS.get(cid) is None or CLIENTS[cid] != secret:
            return False
        request.client = type("Client", (), {"client_id": cid})()
        request.client_id = cid
        return True

    def client_authentication_required(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        return not (request.client_id in CLIENTS and CLIENTS[request.client_id] is None)

    def authenticate_client_id(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        if client_id in CLIENTS and CLIENTS[client_id] is None and "Authorization" not in request.headers:
            self.state.client_auth.append(["public"])
            request.client = type("Client", (), {"client_id": client_id})()
            return True
        return False

    def validate_grant_type(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def validate_scopes(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def get_default_scopes(self, *args: Any, **kwargs: Any) -> list[str]:
        return ["read"]

    def get_original_scopes(self, *args: Any, **kwargs: Any) -> list[str]:
        return ["read"]

    def validate_user(self, username: str, password: str, client: Any, request: Any, *a: Any, **k: Any) -> bool:
        request.user = username
        return USERS.get(username) == password

    def validate_code(self, client_id: str, code: str, client: Any, request: Any, *a: Any, **k: Any) -> bool:
        request.user, request.scopes = "alice", ["read"]
        return code == CODE or code in self.state.codes

    # -- the authorization endpoint, for clients it approves without a login (postrun follows authUrl)
    def validate_client_id(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        return client_id in CLIENTS

    def validate_redirect_uri(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def validate_response_type(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        return CLIENTS.get(client_id) is None

    def save_authorization_code(self, client_id: str, code: dict[str, Any], request: Any, *a: Any, **k: Any) -> None:
        self.state.codes[code["code"]] = (request.code_challenge, request.code_challenge_method)

    def confirm_redirect_uri(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def get_code_challenge(self, code: str, request: Any) -> str | None:
        if code in self.state.codes:
            return self.state.codes[code][0]
        if request.client_id == "public-app":  # the PKCE client
            return base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).decode().rstrip("=")
        return None

    def get_code_challenge_method(self, code: str, request: Any) -> str:
        return self.state.codes[code][1] if code in self.state.codes else "S256"

    def invalidate_authorization_code(self, *args: Any, **kwargs: Any) -> None:
        pass

    def save_bearer_token(self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any) -> None:
        expires = time.time() + token.get("expires_in", 3600)
        self.state.tokens[token["access_token"]] = (request.client_id or "", expires)
        if token.get("refresh_token"):
            self.state.refresh[token["refresh_token"]] = request.client_id or ""

    def validate_refresh_token(self, refresh_token: str, client: Any, request: Any, *a: Any, **k: Any) -> bool:
        return refresh_token in self.state.refresh

    def rotate_refresh_token(self, request: Any) -> bool:
        return False


class AuthServer:
    def __init__(self) -> None:
        self.tokens: dict[str, tuple[str, float]] = {}
        self.refresh: dict[str, str] = {}
        self.client_auth: list[list[str]] = []
        self.codes: dict[str, tuple[str | None, str | None]] = {}
        self.grants: list[str] = []
        self.reject_next = threading.Event()
        self.server = oauth2.Server(Validator(self), token_expires_in=3600)

    def __call__(self, handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        if seen.target.startswith("/authorize"):
            headers, text, status = self.server.create_authorization_response(
                "http://127.0.0.1" + seen.target, "GET", None, dict(seen.headers), scopes=["read"]
            )
            return status, list(headers.items()), text or ""
        if seen.target.startswith("/token"):
            body = seen.body.decode()
            self.grants.append(dict(p.split("=", 1) for p in body.split("&") if "=" in p).get("grant_type", ""))
            headers, text, status = self.server.create_token_response(
                "http://127.0.0.1" + seen.target, "POST", body, dict(seen.headers)
            )
            return status, list(headers.items()), text
        token = (seen.header("Authorization") or "").removeprefix("Bearer ")
        found = self.tokens.get(token)
        if self.reject_next.is_set():
            self.reject_next.clear()
            return 401, [("WWW-Authenticate", 'Bearer error="invalid_token"')], "revoked"
        if found is None or found[1] < time.time():
            return 401, [], "unknown or expired token"
        return 200, [], json.dumps({"client": found[0]})


def oauth2_auth(url: str, **params: Any) -> dict[str, Any]:
    return auth("oauth2", accessTokenUrl=url + "/token", addTokenTo="header", **params)


def run(tmp_path: Path, items: list[dict[str, Any]], *args: str, name: str = "c.json") -> Any:
    coll = write_json(tmp_path / name, collection(items))
    return postrun(str(coll), *args)


def test_every_grant_with_each_client_authentication_and_one_token_per_configuration(tmp_path: Path) -> None:
    state = AuthServer()
    with verifying_server(state) as srv:
        code_param = [{"key": "code", "value": "{{authCode}}", "send_as": "request_body"}]
        configs = {
            "cc header": dict(grant_type="client_credentials", clientId="app-1", clientSecret="s3cret-one",
                              client_authentication="header"),
            "cc body": dict(grant_type="client_credentials", clientId="app-2", clientSecret="s3cret-two",
                            client_authentication="body", scope="read write"),
            "password": dict(grant_type="password_credentials", clientId="app-1", clientSecret="s3cret-one",
                             username="alice", password="wonder-land-pw"),
            "code": dict(grant_type="authorization_code", clientId="app-2", clientSecret="s3cret-two",
                         client_authentication="body", redirect_uri="http://localhost/cb",
                         tokenRequestParams=code_param),
            "pkce public": dict(grant_type="authorization_code_with_pkce", clientId="public-app",
                                code_verifier=VERIFIER, challengeAlgorithm="S256", redirect_uri="http://localhost/cb",
                                tokenRequestParams=code_param),
        }  # fmt: skip
        configs["cc header again"] = configs["cc header"]
        items = [item(n, srv.url + "/api", test=OK_TEST, auth=oauth2_auth(srv.url, **p)) for n, p in configs.items()]
        env = write_json(tmp_path / "e.json", {"name": "e", "values": [{"key": "authCode", "value": CODE}]})
        report, page = tmp_path / "report.json", tmp_path / "report.html"
        result = run(tmp_path, items, "-e", str(env), "--reporters", "cli,json,html", "--reporter-json-export",
                     str(report), "--reporter-html-export", str(page))  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.output.count("✓  accepted") == 6
        assert state.grants == ["client_credentials", "client_credentials", "password", "authorization_code",
                                "authorization_code"]  # fmt: skip
        assert state.client_auth == [["header"], ["body"], ["header"], ["body"], ["public"]]
        assert result.output.count("(oauth2 token)") == 5  # the token request has its own line
    text = result.output + report.read_text() + page.read_text()
    assert page.read_text().count("(oauth2 token)") == 5
    for secret in ("s3cret-one", "s3cret-two", "wonder-land-pw", VERIFIER, *state.tokens):
        assert secret not in text
    doc = json.loads(report.read_text())
    first = doc["run"]["executions"][0]
    assert first["authRequests"][0]["purpose"] == "token" and first["authRequests"][0]["response"]["code"] == 200


def test_expired_token_refreshed_from_the_cache_file_and_401_retried(tmp_path: Path) -> None:
    state = AuthServer()
    cache = tmp_path / "tokens.json"
    with verifying_server(state) as srv:
        cfg = oauth2_auth(srv.url, grant_type="password_credentials", clientId="app-1", clientSecret="s3cret-one",
                          username="alice", password="wonder-land-pw")  # fmt: skip
        items = [item("one", srv.url + "/api", test=OK_TEST, auth=cfg)]
        first = run(tmp_path, items, "--oauth2-token-cache", str(cache))
        assert first.exit_code == 0, first.output
        assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
        doc = json.loads(cache.read_text())
        assert all(tok not in first.output for tok in state.tokens)
        # Reused from the file on the next run: no token request at all.
        assert run(tmp_path, items, "--oauth2-token-cache", str(cache)).exit_code == 0
        assert state.grants == ["password"]
        # Expired: the refresh token gets a new one.
        for tokens in doc["tokens"].values():
            for tok in tokens.values():
                tok["expires_at"] = time.time() - 10
        cache.write_text(json.dumps(doc))
        report = tmp_path / "refresh.json"
        refreshed = run(tmp_path, items, "--oauth2-token-cache", str(cache), "--verbose", "--reporters", "cli,json",
                        "--reporter-json-export", str(report))  # fmt: skip
        assert refreshed.exit_code == 0, refreshed.output
        assert state.grants == ["password", "refresh_token"] and "(oauth2 refresh)" in refreshed.output
        doc = json.loads(report.read_text())
        sent = doc["run"]["executions"][0]["authRequests"][0]["request"]["body"]["raw"]
        assert sent == "grant_type=refresh_token&refresh_token=***"  # masked in the report
        shown = refreshed.output + report.read_text()
        assert not any(secret in shown for secret in [*state.refresh, *state.tokens, "s3cret-one"])
        # The API refuses the token once: refreshed and sent again.
        state.reject_next.set()
        retried = run(tmp_path, items, "--oauth2-token-cache", str(cache))
        assert retried.exit_code == 0, retried.output
        assert state.grants == ["password", "refresh_token", "refresh_token"]


@pytest.mark.parametrize("parallel", [[], ["--parallel", "2"]])  # one after another; in forked processes
def test_two_tenants_get_two_tokens(tmp_path: Path, parallel: list[str]) -> None:
    state = AuthServer()
    with verifying_server(state) as srv:
        cfg = oauth2_auth(srv.url, grant_type="client_credentials", clientId="{{cid}}", clientSecret="{{secret}}")
        own = "pm.test('own client', () => pm.expect(pm.response.json().client).to.eql(pm.environment.get('cid')));"
        test = [*OK_TEST, own]
        envs = []
        for cid, secret in (("app-1", "s3cret-one"), ("app-2", "s3cret-two")):
            values = [{"key": "cid", "value": cid}, {"key": "secret", "value": secret, "type": "secret"}]
            envs += ["-e", str(write_json(tmp_path / f"{cid}.json", {"name": cid, "values": values}))]
        items = [item(f"call {i}", srv.url + "/api", test=test, auth=cfg) for i in range(2)]
        result = run(tmp_path, items, *envs, *parallel, "--reporters", "cli,json", "--reporter-json-export",
                     str(tmp_path / "r.json"))  # fmt: skip
        assert result.exit_code == 0, result.output
        assert state.grants == ["client_credentials", "client_credentials"] and len(state.tokens) == 2
        assert result.output.count("(oauth2 token)") == 2
    report = (tmp_path / "r.json").read_text()
    assert "s3cret-one" not in report and not any(tok in report + result.output for tok in state.tokens)


def test_wrong_credentials_and_implicit_are_request_errors_and_the_run_goes_on(tmp_path: Path) -> None:
    state = AuthServer()
    with verifying_server(state) as srv:
        bad = oauth2_auth(srv.url, grant_type="client_credentials", clientId="app-1", clientSecret="wrong-secret")
        implicit = auth("oauth2", grant_type="implicit", clientId="app-1", authUrl=srv.url + "/authorize")
        wrong_pw = oauth2_auth(srv.url, grant_type="password_credentials", clientId="app-1", clientSecret="s3cret-one",
                               username="alice", password="not-her-password")  # fmt: skip
        items = [
            item("bad", srv.url + "/api", test=OK_TEST, auth=bad),
            item("wrong password", srv.url + "/api", test=OK_TEST, auth=wrong_pw),
            item("implicit", srv.url + "/api", test=OK_TEST, auth=implicit),
            item("own header", srv.url + "/token-free", auth=bad, header=[{"key": "Authorization", "value": "Mine"}]),
            item("plain", srv.url + "/token-free"),
        ]
        result = run(tmp_path, items)
        assert result.exit_code == 1
        assert "invalid_client" in result.output and "wrong-secret" not in result.output
        assert f"GET {srv.url}/api [errored]" in result.output  # the item's own line, after its token line
        assert f"POST {srv.url}/token [401 Unauthorized" in result.output
        assert "grant 'implicit'" in result.output
        assert "failed: invalid_grant: Invalid credentials given." in result.output  # error_description quoted
        assert "not-her-password" not in result.output
        # implicit: nothing to the authorization server; the item goes without a token, as Newman sends it
        assert [s.target for s in srv.seen] == ["/token", "/token", "/api", "/token-free", "/token-free"]
        assert srv.seen[2].header("Authorization") is None
        assert srv.seen[3].header("Authorization") == "Mine"  # its own header: no token asked for


@pytest.mark.parametrize("grant,client,challenge", [
    ("authorization_code", "app-1", None), ("authorization_code_with_pkce", "public-app", "S256"),
    ("authorization_code_with_pkce", "public-app", "plain"),
])  # fmt: skip
def test_authorization_code_from_auth_url_without_a_browser(tmp_path: Path, grant: str, client: str,
                                                            challenge: str | None) -> None:  # fmt: skip
    state = AuthServer()
    with verifying_server(state) as srv:
        params: dict[str, Any] = dict(grant_type=grant, clientId=client, authUrl=srv.url + "/authorize",
                                      redirect_uri="http://localhost/callback", scope="read")  # fmt: skip
        if CLIENTS[client]:
            params["clientSecret"] = CLIENTS[client]
        if challenge:
            params["challengeAlgorithm"] = challenge
        result = run(tmp_path, [item("code", srv.url + "/api", test=OK_TEST, auth=oauth2_auth(srv.url, **params))])
        assert result.exit_code == 0, result.output
        assert "(oauth2 authorize)" in result.output and "(oauth2 token)" in result.output
        assert state.grants == ["authorization_code"] and len(state.codes) == 1
        assert list(state.codes.values())[0][1] == challenge
    assert all(code not in result.output for code in state.codes)


def test_an_unreadable_token_cache_is_bad_input(tmp_path: Path) -> None:
    cache = tmp_path / "tokens.json"
    cache.write_text("{not json")
    result = run(tmp_path, [item("x", "http://127.0.0.1:9/x")], "--oauth2-token-cache", str(cache))
    assert result.exit_code == 2
    assert str(cache) in result.output and "token cache" in result.output

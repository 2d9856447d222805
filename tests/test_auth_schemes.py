"""Every auth helper, sent by postrun to a loopback server that checks it with an independent library."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from auth_verifiers import (
    DIGEST_ALGORITHMS,
    DIGEST_QOPS,
    HAWK_KEY,
    JWT_ALGORITHMS,
    OAUTH1,
    aws_verifier,
    digest_server,
    ec_key,
    edgegrid_verifier,
    hawk_verifier,
    jwt_verifier,
    ntlm_verifier,
    oauth1_verifier,
    rsa_key,
)
from authkit import OK_TEST, auth, verifying_server
from conftest import ROOT, collection, item, postrun, write_json

KEY_DIR = Path(__file__).parent / "data" / "auth"


def run(tmp_path: Path, items: list[dict[str, Any]], *args: str, **extra: Any) -> Any:
    coll = write_json(tmp_path / "c.json", collection(items, **extra))
    return postrun(str(coll), "--verbose", *args)


def accepted(result: Any, count: int = 1) -> None:
    assert result.exit_code == 0, result.output
    assert result.output.count("✓  accepted") == count, result.output


# -- OAuth 1.0a, verified by oauthlib ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"])
@pytest.mark.parametrize("where", ["header", "query"])
def test_oauth1_hmac_and_plaintext_in_header_or_query(tmp_path: Path, method: str, where: str) -> None:
    params = {**OAUTH1, "signatureMethod": method, "version": "1.0", "addParamsToHeader": where == "header"}
    if where == "header":
        params["realm"] = "Photos & more"
    with verifying_server(oauth1_verifier(OAUTH1["consumerSecret"], OAUTH1["tokenSecret"])) as srv:
        url = srv.url + "/photos?file=vacation%20pic.jpg&size=original&q=a+b"
        result = run(tmp_path, [item("signed", url, test=OK_TEST, auth=auth("oauth1", **params))])
        accepted(result)
        sent = srv.seen[-1]
        if where == "header":
            assert sent.header("Authorization").startswith('OAuth realm="Photos & more",oauth_consumer_key=')
        else:
            assert "oauth_signature=" in sent.target and sent.header("Authorization") is None
    assert "cs-s3cr3t!" not in result.output and "ts-s3cr3t&" not in result.output


@pytest.mark.parametrize("method", ["RSA-SHA1", "RSA-SHA256", "RSA-SHA512"])
def test_oauth1_rsa_with_a_private_key(tmp_path: Path, method: str) -> None:
    pem, pub = rsa_key()
    params = {"consumerKey": "ck-rsa", "privateKey": pem, "signatureMethod": method, "addParamsToHeader": True}
    with verifying_server(oauth1_verifier("", "", pub)) as srv:
        accepted(run(tmp_path, [item("rsa", srv.url + "/r?x=1", test=OK_TEST, auth=auth("oauth1", **params))]))


def test_oauth1_form_body_params_body_hash_callback_verifier_and_variables(tmp_path: Path) -> None:
    with verifying_server(oauth1_verifier(OAUTH1["consumerSecret"], OAUTH1["tokenSecret"])) as srv:
        form = {"mode": "urlencoded", "urlencoded": [{"key": "status", "value": "hello world!"}]}
        params = {**OAUTH1, "consumerKey": "{{ck}}", "signatureMethod": "HMAC-SHA256", "callback": "http://cb.example/x"}
        items = [
            item("form", srv.url + "/update", test=OK_TEST, method="POST", body=form, auth=auth("oauth1", **params)),
            item(
                "raw with body hash",
                srv.url + "/raw",
                test=OK_TEST,
                method="POST",
                body={"mode": "raw", "raw": '{"a": 1}'},
                auth=auth("oauth1", **OAUTH1, signatureMethod="HMAC-SHA256", includeBodyHash=True,
                          addParamsToHeader=True, verifier="v-123"),
            ),  # fmt: skip
        ]
        result = run(tmp_path, items, variable=[{"key": "ck", "value": "ck-4711"}])
        accepted(result, 2)
        form_sent, raw_sent = srv.seen
        assert b"oauth_signature=" in form_sent.body and b"status=hello%20world%21" in form_sent.body
        assert "oauth_body_hash=" in raw_sent.header("Authorization")
        assert 'oauth_verifier="v-123"' in raw_sent.header("Authorization")


def test_oauth1_empty_token_is_signed_and_sent_with_add_empty_params(tmp_path: Path) -> None:
    """Newman signs an empty oauth_token and leaves it out; we send what we sign."""
    params = {"consumerKey": "ck-4711", "consumerSecret": "cs-s3cr3t!", "token": "", "addEmptyParamsToSign": True,
              "addParamsToHeader": True}  # fmt: skip
    with verifying_server(oauth1_verifier("cs-s3cr3t!", "")) as srv:
        accepted(run(tmp_path, [item("empty", srv.url + "/e", test=OK_TEST, auth=auth("oauth1", **params))]))
        assert 'oauth_token=""' in srv.seen[-1].header("Authorization")


# -- the loopback Postman Echo (its own implementations) ------------------------------------------------
def _pm_echo() -> Any:
    path = ROOT.parent / "shared" / "postman-echo" / "pm_echo.py"
    if not path.exists():
        pytest.skip("../shared/postman-echo is absent")
    spec = importlib.util.spec_from_file_location("pm_echo_auth", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["pm_echo_auth"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def echo_url() -> str:
    pm = _pm_echo()
    port = pm._serve(pm._Server((pm.LOOPBACK, 0), pm.EchoHandler))
    return f"http://127.0.0.1:{port}"


def test_postman_echo_digest_hawk_oauth1_and_basic(tmp_path: Path, echo_url: str) -> None:
    items = [
        item("digest", echo_url + "/digest-auth", test=OK_TEST,
             auth=auth("digest", username="postman", password="password")),
        item("hawk", echo_url + "/auth/hawk", test=OK_TEST,
             auth=auth("hawk", authId="dh37fgj492je", authKey="werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn",
                       algorithm="sha256")),
        item("oauth1", echo_url + "/oauth1", test=OK_TEST,
             auth=auth("oauth1", consumerKey="RKCGzna7bv9YD57c", consumerSecret="D+EdQ-gs$-%@2Nu7",
                       signatureMethod="HMAC-SHA1", addParamsToHeader=True, version="1.0")),
        item("basic", echo_url + "/basic-auth", test=OK_TEST,
             auth=auth("basic", username="postman", password="password")),
    ]  # fmt: skip
    # Postman Echo's own "DigestAuth Success": realm and nonce known up front, signed at once.
    known = auth("digest", username="postman", password="password", realm="Users",
                 nonce="ni1LiL0O37PRRhofWdCLmwFsnEtH1lew", algorithm="MD5", qop="auth", nonceCount="00000001",
                 clientNonce="0a4f113b")  # fmt: skip
    items.append(item("digest known nonce", echo_url + "/digest-auth", test=OK_TEST, auth=known))
    result = run(tmp_path, items)
    accepted(result, 5)
    assert 'cnonce="0a4f113b"' in result.output and "nc=00000001" in result.output
    assert "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn" not in result.output
    assert "D+EdQ-gs$-%@2Nu7" not in result.output


# -- Digest ---------------------------------------------------------------------------------------------------


def test_digest_answers_the_challenge_for_every_algorithm_and_qop(tmp_path: Path) -> None:
    with verifying_server(digest_server()) as srv:
        items = []
        for algorithm in DIGEST_ALGORITHMS:
            for qop in DIGEST_QOPS:
                params = {"username": "Mufasa", "password": "Circle of Life", "algorithm": algorithm}
                if qop == "auth-int":
                    params["qop"] = "auth-int"
                items.append(
                    item(f"{algorithm} {qop}", f"{srv.url}/{algorithm}/{qop}?x=1", test=OK_TEST, method="POST",
                         body={"mode": "raw", "raw": "payload"}, auth=auth("digest", **params))
                )  # fmt: skip
        result = run(tmp_path, items)
        accepted(result, len(items))
        # Each item has an auth of its own, so each answers its own challenge (as in Postman).
        assert len(srv.seen) == 2 * len(items)
        assert all(seen.header("Authorization") is None for seen in srv.seen[::2])
        assert all("nc=00000001" in seen.header("Authorization") for seen in srv.seen[1::2])
    assert "Circle of Life" not in result.output
    assert '> Authorization: Digest username="Mufasa"' in result.output  # --verbose shows the signed request
    assert 'response="***"' in result.output  # with its digest masked


def test_digest_one_time_nonces_are_answered_again(tmp_path: Path) -> None:
    with verifying_server(digest_server(one_time=True)) as srv:
        params = {"username": "Mufasa", "password": "Circle of Life"}
        items = [item(f"d{i}", srv.url + "/MD5/auth", test=OK_TEST, auth=auth("digest", **params)) for i in range(3)]
        accepted(run(tmp_path, items), 3)
        assert len(srv.seen) == 2 + 2 + 2  # the remembered nonce is refused each time, then answered


def test_digest_items_sharing_an_auth_sign_with_its_nonce_and_the_next_count(tmp_path: Path) -> None:
    with verifying_server(digest_server()) as srv:
        params = {"username": "Mufasa", "password": "Circle of Life"}
        items = [item(f"d{i}", srv.url + "/MD5/auth", test=OK_TEST) for i in range(2)]
        accepted(run(tmp_path, items, "-n", "5", auth=auth("digest", **params)), 10)  # the collection's auth
    assert srv.seen[0].header("Authorization") is None  # one challenge for the whole run
    counts = [re.search(r"nc=(\d+)", seen.header("Authorization")).group(1) for seen in srv.seen[1:]]
    assert counts == [f"{n:08d}" for n in range(1, 11)]  # counted in decimal, as postman-runtime does


def test_digest_a_refused_nonce_the_auth_already_has_is_not_replaced(tmp_path: Path) -> None:
    # postman-runtime answers a challenge only when it teaches the auth something it lacks: the second
    # item's stale nonce gets a 401, and that stands.
    with verifying_server(digest_server(one_time=True)) as srv:
        params = {"username": "Mufasa", "password": "Circle of Life"}
        items = [item(f"d{i}", srv.url + "/MD5/auth", test=OK_TEST) for i in range(2)]
        result = run(tmp_path, items, auth=auth("digest", **params))
        assert result.exit_code == 1 and result.output.count("✓  accepted") == 1
        assert len(srv.seen) == 3 and srv.seen[2].header("Authorization") is not None


def test_digest_without_an_algorithm_takes_the_servers(tmp_path: Path) -> None:
    with verifying_server(digest_server()) as srv:
        params = {"username": "Mufasa", "password": "Circle of Life"}
        accepted(run(tmp_path, [item("d", srv.url + "/SHA-256/auth", test=OK_TEST, auth=auth("digest", **params))]))
        assert 'algorithm="SHA-256"' in srv.seen[-1].header("Authorization")


def test_digest_disable_retry_request_stops_at_the_challenge(tmp_path: Path) -> None:
    with verifying_server(digest_server()) as srv:
        params = {"username": "Mufasa", "password": "Circle of Life", "disableRetryRequest": True}
        result = run(tmp_path, [item("d", srv.url + "/MD5/auth", test=OK_TEST, auth=auth("digest", **params))])
        assert result.exit_code == 1 and len(srv.seen) == 1


# -- Hawk, verified by mohawk ---------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_hawk_with_payload_hash_ext_app_dlg_and_a_fresh_nonce_per_item(tmp_path: Path, algorithm: str) -> None:
    params = {"authId": "dh37fgj492je", "authKey": HAWK_KEY, "algorithm": algorithm,
              "extraData": "some ext-data, with: punctuation!", "app": "app-1", "delegation": "dlg-2",
              "includePayloadHash": True}  # fmt: skip
    with verifying_server(hawk_verifier(algorithm, payload=True)) as srv:
        body = {"mode": "raw", "raw": '{"x": 1}', "options": {"raw": {"language": "json"}}}
        items = [item(f"h{i}", f"{srv.url}/resource/{i}?a=b", test=OK_TEST, method="POST", body=body) for i in range(2)]
        result = run(tmp_path, items, auth=auth("hawk", **params))  # inherited from the collection
        accepted(result, 2)
        assert all('hash="' in s.header("Authorization") for s in srv.seen)
    assert HAWK_KEY not in result.output


# -- AWS Signature V4, verified by botocore -------------------------------------------------------------------


@pytest.mark.parametrize("presigned", [False, True])
def test_awsv4_header_and_presigned_with_body_session_token_and_defaults(tmp_path: Path, presigned: bool) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    with verifying_server(aws_verifier(secret, "sess-tok-123")) as srv:
        params = {"accessKey": "AKIDEXAMPLE", "secretKey": secret, "sessionToken": "sess-tok-123",
                  "addAuthDataToQuery": presigned}  # fmt: skip
        body = {"mode": "raw", "raw": '{"Action": "Put"}', "options": {"raw": {"language": "json"}}}
        items = [
            item("get", srv.url + "/prod/items/a%20b?b=2&a=1", test=OK_TEST,
                 header=[{"key": "X-Custom", "value": " v  1 "}]),
            item("post", srv.url + "/prod/items", test=OK_TEST, method="POST", body=body),
            item("s3", srv.url + "/bucket/key.txt", test=OK_TEST, method="PUT", body={"mode": "raw", "raw": "data"},
                 auth=auth("awsv4", **params, service="s3", region="eu-west-1")),
        ]  # fmt: skip
        result = run(tmp_path, items, auth=auth("awsv4", **params))
        accepted(result, 3)
        first = srv.seen[0]
        if presigned:
            assert "X-Amz-Credential=AKIDEXAMPLE%2F" in first.target and "%2Fus-east-1%2Fexecute-api%2F" in first.target
        else:
            assert "/us-east-1/execute-api/aws4_request" in first.header("Authorization")
            assert srv.seen[1].header("X-Amz-Content-Sha256") == hashlib.sha256(b'{"Action": "Put"}').hexdigest()
    assert secret not in result.output and "sess-tok-123" not in result.output


# -- JWT and ASAP, verified by PyJWT ----------------------------------------------------------------------------


JWT_TEST = [
    OK_TEST[0],
    "const a = pm.response.json(); pm.test('accepted', () => pm.response.to.have.status(200));",
    "pm.test('claims', () => { pm.expect(a.claims.sub).to.eql('alice'); pm.expect(a.header.kid).to.eql('k1');",
    "  pm.expect(pm.request.headers.get('Authorization')).to.match(/^Bearer ey/); });",
]


def test_jwt_every_algorithm(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = b"a-very-long-shared-secret-of-64-bytes-for-hs512-0123456789abcdef"
    rsa_pem, rsa_pub = rsa_key()
    keys: dict[str, Any] = {}
    items = []
    for algorithm in JWT_ALGORITHMS:
        params: dict[str, Any] = {"algorithm": algorithm, "payload": '{"sub": "{{user}}", "admin": true}',
                                  "header": '{"kid": "k1"}'}  # fmt: skip
        if algorithm.startswith("HS"):
            params.update(secret=base64.b64encode(raw).decode(), isSecretBase64Encoded=True)
            keys[algorithm] = raw
        else:
            curve = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}.get(algorithm)
            pem, keys[algorithm] = ec_key(curve) if curve else (rsa_pem, rsa_pub)
            params["privateKey"] = pem.replace("\n", " ")  # keys pasted on one line still load
        items.append(item(algorithm, f"/jwt/{algorithm}", test=JWT_TEST, auth=auth("jwt", **params)))
    with verifying_server(jwt_verifier(keys)) as srv:
        for entry in items:
            entry["request"]["url"] = srv.url + entry["request"]["url"]
        result = run(tmp_path, items, variable=[{"key": "user", "value": "alice"}])
        assert result.exit_code == 0, result.output
        assert result.output.count("✓  claims") == len(JWT_ALGORITHMS)


def test_jwt_in_a_query_parameter_and_a_custom_prefix(tmp_path: Path) -> None:
    params = {"algorithm": "HS256", "secret": "s3cret-key-s3cret-key-s3cret-key", "payload": '{"n": 1}'}
    keys = {"HS256": b"s3cret-key-s3cret-key-s3cret-key"}
    with verifying_server(jwt_verifier(keys, where="jwt")) as srv:
        items = [item("q", srv.url + "/HS256?x=1", test=OK_TEST,
                      auth=auth("jwt", **params, addTokenTo="queryParam", queryParamKey="jwt"))]  # fmt: skip
        accepted(run(tmp_path, items))
    with verifying_server(jwt_verifier(keys)) as srv:
        prefixed = auth("jwt", **params, headerPrefix="JWT")
        accepted(run(tmp_path, [item("p", srv.url + "/HS256", test=OK_TEST, auth=prefixed)]))
        assert srv.seen[-1].header("Authorization").startswith("JWT ey")


@pytest.mark.parametrize("form,alg", [("pem", ""), ("data-uri", "RS256"), ("pem", "PS512")])
def test_asap_claims_defaults_and_key_forms(tmp_path: Path, form: str, alg: str) -> None:
    from cryptography.hazmat.primitives import serialization

    pem, pub = rsa_key()
    key = pem
    if form == "data-uri":
        der = serialization.load_pem_private_key(pem.encode(), None).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        key = "data:application/pkcs8;kid=svc%2Fkey-1;base64," + base64.b64encode(der).decode()
    params = {"kid": "svc/key-1", "iss": "my-service", "aud": "their-service", "privateKey": key,
              "claims": '{"scope": "read"}', "alg": alg}  # fmt: skip
    alg = alg or "RS256"  # Postman's default
    with verifying_server(jwt_verifier({alg: pub}, audience="their-service", issuer="my-service")) as srv:
        test = [
            OK_TEST[0],
            "const a = pm.response.json(); pm.test('accepted', () => pm.response.to.have.status(200));",
            "pm.test('claims', () => { pm.expect(a.header.kid).to.eql('svc/key-1');",
            "  pm.expect(a.claims.sub).to.eql('my-service'); pm.expect(a.claims.exp - a.claims.iat).to.eql(3600);",
            "  pm.expect(a.claims.scope).to.eql('read'); pm.expect(a.claims.jti).to.have.length(36); });",
        ]
        result = run(tmp_path, [item("asap", f"{srv.url}/{alg}", test=test, auth=auth("asap", **params))])
        assert result.exit_code == 0, result.output


# -- EdgeGrid, verified by Akamai's edgegrid-python -------------------------------------------------------------


def test_edgegrid_signs_headers_and_a_truncated_post_body(tmp_path: Path) -> None:
    params = {"clientToken": "akab-client", "clientSecret": "c2VjcmV0LXNlY3JldA==", "accessToken": "akab-access",
              "headersToSign": "X-Extra,X-Other", "maxBodySize": "8"}  # fmt: skip
    verifier = edgegrid_verifier("akab-client", "c2VjcmV0LXNlY3JldA==", "akab-access", ["X-Extra", "X-Other"], 8)
    with verifying_server(verifier) as srv:
        headers = [{"key": "X-Extra", "value": "  spaced   value "}, {"key": "X-Other", "value": "o"}]
        items = [
            item("post", srv.url + "/ccu/v3?x=1", test=OK_TEST, method="POST", header=headers,
                 body={"mode": "raw", "raw": "a body longer than eight bytes"}),
            item("get", srv.url + "/papi/v1/groups", test=OK_TEST),
        ]  # fmt: skip
        result = run(tmp_path, items, auth=auth("edgegrid", **params))
        accepted(result, 2)
    assert "c2VjcmV0LXNlY3JldA==" not in result.output


# -- NTLM, verified by pyspnego's acceptor -----------------------------------------------------------------------


@pytest.mark.parametrize("username,domain", [("alice", "CORP"), ("CORP\\alice", ""), ("alice@CORP", "")])
def test_ntlm_three_steps_on_one_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, username: str,
                                           domain: str) -> None:  # fmt: skip
    users = tmp_path / "ntlm-users"
    users.write_text("CORP:alice:Pa55-w0rd!\n")
    monkeypatch.setenv("NTLM_USER_FILE", str(users))
    with verifying_server(ntlm_verifier()) as srv:
        params = {"username": username, "password": "Pa55-w0rd!", "domain": domain, "workstation": "WS01"}
        test = [OK_TEST[0], "pm.test('accepted', () => { pm.response.to.have.status(200);",
                "  pm.expect(pm.response.json().user).to.eql('CORP\\\\alice'); });"]  # fmt: skip
        result = run(tmp_path, [item("n", srv.url + "/ntlm", test=test, auth=auth("ntlm", **params))])
        accepted(result)
        assert len(srv.seen) == 3
        assert len({s.connection for s in srv.seen}) == 1  # type: ignore[attr-defined]
    assert "Pa55-w0rd!" not in result.output


def test_ntlm_disable_retry_request_stops_at_the_first_401(tmp_path: Path) -> None:
    with verifying_server(ntlm_verifier()) as srv:
        params = {"username": "alice", "password": "Pa55-w0rd!", "disableRetryRequest": True}
        result = run(tmp_path, [item("n", srv.url + "/ntlm", test=OK_TEST, auth=auth("ntlm", **params))])
        assert result.exit_code == 1 and len(srv.seen) == 1


# -- inheritance, v2.0 auth objects, what scripts see ------------------------------------------------------------
def test_v20_auth_objects_inherited_by_folders_with_noauth_overrides(tmp_path: Path) -> None:
    """A v2.0 collection (auth parameters as an object), the folder's hawk inherited, an item's noauth."""
    with verifying_server(hawk_verifier("sha256", payload=False)) as srv:
        doc = {
            "info": {"name": "v2.0", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
            "auth": {"type": "basic", "basic": {"username": "u", "password": "collection-pw"}},
            "item": [
                {
                    "name": "folder",
                    "auth": {"type": "hawk", "hawk": {"authId": "id-1", "authKey": HAWK_KEY, "algorithm": "sha256"}},
                    "item": [
                        {"name": "inherits", "event": [{"listen": "test", "script": {"exec": OK_TEST}}],
                         "request": {"method": "GET", "url": srv.url + "/f/1"}},
                        {"name": "noauth",
                         "request": {"method": "GET", "url": srv.url + "/f/2", "auth": {"type": "noauth"}}},
                    ],
                },
                {"name": "collection level", "request": {"method": "GET", "url": srv.url + "/c"}},
            ],
        }  # fmt: skip
        coll = write_json(tmp_path / "v20.json", doc)
        result = postrun(str(coll))
        assert "✓  accepted" in result.output, result.output
        inherits, noauth, top = srv.seen
        assert inherits.header("Authorization").startswith('Hawk id="id-1"')
        assert noauth.header("Authorization") is None
        assert top.header("Authorization") == "Basic " + base64.b64encode(b"u:collection-pw").decode()
    assert "collection-pw" not in result.output


def test_scripts_see_signed_query_parameters_in_pm_request(tmp_path: Path) -> None:
    with verifying_server(oauth1_verifier(OAUTH1["consumerSecret"], OAUTH1["tokenSecret"])) as srv:
        test = [*OK_TEST, "pm.test('signed query seen', () => {",
                "  pm.expect(pm.request.url.query.has('oauth_signature')).to.eql(true);",
                "  pm.expect(pm.request.url.toString()).to.include('oauth_nonce='); });"]  # fmt: skip
        result = run(tmp_path, [item("q", srv.url + "/q?a=1", test=test, auth=auth("oauth1", **OAUTH1))])
        assert result.exit_code == 0, result.output
        assert "✓  signed query seen" in result.output


def test_edgegrid_base_url_fixed_nonce_and_timestamp_match_akamais_signer() -> None:
    from akamai.edgegrid.edgegrid import EdgeGridAuthHeaders
    from requests.structures import CaseInsensitiveDict

    from runner.auth import edgegrid
    from runner.auth.base import Signing
    from runner.url import to_target

    url = "http://127.0.0.1:9/papi/v1/properties?contractId=ctr_1"
    params = {"clientToken": "akab-c", "clientSecret": "secret==", "accessToken": "akab-a", "nonce": "nonce-1",
              "timestamp": "20240101T00:00:00+0000", "baseURL": "https://akab-host.luna.akamaiapis.net/"}  # fmt: skip
    header = edgegrid.sign(params, Signing("GET", url, to_target(url), [], None)).headers[0][1]

    class Req:  # what Akamai's signer reads of a request; its Host is the baseURL's
        method, body = "GET", b""
        headers = CaseInsensitiveDict({"Host": "akab-host.luna.akamaiapis.net"})

    Req.url = url
    expected = EdgeGridAuthHeaders("akab-c", "secret==", "akab-a").make_auth_header(Req, params["timestamp"], "nonce-1")
    assert header == expected


def test_oauth1_disable_header_encoding_keeps_values_raw() -> None:
    from runner.auth import oauth1
    from runner.auth.base import Signing
    from runner.url import to_target

    url = "http://127.0.0.1:9/x"
    params = {"consumerKey": "key/with+chars", "consumerSecret": "s", "addParamsToHeader": True}
    req = Signing("GET", url, to_target(url), [], None)
    assert 'oauth_consumer_key="key%2Fwith%2Bchars"' in oauth1.sign(params, req).headers[0][1]
    raw = oauth1.sign({**params, "disableHeaderEncoding": True}, req).headers[0][1]
    assert 'oauth_consumer_key="key/with+chars"' in raw


def test_a_helper_that_cannot_sign_is_a_warning_and_the_run_goes_on(tmp_path: Path) -> None:
    with verifying_server(lambda handler, seen: (200, [], "ok")) as srv:
        items = [
            item("bad key", srv.url + "/a", auth=auth("jwt", algorithm="RS256", privateKey="not a key")),
            item("bad json", srv.url + "/b", auth=auth("jwt", algorithm="HS256", secret="s", payload="{oops")),
            item("bad algorithm", srv.url + "/c", auth=auth("digest", username="u", password="p", realm="r",
                                                            nonce="n", algorithm="SHA-1")),  # fmt: skip
            item("after", srv.url + "/d", test=OK_TEST),
        ]
        result = run(tmp_path, items)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.count("⚠ jwt auth could not be applied") == 2
        assert "⚠ digest auth could not be applied: Unsupported digest algorithm: SHA-1" in result.output
        assert "✓  accepted" in result.output and len(srv.seen) == 4

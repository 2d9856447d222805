"""Client certificates, extra CAs and the protocol profile's TLS keys, against a real mTLS server on
127.0.0.1 that demands a certificate from a test CA generated here."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
import trustme

from tests.conftest import collection, item, postrun, write_json
from tests.wire_servers import MTLSServer, client_cert


@pytest.fixture
def cas() -> tuple[trustme.CA, trustme.CA]:
    return trustme.CA(), trustme.CA()


@pytest.fixture
def mtls(cas):
    server = MTLSServer(*cas)
    yield server
    server.close()


@pytest.fixture
def server_ca_file(cas, tmp_path: Path) -> str:
    path = tmp_path / "server-ca.pem"
    cas[0].cert_pem.write_to_path(str(path))
    return str(path)


def _coll(tmp_path: Path, url: str, **extra) -> str:
    test = ["pm.test('client', () => pm.expect(pm.response.json().client).to.be.a('string'))"]
    return str(write_json(tmp_path / "c.json", collection([item("a", url, test=test)], **extra)))


def _report(tmp_path: Path, *args: str) -> tuple[int, dict, str]:
    out = tmp_path / "r.json"
    result = postrun(*args, "-r", "json", "--reporter-json-export", str(out))
    return result.exit_code, json.loads(out.read_text()), result.output


def test_without_a_client_certificate_the_item_fails_and_the_run_goes_on(tmp_path, mtls, server_ca_file):
    coll = str(write_json(tmp_path / "c.json", collection([item("a", mtls.url), item("b", mtls.url + "/again")])))
    code, report, output = _report(tmp_path, coll, "--ssl-extra-ca-certs", server_ca_file)
    assert code == 1
    assert [bool(ex.get("requestError")) for ex in report["run"]["executions"]] == [True, True]
    assert "Traceback" not in output


def test_client_cert_and_key_are_presented(tmp_path, cas, mtls, server_ca_file):
    cert, key = client_cert(cas[1], "client-one", tmp_path)
    code, report, _ = _report(
        tmp_path,
        _coll(tmp_path, mtls.url),
        "--ssl-client-cert",
        cert,
        "--ssl-client-key",
        key,
        "--ssl-extra-ca-certs",
        server_ca_file,
    )
    assert code == 0, report["run"]["failures"]
    assert mtls.seen == ["client-one"]


def test_an_encrypted_key_needs_its_passphrase_which_is_masked(tmp_path, cas, mtls, server_ca_file):
    cert, key = client_cert(cas[1], "client-locked", tmp_path, passphrase=b"open-sesame-42")
    args = [
        _coll(tmp_path, mtls.url),
        "--ssl-client-cert",
        cert,
        "--ssl-client-key",
        key,
        "--ssl-extra-ca-certs",
        server_ca_file,
    ]
    wrong = postrun(*args, "--ssl-client-passphrase", "wrong-one")
    assert wrong.exit_code == 2 and "client certificate" in wrong.output
    code, _, output = _report(tmp_path, *args, "--ssl-client-passphrase", "open-sesame-42", "--verbose")
    assert code == 0
    assert mtls.seen == ["client-locked"]
    assert "open-sesame-42" not in output


def test_cert_list_is_matched_by_url_pattern(tmp_path, cas, mtls, server_ca_file):
    cert_a, key_a = client_cert(cas[1], "client-a", tmp_path)
    cert_b, key_b = client_cert(cas[1], "client-b", tmp_path)
    listing = write_json(
        tmp_path / "certs.json",
        [
            {
                "name": "a",
                "matches": [f"https://localhost:{mtls.port}/*"],
                "key": {"src": key_a},
                "cert": {"src": cert_a},
            },
            {"name": "b", "matches": ["https://127.0.0.1:*/*"], "key": {"src": key_b}, "cert": {"src": cert_b}},
        ],
    )
    items = [item("ip", mtls.url + "/x"), item("name", f"https://localhost:{mtls.port}/y")]
    coll = str(write_json(tmp_path / "c.json", collection(items)))
    code, report, _ = _report(
        tmp_path, coll, "--ssl-client-cert-list", str(listing), "--ssl-extra-ca-certs", server_ca_file
    )
    assert code == 0, report["run"]["failures"]
    assert mtls.seen == ["client-b", "client-a"]


def test_the_server_is_verified_unless_k_or_strict_ssl_false(tmp_path, cas, mtls):
    cert, key = client_cert(cas[1], "client-v", tmp_path)
    certs = ["--ssl-client-cert", cert, "--ssl-client-key", key]
    code, report, _ = _report(tmp_path, _coll(tmp_path, mtls.url), *certs)
    assert code == 1 and "requestError" in report["run"]["executions"][0]  # the test CA is not trusted
    assert _report(tmp_path, _coll(tmp_path, mtls.url), *certs, "-k")[0] == 0
    relaxed = _coll(tmp_path, mtls.url, protocolProfileBehavior={"strictSSL": False})
    assert _report(tmp_path, relaxed, *certs)[0] == 0
    assert mtls.seen == ["client-v", "client-v"]


def test_tls_disabled_protocols_apply(tmp_path, cas, server_ca_file):
    server = MTLSServer(*cas, maximum_version=ssl.TLSVersion.TLSv1_2)
    try:
        cert, key = client_cert(cas[1], "client-p", tmp_path)
        args = ["--ssl-client-cert", cert, "--ssl-client-key", key, "--ssl-extra-ca-certs", server_ca_file]
        assert _report(tmp_path, _coll(tmp_path, server.url), *args)[0] == 0
        only13 = _coll(tmp_path, server.url, protocolProfileBehavior={"tlsDisabledProtocols": ["TLSv1_2"]})
        code, report, _ = _report(tmp_path, only13, *args)
        assert code == 1 and "requestError" in report["run"]["executions"][0]
    finally:
        server.close()


def test_cipher_selection_that_the_server_cannot_meet_fails(tmp_path, cas, server_ca_file):
    server = MTLSServer(*cas, maximum_version=ssl.TLSVersion.TLSv1_2)
    try:
        cert, key = client_cert(cas[1], "client-c", tmp_path)
        args = ["--ssl-client-cert", cert, "--ssl-client-key", key, "--ssl-extra-ca-certs", server_ca_file]
        # trustme's keys are ECDSA: an RSA-only cipher cannot be agreed
        rsa_only = _coll(tmp_path, server.url, protocolProfileBehavior={"tlsCipherSelection": ["AES128-GCM-SHA256"]})
        code, report, _ = _report(tmp_path, rsa_only, *args)
        assert code == 1 and "requestError" in report["run"]["executions"][0]
        ecdsa = _coll(
            tmp_path, server.url, protocolProfileBehavior={"tlsCipherSelection": ["ECDHE-ECDSA-AES128-GCM-SHA256"]}
        )
        assert _report(tmp_path, ecdsa, *args)[0] == 0
    finally:
        server.close()


def test_missing_certificate_files_are_usage_errors(tmp_path):
    coll = _coll(tmp_path, "https://127.0.0.1:9/")
    result = postrun(coll, "--ssl-client-cert", str(tmp_path / "nope.crt"))
    assert result.exit_code == 2 and "nope.crt" in result.output
    bad_list = write_json(tmp_path / "list.json", [{"name": "x", "matches": "https://*"}])
    result = postrun(coll, "--ssl-client-cert-list", str(bad_list))
    assert result.exit_code == 2 and "list.json" in result.output


def test_node_extra_ca_certs_is_trusted_as_by_newman(tmp_path, cas, mtls, server_ca_file, monkeypatch):
    cert, key = client_cert(cas[1], "client-n", tmp_path)
    certs = ["--ssl-client-cert", cert, "--ssl-client-key", key]
    monkeypatch.setenv("NODE_EXTRA_CA_CERTS", server_ca_file)
    assert _report(tmp_path, _coll(tmp_path, mtls.url), *certs)[0] == 0
    assert mtls.seen == ["client-n"]

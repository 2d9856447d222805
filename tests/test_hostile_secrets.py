"""Secrets of every shape through every channel: terminal, console, errors, and the json/junit/html reports.

Each test names the secret's shape and the way it could leak; the loopback server echoes the request
(headers and body) back, as a real API does, so response bodies carry the secrets too.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from conftest import collection, item, postrun, write_json

from runner.secrets import Masker, base64_forms

MULTILINE = "-----BEGIN KEY-----\nline-one-AAAA\nline-two-BBBB\n-----END KEY-----"
QUOTED = 'it\'s "q" s3cret'


def run_all(tmp_path: Path, items: list[dict], env: dict[str, object], *args: str, **extra: object):
    """Run with every reporter on; return the exit code and every byte postrun showed or wrote."""
    coll = write_json(tmp_path / "c.json", collection(items, **extra))
    values = [  # a value in a tuple is typed secret
        {"key": k, "value": v[0], "type": "secret"} if isinstance(v, tuple) else {"key": k, "value": v}
        for k, v in env.items()
    ]
    envf = write_json(tmp_path / "e.json", {"name": "env", "values": values})
    outputs = {name: tmp_path / f"out.{name}" for name in ("json", "xml", "html")}
    result = postrun(
        str(coll),
        "-e",
        str(envf),
        "--verbose",
        "-r",
        "cli,json,junit,html",
        "--reporter-json-export",
        str(outputs["json"]),
        "--reporter-junit-export",
        str(outputs["xml"]),
        "--reporter-html-export",
        str(outputs["html"]),
        "--export-environment",
        str(tmp_path / "env-out.json"),
        *args,
    )
    texts = {"terminal": result.output}
    texts |= {name: path.read_text(encoding="utf-8") for name, path in outputs.items()}
    texts["env export"] = (tmp_path / "env-out.json").read_text(encoding="utf-8")
    report = json.loads(texts["json"])
    # the response stream is a byte array in Newman's shape: read it back as the text it holds
    texts["json bodies"] = "".join(
        bytes(ex["response"]["stream"]["data"]).decode("utf-8", "replace")
        for ex in report["run"]["executions"]
        if "response" in ex
    )
    return result, texts


def assert_no_leak(texts: dict[str, str], *secrets: str) -> None:
    for secret in secrets:
        for channel, text in texts.items():
            assert secret not in text, f"{secret!r} leaked in the {channel}"


def echo(name: str, url: str, test: list[str] | None = None, **request: object) -> dict:
    return item(name, url + "/echo-secret", test=test, method="POST", **request)


def test_json_report_bodies_are_masked_not_raw_byte_arrays(tmp_path, server):
    body = {"mode": "raw", "raw": "token={{tok}}"}
    result, texts = run_all(tmp_path, [echo("a", "{{base}}", body=body)], {"base": server.url, "tok": ("tok-9f8e7d",)})
    assert "tok-9f8e7d" in server.seen[0].body.decode()  # it was sent and echoed back
    assert_no_leak(texts, "tok-9f8e7d")
    assert "token=***" in texts["json bodies"]


def test_short_secrets_are_refused_with_a_warning_that_says_why(tmp_path, server):
    result, texts = run_all(tmp_path, [item("a", "{{base}}/get")], {"base": server.url, "pin": ("42",)})
    assert "the secret variable 'pin' is shorter than 3 characters and is NOT masked" in result.output
    masker = Masker(warn=lambda message: None)
    masker.add(["ab"])
    assert masker.mask("tab") == "tab"


@pytest.mark.parametrize("shape", ["multi-line", "quoted"])
def test_multiline_and_quoted_secrets_in_console_errors_chai_and_json_stringify(tmp_path, server, shape):
    secret = MULTILINE if shape == "multi-line" else QUOTED
    script = [
        "const s = pm.environment.get('key');",
        "console.log(s);",
        "console.log(JSON.stringify({s}));",
        "console.log(JSON.stringify(JSON.stringify({s})));",
        "pm.test('chai form', () => pm.expect(s).to.eql('other'));",
        "pm.test('thrown', () => { throw new Error('bad ' + s); });",
    ]
    body = {"mode": "raw", "raw": "{{key}}"}
    items = [echo("a", "{{base}}", script, body=body)]
    result, texts = run_all(tmp_path, items, {"base": server.url, "key": (secret,)})
    escaped = json.dumps(secret)[1:-1]
    pieces = [secret, escaped, json.dumps(escaped)[1:-1], secret.replace("'", "\\'"), "line-one-AAAA", "s3cret"]
    assert_no_leak(texts, *pieces)
    assert "***" in texts["terminal"]


def test_secret_named_with_flag_is_masked_when_a_script_creates_it_later(tmp_path, server):
    items = [
        item("make", "{{base}}/get", test=["pm.environment.set('session', 'sess-created-later')"]),
        item("use", "{{base}}/get?s={{session}}", test=["console.log(pm.environment.get('session'))"]),
    ]
    result, texts = run_all(tmp_path, items, {"base": server.url}, "--secret", "session")
    assert server.seen[1].target.endswith("s=sess-created-later")
    assert_no_leak(texts, "sess-created-later")
    exported = json.loads(texts["env export"])["values"]
    assert [(v["value"], v["type"]) for v in exported if v["key"] == "session"] == [("", "secret")]


def test_secret_flag_covers_collection_variables_and_data_columns(tmp_path, server):
    data = tmp_path / "d.csv"
    data.write_text("col\ndata-col-secret\n", encoding="utf-8")
    script = ["console.log(pm.collectionVariables.get('cv'), pm.iterationData.get('col'))"]
    items = [echo("a", "{{base}}", script, body={"mode": "raw", "raw": "{{cv}} {{col}}"})]
    variables = [{"key": "cv", "value": "coll-var-secret"}]
    result, texts = run_all(
        tmp_path, items, {"base": server.url}, "-d", str(data), "--secret", "cv", "--secret", "col", variable=variables
    )
    assert b"coll-var-secret data-col-secret" in server.seen[0].body
    assert_no_leak(texts, "coll-var-secret", "data-col-secret")


def test_collection_variables_typed_secret_are_masked(tmp_path, server):
    variables = [{"key": "cvs", "value": "typed-coll-secret", "type": "secret"}]
    script = ["console.log(pm.collectionVariables.get('cvs'))"]
    items = [echo("a", "{{base}}", script, body={"mode": "raw", "raw": "{{cvs}}"})]
    result, texts = run_all(tmp_path, items, {"base": server.url}, variable=variables)
    assert b"typed-coll-secret" in server.seen[0].body
    assert_no_leak(texts, "typed-coll-secret")


def test_secret_env_values_stay_out_of_the_json_report_environment(tmp_path, server, monkeypatch):
    monkeypatch.setenv("API_TOKEN", "env-token-5a4b3c")
    items = [echo("a", "{{base}}", body={"mode": "raw", "raw": "{{API_TOKEN}}"})]
    result, texts = run_all(tmp_path, items, {"base": server.url}, "--secret-env", "API_TOKEN")
    assert b"env-token-5a4b3c" in server.seen[0].body
    assert_no_leak(texts, "env-token-5a4b3c")
    values = json.loads(texts["json"])["environment"]["values"]
    assert [(v["value"], v["type"]) for v in values if v["key"] == "API_TOKEN"] == [("", "secret")]


def test_base64_of_a_secret_is_masked_at_each_byte_alignment(tmp_path, server):
    secret = "b64-secret-77"
    script = [f"console.log(btoa({prefix!r} + pm.environment.get('s')))" for prefix in ("", "a", "bo", "bob:")]
    result, texts = run_all(tmp_path, [item("a", "{{base}}/get", test=script)], {"base": server.url, "s": (secret,)})
    encodings = [base64.b64encode((prefix + secret).encode()).decode() for prefix in ("", "a", "bo", "bob:")]
    assert_no_leak(texts, *encodings)
    for k in range(3):  # the fragment for each alignment is inside the base64 of any text holding the secret
        for prefix in ("x" * k, "y" * (k + 3)):
            whole = base64.b64encode((prefix + secret + "tail").encode()).decode()
            assert any(form in whole for form in base64_forms(secret.encode()))


def test_non_ascii_secret_in_a_header_is_sent_and_masked(tmp_path, server):
    header = [{"key": "X-Pass", "value": "{{pw}}"}]
    items = [echo("a", "{{base}}", header=header), item("b", "{{base}}/get")]
    result, texts = run_all(tmp_path, items, {"base": server.url, "pw": ("pässwörd-42",)})
    assert result.exit_code == 0, result.output
    assert server.seen[0].header("X-Pass") is not None
    assert_no_leak(texts, "pässwörd-42", "pässwörd-42".encode().decode("latin-1"))


def test_secret_beyond_latin1_in_a_header_is_a_request_error_on_that_item(tmp_path, server):
    header = [{"key": "X-Pass", "value": "{{pw}}"}]
    items = [echo("a", "{{base}}", header=header), item("b", "{{base}}/get")]
    result, texts = run_all(tmp_path, items, {"base": server.url, "pw": ("key-🔑-secret",)})
    report = json.loads(texts["json"])
    first, second = report["run"]["executions"]
    assert first["requestError"]["message"] == 'Invalid character in header content ["X-Pass"]'
    assert second["response"]["code"] == 200
    assert_no_leak(texts, "key-🔑-secret")


def test_masker_is_iterative_and_masks_buffers():
    masker = Masker()
    masker.add(["deep-secret"])
    value: object = "deep-secret"
    for _ in range(5000):
        value = {"a": [value]}
    masked = masker.mask_deep(value)
    for _ in range(5000):
        masked = masked["a"][0]
    assert masked == "***"
    buffer = {"type": "Buffer", "data": list(b"x deep-secret \xff")}
    assert bytes(masker.mask_deep(buffer)["data"]) == b"x *** \xff"


@pytest.mark.parametrize("flag", [False, True])
def test_collection_export_leaves_secret_variables_out_unless_export_secrets(tmp_path, server, flag):
    variables = [{"key": "cvs", "value": "typed-coll-secret", "type": "secret"}, {"key": "plain", "value": "p"}]
    coll = write_json(tmp_path / "c.json", collection([item("a", server.url + "/get")], variable=variables))
    out = tmp_path / "x.json"
    result = postrun(str(coll), "--export-collection", str(out), *(["--export-secrets"] if flag else []))
    assert result.exit_code == 0, result.output
    exported = {v["key"]: v["value"] for v in json.loads(out.read_text())["variable"]}
    assert exported == {"cvs": "typed-coll-secret" if flag else "", "plain": "p"}

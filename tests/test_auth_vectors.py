"""Our own small algorithms against their specifications' published examples."""

from __future__ import annotations

from runner.auth import awsv4, digest, hawk, oauth1
from runner.auth.base import Signing
from runner.url import to_target


def test_digest_rfc2617_example() -> None:
    _, response = digest.response_header(
        username="Mufasa", password="Circle Of Life", realm="testrealm@host.com",
        nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", method="GET", uri="/dir/index.html", qop="auth",
        nc="00000001", cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41",
    )  # fmt: skip
    assert response == "6629fae49393a05397450978507c4ef1"


def test_digest_rfc7616_md5_and_sha256_examples() -> None:
    common = dict(
        username="Mufasa", password="Circle of Life", realm="http-auth@example.org",
        nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", method="GET", uri="/dir/index.html", qop="auth",
        nc="00000001", cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    )  # fmt: skip
    assert digest.response_header(**common, algorithm="MD5")[1] == "8ca523f5e9506fed4657c9700eebdbec"
    assert (
        digest.response_header(**common, algorithm="SHA-256")[1]
        == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    )


def test_digest_picks_one_offered_qop() -> None:
    assert digest.choose_qop("auth,auth-int", "") == "auth"
    assert digest.choose_qop("auth, auth-int", "auth-int") == "auth-int"
    assert digest.choose_qop("auth-int", "auth") == "auth-int"


def _signing(method: str, url: str, body: bytes | None = None, headers: list[tuple[str, str]] | None = None) -> Signing:
    return Signing(method, url, to_target(url), headers or [], body)


def test_oauth1_core_appendix_a_signature() -> None:
    req = _signing("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original")
    params = {"consumerKey": "dpf43f3p2l4k3l03", "consumerSecret": "kd94hf93k423kf44", "token": "nnch734d00sl2jdk",
              "tokenSecret": "pfkkdhi9sl3r4s00", "nonce": "kllo9940pd9333jh", "timestamp": "1191242096",
              "version": "1.0", "signatureMethod": "HMAC-SHA1", "addParamsToHeader": True}  # fmt: skip
    header = oauth1.sign(params, req).headers[0][1]
    assert 'oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"' in header


def test_oauth1_rfc5849_initiate_example() -> None:
    req = _signing("POST", "https://photos.example.net/initiate")
    params = {"consumerKey": "dpf43f3p2l4k3l03", "consumerSecret": "kd94hf93k423kf44", "nonce": "wIjqoS",
              "timestamp": "137131200", "callback": "http://printer.example.com/ready", "realm": "Photos",
              "signatureMethod": "HMAC-SHA1", "addParamsToHeader": True}  # fmt: skip
    header = oauth1.sign(params, req).headers[0][1]
    assert header.startswith('OAuth realm="Photos",oauth_consumer_key="dpf43f3p2l4k3l03"')
    assert 'oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"' in header


def test_oauth1_rfc5849_base_string_uri_rules() -> None:
    assert oauth1.base_string_uri(_signing("GET", "HTTP://EXAMPLE.COM:80/r%20v/X?id=123")) == "http://example.com/r%20v/X"
    assert oauth1.base_string_uri(_signing("GET", "https://www.example.net:8080/?q=1")) == "https://www.example.net:8080/"


def test_sigv4_aws_test_suite_get_vanilla_and_query_order() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    headers = [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")]
    common = dict(method="GET", headers=headers, payload_hash=awsv4.EMPTY_HASH, access_key="AKIDEXAMPLE",
                  secret_key=secret, region="us-east-1", service="service", amz_date="20150830T123600Z")  # fmt: skip
    sig, signed, scope = awsv4.sign_parts(path="/", query="", **common)
    assert (sig, signed, scope) == (
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "host;x-amz-date",
        "20150830/us-east-1/service/aws4_request",
    )
    # get-vanilla-query-order-key-case: parameters are sorted by name
    sig, _, _ = awsv4.sign_parts(path="/", query="Param2=value2&Param1=value1", **common)
    assert sig == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"


def test_hawk_readme_example() -> None:
    req = _signing("GET", "http://example.com:8000/resource/1?b=1&a=2")
    params = {"authId": "dh37fgj492je", "authKey": "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn",
              "algorithm": "sha256", "nonce": "j4h3g2", "timestamp": "1353832234",
              "extraData": "some-app-ext-data"}  # fmt: skip
    header = hawk.sign(params, req).headers[0][1]
    assert header == (
        'Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", ext="some-app-ext-data", '
        'mac="6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="'
    )


def test_hawk_payload_hash_example() -> None:
    assert (
        hawk.payload_hash("sha256", "text/plain", b"Thank you for flying Hawk")
        == "Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY="
    )


def test_token_responses_as_json_or_form() -> None:
    from runner.auth.oauth2 import _token_response

    assert _token_response('{"access_token": "a", "expires_in": 60}') == {"access_token": "a", "expires_in": 60}
    assert _token_response("access_token=a%20b&token_type=bearer") == {"access_token": "a b", "token_type": "bearer"}
    assert _token_response("<html>oops</html>") == {}

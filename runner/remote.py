"""Inputs from elsewhere: a collection, environment, globals or data file given as an http(s) URL, and
collections and environments named by UID, fetched through the Postman API with ``--postman-api-key``.

The API's base URL is ``https://api.getpostman.com``; ``POSTRUN_POSTMAN_API_URL`` overrides it (tests
point it at a loopback server). Proxies and CA settings come from the environment, as for requests.
"""

from __future__ import annotations

import os
import re

import httpx

from runner.errors import InputError

DEFAULT_API_URL = "https://api.getpostman.com"
API_URL_VARIABLE = "POSTRUN_POSTMAN_API_URL"
# A Postman UID: the owner's id, a dash, the entity's UUID (a bare UUID is accepted too).
_UID = re.compile(r"^(?:[0-9A-Za-z]+-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
FETCH_TIMEOUT = 60.0

_api_key: str | None = None


def set_api_key(key: str | None) -> None:
    """The ``--postman-api-key`` of this command; sent only to the Postman API's base URL."""
    global _api_key
    _api_key = key or None


def api_url() -> str:
    return (os.environ.get(API_URL_VARIABLE) or DEFAULT_API_URL).rstrip("/")


def is_remote(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def locate(location: str, kind: str) -> str:
    """Where to read ``location`` from: a UID (with an API key, and no such file) becomes its API URL."""
    if _api_key and _UID.match(location) and not os.path.exists(location):
        return f"{api_url()}/{kind}s/{location}"
    return location


def fetch_text(url: str, what: str) -> str:
    """GET ``url`` and return its text; any failure is an InputError naming the URL (exit code 2)."""
    headers = {}
    if _api_key and url.startswith(api_url() + "/"):
        headers["X-Api-Key"] = _api_key
    try:
        with httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=True, trust_env=True) as client:
            response = client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch {what}: {exc}") from None
    except (httpx.InvalidURL, ValueError) as exc:
        raise InputError(url, f"not a URL postrun can fetch: {exc}") from None
    if response.status_code >= 400:
        detail = " (check --postman-api-key)" if response.status_code in (401, 403) and headers else ""
        raise InputError(url, f"cannot fetch {what}: HTTP {response.status_code} {response.reason_phrase}{detail}")
    from runner.files import decode_text

    try:
        return decode_text(response.content)
    except UnicodeDecodeError as exc:
        raise InputError(url, f"not UTF-8 or UTF-16 text (byte {exc.start})") from None

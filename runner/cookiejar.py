"""Cookie jars in the JSON that Newman reads (``--cookie-jar``) and writes (``--export-cookie-jar``):
tough-cookie's serialised ``CookieJar``, so a jar goes from one runner to the other and between runs.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from http.cookiejar import Cookie
from typing import Any

import httpx

from runner.errors import InputError
from runner.files import read_json

TOUGH_VERSION = "tough-cookie@4.1.3-postman.1"  # what Newman 6.2 writes
_CREATION = "postrun-creation"  # kept in Cookie.rest so a jar read and written again keeps its dates


def load_jar(path: str, jar: httpx.Cookies) -> None:
    """Add the cookies of a tough-cookie JSON file to ``jar``; expired ones are left out, as tough-cookie does."""
    doc = read_json(path, "cookie jar")
    cookies = doc.get("cookies") if isinstance(doc, dict) else doc
    if not isinstance(cookies, list):
        raise InputError(path, "a cookie jar must be an object with a 'cookies' array")
    now = time.time()
    for i, entry in enumerate(cookies):
        if not isinstance(entry, dict) or not isinstance(entry.get("key", entry.get("name")), str):
            raise InputError(path, "each cookie must be an object with a 'key'", f"/cookies/{i}")
        cookie = _from_tough(entry, path, f"/cookies/{i}")
        if cookie.expires is not None and cookie.expires <= now:
            continue
        jar.jar.set_cookie(cookie)


def dump_jar(jar: httpx.Cookies) -> dict[str, Any]:
    """The jar as tough-cookie serialises it (what ``newman run --export-cookie-jar`` writes)."""
    now = iso_date(time.time())
    cookies = []
    for c in jar.jar:
        out: dict[str, Any] = {"key": c.name, "value": c.value or ""}
        if c.expires is not None:
            out["expires"] = iso_date(c.expires)
        out["domain"] = c.domain.lstrip(".")
        out["path"] = c.path
        if c.secure:
            out["secure"] = True
        if http_only(c):
            out["httpOnly"] = True
        out["hostOnly"] = not c.domain_specified
        out["creation"] = c.get_nonstandard_attr(_CREATION) or now
        out["lastAccessed"] = now
        cookies.append(out)
    return {
        "version": TOUGH_VERSION,
        "storeType": "MemoryCookieStore",
        "rejectPublicSuffixes": False,
        "enableLooseMode": True,
        "allowSpecialUseDomain": True,
        "prefixSecurity": "silent",
        "cookies": cookies,
    }


def _from_tough(entry: dict[str, Any], path: str, where: str) -> Cookie:
    name = str(entry.get("key", entry.get("name")))
    domain = str(entry.get("domain") or "").lower()
    if not domain:
        raise InputError(path, "the cookie has no domain", where)
    host_only = entry.get("hostOnly", False) is not False
    expires = _expiry(entry, path, where)
    rest: dict[str, Any] = {}
    if entry.get("httpOnly"):
        rest["HttpOnly"] = None
    if entry.get("sameSite"):
        rest["SameSite"] = str(entry["sameSite"])
    if isinstance(entry.get("creation"), str):
        rest[_CREATION] = entry["creation"]
    cookie_path = str(entry.get("path") or "/")
    return Cookie(
        version=0,
        name=name,
        value=str(entry.get("value") if entry.get("value") is not None else ""),
        port=None,
        port_specified=False,
        domain=domain if host_only else "." + domain.lstrip("."),
        domain_specified=not host_only,
        domain_initial_dot=not host_only,
        path=cookie_path,
        path_specified=True,
        secure=bool(entry.get("secure")),
        expires=expires,
        discard=expires is None,
        comment=None,
        comment_url=None,
        rest=rest,
    )


def _expiry(entry: dict[str, Any], path: str, where: str) -> int | None:
    """Seconds since the epoch, from ``maxAge`` (counted from ``creation``) or ``expires``; None: a session cookie."""
    max_age = entry.get("maxAge")
    if isinstance(max_age, (int, float)) and not isinstance(max_age, bool):
        start = _parse_iso(entry.get("creation")) or time.time()
        return int(start + max_age)
    expires = entry.get("expires")
    if expires in (None, "Infinity"):
        return None
    parsed = _parse_iso(expires)
    if parsed is None:
        raise InputError(path, f"cannot read the expiry date {expires!r}", f"{where}/expires")
    return int(parsed)


def _parse_iso(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def http_only(cookie: Cookie) -> bool:
    """Whether the cookie was set HttpOnly (the standard library keeps the flag as a nonstandard one)."""
    return cookie.has_nonstandard_attr("HttpOnly") or cookie.has_nonstandard_attr("httponly")


def iso_date(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

"""NTLM: the three-step handshake (negotiate, challenge, authenticate) on one keep-alive connection.

The first request goes without auth; a 401 naming NTLM (or Negotiate) starts the handshake, as in
Postman. The messages come from pyspnego's NTLM client, a well-kept implementation of MS-NLMP.
"""

from __future__ import annotations

import base64
import threading
from typing import Any

from runner.auth.base import Applied, AuthError, ExchangeState, Signing, text

_WORKSTATION_LOCK = threading.Lock()  # pyspnego reads the workstation from a module function


def split_user(username: str, domain: str) -> tuple[str, str]:
    """``DOMAIN\\user`` and ``user@DOMAIN`` carry the domain when the auth gives none."""
    if domain:
        return username, domain
    if "\\" in username and "@" in username:
        return username, ""
    left, sep, right = username.partition("\\")
    if sep and left and right and "\\" not in right:
        return right, left
    left, sep, right = username.partition("@")
    if sep and left and right and "@" not in right:
        return left, right
    return username, ""


def sign(params: dict[str, Any], req: Signing) -> Applied:
    state = req.state
    password = text(params, "password")
    if state is None or state.ntlm_step == 0 or state.challenge.get("ntlm_token") is None:
        return Applied(secrets=[password])
    token = state.challenge["ntlm_token"]  # the authenticate message carries responses derived from the password
    return Applied(headers=[("Authorization", "NTLM " + token)], secrets=[password, token])


def challenged(params: dict[str, Any], headers: list[tuple[str, str]], code: int, state: ExchangeState) -> bool:
    """Move the handshake on after a 401/403; True when the request must be sent again."""
    if code not in (401, 403):
        return False
    offers = [v for k, v in headers if k.lower() == "www-authenticate"]
    if state.ntlm_step == 0:
        if not any(v.split(" ")[0].lower() in ("ntlm", "negotiate") for v in offers):
            return False
        import spnego

        user, domain = split_user(text(params, "username"), text(params, "domain"))
        principal = f"{domain}\\{user}" if domain else user
        state.ntlm = spnego.client(principal, text(params, "password"), protocol="ntlm")
        state.challenge["ntlm_token"] = base64.b64encode(state.ntlm.step()).decode()
        state.ntlm_step = 1
        return True
    if state.ntlm_step == 1:
        token = next((v[5:].strip() for v in offers if v[:5].upper() == "NTLM "), None)
        if not token:
            raise AuthError("ntlm: server did not send NTLM type 2 message")
        import spnego._ntlm as impl

        workstation = text(params, "workstation")
        with _WORKSTATION_LOCK:
            saved = impl._get_workstation
            impl._get_workstation = lambda: workstation or None
            try:
                answer = state.ntlm.step(base64.b64decode(token))
            except Exception as exc:  # noqa: BLE001 - pyspnego raises its own error family
                raise AuthError(f"ntlm: server did not correctly process authentication request: {exc}") from None
            finally:
                impl._get_workstation = saved
        state.challenge["ntlm_token"] = base64.b64encode(answer).decode()
        state.ntlm_step = 2
        return True
    return False

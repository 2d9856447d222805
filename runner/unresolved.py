"""``postrun check``: which variables each tenant's environment leaves unresolved, without sending anything.

Teams keep one collection and one environment per tenant; a missing variable shows up as a literal
``{{name}}`` in a request sent to production. The check walks the items in run order, as the runner
would, and resolves every part of each request that is resolved when sending with the real resolver
over the tenant's scopes. Variables that scripts set are seen statically: a literal-name setter
(``pm.environment.set("x", ...)``, ``context.set("x", ...)``, ...) counts as providing ``x`` from the
point in the run where it executes. Names built at run time are not seen, so they stay missing:
the check prefers a question to false certainty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from runner.auth.oauth2 import configured as oauth2_configured
from runner.collection import Collection, Item, Script, auth_params
from runner.engine import script_chain, select_items
from runner.request import BODYLESS_METHODS, definition
from runner.resolver import Resolver
from runner.url import join_url
from runner.variables import Scopes, VariableScope

# The value a script-set variable stands for: unknown, but set (and free of further references).
_SET_BY_SCRIPT = ""
# oauth2 keeps its grant settings (authUrl, clientId, ...) in the auth too; only these are sent,
# unless the grant is configured for postrun to fetch the token (then every setting is used).
_OAUTH2_SENT = ("accessToken", "addTokenTo", "headerPrefix")
PLACES_SHOWN = 3


@dataclass(frozen=True)
class Use:
    """One place a variable is referenced."""

    item: str  # item path joined with " / "
    where: str  # "url", "header Authorization", "body client_id", "auth bearer.token", "pre-request script"


@dataclass
class TenantReport:
    """One tenant's unresolved variables, each with the places it is used, in collection order."""

    tenant: str
    missing: dict[str, list[Use]] = field(default_factory=dict)
    # Missing names that a script does set, but only after (some of) their uses in the first iteration.
    set_later: frozenset[str] = frozenset()

    @property
    def complete(self) -> bool:
        return not self.missing


# --- the plan: what a run does, in order, independent of the tenant ---------------------------------


@dataclass(frozen=True)
class _Set:
    """A script sets ``name`` in ``scope`` (environment, globals, collection or local)."""

    scope: str
    name: str


@dataclass(frozen=True)
class _Text:
    """Text that is resolved at this point of the run (a value from the file: usually, not always, a string)."""

    use: Use
    text: Any


_Step = _Set | _Text


def _plan(collection: Collection, folders: Sequence[str] = ()) -> list[_Step]:
    """Every setter and every resolved text of one iteration, in the order the run meets them."""
    steps: list[_Step] = []
    for item in select_items(collection, folders):
        label = " / ".join(item.path) or item.name
        scripts = script_chain(item)
        steps += _script_steps(item, label, [s for s in scripts if s.listen == "prerequest"])
        steps += [_Text(Use(label, where), text) for where, text in request_texts(item)]
        steps += _script_steps(item, label, [s for s in scripts if s.listen == "test"])
    return steps


def _script_steps(item: Item, label: str, scripts: list[Script]) -> list[_Step]:
    steps: list[_Step] = []
    for script in scripts:
        kind = "pre-request script" if script.listen == "prerequest" else "test script"
        own = script.pointer.startswith(f"{item.pointer}/event/")
        where = kind if own else f"{kind} ({script.owner})"
        for scope, name, template in scan_script(script.source):
            steps.append(_Set(scope, name) if template is None else _Text(Use(label, where), template))
    return steps


def request_texts(item: Item) -> Iterator[tuple[str, Any]]:
    """(where, text) for each part of the item's request that is resolved when it is sent."""
    request = definition(item)
    method = str(request.get("method") or "GET")
    yield "method", method
    url = request.get("url")
    if isinstance(url, dict):
        # Newman joins the url before resolving it: disabled query params and unused path variables drop out.
        yield "url", join_url(url)
    for header in request.get("header") or []:
        if header.get("disabled") or header.get("key") in (None, ""):
            continue
        where = f"header {header['key']}"
        yield where, header["key"]
        yield where, header.get("value")
    body = request.get("body")
    pruned = method.upper() in BODYLESS_METHODS and not item.protocol_profile.get("disableBodyPruning")
    if isinstance(body, dict) and not body.get("disabled") and not pruned:
        yield from _body_texts(body)
    auth = request.get("auth")
    if auth and auth.get("type") != "noauth":
        kind = auth["type"]
        params = auth_params(auth)
        fetched = kind == "oauth2" and oauth2_configured(params)  # postrun sends the grant settings too
        for key, value in params.items():
            if kind != "oauth2" or key in _OAUTH2_SENT or fetched:
                for text in _strings(value):
                    yield f"auth {kind}.{key}", text


def _body_texts(body: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    mode = body.get("mode")
    if mode == "raw":
        yield "body", body.get("raw")
    elif mode in ("urlencoded", "formdata"):
        for part in body.get(mode) or []:
            if not isinstance(part, dict) or part.get("disabled"):
                continue
            where = f"body {part.get('key') or ''}".rstrip()
            yield where, part.get("key")
            if mode == "formdata" and part.get("type") == "file":
                for src in _strings(part.get("src")):
                    yield f"{where} file", src
            else:
                yield where, part.get("value")
    elif mode == "file":
        yield "body file", (body.get("file") or {}).get("src")
    elif mode == "graphql":
        graphql = body.get("graphql") or {}
        if isinstance(graphql, dict):
            yield "body query", graphql.get("query")
            for text in _strings(graphql.get("variables")):
                yield "body variables", text


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value (object keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for entry in value:
            yield from _strings(entry)
    elif isinstance(value, dict):
        for key, entry in value.items():
            yield from _strings(key)
            yield from _strings(entry)


# --- scripts: literal-name setters and replaceIn templates -------------------------------------------

# String literals and comments; comments are dropped, so commented-out code is not seen, and each string is
# swapped for a numbered placeholder, so that code inside a string is not taken for a call.
_TOKENS = re.compile(
    r"""'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?|`(?:[^`\\]|\\.)*`?|//[^\n]*|/\*.*?(?:\*/|\Z)""", re.S
)
_CALL = re.compile(
    r"(?<![\w$.])(?P<obj>[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*"
    r"(?P<method>set|setEnvironmentVariable|setGlobalVariable|replaceIn)\s*\(\s*"
    r"\x01(?P<arg>\d+)\x02\s*(?P<next>[,)])"
)
_SCOPES = {
    "pm.environment": "environment",
    "pm.globals": "globals",
    "pm.collectionVariables": "collection",
    "pm.variables": "local",
}


@lru_cache(maxsize=4096)
def scan_script(source: str) -> tuple[tuple[str, str, str | None], ...]:
    """The script's literal setters as (scope, name, None) and replaceIn templates as ("", "", text), in order.

    Any ``identifier.set("name", ...)`` counts as an environment setter: that covers the seed idiom
    ``const context = pm.environment.name ? pm.environment : pm.collectionVariables; context.set(...)``.
    """
    strings: list[str] = []

    def swap(token: re.Match[str]) -> str:
        if token.group().startswith(("//", "/*")):
            return " "
        strings.append(token.group())
        return f"\x01{len(strings) - 1}\x02"

    code = _TOKENS.sub(swap, source)
    found: list[tuple[str, str, str | None]] = []
    for match in _CALL.finditer(code):
        obj, method = re.sub(r"\s+", "", match["obj"]), match["method"]
        text = _unquote(strings[int(match["arg"])])
        if text is None:
            continue  # unterminated, or a template literal with ${...}: not a literal name
        if method == "replaceIn":
            found.append(("", "", text))
        elif match["next"] != ",":
            continue  # set("x") sets undefined, which does not resolve
        elif method == "setEnvironmentVariable" and obj == "postman":
            found.append(("environment", text, None))
        elif method == "setGlobalVariable" and obj == "postman":
            found.append(("globals", text, None))
        elif method == "set" and obj in _SCOPES:
            found.append((_SCOPES[obj], text, None))
        elif method == "set" and "." not in obj:
            found.append(("environment", text, None))
    return tuple(found)


def _unquote(literal: str) -> str | None:
    """The value of a JS string literal; None when it is not a constant (``${...}``) or not closed."""
    if len(literal) < 2 or literal[-1] != literal[0] or (literal[0] == "`" and "${" in literal):
        return None
    body = literal[1:-1]
    if "\\" not in body:
        return body
    if literal[0] == '"':
        try:
            return str(json.loads(literal))
        except ValueError:
            pass
    return re.sub(r"\\(.)", r"\1", body)


# --- checking a tenant --------------------------------------------------------------------------------


def check(
    collection: Collection,
    tenants: list[tuple[str, VariableScope | None]],
    globals_: VariableScope,
    data: list[dict[str, Any]] | None = None,
    folders: Sequence[str] = (),
) -> list[TenantReport]:
    """For each (name, environment) tenant, the variables its run would leave unresolved.

    With iteration data each distinct row is checked: the first as the first iteration (only setters
    that ran before count), later rows after a whole iteration has run (every setter counts).
    """
    steps = _plan(collection, folders)
    rows: list[dict[str, Any]] = list(data or []) or [{}]
    later = {json.dumps(row, sort_keys=True, default=str): row for row in rows[1:]}
    later.pop(json.dumps(rows[0], sort_keys=True, default=str), None)
    every_setter = [step for step in steps if isinstance(step, _Set)]
    reports = []
    for name, environment in tenants:
        missing: dict[str, dict[Use, None]] = {}
        _iteration(steps, _scopes(collection, environment, globals_, rows[0]), missing)
        for row in later.values():
            scopes = _scopes(collection, environment, globals_, row)
            for setter in every_setter:
                _apply(scopes, setter)
            _iteration(steps, scopes, missing)
        scripted = {setter.name for setter in every_setter}
        reports.append(
            TenantReport(name, {var: list(uses) for var, uses in missing.items()}, frozenset(scripted & set(missing)))
        )
    return reports


def _scopes(
    collection: Collection, environment: VariableScope | None, globals_: VariableScope, row: dict[str, Any]
) -> Scopes:
    return Scopes(
        globals_.copy(),
        VariableScope(collection.name, collection.variables),
        environment.copy() if environment is not None else VariableScope(""),
        dict(row),
    )


def _apply(scopes: Scopes, setter: _Set) -> None:
    if setter.scope == "local":
        scopes.local[setter.name] = _SET_BY_SCRIPT
    else:
        target = {"environment": scopes.environment, "collection": scopes.collection, "globals": scopes.globals}
        target[setter.scope].set(setter.name, _SET_BY_SCRIPT)


def _iteration(steps: list[_Step], scopes: Scopes, missing: dict[str, dict[Use, None]]) -> None:
    """Run one iteration's steps, adding each reference that stays unresolved to ``missing``."""
    asked: list[str] = []

    def lookup(name: str) -> Any:
        asked.append(name)
        return scopes.lookup(name)

    resolver = Resolver(lookup)
    for step in steps:
        if isinstance(step, _Set):
            _apply(scopes, step)
            continue
        if not isinstance(step.text, str) or "{{" not in step.text:
            continue
        asked.clear()
        resolver.unresolved.clear()
        resolver.resolve(step.text)
        for name in dict.fromkeys(asked):  # the order the text (and nested values) name them
            if name in resolver.unresolved and not name.startswith("$"):
                missing.setdefault(name, {})[step.use] = None


# --- output -------------------------------------------------------------------------------------------


def format_reports(reports: list[TenantReport], places: int = PLACES_SHOWN) -> str:
    """What ``postrun check`` prints: per tenant its missing variables and first few uses, then a verdict."""
    lines: list[str] = []
    incomplete = [r for r in reports if not r.complete]
    for report in reports:
        tenant = report.tenant or "(no environment)"
        if report.complete:
            lines.append(f"{tenant}: every variable resolves")
            continue
        count = len(report.missing)
        lines.append(f"{tenant}: {count} variable{'s' if count != 1 else ''} left unresolved")
        for name, uses in report.missing.items():
            late = " (a script sets it, but later in the run)" if name in report.set_later else ""
            lines.append(f"  {{{{{name}}}}} used in {len(uses)} place{'s' if len(uses) != 1 else ''}{late}")
            lines += [f"    {use.item}: {use.where}" for use in uses[:places]]
            if len(uses) > places:
                lines.append(f"    ... and {len(uses) - places} more")
    total = len(reports)
    if not incomplete:
        lines.append(f"All {total} tenant{'s' if total != 1 else ''} resolve every variable the collection uses.")
    else:
        names = ", ".join(r.tenant or "(no environment)" for r in incomplete)
        lines.append(f"Unresolved variables in {len(incomplete)} of {total} tenant{'s' if total != 1 else ''}: {names}")
    return "\n".join(lines)

"""Resolve ``{{variable}}`` references with Postman's rules, on Jinja2's sandboxed engine.

Collection, environment and data text is data, never template code. So we never hand user text
to Jinja's parser: our tokenizer finds Postman references (``{{`` + any characters but braces +
``}}``) and we build the Jinja template tree ourselves, literal text as ``TemplateData`` and each
reference as a call to the lookup function. ``{% for %}`` or ``{{ 7*7 }}`` in a collection is thus
just text. Templates are compiled once per distinct string and cached.

Nested references resolve innermost first, pass after pass, at most 19 passes as Newman does.
Unlike Newman (which hangs on ``a = "{{a}}{{a}}"``), a variable whose value leads back to itself is
left unresolved and reported by name, and no text grows beyond ``MAX_RESOLVED_LENGTH``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from runner.variables import MISSING

REFERENCE = re.compile(r"\{\{([^{}]*)\}\}")
MAX_PASSES = 19
MAX_RESOLVED_LENGTH = 10 * 1024 * 1024  # characters one resolved text may reach

_env = SandboxedEnvironment(autoescape=False, cache_size=0)
_LOOKUP = "__postrun_lookup"


def render_value(value: Any) -> str | None:
    """A variable's value as Postman puts it into text; None when Postman leaves the reference as is."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # JSON numbers are doubles in JavaScript: integers beyond 2**53 lose digits there too.
        if abs(value) <= 2**53:
            return str(value)
        try:
            return js_number(float(value))
        except OverflowError:  # beyond a double: JavaScript reads the literal as Infinity
            return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, float):
        return js_number(value)
    if value is None:  # a script set it to null or undefined: Newman writes "null"
        return "null"
    if isinstance(value, (dict, list)):
        # As the SDK's Variable#toString, which writes the value's own toString(): an object parsed from
        # JSON is "[object Object]" ("" when a `toString` key shadows the method), an array its items
        # joined with commas, null items empty (measured with Newman 6.2 for every scope).
        try:
            return _object_text(value)
        except RecursionError:
            return None
    return None


def _object_text(value: dict | list) -> str | None:
    if isinstance(value, dict):
        return "" if "toString" in value else "[object Object]"
    parts = []
    for item in value:
        if item is None:
            parts.append("")
        elif isinstance(item, dict) and "toString" in item:
            return None  # JavaScript's join throws on it ("Cannot convert object to primitive value")
        else:
            text = _object_text(item) if isinstance(item, (dict, list)) else render_value(item)
            if text is None:
                return None
            parts.append(text)
    return ",".join(parts)


def js_number(value: float) -> str:
    """``String(value)`` in JavaScript: shortest round-trip digits, exponent only below 1e-6 or from 1e21."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exponent)  # value == 0.<digits> * 10**point
    k = len(digits)
    if k <= point <= 21:
        text = digits + "0" * (point - k)
    elif 0 < point <= 21:
        text = f"{digits[:point]}.{digits[point:]}"
    elif -6 < point <= 0:
        text = "0." + "0" * -point + digits
    else:
        e = point - 1
        text = (digits if k == 1 else f"{digits[0]}.{digits[1:]}") + ("e+" if e >= 0 else "e-") + str(abs(e))
    return sign + text


@lru_cache(maxsize=8192)
def _template(text: str) -> Any:
    """Compile ``text`` (which contains at least one reference) into a Jinja template."""
    parts: list[nodes.Expr] = []
    pos = 0
    for m in REFERENCE.finditer(text):
        if m.start() > pos:
            parts.append(nodes.TemplateData(text[pos : m.start()]))
        parts.append(nodes.Call(nodes.Name(_LOOKUP, "load"), [nodes.Const(m.group(1))], [], None, None))
        pos = m.end()
    if pos < len(text):
        parts.append(nodes.TemplateData(text[pos:]))
    tree = nodes.Template([nodes.Output(parts)], lineno=1)
    tree.set_environment(_env)
    code = _env.compile(tree)
    return _env.template_class.from_code(_env, code, _env.make_globals(None), None)


Lookup = Callable[[str], Any]


class Resolver:
    """Substitutes references using ``lookup`` (a function returning a value or MISSING)."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        self._vars = {_LOOKUP: self._reference}
        self._context: Any = None  # one Jinja context serves every template: ours only call the lookup
        self.unresolved: set[str] = set()
        self.problems: dict[str, str] = {}  # variable -> why it was left unresolved (cycles, size)
        self._cyclic: dict[str, list[str] | None] = {}

    def _refs(self, name: str) -> list[str]:
        """The variables the value of ``name`` refers to."""
        value = self._lookup(name)
        text = None if value is MISSING else render_value(value)
        return [m.group(1) for m in REFERENCE.finditer(text)] if text and "{{" in text else []

    def _cycle(self, name: str) -> list[str] | None:
        """The chain of references that leads from ``name`` back to itself, or None (iterative DFS)."""
        if name in self._cyclic:
            return self._cyclic[name]
        found: list[str] | None = None
        path, seen = [name], {name}
        stack = [iter(self._refs(name))]
        while stack and found is None and len(seen) < 10_000:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                path.pop()
            elif nxt == name:
                found = [*path, name]
            elif nxt not in seen:
                seen.add(nxt)
                path.append(nxt)
                stack.append(iter(self._refs(nxt)))
        self._cyclic[name] = found
        return found

    def _reference(self, name: str) -> str:
        if name in self.problems:
            return "{{" + name + "}}"
        value = self._lookup(name)
        if value is MISSING:
            if name.startswith("$"):
                from runner.dynamic import dynamic_value  # a large table, needed by few runs

                dynamic = dynamic_value(name)
                if dynamic is not None:
                    return dynamic
            self.unresolved.add(name)
            return "{{" + name + "}}"
        text = render_value(value)
        if text is None:
            self.unresolved.add(name)
            return "{{" + name + "}}"
        if "{{" in text:
            cycle = self._cycle(name)
            if cycle is not None:
                self.problems[name] = f"variable {name!r} refers to itself ({' → '.join(cycle)}); left unresolved"
                self.unresolved.add(name)
                return "{{" + name + "}}"
        return text

    def _too_long(self, text: str) -> bool:
        """Would the next pass make ``text`` longer than MAX_RESOLVED_LENGTH? Then say which variables."""
        size, names = len(text), set()
        for m in REFERENCE.finditer(text):
            value = self._lookup(m.group(1))
            rendered = None if value is MISSING else render_value(value)
            if rendered is not None:
                size += len(rendered) - len(m.group(0))
                names.add(m.group(1))
            if size > MAX_RESOLVED_LENGTH:
                listed = ", ".join(sorted(names)[:5])
                for name in names:
                    self.problems.setdefault(
                        name,
                        f"resolving variables ({listed}) would make a text longer than {MAX_RESOLVED_LENGTH}"
                        " characters; left unresolved",
                    )
                return True
        return False

    def resolve(self, text: Any) -> Any:
        """Resolve references in ``text``; anything that is not a string comes back unchanged."""
        if not isinstance(text, str) or "{{" not in text:
            return text
        for _ in range(MAX_PASSES):
            if not REFERENCE.search(text) or self._too_long(text):
                break
            template = _template(text)
            if self._context is None:
                self._context = template.new_context(self._vars)
            out = "".join(template.root_render_func(self._context))
            if out == text:
                break
            text = out
        return text

    def resolve_deep(self, value: Any) -> Any:
        """Resolve every string inside lists and dicts (keys too), returning new containers."""
        if isinstance(value, str):
            return self.resolve(value)
        if isinstance(value, list):
            return [self.resolve_deep(v) for v in value]
        if isinstance(value, dict):
            return {self.resolve(k): self.resolve_deep(v) for k, v in value.items()}
        return value

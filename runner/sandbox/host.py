"""Python functions that the sandbox's JavaScript calls (hashing, base64, schema validation...).

QuickJS can only pass primitives (str, int, float, bool, None) across the boundary, and a Python
exception raised inside a callable corrupts the call. So every host function is wrapped: an
exception becomes a string starting with ``ERROR_PREFIX`` that the JS helper ``__host`` turns
back into a thrown ``Error``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ERROR_PREFIX = "\x00ERR:"

HostFunction = Callable[..., Any]


def guarded(fn: HostFunction) -> HostFunction:
    """Wrap ``fn`` so that it never raises into QuickJS."""

    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - everything must be reported to JS, not raised
            return f"{ERROR_PREFIX}{exc}"

    call.__name__ = getattr(fn, "__name__", "host")
    return call


# JS side of the convention; evaluated before any other sandbox JS.
HOST_JS = r"""
(function (g) {
  var prefix = '\u0000ERR:';
  g.__hostBlocked = false;
  g.__host = function (name) {
    var fn = g['__py_' + name];
    if (typeof fn !== 'function') { throw new Error('host function ' + name + ' is missing'); }
    var r;
    try {
      r = fn.apply(null, Array.prototype.slice.call(arguments, 1));
    } catch (e) {
      // The engine's time limit forbids calls into Python: the runtime re-runs this script without it.
      if (String(e && e.message).indexOf('time limit') >= 0) { g.__hostBlocked = true; }
      throw e;
    }
    if (typeof r === 'string' && r.lastIndexOf(prefix, 0) === 0) { throw new Error(r.slice(prefix.length)); }
    return r;
  };
})(globalThis);
"""


def install(ctx: Any, functions: dict[str, HostFunction]) -> None:
    """Register ``functions`` in a QuickJS context as ``__py_<name>``, callable via ``__host(name, ...)``."""
    for name, fn in functions.items():
        ctx.add_callable(f"__py_{name}", guarded(fn))

"""Newman's ``--reporter-<name>-<option> [value]`` flags, read as Newman reads them.

Newman takes any flag that starts with ``--reporter-``: when ``<name>`` is one of the chosen
reporters the rest is that reporter's option, otherwise the whole rest is a generic option given
to every reporter (``--reporter-silent``). Values follow ``=`` or come as the next argument when it
does not start with ``-``. We make one exception, for safety: switches (``no-*``, ``silent``,
``show-timestamps``) never take the next argument, so ``--reporter-cli-no-summary coll.json``
keeps the collection.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

PREFIX = "--reporter-"
SWITCHES = ("silent", "show-timestamps", "per-iteration")


def _is_switch(option: str) -> bool:
    last = option.split("-", 1)[1] if "-" in option else option
    return option.startswith("no-") or last.startswith("no-") or any(option.endswith(s) for s in SWITCHES)


def split_reporter_args(args: Sequence[str]) -> tuple[list[str], list[tuple[str, Any]]]:
    """Take the ``--reporter-*`` flags out of ``args``: (the other args, [(option, value)])."""
    rest: list[str] = []
    found: list[tuple[str, Any]] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith(PREFIX) or arg == "--":
            rest.append(arg)
            if arg == "--":
                rest += args[i + 1 :]
                break
            i += 1
            continue
        option, eq, value = arg[len(PREFIX) :].partition("=")
        if eq:
            found.append((option, value))
        elif not _is_switch(option) and i + 1 < len(args) and not args[i + 1].startswith("-"):
            found.append((option, args[i + 1]))
            i += 1
        else:
            found.append((option, True))
        i += 1
    return rest, found


def _snake(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def reporter_options(found: Sequence[tuple[str, Any]], reporters: Sequence[str]) -> dict[str, Any]:
    """Flat options for our reporters: ``json_export``, ``cli_no_summary``...; generic ones apply to
    every chosen reporter and win over its own, as in Newman."""
    own: dict[str, Any] = {}
    generic: dict[str, Any] = {}
    for option, value in found:
        name, _, rest = option.partition("-")
        if name in reporters and rest:
            own[f"{name}_{_snake(rest)}"] = value
        else:
            generic[_snake(option)] = value
    out = dict(own)
    for key, value in generic.items():
        for name in reporters:
            out[f"{name}_{key}"] = value
    return out

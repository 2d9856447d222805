"""postrun: run Postman collections from Python.

The pipeline is load -> resolve -> send -> script -> report; each stage is a module of its own.
The Python API (``runner.run``, ``runner.check``, ``runner.load_collection``, ``runner.Result``,
``runner.InputError``...) lives in ``runner.api`` and is imported on first use, so that importing
``runner`` (the CLI, the pytest plugin) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "run": "runner.api",
    "check": "runner.api",
    "Result": "runner.api",
    "CheckResult": "runner.api",
    "TenantResult": "runner.api",
    "Options": "runner.api",
    "StopRun": "runner.api",
    "load_collection": "runner.collection",
    "Collection": "runner.collection",
    "Item": "runner.collection",
    "Execution": "runner.results",
    "Failure": "runner.results",
    "Stats": "runner.results",
    "PostrunError": "runner.errors",
    "InputError": "runner.errors",
    "UsageError": "runner.errors",
}

__all__ = [  # noqa: RUF022 - the API first, then its parts
    "__version__",
    "run",
    "check",
    "load_collection",
    "Result",
    "CheckResult",
    "TenantResult",
    "Options",
    "StopRun",
    "Collection",
    "Item",
    "Execution",
    "Failure",
    "Stats",
    "PostrunError",
    "InputError",
    "UsageError",
]

if TYPE_CHECKING:
    from runner.api import CheckResult, Options, Result, StopRun, TenantResult, check, run
    from runner.collection import Collection, Item, load_collection
    from runner.errors import InputError, PostrunError, UsageError
    from runner.results import Execution, Failure, Stats


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'runner' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

"""Reporters: what a run shows people (cli) and writes for machines (json, junit).

Each reporter gets the run at start, every execution as it finishes, and the summary at the end.
Everything they emit passes through the run's Masker, so secrets never reach output or files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from runner.errors import UsageError

ReporterFactory = Callable[[dict[str, Any]], Any]


def default_file_name(extension: str, stem: str = "postrun-run-report") -> str:
    """The file name Newman gives a report (newman-run-report-<time>) when the path is a folder; ours says postrun."""
    stamp = datetime.now().strftime("%Y-%m-%d-%H-%M-%S-%f")[:-3]
    return f"{stem}-{stamp}.{extension}"


def default_export_path(kind: str, extension: str) -> str:
    """Newman writes to newman/newman-run-report-<time>; we write to postrun/postrun-run-report-<time>."""
    return os.path.join("postrun", default_file_name(extension))


# name -> (module, factory): imported only when a run asks for the reporter (junit's xml modules
# alone are ~4 ms of a cold start).
_REPORTERS = {
    "cli": ("runner.reporters.cli", "CliReporter"),
    "json": ("runner.reporters.json", "JsonReporter"),
    "junit": ("runner.reporters.junit", "junit_reporter"),
    "html": ("runner.reporters.html", "HtmlReporter"),
    "progress": ("runner.reporters.progress", "ProgressReporter"),
}


def make_reporters(names: list[str], options: dict[str, Any]) -> list[Any]:
    import importlib

    reporters = []
    for name in names:
        where = _REPORTERS.get(name)
        if where is None:
            hint = "; Newman's external reporters (newman-reporter-*) are Node packages postrun cannot load"
            listed = ", ".join(sorted(_REPORTERS))
            raise UsageError(f"unknown reporter {name!r}: postrun's reporters are {listed}{hint}")
        factory: ReporterFactory = getattr(importlib.import_module(where[0]), where[1])
        reporters.append(factory(options))
    return reporters

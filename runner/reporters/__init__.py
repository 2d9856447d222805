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


def make_reporters(names: list[str], options: dict[str, Any]) -> list[Any]:
    from runner.reporters.cli import CliReporter
    from runner.reporters.html import HtmlReporter
    from runner.reporters.json import JsonReporter
    from runner.reporters.junit import junit_reporter
    from runner.reporters.progress import ProgressReporter

    known: dict[str, ReporterFactory] = {"cli": CliReporter, "json": JsonReporter, "junit": junit_reporter}
    known |= {"html": HtmlReporter, "progress": ProgressReporter}
    reporters = []
    for name in names:
        factory = known.get(name)
        if factory is None:
            hint = (
                "; Newman's external reporters (newman-reporter-*) are Node packages postrun cannot load"
                if name not in known
                else ""
            )
            raise UsageError(f"unknown reporter {name!r}: postrun's reporters are {', '.join(sorted(known))}{hint}")
        reporters.append(factory(options))
    return reporters

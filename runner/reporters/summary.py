"""The GitHub Actions step summary: a short Markdown report on the job's page.

GitHub names a file in ``GITHUB_STEP_SUMMARY``; each step appends Markdown to it, and GitHub
renders it (HTML included), so everything we write is masked and escaped: a failure message
can neither show a secret nor inject markup or remote images into the job page.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

import click

from runner.reporters.cli import human_ms, human_size
from runner.results import Summary, aggregate

MAX_FAILURES = 50
MAX_MESSAGE = 300  # characters of each failure message
_MARKDOWN = re.compile(r"([\\`*_\[\]|~!#])")


def md(text: Any, masker: Any) -> str:
    """One line of plain text, masked, safe inside Markdown (tables included) and GitHub's HTML."""
    value = masker.mask(str(text))
    value = " ".join(value.split())
    if len(value) > MAX_MESSAGE:
        value = value[: MAX_MESSAGE - 1] + "…"
    return html.escape(_MARKDOWN.sub(r"\\\1", value), quote=False)


def step_summary(session: Any) -> str:
    """The Markdown for one ``postrun run``: totals, tenants, and the first failures."""
    mask = session.masker
    summaries: list[Summary] = session.summaries
    total = aggregate(summaries)
    s = total.stats
    status = "passed" if session.ok else "failed"
    icon = "✅" if session.ok else "❌"
    duration = human_ms(((session.completed or total.completed or total.started) - session.started) * 1000)
    lines = [f"### {icon} postrun: {md(session.collection.name, mask)} {status}", ""]
    if session.interrupted:
        lines += [f"> Run stopped early: {md(session.interrupted, mask)}", ""]
    lines += [
        "| | total | failed |",
        "| --- | ---: | ---: |",
        f"| requests | {s.requests.total} | {s.requests.failed} |",
        f"| assertions | {s.assertions.total} | {s.assertions.failed} |",
        f"| scripts | {s.scripts.total} | {s.scripts.failed} |",
        f"| iterations | {s.iterations.total} | {s.iterations.failed} |",
        f"| **failures** | **{len(total.failures)}** | |",
        "",
        f"Duration {duration}, {human_size(total.bytes_received)} received"
        + (f", average response {human_ms(total.timings()['responseAverage'])}." if total.responses else "."),
        "",
    ]
    if session.multi:
        lines += [
            "| tenant | status | requests | failed requests | assertions | failed assertions | failures |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for summary in summaries:
            st = summary.stats
            state = "✅ passed" if summary.ok else "❌ failed"
            lines.append(
                f"| {md(summary.tenant, mask)} | {state} | {st.requests.total} | {st.requests.failed} | "
                f"{st.assertions.total} | {st.assertions.failed} | {len(summary.failures)} |"
            )
        lines.append("")
    if total.failures:
        shown = total.failures[:MAX_FAILURES]
        lines += [f"#### Failures ({len(total.failures)})", ""]
        for n, f in enumerate(shown, start=1):
            where = md(f.path or f.item.name, mask)
            context = [f"iteration {f.iteration + 1}"]
            if session.multi:
                context.insert(0, f"tenant {md(f.tenant, mask)}")
            title = "" if f.kind != "assertion" else f"{md(f.title, mask)}: "
            kind = "" if f.kind == "assertion" else f"{md(f.title, mask)} ({f.kind}): "
            lines.append(f"{n}. **{where}** ({', '.join(context)}): {title}{kind}{md(f.message, mask)}")
        if len(total.failures) > MAX_FAILURES:
            lines += ["", f"…and {len(total.failures) - MAX_FAILURES} more failures."]
        lines.append("")
    return "\n".join(lines) + "\n"


def write_step_summary(session: Any) -> None:
    """Append the run's summary to ``$GITHUB_STEP_SUMMARY`` when it names a file; a write error only warns."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(session))
    except OSError as exc:
        click.echo(f"warning: cannot write the GitHub step summary to {path}: {exc.strerror or exc}", err=True)

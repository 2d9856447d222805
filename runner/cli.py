"""The ``postrun`` command. ``postrun run`` takes ``newman run``'s flags with the same meanings, so a
CI job switches from Newman by changing the command's first word.

Exit codes: 0 everything passed; 1 an assertion, a script or a request failed, or a report or
export could not be written; 2 bad usage or input that cannot be read (reported as a message naming
the file and place, never a traceback); 130 Ctrl-C; 143 SIGTERM.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from typing import Any

import click

from runner import __version__
from runner.api import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Options, split_reporters
from runner.api import check as check_api
from runner.api import run as run_api
from runner.engine import Session
from runner.errors import PostrunError
from runner.files import MAX_JSON_DEPTH
from runner.reporters import make_reporters
from runner.reporters.options import reporter_options as nested_reporter_options
from runner.reporters.options import split_reporter_args
from runner.secrets import Masker
from runner.signals import handle_termination


class NewmanCommand(click.Command):
    """A command that takes any ``--reporter-<name>-<option> [value]`` flag, as Newman does."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest, found = split_reporter_args(args)
        ctx.meta["postrun.reporter_args"] = found
        try:
            return super().parse_args(ctx, _bail_alone(rest))
        except click.BadOptionUsage as exc:
            if "requires an argument" not in exc.message:
                raise
            option = self._option(exc.option_name)  # Newman's (commander's) words for it
            click.echo(f"error: option '{option}' argument missing", err=True)
            ctx.exit(EXIT_USAGE)

    def _option(self, name: str) -> str:
        for param in self.params:
            if isinstance(param, click.Option) and name in param.opts:
                flags = ", ".join(sorted(param.opts, key=len))
                return f"{flags} <{NEWMAN_PLACEHOLDERS.get(param.opts[-1], 'value')}>"
        return name


# The placeholders Newman's --help gives the options that take a value.
NEWMAN_PLACEHOLDERS = {
    "--environment": "path",
    "--globals": "path",
    "--iteration-count": "n",
    "--iteration-data": "path",
    "--folder": "path",
    "--export-environment": "path",
    "--export-globals": "path",
    "--export-collection": "path",
    "--working-dir": "path",
    "--color": "value",
}


BAIL_MODIFIERS = re.compile(r"^(folder|failure)(,(folder|failure))*$")


def _bail_alone(args: list[str]) -> list[str]:
    """``--bail`` not followed by modifiers is ``--bail=failure``, so it never takes the collection as its value."""
    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--":
            break
        if arg == "--bail" and not (i + 1 < len(out) and BAIL_MODIFIERS.match(out[i + 1])):
            out[i] = "--bail=failure"
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, "-v", "--version", prog_name="postrun", message="%(version)s")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Run Postman collections from the terminal."""
    # Input may nest up to MAX_JSON_DEPTH levels; writing it back (json, deep copies) needs room above that.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * MAX_JSON_DEPTH))
    if ctx.invoked_subcommand is None:  # as Newman: the usage on stderr, a failing exit code
        click.echo(ctx.get_help(), err=True)
        ctx.exit(EXIT_USAGE)


def reporter_options(fn: Any) -> Any:
    """The reporter flags, shared by ``run`` and ``merge``."""
    options = [
        click.option(
            "-r",
            "--reporters",
            "reporters",
            multiple=True,
            default=["cli"],
            metavar="LIST",
            help="Reporters: cli,json,junit,html,progress.",
        ),
        click.option("--reporter-json-export", metavar="PATH", help="Where the json reporter writes."),
        click.option("--reporter-junit-export", metavar="PATH", help="Where the junit reporter writes."),
        click.option("--reporter-html-export", metavar="PATH", help="Where the html reporter writes."),
        click.option("--reporter-cli-no-success-assertions", is_flag=True, help="Do not list passing assertions."),
        click.option("--reporter-cli-no-summary", is_flag=True, help="Do not print the summary table."),
        click.option("--reporter-cli-no-failures", is_flag=True, help="Do not print the failure list."),
        click.option("--reporter-cli-no-console", is_flag=True, help="Do not print script console output."),
        click.option("--reporter-cli-no-assertions", is_flag=True, help="Do not list assertions."),
        click.option("--reporter-cli-no-banner", is_flag=True, help="Do not print the banner."),
        click.option("--reporter-cli-show-timestamps", is_flag=True, help="Print the time of each request."),
        click.option("--reporter-cli-silent", is_flag=True, help="No cli output."),
        click.option(
            "--reporter-junit-per-iteration", is_flag=True, help="A testcase per assertion per iteration (postrun's)."
        ),
        click.option("--silent", is_flag=True, help="No output on the terminal."),
        click.option("--disable-unicode", is_flag=True, help="Plain-text symbols instead of Unicode ones."),
        click.option("--verbose", is_flag=True, help="Show request and response headers and script console output."),
        click.option("--color", type=click.Choice(["on", "off", "auto"]), default="auto", help="Colored output."),
        click.option("-x", "--suppress-exit-code", is_flag=True, help="Exit 0 even when something failed."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@main.command("run", cls=NewmanCommand, context_settings={"max_content_width": 110})
@click.argument("collection")
@click.option(
    "-e",
    "--environment",
    "environments",
    multiple=True,
    metavar="PATH",
    help="Environment file; repeat it, or give a glob, to run once per tenant.",
)
@click.option("--env-dir", metavar="DIR", help="Run once per environment file in DIR (a tenant each).")
@click.option("--parallel", type=click.IntRange(min=1), metavar="N", help="Run up to N tenants at once.")
@click.option("--shard", metavar="I/N", help="Run only the I-th of N slices of the work (tenants, then iterations).")
@click.option("-g", "--globals", "globals", metavar="PATH", help="Globals file.")
@click.option("-d", "--iteration-data", "data", metavar="PATH", help="Iteration data (CSV or JSON).")
@click.option("-n", "--iteration-count", "iterations", type=click.IntRange(min=1), help="Number of iterations.")
@click.option("--folder", "folders", multiple=True, metavar="NAME", help="Run only this folder or item (repeatable).")
@click.option("--env-var", "env_vars", multiple=True, metavar="KEY=VALUE", help="Set an environment variable.")
@click.option("--global-var", "global_vars", multiple=True, metavar="KEY=VALUE", help="Set a global variable.")
@click.option("--secret", "secrets", multiple=True, metavar="KEY", help="Treat this variable's value as a secret.")
@click.option(
    "--secret-env",
    "secret_envs",
    multiple=True,
    metavar="NAME",
    help="Set the variable NAME from the process environment, as a secret.",
)
@click.option("--export-secrets", is_flag=True, help="Write secret values into exports (left out by default).")
@click.option(
    "--bail",
    is_flag=False,
    flag_value="failure",
    default=None,
    metavar="[folder,failure]",
    help="Stop the run at the first failure (modifiers as Newman's).",
)
@click.option("--delay-request", type=click.FloatRange(min=0), default=0, metavar="MS", help="Delay between requests.")
@click.option("--timeout", type=click.FloatRange(min=0), metavar="MS", help="Time limit for the whole run.")
@click.option("--timeout-request", type=click.FloatRange(min=0), metavar="MS", help="Time limit per request.")
@click.option("--timeout-script", type=click.FloatRange(min=0), metavar="MS", help="Time limit per script.")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option(
    "--max-response-size",
    metavar="SIZE",
    help="Decoded response body kept for scripts and reports (e.g. 10MB, 512KB; default 32MB); the rest is cut.",
)
@click.option("--ignore-redirects", is_flag=True, help="Do not follow redirects.")
@click.option("--working-dir", type=click.Path(file_okay=False), default=".", help="Base folder for file uploads.")
@click.option(
    "--insecure-file-read/--no-insecure-file-read",
    default=True,
    help="Read body files outside the working folder (the default, as in Newman).",
)
@click.option("--ssl-client-cert", metavar="PATH", help="Client certificate (PEM) for TLS.")
@click.option("--ssl-client-key", metavar="PATH", help="Private key of the client certificate (PEM).")
@click.option("--ssl-client-passphrase", metavar="TEXT", help="Passphrase of the client certificate's key.")
@click.option("--ssl-client-cert-list", metavar="PATH", help="JSON list of client certificates matched by URL.")
@click.option("--ssl-extra-ca-certs", metavar="PATH", help="More trusted CA certificates (PEM).")
@click.option("--cookie-jar", metavar="PATH", help="Start with the cookies of this jar (tough-cookie JSON).")
@click.option("--export-cookie-jar", metavar="PATH", help="Write the cookie jar as the run ended.")
@click.option("--postman-api-key", metavar="KEY", help="Fetch collections and environments given by UID.")
@reporter_options
@click.option("--export-environment", metavar="PATH", help="Write the environment as the run ended.")
@click.option("--export-globals", metavar="PATH", help="Write the globals as the run ended.")
@click.option("--export-collection", metavar="PATH", help="Write the collection with its variables as they ended.")
@click.option("--mock", is_flag=True, help="Answer every request from the collection's saved examples, offline.")
@click.option(
    "--oauth2-token-cache",
    metavar="FILE",
    help="Keep OAuth 2.0 tokens that postrun fetched in FILE (mode 0600), per tenant, across runs.",
)
def run_command(collection: str, **opts: Any) -> None:
    """Run COLLECTION (a Postman collection file, or a v3 collection folder) like `newman run`."""
    try:
        with handle_termination():
            code = _run(collection, opts)
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code)


def _run(collection: str, opts: dict[str, Any]) -> int:
    """The CLI's whole part of a run: its options go to runner.api.run() under the same names."""
    # What is alive now (modules, classes, the parsed options) lives until the process ends: out of
    # the garbage collector's sight, its full collections no longer walk it. ~10% of a sequential
    # run's time. The CLI only: a process that runs many collections (the API, the pytest plugin)
    # would keep the cycles frozen with each run.
    gc.freeze()
    result = run_api(collection, keep_executions=False, **_with_reporter_args(opts))
    if result.note:
        click.echo(result.note, err=True)
    for error in result.output_errors:
        click.echo(f"error: {error}", err=True)
    return result.exit_code


def _with_reporter_args(opts: dict[str, Any]) -> dict[str, Any]:
    """The options with every ``--reporter-*`` form Newman takes (parsed by NewmanCommand) as reporter_* keys."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get("postrun.reporter_args", []) if ctx is not None else []
    nested = nested_reporter_options(found, split_reporters(opts["reporters"]))
    return opts | {f"reporter_{k}": v for k, v in nested.items() if v is not None}


@main.command("check", context_settings={"max_content_width": 110})
@click.argument("collection")
@click.option("-e", "--environment", "environments", multiple=True, metavar="PATH", help="Environment file (or glob).")
@click.option("--env-dir", metavar="DIR", help="Every environment file in DIR, a tenant each.")
@click.option("-g", "--globals", "globals", metavar="PATH", help="Globals file.")
@click.option("-d", "--iteration-data", "data", metavar="PATH", help="Iteration data (CSV or JSON).")
@click.option("--folder", "folders", multiple=True, metavar="NAME", help="Check only this folder or item.")
@click.option("--env-var", "env_vars", multiple=True, metavar="KEY=VALUE", help="Set an environment variable.")
@click.option("--global-var", "global_vars", multiple=True, metavar="KEY=VALUE", help="Set a global variable.")
def check_command(collection: str, **opts: Any) -> None:
    """List, per tenant, the variables COLLECTION uses that its environment leaves unresolved.

    Nothing is sent. Variables a script sets before they are used (where that can be seen in the
    script) do not count. Exit 1 when a tenant misses one.
    """
    try:
        result = check_api(collection, **opts)
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(str(result))
    sys.exit(result.exit_code)


@main.command("merge", cls=NewmanCommand, context_settings={"max_content_width": 110})
@click.argument("results", nargs=-1, required=True)
@click.option(
    "--allow-partial", is_flag=True, help="Merge even with shards missing, given twice, or from different runs."
)
@reporter_options
def merge_command(results: tuple[str, ...], allow_partial: bool, **opts: Any) -> None:
    """Combine the json results of shards (postrun run --shard I/N -r json) into one report and exit code."""
    from runner.merge import load_results

    try:
        merged = load_results(results, allow_partial=allow_partial)
        for warning in merged.warnings:
            click.echo(f"warning: {warning}", err=True)
        merge_opts = _with_reporter_args(opts)
        names = split_reporters(merge_opts.pop("reporters"))
        reporters = make_reporters(names, Options.build(merge_opts).reporter_options())
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    session = Session(merged.collection, merged.runs, reporters, Masker(), parallel=1)
    session.started, session.completed = merged.started, merged.completed
    session.replay(merged.executions)
    from runner.reporters.summary import write_step_summary

    write_step_summary(session)
    for error in session.output_errors:
        click.echo(f"error: {error}", err=True)
    if session.output_errors:
        sys.exit(EXIT_FAILED)
    if opts["suppress_exit_code"]:
        sys.exit(EXIT_OK)
    sys.exit(EXIT_OK if session.ok else EXIT_FAILED)


@main.command("convert", context_settings={"max_content_width": 110})
@click.argument("src")
@click.option("--to", "to", required=True, type=click.Choice(["v3", "v2.1"]), help="The format to write.")
@click.option("-o", "--output", "out", required=True, metavar="PATH", help="Where to write (a folder for v3).")
def convert_command(src: str, to: str, out: str) -> None:
    """Convert SRC (a collection or environment, v2.1 JSON or v3 YAML) to the other format.

    What the target format cannot hold is reported as a warning naming the item.
    """
    from runner.v3.convert import convert

    try:
        warnings = convert(src, to, out)
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {out} ({to})")
    sys.exit(EXIT_OK)


def entry() -> None:
    """The ``postrun`` command: run, flush, and leave without tearing the interpreter down.

    Every file postrun writes is complete and closed before this point; skipping teardown (module
    cleanup, garbage collection of the whole heap) makes short runs noticeably faster.
    """
    try:
        main(prog_name="postrun")
        code = EXIT_OK
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or EXIT_OK
        else:
            print(exc.code, file=sys.stderr)
            code = EXIT_FAILED
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()

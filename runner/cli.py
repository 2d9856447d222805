"""The ``postrun`` command. ``postrun run`` takes ``newman run``'s flags with the same meanings, so a
CI job switches from Newman by changing the command's first word.

Exit codes: 0 everything passed; 1 an assertion, a script or a request failed; 2 bad usage or
input that cannot be read (reported as a message naming the file and place, never a traceback).
"""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

import click

from runner import __version__
from runner.collection import Collection, load_collection
from runner.engine import Run, RunOptions
from runner.errors import PostrunError
from runner.files import write_json
from runner.reporters import make_reporters
from runner.resolver import Resolver
from runner.secrets import Masker
from runner.variables import VariableScope, load_data_file, load_scope_file, parse_assignment

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _split_reporters(values: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for value in values:
        names += [n.strip() for n in value.split(",") if n.strip()]
    return names or ["cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-v", "--version", prog_name="postrun")
def main() -> None:
    """Run Postman collections from the terminal."""


@main.command("run", context_settings={"max_content_width": 110})
@click.argument("collection")
@click.option("-e", "--environment", "environment", metavar="PATH", help="Environment file.")
@click.option("-g", "--globals", "globals_file", metavar="PATH", help="Globals file.")
@click.option("-d", "--iteration-data", "data_file", metavar="PATH", help="Iteration data (CSV or JSON).")
@click.option("-n", "--iteration-count", "iterations", type=click.IntRange(min=1), help="Number of iterations.")
@click.option("--folder", "folders", multiple=True, metavar="NAME", help="Run only this folder or item (repeatable).")
@click.option("--env-var", "env_vars", multiple=True, metavar="KEY=VALUE", help="Set an environment variable.")
@click.option("--global-var", "global_vars", multiple=True, metavar="KEY=VALUE", help="Set a global variable.")
@click.option("--secret", "secrets", multiple=True, metavar="KEY", help="Treat this variable's value as a secret.")
@click.option("--bail", is_flag=True, help="Stop the run at the first failure.")
@click.option("--delay-request", type=click.FloatRange(min=0), default=0, metavar="MS", help="Delay between requests.")
@click.option("--timeout", type=click.FloatRange(min=0), metavar="MS", help="Time limit for the whole run.")
@click.option("--timeout-request", type=click.FloatRange(min=0), metavar="MS", help="Time limit per request.")
@click.option("--timeout-script", type=click.FloatRange(min=0), metavar="MS", help="Time limit per script.")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--ignore-redirects", is_flag=True, help="Do not follow redirects.")
@click.option("--working-dir", type=click.Path(file_okay=False), default=".", help="Base folder for file uploads.")
@click.option("-r", "--reporters", "reporters", multiple=True, metavar="LIST", help="Reporters: cli,json,junit.")
@click.option("--reporter-json-export", metavar="PATH", help="Where the json reporter writes.")
@click.option("--reporter-junit-export", metavar="PATH", help="Where the junit reporter writes.")
@click.option("--reporter-cli-no-success-assertions", is_flag=True, help="Do not list passing assertions.")
@click.option("--reporter-cli-no-summary", is_flag=True, help="Do not print the summary table.")
@click.option("--reporter-cli-no-failures", is_flag=True, help="Do not print the failure list.")
@click.option("--reporter-cli-no-console", is_flag=True, help="Do not print script console output.")
@click.option("--export-environment", metavar="PATH", help="Write the environment as the run ended.")
@click.option("--export-globals", metavar="PATH", help="Write the globals as the run ended.")
@click.option("--export-collection", metavar="PATH", help="Write the collection with its variables as they ended.")
@click.option("--verbose", is_flag=True, help="Show request and response headers and script console output.")
@click.option("--color", type=click.Choice(["on", "off", "auto"]), default="auto", help="Colored output.")
@click.option("-x", "--suppress-exit-code", is_flag=True, help="Exit 0 even when something failed.")
@click.option("--mock", is_flag=True, help="Answer every request from the collection's saved examples, offline.")
def run_command(collection: str, **opts: Any) -> None:
    """Run COLLECTION (a Postman collection file) like `newman run`."""
    try:
        code = _run(collection, opts)
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code)


def _run(collection_path: str, opts: dict[str, Any]) -> int:
    if collection_path.startswith(("http://", "https://")):
        raise PostrunError(f"{collection_path}: postrun reads collections from files; download it first")
    collection = load_collection(collection_path)
    environment = load_scope_file(opts["environment"], "environment") if opts["environment"] else None
    globals_ = load_scope_file(opts["globals_file"], "globals") if opts["globals_file"] else VariableScope("globals")
    for text in opts["env_vars"]:
        environment = environment or VariableScope("")
        environment.set(*parse_assignment(text, "--env-var"))
    for text in opts["global_vars"]:
        globals_.set(*parse_assignment(text, "--global-var"))
    data = load_data_file(opts["data_file"]) if opts["data_file"] else []
    masker = Masker()
    masker.add((environment.get(k) if environment and environment.has(k) else globals_.get(k)) for k in opts["secrets"])
    reporter_options = {
        "json_export": opts["reporter_json_export"],
        "junit_export": opts["reporter_junit_export"],
        "verbose": opts["verbose"],
        "color": opts["color"],
        "cli_no_success_assertions": opts["reporter_cli_no_success_assertions"],
        "cli_no_summary": opts["reporter_cli_no_summary"],
        "cli_no_failures": opts["reporter_cli_no_failures"],
        "cli_no_console": opts["reporter_cli_no_console"],
    }
    options = RunOptions(
        iterations=opts["iterations"],
        folders=opts["folders"],
        bail=opts["bail"],
        delay_request=opts["delay_request"],
        timeout=opts["timeout"],
        timeout_request=opts["timeout_request"],
        timeout_script=opts["timeout_script"],
        insecure=opts["insecure"],
        ignore_redirects=opts["ignore_redirects"],
        working_dir=opts["working_dir"],
    )
    run = Run(
        collection=collection,
        environment=environment,
        globals=globals_,
        data=data,
        options=options,
        reporters=make_reporters(_split_reporters(opts["reporters"]), reporter_options),
        masker=masker,
    )
    if opts["mock"]:
        from runner.mock import MockServer

        resolve = Resolver(run.scopes.lookup).resolve
        with MockServer([item.raw for item in collection.items()], resolve) as server:
            options.mock_url = server.base_url
            summary = run.execute()
    else:
        summary = run.execute()
    _exports(run, opts)
    if summary.interrupted and "Ctrl-C" in summary.interrupted:
        return EXIT_INTERRUPTED
    if opts["suppress_exit_code"]:
        return EXIT_OK
    return EXIT_OK if summary.ok else EXIT_FAILED


def _exports(run: Run, opts: dict[str, Any]) -> None:
    if opts["export_environment"]:
        write_json(opts["export_environment"], run.scopes.environment.export("environment"))
    if opts["export_globals"]:
        write_json(opts["export_globals"], run.scopes.globals.export("globals"))
    if opts["export_collection"]:
        write_json(opts["export_collection"], export_collection(run.collection, run.scopes.collection))


def export_collection(collection: Collection, variables: VariableScope) -> dict[str, Any]:
    """The collection file as loaded, with collection variables as the run left them."""
    doc = copy.deepcopy(collection.doc)
    doc["variable"] = [
        {"key": v["key"], "value": v["value"], "type": v.get("type") or "default"}
        for v in variables.export("collection")["values"]
        if v.get("enabled", True)
    ]
    return doc


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))

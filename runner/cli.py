"""The ``postrun`` command. ``postrun run`` takes ``newman run``'s flags with the same meanings, so a
CI job switches from Newman by changing the command's first word.

Exit codes: 0 everything passed; 1 an assertion, a script or a request failed, or a report or
export could not be written; 2 bad usage or input that cannot be read (reported as a message naming
the file and place, never a traceback); 130 Ctrl-C; 143 SIGTERM.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from runner import __version__, remote
from runner.auth import AuthError, TokenStore
from runner.collection import Collection, load_collection
from runner.engine import Run, RunOptions, Session
from runner.errors import PostrunError, UsageError
from runner.files import MAX_JSON_DEPTH, OutputError, output_path, write_json
from runner.reporters import default_file_name, make_reporters
from runner.reporters.options import reporter_options as nested_reporter_options
from runner.reporters.options import split_reporter_args
from runner.reporters.summary import write_step_summary
from runner.resolver import Resolver
from runner.secrets import Masker
from runner.signals import EXIT_TERMINATED, deferred, handle_termination
from runner.signals import state as signal_state
from runner.transport import ClientCert, TLSOptions, load_cert_list, tls_context
from runner.variables import VariableScope, export_type, load_data_file, load_scope_file, parse_assignment

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _split_reporters(values: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for value in values:
        names += [n.strip() for n in value.split(",") if n.strip()]
    return names or ["cli"]


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
@click.option("-g", "--globals", "globals_file", metavar="PATH", help="Globals file.")
@click.option("-d", "--iteration-data", "data_file", metavar="PATH", help="Iteration data (CSV or JSON).")
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


def _token_cache(path: str | None) -> str | None:
    """Fail early, as bad input, when the token cache file cannot be read."""
    if path:
        try:
            TokenStore(path)
        except AuthError as exc:
            raise UsageError(str(exc)) from None
    return path


def _run(collection_path: str, opts: dict[str, Any]) -> int:
    masker = Masker()
    if opts["postman_api_key"]:
        remote.set_api_key(opts["postman_api_key"])
        masker.add([opts["postman_api_key"]])
    collection = load_collection(remote.locate(collection_path, "collection"))
    globals_, tenants = load_variables(opts)
    data = load_data_file(opts["data_file"]) if opts["data_file"] else []
    tls, cookies = wire_options(opts, masker)
    for name in opts["secret_envs"]:
        if name not in os.environ:
            raise UsageError(f"--secret-env {name}: no such variable in the process environment")
        tenants = [(t, env if env is not None else VariableScope("")) for t, env in tenants]
        for _tenant, env in tenants:
            env.set(name, os.environ[name], type="secret")  # type: ignore[union-attr]
    masker.names.update(opts["secrets"])  # masks these names in every scope, also when a script creates them
    options = RunOptions(
        iterations=opts["iterations"],
        folders=opts["folders"],
        bail=parse_bail(opts["bail"]),
        delay_request=opts["delay_request"],
        timeout=opts["timeout"],
        timeout_request=opts["timeout_request"],
        timeout_script=opts["timeout_script"],
        insecure=opts["insecure"],
        ignore_redirects=opts["ignore_redirects"],
        working_dir=opts["working_dir"],
        oauth2_token_cache=_token_cache(opts.get("oauth2_token_cache")),
        insecure_file_read=opts["insecure_file_read"],
        tls=tls,
        cookies=cookies,
        max_response_size=parse_size(opts["max_response_size"]) if opts["max_response_size"] else None,
    )
    runs = [
        Run(
            collection=collection,
            environment=environment,
            globals=globals_.copy(),
            data=data,
            options=dataclasses.replace(options),
            masker=masker,
            tenant=name,
        )
        for name, environment in tenants
    ]
    shard_info = None
    if opts["shard"]:
        index, count = parse_shard(opts["shard"])
        shard_info = {"index": index, "count": count, "run": run_fingerprint(collection, runs, opts)}
        everything = runs
        runs = shard(runs, index, count)
        if not runs:  # still write its (empty) reports, so that merge sees every shard
            click.echo(f"shard {opts['shard']} has no work", err=True)
            runs = [everything[0]]
            runs[0].iterations = []
    _check_export_paths(opts, len(runs))
    reporters = make_reporters(_split_reporters(opts["reporters"]), _reporter_options(opts))
    parallel = opts["parallel"] or min(len(runs), MAX_DEFAULT_PARALLEL)
    session = Session(collection, runs, reporters, masker, parallel=parallel, processes=len(runs) > 1 and parallel > 1)
    session.shard = shard_info
    with contextlib.ExitStack() as stack:
        if opts["mock"]:
            from runner.mock import MockServer

            for run in runs:  # a mock per tenant: saved URLs resolve with that tenant's variables
                server = stack.enter_context(
                    MockServer(list(_raw_items(collection)), Resolver(run.scopes.lookup).resolve)
                )
                run.options.mock_url = server.base_url
        session.execute()
    with deferred():  # a second Ctrl-C does not cut the exports short
        failed_outputs = [*session.output_errors, *_exports(session, opts)]
        write_step_summary(session)
    return _exit_code(session, failed_outputs, opts)


def _exit_code(session: Session, failed_outputs: list[OutputError], opts: dict[str, Any]) -> int:
    """Interrupted: 143 (SIGTERM) or 130 (Ctrl-C). A report or export not written: 1, even with -x."""
    for error in failed_outputs:
        click.echo(f"error: {error}", err=True)
    if signal_state.terminated:
        return EXIT_TERMINATED
    if session.interrupted and "Ctrl-C" in session.interrupted:
        return EXIT_INTERRUPTED
    if failed_outputs:
        return EXIT_FAILED
    if opts["suppress_exit_code"]:
        return EXIT_OK
    return EXIT_OK if session.ok else EXIT_FAILED


def parse_bail(value: str | None) -> bool:
    """``--bail`` alone or with ``failure``: stop at the first failure. ``folder`` (Newman: stop when
    --folder names nothing) is always so in postrun: an unknown folder is a usage error."""
    if value is None:
        return False
    modifiers = {m.strip() for m in value.split(",") if m.strip()}
    unknown = modifiers - {"folder", "failure"}
    if unknown:
        raise UsageError(f"--bail takes folder and/or failure, not {', '.join(sorted(unknown))}")
    return not modifiers or "failure" in modifiers


MAX_DEFAULT_PARALLEL = 16


def _raw_items(collection: Collection) -> list[dict[str, Any]]:
    return [item.raw for item in collection.items()]


def _reporter_options(opts: dict[str, Any]) -> dict[str, Any]:
    """The reporters' options: the declared flags, then every ``--reporter-*`` form Newman takes."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get("postrun.reporter_args", []) if ctx is not None else []
    declared = {
        "json_export": opts["reporter_json_export"],
        "junit_export": opts["reporter_junit_export"],
        "html_export": opts["reporter_html_export"],
        "verbose": opts["verbose"],
        "color": opts["color"],
        "cli_no_success_assertions": opts["reporter_cli_no_success_assertions"],
        "cli_no_summary": opts["reporter_cli_no_summary"],
        "cli_no_failures": opts["reporter_cli_no_failures"],
        "cli_no_console": opts["reporter_cli_no_console"],
        "cli_no_assertions": opts.get("reporter_cli_no_assertions"),
        "cli_no_banner": opts.get("reporter_cli_no_banner"),
        "cli_show_timestamps": opts.get("reporter_cli_show_timestamps"),
        "cli_silent": opts.get("reporter_cli_silent") or opts.get("silent"),
        "junit_per_iteration": opts.get("reporter_junit_per_iteration"),
        "disable_unicode": opts.get("disable_unicode"),
    }
    nested = nested_reporter_options(found, _split_reporters(opts["reporters"]))
    return {**declared, **{k: v for k, v in nested.items() if v is not None}}


def load_variables(opts: dict[str, Any]) -> tuple[VariableScope, list[tuple[str, VariableScope | None]]]:
    """Globals (-g, --global-var) and the tenants (-e, --env-dir, --env-var), as run and check take them.

    With no environment file there is one unnamed tenant, with an environment only if --env-var
    gives it values.
    """
    globals_ = load_scope_file(opts["globals_file"], "globals") if opts["globals_file"] else VariableScope("globals")
    for text in opts["global_vars"]:
        globals_.set(*parse_assignment(text, "--global-var"))
    tenants: list[tuple[str, VariableScope | None]] = list(load_tenants(opts["environments"], opts["env_dir"]))
    if not tenants:
        tenants = [("", VariableScope("") if opts["env_vars"] else None)]
    for _name, environment in tenants:
        for text in opts["env_vars"]:
            environment.set(*parse_assignment(text, "--env-var"))  # type: ignore[union-attr]
    return globals_, tenants


def load_tenants(patterns: tuple[str, ...], env_dir: str | None) -> list[tuple[str, VariableScope]]:
    """Each environment file is a tenant, named by its ``name`` (or its file name when that is taken)."""
    files: list[str] = []
    for pattern in patterns:
        located = remote.locate(pattern, "environment")
        if remote.is_remote(located):
            files.append(located)
            continue
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise UsageError(f"{pattern}: no environment file matches")
        files += matches
    if env_dir:
        if not os.path.isdir(env_dir):
            raise UsageError(f"{env_dir}: not a folder")
        found = sorted(str(p) for p in Path(env_dir).iterdir() if _is_environment_file(p))
        if not found:
            raise UsageError(f"{env_dir}: no environment files (*.json, *.environment.yaml) in it")
        files += found
    tenants: list[tuple[str, VariableScope]] = []
    taken: set[str] = set()
    for path in files:
        scope = load_scope_file(path, "environment")
        stem = Path(path).name
        for suffix in (".json", ".postman_environment", ".yaml", ".yml", ".environment"):
            stem = stem.removesuffix(suffix)
        name = scope.name if scope.name and scope.name not in taken else stem
        while name in taken:
            name += "'"
        taken.add(name)
        tenants.append((name, scope))
    return tenants


def _is_environment_file(path: Path) -> bool:
    """What --env-dir picks up: JSON files, and Postman v12's ``*.environment.yaml``."""
    return path.is_file() and (path.suffix == ".json" or path.name.endswith((".environment.yaml", ".environment.yml")))


def parse_size(text: str) -> int:
    """``--max-response-size``: bytes, or a number with KB/MB/GB (powers of 1024; KiB etc. too)."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", text, re.IGNORECASE)
    if not m or float(m.group(1)) < 1:
        raise UsageError(f"--max-response-size takes a size such as 10MB, 512KB or 1048576, got {text!r}")
    return int(float(m.group(1)) * 1024 ** " kmg".index((m.group(2) or " ").lower()))


def parse_shard(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i = n = 0
    if not sep or n < 1 or not 1 <= i <= n:
        raise UsageError(f"--shard takes I/N with 1 <= I <= N, got {text!r}")
    return i, n


def run_fingerprint(collection: Collection, runs: list[Run], opts: dict[str, Any]) -> str:
    """The same for every shard of one run, different for another run: what is run, and the CI run
    (GitHub's, GitLab's or Jenkins's id) when there is one."""
    ci_run = next((os.environ[k] for k in ("GITHUB_RUN_ID", "CI_PIPELINE_ID", "BUILD_TAG") if os.environ.get(k)), "")
    what = {
        "collection": collection.doc,
        "tenants": [run.tenant for run in runs],
        "iterations": [run.iteration_count for run in runs],
        "folders": list(opts["folders"]),
        "ci": ci_run,
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:16]


def shard(runs: list[Run], index: int, count: int) -> list[Run]:
    """The index-th of count deterministic slices of the (tenant, iteration) work, dealt round-robin."""
    units = [(run, iteration) for run in runs for iteration in range(run.iteration_count)]
    mine: dict[int, list[int]] = {}
    for position, (run, iteration) in enumerate(units):
        if position % count == index - 1:
            mine.setdefault(id(run), []).append(iteration)
    kept = []
    for run in runs:
        if id(run) in mine:
            run.iterations = mine[id(run)]
            kept.append(run)
    return kept


def wire_options(opts: dict[str, Any], masker: Masker) -> tuple[TLSOptions, list[Any]]:
    """TLS settings and the starting cookie jar, each file checked now (a bad one is exit code 2)."""
    for flag in ("ssl_client_cert", "ssl_client_key", "ssl_extra_ca_certs"):
        if opts[flag] and not os.path.isfile(opts[flag]):
            raise UsageError(f"--{flag.replace('_', '-')} {opts[flag]}: no such file")
    if opts["ssl_client_key"] and not opts["ssl_client_cert"]:
        raise UsageError("--ssl-client-key needs --ssl-client-cert")
    single = None
    if opts["ssl_client_cert"]:
        single = ClientCert(opts["ssl_client_cert"], opts["ssl_client_key"], opts["ssl_client_passphrase"])
    listed = load_cert_list(opts["ssl_client_cert_list"]) if opts["ssl_client_cert_list"] else []
    masker.add([c.passphrase for c in [single, *listed] if c is not None and c.passphrase])
    tls = TLSOptions(opts["insecure"], opts["ssl_extra_ca_certs"], single, listed)
    for cert in [c for c in [single, *listed] if c is not None]:
        try:
            tls_context(tls, cert, {})
        except (OSError, ValueError) as exc:
            raise UsageError(f"client certificate {cert.cert}: {exc}") from None
    cookies: list[Any] = []
    if opts["cookie_jar"]:
        import httpx

        from runner.cookiejar import load_jar

        jar = httpx.Cookies()
        load_jar(opts["cookie_jar"], jar)
        cookies = list(jar.jar)
    return tls, cookies


def _export_target(path: str, tenant: str, suffix: str, multi: bool) -> str:
    if multi:
        return os.path.join(path, f"{tenant}.{suffix}.json")
    return path


def _check_export_paths(opts: dict[str, Any], tenants: int) -> None:
    if tenants < 2:
        return
    for flag in ("export_environment", "export_globals", "export_collection", "export_cookie_jar"):
        path = opts[flag]
        if path and not (path.endswith(("/", os.sep)) or os.path.isdir(path)):
            option = "--" + flag.replace("_", "-")
            raise UsageError(f"with several tenants, {option} takes a folder (end it with /): {path}")


def _exports(session: Session, opts: dict[str, Any]) -> list[OutputError]:
    """Write the exports; each one that cannot be written is returned, and the others are still written."""
    multi = session.multi
    secrets = bool(opts["export_secrets"])
    failed: list[OutputError] = []

    def write(path: str, doc: dict[str, Any], what: str, stem: str) -> None:
        try:
            write_json(path, doc, what, default_file_name("json", stem))
        except OutputError as exc:
            failed.append(exc)

    for run in session.runs:
        if opts["export_environment"]:
            target = _export_target(opts["export_environment"], run.tenant, "postman_environment", multi)
            scope = run.scopes.environment
            doc = scope.export("environment", secrets or _same_file(target, scope.source))
            write(target, doc, "environment export", "postrun-environment")
        if opts["export_globals"]:
            target = _export_target(opts["export_globals"], run.tenant, "postman_globals", multi)
            scope = run.scopes.globals
            doc = scope.export("globals", secrets or _same_file(target, scope.source))
            write(target, doc, "globals export", "postrun-globals")
        if opts["export_collection"]:
            target = _export_target(opts["export_collection"], run.tenant, "postman_collection", multi)
            keep = secrets or _same_file(target, run.collection.file)
            doc = export_collection(run.collection, run.scopes.collection, keep)
            write(target, doc, "collection export", "postrun-collection")
        if opts["export_cookie_jar"] and run.final_cookies is not None:
            target = _export_target(opts["export_cookie_jar"], run.tenant, "cookies", multi)
            write(target, run.final_cookies, "cookie jar export", "postrun-cookies")
    return failed


def _same_file(target: str, source: str | None) -> bool:
    """An export onto the file its values came from keeps the secret values that file held."""
    if not source:
        return False
    try:
        return os.path.samefile(output_path(target), source)
    except OSError:
        return False


@main.command("check", context_settings={"max_content_width": 110})
@click.argument("collection")
@click.option("-e", "--environment", "environments", multiple=True, metavar="PATH", help="Environment file (or glob).")
@click.option("--env-dir", metavar="DIR", help="Every environment file in DIR, a tenant each.")
@click.option("-g", "--globals", "globals_file", metavar="PATH", help="Globals file.")
@click.option("-d", "--iteration-data", "data_file", metavar="PATH", help="Iteration data (CSV or JSON).")
@click.option("--folder", "folders", multiple=True, metavar="NAME", help="Check only this folder or item.")
@click.option("--env-var", "env_vars", multiple=True, metavar="KEY=VALUE", help="Set an environment variable.")
@click.option("--global-var", "global_vars", multiple=True, metavar="KEY=VALUE", help="Set a global variable.")
def check_command(collection: str, **opts: Any) -> None:
    """List, per tenant, the variables COLLECTION uses that its environment leaves unresolved.

    Nothing is sent. Variables a script sets before they are used (where that can be seen in the
    script) do not count. Exit 1 when a tenant misses one.
    """
    from runner.check import check, format_reports

    try:
        loaded = load_collection(collection)
        globals_, tenants = load_variables(opts)
        data = load_data_file(opts["data_file"]) if opts["data_file"] else None
        reports = check(loaded, tenants, globals_, data, opts["folders"])
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(format_reports(reports))
    sys.exit(EXIT_OK if all(r.complete for r in reports) else EXIT_FAILED)


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
        reporters = make_reporters(_split_reporters(opts["reporters"]), _reporter_options(opts))
    except PostrunError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    session = Session(merged.collection, merged.runs, reporters, Masker(), parallel=1)
    session.started, session.completed = merged.started, merged.completed
    session.replay(merged.executions)
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


def export_collection(collection: Collection, variables: VariableScope, secrets: bool = False) -> dict[str, Any]:
    """The collection file as loaded, with collection variables as the run left them: disabled ones,
    ids and descriptions kept, as Newman keeps them; secret values only with ``secrets``."""
    doc = dict(collection.doc)  # only "variable" changes: the rest is shared, not copied (any depth)
    doc["variable"] = [_collection_variable(entry, secrets) for entry in variables.entries()]
    return doc


def _collection_variable(entry: dict[str, Any], secrets: bool) -> dict[str, Any]:
    out = {k: v for k, v in entry.items() if k not in ("enabled", "value", "type")}
    value = "" if entry.get("type") == "secret" and not secrets else entry.get("value")
    out |= {"value": value, "type": export_type(entry)}
    if entry.get("enabled") is False:
        out["disabled"] = True
    return out


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

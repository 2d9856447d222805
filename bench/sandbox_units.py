"""How many of postman-sandbox's own unit tests behave under postrun as under Newman.

Reads the tests from a git clone of postman-sandbox at a tag (nothing is copied into this repository),
keeps those a collection run can express (`context.execute(`...code...`, done)`: the test passes when the
script runs without an error), turns each into an item whose test script is that code, runs the
collection under Newman and under postrun against a loopback server, and compares item by item.

    python bench/sandbox_units.py GIT_DIR [--tag v4.7.1] [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CASE = re.compile(r"""\bit\(\s*(['"])(?P<name>[^'"\n]+)\1\s*,\s*function\s*\(\s*done\s*\)\s*\{\s*"""
                  r"""context\.execute\(\s*`(?P<code>(?:[^`\\]|\\.)*)`\s*,\s*done\s*\)""", re.S)


def cases(git_dir: str, tag: str) -> list[tuple[str, str]]:
    files = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", tag, "test/unit"],
                           capture_output=True, text=True, check=True).stdout.split()
    out = []
    for path in files:
        if not path.endswith(".test.js"):
            continue
        text = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{tag}:{path}"], capture_output=True,
                              text=True, check=True).stdout
        for m in CASE.finditer(text):
            if "${" in m.group("code"):
                continue  # built from JS values at test time
            code = m.group("code").encode().decode("unicode_escape", errors="ignore")
            out.append((f"{Path(path).stem}: {m.group('name')}", code))
    return out


class _Echo(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"url": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def failing(report: Path) -> dict[str, str]:
    run = json.loads(report.read_text())["run"]
    out: dict[str, str] = {}
    for failure in run.get("failures", []):
        name = (failure.get("source") or {}).get("name", "?")
        error = failure.get("error") or {}
        out.setdefault(name, f"{error.get('name')}: {error.get('message')}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("git_dir")
    parser.add_argument("--tag", default="v4.7.1")
    parser.add_argument("--newman", default=str(Path.home() / ".cache/postrun/newman/node_modules/.bin/newman"))
    parser.add_argument("--show", action="store_true", help="list the items whose outcome differs")
    args = parser.parse_args()
    found = cases(args.git_dir, args.tag)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/get"
    items = [{"name": f"{i:03d} {name}"[:200], "event": [{"listen": "test", "script": {"exec": code.split("\n")}}],
              "request": {"url": url, "method": "GET"}} for i, (name, code) in enumerate(found)]
    with tempfile.TemporaryDirectory() as tmp:
        coll = Path(tmp) / "units.json"
        coll.write_text(json.dumps({"info": {"name": "units", "schema":
                                             "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
                                    "item": items}))
        subprocess.run([args.newman, "run", str(coll), "-r", "json", "--reporter-json-export", f"{tmp}/n.json"],
                       capture_output=True, timeout=900)
        subprocess.run([sys.executable, "-m", "runner.cli", "run", str(coll), "-r", "json",
                        "--reporter-json-export", f"{tmp}/p.json"], capture_output=True, timeout=900)
        theirs, ours = failing(Path(tmp) / "n.json"), failing(Path(tmp) / "p.json")
    names = [it["name"] for it in items]
    pass_newman = [n for n in names if n not in theirs]
    same = [n for n in names if (n in theirs) == (n in ours)]
    print(json.dumps({"cases": len(names), "pass_under_newman": len(pass_newman),
                      "of_those_pass_under_postrun": sum(1 for n in pass_newman if n not in ours),
                      "same_outcome": len(same)}, indent=2))
    if args.show:
        for n in names:
            if (n in theirs) != (n in ours):
                print(f"- {n}\n    newman: {theirs.get(n, 'pass')}\n    postrun: {ours.get(n, 'pass')}")
    server.shutdown()


if __name__ == "__main__":
    main()

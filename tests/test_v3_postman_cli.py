"""Against the official Postman CLI: its ``collection migrate`` output runs as the v2.1 JSON does, and
``postrun convert``'s output passes its ``collection lint``.

The Postman CLI is a closed binary, so it only ever runs inside a network namespace of its own
(``unshare -rn``: no interface but a down loopback), where it cannot reach anything. Without npm, the
binary, or unprivileged namespaces, these tests skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from runner.v3.convert import convert
from tests.conftest import CORPUS, EchoServer
from tests.v3_parity import compare_runs

pytestmark = pytest.mark.postman_cli

ROOT = Path(__file__).resolve().parent.parent

# Small and mid-sized v2.1 collections of the corpus, each with something of its own (auth at every
# level, examples, disabled and duplicate entries, formdata/urlencoded/file bodies, graphql, settings).
MIGRATED = [
    "zendesk/zendesk-support.postman_collection.json",
    "postman-newman-samples/disabled-and-duplicates.postman_collection.json",
    "wise/Cards API.postman_collection.json",
    "contentstack/graphql-collection.json",
]


def _postman_cli() -> str | None:
    cache = Path(os.environ.get("POSTRUN_POSTMAN_CLI_DIR", Path.home() / ".cache" / "postrun" / "postman-cli"))
    binary = cache / "node_modules" / ".bin" / "postman"
    if not binary.exists() and shutil.which("npm"):
        cache.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                ["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund", "postman-cli"],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (subprocess.SubprocessError, OSError):
            return None
    if not binary.exists() or not shutil.which("unshare"):
        return None
    try:
        subprocess.run(["unshare", "-rn", "true"], check=True, capture_output=True, timeout=30)
    except (subprocess.SubprocessError, OSError):
        return None
    return str(binary)


@pytest.fixture(scope="module")
def postman() -> str:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    path = _postman_cli()
    if path is None:
        pytest.skip("the Postman CLI is not available (needs npm, and unshare to run it without network)")
    return path


def offline(postman: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the Postman CLI with no network at all."""
    return subprocess.run(["unshare", "-rn", postman, *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", MIGRATED)
def test_a_migrated_collection_runs_as_its_v2_1_json(postman: str, server: EchoServer, tmp_path: Path, name: str):
    source = CORPUS / name
    out = tmp_path / "migrated"
    done = offline(postman, "collection", "migrate", str(source), "-o", str(out))
    assert done.returncode == 0 and out.is_dir(), done.stdout + done.stderr
    # migrate trims item names (a leading blank is lost); everything else must match.
    assert compare_runs(source, out, server, strip_names=True) == []


LINTED = [
    *MIGRATED,
    "stripe/StripeAPICollection.json",  # migrate's own output of this one does not lint clean
    "twitter-ads/TwitterAdsAPI_postman_collection_v2-1.json",
    "salesforce-apis-2020/Salesforce API.postman_collection.json",
]


def test_postrun_convert_output_and_the_bundled_v3_examples_lint_clean(postman: str, tmp_path: Path):
    """One lint run over every folder (lint takes a folder of collections), to keep the test short."""
    for i, name in enumerate(LINTED):
        convert(str(CORPUS / name), "v3", str(tmp_path / f"c{i}"))
    for folder in sorted(p for p in (ROOT / "collections").iterdir() if p.is_dir()):
        shutil.copytree(folder, tmp_path / folder.name)
    done = offline(postman, "collection", "lint", str(tmp_path), "-r", "json", "-f", "warning")
    report = json.loads(done.stdout)
    assert report["diagnostics"] == []
    assert report["filesScanned"] >= len(list(tmp_path.rglob("*.request.yaml"))) > 500

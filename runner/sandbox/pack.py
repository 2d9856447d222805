"""Build step: fetch the sandbox's npm libraries, verify them, and pack what the sandbox loads.

The libraries (chai, lodash, moment, crypto-js, the postman-collection SDK, ...) are dependencies,
never source in this repository: ``npm/package-lock.json`` names each package, its exact version
and its integrity hash. At build time (``pip install .`` or ``pip install -e .``, through the
setuptools hook in setup.py) each tarball is fetched by name and version from the npm registry, or
read from a folder of tarballs, checked against that hash, and the JavaScript and JSON files the
sandbox can load are packed into one file, ``lib/modules.json``. Nothing is fetched at run time.

Standard library only: setup.py loads this file before postrun's dependencies are installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import posixpath
import re
import sys
from pathlib import Path

DEFAULT_REGISTRY = "https://registry.npmjs.org"
REGISTRY_ENV = "POSTRUN_NPM_REGISTRY"
TARBALLS_ENV = "POSTRUN_NPM_TARBALLS"
CACHE_ENV = "POSTRUN_NPM_CACHE"
HERE = Path(__file__).resolve().parent
LOCKFILE = HERE / "npm" / "package-lock.json"
PACK_DIR = "lib"
PACK_FILE = "modules.json"
BLOB_FILE = "modules.js"
FORMAT = 3

# Only what a CommonJS loader can evaluate or read; tests, docs, sources maps and type files stay out.
_KEEP_SUFFIXES = (".js", ".json")
_SKIP_DIRS = {"test", "tests", "__tests__", "spec", "example", "examples", "benchmark", "benchmarks", "docs", "doc",
              "coverage", ".github", "types", "typings", "bower_components", "perf", "scripts"}
_SKIP_FILES = {"package-lock.json", "bower.json", "component.json", ".eslintrc.json", "tsconfig.json"}
# Whole folders some packages ship that the sandbox never loads (other builds of the same code).
_SKIP_PREFIXES = {
    "moment": ("src/", "dist/", "locale/", "min/locales", "min/moment-with-locales", "ts3.1-typings/"),
    "lodash": ("fp/",),
    "crypto-js": ("docs/",),
    "postman-sandbox": ("lib/", ".cache/", "index.js", "types/"),
    "ajv": ("dist/", "scripts/"),
    "@faker-js/faker": ("dist/",),
    "chai": ("chai.js",),
    "buffer": ("AUTHORS.md",),
}
_KEEP_ONLY = {"postman-sandbox": ("package.json", "lib/vendor/sugar.js", "lib/vendor/uuid.js")}


class BuildError(Exception):
    """The libraries could not be fetched or verified; the message says what to do."""


def _package_name(lock_path: str) -> str:
    return lock_path.rsplit("node_modules/", 1)[-1]


def tarball_url(registry: str, name: str, version: str) -> str:
    """The registry's address of ``name@version``'s tarball (the layout every npm registry serves)."""
    base = name.rsplit("/", 1)[-1]
    return f"{registry.rstrip('/')}/{name}/-/{base}-{version}.tgz"


def tarball_names(name: str, version: str) -> list[str]:
    """File names a folder of tarballs may use: npm pack's (``faker-js-faker-5.5.3.tgz``) or the registry's."""
    packed = name.replace("@", "").replace("/", "-")
    return [f"{packed}-{version}.tgz", f"{name.rsplit('/', 1)[-1]}-{version}.tgz"]


def verify(data: bytes, integrity: str, what: str) -> None:
    """Check ``data`` against an SRI string (``sha512-...``; several may be listed). Refuse on mismatch."""
    checked = False
    for entry in integrity.split():
        algorithm, _, expected = entry.partition("-")
        if algorithm not in ("sha512", "sha384", "sha256", "sha1"):
            continue
        checked = True
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
        if actual != expected:
            raise BuildError(f"{what}: integrity mismatch ({algorithm} is {actual}, the lockfile says {expected}); "
                             "refusing to use it")
    if not checked:
        raise BuildError(f"{what}: the lockfile has no usable integrity hash ({integrity!r})")


def _cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    if value == "":
        return None
    if value:
        return Path(value)
    return Path.home() / ".cache" / "postrun" / "npm-tarballs"


def fetch(name: str, version: str, integrity: str) -> bytes:
    """The verified tarball of ``name@version``: from POSTRUN_NPM_TARBALLS, the local cache, or the registry."""
    what = f"{name}@{version}"
    folder = os.environ.get(TARBALLS_ENV)
    if folder:
        for candidate in tarball_names(name, version):
            path = Path(folder) / candidate
            if path.is_file():
                data = path.read_bytes()
                verify(data, integrity, f"{what} ({path})")
                return data
        looked = ", ".join(tarball_names(name, version))
        raise BuildError(f"{what}: not found in {TARBALLS_ENV}={folder} (looked for {looked})")
    cache = _cache_dir()
    cached = cache / tarball_names(name, version)[0] if cache else None
    if cached is not None and cached.is_file():
        data = cached.read_bytes()
        try:
            verify(data, integrity, what)
            return data
        except BuildError:
            cached.unlink(missing_ok=True)  # a damaged cache entry: fetch it again
    import urllib.error  # (here: the sandbox imports this module at every start, for its file names)
    import urllib.request

    registry = os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY
    url = tarball_url(registry, name, version)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - the registry is configured
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise BuildError(
            f"{what}: could not fetch {url} ({exc}). postrun's build needs the npm libraries of its script "
            f"sandbox: set {REGISTRY_ENV} to a reachable npm registry or mirror, or {TARBALLS_ENV} to a folder "
            "of their .tgz files (see README, 'Scripts')"
        ) from None
    verify(data, integrity, f"{what} ({url})")
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".part")
            tmp.write_bytes(data)
            os.replace(tmp, cached)
        except OSError:
            pass  # the cache only saves time
    return data


def _wanted(package: str, rel: str) -> bool:
    keep_only = _KEEP_ONLY.get(package)
    if keep_only is not None:
        return rel in keep_only
    parts = rel.split("/")
    if parts[-1] in _SKIP_FILES or not rel.endswith(_KEEP_SUFFIXES):
        return False
    if any(p in _SKIP_DIRS for p in parts[:-1]):
        return False
    if rel.endswith((".d.ts", ".map")):
        return False
    return not rel.startswith(_SKIP_PREFIXES.get(package, ()))


def unpack(data: bytes, package: str, prefix: str) -> dict[str, str]:
    """The loadable files of one tarball, keyed ``<prefix>/<path in package>``."""
    import tarfile

    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            rel = posixpath.normpath(member.name).split("/", 1)[-1]  # drop the 'package/' folder
            if rel.startswith("..") or not _wanted(package, rel):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            text = handle.read().decode("utf-8", errors="replace")
            if rel == "package.json":
                text = _slim_manifest(text)
            files[f"{prefix}/{rel}"] = text
    return files


def _slim_manifest(text: str) -> str:
    """Keep only the fields the loader resolves with (name, version, main, browser, licence)."""
    try:
        manifest = json.loads(text)
    except ValueError:
        return text
    keep = {k: manifest[k] for k in ("name", "version", "main", "browser", "license") if k in manifest}
    return json.dumps(keep)


def read_lock(lockfile: Path = LOCKFILE) -> list[tuple[str, str, str, str]]:
    """(path in node_modules, name, version, integrity) of every package the lockfile lists."""
    lock = json.loads(lockfile.read_text("utf-8"))
    out = []
    for path, entry in sorted(lock.get("packages", {}).items()):
        if not path:
            continue
        name = entry.get("name") or _package_name(path)
        version, integrity = entry.get("version"), entry.get("integrity")
        if not version or not integrity:
            raise BuildError(f"{lockfile}: /packages/{path} has no version or integrity")
        out.append((path, name, version, integrity))
    return out


# What a script may require, as in Postman's sandbox bundle (measured with Newman 6.2): the name and the
# file it loads. Node's built-ins are the browser shims Postman bundles; `fs` is an empty module.
EXPOSED = {
    "assert": "node_modules/assert/build/assert.js",
    "buffer": "node_modules/buffer/index.js",
    "events": "node_modules/events",
    "path": "node_modules/path-browserify",
    "punycode": "node_modules/punycode",
    "querystring": "node_modules/querystring-es3",
    "stream": "node_modules/stream-browserify",
    "string_decoder": "node_modules/string_decoder",
    "timers": "node_modules/timers-browserify",
    "url": "node_modules/url",
    "util": "node_modules/util",
    "os": "node_modules/os-browserify/browser.js",
    "fs": "@empty",
    "_process": "node_modules/process/browser.js",
    "json": "node_modules/liquid-json",
    "ajv": "node_modules/ajv",
    "atob": "node_modules/atob",
    "backbone": "node_modules/backbone",
    "btoa": "node_modules/btoa",
    "chai": "node_modules/chai",
    "cheerio": "node_modules/cheerio",
    "crypto-js": "node_modules/crypto-js",
    "csv-parse/lib/sync": "node_modules/csv-parse/lib/sync.js",
    "lodash": "node_modules/lodash",
    "moment": "node_modules/moment/min/moment.min.js",
    "postman-collection": "node_modules/postman-collection",
    "tv4": "node_modules/tv4",
    "uuid": "node_modules/postman-sandbox/lib/vendor/uuid.js",
    "xml2js": "node_modules/xml2js",
}
# Loaded by the sandbox itself, not by name from scripts.
INTERNAL = {
    "lodash3": "node_modules/lodash3",
    "chai-postman": "node_modules/chai-postman",
    "sugar": "node_modules/postman-sandbox/lib/vendor/sugar.js",
}
# Bare names inside the libraries that a bundler maps to the same shims (Postman's `preferBuiltin`).
BUILTINS = {k: v for k, v in EXPOSED.items() if k in (
    "assert", "buffer", "events", "path", "punycode", "querystring", "stream", "string_decoder", "timers", "url",
    "util", "os", "fs", "_process")}
BUILTINS.update({"process": "node_modules/process/browser.js", "crypto": "@crypto"})
# Requires that the requiring file uses only inside function bodies, never while it is evaluated: the
# loader hands out a stand-in that loads the module on first use. The postman-collection SDK requires
# faker (for {{$random...}}), semver (Version) and file-type (contentInfo of a body without a
# Content-Type) at its top; loading them eagerly costs ~45 ms of a cold start.
LAZY = {
    "node_modules/postman-collection/lib/superstring/dynamic-variables.js": ("@faker-js/faker/locale/en",),
    "node_modules/postman-collection/lib/collection/version.js": ("semver",),
    "node_modules/postman-collection/lib/content-info/index.js": ("file-type", "mime-types", "mime-format"),
    "node_modules/postman-collection/lib/util.js": ("iconv-lite",),
}
_REQUIRE = re.compile(r"""\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)""")
_FREE = {"Buffer": re.compile(r"\bBuffer\b"), "process": re.compile(r"\bprocess\b")}


class _Resolver:
    """Node's resolution (main field, index.js, .js/.json) over the unpacked files, done once at build time."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self._manifests: dict[str, dict[str, object]] = {}

    def _file(self, path: str) -> str | None:
        for candidate in (path, path + ".js", path + ".json"):
            if candidate in self.files:
                return candidate
        return None

    def _dir(self, path: str) -> str | None:
        manifest = self.files.get(path + "/package.json")
        if manifest is not None:
            data = self._manifests.get(path)
            if data is None:
                try:
                    data = self._manifests[path] = json.loads(manifest)
                except ValueError:
                    data = self._manifests[path] = {}
            main = data.get("main")
            if isinstance(main, str) and main:
                target = posixpath.normpath(posixpath.join(path, main))
                found = self._file(target) or self._file(target + "/index")
                if found:
                    return found
        return self._file(path + "/index")

    def path(self, path: str) -> str | None:
        """A packed file for a path as EXPOSED lists it (file or package folder)."""
        if path.startswith("@"):
            return path
        return self._file(path) or self._dir(path)

    def resolve(self, spec: str, origin: str) -> str | None:
        if spec in BUILTINS:
            return self.path(BUILTINS[spec])
        spec = spec.rstrip("/") or spec
        if spec.startswith(("./", "../", "/")) or spec in (".", ".."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(origin), spec))
            return self._file(base) or self._dir(base)
        folder = posixpath.dirname(origin)
        while True:
            if not folder.endswith("node_modules"):
                prefix = f"{folder}/node_modules/" if folder else "node_modules/"
                base = prefix + spec
                found = self._file(base) or self._dir(base)
                if found:
                    return found
            if not folder:
                return None
            folder = posixpath.dirname(folder)


def link(files: dict[str, str]) -> dict[str, object]:
    """The files reachable from what scripts and the sandbox load, each with its resolved requires."""
    resolver = _Resolver(files)
    entries: dict[str, str] = {}
    for name, target in {**EXPOSED, **INTERNAL}.items():
        found = resolver.path(target)
        if found is None:
            raise BuildError(f"the pack has no file for {name!r} ({target})")
        entries[name] = found
    modules: dict[str, dict[str, object]] = {}
    todo = [p for p in entries.values() if not p.startswith("@")]
    while todo:
        path = todo.pop()
        if path in modules:
            continue
        source = files[path]
        deps: dict[str, str | None] = {}
        free: list[str] = []
        lazy = LAZY.get(path, ())
        if path.endswith(".js"):
            for match in _REQUIRE.finditer(source):
                spec = match.group(2)
                target = resolver.resolve(spec, path)
                deps[spec] = target
                if target and not target.startswith("@") and target not in modules:
                    todo.append(target)
            free = [name for name, rx in _FREE.items() if rx.search(source)]
        missing = [spec for spec in lazy if spec not in deps]
        if missing:
            raise BuildError(f"{path} no longer requires {missing}: update LAZY in pack.py")
        modules[path] = {"deps": deps, "free": free, **({"lazy": list(lazy)} if lazy else {})}
    for extra in (BUILTINS["buffer"], BUILTINS["process"]):  # the globals Buffer and process come from these
        found = resolver.path(extra)
        if found and found not in modules:
            raise BuildError(f"{found} is not reachable")
    return {"entries": entries, "modules": modules}


# The built-ins Sugar extends; the names it adds are read at build time so the sandbox can load it lazily.
SUGAR_TARGETS = ("Object", "Array", "String", "Number", "Date", "Function", "RegExp", "Object.prototype",
                 "Array.prototype", "String.prototype", "Number.prototype", "Date.prototype", "Function.prototype",
                 "RegExp.prototype", "Boolean.prototype")
_SUGAR_PROBE = """(function (targets, src) {
  var T = {};
  targets.forEach(function (k) { T[k] = k.split('.').reduce(function (o, p) { return o[p]; }, globalThis); });
  function val(o, n) { var d = Object.getOwnPropertyDescriptor(o, n); return d && ('value' in d ? d.value : d.get); }
  var before = {};
  targets.forEach(function (k) {
    before[k] = Object.create(null);
    Object.getOwnPropertyNames(T[k]).forEach(function (n) { before[k][n] = val(T[k], n); });
  });
  (0, eval)('(function (module, exports) {' + src + '\\n})')({ exports: {} }, {});
  var added = {}, replaced = {};
  targets.forEach(function (k) {
    Object.getOwnPropertyNames(T[k]).forEach(function (n) {
      if (!(n in before[k])) { (added[k] = added[k] || []).push(n); }
      else if (before[k][n] !== val(T[k], n) && before[k][n] === before[k][n]) {
        (replaced[k] = replaced[k] || []).push(n);
      }
    });
  });
  return JSON.stringify({ added: added, replaced: replaced });
})"""


def sugar_surface(source: str) -> dict[str, dict[str, list[str]]]:
    """What Sugar adds to and replaces on the built-ins, found by evaluating it in QuickJS (a build requirement)."""
    try:
        import quickjs
    except ImportError:
        raise BuildError("quickjs-ng is needed at build time to read Sugar's methods") from None
    ctx = quickjs.Context()
    probe = ctx.eval(_SUGAR_PROBE)
    return json.loads(probe(ctx.eval(json.dumps(list(SUGAR_TARGETS))), source))


def build_pack(target_dir: Path, lockfile: Path = LOCKFILE) -> Path:
    """Fetch, verify and pack the locked packages into ``target_dir``: an index and one text blob.

    ``modules.json`` (small) lists each reachable file with its offset in ``modules.js`` and its
    resolved requires; the runtime reads a file's text only when a script first needs it.
    """
    files: dict[str, str] = {}
    packages: dict[str, dict[str, str]] = {}
    for path, name, version, integrity in read_lock(lockfile):
        data = fetch(name, version, integrity)
        files.update(unpack(data, name, path))
        packages[path] = {"name": name, "version": version}
    linked = link(files)
    modules = linked["modules"]
    assert isinstance(modules, dict)
    blob = io.BytesIO()
    for path in sorted(modules):
        data = files[path].encode("utf-8")
        modules[path]["at"] = [blob.tell(), len(data)]
        blob.write(data)
    entries = linked["entries"]
    assert isinstance(entries, dict)
    index = {"format": FORMAT, "lock": build_digest(lockfile),
             "entries": entries, "modules": modules, "packages": packages,
             "sugar": sugar_surface(files[entries["sugar"]])}
    target_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(target_dir / BLOB_FILE, blob.getvalue())
    _write_atomic(target_dir / PACK_FILE, json.dumps(index, separators=(",", ":")).encode("utf-8"))
    return target_dir / PACK_FILE


def _write_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def build_digest(lockfile: Path = LOCKFILE) -> str:
    """What a pack was built from: the lockfile and this build step's own code (a change to either rebuilds)."""
    return hashlib.sha256(lockfile.read_bytes() + Path(__file__).read_bytes()).hexdigest()


def up_to_date(target_dir: Path, lockfile: Path = LOCKFILE) -> bool:
    """Whether ``target_dir`` already holds the pack of this lockfile (an editable reinstall skips the work)."""
    target = target_dir / PACK_FILE
    if not target.is_file() or not (target_dir / BLOB_FILE).is_file():
        return False
    try:
        with target.open("r", encoding="utf-8") as fh:
            head = fh.read(200)
    except OSError:
        return False
    return f'"format":{FORMAT},"lock":"{build_digest(lockfile)}"' in head


def main(argv: list[str] | None = None) -> int:
    """``python -m runner.sandbox.pack [DIR]``: (re)build the pack, by default beside this file."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else HERE / PACK_DIR
    try:
        print(build_pack(target))
    except BuildError as exc:
        print(f"postrun build: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

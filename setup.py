"""Build hook: pack the sandbox's npm libraries (fetched by name, version and integrity hash) into the package.

Runs on `pip install .` (into the wheel) and `pip install -e .` (into runner/sandbox/lib/, gitignored).
See runner/sandbox/pack.py; no Node.js is needed.
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _pack_module():
    spec = importlib.util.spec_from_file_location("_postrun_pack", HERE / "runner" / "sandbox" / "pack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithLibraries(build_py):
    """build_py that also packs the sandbox's libraries."""

    def run(self):
        super().run()
        pack = _pack_module()
        if self.editable_mode:
            target = HERE / "runner" / "sandbox" / pack.PACK_DIR
        else:
            target = Path(self.build_lib) / "runner" / "sandbox" / pack.PACK_DIR
        if pack.up_to_date(target):
            return
        try:
            pack.build_pack(target)
        except pack.BuildError as exc:
            raise SystemExit(f"postrun build failed: {exc}") from None


setup(cmdclass={"build_py": BuildWithLibraries})

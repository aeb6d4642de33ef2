"""Build PIU, compiling the name matcher's hot modules with mypyc where it can.

Everything about the package is in ``pyproject.toml``; this file only adds the compiled
modules. Screening is pure Python, and mypyc turns its type-annotated modules into C
extensions that run the same code a quarter to a third faster (``bench/names.py`` prints which
build it measured). Compiling needs a C compiler and the Python headers; without them,
or with ``PIU_PURE_PYTHON=1`` set, the package installs as pure Python and works the same,
only slower. ``piu.screening._native`` decides at import time which build runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# keep in step with piu.screening._native.COMPILED
COMPILED = ("model", "keys", "names", "translit", "scoring", "index", "matcher")
SOURCE_DIR = Path("src/piu/screening")
RECORD = "_native.json"  # which source each extension was compiled from (its SHA-256)


def _warn(text: str) -> None:
    print(f"piu: {text}; screening runs as pure Python (slower)", file=sys.stderr)


def _native_extensions() -> list:
    """mypyc's extensions for the modules in COMPILED, or none (with the reason why)."""
    if os.environ.get("PIU_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc is not installed")
        return []
    paths = [str(SOURCE_DIR / f"{name}.py") for name in COMPILED]
    try:
        # rapidfuzz and anyascii may be absent from the build environment: typed as Any
        return mypycify(["--ignore-missing-imports", *paths], group_name="piu.screening._native")
    except (Exception, SystemExit) as exc:  # mypy reports type errors by exiting
        _warn(f"mypyc could not compile {', '.join(COMPILED)} ({exc})")
        return []


class OptionalBuildExt(build_ext):
    """Builds the extensions if the compiler can, and records their sources' hashes."""

    def run(self) -> None:
        target = Path(self.get_ext_fullpath("piu.screening.scoring")).parent
        (target / RECORD).unlink(missing_ok=True)  # the source runs until a build succeeds
        if not self.extensions:
            return
        try:
            super().run()
        except Exception as exc:  # no compiler, no headers: install pure Python instead
            _warn(f"the C compiler failed ({exc})")
            return
        record = {
            name: hashlib.sha256((SOURCE_DIR / f"{name}.py").read_bytes()).hexdigest()
            for name in COMPILED
        }
        target.mkdir(parents=True, exist_ok=True)
        (target / RECORD).write_text(json.dumps(record, indent=1) + "\n")


setup(ext_modules=_native_extensions(), cmdclass={"build_ext": OptionalBuildExt})

"""Which build of the matcher runs: the modules compiled by mypyc, or their Python source.

``setup.py`` compiles the modules in :data:`COMPILED` with mypyc when it can, and records
the SHA-256 of each source it compiled in ``_native.json`` beside the extensions. Python
imports an extension module before a ``.py`` of the same name, so after an edit an
extension compiled from the older source would run the old code without a word. The
package calls :func:`choose` before importing any of them: unless every extension is there
and was compiled from the source now beside it, all of them load from source. It is all or
none because compiled modules call one another directly, not through ``sys.modules``.
``PIU_PURE_PYTHON=1`` asks for the source build (to compare the two, or to debug).

Importing this module makes the choice (the package imports it first of all); it is never
compiled itself.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = ["BUILD", "COMPILED"]

# keep in step with setup.py
COMPILED = ("model", "keys", "names", "translit", "scoring", "index", "matcher")
_HERE = Path(__file__).parent
_PACKAGE = __name__.rpartition(".")[0]
_RECORD = "_native.json"


def _why_not_compiled() -> str | None:
    """Why the compiled modules must not run, or None if they may."""
    if os.environ.get("PIU_PURE_PYTHON"):
        return "PIU_PURE_PYTHON is set"
    try:
        record = json.loads((_HERE / _RECORD).read_text())
    except FileNotFoundError:
        return "not compiled"
    except (OSError, ValueError) as exc:
        return f"{_RECORD} unreadable: {exc}"
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    for name in COMPILED:
        if not any((_HERE / f"{name}{s}").exists() for s in suffixes):
            return f"no extension for {name}.py"
        digest = hashlib.sha256((_HERE / f"{name}.py").read_bytes()).hexdigest()
        if record.get(name) != digest:
            return f"{name}.py changed since it was compiled (make test rebuilds it)"
    return None


class _SourceFinder:
    """Finds the modules of :data:`COMPILED` as their ``.py`` files (a meta path finder
    placed ahead of the usual ones, which would take the extension)."""

    def __init__(self) -> None:
        self._names = {f"{_PACKAGE}.{n}": _HERE / f"{n}.py" for n in COMPILED}

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        source = self._names.get(fullname)
        if source is None:
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def _choose() -> str:
    """Make the compiled modules or their source load, and say which."""
    why = _why_not_compiled()
    if why is None:
        return "compiled (mypyc)"
    sys.meta_path.insert(0, _SourceFinder())
    return f"pure Python ({why})"


#: which build runs: "compiled (mypyc)" or "pure Python (<why>)"
BUILD = _choose()

"""The public surface of piu.targeting: what __all__ promises exists, and nothing else leaks."""

from __future__ import annotations

import piu.targeting as targeting


def test_all_members_exist() -> None:
    for name in targeting.__all__:
        assert hasattr(targeting, name), name


def test_all_is_complete() -> None:
    assert len(set(targeting.__all__)) == len(targeting.__all__)
    public = {n for n in vars(targeting) if not n.startswith("_")}
    modules = {"catalogue", "checker", "compiler", "explain", "facts", "lexer", "parser"}
    assert public - modules == set(targeting.__all__)


def test_no_eval_exec_or_compile_in_the_sources() -> None:
    import pathlib
    import re

    root = pathlib.Path(targeting.__file__).parent
    for path in root.glob("*.py"):
        code = path.read_text()
        assert not re.search(r"\b(eval|exec)\s*\(", code), path
        assert not re.search(r"(?<![._\w])compile\s*\(", code), path

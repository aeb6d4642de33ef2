"""The matcher compiled by mypyc and its Python source give the same results, and a stale
compiled build never runs (``piu.screening._native``).

The compiled build exists after ``make test`` (or ``make native``) on a machine with a C
compiler; ``.ci/run`` sets ``PIU_REQUIRE_NATIVE=1`` so that CI tests it rather than skip.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import piu.screening
from piu.screening import BUILD
from piu.screening._native import COMPILED

SCREENING = Path(piu.screening.__file__).parent
NAMES_DEV = Path(__file__).resolve().parents[3] / "shared" / "bench" / "names-dev"
COMPILED_NOW = BUILD == "compiled (mypyc)"
needs_compiled = pytest.mark.skipif(
    not COMPILED_NOW, reason=f"the matcher is not compiled here: {BUILD} (make native)"
)

# Screens the UN list of names-dev (or, without the corpus, name_cases.csv) with each
# query of it and prints every alert with its whole explanation, plus the build that ran.
_SCREEN_SAMPLE = r"""
import csv, json, sys
from pathlib import Path
from piu.screening import BUILD, DateOfBirth, Matcher, Query, WatchlistEntry

bench, cases = Path(sys.argv[1]), Path(sys.argv[2])
if (bench / "entities.jsonl").exists():
    ents = [json.loads(x) for x in (bench / "entities.jsonl").open(encoding="utf-8")]
    entries = [
        WatchlistEntry(id=e["id"], list_id="un", names=e["names"],
                       weak_names=e.get("weak_names", []),
                       dobs=[d for d in map(DateOfBirth.parse, e.get("dob", [])) if d],
                       nationalities=e.get("nationality", []))
        for e in ents if e["list"] == "un"
    ]
    qs = [json.loads(x) for x in (bench / "queries.jsonl").open(encoding="utf-8")]
    queries = [
        Query(q["query"]["full_name"], dob=DateOfBirth.parse(q["query"].get("dob") or ""),
              nationality=q["query"].get("nationality"))
        for q in qs if q["list"] == "un"
    ]
else:
    rows = list(csv.DictReader(cases.open(encoding="utf-8")))
    entries = [WatchlistEntry(id=str(i), list_id="cases", names=[r["listed"]])
               for i, r in enumerate(rows)]
    queries = [Query(r["query"]) for r in rows]
m = Matcher().build(entries)
out = [[[a.entry_id, a.score, a.explain()] for a in m.screen(q, threshold=0.6)]
       for q in queries]
print(json.dumps({"build": BUILD, "alerts": out}))
"""


def _run(code: str, *args: str, pure: bool = False, path: Path | None = None) -> str:
    env = dict(os.environ)
    env.pop("PIU_PURE_PYTHON", None)
    if pure:
        env["PIU_PURE_PYTHON"] = "1"
    if path is not None:
        env["PYTHONPATH"] = str(path)
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ci_runs_the_compiled_build() -> None:
    if os.environ.get("PIU_REQUIRE_NATIVE") != "1":
        pytest.skip("PIU_REQUIRE_NATIVE is not set (.ci/run sets it)")
    assert COMPILED_NOW, BUILD


def test_pure_python_on_request() -> None:
    out = _run(
        "import piu.screening as s, piu.screening.scoring as sc; print(s.BUILD); "
        "print(sc.__file__)",
        pure=True,
    )
    build, where = out.splitlines()
    assert build == "pure Python (PIU_PURE_PYTHON is set)"
    assert where.endswith("scoring.py")


@needs_compiled
def test_compiled_and_source_give_the_same_alerts() -> None:
    cases = Path(__file__).parent / "name_cases.csv"
    compiled = json.loads(_run(_SCREEN_SAMPLE, str(NAMES_DEV), str(cases)))
    source = json.loads(_run(_SCREEN_SAMPLE, str(NAMES_DEV), str(cases), pure=True))
    assert compiled["build"] == "compiled (mypyc)"
    assert source["build"].startswith("pure Python")
    assert sum(map(len, compiled["alerts"])) > 50  # the sample does alert
    assert compiled["alerts"] == source["alerts"]


@needs_compiled
@pytest.mark.parametrize("edited", ["keys", "matcher"])
def test_a_stale_compiled_build_never_runs(tmp_path: Path, edited: str) -> None:
    """After an edit to any compiled module's source, all of them load from source (the
    compiled ones call each other directly, so a mix would still run old code)."""
    package = tmp_path / "piu"
    shutil.copytree(SCREENING.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    probe = (
        "import importlib, piu.screening as s; print(s.BUILD); "
        f"print(*(importlib.import_module('piu.screening.' + n).__file__ for n in {COMPILED!r}))"
    )
    build, files = _run(probe, path=tmp_path).splitlines()
    assert build == "compiled (mypyc)"  # the copy as it was built
    assert not any(f.endswith(".py") for f in files.split())
    with (package / "screening" / f"{edited}.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited after the build\n")
    build, files = _run(probe, path=tmp_path).splitlines()
    assert (
        build == f"pure Python ({edited}.py changed since it was compiled (make test rebuilds it))"
    )
    assert all(f.endswith(".py") for f in files.split())


def test_setup_and_makefile_compile_the_modules_the_package_checks() -> None:
    """``setup.py`` and the Makefile name the compiled modules too (neither can import the
    package); a module compiled but not checked would run stale after an edit."""
    root = Path(__file__).resolve().parents[2]
    tree = ast.parse((root / "setup.py").read_text(encoding="utf-8"))
    in_setup = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "COMPILED" for t in node.targets)
    )
    assert tuple(in_setup) == COMPILED
    line = next(
        x for x in (root / "Makefile").read_text().splitlines() if x.startswith("COMPILED ")
    )
    in_make = line.split(",", 1)[1].rstrip(")").split()
    assert in_make == [f"{name}.py" for name in COMPILED]


def test_screening_values_survive_pickling_as_screen_many_sends_them() -> None:
    """``screen_many``'s workers send their matches back pickled. Compiled, a frozen
    class would unpickle by setting its fields one by one, which frozen forbids (each
    defines ``__reduce__``); the others unpickle as any class."""
    import pickle

    from piu.screening import DateOfBirth, Document, Matcher, Query, WatchlistEntry
    from piu.screening.model import TokenPair

    dob = DateOfBirth(1968, 3, 11)
    entry = WatchlistEntry("e1", "un", ["Nurlan JUMABAEV"], dobs=[dob])
    query = Query("Nurlan ZHUMABAEV", dob, "KGZ", "M", [Document("AB123", "P", "KGZ")])
    values: list[object] = [
        dob,
        DateOfBirth(1960, year_to=1965),
        Document("AB123", "P", "KGZ"),
        TokenPair("ZHUMABAEV", "JUMABAEV", 0.95, "key"),
        query,
        entry,
    ]
    (match,) = Matcher().build([entry]).screen(query)
    assert match.name.pairs  # a match holds TokenPairs
    for v in [*values, match]:
        back = pickle.loads(pickle.dumps(v))  # noqa: S301 (pickled here)
        assert back == v and type(back) is type(v)

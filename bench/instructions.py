"""Instructions one cold screening pass costs, counted by valgrind's callgrind.

This machine's speed varies by a quarter within minutes, so travellers/s
(``bench/names.py``) cannot tell a change of a few per cent from the machine's mood.
callgrind counts the instructions executed instead: the same count, run after run, for
the same code, queries and ``PYTHONHASHSEED`` (set here), whatever else the machine does.
Instructions are not seconds (cache misses and the garbage collector's pauses weigh
differently), but a change that saves a tenth of them saves time too.

The index over every names-dev list is built with instrumentation off (valgrind is
about fifty times slower with it on); then, with every cache emptied, the first
``--queries`` travellers are screened with it on. Prints the instructions per traveller
and the alerts raised (a check that two versions did the same work).

    .venv/bin/python bench/instructions.py [--queries 3000] [--bench DIR] [--keep FILE]

``--keep FILE`` keeps callgrind's output, for ``callgrind_annotate --inclusive=yes FILE``
(the compiled functions appear under their C names, ``CPyDef_scoring___...``).

Needs ``valgrind`` (Debian's package). About two minutes for 3,000 travellers.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = (HERE / ".." / ".." / "shared" / "bench" / "names-dev").resolve()


def _screen(bench: Path, n: int, ready: Path, go: Path) -> None:
    """In the process valgrind runs: build, say so, wait for instrumentation, screen."""
    sys.path.insert(0, str(HERE))
    import names  # bench/names.py: the same loading and conversion
    from piu.screening import Matcher
    from piu.screening.matcher import clear_caches, settle_heap

    entities, queries = names.load(bench)
    parsed = [names.to_query(q) for q in queries][:n]
    m = Matcher().build(names.to_entry(e) for e in entities)
    settle_heap()
    clear_caches()
    m.index.clear_caches()
    ready.touch()
    while not go.exists():
        time.sleep(0.1)
    alerts = sum(len(m.screen(q)) for q in parsed)
    print(f"alerts {alerts}", flush=True)
    os._exit(0)  # counted up to here: not the index's teardown


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--queries", type=int, default=3000)
    ap.add_argument("--keep", type=Path, help="keep callgrind's output file here")
    ap.add_argument("--inner", nargs=2, help=argparse.SUPPRESS)  # ready and go files
    args = ap.parse_args()
    if args.inner:
        _screen(args.bench, args.queries, Path(args.inner[0]), Path(args.inner[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        ready, go, out = Path(tmp, "ready"), Path(tmp, "go"), Path(tmp, "callgrind.out")
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               f"--callgrind-out-file={out}", sys.executable, __file__,
               "--bench", str(args.bench), "--queries", str(args.queries),
               "--inner", str(ready), str(go)]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)  # fmt: skip
        while not ready.exists():
            if child.poll() is not None:
                sys.exit(f"the screening process ended early:\n{child.stderr.read()}")
            time.sleep(0.5)
        subprocess.run(["callgrind_control", "-i", "on", str(child.pid)], check=True,
                       capture_output=True)  # fmt: skip
        go.touch()
        stdout, stderr = child.communicate()
        found = re.search(r"^summary: (\d+)", out.read_text(), re.M) if out.exists() else None
        if child.returncode != 0 or found is None:
            sys.exit(f"callgrind gave no count (exit {child.returncode}):\n{stderr}")
        total = int(found.group(1))
        if args.keep:
            args.keep.write_bytes(out.read_bytes())
        print(f"{args.queries} travellers screened cold against every names-dev list: "
              f"{total:,} instructions, {total / args.queries:,.0f} a traveller; "
              f"{stdout.strip()}")  # fmt: skip


if __name__ == "__main__":
    main()

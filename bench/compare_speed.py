"""Cold screening speed of this checkout against another, measured in alternation.

This machine's speed varies by a quarter within minutes, so two ``bench/names.py`` runs
made minutes apart cannot tell a change of ten per cent from the machine's mood. Here
the two builds take turns, round after round, each in a fresh process: build the index
over every names-dev list, settle the heap, then time ``--passes`` cold passes (every
cache emptied first) with ``bench/names.py``'s own ``cold_passes``. A slow minute slows
both sides of its round alike, and the sides take turns going first.

    .venv/bin/python bench/compare_speed.py OTHER_SRC [--rounds 3] [--passes 2]

``OTHER_SRC`` is the ``src`` directory of another checkout, for instance a worktree of an
earlier commit (``git worktree add /tmp/old <commit>``), built with mypyc there
(``cd /tmp/old && /path/to/.venv/bin/python setup.py build_ext --inplace``) if the
compiled build is to be compared. Prints each side's travellers/s per pass, their
medians and ratio, the build each ran, and the alerts (the same on both sides when
only speed changed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = (HERE / ".." / ".." / "shared" / "bench" / "names-dev").resolve()

_INNER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import names
from pathlib import Path
from piu.screening import BUILD, Matcher
from piu.screening.matcher import settle_heap

entities, queries = names.load(Path(sys.argv[2]))
parsed = [names.to_query(q) for q in queries]
m = Matcher().build(names.to_entry(e) for e in entities)
settle_heap()
rates, alerts = names.cold_passes(m, parsed, int(sys.argv[3]))
print(json.dumps({"rates": rates, "alerts": alerts, "build": BUILD}))
"""


def _side(src: Path, bench: Path, passes: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", _INNER, str(HERE), str(bench), str(passes)],
                         env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("other_src", type=Path, help="the src directory of the other checkout")
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=2, help="cold passes a side a round")
    args = ap.parse_args()
    here_src = (HERE / ".." / "src").resolve()
    sides = {"other": args.other_src.resolve(), "this": here_src}
    rates: dict[str, list[float]] = {k: [] for k in sides}
    info: dict[str, dict] = {}
    for r in range(args.rounds):
        # each side goes first in every other round: the machine's speed drifts within
        # a round too, so a fixed order would favour one side
        order = list(sides.items())
        for name, src in order if r % 2 == 0 else order[::-1]:
            got = _side(src, args.bench, args.passes)
            rates[name] += got["rates"]
            info[name] = got
            runs = ", ".join(f"{x:.0f}" for x in got["rates"])
            print(f"round {r + 1} {name:5} ({src}): {runs} travellers/s", flush=True)
    med = {k: statistics.median(v) for k, v in rates.items()}
    for name in sides:
        print(f"{name:5} median {med[name]:.0f}/s, {info[name]['alerts']} alerts, "
              f"{info[name]['build']}")  # fmt: skip
    print(f"this / other: {med['this'] / med['other']:.3f}")


if __name__ == "__main__":
    main()

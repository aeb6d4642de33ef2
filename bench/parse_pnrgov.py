"""PNRs parsed per second on one core: the larger GTAS corpus files and generated pushes.

Target (issue 3): at least 2,000 PNRs/s on one core (best CPU time of several rounds).
Run: ``.venv/bin/python bench/parse_pnrgov.py``.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

from piu.formats import pnrgov

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "gtas"


def rate(data: bytes, rounds: int = 7, min_seconds: float = 0.3) -> tuple[float, int]:
    """PNRs per CPU-second on this process's one core: the best of ``rounds`` rounds, each
    of at least ``min_seconds`` of CPU time. CPU time, not wall time, so that other work on
    the machine (a shared 2-core box) does not count against the parser."""
    n = len(pnrgov.read(data)[0].pnrs)
    best = 0.0
    for _ in range(rounds):
        runs, start = 0, time.process_time()
        while (elapsed := time.process_time() - start) < min_seconds:
            pnrgov.read(data)
            runs += 1
        best = max(best, runs * n / elapsed)
    return best, n


def main() -> None:
    big = None
    for name in ("pnrWithBags.txt", "bigbigPnr.txt", "pnrMessage.txt"):
        hits = list(CORPUS.rglob(name)) if CORPUS.is_dir() else []
        if not hits:
            print(f"{name}: corpus absent")
            continue
        data = hits[0].read_bytes()
        r, n = rate(data)
        print(f"{name:22} {n:4d} PNRs  {r:8.0f} PNRs/s")
        if name == "pnrWithBags.txt":
            big = pnrgov.read(data)[0]
    if big is not None:
        # a generated push: 500 PNRs written by our writer from the corpus bookings
        push = copy.deepcopy(big)
        push.pnrs = [copy.deepcopy(big.pnrs[i % len(big.pnrs)]) for i in range(500)]
        push.declared_pnrs = 500
        data = pnrgov.write([push])
        r, n = rate(data)
        print(f"{'generated (writer)':22} {n:4d} PNRs  {r:8.0f} PNRs/s  ({len(data)} bytes)")


if __name__ == "__main__":
    main()

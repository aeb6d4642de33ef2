"""PNRs parsed per second on one core: the larger GTAS corpus files and generated pushes.

Target (issue 3): at least 2,000 PNRs/s. Run: ``.venv/bin/python bench/parse_pnrgov.py``.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

from piu.formats import pnrgov

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "gtas"


def rate(data: bytes, seconds: float = 2.0) -> tuple[float, int]:
    n = len(pnrgov.read(data)[0].pnrs)
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        pnrgov.read(data)
        runs += 1
    return runs * n / (time.perf_counter() - start), n


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

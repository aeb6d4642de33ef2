"""How fast ``piu synth`` generates traffic, and how much memory it holds.

Generates ``--passengers`` booked passengers (API passenger and crew lists at check-in
close, PNR pushes at T-72h, T-24h, T-2h and closing when the PNRGOV writer works) into a
temporary folder (or ``--out``), with ``--workers`` processes, and prints passengers/s,
messages/s, MB written and the peak resident memory of the main process and of the
workers. With ``--extrapolate N`` it also prints the time N passengers would take at the
measured rate.

Run: ``.venv/bin/python bench/synth.py [--passengers 50000] [--workers 2]``.
Target (issue 4): 1,000,000 passengers with PNR pushes and API lists in under 10 minutes
on the 2-core reference machine. Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from piu.synth import Config, Generator, run


def _peak_mb(who: int) -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passengers", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="keep the output here")
    parser.add_argument("--extrapolate", type=int, default=1_000_000)
    parser.add_argument("--no-pnr", action="store_true", help="API lists only")
    args = parser.parse_args()

    config = Config(
        passengers=args.passengers,
        seed=args.seed,
        first_day=date(2026, 12, 1),
        workers=args.workers,
        pnr=False if args.no_pnr else None,
    )
    gen = Generator(config)
    with tempfile.TemporaryDirectory(prefix="piu-synth-bench-") as tmp:
        out = args.out or Path(tmp)
        started = time.perf_counter()
        summary = run(gen, out)
        elapsed = time.perf_counter() - started
    rate = summary.passengers / elapsed
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, workers={args.workers}")
    print(f"PNR pushes: {'yes' if gen.with_pnr else 'no (writer not usable)'}")
    print(
        f"{summary.passengers:,} passengers booked ({summary.boarded:,} boarded, "
        f"{summary.crew:,} crew) on {summary.flights:,} flights"
    )
    print(
        f"{summary.messages:,} messages, {summary.bytes / 1e6:,.1f} MB, {summary.missing} missing"
    )
    per_s = summary.messages / elapsed
    print(f"elapsed {elapsed:,.1f} s: {rate:,.0f} passengers/s, {per_s:,.1f} msg/s")
    print(
        f"peak RSS: main {_peak_mb(resource.RUSAGE_SELF):,.0f} MB, "
        f"largest worker {_peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB"
    )
    if args.extrapolate and args.extrapolate > summary.passengers:
        minutes = args.extrapolate / rate / 60
        print(f"extrapolated: {args.extrapolate:,} passengers in {minutes:,.1f} min")


if __name__ == "__main__":
    main()

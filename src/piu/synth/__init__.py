"""Realistic synthetic airline traffic for a PIU: demos, tests and benchmarks.

Public surface::

    from piu.synth import Config, Generator, run
    gen = Generator(Config(passengers=20_000, seed=7))
    summary = run(gen, Path("out"))          # messages, ground_truth.jsonl, watchlists

Modules: ``names`` (name pools, ICAO and agent renderings), ``routes`` (routes, carriers,
schedule), ``travellers`` (bookings, passengers, crew), ``api`` (PAXLST lists), ``pnr``
(PNRGOV pushes), ``planted`` (cases and lists), ``generator`` (per-flight streaming),
``output`` (folder and HTTP sinks, ground truth).
"""

from piu.synth.generator import Config as Config
from piu.synth.generator import Generator as Generator
from piu.synth.generator import Message as Message
from piu.synth.output import DirectorySink as DirectorySink
from piu.synth.output import HttpSink as HttpSink
from piu.synth.output import Summary as Summary
from piu.synth.output import run as run

__all__ = ["Config", "DirectorySink", "Generator", "HttpSink", "Message", "Summary", "run"]

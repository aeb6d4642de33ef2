"""``python -m piu`` is the ``piu`` command."""

from piu.cli import main

main()

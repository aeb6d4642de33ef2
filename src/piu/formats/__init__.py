"""Wire formats <-> domain objects, pure (no I/O, no storage).

One subpackage per format: :mod:`piu.formats.edifact` (syntax level, shared by every
EDIFACT message), :mod:`piu.formats.paxlst` (API passenger lists) and
:func:`piu.formats.detect.detect`, which says which reader a raw message needs. Readers
raise only :class:`~piu.errors.FormatError` subclasses on bad input; ``ingest`` turns that
into a quarantined message.
"""

__all__: list[str] = []

"""The error a watchlist importer raises when it refuses a file.

Why a separate class: :class:`piu.errors.FormatError` speaks of EDIFACT segments, while a
watchlist file is a CSV (a *line* and a *column*) or an XML document (an *element path*
such as ``/CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[12]/DATAID``, plus the parser's line).
It still derives from ``FormatError`` so that edges which catch ``PiuError`` or
``FormatError`` keep working.

::

    PiuError
    └── FormatError
        └── WatchlistFormatError     a watchlist file was refused (file, line, element, reason)

A refusal is for faults that spoil the whole file (not well-formed XML, a CSV whose rows
do not have the header's columns, a file that is not a list at all). Faults in one entry
(an unreadable date, an unknown country) become warnings on the ``ImportedList`` instead.
"""

from __future__ import annotations

from piu.errors import FormatError

__all__ = ["WatchlistFormatError"]


class WatchlistFormatError(FormatError):
    """A watchlist file cannot be imported.

    ``source`` is the file name (or ``None`` for bytes), ``line`` the 1-based physical line
    (CSV and XML), ``column`` the 1-based CSV column or XML character offset in the line,
    ``path`` the XML element path, and ``reason`` says what is wrong.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.path = path
        super().__init__(reason)

    def describe(self) -> str:
        where: list[str] = []
        if getattr(self, "source", None):
            where.append(str(self.source))
        if getattr(self, "line", None) is not None:
            where.append(f"line {self.line}")
        if getattr(self, "column", None) is not None:
            where.append(f"column {self.column}")
        if getattr(self, "path", None):
            where.append(f"element {self.path}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict[str, object]:
        d = super().as_dict()
        d.update(source=self.source, line=self.line, column=self.column, path=self.path)
        return d

"""The exceptions PIU raises on purpose.

Every error that bad *input* can cause derives from :class:`PiuError`, so an edge (the CLI,
the HTTP layer, the ingest pipeline) can catch one root and turn it into a message for a
person. Programmer mistakes stay on the ``RuntimeError`` branch and are never caught there.

::

    PiuError
    ├── ConfigError                 a setting has a bad value (names the setting)
    ├── FormatError                 a message cannot be read
    │   ├── EdifactSyntaxError      tokenizer level: separators, release char, limits
    │   ├── MessageStructureError   reader level: missing or misplaced segments, bad values
    │   └── UnknownMessageType      bytes that are no message PIU understands
    ├── StoreError                  the database refused or is unreachable
    ├── AccessError                 authentication or role check failed
    ├── RuleError                   a targeting rule refused (piu.targeting; has column)
    ├── RuleStateError              a rule lifecycle step not allowed (piu.store.rules)
    └── WatchlistFormatError        a list file refused (piu.screening.importers; a
                                    FormatError, so it names the line or element)
"""

from __future__ import annotations

__all__ = [
    "AccessError",
    "ConfigError",
    "EdifactSyntaxError",
    "FormatError",
    "MessageStructureError",
    "PiuError",
    "StoreError",
    "UnknownMessageType",
]


class PiuError(Exception):
    """Root of every error caused by input or environment rather than by a bug."""


class ConfigError(PiuError):
    """A configuration value is missing or malformed; the message names the setting."""


class FormatError(PiuError):
    """A message could not be read.

    The position attributes are what an analyst needs to find the fault in the raw bytes:
    ``segment_index`` counts segments from 1 (UNA counts as a segment when present),
    ``tag`` is the segment tag (``"NAD"``), ``element`` the 1-based data element within it,
    and ``offset`` the byte offset of the segment start in the raw message.
    """

    def __init__(
        self,
        reason: str,
        *,
        segment_index: int | None = None,
        tag: str | None = None,
        element: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.reason = reason
        self.segment_index = segment_index
        self.tag = tag
        self.element = element
        self.offset = offset
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line for people: where, then why."""
        where = []
        if self.segment_index is not None:
            where.append(f"segment {self.segment_index}")
        if self.tag:
            where.append(self.tag)
        if self.element is not None:
            where.append(f"element {self.element}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        return f"{' '.join(where)}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict[str, object]:
        """The error as stored on a rejected message (JSON-safe)."""
        return {
            "kind": type(self).__name__,
            "reason": self.reason,
            "segment_index": self.segment_index,
            "tag": self.tag,
            "element": self.element,
            "offset": self.offset,
            "message": self.describe(),
        }


class EdifactSyntaxError(FormatError):
    """The bytes break EDIFACT syntax (bad UNA, dangling release character, size limits)."""


class MessageStructureError(FormatError):
    """The segments are well formed but do not make a valid message of the detected type."""


class UnknownMessageType(FormatError):  # noqa: N818 - named for what the bytes are
    """The bytes are not a message type PIU reads."""


class StoreError(PiuError):
    """The database could not do what was asked (unreachable, constraint, migration)."""


class AccessError(PiuError):
    """Authentication failed or the caller's role does not allow the action."""

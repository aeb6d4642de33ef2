"""What the message readers check once all segments are read (UNH..UNT, UNB..UNZ).

PAXLST and PNRGOV share the envelope (ISO 9735): a message left open means the data was
cut short, no UNH at all means the bytes are not this message type, and an interchange
without its UNZ trailer is readable but worth a warning.
"""

from __future__ import annotations

from piu.errors import MessageStructureError
from piu.formats.edifact._tokenizer import Segment

__all__ = ["check_end"]


def check_end(
    segments: list[Segment],
    *,
    kind: str,
    open_ref: str | None,
    unh: Segment | None,
    found: int,
    unb_seen: bool,
    unz_seen: bool,
) -> str | None:
    """Raise for a truncated message (``open_ref``: the reference of a message still
    open at ``unh``) or for data holding no ``kind`` message (``found`` == 0); return the
    warning for a missing UNZ, else ``None``."""
    last = segments[-1] if segments else None
    if open_ref is not None and unh is not None and last is not None:
        raise MessageStructureError(
            f"message {open_ref!r} has no UNT: the data ends at segment "
            f"{last.index} {last.tag} (truncated?)",
            segment_index=unh.index,
            tag="UNH",
            offset=unh.offset,
        )
    if not found:
        raise MessageStructureError(
            f"no {kind} message: no UNH message header found",
            segment_index=last.index if last else None,
            tag=last.tag if last else None,
            offset=last.offset if last else None,
        )
    if unb_seen and not unz_seen and last is not None:
        return f"segment {last.index} {last.tag}: interchange has no UNZ trailer"
    return None

"""UN/EDIFACT syntax: bytes <-> segments, for every message type PIU reads.

Pure: no files, no network. The message readers (:mod:`piu.formats.paxlst`, PNRGOV) sit on
top and turn segments into domain objects. Errors, all :class:`~piu.errors.FormatError`::

    FormatError
    └── EdifactSyntaxError   bad UNA, bad tag, dangling release character, unterminated
                             segment, binary data, limits exceeded

Public API: :class:`Separators`, :class:`Limits`, :class:`Segment`, :func:`tokenize`,
:func:`tokenize_decoded`, the incremental :class:`Tokenizer` with :data:`NEED_DATA`,
:func:`write_segments`, :func:`escape`, :func:`decode`, :func:`detect_encoding` and
:class:`Decoded`.
"""

from piu.formats.edifact._charset import Decoded as Decoded
from piu.formats.edifact._separators import Limits as Limits
from piu.formats.edifact._separators import Separators as Separators
from piu.formats.edifact._tokenizer import NEED_DATA as NEED_DATA
from piu.formats.edifact._tokenizer import Segment as Segment
from piu.formats.edifact._tokenizer import Tokenizer as Tokenizer
from piu.formats.edifact._tokenizer import decode as decode
from piu.formats.edifact._tokenizer import detect_encoding as detect_encoding
from piu.formats.edifact._tokenizer import tokenize as tokenize
from piu.formats.edifact._tokenizer import tokenize_decoded as tokenize_decoded
from piu.formats.edifact._writer import escape as escape
from piu.formats.edifact._writer import write_segments as write_segments

__all__ = [
    "NEED_DATA",
    "Decoded",
    "Limits",
    "Segment",
    "Separators",
    "Tokenizer",
    "decode",
    "detect_encoding",
    "escape",
    "tokenize",
    "tokenize_decoded",
    "write_segments",
]

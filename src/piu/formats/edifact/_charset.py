"""Which character set an interchange is in, and how its bytes become text.

Why: offsets in errors must point into the raw bytes an analyst can open, and names must
come out right. EDIFACT names the character set in UNB 0001 (syntax identifier), ISO 9735-1
annex A / PAXLST MIG v3.0 section 4 (UNB):

=========  ===========================  =====================
UNOA/UNOB  ISO 646 (upper-case / mixed)  decoded as ASCII
UNOC       ISO 8859-1                   Latin-1
UNOD       ISO 8859-2                   Latin-2
UNOE       ISO 8859-5                   Cyrillic
UNOF       ISO 8859-7                   Greek
UNOG       ISO 8859-3                   Latin-3
UNOH       ISO 8859-4                   Latin-4
UNOI       ISO 8859-6                   Arabic
UNOJ       ISO 8859-8                   Hebrew
UNOK       ISO 8859-9                   Latin-5
UNOW/UNOY  ISO 10646                    UTF-8
=========  ===========================  =====================

Other identifiers (``IATA`` in PNRGOV, none at all) are treated like UNOA.

The policy when the bytes break the declared set (it happens: "UNOA" lists with accented
names), chosen so that nothing is lost and the choice is visible:

1. ASCII declared: bytes that are valid UTF-8 are decoded as UTF-8, anything else as
   Latin-1 (which maps every byte to one character, so it never fails and never drops data).
2. An ISO 8859 part or UTF-8 declared but the bytes do not decode: Latin-1.

Every fallback sets :attr:`Decoded.note`, which the PAXLST reader turns into a warning.
UTF-16/UTF-32 and NUL bytes are not EDIFACT at all and raise
:class:`~piu.errors.EdifactSyntaxError` before any decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

from piu.errors import EdifactSyntaxError

__all__ = ["SYNTAX_CODECS", "Decoded", "check_binary", "codec_for", "decode_bytes"]

SYNTAX_CODECS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso8859-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}

_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text of an interchange plus how it was obtained."""

    text: str
    codec: str  # the codec actually used ("ascii", "utf-8", "latin-1", "iso8859-5", ...)
    declared: str | None  # UNB syntax identifier, e.g. "UNOA", or None when absent
    note: str | None = None  # set when the declared character set could not be used

    @property
    def single_byte(self) -> bool:
        """True when character offsets equal byte offsets."""
        return self.codec != "utf-8" or self.text.isascii()


def codec_for(syntax_identifier: str | None) -> str:
    """The Python codec for a UNB syntax identifier (``"UNOC"`` -> ``"iso8859-1"``)."""
    if syntax_identifier is None:
        return "ascii"
    return SYNTAX_CODECS.get(syntax_identifier.upper(), "ascii")


def check_binary(data: bytes, base: int = 0) -> None:
    """Refuse UTF-16/32 and NUL bytes: EDIFACT character sets have neither.

    ``base`` is the absolute offset of ``data`` in the interchange (for the error).
    """
    if base == 0 and data.startswith(_UTF16_32_BOMS):
        raise EdifactSyntaxError(
            "the data starts with a UTF-16/UTF-32 byte order mark; EDIFACT character sets "
            "are single-byte or UTF-8 (UNOW/UNOY): re-encode the message",
            offset=0,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EdifactSyntaxError(
            "NUL byte: this is binary data (or UTF-16/UTF-32 text), not an EDIFACT interchange",
            offset=base + nul,
        )


def decode_bytes(data: bytes, declared: str | None) -> Decoded:
    """Decode ``data`` following the policy in the module docstring."""
    codec = codec_for(declared)
    if codec == "ascii":
        if data.isascii():
            return Decoded(data.decode("ascii"), "ascii", declared, None)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return Decoded(
                data.decode("latin-1"),
                "latin-1",
                declared,
                f"declared {declared or 'no character set'} (ASCII) but the bytes are neither "
                "ASCII nor UTF-8; decoded as Latin-1",
            )
        return Decoded(
            text,
            "utf-8",
            declared,
            f"declared {declared or 'no character set'} (ASCII) but the bytes are not ASCII; "
            "decoded as UTF-8",
        )
    try:
        return Decoded(data.decode(codec), codec, declared, None)
    except UnicodeDecodeError as exc:
        return Decoded(
            data.decode("latin-1"),
            "latin-1",
            declared,
            f"declared {declared} ({codec}) but byte {exc.start} does not decode; "
            "decoded as Latin-1",
        )

"""Free-text grammars carried inside PNRGOV segments: SSR DOCS/DOCO/DOCA, contacts, dates.

Why a module of its own: these grammars are AIRIMP (IATA Reservations Interline Message
Procedures) conventions, not EDIFACT; the same text arrives in SSR free text, in OSI lines
(IFT+4:28) and in the XML form, and the reader, the writer, the XML reader and the tests
all need the same parse and the same canonical form.

Grammars (AIRIMP, as used by PNRGOV IG 13.1 SSR 4440 free text):

* DOCS ``/type/issuing state/number/nationality/DDMMMYY birth/gender/DDMMMYY expiry/
  surname/given/middle/H``. Real feeds send partial forms (``/////05FEB53/F//DORON/NINA``)
  and forms with one slash too many or too few before the birth date; the birth date is
  the anchor: when it is not at its place but one position off, the fields are shifted
  back and the reader warns.
* DOCO ``/place of birth/type (V visa)/number/place of issue/DDMMMYY issued/applicable
  country/I``.
* DOCA ``/R|D/country/street/city/state/postcode/I``.
* Contacts: SSR CTCE/CTCM/CTCH... and OSI ``CTCE text`` (also ``CTC M`` and a carrier
  code written before it). E-mail addresses use ``//`` for ``@``, ``..`` for ``_`` and
  ``./`` for ``-`` (AIRIMP 7.1.3); :func:`decode_email`/:func:`encode_email` convert.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from piu.domain.booking import Contact, DocaInfo, DocoInfo, DocsInfo
from piu.domain.travel import Address

__all__ = [
    "CONTACT_KINDS",
    "ParseProblem",
    "ddmmmyy",
    "ddmmyy",
    "decode_email",
    "encode_email",
    "format_ddmmmyy",
    "format_doca",
    "format_doco",
    "format_docs",
    "hhmm",
    "osi_contact",
    "parse_doca",
    "parse_doco",
    "parse_docs",
]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_NO = {m: i for i, m in enumerate(_MONTHS, 1)}

# CTC letter -> contact kind (AIRIMP 3.16: E e-mail, M mobile, H home, B business,
# T travel agency, A agency, R refused/other contact as sent).
CONTACT_KINDS = {
    "E": "email",
    "M": "mobile",
    "H": "home",
    "B": "business",
    "T": "agency",
    "A": "agency",
    "R": "phone",
    "P": "phone",
}
_OSI_CTC = re.compile(r"^\s*(?:([A-Z0-9]{2})\s+)?CTC\s?([A-Z])\b\s*(.*)$", re.DOTALL)


class ParseProblem(ValueError):  # noqa: N818 - a value problem, caught internally
    """A free-text field could not be read as its grammar says; the message says why."""


def ddmmyy(value: str) -> date:
    """``DDMMYY`` (PNRGOV DAT, TVL, RCI dates) as a date in 2000-2099."""
    if len(value) != 6 or not value.isdigit():
        raise ParseProblem(f"date {value!r} is not DDMMYY")
    try:
        return date(2000 + int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        raise ParseProblem(f"date {value!r} is not a calendar date") from None


def hhmm(value: str) -> time:
    """``HHMM`` or ``HHMMSS`` as a time."""
    if len(value) not in (4, 6) or not value.isdigit():
        raise ParseProblem(f"time {value!r} is not HHMM")
    try:
        return time(int(value[:2]), int(value[2:4]), int(value[4:6] or 0))
    except ValueError:
        raise ParseProblem(f"time {value!r} is not a time of day") from None


def ddmmmyy(value: str, *, past_of: date | None = None) -> date:
    """``DDMMMYY`` (``12JUL64``). With ``past_of`` (birth dates) a year after that date
    means the previous century; otherwise 20YY."""
    v = value.strip().upper()
    if len(v) != 7 or not v[:2].isdigit() or not v[5:].isdigit() or v[2:5] not in _MONTH_NO:
        raise ParseProblem(f"date {value!r} is not DDMMMYY")
    year = 2000 + int(v[5:])
    try:
        d = date(year, _MONTH_NO[v[2:5]], int(v[:2]))
        if past_of is not None and d > past_of:
            d = d.replace(year=year - 100)
    except ValueError:
        raise ParseProblem(f"date {value!r} is not a calendar date") from None
    return d


def format_ddmmmyy(d: date) -> str:
    return f"{d.day:02d}{_MONTHS[d.month - 1]}{d.year % 100:02d}"


def _is_ddmmmyy(value: str) -> bool:
    try:
        ddmmmyy(value)
    except ParseProblem:
        return False
    return True


def _fields(text: str, what: str, notes: list[str]) -> list[str]:
    t = text.strip()
    if t.startswith("/"):
        return t[1:].split("/")
    notes.append(f"{what} text does not start with '/'; read from its first character")
    return t.split("/")


def _at(fields: list[str], i: int) -> str | None:
    if 0 <= i < len(fields):
        v = fields[i].strip()
        return v or None
    return None


def parse_docs(text: str, *, today: date) -> tuple[DocsInfo, list[str]]:
    """A DOCS free text as :class:`DocsInfo` plus the tolerances taken (warnings)."""
    notes: list[str] = []
    f = _fields(text, "DOCS", notes)
    shift = 0
    if not (_at(f, 4) and _is_ddmmmyy(f[4].strip())):
        for delta in (1, -1, 2):
            v = _at(f, 4 + delta)
            if v and _is_ddmmmyy(v):
                shift = delta
                notes.append(
                    f"DOCS fields shifted by {delta:+d} (birth date found at field "
                    f"{5 + delta}, not 5); read them back in place"
                )
                break
    if shift > 0:
        # extra fields before the birth date: drop the empty ones nearest to it
        head, tail = f[: 4 + shift], f[4 + shift :]
        for _ in range(shift):
            empty = [i for i, v in enumerate(head) if not v.strip()]
            del head[empty[-1] if empty else 3]
        f = head + tail
    elif shift < 0:
        f = f[:3] + [""] * (-shift) + f[3:]
    info = DocsInfo(
        doc_type=_at(f, 0),
        issuing_state=_at(f, 1),
        number=_at(f, 2),
        nationality=_at(f, 3),
        gender=_at(f, 5),
        surname=_at(f, 7),
        given_names=_at(f, 8),
        middle_names=_at(f, 9),
        holder=_at(f, 10),
    )
    if len(f) > 11 and any(x.strip() for x in f[11:]):
        notes.append(f"DOCS has {len(f)} fields, at most 11 defined; the rest is not kept")
    dob, exp = _at(f, 4), _at(f, 6)
    if dob:
        try:
            info.date_of_birth = ddmmmyy(dob, past_of=today)
        except ParseProblem as exc:
            notes.append(f"DOCS birth date: {exc}; not kept")
    if exp:
        try:
            info.expiry = ddmmmyy(exp)
        except ParseProblem as exc:
            notes.append(f"DOCS expiry: {exc}; not kept")
    return info, notes


def format_docs(d: DocsInfo) -> str:
    """The canonical DOCS text for ``d`` (trailing empty fields left out)."""
    fields = [
        d.doc_type,
        d.issuing_state,
        d.number,
        d.nationality,
        format_ddmmmyy(d.date_of_birth) if d.date_of_birth else None,
        d.gender,
        format_ddmmmyy(d.expiry) if d.expiry else None,
        d.surname,
        d.given_names,
        d.middle_names,
        d.holder,
    ]
    return _join(fields)


def _join(fields: list[str | None]) -> str:
    parts = [x or "" for x in fields]
    while parts and not parts[-1]:
        parts.pop()
    return "/" + "/".join(parts)


def parse_doco(text: str) -> tuple[DocoInfo, list[str]]:
    notes: list[str] = []
    f = _fields(text, "DOCO", notes)
    info = DocoInfo(
        birth_place=_at(f, 0),
        doc_type=_at(f, 1),
        number=_at(f, 2),
        issue_place=_at(f, 3),
        applicable_country=_at(f, 5),
        infant=_at(f, 6) == "I",
    )
    issued = _at(f, 4)
    if issued:
        try:
            info.issued = ddmmmyy(issued)
        except ParseProblem as exc:
            notes.append(f"DOCO issue date: {exc}; not kept")
    return info, notes


def format_doco(d: DocoInfo) -> str:
    return _join(
        [
            d.birth_place,
            d.doc_type,
            d.number,
            d.issue_place,
            format_ddmmmyy(d.issued) if d.issued else None,
            d.applicable_country,
            "I" if d.infant else None,
        ]
    )


def parse_doca(text: str) -> tuple[DocaInfo, list[str]]:
    notes: list[str] = []
    f = _fields(text, "DOCA", notes)
    info = DocaInfo(
        address_type=_at(f, 0),
        address=Address(
            country=_at(f, 1),
            street=_at(f, 2),
            city=_at(f, 3),
            region=_at(f, 4),
            postcode=_at(f, 5),
        ),
        infant=_at(f, 6) == "I",
    )
    return info, notes


def format_doca(d: DocaInfo) -> str:
    a = d.address
    return _join(
        [
            d.address_type,
            a.country,
            a.street,
            a.city,
            a.region,
            a.postcode,
            "I" if d.infant else None,
        ]
    )


def decode_email(raw: str) -> str:
    """AIRIMP e-mail transport form to the address (``A..B//X.COM`` -> ``A_B@X.COM``)."""
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        pair = raw[i : i + 2]
        if pair == "//":
            out.append("@")
            i += 2
        elif pair == "..":
            out.append("_")
            i += 2
        elif pair == "./":
            out.append("-")
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def encode_email(value: str) -> str:
    return value.replace("-", "./").replace("_", "..").replace("@", "//")


def osi_contact(text: str, carrier: str | None) -> Contact | None:
    """The contact in an OSI line (``CTCE ...``, ``CTC M ...``, ``YY CTCM ...``), if any."""
    m = _OSI_CTC.match(text)
    if m is None:
        return None
    letter = m.group(2)
    kind = CONTACT_KINDS.get(letter)
    if kind is None:
        return None
    value = m.group(3).strip()
    if not value:
        return None
    return Contact(
        kind=kind,
        value=decode_email(value) if kind == "email" else value,
        source=f"OSI CTC{letter}",
        carrier=carrier or m.group(1),
    )


def datetime_of(day: str | None, clock: str | None) -> datetime | None:
    """DDMMYY and optional HHMM as a naive datetime; raises :class:`ParseProblem`."""
    if not day:
        return None
    d = ddmmyy(day)
    return datetime.combine(d, hhmm(clock) if clock else time())

"""PAXLST code lists and value rules shared by the reader and the writer.

Why one module: a round trip only holds if the writer chooses its formats with exactly the
rules the reader applies (two-digit years, bag tag runs, flight designators). Each rule
cites where it comes from: the WCO/IATA/ICAO PAXLST MIG v3.0 (2010, D05B), the UN/EDIFACT
D05B code lists (DE 2005, 2379, 3035, 1001) and what airline samples actually contain.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from piu.domain.travel import FlightStatus, ListKind, TravellerRole

__all__ = [
    "MAX_BAG_RUN",
    "QUALIFIER_BY_ROLE",
    "ROLE_BY_QUALIFIER",
    "SUBCODE_BY_STATUS",
    "DateRuleError",
    "compress_tags",
    "dob",
    "doc_date",
    "expand_tags",
    "format_dob",
    "format_doc_date",
    "format_issue_date",
    "format_number",
    "format_stop_time",
    "format_unb_date",
    "issue_date",
    "kind_for",
    "parse_count",
    "parse_number",
    "reference_date",
    "split_flight",
    "status_for",
    "stop_time",
    "unb_datetime",
]

# NAD party function code qualifier (DE 3035) for Gr4, PAXLST MIG v3.0 Gr4 NAD.
ROLE_BY_QUALIFIER: dict[str, TravellerRole] = {
    "FL": TravellerRole.PASSENGER,
    "FM": TravellerRole.CREW,
    "DDU": TravellerRole.TRANSIT_PASSENGER,
    "DDT": TravellerRole.TRANSIT_CREW,
}
QUALIFIER_BY_ROLE: dict[TravellerRole, str] = {v: k for k, v in ROLE_BY_QUALIFIER.items()}

# BGM document name code (DE 1001) as used in PAXLST MIG v3.0 and the US CBP guide.
_KIND_BY_CODE: dict[str, ListKind] = {
    "745": ListKind.PASSENGERS,
    "250": ListKind.CREW,
    "336": ListKind.CREW,  # master crew list (US)
    "266": ListKind.FLIGHT_STATUS,
}

# BGM 266 sub-codes (BGM element 2, DE 1004) for flight status notices (iAPI / US CBP).
_STATUS_BY_SUBCODE: dict[str, FlightStatus] = {
    "CL": FlightStatus.CLOSED,
    "CLOB": FlightStatus.CLOSED_ON_BOARD,
    "CLNB": FlightStatus.CLOSED_NOT_ON_BOARD,
    "XF": FlightStatus.CANCELLED,
    "CF": FlightStatus.CHANGED,
}
SUBCODE_BY_STATUS: dict[FlightStatus, str] = {v: k for k, v in _STATUS_BY_SUBCODE.items()}

MAX_BAG_RUN = 99
"""Longest ``FTX+BAG+++first:count`` run expanded into single tags (a bigger count is
implausible for one traveller and would let a message allocate without bound)."""


class DateRuleError(ValueError):
    """A date or number that breaks the rule; the reader adds the segment position."""


def kind_for(code: str) -> ListKind:
    return _KIND_BY_CODE.get(code, ListKind.OTHER)


def status_for(code: str, subcode: str | None) -> FlightStatus | None:
    """Flight status of a BGM 266 notice; ``None`` for lists and unknown sub-codes."""
    if code != "266" or subcode is None:
        return None
    return _STATUS_BY_SUBCODE.get(subcode)


# --------------------------------------------------------------------------- flights

_BARE_NUMBER = re.compile(r"\d{1,5}[A-Z]?")


def _designator(flight_id: str) -> tuple[str, str]:
    """Split ``"LA532"`` into ``("LA", "532")``.

    IATA airline designators are two characters, letters or digits (``U2``, ``9W``), so
    ``"U2123"`` is U2 flight 123. A flight number is digits with an optional letter suffix,
    so three leading letters followed by a digit can only be an ICAO designator (``DLH400``).
    """
    fid = flight_id.strip()
    if len(fid) > 3 and fid[:3].isascii() and fid[:3].isalpha() and fid[3].isdigit():
        return fid[:3], fid[3:].strip()
    return fid[:2], fid[2:].strip()


def split_flight(flight_id: str, carrier: str | None) -> tuple[str, str]:
    """Carrier and flight number from TDT element 2 and the carrier of element 5 (C040).

    The carrier element wins when present (PAXLST MIG v3.0 Gr2 TDT: "carrier code");
    otherwise the designator is taken from the flight identifier.
    """
    fid = flight_id.strip()
    if carrier:
        if fid.startswith(carrier):
            return carrier, fid[len(carrier) :].strip()
        if _BARE_NUMBER.match(fid):  # "TDT+20+123+++BA": the number alone
            return carrier, fid
        return carrier, _designator(fid)[1]
    return _designator(fid)


# --------------------------------------------------------------------------- dates
# DE 2379 date/time format codes: 101 YYMMDD, 102 CCYYMMDD, 201 YYMMDDHHMM,
# 203 CCYYMMDDHHMM. PAXLST MIG v3.0 writes DTM+329 and DTM+36 as YYMMDD without a code.


def _digits(value: str, what: str, lengths: tuple[int, ...]) -> str:
    if len(value) in lengths and value.isdigit() and value.isascii():
        return value  # the common case, without copying
    v = value.strip()
    if not (v.isascii() and v.isdigit() and len(v) in lengths):
        forms = " or ".join(str(n) for n in lengths)
        raise DateRuleError(f"{what} {value!r} is not {forms} digits")
    return v


def _ymd(year: int, month: int, day: int, what: str, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateRuleError(f"{what} {raw!r} is not a valid date") from None


def _full_or_short(value: str, what: str) -> tuple[int | None, int, int, int]:
    """``(yyyy, yyyy, mm, dd)`` from 8 digits, ``(None, yy, mm, dd)`` from 6."""
    v = _digits(value, what, (6, 8))
    if len(v) == 8:
        return int(v[:4]), int(v[:4]), int(v[4:6]), int(v[6:8])
    return None, int(v[:2]), int(v[2:4]), int(v[4:6])


def dob(value: str, reference: date) -> date:
    """DTM+329 date of birth: YYMMDD, or CCYYMMDD (format 102).

    Two-digit years: 20YY unless that is after ``reference`` (the message date), then 19YY.
    """
    if len(value) == 6 and value.isdigit() and value.isascii():  # fast path: YYMMDD
        y, m, d = int(value[:2]), int(value[2:4]), int(value[4:])
        if 1 <= m <= 12 and 1 <= d <= 28:
            recent = date(2000 + y, m, d)
            return recent if recent <= reference else date(1900 + y, m, d)
    full, y, m, d = _full_or_short(value, "date of birth")
    if full is not None:
        return _ymd(full, m, d, "date of birth", value)
    guess: date | None
    try:
        guess = date(2000 + y, m, d)
    except ValueError:
        guess = None
    if guess is not None and guess <= reference:
        return guess
    return _ymd(1900 + y, m, d, "date of birth", value)


def doc_date(value: str) -> date:
    """DTM+36 document expiry: YYMMDD read as 20YY, or CCYYMMDD (102)."""
    if len(value) == 6 and value.isdigit() and value.isascii():  # fast path: YYMMDD
        m, d = int(value[2:4]), int(value[4:])
        if 1 <= m <= 12 and 1 <= d <= 28:
            return date(2000 + int(value[:2]), m, d)
    full, y, m, d = _full_or_short(value, "document date")
    return _ymd(full if full is not None else 2000 + y, m, d, "document date", value)


def issue_date(value: str, reference: date) -> date:
    """DTM+182 document issue: YYMMDD read as 20YY unless after ``reference``, then 19YY."""
    full, y, m, d = _full_or_short(value, "issue date")
    if full is not None:
        return _ymd(full, m, d, "issue date", value)
    guess: date | None
    try:
        guess = date(2000 + y, m, d)
    except ValueError:
        guess = None
    if guess is not None and guess <= reference:
        return guess
    return _ymd(1900 + y, m, d, "issue date", value)


def stop_time(value: str) -> datetime:
    """Gr3 DTM+189/232: YYMMDDHHMM (201, years 20YY) or CCYYMMDDHHMM (203)."""
    v = _digits(value, "date/time", (10, 12))
    if len(v) == 10:
        year, rest = 2000 + int(v[:2]), v[2:]
    else:
        year, rest = int(v[:4]), v[4:]
    try:
        return datetime(year, int(rest[0:2]), int(rest[2:4]), int(rest[4:6]), int(rest[6:8]))
    except ValueError:
        raise DateRuleError(f"date/time {value!r} is not a valid date and time") from None


def unb_datetime(day: str, time: str | None) -> datetime:
    """UNB S004: YYMMDD (syntax 3, years 20YY) or CCYYMMDD (syntax 4), and HHMM."""
    full, y, m, d = _full_or_short(day, "interchange date")
    year = full if full is not None else 2000 + y
    hh = mm = 0
    if time:
        t = _digits(time, "interchange time", (4,))
        hh, mm = int(t[:2]), int(t[2:])
    try:
        return datetime(year, m, d, hh, mm)
    except ValueError:
        raise DateRuleError(f"interchange date/time {day}:{time} is not valid") from None


def reference_date(prepared_at: datetime | None) -> date:
    """The date two-digit birth and issue years are judged against: the interchange date
    (UNB) when known, else today (UTC). A person cannot be born after the message."""
    return prepared_at.date() if prepared_at else datetime.now(UTC).date()


def _six(d: date) -> str:
    return f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"


def _eight(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def format_dob(d: date, reference: date) -> tuple[str, str | None]:
    """(value, format code) for DTM+329: YYMMDD when :func:`dob` reads it back as ``d``."""
    six = _six(d)
    try:
        if dob(six, reference) == d:
            return six, None
    except DateRuleError:
        pass
    return _eight(d), "102"


def format_doc_date(d: date) -> tuple[str, str | None]:
    if 2000 <= d.year <= 2099:
        return _six(d), None
    return _eight(d), "102"


def format_issue_date(d: date, reference: date) -> tuple[str, str | None]:
    six = _six(d)
    try:
        if issue_date(six, reference) == d:
            return six, None
    except DateRuleError:
        pass
    return _eight(d), "102"


def format_stop_time(t: datetime) -> tuple[str, str]:
    hhmm = f"{t.hour:02d}{t.minute:02d}"
    if 2000 <= t.year <= 2099:
        return _six(t.date()) + hhmm, "201"
    return _eight(t.date()) + hhmm, "203"


def format_unb_date(t: datetime) -> tuple[str, str]:
    day = _six(t.date()) if 2000 <= t.year <= 2099 else _eight(t.date())
    return day, f"{t.hour:02d}{t.minute:02d}"


# --------------------------------------------------------------------------- numbers


def parse_number(value: str, decimal: str) -> float:
    """A measurement value; the UNA decimal mark and ``.`` are both accepted."""
    if value.isdigit() and value.isascii():  # fast path: a whole number
        return float(int(value))
    v = value.strip().replace(decimal, ".")
    try:
        number = float(v)
    except ValueError:
        raise DateRuleError(f"{value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise DateRuleError(f"{value!r} is not a finite number")
    return number


def parse_count(value: str, decimal: str) -> int:
    if value.isdigit() and value.isascii():  # fast path
        return int(value)
    number = parse_number(value, decimal)
    if not number.is_integer() or number < 0:
        raise DateRuleError(f"{value!r} is not a whole non-negative count")
    return int(number)


def format_number(x: float, decimal: str) -> str:
    """Shortest text that reads back as ``x`` (``13`` for 13.0)."""
    text = str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return text.replace(".", decimal) if decimal != "." else text


# --------------------------------------------------------------------------- bag tags


def _numeric(tag: str) -> bool:
    return tag.isascii() and tag.isdigit()


def expand_tags(first: str, count: str | None) -> tuple[list[str], str | None]:
    """Tags of ``FTX+BAG+++first:count`` and a warning when they cannot all be listed.

    D05B-era guides give the first tag number and the number of consecutive tags; we list
    every tag (zero-padded to the width of the first) so a search for any bag tag finds the
    traveller. :func:`compress_tags` turns such runs back into ``first:count``.
    """
    if not count:
        return [first], None
    if not (count.isascii() and count.isdigit()):
        return [first], f"bag tag count {count!r} is not a number; first tag kept"
    n = int(count)
    if n <= 1:
        return [first], None
    if not _numeric(first):
        return [first], f"bag tag {first!r} is not numeric; {n} consecutive tags not listed"
    if n > MAX_BAG_RUN:
        return [first], f"bag tag run of {n} is over {MAX_BAG_RUN}; first tag kept"
    width = len(first)
    start = int(first)
    return [str(start + i).zfill(width) for i in range(n)], None


def compress_tags(tags: list[str]) -> list[tuple[str, int]]:
    """Runs of consecutive numeric tags as ``(first, count)``, the inverse of expand."""
    runs: list[tuple[str, int]] = []
    i = 0
    while i < len(tags):
        first = tags[i]
        count = 1
        if _numeric(first):
            start, width = int(first), len(first)
            while (
                i + count < len(tags)
                and count < MAX_BAG_RUN
                and tags[i + count] == str(start + count).zfill(width)
            ):
                count += 1
        runs.append((first, count))
        i += count
    return runs

"""Read the dates of birth lists print, in all their shapes, as :class:`DateOfBirth`.

Shapes seen in the corpus:

* ISO ``1965-01-31``, ``1965-01``, ``1965`` (UN ``DATE``/``YEAR``, Canada, OFAC XML year);
* day-month-year with a month word: ``19 Jun 1951`` (OFAC remarks, ``dd Mon yyyy``),
  ``4 Apr. 1944``, ``2 December 1985`` (EU annexes), ``Jan 1970``;
* numeric day-first: ``28.2.1970`` (EU), ``13-07-1989`` / ``13/07/1989`` (UAE, Interpol
  uses ``1999/01/23`` year-first);
* approximate: ``circa 1970``, ``Approximately 1952``, ``ca. 1970`` -> a range of
  :data:`CIRCA_YEARS` either side, because ``DateOfBirth`` has no "about" flag and the
  screening core already treats a range as "agrees if inside";
* ranges: ``1960 to 1965``, ``1960..1965`` (PIU CSV), ``Between 1960 and 1965``,
  ``circa 1963-1965``,
  ``01 Jan 1960 to 31 Dec 1962`` (kept as a year range).

A text that yields nothing is reported by the caller as a warning, never as a refusal.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import DateOfBirth

__all__ = ["CIRCA_YEARS", "parse_dob", "parse_dobs"]

#: How many years either side of an approximate ("circa") year the range spans.
CIRCA_YEARS = 1

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}

_Y = r"(?P<y>(?:1[89]|20)\d\d)"
_ISO = re.compile(rf"^{_Y}(?:-(?P<m>\d{{1,2}})(?:-(?P<d>\d{{1,2}}))?)?$")
_YFIRST = re.compile(rf"^{_Y}[/.](?P<m>\d{{1,2}})[/.](?P<d>\d{{1,2}})$")
_DFIRST = re.compile(rf"^(?P<d>\d{{1,2}})[./-](?P<m>\d{{1,2}})[./-]{_Y}$")
_WORDED = re.compile(rf"^(?:(?P<d>\d{{1,2}})\s+)?(?P<mon>[a-z]{{3,9}})(?:\.\s*|,?\s+){_Y}$", re.I)
_CIRCA = re.compile(
    r"^(?:circa|ca\.?|c\.|approximately|approx\.?|about|around|possibly|probably)\s+", re.I
)
_RANGE = re.compile(
    r"^(?:between\s+)?(?P<a>.+?)\s*(?:\bto\b|\band\b|\.\.|–|-(?=\s*\d{4}\s*$))\s*(?P<b>.+)$", re.I
)
_TRAIL = re.compile(r"\s*\(?(?:approximately|approx\.?|circa)\)?\s*$", re.I)


def _valid(y: int, m: int | None, d: int | None) -> DateOfBirth | None:
    if m is not None and not 1 <= m <= 12:
        return None
    if d is not None and m is not None:
        try:
            date(y, m, d)
        except ValueError:
            return None
    return DateOfBirth(y, m, d if m is not None else None)


def _single(text: str) -> DateOfBirth | None:
    t = text.strip().strip(".,;")
    for rx in (_ISO, _YFIRST, _DFIRST):
        m = rx.match(t)
        if m:
            return _valid(
                int(m["y"]),
                int(m["m"]) if m["m"] else None,
                int(m["d"]) if m["d"] else None,
            )
    m = _WORDED.match(t)
    if m:
        month = _MONTHS.get(m["mon"].casefold())
        if month is None:
            return None
        return _valid(int(m["y"]), month, int(m["d"]) if m["d"] else None)
    return None


def parse_dob(text: str) -> DateOfBirth | None:
    """One date, partial date, approximate year or range; ``None`` if unreadable."""
    t = " ".join((text or "").split()).strip(" .;,")
    if not t:
        return None
    approx = bool(_TRAIL.search(t))
    t = _TRAIL.sub("", t)
    if _CIRCA.match(t):
        approx = True
        t = _CIRCA.sub("", t)
    d = _single(t)
    if d is not None:
        if approx:
            return DateOfBirth(d.year - CIRCA_YEARS, year_to=d.year + CIRCA_YEARS)
        return d
    m = _RANGE.match(t)
    if m:
        a, b = _single(m["a"]), _single(m["b"])
        if a is not None and b is not None and b.year >= a.year:
            if a.year == b.year:
                if a.month is not None and a.month == b.month:
                    return DateOfBirth(a.year, a.month)
                return DateOfBirth(a.year)
            lo, hi = a.year, b.year
            if approx:
                lo, hi = lo - CIRCA_YEARS, hi + CIRCA_YEARS
            return DateOfBirth(lo, year_to=hi)
    return None


_ALTS = re.compile(
    r"\s*(?:\(?\b(?:[a-h]|i{1,3}|iv|vi{0,3})\)|\bor\b|;|,|/(?=\s*(?:\d|[a-z]{3})))\s*", re.I
)


def parse_dobs(text: str) -> tuple[list[DateOfBirth], list[str]]:
    """Several dates in one cell ("(a) 1.2.1970, (b) 1971", "1970 or 1971").

    Returns the dates read and the pieces that could not be read.
    """
    whole = parse_dob(text)
    if whole is not None:
        return [whole], []
    found: list[DateOfBirth] = []
    bad: list[str] = []
    for part in _ALTS.split(text or ""):
        part = part.split("(")[0].strip(' "().,') if not part.startswith("(") else part
        part = part.strip(' "().,')
        if not part:
            continue
        d = parse_dob(part)
        if d is None:
            bad.append(part)
        elif d not in found:
            found.append(d)
    return found, bad

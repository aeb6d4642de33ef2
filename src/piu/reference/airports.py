"""Airport time zones, so that local message times become UTC at ingest.

Why: API and PNR messages give times local to each airport (PAXLST MIG v3.0, DTM in Gr3:
"local time at the location"), and GTAS had a run of bugs from treating them as server time.
The data come from the ``airportsdata`` package (MIT licence, maintained, about 7,900 airports
with IATA codes and IANA time zone names); the IANA rules come from the system zoneinfo or
the ``tzdata`` package. The IATA table is loaded once, on first use (about 0.1 s); the ICAO
table only if a 4-letter code is ever asked for.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata

__all__ = ["country", "is_known", "name", "timezone", "to_utc"]


@functools.cache
def _table(code_type: str) -> dict[str, dict[str, object]]:
    return airportsdata.load(code_type)  # type: ignore[arg-type, return-value]


# Codes that airlines still send for airports whose IATA code changed, mapped to the code
# airportsdata now files them under. Manas (Bishkek) was FRU, from the Soviet name Frunze,
# and is BSZ in current data; Astana was TSE before NQZ. Both forms occur in real traffic.
FORMER_CODES = {"FRU": "BSZ", "TSE": "NQZ"}


def _record(code: str) -> dict[str, object] | None:
    code = code.strip().upper()
    if len(code) == 3:
        table = _table("IATA")
        return table.get(code) or table.get(FORMER_CODES.get(code, ""))
    if len(code) == 4:
        return _table("ICAO").get(code)
    return None


@functools.cache
def timezone(iata: str) -> ZoneInfo | None:
    """The IANA time zone of an airport by IATA code (or ICAO code), ``None`` if unknown."""
    record = _record(iata)
    if record is None:
        return None
    tz = record.get("tz")
    if not isinstance(tz, str) or not tz:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def to_utc(local: datetime, airport: str) -> datetime | None:
    """``local`` (naive, local time at ``airport``) as an aware UTC datetime, or ``None``
    when the airport is unknown. Ambiguous times in the autumn DST overlap take the first
    (daylight) reading, as ``zoneinfo`` does with ``fold=0``."""
    tz = timezone(airport)
    if tz is None:
        return None
    return local.replace(tzinfo=tz).astimezone(UTC)


def is_known(code: str) -> bool:
    """True when the code names an airport in the reference data."""
    return _record(code) is not None


def country(code: str) -> str | None:
    """ISO 3166 alpha-2 country of an airport, or ``None``."""
    record = _record(code)
    value = record.get("country") if record else None
    return value if isinstance(value, str) and value else None


def name(code: str) -> str | None:
    """The airport's name, or ``None``."""
    record = _record(code)
    value = record.get("name") if record else None
    return value if isinstance(value, str) and value else None

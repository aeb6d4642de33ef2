"""UN/EDIFACT PAXLST (Advance Passenger Information) <-> :class:`PassengerList`.

Reads the D02B and D05B layouts of the WCO/IATA/ICAO PAXLST Message Implementation Guide
(v3.0, 2010; v5.0 reads the same) and tolerates later directories; writes D05B. See
:mod:`piu.formats.paxlst._reader` for the segment table and what is an error or a warning.

Errors (all :class:`~piu.errors.FormatError`)::

    FormatError
    ├── EdifactSyntaxError      the bytes are not EDIFACT (from the tokenizer)
    ├── MessageStructureError   missing or misplaced segments, impossible values
    └── UnknownMessageType      a UNH that is not PAXLST

Choices a caller should know:

* Two-digit years: birth dates and issue dates are 20YY unless that is after the UNB date,
  then 19YY; expiry dates and flight times are 20YY.
* ``FTX+BAG+++2660009:2`` (first tag and count of consecutive tags) is expanded into
  ``["2660009", "2660010"]``; the writer compresses runs back into that form.
* Local flight times are converted to UTC with the airport's time zone
  (:func:`piu.reference.airports.to_utc`); an unknown airport leaves UTC empty with a warning.
* Traveller positions (``segment_index``/``offset``) and ``warnings`` describe the bytes
  read, so a round trip ``read(write(x))`` reproduces everything else.
"""

from piu.domain.travel import PassengerList as PassengerList
from piu.formats.paxlst._reader import read as read
from piu.formats.paxlst._writer import write as write

__all__ = ["PassengerList", "read", "write"]

"""UN/EDIFACT PNRGOV (Passenger Name Record push) <-> :class:`PnrPush`.

Reads PNRGOV 10.1 to 15.1 of the IATA/WCO/ICAO PNRGOV EDIFACT Implementation Guide (and
later versions with the 13.1 table, with a warning); writes 13.1. See
:mod:`piu.formats.pnrgov._reader` for the segment table and what is an error or a warning.

Errors (all :class:`~piu.errors.FormatError`)::

    FormatError
    ├── EdifactSyntaxError      the bytes are not EDIFACT (from the tokenizer)
    ├── MessageStructureError   missing or misplaced segments (PNR data before SRC, no UNT)
    └── UnknownMessageType      a UNH that is not PNRGOV

Choices a caller should know:

* One :class:`PnrPush` per UNH..UNT message. A push of many PNRs may span several messages
  (UNH sequence with C/F marks): :func:`reconcile` checks the level-0 EQN against the PNRs
  found across them, :func:`split` gives one push per PNR.
* Tolerant reading: everything a sender gets wrong that still has one meaning is read and
  reported as a warning string (``"segment N TAG: ..."``) on the push.
* TVL local times are converted to UTC with the airport's time zone; DAT times are kept as
  sent (UTC by the guide).
* Positions (``segment_index``/``offset`` on PNRs and travellers), ``warnings`` and
  ``filtering`` describe the bytes read, so ``read(write(x))`` reproduces everything else.
"""

from piu.domain.booking import Pnr as Pnr
from piu.domain.booking import PnrPush as PnrPush
from piu.formats.pnrgov._reader import read as read
from piu.formats.pnrgov._split import reconcile as reconcile
from piu.formats.pnrgov._split import split as split
from piu.formats.pnrgov._writer import write as write

__all__ = ["Pnr", "PnrPush", "read", "reconcile", "split", "write"]

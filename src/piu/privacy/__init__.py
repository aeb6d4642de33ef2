"""Privacy by design: data minimisation at ingest (EU Directive 2016/681 Art. 6(1), 13(4)).

:func:`minimise` prunes a :class:`~piu.domain.booking.PnrPush` to the Annex I data
elements without sensitive data and logs each removal (element and rule, never the value);
:func:`redact_raw` cuts the same data out of the raw PNRGOV EDIFACT bytes so the stored
message cannot bring them back. See :mod:`piu.privacy.minimise` for the lists and reasons.

:func:`redact_raw_xml` does the same for PNRGOV XML. Known gap: text inside XML elements
the reader does not read is kept in the stored raw message (EDIFACT drops unread
segments); see the notes in :mod:`piu.privacy.redact_xml`.
"""

from piu.privacy.minimise import ANNEX_I as ANNEX_I
from piu.privacy.minimise import DEFAULT_RULES as DEFAULT_RULES
from piu.privacy.minimise import NOT_LISTED as NOT_LISTED
from piu.privacy.minimise import Removal as Removal
from piu.privacy.minimise import SensitiveRules as SensitiveRules
from piu.privacy.minimise import minimise as minimise
from piu.privacy.minimise import redact_raw as redact_raw
from piu.privacy.redact_xml import redact_raw_xml as redact_raw_xml
from piu.privacy.rules_file import load_rules as load_rules

__all__ = [
    "ANNEX_I",
    "DEFAULT_RULES",
    "NOT_LISTED",
    "Removal",
    "SensitiveRules",
    "load_rules",
    "minimise",
    "redact_raw",
    "redact_raw_xml",
]

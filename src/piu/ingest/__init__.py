"""The one pipeline every door uses: receive -> keep raw -> parse -> store.

HTTP push, the inbox folder, the CLI (and later the broker) all call :func:`receive`;
nothing else writes travel data (DESIGN principle 3).
"""

from piu.ingest.pipeline import receive, reprocess
from piu.ingest.result import ReceiveResult, ReceiveStatus

__all__ = ["ReceiveResult", "ReceiveStatus", "receive", "reprocess"]

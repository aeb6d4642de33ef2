"""PIU: an open Passenger Information Unit.

Receives airline passenger data (API as UN/EDIFACT PAXLST, later PNR), keeps every message
verbatim, parses it into flights and travellers, and serves it to analysts. See
``docs/dev/architecture.md`` for the map of the tree.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]

"""A push split per PNR, and EQN reconciliation across the messages of one push.

Why: a carrier may spread one push (one flight, one time window) over several UNH messages
(PNRGOV IG 13.1, UNH S010 sequence of transfers: ``01:C`` ... ``05:F``); the level-0 EQN
counts the PNRs of the whole push, so a shortfall can only be seen across messages. The
store keeps one version per booking, so ingest wants one push per PNR.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from piu.domain.booking import PnrPush

__all__ = ["push_key", "reconcile", "split"]


def push_key(push: PnrPush) -> tuple[object, ...]:
    """What identifies one push across its messages: sender, common access reference,
    reported flight and its departure date, and full/update type."""
    f = push.flight
    return (
        push.sender,
        push.common_access_ref,
        f.marketing_carrier if f else None,
        f.flight_number if f else None,
        f.departure_date if f else None,
        push.push_type,
    )


def split(push: PnrPush) -> list[PnrPush]:
    """One push per PNR, each with the header facts of ``push`` (warnings and filtering
    log are copied to each: they describe the message the PNR came in)."""
    return [
        dataclasses.replace(
            push, pnrs=[pnr], warnings=list(push.warnings), filtering=list(push.filtering)
        )
        for pnr in push.pnrs
    ]


def reconcile(pushes: Iterable[PnrPush]) -> list[str]:
    """Compare each push's declared EQN with the PNRs found over all its messages.

    Returns one warning per push whose total differs (and appends it to the last message
    of that push); a shortfall is called so. Messages without EQN are not counted against.
    """
    groups: dict[tuple[object, ...], list[PnrPush]] = {}
    for p in pushes:
        groups.setdefault(push_key(p), []).append(p)
    out = []
    for members in groups.values():
        declared = {p.declared_pnrs for p in members if p.declared_pnrs is not None}
        if not declared:
            continue
        found = sum(len(p.pnrs) for p in members)
        want = max(declared)
        text = None
        if len(declared) > 1:
            text = f"the messages of this push declare different EQN counts {sorted(declared)}"
        elif found < want:
            text = (
                f"shortfall: declared {want} PNRs (EQN), found {found} in {len(members)} message(s)"
            )
        elif found > want:
            text = f"declared {want} PNRs (EQN), found {found} in {len(members)} message(s)"
        if text:
            members[-1].warnings.append(f"push: {text}")
            out.append(text)
    return out

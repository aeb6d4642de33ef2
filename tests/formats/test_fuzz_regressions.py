"""Inputs the fuzz tests found once, kept so the fixes stay fixed."""

from __future__ import annotations

from piu.formats import paxlst, pnrgov
from tests.fixtures.messages import paxlst as make_paxlst


def test_an_unreadable_bag_count_leaves_no_empty_bag_record() -> None:
    # A lost terminator glues FTX onto MEA: the count is unreadable and is skipped,
    # which must not leave an empty BagInfo behind (the writer would drop it).
    raw = make_paxlst().replace(b"ATT+2++M'", b"ATT+2++M'\nMEA+CT++\nFTX+BAG+++0099:2'")
    [pl] = paxlst.read(raw)
    assert pl.travellers[0].bags is None
    assert any("MEA" in w for w in pl.warnings)
    [back] = paxlst.read(paxlst.write(pl))
    assert back.travellers[0].bags is None


def test_a_push_without_a_version_round_trips_without_one() -> None:
    raw = (
        b"UNB+IATA:1+UA++180928:1120+1'UNH+1+PNRGOV+13:1:IA+9'MSG+:22'"
        b"TVL+280918:1220:1505+FRA+IAD+UA+988'EQN+1'SRC'RCI+UA:7C789A'"
        b"TIF+LOBB+MOLLY MRS:A:1'UNT+9+1'UNZ+1+1'"
    )
    [push] = pnrgov.read(raw)
    assert push.version is None
    [again] = pnrgov.read(pnrgov.write([push]))
    assert again.version is None and again.common_access_ref == push.common_access_ref

"""The one pipeline: raw kept first, duplicates recognised, rejects kept with their error."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from piu.ingest import receive, reprocess
from piu.store.schema import flights, messages, receipts, travellers
from tests.fixtures.messages import paxlst


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]


def test_new_message_is_kept_verbatim_then_stored(engine: Engine) -> None:
    raw = paxlst()
    result = receive(engine, raw, sender="KC", channel="http", origin="10.0.0.5")
    assert result.status == "stored" and result.msg_type == "paxlst"
    assert result.travellers == 1 and len(result.flight_ids) == 1
    with engine.connect() as conn:
        row = conn.execute(select(messages)).one()
    assert bytes(row.raw) == raw and row.status == "stored" and row.sender == "KC"
    assert row.sha256 == result.sha256 and row.traveller_count == 1


def test_repeat_delivery_is_a_duplicate_and_changes_nothing(engine: Engine) -> None:
    raw = paxlst()
    first = receive(engine, raw, sender="KC", channel="http")
    again = receive(engine, raw, sender="KC", channel="inbox")
    assert again.status == "duplicate" and again.message_id == first.message_id
    assert again.travellers == 1
    assert _count(engine, messages) == 1
    assert _count(engine, receipts) == 2
    assert _count(engine, travellers) == 1
    with engine.connect() as conn:
        dup_flags = conn.execute(select(receipts.c.duplicate).order_by(receipts.c.id)).scalars()
        assert list(dup_flags) == [False, True]


def test_unparseable_message_is_kept_rejected_with_position(engine: Engine) -> None:
    raw = paxlst().replace(b"NAD+FL+++ASANOV:BAKYT'", b"NAD+FL+++:BAKYT'")
    result = receive(engine, raw, sender="KC", channel="cli")
    assert result.status == "rejected"
    assert result.error is not None
    assert result.error["tag"] == "NAD" and result.error["segment_index"] is not None
    with engine.connect() as conn:
        row = conn.execute(select(messages)).one()
    assert row.status == "rejected" and bytes(row.raw) == raw
    assert row.error["reason"] == result.error["reason"]
    assert _count(engine, travellers) == 0


def test_garbage_and_empty_bytes_are_kept_and_rejected(engine: Engine) -> None:
    for raw in (b"\x00\xff\xfe garbage", b""):
        result = receive(engine, raw, sender="x", channel="cli")
        assert result.status == "rejected" and result.msg_type == "unknown"
    assert _count(engine, messages) == 2


def test_later_lists_update_the_same_flight(engine: Engine) -> None:
    receive(engine, paxlst(ref="1"), sender="KC", channel="cli")
    two = [("ASANOV", "BAKYT", "800501", "AC1234567"), ("OSMONOVA", "ZHYLDYZ", "900109", "AC2")]
    receive(engine, paxlst(ref="2", travellers=two), sender="KC", channel="cli")
    crew = [("PILOT", "ONE", "750303", "CR1")]
    receive(
        engine, paxlst(ref="3", bgm="250", nad="FM", travellers=crew), sender="KC", channel="cli"
    )
    assert _count(engine, flights) == 1
    with engine.connect() as conn:
        f = conn.execute(select(flights)).one()
    assert (f.passenger_count, f.crew_count) == (2, 1)


def test_reprocess_turns_a_rejected_message_into_a_stored_one(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from piu.errors import MessageStructureError
    from piu.ingest import pipeline as rmod

    def broken(*_args: object) -> list:  # a parser bug, say
        raise MessageStructureError("simulated parser bug", segment_index=3, tag="BGM")

    monkeypatch.setitem(rmod.READERS, "paxlst", broken)
    first = receive(engine, paxlst(), sender="KC", channel="cli")
    assert first.status == "rejected"
    monkeypatch.undo()  # the fix ships
    results = list(reprocess(engine))
    assert [r.status for r in results] == ["stored"]
    assert _count(engine, travellers) == 1
    assert list(reprocess(engine)) == []  # nothing left to do

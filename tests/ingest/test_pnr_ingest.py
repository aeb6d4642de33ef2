"""PNR pushes: booking versions, one traveller across API and PNR, minimisation on receipt."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from piu.ingest import receive, reprocess
from piu.store.schema import (
    booking_travellers,
    booking_versions,
    bookings,
    flights,
    messages,
    travellers,
)
from tests.conftest import corpus_dir
from tests.fixtures.messages import paxlst, pnr_push


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]


def test_each_push_is_a_new_version_of_the_booking(engine: Engine) -> None:
    first = receive(engine, pnr_push(), sender="KC", channel="cli")
    assert (first.status, first.msg_type, first.bookings, first.travellers) == (
        "stored",
        "pnrgov",
        1,
        1,
    )
    second = receive(
        engine, pnr_push(last_modified="2611281200", ref="2"), sender="KC", channel="cli"
    )
    assert second.status == "stored"
    with engine.connect() as conn:
        booking = conn.execute(select(bookings)).one()
        versions = conn.execute(
            select(booking_versions.c.version, booking_versions.c.message_id).order_by(
                booking_versions.c.version
            )
        ).all()
    assert (booking.carrier, booking.locator, booking.current_version) == ("KC", "ABC123", 2)
    assert versions == [(1, first.message_id), (2, second.message_id)]
    assert _count(engine, travellers) == 1  # the same person, not a copy per push
    assert _count(engine, flights) == 1
    # Reprocessing a push finds its version again instead of adding one.
    list(reprocess(engine, statuses=None))
    assert _count(engine, booking_versions) == 2


def test_api_then_pnr_is_one_traveller_with_two_sources(engine: Engine) -> None:
    api = paxlst(travellers=[("ASANOV", "BAKYT", "800501", "AC1234567")])
    receive(engine, api, sender="KC", channel="cli")
    receive(
        engine,
        pnr_push(travellers=[("ASANOV", "BAKYT MR", None, None)]),
        sender="KC",
        channel="cli",
    )
    with engine.connect() as conn:
        [row] = conn.execute(select(travellers)).all()
        link = conn.execute(select(booking_travellers)).one()
    assert row.in_api and row.in_pnr
    # The API list carries no record locator here, so the name alone links, fuzzily ranked.
    assert link.traveller_id == row.id and link.link_method in ("fuzzy-name", "locator+name")


def test_pnr_then_api_claims_the_booked_traveller(engine: Engine) -> None:
    receive(
        engine,
        pnr_push(travellers=[("ASANOV", "BAKYT MR", "1980-05-01", None)]),
        sender="KC",
        channel="cli",
    )
    with engine.connect() as conn:
        booked = conn.execute(select(travellers)).one()
    assert booked.in_pnr and not booked.in_api and booked.list_status == "booked"
    receive(
        engine,
        paxlst(travellers=[("ASANOV", "BAKYT", "800501", "AC1234567")]),
        sender="KC",
        channel="cli",
    )
    with engine.connect() as conn:
        [row] = conn.execute(select(travellers)).all()
        link = conn.execute(select(booking_travellers)).one()
    assert row.id == booked.id and row.in_api and row.in_pnr
    assert link.link_method == "name+dob" and link.confidence == 0.98


def test_an_api_traveller_claimed_by_one_booking_is_not_linked_by_another(engine: Engine) -> None:
    receive(engine, paxlst(travellers=[("ASANOV", "BAKYT", "800501", "AC1234567")]),
            sender="KC", channel="cli")  # fmt: skip
    booked = [("ASANOV", "BAKYT MR", "1980-05-01", None)]
    receive(engine, pnr_push(travellers=booked), sender="KC", channel="cli")
    # another booking of the same name, in a later push or in the same one
    receive(engine, pnr_push(locator="XYZ789", travellers=booked), sender="KC", channel="cli")
    with engine.connect() as conn:
        links = conn.execute(
            select(bookings.c.locator, booking_travellers.c.link_method, travellers.c.in_api)
            .join(bookings, bookings.c.id == booking_travellers.c.booking_id)
            .join(travellers, travellers.c.id == booking_travellers.c.traveller_id)
            .order_by(bookings.c.locator)
        ).all()
    assert links == [("ABC123", "name+dob", True), ("XYZ789", "new", False)]


def test_two_travellers_of_the_same_name_are_never_merged(engine: Engine) -> None:
    twins = [("UULU", "TALANT", "000101", "AC1111111"), ("UULU", "TALANT", "010101", "AC2222222")]
    receive(engine, paxlst(travellers=twins), sender="KC", channel="cli")
    booked = [("UULU", "TALANT MR", None, None), ("UULU", "TALANT MR", None, None)]
    receive(engine, pnr_push(travellers=booked), sender="KC", channel="cli")
    with engine.connect() as conn:
        rows = conn.execute(select(travellers).order_by(travellers.c.id)).all()
        methods = sorted(conn.execute(select(booking_travellers.c.link_method)).scalars())
    # Nothing tells the two bookings apart: no API traveller absorbs them.
    assert methods == ["new", "new"]
    assert len(rows) == 4 and sum(r.in_api for r in rows) == 2
    # With dates of birth in the booking, each finds the right passenger.
    dated = [("UULU", "TALANT MR", "2001-01-01", None), ("UULU", "TALANT MR", "2000-01-01", None)]
    receive(engine, pnr_push(locator="XYZ789", travellers=dated), sender="KC", channel="cli")
    with engine.connect() as conn:
        links = conn.execute(
            select(booking_travellers.c.traveller_id, travellers.c.date_of_birth)
            .join(travellers, travellers.c.id == booking_travellers.c.traveller_id)
            .where(booking_travellers.c.link_method == "name+dob")
        ).all()
    assert len(links) == 2 and len({tid for tid, _ in links}) == 2


def test_sensitive_data_are_gone_from_the_stored_raw_and_the_booking(engine: Engine) -> None:
    raw = pnr_push(ssr_codes=("MOML", "WCHR"), osi="PAX NEEDS MUSLIM MEAL")
    assert b"MOML" in raw and b"MUSLIM" in raw
    result = receive(engine, raw, sender="KC", channel="cli")
    assert result.status == "stored"
    with engine.connect() as conn:
        msg = conn.execute(select(messages)).one()
        data = conn.execute(select(booking_versions.c.data)).scalar_one()
    stored = bytes(msg.raw)
    for secret in (b"MOML", b"WCHR", b"MUSLIM"):
        assert secret not in stored
    assert len(msg.filtering) == 3
    assert not any("MOML" in entry or "MUSLIM" in entry for entry in msg.filtering)
    assert "MOML" not in str(data) and "MUSLIM" not in str(data)
    # The duplicate check still knows the original bytes.
    assert receive(engine, raw, sender="KC", channel="http").status == "duplicate"
    # Reprocessing cannot bring them back.
    list(reprocess(engine, statuses=None))
    with engine.connect() as conn:
        assert b"MOML" not in bytes(conn.execute(select(messages.c.raw)).scalar_one())
        # ... and the log of what was removed on receipt survives it.
        assert conn.execute(select(messages.c.filtering)).scalar_one() == msg.filtering
        assert "MOML" not in str(conn.execute(select(booking_versions.c.data)).scalar_one())


def test_corpus_pushes_are_stored_with_their_pnr_counts(engine: Engine) -> None:
    root = corpus_dir("gtas", "gtas-parent", "gtas-parsers", "src", "test", "resources")
    path = root / "pnr-messages" / "pnrWithBags.txt"
    result = receive(engine, path.read_bytes(), sender="XX", channel="cli")
    assert result.status == "stored", result.error
    assert result.bookings == 127
    assert _count(engine, bookings) == 127

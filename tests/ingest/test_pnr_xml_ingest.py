"""PNRGOV XML pushes: sensitive data are deleted on receipt, from the stored raw too."""

from __future__ import annotations

from sqlalchemy import Engine, select

from piu.ingest import receive, reprocess
from piu.store.schema import booking_versions, messages
from tests.privacy.test_redact_xml import CUTS, PLANTED, SECRETS


def test_sensitive_data_are_gone_from_the_stored_raw_xml(engine: Engine) -> None:
    assert all(secret in PLANTED for secret in SECRETS)
    result = receive(engine, PLANTED, sender="KL", channel="cli")
    assert (result.status, result.msg_type, result.bookings) == ("stored", "pnrgov-xml", 2)
    with engine.connect() as conn:
        msg = conn.execute(select(messages)).one()
        versions = conn.execute(select(booking_versions.c.data)).scalars().all()
    stored = bytes(msg.raw)
    assert stored != PLANTED and b"ISLAM/OMAR" in stored  # redacted, not emptied
    for secret in SECRETS:
        assert secret not in stored, secret
        assert secret.decode() not in str(versions), secret
    # One entry per removal, naming element and rule, never the value.
    assert len(msg.filtering) == len(CUTS)
    assert all("removed (rule sensitive-" in entry for entry in msg.filtering)
    assert not any(s.decode() in entry for entry in msg.filtering for s in SECRETS)
    # The duplicate check still knows the bytes as received.
    again = receive(engine, PLANTED, sender="KL", channel="http")
    assert again.status == "duplicate" and again.message_id == result.message_id
    # Reprocessing the stored copy cannot bring them back.
    [redo] = reprocess(engine, statuses=None)
    assert redo.status == "stored"
    with engine.connect() as conn:
        assert bytes(conn.execute(select(messages.c.raw)).scalar_one()) == stored

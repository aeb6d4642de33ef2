"""The audit trail: hash chain, tamper detection, search, export, concurrent appends."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, select, update

from piu.store import audit
from piu.store.schema import audit_log

T0 = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def _fill(engine: Engine, n: int = 5) -> list[int]:
    ids = []
    with engine.begin() as conn:
        for i in range(n):
            ids.append(
                audit.record(
                    conn,
                    actor="aigul" if i % 2 else "bolat",
                    action="read.traveller",
                    subject_type="traveller",
                    subject_id=100 + i,
                    detail={"flight": 7, "names": ["ÄSEL", "Жанна"], "score": 0.25},
                    remote="10.0.0.1",
                    now=T0 + timedelta(minutes=i),
                )
            )
    return ids


def test_chain_links_each_entry_to_the_one_before(engine: Engine) -> None:
    ids = _fill(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id)).all()
    assert [r.id for r in rows] == ids
    assert rows[0].prev_hash == audit.GENESIS
    for before, row in itertools.pairwise(rows):
        assert row.prev_hash == before.hash
    assert rows[0].subject_id == "100"
    assert rows[0].at == T0
    assert rows[0].detail == {"flight": 7, "names": ["ÄSEL", "Жанна"], "score": 0.25}
    assert audit.verify(engine) == audit.VerifyResult(True, 5)


def test_empty_log_verifies(engine: Engine) -> None:
    assert audit.verify(engine) == audit.VerifyResult(True, 0)


def test_record_on_engine_uses_its_own_transaction(engine: Engine) -> None:
    entry_id = audit.record(engine, actor="cli", action="user.create", subject_id="x")
    assert audit.search(engine, action="user.create")[0].id == entry_id


def test_entry_rolls_back_with_its_transaction(engine: Engine) -> None:
    _fill(engine, 2)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.record(conn, actor="a", action="rule.draft")
        raise RuntimeError("the change failed")
    assert audit.verify(engine) == audit.VerifyResult(True, 2)
    _fill(engine, 1)
    assert audit.verify(engine).ok


CHANGES = [
    {"actor": "mallory"},
    {"action": "read.booking"},
    {"subject_type": "booking"},
    {"subject_id": "999"},
    {"detail": {"flight": 8}},
    {"remote": "192.168.1.1"},
    {"at": T0 + timedelta(seconds=1)},
]


def test_verify_detects_a_changed_field(engine: Engine) -> None:
    ids = _fill(engine)
    with engine.connect() as conn:
        original = conn.execute(select(audit_log).where(audit_log.c.id == ids[2])).one()
    for change in CHANGES:
        (field,) = change
        with engine.begin() as conn:
            conn.execute(update(audit_log).where(audit_log.c.id == ids[2]).values(**change))
        result = audit.verify(engine)
        assert (result.ok, result.first_bad_id) == (False, ids[2]), field
        assert "changed" in (result.reason or ""), field
        with engine.begin() as conn:
            conn.execute(
                update(audit_log)
                .where(audit_log.c.id == ids[2])
                .values({field: getattr(original, field)})
            )
        assert audit.verify(engine).ok, field


def test_verify_detects_a_deleted_entry(engine: Engine) -> None:
    ids = _fill(engine)
    with engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == ids[1]))
    result = audit.verify(engine)
    assert (result.ok, result.first_bad_id) == (False, ids[2])
    assert "deleted" in (result.reason or "")


def test_verify_detects_a_deleted_first_entry(engine: Engine) -> None:
    ids = _fill(engine)
    with engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == ids[0]))
    result = audit.verify(engine)
    assert (result.ok, result.first_bad_id) == (False, ids[1])


def test_verify_detects_a_swapped_order(engine: Engine) -> None:
    ids = _fill(engine)
    with engine.connect() as conn:
        a, b = (
            conn.execute(select(audit_log).where(audit_log.c.id == i)).one()._asdict()
            for i in (ids[1], ids[2])
        )
    with engine.begin() as conn:  # exchange the two rows' ids (through a free id)
        conn.execute(update(audit_log).where(audit_log.c.id == a["id"]).values(id=10_000))
        conn.execute(update(audit_log).where(audit_log.c.id == b["id"]).values(id=a["id"]))
        conn.execute(update(audit_log).where(audit_log.c.id == 10_000).values(id=b["id"]))
    result = audit.verify(engine)
    assert (result.ok, result.first_bad_id) == (False, ids[1])


def test_verify_detects_a_forged_entry(engine: Engine) -> None:
    """Someone who knows the scheme rewrites an entry and recomputes its hash: the next
    entry no longer follows it."""
    ids = _fill(engine)
    with engine.connect() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.id == ids[2])).one()
    forged = audit.entry_hash(
        row.prev_hash, row.at, "someone-else", row.action, row.subject_type, row.subject_id,
        row.detail, row.remote,
    )  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            update(audit_log)
            .where(audit_log.c.id == ids[2])
            .values(actor="someone-else", hash=forged)
        )
    result = audit.verify(engine)
    assert (result.ok, result.first_bad_id) == (False, ids[3])
    assert "prev_hash" in (result.reason or "")


def test_verify_detects_an_inserted_entry(engine: Engine) -> None:
    ids = _fill(engine)
    with engine.connect() as conn:
        last = conn.execute(select(audit_log).where(audit_log.c.id == ids[1])).one()
    at = T0 + timedelta(seconds=90)
    fake = audit.entry_hash(last.hash, at, "x", "read.traveller", None, None, {}, None)
    with engine.begin() as conn:  # a new entry claiming to follow ids[1], given a free id
        conn.execute(
            audit_log.insert().values(
                id=ids[4] + 1, at=at, actor="x", action="read.traveller", detail={},
                prev_hash=last.hash, hash=fake,
            )
        )  # fmt: skip
    result = audit.verify(engine)
    assert (result.ok, result.first_bad_id) == (False, ids[4] + 1)


def test_search_filters_newest_first(engine: Engine) -> None:
    ids = _fill(engine)
    audit.record(engine, actor="cli", action="rule.approve", subject_type="rule", subject_id="r1")
    assert [e.id for e in audit.search(engine, actor="aigul")] == [ids[3], ids[1]]
    assert [e.id for e in audit.search(engine, action="read.*")] == ids[::-1]
    assert [e.id for e in audit.search(engine, subject_type="traveller", subject_id=102)] == [
        ids[2]
    ]
    found = audit.search(engine, since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=3))
    assert [e.id for e in found] == [ids[2], ids[1]]
    assert [e.id for e in audit.search(engine, action="read.*", limit=2, offset=1)] == [
        ids[3],
        ids[2],
    ]


def test_export_yields_plain_dicts_oldest_first(engine: Engine) -> None:
    ids = _fill(engine, 3)
    with engine.connect() as conn:
        rows = list(audit.export(conn, actor="bolat"))
    assert [r["id"] for r in rows] == [ids[0], ids[2]]
    assert set(rows[0]) == set(audit.EXPORT_FIELDS)
    assert rows[0]["at"] == "2025-03-01T08:30:15.123456+00:00"
    assert rows[0]["prev_hash"] == audit.GENESIS


def test_concurrent_appends_keep_one_chain(engine: Engine) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(50):
                with engine.begin() as conn:
                    audit.record(conn, actor=f"w{n}", action="read.traveller", subject_id=i)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit.verify(engine) == audit.VerifyResult(True, 200)


def test_rule_lifecycle_and_account_changes_are_audited(engine: Engine) -> None:
    from piu.accounts import Role, create_token, create_user, revoke_token, set_active, set_roles
    from piu.store import rules as lifecycle

    with engine.begin() as conn:
        lifecycle.draft(
            conn,
            name="ist-route",
            expression="flight.origin = 'IST'",
            justification="A route that current threat assessments link to trafficking.",
            category="trafficking",
            severity="high",
            author="rita",
            now=T0,
        )
        lifecycle.submit(conn, "ist-route", None, by="rita", now=T0)
    with pytest.raises(lifecycle.RuleStateError), engine.begin() as conn:
        lifecycle.approve(conn, "ist-route", None, by="rita", now=T0)  # four eyes: refused
    with engine.begin() as conn:
        lifecycle.approve(conn, "ist-route", None, by="omar", now=T0)
    found = [(e.actor, e.action, e.subject_id) for e in audit.search(engine, action="rule.*")]
    assert found[::-1] == [
        ("rita", "rule.draft", "ist-route"),
        ("rita", "rule.submit", "ist-route"),
        ("omar", "rule.approve", "ist-route"),
    ]

    create_user(engine, "aigul", roles=[Role.ANALYST], password=None, actor="admin1")
    set_roles(engine, "aigul", [Role.SUPERVISOR], actor="admin1")
    token = create_token(engine, "aigul", "etl", actor="admin1")
    revoke_token(engine, token.id, actor="admin1")
    revoke_token(engine, token.id, actor="admin1")  # already revoked: nothing to record
    set_active(engine, "aigul", False)
    entries = audit.search(engine, subject_type="user", subject_id="aigul")[::-1]
    assert [(e.actor, e.action) for e in entries] == [
        ("admin1", "user.create"),
        ("admin1", "user.roles"),
        ("admin1", "token.create"),
        ("admin1", "token.revoke"),
        ("cli", "user.disable"),
    ]
    assert entries[1].detail == {"before": ["analyst"], "after": ["supervisor"]}
    assert token.token not in repr(entries)
    assert audit.verify(engine).ok

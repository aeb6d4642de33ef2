"""Targeting rules in the store: immutable versions and their reviewed lifecycle.

The law (EU PNR Directive as read in CJEU C-817/19; UN SCR 2396) wants criteria that are
written, justified and reviewed by people. So:

* a rule's text, justification, category, severity and validity never change once a
  version is written; any change is a new version, starting as a draft;
* ``draft -> submitted -> approved -> active -> retired`` (``submitted -> rejected`` too),
  each step recorded in ``rule_events`` with who and when;
* approval needs a second person: the approver may be neither the author nor the person
  who submitted (four eyes). Roles are checked by the caller (CLI, HTTP), who knows them;
* activating a version retires the rule's previously active version, so one rule has at
  most one active version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, case, func, select, update

from piu.errors import PiuError
from piu.store import audit
from piu.store.schema import hits, rule_events, rule_versions, rules

__all__ = [
    "SEVERITIES",
    "RuleStateError",
    "RuleVersion",
    "activate",
    "active_versions",
    "approve",
    "draft",
    "get_rule",
    "list_rules",
    "reject",
    "retire",
    "rule_exists",
    "rule_figures",
    "submit",
]

SEVERITIES = ("low", "medium", "high", "critical")

# action: (allowed from, to)
_TRANSITIONS = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "activate": ({"approved"}, "active"),
    "retire": ({"draft", "submitted", "approved", "active"}, "retired"),
}


class RuleStateError(PiuError):
    """A lifecycle step that is not allowed now (wrong state, same person, unknown rule)."""


@dataclass(frozen=True, slots=True)
class RuleVersion:
    id: int
    rule_id: int
    name: str
    version: int
    expression: str
    justification: str
    category: str
    severity: str
    valid_from: date | None
    valid_to: date | None
    author: str
    created_at: datetime
    status: str
    submitted_by: str | None
    approved_by: str | None


def _version_query() -> Any:
    return select(rule_versions, rules.c.name).join(rules, rules.c.id == rule_versions.c.rule_id)


def _as_version(row: Any) -> RuleVersion:
    return RuleVersion(
        id=row.id,
        rule_id=row.rule_id,
        name=row.name,
        version=row.version,
        expression=row.expression,
        justification=row.justification,
        category=row.category,
        severity=row.severity,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        author=row.author,
        created_at=row.created_at,
        status=row.status,
        submitted_by=row.submitted_by,
        approved_by=row.approved_by,
    )


def draft(
    conn: Connection,
    *,
    name: str,
    expression: str,
    justification: str,
    category: str,
    severity: str,
    author: str,
    now: datetime,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RuleVersion:
    """A new draft: the first version of rule ``name``, or its next version.

    The expression must pass :func:`piu.targeting.check` (syntax, catalogue, the
    non-discrimination check); a written justification is required.
    """
    from piu.targeting import check

    check(expression)  # raises RuleError (a PiuError) with the column
    if len(justification.strip()) < 20:
        raise RuleStateError(
            "a rule needs a written justification (at least a sentence) of why these "
            "criteria point to terrorism or serious crime"
        )
    if severity not in SEVERITIES:
        raise RuleStateError(f"severity must be one of {', '.join(SEVERITIES)}")
    if valid_from and valid_to and valid_to < valid_from:
        raise RuleStateError("valid_to is before valid_from")
    rule_id = conn.execute(select(rules.c.id).where(rules.c.name == name)).scalar()
    if rule_id is None:
        rule_id = conn.execute(
            rules.insert()
            .values(name=name, created_by=author, created_at=now)
            .returning(rules.c.id)
        ).scalar_one()
    last = conn.execute(
        select(func.max(rule_versions.c.version)).where(rule_versions.c.rule_id == rule_id)
    ).scalar()
    version_id = conn.execute(
        rule_versions.insert()
        .values(
            rule_id=rule_id,
            version=(last or 0) + 1,
            expression=expression.strip(),
            justification=justification.strip(),
            category=category,
            severity=severity,
            valid_from=valid_from,
            valid_to=valid_to,
            author=author,
            created_at=now,
            status="draft",
        )
        .returning(rule_versions.c.id)
    ).scalar_one()
    conn.execute(
        rule_events.insert().values(rule_version_id=version_id, at=now, by=author, action="draft")
    )
    version = _get_version(conn, version_id)
    audit.record(
        conn,
        actor=author,
        action="rule.draft",
        subject_type="rule",
        subject_id=name,
        detail={"version": version.version, "severity": severity, "category": category},
        now=now,
    )
    return version


def _get_version(conn: Connection, version_id: int) -> RuleVersion:
    return _as_version(conn.execute(_version_query().where(rule_versions.c.id == version_id)).one())


def _find(conn: Connection, name: str, version: int | None) -> RuleVersion:
    query = _version_query().where(rules.c.name == name)
    if version is None:
        query = query.order_by(rule_versions.c.version.desc()).limit(1)
    else:
        query = query.where(rule_versions.c.version == version)
    row = conn.execute(query).first()
    if row is None:
        known = list(conn.execute(select(rules.c.name).order_by(rules.c.name)).scalars())
        import difflib

        hint = difflib.get_close_matches(name, known, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        what = f"rule {name!r}" + (f" version {version}" if version is not None else "")
        raise RuleStateError(f"no {what}{extra}")
    return _as_version(row)


def _step(
    conn: Connection,
    action: str,
    name: str,
    version: int | None,
    by: str,
    now: datetime,
    note: str | None = None,
) -> RuleVersion:
    rv = _find(conn, name, version)
    allowed, target = _TRANSITIONS[action]
    if rv.status not in allowed:
        raise RuleStateError(
            f"{rv.name} v{rv.version} is {rv.status}; it cannot be {target} "
            f"(only from {', '.join(sorted(allowed))})"
        )
    values: dict[str, Any] = {"status": target}
    if action == "submit":
        values["submitted_by"] = by
    if action in ("approve", "reject"):
        if by in (rv.author, rv.submitted_by):
            raise RuleStateError(
                f"four eyes: {by} wrote or submitted {rv.name} v{rv.version}; "
                "another rule manager must review it"
            )
        values["approved_by"] = by if action == "approve" else None
    if action == "activate":
        today = now.date()
        if rv.valid_to and rv.valid_to < today:
            raise RuleStateError(f"{rv.name} v{rv.version} expired on {rv.valid_to}")
        for old in conn.execute(
            select(rule_versions.c.id).where(
                (rule_versions.c.rule_id == rv.rule_id)
                & (rule_versions.c.status == "active")
                & (rule_versions.c.id != rv.id)
            )
        ).scalars():
            conn.execute(
                update(rule_versions).where(rule_versions.c.id == old).values(status="retired")
            )
            conn.execute(
                rule_events.insert().values(
                    rule_version_id=old,
                    at=now,
                    by=by,
                    action="retire",
                    note=f"replaced by v{rv.version}",
                )
            )
    conn.execute(update(rule_versions).where(rule_versions.c.id == rv.id).values(**values))
    conn.execute(
        rule_events.insert().values(rule_version_id=rv.id, at=now, by=by, action=action, note=note)
    )
    detail: dict[str, Any] = {"version": rv.version, "from": rv.status, "to": target}
    if note:
        detail["note"] = note
    audit.record(
        conn,
        actor=by,
        action=f"rule.{action}",
        subject_type="rule",
        subject_id=rv.name,
        detail=detail,
        now=now,
    )
    return _get_version(conn, rv.id)


def submit(
    conn: Connection, name: str, version: int | None, *, by: str, now: datetime
) -> RuleVersion:
    return _step(conn, "submit", name, version, by, now)


def approve(
    conn: Connection, name: str, version: int | None, *, by: str, now: datetime
) -> RuleVersion:
    return _step(conn, "approve", name, version, by, now)


def reject(
    conn: Connection, name: str, version: int | None, *, by: str, now: datetime, note: str
) -> RuleVersion:
    return _step(conn, "reject", name, version, by, now, note)


def activate(
    conn: Connection, name: str, version: int | None, *, by: str, now: datetime
) -> RuleVersion:
    return _step(conn, "activate", name, version, by, now)


def retire(
    conn: Connection, name: str, version: int | None, *, by: str, now: datetime
) -> RuleVersion:
    return _step(conn, "retire", name, version, by, now)


def rule_exists(conn: Connection, name: str) -> bool:
    return conn.execute(select(rules.c.id).where(rules.c.name == name)).first() is not None


def list_rules(conn: Connection) -> list[RuleVersion]:
    """The latest version of every rule."""
    latest = (
        select(rule_versions.c.rule_id, func.max(rule_versions.c.version).label("v"))
        .group_by(rule_versions.c.rule_id)
        .subquery()
    )
    rows = conn.execute(
        _version_query()
        .join(
            latest,
            (latest.c.rule_id == rule_versions.c.rule_id) & (latest.c.v == rule_versions.c.version),
        )
        .order_by(rules.c.name)
    )
    return [_as_version(r) for r in rows]


def get_rule(conn: Connection, name: str) -> tuple[list[RuleVersion], list[dict[str, Any]]]:
    """Every version of a rule (newest first) and its lifecycle events."""
    _find(conn, name, None)
    versions = [
        _as_version(r)
        for r in conn.execute(
            _version_query().where(rules.c.name == name).order_by(rule_versions.c.version.desc())
        )
    ]
    events = [
        dict(r._mapping)
        for r in conn.execute(
            select(
                rule_versions.c.version,
                rule_events.c.at,
                rule_events.c.by,
                rule_events.c.action,
                rule_events.c.note,
            )
            .join(rule_versions, rule_versions.c.id == rule_events.c.rule_version_id)
            .join(rules, rules.c.id == rule_versions.c.rule_id)
            .where(rules.c.name == name)
            .order_by(rule_events.c.id)
        )
    ]
    return versions, events


def active_versions(conn: Connection, today: date) -> list[RuleVersion]:
    """Versions in force today: active and within their validity dates."""
    rows = conn.execute(
        _version_query()
        .where(
            (rule_versions.c.status == "active")
            & (rule_versions.c.valid_from.is_(None) | (rule_versions.c.valid_from <= today))
            & (rule_versions.c.valid_to.is_(None) | (rule_versions.c.valid_to >= today))
        )
        .order_by(rule_versions.c.id)
    )
    return [_as_version(r) for r in rows]


def rule_figures(conn: Connection, name: str) -> dict[str, Any]:
    """Live figures for a rule across its versions: hits by review outcome and precision
    (confirmed / reviewed), so rules that only raise false alarms are seen and retired."""
    row = conn.execute(
        select(
            func.count(hits.c.id),
            func.sum(case((hits.c.status == "confirmed", 1), else_=0)),
            func.sum(case((hits.c.status == "dismissed", 1), else_=0)),
            func.sum(case((hits.c.status == "open", 1), else_=0)),
        )
        .select_from(
            hits.join(rule_versions, rule_versions.c.id == hits.c.rule_version_id).join(
                rules, rules.c.id == rule_versions.c.rule_id
            )
        )
        .where(rules.c.name == name)
    ).one()
    total, confirmed, dismissed, open_ = (int(v or 0) for v in row)
    reviewed = confirmed + dismissed
    return {
        "hits": total,
        "open": open_,
        "confirmed": confirmed,
        "dismissed": dismissed,
        "precision": round(confirmed / reviewed, 3) if reviewed else None,
    }

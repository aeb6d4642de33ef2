"""The database schema, as SQLAlchemy Core tables (one MetaData for the whole system).

Migrations under ``migrations/`` are generated from this module and checked against it by
``tests/store/test_migrations.py`` (no drift). Rules that shape it:

* ``messages`` holds every distinct inbound message verbatim, keyed by SHA-256; each
  delivery, repeats included, is a row in ``receipts``. All travel data can be rebuilt from
  ``messages.raw`` (DESIGN principle 1).
* Travel tables carry provenance: which message first and last touched a row, and
  ``traveller_sources`` records every message and segment a traveller was read from.
* Times that are instants are stored as UTC (:class:`UTCDateTime`); times as the airline
  sent them (local at the airport) are kept beside them in ``*_local`` naive columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "api_tokens",
    "audit_log",
    "booking_travellers",
    "booking_versions",
    "bookings",
    "carriers",
    "case_attachments",
    "case_hits",
    "case_notes",
    "cases",
    "dissemination_exports",
    "disseminations",
    "documents",
    "false_matches",
    "flight_sources",
    "flight_stops",
    "flights",
    "hit_reviews",
    "hits",
    "messages",
    "metadata",
    "receipts",
    "rule_events",
    "rule_versions",
    "rules",
    "security_events",
    "traveller_sources",
    "travellers",
    "user_roles",
    "users",
    "watchlist_entries",
    "watchlist_imports",
    "watchlists",
]

# Stable constraint names so migrations are the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on every backend (SQLite has no time zones: store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime; got a naive one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Integer primary keys that are BIGINT on PostgreSQL but still INTEGER PRIMARY KEY (rowid
# alias, autoincrementing) on SQLite.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def _id() -> Column[int]:
    return Column("id", IdType, primary_key=True, autoincrement=True)


messages = Table(
    "messages",
    metadata,
    _id(),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", Integer, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),  # first delivery
    Column("sender", String(64), nullable=False),  # first sender
    Column("channel", String(16), nullable=False),  # http | inbox | cli | broker
    Column("msg_type", String(16), nullable=False, default="unknown"),
    # received -> stored | rejected; reprocessing moves between stored and rejected.
    Column("status", String(16), nullable=False, default="received"),
    Column("error", JSON, nullable=True),  # FormatError.as_dict() when rejected
    Column("warnings", JSON, nullable=False, default=list),
    Column("traveller_count", Integer, nullable=False, default=0),
    Column("booking_count", Integer, nullable=False, default=0),
    # Data minimisation log: which element was removed under which rule, never the value.
    Column("filtering", JSON, nullable=False, default=list),
    Column("processed_at", UTCDateTime, nullable=True),
    Column("parser_version", String(32), nullable=True),
    Index("ix_messages_status_received", "status", "received_at"),
    Index("ix_messages_received_at", "received_at"),
)

receipts = Table(
    "receipts",
    metadata,
    _id(),
    Column("message_id", ForeignKey("messages.id"), nullable=False, index=True),
    Column("received_at", UTCDateTime, nullable=False),
    Column("sender", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("origin", String(512), nullable=True),  # file name, remote address ...
    Column("duplicate", Boolean, nullable=False, default=False),
)

flights = Table(
    "flights",
    metadata,
    _id(),
    Column("carrier", String(3), nullable=False),
    Column("number", String(8), nullable=False),
    Column("flight_code", String(16), nullable=False),  # as transmitted, e.g. "KC109"
    Column("origin", String(3), nullable=False),
    Column("destination", String(3), nullable=False),
    # The airline's operating date: local date of departure at the origin. With carrier,
    # number and origin it identifies the flight across every list sent about it.
    Column("departure_date", Date, nullable=False),
    Column("departure_local", DateTime, nullable=True),
    Column("departure_utc", UTCDateTime, nullable=True),
    Column("arrival_local", DateTime, nullable=True),
    Column("arrival_utc", UTCDateTime, nullable=True),
    Column("overflight", Boolean, nullable=False, default=False),
    Column("status", String(24), nullable=False, default="scheduled"),
    Column("connections", JSON, nullable=False, default=list),  # other TDT groups sent
    Column("passenger_count", Integer, nullable=False, default=0),
    Column("crew_count", Integer, nullable=False, default=0),
    Column("first_message_id", ForeignKey("messages.id"), nullable=False),
    Column("last_message_id", ForeignKey("messages.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("carrier", "number", "origin", "departure_date", name="uq_flights_key"),
    Index("ix_flights_departure_utc", "departure_utc"),
)

flight_stops = Table(
    "flight_stops",
    metadata,
    _id(),
    Column("flight_id", ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("airport", String(5), nullable=False),
    Column("qualifier", String(3), nullable=False),
    Column("arrival_local", DateTime, nullable=True),
    Column("arrival_utc", UTCDateTime, nullable=True),
    Column("departure_local", DateTime, nullable=True),
    Column("departure_utc", UTCDateTime, nullable=True),
    UniqueConstraint("flight_id", "seq", name="uq_flight_stops_flight_seq"),
)

flight_sources = Table(
    "flight_sources",
    metadata,
    _id(),
    Column("flight_id", ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", ForeignKey("messages.id"), nullable=False, index=True),
    Column("list_kind", String(16), nullable=False),  # passengers | crew | flight_status
    Column("document_code", String(8), nullable=False),
    Column("document_subcode", String(8), nullable=True),
    Column("traveller_count", Integer, nullable=False, default=0),
    Column("received_at", UTCDateTime, nullable=False),
    UniqueConstraint("flight_id", "message_id", name="uq_flight_sources_flight_message"),
)

travellers = Table(
    "travellers",
    metadata,
    _id(),
    Column("flight_id", ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    # Identity of the traveller within the flight, so that a change list updates rather
    # than duplicates (see piu.ingest.identity).
    Column("match_key", String(255), nullable=False),
    Column("role", String(24), nullable=False),
    Column("surname", String(128), nullable=False),
    Column("given_names", String(128), nullable=True),
    Column("middle_names", String(128), nullable=True),
    Column("gender", String(2), nullable=True),
    Column("date_of_birth", Date, nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("residence_country", String(3), nullable=True),
    Column("birth_place", String(64), nullable=True),
    Column("embarkation", String(5), nullable=True),
    Column("debarkation", String(5), nullable=True),
    Column("address", JSON, nullable=True),
    Column("record_locator", String(16), nullable=True),
    Column("passenger_ref", String(64), nullable=True),
    Column("seat", String(8), nullable=True),
    Column("ticket", String(32), nullable=True),
    Column("customer_ref", String(64), nullable=True),
    Column("other_refs", JSON, nullable=False, default=dict),
    Column("bag_count", Integer, nullable=True),
    Column("bag_weight", Float, nullable=True),
    Column("bag_weight_unit", String(3), nullable=True),
    Column("bag_tags", JSON, nullable=False, default=list),
    # What the latest list said about this person: listed, cancelled (XR), on board (CLOB),
    # not on board (CLNB).
    Column("list_status", String(16), nullable=False, default="listed"),
    # Which kinds of data this traveller was seen in: API lists, PNR bookings, or both.
    Column("in_api", Boolean, nullable=False, default=True),
    Column("in_pnr", Boolean, nullable=False, default=False),
    # When this traveller was last screened against the watchlists in force; None means
    # due (new or changed), so a crash between storing and screening is caught up later.
    Column("screened_at", UTCDateTime, nullable=True),
    Column("first_message_id", ForeignKey("messages.id"), nullable=False),
    Column("last_message_id", ForeignKey("messages.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("flight_id", "match_key", name="uq_travellers_flight_key"),
    # surname first, so it serves lookups by surname alone too; with the date of birth,
    # an earlier trip of a common surname is found without reading all its rows
    Index("ix_travellers_surname_dob", "surname", "date_of_birth"),
    Index("ix_travellers_record_locator", "record_locator"),
)

documents = Table(
    "documents",
    metadata,
    _id(),
    Column("traveller_id", ForeignKey("travellers.id", ondelete="CASCADE"), nullable=False),
    Column("doc_type", String(3), nullable=True),
    Column("number", String(64), nullable=False),
    Column("expiry", Date, nullable=True),
    Column("issued", Date, nullable=True),
    Column("issuing_state", String(3), nullable=True),
    Column("last_message_id", ForeignKey("messages.id"), nullable=False),
    Index("ix_documents_traveller", "traveller_id"),
    Index("ix_documents_number", "number"),
)

traveller_sources = Table(
    "traveller_sources",
    metadata,
    Column(
        "traveller_id",
        ForeignKey("travellers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("message_id", ForeignKey("messages.id"), primary_key=True, index=True),
    Column("segment_index", Integer, nullable=True),
    Column("offset", Integer, nullable=True),
)

users = Table(
    "users",
    metadata,
    _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(128), nullable=True),
    Column("password_hash", String(255), nullable=True),  # argon2; None = no password login
    Column("active", Boolean, nullable=False, default=True),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Optional second factor (RFC 6238 TOTP): the base32 secret sealed under the
    # deployment's key (piu.accounts.sealed; plain if stored before 0010), set once the
    # user has proved a first code; the last accepted time step refuses a replayed code.
    Column("totp_secret", String(128), nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
)

ui_sessions = Table(
    "ui_sessions",
    metadata,
    # SHA-256 of the random session id the signed cookie carries: a stolen database does
    # not yield usable cookies, and logout or an administrator can end a session for good.
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("second_factor_at", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("end_reason", String(32), nullable=True),  # logout | revoked | expired | password
    Column("remote", String(64), nullable=True),
    Column("user_agent", String(256), nullable=True),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(32), primary_key=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    # SHA-256 of the token: tokens are 256-bit random, so a fast hash is enough and lets
    # every request look its token up by index.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

carriers = Table(
    "carriers",
    metadata,
    _id(),
    Column("code", String(3), nullable=False, unique=True),  # IATA/ICAO designator
    Column("name", String(128), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)

security_events = Table(
    "security_events",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # e.g. push_auth_failed, login_failed
    Column("subject", String(128), nullable=True),
    Column("remote", String(64), nullable=True),
    Column("detail", Text, nullable=True),
)


watchlists = Table(
    "watchlists",
    metadata,
    _id(),
    Column("name", String(64), nullable=False, unique=True),
    Column("source", String(255), nullable=True),  # who publishes it
    Column("legal_basis", Text, nullable=True),
    Column("category", String(32), nullable=False, default="sanctions"),
    Column("severity", String(16), nullable=False, default="high"),
    Column("format", String(32), nullable=False),
    Column("threshold", Float, nullable=True),  # None: the matcher's default
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("entry_count", Integer, nullable=False, default=0),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

watchlist_entries = Table(
    "watchlist_entries",
    metadata,
    _id(),
    Column("watchlist_id", ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    Column("entry_key", String(128), nullable=False),  # the list's own id for the entry
    Column("kind", String(16), nullable=False, default="person"),
    Column("names", JSON, nullable=False),
    Column("weak_names", JSON, nullable=False, default=list),
    Column("dobs", JSON, nullable=False, default=list),
    Column("nationalities", JSON, nullable=False, default=list),
    Column("gender", String(2), nullable=True),
    Column("documents", JSON, nullable=False, default=list),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("content_hash", String(64), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    # Entries taken off a list are kept (hits point at them) but no longer screened.
    Column("removed_at", UTCDateTime, nullable=True),
    UniqueConstraint("watchlist_id", "entry_key", name="uq_watchlist_entries_key"),
)

watchlist_imports = Table(
    "watchlist_imports",
    metadata,
    _id(),
    Column("watchlist_id", ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("by", String(64), nullable=False),
    Column("source_path", String(512), nullable=True),
    Column("format", String(32), nullable=False),
    Column("generated_at", String(64), nullable=True),  # as the file states it
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("warnings", JSON, nullable=False, default=list),
    # The entries this import added or changed, to screen the stored travellers of recent
    # and upcoming flights against. Due until a re-screening has done it (it runs after
    # the import's transaction, in the background for the web pages: an import is never
    # left half re-screened by a stopped process, the next run takes it up again).
    Column("rescreen_entry_ids", JSON, nullable=False, default=list),
    Column("rescreen_due", Boolean, nullable=False, default=False),
    Column("rescreen_claimed_at", UTCDateTime, nullable=True),  # a process is on it
    Column("rescreened_at", UTCDateTime, nullable=True),
    Column("rescreened_travellers", Integer, nullable=True),
    Column("rescreen_hits", Integer, nullable=True),
    Column("rescreen_error", String(500), nullable=True),  # the last attempt's failure
)

hits = Table(
    "hits",
    metadata,
    _id(),
    Column("traveller_id", ForeignKey("travellers.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # watchlist (rules come later)
    Column("watchlist_id", ForeignKey("watchlists.id"), nullable=True),
    Column("entry_id", ForeignKey("watchlist_entries.id"), nullable=True),
    Column("rule_version_id", ForeignKey("rule_versions.id"), nullable=True),
    Column("score", Float, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("algorithm", String(32), nullable=False),
    Column("explanation", JSON, nullable=False),
    # Hash of what was compared (the traveller's screened values and the entry's content):
    # the same traveller, entry and evidence never alert twice.
    Column("evidence_hash", String(64), nullable=False),
    Column("message_id", ForeignKey("messages.id"), nullable=True),  # the source message
    Column("status", String(16), nullable=False, default="open"),
    Column("created_at", UTCDateTime, nullable=False),
    # Each kind of hit is unique on its own key; the other kind's column is NULL there,
    # and NULLs never collide, so one constraint does not hinder the other.
    UniqueConstraint(
        "traveller_id", "entry_id", "evidence_hash", name="uq_hits_traveller_entry_evidence"
    ),
    UniqueConstraint(
        "traveller_id", "rule_version_id", "evidence_hash", name="uq_hits_traveller_rule_evidence"
    ),
    Index("ix_hits_status_created", "status", "created_at"),
)


bookings = Table(
    "bookings",
    metadata,
    _id(),
    # A booking is the carrier's record locator; every push of it is a version.
    Column("carrier", String(3), nullable=False),
    Column("locator", String(16), nullable=False),
    Column("created_local", DateTime, nullable=True),  # as the PNR states it
    Column("current_version", Integer, nullable=False),
    Column("first_message_id", ForeignKey("messages.id"), nullable=False),
    Column("last_message_id", ForeignKey("messages.id"), nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    UniqueConstraint("carrier", "locator", name="uq_bookings_carrier_locator"),
)

booking_versions = Table(
    "booking_versions",
    metadata,
    _id(),
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("message_id", ForeignKey("messages.id"), nullable=False, index=True),
    Column("flight_id", ForeignKey("flights.id"), nullable=True, index=True),
    Column("push_type", String(8), nullable=True),  # 22 full, 141 update
    Column("received_at", UTCDateTime, nullable=False),
    Column("last_modified_local", DateTime, nullable=True),  # DAT 700 as sent
    Column("traveller_count", Integer, nullable=False, default=0),
    # The minimised booking (only the legal PNR data elements), as the reader gave it.
    Column("data", JSON, nullable=False),
    UniqueConstraint("booking_id", "version", name="uq_booking_versions_booking_version"),
    UniqueConstraint("booking_id", "message_id", name="uq_booking_versions_booking_message"),
)

booking_travellers = Table(
    "booking_travellers",
    metadata,
    _id(),
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("flight_id", ForeignKey("flights.id", ondelete="CASCADE"), nullable=False),
    Column("pnr_ref", String(32), nullable=False),  # TIF reference, else name position
    Column("traveller_id", ForeignKey("travellers.id", ondelete="CASCADE"), nullable=False),
    # How the PNR traveller was tied to the flight's traveller, and how sure that is:
    # locator+name, name+dob, document, fuzzy-name (confidence < 1), or new (PNR only).
    Column("link_method", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("booking_id", "flight_id", "pnr_ref", name="uq_booking_travellers_ref"),
    Index("ix_booking_travellers_traveller", "traveller_id"),
)


rules = Table(
    "rules",
    metadata,
    _id(),
    Column("name", String(64), nullable=False, unique=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

rule_versions = Table(
    "rule_versions",
    metadata,
    _id(),
    Column("rule_id", ForeignKey("rules.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    # What a version says never changes once written: a change is a new version.
    Column("expression", Text, nullable=False),
    Column("justification", Text, nullable=False),
    Column("category", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("author", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # draft -> submitted -> approved -> active -> retired (or submitted -> rejected)
    Column("status", String(16), nullable=False),
    Column("submitted_by", String(64), nullable=True),
    Column("approved_by", String(64), nullable=True),
    UniqueConstraint("rule_id", "version", name="uq_rule_versions_rule_version"),
    Index("ix_rule_versions_status", "status"),
)

rule_events = Table(
    "rule_events",
    metadata,
    _id(),
    Column("rule_version_id", ForeignKey("rule_versions.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("by", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("note", Text, nullable=True),
)


hit_reviews = Table(
    "hit_reviews",
    metadata,
    _id(),
    Column("hit_id", ForeignKey("hits.id", ondelete="CASCADE"), nullable=False, index=True),
    # confirmed | dismissed (a false match) | more_info; the hit's status follows the latest.
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

false_matches = Table(
    "false_matches",
    metadata,
    _id(),
    # A dismissed false match, remembered so the same evidence does not alert again (for a
    # later flight of the same person too) while the data live.
    Column("entry_id", ForeignKey("watchlist_entries.id"), nullable=True),
    Column("rule_version_id", ForeignKey("rule_versions.id"), nullable=True),
    Column("evidence_hash", String(64), nullable=False),
    Column("hit_id", ForeignKey("hits.id", ondelete="SET NULL"), nullable=True),
    Column("by", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("entry_id", "evidence_hash", name="uq_false_matches_entry_evidence"),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(80), nullable=False),  # user name, carrier:CODE, or system
    Column("action", String(48), nullable=False),  # e.g. read.traveller, hit.decide
    Column("subject_type", String(32), nullable=True),
    Column("subject_id", String(64), nullable=True),
    Column("detail", JSON, nullable=False, default=dict),
    Column("remote", String(64), nullable=True),
    # Each entry's hash covers its content and the previous entry's hash, so a later
    # change or deletion anywhere breaks the chain (piu audit verify).
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Index("ix_audit_log_subject", "subject_type", "subject_id"),
    Index("ix_audit_log_actor_at", "actor", "at"),
)


# --- cases and dissemination (piu.store.cases) -----------------------------------------
# A case gathers confirmed hits, notes and attachments; nothing in it is overwritten (notes
# and attachments are append-only, a hit joins once). A dissemination is a request to send
# a case to a competent authority: a second person approves or rejects it, and every
# export of the approved package is recorded with the package's SHA-256.

cases = Table(
    "cases",
    metadata,
    _id(),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("priority", String(16), nullable=False),  # low | medium | high | critical
    Column("status", String(16), nullable=False, default="open"),  # open | closed
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("closed_by", String(64), nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Index("ix_cases_status_updated", "status", "updated_at"),
)

case_hits = Table(
    "case_hits",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    # A hit goes when its traveller is deleted (retention); the case keeps its notes.
    Column("hit_id", ForeignKey("hits.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("added_by", String(64), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
)

case_notes = Table(
    "case_notes",
    metadata,
    _id(),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

case_attachments = Table(
    "case_attachments",
    metadata,
    _id(),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("filename", String(255), nullable=False),  # sanitised: no path, no control chars
    Column("content_type", String(128), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

disseminations = Table(
    "disseminations",
    metadata,
    _id(),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("recipient", String(255), nullable=False),  # the competent authority
    Column("legal_basis", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("formats", JSON, nullable=False),  # ["pdf", "json"]
    # What the approver sees is what leaves: the case's hits, notes and attachments (listed
    # by name and SHA-256, not their bytes) as they were when the request was made.
    Column("hit_ids", JSON, nullable=False),
    Column("note_ids", JSON, nullable=False),
    Column("attachment_ids", JSON, nullable=False),
    # requested -> approved | rejected
    Column("status", String(16), nullable=False, default="requested"),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("decision_note", Text, nullable=True),
    Index("ix_disseminations_status", "status"),
)

dissemination_exports = Table(
    "dissemination_exports",
    metadata,
    _id(),
    Column(
        "dissemination_id",
        ForeignKey("disseminations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("format", String(8), nullable=False),  # pdf | json
    Column("sha256", String(64), nullable=False),  # of the bytes handed out
    Column("size", Integer, nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

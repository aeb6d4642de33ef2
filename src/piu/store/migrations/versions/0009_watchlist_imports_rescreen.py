"""watchlist imports: the re-screening each one owes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import piu.store.schema

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Imports made before this revision were re-screened in their own request: none is due.
    with op.batch_alter_table("watchlist_imports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rescreen_entry_ids", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("rescreen_due", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("rescreen_claimed_at", piu.store.schema.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("rescreened_at", piu.store.schema.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("rescreened_travellers", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rescreen_hits", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rescreen_error", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("watchlist_imports", schema=None) as batch_op:
        for name in (
            "rescreen_error",
            "rescreen_hits",
            "rescreened_travellers",
            "rescreened_at",
            "rescreen_claimed_at",
            "rescreen_due",
            "rescreen_entry_ids",
        ):
            batch_op.drop_column(name)

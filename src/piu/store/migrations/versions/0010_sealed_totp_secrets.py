"""users.totp_secret wide enough for a sealed secret

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:10:00

TOTP secrets are now stored sealed under the deployment's key (piu.accounts.sealed):
"v1." and base64url of nonce, ciphertext and tag, 83 characters for our 32-character
secrets and at most 126 for the longest accepted (64). Secrets stored before stay plain
and are sealed at their user's next right code, so the upgrade changes no value.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.String(length=64),
            type_=sa.String(length=128),
            existing_nullable=True,
        )


def downgrade() -> None:
    # Revision 0009's code reads plain base32 only, and a sealed value cannot be opened
    # here (the key is not in the database) nor fit 64 characters. Rather than drop second
    # factors silently, refuse and name the users an administrator must reset first.
    users = sa.table("users", sa.column("username", sa.String), sa.column("totp_secret", sa.String))
    sealed = (
        op.get_bind()
        .execute(sa.select(users.c.username).where(users.c.totp_secret.like("v1.%")))
        .scalars()
        .all()
    )
    if sealed:
        raise RuntimeError(
            "cannot downgrade below 0010 while second factors are stored sealed; remove them "
            "first with `piu users reset-totp NAME` for: " + ", ".join(sorted(sealed))
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.String(length=128),
            type_=sa.String(length=64),
            existing_nullable=True,
        )

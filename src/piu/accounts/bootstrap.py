"""The first administrator, so a new installation can be used without a default password.

GTAS shipped ``admin/password``. PIU instead creates ``admin`` on first start with a random
password that the caller shows once (``piu serve`` prints it) and that must be changed at
first login. Once any user exists this does nothing, so restarting never resets anything.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from piu.accounts.errors import NameTakenError
from piu.accounts.passwords import generate_password
from piu.accounts.roles import Role
from piu.accounts.users import create_user
from piu.store.schema import users

__all__ = ["FIRST_ADMIN", "ensure_first_admin"]

FIRST_ADMIN = "admin"


def ensure_first_admin(engine: Engine) -> str | None:
    """Create ``admin`` if there are no users and return its password; otherwise None.

    Two processes starting together on an empty database race safely: the unique user name
    lets one insert win, and the other returns None.
    """
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(users)).scalar_one():
            return None
    password = generate_password()
    try:
        create_user(
            engine,
            FIRST_ADMIN,
            roles=[Role.ADMIN],
            password=password,
            display_name="First administrator",
            must_change_password=True,
        )
    except NameTakenError:
        return None
    return password

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from piu.accounts import (
    Role,
    authenticate_password,
    check_policy,
    create_user,
    ensure_first_admin,
    get_user,
    list_users,
)
from piu.store.engine import open_store


def test_first_start_creates_admin_with_a_random_password(engine: Engine) -> None:
    password = ensure_first_admin(engine)
    assert password is not None
    check_policy(password, username="admin")
    admin = get_user(engine, "admin")
    assert admin.roles == {Role.ADMIN}
    assert admin.must_change_password
    assert authenticate_password(engine, "admin", password).username == "admin"


def test_it_happens_once(engine: Engine) -> None:
    first = ensure_first_admin(engine)
    assert first is not None
    assert ensure_first_admin(engine) is None
    assert [u.username for u in list_users(engine)] == ["admin"]
    # The password from the first call still works: nothing was reset.
    authenticate_password(engine, "admin", first)


def test_no_admin_is_made_when_someone_exists(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST])
    assert ensure_first_admin(engine) is None
    assert [u.username for u in list_users(engine)] == ["aigul"]


def test_never_the_same_password_twice(tmp_path: Path) -> None:
    made = set()
    for i in range(3):
        engine = open_store(f"sqlite:///{tmp_path}/fresh{i}.sqlite3")
        made.add(ensure_first_admin(engine))
        engine.dispose()
    assert None not in made
    assert len(made) == 3

"""TOTP: the RFC test vectors, drift and replay, lockout, enrolment, removal and reset,
and the secret sealed at rest (plain ones from before still accepted, then sealed)."""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, String, select, update

from piu.accounts import AccountError, Role, create_user, list_events, sealed, totp
from piu.accounts.events import EventKind
from piu.accounts.ui_sessions import find_live, open_session
from piu.accounts.users import MAX_FAILED_LOGINS, authenticate_password, get_user
from piu.store import audit
from piu.store.schema import users
from tests.accounts.support import GOOD_PASSWORD

# RFC 6238 appendix B: the seeds are ASCII digits, 20/32/64 bytes for SHA-1/256/512.
SEED = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
# RFC 4226 appendix D: HOTP with the SHA-1 seed, counters 0..9, 6 digits.
RFC4226 = ["755224", "287082", "359152", "969429", "338314"]
RFC4226 += ["254676", "287922", "162583", "399871", "520489"]

NOW = datetime(2025, 3, 4, 10, 0, 15, tzinfo=UTC)
SECRET = base64.b32encode(SEED["sha1"]).decode()  # GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
KEY = bytes(range(32))  # the deployment's key (PIU_DATA_DIR/secret_key) in these tests
OTHER_KEY = bytes(range(1, 33))  # as after secret_key was deleted and made anew


@pytest.mark.parametrize(("seconds", "sha1", "sha256", "sha512"), RFC6238)
def test_rfc6238_vectors(seconds: int, sha1: str, sha256: str, sha512: str) -> None:
    step = totp.step_of(seconds)
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp.code_at(SEED[digest], step, digits=8, digest=digest) == expected


def test_rfc4226_vectors_and_base32_secrets() -> None:
    assert [totp.code_at(SEED["sha1"], n) for n in range(10)] == RFC4226
    # The same key as base32 text (what apps and our table hold), spaces and case ignored.
    assert totp.code_at(SECRET, 1) == "287082"
    assert totp.code_at(SECRET.lower()[:4] + " " + SECRET.lower()[4:], 1) == "287082"
    # RFC 6238 at T=59 s is step 1: the 6-digit code is the tail of 94287082.
    assert totp.code_at(SECRET, totp.step_of(59)) == "287082"
    with pytest.raises(AccountError, match="base32"):
        totp.code_at("not base32!", 1)


def test_new_secrets_are_160_random_bits_in_base32() -> None:
    a, b = totp.new_secret(), totp.new_secret()
    assert a != b
    assert len(a) == 32 and "=" not in a
    assert len(base64.b32decode(a)) == 20


def test_one_step_of_drift_either_way_and_no_more() -> None:
    now_step = totp.step_of(NOW)
    for offset in (-1, 0, 1):
        code = totp.code_at(SECRET, now_step + offset)
        assert totp.matching_step(SECRET, code, NOW) == now_step + offset
    for offset in (-2, 2, 20):
        assert totp.matching_step(SECRET, totp.code_at(SECRET, now_step + offset), NOW) is None


def test_a_used_step_or_an_earlier_one_is_refused() -> None:
    now_step = totp.step_of(NOW)
    code = totp.code_at(SECRET, now_step)
    assert totp.matching_step(SECRET, code, NOW, last_step=now_step - 1) == now_step
    assert totp.matching_step(SECRET, code, NOW, last_step=now_step) is None
    previous = totp.code_at(SECRET, now_step - 1)
    assert totp.matching_step(SECRET, previous, NOW, last_step=now_step) is None


def test_malformed_codes_never_match() -> None:
    good = totp.code_at(SECRET, totp.step_of(NOW))
    assert totp.matching_step(SECRET, good[:3] + " " + good[3:], NOW) is not None
    for bad in ("", good[:5], good + "0", "abcdef", "１２３４５６", "12 34", "-12345"):
        assert totp.matching_step(SECRET, bad, NOW) is None, bad


def test_the_provisioning_uri_is_what_authenticator_apps_read() -> None:
    uri = totp.provisioning_uri(SECRET, "aigul.s")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/PIU:aigul.s")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "secret": SECRET,
        "issuer": "PIU",
        "algorithm": "SHA1",
        "digits": "6",
        "period": "30",
    }


# --- stored second factors ------------------------------------------------------------
def _user_with_totp(engine: Engine, name: str = "aigul") -> None:
    create_user(engine, name, roles=[Role.ANALYST], password=GOOD_PASSWORD)
    then = NOW - timedelta(hours=1)
    totp.enable(engine, name, SECRET, totp.code_at(SECRET, totp.step_of(then)), key=KEY, now=then)


def _code(offset: int = 0) -> str:
    return totp.code_at(SECRET, totp.step_of(NOW) + offset)


def _stored(engine: Engine, name: str) -> tuple[str | None, int | None]:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == name)).one()
    return row.totp_secret, row.totp_last_step


def _store(engine: Engine, name: str, value: str | None) -> None:
    """Write ``users.totp_secret`` by hand (a row from before sealing, or a moved value)."""
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.username == name).values(totp_secret=value))


def _column_width() -> int:
    column_type = users.c.totp_secret.type
    assert isinstance(column_type, String) and column_type.length is not None
    return column_type.length


def _opened(stored: str | None, key: bytes, user_id: int) -> str:
    """Open a stored secret the way the module must have sealed it (purpose, place)."""
    assert stored is not None
    subkey = sealed.purpose_key(key, b"piu totp secret v1")
    return sealed.unseal(subkey, stored, f"users.totp_secret:{user_id}")


def test_enrolment_needs_a_right_first_code(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    later = totp.code_at(SECRET, totp.step_of(NOW) + 5)
    with pytest.raises(AccountError, match="does not match"):
        totp.enable(engine, "aigul", SECRET, later, key=KEY, now=NOW)
    assert _stored(engine, "aigul") == (None, None)
    assert not get_user(engine, "aigul").totp_enabled
    user = totp.enable(engine, "aigul", SECRET.lower(), _code(), key=KEY, now=NOW)
    assert user.totp_enabled
    # Stored sealed (of the normalised text), and the enrolment code is spent: it cannot
    # sign anyone in.
    stored, last_step = _stored(engine, "aigul")
    assert _opened(stored, KEY, user.id) == SECRET.rstrip("=")
    assert last_step == totp.step_of(NOW)
    with pytest.raises(AccountError, match="already"):
        totp.enable(engine, "aigul", totp.new_secret(), _code(), key=KEY, now=NOW)
    entries = audit.search(engine, action="user.totp_enable")
    assert [(e.actor, e.subject_id) for e in entries] == [("aigul", "aigul")]
    assert SECRET not in str(entries[0].detail)


def test_a_right_code_passes_once(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    assert totp.verify_login_code(engine, user_id, _code(), key=KEY, now=NOW).username == "aigul"
    assert _stored(engine, "aigul")[1] == totp.step_of(NOW)
    with pytest.raises(totp.TotpCodeError, match="already used"):
        totp.verify_login_code(engine, user_id, _code(), key=KEY, now=NOW)
    # The next step's code still works (an app a little ahead), then it too is spent.
    totp.verify_login_code(engine, user_id, _code(1), key=KEY, now=NOW)
    with pytest.raises(totp.TotpCodeError):
        totp.verify_login_code(engine, user_id, _code(), key=KEY, now=NOW)
    reasons = [e.detail for e in list_events(engine, kind=EventKind.LOGIN_FAILED)]
    assert reasons == ["replayed second-factor code", "replayed second-factor code"]


def test_wrong_codes_count_towards_the_lockout(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(totp.TotpCodeError, match="wrong"):
            totp.verify_login_code(engine, user_id, _code(7), key=KEY, now=NOW)
    assert get_user(engine, "aigul").locked_at(NOW)
    assert [e.kind for e in list_events(engine, kind=EventKind.ACCOUNT_LOCKED)] == [
        "account_locked"
    ]
    with pytest.raises(totp.TotpCodeError, match="account locked"):
        totp.verify_login_code(engine, user_id, _code(), key=KEY, now=NOW)
    # The lockout also stops the password; after it, a right code clears the count.
    later = NOW + timedelta(minutes=16)
    code = totp.code_at(SECRET, totp.step_of(later))
    totp.verify_login_code(engine, user_id, code, key=KEY, now=later)
    assert get_user(engine, "aigul").failed_logins == 0


def test_the_right_password_does_not_reset_a_second_factor_users_failures(
    engine: Engine,
) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(totp.TotpCodeError):
            totp.verify_login_code(engine, user_id, _code(7), key=KEY, now=NOW)
        # Signing in again with the password between guesses must not start over.
        authenticate_password(engine, "aigul", GOOD_PASSWORD, now=NOW)
    assert get_user(engine, "aigul").failed_logins == MAX_FAILED_LOGINS - 1
    with pytest.raises(totp.TotpCodeError):
        totp.verify_login_code(engine, user_id, _code(7), key=KEY, now=NOW)
    assert get_user(engine, "aigul").locked_at(NOW)


def test_the_password_alone_still_resets_failures_without_a_second_factor(
    engine: Engine,
) -> None:
    create_user(engine, "bakyt", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    with pytest.raises(Exception, match="wrong user name or password"):
        authenticate_password(engine, "bakyt", "Wrong-password-1")
    assert get_user(engine, "bakyt").failed_logins == 1
    authenticate_password(engine, "bakyt", GOOD_PASSWORD)
    assert get_user(engine, "bakyt").failed_logins == 0


def test_disabling_needs_a_current_code(engine: Engine) -> None:
    _user_with_totp(engine)
    with pytest.raises(totp.TotpCodeError):
        totp.disable(engine, "aigul", _code(9), key=KEY, now=NOW)
    assert get_user(engine, "aigul").totp_enabled
    assert not totp.disable(engine, "aigul", _code(), key=KEY, now=NOW).totp_enabled
    assert _stored(engine, "aigul") == (None, None)
    with pytest.raises(AccountError, match="no second factor"):
        totp.disable(engine, "aigul", _code(1), key=KEY, now=NOW)
    assert [e.action for e in audit.search(engine, action="user.totp_disable")] == [
        "user.totp_disable"
    ]


def test_an_admin_reset_removes_the_factor_and_ends_sessions(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    session_id, _ = open_session(engine, user_id)
    user = totp.reset(engine, "Aigul", actor="keeper")
    assert not user.totp_enabled and _stored(engine, "aigul") == (None, None)
    assert find_live(engine, session_id) is None
    (entry,) = audit.search(engine, action="user.totp_reset")
    assert (entry.actor, entry.subject_id, entry.detail) == (
        "keeper",
        "aigul",
        {"sessions_ended": 1},
    )
    with pytest.raises(AccountError, match="no second factor to reset"):
        totp.reset(engine, "aigul", actor="keeper")
    with pytest.raises(AccountError, match="unknown user"):
        totp.reset(engine, "nobody", actor="keeper")


# --- the secret at rest ---------------------------------------------------------------
def test_the_stored_secret_is_sealed_for_this_key_and_this_user(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    stored, _ = _stored(engine, "aigul")
    assert stored is not None and stored.startswith("v1.")
    # What a copy of the database holds says nothing of the secret, in any spelling.
    for spelling in (SECRET, SECRET.lower(), SEED["sha1"].decode()):
        assert spelling not in stored
    assert len(stored) == 83 <= _column_width()
    assert _opened(stored, KEY, user_id) == SECRET
    with pytest.raises(sealed.SealedValueError):
        _opened(stored, OTHER_KEY, user_id)
    with pytest.raises(sealed.SealedValueError):
        _opened(stored, KEY, user_id + 1)
    # Sealed anew each time: two enrolments of one secret store different values.
    create_user(engine, "bakyt", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    totp.enable(engine, "bakyt", SECRET, _code(), key=KEY, now=NOW)
    assert _stored(engine, "bakyt")[0] != stored


def test_a_secret_from_before_sealing_still_works_and_is_sealed_by_its_first_right_code(
    engine: Engine,
) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    _store(engine, "aigul", SECRET)  # as revision 0009's code stored it
    with pytest.raises(totp.TotpCodeError):
        totp.verify_login_code(engine, user_id, _code(7), key=KEY, now=NOW)
    assert _stored(engine, "aigul")[0] == SECRET  # a wrong code changes nothing
    assert totp.verify_login_code(engine, user_id, _code(), key=KEY, now=NOW).id == user_id
    stored, last_step = _stored(engine, "aigul")
    assert stored != SECRET and _opened(stored, KEY, user_id) == SECRET
    assert last_step == totp.step_of(NOW)
    assert get_user(engine, "aigul").failed_logins == 0
    # Sealed, it goes on working, and the step it claimed stays spent.
    with pytest.raises(totp.TotpCodeError, match="already used"):
        totp.verify_login_code(engine, user_id, _code(), key=KEY, now=NOW)
    totp.verify_login_code(engine, user_id, _code(1), key=KEY, now=NOW)
    assert _stored(engine, "aigul")[0] == stored  # sealed once, not at every login


def test_after_the_key_is_replaced_the_code_step_refuses_and_says_why(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    with (
        caplog.at_level(logging.WARNING, logger="piu.accounts.totp"),
        pytest.raises(totp.TotpCodeError, match="wrong or already used code"),
    ):
        totp.verify_login_code(engine, user_id, _code(), key=OTHER_KEY, now=NOW)
    (record,) = caplog.records
    assert "'aigul'" in record.getMessage()
    assert "piu users reset-totp aigul" in record.getMessage()
    (event,) = list_events(engine, kind=EventKind.LOGIN_FAILED)
    assert (event.subject, event.detail) == ("aigul", totp.UNREADABLE)
    assert get_user(engine, "aigul").failed_logins == 1
    # Disabling needs a code too, so it is refused the same way; the way out is a reset.
    with pytest.raises(totp.TotpCodeError):
        totp.disable(engine, "aigul", _code(1), key=OTHER_KEY, now=NOW)
    assert get_user(engine, "aigul").totp_enabled
    totp.reset(engine, "aigul", actor="keeper")
    totp.enable(engine, "aigul", SECRET, _code(1), key=OTHER_KEY, now=NOW)
    later = NOW + timedelta(minutes=1)
    code = totp.code_at(SECRET, totp.step_of(later))
    assert totp.verify_login_code(engine, user_id, code, key=OTHER_KEY, now=later).id == user_id


def test_a_sealed_secret_moved_to_another_users_row_does_not_open(engine: Engine) -> None:
    _user_with_totp(engine, "aigul")
    create_user(engine, "bakyt", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    _store(engine, "bakyt", _stored(engine, "aigul")[0])
    with pytest.raises(totp.TotpCodeError):
        totp.verify_login_code(engine, get_user(engine, "bakyt").id, _code(), key=KEY, now=NOW)
    (event,) = list_events(engine, kind=EventKind.LOGIN_FAILED)
    assert (event.subject, event.detail) == ("bakyt", totp.UNREADABLE)


def test_a_step_is_claimed_only_against_the_secret_it_was_checked_with(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    stored, last_step = _stored(engine, "aigul")
    assert stored is not None and last_step is not None
    # Meanwhile the factor was reset and enrolled again: the old read claims nothing.
    _store(engine, "aigul", "v1.another")
    assert not totp._claim_step(engine, user_id, stored, last_step + 1, totp_secret=SECRET)
    assert _stored(engine, "aigul") == ("v1.another", last_step)


def test_an_overlong_secret_is_refused_so_its_sealed_form_always_fits(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    longest = "A" * totp.MAX_SECRET_CHARS
    totp.enable(
        engine, "aigul", longest, totp.code_at(longest, totp.step_of(NOW)), key=KEY, now=NOW
    )
    stored, _ = _stored(engine, "aigul")
    assert stored is not None and len(stored) <= _column_width()
    create_user(engine, "bakyt", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    overlong = "A" * (totp.MAX_SECRET_CHARS + 8)
    code = totp.code_at(overlong, totp.step_of(NOW))
    with pytest.raises(AccountError, match="longer than 64"):
        totp.enable(engine, "bakyt", overlong, code, key=KEY, now=NOW)

"""TOTP: the RFC test vectors, drift and replay, lockout, enrolment, removal and reset."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, select

from piu.accounts import AccountError, Role, create_user, list_events, totp
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
    totp.enable(engine, name, SECRET, totp.code_at(SECRET, totp.step_of(then)), now=then)


def _code(offset: int = 0) -> str:
    return totp.code_at(SECRET, totp.step_of(NOW) + offset)


def _stored(engine: Engine, name: str) -> tuple[str | None, int | None]:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == name)).one()
    return row.totp_secret, row.totp_last_step


def test_enrolment_needs_a_right_first_code(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    with pytest.raises(AccountError, match="does not match"):
        totp.enable(engine, "aigul", SECRET, totp.code_at(SECRET, totp.step_of(NOW) + 5), now=NOW)
    assert _stored(engine, "aigul") == (None, None)
    assert not get_user(engine, "aigul").totp_enabled
    user = totp.enable(engine, "aigul", SECRET.lower(), _code(), now=NOW)
    assert user.totp_enabled
    # Stored normalised, and the enrolment code is spent: it cannot sign anyone in.
    assert _stored(engine, "aigul") == (SECRET.rstrip("="), totp.step_of(NOW))
    with pytest.raises(AccountError, match="already"):
        totp.enable(engine, "aigul", totp.new_secret(), _code(), now=NOW)
    entries = audit.search(engine, action="user.totp_enable")
    assert [(e.actor, e.subject_id) for e in entries] == [("aigul", "aigul")]
    assert SECRET not in str(entries[0].detail)


def test_a_right_code_passes_once(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    assert totp.verify_login_code(engine, user_id, _code(), now=NOW).username == "aigul"
    assert _stored(engine, "aigul")[1] == totp.step_of(NOW)
    with pytest.raises(totp.TotpCodeError, match="already used"):
        totp.verify_login_code(engine, user_id, _code(), now=NOW)
    # The next step's code still works (an app a little ahead), then it too is spent.
    totp.verify_login_code(engine, user_id, _code(1), now=NOW)
    with pytest.raises(totp.TotpCodeError):
        totp.verify_login_code(engine, user_id, _code(), now=NOW)
    reasons = [e.detail for e in list_events(engine, kind=EventKind.LOGIN_FAILED)]
    assert reasons == ["replayed second-factor code", "replayed second-factor code"]


def test_wrong_codes_count_towards_the_lockout(engine: Engine) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(totp.TotpCodeError, match="wrong"):
            totp.verify_login_code(engine, user_id, _code(7), now=NOW)
    assert get_user(engine, "aigul").locked_at(NOW)
    assert [e.kind for e in list_events(engine, kind=EventKind.ACCOUNT_LOCKED)] == [
        "account_locked"
    ]
    with pytest.raises(totp.TotpCodeError, match="account locked"):
        totp.verify_login_code(engine, user_id, _code(), now=NOW)
    # The lockout also stops the password; after it, a right code clears the count.
    later = NOW + timedelta(minutes=16)
    code = totp.code_at(SECRET, totp.step_of(later))
    totp.verify_login_code(engine, user_id, code, now=later)
    assert get_user(engine, "aigul").failed_logins == 0


def test_the_right_password_does_not_reset_a_second_factor_users_failures(
    engine: Engine,
) -> None:
    _user_with_totp(engine)
    user_id = get_user(engine, "aigul").id
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(totp.TotpCodeError):
            totp.verify_login_code(engine, user_id, _code(7), now=NOW)
        # Signing in again with the password between guesses must not start over.
        authenticate_password(engine, "aigul", GOOD_PASSWORD, now=NOW)
    assert get_user(engine, "aigul").failed_logins == MAX_FAILED_LOGINS - 1
    with pytest.raises(totp.TotpCodeError):
        totp.verify_login_code(engine, user_id, _code(7), now=NOW)
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
        totp.disable(engine, "aigul", _code(9), now=NOW)
    assert get_user(engine, "aigul").totp_enabled
    assert not totp.disable(engine, "aigul", _code(), now=NOW).totp_enabled
    assert _stored(engine, "aigul") == (None, None)
    with pytest.raises(AccountError, match="no second factor"):
        totp.disable(engine, "aigul", _code(1), now=NOW)
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

"""Sealed values: they open only under the same key, purpose and place, and say so."""

from __future__ import annotations

import base64

import pytest

from piu.accounts import sealed

KEY = bytes(range(32))
SUBKEY = sealed.purpose_key(KEY, b"test purpose v1")
PLACE = "users.totp_secret:7"


def test_a_sealed_value_opens_to_what_was_sealed() -> None:
    stored = sealed.seal(SUBKEY, "GEZDGNBVGY3TQOJQ", PLACE)
    assert stored.startswith(sealed.PREFIX) and sealed.is_sealed(stored)
    assert stored.isascii() and "=" not in stored
    assert "GEZDGNBVGY3TQOJQ" not in stored
    assert sealed.unseal(SUBKEY, stored, PLACE) == "GEZDGNBVGY3TQOJQ"
    # A random nonce each time: the same value sealed twice looks different.
    assert sealed.seal(SUBKEY, "GEZDGNBVGY3TQOJQ", PLACE) != stored


def test_the_size_is_nonce_plus_text_plus_tag() -> None:
    for chars in (32, 64):
        stored = sealed.seal(SUBKEY, "A" * chars, PLACE)
        raw = len(stored) - len(sealed.PREFIX)
        assert raw == -(-(12 + chars + 16) * 4 // 3)  # base64 without padding
    assert len(sealed.seal(SUBKEY, "A" * 32, PLACE)) == 83
    assert len(sealed.seal(SUBKEY, "A" * 64, PLACE)) == 126


def test_purposes_get_different_keys() -> None:
    assert len(SUBKEY) == 32
    assert sealed.purpose_key(KEY, b"other purpose") != SUBKEY
    assert sealed.purpose_key(bytes(32), b"test purpose v1") != SUBKEY
    assert SUBKEY != KEY
    # The session signer MACs "purpose|payload" under the same key and shows the result:
    # a purpose with that separator could make it show a sealing key.
    with pytest.raises(ValueError, match="signer's separator"):
        sealed.purpose_key(KEY, b"session|x")


def _tampered(stored: str) -> str:
    text = stored[len(sealed.PREFIX) :]
    raw = bytearray(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    raw[15] ^= 1
    return sealed.PREFIX + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_anything_else_does_not_open() -> None:
    stored = sealed.seal(SUBKEY, "GEZDGNBVGY3TQOJQ", PLACE)
    attempts = {
        "another key": (sealed.purpose_key(bytes(32), b"test purpose v1"), stored, PLACE),
        "another purpose": (sealed.purpose_key(KEY, b"other purpose"), stored, PLACE),
        "another place": (SUBKEY, stored, "users.totp_secret:8"),
        "altered": (SUBKEY, _tampered(stored), PLACE),
        "cut short": (SUBKEY, stored[:-4], PLACE),
        "only a nonce": (SUBKEY, stored[:19], PLACE),
        "too short": (SUBKEY, sealed.PREFIX + "AAAA", PLACE),
        "not base64": (SUBKEY, sealed.PREFIX + "é" * 40, PLACE),
        "plain": (SUBKEY, "GEZDGNBVGY3TQOJQ", PLACE),
    }
    for what, (subkey, text, place) in attempts.items():
        try:
            sealed.unseal(subkey, text, place)
        except sealed.SealedValueError:
            continue
        pytest.fail(f"{what}: opened")


def test_plain_base32_is_never_taken_for_a_sealed_value() -> None:
    assert not sealed.is_sealed("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    assert not sealed.is_sealed("")

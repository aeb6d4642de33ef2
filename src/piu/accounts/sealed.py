"""Small values sealed under the deployment's key: readable by this PIU, not by a DB copy.

A value the server must read back in the clear (a TOTP secret: codes are computed from it)
cannot be stored as a hash. It is stored sealed instead, with AES-256-GCM under a key
that lives outside the database, in ``PIU_DATA_DIR/secret_key``
(:func:`piu.web.ui.sessions.load_or_create_secret`)::

    stored = "v1." base64url(nonce (12 random bytes) + ciphertext + tag (16 bytes))

* **A copy of the database alone gives nothing**: without ``secret_key`` the value is
  random-looking bytes, and the GCM tag refuses any guess at the key.
* **Each purpose has its own key**, derived as HMAC-SHA256(deployment key, purpose), so
  the session-cookie signatures and a sealed value never share a key, and a value sealed
  for one purpose does not open for another (:func:`purpose_key`).
* **A value is bound to its place**: the associated data (e.g. ``users.totp_secret:42``)
  is authenticated with it, so a sealed value copied into another user's row does not
  open there (someone with write access to the table cannot give their own second factor
  to another account).
* **Deleting or replacing secret_key** ends every session *and* makes every sealed value
  unreadable: :func:`unseal` raises :class:`SealedValueError`. For the TOTP secrets that
  means each enrolled user is refused at the code step until an administrator removes the
  factor (``piu users reset-totp NAME``) and the user enrols again.

The ``v1.`` prefix names the format, so a later one can be read beside it, and tells a
sealed value apart from one stored before sealing (base32 never holds a ``.``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from piu.errors import PiuError

__all__ = ["PREFIX", "SealedValueError", "is_sealed", "purpose_key", "seal", "unseal"]

PREFIX = "v1."
_NONCE_BYTES = 12  # the size GCM is specified for (NIST SP 800-38D, 8.2)


class SealedValueError(PiuError):
    """A sealed value does not open: another key (``secret_key`` was replaced), another
    place than the one it was sealed for, or altered bytes. Nothing tells which."""


def purpose_key(key: bytes, purpose: bytes) -> bytes:
    """The 32-byte AES key for one purpose, derived from the deployment's key.

    The session signer (:class:`piu.web.ui.sessions.SessionSigner`) publishes
    HMAC-SHA256(key, purpose "|" payload) in cookies and forms; a purpose here never holds
    ``|``, so no signature it gives out can equal a key derived here.
    """
    if b"|" in purpose:
        raise ValueError("a sealing purpose must not contain '|' (the signer's separator)")
    return hmac.new(key, purpose, hashlib.sha256).digest()


def is_sealed(stored: str) -> bool:
    """Whether ``stored`` is in the sealed format (else a value written before sealing)."""
    return stored.startswith(PREFIX)


def seal(subkey: bytes, plaintext: str, bound_to: str) -> str:
    """``plaintext`` sealed under ``subkey`` for the place ``bound_to``, as ASCII text."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    body = AESGCM(subkey).encrypt(nonce, plaintext.encode("utf-8"), bound_to.encode("utf-8"))
    return PREFIX + base64.urlsafe_b64encode(nonce + body).rstrip(b"=").decode("ascii")


def unseal(subkey: bytes, stored: str, bound_to: str) -> str:
    """The plaintext of a :func:`seal` result; raises :class:`SealedValueError`."""
    if not is_sealed(stored):
        raise SealedValueError(f"not a sealed value (no {PREFIX!r} prefix)")
    text = stored[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise SealedValueError("a sealed value that is not base64url") from None
    nonce, body = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    if len(nonce) < _NONCE_BYTES:
        raise SealedValueError("a sealed value too short to hold its nonce")
    try:
        plain = AESGCM(subkey).decrypt(nonce, body, bound_to.encode("utf-8"))
    except InvalidTag:
        raise SealedValueError(
            "the sealed value does not open under this key and place: the deployment's "
            "secret_key was replaced, or the value was moved or altered"
        ) from None
    return plain.decode("utf-8")

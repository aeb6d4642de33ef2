"""Bearer secrets shared by API tokens and carrier tokens.

A secret is 256 bits from :mod:`secrets`, written URL-safe after a short prefix that says
what it is (``piu_u_`` for a user's API token, ``piu_c_`` for a carrier's push token), so a
leaked one is easy to recognise in logs and secret scanners. Only its SHA-256 is stored:
the secret is random and long, so a slow password hash would add nothing but latency, and a
plain digest lets every request find its row by index.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["digest", "digests_equal", "new_secret"]

USER_TOKEN_PREFIX = "piu_u_"  # noqa: S105 - a label, not a secret
CARRIER_TOKEN_PREFIX = "piu_c_"  # noqa: S105 - a label, not a secret


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Lower-case hex SHA-256 of the UTF-8 secret: the form kept in the database and config."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def digests_equal(a: str, b: str) -> bool:
    """Constant-time comparison, so response time says nothing about how much matched."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))

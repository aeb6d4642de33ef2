"""CSRF protection for the pages' forms: a per-session token in a hidden field.

Every POST form carries ``<input type="hidden" name="csrf_token">`` holding the token of
the signed-in session (or, for the login form, of the signed pre-login cookie). The
handler compares it with :func:`hmac.compare_digest`; a missing or different token is a
403 page, before anything else happens. ``SameSite=Lax`` on the cookie is a second wall.
"""

from __future__ import annotations

import hmac

__all__ = ["FIELD", "CsrfError", "check"]

FIELD = "csrf_token"


class CsrfError(Exception):
    """The form's CSRF token is missing or does not belong to this session."""


def check(expected: str | None, sent: str | None) -> None:
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfError("the form's security token is missing or stale; reload the page")

"""Accounts: who may use PIU and how they prove it.

People and programs are *users* with *roles*; they prove who they are with a password
(argon2id, lockout after repeated failures) or an *API token*. Airlines are *carriers* with
their own push tokens. Failed attempts become *security events*. Secrets are generated here,
shown once by the caller, and stored only as hashes.

Modules: :mod:`~piu.accounts.roles`, :mod:`~piu.accounts.passwords`,
:mod:`~piu.accounts.users`, :mod:`~piu.accounts.tokens`, :mod:`~piu.accounts.carriers`,
:mod:`~piu.accounts.events`, :mod:`~piu.accounts.bootstrap`; the public names are
re-exported here. The web UI's server-side sessions are :mod:`~piu.accounts.ui_sessions`
and its optional second factor :mod:`~piu.accounts.totp`, whose secret is sealed at rest
by :mod:`~piu.accounts.sealed` (imported as modules).
"""

from piu.accounts.bootstrap import ensure_first_admin as ensure_first_admin
from piu.accounts.carriers import Carrier as Carrier
from piu.accounts.carriers import CarrierToken as CarrierToken
from piu.accounts.carriers import add_carrier as add_carrier
from piu.accounts.carriers import list_carriers as list_carriers
from piu.accounts.carriers import revoke_carrier as revoke_carrier
from piu.accounts.carriers import rotate_carrier as rotate_carrier
from piu.accounts.carriers import verify_carrier as verify_carrier
from piu.accounts.errors import AccountError as AccountError
from piu.accounts.errors import NameTakenError as NameTakenError
from piu.accounts.errors import PasswordPolicyError as PasswordPolicyError
from piu.accounts.errors import UnknownNameError as UnknownNameError
from piu.accounts.events import EventKind as EventKind
from piu.accounts.events import SecurityEvent as SecurityEvent
from piu.accounts.events import list_events as list_events
from piu.accounts.events import record_event as record_event
from piu.accounts.passwords import check_policy as check_policy
from piu.accounts.passwords import generate_password as generate_password
from piu.accounts.roles import Role as Role
from piu.accounts.roles import parse_role as parse_role
from piu.accounts.roles import parse_roles as parse_roles
from piu.accounts.tokens import NewToken as NewToken
from piu.accounts.tokens import TokenInfo as TokenInfo
from piu.accounts.tokens import create_token as create_token
from piu.accounts.tokens import list_tokens as list_tokens
from piu.accounts.tokens import revoke_token as revoke_token
from piu.accounts.tokens import verify_token as verify_token
from piu.accounts.users import User as User
from piu.accounts.users import authenticate_password as authenticate_password
from piu.accounts.users import change_roles as change_roles
from piu.accounts.users import create_user as create_user
from piu.accounts.users import get_user as get_user
from piu.accounts.users import list_users as list_users
from piu.accounts.users import set_active as set_active
from piu.accounts.users import set_password as set_password
from piu.accounts.users import set_roles as set_roles

__all__ = [
    "AccountError",
    "Carrier",
    "CarrierToken",
    "EventKind",
    "NameTakenError",
    "NewToken",
    "PasswordPolicyError",
    "Role",
    "SecurityEvent",
    "TokenInfo",
    "UnknownNameError",
    "User",
    "add_carrier",
    "authenticate_password",
    "change_roles",
    "check_policy",
    "create_token",
    "create_user",
    "ensure_first_admin",
    "generate_password",
    "get_user",
    "list_carriers",
    "list_events",
    "list_tokens",
    "list_users",
    "parse_role",
    "parse_roles",
    "record_event",
    "revoke_carrier",
    "revoke_token",
    "rotate_carrier",
    "set_active",
    "set_password",
    "set_roles",
    "verify_carrier",
    "verify_token",
]

"""Hostile and random expressions: each is refused with a RuleError, or accepted and then
evaluates to a plain bool, without ever running code.

"Without running code" is watched, not assumed: a Python audit hook (PEP 578) fails the test
if ``exec``, ``eval``, ``compile``, ``import``, ``os.system``, ``subprocess.Popen`` or
``open`` happens while a rule is parsed, checked, compiled or evaluated.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import piu.targeting.explain  # noqa: F401 - imported now, not under the audit hook
from piu.targeting import CATALOGUE, CompiledRule, RuleError, Type, compile_rule
from piu.targeting.catalogue import Attribute

_WATCHING = False
_FORBIDDEN = (
    "exec",
    "compile",
    "import",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "subprocess.Popen",
    "open",
    "ctypes.",
    "builtins.input",
)
_SEEN: list[str] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _WATCHING and event.startswith(_FORBIDDEN):
        _SEEN.append(event)


sys.addaudithook(_hook)


@contextmanager
def watching() -> Iterator[None]:
    global _WATCHING
    _SEEN.clear()
    _WATCHING = True
    try:
        yield
    finally:
        _WATCHING = False
    assert not _SEEN, f"code ran while handling a rule: {_SEEN}"


def _sample(attr: Attribute) -> Any:
    return {
        Type.TEXT: "ABC",
        Type.NUMBER: 3,
        Type.DATE: date(2026, 1, 31),
        Type.DATETIME: datetime(2026, 1, 31, 6, tzinfo=UTC),
        Type.BOOL: True,
        Type.AIRPORT: "IST",
        Type.COUNTRY: "TUR",
        Type.COUNTRY_A2: "TR",
        Type.TEXT_SET: frozenset({"CA"}),
        Type.AIRPORT_SET: frozenset({"IST"}),
        Type.COUNTRY_A2_SET: frozenset({"TR"}),
    }[attr.type]


FULL_FACTS = {name: _sample(a) for name, a in CATALOGUE.items()}


def attempt(text: str) -> CompiledRule | None:
    """Parse, check, compile and evaluate; only RuleError may come out."""
    with watching():
        try:
            rule = compile_rule(text)
        except RuleError as exc:
            assert exc.column >= 1 and exc.length >= 1
            assert exc.message
            exc.caret(text)
            return None
        for facts in ({}, FULL_FACTS):
            assert rule(facts) in (True, False)
            assert rule.explain(facts).matched == rule(facts)
    assert set(rule.attributes) <= set(CATALOGUE)
    return rule


HOSTILE = [
    "(" * 10_000 + "booking.paid_cash" + ")" * 10_000,
    "(" * 1_500 + "booking.paid_cash" + ")" * 1_500,
    "not " * 10_000 + "booking.paid_cash",
    "not " * 900 + "booking.paid_cash",
    " and ".join(["booking.paid_cash"] * 1_000),
    " or ".join(["booking.paid_cash"] * 300),
    "booking.bags = " + "9" * 100_000,
    "booking.bags = 1e999999",
    "booking.bags = 0x41",
    "traveller.surname = '" + "A" * 1_000_000 + "'",
    "flight.origin in (" + ", ".join(["'IST'"] * 1_000) + ")",
    "__import__('os').system('echo pwned')",
    "__import__",
    "__class__",
    "flight.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "flight.origin.__class__.__mro__ = 1",
    "booking.__dict__ is empty",
    "globals()['__builtins__']",
    "lambda: __import__('os')",
    "lambda x: x",
    "eval('1+1')",
    "exec('import os')",
    "open('/etc/passwd')",
    "flight.origin = '' or __import__('os').system('id') or ''",
    "flight.origin = 'IST'; import os",
    "flight.origin = 'IST' # comment",
    "flight.origin = f'{__import__(\"os\")}'",
    "flight.origin = 'IST'\x00 and booking.paid_cash",
    "booking.paid_cash\x00",
    "\x00",
    "ｆlight.origin = 'IST'",  # fullwidth f
    "flight.оrigin = 'IST'",  # Cyrillic o
    "flight.origin = 'IS\u200dT'",  # zero-width joiner
    "flight.origin = 'I\u202eTS'",  # right-to-left override
    "flight.origin = 'IST\u0301'",  # combining accent
    "flight.origin\u2028= 'IST'",
    "flight.origin = '\ud800'",
    "traveller.surname like '" + "*?" * 100 + "'",
    "traveller.surname like '*A*A*A*A*A*A*A*A*A*B'",
    "a" * 10_000,
    "a." * 1_000,
    "flight.origin = 'IST' " + ")" * 50,
    "'" * 5_001,
    "\\",
    "",
    " \t\n",
    "booking.created > 9999-12-31T23:59",
    "booking.created > 0000-01-01",
    "booking.bags between -999999999999999 and 999999999999999",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_expressions(text: str) -> None:
    attempt(text)


_NAMES = [*CATALOGUE, "flight.orign", "traveller", "__class__", "x.__dict__", "a.b"]
_WORDS = [
    "and",
    "or",
    "not",
    "in",
    "between",
    "like",
    "contains",
    "any",
    "is",
    "empty",
    "true",
    "false",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "(",
    ")",
    ",",
    "'IST'",
    "'SY'",
    "'CA'",
    "'TUR'",
    "'*A?'",
    "3",
    "-1",
    "2.5",
    "2026-01-31",
    "2026-01-31T06:00",
    "'",
]
_TOKENS = st.sampled_from(_NAMES + _WORDS)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKENS, max_size=25))
def test_random_token_soup(tokens: list[str]) -> None:
    attempt(" ".join(tokens))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "'()ñ\x00\u202e\u200b", max_size=80))
def test_random_text(text: str) -> None:
    attempt(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_random_unicode(text: str) -> None:
    attempt(text)


def _condition() -> st.SearchStrategy[str]:
    number = st.integers(-5, 40).map(str)
    return st.one_of(
        st.sampled_from(["booking.paid_cash", "itinerary.one_way", "booking.ticketed"]),
        st.builds(lambda n: f"booking.days_before_departure < {n}", number),
        st.builds(lambda n: f"traveller.age > {n}", number),
        st.sampled_from(
            [
                "flight.origin in ('IST', 'DXB')",
                "flight.origin != 'IST'",
                "traveller.nationality = 'SYR'",
                "traveller.gender = 'M'",
                "itinerary.countries contains any ('SY', 'TR')",
                "traveller.surname like '*OV'",
                "booking.agency_id is empty",
            ]
        ),
    )


_TREES = st.recursive(
    _condition(),
    lambda sub: st.one_of(
        st.builds(lambda a, b: f"({a} and {b})", sub, sub),
        st.builds(lambda a, b: f"({a} or {b})", sub, sub),
        st.builds(lambda a: f"not ({a})", sub),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_TREES)
def test_well_formed_trees_are_accepted_or_refused_as_protected(text: str) -> None:
    try:
        rule = compile_rule(text)
    except RuleError as exc:
        assert exc.kind == "protected", exc
        return
    again = compile_rule(rule.canonical)
    assert again.canonical == rule.canonical
    for facts in ({}, FULL_FACTS, {"booking.paid_cash": True, "traveller.age": 30}):
        assert again(facts) == rule(facts)


def test_the_audit_watch_sees_code_running() -> None:
    code = "1 + 1"
    with pytest.raises(AssertionError, match="code ran"), watching():
        eval(code)  # noqa: S307 - proves the watch works

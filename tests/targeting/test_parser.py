"""Parser: grammar, precedence, canonical form, columns of syntax errors, size limits."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from piu.targeting import RuleError, parse, pretty
from piu.targeting.lexer import MAX_EXPRESSION_LENGTH, tokenize
from piu.targeting.parser import MAX_DEPTH, And, Condition, Not, Or


def test_and_binds_tighter_than_or() -> None:
    tree = parse("booking.paid_cash or flight.origin = 'IST' and itinerary.one_way")
    assert isinstance(tree, Or)
    assert isinstance(tree.items[1], And)


def test_flat_and_is_one_node() -> None:
    tree = parse("a.b and (c.d and e.f) and g.h")
    assert isinstance(tree, And)
    assert len(tree.items) == 4


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Flight.Origin = 'ist'", "flight.origin = 'IST'"),
        ("a.b <> 3", "a.b != 3"),
        ("a.b NOT IN ('x','y')", "a.b not in ('X', 'Y')"),
        ("a.b between 1 and 2.5", "a.b between 1 and 2.5"),
        ("a.b like 'ab*'", "a.b like 'AB*'"),
        ("a.b contains any ('x')", "a.b contains any ('X')"),
        ("a.b is not empty", "a.b is not empty"),
        ("a.b >= 2026-01-31", "a.b >= 2026-01-31"),
        ("a.b < 2026-01-31T06:30", "a.b < 2026-01-31T06:30"),
        ("not a.b", "not a.b"),
        ("not (a.b or c.d)", "not (a.b or c.d)"),
        ("(a.b or c.d) and e.f", "(a.b or c.d) and e.f"),
        ("a.b = 'O''HARA'", "a.b = 'O\\'HARA'"),
        ("a.b = -3", "a.b = -3"),
        ("a.b = TRUE", "a.b = true"),
    ],
)
def test_canonical_form_round_trips(text: str, canonical: str) -> None:
    assert pretty(parse(text)) == canonical
    assert pretty(parse(canonical)) == canonical


def test_literals_are_typed() -> None:
    c = parse("a.b between 2026-01-31 and 2026-02-01T10:00")
    assert isinstance(c, Condition)
    assert c.args[0].value == date(2026, 1, 31)
    assert c.args[1].value == datetime(2026, 2, 1, 10, 0)


def test_string_escapes() -> None:
    c = parse(r"a.b = 'it\'s \\ ok'")
    assert isinstance(c, Condition)
    assert c.args[0].value == "IT'S \\ OK"


def test_condition_columns() -> None:
    tree = parse("booking.paid_cash and  flight.origin = 'IST'")
    assert isinstance(tree, And)
    cond = tree.items[1]
    assert isinstance(cond, Condition)
    assert (cond.column, cond.length, cond.name_length) == (24, 21, 13)


def test_not_node_keeps_its_column() -> None:
    tree = parse("  not a.b")
    assert isinstance(tree, Not)
    assert tree.column == 3


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("a.b = ", 7, "value"),
        ("a.b == 'X'", 6, "'=='"),
        ("a.b = 'X' and", 14, "ends"),
        ("(a.b = 'X'", 11, "close"),
        ("a.b = 'X')", 10, "without a matching"),
        ("a.b = 'X", 7, "not closed"),
        ('a.b = "X"', 7, "single quotes"),
        ("a.b && c.d", 5, "'and'"),
        ("a.b = 'X' c.d", 11, "expected 'and'"),
        ("a.b in 'X'", 8, "'('"),
        ("a.b in ('X' 'Y')", 13, "',' or ')'"),
        ("a.b between 1 or 2", 15, "'and'"),
        ("a.b is full", 8, "'empty'"),
        ("a.b = IST", 7, "quoted"),
        ("'IST' = a.b", 1, "starts with an attribute"),
        ("a.b = 2026-02-30", 7, "not a date"),
        ("a.b = 3days", 8, "after a number"),
        ("a..b", 1, "single dots"),
        ("a.b = 'x\\q'", 9, "escape"),
        ("f(1)", 2, "not a function"),
        ("a.b not = 1", 9, "after 'not'"),
    ],
)
def test_syntax_errors_point_at_the_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(RuleError) as info:
        parse(text)
    assert info.value.column == column, info.value
    assert fragment in info.value.message


def test_depth_limit() -> None:
    text = "(" * (MAX_DEPTH + 1) + "a.b" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(RuleError) as info:
        parse(text)
    assert info.value.kind == "limit"
    parse("(" * MAX_DEPTH + "a.b" + ")" * MAX_DEPTH)


def test_length_and_literal_limits() -> None:
    with pytest.raises(RuleError, match="limit"):
        tokenize("a" * (MAX_EXPRESSION_LENGTH + 1))
    with pytest.raises(RuleError, match="longer than"):
        tokenize("a.b = '" + "x" * 500 + "'")
    with pytest.raises(RuleError, match="digits"):
        tokenize("a.b = " + "9" * 40)


def test_condition_count_limit() -> None:
    with pytest.raises(RuleError, match="conditions"):
        parse(" and ".join(["a.b"] * 101))


def test_caret_marks_the_fault() -> None:
    with pytest.raises(RuleError) as info:
        parse("a.b = 'X' c.d")
    assert info.value.caret("a.b = 'X' c.d") == "a.b = 'X' c.d\n          ^^^"

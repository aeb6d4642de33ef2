"""Type-check a parsed rule against the catalogue and apply the non-discrimination check.

Types: every condition's attribute must be in the catalogue, its operator must suit the
attribute's type, and each literal must have the right kind and form (airport codes are
three letters, ``traveller.nationality`` takes alpha-3 country codes, and so on). Errors
point at the column of the offending attribute, operator or literal and, for a misspelt
attribute, suggest the nearest names.

Non-discrimination (EU PNR Directive art. 6(4); CJEU C-817/19 paras 196-201): rewrite the
rule with ``not`` pushed down to the conditions; then every way the rule can be satisfied
(every branch of its disjunctive form) that tests a *protected* attribute must also require
a *behavioural* condition. A behavioural condition tests a non-protected attribute
positively: an exclusion (``!=``, ``not in``, ``not between``, ``not like``, ``not
contains``, ``not`` over an equality), a yes/no attribute required to be false, and a
presence test (``is empty``, ``is not empty``) narrow a rule but do not count, since nearly
every traveller satisfies them. So::

    traveller.nationality = 'SYR'                              refused
    traveller.nationality = 'SYR' or flight.origin = 'IST'     refused (first branch)
    traveller.nationality = 'SYR' and flight.origin != 'IST'   refused (an exclusion)
    not (traveller.gender != 'M' or booking.paid_cash)         refused (= gender M, no cash)
    traveller.age < 25 and booking.paid_cash                   accepted

The check is computed without expanding the disjunctive form (which can be exponential):
each subtree yields the set of (tests protected, has behaviour) kinds its branches can have.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any

from piu.targeting._errors import RuleError
from piu.targeting.catalogue import CATALOGUE, Attribute, Type
from piu.targeting.parser import And, Condition, Literal, Node, Not, conditions, parse

__all__ = ["check", "check_protected", "check_types", "suggest"]

_ORDERED = frozenset({"<", "<=", ">", ">="})
_CODE_FORM = {
    Type.AIRPORT: (re.compile(r"[A-Z]{3}"), "an airport code is three letters (IATA), e.g. 'IST'"),
    Type.COUNTRY: (
        re.compile(r"[A-Z]{3}"),
        "takes ISO 3166 alpha-3 country codes as on travel documents, e.g. 'TUR'",
    ),
    Type.COUNTRY_A2: (
        re.compile(r"[A-Z]{2}"),
        "takes ISO 3166 alpha-2 country codes as in the airport table, e.g. 'TR'",
    ),
}
_LIKE_FORM = re.compile(r"[A-Z*?]+")
MAX_LIKE_WILDCARDS = 8


def check(rule: str | Node, catalogue: dict[str, Attribute] | None = None) -> Node:
    """Parse (if given text), type-check and apply the non-discrimination check.

    Returns the tree; raises :class:`RuleError` at the first fault.
    """
    node = parse(rule) if isinstance(rule, str) else rule
    cat = CATALOGUE if catalogue is None else catalogue
    check_types(node, cat)
    check_protected(node, cat)
    return node


# -- types ---------------------------------------------------------------------------


def suggest(name: str, catalogue: dict[str, Attribute] | None = None) -> tuple[str, ...]:
    """Up to three catalogue names close to ``name`` (whole name, or its last part)."""
    names = list(CATALOGUE if catalogue is None else catalogue)
    found = difflib.get_close_matches(name, names, n=3, cutoff=0.75)
    last = name.rsplit(".", 1)[-1]
    by_last: dict[str, list[str]] = {}
    for full in names:
        by_last.setdefault(full.rsplit(".", 1)[-1], []).append(full)
    for close in difflib.get_close_matches(last, list(by_last), n=3, cutoff=0.75):
        found.extend(by_last[close])
    return tuple(dict.fromkeys(found))[:3]


def check_types(node: Node, catalogue: dict[str, Attribute]) -> None:
    for cond in conditions(node):
        _check_condition(cond, catalogue)


def _unknown(cond: Condition, catalogue: dict[str, Attribute]) -> RuleError:
    name = cond.attribute
    if name.startswith("_") or "._" in name:
        message = (
            f"there is no attribute '{name}': rules read catalogue attributes only, "
            "never program internals"
        )
        return RuleError(message, column=cond.column, length=cond.name_length, kind="unknown")
    return RuleError(
        f"unknown attribute '{name}' (see `piu rules attributes` or docs/rules.md)",
        column=cond.column,
        length=cond.name_length,
        kind="unknown",
        suggestions=suggest(name, catalogue),
    )


def _type_error(message: str, column: int, length: int) -> RuleError:
    return RuleError(message, column=column, length=length, kind="type")


def _op_column(cond: Condition) -> tuple[int, int]:
    """Where the operator sits: right after the name (approximate for multi-word ones)."""
    if cond.args:
        start = cond.column + cond.name_length + 1
        return start, max(1, cond.args[0].column - start - 1)
    return cond.column, cond.length


def _check_condition(cond: Condition, catalogue: dict[str, Attribute]) -> None:
    attr = catalogue.get(cond.attribute)
    if attr is None:
        raise _unknown(cond, catalogue)
    typ = attr.type
    op = cond.op
    what = f"{attr.name} is {_a(typ.value)}"
    opcol, oplen = _op_column(cond)

    def refuse(hint: str) -> RuleError:
        return _type_error(f"'{_op_word(cond)}' does not apply here: {what}; {hint}", opcol, oplen)

    if op == "true":
        if typ is not Type.BOOL:
            raise _type_error(
                f"{what}, not yes/no: add a test, e.g. {attr.name} {_example(typ)}",
                cond.column,
                cond.name_length,
            )
        return
    if op == "empty":
        return
    if typ.element is not None:
        if op not in ("contains", "contains any"):
            raise refuse(f"test a set with 'contains' or 'contains any', e.g. {_example(typ)}")
        for lit in cond.args:
            _check_literal(lit, typ.element, attr)
        return
    if typ is Type.BOOL:
        if op not in ("=", "!="):
            raise refuse("write the attribute alone, or '= true' / '= false'")
    elif typ.is_textual:
        if op in _ORDERED or op == "between":
            raise refuse(
                f"order tests apply to numbers and dates; e.g. {attr.name} {_example(typ)}"
            )
        if op == "contains" and typ is not Type.TEXT:
            raise refuse("use '=', 'in' or 'like' on codes")
        if op == "contains any":
            raise refuse("'contains any' tests sets; use 'in' for one of several values")
        if op == "like":
            _check_like(cond.args[0], typ, attr)
            return
    elif typ in (Type.NUMBER, Type.DATE, Type.DATETIME):
        if op in ("like", "contains", "contains any"):
            raise refuse("text tests apply to text; use =, <, <=, >, >=, in or between")
        if typ is Type.DATETIME and op == "in":
            raise refuse("use 'between' or '<' / '>' on times")
    for lit in cond.args:
        _check_literal(lit, typ, attr)
    if op == "between":
        lo, hi = cond.args
        if _sort_key(lo) > _sort_key(hi):
            raise _type_error(
                "the lower bound of 'between' is above the upper bound",
                lo.column,
                hi.column + hi.length - lo.column,
            )


def _sort_key(lit: Literal) -> Any:
    v = lit.value
    if isinstance(v, datetime):
        return (v.date(), v.time())
    if lit.kind == "date":
        return (v, datetime.min.time())
    return v


def _check_literal(lit: Literal, typ: Type, attr: Attribute) -> None:
    want = {
        Type.NUMBER: ("number",),
        Type.DATE: ("date",),
        Type.DATETIME: ("datetime", "date"),
        Type.BOOL: ("bool",),
    }.get(typ, ("text",))
    if lit.kind not in want:
        raise _type_error(
            f"{attr.name} is {_a(typ.value)}; {_a(lit.kind)} value does not compare with it "
            f"(e.g. {attr.name} {_example(typ)})",
            lit.column,
            lit.length,
        )
    if typ.is_code:
        value = str(lit.value).upper()
        form, hint = _CODE_FORM[typ]
        if not form.fullmatch(value):
            raise _type_error(f"{attr.name}: {hint}", lit.column, lit.length)


def _check_like(lit: Literal, typ: Type, attr: Attribute) -> None:
    if lit.kind != "text":
        raise _type_error("'like' takes a quoted pattern, e.g. 'AB*'", lit.column, lit.length)
    pattern = str(lit.value)
    if sum(pattern.count(w) for w in "*?") > MAX_LIKE_WILDCARDS:
        raise RuleError(
            f"a 'like' pattern may hold at most {MAX_LIKE_WILDCARDS} wildcards",
            column=lit.column,
            length=lit.length,
            kind="limit",
        )
    if typ.is_code and not _LIKE_FORM.fullmatch(pattern.upper()):
        raise _type_error(
            f"{attr.name} holds letter codes: a pattern is letters with * and ?",
            lit.column,
            lit.length,
        )


def _op_word(cond: Condition) -> str:
    neg = "not " if cond.negated else ""
    return "is empty" if cond.op == "empty" else f"{neg}{cond.op}"


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _example(typ: Type) -> str:
    return {
        Type.TEXT: "= 'ABC'",
        Type.NUMBER: "> 3",
        Type.DATE: ">= 2026-01-31",
        Type.DATETIME: ">= 2026-01-31T06:00",
        Type.BOOL: "= true",
        Type.AIRPORT: "in ('IST', 'DXB')",
        Type.COUNTRY: "= 'TUR'",
        Type.COUNTRY_A2: "= 'TR'",
        Type.TEXT_SET: "contains 'CA'",
        Type.AIRPORT_SET: "contains 'IST'",
        Type.COUNTRY_A2_SET: "contains any ('TR', 'SY')",
    }[typ]


# -- non-discrimination ----------------------------------------------------------------

# A branch kind: (tests a protected attribute, has a behavioural condition).
_Kinds = dict[tuple[bool, bool], Condition | None]
_BAD = (True, False)


def _is_behaviour(cond: Condition, attr: Attribute, positive: bool) -> bool:
    """Does this condition, with the polarity of the ``not``s above it, select behaviour?"""
    if attr.protected or cond.op == "empty":
        return False
    if attr.type is Type.BOOL:
        wanted = True if cond.op == "true" else bool(cond.args[0].value) == (cond.op == "=")
        return wanted == positive
    if cond.op in _ORDERED:
        return True  # "not (a < 3)" is "a >= 3": still a positive test
    exclusion = cond.negated or cond.op == "!="
    return exclusion != positive


def _kinds(node: Node, positive: bool, catalogue: dict[str, Attribute]) -> _Kinds:
    if isinstance(node, Condition):
        attr = catalogue[node.attribute]
        kind = (attr.protected, _is_behaviour(node, attr, positive))
        return {kind: node if attr.protected else None}
    if isinstance(node, Not):
        return _kinds(node.item, not positive, catalogue)
    # Under an odd number of "not"s, "and" behaves as "or" and vice versa (De Morgan).
    conjunctive = isinstance(node, And) == positive
    result: _Kinds | None = None
    for item in node.items:
        sub = _kinds(item, positive, catalogue)
        if result is None:
            result = sub
        elif conjunctive:
            combined: _Kinds = {}
            for (p1, b1), e1 in result.items():
                for (p2, b2), e2 in sub.items():
                    combined.setdefault((p1 or p2, b1 or b2), e1 or e2)
            result = combined
        else:
            for kind, example in sub.items():
                result.setdefault(kind, example)
    return result or {}


def check_protected(node: Node, catalogue: dict[str, Attribute] | None = None) -> None:
    """Refuse a rule that can select travellers on protected attributes alone."""
    cat = CATALOGUE if catalogue is None else catalogue
    kinds = _kinds(node, True, cat)
    if _BAD not in kinds:
        return
    culprit = kinds[_BAD]
    assert culprit is not None
    protected = sorted({c.attribute for c in conditions(node) if cat[c.attribute].protected})
    whole = len(kinds) == 1
    where = "the rule" if whole else "a branch of the rule (an 'or' or a 'not' opens one)"
    raise RuleError(
        f"{where} selects travellers on {', '.join(protected)} without a behavioural "
        "condition; protected attributes (who a person is) may only narrow a rule about "
        "what a person does: add with 'and' a positive condition on the journey, the booking "
        "or the history",
        column=culprit.column,
        length=culprit.length,
        kind="protected",
    )

"""A checked rule tree to nested Python closures over a facts mapping.

No Python source is generated, evaluated or compiled: each condition becomes a small
closure that reads one key of the facts dict and compares it with constants prepared once
(text upper-cased, lists turned into frozensets, date-times made UTC-aware). ``and`` and
``or`` short-circuit in tree order.

Semantics, in short (``docs/rules.md`` has the long form):

* A condition on a value that is missing (``None`` or absent) is false, whatever its
  operator, except ``is empty``, which is true. ``not`` then makes it true.
* Text comparisons ignore case (facts are upper case; literals are upper-cased here).
* A date literal against a date-time attribute compares the UTC calendar day.
* ``like`` has two wildcards, ``*`` (any run of characters) and ``?`` (one character), and
  **no regular expressions**: prefix, suffix, infix and exact patterns use the ``str``
  methods; others use an iterative wildcard matcher (no recursion, no backtracking blow-up:
  at most len(value) x len(pattern) steps). The checker caps patterns at
  :data:`~piu.targeting.checker.MAX_LIKE_WILDCARDS` wildcards and 200 characters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from piu.targeting.catalogue import CATALOGUE, Attribute, Type
from piu.targeting.checker import check
from piu.targeting.parser import And, Condition, Literal, Node, Not, pretty

__all__ = ["CompiledRule", "Facts", "Predicate", "compile_rule", "wildcard_match"]

Facts = Mapping[str, Any]
Predicate = Callable[[Facts], bool]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to run: call it (or :meth:`matches`) with a facts mapping.

    ``source`` is the text as written, ``canonical`` its normalised form (store and show
    this one), ``tree`` the checked syntax tree, ``leaves`` each condition with its own
    predicate (what :meth:`explain` runs to record the values seen).
    """

    source: str
    canonical: str
    tree: Node
    predicate: Predicate = field(repr=False)
    leaves: tuple[tuple[Condition, Predicate], ...] = field(repr=False)

    def __call__(self, facts: Facts) -> bool:
        return self.predicate(facts)

    def matches(self, facts: Facts) -> bool:
        return self.predicate(facts)

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attributes the rule reads, in order of first use."""
        return tuple(dict.fromkeys(c.attribute for c, _ in self.leaves))

    def explain(self, facts: Facts) -> Any:
        """Evaluate with a trace: see :func:`piu.targeting.explain.explain`."""
        from piu.targeting.explain import explain

        return explain(self, facts)


def compile_rule(rule: str | Node, catalogue: dict[str, Attribute] | None = None) -> CompiledRule:
    """Parse, check and compile ``rule``; raise :class:`RuleError` when it is refused."""
    cat = CATALOGUE if catalogue is None else catalogue
    tree = check(rule, cat)
    leaves: list[tuple[Condition, Predicate]] = []
    predicate = _compile(tree, cat, leaves)
    source = rule if isinstance(rule, str) else pretty(tree)
    return CompiledRule(source, pretty(tree), tree, predicate, tuple(leaves))


def _compile(
    node: Node, cat: dict[str, Attribute], leaves: list[tuple[Condition, Predicate]]
) -> Predicate:
    if isinstance(node, Condition):
        pred = compile_condition(node, cat[node.attribute])
        leaves.append((node, pred))
        return pred
    if isinstance(node, Not):
        inner = _compile(node.item, cat, leaves)
        return lambda f: not inner(f)
    parts = tuple(_compile(item, cat, leaves) for item in node.items)
    return _all(parts) if isinstance(node, And) else _any(parts)


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) and b(f)
    if len(parts) == 3:
        a, b, c = parts
        return lambda f: a(f) and b(f) and c(f)

    def all_(f: Facts) -> bool:
        for p in parts:  # noqa: SIM110 - a plain loop beats all(genexpr) here
            if not p(f):
                return False
        return True

    return all_


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) or b(f)

    def any_(f: Facts) -> bool:
        for p in parts:  # noqa: SIM110 - a plain loop beats any(genexpr) here
            if p(f):
                return True
        return False

    return any_


def _const(lit: Literal, typ: Type) -> Any:
    v = lit.value
    if isinstance(v, str):
        return v.upper()
    if isinstance(v, datetime):
        return v.replace(tzinfo=UTC)
    return v


def compile_condition(cond: Condition, attr: Attribute) -> Predicate:
    """The predicate of one checked condition (the attribute is its catalogue entry)."""
    key = cond.attribute
    typ = attr.type
    op = cond.op
    neg = cond.negated
    get = _getter(key)

    if op == "empty":
        if typ in (Type.NUMBER, Type.BOOL, Type.DATE, Type.DATETIME):
            if neg:
                return lambda f: f.get(key) is not None
            return lambda f: f.get(key) is None
        if neg:
            return lambda f: bool(f.get(key))
        return lambda f: not f.get(key)
    if op == "true":
        return lambda f: f.get(key) is True

    consts = tuple(_const(a, typ) for a in cond.args)
    if typ is Type.DATETIME:
        if all(a.kind == "date" for a in cond.args):
            get = _day_getter(key)  # only days given: compare the UTC calendar day
        else:  # a day among times: its midnight UTC
            consts = tuple(_midnight(c) for c in consts)

    if typ is Type.BOOL:
        want = bool(consts[0]) == (op == "=")
        return (lambda f: f.get(key) is True) if want else (lambda f: f.get(key) is False)
    if op in ("contains", "contains any"):
        return _contains(key, typ, consts, op == "contains any", neg)
    if op == "like":
        return _like(get, str(consts[0]), neg)
    if op == "in":
        members = frozenset(consts)
        if neg:
            return lambda f: (x := get(f)) is not None and x not in members
        return lambda f: get(f) in members
    if op == "between":
        lo, hi = consts
        if neg:
            return lambda f: (x := get(f)) is not None and not lo <= x <= hi
        return lambda f: (x := get(f)) is not None and lo <= x <= hi
    v = consts[0]
    if op == "=":
        return lambda f: get(f) == v
    if op == "!=":
        return lambda f: (x := get(f)) is not None and x != v
    if op == "<":
        return lambda f: (x := get(f)) is not None and x < v
    if op == "<=":
        return lambda f: (x := get(f)) is not None and x <= v
    if op == ">":
        return lambda f: (x := get(f)) is not None and x > v
    if op == ">=":
        return lambda f: (x := get(f)) is not None and x >= v
    raise AssertionError(f"unchecked operator {op!r}")  # pragma: no cover - checker's job


def _midnight(v: Any) -> Any:
    if isinstance(v, date) and not isinstance(v, datetime):
        return datetime(v.year, v.month, v.day, tzinfo=UTC)
    return v


def _getter(key: str) -> Callable[[Facts], Any]:
    return lambda f: f.get(key)


def _day_getter(key: str) -> Callable[[Facts], Any]:
    def day(f: Facts) -> date | None:
        x = f.get(key)
        return None if x is None else x.date()

    return day


def _contains(key: str, typ: Type, consts: tuple[Any, ...], any_: bool, neg: bool) -> Predicate:
    if typ is Type.TEXT:  # substring
        needle = consts[0]
        if neg:
            return lambda f: (x := f.get(key)) is not None and needle not in x
        return lambda f: (x := f.get(key)) is not None and needle in x
    if any_:
        members = frozenset(consts)
        if neg:
            return lambda f: (x := f.get(key)) is not None and members.isdisjoint(x)
        return lambda f: (x := f.get(key)) is not None and not members.isdisjoint(x)
    member = consts[0]
    if neg:
        return lambda f: (x := f.get(key)) is not None and member not in x
    return lambda f: (x := f.get(key)) is not None and member in x


def _like(get: Callable[[Facts], Any], pattern: str, neg: bool) -> Predicate:
    test = _like_test(pattern)
    if neg:
        return lambda f: (x := get(f)) is not None and not test(x)
    return lambda f: (x := get(f)) is not None and test(x)


def _like_test(pattern: str) -> Callable[[str], bool]:
    while "**" in pattern:
        pattern = pattern.replace("**", "*")
    if "?" not in pattern:
        stars = pattern.count("*")
        body = pattern.strip("*")
        if stars == 0:
            return lambda s: s == pattern
        if pattern == "*":
            return lambda s: True
        if stars == 1 and pattern.endswith("*"):
            return lambda s: s.startswith(body)
        if stars == 1 and pattern.startswith("*"):
            return lambda s: s.endswith(body)
        if stars == 2 and pattern.startswith("*") and pattern.endswith("*"):
            return lambda s: body in s
    return lambda s: wildcard_match(s, pattern)


def wildcard_match(text: str, pattern: str) -> bool:
    """Does ``pattern`` (``*`` any run, ``?`` one character) match all of ``text``?

    The classic iterative algorithm: on a mismatch, resume after the last ``*`` with one
    more character swallowed by it. No recursion; at most len(text) x len(pattern) steps.
    """
    t = p = 0
    star = -1
    mark = 0
    n, m = len(text), len(pattern)
    while t < n:
        if p < m and (pattern[p] == "?" or pattern[p] == text[t]):
            t += 1
            p += 1
        elif p < m and pattern[p] == "*":
            star = p
            mark = t
            p += 1
        elif star >= 0:
            p = star + 1
            mark += 1
            t = mark
        else:
            return False
    while p < m and pattern[p] == "*":
        p += 1
    return p == m

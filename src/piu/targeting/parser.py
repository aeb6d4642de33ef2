"""Tokens to a tree: a hand-written recursive-descent parser with an explicit depth limit.

Grammar (EBNF; keywords are case-insensitive, see ``docs/rules.md``)::

    rule       = disjunct , EOF ;
    disjunct   = conjunct , { "or" , conjunct } ;
    conjunct   = negation , { "and" , negation } ;
    negation   = "not" , negation | primary ;
    primary    = "(" , disjunct , ")" | condition ;
    condition  = attribute , [ test ] ;              (* no test: a yes/no attribute is true *)
    test       = compare_op , literal
               | [ "not" ] , "in" , list
               | [ "not" ] , "between" , literal , "and" , literal
               | [ "not" ] , "like" , string
               | [ "not" ] , "contains" , ( literal | "any" , list )
               | "is" , [ "not" ] , "empty" ;
    compare_op = "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ;
    list       = "(" , literal , { "," , literal } , ")" ;
    literal    = string | number | date | datetime | "true" | "false" ;

``and`` binds tighter than ``or``; ``a and b and c`` becomes one :class:`And` with three
items (no recursion on long flat rules). Nesting of parentheses and ``not`` is limited to
:data:`MAX_DEPTH`, lists to :data:`MAX_LIST_ITEMS`, conditions to :data:`MAX_CONDITIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from piu.targeting._errors import RuleError
from piu.targeting.lexer import Token, tokenize

__all__ = [
    "MAX_CONDITIONS",
    "MAX_DEPTH",
    "MAX_LIST_ITEMS",
    "And",
    "Condition",
    "Literal",
    "Node",
    "Not",
    "Or",
    "conditions",
    "parse",
    "pretty",
]

MAX_DEPTH = 32  # nested parentheses and "not"
MAX_LIST_ITEMS = 200  # values in one "in (...)" list
MAX_CONDITIONS = 100  # conditions in one rule

LiteralValue = str | int | float | bool | date | datetime


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: ``kind`` is ``text``, ``number``, ``date``, ``datetime`` or ``bool``.

    Text is upper-cased here: every text comparison ignores case (facts are upper case).
    """

    value: LiteralValue
    kind: str
    column: int
    length: int


@dataclass(frozen=True, slots=True)
class Condition:
    """One test of one attribute.

    ``op`` is ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``between``, ``like``,
    ``contains``, ``contains any``, ``empty`` or ``true`` (a bare yes/no attribute);
    ``negated`` is set for ``not in``, ``not between``, ``not like``, ``not contains`` and
    ``is not empty``. ``column``/``length`` cover the whole condition, ``name_length`` the
    attribute name at its start.
    """

    attribute: str
    op: str
    args: tuple[Literal, ...]
    negated: bool
    column: int
    length: int
    name_length: int


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node
    column: int


Node = Condition | And | Or | Not

_COMPARE = frozenset({"=", "!=", "<", "<=", ">", ">="})


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.count = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def is_kw(self, *words: str) -> bool:
        return self.tok.kind == "keyword" and self.tok.value in words

    def fail(self, message: str, tok: Token | None = None) -> RuleError:
        tok = tok or self.tok
        return RuleError(message, column=tok.column, length=tok.length, kind="syntax")

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind != kind:
            raise self.fail(f"expected {what}, found {_show(self.tok)}")
        return self.advance()

    # -- grammar ---------------------------------------------------------------------

    def rule(self) -> Node:
        if self.tok.kind == "eof":
            raise self.fail("the rule is empty: write at least one condition")
        node = self.disjunct()
        if self.tok.kind != "eof":
            if self.tok.kind == ")":
                raise self.fail("')' without a matching '('")
            raise self.fail(f"expected 'and', 'or' or the end of the rule, found {_show(self.tok)}")
        return node

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError(
                f"the rule nests parentheses and 'not' more than {MAX_DEPTH} deep",
                column=tok.column,
                length=tok.length,
                kind="limit",
            )

    def disjunct(self) -> Node:
        items = _flat(Or, self.conjunct())
        while self.is_kw("or"):
            self.advance()
            items.extend(_flat(Or, self.conjunct()))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunct(self) -> Node:
        items = _flat(And, self.negation())
        while self.is_kw("and"):
            self.advance()
            items.extend(_flat(And, self.negation()))
        return items[0] if len(items) == 1 else And(tuple(items))

    def negation(self) -> Node:
        if self.is_kw("not"):
            tok = self.advance()
            self.enter(tok)
            item = self.negation()
            self.depth -= 1
            return Not(item, tok.column)
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "(":
            self.advance()
            self.enter(tok)
            node = self.disjunct()
            if self.tok.kind != ")":
                raise self.fail(
                    f"expected ')' to close the '(' at column {tok.column}, found {_show(self.tok)}"
                )
            self.advance()
            self.depth -= 1
            return node
        if tok.kind == "name":
            return self.condition()
        if tok.kind == "eof":
            raise self.fail("the rule ends where a condition was expected")
        if tok.kind in ("string", "number", "date", "datetime") or self.is_kw("true", "false"):
            raise self.fail("a condition starts with an attribute name, e.g. flight.origin = 'IST'")
        raise self.fail(f"expected a condition, found {_show(tok)}")

    def condition(self) -> Condition:
        name = self.advance()
        self.count += 1
        if self.count > MAX_CONDITIONS:
            raise RuleError(
                f"the rule has more than {MAX_CONDITIONS} conditions",
                column=name.column,
                length=name.length,
                kind="limit",
            )
        attribute = str(name.value)
        tok = self.tok
        negated = False
        args: tuple[Literal, ...]
        if tok.kind == "op":
            self.advance()
            op = str(tok.value)
            args = (self.literal(f"a value after '{op}'"),)
        elif self.is_kw("is"):
            self.advance()
            if self.is_kw("not"):
                self.advance()
                negated = True
            if not self.is_kw("empty"):
                raise self.fail(f"expected 'empty' after 'is', found {_show(self.tok)}")
            self.advance()
            op, args = "empty", ()
        elif self.is_kw("not", "in", "between", "like", "contains"):
            if self.is_kw("not"):
                self.advance()
                negated = True
                if not self.is_kw("in", "between", "like", "contains"):
                    raise self.fail(
                        "expected 'in', 'between', 'like' or 'contains' after 'not', "
                        f"found {_show(self.tok)}"
                    )
            op = str(self.advance().value)
            if op == "in":
                args = self.values()
            elif op == "between":
                low = self.literal("a lower bound after 'between'")
                if not self.is_kw("and"):
                    raise self.fail(f"expected 'and' in 'between … and …', found {_show(self.tok)}")
                self.advance()
                args = (low, self.literal("an upper bound after 'and'"))
            elif op == "like":
                args = (self.literal("a text pattern after 'like'"),)
            elif self.is_kw("any"):
                self.advance()
                op = "contains any"
                args = self.values()
            else:
                args = (self.literal("a value after 'contains'"),)
        elif tok.kind in ("eof", ")") or self.is_kw("and", "or"):
            op, args = "true", ()
        elif tok.kind == "(":
            raise self.fail(
                f"'{attribute}' is an attribute, not a function: nothing can be called in a rule"
            )
        else:
            raise self.fail(
                f"expected an operator (=, !=, <, in, between, like, contains, is empty) "
                f"after '{attribute}', found {_show(tok)}"
            )
        last = self.tokens[self.pos - 1]
        end = last.column + last.length
        return Condition(attribute, op, args, negated, name.column, end - name.column, name.length)

    def literal(self, what: str) -> Literal:
        tok = self.tok
        kinds = {"string": "text", "number": "number", "date": "date", "datetime": "datetime"}
        if tok.kind in kinds:
            self.advance()
            value = tok.value.upper() if isinstance(tok.value, str) else tok.value
            return Literal(value, kinds[tok.kind], tok.column, tok.length)  # type: ignore[arg-type]
        if self.is_kw("true", "false"):
            self.advance()
            return Literal(tok.value == "true", "bool", tok.column, tok.length)
        if tok.kind == "op" and tok.value == "=":
            raise self.fail("'==' is written '='")
        if tok.kind == "name":
            raise self.fail(
                f"expected {what}, found the name '{tok.value}': text values are quoted, "
                f"'{str(tok.value).upper()}'"
            )
        raise self.fail(f"expected {what}, found {_show(tok)}")

    def values(self) -> tuple[Literal, ...]:
        open_ = self.expect("(", "'(' to start a list of values")
        items = [self.literal("a value in the list")]
        while self.tok.kind == ",":
            self.advance()
            items.append(self.literal("a value after ','"))
            if len(items) > MAX_LIST_ITEMS:
                raise RuleError(
                    f"the list has more than {MAX_LIST_ITEMS} values",
                    column=open_.column,
                    kind="limit",
                )
        if self.tok.kind != ")":
            raise self.fail(f"expected ',' or ')' in the list, found {_show(self.tok)}")
        self.advance()
        return tuple(items)


def _flat(kind: type[And] | type[Or], node: Node) -> list[Node]:
    """``(a and b) and c`` is ``a and b and c``: splice a parenthesised item of the same kind."""
    return list(node.items) if isinstance(node, kind) else [node]


def _show(tok: Token) -> str:
    if tok.kind == "eof":
        return "the end of the rule"
    if tok.kind == "string":
        return f"the text {_quote(str(tok.value))}"
    if tok.kind in ("keyword", "op", "name"):
        return f"'{tok.value}'"
    if tok.kind in ("(", ")", ","):
        return f"'{tok.kind}'"
    return f"the {tok.kind} {_literal_text(tok.value)}"  # type: ignore[arg-type]


def parse(text: str) -> Node:
    """Parse ``text`` to a tree (syntax only: see :func:`piu.targeting.check` for types)."""
    return _Parser(tokenize(text)).rule()


# -- canonical form ------------------------------------------------------------------


def _quote(s: str) -> str:
    return (
        "'"
        + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
        + "'"
    )


def _literal_text(value: LiteralValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M") + (f":{value:%S}" if value.second else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def condition_text(c: Condition) -> str:
    """One condition in canonical form: ``flight.origin in ('IST', 'DXB')``."""
    neg = "not " if c.negated else ""
    a = c.args
    if c.op == "true":
        return c.attribute
    if c.op == "empty":
        return f"{c.attribute} is {neg}empty"
    if c.op in ("in", "contains any"):
        return f"{c.attribute} {neg}{c.op} ({', '.join(_literal_text(x.value) for x in a)})"
    if c.op == "between":
        lo, hi = (_literal_text(x.value) for x in a)
        return f"{c.attribute} {neg}between {lo} and {hi}"
    return f"{c.attribute} {neg}{c.op} {_literal_text(a[0].value)}"


def pretty(node: Node) -> str:
    """The canonical text of a tree: lower-case keywords and names, single spaces, quotes
    normalised, parentheses only where ``or`` sits inside ``and`` or under ``not``.
    Parsing the result gives the same tree (up to columns)."""
    if isinstance(node, Condition):
        return condition_text(node)
    if isinstance(node, Not):
        inner = pretty(node.item)
        return f"not ({inner})" if isinstance(node.item, And | Or) else f"not {inner}"
    if isinstance(node, And):
        return " and ".join(
            f"({pretty(x)})" if isinstance(x, Or) else pretty(x) for x in node.items
        )
    return " or ".join(pretty(x) for x in node.items)


def conditions(node: Node) -> list[Condition]:
    """Every condition of the tree, left to right."""
    out: list[Condition] = []
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Condition):
            out.append(n)
        elif isinstance(n, Not):
            stack.append(n.item)
        else:
            stack.extend(reversed(n.items))
    return out

"""Characters of a rule expression to tokens, with hard limits and exact columns.

The lexer is the first line of defence against hostile input: it accepts printable ASCII
outside string literals (attribute names are ASCII ``a.b_c``), refuses control and format
characters everywhere (NUL, bidi overrides, zero-width joiners: text that displays
differently from what it is), and stops at the limits below before doing any other work.
Keywords and attribute names are case-insensitive and come out lower case.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from piu.targeting._errors import RuleError

__all__ = [
    "KEYWORDS",
    "MAX_EXPRESSION_LENGTH",
    "MAX_NUMBER_DIGITS",
    "MAX_STRING_LENGTH",
    "MAX_TOKENS",
    "Token",
    "tokenize",
]

MAX_EXPRESSION_LENGTH = 4000  # characters of one expression
MAX_TOKENS = 1000  # tokens of one expression
MAX_STRING_LENGTH = 200  # characters of one string literal (after escapes)
MAX_NUMBER_DIGITS = 15  # digits of one number literal (exact in a float)
MAX_NAME_LENGTH = 64  # characters of one attribute name

KEYWORDS = frozenset(
    {
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
    }
)

_OPERATORS = ("<=", ">=", "!=", "<>", "=", "<", ">")
_ESCAPES = {"'": "'", "\\": "\\", "n": "\n", "t": "\t"}


@dataclass(frozen=True, slots=True)
class Token:
    """``kind`` is ``name``, ``keyword``, ``string``, ``number``, ``date``, ``datetime``,
    ``op``, ``(``, ``)``, ``,`` or ``eof``; ``value`` the decoded value; ``column`` is
    1-based and ``length`` counts source characters."""

    kind: str
    value: object
    column: int
    length: int


def _bad_char(ch: str) -> bool:
    """Control (Cc), format (Cf: bidi, zero-width), surrogate, private and unassigned."""
    if ch in " \t\r\n":
        return False
    return unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029"


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``eof`` token; raise :class:`RuleError`."""
    if not isinstance(text, str):
        raise RuleError("a rule expression must be text", kind="syntax")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise RuleError(
            f"expression is {len(text)} characters long; the limit is {MAX_EXPRESSION_LENGTH}",
            column=MAX_EXPRESSION_LENGTH + 1,
            kind="limit",
        )
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch in " \t\r\n":
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            raise RuleError(
                f"expression has more than {MAX_TOKENS} tokens", column=col, kind="limit"
            )
        if ch == "'":
            tok, i = _string(text, i)
            tokens.append(tok)
        elif ch.isascii() and ch.isdigit():
            tok, i = _number_or_date(text, i)
            tokens.append(tok)
        elif ch == "-" and i + 1 < n and text[i + 1].isascii() and text[i + 1].isdigit():
            tok, i = _number_or_date(text, i + 1)
            if tok.kind != "number":
                raise RuleError("a date cannot be negative", column=col, kind="syntax")
            tokens.append(Token("number", -tok.value, col, tok.length + 1))  # type: ignore[operator]
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            tok, i = _name(text, i)
            tokens.append(tok)
        elif ch in "(),":
            tokens.append(Token(ch, ch, col, 1))
            i += 1
        else:
            for op in _OPERATORS:
                if text.startswith(op, i):
                    tokens.append(Token("op", "!=" if op == "<>" else op, col, len(op)))
                    i += len(op)
                    break
            else:
                raise RuleError(_describe_char(ch), column=col, kind="syntax")
    tokens.append(Token("eof", None, n + 1, 1))
    return tokens


def _describe_char(ch: str) -> str:
    if _bad_char(ch):
        name = unicodedata.name(ch, "")
        label = f"{name} (U+{ord(ch):04X})" if name else f"U+{ord(ch):04X}"
        return f"control or invisible character {label} is not allowed"
    if not ch.isascii():
        return (
            f"character {ch!r} (U+{ord(ch):04X}) is not allowed outside a quoted string; "
            "attribute names and operators are plain ASCII"
        )
    if ch == '"':
        return "text literals use single quotes: 'like this'"
    if ch in "&|":
        return f"unexpected {ch!r}: write 'and' / 'or'"
    if ch == "!":
        return "unexpected '!': write 'not', or '!=' for 'differs from'"
    if ch in "[]{}":
        return f"unexpected {ch!r}: lists are written in parentheses, ('A', 'B')"
    return f"unexpected character {ch!r}"


def _string(text: str, start: int) -> tuple[Token, int]:
    out: list[str] = []
    i = start + 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            if i + 1 < n and text[i + 1] == "'":  # SQL-style doubled quote
                out.append("'")
                i += 2
                continue
            value = "".join(out)
            return Token("string", value, start + 1, i + 1 - start), i + 1
        if ch == "\\":
            if i + 1 >= n or text[i + 1] not in _ESCAPES:
                raise RuleError(
                    "unknown escape in a text literal; use \\' \\\\ \\n or \\t",
                    column=i + 1,
                    length=2,
                    kind="syntax",
                )
            out.append(_ESCAPES[text[i + 1]])
            i += 2
        elif _bad_char(ch) and ch not in " \t":
            raise RuleError(_describe_char(ch), column=i + 1, kind="syntax")
        else:
            out.append(ch)
            i += 1
        if len(out) > MAX_STRING_LENGTH:
            raise RuleError(
                f"text literal is longer than {MAX_STRING_LENGTH} characters",
                column=start + 1,
                length=i - start,
                kind="limit",
            )
    raise RuleError(
        "text literal is not closed: add a ' at the end",
        column=start + 1,
        length=n - start,
        kind="syntax",
    )


def _digits(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i].isascii() and text[i].isdigit():
        i += 1
    return i


def _number_or_date(text: str, start: int) -> tuple[Token, int]:
    n = len(text)
    end = _digits(text, start)
    col = start + 1
    # A date: 4 digits, '-', 2 digits, '-', 2 digits, then optional Thh:mm[:ss].
    if end - start == 4 and end < n and text[end] == "-":
        return _date(text, start)
    value: int | float
    if end < n and text[end] == "." and end + 1 < n and text[end + 1].isdigit():
        frac_end = _digits(text, end + 1)
        digits = (end - start) + (frac_end - end - 1)
        raw = text[start:frac_end]
        end = frac_end
        if digits > MAX_NUMBER_DIGITS:
            raise _too_long(col, end - start)
        value = float(raw)
    else:
        if end - start > MAX_NUMBER_DIGITS:
            raise _too_long(col, end - start)
        value = int(text[start:end])
    if end < n and (text[end].isalpha() or text[end] == "_"):
        raise RuleError(
            f"unexpected {text[end]!r} after a number (durations are written as numbers "
            "of days, hours, ...: see the attribute's unit)",
            column=end + 1,
            kind="syntax",
        )
    return Token("number", value, col, end - start), end


def _too_long(col: int, length: int) -> RuleError:
    return RuleError(
        f"number has more than {MAX_NUMBER_DIGITS} digits", column=col, length=length, kind="limit"
    )


def _date(text: str, start: int) -> tuple[Token, int]:
    n = len(text)
    end = start
    while end < n and (text[end].isascii() and (text[end].isalnum() or text[end] in "-:")):
        end += 1
        if end - start > 19:
            break
    raw = text[start:end]
    col = start + 1
    try:
        if "T" in raw or "t" in raw:
            if len(raw) not in (16, 19):
                raise ValueError(raw)
            return Token("datetime", datetime.fromisoformat(raw.upper()), col, len(raw)), end
        if len(raw) != 10:
            raise ValueError(raw)
        return Token("date", date.fromisoformat(raw), col, len(raw)), end
    except ValueError:
        raise RuleError(
            f"{raw!r} is not a date (YYYY-MM-DD) or a UTC date and time (YYYY-MM-DDThh:mm)",
            column=col,
            length=len(raw),
            kind="syntax",
        ) from None


def _name(text: str, start: int) -> tuple[Token, int]:
    n = len(text)
    i = start
    while i < n and text[i].isascii() and (text[i].isalnum() or text[i] in "_."):
        i += 1
    raw = text[start:i]
    col = start + 1
    if len(raw) > MAX_NAME_LENGTH:
        raise RuleError(
            f"name is longer than {MAX_NAME_LENGTH} characters",
            column=col,
            length=len(raw),
            kind="limit",
        )
    lower = raw.lower()
    if lower in KEYWORDS:
        return Token("keyword", lower, col, len(raw)), i
    if raw.endswith(".") or ".." in raw:
        raise RuleError(
            f"{raw!r} is not an attribute name (parts are joined by single dots)",
            column=col,
            length=len(raw),
            kind="syntax",
        )
    return Token("name", lower, col, len(raw)), i

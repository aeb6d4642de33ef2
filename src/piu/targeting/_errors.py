"""The one error the rule language raises on bad input.

::

    PiuError
    └── RuleError            an expression cannot be read, does not type-check, breaks a
                             size limit, or is refused by the non-discrimination check

``column`` counts characters from 1 at the start of the expression and ``length`` is the
number of characters the fault covers (at least 1), so a caller can underline it.
``kind`` says which stage refused the rule: ``syntax``, ``limit``, ``type``, ``unknown``
(an attribute not in the catalogue) or ``protected`` (non-discrimination).
"""

from __future__ import annotations

from piu.errors import PiuError

__all__ = ["RuleError"]


class RuleError(PiuError):
    """A targeting rule was refused; says where (``column``, ``length``) and why."""

    def __init__(
        self,
        message: str,
        *,
        column: int = 1,
        length: int = 1,
        kind: str = "syntax",
        suggestions: tuple[str, ...] = (),
    ) -> None:
        self.message = message
        self.column = max(1, column)
        self.length = max(1, length)
        self.kind = kind
        self.suggestions = suggestions
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line for people: ``column 12: unknown attribute ... did you mean ...?``."""
        text = f"column {self.column}: {self.message}"
        if self.suggestions:
            quoted = " or ".join(f"'{s}'" for s in self.suggestions)
            text += f"; did you mean {quoted}?"
        return text

    def position(self, expression: str) -> tuple[int, int]:
        """``(line, column)`` of the fault, both from 1, for an editor showing several lines
        (``column`` alone counts from the start of the whole expression)."""
        offset = min(self.column - 1, len(expression))
        start = expression.rfind("\n", 0, offset) + 1
        return expression.count("\n", 0, offset) + 1, offset - start + 1

    def caret(self, expression: str) -> str:
        """The line of ``expression`` holding the fault with a caret line under it."""
        offset = min(self.column - 1, len(expression))
        start = expression.rfind("\n", 0, offset) + 1
        end = expression.find("\n", offset)
        line = expression[start : end if end >= 0 else len(expression)]
        col = offset - start
        width = max(1, min(self.length, len(line) - col))
        return f"{line}\n{' ' * col}{'^' * width}"

    def as_dict(self) -> dict[str, object]:
        """JSON-safe form for the HTTP layer and stored rule drafts."""
        return {
            "kind": self.kind,
            "message": self.message,
            "column": self.column,
            "length": self.length,
            "suggestions": list(self.suggestions),
            "description": self.describe(),
        }

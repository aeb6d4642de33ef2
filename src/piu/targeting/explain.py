"""Evaluate a compiled rule with a trace: what a rule hit stores (DESIGN principle 7).

Every condition is evaluated, not only those the short-circuit would reach, so a reviewer
sees the whole picture; the overall result is the rule's own short-circuit result (they
agree: conditions have no side effects).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from piu.targeting.parser import condition_text

if TYPE_CHECKING:
    from piu.targeting.compiler import CompiledRule, Facts

__all__ = ["ConditionTrace", "Explanation", "explain", "json_value"]


@dataclass(frozen=True, slots=True)
class ConditionTrace:
    """One condition: its canonical text, the attribute, the value seen, and the result."""

    condition: str
    attribute: str
    value: Any
    result: bool
    column: int
    length: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "attribute": self.attribute,
            "value": json_value(self.value),
            "result": self.result,
            "column": self.column,
            "length": self.length,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """The rule's result on one traveller's facts and each condition's part in it."""

    rule: str
    matched: bool
    conditions: tuple[ConditionTrace, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: what the hit record stores."""
        return {
            "rule": self.rule,
            "matched": self.matched,
            "conditions": [c.as_dict() for c in self.conditions],
        }

    def __str__(self) -> str:
        lines = [f"{'MATCH' if self.matched else 'no match'}: {self.rule}"]
        for c in self.conditions:
            mark = "true " if c.result else "false"
            lines.append(f"  {mark} {c.condition}   [{c.attribute} = {json_value(c.value)!r}]")
        return "\n".join(lines)


def json_value(value: Any) -> Any:
    """A fact value in JSON form: sets sorted to lists, dates in ISO 8601."""
    if isinstance(value, frozenset | set | tuple | list):
        return sorted(json_value(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def explain(rule: CompiledRule, facts: Facts) -> Explanation:
    traces = tuple(
        ConditionTrace(
            condition=condition_text(cond),
            attribute=cond.attribute,
            value=facts.get(cond.attribute),
            result=bool(pred(facts)),
            column=cond.column,
            length=cond.length,
        )
        for cond, pred in rule.leaves
    )
    return Explanation(rule.canonical, bool(rule.predicate(facts)), traces)

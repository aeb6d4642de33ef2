"""Targeting rules: a small, safe expression language over a catalogue of attributes.

Public API::

    rule = compile_rule("flight.destination in ('IST', 'DXB') and booking.paid_cash")
    rule(facts)                      # -> bool, fast (nested closures, no eval)
    rule.explain(facts)              # -> Explanation (each condition, value seen, result)
    facts = build_facts(traveller=..., flight=..., pnr=..., pnr_traveller=..., extra={...})

``check(text)`` parses and checks without compiling; ``parse``/``pretty`` give the tree and
its canonical text. Every refusal is a :class:`RuleError` with ``column`` and ``length``.
The grammar, the catalogue and the non-discrimination check are described in
``docs/rules.md``.
"""

from piu.targeting._errors import RuleError as RuleError
from piu.targeting.catalogue import CATALOGUE as CATALOGUE
from piu.targeting.catalogue import Attribute as Attribute
from piu.targeting.catalogue import Type as Type
from piu.targeting.catalogue import describe_catalogue as describe_catalogue
from piu.targeting.checker import check as check
from piu.targeting.compiler import CompiledRule as CompiledRule
from piu.targeting.compiler import Facts as Facts
from piu.targeting.compiler import compile_rule as compile_rule
from piu.targeting.explain import ConditionTrace as ConditionTrace
from piu.targeting.explain import Explanation as Explanation
from piu.targeting.facts import build_facts as build_facts
from piu.targeting.facts import coerce_facts as coerce_facts
from piu.targeting.parser import Node as Node
from piu.targeting.parser import parse as parse
from piu.targeting.parser import pretty as pretty

__all__ = [
    "CATALOGUE",
    "Attribute",
    "CompiledRule",
    "ConditionTrace",
    "Explanation",
    "Facts",
    "Node",
    "RuleError",
    "Type",
    "build_facts",
    "check",
    "coerce_facts",
    "compile_rule",
    "describe_catalogue",
    "parse",
    "pretty",
]

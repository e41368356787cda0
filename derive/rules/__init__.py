"""The rule table: every rule of every family, by name.

A rule is a small pure function ``rule(ctx: LinkContext) -> Verdict``; adding one
means writing it in its family's module and listing it in that module's RULES.
"""

from derive.rules import algebra, calculus, givens, optimisation, pending

RULES = {**givens.RULES, **algebra.RULES, **calculus.RULES, **optimisation.RULES,
         **pending.RULES}

#: Rules whose verdict is "assumed": the report lists the steps that use them.
ASSUMED_RULES = frozenset(givens.RULES)

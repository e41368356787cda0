"""A step not yet justified: ``by = "?"``, as ``derive import`` writes it.

Nothing is checked, so nothing holds: the step is undecided until a real
justification (written by hand, or found by ``derive suggest``) replaces the ``?``.
"""

from __future__ import annotations

from derive.check.context import LinkContext, claims
from derive.check.verdict import Verdict
from derive.latex.relations import ANY

#: The justification of a step that has none yet.
PENDING = "?"


@claims(*ANY)
def pending(ctx: LinkContext) -> Verdict:
    """No justification yet: undecided, whatever the link says."""
    return Verdict.undecided('no justification yet (by = "?"): write one, or run '
                             "derive suggest")


RULES = {PENDING: pending}

"""Build small derivations from a few lines of TOML and check them."""

from __future__ import annotations

from derive.check.engine import check_document
from derive.document.loader import loads

HEADER = r"""
[meta]
title = "rule test"

[symbols]
'x' = "real"
'y' = "real"
'a' = "positive"
'b' = "positive"
'\sigma' = "positive"
'\lambda' = "positive"
'\mu' = "real"
'\theta' = "real"
'\theta^{\ast}' = "real"
'i' = "positive integer"
'N' = "positive integer"
't' = "real"

[indexed]
'x' = "real"

[functions]
'p(t)' = "positive"
'g(t)' = "real"
'q(x | \theta)' = "positive"
'h(x | \theta)' = "real"
'F(p)' = "real"
'\mathcal{L}(p, \mu)' = "real"

[domains]
't' = ['-\infty', '\infty']
"""


def step(tag: str, latex: str, by, **extra) -> str:
    """One [[step]] table; ``by`` is a justification or a list of them."""
    if isinstance(by, str):
        by_text = f"'''{by}'''"
    else:
        by_text = "[" + ", ".join(f"'''{b}'''" for b in by) + "]"
    lines = ["[[step]]", f'tag = "{tag}"', f"latex = '''{latex}'''", f"by = {by_text}"]
    lines += [f"{k} = '''{v}'''" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


#: Generous, so that no verdict a test asserts depends on the machine's speed or load.
TIME_LIMIT = 120.0


def derivation(*steps: str, time_limit: float = TIME_LIMIT):
    """Load and check a derivation made of HEADER and the given steps."""
    return check_document(loads(HEADER + "\n".join(steps), "test.toml"), time_limit=time_limit)


def last(*steps: str, time_limit: float = TIME_LIMIT):
    """The result of the last step."""
    return derivation(*steps, time_limit=time_limit).steps[-1]

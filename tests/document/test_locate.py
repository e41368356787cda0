"""locate() finds where each TOML value starts and how it was quoted."""

from __future__ import annotations

from derive.document.locate import Origin, locate

TEXT = """\
[meta]
title = "t"  # a comment
[symbols]
'\\theta' = "real"
[[step]]
tag = "1"
latex = '''
x = y
'''
by = ["a", 'b (1)']
[[step]]
tag = 2
latex = 'x'
"""


def test_values_keys_and_quotes():
    values, keys = locate(TEXT)
    assert values[("meta", "title")] == Origin(TEXT.index('t"  #'), '"')
    assert values[("symbols", "\\theta")] == Origin(TEXT.index('real'), '"')
    assert keys[("symbols", "\\theta")] == Origin(TEXT.index("\\theta"), "'")
    latex = values[("step", 0, "latex")]
    assert latex == Origin(TEXT.index("x = y"), "'''") and latex.literal
    assert values[("step", 0, "by")] == [Origin(TEXT.index('a"'), '"'),
                                         Origin(TEXT.index("b (1)"), "'")]
    assert values[("step", 1, "tag")] == Origin(TEXT.index("2\n"), "")
    assert values[("step", 1, "latex")] == Origin(TEXT.rindex("x'"), "'")
    assert keys[("step", 1)] == Origin(TEXT.rindex("[[step]]"), "")
    assert not values[("meta", "title")].literal

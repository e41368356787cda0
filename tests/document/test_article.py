"""Reading a Markdown article: front matter, tagged equations byte for byte, prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.document.article import ArticleError, parse_article, read_article, tags_of

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / \
    "000_d622c4ac3bc063ff.txt"


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip("the seed article is not on this machine")
    return read_article(SEED)


def test_seed_has_seventeen_tagged_equations(seed):
    assert [e.tag for e in seed.equations] == [str(n) for n in range(1, 18)]


def test_seed_equations_are_slices_of_the_article_bytes(seed):
    data = SEED.read_bytes()
    for equation in seed.equations:
        assert equation.verbatim
        assert equation.latex.encode("utf-8") in data, equation.tag
        assert equation.latex == equation.latex.strip()
        assert equation.latex.endswith(f"\\tag{{{equation.tag}}}")


def test_seed_front_matter_is_read_as_yaml(seed):
    assert seed.meta["title"] == "为什么生成模型要使用MSE？"
    assert seed.meta["date"] == "2025-12-09"   # createdAt, a YAML date
    assert seed.meta["tags"] == ["图像生成", "均方误差"]
    assert seed.meta["language"] == "zh"


def test_seed_prose_is_the_text_before_each_equation(seed):
    first, fourth = seed.equations[0].prose, seed.equations[3].prose
    assert first.startswith("在生成模型中")
    assert first.endswith("我们可以通过最大化似然估计来实现这个目标：")
    assert "<!-- more -->" not in first          # an HTML comment is no prose
    assert "title:" not in first                 # nor is the front matter
    assert fourth.endswith("它们的和都会趋近于高斯分布：")   # inside a quote
    assert seed.equations[12].prose == "将$\\lambda_0$和$\\lambda_1$代入(8)式中，最终得到："
    assert seed.epilogue == "这正是均方误差（MSE）损失函数的形式。"


ARTICLE = """\
---
title: Small
author: [Ada, Grace]
lang: en
---
Intro with $x$ inline and an untagged display:

$$y = 2$$

Then:
$$x = 1 \\tag{a1}$$
After, $$z$$ inline.
$$
x + 1 = 2
\\tag{2}
$$
The end.
"""


def test_untagged_and_inline_math_stay_in_the_prose():
    article = parse_article(ARTICLE, "small.md")
    assert [(e.tag, e.latex) for e in article.equations] == [
        ("a1", "x = 1 \\tag{a1}"), ("2", "x + 1 = 2\n\\tag{2}")]
    assert "$$y = 2$$" in article.equations[0].prose
    assert article.equations[0].prose.endswith("Then:")
    assert article.equations[1].prose == "After, $$z$$ inline."
    assert article.epilogue == "The end."
    assert article.meta == {"title": "Small", "author": "Ada, Grace", "language": "en"}


def test_invalid_front_matter_is_an_error_with_its_line():
    with pytest.raises(ArticleError) as caught:
        parse_article("---\ntitle: [unclosed\n---\n$$x = 1 \\tag{1}$$\n", "bad.md")
    assert "front matter is not valid YAML" in caught.value.message
    assert caught.value.position.path == "bad.md"


def test_an_article_without_tagged_equations_is_refused():
    with pytest.raises(ArticleError, match="no display equation with a"):
        parse_article("Just $$x = 1$$ and text.\n", "none.md")


def test_a_tag_used_twice_is_refused():
    with pytest.raises(ArticleError, match="used twice"):
        parse_article("$$x = 1 \\tag{1}$$\n\n$$y = 1 \\tag{1}$$\n", "twice.md")


@pytest.mark.parametrize("latex, tags", [
    ("x = 1 \\tag{3}", ["3"]),
    ("x = 1 \\tag*{ 8' }", ["8'"]),
    ("x = 1", []),
])
def test_tags_are_found_with_the_grammar_terminal(latex, tags):
    assert tags_of(latex) == tags

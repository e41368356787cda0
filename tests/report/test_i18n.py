"""The report speaks the article's language: every message has its translation, and a
Chinese article gets Chinese labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.report.i18n import catalog_path, extract, languages, translations
from derive.report.render import render_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_there_are_messages_to_translate():
    assert len(extract(ROOT)) > 20


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_every_message_is_translated(language):
    from babel.messages.pofile import read_po
    with catalog_path(language).open("rb") as file:
        catalog = read_po(file, locale=language)
    missing = [m.id for m in extract(ROOT) if m.id and (
        m.id not in catalog or not catalog[m.id].string or catalog[m.id].fuzzy)]
    assert not missing, f"untranslated in {language}: {missing}"


def test_a_language_without_a_catalog_is_english():
    assert translations("fr").gettext("proved") == "proved"
    assert translations("zh-CN").gettext("proved") == translations("zh").gettext("proved")


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_translations_hold_no_markup(language):
    """A translation goes into TeX, Markdown and HTML as it is: it may hold placeholders,
    never a character that any of them reads."""
    from babel.messages.pofile import read_po
    with catalog_path(language).open("rb") as file:
        catalog = read_po(file, locale=language)
    for message in catalog:
        if message.id:
            text = message.string.replace("%(", "").replace(")s", "")
            assert not set(text) & set("\\{}$&#^_~%*`[]<>|"), (message.id, message.string)
            placeholders = sorted(re.findall(r"%\(\w+\)s", message.id))
            assert sorted(re.findall(r"%\(\w+\)s", message.string)) == placeholders, message.id


def test_a_chinese_article_gets_chinese_labels(mse_result):
    text = render_markdown(mse_result, today="2026-01-01")
    assert "## 验证" in text and "⚠️ **勘误**" in text and "由 derive" in text
    shown = re.sub(r"```mermaid.*?```", "", text, flags=re.S)   # class names are not read
    for english in ("Verification", "proved", "erratum", "Checked by", "assuming", "Source:",
                    "converges"):
        assert english not in shown, english
    assert "by definition" not in text and "按定义" in text   # justifications in words too


def test_labels_may_be_asked_in_another_language(mse_result):
    text = render_markdown(mse_result, today="2026-01-01", labels="en")
    assert "## Verification" in text and "**erratum**" in text and "按定义" not in text
    assert "为什么生成模型要使用MSE" in text   # the article's own words stay


def test_the_command_line_takes_a_language(tmp_path):
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "derive", "report", "--language", "en",
                           "--out", str(tmp_path), str(ROOT / "equations" / "why-mse.toml")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "## Verification" in (tmp_path / "why-mse.md").read_text(encoding="utf-8")


def test_the_web_page_speaks_the_articles_language(mse_result):
    from derive.report.render import render_html
    page = render_html(mse_result, today="2026-01-01")
    assert "<h2>验证</h2>" in page and ">已证明</span>" in page and 'lang="zh"' in page
    assert "<h2>Verification</h2>" not in page and ">proved</span>" not in page


def test_the_engines_words_in_an_assumption_are_translated():
    from derive.report.filters import assumption_math, html_math, tex_math
    zh = translations("zh").gettext
    converges = r"\int_{0}^{1} x dx \text{ converges}"
    assert assumption_math(converges, gettext=zh).endswith(r"\text{ 收敛}")
    assert tex_math(converges, gettext=zh) == r"$\int_{0}^{1} x dx \text{ 收敛}$"
    assert "收敛" in html_math(converges, gettext=zh)
    assert assumption_math(converges).endswith(r"\text{ converges}")

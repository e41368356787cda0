"""The report speaks the article's language: every message has its translation, and a
Chinese article gets Chinese labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.report.i18n import catalog_path, extract, languages, translations

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

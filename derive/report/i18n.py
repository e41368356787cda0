"""The report's words in the article's language, from gettext catalogs.

The catalogs are ``derive/locale/<language>/LC_MESSAGES/derive.po``, read with Babel and
compiled in memory, so no compiled ``.mo`` file is kept beside them. ``make messages``
extracts the messages of the templates and of this package into ``derive/locale/derive.pot``
and updates every catalog from it. English is the source language: it needs no catalog.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "derive"
def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; it is translated where shown."""
    return message


def languages() -> list[str]:
    """The languages with a catalog, and English."""
    return ["en"] + sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalog_path(language: str) -> Path:
    """Where the catalog of ``language`` is."""
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The translations into ``language`` (its primary subtag: ``zh-CN`` is ``zh``);
    English, the source language, for a language without a catalog."""
    primary = str(language or "en").replace("_", "-").split("-")[0].lower()
    path = catalog_path(primary)
    if primary == "en" or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with path.open("rb") as file:
        catalog = read_po(file, locale=primary, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


#: Which files hold messages, how to read them, and the gettext keywords.
MAPPING = [
    ("templates/**.tex.j2", "jinja2", {
        "block_start_string": "<%", "block_end_string": "%>",
        "variable_start_string": "<<", "variable_end_string": ">>",
        "comment_start_string": "<#", "comment_end_string": "#>",
        "newstyle_gettext": "true", "trimmed": "true"}),
    ("templates/**.j2", "jinja2", {"newstyle_gettext": "true", "trimmed": "true"}),
    ("derive/report/**.py", "python", {}),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extract(root: Path):
    """The messages of the templates and the report code below ``root``, as a Babel
    catalog template."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    method_map = [(pattern, method) for pattern, method, _ in MAPPING]
    options_map = {pattern: options for pattern, _, options in MAPPING}
    template = Catalog(domain=DOMAIN, project="derive", charset="utf-8")
    for filename, line, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return template


def update_catalogs(root: Path) -> list[Path]:
    """Write ``derive/locale/derive.pot`` from the sources and bring every catalog up to date
    with it: new messages added untranslated, vanished ones made obsolete."""
    from babel.messages.pofile import read_po, write_po
    template = extract(root)
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as file:
        write_po(file, template, width=100)
    written = []
    for language in languages()[1:]:
        path = catalog_path(language)
        with path.open("rb") as file:
            catalog = read_po(file, locale=language, domain=DOMAIN)
        catalog.update(template)
        with path.open("wb") as file:
            write_po(file, catalog, width=100, omit_header=False)
        written.append(path)
    return written


if __name__ == "__main__":
    for written in update_catalogs(LOCALE.parent.parent):
        print(f"updated {written}")

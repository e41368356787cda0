"""``derive new NAME``: write a commented skeleton derivation that verifies as written.

The skeleton's text is a data file, ``derive/skeleton.toml.j2``, rendered with
Jinja; this module only checks the name and writes the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2

from derive.errors import Position, UsageError

TEMPLATE = "skeleton.toml.j2"

#: A simple file name: letters, digits, '-', '_' and '.', starting with a letter or digit.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("derive", ""), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, autoescape=False)
    return environment.get_template(TEMPLATE)


def check_name(name: str) -> str:
    """The derivation's name without a ``.toml`` suffix, or a :class:`UsageError`.

    >>> check_name("why-mse.toml")
    'why-mse'
    """
    stem = name[:-len(".toml")] if name.endswith(".toml") else name
    if not NAME.fullmatch(stem) or ".." in stem:
        raise UsageError(f"'{name}' is not a simple file name: use letters, digits, '-', '_' "
                         "and '.', starting with a letter or digit (e.g. why-mse)",
                         Position("derive new", 1, 1))
    return stem


def skeleton(name: str, path: str) -> str:
    """The text of the skeleton derivation called ``name``, to be written at ``path``."""
    title = re.sub(r"[-_.]+", " ", name).strip().capitalize()
    return _template().render(name=name, title=title, path=path)


def write_skeleton(name: str, folder: Path, force: bool = False) -> Path:
    """Write ``folder/NAME.toml``; refuse to overwrite an existing file unless ``force``.

    Returns the path written.
    """
    stem = check_name(name)
    folder = Path(folder)
    path = folder / f"{stem}.toml"
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it",
                         Position(str(path), 1, 1))
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder", Position(str(folder), 1, 1))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(stem, path.as_posix()), encoding="utf-8")
    return path

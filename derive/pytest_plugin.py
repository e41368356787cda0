"""derive as a pytest plugin: ``pytest equations/`` checks every derivation, each step a
test item (``why-mse.toml::8``).

Registered through the ``pytest11`` entry point. A derivation file is collected when it
is named on the command line or lies directly in a folder that is (so the many small
derivations among a project's own tests are not collected by a plain ``pytest``), and
holds a ``[[step]]`` table. A step passes when it holds (an erratum: when it fails, as
a strict xfail; an erratum that now passes fails the run); a failure is shown with
derive's own lines. Each file is checked once, by the first of its items to run, with
the verdict cache; under pytest-xdist, ``--dist loadfile`` keeps a file's items together.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from derive.cache import DEFAULT_DIR


class StepFailed(Exception):
    """A step that does not hold, with derive's lines for it."""


class ErratumFailed(StepFailed):
    """An erratum that fails as recorded: the expected outcome of a strict xfail."""


def pytest_addoption(parser):
    group = parser.getgroup("derive", "derive: check derivation files")
    group.addoption("--derive-time-limit", type=float, default=30.0, metavar="SECONDS",
                    help="derive: time allowed for each step (default 30)")
    group.addoption("--derive-no-cache", action="store_true",
                    help="derive: neither read nor write the verdict cache")


def _named(path: Path, session) -> bool:
    return session.isinitpath(path) or session.isinitpath(path.parent)


def pytest_collect_file(file_path: Path, parent):
    """A derivation file named on the command line, or directly in a named folder."""
    if file_path.suffix != ".toml" or not _named(file_path, parent.session):
        return None
    try:
        text = file_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "[[step]]" not in text:
        return None
    return DerivationFile.from_parent(parent, path=file_path)


class DerivationFile(pytest.File):
    """One derivation file: loaded at collection, checked when its first step runs."""

    def collect(self):
        from derive.document.loader import load
        from derive.errors import DeriveError

        try:
            self.document = load(self.path)
        except DeriveError as error:
            raise self.CollectError(error.show()) from None
        self._record = None
        for number, step in enumerate(self.document.steps):
            item = StepItem.from_parent(self, name=step.tag, number=number)
            if step.expect_failure is not None:
                item.add_marker(pytest.mark.xfail(
                    strict=True, raises=ErratumFailed,
                    reason=f"erratum: {step.expect_failure.strip()}"))
            yield item

    def record(self) -> dict:
        """The checked derivation's record, checked once."""
        if self._record is None:
            from derive.cache import Cache
            from derive.check.engine import check_document
            from derive.check.summary import derivation_json

            config = self.config
            cache = None
            if not config.getoption("derive_no_cache"):
                root = os.environ.get("DERIVE_CACHE_DIR") or config.rootpath / DEFAULT_DIR
                cache = Cache(root)
            result = check_document(self.document, config.getoption("derive_time_limit"),
                                    cache=cache)
            self._record = derivation_json(result)
        return self._record


class StepItem(pytest.Item):
    """One step of a derivation."""

    def __init__(self, *, number: int, **kwargs):
        super().__init__(**kwargs)
        self.number = number

    def runtest(self):
        from derive.check.summary import step_lines

        step = self.parent.record()["steps"][self.number]
        lines = "\n".join(step_lines(step))
        if step["expected_failure"]:
            if step["status"] == "failed":
                raise ErratumFailed(lines)
            if step["unexpected_pass"]:
                return  # a strict xfail that passes: pytest fails the run
            raise StepFailed(lines + "\n         an erratum must fail, and this step did "
                                     "not: " + step["status"])
        if not step["ok"]:
            raise StepFailed(lines)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, StepFailed):
            return f"{self.path.name}: {self.parent.document.title}\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        step = self.parent.document.steps[self.number]
        by = "; ".join(j.text for j in step.justifications)
        return self.path, step.position.line - 1, f"({step.tag}) {by}"

"""The templates ship inside the package: a plain (not editable) install renders reports
from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """derive built as a wheel and unpacked into a folder of its own, as pip installs it."""
    wheels = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(wheels)],
        capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    site = tmp_path_factory.mktemp("site")
    (wheel,) = wheels.glob("derive-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_the_wheel_holds_the_templates(installed):
    shipped = {path.name for path in (installed / "derive" / "templates").iterdir()}
    assert {path.name for path in (ROOT / "templates").glob("*.j2")} <= shipped


def test_report_works_from_any_folder_after_a_plain_install(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = elsewhere / "example.toml"
    source.write_text((ROOT / "docs" / "example.toml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    where = subprocess.run(
        [sys.executable, "-c", "import derive; print(derive.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert where.stdout.strip().startswith(str(installed)), where.stdout + where.stderr
    done = subprocess.run(
        [sys.executable, "-m", "derive", "report", "example.toml", "--format", "md",
         "--format", "html", "--out", "out"], cwd=elsewhere, env=env, capture_output=True,
        text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Completing the square" in (elsewhere / "out" / "example.md").read_text(encoding="utf-8")
    page = (elsewhere / "out" / "example.html").read_text(encoding="utf-8")
    assert "katex.render" in page and "KaTeX_Main" in page   # KaTeX and the render script

"""The project's own sources: no warnings when compiled (a later Python refuses them)."""

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("jacviz", "scenes", "tests") for p in (ROOT / folder).rglob("*.py"))


def test_there_are_sources():
    assert len(SOURCES) > 20


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_source_compiles_without_warnings(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # invalid escape sequences are SyntaxWarnings in 3.12
        compile(path.read_text(), str(path), "exec")

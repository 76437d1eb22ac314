"""A hash of the package's sources (standard library only: cheap to import)."""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the installed jacviz package


def source_digest() -> str:
    """A hash of the code that draws (the whole jacviz package).

    manim's partial-movie cache is keyed on mobjects and animations, not on
    code that updaters run; keying working folders and storyboards on the
    source as well means changed code never reuses a stale result.
    """
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(PACKAGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]

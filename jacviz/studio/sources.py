"""A hash of the code that draws (standard library only: cheap to import)."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the installed jacviz package


def scenes_dir() -> Path:
    """Where the scene files are: the checkout's top-level ``scenes/`` (installed as
    ``jacviz.scenes``), or ``jacviz/scenes`` inside an installed wheel."""
    spec = importlib.util.find_spec("jacviz.scenes")
    if spec is None or not spec.submodule_search_locations:  # an install from before scenes/
        from ..core.errors import JacvizError

        raise JacvizError("the scene files are not installed as jacviz.scenes: install jacviz "
                          "again (in a checkout: make setup, or pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def source_files() -> list[tuple[str, Path]]:
    """Every source file that draws, named as it is inside the package."""
    files = {str(p.relative_to(PACKAGE)): p for p in PACKAGE.rglob("*.py")}
    scenes = scenes_dir()
    if scenes != PACKAGE / "scenes":
        files.update({str(Path("scenes") / p.relative_to(scenes)): p for p in scenes.rglob("*.py")})
    return sorted(files.items())


def source_digest() -> str:
    """A hash of the code that draws (the whole jacviz package and its scenes).

    manim's partial-movie cache is keyed on mobjects and animations, not on
    code that updaters run; keying working folders and storyboards on the
    source as well means changed code never reuses a stale result.
    """
    h = hashlib.sha256()
    for name, path in source_files():
        h.update(name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]

"""The studio: scene parameters, the render driver, and the exporters (clips,
stills, the slide deck, the gallery).  It needs manim: ``pip install 'jacviz[render]'``.

Importing this package imports nothing heavy; :func:`require_render_extra`
checks, before anything renders, that manim is there.
"""

from __future__ import annotations

import importlib.util

from ..core.errors import JacvizError

RENDER_EXTRA = "rendering needs the render extra: pip install 'jacviz[render]'"


def require_render_extra() -> None:
    """Refuse (one line, exit 2) when the render extra is not installed."""
    for module in ("manim", "av"):
        if importlib.util.find_spec(module) is None:
            raise JacvizError(RENDER_EXTRA)

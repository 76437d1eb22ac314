"""The one scene registry, in lesson order.

Plain data (no manim import), so that ``jacviz list`` is instant; the
Makefile reads it through ``jacviz list --names``.  Each entry: CLI name ->
(module, class, one-line description).  Adding a scene is one file in
``jacviz/scenes/`` and one line here.
"""

from __future__ import annotations

import difflib
import importlib

from ..core.errors import JacvizError, quote

SCENES = {
    "jacobian-grid": ("jacviz.scenes.jacobian_grid", "JacobianGrid",
                      "§1, §8: a vector-valued map's gradients stacked into the m x n Jacobian grid"),
    "local-linearity": ("jacviz.scenes.local_linearity", "LocalLinearity",
                        "§2: near a point a nonlinear map looks like its Jacobian"),
    "level-sets": ("jacviz.scenes.level_sets", "LevelSets",
                   "§3: dz/dt = grad f . r'(t) along a curve, and tangents to level sets"),
    "surface": ("jacviz.scenes.surface", "Surface",
                "§2, §3: the surface z = f(x, y), its level curves, tangent plane and a lifted curve"),
    "composition": ("jacviz.scenes.composition", "Composition",
                    "§4, §8: Jacobians multiply, and the shapes force the order"),
    "path-sums": ("jacviz.scenes.path_sums", "PathSums",
                  "§5: the chain rule as a sum over paths of a computation graph"),
    "two-way": ("jacviz.scenes.two_way", "TwoWay",
                "§6: dx pushed forward by Jacobians, the gradient pulled back by transposes"),
    "tiny-network": ("jacviz.scenes.tiny_network", "TinyNetwork",
                     "§7: backprop in a tiny network is repeated pullback"),
    "modes": ("jacviz.scenes.modes", "Modes", "§9: forward mode builds the Jacobian by columns, reverse mode by rows"),
    "practice": ("jacviz.scenes.practice", "Practice", "practice: a lesson exercise as question, pause, worked answer"),
}


def names() -> list[str]:
    return list(SCENES)


def describe(name: str) -> str:
    return SCENES[name][2]


def resolve_name(name: str) -> str:
    """The registered name for what the user typed (two_way -> two-way), or a hint."""
    if name in SCENES:
        return name
    alt = name.replace("_", "-").lower()
    if alt in SCENES:
        return alt
    hint = difflib.get_close_matches(alt, list(SCENES), n=1, cutoff=0.0)
    did = f"; did you mean {hint[0]!r}?" if hint else ""
    raise JacvizError(f"unknown scene {quote(name)}{did} (see: jacviz list)")


def scene_class(name: str):
    """The scene's class (imports manim)."""
    from . import require_render_extra

    require_render_extra()
    module, cls, _ = SCENES[resolve_name(name)]
    return getattr(importlib.import_module(module), cls)


def params_class(name: str):
    return scene_class(name).Params

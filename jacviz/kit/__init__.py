"""The kit: the lesson's ideas as named, reusable components.

Scenes are written with these names instead of private copies::

    from jacviz.kit import *

gives the base class :class:`JacvizScene` and the parameter declaration
(:class:`SceneParams`, :func:`param`); the look (:mod:`style`: palette, type
sizes, fitting, arrows); :class:`ColoredTex` (TeX from (tex, colour) pairs) and
:func:`overlay`; :class:`JacobianMatrix`, :class:`MatrixBlock`, :class:`MatrixProduct` and
:class:`ShapeTable`;
:class:`SpacePanel` and :func:`place_label`; :class:`ChainStrip`;
:class:`ComputationGraph`; :class:`LiveReadout`; :class:`PlaneView` (an equal-aspect
plane: data to screen, grids, arrows); :class:`EllipseView` (a circle, its image
under a map and under the Jacobian: the ellipse); and the number formatting
shared with the captions (``fmt_num``, ``plain_vec``, ``signed_sum``,
``plural``, ``tex_num``, ...).  Every component's docstring ends with a small
runnable example scene (the tests render each one).
"""

from ..engine import fastcopy, fastfade, fastfamily
from ..engine import tex_cache
from ..core.fmt import (dot_terms, fmt_num, fmt_vec, nice_floor, nice_range, plain_expr, plain_mat,
                   plain_vec, plural, signed_sum, tex_expr, tex_factor, tex_num, tex_signed_sum,
                   tex_tuple, tex_vec)
from ..engine.params import SceneParams, param
from . import layout, style
from .compgraph import ComputationGraph, adjoint_parts, path_parts, space_tex, tex_name
from .matrix import (JacobianMatrix, MatrixBlock, MatrixProduct, MatrixToFill, ShapeProduct,
                     ShapeTable, legible_matrix, matrix_or_block, readable)
from .panel import Bands, PanelGrid, SpacePanel, fit_grid, map_links, panel_grid, place_label
from .readout import LiveReadout, live_number, stack
from .view import PlaneView, scale_note
from .ellipse import EllipseView
from .scene import JacvizScene
from .strip import ChainStrip
from .colored_tex import ColoredTex, overlay

fastcopy.install()  # copies share what manim never changes in place: same frames, faster
fastfade.install()  # fades take the few values they interpolate, not copies: same frames
fastfamily.install()  # families, subpaths and boxes in one walk each: same results
tex_cache.install()  # TeX compiled in private folders and renamed whole: safe side by side

__all__ = [
    "Bands", "ChainStrip", "ColoredTex", "ComputationGraph", "EllipseView", "JacobianMatrix", "JacvizScene",
    "LiveReadout", "MatrixBlock", "MatrixProduct", "MatrixToFill", "PanelGrid", "PlaneView",
    "SceneParams",
    "ShapeProduct", "ShapeTable", "SpacePanel", "adjoint_parts", "dot_terms", "fit_grid",
    "fmt_num", "fmt_vec", "layout", "legible_matrix", "live_number", "map_links",
    "matrix_or_block", "nice_floor", "nice_range", "overlay", "panel_grid", "param", "path_parts",
    "place_label", "plain_expr", "plain_mat", "plain_vec", "plural", "readable", "scale_note",
    "signed_sum", "space_tex", "stack", "style", "tex_expr", "tex_factor", "tex_name", "tex_num",
    "tex_signed_sum", "tex_tuple", "tex_vec",
]

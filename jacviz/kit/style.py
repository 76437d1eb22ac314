"""The one place for jacviz's look: palette, type sizes, margins, fitting, arrows.

Forward perturbations and backward gradients keep the same colours in every
clip and every page (Okabe-Ito palette, safe for colour-blind viewers;
LESSON.md conventions).  Numbers are written by :mod:`jacviz.core.fmt`, shared with
the captions.
"""

from __future__ import annotations

import numpy as np
from manim import UP, Arrow, DashedLine, Dot, MathTex, RoundedRectangle, Tex, VGroup, config

from .layout import roles
from ..core.fmt import fmt_num, nice_floor, nice_range, plain_expr, plain_mat, plain_vec  # noqa: F401
from ..core.fmt import tex_expr as tex  # noqa: F401
from ..core.fmt import tex_num as num  # noqa: F401
from ..core.fmt import tex_tuple, tex_vec  # noqa: F401

# -- palette ---------------------------------------------------------------
FORWARD = "#E69F00"  # orange: perturbations pushed forward (dx, du, dy, J dx)
BACKWARD = "#56B4E9"  # sky blue: gradients pulled back (J^T g)
POINT = "#009E73"  # bluish green: points and values
WARN = "#D55E00"  # vermillion: warnings, shape mismatches, zero paths
HIGHLIGHT = "#F0E442"  # yellow: the entry / path being discussed
INK = "#FFFFFF"  # main text
MUTED = "#9A9A9A"  # secondary text, grids, axes
PANEL = "#1C1C1C"  # panel fill
BACKGROUND = "#0B0B0B"
KIND_COLOR = {"forward": FORWARD, "backward": BACKWARD, "point": POINT, "map": INK}

# -- type sizes (MathTex/Tex font_size; legible at 480p) --------------------
TITLE = 40
BODY = 34
SMALL = 28
TINY = 24  # the smallest size used anywhere

# -- layout ------------------------------------------------------------------
MARGIN = 0.35  # kept free at every frame edge
TITLE_Y = 3.45
CONTENT_TOP = 2.95  # below the title
CONTENT_BOTTOM = -4.0 + MARGIN  # the lowest content, at the default frame height of 8
LABEL_BUFF = 0.25  # a label above the thing it names (a matrix, a panel)

# -- strokes -------------------------------------------------------------------
GRID_STROKE = 1.6  # a grid in the background (the input grid, the identity)
CURVE_STROKE = 2.2  # a curve or grid the beat is about (an image grid, a level set)


def frame_width() -> float:
    return config.frame_width


def frame_height() -> float:
    return config.frame_height


def safe_width() -> float:
    return config.frame_width - 2 * MARGIN


def safe_height() -> float:
    return config.frame_height - 2 * MARGIN


def content_bottom() -> float:
    return -(config.frame_height / 2 - MARGIN)


def fit(mob, width: float | None = None, height: float | None = None):
    """Scale mob down (never up) so that it fits in width x height."""
    width = safe_width() if width is None else width
    height = safe_height() if height is None else height
    s = min(1.0, width / max(mob.width, 1e-6), height / max(mob.height, 1e-6))
    if s < 1.0:
        mob.scale(s)
    return mob


def place_in_band(mob, top: float, bottom: float, x: float = 0.0, width: float | None = None):
    """Fit mob in the band [bottom, top] (the safe width unless given) and centre it there."""
    fit(mob, safe_width() if width is None else width, top - bottom)
    mob.move_to([x, (top + bottom) / 2, 0])
    return mob


def keep_in_frame(mob, margin: float = MARGIN):
    """Shift mob (and fit it) so that it lies inside the frame's margins."""
    fit(mob, config.frame_width - 2 * margin, config.frame_height - 2 * margin)
    hw, hh = config.frame_width / 2 - margin, config.frame_height / 2 - margin
    dx = max(0.0, -hw - mob.get_left()[0]) - max(0.0, mob.get_right()[0] - hw)
    dy = max(0.0, -hh - mob.get_bottom()[1]) - max(0.0, mob.get_top()[1] - hh)
    mob.shift(np.array([dx, dy, 0.0]))
    return mob


def title(text: str):
    """A scene title at the top of the frame (Tex: text with $math$)."""
    t = Tex(text, font_size=TITLE, color=INK)
    fit(t, safe_width(), 0.8)
    t.move_to(UP * TITLE_Y)
    return t


def caption_text(text: str, color=INK, font_size=SMALL, width: float | None = None):
    """A plain sentence on screen (Tex, so it matches the mathematics)."""
    t = Tex(text, font_size=font_size, color=color)
    return fit(t, safe_width() if width is None else width, 1.2)


def math(tex: str, color=INK, font_size=SMALL):
    """One MathTex in one colour."""
    return MathTex(tex, font_size=font_size, color=color)


# -- arrows --------------------------------------------------------------------
def arrow(start, end, color, stroke_width=6, tip_ratio=0.25):
    """An arrow from start to end (a dot if it has no length)."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    length = float(np.linalg.norm(end - start))
    if length < 1e-6:
        return Dot(start, radius=0.06, color=color)
    return Arrow(start, end, buff=0, color=color, stroke_width=stroke_width,
                 max_tip_length_to_length_ratio=tip_ratio, max_stroke_width_to_length_ratio=12)


def forward_arrow(start, end, **kw):
    """An arrow for a perturbation pushed forward (dx, du, dy): the subject of its beat
    (the layout check wants it at least 20 px long and not hidden)."""
    return roles.subject(arrow(start, end, FORWARD, **kw))


def backward_arrow(start, end, **kw):
    """An arrow for a gradient pulled back: the subject of its beat, as a forward arrow."""
    return roles.subject(arrow(start, end, BACKWARD, **kw))


def map_arrow(start, end, **kw):
    """A plain arrow for a map between spaces (g, f), neither forward nor backward."""
    return arrow(start, end, INK, **kw)


def point_dot(at, radius=0.07):
    return Dot(at, radius=radius, color=POINT)


def panel(width: float, height: float, label: str | None = None, font_size=SMALL):
    """A rounded panel with an optional TeX label above it."""
    box = RoundedRectangle(width=width, height=height, corner_radius=0.15,
                           stroke_color=MUTED, stroke_width=2, fill_color=PANEL, fill_opacity=1)
    if label is None:
        return VGroup(box)
    lab = roles.label(MathTex(label, font_size=font_size, color=INK))
    fit(lab, width - 0.2, 0.6)
    lab.next_to(box, UP, buff=0.12)
    return VGroup(box, lab)


def dashed(start, end, color=MUTED, stroke_width=2):
    return DashedLine(start, end, color=color, stroke_width=stroke_width, dash_length=0.08)


def xmark(size: float = 0.32, color=WARN):
    """A cross: what does not compose, what is wrong."""
    from manim import Line

    h = size / 2
    return VGroup(Line([-h, -h, 0], [h, h, 0]), Line([-h, h, 0], [h, -h, 0])).set_stroke(color, 7)

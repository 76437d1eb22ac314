"""What the rules of the layout check share: the problem record, which mobjects
are texts (and their roles), their boxes, names and sizes.  The rules themselves
are in the sibling modules; :mod:`jacviz.kit.layout` runs them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from manim import (DecimalNumber, ImageMobject, MathTex, PMobject, SingleStringMathTex, Tex, Text,
                   VMobject, config)

from . import roles

class GlyphText(VMobject):
    """A text drawn on outlines of its own rather than as one of manim's text types (a live
    readout's number, :class:`~jacviz.kit.readout.LiveReadout`): held to the rules as a
    number is.  It has ``font_size`` (the size it is drawn at) and ``get_value()``."""


TEXT_TYPES = (MathTex, SingleStringMathTex, Tex, Text, DecimalNumber, GlyphText)
NUMBER_TYPES = (DecimalNumber, GlyphText)
TOLERANCE = 0.04  # frame units (about 2.4 px at 854x480)
#: the pixel sizes of the rules are pixels of a frame 480 px high (854x480)
REFERENCE_HEIGHT_PX = 480


def px(units: float) -> float:
    """Frame units as pixels at 854x480 (whatever the render's pixel size)."""
    return float(units) * REFERENCE_HEIGHT_PX / config.frame_height


@dataclass(frozen=True)
class Problem:
    beat: str
    kind: str  # overlap, off-frame, text-height, arrow-length, arrow-hidden, reading-time,
    #            names, contact
    what: str
    #: the box (x0, y0, x1, y1, frame units) of what is at fault, when it is somewhere
    where: tuple | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.beat}: {self.kind}: {self.what}"

    def where_px(self, size=(854, 480)) -> tuple[int, int, int, int] | None:
        """``where`` in pixels of a frame of ``size`` (left, top, right, bottom)."""
        if self.where is None:
            return None
        w, h = size
        sx, sy = w / config.frame_width, h / config.frame_height
        x0, y0, x1, y1 = self.where
        return (int(round((x0 + config.frame_width / 2) * sx)),
                int(round((config.frame_height / 2 - y1) * sy)),
                int(round((x1 + config.frame_width / 2) * sx)),
                int(round((config.frame_height / 2 - y0) * sy)))


def _visible(mob) -> bool:
    for sub in mob.family_members_with_points():
        if not isinstance(sub, VMobject):
            # an image or a point cloud is drawn as it is; a bare Mobject (a ValueTracker
            # keeps its value as a point) is never drawn
            if isinstance(sub, (ImageMobject, PMobject)):
                return True
            continue
        if sub.get_fill_opacity() > 0.05:
            return True
        if sub.get_stroke_opacity() > 0.05 and sub.get_stroke_width() > 0:
            return True
    return False


def _box(mob):
    pts = np.concatenate([s.points for s in mob.family_members_with_points()])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def edges(mob) -> tuple:
    """A mobject's box as manim places it (x0, y0, x1, y1): the same values as its
    ``get_left()[0]``, ``get_bottom()[1]``, ``get_right()[0]`` and ``get_top()[1]`` (the
    members' anchors), from one walk instead of four."""
    pts = mob.get_points_defining_boundary()
    if len(pts) == 0:
        return 0.0, 0.0, 0.0, 0.0
    lo, hi = np.min(pts, axis=0), np.max(pts, axis=0)
    return lo[0], lo[1], hi[0], hi[1]


def union(a, b) -> tuple:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def gap(a, b) -> float:
    """The distance between two boxes (negative: how far they overlap, the lesser way)."""
    dx = max(a[0], b[0]) - min(a[2], b[2])
    dy = max(a[1], b[1]) - min(a[3], b[3])
    if dx < 0 and dy < 0:
        return max(dx, dy)
    return float(np.hypot(max(dx, 0.0), max(dy, 0.0)))


def _describe(mob) -> str:
    if isinstance(mob, (MathTex, Tex)):
        text = getattr(mob, "tex_string", "") or " ".join(getattr(mob, "tex_strings", []) or [])
        text = " ".join(text.split())
        return f"{type(mob).__name__}({text[:50]!r})"
    if isinstance(mob, Text):
        return f"Text({mob.text[:50]!r})"
    if isinstance(mob, NUMBER_TYPES):
        return f"number {mob.get_value():.3g}"
    return type(mob).__name__


def texts(mobjects) -> list:
    """The outermost visible text mobjects, skipping declared overlays."""
    out = []

    def walk(mob, in_overlay):
        in_overlay = in_overlay or getattr(mob, "jacviz_overlay", False)
        if isinstance(mob, TEXT_TYPES):
            if not in_overlay and mob.family_members_with_points() and _visible(mob):
                out.append(mob)
            return
        for sub in mob.submobjects:
            walk(sub, in_overlay)

    for m in mobjects:
        walk(m, False)
    return out


def texts_with_roles(mobjects, overlays: bool = True) -> list[tuple]:
    """``(text, role, in_overlay)`` for the outermost visible texts: the role is the text's
    own or the nearest marked group's around it (:mod:`.roles`), ``live`` for a content
    text with updaters on it or around it; texts inside a declared overlay are left out
    unless ``overlays``."""
    out = []

    def walk(mob, role, in_overlay, live=False):
        in_overlay = in_overlay or getattr(mob, "jacviz_overlay", False)
        live = live or bool(getattr(mob, "updaters", None))
        role = roles.role_of(mob, role)
        if isinstance(mob, TEXT_TYPES):
            if live and role == roles.CONTENT:
                role = roles.LIVE
            if (overlays or not in_overlay) and mob.family_members_with_points() and \
                    _visible(mob):
                out.append((mob, role, in_overlay))
            return
        for sub in mob.submobjects:
            walk(sub, role, in_overlay, live)

    for m in mobjects:
        walk(m, roles.CONTENT, False)
    return out


def text_of(mob) -> str:
    """The TeX (or plain text) a text mobject shows, as typed."""
    if isinstance(mob, (MathTex, Tex, SingleStringMathTex)):
        text = getattr(mob, "tex_string", "") or " ".join(getattr(mob, "tex_strings", []) or [])
        return " ".join(text.split())
    if isinstance(mob, Text):
        return getattr(mob, "original_text", mob.text)
    return ""


def check(mobjects, beat: str = "", tolerance: float = TOLERANCE) -> list[Problem]:
    """Overlaps of texts and what leaves the frame, in one frame's mobjects."""
    problems = []
    items = [(m, _box(m)) for m in texts(mobjects)]
    for a in range(len(items)):
        ma, ra = items[a]
        for b in range(a + 1, len(items)):
            mb, rb = items[b]
            dx = min(ra[2], rb[2]) - max(ra[0], rb[0])
            dy = min(ra[3], rb[3]) - max(ra[1], rb[1])
            if dx > tolerance and dy > tolerance:
                problems.append(Problem(beat, "overlap",
                                        f"{_describe(ma)} and {_describe(mb)} ({dx:.2f} x {dy:.2f})",
                                        union(ra, rb)))
    hw, hh = config.frame_width / 2 + tolerance, config.frame_height / 2 + tolerance

    def off(box) -> bool:
        return box[0] < -hw or box[2] > hw or box[1] < -hh or box[3] > hh

    def where(box) -> str:
        return f"spans x {box[0]:.2f}..{box[2]:.2f}, y {box[1]:.2f}..{box[3]:.2f}"

    in_text = {id(s) for m, _ in items for s in m.get_family()}
    for m, r in items:
        if off(r):
            problems.append(Problem(beat, "off-frame", f"{_describe(m)} {where(r)}", tuple(r)))
    seen = set()
    for m in mobjects:
        for sub in m.family_members_with_points():
            if id(sub) in in_text or id(sub) in seen or not _visible(sub):
                continue
            seen.add(id(sub))
            r = _box(sub)
            if off(r):
                problems.append(Problem(beat, "off-frame", f"{_describe(sub)} {where(r)}", tuple(r)))
    return problems

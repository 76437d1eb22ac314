"""The layout check: at the end of every beat, what collides and what leaves the frame.

Text and TeX are what a viewer reads; two of them drawn over each other, or
anything drawn past the frame's edge, is a fault.  The check lists

- every pair of text or TeX mobjects (the outermost ``MathTex``/``Tex``/``Text``/
  numbers, not their glyphs) whose bounding boxes intersect by more than
  ``tolerance`` in both directions, unless either is declared an overlay
  (:func:`jacviz.kit.colored_tex.overlay`) or lies inside one;
- every visible mobject whose bounding box leaves the frame by more than
  ``tolerance``.

It reports, it does not raise: the scene records the problems of each beat,
and the tests assert that there are none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DecimalNumber, ImageMobject, MathTex, PMobject, SingleStringMathTex, Tex, Text,
                   VMobject, config)

TEXT_TYPES = (MathTex, SingleStringMathTex, Tex, Text, DecimalNumber)
TOLERANCE = 0.04  # frame units (about 2.4 px at 854x480)


@dataclass(frozen=True)
class Problem:
    beat: str
    kind: str  # "overlap" or "off-frame"
    what: str

    def __str__(self) -> str:
        return f"{self.beat}: {self.kind}: {self.what}"


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
    return lo[0], lo[1], hi[0], hi[1]


def _describe(mob) -> str:
    if isinstance(mob, (MathTex, Tex)):
        text = getattr(mob, "tex_string", "") or " ".join(getattr(mob, "tex_strings", []) or [])
        text = " ".join(text.split())
        return f"{type(mob).__name__}({text[:50]!r})"
    if isinstance(mob, Text):
        return f"Text({mob.text[:50]!r})"
    if isinstance(mob, DecimalNumber):
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


def check(mobjects, beat: str = "", tolerance: float = TOLERANCE) -> list[Problem]:
    """The problems of one frame's mobjects (see the module docstring)."""
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
                                        f"{_describe(ma)} and {_describe(mb)} ({dx:.2f} x {dy:.2f})"))
    hw, hh = config.frame_width / 2 + tolerance, config.frame_height / 2 + tolerance

    def off(box) -> bool:
        return box[0] < -hw or box[2] > hw or box[1] < -hh or box[3] > hh

    def where(box) -> str:
        return f"spans x {box[0]:.2f}..{box[2]:.2f}, y {box[1]:.2f}..{box[3]:.2f}"

    in_text = {id(s) for m, _ in items for s in m.get_family()}
    for m, r in items:
        if off(r):
            problems.append(Problem(beat, "off-frame", f"{_describe(m)} {where(r)}"))
    seen = set()
    for m in mobjects:
        for sub in m.family_members_with_points():
            if id(sub) in in_text or id(sub) in seen or not _visible(sub):
                continue
            seen.add(id(sub))
            r = _box(sub)
            if off(r):
                problems.append(Problem(beat, "off-frame", f"{_describe(sub)} {where(r)}"))
    return problems

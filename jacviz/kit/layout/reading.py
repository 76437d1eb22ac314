"""Rules on texts as a viewer reads them: how high they are, what they touch.

**Text height.** A text's height is the height of one line of its type at its
size on screen: from the top of a capital to the bottom of a descender ("Xy"),
in pixels of the 854x480 frame.  It is the text's font size as drawn (manim's
``font_size``, which follows every scaling since the text was made) times the
line height per point of its kind of type, measured once: TeX (``MathTex``,
``Tex``, numbers) 13.27 px at font size 24, Pango (``Text``) 19.03 px
(``tests/test_layout_rules.py`` measures both again).  A content text must be at
least :data:`CONTENT_PX` (12 px: font size 21.7 in TeX; ``style.TINY`` is 24), a
tick label at least :data:`TICK_PX` (9 px: font size 16.3); decoration is exempt.

**Contact.** Labels (texts marked ``label`` or ``tick``, :mod:`.roles`) keep at least
:data:`CONTACT_GAP` (3 px) from every other label and from every arrowhead on screen,
box to box.  Texts inside a declared overlay are left out, as the overlap rule
leaves them out; pairs that overlap (the overlap rule's report) are not reported
again.
"""

from __future__ import annotations

import math

from manim import Text
from manim.mobject.geometry.tips import ArrowTip

from . import roles
from .base import (TOLERANCE, Problem, _box, _describe, _visible, gap, px, texts_with_roles,
                   union)

CONTENT_PX = 12.0
TICK_PX = 9.0
#: the line height ("Xy") per point of font size, in frame units (854x480: 60 px a unit)
LINE_UNITS_PER_POINT = {"tex": 13.270236 / 60 / 24, "text": 19.03125 / 60 / 24}
CONTACT_GAP = 0.05  # frame units: 3 px at 854x480


def line_height_px(mob) -> float | None:
    """The height of one line of ``mob``'s type at its size on screen, in px at 854x480
    (None when its size cannot be read)."""
    try:
        size = float(mob.font_size)
    except (AttributeError, ZeroDivisionError, TypeError, ValueError):
        return None
    if not math.isfinite(size) or size <= 0:
        return None
    return px(size * LINE_UNITS_PER_POINT["text" if isinstance(mob, Text) else "tex"])


def text_height(mobjects, beat: str = "", found=None) -> list[Problem]:
    problems = []
    for mob, role, _ in found if found is not None else texts_with_roles(mobjects):
        if role == roles.DECORATION:
            continue
        need = TICK_PX if role == roles.TICK else CONTENT_PX
        h = line_height_px(mob)
        if h is not None and h < need - 1e-9:
            kind = "tick label" if role == roles.TICK else \
                "content text" if role in (roles.CONTENT, roles.LIVE) else role
            problems.append(Problem(beat, "text-height",
                                    f"{_describe(mob)} is {h:.1f} px high; a {kind} needs "
                                    f"{need:g} px at 854x480", _box(mob)))
    return problems


def arrow_tips(mobjects) -> list:
    seen, tips = set(), []
    for m in mobjects:
        for sub in m.get_family():
            if isinstance(sub, ArrowTip) and id(sub) not in seen and sub.has_points() and \
                    _visible(sub):
                seen.add(id(sub))
                tips.append(sub)
    return tips


def contact(mobjects, beat: str = "", found=None, tolerance: float = TOLERANCE) -> list[Problem]:
    found = found if found is not None else texts_with_roles(mobjects)
    labels = [(m, _box(m)) for m, role, overlay in found
              if role in (roles.LABEL, roles.TICK) and not overlay]
    problems = []
    for a in range(len(labels)):
        ma, ra = labels[a]
        for b in range(a + 1, len(labels)):
            mb, rb = labels[b]
            g = gap(ra, rb)
            overlapping = (min(ra[2], rb[2]) - max(ra[0], rb[0]) > tolerance and
                           min(ra[3], rb[3]) - max(ra[1], rb[1]) > tolerance)
            if g < CONTACT_GAP and not overlapping:
                problems.append(Problem(beat, "contact", f"{_describe(ma)} and {_describe(mb)} are "
                                        f"{max(px(g), 0):.1f} px apart; labels keep "
                                        f"{px(CONTACT_GAP):g} px", union(ra, rb)))
    if labels:
        for tip in arrow_tips(mobjects):
            rt = _box(tip)
            for m, r in labels:
                g = gap(r, rt)
                if g < CONTACT_GAP:
                    problems.append(Problem(beat, "contact",
                                            f"{_describe(m)} touches an arrowhead "
                                            f"({max(px(g), 0):.1f} px apart; labels keep "
                                            f"{px(CONTACT_GAP):g} px)", union(r, rt)))
    return problems

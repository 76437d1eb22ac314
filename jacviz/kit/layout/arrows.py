"""Rules on the arrows a beat is about (marked ``subject`` by the kit, :mod:`.roles`).

**Arrow length.** A subject arrow is at least :data:`MIN_PX` (20 px) long at 854x480,
from its start to the tip's point.  A subject drawn as a dot (the kit draws a
vector of no length so) is 0 px long.

**Hidden.** A subject arrow is hidden when more than :data:`HIDDEN_SHARE` of its
length lies under mobjects drawn after it (manim's drawing order: ``z_index``,
then the order of the scene's list) that are filled (fill opacity at least
:data:`COVER_OPACITY`) and are not texts: the point's dot, a label's backdrop, a
panel.  A dot covers a disc; anything else its bounding box.
"""

from __future__ import annotations

import numpy as np
from manim import Arrow, Circle, Dot, VMobject
from manim.utils.family import extract_mobject_family_members

from . import roles
from .base import TEXT_TYPES, Problem, _box, _visible, px

MIN_PX = 20.0
HIDDEN_SHARE = 0.5
COVER_OPACITY = 0.5
SAMPLES = 24


def subjects(mobjects) -> list:
    """The outermost visible mobjects marked ``subject``."""
    out = []

    def walk(mob):
        if roles.role_of(mob, "") == roles.SUBJECT:
            if mob.family_members_with_points() and _visible(mob):
                out.append(mob)
            return
        for sub in mob.submobjects:
            walk(sub)

    for m in mobjects:
        walk(m)
    return out


def ends(mob) -> tuple[np.ndarray, np.ndarray]:
    """The drawn start and end of a subject (a dot: its centre, twice)."""
    if isinstance(mob, Arrow):
        return np.asarray(mob.get_start(), float), np.asarray(mob.get_end(), float)
    c = np.asarray(mob.get_center(), float)
    return c, c


def _describe_arrow(mob, s, e) -> str:
    kind = "arrow" if isinstance(mob, Arrow) else f"{type(mob).__name__} (an arrow of no length)"
    return (f"{kind} from ({s[0]:.2f}, {s[1]:.2f}) to ({e[0]:.2f}, {e[1]:.2f}) "
            f"[{mob.get_color().to_hex()}]")


def arrow_length(mobjects, beat: str = "", found=None) -> list[Problem]:
    problems = []
    for mob in found if found is not None else subjects(mobjects):
        s, e = ends(mob)
        length = px(np.linalg.norm(e[:2] - s[:2]))
        if length < MIN_PX - 1e-9:
            problems.append(Problem(beat, "arrow-length",
                                    f"{_describe_arrow(mob, s, e)} is {length:.1f} px long; a "
                                    f"subject arrow needs {MIN_PX:g} px at 854x480", _box(mob)))
    return problems


def _covers(leaf) -> bool:
    return (isinstance(leaf, VMobject) and leaf.get_fill_opacity() >= COVER_OPACITY
            and leaf.has_points())


def arrow_hidden(mobjects, beat: str = "", found=None) -> list[Problem]:
    found = found if found is not None else subjects(mobjects)
    if not found:
        return []
    order = extract_mobject_family_members(list(mobjects), use_z_index=True,
                                           only_those_with_points=True)
    rank = {id(m): i for i, m in enumerate(order)}
    in_text = set()
    for m in mobjects:
        for sub in m.get_family():
            if isinstance(sub, TEXT_TYPES):
                in_text.update(id(x) for x in sub.get_family())
    problems = []
    for mob in found:
        own = {id(x) for x in mob.get_family()}
        last = max((rank.get(i, -1) for i in own), default=-1)
        s, e = ends(mob)
        if np.linalg.norm(e - s) < 1e-9:
            continue  # no length: the length rule says so
        pts = s + (e - s) * (np.arange(SAMPLES) + 0.5)[:, None] / SAMPLES
        covered = np.zeros(SAMPLES, dtype=bool)
        culprits = []
        for leaf in order[last + 1:]:
            if id(leaf) in own or id(leaf) in in_text or not _covers(leaf):
                continue
            x0, y0, x1, y1 = _box(leaf)
            if isinstance(leaf, (Dot, Circle)):
                c, r = np.array([(x0 + x1) / 2, (y0 + y1) / 2]), (x1 - x0) / 2
                hit = np.linalg.norm(pts[:, :2] - c, axis=1) <= r
            else:
                hit = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
            if hit.any():
                covered |= hit
                culprits.append(type(leaf).__name__)
        share = covered.mean()
        if share > HIDDEN_SHARE:
            problems.append(Problem(beat, "arrow-hidden",
                                    f"{_describe_arrow(mob, s, e)} is {share:.0%} under "
                                    f"{', '.join(sorted(set(culprits)))} drawn on top", _box(mob)))
    return problems

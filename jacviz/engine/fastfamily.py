"""Three of manim's walks, done without the per-call overhead, with the same results.

``Mobject.get_family`` lists a mobject and every member below it.  manim builds it
recursively, and at every level removes repeats (keeping each member's last place):
a glyph's family is rebuilt once per level above it, so a formula of 100 glyphs in
three groups costs several hundred list walks, and a scene asks for families of
everything on screen many times per frame (which mobjects move, which have updaters,
which have points to draw): a fifth of a key-frame draw (measured on composition).
Removing repeats at every level and then once more over the whole list keeps the same
members in the same order as removing them once from the flat walk (each member's last
place in the walk decides its place either way), so :func:`get_family` walks once, and
removes repeats only when a member appears twice (a mobject in two groups).

``VMobject.get_subpaths_from_points`` splits a path where one curve's end is not the
next curve's start, comparing each pair with its own ``np.allclose`` call (a dozen numpy
calls per curve; every ``Transform`` aligns its glyphs' subpaths).  manim has the same
comparison vectorised (``get_subpath_split_indices_from_points``, ``np.isclose``'s
semantics, non-finite values included), used by its camera; :func:`get_subpaths_from_points`
uses it, and keeps the pieces of at least one curve, as manim's does.

``VMobject.get_points_defining_boundary`` (the anchors of every member, from which every
``get_left``, ``next_to``, ``align_to`` and ``arrange`` takes its box) interleaves each
curve's start and end anchors row by row in Python, then builds the array from the rows;
:func:`get_points_defining_boundary` interleaves them with two slices (the same rows in the
same order).

:func:`install` puts the three in place (idempotent).  A class that defines its own
``get_family`` or ``get_anchors`` keeps it, and so do its members.
``tests/test_fastfamily.py`` compares each with manim's own on shared members, deep groups,
degenerate paths and every member kind of a scene.
"""

from __future__ import annotations

import numpy as np

_INSTALLED = False
_MANIMS_ANCHORS = None  # VMobject.get_anchors, set by install()


def get_family(self, recurse: bool = True) -> list:
    subs = self.submobjects
    if not subs:
        return [self]
    out = [self]
    stack = list(reversed(subs))
    push, append = stack.extend, out.append
    while stack:
        m = stack.pop()
        if type(m).get_family is not get_family:  # a class with its own: as it says
            out.extend(m.get_family())
            continue
        append(m)
        s = m.submobjects
        if s:
            push(reversed(s))
    if len(set(map(id, out))) == len(out):
        return out
    seen: set[int] = set()
    kept = []
    for m in reversed(out):  # each member at its last place, as manim's
        if id(m) not in seen:
            seen.add(id(m))
            kept.append(m)
    kept.reverse()
    return kept


def get_subpaths_from_points(self, points) -> list:
    nppcc = self.n_points_per_cubic_curve
    return [points[i1:i2] for i1, i2 in self.get_subpath_split_indices_from_points(points)
            if i2 - i1 >= nppcc]


def get_points_defining_boundary(self):
    chunks = []
    for sm in self.get_family():
        if type(sm).get_anchors is not _MANIMS_ANCHORS:  # a class with its own anchors: as it says
            rows = sm.get_anchors()
            if len(rows):
                chunks.append(np.array(tuple(rows)))
            continue
        pts = sm.points
        if pts.shape[0] == 1:
            chunks.append(pts)
            continue
        nppcc = sm.n_points_per_cubic_curve
        starts, ends = pts[::nppcc], pts[nppcc - 1::nppcc]
        if len(starts) != len(ends):
            sm.get_anchors()  # manim's error (a curve cut short), raised as manim raises it
        if len(starts):
            rows = np.empty((2 * len(starts), pts.shape[1]), dtype=pts.dtype)
            rows[0::2], rows[1::2] = starts, ends
            chunks.append(rows)
    if not chunks:
        return np.array(())
    return np.concatenate(chunks) if len(chunks) > 1 else np.array(chunks[0])


def install() -> None:
    """Use the three walks for every mobject (idempotent)."""
    global _INSTALLED, _MANIMS_ANCHORS
    if _INSTALLED:
        return
    from manim import Mobject, VMobject

    _MANIMS_ANCHORS = VMobject.get_anchors

    Mobject.get_family = get_family
    VMobject.get_subpaths_from_points = get_subpaths_from_points
    VMobject.get_points_defining_boundary = get_points_defining_boundary
    _INSTALLED = True

"""A plane drawn in a screen rectangle with equal units: data (x, y) -> screen."""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Line, MathTex, Polygon, Rectangle, VGroup, VMobject

from ..core.fmt import nice_ceil, nice_floor, nice_range, tex_num
from . import style
from .layout import roles


class PlaneView:
    """Data coordinates of a plane -> the screen, with equal units on both axes.

    ``PlaneView(lo, hi, center=..., width=..., height=...)`` fits the data box
    [lo, hi] into the screen rectangle (less ``pad`` on every side), centred;
    ``scale`` (screen units per data unit) caps the fitted scale, so that two
    views given one scale show sizes that compare directly.  Calling the view
    maps points of shape (..., 2) to screen points (..., 3); ``xlim`` and
    ``ylim`` are the data the whole rectangle shows.

    Drawing, all in data coordinates: :meth:`polyline`, :meth:`grid` (many
    polylines, e.g. from :func:`jacviz.core.grids.grid_lines`), :meth:`dot`,
    :meth:`polygon`, :meth:`arrow` (a vector at a point, in its kind's colour)
    and :meth:`right_angle`.  Arrows: :meth:`arrow_scale` is a round factor
    that draws vectors legibly, :meth:`with_arrows` a view that holds them too,
    :func:`scale_note` the note that says so.  The rectangle's furniture:
    :meth:`frame`, :meth:`axes` (the lines x = 0 and y = 0 where in view),
    :meth:`ticks` (round values along the bottom and left edges, and the axis
    names), :meth:`label_lines` (a label beside each of several curves, e.g.
    level sets, where it covers the least); ``top``, ``bottom`` and
    :meth:`corner` for what goes beside it.

    Examples
    --------
    .. code-block:: python

        from jacviz.core.grids import bounds, grid_lines
        from jacviz.kit.view import PlaneView

        class PlaneViewExample(Scene):
            def construct(self):
                F, x0 = Map("(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))"), [1.0, 0.5]
                lines = grid_lines(x0, 1.0, count=5)
                view = PlaneView(*bounds(lines, F(lines)), center=LEFT, width=6, height=5)
                ticks, names = view.ticks(["x", "y"])
                self.add(view.frame(), view.grid(lines, style.MUTED, opacity=0.6),
                         view.grid(F(lines), style.INK), ticks, names,
                         view.arrow(F(x0), F.jacobian(x0)[:, 0], "forward", scale=0.5),
                         view.dot(F(x0)))
    """

    def __init__(self, lo, hi, *, center=ORIGIN, width: float, height: float, pad: float = 0.3,
                 scale: float | None = None):
        lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        ext = np.maximum(hi - lo, 1e-6)
        fitted = min((width - 2 * pad) / ext[0], (height - 2 * pad) / ext[1])
        self.scale = fitted if scale is None else min(scale, fitted)
        self.mid = (lo + hi) / 2
        self.origin = np.asarray(center, dtype=float)
        self.width, self.height = float(width), float(height)

    @classmethod
    def with_arrows(cls, lo, hi, families, margin: float = 0.25, keys=None, share=None,
                    least: float = 0.4, cap: float = 4.5, **rect):
        """A view of the box [lo, hi] and of vectors drawn at points, e.g. gradients and
        velocities along a curve: each family (points, vectors) gets a round scale
        (:meth:`arrow_scale`, judged in the view of the box) and the box grows to hold
        every tip, ``margin`` screen units beyond.  ``keys`` (one array of vectors per
        family, or None) are the vectors a beat is about (drawn where a beat ends): a
        family's scale is raised, to a round factor, until each of its nonzero keys is at
        least ``least`` screen units long, while its longest vector stays within ``cap``
        screen units.  Families with the same ``share`` tag (one per family) start from
        one scale, judged by the longest of them all.  Returns (view, scales)."""
        keys = keys or [None] * len(families)
        lo0, hi0 = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        first = cls(lo0, hi0, **rect)
        longest = [float(np.linalg.norm(v, axis=-1).max()) for _, v in families]
        shortest = []  # each family's shortest nonzero key (0: none)
        for key in keys:
            k = np.linalg.norm(np.asarray(key, dtype=float).reshape(-1, 2), axis=1) \
                if key is not None else np.zeros(0)
            shortest.append(float(k[k > 0].min()) if np.any(k > 0) else 0.0)
        share = share or list(range(len(families)))
        scales = [first.arrow_scale(max(L for L, t in zip(longest, share) if t == tag))
                  for tag in share]

        def grow(scales):
            tips = np.concatenate([np.asarray(p) + s * np.asarray(v)
                                   for (p, v), s in zip(families, scales)])
            pad = margin / first.scale
            return cls(np.minimum(lo0, tips.min(axis=0) - pad),
                       np.maximum(hi0, tips.max(axis=0) + pad), **rect)

        view = grow(scales)
        for _ in range(8):  # a longer arrow grows the box, which shrinks the screen scale
            raised = [max(s, min(nice_ceil(least / (k * view.scale)),
                                 nice_floor(cap / (L * view.scale))))
                      if k and k * s * view.scale < least else s
                      for s, k, L in zip(scales, shortest, longest)]
            if raised == scales:
                break
            scales, view = raised, grow(raised)
        return view, scales

    def __call__(self, pts) -> np.ndarray:
        pts = np.asarray(pts, dtype=float)
        out = np.zeros(pts.shape[:-1] + (3,))
        out[..., :2] = (pts - self.mid) * self.scale + self.origin[:2]
        return out

    @property
    def xlim(self) -> tuple[float, float]:
        r = self.width / 2 / self.scale
        return (self.mid[0] - r, self.mid[0] + r)

    @property
    def ylim(self) -> tuple[float, float]:
        r = self.height / 2 / self.scale
        return (self.mid[1] - r, self.mid[1] + r)

    # -- drawing in data coordinates -----------------------------------------------------
    def polyline(self, points, color=style.INK, width: float = 2.0, opacity: float = 1.0):
        m = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        m.set_points_as_corners(self(points))
        return m

    def grid(self, lines, color=style.INK, width: float = 2.0, opacity: float = 1.0) -> VGroup:
        """One polyline per line of ``lines`` (shape (lines, samples, 2))."""
        return VGroup(*[self.polyline(ln, color, width, opacity) for ln in lines])

    def retrace(self, grid: VGroup, lines) -> VGroup:
        """A grid drawn by :meth:`grid` (in any view) moved onto ``lines`` in this view, in
        place: each polyline's points set as :meth:`grid` would set them, nothing built
        (an updater that follows a moving grid frame by frame).  Same number of lines."""
        if len(lines) != len(grid):
            raise ValueError(f"retrace: {len(lines)} lines for a grid of {len(grid)}")
        for line, pts in zip(grid, lines):
            line.set_points_as_corners(self(pts))
        return grid

    def dot(self, p, radius: float = 0.07):
        return style.point_dot(self(p), radius=radius)

    def polygon(self, corners, color=style.FORWARD, opacity: float = 0.3):
        """A filled polygon without outline (a square, a parallelogram)."""
        return Polygon(*self(corners), stroke_width=0, fill_color=color, fill_opacity=opacity)

    def arrow(self, p, vec, kind: str = "forward", scale: float = 1.0, zero_ok: bool = False,
              **kw):
        """The vector ``scale * vec`` drawn at the point p, in the kind's colour: the subject
        of its beat when forward or backward.  With ``zero_ok``, a vector that is exactly 0
        (a dot: it has no arrow) is not a subject; the scene says "= 0" beside it."""
        p, vec = np.asarray(p, dtype=float), np.asarray(vec, dtype=float)
        arr = style.arrow(self(p), self(p + scale * vec), style.KIND_COLOR[kind], **kw)
        if zero_ok and not np.any(vec):
            return roles.decoration(arr)
        return roles.subject(arr) if kind in ("forward", "backward") else arr

    def right_angle(self, p, u, v, size: float = 0.2, tol: float = 0.035):
        """A right-angle mark at p between the directions u and v (empty unless they are
        perpendicular: |cos| below ``tol``, about 2 degrees)."""
        u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
        nu, nv = np.linalg.norm(u), np.linalg.norm(v)
        mark = VMobject(stroke_color=style.INK, stroke_width=2.5)
        if nu < 1e-12 or nv < 1e-12 or abs(u @ v) > tol * nu * nv:
            return mark
        o, a, b = self(p), np.append(u / nu, 0.0) * size, np.append(v / nv, 0.0) * size
        mark.set_points_as_corners([o + a, o + a + b, o + b])
        return mark

    def arrow_scale(self, longest: float, lo: float = 0.5, hi: float = 2.6) -> float:
        """A round factor (:func:`jacviz.core.fmt.nice_floor`) at which the longest of some
        vectors (its data length) is drawn legibly: 1 when it is already between ``lo``
        and ``hi`` screen units (or has no length), else the factor that brings it down to
        2.1 or up to 1."""
        screen = longest * self.scale
        if screen <= 1e-9 or lo <= screen <= hi:
            return 1.0
        return nice_floor((2.1 if screen > hi else 1.0) / screen)

    # -- the rectangle's furniture -------------------------------------------------------------
    @property
    def top(self) -> float:
        """The screen y of the rectangle's top edge (``bottom`` likewise)."""
        return float(self.origin[1] + self.height / 2)

    @property
    def bottom(self) -> float:
        return float(self.origin[1] - self.height / 2)

    def corner(self, dx: int, dy: int) -> np.ndarray:
        """A corner or edge midpoint of the rectangle: dx, dy in {-1, 0, 1}."""
        return self.origin + np.array([dx * self.width / 2, dy * self.height / 2, 0.0])

    def frame(self, color=style.MUTED, width: float = 1.5) -> Rectangle:
        return Rectangle(width=self.width, height=self.height, stroke_color=color,
                         stroke_width=width).move_to(self.origin)

    def axes(self, color=style.MUTED) -> VGroup:
        """The coordinate axes, where they cross the rectangle."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        out = VGroup()
        if x0 < 0 < x1:
            out.add(Line(self((0, y0)), self((0, y1)), color=color, stroke_width=1.2,
                         stroke_opacity=0.6))
        if y0 < 0 < y1:
            out.add(Line(self((x0, 0)), self((x1, 0)), color=color, stroke_width=1.2,
                         stroke_opacity=0.6))
        return out

    def ticks(self, names, count: int = 5) -> tuple[VGroup, VGroup]:
        """Round values (one step for both axes) below the bottom edge and left of the left
        edge, and the axis names at the far ends: (tick labels, names)."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        step = max(nice_range(x0, x1, ticks=count)[2], nice_range(y0, y1, ticks=count)[2])
        xname = MathTex(names[0], font_size=style.SMALL, color=style.MUTED)
        xname.next_to(self((x1, y0)), DOWN, buff=0.1).align_to(self.corner(1, 0), RIGHT)
        yname = MathTex(names[1], font_size=style.SMALL, color=style.MUTED)
        yname.next_to(self((x0, y1)), LEFT, buff=0.12).align_to(self.corner(0, 1), UP)
        left, bottom = self.corner(-1, -1)[:2]
        labels = VGroup()
        for axis, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
            for v in np.arange(math.ceil(lo / step) * step, hi + 1e-9, step):
                lab = MathTex(tex_num(v), font_size=style.TINY, color=style.MUTED)
                if axis == 0:
                    lab.next_to(self((v, y0)), DOWN, buff=0.1)
                    fits = lab.get_left()[0] > left - 0.2 and \
                        lab.get_right()[0] < xname.get_left()[0] - 0.1
                else:
                    lab.next_to(self((x0, v)), LEFT, buff=0.1)
                    fits = lab.get_bottom()[1] > bottom - 0.05 and \
                        lab.get_top()[1] < yname.get_bottom()[1] - 0.05
                if abs(v - hi) >= 0.06 * step and fits:  # not at the axis' end, clear of its name
                    labels.add(lab)
        return roles.tick(labels), roles.tick(VGroup(xname, yname))

    def label_lines(self, labels, lines, normals, avoid=(), keep_off=()) -> VGroup:
        """Put each label beside its curves (a list of polylines, data points (k, 2)), offset
        along the curve's normal there (``normals``, one array per polyline, e.g. the
        gradient of f along a level set), inside the rectangle, away from the point sets in
        ``avoid`` and from the labels already placed.  A label never comes within 0.08
        (5 px) of a label placed before it or of a point of ``keep_off`` (data points, e.g.
        along arrows and round their heads): a curve with no such place, or without
        polylines, gets no label.  Returns VGroups of (backing, label)."""
        lo = self.corner(-1, -1)[:2]
        hi = self.corner(1, 1)[:2]
        shun = [self(np.asarray(a, dtype=float))[:, :2] for a in avoid]
        keep = np.concatenate([self(np.asarray(a, dtype=float).reshape(-1, 2))[:, :2]
                               for a in keep_off]) if len(keep_off) else np.zeros((0, 2))
        placed, boxes, out = [], [], VGroup()
        for lab, polys, norms in zip(labels, lines, normals):
            half = np.array([lab.width / 2 + 0.08, lab.height / 2 + 0.06])
            r = float(half.max())
            best, best_score = None, -np.inf
            for poly, nrm in zip(polys, norms):
                step = max(1, len(poly) // 60)
                for q, g in zip(poly[::step], nrm[::step]):
                    n = np.linalg.norm(g)
                    if not np.isfinite(n) or n < 1e-12:
                        continue
                    u = g / n
                    centre = self(q)[:2] + (float(np.hypot(half[0] * u[0], half[1] * u[1]))
                                            + 0.06) * u
                    edge = float(np.min(np.concatenate([centre - half - lo, hi - centre - half])))
                    if edge < 0.05:
                        continue
                    if len(keep) and np.any(np.all(np.abs(keep - centre) <= half + 0.08, axis=1)):
                        continue
                    if any(np.all(np.abs(centre - c) <= half + h + 0.08) for c, h in boxes):
                        continue
                    d_avoid = [float(np.min(np.linalg.norm(s - centre, axis=1))) for s in shun]
                    d_lab = min((float(np.linalg.norm(centre - o)) for o in placed), default=9.0)
                    score = (sum(min(d - r, 1.2) for d in d_avoid) + min(d_lab - 2 * r, 1.2)
                             + 0.1 * min(edge, 1.0))
                    if score > best_score:
                        best, best_score = centre, score
            if best is None:
                continue
            placed.append(best)
            boxes.append((best, half))
            lab.move_to([best[0], best[1], 0])
            bg = Rectangle(width=2 * half[0], height=2 * half[1], stroke_width=0,
                           fill_color=style.BACKGROUND, fill_opacity=0.85).move_to(lab)
            out.add(VGroup(bg, roles.label(lab)))
        return out


def scale_note(scales, width: float | None = None):
    """The note "arrows drawn: grad f at 0.3x, ..." for the (TeX name, scale) pairs whose scale
    is not 1 (an empty VGroup when every arrow has its true length), fitted to ``width``."""
    parts = [rf"{name} \text{{ at }} {tex_num(s)}\times" for name, s in scales
             if abs(s - 1) > 1e-12]
    if not parts:
        return VGroup()
    note = MathTex(r"\text{arrows drawn: }" + r",\ ".join(parts), font_size=style.TINY,
                   color=style.MUTED)
    return style.fit(note, width, 0.6)

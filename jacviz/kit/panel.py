"""A space drawn in a panel (number line, axes, or two coordinates of R^3), and
labels placed where they cover the least."""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Axes, MathTex, NumberLine, VGroup, VMobject

from ..fmt import nice_range, tex_num
from . import style


class SpacePanel(VGroup):
    """One space of a chain, drawn around its point.

    ``dim`` 1 gives a number line, 2 axes with equal units, 3 the two
    coordinates ``drawn`` (the title says which).  The range is round (ticks
    of 1, 2, 2.5, 5 x 10^k), covers ``point`` +- ``radius`` and every point in
    ``cover`` (e.g. a magnified curve that must stay inside).  ``names`` are the
    space's coordinate names (TeX), ``title`` a TeX label above the panel.

    :meth:`to_screen` maps data to the screen (vectorized); :meth:`arrow` draws a
    vector at the point, ``scale`` times its length (forward arrows above a
    number line, backward below); :meth:`max_scale` is the largest scale that
    keeps vectors inside; :meth:`place_label` puts a label next to an arrow
    where it covers the fewest obstacles, inside the panel.

    Examples
    --------
    .. code-block:: python

        class SpacePanelExample(Scene):
            def construct(self):
                p = SpacePanel(2, ["u_1", "u_2"], [3, 0], width=4, height=3,
                               title=r"u\\text{-space}")
                a = p.arrow([0.3, 0.0], scale=4, kind="forward")
                lab = p.place_label(MathTex("du", color=style.FORWARD), a, [p.axes, a])
                self.add(p, p.dot(), a, lab)
    """

    LANE = {"forward": 0.3, "backward": -0.3}  # 1-D: forward above the line, backward below

    def __init__(self, dim: int, names, point, *, width: float, height: float, center=ORIGIN,
                 cover=None, radius: float = 1.0, drawn=(0, 1), title: str | None = None,
                 ticks: int = 4, tick_size=style.TINY):
        super().__init__()
        self.dim = dim
        self.drawn = tuple(drawn[: min(dim, 2)]) if dim >= 2 else (0,)
        self.names = [names[i] for i in self.drawn]
        self.p = np.asarray(point, dtype=float)[list(self.drawn)]
        self.box = style.panel(width, height)[0].move_to(center)
        center = self.box.get_center()
        cov = np.zeros((0, len(self.p))) if cover is None else \
            np.atleast_2d(np.asarray(cover, dtype=float))[:, list(self.drawn)]
        cov = cov[np.all(np.isfinite(cov), axis=1)]
        lo = np.minimum(self.p, cov.min(axis=0)) if len(cov) else self.p.copy()
        hi = np.maximum(self.p, cov.max(axis=0)) if len(cov) else self.p.copy()
        w, h = width - 0.6, height - 0.5
        self.tick_labels = VGroup()
        if dim == 1:
            r = radius * w / h
            a, b, st = nice_range(min(self.p[0] - r, lo[0]), max(self.p[0] + r, hi[0]), ticks)
            self.lo, self.hi = np.array([a]), np.array([b])
            self.axes = NumberLine(x_range=[a, b, st], length=w, color=style.MUTED,
                                   include_tip=False, stroke_width=2)
            self.axes.move_to(center + UP * 0.12)
            for v in (a, b):
                t = MathTex(tex_num(v), font_size=tick_size, color=style.MUTED)
                t.next_to(self.axes.n2p(v), DOWN, buff=0.5)
                self.tick_labels.add(t)
            name = MathTex(self.names[0], font_size=tick_size, color=style.MUTED)
            name.next_to(self.axes.n2p(b), DOWN, buff=0.5).shift(LEFT * 0.55)
            self.tick_labels.add(name)
            c = self.to_screen(self.p)
            self.tick_labels.add(style.dashed(c + DOWN * 0.42, c + UP * 0.42))
        else:
            rx = nice_range(min(self.p[0] - radius * w / h, lo[0]),
                            max(self.p[0] + radius * w / h, hi[0]), ticks)
            ry = nice_range(min(self.p[1] - radius, lo[1]), max(self.p[1] + radius, hi[1]), ticks)
            step = max(rx[2], ry[2])
            ax, bx = math.floor(rx[0] / step) * step, math.ceil(rx[1] / step) * step
            ay, by = math.floor(ry[0] / step) * step, math.ceil(ry[1] / step) * step
            self.lo, self.hi = np.array([ax, ay]), np.array([bx, by])
            unit = min(w / (bx - ax), h / (by - ay))
            self.axes = Axes(x_range=[ax, bx, step], y_range=[ay, by, step],
                             x_length=(bx - ax) * unit, y_length=(by - ay) * unit,
                             axis_config={"color": style.MUTED, "include_tip": False,
                                          "stroke_width": 2}, tips=False)
            self.axes.move_to(center + RIGHT * 0.15 + UP * 0.1)
            self._ticks_2d(ax, bx, ay, by, tick_size)
        self.title = None
        if title is not None:
            self.title = MathTex(title, font_size=style.SMALL, color=style.INK)
            style.fit(self.title, width, 0.45)
            self.title.next_to(self.box, UP, buff=0.1)
        self.add(self.box, self.axes, self.tick_labels, *([self.title] if self.title else []))

    def _ticks_2d(self, ax, bx, ay, by, size):
        """Range labels along the bottom and left edges, then the axis names."""
        labs = self.tick_labels
        for v in (ax, bx):
            labs.add(MathTex(tex_num(v), font_size=size, color=style.MUTED)
                     .next_to(self.axes.c2p(v, ay), DOWN, buff=0.06))
        for v in (ay, by):
            labs.add(MathTex(tex_num(v), font_size=size, color=style.MUTED)
                     .next_to(self.axes.c2p(ax, v), LEFT, buff=0.06))
        bl = self.axes.c2p(ax, ay)
        if labs[2].get_bottom()[1] < labs[0].get_top()[1] + 0.02 and \
                labs[2].get_right()[0] > labs[0].get_left()[0] - 0.05:  # the corner: keep apart
            labs[2].next_to(bl, LEFT, buff=0.06).align_to(bl + UP * 0.02, DOWN)
            labs[0].next_to(bl, DOWN, buff=0.06).align_to(bl + RIGHT * 0.02, LEFT)
        labs.add(MathTex(self.names[0], font_size=size, color=style.MUTED)
                 .next_to(self.axes.c2p((ax + bx) / 2, ay), DOWN, buff=0.06))
        labs.add(MathTex(self.names[1], font_size=size, color=style.MUTED)
                 .next_to(self.axes.c2p(ax, (ay + by) / 2), LEFT, buff=0.06))

    # -- data -> screen ----------------------------------------------------------------
    def to_screen(self, v) -> np.ndarray:
        """Screen points of space points; shape (3,) for one point, (..., 3) for many.

        Points may be given with all the space's coordinates or only the drawn ones."""
        v = np.atleast_1d(np.asarray(v, dtype=float))
        single = v.ndim == 1
        pts = v.reshape(-1, v.shape[-1])
        if pts.shape[1] == self.dim and self.dim > 2:
            pts = pts[:, list(self.drawn)]
        if self.dim == 1:
            o = np.asarray(self.axes.n2p(0.0), dtype=float)
            ex = np.asarray(self.axes.n2p(1.0), dtype=float) - o
            out = o + pts[:, :1] * ex
        else:
            o = np.asarray(self.axes.c2p(0.0, 0.0), dtype=float)
            ex = np.asarray(self.axes.c2p(1.0, 0.0), dtype=float) - o
            ey = np.asarray(self.axes.c2p(0.0, 1.0), dtype=float) - o
            out = o + pts[:, :1] * ex + pts[:, 1:2] * ey
        return out[0] if single else out.reshape(v.shape[:-1] + (3,))

    def lane(self, kind: str) -> np.ndarray:
        """The offset of a kind of arrow: on a number line forward above, backward below."""
        return UP * self.LANE.get(kind, 0.0) if self.dim == 1 else 0 * UP

    def dot(self, radius: float = 0.07):
        """The point, as a dot."""
        return style.point_dot(self.to_screen(self.p), radius=radius).set_z_index(4)

    def arrow_ends(self, vec, scale: float, kind: str = "forward"):
        """Screen start and end of the vector drawn at the point, ``scale`` times its length."""
        vec = np.atleast_1d(np.asarray(vec, dtype=float))
        if vec.shape[-1] == self.dim and self.dim > 2:
            vec = vec[list(self.drawn)]
        start = self.to_screen(self.p)
        end = self.to_screen(self.p + scale * vec)
        off = self.lane(kind)
        return start + off, end + off

    def arrow(self, vec, scale: float, kind: str = "forward", **kw):
        """An arrow at the point in the kind's colour (forward orange, backward sky blue)."""
        s, e = self.arrow_ends(vec, scale, kind)
        return style.arrow(s, e, style.KIND_COLOR[kind], **kw)

    def curve(self, points, color=style.HIGHLIGHT, stroke_width: float = 9, opacity: float = 0.8,
              kind: str | None = None):
        """A polyline through space points (e.g. the true image of an arrow)."""
        scr = self.to_screen(np.asarray(points, dtype=float))
        if kind is not None:
            scr = scr + self.lane(kind) + (UP * 0.2 if self.dim == 1 else 0)
        cur = VMobject(stroke_color=color, stroke_width=stroke_width, stroke_opacity=opacity)
        cur.set_points_as_corners(scr)
        return cur

    def max_scale(self, offsets) -> float:
        """The largest t with point + t * offset inside the range, for every offset."""
        offs = np.atleast_2d(np.asarray(offsets, dtype=float))
        if offs.shape[-1] == self.dim and self.dim > 2:
            offs = offs[:, list(self.drawn)]
        best = np.inf
        for i in range(offs.shape[1]):
            d = offs[:, i]
            pos, neg = d > 1e-15, d < -1e-15
            if pos.any():
                best = min(best, (self.hi[i] - self.p[i]) / d[pos].max())
            if neg.any():
                best = min(best, (self.lo[i] - self.p[i]) / d[neg].min())
        return float(best)

    def place_label(self, label, arrow_or_start, end_or_obstacles=None, obstacles=None):
        """Put ``label`` near an arrow's tip (``place_label(lab, arrow, obstacles)`` or
        ``place_label(lab, start, end, obstacles)``), inside this panel."""
        if obstacles is None and end_or_obstacles is not None and \
                not isinstance(end_or_obstacles, np.ndarray):
            start, end = arrow_or_start.get_start(), arrow_or_start.get_end()
            obstacles = end_or_obstacles
        else:
            start, end = arrow_or_start, end_or_obstacles
        return place_label(label, start, end, obstacles or [], self.box)


def sample_points(mobs) -> np.ndarray:
    """Points along every mobject's outline (for covering tests)."""
    pts = []
    for mob in mobs:
        for sub in mob.family_members_with_points():
            P = sub.points
            if len(P) == 0:
                continue
            pts.append(P)
            if len(P) > 1:
                for t in (0.25, 0.5, 0.75):
                    pts.append(P[:-1] * (1 - t) + P[1:] * t)
    return np.concatenate(pts) if pts else np.zeros((0, 3))


def place_label(label, start, end, obstacles, box=None, buff: float = 0.12):
    """Put a label near an arrow's tip (or beside it, or behind its start) where it
    covers the fewest points of ``obstacles`` and stays inside ``box``."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    d = end - start
    n = float(np.linalg.norm(d))
    u = d / n if n > 1e-6 else UP
    perp = np.array([-u[1], u[0], 0.0])
    hw, hh = label.width / 2, label.height / 2

    def reach(v):  # distance from the centre to the label's edge in direction v
        return abs(v[0]) * hw + abs(v[1]) * hh

    mid = (start + end) / 2
    cands = [end + u * (buff + reach(u))]
    for side in (perp, -perp):
        cands.append(end + side * (buff + reach(side)) - u * 0.05)
        cands.append(mid + side * (buff + reach(side)))
    cands.append(start - u * (buff + reach(u)))
    pts = sample_points(obstacles)
    if box is not None:
        bx0, by0 = box.get_left()[0] + 0.05, box.get_bottom()[1] + 0.05
        bx1, by1 = box.get_right()[0] - 0.05, box.get_top()[1] - 0.05
    else:
        hwf, hhf = style.frame_width() / 2 - style.MARGIN, style.frame_height() / 2 - style.MARGIN
        bx0, by0, bx1, by1 = -hwf, -hhf, hwf, hhf
    best, best_score = cands[0], np.inf
    for i, c in enumerate(cands):
        x0, x1, y0, y1 = c[0] - hw - 0.04, c[0] + hw + 0.04, c[1] - hh - 0.04, c[1] + hh + 0.04
        inside = (pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)
        score = float(inside.sum()) + 0.01 * i
        if x0 < bx0 or x1 > bx1 or y0 < by0 or y1 > by1:
            score += 1000
        if score < best_score:
            best, best_score = c, score
    label.move_to(best)
    return label

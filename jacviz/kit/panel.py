"""A space drawn in a panel (number line, axes, or two coordinates of R^3), and
labels placed where they cover the least; panels of a chain laid out in one or two
rows with its maps between them; bands for rows of mathematics under them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, ORIGIN, RIGHT, UP, Axes, FadeIn, FadeOut, MathTex, NumberLine,
                   VGroup, VMobject, Write)

from ..core.fmt import nice_floor, nice_range, tex_num
from . import style
from .layout import roles
from .layout.reading import CONTACT_GAP


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
    keeps vectors inside, :meth:`common_scale` one round scale for several panels;
    :meth:`curve` draws a polyline (magnified about the point like an arrow);
    :meth:`place_label` puts a label next to an arrow where it covers the fewest
    obstacles, inside the panel (:meth:`place_labels` several in turn).

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
                 ticks: int = 4, tick_size=style.TINY, title_height: float = 0.45,
                 centred: float = 0.0):
        super().__init__()
        self.centred = centred  # the least share of each axis's range on either side of the point
        self.space_dim = dim  # not ``dim``: manim's Mobject.dim is the ambient dimension (3)
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
        # long tick labels (999990 at the drawing limit, 1e6) would cross the box: the axes
        # are drawn again, narrower and shifted, until every label is inside it
        shift = 0.0
        for _ in range(3):
            self._axes(dim, lo, hi, radius, w, h, center + RIGHT * shift, ticks, tick_size)
            inner = (self.box.get_left()[0] + 0.03, self.box.get_right()[0] - 0.03)
            left = inner[0] - self.tick_labels.get_left()[0]
            right = self.tick_labels.get_right()[0] - inner[1]
            if left <= 1e-6 and right <= 1e-6:
                break
            w -= max(left, 0.0) + max(right, 0.0) + 0.02
            shift += (max(left, 0.0) - max(right, 0.0)) / 2
        self.title = None
        if title is not None:
            self.title = roles.label(MathTex(title, font_size=style.SMALL, color=style.INK))
            style.fit(self.title, width, title_height)
            self.title.next_to(self.box, UP, buff=0.1)
        roles.tick(self.tick_labels)  # tick labels and axis names (the dashed mark: not a text)
        self.add(self.box, self.axes, self.tick_labels, *([self.title] if self.title else []))

    def _axes(self, dim, lo, hi, radius, w, h, center, ticks, tick_size):
        """The axes (w by h at most) around the point and ``lo``..``hi``, and their labels."""
        self.tick_labels = VGroup()
        if dim == 1:
            r = radius * w / h
            a, b, st = nice_range(min(self.p[0] - r, lo[0]), max(self.p[0] + r, hi[0]), ticks)
            a, b = self._centre(self.p[0], a, b, st)
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
            ax, bx = self._centre(self.p[0], ax, bx, step)
            ay, by = self._centre(self.p[1], ay, by, step)
            self.lo, self.hi = np.array([ax, ay]), np.array([bx, by])
            unit = min(w / (bx - ax), h / (by - ay))
            self.axes = Axes(x_range=[ax, bx, step], y_range=[ay, by, step],
                             x_length=(bx - ax) * unit, y_length=(by - ay) * unit,
                             axis_config={"color": style.MUTED, "include_tip": False,
                                          "stroke_width": 2}, tips=False)
            self.axes.move_to(center + RIGHT * 0.15 + UP * 0.1)
            self._ticks_2d(ax, bx, ay, by, tick_size)

    def _centre(self, p, a, b, step):
        """The range a..b widened by whole steps until at least ``centred`` of it lies on
        either side of p (a point near an end leaves its arrows no room that way)."""
        for _ in range(6):
            if p - a < self.centred * (b - a):
                a -= step
            elif b - p < self.centred * (b - a):
                b += step
            else:
                break
        return a, b

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
        if pts.shape[1] == self.space_dim and self.space_dim > 2:
            pts = pts[:, list(self.drawn)]
        o, ex, ey = self._frame()
        out = o + pts[:, :1] * ex if self.space_dim == 1 else o + pts[:, :1] * ex + pts[:, 1:2] * ey
        return out[0] if single else out.reshape(v.shape[:-1] + (3,))

    def _frame(self):
        """The axes' origin and unit steps on screen, (o, ex, ey) (ey None on a number line),
        as the axes place them now.  Kept while the axes' lines (and tips) stay where they
        are: manim's ``c2p`` finds both ends of each axis again on every call, and a layout
        asks for thousands of points."""
        lines = [self.axes] if self.space_dim == 1 else [self.axes.x_axis, self.axes.y_axis]
        key = b"".join(part.points.tobytes() for line in lines
                       for part in (line, getattr(line, "tip", None),
                                    getattr(line, "start_tip", None)) if part is not None)
        cached = getattr(self, "_frame_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        if self.space_dim == 1:
            o = np.asarray(self.axes.n2p(0.0), dtype=float)
            frame = (o, np.asarray(self.axes.n2p(1.0), dtype=float) - o, None)
        else:
            o = np.asarray(self.axes.c2p(0.0, 0.0), dtype=float)
            frame = (o, np.asarray(self.axes.c2p(1.0, 0.0), dtype=float) - o,
                     np.asarray(self.axes.c2p(0.0, 1.0), dtype=float) - o)
        self._frame_cache = (key, frame)
        return frame

    def lane(self, kind: str) -> np.ndarray:
        """The offset of a kind of arrow: on a number line forward above, backward below."""
        return UP * self.LANE.get(kind, 0.0) if self.space_dim == 1 else 0 * UP

    def curve_lift(self, kind: str | None) -> np.ndarray:
        """A curve of a kind beside its arrow: on a number line 0.2 above the arrow's lane."""
        return UP * 0.2 if self.space_dim == 1 and kind is not None else 0 * UP

    def dot(self, radius: float = 0.07):
        """The point, as a dot."""
        return style.point_dot(self.to_screen(self.p), radius=radius).set_z_index(4)

    def arrow_ends(self, vec, scale: float, kind: str = "forward"):
        """Screen start and end of the vector drawn at the point, ``scale`` times its length."""
        vec = np.atleast_1d(np.asarray(vec, dtype=float))
        if vec.shape[-1] == self.space_dim and self.space_dim > 2:
            vec = vec[list(self.drawn)]
        start = self.to_screen(self.p)
        end = self.to_screen(self.p + scale * vec)
        off = self.lane(kind)
        return start + off, end + off

    def arrow(self, vec, scale: float, kind: str = "forward", **kw):
        """An arrow at the point in the kind's colour (forward orange, backward sky blue);
        forward and backward arrows are the subject of their beat (:mod:`.layout.roles`)."""
        s, e = self.arrow_ends(vec, scale, kind)
        arr = style.arrow(s, e, style.KIND_COLOR[kind], **kw)
        return roles.subject(arr) if kind in ("forward", "backward") else arr

    def curve(self, points, color=style.HIGHLIGHT, stroke_width: float = 9, opacity: float = 0.8,
              kind: str | None = None, scale: float = 1.0, clip: bool = False):
        """A polyline through space points (e.g. the true image of an arrow), drawn
        ``scale`` times magnified about the point, like an arrow drawn with that scale.
        Points that are not finite are left out; with ``clip`` the line ends where it
        first leaves the panel's range (it runs on out of the window)."""
        pts = self._drawn(points)
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        if len(pts) == 0:
            pts = self.p[None, :]
        pts = self.p + scale * (pts - self.p)
        if clip:  # up to the first point out of the window
            x0, y0, x1, y1 = self.window()
            scr = self.to_screen(pts)
            out = (scr[:, 0] < x0 - 1e-9) | (scr[:, 0] > x1 + 1e-9)
            if self.space_dim > 1:
                out |= (scr[:, 1] < y0 - 1e-9) | (scr[:, 1] > y1 + 1e-9)
            pts = pts[: int(np.argmax(out))] if out.any() else pts
            if len(pts) == 0:
                pts = self.p[None, :]
        scr = self.to_screen(np.vstack([pts, pts[-1:]]) if len(pts) == 1 else pts)
        if kind is not None:
            scr = scr + self.lane(kind) + self.curve_lift(kind)
        cur = VMobject(stroke_color=color, stroke_width=stroke_width, stroke_opacity=opacity)
        cur.set_points_as_corners(scr)
        return cur

    def _drawn(self, points) -> np.ndarray:
        """Points (one per row) reduced to the drawn coordinates."""
        pts = np.atleast_2d(np.asarray(points, dtype=float))
        if pts.shape[-1] == self.space_dim and self.space_dim > 2:
            pts = pts[:, list(self.drawn)]
        return pts

    def max_scale(self, offsets) -> float:
        """The largest t with point + t * offset inside the range, for every finite offset."""
        offs = self._drawn(offsets)
        offs = offs[np.all(np.isfinite(offs), axis=1)]
        best = np.inf
        for i in range(offs.shape[1]):
            d = offs[:, i]
            pos, neg = d > 1e-15, d < -1e-15
            if pos.any():
                best = min(best, (self.hi[i] - self.p[i]) / d[pos].max())
            if neg.any():
                best = min(best, (self.lo[i] - self.p[i]) / d[neg].min())
        return float(best)

    def window(self, margin: float = 0.12) -> tuple[float, float, float, float]:
        """Where drawn vectors may reach, on screen (x0, y0, x1, y1): the axes' range on the
        sides of the tick labels (left and below; on a number line both ends), the box less
        ``margin`` on the others."""
        lo, hi = self.to_screen(self.lo), self.to_screen(self.hi)
        box = self.box
        if self.space_dim == 1:
            return lo[0], box.get_bottom()[1] + margin, hi[0], box.get_top()[1] - margin
        return (lo[0], lo[1], max(hi[0], box.get_right()[0] - margin),
                max(hi[1], box.get_top()[1] - margin))

    def own_scale(self, vec, cover=None, fill: float = 0.6, most: float = 0.9,
                  min_px: float = 24.0, kind: str = "forward", avoid=()) -> float:
        """This panel's own scale for the vector ``vec`` drawn at the point (rounded down to
        two significant digits): the largest that keeps it, and every offset in ``cover``
        (a true image's points minus the point, magnified with it), within ``fill`` of the
        way from the point to the edge of :meth:`window` (room for labels), or up to
        ``most`` of it where that is needed for ``min_px`` (pixels at 854x480; the layout
        check wants 20).  When ``cover`` would still leave the arrow shorter, the arrow
        alone decides: draw the cover with :meth:`curve`'s ``clip``.  1 for a vector of no
        length here.  ``avoid``: screen boxes (x0, y0, x1, y1) that the arrow and the cover
        stay out of (a note in a corner of the panel)."""
        from .layout.base import px

        x0, y0, x1, y1 = self.window()

        def reach(offsets) -> float:  # the largest t keeping start + t * offset inside
            best = np.inf
            for i, off in enumerate(offsets):
                start = self.to_screen(self.p) + self.lane(kind) + (
                    self.curve_lift(kind) if i else 0)  # after the arrow, a curve's points
                v = self.to_screen(self.p + off) - self.to_screen(self.p)
                for d, lo, hi, c in ((v[0], x0, x1, start[0]), (v[1], y0, y1, start[1])):
                    if d > 1e-12:
                        best = min(best, (hi - c) / d)
                    elif d < -1e-12:
                        best = min(best, (lo - c) / d)
                for r in avoid:  # a box (x0, y0, x1, y1) the drawing keeps out of
                    best = min(best, _enters(start, v, r))
            return max(best, 0.0)

        vec = self._drawn(vec)[0]
        length = float(np.linalg.norm(self.to_screen(self.p + vec) - self.to_screen(self.p)))
        if not np.isfinite(length) or length <= 0:
            return 1.0
        need = 1.1 * min_px / px(length)  # the scale that makes the arrow min_px long, and a bit

        def scale(room):
            return two_digits(fill * room if fill * room >= need else min(most * room, need))

        alone = scale(reach([vec]))
        if cover is None or not len(np.atleast_2d(cover)):
            return alone
        pts = self._drawn(cover)
        both = scale(reach([vec, *pts[np.all(np.isfinite(pts), axis=1)]]))
        return both if px(both * length) >= min_px else alone

    @staticmethod
    def common_scale(panels, offsets, fill: float = 0.85) -> float:
        """One round scale (:func:`jacviz.core.fmt.nice_floor`) for vectors drawn in several
        panels: every panel's ``offsets`` (vectors, or a curve's points minus the point)
        drawn that many times stay within ``fill`` of its range.  1 if nothing bounds it."""
        bound = min((fill * p.max_scale(o) for p, o in zip(panels, offsets)), default=np.inf)
        return nice_floor(bound)

    def place_labels(self, labels, ends, obstacles, tips: bool = False) -> list:
        """Place labels one after another near their arrows (``ends``: (start, end) pairs),
        each covering the fewest obstacles and labels placed before it, keeping a little
        farther from them than :meth:`place_label` and trying all round the tip (with
        ``tips``, clear of the arrowheads' boxes too, as of texts').  When two labels
        placed so leave one touching a text or an arrowhead (a crowded panel), the two
        are placed together instead: the pair of spots, of many more, that costs least."""
        stuff, costs = list(obstacles), []
        kw = dict(box=self.box, buff=0.12, pad=0.08, around=True, clear=0.08, tips=tips)
        for lab, (start, end) in zip(labels, ends):
            cands, scores = _spots(lab, start, end, stuff, **kw)
            best = int(np.argmin(scores))
            lab.move_to(cands[best])
            costs.append(scores[best])
            stuff.append(roles.label(lab))
        if len(labels) == 2 and max(costs) >= 500:
            _place_pair(labels, ends, list(obstacles), kw)
        return list(labels)

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


def _enters(start, v, box) -> float:
    """Where the ray start + t v (t >= 0) first meets ``box`` (x0, y0, x1, y1): that t, a
    little less; inf when it never does (or starts inside it)."""
    lo, hi = np.array(box[:2], dtype=float), np.array(box[2:], dtype=float)
    s, d = np.asarray(start, dtype=float)[:2], np.asarray(v, dtype=float)[:2]
    if np.all(s >= lo) and np.all(s <= hi):
        return np.inf
    t0, t1 = 0.0, np.inf
    for i in range(2):
        if abs(d[i]) < 1e-12:
            if s[i] < lo[i] or s[i] > hi[i]:
                return np.inf
            continue
        a, b = sorted(((lo[i] - s[i]) / d[i], (hi[i] - s[i]) / d[i]))
        t0, t1 = max(t0, a), min(t1, b)
    return 0.97 * t0 if t0 <= t1 else np.inf


def two_digits(b: float) -> float:
    """The largest number of two significant digits not above b (a panel's own scale);
    1 for a bound that is not positive and finite."""
    if not math.isfinite(b) or b <= 0:
        return 1.0
    k = math.floor(math.log10(b)) - 1
    return float(f"{math.floor(b / 10.0 ** k * (1 + 1e-12))}e{k}")  # exact decimal digits


def projection_pair(vectors) -> tuple[int, int]:
    """The two coordinates of R^3 a panel draws so that every one of ``vectors`` (e.g. a
    pushed-forward arrow and a pulled-back gradient) keeps as much of its length as it
    can: the pair whose worst share of a vector's length is largest ((0, 1) first on a
    tie).  A vector of no length counts as kept whole."""
    vecs = [np.asarray(v, dtype=float) for v in vectors]
    best, pair = -1.0, (0, 1)
    for cand in ((0, 1), (0, 2), (1, 2)):
        shares = [float(np.linalg.norm(v[list(cand)]) / np.linalg.norm(v))
                  if np.all(np.isfinite(v)) and np.linalg.norm(v) > 0 else 1.0 for v in vecs]
        worst = min(shares, default=1.0)
        if worst > best + 1e-9:
            best, pair = worst, cand
    return pair


def sample_points(mobs, step: float | None = None) -> np.ndarray:
    """Points along every mobject's outline (for covering tests): its own points and three
    between each two, or with ``step`` as many as keep them at most ``step`` apart (so
    that a long straight line counts for its length, not for its few points)."""
    pts = []
    for mob in mobs:
        for sub in mob.family_members_with_points():
            P = sub.points
            if len(P) == 0:
                continue
            pts.append(P)
            if len(P) < 2:
                continue
            if step is None:
                for t in (0.25, 0.5, 0.75):
                    pts.append(P[:-1] * (1 - t) + P[1:] * t)
                continue
            seg = np.linalg.norm(P[1:] - P[:-1], axis=1)
            for k in range(1, int(min(np.ceil(seg.max() / step), 200))):
                t = k / np.ceil(seg / step).clip(1)[:, None]
                keep = (t[:, 0] < 1)
                pts.append((P[:-1] * (1 - t) + P[1:] * t)[keep])
    return np.concatenate(pts) if pts else np.zeros((0, 3))


def place_label(label, start, end, obstacles, box=None, buff: float = 0.12, pad: float = 0.04,
                around: bool = False, clear: float = 0.08, tips: bool = False):
    """Put a label near an arrow's tip (or beside it, or behind its start; with ``around``
    also anywhere around the tip) where it covers the fewest points of ``obstacles``
    (within ``pad`` of it) and stays inside ``box``.

    Text among the obstacles (labels, tick labels: what the layout check compares) counts
    by its bounding box, not its outline: a spot whose box comes within ``clear`` of a
    text's box is taken only if every spot does.  A zero or very short arrow (its tip on
    the point and the point's label) is where this matters: the label goes beside both.
    When every spot near the tip is taken so (three labels round one point near a corner
    of the box), spots in 16 directions and farther out are tried too.  With ``tips`` the
    arrowheads among the obstacles count by their boxes as texts do."""
    cands, scores = _spots(label, start, end, obstacles, box, buff, pad, around, clear, tips)
    label.move_to(cands[int(np.argmin(scores))])
    return roles.label(label)


def _spots(label, start, end, obstacles, box, buff, pad, around, clear, tips, every=False,
           soft: float = 500):
    """The spots :func:`place_label` tries for ``label`` and the cost of each (see there);
    with ``every``, also the spots it tries only when the first ones are all taken, and
    spots beside the arrow nearer its line and at a quarter and three quarters of it."""
    from .layout import _box, texts

    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    d = end - start
    n = float(np.linalg.norm(d))
    u = d / n if n > 1e-6 else UP
    perp = np.array([-u[1], u[0], 0.0])
    hw, hh = label.width / 2, label.height / 2

    def reach(v):  # distance from the centre to the label's edge in direction v
        return abs(v[0]) * hw + abs(v[1]) * hh

    def ring(count, fars):  # spots all round the tip
        for ang in np.arange(count) * 2 * np.pi / count:
            v = np.array([np.cos(ang), np.sin(ang), 0.0])
            for far in fars:
                yield end + v * (buff + far + reach(v))

    mid = (start + end) / 2
    cands = [end + u * (buff + reach(u))]
    for side in (perp, -perp):
        cands.append(end + side * (buff + reach(side)) - u * 0.05)
        cands.append(mid + side * (buff + reach(side)))
    cands.append(start - u * (buff + reach(u)))
    if around:
        cands += ring(8, (0.0, 0.25))
    pts = sample_points(obstacles, 0.03 if every else None)
    boxes = [_box(t) for t in texts(obstacles) if t is not label]
    if tips:  # arrowheads count by their boxes too (the layout check's contact rule)
        from manim.mobject.geometry.tips import ArrowTip

        boxes += [_box(m) for ob in obstacles for m in ob.get_family()
                  if isinstance(m, ArrowTip) and m.has_points()]
    boxes = np.array(boxes).reshape(-1, 4)
    if box is not None:
        bx0, by0 = box.get_left()[0] + 0.05, box.get_bottom()[1] + 0.05
        bx1, by1 = box.get_right()[0] - 0.05, box.get_top()[1] - 0.05
    else:
        hwf, hhf = style.frame_width() / 2 - style.MARGIN, style.frame_height() / 2 - style.MARGIN
        bx0, by0, bx1, by1 = -hwf, -hhf, hwf, hhf

    def score(i, c):
        x0, x1, y0, y1 = c[0] - hw - pad, c[0] + hw + pad, c[1] - hh - pad, c[1] + hh + pad
        inside = (pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)
        value = float(inside.sum()) + 0.01 * i
        if x0 < bx0 or x1 > bx1 or y0 < by0 or y1 > by1:
            value += 1000
        if len(boxes):  # overlap with a text's box, the label's grown by ``clear``
            value += _text_cost(c, hw, hh, boxes, clear, soft)
        return value

    scores = [score(i, c) for i, c in enumerate(cands)]
    if tips and around:  # behind the start reads as another arrow's label: near the tip first
        scores[5] += 0.5
    if around and (every or min(scores) >= 500):  # on a text or out of the box wherever it goes
        more = list(ring(16, (0.0, 0.25, 0.5)))
        scores += [score(len(cands) + i, c) for i, c in enumerate(more)]
        cands += more
    if around and (every or min(scores) >= 800):  # touching a text or an arrowhead wherever it goes
        more = list(ring(16, (0.75,)))
        scores += [score(len(cands) + i, c) for i, c in enumerate(more)]
        cands += more
    if every:  # beside the line, nearer it, along it
        more = [start + t * d + side * (b + reach(side)) for t in (0.25, 0.5, 0.75)
                for side in (perp, -perp) for b in (0.04, buff)]
        scores += [score(len(cands) + i, c) for i, c in enumerate(more)]
        cands += more
    return cands, scores


#: what a spot within ``clear`` of a text, but not touching it, costs two labels placed
#: together: nearer a text than one label alone would go, rather than on a line
SOFT = 30.0


def _place_pair(labels, ends, obstacles, kw) -> None:
    """Two labels at the pair of spots (each of :func:`_spots` with ``every``) whose costs
    and whose cost for each other (:func:`_text_cost` of one box at the other) are least;
    a spot near a text costs them only :data:`SOFT`, one touching it as much as ever."""
    (a, b), spots = labels, []
    for lab, (start, end) in zip(labels, ends):
        others = [o for o in obstacles if o is not lab]
        cands, scores = _spots(lab, start, end, others, every=True, soft=SOFT, **kw)
        spots.append((np.array(cands), np.array(scores)))
    (ca, sa), (cb, sb) = spots
    total = sa[:, None] + sb[None, :]
    wa, ha, wb, hb = a.width / 2, a.height / 2, b.width / 2, b.height / 2

    def overlaps(grow):  # a's box grown by ``grow`` against b's, at every pair of spots
        ox = (np.minimum(ca[:, None, 0] + wa + grow, cb[None, :, 0] + wb) -
              np.maximum(ca[:, None, 0] - wa - grow, cb[None, :, 0] - wb))
        oy = (np.minimum(ca[:, None, 1] + ha + grow, cb[None, :, 1] + hb) -
              np.maximum(ca[:, None, 1] - ha - grow, cb[None, :, 1] - hb))
        return ox, oy

    ox, oy = overlaps(kw["clear"])  # as _text_cost counts a text's box
    hit = (ox > 0) & (oy > 0)
    total += np.where(hit, SOFT + 100 * ox * oy, 0.0)
    ox, oy = overlaps(CONTACT_GAP + 0.005)
    total += np.where(hit & (ox > 0) & (oy > 0), 800.0 - SOFT, 0.0)
    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
    a.move_to(ca[i]), b.move_to(cb[j])


def _text_cost(c, hw, hh, boxes, clear, soft: float = 500) -> float:
    """What a label centred at c (half sizes hw, hh) costs for the text boxes near it:
    ``soft`` and its overlap's area when it comes within ``clear`` of one, and 800 in all
    when nearer than the layout check's contact rule lets labels come."""
    w, h = hw + clear, hh + clear
    ox = np.minimum(c[0] + w, boxes[:, 2]) - np.maximum(c[0] - w, boxes[:, 0])
    oy = np.minimum(c[1] + h, boxes[:, 3]) - np.maximum(c[1] - h, boxes[:, 1])
    hit = (ox > 0) & (oy > 0)
    if not hit.any():
        return 0.0
    value = soft + 100 * float(np.sum(ox[hit] * oy[hit]))
    w, h = hw + CONTACT_GAP + 0.005, hh + CONTACT_GAP + 0.005
    ox = np.minimum(c[0] + w, boxes[:, 2]) - np.maximum(c[0] - w, boxes[:, 0])
    oy = np.minimum(c[1] + h, boxes[:, 3]) - np.maximum(c[1] - h, boxes[:, 1])
    if np.any((ox > 0) & (oy > 0)):
        value += 800 - soft
    return value


@dataclass
class PanelGrid:
    """Where the panels of a chain go (see :func:`panel_grid`): ``rows`` (lists of panel
    indices), the centre of every panel's box, the boxes' ``width`` and ``height``, the
    room ``head`` above a box (its title), ``foot`` below it (a label) and ``gap``
    between boxes (a map's arrow)."""

    rows: list
    centers: list
    width: float
    height: float
    head: float
    foot: float
    gap: float

    @property
    def wrapped(self) -> bool:
        return len(self.rows) > 1

    def row_of(self, k: int) -> int:
        return next(r for r, row in enumerate(self.rows) if k in row)

    def foot_center(self, k: int) -> np.ndarray:
        """The middle of the room under panel k's box."""
        return self.centers[k] + DOWN * (self.height / 2 + self.foot / 2)


def panel_grid(count: int, top: float, bottom, *, left: float | None = None,
               right: float | None = None, gap: float = 0.6, min_width: float = 2.6,
               max_width: float = 4.4, max_height: float = 2.4, head: float = 0.48,
               foot: float = 0.46) -> PanelGrid:
    """Slots for ``count`` panels between ``top`` and ``bottom``: one row when every
    panel gets at least ``min_width``, else two rows, read like two lines of text (the
    first one longer; a map arrow leaves the end of the first row and enters the start
    of the second, see :func:`map_links`).  ``bottom`` may be a pair: the bottom for
    one row, and for two.

    Examples
    --------
    .. code-block:: python

        class PanelGridExample(Scene):
            def construct(self):
                grid = panel_grid(5, top=3.0, bottom=-3.0)
                panels = [SpacePanel(2, ["a", "b"], [0, 0], width=grid.width,
                                     height=grid.height, center=c) for c in grid.centers]
                self.add(*panels, map_links(panels, ["f_1", "f_2", "f_3", "f_4"], grid))
    """
    left = -style.safe_width() / 2 if left is None else left
    right = style.safe_width() / 2 if right is None else right
    room = right - left
    w = (room - (count - 1) * gap) / count
    if w >= min_width or count < 2:
        rows = [list(range(count))]
    else:
        first = (count + 1) // 2
        rows = [list(range(first)), list(range(first, count))]
        w = (room - first * gap) / first  # the first row ends with an arrow out
    w = min(w, max_width)
    if isinstance(bottom, (tuple, list)):
        bottom = bottom[len(rows) - 1]
    row_h = (top - bottom) / len(rows)
    h = min(max_height, row_h - head - foot)
    mid = (left + right) / 2
    centers = [None] * count
    for r, row in enumerate(rows):
        lead = gap if r > 0 else 0.0  # the arrow into a continued row
        tail = gap if r < len(rows) - 1 else 0.0  # the arrow out of a row that goes on
        total = lead + len(row) * w + (len(row) - 1) * gap + tail
        x = mid - total / 2 + lead + w / 2
        y = top - r * row_h - head - h / 2
        for j, k in enumerate(row):
            centers[k] = np.array([x + j * (w + gap), y, 0.0])
    return PanelGrid(rows, centers, w, h, head, foot, gap)


def map_links(panels, labels, grid: PanelGrid, font_size=style.BODY, color=style.INK) -> VGroup:
    """One labelled arrow per map between consecutive panels (``labels``: TeX, one per
    map); across a row break, an arrow out of the row's last panel and one into the next
    row's first, both labelled.  Item k is a VGroup (arrow, label[, arrow, label])."""
    out = VGroup()

    def link(a, b):
        arr = style.map_arrow(a, b, stroke_width=4, tip_ratio=0.35)
        lab = MathTex(labels[k], font_size=font_size, color=color)
        style.fit(lab, grid.gap + 0.2, 0.5)
        lab.next_to(arr, UP, buff=0.08)
        return [arr, lab]

    for k in range(len(panels) - 1):
        a, b = panels[k].box, panels[k + 1].box
        ya, yb = a.get_center()[1], b.get_center()[1]
        if grid.row_of(k) == grid.row_of(k + 1):
            parts = link([a.get_right()[0] + 0.1, ya, 0], [b.get_left()[0] - 0.1, ya, 0])
        else:
            xa, xb = a.get_right()[0], b.get_left()[0]
            parts = link([xa + 0.1, ya, 0], [xa + grid.gap - 0.1, ya, 0]) + \
                link([xb - grid.gap + 0.1, yb, 0], [xb - 0.1, yb, 0])
        out.add(VGroup(*parts))
    return out


class Bands:
    """Bands for rows of mathematics between ``top`` and ``bottom`` (e.g. under a
    :class:`PanelGrid`): as many as fit rows ``need`` high, at most ``most``.

    A band holds one row across its width (:meth:`put`) or the latest two steps of a
    sequence side by side, in their order (:meth:`step`); what it held fades when
    something with another ``key`` takes it.  Both return the animations to play.

    Examples
    --------
    .. code-block:: python

        class BandsExample(Scene):
            def construct(self):
                bands = Bands(top=3.0, bottom=-3.0, need=1.2, most=2)
                self.play(*bands.put(0, MathTex(r"\\langle g, d\\rangle = 0.3")))
                for k in range(3):
                    self.play(*bands.step(1, MathTex(rf"d_{k + 1} = J_{k}\\, d_{k}"), k, "forward"))
    """

    def __init__(self, top: float, bottom: float, need: float, most: int = 3,
                 width: float | None = None, gap: float = 0.06):
        self.count = max(1, min(most, int((top - bottom) / need + 1e-9)))
        h = (top - bottom) / self.count
        self.y = [top - h * (i + 0.5) for i in range(self.count)]
        self.height = h - gap
        self.width = style.safe_width() if width is None else width
        self.held: dict = {}  # band -> (key, [(step, mob), ...])

    def clear(self, b: int, key=None) -> list:
        """Fade what band b holds, unless it holds ``key``'s rows."""
        old_key, items = self.held.get(b, (None, []))
        if key is not None and old_key == key:
            return []
        self.held[b] = (key, [])
        return [FadeOut(m) for _, m in items]

    def put(self, b: int, mob, key=None) -> list:
        """One row across band b (fitted, centred)."""
        anims = self.clear(b)
        style.fit(mob, self.width, self.height).move_to([0, self.y[b], 0])
        self.held[b] = (key, [(0, mob)])
        return anims + [FadeIn(mob)]

    def step(self, b: int, mob, k: int, key, first: str = "left", shrink: float = 0.85) -> list:
        """Step k of the sequence ``key`` in band b: the band keeps the latest two steps
        side by side, in order of k (the one farther from k leaves); the first step sits
        ``first``.  A step that would shrink below ``shrink`` in half the width (or
        beside one that would) takes the band alone, centred."""
        anims = self.clear(b, key)
        items = self.held[b][1]
        half = self.width / 2 - 0.4

        def fits(m):
            return min(1.0, self.height / m.height) * m.width * shrink <= half

        had, ok = bool(items), fits(mob)
        if len(items) == 2 or (items and not (ok and fits(items[0][1]))):
            gone = [it for it in items if not ok or not fits(it[1])] or \
                [max(items, key=lambda it: abs(it[0] - k))]
            for it in gone:
                items.remove(it)
                anims.append(FadeOut(it[1]))
        items.append((k, mob))
        items.sort(key=lambda it: it[0])
        style.fit(mob, half if ok else self.width, self.height)
        alone = 0 if had or not ok else (-1 if first == "left" else 1)
        slots = [-1, 1] if len(items) == 2 else [alone]
        for slot, (_, m) in zip(slots, items):
            pos = np.array([slot * (self.width / 4 + 0.1), self.y[b], 0.0])
            if m is mob:
                anims.append(Write(m.move_to(pos)))
            elif not np.allclose(m.get_center(), pos):
                anims.append(m.animate.move_to(pos))
        return anims


def fit_grid(items, top: float, bottom: float, *, width: float | None = None,
             columns=(1, 2, 3), gap: float = 0.3):
    """``items`` in a grid between ``top`` and ``bottom``, row by row, in the number of
    ``columns`` that shrinks them least.  Returns (VGroup, scale of the most shrunk item)."""
    width = style.safe_width() if width is None else width
    best = None
    for cols in columns:
        rows = -(-len(items) // cols)
        cw, ch = (width - (cols - 1) * gap) / cols, (top - bottom - (rows - 1) * 0.1) / rows
        s = min([1.0] + [min(cw / max(m.width, 1e-6), ch / max(m.height, 1e-6)) for m in items])
        if best is None or s > best[0] + 0.02:
            best = (s, cols, cw, ch)
    s, cols, cw, ch = best
    for m in items:
        style.fit(m, cw, ch)
    ch = min(ch, max(m.height for m in items) + 0.3)  # rows no farther apart than needed
    for i, m in enumerate(items):
        r, j = divmod(i, cols)
        m.move_to([(j - (cols - 1) / 2) * (cw + gap), top - (r + 0.5) * ch - r * 0.1, 0])
    return VGroup(*items), s

"""§3: the chain rule along a curve, z(t) = f(r(t)), dz/dt = grad f(r(t)) . r'(t).

Contour lines of a scalar f(x, y); a dot moves along a curve r(t) with the
gradient (blue, pulled-back quantity) and the velocity r'(t) (orange, a
pushed-forward perturbation) drawn at the dot, and a live readout of their dot
product, which is dz/dt.  On a level set the two arrows are perpendicular and
dz/dt = 0; a second curve crosses level sets and has dz/dt != 0.

Live numbers are assembled from cached digit glyphs (no LaTeX run per frame).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

from jacviz import Chain, Curve, JacvizError, Map, NumericError, chain_along_curve
from jacviz import level_set_segments, self_check
from jacviz.fmt import fmt_num, plain_expr, plain_vec
from jacviz.studio.params import SceneParams, param
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

# -- layout of the frame (scene units) ----------------------------------------
PLOT_LEFT, PLOT_RIGHT = -6.25, 1.05  # the contour plot (tick labels outside it)
PLOT_BOTTOM, PLOT_TOP = -3.2, 2.8
PANEL_LEFT = 1.55  # the readout panel, up to the right margin
PERP_COS = 0.035  # |cos(angle)| below which the right angle is marked (about 2 degrees)


@dataclass(frozen=True)
class LevelSetsParams(SceneParams):
    f: str = param("(x, y) -> x^2 + y^2", "the scalar function f(x, y) whose level sets are drawn",
                   kind="map")
    curve: str = param("t -> (cos(t), sin(t))", "the first curve r(t) (one input, two outputs)",
                       kind="map")
    t_range: tuple = param((0.0, 2 * math.pi), "t0,t1: the range of t for the first curve",
                           kind="vector")
    curve2: str = param("t -> (t, 0.5)", "a second curve, one that crosses level sets",
                        kind="map")
    t2_range: tuple = param((-1.5, 1.5), "t0,t1: the range of t for the second curve",
                            kind="vector")
    levels: tuple = param((0.25, 1.0, 2.25, 4.0), "the contour levels c drawn as f = c",
                          kind="vector")

    def validate(self):
        f = Map(self.f, name="f")
        if f.n != 2 or f.m != 1:
            raise JacvizError(
                f"parameter f: map is R^{f.n} -> R^{f.m}; this scene needs a scalar function "
                f"of two inputs, R^2 -> R^1, e.g. (x, y) -> x^2 + y^2")
        for name, text, rng_name, rng in (("curve", self.curve, "t_range", self.t_range),
                                          ("curve2", self.curve2, "t2_range", self.t2_range)):
            c = Map(text, name=name)
            if c.n != 1 or c.m != 2:
                raise JacvizError(
                    f"parameter {name}: map is R^{c.n} -> R^{c.m}; a curve in the plane has one "
                    f"input and two outputs, R^1 -> R^2, e.g. t -> (cos(t), sin(t))")
            self.need_length(rng_name, rng, 2, "the first and last t")
            t0, t1 = rng
            if not t1 > t0:
                raise JacvizError(f"parameter {rng_name}: t1 = {fmt_num(t1)} must be larger "
                                  f"than t0 = {fmt_num(t0)}, e.g. 0,6.28")
            if t1 - t0 > 1000:
                raise JacvizError(f"parameter {rng_name}: the range is {fmt_num(t1 - t0)} long; "
                                  f"this scene draws ranges up to 1000")
            along = chain_along_curve(f, Curve(c), np.linspace(t0, t1, 401))
            for what, arr in (("r(t)", along.point), ("r'(t)", along.tangent),
                              ("f(r(t))", along.z), ("grad f(r(t))", along.gradient)):
                bad = ~np.all(np.isfinite(np.reshape(arr, (401, -1))), axis=1)
                if bad.any():
                    t_bad = along.t[int(np.flatnonzero(bad)[0])]
                    raise NumericError(f"parameter {name}: {what} is not finite at "
                                       f"t = {fmt_num(t_bad)}; choose another curve or {rng_name}")
            span = np.ptp(along.point, axis=0)
            if max(span) > 1e4:
                raise JacvizError(f"parameter {name}: the curve spans {fmt_num(max(span))} units; "
                                  f"this scene draws curves up to 10000 wide")
            for t in (t0, 0.5 * (t0 + t1)):  # derivatives agree with finite differences
                self_check(Chain([c, f]), [t])
        if not 1 <= len(self.levels) <= 8:
            raise JacvizError(f"parameter levels has {len(self.levels)} numbers; this scene draws "
                              f"1 to 8 contour levels, e.g. 0.25,1,2.25,4")
        if len(set(self.levels)) != len(self.levels):
            raise JacvizError("parameter levels: the contour levels must be different numbers")


# -- helpers ---------------------------------------------------------------------
class _Num(DecimalNumber):
    """A DecimalNumber printed like style.num (3 significant digits, integers plain)."""

    def _get_num_string(self, number) -> str:
        return fmt_num(float(number), 3)


def _num_mob(value: float, font_size: float, color) -> VMobject:
    m = _Num(float(value), font_size=font_size)
    m.set_color(color)
    return m


class LiveLine(VGroup):
    """A line of TeX whose numbers follow getters every frame.

    pieces: a TeX string (static), a (TeX string, colour) pair (static), or a
    (getter, colour) pair (a live number).  The layout is that of one MathTex
    with "0" in place of every number; numbers sit on its baseline.  The first
    piece must be static (it anchors the line).
    """

    def __init__(self, pieces, font_size=style.SMALL, color=style.INK):
        super().__init__()
        self.specs = []
        strings, colors = [], []
        for p in pieces:
            if isinstance(p, str):
                strings.append(p), colors.append(color), self.specs.append(None)
            elif isinstance(p[0], str):
                strings.append(p[0]), colors.append(p[1]), self.specs.append(None)
            else:
                strings.append("0"), colors.append(p[1]), self.specs.append(p)
        assert self.specs[0] is None, "the first piece of a LiveLine must be static"
        tmpl = MathTex(*strings, font_size=font_size)
        for part, c in zip(tmpl, colors):
            part.set_color(c)
        nums = [i for i, s in enumerate(self.specs) if s is not None]
        base_y = tmpl[nums[0]].get_bottom()[1] if nums else tmpl.get_bottom()[1]
        self.font_size_ = font_size
        self.dy = [part.get_center()[1] - base_y for part in tmpl]
        self.gap = [0.0] + [tmpl[i].get_left()[0] - tmpl[i - 1].get_right()[0]
                            for i in range(1, len(tmpl))]
        self.add(*tmpl.submobjects)
        self.refresh()
        self.add_updater(lambda m: m.refresh())

    def refresh(self):
        parts = list(self.submobjects)
        first = parts[0]
        base_y = first.get_center()[1] - self.dy[0]
        x = first.get_right()[0]
        leaves = first.family_members_with_points()
        opacity = leaves[0].get_fill_opacity() if leaves else 1.0
        for i in range(1, len(parts)):
            spec = self.specs[i]
            if spec is None:
                mob = parts[i]
                mob.move_to([x + self.gap[i] + mob.width / 2, base_y + self.dy[i], 0])
            else:
                getter, color = spec
                mob = _num_mob(getter(), self.font_size_, color)
                mob.set_opacity(opacity)
                mob.move_to([x + self.gap[i] + mob.width / 2, 0, 0])
                mob.shift((base_y - mob.get_bottom()[1]) * UP)
                # the renderer keeps drawing the leaves it listed when a play began, so the
                # old glyphs are emptied rather than merely dropped
                for leaf in parts[i].get_family():
                    leaf.clear_points()
                parts[i] = mob
            x = mob.get_right()[0]
        self.submobjects = parts
        return self


def _latex_map_outputs(mp: Map) -> str:
    outs = [style.tex(o) for o in mp.outputs]
    return outs[0] if len(outs) == 1 else r"\left(" + r",\ ".join(outs) + r"\right)"


def _plain_map(mp: Map) -> str:
    outs = [plain_expr(o) for o in mp.outputs]
    return outs[0] if len(outs) == 1 else "(" + ", ".join(outs) + ")"


def _nice_floor(x: float) -> float:
    """The largest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times 10^k) not above x."""
    mag = 10 ** math.floor(math.log10(x))
    return max(s * mag for s in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if s * mag <= x * (1 + 1e-9))


def _join_segments(segs: np.ndarray) -> list[np.ndarray]:
    """Join marching-squares segments that share end points into polylines."""
    if len(segs) == 0:
        return []

    def key(p):
        return (round(float(p[0]), 9), round(float(p[1]), 9))

    ends: dict = {}
    for i, s in enumerate(segs):
        for j in (0, 1):
            ends.setdefault(key(s[j]), []).append((i, j))
    used = np.zeros(len(segs), dtype=bool)
    lines = []

    def walk(start_seg, start_end):
        pts = []
        i, j = start_seg, start_end
        while True:
            used[i] = True
            nxt = segs[i][1 - j]
            pts.append(nxt)
            cand = [(a, b) for a, b in ends.get(key(nxt), []) if not used[a]]
            if not cand:
                return pts
            i, j = cand[0]

    for i in range(len(segs)):
        if used[i]:
            continue
        fwd = walk(i, 0)  # from segs[i][0] onward
        used[i] = False
        # walk backward from segs[i][0]
        back = []
        k = key(segs[i][0])
        used[i] = True
        cand = [(a, b) for a, b in ends.get(k, []) if not used[a]]
        if cand:
            back = walk(*cand[0])
        pts = list(reversed(back)) + [segs[i][0]] + fwd
        lines.append(np.array(pts))
    return lines


class LevelSets(JacvizScene):
    Params = LevelSetsParams
    EXAMPLE = {"f": "(x, y) -> x^2 + 4*y^2", "curve": "t -> (2*cos(t), sin(t))",
               "curve2": "t -> (t, t/2)", "t2_range": "-1.6,1.6", "levels": "1,4,9"}

    def construct(self):
        self.setup_numbers()
        self.show_level_sets()
        self.move_along_curve()
        self.show_arrows()
        self.show_dot_product()
        self.cross_level_sets()
        self.summary()

    # -- numbers (core only) -----------------------------------------------------
    def setup_numbers(self):
        P = self.params
        self.f = Map(P.f, name="f")
        self.curves = [Curve(Map(P.curve, name="r")), Curve(Map(P.curve2, name="r"))]
        self.ranges = [tuple(P.t_range), tuple(P.t2_range)]
        self.along = [chain_along_curve(self.f, c, np.linspace(t0, t1, 721))
                      for c, (t0, t1) in zip(self.curves, self.ranges)]
        self.levels = sorted(float(c) for c in P.levels)

        # the view box: both curves plus a margin, then the arrows' tips, equal aspect
        pts = np.concatenate([a.point for a in self.along])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        lo, hi = self._pad(lo, hi)
        s = self._fit_scale(lo, hi)
        # arrows: drawn lengths (scene units) between ~0.5 and 2.2 at the largest
        G = max(float(np.max(np.linalg.norm(a.gradient, axis=1))) for a in self.along)
        T = max(float(np.max(np.linalg.norm(a.tangent, axis=1))) for a in self.along)
        self.gscale = self._arrow_scale(G * s)
        self.tscale = self._arrow_scale(T * s)
        tips = np.concatenate([np.concatenate([a.point + self.gscale * a.gradient,
                                               a.point + self.tscale * a.tangent])
                               for a in self.along])
        pad = 0.25 / s
        lo = np.minimum(lo, tips.min(axis=0) - pad)
        hi = np.maximum(hi, tips.max(axis=0) + pad)
        s = self._fit_scale(lo, hi)
        # fill the plot region: grow the box in its short direction
        W, H = PLOT_RIGHT - PLOT_LEFT, PLOT_TOP - PLOT_BOTTOM
        mid = (lo + hi) / 2
        self.xlim = (mid[0] - W / s / 2, mid[0] + W / s / 2)
        self.ylim = (mid[1] - H / s / 2, mid[1] + H / s / 2)
        self.s = s
        self.origin = np.array([(PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_BOTTOM + PLOT_TOP) / 2, 0.0])
        self.mid = mid

        # contour lines
        self.contours = []
        for c in self.levels:
            segs = level_set_segments(self.f, c, self.xlim, self.ylim, resolution=161)
            lines = [ln for ln in _join_segments(segs) if len(ln) >= 2]
            self.contours.append(lines)
        self.drawn_levels = [c for c, lines in zip(self.levels, self.contours) if lines]

        # key times: the first curve starts at t0; the second stops where |dz/dt| is large
        self.t_key = [self.ranges[0][0], None]
        a2 = self.along[1]
        n = len(a2.t)
        inner = np.arange(int(0.15 * (n - 1)), int(0.85 * (n - 1)) + 1)
        score = np.abs(a2.dzdt[inner]) * (1 + 1e-3 * np.linspace(0, 1, len(inner)))  # ties: later t
        k = int(inner[int(np.argmax(score))])
        self.t_key[1] = float(a2.t[k])
        # the first curve: the dot stops 3/8 of the way for the arrows, then runs to the end
        t0, t1 = self.ranges[0]
        self.t_key[0] = t0 + 0.375 * (t1 - t0)
        self.memo = {}

    @staticmethod
    def _pad(lo, hi):
        span = hi - lo
        m = 0.12 * max(float(span.max()), 1e-9)
        m = max(m, 0.3)
        return lo - m, hi + m

    @staticmethod
    def _fit_scale(lo, hi) -> float:
        W, H = PLOT_RIGHT - PLOT_LEFT, PLOT_TOP - PLOT_BOTTOM
        w, h = hi - lo
        return min(W / w, H / h)

    @staticmethod
    def _arrow_scale(longest_screen: float) -> float:
        if longest_screen <= 1e-9:
            return 1.0
        if 0.5 <= longest_screen <= 2.6:
            return 1.0
        target = 2.1 if longest_screen > 2.6 else 1.0
        return _nice_floor(target / longest_screen)

    def p(self, xy) -> np.ndarray:
        """Scene point of a plane point (x, y)."""
        x, y = float(xy[0]), float(xy[1])
        return self.origin + self.s * np.array([x - self.mid[0], y - self.mid[1], 0.0])

    def state(self, idx: int, t: float):
        """Everything at r(t) for curve idx, from the core (memoized per frame value)."""
        key = (idx, float(t))
        if key not in self.memo:
            if len(self.memo) > 4096:
                self.memo.clear()
            a = chain_along_curve(self.f, self.curves[idx], np.array([float(t)]))
            self.memo[key] = dict(point=a.point[0], tangent=a.tangent[0], z=float(a.z[0]),
                                  grad=a.gradient[0], dzdt=float(a.dzdt[0]))
        return self.memo[key]

    # -- mobject builders ------------------------------------------------------
    def build_plot(self):
        box = Rectangle(width=PLOT_RIGHT - PLOT_LEFT, height=PLOT_TOP - PLOT_BOTTOM,
                        stroke_color=style.MUTED, stroke_width=1.5).move_to(self.origin)
        axes = VGroup()
        if self.xlim[0] < 0 < self.xlim[1]:
            axes.add(Line(self.p((0, self.ylim[0])), self.p((0, self.ylim[1])),
                          color=style.MUTED, stroke_width=1.2, stroke_opacity=0.6))
        if self.ylim[0] < 0 < self.ylim[1]:
            axes.add(Line(self.p((self.xlim[0], 0)), self.p((self.xlim[1], 0)),
                          color=style.MUTED, stroke_width=1.2, stroke_opacity=0.6))
        ticks = VGroup()
        _, _, sx = style.nice_range(*self.xlim, ticks=5)
        _, _, sy = style.nice_range(*self.ylim, ticks=5)
        step = max(sx, sy)
        xn, yn = [sympy.latex(v) for v in self.f.inputs]
        for v in np.arange(math.ceil(self.xlim[0] / step) * step, self.xlim[1] + 1e-9, step):
            if abs(v - self.xlim[1]) < 0.06 * step:
                continue
            lab = MathTex(style.num(v), font_size=style.TINY, color=style.MUTED)
            lab.next_to(self.p((v, self.ylim[0])), DOWN, buff=0.1)
            if lab.get_left()[0] > PLOT_LEFT - 0.2:
                ticks.add(lab)
        for v in np.arange(math.ceil(self.ylim[0] / step) * step, self.ylim[1] + 1e-9, step):
            if abs(v - self.ylim[1]) < 0.06 * step:
                continue
            lab = MathTex(style.num(v), font_size=style.TINY, color=style.MUTED)
            lab.next_to(self.p((self.xlim[0], v)), LEFT, buff=0.1)
            if lab.get_bottom()[1] > PLOT_BOTTOM - 0.05:
                ticks.add(lab)
        xname = MathTex(xn, font_size=style.SMALL, color=style.MUTED)
        xname.next_to(self.p((self.xlim[1], self.ylim[0])), DOWN, buff=0.1).align_to(box, RIGHT)
        yname = MathTex(yn, font_size=style.SMALL, color=style.MUTED)
        yname.next_to(self.p((self.xlim[0], self.ylim[1])), LEFT, buff=0.12).align_to(box, UP)
        return box, axes, ticks, VGroup(xname, yname)

    def build_contours(self):
        lines, labels = VGroup(), VGroup()
        curve_pts = [np.array([self.p(q)[:2] for q in a.point[::4]]) for a in self.along]
        placed = []
        box_lo = np.array([PLOT_LEFT, PLOT_BOTTOM])
        box_hi = np.array([PLOT_RIGHT, PLOT_TOP])
        for c, polys in zip(self.levels, self.contours):
            if not polys:
                continue
            group = VGroup()
            for poly in polys:
                m = VMobject(stroke_color=style.MUTED, stroke_width=2.2)
                m.set_points_as_corners([self.p(q) for q in poly])
                group.add(m)
            lines.add(group)
            lab = MathTex(style.num(c), font_size=style.TINY, color=style.INK)
            half = np.array([lab.width / 2 + 0.08, lab.height / 2 + 0.06])
            best, best_score = None, -np.inf
            for poly in polys:
                step = max(1, len(poly) // 60)
                for q in poly[::step]:
                    g = self.f.jacobian(np.asarray(q))[0]
                    nrm = np.linalg.norm(g)
                    if not np.isfinite(nrm) or nrm < 1e-12:
                        continue
                    u = g / nrm
                    off = float(np.hypot(half[0] * u[0], half[1] * u[1])) + 0.06
                    centre = self.p(q)[:2] + off * u
                    edge = float(np.min(np.concatenate([centre - half - box_lo,
                                                        box_hi - centre - half])))
                    if edge < 0.05:
                        continue
                    r = float(half.max())
                    d_curves = [float(np.min(np.linalg.norm(cp - centre, axis=1))) for cp in curve_pts]
                    d_lab = min((float(np.linalg.norm(centre - o)) for o in placed), default=9.0)
                    score = (sum(min(d - r, 1.2) for d in d_curves) + min(d_lab - 2 * r, 1.2)
                             + 0.1 * min(edge, 1.0))
                    if score > best_score:
                        best, best_score = centre, score
            if best is None:
                continue
            placed.append(best)
            bg = Rectangle(width=2 * half[0], height=2 * half[1], stroke_width=0,
                           fill_color=style.BACKGROUND, fill_opacity=0.85)
            lab.move_to([best[0], best[1], 0])
            bg.move_to(lab)
            labels.add(VGroup(bg, lab))
        return lines, labels

    def build_curve(self, idx):
        m = VMobject(stroke_color=style.INK, stroke_width=3.5)
        m.set_points_as_corners([self.p(q) for q in self.along[idx].point])
        return m

    def arrows(self, idx, tracker):
        def grad():
            st = self.state(idx, tracker.get_value())
            start = self.p(st["point"])
            return style.backward_arrow(start, self.p(st["point"] + self.gscale * st["grad"]))

        def tang():
            st = self.state(idx, tracker.get_value())
            start = self.p(st["point"])
            return style.forward_arrow(start, self.p(st["point"] + self.tscale * st["tangent"]))

        def right_angle():
            st = self.state(idx, tracker.get_value())
            g, v = st["grad"], st["tangent"]
            ng, nv = np.linalg.norm(g), np.linalg.norm(v)
            mark = VMobject(stroke_color=style.INK, stroke_width=2.5)
            if ng < 1e-12 or nv < 1e-12 or abs(g @ v) > PERP_COS * ng * nv:
                return mark
            a = 0.2
            o = self.p(st["point"])
            ug = np.array([g[0], g[1], 0.0]) / ng
            uv = np.array([v[0], v[1], 0.0]) / nv
            mark.set_points_as_corners([o + a * ug, o + a * (ug + uv), o + a * uv])
            return mark

        return (always_redraw(grad), always_redraw(tang), always_redraw(right_angle))

    def dot(self, idx, tracker):
        return always_redraw(lambda: style.point_dot(
            self.p(self.state(idx, tracker.get_value())["point"]), radius=0.09))

    def readouts(self, idx, tracker):
        """The panel's live lines for curve idx: (position lines, vector lines, dot lines)."""
        def st():
            return self.state(idx, tracker.get_value())

        B, F, P, H = style.BACKWARD, style.FORWARD, style.POINT, style.HIGHLIGHT
        t_name = sympy.latex(self.curves[idx].map.inputs[0])
        pos = VGroup(
            LiveLine([f"{t_name} = ", (lambda: tracker.get_value(), P)]),
            LiveLine([f"r({t_name}) = (", (lambda: st()["point"][0], P), r",\;",
                      (lambda: st()["point"][1], P), ")"]),
            LiveLine([f"z = f(r({t_name})) = ", (lambda: st()["z"], P)]),
        )
        vec = VGroup(
            LiveLine([(r"\nabla f = (", B), (lambda: st()["grad"][0], B), (r",\;", B),
                      (lambda: st()["grad"][1], B), (")", B)]),
            LiveLine([(f"r'({t_name}) = (", F), (lambda: st()["tangent"][0], F), (r",\;", F),
                      (lambda: st()["tangent"][1], F), (")", F)]),
        )
        dot = VGroup(
            LiveLine([(r"\nabla f", B), r"\cdot", (f"r'({t_name})", F), "=",
                      "(", (lambda: st()["grad"][0], B), ")(", (lambda: st()["tangent"][0], F),
                      ")"]),
            LiveLine(["+(", (lambda: st()["grad"][1], B), ")(",
                      (lambda: st()["tangent"][1], F), ")"]),
            LiveLine([r"= \frac{dz}{d" + t_name + "} = ", (lambda: st()["dzdt"], H)],
                     font_size=style.BODY),
        )
        return pos, vec, dot

    def place_panel(self, header, pos, vec, dot, note):
        rows = [header, *pos, *vec, *dot]
        gaps = [0.0, 0.4, 0.18, 0.18, 0.4, 0.18, 0.4, 0.14, 0.14]
        bottom = PLOT_BOTTOM + (note.height + 0.3 if len(note) else 0.0)
        need = sum(r.height for r in rows) + sum(gaps)
        if need > PLOT_TOP - bottom:  # squeeze the gaps (never below a third)
            k = max(0.35, (PLOT_TOP - bottom - sum(r.height for r in rows)) / sum(gaps))
            gaps = [g * k for g in gaps]
        y = PLOT_TOP
        for row, gap in zip(rows, gaps):
            y -= gap
            row.move_to([0, y - row.height / 2, 0]).align_to([PANEL_LEFT, 0, 0], LEFT)
            if isinstance(row, LiveLine):
                row.refresh()
            y -= row.height
        eq = dot[0][3]  # the "=" of the first dot-product line: the others line up under it
        for row in dot[1:]:
            row.align_to(eq, LEFT)
            row.refresh()
        if len(note):
            note.move_to([0, PLOT_BOTTOM + note.height / 2, 0]).align_to([PANEL_LEFT, 0, 0], LEFT)

    def header(self, idx):
        t_name = sympy.latex(self.curves[idx].map.inputs[0])
        t0, t1 = self.ranges[idx]
        h = MathTex(f"r({t_name}) = " + _latex_map_outputs(self.curves[idx].map),
                    font_size=style.SMALL, color=style.INK)
        rng = MathTex(rf"{style.num(t0)} \le {t_name} \le {style.num(t1)}",
                      font_size=style.TINY, color=style.MUTED)
        g = VGroup(h, rng).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return style.fit(g, style.frame_width() / 2 - style.MARGIN - PANEL_LEFT, 1.3)

    def scale_note(self):
        parts = []
        if abs(self.gscale - 1) > 1e-12:
            parts.append(rf"\nabla f \text{{ at }} {style.num(self.gscale)}\times")
        if abs(self.tscale - 1) > 1e-12:
            parts.append(rf"r' \text{{ at }} {style.num(self.tscale)}\times")
        if not parts:
            return VGroup()
        note = MathTex(r"\text{arrows drawn: }" + r",\ ".join(parts),
                       font_size=style.TINY, color=style.MUTED)
        return style.fit(note, style.frame_width() / 2 - style.MARGIN - PANEL_LEFT, 0.6)

    @staticmethod
    def refresh(*groups):
        """Bring live lines up to date before an animation copies them (same family size)."""
        for g in groups:
            for m in g.get_family():
                if isinstance(m, LiveLine):
                    m.refresh()

    # -- beats ---------------------------------------------------------------------
    def show_level_sets(self):
        f_plain = f"f({', '.join(self.f.input_names)}) = {_plain_map(self.f)}"
        lv = ", ".join(fmt_num(c) for c in self.drawn_levels)
        self.beat("level-sets",
                  f"Level sets of {f_plain}: the contour lines f = c for c = {lv}.")
        self.title_mob = style.title(
            r"Chain rule along a curve: $\dfrac{dz}{dt} = \nabla f\big(r(t)\big)\cdot r'(t)$")
        self.box, self.axes, self.ticks, self.names = self.build_plot()
        self.contour_lines, self.contour_labels = self.build_contours()
        names = ", ".join(sympy.latex(v) for v in self.f.inputs)
        self.f_mob = MathTex(f"f({names}) = " + _latex_map_outputs(self.f),
                             font_size=style.BODY, color=style.INK)
        style.fit(self.f_mob, style.frame_width() / 2 - style.MARGIN - PANEL_LEFT, 1.0)
        self.f_mob.move_to([0, PLOT_TOP - self.f_mob.height / 2, 0]).align_to(
            [PANEL_LEFT, 0, 0], LEFT)
        lv_tex = r",\ ".join(style.num(c) for c in self.drawn_levels)
        self.lv_mob = MathTex(r"\text{contours } f = c,\ c = " + lv_tex,
                              font_size=style.SMALL, color=style.MUTED)
        style.fit(self.lv_mob, style.frame_width() / 2 - style.MARGIN - PANEL_LEFT, 1.0)
        self.lv_mob.next_to(self.f_mob, DOWN, buff=0.3).align_to(self.f_mob, LEFT)
        self.play(Write(self.title_mob), Create(self.box), FadeIn(self.axes, self.ticks,
                                                                  self.names), run_time=1.2)
        self.play(Create(self.contour_lines), FadeIn(self.f_mob), run_time=1.5)
        self.play(FadeIn(self.contour_labels), FadeIn(self.lv_mob), run_time=0.8)
        self.wait(1)

    def move_along_curve(self):
        idx = 0
        t0, t1 = self.ranges[idx]
        a = self.along[idx]
        zlo, zhi = float(a.z.min()), float(a.z.max())
        on_level = zhi - zlo <= 1e-9 * max(1.0, abs(zhi))
        t_name = self.curves[idx].parameter
        if on_level:
            zs = f"z = f(r({t_name})) stays {fmt_num(zhi)}: the curve lies on the level set f = {fmt_num(zhi)}."
        else:
            zs = (f"z = f(r({t_name})) goes from {fmt_num(a.z[0])} to {fmt_num(a.z[-1])} "
                  f"(between {fmt_num(zlo)} and {fmt_num(zhi)}).")
        self.on_level = on_level
        self.beat("curve", f"A dot moves along the curve r({t_name}) = {_plain_map(self.curves[idx].map)} "
                           f"for {t_name} from {fmt_num(t0)} to {fmt_num(t1)}; {zs}")
        # the panel: f moves up into the header, the contour note leaves
        self.tr = ValueTracker(t0)
        self.head = self.header(idx)
        self.pos, self.vec, self.dotline = self.readouts(idx, self.tr)
        self.note = self.scale_note()
        self.place_panel(self.head, self.pos, self.vec, self.dotline, self.note)
        self.curve_mob = self.build_curve(idx)
        self.dot_mob = self.dot(idx, self.tr)
        self.play(FadeOut(self.lv_mob), FadeOut(self.f_mob), run_time=0.5)
        self.play(Create(self.curve_mob), FadeIn(self.head), run_time=1.5)
        self.add(self.dot_mob)
        self.refresh(self.pos)
        self.play(FadeIn(self.pos), run_time=0.6)
        self.play(self.tr.animate.set_value(self.t_key[0]), run_time=3, rate_func=smooth)
        self.wait(1)

    def show_arrows(self):
        idx = 0
        t = self.t_key[0]
        st = self.state(idx, t)
        perp = abs(st["grad"] @ st["tangent"]) <= PERP_COS * np.linalg.norm(st["grad"]) * \
            np.linalg.norm(st["tangent"])
        t_name = self.curves[idx].parameter
        extra = " They are perpendicular (the square marks the right angle)." if perp else ""
        self.beat("arrows",
                  f"At {t_name} = {fmt_num(t)} the dot is at {plain_vec(st['point'])}; the gradient "
                  f"of f there is {plain_vec(st['grad'])} (blue) and the velocity r'({t_name}) is "
                  f"{plain_vec(st['tangent'])} (orange).{extra}")
        self.arrow_mobs = self.arrows(idx, self.tr)
        self.add(*self.arrow_mobs)
        self.remove(self.dot_mob)
        self.add(self.dot_mob)
        self.refresh(self.vec)
        self.play(FadeIn(self.vec), FadeIn(self.note), run_time=0.8)
        self.wait(1.5)

    def show_dot_product(self):
        idx = 0
        t0, t1 = self.ranges[idx]
        a = self.along[idx]
        t_name = self.curves[idx].parameter
        self.refresh(self.dotline)
        self.play(FadeIn(self.dotline), run_time=0.8)
        lo, hi = float(a.dzdt.min()), float(a.dzdt.max())
        st = self.state(idx, t1)
        if self.on_level or max(abs(lo), abs(hi)) < 1e-9:
            text = (f"Along the whole curve grad f . r'({t_name}) = dz/d{t_name} = 0: the gradient "
                    f"stays perpendicular to the tangent of the level set, so z does not change.")
        else:
            text = (f"grad f . r'({t_name}) = dz/d{t_name} goes from {fmt_num(lo)} to {fmt_num(hi)} "
                    f"along the curve; at {t_name} = {fmt_num(t1)} it is {fmt_num(st['dzdt'])}.")
        self.beat("dot-product", text)
        self.play(self.tr.animate.set_value(t1), run_time=5, rate_func=smooth)
        self.wait(1)

    def cross_level_sets(self):
        idx = 1
        t0, t1 = self.ranges[idx]
        tk = self.t_key[1]
        st = self.state(idx, tk)
        t_name = self.curves[idx].parameter
        g, v = st["grad"], st["tangent"]
        self.beat("second-curve",
                  f"A second curve r({t_name}) = {_plain_map(self.curves[idx].map)} crosses the "
                  f"level sets: at {t_name} = {fmt_num(tk)}, grad f = {plain_vec(g)} and "
                  f"r'({t_name}) = {plain_vec(v)}, so dz/d{t_name} = "
                  f"({fmt_num(g[0])})({fmt_num(v[0])}) + ({fmt_num(g[1])})({fmt_num(v[1])}) = "
                  f"{fmt_num(st['dzdt'])}.")
        old = VGroup(*self.arrow_mobs, self.dot_mob, self.head, self.pos, self.vec, self.dotline)
        for m in old.submobjects:
            m.clear_updaters() if not isinstance(m, LiveLine) else None
        self.play(FadeOut(old), self.curve_mob.animate.set_stroke(opacity=0.35), run_time=0.8)
        self.tr2 = ValueTracker(t0)
        self.head2 = self.header(idx)
        self.pos2, self.vec2, self.dotline2 = self.readouts(idx, self.tr2)
        self.place_panel(self.head2, self.pos2, self.vec2, self.dotline2, self.note)
        self.curve2_mob = self.build_curve(idx)
        self.play(Create(self.curve2_mob), FadeIn(self.head2), run_time=1.5)
        self.arrow_mobs2 = self.arrows(idx, self.tr2)
        self.dot2_mob = self.dot(idx, self.tr2)
        self.add(*self.arrow_mobs2, self.dot2_mob)
        self.refresh(self.pos2, self.vec2, self.dotline2)
        self.play(FadeIn(self.pos2), FadeIn(self.vec2), FadeIn(self.dotline2), run_time=0.8)
        self.play(self.tr2.animate.set_value(tk), run_time=5, rate_func=smooth)
        self.wait(1.5)

    def summary(self):
        a1, a2 = self.along
        m1 = float(np.max(np.abs(a1.dzdt)))
        lo, hi = float(a2.dzdt.min()), float(a2.dzdt.max())
        t1n, t2n = self.curves[0].parameter, self.curves[1].parameter
        first = (f"on the first curve dz/d{t1n} = 0 everywhere" if fmt_num(m1) == "0" else
                 f"on the first curve |dz/d{t1n}| is at most {fmt_num(m1)}")
        self.beat("summary",
                  f"dz/dt = grad f . r'(t): {first}; on the second dz/d{t2n} runs from "
                  f"{fmt_num(lo)} to {fmt_num(hi)}. Along a level set the gradient is "
                  f"perpendicular to the velocity, so dz/dt = 0.")

        def row(*parts, font_size=style.SMALL):
            tx = MathTex(*[p[0] for p in parts], font_size=font_size)
            for sub, (_, c) in zip(tx, parts):
                sub.set_color(c)
            return tx

        I, H, M = style.INK, style.HIGHLIGHT, style.MUTED
        B, F = style.BACKWARD, style.FORWARD
        lines = VGroup(row((r"\frac{dz}{dt} = ", I), (r"\nabla f", B), (r"\cdot", I), ("r'(t)", F),
                           font_size=style.BODY))
        for i, c in enumerate(self.curves):
            tn = sympy.latex(c.map.inputs[0])
            head = row((f"r({tn}) = " + _latex_map_outputs(c.map), I))
            if i == 0:
                stat = row((r"\max\left|dz/d" + tn + r"\right| = ", I), ("{" + style.num(m1) + "}", H))
            else:
                stat = row((f"dz/d{tn}" + r"\ \text{from }", I), ("{" + style.num(lo) + "}", H),
                           (r"\text{ to }", I), ("{" + style.num(hi) + "}", H))
            lines.add(VGroup(head, stat).arrange(DOWN, aligned_edge=LEFT, buff=0.15))
        lines.add(VGroup(
            row((r"\text{on a level set: } ", M), (r"\nabla f", B), (r"\perp", M), ("r'", F),
                (r",\ dz/dt = 0", M)),
            row((r"\text{across level sets: } dz/dt \ne 0", M)),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        style.fit(lines, style.frame_width() / 2 - style.MARGIN - PANEL_LEFT, 4.0)
        lines.move_to([0, PLOT_TOP - lines.height / 2, 0]).align_to([PANEL_LEFT, 0, 0], LEFT)
        old = VGroup(self.head2, self.pos2, self.vec2, self.dotline2)
        self.play(FadeOut(old), self.curve_mob.animate.set_stroke(opacity=1), run_time=0.6)
        self.play(FadeIn(lines, shift=0.2 * DOWN), run_time=1.0)
        self.wait(1.5)

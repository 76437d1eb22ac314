"""§2 Local linearity: near a point, a map looks like its Jacobian.

A nonlinear map F: R^2 -> R^2 bends a coordinate grid; zooming in around
F(x0), the bent grid straightens out and matches the grid moved by the affine
map F(x0) + J(x0)(x - x0); a small square at x0 goes (nearly) to the
parallelogram spanned by the columns of J(x0) times h; and the error of the
linear prediction shrinks faster than the step (error / h -> 0).

Every point, line and number comes from the jacviz core (Map.__call__ on
arrays of points, Map.jacobian) at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Polygon,
    ReplacementTransform,
    SurroundingRectangle,
    Tex,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

from jacviz import Map, self_check
from jacviz.errors import JacvizError
from jacviz.fmt import fmt_num, plain_mat, plain_vec
from jacviz.studio.params import SceneParams, param
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

# grid lines per direction in the big grid (beats 1-3) and samples per line
LINES = 9
SAMPLES = 81


# -- geometry helpers (numbers only; the map itself is always the core's Map) ----
def grid_lines(center, half: float, count: int = LINES, samples: int = SAMPLES) -> np.ndarray:
    """Points of a square grid around center: shape (2*count, samples, 2).

    The first `count` lines are vertical (x fixed), the others horizontal.
    """
    cx, cy = float(center[0]), float(center[1])
    ks = np.linspace(-half, half, count)
    s = np.linspace(-half, half, samples)
    vert = np.stack([np.broadcast_to(cx + ks[:, None], (count, samples)),
                     np.broadcast_to(cy + s[None, :], (count, samples))], axis=-1)
    horiz = np.stack([np.broadcast_to(cx + s[None, :], (count, samples)),
                      np.broadcast_to(cy + ks[:, None], (count, samples))], axis=-1)
    return np.concatenate([vert, horiz], axis=0)


def cell_grid_lines(x0, h: float, lo: int = -1, hi: int = 2, samples: int = 41) -> np.ndarray:
    """Grid lines at x0 + k h for k = lo..hi (the square [x0, x0 + h]^2 is one cell)."""
    ks = np.arange(lo, hi + 1) * h
    s = np.linspace(lo * h, hi * h, samples)
    n = len(ks)
    vert = np.stack([np.broadcast_to(x0[0] + ks[:, None], (n, samples)),
                     np.broadcast_to(x0[1] + s[None, :], (n, samples))], axis=-1)
    horiz = np.stack([np.broadcast_to(x0[0] + s[None, :], (n, samples)),
                      np.broadcast_to(x0[1] + ks[:, None], (n, samples))], axis=-1)
    return np.concatenate([vert, horiz], axis=0)


def square_outline(x0, h: float, per_side: int = 24) -> np.ndarray:
    """The boundary of [x0, x0 + h e1 + h e2], densely sampled (closed loop)."""
    t = np.linspace(0.0, 1.0, per_side, endpoint=False)
    e1, e2 = np.array([h, 0.0]), np.array([0.0, h])
    sides = [x0 + t[:, None] * e1, x0 + e1 + t[:, None] * e2,
             x0 + e1 + e2 - t[:, None] * e1, x0 + e2 - t[:, None] * e2]
    pts = np.concatenate(sides + [x0[None, :]], axis=0)
    return pts


def bounds(*arrays) -> tuple[np.ndarray, np.ndarray]:
    pts = np.concatenate([np.asarray(a, dtype=float).reshape(-1, 2) for a in arrays], axis=0)
    return pts.min(axis=0), pts.max(axis=0)


class View:
    """Data coordinates -> screen, equal aspect, fitted into a screen rectangle."""

    def __init__(self, lo, hi, rect_center, rect_w: float, rect_h: float, pad: float = 0.3,
                 scale: float | None = None):
        lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        ext = np.maximum(hi - lo, 1e-6)
        fit_scale = min((rect_w - 2 * pad) / ext[0], (rect_h - 2 * pad) / ext[1])
        self.scale = fit_scale if scale is None else min(scale, fit_scale)
        self.center = (lo + hi) / 2
        self.origin = np.asarray(rect_center, dtype=float)

    def __call__(self, pts) -> np.ndarray:
        pts = np.asarray(pts, dtype=float)
        xy = (pts - self.center) * self.scale
        out = np.zeros(pts.shape[:-1] + (3,))
        out[..., :2] = xy + self.origin[:2]
        return out


def polyline(points3, color, width: float, opacity: float = 1.0) -> VMobject:
    m = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
    m.set_points_as_corners(points3)
    return m


def grid_mob(lines_xy, view: View, color, width: float = 2.0, opacity: float = 1.0) -> VGroup:
    scr = view(lines_xy)
    return VGroup(*[polyline(line, color, width, opacity) for line in scr])


# -- parameters ---------------------------------------------------------------
@dataclass(frozen=True)
class LocalLinearityParams(SceneParams):
    f: str = param("(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))",
                   "the map F: R^2 -> R^2 (two inputs, two outputs)", kind="map")
    point: tuple = param((1.0, 0.5), "the point x0 where F is linearized", kind="vector")
    half_width: float = param(1.5, "half-width of the coordinate grid around x0 (beat 1)",
                              kind="float")
    zoom: float = param(6.0, "how many times the view zooms in around F(x0) (beat 2)",
                        kind="float")
    h: float = param(0.25, "side of the small square at x0 (beat 4)", kind="float")
    direction: tuple = param((1.0, 1.0), "direction v of the steps h v in the error table",
                             kind="vector")
    steps: tuple = param((0.8, 0.4, 0.2, 0.1), "step sizes h of the error table (2 to 6, > 0)",
                         kind="vector")

    def F(self) -> Map:
        return Map(self.f, name="f")

    def validate(self):
        F = self.map_of("f", self.f, max_dim=None)
        if (F.n, F.m) != (2, 2):
            raise JacvizError(
                f"parameter f: map is R^{F.n} -> R^{F.m}; this scene needs a map R^2 -> R^2 "
                f"(two inputs, two outputs), e.g. (x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))")
        self.need_length("point", self.point, 2, "one number per input of f")
        self.need_length("direction", self.direction, 2, "one number per input of f")
        if not (0 < self.half_width <= 20):
            raise JacvizError(f"parameter half_width = {self.half_width} must be > 0 and <= 20")
        if not (1.5 <= self.zoom <= 200):
            raise JacvizError(f"parameter zoom = {self.zoom} must be between 1.5 and 200")
        if not (0 < self.h <= self.half_width):
            raise JacvizError(f"parameter h = {self.h} must be > 0 and at most half_width "
                              f"({fmt_num(self.half_width)})")
        if float(np.linalg.norm(self.direction)) < 1e-9:
            raise JacvizError("parameter direction must not be the zero vector, e.g. 1,1")
        if not (2 <= len(self.steps) <= 6):
            raise JacvizError(f"parameter steps has {len(self.steps)} numbers; "
                              f"give 2 to 6 step sizes, e.g. 0.8,0.4,0.2,0.1")
        if any(not (0 < s <= 100) for s in self.steps):
            raise JacvizError("parameter steps: every step size must be > 0 and <= 100, "
                              "e.g. 0.8,0.4,0.2,0.1")
        x0 = np.asarray(self.point, dtype=float)
        self_check(F, x0)
        # F must be finite on everything the scene draws
        probes = [grid_lines(x0, self.half_width).reshape(-1, 2),
                  cell_grid_lines(x0, self.h).reshape(-1, 2),
                  x0[None, :] + np.asarray(self.steps)[:, None] * np.asarray(self.direction)]
        for pts in probes:
            with np.errstate(all="ignore"):
                vals = F(pts)
            bad = np.flatnonzero(~np.all(np.isfinite(vals), axis=-1))
            if bad.size:
                p = pts[int(bad[0])]
                raise JacvizError(
                    f"parameter f: F is not finite at {plain_vec(p)}, which the scene draws "
                    f"(grid x0 +- half_width, square of side h, steps); choose a smaller "
                    f"half_width / h / steps or another point")


# -- the scene ------------------------------------------------------------------
class LocalLinearity(JacvizScene):
    Params = LocalLinearityParams
    EXAMPLE = {"f": "(x, y) -> (x^2 - y, x*y)", "point": "1,0.5"}

    def construct(self):
        self.setup_numbers()
        self.bend_grid()
        self.zoom_in()
        self.compare_linear()
        self.square_to_parallelogram()
        self.error_table()

    # -- numbers (core only) -----------------------------------------------------
    def setup_numbers(self):
        p = self.params
        self.F = p.F()
        self.x0 = np.asarray(p.point, dtype=float)
        self.y0 = self.F(self.x0)
        self.J = self.F.jacobian(self.x0)
        self.w = float(p.half_width)
        self.Z = float(p.zoom)
        self.h = float(p.h)
        self.v = np.asarray(p.direction, dtype=float)
        # error table: |F(x0 + h v) - F(x0) - J h v| and error / h
        hs = np.asarray(p.steps, dtype=float)
        pts = self.x0[None, :] + hs[:, None] * self.v[None, :]
        pred = self.y0[None, :] + (hs[:, None] * self.v[None, :]) @ self.J.T
        self.table_h = hs
        self.table_err = np.linalg.norm(self.F(pts) - pred, axis=-1)
        self.table_ratio = self.table_err / hs
        # symbols for the formula
        self.in_tex = [sympy.latex(s) for s in self.F.inputs]
        self.out_tex = [sympy.latex(o) for o in self.F.outputs]

    def affine(self, pts) -> np.ndarray:
        """The linear prediction F(x0) + J(x0)(x - x0) at points of shape (..., 2)."""
        return self.y0 + (np.asarray(pts) - self.x0) @ self.J.T

    # -- layout constants ----------------------------------------------------------
    PANEL_H = 5.2
    PANEL_Y = -0.4

    def big_panel_rect(self):
        w = 6.2
        cx = -style.frame_width() / 2 + style.MARGIN + w / 2
        return np.array([cx, self.PANEL_Y, 0.0]), w, self.PANEL_H

    # -- beat 1 ----------------------------------------------------------------------
    def bend_grid(self):
        self.beat(
            "bend-grid",
            f"The map F: {self.params.f} bends the straight grid around x0 = "
            f"{plain_vec(self.x0)} into curves; x0 itself lands at F(x0) = {plain_vec(self.y0)}.",
        )
        self.ttl = style.title(r"Near a point, a map looks linear")
        self.add(self.ttl)

        center, pw, ph = self.big_panel_rect()
        self.lines0 = grid_lines(self.x0, self.w)
        img = self.F(self.lines0)
        lo, hi = bounds(self.lines0, img)
        self.box0 = (lo, hi)
        view = View(lo, hi, center, pw, ph)
        self.view0 = view

        panel = style.panel(pw, ph, r"\text{the plane, before and after } F")
        panel.shift(center - panel[0].get_center())
        self.panel1 = panel

        ident = grid_mob(self.lines0, view, style.MUTED, 1.6, 0.8)
        bent_target = grid_mob(img, view, style.INK, 2.2)
        bent = ident.copy()
        dot = style.point_dot(view(self.x0))
        dot_target = style.point_dot(view(self.y0))

        # right-hand text column
        left_x = center[0] + pw / 2 + 0.4
        col_w = style.frame_width() / 2 - style.MARGIN - left_x
        formula = MathTex(
            rf"F({', '.join(self.in_tex)}) = \left({self.out_tex[0]},\; {self.out_tex[1]}\right)",
            font_size=style.SMALL, color=style.INK)
        style.fit(formula, col_w, 1.0)
        leg_a = VGroup(Line(LEFT * 0.3, RIGHT * 0.3, color=style.MUTED, stroke_width=3),
                       Tex(r"the grid", font_size=style.SMALL, color=style.MUTED)).arrange(RIGHT)
        leg_b = VGroup(Line(LEFT * 0.3, RIGHT * 0.3, color=style.INK, stroke_width=3),
                       MathTex(r"\text{its image under } F", font_size=style.SMALL,
                               color=style.INK)).arrange(RIGHT)
        pt_a = MathTex(rf"x_0 = {style.tex_vec(self.x0)}", font_size=style.SMALL,
                       color=style.POINT)
        pt_b = MathTex(rf"F(x_0) = {style.tex_vec(self.y0)}", font_size=style.SMALL,
                       color=style.POINT)
        info = VGroup(formula, leg_a, leg_b, pt_a, pt_b).arrange(DOWN, aligned_edge=LEFT,
                                                                   buff=0.35)
        style.fit(info, col_w, self.PANEL_H)
        info.move_to([left_x + info.width / 2, center[1] + 0.3, 0])
        self.info = info

        self.play(FadeIn(panel), Create(ident), FadeIn(dot), Write(formula), FadeIn(leg_a),
                  FadeIn(pt_a), run_time=1.5)
        self.play(Transform(bent, bent_target), Transform(dot, dot_target), FadeIn(leg_b),
                  FadeIn(pt_b), run_time=2.5)
        self.wait(1)
        self.ident, self.bent, self.dot = ident, bent, dot

    # -- beat 2 ----------------------------------------------------------------------
    def zoom_view(self, t: float) -> tuple[View, np.ndarray]:
        """The view and the grid lines at zoom progress t in [0, 1]."""
        center, pw, ph = self.big_panel_rect()
        z = self.Z ** t
        lines = grid_lines(self.x0, self.w / z)
        img = self.F(lines)
        lin = self.affine(lines)
        lo0, hi0 = self.box0
        k = (1 - t) / z  # the beat-1 view box, shrinking onto F(x0)
        box_old = (self.y0 + (lo0 - self.y0) * k, self.y0 + (hi0 - self.y0) * k)
        lin_t = self.y0 + (lin - self.y0) * t
        lo, hi = bounds(img, lin_t, np.array(box_old))
        return View(lo, hi, center, pw, ph), lines

    def zoom_in(self):
        self.beat(
            "zoom",
            f"Zoom in {fmt_num(self.Z)} times around F(x0) = {plain_vec(self.y0)}: the grid now "
            f"spans x0 +- {fmt_num(self.w / self.Z)} and the bent lines look straighter and straighter.",
        )
        tr = ValueTracker(0.0)

        def draw():
            view, lines = self.zoom_view(tr.get_value())
            return VGroup(grid_mob(self.F(lines), view, style.INK, 2.2),
                          style.point_dot(view(self.y0)))

        live = always_redraw(draw)
        center, pw, ph = self.big_panel_rect()
        zlabel = VGroup(MathTex(r"\text{zoom}\ \times", font_size=style.SMALL, color=style.INK),
                        DecimalNumber(1.0, num_decimal_places=1, font_size=style.SMALL,
                                      color=style.INK)).arrange(RIGHT, buff=0.15)
        pts_target = VGroup(self.info[3], self.info[4]).copy()
        pts_target.next_to(self.info[0], DOWN, buff=0.35, aligned_edge=LEFT)
        zlabel.next_to(pts_target, DOWN, buff=0.35, aligned_edge=LEFT)
        zlabel[1].add_updater(lambda m: m.set_value(self.Z ** tr.get_value()))
        region = MathTex(rf"\text{{grid: }} x_0 \pm {style.num(self.w / self.Z)}",
                         font_size=style.SMALL, color=style.INK)
        region.next_to(zlabel, DOWN, buff=0.3, aligned_edge=LEFT)

        self.play(FadeOut(self.ident), FadeOut(self.bent), FadeOut(self.dot),
                  FadeOut(self.info[1]), FadeOut(self.info[2]),
                  VGroup(self.info[3], self.info[4]).animate.move_to(pts_target), run_time=0.8)
        self.add(live, zlabel)
        self.play(tr.animate.set_value(1.0), run_time=3.5, rate_func=smooth)
        live.clear_updaters()
        zlabel[1].clear_updaters()
        ztex = MathTex(rf"\text{{zoom}} \times {style.num(self.Z)}", font_size=style.SMALL,
                       color=style.INK)
        ztex.move_to(zlabel, aligned_edge=LEFT)
        self.remove(zlabel)
        self.add(ztex)
        zlabel = ztex
        self.remove(live)
        view, lines = self.zoom_view(1.0)
        self.zview, self.zlines = view, lines
        self.zbent = grid_mob(self.F(lines), view, style.INK, 2.2)
        self.zdot = style.point_dot(view(self.y0))
        self.add(self.zbent, self.zdot)
        self.play(FadeIn(region), run_time=0.6)
        self.wait(1)
        self.zinfo = VGroup(self.info[0], self.info[3], self.info[4], zlabel, region)

    # -- beat 3 ----------------------------------------------------------------------
    def compare_linear(self):
        lin_lines = self.affine(self.zlines)
        gap = float(np.max(np.linalg.norm(self.F(self.zlines) - lin_lines, axis=-1)))
        self.beat(
            "compare-linear",
            f"Near x0 the bent grid (left) matches the grid moved by the affine map "
            f"F(x0) + J(x0)(x - x0) (right), with J(x0) = {plain_mat(self.J)}; on the grid "
            f"x0 +- {fmt_num(self.w / self.Z)} the two differ by at most {fmt_num(gap)}.",
        )
        fw = style.frame_width()
        pw = (fw - 2 * style.MARGIN - 0.5) / 2
        ph = self.PANEL_H
        cl = np.array([-fw / 2 + style.MARGIN + pw / 2, self.PANEL_Y, 0])
        cr = np.array([fw / 2 - style.MARGIN - pw / 2, self.PANEL_Y, 0])
        # one scale for both panels: fit the zoomed box in the smaller of the panels
        lo, hi = bounds(self.F(self.zlines), lin_lines)
        vl = View(lo, hi, cl, pw, ph)
        vr = View(lo, hi, cr, pw, ph)

        pl = style.panel(pw, ph, r"F(x)\ \text{near}\ x_0")
        pl.shift(cl - pl[0].get_center())
        pr = style.panel(pw, ph, r"F(x_0) + J(x_0)\,(x - x_0)")
        pr[1].set_color(style.FORWARD)
        pr.shift(cr - pr[0].get_center())

        bent_l = grid_mob(self.F(self.zlines), vl, style.INK, 2.2)
        dot_l = style.point_dot(vl(self.y0))
        lin_r = grid_mob(lin_lines, vr, style.FORWARD, 2.4)
        dot_r = style.point_dot(vr(self.y0))
        note = MathTex(
            r"\text{orange: each step } x - x_0 \text{ pushed forward by } J(x_0)"
            rf"\qquad \text{{largest gap between the grids: }} {style.num(gap)}",
            font_size=style.TINY, color=style.INK)
        style.fit(note, style.safe_width(), 0.5)
        note.move_to([0, -style.frame_height() / 2 + style.MARGIN + note.height / 2, 0])

        self.play(FadeOut(self.zinfo), ReplacementTransform(self.panel1, pl),
                  Transform(self.zbent, bent_l), Transform(self.zdot, dot_l), run_time=1.2)
        self.play(FadeIn(pr), run_time=0.6)
        copy = bent_l.copy().move_to(lin_r.get_center())
        self.play(FadeIn(copy), run_time=0.8)
        self.play(Transform(copy, lin_r), FadeIn(dot_r), run_time=1.5)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(1.5)
        self.beat3 = VGroup(pl, pr, self.zbent, self.zdot, copy, dot_r, note)

    # -- beat 4 ----------------------------------------------------------------------
    def square_to_parallelogram(self):
        h, J, x0, y0 = self.h, self.J, self.x0, self.y0
        c1, c2 = h * J[:, 0], h * J[:, 1]
        self.beat(
            "square",
            f"A square of side h = {fmt_num(h)} at x0, with edges h e1 and h e2, goes to nearly "
            f"the parallelogram spanned by h J e1 = {plain_vec(c1)} and h J e2 = {plain_vec(c2)}: "
            f"the columns of J(x0) = {plain_mat(J)}, times h.",
        )
        fw = style.frame_width()
        mid_w = 3.2
        pw = (fw - 2 * style.MARGIN - mid_w) / 2
        ph = self.PANEL_H
        cl = np.array([-fw / 2 + style.MARGIN + pw / 2, self.PANEL_Y, 0])
        cr = np.array([fw / 2 - style.MARGIN - pw / 2, self.PANEL_Y, 0])

        lines = cell_grid_lines(x0, h)
        img_lines = self.F(lines)
        sq = square_outline(x0, h)
        sq_img = self.F(sq)
        para = np.array([y0, y0 + c1, y0 + c1 + c2, y0 + c2])
        lo_l, hi_l = bounds(lines)
        lo_r, hi_r = bounds(img_lines, para)
        # the same scale on both sides, so that sizes compare directly
        s = min(View(lo_l, hi_l, cl, pw, ph, pad=0.45).scale,
                View(lo_r, hi_r, cr, pw, ph, pad=0.45).scale)
        vl = View(lo_l, hi_l, cl, pw, ph, pad=0.45, scale=s)
        vr = View(lo_r, hi_r, cr, pw, ph, pad=0.45, scale=s)

        pl = style.panel(pw, ph, r"\text{near } x_0")
        pl.shift(cl - pl[0].get_center())
        pr = style.panel(pw, ph, r"\text{near } F(x_0)")
        pr.shift(cr - pr[0].get_center())

        grid_l = grid_mob(lines, vl, style.MUTED, 1.6, 0.8)
        grid_r = grid_mob(img_lines, vr, style.INK, 1.6, 0.55)
        square = Polygon(*vl(np.array([x0, x0 + [h, 0], x0 + [h, h], x0 + [0, h]])),
                         stroke_width=0, fill_color=style.FORWARD, fill_opacity=0.3)
        e1 = style.forward_arrow(vl(x0), vl(x0 + [h, 0]), stroke_width=5)
        e2 = style.forward_arrow(vl(x0), vl(x0 + [0, h]), stroke_width=5)
        l1 = MathTex(r"h\,e_1", font_size=style.SMALL, color=style.FORWARD)
        l2 = MathTex(r"h\,e_2", font_size=style.SMALL, color=style.FORWARD)
        l1.next_to(e1, DOWN, buff=0.12)
        l2.next_to(e2, LEFT, buff=0.12)
        dot_l = style.point_dot(vl(x0))
        xl = MathTex("x_0", font_size=style.SMALL, color=style.POINT)
        xl.next_to(dot_l, DOWN + LEFT, buff=0.08)

        para_m = Polygon(*vr(para), stroke_width=0, fill_color=style.FORWARD, fill_opacity=0.3)
        true_img = polyline(vr(sq_img), style.INK, 3)
        a1 = style.forward_arrow(vr(y0), vr(y0 + c1), stroke_width=5)
        a2 = style.forward_arrow(vr(y0), vr(y0 + c2), stroke_width=5)
        m1 = MathTex(r"h\,J e_1", font_size=style.SMALL, color=style.FORWARD)
        m2 = MathTex(r"h\,J e_2", font_size=style.SMALL, color=style.FORWARD)
        self._label_arrow(m1, vr(y0), vr(y0 + c1), vr(y0 + c2))
        self._label_arrow(m2, vr(y0), vr(y0 + c2), vr(y0 + c1))
        dot_r = style.point_dot(vr(y0))
        yl = MathTex("F(x_0)", font_size=style.SMALL, color=style.POINT)
        diag = vr(y0 + c1 + c2) - vr(y0)
        away = -diag / max(np.linalg.norm(diag[:2]), 1e-9)
        yl.move_to(vr(y0) + away * (0.15 + 0.5 * np.hypot(yl.width, yl.height)))

        # the middle: J(x0) with its columns in FORWARD
        jl = MathTex(r"J(x_0) =", font_size=style.SMALL, color=style.INK)
        jm = style.num_matrix(J, font_size=style.SMALL, h_buff=1.1)
        for col in jm.get_columns():
            col.set_color(style.FORWARD)
        hl = MathTex(rf"h = {style.num(h)}", font_size=style.SMALL, color=style.FORWARD)
        leg = VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=style.INK, stroke_width=3),
                     Tex(r"$F$(square)", font_size=style.TINY, color=style.INK)).arrange(RIGHT)
        mid = VGroup(jl, jm, hl, leg).arrange(DOWN, buff=0.3)
        style.fit(mid, mid_w - 0.3, ph)
        mid.move_to([0, self.PANEL_Y, 0])

        for lab in (l1, l2, xl, m1, m2, yl):
            lab.add_background_rectangle(color=style.PANEL, opacity=0.8, buff=0.04)

        self.play(FadeOut(self.beat3), run_time=0.6)
        self.play(FadeIn(pl), FadeIn(pr), Create(grid_l), Create(grid_r), FadeIn(dot_l),
                  FadeIn(xl), FadeIn(dot_r), FadeIn(yl), run_time=1.2)
        self.play(FadeIn(square), Create(e1), Create(e2), FadeIn(l1), FadeIn(l2), run_time=1.0)
        self.play(Write(jl), Write(jm), FadeIn(hl), run_time=1.0)
        self.play(Create(true_img), FadeIn(leg), run_time=1.0)
        self.play(FadeIn(para_m), Create(a1), Create(a2), FadeIn(m1), FadeIn(m2), run_time=1.5)
        self.wait(1.5)
        self.beat4 = VGroup(pl, pr, grid_l, grid_r, square, e1, e2, l1, l2, dot_l, xl, para_m,
                            true_img, a1, a2, m1, m2, dot_r, yl, mid)

    @staticmethod
    def _label_arrow(label, start, end, away_from):
        """Put label beyond the arrow's tip, on the side away from `away_from`."""
        d = np.asarray(end) - np.asarray(start)
        n = np.linalg.norm(d[:2])
        d = d / n if n > 1e-9 else np.array([1.0, 0, 0])
        o = np.asarray(end) - np.asarray(away_from)
        on = np.linalg.norm(o[:2])
        o = o / on if on > 1e-9 else np.zeros(3)
        direction = d + 0.6 * o
        direction = direction / max(np.linalg.norm(direction[:2]), 1e-9)
        label.move_to(np.asarray(end) + direction * (0.2 + 0.5 * max(label.width, label.height)))

    # -- beat 5 ----------------------------------------------------------------------
    def error_table(self):
        hs, err, ratio = self.table_h, self.table_err, self.table_ratio
        self.beat(
            "error-table",
            f"The error of the linear prediction, |F(x0 + h v) - F(x0) - J h v| with v = "
            f"{plain_vec(self.v)}, shrinks faster than the step: as h goes "
            f"{', '.join(fmt_num(x) for x in hs)}, error/h goes "
            f"{', '.join(fmt_num(x) for x in ratio)}, towards 0.",
        )
        head = MathTex(
            r"\text{error}(h) = \left| F(x_0 + h\,v) - F(x_0) - J(x_0)\,h\,v \right|,"
            rf"\quad v = {style.tex_vec(self.v)}",
            font_size=style.BODY, color=style.INK)
        style.fit(head, style.safe_width(), 0.8)
        head.move_to([0, 2.45, 0])

        cells = [Tex(r"step $h$", font_size=style.SMALL, color=style.MUTED),
                 Tex(r"error", font_size=style.SMALL, color=style.MUTED),
                 Tex(r"error / $h$", font_size=style.SMALL, color=style.MUTED)]
        for a, b, c in zip(hs, err, ratio):
            cells += [MathTex(style.num(a), font_size=style.BODY, color=style.FORWARD),
                      MathTex(style.num(b), font_size=style.BODY, color=style.INK),
                      MathTex(style.num(c), font_size=style.BODY, color=style.INK)]
        rows = len(hs) + 1
        table = VGroup(*cells).arrange_in_grid(rows=rows, cols=3, buff=(1.2, 0.4))
        rule = Line(LEFT, RIGHT, color=style.MUTED, stroke_width=2)
        rule.scale_to_fit_width(table.width + 0.4)
        rule.next_to(VGroup(*cells[:3]), DOWN, buff=0.16)
        # halving factors of error/h, beside the column
        factors = VGroup()
        for i in range(1, len(hs)):
            f = MathTex(rf"\times {style.num(ratio[i] / ratio[i - 1], 2)}",
                        font_size=style.SMALL, color=style.HIGHLIGHT)
            factors.add(f)
        block = VGroup(table, rule)
        avail_h = 2.45 - head.height / 2 - 0.35 - (-style.frame_height() / 2 + style.MARGIN + 0.7)
        style.fit(block, style.safe_width() - 2.5, avail_h)
        block.move_to([-0.6, (2.45 - head.height / 2 - 0.35 - 2.95) / 2, 0])
        box = SurroundingRectangle(VGroup(*cells[2::3]), color=style.HIGHLIGHT, buff=0.15)
        for i, f in enumerate(factors):
            cell = cells[3 * (i + 2) + 2]
            style.fit(f, 2.0, cell.height * 1.3 + 0.1)
            f.move_to([box.get_right()[0] + 0.25 + f.width / 2, cell.get_center()[1], 0])
        concl = MathTex(r"\frac{\text{error}}{h} \to 0:\ J(x_0)\ \text{is the best linear map near } x_0",
                        font_size=style.SMALL, color=style.INK)
        style.fit(concl, style.safe_width(), 0.8)
        concl.move_to([0, -style.frame_height() / 2 + style.MARGIN + concl.height / 2, 0])

        self.play(FadeOut(self.beat4), run_time=0.6)
        self.play(Write(head), FadeIn(VGroup(*cells[:3])), Create(rule), run_time=1.2)
        for r in range(1, rows):
            self.play(FadeIn(VGroup(*cells[3 * r:3 * r + 3]), shift=0.1 * DOWN), run_time=0.5)
        self.play(Create(box), run_time=0.8)
        self.play(*[FadeIn(f, shift=0.1 * RIGHT) for f in factors], run_time=1.0)
        self.play(Write(concl), run_time=1.0)
        self.wait(2)

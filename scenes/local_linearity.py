"""§2 Local linearity: near a point, a map looks like its Jacobian.

Beats: a nonlinear map F: R^2 -> R^2 bends a coordinate grid; zoomed in around F(x0)
the bent grid straightens and matches the grid moved by F(x0) + J(x0)(x - x0); a small
square at x0 goes nearly to the parallelogram of the columns of J(x0) times h; the error
of the linear prediction shrinks faster than the step (jacviz.core.grids, jacviz.core.maps.linearize);
a small circle at x0 goes nearly to the ellipse J(x0) makes of it: its semi-axes are the
singular values times the radius, along U's columns, images of V's columns; det J = +-s1 s2
is the ratio of the areas, negative when the way round flips (jacviz.core.svd).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, Create, FadeIn, FadeOut, GrowArrow, Line,
                   ReplacementTransform, SurroundingRectangle, Tex, Transform, TransformFromCopy,
                   ValueTracker, VGroup, Write, linear, smooth)

from jacviz import JacvizError, Linearization, Map, linearize, self_check
from jacviz.core.fmt import (column_digits, fmt_num, nice_ceil, nice_floor, plain_mat, plural,
                             plain_vec, tex_expr, tex_num, tex_tuple, tex_vec)
from jacviz.core.grids import (bounds, cell_grid_lines, error_table, first_nonfinite, grid_lines,
                          linear_gap, parallelogram, square_outline, zoom_frame)
from jacviz.core.spoken import say_compare as say_apart, say_num, say_vec
from jacviz.core.svd import CircleImages, circle_images, circle_points
from jacviz.kit import (EllipseView, JacobianMatrix, JacvizScene, LiveReadout, SceneParams, param,
                        place_label, style)
from jacviz.kit.view import PlaneView

PANEL_H, PANEL_Y = 5.2, -0.4  # the panels' height and centre line
ARROW_LEAST = 0.4  # screen units (24 px at 854x480): an arrow the layout check reads with room


@dataclass(frozen=True, eq=False)
class LocalLinearityNumbers:
    """What the local-linearity scene draws, from the core."""

    F: Map
    lin: Linearization
    x0: np.ndarray
    y0: np.ndarray
    J: np.ndarray
    w: float
    Z: float
    h: float
    hJ: np.ndarray
    v: np.ndarray
    table: list
    ci: CircleImages  # the circle of radius r at x0, its image under F and under J


@dataclass(frozen=True)
class LocalLinearityParams(SceneParams):
    f: str = param("(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))",
                   "the map F: R^2 -> R^2 (two inputs, two outputs)", kind="map")
    point: tuple = param((1.0, 0.5), "the point x0 where F is linearized")
    half_width: float = param(1.5, "half-width of the coordinate grid around x0 (beat 1)")
    zoom: float = param(6.0, "how many times the view zooms in around F(x0) (beat 2)")
    h: float = param(0.25, "side of the small square at x0 (beat 4)")
    direction: tuple = param((1.0, 1.0), "direction v of the steps h v in the error table")
    steps: tuple = param((0.8, 0.4, 0.2, 0.1), "step sizes h of the error table (2 to 6, > 0)")
    radius: float = param(0.25, "radius r of the small circle at x0 whose image is nearly an "
                                "ellipse (beats 6 to 8; > 0 and at most half_width)")

    def build(self):
        F = self.map_of("f", self.f, max_dim=None)
        if (F.n, F.m) != (2, 2):
            raise JacvizError(
                f"parameter f: map is R^{F.n} -> R^{F.m}; this scene needs a map R^2 -> R^2 "
                f"(two inputs, two outputs), e.g. (x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))")
        self.need_length("point", self.point, 2, "one number per input of f")
        self.need_length("direction", self.direction, 2, "one number per input of f")
        hw, steps, eg = self.half_width, self.steps, "e.g. 0.8,0.4,0.2,0.1"
        for ok, problem in (
            (0 < hw <= 20, f"half_width = {hw} must be > 0 and <= 20"),
            (1.5 <= self.zoom <= 200, f"zoom = {self.zoom} must be between 1.5 and 200"),
            (0 < self.h <= hw, f"h = {self.h} must be > 0 and at most half_width = {fmt_num(hw)}"),
            (0 < self.radius <= hw,
             f"radius = {self.radius} must be > 0 and at most half_width = {fmt_num(hw)}"),
            (np.linalg.norm(self.direction) >= 1e-9, "direction must not be zero, e.g. 1,1"),
            (2 <= len(steps) <= 6, f"steps has {plural(len(steps), 'number')}; give 2 to 6, {eg}"),
            (all(0 < s <= 100 for s in steps), f"steps: each step must be > 0 and <= 100, {eg}"),
        ):
            if not ok:
                raise JacvizError(f"parameter {problem}")
        x0, v = np.asarray(self.point, dtype=float), np.asarray(self.direction, dtype=float)
        self_check(F, x0)
        bad = first_nonfinite(F, grid_lines(x0, self.half_width), cell_grid_lines(x0, self.h),
                              x0 + np.asarray(self.steps)[:, None] * v,
                              circle_points(x0, self.radius))
        if bad is not None:  # F must be finite on everything the scene draws
            raise JacvizError(
                f"parameter f: F is not finite at {plain_vec(bad)}, which the scene draws "
                f"(grid x0 +- half_width, square of side h, steps, circle of radius r); choose "
                f"a smaller half_width / h / steps / radius or another point")
        given = f"at point {plain_vec(x0, 8)}"
        with np.errstate(all="ignore"):  # the grids and the square as drawn, around F(x0)
            drawn = [F(pts) for pts in (grid_lines(x0, self.half_width),
                                        cell_grid_lines(x0, self.h))]
        self.need_drawable("F(x0)", F(x0), given)
        for pts in drawn:
            self.need_drawable("the image of the grid", pts, given)
        lin = linearize(F, x0)
        ci = circle_images(lin, self.radius)
        self.need_drawable("the image of the circle", np.stack([ci.image, ci.ellipse]), given)
        return LocalLinearityNumbers(F=F, lin=lin, x0=x0, y0=lin.y0, J=lin.J, w=self.half_width,
                                     Z=self.zoom, h=self.h, hJ=self.h * lin.J.T, v=v,
                                     table=error_table(lin, v, self.steps), ci=ci)


def _panel(center, width: float, label: str):
    """A panel of the given width (PANEL_H high) centred at ``center``, TeX label above."""
    p = style.panel(width, PANEL_H, label)
    return p.shift(center - p[0].get_center())


def _legend(color, text: str, size=style.SMALL, half: float = 0.3):
    """A short line in the colour of what it names, and the name (Tex)."""
    return VGroup(Line(LEFT * half, RIGHT * half, color=color, stroke_width=3),
                  Tex(text, font_size=size, color=color)).arrange(RIGHT)


def _inside(mob, box, margin: float = 0.05) -> bool:
    """Whether mob's bounding box lies inside box's, ``margin`` in from its edges."""
    return bool(mob.get_left()[0] >= box.get_left()[0] + margin
                and mob.get_right()[0] <= box.get_right()[0] - margin
                and mob.get_bottom()[1] >= box.get_bottom()[1] + margin
                and mob.get_top()[1] <= box.get_top()[1] - margin)


def _near_tips(mob, arrows, clear: float = 0.08) -> bool:
    """Whether mob's bounding box comes within ``clear`` of an arrowhead's."""
    from manim.mobject.geometry.tips import ArrowTip

    x0, x1, y0, y1 = mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1]
    for tip in (t for a in arrows for t in a.get_family() if isinstance(t, ArrowTip)):
        if (tip.get_left()[0] < x1 + clear and tip.get_right()[0] > x0 - clear
                and tip.get_bottom()[1] < y1 + clear and tip.get_top()[1] > y0 - clear):
            return True
    return False


def _side_by_side(mid_width: float):
    """Centres and width of a left and a right panel with ``mid_width`` between them."""
    fw = style.frame_width()
    pw = (fw - 2 * style.MARGIN - mid_width) / 2
    x = fw / 2 - style.MARGIN - pw / 2
    return np.array([-x, PANEL_Y, 0]), np.array([x, PANEL_Y, 0]), pw


class LocalLinearity(JacvizScene):
    Params = LocalLinearityParams
    EXAMPLE = {"f": "(x, y) -> (x^2 - y, x*y)", "point": "1,0.5"}

    def construct(self):
        self.big = (np.array([-style.frame_width() / 2 + style.MARGIN + 3.1, PANEL_Y, 0]), 6.2)
        self.bend_grid()
        self.zoom_in()
        self.compare_linear()
        self.square_to_parallelogram()
        self.error_table()
        self.circle_to_ellipse()
        self.singular_values()
        self.area_and_orientation()

    def view(self, lo, hi, center, width, **kw) -> PlaneView:
        return PlaneView(lo, hi, center=center, width=width, height=PANEL_H, **kw)

    def bend_grid(self):
        n, (center, pw) = self.n, self.big
        self.beat("bend-grid", f"The map F: {self.params.f} bends the straight grid around x0 = "
                               f"{plain_vec(n.x0)} into curves; x0 itself lands at F(x0) = "
                               f"{plain_vec(n.y0)}.", say=say_bend(n))
        self.add(style.title(r"Near a point, a map looks linear"))
        lines0 = grid_lines(n.x0, n.w)
        self.box0 = bounds(lines0, n.F(lines0))
        view = self.view(*self.box0, center, pw)
        self.panel1 = _panel(center, pw, r"\text{the plane, before and after } F")
        self.ident = view.grid(lines0, style.MUTED, style.GRID_STROKE, 0.8)
        self.bent, self.dot = self.ident.copy(), view.dot(n.x0)
        left = center[0] + pw / 2 + 0.4  # the text column on the right
        width = style.frame_width() / 2 - style.MARGIN - left
        formula = style.fit(style.math(rf"F({', '.join(tex_expr(s) for s in n.F.inputs)}) = "
                                       + tex_tuple(n.F.outputs)), width, 1.0)
        self.info = VGroup(formula, _legend(style.MUTED, "the grid"),
                           _legend(style.INK, "its image under $F$"),
                           style.math(rf"x_0 = {tex_vec(n.x0)}", style.POINT),
                           style.math(rf"F(x_0) = {tex_vec(n.y0)}", style.POINT))
        self.info.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        style.fit(self.info, width, PANEL_H)
        self.info.move_to([left + self.info.width / 2, center[1] + 0.3, 0])
        self.play(FadeIn(self.panel1), Create(self.ident), FadeIn(self.dot), Write(formula),
                  FadeIn(self.info[1]), FadeIn(self.info[3]), run_time=1.5)
        self.play(Transform(self.bent, view.grid(n.F(lines0), style.INK, style.CURVE_STROKE)),
                  Transform(self.dot, view.dot(n.y0)), FadeIn(self.info[2]),
                  FadeIn(self.info[4]), run_time=2.5)
        self.wait(1)

    def zoom_view(self, t: float):
        """The view and the bent grid at zoom progress t in [0, 1]."""
        lines, img, lo, hi = zoom_frame(self.n.lin, self.n.w, self.n.Z, t, self.box0)
        return self.view(lo, hi, *self.big), lines, img

    def zoom_in(self):
        n = self.n
        self.beat("zoom", f"Zoom in {fmt_num(n.Z)} times around F(x0) = {plain_vec(n.y0)}: the "
                          f"grid now spans x0 +- {fmt_num(n.w / n.Z)} and the bent lines look "
                          f"straighter and straighter.", say=say_zoom(n))
        tr = ValueTracker(0.0)
        view, _, img = self.zoom_view(0.0)
        grid, dot = view.grid(img, style.INK, style.CURVE_STROKE), view.dot(n.y0)

        def follow(_):  # the grid's lines moved in place each frame (nothing rebuilt)
            view, _, img = self.zoom_view(tr.get_value())
            view.retrace(grid, img)
            dot.become(view.dot(n.y0))
        live = VGroup(grid, dot).add_updater(follow)
        points = VGroup(self.info[3], self.info[4])
        target = points.copy().next_to(self.info[0], DOWN, buff=0.35, aligned_edge=LEFT)
        zlabel = LiveReadout([r"\text{zoom} \times", (lambda: n.Z ** tr.get_value(), style.INK)])
        zlabel.next_to(target, DOWN, buff=0.35, aligned_edge=LEFT)
        region = style.math(rf"\text{{grid: }} x_0 \pm {tex_num(n.w / n.Z)}")
        region.next_to(zlabel, DOWN, buff=0.3, aligned_edge=LEFT)
        self.play(FadeOut(self.ident), FadeOut(self.bent), FadeOut(self.dot),
                  FadeOut(self.info[1]), FadeOut(self.info[2]), points.animate.move_to(target),
                  run_time=0.8)
        self.add(live, zlabel)
        self.play(tr.animate.set_value(1.0), run_time=3.5, rate_func=smooth)
        zlabel.clear_updaters()
        self.remove(live, tr)
        view, self.zlines, img = self.zoom_view(1.0)
        self.zbent, self.zdot = view.grid(img, style.INK, style.CURVE_STROKE), view.dot(n.y0)
        self.add(self.zbent, self.zdot)
        self.play(FadeIn(region), run_time=0.6)
        self.wait(1)
        self.zinfo = VGroup(self.info[0], points, zlabel, region)

    def compare_linear(self):
        n = self.n
        gap = linear_gap(n.lin, self.zlines)
        self.beat("compare-linear",
                  f"Near x0 the bent grid (left) matches the grid moved by the affine map "
                  f"F(x0) + J(x0)(x - x0) (right), with J(x0) = {plain_mat(n.J)}; on the grid "
                  f"x0 +- {fmt_num(n.w / n.Z)} the two differ by at most {fmt_num(gap)}.",
                  say=say_compare(n, gap))
        cl, cr, pw = _side_by_side(0.5)
        bent, lin = n.F(self.zlines), n.lin(self.zlines)
        lo, hi = bounds(bent, lin)  # one scale for both panels
        vl, vr = self.view(lo, hi, cl, pw), self.view(lo, hi, cr, pw)
        pl = _panel(cl, pw, r"F(x)\ \text{near}\ x_0")
        pr = _panel(cr, pw, r"F(x_0) + J(x_0)\,(x - x_0)")
        pr[1].set_color(style.FORWARD)
        bent_l = vl.grid(bent, style.INK, style.CURVE_STROKE)
        lin_r = vr.grid(lin, style.FORWARD, 2.4)
        dot_r = vr.dot(n.y0)
        note = style.math(r"\text{orange: each step } x - x_0 \text{ pushed forward by } J(x_0)"
                          rf"\qquad \text{{largest gap between the grids: }} {tex_num(gap)}",
                          font_size=style.TINY)
        style.fit(note, style.safe_width(), 0.5).to_edge(DOWN, buff=style.MARGIN)
        self.play(FadeOut(self.zinfo), ReplacementTransform(self.panel1, pl),
                  Transform(self.zbent, bent_l), Transform(self.zdot, vl.dot(n.y0)), run_time=1.2)
        self.play(FadeIn(pr), run_time=0.6)
        copy = bent_l.copy().move_to(lin_r.get_center())
        self.play(FadeIn(copy), run_time=0.8)
        self.play(Transform(copy, lin_r), FadeIn(dot_r), run_time=1.5)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(1.5)
        self.beat3 = VGroup(pl, pr, self.zbent, self.zdot, copy, dot_r, note)

    def square_to_parallelogram(self):
        n, h = self.n, self.n.h
        c1, c2 = n.hJ  # the columns of J(x0), times h
        cl, cr, pw = _side_by_side(3.2)
        para = parallelogram(n.y0, c1, c2)
        lines, vl, vr, k = self.square_views(cl, cr, pw, para, (c1, c2))
        self.beat("square",
                  f"A square of side h = {fmt_num(h)} at x0, with edges h e1 and h e2, goes to "
                  f"nearly the parallelogram spanned by h J e1 = {plain_vec(c1)} and h J e2 = "
                  f"{plain_vec(c2)}: the columns of J(x0) = {plain_mat(n.J)}, times h."
                  + (f" The right panel is drawn {fmt_num(k)} times as large as the left."
                     if k != 1 else ""),
                  say=say_square(n, c1, c2))
        right_title = r"\text{near } F(x_0)" + (rf"\text{{, drawn }}\times {tex_num(k)}" if k != 1 else "")
        panels = VGroup(_panel(cl, pw, r"\text{near } x_0"), _panel(cr, pw, right_title))
        grids = VGroup(vl.grid(lines, style.MUTED, style.GRID_STROKE, 0.8),
                       vr.grid(n.F(lines), style.INK, style.GRID_STROKE, 0.55))
        e = [vl.arrow(n.x0, d, stroke_width=5) for d in ([h, 0.0], [0.0, h])]
        # a column too short to read beside the other (a hundredfold apart): drawn m times
        # longer, its label saying so
        m = [1.0 if not np.any(c) or np.linalg.norm(c) * vr.scale >= ARROW_LEAST else
             nice_ceil(ARROW_LEAST / (np.linalg.norm(c) * vr.scale)) for c in (c1, c2)]
        a = [vr.arrow(n.y0, d, stroke_width=5, zero_ok=True, scale=f) for d, f in zip((c1, c2), m)]
        true_img = vr.polyline(n.F(square_outline(n.x0, h)), style.INK, 3)
        dots = VGroup(vl.dot(n.x0), vr.dot(n.y0))
        sq = parallelogram(n.x0, [h, 0], [0, h])
        square, para_m = vl.polygon(sq), vr.polygon(para)
        both = not np.any(c1) and not np.any(c2)  # J(x0) = 0: three labels at one point
        zero = [r" = 0" if not np.any(c) and not both else  # no arrow: say so
                rf"\ [\times {tex_num(f)}]" if f != 1 else "" for c, f in zip((c1, c2), m)]
        labs = [style.math(t, style.POINT if "x_0" in t else style.FORWARD) for t in
                (r"h\,e_1", r"h\,e_2", "x_0", r"h\,J e_1" + zero[0], r"h\,J e_2" + zero[1],
                 "F(x_0)")]
        for view, o, far, arrows, (l1, l2, lp), covered, box in (
                (vl, n.x0, sq[2], e, labs[:3], [square, dots], panels[0][0]),
                (vr, n.y0, para[2], a, labs[3:], [para_m, true_img, dots], panels[1][0])):
            away = view(o) - view(far)  # the point's label beyond it, off the diagonal
            if np.linalg.norm(away) > 1e-3:
                lp.move_to(view(o) + away / np.linalg.norm(away)
                           * (0.15 + 0.5 * np.hypot(lp.width, lp.height)))
            if np.linalg.norm(away) <= 1e-3:  # J(x0) = 0: the parallelogram is the point
                place_label(lp, view(o), view(o), covered, box, around=True)
            elif not _inside(lp, box) or _near_tips(lp, arrows):  # at an edge, or a head there
                place_label(lp, view(o), view(o), covered + arrows, box, around=True, tips=True)
            covered += [*arrows, lp]
            for lab, arr in zip((l1, l2), arrows):
                covered.append(place_label(lab, arr.get_start(), arr.get_end(), covered, box,
                                           around=True, tips=hasattr(arr, "tip"),
                                           clear=0.08 if hasattr(arr, "tip") else 0.14))
        for lab in labs:
            lab.add_background_rectangle(color=style.PANEL, opacity=0.8, buff=0.04)
        jl = style.math(r"J(x_0) =")
        jm = JacobianMatrix.numeric(n.J, font_size=style.SMALL, entry_color=style.FORWARD)
        hl = style.math(rf"h = {tex_num(h)}", style.FORWARD)
        mid = VGroup(jl, jm, hl, _legend(style.INK, r"$F$(square)", style.TINY, 0.25))
        mid.arrange(DOWN, buff=0.3)
        style.fit(mid, 2.9, PANEL_H).move_to([0, PANEL_Y, 0])
        self.play(FadeOut(self.beat3), run_time=0.6)
        self.play(FadeIn(panels), Create(grids), FadeIn(dots), FadeIn(labs[2]), FadeIn(labs[5]),
                  run_time=1.2)
        self.play(FadeIn(square), *[Create(x) for x in e], FadeIn(labs[0]), FadeIn(labs[1]),
                  run_time=1.0)
        self.play(Write(jl), Write(jm), FadeIn(hl), run_time=1.0)
        self.play(Create(true_img), FadeIn(mid[3]), run_time=1.0)
        self.play(FadeIn(para_m), *[Create(x) for x in a], FadeIn(labs[3]), FadeIn(labs[4]),
                  run_time=1.5)
        self.wait(1.5)
        self.beat4 = VGroup(panels, grids, square, *e, *labs, dots, para_m, true_img, *a, mid)

    def square_views(self, cl, cr, pw, para, columns):
        """The grid round the square and the views of the square (left) and of its image
        (right).  The first of these whose arrows are all ARROW_LEAST long: a grid of 3 x 3
        cells, one scale (sizes compare directly); each panel its own scale, the right one
        k times the left's (k round, said on screen); the square's cell alone, one scale;
        the cell alone, own scales.  Returns (grid lines, left view, right view, k)."""
        n, h = self.n, self.n.h
        for lo, hi in ((-1, 2), (0, 1)):
            lines = cell_grid_lines(n.x0, h, lo, hi)
            left, right = bounds(lines), bounds(n.F(lines), para)
            own = [self.view(*box, c, pw, pad=0.45) for box, c in ((left, cl), (right, cr))]
            s = min(v.scale for v in own)
            k = nice_floor(own[1].scale / own[0].scale)
            for sl, sr in ((s, s), (own[0].scale, k * own[0].scale)):
                short = min([h * sl] + [np.linalg.norm(c) * sr for c in columns if np.any(c)])
                if short >= ARROW_LEAST:
                    break
            if short >= ARROW_LEAST:
                break
        k = 1.0 if sl == sr else k
        return (lines, self.view(*left, cl, pw, pad=0.45, scale=sl),
                self.view(*right, cr, pw, pad=0.45, scale=sr), k)

    def error_table(self):
        hs, err, ratio, shrink = self.n.table
        # each column read down, row after row: neighbours that differ print apart
        dig = [column_digits(col) for col in (hs, err, ratio)]
        self.beat("error-table",
                  f"The error of the linear prediction, |F(x0 + h v) - F(x0) - J h v| with v = "
                  f"{plain_vec(self.n.v)}, shrinks faster than the step: as h goes "
                  f"{', '.join(fmt_num(x, dig[0]) for x in hs)}, error/h goes "
                  f"{', '.join(fmt_num(x, dig[2]) for x in ratio)}, towards 0.",
                  say=say_errors(self.n))
        head = style.math(r"\text{error}(h) = \left| F(x_0 + h\,v) - F(x_0) - J(x_0)\,h\,v"
                          rf" \right|,\quad v = {tex_vec(self.n.v)}", font_size=style.BODY)
        style.fit(head, style.safe_width(), 0.8).move_to([0, 2.45, 0])
        cells = [Tex(t, font_size=style.SMALL, color=style.MUTED)
                 for t in (r"step $h$", r"error", r"error / $h$")]
        for row in zip(hs, err, ratio):
            cells += [style.math(tex_num(x, d), c, style.BODY)
                      for x, d, c in zip(row, dig, (style.FORWARD, style.INK, style.INK))]
        table = VGroup(*cells).arrange_in_grid(rows=len(hs) + 1, cols=3, buff=(1.2, 0.4))
        rule = Line(LEFT, RIGHT, color=style.MUTED, stroke_width=2)
        rule.scale_to_fit_width(table.width + 0.4).next_to(VGroup(*cells[:3]), DOWN, buff=0.16)
        top = 2.45 - head.height / 2 - 0.35
        block = style.fit(VGroup(table, rule), style.safe_width() - 2.5,
                          top - style.content_bottom() - 0.7)
        block.move_to([-0.6, (top - 2.95) / 2, 0])
        box = SurroundingRectangle(VGroup(*cells[2::3]), color=style.HIGHLIGHT, buff=0.15)
        factors = VGroup()  # how error/h shrinks from one step to the next
        for i in (i for i in range(1, len(hs)) if np.isfinite(shrink[i - 1])):
            f = style.math(rf"\times {tex_num(shrink[i - 1], 2)}", style.HIGHLIGHT)
            cell = cells[3 * (i + 1) + 2]
            style.fit(f, 2.0, cell.height * 1.3 + 0.1)
            factors.add(f.move_to([box.get_right()[0] + 0.25 + f.width / 2, cell.get_y(), 0]))
        concl = style.fit(style.math(r"\frac{\text{error}}{h} \to 0:\ J(x_0)\ \text{is the best "
                                     r"linear map near } x_0"), style.safe_width(), 0.8)
        concl.to_edge(DOWN, buff=style.MARGIN)
        self.play(FadeOut(self.beat4), run_time=0.6)
        self.play(Write(head), FadeIn(VGroup(*cells[:3])), Create(rule), run_time=1.2)
        for r in range(1, len(hs) + 1):
            self.play(FadeIn(VGroup(*cells[3 * r:3 * r + 3]), shift=0.1 * DOWN), run_time=0.5)
        self.play(Create(box), run_time=0.8)
        if len(factors):  # none when the map is linear: the error is 0 at every step
            self.play(*[FadeIn(f, shift=0.1 * RIGHT) for f in factors], run_time=1.0)
        self.play(Write(concl), run_time=1.0)
        self.wait(2)
        self.beat5 = VGroup(head, table, rule, box, factors, concl)

    def circle_to_ellipse(self):
        n, ci = self.n, self.n.ci
        self.beat("circle", f"A circle of radius r = {fmt_num(ci.r)} at x0 goes under F to nearly "
                            f"the ellipse F(x0) + J(x0)(circle - x0); the two loops differ by at "
                            f"most {fmt_num(ci.gap)}.", say=say_circle(n))
        self.ellipses = ev = EllipseView(ci, center=[0, 0.2, 0], width=style.safe_width(),
                                         height=4.3)
        self.ellipse_note = ev.note(rf"r = {tex_num(ci.r)}:\quad \text{{largest gap between }}"
                                    rf"F(\text{{circle}}) \text{{ and the ellipse: }} "
                                    rf"{tex_num(ci.gap)}")
        self.play(FadeOut(self.beat5), run_time=0.6)
        self.play(FadeIn(ev.get_panels()), Create(ev.get_circle()), FadeIn(ev.get_dots()),
                  run_time=1.2)
        self.play(TransformFromCopy(ev.get_circle(), ev.get_image()), run_time=1.5)
        self.play(TransformFromCopy(ev.get_image(), ev.get_ellipse()),
                  FadeIn(self.ellipse_note), run_time=1.5)
        self.wait(1)

    def singular_values(self):
        ev, dec = self.ellipses, self.n.ci.dec
        (v1, v2), (s1, s2) = dec.V.T, dec.s
        self.beat("singular-values",
                  f"J(x0) = U Σ V^T: the radii r v1 and r v2 of the circle (v1 = {plain_vec(v1)}, "
                  f"v2 = {plain_vec(v2)}, the columns of V) go to the ellipse's semi-axes r σ1 u1 "
                  f"and r σ2 u2, with σ1 = {fmt_num(s1)} and σ2 = {fmt_num(s2)}."
                  + (" σ2 = 0: J(x0) is singular, the circle collapses to a segment."
                     if dec.rank == 1 else "")
                  + (" J(x0) = 0: the circle collapses to a point." if dec.rank == 0 else ""),
                  say=say_singular(dec))
        note = ev.note(r"J(x_0)\,v_i = \sigma_i\,u_i:\quad J(x_0) = U\,\Sigma\,V^{T},\quad "
                       rf"\sigma_1 = {tex_num(s1)},\ \sigma_2 = {tex_num(s2)}"
                       + {2: "", 1: r":\ \text{a segment}", 0: r":\ \text{a point}"}[dec.rank],
                       style.FORWARD)
        self.play(*[GrowArrow(a) if hasattr(a, "tip") else FadeIn(a) for a in ev.get_input_axes()],
                  FadeIn(ev.get_input_labels()), run_time=1.0)
        self.play(*[TransformFromCopy(a, b) for a, b in zip(ev.get_input_axes(), ev.get_axes())],
                  run_time=1.5)
        self.play(FadeIn(ev.get_axis_labels()), ReplacementTransform(self.ellipse_note, note),
                  run_time=0.8)
        self.ellipse_note = note
        self.wait(1.5)

    def area_and_orientation(self):
        ev, dec = self.ellipses, self.n.ci.dec
        self.beat("area", area_caption(dec), say=say_area(dec))
        sign = "-" if dec.flips else ""
        tail = {1: r"\text{kept}", -1: r"\text{flips}", 0: r"\text{lost: } J(x_0) \text{ is singular}"}
        note = ev.note(rf"\det J(x_0) = {sign}\sigma_1\sigma_2 = {tex_num(dec.det)}:\quad "
                       rf"\frac{{\text{{area of the ellipse}}}}{{\text{{area of the circle}}}} = "
                       rf"{tex_num(dec.area_ratio)},\quad \text{{orientation }}"
                       + tail[dec.orientation], style.WARN if dec.flips else style.FORWARD)
        tr = ValueTracker(0.0)
        movers = VGroup(*[style.point_dot(p, radius=0.09).set_color(style.HIGHLIGHT)
                          for p in ev.markers_at(0.0)])
        movers.add_updater(lambda m: [d.move_to(p) for d, p in zip(m, ev.markers_at(tr.get_value()))])
        self.play(ReplacementTransform(self.ellipse_note, note), run_time=0.8)
        self.add(movers)
        self.play(tr.animate.set_value(1.0), run_time=4.0, rate_func=linear)
        movers.clear_updaters()
        self.play(FadeOut(movers), FadeIn(ev.get_turns()), run_time=0.8)
        self.wait(2)


# -- narration: what each beat says, read from the core's numbers ---------------------------
def say_bend(n) -> str:
    return (f"Before we chain anything, look at one map near one point. The map F bends the "
            f"straight grid around x zero, {say_vec(n.x0)}, into curves. The point itself lands "
            f"at {say_vec(n.y0)}.")


def say_zoom(n) -> str:
    return (f"Now zoom in {say_num(n.Z)} times around that point. The bent lines look "
            f"straighter and straighter. Near a point, a smooth map looks linear.")


def say_compare(n, gap) -> str:
    rows = "; its second, ".join(say_vec(r) for r in n.J)
    return (f"On the right, the same grid moved by the Jacobian at x zero. Its first row is "
            f"{rows}. "
            f"Near x zero the two grids agree: they differ by at most {say_num(gap)}. "
            f"The Jacobian is the best linear map near the point.")


def say_square(n, c1, c2) -> str:
    return (f"A small square of side {say_num(n.h)} at x zero goes to nearly a parallelogram. "
            f"Its edges are the columns of the Jacobian, times the side. The first is {say_vec(c1)}; "
            f"the second, {say_vec(c2)}.")


def say_errors(n) -> str:
    hs, err, ratio, shrink = n.table
    steps = say_apart(hs[0], hs[-1], equal=False)  # numbers said to differ read apart
    if not np.any(ratio):  # a linear map: the error is 0 at every step
        return (f"How good is the linear prediction? Let the step shrink from {steps.a} to "
                f"{steps.b}. The error is zero at every step: this map is linear, and its "
                f"prediction is exact.")
    falls = say_apart(ratio[0], ratio[-1], equal=False)
    drop = (f"falls from {falls.a} to {falls.b}" if not falls.note else
            f"falls from {falls.a}, though {falls.note}")
    return (f"How good is the linear prediction? Let the step shrink from {steps.a} to "
            f"{steps.b}. The error divided by the step {drop}. The error shrinks faster than "
            f"the step.")


def say_circle(n) -> str:
    return (f"Now a small circle of radius {say_num(n.ci.r)} around x zero. The map bends it "
            f"into the white loop; the Jacobian at x zero makes it an ellipse, in orange. The "
            f"two differ by at most {say_num(n.ci.gap)}: near the point, F does to the circle "
            f"what its Jacobian does.")


def say_singular(dec) -> str:
    s1, s2 = dec.s
    first = (f"The Jacobian stretches the direction v one by sigma one, {say_num(s1)}, and "
             f"the direction v two by sigma two, {say_num(s2)}.")
    if dec.rank == 0:
        first = "The Jacobian is zero here: it sends every direction to zero."
    elif dec.rank == 1:
        first = (f"The Jacobian stretches the direction v one by sigma one, {say_num(s1)}, and "
                 f"flattens the direction v two to nothing. The circle collapses to a segment.")
    return (f"The ellipse's axes come from the circle's directions v one and v two, in orange "
            f"on the left. {first} These are the singular values of the Jacobian.")


def area_caption(dec) -> str:
    s = f"det J(x0) = {fmt_num(dec.det)}"
    if dec.orientation == 0:
        return (f"{s}: J(x0) is singular, so the ellipse has no area; a point going round the "
                f"circle goes back and forth along the segment.")
    sign = "" if dec.orientation > 0 else "-"
    way = ("positive: the image goes round the same way as the circle" if dec.orientation > 0
           else "negative: the image goes round the other way, the orientation flips")
    return (f"{s} = {sign}σ1 σ2: the ellipse's area is |det J| = {fmt_num(dec.area_ratio)} times "
            f"the circle's; det J is {way}.")


def say_area(dec) -> str:
    if dec.orientation == 0:
        return ("The determinant of the Jacobian is zero. The ellipse has no area: a dot going "
                "round the circle only goes back and forth on the segment.")
    first = (f"The ellipse's area over the circle's is sigma one times sigma two, "
             f"{say_num(dec.area_ratio)}: the size of the determinant.")
    if dec.flips:
        return (f"{first} Here the determinant is negative, {say_num(dec.det)}. Follow the yellow "
                f"dot: it goes round the circle anticlockwise, and round the ellipse clockwise. "
                f"The Jacobian flips the orientation.")
    return (f"{first} Here it is positive, {say_num(dec.det)}. The yellow dot goes round the "
            f"circle and round the ellipse the same way: the orientation is kept.")

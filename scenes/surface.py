"""§2, §3 in 3-D: the surface z = f(x, y) whose picture from above is the level-sets scene.

Beats: the shaded surface with its axes; the level curves on the floor and lifted to their
heights; the point and its tangent plane z0 + grad f(x0) . (x - x0) (equation from the
core), then a zoom until the surface and the plane cannot be told apart; the gradient on the
floor, perpendicular to the level curve through the point (right angle marked); a curve r(t)
lifted onto the surface, a dot moving along it with z(t) and dz/dt = grad f . r'(t) live;
a slow camera move that ends in the top view.  Every text is fixed in the frame; the 3-D
parts come from ``jacviz.kit.surface`` and every number from ``jacviz.core.surface``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from manim import (DEGREES, DOWN, LEFT, Create, FadeIn, FadeOut, ThreeDScene, ValueTracker,
                   VGroup, Write, linear, smooth)

from jacviz import Chain, Curve, JacvizError, Map, NumericError, self_check
from jacviz.core.fmt import (fmt_num, nice_floor, nice_range, plain_expr, plain_vec, tex_expr,
                             tex_num, tex_tuple)
from jacviz.core.grids import level_lines, nonfinite_along
from jacviz.core.spoken import join_words, say_num, say_vec
from jacviz.core.surface import (TangentPlane, level_through, lift_curve, outside_box, plane_gap,
                                 sample_surface, tangent_plane)
from jacviz.kit import ColoredTex, JacvizScene, LiveReadout, SceneParams, param, style
from jacviz.kit.readout import stack
from jacviz.kit.surface import RESOLUTION, SurfaceCamera, SurfaceView, in_frame

PANEL_LEFT = 2.05  # the readout panel, from here to the right margin
# where the 3-D picture sits in the frame: left of the panel, below the title (x0, x1, y0, y1),
# with room for the axis names
PICTURE = (-style.frame_width() / 2 + style.MARGIN + 0.45, PANEL_LEFT - 0.45,
           style.content_bottom() + 0.45, style.CONTENT_TOP - 0.35)
SAMPLES = 361  # along the curve
ZOOM = 25  # the zoomed patch is this many times smaller than the plane's first patch


@dataclass(frozen=True, eq=False)
class SurfaceNumbers:
    """What the surface scene draws, from the core."""

    f: Map
    samples: object  # SurfaceSamples over the ranges
    plane: TangentPlane
    view: SurfaceView
    levels: list
    contours: list
    through: np.ndarray | None  # the level curve through the point (floor polyline)
    half: float  # the plane's first patch: x0 +- half
    gap: float  # the largest |f - plane| there
    zhalf: float  # the zoomed patch: x0 +- zhalf
    zgap: float
    patch: object  # SurfaceSamples of the zoomed patch
    gscale: float  # the gradient is drawn at gscale x its length
    curve: Curve | None
    along: object | None
    t_range: tuple[float, float]


def _range(self, name) -> tuple[float, float]:
    value = getattr(self, name)
    self.need_length(name, value, 2, "the first and last value")
    lo, hi = (float(v) for v in value)
    if not 0 < hi - lo <= 1e4:
        raise JacvizError(f"parameter {name}: " + (
            f"{fmt_num(hi)} must be larger than {fmt_num(lo)}, e.g. -1.5,1.5" if hi <= lo else
            f"the range is {fmt_num(hi - lo)} long; this scene draws ranges up to 10000"))
    return lo, hi


@dataclass(frozen=True)
class SurfaceParams(SceneParams):
    f: str = param("(x, y) -> x^2 + y^2", "the scalar function f(x, y) whose graph z = f(x, y) "
                   "is drawn", kind="map")
    point: tuple = param((0.6, 0.8), "the point x0 = (x, y) of the tangent plane and the "
                         "gradient", kind="vector")
    curve: str = param("t -> (cos(t), sin(t))", "a curve r(t) on the floor, lifted onto the "
                       "surface (one input, two outputs; empty: no curve)", kind="text")
    t_range: tuple = param((0.0, 2 * math.pi), "t0,t1: the range of t for the curve")
    levels: tuple = param((0.25, 1.0, 2.25), "the levels c of the level curves f = c")
    x_range: tuple = param((-1.5, 1.5), "x0,x1: the range of x drawn")
    y_range: tuple = param((-1.5, 1.5), "y0,y1: the range of y drawn")
    phi: float = param(62.0, "the camera's angle from the vertical, in degrees (0: from above)")
    theta: float = param(-55.0, "the camera's angle around the vertical, in degrees")

    def build(self) -> SurfaceNumbers:
        f = self.map_of("f", self.f, max_dim=None)
        if (f.n, f.m) != (2, 1):
            raise JacvizError(
                f"parameter f: map is R^{f.n} -> R^{f.m}; this scene needs a scalar function "
                f"of two inputs, R^2 -> R^1, e.g. (x, y) -> x^2 + y^2")
        xr, yr = _range(self, "x_range"), _range(self, "y_range")
        self.need_length("point", self.point, 2, "x and y of the point")
        x0 = np.array(self.point, dtype=float)
        if outside_box(x0, xr, yr) is not None:
            raise JacvizError(
                f"parameter point: {plain_vec(x0)} lies outside the ranges x in "
                f"[{fmt_num(xr[0])}, {fmt_num(xr[1])}], y in [{fmt_num(yr[0])}, {fmt_num(yr[1])}]"
                f"; choose a point inside them or widen x_range and y_range")
        if not 0 <= self.phi <= 90:
            raise JacvizError(f"parameter phi: {fmt_num(self.phi)} degrees; the camera's angle "
                              f"from the vertical is 0 to 90 degrees, e.g. 62")
        if not -360 <= self.theta <= 360:
            raise JacvizError(f"parameter theta: {fmt_num(self.theta)} degrees; give an angle "
                              f"from -360 to 360, e.g. -55")
        try:
            samples = sample_surface(f, xr, yr, RESOLUTION + 1)
        except NumericError as exc:
            raise NumericError(f"parameter f: {exc} in the ranges; choose x_range and y_range "
                               f"where f is finite") from None
        self.need_drawable("parameter f: the surface's height", samples.Z)
        self_check(f, x0)  # the gradient agrees with difference quotients
        plane = tangent_plane(f, x0)
        span = max(xr[1] - xr[0], yr[1] - yr[0])
        half = 0.2 * span
        zhalf = half / ZOOM
        try:
            patch = sample_surface(f, (x0[0] - zhalf, x0[0] + zhalf),
                                   (x0[1] - zhalf, x0[1] + zhalf), 9)
        except NumericError as exc:
            raise NumericError(f"parameter point: near the point {exc}; choose another point")
        gap, zgap = plane_gap(f, plane, half), plane_gap(f, plane, zhalf)
        corners = plane(np.array([[x0[0] + sx * half, x0[1] + sy * half]
                                  for sx in (-1, 1) for sy in (-1, 1)]))
        self.need_drawable("parameter point: the tangent plane's height", corners)
        # the levels
        if not 1 <= len(self.levels) <= 8:
            raise JacvizError(f"parameter levels has {len(self.levels)} numbers; this scene draws "
                              f"1 to 8 levels, e.g. 0.25,1,2.25")
        if len(set(self.levels)) != len(self.levels):
            raise JacvizError("parameter levels: the levels must be different numbers")
        levels = sorted(float(c) for c in self.levels)
        contours = level_lines(f, levels, xr, yr)
        through = None if plane.critical else level_through(
            level_lines(f, [plane.z0], xr, yr)[0], x0)
        # the curve
        curve, along, t_range = None, None, (0.0, 1.0)
        if self.curve.strip():
            c = self.map_of("curve", self.curve, max_dim=None, map_name="r")
            if (c.n, c.m) != (1, 2):
                raise JacvizError(
                    f"parameter curve: map is R^{c.n} -> R^{c.m}; a curve on the floor has one "
                    f"input and two outputs, R^1 -> R^2, e.g. t -> (cos(t), sin(t))")
            t_range = _range(self, "t_range")
            curve = Curve(c)
            along = lift_curve(f, curve, np.linspace(*t_range, SAMPLES))
            bad = nonfinite_along(along)
            if bad:
                raise NumericError(f"parameter curve: {bad[0]} is not finite at t = "
                                   f"{fmt_num(bad[1])}; choose another curve or t_range")
            k = outside_box(along.point, xr, yr)
            if k is not None:
                raise JacvizError(
                    f"parameter curve: r(t) leaves the ranges at t = {fmt_num(along.t[k])}, "
                    f"where it is {plain_vec(along.point[k])}; choose t_range or widen "
                    f"x_range and y_range")
            for t in (t_range[0], 0.5 * sum(t_range)):
                self_check(Chain([c, f]), [t])
        zs = [samples.Z.min(), samples.Z.max(), *corners]
        zlo, zhi, _ = nice_range(min(zs), max(zs), 8)
        view = SurfaceView(xr, yr, (zlo, zhi), theta=self.theta)
        g = float(np.linalg.norm(plane.grad))  # drawn 0.1 to 0.45 of the range long
        gscale = 1.0 if g == 0 or 0.1 * span <= g <= 0.45 * span else nice_floor(0.3 * span / g)
        return SurfaceNumbers(f=f, samples=samples, plane=plane, view=view, levels=levels,
                              contours=contours, through=through, half=half, gap=gap,
                              zhalf=zhalf, zgap=zgap, patch=patch, gscale=gscale, curve=curve,
                              along=along, t_range=t_range)


class Surface(JacvizScene, ThreeDScene):
    Params = SurfaceParams
    EXAMPLE = {"f": "(x, y) -> sin(x)*cos(y)", "point": "0.5,-0.4",
               "curve": "t -> (t, t/2)", "t_range": "-1.4,1.4", "levels": "-0.5,0,0.5",
               "x_range": "-1.6,1.6", "y_range": "-1.6,1.6", "theta": "-120"}

    def __init__(self, params=None, **kwargs):
        kwargs.setdefault("camera_class", SurfaceCamera)
        super().__init__(params, **kwargs)
        self.camera.scene = self

    # -- 3-D helpers ----------------------------------------------------------------------
    def screen(self, pts3):
        return self.camera.screen_points(pts3)

    def flat(self, *mobs):
        """Texts and marks drawn fixed in the frame (kept so as the readouts change)."""
        in_frame(*mobs)
        self.add_fixed_in_frame_mobjects(*mobs)
        return mobs[0] if len(mobs) == 1 else mobs

    def layout_mobjects(self):
        """The mobjects as drawn: the 3-D ones replaced by copies at their projections."""
        from jacviz.kit.surface import in_frame_family

        fixed = in_frame_family(self.mobjects) | self.camera.fixed_in_frame_mobjects

        def drawn(m):
            family = m.get_family()
            if all(s in fixed for s in family) or not m.family_members_with_points():
                return m
            if any(s in fixed for s in family):  # a group of both: each part as drawn
                g = VGroup()
                g.submobjects = [drawn(s) for s in m.submobjects]
                if len(m.points):
                    g.points = self.screen(m.points)
                return g
            c = m.copy()
            for a, b in zip(family, c.get_family()):
                if len(a.points):
                    b.points = self.screen(a.points)
            return c
        return [drawn(m) for m in self.mobjects]

    def construct(self):
        n = self.n
        self.view = n.view
        self.fit_picture()
        self.pw = style.frame_width() / 2 - style.MARGIN - PANEL_LEFT
        self.top, self.bottom = style.CONTENT_TOP, style.content_bottom()
        self.show_surface()
        self.show_levels()
        self.show_plane()
        self.zoom_in()
        self.show_gradient()
        if n.along is not None:
            self.ride_curve()
        self.top_view()

    def fit_picture(self):
        """The camera's zoom and the picture's shift that put the box of the surface (seen at
        phi, theta, and from above at the end) inside PICTURE, as large as fits."""
        v, cam = self.view, self.camera
        corners = v.to_scene(np.array([[x, y, z] for x in v.xlim for y in v.ylim
                                       for z in v.zlim]))
        cam.screen_shift = np.zeros(3)
        extents = []
        for phi, theta, focal in ((0.0, -90.0, 400.0),
                                  (self.params.phi, self.params.theta, 20.0)):
            self.set_camera_orientation(phi=phi * DEGREES, theta=theta * DEGREES,
                                        focal_distance=focal, zoom=1.0)
            extents.append(self.screen(corners))
        x0, x1, y0, y1 = PICTURE
        lo, hi = extents[1].min(axis=0), extents[1].max(axis=0)  # the view at phi, theta
        mid = (lo + hi) / 2
        both = np.concatenate(extents) - mid
        zoom = min(1.25, (x1 - x0) / 2 / np.abs(both[:, 0]).max(),
                   (y1 - y0) / 2 / np.abs(both[:, 1]).max())
        cam.screen_shift = np.array([(x0 + x1) / 2, (y0 + y1) / 2, 0.0]) - zoom * mid
        self.zoom0 = float(zoom)
        self.set_camera_orientation(zoom=self.zoom0)

    def panel(self, rows, gaps, bottom=None, *more):
        """The panel shows these rows (stacked from the top, fixed in the frame): rows shown
        before and kept stay where they are, the others fade out, the new ones fade in."""
        old = getattr(self, "rows", [])
        new = [r for r in rows if r not in old]
        for r in new:
            style.fit(r, self.pw, 1.6)
        placed = [(r, r.get_center().copy()) for r in rows if r in old]
        stack(rows, gaps, PANEL_LEFT, self.top, self.bottom if bottom is None else bottom)
        for r, at in placed:  # the kept rows above the new ones stay put
            r.move_to(at)
        self.flat(*new)
        gone = [r for r in old if r not in rows]
        self.rows = list(rows)
        self.play(*[FadeOut(r) for r in gone], *LiveReadout.fade_in(*new), *more, run_time=0.8)
        return rows

    def f_tex(self) -> str:
        f = self.n.f
        return (f"f({', '.join(tex_expr(s) for s in f.inputs)}) = " + tex_tuple(f.outputs))

    # -- beats ------------------------------------------------------------------------------
    def show_surface(self):
        n, v = self.n, self.view
        zlo, zhi = v.zlim
        self.beat("surface", f"The surface z = f(x, y) = {plain_expr(n.f.outputs[0])} over x "
                             f"from {fmt_num(v.xlim[0])} to {fmt_num(v.xlim[1])} and y from "
                             f"{fmt_num(v.ylim[0])} to {fmt_num(v.ylim[1])}; z from "
                             f"{fmt_num(zlo)} to {fmt_num(zhi)}.", say=say_surface(n))
        self.title_mob = self.flat(style.title(r"The surface $z = f(x, y)$"))
        self.surf = v.get_surface(n.samples)
        names = [tex_expr(s) for s in n.f.inputs]
        self.axes = VGroup(v.get_floor(), v.get_axes())
        self.labels = v.get_labels(self.screen, names)
        self.f_mob = style.math(self.f_tex(), font_size=style.BODY)
        self.play(Write(self.title_mob), Create(self.axes), run_time=1.2)
        self.play(FadeIn(self.surf), FadeIn(self.labels), run_time=1.5)
        self.panel([self.f_mob], [0.0])
        self.wait(1.5)

    def show_levels(self):
        n, v = self.n, self.view
        drawn = [c for c, lines in zip(n.levels, n.contours) if lines]
        lv = ", ".join(fmt_num(c) for c in drawn)
        self.beat("level-curves", (f"Level curves f = c for c = {lv}: on the floor, and lifted to "
                                   f"their heights z = c on the surface." if drawn else
                                   "None of the levels is reached over these ranges."),
                  say=say_levels(drawn))
        self.floor_levels = v.get_floor_levels(n.contours)
        self.lifted = v.get_lifted_levels(n.contours, n.levels)
        text = (r"\text{level curves } f = c,\ c = " + r",\ ".join(tex_num(c) for c in drawn)
                if drawn else r"\text{no level is reached here}")
        self.lv_mob = style.math(text, style.MUTED)
        if drawn and self.lv_mob.width > self.pw:  # two lines rather than shrunk below 12 px
            self.lv_mob = VGroup(style.math(r"\text{level curves } f = c,", style.MUTED),
                                 style.math(r"c = " + r",\ ".join(tex_num(c) for c in drawn),
                                            style.MUTED)).arrange(DOWN, aligned_edge=LEFT,
                                                                  buff=0.15)
        self.play(Create(self.floor_levels), run_time=1.2)
        self.play(*[FadeIn(m) for m in self.lifted], run_time=1.2)
        self.panel([self.f_mob, self.lv_mob], [0.0, 0.3])
        self.wait(2)

    def show_plane(self):
        n, v, p = self.n, self.view, self.n.plane
        a, b, c = p.coefficients
        x0 = p.x0
        self.beat("tangent-plane",
                  f"At x0 = {plain_vec(x0)}: z0 = f(x0) = {fmt_num(p.z0)} and grad f(x0) = "
                  f"{plain_vec(p.grad)}; the tangent plane is z = {fmt_num(p.z0)} + "
                  f"{plain_vec(p.grad)} . (x - x0) = {plane_text(a, b, c, n.f.input_names)}.",
                  say=say_plane(p))
        top = v.to_scene([x0[0], x0[1], p.z0])
        self.point_dot = v.get_dot(self.screen, lambda: top)
        self.drop = v.drop_line(x0, p.z0)
        self.plane_mob = VGroup(v.get_tangent_plane(p, n.half), v.get_plane_grid(p, n.half, 7, 1.6))
        self.play(FadeOut(self.lifted), Create(self.drop), FadeIn(self.point_dot), run_time=1.0)
        rows = [style.math(rf"x_0 = {tex_tuple(x0)},\ z_0 = {tex_num(p.z0)}", style.POINT),
                ColoredTex((r"\nabla f(x_0) = ", style.BACKWARD),
                           (tex_tuple(p.grad), style.BACKWARD)),
                style.math(r"z = z_0 + \nabla f(x_0)\cdot(x - x_0)", style.HIGHLIGHT),
                style.math("z = " + plane_tex(a, b, c, [tex_expr(s) for s in n.f.inputs]),
                           style.HIGHLIGHT)]
        self.play(FadeIn(self.plane_mob), run_time=1.2)
        self.plane_rows = rows
        self.panel([self.f_mob, *rows], [0.0, 0.4, 0.2, 0.35, 0.2])
        self.wait(2.5)

    def zoom_in(self):
        n, v, p = self.n, self.view, self.n.plane
        self.beat("zoom",
                  f"Near x0 the surface and its tangent plane agree: over |x - x0|, |y - y0| <= "
                  f"{fmt_num(n.half)} they differ by at most {fmt_num(n.gap)}; zoomed in "
                  f"{ZOOM} times, over {fmt_num(n.zhalf)}, by at most {fmt_num(n.zgap)}.",
                  say=say_zoom(n))
        gap_rows = [style.math(rf"|\Delta x|, |\Delta y| \le {tex_num(n.half)}:\ "
                               rf"|f - \text{{plane}}| \le {tex_num(n.gap)}", style.INK),
                    style.math(rf"|\Delta x|, |\Delta y| \le {tex_num(n.zhalf)}:\ "
                               rf"|f - \text{{plane}}| \le {tex_num(n.zgap)}", style.INK)]
        rows = [self.f_mob, *self.plane_rows]
        self.panel(rows + gap_rows[:1], [0.0, 0.4, 0.2, 0.35, 0.2, 0.5])
        self.wait(1.5)
        patch = VGroup(v.get_patch(n.patch), v.get_plane_grid(p, n.zhalf))
        big = VGroup(self.surf, self.plane_mob, self.floor_levels, self.axes, self.drop)
        self.play(FadeOut(big), FadeOut(self.labels), FadeIn(patch), run_time=1.0)
        top = v.to_scene([p.x0[0], p.x0[1], p.z0])
        zoom = self.zoom0 * 2.4 / (n.zhalf * v.s)
        self.move_camera(zoom=zoom, added_anims=self.camera.look_at(top), run_time=3,
                         rate_func=smooth)
        self.remove(*self.camera.look)
        self.panel(rows + gap_rows, [0.0, 0.4, 0.2, 0.35, 0.2, 0.5, 0.2])
        self.wait(2)
        self.zoomed = (patch, big)

    def show_gradient(self):
        n, v, p = self.n, self.view, self.n.plane
        self.beat("gradient", say=say_gradient(p, n.gscale), caption=(
            f"grad f(x0) = {plain_vec(p.grad)} is 0: x0 is a critical point, the tangent plane "
            f"is level." if p.critical else
            f"On the floor, grad f(x0) = {plain_vec(p.grad)} (blue) is perpendicular to the "
            f"level curve f = {fmt_num(p.z0)} through x0 (the square marks the right angle)."))
        patch, big = self.zoomed
        self.play(FadeOut(patch), run_time=0.6)
        self.camera.zoom_tracker.set_value(self.zoom0)  # back out, in a cut
        for t in self.camera.look:
            t.set_value(0.0)
        self.play(FadeIn(VGroup(*[m for m in big if m is not self.plane_mob])),
                  FadeIn(self.labels), run_time=1.0)
        base = [self.f_mob, *self.plane_rows[:2]]
        if p.critical:
            note = style.math(r"\nabla f(x_0) = 0:\ \text{a critical point}", style.WARN)
            self.panel(base + [note], [0.0, 0.4, 0.2, 0.45])
            self.extra, self.grad_mob, self.square = VGroup(), None, None
            self.wait(2)
            return
        u = p.grad
        tvec = np.array([-u[1], u[0]])
        size = 0.06 * max(v.xlim[1] - v.xlim[0], v.ylim[1] - v.ylim[0])
        level = [] if n.through is None else [v.polyline(v.floor(n.through), style.HIGHLIGHT, 3.5)]
        self.grad_mob = v.get_gradient(self.screen, p.x0, p.grad, n.gscale)
        self.square = v.get_right_angle(self.screen, p.x0, u, tvec, size)
        foot = v.get_dot(self.screen, lambda: v.floor(p.x0), style.POINT, 0.06)
        rows = [style.math(rf"\text{{level curve }} f = {tex_num(p.z0)}", style.HIGHLIGHT),
                ColoredTex((r"\nabla f(x_0)", style.BACKWARD), (r"\perp", style.INK),
                           (r"\text{level curve}", style.HIGHLIGHT))]
        if n.gscale != 1:
            rows.append(style.math(rf"\text{{arrow drawn at }} {tex_num(n.gscale)}\times",
                                   style.MUTED, style.TINY))
        self.play(*[Create(m) for m in level], FadeIn(foot), run_time=1.0)
        self.play(FadeIn(self.grad_mob), FadeIn(self.square), run_time=1.0)
        self.panel(base + rows, [0.0, 0.4, 0.2, 0.45] + [0.2] * (len(rows) - 1))
        self.extra = VGroup(*level, foot, self.grad_mob, self.square)
        self.wait(2.5)

    def ride_curve(self):
        n, v = self.n, self.view
        a, (t0, t1) = n.along, n.t_range
        t = n.curve.parameter
        zlo, zhi = float(a.z.min()), float(a.z.max())
        flat = zhi - zlo <= 1e-9 * max(1.0, abs(zhi))
        rate = float(np.max(np.abs(a.dzdt)))
        self.beat("curve", say=say_curve(t, t0, t1, a, flat), caption=(
            f"The curve r({t}) = {plain_expr(n.curve.map.outputs)} lifted onto the surface: "
            + (f"z({t}) stays {fmt_num(zhi)}, so dz/d{t} = grad f . r'({t}) = 0: the curve follows "
               f"the level curve f = {fmt_num(zhi)}." if flat else
               f"z({t}) runs from {fmt_num(zlo)} to {fmt_num(zhi)} and dz/d{t} = grad f . r'({t})"
               f" reaches {fmt_num(rate)} in size.")))
        for m in (self.grad_mob, self.square):
            if m is not None:  # they fade out where they are
                m.clear_updaters()
        self.play(*[FadeOut(m) for m in (self.extra, self.point_dot, self.drop)
                    if m.family_members_with_points()], run_time=0.6)
        tr = ValueTracker(t0)
        st = functools.lru_cache(maxsize=4096)(
            lambda tt: lift_curve(n.f, n.curve, np.array([tt])).at(0))

        def now():
            return st(float(tr.get_value()))
        floor_curve, lifted = v.get_floor_curve(a), v.get_curve(a)
        dot = v.get_dot(self.screen, lambda: v.to_scene([*now().point, now().z]))
        shadow = v.get_dot(self.screen, lambda: v.floor(now().point), style.INK, 0.05)
        P, B, F, H = style.POINT, style.BACKWARD, style.FORWARD, style.HIGHLIGHT
        head = style.math(f"r({tex_expr(n.curve.map.inputs[0])}) = "
                          + tex_tuple(n.curve.map.outputs))
        tt = tex_expr(n.curve.map.inputs[0])
        rows = [head,
                LiveReadout([f"{tt} = ", (lambda: tr.get_value(), P)]),
                LiveReadout([f"z({tt}) = f(r({tt})) = ", (lambda: now().z, P)]),
                LiveReadout([(r"\nabla f", B), r"\cdot", (f"r'({tt})", F),
                             rf"= \frac{{dz}}{{d{tt}}} = ", (lambda: now().dzdt, H)])]
        self.play(Create(floor_curve), run_time=1.0)
        self.play(Create(lifted), FadeIn(dot), FadeIn(shadow), run_time=1.2)
        self.panel([self.f_mob, *rows], [0.0, 0.4, 0.35, 0.2, 0.25])
        self.play(tr.animate.set_value(t1), run_time=5, rate_func=linear)
        self.remove(tr)
        self.wait(1)
        self.ride = VGroup(dot, shadow)

    def top_view(self):
        self.beat("top-view", "From straight above, the surface becomes the level-sets picture: "
                              "the level curves f = c on the plane.", say=say_top())
        gone = [m for m in (getattr(self, "ride", None),) if m is not None]
        gone += list(self.labels[2:])  # from above the z axis is a point: no z labels
        self.panel([self.f_mob, self.lv_mob], [0.0, 0.3], None, FadeIn(self.lifted),
                   *[FadeOut(m) for m in gone])
        self.move_camera(phi=0.0, theta=-90 * DEGREES, focal_distance=400, run_time=4,
                         rate_func=smooth)
        self.wait(1.5)


# -- the plane's equation, written from the core's coefficients --------------------------------
def _plane(coefs, names, num, sep) -> str:
    """a x + b y + c with the inputs' names, zero terms left out, 1 x written x."""
    out = []
    for k, name in zip(coefs, names):
        text = num(k)
        if text in ("0", "-0"):
            continue
        if name and text in ("1", "-1"):
            text = text[:-1]
        out.append(text + (sep + name if name and text not in ("", "-") else name))
    if not out:
        return "0"
    return " + ".join(out).replace("+ -", "- ")


def plane_text(a, b, c, names=("x", "y")) -> str:
    return _plane((a, b, c), (*names, ""), fmt_num, " ")


def plane_tex(a, b, c, names=("x", "y")) -> str:
    return _plane((a, b, c), (*names, ""), tex_num, "")


# -- narration: each beat in words, numbers from the core -------------------------------------
def say_surface(n) -> str:
    return (f"Here is the graph of f in three dimensions: above each point of the floor, the "
            f"surface stands at height z equals f of x and y. Over this square the height runs "
            f"from {say_num(n.view.zlim[0])} to {say_num(n.view.zlim[1])}.")


def say_levels(drawn) -> str:
    if not drawn:
        return ("None of the chosen levels is reached over this square. The surface stays "
                "above or below every one of them.")
    return (f"Cut the surface at the heights {join_words(say_num(c, 3) for c in drawn)}. Each "
            f"cut is a level curve: drawn on the floor, and lifted to its height on the surface.")


def say_plane(p) -> str:
    return (f"At the point {say_vec(p.x0)}, the surface has height {say_num(p.z0)}, and the "
            f"gradient of f is {say_vec(p.grad)}. The tangent plane is z naught plus the gradient "
            f"dotted with x minus x naught.")


def say_zoom(n) -> str:
    return (f"Zoom in on the point. Over a square of half-width {say_num(n.half)}, the surface "
            f"and the plane differ by up to {say_num(n.gap)}. {say_num(ZOOM)} times closer, by "
            f"at most {say_num(n.zgap, 2)}: the surface looks flat. That is local linearity.")


def say_gradient(p, scale) -> str:
    if p.critical:
        return ("The gradient is zero here: the tangent plane is level, and this is a critical "
                "point of f. No level curve through it has a direction to be perpendicular to.")
    return (f"Back on the floor, draw the gradient, {say_vec(p.grad)}, at the point. It points "
            f"straight across the level curve through the point: the two are perpendicular, as "
            f"the square shows.")


def say_curve(t, t0, t1, a, flat) -> str:
    if flat:
        return (f"Now lift the curve r of {t} onto the surface. Its height stays "
                f"{say_num(float(a.z[0]))}: the curve follows a level curve, so d z by d {t}, the "
                f"gradient dotted with the velocity, is zero all along.")
    return (f"Now lift the curve r of {t} onto the surface, for {t} from {say_num(t0)} to "
            f"{say_num(t1)}. Its height runs from {say_num(float(a.z.min()))} to "
            f"{say_num(float(a.z.max()))}, changing at the rate d z by d {t}, the gradient dotted "
            f"with the velocity.")


def say_top() -> str:
    return ("Finally, look from straight above. The surface flattens into the level curves on "
            "the plane: the picture of the level-sets scene.")

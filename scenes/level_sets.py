"""§3: the chain rule along a curve, z(t) = f(r(t)), dz/dt = grad f(r(t)) . r'(t).

Beats: level sets of a scalar f(x, y); a dot moving along a curve r(t) (t, r(t), z live);
the gradient (blue) and the velocity r'(t) (orange) at the dot, a right angle marked where
they are perpendicular; their dot product dz/dt, live (0 all along a level set); a second
curve crossing level sets, stopped where |dz/dt| is largest; the summary.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, Create, FadeIn, FadeOut, ValueTracker, VGroup, Write, always_redraw,
                   smooth)

from jacviz import AlongCurve, Chain, Curve, JacvizError, Map, NumericError, chain_along_curve, self_check
from jacviz.core.fmt import fmt_num, plain_expr, plain_vec, tex_expr, tex_num, tex_tuple
from jacviz.core.grids import bounds, level_lines, nonfinite_along, pad_box, steepest_time
from jacviz.core.spoken import join_words, say_name, say_num, say_vec
from jacviz.kit import ColoredTex, JacvizScene, LiveReadout, SceneParams, param, style
from jacviz.kit.readout import stack
from jacviz.kit.view import PlaneView, scale_note

PLOT_CENTER, PLOT_W, PLOT_H = np.array([-2.6, -0.2, 0.0]), 7.3, 6.0  # the contour plot
ARROW_LEAST = 0.4  # screen units (24 px at 854x480): an arrow a viewer reads (layout check: 20)
PANEL_LEFT = 1.55  # the readout panel, up to the right margin
SAMPLES = 721


def _plain(mp) -> str:
    return plain_expr(mp.outputs[0] if mp.m == 1 else mp.outputs)


@dataclass(frozen=True, eq=False)
class LevelSetsNumbers:
    """What the level-sets scene draws: the curves, the contours and the view."""

    f: Map
    curves: list
    along: list
    ranges: list
    levels: list
    view: PlaneView
    gscale: tuple  # each curve's scale for its gradients, and for its velocities
    tscale: tuple
    contours: list
    drawn: list
    t_key: tuple[float, float]
    stops: tuple[float, float]  # where the first curve's dot stops, where the second's starts
    ends: list  # each curve at the times its beats end (and its second curve's start)


@dataclass(frozen=True)
class LevelSetsParams(SceneParams):
    f: str = param("(x, y) -> x^2 + y^2", "the scalar function f(x, y) whose level sets are "
                   "drawn", kind="map")
    curve: str = param("t -> (cos(t), sin(t))", "the first curve r(t) (one input, two outputs)",
                       kind="map")
    t_range: tuple = param((0.0, 2 * math.pi), "t0,t1: the range of t for the first curve")
    curve2: str = param("t -> (t, 0.5)", "a second curve, one that crosses level sets", kind="map")
    t2_range: tuple = param((-1.5, 1.5), "t0,t1: the range of t for the second curve")
    levels: tuple = param((0.25, 1.0, 2.25, 4.0), "the contour levels c drawn as f = c")

    def build(self):
        f = self.map_of("f", self.f, max_dim=None)
        if (f.n, f.m) != (2, 1):
            raise JacvizError(
                f"parameter f: map is R^{f.n} -> R^{f.m}; this scene needs a scalar function "
                f"of two inputs, R^2 -> R^1, e.g. (x, y) -> x^2 + y^2")
        curves, along, ranges = [], [], []
        for name, rng_name in (("curve", "t_range"), ("curve2", "t2_range")):
            c = self.map_of(name, getattr(self, name), max_dim=None, map_name="r")
            if (c.n, c.m) != (1, 2):
                raise JacvizError(
                    f"parameter {name}: map is R^{c.n} -> R^{c.m}; a curve in the plane has one "
                    f"input and two outputs, R^1 -> R^2, e.g. t -> (cos(t), sin(t))")
            rng = getattr(self, rng_name)
            self.need_length(rng_name, rng, 2, "the first and last t")
            t0, t1 = rng
            if not 0 < t1 - t0 <= 1000:
                raise JacvizError(f"parameter {rng_name}: " + (
                    f"t1 = {fmt_num(t1)} must be larger than t0 = {fmt_num(t0)}, e.g. 0,6.28"
                    if t1 <= t0 else f"the range is {fmt_num(t1 - t0)} long; this scene draws "
                    f"ranges up to 1000"))
            a = chain_along_curve(f, Curve(c), np.linspace(t0, t1, SAMPLES))
            bad = nonfinite_along(a)
            if bad:
                raise NumericError(f"parameter {name}: {bad[0]} is not finite at t = "
                                   f"{fmt_num(bad[1])}; choose another curve or {rng_name}")
            span = float(np.ptp(a.point, axis=0).max())
            if span > 1e4:
                raise JacvizError(f"parameter {name}: the curve spans {fmt_num(span)} units; "
                                  f"this scene draws curves up to 10000 wide")
            self.need_drawable(f"parameter {name}: the curve", a.point)
            self.need_drawable(f"parameter {name}: the gradient of f along it", a.gradient)
            self.need_drawable(f"parameter {name}: its velocity r'(t)", a.tangent)
            for t in (t0, 0.5 * (t0 + t1)):  # derivatives agree with finite differences
                self_check(Chain([c, f]), [t])
            curves.append(Curve(c)), along.append(a), ranges.append((float(t0), float(t1)))
        if not 1 <= len(self.levels) <= 8:
            raise JacvizError(f"parameter levels has {len(self.levels)} numbers; this scene draws "
                              f"1 to 8 contour levels, e.g. 0.25,1,2.25,4")
        if len(set(self.levels)) != len(self.levels):
            raise JacvizError("parameter levels: the contour levels must be different numbers")
        # the view: both curves with a margin, the arrows' tips, equal units; each curve its
        # own scales, raised so that the arrows where a beat ends are long enough to read
        (t0, t1), (s0, _) = ranges
        times = [t0 + 0.375 * (t1 - t0), t1, s0, steepest_time(along[1].t, along[1].dzdt)]
        ends = [chain_along_curve(f, c, np.array(ts)) for c, ts in
                zip(curves, (times[:2], times[2:]))]
        pts = np.concatenate([a.point for a in along])
        view, scales = PlaneView.with_arrows(
            *pad_box(*bounds(pts)),
            [(a.point, getattr(a, k)) for a in along for k in ("gradient", "tangent")],
            keys=[getattr(e, k) for e in ends for k in ("gradient", "tangent")],
            share=["gradient", "tangent"] * 2,
            center=PLOT_CENTER, width=PLOT_W, height=PLOT_H, pad=0.0)
        # where the arrows are still too short at these scales (one curve's speed varies
        # a hundredfold), the beats stop at the nearest sample where both read
        for i, (c, (lo_t, hi_t), how) in enumerate(zip(
                (0, 0, 1, 1), (ranges[0], (times[0], t1), (s0, times[3]), ranges[1]),
                ("near", "last", "first", "near"))):
            times[i] = readable_time(along[c], ends[c].at(i % 2), scales[2 * c:2 * c + 2],
                                     view.scale, times[i], lo_t, hi_t, how)
        ends = [chain_along_curve(f, c, np.array(ts)) for c, ts in
                zip(curves, (times[:2], times[2:]))]
        levels = sorted(float(c) for c in self.levels)
        contours = level_lines(f, levels, view.xlim, view.ylim)
        return LevelSetsNumbers(
            f=f, curves=curves, along=along, ranges=ranges, levels=levels, view=view,
            gscale=tuple(scales[0::2]), tscale=tuple(scales[1::2]), contours=contours,
            drawn=[c for c, lines in zip(levels, contours) if lines],
            t_key=(times[0], times[3]), stops=(times[1], times[2]), ends=ends)


def readable_time(a, at, scales, unit: float, t: float, lo: float, hi: float, how: str) -> float:
    """t, when both arrows at r(t) (``at``: the curve's numbers at t; gradient and velocity
    drawn at ``scales``, ``unit`` screen units per data unit) are 0.9 ARROW_LEAST long or
    exactly 0; else the sample time in [lo, hi] where they are: the nearest to t, the first
    or the last (``how``); t when none is."""
    def readable(grad, tan):
        size = np.stack([np.linalg.norm(grad, axis=-1) * scales[0],
                         np.linalg.norm(tan, axis=-1) * scales[1]]) * unit
        return np.all((size >= 0.9 * ARROW_LEAST) | (size == 0), axis=0)

    if readable(at.gradient, at.tangent):
        return t
    ok = readable(a.gradient, a.tangent) & (a.t >= lo) & (a.t <= hi)
    if not ok.any():
        return t
    idx = np.flatnonzero(ok)
    pick = {"first": idx[0], "last": idx[-1], "near": idx[np.argmin(np.abs(a.t[idx] - t))]}[how]
    return float(a.t[pick])


class LevelSets(JacvizScene):
    Params = LevelSetsParams
    EXAMPLE = {"f": "(x, y) -> x^2 + 4*y^2", "curve": "t -> (2*cos(t), sin(t))",
               "curve2": "t -> (t, t/2)", "t2_range": "-1.6,1.6", "levels": "1,4,9"}

    def construct(self):
        self.view = self.n.view
        self.pw = style.frame_width() / 2 - style.MARGIN - PANEL_LEFT  # the panel's width
        self.st = functools.lru_cache(maxsize=4096)(self.state)
        self.show_level_sets()
        self.move_along_curve()
        self.show_arrows()
        self.show_dot_product()
        self.cross_level_sets()
        self.summary()

    def state(self, idx: int, t: float) -> AlongCurve:
        """Everything at r(t) on curve idx, from the core."""
        a = chain_along_curve(self.n.f, self.n.curves[idx], np.array([float(t)]))
        return a.at(0)

    def key_arrows(self) -> list:
        """Points along the arrows where the beats end, and round their heads, in data
        units (the contour labels keep off them)."""
        u = np.linspace(0.0, 1.0, 9)[:, None, None]
        r = 0.2 / self.view.scale  # an arrowhead's reach, as data
        ring = np.array([[a, b] for a in (-r, 0, r) for b in (-r, 0, r)])
        out = []
        for e, gs, ts in zip(self.n.ends, self.n.gscale, self.n.tscale):
            for k, s in (("gradient", gs), ("tangent", ts)):
                tip = e.point + s * getattr(e, k)
                out += [(e.point + u * s * getattr(e, k)).reshape(-1, 2),
                        (tip[:, None, :] + ring[None]).reshape(-1, 2)]
        return out

    def scales_of(self, idx: int):
        """The note of curve idx's arrow scales (empty when both are 1)."""
        return scale_note([(r"\nabla f", self.n.gscale[idx]), ("r'", self.n.tscale[idx])],
                          self.pw)

    def tname(self, idx: int) -> str:
        return tex_expr(self.n.curves[idx].map.inputs[0])

    def curve_tex(self, idx: int) -> str:
        return f"r({self.tname(idx)}) = " + tex_tuple(self.n.curves[idx].map.outputs)

    # -- beats ---------------------------------------------------------------------------
    def show_level_sets(self):
        n, v = self.n, self.view
        lv = ", ".join(fmt_num(c) for c in n.drawn)
        self.beat("level-sets", f"Level sets of f({', '.join(n.f.input_names)}) = {_plain(n.f)}: "
                                f"the contour lines f = c for c = {lv}.", say=say_level_sets(n))
        self.title_mob = style.title(
            r"Chain rule along a curve: $\dfrac{dz}{dt} = \nabla f\big(r(t)\big)\cdot r'(t)$")
        ticks, names = v.ticks([tex_expr(s) for s in n.f.inputs])
        self.contours = VGroup(*[VGroup(*[v.polyline(p, style.MUTED, style.CURVE_STROKE)
                                          for p in polys])
                                 for polys in n.contours if polys])
        labels = v.label_lines(
            [style.math(tex_num(c), font_size=style.TINY) for c in n.levels], n.contours,
            [[n.f.jacobian(p)[:, 0, :] for p in polys] for polys in n.contours],
            avoid=[a.point[::4] for a in n.along], keep_off=self.key_arrows())
        self.f_mob = style.fit(style.math(f"f({', '.join(tex_expr(s) for s in n.f.inputs)}) = "
                                          + tex_tuple(n.f.outputs), font_size=style.BODY),
                               self.pw, 1.0)
        self.lv_mob = style.fit(style.math(r"\text{contours } f = c,\ c = " + r",\ ".join(
            tex_num(c) for c in n.drawn), style.MUTED), self.pw, 1.0)
        stack([self.f_mob, self.lv_mob], [0.0, 0.3], PANEL_LEFT, v.top, v.bottom)
        self.play(Write(self.title_mob), Create(v.frame()), FadeIn(v.axes(), ticks, names),
                  run_time=1.2)
        self.play(Create(self.contours), FadeIn(self.f_mob), run_time=1.5)
        self.play(FadeIn(labels), FadeIn(self.lv_mob), run_time=0.8)
        self.wait(1)

    def show_curve(self, idx, tracker):
        """Draw curve idx with its header; place (not show) what follows the tracker: the
        arrows, the right-angle mark, the dot, and the panel's live lines."""
        v, n, t, (t0, t1) = self.view, self.n, self.tname(idx), self.n.ranges[idx]
        B, F, P, H = style.BACKWARD, style.FORWARD, style.POINT, style.HIGHLIGHT

        def st():
            return self.st(idx, tracker.get_value())

        def pair(head, get, c, ink):  # "head(a, b)": the numbers in c, the rest in ink
            return LiveReadout([(head, ink), (lambda: get()[0], c), (r",\;", ink),
                                (lambda: get()[1], c), (")", ink)])
        gs, ts = n.gscale[idx], n.tscale[idx]
        live = (always_redraw(lambda: v.arrow(st().point, st().gradient, "backward", gs,
                                              zero_ok=True)),
                always_redraw(lambda: v.arrow(st().point, st().tangent, "forward", ts,
                                              zero_ok=True)),
                always_redraw(lambda: v.right_angle(st().point, st().gradient, st().tangent)),
                always_redraw(lambda: v.dot(st().point, radius=0.09)))
        head = style.fit(VGroup(style.math(self.curve_tex(idx)), style.math(
            rf"{tex_num(t0)} \le {t} \le {tex_num(t1)}", style.MUTED, style.TINY)).arrange(
            DOWN, aligned_edge=LEFT, buff=0.12), self.pw, 1.3)
        pos = VGroup(LiveReadout([f"{t} = ", (lambda: tracker.get_value(), P)]),
                     pair(f"r({t}) = (", lambda: st().point, P, style.INK),
                     LiveReadout([f"z = f(r({t})) = ", (lambda: st().z, P)]))
        vec = VGroup(pair(r"\nabla f = (", lambda: st().gradient, B, B),
                     pair(f"r'({t}) = (", lambda: st().tangent, F, F))
        def gv(k):  # the k-th terms of the dot product: (grad f)_k in blue, r'_k in orange
            return [(lambda: st().gradient[k], B), ")(", (lambda: st().tangent[k], F), ")"]
        dot = VGroup(LiveReadout([(r"\nabla f", B), r"\cdot", (f"r'({t})", F), "=", "(", *gv(0)]),
                     LiveReadout(["+(", *gv(1)]),
                     LiveReadout([r"= \frac{dz}{d" + t + "} = ", (lambda: st().dzdt, H)],
                                 font_size=style.BODY))
        stack([head, *pos, *vec, *dot], [0.0, 0.4, 0.18, 0.18, 0.4, 0.18, 0.4, 0.14, 0.14],
              PANEL_LEFT, v.top, v.bottom + (self.note.height + 0.3 if len(self.note) else 0))
        for row in dot[1:]:  # lined up under the "=" of the first line
            row.align_to(dot[0][3], LEFT)
        if len(self.note):
            stack([self.note], [0.0], PANEL_LEFT, v.bottom + self.note.height, v.bottom)
        curve = v.polyline(n.along[idx].point, style.INK, 3.5)
        self.play(Create(curve), FadeIn(head), run_time=1.5)
        return curve, live, (head, pos, vec, dot)

    def move_along_curve(self):
        (t0, t1), a, t = self.n.ranges[0], self.n.along[0], self.n.curves[0].parameter
        zlo, zhi = float(a.z.min()), float(a.z.max())
        self.on_level = zhi - zlo <= 1e-9 * max(1.0, abs(zhi))
        zs = (f"z = f(r({t})) stays {fmt_num(zhi)}: the curve lies on the level set "
              f"f = {fmt_num(zhi)}." if self.on_level else
              f"z = f(r({t})) goes from {fmt_num(a.z[0])} to {fmt_num(a.z[-1])} "
              f"(between {fmt_num(zlo)} and {fmt_num(zhi)}).")
        self.beat("curve", f"A dot moves along the curve r({t}) = {_plain(self.n.curves[0].map)} "
                           f"for {t} from {fmt_num(t0)} to {fmt_num(t1)}; {zs}",
                           say=say_curve(self, t, t0, t1, zhi))
        self.tr = ValueTracker(t0)
        self.note = self.scales_of(0)
        self.play(FadeOut(self.lv_mob), FadeOut(self.f_mob), run_time=0.5)
        self.curve_mob, self.live1, self.panel1 = self.show_curve(0, self.tr)
        self.add(self.live1[-1])
        self.play(*LiveReadout.fade_in(self.panel1[1]), run_time=0.6)
        self.play(self.tr.animate.set_value(self.n.t_key[0]), run_time=3, rate_func=smooth)
        self.remove(self.tr)  # a tracker is a point at (t, 0): not part of the picture
        self.wait(1)

    def show_arrows(self):
        tk, t = self.n.t_key[0], self.n.curves[0].parameter
        st = self.st(0, tk)
        perp = len(self.view.right_angle(st.point, st.gradient, st.tangent).points) > 0
        extra = " They are perpendicular (the square marks the right angle)." if perp else ""
        self.beat("arrows",
                  f"At {t} = {fmt_num(tk)} the dot is at {plain_vec(st.point)}; the gradient "
                  f"of f there is {plain_vec(st.gradient)} (blue) and the velocity r'({t}) is "
                  f"{plain_vec(st.tangent)} (orange).{extra}", say=say_arrows(t, tk, st, perp))
        self.remove(self.live1[-1])
        self.add(*self.live1)  # the dot on top
        self.play(*LiveReadout.fade_in(self.panel1[2], self.note), run_time=0.8)
        self.wait(1.5)

    def show_dot_product(self):
        t1, a, t = self.n.stops[0], self.n.along[0], self.n.curves[0].parameter
        self.play(*LiveReadout.fade_in(self.panel1[3]), run_time=0.8)
        lo, hi = float(a.dzdt.min()), float(a.dzdt.max())
        if self.on_level or max(abs(lo), abs(hi)) < 1e-9:
            text = (f"Along the whole curve grad f . r'({t}) = dz/d{t} = 0: the gradient "
                    f"stays perpendicular to the tangent of the level set, so z does not change.")
        else:
            text = (f"grad f . r'({t}) = dz/d{t} goes from {fmt_num(lo)} to {fmt_num(hi)} along "
                    f"the curve; at {t} = {fmt_num(t1)} it is {fmt_num(self.st(0, t1).dzdt)}.")
        self.beat("dot-product", text, say=say_dot(self, t, lo, hi))
        self.play(self.tr.animate.set_value(t1), run_time=5, rate_func=smooth)
        self.remove(self.tr)
        self.wait(1)

    def cross_level_sets(self):
        t0, tk, t = self.n.stops[1], self.n.t_key[1], self.n.curves[1].parameter
        st = self.st(1, tk)
        g, v = st.gradient, st.tangent
        self.beat("second-curve",
                  f"A second curve r({t}) = {_plain(self.n.curves[1].map)} crosses the "
                  f"level sets: at {t} = {fmt_num(tk)}, grad f = {plain_vec(g)} and "
                  f"r'({t}) = {plain_vec(v)}, so dz/d{t} = "
                  f"({fmt_num(g[0])})({fmt_num(v[0])}) + ({fmt_num(g[1])})({fmt_num(v[1])}) = "
                  f"{fmt_num(st.dzdt)}.", say=say_second(t, tk, st))
        for m in self.live1:  # they fade out where they are
            m.clear_updaters()
        note = self.scales_of(1)
        if (self.n.gscale[1], self.n.tscale[1]) == (self.n.gscale[0], self.n.tscale[0]):
            note = self.note
        self.play(FadeOut(VGroup(*self.live1, *self.panel1,
                                 *([self.note] if note is not self.note else []))),
                  self.curve_mob.animate.set_stroke(opacity=0.35), run_time=0.8)
        fresh, self.note = note is not self.note, note
        tr = ValueTracker(t0)
        _, live, self.panel2 = self.show_curve(1, tr)
        self.add(*live)
        self.play(*LiveReadout.fade_in(*self.panel2[1:], *([note] if fresh else [])),
                  run_time=0.8)
        self.play(tr.animate.set_value(tk), run_time=5, rate_func=smooth)
        self.remove(tr)
        self.wait(1.5)

    def summary(self):
        a1, a2 = self.n.along
        m1 = float(np.max(np.abs(a1.dzdt)))
        lo, hi = float(a2.dzdt.min()), float(a2.dzdt.max())
        t1n, t2n = self.n.curves[0].parameter, self.n.curves[1].parameter
        first = (f"on the first curve dz/d{t1n} = 0 everywhere" if fmt_num(m1) == "0" else
                 f"on the first curve |dz/d{t1n}| is at most {fmt_num(m1)}")
        self.beat("summary",
                  f"dz/dt = grad f . r'(t): {first}; on the second dz/d{t2n} runs from "
                  f"{fmt_num(lo)} to {fmt_num(hi)}. Along a level set the gradient is "
                  f"perpendicular to the velocity, so dz/dt = 0.", say=say_summary(m1, lo, hi))
        I, H, M, B, F = style.INK, style.HIGHLIGHT, style.MUTED, style.BACKWARD, style.FORWARD
        t1, t2 = self.tname(0), self.tname(1)
        lines = VGroup(
            ColoredTex((r"\frac{dz}{dt} = ", I), (r"\nabla f", B), (r"\cdot", I), ("r'(t)", F),
                       font_size=style.BODY),
            VGroup(style.math(self.curve_tex(0)), ColoredTex(
                (rf"\max\left|dz/d{t1}\right| = ", I), ("{%s}" % tex_num(m1), H))),
            VGroup(style.math(self.curve_tex(1)), ColoredTex(
                (rf"dz/d{t2}\ \text{{from }}", I), ("{%s}" % tex_num(lo), H), (r"\text{ to }", I),
                ("{%s}" % tex_num(hi), H))),
            VGroup(ColoredTex((r"\text{on a level set: } ", M), (r"\nabla f", B), (r"\perp", M),
                              ("r'", F), (r",\ dz/dt = 0", M)),
                   style.math(r"\text{across level sets: } dz/dt \ne 0", M)))
        for group in lines[1:]:
            group.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        style.fit(lines, self.pw, 4.0)
        stack([lines], [0.0], PANEL_LEFT, self.view.top, self.view.bottom)
        self.play(FadeOut(VGroup(*self.panel2)), self.curve_mob.animate.set_stroke(opacity=1),
                  run_time=0.6)
        self.play(FadeIn(lines, shift=0.2 * DOWN), run_time=1.0)
        self.wait(1.5)


# -- narration: what each beat says, read from the core's numbers along the curves -----------
def say_level_sets(n) -> str:
    levels = join_words(say_num(c, 3) for c in n.drawn)
    return (f"Now the chain rule along a curve. The grey lines are level sets of f: on each, f "
            f"keeps one value, here {levels}. The gradient of f is always perpendicular to them.")


def say_curve(scene, t, t0, t1, zhi) -> str:
    t, zhi = say_name(t), round(zhi, 9)  # a level read as the level, not its rounding error
    if scene.on_level:
        z = (f"The value z, f of r of {t}, stays {say_num(zhi)}: the curve lies on the level "
             f"set f equals {say_num(zhi)}.")
    else:
        a = scene.n.along[0]
        z = f"The value z, f of r of {t}, goes from {say_num(a.z[0])} to {say_num(a.z[-1])}."
    return (f"A dot moves along the curve r of {t}, for {t} from {say_num(t0)} to "
            f"{say_num(t1)}. {z}")


def say_arrows(t, tk, st, perp) -> str:
    right = " The two are perpendicular: the square marks the right angle." if perp else ""
    return (f"At {say_name(t)} equals {say_num(tk)}, the dot is at {say_vec(st.point)}. In blue, "
            f"the gradient of f there: {say_vec(st.gradient)}. In orange, the velocity r prime: "
            f"{say_vec(st.tangent)}.{right}")


def say_dot(scene, t, lo, hi) -> str:
    t = say_name(t)
    if scene.on_level or max(abs(lo), abs(hi)) < 1e-9:
        return (f"Their dot product is d z by d {t}, and along this curve it is zero everywhere. "
                f"The gradient stays perpendicular to the tangent, so z does not change.")
    return (f"Their dot product is d z by d {t}. Along this curve it runs from {say_num(lo)} to "
            f"{say_num(hi)}.")


def say_second(t, tk, st) -> str:
    return (f"A second curve crosses the level sets. At {say_name(t)} equals {say_num(tk)}, the "
            f"gradient is {say_vec(st.gradient)} and the velocity {say_vec(st.tangent)}. Their "
            f"dot product, d z by d {say_name(t)}, is {say_num(st.dzdt)}: not zero, so z changes.")


def say_summary(m1, lo, hi) -> str:
    first = ("On the first curve the rate is zero everywhere" if say_num(m1) == "zero" else
             f"On the first curve the rate stays within {say_num(m1)} of zero")
    return (f"{first}; on the second it runs from {say_num(lo)} to {say_num(hi)}. The rate of "
            f"change along a curve is the gradient dotted with the velocity. Along a level set "
            f"it is zero.")

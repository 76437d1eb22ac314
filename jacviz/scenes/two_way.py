"""§6 The two-way animation: pushforward and pullback (backprop).

Three panels, x-space -> u-space -> y-space, joined by the maps g and f.  A
small arrow dx at x0 is pushed forward by the Jacobians (du = Dg dx, then
dy = Df du); the true, curved image of the arrow is drawn beside the linear
prediction; a gradient at the output is pulled back by the transposes
(grad_u = Df^T grad_y, then grad_x = Dg^T grad_u); and the two dot products
<grad_y, dy> and <grad_x, dx> agree.  Every number comes from
``jacviz.Chain.trace``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    Dot,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    MathTex,
    NumberLine,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
)

from jacviz import Chain, JacvizError, Map, self_check
from jacviz.fmt import plain_vec
from jacviz.studio.params import SceneParams, param
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

SPACE = ("x", "u", "y")  # the lesson's names of the three spaces
MAPS = ("g", "f")


@dataclass(frozen=True)
class TwoWayParams(SceneParams):
    g: str = param("(x1, x2) -> (x1 + 2*x2, x1 - x2)", "the inner map g: x -> u", kind="map")
    f: str = param("(u1, u2) -> u1*u2 + u1", "the outer map f: u -> y", kind="map")
    point: tuple = param((1.0, 1.0), "the point x0 (one number per input of g)", kind="vector")
    dx: tuple = param((0.1, 0.1), "the small arrow dx at x0 (one number per input of g)",
                      kind="vector")
    grad: tuple = param("", "the gradient grad_y at the output, one number per output of f "
                            "(default: all ones)", kind="vector")

    def maps(self) -> tuple[Map, Map]:
        G = self.map_of("g", self.g, max_dim=3)
        F = self.map_of("f", self.f, max_dim=3)
        return G, F

    def grad_vector(self, m: int) -> np.ndarray:
        if isinstance(self.grad, str):
            return np.ones(m)
        return np.asarray(self.grad, dtype=float)

    def validate(self):
        G, F = self.maps()
        if G.m != F.n:
            raise JacvizError(
                f"parameters g and f do not compose: g gives {G.m} output{'s' if G.m != 1 else ''} "
                f"(R^{G.n} -> R^{G.m}) but f takes {F.n} input{'s' if F.n != 1 else ''} "
                f"(R^{F.n} -> R^{F.m})")
        self.need_length("point", self.point, G.n, "one number per input of g")
        self.need_length("dx", self.dx, G.n, "one number per input of g")
        if isinstance(self.grad, str):
            if self.grad.strip():
                raise JacvizError("parameter grad must be numbers separated by commas, e.g. 1")
        else:
            self.need_length("grad", self.grad, F.m, "one number per output of f")
        if not all(math.isfinite(v) for v in (*self.point, *self.dx)):
            raise JacvizError("parameters point and dx must be finite numbers")
        self_check(Chain([G, F]), np.asarray(self.point, dtype=float))


# -- small helpers ---------------------------------------------------------------
def colored(*parts, font_size=style.SMALL):
    """MathTex from (tex, colour) pairs."""
    m = MathTex(*[p[0] for p in parts], font_size=font_size)
    for sub, (_, col) in zip(m, parts):
        sub.set_color(col)
    return m


def vec_mob(v, color, font_size=style.SMALL):
    """A column vector (or a plain number for a 1-vector)."""
    v = np.atleast_1d(np.asarray(v, dtype=float))
    if v.size == 1:
        return MathTex(style.num(v[0]), font_size=font_size, color=color)
    return style.column(v, color=color, font_size=font_size, v_buff=0.42 if v.size > 2 else 0.5)


def mat_mob(A, font_size=style.SMALL):
    A = np.atleast_2d(np.asarray(A, dtype=float))
    if A.size == 1:
        return MathTex(style.num(A[0, 0]), font_size=font_size, color=style.INK)
    return style.num_matrix(A, font_size=font_size, h_buff=0.85, v_buff=0.42 if A.shape[0] > 2 else 0.5)


def nice_floor(b: float) -> float:
    """The largest of 1, 2, 5 x 10^k not above b."""
    if not math.isfinite(b) or b <= 0:
        return 1.0
    k = math.floor(math.log10(b))
    for m in (8, 6, 5, 4, 3, 2.5, 2, 1.5, 1):
        if m * 10 ** k <= b * (1 + 1e-9):
            return float(m * 10 ** k)
    return float(10 ** k)


def dot_terms(a, b, fmt=style.num) -> str:
    """'0.4 - 0.1' from the products a_i b_i."""
    terms = [float(x * y) for x, y in zip(a, b)]
    out = fmt(terms[0])
    for t in terms[1:]:
        out += (" - " + fmt(-t)) if t < 0 else (" + " + fmt(t))
    return out


class SpacePanel:
    """One space drawn in a panel: axes, and the map from coordinates to the screen."""

    R = 1.0  # half-height (in the space's units) shown around the point

    def __init__(self, k: int, dim: int, point, center, width, height, names, cover=None):
        self.k, self.dim = k, dim
        self.p = np.asarray(point, dtype=float)[: min(dim, 2)]
        # points the axes' range must include besides p +- R (magnified curves)
        cov = np.zeros((0, len(self.p))) if cover is None else \
            np.atleast_2d(np.asarray(cover, dtype=float))[:, : len(self.p)]
        cov = cov[np.all(np.isfinite(cov), axis=1)]
        clo = cov.min(axis=0) if len(cov) else self.p
        chi = cov.max(axis=0) if len(cov) else self.p
        self.names = names
        self.box = style.panel(width, height)
        self.box.move_to(center)
        w, h = width - 0.6, height - 0.5
        if dim == 1:
            r1 = self.R * w / h
            a, b, st = style.nice_range(min(self.p[0] - r1, clo[0]), max(self.p[0] + r1, chi[0]),
                                        ticks=4)
            self.lo, self.hi = np.array([a]), np.array([b])
            self.unit = w / (b - a)
            self.axes = NumberLine(x_range=[a, b, st], length=w, color=style.MUTED,
                                   include_tip=False, stroke_width=2)
            self.axes.move_to(center + UP * 0.12)
            self.labels = self._tick_labels_1d(a, b)
        else:
            rxw = self.R * w / h
            rx = style.nice_range(min(self.p[0] - rxw, clo[0]), max(self.p[0] + rxw, chi[0]),
                                  ticks=4)
            ry = style.nice_range(min(self.p[1] - self.R, clo[1]), max(self.p[1] + self.R, chi[1]),
                                  ticks=4)
            step = max(rx[2], ry[2])
            ax, bx = math.floor(rx[0] / step) * step, math.ceil(rx[1] / step) * step
            ay, by = math.floor(ry[0] / step) * step, math.ceil(ry[1] / step) * step
            self.lo, self.hi = np.array([ax, ay]), np.array([bx, by])
            self.unit = min(w / (bx - ax), h / (by - ay))
            from manim import Axes

            self.axes = Axes(x_range=[ax, bx, step], y_range=[ay, by, step],
                             x_length=(bx - ax) * self.unit, y_length=(by - ay) * self.unit,
                             axis_config={"color": style.MUTED, "include_tip": False,
                                          "stroke_width": 2}, tips=False)
            self.axes.move_to(center + RIGHT * 0.15 + UP * 0.1)
            self.labels = self._tick_labels_2d(ax, bx, ay, by)

    def _tick_labels_1d(self, a, b):
        labs = VGroup()
        for v in (a, b):
            t = MathTex(style.num(v), font_size=style.TINY, color=style.MUTED)
            t.next_to(self.axes.n2p(v), DOWN, buff=0.5)
            labs.add(t)
        name = MathTex(self.names[0], font_size=style.TINY, color=style.MUTED)
        name.next_to(self.axes.n2p(b), DOWN, buff=0.5).shift(LEFT * 0.55)
        labs.add(name)
        return labs

    def _tick_labels_2d(self, ax, bx, ay, by):
        """Range labels along the bottom and left edges of the axes' box, and the axis names."""
        labs = VGroup()
        bl = self.axes.c2p(ax, ay)
        for v, al in ((ax, LEFT), (bx, RIGHT)):
            t = MathTex(style.num(v), font_size=style.TINY, color=style.MUTED)
            t.next_to(self.axes.c2p(v, ay), DOWN, buff=0.06)
            labs.add(t)
        for v in (ay, by):
            t = MathTex(style.num(v), font_size=style.TINY, color=style.MUTED)
            t.next_to(self.axes.c2p(ax, v), LEFT, buff=0.06)
            labs.add(t)
        # keep the two corner labels apart
        if labs[2].get_bottom()[1] < labs[0].get_top()[1] + 0.02 and \
                labs[2].get_right()[0] > labs[0].get_left()[0] - 0.05:
            labs[2].next_to(bl, LEFT, buff=0.06).align_to(bl + UP * 0.02, DOWN)
            labs[0].next_to(bl, DOWN, buff=0.06).align_to(bl + RIGHT * 0.02, LEFT)
        for i, (nm, v) in enumerate(zip(self.names[:2], ((ax + bx) / 2, (ay + by) / 2))):
            t = MathTex(nm, font_size=style.TINY, color=style.MUTED)
            if i == 0:
                t.next_to(self.axes.c2p(v, ay), DOWN, buff=0.06)
            else:
                t.next_to(self.axes.c2p(ax, v), LEFT, buff=0.06)
            labs.add(t)
        return labs

    def c2p(self, v):
        """Screen point of a space point (first two coordinates)."""
        v = np.atleast_1d(np.asarray(v, dtype=float))
        if self.dim == 1:
            return self.axes.n2p(v[0])
        return self.axes.c2p(v[0], v[1])

    def arrow_ends(self, vec, scale, lane: float = 0.0):
        """Screen start and end of an arrow at the point: vec drawn x scale."""
        vec = np.atleast_1d(np.asarray(vec, dtype=float))[: min(self.dim, 2)]
        start = self.c2p(self.p)
        end = self.c2p(self.p + scale * vec)
        off = UP * lane if self.dim == 1 else 0 * UP
        return start + off, end + off

    def max_scale(self, offsets) -> float:
        """The largest t with p + t * offset inside the axes' range, for every offset."""
        offs = np.atleast_2d(np.asarray(offsets, dtype=float))[:, : min(self.dim, 2)]
        best = np.inf
        for i in range(offs.shape[1]):
            d = offs[:, i]
            pos, neg = d > 1e-15, d < -1e-15
            if pos.any():
                best = min(best, (self.hi[i] - self.p[i]) / d[pos].max())
            if neg.any():
                best = min(best, (self.lo[i] - self.p[i]) / d[neg].min())
        return float(best)


def _sample_points(mobs) -> np.ndarray:
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


def place_label(label, start, end, obstacles, box, buff=0.12):
    """Put a label near an arrow's tip where it covers the fewest obstacle points."""
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
    cands.append(start - u * (buff + reach(u)) + perp * 0.0)
    pts = _sample_points(obstacles)
    bx0, by0 = box.get_left()[0] + 0.05, box.get_bottom()[1] + 0.05
    bx1, by1 = box.get_right()[0] - 0.05, box.get_top()[1] - 0.05
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


# -- the scene -----------------------------------------------------------------------
class TwoWay(JacvizScene):
    Params = TwoWayParams
    EXAMPLE = {"g": "(x1, x2) -> (x1*x2, x1 + x2^2)", "point": "0.5,1"}

    PANEL_W = 3.9
    PANEL_H = 2.35
    PANEL_Y = 1.42
    ROW_Y = (-0.72, -1.98, -3.18)  # forward, backward, duality rows
    ROW_H = 1.2
    FWD_LANE, BWD_LANE = 0.3, -0.3  # 1-D spaces: forward arrows above the line, gradients below

    def construct(self):
        self.setup_numbers()
        self.show_spaces()
        self.push_forward()
        self.true_image()
        self.pull_back()
        self.duality()

    # -- numbers (no manim) ---------------------------------------------------
    def setup_numbers(self):
        p = self.params
        G, F = p.maps()
        self.G, self.F = G, F
        self.chain = Chain([Map(p.g, name="g"), Map(p.f, name="f")])
        gbar = p.grad_vector(self.chain.m)
        self.tr = self.chain.trace(np.asarray(p.point, float), np.asarray(p.dx, float), gbar,
                                   samples=61)
        self.dims = self.chain.dims
        # is each map linear (Jacobian constant)?  Then its curved image is the arrow itself.
        self.linear_map = [not any(e.free_symbols for e in J) for J in self.tr.jacobians_symbolic]

    # -- beat 1 -------------------------------------------------------------------
    def show_spaces(self):
        tr, dims = self.tr, self.dims
        self.beat(
            "spaces",
            f"Three spaces: x in R^{dims[0]}, u = g(x) in R^{dims[1]}, y = f(u) in R^{dims[2]}. "
            f"At x0 = {plain_vec(tr.points[0])}: u0 = g(x0) = {plain_vec(tr.points[1])} "
            f"and y0 = f(u0) = {plain_vec(tr.points[2])}.")
        head = style.title(r"Two ways through $f\circ g$: push forward, pull back")
        head.scale(0.85).to_edge(LEFT, buff=style.MARGIN).set_y(style.TITLE_Y)
        self.head = head
        self.add(head)

        # first pass: axes around the points; choose the arrow scales; second pass: widen the
        # axes where the magnified true image of the arrow would leave them
        self.panels = self.make_panels()
        self.choose_scales()
        covers = [None]
        for k in (1, 2):
            pts = np.asarray(tr.images[k], dtype=float)
            covers.append(pts[0] + (pts - pts[0]) / 0.92 * self.M)
        self.panels = self.make_panels(covers)
        self.stuff: list[list] = [[], [], []]  # what a label in panel k must not cover
        panel_groups = []
        for k, sp in enumerate(self.panels):
            name = rf"{SPACE[k]}\text{{-space}}\ \ \mathbb{{R}}^{{{dims[k]}}}"
            if dims[k] == 3:
                nm = self.chain.space_names[k]
                name += rf"\ \ \text{{(drawn: }}{nm[0]},{nm[1]}\text{{)}}"
            lab = MathTex(name, font_size=style.SMALL, color=style.INK)
            style.fit(lab, self.PANEL_W, 0.45)
            lab.next_to(sp.box, UP, buff=0.1)
            val = MathTex(rf"{SPACE[k]}_0 = {style.tex_vec(tr.points[k])}", font_size=style.SMALL,
                          color=style.POINT)
            style.fit(val, self.PANEL_W, 0.4)
            val.next_to(sp.box, DOWN, buff=0.1)
            dot = style.point_dot(sp.c2p(sp.p))
            if dims[k] == 1:  # forward arrows run above the line, gradients below
                c = sp.c2p(sp.p)
                sp.labels.add(style.dashed(c + DOWN * 0.42, c + UP * 0.42))
            sp.dot, sp.val, sp.title = dot, val, lab
            panel_groups.append(VGroup(sp.box, lab, sp.axes, sp.labels))
            self.stuff[k] += [sp.axes, sp.labels, dot]
        # the maps as arrows between the panels
        self.map_arrows = VGroup()
        for k in range(2):
            a = self.panels[k].box.get_right() + RIGHT * 0.1
            b = self.panels[k + 1].box.get_left() + LEFT * 0.1
            arr = style.map_arrow(a, b, stroke_width=4, tip_ratio=0.35)
            lab = MathTex(MAPS[k], font_size=style.BODY, color=style.INK)
            lab.next_to(arr, UP, buff=0.1)
            self.map_arrows.add(VGroup(arr, lab))

        # the two maps and their symbolic Jacobians, where the equations will go
        self.def_rows = VGroup()
        for k, (mp, var) in enumerate(((self.G, "x"), (self.F, "u"))):
            out = mp.outputs
            rhs = style.tex(out[0]) if len(out) == 1 else (
                r"\left(" + r",\ ".join(style.tex(o) for o in out) + r"\right)")
            ins = ", ".join(style.tex(s) for s in mp.inputs)
            eq = MathTex(rf"{MAPS[k]}({ins}) = {rhs}", font_size=style.SMALL, color=style.INK)
            jac = style.sym_matrix(tr.jacobians_symbolic[k], font_size=style.SMALL, h_buff=1.1,
                                   v_buff=0.5) if tr.jacobians_symbolic[k].shape != (1, 1) else \
                MathTex(style.tex(tr.jacobians_symbolic[k][0, 0]), font_size=style.SMALL)
            row = VGroup(eq, MathTex(r",\qquad D" + MAPS[k] + " =", font_size=style.SMALL), jac)
            row.arrange(RIGHT, buff=0.15)
            self.place_row(row, k)
            self.def_rows.add(row)

        self.play(FadeIn(head), *[FadeIn(g) for g in panel_groups], run_time=1.2)
        self.play(*[FadeIn(sp.dot, scale=0.5) for sp in self.panels],
                  *[FadeIn(sp.val) for sp in self.panels], run_time=0.8)
        self.play(*[GrowArrow(m[0]) for m in self.map_arrows],
                  *[Write(m[1]) for m in self.map_arrows], run_time=0.8)
        self.play(FadeIn(self.def_rows), run_time=0.8)
        self.wait(1.5)

    # -- beat 2 -------------------------------------------------------------------
    def push_forward(self):
        tr = self.tr
        push = tr.pushforward
        self.build_curves()
        self.beat(
            "push-forward",
            f"Push dx = {plain_vec(push[0])} forward: du = Dg(x0) dx = {plain_vec(push[1])}, "
            f"then dy = Df(u0) du = {plain_vec(push[2])}. The arrows are drawn "
            f"{style.fmt_num(self.M)} times longer than they are.")
        note = MathTex(rf"dx,\ du,\ dy\ \text{{drawn}}\ \times{style.num(self.M)}",
                       font_size=style.TINY, color=style.FORWARD)
        self.notes = VGroup(note)
        self.place_notes()

        self.build_arrows()

        self.play(FadeOut(self.def_rows), FadeIn(note), run_time=0.6)
        self.play(GrowArrow(self.fwd_arrows[0]) if hasattr(self.fwd_arrows[0], "tip")
                  else FadeIn(self.fwd_arrows[0]), FadeIn(self.fwd_labels[0]), run_time=0.8)
        self.fwd_rows = VGroup()
        for k in range(2):
            J = tr.jacobians[k]
            row = VGroup(
                colored((f"d{SPACE[k + 1]}", style.FORWARD),
                        (rf" = D{MAPS[k]}({SPACE[k]}_0)\, ", style.INK),
                        (f"d{SPACE[k]}", style.FORWARD), ("=", style.INK)),
                mat_mob(J), vec_mob(push[k], style.FORWARD),
                MathTex("=", font_size=style.SMALL), vec_mob(push[k + 1], style.FORWARD))
            row.arrange(RIGHT, buff=0.15)
            self.place_row(row, 0, half=k)
            self.fwd_rows.add(row)
            self.play(Indicate(self.map_arrows[k], color=style.FORWARD), Write(row), run_time=1.0)
            self.play(TransformFromCopy(self.fwd_arrows[k], self.fwd_arrows[k + 1]),
                      FadeIn(self.fwd_labels[k + 1]), run_time=1.0)
        self.wait(1.5)

    # -- beat 3 -------------------------------------------------------------------
    def true_image(self):
        tr = self.tr
        gaps, sentence = [], []
        for k in (1, 2):
            gaps.append(float(np.linalg.norm(tr.images[k][-1] - tr.linear[k][-1])))
        scale = [max(1.0, float(np.linalg.norm(tr.linear[k][-1]))) for k in (1, 2)]
        same = [g <= 1e-9 * s for g, s in zip(gaps, scale)]
        what = ["g(x0 + s dx)", "f(g(x0 + s dx))"]
        whys = []
        for i, k in enumerate((1, 2)):
            why = "g is linear" if (k == 1 and self.linear_map[0]) else \
                ("both maps are linear" if all(self.linear_map) else "linear along this arrow")
            whys.append(why)
            if same[i]:
                sentence.append(f"in {SPACE[k]}-space the curve {what[i]} is the arrow itself "
                                f"({'the chain is ' if why.startswith('linear') else ''}{why})")
            else:
                sentence.append(f"in {SPACE[k]}-space the curve ends at "
                                f"{plain_vec(tr.images[k][-1])}, the arrow at "
                                f"{plain_vec(tr.linear[k][-1])}, {style.fmt_num(gaps[i])} apart")
        self.beat(
            "true-image",
            "The true image of the arrow, the curve traced as s goes from 0 to 1, beside the linear "
            "prediction: " + "; ".join(sentence) + ".")

        curves = self.curves

        rows = VGroup()
        for i, k in enumerate((1, 2)):
            arg = "x_0 + dx" if k == 1 else "x_0 + dx"
            val = f"{MAPS[0]}({arg})" if k == 1 else rf"f(g({arg}))"
            lin = f"{SPACE[k]}_0 + d{SPACE[k]}"
            rel = r"=" if same[i] else r"\ne"
            tail = rf"\ \ \text{{same ({whys[i]})}}" if same[i] else \
                rf"\ \ \text{{gap }} {style.num(gaps[i])}"
            row = colored((val + " = " + style.tex_vec(tr.images[k][-1]), style.HIGHLIGHT),
                          (rf"\ {rel}\ ", style.INK),
                          (lin + " = " + style.tex_vec(tr.linear[k][-1]), style.FORWARD),
                          (tail, style.MUTED), font_size=style.SMALL)
            rows.add(row)
        legend = colored((r"\text{curve: true image of the arrow, } s\mapsto g(x_0 + s\,dx),\ "
                          r"f(g(x_0 + s\,dx)),\ 0\le s\le 1",
                          style.HIGHLIGHT),
                         (r"\qquad \text{arrow: linear prediction}", style.FORWARD),
                         font_size=style.TINY)
        rows.arrange(RIGHT, buff=0.6)
        block = VGroup(legend, rows).arrange(DOWN, buff=0.18)
        style.fit(block, style.safe_width(), self.ROW_H + 0.1)
        block.move_to([0, self.ROW_Y[1], 0])
        self.image_block = block
        note = colored((r"dx,\ du,\ dy", style.FORWARD),
                       (r"\text{ and their true images}", style.HIGHLIGHT),
                       (r"\ \text{drawn}\ \times" + style.num(self.M), style.FORWARD),
                       font_size=style.TINY)
        old = self.notes[0]
        self.notes.remove(old)
        self.notes.add(note)
        self.place_notes()
        self.play(*[Create(c[0]) for c in curves], *[FadeIn(c[1]) for c in curves],
                  FadeOut(old), FadeIn(note), run_time=1.5)
        self.play(FadeIn(block), run_time=0.8)
        self.wait(2.0)

    # -- beat 4 -------------------------------------------------------------------
    def pull_back(self):
        tr = self.tr
        pull = tr.pullback
        self.beat(
            "pull-back",
            f"Pull the gradient grad_y = {plain_vec(pull[2])} back with the transposes, outer map "
            f"first: grad_u = Df(u0)^T grad_y = {plain_vec(pull[1])}, then grad_x = Dg(x0)^T "
            f"grad_u = {plain_vec(pull[0])}. Gradients are drawn {style.fmt_num(self.S)} times "
            f"their length.")
        gnote = MathTex(r"\text{gradients drawn }\times" + style.num(self.S),
                        font_size=style.TINY, color=style.BACKWARD)
        self.notes.add(gnote)
        self.place_notes()


        self.play(FadeOut(self.image_block), FadeIn(gnote),
                  *[c[0].animate.set_stroke(opacity=0.4) for c in self.curves],
                  *[c[1].animate.set_opacity(0.4) for c in self.curves], run_time=0.6)
        self.play(GrowArrow(self.bwd_arrows[2]) if hasattr(self.bwd_arrows[2], "tip")
                  else FadeIn(self.bwd_arrows[2]), FadeIn(self.bwd_labels[2]), run_time=0.8)
        self.bwd_rows = VGroup()
        for k in (1, 0):
            J = tr.jacobians[k]
            row = VGroup(
                colored((rf"\mathrm{{grad}}_{SPACE[k]}", style.BACKWARD),
                        (rf" = D{MAPS[k]}({SPACE[k]}_0)^{{T}}\, ", style.INK),
                        (rf"\mathrm{{grad}}_{SPACE[k + 1]}", style.BACKWARD), ("=", style.INK)),
                mat_mob(J.T), vec_mob(pull[k + 1], style.BACKWARD),
                MathTex("=", font_size=style.SMALL), vec_mob(pull[k], style.BACKWARD))
            row.arrange(RIGHT, buff=0.15)
            self.place_row(row, 1, half=k)
            self.bwd_rows.add(row)
            self.play(Indicate(self.map_arrows[k], color=style.BACKWARD), Write(row), run_time=1.0)
            self.play(TransformFromCopy(self.bwd_arrows[k + 1], self.bwd_arrows[k]),
                      FadeIn(self.bwd_labels[k]), run_time=1.0)
        self.wait(1.5)

    # -- beat 5 -------------------------------------------------------------------
    def duality(self):
        tr = self.tr
        dy, gy = tr.pushforward[2], tr.pullback[2]
        dx, gx = tr.pushforward[0], tr.pullback[0]
        fwd, bwd = tr.duality["forward"], tr.duality["backward"]

        def terms(a, b):
            return "" if len(a) == 1 else dot_terms(a, b, style.fmt_num) + " = "
        self.beat(
            "duality",
            f"The two ways agree: <grad_y, dy> = {terms(gy, dy)}{style.fmt_num(fwd)} and "
            f"<grad_x, dx> = {terms(gx, dx)}{style.fmt_num(bwd)}.")

        def side(g, d, a, b, val):
            parts = [(r"\langle ", style.INK), (rf"\mathrm{{grad}}_{a}", style.BACKWARD),
                     (r",\ ", style.INK), (f"d{b}", style.FORWARD), (r"\rangle = ", style.INK)]
            if len(g) > 1:
                parts.append((dot_terms(g, d) + " = ", style.INK))
            parts.append((style.num(val), style.HIGHLIGHT))
            return colored(*parts, font_size=style.BODY)

        left = side(gy, dy, "y", "y", fwd)
        right = side(gx, dx, "x", "x", bwd)
        ok = abs(fwd - bwd) <= 1e-9 * max(1.0, abs(fwd))
        mid = MathTex(r"=" if ok else r"\approx", font_size=style.TITLE, color=style.HIGHLIGHT)
        row = VGroup(left, mid, right).arrange(RIGHT, buff=0.5)
        style.fit(row, style.safe_width(), self.ROW_H)
        row.move_to([0, self.ROW_Y[2], 0])
        self.play(Indicate(self.fwd_arrows[2], color=style.FORWARD),
                  Indicate(self.bwd_arrows[2], color=style.BACKWARD), FadeIn(left), run_time=1.0)
        self.play(Indicate(self.fwd_arrows[0], color=style.FORWARD),
                  Indicate(self.bwd_arrows[0], color=style.BACKWARD), FadeIn(right), run_time=1.0)
        self.play(FadeIn(mid), Circumscribe(row, color=style.HIGHLIGHT), run_time=1.2)
        self.wait(2.0)

    # -- layout helpers -------------------------------------------------------------
    def make_panels(self, covers=(None, None, None)) -> list[SpacePanel]:
        step = self.PANEL_W + (style.safe_width() - 3 * self.PANEL_W) / 2
        return [SpacePanel(k, self.dims[k], self.tr.points[k],
                           np.array([(k - 1) * step, self.PANEL_Y, 0.0]), self.PANEL_W,
                           self.PANEL_H, self.chain.space_names[k], cover=covers[k])
                for k in range(3)]

    def build_arrows(self):
        """Every arrow first, then their labels, so that no label covers an arrow."""
        tr = self.tr
        self.fwd_arrows, self.bwd_arrows, ends = [], [], []
        for k, sp in enumerate(self.panels):
            s, e = sp.arrow_ends(tr.pushforward[k], self.M, lane=self.FWD_LANE)
            fa = style.forward_arrow(s, e).set_z_index(3)
            s2, e2 = sp.arrow_ends(tr.pullback[k], self.S, lane=self.BWD_LANE)
            ba = style.backward_arrow(s2, e2, stroke_width=5).set_z_index(1)
            self.fwd_arrows.append(fa)
            self.bwd_arrows.append(ba)
            ends.append(((s, e), (s2, e2)))
            self.stuff[k] += [fa, ba]
            sp.dot.set_z_index(4)
        self.fwd_labels, self.bwd_labels = [], []
        for k, sp in enumerate(self.panels):
            lab = MathTex("d" + SPACE[k], font_size=style.SMALL, color=style.FORWARD)
            place_label(lab, *ends[k][0], self.stuff[k], sp.box)
            self.stuff[k].append(lab)
            self.fwd_labels.append(lab)
        for k, sp in enumerate(self.panels):
            lab = MathTex(rf"\mathrm{{grad}}_{SPACE[k]}", font_size=style.SMALL,
                          color=style.BACKWARD)
            place_label(lab, *ends[k][1], self.stuff[k], sp.box)
            self.stuff[k].append(lab)
            self.bwd_labels.append(lab)

    def build_curves(self):
        """The true image of the arrow in u- and y-space, magnified like the arrows."""
        tr = self.tr
        self.curves = VGroup()
        for k in (1, 2):
            sp = self.panels[k]
            pts = np.asarray(tr.images[k], dtype=float)[:, : min(sp.dim, 2)]
            mag = sp.p[None, :] + self.M * (pts - sp.p[None, :])
            if sp.dim == 1:
                lane = UP * (self.FWD_LANE + 0.2)
                scr = [sp.c2p(v) + lane for v in mag]
            else:
                scr = [sp.c2p(v) for v in mag]
            # wide and under the arrow: where the two coincide the curve shows as a halo
            cur = VMobject(stroke_color=style.HIGHLIGHT, stroke_width=9,
                           stroke_opacity=0.8).set_z_index(2)
            cur.set_points_as_corners(scr)
            end = Dot(scr[-1], radius=0.06, color=style.HIGHLIGHT).set_z_index(2)
            self.curves.add(VGroup(cur, end))
            self.stuff[k] += [self.curves[-1]]

    def choose_scales(self):
        """One magnification for perturbations, one scale for gradients, fitted to the panels."""
        tr = self.tr
        bound_m, bound_s = [np.inf], [np.inf]
        for k, sp in enumerate(self.panels):
            bound_m.append(0.85 * sp.max_scale(tr.pushforward[k]))
            bound_s.append(0.85 * sp.max_scale(tr.pullback[k]))
        self.M = nice_floor(min(bound_m))
        self.S = nice_floor(min(bound_s))

    def place_notes(self):
        self.notes.arrange(DOWN, aligned_edge=RIGHT, buff=0.06)
        room = style.frame_width() / 2 - style.MARGIN - self.head.get_right()[0] - 0.3
        style.fit(self.notes, room, 0.62)
        self.notes.to_corner(UP + RIGHT, buff=style.MARGIN)

    def place_row(self, row, r: int, half: int | None = None):
        """Put a row of mathematics in row r: full width, or the left/right half."""
        if half is None:
            style.fit(row, style.safe_width(), self.ROW_H)
            row.move_to([0, self.ROW_Y[r], 0])
        else:
            w = style.safe_width() / 2 - 0.4
            style.fit(row, w, self.ROW_H)
            x = (-1 if half == 0 else 1) * (style.safe_width() / 4 + 0.1)
            row.move_to([x, self.ROW_Y[r], 0])
        return row

"""§7: a tiny network -- backprop is repeated pullback.

x in R^n  ->  a = W x + b in R^k  ->  h = sigmoid(a)  ->  l = c^T h.

The three stages are jacviz maps built from text with the core's parser; one
``Chain.trace`` gives the points, the local Jacobians (W, Diag(s'(a)), c^T),
the pushforward of dx, the pullback of dl/dl = 1 and the total Jacobian.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    Line,
    MathTex,
    RoundedRectangle,
    Tex,
    VGroup,
    Write,
)

from jacviz import Chain, JacvizError, Map, self_check
from jacviz.fmt import fmt_num, fmt_vec
from jacviz.studio.params import SceneParams, param
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

MAX_INPUTS = 3
MAX_HIDDEN = 4


def _num_text(v: float) -> str:
    """A number as Python text the core's parser reads back exactly."""
    return repr(float(v))


def build_chain(W, b, c) -> Chain:
    """The network as three jacviz maps built from text (affine, sigma, loss)."""
    k = len(b)
    n = len(W) // k
    Wm = np.asarray(W, dtype=float).reshape(k, n)
    xs = [f"x{j + 1}" for j in range(n)]
    as_ = [f"a{i + 1}" for i in range(k)]
    hs = [f"h{i + 1}" for i in range(k)]
    rows = [" + ".join(f"{_num_text(Wm[i, j])}*{xs[j]}" for j in range(n)) + f" + {_num_text(b[i])}"
            for i in range(k)]
    affine = Map(f"({', '.join(xs)}) -> ({', '.join(rows)})", name="affine")
    sigma = Map(f"({', '.join(as_)}) -> ({', '.join(f'sigmoid({a})' for a in as_)})", name="sigma")
    loss = Map(f"({', '.join(hs)}) -> " + " + ".join(f"{_num_text(c[i])}*{hs[i]}" for i in range(k)),
               name="loss")
    return Chain([affine, sigma, loss], output_names=["l"])


@dataclass(frozen=True)
class TinyNetworkParams(SceneParams):
    W: tuple = param((1.0, -1.0, 0.5, 2.0, -1.0, 0.5),
                     "weights of the hidden layer, row by row (one row per entry of b, "
                     "one column per entry of x)", kind="vector")
    b: tuple = param((0.0, 0.5, -0.5), "biases of the hidden layer (its length is the hidden size, 1-4)",
                     kind="vector")
    c: tuple = param((1.0, -2.0, 0.5), "loss weights, l = c^T h (one per hidden unit)", kind="vector")
    x: tuple = param((1.0, 0.5), "the input point x (1-3 numbers)", kind="vector")
    dx: tuple = param((0.1, 0.0), "the input perturbation dx pushed forward", kind="vector")

    def validate(self):
        k, n = len(self.b), len(self.x)
        if not 1 <= k <= MAX_HIDDEN:
            raise JacvizError(f"parameter b has {k} numbers; the hidden layer must have 1 to "
                              f"{MAX_HIDDEN} units (one bias each)")
        if not 1 <= n <= MAX_INPUTS:
            raise JacvizError(f"parameter x has {n} numbers; this scene draws 1 to {MAX_INPUTS} inputs")
        if len(self.W) != k * n:
            raise JacvizError(
                f"parameter W has {len(self.W)} numbers; expected hidden*inputs = {k}*{n} = {k * n} "
                f"(W is {k} x {n}, row by row: one row per entry of b, one column per entry of x)")
        self.need_length("c", self.c, k, "one loss weight per hidden unit, like b")
        self.need_length("dx", self.dx, n, "one number per input, like x")
        self_check(build_chain(self.W, self.b, self.c), np.asarray(self.x, dtype=float))


# -- small layout helpers ------------------------------------------------------------------

def _mt(s: str, color=style.INK, size=style.SMALL) -> MathTex:
    return MathTex(s, font_size=size, color=color)


def _parts(*pieces, size=style.SMALL) -> MathTex:
    """A MathTex from (tex, colour) pieces, each coloured on its own."""
    m = MathTex(*[p for p, _ in pieces], font_size=size)
    for sub, (_, col) in zip(m.submobjects, pieces):
        sub.set_color(col)
    return m


def _vec(v, color, size=style.TINY):
    return style.column(v, color=color, font_size=size, h_buff=0.8, v_buff=0.48)


def _nm(A, color, v_buff=0.5):
    """A matrix of numbers in the scene's small type (style.num_matrix spaces the columns)."""
    return style.num_matrix(A, color=color, font_size=style.TINY, h_buff=0.7, v_buff=v_buff)


def _row_vec(v, color):
    return _nm(np.asarray(v, dtype=float).reshape(1, -1), color)


def _mute_zeros(mat, values):
    for e, v in zip(mat.get_entries(), np.asarray(values, dtype=float).ravel()):
        if abs(v) < 1e-12:
            e.set_color(style.MUTED)
    return mat


def _table(rows, col_pad=0.55, row_pad=0.26):
    """Cells laid out in a grid (rows of mobjects); returns (VGroup of cells, rules)."""
    ncol = len(rows[0])
    widths = [max(r[j].width for r in rows) for j in range(ncol)]
    heights = [max(c.height for c in r) for r in rows]
    total_w = sum(widths) + col_pad * (ncol - 1)
    total_h = sum(heights) + 2 * row_pad * len(rows)
    cells = VGroup()
    rules = VGroup()
    y = total_h / 2
    for i, r in enumerate(rows):
        cy = y - row_pad - heights[i] / 2
        x = -total_w / 2
        for j, cell in enumerate(r):
            cell.move_to([x + widths[j] / 2, cy, 0])
            x += widths[j] + col_pad
            cells.add(cell)
        y -= heights[i] + 2 * row_pad
        if i < len(rows) - 1:
            rules.add(Line([-total_w / 2 - 0.15, y, 0], [total_w / 2 + 0.15, y, 0],
                           color=style.MUTED, stroke_width=2 if i == 0 else 1))
    return VGroup(cells, rules)


def _labelled_arrow(left_mob, right_mob, label: str, color, backward=False, y=None):
    """An arrow between two mobjects (pointing right, or left if backward), label above."""
    y = left_mob.get_center()[1] if y is None else y
    x0, x1 = left_mob.get_right()[0] + 0.15, right_mob.get_left()[0] - 0.15
    start, end = np.array([x0, y, 0.0]), np.array([x1, y, 0.0])
    if backward:
        start, end = end, start
    arr = style.backward_arrow(start, end, stroke_width=5) if backward else \
        style.forward_arrow(start, end, stroke_width=5)
    lab = _mt(label, color=style.INK, size=style.TINY)
    style.fit(lab, max(x1 - x0, 0.5), 0.6)
    lab.next_to(arr, UP, buff=0.1)
    return arr, lab


class TinyNetwork(JacvizScene):
    Params = TinyNetworkParams
    EXAMPLE = {"W": "2,0,-1,1", "b": "0.5,-0.5", "c": "1,1", "x": "0.5,-1", "dx": "0,0.1"}

    def construct(self):
        self.setup_numbers()
        self.show_network()
        self.edge_table()
        self.forward_arrow()
        self.backward_gradient()
        self.vjp_sizes()
        self.duality()

    # -- numbers ---------------------------------------------------------------------------
    def setup_numbers(self):
        p = self.params
        self.chain = build_chain(p.W, p.b, p.c)
        self.tr = self.chain.trace(np.asarray(p.x, dtype=float), np.asarray(p.dx, dtype=float), [1.0])
        self.n, self.k = self.chain.n, self.chain.dims[1]
        self.names = [[style.tex(sym) for sym in mp.inputs] for mp in self.chain.maps] + [["l"]]
        tr = self.tr
        self.Wn, self.D, self.cT = tr.jacobians            # W, Diag(s'(a)), c^T
        self.sprime = np.diag(self.D)
        self.DW = self.D @ self.Wn                          # the k x n matrix "matrices first" builds
        # column x positions of the four spaces x, a, h, l
        self.X = np.linspace(-5.0, 5.0, 4)

    # -- beat 1 ----------------------------------------------------------------------------
    def show_network(self):
        tr = self.tr
        self.beat(
            "network",
            f"The network at x = {fmt_vec(tr.points[0])}: a = Wx + b = {fmt_vec(tr.points[1])}, "
            f"h = sigmoid(a) = {fmt_vec(tr.points[2])}, and the loss l = c^T h = "
            f"{fmt_num(tr.points[3][0])}.")
        self.title_mob = style.title(r"A tiny network: backprop is repeated pullback")
        self.play(Write(self.title_mob), run_time=1)

        heads = [r"\text{input } x", r"a = Wx + b", r"h = \sigma(a)", r"l = c^\top h"]
        spacing = self.X[1] - self.X[0]
        labels = []
        for s in range(4):
            labels.append([_parts((rf"{nm} =", style.INK), (style.num(v), style.POINT), size=style.BODY)
                           for nm, v in zip(self.names[s], tr.points[s])])
        box_w = max(m.width for col in labels for m in col) + 0.4
        box_w = min(box_w, spacing - 1.1)
        box_h = 0.7
        step = 1.1
        cols = []
        for s in range(4):
            col = VGroup()
            cnt = len(labels[s])
            for i, lab in enumerate(labels[s]):
                y = -0.35 + (cnt - 1) / 2 * step - i * step
                box = RoundedRectangle(width=box_w, height=box_h, corner_radius=0.12,
                                       stroke_color=style.MUTED, stroke_width=2,
                                       fill_color=style.PANEL, fill_opacity=1)
                box.move_to([self.X[s], y, 0])
                style.fit(lab, box_w - 0.2, box_h - 0.1)
                lab.move_to(box)
                col.add(VGroup(box, lab))
            cols.append(col)
        edges = VGroup()
        for s in range(3):
            for i, u in enumerate(cols[s]):
                for j, v in enumerate(cols[s + 1]):
                    if s == 1 and i != j:
                        continue  # sigma acts elementwise: a_i -> h_i only
                    edges.add(Line(u.get_right(), v.get_left(), color=style.MUTED, stroke_width=2))
        top = max(c.get_top()[1] for c in cols)
        head_mobs = VGroup()
        for s in range(4):
            h = _mt(heads[s], size=style.SMALL)
            style.fit(h, spacing - 0.2, 0.6)
            h.move_to([self.X[s], top + 0.5, 0])
            head_mobs.add(h)
        net = VGroup(head_mobs, edges, *cols)
        style.keep_in_frame(net)
        self.play(LaggedStart(*[FadeIn(c, shift=0.2 * RIGHT) for c in cols], lag_ratio=0.4),
                  Create(edges), FadeIn(head_mobs), run_time=2.5)
        self.wait(1.5)
        self.net = net

    # -- beat 2 ----------------------------------------------------------------------------
    def edge_table(self):
        k, n = self.k, self.n
        self.beat(
            "edge-table",
            f"Each edge has a local Jacobian: x to a is W ({k}x{n}), a to h is "
            f"Diag(sigmoid'(a)) ({k}x{k}) with diagonal {fmt_vec(self.sprime)}, "
            f"h to l is c^T (1x{k}) = {fmt_vec(self.cT[0])}.")
        self.play(FadeOut(self.net), run_time=0.7)
        head = [Tex(t, font_size=style.SMALL, color=style.MUTED)
                for t in ("Edge", "local Jacobian", "shape", "value")]
        nm = [r"x \to a", r"a \to h", r"h \to l"]
        sym = [r"W", r"\mathrm{Diag}(\sigma'(a))", r"c^\top"]
        rows = [head]
        for s, J in enumerate(self.tr.jacobians):
            m, nn = J.shape
            val = _nm(J, style.INK)
            _mute_zeros(val, J)
            rows.append([_mt(nm[s]), _mt(sym[s]),
                         MathTex(rf"{m}\times {nn}", font_size=style.SMALL, color=style.HIGHLIGHT),
                         val])
        table = _table(rows)
        jsym = self.tr.jacobians_symbolic[1]
        note = _mt(r"\frac{\partial h_1}{\partial a_1} = " + style.tex(jsym[0, 0])
                   + r" = \sigma'(a_1)", size=style.TINY, color=style.MUTED)
        block = VGroup(table, note).arrange(DOWN, buff=0.3)
        style.fit(block, style.safe_width(), self.title_mob.get_bottom()[1] + style.frame_height() / 2
                  - style.MARGIN - 0.3)
        block.next_to(self.title_mob, DOWN, buff=0.3)
        style.keep_in_frame(block)
        cells, rules = table
        self.play(FadeIn(VGroup(*cells[:4])), Create(rules), run_time=0.8)
        for r in range(3):
            self.play(FadeIn(VGroup(*cells[4 * (r + 1):4 * (r + 2)]), shift=0.15 * DOWN), run_time=0.8)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(1.5)
        self.table = block

    # -- beat 3 ----------------------------------------------------------------------------
    def _strip(self):
        dims = self.chain.dims
        heads = VGroup()
        for s, nm in enumerate(["x", "a", "h", "l"]):
            sp = rf"\mathbb{{R}}^{{{dims[s]}}}" if dims[s] > 1 else r"\mathbb{R}"
            heads.add(_mt(rf"{nm} \in {sp}", size=style.SMALL).move_to([self.X[s], 0, 0]))
        heads.next_to(self.title_mob, DOWN, buff=0.35)
        for s, h in enumerate(heads):
            h.set_x(self.X[s])
        links = VGroup(*[Line(heads[s].get_right() + 0.2 * RIGHT, heads[s + 1].get_left() + 0.2 * LEFT,
                              color=style.MUTED, stroke_width=2) for s in range(3)])
        return VGroup(heads, links)

    def _vector_row(self, vecs, labels, ops, color, top_y, backward=False):
        """Column vectors under the four spaces, labels above, and the labelled arrows
        between them (pointing left if backward); returns VGroup(labels, vectors, arrows)."""
        mats = [_vec(v, color) for v in vecs]
        labs = [_mt(t, color=color, size=style.SMALL) for t in labels]
        for s, (lab, mat) in enumerate(zip(labs, mats)):
            lab.move_to([self.X[s], top_y - lab.height / 2, 0])
        lab_bottom = min(l.get_bottom()[1] for l in labs)
        for s, mat in enumerate(mats):
            mat.move_to([self.X[s], lab_bottom - 0.15 - mat.height / 2, 0])
        arrows = VGroup()
        for s in range(3):
            arr, lab = _labelled_arrow(mats[s], mats[s + 1], ops[s], color, backward=backward,
                                       y=mats[3].get_center()[1])
            arrows.add(VGroup(arr, lab))
        return VGroup(VGroup(*labs), VGroup(*mats), arrows)

    def forward_arrow(self):
        tr = self.tr
        push = tr.pushforward
        self.beat(
            "forward",
            f"Push dx = {fmt_vec(push[0])} forward: da = W dx = {fmt_vec(push[1])}, "
            f"dh = Diag(sigmoid'(a)) da = {fmt_vec(push[2])}, dl = c^T dh = {fmt_num(push[3][0])}.")
        self.strip = self._strip()
        self.play(FadeOut(self.table), FadeIn(self.strip), run_time=0.8)
        top = self.strip.get_bottom()[1] - 0.3
        self.fwd = self._vector_row(push, [r"dx", r"da", r"dh", r"dl"],
                                    [r"W", r"\mathrm{Diag}(\sigma'(a))", r"c^\top"],
                                    style.FORWARD, top)
        labs, mats, arrows = self.fwd
        self.play(FadeIn(labs[0]), FadeIn(mats[0]), run_time=0.6)
        for s in range(3):
            self.play(GrowArrow(arrows[s][0]), FadeIn(arrows[s][1]), run_time=0.6)
            self.play(FadeIn(labs[s + 1]), FadeIn(mats[s + 1], shift=0.2 * RIGHT), run_time=0.6)
        self.wait(1.2)

    # -- beat 4 ----------------------------------------------------------------------------
    def backward_gradient(self):
        tr = self.tr
        pull = tr.pullback
        self.beat(
            "backward",
            f"Pull the gradient back from dl/dl = {fmt_num(pull[3][0])}: grad_h = c = {fmt_vec(pull[2])}, "
            f"grad_a = Diag(sigmoid'(a)) grad_h = {fmt_vec(pull[1])}, "
            f"grad_x = W^T grad_a = {fmt_vec(pull[0])}.")
        top = self.fwd.get_bottom()[1] - 0.45
        self.bwd = self._vector_row(
            pull, [r"\nabla_x l", r"\nabla_a l", r"\nabla_h l", r"\tfrac{\partial l}{\partial l}"],
            [r"W^\top", r"\mathrm{Diag}(\sigma'(a))", r"c"], style.BACKWARD, top, backward=True)
        labs, mats, arrows = self.bwd
        self.play(FadeIn(labs[3]), FadeIn(mats[3]), run_time=0.6)
        for s in (2, 1, 0):
            self.play(GrowArrow(arrows[s][0]), FadeIn(arrows[s][1]), run_time=0.6)
            self.play(FadeIn(labs[s]), FadeIn(mats[s], shift=0.2 * LEFT), run_time=0.6)
        self.wait(1.2)

    # -- beat 5 ----------------------------------------------------------------------------
    def vjp_sizes(self):
        tr = self.tr
        sizes = [len(v) for v in tr.pullback]
        k, n = self.DW.shape
        self.beat(
            "vjp-sizes",
            f"Backprop only ever holds a vector: {sizes[3]}, then {sizes[2]}, {sizes[1]} and {sizes[0]} "
            f"numbers, each a vector times one local Jacobian. Multiplying matrices first builds the "
            f"{k}x{n} matrix Diag(sigmoid'(a)) W ({k * n} numbers) before the 1x{n} Jacobian "
            f"{fmt_vec(tr.jacobian[0])}.")
        shift = self.fwd.get_top()[1] - self.bwd.get_top()[1]
        self.play(FadeOut(self.fwd), run_time=0.6)
        self.play(self.bwd.animate.shift(shift * UP), run_time=0.8)
        labs, mats, arrows = self.bwd
        counts = VGroup()
        for s in range(4):
            word = "number" if sizes[s] == 1 else "numbers"
            t = Tex(rf"{sizes[s]} {word}", font_size=style.TINY, color=style.BACKWARD)
            t.next_to(mats[s], DOWN, buff=0.15)
            counts.add(t)
        self.play(LaggedStart(*[FadeIn(counts[s]) for s in (3, 2, 1, 0)], lag_ratio=0.3), run_time=1.2)

        # matrices first: c^T [Diag W] = J
        head = Tex(r"Matrices first:", font_size=style.SMALL, color=style.INK)
        DWm = _nm(self.DW, style.HIGHLIGHT, v_buff=0.48)
        Jm = _row_vec(tr.jacobian[0], style.INK)
        eq = VGroup(
            _mt(r"\mathrm{Diag}(\sigma'(a))\,W ="), DWm,
            _mt(r"\Rightarrow\; c^\top\big(\mathrm{Diag}(\sigma'(a))\,W\big) ="), Jm,
        ).arrange(RIGHT, buff=0.18)
        shapes = VGroup(
            Tex(rf"${k}\times {n}$: {k * n} numbers built", font_size=style.TINY, color=style.HIGHLIGHT),
            Tex(rf"$1\times {n}$ total Jacobian $J$", font_size=style.TINY, color=style.MUTED),
        )
        shapes[0].next_to(DWm, DOWN, buff=0.12)
        shapes[1].next_to(Jm, DOWN, buff=0.12)
        block = VGroup(head, VGroup(eq, shapes)).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        avail_top = counts.get_bottom()[1] - 0.35
        style.fit(block, style.safe_width(), avail_top + style.frame_height() / 2 - style.MARGIN)
        block.move_to([0, avail_top - block.height / 2, 0])
        style.keep_in_frame(block)
        self.play(FadeIn(head), FadeIn(eq[0]), FadeIn(eq[1]), run_time=0.8)
        self.play(FadeIn(shapes[0]), run_time=0.5)
        self.play(FadeIn(eq[2]), FadeIn(eq[3]), FadeIn(shapes[1]), run_time=0.8)
        self.wait(1.5)
        self.counts, self.mfirst = counts, block

    # -- beat 6 ----------------------------------------------------------------------------
    def duality(self):
        tr = self.tr
        dl = tr.duality["forward"]
        back = tr.duality["backward"]
        self.beat(
            "duality",
            f"Both ways agree: dl = c^T Diag(sigmoid'(a)) W dx = {fmt_num(dl)} equals "
            f"<grad_x, dx> = {fmt_num(back)}, and grad_x transposed is the total Jacobian "
            f"{fmt_vec(tr.jacobian[0])}.")
        self.play(FadeOut(self.mfirst), FadeOut(self.counts), run_time=0.6)
        g, d = tr.pullback[0], tr.pushforward[0]
        def factor(v):
            t = style.num(v)
            return f"({t})" if t.startswith("-") else t

        terms = " + ".join(rf"{factor(gi)}\cdot {factor(di)}" for gi, di in zip(g, d))
        fwd = _parts((r"dl", style.FORWARD),
                     (r"= c^\top\,\mathrm{Diag}(\sigma'(a))\,W\,", style.INK),
                     (r"dx", style.FORWARD),
                     (r"=", style.INK), (style.num(dl), style.FORWARD))
        bwd = _parts((r"\langle", style.INK), (r"\nabla_x l", style.BACKWARD), (r",", style.INK),
                     (r"dx", style.FORWARD), (r"\rangle =", style.INK),
                     (terms + " =", style.INK), (style.num(back), style.BACKWARD))
        Jm = _row_vec(tr.jacobian[0], style.INK)
        gT = VGroup(_parts((r"\nabla_x l^\top", style.BACKWARD),
                           (r"= c^\top\,\mathrm{Diag}(\sigma'(a))\,W = J =", style.INK)),
                    Jm).arrange(RIGHT, buff=0.18)
        lines = VGroup(fwd, bwd, gT).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        top = self.bwd.get_bottom()[1] - 0.45
        style.fit(lines, style.safe_width(), top + style.frame_height() / 2 - style.MARGIN)
        lines.move_to([0, top - lines.height / 2, 0])
        style.keep_in_frame(lines)
        self.play(FadeIn(fwd), run_time=0.8)
        self.play(FadeIn(bwd), run_time=0.8)
        self.play(FadeIn(gT), run_time=0.8)
        self.wait(2)

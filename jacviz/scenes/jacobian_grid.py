"""§1 and §8: a vector-valued map's gradients, written as rows, stacked into the m x n Jacobian.

Beats: the map and its components stacked; each component's gradient written as
a row beside it (a scalar map: the gradient as a column, then Df = (grad f)^T);
the rows assembled into the grid, rows labelled by output and columns by input;
the shape m x n; the grid evaluated at the point, diagonal entries highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    MathTex,
    MoveToTarget,
    ReplacementTransform,
    Create,
    SurroundingRectangle,
    Tex,
    TransformFromCopy,
    VGroup,
    Write,
)

from jacviz import JacvizError, Map, self_check
from jacviz.fmt import fmt_num, plain_expr, plain_mat, plain_vec
from jacviz.studio.params import SceneParams, param
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

# vertical room below the title
CONTENT_TOP = 2.95
CONTENT_BOTTOM = -(style.frame_height() / 2 - style.MARGIN)


@dataclass(frozen=True)
class JacobianGridParams(SceneParams):
    f: str = param("(x, y) -> (x^2 - y, x*y)", "the map F (1-3 inputs, 1-3 outputs)", kind="map")
    point: tuple = param((1.0, 2.0), "the point where J is evaluated", kind="vector")

    def validate(self):
        F = self.map_of("f", self.f, max_dim=3)
        if F.n < 1 or F.m < 1:
            raise JacvizError("parameter f: the map needs 1 to 3 inputs and 1 to 3 outputs")
        self.need_length("point", self.point, F.n, "one number per input of f")
        self_check(F, np.asarray(self.point, dtype=float))


# -- helpers (local to this scene) ------------------------------------------------
def _grid_matrix(rows, color=style.INK, element_color=None, font_size=style.BODY):
    """style.matrix, then re-spaced from the measured entries: each column as wide as its
    widest entry (long entries never collide, short columns stay close), entries centred.

    Kept private: style.matrix spaces all columns by the widest entry and all rows by the
    tallest; the grid needs per-column widths, per-row heights and brackets stretched to fit.
    """
    probes = [[MathTex(c, font_size=font_size) for c in row] for row in rows]
    h = max(p.height for row in probes for p in row)
    w = max(p.width for row in probes for p in row)
    gap = 0.65
    m = style.matrix(rows, color=color, font_size=font_size, element_color=element_color,
                     h_buff=w + gap, v_buff=max(h + 0.4, 0.75))
    ents = m.get_entries()
    nrows, ncols = len(rows), len(rows[0])
    grid = [[ents[i * ncols + j] for j in range(ncols)] for i in range(nrows)]
    widths = [max(grid[i][j].width for i in range(nrows)) for j in range(ncols)]
    xs, x = [], 0.0
    for j, wj in enumerate(widths):
        x += (widths[j - 1] / 2 + gap + wj / 2) if j else 0.0
        xs.append(x)
    heights = [max(grid[i][j].height for j in range(ncols)) for i in range(nrows)]
    vgap = 0.42
    ys, y = [], 0.0
    for i, hi in enumerate(heights):
        y -= (heights[i - 1] / 2 + vgap + hi / 2) if i else 0.0
        ys.append(y)
    lb, rb = m.get_brackets()
    pad = max(0.0, (lb.height - ents.height) / 2)
    centre = ents.get_center()
    for i in range(nrows):
        for j in range(ncols):
            grid[i][j].move_to([xs[j], ys[i], 0])
    ents.move_to(centre)
    for b in (lb, rb):
        b.stretch_to_fit_height(ents.height + 2 * pad)
        b.set_y(ents.get_center()[1])
    lb.next_to(ents, LEFT, buff=0.25)
    rb.next_to(ents, RIGHT, buff=0.25)
    return m


def _entry(mat, i: int, j: int, n: int):
    return mat.get_entries()[i * n + j]


class JacobianGrid(JacvizScene):
    Params = JacobianGridParams
    EXAMPLE = {"f": "(x, y, z) -> x*y + z^2", "point": "1,2,3"}

    def construct(self):
        self.setup_numbers()
        self.show_map()
        self.gradients_as_rows()
        self.assemble_grid()
        self.show_shape()
        self.evaluate_at_point()

    # -- numbers from the core -------------------------------------------------
    def setup_numbers(self):
        p = self.params
        F = Map(p.f, name="f")
        self.F = F
        self.m, self.n = F.shape
        self.scalar = self.m == 1
        self.name = "f" if self.scalar else "F"
        self.x0 = np.asarray(p.point, dtype=float)
        self.Jsym = F.jacobian_symbolic
        self.J = np.asarray(F.jacobian(self.x0), dtype=float).reshape(self.m, self.n)
        self.y0 = np.asarray(F(self.x0), dtype=float).reshape(self.m)
        self.in_tex = [style.tex(s) for s in F.inputs]
        self.in_plain = list(F.input_names)
        self.out_tex = [style.tex(e) for e in F.outputs]
        self.sym_rows = [[style.tex(e) for e in row] for row in self.Jsym.tolist()]
        self.num_rows = [[style.num(v) for v in row] for row in self.J]
        self.args_tex = ", ".join(self.in_tex)
        self.point_tex = "(" + ", ".join(style.num(v) for v in self.x0) + ")"
        # "(x, y) = (1, 2)", or "t = 1" for one input
        if self.n == 1:
            self.at_tex = f"{self.in_tex[0]} = {style.num(self.x0[0])}"
        else:
            self.at_tex = f"({self.args_tex}) = {self.point_tex}"
        self.point_plain = (plain_vec(self.x0) if self.n > 1
                            else f"{self.in_plain[0]} = {fmt_num(self.x0[0])}")
        self.comp_tex = ([self.name] if self.scalar
                         else [f"{self.name}_{{{i + 1}}}" for i in range(self.m)])
        self.comp_plain = ([self.name] if self.scalar
                           else [f"{self.name}{i + 1}" for i in range(self.m)])
        k = min(self.m, self.n)
        self.diag = [(i, i, self.J[i, i]) for i in range(k)]

    # -- beat 1 ----------------------------------------------------------------
    def show_map(self):
        m, n, F = self.m, self.n, self.name
        comps = ", ".join(f"{c} = {plain_expr(e)}" for c, e in zip(self.comp_plain, self.F.outputs))
        if self.scalar:
            cap = (f"A scalar function f of {n} input{'s' if n > 1 else ''} "
                   f"({', '.join(self.in_plain)}): f = {plain_expr(self.F.outputs[0])}, one output.")
        else:
            cap = (f"A map F from R^{n} to R^{m} has {m} components, stacked: {comps}.")
        self.beat("map", cap)

        self.title_mob = style.title(r"The Jacobian: a grid of gradients")
        sig = MathTex(rf"{F}:\ \mathbb{{R}}^{{{n}}} \to \mathbb{{R}}^{{{m}}}",
                      font_size=style.SMALL, color=style.MUTED)
        if self.scalar:
            rhs = self.out_tex[0]
        else:
            rhs = r"\left(" + r",\ ".join(self.out_tex) + r"\right)"
        mapline = MathTex(rf"{F}({self.args_tex}) = {rhs}", font_size=style.BODY, color=style.INK)
        header = VGroup(sig, mapline).arrange(RIGHT, buff=0.6)
        style.fit(header, style.safe_width(), 1.1)
        header.move_to(UP * 2.55)
        header.shift((min(CONTENT_TOP, header.get_top()[1]) - header.get_top()[1]) * UP)
        self.header = header
        self.play(Write(self.title_mob), run_time=0.8)
        self.play(FadeIn(sig), Write(mapline), run_time=1.2)

        if self.scalar:
            note = Tex("one output: the Jacobian will be a single row",
                       font_size=style.SMALL, color=style.MUTED)
            style.fit(note, style.safe_width(), 0.6)
            note.next_to(header, DOWN, buff=0.5)
            self.scalar_note = note
            self.play(FadeIn(note, shift=0.2 * DOWN))
            self.wait(2)
            return

        # the components F_i(args) = ..., stacked; their gradient rows are built now so that
        # the table's final layout is known (the components slide left when rows appear)
        comp_mobs, grad_mobs = [], []
        for i in range(m):
            c = MathTex(rf"{self.comp_tex[i]}({self.args_tex})", "=", self.out_tex[i],
                        font_size=style.BODY, color=style.INK)
            comp_mobs.append(c)
            lab = MathTex(rf"\nabla {self.comp_tex[i]}^{{T}} =", font_size=style.BODY,
                          color=style.BACKWARD)
            row = _grid_matrix([self.sym_rows[i]], color=style.BACKWARD,
                               element_color=style.BACKWARD)
            grad_mobs.append(VGroup(lab, row).arrange(RIGHT, buff=0.2))
        top = header.get_bottom()[1] - 0.45
        avail = (style.safe_width(), top - CONTENT_BOTTOM)

        def scale_of(group):
            return min(1.0, avail[0] / group.width, avail[1] / group.height)

        # side by side (component | gradient row), or, for long expressions, each
        # gradient row under its component; the layout that keeps the type larger wins
        w1 = max(c.width for c in comp_mobs)
        w2 = max(g.width for g in grad_mobs)
        gap = 0.9
        y = 0.0
        for i, (c, g) in enumerate(zip(comp_mobs, grad_mobs)):
            h = max(c.height, g.height)
            y -= h / 2
            c.move_to([0, y, 0], aligned_edge=LEFT)
            g.move_to([w1 + gap, y, 0], aligned_edge=LEFT)
            y -= h / 2 + 0.3
        table = VGroup(*comp_mobs, *grad_mobs)
        s_side = scale_of(table)
        if s_side < 0.85:
            y = 0.0
            for c, g in zip(comp_mobs, grad_mobs):
                c.move_to([0, y - c.height / 2, 0], aligned_edge=LEFT)
                y -= c.height + 0.15
                g.move_to([0.6, y - g.height / 2, 0], aligned_edge=LEFT)
                y -= g.height + 0.35
            if scale_of(table) < s_side:  # back to side by side
                y = 0.0
                for c, g in zip(comp_mobs, grad_mobs):
                    h = max(c.height, g.height)
                    y -= h / 2
                    c.move_to([0, y, 0], aligned_edge=LEFT)
                    g.move_to([w1 + gap, y, 0], aligned_edge=LEFT)
                    y -= h / 2 + 0.3
        style.fit(table, *avail)
        table.move_to([0, (top + CONTENT_BOTTOM) / 2, 0])
        table.set_y(min(table.get_y(), top - table.height / 2))
        self.comp_mobs, self.grad_mobs = comp_mobs, grad_mobs
        # shown centred first
        comps_group = VGroup(*comp_mobs)
        self.comp_shift = comps_group.get_center()[0] * RIGHT
        comps_group.shift(-self.comp_shift)
        self.play(*[FadeIn(c, shift=0.2 * DOWN) for c in comp_mobs], run_time=1.0)
        self.wait(2)

    # -- beat 2 ----------------------------------------------------------------
    def gradients_as_rows(self):
        if self.scalar:
            return self._scalar_gradient()
        rows = "; ".join(f"grad {c}^T = [{', '.join(plain_expr(e) for e in row)}]"
                         for c, row in zip(self.comp_plain, self.Jsym.tolist()))
        self.beat("gradients",
                  f"Each component's gradient, written sideways as a row: {rows}.")
        self.play(*[c.animate.shift(self.comp_shift) for c in self.comp_mobs], run_time=0.8)
        for c, g in zip(self.comp_mobs, self.grad_mobs):
            self.play(FadeIn(g[0], shift=0.2 * RIGHT), TransformFromCopy(c[2], g[1].get_entries()),
                      FadeIn(g[1].get_brackets()), run_time=0.9)
            # one top-level mobject per gradient row from here on
            self.remove(g[1].get_entries(), g[1].get_brackets(), g[0])
            self.add(g)
        self.wait(2)

    def _scalar_gradient(self):
        n = self.n
        entries = [plain_expr(e) for e in self.Jsym.tolist()[0]]
        self.beat("gradient",
                  f"The gradient of f is a column vector, grad f = ({', '.join(entries)}); "
                  f"written sideways it is the 1 x {n} row Df = (grad f)^T.")
        col_rows = [[e] for e in self.sym_rows[0]]
        glab = MathTex(rf"\nabla f({self.args_tex}) =", font_size=style.BODY, color=style.BACKWARD)
        gcol = _grid_matrix(col_rows, color=style.BACKWARD, element_color=style.BACKWARD)
        grad = VGroup(glab, gcol).arrange(RIGHT, buff=0.2)
        dlab = MathTex(r"Df", "=", r"(\nabla f)^{T}", "=", font_size=style.BODY, color=style.INK)
        dlab[2].set_color(style.BACKWARD)
        drow = _grid_matrix([self.sym_rows[0]], color=style.INK)
        dgroup = VGroup(dlab, drow).arrange(RIGHT, buff=0.2)
        shape = MathTex(rf"1\times {n}", font_size=style.SMALL, color=style.MUTED)
        shape.next_to(drow, DOWN, buff=0.2)
        dgroup.add(shape)
        block = VGroup(grad, dgroup).arrange(RIGHT, buff=1.1)
        top = self.header.get_bottom()[1] - 0.45
        if block.width > style.safe_width():
            block.arrange(DOWN, buff=0.5)
        style.fit(block, style.safe_width(), top - CONTENT_BOTTOM)
        block.move_to([0, (top + CONTENT_BOTTOM) / 2, 0])
        self.play(FadeOut(self.scalar_note), FadeIn(glab), FadeIn(gcol.get_brackets()),
                  FadeIn(gcol.get_entries(), shift=0.2 * DOWN), run_time=1.2)
        self.wait(0.6)
        self.play(FadeIn(dlab), FadeIn(drow.get_brackets()),
                  TransformFromCopy(gcol.get_entries(), drow.get_entries()), run_time=1.2)
        self.play(FadeIn(shape))
        self.remove(glab, gcol.get_brackets(), gcol.get_entries(), dlab, drow.get_brackets(),
                    drow.get_entries(), shape)
        self.add(grad, dgroup)
        self.grad_col = grad
        self.grad_mobs = [dgroup]
        self.drow = drow
        self.wait(2)

    # -- beat 3 ----------------------------------------------------------------
    def _build_grid(self, rows, numeric: bool):
        """The matrix with its output labels (left) and input labels (top)."""
        mat = _grid_matrix(rows, color=style.INK)
        row_labels = VGroup()
        for i, r in enumerate(mat.get_rows()):
            lab = MathTex(self.comp_tex[i], font_size=style.SMALL, color=style.MUTED)
            lab.next_to(mat.get_brackets()[0], LEFT, buff=0.25)
            lab.set_y(r.get_center()[1])
            row_labels.add(lab)
        # align all row labels on their right edges
        right = min(lab.get_right()[0] for lab in row_labels)
        for lab in row_labels:
            lab.shift((right - lab.get_right()[0]) * RIGHT)
        col_labels = VGroup()
        for j, c in enumerate(mat.get_columns()):
            lab = MathTex(self.in_tex[j], font_size=style.SMALL, color=style.MUTED)
            lab.next_to(mat, UP, buff=0.18)
            lab.set_x(c.get_center()[0])
            col_labels.add(lab)
        # keep column labels on one baseline-ish line
        yb = max(lab.get_bottom()[1] for lab in col_labels)
        for lab in col_labels:
            lab.shift((yb - lab.get_bottom()[1]) * UP)
        return mat, row_labels, col_labels

    def assemble_grid(self):
        m, n = self.m, self.n
        # written as plain_mat writes the numbers: a row as [a, b], a 1 x 1 matrix as its entry
        rows = self.Jsym.tolist()
        jplain = plain_expr(rows if self.m > 1 else rows[0] if self.n > 1 else rows[0][0])
        ins = ", ".join(self.in_plain)
        if self.scalar:
            cap = (f"That row is the whole Jacobian, J = {jplain}: one row for the one output f, "
                   f"one column per input ({ins}).")
        else:
            cap = (f"Stacked as rows they form the Jacobian J = {jplain}: row i is grad F_i^T, "
                   f"column j holds the derivatives by input j ({ins}).")
        self.beat("grid", cap)
        mat, row_labels, col_labels = self._build_grid(self.sym_rows, numeric=False)
        jlab = MathTex(rf"J({self.args_tex}) =", font_size=style.BODY, color=style.INK)
        jlab.next_to(row_labels, LEFT, buff=0.3)
        jlab.set_y(mat.get_center()[1])
        shape = MathTex(rf"{m}\times {n}", font_size=style.BODY, color=style.INK)
        shape.next_to(mat, RIGHT, buff=0.5)
        grid = VGroup(jlab, row_labels, col_labels, mat, shape)
        sentence = Tex(rf"$m\times n = {m}\times {n}$: one row per output, one column per input",
                       font_size=style.SMALL, color=style.INK)
        style.fit(sentence, style.safe_width(), 0.6)
        top = self.header.get_bottom()[1] - 0.45
        block = VGroup(grid, sentence)
        style.fit(grid, style.safe_width(), top - CONTENT_BOTTOM - sentence.height - 0.5)
        sentence.next_to(grid, DOWN, buff=0.5)
        block.move_to([0, (top + CONTENT_BOTTOM) / 2, 0])
        self.grid_parts = (jlab, row_labels, col_labels, mat, shape)
        self.sentence = sentence

        olds = [g[1] for g in self.grad_mobs]  # the gradient rows
        anims = []
        for i, old in enumerate(olds):
            for j in range(n):
                anims.append(TransformFromCopy(_entry(old, 0, j, n), _entry(mat, i, j, n)))
        fade = [FadeOut(g) for g in self.grad_mobs]
        if self.scalar:
            fade += [FadeOut(self.grad_col)]
        else:
            fade += [FadeOut(c) for c in self.comp_mobs]
        self.play(*anims, *fade, FadeIn(mat.get_brackets()), run_time=1.4)
        self.remove(*mat.get_entries(), mat.get_brackets())
        self.add(mat)
        self.play(FadeIn(jlab), run_time=0.6)
        self.play(*[FadeIn(l, shift=0.15 * RIGHT) for l in row_labels], run_time=0.7)
        self.play(*[FadeIn(l, shift=0.15 * DOWN) for l in col_labels], run_time=0.7)
        self.wait(2)

    # -- beat 4 ----------------------------------------------------------------
    def show_shape(self):
        m, n = self.m, self.n
        outs = ", ".join(self.comp_plain)
        ins = ", ".join(self.in_plain)
        self.beat("shape",
                  f"Check the shape first: {m} output{'s' if m > 1 else ''} ({outs}) and "
                  f"{n} input{'s' if n > 1 else ''} ({ins}) give a {m} x {n} grid, "
                  f"one row per output, one column per input.")
        jlab, row_labels, col_labels, mat, shape = self.grid_parts
        boxes = VGroup(*[SurroundingRectangle(r, color=style.MUTED, buff=0.08, stroke_width=2)
                         for r in mat.get_rows()])
        self.play(Write(shape), FadeIn(self.sentence, shift=0.2 * UP), run_time=1.0)
        self.play(Create(boxes), run_time=0.8)
        self.play(FadeOut(boxes), run_time=0.5)
        self.wait(2)

    # -- beat 5 ----------------------------------------------------------------
    def evaluate_at_point(self):
        m, n = self.m, self.n
        hl = ", ".join(f"J{i + 1}{j + 1} = {fmt_num(v)}" for i, j, v in self.diag)
        self.beat("evaluate", f"At {self.point_plain} the Jacobian is {plain_mat(self.J)}: {hl}.")
        jlab, row_labels, col_labels, mat, shape = self.grid_parts
        sym_block = VGroup(jlab, row_labels, col_labels, mat, shape)

        # numeric grid
        nmat, nrow, ncol = self._build_grid(self.num_rows, numeric=True)
        nlab = MathTex("J", self.point_tex, "=", font_size=style.BODY, color=style.INK)
        nlab[1].set_color(style.POINT)
        nlab.next_to(nrow, LEFT, buff=0.3)
        nlab.set_y(nmat.get_center()[1])
        num_block = VGroup(nlab, nrow, ncol, nmat)
        hl_labels = VGroup(*[MathTex(rf"J_{{{i + 1}{j + 1}}} = {style.num(v)}",
                                     font_size=style.SMALL, color=style.HIGHLIGHT)
                             for i, j, v in self.diag]).arrange(RIGHT, buff=0.6)
        hl_labels.next_to(nmat, DOWN, buff=0.35)
        num_full = VGroup(num_block, hl_labels)

        at = MathTex(self.at_tex, font_size=style.SMALL,
                     color=style.POINT)

        # layout: side by side if that keeps things large enough, otherwise stacked
        top = self.header.get_bottom()[1] - 0.45
        avail_h = top - CONTENT_BOTTOM
        target = sym_block.copy()
        arrow_len = max(1.2, at.width + 0.3)

        def side():
            arr = Arrow(LEFT * arrow_len / 2, RIGHT * arrow_len / 2, buff=0, color=style.MUTED,
                        stroke_width=4, max_tip_length_to_length_ratio=0.15)
            g = VGroup(target, arr, num_full).arrange(RIGHT, buff=0.35)
            g[2].shift((g[0][3].get_center()[1] - g[2][0][3].get_center()[1]) * UP)
            arr.set_y(g[0][3].get_center()[1])
            at.next_to(arr, UP, buff=0.12)
            return VGroup(g, at)

        def stacked():
            arr = Arrow(UP * 0.45, DOWN * 0.45, buff=0, color=style.MUTED, stroke_width=4,
                        max_tip_length_to_length_ratio=0.3)
            g = VGroup(target, arr, num_full).arrange(DOWN, buff=0.25)
            at.next_to(arr, RIGHT, buff=0.2)
            return VGroup(g, at)

        def scale_for(layout):
            return min(1.0, style.safe_width() / layout.width, avail_h / layout.height)

        lay = side()
        s_side = scale_for(lay)
        if s_side < 0.8:
            lay_st = stacked()
            if scale_for(lay_st) > s_side:
                lay = lay_st
            else:
                lay = side()
        s = scale_for(lay)
        # both grids would get too small (long entries): the numbers replace the symbols
        replace = s < 0.75
        if replace:
            at.next_to(num_full, UP, buff=0.35)
            lay = VGroup(at, num_full)
            lay.scale(scale_for(lay))
        else:
            lay.scale(s)
        lay.move_to([0, (top + CONTENT_BOTTOM) / 2, 0])

        if replace:
            anims = [FadeOut(self.sentence), FadeOut(VGroup(jlab, row_labels, col_labels, shape)),
                     FadeOut(mat.get_brackets())]
            for i in range(m):
                for j in range(n):
                    anims.append(ReplacementTransform(_entry(mat, i, j, n), _entry(nmat, i, j, n)))
            self.play(Write(at), run_time=0.8)
            self.play(*anims, FadeIn(nlab), FadeIn(nrow), FadeIn(ncol),
                      FadeIn(nmat.get_brackets()), run_time=1.4)
        else:
            arr = lay[0][1]
            sym_block.target = target
            self.play(FadeOut(self.sentence), MoveToTarget(sym_block), run_time=1.0)
            self.play(Create(arr), Write(at), run_time=0.8)
            anims = [FadeIn(nlab), FadeIn(nrow), FadeIn(ncol), FadeIn(nmat.get_brackets())]
            for i in range(m):
                for j in range(n):
                    anims.append(TransformFromCopy(_entry(mat, i, j, n), _entry(nmat, i, j, n)))
            self.play(*anims, run_time=1.3)
        self.wait(0.5)
        boxes = VGroup(*[SurroundingRectangle(_entry(nmat, i, j, n), color=style.HIGHLIGHT,
                                              buff=0.1) for i, j, _ in self.diag])
        self.play(Create(boxes), FadeIn(hl_labels, shift=0.15 * UP), run_time=1.0)
        self.wait(2.5)

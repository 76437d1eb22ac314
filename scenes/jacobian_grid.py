"""§1 and §8: a vector-valued map's gradients, written as rows, stacked into the m x n Jacobian.

Beats: the map and its components stacked; each component's gradient written as
a row beside it (a scalar map: the gradient as a column, then Df = (grad f)^T);
the rows assembled into the grid, rows labelled by output and columns by input;
the shape m x n; the grid evaluated at the point, diagonal entries highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, MoveToTarget,
                   ReplacementTransform, TransformFromCopy, VGroup, Write)

from jacviz import Map, self_check
from jacviz.core.fmt import (fmt_num, plain_expr, plain_mat, plain_vec, plural, tex_expr, tex_num,
                        tex_tuple)
from jacviz.core.spoken import join_words, say_entry, say_int, say_name, say_shape, say_vec
from jacviz.kit import ColoredTex, JacobianMatrix, JacvizScene, SceneParams, param, style


@dataclass(frozen=True, eq=False)
class JacobianGridNumbers:
    """What the Jacobian-grid scene draws: the map, its Jacobian and the names."""

    F: Map
    m: int
    n: int
    x0: np.ndarray
    J: np.ndarray
    Jsym: object  # a sympy Matrix
    scalar: bool
    name: str
    ins: list[str]
    ins_plain: list[str]
    comps: list[str]
    comps_plain: list[str]
    diag: list[tuple[int, int, float]]


@dataclass(frozen=True)
class JacobianGridParams(SceneParams):
    f: str = param("(x, y) -> (x^2 - y, x*y)", "the map F (1-3 inputs, 1-3 outputs)", kind="map")
    point: tuple = param((1.0, 2.0), "the point where J is evaluated", kind="vector")

    def build(self):
        F = self.map_of("f", self.f, max_dim=3)
        self.need_length("point", self.point, F.n, "one number per input of f")
        x0 = np.asarray(self.point, dtype=float)
        self_check(F, x0)
        (m, n), name = F.shape, "f" if F.m == 1 else "F"
        J = np.asarray(F.jacobian(x0), dtype=float).reshape(m, n)
        return JacobianGridNumbers(
            F=F, m=m, n=n, x0=x0, J=J, Jsym=F.jacobian_symbolic, scalar=m == 1, name=name,
            ins=[tex_expr(s) for s in F.inputs], ins_plain=list(F.input_names),
            comps=[name] if m == 1 else [f"{name}_{{{i + 1}}}" for i in range(m)],
            comps_plain=[name] if m == 1 else [f"{name}{i + 1}" for i in range(m)],
            diag=[(i, i, J[i, i]) for i in range(min(m, n))])


def _matrix(M, color=style.INK, **kw) -> JacobianMatrix:
    """A symbolic (sympy) or numeric (numpy) matrix in one colour, brackets even for 1 x 1
    (the grid's shape is the point)."""
    make = JacobianMatrix.numeric if isinstance(M, np.ndarray) else JacobianMatrix.symbolic
    return make(M, color=color, scalar=False, **kw)


class JacobianGrid(JacvizScene):
    Params = JacobianGridParams
    EXAMPLE = {"f": "(x, y, z) -> x*y + z^2", "point": "1,2,3"}

    def construct(self):
        self.args = ", ".join(self.n.ins)
        self.show_map()
        self.gradients_as_rows()
        self.assemble_grid()
        self.show_shape()
        self.evaluate_at_point()

    # -- layout below the header -------------------------------------------------------------
    def band(self) -> tuple[float, float]:
        return self.header.get_bottom()[1] - 0.45, style.content_bottom()

    def scale_for(self, mob) -> float:
        top, bottom = self.band()
        return min(1.0, style.safe_width() / mob.width, (top - bottom) / mob.height)

    def place(self, mob):
        """Fit mob below the header and centre it there."""
        return style.place_in_band(mob, *self.band())

    def grid(self, M) -> VGroup:
        """The matrix with its output labels (left) and input labels (top)."""
        return _matrix(M, row_labels=self.n.comps, col_labels=self.n.ins)

    # -- beats ---------------------------------------------------------------------------------
    def show_map(self):
        n, F = self.n, self.n.name
        if n.scalar:
            cap = (f"A scalar function f of {plural(n.n, 'input')} ({', '.join(n.ins_plain)}): "
                   f"f = {plain_expr(n.F.outputs[0])}, one output.")
        else:
            comps = ", ".join(f"{c} = {plain_expr(e)}" for c, e in zip(n.comps_plain, n.F.outputs))
            cap = f"A map F from R^{n.n} to R^{n.m} has {n.m} components, stacked: {comps}."
        self.beat("map", cap, say=say_map(n))
        self.title_mob = style.title(r"The Jacobian: a grid of gradients")
        sig = style.math(rf"{F}:\ \mathbb{{R}}^{{{n.n}}} \to \mathbb{{R}}^{{{n.m}}}", style.MUTED)
        mapline = style.math(rf"{F}({self.args}) = {tex_tuple(n.F.outputs)}", font_size=style.BODY)
        self.header = VGroup(sig, mapline).arrange(RIGHT, buff=0.6)
        style.fit(self.header, style.safe_width(), 1.1).move_to(UP * 2.55)
        self.header.shift(min(0.0, style.CONTENT_TOP - self.header.get_top()[1]) * UP)
        self.play(Write(self.title_mob), run_time=0.8)
        self.play(FadeIn(sig), Write(mapline), run_time=1.2)
        if n.scalar:
            self.note = style.caption_text("one output: the Jacobian will be a single row",
                                           style.MUTED).next_to(self.header, DOWN, buff=0.5)
            self.play(FadeIn(self.note, shift=0.2 * DOWN))
            self.wait(2)
            return
        # components F_i(args) = ... and their gradient rows, built now so that the table's
        # final layout is known (the components slide left when the rows appear)
        self.comps = [ColoredTex(rf"{c}({self.args})", "=", tex_expr(e), font_size=style.BODY)
                      for c, e in zip(n.comps, n.F.outputs)]
        self.grads = [VGroup(style.math(rf"\nabla {c}^{{T}} =", style.BACKWARD, style.BODY),
                             _matrix([row], style.BACKWARD)).arrange(RIGHT, buff=0.2)
                      for c, row in zip(n.comps, n.Jsym.tolist())]
        table = VGroup(*self.comps, *self.grads)
        self.arrange_table(stacked=False)
        s_side = self.scale_for(table)
        if s_side < 0.85:  # long expressions: each gradient row under its component
            self.arrange_table(stacked=True)
            if self.scale_for(table) < s_side:
                self.arrange_table(stacked=False)
        self.place(table)
        comps = VGroup(*self.comps)
        self.comp_shift = comps.get_center()[0] * RIGHT  # shown centred first
        comps.shift(-self.comp_shift)
        self.play(*[FadeIn(c, shift=0.2 * DOWN) for c in self.comps], run_time=1.0)
        self.wait(2)

    def arrange_table(self, stacked: bool):
        w1, y = max(c.width for c in self.comps), 0.0
        for c, g in zip(self.comps, self.grads):
            if stacked:
                c.move_to([0, y - c.height / 2, 0], aligned_edge=LEFT)
                y -= c.height + 0.15
                g.move_to([0.6, y - g.height / 2, 0], aligned_edge=LEFT)
                y -= g.height + 0.35
            else:
                h = max(c.height, g.height)
                c.move_to([0, y - h / 2, 0], aligned_edge=LEFT)
                g.move_to([w1 + 0.9, y - h / 2, 0], aligned_edge=LEFT)
                y -= h + 0.3

    def gradients_as_rows(self):
        n = self.n
        if n.scalar:
            return self.scalar_gradient()
        rows = "; ".join(f"grad {c}^T = [{', '.join(plain_expr(e) for e in row)}]"
                         for c, row in zip(n.comps_plain, n.Jsym.tolist()))
        self.beat("gradients", f"Each component's gradient, written sideways as a row: {rows}.",
                  say=say_gradients(n))
        self.play(*[c.animate.shift(self.comp_shift) for c in self.comps], run_time=0.8)
        for c, (lab, row) in zip(self.comps, self.grads):
            self.play(FadeIn(lab, shift=0.2 * RIGHT), TransformFromCopy(c[2], row.get_entries()),
                      FadeIn(row.brackets), run_time=0.9)
            self.remove(row.entries, row.brackets, lab)  # one mobject per gradient row
            self.add(VGroup(lab, row))
        self.wait(2)

    def scalar_gradient(self):
        n = self.n
        entries = [plain_expr(e) for e in n.Jsym.tolist()[0]]
        self.beat("gradient",
                  f"The gradient of f is a column vector, grad f = ({', '.join(entries)}); "
                  f"written sideways it is the 1 x {n.n} row Df = (grad f)^T.", say=say_gradient(n))
        glab = style.math(rf"\nabla f({self.args}) =", style.BACKWARD, style.BODY)
        gcol = _matrix(n.Jsym.T, style.BACKWARD)
        dlab = ColoredTex(r"Df", "=", (r"(\nabla f)^{T}", style.BACKWARD), "=", font_size=style.BODY)
        drow = _matrix(n.Jsym)
        shape = style.math(rf"1\times {n.n}", style.MUTED)
        self.grad_col = VGroup(glab, gcol).arrange(RIGHT, buff=0.2)
        dgroup = VGroup(VGroup(dlab, drow).arrange(RIGHT, buff=0.2), shape)
        shape.next_to(drow, DOWN, buff=0.2)
        block = VGroup(self.grad_col, dgroup).arrange(RIGHT, buff=1.1)
        if block.width > style.safe_width():
            block.arrange(DOWN, buff=0.5)
        self.place(block)
        self.play(FadeOut(self.note), FadeIn(glab), FadeIn(gcol.brackets),
                  FadeIn(gcol.entries, shift=0.2 * DOWN), run_time=1.2)
        self.wait(0.6)
        self.play(FadeIn(dlab), FadeIn(drow.brackets),
                  TransformFromCopy(gcol.get_entries(), drow.get_entries()), run_time=1.2)
        self.play(FadeIn(shape))
        self.remove(glab, gcol, dlab, drow, shape)
        self.add(self.grad_col, dgroup)
        self.grads = [(None, drow)]
        self.extra = dgroup
        self.wait(2)

    def assemble_grid(self):
        n = self.n
        rows = n.Jsym.tolist()  # written as plain_mat writes numbers: a row as [a, b]
        jplain = plain_expr(rows if n.m > 1 else rows[0] if n.n > 1 else rows[0][0])
        ins = ", ".join(n.ins_plain)
        self.beat("grid", f"That row is the whole Jacobian, J = {jplain}: one row for the one "
                          f"output f, one column per input ({ins})." if n.scalar else
                          f"Stacked as rows they form the Jacobian J = {jplain}: row i is grad "
                          f"F_i^T, column j holds the derivatives by input j ({ins}).",
                          say=say_grid(n))
        mat = self.grid(n.Jsym)
        jlab = style.math(rf"J({self.args}) =", font_size=style.BODY)
        jlab.next_to(mat, LEFT, buff=0.3).set_y(mat.body().get_y())
        shape = style.math(rf"{n.m}\times {n.n}", font_size=style.BODY)
        shape.next_to(mat, RIGHT, buff=0.5).set_y(mat.body().get_y())
        self.sym = VGroup(jlab, mat, shape)
        self.sentence = style.caption_text(
            rf"$m\times n = {n.m}\times {n.n}$: one row per output, one column per input")
        top, bottom = self.band()
        style.fit(self.sym, style.safe_width(), top - bottom - self.sentence.height - 0.5)
        self.sentence.next_to(self.sym, DOWN, buff=0.5)
        VGroup(self.sym, self.sentence).move_to([0, (top + bottom) / 2, 0])
        moves = [TransformFromCopy(old.entry(0, j), mat.entry(i, j))
                 for i, (_, old) in enumerate(self.grads) for j in range(n.n)]
        olds = [self.grad_col, self.extra] if n.scalar else \
            [VGroup(lab, row) for lab, row in self.grads] + self.comps
        self.play(*moves, *[FadeOut(o) for o in olds], FadeIn(mat.brackets), run_time=1.4)
        self.remove(*mat.get_entries(), mat.brackets)
        self.add(VGroup(mat.entries, mat.brackets))
        self.play(FadeIn(jlab), run_time=0.6)
        self.play(*[FadeIn(lab, shift=0.15 * RIGHT) for lab in mat.row_label_group], run_time=0.7)
        self.play(*[FadeIn(lab, shift=0.15 * DOWN) for lab in mat.col_label_group], run_time=0.7)
        self.remove(mat.entries, mat.brackets, *mat.row_label_group, *mat.col_label_group)
        self.add(mat)
        self.wait(2)

    def show_shape(self):
        n = self.n
        self.beat("shape",
                  f"Check the shape first: {plural(n.m, 'output')} ({', '.join(n.comps_plain)}) "
                  f"and {plural(n.n, 'input')} ({', '.join(n.ins_plain)}) give a {n.m} x {n.n} "
                  f"grid, one row per output, one column per input.", say=say_shape_beat(n))
        mat = self.sym[1]
        boxes = VGroup(*[mat.highlight_row(i, color=style.MUTED) for i in range(n.m)])
        self.play(Write(self.sym[2]), FadeIn(self.sentence, shift=0.2 * UP), run_time=1.0)
        self.play(Create(boxes), run_time=0.8)
        self.play(FadeOut(boxes), run_time=0.5)
        self.wait(2)

    def evaluate_at_point(self):
        n = self.n
        hl = ", ".join(f"J{i + 1}{j + 1} = {fmt_num(v)}" for i, j, v in n.diag)
        where = plain_vec(n.x0) if n.n > 1 else f"{n.ins_plain[0]} = {fmt_num(n.x0[0])}"
        self.beat("evaluate", f"At {where} the Jacobian is {plain_mat(n.J)}: {hl}.",
                  say=say_evaluate(n))
        nmat = self.grid(n.J)
        point = "(" + ", ".join(tex_num(v) for v in n.x0) + ")"
        nlab = ColoredTex("J", (point, style.POINT), "=", font_size=style.BODY)
        nlab.next_to(nmat, LEFT, buff=0.3).set_y(nmat.body().get_y())
        hl_labels = VGroup(*[style.math(rf"J_{{{i + 1}{j + 1}}} = {tex_num(v)}", style.HIGHLIGHT)
                             for i, j, v in n.diag]).arrange(RIGHT, buff=0.6)
        hl_labels.next_to(nmat, DOWN, buff=0.35)
        num = VGroup(VGroup(nlab, nmat), hl_labels)
        at = style.math(f"{n.ins[0]} = {tex_num(n.x0[0])}" if n.n == 1 else
                        f"({self.args}) = {point}", style.POINT)
        target = self.sym.copy()
        length = max(1.2, at.width + 0.3)

        def side():
            arr = Arrow(LEFT * length / 2, RIGHT * length / 2, buff=0, color=style.MUTED,
                        stroke_width=4, max_tip_length_to_length_ratio=0.15)
            g = VGroup(target, arr, num).arrange(RIGHT, buff=0.35)
            num.shift((target[1].body().get_y() - nmat.body().get_y()) * UP)
            arr.set_y(target[1].body().get_y())
            return VGroup(g, at.next_to(arr, UP, buff=0.12))

        def stacked():
            arr = Arrow(UP * 0.45, DOWN * 0.45, buff=0, color=style.MUTED, stroke_width=4,
                        max_tip_length_to_length_ratio=0.3)
            g = VGroup(target, arr, num).arrange(DOWN, buff=0.25)
            return VGroup(g, at.next_to(arr, RIGHT, buff=0.2))

        lay = side()
        s = self.scale_for(lay)
        if s < 0.8:
            lay = stacked() if self.scale_for(stacked()) > s else side()
            s = self.scale_for(lay)
        replace = s < 0.75  # both grids would get too small: the numbers replace the symbols
        if replace:
            lay = VGroup(at.next_to(num, UP, buff=0.35), num)
        self.place(lay)
        jlab, mat, shape = self.sym
        if replace:
            self.play(Write(at), run_time=0.8)
            self.play(FadeOut(self.sentence), FadeOut(VGroup(jlab, shape)),
                      *[ReplacementTransform(a, b) for a, b in
                        zip(mat.get_entries(), nmat.get_entries())],
                      FadeOut(VGroup(mat.brackets, mat.row_label_group, mat.col_label_group)),
                      FadeIn(nlab), FadeIn(VGroup(nmat.brackets, nmat.row_label_group,
                                                 nmat.col_label_group)), run_time=1.4)
        else:
            self.sym.target = target
            self.play(FadeOut(self.sentence), MoveToTarget(self.sym), run_time=1.0)
            self.play(Create(lay[0][1]), Write(at), run_time=0.8)
            self.play(FadeIn(nlab), FadeIn(VGroup(nmat.brackets, nmat.row_label_group,
                                                  nmat.col_label_group)),
                      *[TransformFromCopy(a, b) for a, b in
                        zip(mat.get_entries(), nmat.get_entries())], run_time=1.3)
        self.remove(*nmat.get_entries(), nmat.brackets, nmat.row_label_group, nmat.col_label_group)
        self.add(nmat)
        self.wait(0.5)
        boxes = VGroup(*[nmat.highlight_entry(i, j) for i, j, _ in n.diag])
        self.play(Create(boxes), FadeIn(hl_labels, shift=0.15 * UP), run_time=1.0)
        self.wait(2.5)


# -- narration: what each beat says, read from the scene's numbers -------------------------
def _words(names) -> str:
    return join_words(say_name(s) for s in names)


def say_map(n) -> str:
    ins = _words(n.ins_plain)
    if n.scalar:
        return (f"We begin the lesson with one function, f, of {say_int(n.n)} inputs: {ins}. "
                f"It has a single output, so its Jacobian will be a single row.")
    return (f"We begin the lesson with one map, F, from R {say_int(n.n)} to R {say_int(n.m)}. "
            f"It has {say_int(n.m)} components, {_words(n.comps_plain)}, stacked in a column. "
            f"Each component is an ordinary function of {ins}.")


def say_gradients(n) -> str:
    return (f"Each component has a gradient: its {say_int(n.n)} partial derivatives, one per "
            f"input. Written sideways, in blue, each gradient becomes a row. "
            f"That is the gradient transposed.")


def say_gradient(n) -> str:
    return (f"The gradient of f is a column vector, one partial derivative per input. "
            f"Written sideways, it is the one by {say_int(n.n)} row D f. "
            f"So D f is grad f, transpose.")


def say_grid(n) -> str:
    if n.scalar:
        return (f"That row is the whole Jacobian of f. It has one row, for the one output, "
                f"and one column for each input: {_words(n.ins_plain)}.")
    return (f"Stack the rows, and you get the Jacobian: a {say_shape(n.m, n.n)} grid of "
            f"gradients. Row i is the gradient of component i, sideways. "
            f"Column j holds every derivative by input j.")


def say_shape_beat(n) -> str:
    return (f"Check the shape before the numbers. {say_int(n.m).capitalize()} "
            f"{'output' if n.m == 1 else 'outputs'} and {say_int(n.n)} "
            f"{'input' if n.n == 1 else 'inputs'} give a {say_shape(n.m, n.n)} grid. "
            f"One row per output, one column per input: that is numerator layout.")


def say_evaluate(n) -> str:
    entries = join_words(say_entry(i, j, v) for i, j, v in n.diag)
    row = f" The whole row is {say_vec(n.J[0])}." if n.scalar and n.n > 1 else ""
    return (f"Now put in the point {say_vec(n.x0)}. Every entry becomes a number: "
            f"{entries}.{row} The Jacobian is the gradients of the components, stacked as rows.")

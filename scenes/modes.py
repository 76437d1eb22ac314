"""§9: forward mode builds the Jacobian by columns, reverse mode by rows.

For a chain ``R^n -> ... -> R^m`` the whole ``m x n`` Jacobian takes ``n``
Jacobian-vector products (one per input direction ``e_j``, each a column, in
orange) or ``m`` vector-Jacobian products (one per output ``e_i``, each a row,
in sky blue).  Both build the same matrix; their costs in multiply-adds come
from :func:`jacviz.core.costs.jacobian_costs`.  The scene ends on a scalar loss
(``m = 1``), where one pullback gives the whole gradient; a chain with more
outputs gets the loss ``l = y_1 + ... + y_m`` on top for that last beat.

``n`` sizes the default chain ``R^n -> R^3 -> R^2 -> R^1`` (polynomials with
integer coefficients at an integer point, so every number is exact); when
``maps`` is given, ``n`` is taken from it, and a different ``n`` set beside it
is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, SurroundingRectangle,
                   TransformFromCopy, VGroup)

from jacviz import Chain, JacvizError, Map, jacobian_costs, self_check
from jacviz.core.costs import JacobianCosts
from jacviz.core.fmt import tex_tuple, tex_vec
from jacviz.core.spoken import say_int, say_num, say_shape, say_vec
from jacviz.kit import (ChainStrip, ColoredTex, JacobianMatrix, JacvizScene, MatrixToFill,
                        SceneParams, overlay, param, plain_mat, plain_vec, plural, style, tex_name)
from jacviz.kit.panel import fit_grid

#: the default chain, its first map written for inputs x1..x4 (taken mod n for fewer)
FIRST = ("{x1}*{x2}", "{x2} + {x3}^2", "{x3}*{x4} - {x1}")
REST = ("(u1, u2, u3) -> (u1*u2 + u3, u2 - u1*u3)", "(v1, v2) -> v1*v2")
POINT = (1.0, 2.0, -1.0, 1.0)
MAX_DIM = 4  # a Jacobian of up to 4 x 4 is read entry by entry


def default_chain(n: int) -> Chain:
    """R^n -> R^3 -> R^2 -> R^1, exact at the default point."""
    xs = ["x"] if n == 1 else [f"x{i + 1}" for i in range(n)]
    sub = {f"x{i + 1}": xs[i % n] for i in range(4)}
    first = f"({', '.join(xs)}) -> ({', '.join(t.format(**sub) for t in FIRST)})"
    return Chain([Map(t, name=f"f{k + 1}") for k, t in enumerate((first,) + REST)])


@dataclass(frozen=True, eq=False)
class ModesNumbers:
    """What the modes scene draws: the Jacobian by columns and by rows, and the costs."""

    chain: Chain
    x: np.ndarray
    n: int
    m: int
    J: np.ndarray
    cols: list
    rows: list
    jacobians: list
    costs: JacobianCosts
    loss: Chain
    loss_costs: JacobianCosts
    grad: np.ndarray
    dims: tuple


@dataclass(frozen=True)
class ModesParams(SceneParams):
    maps: tuple = param((), "the chain, maps separated by ';' (2-6 maps, spaces of dimension "
                        "1-4); left out: the default chain R^n -> R^3 -> R^2 -> R^1",
                        kind="maps")
    n: int = param(4, "the input dimension n (1-4): sizes the default chain; with maps given it "
                   "is taken from them (a different n set beside them is refused)", kind="int")
    point: tuple = param(POINT, "the point x, one number per input (left out: 1,2,-1,1 cut to "
                         "the input dimension)", kind="vector")

    def build(self):
        if self.maps:
            chain = self.chain_of(maps="maps", legacy=(), max_dim=MAX_DIM, at=None)
            if self.given("n") and self.n != chain.n:
                raise JacvizError(f"parameter n is {self.n} but maps start in R^{chain.n}: leave "
                                  f"n out (it is taken from maps) or set n={chain.n}")
        elif not 1 <= self.n <= MAX_DIM:
            raise JacvizError(f"parameter n is {self.n}; the default chain takes 1 to {MAX_DIM} "
                              f"inputs, e.g. n=3")
        else:
            chain = default_chain(self.n)
        x = self.point if self.given("point") else POINT[:chain.n]
        self.need_length("point", x, chain.n, "one number per input of the chain")
        self_check(chain, x)
        n, m = chain.n, chain.m
        loss = chain
        if m > 1:  # a scalar loss on top: l = y1 + ... + ym
            ys = chain.output_names
            total = Map(f"({', '.join(ys)}) -> {' + '.join(ys)}", name="loss")
            loss = Chain(chain.maps + [total], output_names=["l"])
        tr = chain.trace(x)
        return ModesNumbers(
            chain=chain, x=np.asarray(x, dtype=float), n=n, m=m, J=tr.jacobian,
            cols=[chain.trace(x, dx=np.eye(n)[j]).pushforward for j in range(n)],
            rows=[chain.trace(x, gbar=np.eye(m)[i]).pullback for i in range(m)],
            jacobians=tr.jacobians, costs=jacobian_costs(chain), loss=loss, loss_costs=jacobian_costs(loss),
            grad=loss.trace(x).pullback[0], dims=chain.dims)


def _passes(k: int, kind: str) -> str:
    """'4 JVPs', '1 VJP' in TeX."""
    return rf"{k}\text{{ {kind}{'' if k == 1 else 's'}}}"


def _space(d: int) -> str:
    return r"\mathbb{R}" if d == 1 else rf"\mathbb{{R}}^{{{d}}}"


class Modes(JacvizScene):
    Params = ModesParams
    EXAMPLE = {"maps": "(x1, x2) -> (x1*x2, x1 + x2, x1 - x2^2); "
                       "(u1, u2, u3) -> (u1 + u3, u2*u3, u1 - u2); "
                       "(v1, v2, v3) -> (v1*v2, v3^2); (w1, w2) -> (w1 + w2, w1 - w2, w1*w2)",
               "point": "1,2"}

    def construct(self):
        self.show_maps()
        self.show_chain()
        self.by_columns()
        self.by_rows()
        self.costs()
        self.scalar_loss()

    # -- parts ---------------------------------------------------------------------------
    def _names(self):
        return [tex_name(mp.name) for mp in self.n.chain.maps]

    def _strip(self, dims, names):
        half = min(5.6, 1.3 * len(dims))
        return ChainStrip([_space(d) for d in dims], names,
                          xs=np.linspace(-half, half, len(dims))).shift(2.45 * UP)

    def _matrix(self, color, x, head):
        return MatrixToFill(self.n.J, color=color, label=head, at=[x, -1.85, 0], width=5.6,
                            height=2.0)

    def _sweep(self, vectors, kind, first, last, targets, blanks):
        """One pass: a vector under every space, flowing along the maps; the result moves
        into the matrix (targets replace blanks)."""
        color = style.KIND_COLOR[kind]
        mobs = []
        for k, v in enumerate(vectors):
            vec = JacobianMatrix.column_vector(v, color=color, font_size=style.TINY)
            lab = first if k == 0 else last if k == len(vectors) - 1 else None
            mob = VGroup(style.math(lab, color), vec).arrange(DOWN, buff=0.1) if lab else VGroup(vec)
            mobs.append(style.fit(mob, 3, 1.95))
        row = self.strip.place_row(mobs, top=1.75)
        order = range(len(mobs)) if kind == "forward" else reversed(range(len(mobs)))
        order = list(order)
        self.play(FadeIn(row[order[0]]), run_time=0.3)
        for a, b in zip(order, order[1:]):
            self.play(self.strip.flow(min(a, b), kind, run_time=0.3), FadeIn(row[b]), run_time=0.3)
        result = row[order[-1]][-1]
        self.play(TransformFromCopy(result.get_entries(), targets), FadeOut(blanks), run_time=0.7)
        return row

    def _fill(self, vectors, kind, ends, targets, blanks):
        """The row of vectors under the strip cleared, then one sweep filling targets."""
        self._clear_row()
        self.row = self._sweep(vectors, kind, *ends, targets, blanks)

    def _clear_row(self):
        if len(self.row):
            self.play(FadeOut(self.row), run_time=0.3)
        self.row = VGroup()

    # -- beats -----------------------------------------------------------------------------
    def show_maps(self):
        """The maps of the chain, inner first, and the point: what every number is of."""
        n = self.n
        self.beat("maps", f"The chain, inner map first: "
                          + "; ".join(mp.text for mp in n.chain.maps)
                          + f". The point: x = {plain_vec(n.x)}.", say=say_maps(n))
        self.set_title(rf"A chain of {len(n.chain.maps)} maps, and a point")
        cells = []
        for name, mp in zip(self._names(), n.chain.maps):
            ins = ", ".join(tex_name(s) for s in mp.input_names)
            cells.append(style.math(rf"{name}({ins}) = {tex_tuple(mp.outputs)}",
                                    font_size=style.BODY))
        ins = n.chain.maps[0].input_names
        point = ColoredTex(rf"({', '.join(tex_name(s) for s in ins)}) = {tex_vec(n.x)}",
                           font_size=style.BODY)
        top = self.title_mob.get_bottom()[1] - 0.4
        defs, _ = fit_grid(cells, top, -1.6, columns=(1, 2))
        point.next_to(defs, DOWN, buff=0.6)
        self.play(FadeIn(defs, lag_ratio=0.3), run_time=1.2)
        self.play(FadeIn(point), run_time=0.6)
        self.wait(1)
        self.intro = VGroup(defs, point)

    def show_chain(self):
        n = self.n
        chain = " -> ".join(f"R^{d}" for d in n.dims)
        self.beat("chain", f"A chain {chain} at x = {plain_vec(n.x)}. Its Jacobian Dh = "
                           + " ".join(f"J{k}" for k in range(len(n.dims) - 1, 0, -1))
                           + f" is {n.m}x{n.n}: {plural(n.n, 'column')}, {plural(n.m, 'row')}.",
                           say=say_chain(n))
        self.play(FadeOut(self.intro), run_time=0.5)
        self.set_title("Forward mode builds columns, reverse mode builds rows")
        self.strip = self._strip(n.dims, self._names())
        self.fwd = self._matrix(style.FORWARD, -3.4, rf"n = {_passes(n.n, 'JVP')}\text{{: columns}}")
        self.bwd = self._matrix(style.BACKWARD, 3.4, rf"m = {_passes(n.m, 'VJP')}\text{{: rows}}")
        self.row = VGroup()
        for k, (J, arr) in enumerate(zip(n.jacobians, self.strip.arrow_mobs)):
            mat = JacobianMatrix.numeric(J, font_size=style.TINY)
            if mat.width > arr.get_length():  # too many digits to read here: the shape
                mat = style.math(rf"{J.shape[0]}\times {J.shape[1]}", style.MUTED, style.TINY)
            mob = VGroup(style.math(f"J_{{{k + 1}}}", font_size=style.SMALL), mat)
            self.row.add(style.fit(mob.arrange(DOWN, buff=0.12), arr.get_length(), 2.0)
                         .next_to(arr, DOWN, buff=0.25))
        self.play(FadeIn(self.strip), run_time=0.8)
        self.play(FadeIn(self.row), FadeIn(self.fwd), FadeIn(self.bwd), run_time=0.8)
        self.wait(1)

    def by_columns(self):
        n, f = self.n, self.fwd
        self.beat("columns", f"Forward mode: push each input direction e_j through the chain, "
                             f"inner map first. One JVP gives one column: "
                             + "; ".join(f"Dh e_{j + 1} = {plain_vec(c[-1])}"
                                         for j, c in enumerate(n.cols)) + ".", say=say_columns(n))
        for j, vectors in enumerate(n.cols):
            self._fill(vectors, "forward", (rf"e_{{{j + 1}}}", rf"Dh\,e_{{{j + 1}}}"),
                       f.matrix.column(j), f.blank_column(j))
        self.wait(1)

    def by_rows(self):
        n, b = self.n, self.bwd
        self.beat("rows", f"Reverse mode: pull each output direction e_i back by the transposes, "
                          f"outer map first. One VJP gives one row: "
                          + "; ".join(f"e_{i + 1}^T Dh = {plain_vec(r[0])}"
                                      for i, r in enumerate(n.rows))
                          + f". Both build the same matrix {plain_mat(n.J)}.", say=say_rows(n))
        for i, vectors in enumerate(n.rows):
            self._fill(vectors, "backward", (rf"Dh^\top e_{{{i + 1}}}", rf"e_{{{i + 1}}}"),
                       b.matrix.row(i), b.blank_row(i))
        self.same = style.math("=", style.INK, style.BODY).move_to([0, self.fwd.matrix.get_y(), 0])
        self.play(FadeIn(self.same), run_time=0.5)
        self.wait(1)

    def costs(self):
        n, c = self.n, self.n.costs
        per = [s.mults for s in c.jvp.per_stage]
        self.beat("costs", f"A pass costs one multiply-add per non-zero entry of the local "
                           f"Jacobians: {' + '.join(map(str, per))} = {c.jvp.madds} forward, "
                           f"{c.vjp.madds} backward. n = {n.n}: {plural(n.n, 'JVP')} for "
                           f"{c.by_jvps.madds}; m = {n.m}: {plural(n.m, 'VJP')} for "
                           f"{c.by_vjps.madds} multiply-adds.", say=say_costs(n))
        self._clear_row()
        notes = self.strip.under_maps([str(p) for p in per])
        lines = []
        for side, k, pass_cost, total, color in ((self.fwd, n.n, c.jvp, c.by_jvps, style.FORWARD),
                                                  (self.bwd, n.m, c.vjp, c.by_vjps, style.BACKWARD)):
            terms = " + ".join(str(q.mults) for q in pass_cost.per_stage)
            line = ColoredTex(rf"{k}\times ({terms}) = ",
                              (str(total.madds), color),
                              r"\text{ multiply-adds}", font_size=style.SMALL)
            lines.append(style.fit(line, 5.6).next_to(side.matrix, DOWN, buff=0.3))
        self.play(FadeIn(notes), *[FadeIn(m) for m in lines], run_time=0.8)
        if c.by_jvps.madds != c.by_vjps.madds:
            best = lines[int(c.by_vjps.madds < c.by_jvps.madds)]
            self.play(Create(overlay(SurroundingRectangle(best, color=style.HIGHLIGHT, buff=0.12))),
                      run_time=0.6)
        self.wait(1.5)

    def scalar_loss(self):
        n, lc = self.n, self.n.loss_costs
        extra = " the output is a scalar loss l (m = 1)." if n.m == 1 else (
            f" a scalar loss on top, l = {' + '.join(n.chain.output_names)} (m = 1).")
        self.beat("scalar-loss", f"The case that matters:{extra} One pullback of dl/dl = 1 gives "
                                 f"the whole gradient grad_x l = {plain_vec(n.grad)} for "
                                 f"{lc.vjp.madds} multiply-adds; forward mode needs n = {plural(n.n, 'JVP')}, "
                                 f"{lc.by_jvps.madds} multiply-adds. That is loss.backward().",
                                 say=say_loss(n))
        self.clear_except(self.title_mob, self.strip)
        self.set_title(r"A scalar loss: one pullback gives the whole gradient")
        if n.m > 1:
            names = self._names() + [r"\Sigma"]
            new = self._strip(n.loss.dims, names)
            self.play(FadeOut(self.strip), FadeIn(new), run_time=0.8)
            self.strip = new
        grad = JacobianMatrix.column_vector(n.grad, color=style.BACKWARD, font_size=style.SMALL)
        head = ColoredTex((r"\nabla_x l", style.BACKWARD), r" = Dh^\top\,1 = ", font_size=style.BODY)
        result = VGroup(head, grad).arrange(RIGHT, buff=0.2)
        lines = VGroup(
            ColoredTex(r"\text{reverse: }1\text{ VJP} = ", (str(lc.vjp.madds), style.BACKWARD),
                       r"\text{ multiply-adds}", font_size=style.BODY),
            ColoredTex(rf"\text{{forward: }}n = {_passes(n.n, 'JVP')} = ",
                       (str(lc.by_jvps.madds), style.FORWARD), r"\text{ multiply-adds}",
                       font_size=style.BODY)).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        block = VGroup(result, lines).arrange(RIGHT, buff=1.0)
        style.place_in_band(block, self.strip.get_bottom()[1] - 0.4, style.content_bottom())
        self.play(FadeIn(result, shift=0.2 * LEFT), run_time=0.8)
        self.play(FadeIn(lines), run_time=0.8)
        self.wait(2)


# -- narration: what each beat says, read from the core's numbers --------------------------
def _many(k: int, word: str) -> str:
    return f"{say_int(k)} {word if k == 1 else word + ('es' if word.endswith('s') else 's')}"


def say_maps(n) -> str:
    return (f"Here is a chain of {say_int(len(n.chain.maps))} maps, from {_many(n.n, 'input')} "
            f"to {_many(n.m, 'output')}. Every number that follows is taken at the point "
            f"{say_vec(n.x)}.")


def say_chain(n) -> str:
    return (f"The lesson closes with a long chain of {say_int(len(n.dims) - 1)} maps, at the "
            f"point {say_vec(n.x)}. Its Jacobian is the product of the local Jacobians, outer map "
            f"on the left. It is {say_shape(n.m, n.n)}: {_many(n.n, 'column')}, "
            f"{_many(n.m, 'row')}.")


def say_columns(n) -> str:
    return (f"Forward mode, in orange: push one input direction through the chain, inner map "
            f"first. One pass gives one column. The first column is {say_vec(n.cols[0][-1])}. "
            f"{_many(n.n, 'pass').capitalize()} fill the {_many(n.n, 'column')}.")


def say_rows(n) -> str:
    return (f"Reverse mode, in blue: pull one output direction back by the transposes, outer "
            f"map first. One pass gives one row. The first row is {say_vec(n.rows[0][0])}. "
            f"Both modes build the same matrix.")


def say_costs(n) -> str:
    c = n.costs
    return (f"Count the work: one multiply-add per non-zero entry of a local Jacobian. "
            f"Forward mode, {_many(n.n, 'pass')}, takes {say_num(c.by_jvps.madds)} multiply-adds; "
            f"reverse mode, {_many(n.m, 'pass')}, takes {say_num(c.by_vjps.madds)}. "
            f"Fewer inputs favour forward mode, fewer outputs favour reverse mode.")


def say_loss(n) -> str:
    lc = n.loss_costs
    return (f"The case that matters is a scalar loss: one output. One backward pass, "
            f"{say_num(lc.vjp.madds)} multiply-adds, gives the whole gradient, "
            f"{say_vec(n.grad)}. Forward mode would need {say_num(lc.by_jvps.madds)}. "
            f"That is loss dot backward.")

"""§4, §8: the Jacobian of a composition is the product of Jacobians, and the
shapes force the order: J_{f o g}(x) = J_f(g(x)) J_g(x).

Beats: the chain x -> u -> y with its shape table; the two Jacobians; the one
order whose shapes fit; Df with u = g(x) substituted and the symbolic product;
the product at the point (and the gradient); a small check done both ways
(compose then differentiate, and multiply Jacobians).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    Line,
    MathTable,
    MathTex,
    Tex,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
)

from jacviz import Chain, JacvizError, Map, self_check
from jacviz.fmt import plain_expr, plain_mat, plain_vec
from jacviz.studio.params import SceneParams, param
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

# vertical band for content below the title
TOP = 2.85
BOTTOM = -(style.frame_height() / 2 - style.MARGIN)


# -- checks --------------------------------------------------------------------
def _chain_of(params: SceneParams, gkey: str, fkey: str, atkey: str) -> Chain:
    """The chain [g, f] from two map parameters, checked for shapes and numbers."""
    G = params.map_of(gkey, getattr(params, gkey), max_dim=3)
    F = params.map_of(fkey, getattr(params, fkey), max_dim=3)
    if F.n != G.m:
        raise JacvizError(
            f"parameter {fkey}: takes {F.n} input{'s' if F.n != 1 else ''} but {gkey} gives "
            f"{G.m} output{'s' if G.m != 1 else ''}; f o g needs them equal"
        )
    at = getattr(params, atkey)
    params.need_length(atkey, at, G.n, f"one number per input of {gkey}")
    chain = Chain([G, F])
    self_check(chain, np.asarray(at, dtype=float))
    return chain


@dataclass(frozen=True)
class CompositionParams(SceneParams):
    g: str = param("(x1, x2) -> (x1^2 + x2, x1*x2)", "the inner map g: x -> u", kind="map")
    f: str = param("(u1, u2) -> u1 + u2^2", "the outer map f: u -> y", kind="map")
    point: tuple = param((1.0, 2.0), "the point x where D(f o g) is evaluated", kind="vector")
    g_small: str = param("x -> (x, x^2)", "the inner map of the small check", kind="map")
    f_small: str = param("(u, v) -> u + v", "the outer map of the small check", kind="map")
    at_small: tuple = param((1.0,), "the point of the small check", kind="vector")

    def validate(self):
        _chain_of(self, "g", "f", "point")
        _chain_of(self, "g_small", "f_small", "at_small")


# -- TeX helpers ---------------------------------------------------------------
def _short(e):
    """The shortest of e, simplify(e), expand(e), for display only."""
    e = sympy.sympify(e)
    cands = [e]
    if sympy.count_ops(e) <= 80:
        for fn in (sympy.simplify, sympy.expand):
            try:
                cands.append(fn(e))
            except Exception:  # pragma: no cover - display only
                pass
    return min(cands, key=lambda c: len(sympy.latex(c)))


def _lat(e) -> str:
    return style.tex(_short(e))


def _mat(cells, color=style.INK, font_size=style.BODY):
    """A bracketed matrix of TeX strings with columns spaced by their widths.

    Kept private: style.matrix gives every column the widest entry's width, which leaves
    wide gaps in symbolic Jacobians such as [1, 2 x1 x2]; this one sizes each column alone.
    """
    probe = [MathTex(c, font_size=font_size) for row in cells for c in row]
    w = max(m.width for m in probe)
    h = max(m.height for m in probe)
    mat = style.matrix(cells, color=color, font_size=font_size,
                       h_buff=max(0.75, w + 0.45), v_buff=max(0.6, h + 0.3))
    # centre each entry in its own column, columns as wide as their widest entry
    rows = mat.get_rows()
    ncols = len(cells[0])
    widths = [max(rows[i][j].width for i in range(len(cells))) for j in range(ncols)]
    gap = 0.5 * font_size / style.BODY
    x = rows[0][0].get_left()[0]
    for j in range(ncols):
        cx = x + widths[j] / 2
        for i in range(len(cells)):
            rows[i][j].set_x(cx)
        x += widths[j] + gap
    lb, rb = mat.get_brackets()
    entries = mat.get_entries()
    lb.next_to(entries, LEFT, buff=mat.bracket_h_buff)
    rb.next_to(entries, RIGHT, buff=mat.bracket_h_buff)
    return mat


def _symmat(M: sympy.Matrix, **kw):
    return _mat([[_lat(e) for e in row] for row in M.tolist()], **kw)


def _nummat(A, **kw):
    return style.num_matrix(A, h_buff=0.75, v_buff=0.6, **kw)


def _expr_tuple(exprs) -> str:
    items = [_lat(e) for e in exprs]
    return items[0] if len(items) == 1 else r"\left(" + r",\ ".join(items) + r"\right)"


def _args(mp: Map) -> str:
    return ", ".join(sympy.latex(s) for s in mp.inputs)


def _txt_mat(A) -> str:
    """A matrix for a caption as plain_mat writes it, but a column as [a, b]^T."""
    A = np.atleast_2d(np.asarray(A, dtype=float))
    if A.shape[1] == 1 and A.size > 1:
        return plain_mat(A.T) + "^T"
    return plain_mat(A)


def _txt_expr(e) -> str:
    """plain_expr of the shortest form, products written with spaces (2 x1 x2)."""
    return plain_expr(_short(e)).replace("*", " ")


def _row(*mobs, buff=0.2):
    return VGroup(*mobs).arrange(RIGHT, buff=buff)


def _place(mob, top: float, bottom: float, x: float = 0.0, width: float | None = None):
    """Fit mob in the band [bottom, top] (full safe width unless given) and centre it there."""
    style.fit(mob, width if width is not None else style.safe_width(), top - bottom)
    mob.move_to([x, (top + bottom) / 2, 0])
    return mob


def _xmark(size: float = 0.32, color=style.WARN):
    h = size / 2
    return VGroup(Line([-h, -h, 0], [h, h, 0]), Line([-h, h, 0], [h, -h, 0])).set_stroke(color, 7)


def _shape_tex(parts, font_size=style.BODY):
    """MathTex from (tex, colour) pairs, one submobject per pair."""
    mt = MathTex(*[t for t, _ in parts], font_size=font_size, color=style.INK)
    for sub, (_, c) in zip(mt.submobjects, parts):
        if c is not None:
            sub.set_color(c)
    return mt


class Composition(JacvizScene):
    Params = CompositionParams
    EXAMPLE = {"g": "(x1, x2) -> (sin(x1), x1*x2, x2^2)",
               "f": "(u1, u2, u3) -> (u1 + u2, u2*u3)", "point": "0,1"}

    def construct(self):
        self.setup_numbers()
        self.show_chain()
        self.show_jacobians()
        self.multiply_in_order()
        self.substitute()
        self.evaluate_at_point()
        self.compose_first()
        self.multiply_jacobians()

    # -- numbers (core only) ----------------------------------------------------
    def setup_numbers(self):
        P = self.params
        self.chain = _chain_of(P, "g", "f", "point")
        self.G, self.F = self.chain.maps
        self.x0 = np.asarray(P.point, dtype=float)
        self.tr = self.chain.trace(self.x0)
        self.n, self.m, self.p = self.chain.dims
        self.u0 = self.tr.points[1]
        self.Dg_sym, self.Df_sym = self.tr.jacobians_symbolic
        self.Df_in_x = self.tr.jacobians_symbolic_in_x[1]
        self.Dh_sym = self.chain.jacobian_symbolic
        self.Dg0, self.Df0 = self.tr.jacobians
        self.Dh0 = self.tr.jacobian

        self.small = _chain_of(P, "g_small", "f_small", "at_small")
        self.Gs, self.Fs = self.small.maps
        self.xs = np.asarray(P.at_small, dtype=float)
        self.trs = self.small.trace(self.xs)
        self.hs_expr = self.small.composed_symbolic[-1]
        self.dhs_sym = self.small.jacobian_symbolic
        # compose first, then differentiate: the composed map's own Jacobian
        self.Hs = Map.from_exprs(self.Gs.inputs, self.hs_expr, name="f_small o g_small")
        self.dhs_composed = self.Hs.jacobian(self.xs)
        # multiply Jacobians: the chain's product of stage Jacobians
        self.dhs_product = self.trs.jacobian
        self.small_equal = bool(np.allclose(self.dhs_composed, self.dhs_product,
                                            rtol=1e-9, atol=1e-12))

    def _title(self, text: str):
        new = style.title(text)
        if getattr(self, "title_mob", None) is None:
            self.title_mob = new
            self.play(Write(new), run_time=0.8)
        else:
            self.play(Transform(self.title_mob, new), run_time=0.6)

    def _clear(self):
        keep = [self.title_mob]
        old = [m for m in self.mobjects if m not in keep]
        if old:
            self.play(*[FadeOut(m) for m in old], run_time=0.5)

    # -- beat 1 -------------------------------------------------------------------
    def show_chain(self):
        n, m, p = self.n, self.m, self.p
        self.beat("chain",
                  f"x has n = {n} coordinates, u = g(x) has m = {m}, y = f(u) has p = {p}: "
                  f"Dg is {m} x {n}, Df is {p} x {m}, and D(f o g) is {p} x {n}.")
        self._title(r"Composition: $y = f(g(x))$")

        def node(tex, letter, k):
            lab = MathTex(tex, font_size=style.BODY, color=style.INK)
            dim = MathTex(rf"{letter} = {k}", font_size=style.SMALL, color=style.HIGHLIGHT)
            dim.next_to(lab, DOWN, buff=0.15)
            return VGroup(lab, dim)

        nx = node(r"x \in \mathbb{R}^{n}", "n", n)
        nu = node(r"u = g(x) \in \mathbb{R}^{m}", "m", m)
        ny = node(r"y = f(u) \in \mathbb{R}^{p}", "p", p)
        nodes = VGroup(nx, nu, ny).arrange(RIGHT, buff=1.7, aligned_edge=UP)
        arrows, names = VGroup(), VGroup()
        for a, b, nm in ((nx, nu, "g"), (nu, ny, "f")):
            y = a[0].get_center()[1]
            ar = Arrow([a[0].get_right()[0] + 0.15, y, 0], [b[0].get_left()[0] - 0.15, y, 0],
                       buff=0, color=style.MUTED, stroke_width=4)
            lab = MathTex(nm, font_size=style.BODY, color=style.INK).next_to(ar, UP, buff=0.1)
            arrows.add(ar)
            names.add(lab)
        diagram = VGroup(nodes, arrows, names)

        G, F = self.G, self.F
        defs = VGroup(
            MathTex(rf"g({_args(G)}) = {_expr_tuple(G.outputs)}", font_size=style.SMALL),
            MathTex(rf"f({_args(F)}) = {_expr_tuple(F.outputs)}", font_size=style.SMALL),
        ).arrange(RIGHT, buff=1.0)
        if defs.width > style.safe_width():
            defs.arrange(DOWN, buff=0.2)
        defs.set_color(style.MUTED)

        heads = [r"x", r"u = g(x)", r"y = f(u)", r"Dg", r"Df", r"D(f\circ g)"]
        letters = [("n", "1"), ("m", "1"), ("p", "1"), ("m", "n"), ("p", "m"), ("p", "n")]
        val = {"n": n, "m": m, "p": p, "1": 1}
        sym_row = [rf"{a}\times {b}" for a, b in letters]
        num_row = [rf"{val[a]}\times {val[b]}" for a, b in letters]
        table = MathTable(
            [sym_row, num_row],
            col_labels=[MathTex(h, font_size=style.SMALL) for h in heads],
            row_labels=[Tex("shape", font_size=style.SMALL), Tex("here", font_size=style.SMALL)],
            element_to_mobject_config={"font_size": style.SMALL},
            h_buff=0.6, v_buff=0.4,
            line_config={"stroke_color": style.MUTED, "stroke_width": 1.5},
        )
        table.get_rows()[1][1:].set_color(style.MUTED)
        table.get_rows()[2][1:].set_color(style.HIGHLIGHT)
        table.get_row_labels().set_color(style.MUTED)

        whole = VGroup(diagram, defs, table).arrange(DOWN, buff=0.55)
        _place(whole, TOP, BOTTOM)

        self.play(FadeIn(nodes[0][0]), run_time=0.5)
        self.play(GrowArrow(arrows[0]), Write(names[0]), FadeIn(nodes[1][0]), run_time=0.8)
        self.play(GrowArrow(arrows[1]), Write(names[1]), FadeIn(nodes[2][0]), run_time=0.8)
        self.play(FadeIn(defs), *[FadeIn(nd[1]) for nd in nodes], run_time=0.8)
        self.play(Create(table.get_horizontal_lines()), Create(table.get_vertical_lines()),
                  FadeIn(table.get_col_labels()), FadeIn(table.get_row_labels()),
                  FadeIn(table.get_rows()[1][1:]), run_time=1.0)
        self.play(Write(table.get_rows()[2][1:]), run_time=1.0)
        self.wait(1.0)

    # -- beat 2 -------------------------------------------------------------------
    def show_jacobians(self):
        n, m, p = self.n, self.m, self.p
        self.beat("jacobians",
                  f"The Jacobian of g has one row per output of g and one column per input: "
                  f"Dg is {m} x {n}. Df is {p} x {m}.")
        self._clear()
        self._title(r"Two Jacobians, two shapes")

        def block(name, M, rows, cols, rl, cl):
            lab = MathTex(name, font_size=style.BODY)
            mat = _symmat(M)
            eq = _row(lab, mat)
            shape = _shape_tex([(rf"{rl}\times {cl} = ", style.MUTED), (str(rows), style.HIGHLIGHT),
                                (r"\times", style.HIGHLIGHT), (str(cols), style.HIGHLIGHT)],
                               font_size=style.SMALL)
            shape.next_to(mat, DOWN, buff=0.25)
            return VGroup(eq, shape)

        self.dg_block = block(r"Dg(x) =", self.Dg_sym, m, n, "m", "n")
        self.df_block = block(r"Df(u) =", self.Df_sym, p, m, "p", "m")
        row = VGroup(self.dg_block, self.df_block).arrange(RIGHT, buff=1.2, aligned_edge=UP)
        _place(row, TOP, 0.45)
        self.row1 = row
        self.play(FadeIn(self.dg_block[0]), run_time=0.8)
        self.play(Write(self.dg_block[1]), run_time=0.6)
        self.play(FadeIn(self.df_block[0]), run_time=0.8)
        self.play(Write(self.df_block[1]), run_time=0.6)
        self.wait(1.2)

    # -- beat 3 -------------------------------------------------------------------
    def multiply_in_order(self):
        n, m, p = self.n, self.m, self.p
        other_fits = n == p
        if other_fits:
            other = (f"Dg Df is ({m} x {n})({p} x {m}): its shapes fit, but it applies Dg after Df, "
                     f"which is the wrong order.")
        else:
            other = f"Dg Df would be ({m} x {n})({p} x {m}): {n} is not {p}, so it does not compose."
        self.beat("order",
                  f"Df Dg is ({p} x {m})({m} x {n}): the inner sizes agree, {m} = {m}, "
                  f"giving {p} x {n}. " + other)
        self._title(r"Shapes force the order: $D(f\circ g) = Df\,Dg$")
        H, W, I = style.HIGHLIGHT, style.WARN, style.INK
        good = _shape_tex([
            (r"D(f\circ g) = Df\,Dg:\quad", I), ("(", I), (str(p), I), (r"\times", I), (str(m), H),
            (r")\,(", I), (str(m), H), (r"\times", I), (str(n), I), (")", I), (r"\;\to\;", I),
            (str(p), style.POINT), (r"\times", style.POINT), (str(n), style.POINT),
            (r"\quad\checkmark", style.POINT),
        ])
        inner = VGroup(good[4], good[6])
        note = Tex(rf"inner sizes agree: $m = {m}$", font_size=style.SMALL, color=H)
        good_grp = VGroup(good, note).arrange(DOWN, buff=0.25)

        bad_parts = [(r"Dg\,Df:\quad", I), ("(", I), (str(m), I), (r"\times", I), (str(n), W),
                     (r")\,(", I), (str(p), W), (r"\times", I), (str(m), I), (")", I)]
        if other_fits:
            bad_parts += [(r"\;\to\;", I), (str(m), I), (r"\times", I), (str(m), I)]
            why = Tex(r"shapes fit ($n = p$), but $Dg\,Df$ applies $Dg$ after $Df$: "
                      r"the wrong order", font_size=style.SMALL, color=W)
        else:
            bad_parts += [(r"\qquad", I), (str(n), W), (r"\neq", W), (str(p), W)]
            why = Tex(rf"does not compose: inner sizes $n = {n}$ and $p = {p}$ differ",
                      font_size=style.SMALL, color=W)
        bad = _shape_tex(bad_parts)
        cross = _xmark().next_to(bad, RIGHT, buff=0.35)
        bad_line = VGroup(bad, cross)
        bad_grp = VGroup(bad_line, why).arrange(DOWN, buff=0.25)

        lower = VGroup(good_grp, bad_grp).arrange(DOWN, buff=0.6)
        _place(lower, 0.15, BOTTOM)
        self.play(Write(good), run_time=1.2)
        self.play(Indicate(inner, color=H, scale_factor=1.3), FadeIn(note), run_time=1.0)
        self.wait(0.6)
        self.play(Write(bad), run_time=1.0)
        self.play(Create(cross), FadeIn(why), run_time=0.8)
        self.wait(1.0)

    # -- beat 4 -------------------------------------------------------------------
    def substitute(self):
        p, n = self.p, self.n
        self.beat("substitute",
                  f"Substituting u = g(x) into Df(u) gives Df(g(x)); times Dg(x) it is Dh(x), "
                  f"the {p} x {n} Jacobian of h = f o g in terms of x.")
        self._clear()
        self._title(r"Substitute $u = g(x)$, then multiply")
        B = style.BODY
        dfu = _row(MathTex(r"Df(u) =", font_size=B), _symmat(self.Df_sym))
        lab = MathTex(r"u = g(x)", font_size=style.SMALL, color=style.MUTED)
        arr = Arrow(LEFT * 0.9, RIGHT * 0.9, buff=0, color=style.MUTED, stroke_width=4)
        lab.next_to(arr, UP, buff=0.1)
        dfx_lab = MathTex(r"Df(g(x)) =", font_size=B)
        dfx_mat = _symmat(self.Df_in_x)
        dfx = _row(dfx_lab, dfx_mat)
        line1 = _row(dfu, VGroup(arr, lab), dfx, buff=0.35)

        lhs = MathTex(r"Dh(x) = Df(g(x))\,Dg(x) =", font_size=B)
        m1, m2 = _symmat(self.Df_in_x), _symmat(self.Dg_sym)
        eq = MathTex(r"=", font_size=B)
        res = _symmat(self.Dh_sym)
        prod = _row(m1, m2, buff=0.1)
        one_line = _row(lhs, prod, eq, res)
        if one_line.width <= style.safe_width():
            line2 = one_line
        else:
            top = _row(lhs, prod)
            bot = _row(eq, res)
            bot.next_to(top, DOWN, buff=0.35)
            bot.align_to(prod, LEFT).shift(LEFT * (eq.width + 0.2))
            line2 = VGroup(top, bot)
        note = MathTex(r"h = f\circ g", font_size=style.SMALL, color=style.MUTED)
        whole = VGroup(line1, line2).arrange(DOWN, buff=0.6)
        _place(whole, TOP - 0.1, BOTTOM + 0.6)
        note.next_to(whole, DOWN, buff=0.3)
        self.play(FadeIn(dfu), run_time=0.7)
        self.play(GrowArrow(arr), FadeIn(lab), run_time=0.6)
        self.play(TransformFromCopy(dfu[1], dfx_mat), FadeIn(dfx_lab), run_time=1.0)
        self.wait(0.6)
        self.play(FadeIn(lhs), FadeIn(note), run_time=0.6)
        self.play(TransformFromCopy(dfx_mat, m1), TransformFromCopy(self.dg_block[0][1], m2),
                  run_time=1.0)
        self.play(FadeIn(eq), Write(res), run_time=1.0)
        self.dh_res = res
        self.wait(1.0)

    # -- beat 5 -------------------------------------------------------------------
    def evaluate_at_point(self):
        x0, u0, J = self.x0, self.u0, self.Dh0
        if self.p == 1:
            grad = f"so grad h = {plain_vec(J[0])}."
        else:
            grad = "and row i is the gradient of h_i, sideways: " + ", ".join(
                f"grad h{i + 1} = {plain_vec(J[i])}" for i in range(self.p)) + "."
        self.beat("at-point",
                  f"At x = {plain_vec(x0)}, u = g(x) = {plain_vec(u0)}: Dh = Df(u) Dg(x) = "
                  f"{_txt_mat(self.Df0)} times {_txt_mat(self.Dg0)} = {_txt_mat(J)}, " + grad)
        keep = self.dh_res
        old = [mo for mo in self.mobjects if mo not in (self.title_mob, keep)]
        self.play(*[FadeOut(mo) for mo in old], run_time=0.5)
        self._title(r"At the point")
        B, PT = style.BODY, style.POINT
        sym = _row(MathTex(r"Dh(x) =", font_size=B), keep.copy())
        where = MathTex(r"x = ", style.tex_vec(x0), r",\qquad u = g(x) = ", style.tex_vec(u0),
                        font_size=B)
        where[1].set_color(PT)
        where[3].set_color(PT)
        lhs = MathTex(rf"Dh{_paren(x0)} = Df{_paren(u0)}\,Dg{_paren(x0)} =", font_size=B)
        m1, m2 = _nummat(self.Df0), _nummat(self.Dg0)
        res = _nummat(J, color=PT)
        num_line = _row(lhs, _row(m1, m2, buff=0.1), MathTex("=", font_size=B), res)

        BW = style.BACKWARD
        if self.p == 1:
            gl = _row(MathTex(r"\nabla h = Dh^{T} =", font_size=B),
                      _nummat(J.T, color=BW))
        else:
            gl = VGroup(*[
                _row(MathTex(rf"\nabla h_{{{i + 1}}} =", font_size=B),
                     _nummat(J[i].reshape(-1, 1), color=BW))
                for i in range(self.p)]).arrange(RIGHT, buff=0.8)
            gnote = Tex(r"row $i$ of $Dh$ is $\nabla h_i$, sideways", font_size=style.SMALL,
                        color=style.MUTED)
            gl = VGroup(gl, gnote).arrange(DOWN, buff=0.25)
        whole = VGroup(sym, where, num_line, gl).arrange(DOWN, buff=0.45)
        _place(whole, TOP - 0.05, BOTTOM)
        self.play(Transform(keep, sym[1]), FadeIn(sym[0]), run_time=0.8)
        self.add(sym)
        self.remove(keep)
        self.play(FadeIn(where), run_time=0.7)
        self.play(FadeIn(lhs), FadeIn(m1), FadeIn(m2), run_time=0.8)
        self.play(FadeIn(num_line[2]), Write(res), run_time=0.8)
        self.play(Indicate(res, color=PT), run_time=0.7)
        self.play(FadeIn(gl), run_time=0.8)
        self.wait(1.0)

    # -- beat 6 -------------------------------------------------------------------
    def _small_header(self):
        Gs, Fs = self.Gs, self.Fs
        defs = VGroup(
            MathTex(rf"g({_args(Gs)}) = {_expr_tuple(Gs.outputs)}", font_size=style.BODY),
            MathTex(rf"f({_args(Fs)}) = {_expr_tuple(Fs.outputs)}", font_size=style.BODY),
        ).arrange(RIGHT, buff=1.2)
        return defs

    def compose_first(self):
        Gs = self.Gs
        at = _at_txt(Gs, self.xs)
        self.beat("compose-first",
                  f"Small check, compose first: (f o g)({_sargs_txt(Gs)}) = "
                  f"{', '.join(_txt_expr(e) for e in self.hs_expr)}; its derivative "
                  f"{_txt_sym_mat(self.dhs_sym)} is {_txt_mat(self.dhs_composed)} at {at}.")
        self._clear()
        self._title(r"Small check: two ways, one answer")
        header = self._small_header()
        _place(header, TOP, TOP - 0.6)

        pw = (style.safe_width() - 0.4) / 2
        ph = 4.4
        left = style.panel(pw, ph, r"\text{compose, then differentiate}")
        right = style.panel(pw, ph, r"\text{multiply Jacobians}")
        panels = VGroup(left, right).arrange(RIGHT, buff=0.4, aligned_edge=UP)
        panels.next_to(header, DOWN, buff=0.35)
        self.small_panels = panels
        B, PT = style.BODY, style.POINT
        arg = _args(Gs)
        h_line = MathTex(rf"(f\circ g)({arg}) = {_expr_tuple(self.hs_expr)}", font_size=B)
        if self.dhs_sym.shape == (1, 1):
            d_line = MathTex(rf"\frac{{d}}{{d{arg}}}(f\circ g) = {_lat(self.dhs_sym[0, 0])}",
                             font_size=B)
        else:
            d_line = _row(MathTex(rf"D(f\circ g)({arg}) =", font_size=B), _symmat(self.dhs_sym))
        at_line = _row(MathTex(rf"\text{{at }} {_at_tex(Gs, self.xs)}\colon", font_size=B),
                       _scal_or_mat(self.dhs_composed, PT))
        content = VGroup(h_line, d_line, at_line).arrange(DOWN, buff=0.5)
        style.fit(content, pw - 0.4, ph - 0.4)
        content.move_to(left[0])
        self.left_answer = at_line[1]
        self.play(FadeIn(header), run_time=0.7)
        self.play(FadeIn(left), FadeIn(right), run_time=0.6)
        self.play(Write(h_line), run_time=0.9)
        self.play(Write(d_line), run_time=0.9)
        self.play(FadeIn(at_line), run_time=0.7)
        self.wait(1.2)

    # -- beat 7 -------------------------------------------------------------------
    def multiply_jacobians(self):
        Gs, trs = self.Gs, self.trs
        Dg0, Df0 = trs.jacobians
        at = _at_txt(Gs, self.xs)
        same = "the same" if self.small_equal else "NOT the same"
        self.beat("multiply-jacobians",
                  f"Multiply Jacobians: at {at}, Df(g) Dg = {_txt_mat(Df0)} times {_txt_mat(Dg0)} "
                  f"= {_txt_mat(self.dhs_product)}, {same} as composing first "
                  f"({_txt_mat(self.dhs_composed)}).")
        B, PT = style.BODY, style.POINT
        arg = _args(Gs)
        pw = self.small_panels[1][0].width
        ph = self.small_panels[1][0].height
        df_in_x = trs.jacobians_symbolic_in_x[1]
        dg_sym = trs.jacobians_symbolic[0]
        sym_prod = df_in_x * dg_sym
        l1 = _row(MathTex(rf"Df(g({arg}))\,Dg({arg}) =", font_size=B),
                  _row(_symmat(df_in_x), _symmat(dg_sym), buff=0.1))
        l2 = _row(MathTex("=", font_size=B), _scal_or_sym(sym_prod))
        l3 = _row(MathTex(rf"\text{{at }} {_at_tex(Gs, self.xs)}\colon", font_size=B),
                  _row(_row(_nummat(Df0), _nummat(Dg0), buff=0.1), MathTex("=", font_size=B),
                       _scal_or_mat(self.dhs_product, PT)))
        for line in (l1, l3):  # wrap after the label if the line is too wide for the panel
            if line.width > pw - 0.4:
                line.arrange(DOWN, buff=0.2)
        content = VGroup(l1, l2, l3).arrange(DOWN, buff=0.45)
        style.fit(content, pw - 0.4, ph - 0.4)
        content.move_to(self.small_panels[1][0])
        right_answer = l3[1][2]

        eq_sym = r"=" if self.small_equal else r"\neq"
        mark = (MathTex(r"\checkmark", font_size=style.TITLE, color=PT) if self.small_equal
                else _xmark())
        verdict = _row(_scal_or_mat(self.dhs_composed, PT),
                       MathTex(eq_sym, font_size=style.TITLE,
                               color=PT if self.small_equal else style.WARN),
                       _scal_or_mat(self.dhs_product, PT), mark, buff=0.35)
        _place(verdict, self.small_panels.get_bottom()[1] - 0.15, BOTTOM)
        self.play(Write(l1), run_time=1.0)
        self.play(FadeIn(l2), run_time=0.7)
        self.play(FadeIn(l3), run_time=0.8)
        self.play(TransformFromCopy(self.left_answer, verdict[0]),
                  TransformFromCopy(right_answer, verdict[2]), run_time=1.0)
        self.play(FadeIn(verdict[1]), FadeIn(verdict[3]), run_time=0.6)
        self.wait(1.0)


# -- small-check helpers ---------------------------------------------------------
def _paren(v) -> str:
    vals = [style.num(x) for x in np.ravel(v)]
    return "(" + ", ".join(vals) + ")"


def _sargs_txt(mp: Map) -> str:
    return ", ".join(str(s) for s in mp.inputs)


def _at_txt(mp: Map, v) -> str:
    """'x = 1' or '(x1, x2) = (1, 2)' for a caption."""
    return f"{_sargs_txt(mp) if mp.n == 1 else '(' + _sargs_txt(mp) + ')'} = {plain_vec(v)}"


def _at_tex(mp: Map, v) -> str:
    return f"{_args(mp) if mp.n == 1 else '(' + _args(mp) + ')'} = {style.tex_vec(v)}"


def _scal_or_mat(A, color):
    A = np.atleast_2d(np.asarray(A, dtype=float))
    if A.size == 1:
        return MathTex(style.num(A[0, 0]), font_size=style.BODY, color=color)
    return _nummat(A, color=color)


def _scal_or_sym(M: sympy.Matrix):
    if M.shape == (1, 1):
        return MathTex(_lat(M[0, 0]), font_size=style.BODY)
    return _symmat(M)


def _txt_sym_mat(M: sympy.Matrix) -> str:
    if M.shape == (1, 1):
        return _txt_expr(M[0, 0])
    return "[" + ", ".join("[" + ", ".join(_txt_expr(e) for e in row) + "]"
                           for row in M.tolist()) + "]"

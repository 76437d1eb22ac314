"""§4, §8, §9: the Jacobian of a composition is the product of the Jacobians, outer
map on the left, and the shapes force the order: D(f_k o ... o f_1) = Df_k ... Df_1.

Beats: the chain (``g``, ``f``, or 2 to 6 ``maps``) and its shape table; each
Jacobian; the one order whose shapes fit, inner sizes that cancel marked; the
Jacobians in x and their product; the product at the point; a small check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
import sympy
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, GrowArrow, Indicate, MathTex, \
    TransformFromCopy, VGroup, Write

from jacviz import Chain, Map, Trace
from jacviz.core.fmt import compare
from jacviz.core.spoken import join_words, say_int, say_matrix, say_name, say_shape, say_vec
from jacviz.kit import (ChainStrip, ColoredTex, JacobianMatrix, JacvizScene, SceneParams, param,
                        plain_expr, plain_mat, plain_vec, style, tex_name, tex_tuple, tex_vec)
from jacviz.kit.compgraph import space_tex
from jacviz.kit.matrix import (MatrixProduct, ShapeProduct, ShapeTable, composite_tex,
                               legible_matrix, shape_letters)

TOP, BOTTOM = 2.85, style.CONTENT_BOTTOM
H, I, M, P, WN, B = style.HIGHLIGHT, style.INK, style.MUTED, style.POINT, style.WARN, style.BACKWARD


def _short(e):
    """The shortest of e, simplify(e), expand(e) (display only; small expressions)."""
    e = sympy.sympify(e, strict=True)
    if sympy.count_ops(e) > 40:
        return e
    return min([e, sympy.simplify(e), sympy.expand(e)], key=lambda c: len(sympy.latex(c)))


@dataclass(frozen=True, eq=False)
class CompositionNumbers:
    """What the composition scene draws: the chain's factors, symbolic and at x0."""

    chain: Chain
    tr: Trace
    dims: tuple
    k: int
    x0: np.ndarray
    in_x: list
    product: sympy.Matrix
    own: list
    small: Chain
    trs: Trace
    hs: list
    xs: list
    dhs_composed: np.ndarray
    dhs_sym: sympy.Matrix
    dhs_prod: sympy.Matrix
    dhs_factors: list
    equal: bool


@dataclass(frozen=True)
class CompositionParams(SceneParams):
    maps: tuple = param((), "a chain of 2 to 6 maps, ';' between them (instead of g and f)",
                        kind="maps")
    g: str = param("(x1, x2) -> (x1^2 + x2, x1*x2)", "the inner map g: x -> u", kind="map")
    f: str = param("(u1, u2) -> u1 + u2^2", "the outer map f: u -> y", kind="map")
    point: tuple = param((1.0, 2.0), "the point x where the Jacobian is evaluated", kind="vector")
    g_small: str = param("x -> (x, x^2)", "the inner map of the small check", kind="map")
    f_small: str = param("(u, v) -> u + v", "the outer map of the small check", kind="map")
    at_small: tuple = param((1.0,), "the point of the small check", kind="vector")
    _none = ()  # no maps: chain_of reads the small check from g_small, f_small

    def build(self):
        chain = self.chain_of()
        small = self.chain_of("_none", ("g_small", "f_small"), at="at_small")
        tr, trs = chain.trace(self.point), small.trace(self.at_small)
        (factors, product), (sfac, sprod) = chain.product_symbolic(), small.product_symbolic()
        hs, xs = small.composed_symbolic[-1], np.asarray(self.at_small, dtype=float)
        composed = Map.from_exprs(small.maps[0].inputs, hs, name="h").jacobian(xs)
        return CompositionNumbers(
            chain=chain, tr=tr, dims=chain.dims, k=len(chain), x0=tr.points[0],
            in_x=[F.applyfunc(_short) for F in factors], product=product.applyfunc(_short),
            own=[mp.jacobian_symbolic.applyfunc(_short) for mp in chain.maps],
            small=small, trs=trs, hs=[_short(e) for e in hs], xs=xs, dhs_composed=composed,
            dhs_sym=small.jacobian_symbolic.applyfunc(_short), dhs_prod=sprod.applyfunc(_short),
            dhs_factors=[F.applyfunc(_short) for F in sfac],
            equal=bool(np.allclose(composed, trs.jacobian, rtol=1e-9, atol=1e-12)))


class Composition(JacvizScene):
    Params = CompositionParams
    EXAMPLE = {"maps": "(x1, x2) -> (x1*x2, x1 + x2, x2^2); (u1, u2, u3) -> (u1 - u3, u2*u3); "
                       "(v1, v2) -> (v1^2, v1*v2); (w1, w2) -> w1 + 3*w2", "point": "1,2"}

    def construct(self):
        maps = self.n.chain.maps
        self.names = [tex_name(mp.name) for mp in maps]  # inner first
        self.spaces = [space_tex(s) for s in self.n.chain.space_names]
        self.h = composite_tex(self.names[::-1])
        self.h_txt = " o ".join(mp.name for mp in maps[::-1])
        self.show_chain()
        self.show_jacobians()
        self.multiply_in_order()
        self.substitute()
        self.evaluate_at_point()
        self.compose_first()
        self.multiply_jacobians()

    def _band(self, mob, top=TOP, bottom=BOTTOM):
        return style.place_in_band(mob, top, bottom)

    # -- beat: the chain and its shape table -------------------------------------------
    def show_chain(self):
        n, d, sp = self.n, self.n.dims, self.spaces
        self.beat("chain", "; ".join(f"{mp.name}: R^{mp.n} -> R^{mp.m}, D{mp.name} is {mp.m} x "
                                     f"{mp.n}" for mp in n.chain.maps) + f"; so D({self.h_txt}) "
                  f"is {d[-1]} x {d[0]}: one row per output, one column per input.",
                  say=say_chain(self))
        self.set_title(rf"Composition: ${sp[-1]} = ({self.h})({sp[0]})$" if n.k > 2 else
                       rf"Composition: ${sp[2]} = {self.names[1]}({self.names[0]}({sp[0]}))$")
        strip = ChainStrip(sp, self.names, dims=d, width=style.safe_width())
        defs = MatrixProduct([MathTex(rf"{nm}({', '.join(tex_name(s) for s in mp.input_names)}) = "
                                      rf"{tex_tuple(mp.outputs)}", font_size=style.SMALL, color=M)
                              for nm, mp in zip(self.names, n.chain.maps)],
                             width=style.safe_width(), gap=0.8, indent=0)
        table = ShapeTable(n.chain)
        whole = VGroup(strip, defs, table).arrange(DOWN, buff=0.45)
        if whole.height > TOP - BOTTOM:
            whole = VGroup(strip, table).arrange(DOWN, buff=0.5)
        self._band(whole)
        self.play(FadeIn(strip.space_mobs), *map(GrowArrow, strip.arrow_mobs), run_time=1.0)
        self.play(FadeIn(strip.map_labels), *([FadeIn(defs)] if defs in whole else []),
                  run_time=0.6)
        self.play(FadeIn(table), run_time=1.0)
        self.wait(1.0)

    # -- beat: each map's Jacobian ---------------------------------------------------------
    def show_jacobians(self):
        n, d, L = self.n, self.n.dims, shape_letters(self.n.k)
        self.beat("jacobians", "One row per output, one column per input: " + ", ".join(
            f"D{mp.name} is {mp.m} x {mp.n}" for mp in n.chain.maps) + ".", say=say_jacobians(n))
        self.clear_except(self.title_mob)
        self.set_title(r"Each map's Jacobian, and its shape")
        slot = (style.safe_width() - 0.8 * (min(n.k, 3) - 1)) / min(n.k, 3)
        items = []
        for i, nm in enumerate(self.names):
            mat = legible_matrix(n.own[i], n.tr.jacobians[i], label=rf"D{nm}", width=slot - 1.4,
                                 height=1.6, font_size=style.SMALL)
            eq = VGroup(MathTex(rf"D{nm}({self.spaces[i]}) =", font_size=style.SMALL), mat)
            item = VGroup(eq.arrange(RIGHT, buff=0.15), ColoredTex(
                (rf"{L[i + 1]}\times {L[i]} = ", M), (rf"{d[i + 1]}\times {d[i]}", H)))
            if mat.kind != "symbolic":
                item.add(MathTex(rf"\text{{at }} {self.spaces[i]} = {tex_vec(n.tr.points[i])}",
                                 font_size=style.TINY, color=M))
            items.append(style.fit(item.arrange(DOWN, buff=0.15), style.safe_width()))
        self._band(MatrixProduct(items, width=style.safe_width(), gap=0.8, indent=0))
        for it in items:
            self.play(FadeIn(it[0]), Write(it[1:]), run_time=0.5 if n.k > 2 else 0.8)
        self.wait(1.0)

    # -- beat: the one order whose shapes fit ------------------------------------------------
    def multiply_in_order(self):
        n, d, k = self.n, self.n.dims, self.n.k
        good, bad = list(range(k))[::-1], list(range(k))
        gp = ShapeProduct(d, good, [rf"D{self.names[s]}" for s in good])
        bp = ShapeProduct(d, bad, [rf"D{self.names[s]}" for s in bad])
        other = ("does not compose: " + ", ".join(f"{a} is not {b}" for a, b in bp.mismatches)
                 if bp.mismatches else "has shapes that fit, but applies the maps wrongly")
        self.beat("order", f"{' '.join('D' + n.chain.maps[s].name for s in good)}: every inner "
                  f"size cancels with its neighbour, leaving {d[-1]} x {d[0]}; the reverse order "
                  f"{' '.join('D' + n.chain.maps[s].name for s in bad)} {other}.",
                  say=say_order(n, bp))
        self.clear_except(self.title_mob)
        self.set_title(rf"Shapes force the order: $D({self.h}) = "
                       + r"\,".join(rf"D{self.names[s]}" for s in good) + "$")
        note = MathTex(r"\text{inner sizes cancel: }" + r",\ ".join(
            f"{d[s]} = {d[s]}" for s in range(1, k)), font_size=style.BODY, color=H)
        why = MathTex(r"\text{does not compose: }" + r",\ ".join(
            rf"{a}\neq {b}" for a, b in bp.mismatches) if bp.mismatches else
            r"\text{shapes fit, but the maps apply in the wrong order}",
            font_size=style.BODY, color=WN)
        top = VGroup(gp, note.next_to(gp, DOWN, buff=0.45))
        low = VGroup(bp, why.next_to(bp, DOWN, buff=0.3))
        self._band(VGroup(top, low).arrange(DOWN, buff=0.9))
        self.play(FadeIn(gp.names), Write(gp.line), run_time=1.0)
        self.play(Create(gp.arcs), FadeIn(note), FadeIn(gp.result), run_time=1.0)
        self.play(FadeIn(bp.names), Write(bp.line), run_time=0.8)
        self.play(Create(bp.result), FadeIn(why), run_time=0.7)
        self.wait(1.0)

    # -- beat: in terms of x, then the product -----------------------------------------------
    def substitute(self):
        n, sp, nm, W = self.n, self.spaces, self.names, style.safe_width()
        facs = [legible_matrix(F, width=3.2, height=2, font_size=style.BODY, label=rf"D{s}")
                for F, s in zip(n.in_x[::-1], nm[::-1])]
        res = legible_matrix(n.product, width=W - 1, height=2, font_size=style.BODY,
                             label=rf"D({self.h})")
        self.beat("substitute", f"Each Jacobian is evaluated where its map is applied, so the "
                  f"earlier maps are substituted into it; the product, outer map on the left, is "
                  f"D({self.h_txt}), {n.dims[-1]} x {n.dims[0]}" + (": " + ", ".join(
                      plain_expr(e) for e in n.product) + "." if res.kind == "symbolic" else "."),
                      say=say_substitute(self))
        self.clear_except(self.title_mob)
        self.set_title(rf"Write each Jacobian in ${sp[0]}$, then multiply")
        nest = reduce(lambda inner_x, s: f"{s}({inner_x})", nm[:-1], sp[0])
        own, sub = (legible_matrix(Mx, width=4, height=1.8, font_size=style.BODY)
                    for Mx in (n.own[-1], n.in_x[-1]))
        arrow = VGroup(style.map_arrow(LEFT * 0.8, RIGHT * 0.8, stroke_width=4))
        arrow.add(MathTex(rf"{sp[-2]} = {composite_tex(nm[-2::-1])}({sp[0]})",
                          font_size=style.TINY, color=M).next_to(arrow, UP, buff=0.1))
        line1 = VGroup(MathTex(rf"D{nm[-1]}({sp[-2]}) =", font_size=style.BODY), own, arrow,
                       MathTex(rf"D{nm[-1]}({nest}) =", font_size=style.BODY), sub)
        line1.arrange(RIGHT, buff=0.25)
        line2 = MatrixProduct(facs, res, lhs=MathTex(rf"D({self.h})({sp[0]}) =",
                                                       font_size=style.BODY), width=W)
        parts = ([line1] if line1.width <= W and own.kind != "block" else []) + [line2]
        if res.kind == "block":  # a line of its own: read at the size of the other notes
            parts.append(MathTex(r"\text{entries too long to read here: the numbers at the "
                                 r"point come next}", font_size=style.SMALL, color=M))
        self._band(VGroup(*parts).arrange(DOWN, buff=0.6))
        for p in parts:
            self.play(FadeIn(p), run_time=1.0)
        self.play(Indicate(res, color=H), run_time=0.8)
        self.wait(1.0)

    # -- beat: at the point --------------------------------------------------------------
    def evaluate_at_point(self):
        n, tr, sp = self.n, self.n.tr, self.spaces
        J = tr.jacobian
        outs = n.chain.output_names
        grads = (f"so grad {outs[0]} = " + plain_vec(J[0]) if len(J) == 1 else
                 f"row i is grad {outs[0][:-1]}i, sideways: " + ", ".join(
                     f"grad {o} = {plain_vec(r)}" for o, r in zip(outs, J)))
        self.beat("at-point", f"At {sp[0]} = {plain_vec(n.x0)}: " + ", ".join(
            f"{mp.name} at {plain_vec(p)} has D{mp.name} = {plain_mat(Jk)}" for mp, p, Jk in
            zip(n.chain.maps, tr.points, tr.jacobians)) + f"; their product is {plain_mat(J)}, "
            + grads + ".", say=say_at_point(n))
        self.clear_except(self.title_mob)
        self.set_title(r"At the point")
        W = style.safe_width()
        pts = MatrixProduct([ColoredTex((f"{s} = ", I), (tex_vec(p), P)) for s, p in
                             zip(sp, tr.points)], width=W, gap=0.5, indent=0)
        facs = [JacobianMatrix.numeric(Jk, font_size=style.SMALL) for Jk in tr.jacobians[::-1]]
        res = JacobianMatrix.numeric(J, font_size=style.SMALL, color=P)
        prod = MatrixProduct(facs, res, width=W, labels=[rf"D{s}" for s in self.names[::-1]],
                             lhs=MathTex(rf"D({self.h}){tex_vec(n.x0)} =", font_size=style.SMALL))
        names = [tex_name(o) for o in outs]
        grad = VGroup(*[VGroup(MathTex(rf"\nabla {names[0]} = D({self.h})^{{T}} =" if len(J) == 1
                                       else rf"\nabla {o} =", font_size=style.SMALL),
                               JacobianMatrix.column_vector(r, font_size=style.SMALL, color=B))
                        .arrange(RIGHT, buff=0.15) for o, r in zip(names, J)])
        if len(J) > 1:
            grad.add(MathTex(rf"\text{{row }} i \text{{ of }} D({self.h}) \text{{ is }} "
                             rf"\nabla {tex_name(outs[0][:-1])}_i,\text{{ sideways}}",
                             font_size=style.TINY, color=M))
        grad.arrange(RIGHT, buff=0.5)
        self._band(VGroup(pts, prod, grad).arrange(DOWN, buff=0.45))
        self.play(FadeIn(pts), FadeIn(prod), run_time=1.2)
        self.play(Indicate(res, color=P), FadeIn(grad), run_time=1.0)
        self.wait(1.0)

    # -- beats: a small check, two ways --------------------------------------------------
    def _at_small(self) -> str:
        names = [tex_name(v) for v in self.n.small.maps[0].input_names]
        lhs = names[0] if len(names) == 1 else r"\left(" + ", ".join(names) + r"\right)"
        return rf"\text{{at }} {lhs} = {tex_vec(self.n.xs)}\colon"

    def compose_first(self):
        n = self.n
        arg = ", ".join(tex_name(v) for v in n.small.maps[0].input_names)
        self.beat("compose-first", f"Small check, compose first: (f o g) = "
                  f"{', '.join(plain_expr(e) for e in n.hs)}; its derivative at "
                  f"{plain_vec(n.xs)} is {plain_mat(n.dhs_composed)}.", say=say_compose_first(n))
        self.clear_except(self.title_mob)
        self.set_title(r"Small check: two ways, one answer")
        header = self._band(VGroup(*[MathTex(
            rf"{nm}({', '.join(tex_name(v) for v in mp.input_names)}) = {tex_tuple(mp.outputs)}",
            font_size=style.BODY) for nm, mp in zip("gf", n.small.maps)]).arrange(RIGHT, buff=1.2),
            TOP, TOP - 0.6)
        pw = (style.safe_width() - 0.4) / 2
        self.panels = VGroup(*[style.panel(pw, 4.4, rf"\text{{{t}}}") for t in (
            "compose, then differentiate", "multiply Jacobians")]).arrange(RIGHT, buff=0.4)
        self.panels.next_to(header, DOWN, buff=0.35)
        left = self.panels[0]
        lines = VGroup(
            MathTex(rf"(f\circ g)({arg}) = {tex_tuple(n.hs)}", font_size=style.BODY),
            VGroup(MathTex(rf"D(f\circ g)({arg}) =", font_size=style.BODY),
                   JacobianMatrix.symbolic(n.dhs_sym)).arrange(RIGHT, buff=0.15),
            VGroup(MathTex(self._at_small(), font_size=style.BODY),
                   JacobianMatrix.numeric(n.dhs_composed, color=P)).arrange(RIGHT, buff=0.15))
        style.fit(lines.arrange(DOWN, buff=0.5), pw - 0.4, 4.0).move_to(left[0])
        self.left_answer = lines[2][1]
        self.play(FadeIn(header), FadeIn(self.panels), run_time=0.8)
        for ln in lines:
            self.play(FadeIn(ln), run_time=0.7)
        self.wait(1.0)

    def multiply_jacobians(self):
        n, trs, equal = self.n, self.n.trs, self.n.equal
        # the comparison rule (jacviz.core.fmt.compare): equal, printed alike; not, apart
        cmp = compare(n.dhs_composed, trs.jacobian, equal)
        right = n.dhs_composed if equal else trs.jacobian
        arg = ", ".join(tex_name(v) for v in n.small.maps[0].input_names)
        self.beat("multiply-jacobians", f"Multiply Jacobians: at {plain_vec(n.xs)}, "
                  f"{plain_mat(trs.jacobians[1])} times {plain_mat(trs.jacobians[0])} = "
                  f"{plain_mat(right, cmp.digits)}, {'the same' if equal else 'NOT the same'} as "
                  f"composing first ({plain_mat(n.dhs_composed, cmp.digits)})"
                  + (f", {cmp.note}" if cmp.note else "") + ".", say=say_multiply(n))
        pw = self.panels[1][0].width
        num = [JacobianMatrix.numeric(Jk) for Jk in trs.jacobians[::-1]]
        ans = JacobianMatrix.numeric(trs.jacobian, color=P)
        lines = VGroup(
            MatrixProduct([JacobianMatrix.symbolic(F) for F in n.dhs_factors[::-1]],
                          JacobianMatrix.symbolic(n.dhs_prod), width=pw - 0.4, gap=0.1,
                          lhs=MathTex(rf"Df(g({arg}))\,Dg({arg}) =", font_size=style.BODY)),
            MatrixProduct(num, ans, width=pw - 0.4, gap=0.1,
                          lhs=MathTex(self._at_small(), font_size=style.BODY)))
        style.fit(lines.arrange(DOWN, buff=0.5), pw - 0.4, 4.0).move_to(self.panels[1][0])
        verdict = VGroup(JacobianMatrix.numeric(n.dhs_composed, cmp.digits, color=P),
                         MathTex("=" if equal else r"\neq" if cmp.by is None else r"\approx",
                                 font_size=style.TITLE, color=P if equal else WN),
                         JacobianMatrix.numeric(right, cmp.digits, color=P),
                         MathTex(r"\checkmark", font_size=style.TITLE, color=P) if equal
                         else style.xmark()).arrange(RIGHT, buff=0.35)
        self._band(verdict, self.panels.get_bottom()[1] - 0.15, BOTTOM)
        for ln in lines:
            self.play(FadeIn(ln), run_time=0.8)
        self.play(TransformFromCopy(self.left_answer, verdict[0]),
                  TransformFromCopy(ans, verdict[2]), run_time=1.0)
        self.play(FadeIn(verdict[1]), FadeIn(verdict[3]), run_time=0.6)
        self.wait(1.0)


# -- narration: what each beat says, read from the chain's numbers -------------------------
def _h(maps) -> str:
    return say_name(" o ".join(mp.name for mp in maps[::-1]))


def _mat(A) -> str:
    """A row as 'the row ...', a column as 'the column ...', else row by row."""
    rows, cols = len(A), len(A[0])
    if rows == 1 and cols == 1:
        return say_vec(A)
    if rows == 1 or cols == 1:
        return f"the {'row' if rows == 1 else 'column'} {say_vec(A)}"
    return say_matrix(A)


def say_chain(scene) -> str:
    n = scene.n
    return (f"So far, one map at a time. Now we chain {say_int(n.k)} maps, inner map first, "
            f"and ask for the Jacobian of {_h(n.chain.maps)}. The input has "
            f"{say_int(n.dims[0])} coordinates and the output {say_int(n.dims[-1])}, so that "
            f"Jacobian is {say_shape(n.dims[-1], n.dims[0])}.")


def say_jacobians(n) -> str:
    shapes = (join_words(f"the Jacobian of {say_name(mp.name)} is {say_shape(mp.m, mp.n)}"
                         for mp in n.chain.maps) if n.k <= 2 else "the shapes are, inner map "
              "first, " + join_words(say_shape(mp.m, mp.n) for mp in n.chain.maps))
    return (f"Each map has its own Jacobian, with one row per output and one column per input. "
            f"Here {shapes}. Write the shapes down before any number.")


def say_order(n, bp) -> str:
    outer = say_name(n.chain.maps[-1].name)
    verdict = ("In the other order the shapes do not fit: the product does not compose." if
               bp.mismatches else "The other order has shapes that fit, but it applies the "
               "maps in the wrong order.")
    return (f"Multiply them outer map first, the Jacobian of {outer} on the left. Every inner "
            f"size cancels with its neighbour, leaving {say_shape(n.dims[-1], n.dims[0])}. "
            f"{verdict}")


def say_substitute(scene) -> str:
    return (f"Each Jacobian is evaluated where its map is applied, so the earlier maps are "
            f"substituted into it. Then the product, outer map on the left, is the Jacobian of "
            f"{_h(scene.n.chain.maps)}, written in the input variables.")


def say_at_point(n) -> str:
    J = n.tr.jacobian
    return (f"Now at the point {say_vec(n.x0)}: each Jacobian is taken at its own map's point. "
            f"Their product is {_mat(J)}."
            + (" Written as a column, that row is the gradient." if len(J) == 1 else ""))


def say_compose_first(n) -> str:
    return (f"A small check, two ways. First compose the maps, then differentiate: at "
            f"{say_vec(n.xs)}, the derivative of f after g is {_mat(n.dhs_composed)}.")


def say_multiply(n) -> str:
    trs = n.trs
    same = "the same answer" if n.equal else "not the same answer, which would be a mistake"
    product = n.dhs_composed if n.equal else trs.jacobian  # shown equal: read alike
    return (f"Now multiply the Jacobians instead: {_mat(trs.jacobians[1])}, times "
            f"{_mat(trs.jacobians[0])}, gives {_mat(product)}. That is {same}. "
            f"Jacobians multiply, and the shapes force the order.")

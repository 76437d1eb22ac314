"""curve-dzdt: dz/dt for z = f(x, y) along a curve (x, y) = r(t), as grad f . r'(t).

The answer comes from :func:`jacviz.core.curves.chain_along_curve`; angles such
as t = pi/4 put nice multiples of sqrt(2) or sqrt(3) in the steps (the
tolerance is TOL_SURD), and an answer of 0 (a curve on a level set) is kept
now and then.
"""

from __future__ import annotations

import random

import numpy as np
import sympy

from ..curves import Curve, chain_along_curve
from ..fmt import plain_expr, signed_sum, tex_tuple
from ..maps import Map
from .base import TOL_SURD, Book, Generator, answer_fields, json_params
from .board import col, step, tx
from .exact import (agree, exact_at, paren_tex, paren_text, point_tex, simp, tex_of, text_of,
                    vec_text)
from .typed import SMALL, coef_term, component, map_text, rhs_of, show_tex


_ANGLES = (0, sympy.pi / 6, sympy.pi / 4, sympy.pi / 3, sympy.pi / 2, 2 * sympy.pi / 3,
           3 * sympy.pi / 4, sympy.pi)


def _lin(a: int, body: str, b: int) -> str:
    terms = [coef_term(a, body)]
    if b:
        terms.append(str(b))
    return signed_sum(terms)


def _draw_curve(rng: random.Random) -> dict:
    f = map_text(["x", "y"], [component(rng, ["x", "y"], use=["x", "y"])])  # both matter
    family = rng.choice(("line", "parabola", "parabola", "trig", "trig"))
    if family == "trig":
        R, S = rng.choice((1, 1, 2, 3)), rng.choice((1, 1, 2, 3))
        comps = [coef_term(R, "cos(t)"), coef_term(S, "sin(t)")]
        t0 = rng.choice(_ANGLES)
    else:
        a, c = rng.choice(SMALL), rng.choice(SMALL)
        b, d = rng.choice((-1, 0, 0, 1, 2)), rng.choice((-1, 0, 0, 1, 2))
        second = "t^2" if family == "parabola" else "t"
        comps = [_lin(a, "t", b), _lin(c, second, d)]
        if rng.random() < 0.5:
            comps.reverse()
        t0 = rng.choice((-2, -1, 0, 1, 1, 2))
    return {"f": f, "r": map_text(["t"], comps), "t": sympy.sympify(t0, strict=True)}


def _build_curve(p: dict, book: Book) -> dict:
    f = Map(p["f"], name="f")
    r = Curve(Map(p["r"], name="r"))
    t0 = sympy.sympify(p["t"], strict=True)
    along = chain_along_curve(f, r, float(t0))
    tsym = r.map.inputs[0]
    pt = [simp(o.subs(tsym, t0)) for o in r.map.outputs]
    vel_sym = r.map.jacobian_symbolic[:, 0]
    vel = exact_at(vel_sym, {tsym: t0})
    grad_sym = f.jacobian_symbolic.T
    grad = exact_at(grad_sym, dict(zip(f.inputs, pt)))
    terms = [simp(a * b) for a, b in zip(grad, vel)]
    dz = simp(sum(terms))
    agree(along.point, pt, "r(t)")
    agree(along.tangent, vel, "r'(t)")
    agree(along.gradient, grad, "grad f")
    agree(np.array([along.dzdt]), [dz], "dz/dt")
    book.shown(pt, list(vel), list(grad), terms)
    t_text, t_tex = text_of(t0), tex_of(t0)
    fr = rhs_of(p["f"])
    q = (f"Let z = f(x, y) = {fr}, where (x, y) = r(t) = {rhs_of(p['r'])}. "
         f"Compute dz/dt at t = {t_text}.")
    qt = (f"Let $z = {show_tex('f', f)}$, where $(x, y) = {show_tex('r', r.map)}$. "
          f"Compute $\\frac{{dz}}{{dt}}$ at $t = {t_tex}$.")
    vel_t, vel_x = vec_text(plain_expr(v) for v in vel_sym), tex_tuple(list(vel_sym))
    grad_t, grad_x = vec_text(plain_expr(v) for v in grad_sym), tex_tuple(list(grad_sym))
    dots = [f"{paren_text(a)}{paren_text(b)}" for a, b in zip(grad, vel)]
    dots_tex = [f"{paren_tex(a)}{paren_tex(b)}" for a, b in zip(grad, vel)]
    steps = [
        step("The chain rule along a curve: dz/dt = grad f(r(t)) . r'(t).",
             r"The chain rule along a curve: "
             r"$\frac{dz}{dt} = \nabla f(\mathbf{r}(t)) \cdot \mathbf{r}'(t)$.",
             tx(r"\frac{dz}{dt} ="), tx(r"\nabla f(\mathbf{r}(t))", "backward"), tx(r"\cdot"),
             tx(r"\mathbf{r}'(t)", "forward")),
        step(f"Where the curve is: r({t_text}) = {vec_text(pt)}.",
             r"Where the curve is: $\mathbf{r}(%s) = %s$." % (t_tex, point_tex(pt)),
             tx(r"\mathbf{r}(%s) =" % t_tex), tx(point_tex(pt), "point")),
        step(f"Its velocity: r'(t) = {vel_t}, so r'({t_text}) = {vec_text(vel)}.",
             r"Its velocity: $\mathbf{r}'(t) = %s$, so $\mathbf{r}'(%s) = %s$." % (vel_x, t_tex, point_tex(vel)),
             tx(r"\mathbf{r}'(t) = %s,\quad \mathbf{r}'(%s) =" % (vel_x, t_tex)), col(vel, "forward")),
        step(f"The gradient: grad f(x, y) = {grad_t}, so at r({t_text}) it is {vec_text(grad)}.",
             r"The gradient: $\nabla f(x, y) = %s$, so at $\mathbf{r}(%s)$ it is $%s$."
             % (grad_x, t_tex, point_tex(grad)),
             tx(r"\nabla f(x, y) = %s,\quad \nabla f(\mathbf{r}(%s)) =" % (grad_x, t_tex)),
             col(grad, "backward")),
        step(f"dz/dt = {' + '.join(dots)} = {signed_sum([text_of(v) for v in terms])} = {text_of(dz)}.",
             r"$\frac{dz}{dt} = %s = %s = %s$."
             % (" + ".join(dots_tex), signed_sum([tex_of(v) for v in terms]), tex_of(dz)),
             tx(r"\frac{dz}{dt} ="), col(grad, "backward"), tx(r"\cdot"), col(vel, "forward"),
             tx("= %s =" % signed_sum([tex_of(v) for v in terms])), tx(tex_of(dz), "highlight")),
    ]
    ans, ans_text, ans_tex = answer_fields(sympy.Matrix([[dz]]), book)
    return {"question": q, "question_tex": qt,
            "parameters": json_params({"f": p["f"], "r": p["r"]}, [t0], t=plain_expr(t0)),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    # "Move on a circle, watch the height": dz/dt = 0 for every t; the lesson names no t,
    # t = pi/4 is chosen here
    0: ("lesson 'Jacobians and the multivariable chain rule': Move on a circle, watch the height",
        lambda: {"f": "(x, y) -> x^2 + y^2", "r": "t -> (cos(t), sin(t))", "t": sympy.pi / 4}),
}

GENERATOR = Generator("curve-dzdt", "Move along a curve", TOL_SURD, LESSON, _draw_curve, _build_curve,
                      surds=True, zero_keep=0.3)

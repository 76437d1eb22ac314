"""pullback: pull a gradient back through one map (J^T g for a given g) or
through a scalar f o g (grad_x y = Dg^T grad f), from
:meth:`jacviz.core.maps.Chain.trace`."""

from __future__ import annotations

import random

import sympy

from ..errors import JacvizError
from .base import TOL_EXACT, Book, Generator, answer_fields, json_params
from .board import col, mx, step, tx
from .chains import chain_of, draw_chain_pair, exact_pullback, stage_steps, value_step
from .exact import col_tex, col_text, floats, json_num, mat_tex, mat_text, point_tex, vec_text
from .shape import F31, G32
from .typed import component, draw_ints, integers, map_text, show, show_tex, var_names


def _draw_pull(rng: random.Random) -> dict:
    if rng.random() < 0.5:
        n, m = rng.choice((2, 2, 3)), rng.choice((2, 3))
        xs = var_names("x", n)
        x0 = draw_ints(rng, n)
        F = map_text(xs, [component(rng, xs, dict(zip(xs, x0)), funcs=True) for _ in range(m)])
        gbar = [sympy.Integer(rng.choice((-2, -1, 0, 1, 1, 2))) for _ in range(m)]
        if all(v == 0 for v in gbar):
            gbar[0] = sympy.Integer(1)
        return {"maps": {"F": F}, "point": x0, "gradient": gbar}
    pair = draw_chain_pair(rng, rng.choice((2, 2, 3)), rng.choice((2, 3)), 1)
    return {"maps": {"g": pair["g"], "f": pair["f"]}, "point": pair["point"], "gradient": None}


def _build_pull(p: dict, book: Book) -> dict:
    chain, maps, names = chain_of(p["maps"])
    x0 = p["point"]
    single = len(maps) == 1
    if single:
        gbar = list(p["gradient"])
    else:
        if chain.m != 1:
            raise JacvizError("pullback exercise: the outer map must be scalar")
        gbar = [sympy.Integer(1)]  # dy/dy = 1 for the scalar output
    trace = chain.trace(floats(x0), gbar=floats(gbar))
    points, jacs, pull = exact_pullback(trace, maps, x0, gbar)
    book.shown(points, jacs, pull)
    xn = maps[0].input_names
    at = vec_text(x0)
    out = pull[0]
    form = f"a column of {out.rows} numbers, e.g. a, b"
    if single:
        F = maps[0]
        q = (f"Let {show('F', p['maps']['F'])}. At x = {at} the gradient of a scalar loss with "
             f"respect to F's outputs is g = {vec_text(gbar)}. Pull it back: compute J^T g, where J is "
             f"the Jacobian of F at x. Answer as {form}.")
        qt = (f"Let ${show_tex('F', F)}$. At $x = {point_tex(x0)}$ the gradient of a scalar loss with "
              f"respect to the outputs of $F$ is $g = {point_tex(gbar)}$. Pull it back: compute "
              f"$J^\\top g$, where $J$ is the Jacobian of $F$ at $x$. Answer as {form}.")
        steps = [step("Gradients are pulled back by transposed Jacobians.",
                      "Gradients are pulled back by transposed Jacobians.",
                      tx("g", "backward"), tx(r"\mapsto J^\top"), tx("g", "backward"),
                      tx(r"\quad\text{(transposed Jacobian)}", "muted")),
                 *stage_steps(F, "F", xn, x0, jacs[0]),
                 step(f"J^T g = {mat_text(jacs[0].T)} {col_text(gbar)} = {col_text(out)}.",
                      r"$J^\top g = %s %s = %s$." % (mat_tex(jacs[0].T), col_tex(gbar), col_tex(out)),
                      tx(r"J^\top"), tx("g", "backward"), tx("="), mx(jacs[0].T),
                      col(gbar, "backward"), tx("="), col(out, "backward"))]
    else:
        g, f = maps
        un = f.input_names
        q = (f"Let u = g(x) with {show('g', p['maps']['g'])}, and the scalar "
             f"y = {show('f', p['maps']['f'])}. "
             f"Compute the gradient of y with respect to x at x = {at}, by pulling the gradient of f "
             f"back through Dg^T. Answer as {form}.")
        qt = (f"Let $u = g(x)$ with ${show_tex('g', g)}$, and the scalar $y = {show_tex('f', f)}$. "
              f"Compute $\\nabla_x y$ at $x = {point_tex(x0)}$ by pulling $\\nabla f$ back through "
              f"$Dg^\\top$. Answer as {form}.")
        steps = [
            step("Gradients are pulled back by transposed Jacobians, outer map first: "
                 "grad_x y = Dg(x)^T grad f(u).",
                 r"Gradients are pulled back by transposed Jacobians, outer map first: "
                 r"$\nabla_x y = Dg(x)^\top \nabla f(u)$.",
                 tx(r"\nabla_x y", "backward"), tx(r"= Dg(x)^\top"),
                 tx(r"\nabla f(u)", "backward"), tx(r"\quad\text{(outer map first)}", "muted")),
            value_step("g", x0, un, points[1]),
            *stage_steps(f, "f", un, points[1], jacs[1]),
            step(f"grad f(u) = Df(u)^T = {col_text(pull[1])} ({pull[1].rows}x1).",
                 r"$\nabla f(u) = Df(u)^\top = %s$." % col_tex(pull[1]),
                 tx(r"\nabla f(u)", "backward"), tx(r"= Df(u)^\top ="), col(pull[1], "backward")),
            *stage_steps(g, "g", xn, x0, jacs[0]),
            step(f"grad_x y = Dg^T grad f = {mat_text(jacs[0].T)} {col_text(pull[1])} = {col_text(out)}.",
                 r"$\nabla_x y = Dg^\top \nabla f = %s %s = %s$."
                 % (mat_tex(jacs[0].T), col_tex(pull[1]), col_tex(out)),
                 tx(r"\nabla_x y", "backward"), tx(r"= Dg^\top"), tx(r"\nabla f", "backward"),
                 tx("="), mx(jacs[0].T), col(pull[1], "backward"), tx("="), col(out, "backward")),
        ]
    ans, ans_text, ans_tex = answer_fields(out, book)
    extra = {"gradient": [json_num(v) for v in gbar]} if single else {}
    return {"question": q, "question_tex": qt,
            "parameters": json_params(p["maps"], x0, **extra),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    # closing problem: grad (f o g) = Dg^T grad f with Dg 3x2 and grad f 3x1 (maps chosen
    # here, as for the shape exercise), at (1, 2) chosen here
    0: ("lesson 'Derivatives of composed functions': closing problem, Dg 3x2 and grad f 3x1; "
        "maps and point chosen here",
        lambda: {"maps": {"g": G32, "f": F31}, "point": integers(1, 2), "gradient": None}),
    # closing problem: Dg 2x2 and diagonal (g1 depends on x1 only, g2 on x2 only); the maps
    # and the point are chosen here
    1: ("lesson 'Derivatives of composed functions': closing problem, Dg 2x2 and diagonal; "
        "maps and point chosen here",
        lambda: {"maps": {"g": "(x1, x2) -> (x1^2, x2^3)", "f": "(u1, u2) -> u1*u2"},
                 "point": integers(2, 1), "gradient": None}),
}

GENERATOR = Generator("pullback", "Pull a gradient back", TOL_EXACT, LESSON, _draw_pull, _build_pull)

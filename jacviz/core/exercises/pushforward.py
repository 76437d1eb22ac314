"""pushforward: push a small step dx forward through one map (J dx) or through
g then f (du = Dg dx, dy = Df du), from :meth:`jacviz.core.maps.Chain.trace`."""

from __future__ import annotations

import random

import sympy

from .base import TOL_EXACT, Book, Generator, answer_fields, json_params
from .board import col, mx, step, tx
from .chains import chain_of, draw_chain_pair, exact_pushforward, stage_steps, value_step
from .exact import col_tex, col_text, floats, json_num, mat_tex, mat_text, point_tex, vec_text
from .typed import component, draw_ints, integers, map_text, show, show_tex, var_names


def _small_vector(rng: random.Random, n: int) -> list:
    while True:
        if rng.random() < 0.3:
            v = [sympy.Rational(rng.choice((-2, -1, 0, 1, 2)), 10) for _ in range(n)]
        else:
            v = [sympy.Integer(rng.choice((-2, -1, 0, 1, 2))) for _ in range(n)]
        if any(x != 0 for x in v):
            return v


def _draw_push(rng: random.Random) -> dict:
    if rng.random() < 0.6:
        n, m = rng.choice((2, 2, 3)), rng.choice((1, 2, 2, 3))
        xs = var_names("x", n)
        x0 = draw_ints(rng, n)
        F = map_text(xs, [component(rng, xs, dict(zip(xs, x0)), funcs=True) for _ in range(m)])
        return {"maps": {"F": F}, "point": x0, "dx": _small_vector(rng, n)}
    pair = draw_chain_pair(rng, 2, 2, rng.choice((1, 1, 2)))
    return {"maps": {"g": pair["g"], "f": pair["f"]}, "point": pair["point"],
            "dx": _small_vector(rng, 2)}


def _build_push(p: dict, book: Book) -> dict:
    chain, maps, names = chain_of(p["maps"])
    x0, dx = p["point"], p["dx"]
    trace = chain.trace(floats(x0), dx=floats(dx))
    points, jacs, push = exact_pushforward(trace, maps, x0, dx)
    book.shown(points, jacs, push)
    first = maps[0]
    xn = first.input_names
    at, dxt = vec_text(x0), vec_text(dx)
    maps_q = " and ".join(show(k, p["maps"][k]) for k in names)
    maps_qt = " and ".join(f"${show_tex(k, mp)}$" for k, mp in zip(names, maps))
    out = push[-1]
    single = len(maps) == 1
    if single:
        what = "J dx, where J is the Jacobian of F at the point (the linear prediction of how F moves)"
        what_tex = r"$J\,dx$, where $J$ is the Jacobian of $F$ at the point"
        vec_names = ["dx", "J dx"]
    else:
        what = "dy: push dx forward through g (du = Dg dx), then through f (dy = Df du)"
        what_tex = r"$dy$: push $dx$ forward through $g$ ($du = Dg\,dx$), then through $f$ ($dy = Df\,du$)"
        vec_names = ["dx", "du", "dy"]
    form = "a number" if out.rows == 1 else f"{out.rows} numbers, e.g. a, b"
    q = (f"Let {maps_q}. At x = {at}, take the step dx = {dxt}. Compute {what}. "
         f"Answer as {form}.")
    qt = (f"Let {maps_qt}. At $x = {point_tex(x0)}$, take the step $dx = {point_tex(dx)}$. "
          f"Compute {what_tex}. Answer as {form}.")
    flow = [tx("dx", "forward")]
    for name, vec in zip(names, vec_names[1:]):
        flow += [tx(r"\xrightarrow{D%s}" % name), tx(vec.replace(" ", r"\,"), "forward")]
    steps = [step("Perturbations are pushed forward by Jacobians, inner map first.",
                  "Perturbations are pushed forward by Jacobians, inner map first.",
                  *flow, tx(r"\quad\text{(inner map first)}", "muted"))]
    space_names = [xn] + [mp.input_names for mp in maps[1:]]
    for k, (mp, name) in enumerate(zip(maps, names)):
        if k > 0:
            steps.append(value_step(names[k - 1], points[k - 1], space_names[k], points[k]))
        steps += stage_steps(mp, name, space_names[k], points[k], jacs[k])
        vin, vout = vec_names[k], vec_names[k + 1]
        lhs = vout if not single else "J dx"
        steps.append(step(
            f"{lhs} = D{name} {vin} = {mat_text(jacs[k])} {col_text(push[k])} = {col_text(push[k + 1])}.",
            r"$%s = D%s\,%s = %s %s = %s$." % (lhs.replace(" ", r"\,"), name, vin, mat_tex(jacs[k]),
                                               col_tex(push[k]), col_tex(push[k + 1])),
            tx(lhs.replace(" ", r"\,"), "forward"), tx(r"= D%s\," % name), tx(vin, "forward"),
            tx("="), mx(jacs[k]), col(push[k], "forward"), tx("="), col(push[k + 1], "forward")))
    ans, ans_text, ans_tex = answer_fields(out, book)
    return {"question": q, "question_tex": qt,
            "parameters": json_params(p["maps"], x0, dx=[json_num(v) for v in dx]),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    # the two-way example: g linear, x0 = (1, 1), dx = (0.1, 0.1): du = (0.3, 0), dy = 0.3
    0: ("lesson 'Derivatives of composed functions': the two-way example, pushforward",
        lambda: {"maps": {"g": "(x1, x2) -> (x1 + 2*x2, x1 - x2)", "f": "(u1, u2) -> u1*u2 + u1"},
                 "point": integers(1, 1), "dx": [sympy.Rational(1, 10), sympy.Rational(1, 10)]}),
}

GENERATOR = Generator("pushforward", "Push a perturbation forward", TOL_EXACT, LESSON, _draw_push,
                      _build_push)

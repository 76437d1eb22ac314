"""What the chain exercises share (composition, path-sum, pushforward, pullback,
network): the exact trace of a chain checked against the core's, and the steps
that show a stage's Jacobian and a point's image.
"""

from __future__ import annotations

import random

import sympy

from ..maps import Chain, Map
from .board import Step, mx, step, tx
from .exact import (agree, exact_at, mat_tex, mat_text, paren_tex, point_tex, shape_text, simp,
                    sym_tex, sym_text, tex_of, text_of, vec_text)
from .typed import (component, draw_ints, funcs_ok, image_of, map_text, names_tex, pname, var_names,
                    where_tex, where_text)


def exact_trace(maps, x0):
    """Exact points and stage Jacobians of a chain at an exact point."""
    points = [list(x0)]
    jacs = []
    for mp in maps:
        mapping = dict(zip(mp.inputs, points[-1]))
        jacs.append(exact_at(mp.jacobian_symbolic, mapping))
        points.append([simp(o.subs(mapping, simultaneous=True)) for o in mp.outputs])
    return points, jacs


def check_trace(trace, points, jacs) -> None:
    """The core's trace must give the exact points and stage Jacobians."""
    for k, (a, b) in enumerate(zip(trace.points, points)):
        agree(a, b, f"point in space {k}")
    for k, (a, b) in enumerate(zip(trace.jacobians, jacs)):
        agree(a, b, f"Jacobian of stage {k + 1}")


def stage_steps(mp: Map, name: str, at_names, point, J) -> list[Step]:
    """``Dg = [[...]] (2x2); at (x1, x2) = (1, 1) it is [[...]].``"""
    Js = mp.jacobian_symbolic
    return [step(
        f"D{name} = {sym_text(Js)} ({shape_text(Js)}); at {where_text(at_names, point)} it is {mat_text(J)}.",
        r"$D%s = %s$ ($%d \times %d$); at $%s$ it is $%s$."
        % (name, sym_tex(Js), Js.rows, Js.cols, where_tex(mp, point), mat_tex(J)),
        tx(f"D{name} ="), mx(Js, symbolic=True), tx(r",\quad D%s" % name),
        tx(point_tex(point) if len(point) > 1 else paren_tex(point[0]), "point"),
        tx("="), mx(J))]


def value_step(name: str, x, out_names, u) -> Step:
    """``(u1, u2) = g(1, 1) = (3, 0)``."""
    lhs = r"%s = %s(%s) =" % (names_tex(out_names), name, r",\ ".join(tex_of(v) for v in x))
    return step(f"{pname(out_names)} = {name}({', '.join(text_of(v) for v in x)}) = {vec_text(u)}.",
                r"$%s %s$." % (lhs, point_tex(u)), tx(lhs), tx(point_tex(u), "point"))


def draw_chain_pair(rng: random.Random, n: int, m: int, p: int, funcs: bool = True) -> dict:
    xs, us = var_names("x", n), var_names("u", m)
    x0 = draw_ints(rng, n)
    g = map_text(xs, [component(rng, xs, dict(zip(xs, x0)), funcs=funcs) for _ in range(m)])
    u0 = image_of(g, x0)
    ok = funcs and funcs_ok(u0) and all(abs(v) <= 3 for v in u0)
    f = map_text(us, [component(rng, us, dict(zip(us, u0)), funcs=ok) for _ in range(p)])
    return {"g": g, "f": f, "point": x0}


def chain_of(maps_text: dict) -> tuple[Chain, list[Map], list[str]]:
    """The chain of the typed maps (name -> text, inner map first), its maps and names."""
    names = list(maps_text)
    maps = [Map(maps_text[k], name=k) for k in names]
    return Chain(maps), maps, names


def exact_pushforward(trace, maps, x0, dx) -> tuple[list, list, list]:
    """Exact points, stage Jacobians and the perturbation pushed into every space,
    each checked against the core's trace."""
    points, jacs = exact_trace(maps, x0)
    push = [sympy.Matrix(dx)]
    for J in jacs:
        push.append((J * push[-1]).applyfunc(simp))
    check_trace(trace, points, jacs)
    for k, (a, b) in enumerate(zip(trace.pushforward, push)):
        agree(a, b, f"pushforward in space {k}")
    return points, jacs, push


def exact_pullback(trace, maps, x0, gbar, what: str = "pullback") -> tuple[list, list, list]:
    """Exact points, stage Jacobians and the gradient pulled back into every space,
    each checked against the core's trace."""
    points, jacs = exact_trace(maps, x0)
    pull = [sympy.Matrix(gbar)]
    for J in reversed(jacs):
        pull.append((J.T * pull[-1]).applyfunc(simp))
    pull.reverse()
    check_trace(trace, points, jacs)
    for k, (a, b) in enumerate(zip(trace.pullback, pull)):
        agree(a, b, f"{what} in space {k}")
    return points, jacs, pull

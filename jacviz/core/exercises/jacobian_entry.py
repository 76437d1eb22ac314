"""jacobian-entry: compute one or two entries of a map's Jacobian at a point.

Row i of the Jacobian is the gradient of output i; the steps show the symbolic
Jacobian, each asked entry as a partial derivative evaluated at the point, and
the whole Jacobian with the asked entries highlighted.
"""

from __future__ import annotations

import random

import sympy

from ..fmt import plain_expr
from ..maps import Map
from ..texnames import latex
from .base import TOL_EXACT, Book, Generator, answer_fields, json_params
from .board import mx, step, tx
from .exact import (agree, exact_at, floats, mat_tex, mat_text, point_tex, sym_tex, sym_text,
                    tex_of, text_of, vec_text)
from .typed import component, draw_ints, integers, lhs_of, map_text, rhs_of, show_tex


def _draw_entry(rng: random.Random) -> dict:
    m, n = rng.choice(((2, 2), (2, 2), (3, 2), (2, 3)))
    names = ["x", "y", "z"][:n]
    point = draw_ints(rng, n)
    comps = [component(rng, names, dict(zip(names, point)), funcs=True) for _ in range(m)]
    k = rng.choice((1, 2, 2))
    cells = [(i, j) for i in range(m) for j in range(n)]
    return {"F": map_text(names, comps), "point": point, "entries": sorted(rng.sample(cells, k))}


def _build_entry(p: dict, book: Book) -> dict:
    F = Map(p["F"], name="F")
    x0 = p["point"]
    entries = [tuple(e) for e in p["entries"]]
    Js = F.jacobian_symbolic
    book.reject_if(any(not Js[i, j].free_symbols for i, j in entries))  # nothing to evaluate
    Jx = exact_at(Js, dict(zip(F.inputs, x0)))
    agree(F.jacobian(floats(x0)), Jx, "Jacobian of F")
    book.shown(Jx)
    names = F.input_names
    label = [f"J_{i + 1}{j + 1}" for i, j in entries]
    label_tex = [f"J_{{{i + 1},{j + 1}}}" for i, j in entries]
    where = [f"row {i + 1}, column {j + 1}" for i, j in entries]
    at, at_tex = vec_text(x0), point_tex(x0)
    q = (f"For F{lhs_of(p['F'])} = {rhs_of(p['F'])}, compute "
         + " and ".join(f"{lab} ({w})" for lab, w in zip(label, where))
         + f" of its Jacobian at {at}.")
    qt = (f"For ${show_tex('F', F)}$, compute "
          + " and ".join(f"${lab}$ ({w})" for lab, w in zip(label_tex, where))
          + f" of its Jacobian at ${at_tex}$.")
    if len(entries) > 1:
        q += " Answer: " + ", ".join(label) + "."
    labels = {"rows": ["F"] if F.m == 1 else [f"F_{{{i + 1}}}" for i in range(F.m)],
              "cols": [latex(v) for v in F.inputs]}
    steps = [step(
        f"Row i of J is the gradient of F_i, written sideways; F is R^{F.n} -> R^{F.m}, "
        f"so J is {F.m}x{F.n}: J = {sym_text(Js)}.",
        r"Row $i$ of $J$ is the gradient of $F_i$ written sideways ($%d \times %d$): $J = %s$."
        % (F.m, F.n, sym_tex(Js)),
        tx("J ="), mx(Js, symbolic=True, **labels), tx(r"%d \times %d" % (F.m, F.n), "muted"))]
    for (i, j), lab, labt in zip(entries, label, label_tex):
        steps.append(step(
            f"{lab} = dF_{i + 1}/d{names[j]} = {plain_expr(Js[i, j])}, which at {at} is {text_of(Jx[i, j])}.",
            r"$%s = \frac{\partial F_{%d}}{\partial %s} = %s$, which at $%s$ is $%s$."
            % (labt, i + 1, latex(F.inputs[j]), latex(Js[i, j]), at_tex, tex_of(Jx[i, j])),
            tx(labt, "highlight"),
            tx(r"= \frac{\partial F_{%d}}{\partial %s} = %s" % (i + 1, latex(F.inputs[j]),
                                                                latex(Js[i, j]))),
            tx(r"\Big|_{%s}" % at_tex, "point"), tx("="), tx(tex_of(Jx[i, j]), "highlight")))
    steps.append(step(f"The whole Jacobian at {at}: J = {mat_text(Jx)}.",
                      r"The whole Jacobian at $%s$: $J = %s$." % (at_tex, mat_tex(Jx)),
                      tx("J"), tx(at_tex, "point"), tx("="),
                      mx(Jx, highlight=[[i, j] for i, j in entries], **labels)))
    vals = sympy.Matrix([[Jx[i, j] for i, j in entries]])
    ans, ans_text, _ = answer_fields(vals, book)
    ans_tex = r",\ ".join(f"{lt} = {tex_of(Jx[i, j])}" for (i, j), lt in zip(entries, label_tex))
    return {"question": q, "question_tex": qt,
            "parameters": json_params({"F": p["F"]}, x0, entries=[[i + 1, j + 1] for i, j in entries]),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    # "Fill in a Jacobian" / "And another entry": J_11 and J_22 at (1, 2): 2 and 1
    0: ("lesson 'Jacobians and the multivariable chain rule': Fill in a Jacobian",
        lambda: {"F": "(x, y) -> (x^2 - y, x*y)", "point": integers(1, 2), "entries": [(0, 0), (1, 1)]}),
}

GENERATOR = Generator("jacobian-entry", "Fill in a Jacobian", TOL_EXACT, LESSON, _draw_entry, _build_entry)

"""composition: D(f o g) at a point, as the product Df(g(x)) Dg(x) of the stage
Jacobians (from :meth:`jacviz.core.maps.Chain.trace`), checked by composing first."""

from __future__ import annotations

import random

from ..fmt import plain_expr, tex_tuple
from ..maps import Chain, Map
from ..texnames import latex
from .base import TOL_EXACT, Book, Generator, answer_fields, json_params
from .board import mx, step, tx
from .chains import check_trace, draw_chain_pair, exact_trace, stage_steps, value_step
from .exact import (agree, exact_at, floats, mat_tex, mat_text, point_tex, simp, sym_tex, sym_text,
                    vec_text)
from .typed import integers, lhs_of, show, show_tex, where_tex, where_text


_COMP_DIMS = ((1, 2, 1), (2, 2, 1), (2, 3, 1), (1, 2, 2), (2, 2, 2), (1, 3, 1), (2, 1, 1),
              (3, 2, 1))


def _draw_composition(rng: random.Random) -> dict:
    n, m, p = rng.choice(_COMP_DIMS)
    return draw_chain_pair(rng, n, m, p)


def _build_composition(p: dict, book: Book) -> dict:
    g, f = Map(p["g"], name="g"), Map(p["f"], name="f")
    chain = Chain([g, f])
    x0 = p["point"]
    trace = chain.trace(floats(x0))
    points, (Jg, Jf) = exact_trace([g, f], x0)
    total = (Jf * Jg).applyfunc(simp)
    check_trace(trace, points, [Jg, Jf])
    agree(trace.jacobian, total, "D(f o g)")
    book.shown(points, Jg, Jf, total)
    u0 = points[1]
    rows, cols = total.shape
    if rows == 1 and cols == 1:
        form, form_tex = "a number", "a number"
    elif rows == 1:
        form = form_tex = f"a row of {cols} numbers, e.g. a, b"
    elif cols == 1:
        form = form_tex = f"a column of {rows} numbers, e.g. a, b"
    else:
        form = form_tex = f"a {rows}x{cols} matrix, row by row, e.g. [[a, b], [c, d]]"
    xn, un = g.input_names, f.input_names
    at = where_text(xn, x0)
    q = (f"Let {show('g', p['g'])} and {show('f', p['f'])}. Compute the derivative "
         f"D(f o g) of the composition at {at} ({rows}x{cols}; answer as {form}).")
    qt = (f"Let ${show_tex('g', g)}$ and ${show_tex('f', f)}$. Compute $D(f \\circ g)$ at "
          f"${where_tex(g, x0)}$ (${rows} \\times {cols}$; answer as {form_tex}).")
    composed = chain.composed_symbolic[-1]
    Dh = chain.jacobian_symbolic
    check = exact_at(Dh, dict(zip(g.inputs, x0)))
    steps = [
        step("Jacobians multiply, outer map on the left: D(f o g)(x) = Df(g(x)) Dg(x).",
             r"Jacobians multiply, outer map on the left: $D(f \circ g)(x) = Df(g(x))\,Dg(x)$.",
             tx(r"D(f \circ g)(x) = Df(g(x))\,Dg(x)"),
             tx(r"\quad\text{(outer map on the left)}", "muted")),
        value_step("g", x0, un, u0),
        *stage_steps(g, "g", xn, x0, Jg),
        *stage_steps(f, "f", un, u0, Jf),
        step(f"D(f o g) = Df Dg = {mat_text(Jf)} {mat_text(Jg)} = {mat_text(total)} ({rows}x{cols}).",
             r"$D(f \circ g) = Df\,Dg = %s %s = %s$." % (mat_tex(Jf), mat_tex(Jg), mat_tex(total)),
             tx(r"D(f \circ g) = Df\,Dg ="), mx(Jf), mx(Jg), tx("="), mx(total, "highlight")),
    ]
    check_text = (f"Check by composing first: (f o g){lhs_of(p['g'])} = "
                  f"{vec_text(plain_expr(e) for e in composed)}, whose derivative {sym_text(Dh)} "
                  f"at {at} is {mat_text(check)}.")
    if len(check_text) <= 160:  # a long composed expression is no help on a slide
        args = ", ".join(latex(s) for s in g.inputs)
        steps.append(step(
            check_text,
            r"Check by composing first: $(f \circ g)(%s) = %s$, whose derivative $%s$ at $%s$ is $%s$."
            % (args, tex_tuple(composed), sym_tex(Dh), where_tex(g, x0), mat_tex(check)),
            tx(r"\text{check: } (f \circ g)(%s) = %s\ \Rightarrow\ D(f \circ g)" % (
                args, tex_tuple(composed)), "muted"),
            tx(r"\Big|_{%s}" % point_tex(x0), "point"), tx("="), mx(check)))
    ans, ans_text, ans_tex = answer_fields(total, book)
    return {"question": q, "question_tex": qt,
            "parameters": json_params({"g": p["g"], "f": p["f"]}, x0),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    0: ("lesson 'Jacobians and the multivariable chain rule': Chain something small",
        lambda: {"g": "x -> (x, x^2)", "f": "(u, v) -> u + v", "point": integers(1)}),
    # the worked example of 'Derivatives of composed functions': Dh(1, 2) = [10, 5]
    1: ("lesson 'Derivatives of composed functions': worked example, Dh at (1, 2)",
        lambda: {"g": "(x1, x2) -> (x1^2 + x2, x1*x2)", "f": "(u1, u2) -> u1 + u2^2",
                 "point": integers(1, 2)}),
}

GENERATOR = Generator("composition", "Chain something small", TOL_EXACT, LESSON, _draw_composition,
                      _build_composition)

"""shape: which of Df Dg and Dg Df is defined and its shape, or the shape of a
gradient written as a column.  The answer is a shape string such as "2x3"."""

from __future__ import annotations

import random

from ..errors import JacvizError, ShapeError
from ..maps import Chain, Map
from .base import TOL_SHAPE, Book, Generator, json_params
from .board import blk, step, tx
from .exact import shape_text
from .typed import component, lhs_of, map_text, rhs_of, show_tex, var_names


def _draw_shape(rng: random.Random) -> dict:
    if rng.random() < 0.65:
        ask = "product"
        n, m, p = (rng.randint(1, 4) for _ in range(3))
    else:
        ask = "gradient"
        n, m, p = rng.randint(2, 4), rng.randint(1, 4), 1
    xs, us = var_names("x", n), var_names("u", m)
    g = map_text(xs, [component(rng, xs) for _ in range(m)])
    f = map_text(us, [component(rng, us) for _ in range(p)])
    return {"g": g, "f": f, "ask": ask}


def _build_shape(p: dict, book: Book) -> dict:
    g, f = Map(p["g"], name="g"), Map(p["f"], name="f")
    chain = Chain([g, f])  # f o g: the core refuses maps whose shapes do not fit
    D = chain.jacobian_symbolic  # the composition's Jacobian, p x n
    try:
        Chain([f, g])
        other = True  # Dg Df is defined too (g o f composes)
    except ShapeError:
        other = False
    Dg, Df = g.jacobian_symbolic, f.jacobian_symbolic
    gq = f"g{lhs_of(p['g'])} = {rhs_of(p['g'])}"
    fq = f"f{lhs_of(p['f'])} = {rhs_of(p['f'])}"
    maps_tex = f"${show_tex('g', g)}$ and ${show_tex('f', f)}$"

    def sized(M) -> str:
        return r"%d \times %d" % (M.rows, M.cols)

    bDg, bDf, bD = blk(Dg.rows, Dg.cols, "Dg"), blk(Df.rows, Df.cols, "Df"), \
        blk(D.rows, D.cols, r"D(f \circ g)", "highlight")
    steps = [
        step(f"g takes {g.n} input{'s' * (g.n != 1)} and gives {g.m} output{'s' * (g.m != 1)}: "
             f"Dg is {shape_text(Dg)} (one row per output, one column per input).",
             r"$g: \mathbb{R}^{%d} \to \mathbb{R}^{%d}$, so $Dg$ is $%d \times %d$ "
             r"(one row per output, one column per input)." % (g.n, g.m, Dg.rows, Dg.cols),
             tx(r"g:\ \mathbb{R}^{%d} \to \mathbb{R}^{%d},\quad Dg\ \text{is}\ " % (g.n, g.m)),
             tx(sized(Dg), "point"), tx(r"\quad\text{(rows: outputs, columns: inputs)}", "muted")),
        step(f"f takes {f.n} input{'s' * (f.n != 1)} and gives {f.m} output{'s' * (f.m != 1)}: "
             f"Df is {shape_text(Df)}.",
             r"$f: \mathbb{R}^{%d} \to \mathbb{R}^{%d}$, so $Df$ is $%d \times %d$."
             % (f.n, f.m, Df.rows, Df.cols),
             tx(r"f:\ \mathbb{R}^{%d} \to \mathbb{R}^{%d},\quad Df\ \text{is}\ " % (f.n, f.m)),
             tx(sized(Df), "point")),
    ]
    if p["ask"] == "product":
        book.reject_if(other)
        if other:
            raise JacvizError("shape exercise: both orders fit, the answer is not unique")
        answer = shape_text(D)
        q = (f"Let {gq} and {fq}. Which of the products Df Dg and Dg Df is defined, and what "
             f"is its shape? Answer with the shape, rows x columns (e.g. 2x3).")
        qt = (f"Let {maps_tex}. Which of the products $Df\\,Dg$ and $Dg\\,Df$ is defined, and "
              f"what is its shape? Answer with the shape, rows $\\times$ columns.")
        steps += [
            step(f"Df Dg is ({shape_text(Df)})({shape_text(Dg)}): the inner sizes {Df.cols} and {Dg.rows} "
                 f"match, so it is defined and is {answer}.",
                 r"$Df\,Dg$ is $(%d \times %d)(%d \times %d)$: the inner sizes match, so it is "
                 r"defined and is $%d \times %d$." % (Df.rows, Df.cols, Dg.rows, Dg.cols, D.rows, D.cols),
                 bDf, bDg, tx("="), bD,
                 tx(r"\quad\text{inner sizes}\ %d = %d" % (Df.cols, Dg.rows), "point")),
            step(f"Dg Df is ({shape_text(Dg)})({shape_text(Df)}): the inner sizes {Dg.cols} and {Df.rows} "
                 f"differ, so it is not defined.",
                 r"$Dg\,Df$ is $(%d \times %d)(%d \times %d)$: the inner sizes %d and %d differ, so "
                 r"it is not defined." % (Dg.rows, Dg.cols, Df.rows, Df.cols, Dg.cols, Df.rows),
                 bDg, bDf, {"mark": "cross"},
                 tx(r"\quad\text{inner sizes}\ %d \neq %d" % (Dg.cols, Df.rows), "warn")),
            step(f"So D(f o g) = Df Dg, of shape {answer} (outputs of f by inputs of g).",
                 r"So $D(f \circ g) = Df\,Dg$, of shape $%d \times %d$." % (D.rows, D.cols),
                 tx(r"D(f \circ g) = Df\,Dg\ \text{is}\ "), tx(sized(D), "highlight")),
        ]
        answer_tex = r"%d \times %d" % (D.rows, D.cols)
    else:
        book.reject_if(D.rows != 1)
        if D.rows != 1:
            raise JacvizError("shape exercise: a gradient needs a scalar composition")
        answer = f"{D.cols}x1"
        q = (f"Let {gq} and {fq}, so that f o g is scalar. What is the shape of the gradient "
             f"of f o g, written as a column vector? Answer rows x columns (e.g. 2x3).")
        qt = (f"Let {maps_tex}, so that $f \\circ g$ is scalar. What is the shape of the gradient "
              f"$\\nabla (f \\circ g)$, written as a column vector?")
        steps += [
            step(f"D(f o g) = Df Dg is ({shape_text(Df)})({shape_text(Dg)}) = {shape_text(D)}: a single row.",
                 r"$D(f \circ g) = Df\,Dg$ is $(%d \times %d)(%d \times %d) = %d \times %d$: a row."
                 % (Df.rows, Df.cols, Dg.rows, Dg.cols, D.rows, D.cols),
                 bDf, bDg, tx("="), blk(D.rows, D.cols, r"D(f \circ g)"),
                 tx(r"\quad %s\text{: a row}" % sized(D), "point")),
            step(f"The gradient is its transpose, a column: {answer}.",
                 r"The gradient is its transpose, a column: $\nabla (f \circ g) = D(f \circ g)^\top$ "
                 r"is $%d \times 1$." % D.cols,
                 tx(r"\nabla (f \circ g)", "backward"), tx(r"= D(f \circ g)^\top ="),
                 blk(D.cols, 1, r"\nabla", "backward"), tx(r"%d \times 1" % D.cols, "highlight")),
        ]
        answer_tex = r"%d \times 1" % D.cols
    return {"question": q, "question_tex": qt,
            "parameters": json_params({"g": p["g"], "f": p["f"]}, ask=p["ask"]),
            "answer": answer, "answer_text": answer, "answer_tex": answer_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
# The closing problems of 'Derivatives of composed functions' lost their maps; these
# maps (g: R^2 -> R^3, f: R^3 -> R, so Dg is 3x2 and grad f is 3x1) are chosen here.
G32 = "(x1, x2) -> (x1 + x2, x1*x2, x2^2)"
F31 = "(u1, u2, u3) -> u1*u2 + u3"

LESSON = {
    0: ("lesson 'Derivatives of composed functions': closing problem, the shape of a composed "
        "Jacobian (p x n); maps chosen here", lambda: {"g": G32, "f": F31, "ask": "product"}),
    1: ("lesson 'Derivatives of composed functions': closing problem, the shape of a gradient "
        "(n x 1); maps chosen here", lambda: {"g": G32, "f": F31, "ask": "gradient"}),
}

GENERATOR = Generator("shape", "Shapes force the order", TOL_SHAPE, LESSON, _draw_shape, _build_shape)

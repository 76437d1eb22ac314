"""network: the gradient of l = c^T act(W x + b) with respect to x, as repeated
pullback through the layer, the activation (sigmoid or square) and the loss."""

from __future__ import annotations

import random

import sympy

from ..errors import NumericError
from ..fmt import signed_sum
from ..maps import Chain, Map
from .base import TOL_EXACT, Book, Generator, answer_fields, json_params
from .board import col, mx, step, tx
from .chains import exact_pullback
from .exact import col_tex, col_text, floats, mat_tex, mat_text, point_tex, vec_text
from .typed import coef_term, map_text, rhs_of, var_names


_ACTIVATIONS = {
    # name: (map output for one unit, plain description, TeX description)
    "sigmoid": ("sigmoid({a})",
                "h = sigmoid(a) elementwise, sigmoid(a) = 1/(1 + e^(-a)), whose derivative is "
                "sigmoid'(a) = sigmoid(a)(1 - sigmoid(a))",
                r"$h = \sigma(a)$ elementwise, $\sigma(a) = \frac{1}{1 + e^{-a}}$, whose derivative is "
                r"$\sigma'(a) = \sigma(a)\,(1 - \sigma(a))$"),
    "square": ("{a}^2",
               "h = a^2 elementwise (the square as the activation), whose derivative is 2a",
               r"$h = a^2$ elementwise (the square as the activation), whose derivative is $2a$"),
}


def _affine_text(W, b, xs) -> list[str]:
    rows = []
    for wrow, bi in zip(W, b):
        terms = [coef_term(int(w), x) for w, x in zip(wrow, xs) if w != 0]
        if bi != 0 or not terms:
            terms.append(str(int(bi)))
        rows.append(signed_sum(terms))
    return rows


def _network_params(W, b, c, x0, activation) -> dict:
    k = len(W)
    xs, as_, hs = var_names("x", len(W[0])), var_names("a", k), var_names("h", k)
    layer = map_text(xs, _affine_text(W, b, xs))
    act = map_text(as_, [_ACTIVATIONS[activation][0].format(a=a) for a in as_])
    loss = map_text(hs, [signed_sum([coef_term(int(ci), h) for ci, h in zip(c, hs) if ci != 0]) or "0"])
    return {"maps": {"layer": layer, "activation": act, "loss": loss},
            "W": [[int(w) for w in row] for row in W], "b": [int(v) for v in b],
            "c": [int(v) for v in c], "point": [sympy.Integer(v) for v in x0],
            "activation_name": activation}


def _draw_network(rng: random.Random) -> dict:
    k = rng.choice((2, 3, 3))
    x0 = [rng.choice((-2, -1, 0, 1, 1, 2)) for _ in range(2)]
    W = []
    while len(W) < k:
        row = [rng.choice((-2, -1, 0, 1, 1, 2)) for _ in range(2)]
        if any(row):
            W.append(row)
    c = [rng.choice((-2, -1, 1, 1, 2, 3)) for _ in range(k)]
    activation = rng.choice(("sigmoid", "sigmoid", "square"))
    if activation == "sigmoid":  # a = 0 at x0, where sigmoid' = 1/4
        b = [-(w[0] * x0[0] + w[1] * x0[1]) for w in W]
    else:
        b = [rng.choice((-2, -1, 0, 0, 1, 2)) for _ in range(k)]
    return _network_params(W, b, c, x0, activation)


def _build_network(p: dict, book: Book) -> dict:
    names = ["layer", "activation", "loss"]
    maps = [Map(p["maps"][k], name=k) for k in names]
    chain = Chain(maps, output_names=["l"])
    x0 = p["point"]
    trace = chain.trace(floats(x0), gbar=[1.0])
    points, jacs, pull = exact_pullback(trace, maps, x0, [1], "backward pass")
    W, c = sympy.Matrix(p["W"]), sympy.Matrix(p["c"])
    if jacs[0] != W or jacs[2] != c.T:
        raise NumericError("exercise check failed: the layer maps do not match W and c")
    book.shown(points, jacs, pull)
    act = p["activation_name"]
    _, desc, desc_tex = _ACTIVATIONS[act]
    a0, h0 = points[1], points[2]
    sprime = [jacs[1][i, i] for i in range(jacs[1].rows)]
    k = len(a0)
    at = vec_text(x0)
    layer_text = rhs_of(p["maps"]["layer"])
    loss_text = rhs_of(p["maps"]["loss"])
    q = (f"A one-hidden-layer network on x in R^2: a = W x + b with W = {mat_text(W)} and "
         f"b = {vec_text(p['b'])}, that is a(x1, x2) = {layer_text}; {desc}; and the loss "
         f"l = c^T h with c = {vec_text(p['c'])}, that is l = {loss_text}. Compute the gradient of l "
         f"with respect to x at x = {at} (a column of 2 numbers, e.g. a, b).")
    qt = (f"A one-hidden-layer network on $x \\in \\mathbb{{R}}^2$: $a = W x + b$ with $W = {mat_tex(W)}$ "
          f"and $b = {col_tex(p['b'])}$; {desc_tex}; and the loss $\\ell = c^\\top h$ with "
          f"$c = {col_tex(p['c'])}$. Compute $\\nabla_x \\ell$ at $x = {point_tex(x0)}$.")
    sname = "sigmoid'(a)" if act == "sigmoid" else "2a"
    sname_tex = r"\sigma'(a)" if act == "sigmoid" else "2a"
    diag = r"\operatorname{Diag}(%s)" % sname_tex
    steps = [
        step(f"Backprop is repeated pullback: grad_x l = W^T Diag({sname}) c.",
             r"Backprop is repeated pullback: $\nabla_x \ell = W^\top \operatorname{Diag}(%s)\, c$."
             % sname_tex,
             tx(r"\nabla_x \ell", "backward"), tx(r"= W^\top %s\," % diag), tx("c", "backward"),
             tx(r"\quad\text{(repeated pullback)}", "muted")),
        step(f"Forward: a = W x + b = {col_text(a0)} at x = {at}, and h = {col_text(h0)}.",
             r"Forward: $a = W x + b = %s$ at $x = %s$, and $h = %s$."
             % (col_tex(a0), point_tex(x0), col_tex(h0)),
             tx("a = W"), tx(point_tex(x0), "point"), tx("+ b ="), col(a0, "point"), tx(r",\quad h ="),
             col(h0, "point")),
        step(f"The activation's Jacobian is Diag({sname}) = Diag{vec_text(sprime)} ({k}x{k}).",
             r"The activation's Jacobian is $\operatorname{Diag}(%s) = %s$ ($%d \times %d$)."
             % (sname_tex, mat_tex(jacs[1]), k, k),
             tx(diag + " ="), mx(jacs[1]), tx(r"%d \times %d" % (k, k), "muted")),
        step(f"grad_h l = c = {col_text(pull[2])}.",
             r"$\nabla_h \ell = c = %s$." % col_tex(pull[2]),
             tx(r"\nabla_h \ell", "backward"), tx("= c ="), col(pull[2], "backward")),
        step(f"grad_a l = Diag({sname}) grad_h l = {col_text(pull[1])}.",
             r"$\nabla_a \ell = \operatorname{Diag}(%s)\,\nabla_h \ell = %s$." % (sname_tex, col_tex(pull[1])),
             tx(r"\nabla_a \ell", "backward"), tx("= " + diag + r"\,"), tx(r"\nabla_h \ell", "backward"),
             tx("="), col(pull[1], "backward")),
        step(f"grad_x l = W^T grad_a l = {mat_text(W.T)} {col_text(pull[1])} = {col_text(pull[0])}.",
             r"$\nabla_x \ell = W^\top \nabla_a \ell = %s %s = %s$."
             % (mat_tex(W.T), col_tex(pull[1]), col_tex(pull[0])),
             tx(r"\nabla_x \ell", "backward"), tx(r"= W^\top"), tx(r"\nabla_a \ell", "backward"),
             tx("="), mx(W.T), col(pull[1], "backward"), tx("="), col(pull[0], "backward")),
    ]
    ans, ans_text, ans_tex = answer_fields(pull[0], book)
    params = json_params(p["maps"], x0, W=p["W"], b=p["b"], c=p["c"], activation=act)
    return {"question": q, "question_tex": qt, "parameters": params,
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    # the tiny network (x in R^2, a in R^3, sigmoid, l = c^T h); the lesson's W, b, c were
    # lost, these are chosen here with a = 0 at x0 = (1, 1), where sigmoid' = 1/4
    0: ("lesson 'Derivatives of composed functions': the tiny network; W, b, c, x0 chosen here",
        lambda: _network_params([[1, 2], [0, 1], [-1, 1]], [-3, -1, 0], [1, 2, -1], [1, 1],
                                "sigmoid")),
}

GENERATOR = Generator("network", "Backprop through a tiny network", TOL_EXACT, LESSON, _draw_network,
                      _build_network)

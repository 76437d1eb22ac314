"""path-sum: one entry of D(f o g) as a sum over the paths of the computation
graph (:class:`jacviz.core.graph.Graph`), with at least one path that has a
missing edge.  The clip draws the graph: ``Exercise.figure`` holds it and its
path terms."""

from __future__ import annotations

import random

import sympy

from ..errors import JacvizError, NumericError
from ..fmt import plain_expr, signed_sum
from ..graph import Graph
from ..maps import Chain, Map
from ..texnames import latex, tex_name
from .base import TOL_EXACT, Book, Generator, Reject, answer_fields, json_params
from .board import step, tx
from .chains import exact_trace, value_step
from .exact import agree, floats, paren_tex, paren_text, point_tex, simp, tex_of, text_of, vec_text
from .typed import component, draw_ints, integers, map_text, show, show_tex, var_names


_PATH_DIMS = ((2, 2, 1), (3, 2, 1), (3, 2, 2), (2, 3, 1), (2, 2, 2), (3, 3, 1))


def _draw_path(rng: random.Random) -> dict:
    n, m, p = rng.choice(_PATH_DIMS)
    xs, us = var_names("x", n), var_names("u", m)
    x0 = draw_ints(rng, n)

    def subset(names):
        return sorted(rng.sample(names, rng.choice((1, 1, 2))), key=names.index)

    g = map_text(xs, [component(rng, xs, use=subset(xs)) for _ in range(m)])
    f = map_text(us, [component(rng, us, use=subset(us)) for _ in range(p)])
    return {"g": g, "f": f, "point": x0, "out": rng.randrange(p), "in": rng.randrange(n)}


def _build_path(p: dict, book: Book) -> dict:
    g, f = Map(p["g"], name="g"), Map(p["f"], name="f")
    chain = Chain([g, f])
    x0 = p["point"]
    i, j = p["out"], p["in"]
    points, (Jg, Jf) = exact_trace([g, f], x0)
    # cheap structural test before the graph: some u_k misses an edge, some path has both
    zero = [k for k in range(g.m) if g.jacobian_symbolic[k, j] == 0 or f.jacobian_symbolic[i, k] == 0]
    if not zero or len(zero) == g.m:
        if book.strict:
            raise Reject
        raise JacvizError("path-sum exercise needs a zero path and a non-zero path")
    terms_exact = [simp(Jf[i, k] * Jg[k, j]) for k in range(g.m)]
    entry = simp(sum(terms_exact))
    book.shown(points, Jg, Jf, terms_exact, entry)
    if book.strict and entry == 0:
        raise Reject
    graph = Graph(chain, floats(x0))
    ps = graph.path_sum(i, j)
    agree(graph.points[1], points[1], "u = g(x)")
    agree([t.value for t in ps.terms], terms_exact, "path products")
    agree([ps.total, ps.jacobian_entry], [entry, entry], "path sum")
    if sorted(k for k, t in enumerate(ps.terms) if t.is_zero) != zero:
        raise NumericError("exercise check failed: the graph's zero paths are not the missing edges")
    xn, un, yn = g.input_names, f.input_names, chain.output_names
    xj, yi = xn[j], yn[i]
    xj_t, yi_t = latex(g.inputs[j]), _ylatex(yi)
    at = vec_text(x0)
    missing = ("One path has a missing edge." if len(zero) == 1
               else f"{len(zero)} of the {g.m} paths have a missing edge.")
    q = (f"Let u = g(x) with {show('g', p['g'])}, and y = f(u) with {show('f', p['f'])}. "
         f"Compute d{yi}/d{xj} at x = {at} as a sum over paths: for each path {xj} -> u_k -> {yi}, "
         f"multiply the partials along its edges, then add over paths. {missing}")
    qt = (f"Let $u = g(x)$ with ${show_tex('g', g)}$, and $y = f(u)$ with ${show_tex('f', f)}$. "
          f"Compute $\\frac{{\\partial {yi_t}}}{{\\partial {xj_t}}}$ at $x = {point_tex(x0)}$ as a sum "
          f"over paths: multiply the partials along each path ${xj_t} \\to u_k \\to {yi_t}$, then "
          f"add over paths. {missing}")
    dd = r"\frac{\partial %s}{\partial %s}" % (yi_t, xj_t)
    formula = " + ".join(r"\frac{\partial %s}{\partial %s}\frac{\partial %s}{\partial %s}"
                         % (yi_t, latex(u), latex(u), xj_t) for u in f.inputs)
    steps = [
        step(f"The paths from {xj} to {yi} go through each of {', '.join(un)}: "
             f"d{yi}/d{xj} = " + " + ".join(f"(d{yi}/d{u})(d{u}/d{xj})" for u in un) + ".",
             r"The paths from $%s$ to $%s$ go through each of $%s$: $%s = %s$."
             % (xj_t, yi_t, ", ".join(latex(s) for s in f.inputs), dd, formula),
             tx(dd, "highlight"), tx(r"= \sum_k \frac{\partial %s}{\partial u_k}\frac{\partial u_k}"
                                     r"{\partial %s}" % (yi_t, xj_t)),
             tx(r"\quad\text{(one term per path)}", "muted")),
        value_step("g", x0, un, points[1]),
    ]
    for k, (term, u) in enumerate(zip(ps.terms, un)):
        outer, inner = f.jacobian_symbolic[i, k], g.jacobian_symbolic[k, j]
        ut = latex(f.inputs[k])
        head = (f"Path {xj} -> {u} -> {yi}: (d{yi}/d{u})(d{u}/d{xj}) = "
                f"{paren_text(plain_expr(outer))}{paren_text(plain_expr(inner))}")
        head_tex = (r"Path $%s \to %s \to %s$: $\frac{\partial %s}{\partial %s}\frac{\partial %s}"
                    r"{\partial %s} = \left(%s\right)\left(%s\right)"
                    % (xj_t, ut, yi_t, yi_t, ut, ut, xj_t, latex(outer), latex(inner)))
        route = tx(r"%s \to %s \to %s\colon" % (xj_t, ut, yi_t))
        factors = r"\left(%s\right)\left(%s\right)" % (latex(outer), latex(inner))
        if term.is_zero:
            why = (f"{u} does not depend on {xj}" if inner == 0 else f"{yi} does not depend on {u}")
            why_tex = (r"$%s$ does not depend on $%s$" % ((ut, xj_t) if inner == 0 else (yi_t, ut)))
            steps.append(step(f"{head} = 0: {why}, a missing edge, so this path adds nothing.",
                              head_tex + r" = 0$: %s, a missing edge, so this path adds nothing." % why_tex,
                              {"path": k}, route, tx(factors + " = 0", "warn"),
                              tx(r"\quad\text{(missing edge)}", "muted")))
        else:
            steps.append(step(
                f"{head} = {paren_text(Jf[i, k])}{paren_text(Jg[k, j])} = {text_of(terms_exact[k])} at x = {at}.",
                head_tex + r" = %s%s = %s$." % (paren_tex(Jf[i, k]), paren_tex(Jg[k, j]), tex_of(terms_exact[k])),
                {"path": k}, route, tx(factors + " = " + paren_tex(Jf[i, k]) + paren_tex(Jg[k, j]) + " ="),
                tx(tex_of(terms_exact[k]), "point")))
    steps.append(step(f"Add over paths: d{yi}/d{xj} = {signed_sum([text_of(v) for v in terms_exact])} "
                      f"= {text_of(entry)}.",
                      r"Add over paths: $%s = %s = %s$." % (dd, signed_sum([tex_of(v) for v in terms_exact]),
                                                            tex_of(entry)),
                      tx(dd), tx("= %s =" % signed_sum([tex_of(v) for v in terms_exact])),
                      tx(tex_of(entry), "highlight")))
    ans, ans_text, ans_tex = answer_fields(sympy.Matrix([[entry]]), book)
    return {"question": q, "question_tex": qt,
            "parameters": json_params({"g": p["g"], "f": p["f"]}, x0, output=i + 1, input=j + 1),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps,
            "figure": {"graph": graph, "terms": ps.terms}}


def _ylatex(name: str) -> str:
    return tex_name(name)


# -- the lessons' own exercises (seeds 0, ...) ----------------------------------
LESSON = {
    # u1 = x1*x2, u2 = x3^2, y2 = u1*u2: dy2/dx3 = (u2)(0) + (u1)(2 x3) = 12 at (1, 2, 3).
    # The lesson does not give y1; y1 = u1 + u2 is chosen here.
    0: ("lesson 'Derivatives of composed functions': path tracing, dy2/dx3",
        lambda: {"g": "(x1, x2, x3) -> (x1*x2, x3^2)", "f": "(u1, u2) -> (u1 + u2, u1*u2)",
                 "point": integers(1, 2, 3), "out": 1, "in": 2}),
}

GENERATOR = Generator("path-sum", "Sum over paths", TOL_EXACT, LESSON, _draw_path, _build_path)

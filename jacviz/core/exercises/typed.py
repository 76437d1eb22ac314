"""Maps as typed text: how the exercises draw them, and how they show them.

A drawn map is text that :func:`jacviz.core.parse.parse_map` accepts (short
polynomials in small integers, now and then a sin/cos/exp whose argument
vanishes at the point); the exercise's parameters keep that text exactly.
"""

from __future__ import annotations

import random
from itertools import combinations

import sympy

from ..fmt import signed_sum, tex_paren, tex_tuple, tuple_text
from ..maps import Map
from ..parse import parse_map
from ..texnames import latex, tex_name
from .exact import point_tex, simp, text_of, vec_text

_COEFS = (1, 1, 1, 1, 2, 2, 3, -1, -1, -2)
_POINT = (-2, -1, 0, 1, 1, 2, 2, 3)
SMALL = (-2, -1, 1, 1, 2)
_FUNCS = ("sin", "cos", "exp")


def var_names(prefix: str, n: int) -> list[str]:
    return [prefix] if n == 1 else [f"{prefix}{i + 1}" for i in range(n)]


def map_text(names, comps) -> str:
    """A map as typed: ``(x1, x2) -> (x1 + x2, x1*x2)``, ``x -> 2*x``."""
    return f"{pname(names)} -> {tuple_text(comps)}"


def rhs_of(text: str) -> str:
    return text.split("->", 1)[1].strip()


def lhs_of(text: str) -> str:
    lhs = text.split("->", 1)[0].strip()
    return lhs if lhs.startswith("(") else f"({lhs})"


def show(name: str, text: str) -> str:
    """``g(x1, x2) = (x1 + 2*x2, x1 - x2)`` from the typed map."""
    return f"{name}{lhs_of(text)} = {rhs_of(text)}"


def show_tex(name: str, mp: Map) -> str:
    ins = ", ".join(latex(s) for s in mp.inputs)
    return f"{name}({ins}) = {tex_tuple(mp.outputs)}"


def coef_term(c: int, body: str) -> str:
    if c == 1:
        return body
    if c == -1:
        return "-" + body
    return f"{c}*{body}"


def _mono(m: tuple) -> str:
    if len(m) == 1:
        return m[0]
    if len(set(m)) == 1:
        return f"{m[0]}^{len(m)}"
    return "*".join(m)


def _shift(v: str, p) -> str:
    p = sympy.sympify(p, strict=True)
    if p == 0:
        return v
    return f"{v} - {text_of(p)}" if p > 0 else f"{v} + {text_of(-p)}"


def component(rng: random.Random, names, point: dict | None = None, funcs: bool = False,
              use=None, cubic: bool = False) -> str:
    """One output: a short polynomial in small integers, now and then with a
    sin/cos/exp whose argument vanishes at the point (so its values are 0 or 1).
    With ``use``, exactly the variables in ``use`` appear."""
    vars_ = list(use) if use else list(names)
    pool = [(v,) for v in vars_] + [(v, v) for v in vars_] + list(combinations(vars_, 2))
    if cubic:
        pool += [(v, v, v) for v in vars_]
    k = min(rng.choice((1, 2, 2, 3)), len(pool))
    chosen = rng.sample(pool, k)
    fterm = None
    if funcs and point is not None and rng.random() < 0.3:
        v = rng.choice(vars_)
        if sympy.sympify(point[v], strict=True).is_Integer:
            fterm = (rng.choice(_FUNCS), v)
    covered = {v for m in chosen for v in m} | ({fterm[1]} if fterm else set())
    for v in vars_:
        if use and v not in covered:
            chosen.append(rng.choice([m for m in pool if v in m]))
            covered |= set(chosen[-1])
    chosen = sorted(set(chosen), key=lambda m: (-len(m), vars_.index(m[0]), m))
    terms = [coef_term(rng.choice(_COEFS), _mono(m)) for m in chosen]
    if fterm:
        fn, v = fterm
        terms.append(coef_term(rng.choice(SMALL), f"{fn}({_shift(v, point[v])})"))
    if rng.random() < 0.2:
        terms.append(str(rng.choice((1, 2, 3, -1, -2))))
    return signed_sum(terms)


def draw_ints(rng, n, pool=_POINT) -> list:
    return [sympy.Integer(rng.choice(pool)) for _ in range(n)]


def image_of(text: str, point) -> list:
    """Exactly where a typed map sends an exact point (used while drawing)."""
    ins, outs = parse_map(text)
    mapping = dict(zip(ins, point))
    return [simp(o.subs(mapping, simultaneous=True)) for o in outs]


def funcs_ok(point) -> bool:
    return all(sympy.sympify(p, strict=True).is_Integer for p in point)


def pname(names) -> str:
    """``x`` or ``(x1, x2)``."""
    return tuple_text(names)


def where_text(names, point) -> str:
    """``x = 1`` or ``(x1, x2) = (1, 2)``."""
    return f"{pname(names)} = {vec_text(point)}"


def where_tex(mp: Map, point) -> str:
    lhs = tex_paren((latex(s) for s in mp.inputs), ", ")
    return f"{lhs} = {point_tex(point)}"


def names_tex(names) -> str:
    return tex_paren((tex_name(n) for n in names), ", ")


def integers(*vals) -> list:
    """Exact integers, for the lessons' points."""
    return [sympy.Integer(v) for v in vals]

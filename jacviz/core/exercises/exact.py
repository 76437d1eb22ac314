"""Exact numbers: which are nice, how they are simplified, checked and written.

Niceness rule.  A number is *nice* when it is an exact fraction p/q in lowest
terms with q in {1, 2, 4, 5, 10} and |p| <= 99 (so it is an integer or a
decimal with at most two places, of size below 100).  Distinct nice numbers
differ by at least 1/20.  In the steps of a curve exercise a nice multiple of
sqrt(2) or sqrt(3) is a hand number too (``hand_ok``).

The writing shares :mod:`jacviz.core.fmt`: a fraction is written by
``frac_text``/``frac_tex``, any other expression by ``plain_expr``/``tex_expr``,
and tuples and matrices are laid out by ``tuple_text``, ``rows_text``,
``tex_paren`` and ``tex_bmatrix``, the same layouts as the captions' floats.
Names: ``*_text`` is caption text, ``*_tex`` is LaTeX.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy

from ..errors import NumericError
from ..fmt import (frac_tex, frac_text, plain_expr, rows_text, tex_bmatrix, tex_expr, tex_paren,
                   tuple_text)
from ..texnames import latex

NICE_DENOMINATORS = (1, 2, 4, 5, 10)
MAX_NUMERATOR = 99
SURDS = (sympy.sqrt(2), sympy.sqrt(3))


def nice_fraction(value) -> Fraction | None:
    """``value`` as a nice fraction (see the module docstring), or None.

    Accepts a sympy number, an int, a Fraction, or a float (read through its
    shortest repr, so 0.3 is 3/10 and 0.30000000000000004 is not nice).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        q = value
    elif isinstance(value, int):
        q = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        q = Fraction(repr(value))
    else:
        q = _fraction(value)
        if q is None:
            return None
    if q.denominator in NICE_DENOMINATORS and abs(q.numerator) <= MAX_NUMERATOR:
        return q
    return None


def is_nice(answer) -> bool:
    """True when every number in an answer (a number, a list, a nested list) is nice."""
    if isinstance(answer, (list, tuple)):
        return len(answer) > 0 and all(is_nice(a) for a in answer)
    return nice_fraction(answer) is not None


def hand_ok(v, surds: bool) -> bool:
    """A number a student works with by hand: nice, or (with ``surds``) a nice
    multiple of sqrt(2) or sqrt(3)."""
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        return nice_fraction(v) is not None
    if surds and v.is_number:
        for s in SURDS:
            q = simp(v / s)
            if q.is_Rational and nice_fraction(q) is not None:
                return True
    return False


def _fraction(v) -> Fraction | None:
    """A rational sympy number (or what sympifies to one) as a Fraction, else None."""
    try:
        v = sympy.sympify(v, strict=True)
    except (sympy.SympifyError, TypeError):
        return None
    return Fraction(int(v.p), int(v.q)) if v.is_Rational else None


# -- exact values -----------------------------------------------------------------
def simp(v) -> sympy.Expr:
    """Exact simplification (never a numeric guess such as nsimplify)."""
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        return v
    return sympy.radsimp(sympy.simplify(v)) if v.is_number else sympy.simplify(v)


def exact_at(M, mapping) -> sympy.Matrix:
    """A symbolic matrix (or expression) evaluated exactly at a point."""
    if isinstance(M, sympy.MatrixBase):
        return M.subs(mapping, simultaneous=True).applyfunc(simp)
    return simp(sympy.sympify(M, strict=True).subs(mapping, simultaneous=True))


def floats(values) -> np.ndarray:
    if isinstance(values, sympy.MatrixBase):
        return np.array([[float(v) for v in row] for row in values.tolist()], dtype=float)
    return np.array([float(v) for v in values], dtype=float)


def agree(numeric, exact, what: str) -> None:
    """The core's numeric result must match the exact evaluation."""
    a = np.asarray(numeric, dtype=float)
    b = floats(exact) if not isinstance(exact, np.ndarray) else exact
    if a.size != b.size or not np.allclose(a.ravel(), b.ravel(), rtol=1e-9, atol=1e-9):
        raise NumericError(f"exercise check failed: {what}: the core gives {a.ravel().tolist()}, "
                           f"exact evaluation {b.ravel().tolist()}")


def json_num(v):
    """An exact number for JSON: int when whole, float otherwise."""
    v = sympy.sympify(v, strict=True)
    if v.is_Integer:
        return int(v)
    if v.is_Rational:
        return float(Fraction(int(v.p), int(v.q)))
    return float(v)


def flat(item) -> list:
    """Every number in a matrix, a list or a nested list, in order."""
    if isinstance(item, sympy.MatrixBase):
        return list(item)
    if isinstance(item, (list, tuple)):
        return [v for it in item for v in flat(it)]
    return [item]


# -- how they are written ---------------------------------------------------------
def text_of(v) -> str:
    """An exact number (or expression) as caption text: 2, 0.25, sqrt(2)/2, 2*x
    (text already written is kept as it is)."""
    return _written(v, frac_text, plain_expr)


def tex_of(v) -> str:
    """An exact number (or expression) as LaTeX: 0.25, \\frac{1}{3}, \\frac{\\sqrt{2}}{2}
    (LaTeX already written is kept)."""
    return _written(v, frac_tex, tex_expr)


def _written(v, fraction, expression) -> str:
    if isinstance(v, str):
        return v
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        return fraction(Fraction(int(v.p), int(v.q)))
    return expression(v)


def paren_text(v) -> str:
    """A factor in a product, in parentheses: (2), (-1), (u2)."""
    return f"({text_of(v)})"


def paren_tex(v) -> str:
    return r"\left(%s\right)" % tex_of(v)


def vec_text(vals) -> str:
    """A point or a vector as text: (1, 0.5); one number as itself.  Also a column."""
    return tuple_text(text_of(v) for v in vals)


col_text = vec_text


def point_tex(vals) -> str:
    return tex_paren(tex_of(v) for v in vals)


def _rows(M, cell) -> list[list[str]]:
    M = sympy.Matrix(M)
    return [[cell(v) for v in M.row(i)] for i in range(M.rows)]


def mat_text(M) -> str:
    """[[1, 2], [3, 4]]; a row as [1, 2]; a 1 x 1 as its number."""
    return rows_text(_rows(M, text_of))


def mat_tex(M) -> str:
    """A bmatrix; a 1 x 1 as its number."""
    rows = _rows(M, tex_of)
    return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else tex_bmatrix(rows)


def col_tex(vals) -> str:
    return mat_tex(sympy.Matrix(list(vals)))


def sym_text(M) -> str:
    """A symbolic matrix as caption text: [[2*x, 1], [y, x]]."""
    return rows_text(_rows(M, plain_expr))


def sym_tex(M) -> str:
    """A symbolic matrix as a bmatrix (a 1 x 1 too)."""
    return tex_bmatrix(_rows(M, latex))


def shape_text(M) -> str:
    return f"{M.rows}x{M.cols}"

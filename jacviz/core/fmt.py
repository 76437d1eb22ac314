"""Number formatting shared by the captions, the CLI report and the screen.

Plain text (captions, the report): ``fmt_num``, ``plain_vec``, ``plain_mat``,
``plain_expr``, ``signed_sum``, ``plural``.  TeX strings (the screen):
``tex_num``, ``tex_vec``, ``tex_expr``, ``tex_signed_sum``.  Both write a number
the same way: integers plain, others to 3 significant digits.  Exact numbers
(the practice exercises): ``frac_text`` and ``frac_tex`` write a fraction
exactly, 0.25 or 1/3.  The layouts every writer shares, whatever writes the
cells: ``tuple_text`` and ``rows_text`` (plain), ``tex_paren`` and
``tex_bmatrix`` (TeX).  Also the round numbers for scales and axes:
``nice_floor`` and ``nice_range``.
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction


def fmt_num(v: float, digits: int = 3) -> str:
    """A number as a lecturer would write it: 2, -0.5, 0.731, 1.2e+04.

    Integers (to 1e-9 relative) print without a decimal point; others with
    ``digits`` significant digits, trailing zeros dropped.  ``-0`` prints 0.
    """
    v = float(v)
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if abs(v) < 1e-12:
        return "0"
    r = round(v)
    if abs(v - r) <= 1e-9 * max(1.0, abs(v)) and abs(r) < 1e9:
        return str(int(r))
    out = f"{v:.{digits}g}"
    if "e" not in out and "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def fmt_vec(v, digits: int = 3) -> str:
    return "(" + ", ".join(fmt_num(x, digits) for x in v) + ")"


def frac_text(q: Fraction) -> str:
    """An exact fraction as text: 2, -0.25 when it is a short decimal (the
    denominator divides 100), 1/3 otherwise."""
    if q.denominator == 1:
        return str(q.numerator)
    if 100 % q.denominator == 0:
        n = abs(q.numerator) * (100 // q.denominator)
        s = f"{n // 100}.{n % 100:02d}".rstrip("0")
        return ("-" if q < 0 else "") + s
    return f"{q.numerator}/{q.denominator}"


def frac_tex(q: Fraction) -> str:
    """An exact fraction for TeX: as frac_text, with \\frac{1}{3} for one that is
    not a short decimal."""
    if 100 % q.denominator == 0:
        return frac_text(q)
    return ("-" if q < 0 else "") + r"\frac{%d}{%d}" % (abs(q.numerator), q.denominator)


# -- layouts, whatever writes the cells ----------------------------------------------
def tuple_text(cells) -> str:
    """Written cells as a tuple, (a, b); one cell as itself."""
    cells = list(cells)
    return cells[0] if len(cells) == 1 else "(" + ", ".join(cells) + ")"


def rows_text(rows) -> str:
    """Written cells, row by row, as caption text: [[a, b], [c, d]]; a row as [a, b];
    a single cell as itself."""
    rows = [list(r) for r in rows]
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    if len(rows) == 1:
        return "[" + ", ".join(rows[0]) + "]"
    return "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"


def tex_paren(items, sep: str = r",\ ") -> str:
    """Written TeX items as a tuple, \\left(a,\\ b\\right); one item as itself."""
    items = list(items)
    return items[0] if len(items) == 1 else r"\left(" + sep.join(items) + r"\right)"


def tex_bmatrix(rows) -> str:
    """Written TeX cells, row by row, as a bmatrix."""
    body = r" \\ ".join(" & ".join(r) for r in rows)
    return r"\begin{bmatrix} %s \end{bmatrix}" % body


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 input', '2 inputs' (or the given plural form)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def plain_expr(expr) -> str:
    """A sympy expression as caption text: x^2 rather than x**2; max, min, abs as typed."""
    from .domains import plain_text

    return plain_text(expr)


def plain_vec(v, digits: int = 3) -> str:
    """A vector as caption text: (0.3, 0); a 1-vector as its number."""
    import numpy as np

    return tuple_text(fmt_num(x, digits) for x in np.ravel(np.asarray(v, dtype=float)))


def plain_mat(A, digits: int = 3) -> str:
    """A matrix as caption text: [[2, -1], [2, 1]]; a row as [1, 3]."""
    import numpy as np

    A = np.atleast_2d(np.asarray(A, dtype=float))
    return rows_text([fmt_num(x, digits) for x in row] for row in A)


def signed_sum(values, fmt=fmt_num) -> str:
    """'2 + 8 - 3' from [2, 8, -3] (each number written by fmt; text is taken as written)."""
    out = ""
    for k, v in enumerate(values):
        s = v if isinstance(v, str) else fmt(v)
        if k == 0:
            out = s
        elif s.startswith("-"):
            out += " - " + s[1:]
        else:
            out += " + " + s
    return out


def dot_terms(a, b, fmt=fmt_num) -> str:
    """'0.4 - 0.1': the products a_i b_i of a dot product, as a signed sum."""
    return signed_sum([float(x) * float(y) for x, y in zip(a, b)], fmt)


# -- TeX strings -------------------------------------------------------------------
def tex_num(v: float, digits: int = 3) -> str:
    """A number for TeX: as fmt_num, with 1.2\\times 10^{4} for exponents."""
    s = fmt_num(v, digits)
    if "e" in s:
        mant, ex = s.split("e")
        s = rf"{mant}\times 10^{{{int(ex)}}}"
    return s


def tex_factor(v: float, digits: int = 3) -> str:
    """A number as a factor in a product: negative ones in parentheses."""
    s = tex_num(v, digits)
    return f"({s})" if s.startswith("-") else s


def tex_vec(v, digits: int = 3) -> str:
    """A vector for TeX as a tuple, (0.3,\\, 0); a 1-vector as its number."""
    import numpy as np

    return tex_paren((tex_num(a, digits) for a in np.ravel(np.asarray(v, dtype=float))), r",\, ")


def tex_expr(expr) -> str:
    """LaTeX for a sympy expression (or a number); names as :func:`.texnames.tex_name`
    writes them (th as theta), functions as a lecturer writes them (arcsin, max)."""
    import numpy as np

    from .texnames import latex

    if isinstance(expr, (int, float, np.floating, np.integer)):
        return tex_num(float(expr))
    return latex(expr)


def tex_tuple(exprs) -> str:
    """``(e1,\\ e2)`` for several expressions, the expression itself for one."""
    return tex_paren(tex_expr(e) for e in exprs)


def tex_signed_sum(values, digits: int = 3) -> str:
    return signed_sum(values, lambda v: tex_num(v, digits))


# -- round numbers ---------------------------------------------------------------
NICE = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)


def nice_floor(b: float) -> float:
    """The largest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times 10^k) not above b;
    1 for a bound that is not positive and finite."""
    if not math.isfinite(b) or b <= 0:
        return 1.0
    k = math.floor(math.log10(b))
    for m in reversed(NICE):
        if m * 10.0 ** k <= b * (1 + 1e-9):  # floats: 8e308 is inf, not an OverflowError
            return float(m * 10.0 ** k)
    return float(10.0 ** k)


def nice_range(lo: float, hi: float, ticks: int = 4) -> tuple[float, float, float]:
    """An axis range [a, b] with a round step (1, 2, 2.5, 5 x 10^k), covering [lo, hi].

    Any finite bounds: a span too small to divide (below 1e-9, or below 1e-12 of the
    bounds' size, where float64 cannot tell the ticks apart) is widened about its middle;
    a span beyond float64's range (-1e308 to 1e308) keeps the bounds themselves."""
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        from .errors import NumericError

        raise NumericError(f"an axis from {lo} to {hi} cannot be drawn: not finite")
    lo, hi = min(lo, hi), max(lo, hi)
    ticks = max(1, int(ticks))
    size = max(abs(lo), abs(hi))
    if hi - lo < max(1e-9, 1e-12 * size):
        half = max(1.0, 1e-12 * size)
        mid = lo / 2 + hi / 2
        top = sys.float_info.max
        lo, hi = max(mid - half, -top), min(mid + half, top)
    raw = hi / ticks - lo / ticks
    if not math.isfinite(raw):  # a span beyond float64: the bounds themselves, two ticks
        return lo, hi, hi / 2 - lo / 2
    mag = 10.0 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=10 * mag)
    a = math.floor(lo / step) * step
    b = math.ceil(hi / step) * step
    if not (math.isfinite(step) and math.isfinite(a) and math.isfinite(b)):
        return lo, hi, hi / 2 - lo / 2  # at the very end of float64's range
    return float(a), float(b), float(step)

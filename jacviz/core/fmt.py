"""Number formatting shared by the captions, the CLI report and the screen.

Plain text (captions, the report): ``fmt_num``, ``plain_vec``, ``plain_mat``,
``plain_expr``, ``signed_sum``, ``plural``.  TeX strings (the screen):
``tex_num``, ``tex_vec``, ``tex_expr``, ``tex_signed_sum``.  Both write a number
the same way: integers plain, others to 3 significant digits.  Also the round
numbers for scales and axes: ``nice_floor`` and ``nice_range``.
"""

from __future__ import annotations

import math
import sys


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


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 input', '2 inputs' (or the given plural form)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def plain_expr(expr) -> str:
    """A sympy expression as caption text: x^2 rather than x**2."""
    import sympy

    return sympy.sstr(expr, full_prec=False).replace("**", "^")


def plain_vec(v, digits: int = 3) -> str:
    """A vector as caption text: (0.3, 0); a 1-vector as its number."""
    import numpy as np

    v = np.ravel(np.asarray(v, dtype=float))
    if v.size == 1:
        return fmt_num(v[0], digits)
    return "(" + ", ".join(fmt_num(x, digits) for x in v) + ")"


def plain_mat(A, digits: int = 3) -> str:
    """A matrix as caption text: [[2, -1], [2, 1]]; a row as [1, 3]."""
    import numpy as np

    A = np.atleast_2d(np.asarray(A, dtype=float))
    if A.size == 1:
        return fmt_num(A[0, 0], digits)
    if A.shape[0] == 1:
        return "[" + ", ".join(fmt_num(x, digits) for x in A[0]) + "]"
    return "[" + ", ".join("[" + ", ".join(fmt_num(x, digits) for x in row) + "]" for row in A) + "]"


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

    v = np.ravel(np.asarray(v, dtype=float))
    if v.size == 1:
        return tex_num(v[0], digits)
    return r"\left(" + r",\, ".join(tex_num(a, digits) for a in v) + r"\right)"


def tex_expr(expr) -> str:
    """LaTeX for a sympy expression (or a number)."""
    import numpy as np
    import sympy

    if isinstance(expr, (int, float, np.floating, np.integer)):
        return tex_num(float(expr))
    return sympy.latex(expr)


def tex_tuple(exprs) -> str:
    """``(e1,\\ e2)`` for several expressions, the expression itself for one."""
    items = [tex_expr(e) for e in exprs]
    return items[0] if len(items) == 1 else r"\left(" + r",\ ".join(items) + r"\right)"


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

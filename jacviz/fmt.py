"""Number formatting shared by the CLI report and the scenes."""

from __future__ import annotations

import math


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

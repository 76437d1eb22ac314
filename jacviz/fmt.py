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

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

Comparisons, one rule everywhere (screen, captions, narration, live pages):
numbers shown as different (≠, <, "the gap") are printed with the fewest
significant digits, 3 to 8, that print them visibly different (``distinct``,
``tex_distinct``, ``column_digits``); beyond 8 the difference itself is stated
("differs by 3.2 × 10⁻⁹", ``Differs``).  Numbers shown as equal are printed
the same on both sides.  ``compare`` applies the whole rule; ``coincide`` is
the floating-point tolerance for "equal".
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
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


def fmt_plain(v: float, digits: int = 3) -> str:
    """fmt_num without exponents between 10^-6 and 10^9: 21200 rather than 2.12e+04,
    0.000123 rather than 1.23e-04, still ``digits`` significant digits (for a number that
    is drawn glyph by glyph, where an exponent cannot be raised)."""
    s = fmt_num(v, digits)
    v = float(v)
    if "e" not in s or not 1e-6 <= abs(v) < 1e9:
        return s
    r = float(f"{v:.{digits}g}")
    if abs(r) >= 10 ** (digits - 1):
        return str(int(r))
    places = digits - 1 - math.floor(math.log10(abs(r)))
    return f"{r:.{places}f}".rstrip("0").rstrip(".")


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


def tex_vec_factored(v, digits: int = 3) -> str | None:
    """A vector whose numbers tex_num writes each with a power of ten, with the largest
    power written once in front: ``10^{-6}\\,(-4,\\, 0.3,\\, 0)``, the same digits (exact
    decimal shifts of tex_num's); None when some number is written without one, for a
    1-vector, or when every number is 0."""
    from decimal import Decimal

    import numpy as np

    vals = [float(a) for a in np.ravel(np.asarray(v, dtype=float))]
    texts = [fmt_num(a, digits) for a in vals]
    sci = [t.split("e") for t in texts if "e" in t]
    if len(vals) < 2 or not sci or len(sci) != sum(t != "0" for t in texts):
        return None
    k = max(int(ex) for _, ex in sci)
    cells = []
    for t in texts:
        if "e" not in t:  # 0
            cells.append("0")
            continue
        mant, ex = t.split("e")
        d = Decimal(mant).scaleb(int(ex) - k)
        cells.append(format(d.normalize() if d == d.to_integral() else d, "f"))
    return rf"10^{{{k}}}\," + tex_paren(cells, r",\, ")


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


def nice_ceil(b: float) -> float:
    """The smallest round number (as :func:`nice_floor`'s) not below b; 1 for a bound
    that is not positive and finite."""
    if not math.isfinite(b) or b <= 0:
        return 1.0
    k = math.floor(math.log10(b))
    for e in (k, k + 1):
        for m in NICE:
            if m * 10.0 ** e >= b * (1 - 1e-9):
                return float(m * 10.0 ** e)
    return float(10.0 ** (k + 1))


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


# -- comparisons: numbers shown as different, or as equal ---------------------------------
#: the usual significant digits, and the most a comparison prints before it states the
#: difference instead (the live pages read these constants too)
COMPARE_DIGITS = 3
COMPARE_MOST = 8
#: relative tolerance (of the larger size, at least 1) under which two floats computed from
#: numbers equal in exact arithmetic are taken as equal (floating-point error)
EQUAL_RTOL = 1e-9

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _values(v) -> list[float]:
    import numpy as np

    return [float(x) for x in np.ravel(np.asarray(v, dtype=float))]


def coincide(a, b, rtol: float = EQUAL_RTOL) -> bool:
    """Whether two numbers (or vectors, componentwise) are equal up to floating-point
    error: every |a_i - b_i| at most ``rtol`` times max(1, |a_i|, |b_i|)."""
    xs, ys = _values(a), _values(b)
    if len(xs) != len(ys):
        return False
    return all(abs(x - y) <= rtol * max(1.0, abs(x), abs(y)) for x, y in zip(xs, ys))


def _unit(x: float, y: float, p: int) -> float:
    """One unit in the p-th significant digit of the larger of |x|, |y| (its decimal
    exponent read from its exact expansion, the power of ten correctly rounded: the live
    pages compute the same float)."""
    big = max(abs(x), abs(y))
    if not big > 0 or not math.isfinite(big):
        return 0.0
    exponent = int(f"{big:.20e}".split("e")[1])
    return float(f"1e{exponent - p + 1}")


def digits_apart(a, b, write=fmt_num, digits: int = COMPARE_DIGITS,
                 most: int = COMPARE_MOST) -> int | None:
    """The fewest significant digits p, ``digits <= p <= most``, at which ``write(x, p)``
    prints the two sides visibly different: some component prints differently and
    differs by at least half a unit in its p-th digit (so that two numbers on either
    side of a rounding boundary, 0.1235 - 1e-12 and 0.1235 + 1e-12, are not shown
    apart by their rounding alone); None when no such p exists."""
    xs, ys = _values(a), _values(b)
    for p in range(max(1, digits), max(1, digits, most) + 1):
        if any(write(x, p) != write(y, p) and abs(x - y) >= 0.5 * _unit(x, y, p)
               for x, y in zip(xs, ys)):
            return p
    return None


def gap_of(a, b) -> float:
    """The difference between two numbers, or the largest between two vectors' components."""
    return max((abs(x - y) for x, y in zip(_values(a), _values(b))), default=0.0)


def sci_text(v: float, digits: int = 2) -> str:
    """A small or large number in plain text as a person writes it: 3.2 × 10⁻⁹ (and
    0.0042 or 250 in between, as fmt_num writes them)."""
    v = float(v)
    if v == 0 or 1e-3 <= abs(v) < 1e4 or not math.isfinite(v):
        return fmt_num(v, digits)
    mant, ex = f"{v:.{max(1, digits) - 1}e}".split("e")
    mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
    return f"{mant} × 10{str(int(ex)).translate(_SUPERSCRIPT)}"


def sci_tex(v: float, digits: int = 2) -> str:
    """sci_text for TeX: 3.2\\times 10^{-9}."""
    v = float(v)
    if v == 0 or 1e-3 <= abs(v) < 1e4 or not math.isfinite(v):
        return tex_num(v, digits)
    mant, ex = f"{v:.{max(1, digits) - 1}e}".split("e")
    mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
    return rf"{mant}\times 10^{{{int(ex)}}}"


@dataclass(frozen=True)
class Differs:
    """Two numbers (or vectors) that differ beyond ``most`` significant digits: the sides
    as usual, both written from the first (``a``, ``b``: the same text, shown as
    approximately equal) and the difference itself, ``by`` (the
    largest difference of a component).  ``text()``, ``tex()``: "differs by 3.2 × 10⁻⁹";
    the spoken form is :func:`jacviz.core.spoken.say_differs`."""

    a: str
    b: str
    by: float

    def text(self, verb: str = "differs by") -> str:
        return f"{verb} {sci_text(self.by)}"

    def tex(self, verb: str = "differs by") -> str:
        return rf"\text{{{verb} }}{sci_tex(self.by)}"


def _sides(a, b, write, join, digits: int, most: int, by: float | None):
    p = digits_apart(a, b, write, digits, most)
    if p is None:
        alike = join(write(x, digits) for x in _values(a))  # both sides alike, and the gap
        return Differs(alike, alike, abs(float(by)) if by is not None else gap_of(a, b))
    return join(write(x, p) for x in _values(a)), join(write(y, p) for y in _values(b))


def distinct(a, b, digits: int = COMPARE_DIGITS, most: int = COMPARE_MOST, *,
             by: float | None = None):
    """Two numbers (or vectors, compared as a whole) shown as different, in plain text:
    ``(text_a, text_b)`` with the fewest significant digits (``digits`` to ``most``) that
    print them visibly different (:func:`digits_apart`), or a :class:`Differs` when even
    ``most`` digits cannot.  ``by`` is the difference when known better than a - b in
    floats (computed in high precision)."""
    return _sides(a, b, fmt_num, tuple_text, digits, most, by)


def tex_distinct(a, b, digits: int = COMPARE_DIGITS, most: int = COMPARE_MOST, *,
                 by: float | None = None):
    """:func:`distinct` in TeX (sides as tex_vec writes them)."""
    return _sides(a, b, tex_num, lambda items: tex_paren(items, r",\, "), digits, most, by)


@dataclass(frozen=True)
class Comparison:
    """Two sides of a comparison as printed: ``equal`` (shown as equal: both sides the same
    text), ``a`` and ``b`` (the sides), ``by`` (the difference, stated when the digits
    cannot show it; None otherwise), ``style`` ("plain", "tex" or "spoken") and ``digits``
    (the significant digits the sides are written with); ``said``: the spoken note.  ``sign``
    is =, ≠ (the sides print differently) or ≈ (they print alike and differ by ``by``);
    ``note`` is "" or "differs by 3.2 × 10⁻⁹" (in the style)."""

    equal: bool
    a: str
    b: str
    by: float | None = None
    style: str = "plain"
    digits: int = COMPARE_DIGITS
    said: str = ""

    @property
    def sign(self) -> str:
        tex = self.style == "tex"
        if self.equal:
            return "="
        if self.by is None:
            return r"\ne" if tex else "≠"
        return r"\approx" if tex else "≈"

    @property
    def note(self) -> str:
        if self.by is None:
            return ""
        if self.style == "spoken":  # said by jacviz.core.spoken.say_compare
            return self.said
        d = Differs(self.a, self.b, self.by)
        return d.tex() if self.style == "tex" else d.text()


def compare(a, b, equal: bool | None = None, digits: int = COMPARE_DIGITS,
            most: int = COMPARE_MOST, *, by: float | None = None, tex: bool = False,
            write=None, join=None, style: str | None = None) -> Comparison:
    """The one rule for printing two numbers (or vectors) side by side.

    ``equal`` says whether they are shown as equal (default: :func:`coincide`).  Equal:
    both sides are printed from ``a``, the same digits on both sides.  Different: with
    the fewest digits that tell them apart (:func:`distinct`), or, beyond ``most``
    digits, both alike with the difference stated (``by``, "differs by 3.2 × 10⁻⁹").
    ``tex=True`` writes TeX; ``write(x, digits)``, ``join(items)`` and ``style`` another
    form (:func:`jacviz.core.spoken.say_compare` for the voice)."""
    style = style or ("tex" if tex else "plain")
    write = write or (tex_num if tex else fmt_num)
    join = join or ((lambda items: tex_paren(items, r",\, ")) if tex else tuple_text)
    if equal is None:
        equal = coincide(a, b)
    if equal:
        text = join(write(x, digits) for x in _values(a))
        return Comparison(True, text, text, None, style, digits)
    p = digits_apart(a, b, write, digits, most)
    if p is None:
        alike = join(write(x, digits) for x in _values(a))
        gap = abs(float(by)) if by is not None else gap_of(a, b)
        return Comparison(False, alike, alike, gap, style, digits)
    return Comparison(False, join(write(x, p) for x in _values(a)),
                      join(write(y, p) for y in _values(b)), None, style, p)


def column_digits(values, digits: int = COMPARE_DIGITS, most: int = COMPARE_MOST,
                  write=fmt_num) -> int:
    """The digits for a column of numbers read one after the other (a table's rows, a
    sequence that falls): the fewest, ``digits`` to ``most``, at which every two
    neighbours that differ print visibly different (neighbours no digits can tell apart
    are left to print alike)."""
    vals = _values(values)
    need = [digits_apart(x, y, write, digits, most) for x, y in zip(vals, vals[1:])
            if not coincide(x, y)]
    return max([digits] + [p for p in need if p is not None])

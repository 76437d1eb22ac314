"""Where the functions of a map are defined and differentiable, in words.

Two users: the parser (:mod:`.parse`), which refuses a function of numbers outside
its domain (``asin(2)``), and the self-check (:func:`jacviz.core.maps.self_check`),
which refuses a point where a value or a derivative is not finite, or where the
map has a kink, and names the piece of the map responsible:

- values: ``asin`` and ``acos`` need an argument in [-1, 1], ``log`` a positive
  argument (and a base that is positive and not 1), ``sqrt`` and other fractional
  powers an argument >= 0, ``atan2(y, x)`` a point other than y = x = 0, and a
  denominator must not be 0;
- derivatives: ``asin``/``acos`` have none at +-1, ``sqrt`` (and x^p, 0 < p < 1)
  none at 0 (the slope is infinite);
- kinks, where the one-sided derivatives differ: ``abs`` and ``relu`` where the
  argument is 0, ``max``/``min`` where the largest (smallest) arguments are
  equal, and ``atan2(y, x)``, which jumps by 2 pi where y = 0 and x < 0.

Derivative convention: the symbolic Jacobian of max, min and relu uses the step
Heaviside(u), and of abs the sign; at a kink these give the mean of the two
one-sided derivatives (1/2, 0), which is what the compiled numpy and JavaScript
return there.  That number is not a derivative, so the self-check refuses such a
point with one line naming the kink (``max(x, y) has a kink where its two largest
arguments are equal``), as it refuses abs at 0.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import sympy
from sympy.printing.str import StrPrinter

from .errors import shorten

#: how close two numbers must be to count as equal at a kink (relative, at least of 1)
KINK_TOL = 1e-9


def _num(v: float) -> str:
    return f"{v:.6g}"


def argument_problem(name: str, values: Sequence[float], here: str = "at the point",
                     shown: str | None = None) -> str | None:
    """What is wrong with the function ``name`` (as typed) of these numbers, or None:
    ``asin needs an argument in [-1, 1]; here it is 2``.  ``shown`` names the call
    instead (``asin(x + y) needs ...``)."""
    a, shown = values[0], shown or name
    if name in ("asin", "acos") and not -1 <= a <= 1:
        return f"{shown} needs an argument in [-1, 1]; {here} it is {_num(a)}"
    if name == "log":
        if a <= 0:
            return f"{shown} needs a positive argument; {here} it is {_num(a)}"
        if len(values) > 1 and (values[1] <= 0 or values[1] == 1):
            return (f"the base of {shown} must be positive and not 1; {here} it is "
                    f"{_num(values[1])}")
    if name == "sqrt" and a < 0:
        return f"{shown} needs an argument >= 0; {here} it is {_num(a)}"
    if name == "atan2" and len(values) == 2 and values[0] == 0 and values[1] == 0:
        return f"{shown} is not defined where both arguments are 0"
    return None


class _Plain(StrPrinter):
    """An expression as the user types it: max, min, abs in lower case, ^ for powers."""

    def _print_Max(self, expr):
        return "max(%s)" % ", ".join(self._print(a) for a in expr.args)

    def _print_Min(self, expr):
        return "min(%s)" % ", ".join(self._print(a) for a in expr.args)

    def _print_Abs(self, expr):
        return "abs(%s)" % self._print(expr.args[0])

    def _print_Heaviside(self, expr):  # the derivative of max, min, relu: 1 where u > 0
        return "step(%s)" % self._print(expr.args[0])


def plain_text(expr) -> str:
    """An expression as text the way it is typed: x^2, max(x, y), abs(x), asin(x); the
    step in a derivative of max, min, relu (Heaviside) as step(u), 1 where u > 0."""
    return _Plain({"full_prec": False}).doprint(expr).replace("**", "^")


def plain(expr) -> str:
    """A piece of a map for an error message (shortened)."""
    return shorten(plain_text(expr))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= KINK_TOL * max(1.0, abs(a), abs(b))


def _node_problem(node, vals, kind: str) -> str | None:
    """The problem of one node given its arguments' values; kind is "value",
    "derivative" or "kink"."""
    name = {sympy.asin: "asin", sympy.acos: "acos", sympy.log: "log",
            sympy.atan2: "atan2"}.get(type(node))
    if kind == "value":
        if name is not None:
            problem = argument_problem(name, vals, shown=plain(node))
            if problem:
                return problem
        if isinstance(node, sympy.Pow) and node.exp.is_number:
            b, p = vals[0], float(node.exp)
            if b == 0 and p < 0:
                return f"{plain(node.base)} is 0 in a denominator ({plain(node)})"
            if b < 0 and node.exp == sympy.S.Half:
                return argument_problem("sqrt", [b], shown=plain(node))
            if b < 0 and not p.is_integer():
                what = "sqrt(u)" if node.exp == sympy.S.Half else "u^p for a fractional p"
                return (f"{plain(node)} needs {plain(node.base)} >= 0 ({what} needs u >= 0); "
                        f"at the point it is {_num(b)}")
        return None
    if kind == "derivative":
        if name in ("asin", "acos") and abs(vals[0]) == 1:
            return (f"{plain(node)} has no derivative where its argument is {_num(vals[0])} "
                    f"(the slope is infinite at -1 and 1)")
        if name == "atan2" and vals[0] == 0 and vals[1] == 0:
            return f"{plain(node)} has no derivative where y = x = 0"
        if isinstance(node, sympy.Pow) and node.exp.is_number and vals[0] == 0 \
                and 0 < float(node.exp) < 1:
            return (f"{plain(node)} has no derivative where {plain(node.base)} = 0 (the slope "
                    f"is infinite there)")
        return None
    # kinks
    if isinstance(node, sympy.Abs) and _close(vals[0], 0.0):
        return f"{plain(node)} has a kink where its argument is 0"
    if type(node).__name__ == "relu" and _close(vals[0], 0.0):
        return f"{plain(node)} has a kink where its argument is 0"
    if isinstance(node, (sympy.Max, sympy.Min)) and len(vals) >= 2:
        big = isinstance(node, sympy.Max)
        top = sorted(vals, reverse=big)
        if _close(top[0], top[1]):
            which = "largest" if big else "smallest"
            return (f"{plain(node)} has a kink where its two {which} arguments are equal "
                    f"(here both are {_num(top[0])})")
    if name == "atan2" and _close(vals[0], 0.0) and vals[1] < 0:
        return (f"{plain(node)} jumps by 2 pi where y = 0 and x < 0 (here y = {_num(vals[0])}, "
                f"x = {_num(vals[1])})")
    return None


def _candidates(exprs, kind: str) -> list:
    """The nodes that can have a problem of this kind, innermost first."""
    kinds = (sympy.asin, sympy.acos, sympy.log, sympy.atan2, sympy.Pow) if kind != "kink" else \
        (sympy.Abs, sympy.Max, sympy.Min, sympy.atan2)
    out = []
    for e in exprs:
        for node in sympy.postorder_traversal(e):
            if (isinstance(node, kinds) or (kind == "kink" and type(node).__name__ == "relu")) \
                    and node not in out:
                out.append(node)
    return out


def explain(exprs, evaluate: Callable[[list], list], kinds=("value", "derivative")) -> str | None:
    """The first problem (innermost first) of the given kinds in exprs at a point, in
    words, or None.  ``evaluate(list of expressions)`` gives their float values at the
    point (the caller compiles them)."""
    for kind in kinds:
        nodes = _candidates(exprs, kind)
        if not nodes:
            continue
        flat = [a for nd in nodes for a in nd.args]
        try:
            values = [float(v) for v in evaluate(flat)]
        except Exception:  # noqa: BLE001 - only an explanation; the error stands without it
            continue
        pos = 0
        for nd in nodes:
            vals = values[pos:pos + len(nd.args)]
            pos += len(nd.args)
            if not all(math.isfinite(v) for v in vals):
                continue  # an inner piece is already undefined: it is named first
            problem = _node_problem(nd, vals, kind)
            if problem:
                return problem
    return None


__all__ = ["argument_problem", "explain", "plain", "plain_text"]

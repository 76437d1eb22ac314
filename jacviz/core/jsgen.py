"""Compile maps and their Jacobians to JavaScript, for self-contained interactive pages.

A page evaluates a map, its Jacobian and a chain at whatever point the user
drags to.  This module turns the sympy trees that :mod:`jacviz.core.parse` built
into JavaScript function expressions; the user's text is never looked at.

Safety
    Every sympy node is checked against a whitelist (:data:`SUPPORTED`); any
    other node raises :class:`JsgenError`, never unknown code.  Input symbols
    become positional reads ``v[0]``, ``v[1]``, ... of the one array argument,
    so no user-chosen name (``constructor``, ``__proto__``, ``Math``) ever
    appears in code.  Every generated function is re-checked token by token
    (:func:`check_code`): its only identifiers are ``function``, ``const``,
    ``return``, ``v``, temporaries ``t0``, ``t1``, ..., ``Math.<member>``,
    ``NaN``, ``Infinity`` and the prelude's ``jacviz_*`` helpers; it has no
    strings and no ``<``.  Data (names, LaTeX) is JSON, embedded with
    :func:`to_json_for_script`, never code.

Numbers
    Integers up to 2**53 are printed exactly; larger ones, Floats and other
    Rationals as the shortest literal that round-trips the double
    (``repr(float)``, e.g. ``1e+99``); small Rationals as ``(p/q)``, which
    JavaScript rounds exactly like ``float(p/q)``.  A constant beyond the
    double range is ``Infinity``.

Non-finite values
    The functions do what ``Math`` does: ``log(x)`` at 0 is ``-Infinity``,
    ``sqrt(x)`` at -1 and ``x^(1/3)`` at -8 are ``NaN``, as in numpy.  Nothing is
    caught or replaced; the page decides how to show "undefined here" (test
    with ``Number.isFinite``).  The functions do not check the length of
    ``v``; a missing coordinate reads as ``undefined`` and gives ``NaN``.

Usage: build the script in Python ::

    script = (f"<script>\n{prelude()}\n"
              f"const MAP = {to_js_object(compile_map(mp))};\n"
              f"const CHAIN = {to_js_object(compile_chain(chain))};\n</script>")

and on the page ::

    MAP.value([1, 2]);                   // [y1, y2]
    MAP.jacobian([1, 2]);                // [[dy1/dx1, dy1/dx2], [dy2/dx1, dy2/dx2]]
    MAP.input_names, MAP.jacobian_tex;   // data, for labels and KaTeX
    jacviz_chain(CHAIN.stages, [1, 2]);  // {points, jacobians, jacobian}
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Sequence

import sympy

from .errors import JacvizError
from .maps import Chain, Map
from .parse import relu, sigmoid
from .texnames import latex


class JsgenError(JacvizError):
    """A sympy expression, or a value, that cannot be turned into JavaScript."""


class JsCode(str):
    """JavaScript source made by this module (code, not data).

    :func:`to_js_object` emits a ``JsCode`` as code, after checking it again
    with :func:`check_code`; every other string is emitted as JSON data.
    """


# -- the prelude ---------------------------------------------------------------------------

_PRELUDE = """\
/* jacviz prelude: helpers for the functions made by jacviz.core.jsgen */
function jacviz_sigmoid(x) {
  /* 1 / (1 + exp(-x)) without overflow; accurate for large |x| */
  if (x >= 0) { return 1 / (1 + Math.exp(-x)); }
  const z = Math.exp(x);
  return z / (1 + z);
}
function jacviz_step(u) {
  /* Heaviside(u), as sympy (and numpy's heaviside(u, 0.5)): 1/2 at 0, NaN stays NaN;
     the derivative of max, min and relu */
  if (u > 0) { return 1; }
  if (0 > u) { return 0; }
  return u === 0 ? 0.5 : NaN;
}
function jacviz_relu(x) {
  /* max(0, x); NaN stays NaN (x === x is false only for NaN) */
  return x > 0 ? x : (x === x ? 0 : NaN);
}
function jacviz_pow(b, e) {
  /* C's pow (as numpy): 1 ** anything and (-1) ** +-Infinity are 1; Math.pow gives NaN */
  if (b === 1) { return 1; }
  if (b === -1 && (e === Infinity || e === -Infinity)) { return 1; }
  return Math.pow(b, e);
}
function jacviz_matmul(a, b) {
  /* (p x q) times (q x r), arrays of rows */
  const out = [];
  for (let i = 0; i !== a.length; i++) {
    const row = [];
    for (let j = 0; j !== b[0].length; j++) {
      let s = 0;
      for (let k = 0; k !== b.length; k++) { s += a[i][k] * b[k][j]; }
      row.push(s);
    }
    out.push(row);
  }
  return out;
}
function jacviz_chain(stages, x) {
  /* every space's point, every stage's Jacobian, and their product (outer first) */
  const points = [x];
  const jacobians = [];
  let total = null;
  for (const st of stages) {
    const p = points[points.length - 1];
    const J = st.jacobian(p);
    jacobians.push(J);
    total = total === null ? J : jacviz_matmul(J, total);
    points.push(st.value(p));
  }
  return {points: points, jacobians: jacobians, jacobian: total};
}
"""


def prelude() -> str:
    """The JavaScript helpers the compiled functions call (``jacviz_sigmoid``,
    ``jacviz_relu``, ``jacviz_step``, ``jacviz_pow``) and ``jacviz_chain(stages, x)`` for chains.

    Put it once in a classic ``<script>`` before the compiled functions.  It is
    a constant: nothing from any map is in it.
    """
    return _PRELUDE


# -- the whitelist -------------------------------------------------------------------------

#: one-argument functions and the JavaScript they become
_CALLS: dict[type, str] = {
    sympy.sin: "Math.sin",
    sympy.cos: "Math.cos",
    sympy.tan: "Math.tan",
    sympy.asin: "Math.asin",
    sympy.acos: "Math.acos",
    sympy.atan: "Math.atan",
    sympy.exp: "Math.exp",
    sympy.log: "Math.log",
    sympy.tanh: "Math.tanh",
    sympy.Abs: "Math.abs",
    sigmoid: "jacviz_sigmoid",
    relu: "jacviz_relu",
    # from differentiating the above: d|u| = sign(u) du, and for u not known
    # to be real sympy writes |u|' with re, im, arg, atan2, sinh and cosh
    sympy.sign: "Math.sign",
    sympy.sinh: "Math.sinh",
    sympy.cosh: "Math.cosh",
}

#: constants and the JavaScript they become
_CONSTANTS: dict[Any, str] = {
    sympy.pi: "Math.PI",
    sympy.E: "Math.E",
    sympy.nan: "NaN",  # d/dx 0**x
    sympy.oo: "Infinity",
    -sympy.oo: "(-Infinity)",
}

#: every node type jsgen translates (for documentation and the tests)
SUPPORTED = (
    "Symbol (a map input), Integer, Rational, Float, pi, E, nan, oo, -oo, Add, Mul, Pow, "
    + ", ".join(sorted(t.__name__ for t in _CALLS))
    + ", sqrt (as Pow), re (the value), im (0), arg, atan2, cot (1/tan), Max, Min, "
    "Heaviside (the step in the derivative of max, min and relu)"
)

_MAX_EXACT_INT = 2**53


def js_number(value: sympy.Expr) -> str:
    """A JavaScript literal for a sympy Integer, Rational or Float.

    Negative numbers are parenthesized, so ``a - (-2)`` never reads ``a--2``.
    """
    if isinstance(value, sympy.Integer) and abs(int(value)) <= _MAX_EXACT_INT:
        return _signed(str(int(value)))
    if isinstance(value, sympy.Rational) and not isinstance(value, sympy.Integer):
        p, q = int(value.p), int(value.q)
        if abs(p) <= _MAX_EXACT_INT and q <= _MAX_EXACT_INT:
            return f"({p}/{q})"  # both exact doubles: one correctly rounded division
    if not isinstance(value, (sympy.Rational, sympy.Float)):
        raise JsgenError(f"{value!r} is not a real number jsgen can print")
    return float_literal(_to_float(value))


def _to_float(value: sympy.Expr) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def float_literal(x: float) -> str:
    """The shortest JavaScript literal for the double x (``repr``), or ``NaN``,
    ``Infinity``; parenthesized when negative."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "(-Infinity)"
    return _signed(repr(float(x)))


def _signed(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


# -- the printer ---------------------------------------------------------------------------


class _Printer:
    """Walks a sympy tree and prints JavaScript, refusing any node not whitelisted.

    ``names`` maps each allowed symbol (map inputs, cse temporaries) to the
    JavaScript that reads it (``v[0]``, ``t3``).
    """

    def __init__(self, names: dict[sympy.Symbol, str]):
        self.names = names

    def emit(self, e: sympy.Expr) -> str:
        if isinstance(e, sympy.Symbol):
            return self._symbol(e)
        if isinstance(e, (sympy.Rational, sympy.Float)):
            return js_number(e)
        for const, js in _CONSTANTS.items():
            if e is const:  # sympy singletons
                return js
        kind = type(e)
        if kind is sympy.Add:
            return "(" + " + ".join(self.emit(t) for t in e.as_ordered_terms()) + ")"
        if kind is sympy.Mul:
            return self._mul(e)
        if kind is sympy.Pow:
            return self._pow(e.base, e.exp)
        if kind in _CALLS and len(e.args) == 1:
            return f"{_CALLS[kind]}({self.emit(e.args[0])})"
        if kind is sympy.Heaviside and len(e.args) == 2 and e.args[1] == sympy.S.Half:
            return f"jacviz_step({self.emit(e.args[0])})"  # sympy's H(0) = 1/2
        return self._special(e)

    def _symbol(self, s: sympy.Symbol) -> str:
        try:
            return self.names[s]
        except KeyError:
            raise JsgenError(
                f"symbol {str(s)[:40]!r} is not an input of the map; cannot translate it to JavaScript"
            ) from None

    def _special(self, e: sympy.Expr) -> str:
        """re, im, arg, atan2: what sympy writes for |u|' when u is not known real;
        cot: what sympy makes of tan(u + pi/2).

        On real numbers (all a page has) re(u) = u, im(u) = 0, arg(u) =
        atan2(0, u), exactly as numpy's real, imag and angle on float arrays.
        """
        kind = type(e)
        if kind is sympy.re and len(e.args) == 1:
            return self.emit(e.args[0])
        if kind is sympy.im and len(e.args) == 1:
            self.emit(e.args[0])  # still refuse anything unsupported inside
            return "0"
        if kind is sympy.arg and len(e.args) == 1:
            return f"Math.atan2(0, {self.emit(e.args[0])})"
        if kind is sympy.atan2 and len(e.args) == 2:
            return f"Math.atan2({self.emit(e.args[0])}, {self.emit(e.args[1])})"
        if kind in (sympy.Max, sympy.Min) and len(e.args) >= 2:
            return f"Math.{'max' if kind is sympy.Max else 'min'}({', '.join(self.emit(a) for a in e.args)})"
        if kind is sympy.cot and len(e.args) == 1:  # sympy writes tan(x + pi/2) as -cot(x)
            return f"(1/Math.tan({self.emit(e.args[0])}))"
        raise _unsupported(e)

    def _mul(self, e: sympy.Mul) -> str:
        """``(a*b/(c*d))``, a leading minus as ``(-(...))`` (negation is exact)."""
        coeff, rest = e.as_coeff_Mul()
        negative = coeff.is_extended_negative is True  # never True for nan
        factors = list(rest.as_ordered_factors())
        magnitude = -coeff if negative else coeff
        if magnitude != 1:
            factors.insert(0, magnitude)
        num, den = [], []
        for f in factors:
            if type(f) is sympy.Pow and f.exp.is_Rational and f.exp.is_negative:
                den.append(self._pow(f.base, -f.exp))
            else:
                num.append(self.emit(f))
        top = "*".join(num) if num else "1"
        if den:
            bottom = den[0] if len(den) == 1 else "(" + "*".join(den) + ")"
            top = f"{top}/{bottom}"
        return f"(-({top}))" if negative else f"({top})"

    def _pow(self, base: sympy.Expr, exp: sympy.Expr) -> str:
        b = self.emit(base)
        if exp.is_Integer:
            k = int(exp)
            if k == 1:
                return b
            if k == -1:
                return f"(1/{b})"
            if k == 2 and _is_atomic(b):
                return f"({b}*{b})"
            return f"Math.pow({b}, {js_number(exp)})"  # exact for negative bases: (-2)**3 = -8
        if exp == sympy.Rational(1, 2) or (exp.is_Float and float(exp) == 0.5):
            return f"Math.sqrt({b})"  # numpy's x**0.5 is sqrt too
        if exp == sympy.Rational(-1, 2):
            return f"(1/Math.sqrt({b}))"
        if isinstance(exp, (sympy.Rational, sympy.Float)):
            return f"Math.pow({b}, {js_number(exp)})"  # NaN for a negative base, as numpy
        return f"jacviz_pow({b}, {self.emit(exp)})"


_ATOMIC = re.compile(r"^(v\[\d+\]|t\d+)$")


def _is_atomic(js: str) -> bool:
    return bool(_ATOMIC.match(js))


def _unsupported(e: sympy.Expr) -> JsgenError:
    text = sympy.sstr(e)
    text = text if len(text) <= 60 else text[:57] + "..."
    what = type(e).__name__
    if e.has(sympy.I) or e.has(sympy.zoo):
        why = ("it is not a real number (from sqrt(-1), log(0) or the log of a negative number, "
               "as in the derivative of (-2)^x)")
    else:
        why = f"{what} is not one of the supported nodes ({SUPPORTED})"
    return JsgenError(f"cannot translate {text} to JavaScript: {why}")


# -- checking generated code ---------------------------------------------------------------

_MATH_MEMBERS = frozenset(
    {"sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "sqrt", "tanh", "sinh", "cosh",
     "abs", "sign", "atan2", "max", "min", "pow", "PI", "E"}
)
_WORDS = frozenset(
    {"function", "return", "const", "v", "NaN", "Infinity", "jacviz_sigmoid", "jacviz_pow",
     "jacviz_step", "jacviz_relu"}
)
_TOKEN = re.compile(
    r"\s+"
    r"|(?P<num>\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
    r"|Math\.(?P<member>[A-Za-z0-9_]+)"
    r"|(?P<word>[A-Za-z_$][A-Za-z0-9_$]*)"
    r"|[()\[\]{},;=+\-*/]"
)


def check_code(src: str) -> None:
    """Raise JsgenError unless src consists only of the tokens jsgen emits.

    Allowed: whitespace, decimal number literals, ``Math.<member>`` for the
    members used, the words ``function return const v NaN Infinity``, the
    prelude's ``jacviz_sigmoid``, ``jacviz_relu``, ``jacviz_step`` and ``jacviz_pow``, temporaries ``t<k>``,
    and ``( ) [ ] { } , ; = + - * /``.  No strings, no other identifiers or
    property access, no ``<``.
    """
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if m is None or m.end() == pos:
            raise JsgenError(f"generated code has an unexpected character at {pos}: {src[pos:pos + 20]!r}")
        word, member = m.group("word"), m.group("member")
        if word is not None and word not in _WORDS and not re.fullmatch(r"t\d+", word):
            raise JsgenError(f"generated code uses an unexpected identifier {word!r}")
        if member is not None and member not in _MATH_MEMBERS:
            raise JsgenError(f"generated code uses an unexpected Math member {member!r}")
        pos = m.end()


# -- compiling functions -------------------------------------------------------------------


def _function(inputs: Sequence[sympy.Symbol], exprs: Sequence[sympy.Expr],
              shape: Callable[[list[str]], str]) -> JsCode:
    """``function (v) {...}`` returning shape(printed exprs), with common
    subexpressions computed once into constants t0, t1, ..."""
    names = {s: f"v[{i}]" for i, s in enumerate(inputs)}
    exprs = [sympy.sympify(e, strict=True) for e in exprs]
    try:
        temps = sympy.numbered_symbols("t", cls=sympy.Dummy)
        replacements, reduced = sympy.cse(exprs, symbols=temps)
        lines = ["function (v) {"]
        for k, (sym, value) in enumerate(replacements):
            text = _Printer(names).emit(value)
            names[sym] = f"t{k}"
            lines.append(f"  const t{k} = {text};")
        printer = _Printer(names)
        lines.append(f"  return {shape([printer.emit(e) for e in reduced])};")
    except RecursionError:
        raise JsgenError("an expression is nested too deeply to translate to JavaScript") from None
    lines.append("}")
    code = JsCode("\n".join(lines))
    check_code(code)
    return code


def _flat(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _rows(m: int, n: int) -> Callable[[list[str]], str]:
    def shape(items: list[str]) -> str:
        return "[" + ", ".join(_flat(items[i * n:(i + 1) * n]) for i in range(m)) + "]"

    return shape


def value_function(mp: Map) -> JsCode:
    """JavaScript ``function (v) {...}`` returning the map's m outputs at v."""
    try:
        return _function(mp.inputs, mp.outputs, _flat)
    except JsgenError as exc:
        where = _first_failing(mp, mp.outputs, lambda k: f"output {k + 1}")
        raise JsgenError(f"map {mp.name}, {where}: {exc}") from None


def jacobian_function(mp: Map) -> JsCode:
    """JavaScript ``function (v) {...}`` returning the m x n Jacobian at v, as
    an array of m rows (numerator layout: row i is the gradient of output i)."""
    entries = list(mp.jacobian_symbolic)
    try:
        return _function(mp.inputs, entries, _rows(mp.m, mp.n))
    except JsgenError as exc:
        def label(k):
            return "Jacobian entry ({},{})".format(*(i + 1 for i in divmod(k, mp.n)))

        raise JsgenError(f"map {mp.name}, {_first_failing(mp, entries, label)}: {exc}") from None


def _first_failing(mp: Map, exprs: Sequence[sympy.Expr], label: Callable[[int], str]) -> str:
    """Name the first of exprs that cannot be printed (for an error message)."""
    names = {s: f"v[{i}]" for i, s in enumerate(mp.inputs)}
    for k, e in enumerate(exprs):
        try:
            _Printer(names).emit(e)
        except (JsgenError, RecursionError):
            return label(k)
    return "an expression"


def compile_map(mp: Map) -> dict:
    """Everything a page needs about one map.

    Returns a dict with

    - ``"name"`` (str), ``"n"``, ``"m"`` (ints), ``"input_names"`` (list of str): data;
    - ``"value"``: :class:`JsCode`, ``function (v) {...}`` returning ``[y1, ..., ym]``;
    - ``"jacobian"``: :class:`JsCode`, returning m rows of n partials;
    - ``"output_tex"`` (list of m LaTeX strings), ``"jacobian_tex"`` (the
      matrix as one LaTeX string) and ``"jacobian_entries_tex"`` (m lists of n):
      data for display, from ``texnames.latex``.

    Raises JsgenError for a node not on the whitelist.  Embed with
    :func:`to_js_object`.
    """
    jac = mp.jacobian_symbolic
    return {
        "name": mp.name,
        "n": mp.n,
        "m": mp.m,
        "input_names": list(mp.input_names),
        "value": value_function(mp),
        "jacobian": jacobian_function(mp),
        "output_tex": [latex(o) for o in mp.outputs],
        "jacobian_tex": latex(jac),
        "jacobian_entries_tex": [[latex(jac[i, j]) for j in range(mp.n)] for i in range(mp.m)],
    }


def compile_chain(chain: Chain | Sequence[Map]) -> dict:
    """Every stage of a chain (inner map first), for ``jacviz_chain(stages, x)``.

    Returns a dict with ``"n"``, ``"m"``, ``"dims"`` (dimension of every
    space), ``"space_names"`` (coordinate names of every space),
    ``"output_names"`` and ``"stages"`` (a list of :func:`compile_map` dicts).
    """
    if not isinstance(chain, Chain):
        chain = Chain(list(chain))
    return {
        "n": chain.n,
        "m": chain.m,
        "dims": list(chain.dims),
        "space_names": [list(names) for names in chain.space_names],
        "output_names": list(chain.output_names),
        "stages": [compile_map(mp) for mp in chain.maps],
    }


# -- embedding in a page -------------------------------------------------------------------

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _json_default(obj: Any) -> Any:
    tolist = getattr(obj, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON data")


def to_json_for_script(obj: Any) -> str:
    """JSON for ``obj`` that is safe inside a ``<script>`` element.

    ASCII only; ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX``
    escapes, so no string in the data can close the element
    (``</script>``) or open a comment (``<!--``).  The result is also valid
    JSON (``JSON.parse`` reads it back).  Non-finite floats are refused
    (JSON has no NaN).  A :class:`JsCode` here is data: a string.
    """
    try:
        text = json.dumps(obj, ensure_ascii=True, allow_nan=False, default=_json_default)
    except ValueError as exc:
        raise JsgenError(f"cannot encode data for a page: {exc}") from None
    except TypeError as exc:
        raise JsgenError(f"cannot encode data for a page: {exc}") from None
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def to_js_object(obj: Any) -> str:
    """A JavaScript expression for obj: :class:`JsCode` values as code (each
    re-checked with :func:`check_code`), everything else as script-safe JSON.

    Dicts (string keys), lists and tuples are walked; this is how the output
    of :func:`compile_map` and :func:`compile_chain` goes into a page.
    """
    if isinstance(obj, JsCode):
        check_code(obj)
        return str(obj)
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, str):
                raise JsgenError(f"object keys must be strings, got {type(key).__name__}")
            items.append(f"{to_json_for_script(key)}: {to_js_object(value)}")
        return "{" + ", ".join(items) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ", ".join(to_js_object(v) for v in obj) + "]"
    return to_json_for_script(obj)


__all__ = [
    "JsCode",
    "JsgenError",
    "SUPPORTED",
    "check_code",
    "compile_chain",
    "compile_map",
    "float_literal",
    "jacobian_function",
    "js_number",
    "prelude",
    "to_js_object",
    "to_json_for_script",
    "value_function",
]

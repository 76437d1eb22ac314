"""Parse maps and expressions typed as text, without ever evaluating them.

``sympy.sympify`` and ``parse_expr`` call ``eval``; this module instead walks
Python's ``ast`` of the text and builds sympy objects node by node from a
whitelist.  Anything not on the list is rejected with a one-line message that
names the offending piece.

Grammar of a map::

    inputs -> outputs
    inputs  := name | "(" name ("," name)* ")"
    outputs := expr | "(" expr ("," expr)* ")"

``^`` means power.  Functions (:data:`FUNCTIONS`): sin cos tan asin acos atan
atan2(y, x) sinh cosh tanh exp log (log(x) natural, log(x, b) to base b) sqrt abs
min max (two or more arguments) sigmoid relu.  Constants: pi, e.  A function of
numbers outside its domain is refused with the domain (``asin(2)``: asin needs an
argument in [-1, 1]); at a point, :func:`jacviz.core.maps.self_check` does the same
(:mod:`.domains`).
"""

from __future__ import annotations

import ast
import math
import re
import sys
from contextlib import contextmanager

import sympy

from .domains import argument_problem
from .errors import ParseError, quote
from .limits import MAX_DEPTH, RECURSION_LIMIT

MAX_TEXT = 10_000
MAX_EXPONENT = 1_000  # |numeric exponent| allowed in x**k
MAX_INT_DIGITS = 100  # digits of an integer literal
MAX_RESULT_DIGITS = 10_000  # digits of a folded numeric power


class sigmoid(sympy.Function):
    """The logistic function 1 / (1 + exp(-x)), kept as one symbol on screen."""

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_Number:
            return 1 / (1 + sympy.exp(-arg))
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sympy.exp(-arg))

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = r"\sigma\left(%s\right)" % inner
        return base if exp is None else r"%s^{%s}" % (base, exp)

    def _eval_is_real(self):
        return self.args[0].is_real


class relu(sympy.Function):
    """The rectifier max(0, x), kept as one symbol on screen.  Its derivative is the step
    Heaviside(x) (1 for x > 0, 0 for x < 0; at the kink x = 0 sympy's value 1/2, the mean
    of the two sides, which the self-check refuses as not a derivative)."""

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_Number and arg.is_extended_real:
            return arg if arg > 0 else sympy.S.Zero
        if arg.is_extended_nonnegative:
            return arg
        if arg.is_extended_nonpositive:
            return sympy.S.Zero
        return None

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0])

    def _eval_rewrite_as_Max(self, arg, **kwargs):
        return sympy.Max(0, arg)

    def _latex(self, printer, exp=None):
        base = r"\operatorname{relu}\left(%s\right)" % printer._print(self.args[0])
        return base if exp is None else r"%s^{%s}" % (base, exp)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_extended_nonnegative(self):
        if self.args[0].is_extended_real:
            return True
        return None


def _log(arg, base=None):
    return sympy.log(arg) if base is None else sympy.log(arg, base)


FUNCTIONS = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "atan2": sympy.atan2,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "exp": sympy.exp,
    "log": _log,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "min": sympy.Min,
    "max": sympy.Max,
    "sigmoid": sigmoid,
    "relu": relu,
}
#: (fewest, most) arguments of each function (None: no limit); one argument otherwise
ARITY = {"atan2": (2, 2), "log": (1, 2), "min": (2, None), "max": (2, None)}
_ARITY_TEXT = {"atan2": "exactly two arguments, atan2(y, x)",
               "log": "one or two arguments, log(x) or log(x, base)",
               "min": "two or more arguments, e.g. min(x, y)",
               "max": "two or more arguments, e.g. max(x, y)"}
CONSTANTS = {"pi": sympy.pi, "e": sympy.E}
RESERVED = set(FUNCTIONS) | set(CONSTANTS)

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")

_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambdas",
    ast.List: "lists",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Compare: "comparisons",
    ast.BoolOp: "boolean operators",
    ast.IfExp: "conditional expressions",
    ast.Starred: "starred arguments",
    ast.JoinedStr: "strings",
    ast.NamedExpr: "assignments",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


def symbol(name: str) -> sympy.Symbol:
    """The sympy symbol jacviz uses for a variable name (real-valued)."""
    return sympy.Symbol(name, real=True)


def _preprocess(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise ParseError(f"{what} must be text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ParseError(f"{what} is {len(text)} characters long; the limit is {MAX_TEXT}")
    if not text.strip():
        raise ParseError(f"{what} is empty")
    return text.replace("^", "**")


@contextmanager
def deep_recursion(limit: int = RECURSION_LIMIT):
    """Python's recursion limit raised to ``limit`` (at least) inside the block: sympy
    and Python's own parser recurse once or more per level of an expression."""
    old = sys.getrecursionlimit()
    if old < limit:
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        if old < limit:
            sys.setrecursionlimit(old)


def _too_deep(what: str, depth: int | None = None, unit: str = "levels") -> ParseError:
    how = f" ({depth} {unit})" if depth is not None else ""
    return ParseError(f"{what} is nested too deeply{how}; the limit is {MAX_DEPTH} levels of "
                      f"parentheses, function calls, powers and signs")


def _paren_depth(text: str) -> int:
    """The deepest nesting of brackets in text."""
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


_SUM_OPS = (ast.Add, ast.Sub)
_PRODUCT_OPS = (ast.Mult, ast.Div)


def _same_chain(parent: ast.AST, child: ast.AST) -> bool:
    """Whether child is the left operand of a sum (or product) that continues it:
    x + y + z is one level, however many terms."""
    if not (isinstance(parent, ast.BinOp) and isinstance(child, ast.BinOp)):
        return False
    if child is not parent.left:
        return False
    return (isinstance(parent.op, _SUM_OPS) and isinstance(child.op, _SUM_OPS)) or \
        (isinstance(parent.op, _PRODUCT_OPS) and isinstance(child.op, _PRODUCT_OPS))


def _ast_depth(node: ast.AST) -> int:
    """Levels of nesting of an expression, without recursion: each operation, call or
    sign is a level (names and numbers are not; a sum or a product of many terms is one
    level, however many terms), so sin(sin(x)) is 2 and (x + 1)^2 is 2."""
    deepest = 0
    stack = [(node, None, 0)]  # (node, its parent, the parent's depth)
    while stack:
        nd, parent, d = stack.pop()
        if isinstance(nd, (ast.Name, ast.Constant)):
            continue
        if not (isinstance(nd, ast.Tuple) or _same_chain(parent, nd)):
            d += 1
        deepest = max(deepest, d)
        stack.extend((child, nd, d) for child in ast.iter_child_nodes(nd)
                     if isinstance(child, ast.expr))
    return deepest


def _parse_ast(text: str, what: str) -> ast.expr:
    depth = _paren_depth(text)
    if depth > MAX_DEPTH:
        raise _too_deep(what, depth, "levels of parentheses")
    try:
        with deep_recursion():
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        raise ParseError(f"{what} is not a valid expression{col}: {quote(text.strip())}") from None
    except (RecursionError, MemoryError):
        raise _too_deep(what) from None
    except ValueError:  # a NUL character
        raise ParseError(f"{what} is not a valid expression: {quote(text.strip())}") from None
    depth = _ast_depth(tree.body)
    if depth > MAX_DEPTH:
        raise _too_deep(what, depth)
    return tree.body


def _snippet(node: ast.AST, source: str) -> str:
    try:
        seg = ast.get_source_segment(source, node)
    except Exception:  # pragma: no cover - defensive
        seg = None
    return seg or type(node).__name__


def _digits(value: sympy.Expr) -> float:
    """log10 of |value| for a sympy number (0 for zero)."""
    if value == 0:
        return 0.0
    if value.is_Rational:  # integers included; bit_length avoids huge str()
        bits = max(abs(int(value.p)).bit_length(), abs(int(value.q)).bit_length())
        return bits * math.log10(2)
    try:
        return abs(float(sympy.log(abs(value), 10)))
    except (TypeError, ValueError, OverflowError):
        return 0.0


class _Builder:
    def __init__(self, source: str, variables: dict[str, sympy.Symbol], what: str):
        self.source = source
        self.variables = variables
        self.what = what

    def fail(self, node: ast.AST, reason: str) -> ParseError:
        return ParseError(f"{self.what}: {reason} in {quote(_snippet(node, self.source))}")

    def build(self, node: ast.AST) -> sympy.Expr:
        try:
            with deep_recursion():
                return self._build(node)
        except RecursionError:  # pragma: no cover - _parse_ast refused deeper nesting
            raise _too_deep(self.what) from None

    def _build(self, node: ast.AST) -> sympy.Expr:
        return self._checked(node, self._build_node(node))

    def _checked(self, node: ast.AST, value: sympy.Expr) -> sympy.Expr:
        if value.is_number and (value.is_extended_real is False or value.is_finite is False
                                or value is sympy.nan):
            raise self.fail(node, "the value is not a finite real number")  # sqrt(-1), log(0)
        if isinstance(value, sympy.Pow) and value.base.is_number and value.base.is_negative \
                and not value.exp.is_number:
            raise self.fail(node, "a negative number to a variable power is not real")
        return value

    def _build_node(self, node: ast.AST) -> sympy.Expr:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or v is None or v is Ellipsis:
                raise self.fail(node, f"{v!r} is not a number")
            if isinstance(v, int):
                if len(str(abs(v))) > MAX_INT_DIGITS:
                    raise self.fail(node, f"integer literal longer than {MAX_INT_DIGITS} digits")
                return sympy.Integer(v)
            if isinstance(v, float):
                if not math.isfinite(v):
                    raise self.fail(node, "number is not finite")
                return sympy.Float(repr(v))
            if isinstance(v, (str, bytes)):
                raise self.fail(node, "strings are not allowed")
            raise self.fail(node, f"{type(v).__name__} numbers are not allowed")
        if isinstance(node, ast.Name):
            name = node.id
            if name in self.variables:
                return self.variables[name]
            if name in CONSTANTS:
                return CONSTANTS[name]
            if name in FUNCTIONS:
                raise self.fail(node, f"function {name!r} used without an argument")
            known = ", ".join(self.variables) or "none"
            if len(known) > 80:
                known = known[:80] + "…"
            raise ParseError(
                f"{self.what}: unknown name {quote(name)} (inputs: {known}; constants: pi, e)"
            )
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -self._build(node.operand)
            if isinstance(node.op, ast.UAdd):
                return self._build(node.operand)
            raise self.fail(node, f"operator {type(node.op).__name__} is not allowed")
        if isinstance(node, ast.BinOp):
            op = node.op
            if isinstance(op, ast.Pow):
                return self._power(node)
            if isinstance(op, _SUM_OPS + _PRODUCT_OPS):
                return self._chain(node)
            names = {ast.BitXor: "^ (xor)", ast.FloorDiv: "//", ast.Mod: "%",
                     ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
                     ast.BitAnd: "&", ast.BitOr: "|"}
            raise self.fail(node, f"operator {names.get(type(op), type(op).__name__)} is not allowed")
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Tuple):
            raise self.fail(node, "a tuple is only allowed as the whole output")
        if type(node) in _NODE_NAMES:
            noun = _NODE_NAMES[type(node)]
            verb = "is" if noun in ("attribute access", "await", "yield") else "are"
            raise self.fail(node, f"{noun} {verb} not allowed")
        raise self.fail(node, f"{type(node).__name__} is not allowed")

    def _chain(self, node: ast.BinOp) -> sympy.Expr:
        """a + b - c + ... (or a * b / c * ...) from its terms at once, without recursion:
        a sum of thousands of terms is one level deep, and is built in one step.  Numbers
        are combined as they come, each partial result checked for size."""
        spine = [node]
        while _same_chain(spine[-1], spine[-1].left):
            spine.append(spine[-1].left)
        product = isinstance(node.op, _PRODUCT_OPS)
        number = sympy.Integer(1 if product else 0)
        others = []

        def take(nd, value):
            nonlocal number
            if value.is_Number:
                number = self._fold(nd, number * value if product else number + value)
            else:
                others.append(value)

        take(node, self._build(spine[-1].left))
        for nd in reversed(spine):
            right = self._build(nd.right)
            if isinstance(nd.op, ast.Sub):
                right = -right
            elif isinstance(nd.op, ast.Div):
                if right == 0:
                    raise self.fail(nd, "division by zero")
                right = 1 / right
            take(nd, right)
        value = sympy.Mul(number, *others) if product else sympy.Add(number, *others)
        return self._fold(node, value)

    def _fold(self, node: ast.AST, value: sympy.Expr) -> sympy.Expr:
        if value.is_Number and _digits(value) > MAX_RESULT_DIGITS:
            raise self.fail(node, f"number with more than {MAX_RESULT_DIGITS} digits")
        return value

    def _power(self, node: ast.BinOp) -> sympy.Expr:
        exponent = self._build(node.right)
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise self.fail(node, f"exponent {exponent} is too large (limit {MAX_EXPONENT})")
        base = self._build(node.left)
        if base.is_Number and exponent.is_Number:
            if base == 0 and exponent.is_negative:
                raise self.fail(node, "zero to a negative power")
            size = _digits(base) * float(abs(exponent))
            if size > MAX_RESULT_DIGITS:
                raise self.fail(node, f"number with more than {MAX_RESULT_DIGITS} digits")
        return sympy.Pow(base, exponent)

    def _call(self, node: ast.Call) -> sympy.Expr:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                raise self.fail(node, "attribute access is not allowed")
            raise self.fail(node, "only the listed functions may be called")
        name = func.id
        if name not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            raise ParseError(f"{self.what}: unknown function {quote(name)} (allowed: {allowed})")
        if node.keywords:
            raise self.fail(node, "keyword arguments are not allowed")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, "starred arguments are not allowed")
        fewest, most = ARITY.get(name, (1, 1))
        if len(node.args) < fewest or (most is not None and len(node.args) > most):
            takes = _ARITY_TEXT.get(name, "exactly one argument")
            raise self.fail(node, f"{name} takes {takes}")
        args = [self._build(a) for a in node.args]
        arg = args[0]
        if arg.is_Number and ((name == "exp" and arg > MAX_RESULT_DIGITS * math.log(10)) or (
                name in ("sinh", "cosh") and abs(arg) > MAX_RESULT_DIGITS * math.log(10) + 1)):
            # exp(1e6) has 434 295 digits: sympy would evaluate cos(exp(1e6)) for minutes
            raise self.fail(node, f"number with more than {MAX_RESULT_DIGITS} digits")
        if all(a.is_number for a in args):
            problem = _domain_problem(name, args)
            if problem:
                raise self.fail(node, f"the value is not a real number ({problem})")
        try:
            return FUNCTIONS[name](*args)
        except (TypeError, ValueError, ZeroDivisionError) as exc:  # pragma: no cover
            raise self.fail(node, f"cannot apply {name}: {exc}") from None


def _domain_problem(name: str, args) -> str | None:
    """What is wrong with a function of numbers (asin(2): its domain, and the number)."""
    try:
        values = [float(sympy.N(a, 30)) for a in args]
    except (TypeError, ValueError, OverflowError):
        return None  # not real, or too large: _checked refuses what is not a finite real
    return argument_problem(name, values, here="here")


def parse_expr(text: str, variables=(), what: str = "expression") -> sympy.Expr:
    """Parse one scalar expression in the given variable names."""
    src = _preprocess(text, what)
    names = _check_names(list(variables), what)
    node = _parse_ast(src, what)
    return _Builder(src.strip(), names, what).build(node)


def parse_number(text: str, what: str = "number") -> float:
    """Parse a constant such as ``0.5``, ``-2`` or ``pi/4`` to a float."""
    value = parse_expr(text, (), what)
    try:
        out = float(value.evalf())
    except (TypeError, ValueError):
        raise ParseError(f"{what}: {quote(text.strip())} is not a real number") from None
    if not math.isfinite(out):
        raise ParseError(f"{what}: {quote(text.strip())} is not finite")
    return out


def parse_vector(text: str, what: str = "point", length: int | None = None) -> tuple[float, ...]:
    """Parse ``1,2`` or ``(0.5, pi/4)`` to a tuple of floats."""
    if not isinstance(text, str):
        raise ParseError(f"{what} must be text like 1,2")
    src = text.strip()
    if encloses(src):
        src = src[1:-1]
    if not src.strip():
        raise ParseError(f"{what} is empty; expected numbers separated by commas, e.g. 1,2")
    parts = split_top_level(src)
    values = tuple(parse_number(p, what) for p in parts)
    if length is not None and len(values) != length:
        raise ParseError(
            f"{what} has {len(values)} number{'s' if len(values) != 1 else ''}; "
            f"expected {length}, e.g. {','.join(['1'] * length)}"
        )
    return values


def encloses(src: str) -> bool:
    """Whether src is one bracketed group, "(...)" or "[...]", with matching ends:
    "(1, 2)" is; "(1)+(2)" and "[1, 2)" are not."""
    if len(src) < 2 or (src[0], src[-1]) not in (("(", ")"), ("[", "]")):
        return False
    depth = 0
    for k, ch in enumerate(src):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth == 0 and k < len(src) - 1:
            return False
    return True


def split_top_level(src: str, sep: str = ",") -> list[str]:
    """src split at each sep outside brackets: "(1, 2), 3" -> ["(1, 2)", " 3"]."""
    parts, depth, cur = [], 0, []
    for ch in src:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _check_names(names: list[str], what: str) -> dict[str, sympy.Symbol]:
    out: dict[str, sympy.Symbol] = {}
    for name in names:
        if not _NAME_RE.match(name):
            raise ParseError(f"{what}: {quote(name)} is not a valid input name")
        if name in RESERVED:
            raise ParseError(f"{what}: input name {quote(name)} is reserved for a function or constant")
        if name in out:
            raise ParseError(f"{what}: input name {quote(name)} is repeated")
        out[name] = symbol(name)
    return out


def parse_map(text: str, what: str = "map") -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Expr, ...]]:
    """Parse ``(x1, x2) -> (x1**2 + x2, x1*x2)`` to (inputs, outputs)."""
    src = _preprocess(text, what)
    if src.count("->") != 1:
        raise ParseError(
            f"{what} needs exactly one '->' between inputs and outputs, "
            f"e.g. \"(x, y) -> (x^2 - y, x*y)\""
        )
    lhs, rhs = (s.strip() for s in src.split("->"))
    if not lhs:
        raise ParseError(f"{what} has no inputs before '->'")
    if not rhs:
        raise ParseError(f"{what} has an empty output after '->'")
    left = _parse_ast(lhs, f"{what} inputs")
    if isinstance(left, ast.Tuple):
        elts = left.elts
    elif isinstance(left, ast.Name):
        elts = [left]
    else:
        raise ParseError(f"{what}: inputs must be names like (x1, x2), got {quote(lhs)}")
    if not elts:
        raise ParseError(f"{what} has no inputs before '->'")
    names = []
    for e in elts:
        if not isinstance(e, ast.Name):
            raise ParseError(f"{what}: input {quote(_snippet(e, lhs))} is not a name")
        names.append(e.id)
    variables = _check_names(names, what)
    right = _parse_ast(rhs, f"{what} output")
    if isinstance(right, ast.Tuple):
        if not right.elts:
            raise ParseError(f"{what} has an empty output '()'")
        out_nodes = right.elts
    else:
        out_nodes = [right]
    builder = _Builder(rhs, variables, what)
    outputs = tuple(builder.build(n) for n in out_nodes)
    return tuple(variables.values()), outputs

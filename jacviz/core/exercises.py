"""Practice exercises: pause-and-answer questions whose answers come from the core.

Each kind of exercise has a generator; ``generate(kind, seed)`` returns an
:class:`Exercise` with the question (plain text and LaTeX), its parameters
(the maps exactly as typed text that :func:`jacviz.core.parse.parse_map` accepts,
the points as lists of numbers), the answer, its LaTeX, a tolerance, and the
worked steps.  Every number in the answer and the steps is computed by the
core -- :class:`~jacviz.core.maps.Map`, :class:`~jacviz.core.maps.Chain`,
:class:`~jacviz.core.graph.Graph`, :func:`~jacviz.core.curves.chain_along_curve` --
never typed by hand: the numeric path of the core (``Chain.trace``,
``Graph.path_sum``, ``chain_along_curve``) gives the answer, and the core's
symbolic stage Jacobians, evaluated exactly at the exact point, give the same
numbers as fractions (or surds such as sqrt(2)/2 in the steps), which is what
is printed.  The two must agree to 1e-9 or generation fails loudly.

Kinds (``KINDS``, in this order): ``jacobian-entry``, ``shape``,
``curve-dzdt``, ``composition``, ``path-sum``, ``pushforward``, ``pullback``,
``network``.

Seeds.  The first seeds of each kind are the lessons' own exercises
(``LESSON_SEEDS``); seed 0 of every kind is one.  Where a lesson gives no
numbers, the numbers were chosen here and a comment says so.  Every other
seed draws a variant from ``random.Random("jacviz.exercises:<kind>:<seed>")``
(never the global random state) and redraws, deterministically, until the
variant is a good hand exercise:

Niceness rule.  A number is *nice* when it is an exact fraction p/q in lowest
terms with q in {1, 2, 4, 5, 10} and |p| <= 99 (so it is an integer or a
decimal with at most two places, of size below 100).  A drawn variant is kept
only if every entry of its answer is nice and the answer is not all zero
(curve-dzdt keeps a zero answer now and then: a curve on a level set is the
lesson's point), and every intermediate number in its steps (points,
Jacobian entries, pushed and pulled vectors) is nice too -- for curve-dzdt a
nice multiple of sqrt(2) or sqrt(3) is allowed in the steps, from angles such
as t = pi/4.  Distinct nice numbers differ by at least 1/20, so the
tolerances below never accept another nice number.

Tolerances (absolute, per entry): 1e-6 for the exact kinds (every answer is an
exact short decimal), 0.01 for curve-dzdt (a student working with rounded
values of sqrt(2)/2 still lands within it), and 0 for shape (compared as
"rows x columns").

``practice_set(kinds, count, seed)`` spreads ``count`` exercises over the
kinds round-robin in a fixed order; kind ``k`` uses seeds ``seed * c_k``,
``seed * c_k + 1``, ... (``c_k`` exercises of that kind, duplicates skipped),
so seed 0 gives the lessons' own exercises first and different seeds give
disjoint seed blocks.  ``check_answer(exercise, text)`` reads what a student
typed with :func:`jacviz.core.parse.parse_vector` (never ``eval``).

Parameters (``Exercise.parameters``, JSON-ready): ``maps`` -- name to the map
exactly as typed, inner map first (``F``; ``g``, ``f``; ``f``, ``r`` for a curve;
``layer``, ``activation``, ``loss`` for the network); ``point`` -- the point as a
list of numbers (for curve-dzdt, ``[t]``, with ``t`` also as typed text such as
``"pi/4"``); and per kind: ``entries`` (1-based [row, column] pairs),
``ask`` ("product" or "gradient"), ``output``/``input`` (1-based, path-sum),
``dx`` (pushforward), ``gradient`` (pullback of a given vector), ``W``, ``b``,
``c``, ``activation`` (network).

Answers: a number; a list for a vector, a row or a column (gradients are
columns, written as lists); a nested list, row by row, for a matrix; or a
shape string such as "1x2".

This module uses numpy, sympy and the standard library only.
"""

from __future__ import annotations

import copy
import math
import operator
import random
import re
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Callable

import numpy as np
import sympy

from .curves import Curve, chain_along_curve
from .errors import JacvizError, NumericError, ShapeError
from .fmt import plain_expr, signed_sum, tex_expr, tex_tuple
from .graph import Graph
from .maps import Chain, Map
from .parse import encloses, parse_map, parse_vector, split_top_level

# -- the niceness rule ------------------------------------------------------------
NICE_DENOMINATORS = (1, 2, 4, 5, 10)
MAX_NUMERATOR = 99

TOL_EXACT = 1e-6
TOL_SURD = 0.01
TOL_SHAPE = 0.0

MAX_DRAWS = 3000
MAX_SEED = 2 ** 63 - 1
MAX_COUNT = 1000


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
        try:
            v = sympy.sympify(value, strict=True)
        except (sympy.SympifyError, TypeError):
            return None
        if not v.is_Rational:
            return None
        q = Fraction(int(v.p), int(v.q))
    if q.denominator in NICE_DENOMINATORS and abs(q.numerator) <= MAX_NUMERATOR:
        return q
    return None


def is_nice(answer) -> bool:
    """True when every number in an answer (a number, a list, a nested list) is nice."""
    if isinstance(answer, (list, tuple)):
        return len(answer) > 0 and all(is_nice(a) for a in answer)
    return nice_fraction(answer) is not None


# -- exercises --------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One worked step, as caption text and as LaTeX, and its row on the board.

    ``board`` is what the practice clip draws for the step (plain data, see
    :func:`_tx`): one row of parts in reading order.
    """

    text: str
    tex: str
    board: tuple = field(default=(), compare=False)


@dataclass
class Exercise:
    kind: str
    seed: int
    title: str
    question: str
    question_tex: str
    parameters: dict
    answer: object  # int/float, list, nested list (matrix), or a shape string "2x3"
    answer_text: str
    answer_tex: str
    tolerance: float
    steps: list[Step] = field(default_factory=list)
    source: str | None = None  # where in the lessons the exercise comes from
    #: what the practice clip draws beside the steps' rows (path-sum: ``graph``, a
    #: :class:`~jacviz.core.graph.Graph`, and ``terms``, its path terms); not in the JSON
    figure: dict = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.seed}"

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "seed": self.seed,
            "title": self.title,
            "source": self.source,
            "question": self.question,
            "question_tex": self.question_tex,
            "parameters": copy.deepcopy(self.parameters),
            "answer": copy.deepcopy(self.answer),
            "answer_text": self.answer_text,
            "answer_tex": self.answer_tex,
            "tolerance": self.tolerance,
            "steps": [s.text for s in self.steps],
            "steps_tex": [s.tex for s in self.steps],
        }


class _Reject(Exception):
    """The drawn variant is not a good hand exercise: draw again."""


@dataclass(frozen=True)
class Generator:
    """One kind of exercise: lesson variants for the first seeds, drawn ones after."""

    kind: str
    title: str
    tolerance: float
    lesson: dict  # seed -> (source, parameters)
    draw: Callable[[random.Random], dict]
    build: Callable[[dict, "_Book"], dict]
    surds: bool = False  # steps may show nice multiples of sqrt(2), sqrt(3)
    zero_keep: float = 0.0  # chance of keeping a drawn all-zero answer

    def __call__(self, seed: int) -> Exercise:
        seed = _check_seed(seed)
        if seed in self.lesson:
            source, params = self.lesson[seed]
            fields = self.build(params(), _Book(strict=False, surds=self.surds))
            _require_nice(fields, f"{self.kind} seed {seed}")
            return self._exercise(seed, fields, source)
        rng = random.Random(f"jacviz.exercises:{self.kind}:{seed}")
        for _ in range(MAX_DRAWS):
            params = self.draw(rng)
            try:
                fields = self.build(params, _Book(strict=True, surds=self.surds))
            except _Reject:
                continue
            if _all_zero(fields["answer"]) and rng.random() >= self.zero_keep:
                continue
            return self._exercise(seed, fields, None)
        raise JacvizError(f"no nice {self.kind} exercise found for seed {seed} in {MAX_DRAWS} draws")

    def _exercise(self, seed, fields, source) -> Exercise:
        return Exercise(kind=self.kind, seed=seed, title=self.title, tolerance=self.tolerance,
                        source=source, **fields)


def _valid_kinds() -> str:
    return ", ".join(KINDS)


def _check_seed(seed) -> int:
    if isinstance(seed, bool):
        raise JacvizError(f"seed must be a whole number >= 0, got {seed!r} (kinds: {_valid_kinds()})")
    try:
        s = operator.index(seed)
    except TypeError:
        raise JacvizError(
            f"seed must be a whole number >= 0, got {seed!r} (kinds: {_valid_kinds()})"
        ) from None
    if not 0 <= s <= MAX_SEED:
        raise JacvizError(f"seed must be between 0 and 2^63 - 1, got {s} (kinds: {_valid_kinds()})")
    return s


def _check_kind(kind) -> "Generator":
    if not isinstance(kind, str) or kind not in KINDS:
        raise JacvizError(f"unknown exercise kind {kind!r}; valid kinds: {_valid_kinds()}")
    return KINDS[kind]


def generate(kind: str, seed: int) -> Exercise:
    """The exercise of the given kind for the given seed (same seed, same exercise)."""
    return _check_kind(kind)(seed)


def practice_set(kinds: list[str] | None = None, count: int = 8, seed: int = 0) -> list[Exercise]:
    """``count`` exercises spread round-robin over ``kinds`` (all kinds by default).

    Reproducible: the same arguments give the same set.  Kind ``k`` with ``c``
    exercises in the set uses seeds ``seed * c``, ``seed * c + 1``, ... (an
    exercise whose question repeats one already in the set is skipped), so
    seed 0 starts with the lessons' own exercises and other seeds give fresh
    variants.
    """
    kinds = list(KINDS) if kinds is None else list(kinds)
    for k in kinds:
        _check_kind(k)
    if not kinds:
        raise JacvizError(f"practice_set needs at least one kind; valid kinds: {_valid_kinds()}")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        raise JacvizError(f"count must be a whole number from 0 to {MAX_COUNT}, got {count!r}")
    seed = _check_seed(seed)
    slots = [kinds[i % len(kinds)] for i in range(count)]
    need = {k: slots.count(k) for k in kinds}
    made: dict[str, list[Exercise]] = {}
    for k, c in need.items():
        out, seen, s = [], set(), seed * c
        while len(out) < c:
            ex = generate(k, s)
            if ex.question not in seen:
                seen.add(ex.question)
                out.append(ex)
            s += 1
        made[k] = out
    taken = {k: 0 for k in kinds}
    result = []
    for k in slots:
        result.append(made[k][taken[k]])
        taken[k] += 1
    return result


# -- reading what a student typed ---------------------------------------------------
_SHAPE_RE = re.compile(r"^\s*[\(\[]?\s*(\d+)\s*(?:x|X|\u00d7|by|,)\s*(\d+)\s*[\)\]]?\s*$")


def parse_shape(text: str) -> tuple[int, int] | None:
    """``2x3``, ``2 x 3``, ``2 by 3``, ``(2, 3)`` -> (2, 3); None if not a shape."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    m = _SHAPE_RE.match(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _strip_outer(src: str) -> str:
    src = src.strip()
    return src[1:-1] if encloses(src) else src


def _typed_matrix(text: str, rows: int, cols: int) -> list[list[float]]:
    src = _strip_outer(text)
    if ";" in src:
        parts = split_top_level(src, ";")
    else:
        parts = split_top_level(src, ",")
        if not all(p.strip()[:1] in ("(", "[") for p in parts):
            flat = parse_vector(text, "answer", length=rows * cols)
            return [list(flat[r * cols:(r + 1) * cols]) for r in range(rows)]
    if len(parts) != rows:
        raise JacvizError(f"expected {rows} rows")
    return [list(parse_vector(p, "answer row", length=cols)) for p in parts]


def check_answer(exercise: Exercise, typed: str) -> bool:
    """True when ``typed`` is the exercise's answer, within its tolerance.

    Numbers may be typed as ``3``, ``0.25``, ``1/4``; lists as ``2, 1``,
    ``(2, 1)`` or ``[2, 1]``; matrices as ``[[1, 2], [3, 4]]``, ``1, 2; 3, 4``
    or row by row flat ``1, 2, 3, 4``; shapes as ``2x3``, ``2 x 3``, ``2 by 3``
    or ``(2, 3)``.  Text that cannot be read is a wrong answer, not an error.
    """
    answer = exercise.answer
    if not isinstance(typed, str):
        return False
    if isinstance(answer, str):
        want = parse_shape(answer)
        return want is not None and parse_shape(typed) == want
    tol = float(exercise.tolerance) + 1e-12
    try:
        if isinstance(answer, list) and answer and isinstance(answer[0], list):
            got = _typed_matrix(typed, len(answer), len(answer[0]))
            want = answer
            return all(abs(g - w) <= tol for gr, wr in zip(got, want) for g, w in zip(gr, wr))
        want = answer if isinstance(answer, list) else [answer]
        got = parse_vector(typed, "answer", length=len(want))
    except JacvizError:
        return False
    return all(abs(g - w) <= tol for g, w in zip(got, want))


# -- exact values and how they are written -----------------------------------------
_SURDS = (sympy.sqrt(2), sympy.sqrt(3))


def _simp(v) -> sympy.Expr:
    """Exact simplification (never a numeric guess such as nsimplify)."""
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        return v
    return sympy.radsimp(sympy.simplify(v)) if v.is_number else sympy.simplify(v)


def _exact(M, mapping) -> sympy.Matrix:
    """A symbolic matrix (or expression) evaluated exactly at a point."""
    if isinstance(M, sympy.MatrixBase):
        return M.subs(mapping, simultaneous=True).applyfunc(_simp)
    return _simp(sympy.sympify(M, strict=True).subs(mapping, simultaneous=True))


def _floats(values) -> np.ndarray:
    if isinstance(values, sympy.MatrixBase):
        return np.array([[float(v) for v in row] for row in values.tolist()], dtype=float)
    return np.array([float(v) for v in values], dtype=float)


def _agree(numeric, exact, what: str) -> None:
    """The core's numeric result must match the exact evaluation."""
    a = np.asarray(numeric, dtype=float)
    b = _floats(exact) if not isinstance(exact, np.ndarray) else exact
    if a.size != b.size or not np.allclose(a.ravel(), b.ravel(), rtol=1e-9, atol=1e-9):
        raise NumericError(f"exercise check failed: {what}: the core gives {a.ravel().tolist()}, "
                           f"exact evaluation {b.ravel().tolist()}")


def _frac_text(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    if 100 % q.denominator == 0:
        n = abs(q.numerator) * (100 // q.denominator)
        s = f"{n // 100}.{n % 100:02d}".rstrip("0")
        return ("-" if q < 0 else "") + s
    return f"{q.numerator}/{q.denominator}"


def _t(v) -> str:
    """An exact number (or expression) as caption text: 2, 0.25, sqrt(2)/2, 2*x
    (text already written is kept as it is)."""
    if isinstance(v, str):
        return v
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        return _frac_text(Fraction(int(v.p), int(v.q)))
    return plain_expr(v)


def _x(v) -> str:
    """An exact number (or expression) as LaTeX (LaTeX already written is kept)."""
    if isinstance(v, str):
        return v
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        q = Fraction(int(v.p), int(v.q))
        if 100 % q.denominator == 0:
            return _frac_text(q)
        return (r"-" if q < 0 else "") + r"\frac{%d}{%d}" % (abs(q.numerator), q.denominator)
    return tex_expr(v)


def _tf(v) -> str:
    """A factor in a product, in parentheses: (2), (-1), (u2)."""
    return f"({_t(v)})"


def _xf(v) -> str:
    return r"\left(%s\right)" % _x(v)


def _tvec(vals) -> str:
    vals = list(vals)
    return _t(vals[0]) if len(vals) == 1 else "(" + ", ".join(_t(v) for v in vals) + ")"


def _xpoint(vals) -> str:
    vals = list(vals)
    return _x(vals[0]) if len(vals) == 1 else r"\left(" + r",\ ".join(_x(v) for v in vals) + r"\right)"


def _tmat(M) -> str:
    M = sympy.Matrix(M)
    if M.rows == 1 and M.cols == 1:
        return _t(M[0, 0])
    if M.rows == 1:
        return "[" + ", ".join(_t(v) for v in M) + "]"
    return "[" + ", ".join("[" + ", ".join(_t(v) for v in M.row(i)) + "]" for i in range(M.rows)) + "]"


def _xmat(M) -> str:
    M = sympy.Matrix(M)
    if M.rows == 1 and M.cols == 1:
        return _x(M[0, 0])
    body = r" \\ ".join(" & ".join(_x(v) for v in M.row(i)) for i in range(M.rows))
    return r"\begin{bmatrix} %s \end{bmatrix}" % body


def _tcol(vals) -> str:
    """A column vector as text: (4, -1)."""
    return _tvec(vals)


def _xcol(vals) -> str:
    return _xmat(sympy.Matrix(list(vals)))


def _json_num(v):
    """An exact number for JSON: int when whole, float otherwise."""
    v = sympy.sympify(v, strict=True)
    if v.is_Integer:
        return int(v)
    if v.is_Rational:
        return float(Fraction(int(v.p), int(v.q)))
    return float(v)


def _hand_ok(v, surds: bool) -> bool:
    v = sympy.sympify(v, strict=True)
    if v.is_Rational:
        return nice_fraction(v) is not None
    if surds and v.is_number:
        for s in _SURDS:
            q = _simp(v / s)
            if q.is_Rational and nice_fraction(q) is not None:
                return True
    return False


def _flat(item) -> list:
    if isinstance(item, sympy.MatrixBase):
        return list(item)
    if isinstance(item, (list, tuple)):
        return [v for it in item for v in _flat(it)]
    return [item]


class _Book:
    """Keeps a drawn variant honest: every number shown must be a hand number."""

    def __init__(self, strict: bool, surds: bool = False):
        self.strict = strict
        self.surds = surds

    def shown(self, *items) -> None:
        if not self.strict:
            return
        for v in _flat(list(items)):
            if not _hand_ok(v, self.surds):
                raise _Reject

    def reject_if(self, cond: bool) -> None:
        if cond and self.strict:
            raise _Reject


def _answer_fields(M: sympy.Matrix, book: _Book) -> tuple:
    """(answer, answer_text, answer_tex) from an exact matrix.

    1 x 1 -> number; a row or a column -> list; otherwise a nested list (rows).
    """
    fr = [nice_fraction(v) for v in M]
    if any(q is None for q in fr):
        if book.strict:
            raise _Reject
        raise JacvizError(f"answer {_tmat(M)} is not nice")
    nums = [_json_num(v) for v in M]
    if M.rows == 1 and M.cols == 1:
        return nums[0], _t(M[0, 0]), _x(M[0, 0])
    if M.rows == 1 or M.cols == 1:
        return nums, ", ".join(_t(v) for v in M), _xmat(M)
    nested = [nums[i * M.cols:(i + 1) * M.cols] for i in range(M.rows)]
    return nested, _tmat(M), _xmat(M)


def _all_zero(answer) -> bool:
    if isinstance(answer, str):
        return False
    if isinstance(answer, list):
        return all(_all_zero(a) for a in answer)
    return answer == 0


def _require_nice(fields: dict, what: str) -> None:
    ans = fields["answer"]
    if not isinstance(ans, str) and not is_nice(ans):
        raise JacvizError(f"{what}: answer {ans!r} is not nice")


# -- the board: what the practice clip draws for each step ---------------------------
# One row per step: parts in reading order, each a dict --
#   {"tex": TeX, "role": r}                      consecutive tex parts form one line
#   {"matrix": rows of TeX cells, "role": r}     optional "rows"/"cols" (labels), "highlight"
#   {"block": [rows, cols], "label": TeX, "role": r}   a matrix drawn by its shape
#   {"mark": "cross"}                            what does not compose
#   {"path": k}                                  highlight path k of the figure's graph
# Roles: ink, forward (perturbations), backward (gradients), point (points and values),
# highlight (what is asked), warn (zero paths, shape mismatches), muted.
def _tx(tex: str, role: str = "ink") -> dict:
    return {"tex": tex, "role": role}


def _mx(M, role: str = "ink", symbolic: bool = False, **extra) -> dict:
    M = sympy.Matrix(M)
    cell = sympy.latex if symbolic else _x
    return {"matrix": [[cell(v) for v in M.row(i)] for i in range(M.rows)], "role": role, **extra}


def _col(vals, role: str) -> dict:
    return _mx(sympy.Matrix(list(vals)), role)


def _blk(rows: int, cols: int, label: str, role: str = "ink") -> dict:
    return {"block": [rows, cols], "label": label, "role": role}


def _step(text: str, tex: str, *board: dict) -> Step:
    return Step(text, tex, tuple(board))


# -- maps as typed text ------------------------------------------------------------
_COEFS = (1, 1, 1, 1, 2, 2, 3, -1, -1, -2)
_POINT = (-2, -1, 0, 1, 1, 2, 2, 3)
_SMALL = (-2, -1, 1, 1, 2)
_FUNCS = ("sin", "cos", "exp")


def _names(prefix: str, n: int) -> list[str]:
    return [prefix] if n == 1 else [f"{prefix}{i + 1}" for i in range(n)]


def _map_text(names, comps) -> str:
    lhs = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
    rhs = comps[0] if len(comps) == 1 else "(" + ", ".join(comps) + ")"
    return f"{lhs} -> {rhs}"


def _rhs(text: str) -> str:
    return text.split("->", 1)[1].strip()


def _lhs(text: str) -> str:
    lhs = text.split("->", 1)[0].strip()
    return lhs if lhs.startswith("(") else f"({lhs})"


def _show(name: str, text: str) -> str:
    """``g(x1, x2) = (x1 + 2*x2, x1 - x2)`` from the typed map."""
    return f"{name}{_lhs(text)} = {_rhs(text)}"


def _show_tex(name: str, mp: Map) -> str:
    ins = ", ".join(sympy.latex(s) for s in mp.inputs)
    return f"{name}({ins}) = {tex_tuple(mp.outputs)}"


def _term(c: int, body: str) -> str:
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
    return f"{v} - {_t(p)}" if p > 0 else f"{v} + {_t(-p)}"


def _component(rng: random.Random, names, point: dict | None = None, funcs: bool = False,
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
    terms = [_term(rng.choice(_COEFS), _mono(m)) for m in chosen]
    if fterm:
        fn, v = fterm
        terms.append(_term(rng.choice(_SMALL), f"{fn}({_shift(v, point[v])})"))
    if rng.random() < 0.2:
        terms.append(str(rng.choice((1, 2, 3, -1, -2))))
    return signed_sum(terms)


def _ints(rng, n, pool=_POINT) -> list:
    return [sympy.Integer(rng.choice(pool)) for _ in range(n)]


def _image(text: str, point) -> list:
    """Exactly where a typed map sends an exact point (used while drawing)."""
    ins, outs = parse_map(text)
    mapping = dict(zip(ins, point))
    return [_simp(o.subs(mapping, simultaneous=True)) for o in outs]


def _funcs_ok(point) -> bool:
    return all(sympy.sympify(p, strict=True).is_Integer for p in point)


def _pname(names) -> str:
    return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"


def _at(names, point) -> str:
    """``x = 1`` or ``(x1, x2) = (1, 2)``."""
    return f"{_pname(names)} = {_tvec(point)}"


def _at_tex(mp: Map, point) -> str:
    names = [sympy.latex(s) for s in mp.inputs]
    lhs = names[0] if len(names) == 1 else r"\left(" + ", ".join(names) + r"\right)"
    return f"{lhs} = {_xpoint(point)}"


def _sym_text(M: sympy.Matrix) -> str:
    M = sympy.Matrix(M)
    if M.rows == 1 and M.cols == 1:
        return plain_expr(M[0, 0])
    if M.rows == 1:
        return "[" + ", ".join(plain_expr(v) for v in M) + "]"
    return "[" + ", ".join("[" + ", ".join(plain_expr(v) for v in M.row(i)) + "]"
                           for i in range(M.rows)) + "]"


def _sym_tex(M: sympy.Matrix) -> str:
    M = sympy.Matrix(M)
    body = r" \\ ".join(" & ".join(sympy.latex(v) for v in M.row(i)) for i in range(M.rows))
    return r"\begin{bmatrix} %s \end{bmatrix}" % body


def _shape(M) -> str:
    return f"{M.rows}x{M.cols}"


def _params(maps: dict, point=None, **extra) -> dict:
    out = {"maps": dict(maps)}
    if point is not None:
        out["point"] = [_json_num(v) for v in point]
    for k, v in extra.items():
        out[k] = v
    return out


# == jacobian-entry ==================================================================
def _draw_entry(rng: random.Random) -> dict:
    m, n = rng.choice(((2, 2), (2, 2), (3, 2), (2, 3)))
    names = ["x", "y", "z"][:n]
    point = _ints(rng, n)
    comps = [_component(rng, names, dict(zip(names, point)), funcs=True) for _ in range(m)]
    k = rng.choice((1, 2, 2))
    cells = [(i, j) for i in range(m) for j in range(n)]
    return {"F": _map_text(names, comps), "point": point, "entries": sorted(rng.sample(cells, k))}


def _build_entry(p: dict, book: _Book) -> dict:
    F = Map(p["F"], name="F")
    x0 = p["point"]
    entries = [tuple(e) for e in p["entries"]]
    Js = F.jacobian_symbolic
    book.reject_if(any(not Js[i, j].free_symbols for i, j in entries))  # nothing to evaluate
    Jx = _exact(Js, dict(zip(F.inputs, x0)))
    _agree(F.jacobian(_floats(x0)), Jx, "Jacobian of F")
    book.shown(Jx)
    names = F.input_names
    label = [f"J_{i + 1}{j + 1}" for i, j in entries]
    label_tex = [f"J_{{{i + 1},{j + 1}}}" for i, j in entries]
    where = [f"row {i + 1}, column {j + 1}" for i, j in entries]
    at, at_tex = _tvec(x0), _xpoint(x0)
    q = (f"For F{_lhs(p['F'])} = {_rhs(p['F'])}, compute "
         + " and ".join(f"{lab} ({w})" for lab, w in zip(label, where))
         + f" of its Jacobian at {at}.")
    qt = (f"For ${_show_tex('F', F)}$, compute "
          + " and ".join(f"${lab}$ ({w})" for lab, w in zip(label_tex, where))
          + f" of its Jacobian at ${at_tex}$.")
    if len(entries) > 1:
        q += " Answer: " + ", ".join(label) + "."
    labels = {"rows": ["F"] if F.m == 1 else [f"F_{{{i + 1}}}" for i in range(F.m)],
              "cols": [sympy.latex(v) for v in F.inputs]}
    steps = [_step(
        f"Row i of J is the gradient of F_i, written sideways; F is R^{F.n} -> R^{F.m}, "
        f"so J is {F.m}x{F.n}: J = {_sym_text(Js)}.",
        r"Row $i$ of $J$ is the gradient of $F_i$ written sideways ($%d \times %d$): $J = %s$."
        % (F.m, F.n, _sym_tex(Js)),
        _tx("J ="), _mx(Js, symbolic=True, **labels), _tx(r"%d \times %d" % (F.m, F.n), "muted"))]
    for (i, j), lab, labt in zip(entries, label, label_tex):
        steps.append(_step(
            f"{lab} = dF_{i + 1}/d{names[j]} = {plain_expr(Js[i, j])}, which at {at} is {_t(Jx[i, j])}.",
            r"$%s = \frac{\partial F_{%d}}{\partial %s} = %s$, which at $%s$ is $%s$."
            % (labt, i + 1, sympy.latex(F.inputs[j]), sympy.latex(Js[i, j]), at_tex, _x(Jx[i, j])),
            _tx(labt, "highlight"),
            _tx(r"= \frac{\partial F_{%d}}{\partial %s} = %s" % (i + 1, sympy.latex(F.inputs[j]),
                                                                sympy.latex(Js[i, j]))),
            _tx(r"\Big|_{%s}" % at_tex, "point"), _tx("="), _tx(_x(Jx[i, j]), "highlight")))
    steps.append(_step(f"The whole Jacobian at {at}: J = {_tmat(Jx)}.",
                       r"The whole Jacobian at $%s$: $J = %s$." % (at_tex, _xmat(Jx)),
                       _tx("J"), _tx(at_tex, "point"), _tx("="),
                       _mx(Jx, highlight=[[i, j] for i, j in entries], **labels)))
    vals = sympy.Matrix([[Jx[i, j] for i, j in entries]])
    ans, ans_text, _ = _answer_fields(vals, book)
    ans_tex = r",\ ".join(f"{lt} = {_x(Jx[i, j])}" for (i, j), lt in zip(entries, label_tex))
    return {"question": q, "question_tex": qt,
            "parameters": _params({"F": p["F"]}, x0, entries=[[i + 1, j + 1] for i, j in entries]),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# == shape ============================================================================
def _draw_shape(rng: random.Random) -> dict:
    if rng.random() < 0.65:
        ask = "product"
        n, m, p = (rng.randint(1, 4) for _ in range(3))
    else:
        ask = "gradient"
        n, m, p = rng.randint(2, 4), rng.randint(1, 4), 1
    xs, us = _names("x", n), _names("u", m)
    g = _map_text(xs, [_component(rng, xs) for _ in range(m)])
    f = _map_text(us, [_component(rng, us) for _ in range(p)])
    return {"g": g, "f": f, "ask": ask}


def _build_shape(p: dict, book: _Book) -> dict:
    g, f = Map(p["g"], name="g"), Map(p["f"], name="f")
    chain = Chain([g, f])  # f o g: the core refuses maps whose shapes do not fit
    D = chain.jacobian_symbolic  # the composition's Jacobian, p x n
    try:
        Chain([f, g])
        other = True  # Dg Df is defined too (g o f composes)
    except ShapeError:
        other = False
    Dg, Df = g.jacobian_symbolic, f.jacobian_symbolic
    gq = f"g{_lhs(p['g'])} = {_rhs(p['g'])}"
    fq = f"f{_lhs(p['f'])} = {_rhs(p['f'])}"
    maps_tex = f"${_show_tex('g', g)}$ and ${_show_tex('f', f)}$"
    def sized(M) -> str:
        return r"%d \times %d" % (M.rows, M.cols)

    bDg, bDf, bD = _blk(Dg.rows, Dg.cols, "Dg"), _blk(Df.rows, Df.cols, "Df"), \
        _blk(D.rows, D.cols, r"D(f \circ g)", "highlight")
    steps = [
        _step(f"g takes {g.n} input{'s' * (g.n != 1)} and gives {g.m} output{'s' * (g.m != 1)}: "
              f"Dg is {_shape(Dg)} (one row per output, one column per input).",
              r"$g: \mathbb{R}^{%d} \to \mathbb{R}^{%d}$, so $Dg$ is $%d \times %d$ "
              r"(one row per output, one column per input)." % (g.n, g.m, Dg.rows, Dg.cols),
              _tx(r"g:\ \mathbb{R}^{%d} \to \mathbb{R}^{%d},\quad Dg\ \text{is}\ " % (g.n, g.m)),
              _tx(sized(Dg), "point"), _tx(r"\quad\text{(rows: outputs, columns: inputs)}", "muted")),
        _step(f"f takes {f.n} input{'s' * (f.n != 1)} and gives {f.m} output{'s' * (f.m != 1)}: "
              f"Df is {_shape(Df)}.",
              r"$f: \mathbb{R}^{%d} \to \mathbb{R}^{%d}$, so $Df$ is $%d \times %d$."
              % (f.n, f.m, Df.rows, Df.cols),
              _tx(r"f:\ \mathbb{R}^{%d} \to \mathbb{R}^{%d},\quad Df\ \text{is}\ " % (f.n, f.m)),
              _tx(sized(Df), "point")),
    ]
    if p["ask"] == "product":
        book.reject_if(other)
        if other:
            raise JacvizError("shape exercise: both orders fit, the answer is not unique")
        answer = _shape(D)
        q = (f"Let {gq} and {fq}. Which of the products Df Dg and Dg Df is defined, and what "
             f"is its shape? Answer with the shape, rows x columns (e.g. 2x3).")
        qt = (f"Let {maps_tex}. Which of the products $Df\\,Dg$ and $Dg\\,Df$ is defined, and "
              f"what is its shape? Answer with the shape, rows $\\times$ columns.")
        steps += [
            _step(f"Df Dg is ({_shape(Df)})({_shape(Dg)}): the inner sizes {Df.cols} and {Dg.rows} "
                  f"match, so it is defined and is {answer}.",
                  r"$Df\,Dg$ is $(%d \times %d)(%d \times %d)$: the inner sizes match, so it is "
                  r"defined and is $%d \times %d$." % (Df.rows, Df.cols, Dg.rows, Dg.cols, D.rows, D.cols),
                  bDf, bDg, _tx("="), bD,
                  _tx(r"\quad\text{inner sizes}\ %d = %d" % (Df.cols, Dg.rows), "point")),
            _step(f"Dg Df is ({_shape(Dg)})({_shape(Df)}): the inner sizes {Dg.cols} and {Df.rows} "
                  f"differ, so it is not defined.",
                  r"$Dg\,Df$ is $(%d \times %d)(%d \times %d)$: the inner sizes %d and %d differ, so "
                  r"it is not defined." % (Dg.rows, Dg.cols, Df.rows, Df.cols, Dg.cols, Df.rows),
                  bDg, bDf, {"mark": "cross"},
                  _tx(r"\quad\text{inner sizes}\ %d \neq %d" % (Dg.cols, Df.rows), "warn")),
            _step(f"So D(f o g) = Df Dg, of shape {answer} (outputs of f by inputs of g).",
                  r"So $D(f \circ g) = Df\,Dg$, of shape $%d \times %d$." % (D.rows, D.cols),
                  _tx(r"D(f \circ g) = Df\,Dg\ \text{is}\ "), _tx(sized(D), "highlight")),
        ]
        answer_tex = r"%d \times %d" % (D.rows, D.cols)
    else:
        book.reject_if(D.rows != 1)
        if D.rows != 1:
            raise JacvizError("shape exercise: a gradient needs a scalar composition")
        answer = f"{D.cols}x1"
        q = (f"Let {gq} and {fq}, so that f o g is scalar. What is the shape of the gradient "
             f"of f o g, written as a column vector? Answer rows x columns (e.g. 2x3).")
        qt = (f"Let {maps_tex}, so that $f \\circ g$ is scalar. What is the shape of the gradient "
              f"$\\nabla (f \\circ g)$, written as a column vector?")
        steps += [
            _step(f"D(f o g) = Df Dg is ({_shape(Df)})({_shape(Dg)}) = {_shape(D)}: a single row.",
                  r"$D(f \circ g) = Df\,Dg$ is $(%d \times %d)(%d \times %d) = %d \times %d$: a row."
                  % (Df.rows, Df.cols, Dg.rows, Dg.cols, D.rows, D.cols),
                  bDf, bDg, _tx("="), _blk(D.rows, D.cols, r"D(f \circ g)"),
                  _tx(r"\quad %s\text{: a row}" % sized(D), "point")),
            _step(f"The gradient is its transpose, a column: {answer}.",
                  r"The gradient is its transpose, a column: $\nabla (f \circ g) = D(f \circ g)^\top$ "
                  r"is $%d \times 1$." % D.cols,
                  _tx(r"\nabla (f \circ g)", "backward"), _tx(r"= D(f \circ g)^\top ="),
                  _blk(D.cols, 1, r"\nabla", "backward"), _tx(r"%d \times 1" % D.cols, "highlight")),
        ]
        answer_tex = r"%d \times 1" % D.cols
    return {"question": q, "question_tex": qt,
            "parameters": _params({"g": p["g"], "f": p["f"]}, ask=p["ask"]),
            "answer": answer, "answer_text": answer, "answer_tex": answer_tex, "steps": steps}


# == curve-dzdt =====================================================================
_ANGLES = (0, sympy.pi / 6, sympy.pi / 4, sympy.pi / 3, sympy.pi / 2, 2 * sympy.pi / 3,
           3 * sympy.pi / 4, sympy.pi)


def _lin(a: int, body: str, b: int) -> str:
    terms = [_term(a, body)]
    if b:
        terms.append(str(b))
    return signed_sum(terms)


def _draw_curve(rng: random.Random) -> dict:
    f = _map_text(["x", "y"], [_component(rng, ["x", "y"], use=["x", "y"])])  # both matter
    family = rng.choice(("line", "parabola", "parabola", "trig", "trig"))
    if family == "trig":
        R, S = rng.choice((1, 1, 2, 3)), rng.choice((1, 1, 2, 3))
        comps = [_term(R, "cos(t)"), _term(S, "sin(t)")]
        t0 = rng.choice(_ANGLES)
    else:
        a, c = rng.choice(_SMALL), rng.choice(_SMALL)
        b, d = rng.choice((-1, 0, 0, 1, 2)), rng.choice((-1, 0, 0, 1, 2))
        second = "t^2" if family == "parabola" else "t"
        comps = [_lin(a, "t", b), _lin(c, second, d)]
        if rng.random() < 0.5:
            comps.reverse()
        t0 = rng.choice((-2, -1, 0, 1, 1, 2))
    return {"f": f, "r": _map_text(["t"], comps), "t": sympy.sympify(t0, strict=True)}


def _build_curve(p: dict, book: _Book) -> dict:
    f = Map(p["f"], name="f")
    r = Curve(Map(p["r"], name="r"))
    t0 = sympy.sympify(p["t"], strict=True)
    along = chain_along_curve(f, r, float(t0))
    tsym = r.map.inputs[0]
    pt = [_simp(o.subs(tsym, t0)) for o in r.map.outputs]
    vel_sym = r.map.jacobian_symbolic[:, 0]
    vel = _exact(vel_sym, {tsym: t0})
    grad_sym = f.jacobian_symbolic.T
    grad = _exact(grad_sym, dict(zip(f.inputs, pt)))
    terms = [_simp(a * b) for a, b in zip(grad, vel)]
    dz = _simp(sum(terms))
    _agree(along.point, pt, "r(t)")
    _agree(along.tangent, vel, "r'(t)")
    _agree(along.gradient, grad, "grad f")
    _agree(np.array([along.dzdt]), [dz], "dz/dt")
    book.shown(pt, list(vel), list(grad), terms)
    tt, tx = _t(t0), _x(t0)
    fr = _rhs(p["f"])
    q = (f"Let z = f(x, y) = {fr}, where (x, y) = r(t) = {_rhs(p['r'])}. "
         f"Compute dz/dt at t = {tt}.")
    qt = (f"Let $z = {_show_tex('f', f)}$, where $(x, y) = {_show_tex('r', r.map)}$. "
          f"Compute $\\frac{{dz}}{{dt}}$ at $t = {tx}$.")
    dots = [f"{_tf(a)}{_tf(b)}" for a, b in zip(grad, vel)]
    dots_tex = [f"{_xf(a)}{_xf(b)}" for a, b in zip(grad, vel)]
    steps = [
        _step(f"The chain rule along a curve: dz/dt = grad f(r(t)) . r'(t).",
              r"The chain rule along a curve: "
              r"$\frac{dz}{dt} = \nabla f(\mathbf{r}(t)) \cdot \mathbf{r}'(t)$.",
              _tx(r"\frac{dz}{dt} ="), _tx(r"\nabla f(\mathbf{r}(t))", "backward"), _tx(r"\cdot"),
              _tx(r"\mathbf{r}'(t)", "forward")),
        _step(f"Where the curve is: r({tt}) = {_tvec(pt)}.",
              r"Where the curve is: $\mathbf{r}(%s) = %s$." % (tx, _xpoint(pt)),
              _tx(r"\mathbf{r}(%s) =" % tx), _tx(_xpoint(pt), "point")),
        _step(f"Its velocity: r'(t) = {_tvec(plain_expr(v) for v in vel_sym)}, so r'({tt}) = {_tvec(vel)}.",
              r"Its velocity: $\mathbf{r}'(t) = %s$, so $\mathbf{r}'(%s) = %s$."
              % (tex_tuple(list(vel_sym)), tx, _xpoint(vel)),
              _tx(r"\mathbf{r}'(t) = %s,\quad \mathbf{r}'(%s) =" % (tex_tuple(list(vel_sym)), tx)),
              _col(vel, "forward")),
        _step(f"The gradient: grad f(x, y) = {_tvec(plain_expr(v) for v in grad_sym)}, "
              f"so at r({tt}) it is {_tvec(grad)}.",
              r"The gradient: $\nabla f(x, y) = %s$, so at $\mathbf{r}(%s)$ it is $%s$."
              % (tex_tuple(list(grad_sym)), tx, _xpoint(grad)),
              _tx(r"\nabla f(x, y) = %s,\quad \nabla f(\mathbf{r}(%s)) =" % (tex_tuple(list(grad_sym)), tx)),
              _col(grad, "backward")),
        _step(f"dz/dt = {' + '.join(dots)} = {signed_sum([_t(v) for v in terms])} = {_t(dz)}.",
              r"$\frac{dz}{dt} = %s = %s = %s$."
              % (" + ".join(dots_tex), signed_sum([_x(v) for v in terms]), _x(dz)),
              _tx(r"\frac{dz}{dt} ="), _col(grad, "backward"), _tx(r"\cdot"), _col(vel, "forward"),
              _tx("= %s =" % signed_sum([_x(v) for v in terms])), _tx(_x(dz), "highlight")),
    ]
    ans, ans_text, ans_tex = _answer_fields(sympy.Matrix([[dz]]), book)
    return {"question": q, "question_tex": qt,
            "parameters": _params({"f": p["f"], "r": p["r"]}, [t0], t=plain_expr(t0)),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# == chains: shared steps ===========================================================
def _exact_trace(maps, x0):
    """Exact points and stage Jacobians of a chain at an exact point."""
    points = [list(x0)]
    jacs = []
    for mp in maps:
        mapping = dict(zip(mp.inputs, points[-1]))
        jacs.append(_exact(mp.jacobian_symbolic, mapping))
        points.append([_simp(o.subs(mapping, simultaneous=True)) for o in mp.outputs])
    return points, jacs


def _check_trace(trace, points, jacs) -> None:
    for k, (a, b) in enumerate(zip(trace.points, points)):
        _agree(a, b, f"point in space {k}")
    for k, (a, b) in enumerate(zip(trace.jacobians, jacs)):
        _agree(a, b, f"Jacobian of stage {k + 1}")


def _stage_steps(mp: Map, name: str, at_names, point, J) -> list[Step]:
    Js = mp.jacobian_symbolic
    return [_step(
        f"D{name} = {_sym_text(Js)} ({_shape(Js)}); at {_at(at_names, point)} it is {_tmat(J)}.",
        r"$D%s = %s$ ($%d \times %d$); at $%s$ it is $%s$."
        % (name, _sym_tex(Js), Js.rows, Js.cols, _at_tex(mp, point), _xmat(J)),
        _tx(f"D{name} ="), _mx(Js, symbolic=True), _tx(r",\quad D%s" % name),
        _tx(_xpoint(point) if len(point) > 1 else r"\left(%s\right)" % _x(point[0]), "point"),
        _tx("="), _mx(J))]


def _names_tex(names) -> str:
    items = [sympy.latex(sympy.Symbol(n)) for n in names]
    return items[0] if len(items) == 1 else r"\left(" + ", ".join(items) + r"\right)"


def _value_step(name: str, x, out_names, u) -> Step:
    """``(u1, u2) = g(1, 1) = (3, 0)``."""
    lhs = r"%s = %s(%s) =" % (_names_tex(out_names), name, r",\ ".join(_x(v) for v in x))
    return _step(f"{_pname(out_names)} = {name}({', '.join(_t(v) for v in x)}) = {_tvec(u)}.",
                 r"$%s %s$." % (lhs, _xpoint(u)), _tx(lhs), _tx(_xpoint(u), "point"))


# == composition ====================================================================
_COMP_DIMS = ((1, 2, 1), (2, 2, 1), (2, 3, 1), (1, 2, 2), (2, 2, 2), (1, 3, 1), (2, 1, 1),
              (3, 2, 1))


def _draw_chain_pair(rng: random.Random, n: int, m: int, p: int, funcs: bool = True) -> dict:
    xs, us = _names("x", n), _names("u", m)
    x0 = _ints(rng, n)
    g = _map_text(xs, [_component(rng, xs, dict(zip(xs, x0)), funcs=funcs) for _ in range(m)])
    u0 = _image(g, x0)
    ok = funcs and _funcs_ok(u0) and all(abs(v) <= 3 for v in u0)
    f = _map_text(us, [_component(rng, us, dict(zip(us, u0)), funcs=ok) for _ in range(p)])
    return {"g": g, "f": f, "point": x0}


def _draw_composition(rng: random.Random) -> dict:
    n, m, p = rng.choice(_COMP_DIMS)
    return _draw_chain_pair(rng, n, m, p)


def _build_composition(p: dict, book: _Book) -> dict:
    g, f = Map(p["g"], name="g"), Map(p["f"], name="f")
    chain = Chain([g, f])
    x0 = p["point"]
    trace = chain.trace(_floats(x0))
    points, (Jg, Jf) = _exact_trace([g, f], x0)
    total = (Jf * Jg).applyfunc(_simp)
    _check_trace(trace, points, [Jg, Jf])
    _agree(trace.jacobian, total, "D(f o g)")
    book.shown(points, Jg, Jf, total)
    u0 = points[1]
    rows, cols = total.shape
    if rows == 1 and cols == 1:
        form, form_tex = "a number", "a number"
    elif rows == 1:
        form = form_tex = f"a row of {cols} numbers, e.g. a, b"
    elif cols == 1:
        form = form_tex = f"a column of {rows} numbers, e.g. a, b"
    else:
        form = form_tex = f"a {rows}x{cols} matrix, row by row, e.g. [[a, b], [c, d]]"
    xn, un = g.input_names, f.input_names
    at = _at(xn, x0)
    q = (f"Let {_show('g', p['g'])} and {_show('f', p['f'])}. Compute the derivative "
         f"D(f o g) of the composition at {at} ({rows}x{cols}; answer as {form}).")
    qt = (f"Let ${_show_tex('g', g)}$ and ${_show_tex('f', f)}$. Compute $D(f \\circ g)$ at "
          f"${_at_tex(g, x0)}$ (${rows} \\times {cols}$; answer as {form_tex}).")
    composed = chain.composed_symbolic[-1]
    Dh = chain.jacobian_symbolic
    check = _exact(Dh, dict(zip(g.inputs, x0)))
    steps = [
        _step("Jacobians multiply, outer map on the left: D(f o g)(x) = Df(g(x)) Dg(x).",
              r"Jacobians multiply, outer map on the left: $D(f \circ g)(x) = Df(g(x))\,Dg(x)$.",
              _tx(r"D(f \circ g)(x) = Df(g(x))\,Dg(x)"),
              _tx(r"\quad\text{(outer map on the left)}", "muted")),
        _value_step("g", x0, un, u0),
        *_stage_steps(g, "g", xn, x0, Jg),
        *_stage_steps(f, "f", un, u0, Jf),
        _step(f"D(f o g) = Df Dg = {_tmat(Jf)} {_tmat(Jg)} = {_tmat(total)} ({rows}x{cols}).",
              r"$D(f \circ g) = Df\,Dg = %s %s = %s$." % (_xmat(Jf), _xmat(Jg), _xmat(total)),
              _tx(r"D(f \circ g) = Df\,Dg ="), _mx(Jf), _mx(Jg), _tx("="), _mx(total, "highlight")),
    ]
    check_text = (f"Check by composing first: (f o g){_lhs(p['g'])} = "
                  f"{_tvec(plain_expr(e) for e in composed)}, whose derivative {_sym_text(Dh)} "
                  f"at {at} is {_tmat(check)}.")
    if len(check_text) <= 160:  # a long composed expression is no help on a slide
        args = ", ".join(sympy.latex(s) for s in g.inputs)
        steps.append(_step(
            check_text,
            r"Check by composing first: $(f \circ g)(%s) = %s$, whose derivative $%s$ at $%s$ is $%s$."
            % (args, tex_tuple(composed), _sym_tex(Dh), _at_tex(g, x0), _xmat(check)),
            _tx(r"\text{check: } (f \circ g)(%s) = %s\ \Rightarrow\ D(f \circ g)" % (
                args, tex_tuple(composed)), "muted"),
            _tx(r"\Big|_{%s}" % _xpoint(x0), "point"), _tx("="), _mx(check)))
    ans, ans_text, ans_tex = _answer_fields(total, book)
    return {"question": q, "question_tex": qt,
            "parameters": _params({"g": p["g"], "f": p["f"]}, x0),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# == path-sum =======================================================================
_PATH_DIMS = ((2, 2, 1), (3, 2, 1), (3, 2, 2), (2, 3, 1), (2, 2, 2), (3, 3, 1))


def _draw_path(rng: random.Random) -> dict:
    n, m, p = rng.choice(_PATH_DIMS)
    xs, us = _names("x", n), _names("u", m)
    x0 = _ints(rng, n)

    def subset(names):
        return sorted(rng.sample(names, rng.choice((1, 1, 2))), key=names.index)

    g = _map_text(xs, [_component(rng, xs, use=subset(xs)) for _ in range(m)])
    f = _map_text(us, [_component(rng, us, use=subset(us)) for _ in range(p)])
    return {"g": g, "f": f, "point": x0, "out": rng.randrange(p), "in": rng.randrange(n)}


def _build_path(p: dict, book: _Book) -> dict:
    g, f = Map(p["g"], name="g"), Map(p["f"], name="f")
    chain = Chain([g, f])
    x0 = p["point"]
    i, j = p["out"], p["in"]
    points, (Jg, Jf) = _exact_trace([g, f], x0)
    # cheap structural test before the graph: some u_k misses an edge, some path has both
    zero = [k for k in range(g.m) if g.jacobian_symbolic[k, j] == 0 or f.jacobian_symbolic[i, k] == 0]
    if not zero or len(zero) == g.m:
        if book.strict:
            raise _Reject
        raise JacvizError("path-sum exercise needs a zero path and a non-zero path")
    terms_exact = [_simp(Jf[i, k] * Jg[k, j]) for k in range(g.m)]
    entry = _simp(sum(terms_exact))
    book.shown(points, Jg, Jf, terms_exact, entry)
    if book.strict and entry == 0:
        raise _Reject
    graph = Graph(chain, _floats(x0))
    ps = graph.path_sum(i, j)
    _agree(graph.points[1], points[1], "u = g(x)")
    _agree([t.value for t in ps.terms], terms_exact, "path products")
    _agree([ps.total, ps.jacobian_entry], [entry, entry], "path sum")
    if sorted(k for k, t in enumerate(ps.terms) if t.is_zero) != zero:
        raise NumericError("exercise check failed: the graph's zero paths are not the missing edges")
    xn, un, yn = g.input_names, f.input_names, chain.output_names
    xj, yi = xn[j], yn[i]
    xj_t, yi_t = sympy.latex(g.inputs[j]), _ylatex(yi)
    at = _tvec(x0)
    missing = ("One path has a missing edge." if len(zero) == 1
               else f"{len(zero)} of the {g.m} paths have a missing edge.")
    q = (f"Let u = g(x) with {_show('g', p['g'])}, and y = f(u) with {_show('f', p['f'])}. "
         f"Compute d{yi}/d{xj} at x = {at} as a sum over paths: for each path {xj} -> u_k -> {yi}, "
         f"multiply the partials along its edges, then add over paths. {missing}")
    qt = (f"Let $u = g(x)$ with ${_show_tex('g', g)}$, and $y = f(u)$ with ${_show_tex('f', f)}$. "
          f"Compute $\\frac{{\\partial {yi_t}}}{{\\partial {xj_t}}}$ at $x = {_xpoint(x0)}$ as a sum "
          f"over paths: multiply the partials along each path ${xj_t} \\to u_k \\to {yi_t}$, then "
          f"add over paths. {missing}")
    dd = r"\frac{\partial %s}{\partial %s}" % (yi_t, xj_t)
    formula = " + ".join(r"\frac{\partial %s}{\partial %s}\frac{\partial %s}{\partial %s}"
                         % (yi_t, sympy.latex(u), sympy.latex(u), xj_t) for u in f.inputs)
    steps = [
        _step(f"The paths from {xj} to {yi} go through each of {', '.join(un)}: "
              f"d{yi}/d{xj} = " + " + ".join(f"(d{yi}/d{u})(d{u}/d{xj})" for u in un) + ".",
              r"The paths from $%s$ to $%s$ go through each of $%s$: $%s = %s$."
              % (xj_t, yi_t, ", ".join(sympy.latex(s) for s in f.inputs), dd, formula),
              _tx(dd, "highlight"), _tx(r"= \sum_k \frac{\partial %s}{\partial u_k}\frac{\partial u_k}"
                                        r"{\partial %s}" % (yi_t, xj_t)),
              _tx(r"\quad\text{(one term per path)}", "muted")),
        _value_step("g", x0, un, points[1]),
    ]
    for k, (term, u) in enumerate(zip(ps.terms, un)):
        outer, inner = f.jacobian_symbolic[i, k], g.jacobian_symbolic[k, j]
        ut = sympy.latex(f.inputs[k])
        head = (f"Path {xj} -> {u} -> {yi}: (d{yi}/d{u})(d{u}/d{xj}) = "
                f"{_tf(plain_expr(outer))}{_tf(plain_expr(inner))}")
        head_tex = (r"Path $%s \to %s \to %s$: $\frac{\partial %s}{\partial %s}\frac{\partial %s}"
                    r"{\partial %s} = \left(%s\right)\left(%s\right)"
                    % (xj_t, ut, yi_t, yi_t, ut, ut, xj_t, sympy.latex(outer), sympy.latex(inner)))
        route = _tx(r"%s \to %s \to %s\colon" % (xj_t, ut, yi_t))
        factors = r"\left(%s\right)\left(%s\right)" % (sympy.latex(outer), sympy.latex(inner))
        if term.is_zero:
            why = (f"{u} does not depend on {xj}" if inner == 0 else f"{yi} does not depend on {u}")
            why_tex = (r"$%s$ does not depend on $%s$" % ((ut, xj_t) if inner == 0 else (yi_t, ut)))
            steps.append(_step(f"{head} = 0: {why}, a missing edge, so this path adds nothing.",
                               head_tex + r" = 0$: %s, a missing edge, so this path adds nothing." % why_tex,
                               {"path": k}, route, _tx(factors + " = 0", "warn"),
                               _tx(r"\quad\text{(missing edge)}", "muted")))
        else:
            steps.append(_step(
                f"{head} = {_tf(Jf[i, k])}{_tf(Jg[k, j])} = {_t(terms_exact[k])} at x = {at}.",
                head_tex + r" = %s%s = %s$." % (_xf(Jf[i, k]), _xf(Jg[k, j]), _x(terms_exact[k])),
                {"path": k}, route, _tx(factors + " = " + _xf(Jf[i, k]) + _xf(Jg[k, j]) + " ="),
                _tx(_x(terms_exact[k]), "point")))
    steps.append(_step(f"Add over paths: d{yi}/d{xj} = {signed_sum([_t(v) for v in terms_exact])} "
                       f"= {_t(entry)}.",
                       r"Add over paths: $%s = %s = %s$." % (dd, signed_sum([_x(v) for v in terms_exact]),
                                                              _x(entry)),
                       _tx(dd), _tx("= %s =" % signed_sum([_x(v) for v in terms_exact])),
                       _tx(_x(entry), "highlight")))
    ans, ans_text, ans_tex = _answer_fields(sympy.Matrix([[entry]]), book)
    return {"question": q, "question_tex": qt,
            "parameters": _params({"g": p["g"], "f": p["f"]}, x0, output=i + 1, input=j + 1),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps,
            "figure": {"graph": graph, "terms": ps.terms}}


def _ylatex(name: str) -> str:
    return sympy.latex(sympy.Symbol(name))


# == pushforward ====================================================================
def _small_vector(rng: random.Random, n: int) -> list:
    while True:
        if rng.random() < 0.3:
            v = [sympy.Rational(rng.choice((-2, -1, 0, 1, 2)), 10) for _ in range(n)]
        else:
            v = [sympy.Integer(rng.choice((-2, -1, 0, 1, 2))) for _ in range(n)]
        if any(x != 0 for x in v):
            return v


def _draw_push(rng: random.Random) -> dict:
    if rng.random() < 0.6:
        n, m = rng.choice((2, 2, 3)), rng.choice((1, 2, 2, 3))
        xs = _names("x", n)
        x0 = _ints(rng, n)
        F = _map_text(xs, [_component(rng, xs, dict(zip(xs, x0)), funcs=True) for _ in range(m)])
        return {"maps": {"F": F}, "point": x0, "dx": _small_vector(rng, n)}
    pair = _draw_chain_pair(rng, 2, 2, rng.choice((1, 1, 2)))
    return {"maps": {"g": pair["g"], "f": pair["f"]}, "point": pair["point"],
            "dx": _small_vector(rng, 2)}


def _chain_of(maps_text: dict) -> tuple[Chain, list[Map], list[str]]:
    names = list(maps_text)
    maps = [Map(maps_text[k], name=k) for k in names]
    return Chain(maps), maps, names


def _build_push(p: dict, book: _Book) -> dict:
    chain, maps, names = _chain_of(p["maps"])
    x0, dx = p["point"], p["dx"]
    trace = chain.trace(_floats(x0), dx=_floats(dx))
    points, jacs = _exact_trace(maps, x0)
    push = [sympy.Matrix(dx)]
    for J in jacs:
        push.append((J * push[-1]).applyfunc(_simp))
    _check_trace(trace, points, jacs)
    for k, (a, b) in enumerate(zip(trace.pushforward, push)):
        _agree(a, b, f"pushforward in space {k}")
    book.shown(points, jacs, push)
    first = maps[0]
    xn = first.input_names
    at, dxt = _tvec(x0), _tvec(dx)
    maps_q = " and ".join(_show(k, p["maps"][k]) for k in names)
    maps_qt = " and ".join(f"${_show_tex(k, mp)}$" for k, mp in zip(names, maps))
    out = push[-1]
    single = len(maps) == 1
    if single:
        what = "J dx, where J is the Jacobian of F at the point (the linear prediction of how F moves)"
        what_tex = r"$J\,dx$, where $J$ is the Jacobian of $F$ at the point"
        vec_names = ["dx", "J dx"]
    else:
        what = "dy: push dx forward through g (du = Dg dx), then through f (dy = Df du)"
        what_tex = r"$dy$: push $dx$ forward through $g$ ($du = Dg\,dx$), then through $f$ ($dy = Df\,du$)"
        vec_names = ["dx", "du", "dy"]
    form = "a number" if out.rows == 1 else f"{out.rows} numbers, e.g. a, b"
    q = (f"Let {maps_q}. At x = {at}, take the small step dx = {dxt}. Compute {what}. "
         f"Answer as {form}.")
    qt = (f"Let {maps_qt}. At $x = {_xpoint(x0)}$, take the small step $dx = {_xpoint(dx)}$. "
          f"Compute {what_tex}. Answer as {form}.")
    flow = [_tx("dx", "forward")]
    for name, vec in zip(names, vec_names[1:]):
        flow += [_tx(r"\xrightarrow{D%s}" % name), _tx(vec.replace(" ", r"\,"), "forward")]
    steps = [_step("Perturbations are pushed forward by Jacobians, inner map first.",
                   "Perturbations are pushed forward by Jacobians, inner map first.",
                   *flow, _tx(r"\quad\text{(inner map first)}", "muted"))]
    space_names = [xn] + [mp.input_names for mp in maps[1:]]
    for k, (mp, name) in enumerate(zip(maps, names)):
        if k > 0:
            steps.append(_value_step(names[k - 1], points[k - 1], space_names[k], points[k]))
        steps += _stage_steps(mp, name, space_names[k], points[k], jacs[k])
        vin, vout = vec_names[k], vec_names[k + 1]
        lhs = vout if not single else "J dx"
        steps.append(_step(
            f"{lhs} = D{name} {vin} = {_tmat(jacs[k])} {_tcol(push[k])} = {_tcol(push[k + 1])}.",
            r"$%s = D%s\,%s = %s %s = %s$." % (lhs.replace(" ", r"\,"), name, vin, _xmat(jacs[k]),
                                                _xcol(push[k]), _xcol(push[k + 1])),
            _tx(lhs.replace(" ", r"\,"), "forward"), _tx(r"= D%s\," % name), _tx(vin, "forward"),
            _tx("="), _mx(jacs[k]), _col(push[k], "forward"), _tx("="), _col(push[k + 1], "forward")))
    ans, ans_text, ans_tex = _answer_fields(out, book)
    return {"question": q, "question_tex": qt,
            "parameters": _params(p["maps"], x0, dx=[_json_num(v) for v in dx]),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# == pullback =======================================================================
def _draw_pull(rng: random.Random) -> dict:
    if rng.random() < 0.5:
        n, m = rng.choice((2, 2, 3)), rng.choice((2, 3))
        xs = _names("x", n)
        x0 = _ints(rng, n)
        F = _map_text(xs, [_component(rng, xs, dict(zip(xs, x0)), funcs=True) for _ in range(m)])
        gbar = [sympy.Integer(rng.choice((-2, -1, 0, 1, 1, 2))) for _ in range(m)]
        if all(v == 0 for v in gbar):
            gbar[0] = sympy.Integer(1)
        return {"maps": {"F": F}, "point": x0, "gradient": gbar}
    pair = _draw_chain_pair(rng, rng.choice((2, 2, 3)), rng.choice((2, 3)), 1)
    return {"maps": {"g": pair["g"], "f": pair["f"]}, "point": pair["point"], "gradient": None}


def _build_pull(p: dict, book: _Book) -> dict:
    chain, maps, names = _chain_of(p["maps"])
    x0 = p["point"]
    single = len(maps) == 1
    if single:
        gbar = list(p["gradient"])
    else:
        if chain.m != 1:
            raise JacvizError("pullback exercise: the outer map must be scalar")
        gbar = [sympy.Integer(1)]  # dy/dy = 1 for the scalar output
    trace = chain.trace(_floats(x0), gbar=_floats(gbar))
    points, jacs = _exact_trace(maps, x0)
    pull = [sympy.Matrix(gbar)]
    for J in reversed(jacs):
        pull.append((J.T * pull[-1]).applyfunc(_simp))
    pull.reverse()
    _check_trace(trace, points, jacs)
    for k, (a, b) in enumerate(zip(trace.pullback, pull)):
        _agree(a, b, f"pullback in space {k}")
    book.shown(points, jacs, pull)
    xn = maps[0].input_names
    at = _tvec(x0)
    out = pull[0]
    form = f"a column of {out.rows} numbers, e.g. a, b"
    if single:
        F = maps[0]
        q = (f"Let {_show('F', p['maps']['F'])}. At x = {at} the gradient of a scalar loss with "
             f"respect to F's outputs is g = {_tvec(gbar)}. Pull it back: compute J^T g, where J is "
             f"the Jacobian of F at x. Answer as {form}.")
        qt = (f"Let ${_show_tex('F', F)}$. At $x = {_xpoint(x0)}$ the gradient of a scalar loss with "
              f"respect to the outputs of $F$ is $g = {_xpoint(gbar)}$. Pull it back: compute "
              f"$J^\\top g$, where $J$ is the Jacobian of $F$ at $x$. Answer as {form}.")
        steps = [_step("Gradients are pulled back by transposed Jacobians.",
                       "Gradients are pulled back by transposed Jacobians.",
                       _tx("g", "backward"), _tx(r"\mapsto J^\top"), _tx("g", "backward"),
                       _tx(r"\quad\text{(transposed Jacobian)}", "muted")),
                 *_stage_steps(F, "F", xn, x0, jacs[0]),
                 _step(f"J^T g = {_tmat(jacs[0].T)} {_tcol(gbar)} = {_tcol(out)}.",
                       r"$J^\top g = %s %s = %s$." % (_xmat(jacs[0].T), _xcol(gbar), _xcol(out)),
                       _tx(r"J^\top"), _tx("g", "backward"), _tx("="), _mx(jacs[0].T),
                       _col(gbar, "backward"), _tx("="), _col(out, "backward"))]
    else:
        g, f = maps
        un = f.input_names
        q = (f"Let u = g(x) with {_show('g', p['maps']['g'])}, and the scalar "
             f"y = {_show('f', p['maps']['f'])}. "
             f"Compute the gradient of y with respect to x at x = {at}, by pulling the gradient of f "
             f"back through Dg^T. Answer as {form}.")
        qt = (f"Let $u = g(x)$ with ${_show_tex('g', g)}$, and the scalar $y = {_show_tex('f', f)}$. "
              f"Compute $\\nabla_x y$ at $x = {_xpoint(x0)}$ by pulling $\\nabla f$ back through "
              f"$Dg^\\top$. Answer as {form}.")
        steps = [
            _step("Gradients are pulled back by transposed Jacobians, outer map first: "
                  "grad_x y = Dg(x)^T grad f(u).",
                  r"Gradients are pulled back by transposed Jacobians, outer map first: "
                  r"$\nabla_x y = Dg(x)^\top \nabla f(u)$.",
                  _tx(r"\nabla_x y", "backward"), _tx(r"= Dg(x)^\top"),
                  _tx(r"\nabla f(u)", "backward"), _tx(r"\quad\text{(outer map first)}", "muted")),
            _value_step("g", x0, un, points[1]),
            *_stage_steps(f, "f", un, points[1], jacs[1]),
            _step(f"grad f(u) = Df(u)^T = {_tcol(pull[1])} ({pull[1].rows}x1).",
                  r"$\nabla f(u) = Df(u)^\top = %s$." % _xcol(pull[1]),
                  _tx(r"\nabla f(u)", "backward"), _tx(r"= Df(u)^\top ="), _col(pull[1], "backward")),
            *_stage_steps(g, "g", xn, x0, jacs[0]),
            _step(f"grad_x y = Dg^T grad f = {_tmat(jacs[0].T)} {_tcol(pull[1])} = {_tcol(out)}.",
                  r"$\nabla_x y = Dg^\top \nabla f = %s %s = %s$."
                  % (_xmat(jacs[0].T), _xcol(pull[1]), _xcol(out)),
                  _tx(r"\nabla_x y", "backward"), _tx(r"= Dg^\top"), _tx(r"\nabla f", "backward"),
                  _tx("="), _mx(jacs[0].T), _col(pull[1], "backward"), _tx("="), _col(out, "backward")),
        ]
    ans, ans_text, ans_tex = _answer_fields(out, book)
    extra = {"gradient": [_json_num(v) for v in gbar]} if single else {}
    return {"question": q, "question_tex": qt,
            "parameters": _params(p["maps"], x0, **extra),
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# == network ========================================================================
_ACTIVATIONS = {
    # name: (map output for one unit, plain description, TeX description)
    "sigmoid": ("sigmoid({a})",
                "h = sigmoid(a) elementwise, sigmoid(a) = 1/(1 + e^(-a)), whose derivative is "
                "sigmoid'(a) = sigmoid(a)(1 - sigmoid(a))",
                r"$h = \sigma(a)$ elementwise, $\sigma(a) = \frac{1}{1 + e^{-a}}$, whose derivative is "
                r"$\sigma'(a) = \sigma(a)\,(1 - \sigma(a))$"),
    "square": ("{a}^2",
               "h = a^2 elementwise (the square as the activation), whose derivative is 2a",
               r"$h = a^2$ elementwise (the square as the activation), whose derivative is $2a$"),
}


def _affine_text(W, b, xs) -> list[str]:
    rows = []
    for wrow, bi in zip(W, b):
        terms = [_term(int(w), x) for w, x in zip(wrow, xs) if w != 0]
        if bi != 0 or not terms:
            terms.append(str(int(bi)))
        rows.append(signed_sum(terms))
    return rows


def _network_params(W, b, c, x0, activation) -> dict:
    k = len(W)
    xs, as_, hs = _names("x", len(W[0])), _names("a", k), _names("h", k)
    layer = _map_text(xs, _affine_text(W, b, xs))
    act = _map_text(as_, [_ACTIVATIONS[activation][0].format(a=a) for a in as_])
    loss = _map_text(hs, [signed_sum([_term(int(ci), h) for ci, h in zip(c, hs) if ci != 0]) or "0"])
    return {"maps": {"layer": layer, "activation": act, "loss": loss},
            "W": [[int(w) for w in row] for row in W], "b": [int(v) for v in b],
            "c": [int(v) for v in c], "point": [sympy.Integer(v) for v in x0],
            "activation_name": activation}


def _draw_network(rng: random.Random) -> dict:
    k = rng.choice((2, 3, 3))
    x0 = [rng.choice((-2, -1, 0, 1, 1, 2)) for _ in range(2)]
    W = []
    while len(W) < k:
        row = [rng.choice((-2, -1, 0, 1, 1, 2)) for _ in range(2)]
        if any(row):
            W.append(row)
    c = [rng.choice((-2, -1, 1, 1, 2, 3)) for _ in range(k)]
    activation = rng.choice(("sigmoid", "sigmoid", "square"))
    if activation == "sigmoid":  # a = 0 at x0, where sigmoid' = 1/4
        b = [-(w[0] * x0[0] + w[1] * x0[1]) for w in W]
    else:
        b = [rng.choice((-2, -1, 0, 0, 1, 2)) for _ in range(k)]
    return _network_params(W, b, c, x0, activation)


def _build_network(p: dict, book: _Book) -> dict:
    names = ["layer", "activation", "loss"]
    maps = [Map(p["maps"][k], name=k) for k in names]
    chain = Chain(maps, output_names=["l"])
    x0 = p["point"]
    trace = chain.trace(_floats(x0), gbar=[1.0])
    points, jacs = _exact_trace(maps, x0)
    pull = [sympy.Matrix([1])]
    for J in reversed(jacs):
        pull.append((J.T * pull[-1]).applyfunc(_simp))
    pull.reverse()
    _check_trace(trace, points, jacs)
    for k, (a, b) in enumerate(zip(trace.pullback, pull)):
        _agree(a, b, f"backward pass in space {k}")
    W, c = sympy.Matrix(p["W"]), sympy.Matrix(p["c"])
    if jacs[0] != W or jacs[2] != c.T:
        raise NumericError("exercise check failed: the layer maps do not match W and c")
    book.shown(points, jacs, pull)
    act = p["activation_name"]
    _, desc, desc_tex = _ACTIVATIONS[act]
    a0, h0 = points[1], points[2]
    sprime = [jacs[1][i, i] for i in range(jacs[1].rows)]
    k = len(a0)
    at = _tvec(x0)
    layer_text = _rhs(p["maps"]["layer"])
    loss_text = _rhs(p["maps"]["loss"])
    q = (f"A one-hidden-layer network on x in R^2: a = W x + b with W = {_tmat(W)} and "
         f"b = {_tvec(p['b'])}, that is a(x1, x2) = {layer_text}; {desc}; and the loss "
         f"l = c^T h with c = {_tvec(p['c'])}, that is l = {loss_text}. Compute the gradient of l "
         f"with respect to x at x = {at} (a column of 2 numbers, e.g. a, b).")
    qt = (f"A one-hidden-layer network on $x \\in \\mathbb{{R}}^2$: $a = W x + b$ with $W = {_xmat(W)}$ "
          f"and $b = {_xcol(p['b'])}$; {desc_tex}; and the loss $\\ell = c^\\top h$ with "
          f"$c = {_xcol(p['c'])}$. Compute $\\nabla_x \\ell$ at $x = {_xpoint(x0)}$.")
    sname = "sigmoid'(a)" if act == "sigmoid" else "2a"
    sname_tex = r"\sigma'(a)" if act == "sigmoid" else "2a"
    diag = r"\operatorname{Diag}(%s)" % sname_tex
    steps = [
        _step(f"Backprop is repeated pullback: grad_x l = W^T Diag({sname}) c.",
              r"Backprop is repeated pullback: $\nabla_x \ell = W^\top \operatorname{Diag}(%s)\, c$."
              % sname_tex,
              _tx(r"\nabla_x \ell", "backward"), _tx(r"= W^\top %s\," % diag), _tx("c", "backward"),
              _tx(r"\quad\text{(repeated pullback)}", "muted")),
        _step(f"Forward: a = W x + b = {_tcol(a0)} at x = {at}, and h = {_tcol(h0)}.",
              r"Forward: $a = W x + b = %s$ at $x = %s$, and $h = %s$."
              % (_xcol(a0), _xpoint(x0), _xcol(h0)),
              _tx("a = W"), _tx(_xpoint(x0), "point"), _tx("+ b ="), _col(a0, "point"), _tx(r",\quad h ="),
              _col(h0, "point")),
        _step(f"The activation's Jacobian is Diag({sname}) = Diag{_tvec(sprime)} ({k}x{k}).",
              r"The activation's Jacobian is $\operatorname{Diag}(%s) = %s$ ($%d \times %d$)."
              % (sname_tex, _xmat(jacs[1]), k, k),
              _tx(diag + " ="), _mx(jacs[1]), _tx(r"%d \times %d" % (k, k), "muted")),
        _step(f"grad_h l = c = {_tcol(pull[2])}.",
              r"$\nabla_h \ell = c = %s$." % _xcol(pull[2]),
              _tx(r"\nabla_h \ell", "backward"), _tx("= c ="), _col(pull[2], "backward")),
        _step(f"grad_a l = Diag({sname}) grad_h l = {_tcol(pull[1])}.",
              r"$\nabla_a \ell = \operatorname{Diag}(%s)\,\nabla_h \ell = %s$." % (sname_tex, _xcol(pull[1])),
              _tx(r"\nabla_a \ell", "backward"), _tx("= " + diag + r"\,"), _tx(r"\nabla_h \ell", "backward"),
              _tx("="), _col(pull[1], "backward")),
        _step(f"grad_x l = W^T grad_a l = {_tmat(W.T)} {_tcol(pull[1])} = {_tcol(pull[0])}.",
              r"$\nabla_x \ell = W^\top \nabla_a \ell = %s %s = %s$."
              % (_xmat(W.T), _xcol(pull[1]), _xcol(pull[0])),
              _tx(r"\nabla_x \ell", "backward"), _tx(r"= W^\top"), _tx(r"\nabla_a \ell", "backward"),
              _tx("="), _mx(W.T), _col(pull[1], "backward"), _tx("="), _col(pull[0], "backward")),
    ]
    ans, ans_text, ans_tex = _answer_fields(pull[0], book)
    params = _params(p["maps"], x0, W=p["W"], b=p["b"], c=p["c"], activation=act)
    return {"question": q, "question_tex": qt, "parameters": params,
            "answer": ans, "answer_text": ans_text, "answer_tex": ans_tex, "steps": steps}


# == the lessons' own exercises =======================================================
def _I(*vals) -> list:
    return [sympy.Integer(v) for v in vals]


_LESSON_ENTRY = {
    # "Fill in a Jacobian" / "And another entry": J_11 and J_22 at (1, 2): 2 and 1
    0: ("lesson 'Jacobians and the multivariable chain rule': Fill in a Jacobian",
        lambda: {"F": "(x, y) -> (x^2 - y, x*y)", "point": _I(1, 2), "entries": [(0, 0), (1, 1)]}),
}

# The closing problems of 'Derivatives of composed functions' lost their maps; these
# maps (g: R^2 -> R^3, f: R^3 -> R, so Dg is 3x2 and grad f is 3x1) are chosen here.
_G32 = "(x1, x2) -> (x1 + x2, x1*x2, x2^2)"
_F31 = "(u1, u2, u3) -> u1*u2 + u3"

_LESSON_SHAPE = {
    0: ("lesson 'Derivatives of composed functions': closing problem, the shape of a composed "
        "Jacobian (p x n); maps chosen here", lambda: {"g": _G32, "f": _F31, "ask": "product"}),
    1: ("lesson 'Derivatives of composed functions': closing problem, the shape of a gradient "
        "(n x 1); maps chosen here", lambda: {"g": _G32, "f": _F31, "ask": "gradient"}),
}

_LESSON_CURVE = {
    # "Move on a circle, watch the height": dz/dt = 0 for every t; the lesson names no t,
    # t = pi/4 is chosen here
    0: ("lesson 'Jacobians and the multivariable chain rule': Move on a circle, watch the height",
        lambda: {"f": "(x, y) -> x^2 + y^2", "r": "t -> (cos(t), sin(t))", "t": sympy.pi / 4}),
}

_LESSON_COMPOSITION = {
    0: ("lesson 'Jacobians and the multivariable chain rule': Chain something small",
        lambda: {"g": "x -> (x, x^2)", "f": "(u, v) -> u + v", "point": _I(1)}),
    # the worked example of 'Derivatives of composed functions': Dh(1, 2) = [10, 5]
    1: ("lesson 'Derivatives of composed functions': worked example, Dh at (1, 2)",
        lambda: {"g": "(x1, x2) -> (x1^2 + x2, x1*x2)", "f": "(u1, u2) -> u1 + u2^2",
                 "point": _I(1, 2)}),
}

_LESSON_PATH = {
    # u1 = x1*x2, u2 = x3^2, y2 = u1*u2: dy2/dx3 = (u2)(0) + (u1)(2 x3) = 12 at (1, 2, 3).
    # The lesson does not give y1; y1 = u1 + u2 is chosen here.
    0: ("lesson 'Derivatives of composed functions': path tracing, dy2/dx3",
        lambda: {"g": "(x1, x2, x3) -> (x1*x2, x3^2)", "f": "(u1, u2) -> (u1 + u2, u1*u2)",
                 "point": _I(1, 2, 3), "out": 1, "in": 2}),
}

_LESSON_PUSH = {
    # the two-way example: g linear, x0 = (1, 1), dx = (0.1, 0.1): du = (0.3, 0), dy = 0.3
    0: ("lesson 'Derivatives of composed functions': the two-way example, pushforward",
        lambda: {"maps": {"g": "(x1, x2) -> (x1 + 2*x2, x1 - x2)", "f": "(u1, u2) -> u1*u2 + u1"},
                 "point": _I(1, 1), "dx": [sympy.Rational(1, 10), sympy.Rational(1, 10)]}),
}

_LESSON_PULL = {
    # closing problem: grad (f o g) = Dg^T grad f with Dg 3x2 and grad f 3x1 (maps chosen
    # here, as for the shape exercise), at (1, 2) chosen here
    0: ("lesson 'Derivatives of composed functions': closing problem, Dg 3x2 and grad f 3x1; "
        "maps and point chosen here",
        lambda: {"maps": {"g": _G32, "f": _F31}, "point": _I(1, 2), "gradient": None}),
    # closing problem: Dg 2x2 and diagonal (g1 depends on x1 only, g2 on x2 only); the maps
    # and the point are chosen here
    1: ("lesson 'Derivatives of composed functions': closing problem, Dg 2x2 and diagonal; "
        "maps and point chosen here",
        lambda: {"maps": {"g": "(x1, x2) -> (x1^2, x2^3)", "f": "(u1, u2) -> u1*u2"},
                 "point": _I(2, 1), "gradient": None}),
}

_LESSON_NETWORK = {
    # the tiny network (x in R^2, a in R^3, sigmoid, l = c^T h); the lesson's W, b, c were
    # lost, these are chosen here with a = 0 at x0 = (1, 1), where sigmoid' = 1/4
    0: ("lesson 'Derivatives of composed functions': the tiny network; W, b, c, x0 chosen here",
        lambda: _network_params([[1, 2], [0, 1], [-1, 1]], [-3, -1, 0], [1, 2, -1], [1, 1],
                                "sigmoid")),
}

KINDS: dict[str, Generator] = {
    g.kind: g
    for g in (
        Generator("jacobian-entry", "Fill in a Jacobian", TOL_EXACT, _LESSON_ENTRY, _draw_entry,
                  _build_entry),
        Generator("shape", "Shapes force the order", TOL_SHAPE, _LESSON_SHAPE, _draw_shape,
                  _build_shape),
        Generator("curve-dzdt", "Move along a curve", TOL_SURD, _LESSON_CURVE, _draw_curve,
                  _build_curve, surds=True, zero_keep=0.3),
        Generator("composition", "Chain something small", TOL_EXACT, _LESSON_COMPOSITION,
                  _draw_composition, _build_composition),
        Generator("path-sum", "Sum over paths", TOL_EXACT, _LESSON_PATH, _draw_path, _build_path),
        Generator("pushforward", "Push a perturbation forward", TOL_EXACT, _LESSON_PUSH,
                  _draw_push, _build_push),
        Generator("pullback", "Pull a gradient back", TOL_EXACT, _LESSON_PULL, _draw_pull,
                  _build_pull),
        Generator("network", "Backprop through a tiny network", TOL_EXACT, _LESSON_NETWORK,
                  _draw_network, _build_network),
    )
}

#: the seeds of each kind that are the lessons' own exercises
LESSON_SEEDS: dict[str, tuple[int, ...]] = {k: tuple(sorted(g.lesson)) for k, g in KINDS.items()}

__all__ = [
    "Exercise",
    "Generator",
    "KINDS",
    "LESSON_SEEDS",
    "Step",
    "check_answer",
    "generate",
    "is_nice",
    "nice_fraction",
    "parse_shape",
    "practice_set",
]

"""Maps, chains of maps, and the JAX-shaped derivative functions.

Conventions (LESSON.md): Jacobians are in numerator layout, ``m x n`` for a
map ``R^n -> R^m``; gradients are column vectors; perturbations are pushed
forward by Jacobians (inner map first) and gradients pulled back by their
transposes (outer map first).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Sequence

import numpy as np
import sympy

from .errors import JacvizError, NumericError, ShapeError, shorten
from .limits import MAX_STAGES
from .domains import explain
from .parse import deep_recursion, parse_map, relu, sigmoid, symbol


def _np_sigmoid(x):
    """1 / (1 + exp(-x)), accurate for large |x| of either sign."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):
        z = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _np_relu(x):
    """max(x, 0); nan stays nan."""
    return np.maximum(np.asarray(x, dtype=float), 0.0)


class jacviz_step(sympy.Function):
    """Heaviside(u) under a name of its own in compiled code: sympy would print it as a
    piecewise choice that makes nan 1; this is nan at nan, 1/2 at 0 (as sympy, and as the
    pages' JavaScript)."""

    nargs = 1


def _named_steps(expr):
    if not expr.has(sympy.Heaviside):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.Heaviside), lambda e: jacviz_step(e.args[0]))


def _np_step(x):
    return np.heaviside(np.asarray(x, dtype=float), 0.5)


_LAMBDIFY_MODULES = [{"sigmoid": _np_sigmoid, "relu": _np_relu, "jacviz_step": _np_step}, "numpy"]


def _floats_for_big_integers(expr):
    """Integers beyond float64's exact range as floats: printed as Python ints, numpy would
    hold them in object arrays, which its sin, log, exp refuse."""
    big = {k: sympy.Float(k) for k in expr.atoms(sympy.Integer) if abs(k) > 2**53}
    return expr.xreplace(big) if big else expr


#: the deepest an expression is printed into compiled code; deeper parts become temporaries
#: (Python refuses code nested more than 200 parentheses deep)
_CODE_DEPTH = 40


def _shallow_cse(exprs):
    """lambdify's common subexpressions, and every part nested ``_CODE_DEPTH`` levels deep
    a temporary of its own, so that the code compiles whatever the nesting (sin(sin(...))
    200 deep).  Bottom-up, without recursion."""
    reps, reduced = sympy.cse(list(exprs))
    used = {s.name for e in [*reduced, *(r for _, r in reps)] for s in e.free_symbols}
    used |= {s.name for s, _ in reps}
    names = (f"_t{k}" for k in itertools.count() if f"_t{k}" not in used)
    out, memo = [], {}

    def cut(expr):
        stack = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if not node.args:
                memo[node] = (node, 0)
            elif ready:
                kids = [memo[a] for a in node.args]
                new = node if all(k[0] is a for k, a in zip(kids, node.args)) else \
                    node.func(*(k[0] for k in kids))
                height = 1 + max(k[1] for k in kids)
                if height >= _CODE_DEPTH:
                    sym = sympy.Symbol(next(names))
                    out.append((sym, new))
                    memo[node] = (sym, 0)
                else:
                    memo[node] = (new, height)
            else:
                stack.append((node, True))
                stack.extend((a, False) for a in node.args if a not in memo)
        return memo[expr][0]

    for sym, expr in reps:
        out.append((sym, cut(expr)))
    return out, [cut(e) for e in reduced]


def _compile(symbols, exprs, modules=None) -> Callable:
    """Compile a flat list of expressions into one vectorized numpy function (or, with
    ``modules``, a function of those modules' numbers)."""
    with deep_recursion():
        exprs = [_named_steps(sympy.sympify(e, strict=True)) for e in exprs]
        if modules is None:
            exprs = [_floats_for_big_integers(e) for e in exprs]
        return sympy.lambdify(list(symbols), exprs, modules=modules or _LAMBDIFY_MODULES,
                              cse=_shallow_cse)


def _as_points(x, n: int, what: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.shape[-1] != n:
        raise ShapeError(f"{what} expects points of length {n}, got shape {arr.shape}")
    return arr


def _stack(values, batch_shape, trailing) -> np.ndarray:
    """Stack lambdify's list of entries, broadcasting constants to the batch."""
    cols = [np.broadcast_to(np.asarray(v, dtype=float), batch_shape) for v in values]
    out = np.stack(cols, axis=-1) if cols else np.zeros(batch_shape + (0,))
    return out.reshape(batch_shape + trailing)


class Map:
    """A map R^n -> R^m given as text, with symbolic and numeric Jacobians.

    ``Map("(x1, x2) -> (x1**2 + x2, x1*x2)")``.  Numeric evaluation is
    vectorized: ``m(x)`` takes an array of shape ``(..., n)`` and returns
    ``(..., m)``; ``m.jacobian(x)`` returns ``(..., m, n)``.  The numeric
    functions are compiled once per map.
    """

    def __init__(self, text: str | None = None, name: str = "f", *, inputs=None, outputs=None,
                 what: str | None = None):
        if text is not None:
            inputs, outputs = parse_map(text, what=what or f"map {name}")
        elif inputs is None or outputs is None:
            raise TypeError("Map needs text, or inputs and outputs")
        self.name = name
        self.inputs: tuple[sympy.Symbol, ...] = tuple(inputs)
        self.outputs: tuple[sympy.Expr, ...] = tuple(sympy.sympify(o, strict=True) for o in outputs)
        self.text = text if text is not None else self._render_text()

    @classmethod
    def from_exprs(cls, inputs: Sequence[str | sympy.Symbol], outputs, name: str = "f") -> "Map":
        syms = [symbol(s) if isinstance(s, str) else s for s in inputs]
        return cls(name=name, inputs=syms, outputs=outputs)

    def _render_text(self) -> str:
        ins = ", ".join(str(s) for s in self.inputs)
        outs = ", ".join(sympy.sstr(o) for o in self.outputs)
        return f"({ins}) -> ({outs})"

    def __repr__(self) -> str:
        return f"Map({self.text!r}, name={self.name!r})"

    # shapes -----------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.inputs)

    @property
    def m(self) -> int:
        return len(self.outputs)

    @property
    def shape(self) -> tuple[int, int]:
        """Shape of the Jacobian, (m, n)."""
        return (self.m, self.n)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(str(s) for s in self.inputs)

    # symbolic ---------------------------------------------------------------
    @cached_property
    def jacobian_symbolic(self) -> sympy.Matrix:
        """The m x n matrix of partials d out_i / d in_j (numerator layout)."""
        with deep_recursion():
            return sympy.Matrix(self.m, self.n,
                                lambda i, j: sympy.diff(self.outputs[i], self.inputs[j]))

    # numeric ----------------------------------------------------------------
    @cached_property
    def _value_fn(self) -> Callable:
        return _compile(self.inputs, self.outputs)

    @cached_property
    def _jac_fn(self) -> Callable:
        return _compile(self.inputs, list(self.jacobian_symbolic))

    def _call(self, fn, x, trailing) -> np.ndarray:
        pts = _as_points(x, self.n, f"map {self.name}")
        batch = pts.shape[:-1]
        args = [pts[..., j] for j in range(self.n)]
        with np.errstate(all="ignore"):
            try:
                vals = fn(*args)
            except (OverflowError, ZeroDivisionError, ValueError, TypeError) as exc:
                raise NumericError(f"map {self.name}: cannot evaluate: {exc}") from None
        return _stack(vals, batch, trailing)

    def __call__(self, x) -> np.ndarray:
        """Value at points x of shape (..., n): shape (..., m)."""
        return self._call(self._value_fn, x, (self.m,))

    def jacobian(self, x) -> np.ndarray:
        """Jacobian at points x of shape (..., n): shape (..., m, n)."""
        return self._call(self._jac_fn, x, (self.m, self.n))

    def value_and_jacobian(self, x) -> tuple[np.ndarray, np.ndarray]:
        return self(x), self.jacobian(x)

    def substitute(self, exprs: Sequence[sympy.Expr]) -> list[sympy.Expr]:
        """Outputs with the inputs replaced by exprs (for composing symbolically)."""
        mapping = dict(zip(self.inputs, exprs))
        return [o.subs(mapping, simultaneous=True) for o in self.outputs]


@dataclass
class Trace:
    """Everything the lesson shows about one chain at one point.

    Space ``k`` (0 = input, ``len(stages)`` = output) has ``points[k]``,
    ``pushforward[k]`` (the arrow dx pushed that far) and ``pullback[k]`` (the
    gradient pulled back that far).  Stage ``k`` maps space ``k`` to ``k+1``.
    """

    chain: "Chain"
    points: list[np.ndarray]
    jacobians: list[np.ndarray]
    jacobians_symbolic: list[sympy.Matrix]
    pushforward: list[np.ndarray]
    pullback: list[np.ndarray]
    jacobian: np.ndarray
    duality: dict
    s: np.ndarray
    images: list[np.ndarray]
    linear: list[np.ndarray]

    @property
    def spaces(self) -> int:
        return len(self.points)

    @property
    def jacobians_symbolic_in_x(self) -> list[sympy.Matrix]:
        """Each stage's Jacobian with the earlier stages substituted (computed when asked:
        the composed expressions nest as deep as the chain is long)."""
        return self.chain.jacobians_symbolic_in_x

    @property
    def dx(self) -> np.ndarray:
        return self.pushforward[0]

    @property
    def dy(self) -> np.ndarray:
        return self.pushforward[-1]

    @property
    def gbar(self) -> np.ndarray:
        return self.pullback[-1]

    @property
    def grad_x(self) -> np.ndarray:
        return self.pullback[0]

    @property
    def pairings(self) -> list[float]:
        """<grad_k, d_k> in every space k: the same number everywhere, gbar^T Dh dx,
        however the product is split (LESSON.md §9)."""
        return [float(g @ d) for g, d in zip(self.pullback, self.pushforward)]

    def to_json(self) -> dict:
        def rows(a):
            return np.asarray(a, dtype=float).tolist()

        return {
            "spaces": self.spaces,
            "points": [rows(p) for p in self.points],
            "jacobians": [rows(j) for j in self.jacobians],
            "jacobians_symbolic": [
                [[sympy.sstr(e) for e in row] for row in m.tolist()] for m in self.jacobians_symbolic
            ],
            "jacobian": rows(self.jacobian),
            "pushforward": [rows(v) for v in self.pushforward],
            "pullback": [rows(v) for v in self.pullback],
            "duality": {k: float(v) for k, v in self.duality.items()},
        }


class Chain:
    """Maps applied in order: ``Chain([g, f])`` is ``f o g`` (g first)."""

    def __init__(self, maps: Sequence[Map], output_names: Sequence[str] | None = None):
        maps = list(maps)
        if not maps:
            raise ShapeError("a chain needs at least one map")
        if len(maps) > MAX_STAGES:
            raise JacvizError(f"a chain of {len(maps)} maps is too long; the limit is "
                              f"{MAX_STAGES} maps")
        for a, b in zip(maps, maps[1:]):
            if a.m != b.n:
                raise ShapeError(
                    f"map {a.name} gives {a.m} output{'s' if a.m != 1 else ''} "
                    f"(R^{a.n} -> R^{a.m}) but map {b.name} takes {b.n} input{'s' if b.n != 1 else ''} "
                    f"(R^{b.n} -> R^{b.m}); the shapes do not fit"
                )
        self.maps = maps
        if output_names is None:
            output_names = _output_names(maps)
        if len(output_names) != maps[-1].m:
            raise ShapeError(f"{len(output_names)} output names for {maps[-1].m} outputs")
        self.output_names = tuple(output_names)

    @classmethod
    def from_texts(cls, texts: Sequence[str], names: Sequence[str] | None = None, **kw) -> "Chain":
        names = list(names) if names else _default_names(len(texts))
        return cls([Map(t, name=nm) for t, nm in zip(texts, names)], **kw)

    def __repr__(self) -> str:
        return f"Chain({self.maps!r})"

    def __len__(self) -> int:
        return len(self.maps)

    @property
    def n(self) -> int:
        return self.maps[0].n

    @property
    def m(self) -> int:
        return self.maps[-1].m

    @property
    def dims(self) -> list[int]:
        """Dimension of every space, input to output."""
        return [self.maps[0].n] + [mp.m for mp in self.maps]

    @property
    def space_names(self) -> list[tuple[str, ...]]:
        """Coordinate names of every space (inputs of each map, then outputs)."""
        return [mp.input_names for mp in self.maps] + [self.output_names]

    def __call__(self, x) -> np.ndarray:
        y = np.asarray(x, dtype=float)
        for mp in self.maps:
            y = mp(y)
        return y

    def forward_points(self, x) -> list[np.ndarray]:
        pts = [_as_points(x, self.n, "chain")]
        for mp in self.maps:
            pts.append(mp(pts[-1]))
        return pts

    @cached_property
    def composed_symbolic(self) -> list[list[sympy.Expr]]:
        """Per space, its coordinates as expressions in the chain's inputs."""
        exprs: list[list[sympy.Expr]] = [list(self.maps[0].inputs)]
        for mp in self.maps:
            exprs.append(mp.substitute(exprs[-1]))
        return exprs

    @cached_property
    def jacobians_symbolic_in_x(self) -> list[sympy.Matrix]:
        """Each stage's Jacobian with the earlier stages substituted."""
        out = []
        for k, mp in enumerate(self.maps):
            mapping = dict(zip(mp.inputs, self.composed_symbolic[k]))
            out.append(mp.jacobian_symbolic.subs(mapping, simultaneous=True))
        return out

    @cached_property
    def jacobian_symbolic(self) -> sympy.Matrix:
        """The total Jacobian from differentiating the composed expressions."""
        x = self.maps[0].inputs
        ys = self.composed_symbolic[-1]
        return sympy.Matrix(len(ys), len(x), lambda i, j: sympy.diff(ys[i], x[j]))

    def jacobian(self, x) -> np.ndarray:
        """The total Jacobian: the product of stage Jacobians, outer first."""
        pts = self.forward_points(x)
        J = None
        for mp, p in zip(self.maps, pts):
            Jk = mp.jacobian(p)
            J = Jk if J is None else Jk @ J
        return J

    def product_symbolic(self) -> tuple[list[sympy.Matrix], sympy.Matrix]:
        """The chain rule written out: each stage's Jacobian in the chain's inputs
        (earlier stages substituted), and their product, outer stage on the left:
        ``D(f o g)(x) = Df(g(x)) Dg(x)``.  Returns (factors, product)."""
        factors = self.jacobians_symbolic_in_x
        product = factors[0]
        for J in factors[1:]:
            product = J * product
        return factors, product

    def trace(self, x0, dx=None, gbar=None, samples: int = 41) -> Trace:
        """Push dx forward and pull gbar back through every stage at x0."""
        x0 = _as_points(x0, self.n, "chain").reshape(self.n)
        dx = np.eye(self.n)[0] if dx is None else _as_points(dx, self.n, "dx").reshape(self.n)
        gbar = np.ones(self.m) if gbar is None else _as_points(gbar, self.m, "gradient").reshape(self.m)
        points = self.forward_points(x0)
        jacs = [mp.jacobian(p) for mp, p in zip(self.maps, points)]
        push = [dx]
        for J in jacs:
            push.append(J @ push[-1])
        pull = [gbar]
        for J in reversed(jacs):
            pull.append(J.T @ pull[-1])
        pull.reverse()
        total = jacs[0]
        for J in jacs[1:]:
            total = J @ total
        s = np.linspace(0.0, 1.0, samples)
        images = self.forward_points(x0[None, :] + s[:, None] * dx[None, :])
        linear = [p[None, :] + s[:, None] * v[None, :] for p, v in zip(points, push)]
        duality = {"forward": float(gbar @ push[-1]), "backward": float(pull[0] @ dx)}
        return Trace(
            chain=self,
            points=points,
            jacobians=jacs,
            jacobians_symbolic=[mp.jacobian_symbolic for mp in self.maps],
            pushforward=push,
            pullback=pull,
            jacobian=total,
            duality=duality,
            s=s,
            images=images,
            linear=linear,
        )


@dataclass
class Linearization:
    """A map near a point: ``F(x) ~ F(x0) + J(x0)(x - x0)``, and how good that is."""

    map: Map
    x0: np.ndarray
    y0: np.ndarray
    J: np.ndarray

    def __call__(self, x) -> np.ndarray:
        """The affine prediction at points of shape (..., n)."""
        return self.y0 + (np.asarray(x, dtype=float) - self.x0) @ self.J.T

    def errors(self, direction, steps) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each step h: (h, |F(x0 + h v) - prediction|, that error / h).

        The error shrinks faster than the step (error / h -> 0): the derivative
        is the best linear map near x0."""
        hs = np.asarray(steps, dtype=float)
        v = np.asarray(direction, dtype=float)
        pts = self.x0[None, :] + hs[:, None] * v[None, :]
        err = np.linalg.norm(self.map(pts) - self(pts), axis=-1)
        return hs, err, err / hs


def linearize(mp: Map, x0) -> Linearization:
    x0 = _as_points(x0, mp.n, f"map {mp.name}").reshape(mp.n).astype(float)
    return Linearization(mp, x0, mp(x0), mp.jacobian(x0))


#: the stems of a chain's output names, in the order they are tried
OUTPUT_STEMS = ("y", "z", "w", "q", "r", "s", "t")


def _output_names(maps) -> list[str]:
    """y (or y1, y2, ...), unless a map of the chain takes an input of that name: then the
    next stem of :data:`OUTPUT_STEMS` that names nothing else (no two things, one name)."""
    p, used = maps[-1].m, {nm for mp in maps for nm in mp.input_names}
    for stem in OUTPUT_STEMS:
        names = [stem] if p == 1 else [f"{stem}{i + 1}" for i in range(p)]
        if not used & {stem, *names}:
            return names
    return [f"out{i + 1}" for i in range(p)] if p > 1 else ["out"]


def _default_names(k: int) -> list[str]:
    """g, f for two stages (the lesson's f o g); f1, f2, ... otherwise."""
    if k == 1:
        return ["f"]
    if k == 2:
        return ["g", "f"]
    return [f"f{i + 1}" for i in range(k)]


def _as_chain(f) -> Chain:
    if isinstance(f, Chain):
        return f
    if isinstance(f, Map):
        return Chain([f])
    if isinstance(f, (list, tuple)):
        return Chain(list(f))
    raise TypeError(f"expected a Map or Chain, got {type(f).__name__}")


def jacobian(f, x) -> np.ndarray:
    """Numerator-layout Jacobian of a Map or Chain at x (m x n)."""
    return _as_chain(f).jacobian(x)


def jvp(f, x, dx) -> tuple[np.ndarray, np.ndarray]:
    """Push dx forward: returns (f(x), J(x) dx), stage by stage, no total J."""
    chain = _as_chain(f)
    y = _as_points(x, chain.n, "jvp point")
    v = _as_points(dx, chain.n, "jvp tangent")
    for mp in chain.maps:
        J = mp.jacobian(y)
        y = mp(y)
        v = np.einsum("...ij,...j->...i", J, v)
    return y, v


def vjp(f, x) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """Returns (f(x), pullback) with pullback(gbar) = J(x)^T gbar."""
    chain = _as_chain(f)
    pts = chain.forward_points(x)
    jacs = [mp.jacobian(p) for mp, p in zip(chain.maps, pts)]
    m = chain.m

    def pullback(gbar) -> np.ndarray:
        g = _as_points(gbar, m, "vjp cotangent")
        for J in reversed(jacs):
            g = np.einsum("...ij,...i->...j", J, g)
        return g

    return pts[-1], pullback


# ---------------------------------------------------------------------------
# Self-check: finite differences against the symbolic Jacobian.


def finite_difference_jacobian(mp: Map, x, h: float = 1e-3) -> np.ndarray:
    """Central differences with one Richardson step (error O(h^4))."""
    x = _as_points(x, mp.n, f"map {mp.name}").reshape(mp.n).astype(float)
    J = np.zeros((mp.m, mp.n))
    for j in range(mp.n):
        step = h * max(1.0, abs(x[j]))
        e = np.zeros(mp.n)
        e[j] = 1.0

        def central(t):
            pts = np.stack([x + t * e, x - t * e])
            vals = mp(pts)
            return (vals[0] - vals[1]) / (2 * t)

        J[:, j] = (4 * central(step / 2) - central(step)) / 3
    return J


@dataclass
class CheckReport:
    max_rel_error: float
    stages: list[dict] = field(default_factory=list)


def _mp_sigmoid(x):
    import mpmath

    return 1 / (1 + mpmath.exp(-x))


def _mp_relu(x):
    return x if x > 0 else 0 * x


def _mp_step(x):
    import mpmath

    return mpmath.mpf(1) if x > 0 else mpmath.mpf(0) if x < 0 else \
        mpmath.mpf(0.5) if x == 0 else mpmath.nan


_MP_MODULES = [{"sigmoid": _mp_sigmoid, "relu": _mp_relu, "jacviz_step": _mp_step}, "mpmath"]


def _mp_fn(mp: Map, which: str) -> Callable:
    """The map's outputs ("value") or Jacobian entries ("jacobian") as a function
    of mpmath numbers (compiled once per map)."""
    key = f"_mp_{which}_fn"
    fn = mp.__dict__.get(key)
    if fn is None:
        exprs = mp.outputs if which == "value" else list(mp.jacobian_symbolic)
        fn = _compile(mp.inputs, list(exprs), modules=_MP_MODULES)
        mp.__dict__[key] = fn
    return fn


def _real_or_none(v):
    import mpmath

    v = +mpmath.mpmathify(v)  # + evaluates a constant (pi, e) at the working precision
    return v if isinstance(v, mpmath.mpf) and mpmath.isfinite(v) else None


#: digits of working precision for the one-sided differences (at least)
CHECK_DPS = 80


def _check_steps(x, J, y, H=None) -> list:
    """The step of each input's quotients: 1e-30 of the distance over which the map
    changes appreciably near x, and at most 1e-10 of |x| away from 0.

    That distance is 1, or less where an output changes faster: max(1, |y_i|) / |J_ij|
    (sin(x^3) at 1e20 turns within 1e-40), and, given the second derivatives H (the
    diagonal d^2 y_i / dx_j^2), where a derivative does: max(1, |J_ij|) / |H_ij|
    (x^2 + cos(x^2) at 1e100, whose value hides the fast part).  An absolute step, not
    one relative to the point: sin(x) at 1e100 turns within 1 however large x is; the
    working precision (:func:`_check_dps`) grows with the point instead."""
    import mpmath

    one = mpmath.mpf(1)
    steps = []
    for j, xj in enumerate(x):
        xj = mpmath.mpf(float(xj))
        scale = one
        for i in range(len(y)):
            if J[i, j] != 0:
                scale = min(scale, max(one, abs(mpmath.mpf(float(y[i]))))
                            / abs(mpmath.mpf(float(J[i, j]))))
            if H is not None and H[i, j] != 0:
                scale = min(scale, max(one, abs(mpmath.mpf(float(J[i, j]))))
                            / abs(mpmath.mpf(H[i, j])))
        h = mpmath.mpf("1e-30") * scale
        steps.append(min(h, mpmath.mpf("1e-10") * abs(xj)) if xj != 0 else h)
    return steps


def _check_dps(x, y, tiny) -> int:
    """Digits that resolve a step ``tiny`` against the largest number in play (the point's
    coordinates, the values), with 60 to spare: a quotient cancels log10(size / step)."""
    import mpmath

    size = max([1.0] + [abs(float(v)) for v in x] + [abs(float(v)) for v in y])
    return max(CHECK_DPS, 60 + int(mpmath.ceil(mpmath.log10(mpmath.mpf(size) / tiny))))


def _curvature(mp: Map, x):
    """The second derivatives d^2 y_i / dx_j^2 at x, as an m x n array of mpmath numbers
    (no overflow; 0 where they are not real or cannot be evaluated): how fast each
    partial changes."""
    import mpmath

    fn = mp.__dict__.get("_curvature_fn")
    H = np.zeros((mp.m, mp.n), dtype=object)
    try:
        if fn is None:
            with deep_recursion():
                exprs = [sympy.diff(mp.jacobian_symbolic[i, j], mp.inputs[j])
                         for i in range(mp.m) for j in range(mp.n)]
            fn = mp.__dict__["_curvature_fn"] = _compile(mp.inputs, exprs, modules=_MP_MODULES)
        with mpmath.workdps(30):
            values = fn(*(mpmath.mpf(float(v)) for v in np.ravel(x)))
    except Exception:  # noqa: BLE001 - only a hint for the step (abs'' is a DiracDelta)
        return H
    for k, v in enumerate(values):
        try:
            v = _real_or_none(v)
        except Exception:  # noqa: BLE001
            v = None
        H.flat[k] = v if v is not None else 0
    return H


def one_sided_differences(mp: Map, x, shrink: float = 1.0, extra_dps: int = 0,
                          curvature: bool = False):
    """Right and left difference quotients of every partial at x, in high precision,
    and the symbolic Jacobian evaluated in the same precision.

    The step (:func:`_check_steps`) is tiny on the scale on which the map varies at x,
    whatever the point's size; the working precision (:func:`_check_dps`: at least 80
    digits, as many more as the step is smaller than the numbers in play) makes the
    quotient's rounding error negligible at that step.  Returns (right, left, error
    estimate, symbolic), each m x n as floats; the estimate is how much each quotient
    moves when the step is doubled (its truncation error is of that order).  Where a
    side is not real (log just left of 0), it is nan.  ``shrink`` divides the step (and
    adds as many digits); ``extra_dps`` adds digits; ``curvature`` takes the second
    derivatives into account for the step.
    """
    import mpmath

    x = _as_points(x, mp.n, f"map {mp.name}").reshape(mp.n).astype(float)
    with np.errstate(all="ignore"):
        y0, J0 = mp(x), mp.jacobian(x)
    J0 = np.where(np.isfinite(J0), J0, 0.0)
    y0 = np.where(np.isfinite(y0), y0, 0.0)
    value = _mp_fn(mp, "value")
    right = np.full((mp.m, mp.n), np.nan)
    left = np.full((mp.m, mp.n), np.nan)
    err = np.full((mp.m, mp.n), np.inf)
    symbolic = np.full((mp.m, mp.n), np.nan)
    X = [mpmath.mpf(float(v)) for v in x]  # exactly the float64 point (exact at any precision)
    shrink = mpmath.mpf(shrink)
    H = _curvature(mp, x) if curvature else None
    steps = [h / shrink for h in _check_steps(x, J0, y0, H)]
    dps = _check_dps(x, y0, min(steps)) + extra_dps
    with mpmath.workdps(dps):

        def at(j, t):
            pt = list(X)
            pt[j] = X[j] + t
            try:
                return [_real_or_none(v) for v in value(*pt)]
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return [None] * mp.m

        try:
            J = [_real_or_none(v) for v in _mp_fn(mp, "jacobian")(*X)]
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            J = [None] * (mp.m * mp.n)
        for k, v in enumerate(J):
            if v is not None:
                symbolic.flat[k] = float(v)
        f0 = at(0, mpmath.mpf(0))
        for j in range(mp.n):
            h = steps[j]
            fp, fp2, fm, fm2 = at(j, h), at(j, 2 * h), at(j, -h), at(j, -2 * h)
            for i in range(mp.m):
                if f0[i] is None:
                    continue
                r1 = r2 = l1 = l2 = None
                if fp[i] is not None and fp2[i] is not None:
                    r1, r2 = (fp[i] - f0[i]) / h, (fp2[i] - f0[i]) / (2 * h)
                    right[i, j] = float(r1)
                if fm[i] is not None and fm2[i] is not None:
                    l1, l2 = (f0[i] - fm[i]) / h, (f0[i] - fm2[i]) / (2 * h)
                    left[i, j] = float(l1)
                if r1 is not None and l1 is not None:
                    err[i, j] = float(max(_truncation(r1, r2, symbolic[i, j]),
                                          _truncation(l1, l2, symbolic[i, j])))
    return right, left, err, symbolic


def _truncation(q1, q2, exact: float):
    """How much a quotient at step h (q1) may be off by truncation, from the quotient at
    2h (q2): |q1 - q2|.  Truncation error shrinks with the step (at least halves); where
    q1 is further from the symbolic value than q2 is (a jump, atan2 across its cut,
    where the quotients grow like 1/h), it is not truncation, and nothing is excused."""
    if not math.isnan(exact) and abs(q1 - exact) > 1.5 * abs(q2 - exact):
        return 0
    return abs(q1 - q2)


def self_check(chain: Chain | Map, x0, rtol: float = 1e-6) -> CheckReport:
    """Check every stage at x0: its values and Jacobian are finite, and each
    partial equals the one-sided difference quotients from the right and from
    the left (:func:`one_sided_differences`).

    The quotients are compared with the symbolic Jacobian evaluated in the same
    high precision.  The tolerance is ``rtol`` of the entry (at least of 1)
    plus four times the quotients' own error estimate, so a correct Jacobian
    passes at any scale (cos at 36035.5, exp at 30), and a kink (abs at 0,
    where the two sides disagree) fails.  Raises NumericError naming the stage
    and the entry.
    """
    with deep_recursion():
        return _self_check(_as_chain(chain), x0, rtol)


def _self_check(chain: Chain, x0, rtol: float) -> CheckReport:
    pts = chain.forward_points(np.asarray(x0, dtype=float))
    report = CheckReport(max_rel_error=0.0)
    jacobians = []
    for k, (mp, p) in enumerate(zip(chain.maps, pts)):  # every stage finite, first
        stage = f"stage {k + 1} (map {mp.name})"
        at = _fmt_point(p)
        y = mp(p)
        bad = np.flatnonzero(~np.isfinite(y))
        if bad.size:
            i = int(bad[0])
            raise NumericError(
                f"{stage}: output {i + 1} = {shorten(sympy.sstr(mp.outputs[i]))} is not finite "
                f"at {at}{_why(mp, p, mp.outputs[i], ('value',))}"
            )
        J = mp.jacobian(p)
        bad = np.argwhere(~np.isfinite(J))
        if bad.size:
            i, j = (int(v) for v in bad[0])
            raise NumericError(
                f"{stage}: Jacobian entry ({i + 1},{j + 1}) = "
                f"{shorten(sympy.sstr(mp.jacobian_symbolic[i, j]))} is not finite at {at}"
                f"{_why(mp, p, mp.outputs[i], ('value', 'derivative'))}"
            )
        jacobians.append(J)
    for k, (mp, p, J) in enumerate(zip(chain.maps, pts, jacobians)):
        stage = f"stage {k + 1} (map {mp.name})"
        # checked again with twice the digits (a part of the map far larger than its
        # inputs and outputs cancels more), with steps that heed the second derivatives
        # (x^2 + cos(x^2) at 1e100: the value hides how fast the map turns), then with
        # steps 1e20 and 1e40 times smaller (a map that oscillates fast where its
        # derivatives happen to be small); a kink disagrees at every step
        for shrink, extra, curved in ((1.0, 0, False), (1.0, CHECK_DPS, False),
                                      (1.0, 0, True), (1e20, 0, True), (1e40, 0, True)):
            right, left, rel = _quotient_errors(mp, p, J, shrink, extra, curved)
            worst = np.unravel_index(int(np.argmax(rel)), rel.shape)
            worst_rel = float(rel[worst])
            if worst_rel <= rtol:
                break
        report.stages.append({"stage": k + 1, "map": mp.name, "max_rel_error": worst_rel})
        report.max_rel_error = max(report.max_rel_error, worst_rel)
        if worst_rel > rtol:
            i, j = int(worst[0]), int(worst[1])
            name = mp.input_names[j]
            if np.isnan(right[i, j]) or np.isnan(left[i, j]):
                why = f"output {i + 1} is not defined on both sides of {name} = {p[j]:.6g}"
            else:
                why = (f"the difference quotients from the right ({right[i, j]:.6g}) and the "
                       f"left ({left[i, j]:.6g}) do not both match it")
            raise NumericError(
                f"{stage}: Jacobian entry ({i + 1},{j + 1}) = {J[i, j]:.6g} is not the "
                f"derivative at {_fmt_point(p)}: {why}; the map is not differentiable there"
                f"{_why(mp, p, mp.outputs[i], ('kink',))}"
            )
    return report


#: digits of working precision for the true image against the linear prediction (at least)
GAP_DPS = 60


def image_gaps(chain: Chain | Map, x0, dx) -> list[np.ndarray | None]:
    """In every space k (k = 0 the input), the true image of the arrow's tip minus the
    linear prediction's tip: ``h_k(x0 + dx) - (h_k(x0) + Dh_k(x0) dx)``, h_k the first k
    maps, computed in high precision from x0 and dx exactly as given (float64 numbers).

    A gap of exactly 0 means the two are equal in exact arithmetic (an affine map, or an
    arrow along which the map is affine), not merely within floating-point error: what
    is left below 10^(20 - digits) of the sizes in play is rounding and is made 0.  The
    nonzero gaps are accurate to many digits, also where they are far below float64's
    rounding of the points (a small dx).  None for a space where a value is not a
    finite real."""
    import mpmath

    chain = _as_chain(chain)
    x = _as_points(x0, chain.n, "chain").reshape(chain.n).astype(float)
    d = _as_points(dx, chain.n, "dx").reshape(chain.n).astype(float)
    sizes = [abs(v) for v in np.concatenate([x, d]) if v != 0 and np.isfinite(v)]
    spread = int(np.ceil(np.log10(max(sizes) / min(sizes)))) if sizes else 0
    dps = GAP_DPS + max(0, spread)
    out: list[np.ndarray | None] = [np.zeros(chain.n)]
    with deep_recursion(), mpmath.workdps(dps):
        P = [mpmath.mpf(float(v)) for v in x]
        D = [mpmath.mpf(float(v)) for v in d]
        E = [p + q for p, q in zip(P, D)]  # exact: dps digits hold the sum of two float64s
        ok = True
        for mp in chain.maps:
            try:
                Pn = [_real_or_none(v) for v in _mp_fn(mp, "value")(*P)] if ok else []
                En = [_real_or_none(v) for v in _mp_fn(mp, "value")(*E)] if ok else []
                J = [_real_or_none(v) for v in _mp_fn(mp, "jacobian")(*P)] if ok else []
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                ok = False
            ok = ok and all(v is not None for v in (*Pn, *En, *J))
            if not ok:
                out.append(None)
                continue
            Dn = [mpmath.fsum(J[i * mp.n + j] * D[j] for j in range(mp.n)) for i in range(mp.m)]
            scale = max([mpmath.mpf(1)] + [abs(v) for v in (*Pn, *En, *Dn)])
            tiny = scale * mpmath.mpf(10) ** (20 - dps)
            gap = [e - (p + q) for e, p, q in zip(En, Pn, Dn)]
            out.append(np.array([0.0 if abs(g) <= tiny else float(g) for g in gap]))
            P, D, E = Pn, Dn, En
    return out


def _quotient_errors(mp: Map, p, J, shrink: float, extra_dps: int = 0,
                     curvature: bool = False):
    """The quotients from both sides, and how far beyond their own error estimate each
    misses the symbolic Jacobian (relative to the entry, at least 1)."""
    right, left, est, Jhp = one_sided_differences(mp, p, shrink, extra_dps, curvature)
    # the symbolic Jacobian, evaluated in the same high precision, is what the
    # quotients must match; its float64 value (J) may round an intermediate
    # such as u + u^3 at u = 1e4, an inaccuracy, not a wrong derivative
    Jhp = np.where(np.isnan(Jhp), J, Jhp)
    scale = np.maximum(1.0, np.abs(Jhp))
    with np.errstate(invalid="ignore"):
        worst_side = np.fmax(np.abs(right - Jhp), np.abs(left - Jhp))
        worst_side = np.where(np.isnan(right) | np.isnan(left), np.inf, worst_side)
        excess = worst_side - 4 * np.where(np.isfinite(est), est, 0.0)
        return right, left, np.maximum(excess, 0.0) / scale


def _why(mp: Map, p, expr, kinds) -> str:
    """``: <what in expr is undefined or has a kink at p>`` (:func:`.domains.explain`),
    or nothing when no listed piece is to blame."""
    def evaluate(args):
        with np.errstate(all="ignore"):
            values = _compile(mp.inputs, args)(*(np.float64(v) for v in np.ravel(p)))
        return [float(np.asarray(v, dtype=float)) for v in values]

    with deep_recursion():
        text = explain([expr], evaluate, kinds)
    return f": {text}" if text else ""


def _fmt_point(p) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in np.asarray(p).ravel()) + ")"


__all__ = [
    "Linearization",
    "linearize",
    "Map",
    "Chain",
    "Trace",
    "jacobian",
    "jvp",
    "vjp",
    "self_check",
    "image_gaps",
    "finite_difference_jacobian",
    "sigmoid",
]

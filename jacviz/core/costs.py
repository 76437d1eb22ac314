"""What the chain rule costs: JVPs, VJPs, Jacobian products, accumulation on a graph.

LESSON.md §9: a long chain ``h = f_k o ... o f_1`` has the Jacobian
``Dh = J_k ... J_2 J_1`` (outer map on the left, ``J_i`` the Jacobian of
``f_i``).  This module counts, exactly and in integers, the scalar work of the
ways to use it, so that a scene shows numbers the core computed:

* a forward pass (JVP, ``J_k(...(J_1 dx))``) and a backward pass (VJP,
  ``((gbar^T J_k)...) J_1``): :func:`jvp_cost`, :func:`vjp_cost`;
* the full Jacobian by ``n`` JVPs (its columns) or ``m`` VJPs (its rows), and
  by multiplying the stage Jacobians in any association order -- forward
  ``J_k(...(J_2 J_1))``, reverse ``((J_k J_{k-1})...)J_1``, any tree, and the
  cheapest one by dynamic programming: :func:`product_cost`,
  :func:`optimal_order`, :func:`jacobian_costs`;
* one entry or row or column of the Jacobian on the computation graph
  (:class:`jacviz.core.graph.Graph`): by reverse accumulation (adjoints, each
  computed once and reused), forward accumulation (tangents), or by
  enumerating every path: :func:`reverse_accumulate`,
  :func:`forward_accumulate`, :func:`path_enumeration`.

Counting conventions (every function here follows them):

* **Multiplications and additions are counted separately**, as integers:
  ``mults`` is the number of scalar products ``a*b`` formed, ``adds`` the
  number of scalar additions.  A sum of ``r`` products costs ``r``
  multiplications and ``r - 1`` additions (the first product starts the sum;
  nothing is added to a zero).  The *multiply-add* count (``madds``) of the
  literature is ``mults``: every product is added into an entry at most once.
* **Structure** (the default, ``dense=False``): a stage's Jacobian has an entry
  wherever its partial is not identically zero -- exactly the edges of the
  :class:`~jacviz.core.graph.Graph` (``sympy`` decides "identically zero", as the
  graph does; a partial that merely *evaluates* to 0 at the point still
  counts).  Products skip the structural zeros: ``J v`` costs ``nnz(J)``
  multiplications, so an elementwise map (a diagonal Jacobian, like an
  activation) costs ``n``, not ``n^2``.  The structure of a product of stages
  is the boolean product of their structures (no numerical cancellation is
  assumed), which does not depend on the parenthesization.
* **Dense** (``dense=True``): every stage is a full ``m_k x n_k`` matrix, the
  textbook count: ``J v`` costs ``m n`` multiplications and ``m (n - 1)``
  additions, a product ``(p x q)(q x r)`` costs ``p q r`` multiplications and
  ``p r (q - 1)`` additions.
* **Vectors are dense**: the ``dx`` of a JVP and the ``gbar`` of a VJP are
  generic vectors, so a pass costs the same whatever the vector (its zeros
  are not exploited); hence the full Jacobian by ``n`` JVPs costs exactly
  ``n`` times one JVP, and by ``m`` VJPs ``m`` times one VJP.
* **Accumulation on a graph** (:func:`reverse_accumulate`,
  :func:`forward_accumulate`) starts from a single seed node (value 1) and
  exploits it: only the edges connected to the seed are used (an edge whose
  head cannot reach the output carries a structurally zero adjoint and is
  skipped).  Each used edge costs one multiplication (the seed 1 counts like
  any value, as for a generic ``gbar``), and a node reached by ``r`` used
  edges costs ``r - 1`` additions.  So reverse accumulation takes as many
  multiplications as there are edges from which the output node can be
  reached -- growing with the number of edges, not of paths.
* **Path enumeration** (:func:`path_enumeration`) follows
  :meth:`Graph.path_sum <jacviz.core.graph.Graph.path_sum>`: the paths of the
  *full* layered graph, one per choice of a node in every inner layer, so
  their number is the product of the inner layer widths.  A path over ``k``
  edges costs ``k - 1`` multiplications; adding up ``P`` paths costs ``P - 1``
  additions.  The ``live_`` counts are the same for only the paths that
  exist (no identically zero partial on them).

Stages are numbered ``0 .. k-1`` in the order the maps apply (stage ``0`` is
``J_1``, the innermost).  An association order is a binary tree whose leaves
are stage numbers: ``((0, 1), 2)`` is ``J_3 (J_2 J_1)``; see
:func:`normalize_order`.

Uses numpy, sympy (through the maps) and the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product as _cartesian
from math import prod
from typing import Iterator, Sequence, Union

import numpy as np

from .errors import JacvizError
from .graph import Edge, Graph, Node
from .maps import Chain, Map, Trace

#: a binary tree of stage numbers: an int (one stage) or a pair of trees
Order = Union[int, tuple]


# ---------------------------------------------------------------------------
# Stage structure


@dataclass(frozen=True, eq=False)
class StageStructure:
    """The shape of one stage's Jacobian and where it has entries.

    ``pattern`` is an ``m x n`` boolean array, True where the partial is not
    identically zero (an edge of the graph); ``None`` means every entry is
    present (a dense stage, or a stage known only by its shape).
    """

    index: int  # stage number, 0 = the first map applied
    name: str
    shape: tuple[int, int]  # (m_k, n_k): outputs x inputs, numerator layout
    pattern: np.ndarray | None = None

    @property
    def m(self) -> int:
        return self.shape[0]

    @property
    def n(self) -> int:
        return self.shape[1]

    @property
    def nnz(self) -> int:
        """Structurally non-zero entries: the stage's edges in the graph."""
        return self.m * self.n if self.pattern is None else int(self.pattern.sum())

    @property
    def is_elementwise(self) -> bool:
        """Square with entries on the diagonal only (like an activation)."""
        if self.m != self.n:
            return False
        if self.pattern is None:
            return self.n == 1
        return not bool((self.pattern & ~np.eye(self.n, dtype=bool)).any())


def stage_structure(stages) -> tuple[StageStructure, ...]:
    """The stages of a chain, as :class:`StageStructure`.

    Accepts a :class:`~jacviz.core.maps.Chain`, a :class:`~jacviz.core.maps.Map`, a list
    of maps, a :class:`~jacviz.core.maps.Trace`, a :class:`~jacviz.core.graph.Graph`
    (its edges), a list of 2-D arrays (their non-zero entries: a numeric
    zero counts as missing) or a list of space dimensions ``[n, d_1, ...,
    d_k]`` (dense stages of those shapes, for chains known only by widths).
    A tuple of :class:`StageStructure` is returned as it is.
    """
    if isinstance(stages, Graph):
        out = []
        for k, mp in enumerate(stages.chain.maps):
            pat = np.zeros(mp.shape, dtype=bool)
            out.append(pat)
        for e in stages.edges:
            out[e.stage][e.dst.index, e.src.index] = True
        return tuple(StageStructure(k, mp.name, mp.shape, pat)
                     for k, (mp, pat) in enumerate(zip(stages.chain.maps, out)))
    if isinstance(stages, Trace):
        stages = stages.chain
    if isinstance(stages, Map):
        stages = [stages]
    if isinstance(stages, Chain):
        stages = stages.maps
    stages = list(stages)
    if not stages:
        raise JacvizError("a chain needs at least one stage")
    if all(isinstance(s, StageStructure) for s in stages):
        return tuple(stages)
    if all(isinstance(s, Map) for s in stages):
        return tuple(
            StageStructure(k, mp.name, mp.shape,
                           np.array([[mp.jacobian_symbolic[i, j] != 0 for j in range(mp.n)]
                                     for i in range(mp.m)], dtype=bool).reshape(mp.shape))
            for k, mp in enumerate(stages)
        )
    if all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in stages):
        dims = [int(d) for d in stages]
        if len(dims) < 2 or min(dims) < 1:
            raise JacvizError(f"dimensions {dims}: need at least two, each at least 1")
        return tuple(StageStructure(k, f"f{k + 1}", (dims[k + 1], dims[k]))
                     for k in range(len(dims) - 1))
    mats = [np.asarray(s) for s in stages]
    if all(a.ndim == 2 for a in mats):
        return tuple(StageStructure(k, f"f{k + 1}", a.shape, a != 0) for k, a in enumerate(mats))
    raise TypeError("expected a Chain, Map, Trace, Graph, list of maps, list of 2-D arrays "
                    "or list of dimensions")


def _structures(stages) -> tuple[StageStructure, ...]:
    st = stage_structure(stages)
    for a, b in zip(st, st[1:]):
        if a.m != b.n:
            raise JacvizError(f"stage {a.index + 1} gives {a.m} outputs but stage {b.index + 1} "
                              f"takes {b.n} inputs; the shapes do not fit")
    return st


def _pattern(s: StageStructure, dense: bool) -> np.ndarray | None:
    return None if dense else s.pattern


# ---------------------------------------------------------------------------
# One pass: JVP or VJP


class _Counted:
    """A cost with ``mults`` and ``adds`` fields: the same as a :class:`Count`."""

    mults: int
    adds: int

    @property
    def madds(self) -> int:
        """Multiply-adds: the number of products formed (each is added in at most once)."""
        return self.mults

    @property
    def count(self) -> Count:
        return Count(self.mults, self.adds)


@dataclass(frozen=True)
class Count(_Counted):
    """Scalar multiplications and additions."""

    mults: int
    adds: int

    @property
    def flops(self) -> int:
        return self.mults + self.adds

    def __add__(self, other: "Count") -> "Count":
        return Count(self.mults + other.mults, self.adds + other.adds)

    def times(self, k: int) -> "Count":
        return Count(k * self.mults, k * self.adds)


def _matvec(m: int, n: int, pattern: np.ndarray | None, transpose: bool) -> Count:
    """``J v`` (or ``v^T J`` when transpose) for a dense vector v."""
    if pattern is None:
        return Count(m * n, (n - 1) * m) if not transpose else Count(m * n, (m - 1) * n)
    nnz = int(pattern.sum())
    filled = int(pattern.any(axis=0 if transpose else 1).sum())  # result entries that get a sum
    return Count(nnz, nnz - filled)


@dataclass(frozen=True)
class PassCost(_Counted):
    """One JVP (``mode="jvp"``: ``dx`` pushed forward, inner stage first) or one
    VJP (``mode="vjp"``: ``gbar`` pulled back by transposes, outer stage first).

    ``per_stage[k]`` is the cost of stage ``k`` (numbered in application order
    whatever the mode); ``visit`` lists the stages in the order the pass meets
    them.  The vector is dense (see the module's conventions).
    """

    mode: str
    dense: bool
    per_stage: tuple[Count, ...]
    visit: tuple[int, ...]
    mults: int
    adds: int
    n: int  # inputs of the chain
    m: int  # outputs of the chain


def _pass(stages, dense: bool, mode: str) -> PassCost:
    st = _structures(stages)
    per = tuple(_matvec(s.m, s.n, _pattern(s, dense), transpose=(mode == "vjp")) for s in st)
    total = sum(per, Count(0, 0))
    visit = tuple(range(len(st))) if mode == "jvp" else tuple(reversed(range(len(st))))
    return PassCost(mode, dense, per, visit, total.mults, total.adds, st[0].n, st[-1].m)


def jvp_cost(stages, *, dense: bool = False) -> PassCost:
    """Cost of one forward pass ``J_k(...(J_2 (J_1 dx)))``: stage ``k`` costs
    ``nnz(J_k)`` multiplications (``m_k n_k`` when dense) and one addition
    fewer per output entry that receives a sum."""
    return _pass(stages, dense, "jvp")


def vjp_cost(stages, *, dense: bool = False) -> PassCost:
    """Cost of one backward pass ``J_1^T(...(J_k^T gbar))``: the same
    multiplications as a JVP; one addition fewer per *input* entry of each
    stage that receives a sum."""
    return _pass(stages, dense, "vjp")


# ---------------------------------------------------------------------------
# Products of stage Jacobians in an association order


@dataclass(frozen=True)
class MergeStep:
    """One matrix product ``outer @ inner`` of two adjacent blocks of stages.

    ``inner`` and ``outer`` are the inclusive ranges of stage numbers
    (``inner`` applies first, it is the right factor).
    """

    inner: tuple[int, int]
    outer: tuple[int, int]
    shape_outer: tuple[int, int]  # (p, q)
    shape_inner: tuple[int, int]  # (q, r)
    mults: int
    adds: int
    nnz: int  # structurally non-zero entries of the product (p*r when dense)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.shape_outer[0], self.shape_inner[1])


@dataclass(frozen=True)
class ProductCost(_Counted):
    """Cost of forming ``J_k ... J_1`` by matrix products in one association order.

    ``order`` is the tree (normalized, see :func:`normalize_order`); ``steps``
    the products in the order they are done; ``text`` the product written
    with ``J1 .. Jk`` and brackets, outer factor on the left.
    """

    order: Order
    steps: tuple[MergeStep, ...]
    mults: int
    adds: int
    shape: tuple[int, int]  # (m, n) of the whole Jacobian
    dense: bool

    @property
    def text(self) -> str:
        return format_order(self.order)


def _span(tree) -> tuple[int, int]:
    if isinstance(tree, int):
        return (tree, tree)
    return (_span(tree[0])[0], _span(tree[1])[1])


def _normalize(tree, k: int):
    if isinstance(tree, (int, np.integer)) and not isinstance(tree, bool):
        t = int(tree)
        if not 0 <= t < k:
            raise JacvizError(f"stage {t} is not one of the stages 0..{k - 1}")
        return t
    if isinstance(tree, (tuple, list)) and len(tree) == 2:
        a, b = _normalize(tree[0], k), _normalize(tree[1], k)
        (a0, a1), (b0, b1) = _span(a), _span(b)
        if a1 + 1 == b0:
            return (a, b)
        if b1 + 1 == a0:
            return (b, a)
        raise JacvizError(f"the blocks of stages {a0}..{a1} and {b0}..{b1} are not adjacent; "
                          "only neighbouring blocks can be multiplied")
    raise JacvizError(f"an order is a stage number or a pair of orders, not {tree!r}")


def normalize_order(order, k: int) -> Order:
    """An association order as a tree ``(inner, outer)`` of stage numbers.

    ``order`` is ``"forward"`` (``J_k(...(J_2 J_1))``, the tree
    ``((..(0, 1), ..), k-1)``), ``"reverse"`` (``((J_k J_{k-1})...)J_1``, the
    tree ``(0, (1, (.., k-1)))``) or a tree: an int is one stage; a pair of
    trees multiplies two adjacent blocks, given in either order (the block of
    lower stage numbers is the inner, right, factor).  Raises
    :class:`~jacviz.core.errors.JacvizError` for a tree that does not cover every
    stage exactly once in adjacent blocks.
    """
    if k < 1:
        raise JacvizError("a chain needs at least one stage")
    if isinstance(order, str):
        if order == "forward":
            return tree_from_merges(range(k - 1), k)
        if order == "reverse":
            return tree_from_merges(reversed(range(k - 1)), k)
        raise JacvizError(f"order {order!r}: expected 'forward', 'reverse' or a tree")
    tree = _normalize(order, k)
    if _span(tree) != (0, k - 1) or _leaves(tree) != list(range(k)):
        raise JacvizError(f"order {format_order(tree)} does not cover the stages 1..{k} once each")
    return tree


def _leaves(tree) -> list[int]:
    return [tree] if isinstance(tree, int) else _leaves(tree[0]) + _leaves(tree[1])


def tree_from_merges(merges: Sequence[int], k: int) -> Order:
    """The tree made by a list of merges.

    Merge ``s`` multiplies the block that ends with stage ``s`` by the block
    that starts with stage ``s + 1``; the list is a permutation of
    ``0 .. k-2``, in the order the products are done.  ``[0, 1, .., k-2]`` is
    forward accumulation, ``[k-2, .., 0]`` reverse.
    """
    merges = [int(s) for s in merges]
    if sorted(merges) != list(range(k - 1)):
        raise JacvizError(f"merges {merges}: expected each of 0..{k - 2} once "
                          f"(the boundaries between {k} stages)")
    blocks: dict[int, Order] = {s: s for s in range(k)}  # keyed by first stage
    for s in merges:
        start = max(b for b in blocks if b <= s)
        blocks[start] = (blocks[start], blocks.pop(s + 1))
    return blocks[0]


def _steps_from_merges(merges: Sequence[int], k: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans = {s: (s, s) for s in range(k)}  # keyed by first stage
    steps = []
    for s in merges:
        start = max(b for b in spans if b <= s)
        inner, outer = spans[start], spans.pop(s + 1)
        steps.append((inner, outer))
        spans[start] = (inner[0], outer[1])
    return steps


def _steps_from_tree(tree) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    if isinstance(tree, int):
        return []
    return _steps_from_tree(tree[0]) + _steps_from_tree(tree[1]) + [(_span(tree[0]), _span(tree[1]))]


def format_order(order: Order, names: Sequence[str] | None = None) -> str:
    """The product an order forms, outer factor on the left: ``J3 (J2 J1)``.

    ``names[k]`` names stage ``k`` (default ``J1 .. Jk``).  The outermost
    product has no brackets.
    """

    def name(s: int) -> str:
        return names[s] if names is not None else f"J{s + 1}"

    def inner(tree) -> str:
        if isinstance(tree, int):
            return name(tree)
        return "(" + outer(tree) + ")"

    def outer(tree) -> str:
        if isinstance(tree, int):
            return name(tree)
        return inner(tree[1]) + " " + inner(tree[0])

    return outer(order)


class _Blocks:
    """Structures of products of consecutive stages (memoized by range)."""

    def __init__(self, st: Sequence[StageStructure], dense: bool):
        self.st = st
        self.dense = dense
        self._pat: dict[tuple[int, int], np.ndarray | None] = {}

    def shape(self, span: tuple[int, int]) -> tuple[int, int]:
        return (self.st[span[1]].m, self.st[span[0]].n)

    def pattern(self, span: tuple[int, int]) -> np.ndarray | None:
        if self.dense:
            return None
        if span not in self._pat:
            a, b = span
            if a == b:
                pat = self.st[a].pattern
            else:
                pat = _boolmul(self.pattern((a + 1, b)), self.pattern((a, a)),
                               self.shape((a + 1, b)), self.shape((a, a)))
            self._pat[span] = pat
        return self._pat[span]

    def merge(self, inner: tuple[int, int], outer: tuple[int, int]) -> MergeStep:
        (p, q), (q2, r) = self.shape(outer), self.shape(inner)
        assert q == q2
        po, pi = self.pattern(outer), self.pattern(inner)
        if po is None and pi is None:
            mults, nnz = p * q * r, p * r
        else:
            po = np.ones((p, q), dtype=bool) if po is None else po
            pi = np.ones((q, r), dtype=bool) if pi is None else pi
            # entry (i, j) sums B[i, l] A[l, j] over the l where both exist
            mults = int(po.sum(axis=0).astype(np.int64) @ pi.sum(axis=1).astype(np.int64))
            nnz = int(_boolmul(po, pi, (p, q), (q, r)).sum())
        return MergeStep(inner, outer, (p, q), (q, r), mults, mults - nnz, nnz)


def _boolmul(po, pi, shape_o, shape_i):
    if po is None and pi is None:
        return None
    po = np.ones(shape_o, dtype=bool) if po is None else po
    pi = np.ones(shape_i, dtype=bool) if pi is None else pi
    return (po.astype(np.int64) @ pi.astype(np.int64)) > 0


def product_cost(stages, order="forward", *, merges: Sequence[int] | None = None,
                 dense: bool = False) -> ProductCost:
    """Cost of forming the whole Jacobian ``J_k ... J_1`` by matrix products.

    ``order``: ``"forward"``, ``"reverse"`` or a tree (:func:`normalize_order`);
    or give ``merges`` instead (:func:`tree_from_merges`), which also fixes the
    order of the steps.  A product of a ``p x q`` block by a ``q x r`` block
    costs ``p q r`` multiplications when dense; by structure, the number of
    pairs of entries ``B[i, l]``, ``A[l, j]`` that both exist.  A sum of
    ``r`` products costs ``r - 1`` additions.  One stage costs nothing.
    """
    st = _structures(stages)
    k = len(st)
    if merges is not None:
        merges = list(merges)
        tree = tree_from_merges(merges, k)
        spans = _steps_from_merges(merges, k)
    else:
        tree = normalize_order(order, k)
        spans = _steps_from_tree(tree)
    blocks = _Blocks(st, dense)
    steps = tuple(blocks.merge(inner, outer) for inner, outer in spans)
    return ProductCost(tree, steps, sum(s.mults for s in steps), sum(s.adds for s in steps),
                       (st[-1].m, st[0].n), dense)


def all_orders(k: int) -> Iterator[Order]:
    """Every association order of ``k`` stages (Catalan(k-1) trees)."""

    @lru_cache(maxsize=None)
    def trees(a: int, b: int) -> tuple:
        if a == b:
            return (a,)
        return tuple((left, right) for s in range(a, b)
                     for left in trees(a, s) for right in trees(s + 1, b))

    if k < 1:
        raise JacvizError("a chain needs at least one stage")
    yield from trees(0, k - 1)


def optimal_order(stages, *, dense: bool = False) -> ProductCost:
    """The association order with the fewest multiplications (matrix-chain
    ordering by dynamic programming, ``O(k^3)`` merges considered).

    By structure the cost of a product depends only on the two blocks'
    structures, which do not depend on how each block was formed, so the
    dynamic programme is exact there too.  Ties go to the lowest split (the
    shortest inner block), so when the reverse order ``(0, (1, (.., k-1)))``
    is among the cheapest, it is the one returned.
    """
    st = _structures(stages)
    k = len(st)
    blocks = _Blocks(st, dense)
    best: dict[tuple[int, int], tuple[int, Order]] = {(a, a): (0, a) for a in range(k)}
    for length in range(2, k + 1):
        for a in range(0, k - length + 1):
            b = a + length - 1
            choice = None
            for s in range(a, b):
                step = blocks.merge((a, s), (s + 1, b))
                cost = best[(a, s)][0] + best[(s + 1, b)][0] + step.mults
                if choice is None or cost < choice[0]:
                    choice = (cost, (best[(a, s)][1], best[(s + 1, b)][1]))
            best[(a, b)] = choice
    return product_cost(st, best[(0, k - 1)][1], dense=dense)


# ---------------------------------------------------------------------------
# The full Jacobian, every way


@dataclass(frozen=True)
class JacobianCosts:
    """The ways to get the whole ``m x n`` Jacobian, side by side.

    ``by_jvps``: ``n`` forward passes, one per input direction (the columns),
    exactly ``n`` times ``jvp``; ``by_vjps``: ``m`` backward passes, one per
    output (the rows), exactly ``m`` times ``vjp``; ``forward``, ``reverse``,
    ``optimal``: the stage Jacobians multiplied in those orders.
    """

    n: int
    m: int
    dense: bool
    jvp: PassCost
    vjp: PassCost
    by_jvps: Count
    by_vjps: Count
    forward: ProductCost
    reverse: ProductCost
    optimal: ProductCost

    def ranking(self) -> list[tuple[str, int]]:
        """``(way, multiplications)``, cheapest first (ties in the order listed)."""
        ways = [("by_jvps", self.by_jvps.mults), ("by_vjps", self.by_vjps.mults),
                ("forward", self.forward.mults), ("reverse", self.reverse.mults),
                ("optimal", self.optimal.mults)]
        return sorted(ways, key=lambda w: w[1])


def jacobian_costs(stages, *, dense: bool = False) -> JacobianCosts:
    """Every way of :class:`JacobianCosts`, counted by one convention."""
    st = _structures(stages)
    jv, vj = jvp_cost(st, dense=dense), vjp_cost(st, dense=dense)
    n, m = st[0].n, st[-1].m
    return JacobianCosts(
        n=n, m=m, dense=dense, jvp=jv, vjp=vj,
        by_jvps=jv.count.times(n), by_vjps=vj.count.times(m),
        forward=product_cost(st, "forward", dense=dense),
        reverse=product_cost(st, "reverse", dense=dense),
        optimal=optimal_order(st, dense=dense),
    )


# ---------------------------------------------------------------------------
# Accumulation on the computation graph


@dataclass(frozen=True, eq=False)
class Accumulation(_Counted):
    """Reverse (adjoints) or forward (tangents) accumulation on a graph.

    ``values[k]`` holds the value of every node of space ``k``: in reverse
    mode the adjoint ``d y_out / d node`` (``values[0]`` is row ``out`` of the
    Jacobian), in forward mode the tangent ``d node / d x_in`` (``values[-1]``
    is column ``in`` of the Jacobian).  ``reached[k]`` marks the nodes
    connected to the seed; the others are exactly 0 and cost nothing.
    ``edges`` are the edges used, in the order their products were formed:
    one multiplication each.
    """

    mode: str  # "reverse" or "forward"
    seed: Node  # the output node (reverse) or the input node (forward), value 1
    values: tuple[np.ndarray, ...]
    reached: tuple[np.ndarray, ...]
    edges: tuple[Edge, ...]
    mults: int
    adds: int

    @property
    def result(self) -> np.ndarray:
        """Row ``out`` (reverse) or column ``in`` (forward) of the Jacobian."""
        return self.values[0] if self.mode == "reverse" else self.values[-1]

    @property
    def nodes_computed(self) -> int:
        """Nodes whose value was computed (reached, seed excluded): each once."""
        return sum(int(r.sum()) for r in self.reached) - 1

    def value(self, node: Node) -> float:
        return float(self.values[node.space][node.index])


def _edges_by_stage(graph: Graph) -> list[list[Edge]]:
    out: list[list[Edge]] = [[] for _ in graph.chain.maps]
    for e in graph.edges:
        out[e.stage].append(e)
    return out


def reverse_accumulate(graph: Graph, out_index: int) -> Accumulation:
    """Every node's adjoint for output ``out_index``, outer layer to inner.

    The output node's adjoint is 1 (the other outputs' are 0); a node's
    adjoint is the sum over its outgoing edges of (edge partial value) x
    (adjoint of the edge's head), computed once and reused by every edge
    into it.  Edges whose head cannot reach the output are skipped.
    """
    last = len(graph.layers) - 1
    if not 0 <= out_index < len(graph.layers[last]):
        raise IndexError(f"output index {out_index} out of range")
    values = [np.zeros(len(layer)) for layer in graph.layers]
    reached = [np.zeros(len(layer), dtype=bool) for layer in graph.layers]
    values[last][out_index] = 1.0
    reached[last][out_index] = True
    used: list[Edge] = []
    mults = adds = 0
    by_stage = _edges_by_stage(graph)
    for k in range(last - 1, -1, -1):
        for node in graph.layers[k]:
            out_edges = [e for e in by_stage[k] if e.src.index == node.index
                         and reached[k + 1][e.dst.index]]
            if not out_edges:
                continue
            total = None
            for e in out_edges:
                term = e.value * float(values[k + 1][e.dst.index])  # python floats: no warnings
                total = term if total is None else total + term
            values[k][node.index] = total
            reached[k][node.index] = True
            used.extend(out_edges)
            mults += len(out_edges)
            adds += len(out_edges) - 1
    return Accumulation("reverse", graph.layers[last][out_index], tuple(values), tuple(reached),
                        tuple(used), mults, adds)


def forward_accumulate(graph: Graph, in_index: int) -> Accumulation:
    """Every node's tangent for input ``in_index``, inner layer to outer.

    The input node's tangent is 1 (the other inputs' are 0); a node's tangent
    is the sum over its incoming edges of (edge partial value) x (tangent of
    the edge's tail).  Edges whose tail the input does not reach are skipped.
    """
    if not 0 <= in_index < len(graph.layers[0]):
        raise IndexError(f"input index {in_index} out of range")
    last = len(graph.layers) - 1
    values = [np.zeros(len(layer)) for layer in graph.layers]
    reached = [np.zeros(len(layer), dtype=bool) for layer in graph.layers]
    values[0][in_index] = 1.0
    reached[0][in_index] = True
    used: list[Edge] = []
    mults = adds = 0
    by_stage = _edges_by_stage(graph)
    for k in range(last):
        for node in graph.layers[k + 1]:
            in_edges = [e for e in by_stage[k] if e.dst.index == node.index
                        and reached[k][e.src.index]]
            if not in_edges:
                continue
            total = None
            for e in in_edges:
                term = e.value * float(values[k][e.src.index])
                total = term if total is None else total + term
            values[k + 1][node.index] = total
            reached[k + 1][node.index] = True
            used.extend(in_edges)
            mults += len(in_edges)
            adds += len(in_edges) - 1
    return Accumulation("forward", graph.layers[0][in_index], tuple(values), tuple(reached),
                        tuple(used), mults, adds)


def path_count(graph_or_dims) -> int:
    """Paths from one input node to one output node in the full layered graph:
    the product of the inner layer widths (1 for a single stage)."""
    if isinstance(graph_or_dims, Graph):
        widths = [len(layer) for layer in graph_or_dims.layers]
    elif isinstance(graph_or_dims, Chain):
        widths = graph_or_dims.dims
    else:
        widths = [int(d) for d in graph_or_dims]
    return prod(widths[1:-1])


@dataclass(frozen=True)
class PathEnumeration:
    """One Jacobian entry as a sum over every path, and what that costs.

    ``paths`` counts the full layered graph's paths from input ``in_index`` to
    output ``out_index`` (the terms of :meth:`Graph.path_sum`), ``zero_paths``
    those through an identically zero partial.  Forming every path's product
    costs ``stages - 1`` multiplications per path, adding them ``paths - 1``
    additions; the ``live_`` counts do the same for the live paths only.
    ``value`` is the sum of the path products, computed by enumerating them
    when there are at most ``limit`` paths (else None).
    """

    out_index: int
    in_index: int
    stages: int  # edges on every path
    paths: int
    zero_paths: int
    mults: int
    adds: int
    live_mults: int
    live_adds: int
    value: float | None

    @property
    def live_paths(self) -> int:
        return self.paths - self.zero_paths

    @property
    def count(self) -> Count:
        return Count(self.mults, self.adds)

    @property
    def live_count(self) -> Count:
        return Count(self.live_mults, self.live_adds)


def path_enumeration(graph: Graph, out_index: int, in_index: int, *,
                     limit: int = 100_000) -> PathEnumeration:
    """Entry ``(out_index, in_index)`` by enumerating paths (see
    :class:`PathEnumeration`).  The counts are exact integers for any size:
    live paths are counted by multiplying the 0/1 edge-incidence matrices."""
    last = len(graph.layers) - 1
    if not 0 <= out_index < len(graph.layers[last]):
        raise IndexError(f"output index {out_index} out of range")
    if not 0 <= in_index < len(graph.layers[0]):
        raise IndexError(f"input index {in_index} out of range")
    st = stage_structure(graph)
    paths = path_count(graph)
    live_vec = [0] * len(graph.layers[0])  # exact python ints, no overflow
    live_vec[in_index] = 1
    for s in st:
        live_vec = [sum(live_vec[j] for j in range(s.n) if s.pattern[i, j]) for i in range(s.m)]
    live = live_vec[out_index]
    value = None
    if paths <= limit:
        J = graph.jacobians
        total = 0.0
        inner = [range(len(layer)) for layer in graph.layers[1:-1]]
        for mid in _cartesian(*inner):
            route = (in_index, *mid, out_index)
            term = 1.0
            for k in range(last):
                term = term * float(J[k][route[k + 1], route[k]])
            total += term
        value = float(total)
    per = last - 1
    return PathEnumeration(out_index, in_index, last, paths, paths - live,
                           paths * per, paths - 1, live * per, max(live - 1, 0), value)


__all__ = [
    "Accumulation",
    "Count",
    "JacobianCosts",
    "MergeStep",
    "PassCost",
    "PathEnumeration",
    "ProductCost",
    "StageStructure",
    "all_orders",
    "format_order",
    "forward_accumulate",
    "jacobian_costs",
    "jvp_cost",
    "normalize_order",
    "optimal_order",
    "path_count",
    "path_enumeration",
    "product_cost",
    "reverse_accumulate",
    "stage_structure",
    "tree_from_merges",
    "vjp_cost",
]

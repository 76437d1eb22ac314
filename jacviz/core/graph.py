"""Computation graphs of a chain, and the chain rule as a sum over paths.

One node per coordinate of every space; one edge per partial derivative that
is not identically zero.  ``dz/dx_j = sum over paths of the product of the
edge partials along the path`` -- matrix multiplication written with indices.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from math import prod

import numpy as np
import sympy

from .maps import Chain, _as_chain


@dataclass(frozen=True)
class Node:
    space: int  # 0 = input space
    index: int  # coordinate within the space
    name: str


@dataclass(frozen=True)
class Edge:
    stage: int  # stage k goes from space k to space k+1
    src: Node
    dst: Node
    partial: sympy.Expr  # d dst / d src, in the stage's own variables
    value: float  # at the chain's point

    @property
    def label(self) -> str:
        return f"d{self.dst.name}/d{self.src.name}"


@dataclass(frozen=True)
class PathTerm:
    """One path's contribution: the product of its edges' partials."""

    nodes: tuple[Node, ...]
    partials: tuple[sympy.Expr, ...]
    values: tuple[float, ...]
    product_symbolic: sympy.Expr
    value: float

    @property
    def is_zero(self) -> bool:
        """True when a partial on the path is identically zero (a missing edge)."""
        return any(p == 0 for p in self.partials)


@dataclass(frozen=True)
class PathSum:
    out_index: int
    in_index: int
    terms: tuple[PathTerm, ...]  # every path in the full layered graph
    total: float
    total_symbolic: sympy.Expr  # in the chain's input variables
    jacobian_entry: float

    @property
    def nonzero_terms(self) -> tuple[PathTerm, ...]:
        return tuple(t for t in self.terms if not t.is_zero)


@dataclass(frozen=True)
class PathSummary:
    """One Jacobian entry as a sum over paths, for a graph of any length.

    The paths of the full layered graph number ``prod(widths)`` (the inner
    layer widths).  ``shown`` holds every path when there are at most ``few``,
    else the first ``first`` live paths (no missing edge) in enumeration order;
    ``rest_*`` describe the others: how many, how many of them are live, and
    the sum of their products.  Numbers only (no symbolic simplification), so
    it is quick for long chains; the shown terms carry their symbolic partials.
    """

    out_index: int
    in_index: int
    widths: tuple[int, ...]  # inner layer widths
    paths: int
    live: int
    shown: tuple[PathTerm, ...]
    rest_paths: int
    rest_live: int
    rest_value: float
    total: float  # the sum over every path
    jacobian_entry: float

    @property
    def summarised(self) -> bool:
        """True when some paths are not shown one by one."""
        return self.rest_paths > 0

    @property
    def running(self) -> tuple[float, ...]:
        """The sum so far after each shown path, then (when summarised) after the rest;
        the last is ``total``."""
        out, acc = [], 0.0
        for t in self.shown:
            acc += t.value
            out.append(acc)
        if self.summarised:
            out.append(self.total)
        else:
            out[-1] = self.total
        return tuple(out)


class Graph:
    """The computation graph of a chain at a point."""

    def __init__(self, chain, x0):
        self.chain: Chain = _as_chain(chain)
        self.x0 = np.asarray(x0, dtype=float).reshape(self.chain.n)
        self.points = self.chain.forward_points(self.x0)
        self.jacobians = [mp.jacobian(p) for mp, p in zip(self.chain.maps, self.points)]
        names = self.chain.space_names
        self.layers: list[list[Node]] = [
            [Node(k, i, nm) for i, nm in enumerate(space)] for k, space in enumerate(names)
        ]
        self.edges: list[Edge] = []
        self._partials: list[sympy.Matrix] = [mp.jacobian_symbolic for mp in self.chain.maps]
        for k, Js in enumerate(self._partials):
            for i, j in product(range(Js.rows), range(Js.cols)):
                if Js[i, j] != 0:
                    self.edges.append(
                        Edge(k, self.layers[k][j], self.layers[k + 1][i], Js[i, j],
                             float(self.jacobians[k][i, j]))
                    )

    @property
    def nodes(self) -> list[Node]:
        return [n for layer in self.layers for n in layer]

    def edge(self, src: Node, dst: Node) -> Edge | None:
        for e in self.edges:
            if e.src == src and e.dst == dst:
                return e
        return None

    def _all_routes(self, out_index: int, in_index: int):
        """Every sequence of coordinates from input j to output i (full graph)."""
        inner = [range(len(layer)) for layer in self.layers[1:-1]]
        for mid in product(*inner):
            yield (in_index, *mid, out_index)

    def path_sum(self, out_index: int, in_index: int) -> PathSum:
        """The entry (out_index, in_index) of the total Jacobian as a path sum.

        ``terms`` lists every path of the full layered graph; a path through a
        partial that is identically zero has ``is_zero`` set and contributes 0.
        """
        self._check_entry(out_index, in_index)
        terms = [self.path_term(route) for route in self._all_routes(out_index, in_index)]
        total = float(sum(t.value for t in terms))
        entry = float(self.chain.jacobian(self.x0)[out_index, in_index])
        symbolic = self.chain.jacobian_symbolic[out_index, in_index]
        return PathSum(out_index, in_index, tuple(terms), total, sympy.simplify(symbolic), entry)

    def _check_entry(self, out_index: int, in_index: int) -> None:
        if not 0 <= out_index < len(self.layers[-1]):
            raise IndexError(f"output index {out_index} out of range")
        if not 0 <= in_index < len(self.layers[0]):
            raise IndexError(f"input index {in_index} out of range")

    def path_term(self, route) -> PathTerm:
        """The path through coordinates ``route`` (one index per space), as a PathTerm."""
        last = len(self.layers) - 1
        nodes = tuple(self.layers[k][c] for k, c in enumerate(route))
        partials = tuple(self._partials[k][route[k + 1], route[k]] for k in range(last))
        values = tuple(float(self.jacobians[k][route[k + 1], route[k]]) for k in range(last))
        return PathTerm(nodes, partials, values, sympy.Mul(*partials), float(np.prod(values)))

    def path_summary(self, out_index: int, in_index: int, *, first: int = 3,
                     few: int = 4) -> PathSummary:
        """Entry (out_index, in_index) as a :class:`PathSummary`: every path when
        there are at most ``few``, else the first ``first`` live ones and the rest
        in one number.  Enumerates the paths numerically (no sympy)."""
        self._check_entry(out_index, in_index)
        last = len(self.layers) - 1
        live_mask = [np.array([[self._partials[k][i, j] != 0 for j in range(J.shape[1])]
                               for i in range(J.shape[0])], dtype=bool).reshape(J.shape)
                     for k, J in enumerate(self.jacobians)]
        widths = tuple(len(layer) for layer in self.layers[1:-1])
        count = prod(widths)
        show_all = count <= few
        shown, rest_value, total, live, rest_live = [], 0.0, 0.0, 0, 0
        for route in self._all_routes(out_index, in_index):
            is_live = all(live_mask[k][route[k + 1], route[k]] for k in range(last))
            value = 1.0
            for k in range(last):
                value = value * float(self.jacobians[k][route[k + 1], route[k]])
            total += value
            live += is_live
            if show_all or (is_live and len(shown) < first):
                shown.append(self.path_term(route))
            else:
                rest_value += value
                rest_live += is_live
        entry = float(self.chain.jacobian(self.x0)[out_index, in_index])
        return PathSummary(out_index, in_index, widths, count, live, tuple(shown),
                           count - len(shown), rest_live, float(rest_value), float(total), entry)

    def paths(self, out_index: int, in_index: int) -> list[tuple[Edge, ...]]:
        """The paths that exist in the graph (all edges non-zero)."""
        out = []
        for term in self.path_sum(out_index, in_index).nonzero_terms:
            out.append(tuple(self.edge(a, b) for a, b in zip(term.nodes, term.nodes[1:])))
        return out

    # -- long chains (LESSON.md §9); the accumulations live in jacviz.core.costs -------
    def path_count(self) -> int:
        """Paths from one input node to one output node of the full layered graph
        (the terms of every :meth:`path_sum`): the product of the inner widths."""
        return prod(len(layer) for layer in self.layers[1:-1])

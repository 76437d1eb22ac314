"""Curves, level sets, and the chain rule along a curve: dz/dt = grad f . r'(t)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .errors import ShapeError
from .maps import Map


class Curve:
    """A curve r(t): a map with one input.  ``Curve("t -> (cos(t), sin(t))")``."""

    def __init__(self, text_or_map, name: str = "r"):
        mp = text_or_map if isinstance(text_or_map, Map) else Map(text_or_map, name=name)
        if mp.n != 1:
            raise ShapeError(
                f"curve {mp.name} must have exactly one input (a parameter like t), "
                f"got {mp.n}: {', '.join(mp.input_names)}"
            )
        self.map = mp

    @property
    def dim(self) -> int:
        return self.map.m

    @property
    def parameter(self) -> str:
        return self.map.input_names[0]

    def point(self, t) -> np.ndarray:
        """r(t) for scalar or array t: shape (..., dim)."""
        return self.map(np.asarray(t, dtype=float)[..., None])

    def tangent(self, t) -> np.ndarray:
        """r'(t): shape (..., dim)."""
        return self.map.jacobian(np.asarray(t, dtype=float)[..., None])[..., 0]


@dataclass
class AlongCurve:
    t: np.ndarray
    point: np.ndarray  # r(t)
    tangent: np.ndarray  # r'(t)
    z: np.ndarray  # f(r(t))
    gradient: np.ndarray  # grad f at r(t)
    dzdt: np.ndarray  # grad f . r'(t)

    def at(self, k: int) -> "AlongCurve":
        """The numbers at the k-th time alone (each field one sample)."""
        return AlongCurve(*(getattr(self, f.name)[k] for f in fields(self)))


def chain_along_curve(f: Map, curve: Curve, t) -> AlongCurve:
    """z(t) = f(r(t)) and dz/dt = grad f(r(t)) . r'(t), vectorized over t."""
    if f.m != 1:
        raise ShapeError(f"map {f.name} must be scalar (one output) to have a gradient, got {f.m}")
    if f.n != curve.dim:
        raise ShapeError(
            f"curve {curve.map.name} lies in R^{curve.dim} but map {f.name} takes {f.n} inputs"
        )
    t = np.asarray(t, dtype=float)
    p = curve.point(t)
    v = curve.tangent(t)
    z = f(p)[..., 0]
    grad = f.jacobian(p)[..., 0, :]  # grad f = Df^T: the single row, as a column
    return AlongCurve(t, p, v, z, grad, np.einsum("...i,...i->...", grad, v))


def level_set_segments(f: Map, level: float, xlim, ylim, resolution: int = 121) -> np.ndarray:
    """Line segments of the level set f = level in a box, by marching squares.

    Returns an array of shape (k, 2, 2): k segments, each two (x, y) points.
    """
    if f.n != 2 or f.m != 1:
        raise ShapeError(f"level sets are drawn for scalar maps of two inputs; map {f.name} is R^{f.n} -> R^{f.m}")
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    X, Y = np.meshgrid(xs, ys)
    V = f(np.stack([X, Y], axis=-1))[..., 0] - level
    return _marching_squares(xs, ys, V)


def _marching_squares(xs, ys, V) -> np.ndarray:
    v00, v10 = V[:-1, :-1], V[:-1, 1:]
    v01, v11 = V[1:, :-1], V[1:, 1:]
    x0, x1 = xs[:-1][None, :], xs[1:][None, :]
    y0, y1 = ys[:-1][:, None], ys[1:][:, None]

    def cross(a, b):
        with np.errstate(all="ignore"):
            return np.where(a == b, 0.5, a / (a - b))

    # crossing points on the four cell edges (nan where the sign does not change)
    def edge_pt(a, b, pa, pb):
        hit = (a > 0) != (b > 0)
        s = cross(a, b)
        px = pa[0] + s * (pb[0] - pa[0])
        py = pa[1] + s * (pb[1] - pa[1])
        return hit, np.stack(np.broadcast_arrays(px, py), axis=-1)

    bottom = edge_pt(v00, v10, (x0, y0), (x1, y0))
    right = edge_pt(v10, v11, (x1, y0), (x1, y1))
    top = edge_pt(v01, v11, (x0, y1), (x1, y1))
    left = edge_pt(v00, v01, (x0, y0), (x0, y1))
    edges = [bottom, right, top, left]
    hits = np.stack([e[0] for e in edges], axis=-1)  # (r, c, 4)
    pts = np.stack([e[1] for e in edges], axis=-2)  # (r, c, 4, 2)
    segs = []
    count = hits.sum(axis=-1)
    two = np.argwhere(count == 2)
    for r, c in two:
        idx = np.flatnonzero(hits[r, c])
        segs.append(pts[r, c, idx])
    four = np.argwhere(count == 4)
    for r, c in four:  # saddle: pair edges by the centre value
        centre = (v00[r, c] + v10[r, c] + v01[r, c] + v11[r, c]) / 4
        p = pts[r, c]
        if (centre > 0) == (v00[r, c] > 0):
            segs += [p[[0, 1]], p[[2, 3]]]
        else:
            segs += [p[[0, 3]], p[[1, 2]]]
    return np.array(segs, dtype=float).reshape(-1, 2, 2)


def join_segments(segs: np.ndarray, decimals: int = 9) -> list[np.ndarray]:
    """Join segments that share end points into polylines (marching squares gives
    a level set as loose segments; a curve is drawn better as one line).

    Returns a list of arrays of shape (k, 2), each a polyline in order.
    """
    segs = np.asarray(segs, dtype=float).reshape(-1, 2, 2)
    if len(segs) == 0:
        return []

    def key(p):
        return (round(float(p[0]), decimals), round(float(p[1]), decimals))

    ends: dict = {}
    for i, s in enumerate(segs):
        for j in (0, 1):
            ends.setdefault(key(s[j]), []).append((i, j))
    used = np.zeros(len(segs), dtype=bool)

    def walk(i, j):
        """From end j of segment i onward, through shared end points."""
        pts = []
        while True:
            used[i] = True
            nxt = segs[i][1 - j]
            pts.append(nxt)
            cand = [(a, b) for a, b in ends.get(key(nxt), []) if not used[a]]
            if not cand:
                return pts
            i, j = cand[0]

    lines = []
    for i in range(len(segs)):
        if used[i]:
            continue
        forward = walk(i, 0)
        cand = [(a, b) for a, b in ends.get(key(segs[i][0]), []) if not used[a]]
        backward = walk(*cand[0]) if cand else []
        lines.append(np.array(list(reversed(backward)) + [segs[i][0]] + forward))
    return lines

"""A surface z = f(x, y) in 3-D: its samples over ranges, the tangent plane at a point, how
close the two stay near the point, and a curve r(t) of the floor lifted onto the surface.

The tangent plane at x0 is ``z = z0 + grad f(x0) . (x - x0)``, written as
``z = a x + b y + c`` with ``(a, b) = grad f(x0)`` and ``c = z0 - grad f(x0) . x0``.  Near
x0 the surface and the plane differ by a second-order amount: over the square
``|x - x0|, |y - y0| <= h`` the largest gap shrinks like h^2 (local linearity in 3-D).
The lifted curve is ``(r(t), f(r(t)))``; its height changes at the rate
``dz/dt = grad f(r(t)) . r'(t)`` (``jacviz.core.curves.chain_along_curve``).

Core: numpy and jacviz's maps, never manim; the screen is the kit's business
(``jacviz.kit.surface.SurfaceView``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .curves import AlongCurve, Curve, chain_along_curve
from .errors import NumericError, ShapeError
from .fmt import fmt_num, plain_vec
from .maps import Map


def _need_surface_map(f: Map) -> None:
    if (f.n, f.m) != (2, 1):
        raise ShapeError(f"map {f.name} is R^{f.n} -> R^{f.m}; a surface z = f(x, y) needs a "
                         f"scalar function of two inputs, R^2 -> R^1")


@dataclass(frozen=True, eq=False)
class TangentPlane:
    """The plane z = z0 + grad . (x - x0) touching z = f(x, y) at x0."""

    x0: np.ndarray  # (2,)
    z0: float
    grad: np.ndarray  # (2,): grad f(x0), the plane's slopes a and b

    @property
    def coefficients(self) -> tuple[float, float, float]:
        """(a, b, c) of z = a x + b y + c."""
        a, b = (float(g) for g in self.grad)
        return a, b, float(self.z0 - self.grad @ self.x0)

    def __call__(self, pts) -> np.ndarray:
        """The plane's height at points of shape (..., 2): shape (...)."""
        pts = np.asarray(pts, dtype=float)
        return self.z0 + (pts - self.x0) @ self.grad

    @property
    def critical(self) -> bool:
        """True where the gradient is zero: the plane is level, no level curve has a direction."""
        return not np.any(self.grad)


def tangent_plane(f: Map, x0) -> TangentPlane:
    """The tangent plane of z = f(x, y) at x0 (values and gradient from the map)."""
    _need_surface_map(f)
    x0 = np.asarray(x0, dtype=float).reshape(2)
    z0 = float(f(x0)[0])
    grad = np.asarray(f.jacobian(x0)[0], dtype=float)
    if not (np.isfinite(z0) and np.all(np.isfinite(grad))):
        raise NumericError(f"f or its gradient is not finite at {plain_vec(x0)}")
    return TangentPlane(x0, z0, grad)


def square_grid(center, half: float, samples: int) -> np.ndarray:
    """Points of the square center +- half, samples x samples: shape (samples, samples, 2)."""
    c = np.asarray(center, dtype=float)
    s = np.linspace(-half, half, samples)
    X, Y = np.meshgrid(c[0] + s, c[1] + s)
    return np.stack([X, Y], axis=-1)


def plane_gap(f: Map, plane: TangentPlane, half: float, samples: int = 41) -> float:
    """The largest |f - plane| over the square x0 +- half (sampled): the gap local
    linearity says shrinks like half^2."""
    pts = square_grid(plane.x0, half, samples)
    return float(np.max(np.abs(f(pts)[..., 0] - plane(pts))))


@dataclass(frozen=True, eq=False)
class SurfaceSamples:
    """z = f(x, y) on a grid of the box xlim x ylim: ``xs`` (nx,), ``ys`` (ny,), ``Z`` (ny, nx)."""

    xs: np.ndarray
    ys: np.ndarray
    Z: np.ndarray

    def at(self, i: int, j: int) -> tuple[float, float, float]:
        """The sample in column i (x) and row j (y): (x, y, z)."""
        return float(self.xs[i]), float(self.ys[j]), float(self.Z[j, i])

    @property
    def zlim(self) -> tuple[float, float]:
        return float(self.Z.min()), float(self.Z.max())


def sample_surface(f: Map, xlim, ylim, nx: int, ny: int | None = None) -> SurfaceSamples:
    """f on an (nx x ny)-point grid of the box, every value finite; otherwise a
    NumericError saying where: the first grid point (row by row from the corner
    (xlim[0], ylim[0])) where f is not finite, and how many are."""
    _need_surface_map(f)
    ny = nx if ny is None else ny
    xs = np.linspace(float(xlim[0]), float(xlim[1]), nx)
    ys = np.linspace(float(ylim[0]), float(ylim[1]), ny)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        Z = np.broadcast_to(f(np.stack([X, Y], axis=-1))[..., 0], X.shape).astype(float)
    bad = ~np.isfinite(Z)
    if bad.any():
        j, i = (int(k) for k in np.argwhere(bad)[0])
        raise NumericError(f"f is not finite near (x, y) = ({fmt_num(xs[i])}, {fmt_num(ys[j])})"
                           f" ({int(bad.sum())} of {bad.size} sample points)")
    return SurfaceSamples(xs, ys, Z)


def lift_curve(f: Map, curve: Curve, t) -> AlongCurve:
    """The curve r(t) on the floor lifted onto z = f(x, y): the along-curve numbers of
    ``chain_along_curve`` (``point`` = r(t), ``z`` = f(r(t)), ``dzdt`` = grad f . r'(t))."""
    _need_surface_map(f)
    if curve.dim != 2:
        raise ShapeError(f"curve {curve.map.name} lies in R^{curve.dim}; a curve on the floor "
                         f"of a surface lies in R^2")
    return chain_along_curve(f, curve, t)


def lifted_points(along: AlongCurve) -> np.ndarray:
    """(x, y, z) of the lifted curve: shape (k, 3)."""
    return np.concatenate([np.asarray(along.point, dtype=float).reshape(-1, 2),
                           np.asarray(along.z, dtype=float).reshape(-1, 1)], axis=1)


def outside_box(pts, xlim, ylim, slack: float = 1e-9):
    """The index of the first point (shape (k, 2)) outside the box, or None."""
    pts = np.asarray(pts, dtype=float).reshape(-1, 2)
    sx = slack * max(1.0, abs(xlim[1] - xlim[0]))
    sy = slack * max(1.0, abs(ylim[1] - ylim[0]))
    out = ((pts[:, 0] < xlim[0] - sx) | (pts[:, 0] > xlim[1] + sx)
           | (pts[:, 1] < ylim[0] - sy) | (pts[:, 1] > ylim[1] + sy))
    return int(np.flatnonzero(out)[0]) if out.any() else None


def level_through(lines, x0) -> np.ndarray | None:
    """Of polylines (each (k, 2)), the one passing nearest x0 (None when there are none)."""
    x0 = np.asarray(x0, dtype=float)
    best, dist = None, np.inf
    for ln in lines:
        d = float(np.min(np.linalg.norm(np.asarray(ln) - x0, axis=1)))
        if d < dist:
            best, dist = ln, d
    return best

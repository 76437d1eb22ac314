"""Geometry of the plane in data coordinates: grids, squares, boxes, level lines.

What the scenes of §2 (local linearity) and §3 (level sets) draw, as numbers:
coordinate grids around a point (and the same grid zoomed in), the cells
around a small square, parallelograms, bounding boxes, where a map stops being
finite, the error table of a linearization, the level lines of a scalar
function as polylines, and the moment a curve crosses level sets the fastest.
Arrays of points have shape ``(..., 2)``; a set of grid lines has shape
``(lines, samples, 2)``.  Core: numpy and jacviz's maps, never manim; the
screen is the kit's business (``jacviz.kit.view.PlaneView``).
"""

from __future__ import annotations

import numpy as np

from .curves import join_segments, level_set_segments
from .maps import Linearization, Map


# -- grids -------------------------------------------------------------------------
def _lines(cx: float, cy: float, ks: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Vertical lines x = cx + k, then horizontal lines y = cy + k, each sampled at s."""
    n, m = len(ks), len(s)
    vert = np.stack([np.broadcast_to(cx + ks[:, None], (n, m)),
                     np.broadcast_to(cy + s[None, :], (n, m))], axis=-1)
    horiz = np.stack([np.broadcast_to(cx + s[None, :], (n, m)),
                      np.broadcast_to(cy + ks[:, None], (n, m))], axis=-1)
    return np.concatenate([vert, horiz], axis=0)


def grid_lines(center, half: float, count: int = 9, samples: int = 81) -> np.ndarray:
    """A square grid of ``count`` lines per direction spanning center +- half.

    Shape ``(2 * count, samples, 2)``: the first ``count`` lines are vertical
    (x fixed), the others horizontal."""
    ks = np.linspace(-half, half, count)
    return _lines(float(center[0]), float(center[1]), ks, np.linspace(-half, half, samples))


def cell_grid_lines(x0, h: float, lo: int = -1, hi: int = 2, samples: int = 41) -> np.ndarray:
    """Grid lines at x0 + k h for k = lo..hi: the square [x0, x0 + h]^2 is one of its cells."""
    ks = np.arange(lo, hi + 1) * h
    return _lines(float(x0[0]), float(x0[1]), ks, np.linspace(lo * h, hi * h, samples))


def parallelogram(origin, a, b) -> np.ndarray:
    """The corners origin, origin + a, origin + a + b, origin + b (shape (4, 2))."""
    o, a, b = (np.asarray(v, dtype=float) for v in (origin, a, b))
    return np.array([o, o + a, o + a + b, o + b])


def square_outline(x0, h: float, per_side: int = 24) -> np.ndarray:
    """The boundary of the square [x0, x0 + h e1 + h e2], densely sampled, as a closed loop
    (its image under a map shows how the map bends the square)."""
    x0 = np.asarray(x0, dtype=float)
    t = np.linspace(0.0, 1.0, per_side, endpoint=False)[:, None]
    e1, e2 = np.array([h, 0.0]), np.array([0.0, h])
    sides = [x0 + t * e1, x0 + e1 + t * e2, x0 + e1 + e2 - t * e1, x0 + e2 - t * e2]
    return np.concatenate(sides + [x0[None, :]], axis=0)


# -- boxes ---------------------------------------------------------------------------
def bounds(*arrays) -> tuple[np.ndarray, np.ndarray]:
    """The smallest box (lo, hi) holding every point of the arrays (each (..., 2))."""
    pts = np.concatenate([np.asarray(a, dtype=float).reshape(-1, 2) for a in arrays], axis=0)
    return pts.min(axis=0), pts.max(axis=0)


def pad_box(lo, hi, frac: float = 0.12, least: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """The box grown on every side by ``frac`` of its longer side, and by at least ``least``."""
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    m = max(frac * max(float((hi - lo).max()), 1e-9), least)
    return lo - m, hi + m


def first_nonfinite(mp: Map, *point_sets) -> np.ndarray | None:
    """The first point (of several arrays of points) where the map is not finite, or None."""
    for pts in point_sets:
        pts = np.asarray(pts, dtype=float).reshape(-1, mp.n)
        with np.errstate(all="ignore"):
            vals = mp(pts)
        bad = np.flatnonzero(~np.all(np.isfinite(vals), axis=-1))
        if bad.size:
            return pts[int(bad[0])]
    return None


# -- a map near a point, zoomed in ---------------------------------------------------------
def zoom_frame(lin: Linearization, half: float, zoom: float, t: float, box0):
    """The grid of a zoom into x0 at progress t in [0, 1], and the box to show.

    At progress t the grid spans x0 +- half / zoom^t.  The box holds its image
    under the map, its image under the linearization (faded in with t), and
    the starting box ``box0`` = (lo, hi) shrunk onto F(x0) (gone at t = 1), so
    that the view moves smoothly from the whole bent grid to the zoomed one.
    Returns (grid lines, their image, lo, hi).
    """
    z = zoom ** t
    lines = grid_lines(lin.x0, half / z)
    img = lin.map(lines)
    lin_t = lin.y0 + (lin(lines) - lin.y0) * t
    k = (1 - t) / z
    lo0, hi0 = (np.asarray(b, dtype=float) for b in box0)
    shrunk = np.array([lin.y0 + (lo0 - lin.y0) * k, lin.y0 + (hi0 - lin.y0) * k])
    lo, hi = bounds(img, lin_t, shrunk)
    return lines, img, lo, hi


def error_table(lin: Linearization, direction, steps):
    """The error table of a linearization (``Linearization.errors``) with how error / h
    shrinks from one step to the next: (h, error, error / h, shrink), shrink[k] being
    ratio[k + 1] / ratio[k].  Errors at the level of rounding (a map that is linear) are 0,
    and a shrink factor after a zero ratio is nan (there is nothing left to shrink)."""
    hs, err, ratio = lin.errors(direction, steps)
    scale = max(1.0, float(np.max(np.abs(lin.y0))), float(np.max(np.abs(lin.J))) * max(hs))
    zero = err <= 1e-12 * scale
    err, ratio = np.where(zero, 0.0, err), np.where(zero, 0.0, ratio)
    prev = ratio[:-1]
    shrink = np.divide(ratio[1:], prev, out=np.full(len(prev), np.nan), where=prev > 0)
    return hs, err, ratio, shrink


def linear_gap(lin: Linearization, pts) -> float:
    """The largest distance between F and its linearization over the points."""
    pts = np.asarray(pts, dtype=float)
    return float(np.max(np.linalg.norm(lin.map(pts) - lin(pts), axis=-1)))


# -- level sets --------------------------------------------------------------------------
def level_lines(f: Map, levels, xlim, ylim, resolution: int = 161) -> list[list[np.ndarray]]:
    """For each level c, the level set f = c inside the box as polylines (each (k, 2), k >= 2);
    an empty list for a level the box does not meet.  Pieces of no length (marching
    squares gives them where a grid node lies exactly on the level) are dropped."""
    tiny = 1e-9 * max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    out = []
    for c in levels:
        segs = level_set_segments(f, float(c), xlim, ylim, resolution=resolution)
        out.append([ln for ln in join_segments(segs)
                    if len(ln) >= 2 and np.ptp(ln, axis=0).max() > tiny])
    return out


def nonfinite_along(along) -> tuple[str, float] | None:
    """The first quantity of the chain rule along a curve (a ``jacviz.core.curves.AlongCurve``)
    that is not finite, and the t where: ("r'(t)", 1.5); None when all are finite."""
    for what, arr in (("r(t)", along.point), ("r'(t)", along.tangent), ("f(r(t))", along.z),
                      ("grad f(r(t))", along.gradient)):
        bad = ~np.all(np.isfinite(np.reshape(arr, (len(along.t), -1))), axis=1)
        if bad.any():
            return what, float(along.t[int(np.flatnonzero(bad)[0])])
    return None


def steepest_time(t, rate, inner: tuple[float, float] = (0.15, 0.85)) -> float:
    """The t where |rate| is largest, looking only at the inner part of the samples
    (a curve is shown well inside its range); ties go to the later t."""
    t, rate = np.asarray(t, dtype=float), np.asarray(rate, dtype=float)
    n = len(t)
    idx = np.arange(int(inner[0] * (n - 1)), int(inner[1] * (n - 1)) + 1)
    score = np.abs(rate[idx]) * (1 + 1e-3 * np.linspace(0, 1, len(idx)))
    return float(t[int(idx[int(np.argmax(score))])])

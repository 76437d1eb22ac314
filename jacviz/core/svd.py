"""What a Jacobian does to a circle: its singular value decomposition and determinant.

``J = U diag(s) V^T`` (the thin SVD of an m x n matrix, k = min(m, n) singular values):
J sends the unit vector ``v_i`` (a column of V) to ``s_i u_i``, so it sends the unit
circle of the input plane to an ellipse whose semi-axes are ``s_1 u_1`` and ``s_2 u_2``.
For a square J, ``det J = +- s_1 s_2 ... s_k`` is the ratio of the areas (volumes), and
its sign says whether J keeps the orientation (+) or flips it (-).

Conventions, fixed so that every drawing of the same matrix is the same:

- ``s[0] >= s[1] >= ... >= 0`` (as numpy gives them);
- each column of V has its first clearly nonzero entry positive (an entry counts when
  its size is above ``SIGN_TOL`` times the column's largest entry): in the plane, v_i
  points to the right, or straight up.  The matching column of U is flipped with it, so
  that ``J = U diag(s) V^T`` still holds; where ``s_i`` is 0 (J has no ``u_i`` of its own)
  u_i follows the same rule as V;
- J is *singular* when ``s[-1] <= rtol * s[0]`` (``rtol`` defaults to ``SINGULAR_RTOL``),
  or when J is zero; its rank is the number of singular values above that tolerance.
  The sign of a singular J's determinant means nothing: ``orientation`` is then 0.

numpy only; the screen is the kit's business (``jacviz.kit.ellipse.EllipseView``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import JacvizError

#: a matrix whose smallest singular value is at most this times its largest is singular
SINGULAR_RTOL = 1e-9
#: an entry of a singular vector smaller than this times the vector's largest entry is taken
#: as zero when choosing the vector's sign
SIGN_TOL = 1e-9


def _fix_sign(col: np.ndarray) -> float:
    """+1 or -1: the factor that makes the column's first clearly nonzero entry positive."""
    big = float(np.max(np.abs(col))) if col.size else 0.0
    for c in col:
        if abs(c) > SIGN_TOL * big:
            return 1.0 if c > 0 else -1.0
    return 1.0


@dataclass(frozen=True, eq=False)
class Decomposition:
    """The SVD of a Jacobian J (m x n) with the signs fixed, and its determinant.

    ``U`` is m x k, ``s`` has k entries, ``V`` is n x k (k = min(m, n)); ``J`` is the
    matrix itself."""

    J: np.ndarray
    U: np.ndarray
    s: np.ndarray
    V: np.ndarray
    rtol: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.J.shape

    @property
    def square(self) -> bool:
        return self.J.shape[0] == self.J.shape[1]

    @property
    def rank(self) -> int:
        """How many singular values are above ``rtol`` times the largest (0 for J = 0)."""
        if self.s.size == 0 or self.s[0] == 0:
            return 0
        return int(np.sum(self.s > self.rtol * self.s[0]))

    @property
    def singular(self) -> bool:
        """True when J loses a dimension (its rank is below min(m, n)): its smallest
        singular value is (nearly) zero against its largest, or J is zero."""
        return self.rank < min(self.J.shape)

    @property
    def det(self) -> float | None:
        """det J (None for a matrix that is not square); exactly 0 when J is singular."""
        if not self.square:
            return None
        if self.singular:
            return 0.0
        return float(np.linalg.det(self.J))

    @property
    def area_ratio(self) -> float | None:
        """|det J| = s_1 s_2 ... s_k: the area (volume) of an image over the area of what J
        maps (None for a matrix that is not square)."""
        if not self.square:
            return None
        return 0.0 if self.singular else float(np.prod(self.s))

    @property
    def orientation(self) -> int:
        """+1 when J keeps the orientation, -1 when it flips it (det J < 0), 0 when J is
        singular or not square."""
        d = self.det
        return 0 if not d else (1 if d > 0 else -1)

    @property
    def flips(self) -> bool:
        """True when J reverses the orientation (det J < 0): a point going anticlockwise
        round a circle goes clockwise round its image."""
        return self.orientation < 0

    def semi_axes(self, r: float = 1.0) -> np.ndarray:
        """The semi-axes ``r s_i u_i`` of the image of the circle of radius r (k x m, one
        per row): the image of ``r v_i`` under J."""
        return r * self.s[:, None] * self.U.T

    def input_axes(self, r: float = 1.0) -> np.ndarray:
        """The radii ``r v_i`` of the circle that J sends to the semi-axes (k x n)."""
        return r * self.V.T

    def reconstruct(self) -> np.ndarray:
        """U diag(s) V^T (equals J up to rounding)."""
        return (self.U * self.s) @ self.V.T


def decompose(J, rtol: float = SINGULAR_RTOL) -> Decomposition:
    """The SVD of J with the signs of the module's convention, and what it says about J."""
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or 0 in J.shape:
        raise JacvizError(f"decompose: need a matrix with at least one row and one column, "
                          f"not an array of shape {J.shape}")
    if not np.all(np.isfinite(J)):
        raise JacvizError("decompose: the matrix has entries that are not finite")
    if not 0 <= rtol < 1:
        raise JacvizError(f"decompose: rtol = {rtol} must be >= 0 and < 1")
    U, s, Vt = np.linalg.svd(J, full_matrices=False)
    U, V = U.copy(), Vt.T.copy()
    for i in range(len(s)):
        f = _fix_sign(V[:, i])
        V[:, i] *= f
        U[:, i] *= f
        if s[i] <= rtol * s[0] or s[0] == 0:  # no u_i of J's own: its own sign rule
            U[:, i] *= _fix_sign(U[:, i])
    s.setflags(write=False), U.setflags(write=False), V.setflags(write=False)
    J = J.copy()
    J.setflags(write=False)
    return Decomposition(J=J, U=U, s=s, V=V, rtol=float(rtol))


def circle_points(center, r: float, samples: int = 121) -> np.ndarray:
    """The circle of radius r round a point of the plane, anticlockwise from angle 0 (the
    point center + (r, 0)), closed: ``samples`` points, the last equal to the first."""
    t = np.linspace(0.0, 2 * np.pi, samples)
    t[-1] = 0.0
    c = np.asarray(center, dtype=float).reshape(2)
    return c + r * np.stack([np.cos(t), np.sin(t)], axis=-1)


@dataclass(frozen=True, eq=False)
class CircleImages:
    """A small circle round x0 and its two images: under the map F, and under its
    linearization F(x0) + J(x0)(x - x0), an ellipse round F(x0).

    The three loops are sampled at the same angles (anticlockwise round the circle from
    x0 + (r, 0)), so sample i of each is the same point of the circle and its images.
    ``gap`` is the largest distance between the two images."""

    x0: np.ndarray
    y0: np.ndarray
    r: float
    dec: Decomposition
    circle: np.ndarray
    image: np.ndarray
    ellipse: np.ndarray
    gap: float

    @property
    def turn_at(self) -> float:
        """Where round the loops (a fraction of the way, from angle 0) to show which way
        they go: the direction -(v_1 + v_2), away from the radii r v_1, r v_2 and so from
        the semi-axes r s_i u_i they go to (and from what labels them)."""
        d = -(self.dec.V[:, 0] + self.dec.V[:, 1])
        return float(np.arctan2(d[1], d[0]) / (2 * np.pi)) % 1.0

    def at(self, t: float) -> np.ndarray:
        """The three points (circle, image, ellipse) at the fraction t of the way round
        (t in [0, 1]; between samples, along the polylines): shape (3, 2)."""
        k = len(self.circle) - 1
        u = min(max(float(t), 0.0), 1.0) * k
        i = min(int(u), k - 1)
        f = u - i
        return np.array([p[i] * (1 - f) + p[i + 1] * f
                         for p in (self.circle, self.image, self.ellipse)])


def circle_images(lin, r: float, samples: int = 121) -> CircleImages:
    """The circle of radius r round ``lin.x0`` and its images under ``lin.map`` and under
    the linearization ``lin`` (a :class:`jacviz.core.maps.Linearization` of a map R^2 -> R^2)."""
    if lin.x0.shape != (2,) or lin.y0.shape != (2,):
        raise JacvizError("circle_images: the map must take two inputs and give two outputs")
    circle = circle_points(lin.x0, r, samples)
    with np.errstate(all="ignore"):
        image = lin.map(circle)
    ellipse = lin(circle)
    ellipse[-1] = ellipse[0]
    gap = float(np.max(np.linalg.norm(image - ellipse, axis=-1)))
    return CircleImages(x0=lin.x0, y0=lin.y0, r=float(r), dec=decompose(lin.J), circle=circle,
                        image=image, ellipse=ellipse, gap=gap)

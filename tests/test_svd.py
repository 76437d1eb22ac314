"""What a Jacobian does to a circle (jacviz.core.svd): the SVD with fixed signs, det J, the
area ratio, the flip, the singular case, and the ellipse the unit circle goes to.

Checked against numpy.linalg.svd and numpy.linalg.det, by reconstruction J = U Sigma V^T,
and on sampled points of the circle's image."""

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jacviz import Map
from jacviz.core.errors import JacvizError
from jacviz.core.svd import SINGULAR_RTOL, circle_images, circle_points, decompose

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


def matrices(m, n):
    return st.lists(st.lists(finite, min_size=n, max_size=n), min_size=m, max_size=m).map(
        lambda rows: np.array(rows, dtype=float))


any_matrix = st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(lambda mn: matrices(*mn))


def first_clear(col):
    big = np.max(np.abs(col))
    return next(c for c in col if abs(c) > 1e-9 * big)


# -- a worked example ------------------------------------------------------------------
def test_a_diagonal_map_and_a_rotation():
    d = decompose([[3.0, 0.0], [0.0, -2.0]])  # stretch x by 3, y by 2 and flip it
    assert np.allclose(d.s, [3, 2])
    assert np.allclose(d.V, [[1, 0], [0, 1]])  # the signs: each v_i's first entry positive
    assert np.allclose(d.U, [[1, 0], [0, -1]])  # u_2 follows v_2: J v_2 = -2 e_2 = 2 u_2
    assert d.det == pytest.approx(-6.0) and d.area_ratio == pytest.approx(6.0)
    assert d.orientation == -1 and d.flips and not d.singular and d.rank == 2
    assert np.allclose(d.semi_axes(0.5), [[1.5, 0], [0, -1.0]])
    assert np.allclose(d.input_axes(0.5), [[0.5, 0], [0, 0.5]])
    c, s = np.cos(0.3), np.sin(0.3)
    rot = decompose([[c, -s], [s, c]])
    assert np.allclose(rot.s, [1, 1]) and rot.det == pytest.approx(1.0) and rot.orientation == 1


def test_the_lessons_map_at_its_point():
    """F(x, y) = (x^2 - y, xy) at (1, 0.5): J = [[2, -1], [0.5, 1]], det 2.5."""
    J = Map("(x, y) -> (x^2 - y, x*y)").jacobian([1.0, 0.5])
    d = decompose(J)
    assert d.det == pytest.approx(2.5) and d.s[0] * d.s[1] == pytest.approx(2.5)
    # sigma_1^2 and sigma_2^2 are the eigenvalues of J^T J = [[4.25, -1.5], [-1.5, 2]]
    tr, det = 6.25, 4.25 * 2 - 1.5 ** 2
    root = np.sqrt(tr ** 2 / 4 - det)
    assert d.s ** 2 == pytest.approx([tr / 2 + root, tr / 2 - root])


# -- the singular case -----------------------------------------------------------------
def test_a_singular_jacobian_collapses_the_circle_to_a_segment():
    """(x + y, x + y): J = [[1, 1], [1, 1]] sends the circle onto a segment of half-length
    sqrt(2) * sqrt(2) = 2 along (1, 1)."""
    J = Map("(x, y) -> (x + y, x + y)").jacobian([0.3, -1.0])
    d = decompose(J)
    assert d.singular and d.rank == 1 and d.det == 0.0 and d.area_ratio == 0.0
    assert d.orientation == 0 and not d.flips
    assert d.s == pytest.approx([2.0, 0.0], abs=1e-12)
    assert np.allclose(d.V[:, 0], [1 / np.sqrt(2), 1 / np.sqrt(2)])
    assert np.allclose(d.V[:, 1], [1 / np.sqrt(2), -1 / np.sqrt(2)])  # the direction J kills
    assert np.allclose(J @ d.V[:, 1], 0)
    assert np.allclose(d.U[:, 1], [1 / np.sqrt(2), -1 / np.sqrt(2)])  # its own sign rule
    image = circle_points([0, 0], 1.0) @ J.T
    assert np.allclose(image[:, 0], image[:, 1])  # on the line y = x
    assert np.max(np.linalg.norm(image, axis=1)) == pytest.approx(2.0)
    zero = decompose(np.zeros((2, 2)))
    assert zero.rank == 0 and zero.singular and zero.det == 0.0 and zero.orientation == 0
    assert np.allclose(zero.V, np.eye(2)) and np.allclose(zero.U, np.eye(2))


def test_the_tolerance_is_relative():
    tiny = decompose(1e-12 * np.array([[2.0, 1.0], [1.0, 3.0]]))  # small, but not singular
    assert not tiny.singular and tiny.det == pytest.approx(5e-24)
    near = decompose([[1.0, 0.0], [0.0, 0.5 * SINGULAR_RTOL]])
    assert near.singular and near.det == 0.0
    assert not decompose([[1.0, 0.0], [0.0, 2 * SINGULAR_RTOL]]).singular
    assert decompose([[1.0, 0.0], [0.0, 1e-3]], rtol=1e-2).singular


def test_bad_matrices_are_refused():
    for bad, words in (([[np.nan, 1.0], [0.0, 1.0]], "not finite"), (np.zeros((0, 2)), "shape"),
                       ([1.0, 2.0], "shape")):
        with pytest.raises(JacvizError, match=words):
            decompose(bad)
    with pytest.raises(JacvizError, match="rtol"):
        decompose(np.eye(2), rtol=1.5)


# -- properties on random matrices -------------------------------------------------------
@given(any_matrix)
@example(np.array([[1.0, 1.0], [1.0, 1.0]]))
@example(np.array([[0.0, 0.0], [0.0, 0.0]]))
@example(np.array([[0.0, -1.0], [-1.0, 0.0]]))
@example(np.array([[1.0, 2.0, 3.0]]))
def test_svd_against_numpy_and_reconstruction(J):
    d = decompose(J)
    k = min(J.shape)
    scale = max(1.0, float(np.abs(J).max()))
    assert d.U.shape == (J.shape[0], k) and d.V.shape == (J.shape[1], k) and d.s.shape == (k,)
    assert np.allclose(d.reconstruct(), J, atol=1e-12 * scale)  # J = U Sigma V^T
    assert np.allclose(d.s, np.linalg.svd(J, compute_uv=False), atol=1e-12 * scale)
    assert np.all(d.s[:-1] >= d.s[1:]) and np.all(d.s >= 0)  # sigma1 >= sigma2 >= 0
    assert np.allclose(d.U.T @ d.U, np.eye(k), atol=1e-9)  # orthonormal columns
    assert np.allclose(d.V.T @ d.V, np.eye(k), atol=1e-9)
    for i in range(k):  # the sign convention, and J v_i = s_i u_i
        assert first_clear(d.V[:, i]) > 0
        assert np.allclose(J @ d.V[:, i], d.s[i] * d.U[:, i], atol=1e-12 * scale)
    if d.square:
        if d.singular:
            assert d.det == 0.0 and d.orientation == 0
        else:
            assert d.det == pytest.approx(np.linalg.det(J), rel=1e-9)
            assert abs(d.det) == pytest.approx(float(np.prod(d.s)), rel=1e-9)  # det = +- s1 s2
            assert d.area_ratio == pytest.approx(abs(np.linalg.det(J)), rel=1e-9)
            assert d.flips == (np.linalg.det(J) < 0)
    else:
        assert d.det is None and d.area_ratio is None and d.orientation == 0
    assert d.rank == np.linalg.matrix_rank(J, tol=SINGULAR_RTOL * d.s[0]) if d.s[0] else d.rank == 0


@given(matrices(2, 2), st.floats(0.05, 3.0))
@example(np.array([[0.0, 1.0], [1.0, 0.0]]), 1.0)
@example(np.array([[2.0, 4.0], [1.0, 2.0]]), 0.5)
def test_the_circle_goes_to_the_ellipse_with_those_semi_axes(J, r):
    """J (circle of radius r) is the ellipse with semi-axes r s_1 u_1, r s_2 u_2: every
    image point p has (u_1.p / r s_1)^2 + (u_2.p / r s_2)^2 = 1, its farthest and nearest
    points are at r s_1 and r s_2, and r v_i goes to the semi-axis r s_i u_i."""
    d = decompose(J)
    scale = max(1.0, float(np.abs(J).max()))
    image = circle_points([0.0, 0.0], r, 721) @ J.T
    radii = np.linalg.norm(image, axis=1)
    step = np.pi / 720  # the samples are at most this far (in angle) from any direction
    tol = 1e-12 * scale
    assert r * d.s[0] * np.cos(step) - tol <= radii.max() <= r * d.s[0] + tol
    assert r * d.s[1] - tol <= radii.min() <= np.hypot(r * d.s[1], r * d.s[0] * step) + tol
    assert np.allclose(d.input_axes(r) @ J.T, d.semi_axes(r), atol=1e-12 * scale)
    if not d.singular and d.s[1] > 1e-6 * scale:
        coords = image @ d.U / (r * d.s)
        assert np.allclose(np.sum(coords ** 2, axis=1), 1.0, atol=1e-6)
    else:  # a segment along u_1, at most r s_1 from the centre
        assert np.allclose(image @ d.U[:, 1], 0.0, atol=1e-9 * scale * r)


def test_the_turn_of_the_image_follows_the_sign_of_det():
    """Going anticlockwise round the circle, the image goes anticlockwise when det J > 0 and
    clockwise when det J < 0: its signed area is det J times the circle's."""
    for J in ([[2.0, -1.0], [0.5, 1.0]], [[0.0, 1.0], [1.0, 0.0]], [[1.0, 2.0], [3.0, 1.0]]):
        d = decompose(J)
        p = circle_points([0.0, 0.0], 1.0, 2001) @ np.asarray(J).T
        signed = 0.5 * np.sum(p[:-1, 0] * p[1:, 1] - p[1:, 0] * p[:-1, 1])
        assert signed == pytest.approx(d.det * np.pi, rel=1e-4)
        assert (signed < 0) == d.flips


def test_circle_points():
    c = circle_points([1.0, -2.0], 0.5, 9)
    assert c.shape == (9, 2) and np.array_equal(c[0], c[-1])
    assert np.allclose(c[0], [1.5, -2.0]) and np.allclose(c[2], [1.0, -1.5])  # anticlockwise
    assert np.allclose(np.linalg.norm(c - [1.0, -2.0], axis=1), 0.5)


def test_circle_images_of_a_map():
    """The images are sampled at the same angles; the ellipse is F(x0) + J(x0)(circle - x0),
    and F's image differs from it by less than the map's curvature allows (order r^2)."""
    from jacviz import linearize

    F = Map("(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))")
    for r in (0.4, 0.2, 0.1):
        ci = circle_images(linearize(F, [1.0, 0.5]), r)
        J = F.jacobian([1.0, 0.5])
        assert np.allclose(ci.ellipse, ci.y0 + (ci.circle - ci.x0) @ J.T)
        assert np.allclose(ci.image, F(ci.circle))
        # second derivatives of F are at most 0.3: the gap is at most 0.3 r^2 / 2 * sqrt(2)
        assert 0 < ci.gap <= 0.3 * r ** 2 / 2 * np.sqrt(2) + 1e-12
        assert np.allclose(ci.at(0.25), [ci.circle[30], ci.image[30], ci.ellipse[30]])
        assert np.allclose(ci.at(1.0)[0], ci.circle[0])
    lin = linearize(Map("(x, y) -> (2*x - y, x + y)"), [0.0, 0.0])
    assert circle_images(lin, 1.0).gap < 1e-12  # a linear map is its own linearization


def test_the_way_round_is_shown_away_from_the_axes():
    """turn_at points the circle at -(v_1 + v_2): opposite the radii drawn, so its image is
    opposite the semi-axes drawn."""
    from jacviz import linearize

    for text in ("(x, y) -> (x^2 - y, x*y)", "(x, y) -> (y + 0.2*x^2, x)", "(x, y) -> (x + y, x + y)"):
        ci = circle_images(linearize(Map(text), [1.0, 0.5]), 0.3)
        p = ci.at(ci.turn_at)[0] - ci.x0
        assert np.allclose(p, -0.3 * (ci.dec.V[:, 0] + ci.dec.V[:, 1]) / np.sqrt(2), atol=1e-3)
        assert all(p @ v < 0 for v in ci.dec.V.T)

"""jacviz.core.grids: plane geometry in data coordinates (numpy only)."""

import numpy as np
import pytest

from jacviz import Curve, Map, chain_along_curve, linearize
from jacviz.core.grids import (bounds, cell_grid_lines, error_table, first_nonfinite, grid_lines,
                          level_lines, linear_gap, nonfinite_along, pad_box, parallelogram,
                          square_outline, steepest_time, zoom_frame)


def test_grid_lines_are_vertical_then_horizontal():
    g = grid_lines([1.0, 0.5], 1.5, count=5, samples=7)
    assert g.shape == (10, 7, 2)
    np.testing.assert_allclose(g[:5, :, 0], np.linspace(-0.5, 2.5, 5)[:, None] * np.ones(7))
    np.testing.assert_allclose(g[:5, :, 1], np.broadcast_to(np.linspace(-1, 2, 7), (5, 7)))
    np.testing.assert_allclose(g[5:, :, 1], np.linspace(-1, 2, 5)[:, None] * np.ones(7))
    lo, hi = bounds(g)
    np.testing.assert_allclose(lo, [-0.5, -1.0])
    np.testing.assert_allclose(hi, [2.5, 2.0])


def test_cell_grid_holds_the_square_as_a_cell():
    x0, h = np.array([1.0, 0.5]), 0.25
    g = cell_grid_lines(x0, h)
    assert g.shape == (8, 41, 2)
    xs = sorted({round(v, 12) for v in g[:4, 0, 0]})
    np.testing.assert_allclose(xs, x0[0] + h * np.arange(-1, 3))
    sq = square_outline(x0, h, per_side=4)
    assert sq.shape == (17, 2) and np.allclose(sq[0], x0) and np.allclose(sq[-1], x0)
    lo, hi = bounds(sq)
    np.testing.assert_allclose(lo, x0)
    np.testing.assert_allclose(hi, x0 + h)


def test_parallelogram_corners_and_padding():
    P = parallelogram([1, 1], [2, 0], [1, 3])
    np.testing.assert_allclose(P, [[1, 1], [3, 1], [4, 4], [2, 4]])
    lo, hi = pad_box([0, 0], [10, 2])
    np.testing.assert_allclose(lo, [-1.2, -1.2])
    np.testing.assert_allclose(hi, [11.2, 3.2])
    lo, hi = pad_box([0, 0], [1, 1])  # at least 0.3
    np.testing.assert_allclose(hi - lo, [1.6, 1.6])


def test_first_nonfinite_names_the_point():
    F = Map("(x, y) -> (log(x), y)")
    assert first_nonfinite(F, [[1.0, 0.0], [2.0, 1.0]]) is None
    p = first_nonfinite(F, [[1.0, 0.0]], [[2.0, 0.0], [-1.0, 3.0]])
    np.testing.assert_allclose(p, [-1.0, 3.0])


def test_zoom_frame_starts_at_the_box_and_ends_on_the_zoomed_grid():
    F = Map("(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))")
    lin = linearize(F, [1.0, 0.5])
    lines0 = grid_lines(lin.x0, 1.5)
    box0 = bounds(lines0, F(lines0))
    lines, img, lo, hi = zoom_frame(lin, 1.5, 6.0, 0.0, box0)
    np.testing.assert_allclose(lines, lines0)
    np.testing.assert_allclose(img, F(lines0))
    assert np.all(lo <= box0[0] + 1e-12) and np.all(hi >= box0[1] - 1e-12)
    lines, img, lo, hi = zoom_frame(lin, 1.5, 6.0, 1.0, box0)
    np.testing.assert_allclose(bounds(lines), (lin.x0 - 0.25, lin.x0 + 0.25))
    np.testing.assert_allclose((lo, hi), bounds(img, lin(lines)))
    # near x0 the map and its linearization differ by far less than the grid's size
    gap = linear_gap(lin, lines)
    assert 0 < gap < 0.02
    assert linear_gap(linearize(Map("(x, y) -> (x + 2*y, x - y)"), [1, 1]), lines) < 1e-12


def test_level_lines_of_circles():
    f = Map("(x, y) -> x^2 + y^2")
    per_level = level_lines(f, [1.0, 4.0, 100.0], (-2.5, 2.5), (-2.5, 2.5), resolution=101)
    assert len(per_level) == 3 and per_level[2] == []
    (circle,) = per_level[0]
    np.testing.assert_allclose(np.linalg.norm(circle, axis=1), 1.0, atol=5e-3)
    assert np.allclose(circle[0], circle[-1])  # one closed polyline
    assert all(len(p) >= 2 for p in per_level[1])


def test_steepest_time_looks_inside_the_range():
    a = chain_along_curve(Map("(x, y) -> x^2 + y^2"), Curve("t -> (t, 0.5)"),
                          np.linspace(-1.5, 1.5, 721))
    t = steepest_time(a.t, a.dzdt)
    # dz/dt = 2t grows to the ends; the inner 70 % stops at t = 1.05, the later of the two
    assert t == pytest.approx(1.05)
    assert steepest_time([0, 1, 2, 3, 4], [0, 1, 1, 1, 0]) == 3.0


def test_nonfinite_along_names_the_quantity_and_t():
    f = Map("(x, y) -> x^2 + y^2")
    assert nonfinite_along(chain_along_curve(f, Curve("t -> (t, 1)"), [0.0, 1.0])) is None
    what, t = nonfinite_along(chain_along_curve(f, Curve("t -> (sqrt(t), 1)"), [1.0, 0.0]))
    assert (what, t) == ("r'(t)", 0.0)


def test_error_table_shrinks_and_is_zero_for_a_linear_map():
    lin = linearize(Map("(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))"), [1.0, 0.5])
    hs, err, ratio, shrink = error_table(lin, [1, 1], [0.8, 0.4, 0.2, 0.1])
    np.testing.assert_allclose(ratio, err / hs)
    np.testing.assert_allclose(shrink, ratio[1:] / ratio[:-1])
    assert np.all(np.abs(shrink - 0.5) < 0.06)  # error ~ h^2: error / h halves with h
    flat = linearize(Map("(x, y) -> (x + 2*y, 3*x - y)"), [0.3, 0.7])
    hs, err, ratio, shrink = error_table(flat, [1, 1], [0.8, 0.4])
    assert np.all(err == 0) and np.all(ratio == 0) and np.isnan(shrink).all()

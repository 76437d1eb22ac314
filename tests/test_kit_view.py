"""The kit's PlaneView (jacviz/kit/view.py) and readout stacking (jacviz/kit/readout.py).

(PlaneView's docstring example is rendered here; the lead may move it into
tests/test_kit.py's COMPONENTS.)"""

import numpy as np
import pytest

from jacviz.kit import LiveReadout, layout, style
from jacviz.kit.readout import stack
from jacviz.kit.view import PlaneView, scale_note
from test_kit import run_example


def test_plane_view_example_runs_and_draws(tmp_path):
    scene, frame, problems = run_example(PlaneView, tmp_path)
    assert (frame[..., :3].max(axis=-1) > 60).sum() > 30, "nothing drawn"
    assert not problems, [str(p) for p in problems]


def test_plane_view_fits_the_box_with_equal_units():
    v = PlaneView([0.0, 0.0], [4.0, 1.0], center=[1.0, -1.0, 0.0], width=6, height=4, pad=0.5)
    assert v.scale == pytest.approx(min(5 / 4, 3 / 1))
    np.testing.assert_allclose(v([2.0, 0.5]), [1.0, -1.0, 0.0])  # the box's centre
    a, b, c = v([[0, 0], [1, 0], [0, 1]])
    assert np.linalg.norm(b - a) == pytest.approx(np.linalg.norm(c - a))
    assert v.xlim == pytest.approx((2 - 3 / v.scale, 2 + 3 / v.scale))
    assert (v.top, v.bottom) == (1.0, -3.0)
    capped = PlaneView([0, 0], [4, 1], width=6, height=4, scale=0.5)
    assert capped.scale == 0.5
    assert v([[[0, 0]] * 3] * 2).shape == (2, 3, 3)


def test_arrow_scale_and_views_that_hold_arrows():
    v = PlaneView([0, 0], [1, 1], width=4, height=4, pad=0)
    assert v.arrow_scale(0.25) == 1.0  # 1 screen unit: legible as it is
    assert v.arrow_scale(10.0) * 10.0 * v.scale <= 2.1 + 1e-9  # long: a round factor down
    assert v.arrow_scale(0.0) == 1.0
    pts = np.array([[0.0, 0.0], [1.0, 1.0]])
    view, (s,) = PlaneView.with_arrows([0, 0], [1, 1], [(pts, np.array([[5.0, 0], [0, 0]]))],
                                       width=4, height=4, pad=0)
    tip = pts[0] + s * np.array([5.0, 0])
    assert view.xlim[1] >= tip[0]
    assert len(scale_note([("g", 1.0)])) == 0 and len(scale_note([("g", 0.5)])) > 0


def test_key_arrows_are_raised_to_a_readable_length_within_the_cap():
    """Issue 21: a family's scale judged by its longest vector leaves a short one (where a
    beat ends) a few px long; ``keys`` raise it to a round factor that makes every nonzero
    key at least ``least`` screen units, while the longest stays within ``cap``."""
    from jacviz.core.fmt import NICE

    pts = np.array([[0.0, 0.0], [1.0, 1.0]])
    vecs = np.array([[4.0, 0.0], [0.5, 0.0]])  # 8 times longer than the key
    rect = dict(width=6, height=5, pad=0)
    view, (plain,) = PlaneView.with_arrows([0, 0], [1, 1], [(pts, vecs)], **rect)
    assert 0.5 * plain * view.scale < 0.3  # judged by the longest, the key is short
    view, (s,) = PlaneView.with_arrows([0, 0], [1, 1], [(pts, vecs)], keys=[vecs[1:]],
                                       least=0.4, cap=4.5, **rect)
    assert s > plain
    assert 0.5 * s * view.scale >= 0.4 - 1e-9  # the key: at least 24 px
    assert 4.0 * s * view.scale <= 4.5 + 1e-9  # the longest: within the cap
    # 80 times longer: both cannot hold; the cap wins, the key as long as it allows
    far = np.array([[40.0, 0.0], [0.5, 0.0]])
    view, (s,) = PlaneView.with_arrows([0, 0], [1, 1], [(pts, far)], keys=[far[1:]],
                                       least=0.4, cap=4.5, **rect)
    assert 40.0 * s * view.scale <= 4.5 + 1e-9 and 40.0 * s * view.scale > 4.5 / 2
    mant = s / 10 ** np.floor(np.log10(s))
    assert any(abs(mant - m) < 1e-9 for m in NICE)  # a round factor, said on screen
    # a zero key asks for nothing; a shared tag starts two families from one scale
    _, (z,) = PlaneView.with_arrows([0, 0], [1, 1], [(pts, vecs)], keys=[np.zeros((1, 2))],
                                    **rect)
    assert z == plain
    _, (a, b) = PlaneView.with_arrows([0, 0], [1, 1], [(pts, vecs), (pts, vecs / 40)],
                                      share=["v", "v"], **rect)
    assert a == b == plain


def test_nice_ceil_is_the_least_round_number_not_below():
    from jacviz.core.fmt import nice_ceil, nice_floor

    assert [nice_ceil(b) for b in (0.7, 1.0, 1.2, 7.0, 8.5, 27.0, 0.031)] == \
        [0.8, 1.0, 1.5, 8.0, 10.0, 30.0, 0.04]
    for b in np.geomspace(1e-4, 1e4, 97):
        assert nice_floor(b) <= b * (1 + 1e-9) and nice_ceil(b) >= b * (1 - 1e-9)
    assert nice_ceil(0.0) == nice_ceil(float("nan")) == 1.0


def test_a_zero_vector_is_a_subject_unless_the_scene_says_it_is_zero():
    from jacviz.kit.layout import roles

    v = PlaneView([0, 0], [1, 1], width=4, height=4)
    assert roles.role_of(v.arrow([0.5, 0.5], [0.0, 0.0])) == "subject"  # the check flags it
    assert roles.role_of(v.arrow([0.5, 0.5], [0.0, 0.0], zero_ok=True)) == "decoration"
    assert roles.role_of(v.arrow([0.5, 0.5], [1e-9, 0.0], zero_ok=True)) == "subject"


def test_contour_labels_keep_off_arrows_and_each_other():
    """Issue 21: labels of contours that crowd together never overlap (one with no free
    place goes without), and none comes within 5 px of a point to keep off."""
    v = PlaneView([-2, -2], [2, 2], width=6, height=5, pad=0)
    y = np.linspace(-2, 2, 100)
    lines = [[np.stack([np.full_like(y, x), y], axis=1)] for x in (0.0, 0.001, 0.002, 0.003)]
    normals = [[np.tile([1.0, 0.0], (100, 1))] for _ in lines]
    labels = [style.math(s, font_size=style.TINY) for s in ("-2000", "500", "3500", "7000")]
    arrow = np.stack([np.linspace(0, 1.5, 30), np.zeros(30)], axis=1)
    placed = v.label_lines(labels, lines, normals, keep_off=[arrow])
    assert 1 <= len(placed) <= 4 and not layout.check([placed])
    pts = v(arrow)[:, :2]
    for group in placed:
        lab = group[1]
        lo, hi = lab.get_corner([-1, -1, 0])[:2], lab.get_corner([1, 1, 0])[:2]
        assert not np.any(np.all((pts >= lo - 0.08) & (pts <= hi + 0.08), axis=1))


def test_right_angle_only_when_perpendicular():
    v = PlaneView([0, 0], [1, 1], width=4, height=4)
    assert len(v.right_angle([0.5, 0.5], [1, 0], [0, 2]).points) > 0
    assert len(v.right_angle([0.5, 0.5], [1, 0], [1, 2]).points) == 0


def test_ticks_and_contour_labels_stay_inside_and_apart():
    v = PlaneView([-2, -2], [2, 2], width=6, height=5, pad=0)
    ticks, names = v.ticks(["x", "y"])
    assert len(ticks) >= 4 and not layout.check([ticks, names])
    t = np.linspace(0, 2 * np.pi, 200)
    circles = [[r * np.stack([np.cos(t), np.sin(t)], axis=1)] for r in (0.5, 1.0, 1.5)]
    labels = [style.math(s, font_size=style.TINY) for s in ("0.25", "1", "2.25")]
    placed = v.label_lines(labels, circles, [[c[0]] for c in circles])
    assert len(placed) == 3 and not layout.check([placed])


def test_stack_places_rows_top_down_and_squeezes_gaps():
    from manim import ValueTracker

    tr = ValueTracker(1.0)
    rows = [style.math("a = 1"), LiveReadout(["b = ", (lambda: tr.get_value(), style.POINT)]),
            style.math("c")]
    stack(rows, [0.0, 0.5, 0.5], left=1.0, top=2.0, bottom=-3.0)
    assert rows[0].get_top()[1] == pytest.approx(2.0)
    assert all(r.get_left()[0] == pytest.approx(1.0) for r in rows)
    assert rows[1].get_top()[1] == pytest.approx(rows[0].get_bottom()[1] - 0.5)
    tight = [style.math("x") for _ in range(4)]
    h = sum(r.height for r in tight)
    stack(tight, [0.0, 1.0, 1.0, 1.0], left=0.0, top=1.0, bottom=1.0 - h - 1.5)
    assert tight[-1].get_bottom()[1] == pytest.approx(1.0 - h - 1.5)
    tr.set_value(2.5)
    LiveReadout.refresh_all(*rows)
    assert not layout.check(rows)


def test_retrace_moves_a_grid_onto_new_lines_as_grid_draws_them():
    a = PlaneView((-1, -1), (1, 1), center=(0, 0, 0), width=4, height=3)
    b = PlaneView((-3, 0), (2, 4), center=(1, -0.5, 0), width=3, height=2)
    t = np.linspace(0, 1, 9)
    lines = np.stack([np.stack([t, t ** 2 + k], axis=-1) for k in range(4)])
    moved = np.stack([np.stack([np.sin(3 * t) - k, t], axis=-1) for k in range(4)])
    grid = a.grid(lines, style.INK, 2.0)
    before = [m.points.copy() for m in grid]
    assert b.retrace(grid, moved) is grid
    fresh = b.grid(moved, style.INK, 2.0)
    for line, want, old in zip(grid, fresh, before):
        np.testing.assert_array_equal(line.points, want.points)  # as drawn afresh, bit for bit
        assert not np.array_equal(line.points, old)
    with pytest.raises(ValueError, match="3 lines for a grid of 4"):
        b.retrace(grid, moved[:3])

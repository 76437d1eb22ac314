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

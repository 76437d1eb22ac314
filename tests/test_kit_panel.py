"""The panel kit's additions: panels of a chain in one or two rows, map links, one scale
for several panels, magnified curves, labels placed in turn, bands of rows, grids."""

import inspect
import re
import textwrap

import numpy as np
import pytest

from jacviz.kit import SpacePanel, layout, style
from jacviz.kit.panel import Bands, fit_grid, map_links, panel_grid


def run_example(obj, tmp_path):
    """Render the example in obj's docstring (the class whose name ends in Example)."""
    from manim import tempconfig

    code = textwrap.dedent(re.search(r"\.\. code-block:: python\n\n(.*)", inspect.getdoc(obj),
                                     re.S).group(1))
    namespace = {}
    exec("from manim import *\nfrom jacviz.kit import *\nfrom jacviz.kit.panel import *", namespace)
    exec(code, namespace)
    name = re.search(r"class (\w+Example)\(", code).group(1)
    opts = {"pixel_width": 427, "pixel_height": 240, "media_dir": str(tmp_path), "frame_rate": 5,
            "write_to_movie": False, "disable_caching": True, "verbosity": "WARNING",
            "progress_bar": "none"}
    with tempconfig(opts):
        scene = namespace[name](skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        return np.array(scene.renderer.get_frame()), layout.check(scene.mobjects)


@pytest.mark.parametrize("obj", [panel_grid, Bands], ids=lambda o: o.__name__)
def test_docstring_examples_run_and_draw(obj, tmp_path):
    frame, problems = run_example(obj, tmp_path)
    assert (frame[..., :3].max(axis=-1) > 60).sum() > 30, "nothing drawn"
    assert not problems, [str(p) for p in problems]


@pytest.mark.parametrize("count", range(3, 8))
def test_panel_grid_one_row_when_wide_enough_else_two(count):
    grid = panel_grid(count, 2.95, (-0.25, -2.15))
    assert sum(len(r) for r in grid.rows) == count
    assert grid.wrapped == (count > 4)
    if grid.wrapped:
        assert len(grid.rows[0]) >= len(grid.rows[1])
    assert grid.width >= 2.6 and grid.height > 1.2
    half_w = style.safe_width() / 2
    boxes = []
    for k, c in enumerate(grid.centers):
        x0, x1 = c[0] - grid.width / 2, c[0] + grid.width / 2
        top, bottom = c[1] + grid.height / 2 + grid.head, c[1] - grid.height / 2 - grid.foot
        assert -half_w - 1e-9 <= x0 and x1 <= half_w + 1e-9
        assert top <= 2.95 + 1e-9 and bottom >= (-2.15 if grid.wrapped else -0.25) - 1e-9
        boxes.append((x0, x1, bottom, top))
    for i in range(count):  # slots (with their title and foot) never overlap
        for j in range(i + 1, count):
            a, b = boxes[i], boxes[j]
            e = 1e-9
            assert a[1] <= b[0] + e or b[1] <= a[0] + e or a[3] <= b[2] + e or b[3] <= a[2] + e


def test_map_links_continue_across_the_row_break():
    grid = panel_grid(5, 2.95, -2.15)
    panels = [SpacePanel(1, ["a"], [0.0], width=grid.width, height=grid.height, center=c)
              for c in grid.centers]
    links = map_links(panels, ["f_1", "f_2", "f_3", "f_4"], grid)
    assert [len(link) for link in links] == [2, 2, 4, 2]  # arrow + label; two at the break
    out, into = links[2][0], links[2][2]
    assert out.get_start()[0] > panels[2].box.get_right()[0]
    assert into.get_end()[0] < panels[3].box.get_left()[0]
    assert not layout.check([*panels, links])


def test_common_scale_keeps_vectors_and_curves_inside():
    a = SpacePanel(2, ["a", "b"], [0.0, 0.0], width=4, height=3)
    b = SpacePanel(1, ["c"], [2.0], width=4, height=3)
    offsets = [np.array([[0.3, 0.1], [0.2, -0.4]]), np.array([[0.5], [np.nan]])]
    M = SpacePanel.common_scale([a, b], offsets, fill=0.85)
    assert M in {m * 10 ** k for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8) for k in range(-2, 3)}
    for p, off in zip((a, b), offsets):
        assert p.max_scale(off) * 0.85 >= M
    assert SpacePanel.common_scale([a], [np.zeros((1, 2))]) == 1.0  # nothing bounds it


def test_curve_is_magnified_about_the_point_and_skips_non_finite_points():
    p = SpacePanel(3, ["a", "b", "c"], [1.0, 1.0, 5.0], width=4, height=3)
    pts = np.array([[1.0, 1.0, 5.0], [np.inf, 0, 0], [1.1, 1.2, 9.0]])
    cur = p.curve(pts, scale=2.0)
    assert np.allclose(cur.get_end(), p.to_screen([1.2, 1.4]))
    assert np.allclose(cur.get_start(), p.to_screen([1.0, 1.0]))


def test_space_panel_transforms_as_a_whole():
    from manim import FadeIn

    p = SpacePanel(2, ["a", "b"], [1.0, 2.0], width=3, height=2)
    assert p.space_dim == 2 and p.dim == 3  # Mobject.dim stays the ambient dimension
    p.copy().scale(0.5)
    FadeIn(p, scale=0.5).begin()


def test_place_labels_in_turn_do_not_cover_each_other():
    from manim import MathTex

    p = SpacePanel(2, ["a", "b"], [0.0, 0.0], width=4, height=3)
    ends = [p.arrow_ends([0.5, 0.0], 1.0), p.arrow_ends([0.5, 0.05], 1.0, "backward")]
    labels = p.place_labels([MathTex("du"), MathTex(r"\mathrm{grad}_u")], ends,
                            [p.axes, p.tick_labels])
    assert not layout.check(labels)


@pytest.mark.parametrize("length", [0.0, 0.02, 0.3], ids=["zero", "very-short", "short"])
def test_a_short_arrows_label_keeps_off_the_points_label(length):
    """A zero or very short arrow's tip is on its point, beside the point's label (issue 22:
    local-linearity's h J e1 on F(x0)).  Text counts by its box: the wide gap of the point's
    label holds no outline point, yet a label there would overlap it."""
    from manim import RIGHT, UP, MathTex, Rectangle

    from jacviz.kit import place_label

    box = Rectangle(width=4, height=3)
    point = np.array([0.0, 0.0, 0.0])
    other = MathTex(r"F(x_0)\qquad\qquad\qquad\quad y").move_to(point + 0.15 * UP)
    for direction in (UP, RIGHT):
        lab = place_label(MathTex(r"h\,J e_1"), point, point + length * direction, [other], box)
        assert not layout.check([other, lab]), (direction, lab.get_center())
        assert box.get_left()[0] < lab.get_left()[0] and lab.get_right()[0] < box.get_right()[0]


def test_bands_keep_the_last_two_steps_in_order():
    from manim import MathTex, Rectangle

    bands = Bands(top=0.0, bottom=-3.3, need=1.1)
    assert bands.count == 3 and len(bands.y) == 3
    rows = [MathTex(f"d_{k}") for k in range(4)]
    for k, row in enumerate(rows):
        bands.step(0, row, k, "forward")
    held = [m for _, m in bands.held[0][1]]
    assert held == rows[2:] and rows[3].get_x() > 0  # the newest on the right
    wide = Rectangle(width=12, height=0.5)  # too wide for half the band: alone, centred
    bands.step(0, wide, 4, "forward")
    assert [m for _, m in bands.held[0][1]] == [wide] and abs(wide.get_x()) < 1e-9
    anims = bands.put(0, MathTex("x"), "duality")  # another key: what was there fades
    assert len(anims) == 2 and bands.held[0][0] == "duality"


def test_fit_grid_picks_the_columns_that_shrink_least():
    from manim import Rectangle

    items = [Rectangle(width=5, height=0.5) for _ in range(4)]
    group, scale = fit_grid(items, 0.0, -1.4)
    assert scale == pytest.approx(1.0) and len(group) == 4
    assert items[0].get_y() == pytest.approx(items[1].get_y())  # two columns
    assert not layout.check(group)


def test_sample_points_with_a_step_count_a_line_for_its_length():
    from manim import Line

    from jacviz.kit.panel import sample_points

    line = Line([-2, 0, 0], [2, 0, 0])
    few, many = sample_points([line]), sample_points([line], 0.03)
    assert len(few) < 20  # its own points and three between each two
    xs = np.sort(many[:, 0])
    assert xs[0] == pytest.approx(-2) and xs[-1] == pytest.approx(2)
    assert np.diff(xs).max() <= 0.03 + 1e-9  # nowhere a gap a label could hide in
    assert np.allclose(many[:, 1], 0)

"""The kit: every component's docstring example runs, and the components behave."""

import inspect
import re
import textwrap

import numpy as np
import pytest

import jacviz.kit as kit
from jacviz.kit import layout

COMPONENTS = [kit.ColoredTex, kit.JacobianMatrix, kit.MatrixBlock, kit.SpacePanel, kit.ChainStrip,
              kit.ComputationGraph, kit.LiveReadout, kit.PlaneView, kit.EllipseView]


def example_of(cls) -> str:
    doc = inspect.getdoc(cls)
    m = re.search(r"\.\. code-block:: python\n\n(.*)", doc, re.S)
    assert m, f"{cls.__name__} has no runnable example in its docstring"
    return textwrap.dedent(m.group(1))


def run_example(cls, tmp_path):
    from manim import tempconfig

    namespace = {}
    exec("from manim import *\nfrom jacviz.kit import *\nfrom jacviz import *", namespace)
    exec(example_of(cls), namespace)
    scene_cls = namespace[f"{cls.__name__}Example"]
    opts = {"pixel_width": 427, "pixel_height": 240, "media_dir": str(tmp_path), "frame_rate": 5,
            "write_to_movie": False, "disable_caching": True, "verbosity": "WARNING",
            "progress_bar": "none"}
    with tempconfig(opts):
        scene = scene_cls(skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame())
        problems = layout.check(scene.mobjects)
    return scene, frame, problems


@pytest.mark.parametrize("cls", COMPONENTS, ids=lambda c: c.__name__)
def test_docstring_example_runs_and_draws(cls, tmp_path):
    scene, frame, problems = run_example(cls, tmp_path)
    assert (frame[..., :3].max(axis=-1) > 60).sum() > 30, "nothing drawn"
    assert not problems, [str(p) for p in problems]


def test_jacobian_matrix_parts_and_widths():
    J = kit.JacobianMatrix([["2x", "-1"], ["y", "x"]], row_labels=["F_1", "F_2"],
                           col_labels=["x", "y"])
    assert J.shape == (2, 2)
    assert J.entry(1, 0) is J.row(1)[0] is J.column(0)[1]
    # each column as wide as its widest entry; entries centred in their column
    assert abs(J.entry(0, 0).get_center()[0] - J.entry(1, 0).get_center()[0]) < 1e-6
    assert J.entry(0, 1).get_left()[0] > J.entry(0, 0).get_right()[0]
    assert J.row_label_group[0].get_right()[0] < J.brackets[0].get_left()[0]
    assert J.col_label_group[1].get_bottom()[1] > J.entries.get_top()[1]
    box = J.highlight_entry(0, 1)
    assert getattr(box, "jacviz_overlay", False)
    assert not layout.check([J, box])
    scalar = kit.JacobianMatrix.numeric([[3.0]])
    assert scalar.is_scalar and len(scalar.brackets) == 0


def test_matrix_or_block_switches_above_four():
    assert isinstance(kit.matrix_or_block(np.ones((3, 4))), kit.JacobianMatrix)
    block = kit.matrix_or_block(np.ones((3, 5)), label="Df")
    assert isinstance(block, kit.MatrixBlock) and block.shape == (3, 5)


def test_space_panel_maps_data_to_screen_and_covers_points():
    p = kit.SpacePanel(2, ["u_1", "u_2"], [3.0, 0.0], width=4, height=3, cover=[[6.0, 2.5]])
    a, b = p.to_screen([3.0, 0.0]), p.to_screen([4.0, 0.0])
    c = p.to_screen([3.0, 1.0])
    assert abs(np.linalg.norm(b - a) - np.linalg.norm(c - a)) < 1e-9  # equal units
    assert p.lo[0] <= 2.0 and p.hi[0] >= 6.0 and p.hi[1] >= 2.5  # point +- 1 and the cover
    pts = p.to_screen(np.array([[3.0, 0.0], [4.0, 0.0]]))
    assert pts.shape == (2, 3) and np.allclose(pts[1], b)
    assert p.max_scale([[1.0, 0.0]]) == pytest.approx(p.hi[0] - 3.0)
    line = kit.SpacePanel(1, ["y"], [0.3], width=3, height=2)
    s, e = line.arrow_ends([0.1], 2.0, "forward")
    s2, _ = line.arrow_ends([0.1], 2.0, "backward")
    assert s[1] > s2[1]  # forward above the number line, backward below
    three = kit.SpacePanel(3, ["a", "b", "c"], [1.0, 2.0, 3.0], width=3, height=3, drawn=(0, 2))
    assert np.allclose(three.to_screen([1.0, 2.0, 3.0]), three.to_screen([1.0, 3.0]))


def test_layout_check_finds_overlaps_and_off_frame():
    from manim import LEFT, MathTex, Square

    a = MathTex("x + y")
    b = MathTex("x + y").shift(0.05 * LEFT)
    off = Square(1).shift(8 * LEFT)
    problems = layout.check([a, b, off], beat="b1")
    kinds = sorted(p.kind for p in problems)
    assert kinds == ["off-frame", "overlap"], problems
    assert all(p.beat == "b1" for p in problems)
    assert not layout.check([a, kit.overlay(b)])


def test_live_readout_numbers_sit_where_a_decimal_number_would_and_copy_nothing(monkeypatch):
    """A live number is drawn on the same outlines every frame, given the points its glyphs
    have in a DecimalNumber placed as before: the same picture, no mobject copied."""
    import numpy as np
    from manim import Mobject

    from jacviz.kit import style
    from jacviz.kit.readout import LiveReadout, live_number

    v = [2.36]
    r = LiveReadout([r"t = ", (lambda: v[0], style.POINT), r",\ z = ", (lambda: -3 * v[0], style.INK)])
    copies = [0]
    real_copy = Mobject.copy

    def counted(self, *a, **k):
        copies[0] += 1
        return real_copy(self, *a, **k)

    monkeypatch.setattr(Mobject, "copy", counted)
    for value in (-12.345, 0.5, 21234.5, -0.00123, 7, -3, 0.707):
        v[0] = value
        r.refresh()
        for slot, shown, color in ((r.submobjects[1], value, style.POINT),
                                   (r.submobjects[3], -3 * value, style.INK)):
            ref = live_number(shown, r.font_size_, color)
            ref.shift(slot.get_corner([-1, -1, 0]) - ref.get_corner([-1, -1, 0]))
            mine = [m for m in slot.family_members_with_points()]
            theirs = ref.family_members_with_points()
            assert len(mine) == len(theirs), (value, slot.text)
            for a, b in zip(mine, theirs):
                assert np.allclose(a.points, b.points, atol=1e-9), (value, slot.text)
                assert a.get_fill_color() == b.get_fill_color()
    copies[0] = 0
    for value in (1.25, -0.5, 1.25, 999.7):  # glyphs seen before: nothing made or copied
        v[0] = value
        r.refresh()
    assert copies[0] == 0
    assert r.submobjects[1].text == "1000"


def test_live_readout_does_no_work_while_its_numbers_and_place_stay():
    """The updater runs every frame; a refresh whose numbers would read the same, on a line
    that did not move or fade, lays nothing out.  A new number, a move or a fade does."""
    import numpy as np
    from manim import DOWN, RIGHT, VMobject

    from jacviz.kit import style
    from jacviz.kit.readout import LiveReadout

    v = [2.36]
    r = LiveReadout([r"t = ", (lambda: v[0], style.POINT), r",\ z = ", (lambda: -3 * v[0], style.INK)])
    moves = [0]
    real_move_to = VMobject.move_to

    def counted(self, *a, **k):
        moves[0] += 1
        return real_move_to(self, *a, **k)

    VMobject.move_to = counted
    try:
        start, done = r.refreshes, moves[0]
        for value in (2.36, 2.3601, 2.36, 2.3599):  # each reads 2.36
            v[0] = value
            r.refresh()
        assert r.refreshes == start and moves[0] == done
        assert r.submobjects[1].get_value() == 2.3599  # the value itself is kept up to date
        v[0] = 5.5
        r.refresh()
        assert r.refreshes == start + 1 and moves[0] == done + 1  # the one static part after
        assert r.submobjects[1].text == "5.5" and r.submobjects[3].text == "-16.5"
        before = [m.points.copy() for m in r.family_members_with_points()]
        r.shift(RIGHT + DOWN * 0.5)  # a move: laid out again, the numbers move with the line
        r.refresh()
        assert r.refreshes == start + 2
        after = [m.points for m in r.family_members_with_points()]
        assert len(before) == len(after)
        assert all(np.allclose(b + [1.0, -0.5, 0.0], a, atol=1e-9) for b, a in zip(before, after))
        r.refresh()
        assert r.refreshes == start + 2
        r.submobjects[0].set_opacity(0.5)  # a fade of the line: the numbers follow it
        r.refresh()
        assert r.refreshes == start + 3
        assert r.submobjects[1].family_members_with_points()[0].get_fill_opacity() == 0.5
    finally:
        VMobject.move_to = real_move_to

"""The rules of the layout check on small made-up frames: each at its threshold, on both sides.

The scenes' own runs are in tests/test_layout.py; here every rule of
jacviz/kit/layout/ meets a frame built to sit just inside and just outside it.
"""

import numpy as np
import pytest
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Dot, FadeIn, FadeOut, MathTex, Text, Transform,
                   VGroup)

from jacviz.kit import JacvizScene, SceneParams, SpacePanel, style
from jacviz.kit import layout
from jacviz.kit.layout import roles
from jacviz.kit.layout.names import definitions
from jacviz.kit.layout.reading import LINE_UNITS_PER_POINT
from jacviz.studio.dry_run import keyframes

PX = 60  # pixels per frame unit at 854x480 (the frame is 8 units high)


@pytest.fixture(autouse=True)
def locked_tex_cache():
    from jacviz.engine.tex_cache import share_tex_cache

    share_tex_cache()


def kinds(problems):
    return [p.kind for p in problems]


def font_for(px, kind="tex"):
    """The font size whose line ("Xy") is ``px`` pixels high."""
    return px / (LINE_UNITS_PER_POINT[kind] * PX)


# -- text height -------------------------------------------------------------------------
def test_line_height_constants_are_what_manim_draws():
    assert MathTex("Xy", font_size=24).height * PX == pytest.approx(13.27, abs=0.01)
    assert Text("Xy", font_size=24).height * PX == pytest.approx(19.03, abs=0.05)
    for size in (17, 24, 40):  # linear in the size, and it follows scaling
        t = MathTex("Xy", font_size=size)
        assert layout.line_height_px(t) == pytest.approx(t.height * PX, rel=1e-6)
        t.scale(0.5)
        assert layout.line_height_px(t) == pytest.approx(t.height * PX, rel=1e-6)


def test_content_text_height_threshold():
    ok = MathTex("a = 1", font_size=font_for(12.05))
    low = MathTex("a = 1", font_size=font_for(11.95))
    assert layout.text_height([ok]) == []
    (p,) = layout.text_height([low], beat="b")
    assert (p.beat, p.kind) == ("b", "text-height") and "11.9 px" in p.what and "12 px" in p.what
    # shrinking a group shrinks its texts: TINY (24) at 0.85 is 11.3 px
    group = VGroup(MathTex("x", font_size=style.TINY), MathTex("y", font_size=style.TINY))
    assert layout.text_height([group]) == []
    group.scale(0.85)
    assert kinds(layout.text_height([group])) == ["text-height"] * 2
    assert kinds(layout.text_height([Text("hi", font_size=font_for(11.9, "text"))])) == \
        ["text-height"]
    assert layout.text_height([Text("hi", font_size=font_for(12.1, "text"))]) == []


def test_tick_labels_need_9_px_and_decoration_nothing():
    assert layout.text_height([roles.tick(MathTex("5", font_size=font_for(9.05)))]) == []
    (p,) = layout.text_height([roles.tick(MathTex("5", font_size=font_for(8.95)))])
    assert "tick label" in p.what and "9 px" in p.what
    # a role marked on a group holds for the texts in it
    ticks = roles.tick(VGroup(MathTex("0", font_size=font_for(10)), MathTex("1", font_size=18)))
    assert layout.text_height([ticks]) == []
    assert layout.text_height([roles.decoration(MathTex("~", font_size=8))]) == []


def test_space_panel_marks_its_ticks_and_title():
    p = SpacePanel(2, ["u_1", "u_2"], [3, 0], width=4, height=3, title=r"u\text{-space}")
    found = {m: r for m, r, _ in layout.texts_with_roles([p])}
    assert found[p.title] == "label"
    assert sum(r == "tick" for r in found.values()) == 6  # 4 range labels, 2 axis names
    copied = p.copy()  # copies keep their roles (fast copy)
    assert sorted(r for _, r, _ in layout.texts_with_roles([copied])) == sorted(found.values())


# -- arrow length and hidden arrows ----------------------------------------------------------
def test_subject_arrow_length_threshold():
    long = style.forward_arrow(ORIGIN3, RIGHT * 20.5 / PX)
    short = style.backward_arrow(ORIGIN3, RIGHT * 19.5 / PX)
    assert layout.arrow_length([long]) == []
    (p,) = layout.arrow_length([short], beat="pull")
    assert p.kind == "arrow-length" and "19.5 px" in p.what and p.beat == "pull"
    # an arrow that is not marked as a subject may be short (a map's arrow, a highlight)
    assert layout.arrow_length([Arrow(ORIGIN3, RIGHT * 0.1, buff=0)]) == []
    # a vector of no length is drawn as a dot: 0 px, a problem
    (p,) = layout.arrow_length([style.forward_arrow(ORIGIN3, ORIGIN3)])
    assert "0.0 px" in p.what


def test_space_panel_arrows_are_subjects_and_the_map_arrow_is_not():
    panel = SpacePanel(2, ["x", "y"], [0, 0], width=4, height=3)
    assert roles.role_of(panel.arrow([1, 0], 0.01, "forward")) == "subject"
    assert roles.role_of(panel.arrow([1, 0], 0.01, "backward")) == "subject"
    assert roles.role_of(style.map_arrow(ORIGIN3, RIGHT)) != "subject"


ORIGIN3 = np.zeros(3)


def test_arrow_hidden_by_a_dot_on_top():
    arrow = style.forward_arrow(ORIGIN3, RIGHT * 0.5)  # 30 px
    big = Dot(RIGHT * 0.25, radius=0.15)  # covers 0.30 of 0.50: 60 %
    small = Dot(RIGHT * 0.25, radius=0.10)  # 40 %
    (p,) = layout.arrow_hidden([arrow, big])
    assert p.kind == "arrow-hidden" and "Dot" in p.what
    assert layout.arrow_hidden([arrow, small]) == []
    # drawn before the arrow, the same dot hides nothing; z_index decides before the order
    assert layout.arrow_hidden([big, arrow]) == []
    assert kinds(layout.arrow_hidden([Dot(RIGHT * 0.25, radius=0.15).set_z_index(2), arrow])) \
        == ["arrow-hidden"]
    # a text on top is not a cover (the overlap and contact rules see texts)
    assert layout.arrow_hidden([arrow, MathTex("W", font_size=90).move_to(RIGHT * 0.25)]) == []


# -- contact ---------------------------------------------------------------------------------
def _pair(gap_units, role=roles.LABEL):
    a = roles.mark(MathTex("a", font_size=30), role)
    b = roles.mark(MathTex("b", font_size=30), role)
    b.next_to(a, RIGHT, buff=gap_units)
    return a, b


def test_labels_keep_3_px_apart():
    assert layout.contact(list(_pair(3.2 / PX))) == []
    (p,) = layout.contact(list(_pair(2.8 / PX)))
    assert p.kind == "contact" and "2.8 px apart" in p.what
    assert kinds(layout.contact(list(_pair(2.8 / PX, roles.TICK)))) == ["contact"]
    # content texts close together (a matrix's entries) are not labels
    assert layout.contact(list(_pair(0.5 / PX, roles.CONTENT))) == []
    # overlapping labels are the overlap rule's report, not contact's
    a, b = _pair(0)
    b.move_to(a)
    assert layout.contact([a, b]) == [] and kinds(layout.check([a, b])).count("overlap") == 1


def test_labels_keep_3_px_from_arrowheads():
    arrow = Arrow(LEFT, RIGHT * 0.0, buff=0)
    tip = arrow.tip
    lab = roles.label(MathTex("dx", font_size=30))
    lab.next_to(tip, RIGHT, buff=3.3 / PX)
    assert layout.contact([arrow, lab]) == []
    lab.next_to(tip, RIGHT, buff=2.5 / PX)
    (p,) = layout.contact([arrow, lab])
    assert "arrowhead" in p.what


# -- names -----------------------------------------------------------------------------------
def test_displayed_names_are_read_from_the_tex():
    assert definitions(r"z_0\text{-space}\ \ \mathbb{R}^{2}") == [("z_0", ("space",))]
    assert definitions(r"{z}_0 = -1.59") == [("z_0", ("value", -1.59))]
    assert definitions(r"\left(x,\, y\right) = \left(1,\, 2.5\right)") == \
        [("x", ("value", 1.0)), ("y", ("value", 2.5))]
    assert definitions(r"y = F(x, y)") == [("y", ("output", "F")), ("x", ("input", "F")),
                                          ("y", ("input", "F"))]
    assert definitions(r"x_0 = 1.5\times 10^{-3},\quad \theta_{1} = 2") == \
        [("x_0", ("value", 1.5e-3)), (r"\theta_1", ("value", 2.0))]
    assert definitions(r"dz = Df(x_0)\, dx = \left(0.3,\, 0.2\right)") == []  # no name: a product


def _names(*texs):
    return layout.names([MathTex(t).shift(DOWN * k) for k, t in enumerate(texs)])


def test_names_clash_only_for_different_things():
    (p,) = _names(r"z_0\text{-space}", r"{z}_0 = -1.59")
    assert p.kind == "names" and "z_0 names a space" in p.what
    assert kinds(_names(r"y = 17.6", r"\left(x,\, y,\, z\right) = \left(1,\, 2,\, 3\right)")) == \
        ["names"]
    assert kinds(_names(r"y = F(x, y, z)")) == ["names"]  # output and input of one map
    # the same thing twice, rounded differently; an output that is also a value; a chain
    assert _names(r"y = 17.6", r"y = 17.61") == []
    assert _names(r"y = 17.6", r"y = F(x)") == []
    assert _names(r"u = g(x)", r"y = f(u)") == []
    # 1 % apart is two values
    assert kinds(_names(r"y = 1.00", r"y = 1.02")) == ["names"]
    # tick labels name nothing
    assert layout.names([roles.tick(MathTex(r"z_0\text{-space}")), MathTex(r"z_0 = 1")]) == []


# -- reading time ----------------------------------------------------------------------------
def test_words_count_prose_words_and_symbol_groups():
    assert layout.words(MathTex(r"y = 17.6")) == 2
    assert layout.words(MathTex(r"\left(x,\, y,\, z\right) = \left(1,\, 2,\, 3\right)")) == 6
    assert layout.words(MathTex(r"\text{arrows drawn: } dx \text{ at } 3\times")) == 5
    assert layout.words(Text("the true image")) == 3
    assert layout.needed_seconds(MathTex(r"a + b = c")) == pytest.approx(1.75)


class _Shown(JacvizScene):
    """Shows a text of 2 words (1.5 s needed) for ``self.hold`` seconds between its plays."""
    hold = 1.0
    hold_for_reading = False  # the check itself: the scene does not wait for the reader

    def construct(self):
        self.beat("show", "a text")
        t = MathTex("y = 2")
        self.play(FadeIn(t), run_time=0.5)
        self.wait(self.hold)
        self.beat("gone", "it goes")
        self.play(FadeOut(t), run_time=0.5)
        self.wait(0.2)


def _reading(hold):
    cls = type("Shown", (_Shown,), {"hold": hold})
    _, problems = keyframes("shown", SceneParams(), resolution=(128, 72), check_layout=True,
                            scene_cls=cls)
    return [p for p in problems if p.kind == "reading-time"]


def test_reading_time_is_measured_from_fully_shown_to_taken_away():
    (p,) = _reading(1.4)  # shown 1.4 s: the fade-in and the fade-out do not count
    assert p.beat == "show" and "1.40 s" in p.what and "1.50 s" in p.what
    assert _reading(1.6) == []


class _Stays(JacvizScene):
    hold_for_reading = False

    def construct(self):
        self.beat("only", "a text to the end")
        self.add(MathTex(r"a + b = c"))  # 1.75 s needed
        self.wait(self.hold)


def test_a_text_that_stays_is_timed_to_the_scene_end():
    for hold, count in ((1.7, 1), (1.8, 0)):
        cls = type("Stays", (_Stays,), {"hold": hold})
        _, problems = keyframes("stays", SceneParams(), resolution=(128, 72), check_layout=True,
                                scene_cls=cls)
        assert kinds(problems) == ["reading-time"] * count, problems


def _held(base, hold):
    cls = type("Held", (base,), {"hold": hold, "hold_for_reading": True})
    frames, problems = keyframes("held", SceneParams(), resolution=(128, 72), check_layout=True,
                                 scene_cls=cls)
    return problems


def test_the_scene_holds_a_text_until_it_can_be_read():
    """With the hold (every real scene), a text taken away too soon, or one left too short
    at the end, is held on screen: the check finds nothing, and the scene is longer by the
    missing time, in whole frames (5 fps here)."""
    for base, hold in ((_Shown, 1.0), (_Shown, 0.2), (_Stays, 0.4)):
        assert _held(base, hold) == []
    made = []

    class Timed(_Shown):
        hold, hold_for_reading = 1.0, True

        def tear_down(self):
            made.append(self.now)
            super().tear_down()

    keyframes("timed", SceneParams(), resolution=(128, 72), scene_cls=Timed)
    # 0.5 fade-in + 1.0 wait + a hold of 0.5 s (1.5 s needed), rounded up to 3 frames and a
    # half (a still wait holds whole frames) + 0.5 fade-out + 0.2 wait
    assert made[-1] == pytest.approx(0.5 + 1.0 + 3.5 / 5 + 0.5 + 0.2)  # [0]: the TeX dry run


def test_a_text_turned_into_other_words_is_a_new_text():
    """Transform in place into other words: the old words are held until read, and the new
    ones are timed from the end of the transform."""
    class Turned(JacvizScene):
        hold_for_reading = False

        def construct(self):
            self.beat("turn", "a text, then other words")
            t = MathTex("a = 1")
            self.play(FadeIn(t), run_time=0.5)
            self.wait(2)
            self.play(Transform(t, MathTex("b = 2")), run_time=0.5)
            self.wait(0.5)

    _, problems = keyframes("turned", SceneParams(), resolution=(128, 72), check_layout=True,
                            scene_cls=Turned)
    assert [(p.kind, "0.50 s" in p.what) for p in problems] == [("reading-time", True)]
    held = type("Held", (Turned,), {"hold_for_reading": True})
    assert keyframes("held", SceneParams(), resolution=(128, 72), check_layout=True,
                     scene_cls=held)[1] == []


class _Flash(JacvizScene):
    """A small text flashes in mid-beat and goes before the beat ends."""

    def construct(self):
        self.beat("flash", "a small text, shown and gone within the beat")
        t = MathTex("q", font_size=12)
        self.play(FadeIn(t), run_time=0.2)
        self.wait(2)
        self.play(FadeOut(t), run_time=0.2)


def test_a_text_is_checked_where_it_first_appears_not_only_at_the_beat_end():
    _, problems = keyframes("flash", SceneParams(), resolution=(128, 72), check_layout=True,
                            scene_cls=_Flash)
    assert kinds(problems) == ["text-height"] and problems[0].beat == "flash"


def test_problem_boxes_in_pixels():
    p = layout.Problem("b", "contact", "x", (-1.0, -0.5, 1.0, 0.5))
    assert p.where_px((854, 480)) == (367, 210, 487, 270)
    assert layout.Problem("b", "names", "x").where_px() is None


class _Live(JacvizScene):
    """A live readout changes for 0.5 s; a static text beside it is shown as briefly."""

    def construct(self):
        from manim import ValueTracker

        from jacviz.kit import LiveReadout

        self.beat("live", "a number that follows a tracker")
        t = ValueTracker(0.0)
        line = LiveReadout([r"t = ", (lambda: t.get_value(), style.POINT)])
        still = MathTex("s = 1").next_to(line, DOWN)
        self.add(line, still)
        self.play(t.animate.set_value(2.0), run_time=0.5)
        self.remove(line, still)
        self.wait(0.1)


def test_live_texts_are_held_to_the_height_rule_but_not_timed():
    _, problems = keyframes("live", SceneParams(), resolution=(128, 72), check_layout=True,
                            scene_cls=_Live)
    (p,) = problems  # the static text only
    assert p.kind == "reading-time" and "s = 1" in p.what
    readout = __import__("jacviz.kit", fromlist=["LiveReadout"]).LiveReadout(
        [r"t = ", (lambda: 1.0, style.POINT)], font_size=18)
    # the readout's number (its static parts are pieces of one MathTex, not texts of their own)
    assert [r for _, r, _ in layout.texts_with_roles([readout])] == ["live"]
    (p,) = layout.text_height([readout])
    assert "number 1" in p.what and "10.0 px" in p.what and "content text" in p.what


def test_prose_words_and_prose_names():
    from manim import Tex

    assert layout.words(Tex("its image under $F$")) == 4
    assert layout.words(Tex(r"where $y = 1$ and $x = 2$")) == 2 + 2 + 2
    # in prose only the mathematics names things
    assert kinds(layout.names([Tex(r"the $z_0\text{-space}$"), MathTex("z_0 = 1")])) == ["names"]
    assert layout.names([Tex(r"the z\_0 value"), MathTex("z_0 = 1")]) == []


def test_tex_commands_in_prose_are_not_words():
    from manim import Tex

    assert layout.words(Tex(r"\begin{minipage}{5cm}\raggedright Let $u = 1$ be\end{minipage}")) \
        == 1 + 2 + 1

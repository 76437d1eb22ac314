"""The copy-free fades (jacviz.engine.fastfade): the same values and pixels as manim's
FadeIn and FadeOut at every step, no copy of the faded mobject, and manim's own path where
its copies would behave differently (updaters, sheen, empty groups)."""

import numpy as np
import pytest

import jacviz.kit  # noqa: F401  (installs the fast copy and the fast fades)
from jacviz.engine import fastfade

manim = pytest.importorskip("manim")
from manim import (DOWN, LEFT, RIGHT, UP, UR, Arrow, Circle, Dot, FadeIn, FadeOut,  # noqa: E402
                   Line, Mobject, MobjectTable, Square, Triangle, VGroup, tempconfig)
from manim.camera.camera import Camera  # noqa: E402

ATTRS = ("points",) + fastfade._ATTRS
ALPHAS = (0.0, 0.1, 0.37, 0.5, 0.83, 1.0)


def shapes():
    sq = Square(side_length=1.3, color="#e05050").set_fill("#3050d0", 0.4).shift(LEFT * 2 + UP * 0.3)
    ring = Circle(radius=0.7, stroke_width=6).set_stroke("#f0d020", opacity=0.8)
    ring.move_to([1.2, -0.4, 0])
    line = Line([-3, -2, 0], [3, 1.7, 0], stroke_width=3)
    inner = VGroup(Dot([0.1, 0.2, 0]), Arrow(LEFT, RIGHT)).set_color("#40c040")
    return VGroup(sq, ring, line, inner)


def table():
    return MobjectTable([[Square(0.3), Circle(0.2)], [Dot(), Triangle().scale(0.2)]]) \
        .scale(0.5).to_corner(UR)


CASES = {
    "fade-in": (FadeIn, shapes, {}),
    "fade-out": (FadeOut, shapes, {}),
    "fade-in-shift": (FadeIn, shapes, {"shift": UP * 0.7}),
    "fade-out-shift-list": (FadeOut, shapes, {"shift": [0.5, -0.2, 0.0]}),  # a list (manim's
    # FadeIn cannot take one: it negates the shift)
    "fade-out-shift-scale": (FadeOut, shapes, {"shift": DOWN, "scale": 0.5}),
    "fade-in-scale": (FadeIn, shapes, {"scale": 1.5}),
    "fade-in-from-point": (FadeIn, shapes, {"target_position": np.array([2.0, 1.0, 0.0])}),
    "fade-out-table": (FadeOut, table, {}),
    "fade-in-two": (FadeIn, lambda: (shapes(), table()), {}),
}


def values(mob):
    out = []
    for m in mob.family_members_with_points():
        for a in ATTRS:
            v = getattr(m, a)
            out.append(np.asarray(v).tobytes() + str(np.asarray(v).dtype).encode())
    return out


def play_steps(make_anim, build, kwargs):
    """Begin the animation, step through ALPHAS, finish: (values, pixels) at every step."""
    built = build()
    mobs = built if isinstance(built, tuple) else (built,)
    anim = make_anim(*mobs, **kwargs)
    steps = []
    with tempconfig({"pixel_width": 192, "pixel_height": 108}):
        camera = Camera()
        anim.begin()
        for alpha in ALPHAS:
            anim.interpolate(alpha)
            camera.reset()
            camera.capture_mobjects([anim.mobject])
            steps.append((values(anim.mobject), camera.pixel_array.copy()))
        anim.finish()
        anim.interpolate(0)  # what FadeOut does when it leaves the scene
        steps.append((values(anim.mobject), None))
    return steps


@pytest.fixture
def manim_fades():
    """Run the body with manim's own fades, then put the fast ones back."""
    fastfade.uninstall()
    try:
        yield
    finally:
        fastfade.install()


def run_both(case):
    fastfade.uninstall()
    try:
        theirs = play_steps(*CASES[case])
    finally:
        fastfade.install()
    before = dict(fastfade.counts)
    ours = play_steps(*CASES[case])
    return theirs, ours, fastfade.counts["fast"] - before["fast"]


@pytest.mark.parametrize("case", CASES)
def test_fast_fade_draws_what_manim_draws(case):
    theirs, ours, fast = run_both(case)
    assert fast == 1, "the fade was left to manim"
    assert len(theirs) == len(ours) == len(ALPHAS) + 1
    for k, ((v1, p1), (v2, p2)) in enumerate(zip(theirs, ours)):
        assert len(v1) == len(v2) > 0
        assert v1 == v2, f"values differ at step {k}"
        if p1 is not None:
            assert np.array_equal(p1, p2), f"pixels differ at step {k}"
            assert p1[..., 3].max() > 0 or k == 0 and CASES[case][0] is FadeIn


def count_copies(monkeypatch, anim):
    calls = []
    copy = Mobject.copy

    def counted(self):
        calls.append(type(self).__name__)
        return copy(self)

    monkeypatch.setattr(Mobject, "copy", counted)
    anim.begin()
    anim.interpolate(0.5)
    anim.finish()
    return len(calls)


def test_fast_fades_copy_nothing(monkeypatch):
    assert count_copies(monkeypatch, FadeOut(shapes())) == 0
    assert count_copies(monkeypatch, FadeIn(shapes(), shift=UP)) == 0


def test_manim_fades_copy_three_and_two_times(monkeypatch, manim_fades):
    assert count_copies(monkeypatch, FadeOut(shapes())) == 3
    assert count_copies(monkeypatch, FadeIn(shapes())) == 2


def left_to_manim(mob) -> bool:
    before = dict(fastfade.counts)
    anim = FadeOut(mob)
    anim.begin()
    anim.interpolate(0.5)
    return fastfade.counts["manim"] == before["manim"] + 1 and \
        fastfade.counts["fast"] == before["fast"]


def test_fades_manim_copies_differently_are_left_to_it():
    follows = shapes()
    follows[1].add_updater(lambda m, dt: m.shift(RIGHT * dt))  # manim updates its copies too
    assert left_to_manim(follows)
    shiny = shapes()
    shiny[0].set_sheen(0.3)
    assert left_to_manim(shiny)
    assert left_to_manim(VGroup())
    assert not left_to_manim(shapes())

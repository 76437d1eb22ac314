"""manim's family and subpath walks done in one pass (jacviz.engine.fastfamily): the same
lists as manim's own, member for member and piece for piece, on shared members, deep and
wide groups, a class with its own get_family, and paths with gaps, repeats and non-finite
points."""

import itertools as it

import numpy as np
import pytest

import jacviz.kit  # noqa: F401  (installs the walks)
from jacviz.engine import fastfamily

manim = pytest.importorskip("manim")
from manim import (Circle, Dot, Group, MathTex, Mobject, Square, VGroup,  # noqa: E402
                   VMobject)
from manim.utils.iterables import remove_list_redundancies  # noqa: E402


def manims_family(m):
    """manim's Mobject.get_family, as 0.21 has it (recursive, repeats removed per level); a
    class with its own get_family answers for itself."""
    if type(m).get_family is not fastfamily.get_family:
        return m.get_family()
    subs = [manims_family(x) for x in m.submobjects]
    return remove_list_redundancies([m] + list(it.chain(*subs)))


def manims_subpaths(vm, points):
    """manim's VMobject.get_subpaths_from_points (one np.allclose per pair of anchors)."""
    return list(vm._gen_subpaths_from_points(
        points, lambda n: not vm.consider_points_equals(points[n - 1], points[n])))


def test_installed():
    assert Mobject.get_family is fastfamily.get_family
    assert VMobject.get_subpaths_from_points is fastfamily.get_subpaths_from_points
    assert VMobject.get_points_defining_boundary is fastfamily.get_points_defining_boundary


def deep(depth, width, shared=None):
    if depth == 0:
        return Dot() if shared is None else VGroup(Dot(), shared)
    return VGroup(*(deep(depth - 1, width, shared) for _ in range(width)))


class OwnFamily(VGroup):
    """A class that lists its family its own way: only itself and its first member."""

    def get_family(self, recurse=True):
        return [self, *self.submobjects[:1]]


def families():
    a, b, c = Square(), Circle(), Dot()
    shared = Dot()
    looped = VGroup(a, VGroup(b, a), c, VGroup(c, VGroup(a)))  # one mobject in several places
    own = OwnFamily(VGroup(Dot(), Dot()), Square())
    return {
        "leaf": Dot(),
        "empty group": VGroup(),
        "flat": VGroup(*(Dot() for _ in range(7))),
        "deep": deep(4, 3),
        "deep, one member everywhere": deep(3, 3, shared),
        "repeats": looped,
        "a group in two places": Group(looped, VGroup(looped)),
        "own get_family": VGroup(Dot(), own, VGroup(own, Square())),
        "tex": MathTex(r"\frac{\partial f}{\partial x}", "=", r"\begin{bmatrix}1&2\\3&4\end{bmatrix}"),
    }


@pytest.mark.parametrize("name", list(families()))
def test_family_as_manims(name):
    m = families()[name]
    for member in [m, *manims_family(m)]:
        got, want = member.get_family(), manims_family(member)
        assert [id(x) for x in got] == [id(x) for x in want], name
        assert [id(x) for x in member.family_members_with_points()] == \
            [id(x) for x in want if x.has_points()]


def test_family_repeats_keep_the_last_place():
    a, b = Dot(), Dot()
    g = VGroup(a, VGroup(b, a), b)
    assert g.get_family() == [g, g.submobjects[1], a, b]  # a's last place is inside the group


def paths():
    rng = np.random.default_rng(7)
    square = Square().points
    gap = np.vstack([square, square + 3.0])  # two subpaths
    closed_twice = np.vstack([square, square])  # the second starts where the first ended
    near = square.copy()
    near[4] = near[3] + 0.5e-6  # within tolerance_for_point_equality (1e-6 absolute)
    far = square.copy()
    far[4] = near[3] + 1e-3
    nans = gap.copy()
    nans[8] = np.nan
    infs = gap.copy()
    infs[7] = infs[8] = np.inf  # equal infinities are equal, as in np.isclose
    ragged = np.vstack([square, rng.normal(size=(3, 3))])  # a piece shorter than one curve
    return {"square": square, "gap": gap, "closed twice": closed_twice, "near": near, "far": far,
            "nan": nans, "inf": infs, "ragged": ragged, "one curve": square[:4],
            "less than a curve": square[:3], "none": np.zeros((0, 3)),
            "random": rng.normal(size=(40, 3)).round(1),
            "glyphs": MathTex("x^2 + 0.5").family_members_with_points()[1].points}


@pytest.mark.parametrize("name", list(paths()))
def test_subpaths_as_manims(name):
    points = paths()[name]
    vm = VMobject()
    got, want = vm.get_subpaths_from_points(points), manims_subpaths(vm, points)
    assert len(got) == len(want), name
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
        assert np.shares_memory(g, points) or len(g) == 0  # views, as manim's


def manims_boundary(vm):
    """manim's VMobject.get_points_defining_boundary (each member's anchors, row by row)."""
    return np.array(tuple(it.chain(*(sm.get_anchors() for sm in vm.get_family()))))


def boundaries():
    from manim import Arrow, Axes, Line, NumberPlane

    one_point = VMobject()
    one_point.points = np.array([[0.5, -0.25, 0.0]])
    return {**{k: v for k, v in families().items() if isinstance(v, VMobject)},
            "arrow": Arrow([-1, 0, 0], [2, 1, 0]), "axes": Axes(x_range=[-2, 3], y_range=[-1, 1]),
            "plane": NumberPlane(x_range=[-1, 1], y_range=[-1, 1]), "line": Line(),
            "one point": one_point, "no points": VMobject(),
            "one point in a group": VGroup(VMobject(), one_point, Dot())}


@pytest.mark.parametrize("name", list(boundaries()))
def test_boundary_as_manims(name):
    vm = boundaries()[name]
    got, want = vm.get_points_defining_boundary(), manims_boundary(vm)
    assert got.shape == want.shape and got.dtype == want.dtype, name
    np.testing.assert_array_equal(got, want)
    assert not any(np.shares_memory(got, m.points) for m in vm.get_family())  # a copy


def test_boundary_of_a_cut_curve_raises_as_manims():
    vm = VMobject()
    vm.points = Square().points[:6]  # one curve and half of the next
    with pytest.raises(ValueError):
        manims_boundary(vm)
    with pytest.raises(ValueError):
        vm.get_points_defining_boundary()


def test_fades_stay_copy_free_beside_the_walks():
    """The fades' check of a mobject's class accepts the fast boundary walk: in a fresh
    process that imports the kit (which installs both), a fade takes the copy-free path.
    (It once named only manim's walk, captured before fastfamily replaced it: every fade
    went back to manim's copies, and copy_share tripled.)"""
    import subprocess
    import sys

    code = ("import jacviz.kit\n"
            "from manim import UP, FadeIn, FadeOut, MathTex, Square, VGroup\n"
            "from jacviz.engine import fastfade\n"
            "for a in (FadeOut(VGroup(Square())), FadeIn(MathTex('x^2'), shift=UP)):\n"
            "    a.begin()\n"
            "print(fastfade.counts['fast'], fastfade.counts['manim'])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["2", "0"], out.stdout

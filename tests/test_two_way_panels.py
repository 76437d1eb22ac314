"""Issue 21 for two-way: every space legible for any chain.

Each panel draws its point's neighbourhood with its own scales (one for the pushed-forward
arrow and its true image, one for the pulled-back gradient), chosen by the kit
(`SpacePanel.own_scale`) so both arrows are at least 20 px long at 854x480 and stay in the
panel, and shown in the panel; a 3-D space is projected on the two coordinates that keep
most of both arrows (`projection_pair`) and its title says so; the point's dot is drawn
under the arrows; no two things on screen share a name."""

import numpy as np
import pytest

from jacviz.core.maps import Chain
from jacviz.kit import SpacePanel
from jacviz.kit.layout.base import px, text_of, texts
from jacviz.kit.layout.names import name_key
from jacviz.kit.panel import _enters, projection_pair, two_digits
from jacviz.studio.dry_run import keyframes
from jacviz.studio.request import resolve_params
from jacviz.studio.script import narrate
from jacviz.scenes.two_way import space_names, tex_scale

# the chain of five maps mixing dimensions, 2 -> 3 -> 2 -> 3 -> 1 -> 2, with an
# input whose coordinates (x, y) share no stem, a space of stem z, and the default output y
FIVE = {"maps": "(x, y) -> (x*y, x + y, x - y); (z1, z2, z3) -> (z1 + z2*z3, sin(z3)); "
                "(u1, u2) -> (u1*u2, u1 - u2, u2^2); (v1, v2, v3) -> v1 + v2*v3; "
                "(t) -> (cos(t), t^2)",
        "point": "1,0.5"}
SIZE = (256, 144)


def length_px(arrow) -> float:
    return px(np.linalg.norm(np.asarray(arrow.get_end()) - np.asarray(arrow.get_start())))


# -- the kit --------------------------------------------------------------------------------
def test_two_digits_rounds_down_to_two_significant_digits():
    assert two_digits(4.87) == 4.8
    assert two_digits(19.99) == 19.0
    assert two_digits(0.0659) == pytest.approx(0.065)
    assert two_digits(2.93e6) == pytest.approx(2.9e6)
    assert two_digits(1.0) == 1.0
    assert two_digits(0.0) == 1.0 and two_digits(float("inf")) == 1.0


def test_projection_pair_keeps_both_vectors():
    # the forward arrow lies along the third axis, the gradient along the first: (0, 2)
    assert projection_pair([[0, 0, 1.0], [2.0, 0, 0]]) == (0, 2)
    assert projection_pair([[0, 1.0, 0], [0, 0, 3.0]]) == (1, 2)
    assert projection_pair([[1.0, 1.0, 0], [0, 0, 0]]) == (0, 1)  # no length: kept whole
    # the pair whose worst kept share is largest
    v, g = np.array([0.2, 1.0, 0.9]), np.array([0.1, 0.8, 1.0])
    shares = {p: min(np.linalg.norm(v[list(p)]) / np.linalg.norm(v),
                     np.linalg.norm(g[list(p)]) / np.linalg.norm(g))
              for p in ((0, 1), (0, 2), (1, 2))}
    assert projection_pair([v, g]) == max(shares, key=shares.get) == (1, 2)


def test_enters_is_where_a_ray_meets_a_box():
    assert _enters([0, 0, 0], [1, 0, 0], (2, -1, 3, 1)) == pytest.approx(0.97 * 2)
    assert _enters([0, 0, 0], [-1, 0, 0], (2, -1, 3, 1)) == np.inf  # away from it
    assert _enters([0, 0, 0], [1, 1, 0], (2, -1, 3, 1)) == np.inf  # passes above it
    assert _enters([2.5, 0, 0], [1, 0, 0], (2, -1, 3, 1)) == np.inf  # starts inside


@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("size", [1e-6, 1e-2, 1.0, 3e2, 1e5])
def test_own_scale_draws_any_vector_at_least_20px_inside_the_panel(dim, size):
    rng = np.random.default_rng(int(size * 1e6) % 2**32 + dim)
    point = rng.uniform(-3, 3, dim) * (1 if size < 1e3 else size)
    p = SpacePanel(dim, ["a", "b", "c"][:dim], point, width=2.7, height=1.6,
                   drawn=(0, 2) if dim == 3 else (0, 1))
    x0, y0, x1, y1 = p.window()
    for _ in range(12):
        vec = rng.normal(size=dim) * size
        for kind in ("forward", "backward"):
            m = p.own_scale(vec, kind=kind)
            s, e = p.arrow_ends(vec, m, kind)
            drawn = px(np.linalg.norm(e - s))
            if not np.any(p._drawn(vec)):
                continue
            assert drawn >= 20, (dim, size, vec, m, drawn)
            assert x0 - 1e-9 <= e[0] <= x1 + 1e-9 and y0 - 1e-9 <= e[1] <= y1 + 1e-9
            assert m == two_digits(m)  # what the note prints is the scale drawn


def test_own_scale_cuts_a_long_true_image_rather_than_the_arrow():
    p = SpacePanel(2, ["a", "b"], [0.0, 0.0], width=2.7, height=1.6)
    vec = np.array([0.01, 0.0])
    image = np.array([[0.0, 0.0], [0.5, 0.3], [2.0, 1.5]])  # runs far beyond the arrow
    m = p.own_scale(vec, image)
    assert px(m * np.linalg.norm(p.to_screen(vec) - p.to_screen([0.0, 0.0]))) >= 20
    cur = p.curve(image, scale=m, clip=True)
    x0, y0, x1, y1 = p.window()
    pts = np.asarray(cur.points)
    assert np.all((pts[:, 0] >= x0 - 1e-9) & (pts[:, 0] <= x1 + 1e-9))
    assert np.all((pts[:, 1] >= y0 - 1e-9) & (pts[:, 1] <= y1 + 1e-9))


# -- the scene ----------------------------------------------------------------------------
def test_space_names_never_clash():
    chain = Chain.from_texts(FIVE["maps"].split("; "))
    names = space_names(chain)
    plain = [nm for _, nm in names]
    assert len(set(plain)) == len(plain)
    spaces = {name_key(tex) for tex, _ in names}
    points = {name_key(f"{{{tex}}}_0") for tex, _ in names}
    assert not spaces & points, (spaces, points)  # no space z_0 beside a point z_0
    coords = {c for names_k in chain.space_names for c in names_k}
    for k, (_, nm) in enumerate(names):  # a space's name is no other space's coordinate
        others = {c for j, cs in enumerate(chain.space_names) if j != k for c in cs}
        assert nm not in others
    # the input (x, y) has no stem; the output's stem y is an input's name: both renamed
    assert plain[0] not in coords and plain[1] == "z" and plain[-1] not in coords | {"y"}
    # an input named y beside the default output y: the output space takes another letter
    clash = space_names(Chain.from_texts(["(x, y) -> (x + y, x*y)", "(u1, u2) -> u1*u2"]))
    assert clash[-1][1] not in ("x", "y", "u") and clash[1][1] == "u"


@pytest.fixture(scope="module")
def five():
    return narrate("two-way", resolve_params("two-way", FIVE))


def test_five_maps_every_arrow_at_least_20px_at_its_panels_own_scale(five):
    sc = five
    tr = sc.n.tr
    assert sc.n.dims == [2, 3, 2, 3, 1, 2]
    for k, p in enumerate(sc.panels):
        for arrow, vec, m, kind in ((sc.fwd[k], tr.pushforward[k], sc.M[k], "forward"),
                                    (sc.bwd[k], tr.pullback[k], sc.S[k], "backward")):
            assert length_px(arrow) >= 20, (k, kind, length_px(arrow))
            s, e = p.arrow_ends(vec, m, kind)  # drawn m times its length, m shown
            assert np.allclose(arrow.get_start(), s) and np.allclose(arrow.get_end(), e)
            for end in (arrow.get_start(), arrow.get_end()):
                assert p.box.get_left()[0] < end[0] < p.box.get_right()[0]
                assert p.box.get_bottom()[1] < end[1] < p.box.get_top()[1]
        # the scales shown are the scales drawn (each note's TeX carries its number)
        notes = [text_of(next(t for t in texts([m]))) for m in sc.scales[k]]
        assert tex_scale(sc.M[k]) in notes[0] and tex_scale(sc.S[k]) in notes[1]
        # the dot is drawn under both arrows
        assert p.dot_mob.z_index < min(sc.fwd[k].z_index, sc.bwd[k].z_index)
    # the scales differ from panel to panel: no one scale would do
    assert len(set(sc.M)) > 2 and len(set(sc.S)) > 2
    for k, d in enumerate(sc.n.dims):  # 3-D spaces say which two coordinates are drawn
        if d == 3:
            pair = projection_pair([tr.pushforward[k], tr.pullback[k]])
            assert sc.panels[k].drawn == pair
            assert r"\text{on}" in text_of(sc.panels[k].title)


def test_five_maps_pass_the_layout_check():
    _, problems = keyframes("two-way", resolve_params("two-way", FIVE), resolution=SIZE,
                            check_layout=True)
    assert not problems, "\n".join(map(str, problems))

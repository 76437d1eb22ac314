"""Errors, self-check, curves and level sets."""

import numpy as np
import pytest

from jacviz import (Chain, Curve, Map, NumericError, ShapeError, chain_along_curve,
                    level_set_segments, self_check)


def test_shape_mismatch_names_both_maps_and_shapes():
    with pytest.raises(ShapeError) as exc:
        Chain.from_texts(["(x, y) -> (x, y, x*y)", "(a, b) -> a + b"])
    msg = str(exc.value)
    assert "map g" in msg and "map f" in msg and "R^2 -> R^3" in msg and "R^2 -> R^1" in msg


@pytest.mark.parametrize("text,at,piece", [
    ("x -> log(x)", [0.0], "output 1 = log(x) is not finite"),
    ("x -> 1/x", [0.0], "not finite"),
    ("x -> sqrt(x)", [-1.0], "not finite"),
    ("x -> sqrt(x)", [0.0], "Jacobian entry (1,1)"),
])
def test_non_finite_values_name_stage_and_entry(text, at, piece):
    with pytest.raises(NumericError) as exc:
        self_check(Map(text, name="f"), at)
    assert piece in str(exc.value) and "stage 1 (map f)" in str(exc.value)


def test_second_stage_named():
    chain = Chain.from_texts(["(x, y) -> (x - y, x + y)", "(u, v) -> (u, log(u))"])
    with pytest.raises(NumericError, match=r"stage 2 \(map f\): output 2 = log\(u\)"):
        self_check(chain, [1.0, 1.0])


def test_disagreement_with_finite_differences_is_reported():
    # abs at 0: the symbolic derivative is sign(0) = 0, finite differences of
    # |x| + x^2 ... agree; but a kink off-centre is caught: abs(x - 1e-4)
    with pytest.raises(NumericError, match="disagrees with finite differences"):
        self_check(Map("x -> abs(x - 0.0001)"), [0.0])


def test_curve_on_level_set_has_zero_dzdt():
    f = Map("(x, y) -> x^2 + y^2")
    r = Curve("t -> (cos(t), sin(t))")
    t = np.linspace(0, 2 * np.pi, 50)
    a = chain_along_curve(f, r, t)
    np.testing.assert_allclose(a.z, 1.0)
    np.testing.assert_allclose(a.dzdt, 0.0, atol=1e-12)
    np.testing.assert_allclose(np.sum(a.gradient * a.tangent, axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(a.gradient, 2 * a.point)


def test_curve_crossing_levels():
    f = Map("(x, y) -> x^2 + y^2")
    r = Curve("t -> (t, 0.5)")
    a = chain_along_curve(f, r, np.array([0.5, 1.0]))
    np.testing.assert_allclose(a.dzdt, [1.0, 2.0])  # d/dt (t^2 + 1/4) = 2t
    # finite differences of z(t)
    h = 1e-6
    z = lambda tt: chain_along_curve(f, r, np.array(tt)).z  # noqa: E731
    np.testing.assert_allclose((z([1 + h]) - z([1 - h])) / (2 * h), [2.0], rtol=1e-6)


def test_curve_needs_one_input():
    with pytest.raises(ShapeError, match="exactly one input"):
        Curve("(s, t) -> (s, t)")
    with pytest.raises(ShapeError, match="scalar"):
        chain_along_curve(Map("(x, y) -> (x, y)"), Curve("t -> (t, t)"), [0.0])


def test_level_set_segments_lie_on_the_level():
    f = Map("(x, y) -> x^2 + y^2")
    segs = level_set_segments(f, 1.0, (-2, 2), (-2, 2), resolution=81)
    assert segs.shape[1:] == (2, 2) and len(segs) > 40
    r = np.linalg.norm(segs.reshape(-1, 2), axis=1)
    np.testing.assert_allclose(r, 1.0, atol=5e-3)
    # the segments go all the way round
    angles = np.arctan2(segs[..., 1], segs[..., 0]).ravel()
    assert angles.min() < -3.0 and angles.max() > 3.0

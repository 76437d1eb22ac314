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


@pytest.mark.parametrize("text,at", [
    ("x -> abs(x)", [0.0]),  # a kink: the right and left quotients are 1 and -1
    ("x -> abs(x - 1) + x^2", [1.0]),
    ("(x, y) -> (x*y, abs(y))", [2.0, 0.0]),
])
def test_a_kink_is_not_differentiable(text, at):
    with pytest.raises(NumericError, match="not differentiable there") as exc:
        self_check(Map(text, name="f"), at)
    assert "from the right" in str(exc.value) and "left" in str(exc.value)


def test_near_a_kink_is_differentiable():
    # abs(x - 0.0001) has slope -1 at 0: the kink is elsewhere
    assert self_check(Map("x -> abs(x - 0.0001)"), [0.0]).max_rel_error <= 1e-9


@pytest.mark.parametrize("text,at,entry", [
    ("w1 -> cos(w1)", [36035.5], -np.sin(36035.5)),  # was refused: fd step 36 at this scale
    ("w -> exp(w)", [30.0], np.exp(30.0)),  # was off by 0.2 %
    ("w -> sin(w)*1000", [1e6], 1000 * np.cos(1e6)),
    ("x -> x^3", [-2.5e4], 3 * 2.5e4 ** 2),
    ("x -> sqrt(x)", [1e-20], 0.5e10),
    ("x -> log(x)", [1e-300], 1e300),
])
def test_correct_jacobians_pass_at_any_scale(text, at, entry):
    mp = Map(text)
    report = self_check(mp, at)
    assert report.max_rel_error <= 1e-9
    np.testing.assert_allclose(mp.jacobian(at)[0, 0], entry, rtol=1e-12)


def test_a_value_that_overflows_is_refused():
    with pytest.raises(NumericError, match="not finite"):
        self_check(Map("w -> exp(w)"), [10890.0])


def test_large_values_through_a_chain():
    chain = Chain.from_texts(["(x1, x2) -> (x1*x2*1000, x1 + x2)", "(w1, w2) -> (cos(w1), exp(w2))"])
    x0 = [36.0355, 1.001]  # w1 near 36035.5, w2 near 37
    report = self_check(chain, x0)
    assert report.max_rel_error <= 1e-9


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

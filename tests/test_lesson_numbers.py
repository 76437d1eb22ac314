"""The exact numbers LESSON.md says every default scene must show (§1, §4, §5, §6, §7)."""

import numpy as np
import pytest
import sympy

from jacviz import Chain, Graph, Map, jacobian, jvp, self_check, vjp
from jacviz.core.parse import symbol

x, y = symbol("x"), symbol("y")
x1, x2, x3 = symbol("x1"), symbol("x2"), symbol("x3")


def test_section1_jacobian_grid():
    F = Map("(x, y) -> (x^2 - y, x*y)", name="F")
    assert F.shape == (2, 2)
    assert F.jacobian_symbolic == sympy.Matrix([[2 * x, -1], [y, x]])
    J = F.jacobian([1, 2])
    np.testing.assert_array_equal(J, [[2, -1], [2, 1]])
    assert J[0, 0] == 2 and J[1, 1] == 1


def test_section1_scalar_is_one_row():
    f = Map("(x, y, z) -> x*y + z^2")
    assert f.shape == (1, 3)
    np.testing.assert_allclose(f.jacobian([1, 2, 3]), [[2, 1, 6]])


def test_section4_worked_example():
    chain = Chain.from_texts(["(x1, x2) -> (x1**2 + x2, x1*x2)", "(u1, u2) -> u1 + u2**2"])
    g, f = chain.maps
    assert g.jacobian_symbolic == sympy.Matrix([[2 * x1, 1], [x2, x1]])
    u2 = symbol("u2")
    assert f.jacobian_symbolic == sympy.Matrix([[1, 2 * u2]])
    assert chain.jacobians_symbolic_in_x[1] == sympy.Matrix([[1, 2 * x1 * x2]])
    expected = sympy.Matrix([[2 * x1 + 2 * x1 * x2**2, 1 + 2 * x1**2 * x2]])
    assert sympy.simplify(chain.jacobian_symbolic - expected) == sympy.zeros(1, 2)
    np.testing.assert_allclose(chain.jacobian([1, 2]), [[10, 5]])
    y0, pull = vjp(chain, [1, 2])
    np.testing.assert_allclose(pull(np.array([1.0])), [10, 5])
    np.testing.assert_allclose(y0, [7])  # g(1,2) = (3, 2), h = 3 + 2^2


def test_section4_small_check():
    chain = Chain.from_texts(["x -> (x, x^2)", "(u, v) -> u + v"])
    (composed,) = chain.composed_symbolic[-1]
    assert sympy.expand(composed - (x + x**2)) == 0
    np.testing.assert_allclose(chain.jacobian([1.0]), [[3]])
    Df = chain.maps[1].jacobian(chain.maps[0]([1.0]))
    Dg = chain.maps[0].jacobian([1.0])
    np.testing.assert_allclose(Df @ Dg, [[3]])
    np.testing.assert_allclose(Dg.ravel(), [1, 2])


def test_section5_first_graph_two_paths_each():
    chain = Chain.from_texts(["(x, y) -> (x^2 + y, x*y)", "(u, v) -> u + v^2"], output_names=["z"])
    g = Graph(chain, [1, 2])
    assert [n.name for n in g.nodes] == ["x", "y", "u", "v", "z"]
    assert len(g.edges) == 6
    for j, expected in ((0, 10.0), (1, 5.0)):
        ps = g.path_sum(0, j)
        assert len(ps.nonzero_terms) == 2
        assert ps.total == pytest.approx(expected)
        assert ps.jacobian_entry == pytest.approx(expected)
    dzdx = g.path_sum(0, 0)
    assert sorted(t.value for t in dzdx.terms) == pytest.approx([2.0, 8.0])


def test_section5_second_lesson_dy2_dx3():
    chain = Chain.from_texts(["(x1, x2, x3) -> (x1*x2, x3^2)", "(u1, u2) -> (u1 + u2, u1*u2)"])
    g = Graph(chain, [1, 2, 3])
    ps = g.path_sum(1, 2)  # dy2/dx3
    assert sympy.simplify(ps.total_symbolic - 2 * x1 * x2 * x3) == 0
    zero = [t for t in ps.terms if t.is_zero]
    assert len(zero) == 1 and zero[0].nodes[1].name == "u1" and zero[0].value == 0
    live = ps.nonzero_terms
    assert len(live) == 1 and live[0].nodes[1].name == "u2"
    assert ps.total == pytest.approx(12.0) == ps.jacobian_entry
    # the missing edge x3 -> u1 is not in the graph
    assert g.edge(g.layers[0][2], g.layers[1][0]) is None
    assert len(g.paths(1, 2)) == 1


def test_section6_two_way_numbers():
    chain = Chain.from_texts(["(x1, x2) -> (x1 + 2*x2, x1 - x2)", "(u1, u2) -> u1*u2 + u1"])
    t = chain.trace([1, 1], [0.1, 0.1], [1])
    np.testing.assert_allclose(t.points[1], [3, 0])
    np.testing.assert_allclose(t.jacobians[1], [[1, 3]])
    np.testing.assert_allclose(t.pushforward[1], [0.3, 0], atol=1e-15)
    np.testing.assert_allclose(t.pushforward[2], [0.3])
    np.testing.assert_allclose(t.pullback[1], [1, 3])
    np.testing.assert_allclose(t.pullback[0], [4, -1])
    assert t.duality["forward"] == pytest.approx(0.3)
    assert t.duality["backward"] == pytest.approx(0.3)
    # g is linear: the true image of the arrow in u-space is the arrow itself
    np.testing.assert_allclose(t.images[1], t.linear[1], atol=1e-12)
    # along du = (0.3, 0) u2 stays 0, so y = u1 there: the image is straight too
    np.testing.assert_allclose(t.images[2], t.linear[2], atol=1e-12)
    np.testing.assert_allclose(t.images[2][-1], chain([1.1, 1.1]))
    # another arrow leaves the line u2 = 0 and the true image bends away
    t2 = chain.trace([1, 1], [0.1, -0.1], [1])
    bend = t2.images[2] - t2.linear[2]
    assert np.max(np.abs(bend)) > 1e-3
    np.testing.assert_allclose(t2.images[2][-1], chain([1.1, 0.9]))


def test_section7_tiny_network_transposes():
    W = np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.5]])
    b = np.array([0.0, 0.5, -0.5])
    c = np.array([1.0, -2.0, 0.5])
    affine = Map("(x1, x2) -> (x1 - x2, 0.5*x1 + 2*x2 + 0.5, -x1 + 0.5*x2 - 0.5)", name="affine")
    sig = Map("(a1, a2, a3) -> (sigmoid(a1), sigmoid(a2), sigmoid(a3))", name="sigma")
    loss = Map("(h1, h2, h3) -> h1 - 2*h2 + 0.5*h3", name="loss")
    chain = Chain([affine, sig, loss])
    x0, dx = np.array([1.0, 0.5]), np.array([0.1, 0.0])
    t = chain.trace(x0, dx, [1.0])
    a = W @ x0 + b
    s = 1 / (1 + np.exp(-a))
    ds = s * (1 - s)
    np.testing.assert_allclose(t.jacobians[0], W)
    np.testing.assert_allclose(t.jacobians[1], np.diag(ds))
    np.testing.assert_allclose(t.jacobians[2], [c])
    np.testing.assert_allclose(t.pullback[0], W.T @ (ds * c))
    np.testing.assert_allclose(t.pushforward[-1], [c @ (ds * (W @ dx))])
    np.testing.assert_allclose(t.jacobian, (W.T @ (ds * c))[None, :])
    self_check(chain, x0)


def test_jax_shaped_functions():
    f = Map("(x, y) -> (x^2 - y, x*y)")
    yv, dy = jvp(f, [1, 2], [1, 0])
    np.testing.assert_allclose(yv, [-1, 2])
    np.testing.assert_allclose(dy, [2, 2])
    yv2, pull = vjp(f, [1, 2])
    np.testing.assert_allclose(yv2, yv)
    np.testing.assert_allclose(pull([1, 0]), [2, -1])
    np.testing.assert_allclose(jacobian(f, [1, 2]), [[2, -1], [2, 1]])

"""jacviz.core.network: the lesson's network (LESSON.md §7) and deeper ones (§9).

The backward sweep (vector-Jacobian products reusing the stored forward pass)
equals the chain's Jacobian and finite differences; its multiply-adds and those
of forming the full Jacobian by matrix products equal hand counts; weights
drawn from a seed are reproducible; names read well in text and TeX.
"""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jacviz import JacvizError, Network
from jacviz.core.costs import jvp_cost, product_cost, vjp_cost
from jacviz.core.network import WEIGHT_CHOICES, parse_activations
from jacviz.core.parse import symbol

LESSON = dict(W=[1, -1, 0.5, 2, -1, 0.5], b=[0, 0.5, -0.5], c=[1, -2, 0.5])


def lesson():
    return Network.one_hidden(**LESSON)


def loss_of(net, x):
    return net.forward(x).values[-1][0]


def finite_differences(net, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    return np.array([(loss_of(net, x + h * e) - loss_of(net, x - h * e)) / (2 * h)
                     for e in np.eye(x.size)])


def test_lesson_network_numbers():
    net = lesson()
    x = np.array([1.0, 0.5])
    fp = net.forward(x)
    W, b, c = np.reshape(LESSON["W"], (3, 2)), np.array(LESSON["b"]), np.array(LESSON["c"])
    a = W @ x + b
    s = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(fp.values[1], a)
    np.testing.assert_allclose(fp.values[2], s)
    np.testing.assert_allclose(fp.values[3], [c @ s])
    sweep = net.backward(fp)
    ds = s * (1 - s)
    np.testing.assert_allclose(sweep.grads[0], W.T @ (ds * c))  # grad_x = W^T Diag(s'(a)) c
    np.testing.assert_allclose(sweep.grads[1], ds * c)
    np.testing.assert_allclose(sweep.grads[2], c)
    J = net.local_jacobians(fp)
    np.testing.assert_allclose(J[0], W)
    np.testing.assert_allclose(J[1], np.diag(ds))
    np.testing.assert_allclose(J[2], [c])
    dx = np.array([0.1, 0.0])
    push = net.pushforward(fp, dx)
    np.testing.assert_allclose(push[-1], [c @ (ds * (W @ dx))])  # dl = c^T Diag(s'(a)) W dx
    assert np.isclose(push[-1][0], sweep.grads[0] @ dx)  # the two are transposes


def test_lesson_counts_by_hand():
    net = lesson()
    sweep = net.backward(net.forward([1.0, 0.5]))
    # c * 1 (3), s'(a) * g (3, elementwise), W^T g (3 x 2 = 6)
    assert [s.madds for s in sweep.steps] == [3, 3, 6]
    assert [s.kind for s in sweep.steps] == ["readout", "activation", "affine"]
    assert sweep.multiply_adds == 12 and sweep.largest == 3
    # dense: Diag (3x3) times W (3x2) = 18, then c^T (1x3) times (3x2) = 6
    route = net.full_jacobian_route()
    assert [(s.shape_outer, s.shape_inner, s.mults) for s in route.steps] == [
        ((3, 3), (3, 2), 18), ((1, 3), (3, 2), 6)]
    assert net.full_jacobian_cost() == 24
    # skipping structural zeros: Diag W costs 6, c^T (DW) 6
    assert net.full_jacobian_cost(dense=False) == 12


def test_two_hidden_layers_counts_by_hand():
    net = Network.from_sizes([2, 3, 3, 1], ["tanh", "sigmoid"], seed=3)
    sweep = net.backward(net.forward([1.0, -0.5]))
    # c (3), sigmoid' (3), W2^T (9), tanh' (3), W1^T (6)
    assert [s.madds for s in sweep.steps] == [3, 3, 9, 3, 6]
    assert sweep.multiply_adds == 24
    # dense, input side first: D1 W1 18, W2 (.) 18, D2 (.) 18, c^T (.) 6
    assert net.full_jacobian_cost() == 18 + 18 + 18 + 6
    assert net.full_jacobian_cost(dense=False) == 6 + 18 + 6 + 6
    # the sweep is the VJP of jacviz.core.costs (every weight is non-zero)
    assert sweep.multiply_adds == vjp_cost(net.chain()).mults == jvp_cost(net.chain()).mults
    assert net.full_jacobian_cost() == product_cost([2, 3, 3, 3, 3, 1], "forward", dense=True).mults


NETS = st.tuples(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=1, max_size=3),
                 st.integers(0, 10_000), st.sampled_from(["sigmoid", "tanh"]))


@settings(max_examples=30, deadline=None)
@given(NETS, st.data())
def test_backward_sweep_is_the_jacobian(spec, data):
    n, hidden, seed, act = spec
    net = Network.from_sizes([n, *hidden, 1], [act], seed=seed)
    x = np.array(data.draw(st.lists(st.integers(-4, 4), min_size=n, max_size=n))) / 2
    fp = net.forward(x)
    sweep = net.backward(fp)
    chain = net.chain()
    np.testing.assert_allclose(sweep.grads[0], chain.jacobian(x)[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(sweep.grads[0], finite_differences(net, x), rtol=1e-5, atol=1e-8)
    trace = chain.trace(x, np.eye(n)[0], [1.0])
    for a, b in zip(sweep.grads, trace.pullback):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    for a, b in zip(net.pushforward(fp, np.eye(n)[0]), trace.pushforward):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    for a, b in zip(fp.values, trace.points):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    # counts: every W^T g costs m*n, every activation its width, and nothing else
    sizes = net.sizes
    hand = sum(sizes[k] * sizes[k + 1] for k in range(len(sizes) - 1)) + sum(hidden)
    assert sweep.multiply_adds == hand == sum(s.madds for s in sweep.steps)
    assert len(sweep.steps) == 2 * len(hidden) + 1
    dims = net.dims
    assert net.full_jacobian_cost() == sum(dims[k + 1] * dims[k] * dims[0]
                                           for k in range(1, len(dims) - 1))


def test_from_sizes_reproducible_from_the_seed():
    a = Network.from_sizes([3, 2, 3, 1], ["tanh"], seed=11)
    b = Network.from_sizes([3, 2, 3, 1], ["tanh"], seed=11)
    c = Network.from_sizes([3, 2, 3, 1], ["tanh"], seed=12)
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.W, lb.W)
        np.testing.assert_array_equal(la.b, lb.b)
    assert any(not np.array_equal(la.W, lc.W) for la, lc in zip(a.layers, c.layers))
    weights = np.concatenate([x.ravel() for layer in a.layers for x in (layer.W, layer.b)])[:-1]
    assert set(np.unique(np.concatenate([layer.W.ravel() for layer in a.layers]))) <= set(WEIGHT_CHOICES)
    # the same numbers given as weights rebuild the same network
    d = Network.from_sizes([3, 2, 3, 1], ["tanh"], weights=weights)
    for la, ld in zip(a.layers, d.layers):
        np.testing.assert_array_equal(la.W, ld.W)
    assert Network.weight_count([3, 2, 3, 1]) == weights.size == (6 + 2) + (6 + 3) + 3


def test_errors_are_one_line():
    with pytest.raises(JacvizError, match="need 12"):
        Network.from_sizes([2, 3, 1], ["sigmoid"], weights=[1, 2, 3])
    with pytest.raises(JacvizError, match="1 \\(the loss\\) last"):
        Network.from_sizes([2, 3, 2], ["sigmoid"])
    with pytest.raises(JacvizError, match="one activation per hidden layer"):
        Network.from_sizes([2, 3, 3, 3, 1], ["sigmoid", "tanh"])
    with pytest.raises(JacvizError, match="'softplus' is not an activation; use sigmoid or "
                                          "tanh or relu"):
        parse_activations("softplus", 1)
    assert parse_activations("relu", 2) == ["relu", "relu"]
    with pytest.raises(JacvizError, match="3 names for 2 hidden layers"):
        parse_activations("tanh, sigmoid, tanh", 2)
    assert parse_activations("tanh", 3) == ["tanh"] * 3
    assert parse_activations("tanh,sigmoid", 2) == ["tanh", "sigmoid"]


def test_names_read_well():
    net = lesson()
    assert net.space_names() == ["x", "a", "h", "l"] == net.space_tex()
    assert net.coordinate_names() == [["x1", "x2"], ["a1", "a2", "a3"], ["h1", "h2", "h3"], ["l"]]
    assert net.stage_tex() == ["W", r"\mathrm{Diag}(\sigma'(a))", r"c^\top"]
    assert net.stage_transposes() == [r"W^\top", r"\mathrm{Diag}(\sigma'(a))", "c"]
    deep = Network.from_sizes([2, 3, 1, 1], ["tanh", "sigmoid"], seed=0)
    assert deep.space_names() == ["x", "a1", "h1", "a2", "h2", "l"]
    assert deep.space_tex() == ["x", "a^{(1)}", "h^{(1)}", "a^{(2)}", "h^{(2)}", "l"]
    coords = deep.coordinate_names()
    assert coords[1] == ["a^(1)_1", "a^(1)_2", "a^(1)_3"] and coords[3] == ["a^(2)"]
    # unit 2 of layer 1 is a^{(1)}_{2} in TeX, not a_{12}
    assert sympy.latex(symbol(coords[1][1])) == "a^{(1)}_{2}"
    assert [mp.input_names for mp in deep.chain().maps][1] == tuple(coords[1])
    assert deep.stage_tex() == ["W^{(1)}", "D^{(1)}", "W^{(2)}", "D^{(2)}", r"c^\top"]
    assert deep.stage_definitions()[1] == r"D^{(1)} = \mathrm{Diag}(\tanh'(a^{(1)}))"
    assert deep.stage_definitions()[3] == r"D^{(2)} = \mathrm{Diag}(\sigma'(a^{(2)}))"
    assert deep.stage_transposes()[2] == r"W^{(2)\top}"
    sweep = deep.backward(deep.forward([0.5, -1]))
    assert sweep.steps[1].tex == r"\nabla_{a^{(2)}} l = h^{(2)}\odot(1-h^{(2)})\odot\nabla_{h^{(2)}} l"
    assert sweep.steps[3].text == "grad_a1 = (1-h1^2)*grad_h1"
    assert sweep.steps[-1].text == "grad_x = W1^T grad_a1"


def test_pairings_are_equal_in_every_space():
    net = Network.from_sizes([2, 3, 3, 1], ["tanh", "sigmoid"], seed=3)
    fp = net.forward([1.0, -0.5])
    push, sweep = net.pushforward(fp, [0.0, 0.1]), net.backward(fp)
    p = Network.pairings(push, sweep)
    assert len(p) == len(push) and np.allclose(p, p[-1], rtol=1e-12, atol=1e-15)
    assert p[-1] == pytest.approx(float(push[-1][0]))  # <1, dl> = dl

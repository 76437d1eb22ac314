"""Long chains (LESSON.md §9): the two modes agree, and the core's cost counts are exact.

Random chains of 2-6 maps of dimensions 1-4 (hypothesis, in the style of
test_properties.py):

* reverse accumulation on the graph equals the path sums and the Jacobian's
  row; forward accumulation its column;
* the pairing <grad_i, d_i> is the same number in every space;
* n JVP columns and m VJP rows assemble the product of the stage Jacobians;
* cost identities: accumulation takes one multiplication per edge connected
  to the seed; paths = product of inner widths; the full Jacobian by n JVPs
  costs n JVPs; the matrix-chain optimum is the brute-force minimum and beats
  neither-forward-nor-reverse; the dense count is the textbook one.

Then the worked examples of LESSON.md §5 and §7 with their exact counts.
"""

from math import comb, prod

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sweeps.commands import note_check
from test_properties import _usable, map_text

from jacviz import Chain, Graph, JacvizError, jvp, vjp
from jacviz.core.costs import (
    all_orders,
    format_order,
    forward_accumulate,
    jacobian_costs,
    jvp_cost,
    normalize_order,
    optimal_order,
    path_count,
    path_enumeration,
    product_cost,
    reverse_accumulate,
    stage_structure,
    tree_from_merges,
    vjp_cost,
)

PREFIXES = ["x", "u", "v", "w", "z", "s"]


@st.composite
def long_chains(draw, min_stages=2, max_stages=6, max_dim=4):
    k = draw(st.integers(min_stages, max_stages))
    dims = draw(st.lists(st.integers(1, max_dim), min_size=k + 1, max_size=k + 1))
    texts = [draw(map_text(dims[i], dims[i + 1], PREFIXES[i])) for i in range(k)]
    chain = Chain.from_texts(texts)
    x0 = np.array(draw(st.lists(st.floats(-1, 1), min_size=dims[0], max_size=dims[0])))
    return chain, x0


def _abs_product(jacs):
    """|J_k| ... |J_1|: the sum of |path products|, the scale of rounding errors."""
    A = np.abs(jacs[0])
    for J in jacs[1:]:
        A = np.abs(J) @ A
    return A


def _case(chain, x0):
    """The graph, numeric Jacobian and error scale of a usable case (else skip)."""
    assume(_usable(chain, x0))
    graph = Graph(chain, x0)
    with np.errstate(all="ignore"):
        A = _abs_product(graph.jacobians)
    assume(np.all(np.isfinite(A)) and np.max(A) < 1e12)
    return graph, chain.jacobian(x0), A


def _close(a, b, scale):
    return np.all(np.abs(np.asarray(a) - np.asarray(b)) <= 1e-10 * (1.0 + np.asarray(scale)))


def _edges_reaching(graph, node):
    """Edges from which `node` can be reached (a search independent of costs.py)."""
    hit, live = set(), {node}
    for k in range(node.space - 1, -1, -1):
        for e in graph.edges:
            if e.stage == k and e.dst in live:
                hit.add(e)
        live |= {e.src for e in hit}
    return hit


def _edges_reached(graph, node):
    hit, live = set(), {node}
    for k in range(node.space, len(graph.layers) - 1):
        for e in graph.edges:
            if e.stage == k and e.src in live:
                hit.add(e)
        live |= {e.dst for e in hit}
    return hit


# -- the modes agree ---------------------------------------------------------------


@settings(max_examples=35)
@given(long_chains(), st.data())
def test_reverse_accumulation_equals_path_sums_and_jacobian_row(case, data):
    chain, x0 = case
    note_check(chain, x0)
    graph, J, A = _case(chain, x0)
    i = data.draw(st.integers(0, chain.m - 1))
    acc = reverse_accumulate(graph, i)
    assert acc.mode == "reverse" and acc.seed == graph.layers[-1][i]
    assert _close(acc.result, J[i], A[i])  # every input node's adjoint is J[i, j]
    # every node's adjoint: the sum over its outgoing edges of partial x head's adjoint
    for k, layer in enumerate(graph.layers[:-1]):
        for node in layer:
            s = sum(e.value * acc.value(e.dst) for e in graph.edges if e.src == node)
            assert acc.value(node) == pytest.approx(s, rel=1e-12, abs=1e-300)
    # ... and the path sums agree, entry by entry
    for j in range(chain.n):
        pe = path_enumeration(graph, i, j)
        assert _close(pe.value, acc.value(graph.layers[0][j]), A[i, j])
    if len(chain) <= 3 and max(chain.dims) <= 3:  # Graph.path_sum simplifies symbolically
        j = data.draw(st.integers(0, chain.n - 1))
        ps = graph.path_sum(i, j)
        pe = path_enumeration(graph, i, j)
        assert _close(ps.total, acc.result[j], A[i, j])
        assert pe.paths == len(ps.terms) and pe.zero_paths == len(ps.terms) - len(ps.nonzero_terms)


@settings(max_examples=35)
@given(long_chains(), st.data())
def test_forward_accumulation_equals_jacobian_column(case, data):
    chain, x0 = case
    note_check(chain, x0)
    graph, J, A = _case(chain, x0)
    j = data.draw(st.integers(0, chain.n - 1))
    acc = forward_accumulate(graph, j)
    assert acc.mode == "forward" and acc.seed == graph.layers[0][j]
    assert _close(acc.result, J[:, j], A[:, j])
    for i in range(chain.m):
        assert _close(path_enumeration(graph, i, j).value, acc.result[i], A[i, j])
    # the tangents in every space are the pushforward of e_j
    t = chain.trace(x0, np.eye(chain.n)[j])
    for k in range(len(graph.layers)):
        scale = _abs_product([np.eye(chain.n)] + graph.jacobians[:k])[:, j]
        assert _close(acc.values[k], t.pushforward[k], scale)


@settings(max_examples=35)
@given(long_chains(), st.data())
def test_pairing_is_the_same_in_every_space(case, data):
    chain, x0 = case
    note_check(chain, x0)
    graph, J, A = _case(chain, x0)
    dx = np.array(data.draw(st.lists(st.floats(-2, 2), min_size=chain.n, max_size=chain.n)))
    g = np.array(data.draw(st.lists(st.floats(-2, 2), min_size=chain.m, max_size=chain.m)))
    t = chain.trace(x0, dx, g)
    pairings = [float(t.pullback[k] @ t.pushforward[k]) for k in range(t.spaces)]
    scale = float(np.abs(g) @ A @ np.abs(dx))
    assert all(abs(p - float(g @ J @ dx)) <= 1e-10 * (1 + scale) for p in pairings)
    assert len(pairings) == len(chain) + 1


@settings(max_examples=35)
@given(long_chains())
def test_jvp_columns_and_vjp_rows_assemble_the_jacobian(case):
    chain, x0 = case
    note_check(chain, x0)
    graph, J, A = _case(chain, x0)
    product = graph.jacobians[0]
    for Jk in graph.jacobians[1:]:
        product = Jk @ product
    assert _close(J, product, A)
    cols = np.column_stack([jvp(chain, x0, e)[1] for e in np.eye(chain.n)])
    _, pull = vjp(chain, x0)
    rows = np.vstack([pull(e) for e in np.eye(chain.m)])
    assert cols.shape == rows.shape == (chain.m, chain.n)
    assert _close(cols, product, A) and _close(rows, product, A)


# -- the counts ----------------------------------------------------------------------


@settings(max_examples=35)
@given(long_chains(), st.data())
def test_accumulation_costs_one_multiplication_per_connected_edge(case, data):
    chain, x0 = case
    note_check(chain, x0)
    assume(_usable(chain, x0))
    graph = Graph(chain, x0)
    i = data.draw(st.integers(0, chain.m - 1))
    j = data.draw(st.integers(0, chain.n - 1))
    rev, fwd = reverse_accumulate(graph, i), forward_accumulate(graph, j)
    back = _edges_reaching(graph, graph.layers[-1][i])
    ahead = _edges_reached(graph, graph.layers[0][j])
    assert rev.mults == len(back) and set(rev.edges) == back and len(rev.edges) == len(back)
    assert fwd.mults == len(ahead) and set(fwd.edges) == ahead
    # a node reached by r edges costs r - 1 additions; each node computed once
    assert rev.adds == rev.mults - rev.nodes_computed
    assert fwd.adds == fwd.mults - fwd.nodes_computed
    assert rev.nodes_computed == len({e.src for e in back})
    # never more than one backward pass over every edge
    assert rev.mults <= vjp_cost(graph).mults == len(graph.edges)
    assert fwd.mults <= jvp_cost(graph).mults == len(graph.edges)
    # a whole row by reverse accumulation never costs more than its entries by paths
    pes = [path_enumeration(graph, i, jj) for jj in range(chain.n)]
    assert all(pe.paths == path_count(graph) == graph.path_count() == prod(chain.dims[1:-1])
               for pe in pes)
    k = len(chain)
    for pe in pes:
        assert pe.stages == k
        assert (pe.mults, pe.adds) == (pe.paths * (k - 1), pe.paths - 1)
        assert (pe.live_mults, pe.live_adds) == (pe.live_paths * (k - 1), max(pe.live_paths - 1, 0))
        assert 0 <= pe.zero_paths <= pe.paths
        # live paths: the entry of the product of 0/1 incidence matrices (counted independently)
    inc = np.eye(chain.n, dtype=np.int64)
    for s in stage_structure(chain):
        inc = s.pattern.astype(np.int64) @ inc
    assert [pe.live_paths for pe in pes] == list(inc[i])
    # the structure (graph edges) is the same read from the chain or from the graph
    for a, b in zip(stage_structure(chain), stage_structure(graph)):
        assert np.array_equal(a.pattern, b.pattern)


@settings(max_examples=35)
@given(long_chains(), st.data())
def test_pass_and_product_costs(case, data):
    chain, _ = case
    note_check(*case)
    st_ = stage_structure(chain)
    k, n, m, dims = len(chain), chain.n, chain.m, chain.dims
    for dense in (False, True):
        jc = jacobian_costs(chain, dense=dense)
        jv, vj = jvp_cost(chain, dense=dense), vjp_cost(chain, dense=dense)
        assert jc.jvp == jv and jc.vjp == vj and (jc.n, jc.m) == (n, m)
        assert (jc.by_jvps.mults, jc.by_jvps.adds) == (n * jv.mults, n * jv.adds)
        assert (jc.by_vjps.mults, jc.by_vjps.adds) == (m * vj.mults, m * vj.adds)
        assert jv.visit == tuple(range(k)) and vj.visit == tuple(reversed(range(k)))
        if dense:
            assert jv.mults == vj.mults == sum(dims[q] * dims[q + 1] for q in range(k))
            assert jv.adds == sum(dims[q + 1] * (dims[q] - 1) for q in range(k))
            assert vj.adds == sum(dims[q] * (dims[q + 1] - 1) for q in range(k))
            # forward accumulation of the product = n JVPs, less the first stage (J_1 itself)
            assert jc.forward.mults == n * (jv.mults - dims[0] * dims[1])
            assert jc.reverse.mults == m * (vj.mults - dims[k - 1] * dims[k])
        else:
            assert jv.mults == vj.mults == sum(s.nnz for s in st_)
            assert jc.forward.mults <= n * (jv.mults - st_[0].nnz)
            assert jc.reverse.mults <= m * (vj.mults - st_[-1].nnz)
        # the optimum: no worse than forward or reverse, and the brute-force minimum
        every = [product_cost(chain, tree, dense=dense) for tree in all_orders(k)]
        assert len(every) == comb(2 * (k - 1), k - 1) // k  # Catalan(k - 1)
        assert jc.optimal.mults == min(c.mults for c in every)
        assert jc.optimal.mults <= min(jc.forward.mults, jc.reverse.mults)
        assert all(c.shape == (m, n) and len(c.steps) == k - 1 for c in every)
        assert jc.ranking()[0][1] == min(jc.optimal.mults, jc.by_jvps.mults, jc.by_vjps.mults)
    # structure never costs more than dense, order by order
    for tree in all_orders(k):
        sp, de = product_cost(chain, tree), product_cost(chain, tree, dense=True)
        assert sp.mults <= de.mults and sp.adds <= de.adds
        assert sum(s.mults for s in de.steps) == sum(
            s.shape_outer[0] * s.shape_outer[1] * s.shape_inner[1] for s in de.steps)
    # a list of merges names the same tree and costs the same
    perm = data.draw(st.permutations(range(k - 1)))
    by_merges = product_cost(chain, merges=perm)
    assert by_merges.order == tree_from_merges(perm, k)
    assert by_merges.mults == product_cost(chain, by_merges.order).mults
    assert [s.outer[0] for s in by_merges.steps] == [p + 1 for p in perm]
    assert product_cost(chain, merges=range(k - 1)).order == normalize_order("forward", k)
    assert product_cost(chain, merges=reversed(range(k - 1))).order == normalize_order("reverse", k)


@settings(max_examples=30)
@given(long_chains())
def test_structure_is_sound_and_dense_equals_full_structure(case):
    chain, x0 = case
    note_check(chain, x0)
    assume(_usable(chain, x0))
    J = chain.jacobian(x0)
    cost = product_cost(chain, "forward")
    # the structural pattern of the product covers every numerically non-zero entry
    pattern = np.eye(chain.n, dtype=bool)
    for s in stage_structure(chain):
        pattern = (s.pattern.astype(int) @ pattern.astype(int)) > 0
    assert not np.any((J != 0) & ~pattern)
    if len(chain) > 1:
        assert cost.steps[-1].nnz == int(pattern.sum())
    # a full structure counts exactly as dense
    full = [np.ones(s.shape) for s in stage_structure(chain)]
    dims = chain.dims
    for tree in list(all_orders(len(chain)))[:5]:
        assert product_cost(full, tree).count == product_cost(chain, tree, dense=True).count
        assert product_cost(dims, tree).count == product_cost(chain, tree, dense=True).count
    assert jvp_cost(full).count == jvp_cost(dims).count == jvp_cost(chain, dense=True).count
    assert vjp_cost(full).count == vjp_cost(chain, dense=True).count


# -- worked examples ----------------------------------------------------------------


def test_section5_second_lesson_counts():
    """u1 = x1*x2, u2 = x3^2, y2 = u1*u2 at (1, 2, 3): dy2/dx3 = 0 + 12 = 12."""
    chain = Chain.from_texts(["(x1, x2, x3) -> (x1*x2, x3^2)", "(u1, u2) -> (u1 + u2, u1*u2)"])
    graph = Graph(chain, [1, 2, 3])
    assert len(graph.edges) == 7  # 3 + 4: x3 -> u1 and x1, x2 -> u2 are missing
    # by paths: 2 paths (one per middle node), one of them through the missing edge
    pe = path_enumeration(graph, 1, 2)
    assert (pe.paths, pe.zero_paths, pe.live_paths) == (2, 1, 1)
    assert (pe.mults, pe.adds) == (2, 1)  # one product per path, one sum
    assert (pe.live_mults, pe.live_adds) == (1, 0)
    assert pe.value == 12.0
    # reverse accumulation from y2: adjoints u1 = u2 = 9, u2 = u1 = 2, then the row of J
    rev = reverse_accumulate(graph, 1)
    assert rev.values[2].tolist() == [0.0, 1.0]
    assert rev.values[1].tolist() == [9.0, 2.0]
    assert rev.values[0].tolist() == [18.0, 9.0, 12.0]  # (x2 x3^2, x1 x3^2, 2 x1 x2 x3)
    assert [e.label for e in rev.edges] == ["dy2/du1", "dy2/du2", "du1/dx1", "du1/dx2", "du2/dx3"]
    assert (rev.mults, rev.adds, rev.nodes_computed) == (5, 0, 5)
    # the same row by paths: 3 entries x 2 paths
    row = [path_enumeration(graph, 1, j) for j in range(3)]
    assert sum(p.mults for p in row) == 6 and sum(p.adds for p in row) == 3
    # forward accumulation from x3: tangents u2 = 6, y = (6, 12)
    fwd = forward_accumulate(graph, 2)
    assert fwd.values[1].tolist() == [0.0, 6.0] and fwd.values[2].tolist() == [6.0, 12.0]
    assert (fwd.mults, fwd.adds) == (3, 0)
    # passes and products: by structure (7 edges) and dense (3x2 + 2x2 entries)
    jc = jacobian_costs(chain)
    assert (jc.jvp.mults, jc.jvp.adds, jc.vjp.mults, jc.vjp.adds) == (7, 3, 7, 2)
    assert (jc.by_jvps.mults, jc.by_vjps.mults) == (21, 14)
    assert (jc.forward.mults, jc.forward.adds) == (6, 0)  # u1: 2 x 2 pairs, u2: 2 x 1
    assert jc.forward.text == jc.optimal.text == "J2 J1"
    jd = jacobian_costs(chain, dense=True)
    assert (jd.jvp.mults, jd.jvp.adds, jd.vjp.mults, jd.vjp.adds) == (10, 6, 10, 5)
    assert (jd.by_jvps.mults, jd.by_vjps.mults, jd.forward.mults, jd.forward.adds) == (30, 20, 12, 6)


def test_section5_first_lesson_graph_counts():
    chain = Chain.from_texts(["(x, y) -> (x^2 + y, x*y)", "(u, v) -> u + v^2"], output_names=["z"])
    graph = Graph(chain, [1, 2])
    rev = reverse_accumulate(graph, 0)
    assert rev.values[0].tolist() == [10.0, 5.0]  # grad h = (10, 5)
    assert rev.values[1].tolist() == [1.0, 4.0]
    assert (rev.mults, rev.adds) == (6, 2)  # every edge once; x and y each add two terms
    pes = [path_enumeration(graph, 0, j) for j in range(2)]
    assert [(p.paths, p.mults, p.adds, p.value) for p in pes] == [(2, 2, 1, 10.0), (2, 2, 1, 5.0)]


def test_section7_elementwise_stage_counts_n():
    """x in R^2, a = W x + b in R^3, h = sigmoid(a), l = c^T h: Diag costs 3, not 9."""
    chain = Chain.from_texts([
        "(x1, x2) -> (x1 + 2*x2 + 0.5, -x1 + x2, 3*x1 - x2 - 1)",
        "(a1, a2, a3) -> (sigmoid(a1), sigmoid(a2), sigmoid(a3))",
        "(h1, h2, h3) -> 2*h1 - h2 + 0.5*h3",
    ])
    st_ = stage_structure(chain)
    assert [s.nnz for s in st_] == [6, 3, 3]
    assert [s.is_elementwise for s in st_] == [False, True, False]
    assert (jvp_cost(chain).mults, jvp_cost(chain, dense=True).mults) == (12, 18)
    # scalar loss: one backward pass gives the whole gradient
    jc = jacobian_costs(chain)
    assert jc.m == 1 and jc.by_vjps.mults == jc.vjp.mults == 12
    assert jc.by_jvps.mults == 24
    assert jc.reverse.text == "(J3 J2) J1" and jc.reverse.mults == 3 + 6
    assert jc.optimal.mults == 9
    graph = Graph(chain, [0.5, -1.0])
    rev = reverse_accumulate(graph, 0)
    assert rev.mults == 12 and rev.adds == 2 + 2  # h, a: one edge each; x1, x2: three terms each
    np.testing.assert_allclose(rev.result, chain.jacobian([0.5, -1.0])[0], rtol=1e-14)


def test_classic_matrix_chain_and_orders():
    # CLRS 15.2: dimensions 30 35 15 5 10 20 25 -> 15125 multiplications
    dims = [25, 20, 10, 5, 15, 35, 30]  # inner first: stage 0 is 20 x 25
    best = optimal_order(dims, dense=True)
    assert best.mults == 15125
    assert best.text == "(J6 (J5 J4)) ((J3 J2) J1)"
    assert normalize_order("forward", 3) == ((0, 1), 2)
    assert normalize_order("reverse", 3) == (0, (1, 2))
    assert normalize_order((2, (1, 0)), 3) == ((0, 1), 2)  # children in either order
    assert format_order(((0, 1), 2)) == "J3 (J2 J1)"
    assert format_order((0, (1, 2)), names=["Dg", "Df", "Dh"]) == "(Dh Df) Dg"
    assert tree_from_merges([1, 0, 2], 4) == ((0, (1, 2)), 3)
    assert product_cost([3, 2], "forward").mults == 0  # one stage: nothing to multiply
    with pytest.raises(JacvizError):
        normalize_order(((0, 2), 1), 3)  # 0 and 2 are not neighbours
    with pytest.raises(JacvizError):
        normalize_order((0, 1), 3)  # stage 2 missing
    with pytest.raises(JacvizError):
        tree_from_merges([0, 0], 3)
    with pytest.raises(JacvizError):
        normalize_order("sideways", 3)


@st.composite
def sparse_chains(draw):
    """Linear maps with a random 0/1 pattern of partials (coefficients 1-3 where 1): which
    partials are identically zero is known exactly, so the drawn edges are too."""
    k = draw(st.integers(2, 5))
    dims = draw(st.lists(st.integers(1, 4), min_size=k + 1, max_size=k + 1))
    texts = []
    for s in range(k):
        ins = [f"{PREFIXES[s]}{j + 1}" for j in range(dims[s])]
        outs = []
        for i in range(dims[s + 1]):
            row = draw(st.lists(st.integers(0, 3), min_size=dims[s], max_size=dims[s]))
            terms = [f"{c}*{v}" for c, v in zip(row, ins) if c]
            outs.append(" + ".join(terms) if terms else "0")
        texts.append(f"({', '.join(ins)}) -> ({', '.join(outs)})")
    return Chain.from_texts(texts), np.zeros(dims[0])


def _paths_along_edges(graph, i, j):
    """Brute force: walk the drawn edges from input j, one layer at a time (depth first),
    and count the walks that end at output i."""
    out = graph.layers[-1][i]

    def walks(node):
        if node.space == len(graph.layers) - 1:
            return int(node == out)
        return sum(walks(e.dst) for e in graph.edges if e.src == node)

    return walks(graph.layers[0][j])


@settings(max_examples=60)
@given(sparse_chains(), st.data())
def test_path_counts_match_brute_force_on_the_drawn_graph(case, data):
    """Issue 21: the path-sums scene says how many paths there are along the arrows, how
    many in the dense product and how many pass through a zero edge; every count is the
    core's, and agrees with walking the drawn graph."""
    chain, x0 = case
    graph = Graph(chain, x0)
    i = data.draw(st.integers(0, chain.m - 1))
    j = data.draw(st.integers(0, chain.n - 1))
    pe = path_enumeration(graph, i, j)
    walked = _paths_along_edges(graph, i, j)
    dense = prod(chain.dims[1:-1])
    assert (pe.paths, pe.live_paths, pe.zero_paths) == (dense, walked, dense - walked)
    assert pe.live_mults == walked * (len(chain) - 1)
    s = graph.path_summary(i, j)
    assert (s.paths, s.live) == (dense, walked)
    # the reverse sweep counts the drawn edges it uses: never more than the paths' edges
    acc = reverse_accumulate(graph, i)
    assert acc.mults == len(_edges_reaching(graph, graph.layers[-1][i]))

"""Kit additions for long chains (graphs, products, shapes) and the path summary of the core.

Every new component's docstring example runs and passes the layout check; the
components behave as their docstrings say.
"""

import inspect
import re
import textwrap

import numpy as np
import pytest
import sympy

import jacviz.kit.compgraph as kg
import jacviz.kit.matrix as km
from jacviz import Chain, Graph
from jacviz.core.costs import path_enumeration, reverse_accumulate
from jacviz.kit import layout

EXAMPLES = [(km.legible_matrix, "LegibleMatrixExample"), (km.MatrixProduct, "MatrixProductExample"),
            (km.ShapeTable, "ShapeTableExample"), (km.ShapeProduct, "ShapeProductExample")]

LESSON_A = (["(x, y) -> (x^2 + y, x*y)", "(u, v) -> u + v^2"], ["z"], [1, 2])
LESSON_B = (["(x1, x2, x3) -> (x1*x2, x3^2)", "(u1, u2) -> (u1 + u2, u1*u2)"], None, [1, 2, 3])
LONG = ["(x1, x2) -> (x1*x2, sin(x1) + x2, x2^2)", "(u1, u2, u3) -> (u1 - u2, u2*u3, u1 + u3)",
        "(v1, v2, v3) -> (v1*v3, v2 + v3, cos(v1))", "(w1, w2, w3) -> (w1 + w2, w2*w3, w3)",
        "(p1, p2, p3) -> (p1^2, p2 - p3, p1*p3)", "(q1, q2, q3) -> q1 + 2*q2 - q3"]


@pytest.fixture(autouse=True)
def locked_tex_cache():
    """TeX compiled through the shared, locked cache (other renders run side by side)."""
    from jacviz.engine.tex_cache import share_tex_cache

    share_tex_cache()


def graph_of(texts, names=None, x0=None):
    chain = Chain.from_texts(texts, output_names=names)
    return Graph(chain, x0 if x0 is not None else [0.5, 1.0])


def run_example(fn, scene_name, tmp_path):
    from manim import tempconfig

    doc = inspect.getdoc(fn)
    m = re.search(r"\.\. code-block:: python\n\n(.*)", doc, re.S)
    assert m, f"{fn.__name__} has no runnable example"
    namespace = {}
    exec("from manim import *\nfrom jacviz.kit import *\nfrom jacviz.kit.matrix import *\n"
         "from jacviz import *\nimport numpy as np", namespace)
    exec(textwrap.dedent(m.group(1)), namespace)
    opts = {"pixel_width": 427, "pixel_height": 240, "media_dir": str(tmp_path), "frame_rate": 5,
            "write_to_movie": False, "disable_caching": True, "verbosity": "WARNING",
            "progress_bar": "none"}
    with tempconfig(opts):
        scene = namespace[scene_name](skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame())
        return frame, layout.check(scene.mobjects)


@pytest.mark.parametrize("fn,scene", EXAMPLES, ids=[s for _, s in EXAMPLES])
def test_docstring_examples_run(fn, scene, tmp_path):
    frame, problems = run_example(fn, scene, tmp_path)
    assert (frame[..., :3].max(axis=-1) > 60).sum() > 30, "nothing drawn"
    assert not problems, [str(p) for p in problems]


# -- core: the path summary --------------------------------------------------------------
def test_path_summary_of_the_lesson_graphs_shows_every_path():
    g = graph_of(*LESSON_A)
    s = g.path_summary(0, 0)
    assert not s.summarised and s.paths == 2 == len(s.shown) and s.widths == (2,)
    assert [t.value for t in s.shown] == pytest.approx([2.0, 8.0])
    assert s.running == pytest.approx((2.0, 10.0)) and s.total == pytest.approx(10.0)
    b = graph_of(*LESSON_B).path_summary(1, 2)  # dy2/dx3: the path through u1 is zero
    assert [t.is_zero for t in b.shown] == [True, False] and b.live == 1
    assert b.total == pytest.approx(12.0) == b.jacobian_entry


def test_path_summary_of_a_long_chain_matches_enumeration_and_accumulation():
    g = graph_of(LONG)
    s = g.path_summary(0, 1, first=3, few=4)
    pe = path_enumeration(g, 0, 1)
    assert s.paths == pe.paths == 3 ** 5 and s.widths == (3, 3, 3, 3, 3)
    assert s.live == pe.live_paths and s.summarised and len(s.shown) == 3
    assert all(not t.is_zero for t in s.shown)
    assert s.rest_paths == s.paths - 3 and s.rest_live == s.live - 3
    assert sum(t.value for t in s.shown) + s.rest_value == pytest.approx(s.total)
    assert s.total == pytest.approx(pe.value) == pytest.approx(s.jacobian_entry)
    assert s.total == pytest.approx(reverse_accumulate(g, 0).result[1])
    assert s.running[-1] == s.total and len(s.running) == 4


def test_path_summary_checks_indices():
    g = graph_of(*LESSON_A)
    with pytest.raises(IndexError):
        g.path_summary(1, 0)
    with pytest.raises(IndexError):
        g.path_summary(0, 2)


# -- kit: graph ------------------------------------------------------------------------
def test_space_tex_names_a_space_by_its_coordinates():
    assert kg.space_tex(["x1", "x2"]) == "x"
    assert kg.space_tex(["u"]) == "u"
    assert kg.space_tex(["a", "b"]).startswith(r"\left(")


def test_path_and_adjoint_parts_carry_the_core_numbers():
    g = graph_of(*LESSON_A)
    t = g.path_summary(0, 0).shown[1]
    parts = kg.path_parts(t, symbolic=True)
    assert parts[-1][0] == "8" and r"\to" in parts[0][0]
    zero = graph_of(*LESSON_B).path_summary(1, 2).shown[0]
    zparts = kg.path_parts(zero)
    assert r"\dashrightarrow" in zparts[0][0] and zparts[-1] == ("0", kg.style.WARN)
    acc = reverse_accumulate(g, 0)
    x = g.layers[0][0]
    ap = kg.adjoint_parts(acc, x, symbolic=True)
    assert ap[-1][0] == "10" and ap[0][1] == kg.style.BACKWARD
    assert r"\frac" in ap[2][0]


def test_reverse_steps_walk_back_and_replace_values():
    g = graph_of(*LESSON_A)
    cg = kg.ComputationGraph(g, left=-6, right=6, top=3, bottom=-3)
    acc = reverse_accumulate(g, 0)
    steps = cg.reverse_steps(acc)
    assert [s.space for s in steps] == [2, 1, 0]
    assert len(steps[0].back) == 0 and len(steps[1].back) == 2 and len(steps[2].back) == 4
    assert all(getattr(a, "jacviz_overlay", False) for s in steps for a in s.back)
    x_num = steps[2].numbers[0]
    assert np.allclose(x_num.get_center(), cg.value_mob(0, 0).get_center())
    assert x_num.tex_string == "10"
    anim = cg.grow()
    assert len(anim.animations) == len(g.layers) + (1 if cg.labels else 0)


def test_highlight_path_extras_do_not_collide_on_a_long_chain():
    g = graph_of(LONG)
    cg = kg.ComputationGraph(g, left=-6.7, right=6.7, top=2.8, bottom=-0.5, labels="none")
    s = g.path_summary(0, 0)
    for t in s.shown:
        hl = cg.highlight_path(t)
        assert len(hl.extra) == len(g.layers) - 1  # no placed labels: each edge's partial
        # overlaps and the frame; with no labels placed an edge's partial may touch an
        # arrowhead (the contact rule is the scene's: path-sums places them, test_layout)
        assert not layout.geometry([cg, hl.group]), t


# -- kit: matrices, products, shapes -------------------------------------------------------
def test_legible_matrix_falls_back_from_symbols_to_numbers_to_a_block():
    x, y = sympy.symbols("x y")
    short = km.legible_matrix(sympy.Matrix([[x, 1], [y, x]]), np.eye(2), width=4)
    assert short.kind == "symbolic"
    long = sympy.Matrix([[sympy.expand((x + y + 1) ** 6)]])
    assert km.legible_matrix(long, [[3.0]], width=4).kind == "numeric"
    block = km.legible_matrix(long, label="Dh", width=4)
    assert block.kind == "block" and block.shape == (1, 1)
    assert km.legible_matrix(np.ones((5, 2)), label="A").kind == "block"


def test_matrix_block_keeps_its_label_legible():
    b = km.MatrixBlock(1, 2, r"D(f_4\circ\cdots\circ f_1)")
    assert b.name.font_size == pytest.approx(kg.style.SMALL)  # not shrunk into the box
    assert b.box.width > b.name.width


def test_matrix_product_wraps_and_keeps_the_result_with_its_sign():
    mats = [km.JacobianMatrix.numeric(np.full((3, 3), 0.123)) for _ in range(6)]
    res = km.JacobianMatrix.numeric(np.ones((3, 3)))
    prod = km.MatrixProduct(mats, res, labels=[f"J_{k}" for k in range(6)], width=8)
    assert len(prod.lines) >= 2 and prod.width <= 8 + 1e-6
    line_of = {id(m): n for n, line in enumerate(prod.lines) for m in line}
    assert line_of[id(prod.equals)] == line_of[id(prod.result)]
    # overlaps and the frame; six 3x3 factors in 8 units are shrunk below 12 px (the
    # text-height rule is the scene's: composition writes fewer or blocks, test_layout)
    assert not layout.geometry([prod])
    one = km.MatrixProduct(mats[:2], res, width=12)
    assert len(one.lines) == 1


def test_shape_table_and_shape_product():
    chain = Chain.from_texts(["(x1, x2) -> (x1*x2, x1, x2)", "(u1, u2, u3) -> u1 + u3"])
    table = km.ShapeTable(chain)
    assert len(table.cells) == 4  # header, two maps, the composite
    assert table.row(3)[-1].tex_string.endswith(r"1\times 2")
    good = km.ShapeProduct(chain.dims, [1, 0], ["Df_2", "Df_1"])
    assert good.fits and not good.mismatches and len(good.arcs) == 1
    bad = km.ShapeProduct(chain.dims, [0, 1], ["Df_1", "Df_2"])
    assert not bad.fits and bad.mismatches == [(2, 1)]
    square = km.ShapeProduct([2, 2, 2], [0, 1], ["A", "B"])  # fits, but the wrong order
    assert not square.fits and not square.mismatches
    assert km.composite_tex(["f", "g"]) == r"f\circ g"
    assert r"\cdots" in km.composite_tex([f"f_{k}" for k in range(6, 0, -1)])
    assert km.shape_letters(2) == ["n", "m", "p"] and len(km.shape_letters(5)) == 6

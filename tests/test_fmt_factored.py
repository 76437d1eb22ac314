"""tex_vec_factored: a vector of tiny or huge numbers with its power of ten written once
(two-way writes a space's point so where the full tuple would be shrunk under its panel)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jacviz.core.fmt import fmt_num, tex_vec_factored


@pytest.mark.parametrize("v, want", [
    ([-4e-6, 3e-6, -1.2e-6], r"10^{-6}\,\left(-4,\, 3,\, -1.2\right)"),
    ([-4e-6, 3e-7, 0.0], r"10^{-6}\,\left(-4,\, 0.3,\, 0\right)"),
    ([2.5e10, -3.1e9], r"10^{10}\,\left(2.5,\, -0.31\right)"),
])
def test_factored_vectors(v, want):
    assert tex_vec_factored(v) == want


@pytest.mark.parametrize("v", [[3e-6], [0.5, 1e-6], [0.0, 0.0], [1.0, 2.0]])
def test_not_factored_where_a_number_needs_no_power(v):
    assert tex_vec_factored(v) is None


@given(st.lists(st.tuples(st.integers(100, 999), st.booleans(), st.integers(-8, -5)),
                min_size=2, max_size=3))
def test_factored_cells_are_the_same_numbers(entries):
    """Each cell times the power in front is the number tex_num writes, exactly (numbers
    of 1e-8 to 1e-4: fmt_num writes each with a power of ten)."""
    v = [(-1) ** neg * m / 100 * 10.0 ** e for m, neg, e in entries]
    out = tex_vec_factored(v)
    assert out is not None
    head, body = out.split(r"\,", 1)
    k = int(head[len("10^{"):-1])
    cells = body[len(r"\left("):-len(r"\right)")].split(r",\, ")
    assert len(cells) == len(v)
    for cell, x in zip(cells, v):
        assert Decimal(cell).scaleb(k) == Decimal(fmt_num(x).replace("e", "E"))

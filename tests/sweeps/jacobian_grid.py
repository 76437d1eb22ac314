"""Random maps R^n -> R^m (n, m in 1..3) and points for jacobian-grid."""

from hypothesis import strategies as st

from sweeps.common import map_text, names_for, point


@st.composite
def _draw(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    names = draw(st.sampled_from([names_for("x", n), ["x", "y", "z"][:n], ["u", "v", "w"][:n]]))
    return {"f": draw(map_text(names, m)), "point": draw(point(n))}


STRATEGY = _draw()

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

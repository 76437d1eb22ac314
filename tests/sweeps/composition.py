"""Random parameters for composition: mostly chains of 2 to 6 maps (``maps``),
sometimes the legacy g and f; now and then another small check."""

from hypothesis import strategies as st

from sweeps.common import chain_texts, map_text, names_for, point


@st.composite
def _draw(draw):
    if draw(st.integers(0, 3)):
        texts, dims = draw(chain_texts(2, 6))
        values = {"maps": "; ".join(texts)}
    else:
        dims = [draw(st.integers(1, 3)) for _ in range(3)]
        values = {"g": draw(map_text(names_for("x", dims[0]), dims[1])),
                  "f": draw(map_text(names_for("u", dims[1]), dims[2]))}
    values["point"] = draw(point(dims[0]))
    if not draw(st.integers(0, 3)):
        n, m = draw(st.integers(1, 2)), draw(st.integers(1, 2))
        values.update({"g_small": draw(map_text(names_for("t", n), m)),
                       "f_small": draw(map_text(names_for("s", m), 1)),
                       "at_small": draw(point(n))})
    return values


STRATEGY = _draw()

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

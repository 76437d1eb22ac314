"""Random parameters for composition: mostly chains of 2 to 6 maps (``maps``),
sometimes the legacy g and f; now and then another small check; also large and small
values (a last map that scales by 1000 or 1/1000, a point times a power of ten)."""

from hypothesis import strategies as st

from sweeps.common import (FACTORS, POWERS, chain_texts, map_text, names_for, point,
                           scaled_map_text, scaled_point)


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


@st.composite
def _scaled(draw):
    texts, dims = draw(chain_texts(1, 4))
    last = draw(scaled_map_text(names_for("y", dims[-1]), draw(st.integers(1, 3)),
                                draw(st.sampled_from(FACTORS))))
    return {"maps": "; ".join(texts + [last]),
            "point": draw(scaled_point(dims[0], draw(st.sampled_from(POWERS))))}


STRATEGY = st.one_of(_draw(), _draw(), _draw(), _scaled())

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

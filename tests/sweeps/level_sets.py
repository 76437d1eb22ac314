"""Random scalar functions f(x, y), two curves r(t) in the plane, their t ranges and the
contour levels, for level-sets."""

from hypothesis import strategies as st

from sweeps.common import map_text


def _range(draw):
    t0 = draw(st.integers(-6, 2)) / 2
    return f"{t0},{t0 + draw(st.integers(1, 12)) / 2}"


@st.composite
def _draw(draw):
    names = draw(st.sampled_from([["x", "y"], ["x1", "x2"], ["u", "v"]]))
    levels = draw(st.lists(st.integers(-8, 16), min_size=1, max_size=5, unique=True))
    return {"f": draw(map_text(names, 1)),
            "curve": draw(map_text(["t"], 2)), "t_range": _range(draw),
            "curve2": draw(map_text([draw(st.sampled_from(["t", "s"]))], 2)),
            "t2_range": _range(draw),
            "levels": ",".join(str(c / 2) for c in levels)}


STRATEGY = _draw()

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

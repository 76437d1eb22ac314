"""Random chains for modes: 2-6 maps of dimensions 1-3 at a point; sometimes the
default chain sized by n instead (1-4 inputs)."""

from hypothesis import strategies as st

from sweeps.common import chain_texts, point


@st.composite
def _chain(draw):
    texts, dims = draw(chain_texts(min_maps=2, max_maps=6, max_dim=3))
    values = {"maps": "; ".join(texts), "point": draw(point(dims[0]))}
    if draw(st.booleans()):
        values["n"] = str(dims[0])  # the same n, given beside the maps
    return values


_sized = st.integers(1, 4).map(lambda n: {"n": str(n)})

STRATEGY = st.one_of(_chain(), _chain(), _chain(), _sized)

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

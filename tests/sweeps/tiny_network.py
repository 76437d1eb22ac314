"""Random networks for tiny-network: 1-3 inputs, 1-3 hidden layers of 1-3 units.

Most draws give ``sizes`` with weights drawn from a ``seed`` (sometimes given as
``weights``) and one activation per layer or one for all; some give the lesson's
one-hidden-layer form (W, b, c) with other numbers; some are as deep as the scene draws
(3 hidden layers) or have large weights (up to 20).
"""

from hypothesis import strategies as st

from sweeps.common import point

ACTS = st.sampled_from(["sigmoid", "tanh"])
HALVES = st.integers(-4, 4).map(lambda k: k / 2)


def _vec(values):
    return ",".join(f"{v:g}" for v in values)


@st.composite
def _drawn(draw, min_layers=1, max_layers=3, halves=HALVES):
    n = draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, 3), min_size=min_layers, max_size=max_layers))
    sizes = [n, *hidden, 1]
    acts = draw(st.one_of(ACTS, st.lists(ACTS, min_size=len(hidden), max_size=len(hidden))
                          .map(",".join)))
    values = {"sizes": _vec(sizes), "activations": acts, "x": draw(point(n)),
              "dx": draw(point(n, -1, 1))}
    if draw(st.booleans()):
        values["seed"] = str(draw(st.integers(0, 999)))
    else:
        count = sum(sizes[k + 1] * sizes[k] + sizes[k + 1] for k in range(len(sizes) - 1)) - 1
        values["weights"] = _vec(draw(st.lists(halves, min_size=count, max_size=count)))
    return values


@st.composite
def _lesson(draw):
    n, k = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    return {"W": _vec(draw(st.lists(HALVES, min_size=n * k, max_size=n * k))),
            "b": _vec(draw(st.lists(HALVES, min_size=k, max_size=k))),
            "c": _vec(draw(st.lists(HALVES, min_size=k, max_size=k))),
            "x": draw(point(n)), "dx": draw(point(n, -1, 1)), "activations": draw(ACTS)}


STRATEGY = st.one_of(_drawn(), _drawn(), _lesson(), _drawn(3, 3),
                     _drawn(halves=st.integers(-40, 40).map(lambda k: k / 2)))

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

"""Strategies shared by the scene sweeps: maps of small integer coefficients."""

from hypothesis import strategies as st

UNARY = ["sin({})", "cos({})", "tanh({})", "sigmoid({})", "({})^2", "exp({}/2)", "({})/2"]


def term(names):
    """A small expression in the given input names."""
    atom = st.one_of(st.sampled_from(names),
                     st.tuples(st.integers(-3, 3).filter(bool), st.sampled_from(names))
                     .map(lambda p: f"{p[0]}*{p[1]}"))
    unary = st.tuples(st.sampled_from(UNARY), atom).map(lambda p: p[0].format(p[1]))
    pair = st.tuples(atom, st.sampled_from([" + ", " - ", "*"]), atom).map("".join)
    return st.one_of(atom, unary, pair, st.tuples(unary, st.sampled_from([" + ", " - "]), atom)
                     .map("".join))


def map_text(names, m):
    """A map from the given inputs to m outputs."""
    return st.lists(term(names), min_size=m, max_size=m).map(
        lambda outs: f"({', '.join(names)}) -> " + (outs[0] if m == 1 else f"({', '.join(outs)})"))


def names_for(letter, n):
    return [letter] if n == 1 else [f"{letter}{i + 1}" for i in range(n)]


@st.composite
def chain_texts(draw, min_maps=2, max_maps=6, max_dim=3):
    """``maps`` of a chain: 'm1; m2; ...' with dimensions 1..max_dim."""
    k = draw(st.integers(min_maps, max_maps))
    dims = draw(st.lists(st.integers(1, max_dim), min_size=k + 1, max_size=k + 1))
    letters = "xuvwpqr"
    texts = [draw(map_text(names_for(letters[i], dims[i]), dims[i + 1])) for i in range(k)]
    return texts, dims


def point(n, lo=-2, hi=2):
    """A point of n small numbers (halves), as typed after --set."""
    return st.lists(st.integers(2 * lo, 2 * hi), min_size=n, max_size=n).map(
        lambda v: ",".join(str(x / 2) for x in v))


FACTORS = ["1000", "0.001"]  # large and small values: a map's outputs times one of these
POWERS = [-3, -1, 1, 2]  # a point's coordinates times 10 to one of these


def scaled_map_text(names, m, factor: str):
    """A map from the given inputs to m outputs, each output times ``factor``."""
    return st.lists(term(names), min_size=m, max_size=m).map(
        lambda outs: f"({', '.join(names)}) -> " + (
            f"{factor}*({outs[0]})" if m == 1 else
            "(" + ", ".join(f"{factor}*({o})" for o in outs) + ")"))


def scaled_point(n, power: int, lo=-2, hi=2):
    """A point of n halves in [lo, hi], not all 0, times 10^power, as typed after --set."""
    return st.lists(st.integers(2 * lo, 2 * hi), min_size=n, max_size=n).filter(any).map(
        lambda v: ",".join(f"{x / 2:g}e{power}" for x in v))


@st.composite
def scaled_scalar(draw, values):
    """A scalar function's sweep values with f times 1000 or 1/1000 and its levels to match."""
    values = dict(values)
    factor = draw(st.sampled_from(FACTORS))
    names = values["f"].split(" -> ")[0].strip("()").split(", ")
    values["f"] = draw(scaled_map_text(names, 1, factor))
    values["levels"] = ",".join(f"{float(c) * float(factor):g}"
                                for c in values["levels"].split(","))
    return values

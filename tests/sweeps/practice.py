"""Random exercises for the practice scene: any kind, any seed, a countdown or none."""

from hypothesis import strategies as st

from jacviz.core.exercises import KINDS

STRATEGY = st.fixed_dictionaries({
    "kind": st.sampled_from(list(KINDS)),
    "seed": st.integers(0, 10 ** 6).map(str),
    "countdown": st.sampled_from(["0", "3", "10"]),
})

# draws that once failed the layout check, kept: they run first in every sweep, always
EXAMPLES: list[dict] = []

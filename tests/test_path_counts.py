"""Issue 21: what path-sums says about its paths is true to the graph it draws.

The drawn graph has one arrow per partial that is not identically zero.  The scene
counts paths along those arrows (the convention of the reverse sweep, which multiplies
once per drawn edge), and says how many the dense product has when some pass through a
zero edge.  The counts here are walked on the drawn graph, independently of the core."""

from __future__ import annotations

import re
from math import prod

from test_costs import _paths_along_edges

from jacviz.studio.request import resolve_params
from jacviz.studio.script import narrate

# 2 -> 2 -> 3 -> 2 -> 1: u2 ignores x1, v3 ignores u1, w2 only reads v3
MAPS = ("(x1, x2) -> (x1 + x2, 2*x2); (u1, u2) -> (u1*u2, u1 + u2, 3*u2); "
        "(v1, v2, v3) -> (v1 + v2 + v3, v3^2); (w1, w2) -> w1*w2")


def test_reverse_beat_counts_the_drawn_paths_and_names_the_dense_ones():
    params = resolve_params("path-sums", {"maps": MAPS, "point": "1,2", "entry": "1,1"})
    gd = params.validate().graphs[0]
    sc = narrate("path-sums", params)
    walked = _paths_along_edges(gd.graph, gd.i, gd.j)
    dense = prod(gd.chain.dims[1:-1])
    assert (walked, dense) == (2, 12)  # some paths pass through a zero edge
    caption = dict(sc.beats)["reverse-A"]
    m = re.search(r"enumerating the (\d+) paths of (\d+) edges along the arrows takes (\d+) "
                  r"multiplications for this entry alone \((\d+) paths in the dense product, "
                  r"(\d+) of them through a zero edge\)", caption)
    assert m, caption
    assert tuple(map(int, m.groups())) == (walked, 4, walked * 3, dense, dense - walked)
    graph_caption = dict(sc.beats)["graph-A"]
    assert f"there are {walked} paths along the arrows ({dense} in the dense product" \
        in graph_caption
    said = dict(sc.narration)["reverse-A"]
    assert said.endswith("this one entry alone took six.")  # 2 paths x 3 multiplications

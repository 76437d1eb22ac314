"""§5, §9: the chain rule as a sum over paths of a computation graph, and reverse
accumulation, which gets the same entry without enumerating the paths.

Each graph (the first lesson's, then the second lesson's; or one chain of 2 to
6 maps given as ``maps``) is drawn in layers; the chosen entry is assembled path
by path (for a long chain the first few, then the rest in one number: there are
as many paths as the product of the inner layer widths), matched with the entry
of the product of Jacobians, and computed again by reverse accumulation, each
adjoint once; the core counts the multiplications of both ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, UL, Create, FadeIn, FadeOut, Indicate, ReplacementTransform, \
    VGroup, Write

from jacviz import Chain, Graph, JacvizError
from jacviz.core.costs import Accumulation, PathEnumeration, path_enumeration, reverse_accumulate
from jacviz.core.graph import PathSummary
from jacviz.core.spoken import join_words, say_entry, say_int, say_name, say_num, say_vec
from jacviz.kit import (ColoredTex, ComputationGraph, JacobianMatrix, JacvizScene, SceneParams,
                        fmt_num, overlay, param, plain_expr, plain_mat, plain_vec, plural,
                        style, tex_expr, tex_factor, tex_name, tex_num, tex_signed_sum,
                        tex_vec)
from jacviz.kit.compgraph import adjoint_parts, path_parts
from jacviz.kit.matrix import MatrixProduct, composite_tex

FIRST, FEW = 3, 4  # more than FEW paths: the first FIRST live ones, then the rest summed
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,11}$")
_SKIP = ("", '""', "''", "none", "off")
H, I, M, P, WN, B = style.HIGHLIGHT, style.INK, style.MUTED, style.POINT, style.WARN, style.BACKWARD


@dataclass(frozen=True, eq=False)
class PathGraph:
    """One graph of the path-sums scene: the entry's paths, sums and accumulation."""

    tag: str
    chain: Chain
    graph: Graph
    i: int
    j: int
    small: bool
    x0: np.ndarray
    summary: PathSummary
    acc: Accumulation
    enum: PathEnumeration
    symbolic: object  # a sympy expression, for a 2-map chain
    Dh: np.ndarray
    out: str
    inp: str


@dataclass(frozen=True, eq=False)
class PathSumsNumbers:
    """What the path-sums scene draws: one or two graphs."""

    graphs: list[PathGraph]


@dataclass(frozen=True)
class PathSumsParams(SceneParams):
    maps: tuple = param((), "a chain of 2 to 6 maps, ';' between them (instead of g and f; "
                        "output_names, point, entry apply to it; graph B only if g2 is set)",
                        kind="maps")
    g: str = param("(x, y) -> (x^2 + y, x*y)", "graph A, inner map g", kind="map")
    f: str = param("(u, v) -> u + v^2", "graph A, outer map f (inputs: the middle nodes)",
                   kind="map")
    output_names: str = param("z", "graph A, names of the last map's outputs, comma-separated "
                              "(z alone becomes z1, z2, ... for several)", kind="text")
    point: tuple = param((1.0, 2.0), "graph A, the point (one number per input)", kind="vector")
    entry: tuple = param((1.0, 1.0), "graph A, the entry: output index, input index (1-based)",
                         kind="vector")
    g2: str = param("(x1, x2, x3) -> (x1*x2, x3^2)",
                    "graph B, inner map g2 (a map; empty text skips graph B)", kind="text")
    f2: str = param("(u1, u2) -> (u1 + u2, u1*u2)", "graph B, outer map f2", kind="map")
    output_names2: str = param("y1, y2", "graph B, names of f2's outputs", kind="text")
    point2: tuple = param((1.0, 2.0, 3.0), "graph B, the point (one number per input of g2)",
                          kind="vector")
    entry2: tuple = param((2.0, 3.0), "graph B, the entry: output index, input index (1-based)",
                          kind="vector")
    _none = ()  # no maps: chain_of reads graph B from g2, f2

    def build(self):
        graphs = [self._graph("A", self.chain_of(), "maps" if self.maps else "g, f",
                              "output_names", "point", "entry")]
        second = str(self.g2).strip().lower() not in _SKIP
        if second and (not self.maps or self.given("g2")):
            graphs.append(self._graph("B", self.chain_of("_none", ("g2", "f2"), at="point2"),
                                      "g2, f2", "output_names2", "point2", "entry2"))
        return PathSumsNumbers(graphs=graphs)

    def _graph(self, tag, chain, where, ok, pk, ek):
        names = [t.strip() for t in str(getattr(self, ok)).split(",") if t.strip()]
        names = [f"z{i + 1}" for i in range(chain.m)] if names == ["z"] and chain.m > 1 else names
        if len(names) != chain.m or not all(_NAME.match(nm) for nm in names):
            eg = ",".join(["y"] if chain.m == 1 else [f"y{i + 1}" for i in range(chain.m)])
            raise JacvizError(f"parameter {ok}: expected {plural(chain.m, 'variable name')} (a "
                              f"letter, then letters, digits or _), e.g. {eg}")
        layer = {}
        for k, space in enumerate(chain.space_names[:-1] + [tuple(names)]):
            for nm in space:
                if layer.setdefault(nm, k) != k:
                    raise JacvizError(f"parameters {where}, {ok}: the name {nm!r} names nodes of "
                                      f"two layers; each space needs its own names, e.g. x, u, v")
        chain, entry = Chain(chain.maps, output_names=names), getattr(self, ek)
        i, j = (int(round(v)) - 1 for v in entry) if len(entry) == 2 else (-1, -1)
        if any(abs(v - round(v)) > 1e-9 for v in entry) or not (0 <= i < chain.m and
                                                                0 <= j < chain.n):
            raise JacvizError(f"parameter {ek}: expected an output index (1 to {chain.m}) and an "
                              f"input index (1 to {chain.n}), e.g. 1,1")
        graph = Graph(chain, getattr(self, pk))
        small = len(chain) == 2
        return PathGraph(
            tag=tag, chain=chain, graph=graph, i=i, j=j, small=small, x0=graph.x0,
            summary=graph.path_summary(i, j, first=FIRST, few=FEW),
            acc=reverse_accumulate(graph, i), enum=path_enumeration(graph, i, j),
            symbolic=graph.path_sum(i, j).total_symbolic if small else None,
            Dh=chain.jacobian(graph.x0), out=graph.layers[-1][i], inp=graph.layers[0][j])


@dataclass(frozen=True, eq=False)
class PanelLines:
    """The path panel: its header, one line per path and the running sums."""

    header: VGroup
    lines: list
    sums: list


@dataclass(eq=False)
class GraphOnScreen:
    """What is on screen for the graph being shown (it changes beat by beat)."""

    cg: ComputationGraph
    table: VGroup | None = None  # the edge table, when the edges carry no labels
    hl: VGroup | None = None  # the path highlighted now
    panel: PanelLines | None = None
    sum_block: VGroup | None = None


def _line(parts, width, size=style.SMALL, fit=True):
    """One line of (tex, colour) parts at size (or TINY), fitted to width (if fit)."""
    for fs in (size, style.TINY):
        m = ColoredTex(*parts, font_size=fs)
        if m.width <= width:
            return m
    return style.fit(m, width) if fit else m


class PathSums(JacvizScene):
    Params = PathSumsParams
    EXAMPLE = {"maps": "(x1, x2) -> (x1*x2, x1 + x2, x2^2); (u1, u2, u3) -> (u1 - u2, u2*u3); "
                       "(v1, v2) -> (v1^2, v1*v2, v2); (w1, w2, w3) -> w1 + w2 - w3",
               "output_names": "y", "point": "1,2", "entry": "1,2"}

    def construct(self):
        for gd in self.n.graphs:
            self.show_graph(gd)
            for k in range(len(gd.summary.shown) + gd.summary.summarised):
                self.follow_path(gd, k)
            self.match_entry(gd)
            self.accumulate_in_reverse(gd)

    # -- beat: the graph ------------------------------------------------------------
    def show_graph(self, gd):
        ch, g = gd.chain, gd.graph
        defs = "; ".join(", ".join(f"{nm} = {plain_expr(e)}" for nm, e in zip(names, mp.outputs))
                         for mp, names in zip(ch.maps, ch.space_names[1:]))
        self.beat(f"graph-{gd.tag}", f"{'First' if gd.tag == 'A' else 'Second'} graph: {defs}. "
                  f"One node per coordinate (its value at {plain_vec(gd.x0)} in green), one arrow "
                  f"per partial derivative that is not zero. From {gd.inp.name} to {gd.out.name} "
                  f"{_paths_drawn(gd)}.",
                  say=say_graph(gd))
        self.clear_except()
        self.title_mob = None
        head = "Multiply along edges, add over paths" if gd.tag == "A" else "Second graph"
        self.set_title(rf"{head}: $\partial {tex_name(gd.out.name)}/\partial "
                       rf"{tex_name(gd.inp.name)}$ at ${tex_vec(gd.x0)}$")
        deftex = _line([p for mp, names in zip(ch.maps, ch.space_names[1:]) for p in (
            (rf"\quad {tex_name(mp.name)}:\ ", M), (r",\ ".join(
                f"{tex_name(nm)} = {tex_expr(e)}" for nm, e in zip(names, mp.outputs)), I))],
            style.safe_width(), fit=False)
        top = 2.35 if deftex.width <= style.safe_width() else 2.8
        if top < 2.8:
            self.play(FadeIn(deftex.move_to([0, 2.72, 0])), run_time=0.5)
        side = len(g.layers) <= 3
        left, right = -7.11 + style.MARGIN, 7.11 - style.MARGIN
        low = style.CONTENT_BOTTOM
        self.panel_box = (0.95, right, top, low) if side else (left, right, -0.75, low)
        labels = "auto" if len(g.edges) <= 12 else "values" if len(g.edges) <= 24 else "none"
        sc = self.screen = GraphOnScreen(ComputationGraph(
            g, left=left, right=0.55 if side else right, top=top, bottom=low if side else -0.5,
            labels=labels, reserve=gd.acc.values, reverse=True))
        self.play(sc.cg.grow(0.5 if side else 0.3))
        if not sc.cg.labels and side:
            sc.table = self._place(sc.cg.edge_table(right - 0.95, top - low))
            self.play(FadeIn(sc.table), run_time=0.8)
        self.wait(0.8)

    @staticmethod
    def _dd(gd) -> str:
        return rf"\frac{{\partial {tex_name(gd.out.name)}}}{{\partial {tex_name(gd.inp.name)}}}"

    def _place(self, mob):
        l, r, t, b = self.panel_box
        style.fit(mob, r - l, t - b)
        return mob.move_to([l, t, 0], aligned_edge=UL)

    # -- beats: one path at a time, then the rest ------------------------------------------
    def _panel(self, gd):
        """Header, one line per shown path, the rest, the sum: laid out once."""
        W = self.panel_box[1] - self.panel_box[0]
        s, out, inn = gd.summary, tex_name(gd.out.name), tex_name(gd.inp.name)
        rhs = " + ".join(rf"\frac{{\partial {out}}}{{\partial {m}}}\frac{{\partial {m}}}"
                         rf"{{\partial {inn}}}" for m in map(tex_name, gd.chain.space_names[1])) \
            if gd.small else r"\sum_{\text{paths}}\ \prod_{\text{edges}} \text{partial}"
        header = _line([(self._dd(gd), H), ("=", I), (rhs, I)], W)
        # the partials by name too, for two maps, where every path's line fits with them
        sym = gd.small and all(ColoredTex(*path_parts(t, True), font_size=style.TINY).width <= W
                               for t in s.shown)
        lines = [_line(path_parts(t, sym), W) for t in s.shown]
        vals = [t.value for t in s.shown] + ([s.rest_value] if s.summarised else [])
        if s.summarised:
            widths = r"\cdot".join(str(w) for w in s.widths)
            lines.append(_line([(rf"+\ {s.rest_paths}\text{{ more paths}}", H),
                                (rf"\ ({s.paths} = {widths}):\ {s.rest_live}"
                                 rf"\text{{ live, sum }}", M), (tex_num(s.rest_value), P)], W))
        sums = [_line([(r"\text{sum so far} = " if k < len(vals) - 1 else r"\text{sum} = ", M),
                       (tex_signed_sum(vals[:k + 1]), P)]
                      + ([("=", M), (tex_num(s.running[k]), P)] if k else []), W)
                for k in range(len(vals))]
        block = VGroup(header, *lines, sums[-1]).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        w0 = block.width
        scale = self._place(block).width / w0
        for sm in sums[:-1]:
            sm.scale(scale).move_to(sums[-1], aligned_edge=LEFT)
        return PanelLines(header, lines, sums)

    def follow_path(self, gd, k):
        s, sc = gd.summary, self.screen
        if k == len(s.shown):
            self.beat(f"rest-{gd.tag}", f"The other {s.rest_paths} paths, summed: {s.paths} paths "
                      f"in all, {' x '.join(str(w) for w in s.widths)} (one node chosen in every "
                      f"inner layer), {s.live} of them avoid every missing edge. The other paths "
                      f"add up to {fmt_num(s.rest_value)}, so the sum is {fmt_num(s.total)}.",
                      say=say_rest(gd))
        else:
            t = s.shown[k]
            gone = [f"{a.name} -> {b.name}" for a, b, p in zip(t.nodes, t.nodes[1:], t.partials)
                    if p == 0]
            what = (f"there is no edge {' and '.join(gone)} (the partial is identically 0), so "
                    f"the path contributes 0" if gone else "multiply along its edges, " +
                    f"{' * '.join(fmt_num(v) for v in reversed(t.values))} = {fmt_num(t.value)}")
            self.beat(f"path-{gd.tag}{k + 1}", f"Path {' -> '.join(n.name for n in t.nodes)}: "
                      f"{what}. Sum so far {fmt_num(s.running[k])}.", say=say_path(gd, k))
        if k == 0:
            sc.panel = self._panel(gd)
            self.play(*([FadeOut(sc.table)] if sc.table else []), Write(sc.panel.header),
                      run_time=0.8)
        else:
            self.play(FadeOut(sc.hl), sc.panel.lines[k - 1].animate.set_opacity(0.55),
                      run_time=0.3)
        hl = sc.cg.highlight_path(s.shown[k]) if k < len(s.shown) else None
        sc.hl = hl.group if hl else None
        if hl:
            self.play(Create(hl.nodes), *[Create(e) for e in hl.edges], run_time=0.8)
            self.play(*[FadeIn(m) for m in hl.extra],
                      *[Indicate(m, color=H, scale_factor=1.15) for m in hl.indicate], run_time=0.6)
            self.bring_to_front(*hl.indicate)
        sums = sc.panel.sums
        self.play(Write(sc.panel.lines[k]),
                  FadeIn(sums[0]) if k == 0 else ReplacementTransform(sums[k - 1], sums[k]),
                  run_time=0.9)
        self.wait(0.6)

    # -- beat: the sum is an entry of the product of Jacobians -------------------------
    def match_entry(self, gd):
        s, i, j, ch = gd.summary, gd.i, gd.j, gd.chain
        names = [tex_name(mp.name) for mp in reversed(ch.maps)]
        self.beat(f"sum-{gd.tag}",
                  f"Adding the paths: d{gd.out.name}/d{gd.inp.name} = {fmt_num(s.total)} at "
                  f"{plain_vec(gd.x0)}, entry ({i + 1}, {j + 1}) of the product of Jacobians "
                  f"{' '.join('D' + mp.name for mp in reversed(ch.maps))} = {plain_mat(gd.Dh)}"
                  + f": row {i + 1} of D{ch.maps[-1].name} times "
                  + "".join(f"D{mp.name} times " for mp in reversed(ch.maps[1:-1]))
                  + f"column {j + 1} of D{ch.maps[0].name}.", say=say_sum(gd))
        W, Js = self.panel_box[1] - self.panel_box[0], gd.graph.jacobians
        sym = [(tex_expr(gd.symbolic), I), ("=", M)] if gd.small else []
        rows = [_line([(self._dd(gd), H), ("=", M)] + sym + [(tex_num(s.total), P)], W)]
        Dh = JacobianMatrix.numeric(gd.Dh, font_size=style.SMALL, color=P)
        mats = [JacobianMatrix.numeric(J, font_size=style.SMALL) for J in Js[::-1]]
        prod = MatrixProduct(mats, Dh, labels=[f"D{n}" for n in names], width=W,
                             result_label=rf"D({composite_tex(names)})")
        if len(prod.lines) > 1 + gd.small:  # too long: the product by name, then its value
            lhs_m = ColoredTex((rf"D({composite_tex(names)}){tex_vec(gd.x0)} = "
                                + r"\,".join(f"D{n}" for n in names), I), font_size=style.SMALL)
            prod, mats = MatrixProduct([lhs_m], Dh, width=W), None
        if gd.small:
            rows.append(_line([(rf"\text{{row {i + 1}}}\cdot\text{{column {j + 1}}}:\ ", H),
                               (" + ".join(rf"{tex_factor(a)}\cdot {tex_factor(b)}" for a, b in
                                           zip(Js[1][i], Js[0][:, j])), P),
                               ("=", M), (tex_num(gd.Dh[i, j]), P)], W))
        block = self._place(VGroup(rows[0], prod, *rows[1:]).arrange(DOWN, aligned_edge=LEFT))
        boxes = ([mats[0].highlight_row(i), mats[-1].highlight_column(j)] if mats else []) \
            + [Dh.highlight_entry(i, j)]
        sc = self.screen
        self.play(FadeOut(VGroup(sc.panel.header, *sc.panel.lines, sc.panel.sums[-1])),
                  *([FadeOut(sc.hl)] if sc.hl else []), run_time=0.5)
        sc.hl = None
        self.play(Write(block[0]), run_time=0.8)
        self.play(FadeIn(prod), run_time=0.7)
        self.play(*[Create(b) for b in boxes], *[Write(r) for r in block[2:]], run_time=0.9)
        self.wait(1.0)
        sc.sum_block = VGroup(block, *boxes)

    # -- beat: reverse accumulation --------------------------------------------------------
    def accumulate_in_reverse(self, gd):
        acc, en, g, cg = gd.acc, gd.enum, gd.graph, self.screen.cg
        self.beat(f"reverse-{gd.tag}", f"Reverse accumulation: adjoint 1 at {gd.out.name}, then "
                  f"back layer by layer: a node's adjoint is the sum over its outgoing edges of "
                  f"partial times the head's adjoint, computed once and reused by every edge into "
                  f"it. {acc.mults} multiplications, one per edge, give the whole row "
                  f"{plain_vec(acc.result)}, with d{gd.out.name}/d{gd.inp.name} = "
                  f"{fmt_num(acc.value(gd.inp))}; enumerating the {plural(en.live_paths, 'path')} "
                  f"of {en.stages} edges along the arrows takes {en.live_mults} multiplications "
                  f"for this entry alone{_dense_note(en)}.",
                  say=say_reverse(gd))
        W = self.panel_box[1] - self.panel_box[0]
        self.set_title(rf"Reverse accumulation: $\partial {tex_name(gd.out.name)}/\partial "
                       rf"{tex_name(gd.inp.name)}$ from adjoints, each computed once")
        rule = _line([(r"\bar{v} = \sum_{v\to h}\frac{\partial h}{\partial v}\,\bar{h}", B),
                      (r"\quad\text{(adjoint: } \partial " + tex_name(gd.out.name)
                       + r"/\partial v\text{)}", M)], W)
        shown = [n for layer in reversed(g.layers[:-1]) for n in layer
                 if acc.reached[n.space][n.index]] if gd.small else [gd.inp]
        lines = [_line(adjoint_parts(acc, n, gd.small), W) for n in shown]
        counts = [_line([(r"\text{reverse: }", B), (str(acc.mults), P), (
            r"\text{ multiplications, one per edge, for the row}", M)], W),
                  _line([(r"\text{paths: }", H), (rf"\text{{{plural(en.live_paths, 'path')} of "
                                                   rf"{en.stages} edges, }}{en.live_mults}", P),
                         (r"\text{ multiplications, one entry}", M)], W)]
        if en.zero_paths:  # the dense product's paths, counted on the same graph
            counts.append(_line([(rf"\text{{(dense product: {en.paths} paths, "
                                  rf"{en.zero_paths} through a zero edge)}}", M)], W))
        self._place(VGroup(rule, *lines, *counts).arrange(DOWN, aligned_edge=LEFT,
                                                          buff=0.25 if len(counts) < 3 else 0.18))
        self.play(FadeOut(self.screen.sum_block), Write(rule), run_time=0.7)
        for st in cg.reverse_steps(acc):
            if st.back:
                self.play(Create(st.back), run_time=0.5 if gd.small else 0.3)
            self.play(*[m.animate.set_opacity(0) for m in st.hide], FadeIn(st.numbers),
                      *[Write(ln) for n, ln in zip(shown, lines) if n.space == st.space],
                      *([FadeOut(st.back)] if st.back else []), run_time=0.5 if gd.small else 0.35)
        hl = overlay(cg.node(0, gd.j)[0].copy().set_fill(opacity=0).set_stroke(H, width=5))
        self.play(Create(hl), *[FadeIn(c) for c in counts], run_time=0.9)
        self.wait(1.2)


# -- narration: what each beat says, read from the graph's numbers -------------------------
def _d(gd) -> str:
    return f"d {say_name(gd.out.name)} by d {say_name(gd.inp.name)}"


def _paths_drawn(gd) -> str:
    """How many paths the drawn graph has from the input to the output, and, when some
    partials are identically zero, how many the dense product has (one convention: the
    paths along drawn arrows, each of one edge per map)."""
    en, widths = gd.enum, " x ".join(str(w) for w in gd.summary.widths)
    if not en.zero_paths:
        return f"there are {plural(en.paths, 'path')} ({widths}, the inner layer widths)"
    return (f"there {'is' if en.live_paths == 1 else 'are'} {plural(en.live_paths, 'path')} "
            f"along the arrows ({en.paths} in the dense product, {widths}; "
            f"{en.zero_paths} of them pass through a zero edge)")


def _dense_note(en) -> str:
    return (f" ({en.paths} paths in the dense product, {en.zero_paths} of them through a zero "
            f"edge)" if en.zero_paths else "")


def say_graph(gd) -> str:
    first = ("Now the chain rule as a picture: a computation graph. " if gd.tag == "A" else
             "A second graph, from the lesson's worked example. ")
    return (first + f"Each node is one coordinate, with its value at {say_vec(gd.x0)} in green. "
            f"Each arrow is a partial derivative that is not zero. To find {_d(gd)}, we follow "
            f"every path from {say_name(gd.inp.name)} to {say_name(gd.out.name)} along the "
            f"arrows: there {'is' if gd.enum.live_paths == 1 else 'are'} "
            f"{say_int(gd.enum.live_paths)}.")


def say_path(gd, k) -> str:
    s = gd.summary
    t = s.shown[k]
    route = join_words((say_name(n.name) for n in t.nodes), "then")
    if any(p == 0 for p in t.partials):
        what = ("One edge on it is missing: that partial is zero, so the whole path "
                "contributes zero.")
    else:
        what = f"Multiply the partials along its edges: the path contributes {say_num(t.value)}."
    return f"The path through {route}. {what} The sum so far is {say_num(s.running[k])}."


def say_rest(gd) -> str:
    s = gd.summary
    return (f"The other {say_int(s.rest_paths)} paths are summed together: they add up to "
            f"{say_num(s.rest_value)}. Over all {say_int(s.paths)} paths, the sum is "
            f"{say_num(s.total)}.")


def say_sum(gd) -> str:
    s = gd.summary
    return (f"Adding the paths gives {_d(gd)}: {say_num(s.total)}. It is "
            f"{say_entry(gd.i, gd.j)} of the product of the Jacobians. Multiply along edges, "
            f"add over paths: that is matrix multiplication written with indices.")


def say_reverse(gd) -> str:
    acc, en = gd.acc, gd.enum
    return (f"In blue, coming back: reverse accumulation. Each node's adjoint is the sum over "
            f"its outgoing edges of the partial times the adjoint at the edge's head. "
            f"Each is computed once and reused: {say_int(acc.mults)} multiplications, one per "
            f"edge, give the whole row. Path by path, along the arrows, this one entry alone "
            f"took {say_int(en.live_mults)}.")

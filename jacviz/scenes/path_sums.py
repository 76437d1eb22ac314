"""§5: the chain rule as a sum over paths of a computation graph.

``dz/dx_j = sum_i dz/du_i du_i/dx_j``: multiply the partials along the edges
of a path, add over the paths.  Each graph (the first lesson's, then the
second lesson's) is drawn as layers of nodes (one per coordinate), its edges
labelled with their partials; the chosen Jacobian entry is assembled path by
path (a path through a missing edge contributes 0), and the sum is matched
with the entry of the matrix product ``Df Dg``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import sympy
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    BackgroundRectangle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    RoundedRectangle,
    SurroundingRectangle,
    VGroup,
    Write,
    Arrow,
)

from jacviz import Chain, Graph, JacvizError, Map, self_check
from jacviz.fmt import fmt_num, fmt_vec, plain_expr, plain_mat
from jacviz.studio.params import SceneParams, param
from jacviz.parse import symbol
from jacviz.kit import style
from jacviz.kit.scene import JacvizScene

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SKIP = ("", '""', "''", "none", "off")

# where the edge labels may sit along an edge (fraction of the visible segment)
_T_CANDIDATES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73)


def _split_names(text: str) -> list[str]:
    return [t.strip() for t in str(text).split(",") if t.strip()]


def _tex_name(name: str) -> str:
    return sympy.latex(symbol(name))


def _paren(s: str) -> str:
    return rf"\left({s}\right)" if "frac" in s else f"({s})"


def _num_factor(v: float) -> str:
    s = style.num(v)
    return f"({s})" if s.startswith("-") else s


def _signed_sum(values) -> str:
    """'2 + 8 - 3' from [2, 8, -3]."""
    out = ""
    for k, v in enumerate(values):
        s = style.num(v)
        if k == 0:
            out = s
        elif s.startswith("-"):
            out += " - " + s[1:]
        else:
            out += " + " + s
    return out


@dataclass(frozen=True)
class PathSumsParams(SceneParams):
    g: str = param("(x, y) -> (x^2 + y, x*y)",
                   "graph A, inner map g (its inputs name the input nodes)", kind="map")
    f: str = param("(u, v) -> u + v^2",
                   "graph A, outer map f (its inputs name the middle nodes)", kind="map")
    output_names: str = param("z", "graph A, names of f's outputs, comma-separated", kind="text")
    point: tuple = param((1.0, 2.0), "graph A, the point x0 (one number per input of g)",
                         kind="vector")
    entry: tuple = param((1.0, 1.0), "graph A, the Jacobian entry: output index, input index "
                         "(1-based)", kind="vector")
    g2: str = param("(x1, x2, x3) -> (x1*x2, x3^2)",
                    "graph B, inner map g2 (a map; empty text skips graph B)", kind="text")
    f2: str = param("(u1, u2) -> (u1 + u2, u1*u2)", "graph B, outer map f2", kind="map")
    output_names2: str = param("y1, y2", "graph B, names of f2's outputs, comma-separated",
                               kind="text")
    point2: tuple = param((1.0, 2.0, 3.0), "graph B, the point (one number per input of g2)",
                          kind="vector")
    entry2: tuple = param((2.0, 3.0), "graph B, the Jacobian entry: output index, input index "
                          "(1-based)", kind="vector")

    @property
    def has_second(self) -> bool:
        return str(self.g2).strip().lower() not in _SKIP

    def validate(self):
        self.check_graph("g", "f", "output_names", "point", "entry")
        if self.has_second:
            self.check_graph("g2", "f2", "output_names2", "point2", "entry2")

    def check_graph(self, gk, fk, ok, pk, ek) -> Chain:
        G = self.map_of(gk, getattr(self, gk), max_dim=3)
        F = self.map_of(fk, getattr(self, fk), max_dim=3)
        if F.n != G.m:
            raise JacvizError(
                f"parameter {fk}: takes {F.n} input{'s' if F.n != 1 else ''} but {gk} gives "
                f"{G.m} output{'s' if G.m != 1 else ''}; {fk}'s inputs name {gk}'s outputs, "
                f"so their numbers must match")
        names = _split_names(getattr(self, ok))
        if len(names) != F.m:
            raise JacvizError(
                f"parameter {ok}: {len(names)} name{'s' if len(names) != 1 else ''} for the "
                f"{F.m} output{'s' if F.m != 1 else ''} of {fk}, e.g. "
                f"{','.join(['z'] if F.m == 1 else [f'y{i + 1}' for i in range(F.m)])}")
        for nm in names:
            if not _NAME.match(nm) or len(nm) > 12:
                raise JacvizError(f"parameter {ok}: {nm!r} is not a variable name "
                                  f"(a letter, then letters, digits or _; at most 12 characters)")
        every = list(G.input_names) + list(F.input_names) + names
        seen = set()
        for nm in every:
            if nm in seen:
                raise JacvizError(
                    f"parameters {gk}, {fk}, {ok}: the name {nm!r} is used twice; the inputs of "
                    f"{gk}, the inputs of {fk} and {ok} name the nodes of the three layers, "
                    f"so they must all differ")
            seen.add(nm)
        self.need_length(pk, getattr(self, pk), G.n, f"one number per input of {gk}")
        entry = getattr(self, ek)
        if len(entry) != 2 or any(abs(v - round(v)) > 1e-9 for v in entry):
            raise JacvizError(f"parameter {ek}: expected two whole numbers, output index and "
                              f"input index (1-based), e.g. 1,1")
        i, j = int(round(entry[0])), int(round(entry[1]))
        if not 1 <= i <= F.m:
            raise JacvizError(f"parameter {ek}: output index {i} is out of range; {fk} has "
                              f"{F.m} output{'s' if F.m != 1 else ''} (1 to {F.m})")
        if not 1 <= j <= G.n:
            raise JacvizError(f"parameter {ek}: input index {j} is out of range; {gk} has "
                              f"{G.n} input{'s' if G.n != 1 else ''} (1 to {G.n})")
        chain = Chain([G, F], output_names=names)
        self_check(chain, getattr(self, pk))
        return chain


# -- small geometry helpers (label placement) ---------------------------------
def _rect(c, w, h, pad=0.0):
    return (c[0] - w / 2 - pad, c[1] - h / 2 - pad, c[0] + w / 2 + pad, c[1] + h / 2 + pad)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _seg_hits(r, p, q, n=60) -> bool:
    for s in np.linspace(0.0, 1.0, n):
        x, y = p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])
        if r[0] < x < r[2] and r[1] < y < r[3]:
            return True
    return False


def _box_exit(center, half_w, half_h, toward, buff=0.04):
    """The point where the ray from a box's centre toward `toward` leaves the box."""
    d = np.asarray(toward, dtype=float) - np.asarray(center, dtype=float)
    t = min(half_w / max(abs(d[0]), 1e-9), half_h / max(abs(d[1]), 1e-9))
    u = d / max(np.linalg.norm(d), 1e-9)
    return np.asarray(center, dtype=float) + t * d + buff * u


class PathSums(JacvizScene):
    Params = PathSumsParams
    EXAMPLE = {"g": "(a, b) -> (a*b, a + b, b^2)", "f": "(p, q, r) -> p*q + r",
               "point": "2,1", "entry": "1,2", "g2": ""}

    # frame regions
    GRAPH_LEFT = -7.11 + style.MARGIN
    GRAPH_RIGHT = 0.55
    PANEL_LEFT = 0.95
    PANEL_RIGHT = 7.11 - style.MARGIN
    TOP = 2.3
    BOTTOM = -4.0 + style.MARGIN

    def construct(self):
        self.setup_numbers()
        for n, gd in enumerate(self.graphs):
            self.draw_graph(gd, first=(n == 0))
            for k in range(len(gd.ps.terms)):
                self.assemble_path(gd, k)
            self.match_matrix_entry(gd)

    # -- numbers (core only) -------------------------------------------------------
    def setup_numbers(self):
        p = self.params
        specs = [("A", p.g, p.f, p.output_names, p.point, p.entry)]
        if p.has_second:
            specs.append(("B", p.g2, p.f2, p.output_names2, p.point2, p.entry2))
        self.graphs = [self._graph_data(*s) for s in specs]

    def _graph_data(self, tag, gtext, ftext, onames, point, entry):
        G, F = Map(gtext, name="g"), Map(ftext, name="f")
        chain = Chain([G, F], output_names=_split_names(onames))
        graph = Graph(chain, point)
        i, j = int(round(entry[0])) - 1, int(round(entry[1])) - 1
        ps = graph.path_sum(i, j)
        layers = graph.layers
        out_node, in_node = layers[2][i], layers[0][j]
        return SimpleNamespace(
            tag=tag, G=G, F=F, chain=chain, graph=graph, ps=ps, i=i, j=j,
            point=tuple(float(v) for v in point),
            Dg=np.asarray(graph.jacobians[0], dtype=float),
            Df=np.asarray(graph.jacobians[1], dtype=float),
            Dh=np.asarray(chain.jacobian(graph.x0), dtype=float),
            out_name=out_node.name, in_name=in_node.name,
            out_tex=_tex_name(out_node.name), in_tex=_tex_name(in_node.name),
            mid_names=[n.name for n in layers[1]],
        )

    # -- text helpers ----------------------------------------------------------------
    def _entry_tex(self, gd) -> str:
        return rf"\frac{{\partial {gd.out_tex}}}{{\partial {gd.in_tex}}}"

    def _point_tex(self, gd) -> str:
        return "(" + ", ".join(style.num(v) for v in gd.point) + ")"

    def _line(self, parts, colors, width, size=None):
        """One MathTex line of coloured parts, fitted to width (never below TINY if avoidable)."""
        for fs in ((size,) if size else (style.SMALL, style.TINY)):
            m = MathTex(*parts, font_size=fs)
            for sub, c in zip(m.submobjects, colors):
                sub.set_color(c)
            if m.width <= width:
                return m
        return style.fit(m, width)

    # -- beat 1: the graph -------------------------------------------------------
    def draw_graph(self, gd, first: bool):
        lay = self._layout(gd)
        gd.lay = lay
        g_defs = ", ".join(f"{nm} = {plain_expr(e)}" for nm, e in zip(gd.mid_names, gd.G.outputs))
        f_defs = ", ".join(f"{nm} = {plain_expr(e)}"
                           for nm, e in zip(gd.chain.output_names, gd.F.outputs))
        ins = ", ".join(n.name for n in gd.graph.layers[0])
        example = gd.graph.edges[0]
        ex = (f"d{example.dst.name}/d{example.src.name} = {plain_expr(example.partial)} = "
              f"{fmt_num(example.value)}")
        which = "First graph" if gd.tag == "A" else "Second graph"
        self.beat(
            f"graph-{gd.tag}",
            f"{which}: the inputs {ins} feed {g_defs}, which feed {f_defs}. One node per "
            f"coordinate, one arrow per partial derivative that is not zero, labelled with the "
            f"partial and its value at {fmt_vec(gd.point)}, e.g. {ex}.")
        if not first:
            self.play(FadeOut(*self.mobjects), run_time=0.6)
        prefix = "Multiply along edges, add over paths" if gd.tag == "A" else "Second graph"
        ttl = style.title(rf"{prefix}: $\partial {gd.out_tex}/\partial {gd.in_tex}$ at "
                          rf"${self._point_tex(gd)}$")
        g_tex = r",\ ".join(f"{_tex_name(nm)} = {sympy.latex(e)}"
                            for nm, e in zip(gd.mid_names, gd.G.outputs))
        f_tex = r",\ ".join(f"{_tex_name(nm)} = {sympy.latex(e)}"
                            for nm, e in zip(gd.chain.output_names, gd.F.outputs))
        defs = self._line([r"g:\ ", g_tex, r"\qquad f:\ ", f_tex],
                          [style.MUTED, style.INK, style.MUTED, style.INK], style.safe_width())
        defs.move_to(UP * 2.72)
        self.play(Write(ttl), FadeIn(defs), run_time=1.0)
        for k in range(3):
            anims = [FadeIn(b) for b in lay.boxes[k]]
            if k > 0:
                anims += [GrowArrow(a) for (s, _, _), a in lay.arrows.items() if s == k - 1]
            self.play(*anims, run_time=0.7)
        if lay.labels:
            self.play(LaggedStart(*[FadeIn(m) for m in lay.labels.values()], lag_ratio=0.1),
                      run_time=1.2)
        if lay.table is not None:
            self.play(FadeIn(lay.table), run_time=0.8)
        self.wait(1.2)

    def _node_box(self, name, value):
        nm = MathTex(_tex_name(name), font_size=style.BODY, color=style.INK)
        val = MathTex(style.num(value), font_size=style.TINY, color=style.POINT)
        content = VGroup(nm, val).arrange(DOWN, buff=0.1)
        box = RoundedRectangle(width=max(0.85, content.width + 0.3),
                               height=max(0.95, content.height + 0.25), corner_radius=0.12,
                               stroke_color=style.INK, stroke_width=2, fill_color=style.PANEL,
                               fill_opacity=1)
        content.move_to(box)
        return VGroup(box, content)

    def _edge_label(self, edge, value_only=False):
        val = style.num(edge.value)
        sym = sympy.latex(edge.partial)
        if value_only or (edge.partial.is_number and sym == val):
            tex = MathTex(val, font_size=style.TINY, color=style.POINT)
        else:
            tex = MathTex(sym, "=", val, font_size=style.TINY)
            tex[0].set_color(style.INK)
            tex[1].set_color(style.MUTED)
            tex[2].set_color(style.POINT)
        bg = BackgroundRectangle(tex, color=style.BACKGROUND, fill_opacity=1, buff=0.06)
        return VGroup(bg, tex)

    def _layout(self, gd):
        graph = gd.graph
        layers = graph.layers
        pts = graph.points
        boxes = [[self._node_box(n.name, pts[k][n.index]) for n in layer]
                 for k, layer in enumerate(layers)]
        widths = [max(b.width for b in row) for row in boxes]
        hbox = max(b.height for row in boxes for b in row)
        xl, xr = self.GRAPH_LEFT, self.GRAPH_RIGHT
        yt, yb = self.TOP, self.BOTTOM
        gap = (xr - xl - sum(widths)) / 2
        xs = [xl + widths[0] / 2]
        xs.append(xs[0] + widths[0] / 2 + gap + widths[1] / 2)
        xs.append(xr - widths[2] / 2)
        maxn = max(len(layer) for layer in layers)
        s = min(3.0, (yt - yb - hbox) / (maxn - 1)) if maxn > 1 else 0.0
        yc = (yt + yb) / 2
        centers = {}
        for k, row in enumerate(boxes):
            n = len(row)
            for idx, b in enumerate(row):
                c = np.array([xs[k], yc + (n - 1) / 2 * s - idx * s, 0.0])
                b.move_to(c)
                centers[(k, idx)] = c

        def seg(k, a, b):
            ca, cb = centers[(k, a)], centers[(k + 1, b)]
            ba, bb = boxes[k][a][0], boxes[k + 1][b][0]
            p = _box_exit(ca, ba.width / 2, ba.height / 2, cb)
            q = _box_exit(cb, bb.width / 2, bb.height / 2, ca)
            return p, q

        arrows, segs = {}, {}
        for e in graph.edges:
            key = (e.stage, e.src.index, e.dst.index)
            p, q = seg(*key)
            segs[key] = (p, q)
            arrows[key] = Arrow(p, q, buff=0, color=style.MUTED, stroke_width=3,
                                tip_length=0.18, max_tip_length_to_length_ratio=0.2,
                                max_stroke_width_to_length_ratio=10)
        node_rects = [_rect(b.get_center(), b.width, b.height, pad=0.06)
                      for row in boxes for b in row]
        region = (xl, yb, xr, yt)

        labels, table, full = {}, None, False
        for value_only in (False, True):
            cand = {(e.stage, e.src.index, e.dst.index): self._edge_label(e, value_only)
                    for e in graph.edges}
            placed = self._place(cand, segs, node_rects, region)
            if placed is not None:
                for key, c in placed.items():
                    cand[key].move_to(c)
                labels, full = cand, not value_only
                break
        if not full:
            table = self._edge_table(gd)
        return SimpleNamespace(boxes=boxes, centers=centers, arrows=arrows, segs=segs,
                               labels=labels, table=table, node_rects=node_rects,
                               region=region, seg=seg)

    def _place(self, cand, segs, obstacles, region):
        """Greedy placement of edge labels on their own edges; None if impossible."""
        keys = list(cand)
        orders = [keys, list(reversed(keys)),
                  sorted(keys, key=lambda k: -abs(segs[k][1][1] - segs[k][0][1]))]
        for order in orders:
            rects = list(obstacles)
            out = {}
            for key in order:
                mob = cand[key]
                p, q = segs[key]
                done = False
                for t in _T_CANDIDATES:
                    c = p + t * (q - p)
                    r = _rect(c, mob.width, mob.height, pad=0.03)
                    if r[0] < region[0] or r[2] > region[2] or r[1] < region[1] or r[3] > region[3]:
                        continue
                    if any(_overlap(r, o) for o in rects):
                        continue
                    rs = _rect(c, mob.width, mob.height, pad=0.08)
                    if any(_seg_hits(rs, a, b) for kk, (a, b) in segs.items() if kk != key):
                        continue
                    out[key] = c
                    rects.append(r)
                    done = True
                    break
                if not done:
                    break
            if len(out) == len(keys):
                return out
        return None

    def _free_spot(self, mob, p, q, extra_rects=()):
        """A spot along p-q for a transient label, avoiding nodes and labels if possible."""
        lay = self._cur.lay
        rects = list(lay.node_rects) + [_rect(m.get_center(), m.width, m.height)
                                        for m in lay.labels.values()] + list(extra_rects)
        best, best_hits = p + 0.5 * (q - p), None
        for t in _T_CANDIDATES:
            c = p + t * (q - p)
            r = _rect(c, mob.width, mob.height, pad=0.03)
            if any(_overlap(r, o) for o in rects):
                continue
            hits = sum(_seg_hits(r, a, b) for (a, b) in lay.segs.values()
                       if not (np.allclose(a, p) and np.allclose(b, q)))
            if best_hits is None or hits < best_hits:
                best, best_hits = c, hits
        return best

    def _edge_table(self, gd):
        """Every edge's partial, symbolic and at the point (when labels would collide)."""
        cols = []
        for k in range(2):
            rows = []
            for e in [e for e in gd.graph.edges if e.stage == k]:
                sym, val = sympy.latex(e.partial), style.num(e.value)
                lhs = rf"\partial {_tex_name(e.dst.name)}/\partial {_tex_name(e.src.name)}"
                if e.partial.is_number and sym == val:
                    parts, colors = [lhs, "=", val], [style.INK, style.MUTED, style.POINT]
                else:
                    parts = [lhs, "=", sym, "=", val]
                    colors = [style.INK, style.MUTED, style.INK, style.MUTED, style.POINT]
                m = MathTex(*parts, font_size=style.TINY)
                for sub, c in zip(m, colors):
                    sub.set_color(c)
                rows.append(m)
            cols.append(VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.16))
        head = MathTex(r"\text{edge partials}", font_size=style.SMALL, color=style.MUTED)
        body = VGroup(*cols).arrange(RIGHT, aligned_edge=UP, buff=0.5)
        t = VGroup(head, body).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        style.fit(t, self.PANEL_RIGHT - self.PANEL_LEFT, self.TOP - self.BOTTOM)
        t.move_to([self.PANEL_LEFT, self.TOP, 0], aligned_edge=UL)
        return t

    # -- beats 2..: one path at a time -------------------------------------------------
    def _panel_block(self, gd):
        """Header, one line per path and the running sum, laid out in the right panel."""
        W = self.PANEL_RIGHT - self.PANEL_LEFT
        out, inn = gd.out_tex, gd.in_tex
        terms = [rf"\frac{{\partial {out}}}{{\partial {_tex_name(m)}}}"
                 rf"\frac{{\partial {_tex_name(m)}}}{{\partial {inn}}}" for m in gd.mid_names]
        header = self._line([self._entry_tex(gd), "=", " + ".join(terms)],
                            [style.HIGHLIGHT, style.INK, style.INK], W)
        lines = []
        for t in gd.ps.terms:
            names = [_tex_name(n.name) for n in t.nodes]
            arrows = [r"\dashrightarrow" if p == 0 else r"\to" for p in t.partials]
            path = names[0] + "".join(f" {a} {nm}" for a, nm in zip(arrows, names[1:]))
            prod_sym = "".join(_paren(sympy.latex(p)) for p in reversed(t.partials))
            prod_val = r" \cdot ".join(_num_factor(v) for v in reversed(t.values))
            col = style.WARN if t.is_zero else style.HIGHLIGHT
            lines.append(self._line(
                [path + r":\ ", prod_sym, "=", prod_val, "=", style.num(t.value)],
                [col, style.WARN if t.is_zero else style.INK, style.MUTED, style.POINT,
                 style.MUTED, style.WARN if t.is_zero else style.POINT], W))
        sums = []
        vals = [t.value for t in gd.ps.terms]
        for k in range(len(vals)):
            parts = [r"\text{sum so far} = ", _signed_sum(vals[:k + 1])]
            cols = [style.MUTED, style.POINT]
            if k > 0:
                parts += ["=", style.num(sum(vals[:k + 1]))]
                cols += [style.MUTED, style.POINT]
            sums.append(self._line(parts, cols, W))
        block = VGroup(header, *lines, sums[-1]).arrange(DOWN, aligned_edge=LEFT, buff=0.32)
        block[1:].shift(DOWN * 0.1)
        w0 = block.width
        style.fit(block, W, self.TOP - self.BOTTOM)
        block.move_to([self.PANEL_LEFT, self.TOP, 0], aligned_edge=UL)
        for s in sums[:-1]:
            s.scale(block.width / w0)
            s.move_to(sums[-1], aligned_edge=LEFT)
        return SimpleNamespace(header=header, lines=lines, sums=sums)

    def assemble_path(self, gd, k):
        self._cur = gd
        lay = gd.lay
        t = gd.ps.terms[k]
        names = [n.name for n in t.nodes]
        route = " -> ".join(names)
        so_far = sum(x.value for x in gd.ps.terms[:k + 1])
        if t.is_zero:
            missing = [f"{a.name} -> {b.name} ({b.name} does not depend on {a.name})"
                       for a, b, p in zip(t.nodes, t.nodes[1:], t.partials) if p == 0]
            cap = (f"Path {route}: there is no edge {' and '.join(missing)}, so the partial "
                   f"is 0 and the path contributes 0. Sum so far {fmt_num(so_far)}.")
        else:
            fac = " * ".join(f"({plain_expr(p)})" for p in reversed(t.partials))
            vv = " * ".join(fmt_num(v) for v in reversed(t.values))
            dd = " * ".join(f"d{b.name}/d{a.name}"
                            for a, b in reversed(list(zip(t.nodes, t.nodes[1:]))))
            cap = (f"Path {route}: multiply along its edges, {dd} = {fac} = {vv} = "
                   f"{fmt_num(t.value)}. Sum so far {fmt_num(so_far)}.")
        self.beat(f"path-{gd.tag}{k + 1}", cap)

        if k == 0:
            gd.panel = self._panel_block(gd)
            anims = [Write(gd.panel.header)]
            if lay.table is not None:
                anims.insert(0, FadeOut(lay.table))
            self.play(*anims, run_time=1.0)
        if getattr(gd, "hl", None) is not None:
            self.play(FadeOut(gd.hl), gd.panel.lines[k - 1].animate.set_opacity(0.55),
                      run_time=0.4)
        col = style.WARN if t.is_zero else style.HIGHLIGHT
        hl = VGroup()
        node_hl = VGroup(*[
            lay.boxes[n.space][n.index][0].copy().set_fill(opacity=0).set_stroke(col, width=5)
            for n in t.nodes])
        edge_hl, extra, labels_to_indicate = [], [], []
        for a, b, p in zip(t.nodes, t.nodes[1:], t.partials):
            key = (a.space, a.index, b.index)
            if p == 0:
                s, e = lay.seg(*key)
                dl = DashedLine(s, e, color=style.WARN, stroke_width=4, dash_length=0.12)
                lab = MathTex(r"\text{missing edge} = 0", font_size=style.TINY, color=style.WARN)
                lab = VGroup(BackgroundRectangle(lab, color=style.BACKGROUND, fill_opacity=1,
                                                 buff=0.06), lab)
                lab.move_to(self._free_spot(lab, s, e))
                edge_hl.append(dl)
                extra.append(lab)
            else:
                arr = lay.arrows[key].copy().set_color(col).set_stroke(width=6)
                edge_hl.append(arr)
                if key in lay.labels:
                    labels_to_indicate.append(lay.labels[key])
                else:
                    edge = gd.graph.edge(a, b)
                    lab = self._edge_label(edge)
                    s, e = lay.segs[key]
                    lab.move_to(self._free_spot(lab, s, e))
                    extra.append(lab)
        hl.add(node_hl, *edge_hl, *extra)
        gd.hl = hl
        self.play(Create(node_hl), run_time=0.5)
        for m in edge_hl:
            self.play(Create(m), run_time=0.45)
        if extra:
            self.play(*[FadeIn(m) for m in extra], run_time=0.4)
        for m in labels_to_indicate:
            self.bring_to_front(m)
        if labels_to_indicate:
            self.play(*[Indicate(m, color=style.HIGHLIGHT, scale_factor=1.15)
                        for m in labels_to_indicate], run_time=0.7)
        line = gd.panel.lines[k]
        sums = gd.panel.sums
        anims = [Write(line)]
        anims.append(FadeIn(sums[0]) if k == 0 else ReplacementTransform(sums[k - 1], sums[k]))
        self.play(*anims, run_time=1.1)
        self.wait(1.0)

    # -- last beat: the sum is the matrix-product entry ------------------------------------
    def match_matrix_entry(self, gd):
        ps = gd.ps
        i, j = gd.i, gd.j
        vals = [t.value for t in ps.terms]
        self.beat(
            f"sum-{gd.tag}",
            f"Adding the paths: d{gd.out_name}/d{gd.in_name} = {_signed_sum(vals)} = "
            f"{fmt_num(ps.total)} at {fmt_vec(gd.point)}, which is entry ({i + 1}, {j + 1}) of "
            f"the matrix product Df Dg = {plain_mat(gd.Dh)}: row {i + 1} of Df times column "
            f"{j + 1} of Dg, one product per path.")
        W = self.PANEL_RIGHT - self.PANEL_LEFT
        panel = gd.panel
        # the sum, symbolic and at the point
        sym_terms = " + ".join("".join(_paren(sympy.latex(p)) for p in reversed(t.partials))
                               for t in ps.terms)
        l1 = self._line([self._entry_tex(gd), "=", sym_terms],
                        [style.HIGHLIGHT, style.INK, style.INK], W)
        num_part = ([_signed_sum(vals), "="] if len(vals) > 1 else []) + [style.num(ps.total)]
        num_cols = ([style.POINT, style.MUTED] if len(vals) > 1 else []) + [style.POINT]
        sym_part = ["=", sympy.latex(ps.total_symbolic), "="]
        sym_cols = [style.MUTED, style.INK, style.MUTED]
        probe = MathTex(*sym_part, *num_part, font_size=style.TINY)
        if probe.width <= W - 0.4:
            rest = [self._line(sym_part + num_part, sym_cols + num_cols, W - 0.4)]
        else:
            rest = [self._line(sym_part[:2], sym_cols[:2], W - 0.4),
                    self._line(["="] + num_part, [style.MUTED] + num_cols, W - 0.4)]
        sum_block = VGroup(l1, *rest).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        for r in rest:
            r.shift(RIGHT * 0.4)
        # the matrix product
        prod = self._matrix_product(gd, W)
        rowcol = self._line(
            [rf"\text{{row {i + 1}}}\cdot\text{{column {j + 1}}}:\ ",
             " + ".join(rf"{_num_factor(gd.Df[i, m])}\cdot {_num_factor(gd.Dg[m, j])}"
                        for m in range(gd.Df.shape[1])),
             "=", style.num(ps.jacobian_entry)],
            [style.HIGHLIGHT, style.POINT, style.MUTED, style.POINT], W)
        right = VGroup(sum_block, prod.group, rowcol).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        style.fit(right, W, self.TOP - self.BOTTOM)
        right.move_to([self.PANEL_LEFT, self.TOP, 0], aligned_edge=UL)
        old = VGroup(panel.header, *panel.lines, panel.sums[-1])
        self.play(FadeOut(old), FadeOut(gd.hl), run_time=0.6)
        gd.hl = None
        self.play(Write(l1), run_time=0.9)
        self.play(*[Write(r) for r in rest], run_time=0.9)
        self.play(FadeIn(prod.mats), run_time=0.8)
        self.play(Create(prod.row_box), Create(prod.col_box), run_time=0.7)
        self.play(Write(rowcol), run_time=0.9)
        self.play(Create(prod.entry_box), Indicate(prod.entry, color=style.HIGHLIGHT),
                  run_time=0.8)
        self.wait(1.5)

    def _matrix_product(self, gd, W):
        i, j = gd.i, gd.j
        for fs in (style.SMALL, style.TINY):
            Df, Dg, Dh = (style.num_matrix(A, font_size=fs, h_buff=0.55, v_buff=0.55)
                          for A in (gd.Df, gd.Dg, gd.Dh))
            dot = MathTex(r"\cdot", font_size=fs, color=style.INK)
            eq = MathTex("=", font_size=fs, color=style.INK)
            row = VGroup(Df, dot, Dg, eq, Dh).arrange(RIGHT, buff=0.18)
            if row.width <= W:
                break
        labs = VGroup()
        for mat, txt in ((Df, r"D_f"), (Dg, r"D_g"), (Dh, r"D(f\circ g)")):
            lab = MathTex(txt, font_size=style.TINY, color=style.MUTED)
            lab.next_to(mat, DOWN, buff=0.12)
            labs.add(lab)
        mats = VGroup(row, labs)
        if row.width > W:  # two rows: Df Dg, then = D(f o g)
            top = VGroup(VGroup(Df, labs[0]), dot, VGroup(Dg, labs[1])).arrange(RIGHT, buff=0.18)
            bot = VGroup(eq, VGroup(Dh, labs[2])).arrange(RIGHT, buff=0.18)
            mats = VGroup(top, bot).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            style.fit(mats, W)
        row_box = SurroundingRectangle(Df.get_rows()[i], color=style.HIGHLIGHT, buff=0.08)
        col_box = SurroundingRectangle(Dg.get_columns()[j], color=style.HIGHLIGHT, buff=0.08)
        entry = Dh.get_rows()[i][j]
        entry_box = SurroundingRectangle(entry, color=style.HIGHLIGHT, buff=0.1, stroke_width=5)
        group = VGroup(mats, row_box, col_box, entry_box)
        return SimpleNamespace(group=group, mats=mats, row_box=row_box, col_box=col_box,
                               entry=entry, entry_box=entry_box)

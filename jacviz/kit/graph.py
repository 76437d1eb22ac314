"""A layered computation graph on screen, built from :class:`jacviz.Graph`."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, BackgroundRectangle, DashedLine, MathTex,
                   RoundedRectangle, VGroup)

from ..fmt import tex_num
from ..parse import symbol
from . import style
from .tex import ColoredTex, overlay

# where an edge label may sit along its edge (fraction of the visible segment)
T_CANDIDATES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73)


def tex_name(name: str) -> str:
    """A node's name in TeX (x1 -> x_{1})."""
    return sympy.latex(symbol(name))


def _rect(c, w, h, pad=0.0):
    return (c[0] - w / 2 - pad, c[1] - h / 2 - pad, c[0] + w / 2 + pad, c[1] + h / 2 + pad)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _seg_hits(r, p, q, n=60) -> bool:
    s = np.linspace(0.0, 1.0, n)
    x, y = p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])
    return bool(np.any((r[0] < x) & (x < r[2]) & (r[1] < y) & (y < r[3])))


def _box_exit(center, half_w, half_h, toward, buff=0.04):
    """Where the ray from a box's centre toward `toward` leaves the box."""
    d = np.asarray(toward, dtype=float) - np.asarray(center, dtype=float)
    t = min(half_w / max(abs(d[0]), 1e-9), half_h / max(abs(d[1]), 1e-9))
    u = d / max(np.linalg.norm(d), 1e-9)
    return np.asarray(center, dtype=float) + t * d + buff * u


class ComputationGraph(VGroup):
    """One node per coordinate of every space, one arrow per partial that is not
    identically zero, laid out in layers inside the region (left, right, top, bottom).

    Each node shows its name and its value at the point; each edge is labelled
    with its partial (symbolic = value, or the value alone when space is short),
    placed on its own edge where it collides with nothing.  When no such
    placement exists, ``labels_placed`` is False and :meth:`edge_table` lists
    the partials instead.  :meth:`node`, :meth:`edge`, :meth:`label` and
    :meth:`segment` give the parts; :meth:`highlight_path` returns the
    highlights of one path of a path sum (declared overlays), a missing edge
    dashed with its zero.

    Examples
    --------
    .. code-block:: python

        class ComputationGraphExample(Scene):
            def construct(self):
                chain = Chain.from_texts(["(x, y) -> (x^2 + y, x*y)", "(u, v) -> u + v^2"],
                                         output_names=["z"])
                g = ComputationGraph(Graph(chain, [1, 2]), left=-6.5, right=6.5, top=3, bottom=-3)
                term = Graph(chain, [1, 2]).path_sum(0, 0).terms[0]
                self.add(g, g.highlight_path(term).group)
    """

    def __init__(self, graph, *, left: float, right: float, top: float, bottom: float,
                 labels: str = "auto", node_values: bool = True, max_spacing: float = 3.0):
        super().__init__()
        self.graph = graph
        self.region = (left, bottom, right, top)
        layers, pts = graph.layers, graph.points
        self.boxes = [[self._node_box(n.name, pts[k][n.index] if node_values else None)
                       for n in layer] for k, layer in enumerate(layers)]
        widths = [max(b.width for b in row) for row in self.boxes]
        hbox = max(b.height for row in self.boxes for b in row)
        count = len(layers)
        xs = np.linspace(left + widths[0] / 2, right - widths[-1] / 2, count)
        maxn = max(len(layer) for layer in layers)
        spacing = min(max_spacing, (top - bottom - hbox) / (maxn - 1)) if maxn > 1 else 0.0
        yc = (top + bottom) / 2
        self.centers = {}
        for k, row in enumerate(self.boxes):
            for idx, b in enumerate(row):
                c = np.array([xs[k], yc + (len(row) - 1) / 2 * spacing - idx * spacing, 0.0])
                b.move_to(c)
                self.centers[(k, idx)] = c
        self.arrows, self.segs = {}, {}
        for e in graph.edges:
            key = (e.stage, e.src.index, e.dst.index)
            p, q = self.segment(*key)
            self.segs[key] = (p, q)
            self.arrows[key] = Arrow(p, q, buff=0, color=style.MUTED, stroke_width=3,
                                     tip_length=0.18, max_tip_length_to_length_ratio=0.2,
                                     max_stroke_width_to_length_ratio=10)
        self.node_rects = [_rect(b.get_center(), b.width, b.height, pad=0.06)
                           for row in self.boxes for b in row]
        self.labels, self.labels_placed = {}, labels == "none"
        modes = {"auto": (False, True), "full": (False,), "values": (True,), "none": ()}[labels]
        for value_only in modes:
            cand = {(e.stage, e.src.index, e.dst.index): self.edge_label(e, value_only)
                    for e in graph.edges}
            placed = self._place(cand)
            if placed is not None:
                for key, c in placed.items():
                    cand[key].move_to(c)
                self.labels, self.labels_placed = cand, True
                break
        self.node_group = VGroup(*[b for row in self.boxes for b in row])
        self.edge_group = VGroup(*self.arrows.values())
        self.label_group = VGroup(*self.labels.values())
        self.add(self.edge_group, self.node_group, self.label_group)

    # -- parts ---------------------------------------------------------------------------
    def node(self, space: int, index: int):
        return self.boxes[space][index]

    def layer(self, space: int) -> VGroup:
        return VGroup(*self.boxes[space])

    def edge(self, stage: int, src: int, dst: int):
        return self.arrows.get((stage, src, dst))

    def stage_edges(self, stage: int) -> VGroup:
        return VGroup(*[a for (s, _, _), a in self.arrows.items() if s == stage])

    def label(self, stage: int, src: int, dst: int):
        return self.labels.get((stage, src, dst))

    def segment(self, stage: int, src: int, dst: int):
        """The visible part of the line from node (stage, src) to node (stage + 1, dst)."""
        ca, cb = self.centers[(stage, src)], self.centers[(stage + 1, dst)]
        ba, bb = self.boxes[stage][src][0], self.boxes[stage + 1][dst][0]
        return (_box_exit(ca, ba.width / 2, ba.height / 2, cb),
                _box_exit(cb, bb.width / 2, bb.height / 2, ca))

    # -- building blocks -----------------------------------------------------------------
    @staticmethod
    def _node_box(name, value):
        nm = MathTex(tex_name(name), font_size=style.BODY, color=style.INK)
        parts = [nm]
        if value is not None:
            parts.append(MathTex(tex_num(value), font_size=style.TINY, color=style.POINT))
        content = VGroup(*parts).arrange(DOWN, buff=0.1)
        box = RoundedRectangle(width=max(0.85, content.width + 0.3),
                               height=max(0.95 if value is not None else 0.7, content.height + 0.25),
                               corner_radius=0.12, stroke_color=style.INK, stroke_width=2,
                               fill_color=style.PANEL, fill_opacity=1)
        content.move_to(box)
        return VGroup(box, content)

    @staticmethod
    def edge_label(edge, value_only: bool = False):
        """The partial on an edge: ``symbolic = value`` (or the value alone), on a backdrop."""
        val = tex_num(edge.value)
        sym = sympy.latex(edge.partial)
        if value_only or (edge.partial.is_number and sym == val):
            tex = MathTex(val, font_size=style.TINY, color=style.POINT)
        else:
            tex = ColoredTex((sym, style.INK), ("=", style.MUTED), (val, style.POINT),
                             font_size=style.TINY)
        bg = BackgroundRectangle(tex, color=style.BACKGROUND, fill_opacity=1, buff=0.06)
        return VGroup(bg, tex)

    def _place(self, cand):
        """Greedy placement of edge labels on their own edges; None if impossible."""
        keys = list(cand)
        segs, region = self.segs, self.region
        orders = [keys, list(reversed(keys)),
                  sorted(keys, key=lambda k: -abs(segs[k][1][1] - segs[k][0][1]))]
        for order in orders:
            rects = list(self.node_rects)
            out = {}
            for key in order:
                mob = cand[key]
                p, q = segs[key]
                for t in T_CANDIDATES:
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
                    break
                else:
                    break
            if len(out) == len(keys):
                return out
        return None

    def free_spot(self, mob, p, q, extra=()):
        """A spot along p-q for a transient label, avoiding nodes, labels and other edges."""
        rects = list(self.node_rects) + [_rect(m.get_center(), m.width, m.height)
                                         for m in self.labels.values()] + list(extra)
        best, best_hits = p + 0.5 * (q - p), None
        for t in T_CANDIDATES:
            c = p + t * (q - p)
            r = _rect(c, mob.width, mob.height, pad=0.03)
            if any(_overlap(r, o) for o in rects):
                continue
            hits = sum(_seg_hits(r, a, b) for (a, b) in self.segs.values()
                       if not (np.allclose(a, p) and np.allclose(b, q)))
            if best_hits is None or hits < best_hits:
                best, best_hits = c, hits
        return best

    # -- highlights ------------------------------------------------------------------------
    def highlight_path(self, term, color=None):
        """Highlights for one path of a path sum (``jacviz.PathTerm``).

        Returns a namespace: ``group`` (everything, declared overlays), ``nodes``
        (outlines), ``edges`` (highlighted arrows; a missing edge dashed in the
        warning colour), ``extra`` (labels shown with the path: the zero of a
        missing edge, the partial of an edge that has no placed label) and
        ``indicate`` (placed labels of the path's edges)."""
        color = color or (style.WARN if term.is_zero else style.HIGHLIGHT)
        nodes = VGroup(*[overlay(self.boxes[n.space][n.index][0].copy().set_fill(opacity=0)
                                 .set_stroke(color, width=5)) for n in term.nodes])
        edges, extra, indicate = [], [], []
        for a, b, p in zip(term.nodes, term.nodes[1:], term.partials):
            key = (a.space, a.index, b.index)
            if p == 0:
                s, e = self.segment(*key)
                edges.append(overlay(DashedLine(s, e, color=style.WARN, stroke_width=4,
                                                dash_length=0.12)))
                lab = MathTex(r"\text{missing edge} = 0", font_size=style.TINY, color=style.WARN)
                lab = VGroup(BackgroundRectangle(lab, color=style.BACKGROUND, fill_opacity=1,
                                                 buff=0.06), lab)
                extra.append(lab.move_to(self.free_spot(lab, s, e)))
            else:
                edges.append(overlay(self.arrows[key].copy().set_color(color).set_stroke(width=6)))
                if key in self.labels:
                    indicate.append(self.labels[key])
                else:
                    lab = self.edge_label(self.graph.edge(a, b))
                    s, e = self.segs[key]
                    extra.append(lab.move_to(self.free_spot(lab, s, e)))
        group = VGroup(nodes, *edges, *extra)
        return SimpleNamespace(group=group, nodes=nodes, edges=edges, extra=extra,
                               indicate=indicate)

    def edge_table(self, width: float, height: float, font_size=style.TINY):
        """Every edge's partial, symbolic and at the point, one column per stage."""
        cols = []
        for k in range(len(self.graph.layers) - 1):
            rows = []
            for e in [e for e in self.graph.edges if e.stage == k]:
                sym, val = sympy.latex(e.partial), tex_num(e.value)
                lhs = rf"\partial {tex_name(e.dst.name)}/\partial {tex_name(e.src.name)}"
                if e.partial.is_number and sym == val:
                    rows.append(ColoredTex((lhs, style.INK), ("=", style.MUTED), (val, style.POINT),
                                           font_size=font_size))
                else:
                    rows.append(ColoredTex((lhs, style.INK), ("=", style.MUTED), (sym, style.INK),
                                           ("=", style.MUTED), (val, style.POINT),
                                           font_size=font_size))
            if rows:
                cols.append(VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.16))
        head = MathTex(r"\text{edge partials}", font_size=style.SMALL, color=style.MUTED)
        body = VGroup(*cols).arrange(RIGHT, aligned_edge=UP, buff=0.5)
        table = VGroup(head, body).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        return style.fit(table, width, height)

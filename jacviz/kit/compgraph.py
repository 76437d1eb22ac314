"""A layered computation graph on screen, built from :class:`jacviz.Graph`."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, BackgroundRectangle, DashedLine,
                   FadeIn, GrowArrow, MathTex, RoundedRectangle, Succession, VGroup)

from ..core.fmt import tex_factor, tex_num
from ..core.texnames import latex, tex_name  # noqa: F401 - tex_name: the kit's, re-exported
from . import style
from .layout import roles
from .layout.base import _box, gap
from .layout.reading import CONTACT_GAP
from .colored_tex import ColoredTex, overlay

# where an edge label may sit along its edge (fraction of the visible segment)
T_CANDIDATES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73)


def space_tex(names) -> str:
    """A space's name in TeX from its coordinate names: ``x`` for (x1, x2) or (x,),
    ``(a, b)`` when the names share no letter prefix."""
    names = [str(n) for n in names]
    stems = {n.rstrip("0123456789_") for n in names}
    if len(names) == 1:
        return tex_name(names[0])
    if len(stems) == 1 and all(n != next(iter(stems)) for n in names) and next(iter(stems)):
        return tex_name(next(iter(stems)))
    return r"\left(" + ",\\, ".join(tex_name(n) for n in names) + r"\right)"


def path_parts(term, symbolic: bool = False, color=style.HIGHLIGHT):
    """One path of a path sum (``jacviz.PathTerm``) as (tex, colour) pairs for
    :class:`ColoredTex`: ``x -> u -> z:  (1)(2x) = 1 . 2 = 2`` (the symbolic
    product only if asked; a path through a missing edge dashed, in WARN)."""
    zero = term.is_zero
    arrows = [r"\dashrightarrow" if p == 0 else r"\to" for p in term.partials]
    route = tex_name(term.nodes[0].name) + "".join(
        f" {a} {tex_name(n.name)}" for a, n in zip(arrows, term.nodes[1:]))
    parts = [(route + r":\ ", style.WARN if zero else color)]
    if symbolic:
        parts += [("".join(f"({latex(p)})" for p in reversed(term.partials)),
                   style.WARN if zero else style.INK), ("=", style.MUTED)]
    return parts + [(r" \cdot ".join(tex_factor(v) for v in reversed(term.values)), style.POINT),
                    ("=", style.MUTED), (tex_num(term.value), style.WARN if zero else style.POINT)]


def bar(node) -> str:
    """The adjoint of a node in TeX: \\bar{x}."""
    return rf"\bar{{{tex_name(node.name)}}}"


def adjoint_parts(acc, node, symbolic: bool = False):
    """A node's adjoint in reverse accumulation as (tex, colour) pairs:
    ``bar x = dz/du bar u + dz/dv bar v = 2 . 1 + 2 . 4 = 10`` (partials by name
    only if asked): the sum over its outgoing edges of partial x head's adjoint."""
    out = [e for e in acc.edges if e.src == node]
    parts = [(bar(node), style.BACKWARD), ("=", style.INK)]
    if symbolic:
        parts += [(" + ".join(rf"\frac{{\partial {tex_name(e.dst.name)}}}{{\partial "
                              rf"{tex_name(node.name)}}}{bar(e.dst)}" for e in out), style.INK),
                  ("=", style.MUTED)]
    return parts + [(" + ".join(rf"{tex_factor(e.value)}\cdot {tex_factor(acc.value(e.dst))}"
                                for e in out), style.POINT), ("=", style.MUTED),
                    (tex_num(acc.value(node)), style.BACKWARD)]


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
    dashed with its zero, the partials of edges without a placed label set
    where they collide with nothing.  :meth:`grow` builds the graph layer by
    layer; :meth:`reverse_steps` draws reverse accumulation (edges walked
    backward, adjoints in the nodes in place of the values, from
    :meth:`node_numbers` and :meth:`backward_edges`).  ``labels``: "auto"
    (symbolic = value, else values alone, else none), "full", "values", "none".
    Edge labels keep clear of every arrowhead (the layout check's contact rule), and
    with ``reverse`` also of the backward arrows' heads :meth:`reverse_steps` will draw;
    ``reserve[k][i]``: a number node (k, i) will show later (an adjoint, with
    :meth:`node_numbers`), its box made wide enough for it at full size.

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
                 labels: str = "auto", node_values: bool = True, max_spacing: float = 3.0,
                 reserve=None, reverse: bool = False):
        super().__init__()
        self.graph = graph
        self.region = (left, bottom, right, top)
        layers, pts = graph.layers, graph.points
        # reserve[k][i]: a number node (k, i) will show later (node_numbers: an adjoint), its
        # box made wide enough for it at full size
        self.boxes = [[self._node_box(n.name, pts[k][n.index] if node_values else None,
                                      None if reserve is None else reserve[k][n.index])
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
        # the arrowheads a label keeps clear of (the layout check's contact rule): every
        # edge's, and where the graph is walked backward (reverse), the backward arrows'
        self.tip_boxes = [_box(a.tip) for a in self.arrows.values()]
        if reverse:
            self.tip_boxes += [_box(a.tip) for a in self.backward_edges(graph.edges)]
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
    def _node_box(name, value, reserved=None):
        nm = MathTex(tex_name(name), font_size=style.BODY, color=style.INK)
        parts = [nm]
        if value is not None:
            parts.append(MathTex(tex_num(value), font_size=style.TINY, color=style.POINT))
        content = VGroup(*parts).arrange(DOWN, buff=0.1)
        later = 0.0 if reserved is None else \
            MathTex(tex_num(reserved), font_size=style.TINY).width  # shown in it later
        box = RoundedRectangle(width=max(0.85, content.width + 0.3, later + 0.3),
                               height=max(0.95 if value is not None else 0.7, content.height + 0.25),
                               corner_radius=0.12, stroke_color=style.INK, stroke_width=2,
                               fill_color=style.PANEL, fill_opacity=1)
        content.move_to(box)
        return VGroup(box, content)

    @staticmethod
    def edge_label(edge, value_only: bool = False):
        """The partial on an edge: ``symbolic = value`` (or the value alone), on a backdrop."""
        val = tex_num(edge.value)
        sym = latex(edge.partial)
        if value_only or (edge.partial.is_number and sym == val):
            tex = MathTex(val, font_size=style.TINY, color=style.POINT)
        else:
            tex = ColoredTex((sym, style.INK), ("=", style.MUTED), (val, style.POINT),
                             font_size=style.TINY)
        bg = BackgroundRectangle(tex, color=style.BACKGROUND, fill_opacity=1, buff=0.06)
        return VGroup(bg, roles.label(tex))

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
                    if any(_overlap(r, o) for o in rects) or self._near_tip(mob, c):
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

    def _near_tip(self, mob, c) -> bool:
        """Whether the text of a label (``mob``: its backdrop and its text) centred at ``c``
        would come closer than the contact rule's gap to an arrowhead."""
        text = mob[-1] if isinstance(mob, VGroup) and len(mob) > 1 else mob
        r = _rect(c + (text.get_center() - mob.get_center()), text.width, text.height)
        return any(gap(r, t) < CONTACT_GAP + 0.005 for t in self.tip_boxes)

    def find_spot(self, mob, p, q, extra=(), sideways: bool = False):
        """A spot along p-q where mob covers no node, placed label, arrowhead or ``extra``
        rectangle (the one crossing the fewest other edges), or None.  With ``sideways``
        the spots are beside the edge instead, above or below it, inside the region."""
        rects = list(self.node_rects) + [_rect(m.get_center(), m.width, m.height)
                                         for m in self.labels.values()] + list(extra)
        best, best_hits = None, None
        p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
        u = (q - p) / max(float(np.linalg.norm(q - p)), 1e-9)
        n = np.array([-u[1], u[0], 0.0])
        shifts = [np.zeros(3)]
        if sideways:  # clear of the edge's line and its arrowhead (0.1 to either side), or
            # farther, clear of the nodes at its ends
            reach = abs(n[0]) * mob.width / 2 + abs(n[1]) * mob.height / 2
            shifts = [side * n * (reach + far) for far in (0.18, 0.45, 0.7) for side in (1, -1)]
        x0, y0, x1, y1 = self.region
        for t, shift in ((t, sh) for sh in shifts for t in T_CANDIDATES):
            c = p + t * (q - p) + shift
            r = _rect(c, mob.width, mob.height, pad=0.03)
            if any(_overlap(r, o) for o in rects) or self._near_tip(mob, c):
                continue
            if sideways and (r[0] < x0 or r[2] > x1 or r[1] < y0 or r[3] > y1):
                continue
            hits = sum(_seg_hits(r, a, b) for (a, b) in self.segs.values()
                       if not (np.allclose(a, p) and np.allclose(b, q)))
            if best_hits is None or hits < best_hits:
                best, best_hits = c, hits
        return best

    def free_spot(self, mob, p, q, extra=()):
        """A spot along p-q for a transient label: :meth:`find_spot`, else the midpoint."""
        spot = self.find_spot(mob, p, q, extra)
        return p + 0.5 * (q - p) if spot is None else spot

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
        edges, extra, indicate, taken = [], [], [], []

        def put(cands, s, e):
            """The first candidate label with a free spot (else the last, least covered)."""
            for lab in cands:
                c = self.find_spot(lab, s, e, taken)
                if c is not None:
                    break
            else:
                for lab in cands:  # none on the edge: beside it
                    c = self.find_spot(lab, s, e, taken, sideways=True)
                    if c is not None:
                        break
                else:
                    c = self.free_spot(lab, s, e, taken)
            lab.move_to(c)
            taken.append(_rect(c, lab.width, lab.height, pad=0.03))
            extra.append(lab)

        for a, b, p in zip(term.nodes, term.nodes[1:], term.partials):
            key = (a.space, a.index, b.index)
            if p == 0:
                s, e = self.segment(*key)
                edges.append(overlay(DashedLine(s, e, color=style.WARN, stroke_width=4,
                                                dash_length=0.12)))
                cands = []
                for text in (r"\text{missing edge} = 0", "0"):
                    lab = MathTex(text, font_size=style.TINY, color=style.WARN)
                    cands.append(VGroup(BackgroundRectangle(lab, color=style.BACKGROUND,
                                                            fill_opacity=1, buff=0.06), lab))
                put(cands, s, e)
            else:
                edges.append(overlay(self.arrows[key].copy().set_color(color).set_stroke(width=6)))
                if key in self.labels:
                    indicate.append(self.labels[key])
                else:
                    edge = self.graph.edge(a, b)
                    put([self.edge_label(edge), self.edge_label(edge, True)], *self.segs[key])
        group = VGroup(nodes, *edges, *extra)
        return SimpleNamespace(group=group, nodes=nodes, edges=edges, extra=extra,
                               indicate=indicate)

    def value_mob(self, space: int, index: int):
        """The value shown in a node (None when the graph has no node values)."""
        content = self.boxes[space][index][1]
        return content[1] if len(content) > 1 else None

    def node_numbers(self, values, color=style.BACKWARD, dim=None):
        """Numbers to put in the nodes in place of their values (e.g. adjoints):
        ``values[k][i]`` for node i of space k, each where the node's value sits
        (under the name if the graph shows no values), fitted to its box; nodes
        where ``dim[k][i]`` is False are written in MUTED.  A VGroup of VGroups,
        one per space."""
        out = VGroup()
        for k, row in enumerate(self.boxes):
            layer = VGroup()
            for i, box in enumerate(row):
                ok = dim is None or bool(dim[k][i])
                num = MathTex(tex_num(values[k][i]), font_size=style.TINY,
                              color=color if ok else style.MUTED)
                style.fit(num, box[0].width - 0.12)
                old = self.value_mob(k, i)
                if old is not None:
                    num.move_to(old)
                else:
                    num.next_to(box[1][0], DOWN, buff=0.1)
                layer.add(num)
            out.add(layer)
        return out

    def backward_edges(self, edges, color=style.BACKWARD):
        """Arrows drawn head to tail over the given edges (``jacviz.Edge``), in the
        backward colour: a gradient flowing back along them (declared overlays)."""
        out = VGroup()
        for e in edges:
            p, q = self.segs[(e.stage, e.src.index, e.dst.index)]
            out.add(overlay(Arrow(q, p, buff=0, color=color, stroke_width=5, tip_length=0.18,
                                  max_tip_length_to_length_ratio=0.2,
                                  max_stroke_width_to_length_ratio=10)))
        return out

    def grow(self, run_time: float = 0.5):
        """An animation that builds the graph layer by layer, inputs first: each layer's
        nodes fade in as the arrows into them grow; then the edge labels."""
        steps = [AnimationGroup(FadeIn(self.layer(k)),
                                *[GrowArrow(a) for a in self.stage_edges(k - 1)] if k else [],
                                run_time=run_time) for k in range(len(self.boxes))]
        if self.labels:
            steps.append(FadeIn(self.label_group, run_time=run_time))
        return Succession(*steps)

    def reverse_steps(self, acc):
        """Reverse accumulation drawn on the graph (``acc`` from
        :func:`jacviz.core.costs.reverse_accumulate`), one step per layer from the output
        back to the inputs.  Each step: ``space``, ``back`` (the edges used, drawn
        backward), ``numbers`` (the layer's adjoints, in place of its values; muted
        where the output is not reached), ``hide`` (the value mobjects they replace:
        animate them to opacity 0)."""
        nums = self.node_numbers(acc.values, dim=acc.reached)
        steps = []
        for k in range(len(self.boxes) - 1, -1, -1):
            used = [e for e in acc.edges if e.stage == k]
            hide = [m for m in (self.value_mob(k, i) for i in range(len(self.boxes[k]))) if m]
            steps.append(SimpleNamespace(space=k, back=self.backward_edges(used),
                                         numbers=nums[k], hide=hide))
        return steps

    def edge_table(self, width: float, height: float, font_size=style.TINY):
        """Every edge's partial, symbolic and at the point, one column per stage."""
        cols = []
        for k in range(len(self.graph.layers) - 1):
            rows = []
            for e in [e for e in self.graph.edges if e.stage == k]:
                sym, val = latex(e.partial), tex_num(e.value)
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

"""A chain strip: the spaces and maps of a chain in a row, with vectors flowing along it."""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, Arrow, Line, MathTex, MoveAlongPath, Triangle, VGroup

from . import style
from .layout import roles

#: room left between an arrow of a row and the mobjects it joins
ARROW_MARGIN = 0.06
#: the gap between a row's mobjects that leaves their arrows 20 px long at 854x480 (a subject
#: arrow's least length in the layout check): 0.36 frame units (0.33 is 20 px) plus the margins
ARROW_GAP = 0.36 + 2 * ARROW_MARGIN


class ChainStrip(VGroup):
    """``x --g--> u --f--> y``: the spaces of a chain in a row, joined by its maps.

    ``spaces`` and ``maps`` are TeX labels (one more space than maps); ``dims``
    (optional) adds ``\\in R^n`` under each space.  The strip fits ``width``;
    with ``xs`` the spaces are centred at those x positions instead (columns of
    a diagram, or room for vectors under every space).  :meth:`space` and
    :meth:`map_arrow` give the parts; :meth:`flow` is an animation of a small
    marker travelling along map k, left to right for a forward perturbation
    (orange), right to left for a gradient (sky blue); :meth:`below` places a
    mobject under space k.  A row of vectors, one per space: :meth:`place_row`
    puts them under the spaces (tops aligned, each fitted to its column) and
    :meth:`row_arrows` joins them by arrows in the colour of their direction,
    labelled (e.g. with the Jacobian or its transpose); :meth:`under_maps`
    writes a note under every map arrow.

    Examples
    --------
    .. code-block:: python

        class ChainStripExample(Scene):
            def construct(self):
                strip = ChainStrip(["x", "u", "y"], ["g", "f"], dims=[2, 2, 1],
                                   xs=[-4, 0, 4]).to_edge(UP)
                vecs = [JacobianMatrix.column_vector(v, color=style.FORWARD, font_size=style.TINY)
                        for v in ([0.1, 0.1], [0.3, 0], [0.3])]
                row = strip.place_row(vecs, top=strip.get_bottom()[1] - 0.5)
                arrows = strip.row_arrows(vecs, "forward", labels=["Dg", "Df"])
                self.add(strip, row, arrows, strip.under_maps(["4", "2"]))
                self.play(strip.flow(0, "forward"), strip.flow(1, "backward"))
    """

    def __init__(self, spaces, maps, *, dims=None, width: float | None = None,
                 font_size=style.BODY, gap: float = 1.2, color=style.INK, xs=None):
        super().__init__()
        if len(spaces) != len(maps) + 1:
            raise ValueError("a chain strip has one more space than maps")
        names = [MathTex(s, font_size=font_size, color=color) for s in spaces]
        if xs is not None:
            if len(xs) != len(spaces):
                raise ValueError("xs: one x position per space")
            room = min(np.diff(xs)) - 0.6 if len(xs) > 1 else width or style.safe_width()
            for nm, x in zip(names, xs):
                style.fit(nm, room).move_to([x, 0, 0])
        else:
            VGroup(*names).arrange(RIGHT, buff=gap)
        for nm in names:  # one line: names centred on the same height
            nm.set_y(0)
        self.space_mobs = VGroup()
        if dims is not None:
            low = min(nm.get_bottom()[1] for nm in names) - 0.1
            for nm, d in zip(names, dims):
                dim = MathTex(rf"\in\mathbb{{R}}^{{{d}}}", font_size=font_size * 0.7,
                              color=style.MUTED)
                dim.move_to([nm.get_x(), low - dim.height / 2, 0])
                self.space_mobs.add(VGroup(nm, dim))
        else:
            self.space_mobs.add(*names)
        self.arrow_mobs = VGroup()
        self.map_labels = VGroup()
        for k, name in enumerate(maps):
            a, b = self._name(k), self._name(k + 1)
            y = a.get_center()[1]
            arr = Arrow([a.get_right()[0] + 0.12, y, 0], [b.get_left()[0] - 0.12, y, 0], buff=0,
                        color=style.MUTED, stroke_width=4, max_tip_length_to_length_ratio=0.3)
            lab = MathTex(name, font_size=font_size * 0.85, color=color).next_to(arr, UP, buff=0.08)
            style.fit(lab, max(arr.get_length(), 0.3), 1.0)
            self.arrow_mobs.add(arr)
            self.map_labels.add(lab)
        self.add(self.space_mobs, self.arrow_mobs, self.map_labels)
        if width is not None:
            style.fit(self, width)

    def _name(self, k):
        mob = self.space_mobs[k]
        return mob[0] if isinstance(mob, VGroup) and not isinstance(mob, MathTex) else mob

    def space(self, k: int):
        return self.space_mobs[k]

    def map_arrow(self, k: int):
        return VGroup(self.arrow_mobs[k], self.map_labels[k])

    def below(self, k: int, mob, buff: float = 0.3):
        """Place mob under space k (centred on it)."""
        mob.next_to(self.space_mobs[k], DOWN, buff=buff)
        return mob

    def flow(self, k: int, kind: str = "forward", run_time: float = 1.0):
        """A marker travelling along map k: forward left to right, backward right to left."""
        arr = self.arrow_mobs[k]
        start, end = arr.get_start(), arr.get_end()
        if kind == "backward":
            start, end = end, start
        color = style.KIND_COLOR[kind]
        marker = Triangle(color=color, fill_color=color, fill_opacity=1, stroke_width=0)
        marker.scale(0.09).rotate(-np.pi / 2 if kind == "forward" else np.pi / 2)
        lift = UP * 0.22
        marker.move_to(start + lift)
        return MoveAlongPath(marker, Line(start + lift, end + lift), run_time=run_time,
                             remover=True)

    def column_width(self) -> float:
        """The room a mobject under one space has: the closest spacing of the spaces."""
        xs = [self._name(k).get_x() for k in range(len(self.space_mobs))]
        return float(min(np.diff(xs))) if len(xs) > 1 else style.safe_width()

    def place_row(self, mobs, top: float, gap: float = 0.3) -> VGroup:
        """One mobject per space, centred under it with its top at ``top``, each fitted
        to its column (the spacing less ``gap``); returns them as a VGroup.  A row that
        gets :meth:`row_arrows` needs ``gap`` >= :data:`ARROW_GAP` (arrows of 20 px)."""
        room = self.column_width() - gap
        for k, mob in enumerate(mobs):
            style.fit(mob, room)
            mob.move_to([self._name(k).get_x(), top - mob.height / 2, 0])
        return VGroup(*mobs)

    def row_arrows(self, mobs, kind: str = "forward", labels=None, font_size=style.TINY,
                   y: float | None = None) -> VGroup:
        """Arrows between consecutive mobjects of a row: ``forward`` left to right in
        orange, ``backward`` right to left in sky blue, at height ``y`` (default: the
        row's middle).  Each arrow is VGroup(arrow, label) with its TeX label above,
        above the arrow; ``labels[k]`` is the label of the arrow between k and k+1.  When a
        label is wider than its arrow, every label of the row goes under the row instead,
        centred under its arrow and fitted to the column width."""
        color = style.KIND_COLOR[kind]
        row = VGroup(*mobs)
        y = row.get_center()[1] if y is None else y
        out = VGroup()
        labs = [MathTex(t, font_size=font_size, color=style.INK) for t in labels or []]
        spans = [(mobs[k].get_right()[0] + ARROW_MARGIN, mobs[k + 1].get_left()[0] - ARROW_MARGIN)
                 for k in range(len(mobs) - 1)]
        below = any(lab.width > x1 - x0 for lab, (x0, x1) in zip(labs, spans))
        for k, (x0, x1) in enumerate(spans):
            a, b = ([x0, y, 0], [x1, y, 0]) if kind != "backward" else ([x1, y, 0], [x0, y, 0])
            group = VGroup(roles.subject(style.arrow(a, b, color, stroke_width=4, tip_ratio=0.3)))
            if labs:
                lab = labs[k]
                if below:
                    style.fit(lab, self.column_width() - 0.2, 0.6)
                    lab.move_to([(x0 + x1) / 2, row.get_bottom()[1] - 0.1 - lab.height / 2, 0])
                else:
                    style.fit(lab, max(x1 - x0, 0.2), 0.6).next_to(group[0], UP, buff=0.08)
                group.add(roles.label(lab))
            out.add(group)
        return out

    def under_maps(self, texts, color=style.MUTED, font_size=style.TINY) -> VGroup:
        """A TeX note under every map arrow (e.g. what the stage costs)."""
        out = VGroup()
        for arr, t in zip(self.arrow_mobs, texts):
            lab = MathTex(t, font_size=font_size, color=color)
            style.fit(lab, max(arr.get_length(), 0.3), 0.6).next_to(arr, DOWN, buff=0.1)
            out.add(lab)
        return out

    def spans(self) -> list[tuple[float, float]]:
        """The x extent of every space label (to place things under them)."""
        return [(m.get_left()[0], m.get_right()[0]) for m in self.space_mobs]


def strip_positions(count: int, left: float, right: float) -> np.ndarray:
    """x positions of ``count`` evenly spaced columns between left and right."""
    if count == 1:
        return np.array([(left + right) / 2])
    return np.linspace(left, right, count)


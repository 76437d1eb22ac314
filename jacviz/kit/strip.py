"""A chain strip: the spaces and maps of a chain in a row, with vectors flowing along it."""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, Arrow, Line, MathTex, MoveAlongPath, Triangle, VGroup

from . import style


class ChainStrip(VGroup):
    """``x --g--> u --f--> y``: the spaces of a chain in a row, joined by its maps.

    ``spaces`` and ``maps`` are TeX labels (one more space than maps); ``dims``
    (optional) adds ``\\in R^n`` under each space.  The strip fits ``width``.
    :meth:`space` and :meth:`map_arrow` give the parts; :meth:`flow` is an
    animation of a small marker travelling along map k, left to right for a
    forward perturbation (orange), right to left for a gradient (sky blue);
    :meth:`below` places a mobject under space k.

    Examples
    --------
    .. code-block:: python

        class ChainStripExample(Scene):
            def construct(self):
                strip = ChainStrip(["x", "u", "y"], ["g", "f"], dims=[2, 2, 1])
                self.add(strip)
                self.play(strip.flow(0, "forward"), strip.flow(1, "backward"))
    """

    def __init__(self, spaces, maps, *, dims=None, width: float | None = None,
                 font_size=style.BODY, gap: float = 1.2, color=style.INK):
        super().__init__()
        if len(spaces) != len(maps) + 1:
            raise ValueError("a chain strip has one more space than maps")
        names = [MathTex(s, font_size=font_size, color=color) for s in spaces]
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

    def spans(self) -> list[tuple[float, float]]:
        """The x extent of every space label (to place things under them)."""
        return [(m.get_left()[0], m.get_right()[0]) for m in self.space_mobs]


def strip_positions(count: int, left: float, right: float) -> np.ndarray:
    """x positions of ``count`` evenly spaced columns between left and right."""
    if count == 1:
        return np.array([(left + right) / 2])
    return np.linspace(left, right, count)


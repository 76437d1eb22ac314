"""Coloured TeX: one MathTex from (tex, colour) pairs, and declared overlays."""

from __future__ import annotations

from manim import MathTex

from . import style


class ColoredTex(MathTex):
    """One line of mathematics whose pieces have their own colours.

    ``ColoredTex(("du", FORWARD), (" = Dg\\,", INK), ("dx", FORWARD))`` is a
    MathTex with one submobject per pair (``part(k)``), so a piece can be
    indicated, transformed or recoloured on its own.  A bare string is a piece
    in ``color``.  Pieces are typeset together: spacing is TeX's.

    Examples
    --------
    .. code-block:: python

        class ColoredTexExample(Scene):
            def construct(self):
                eq = ColoredTex(("du", style.FORWARD), (r" = Dg(x_0)\\, ", style.INK),
                                ("dx", style.FORWARD), font_size=style.BODY)
                self.add(eq)
    """

    def __init__(self, *parts, font_size=style.SMALL, color=style.INK, **kwargs):
        pieces = [(p, color) if isinstance(p, str) else (p[0], p[1]) for p in parts]
        super().__init__(*[t for t, _ in pieces], font_size=font_size, color=color, **kwargs)
        for sub, (_, c) in zip(self.submobjects, pieces):
            if c is not None:
                sub.set_color(c)

    def part(self, k: int):
        return self.submobjects[k]


def overlay(mob):
    """Declare mob a deliberate overlay (a highlight box around an entry, a label on
    purpose over a line): the layout check does not count it as a collision."""
    mob.jacviz_overlay = True
    return mob

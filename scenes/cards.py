"""The cards of a lecture (``jacviz lecture``): the title card, one section card
per chapter (its § and its one-line idea) and the end card.

A card is a still: its lines fade in, then hold for the card's length.  The
texts come from the lecture driver (:mod:`jacviz.studio.lecture`), which takes
them from the scene registry; nothing here is a number of the lesson.
"""

from __future__ import annotations

from manim import DOWN, FadeIn, ManimColor, Scene, Text, VGroup

from jacviz.kit import style


class Card(Scene):
    """``heading`` large, ``lines`` (paragraphs; a newline breaks a line) under it,
    for ``seconds`` in all."""

    def __init__(self, heading: str, lines=(), seconds: float = 3.0, **kwargs):
        self.heading = heading
        self.lines = [ln for ln in lines if ln]
        self.seconds = float(seconds)
        super().__init__(**kwargs)
        self.camera.background_color = ManimColor(style.BACKGROUND)

    def construct(self):
        head = Text(self.heading, font_size=48, weight="BOLD")
        parts = [head] + [Text(ln, font_size=26, line_spacing=0.8) for ln in self.lines]
        group = VGroup(*parts).arrange(DOWN, buff=0.45)
        if group.width > 12.5:
            group.scale_to_fit_width(12.5)
        fade = min(0.6, self.seconds / 3)
        self.play(FadeIn(group), run_time=fade)
        self.wait(self.seconds - fade)

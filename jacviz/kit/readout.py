"""Live readouts: a line of TeX whose numbers follow a tracker, frame by frame; and
:func:`stack`, a column of such lines (a readout panel) placed to fit."""

from __future__ import annotations

from typing import NamedTuple

from manim import DOWN, LEFT, UP, DecimalNumber, FadeIn, MathTex, VGroup, VMobject

from ..core.fmt import fmt_plain
from ..engine import tex_cache
from .layout.base import GlyphText
from . import style


class _Num(DecimalNumber):
    """A DecimalNumber written like the captions (3 significant digits, integers plain;
    21200 and 0.000123 rather than 2.12e+04 and 1.23e-04, which glyph by glyph would read
    as a sum).  Its glyphs are cached by manim, so a number per frame costs no LaTeX run."""

    def _get_num_string(self, number) -> str:
        return fmt_plain(float(number), 3)


def live_number(value: float, font_size=style.SMALL, color=style.INK) -> VMobject:
    m = _Num(float(value), font_size=font_size)
    m.set_color(color)
    return m


class _Glyph(NamedTuple):
    """A glyph as :class:`_Num` sets it: its outlines' points from its box's lower left
    corner, a leaf to copy for its style, its size, and the space after it."""

    outlines: list
    style: VMobject
    width: float
    height: float
    buff: float


#: (character, font size, colour) -> its :class:`_Glyph`
_GLYPHS: dict = {}


def _glyph(char: str, font_size, color) -> _Glyph:
    key = (char, float(font_size), str(color))
    if key in _GLYPHS:
        return _GLYPHS[key]
    proto = _Num(0.0, font_size=font_size)
    g = proto._string_to_mob(char)
    g.set_color(color)
    leaves = g.family_members_with_points()
    lo = g.get_corner(DOWN + LEFT)
    glyph = _Glyph([leaf.points - lo for leaf in leaves], leaves[0].copy(), g.width, g.height,
                   proto.digit_buff_per_font_unit * proto._font_size)
    if not tex_cache.collecting():  # a dry run's glyphs are stand-ins: never kept
        _GLYPHS[key] = glyph
    return glyph


class _Slot(GlyphText):
    """A live number drawn on a fixed set of outlines: each refresh gives them the points
    of the new digits' glyphs (from :func:`_glyph`, set as :class:`_Num` would set them)
    instead of building a DecimalNumber of copied glyphs; outlines left over are emptied.
    No mobject is made or copied per frame, and the renderer keeps drawing the same ones."""

    def __init__(self, font_size, color):
        super().__init__()
        self.font_size_, self.color_ = font_size, color
        self.shown, self.opacity, self.value = None, None, 0.0

    @property
    def font_size(self) -> float:
        return self.font_size_

    def get_value(self) -> float:
        return self.value

    @property
    def text(self) -> str | None:
        return self.shown and self.shown[0]

    def show(self, value: float, left: float, bottom: float, opacity: float) -> "_Slot":
        self.value = float(value)
        shown = (fmt_plain(self.value, 3), left, bottom, opacity)
        if shown == self.shown:
            return self  # nothing changed: nothing to do
        text = shown[0]
        glyphs = [_glyph(c, self.font_size_, self.color_) for c in text]
        # as DecimalNumber.arrange: left to right, ``buff`` apart, bottoms aligned; a minus
        # sign's top at the next glyph's, then lowered by half that glyph's height
        at, x = [], 0.0
        for g in glyphs:
            at.append([x, 0.0])
            x += g.width + g.buff
        for j, c in enumerate(text):
            if c == "-" and j + 1 < len(text):
                at[j][1] = glyphs[j + 1].height / 2 - glyphs[j].height
        low = min(y for _, y in at)
        parts = [(pts, g.style, dx, dy) for g, (dx, dy) in zip(glyphs, at) for pts in g.outlines]
        while len(self.submobjects) < len(parts):
            self.add(parts[len(self.submobjects)][1].copy())
        for leaf, (pts, _, dx, dy) in zip(self.submobjects, parts):
            leaf.points = pts + [left + dx, bottom + dy - low, 0.0]
        for leaf in self.submobjects[len(parts):]:
            leaf.clear_points()
        if opacity != self.opacity:
            for leaf in self.submobjects:
                leaf.set_opacity(opacity)
        self.shown, self.opacity = shown, opacity
        return self


class LiveReadout(VGroup):
    """A line of TeX whose numbers follow getters every frame.

    Pieces: a TeX string (static, in ``color``), a ``(tex, colour)`` pair (static),
    or a ``(getter, colour)`` pair (a live number, e.g. ``lambda: t.get_value()``).
    The line is laid out as one MathTex with "0" in place of every number, and
    the numbers sit on its baseline; the first piece must be static (it anchors
    the line, so the readout moves and fades as a whole).  After moving a
    readout, or before an animation copies it (FadeIn), bring its numbers up to
    date with :meth:`refresh`, or :meth:`refresh_all` for every readout in a group
    (:meth:`fade_in` does so and returns the FadeIn animations).

    Examples
    --------
    .. code-block:: python

        class LiveReadoutExample(Scene):
            def construct(self):
                t = ValueTracker(0.0)
                line = LiveReadout([r"t = ", (lambda: t.get_value(), style.POINT),
                                    r",\\ \\frac{dz}{dt} = ", (lambda: 2 * t.get_value(), style.HIGHLIGHT)])
                self.add(line)
                self.play(t.animate.set_value(1.5))
    """

    def __init__(self, pieces, font_size=style.SMALL, color=style.INK):
        super().__init__()
        self.specs = []
        strings, colors = [], []
        for p in pieces:
            if isinstance(p, str):
                strings.append(p), colors.append(color), self.specs.append(None)
            elif isinstance(p[0], str):
                strings.append(p[0]), colors.append(p[1]), self.specs.append(None)
            else:
                strings.append("0"), colors.append(p[1]), self.specs.append(p)
        if self.specs[0] is not None:
            raise ValueError("the first piece of a LiveReadout must be static")
        tmpl = MathTex(*strings, font_size=font_size)
        for part, c in zip(tmpl, colors):
            part.set_color(c)
        nums = [i for i, s in enumerate(self.specs) if s is not None]
        base_y = tmpl[nums[0]].get_bottom()[1] if nums else tmpl.get_bottom()[1]
        self.font_size_ = font_size
        self.dy = [part.get_center()[1] - base_y for part in tmpl]
        self.gap = [0.0] + [tmpl[i].get_left()[0] - tmpl[i - 1].get_right()[0]
                            for i in range(1, len(tmpl))]
        self.add(*tmpl.submobjects)
        self.refreshes = 0
        self._texts, self._laid = None, None
        self.refresh()
        self.add_updater(lambda m: m.refresh())

    @staticmethod
    def refresh_all(*mobs) -> None:
        """Bring every LiveReadout among the mobjects (and their families) up to date, e.g.
        before FadeIn copies a group: its numbers are built for the current values."""
        for mob in mobs:
            for m in mob.get_family():
                if isinstance(m, LiveReadout):
                    m.refresh()

    @staticmethod
    def fade_in(*mobs, **kwargs) -> list:
        """FadeIn animations of mobjects holding readouts, their numbers brought up to date
        first (FadeIn copies a mobject as it is when the animation begins)."""
        LiveReadout.refresh_all(*mobs)
        return [FadeIn(m, **kwargs) for m in mobs]

    def refresh(self):
        """Lay the line out for the getters' current values.  Every frame, for the updater;
        when neither the shown numbers nor the line's place and opacity changed since the
        last refresh (see :meth:`_state`), it does nothing (``self.refreshes`` counts the
        refreshes that did work)."""
        values = [None if spec is None else float(spec[0]()) for spec in self.specs]
        texts = tuple(None if v is None else fmt_plain(v, 3) for v in values)
        if texts == self._texts and self._state() == self._laid:
            for v, part in zip(values, self.submobjects):
                if v is not None:
                    part.value = v
            return self
        parts = list(self.submobjects)
        first = parts[0]
        base_y = first.get_center()[1] - self.dy[0]
        x = first.get_right()[0]
        leaves = first.family_members_with_points()
        opacity = leaves[0].get_fill_opacity() if leaves else 1.0
        for i in range(1, len(parts)):
            spec = self.specs[i]
            if spec is None:
                mob = parts[i]
                mob.move_to([x + self.gap[i] + mob.width / 2, base_y + self.dy[i], 0])
            else:
                color = spec[1]
                mob = parts[i]
                if not isinstance(mob, _Slot):  # the "0" of the layout: replaced once
                    # the renderer keeps drawing the leaves it listed when a play began, so
                    # the placeholder is emptied rather than merely dropped
                    for leaf in mob.get_family():
                        leaf.clear_points()
                    mob = parts[i] = _Slot(self.font_size_, color)
                mob.show(values[i], x + self.gap[i], base_y, opacity)
            x = mob.get_right()[0]
        self.submobjects = parts
        self.refreshes += 1
        self._texts, self._laid = texts, self._state()
        return self

    def _state(self) -> tuple:
        """What the layout depends on besides the numbers, read cheaply: for every part,
        the first and last point of its first outline (anything that moves, scales or
        replaces a part changes them) and the line's opacity."""
        marks = []
        for part in self.submobjects:
            leaf = part
            while leaf.submobjects and not len(leaf.points):
                leaf = leaf.submobjects[0]
            pts = leaf.points
            marks.append((pts[0].tobytes(), pts[-1].tobytes()) if len(pts) else None)
        first = self.submobjects[0].family_members_with_points()
        return tuple(marks), first[0].get_fill_opacity() if first else 1.0


def stack(rows, gaps, left: float, top: float, bottom: float):
    """Place rows (readouts or any mobjects) in a column from ``top`` down, left edges at
    ``left``, ``gaps[k]`` above row k; when they would pass ``bottom`` the gaps shrink
    (never below 35 %).  Readouts are brought up to date.  Returns the rows."""
    room = top - bottom - sum(r.height for r in rows)
    if 0 < sum(gaps) and sum(gaps) > room:
        gaps = [g * max(0.35, room / sum(gaps)) for g in gaps]
    y = top
    for row, gap in zip(rows, gaps):
        row.move_to([0, y - gap - row.height / 2, 0]).align_to([left, 0, 0], LEFT)
        y -= gap + row.height
    LiveReadout.refresh_all(*rows)
    return rows

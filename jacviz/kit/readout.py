"""Live readouts: a line of TeX whose numbers follow a tracker, frame by frame; and
:func:`stack`, a column of such lines (a readout panel) placed to fit."""

from __future__ import annotations

from manim import LEFT, UP, DecimalNumber, FadeIn, MathTex, VGroup, VMobject

from ..core.fmt import fmt_plain
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
                getter, color = spec
                mob = live_number(getter(), self.font_size_, color)
                mob.set_opacity(opacity)
                mob.move_to([x + self.gap[i] + mob.width / 2, 0, 0])
                mob.shift((base_y - mob.get_bottom()[1]) * UP)
                # the renderer keeps drawing the leaves it listed when a play began, so the
                # old glyphs are emptied rather than merely dropped
                for leaf in parts[i].get_family():
                    leaf.clear_points()
                parts[i] = mob
            x = mob.get_right()[0]
        self.submobjects = parts
        return self


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

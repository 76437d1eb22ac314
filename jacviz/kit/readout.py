"""Live readouts: a line of TeX whose numbers follow a tracker, frame by frame."""

from __future__ import annotations

from manim import UP, DecimalNumber, MathTex, VGroup, VMobject

from ..fmt import fmt_num
from . import style


class _Num(DecimalNumber):
    """A DecimalNumber written like the captions (3 significant digits, integers plain).

    Its glyphs are cached by manim, so a number per frame costs no LaTeX run."""

    def _get_num_string(self, number) -> str:
        return fmt_num(float(number), 3)


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
    the line, so the readout moves and fades as a whole).

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

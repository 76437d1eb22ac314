"""The reading-time rule: a text stays on screen long enough to be read.

A text needs :data:`BASE_SECONDS` (1 s) plus :data:`PER_WORD` (0.25 s) per word.
Words (:func:`words`): in prose (``Text``, ``Tex`` outside ``$...$``, ``\\text{...}``)
every run of characters between spaces, TeX commands (``\\raggedright``) left out;
in a formula every *symbol group*, a run between two separators: ``= + - , & \\\\`` and relations and arrows (``\\neq``,
``\\approx``, ``\\to``, ``\\cdot``, ``\\times``, ``\\circ``, ``\\quad``, ...); a number on
its own (``DecimalNumber``) is one word.  So ``y = 17.6`` is 2 words (1.5 s),
``(x, y, z) = (1, 2, 3)`` is 6 (2.5 s).

The scene (:class:`jacviz.kit.scene.JacvizScene` with ``check_layout``) samples which
texts are on screen before and after every play and wait, at the scene's clock
(``renderer.time``).  A text's time on screen is from the first sample that shows it
to the last one: from the end of the play that brings it in (it is fully drawn)
to the start of the play that takes it away, or to the end of the scene.  A text
is one mobject with one content: a text transformed in place (``Transform``) into
other words is timed up to that play and again, as a new text, from its end; a
``ReplacementTransform`` brings in a new one.  Tick labels,
decoration and live texts (:mod:`.roles`: numbers that follow a tracker; a text
once seen live, such as a countdown's digit, stays untimed) are not timed.
"""

from __future__ import annotations

import re

from manim import MathTex, SingleStringMathTex, Tex, Text

from . import roles
from .base import NUMBER_TYPES, Problem, _box, _describe, text_of

BASE_SECONDS = 1.0
PER_WORD = 0.25
_TEXT = re.compile(r"\\(?:text|mbox|textrm|textit)\{([^{}]*)\}")
_SEP = re.compile(r"=|\+|-|−|,|&|\\\\|<|>|;|\\(?:neq|ne|approx|to|mapsto|longmapsto|rightarrow|"
                  r"leftarrow|Rightarrow|cdot|times|circ|quad|qquad|leq|geq|le|ge|in|equiv|"
                  r"colon)(?![A-Za-z])|:")
_NOISE = re.compile(r"\\(?:left|right|big|Big|bigl|bigr|begin\{[a-z*]*\}|end\{[a-z*]*\}|[,;!: ])|"
                    r"[(){}\[\]|~\s]")


def formula_words(tex: str) -> int:
    count = 0

    def prose(m):
        nonlocal count
        count += len(m.group(1).split())
        return ","

    tex = _TEXT.sub(prose, re.sub(r"\\[,;!: ]", " ", tex))
    return count + sum(1 for piece in _SEP.split(tex) if _NOISE.sub("", piece))


_COMMANDS = re.compile(r"\\(?:begin|end)\{[^{}]*\}(?:\{[^{}]*\})?|\\[A-Za-z]+")


def prose_words(tex: str) -> int:
    """Words of prose TeX: ``\\text{...}`` kept, commands (``\\raggedright``) dropped."""
    return len(_COMMANDS.sub(" ", _TEXT.sub(r"\1", tex)).split())


def words(mob) -> int:
    """The words of a text mobject (see the module docstring)."""
    if isinstance(mob, NUMBER_TYPES):
        return 1
    if isinstance(mob, Text):
        return len(getattr(mob, "original_text", mob.text).split())
    tex = text_of(mob)
    if isinstance(mob, Tex):  # prose with $math$ (manim's Tex is a kind of MathTex)
        parts = tex.split("$")
        return sum(formula_words(p) if i % 2 else prose_words(p) for i, p in enumerate(parts))
    if isinstance(mob, (MathTex, SingleStringMathTex)):
        return formula_words(tex)
    return 1


def needed_seconds(mob) -> float:
    return BASE_SECONDS + PER_WORD * words(mob)


class ReadingClock:
    """Which texts are on screen from when to when (fed by the scene's samples)."""

    def __init__(self):
        self.open: dict[int, list] = {}  # id -> [mob, first, last, beat, box]
        self.live: dict[int, object] = {}  # texts seen live once: never timed (kept: ids)
        self.problems: list[Problem] = []

    def sample(self, found, now: float, beat: str) -> None:
        """``found``: ``texts_with_roles`` of what is on screen at time ``now``."""
        present = set()
        for mob, role, _ in found:
            if role == roles.LIVE:
                self.live[id(mob)] = mob
                self.open.pop(id(mob), None)
            if role in (roles.TICK, roles.DECORATION) or id(mob) in self.live:
                continue
            present.add(id(mob))
            rec = self.open.get(id(mob))
            if rec is None:
                self.open[id(mob)] = [mob, now, now, beat, None]
            else:
                rec[2] = now
        for key in [k for k in self.open if k not in present]:
            self._close(self.open.pop(key))

    def renew(self, mob, now: float, beat: str) -> None:
        """``mob`` was transformed in place into other words: the old words were on
        screen up to the last sample, the new ones are a new text from ``now``."""
        rec = self.open.pop(id(mob), None)
        if rec is not None:
            self._close(rec)
            self.open[id(mob)] = [mob, now, now, beat, None]

    def deficit(self, mobs, now: float) -> float:
        """How much longer (seconds) the texts among ``mobs`` must stay on screen from
        ``now`` to have been readable (0 when they have)."""
        short = 0.0
        for mob in mobs:
            rec = self.open.get(id(mob))
            if rec is not None:
                short = max(short, needed_seconds(mob) - (now - rec[1]))
        return short

    def on_screen(self) -> list:
        """The texts being timed now."""
        return [rec[0] for rec in self.open.values()]

    def finish(self, now: float) -> list[Problem]:
        """The scene ended at ``now``: every text still on screen stays until then."""
        for rec in self.open.values():
            rec[2] = now
            self._close(rec)
        self.open.clear()
        return self.problems

    def _close(self, rec) -> None:
        mob, first, last, beat, _ = rec
        shown, need = last - first, needed_seconds(mob)
        if shown < need - 1e-6:
            box = _box(mob) if mob.family_members_with_points() else None
            self.problems.append(Problem(beat, "reading-time",
                                         f"{_describe(mob)} is on screen {shown:.2f} s; "
                                         f"{words(mob)} words need {need:.2f} s", box))

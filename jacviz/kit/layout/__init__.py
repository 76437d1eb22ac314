"""The layout check: what a viewer of a frame cannot read.

At the end of every beat (and, for the rules on reading, at the end of every
play that brings a new text in) the scene runs the check on what is on screen;
every problem is a :class:`Problem` ``(beat, kind, what, where)``.  The kinds:

- ``overlap``: two texts (the outermost ``MathTex``/``Tex``/``Text``/numbers, not their
  glyphs) whose boxes intersect by more than ``TOLERANCE`` both ways, unless one is
  a declared overlay (:func:`jacviz.kit.colored_tex.overlay`) or inside one;
- ``off-frame``: anything visible leaving the frame by more than ``TOLERANCE``;
- ``text-height``: a content text under 12 px, a tick label under 9 px
  (:mod:`.reading`: what the height of a text is);
- ``contact``: a label closer than 3 px to another label or to an arrowhead
  (:mod:`.reading`);
- ``arrow-length``: an arrow a beat is about under 20 px (:mod:`.arrows`);
- ``arrow-hidden``: such an arrow mostly under something drawn on top (:mod:`.arrows`);
- ``names``: one displayed name for two different things (:mod:`.names`);
- ``reading-time``: a text on screen less than 1 s + 0.25 s per word (:mod:`.timing`;
  measured over the whole scene, reported with the beat that showed the text).

Pixel sizes are pixels of the 854x480 frame, whatever size is rendered.  Which text is
a tick label, a label or decoration, and which arrow is the subject of a beat, the kit
marks where it makes them (:mod:`.roles`).  The check reports, it does not raise:
the scene keeps the problems (``layout_problems``), the tests assert there are none,
and ``jacviz preview --check`` prints them.
"""

from __future__ import annotations

from . import roles
from .arrows import arrow_hidden, arrow_length, subjects
from .base import (TEXT_TYPES, TOLERANCE, Problem, _box, _describe, _visible, px, text_of,
                   texts, texts_with_roles)
from .base import check as geometry
from .names import names
from .reading import contact, line_height_px, text_height
from .timing import ReadingClock, needed_seconds, words

#: every kind, in the order the check reports them
KINDS = ("overlap", "off-frame", "text-height", "arrow-length", "arrow-hidden", "reading-time",
         "names", "contact")


def reading(mobjects, beat: str = "", found=None) -> list[Problem]:
    """The rules on one frame that reading needs (all but overlap, off-frame and
    reading time): run where a text first appears."""
    found = texts_with_roles(mobjects) if found is None else found
    arrows = subjects(mobjects)
    return (text_height(mobjects, beat, found) + arrow_length(mobjects, beat, arrows)
            + arrow_hidden(mobjects, beat, arrows) + names(mobjects, beat, found)
            + contact(mobjects, beat, found))


def check(mobjects, beat: str = "", tolerance: float = TOLERANCE, found=None) -> list[Problem]:
    """Every rule on one frame's mobjects (the end of a beat)."""
    return geometry(mobjects, beat, tolerance) + reading(mobjects, beat, found)


def unique(problems) -> list[Problem]:
    """The problems without repeats (one beat's frames often show the same fault)."""
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


__all__ = ["KINDS", "Problem", "ReadingClock", "TEXT_TYPES", "TOLERANCE", "arrow_hidden",
           "arrow_length", "check", "contact", "geometry", "line_height_px", "names",
           "needed_seconds", "px", "reading", "roles", "subjects", "text_height", "text_of",
           "texts", "texts_with_roles", "unique", "words", "_box", "_describe", "_visible"]

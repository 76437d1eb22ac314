"""What a mobject is to a viewer, as the kit marks it (read by the layout check).

The check cannot tell from the drawing alone which text is a tick label and
which arrow a beat is about, so the kit marks them where it makes them, with
one attribute, ``jacviz_role`` (copies keep it; a group's role holds for every
text inside it unless a text has its own):

- ``"tick"``: a tick label or an axis name (:class:`~jacviz.kit.panel.SpacePanel`,
  :meth:`~jacviz.kit.view.PlaneView.ticks`): at least 9 px high, and a label;
- ``"label"``: a label placed beside something (a space's title, an arrow's or a
  point's label, a contour's label, an edge's partial): a content text that must
  not touch arrowheads or other labels;
- ``"decoration"``: drawn, not read (exempt from the text rules);
- ``"subject"``: an arrow a beat is about (the pushed-forward dx, the pulled-back
  gradient, the arrows of a row of vectors): at least 20 px long and not hidden.

A text without a role is content: at least 12 px high, on screen long enough to
be read.  A content text that has updaters, or lies inside a mobject that has them
(a :class:`~jacviz.kit.readout.LiveReadout`, an ``always_redraw``), is ``"live"``: it
changes while it is watched, so it is held to the content rules but not timed.
"""

from __future__ import annotations

TICK = "tick"
LABEL = "label"
DECORATION = "decoration"
SUBJECT = "subject"
CONTENT = "content"
LIVE = "live"
ROLES = (TICK, LABEL, DECORATION, SUBJECT, CONTENT, LIVE)


def mark(mob, role: str):
    """Give ``mob`` (and what it holds, unless marked itself) a role; returns ``mob``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    mob.jacviz_role = role
    return mob


def tick(mob):
    return mark(mob, TICK)


def label(mob):
    return mark(mob, LABEL)


def decoration(mob):
    return mark(mob, DECORATION)


def subject(mob):
    return mark(mob, SUBJECT)


def role_of(mob, inherited: str = CONTENT) -> str:
    return getattr(mob, "jacviz_role", None) or inherited

"""Fades without copies of the faded mobject, with the same frames.

manim's ``FadeIn`` and ``FadeOut`` are Transforms: when a play begins, a
``FadeOut`` deep-copies its mobject three times (the faded target, the
target's copy, the starting copy) and a ``FadeIn`` twice (the faded start,
the target's copy), every glyph of every formula on screen.  Every beat of a
scene begins by fading out what is on screen (``JacvizScene.clear_except``)
and fades its new formulas in, so these copies were most of the copying left
in a render (composition, path-sums).

The frames read only a few values of those copies: per family member with
points, its points and the seven values ``VMobject.interpolate_color`` reads
(fill, stroke and background-stroke colours, the two stroke widths, the
sheen).  :func:`install` makes ``FadeIn.begin`` and ``FadeOut.begin`` take
just those values (numpy copies of the arrays) instead of deep-copying the
mobjects, with the faded values computed by the same operations manim
applies to its faded copy (``fade(1)``, ``shift``, ``scale`` about the
shifted copy's centre, in that order), so every interpolated value, and every frame, is
bitwise the one manim draws (a test renders plays both ways and compares the
values and the frames).  A fade that manim would do differently (a member whose
class changes how it fades, colours, moves or interpolates, a sheen, an empty
group, updaters, which manim runs on its copies too, the OpenGL renderer) is
left to manim.
"""

from __future__ import annotations

import numpy as np

_INSTALLED = False
#: the methods replaced by :func:`install` ((class, name, original) ...), for :func:`uninstall`
_ORIGINALS: list = []
#: how many fades took the copy-free path and how many were left to manim (tests read these)
counts = {"fast": 0, "manim": 0}

#: the values of a member that a Transform's interpolation reads (``Mobject.interpolate``)
_ATTRS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width",
          "background_stroke_width", "sheen_direction", "sheen_factor")


class _Values:
    """What a Transform reads of a starting or target member: points and colours."""

    __slots__ = ("points",) + _ATTRS


def _snapshot(member) -> _Values:
    """The member's values as a copy of it holds them."""
    v = _Values()
    v.points = member.points.copy()
    for attr in _ATTRS:
        value = getattr(member, attr)
        setattr(v, attr, value.copy() if isinstance(value, np.ndarray) else value)
    return v


def _faded(member, shift, scale, about) -> _Values:
    """The member's values in manim's faded copy (``_Fade._create_faded_mobject``): ``fade(1)``
    (each alpha set to 0 times the first, by ``VMobject.fade``), then ``shift(shift)``, then
    ``scale(scale)`` about the shifted copy's centre ``about``; each step as manim computes it."""
    v = _snapshot(member)
    factor = 1.0 - 1  # VMobject.fade(darkness=1)
    v.fill_rgbas[:, 3] = factor * member.get_fill_opacity()
    v.stroke_rgbas[:, 3] = factor * member.get_stroke_opacity()
    v.background_stroke_rgbas[:, 3] = factor * member.get_stroke_opacity(background=True)
    points = v.points.astype("float")  # Mobject.shift
    points += shift
    points -= about  # Mobject.apply_points_function_about_point, as Mobject.scale calls it
    points = scale * points
    points += about
    v.points = points
    return v


def _centre_after_shift(mob, shift, ORIGIN) -> np.ndarray:
    """``get_critical_point(ORIGIN)`` of the mobject's copy shifted by ``shift``: the points
    that define its boundary are the mobject's own, shifted (a selection of each member's
    points: anchors, or all), so the same extremes of the same shifted values."""
    boundary = mob.get_points_defining_boundary()
    result = np.zeros(mob.dim)
    if len(boundary) == 0:
        return result
    shifted = np.asarray(boundary).astype("float")
    shifted += shift
    for dim in range(mob.dim):
        result[dim] = mob.get_extremum_along_dim(shifted, dim=dim, key=np.array(ORIGIN[dim]))
    return result


def _standard(member, VMobject, Mobject) -> bool:
    """Whether ``fade(1)`` and the interpolation treat this member as manim's VMobject does."""
    cls = type(member)
    if member.get_num_points() == 0:  # only recursed into by fade, never interpolated
        return cls.fade in (VMobject.fade, Mobject.fade)
    if not isinstance(member, VMobject):
        return False
    same = ("fade", "set_fill", "set_stroke", "set_background_stroke", "update_rgbas_array",
            "generate_rgbas_array", "get_fill_opacity", "get_fill_opacities",
            "get_stroke_opacity", "get_stroke_opacities", "get_stroke_rgbas", "get_fill_rgbas",
            "get_sheen_factor", "interpolate", "interpolate_color", "shift",
            "apply_points_function_about_point", "align_data", "align_points", "align_rgbas",
            "__deepcopy__", "copy")
    if any(getattr(cls, name) is not getattr(VMobject, name) for name in same):
        return False
    if member.sheen_factor != 0:  # set_fill would add a lighter second colour
        return False
    return all(hasattr(member, a) for a in _ATTRS) and \
        len(member.fill_rgbas) and len(member.stroke_rgbas) and len(member.background_stroke_rgbas)


def install() -> None:
    """Make FadeIn and FadeOut copy-free where the frames stay the same (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from manim import ORIGIN, FadeIn, FadeOut, Mobject, Transform, VMobject, config
    from manim.constants import RendererType

    transform_begin = Transform.begin
    transform_zipped = Transform.get_all_families_zipped
    transform_all = Transform.get_all_mobjects
    from manim.mobject.table import Table

    # Table.scale also scales the copy's cell spacing (never drawn), then VMobject.scale
    scales = (Mobject.scale, VMobject.scale, Table.scale)
    from . import fastfamily

    # manim's, or fastfamily's (the same rows), whichever was installed first
    boundaries = (Mobject.get_points_defining_boundary, VMobject.get_points_defining_boundary,
                  fastfamily.get_points_defining_boundary)

    def eligible(anim, members) -> bool:
        mob = anim.mobject
        cls = type(mob)
        if config.renderer == RendererType.OPENGL or cls.scale not in scales or \
                cls.shift is not Mobject.shift or cls.__deepcopy__ is not Mobject.__deepcopy__ \
                or cls.get_critical_point is not Mobject.get_critical_point or \
                cls.get_extremum_along_dim is not Mobject.get_extremum_along_dim or \
                cls.get_points_defining_boundary not in boundaries:
            return False
        family = mob.get_family()
        # manim runs the updaters of its copies every frame (they are not suspended): a family
        # with updaters is left to manim
        if any(m.updaters for m in family):
            return False
        return bool(members) and all(_standard(m, VMobject, Mobject) for m in family)

    def begin(self):
        mob = self.mobject
        members = mob.family_members_with_points()
        if not eligible(self, members):
            counts["manim"] += 1
            self._fade_values = None
            return transform_begin(self)
        counts["fast"] += 1
        fade_in = isinstance(self, FadeIn)
        shift = np.asarray(self.shift_vector, dtype=float) * (  # a list, as manim takes it
            -1 if fade_in and not self.point_target else 1)
        about = _centre_after_shift(mob, shift, ORIGIN)
        now = [_snapshot(m) for m in members]
        faded = [_faded(m, shift, self.scale_factor, about) for m in members]
        # (start, target): FadeIn from the faded values to the mobject as it is; FadeOut back
        self._fade_values = (faded, now) if fade_in else (now, faded)
        if fade_in:
            self.target_mobject = mob
        # what Animation.begin does after making its starting copy (the aligning of the
        # mobject with a copy of itself, or of its faded copy, changes nothing)
        if self.suspend_mobject_updating:
            mob.suspend_updating()
        self.interpolate(0)

    def get_all_families_zipped(self):
        values = getattr(self, "_fade_values", None)
        if values is None:
            return transform_zipped(self)
        return zip(self.mobject.family_members_with_points(), *values, strict=True)

    def get_all_mobjects(self):
        if getattr(self, "_fade_values", None) is None:
            return transform_all(self)
        return [self.mobject]

    for cls in (FadeIn, FadeOut):
        for name, fn in (("begin", begin), ("get_all_families_zipped", get_all_families_zipped),
                         ("get_all_mobjects", get_all_mobjects)):
            _ORIGINALS.append((cls, name, cls.__dict__.get(name)))
            setattr(cls, name, fn)
    _INSTALLED = True


def uninstall() -> None:
    """Give FadeIn and FadeOut back their own methods (the tests compare both ways)."""
    global _INSTALLED
    while _ORIGINALS:
        cls, name, original = _ORIGINALS.pop()
        if original is None:
            delattr(cls, name)
        else:
            setattr(cls, name, original)
    _INSTALLED = False

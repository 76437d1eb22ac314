"""Cheaper copies of mobjects, with the same result.

manim copies mobjects all the time (every Transform target, every faded
copy, every ``.copy()``), with ``copy.deepcopy`` walking every attribute of
every glyph: about 30 ms for a line of TeX, 45 % of a render's time (measured
on composition).  Most of that walk copies values that are never changed
in place: each glyph's parsed SVG path (``path_obj``, a tree of svgelements
objects that manim only reads, once, to make the glyph's points), strings,
numbers, colours, the TeX template.

:func:`install` replaces ``Mobject.__deepcopy__`` with one that shares those
immutable values, copies numpy arrays with ``ndarray.copy`` and recurses into
everything else exactly as before.  A copy holds equal data, so every frame
is identical (the key-frame tests and the clip hashes check it).
"""

from __future__ import annotations

import copy

import numpy as np

_INSTALLED = False
#: attributes read only when a mobject is made, never changed afterwards: shared by copies
SHARED = frozenset({"path_obj"})


def _immutable_types():
    from manim.utils.color import ManimColor
    from manim.utils.tex import TexTemplate

    # TexTemplate is shared configuration: no scene changes a copy's template in place
    return (str, int, float, bool, complex, bytes, type(None), np.generic, ManimColor, TexTemplate)


def install() -> None:
    """Use the cheaper copy for every mobject (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from manim import Mobject

    immutable = _immutable_types()
    ndarray = np.ndarray
    deepcopy = copy.deepcopy

    def __deepcopy__(self, memo):
        cls = self.__class__
        result = cls.__new__(cls)
        memo[id(self)] = result
        out = result.__dict__
        for key, value in self.__dict__.items():
            if key in SHARED or isinstance(value, immutable):
                out[key] = value
            elif type(value) is ndarray:
                copied = memo.get(id(value))
                if copied is None:
                    copied = memo[id(value)] = value.copy()
                out[key] = copied
            elif type(value) is list and key == "submobjects":
                out[key] = [deepcopy(sub, memo) for sub in value]
            else:
                out[key] = deepcopy(value, memo)
        result.original_id = str(id(self))
        return result

    Mobject.__deepcopy__ = __deepcopy__
    _INSTALLED = True

"""What a Jacobian does to a small circle: the circle, its image under the map, the ellipse."""

from __future__ import annotations

import numpy as np
from manim import ORIGIN, Line, VGroup, VMobject

from ..core.fmt import nice_floor, tex_num
from ..core.svd import CircleImages
from . import style
from .layout import roles
from .panel import place_label
from .view import PlaneView

SHORTEST_AXIS = 0.4  # screen units (24 px at 854x480): shorter, a semi-axis is not an arrow


class EllipseView(VGroup):
    """Three panels side by side, one scale (areas compare directly; when the circle's radius
    would be under 24 px at it, the left panel has its own, its title saying "drawn x k",
    ``left_factor``): a circle of radius r
    round x0 (left), its image under the map F round F(x0) (middle), and its image under
    the Jacobian, the ellipse F(x0) + J(x0)(x - x0) (right, forward orange).

    Built from :func:`jacviz.core.svd.circle_images` (every number from the core).  Parts
    by name: :meth:`get_panels`, :meth:`get_views` (the three :class:`PlaneView`),
    :meth:`get_circle`, :meth:`get_image`, :meth:`get_ellipse`, :meth:`get_dots` (x0, F(x0),
    F(x0)), :meth:`get_input_axes` (the radii r v_1, r v_2: V's columns) with
    :meth:`get_input_labels`, :meth:`get_axes` (the semi-axes r s_1 u_1, r s_2 u_2) with
    :meth:`get_axis_labels` (``sigma_1 = ...``), and :meth:`get_turns` (an arrow on each loop
    showing which way it goes round: the ellipse's turns the other way when det J < 0).
    :meth:`note` writes a line below the panels; :meth:`markers_at` gives the three points at a fraction of the way round, for a dot
    that travels round all three loops at once.  The labels and axes are made but not
    added: a scene shows them when its beat comes.

    Examples
    --------
    .. code-block:: python

        from jacviz.core.svd import circle_images
        from jacviz.kit.ellipse import EllipseView

        class EllipseViewExample(Scene):
            def construct(self):
                F = Map("(x, y) -> (y + 0.2*x^2, x)")  # det J < 0: the ellipse turns the other way
                view = EllipseView(circle_images(linearize(F, [0.5, 0.5]), 0.3),
                                   width=13, height=5)
                self.add(view, view.get_input_axes(), view.get_input_labels(), view.get_axes(),
                         view.get_axis_labels(), view.get_turns())
    """

    def __init__(self, ci: CircleImages, *, center=ORIGIN, width: float, height: float,
                 gap: float = 0.3, pad: float = 0.5,
                 titles=(r"\text{a circle at } x_0", r"F(\text{circle})",
                         r"F(x_0) + J(x_0)\,(\text{circle} - x_0)")):
        super().__init__()
        self.ci = ci
        center = np.asarray(center, dtype=float)
        pw = (width - 2 * gap) / 3
        centers = [center + np.array([k * (pw + gap), 0.0, 0.0]) for k in (-1, 0, 1)]
        boxes = [self._box(ci.x0, ci.circle), self._box(ci.y0, ci.image, ci.ellipse),
                 self._box(ci.y0, ci.image, ci.ellipse)]
        fits = [PlaneView(*b, center=c, width=pw, height=height, pad=pad).scale
                for b, c in zip(boxes, centers)]
        scale = min(fits)
        scales = [scale] * 3
        self.left_factor = 1.0  # the left panel drawn this many times the others' scale
        if ci.r * scale < SHORTEST_AXIS:  # the circle's radii would not read: its own scale
            scale = min(fits[1:])
            self.left_factor = nice_floor(fits[0] / scale)
            scales = [self.left_factor * scale, scale, scale]
        self.views = [PlaneView(*b, center=c, width=pw, height=height, pad=pad, scale=sc)
                      for b, c, sc in zip(boxes, centers, scales)]
        if self.left_factor != 1:
            titles = (titles[0] + rf"	ext{{, drawn }}	imes {tex_num(self.left_factor)}",
                      *titles[1:])
        self.panels = VGroup()
        for c, t in zip(centers, titles):
            p = style.panel(pw, height, t)
            self.panels.add(p.shift(c - p[0].get_center()))
        self.panels[2][1].set_color(style.FORWARD)
        vl, vm, vr = self.views
        self.circle = vl.polyline(ci.circle, style.INK, 3)
        self.circle.set_fill(style.INK, 0.12)
        self.image = vm.polyline(ci.image, style.INK, 3)
        self.image.set_fill(style.INK, 0.12)
        self.ellipse = vr.polyline(ci.ellipse, style.FORWARD, 3)
        self.ellipse.set_fill(style.FORWARD, 0.25)
        self.dots = VGroup(vl.dot(ci.x0), vm.dot(ci.y0), vr.dot(ci.y0))
        self.add(self.panels, self.circle, self.image, self.ellipse, self.dots)
        dec = ci.dec
        self.input_axes = VGroup(*[vl.arrow(ci.x0, a, stroke_width=4) for a in dec.input_axes(ci.r)])
        self.axes = VGroup(*[self._semi_axis(vr, ci.y0, a) if s > 0 else VMobject()
                             for a, s in zip(dec.semi_axes(ci.r), dec.s)])  # none for s_i = 0
        self.turns = VGroup(*[self._turn(view, pts) for view, pts in
                              zip(self.views, (ci.circle, ci.image, ci.ellipse))])
        self.input_labels = VGroup(*[style.math(f"v_{i + 1}", style.FORWARD) for i in range(2)])
        self.axis_labels = VGroup(*[style.math(rf"\sigma_{i + 1} = {tex_num(s)}", style.FORWARD)
                                    for i, s in enumerate(dec.s)])
        for labels, arrows, k, loop in ((self.input_labels, self.input_axes, 0, self.circle),
                                        (self.axis_labels, self.axes, 2, self.ellipse)):
            covered = [self.dots[k], *arrows, self.turns[k]]  # beside the tips, on the loop
            for lab, arr in zip(labels, arrows):
                start, end = self._ends(arr, self.views[k], ci.x0 if k == 0 else ci.y0)
                covered.append(place_label(lab, start, end, covered, self.panels[k][0],
                                           around=True, tips=True))
            for lab in labels:
                lab.add_background_rectangle(color=style.PANEL, opacity=0.8, buff=0.04)

    @staticmethod
    def _semi_axis(view, p, a):
        """The semi-axis a at p: an arrow, or, when it is too short for an arrow a viewer can
        read (a thin ellipse: s_2 much less than s_1), a plain stroke along it (its label
        still says s_2)."""
        arr = view.arrow(p, a, stroke_width=4)
        if np.linalg.norm(view(p + np.asarray(a)) - view(p)) >= SHORTEST_AXIS:
            return arr
        return roles.decoration(Line(view(p), view(p + np.asarray(a)), color=style.FORWARD,
                                     stroke_width=4))

    @staticmethod
    def _box(c, *loops):
        """A box centred on the point c holding the loops (so the point sits mid-panel)."""
        pts = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in loops])
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        R = np.maximum(np.max(np.abs(pts - c), axis=0), 1e-9) if len(pts) else np.full(2, 1e-9)
        return c - R, c + R

    @staticmethod
    def _ends(arr, view, p):
        """An arrow's start and end on screen (a zero arrow is a dot at the point)."""
        if hasattr(arr, "get_start") and hasattr(arr, "tip"):
            return arr.get_start(), arr.get_end()
        return view(p), view(p)

    def _turn(self, view, pts):
        """A short arrow along the loop where ``turn_at`` says (away from the axes),
        pointing the way it goes (a dot where the loop does not move there: J = 0)."""
        k = len(pts) - 1
        i = int(round(self.ci.turn_at * k)) % k
        j = i + max(2, k // 16)
        if j > k:  # across the start: the loop is closed, sample k is sample 0
            i, j = i - (j - k), k
        a, b = view(pts[i]), view(pts[j])
        if np.linalg.norm(b - a) < 0.12:  # too short to show a way round
            return style.arrow(a, a, style.HIGHLIGHT)
        return style.arrow(a, b, style.HIGHLIGHT, stroke_width=5, tip_ratio=0.6)

    def note(self, tex: str, color=style.INK):
        """A line of mathematics centred in the band below the panels (to the frame's
        safe bottom), fitted to it."""
        bottom = self.panels.get_bottom()[1]
        m = style.fit(style.math(tex, color), style.safe_width(),
                      min(0.7, bottom - 0.15 - style.content_bottom()))
        return m.move_to([self.panels.get_center()[0], (bottom + style.content_bottom()) / 2, 0])

    # -- the parts by name -----------------------------------------------------------------
    def get_panels(self) -> VGroup:
        return self.panels

    def get_views(self) -> list[PlaneView]:
        return self.views

    def get_circle(self):
        return self.circle

    def get_image(self):
        return self.image

    def get_ellipse(self):
        return self.ellipse

    def get_dots(self) -> VGroup:
        return self.dots

    def get_input_axes(self) -> VGroup:
        return self.input_axes

    def get_input_labels(self) -> VGroup:
        return self.input_labels

    def get_axes(self) -> VGroup:
        return self.axes

    def get_axis_labels(self) -> VGroup:
        return self.axis_labels

    def get_turns(self) -> VGroup:
        return self.turns

    def markers_at(self, t: float) -> list[np.ndarray]:
        """The screen points of the circle, its image and the ellipse at the fraction t of
        the way round (anticlockwise round the circle)."""
        return [view(p) for view, p in zip(self.views, self.ci.at(t))]

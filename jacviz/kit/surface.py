"""A surface z = f(x, y) in 3-D, drawn from the core's numbers, with its parts by name.

:class:`SurfaceView` maps data (x, y, z) to the scene's 3-D space (x and y at one scale, so
right angles on the floor stay right; z at its own) and makes the parts:
``get_surface()`` (the shaded surface, from ``jacviz.core.surface.sample_surface``),
``get_floor()``, ``get_axes()``, ``get_floor_levels()`` and ``get_lifted_levels()`` (level
curves on the floor and at their heights), ``get_tangent_plane()`` (a patch of the plane
z0 + grad f . (x - x0)), ``get_patch()`` (a small piece of the surface, finer, for the
zoom), ``get_curve()`` / ``get_floor_curve()`` (a curve lifted onto the surface and its
shadow r(t) on the floor).  What must be read (labels, the dot, the gradient arrow and the
right angle) is drawn flat, fixed in the frame, at the projection of its 3-D anchor
(:meth:`SurfaceView.screen` with the scene's camera): ``get_gradient()``, ``get_right_angle()``,
``get_dot()``, ``get_labels()``.

:class:`SurfaceCamera` is manim's ``ThreeDCamera`` with three changes: a screen shift (the
picture sits left of the readouts), a look point (:meth:`SurfaceCamera.look_at`) in place of
manim's frame centre (which shifts fixed-in-frame texts too), and mobjects marked
``jacviz_in_frame`` (:func:`in_frame`) drawn fixed in the frame with all their family, also
parts a live readout makes afresh every frame.

Speed (issue 19): the surface is built once and only projected per frame (the camera moves,
nothing is re-triangulated); 24 x 24 faces keep the silhouette smooth at 480p.

"""

from __future__ import annotations

import numpy as np
from manim import (DEGREES, DOWN, LEFT, OUT, Camera, Dot, Line, ManimColor, MathTex, Polygon,
                   Surface, ThreeDCamera, ValueTracker, VGroup, VMobject, always_redraw,
                   interpolate_color)
from manim.mobject.three_d.three_d_utils import get_3d_vmob_unit_normal
from manim.utils.color.core import get_shaded_rgb

from ..core.fmt import tex_num
from . import style
from .layout import roles

SURFACE_LOW = "#27415F"  # the surface's colours, low to high (neither forward nor backward)
SURFACE_HIGH = "#7A8FB0"
PLANE = style.HIGHLIGHT
RESOLUTION = 24  # faces per side of the surface
LIGHT = 9 * DOWN + 7 * LEFT + 10 * OUT  # manim's ThreeDCamera's light, fixed in space


def in_frame(*mobs):
    """Mark mobjects to be drawn fixed in the frame (with everything they hold, now or later)."""
    for m in mobs:
        m.jacviz_in_frame = True
    return mobs[0] if len(mobs) == 1 else mobs


def _marked(mob) -> bool:
    return bool(getattr(mob, "jacviz_in_frame", False))


def in_frame_family(mobjects) -> set:
    """Every mobject drawn fixed in the frame: the marked ones and all they hold."""
    out = set()

    def walk(m):
        if _marked(m):
            out.update(m.get_family())
            return
        for s in m.submobjects:
            walk(s)

    for m in mobjects:
        walk(m)
    return out


class SurfaceCamera(ThreeDCamera):
    """A ThreeDCamera for jacviz's 3-D scenes (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.screen_shift = np.zeros(3)
        self.look = [ValueTracker(0.0) for _ in range(3)]
        self._marked_fixed: set = set()
        #: the scene whose marked mobjects are fixed in the frame (set by the scene)
        self.scene = None

    def capture_mobjects(self, mobjects, **kwargs):
        mobjects = list(mobjects)
        # the marks are read on the scene's tree: the renderer also hands the camera loose
        # parts (a static frame's family members), and a live readout makes new parts
        self.fixed_in_frame_mobjects -= self._marked_fixed
        self._marked_fixed = in_frame_family(self.scene.mobjects if self.scene is not None
                                             else mobjects)
        self.fixed_in_frame_mobjects |= self._marked_fixed
        super().capture_mobjects(mobjects, **kwargs)

    def modified_rgbas(self, vmobject, rgbas):
        if getattr(vmobject, "jacviz_baked", False):
            return rgbas  # shaded once, when made
        return super().modified_rgbas(vmobject, rgbas)

    def get_mobjects_to_display(self, *args, **kwargs):
        mobjects = Camera.get_mobjects_to_display(self, *args, **kwargs)
        rot = self.get_rotation_matrix()
        look = self.look_point()

        def depth(mob) -> float:
            if not getattr(mob, "shade_in_3d", False):
                return np.inf
            c = getattr(mob, "jacviz_centre", None)
            c = mob.get_z_index_reference_point() if c is None else c
            return float(np.dot(c - look, rot.T)[2])
        return sorted(mobjects, key=depth)

    def look_point(self) -> np.ndarray:
        """The 3-D scene point drawn where the screen shift puts the picture's centre."""
        return np.array([t.get_value() for t in self.look])

    def transform_points_pre_display(self, mobject, points):
        points = Camera.transform_points_pre_display(self, mobject, points)
        if mobject in self.fixed_in_frame_mobjects:
            return points
        return self.project_points(points - self.look_point()) + self.screen_shift

    def screen_points(self, points) -> np.ndarray:
        """Where 3-D scene points are drawn, in frame coordinates (shape (k, 3))."""
        pts = np.asarray(points, dtype=float).reshape(-1, 3)
        self.reset_rotation_matrix()
        out = self.project_points(pts - self.look_point()) + self.screen_shift
        out[:, 2] = 0.0
        return out

    def look_at(self, point) -> list:
        """Animations that move the look point (the camera's frame centre stays put: manim's
        moving frame centre also shifts what is fixed in the frame)."""
        return [t.animate.set_value(float(v)) for t, v in zip(self.look, point)]


class SurfaceView:
    """Data (x, y, z) in the box xlim x ylim x zlim, as the scene's 3-D space.

    x and y share one scale (``size`` scene units for the longer side), z is scaled to
    ``height``; the box is centred on the scene's origin.

    Examples
    --------
    .. code-block:: python

        class SurfaceViewExample(ThreeDScene):
            def construct(self):
                from jacviz.core.surface import sample_surface
                from jacviz.kit.surface import SurfaceView
                f = Map("(x, y) -> x^2 + y^2")
                view = SurfaceView((-1.5, 1.5), (-1.5, 1.5), (0.0, 4.5))
                self.set_camera_orientation(phi=60 * DEGREES, theta=-55 * DEGREES)
                samples = sample_surface(f, (-1.5, 1.5), (-1.5, 1.5), 25)
                self.add(view.get_axes(), view.get_surface(samples))
    """

    def __init__(self, xlim, ylim, zlim, size: float = 4.6, height: float = 2.6,
                 theta: float = -55.0):
        self.xlim = tuple(float(v) for v in xlim)
        self.ylim = tuple(float(v) for v in ylim)
        self.zlim = tuple(float(v) for v in zlim)
        span = max(self.xlim[1] - self.xlim[0], self.ylim[1] - self.ylim[0])
        self.s = size / span
        self.sz = height / max(self.zlim[1] - self.zlim[0], 1e-12)
        self.c = np.array([sum(self.xlim) / 2, sum(self.ylim) / 2, sum(self.zlim) / 2])
        # the axes start at the floor's corner farthest from a camera at angle theta (degrees)
        th = np.radians(theta)
        self.corner = (self.xlim[0] if np.cos(th) >= 0 else self.xlim[1],
                       self.ylim[0] if np.sin(th) > 0 else self.ylim[1])
        # ... and x and y run along the front edges, so that their names stay outside
        self.front = (self.xlim[1] if np.cos(th) > 1e-9 else self.xlim[0],
                      self.ylim[0] if np.sin(th) < 1e-9 else self.ylim[1])

    # -- coordinates -------------------------------------------------------------------
    def to_scene(self, pts) -> np.ndarray:
        """Data points (..., 3) (or (..., 2) on the floor) as scene points (..., 3)."""
        p = np.asarray(pts, dtype=float)
        if p.shape[-1] == 2:
            p = np.concatenate([p, np.full(p.shape[:-1] + (1,), self.zlim[0])], axis=-1)
        return (p - self.c) * np.array([self.s, self.s, self.sz])

    def floor(self, pts2) -> np.ndarray:
        return self.to_scene(np.asarray(pts2, dtype=float)[..., :2])

    def at_height(self, pts2, z) -> np.ndarray:
        p = np.asarray(pts2, dtype=float).reshape(-1, 2)
        zz = np.broadcast_to(np.asarray(z, dtype=float), (len(p),)).reshape(-1, 1)
        return self.to_scene(np.concatenate([p, zz], axis=1))

    # -- parts in 3-D --------------------------------------------------------------------
    def _faces(self, samples, color_low, color_high, opacity, stroke, stroke_width,
               stroke_opacity=1.0):
        """A manim Surface through the sampled points (``samples.Z`` on xs x ys)."""
        xs, ys, Z = samples.xs, samples.ys, samples.Z
        nx, ny = len(xs) - 1, len(ys) - 1
        x0, y0, dx, dy = xs[0], ys[0], (xs[-1] - xs[0]) / nx, (ys[-1] - ys[0]) / ny
        zlo, zhi = self.zlim

        def point(u, v):
            i, j = int(round((u - x0) / dx)), int(round((v - y0) / dy))
            return self.to_scene([xs[i], ys[j], Z[j, i]])

        surf = Surface(point, u_range=(xs[0], xs[-1]), v_range=(ys[0], ys[-1]),
                       resolution=(nx, ny), fill_opacity=opacity, stroke_width=stroke_width,
                       stroke_color=stroke, stroke_opacity=stroke_opacity,
                       should_make_jagged=False)
        lo, hi = ManimColor(color_low), ManimColor(color_high)
        for face in surf:  # coloured by height, shaded once (the light does not move)
            centre = face.get_center()
            z = float(centre[2]) / self.sz + self.c[2]
            k = 0.0 if zhi <= zlo else min(1.0, max(0.0, (z - zlo) / (zhi - zlo)))
            rgb = interpolate_color(lo, hi, k).to_rgb()
            normal = get_3d_vmob_unit_normal(face, 0)
            if normal[2] < 0:
                normal = -normal
            shaded = np.clip(get_shaded_rgb(np.array(rgb), centre, normal, LIGHT), 0, 1)
            face.set_fill(ManimColor.from_rgb(shaded), opacity=opacity)
            face.jacviz_baked = True  # SurfaceCamera: no shading per frame
            face.jacviz_centre = centre  # ... and the depth order from this centre
        return surf

    def get_surface(self, samples, opacity: float = 0.78):
        """The shaded surface over the sampled grid (faces: the grid's cells)."""
        # the mesh faint: it shows the shape without a texture the encoder must keep
        return self._faces(samples, SURFACE_LOW, SURFACE_HIGH, opacity, "#10151C", 0.5, 0.18)

    def get_patch(self, samples, opacity: float = 0.9):
        """A small piece of the surface (finer samples), for the zoom."""
        return self._faces(samples, SURFACE_HIGH, SURFACE_HIGH, opacity, "#10151C", 0.6, 0.5)

    def get_tangent_plane(self, plane, half: float, samples: int = 7, opacity: float = 0.45,
                          stroke_width: float = 0.8):
        """The tangent plane over the square x0 +- half (``plane``: a core TangentPlane)."""
        from ..core.surface import SurfaceSamples, square_grid

        g = square_grid(plane.x0, half, samples)
        s = SurfaceSamples(g[0, :, 0], g[:, 0, 1], plane(g))
        return self._faces(s, PLANE, PLANE, opacity, PLANE, stroke_width)

    def get_plane_grid(self, plane, half: float, lines: int = 5, width: float = 2.5):
        """The tangent plane over x0 +- half as a grid of lines (drawn over the surface's faces:
        where the two cannot be told apart, the grid shows the plane lying on the surface)."""
        from ..core.surface import square_grid

        g = square_grid(plane.x0, half, lines)
        z = plane(g)
        pts = self.to_scene(np.concatenate([g, z[..., None]], axis=-1))
        return VGroup(*[self.polyline(pts[i], PLANE, width) for i in range(lines)],
                      *[self.polyline(pts[:, j], PLANE, width) for j in range(lines)])

    def get_floor(self):
        """The floor's rectangle, at the bottom of the z range."""
        (a, b), (c, d) = self.xlim, self.ylim
        corners = self.floor(np.array([[a, c], [b, c], [b, d], [a, d]]))
        return Polygon(*corners, stroke_color=style.MUTED, stroke_width=1.2, fill_opacity=0)

    def get_axes(self):
        """The x and y axes along the floor's front edges (seen from the camera at ``theta``),
        each from its least value to its largest, and the z axis up from the back corner."""
        (a, b), (c, d), (xo, yo), (xf, yf) = self.xlim, self.ylim, self.corner, self.front
        zl, zh = self.zlim
        return VGroup(Line(self.to_scene([a, yf, zl]), self.to_scene([b, yf, zl])),
                      Line(self.to_scene([xf, c, zl]), self.to_scene([xf, d, zl])),
                      Line(self.to_scene([xo, yo, zl]), self.to_scene([xo, yo, zh]))
                      ).set_stroke(style.MUTED, 2.2)

    def axis_anchors(self) -> dict:
        """3-D scene points where the axis names (at each axis's largest value) and the z
        range's ends go; "xs" and "ys" are the starts of x and y."""
        (a, b), (c, d), (xo, yo), (xf, yf) = self.xlim, self.ylim, self.corner, self.front
        zl, zh = self.zlim
        return {"x": self.to_scene([b, yf, zl]), "y": self.to_scene([xf, d, zl]),
                "xs": self.to_scene([a, yf, zl]), "ys": self.to_scene([xf, c, zl]),
                "z": self.to_scene([xo, yo, zh]), "x0": self.to_scene([xo, yo, zl])}

    def polyline(self, pts3, color, width=style.CURVE_STROKE, opacity=1.0):
        line = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        line.set_points_as_corners(np.asarray(pts3, dtype=float))
        return line

    def get_floor_levels(self, contours, color=style.MUTED):
        """Level curves on the floor: ``contours`` as the core's ``level_lines`` gives them."""
        return VGroup(*[VGroup(*[self.polyline(self.floor(p), color) for p in polys])
                        for polys in contours])

    def get_lifted_levels(self, contours, levels, color=style.INK):
        """The same level curves at their heights z = c, on the surface."""
        return VGroup(*[VGroup(*[self.polyline(self.at_height(p, c), color, 1.8, 0.85)
                                 for p in polys]) for polys, c in zip(contours, levels)])

    def get_curve(self, along, color=style.POINT, width=4.0):
        """The curve lifted onto the surface: (r(t), f(r(t)))."""
        from ..core.surface import lifted_points

        return self.polyline(self.to_scene(lifted_points(along)), color, width)

    def get_floor_curve(self, along, color=style.INK):
        """The curve r(t) itself, on the floor."""
        return self.polyline(self.floor(along.point), color, 2.5, 0.8)

    def drop_line(self, x2, z):
        """A dashed line from (x, y) on the floor up to (x, y, z)."""
        return style.dashed(self.floor(x2), self.at_height(x2, z)[0], style.MUTED, 1.6)

    # -- parts drawn flat, fixed in the frame ------------------------------------------------
    def get_gradient(self, screen, x0, grad, scale: float):
        """The gradient on the floor at x0 (``scale`` data units per unit of gradient), as a
        flat arrow between the projections of its ends; follows the camera."""
        a, b = np.asarray(x0, dtype=float), np.asarray(x0, dtype=float) + scale * np.asarray(grad)

        def make():
            p, q = screen(self.floor(np.array([a, b])))
            return roles.subject(style.arrow(p, q, style.BACKWARD, stroke_width=5))
        return in_frame(always_redraw(make))

    def get_right_angle(self, screen, x0, u, v, size: float):
        """The square marking the right angle between directions u and v at x0 on the floor
        (``size`` in data units)."""
        x0 = np.asarray(x0, dtype=float)
        u, v = (np.asarray(w, dtype=float) / np.linalg.norm(w) * size for w in (u, v))

        def make():
            p = screen(self.floor(np.array([x0 + u, x0 + u + v, x0 + v])))
            return VMobject(stroke_color=style.INK, stroke_width=2.5).set_points_as_corners(p)
        return in_frame(always_redraw(make))

    def get_dot(self, screen, where, color=style.POINT, radius=0.08):
        """A dot at the projection of ``where()`` (a 3-D scene point); follows the camera."""
        dot = Dot(radius=radius, color=color)
        dot.add_updater(lambda m: m.move_to(screen(where())[0]))
        dot.update()
        return in_frame(dot)

    def get_label(self, screen, tex, anchor, offset=(0.0, 0.0), color=style.INK,
                  font_size=style.SMALL, role=roles.label, away=None, right_of: float = 0.0):
        """A TeX label at the projection of the 3-D ``anchor`` plus an offset in the frame;
        with ``away`` (a 3-D point), the offset's length along the direction from away's
        projection to the anchor's (the offset itself where they meet).  With ``right_of``,
        a label to the left (offset x < 0) keeps its right edge at least that far left of
        the anchor, however wide it is (a long number)."""
        lab = role(MathTex(tex, font_size=font_size, color=color))
        # a backdrop: a label may sit over the surface (the z axis's foot, behind it)
        lab.add_background_rectangle(color=style.BACKGROUND, opacity=0.8, buff=0.05)
        off = np.array([min(offset[0], -(right_of + lab.width / 2)) if right_of else offset[0],
                        offset[1], 0.0])

        def place(m):
            p = screen(anchor)[0]
            shift = off
            if away is not None:
                d = p - screen(away)[0]
                if np.linalg.norm(d) > 0.3:
                    d = d / np.linalg.norm(d)
                    # far enough along d that the label's box clears the axis's end
                    reach = abs(d[0]) * m.width / 2 + abs(d[1]) * m.height / 2
                    shift = d * (reach + np.linalg.norm(off))
            m.move_to(p + shift)
        lab.add_updater(place)
        lab.update()
        return in_frame(lab)

    def get_labels(self, screen, names):
        """The axis names (x, y and z = f(x, y)) and the z range's ends, at the axes' tips."""
        k = self.axis_anchors()
        xs, ys = names
        return in_frame(VGroup(
            self.get_label(screen, xs, k["x"], (0.3, 0.0), role=roles.tick, away=k["xs"]),
            self.get_label(screen, ys, k["y"], (0.3, 0.0), role=roles.tick, away=k["ys"]),
            self.get_label(screen, "z", k["z"], (0.0, 0.3), role=roles.tick),
            self.get_label(screen, tex_num(self.zlim[1]), k["z"], (-0.4, 0.0),
                           style.MUTED, style.TINY, roles.tick, right_of=0.2),
            self.get_label(screen, tex_num(self.zlim[0]), k["x0"], (-0.4, 0.0),
                           style.MUTED, style.TINY, roles.tick, right_of=0.2)))


__all__ = ["SurfaceCamera", "SurfaceView", "in_frame", "in_frame_family", "DEGREES"]

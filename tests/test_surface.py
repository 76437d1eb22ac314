"""The surface z = f(x, y) (jacviz.core.surface and the `surface` scene).

The core's numbers are checked three ways where they can be: the tangent plane's slopes
against difference quotients and against sympy's derivatives; the lifted curve's dz/dt
against difference quotients of z(t), against the derivative of the composed expression,
and by duality (the pushforward of dt through the chain equals the pullback of dz paired
with dt); the plane's gap shrinking like h^2.  Bad input through the CLI: one `error:` line,
exit status 2, nothing written."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import example, given
from hypothesis import strategies as st

from jacviz import Chain, Curve, Map
from jacviz.core.errors import NumericError, ShapeError
from jacviz.core.surface import (level_through, lift_curve, lifted_points, outside_box, plane_gap,
                                 sample_surface, tangent_plane)

ROOT = Path(__file__).resolve().parent.parent
SMOOTH = ["(x, y) -> x^2 + y^2", "(x, y) -> sin(x)*cos(y)", "(x, y) -> exp(x/2)*y - x*y^2",
          "(u, v) -> u^3 - 3*u*v^2", "(x, y) -> tanh(x + 2*y) + x/3"]
point = st.tuples(st.integers(-12, 12), st.integers(-12, 12)).map(
    lambda p: np.array(p, dtype=float) / 8)


# -- the tangent plane -----------------------------------------------------------------
def test_the_lessons_bowl_at_its_point():
    """f = x^2 + y^2 at (0.6, 0.8): z0 = 1, grad = (1.2, 1.6), z = 1.2x + 1.6y - 1; the gap
    to the plane is exactly (x - x0)^2 + (y - y0)^2, largest at the square's corners."""
    p = tangent_plane(Map("(x, y) -> x^2 + y^2"), [0.6, 0.8])
    assert p.z0 == pytest.approx(1.0) and p.grad == pytest.approx([1.2, 1.6])
    assert p.coefficients == pytest.approx((1.2, 1.6, -1.0))
    assert p([[0.6, 0.8], [1.0, 1.0]]) == pytest.approx([1.0, 1.2 + 1.6 - 1.0])
    f = Map("(x, y) -> x^2 + y^2")
    assert plane_gap(f, p, 0.5) == pytest.approx(0.5)  # 0.5^2 + 0.5^2
    assert not p.critical and tangent_plane(f, [0, 0]).critical


@given(st.sampled_from(SMOOTH), point)
@example(SMOOTH[1], np.array([0.5, -0.4]))
def test_the_planes_slopes_three_ways(text, x0):
    f = Map(text)
    p = tangent_plane(f, x0)
    # 1. central difference quotients of f
    h = 1e-6
    fd = [(f(x0 + h * e)[0] - f(x0 - h * e)[0]) / (2 * h) for e in np.eye(2)]
    assert p.grad == pytest.approx(fd, rel=1e-5, abs=1e-6)
    # 2. sympy's derivatives of the expression, at the point
    (expr,), (a, b) = f.outputs, f.inputs
    subs = {a: sympy.Float(x0[0], 30), b: sympy.Float(x0[1], 30)}
    sym = [float(sympy.diff(expr, s).evalf(subs=subs)) for s in (a, b)]
    assert p.grad == pytest.approx(sym, rel=1e-9, abs=1e-12)
    # the plane touches the surface at x0 and its coefficients say the same plane
    A, B, C = p.coefficients
    assert p.z0 == pytest.approx(float(f(x0)[0]))
    q = x0 + np.array([0.3, -0.2])
    assert p(q) == pytest.approx(A * q[0] + B * q[1] + C)


@pytest.mark.parametrize("text", SMOOTH)
def test_the_gap_shrinks_like_h_squared(text):
    """Local linearity: halving the square quarters the largest gap (to first order)."""
    f = Map(text)
    x0 = np.array([0.4, -0.3])
    p = tangent_plane(f, x0)
    gaps = [plane_gap(f, p, h) for h in (0.08, 0.04, 0.02)]
    assert all(g > 0 for g in gaps)
    for big, small in zip(gaps, gaps[1:]):
        assert 3.0 < big / small < 5.3, gaps


def test_a_map_that_is_not_a_surface_is_refused():
    with pytest.raises(ShapeError, match="R\\^2 -> R\\^1"):
        tangent_plane(Map("(x, y, z) -> x*y*z"), [1, 2, 3])
    with pytest.raises(ShapeError, match="R\\^2 -> R\\^2"):
        sample_surface(Map("(x, y) -> (x, y)"), (0, 1), (0, 1), 5)


# -- the surface's samples -----------------------------------------------------------------
def test_samples_are_the_maps_values_on_the_grid():
    s = sample_surface(Map("(x, y) -> x - 2*y"), (-1, 1), (0, 2), 5, 3)
    assert s.xs == pytest.approx([-1, -0.5, 0, 0.5, 1]) and s.ys == pytest.approx([0, 1, 2])
    assert s.Z.shape == (3, 5) and s.at(4, 2) == pytest.approx((1, 2, -3))
    assert s.zlim == pytest.approx((-5, 1))


def test_a_surface_not_finite_says_where():
    with pytest.raises(NumericError, match=r"not finite near \(x, y\) = \(0, 0\)"):
        sample_surface(Map("(x, y) -> 1/(x^2 + y^2)"), (-1, 1), (-1, 1), 5)
    with pytest.raises(NumericError, match=r"near \(x, y\) = \(-1, -1\)"):
        sample_surface(Map("(x, y) -> log(x + y + 1)"), (-1, 1), (-1, 1), 5)


# -- the lifted curve ----------------------------------------------------------------------
def test_the_circle_on_the_bowl_stays_at_height_one():
    a = lift_curve(Map("(x, y) -> x^2 + y^2"), Curve("t -> (cos(t), sin(t))"),
                   np.linspace(0, 2 * math.pi, 50))
    assert a.z == pytest.approx(np.ones(50)) and np.abs(a.dzdt).max() < 1e-12
    pts = lifted_points(a)
    assert pts.shape == (50, 3) and pts[:, 2] == pytest.approx(1.0)
    assert np.hypot(pts[:, 0], pts[:, 1]) == pytest.approx(1.0)


@given(st.sampled_from(SMOOTH), st.sampled_from(["t -> (t, t/2)", "s -> (cos(s), sin(2*s)/2)",
                                                "t -> (t^2 - 1, 1 - t)"]),
       st.integers(-10, 10).map(lambda k: k / 8))
def test_dz_dt_three_ways(text, curve_text, t0):
    f, c = Map(text), Map(curve_text, name="r")
    a = lift_curve(f, Curve(c), np.array([t0]))
    rate = float(a.dzdt[0])
    # 1. difference quotients of z(t) = f(r(t))
    h = 1e-6
    z = lambda t: float(f(c(np.array([t])))[0])  # noqa: E731
    assert rate == pytest.approx((z(t0 + h) - z(t0 - h)) / (2 * h), rel=1e-5, abs=1e-6)
    # 2. the derivative of the composed expression
    (t,) = c.inputs
    composed = f.outputs[0].subs(dict(zip(f.inputs, c.outputs)), simultaneous=True)
    sym = float(sympy.diff(composed, t).evalf(subs={t: sympy.Float(t0, 30)}))
    assert rate == pytest.approx(sym, rel=1e-9, abs=1e-12)
    # 3. duality: the pushforward of dt (Dr dt, then Df) equals the pullback of dz (Df^T,
    #    then Dr^T) paired with dt, and both are grad f . r'(t)
    tr = Chain([c, f]).trace([t0], dx=[1.0], gbar=[1.0])
    assert tr.dy[0] == pytest.approx(rate, rel=1e-12, abs=1e-12)
    assert tr.grad_x[0] == pytest.approx(rate, rel=1e-12, abs=1e-12)


def test_a_curve_must_lie_in_the_floor():
    with pytest.raises(ShapeError, match="R\\^3"):
        lift_curve(Map("(x, y) -> x*y"), Curve("t -> (t, t, t)"), [0.0])


def test_boxes_and_the_level_curve_through_a_point():
    assert outside_box([[0, 0], [0.5, 0.5]], (-1, 1), (-1, 1)) is None
    assert outside_box([[0, 0], [1.5, 0]], (-1, 1), (-1, 1)) == 1
    lines = [np.array([[0, 0], [1, 0]]), np.array([[0, 2], [1, 2]])]
    assert level_through(lines, [0.5, 1.8]) is lines[1] and level_through([], [0, 0]) is None


# -- the scene's numbers and its bad input ------------------------------------------------------
def test_the_scene_builds_the_lessons_numbers():
    from jacviz.studio.request import resolve_params

    n = resolve_params("surface").built
    assert n.plane.z0 == pytest.approx(1.0) and n.plane.grad == pytest.approx([1.2, 1.6])
    assert np.abs(n.along.dzdt).max() < 1e-12  # the circle follows the level curve f = 1
    assert n.zgap < n.gap / 100  # zoomed in, the surface and the plane all but coincide
    assert n.through is not None and np.hypot(*n.through.T) == pytest.approx(1.0, abs=1e-3)


def run_cli(*args, cwd):
    exe = Path(sys.executable).parent / "jacviz"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


BAD = [
    (["f=(x, y) -> (x, y)"], "parameter f: map is R^2 -> R^2; this scene needs a scalar function"),
    (["f=(x, y, z) -> x*y*z"], "parameter f: map is R^3 -> R^1"),
    (["point=2,0"], "parameter point: (2, 0) lies outside the ranges x in [-1.5, 1.5]"),
    (["f=(x, y) -> 1/(x^2 + y^2)"], "parameter f: f is not finite near (x, y) = (0, 0)"),
    (["f=(x, y) -> log(x)", "point=1,0.5"], "not finite near (x, y) = (-1.5, -1.5)"),
    (["curve=t -> (t, t, t)"], "parameter curve: map is R^1 -> R^3; a curve on the floor has one "
                               "input and two outputs"),
    (["curve=(s, t) -> (s, t)"], "parameter curve: map is R^2 -> R^2"),
    (["curve=t -> (2*cos(t), sin(t))"], "parameter curve: r(t) leaves the ranges at t = 0"),
    (["phi=120"], "parameter phi"),
    (["x_range=1,-1"], "parameter x_range"),
]


@pytest.mark.parametrize("sets,fragment", BAD)
def test_bad_input_is_one_line(sets, fragment, tmp_path):
    args = [a for s in sets for a in ("--set", s)]
    out = run_cli("render", "surface", *args, "--out", str(tmp_path / "clip.mp4"), cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert not any(tmp_path.iterdir())


def test_params_lists_every_parameter(tmp_path):
    out = run_cli("params", "surface", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    for name in ("f", "point", "curve", "t_range", "levels", "x_range", "y_range", "phi", "theta"):
        assert f"\n  {name}  (" in out.stdout, (name, out.stdout)


def test_a_config_file_and_no_curve(tmp_path):
    """TOML sets the same keys; an empty curve leaves the curve's beat out."""
    from jacviz.studio.dry_run import keyframes
    from jacviz.studio.request import resolve_params

    config = {"surface": {"f": "(x, y) -> x*y", "point": [0.5, 0.5], "curve": "",
                          "levels": [-1, 1]}}
    params = resolve_params("surface", None, config)
    assert params.built.along is None and params.built.plane.grad == pytest.approx([0.5, 0.5])
    frames = keyframes("surface", params, resolution=(128, 72), work=tmp_path)
    assert [n for n, _ in frames] == ["surface", "level-curves", "tangent-plane", "zoom",
                                      "gradient", "top-view"]


def test_a_critical_point_has_a_level_plane_and_no_arrow(tmp_path):
    from jacviz.studio.dry_run import keyframes
    from jacviz.studio.request import resolve_params

    params = resolve_params("surface", {"point": "0,0"})
    n = params.built
    assert n.plane.critical and n.plane.coefficients == pytest.approx((0, 0, 0))
    assert n.through is None and n.gap == pytest.approx(2 * n.half ** 2)
    frames, problems = keyframes("surface", params, resolution=(128, 72), work=tmp_path,
                                 check_layout=True)
    assert [name for name, _ in frames][4] == "gradient" and not problems, problems


def test_the_kits_docstring_example_draws_a_surface(tmp_path):
    """SurfaceView's docstring example runs (as the kit's other components' do)."""
    import inspect
    import re
    import textwrap

    from manim import tempconfig

    from jacviz.kit.surface import SurfaceView

    code = re.search(r"\.\. code-block:: python\n\n(.*)", inspect.getdoc(SurfaceView), re.S)
    namespace = {}
    exec("from manim import *\nfrom jacviz.kit import *\nfrom jacviz import *", namespace)
    exec(textwrap.dedent(code.group(1)), namespace)
    opts = {"pixel_width": 427, "pixel_height": 240, "media_dir": str(tmp_path), "frame_rate": 5,
            "write_to_movie": False, "disable_caching": True, "verbosity": "WARNING",
            "progress_bar": "none"}
    with tempconfig(opts):
        scene = namespace["SurfaceViewExample"](skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame())
    assert len(scene.mobjects[1]) == 24 * 24  # the faces
    lit = frame[..., :3].max(axis=-1) > 60
    assert lit.mean() > 0.1  # the surface fills a good part of the frame


def test_the_planes_equation_as_written():
    from jacviz.scenes.surface import plane_tex, plane_text

    assert plane_text(1.2, 1.6, -1.0) == "1.2 x + 1.6 y - 1"
    assert plane_text(1.0, 0.0, 0.0) == "x" and plane_text(0.0, 0.0, 0.0) == "0"
    assert plane_tex(-1.0, 0.5, 2.0, ["u", "v"]) == "-u + 0.5v + 2"

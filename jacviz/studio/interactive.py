"""``jacviz interactive``: one self-contained HTML page, a scene's live canvas.

The page is plain SVG and JavaScript (no library, no network request: a
Content-Security-Policy forbids every fetch) and opens from ``file://``.  Its
numbers come from the core, also while dragging: every map and its symbolic
Jacobian are compiled to JavaScript by :mod:`jacviz.core.jsgen` from the parser's
sympy trees, so the page evaluates the same expressions the clips show.  The
user's text never reaches code: names, formulas and numbers are data, embedded
with :func:`jacviz.core.jsgen.to_js_object` (script-safe JSON) and written into the
page with ``textContent``, never as HTML.

Canvases (:data:`CANVASES`): two-way (drag x0, the tip of dx and the output
gradient; pushforward, true image, pullback and the pairing in every space),
path-sums (click edges, assemble each Jacobian entry path by path, edit the
point), level-sets (move the dot along r(t); gradient, velocity and dz/dt),
jacobian-grid (drag the point; the grid of partials follows) and
local-linearity (drag x0; the bent grid, the linear grid and the parallelogram
follow; or the circle, its image and the ellipse of J(x0) with its axes and det J).
Each page has mouse, touch (pointer events) and keyboard controls (Tab between
handles, arrow keys move the selected one), a reset button, and shows values that
are not finite as "undefined here".

API: :func:`build` writes the page (atomically); :func:`page` returns its
text; :func:`has_canvas` and :func:`canvas_scenes` say which scenes have one.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import fields
from pathlib import Path
from typing import Callable

import numpy as np

from ..core.errors import JacvizError
from ..core.fmt import COMPARE_DIGITS, COMPARE_MOST, EQUAL_RTOL, fmt_num, nice_floor, plain_expr
from ..core.jsgen import compile_chain, compile_map, prelude, to_js_object
from ..core.maps import Chain, Map
from . import registry
from .output import FileTarget
from .request import workdir

ASSETS = Path(__file__).resolve().parent / "interactive_assets"

#: the palette of the clips (jacviz.kit.style), for the page's data
PALETTE = {"forward": "#E69F00", "backward": "#56B4E9", "point": "#009E73", "warn": "#D55E00",
           "highlight": "#F0E442", "ink": "#FFFFFF", "muted": "#9A9A9A", "panel": "#1C1C1C",
           "background": "#0B0B0B"}

#: the comparison rule's constants (jacviz.core.fmt), for the page's JV.compare
COMPARE = {"digits": COMPARE_DIGITS, "most": COMPARE_MOST, "rtol": EQUAL_RTOL}

#: no request of any kind: only the page's own inline script and style run
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")


# -- helpers -------------------------------------------------------------------------------
def _field(params, name: str, default=None):
    """A parameter's value, or ``default`` when the scene's Params has no such field
    (the scenes are being extended; the page adapts)."""
    names = {f.name for f in fields(params)}
    return getattr(params, name) if name in names else default


def _expr(e) -> str:
    """A sympy expression as page text (plain, ``^`` for powers, ``abs``, ``max`` as typed)."""
    return plain_expr(e)


def _map_text(mp: Map, name: str | None = None) -> str:
    """``g(x1, x2) = (x1 + 2*x2, x1 - x2)``."""
    outs = [_expr(o) for o in mp.outputs]
    rhs = outs[0] if len(outs) == 1 else "(" + ", ".join(outs) + ")"
    return f"{name or mp.name}({', '.join(mp.input_names)}) = {rhs}"


def _floats(v) -> list[float]:
    return [float(x) for x in np.ravel(np.asarray(v, dtype=float))]


def _space_names(chain: Chain) -> list[str]:
    """The name of every space: the stem of its coordinates' names (x1, x2 -> x), or
    z<k> where a space has no common stem or shares it with another (as the two-way scene)."""
    stems = []
    for names in chain.space_names:
        s = {re.sub(r"[_0-9]+$", "", nm) for nm in names}
        stems.append(s.pop() if len(s) == 1 and "" not in s else None)
    return [s if s and stems.count(s) == 1 else f"z{k}" for k, s in enumerate(stems)]


def _vector(params, name: str, n: int, fill: float) -> list[float]:
    """A vector parameter, or ``fill`` repeated n times when it is left at a default of
    another length (a chain with another input dimension)."""
    value = _field(params, name, None)
    default = getattr(type(params)(), name, None) if value is not None else None
    if value is None or isinstance(value, str) or (value == default and len(value) != n):
        return [fill] * n
    if len(value) != n:
        raise JacvizError(f"parameter {name} has {len(value)} numbers; expected {n}")
    return [float(v) for v in value]


def _spaces(chain: Chain) -> list[dict]:
    """Name, coordinate names and dimension of every space of the chain."""
    names = _space_names(chain)
    return [{"name": nm, "coords": list(c), "dim": d}
            for nm, c, d in zip(names, chain.space_names, chain.dims)]


# -- two-way -------------------------------------------------------------------------------
def _two_way(params) -> dict:
    """two-way: the chain (2 to 6 maps, compiled), its spaces, x0, dx and the output gradient."""
    chain = params.chain_of(at=None)
    x0 = _vector(params, "point", chain.n, 1.0)
    dx = _vector(params, "dx", chain.n, 0.1)
    grad = _vector(params, "grad", chain.m, 1.0)
    names = [mp.name for mp in chain.maps]
    comp = " ∘ ".join(reversed(names)) if len(names) <= 3 else f"{names[-1]} ∘ … ∘ {names[0]}"
    return {
        "title": f"Two ways through {comp}: push forward, pull back",
        "chain": compile_chain(chain),
        "spaces": _spaces(chain),
        "maps": [{"name": mp.name, "text": _map_text(mp)} for mp in chain.maps],
        "x0": x0, "dx": dx, "grad": grad,
        # per space: the maps up to it are affine (constant Jacobians), so the true image
        # and the linear prediction are equal in exact arithmetic, wherever x0 and dx are
        "affine": _affine_prefix(chain),
    }


def _affine_prefix(chain: Chain) -> list[bool]:
    """For every space k, whether the first k maps are all affine (k = 0: True)."""
    out = [True]
    for mp in chain.maps:
        out.append(out[-1] and not mp.jacobian_symbolic.free_symbols)  # a sympy Matrix
    return out


# -- path-sums -----------------------------------------------------------------------------
_SKIP = ("", '""', "''", "none", "off")


def _output_names(text, m: int) -> list[str]:
    """The output nodes' names as the path-sums scene reads them (z alone: z1, z2, ...)."""
    names = [t.strip() for t in str(text).split(",") if t.strip()]
    if names == ["z"] and m > 1:
        names = [f"z{i + 1}" for i in range(m)]
    if len(names) != m:
        names = ["y"] if m == 1 else [f"y{i + 1}" for i in range(m)]
    return names


def _graph_data(tag: str, chain: Chain, x0, entry) -> dict:
    """One computation graph: the chain (compiled), its layers and its edges (the core's
    jacviz.core.graph.Graph: one per partial that is not identically zero), the point, the entry."""
    from ..core.graph import Graph

    x0 = _floats(x0)
    graph = Graph(chain, x0)
    entry = [int(round(float(v))) - 1 for v in entry] if entry is not None and len(entry) == 2 \
        else [0, 0]
    names = [mp.name for mp in chain.maps]
    comp = " ∘ ".join(reversed(names)) if len(names) <= 3 else f"{names[-1]} ∘ … ∘ {names[0]}"
    return {
        "tag": tag,
        "title": f"graph {tag}: {comp}",
        "chain": compile_chain(chain),
        "layers": [[node.name for node in layer] for layer in graph.layers],
        "edges": [{"stage": e.stage, "src": e.src.index, "dst": e.dst.index, "sym": _expr(e.partial)}
                  for e in graph.edges],
        "maps": [_map_text(mp) for mp in chain.maps],
        "x0": x0,
        "entry": entry,
    }


def _path_sums(params) -> dict:
    """path-sums: graph A (g, f or maps) and, as the scene draws it, graph B (g2, f2)."""
    maps = tuple(_field(params, "maps", ()) or ())
    chain = params.chain_of()
    chain = Chain(chain.maps, output_names=_output_names(_field(params, "output_names", "z"), chain.m))
    graphs = [_graph_data("A", chain, _field(params, "point"), _field(params, "entry"))]
    g2 = _field(params, "g2")
    if g2 is not None and str(g2).strip().lower() not in _SKIP and \
            (not maps or g2 != type(params)().g2):
        inner = params.map_of("g2", g2, max_dim=3, map_name="g")
        outer = params.map_of("f2", params.f2, max_dim=3, map_name="f")
        chain2 = Chain([inner, outer], output_names=_output_names(_field(params, "output_names2", "y"),
                                                                  outer.m))
        graphs.append(_graph_data("B", chain2, _field(params, "point2"), _field(params, "entry2")))
    return {"title": "The chain rule as a sum over paths", "graphs": graphs}


# -- level-sets ----------------------------------------------------------------------------
CURVE_SAMPLES = 241


def _nice_ceil(b: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times 10^k) not below b."""
    k = math.floor(math.log10(b))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10 ** k >= b * (1 - 1e-9):
            return float(m * 10 ** k)
    return float(10 ** (k + 1))  # pragma: no cover


def _nice_scale(room: float, longest: float) -> float:
    """A round factor that draws the longest arrow at most ``room`` long."""
    return nice_floor(room / longest) if longest > 0 and math.isfinite(longest) else 1.0


def _level_sets(params) -> dict:
    """level-sets: f and the curves (compiled), the view, round arrow scales, and the
    contour lines (jacviz.core.curves: marching squares, joined into polylines)."""
    from ..core.curves import Curve, chain_along_curve, join_segments, level_set_segments

    f = params.map_of("f", params.f, max_dim=None)
    curves, samples = [], []
    for name, rng_name in (("curve", "t_range"), ("curve2", "t2_range")):
        text = _field(params, name)
        if text is None:
            continue
        c = params.map_of(name, text, max_dim=None, map_name="r")
        t0, t1 = (float(v) for v in _field(params, rng_name, (0.0, 1.0)))
        a = chain_along_curve(f, Curve(c), np.linspace(t0, t1, CURVE_SAMPLES))
        ok = np.all(np.isfinite(a.point), axis=1)
        curves.append({"map": compile_map(c), "text": "r(" + c.input_names[0] + ") = " +
                       _map_text(c).split(" = ", 1)[1], "param": c.input_names[0],
                       "t0": t0, "t1": t1,
                       "samples": np.round(a.point[ok], 6).tolist()})
        samples.append(a)
    pts = np.concatenate([a.point for a in samples])
    grads = np.concatenate([a.gradient for a in samples])
    tans = np.concatenate([a.tangent for a in samples])
    ok = np.all(np.isfinite(np.hstack([pts, grads, tans])), axis=1)
    pts, grads, tans = pts[ok], grads[ok], tans[ok]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = max(float((hi - lo).max()), 1e-3)
    # arrows at most 0.4 of the curves' extent (round scales), then a square view, with
    # round bounds, that holds the curves and every arrow's tip
    gscale = _nice_scale(0.4 * span, float(np.max(np.linalg.norm(grads, axis=1))))
    tscale = _nice_scale(0.4 * span, float(np.max(np.linalg.norm(tans, axis=1))))
    every = np.concatenate([pts, pts + gscale * grads, pts + tscale * tans])
    lo, hi = every.min(axis=0), every.max(axis=0)
    step = _nice_ceil(0.5 * float((hi - lo).max())) / 4
    centre = np.round((lo + hi) / 2 / step) * step
    half = _nice_ceil(float(np.max(np.maximum(hi - centre, centre - lo))) * 1.1)
    xlim, ylim = [float(centre[0] - half), float(centre[0] + half)], \
        [float(centre[1] - half), float(centre[1] + half)]
    levels = sorted(float(c) for c in _field(params, "levels", (1.0,)))
    contours = []
    for c in levels:
        lines = join_segments(level_set_segments(f, c, xlim, ylim, resolution=161))
        lines = [np.round(line, 5).tolist() for line in lines if len(line) >= 2]
        if lines:
            contours.append({"level": c, "label": fmt_num(c), "lines": lines})
    return {
        "title": "Chain rule along a curve: dz/dt = ∇f(r(t)) · r′(t)",
        "f": compile_map(f), "f_text": _map_text(f),
        "curves": curves, "xlim": xlim, "ylim": ylim,
        "gscale": gscale, "tscale": tscale,
        "contours": contours,
    }


# -- jacobian-grid ---------------------------------------------------------------------------
def _jacobian_grid(params) -> dict:
    """jacobian-grid: the map (compiled), its symbolic partials, the point."""
    F = params.map_of("f", params.f, max_dim=3)
    x0 = _floats(params.point)
    name = "f" if F.m == 1 else "F"
    J = F.jacobian_symbolic
    return {
        "title": "The Jacobian: gradients stacked as rows",
        "map": compile_map(F), "text": _map_text(F, name), "name": name,
        "x0": x0,
        "outputs": [_expr(o) for o in F.outputs],
        "entries": [[_expr(J[i, j]) for j in range(F.n)] for i in range(F.m)],
    }


# -- local-linearity -------------------------------------------------------------------------
def _local_linearity(params) -> dict:
    """local-linearity: the map (compiled), the point, the grid's half-width, h, the zoom,
    the circle's radius."""
    F = params.map_of("f", params.f, max_dim=None)
    return {
        "title": "Near a point, a map looks linear",
        "map": compile_map(F), "text": _map_text(F, "F"),
        "x0": _floats(params.point),
        "half_width": float(_field(params, "half_width", 1.5)),
        "h": float(_field(params, "h", 0.25)),
        "zoom": float(_field(params, "zoom", 6.0)),
        "radius": float(_field(params, "radius", 0.25)),
    }


#: scene -> (script file, data maker); in lesson order (the registry's)
CANVASES: dict[str, tuple[str, Callable[[object], dict]]] = {
    "jacobian-grid": ("jacobian_grid.js", _jacobian_grid),
    "local-linearity": ("local_linearity.js", _local_linearity),
    "level-sets": ("level_sets.js", _level_sets),
    "path-sums": ("path_sums.js", _path_sums),
    "two-way": ("two_way.js", _two_way),
}


def has_canvas(scene: str) -> bool:
    """True when the scene has an interactive canvas."""
    return registry.resolve_name(scene) in CANVASES


def canvas_scenes() -> list[str]:
    """The scenes that have a canvas, in lesson order."""
    return [n for n in registry.names() if n in CANVASES]


def _no_canvas(scene: str) -> JacvizError:
    """The one-line error for a scene without a canvas, naming the scenes that have one."""
    return JacvizError(f"scene {scene!r} has no interactive canvas; these scenes have one: "
                       f"{', '.join(canvas_scenes())}")


# -- the page --------------------------------------------------------------------------------
_SCRIPT_END = re.compile(r"</script|<!--|<script", re.IGNORECASE)


def _asset(name: str) -> str:
    """A static file of the page; scripts and styles may hold no script or comment tag."""
    text = (ASSETS / name).read_text(encoding="utf-8")
    if name.endswith((".js", ".css")) and _SCRIPT_END.search(text):  # pragma: no cover
        raise JacvizError(f"interactive asset {name} contains a script or comment tag")
    return text


def page(scene: str, params) -> str:
    """The canvas page of a scene with validated params, as HTML text."""
    scene = registry.resolve_name(scene)
    if scene not in CANVASES:
        raise _no_canvas(scene)
    script, maker = CANVASES[scene]
    data = maker(params)
    data.update({"scene": scene, "kind": scene, "palette": PALETTE, "compare": COMPARE,
                 "digest": params.digest(), "changed": sorted(params.changed())})
    template = _asset("page.html")
    parts = {
        "CSP": html.escape(CSP, quote=True),
        "TITLE": html.escape(f"jacviz: {data['title']}"),
        "HEADING": html.escape(data["title"]),
        "SCENE": html.escape(scene, quote=True),
        "CSS": _asset("page.css"),
        "PRELUDE": prelude(),
        "DATA": "const DATA = " + to_js_object(data) + ";",
        "COMMON": _asset("common.js"),
        "CANVAS": _asset(script),
    }
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], template)


def output_path(scene: str, params) -> Path:
    """renders/<scene>.html, or renders/<scene>-<hash of the changed parameters>.html."""
    digest = params.digest()
    stem = scene if not digest else f"{scene}-{digest}"
    return workdir() / "renders" / f"{stem}.html"


def target(scene: str, params, out=None) -> FileTarget:
    """The page's output: ``out`` (an .html file) or :func:`output_path`."""
    default = output_path(scene, params)
    return FileTarget(Path(out) if out is not None else default,
                      option="--out" if out is not None else "", exts=(".html", ".htm"),
                      why="the page is HTML", example=default.name)


def build(scene: str, params, out=None) -> Path:
    """Write the scene's canvas page (one self-contained HTML file); return its path.

    ``params`` are the scene's validated parameters (as ``jacviz render`` takes
    them); ``out`` defaults to :func:`output_path`.  The target is checked first,
    and the file written atomically (:mod:`jacviz.studio.output`): nothing is
    written when anything fails.
    """
    scene = registry.resolve_name(scene)
    if scene not in CANVASES:
        raise _no_canvas(scene)
    dest = target(scene, params, out)
    dest.check()
    text = page(scene, params)
    dest.commit({dest.path: text})
    return dest.path


__all__ = ["CANVASES", "build", "canvas_scenes", "has_canvas", "output_path", "page"]

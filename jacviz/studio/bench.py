"""``make bench`` (``jacviz bench``): jacviz's speed as ratios of things measured
side by side.

Every row is a ratio of two timings taken in the same run, repeated, median
reported (these machines are shared and noisy).  Writes bench/results.json
and prints a table.  Never a timed test: nothing here fails the build.

    jacviz bench [--only NAME ...] [--quick] [--results FILE]
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sympy

from .. import Map
from ..errors import JacvizError
from . import registry
from .render import PACKAGE, commit

ROOT = PACKAGE.parent  # a source checkout (Makefile, README) when run from one
from ..signals import stage

TRIG = "(x, y) -> (sin(x)*cos(y) + x*y, cos(x*y) + sin(y)^2)"
N_POINTS = 100_000
TARGETS = {
    "core_vs_sympy": (">=", 100),
    "core_vs_numpy": ("<=", 2),
    "jacviz_share": ("<=", 0.03),
    "warm_vs_cold": ("<=", 0.02),
    "parallel_speedup": (">=", 1.6),
    "fps_ratio": (">=", 0.9),
}


def median_ratio(pairs):
    return statistics.median(a / b for a, b in pairs)


def _timeit(fn, *args):
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


# -- core vs sympy and hand-written numpy ------------------------------------
def hand_numpy(P):
    x, y = P[:, 0], P[:, 1]
    sx, cx, sy, cy = np.sin(x), np.cos(x), np.sin(y), np.cos(y)
    xy = x * y
    sxy, cxy = np.sin(xy), np.cos(xy)
    val = np.stack([sx * cy + xy, cxy + sy * sy], axis=-1)
    jac = np.stack([
        np.stack([cx * cy + y, -sx * sy + x], axis=-1),
        np.stack([-y * sxy, -x * sxy + 2 * sy * cy], axis=-1),
    ], axis=-2)
    return val, jac


def jacviz_eval(m, P):
    return m(P), m.jacobian(P)


def bench_core(repeats=7, sympy_points=100):
    m = Map(TRIG)
    rng = np.random.default_rng(0)
    P = rng.uniform(-2, 2, size=(N_POINTS, 2))
    v1, j1 = jacviz_eval(m, P)  # compiles once, and checks agreement
    v2, j2 = hand_numpy(P)
    np.testing.assert_allclose(v1, v2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(j1, j2, rtol=1e-12, atol=1e-12)
    exprs = list(m.outputs) + list(m.jacobian_symbolic)
    xs, ys = m.inputs

    def sympy_eval(points):
        for a, b in points:
            sub = {xs: a, ys: b}
            [e.subs(sub).evalf() for e in exprs]

    vs_sympy, vs_numpy = [], []
    for _ in range(repeats):
        tj = _timeit(jacviz_eval, m, P)
        tn = _timeit(hand_numpy, P)
        ts = _timeit(sympy_eval, P[:sympy_points])
        vs_sympy.append((ts / sympy_points, tj / N_POINTS))
        vs_numpy.append((tj, tn))
    return {
        "core_vs_sympy": median_ratio(vs_sympy),
        "core_vs_numpy": median_ratio(vs_numpy),
        "detail_core": {
            "jacviz_s_per_100k": statistics.median(a * N_POINTS for _, a in vs_sympy),
            "sympy_s_per_point": statistics.median(a for a, _ in vs_sympy),
            "numpy_s_per_100k": statistics.median(b for _, b in vs_numpy),
        },
    }


# -- share of a render's CPU time spent in jacviz's own code --------------------
def bench_share(scenes):
    from .render import RenderRequest, render

    core = {str(p) for p in PACKAGE.glob("*.py")} - {str(PACKAGE / "cli.py")}  # numpy/sympy core
    shares = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in scenes:
            prof = cProfile.Profile()
            prof.enable()
            render(RenderRequest(name, out=Path(tmp) / f"{name}.mp4",
                                 media_dir=Path(tmp) / f"media-{name}", disable_caching=True))
            prof.disable()
            st = pstats.Stats(prof, stream=io.StringIO())
            total = st.total_tt
            in_core = sum(v[2] for k, v in st.stats.items() if k[0] in core)
            shares[name] = in_core / total
    worst = max(shares, key=shares.get)
    return {"jacviz_share": shares[worst], "detail_share": {"worst_scene": worst, "per_scene": shares}}


# -- make render: warm vs cold, -j2 vs -j1, identical clips ----------------------
def _copy_project(dst: Path):
    for item in ("Makefile", "jacviz", "tools/system-deps.sh", "pyproject.toml",
                 "requirements.lock", "README.md"):
        src = ROOT / item
        target = dst / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target)
    (dst / "renders").mkdir()
    os.symlink(ROOT / ".venv", dst / ".venv")
    stamps = dst / ".stamps"
    stamps.mkdir()
    for s in ("system", "venv"):
        (stamps / s).touch()


def _make(dst: Path, *args) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(["make", "-s", "-C", str(dst), *args, "render"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"make {' '.join(args)} render failed:\n{res.stderr[-3000:]}")
    return time.perf_counter() - t0


def _frame_hashes(clip: Path) -> list[str]:
    import av

    with av.open(str(clip)) as c:
        return [hashlib.sha1(f.to_ndarray(format="rgb24").tobytes()).hexdigest() for f in c.decode(video=0)]


def _clean(dst: Path):
    shutil.rmtree(dst / "media", ignore_errors=True)
    for f in (dst / "renders").iterdir():
        if f.is_file():
            f.unlink()


def bench_make(repeats=1):
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "p"
        _copy_project(dst)
        cold, warm, par = [], [], []
        hashes_j1 = hashes_j2 = None
        only_one = None
        for _ in range(repeats):
            _clean(dst)
            t_cold = _make(dst, "-j1")
            hashes_j1 = {c.name: _frame_hashes(c) for c in sorted((dst / "renders").glob("*.mp4"))}
            t_warm = statistics.median(_make(dst) for _ in range(3))
            cold.append(t_cold)
            warm.append((t_warm, t_cold))
            # change one scene's source: only that clip is made again
            before = {c.name: c.stat().st_mtime_ns for c in (dst / "renders").glob("*.mp4")}
            src = dst / "jacviz" / "scenes" / "two_way.py"
            src.write_text(src.read_text() + "\n# bench: touched\n")
            _make(dst)
            after = {c.name: c.stat().st_mtime_ns for c in (dst / "renders").glob("*.mp4")}
            only_one = sorted(n for n in after if after[n] != before.get(n))
            _clean(dst)
            t_j2 = _make(dst, "-j2")
            hashes_j2 = {c.name: _frame_hashes(c) for c in sorted((dst / "renders").glob("*.mp4"))}
            par.append((t_cold, t_j2))
    return {
        "warm_vs_cold": median_ratio(warm),
        "parallel_speedup": median_ratio(par),
        "detail_make": {
            "cold_j1_s": statistics.median(cold),
            "warm_s": statistics.median(w for w, _ in warm),
            "cold_j2_s": statistics.median(b for _, b in par),
            "rerendered_after_touching_two_way": only_one,
            "j1_j2_identical_frames": hashes_j1 == hashes_j2,
        },
    }


# -- frames per second at 1080p60 against a plain ManimCE reference ----------------
def bench_fps(scenes, animations=5):
    """Each scene's first `animations` plays at 1080p60, against a plain Scene that
    animates copies of the same mobjects for the same number of frames."""
    from manim import Scene, tempconfig

    from .render import keyframes
    from .registry import scene_class
    from .tex import share_tex_cache

    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in scenes:
            cls = scene_class(name)
            opts = {"quality": "high_quality", "media_dir": f"{tmp}/{name}", "disable_caching": True,
                    "progress_bar": "none", "verbosity": "ERROR", "upto_animation_number": animations - 1}
            opts["tex_dir"] = str(share_tex_cache())
            keyframes(name)  # warm-up: TeX compiled once into the shared cache, as in any re-render
            with tempconfig(opts):
                scene = cls()
                t0 = time.perf_counter()
                scene.render()
                t_scene = time.perf_counter() - t0
                frames = int(round(scene.renderer.time * 60))
                mobjects = [m.copy() for m in scene.mobjects]

            class Reference(Scene):
                def construct(self):
                    self.add(*mobjects)
                    self.play(*[m.animate.shift(0.01 * np.array([1, 0, 0])) for m in mobjects],
                              run_time=frames / 60)

            with tempconfig({**opts, "upto_animation_number": float("inf"),
                             "media_dir": f"{tmp}/{name}-ref"}):
                ref = Reference()
                t0 = time.perf_counter()
                ref.render()
                t_ref = time.perf_counter() - t0
            rows[name] = {"scene_fps": frames / t_scene, "reference_fps": frames / t_ref,
                          "ratio": (frames / t_scene) / (frames / t_ref), "frames": frames,
                          "mobjects": len(mobjects)}
    worst = min(rows, key=lambda n: rows[n]["ratio"])
    return {"fps_ratio": rows[worst]["ratio"], "detail_fps": {"worst_scene": worst, "per_scene": rows}}


def run(only=None, quick=False, results_path=None) -> int:
    parts = only or ["core", "share", "make", "fps"]
    if "make" in parts and not (ROOT / "Makefile").exists():
        raise JacvizError("the make benchmark needs a source checkout (its Makefile); "
                          "use --only core share fps")
    scenes = registry.names()
    out_path = Path(results_path) if results_path else ROOT / "bench" / "results.json"
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    results["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(), "date": time.strftime("%Y-%m-%d")}
    steps = {
        "core": lambda: bench_core(repeats=3 if quick else 7),
        "share": lambda: bench_share(scenes[:2] if quick else scenes),
        "make": bench_make,
        "fps": lambda: bench_fps(scenes[:2] if quick else scenes),
    }
    for part in parts:
        print(f"measuring {part} ...", flush=True)
        stage(f"bench-{part}")
        results.update(steps[part]())
        commit({out_path: json.dumps(results, indent=2, default=float)})  # saved after every part
    print(f"{'ratio':<18} {'value':>10}  target   met")
    for key, (op, target) in TARGETS.items():
        if key not in results:
            print(f"{key:<18} {'-':>10}  {op} {target}")
            continue
        v = results[key]
        met = v >= target if op == ">=" else v <= target
        print(f"{key:<18} {v:>10.4g}  {op} {target:<5} {'yes' if met else 'NO'}")
    print(f"machine: {results['machine']['cores']} cores; details in {out_path}")
    return 0

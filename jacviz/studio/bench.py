"""``make bench`` (``jacviz bench``): jacviz's speed as ratios of things measured
side by side.

Every row is a ratio of two timings taken in the same run, repeated, median
reported (these machines are shared and noisy).  Writes bench/results.json
and prints a table.  Never a timed test: nothing here fails the build.

    jacviz bench [--only NAME ...] [--quick] [--results FILE]
"""

from __future__ import annotations

import cProfile
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
from ..core.errors import JacvizError
from ..core.signals import stage
from . import registry
from .output import FileTarget
from .render import render
from .request import RenderRequest
from .shard import plan
from .sources import PACKAGE

ROOT = PACKAGE.parent  # a source checkout (Makefile, README) when run from one
JACVIZ = str(Path(sys.executable).parent / "jacviz")

TRIG = "(x, y) -> (sin(x)*cos(y) + x*y, cos(x*y) + sin(y)^2)"
N_POINTS = 100_000
TARGETS = {
    "core_vs_sympy": (">=", 100),
    "core_vs_numpy": ("<=", 2),
    "jacviz_share": ("<=", 0.03),
    "warm_vs_cold": ("<=", 0.02),
    "preview_vs_clip": ("<=", 0.10),
    "preview_warm": ("<=", 0.03),
    "watch_number": ("<=", 0.05),
    "watch_map": ("<=", 0.20),
    "shard_speedup": (">=", 1.7),
    "parallel_speedup": (">=", 1.8),
    "copy_share": ("<=", 0.05),
    "overhead_share": ("<=", 0.15),
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

    core = {str(p) for p in (PACKAGE / "core").rglob("*.py")}  # the numpy/sympy core
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
    for item in ("Makefile", "jacviz", "scenes", "tools/system-deps.sh", "pyproject.toml",
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
    for s in ("system", "venv", "reveal"):
        (stamps / s).touch()


def _make(dst: Path, *args, frames: Path | None = None) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(["make", "-s", "-C", str(dst), *args, "render"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=_frame_env(frames))
    if res.returncode != 0:
        raise RuntimeError(f"make {' '.join(args)} render failed:\n{res.stderr[-3000:]}")
    return time.perf_counter() - t0


def _frame_env(folder: Path | None) -> dict | None:
    """The environment for a render that logs the frames it hands to the encoder (the
    decoded clip is no sound check: libx264 now and then encodes the same frames
    differently), in a fresh folder."""
    if folder is None:
        return None
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return dict(os.environ, JACVIZ_FRAME_LOG=str(folder))


def _logged_frames(folder: Path) -> dict[str, list[str]]:
    """Each scene's frame hashes, in order (files frames-<Scene>-<shard>.txt)."""
    out: dict[str, list[str]] = {}
    for f in sorted(folder.glob("frames-*.txt")):
        out.setdefault(f.stem.split("-")[1], []).extend(f.read_text().split())
    return out


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
            t_cold = _make(dst, "JOBS=1", frames=Path(tmp) / "frames-j1")  # one core
            hashes_j1 = _logged_frames(Path(tmp) / "frames-j1")
            t_warm = statistics.median(_make(dst) for _ in range(3))
            cold.append(t_cold)
            warm.append((t_warm, t_cold))
            # change one scene's source: only that clip is made again
            before = {c.name: c.stat().st_mtime_ns for c in (dst / "renders").glob("*.mp4")}
            src = dst / "scenes" / "two_way.py"
            src.write_text(src.read_text() + "\n# bench: touched\n")
            _make(dst)
            after = {c.name: c.stat().st_mtime_ns for c in (dst / "renders").glob("*.mp4")}
            only_one = sorted(n for n in after if after[n] != before.get(n))
            _clean(dst)
            t_j2 = _make(dst, "JOBS=2", frames=Path(tmp) / "frames-j2")  # two cores: two shards each
            hashes_j2 = _logged_frames(Path(tmp) / "frames-j2")
            par.append((t_cold, t_j2))
    return {
        "warm_vs_cold": median_ratio(warm),
        "parallel_speedup": median_ratio(par),
        "detail_make": {
            "cold_one_core_s": statistics.median(cold),
            "warm_s": statistics.median(w for w, _ in warm),
            "cold_two_cores_s": statistics.median(b for _, b in par),
            "rerendered_after_touching_two_way": only_one,
            "one_and_two_cores_identical_frames": bool(hashes_j1) and hashes_j1 == hashes_j2,
        },
    }


# -- one scene on two cores ---------------------------------------------------------------
def _cli(args, cwd, frames: Path | None = None) -> float:
    t0 = time.perf_counter()
    res = subprocess.run([JACVIZ, *args], cwd=cwd, capture_output=True, text=True,
                         env=_frame_env(frames))
    if res.returncode != 0:
        raise RuntimeError(f"jacviz {' '.join(args)} failed: {res.stderr[-2000:]}")
    return time.perf_counter() - t0


def _longest_scene(scenes) -> str:

    return max(scenes, key=lambda n: sum(plan(RenderRequest(n))))


def bench_shard(scenes, repeats=2):
    """The longest scene at 480p15: --jobs 1 over --jobs 2 (TeX warm, as in any re-render)."""
    name = _longest_scene(scenes)
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        _cli(["preview", name, "--out", f"{tmp}/warm.png"], tmp)  # TeX compiled once
        for k in range(repeats):  # new names each time: no partial movie cached by the last
            t1 = _cli(["render", name, "--jobs", "1", "--out", f"{tmp}/one-{k}.mp4", "--quiet"], tmp,
                      frames=Path(tmp) / "frames-one")
            t2 = _cli(["render", name, "--jobs", "2", "--out", f"{tmp}/two-{k}.mp4", "--quiet"], tmp,
                      frames=Path(tmp) / "frames-two")
            pairs.append((t1, t2))
        one, two = _logged_frames(Path(tmp) / "frames-one"), _logged_frames(Path(tmp) / "frames-two")
        same = bool(one) and one == two
    return {"shard_speedup": median_ratio(pairs),
            "detail_shard": {"scene": name, "jobs1_s": statistics.median(a for a, _ in pairs),
                             "jobs2_s": statistics.median(b for _, b in pairs),
                             "identical_frames": same}}


# -- a storyboard after changing the map, against the clip -------------------------------------
PREVIEW_CASE = ("composition", "g=(x1, x2) -> (x1^2 - x2, 3*x1*x2)")


def bench_preview(repeats=2):
    """preview_vs_clip: `jacviz preview` with a new map over `jacviz render` (480p15, default
    --jobs) with the same new map, both starting from the same TeX cache (the defaults'
    snippets compiled, the new map's not); preview_warm: the same preview again."""
    name, change = PREVIEW_CASE
    new, warm, clip = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _cli(["preview", name, "--out", str(base / "defaults.png")], base)
        tex = base / "media" / "Tex"
        snapshot = base / "tex-defaults"
        shutil.copytree(tex, snapshot)
        for k in range(repeats):
            for folder in (tex, base / "media" / "preview"):
                shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(snapshot, tex)
            new.append(_cli(["preview", name, "--set", change, "--out", str(base / "new.png")], base))
            warm.append(_cli(["preview", name, "--set", change, "--out", str(base / "new.png")], base))
            shutil.rmtree(tex)
            shutil.copytree(snapshot, tex)
            for f in (base / "media").glob("new-*"):  # the clip's work folder: nothing cached
                shutil.rmtree(f, ignore_errors=True)
            clip.append(_cli(["render", name, "--set", change, "--out", str(base / "new.mp4"),
                              "--quiet"], base))
    return {"preview_vs_clip": median_ratio(zip(new, clip)),
            "preview_warm": median_ratio(zip(warm, clip)),
            "detail_preview": {"scene": name, "change": change,
                               "preview_new_map_s": statistics.median(new),
                               "preview_again_s": statistics.median(warm),
                               "clip_480p15_s": statistics.median(clip)}}


# -- preview --watch: a redraw after an edit of the config file, against the clip -------------
WATCH_SCENE = "composition"
#: the inner maps a watch_map edit writes, in turn: each new in its structure, not only in a
#: number (a number alone is drawn from the digits' glyphs: that is watch_number's case)
WATCH_MAPS = ("(x1, x2) -> (x1^2 - x2, 3*x1*x2)", "(x1, x2) -> (sin(x1) + x2, x1*x2^2)",
              "(x1, x2) -> (x1 - cos(x2), exp(x1)*x2)")


class _Watch:
    """A running ``jacviz preview SCENE --config FILE --watch``, its output read line by line."""

    def __init__(self, name: str, config: Path, out: Path, cwd: Path):
        self.config = config
        self.proc = subprocess.Popen([JACVIZ, "preview", name, "--config", str(config), "--out",
                                      str(out), "--watch"], cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.bufs = {self.proc.stdout.fileno(): b"", self.proc.stderr.fileno(): b""}

    def next_board(self) -> float:
        """Block until the watch prints its next ``storyboard:`` line; returns that moment."""
        import select

        out, err = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        while True:
            ready, _, _ = select.select([out, err], [], [])
            for fd in ready:
                data = os.read(fd, 65536)
                if not data:
                    raise RuntimeError(f"the watch ended: {self.bufs[err].decode()[-2000:]}")
                self.bufs[fd] += data
                *lines, self.bufs[fd] = self.bufs[fd].split(b"\n")
                if fd == err and any(ln.startswith(b"error:") for ln in lines):
                    raise RuntimeError(f"the watch failed: {b' '.join(lines).decode()[-2000:]}")
                if fd == out and any(ln.startswith(b"storyboard:") for ln in lines):
                    return time.perf_counter()

    def redraw(self, text: str) -> float:
        """Write the config file (whole, in one rename: the watch never reads half of it) and
        time until the watch reports the new storyboard written."""
        tmp = self.config.with_suffix(".tmp")
        tmp.write_text(text)
        t0 = time.perf_counter()
        os.replace(tmp, self.config)
        return self.next_board() - t0

    def stop(self) -> None:
        from ..core.signals import stop_children

        stop_children([self.proc.pid])  # SIGTERM: the watch and its child stop cleanly
        self.proc.stdout.close()
        self.proc.stderr.close()


def _toml(name: str, values: dict) -> str:
    return f"[{name}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())


def bench_watch(repeats=2):
    """watch_number and watch_map: ``jacviz preview composition --watch`` running (its first
    storyboard drawn, so manim is imported and the defaults' TeX compiled); the config file is
    written with a new point (watch_number) or a new inner map g (watch_map), timed from the
    write to the watch's ``storyboard:`` line, over ``jacviz render`` of the clip at 480p15
    with a new point of its own (its TeX as new as the watch's), side by side, alternated.
    The details also give the same edits drawn by a fresh ``jacviz preview`` process each,
    as the watch drew them before it was warm."""
    name = WATCH_SCENE
    number, mapped, clip, fresh_number, fresh_map = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        config = base / "c.toml"
        config.write_text(f"[{name}]\n")
        watch = _Watch(name, config, base / "watch.png", base)
        try:
            watch.next_board()
            values = {}  # each edit changes one thing: the point, or the map
            for k in range(repeats):
                values["point"] = f"[{1.25 + k}, 2.5]"
                number.append(watch.redraw(_toml(name, values)))
                values["g"] = f'"{WATCH_MAPS[k % len(WATCH_MAPS)]}"'
                mapped.append(watch.redraw(_toml(name, values)))
                clip.append(_cli(["render", name, "--set", f"point={2.75 + k},0.5", "--out",
                                  str(base / f"clip-{k}.mp4"), "--quiet"], base))
                # what each redraw cost before the watch was warm: a fresh process per redraw
                # (the same edits, new values again: their TeX as new as the watch's)
                fresh_number.append(_cli(["preview", name, "--set", f"point={3.25 + k},1.5",
                                          "--out", str(base / "fresh.png")], base))
                fresh_map.append(_cli(["preview", name, "--set", f"point={3.25 + k},1.5", "--set",
                                       f"g=(x1, x2) -> (x1^2 - x2, {7 + k}*x1*x2)", "--out",
                                       str(base / "fresh.png")], base))
        finally:
            watch.stop()
    return {"watch_number": median_ratio(zip(number, clip)),
            "watch_map": median_ratio(zip(mapped, clip)),
            "detail_watch": {"scene": name, "redraw_new_point_s": statistics.median(number),
                             "redraw_new_map_s": statistics.median(mapped),
                             "clip_480p15_s": statistics.median(clip),
                             "new_point_s": number, "new_map_s": mapped, "clip_s": clip,
                             "fresh_process_new_point_s": statistics.median(fresh_number),
                             "fresh_process_new_map_s": statistics.median(fresh_map),
                             "fresh_number_vs_clip": median_ratio(zip(fresh_number, clip)),
                             "fresh_map_vs_clip": median_ratio(zip(fresh_map, clip))}}


# -- where a render's time goes ------------------------------------------------------------------
class _Stopwatch:
    """Wall time spent inside wrapped functions (outermost calls only)."""

    def __init__(self):
        self.total = 0.0
        self.depth = 0

    def wrap(self, owner, name):
        fn = getattr(owner, name)
        watch = self

        def timed(*args, **kwargs):
            if watch.depth:
                return fn(*args, **kwargs)
            watch.depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                watch.total += time.perf_counter() - t0
                watch.depth -= 1

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, fn)


def _profiled_render(name, quality, animations, watches):
    """Render the scene's first plays in this process; (wall time, {watch: seconds})."""
    from manim import tempconfig


    request = RenderRequest(name, quality=quality, disable_caching=True)
    cls = registry.scene_class(name)
    with tempfile.TemporaryDirectory() as tmp:
        # the output named by its full path: manim writes the captions beside it, not in the cwd
        opts = request.manim_config(Path(tmp), str(Path(tmp) / name))
        if animations is not None:
            opts["upto_animation_number"] = animations - 1
        with tempconfig(opts):
            cls(params=request.params, skip_animations=True).render()  # TeX compiled, not timed
            sw = {k: _Stopwatch() for k in watches}
            undo = [sw[k].wrap(owner, attr) for k, targets in watches.items() for owner, attr in targets]
            try:
                t0 = time.perf_counter()
                cls(params=request.params).render()
                wall = time.perf_counter() - t0
            finally:
                for u in undo:
                    u()
    return wall, {k: v.total for k, v in sw.items()}


def bench_copy(scenes):
    """copy_share: the fraction of a 480p15 render spent copying mobjects, worst scene."""
    from manim import Mobject

    rows = {}
    for name in scenes:
        wall, t = _profiled_render(name, "l", None, {"copy": [(Mobject, "copy")]})
        rows[name] = {"share": t["copy"] / wall, "render_s": wall, "copy_s": t["copy"]}
    worst = max(rows, key=lambda n: rows[n]["share"])
    return {"copy_share": rows[worst]["share"], "detail_copy": {"worst_scene": worst, "per_scene": rows}}


def bench_overhead(scenes, animations=8):
    """overhead_share: at 1080p60, the fraction of a render (its first plays) spent outside
    Cairo drawing and video encoding, worst scene.  Drawing is the renderer's frame update
    (clearing the canvas to the background or the static image, then Cairo); encoding is
    handing each frame to the encoder (its copy, the queue), waiting for the encoder at the
    end of a play, and the join."""
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene_file_writer import SceneFileWriter

    watches = {"draw": [(CairoRenderer, "update_frame")],
               "encode": [(CairoRenderer, "get_frame"), (CairoRenderer, "add_frame"),
                          (SceneFileWriter, "end_animation"),
                          (SceneFileWriter, "combine_to_movie")]}
    rows = {}
    for name in scenes:
        wall, t = _profiled_render(name, "h", animations, watches)
        rows[name] = {"share": (wall - t["draw"] - t["encode"]) / wall, "render_s": wall,
                      "draw_s": t["draw"], "encode_s": t["encode"]}
    worst = max(rows, key=lambda n: rows[n]["share"])
    return {"overhead_share": rows[worst]["share"],
            "detail_overhead": {"worst_scene": worst, "animations": animations, "per_scene": rows}}


# -- CPU: one process against its shards, and against a scene twice as long (issue 23) ---------
TARGETS.update({"cpu_one_vs_shards": ("<=", 1.05), "cost_growth": ("<=", 2.1)})


def _run_cpu(cmd: list[str], cwd, env: dict | None = None) -> tuple[float, float, str]:
    """Run a command; (its CPU seconds: user + sys of it and of every process it forked, its
    wall seconds, its output).  CPU, not wall: other work on a shared machine slows a render's
    clock far more than its CPU time.  Interrupted, the command gets SIGTERM (jacviz then
    stops its own shards) and is waited for."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        out, err = proc.communicate()
    except BaseException:
        proc.terminate()
        proc.wait()
        raise
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed: {err[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, out


def _cli_cpu(args, cwd) -> tuple[float, float]:
    """jacviz ARGS: (CPU seconds, wall seconds), as :func:`_run_cpu`."""
    cpu, wall, _ = _run_cpu([JACVIZ, *args], cwd)
    return cpu, wall


def repeated_scene(cls, times: int):
    """The scene with all its beats played ``times`` times in a row, each time from a cleared
    screen (a lecture made longer by more beats, not by more on screen at once)."""

    class Repeated(cls):
        def construct(self):
            for k in range(times):
                if k:
                    self.clear_except()
                    self.title_mob = None
                super().construct()

    Repeated.__name__ = Repeated.__qualname__ = f"{cls.__name__}Times{times}"
    return Repeated


def render_repeated(name: str, times: str, folder: str) -> None:
    """In a fresh process (:func:`bench_cpu`): render ``name`` with its beats played ``times``
    times, in one process, by :func:`jacviz.studio.render.render` itself (the registry of this
    throwaway process answers with the repeated scene); print the render's CPU time (imports
    excluded: they do not grow with length) as JSON."""
    import resource


    cls = repeated_scene(registry.scene_class(name), int(times))
    registry.scene_class = lambda _name: cls
    request = RenderRequest(name, out=Path(folder) / f"x{times}.mp4",
                            media_dir=Path(folder) / f"media-x{times}")

    def cpu():
        return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                      resource.getrusage(resource.RUSAGE_CHILDREN)))

    c0, t0 = cpu(), time.perf_counter()
    render(request)
    print(json.dumps({"cpu": cpu() - c0, "wall": time.perf_counter() - t0}), flush=True)


def _repeated_cpu(name: str, times: int, folder: Path) -> dict:
    """One fresh process rendering the scene ``times`` over: its render's CPU (and the
    whole process's, imports included)."""
    cpu, _, stdout = _run_cpu([sys.executable, "-c", "import sys; from jacviz.studio.bench "
                               "import render_repeated; render_repeated(*sys.argv[1:])", name,
                               str(times), str(folder)], folder)
    return dict(json.loads(stdout.strip().splitlines()[-1]), process_cpu=cpu)


def bench_cpu(scenes, repeats=3):
    """cpu_one_vs_shards: the CPU time (user + sys, every process) of ``--jobs 1`` over
    ``--jobs 2``, the longest scene at 480p15; cost_growth: the CPU time of a one-process
    render of that scene with its beats played twice over the scene as it is.  Arms
    alternate (A B A B ...), TeX warm, median of the ratios of each pair."""
    name = _longest_scene(scenes)
    shards, growth = [], []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        # TeX compiled once, untimed, by a render: a storyboard misses the snippets met only
        # mid-animation (local-linearity's live numbers: 9 latex runs in the first clip)
        _cli(["render", name, "--jobs", "2", "--out", str(base / "warm.mp4"), "--quiet"], base)
        for k in range(repeats):
            one = _cli_cpu(["render", name, "--jobs", "1", "--out", str(base / f"one-{k}.mp4"),
                            "--quiet"], base)
            two = _cli_cpu(["render", name, "--jobs", "2", "--out", str(base / f"two-{k}.mp4"),
                            "--quiet"], base)
            shards.append((one, two))
        for k in range(repeats):
            once = _repeated_cpu(name, 1, base)
            twice = _repeated_cpu(name, 2, base)
            growth.append((once, twice))
    return {
        "cpu_one_vs_shards": statistics.median(a[0] / b[0] for a, b in shards),
        "cost_growth": statistics.median(b["cpu"] / a["cpu"] for a, b in growth),
        "detail_cpu": {
            "scene": name,
            "jobs1_cpu_s": [round(a[0], 2) for a, _ in shards],
            "jobs2_cpu_s": [round(b[0], 2) for _, b in shards],
            "jobs1_wall_s": [round(a[1], 2) for a, _ in shards],
            "jobs2_wall_s": [round(b[1], 2) for _, b in shards],
            "once_cpu_s": [round(a["cpu"], 2) for a, _ in growth],
            "twice_cpu_s": [round(b["cpu"], 2) for _, b in growth],
            "process_cpu_ratio": statistics.median(b["process_cpu"] / a["process_cpu"]
                                                   for a, b in growth),
        },
    }


# -- the lecture (issue 18) -------------------------------------------------------------------
TARGETS.update({"lecture_overhead": ("<=", 0.05), "tts_speed": (">=", 5),
                "lecture_edit": ("<=", 0.2)})


def bench_lecture(scenes):
    """lecture_overhead: a cold lecture's wall time outside the scenes' renders and the
    speech (the cards, levelling and encoding the soundtrack, the join, the captions) over
    the renders (with the speech: ``overhead_with_speech`` in the details).  A render
    includes its TeX preparation, which is the dry run that also gives the scene's script.
    The cards and the soundtrack are made beside the renders (a child process, two
    threads): ``cpu_s`` in the details is the CPU the whole lecture took, its children
    included; lecture_edit: the lecture
    again after one beat's text changed, over the cold one; tts_speed: piper's seconds
    of speech per CPU-second.  In a scratch folder, with a scratch voice cache."""
    import tempfile

    from .lecture import LectureRequest, beats_of, build
    from .request import resolve_params
    from .voice import Piper, tts_speed

    rows = {}
    old_cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="jacviz-bench-lecture-") as tmp:
        tmp = Path(tmp)
        os.chdir(tmp)
        try:
            names = list(scenes)
            req = LectureRequest([(n, resolve_params(n)) for n in names], voice="piper",
                                 out=tmp / "lecture", force=True, voice_cache=tmp / "voice")
            t0, c0 = time.perf_counter(), os.times()
            cold = build(req, say=lambda *a: None)
            cold_s, c1 = time.perf_counter() - t0, os.times()
            cold_cpu = sum(c1[:4]) - sum(c0[:4])
            beats = beats_of(req)
            beat_id, text = beats[len(beats) // 2]
            script = tmp / "script.toml"
            script.write_text(f'"{beat_id}" = {json.dumps(text + " That is the point.")}\n')
            req.script = script
            t0 = time.perf_counter()
            edit = build(req, say=lambda *a: None)
            edit_s = time.perf_counter() - t0
        finally:
            os.chdir(old_cwd)
    speed = tts_speed(voice=Piper())
    speak = cold.timings.get("speak", 0.0)
    rows = {"cold_s": cold_s, "renders_s": cold.render_seconds, "speak_s": speak,
            "cpu_s": cold_cpu,
            "steps_s": cold.timings, "edit_s": edit_s, "edit_steps_s": edit.timings,
            "edit_rendered": edit.rendered, "lecture_s": cold.duration, "scenes": names,
            "quality": req.quality, "tts": speed,
            "overhead_with_speech": (cold_s - cold.render_seconds) / cold.render_seconds}
    # the speech itself is tts_speed's figure; the overhead is everything else jacviz does
    # around the scenes' renders: the script, the cards, the mix, the join, the checks
    return {"lecture_overhead": (cold_s - cold.render_seconds - speak) / cold.render_seconds,
            "lecture_edit": edit_s / cold_s, "tts_speed": speed["ratio"],
            "detail_lecture": rows}


# -- the 3-D scene against the 2-D one it lifts -------------------------------------------------
TARGETS["surface_vs_level_sets"] = ("<=", 3)


def bench_surface(repeats=2):
    """surface_vs_level_sets: `jacviz render surface` at 480p15 over `jacviz render level-sets`,
    one process each (--jobs 1), rendered alternately side by side, TeX warm for both."""
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("surface", "level-sets"):  # TeX compiled once, not timed
            _cli(["preview", name, "--out", f"{tmp}/{name}.png"], tmp)
        for k in range(repeats):  # new names each time: nothing cached by the last
            s = _cli(["render", "surface", "--jobs", "1", "--out", f"{tmp}/s-{k}.mp4", "--quiet"],
                     tmp)
            ls = _cli(["render", "level-sets", "--jobs", "1", "--out", f"{tmp}/l-{k}.mp4",
                       "--quiet"], tmp)
            pairs.append((s, ls))
    return {"surface_vs_level_sets": median_ratio(pairs),
            "detail_surface": {"surface_s": statistics.median(a for a, _ in pairs),
                               "level_sets_s": statistics.median(b for _, b in pairs),
                               "pairs": pairs}}


def bench_encode(scenes, repeats=2):
    """encode_overlap: the longest scene at 1080p60 in one process, manim encoding up to
    ENCODERS plays' movies while the next play draws, over the same render encoding each
    play's movie before the next starts (serial); side by side, TeX warm."""
    from .request import ENCODERS, resolve_params

    name = _longest_scene(scenes)
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        def one(n, k):
            req = RenderRequest(name, resolve_params(name), quality="h",
                                out=Path(tmp) / f"enc{n}-{k}.mp4", tex_ready=True,
                                extra={"max_inflight_encoders": n})
            return _timeit(render, req)

        from .dry_run import prepare_tex

        prepare_tex(registry.scene_class(name), resolve_params(name))  # TeX compiled once
        for k in range(1, repeats + 1):
            pairs.append((one(ENCODERS, k), one(1, k)))
    return {"encode_overlap": median_ratio(pairs),
            "detail_encode": {"scene": name, "encoders": ENCODERS,
                              "overlapped_s": [a for a, _ in pairs],
                              "serial_s": [b for _, b in pairs]}}


# -- the whole lesson at 1080p60 against Cairo's floor ------------------------------------------
TARGETS["hd_vs_floor"] = ("<=", 1.3)
#: rows reported without a target
UNTARGETED = ("encode_overlap", "hd_render_vs_duration")


def _drawing(folder: Path) -> dict:
    """The draw logs of every render process (see ``jacviz.kit.scene._time_drawing``): the
    frames drawn, their thread CPU and wall seconds, and the CPU of the drawing threads
    in all (drawing and scene code: everything the main thread did up to its last frame)."""
    draws = cpu = wall = main = 0.0
    for f in folder.glob("draw-*.txt"):
        rows = [ln.split() for ln in f.read_text().splitlines() if ln.strip()]
        draws += len(rows)
        cpu += sum(float(r[0]) for r in rows)
        wall += sum(float(r[1]) for r in rows)
        main += float(rows[-1][2]) if rows else 0.0
    return {"draws": int(draws), "draw_cpu_s": cpu, "draw_wall_s": wall, "main_thread_cpu_s": main}


def _video_seconds(folder: Path) -> dict[str, float]:
    import av

    out = {}
    for clip in sorted(folder.glob("*.mp4")):
        with av.open(str(clip)) as c:
            out[clip.stem] = float(c.duration) / 1e6
    return out


def bench_hd(quality: str = "h"):
    """hd_render_vs_duration: a cold ``make render QUALITY=h`` (1080p60, every core, the
    lesson's TeX already compiled by a 480p render, untimed) over the lesson's video
    duration; hd_vs_floor: that render's CPU time (every process and thread) over Cairo's
    floor, the CPU time the renderer spent drawing the same frames (its frame updates:
    the canvas cleared, then Cairo; no scene code, no encoding), logged by every render
    process.  The details give the wall-clock form (the render's wall time over the
    floor spread on every core), the main threads' CPU outside drawing (scene code and
    manim's own per-frame work) and what the other threads took (the encoders)."""
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "p"
        _copy_project(dst)
        jobs = os.cpu_count() or 1
        cmd = ["make", "-s", "-C", str(dst), f"JOBS={jobs}", "render"]
        _run_cpu(cmd + ["QUALITY=l"], dst)  # the TeX, as after a lecturer's drafts
        for f in (dst / "renders").glob("*.mp4"):
            f.unlink()
        logs = Path(tmp) / "draw"
        logs.mkdir()
        cpu, wall, _ = _run_cpu(cmd + [f"QUALITY={quality}"], dst,
                                env=dict(os.environ, JACVIZ_DRAW_TIMES=str(logs)))
        clips = _video_seconds(dst / "renders")
        drawing = _drawing(logs)
    seconds = sum(clips.values())
    floor = drawing["draw_cpu_s"]
    return {"hd_render_vs_duration": wall / seconds, "hd_vs_floor": cpu / floor,
            "detail_hd": {"quality": quality, "jobs": jobs, "render_wall_s": wall,
                          "render_cpu_s": cpu, "video_s": seconds, "clips_s": clips,
                          **drawing,
                          "wall_vs_floor_on_every_core": wall / (floor / jobs),
                          "main_thread_outside_drawing_cpu_s":
                              drawing["main_thread_cpu_s"] - floor,
                          "other_threads_and_processes_cpu_s":
                              cpu - drawing["main_thread_cpu_s"]}}


PARTS = ("core", "share", "preview", "watch", "shard", "copy", "overhead", "make", "cpu",
         "lecture", "surface", "encode", "hd")


def run(only=None, quick=False, results_path=None) -> int:
    parts = only or list(PARTS)
    if "make" in parts and not (ROOT / "Makefile").exists():
        raise JacvizError("the make benchmark needs a source checkout (its Makefile); "
                          "choose other parts with --only")
    scenes = registry.names()
    out_path = Path(results_path) if results_path else ROOT / "bench" / "results.json"
    dest = FileTarget(out_path, option="--results" if results_path else "", exts=(".json",),
                      why="the results are JSON", example="results.json")
    dest.check()  # before anything is measured
    results = {}
    if out_path.exists():  # earlier results: kept, each part replaced as it is measured again
        try:
            results = json.loads(out_path.read_text())
        except (OSError, ValueError):
            results = None
        if not isinstance(results, dict):
            raise JacvizError(f"{dest.label} holds something other than jacviz's benchmark "
                              f"results; name another file")
    results["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(), "date": time.strftime("%Y-%m-%d")}
    steps = {
        "core": lambda: bench_core(repeats=3 if quick else 7),
        "share": lambda: bench_share(scenes[:2] if quick else scenes),
        "preview": lambda: bench_preview(1 if quick else 2),
        "watch": lambda: bench_watch(1 if quick else 2),
        "shard": lambda: bench_shard(scenes[:2] if quick else scenes, 1 if quick else 2),
        "copy": lambda: bench_copy(scenes[:2] if quick else scenes),
        "overhead": lambda: bench_overhead(scenes[:2] if quick else scenes),
        "make": bench_make,
        "cpu": lambda: bench_cpu(scenes[:2] if quick else scenes, 1 if quick else 3),
        "surface": lambda: bench_surface(1 if quick else 2),
        "encode": lambda: bench_encode(scenes[:1] if quick else scenes, 1 if quick else 2),
        "hd": lambda: bench_hd("m" if quick else "h"),
        "lecture": lambda: bench_lecture([n for n in scenes if n != "practice"][:2] if quick
                                         else [n for n in scenes if n != "practice"]),
    }
    for part in parts:
        print(f"measuring {part} ...", flush=True)
        stage(f"bench-{part}")
        results.update(steps[part]())
        dest.commit({out_path: json.dumps(results, indent=2, default=float)})  # saved after every part
    print(f"{'ratio':<18} {'value':>10}  target   met")
    for key, (op, target) in TARGETS.items():
        if key not in results:
            print(f"{key:<18} {'-':>10}  {op} {target}")
            continue
        v = results[key]
        met = v >= target if op == ">=" else v <= target
        print(f"{key:<18} {v:>10.4g}  {op} {target:<5} {'yes' if met else 'NO'}")
    for key in UNTARGETED:
        if key in results:
            print(f"{key:<18} {results[key]:>10.4g}  (none)")
    print(f"machine: {results['machine']['cores']} cores; details in {out_path}")
    return 0

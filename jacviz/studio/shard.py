"""One scene on every core: a render split into contiguous shards of animations.

ManimCE renders a scene on one core.  ``jacviz render SCENE --jobs N``:

1. *plans*: runs the scene once with every animation skipped to its end state
   (fast: nothing is drawn or encoded) and records every play's run time;
2. *partitions* the plays into N contiguous shards of about equal frame
   counts (not equal play counts: a 3 s wait weighs 3 s);
3. renders each shard in its own process, with the plays before it skipped
   (manim's ``from_animation_number``/``upto_animation_number``), each into
   its own working folder; manim writes one partial movie per play;
4. joins the partial movies of all shards, in play order, into the clip, and
   writes the captions (from the last shard, which runs the scene to its end)
   and the metadata as a single-process render would.

Every partial movie is the same file a single-process render makes for that
play, so the clip is identical frame for frame (tests decode and hash it).
The shards run as local processes, or on a Dask cluster (``jacviz.studio.cluster``).

    python -m jacviz.studio.shard SPEC.json     # one shard (what a worker runs)
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import JacvizError
from ..signals import stage
from . import registry


@dataclass(frozen=True)
class Shard:
    index: int
    first: int  # first play rendered (0-based)
    last: int  # last play rendered, inclusive
    frames: int  # expected frames


def frames_of(durations, fps: float) -> list[int]:
    """Expected frames per play (manim samples a play every 1/fps, a wait holds its frame)."""
    return [max(1, math.ceil(d * fps - 1e-9)) for d in durations]


def partition(durations, fps: float, jobs: int) -> list[Shard]:
    """Contiguous shards of plays whose frame counts are as even as possible.

    The cut points minimise the largest shard (binary search on the bound,
    greedy fill), so one long play never leaves a core idle for long."""
    frames = frames_of(durations, fps)
    if not frames:
        return []
    jobs = max(1, min(jobs, len(frames)))

    def cuts_for(bound):
        cuts, total = [], 0
        for k, f in enumerate(frames):
            if total + f > bound and total > 0:
                cuts.append(k)
                total = 0
            total += f
        return cuts

    lo, hi = max(frames), sum(frames)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(cuts_for(mid)) + 1 <= jobs:
            hi = mid
        else:
            lo = mid + 1
    bounds = [0, *cuts_for(lo), len(frames)]
    return [Shard(i, a, b - 1, sum(frames[a:b])) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def plan(request) -> list[float]:
    """Every play's run time, from one pass with every animation skipped."""
    from manim import tempconfig

    from .render import manim_config, prepare_tex

    cls = registry.scene_class(request.scene)
    prepare_tex(cls, request.params)
    with tempfile.TemporaryDirectory() as tmp:
        opts = manim_config(request, Path(tmp), "plan")
        opts.update(write_to_movie=False, save_last_frame=False, disable_caching=True)
        with tempconfig(opts):
            scene = cls(params=request.params, skip_animations=True)
            scene.render()
    stage("planned", str(len(scene.play_durations)))
    return scene.play_durations


def shard_spec(request, shard: Shard, media: Path) -> dict:
    """What a worker needs to render one shard: plain data (JSON)."""
    return {
        "scene": request.scene,
        "sets": {k: request.params.as_text(k) for k in request.params.changed()},
        "quality": request.quality, "format": request.format, "transparent": request.transparent,
        "resolution": list(request.resolution) if request.resolution else None,
        "fps": request.fps, "extra": request.extra,
        "shard": asdict(shard), "media": str(media),
        "version": _version(),
    }


def _version() -> str:
    from .. import __version__

    return __version__


def _request_of(spec: dict):
    """The render request a spec describes (parameters validated again, in this process)."""
    from .render import RenderRequest, resolve_params

    params = resolve_params(spec["scene"], spec["sets"])
    return RenderRequest(spec["scene"], params, quality=spec["quality"], format=spec["format"],
                         transparent=spec["transparent"],
                         resolution=tuple(spec["resolution"]) if spec["resolution"] else None,
                         fps=spec["fps"], extra=dict(spec["extra"]))


def render_shard(spec: dict) -> dict:
    """Render one shard (in a worker process); returns its partial movies in play order
    and, for the last shard, the captions."""
    from manim import tempconfig

    from .render import manim_config

    if spec.get("version") != _version():
        raise JacvizError(f"this worker has jacviz {_version()}, the client {spec.get('version')}; "
                          f"install the same version on every worker")
    shard = Shard(**spec["shard"])
    request = _request_of(spec)
    params = request.params
    media = Path(spec["media"])
    cls = registry.scene_class(request.scene)
    opts = manim_config(request, media, f"shard{shard.index}")
    opts["from_animation_number"] = shard.first
    opts["upto_animation_number"] = shard.last
    opts["disable_caching"] = True
    with tempconfig(opts):
        scene = cls(params=params)
        scene.shard_of = shard.index
        scene.render()
        writer = scene.renderer.file_writer
        files = [str(p) for p in writer.partial_movie_files if p is not None]
        srt = Path(writer.movie_file_path).with_suffix(".srt")
    if len(files) != shard.last - shard.first + 1:
        raise JacvizError(f"shard {shard.index} of {request.scene} wrote {len(files)} partial "
                          f"movies for plays {shard.first}..{shard.last}")
    out = {"index": shard.index, "files": files}
    out["srt"] = srt.read_text() if srt.exists() else None
    return out


def join(request, results: list[dict], work: Path) -> tuple[Path, str | None]:
    """The partial movies of every shard, in play order, as one clip (in ``work``)."""
    from types import SimpleNamespace

    from manim import tempconfig
    from manim.scene.scene_file_writer import SceneFileWriter

    from .render import FORMATS, manim_config

    results = sorted(results, key=lambda r: r["index"])
    files = [f for r in results for f in r["files"]]
    fmt = FORMATS[request.format]
    out = work / f"joined.{fmt.ext}"
    stage("join")
    with tempconfig(manim_config(request, work, "joined")):
        writer = SimpleNamespace(partial_movie_directory=work)
        SceneFileWriter.combine_files(writer, files, out, fmt.name == "gif", False)
    return out, results[-1].get("srt")


def run_local(specs: list[dict]) -> list[dict]:
    """Each shard in its own local process, all at once; their results."""
    import subprocess

    procs = []
    try:
        for spec in specs:
            fd, path = tempfile.mkstemp(suffix=".json", prefix="jacviz-shard-")
            with os.fdopen(fd, "w") as fh:
                json.dump(spec, fh)
            procs.append((subprocess.Popen([sys.executable, "-m", "jacviz.studio.shard", path],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True), path))
        stage("shards", " ".join(str(p.pid) for p, _ in procs))
        results = []
        for proc, _ in procs:
            out, err = proc.communicate()
            if proc.returncode != 0:
                last = (err.strip().splitlines() or ["(no message)"])[-1]
                raise JacvizError(f"a shard failed: {last.removeprefix('error: ')}")
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    except BaseException:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.kill()
        raise
    finally:
        for proc, path in procs:
            proc.wait()
            os.unlink(path)


def render_sharded(request, jobs: int, scheduler: str | None = None) -> list[Path]:
    """Render one clip on ``jobs`` processes (or a Dask cluster); returns the paths written."""
    from .render import work_dir

    durations = plan(request)
    fps = request.fps or _quality_fps(request.quality)
    shards = partition(durations, fps, jobs)
    target = request.target
    base = Path(request.media_dir) if request.media_dir else work_dir(target.stem, request.quality,
                                                                      request.format)
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".shards-{os.getpid()}-", dir=base))
    try:
        specs = [shard_spec(request, s, work / f"shard{s.index}") for s in shards]
        if scheduler:
            from .cluster import run_on_cluster

            results = run_on_cluster(scheduler, specs, work)
        else:
            results = run_local(specs)
        return _finish(request, results, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render_many(requests, jobs: int) -> list[list[Path]]:
    """Several clips on ``jobs`` processes at once: every clip's plan, then every shard,
    from one queue, so that no core idles while another clip still has work.

    Plans run first (in parallel: they compile the TeX), each clip's shards are
    queued as soon as its plan is known (longest shards first), and a clip is
    joined and committed as soon as its last shard is done."""
    import heapq
    import subprocess
    import time as _time

    from .render import work_dir

    results: dict[int, list[dict]] = {}
    shards_of: dict[int, list[Shard]] = {}
    written: dict[int, list[Path]] = {}
    works: dict[int, Path] = {}
    queue: list = []  # (priority, order, kind, clip, payload)
    order = 0
    for i, req in enumerate(requests):
        base = Path(req.media_dir) if req.media_dir else work_dir(req.target.stem, req.quality,
                                                                  req.format)
        base.mkdir(parents=True, exist_ok=True)
        works[i] = Path(tempfile.mkdtemp(prefix=f".shards-{os.getpid()}-", dir=base))
        heapq.heappush(queue, (0, order, "plan", i, shard_spec(req, Shard(0, 0, -1, 0),
                                                                works[i] / "plan")))
        order += 1
    running: list = []
    try:
        while queue or running:
            while queue and len(running) < jobs:
                _, _, kind, i, spec = heapq.heappop(queue)
                fd, path = tempfile.mkstemp(suffix=".json", prefix="jacviz-task-")
                with os.fdopen(fd, "w") as fh:
                    json.dump(spec, fh)
                out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
                args = [sys.executable, "-m", "jacviz.studio.shard"] + \
                    (["--plan"] if kind == "plan" else []) + [path]
                proc = subprocess.Popen(args, stdout=out, stderr=err, text=True)
                running.append((proc, kind, i, path, out, err))
            done = [r for r in running if r[0].poll() is not None]
            if not done:
                _time.sleep(0.05)
                continue
            for r in done:
                running.remove(r)
                proc, kind, i, path, out, err = r
                os.unlink(path)
                out.seek(0), err.seek(0)
                if proc.returncode != 0:
                    last = (err.read().strip().splitlines() or ["(no message)"])[-1]
                    raise JacvizError(f"{requests[i].scene}: {last.removeprefix('error: ')}")
                result = json.loads(out.read().strip().splitlines()[-1])
                if kind == "plan":
                    req = requests[i]
                    fps = req.fps or _quality_fps(req.quality)
                    shards_of[i] = partition(result["durations"], fps, jobs)
                    results[i] = []
                    for sh in shards_of[i]:
                        heapq.heappush(queue, (-sh.frames, order, "shard", i,
                                               shard_spec(req, sh, works[i] / f"shard{sh.index}")))
                        order += 1
                else:
                    results[i].append(result)
                    if len(results[i]) == len(shards_of[i]):
                        written[i] = _finish(requests[i], results[i], works[i])
        return [written[i] for i in range(len(requests))]
    except BaseException:
        for proc, *_ in running:
            proc.kill()
            proc.wait()
        raise
    finally:
        for work in works.values():
            shutil.rmtree(work, ignore_errors=True)


def _finish(request, results, work) -> list[Path]:
    """Join one clip's shards and commit it with its captions and metadata."""
    from .render import clip_metadata, commit

    clip, srt = join(request, results, work)
    target = request.target
    outputs: dict = {}
    if srt is not None:
        outputs[target.with_suffix(".srt")] = srt
    outputs[target.with_suffix(".json")] = json.dumps(clip_metadata(request), indent=2)
    outputs[target] = clip
    commit(outputs)
    return list(outputs)


def _quality_fps(quality: str) -> float:
    return {"l": 15, "m": 30, "h": 60, "p": 60, "k": 60}[quality]


def main(argv=None) -> int:
    """A worker: render the shard described by a JSON file; print its result as JSON."""
    from .. import signals

    signals.install()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        planning = args[0] == "--plan"
        spec = json.loads(Path(args[-1]).read_text())
        if planning:
            request = _request_of(spec)
            print(json.dumps({"durations": plan(request)}), flush=True)
        else:
            print(json.dumps(render_shard(spec)), flush=True)
        return 0
    except BaseException as exc:
        if signals.received() is not None:
            print("error: interrupted", file=sys.stderr)
            return signals.exit_status()
        if isinstance(exc, JacvizError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())

"""One scene on every core: a render split into contiguous shards of animations.

ManimCE renders a scene on one core.  ``jacviz render SCENE --jobs N``:

1. *plans*: the dry run that gathers the scene's TeX (every play noted, none
   played) also notes every play's run time; only if it cannot finish is the
   scene run once more with every animation skipped to its end state;
2. *partitions* the plays into N contiguous shards of about equal cost: frame
   counts (not play counts: a 3 s wait weighs 3 s), plus the cost of skipping
   the plays before a shard (:data:`SKIP_COST`);
3. renders each shard in its own process, with the plays before it skipped,
   each into its own folder; manim writes one partial movie per play.  Locally
   the shards are *forked* from one pass over the scene (:func:`render_forked`):
   the pass skips from play to play and forks a child at each shard's first
   play, so no shard imports anything, parses any TeX again or skips a play
   another has skipped.  For several clips from one queue (:func:`render_many`),
   each plan and shard is a process forked from the queue's (imports done once,
   the request and its parameters inherited, never parsed again) that skips its
   own prefix (manim's ``from_animation_number``/``upto_animation_number``); on
   a Dask cluster (:mod:`jacviz.studio.cluster`), a fresh process on a worker,
   given the request as plain data (:meth:`ShardJob.spec`);
4. joins the partial movies of all shards, in play order, into the clip, and
   writes the captions (from the last shard, which runs the scene to its end)
   and the metadata as a single-process render would.

Every partial movie is the same file a single-process render makes for that
play, so the clip is identical frame for frame (tests compare the frames handed
to the encoder, and the decoded clips).  The plan only balances the shards: the
last shard always runs to the scene's end, and the join checks that the shards'
plays are exactly 0, 1, ..., n-1, so a plan that miscounts costs balance, never
a frame.

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

from ..core import signals
from ..core.errors import JacvizError
from ..core.signals import flush_and_exit, stage
from . import registry
from .dry_run import prepare_tex
from .request import FORMATS, RenderRequest, commit


@dataclass(frozen=True)
class Shard:
    index: int
    first: int  # first play rendered (0-based)
    last: int  # last play rendered, inclusive
    frames: int  # expected frames


def frames_of(durations, fps: float) -> list[int]:
    """Expected frames per play (manim samples a play every 1/fps, a wait holds its frame)."""
    return [max(1, math.ceil(d * fps - 1e-9)) for d in durations]


#: skipping a play (building its animations, moving them to their end state) costs about
#: this fraction of drawing and encoding it (measured on path-sums at 480p15: 2 s over 13.5 s)
SKIP_COST = 0.15


def partition(durations, fps: float, jobs: int, skip: float = 0.0) -> list[Shard]:
    """Contiguous shards of plays whose costs are as even as possible.

    A shard's cost is its frames plus ``skip`` times the frames before it (the
    plays its process skips first).  The cut points minimise the largest cost
    (binary search on the bound, greedy fill), so one long play never leaves a
    core idle for long."""
    frames = frames_of(durations, fps)
    if not frames:
        return []
    jobs = max(1, min(jobs, len(frames)))

    def cuts_for(bound):
        cuts, total, before = [], 0, 0
        for k, f in enumerate(frames):
            if total > 0 and skip * before + total + f > bound:
                cuts.append(k)
                before += total
                total = 0
            total += f
        return cuts

    lo, hi = max(frames), math.ceil(sum(frames) * (1 + skip))
    while lo < hi:
        mid = (lo + hi) // 2
        if len(cuts_for(mid)) + 1 <= jobs:
            hi = mid
        else:
            lo = mid + 1
    bounds = [0, *cuts_for(lo), len(frames)]
    return [Shard(i, a, b - 1, sum(frames[a:b])) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def plan(request) -> list[float]:
    """Every play's run time: from the dry run that gathers the TeX, or, when that run
    cannot finish, from one pass with every animation skipped."""
    cls = registry.scene_class(request.scene)
    durations = prepare_tex(cls, request.params, fps=request.frame_rate).durations
    if durations is None:
        durations = _plan_pass(request, cls)
    stage("planned", str(len(durations)))
    return durations


def shards_of(request: RenderRequest, jobs: int) -> list[Shard]:
    """The request's plays cut into ``jobs`` shards (fewer for a short scene)."""
    return partition(plan(request), request.frame_rate, jobs, SKIP_COST)


def _plan_pass(request, cls) -> list[float]:
    from manim import tempconfig

    with tempfile.TemporaryDirectory() as tmp:
        with tempconfig(request.manim_config(Path(tmp), "plan", write_to_movie=False,
                                             save_last_frame=False, disable_caching=True)):
            scene = cls(params=request.params, skip_animations=True)
            scene.render()
    return scene.play_durations


@dataclass(frozen=True)
class ShardJob:
    """One shard of a request to render into ``media``.  The last shard runs to the
    scene's end, however many plays the plan counted."""

    request: RenderRequest
    shard: Shard
    media: Path
    last: bool = False

    def spec(self) -> dict:
        """What a worker on another machine needs: plain data (JSON), the parameters as
        typed (a forked process inherits the job itself, parameters parsed once)."""
        return {**self.request.spec(), "shard": asdict(self.shard), "media": str(self.media),
                "last": self.last}

    @classmethod
    def from_spec(cls, spec: dict) -> "ShardJob":
        """The job a :meth:`spec` describes (its parameters validated again, in this process)."""
        return cls(RenderRequest.from_spec(spec), Shard(**spec["shard"]), Path(spec["media"]),
                   bool(spec.get("last")))


def render_shard(job: ShardJob) -> dict:
    """Render one shard (in a worker process); returns its partial movies in play order
    and, for the last shard (which runs to the scene's end), the captions."""
    from manim import tempconfig

    request, shard = job.request, job.shard
    cls = registry.scene_class(request.scene)
    opts = request.manim_config(job.media, f"shard{shard.index}", **SHARD_OPTIONS,
                                from_animation_number=shard.first)
    if not job.last:
        opts["upto_animation_number"] = shard.last
    with tempconfig(opts):
        scene = cls(params=request.params)
        scene.shard_of = shard.index
        if shard.first > 0:
            _skip_drawing(scene.renderer)
            scene.play_hook = _drawing_from(shard.first)
        scene.render()
        return _result(shard.index, scene, ended=job.last)


#: manim settings of every shard: partial movies named by play number (uncached_00012),
#: and never deleted by manim's cache clean-up (it keeps 100 files) before the join
SHARD_OPTIONS = {"disable_caching": True, "max_files_cached": 1_000_000}


def _skip_drawing(renderer) -> None:
    """Skipped plays draw nothing (manim draws a static frame for every play, skipped
    or not; no rendered frame depends on it: a rendered play starts from a cleared camera)."""
    renderer.update_frame = lambda *args, **kwargs: None


def _draw_again(renderer) -> None:
    renderer.__dict__.pop("update_frame", None)
    renderer.static_image = None


def _drawing_from(first: int):
    """A play hook that turns drawing back on before play ``first``."""
    def hook(scene):
        if scene.renderer.num_plays == first:
            _draw_again(scene.renderer)
    return hook


def _result(index: int, scene, ended: bool) -> dict:
    """A shard's partial movies, the plays they are, and the captions if it ran to the end."""
    writer = scene.renderer.file_writer
    plays = [k for k, p in enumerate(writer.partial_movie_files) if p is not None]
    files = [str(writer.partial_movie_files[k]) for k in plays]
    srt = Path(writer.movie_file_path).with_suffix(".srt")
    return {"index": index, "files": files, "plays": plays, "ended": ended,
            "srt": srt.read_text() if ended and srt.exists() else None}


def join(request, results: list[dict], work: Path) -> tuple[Path, str | None]:
    """The partial movies of every shard, in play order, as one clip (in ``work``)."""
    from types import SimpleNamespace

    from manim import tempconfig
    from manim.scene.scene_file_writer import SceneFileWriter

    results = sorted(results, key=lambda r: r["index"])
    files = _in_play_order(request.scene, results)
    fmt = FORMATS[request.format]
    out = work / f"joined.{fmt.ext}"
    stage("join")
    with tempconfig(request.manim_config(work, "joined")):
        writer = SimpleNamespace(partial_movie_directory=work)
        SceneFileWriter.combine_files(writer, files, out, fmt.name == "gif", False)
    return out, next(r for r in results if r["ended"]).get("srt")


def _in_play_order(scene: str, results: list[dict]) -> list[str]:
    """Every shard's partial movies in play order, after checking that together they are
    plays 0..n-1, each once, and that one shard ran to the end."""
    by_play: dict[int, str] = {}
    for r in results:
        for k, f in zip(r["plays"], r["files"]):
            if k in by_play:
                raise JacvizError(f"two shards of {scene} rendered play {k}")
            by_play[k] = f
    if sum(r["ended"] for r in results) != 1 or sorted(by_play) != list(range(len(by_play))):
        raise JacvizError(f"the shards of {scene} rendered plays {sorted(by_play)}, not every "
                          f"play once")
    return [by_play[k] for k in range(len(by_play))]


def shard_work_dir(request: RenderRequest) -> Path:
    """A private folder for one sharded render, beside manim's files for that clip."""
    base = request.media()
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".shards-{os.getpid()}-", dir=base))


def _private_tmp(folder: Path) -> None:
    """In a forked child: its temporary files (tempfile's, and its own children's through
    TMPDIR) go into ``folder``, inside the render's work folder, which the driver removes
    once every child is gone, however a child ended (a child killed after an interrupt
    cannot remove its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)


class _AllForked(Exception):
    """Raised in the driving pass once every shard's process is forked: the pass is done."""


class Forks:
    """One pass over a scene that forks a child process at the first play of each shard.

    The driver skips every play (drawing nothing); before play ``cuts[k]`` it forks
    child ``k``, which renders from there and ends before ``cuts[k + 1]`` (the last
    child runs to the scene's end and writes the captions).  The children inherit
    everything the driver built: imports, parsed TeX, the scene up to that play."""

    def __init__(self, cuts: list[int], work: Path):
        self.cuts, self.work = cuts, work
        self.next = 0
        self.pids: dict[int, int] = {}
        self.child: int | None = None  # this process's shard, in a child
        self.stop: int | None = None  # in a child: the play it ends before
        self.stopped = False

    # -- in the driving pass, and in a child: called before every play -------------------
    def before_play(self, scene) -> None:
        from manim.utils.exceptions import EndSceneEarlyException

        p = scene.renderer.num_plays
        if self.child is not None:
            if self.stop is not None and p >= self.stop:
                self.stopped = True  # not the last shard: no captions from here
                scene.renderer.file_writer.write_subcaption_file = lambda: None
                raise EndSceneEarlyException()
            return
        while self.next < len(self.cuts) and p >= self.cuts[self.next]:
            k, self.next = self.next, self.next + 1
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                self._become(k, scene)
                return
            self.pids[k] = pid
        if self.next == len(self.cuts):
            raise _AllForked()

    def _become(self, k: int, scene) -> None:
        from manim import config

        self.child, self.pids = k, {}
        self.stop = self.cuts[k + 1] if k + 1 < len(self.cuts) else None
        log = os.open(self.work / f"shard{k}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)  # a child's output is read by the driver only if it fails
        os.dup2(log, 2)
        os.close(log)
        config["from_animation_number"] = 0  # render from this play on
        _private_tmp(self.work / f"tmp{k}")
        scene.shard_of = k
        writer = scene.renderer.file_writer
        writer.partial_movie_directory = self.work / f"shard{k}"
        writer.partial_movie_directory.mkdir()
        writer.__dict__.pop("write_subcaption_file", None)
        _draw_again(scene.renderer)

    def finish_child(self, scene, exc: BaseException | None) -> None:
        """End a child: its result as JSON beside its log, and never return."""
        code = 1
        try:
            if exc is None:
                result = _result(self.child, scene, ended=not self.stopped)
                path = self.work / f"shard{self.child}.json"
                path.with_suffix(".tmp").write_text(json.dumps(result))
                os.replace(path.with_suffix(".tmp"), path)
                code = 0
            elif signals.received() is not None:
                code = signals.exit_status()
            elif isinstance(exc, JacvizError):
                os.write(2, f"error: {exc}\n".encode())  # fd 2 is the log, whatever sys.stderr is
                code = 2
            else:
                import traceback

                os.write(2, "".join(traceback.format_exception(exc)).encode())
        finally:
            flush_and_exit(code)

    # -- in the driver, once the pass is done ---------------------------------------------
    def wait(self) -> list[dict]:
        """Every child's result; the first failure stops the others and is raised."""
        import time as _time

        results, left = [], dict(self.pids)
        while left:
            for k, pid in list(left.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                if not done:
                    continue
                del left[k], self.pids[k]  # reaped: never signalled again (its pid may be reused)
                code = os.waitstatus_to_exitcode(status)
                if code != 0:
                    log = (self.work / f"shard{k}.log").read_text(errors="replace")
                    last = (log.strip().splitlines() or [f"exit status {code}"])[-1]
                    raise JacvizError(f"a shard failed: {last.removeprefix('error: ')}")
                results.append(json.loads((self.work / f"shard{k}.json").read_text()))
            if left:
                _time.sleep(0.02)
        return results

    def kill(self) -> None:
        """Stop the children not yet reaped (they clean up first: see signals.stop_children)."""
        signals.stop_children(list(self.pids.values()))
        self.pids = {}


def render_forked(request, jobs: int) -> list[Path]:
    """Render one clip on ``jobs`` local processes forked from one pass over the scene."""
    from manim import tempconfig

    shards = shards_of(request, jobs)
    cls = registry.scene_class(request.scene)
    work = shard_work_dir(request)
    forks = Forks([s.first for s in shards] or [0], work)
    try:
        # the driver skips every play
        with tempconfig(request.manim_config(work, "forked", **SHARD_OPTIONS,
                                             from_animation_number=1 << 30)):
            scene = cls(params=request.params)
            scene.shard_of = -1  # the driver: the join is done here, from the children's files
            scene.renderer.file_writer.write_subcaption_file = lambda: None
            _skip_drawing(scene.renderer)
            scene.play_hook = forks.before_play
            try:
                scene.render()
            except _AllForked:
                pass
            except BaseException as exc:
                if forks.child is not None:
                    forks.finish_child(scene, exc)
                raise
            else:
                if forks.child is not None:
                    forks.finish_child(scene, None)
        stage("shards", " ".join(str(p) for p in forks.pids.values()))
        results = forks.wait()
        return finish(request, results, work)
    finally:
        forks.kill()
        shutil.rmtree(work, ignore_errors=True)


def render_many(requests, jobs: int) -> list[list[Path]]:
    """Several clips on ``jobs`` processes at once: every clip's plan, then every shard,
    from one queue, so that no core idles while another clip still has work.

    Plans run first (in parallel: they compile the TeX), each clip's shards are
    queued as soon as its plan is known (longest shards first), and a clip is
    joined and committed as soon as its last shard is done.  Every task is a process
    forked from this one: it inherits the request, its parameters already parsed."""
    import heapq
    import time as _time

    import manim  # noqa: F401  - imported once here: every task is forked from this process

    for req in requests:
        req.output().check()  # every target before any work
        registry.scene_class(req.scene)

    results: dict[int, list[dict]] = {}
    shards: dict[int, list[Shard]] = {}
    written: dict[int, list[Path]] = {}
    works: dict[int, Path] = {}
    queue: list = []  # (priority, order, clip, job: None for the plan)
    order = 0
    running: list = []
    launched = 0
    try:
        for i, req in enumerate(requests):
            works[i] = shard_work_dir(req)
            heapq.heappush(queue, (0, order, i, None))
            order += 1
        while queue or running:
            while queue and len(running) < jobs:
                _, _, i, job = heapq.heappop(queue)
                launched += 1
                out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
                # its temporary files in the clip's work folder, removed below whatever happens
                proc = _Task(_plan_task(requests[i]) if job is None else _shard_task(job), out,
                             err, tmp=works[i] / f"tmp{launched}")
                running.append((proc, i, job, out, err))
            done = [r for r in running if r[0].poll() is not None]
            if not done:
                _time.sleep(0.05)
                continue
            for r in done:
                running.remove(r)
                proc, i, job, out, err = r
                with out, err:
                    out.seek(0), err.seek(0)
                    message, printed = err.read(), out.read()
                if proc.returncode != 0:
                    last = (message.strip().splitlines() or ["(no message)"])[-1]
                    raise JacvizError(f"{requests[i].scene}: {last.removeprefix('error: ')}")
                result = json.loads(printed.strip().splitlines()[-1])
                if job is None:  # the plan
                    req = requests[i]
                    shards[i] = partition(result["durations"], req.frame_rate, jobs, SKIP_COST)
                    results[i] = []
                    for sh in shards[i]:
                        heapq.heappush(queue, (-sh.frames, order, i, ShardJob(
                            req, sh, works[i] / f"shard{sh.index}", last=sh is shards[i][-1])))
                        order += 1
                else:
                    results[i].append(result)
                    if len(results[i]) == len(shards[i]):
                        written[i] = finish(requests[i], results[i], works[i])
        return [written[i] for i in range(len(requests))]
    except BaseException:
        signals.stop_children([proc.pid for proc, *_ in running if proc.returncode is None])
        for *_, out, err in running:
            out.close(), err.close()
        raise
    finally:
        for work in works.values():
            shutil.rmtree(work, ignore_errors=True)


def _plan_task(request: RenderRequest):
    return lambda: {"durations": plan(request)}


def _shard_task(job: ShardJob):
    return lambda: render_shard(job)


class _Task:
    """One task of the queue (a function returning its result as JSON-able data: a plan or
    a shard) in a process forked from the queue's, which has imported manim and the scenes
    once; used like a ``subprocess.Popen``: the result is printed as JSON on stdout."""

    def __init__(self, task, out, err, tmp: Path):
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _private_tmp(tmp)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", closefd=False)
                sys.stderr = open(2, "w", closefd=False)
                code = _serve(task)
            except BaseException:  # noqa: BLE001 - a crash: its traceback is the message
                import traceback

                os.write(2, traceback.format_exc().encode())
            finally:
                flush_and_exit(code)
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass

    def wait(self):
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def finish(request: RenderRequest, results: list[dict], work: Path) -> list[Path]:
    """Join one clip's shards and commit it with its captions and metadata."""
    clip, srt = join(request, results, work)
    return commit(request, clip, srt)


def _serve(task) -> int:
    """Run a task in a worker process: its result printed as JSON; a refusal or an interrupt
    as one ``error:`` line on stderr, and the exit status."""
    signals.install()
    try:
        print(json.dumps(task()), flush=True)
        return 0
    except BaseException as exc:
        if signals.received() is not None:
            print("error: interrupted", file=sys.stderr)
            return signals.exit_status()
        if isinstance(exc, JacvizError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


def main(argv=None) -> int:
    """A worker on a cluster: render the shard a JSON file describes (:meth:`ShardJob.spec`);
    print its result as JSON."""
    args = list(sys.argv[1:] if argv is None else argv)
    return _serve(lambda: render_shard(ShardJob.from_spec(json.loads(Path(args[-1]).read_text()))))


if __name__ == "__main__":
    sys.exit(main())

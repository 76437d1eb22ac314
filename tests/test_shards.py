"""One scene on every core (shards), and on a Dask cluster: the same clip, frame for frame."""

import hashlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jacviz.core.errors import JacvizError
from jacviz.studio import registry
from jacviz.studio.shard import Shard, frames_of, partition

JACVIZ = str(Path(sys.executable).parent / "jacviz")
TINY = ["--resolution", "160,90", "--fps", "3", "--quiet"]
WAIT = 900


def frame_hashes(clip: Path) -> list[str]:
    import av

    with av.open(str(clip)) as c:
        return [hashlib.sha1(f.to_ndarray(format="rgb24").tobytes()).hexdigest()
                for f in c.decode(video=0)]


def render(cwd, scene, out, *args, env=None):
    res = subprocess.run([JACVIZ, "render", scene, *TINY, "--out", str(out), *args], cwd=cwd,
                         capture_output=True, text=True, timeout=WAIT, env=env)
    assert res.returncode == 0, res.stderr[-3000:]
    return out


def logged_render(cwd, scene, out, *args):
    """Render, logging the frames handed to the encoder (every process of the render);
    returns the clip and those frames' hashes in order."""
    log = cwd / f"{out.stem}-frames"
    log.mkdir()
    render(cwd, scene, out, *args, env=dict(os.environ, JACVIZ_FRAME_LOG=str(log)))
    return out, read_frame_log(log)


def read_frame_log(log: Path, scene_class: str = "") -> list[str]:
    # frames-<Scene>-all, or frames-<Scene>-000, frames-<Scene>-001, ...
    files = sorted(log.glob(f"frames-{scene_class}-*.txt" if scene_class else "frames-*.txt"))
    return [line for f in files for line in f.read_text().split()]


def assert_same_clip(one: Path, a: list[str], two: Path, b: list[str]):
    """The renders drew the same frames, exactly; the clips decode to as many frames,
    equal up to libx264's occasional difference in encoding the same input."""
    import av
    import numpy as np

    assert len(a) > 10 and a == b
    with av.open(str(one)) as c1, av.open(str(two)) as c2:
        x = [f.to_ndarray(format="rgb24").astype(int) for f in c1.decode(video=0)]
        y = [f.to_ndarray(format="rgb24").astype(int) for f in c2.decode(video=0)]
    assert len(x) == len(y) == len(a)
    for k, (f, g) in enumerate(zip(x, y)):
        d = np.abs(f - g)
        assert d.mean() < 0.5 and d.max() <= 48, (k, d.mean(), d.max())


# -- partitioning --------------------------------------------------------------------
def test_shards_are_contiguous_and_balanced_by_frames():
    durations = [1, 1, 1, 6, 1, 1, 1, 1, 1, 1]  # one long play among short ones
    shards = partition(durations, fps=10, jobs=2)
    assert [(s.first, s.last) for s in shards] == [(0, 3), (4, 9)]
    assert [s.frames for s in shards] == [90, 60]  # by frames, not by number of plays
    assert shards[0].first == 0 and shards[-1].last == len(durations) - 1
    for a, b in zip(shards, shards[1:]):
        assert b.first == a.last + 1
    assert len(partition([1, 2], fps=15, jobs=8)) == 2  # never more shards than plays
    assert partition([0.5] * 9, fps=2, jobs=3) == [Shard(0, 0, 2, 3), Shard(1, 3, 5, 3),
                                                    Shard(2, 6, 8, 3)]
    assert frames_of([1.0, 0.7, 0.0], 5) == [5, 4, 1]


def test_shards_after_a_long_prefix_are_shorter():
    """A shard's process first skips the plays before it, at a fraction of their cost."""
    durations = [1.0] * 20
    assert [(s.first, s.last) for s in partition(durations, fps=10, jobs=2)] == [(0, 9), (10, 19)]
    shards = partition(durations, fps=10, jobs=2, skip=0.2)
    assert [(s.first, s.last) for s in shards] == [(0, 10), (11, 19)]  # 110 | 0.2*110 + 90 = 112

    def worst(sizes, skip):  # the longest shard: its frames and the skipped frames before it
        return max(f + skip * sum(sizes[:k]) for k, f in enumerate(sizes))

    for skip in (0.0, 0.15, 0.5):
        three = partition(durations, fps=10, jobs=3, skip=skip)
        best = min(worst([10 * i, 10 * (j - i), 10 * (20 - j)], skip)
                   for i in range(1, 19) for j in range(i + 1, 20))
        assert len(three) == 3 and worst([s.frames for s in three], skip) == pytest.approx(best)
        assert three[0].frames >= three[1].frames >= three[2].frames


def test_the_join_checks_every_play_is_rendered_once():
    from jacviz.studio.shard import _in_play_order

    ok = [{"plays": [2, 3], "files": ["c", "d"], "ended": True},
          {"plays": [0, 1], "files": ["a", "b"], "ended": False}]
    assert _in_play_order("s", ok) == ["a", "b", "c", "d"]
    gap = [dict(ok[0], plays=[3, 4]), ok[1]]
    twice = [dict(ok[0], plays=[1, 2]), ok[1]]
    unended = [dict(ok[0], ended=False), ok[1]]
    for bad in (gap, twice, unended):
        with pytest.raises(JacvizError, match="rendered play"):
            _in_play_order("s", bad)


@pytest.mark.parametrize("scene", registry.names())
def test_the_dry_run_counts_the_plays(scene):
    """The TeX dry run notes every play's run time (the shards' plan) without playing it."""
    from jacviz.studio.dry_run import prepare_tex
    from jacviz.studio.request import RenderRequest
    from jacviz.studio.shard import _plan_pass

    request = RenderRequest(scene, resolution=(160, 90), fps=3)
    cls = registry.scene_class(scene)
    planned = prepare_tex(cls, request.params, fps=request.frame_rate).durations
    played = _plan_pass(request, cls)
    assert planned is not None and len(planned) == len(played) > 5
    assert sum(planned) == pytest.approx(sum(played), rel=0.2)


@pytest.mark.parametrize("change", [-7, 5], ids=["plan-short", "plan-long"])
def test_a_miscounted_plan_costs_balance_not_frames(change, tmp_path, monkeypatch):
    """The last shard runs to the end, whatever the plan counted: still every frame."""
    from jacviz.studio import shard
    from jacviz.studio.render import render as render_request
    from jacviz.studio.request import RenderRequest

    real = shard.plan
    monkeypatch.chdir(tmp_path)  # the same TeX cache as the render it is compared with
    monkeypatch.setattr(shard, "plan", lambda request: (
        real(request)[:change] if change < 0 else real(request) + [1.0] * change))
    one, a = logged_render(tmp_path, "jacobian-grid", tmp_path / "one.mp4", "--jobs", "1")
    log = tmp_path / "two-frames"
    log.mkdir()
    monkeypatch.setenv("JACVIZ_FRAME_LOG", str(log))
    request = RenderRequest("jacobian-grid", resolution=(160, 90), fps=3, jobs=3,
                            out=tmp_path / "two.mp4")
    render_request(request)
    assert_same_clip(one, a, tmp_path / "two.mp4", read_frame_log(log))
    assert one.with_suffix(".srt").read_text() == (tmp_path / "two.srt").read_text()
    assert len(list(log.glob("frames-*.txt"))) >= 2


def test_a_failing_shard_stops_the_render_with_its_error(tmp_path, monkeypatch):
    from jacviz.studio import shard
    from jacviz.studio.render import render as render_request
    from jacviz.studio.request import RenderRequest

    driver = os.getpid()

    def fail_in_a_child(renderer):
        if os.getpid() != driver:
            raise JacvizError("no room for frames")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shard, "_draw_again", fail_in_a_child)
    with pytest.raises(JacvizError, match="^a shard failed: no room for frames$"):
        render_request(RenderRequest("jacobian-grid", resolution=(160, 90), fps=3, jobs=2,
                                     out=tmp_path / "x.mp4"))
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.rglob(".shards-*"))
    with pytest.raises(ChildProcessError):  # every shard's process was waited for
        os.waitpid(-1, os.WNOHANG)


def test_a_failing_task_in_the_lesson_queue_stops_it_with_its_error(tmp_path, monkeypatch):
    from jacviz.studio import shard
    from jacviz.studio.request import RenderRequest

    def no_room(spec):
        raise JacvizError("no room for frames")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shard, "render_shard", no_room)  # the forked tasks inherit it
    requests = [RenderRequest(name, resolution=(160, 90), fps=3, out=tmp_path / f"{name}.mp4")
                for name in ("jacobian-grid", "practice")]
    with pytest.raises(JacvizError, match=r"^(jacobian-grid|practice): no room for frames$"):
        shard.render_many(requests, jobs=2)
    assert not list(tmp_path.glob("*.mp4")) and not list(tmp_path.rglob(".shards-*"))
    with pytest.raises(ChildProcessError):  # every task's process was waited for
        os.waitpid(-1, os.WNOHANG)


def test_jobs_option_is_checked():
    res = subprocess.run([JACVIZ, "render", "two-way", "--jobs", "0"], capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr == "error: --jobs 0 must be a whole number from 1 to 64\n"


def test_one_process_does_no_work_its_shards_skip(tmp_path, monkeypatch):
    """Issue 23: a one-process render hashed everything on screen before every play (manim's
    partial-movie cache: 40 % of its CPU), which no shard does.  Now it names each play's
    movie by its number, as the shards do, and hashes nothing."""
    import manim.renderer.cairo_renderer as cairo_renderer

    from jacviz.studio.dry_run import prepare_tex
    from jacviz.studio.render import render as render_request
    from jacviz.studio.request import RenderRequest

    hashed = []
    real = cairo_renderer.get_hash_from_play_call
    monkeypatch.setattr(cairo_renderer, "get_hash_from_play_call",
                        lambda *args: hashed.append(1) or real(*args))
    monkeypatch.chdir(tmp_path)
    request = RenderRequest("jacobian-grid", resolution=(160, 90), fps=3, out=tmp_path / "one.mp4",
                            media_dir=tmp_path / "media")
    plays = len(prepare_tex(registry.scene_class("jacobian-grid"), request.params,
                            fps=request.frame_rate).durations)
    assert render_request(request)[-1] == tmp_path / "one.mp4"
    assert hashed == []
    movies = sorted(p.name for p in (tmp_path / "media").rglob("partial_movie_files/*/*.mp4"))
    assert plays > 5 and movies == [f"uncached_{k:05d}.mp4" for k in range(plays)]


def test_the_scene_twice_as_long_plays_every_beat_twice():
    """The bench's cost_growth renders a scene with its beats played twice over: every play
    again, after one fade that clears the screen."""
    from jacviz.studio.bench import repeated_scene
    from jacviz.studio.dry_run import prepare_tex

    cls = registry.scene_class("jacobian-grid")
    once = prepare_tex(repeated_scene(cls, 1), cls.Params()).durations
    twice = prepare_tex(repeated_scene(cls, 2), cls.Params()).durations
    assert len(once) > 5 and twice == once + [0.5] + once


# -- identical clips ----------------------------------------------------------------------
@pytest.mark.parametrize("scene", registry.names())
def test_sharded_clip_is_identical_to_one_process(scene, tmp_path):
    one, a = logged_render(tmp_path, scene, tmp_path / "one.mp4", "--jobs", "1")
    two, b = logged_render(tmp_path, scene, tmp_path / "two.mp4", "--jobs", "2")
    assert_same_clip(one, a, two, b)
    assert one.with_suffix(".srt").read_text() == two.with_suffix(".srt").read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == \
        ["one.json", "one.mp4", "one.srt", "two.json", "two.mp4", "two.srt"]
    assert len(list((tmp_path / "two-frames").glob("frames-*.txt"))) == 2  # two shards drew


# -- a Dask cluster -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two worker processes that log the frames they draw (into cluster.frame_log)."""
    import dask
    from distributed import LocalCluster

    log = tmp_path_factory.mktemp("cluster-frames")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                         env={"JACVIZ_FRAME_LOG": str(log)})
    c.frame_log = log
    yield c
    c.close()


def test_cluster_render_is_identical_to_a_local_one(cluster, tmp_path):
    local, a = logged_render(tmp_path, "two-way", tmp_path / "local.mp4", "--jobs", "1")
    for old in cluster.frame_log.glob("frames-*.txt"):
        old.unlink()
    remote = render(tmp_path, "two-way", tmp_path / "remote.mp4", "--scheduler",
                    cluster.scheduler_address)
    assert len(list(cluster.frame_log.glob("frames-*.txt"))) >= 2  # shards drew on the workers
    assert_same_clip(local, a, remote, read_frame_log(cluster.frame_log))
    assert local.with_suffix(".srt").read_text() == remote.with_suffix(".srt").read_text()


def run_failing(cwd, *args):
    res = subprocess.run([JACVIZ, "render", "jacobian-grid", *TINY, "--out", str(cwd / "x.mp4"),
                          *args], cwd=cwd, capture_output=True, text=True, timeout=WAIT)
    assert res.returncode == 2, res.stderr
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("error: "), res.stderr
    assert not (cwd / "x.mp4").exists() and not (cwd / "x.srt").exists()
    return res.stderr


def test_unreachable_scheduler(tmp_path):
    err = run_failing(tmp_path, "--scheduler", "tcp://127.0.0.1:9")
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err


def test_worker_without_tex(tmp_path):
    from distributed import LocalCluster

    bare = tmp_path / "bin"  # a PATH with python's folder and no latex
    bare.mkdir()
    env = {"PATH": f"{bare}{os.pathsep}{Path(sys.executable).parent}"}
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                      env=env) as c:
        err = run_failing(tmp_path, "--scheduler", c.scheduler_address)
    assert "has no latex or dvisvgm: install TeX" in err


def test_version_mismatch_is_refused():
    from jacviz.studio import cluster as cl

    class FakeClient:
        class scheduler:
            address = "tcp://fake:8786"

        def run(self, fn):
            mine = fn()
            return {"tcp://w1:1": mine, "tcp://w2:2": dict(mine, jacviz="0.0.9")}

    with pytest.raises(JacvizError, match="worker tcp://w2:2 has jacviz 0.0.9.*same version"):
        cl.check_workers(FakeClient())


def kill_tagged(token: str) -> None:
    """Kill every process whose environment carries ``token``."""
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and token.encode() in Path(f"/proc/{entry}/environ").read_bytes():
                os.kill(int(entry), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


def test_worker_lost_mid_render(tmp_path):
    import dask
    from distributed import Client, LocalCluster

    fifo = tmp_path / "stages"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    token = f"worker-lost-{os.getpid()}-{time.monotonic_ns()}"
    env = {"JACVIZ_STAGE_LOG": str(fifo), "JACVIZ_HOLD_AT": "frames", "JACVIZ_TEST_TOKEN": token}
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                         dashboard_address=":0", env=env) as c, Client(c) as client:
        proc = subprocess.Popen([JACVIZ, "render", "jacobian-grid", *TINY, "--out",
                                 str(tmp_path / "x.mp4"), "--scheduler", c.scheduler_address],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        held, buf, deadline = [], b"", time.monotonic() + WAIT
        while not held:  # a shard is drawing frames on a worker, held there
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
            ready, _, _ = select.select([fd], [], [], 5.0)
            if ready:
                buf += os.read(fd, 65536)
                held = [int(line.split()[1]) for line in buf.decode().splitlines()
                        if line.startswith("frames ")]
        worker_pids = client.run(os.getpid)
        shard_parent = {int(Path(f"/proc/{held[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])}
        for addr, pid in worker_pids.items():
            if pid in shard_parent:
                os.kill(pid, signal.SIGKILL)  # the worker rendering that shard is lost
        out, err = proc.communicate(timeout=WAIT)
    kill_tagged(token)  # the shard processes the workers started, held and orphaned
    os.close(fd)
    assert proc.returncode == 2, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert "worker was lost" in err
    assert not (tmp_path / "x.mp4").exists()


def test_a_lesson_from_one_queue_is_identical(tmp_path):
    """`jacviz render A B --jobs 2` (what `make render` runs): plans and shards of both clips
    from one queue; each clip identical to its one-process render."""
    many, one = tmp_path / "many", tmp_path / "one"
    many.mkdir(), one.mkdir()
    scenes = ["jacobian-grid", "composition"]
    for cwd, jobs in ((many, "2"), (one, "1")):
        (cwd / "frames").mkdir()
        res = subprocess.run([JACVIZ, "render", *scenes, *TINY, "--jobs", jobs], cwd=cwd,
                             capture_output=True, text=True, timeout=WAIT,
                             env=dict(os.environ, JACVIZ_FRAME_LOG=str(cwd / "frames")))
        assert res.returncode == 0, res.stderr[-3000:]
    for s in scenes:
        a, b = many / "renders" / f"{s}.mp4", one / "renders" / f"{s}.mp4"
        name = registry.scene_class(s).__name__
        assert_same_clip(a, read_frame_log(many / "frames", name), b,
                         read_frame_log(one / "frames", name))
        assert a.with_suffix(".srt").read_text() == b.with_suffix(".srt").read_text()

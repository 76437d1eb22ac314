"""Where a render's CPU goes, play by play (issue 23: one process against its shards).

Renders one scene several times, alternating the arms (A B A B ...), each render
in a fresh child process timed with ``os.wait4`` (user + sys of the child and of
every process it forked and reaped: the shards).  Inside every rendering process
(the one-process render, and each forked shard) every play is measured:

- ``cpu``: the process's CPU time (all its threads: drawing, the encoder thread,
  libx264's threads) from the end of the previous play to the end of this one (the
  scene's own code between plays included), and ``main`` the main thread's share;
- ``hash``: CPU in manim's ``get_hash_from_play_call`` (the partial-movie cache key);
- ``gc``: CPU in the garbage collector, per generation;
- ``rss`` (MiB), the mobjects on screen (``family``: with their submobjects), and
  the frames the play wrote.

    .venv/bin/python tools/cpu_per_play.py path-sums --arms jobs1 jobs2 --repeat 3 \\
        --resolution 320,180 --out renders/cpu/path-sums.json

Arms: ``jobs1`` / ``jobs2`` (``--jobs`` of ``jacviz render``), with options joined
by ``+``: ``+cache`` (manim's partial-movie cache on: its default, what the
one-process path used before issue 23), ``+nocache`` (off), ``+freeze``
(``gc.freeze()`` before the render, as a forked child's heap is old), ``+gcoff``,
``+x2`` (the scene's beats played twice, as the bench row ``cost_growth`` does).
Prints a summary; ``--out`` keeps every play's record (JSON), and ``--table FILE.json``
prints the per-play figures of such a file (medians over the runs of each arm).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _probe(records: Path) -> None:
    """Measure every play of every rendering process (this one and its forks)."""
    import manim.renderer.cairo_renderer as cr
    from manim import Scene, config

    state = {"hash": 0.0, "gc": [0.0, 0.0, 0.0], "gc_start": None, "pid": None}

    def reset():
        state.update(hash=0.0, gc=[0.0, 0.0, 0.0], pid=os.getpid(),
                     last=(time.process_time(), time.thread_time()))

    def on_gc(phase, info):
        if phase == "start":
            state["gc_start"] = time.thread_time()
        elif state["gc_start"] is not None:
            state["gc"][info["generation"]] += time.thread_time() - state["gc_start"]
            state["gc_start"] = None

    gc.callbacks.append(on_gc)
    hash_fn = cr.get_hash_from_play_call

    def timed_hash(*args, **kwargs):
        t0 = time.thread_time()
        try:
            return hash_fn(*args, **kwargs)
        finally:
            state["hash"] += time.thread_time() - t0

    cr.get_hash_from_play_call = timed_hash
    play = Scene.play

    def measured_play(scene, *args, **kwargs):
        if state["pid"] != os.getpid():  # first play of this process (a fork starts afresh)
            reset()
        renderer = scene.renderer
        index = renderer.num_plays
        t_before = renderer.time
        play(scene, *args, **kwargs)
        cpu, main = time.process_time(), time.thread_time()
        skipped = bool(renderer.skip_animations)
        frames = 0 if skipped else round((renderer.time - t_before) * config.frame_rate)
        family = sum(len(m.get_family()) for m in scene.mobjects)
        rec = {"pid": os.getpid(), "shard": getattr(scene, "shard_of", None), "play": index,
               "skipped": skipped, "frames": frames, "cpu": cpu - state["last"][0],
               "main": main - state["last"][1], "hash": state["hash"], "gc": list(state["gc"]),
               "rss": _rss_mib(), "mobjects": len(scene.mobjects), "family": family}
        state.update(hash=0.0, gc=[0.0, 0.0, 0.0], last=(time.process_time(), time.thread_time()))
        with open(records / f"plays-{os.getpid()}.jsonl", "a") as fh:
            fh.write(json.dumps(rec) + "\n")

    Scene.play = measured_play


def child(args) -> int:
    """One render, measured (runs in a fresh process)."""
    from jacviz.studio import registry
    from jacviz.studio.render import render
    from jacviz.studio.request import RenderRequest

    arm = args.arm.split("+")
    jobs = int(arm[0].removeprefix("jobs"))
    records = Path(args.records)
    records.mkdir(parents=True, exist_ok=True)
    _probe(records)
    registry.scene_class(args.scene)  # imported before the clock starts, as in every arm
    extra = {}
    if "cache" in arm:
        extra["disable_caching"] = False
    if "nocache" in arm:
        extra["disable_caching"] = True
    if "freeze" in arm:
        gc.freeze()
    if "gcoff" in arm:
        gc.disable()
    if "x2" in arm:  # the scene's beats played twice (as the bench's cost_growth renders it)
        from jacviz.studio.bench import repeated_scene

        cls = repeated_scene(registry.scene_class(args.scene), 2)
        registry.scene_class = lambda _name: cls
    req = RenderRequest(args.scene, jobs=jobs, out=Path(args.work) / "clip.mp4",
                        media_dir=Path(args.work) / "media",
                        resolution=tuple(args.resolution) if args.resolution else None,
                        fps=args.fps, extra=extra)
    render(req)
    return 0


def run_arm(args, arm: str, k: int, tmp: Path) -> dict:
    """Render once in a fresh child; its CPU (and its shards') from ``os.wait4``."""
    work = tmp / f"{arm}-{k}"
    records = work / "plays"
    cmd = [sys.executable, __file__, "--child", "--arm", arm, "--records", str(records),
           "--work", str(work), args.scene]
    if args.resolution:
        cmd += ["--resolution", ",".join(map(str, args.resolution))]
    if args.fps:
        cmd += ["--fps", str(args.fps)]
    t0 = time.perf_counter()
    pid = os.spawnv(os.P_NOWAIT, sys.executable, cmd)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"error: the {arm} render failed (exit {status})")
    plays = []
    for f in sorted(records.glob("plays-*.jsonl")):
        plays += [json.loads(line) for line in f.read_text().splitlines()]
    return {"arm": arm, "run": k, "user": ru.ru_utime, "sys": ru.ru_stime,
            "cpu": ru.ru_utime + ru.ru_stime, "wall": wall, "maxrss_mib": ru.ru_maxrss / 1024,
            "plays": plays}


def summary(runs: list[dict]) -> str:
    lines = []
    arms = list(dict.fromkeys(r["arm"] for r in runs))
    for arm in arms:
        rs = [r for r in runs if r["arm"] == arm]
        cpu = [r["cpu"] for r in rs]
        lines.append(f"{arm:<16} CPU {statistics.median(cpu):7.2f} s (runs: "
                     f"{', '.join(f'{c:.2f}' for c in cpu)}), wall "
                     f"{statistics.median(r['wall'] for r in rs):6.2f} s, "
                     f"max RSS {max(r['maxrss_mib'] for r in rs):.0f} MiB")
        rendered = [p for r in rs for p in r["plays"] if not p["skipped"]]
        played = [p for r in rs for p in r["plays"]]
        n = len(rs)
        lines.append(f"{'':<16} per run: in plays {sum(p['cpu'] for p in played) / n:.2f} s, "
                     f"hashing {sum(p['hash'] for p in played) / n:.2f} s, gc "
                     + "/".join(f"{sum(p['gc'][g] for p in played) / n:.2f}" for g in range(3))
                     + f" s (gen 0/1/2), frames {sum(p['frames'] for p in rendered) / n:.0f}")
    return "\n".join(lines)


def _role(play: dict) -> str:
    return {None: "one", -1: "driver"}.get(play["shard"], f"shard{play['shard']}")


def table(runs: list[dict]) -> str:
    """Per play, per arm and process (the one process; in a sharded render the driver's pass,
    which skips, and each shard): medians over the runs."""
    groups: dict = {}
    for r in runs:
        for p in r["plays"]:
            groups.setdefault((r["arm"], _role(p)), {}).setdefault(p["play"], []).append(p)
    out = []
    med = statistics.median
    for (arm, role), plays in groups.items():
        out.append(f"\n{arm}, {role}: play frames cpu_ms ms_per_frame hash_ms gc_ms "
                   f"other_threads_ms rss_mib family")
        for k in sorted(plays):
            ps = plays[k]
            fr = med(p["frames"] for p in ps)
            cpu = med(p["cpu"] for p in ps) * 1000
            out.append(f"  {k:4d} {fr:4.0f} {cpu:7.0f} {cpu / fr if fr else 0:7.1f} "
                       f"{med(p['hash'] for p in ps) * 1000:7.0f} "
                       f"{med(sum(p['gc']) for p in ps) * 1000:6.0f} "
                       f"{med(p['cpu'] - p['main'] for p in ps) * 1000:6.0f} "
                       f"{med(p['rss'] for p in ps):6.0f} {med(p['family'] for p in ps):5.0f}")
        rows = sorted(plays)
        for a in range(0, len(rows), 10):
            chunk = [p for k in rows[a:a + 10] for p in plays[k]]
            fr = sum(p["frames"] for p in chunk)
            out.append(f"  plays {rows[a]}-{rows[min(a + 9, len(rows) - 1)]}: "
                       f"{sum(p['cpu'] for p in chunk) / len(chunk) * 1000:.0f} ms per play"
                       + (f", {sum(p['cpu'] for p in chunk) / fr * 1000:.1f} ms per frame"
                          if fr else "") + f", RSS {max(p['rss'] for p in chunk):.0f} MiB")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scene", nargs="?")
    ap.add_argument("--arms", nargs="+", default=["jobs1", "jobs2"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--resolution", type=lambda s: [int(v) for v in s.split(",")])
    ap.add_argument("--fps", type=float)
    ap.add_argument("--out")
    ap.add_argument("--table", metavar="FILE.json", help="print the per-play figures of --out")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--arm", help=argparse.SUPPRESS)
    ap.add_argument("--records", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    if args.table:
        print(table(json.loads(Path(args.table).read_text())))
        return 0
    runs = []
    with tempfile.TemporaryDirectory(prefix="cpu-per-play-") as tmp:
        # TeX compiled once, before any arm is timed
        run_arm(args, args.arms[0], -1, Path(tmp))
        for k in range(args.repeat):
            for arm in args.arms:  # side by side: A B A B ...
                r = run_arm(args, arm, k, Path(tmp))
                print(f"run {k} {arm:<16} CPU {r['cpu']:.2f} s (user {r['user']:.2f}, sys "
                      f"{r['sys']:.2f}), wall {r['wall']:.2f} s", flush=True)
                runs.append(r)
    print(summary(runs))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The ``jacviz`` command line.

Bad input of any kind: one line on stderr starting ``error:``, exit status 2,
no traceback, nothing on stdout, no file written.
"""

from __future__ import annotations

import argparse
import os
import sys

from .core import signals
from .core.errors import JacvizError, quote


class UsageError(JacvizError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(f"{message} (see: {self.prog} --help)")


def _fmt(v: float) -> str:
    from .core.fmt import fmt_num

    return fmt_num(v, digits=6)


def _fmt_vec(v) -> str:
    import numpy as np

    return "(" + ", ".join(_fmt(x) for x in np.ravel(v)) + ")"


def _matrix_lines(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    return ["[ " + "  ".join(c.rjust(w) for c, w in zip(r, widths)) + " ]" for r in rows]


def _side_by_side(left: list[str], right: list[str], gap: str = "   ") -> list[str]:
    h = max(len(left), len(right))
    wl = max(len(s) for s in left)
    left = left + [""] * (h - len(left))
    right = right + [""] * (h - len(right))
    return [a.ljust(wl) + gap + b for a, b in zip(left, right)]


def _report(trace) -> str:
    import sympy

    chain = trace.chain
    lines = []
    names = chain.space_names
    lines.append("spaces: " + " -> ".join(f"R^{d}" for d in chain.dims))
    for k, (mp, Js, J) in enumerate(zip(chain.maps, trace.jacobians_symbolic, trace.jacobians)):
        m, n = mp.shape
        lines.append("")
        lines.append(f"stage {k + 1}: {mp.name}: {mp.text}")
        lines.append(f"  D{mp.name} is {m} x {n} (rows: outputs, columns: {', '.join(mp.input_names)})")
        sym = _matrix_lines([[sympy.sstr(e) for e in row] for row in Js.tolist()])
        num = _matrix_lines([[_fmt(e) for e in row] for row in J.tolist()])
        at = _fmt_vec(trace.points[k])
        header = [f"  symbolic", *("  " + s for s in sym)]
        header2 = [f"at {at}", *num]
        lines += _side_by_side(header, header2, gap="      ")
    lines.append("")
    p, n = trace.jacobian.shape
    lines.append(f"total Jacobian D({' o '.join(mp.name for mp in reversed(chain.maps))}) is {p} x {n}:")
    lines += ["  " + s for s in _matrix_lines([[_fmt(e) for e in row] for row in trace.jacobian.tolist()])]
    lines.append("")
    lines.append("points:       " + "  ->  ".join(_fmt_vec(p) for p in trace.points))
    lines.append("pushforward:  " + "  ->  ".join(_fmt_vec(v) for v in trace.pushforward)
                 + "   (dx, then J dx stage by stage)")
    lines.append("pullback:     " + "  <-  ".join(_fmt_vec(v) for v in trace.pullback)
                 + "   (J^T g stage by stage, from the given gradient)")
    fwd, bwd = trace.duality["forward"], trace.duality["backward"]
    ok = abs(fwd - bwd) <= 1e-9 * max(1.0, abs(fwd), abs(bwd))
    lines.append(f"duality:      <grad, dy> = {_fmt(fwd)}   <grad_x, dx> = {_fmt(bwd)}   "
                 + ("(equal)" if ok else "(NOT equal)"))
    return "\n".join(lines)


def cmd_check(args) -> int:
    if not args.map:
        raise UsageError("give at least one --map, e.g. --map \"(x1, x2) -> (x1**2 + x2, x1*x2)\"")
    import json

    import numpy as np

    from .core.maps import Chain, Map, _default_names, self_check
    from .core.parse import parse_vector

    names = _default_names(len(args.map))
    maps = [Map(text, name=nm) for text, nm in zip(args.map, names)]
    chain = Chain(maps)
    x0 = parse_vector(args.at, "--at", length=chain.n)
    dx = None if args.dx is None else parse_vector(args.dx, "--dx", length=chain.n)
    grad = None if args.grad is None else parse_vector(args.grad, "--grad", length=chain.m)
    self_check(chain, x0)
    trace = chain.trace(x0, dx, grad)
    for name, vecs in (("pushforward", trace.pushforward), ("pullback", trace.pullback)):
        for k, v in enumerate(vecs):
            if not np.all(np.isfinite(v)):
                raise JacvizError(f"the {name} arrow in space {k} is not finite")
    if args.json:
        print(json.dumps(trace.to_json()))
    else:
        print(_report(trace))
    return 0


def cmd_doctor(args) -> int:
    from .doctor import doctor

    return doctor()


def parse_sets(sets: list[str]) -> dict[str, str]:
    """``--set KEY=VALUE`` items as a dict."""
    out = {}
    for item in sets:
        if "=" not in item:
            raise JacvizError(f"--set {quote(item)} needs the form KEY=VALUE, e.g. --set point=1,2")
        key, value = item.split("=", 1)
        key = key.strip()
        if not key:
            raise JacvizError(f"--set {quote(item)} has no parameter name before '='")
        out[key] = value
    return out


def _studio():
    """The studio needs the render extra; refuse with one line when it is missing."""
    from .studio import require_render_extra

    require_render_extra()


def cmd_list(args) -> int:
    _studio()
    from .studio import registry

    names = registry.names()
    if args.names:
        print(" ".join(names))
        return 0
    width = max(len(n) for n in names)
    for name in names:
        print(f"{name:<{width}}  {registry.describe(name)}")
    return 0


def cmd_params(args) -> int:
    _studio()
    from .core.fmt import fmt_num
    from .studio import registry

    name = registry.resolve_name(args.scene)
    print(f"{name}: parameters (set with --set KEY=VALUE or a TOML config)")
    for p in registry.params_class(name).spec():
        default = p["default"]
        if p["kind"] == "maps":
            default = "; ".join(default) if default else "(none)"
        elif isinstance(default, tuple):
            default = ",".join(fmt_num(v, 6) if isinstance(v, float) else str(v) for v in default)
        elif isinstance(default, float):
            default = fmt_num(default, 6)
        print(f"  {p['name']}  ({p['kind']}, default: {default})")
        print(f"      {p['help']}")
    return 0


def parse_resolution(text: str) -> tuple[int, int]:
    parts = text.replace("x", ",").split(",")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise UsageError(f"--resolution {quote(text)} must be two whole numbers W,H, e.g. 1280,720") from None
    if not (16 <= w <= 7680 and 16 <= h <= 4320):
        raise UsageError(f"--resolution {w},{h} is out of range (16..7680 by 16..4320)")
    if w % 2 or h % 2:
        raise UsageError(f"--resolution {w},{h} must be even in both directions (video encoders need it)")
    return w, h


def parse_fps(text: str) -> float:
    from .core.parse import parse_number

    fps = parse_number(text, "--fps")
    if not 1 <= fps <= 120:
        raise UsageError(f"--fps {text} is out of range (1 to 120)")
    return fps


def _jobs(text) -> int:
    """--jobs: a whole number from 1 to 64 (default: the number of cores)."""
    import os

    if text is None:
        return os.cpu_count() or 1
    if not str(text).strip().isdigit() or not 1 <= int(text) <= 64:
        raise UsageError(f"--jobs {text} must be a whole number from 1 to 64")
    return int(text)


def _params_from_args(args, names):
    """Each scene's parameters from --config and --set, all validated before anything renders."""
    from .studio.config import load_toml
    from .studio.request import resolve_params

    sets = parse_sets(args.sets)
    config = load_toml(args.config) if args.config else None
    return [(n, resolve_params(n, sets, config)) for n in names]


def _rel(p) -> str:
    from pathlib import Path

    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def cmd_render(args) -> int:
    _studio()
    import time

    from .studio import registry
    from .studio.render import render
    from .studio.request import RenderRequest, format_of

    if args.all and args.scenes:
        raise UsageError("give scene names or --all, not both")
    names = registry.names() if args.all else [registry.resolve_name(n) for n in args.scenes]
    if not names:
        raise UsageError("name a scene to render, or --all (see: jacviz list)")
    format_of(args.format).check(args.transparent)
    if args.out and len(names) != 1:
        raise UsageError("--out needs exactly one scene")
    if args.voice is None and (args.script or args.fallback):
        raise UsageError(f"{'--script' if args.script else '--fallback'} narrates the clip: "
                         f"give --voice too, e.g. --voice piper")
    if args.voice is not None:
        _check_voice_options(args)
        if args.scheduler:
            raise UsageError("--voice renders on this machine (the narration's timing goes to "
                             "the render); drop --scheduler")
    resolution = parse_resolution(args.resolution) if args.resolution else None
    fps = parse_fps(args.fps) if args.fps is not None else None
    jobs = _jobs(args.jobs)
    requests = [RenderRequest(n, params, quality=args.quality, format=args.format,
                              transparent=args.transparent, resolution=resolution, fps=fps,
                              out=args.out, progress=not args.quiet, jobs=jobs,
                              scheduler=args.scheduler)
                for n, params in _params_from_args(args, names)]
    for req in requests:  # every target, before the first render
        if args.voice is not None:
            from .studio.narrated_clip import check

            check(req)
        req.output().check()
    if len(requests) > 1 and jobs > 1 and not args.scheduler and args.voice is None and \
            format_of(args.format).kind == "clip":
        from .studio.shard import render_many

        if not args.quiet:
            print(f"rendering {len(requests)} clips on {jobs} processes: "
                  f"{', '.join(r.scene for r in requests)}", flush=True)
        t0 = time.perf_counter()
        for paths in render_many(requests, jobs):
            if not args.quiet:
                print(f"  {_rel(paths[-1])}", flush=True)
        if not args.quiet:
            print(f"  done in {time.perf_counter() - t0:.1f} s", flush=True)
        return 0
    for req in requests:  # every request was checked before the first render
        if not args.quiet:
            print(f"rendering {req.scene} ({req.label}, {req.format}) -> "
                  f"{_rel(req.target)}", flush=True)
        t0 = time.perf_counter()
        if args.voice is not None:
            from .studio.narrated_clip import narrate_clip

            paths, fell_back = narrate_clip(req, args.voice, script=args.script,
                                            fallback=args.fallback, timeout=_timeout(args))
            if fell_back:
                print(f"no recording, spoken by --fallback {args.fallback}: "
                      f"{', '.join(fell_back)}", flush=True)
        else:
            paths = render(req)
        if not args.quiet:
            print(f"  done in {time.perf_counter() - t0:.1f} s: {_rel(paths[-1])}", flush=True)
    return 0


def _check_voice_options(args) -> None:
    if args.fallback and args.voice in ("piper", "espeak", "none"):
        raise UsageError(f"--fallback is for a folder of recordings, not --voice {args.voice}")


def _timeout(args):
    """--timeout as seconds (None: the voice's default)."""
    if getattr(args, "timeout", None) is None:
        return None
    from .core.parse import parse_number

    timeout = parse_number(args.timeout, "--timeout")
    if not timeout > 0:
        raise UsageError(f"--timeout {args.timeout} must be a positive number of seconds")
    return timeout


def cmd_lecture(args) -> int:
    _studio()
    import time
    from pathlib import Path

    from .studio import registry
    from .studio.lecture import LectureRequest, beats_of, build

    if args.scheduler:
        raise UsageError("--scheduler: a lecture renders on this machine (its narration timing "
                         "goes to each scene's render); render single clips with jacviz render "
                         "--scheduler")
    names = [registry.resolve_name(n) for n in args.scenes] or \
        [n for n in registry.names() if n != "practice"]
    if len(set(names)) != len(names):
        raise UsageError("a scene is named twice; a lecture has each scene once")
    resolution = parse_resolution(args.resolution) if args.resolution else None
    fps = parse_fps(args.fps) if args.fps is not None else None
    timeout = _timeout(args)
    _check_voice_options(args)
    card = {}
    if args.config:
        from .studio.config import load_toml

        card = load_toml(args.config).get("lecture", {})
    request = LectureRequest(
        _params_from_args(args, names), voice=args.voice, fallback=args.fallback,
        **card,
        script=Path(args.script) if args.script else None,
        out=Path(args.out) if args.out else None, force=args.force, quality=args.quality,
        resolution=resolution, fps=fps, progress=False,
        jobs=_jobs(args.jobs) if args.jobs is not None else 1,
        **({"timeout": timeout} if timeout is not None else {}),
        command=["jacviz", "lecture", *sys.argv[2:]] if sys.argv[1:2] == ["lecture"]
        else ["jacviz", "lecture", *names])
    if args.list_beats:
        for beat_id, text in beats_of(request):
            print(f"{beat_id}\t{text}")
        return 0
    from .core.fmt import plural

    say = (lambda *a: None) if args.quiet else (lambda m: print(m, flush=True))
    t0 = time.perf_counter()
    lecture = build(request, say=say)
    if lecture.fell_back:
        print(f"no recording, spoken by --fallback {args.fallback}: "
              f"{', '.join(lecture.fell_back)}", flush=True)
    if not args.quiet:
        print(f"lecture: {_rel(lecture.path / 'lecture.mp4')} ({lecture.duration:.1f} s, "
              f"{plural(len(lecture.chapters), 'chapter')}, {plural(len(lecture.beats), 'beat')}) in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    return 0


def cmd_slides(args) -> int:
    _studio()
    from .studio.slides import build

    resolution = parse_resolution(args.resolution) if args.resolution else None
    fps = parse_fps(args.fps) if args.fps is not None else None
    path = build(args.out, args.quality, args.scenes or None, progress=not args.quiet,
                 resolution=resolution, fps=fps, canvases=args.canvases, force=args.force)
    print(f"deck: {path / 'index.html'}\nhandout: {path / 'handout.pdf'}")
    return 0


def cmd_practice(args) -> int:
    _studio()
    from .studio.practice_set import build

    kinds = None
    if args.kinds is not None:
        kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
        if not kinds:
            raise UsageError("--kinds needs at least one kind, e.g. --kinds shape,pullback")
    resolution = parse_resolution(args.resolution) if args.resolution else None
    fps = parse_fps(args.fps) if args.fps is not None else None
    report = None if args.quiet else (lambda text: print(text, flush=True))
    paths = build(args.out, kinds, args.count, args.seed, args.quality, resolution, fps,
                  args.countdown, report, force=args.force)
    print(f"practice set: {_rel(paths['folder'])}\n"
          f"  clips: {len(paths['clips'])} in {_rel(paths['folder'] / 'clips')}\n"
          f"  deck: {_rel(paths['deck'])}\n  worksheet: {_rel(paths['worksheet'])}\n"
          f"  answer key: {_rel(paths['answers'])}\n  set: {_rel(paths['json'])}")
    return 0


def cmd_gallery(args) -> int:
    _studio()
    from .studio.gallery import build

    print(f"gallery: {build(args.renders, force=args.force)}")
    return 0


def cmd_bench(args) -> int:
    _studio()
    from .studio.bench import run

    return run(args.only, args.quick, args.results)


RENDER_FORMATS = ["mp4", "webm", "gif", "mov", "png"]  # checked against the studio's registry


def cmd_interactive(args) -> int:
    _studio()
    from .studio import registry
    from .studio.interactive import build

    name = registry.resolve_name(args.scene)
    ((_, params),) = _params_from_args(args, [name])
    print(f"page: {build(name, params, args.out)}")
    return 0


def cmd_preview(args) -> int:
    _studio()
    from .studio import preview, registry

    name = registry.resolve_name(args.scene)
    if args.out:  # before anything is drawn, and before --watch starts drawing
        preview.target(args.out, name).check()
    if args.watch:
        argv = ["preview", name, *[x for s in args.sets for x in ("--set", s)]]
        if args.config:
            argv += ["--config", args.config]
        if args.out:
            argv += ["--out", args.out]
        if args.check:
            argv += ["--check"]
        return preview.watch(argv, args.config, lambda: main(argv),
                             params=lambda: _params_from_args(args, [name]))
    key = preview.request_key(name, parse_sets(args.sets), args.config, check=args.check)
    problems = preview.cached_problems(key) if args.check else []
    path = None
    if problems is not None:  # the same values, config and code: no import at all
        path = preview.from_cache(key, args.out, name)
    if path is None:
        ((_, params),) = _params_from_args(args, [name])
        path = preview.storyboard(name, params, key, args.out, check=args.check)
        if args.check:
            path, problems = path
    print(f"storyboard: {_rel(path)}", flush=True)
    if not args.check:
        return 0
    for rec in problems:
        print(f"problem: {preview.problem_line(rec)}")
    print(f"layout check: {len(problems)} problem{'s' if len(problems) != 1 else ''}", flush=True)
    return 1 if problems else 0


FORCE_HELP = ("write into a folder that holds files jacviz did not make: they are kept, "
              "and one with the name of an output file is replaced")


def _parameter_options(p) -> None:
    """--set and --config: the same parameters, validation and errors for every scene command."""
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="sets",
                   help="override a parameter (repeatable)")
    p.add_argument("--config", metavar="FILE.toml", help="parameters from a TOML file")


def _size_options(p, quality_help: str | None = None) -> None:
    """-q, --fps and --resolution, as `jacviz render` takes them."""
    p.add_argument("-q", "--quality", default="l", choices=list("lmhpk"), help=quality_help)
    p.add_argument("--fps", metavar="N", help="frame rate override")
    p.add_argument("--resolution", metavar="W,H", help="pixel size override, e.g. 1280,720")


def _voice_options(p, default, what: str) -> None:
    p.add_argument("--voice", default=default, metavar="piper|espeak|none|FOLDER",
                   help=what + "who speaks: piper" + (" (default)" if default == "piper" else "")
                   + ", espeak, none (no audio) or a folder of recordings, one per beat "
                   "(<scene>.<beat>.wav; see jacviz lecture --list-beats)")
    p.add_argument("--fallback", choices=["piper", "espeak", "silence"],
                   help="what speaks a beat the folder of recordings lacks (default: an error)")
    p.add_argument("--script", metavar="FILE.toml", help="the narration, edited (see script.toml)")
    p.add_argument("--timeout", metavar="SECONDS",
                   help="time limit per beat for the speech engine (default 120)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jacviz", description="Jacobians and the chain rule, as numbers and as lecture clips.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    c = sub.add_parser("check", help="print the lesson's numbers for a chain of maps")
    c.add_argument("--map", action="append", metavar="MAP",
                   help='a stage, e.g. "(x1, x2) -> (x1**2 + x2, x1*x2)"; repeat in order of application')
    c.add_argument("--at", required=True, metavar="X0", help="the point, e.g. 1,2")
    c.add_argument("--dx", metavar="DX", help="the input arrow (default: the first input axis)")
    c.add_argument("--grad", metavar="G", help="the output gradient (default: all ones)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("doctor", help="list dependencies as found or missing")
    d.set_defaults(func=cmd_doctor)

    ls = sub.add_parser("list", help="list the scenes")
    ls.add_argument("--names", action="store_true", help="only the names, on one line")
    ls.set_defaults(func=cmd_list)

    pa = sub.add_parser("params", help="a scene's parameters, with type, default and help")
    pa.add_argument("scene")
    pa.set_defaults(func=cmd_params)

    r = sub.add_parser("render", help="render scenes into renders/")
    r.add_argument("scenes", nargs="*", metavar="SCENE")
    r.add_argument("--all", action="store_true", help="render every scene")
    _parameter_options(r)
    _size_options(r, "l=480p15, m=720p30, h=1080p60, p=1440p60, k=2160p60")
    r.add_argument("--out", metavar="PATH", help="output file (one scene only)")
    r.add_argument("--format", default="mp4", choices=RENDER_FORMATS,
                   help="clip format; png is the last frame (a poster or a still)")
    r.add_argument("--transparent", action="store_true",
                   help="alpha channel (webm VP9 with alpha, mov, gif or png)")
    r.add_argument("--jobs", metavar="N",
                   help="render each clip on N processes, in shards (default: the number of cores)")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="send the shards to a Dask scheduler, e.g. tcp://10.0.0.5:8786 (jacviz[cluster])")
    _voice_options(r, default=None, what="narrate the clip (an mp4 with sound; its .srt the "
                   "narration): ")
    r.add_argument("--quiet", action="store_true", help="no progress output")
    r.set_defaults(func=cmd_render)

    pv = sub.add_parser("preview", help="one PNG: the frame at the end of every beat, in seconds")
    pv.add_argument("scene", metavar="SCENE")
    _parameter_options(pv)
    pv.add_argument("--out", metavar="FILE.png", help="default: renders/<scene>[-<hash>]-storyboard.png")
    pv.add_argument("--watch", action="store_true",
                    help="draw it again whenever the config file or the sources change (Ctrl-C stops)")
    pv.add_argument("--check", action="store_true",
                    help="run the layout check on the storyboard: one line per problem (beat, rule, "
                         "what, where), a red box round each on the board; exit status 1 if any")
    pv.set_defaults(func=cmd_preview)

    it = sub.add_parser("interactive", help="one self-contained HTML page: the scene's live canvas")
    it.add_argument("scene", metavar="SCENE")
    _parameter_options(it)
    it.add_argument("--out", metavar="FILE.html", help="default: renders/<scene>[-<hash>].html")
    it.set_defaults(func=cmd_interactive)

    pr = sub.add_parser("practice", help="a set of exercises: clips, a deck with answer boxes, "
                        "worksheet and answer key PDFs, practice.json")
    pr.add_argument("--kinds", metavar="K,...", help="exercise kinds, comma-separated (default: all)")
    pr.add_argument("--count", type=int, default=8, metavar="N", help="how many exercises (default 8)")
    pr.add_argument("--seed", type=int, default=0, metavar="S",
                    help="which set (default 0: the lessons' own exercises first)")
    pr.add_argument("--out", metavar="DIR", help="default: renders/practice-<seed>")
    pr.add_argument("--force", action="store_true", help=FORCE_HELP)
    pr.add_argument("--countdown", type=int, default=10, metavar="SECONDS",
                    help="the pause card's countdown in each clip (default 10; 0: a short pause)")
    _size_options(pr)
    pr.add_argument("--quiet", action="store_true", help="no progress output")
    pr.set_defaults(func=cmd_practice)

    le = sub.add_parser("lecture", help="renders/lecture/: the lesson as one narrated video with "
                        "chapters, captions and transcript")
    le.add_argument("scenes", nargs="*", metavar="SCENE",
                    help="default: the lesson's scenes, in lesson order")
    _parameter_options(le)
    _size_options(le)
    _voice_options(le, default="piper", what="")
    le.add_argument("--out", metavar="DIR", help="default: renders/lecture")
    le.add_argument("--force", action="store_true", help=FORCE_HELP)
    le.add_argument("--list-beats", action="store_true",
                    help="print each beat's id and spoken text, and stop")
    le.add_argument("--jobs", metavar="N", help="processes per scene (forked shards; default 1)")
    le.add_argument("--scheduler", metavar="ADDRESS", help=argparse.SUPPRESS)
    le.add_argument("--quiet", action="store_true", help="no progress output")
    le.set_defaults(func=cmd_lecture)

    sl = sub.add_parser("slides", help="one reveal.js deck of the lesson and a PDF handout")
    sl.add_argument("scenes", nargs="*", metavar="SCENE", help="default: every scene, in lesson order")
    _size_options(sl)
    sl.add_argument("--out", metavar="DIR", help="default: renders/slides")
    sl.add_argument("--force", action="store_true", help=FORCE_HELP)
    sl.add_argument("--quiet", action="store_true")
    sl.add_argument("--canvases", action=argparse.BooleanOptionalAction, default=True,
                    help="a slide with the interactive canvas after each scene that has one "
                         "(default: on)")
    sl.set_defaults(func=cmd_slides)

    ga = sub.add_parser("gallery", help="renders/index.html: every clip with poster, captions, command")
    ga.add_argument("--renders", metavar="DIR", help="default: renders")
    ga.add_argument("--force", action="store_true",
                    help="replace an index.html that an earlier gallery did not write")
    ga.set_defaults(func=cmd_gallery)

    be = sub.add_parser("bench", help="speed as side-by-side ratios (make bench)")
    be.add_argument("--only", nargs="+",
                    choices=["core", "share", "preview", "watch", "shard", "copy", "overhead",
                             "make", "cpu", "lecture", "surface", "encode", "hd"],
                    help="measure only these parts")
    be.add_argument("--quick", action="store_true", help="fewer repeats, two scenes")
    be.add_argument("--results", metavar="FILE", help="default: bench/results.json")
    be.set_defaults(func=cmd_bench)
    return p


def _values_may_be_negative(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--at -1.2,0.5`` as the user typed it: argparse takes a value that starts
    with '-' (and is not a plain negative number) for an option, and refuses it.
    Every option that takes a value gets the next word, whatever it starts with."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    actions = list(parser._actions)
    if sub is not None:
        name = next((t for t in argv if t in sub.choices), None)
        if name is not None:
            actions += sub.choices[name]._actions
    takes_value = {opt for a in actions if a.option_strings and a.nargs is None
                   and not isinstance(a, (argparse._StoreConstAction, argparse._HelpAction,
                                          argparse._VersionAction, argparse._CountAction))
                   for opt in a.option_strings}
    known = {opt for a in actions for opt in a.option_strings}
    out, i = [], 0
    while i < len(argv):
        tok = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if tok in takes_value and nxt is not None and nxt.startswith("-") and nxt not in known \
                and nxt != "--":
            out.append(f"{tok}={nxt}" if tok.startswith("--") else tok + nxt)
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def main(argv=None) -> int:
    """The command line: the one place that parses arguments, prints and sets exit codes."""
    signals.install()  # first: Ctrl-C during the imports below must stop cleanly too
    from .core.limits import RECURSION_LIMIT  # sympy recurses per level of a map (200 allowed)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    try:
        signals.stage("startup")
        parser = build_parser()
        argv = list(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(_values_may_be_negative(parser, argv))
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except BaseException as exc:
        if signals.received() is not None:
            # whatever surfaced (an Interrupted, or a child's failure it caused)
            signals.kill_children()
            print("error: interrupted", file=sys.stderr)
            return signals.exit_status()
        if isinstance(exc, JacvizError):
            msg = " ".join(str(exc).split())
            print(f"error: {msg}", file=sys.stderr)
            return 2
        if isinstance(exc, BrokenPipeError):
            # the reader went away (`jacviz params two-way | head`): stop quietly, as a
            # Unix tool does; stdout points at nothing now, so Python's flush at exit is silent
            signals.kill_children()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 141  # 128 + SIGPIPE, what a shell reports for a command stopped by one
        raise


if __name__ == "__main__":
    sys.exit(main())

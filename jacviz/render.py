"""The render driver: the only core-side module that knows manim.

It resolves a scene's parameters (defaults, a TOML config, ``--set``),
validates them before anything is written, renders in-process with manim into
a private working directory under ``media/``, and moves the finished clip (and
its captions) into ``renders/`` atomically: a temporary name, then a rename.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import importlib
import json
import os
import shlex
import shutil
import sys
import time
from pathlib import Path

from .errors import JacvizError
from .params import load_toml
from .signals import stage

ROOT = Path(__file__).resolve().parent.parent  # the project (tools/, scenes/)


def workdir() -> Path:
    """Where clips (renders/) and manim's working files (media/) go: the current directory."""
    return Path.cwd()

QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "p": ("production_quality", "1440p60"),
    "k": ("fourk_quality", "2160p60"),
}


def source_digest() -> str:
    """A hash of the code that draws (scenes/ and jacviz/).

    manim's partial-movie cache is keyed on mobjects and animations, not on
    code that updaters run; keying the working directory on the source as
    well means a changed scene never reuses a stale piece of animation.
    """
    h = hashlib.sha256()
    for folder in ("scenes", "jacviz"):
        for path in sorted((ROOT / folder).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:10]


def work_dir(stem: str, quality: str, fmt: str) -> Path:
    """manim's working directory for one clip: kept between renders (its cache),
    private to the clip (parallel renders never share one), dropped when the code changes."""
    base = workdir() / "media"
    prefix = f"{stem}-{quality}-{fmt}-"
    current = base / f"{prefix}{source_digest()}"
    if base.is_dir():
        for old in base.glob(f"{prefix}*"):
            if old != current and old.is_dir() and len(old.name) == len(current.name):
                shutil.rmtree(old, ignore_errors=True)
    return current


_TEX_LOCK_INSTALLED = False
_TEX_LOCK_DEPTH = 0


@contextlib.contextmanager
def _tex_lock():
    """An exclusive lock on the shared Tex folder (re-entrant within a process)."""
    global _TEX_LOCK_DEPTH
    import fcntl

    from manim import config as mconfig

    if _TEX_LOCK_DEPTH:
        _TEX_LOCK_DEPTH += 1
        try:
            yield
        finally:
            _TEX_LOCK_DEPTH -= 1
        return
    # beside the folder, not in it: manim deletes every non-.svg/.tex file in
    # the Tex folder after a compile, and a deleted lock file locks nothing
    tex_dir = Path(mconfig.get_dir("tex_dir")).resolve()
    lock_path = tex_dir.parent / f".{tex_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        stage("tex-lock", str(lock_path))
        fcntl.flock(lock, fcntl.LOCK_EX)  # a signal interrupts the wait (its handler raises)
        _TEX_LOCK_DEPTH = 1
        try:
            yield
        finally:
            _TEX_LOCK_DEPTH = 0
            fcntl.flock(lock, fcntl.LOCK_UN)


def share_tex_cache() -> Path:
    """Compile each TeX snippet once for every render: one Tex folder in media/.

    Renders may run in parallel (make -j2) and share that folder, so the two
    steps that write into it hold an exclusive lock: compiling a snippet
    (.tex, .dvi, .svg) and reading its SVG (manim writes a temporary copy
    beside it).  No render ever reads another's half-written file.  Returns
    the folder, for ``config.tex_dir``.
    """
    global _TEX_LOCK_INSTALLED
    tex_dir = workdir() / "media" / "Tex"
    tex_dir.mkdir(parents=True, exist_ok=True)
    if not _TEX_LOCK_INSTALLED:
        import manim.mobject.text.tex_mobject as tex_mobject
        from manim.mobject.svg.svg_mobject import SVGMobject

        compile_svg = tex_mobject.tex_to_svg_file
        parse_svg = SVGMobject.generate_mobject

        def locked_compile(*args, **kwargs):
            with _tex_lock():
                stage("tex")
                return compile_svg(*args, **kwargs)

        def locked_parse(self, *args, **kwargs):
            with _tex_lock():
                return parse_svg(self, *args, **kwargs)

        tex_mobject.tex_to_svg_file = locked_compile
        SVGMobject.generate_mobject = locked_parse
        _TEX_LOCK_INSTALLED = True
    return tex_dir


def registry() -> dict:
    from scenes import SCENES

    return SCENES


def scene_names() -> list[str]:
    return list(registry())


def resolve_name(name: str) -> str:
    names = scene_names()
    if name in names:
        return name
    alt = name.replace("_", "-").lower()
    if alt in names:
        return alt
    hint = difflib.get_close_matches(alt, names, n=1, cutoff=0.0)
    did = f"; did you mean {hint[0]!r}?" if hint else ""
    raise JacvizError(f"unknown scene {name!r}{did} (see: jacviz list)")


def scene_class(name: str):
    module, cls, _ = registry()[resolve_name(name)]
    return getattr(importlib.import_module(module), cls)


def params_class(name: str):
    return scene_class(name).Params


def list_scenes() -> int:
    reg = registry()
    width = max(len(n) for n in reg)
    for name, (_, _, desc) in reg.items():
        print(f"{name:<{width}}  {desc}")
    return 0


def show_params(name: str) -> int:
    name = resolve_name(name)
    spec = params_class(name).spec()
    print(f"{name}: parameters (set with --set KEY=VALUE or a TOML config)")
    for p in spec:
        default = p["default"]
        if isinstance(default, tuple):
            default = ",".join(_short(v) for v in default)
        print(f"  {p['name']}  ({p['kind']}, default: {default})")
        print(f"      {p['help']}")
    return 0


def _short(v) -> str:
    from .fmt import fmt_num

    return fmt_num(v, 6) if isinstance(v, float) else str(v)


def parse_sets(sets: list[str]) -> dict[str, str]:
    out = {}
    for item in sets:
        if "=" not in item:
            raise JacvizError(f"--set {item!r} needs the form KEY=VALUE, e.g. --set point=1,2")
        key, value = item.split("=", 1)
        key = key.strip()
        if not key:
            raise JacvizError(f"--set {item!r} has no parameter name before '='")
        out[key] = value
    return out


def resolve_params(name: str, sets: dict | None = None, config: dict | None = None):
    """Defaults, then the config file's values, then --set, validated."""
    params = params_class(name)()
    if config:
        values = {k: v for k, v in config.items() if not isinstance(v, dict)}
        values.update(config.get(name, {}) if isinstance(config.get(name), dict) else {})
        if values:
            params = params.with_values(values, source="the config file")
    if sets:
        params = params.with_values(sets, source="--set")
    params.validate()
    return params


def output_path(name: str, params, ext: str = "mp4", out: str | None = None) -> Path:
    if out:
        return Path(out)
    digest = params.digest()
    stem = name if not digest else f"{name}-{digest}"
    return workdir() / "renders" / f"{stem}.{ext}"


FORMATS = ("mp4", "webm", "gif", "mov", "png")


def check_format(fmt: str, transparent: bool) -> None:
    """Refuse, before anything renders, a combination that cannot work."""
    if fmt not in FORMATS:
        raise JacvizError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if transparent and fmt == "mp4":
        raise JacvizError("an mp4 (H.264) clip has no alpha channel; for --transparent use "
                          "--format webm (VP9 with alpha) or --format mov")


def parse_resolution(text: str) -> tuple[int, int]:
    parts = text.replace("x", ",").split(",")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise JacvizError(f"--resolution {text!r} must be two whole numbers W,H, e.g. 1280,720") from None
    if not (16 <= w <= 7680 and 16 <= h <= 4320):
        raise JacvizError(f"--resolution {w},{h} is out of range (16..7680 by 16..4320)")
    if w % 2 or h % 2:
        raise JacvizError(f"--resolution {w},{h} must be even in both directions (video encoders need it)")
    return w, h


def render_scene(name: str, params=None, quality: str = "l", out: Path | None = None,
                 progress: bool = True, resolution: tuple[int, int] | None = None,
                 fps: float | None = None, media_dir: Path | None = None,
                 disable_caching: bool = False, fmt: str = "mp4",
                 transparent: bool = False) -> Path:
    """Render one scene and move the result into place. Returns its path.

    ``fmt`` is mp4, webm, gif, mov (clips, with an .srt of captions beside
    them) or png (the last frame, as a poster or a still).
    """
    from manim import tempconfig

    check_format(fmt, transparent)
    name = resolve_name(name)
    cls = scene_class(name)
    params = params if params is not None else cls.Params()
    target = Path(out) if out else output_path(name, params, ext=fmt)
    stem = target.stem
    work = Path(media_dir) if media_dir else work_dir(stem, quality, fmt)
    still = fmt == "png"
    opts = {
        "quality": QUALITIES[quality][0],
        "media_dir": str(work),
        "output_file": stem,
        "disable_caching": disable_caching,
        "progress_bar": "display" if progress and sys.stderr.isatty() else "none",
        "verbosity": "WARNING",
        "write_to_movie": not still,
        "save_last_frame": still,
        "format": None if still else fmt,
        "transparent": transparent,
        "tex_dir": str(share_tex_cache()),
    }
    if resolution:
        opts["pixel_width"], opts["pixel_height"] = int(resolution[0]), int(resolution[1])
    if fps:
        opts["frame_rate"] = float(fps)
    with tempconfig(opts):
        scene = cls(params=params, skip_animations=still)
        scene.render()
        writer = scene.renderer.file_writer
        if still:
            produced = Path(writer.image_file_path)
        elif fmt == "gif":
            produced = Path(writer.gif_file_path)
        else:
            produced = Path(writer.movie_file_path)
    if not produced.exists():
        raise JacvizError(f"manim wrote no {fmt} file for {name}")
    outputs: dict[Path, Path | str] = {}
    if not still:
        srt = Path(writer.movie_file_path).with_suffix(".srt")
        if srt.exists():
            outputs[target.with_suffix(".srt")] = srt
        outputs[target.with_suffix(".json")] = json.dumps(
            clip_metadata(name, params, quality, fmt, transparent, resolution, fps, out), indent=2)
    outputs[target] = produced  # last: the clip appears only once all is in place
    commit(outputs)
    return target


def commit(outputs: dict) -> None:
    """Put files in place all together, or not at all.

    ``outputs`` maps each destination to a source file (Path) or to text.
    Everything is first written beside its destination under a temporary
    name; then, with SIGINT and SIGTERM held back, every temporary file is
    renamed into place.  An interrupt before that leaves the previous outputs
    byte-identical and no temporary file behind.
    """
    from .signals import deferred, stage

    tmps: list[tuple[Path, Path]] = []
    try:
        for dst, src in outputs.items():
            dst = Path(dst)
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
            tmps.append((tmp, dst))
            if isinstance(src, Path):
                shutil.copyfile(src, tmp)
            else:
                tmp.write_text(src)
        stage("commit", str(tmps[-1][0]) if tmps else "")
        with deferred():
            for tmp, dst in tmps:
                os.replace(tmp, dst)
    finally:
        for tmp, _ in tmps:
            if tmp.exists():
                tmp.unlink()


def rerender_command(name: str, params, quality: str, fmt: str, transparent: bool,
                     resolution=None, fps=None, out=None) -> str:
    """The exact command line that renders this clip again."""
    parts = ["jacviz", "render", name]
    for key, value in params.changed().items():
        if isinstance(value, tuple):
            value = ",".join(_short(v) for v in value)
        parts += ["--set", f"{key}={value}"]
    if quality != "l":
        parts += ["-q", quality]
    if fmt != "mp4":
        parts += ["--format", fmt]
    if transparent:
        parts.append("--transparent")
    if resolution:
        parts += ["--resolution", f"{resolution[0]},{resolution[1]}"]
    if fps:
        parts += ["--fps", _short(float(fps))]
    if out:
        parts += ["--out", str(out)]
    return " ".join(shlex.quote(p) for p in parts)


def clip_metadata(name, params, quality, fmt, transparent, resolution, fps, out) -> dict:
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in params.as_dict().items()}
    return {
        "scene": name,
        "params": values,
        "changed": sorted(params.changed()),
        "quality": quality,
        "format": fmt,
        "transparent": transparent,
        "command": rerender_command(name, params, quality, fmt, transparent, resolution, fps,
                                    out if out and Path(out) != output_path(name, params, fmt) else None),
    }


def _atomic_write(dst: Path, text: str) -> None:
    commit({Path(dst): text})


def render_command(args) -> int:
    names = scene_names() if args.all else [resolve_name(n) for n in args.scenes]
    if not names:
        raise JacvizError("name a scene to render, or --all (see: jacviz list)")
    if args.all and args.scenes:
        raise JacvizError("give scene names or --all, not both")
    check_format(args.format, args.transparent)
    if args.out and len(names) != 1:
        raise JacvizError("--out needs exactly one scene")
    if args.out and not str(args.out).endswith("." + args.format):
        raise JacvizError(f"--out {args.out!r} must end in .{args.format} (the --format)")
    resolution = parse_resolution(args.resolution) if args.resolution else None
    fps = None
    if args.fps is not None:
        from .parse import parse_number

        fps = parse_number(args.fps, "--fps")
        if not 1 <= fps <= 120:
            raise JacvizError(f"--fps {args.fps} is out of range (1 to 120)")
    sets = parse_sets(args.sets)
    config = load_toml(args.config) if args.config else None
    # validate everything before rendering anything
    jobs = [(n, resolve_params(n, sets, config)) for n in names]
    for n, params in jobs:
        target = output_path(n, params, ext=args.format, out=args.out)
        if not args.quiet:
            print(f"rendering {n} ({QUALITIES[args.quality][1]}, {args.format}) -> {_rel(target)}",
                  flush=True)
        t0 = time.perf_counter()
        render_scene(n, params, quality=args.quality, out=target, progress=not args.quiet,
                     resolution=resolution, fps=fps, fmt=args.format, transparent=args.transparent)
        if not args.quiet:
            print(f"  done in {time.perf_counter() - t0:.1f} s: {_rel(target)}", flush=True)
    return 0


def _rel(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def keyframes(name: str, params=None, resolution: tuple[int, int] = (320, 180),
              work: Path | None = None) -> list[tuple[str, "object"]]:
    """The frame at the end of every beat, without encoding a movie.

    Animations are skipped to their end states, so this is fast; the graphical
    tests compare these frames with committed control data.
    """
    import tempfile

    from manim import tempconfig

    name = resolve_name(name)
    cls = scene_class(name)
    params = params if params is not None else cls.Params()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        opts = {
            "pixel_width": int(resolution[0]),
            "pixel_height": int(resolution[1]),
            "frame_rate": 5,
            "write_to_movie": False,
            "save_last_frame": False,
            "disable_caching": True,
            "media_dir": tmp,
            "tex_dir": str(share_tex_cache()),
            "progress_bar": "none",
            "verbosity": "WARNING",
        }
        with tempconfig(opts):
            scene = cls(params=params, skip_animations=True)
            scene.capture_keyframes = True
            scene.render()
    return scene.keyframes

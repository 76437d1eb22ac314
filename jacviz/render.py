"""The render driver: the only core-side module that knows manim.

It resolves a scene's parameters (defaults, a TOML config, ``--set``),
validates them before anything is written, renders in-process with manim into
a private working directory under ``media/``, and moves the finished clip (and
its captions) into ``renders/`` atomically: a temporary name, then a rename.
"""

from __future__ import annotations

import difflib
import importlib
import os
import shutil
import sys
import time
from pathlib import Path

from .errors import JacvizError
from .params import load_toml

ROOT = Path(__file__).resolve().parent.parent
QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "p": ("production_quality", "1440p60"),
    "k": ("fourk_quality", "2160p60"),
}


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
    return ROOT / "renders" / f"{stem}.{ext}"


def _atomic_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()


def render_scene(name: str, params=None, quality: str = "l", out: Path | None = None,
                 progress: bool = True, resolution: tuple[int, int] | None = None,
                 fps: float | None = None, media_dir: Path | None = None,
                 disable_caching: bool = False) -> Path:
    """Render one scene and move the clip into place. Returns the clip's path."""
    from manim import tempconfig

    name = resolve_name(name)
    cls = scene_class(name)
    params = params if params is not None else cls.Params()
    target = Path(out) if out else output_path(name, params)
    stem = target.stem
    work = Path(media_dir) if media_dir else ROOT / "media" / f"{stem}-{quality}"
    opts = {
        "quality": QUALITIES[quality][0],
        "media_dir": str(work),
        "output_file": stem,
        "disable_caching": disable_caching,
        "progress_bar": "display" if progress and sys.stderr.isatty() else "none",
        "verbosity": "WARNING",
        "write_to_movie": True,
        "format": None,
    }
    if resolution:
        opts["pixel_width"], opts["pixel_height"] = int(resolution[0]), int(resolution[1])
    if fps:
        opts["frame_rate"] = float(fps)
    with tempconfig(opts):
        scene = cls(params=params)
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    if not movie.exists():
        raise JacvizError(f"manim wrote no clip for {name}")
    _atomic_copy(movie, target)
    srt = movie.with_suffix(".srt")
    if srt.exists():
        _atomic_copy(srt, target.with_suffix(".srt"))
    return target


def render_command(args) -> int:
    names = scene_names() if args.all else [resolve_name(n) for n in args.scenes]
    if not names:
        raise JacvizError("name a scene to render, or --all (see: jacviz list)")
    if args.all and args.scenes:
        raise JacvizError("give scene names or --all, not both")
    if args.out and len(names) != 1:
        raise JacvizError("--out needs exactly one scene")
    if args.out and not str(args.out).endswith(".mp4"):
        raise JacvizError(f"--out {args.out!r} must end in .mp4")
    sets = parse_sets(args.sets)
    config = load_toml(args.config) if args.config else None
    # validate everything before rendering anything
    jobs = [(n, resolve_params(n, sets, config)) for n in names]
    for n, params in jobs:
        target = output_path(n, params, out=args.out)
        if not args.quiet:
            print(f"rendering {n} ({QUALITIES[args.quality][1]}) -> {_rel(target)}", flush=True)
        t0 = time.perf_counter()
        render_scene(n, params, quality=args.quality, out=target, progress=not args.quiet)
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
            "progress_bar": "none",
            "verbosity": "WARNING",
        }
        with tempconfig(opts):
            scene = cls(params=params, skip_animations=True)
            scene.capture_keyframes = True
            scene.render()
    return scene.keyframes

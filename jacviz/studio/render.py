"""The render driver: a plain request in, the paths of what it wrote out.

:func:`render` takes a :class:`RenderRequest` (scene, validated parameters,
quality, format, size), renders in-process with manim into a private working
directory under ``media/``, and commits the finished clip, its captions and
its metadata into place together (:func:`jacviz.studio.output.commit_files`):
temporary names, then renames.  The target is checked before anything renders
(:meth:`RenderRequest.output`, :mod:`jacviz.studio.output`).  The export formats are one registry, :data:`FORMATS`.  Nothing here
parses arguments or prints: that is the command line's job.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import JacvizError
from . import registry
from .output import FileTarget
from ..engine.params import resolve

from .sources import PACKAGE, source_digest  # noqa: F401  (re-exported)

QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "p": ("production_quality", "1440p60"),
    "k": ("fourk_quality", "2160p60"),
}


def workdir() -> Path:
    """Where clips (renders/) and manim's working files (media/) go: the current directory."""
    return Path.cwd()


# -- the export formats ------------------------------------------------------------------
@dataclass(frozen=True)
class Format:
    """One way out of jacviz.  ``kind`` is "clip" (a movie with captions and
    metadata), "still" (the last frame), "deck" or "page"; ``alpha`` whether it
    can carry transparency."""

    name: str
    kind: str
    description: str
    alpha: bool = False
    ext: str = ""

    def check(self, transparent: bool) -> None:
        if transparent and not self.alpha:
            alt = " or ".join(f"--format {f.name}" for f in FORMATS.values()
                              if f.alpha and f.kind == "clip")
            raise JacvizError(f"a {self.name} ({self.description}) has no alpha channel; for "
                              f"--transparent use {alt}")

    def manim_options(self, transparent: bool) -> dict:
        still = self.kind == "still"
        return {"write_to_movie": not still, "save_last_frame": still,
                "format": None if still else self.name, "transparent": transparent}

    def produced(self, writer) -> Path:
        """The file manim wrote for this format."""
        if self.kind == "still":
            return Path(writer.image_file_path)
        if self.name == "gif":
            return Path(writer.gif_file_path)
        return Path(writer.movie_file_path)


FORMATS = {f.name: f for f in (
    Format("mp4", "clip", "H.264 video", ext="mp4"),
    Format("webm", "clip", "VP9 video, with alpha", alpha=True, ext="webm"),
    Format("gif", "clip", "animated GIF", alpha=True, ext="gif"),
    Format("mov", "clip", "QuickTime video, with alpha", alpha=True, ext="mov"),
    Format("png", "still", "the last frame: a poster or a still", alpha=True, ext="png"),
    Format("slides", "deck", "a reveal.js deck of scenes, one slide per beat, and a PDF handout"),
    Format("gallery", "page", "renders/index.html: every clip with poster, captions, command"),
)}
RENDER_FORMATS = [f.name for f in FORMATS.values() if f.kind in ("clip", "still")]


def format_of(name: str) -> Format:
    if name not in FORMATS:
        raise JacvizError(f"unknown format {name!r}; choose one of {', '.join(RENDER_FORMATS)}")
    return FORMATS[name]


# -- requests --------------------------------------------------------------------------
@dataclass
class RenderRequest:
    """What to render.  ``params`` are validated parameters (defaults when None)."""

    scene: str
    params: object = None
    quality: str = "l"
    format: str = "mp4"
    transparent: bool = False
    resolution: tuple[int, int] | None = None
    fps: float | None = None
    out: Path | None = None
    media_dir: Path | None = None
    progress: bool = False
    #: manim's partial-movie cache stays off, as in every shard (issue 23): to name each play's
    #: movie it serialises every mobject on screen to JSON before the play (manim's
    #: ``get_hash_from_play_call``, about 1 ms per submobject per play), which was 40 % of a
    #: one-process render's CPU (path-sums at 480p15: 15.7 s of 39.2 s, and 2.4 s more of garbage
    #: collection), and grows with what is on screen.  It never paid off: rendering the very same
    #: clip again, every play a cache hit, cost as much CPU as rendering it without the cache.
    disable_caching: bool = True
    jobs: int = 1  # processes (shards) for one clip; see jacviz.studio.shard
    scheduler: str | None = None  # a Dask scheduler's address: the shards run there
    extra: dict = field(default_factory=dict)  # further manim config (tests, benchmarks)

    def __post_init__(self):
        self.scene = registry.resolve_name(self.scene)
        fmt = format_of(self.format)
        if fmt.kind not in ("clip", "still"):
            raise JacvizError(f"--format {self.format}: use `jacviz {self.format}` for that")
        fmt.check(self.transparent)
        if self.params is None:
            self.params = registry.params_class(self.scene)()
            self.params.validate()
        if self.out is not None:
            self.out = Path(self.out)
            if self.out.suffix != f".{fmt.ext}":
                raise JacvizError(f"--out {str(self.out)!r} must end in .{fmt.ext} (the --format)")

    @property
    def target(self) -> Path:
        return self.out if self.out is not None else output_path(self.scene, self.params, self.format)

    def output(self) -> FileTarget:
        """The output as a file target: the clip (or still), with a clip's captions and
        metadata beside it.  ``.check()`` it before rendering."""
        fmt = FORMATS[self.format]
        return FileTarget(self.target, option="--out" if self.out is not None else "",
                          exts=(f".{fmt.ext}",), why="the --format",
                          example=output_path(self.scene, self.params, self.format).name,
                          companions=(".srt", ".json") if fmt.kind == "clip" else ())


def resolve_params(scene: str, sets: dict | None = None, config: dict | None = None):
    """A scene's parameters: defaults, then a config file's values, then --set; validated once."""
    name = registry.resolve_name(scene)
    return resolve(registry.params_class(name), name, sets, config)


def output_path(name: str, params, fmt: str = "mp4") -> Path:
    """renders/<scene>.<ext>, or renders/<scene>-<hash of the changed parameters>.<ext>."""
    digest = params.digest()
    stem = name if not digest else f"{name}-{digest}"
    return workdir() / "renders" / f"{stem}.{FORMATS[fmt].ext}"


# -- working directories ------------------------------------------------------------------
def work_dir(stem: str, quality: str, fmt: str) -> Path:
    """manim's working directory for one clip (its partial movies): private to the clip
    (parallel renders never share one), dropped when the code changes."""
    base = workdir() / "media"
    prefix = f"{stem}-{quality}-{fmt}-"
    current = base / f"{prefix}{source_digest()}"
    if base.is_dir():
        for old in base.glob(f"{prefix}*"):
            if old != current and old.is_dir() and len(old.name) == len(current.name):
                shutil.rmtree(old, ignore_errors=True)
    return current


def manim_config(request: RenderRequest, media: Path, stem: str) -> dict:
    from ..engine.tex_cache import share_tex_cache

    opts = {
        "quality": QUALITIES[request.quality][0],
        "media_dir": str(media),
        "output_file": stem,
        "disable_caching": request.disable_caching,
        "progress_bar": "display" if request.progress and sys.stderr.isatty() else "none",
        "verbosity": "WARNING",
        "tex_dir": str(share_tex_cache()),
        **FORMATS[request.format].manim_options(request.transparent),
    }
    if request.resolution:
        opts["pixel_width"], opts["pixel_height"] = (int(v) for v in request.resolution)
    if request.fps:
        opts["frame_rate"] = float(request.fps)
    opts.update(request.extra)
    return opts


# -- rendering -------------------------------------------------------------------------
def prepare_tex(cls, params):
    """Compile, in one batch, the TeX snippets the scene needs that the cache lacks
    (a dry run of the scene finds them; see :func:`jacviz.engine.tex_cache.prepare`).
    Returns the :class:`~jacviz.engine.tex_cache.DryRun` (the plays' run times, for shards)."""
    import tempfile

    from manim import tempconfig

    from ..engine.tex_cache import prepare, share_tex_cache

    with tempfile.TemporaryDirectory() as tmp:
        opts = {"media_dir": tmp, "tex_dir": str(share_tex_cache()), "write_to_movie": False,
                "save_last_frame": False, "disable_caching": True, "progress_bar": "none",
                "verbosity": "ERROR"}
        with tempconfig(opts):
            def run():
                scene = cls(params=params, skip_animations=True)
                scene.render()
                return scene

            return prepare(run)


def render(request: RenderRequest) -> list[Path]:
    """Render one scene; returns the paths written (the clip last)."""
    from manim import tempconfig

    fmt = FORMATS[request.format]
    output = request.output()
    output.check()  # before any work: a bad target costs no render
    if fmt.kind == "clip" and (request.jobs > 1 or request.scheduler):
        from .shard import render_sharded

        return render_sharded(request, request.jobs, request.scheduler)
    cls = registry.scene_class(request.scene)
    target = request.target
    media = Path(request.media_dir) if request.media_dir else \
        work_dir(target.stem, request.quality, request.format)
    prepare_tex(cls, request.params)
    with tempconfig(manim_config(request, media, target.stem)):
        scene = cls(params=request.params, skip_animations=fmt.kind == "still")
        scene.render()
        writer = scene.renderer.file_writer
        produced = fmt.produced(writer)
        movie = Path(writer.movie_file_path) if fmt.kind == "clip" else None
    if not produced.exists():
        raise JacvizError(f"manim wrote no {fmt.name} file for {request.scene}")
    outputs: dict[Path, Path | str] = {}
    if fmt.kind == "clip":
        srt = movie.with_suffix(".srt")
        if srt.exists():
            outputs[target.with_suffix(".srt")] = srt
        outputs[target.with_suffix(".json")] = json.dumps(clip_metadata(request), indent=2)
    outputs[target] = produced  # last: the clip appears only once all is in place
    return output.commit(outputs)


def rerender_command(request: RenderRequest) -> str:
    """The exact command line that renders this clip again."""
    parts = ["jacviz", "render", request.scene]
    for key in request.params.changed():
        parts += ["--set", f"{key}={request.params.as_text(key)}"]
    if request.quality != "l":
        parts += ["-q", request.quality]
    if request.format != "mp4":
        parts += ["--format", request.format]
    if request.transparent:
        parts.append("--transparent")
    if request.resolution:
        parts += ["--resolution", f"{request.resolution[0]},{request.resolution[1]}"]
    if request.fps:
        from ..core.fmt import fmt_num

        parts += ["--fps", fmt_num(float(request.fps), 6)]
    if request.scheduler:
        parts += ["--scheduler", request.scheduler]
    if request.out is not None and request.out != output_path(request.scene, request.params,
                                                              request.format):
        parts += ["--out", str(request.out)]
    return " ".join(shlex.quote(p) for p in parts)


def clip_metadata(request: RenderRequest) -> dict:
    params = request.params
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in params.as_dict().items()}
    return {
        "scene": request.scene,
        "params": values,
        "changed": sorted(params.changed()),
        "quality": request.quality,
        "format": request.format,
        "transparent": request.transparent,
        "command": rerender_command(request),
    }


def keyframes(name: str, params=None, resolution: tuple[int, int] = (320, 180),
              work: Path | None = None, check_layout: bool = False, scene_cls=None):
    """The frame at the end of every beat, without encoding a movie.

    Animations are skipped to their end states, so this is fast; the graphical
    tests compare these frames with committed control data.  With
    ``check_layout`` the scene's layout problems are returned too:
    ``(frames, problems)``.
    """
    import tempfile

    from manim import tempconfig

    from ..engine.tex_cache import share_tex_cache

    cls = scene_cls or registry.scene_class(name)
    params = params if params is not None else cls.Params()
    prepare_tex(cls, params)
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
            scene.check_layout = check_layout
            scene.render()
    if check_layout:
        return scene.keyframes, scene.layout_problems
    return scene.keyframes

"""What a render is: the request, its formats and qualities, manim's configuration for it,
and where its output goes.

Every way of rendering a clip uses this module and nothing from another: the
single-process path and the dispatcher (:mod:`jacviz.studio.render`), the local
shards (:mod:`jacviz.studio.shard`) and the cluster (:mod:`jacviz.studio.cluster`).
Module-level imports point one way: request <- dry_run <- shard <- cluster <- render.

- :class:`RenderRequest`: scene, validated parameters, quality, format, size;
  :meth:`RenderRequest.spec` / :meth:`RenderRequest.from_spec` its plain-data form
  (parameters as typed), for a process that does not share this one's memory;
- :data:`FORMATS` (the ways out of jacviz) and :data:`QUALITIES` (manim's qualities,
  with their size and frame rate: the one table);
- :func:`manim_config`: the one manim configuration, for a request
  (:meth:`RenderRequest.manim_config`) or for a run that writes nothing;
- :func:`output_path`, :func:`work_dir`: where a clip goes and where manim works on it;
- :func:`commit`: a finished clip, its captions and metadata (:func:`clip_metadata`,
  with :func:`rerender_command`) put in place together.

Nothing here imports manim, parses arguments or prints.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..core.errors import JacvizError
from ..core.fmt import fmt_num
from ..engine.params import resolve
from ..engine.tex_cache import share_tex_cache
from . import registry
from .output import FileTarget
from .sources import source_digest


def workdir() -> Path:
    """Where clips (renders/) and manim's working files (media/) go: the current directory."""
    return Path.cwd()


# -- qualities --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quality:
    """One of manim's qualities (``-q l``): manim's name for it, its size and frame rate."""

    manim: str
    width: int
    height: int
    fps: int

    @property
    def label(self) -> str:
        return f"{self.height}p{self.fps}"


QUALITIES = {
    "l": Quality("low_quality", 854, 480, 15),
    "m": Quality("medium_quality", 1280, 720, 30),
    "h": Quality("high_quality", 1920, 1080, 60),
    "p": Quality("production_quality", 2560, 1440, 60),
    "k": Quality("fourk_quality", 3840, 2160, 60),
}


# -- the export formats -----------------------------------------------------------------------
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


# -- manim's configuration --------------------------------------------------------------------
#: plays whose partial movies manim encodes while the next play draws (issue 20): encoding
#: beside drawing.  The frames handed to the encoders are the same (the frame-log tests), and
#: an interrupted render leaves nothing (the interrupt tests); jacobian-grid at 1080p60 took
#: 0.89 of the serial time in one measurement on a loaded machine (make bench: encode_overlap).
ENCODERS = 4


def manim_config(media: Path, *, quality: str | None = None, resolution=None, fps=None,
                 progress: bool = False, **settings) -> dict:
    """The one manim configuration of jacviz, for ``manim.tempconfig``.

    manim's files go into ``media``, TeX comes from the shared cache, warnings only, a
    progress bar only when asked for and on a terminal; the size and frame rate of
    ``quality`` (a key of :data:`QUALITIES`), then ``resolution`` and ``fps`` over them;
    then ``settings`` (manim's own names) as given.  Without a quality nor a size, manim's
    current ones stay (the dry run that gathers TeX draws nothing)."""
    opts = {"quality": QUALITIES[quality].manim} if quality else {}  # first: a size overrides it
    opts.update(media_dir=str(media), tex_dir=str(share_tex_cache()), verbosity="WARNING",
                progress_bar="display" if progress and sys.stderr.isatty() else "none",
                max_inflight_encoders=ENCODERS)
    if resolution:
        opts["pixel_width"], opts["pixel_height"] = (int(v) for v in resolution)
    if fps:
        opts["frame_rate"] = float(fps)
    opts.update(settings)
    return opts


# -- requests ---------------------------------------------------------------------------------
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
    #: the scene's TeX was just prepared in this process by a dry run with these parameters
    #: (the lecture's script): the render skips its own (one process only)
    tex_ready: bool = False
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

    @property
    def frame_rate(self) -> float:
        """Frames per second: ``fps``, else the quality's."""
        return self.fps or QUALITIES[self.quality].fps

    @property
    def label(self) -> str:
        """The size and rate as rendered: ``480p15``, or ``256x144 at 5 fps`` when given."""
        q = QUALITIES[self.quality]
        if not self.resolution and not self.fps:
            return q.label
        w, h = self.resolution or (q.width, q.height)
        return f"{w}x{h} at {self.frame_rate:g} fps"

    def output(self) -> FileTarget:
        """The output as a file target: the clip (or still), with a clip's captions and
        metadata beside it.  ``.check()`` it before rendering."""
        fmt = FORMATS[self.format]
        return FileTarget(self.target, option="--out" if self.out is not None else "",
                          exts=(f".{fmt.ext}",), why="the --format",
                          example=output_path(self.scene, self.params, self.format).name,
                          companions=(".srt", ".json") if fmt.kind == "clip" else ())

    def media(self) -> Path:
        """manim's working folder for this clip: ``media_dir``, else :func:`work_dir`."""
        if self.media_dir:
            return Path(self.media_dir)
        return work_dir(self.target.stem, self.quality, self.format)

    def manim_config(self, media: Path, stem: str, **settings) -> dict:
        """:func:`manim_config` for this request: its quality, size, format and
        ``extra``, the output named ``stem``; then ``settings``."""
        opts = manim_config(media, quality=self.quality, resolution=self.resolution, fps=self.fps,
                            progress=self.progress, output_file=stem,
                            disable_caching=self.disable_caching,
                            **FORMATS[self.format].manim_options(self.transparent))
        opts.update(self.extra)
        opts.update(settings)
        return opts

    # -- as plain data, for another process or machine ----------------------------------------
    def spec(self) -> dict:
        """The request as JSON-able data, the parameters as typed (``--set`` text)."""
        return {
            "scene": self.scene,
            "sets": {k: self.params.as_text(k) for k in self.params.changed()},
            "quality": self.quality, "format": self.format, "transparent": self.transparent,
            "resolution": list(self.resolution) if self.resolution else None,
            "fps": self.fps, "extra": self.extra, "version": __version__,
        }

    @classmethod
    def from_spec(cls, spec: dict) -> "RenderRequest":
        """The request a :meth:`spec` describes, its parameters validated again here; refused
        when it comes from another jacviz version."""
        if spec.get("version") != __version__:
            raise JacvizError(f"this worker has jacviz {__version__}, the client "
                              f"{spec.get('version')}; install the same version on every worker")
        return cls(spec["scene"], resolve_params(spec["scene"], spec["sets"]),
                   quality=spec["quality"], format=spec["format"],
                   transparent=spec["transparent"],
                   resolution=tuple(spec["resolution"]) if spec["resolution"] else None,
                   fps=spec["fps"], extra=dict(spec["extra"]))


def resolve_params(scene: str, sets: dict | None = None, config: dict | None = None):
    """A scene's parameters: defaults, then a config file's values, then --set; validated once."""
    name = registry.resolve_name(scene)
    return resolve(registry.params_class(name), name, sets, config)


def output_path(name: str, params, fmt: str = "mp4") -> Path:
    """renders/<scene>.<ext>, or renders/<scene>-<hash of the changed parameters>.<ext>."""
    digest = params.digest()
    stem = name if not digest else f"{name}-{digest}"
    return workdir() / "renders" / f"{stem}.{FORMATS[fmt].ext}"


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


# -- the finished clip ------------------------------------------------------------------------
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


def commit(request: RenderRequest, produced: Path, captions: Path | str | None = None) -> list[Path]:
    """Put a finished render in place: the clip (or still) ``produced``, with a clip's
    captions (a file, or the text) and metadata beside it, all together
    (:func:`jacviz.studio.output.commit_files`).  Returns the paths written, the clip last."""
    target = request.target
    outputs: dict[Path, Path | str] = {}
    if FORMATS[request.format].kind == "clip":
        if captions is not None:
            outputs[target.with_suffix(".srt")] = captions
        outputs[target.with_suffix(".json")] = json.dumps(clip_metadata(request), indent=2)
    outputs[target] = produced  # last: the clip appears only once all is in place
    return request.output().commit(outputs)

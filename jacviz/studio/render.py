"""The render driver: a plain request in, the paths of what it wrote out.

:func:`render` takes a :class:`~jacviz.studio.request.RenderRequest` (scene, validated
parameters, quality, format, size) and dispatches it: to the shards of
:mod:`jacviz.studio.shard` (``jobs`` > 1), to a Dask cluster
(:mod:`jacviz.studio.cluster`, ``scheduler``), or renders in this process with manim,
into a private working directory under ``media/``, and commits the finished clip, its
captions and its metadata into place together (:func:`jacviz.studio.request.commit`).
The target is checked before anything renders.  What a render is (formats, qualities,
manim's configuration, output paths) is defined once, in :mod:`jacviz.studio.request`.
Nothing here parses arguments or prints: that is the command line's job.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import JacvizError
from . import registry
from .cluster import render_on_cluster
from .dry_run import prepare_tex
from .request import FORMATS, RenderRequest, commit
from .shard import render_forked


def render(request: RenderRequest) -> list[Path]:
    """Render one scene; returns the paths written (the clip last)."""
    from manim import tempconfig

    fmt = FORMATS[request.format]
    request.output().check()  # before any work: a bad target costs no render
    if fmt.kind == "clip" and request.scheduler:
        return render_on_cluster(request, request.jobs, request.scheduler)
    if fmt.kind == "clip" and request.jobs > 1:
        return render_forked(request, request.jobs)
    cls = registry.scene_class(request.scene)
    if not request.tex_ready:
        prepare_tex(cls, request.params)
    with tempconfig(request.manim_config(request.media(), request.target.stem)):
        scene = cls(params=request.params, skip_animations=fmt.kind == "still")
        scene.render()
        writer = scene.renderer.file_writer
        produced = fmt.produced(writer)
        movie = Path(writer.movie_file_path) if fmt.kind == "clip" else None
    if not produced.exists():
        raise JacvizError(f"manim wrote no {fmt.name} file for {request.scene}")
    srt = movie.with_suffix(".srt") if movie is not None else None
    return commit(request, produced, srt if srt is not None and srt.exists() else None)

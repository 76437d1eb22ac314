"""Runs of a scene that play nothing: every animation skipped to its end state, no movie.

:func:`prepare_tex` gathers the TeX a scene needs and compiles what the cache lacks (and
notes every play's run time: the shards' plan); :func:`keyframes` takes the frame at the
end of every beat (previews, the graphical tests), running the scene once when the cache
holds its TeX (else a second time, after the batch that the first run gathered).  Both run with
:func:`jacviz.studio.request.manim_config`; manim is imported only when they run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..core.signals import stage
from ..engine.tex_cache import cached_first, prepare, run_scene
from . import registry
from .request import manim_config


def prepare_tex(cls, params, fps: float | None = None):
    """Compile, in one batch, the TeX snippets the scene needs that the cache lacks
    (a dry run of the scene finds them; see :func:`jacviz.engine.tex_cache.prepare`).
    Returns the :class:`~jacviz.engine.tex_cache.DryRun` (the plays' run times, for shards:
    give the render's ``fps``, as the holds that keep texts readable are whole frames)."""
    from manim import tempconfig

    with tempfile.TemporaryDirectory() as tmp:
        with tempconfig(manim_config(Path(tmp), fps=fps, write_to_movie=False,
                                     save_last_frame=False, disable_caching=True,
                                     verbosity="ERROR")):
            def run():
                scene = cls(params=params, skip_animations=True)
                scene.render()
                return scene

            return prepare(run)


def keyframes(name: str, params=None, resolution: tuple[int, int] = (320, 180),
              work: Path | None = None, check_layout: bool = False, scene_cls=None):
    """The frame at the end of every beat, without encoding a movie.

    Animations are skipped to their end states, so this is fast; the graphical
    tests compare these frames with committed control data.  With
    ``check_layout`` the scene's layout problems are returned too:
    ``(frames, problems)``.

    The scene runs once when the TeX cache holds every snippet it needs (numbers are made
    from the digits' glyphs): no dry run first.  From the first snippet the cache lacks, the
    run goes on dry (as :func:`prepare_tex` runs, stand-ins, nothing played), gathering
    every snippet missing from there on; they are compiled in one batch and the scene runs
    again (:func:`jacviz.engine.tex_cache.cached_first`).
    """
    from manim import tempconfig

    cls = scene_cls or registry.scene_class(name)
    params = params if params is not None else cls.Params()
    _no_progress_thread()

    def draw():
        stage("keyframes")
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            with tempconfig(manim_config(Path(tmp), resolution=resolution, fps=5,
                                         write_to_movie=False, save_last_frame=False,
                                         disable_caching=True)):
                scene = cls(params=params, skip_animations=True)
                scene.capture_keyframes = True
                scene.check_layout = check_layout
                run_scene(scene.render)
        return scene

    scene = cached_first(draw)
    if check_layout:
        return scene.keyframes, scene.layout_problems
    return scene.keyframes


def _no_progress_thread() -> None:
    """No tqdm monitor thread in a process that draws key frames (manim makes a progress bar
    per play, shown or not, and tqdm starts a thread that wakes every 10 s for it): a draw
    that lacks a snippet forks to gather the rest, which is safe only in a process that runs
    one thread.  Stops a monitor started before (a clip rendered in the same process)."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    monitor, tqdm.monitor = tqdm.monitor, None
    if monitor is not None:
        monitor.exit()

"""The base class of every jacviz scene.

A scene subclasses :class:`JacvizScene`, declares ``Params`` (a dataclass of
:class:`jacviz.params.SceneParams`), and writes ``construct()`` as named
beats, each starting with ``self.beat(name, caption)``::

    def construct(self):
        self.show_map()
        self.stack_gradients()
        self.evaluate_at_point()

``beat`` closes the previous beat: it writes that beat's subcaption (shown for
the beat's whole duration, in the ``.srt`` beside the clip) and, in tests,
records the key frame at the end of the beat.
"""

from __future__ import annotations

import numpy as np
from manim import ManimColor, Scene, config

from jacviz.params import SceneParams
from jacviz.signals import stage

from . import style


class JacvizScene(Scene):
    """A Scene with declared parameters, named beats and captions."""

    Params: type[SceneParams] = SceneParams
    #: set by the test-suite's frame capture: record a frame at each beat end
    capture_keyframes: bool = False

    def __init__(self, params: SceneParams | None = None, **kwargs):
        self.params = params if params is not None else self.Params()
        self.params.validate()
        self.keyframes: list[tuple[str, np.ndarray]] = []
        self.beats: list[tuple[str, str]] = []
        self._open_beat: tuple[str, str, float] | None = None
        super().__init__(**kwargs)
        self.camera.background_color = ManimColor(style.BACKGROUND)

    def setup(self) -> None:
        """Mark the stages of a render (see ``jacviz.signals.stage``): the first
        frames written, and the join of the partial movies."""
        super().setup()
        writer = getattr(self.renderer, "file_writer", None)
        if writer is None:
            return
        write_frame, combine = writer.write_frame, writer.combine_to_movie
        count = [0]

        def write_frame_marked(*args, **kwargs):
            write_frame(*args, **kwargs)
            count[0] += 1
            if count[0] == 3:  # mid-animation: an encoder is running, a partial movie half-written
                stage("frames")

        def combine_marked(*args, **kwargs):
            stage("join")
            return combine(*args, **kwargs)

        writer.write_frame = write_frame_marked
        writer.combine_to_movie = combine_marked

    # -- beats ---------------------------------------------------------------
    @property
    def now(self) -> float:
        return float(self.renderer.time)

    def beat(self, name: str, caption: str) -> None:
        """Start a named beat with its caption (closes the previous beat).

        Rendered as slides (the class mixed with manim-slides' ``Slide`` by
        ``jacviz.slides``), every beat after the first starts a new slide,
        with its caption as the speaker notes.  A plain render is unchanged.
        """
        had_beat = self._open_beat is not None
        self._close_beat()
        if had_beat and hasattr(self, "next_slide"):
            self.next_slide(notes=caption)
        self.beats.append((name, caption))
        self._open_beat = (name, caption, self.now)

    def _close_beat(self) -> None:
        if self._open_beat is None:
            return
        name, caption, start = self._open_beat
        self._open_beat = None
        duration = self.now - start
        # captions belong to a clip: none for key frames or a still (png), where
        # manim would write a stray .srt named after the output into the cwd
        if duration > 0 and config.write_to_movie and not self.capture_keyframes:
            self.add_subcaption(caption, duration=duration, offset=-duration)
        if self.capture_keyframes:
            self.renderer.update_frame(self)
            self.keyframes.append((name, np.array(self.renderer.get_frame())))

    def tear_down(self) -> None:
        self._close_beat()
        super().tear_down()


def scene_config_defaults() -> None:
    """Settings shared by every render (background colour)."""
    config.background_color = style.BACKGROUND

"""The base class of every jacviz scene.

A scene subclasses :class:`JacvizScene`, declares ``Params`` (a dataclass of
:class:`jacviz.engine.params.SceneParams` whose ``build()`` returns what the
scene draws, available as ``self.n``), and writes ``construct()`` as named
beats, each starting with ``self.beat(name, caption)``::

    def construct(self):
        self.show_map()
        self.stack_gradients()
        self.evaluate_at_point()

``beat`` closes the previous beat: it writes that beat's subcaption (shown for
the beat's whole duration, in the ``.srt`` beside the clip) and, when asked,
records the key frame at the end of the beat and checks its layout
(:mod:`jacviz.kit.layout`): every rule at the end of every beat, the rules on
reading wherever a text first appears (before or after a play), and the time
every text stays on screen (sampled before and after every play and wait).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import math
import os
import time

import numpy as np
from manim import ManimColor, Scene, config

from ..core.signals import stage
from ..engine import encoding, tex_cache
from ..engine.params import SceneParams
from . import layout, style


def _texts_in(mob) -> list:
    return [m for m, _, _ in layout.texts_with_roles([mob])]


def _leaving_texts(animations) -> tuple[list, list]:
    """The texts a play takes off the screen (removers, replacements), and those it
    transforms in place into other words."""
    from manim import Transform

    leaving, renewed = [], []
    todo = list(animations)
    while todo:
        anim = todo.pop()
        todo += getattr(anim, "animations", None) or []
        mob = getattr(anim, "mobject", None)
        if mob is None:
            continue
        if anim.is_remover() or getattr(anim, "replace_mobject_with_target_in_scene", False):
            leaving += _texts_in(mob)
        elif isinstance(anim, Transform) and not anim.is_introducer() and \
                isinstance(mob, layout.TEXT_TYPES):
            target = getattr(anim, "target_mobject", None)  # a text into other words
            if isinstance(target, layout.TEXT_TYPES) and target is not mob and \
                    layout.text_of(target) != layout.text_of(mob):
                renewed.append(mob)
    return leaving, renewed


def _log_frames(folder: str, scene: str, shard: int | None, frame, num_frames: int = 1) -> None:
    """Append the frame's SHA-1, once per frame written, to
    ``<folder>/frames-<Scene>-<shard>.txt`` (``-all`` for a render in one process).

    A clip's decoded frames are not a sound test of rendering: libx264 now and then
    encodes the same frames differently (seen on one play in about seven renders of
    two-way at 160x90, with identical input, identical YUV and one encoder thread).
    The frames handed to the encoder are exact."""
    if not isinstance(frame, np.ndarray):
        return
    digest = hashlib.sha1(np.ascontiguousarray(frame).tobytes()).hexdigest()
    name = f"{scene}-{'all' if shard is None else f'{shard:03d}'}"
    with open(os.path.join(folder, f"frames-{name}.txt"), "a") as fh:
        fh.write(f"{digest}\n" * num_frames)


def _time_drawing(renderer_class, folder: str) -> None:
    """Log the time a renderer spends drawing each frame (its ``update_frame``: the canvas
    cleared to the background or the static image, then every mobject drawn by Cairo), one
    line ``<thread CPU seconds> <wall seconds> <the thread's CPU seconds so far>`` per call,
    to ``<folder>/draw-<pid>.txt`` (a forked shard writes its own file; its clock starts
    at the fork).  ``make bench`` (part ``hd``) sums them: Cairo's floor for the same
    frames, without scene code and without encoding.  Installed on the class, once per
    process: a shard's pass that skips drawing shadows it on its renderer, then unshadows."""
    update = renderer_class.update_frame
    if getattr(update, "draw_log", None) == folder:
        return
    files: dict[int, object] = {}

    def timed(*args, **kwargs):
        c0, t0 = time.thread_time(), time.perf_counter()
        try:
            return update(*args, **kwargs)
        finally:
            c1, t1 = time.thread_time(), time.perf_counter()
            pid = os.getpid()
            if pid not in files:
                files[pid] = open(os.path.join(folder, f"draw-{pid}.txt"), "a", buffering=1)
            files[pid].write(f"{c1 - c0:.6f} {t1 - t0:.6f} {c1:.6f}\n")

    timed.draw_log = folder
    renderer_class.update_frame = timed


#: the lecture driver's narration context (see :func:`narrated`); forked shards inherit it
_NARRATION: dict | None = None


@contextlib.contextmanager
def narrated(script: dict[str, str] | None = None, beat_seconds: dict[str, float] | None = None):
    """Scenes made inside this block speak ``script``'s text for a beat instead of its
    default ``say`` (keys: beat names of the scene, without the ``scene.`` prefix; a beat
    the script lacks keeps its default), and get ``beat_seconds`` (beat name -> the
    beat's minimum length in seconds) as ``self.beat_seconds``.  Set by the lecture
    driver before rendering; restored on leaving."""
    global _NARRATION
    before = _NARRATION
    _NARRATION = {"script": {str(k): str(v) for k, v in (script or {}).items()},
                  "beat_seconds": {str(k): float(v) for k, v in (beat_seconds or {}).items()}}
    try:
        yield
    finally:
        _NARRATION = before


class JacvizScene(Scene):
    """A Scene with declared parameters, named beats and captions."""

    Params: type[SceneParams] = SceneParams
    #: a second parameter set (as typed after --set), rendered by the tests
    EXAMPLE: dict = {}
    #: record a frame at the end of every beat (key frames, storyboards)
    capture_keyframes: bool = False
    #: check the layout at the end of every beat (what overlaps, what leaves the frame)
    check_layout: bool = False
    #: hold the frame before a text leaves until it has been on screen long enough to read
    #: (:mod:`jacviz.kit.layout.timing`); off only to test the check itself
    hold_for_reading: bool = True
    #: set when this process renders one shard of a scene (``jacviz render --jobs N``)
    shard_of: int | None = None
    #: called before every play of a sharded render (``jacviz.studio.shard``)
    play_hook = None

    def __init__(self, params: SceneParams | None = None, **kwargs):
        self.params = params if params is not None else self.Params()
        #: what the parameters built (maps parsed once, numbers from the core)
        self.n = self.params.validate()
        self.keyframes: list[tuple[str, np.ndarray]] = []
        self.layout_problems: list[layout.Problem] = []
        self._reading_clock = layout.ReadingClock()
        self._texts_seen: dict[int, object] = {}  # id -> text (kept: ids are not reused)
        self.beats: list[tuple[str, str]] = []
        #: (beat name, spoken text) in order: the script's text for the beat, else its ``say``
        self.narration: list[tuple[str, str]] = []
        #: beat name -> minimum length in seconds (set by the lecture driver, see ``narrated``)
        self.beat_seconds: dict[str, float] = dict(_NARRATION["beat_seconds"]) if _NARRATION else {}
        #: the run time of every play, in order (sharded renders balance on these)
        self.play_durations: list[float] = []
        self._open_beat: tuple[str, str, float] | None = None
        self._beat_first_play = 0
        super().__init__(**kwargs)
        self.camera.background_color = ManimColor(style.BACKGROUND)

    def setup(self) -> None:
        """Mark the stages of a render (see ``jacviz.core.signals.stage``): the first
        frames written, and the join of the partial movies."""
        super().setup()
        encoding.install()  # libx264's faster preset on every partial movie
        if self.capture_keyframes and not config.write_to_movie:
            self._draw_keyframes_only()
        writer = getattr(self.renderer, "file_writer", None)
        if writer is None:
            return
        write_frame, combine = writer.write_frame, writer.combine_to_movie
        count = [0]

        frame_log = os.environ.get("JACVIZ_FRAME_LOG")
        if os.environ.get("JACVIZ_DRAW_TIMES") and hasattr(self.renderer, "update_frame"):
            _time_drawing(type(self.renderer), os.environ["JACVIZ_DRAW_TIMES"])

        def write_frame_marked(*args, **kwargs):
            write_frame(*args, **kwargs)
            if frame_log:  # the frames handed to the encoder, hashed (tests compare renders)
                _log_frames(frame_log, type(self).__name__, self.shard_of, *args, **kwargs)
            count[0] += 1
            if count[0] == 3:  # mid-animation: an encoder is running, a partial movie half-written
                stage("frames")

        def combine_marked(*args, **kwargs):
            if self.shard_of is not None:
                # one shard of a sharded render: the driver joins all shards; the captions
                # go beside this shard's (unwritten) movie, not into the current directory
                config["output_file"] = str(writer.movie_file_path)
                return None
            stage("join")
            return combine(*args, **kwargs)

        writer.write_frame = write_frame_marked
        writer.combine_to_movie = combine_marked

    def _draw_keyframes_only(self) -> None:
        """Key frames without a movie (storyboards, the graphical tests): draw with Cairo only
        what a key frame shows.  Every play is skipped to its end, and manim still draws for
        each one a static image (what does not move) and the frame of what moves over it,
        frames that no one reads: a key frame is drawn anew at the end of its beat
        (:meth:`_close_beat`), on the renderer's static image if one is set.  So a play that
        moves something draws nothing here (manim drops its static image when it ends), and
        a still wait only its static image, which stays set as the next key frame's
        background, as it would; the key frames are the same to the byte."""
        from manim.renderer.cairo_renderer import CairoRenderer

        r = self.renderer
        if not isinstance(r, CairoRenderer) or not r.skip_animations:
            return
        update_frame, save_static, play = r.update_frame, r.save_static_frame_data, r.play
        inside = [False]  # in a play, outside the static image of a still wait

        def play_drawing_nothing(scene, *args, **kwargs):
            inside[0] = True
            try:
                return play(scene, *args, **kwargs)
            finally:
                inside[0] = False

        def save_static_if_still(scene, static_mobjects):
            if not scene.is_current_animation_frozen_frame():
                r.static_image = None  # as at the end of this play: not read before
                return None
            inside[0] = False
            try:
                return save_static(scene, static_mobjects)
            finally:
                inside[0] = True

        def update_frame_outside_plays(*args, **kwargs):
            if not inside[0]:
                update_frame(*args, **kwargs)

        r.play = play_drawing_nothing
        r.save_static_frame_data = save_static_if_still
        r.update_frame = update_frame_outside_plays
        r.render = lambda *args, **kwargs: None  # a skipped play's frame: never written
        r.freeze_current_frame = lambda *args, **kwargs: None  # the same, for a still wait

    def play(self, *args, **kwargs) -> None:
        if tex_cache.collecting():
            # a dry run only gathers the TeX snippets the scene needs, and notes each
            # play's run time without playing it (sharded renders plan on these), the
            # reading holds included
            self._plan_play(args, kwargs)
            return
        animations = self.compile_animations(*args, **kwargs)
        renewed = self._hold_for_reading(animations)  # a play of its own, before this one
        if self.play_hook is not None:
            self.play_hook(self)  # a sharded render: may fork here, or end this shard
        before = self.renderer.time
        self._watch_layout(float(before))
        super().play(*animations, **kwargs)
        if self.renderer.skip_animations and config.write_to_movie:
            # a play skipped in a clip (before a shard's first play, or a cached piece)
            # advances the clock by the frames it would have taken, as a rendered play
            # does, so that the captions' times do not depend on what was skipped
            self.renderer.time = before + self._rendered_duration()
        self.play_durations.append(float(self.renderer.time - before))
        for mob in renewed:
            self._reading_clock.renew(mob, self.now, self._beat_name())
        self._watch_layout(self.now)

    def _plan_play(self, args, kwargs) -> None:
        try:
            animations = self.compile_animations(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a stand-in the animation cannot use: unknown
            self.play_durations.append(-1.0)
            return
        renewed = self._hold_for_reading(animations)
        self._watch_layout(self._clock())
        self.play_durations.append(self._planned_run_time(*animations, **kwargs))
        for mob in renewed:
            self._reading_clock.renew(mob, self._clock(), self._beat_name())
        self._watch_layout(self._clock())

    def _clock(self) -> float:
        """The scene's time: the renderer's, or in a dry run (nothing played) the sum of
        the plays' planned run times."""
        if tex_cache.collecting():
            return float(sum(d for d in self.play_durations if d > 0))
        return self.now

    # -- reading time ----------------------------------------------------------
    def _hold_for_reading(self, animations) -> list:
        """Every text stays on screen long enough to be read (:mod:`jacviz.kit.layout.timing`):
        before a play takes texts away, or turns one into other words, hold the frame
        for as long as the least-read of them still needs.  Returns the texts the play
        turns into other words (timed again from its end)."""
        leaving, renewed = _leaving_texts(animations)
        self._hold_texts(leaving + renewed)
        return renewed

    def _hold_texts(self, texts) -> None:
        if not self.hold_for_reading or not texts:
            return
        short = self._reading_clock.deficit(texts, self._clock())
        frames = math.ceil(short * config.frame_rate - 1e-6)
        if frames > 0:  # half a frame over: a still wait holds whole frames
            self.wait((frames + 0.5) / config.frame_rate)

    def _beat_name(self) -> str:
        return self._open_beat[0] if self._open_beat else ""

    def _watch_layout(self, when: float) -> None:
        """Sample the texts on screen for the reading clock (every render: the scene
        holds texts on screen by it); when checking the layout, where a text first
        appears, run the rules on reading (the frame as it is now, as drawn:
        :meth:`layout_mobjects`)."""
        found = layout.texts_with_roles(self.mobjects)
        beat = self._beat_name()
        self._reading_clock.sample(found, when, beat)
        if not self.check_layout:
            return
        new = [m for m, _, _ in found if id(m) not in self._texts_seen]
        if new:
            self._texts_seen.update((id(m), m) for m in new)
            shown = self.layout_mobjects()
            self._add_problems(layout.reading(shown, beat, found if shown is self.mobjects
                                              else None))

    def layout_mobjects(self) -> list:
        """What the layout check reads: the mobjects on screen, where they are drawn.  A 3-D
        scene overrides this to give its 3-D mobjects at their projections."""
        return self.mobjects

    def _add_problems(self, problems) -> None:
        have = set(self.layout_problems)
        for p in problems:
            if p not in have:
                have.add(p)
                self.layout_problems.append(p)

    def _planned_run_time(self, *args, **kwargs) -> float:
        try:
            animations = self.compile_animations(*args, **kwargs)
            run_time = float(self.get_run_time(animations))
        except Exception:  # noqa: BLE001 - a stand-in the animation cannot use: unknown
            return -1.0
        # what comes and goes comes and goes, as a play would have it (later plays and the
        # reading holds depend on what is on screen): what a play animates is added
        self.add_mobjects_from_animations(animations)
        todo = list(animations)
        while todo:
            anim = todo.pop()
            todo += getattr(anim, "animations", [])
            if anim.is_introducer():
                self.add(anim.mobject)
            elif anim.is_remover():
                self.remove(anim.mobject)
            elif getattr(anim, "replace_mobject_with_target_in_scene", False):
                self.remove(anim.mobject)
                self.add(anim.target_mobject)
        return run_time

    def _rendered_duration(self) -> float:
        dt = 1 / config.frame_rate
        if self.animations and self.is_current_animation_frozen_frame():
            return int(self.duration / dt) * dt  # a still wait holds its frame
        return len(np.arange(0, self.duration, dt)) * dt

    # -- beats ---------------------------------------------------------------
    @property
    def now(self) -> float:
        return float(self.renderer.time)

    def beat(self, name: str, caption: str, say: str | None = None) -> None:
        """Start a named beat with its caption (closes the previous beat).

        ``say`` is the beat's default spoken text (plain English, numbers from the
        core read by :mod:`jacviz.core.spoken`); the narration script of
        :func:`narrated` overrides it.  What the beat speaks is kept, in order, in
        ``self.narration``.

        Rendered as slides (the class mixed with manim-slides' ``Slide`` by
        ``jacviz.studio.slides``), every beat starts a new slide whose speaker
        notes are the beat's spoken text (the lecture's narration; the caption
        when a beat has none).  A plain render is unchanged.
        """
        self._close_beat()
        script = _NARRATION["script"] if _NARRATION else {}
        spoken = script[name] if name in script else (say or "")
        if hasattr(self, "next_slide"):  # the first beat too: notes for the first slide
            # manim-slides puts notes into its HTML as they are: escaped here
            self.next_slide(notes=html.escape(spoken or caption, quote=False),
                            dedent_notes=False)
        self.beats.append((name, caption))
        self.narration.append((name, spoken))
        self._open_beat = (name, caption, self.now)
        self._beat_first_play = len(self.play_durations)

    def _close_beat(self, hold: bool = True) -> None:
        if self._open_beat is None:
            return
        name, caption, start = self._open_beat
        if hold:
            self._hold_beat()
        self._open_beat = None
        duration = self.now - start
        # captions belong to a clip: none for key frames or a still (png), where
        # manim would write a stray .srt named after the output into the cwd
        if duration > 0 and config.write_to_movie and not self.capture_keyframes:
            self.add_subcaption(caption, duration=duration, offset=-duration)
        if tex_cache.collecting():  # a dry run (the rest of a draw that lacked TeX): stand-ins
            return
        if self.check_layout:
            self._add_problems(layout.check(self.layout_mobjects(), beat=name))
        if self.capture_keyframes:
            self.renderer.update_frame(self)
            self.keyframes.append((name, np.array(self.renderer.get_frame())))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "construct" in cls.__dict__:
            # the last beat's wait for its narration is played inside construct(): there a
            # sharded render's early end (EndSceneEarlyException) is caught, and the
            # encoder's jobs are cleaned up on an error
            original = cls.__dict__["construct"]

            @functools.wraps(original)
            def construct(self, *args, **kw):
                result = original(self, *args, **kw)
                self._hold_texts(self._reading_clock.on_screen())  # the last texts too
                self._hold_beat()
                return result

            cls.construct = construct

    def _hold_beat(self) -> None:
        """When the open beat must last longer than it has played (its narration:
        ``beat_seconds``), hold its last frame for the rest, in whole frames.  A dry
        run notes the same wait, so the plays' count and plan stay as rendered."""
        if self._open_beat is None:
            return
        want = self._wanted_seconds(self._open_beat[0])
        if want is None:
            return
        played = sum(max(d, 0.0) for d in self.play_durations[self._beat_first_play:])
        frames = math.ceil((want - played) * config.frame_rate - 1e-6)
        if frames > 0:
            self.wait(frames / config.frame_rate)

    def _wanted_seconds(self, name: str) -> float | None:
        table = self.beat_seconds
        if not table:
            return None
        if name in table:
            return float(table[name])
        for key, value in table.items():
            if key.rsplit(".", 1)[-1] == name and "." in key:
                return float(value)
        return None

    def tear_down(self) -> None:
        # no wait here: the last beat waited at the end of construct(), and a shard that
        # ended early (before a later shard's play) must not play again
        self._close_beat(hold=False)
        if self.check_layout:
            self._add_problems(self._reading_clock.finish(self.now))
        super().tear_down()

    # -- small conveniences shared by scenes ------------------------------------
    def clear_except(self, *keep, run_time: float = 0.5) -> None:
        """Fade out everything on screen but ``keep``."""
        old = [m for m in self.mobjects if m not in keep]
        if old:
            from manim import FadeOut

            self.play(*[FadeOut(m) for m in old], run_time=run_time)

    def set_title(self, text: str, run_time: float = 0.6) -> None:
        """Show a title, or turn the current one into a new one."""
        from manim import Transform, Write

        new = style.title(text)
        if getattr(self, "title_mob", None) is None:
            self.title_mob = new
            self.play(Write(new), run_time=run_time)
        else:
            self.play(Transform(self.title_mob, new), run_time=run_time)

"""``jacviz lecture``: the lesson as one narrated video, with chapters and captions.

:func:`build` takes a :class:`LectureRequest` and writes one folder
(:class:`jacviz.studio.output.FolderTarget`, default ``renders/lecture/``):

1. every beat's spoken text: the default script
   (:func:`jacviz.studio.script.default_script`, built by each scene from the
   core's numbers), with ``--script`` entries replacing defaults;
2. each beat spoken by the voice (:mod:`jacviz.studio.voice`, cached per beat);
3. each scene rendered by :func:`jacviz.studio.render.render` inside
   :func:`jacviz.kit.scene.narrated`, with every beat lasting at least its
   speech plus :data:`BEAT_PAUSE` (the scene holds the beat's last frame; an
   animation is never sped up).  The voice ``none`` renders the frames as
   ``jacviz render`` does and times the captions from the script;
4. a title card, a section card per scene (its § and idea, from the
   registry) and an end card (``jacviz.scenes.cards``);
5. the beats' audio mixed at each beat's start, loudness-normalised
   (:func:`jacviz.studio.audio.normalise`), joined with the clips and the
   chapter marks (:func:`jacviz.studio.mux.join`);
6. the captions, chapters, transcript, the script used and ``lecture.json``.

Everything is made in a staging folder and committed at the end: an error or
an interrupt leaves the previous lecture as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import JacvizError
from ..core.fmt import plural
from ..core.signals import stage
from . import audio, captions, registry, voice as voices
from .script import default_script, format_script, read_script
from .output import FolderTarget

#: silence after each beat's narration (NARRATION.md: about 1 s before a new beat)
BEAT_PAUSE = 1.0
TITLE = "Jacobians and the chain rule"
TITLE_SECONDS = 4.0
SECTION_SECONDS = 3.0
END_SECONDS = 3.0
OUTPUTS = ("lecture.mp4", "lecture.srt", "lecture.vtt", "chapters.vtt", "chapters.txt",
           "transcript.md", "script.toml", "lecture.json")


@dataclass
class LectureRequest:
    """What to make.  ``scenes``: ``(name, validated params)`` in order."""

    scenes: list
    voice: str = "none"
    fallback: str | None = None
    script: Path | None = None
    out: Path | None = None
    force: bool = False
    quality: str = "l"
    resolution: tuple[int, int] | None = None
    fps: float | None = None
    progress: bool = False
    #: processes per scene (forked shards of jacviz.studio.shard; they inherit the narration)
    jobs: int = 1
    timeout: float = voices.TIMEOUT
    pause: float = BEAT_PAUSE
    title: str = TITLE
    #: under the title on the title card, when given (a config's [lecture] table)
    course: str | None = None
    lecturer: str | None = None
    #: the voice cache (default: jacviz's, $JACVIZ_CACHE/voice)
    voice_cache: Path | None = None
    command: list[str] = field(default_factory=list)

    @property
    def target(self) -> FolderTarget:
        from .request import workdir

        path = Path(self.out) if self.out is not None else workdir() / "renders" / "lecture"
        return FolderTarget(path, option="--out" if self.out is not None else "",
                            force=self.force, example="renders/lecture")


# -- the script ----------------------------------------------------------------------------
def _default_script(name: str, params, dry_runs: dict | None = None) -> list[tuple[str, str]]:
    """The scene's default script, from the clip cache when the same scene, parameters
    and sources made it before (a dry run of the scene otherwise: its seconds noted in
    ``dry_runs``, keyed by scene; that dry run prepared the scene's TeX, so its render
    need not run another)."""
    from .sources import source_digest

    blob = json.dumps({"scene": name, "params": params.as_dict(), "source": source_digest()},
                      sort_keys=True, default=str)
    path = clip_cache() / f"script-{hashlib.sha256(blob.encode()).hexdigest()[:24]}.json"
    try:
        return [(str(i), str(t)) for i, t in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    t0 = time.perf_counter()
    beats = default_script(name, params)
    if dry_runs is not None:
        dry_runs[name] = time.perf_counter() - t0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(beats), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return beats


def beats_of(request: LectureRequest, dry_runs: dict | None = None) -> list[tuple[str, str]]:
    """Every beat's id and text, in lecture order (the default script, then --script)."""
    beats = []
    for name, params in request.scenes:
        beats += _default_script(name, params, dry_runs)
    if request.script is not None:
        beats = read_script(request.script, beats)
    return beats


# -- the pieces ----------------------------------------------------------------------------
def section_of(name: str) -> tuple[str, str]:
    """A scene's § and one-line idea, from its registry description ("§6: idea")."""
    desc = registry.describe(name)
    m = re.match(r"\s*((?:§\d+(?:,\s*)?)+)\s*:\s*(.*)$", desc)
    if m:
        return m.group(1).strip().rstrip(","), m.group(2).strip()
    head, _, idea = desc.partition(":")
    return head.strip().capitalize(), idea.strip()


def _card(path: Path, request: LectureRequest, heading: str, lines, seconds: float) -> Path:
    """One card clip at ``path`` (from the clip cache when it is there)."""
    _cached(_card_key(request, heading, lines, seconds), path,
            lambda dst: _render_card(dst, request, heading, lines, seconds))
    return path


def _card_key(request: LectureRequest, heading: str, lines, seconds: float) -> str:
    return _clip_key("card", request, heading=heading, lines=list(lines), seconds=seconds)


def _render_card(path: Path, request: LectureRequest, heading: str, lines, seconds: float) -> Path:
    """One card clip at ``path``, rendered by manim as a scene is (same encoder, the same
    settings: the join copies its packets)."""
    from manim import tempconfig

    from jacviz.scenes.cards import Card

    from ..engine import encoding
    from .request import QUALITIES

    encoding.install()  # a card is a plain manim Scene: no JacvizScene.setup to install it

    media = path.parent / f".media-{path.stem}"
    opts = {"quality": QUALITIES[request.quality].manim, "media_dir": str(media),
            "output_file": path.stem, "disable_caching": True, "progress_bar": "none",
            "verbosity": "WARNING", "write_to_movie": True, "save_last_frame": False,
            "format": "mp4"}
    if request.resolution:
        opts["pixel_width"], opts["pixel_height"] = (int(v) for v in request.resolution)
    if request.fps:
        opts["frame_rate"] = float(request.fps)
    wrapped = ["\n".join(textwrap.wrap(ln, 36)) for ln in lines]
    with tempconfig(opts):
        card = Card(heading, wrapped, seconds)
        card.render()
        made = Path(card.renderer.file_writer.movie_file_path)
    made.replace(path)
    return path


class _Cards:
    """The lecture's cards, rendered ahead by a forked child process while the scenes
    render (a card is a manim render of its own, about a second each).  The child only
    fills the clip cache; :meth:`get` waits for it and then takes each card from the
    cache, or renders the card itself when the child could not (so a failed or killed
    child costs time, never a card).  Fork before any thread starts."""

    def __init__(self, request: LectureRequest, specs: dict, work: Path):
        from ..core import signals

        self.request, self.specs, self.pid = request, specs, None
        todo = {k: v for k, v in specs.items()
                if not (clip_cache() / f"{_card_key(request, *v[1:])}.mp4").exists()}
        if not todo:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: every card into the cache, then gone
            from .shard import _private_tmp

            code = 1
            try:
                log = os.open(work / "cards.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(log, 1)
                os.dup2(log, 2)
                os.close(log)
                _private_tmp(work / "tmp-cards")
                stage("cards")
                for path, heading, lines, seconds in todo.values():
                    _card(path.with_name(f"ahead-{path.name}"), request, heading, lines, seconds)
                code = 0
            except BaseException:  # noqa: BLE001 (a signal or an error: the parent makes the card)
                code = signals.exit_status() if signals.received() is not None else 1
            finally:
                signals.flush_and_exit(code)
        self.pid = pid

    def get(self, key: str) -> Path:
        self.wait()
        path, heading, lines, seconds = self.specs[key]
        return _card(path, self.request, heading, lines, seconds)

    def wait(self) -> None:
        while self.pid is not None:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.pid = None
            else:
                time.sleep(0.02)

    def stop(self) -> None:
        from ..core import signals

        if self.pid is not None:
            signals.stop_children([self.pid])
            self.pid = None


def clip_cache() -> Path:
    """Where rendered clips of lectures are kept (``media/lecture/``, beside manim's
    working files): a scene whose beat timing did not change is not rendered again."""
    from .request import workdir

    return workdir() / "media" / "lecture"


def _clip_key(kind: str, request: LectureRequest, **what) -> str:
    from .sources import source_digest

    blob = json.dumps({"kind": kind, "quality": request.quality,
                       "resolution": list(request.resolution) if request.resolution else None,
                       "fps": request.fps, "source": source_digest(), **what},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _cached(key: str, dst: Path, make) -> bool:
    """``dst`` (an mp4, with its .srt when there is one) from the cache, or made by
    ``make(dst)`` and then kept; returns whether it was made."""
    import shutil

    folder = clip_cache()
    hit = folder / f"{key}.mp4"
    if hit.exists():
        shutil.copyfile(hit, dst)
        if hit.with_suffix(".srt").exists():
            shutil.copyfile(hit.with_suffix(".srt"), dst.with_suffix(".srt"))
        return False
    make(dst)
    folder.mkdir(parents=True, exist_ok=True)
    for src in (dst.with_suffix(".srt"), dst):  # the clip last: it marks the entry whole
        if src.exists():
            tmp = folder / f".{key}{src.suffix}.tmp-{os.getpid()}"
            try:
                shutil.copyfile(src, tmp)
                os.replace(tmp, folder / f"{key}{src.suffix}")
            finally:
                if tmp.exists():
                    tmp.unlink()
    return True


def _beat_spans(srt_path: Path, names: list[str]) -> dict[str, tuple[float, float]]:
    """Each beat's (start, end) in its clip, from the clip's captions (one cue per beat
    that lasted, in order)."""
    text = srt_path.read_text(encoding="utf-8") if srt_path.exists() else ""
    stamps = re.findall(r"(\d+):(\d+):(\d+),(\d+)\s*-->\s*(\d+):(\d+):(\d+),(\d+)", text)

    def sec(h, m, s, ms):
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    spans = [(sec(*st[:4]), sec(*st[4:])) for st in stamps]
    if len(spans) != len(names):
        raise JacvizError(f"the clip's captions have {len(spans)} beats, the scene "
                          f"{len(names)}: a beat that lasts no time cannot be narrated")
    return dict(zip(names, spans))


# -- the lecture -----------------------------------------------------------------------------
@dataclass
class Lecture:
    """What :func:`build` made: the folder, the lecture's length, the beats that fell back."""

    path: Path
    duration: float
    chapters: list
    beats: list
    fell_back: list[str]
    reencoded: int
    #: the scenes rendered this time (the others came from the clip cache), and how long
    #: their renders took (seconds)
    rendered: list[str] = field(default_factory=list)
    render_seconds: float = 0.0
    #: wall seconds per step: script, speak, cards, render, level, encode, join, write (and
    #: mix, measure when the soundtrack is mixed anew)
    timings: dict = field(default_factory=dict)
    #: the scenes whose script came from a dry run this time, and its seconds: the dry run
    #: is the render's TeX preparation (counted in ``render_seconds`` when the scene renders)
    dry_runs: dict = field(default_factory=dict)


class _Clock:
    """Wall seconds spent per step, summed: ``with clock("join"): ...``."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def __call__(self, step: str):
        import contextlib

        @contextlib.contextmanager
        def timed():
            t0 = time.perf_counter()
            try:
                yield
            finally:
                self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - t0
        return timed()


def rerun_command(request: LectureRequest) -> str:
    return " ".join(shlex.quote(p) for p in (request.command or ["jacviz", "lecture"]))


def _speak(request: LectureRequest, beats, clock: _Clock):
    """Every beat spoken by the request's voice: ``(voice, {id: Speech}, fell_back)``."""
    ids = [i for i, _ in beats]
    voice = voices.make_voice(request.voice, request.fallback, request.timeout, known=ids)
    stage("speak")
    with clock("speak"):
        speeches = {s.id: s for s in voices.speak(voice, [voices.Line(i, t) for i, t in beats],
                                                     cache=request.voice_cache)}
    return voice, speeches, list(getattr(voice, "fell_back", []) or [])


def _beat_seconds(request: LectureRequest, mine, speeches) -> dict | None:
    """How long each beat must last for its speech (None for the voice ``none``)."""
    if request.voice == "none":
        return None
    return {i.split(".", 1)[1]: speeches[i].duration + request.pause for i in mine}


def _scene_clip(request: LectureRequest, name: str, params, mine, speeches, dst: Path,
                clock: _Clock, say, done: Lecture) -> Path:
    """The scene rendered at ``dst`` inside :func:`jacviz.kit.scene.narrated`, every beat
    lasting its speech (from the clip cache when that timing was rendered before)."""
    from ..kit.scene import narrated
    from .render import render
    from .request import RenderRequest

    seconds = _beat_seconds(request, mine, speeches)
    prepared = done.dry_runs.get(name)
    req = RenderRequest(name, params, quality=request.quality, resolution=request.resolution,
                        fps=request.fps, out=dst, media_dir=dst.parent / f"media-{name}",
                        progress=request.progress, jobs=request.jobs,
                        tex_ready=prepared is not None)

    def make(path):
        say(f"rendering {name}")
        t0 = time.perf_counter()
        with narrated(script={i.split(".", 1)[1]: speeches[i].text for i in mine},
                      beat_seconds=seconds):
            render(req)
        # the render's own preparation was the script's dry run, earlier
        done.render_seconds += time.perf_counter() - t0 + (prepared or 0.0)

    key = _clip_key("scene", request, scene=name, params=params.as_dict(), beat_seconds=seconds)
    with clock("render"):
        if _cached(key, dst, make):
            done.rendered.append(name)
    return dst


def _place(clip: Path, start: float, mine, speeches, silent: bool):
    """The beats of a scene clip that starts at ``start`` in the video:
    ``([TimedBeat], [(offset, audio)])``.  For the voice ``none`` the script's timing
    is squeezed into each beat (the frames are as rendered)."""
    spans = _beat_spans(clip.with_suffix(".srt"), [i.split(".", 1)[1] for i in mine])
    timed, placed = [], []
    for i in mine:
        a, b = spans[i.split(".", 1)[1]]
        a, b = a + start, b + start
        sp = speeches[i]
        sentences = sp.at(a)
        if silent and sentences and sentences[-1][1] > b:
            scale = (b - a) / (sentences[-1][1] - a)
            sentences = [(a + (s - a) * scale, a + (e - a) * scale, t) for s, e, t in sentences]
        timed.append(captions.TimedBeat(i, a, b, sp.text, sentences))
        if sp.audio is not None and not silent:
            placed.append((a, sp.audio))
    return timed, placed


def _join(clips, out: Path, placed, total: float, chapters, title: str, silent: bool,
          clock: _Clock, over: float = 0.0):
    """The clips joined at ``out`` with the beats' audio mixed, normalised and measured
    on the file as encoded (AAC can lift a peak by half a dB: then again, with more
    headroom).  ``over``: how far (dB) a track levelled with the usual headroom already
    went over the ceiling as encoded (the streamed one): the first try keeps that much
    more.  Returns ``(JoinReport, (lufs, dBTP) or None)``."""
    from .mux import join

    track, measured, report = None, None, None
    with clock("mix"):
        mixed = audio.mix(placed, duration=None) if not silent else None
    headroom = audio.CODEC_HEADROOM + (over + 0.1 if over > 0 else 0.0)
    for _ in range(4):
        if mixed is not None:
            stage("mix")
            with clock("mix"):
                track = audio.normalise(mixed, headroom=headroom)[:int(round(total * audio.RATE))]
        stage("join")
        with clock("join"):
            report = join(clips, out, audio=track,
                          chapters=[(c.start, c.end, c.title) for c in chapters],
                          metadata={"title": title})
        if track is None:
            break
        with clock("measure"):
            heard = audio.decode(out)
            measured = (audio.loudness(heard), audio.true_peak(heard))
        if measured[1] <= audio.CEILING_DBTP:
            break
        headroom += measured[1] - audio.CEILING_DBTP + 0.1
    return report, measured


class _Sound:
    """The soundtrack, made while the scenes render: every beat's speech levelled at
    once in one thread (:func:`jacviz.studio.audio.level`: the gain and limiter of the
    whole narration, known before any beat is placed), then each scene's beats encoded
    by :class:`jacviz.studio.mux.Soundtrack` in another as soon as the scene's clip
    says where they fall.  Both work beside the next scene's render; after the last
    one only the encoder's tail is left.  The track as encoded is measured by the
    encoder's own decoder (:meth:`finish`)."""

    def __init__(self, speeches, ids, pause: float, path: Path):
        import threading

        from .mux import Soundtrack

        import queue

        self.ids = [i for i in ids if speeches[i].audio is not None and len(speeches[i].audio)]
        self._error: BaseException | None = None
        self._scenes: queue.Queue = queue.Queue()
        self.track = Soundtrack(path)
        clips = [speeches[i].audio for i in self.ids]
        self._thread = threading.Thread(target=self._run, args=(clips, max(pause, 0.4)),
                                        name="level", daemon=True)
        self._thread.start()

    def _run(self, clips, gap: float) -> None:
        """Level, then hand each scene's beats to the encoder as they come (so the main
        thread never waits for the levelling before the end)."""
        try:
            levelled = dict(zip(self.ids, audio.level(clips, gap=gap)))
            while (timed := self._scenes.get()) is not None:
                for b in timed:
                    x = levelled.get(b.id)
                    if x is not None:
                        self.track.put(int(round(b.start * audio.RATE)), x)
        except BaseException as exc:  # handed to the main thread by finish()
            self._error = exc

    def put(self, timed) -> None:
        """One scene's beats (:class:`jacviz.studio.captions.TimedBeat`, lecture times)."""
        if self._error is not None:
            raise self._error
        self._scenes.put(list(timed))

    def finish(self, total: float) -> tuple[float, float]:
        """The track padded to ``total`` seconds and encoded: ``(LUFS, dBTP)`` as encoded."""
        self._scenes.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self.track.finish(int(round(total * audio.RATE)))
        return self.track.measure()

    def abort(self) -> None:
        self._scenes.put(None)
        self.track.abort()


def build(request: LectureRequest, say=print) -> Lecture:
    """Make the lecture (see the module docstring).  ``say``: progress lines."""
    from .mux import join, probe

    if not request.scenes:
        raise JacvizError("no scenes to make a lecture of")
    target = request.target
    target.check(OUTPUTS)  # before any work
    clock = _Clock()
    dry_runs: dict = {}
    with clock("script"):
        beats = beats_of(request, dry_runs)
    ids = [i for i, _ in beats]
    voice, speeches, fell_back = _speak(request, beats, clock)
    silent = request.voice == "none"
    done = Lecture(target.path, 0.0, [], [], fell_back, 0, dry_runs=dry_runs)
    with target.staging() as stage_dir:
        work = stage_dir / ".work"
        work.mkdir()
        clips: list[Path] = []
        chapters_at: list[tuple[int, str]] = []  # (index of the section card's clip, title)
        specs = {"title": (work / "title.mp4", request.title,
                           [*(t for t in (request.course, request.lecturer) if t),
                            plural(len(request.scenes), "chapter")], TITLE_SECONDS),
                 "end": (work / "end.mp4", "Thank you", [request.title, "Made with jacviz"],
                         END_SECONDS)}
        for name, _ in request.scenes:
            sec, idea = section_of(name)
            specs[name] = (work / f"section-{name}.mp4", sec, [idea], SECTION_SECONDS)
        cards = _Cards(request, specs, work)  # before any thread starts: it forks
        sound = None if silent else _Sound(speeches, ids, request.pause, work / "soundtrack.m4a")
        try:
            lengths: list[float] = []  # where every clip starts: the sums of those before
            timed: list[captions.TimedBeat] = []
            placed = []
            for name, params in request.scenes:
                sec, idea = section_of(name)
                mine = [i for i in ids if i.startswith(name + ".")]
                clip = _scene_clip(request, name, params, mine, speeches, work / f"{name}.mp4",
                                   clock, say, done)
                with clock("cards"):  # made meanwhile by the child (waited for, once)
                    for key in (("title", name) if not clips else (name,)):
                        clips.append(cards.get(key))
                        lengths.append(float(probe(clips[-1]).duration))
                chapters_at.append((len(clips) - 1, f"{sec} {idea}".strip()))
                t, p = _place(clip, sum(lengths), mine, speeches, silent)
                clips.append(clip)
                lengths.append(float(probe(clip).duration))
                timed += t
                placed += p
                if sound is not None:
                    sound.put(t)
            with clock("cards"):
                clips.append(cards.get("end"))
            lengths.append(float(probe(clips[-1]).duration))
            starts = [sum(lengths[:k]) for k in range(len(clips))]
            total = sum(lengths)
            chapters = []
            for n, (k, title) in enumerate(chapters_at):
                a = 0.0 if n == 0 else starts[k]
                b = starts[chapters_at[n + 1][0]] if n + 1 < len(chapters_at) else total
                chapters.append(captions.Chapter(a, b, title))
            report, measured = None, None
            if sound is not None:
                with clock("encode"):  # what the levelling and encoder have left by now
                    measured = sound.finish(total)
                if measured[1] <= audio.CEILING_DBTP:
                    stage("join")
                    with clock("join"):
                        report = join(clips, stage_dir / "lecture.mp4", audio=sound.track,
                                      chapters=[(c.start, c.end, c.title) for c in chapters],
                                      metadata={"title": request.title})
            if report is None:  # no voice, or AAC lifted a peak over the ceiling: mixed anew
                over = measured[1] - audio.CEILING_DBTP if measured is not None else 0.0
                report, measured = _join(clips, stage_dir / "lecture.mp4", placed, total,
                                         chapters, request.title, silent, clock, over)
        finally:
            cards.stop()
            if sound is not None:
                sound.abort()
        with clock("write"):
            cue_list = captions.lecture_cues(timed)
            files = {
                "lecture.srt": captions.srt(cue_list),
                "lecture.vtt": captions.webvtt(cue_list),
                "chapters.vtt": captions.chapters_vtt(chapters),
                "chapters.txt": captions.chapters_txt(chapters),
                "transcript.md": captions.transcript_md(request.title, chapters, timed),
                "script.toml": format_script(beats),
            }
            meta = {
                "title": request.title,
                "course": request.course,
                "lecturer": request.lecturer,
                "duration": report.duration,
                "voice": request.voice if not isinstance(voice, voices.Recordings)
                else {"recordings": str(request.voice), "fallback": request.fallback,
                      "fell_back": fell_back},
                "audio": None if measured is None else {
                    "lufs": round(measured[0], 2), "true_peak_dbtp": round(measured[1], 2)},
                "chapters": [{"title": c.title, "start": c.start, "end": c.end} for c in chapters],
                "beats": [{"id": b.id, "start": b.start, "end": b.end,
                           "speech": speeches[b.id].duration, "source": speeches[b.id].source,
                           "text": b.text} for b in timed],
                "scenes": [{"scene": n, "params": dict(p.as_dict()), "changed": sorted(p.changed())}
                           for n, p in request.scenes],
                "rendered": done.rendered,
                "join": {"copied": len(report.copied), "reencoded": len(report.reencoded)},
                "command": rerun_command(request),
            }
            files["lecture.json"] = json.dumps(meta, indent=2, default=_jsonable)
            for rel, text in files.items():
                (stage_dir / rel).write_text(text, encoding="utf-8")
            import shutil

            shutil.rmtree(work)
        target.commit(stage_dir)
    done.duration, done.chapters, done.beats = report.duration, chapters, timed
    done.reencoded = len(report.reencoded)
    done.timings = {k: round(v, 3) for k, v in clock.seconds.items()}
    return done


def _jsonable(v):
    if isinstance(v, tuple):
        return list(v)
    try:
        import numpy as np

        if isinstance(v, np.ndarray):
            return v.tolist()
        if isinstance(v, np.generic):
            return v.item()
    except ImportError:
        pass
    return str(v)


__all__ = ["LectureRequest", "Lecture", "build", "beats_of", "default_script", "read_script",
           "section_of", "BEAT_PAUSE"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: jacviz lecture")

"""``jacviz render SCENE --voice …``: one narrated clip, made as the lecture makes a
chapter (for a lecturer who embeds single clips).

The scene's beats are spoken by the voice (cached per beat, as for the lecture),
the scene is rendered with every beat lasting its speech plus the pause
(:func:`jacviz.studio.lecture._scene_clip`, which keeps the clip cache), the
speech is mixed, normalised to -16 LUFS / -1 dBTP and joined with the clip; the
clip's captions become the narration's sentences.  The clip, its ``.srt`` and its
``.json`` (which records the voice and the loudness) are put in place together.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..core.errors import JacvizError
from . import captions
from .lecture import (LectureRequest, Lecture, _Clock, _join, _place, _scene_clip, _speak,
                      beats_of)
from .request import FORMATS, RenderRequest, clip_metadata


def check(request: RenderRequest) -> None:
    """Refuse what a narrated clip cannot be (before any work)."""
    if request.transparent:
        raise JacvizError("--voice and --transparent: a narrated clip is an mp4, which has no "
                          "transparency; drop one of them")
    if FORMATS[request.format].kind != "clip" or FORMATS[request.format].ext != "mp4":
        raise JacvizError(f"--voice makes an mp4 with sound; --format {request.format} has no "
                          f"sound track (use --format mp4)")


def narrate_clip(request: RenderRequest, voice: str, script=None, fallback=None,
                 timeout=None, voice_cache=None, say=lambda *a: None) -> tuple[list[Path], list[str]]:
    """Render ``request`` narrated by ``voice``; returns (the paths written, the clip
    last; the beats that fell back to ``fallback``)."""
    from .mux import probe

    check(request)
    target = request.output()
    target.check()  # before any work
    extra = {"timeout": timeout} if timeout is not None else {}
    lecture = LectureRequest([(request.scene, request.params)], voice=voice, fallback=fallback,
                             script=Path(script) if script else None, quality=request.quality,
                             resolution=request.resolution, fps=request.fps,
                             progress=request.progress, jobs=request.jobs,
                             voice_cache=voice_cache, **extra)
    clock = _Clock()
    beats = beats_of(lecture)
    voice_used, speeches, fell_back = _speak(lecture, beats, clock)
    done = Lecture(request.target, 0.0, [], [], fell_back, 0)
    silent = voice == "none"
    ids = [i for i, _ in beats]
    with tempfile.TemporaryDirectory(prefix=".narrated-", dir=_work_parent(request)) as work:
        work = Path(work)
        clip = _scene_clip(lecture, request.scene, request.params, ids, speeches,
                           work / "scene.mp4", clock, say, done)
        total = float(probe(clip).duration)
        timed, placed = _place(clip, 0.0, ids, speeches, silent)
        joined = work / "narrated.mp4"
        report, measured = _join([clip], joined, placed, total, [], request.scene, silent, clock)
        meta = clip_metadata(request)
        meta["command"] += f" --voice {voice}" + (f" --script {script}" if script else "") + \
            (f" --fallback {fallback}" if fallback else "")
        meta["narration"] = {
            "voice": voice, "fallback": fallback, "fell_back": fell_back,
            "audio": None if measured is None else {"lufs": round(measured[0], 2),
                                                    "true_peak_dbtp": round(measured[1], 2)},
            "duration": report.duration,
            "beats": [{"id": b.id, "start": b.start, "end": b.end, "text": b.text}
                      for b in timed]}
        outputs = {request.target.with_suffix(".srt"): captions.srt(captions.lecture_cues(timed)),
                   request.target.with_suffix(".json"): json.dumps(meta, indent=2),
                   request.target: joined}
        return target.commit(outputs), fell_back


def _work_parent(request: RenderRequest) -> Path:
    """Where the working files go: manim's ``media/`` (generated output already)."""
    from .request import workdir

    parent = Path(request.media_dir).parent if request.media_dir else workdir() / "media"
    parent.mkdir(parents=True, exist_ok=True)
    return parent

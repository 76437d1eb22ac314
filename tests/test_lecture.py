"""`jacviz lecture`: small lectures at tiny sizes (192x108, 5 fps).

One lecture of two scenes spoken from a folder of generated test tones of known
lengths is made once for the module and checked from every side: the chapters
read back from the mp4 with PyAV, every beat's audio inside its beat, the beats
lengthened to their narration, the caption cues against the non-silent spans
of the mixed track, the loudness targets.  Then: the voice ``none`` renders the
frames `jacviz render` does, espeak speaks two beats, every bad input is one
line and exit 2 with the output untouched, and Ctrl-C leaves nothing.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from jacviz.studio import audio, voice
from jacviz.studio.audio import RATE

SIZE = ["--resolution", "192,108", "--fps", "5"]
FPS = 5
SCENES = ["jacobian-grid", "two-way"]
#: how long a stage may take to come under a loaded machine (a limit, not a wait)
WAIT = 600


def jacviz(*args, cwd=None, env=None, timeout=WAIT):
    return subprocess.run([sys.executable, "-m", "jacviz", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def beat_ids(scenes, cwd) -> list[str]:
    run = jacviz("lecture", *scenes, "--voice", "none", "--list-beats", cwd=cwd)
    assert run.returncode == 0, run.stderr
    return [line.split("\t")[0] for line in run.stdout.splitlines()]


def tone(seconds: float, freq: float = 440.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(round(seconds * RATE))) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def one_sentence_script(path: Path, ids) -> Path:
    """One sentence per beat: a tone is then one sentence, one cue."""
    path.write_text("".join(f'"{i}" = "The beat {k} in one sentence."\n'
                            for k, i in enumerate(ids)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def toned(tmp_path_factory):
    """A lecture of two scenes, each beat a tone of a known length (1.5 s to 8 s: some
    shorter than the beat's animation, some longer)."""
    root = tmp_path_factory.mktemp("toned")
    ids = beat_ids(SCENES, root)
    rec = root / "rec"
    rec.mkdir()
    lengths = {}
    for k, beat in enumerate(ids):
        lengths[beat] = [1.5, 8.0, 3.0, 6.5][k % 4]
        audio.encode_file(rec / f"{beat}.wav", tone(lengths[beat], 300 + 40 * k))
    script = one_sentence_script(root / "script.toml", ids)
    run = jacviz("lecture", *SCENES, "--voice", str(rec), "--script", str(script),
                 "--out", "out", *SIZE, cwd=root)
    assert run.returncode == 0, run.stderr
    out = root / "out"
    meta = json.loads((out / "lecture.json").read_text())
    return {"root": root, "out": out, "meta": meta, "lengths": lengths, "ids": ids,
            "run": run}


def test_the_join_copies_every_clip(toned):
    """Cards and scenes are encoded alike (manim's encoder, one quality): the join copies
    their packets, re-encoding none."""
    assert toned["meta"]["join"] == {"copied": 2 * len(SCENES) + 2, "reencoded": 0}


def test_folder_holds_every_output(toned):
    names = sorted(p.name for p in toned["out"].iterdir() if not p.name.startswith("."))
    assert names == sorted(["lecture.mp4", "lecture.srt", "lecture.vtt", "chapters.vtt",
                            "chapters.txt", "transcript.md", "script.toml", "lecture.json"])
    assert [p.name for p in toned["root"].iterdir() if p.name.startswith(".")] == []


def test_chapters_in_the_mp4(toned):
    import av

    with av.open(str(toned["out"] / "lecture.mp4")) as c:
        chapters = c.chapters()
        video = c.streams.video[0]
        a = c.streams.audio[0]
        assert (video.codec_context.name, video.codec_context.width,
                video.codec_context.height) == ("h264", 192, 108)
        assert (a.codec_context.name, a.codec_context.sample_rate) == ("aac", 48000)
        assert len(c.streams.audio) == 1
    titles = [ch["metadata"]["title"] for ch in chapters]
    assert titles == [m["title"] for m in toned["meta"]["chapters"]]
    assert titles[0].startswith("§1") and titles[1].startswith("§6")
    starts = [ch["start"] * ch["time_base"] for ch in chapters]
    assert float(starts[0]) == 0.0
    # the second chapter starts where the first scene's clip ends: after its last beat
    first_scene_end = max(b["end"] for b in toned["meta"]["beats"]
                          if b["id"].startswith("jacobian-grid."))
    assert float(starts[1]) == pytest.approx(first_scene_end, abs=0.01)
    # the chapters' texts agree
    txt = (toned["out"] / "chapters.txt").read_text().splitlines()
    assert txt[0].startswith("0:00 §1")
    vtt = (toned["out"] / "chapters.vtt").read_text()
    assert vtt.startswith("WEBVTT") and titles[1] in vtt


def test_beats_wait_for_their_narration(toned):
    """Each beat lasts at least its tone plus the pause (a frame's rounding aside); the
    tones' lengths come back as spoken lengths."""
    from jacviz.studio.lecture import BEAT_PAUSE

    beats = toned["meta"]["beats"]
    assert [b["id"] for b in beats] == toned["ids"]
    for b in beats:
        assert b["source"] == "recording"
        assert b["speech"] == pytest.approx(toned["lengths"][b["id"]], abs=0.05)
        assert b["end"] - b["start"] >= b["speech"] + BEAT_PAUSE - 1 / FPS - 1e-6, b
    # the 8 s tones are longer than any beat's animation at these sizes: those beats were
    # lengthened to the tone, to within a frame
    long = [b for b in beats if toned["lengths"][b["id"]] == 8.0]
    assert long
    for b in long:
        assert b["end"] - b["start"] == pytest.approx(8.0 + BEAT_PAUSE, abs=1 / FPS + 0.01)


def test_audio_inside_beats_and_under_captions(toned):
    track = audio.decode(toned["out"] / "lecture.mp4")
    spans = audio.spans(track, min_gap=0.3)
    beats = toned["meta"]["beats"]
    assert len(spans) == len(beats)  # one tone per beat, silence between
    for (a, b), beat in zip(spans, beats):
        assert beat["start"] - 0.05 <= a and b <= beat["end"] + 0.05, (a, b, beat)
        assert b - a == pytest.approx(beat["speech"], abs=0.1)
    # silence between beats is real silence
    for (_, b), (a, _) in zip(spans, spans[1:]):
        gap = track[int((b + 0.1) * RATE):int((a - 0.1) * RATE)]
        assert np.max(np.abs(gap)) < 10 ** (-60 / 20)
    # one cue per beat (one sentence each), on its tone
    cues = _srt(toned["out"] / "lecture.srt")
    assert len(cues) == len(spans)
    for (a, b), (c0, c1, _) in zip(spans, cues):
        assert abs(a - c0) < 0.1 and abs(b - c1) < 0.1
    for _, _, text in cues:
        lines = text.split("\n")
        assert len(lines) <= 2 and all(len(ln) <= 42 for ln in lines)


def test_loudness(toned):
    track = audio.decode(toned["out"] / "lecture.mp4")
    assert audio.loudness(track) == pytest.approx(-16.0, abs=1.0)
    assert audio.true_peak(track) <= -1.0
    # the soundtrack was encoded while the scenes rendered, and measured by the encoder's own
    # decoder: the figures in lecture.json are those of the file
    measured = toned["meta"]["audio"]
    assert measured["lufs"] == pytest.approx(audio.loudness(track), abs=0.02)
    assert measured["true_peak_dbtp"] == pytest.approx(audio.true_peak(track), abs=0.02)


def test_transcript_script_and_command(toned):
    ids = toned["ids"]
    script = (toned["out"] / "script.toml").read_text()
    import tomllib

    data = tomllib.loads(script)
    flat = {f"{s}.{b}": t for s, beats in data.items() for b, t in beats.items()} \
        if all(isinstance(v, dict) for v in data.values()) else data
    assert sorted(flat) == sorted(ids)
    assert flat[ids[3]] == "The beat 3 in one sentence."
    md = (toned["out"] / "transcript.md").read_text()
    assert md.count("\n## ") == 2 and "The beat 0 in one sentence." in md
    cmd = toned["meta"]["command"]
    assert cmd.startswith("jacviz lecture jacobian-grid two-way --voice ")
    assert "--resolution 192,108" in cmd


def test_one_beat_changed_renders_one_scene(toned):
    """A longer recording of one beat of two-way: the lecture again renders two-way alone
    (jacobian-grid's clip comes from the clip cache, its beats' times unchanged), and
    the folder is replaced (it is jacviz's)."""
    assert toned["meta"]["rendered"] == SCENES
    root, ids = toned["root"], toned["ids"]
    beat = next(i for i in ids if i.startswith("two-way."))
    audio.encode_file(root / "rec" / f"{beat}.wav", tone(9.5, 500))
    run = jacviz("lecture", *SCENES, "--voice", str(root / "rec"), "--script",
                 str(root / "script.toml"), "--out", "out", *SIZE, cwd=root)
    assert run.returncode == 0, run.stderr
    meta = json.loads((toned["out"] / "lecture.json").read_text())
    assert meta["rendered"] == ["two-way"]
    old = {b["id"]: b for b in toned["meta"]["beats"]}
    new = {b["id"]: b for b in meta["beats"]}
    for i in ids:
        if i.startswith("jacobian-grid."):
            assert (new[i]["start"], new[i]["end"]) == (old[i]["start"], old[i]["end"])
    assert new[beat]["speech"] == pytest.approx(9.5, abs=0.05)
    assert new[beat]["end"] - new[beat]["start"] >= 9.5 + 1.0 - 1 / FPS
    toned["meta"] = meta


def _srt(path: Path):
    import re

    out = []
    for block in path.read_text().strip().split("\n\n"):
        lines = block.split("\n")
        m = re.match(r"(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)", lines[1])
        g = [int(x) for x in m.groups()]
        out.append((g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000,
                    g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000, "\n".join(lines[2:])))
    return out


# -- the voice none: the frames of `jacviz render` -----------------------------------------
def _frames(log: Path, scene: str) -> list[str]:
    return (log / f"frames-{scene}-all.txt").read_text().split()


def test_voice_none_frames_as_render(tmp_path):
    logs = {}
    for what in ("render", "lecture"):
        log = tmp_path / f"log-{what}"
        log.mkdir()
        env = dict(os.environ, JACVIZ_FRAME_LOG=str(log))
        args = ["render", "jacobian-grid", "--quiet", "--jobs", "1"] if what == "render" else \
            ["lecture", "jacobian-grid", "--voice", "none", "--out", "lec", "--quiet"]
        run = jacviz(*args, *SIZE, cwd=tmp_path, env=env)
        assert run.returncode == 0, run.stderr
        logs[what] = _frames(log, "JacobianGrid")
    assert len(logs["render"]) > 20
    assert logs["lecture"] == logs["render"]
    import av

    with av.open(str(tmp_path / "lec" / "lecture.mp4")) as c:
        assert len(c.streams.audio) == 0
        assert len(c.chapters()) == 1
    # the captions come from the script, inside the beats
    meta = json.loads((tmp_path / "lec" / "lecture.json").read_text())
    cues = _srt(tmp_path / "lec" / "lecture.srt")
    assert cues
    lo = min(b["start"] for b in meta["beats"])
    hi = max(b["end"] for b in meta["beats"])
    assert all(lo - 1e-3 <= a < b <= hi + 1e-3 for a, b, _ in cues)


# -- espeak speaks two beats -----------------------------------------------------------------
def test_espeak_speaks_two_beats(tmp_path):
    lines = [voice.Line("two-way.push", "The small orange arrow is pushed forward through g."),
             voice.Line("two-way.pull", "In blue, the gradient comes back. Then it is paired.")]
    out = voice.speak(voice.Espeak(), lines, cache=tmp_path / "cache")
    for s, ln in zip(out, lines):
        words = len(ln.text.split())
        assert s.source == "espeak"
        assert np.max(np.abs(s.audio)) > 0.05  # not silent
        # between 100 and 260 words a minute
        assert words / 260 * 60 < s.duration < words / 100 * 60 + 1.0
        assert len(s.sentences) == len(voice.spoken.sentences(ln.text))


def test_espeak_lecture(tmp_path):
    """A real voice through the whole lecture: every beat's speech inside its beat, and the
    loudness targets measured on the file as encoded (AAC lifts peaks)."""
    run = jacviz("lecture", "jacobian-grid", "--voice", "espeak", "--out", "lec", "--quiet",
                 *SIZE, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    meta = json.loads((tmp_path / "lec" / "lecture.json").read_text())
    track = audio.decode(tmp_path / "lec" / "lecture.mp4")
    assert audio.loudness(track) == pytest.approx(-16.0, abs=1.0)
    assert audio.true_peak(track) <= -1.0
    beats = meta["beats"]
    assert all(b["source"] == "espeak" for b in beats)
    for a, b in audio.spans(track, min_gap=0.5):
        assert any(x["start"] - 0.05 <= a and b <= x["end"] + 0.05 for x in beats), (a, b)
    for x in beats:
        assert x["end"] - x["start"] >= x["speech"] + 1.0 - 1 / FPS - 1e-6


def test_sharded_lecture_frames_as_one_process(tmp_path):
    """--jobs 2: the forked shards inherit the narration; the frames handed to the encoder
    are those of one process, the beats' times the same."""
    logs, metas = {}, {}
    for jobs in ("1", "2"):
        log = tmp_path / f"log{jobs}"
        log.mkdir()
        work = tmp_path / f"w{jobs}"
        work.mkdir()
        env = dict(os.environ, JACVIZ_FRAME_LOG=str(log))
        run = jacviz("lecture", "jacobian-grid", "--voice", "espeak", "--out", "lec", "--quiet",
                     "--jobs", jobs, *SIZE, cwd=work, env=env)
        assert run.returncode == 0, run.stderr
        logs[jobs] = [h for f in sorted(log.iterdir()) for h in f.read_text().split()]
        metas[jobs] = json.loads((work / "lec" / "lecture.json").read_text())
    assert len(list((tmp_path / "log2").iterdir())) == 2  # two shards
    assert logs["2"] == logs["1"]
    assert [(b["start"], b["end"]) for b in metas["2"]["beats"]] == \
        [(b["start"], b["end"]) for b in metas["1"]["beats"]]


# -- the sync alone --------------------------------------------------------------------------
def test_close_beat_waits_only_when_asked(tmp_path):
    """In a dry run (no frames), a beat asked for 5 s notes one wait of the remainder; with
    no beat_seconds, no wait is added."""
    from jacviz.kit.scene import narrated
    from jacviz.studio.request import resolve_params
    from jacviz.studio.script import narrate

    params = resolve_params("two-way")
    plain = narrate("two-way", params).play_durations
    with narrated(beat_seconds={"spaces": 60.0}):
        scene = narrate("two-way", params)
    longer = scene.play_durations
    assert len(longer) == len(plain) + 1
    # the wait closes the first beat: what the beat played, plus the wait, is 60 s
    k = longer.index(max(longer))
    assert sum(longer[:k + 1]) == pytest.approx(60.0)
    assert longer[:k] + longer[k + 1:] == plain


# -- bad input -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A lecture folder made before each bad command (a stand-in made by jacviz's own
    folder output): it must come out unchanged."""
    root = tmp_path_factory.mktemp("bad")
    run = jacviz("lecture", "jacobian-grid", "--voice", "none", "--out", "out", "--quiet",
                 *SIZE, cwd=root)
    assert run.returncode == 0, run.stderr
    return root


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _bad(root, *args, env=None, match):
    before = _snapshot(root)
    run = jacviz("lecture", "jacobian-grid", "--out", "out", *SIZE, *args, cwd=root, env=env)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: ")
    assert "Traceback" not in run.stderr
    import re

    assert re.search(match, run.stderr), run.stderr
    assert _snapshot(root) == before
    return run.stderr


def test_unknown_voice(previous):
    _bad(previous, "--voice", "robot", match=r"unknown voice 'robot': use piper, espeak, none")


def test_missing_recording(previous, tmp_path):
    ids = beat_ids(["jacobian-grid"], previous)
    rec = tmp_path / "rec"
    rec.mkdir()
    audio.encode_file(rec / f"{ids[0]}.wav", tone(1.0))
    _bad(previous, "--voice", str(rec), match=rf"no recording of beat {ids[1]} in .*--fallback")


def test_unreadable_recording(previous, tmp_path):
    ids = beat_ids(["jacobian-grid"], previous)
    rec = tmp_path / "rec"
    rec.mkdir()
    (rec / f"{ids[0]}.wav").write_bytes(b"not audio at all" * 10)
    _bad(previous, "--voice", str(rec), "--fallback", "silence",
         match=rf"recording of beat {ids[0]}")


def test_script_not_toml(previous, tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text("this is = = not toml\n")
    _bad(previous, "--voice", "none", "--script", str(bad), match=r"is not TOML")


def test_script_unknown_key(previous, tmp_path):
    ids = beat_ids(["jacobian-grid"], previous)
    bad = tmp_path / "s.toml"
    wrong = ids[1][:-1] + "x"
    bad.write_text(f'"{wrong}" = "Hello."\n')
    _bad(previous, "--voice", "none", "--script", str(bad),
         match=rf"unknown beat '{wrong}'; did you mean '{ids[1]}'\?")


def test_engine_not_installed(previous, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    _bad(previous, "--voice", "espeak", env=env, match=r"not installed: apt-get install espeak-ng")


def test_engine_hangs(previous, tmp_path):
    """An espeak-ng that never answers is stopped at the time limit per beat."""
    fake = tmp_path / "bin"
    fake.mkdir()
    exe = fake / "espeak-ng"
    exe.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'eSpeak NG text-to-speech: "
                   "1.0'; exit 0; fi\nexec sleep 1000\n")
    exe.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    _bad(previous, "--voice", "espeak", "--timeout", "1", env=env,
         match=r"gave no audio within 1 s .* on beat jacobian-grid\.")


def test_engine_fails(previous, tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    exe = fake / "espeak-ng"
    exe.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'eSpeak NG 1.0'; exit 0; fi\n"
                   "echo 'broken voice data' >&2; exit 3\n")
    exe.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    _bad(previous, "--voice", "espeak", env=env, match=r"failed \(exit status 3")


def test_piper_not_installed(previous, monkeypatch):
    """piper-tts missing (as without the voice extra): the message gives the install command,
    and nothing is made."""
    from jacviz.core.errors import JacvizError
    from jacviz.studio.lecture import LectureRequest, build
    from jacviz.studio.request import resolve_params

    monkeypatch.setattr(voice.Piper, "_version", staticmethod(lambda dist: None))
    monkeypatch.chdir(previous)
    before = _snapshot(previous)
    req = LectureRequest([("jacobian-grid", resolve_params("jacobian-grid"))], voice="piper",
                         out=previous / "out", resolution=(192, 108), fps=5)
    with pytest.raises(JacvizError, match=r"^the piper voice is not installed: "
                                          r"pip install 'jacviz\[voice\]'$"):
        build(req, say=lambda *a: None)
    assert _snapshot(previous) == before


def test_scheduler_refused(previous):
    _bad(previous, "--voice", "none", "--scheduler", "tcp://x:1", match=r"--scheduler")


# -- Ctrl-C ----------------------------------------------------------------------------------
def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return True
    return state == b"Z"


@pytest.mark.parametrize("voiced", [False, True], ids=["silent", "tones"])
def test_interrupt_mid_render(tmp_path, voiced):
    """Held while the scene's frames are being encoded, then SIGINT: exit 130, one line,
    no output folder, no staging folder, no temporary file, no child left.  Voiced, the
    soundtrack's threads (levelling, encoding) and the cards' child are running then."""
    voice = ["--voice", "none"]
    if voiced:
        rec = tmp_path / "rec"
        rec.mkdir()
        for k, beat in enumerate(beat_ids(["jacobian-grid"], tmp_path)):
            audio.encode_file(rec / f"{beat}.wav", tone(2.0, 300 + 40 * k))
        voice = ["--voice", str(rec)]
    fifo = tmp_path / "stages"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, JACVIZ_STAGE_LOG=str(fifo), JACVIZ_HOLD_AT="frames", TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-m", "jacviz", "lecture", "jacobian-grid",
                             *voice, "--out", "out", "--quiet", *SIZE], cwd=work,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        buffer, held = b"", False
        deadline = time.monotonic() + WAIT
        while not held:
            assert proc.poll() is None, proc.communicate()
            left = deadline - time.monotonic()
            assert left > 0, "no stage 'frames'"
            if select.select([fd], [], [], min(left, 5.0))[0]:
                buffer += os.read(fd, 65536)
                held = any(ln.split()[0] == "frames" for ln in buffer.decode().splitlines()
                           if ln.strip())
        children = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
                    .read_text().split()]
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(fd)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert err == "error: interrupted\n"
    assert all(gone(c) for c in children)
    assert [p.name for p in work.iterdir() if p.name != "media"] == []
    assert list(tmp.iterdir()) == []


# -- the [lecture] table: the title card --------------------------------------------------------
def test_lecture_table_on_the_title_card(tmp_path):
    """A config's [lecture] table names the title, course and lecturer: they are in
    lecture.json and on the title card (its first frames differ from the default card's);
    `jacviz render` reads past the table."""
    import av

    (tmp_path / "c.toml").write_text('[lecture]\ntitle = "Week 5: the chain rule"\n'
                                     'course = "MATH 2210, Vector Calculus"\n'
                                     'lecturer = "Dr. Ada Lovelace"\n'
                                     '[jacobian-grid]\npoint = [1.0, 0.5]\n')
    run = jacviz("lecture", "jacobian-grid", "--voice", "none", "--config", "c.toml",
                 "--out", "out", "--quiet", *SIZE, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    meta = json.loads((tmp_path / "out" / "lecture.json").read_text())
    assert (meta["title"], meta["course"], meta["lecturer"]) == (
        "Week 5: the chain rule", "MATH 2210, Vector Calculus", "Dr. Ada Lovelace")
    assert meta["scenes"][0]["changed"] == ["point"]
    (tmp_path / "t.toml").write_text('[lecture]\ntitle = "Week 5: the chain rule"\n')
    run = jacviz("lecture", "jacobian-grid", "--voice", "none", "--config", "t.toml",
                 "--out", "plain", "--quiet", *SIZE, cwd=tmp_path)
    assert run.returncode == 0, run.stderr

    def card(folder):  # the title card's last frame (it holds from 0.6 s to 4 s)
        with av.open(str(tmp_path / folder / "lecture.mp4")) as c:
            for frame in c.decode(video=0):
                if frame.time >= 3.0:
                    return frame.to_ndarray(format="gray").astype(int)

    def lines(frame):  # bands of rows with text on them
        inked = (frame > 100).any(axis=1).astype(int)
        return int((np.diff(inked) == 1).sum() + inked[0])

    # two more lines of text: the course and the lecturer
    assert lines(card("out")) == lines(card("plain")) + 2
    run = jacviz("render", "jacobian-grid", "--config", "c.toml", "--format", "png", "--quiet",
                 *SIZE, cwd=tmp_path)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("table, match", [
    ('[lecture]\nteacher = "A"\n', r"\[lecture\] has no key 'teacher'; did you mean lecturer"),
    ('[lecture]\ncourse = 3\n', r"\[lecture\] course must be a non-empty string"),
    ('[lecture]\ncourse = "a\\nb"\n', r"\[lecture\] course must be one printable line"),
])
def test_lecture_table_bad(previous, table, match):
    (previous / "bad.toml").write_text(table)
    try:
        _bad(previous, "--voice", "none", "--config", "bad.toml", match=match)
    finally:
        (previous / "bad.toml").unlink()


def test_a_track_over_the_ceiling_is_levelled_anew_with_the_overshoot_kept(tmp_path, monkeypatch):
    """When the streamed track went over the true-peak ceiling as encoded, the lecture mixes
    anew; the first try keeps the overshoot (and 0.1 dB) as extra headroom, not the usual
    headroom that already went over, and the file it joins is under the ceiling."""
    from test_mux import make_clip

    from jacviz.studio import lecture

    clip = make_clip(tmp_path / "a.mp4", [(200, 40, 40)] * 30)
    rng = np.random.default_rng(3)
    loud = np.clip(rng.normal(0, 0.3, audio.RATE), -1, 1).astype(np.float32)  # one second
    tries = []
    normalise = audio.normalise

    def recorded(x, **kw):
        tries.append(kw["headroom"])
        return normalise(x, **kw)

    monkeypatch.setattr(audio, "normalise", recorded)
    _, measured = lecture._join([clip], tmp_path / "out.mp4", [(0.2, loud)], 2.0, [], "t",
                                False, lecture._Clock(), over=1.5)
    assert tries[0] == pytest.approx(audio.CODEC_HEADROOM + 1.6)
    assert measured[1] <= audio.CEILING_DBTP
    tries.clear()
    lecture._join([clip], tmp_path / "out2.mp4", [(0.2, loud)], 2.0, [], "t", False,
                  lecture._Clock())
    assert tries[0] == audio.CODEC_HEADROOM  # no overshoot known: the usual headroom

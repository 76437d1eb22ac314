"""The lecture's voices: recordings (test tones of known lengths), espeak-ng, piper (two short
beats), the cache, every bad input, engines that fail or hang, an interrupt during synthesis;
and a small lecture's track: mixed, normalised, captioned."""

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from jacviz.core import spoken
from jacviz.core.errors import JacvizError
from jacviz.studio import audio, captions, voice
from jacviz.studio.audio import RATE
from jacviz.studio.voice import Line

WAIT = 600  # seconds: a bound for a broken command, never a guess at how long a stage takes


def tone(seconds, freq=440.0, lead=0.0, tail=0.0, dbfs=-12.0, rate=RATE):
    t = np.arange(int(round(seconds * rate))) / rate
    x = 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t)
    return np.concatenate([np.zeros(int(lead * rate)), x, np.zeros(int(tail * rate))])


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """tempfile's folder, to check that nothing is left in it."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# -- choosing a voice ------------------------------------------------------------------
def test_unknown_voices_and_fallbacks(tmp_path):
    with pytest.raises(JacvizError, match=r"^unknown voice 'robot': use piper, espeak, none or a "
                                          r"folder of recordings$"):
        voice.make_voice("robot")
    with pytest.raises(JacvizError, match=r"^the folder of recordings \./takes does not exist$"):
        voice.make_voice("./takes")
    (tmp_path / "take.wav").write_bytes(b"")
    with pytest.raises(JacvizError, match="is a file: give a folder of recordings"):
        voice.make_voice(str(tmp_path / "take.wav"))
    with pytest.raises(JacvizError, match=r"^unknown fallback voice 'none': use one of piper, "
                                          r"espeak, silence$"):
        voice.make_voice(str(tmp_path), fallback="none")
    assert isinstance(voice.make_voice("piper"), voice.Piper)
    assert isinstance(voice.make_voice("espeak"), voice.Espeak)
    assert isinstance(voice.make_voice("none"), voice.NoVoice)
    rec = voice.make_voice(str(tmp_path), fallback="silence")
    assert isinstance(rec, voice.Recordings) and isinstance(rec.fallback, voice.Silence)
    with pytest.raises(JacvizError, match="time limit per beat must be positive"):
        voice.Espeak(timeout=0)


def test_no_voice_times_sentences_at_150_words_a_minute():
    (s,) = voice.speak(voice.NoVoice(), [Line("a.b", "One two three four five. Six seven.")])
    assert s.audio is None and s.source == "none"
    assert s.sentences == [(0.0, 2.0, "One two three four five."),
                           (pytest.approx(2.4), pytest.approx(3.2), "Six seven.")]
    assert s.duration == pytest.approx(3.2)
    assert s.at(10.0)[1] == (pytest.approx(12.4), pytest.approx(13.2), "Six seven.")


# -- recordings ------------------------------------------------------------------------
@pytest.fixture
def takes(tmp_path):
    folder = tmp_path / "takes"
    folder.mkdir()
    audio.encode_file(folder / "two-way.push.wav", tone(1.5, lead=0.3, tail=0.5))
    audio.encode_file(folder / "two-way.pull.flac", tone(0.8, 660, tail=0.2, rate=44100),
                      rate=44100)
    # two sentences with a pause between them
    audio.encode_file(folder / "two-way.pair.mp3",
                      np.concatenate([tone(1.0, rate=44100), np.zeros(int(0.5 * 44100)),
                                      tone(2.0, 550, rate=44100)]), rate=44100)
    return folder


LINES = [Line("two-way.push", "The arrow is pushed forward."),
         Line("two-way.pull", "The gradient is pulled back."),
         Line("two-way.pair", "One. The pairing is the same in every space, both ways.")]


def test_recordings_of_known_lengths(takes):
    rec = voice.make_voice(str(takes))
    push, pull, pair = voice.speak(rec, LINES)
    assert [s.source for s in (push, pull, pair)] == ["recording"] * 3
    assert rec.fell_back == []
    # leading and trailing silence trimmed (20 ms kept either side)
    assert push.duration == pytest.approx(1.5 + 0.04, abs=0.011)
    assert pull.duration == pytest.approx(0.8 + 0.02, abs=0.011)  # nothing before it to keep
    assert push.sentences == [(0.0, push.duration, "The arrow is pushed forward.")]
    # two sentences: the boundary is the recording's pause (1.0 s tone, 0.5 s, 2.0 s tone)
    (a0, a1, s0), (b0, b1, s1) = pair.sentences
    assert (s0, s1) == ("One.", "The pairing is the same in every space, both ways.")
    assert a1 == pytest.approx(0.02 + 1.0, abs=0.06) and b0 == pytest.approx(0.02 + 1.5, abs=0.06)
    assert b1 == pytest.approx(pair.duration)


def test_missing_recordings_fall_back_or_fail(takes):
    lines = LINES + [Line("two-way.dual", "Duality ties the two together.")]
    with pytest.raises(JacvizError, match=r"^no recording of beat two-way.dual in .*takes \(record "
                                          r"two-way.dual.wav, or any audio format, or give "
                                          r"--fallback piper\|espeak\|silence\)$"):
        voice.speak(voice.make_voice(str(takes)), lines)
    rec = voice.make_voice(str(takes), fallback="silence")
    out = voice.speak(rec, lines)
    assert rec.fell_back == ["two-way.dual"]
    assert [s.source for s in out] == ["recording"] * 3 + ["silence"]
    assert out[3].duration == pytest.approx(spoken.speech_seconds(lines[3].text))
    assert not np.any(out[3].audio)


def test_fallback_espeak_speaks_the_missing_beat(takes, tmp_path):
    rec = voice.make_voice(str(takes), fallback="espeak")
    out = voice.speak(rec, [Line("two-way.dual", "Duality ties the two together.")] + LINES[:1],
                      cache=tmp_path / "cache")
    assert rec.fell_back == ["two-way.dual"]
    assert out[0].source == "espeak" and audio.spans(out[0].audio)
    assert out[1].source == "recording"


def test_bad_recordings(takes):
    (takes / "two-way.push.ogg").write_bytes(b"")
    with pytest.raises(JacvizError, match=r"^two recordings of beat two-way.push: "
                                          r"two-way.push.ogg and two-way.push.wav \(keep one\)$"):
        voice.make_voice(str(takes))
    (takes / "two-way.push.ogg").unlink()
    (takes / "two-way.push.wav").write_text("not sound at all\n" * 10)
    with pytest.raises(JacvizError, match=r"^cannot read the recording of beat two-way.push "):
        voice.speak(voice.make_voice(str(takes)), LINES)
    audio.encode_file(takes / "two-way.push.wav", np.zeros(RATE))
    with pytest.raises(JacvizError, match=r"^the recording of beat two-way.push .* is silent$"):
        voice.speak(voice.make_voice(str(takes)), LINES)
    audio.encode_file(takes / "two-way.psh.wav", tone(1.0))
    with pytest.raises(JacvizError, match=r"^the recording two-way.psh.wav is named after no beat; "
                                          r"did you mean two-way.push\?"):
        voice.make_voice(str(takes), known=[ln.id for ln in LINES])
    with pytest.raises(JacvizError, match="beat two-way.push is given twice"):
        voice.speak(voice.NoVoice(), [LINES[0], LINES[0]])


# -- espeak-ng -------------------------------------------------------------------------
def test_espeak_speaks_and_caches(tmp_path, private_tmp):
    cache = tmp_path / "cache"
    v = voice.Espeak()
    lines = [Line("two-way.push", "The small orange arrow at x zero is pushed through g. "
                                  "Its image is what the Jacobian of g does to it."),
             Line("two-way.pull", "In blue, the gradient comes back.")]
    first = voice.speak(v, lines, cache=cache)
    for s, ln in zip(first, lines):
        assert s.source == "espeak" and not s.cached
        words = spoken.word_count(ln.text)
        assert 0.2 < s.duration / words < 0.8  # seconds per word: a plausible voice
        assert [t for _, _, t in s.sentences] == spoken.sentences(ln.text)
        assert audio.spans(s.audio)
    (a, b) = first[0].sentences
    # between two sentences: 0.4 s of digital silence
    assert b[0] - a[1] == pytest.approx(spoken.SENTENCE_PAUSE, abs=1 / RATE)
    assert not np.any(first[0].audio[int(np.ceil(a[1] * RATE)):int(b[0] * RATE)])
    assert sorted(p.suffix for p in cache.iterdir()) == [".npz", ".npz"]
    again = voice.speak(v, lines, cache=cache)
    assert all(s.cached for s in again)
    for s, t in zip(first, again):
        assert np.array_equal(s.audio, t.audio) and s.sentences == t.sentences
    # one beat's text edited: that beat alone is spoken again
    edited = [lines[0], Line("two-way.pull", "In sky blue, the gradient comes back.")]
    third = voice.speak(v, edited, cache=cache)
    assert [s.cached for s in third] == [True, False]
    assert len(list(cache.iterdir())) == 3
    assert list(private_tmp.iterdir()) == []


def test_a_damaged_cache_entry_is_spoken_again(tmp_path):
    cache = tmp_path / "cache"
    v = voice.Espeak()
    (s,) = voice.speak(v, [Line("a.b", "Hello there.")], cache=cache)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"garbage")
    (t,) = voice.speak(v, [Line("a.b", "Hello there.")], cache=cache)
    assert not t.cached and np.array_equal(s.audio, t.audio)
    assert entry.read_bytes()[:2] == b"PK"  # rewritten (an npz is a zip)


def test_engines_not_installed(monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(JacvizError, match=r"^the espeak voice needs espeak-ng, which is not "
                                          r"installed: apt-get install espeak-ng$"):
        voice.speak(voice.Espeak(), [Line("a.b", "Hello.")], cache=tmp_path / "cache")
    monkeypatch.setattr(voice.Piper, "_version", staticmethod(lambda dist: None))
    with pytest.raises(JacvizError, match=r"^the piper voice is not installed: "
                                          r"pip install 'jacviz\[voice\]'$"):
        voice.speak(voice.Piper(), [Line("a.b", "Hello.")], cache=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_fallback_engine_not_installed(monkeypatch, takes, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    rec = voice.make_voice(str(takes), fallback="espeak")
    with pytest.raises(JacvizError, match="apt-get install espeak-ng"):
        voice.speak(rec, LINES + [Line("x.y", "Missing.")], cache=tmp_path / "cache")


# -- piper ----------------------------------------------------------------------------
def test_piper_speaks_two_beats(tmp_path, private_tmp):
    cache = tmp_path / "cache"
    lines = [Line("two-way.push", "The orange arrow is pushed forward. It grows."),
             Line("two-way.pull", "The blue gradient comes back.")]
    out = voice.speak(voice.Piper(), lines, cache=cache)
    for s, ln in zip(out, lines):
        assert s.source == "piper" and s.audio.dtype == np.float32
        assert audio.spans(s.audio), "silent"
        assert audio.loudness(s.audio) > -40
        assert 0.2 < s.duration / spoken.word_count(ln.text) < 0.8
        assert [t for _, _, t in s.sentences] == spoken.sentences(ln.text)
        assert s.sentences[-1][1] == pytest.approx(s.duration)
    assert all(s.cached for s in voice.speak(voice.Piper(), lines, cache=cache))
    assert list(private_tmp.iterdir()) == []


STAND_IN = """#!{python}
# a stand-in for `python -m piper`: speaks the first {good} line(s), then {then}
import os, sys, time, wave
args = sys.argv[1:]
text = open(args[args.index("-i") + 1]).read().splitlines()
out = args[args.index("-d") + 1]
os.makedirs(out, exist_ok=True)
with open(os.environ["STAND_IN_PID"], "w") as fh:
    fh.write(str(os.getpid()))
for k, line in enumerate(text[:{good}]):
    path = os.path.join(out, f"{{time.monotonic_ns()}}.wav")
    with wave.open(path, "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
        w.writeframes(b"\\x00\\x10" * 22050)
    print(f"INFO:__main__:Wrote {{path}}", file=sys.stderr, flush=True)
{action}
"""
ACTIONS = {"fail": 'print("RuntimeError: the model is broken", file=sys.stderr); sys.exit(3)',
           # a stand-in engine that never ends: it blocks on nothing, until it is killed
           "hang": "import select; select.select([], [], [])"}


def stand_in(tmp_path, good, then):
    script = tmp_path / f"piper-{then}-{good}"
    script.write_text(STAND_IN.format(python=sys.executable, good=good, then=then,
                                      action=ACTIONS[then]))
    script.chmod(0o755)
    model = tmp_path / "model.onnx"
    model.write_bytes(b"stand-in model")
    return script, model


THREE = [Line("s.one", "First beat."), Line("s.two", "Second beat. It has two sentences."),
         Line("s.three", "Third beat.")]


@pytest.mark.parametrize("good,beat", [(0, "s.one"), (2, "s.two"), (3, "s.three")],
                         ids=["at-once", "halfway", "at-the-last-beat"])
def test_piper_that_fails(tmp_path, private_tmp, monkeypatch, good, beat):
    monkeypatch.setenv("STAND_IN_PID", str(tmp_path / "pid"))
    script, model = stand_in(tmp_path, good, "fail")
    v = voice.Piper(model=model, python=str(script))
    with pytest.raises(JacvizError, match=rf"^the piper voice failed \(exit status 3: RuntimeError: "
                                          rf"the model is broken\) on beat {beat}$"):
        voice.speak(v, THREE, cache=tmp_path / "cache")
    assert list(private_tmp.iterdir()) == []
    assert not (tmp_path / "cache").exists()


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return True
    return state == b"Z"


@pytest.mark.parametrize("good,beat", [(0, "s.one"), (1, "s.two"), (2, "s.two"), (3, "s.three")],
                         ids=["at-once", "first-sentence-of-beat-2", "second-sentence-of-beat-2",
                              "last-beat"])
def test_piper_that_hangs_is_stopped(tmp_path, private_tmp, monkeypatch, good, beat):
    """The time limit is per beat (here 1 s; the stand-in never finishes a sentence)."""
    monkeypatch.setenv("STAND_IN_PID", str(tmp_path / "pid"))
    script, model = stand_in(tmp_path, good, "hang")
    v = voice.Piper(model=model, python=str(script), timeout=1.0, startup=0.0)
    with pytest.raises(JacvizError, match=rf"^the piper voice gave no audio within 1 s \(its time "
                                          rf"limit per beat\) and was stopped on beat {beat}$"):
        voice.speak(v, THREE, cache=tmp_path / "cache")
    assert gone(int((tmp_path / "pid").read_text()))
    assert list(private_tmp.iterdir()) == []


INTERRUPTED = textwrap.dedent("""
    import sys
    from jacviz.core import signals
    signals.install()
    from jacviz.studio.voice import Line, Piper, speak
    try:
        speak(Piper(), [Line("a.b", "This sentence is never finished, for the command is stopped.")],
              cache=sys.argv[1])
    except signals.Interrupted as exc:
        print("error: interrupted", file=sys.stderr)
        sys.exit(exc.exit_status)
    print("finished")
""")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_during_synthesis(tmp_path, sig):
    """Held at the stage where piper runs, then interrupted: no child left, no temporary file,
    nothing in the cache."""
    fifo = tmp_path / "stages"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    cache = tmp_path / "cache"
    env = dict(os.environ, JACVIZ_STAGE_LOG=str(fifo), JACVIZ_HOLD_AT="voice", TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(cache)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        buffer, words = b"", None
        deadline = time.monotonic() + WAIT
        while words is None:
            assert proc.poll() is None, proc.communicate()
            left = deadline - time.monotonic()
            assert left > 0, "no stage 'voice'"
            if select.select([fd], [], [], min(left, 5.0))[0]:
                buffer += os.read(fd, 65536)
                for line in buffer.decode().splitlines():
                    if line.split()[0] == "voice":
                        words = line.split()
        assert words[2] == "piper"
        child = int(words[3])
        assert not gone(child)  # piper is running
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(fd)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + sig, err
    assert err == "error: interrupted\n" and out == ""
    assert gone(child)
    assert list(tmp.iterdir()) == []
    assert not cache.exists() or list(cache.iterdir()) == []


# -- a small lecture's track -----------------------------------------------------------
def test_small_lecture_track(tmp_path):
    """Three beats spoken, placed one after another (1 s between beats), mixed and
    normalised: no voice overlaps the next, the silence between beats is digital zero,
    the loudness targets hold, and the caption cues cover the speech."""
    lines = [Line("two-way.push", "The small orange arrow at x zero is pushed through g. "
                                  "Its image is what the Jacobian of g does to it, in every "
                                  "direction you could choose, at once."),
             Line("two-way.pull", "In blue, the gradient comes back."),
             Line("two-way.pair", "The pairing is " + spoken.say_num(0.3) + ", and "
                                  + spoken.say_num(0.3) + " again.")]
    out = voice.speak(voice.Espeak(), lines, cache=tmp_path / "cache")
    t, placed, beats = 0.5, [], []
    for s in out:
        placed.append((t, s.audio))
        beats.append(captions.TimedBeat(s.id, t, t + s.duration, s.text, s.at(t)))
        t += s.duration + 1.0
    track = audio.normalise(audio.mix(placed, duration=t))
    assert audio.loudness(track) == pytest.approx(-16.0, abs=0.5)
    assert audio.true_peak(track) <= -1.0
    for (t0, a), (t1, _) in zip(placed, placed[1:]):
        end = int(round(t0 * RATE)) + len(a)
        assert end <= int(round(t1 * RATE))
        assert not np.any(track[end:int(round(t1 * RATE))])  # digital zero between beats
    assert not np.any(track[:int(0.5 * RATE)])
    cue_list = captions.lecture_cues(beats)
    assert len(cue_list) > len(out)  # the long sentence became several cues
    speech = audio.spans(track)
    assert speech
    slack = 0.025
    for a, b in speech:  # every bit of speech is under a cue
        covered = [c for c in cue_list if c.start - slack <= b and c.end + slack >= a]
        assert covered, (a, b)
        assert min(c.start for c in covered) - slack <= a
        assert max(c.end for c in covered) + slack >= b
    for c in cue_list:  # and every cue has speech under it
        assert any(a < c.end and b > c.start for a, b in speech), c
    for c in cue_list:
        assert all(len(ln) <= 42 for ln in c.lines) and len(c.lines) <= 2
    # and in an mp4 (AAC): the targets still hold, the chapters read back
    import av

    from jacviz.studio import mux

    clip = tmp_path / "clip.mp4"
    with av.open(str(clip), "w") as c:
        s = c.add_stream("libx264", rate=10)
        s.width, s.height, s.pix_fmt = 160, 90, "yuv420p"
        for _ in range(int(np.ceil(t * 10))):
            for p in s.encode(av.VideoFrame.from_ndarray(np.zeros((90, 160, 3), np.uint8),
                                                         format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    out = tmp_path / "lecture.mp4"
    mux.join([clip], out, audio=track, chapters=[(b.start, b.end, b.id) for b in beats])
    decoded = audio.decode(out)
    assert audio.loudness(decoded) == pytest.approx(-16.0, abs=0.5)
    assert audio.true_peak(decoded) <= -1.0
    with av.open(str(out)) as c:
        assert [m["metadata"]["title"] for m in c.chapters()] == [b.id for b in beats]


def test_sentence_boundaries_in_a_recording():
    z = lambda s: np.zeros(int(s * RATE))  # noqa: E731
    x = np.concatenate([tone(1.0), z(0.2), tone(1.0), z(0.6), tone(1.0), z(0.5), tone(1.0)])
    out = voice.split_sentences(x, "A first long one here. A second. A third.")
    # three sentences: the two longest pauses (0.6 s and 0.5 s), not the 0.2 s one
    assert [(round(a, 2), round(b, 2)) for a, b, _ in out] == [(0.0, 2.2), (2.8, 3.8), (4.3, 5.3)]
    # no pause at all: where the sentences' lengths put the boundary
    out = voice.split_sentences(tone(4.0), "Twelve chars. Twelve chars.")
    assert [round(b, 2) for _, b, _ in out] == [2.0, 4.0]
    # fewer pauses than boundaries: the pause takes the nearest boundary, the other one
    # falls where the lengths put it (8, 11 and 9 characters: 19/28 of 4.5 s)
    x = np.concatenate([tone(1.0), z(0.5), tone(3.0)])
    out = voice.split_sentences(x, "One two. Three four. Five six.")
    assert [(round(a, 2), round(b, 2)) for a, b, _ in out] == [(0.0, 1.0), (1.5, 3.05), (3.05, 4.5)]


ESPEAK_STAND_IN = """#!/bin/sh
# a stand-in for espeak-ng: answers --version, then {action}
case "$1" in --version) echo "eSpeak NG stand-in 0.0"; exit 0;; esac
echo $$ > "$STAND_IN_PID"
{command}
"""


@pytest.mark.parametrize("action", ["fail", "hang"])
def test_espeak_that_fails_or_hangs(tmp_path, private_tmp, monkeypatch, action):
    monkeypatch.setenv("STAND_IN_PID", str(tmp_path / "pid"))
    script = tmp_path / "espeak-ng"
    command = {"fail": 'echo "espeak: voice not found" >&2; exit 1', "hang": "exec sleep 3600"}
    script.write_text(ESPEAK_STAND_IN.format(action=action, command=command[action]))
    script.chmod(0o755)
    v = voice.Espeak(binary=str(script), timeout=1.0)
    message = {"fail": r"failed \(exit status 1: espeak: voice not found\)",
               "hang": r"gave no audio within 1 s \(its time limit per beat\) and was stopped"}
    with pytest.raises(JacvizError, match=rf"^the espeak voice {message[action]} on beat s.one$"):
        voice.speak(v, THREE, cache=tmp_path / "cache")
    assert gone(int((tmp_path / "pid").read_text()))
    assert list(private_tmp.iterdir()) == []
    assert not (tmp_path / "cache").exists()

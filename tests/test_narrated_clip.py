"""`jacviz render SCENE --voice …`: one narrated clip, at a tiny size (192x108, 5 fps).

Spoken from a folder of generated test tones of known lengths (one beat left out, so
the fallback speaks it): the clip has one AAC track at 48 kHz, every beat lasts its
tone plus the pause, the captions are the narration's sentences on the tones, the
loudness targets hold, the metadata names the voice, and the command given back
makes the same clip.  Bad combinations are one line and exit 2, nothing written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from jacviz.studio import audio
from jacviz.studio.audio import RATE

from test_lecture import SIZE, FPS, _srt, beat_ids, jacviz, one_sentence_script, tone

SCENE = "jacobian-grid"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    root = tmp_path_factory.mktemp("narrated")
    ids = beat_ids([SCENE], root)
    rec = root / "rec"
    rec.mkdir()
    lengths = {}
    for k, beat in enumerate(ids[1:], start=1):  # the first beat has no recording
        lengths[beat] = [2.0, 7.0, 3.5][k % 3]
        audio.encode_file(rec / f"{beat}.wav", tone(lengths[beat], 330 + 30 * k))
    script = one_sentence_script(root / "script.toml", ids)
    run = jacviz("render", SCENE, "--voice", str(rec), "--fallback", "silence", "--script",
                 str(script), "--out", "clip.mp4", *SIZE, cwd=root)
    assert run.returncode == 0, run.stderr
    meta = json.loads((root / "clip.json").read_text())
    return {"root": root, "ids": ids, "lengths": lengths, "run": run, "meta": meta}


def test_the_fallback_is_reported(clip):
    first = clip["ids"][0]
    assert f"no recording, spoken by --fallback silence: {first}\n" in clip["run"].stdout
    narration = clip["meta"]["narration"]
    assert narration["fell_back"] == [first]
    assert narration["voice"].endswith("rec") and narration["fallback"] == "silence"


def test_one_aac_track_and_beats_as_long_as_their_speech(clip):
    import av

    from jacviz.studio.lecture import BEAT_PAUSE

    with av.open(str(clip["root"] / "clip.mp4")) as c:
        assert [s.type for s in c.streams] == ["video", "audio"]
        a = c.streams.audio[0]
        assert (a.codec_context.name, a.codec_context.sample_rate) == ("aac", 48000)
        assert c.streams.video[0].codec_context.width == 192
    beats = clip["meta"]["narration"]["beats"]
    assert [b["id"] for b in beats] == clip["ids"]
    for b in beats[1:]:
        assert b["end"] - b["start"] >= clip["lengths"][b["id"]] + BEAT_PAUSE - 1 / FPS - 1e-6


def test_captions_on_the_tones_and_loudness(clip):
    track = audio.decode(clip["root"] / "clip.mp4")
    spans = audio.spans(track, min_gap=0.3)
    assert len(spans) == len(clip["ids"]) - 1  # the silent fallback beat has no sound
    for (a, b), beat in zip(spans, clip["ids"][1:]):
        assert b - a == pytest.approx(clip["lengths"][beat], abs=0.1)
    cues = _srt(clip["root"] / "clip.srt")
    texts = [t.replace("\n", " ") for _, _, t in cues]
    assert texts == [f"The beat {k} in one sentence." for k in range(len(clip["ids"]))]
    for (a, b), (c0, c1, _) in zip(spans, cues[1:]):
        assert abs(a - c0) < 0.1 and abs(b - c1) < 0.1
    assert audio.loudness(track) == pytest.approx(-16.0, abs=1.0)
    assert audio.true_peak(track) <= -1.0
    measured = clip["meta"]["narration"]["audio"]
    assert measured["lufs"] == pytest.approx(audio.loudness(track), abs=0.05)


def test_the_command_makes_it_again(clip):
    cmd = clip["meta"]["command"]
    assert cmd.startswith(f"jacviz render {SCENE} ") and " --voice " in cmd
    assert "--fallback silence" in cmd and "--script " in cmd


@pytest.mark.parametrize("args, match", [
    (["--format", "gif"], r"--voice makes an mp4 with sound; --format gif"),
    (["--transparent", "--format", "mov"], r"--voice and --transparent"),
    (["--voice", "piper", "--fallback", "silence"], r"--fallback is for a folder"),
    (["--voice", "robot"], r"unknown voice 'robot'"),
])
def test_bad_combinations(tmp_path, args, match):
    import re

    full = list(args) if "--voice" in args else ["--voice", "espeak", *args]
    run = jacviz("render", SCENE, *full, *SIZE, cwd=tmp_path)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1
    assert re.search(match, run.stderr), run.stderr
    assert not (tmp_path / "renders").exists()


def test_script_without_voice(tmp_path):
    (tmp_path / "s.toml").write_text("")
    run = jacviz("render", SCENE, "--script", "s.toml", *SIZE, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == "error: --script narrates the clip: give --voice too, e.g. --voice piper\n"

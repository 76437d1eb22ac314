"""Joining clips into one mp4: copied packets, re-encoded odd clips, the AAC track and the
chapter marks, read back with PyAV.  The clips are made here with PyAV (solid colours at
160x90), so no manim is needed."""

import os
from fractions import Fraction

import av
import numpy as np
import pytest

from jacviz.core.errors import JacvizError
from jacviz.engine.encoding import X264_OPTIONS
from jacviz.studio import audio, mux
from jacviz.studio.audio import RATE

RED, GREEN, BLUE, YELLOW, WHITE = (230, 30, 30), (30, 200, 60), (40, 60, 220), (240, 220, 20), \
    (250, 250, 250)


def make_clip(path, colours, fps=15, size=(160, 90), crf="23"):
    """A clip of one frame per colour, encoded as jacviz's clips are (libx264, CRF 23,
    x264's veryfast preset: jacviz.engine.encoding)."""
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=fps, options={**X264_OPTIONS, "crf": crf})
        s.width, s.height, s.pix_fmt = size[0], size[1], "yuv420p"
        for col in colours:
            img = np.empty((size[1], size[0], 3), np.uint8)
            img[:] = col
            for p in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def frames(path):
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


@pytest.fixture
def clips(tmp_path):
    return [make_clip(tmp_path / "a.mp4", [RED] * 5 + [GREEN] * 5),
            make_clip(tmp_path / "b.mp4", [BLUE] * 7),
            make_clip(tmp_path / "c.mp4", [YELLOW] * 3)]


def test_clips_encoded_alike_are_copied_frame_for_frame(clips, tmp_path):
    out = tmp_path / "out" / "lecture.mp4"
    report = mux.join(clips, out)
    assert report.copied == clips and report.reencoded == []
    assert report.duration == pytest.approx(20 / 15)
    joined = frames(out)
    inputs = [f for c in clips for f in frames(c)]
    assert len(joined) == len(inputs) == 20
    for a, b in zip(joined, inputs):
        assert np.array_equal(a, b)  # the very same decoded pictures
    with av.open(str(out)) as c:
        assert [s.type for s in c.streams] == ["video"]
        v = c.streams.video[0]
        assert v.codec_context.name == "h264" and (v.width, v.height) == (160, 90)
        assert float(v.duration * v.time_base) == pytest.approx(20 / 15)
        assert Fraction(v.average_rate) == 15
    # packets copied: the payloads are the inputs' payloads
    def payloads(path):
        with av.open(str(path)) as c:
            return [bytes(p) for p in c.demux(video=0) if p.size]
    assert payloads(out) == [p for clip in clips for p in payloads(clip)]
    assert sorted(os.listdir(out.parent)) == ["lecture.mp4"]  # no temporary file left


def test_audio_track_and_chapters_read_back(clips, tmp_path):
    out = tmp_path / "lecture.mp4"
    seconds = 20 / 15
    t = np.arange(int(RATE * 1.0)) / RATE
    tone = (0.25 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)  # 1 s, shorter than video
    chapters = [(0.0, 10 / 15, "§1 The Jacobian"), (10 / 15, seconds, "§2 Composition")]
    mux.join(clips, out, audio=tone, chapters=chapters, metadata={"title": "The lesson"})
    with av.open(str(out)) as c:
        kinds = [s.type for s in c.streams]
        assert kinds[:2] == ["video", "audio"]
        a = c.streams.audio[0]
        assert a.codec_context.name == "aac" and a.rate == 48000 and a.channels == 1
        assert c.metadata["title"] == "The lesson"
        marks = c.chapters()
    assert [m["metadata"]["title"] for m in marks] == ["§1 The Jacobian", "§2 Composition"]
    assert [float(m["start"] * m["time_base"]) for m in marks] == pytest.approx([0, 10 / 15],
                                                                                 abs=0.001)
    assert [float(m["end"] * m["time_base"]) for m in marks] == pytest.approx([10 / 15, seconds],
                                                                               abs=0.001)
    sound = audio.decode(out)
    # the track is padded with digital silence to the video's length
    assert len(sound) / RATE == pytest.approx(seconds, abs=0.03)
    spans = audio.spans(sound)
    assert len(spans) == 1 and spans[0][0] == pytest.approx(0.0, abs=0.02)
    assert spans[0][1] == pytest.approx(1.0, abs=0.03)
    assert np.max(np.abs(sound[int(1.1 * RATE):])) < 1e-3
    assert audio.loudness(sound[:RATE]) == pytest.approx(audio.loudness(tone), abs=0.3)


def test_a_clip_encoded_otherwise_is_reencoded_alone(clips, tmp_path):
    odd_size = make_clip(tmp_path / "odd.mp4", [WHITE] * 6, fps=10, size=(192, 108))
    odd_crf = make_clip(tmp_path / "crf.mp4", [RED] * 4, crf="30")
    out = tmp_path / "lecture.mp4"
    report = mux.join([clips[0], odd_size, clips[1], odd_crf], out)
    assert report.copied == [clips[0], clips[1]]
    assert report.reencoded == [odd_size, odd_crf]
    joined = frames(out)
    # the odd clip keeps its duration (0.6 s at 15 fps: 9 frames), at the reference size
    assert len(joined) == 10 + 9 + 7 + 4
    assert joined[0].shape == (90, 160, 3)
    colours = [tuple(int(v) for v in f[45, 80]) for f in joined]
    expect = [RED] * 5 + [GREEN] * 5 + [WHITE] * 9 + [BLUE] * 7 + [RED] * 4
    for got, want in zip(colours, expect):
        assert max(abs(g - w) for g, w in zip(got, want)) <= 6, (got, want)
    # the copied clips' pictures are untouched
    for a, b in zip(joined[:10], frames(clips[0])):
        assert np.array_equal(a, b)
    with av.open(str(out)) as c:
        v = c.streams.video[0]
        assert float(v.duration * v.time_base) == pytest.approx(30 / 15)


def test_bad_input_leaves_the_previous_file(clips, tmp_path):
    out = tmp_path / "lecture.mp4"
    out.write_bytes(b"previous lecture")
    too_long = np.zeros(int(RATE * 2), np.float32)
    with pytest.raises(JacvizError, match=r"the soundtrack \(2.000 s\) is longer than the video "
                                          r"\(1.333 s\)"):
        mux.join(clips, out, audio=too_long)
    with pytest.raises(JacvizError, match="is not inside the video"):
        mux.join(clips, out, chapters=[(0.0, 5.0, "Too long")])
    with pytest.raises(JacvizError, match="missing.mp4 does not exist"):
        mux.join([clips[0], tmp_path / "missing.mp4"], out)
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("not a video")
    with pytest.raises(JacvizError, match="cannot read the clip .*notes.mp4"):
        mux.join([not_video], out)
    sound = audio.encode_file(tmp_path / "sound.m4a", np.zeros(RATE, np.float32))
    with pytest.raises(JacvizError, match="has no video stream"):
        mux.join([sound], out)
    with pytest.raises(JacvizError, match="no clips"):
        mux.join([], out)
    assert out.read_bytes() == b"previous lecture"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_soundtrack_encoded_in_pieces_then_copied(clips, tmp_path):
    """A soundtrack handed over in pieces (silence between them), encoded in its own
    thread, measured by its own decoder, then copied into the join: the file holds the
    pieces where they were put, and its loudness and true peak are what was measured."""
    seconds = 20 / 15
    t = np.arange(int(RATE * 0.4)) / RATE
    a = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    b = (0.5 * np.sin(2 * np.pi * 660 * t)).astype(np.float32)
    track = mux.Soundtrack(tmp_path / "sound.m4a")
    track.put(int(0.1 * RATE), a)
    track.put(int(0.8 * RATE), b)
    n = int(round(seconds * RATE))
    track.finish(n)
    lufs, peak = track.measure()
    out = tmp_path / "lecture.mp4"
    report = mux.join(clips, out, audio=track, chapters=[(0.0, seconds, "all")])
    assert report.copied == clips
    sound = audio.decode(out)
    assert len(sound) == pytest.approx(n, abs=1024)  # AAC decodes whole frames of 1024
    spans = audio.spans(sound)
    assert [round(s, 2) for s, _ in spans] == pytest.approx([0.1, 0.8], abs=0.02)
    assert [round(e, 2) for _, e in spans] == pytest.approx([0.5, 1.2], abs=0.02)
    assert lufs == pytest.approx(audio.loudness(sound), abs=0.02)
    assert peak == pytest.approx(audio.true_peak(sound), abs=0.02)
    # the packets are the soundtrack file's own
    def payloads(path):
        with av.open(str(path)) as c:
            return [bytes(p) for p in c.demux(audio=0) if p.size]
    assert payloads(out) == payloads(tmp_path / "sound.m4a")


def test_soundtrack_refuses_overlapping_pieces(tmp_path):
    track = mux.Soundtrack(tmp_path / "sound.m4a")
    track.put(0, np.zeros(RATE, np.float32))
    track.put(RATE // 2, np.zeros(RATE, np.float32))
    with pytest.raises(JacvizError, match="overlaps the one before"):
        track.finish(RATE * 3)

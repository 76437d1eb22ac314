"""Every clip's H.264 setting (jacviz.engine.encoding): x264's veryfast preset on manim's
partial movies and on the studio's re-encodes, and a frame held still converted once."""

import av
import numpy as np
from jacviz.engine.encoding import X264_OPTIONS, install

from test_shards import render


def x264_settings(clip) -> str:
    """The settings x264 writes into its stream (an SEI message: 'options: cabac=1 ...')."""
    data = clip.read_bytes()
    start = data.index(b"options: ")
    return data[start:data.index(b"\x00", start)].decode("ascii", "replace")


def test_a_clip_is_encoded_with_the_faster_preset(tmp_path):
    clip = render(tmp_path, "jacobian-grid", tmp_path / "jg.mp4", "--jobs", "1")
    options = x264_settings(clip)
    # veryfast: one reference frame, subpixel refinement 2, the hexagon search, crf 23
    assert " ref=1 " in options and " subme=2 " in options and " me=hex " in options
    assert " crf=23.0 " in options
    assert X264_OPTIONS == {"crf": "23", "preset": "veryfast"}


def _encode(path, frames, held_once: bool):
    """Encode (frame, times) pairs the way manim's encoder job does, with or without the
    held-frame conversion installed."""
    from manim.scene.scene_file_writer import _PartialMovieEncodeJob

    out = av.open(str(path), "w")
    stream = out.add_stream("libx264", rate=15, options=dict(X264_OPTIONS))
    stream.pix_fmt, stream.width, stream.height = "yuv420p", 320, 180
    job = _PartialMovieEncodeJob.__new__(_PartialMovieEncodeJob)  # no thread: called directly
    job.container, job.stream = out, stream
    ours = _PartialMovieEncodeJob._encode_and_write_frame
    write = ours if held_once else ours.manims
    for frame, times in frames:
        write(job, frame, times)
    for packet in stream.encode():
        out.mux(packet)
    out.close()


def test_a_held_frame_is_converted_once_and_the_file_is_the_same(tmp_path, monkeypatch):
    from manim.scene.scene_file_writer import _PartialMovieEncodeJob

    install()
    ours = _PartialMovieEncodeJob._encode_and_write_frame
    assert ours.__module__ == "jacviz.engine.encoding"
    assert ours.manims.__module__ == "manim.scene.scene_file_writer"
    frames = []
    for k in range(5):
        a = np.zeros((180, 320, 4), np.uint8)
        a[..., 3] = 255
        a[20:90, 10 + 20 * k:120 + 20 * k, 0] = 230
        a[100:170, 50:250, 1] = 40 * k
        frames.append((a, 1 if k % 2 else 12))  # held frames between moving ones
    conversions = []
    real = av.VideoFrame.from_ndarray
    monkeypatch.setattr(av.VideoFrame, "from_ndarray",
                        staticmethod(lambda *a, **kw: conversions.append(1) or real(*a, **kw)))
    _encode(tmp_path / "once.mp4", frames, held_once=True)
    once = len(conversions)
    conversions.clear()
    _encode(tmp_path / "manim.mp4", frames, held_once=False)
    assert once == 5 and len(conversions) == 3 * 12 + 2  # one per frame given, held or not
    assert (tmp_path / "once.mp4").read_bytes() == (tmp_path / "manim.mp4").read_bytes()
    with av.open(str(tmp_path / "once.mp4")) as c:
        pts = [f.pts for f in c.decode(video=0)]
    assert len(pts) == 38 and pts == sorted(set(pts))  # every frame, each with its own time

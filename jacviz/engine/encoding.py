"""How clips are encoded: H.264 (libx264), one setting for every clip jacviz writes.

manim encodes each play's partial movie with libx264 at ``crf`` 23 and x264's default
preset, ``medium``.  At 1080p60 that encoder costs several times what Cairo's drawing of
the same frames costs (the lesson's frames are flat colours and thin lines, mostly still):
``make bench`` part ``hd``.  The preset ``veryfast`` takes about a quarter less CPU for
these frames, and its files come out a little *smaller* (flat frames gain nothing from
``medium``'s slower motion search).  The frames handed to the encoder do not change.

:func:`install` sets it on manim's partial movies (once per process); clips re-encoded by
the studio (a lecture's cards, the join) use :data:`X264_OPTIONS` too, so that every clip
shares one set of codec parameters and packets can be copied from clip to clip.

It also converts a frame held still (a wait: manim hands the encoder one frame to write
``n`` times) from RGBA to the stream's YUV once, not ``n`` times: the conversion is about
two fifths of the encoder's work per 1080p frame, and the file is byte for byte the same.
"""

from __future__ import annotations

#: libx264's options for every clip (manim's crf, a faster preset)
X264_OPTIONS = {"crf": "23", "preset": "veryfast"}


def install() -> None:
    """Give manim's partial movies :data:`X264_OPTIONS` (its own are crf 23 only).  The
    stream's codec opens at its first frame, so options set on it before then apply."""
    from manim.scene.scene_file_writer import SceneFileWriter

    open_stream = SceneFileWriter.open_partial_movie_stream
    if getattr(open_stream, "jacviz_x264", False):
        return

    def open_partial_movie_stream(self, *args, **kwargs):
        open_stream(self, *args, **kwargs)
        job = getattr(self, "_current_encode_job", None)
        stream = getattr(job, "stream", None)
        if stream is not None and stream.codec_context.name == "libx264":
            stream.codec_context.options = {**stream.codec_context.options, **X264_OPTIONS}

    open_partial_movie_stream.jacviz_x264 = True
    SceneFileWriter.open_partial_movie_stream = open_partial_movie_stream
    _convert_held_frames_once()


def _convert_held_frames_once() -> None:
    import av
    from manim.scene.scene_file_writer import _PartialMovieEncodeJob

    write = _PartialMovieEncodeJob._encode_and_write_frame

    def encode_and_write_frame(self, frame, num_frames: int) -> None:
        stream = self.stream
        if num_frames < 2 or stream.codec_context.name != "libx264":
            return write(self, frame, num_frames)
        held = av.VideoFrame.from_ndarray(frame, format="rgba").reformat(
            format=stream.pix_fmt, width=stream.width, height=stream.height)
        for _ in range(num_frames):
            held.pts = None  # the encoder numbers each frame, as it does a new one
            for packet in stream.encode(held):
                self.container.mux(packet)

    encode_and_write_frame.manims = write
    _PartialMovieEncodeJob._encode_and_write_frame = encode_and_write_frame

"""Joining clips into one mp4 with a soundtrack and chapter marks (PyAV).

:func:`join` writes one mp4 from a list of clips:

- the video: the clips one after the other.  Clips encoded alike (codec,
  size, pixel format, frame rate and the codec's parameter sets, i.e. what
  manim writes for one quality) are *copied*: their packets go into the
  output unchanged, timestamps shifted.  The encoding most clips share (by
  frames) is the reference; a clip encoded otherwise is re-encoded to it
  (libx264 with the clips' own settings,
  :data:`jacviz.engine.encoding.X264_OPTIONS`; scaled and retimed to the
  reference's size and frame rate).  Should a re-encoded clip's parameter sets still
  differ from the reference's (another libx264), every clip is re-encoded in
  one pass instead, so that the output is always one consistent stream;
- one AAC audio track at 48 kHz (mono) from a float32 array
  (:mod:`jacviz.studio.audio`), padded with silence to the video's length;
- chapter marks in the mp4 itself (``container.set_chapters``; players and
  ``container.chapters()`` read them back).

The file is written under a temporary name beside the destination and
renamed into place at the end, with SIGINT and SIGTERM held back for the
rename: an interrupt or an error leaves the previous file intact and no
temporary file.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..core.errors import JacvizError
from ..core.signals import deferred, stage
from ..engine.encoding import X264_OPTIONS  # the clips' own settings: re-encoded clips match
from .audio import RATE

AAC_BITRATE = 128_000
#: ffmpeg's AAC encoder with its fast coder: 2.5 times the speed of the default (two-loop
#: search) on the lesson's narration, the loudness within 0.03 LU and the peaks alike
AAC_OPTIONS = {"aac_coder": "fast"}


@dataclass(frozen=True)
class Encoding:
    """What must agree for two clips' packets to share one stream."""

    codec: str
    width: int
    height: int
    pix_fmt: str
    fps: Fraction
    extradata: str  # sha256 of the codec's parameter sets


@dataclass
class ClipInfo:
    path: Path
    encoding: Encoding
    frames: int
    duration: Fraction  # seconds, from the first frame's start to the last one's end
    time_base: Fraction


@dataclass
class JoinReport:
    """What :func:`join` did: the clips copied and re-encoded (paths), the video's
    duration in seconds, and the chapters written."""

    path: Path
    copied: list[Path] = field(default_factory=list)
    reencoded: list[Path] = field(default_factory=list)
    duration: float = 0.0
    chapters: list[tuple[float, float, str]] = field(default_factory=list)


def probe(path) -> ClipInfo:
    """A clip's encoding, frame count and duration (from its packets, not its header)."""
    import av

    path = Path(path)
    if not path.is_file():
        raise JacvizError(f"the clip {path} does not exist")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise JacvizError(f"the clip {path} has no video stream")
            stream = container.streams.video[0]
            ctx = stream.codec_context
            # the nominal rate (r_frame_rate): the average is frames over a duration that
            # the last frame's rounding makes a little off
            fps = Fraction(stream.base_rate or stream.guessed_rate or stream.average_rate or 0)
            extradata = hashlib.sha256(bytes(ctx.extradata or b"")).hexdigest()
            pts_min, end, frames = None, None, 0
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                frames += 1
                pts_min = packet.pts if pts_min is None else min(pts_min, packet.pts)
                stop = packet.pts + (packet.duration or 0)
                end = stop if end is None else max(end, stop)
            tb = Fraction(stream.time_base)
            encoding = Encoding(ctx.name, ctx.width, ctx.height, ctx.pix_fmt or "", fps, extradata)
    except JacvizError:
        raise
    except (av.error.FFmpegError, ValueError) as exc:
        raise JacvizError(f"cannot read the clip {path}: {' '.join(str(exc).split())[:160]}") \
            from None
    if not frames:
        raise JacvizError(f"the clip {path} has no frames")
    return ClipInfo(path, encoding, frames, (end - pts_min) * tb, tb)


def _reference(infos: list[ClipInfo]) -> Encoding:
    weight: dict[Encoding, int] = {}
    for info in infos:
        weight[info.encoding] = weight.get(info.encoding, 0) + info.frames
    best = max(weight.values())
    return next(i.encoding for i in infos if weight[i.encoding] == best)  # ties: the first


def _frames(path: Path):
    """Decoded frames of a clip with their times in seconds."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            yield float(frame.pts * frame.time_base) if frame.pts is not None else None, frame


def _encode(sources: list[ClipInfo], out: Path, ref: Encoding) -> None:
    """Re-encode clips one after the other into one mp4 with the reference encoding
    (size and frame rate: frames are scaled, and picked by time, so a clip keeps
    its duration)."""
    import av

    with av.open(str(out), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=ref.fps, options=dict(X264_OPTIONS))
        stream.width, stream.height, stream.pix_fmt = ref.width, ref.height, ref.pix_fmt or "yuv420p"
        n = 0
        for info in sources:
            count = max(1, round(info.duration * ref.fps))
            frames = _frames(info.path)
            t0 = None
            current = None
            pending = next(frames, None)
            for k in range(count):
                t = k / ref.fps
                while pending is not None:
                    pt, frame = pending
                    if t0 is None:
                        t0 = pt or 0.0
                    if current is not None and pt is not None and pt - t0 > float(t) + 1e-9:
                        break
                    current = frame
                    pending = next(frames, None)
                img = current.reformat(width=ref.width, height=ref.height, format=stream.pix_fmt)
                img.pts = n
                img.time_base = Fraction(1, 1) / ref.fps
                n += 1
                for packet in stream.encode(img):
                    container.mux(packet)
            frames.close()
        for packet in stream.encode():
            container.mux(packet)


def _video_packets(parts: list[ClipInfo], out_stream):
    """The clips' packets in order, timestamps shifted so that each clip starts where
    the previous one ended; yields (seconds, packet)."""
    import av

    offset = Fraction(0)
    last_dts = None
    for info in parts:
        tb = info.time_base
        with av.open(str(info.path)) as container:
            stream = container.streams.video[0]
            pts0 = None
            for packet in container.demux(stream):
                if packet.pts is None or packet.size == 0:
                    continue
                if pts0 is None:
                    pts0 = packet.pts
                shift = int(round(offset / tb)) - pts0
                packet.pts += shift
                packet.dts = (packet.dts if packet.dts is not None else packet.pts - shift) + shift
                dts_seconds = packet.dts * tb
                if last_dts is not None and dts_seconds <= last_dts:
                    raise _Inconsistent(info.path)
                last_dts = dts_seconds
                packet.stream = out_stream
                yield float(dts_seconds), packet
        offset += info.duration


class _Inconsistent(Exception):
    """Copied packets whose timestamps cannot follow on (re-encode everything)."""


def _audio_packets(track: np.ndarray, stream, seconds: float):
    import av

    n = int(round(seconds * RATE))
    track = np.asarray(track, dtype=np.float32)
    if len(track) < n:
        track = np.concatenate([track, np.zeros(n - len(track), np.float32)])
    size = stream.codec_context.frame_size or 1024
    for start in range(0, n, size):
        chunk = np.ascontiguousarray(track[start:start + size].reshape(1, -1))
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
        frame.sample_rate = RATE
        frame.pts = start
        frame.time_base = Fraction(1, RATE)
        for packet in stream.encode(frame):
            yield float(packet.dts * packet.time_base), packet
    for packet in stream.encode(None):
        yield float(packet.dts * packet.time_base), packet


class Soundtrack:
    """An AAC track encoded while the video is still being made, in a background thread.

    ``put(start, samples)`` hands over a piece of the track (float32 mono at 48 kHz,
    ``start`` in samples, pieces in order of time and never overlapping; the gaps are
    digital silence); ``finish(n)`` pads it with silence to ``n`` samples and waits for
    the encoder.  :func:`join` then copies its packets beside the video's (``soundtrack=``),
    as it copies clips.  Each packet is also decoded as it is made, so the track *as
    encoded* is measured without reading the file again: :meth:`measure` gives its
    integrated loudness (the K-weighted energy kept per 100 ms step, the filter's state
    carried from piece to piece: the same figure as :func:`jacviz.studio.audio.loudness`
    on the decoded file) and its true peak.  The encoder is ffmpeg's (C, it lets other
    threads run): in a lecture it works beside the scenes' renders."""

    def __init__(self, path: Path):
        import queue
        import threading

        self.path = Path(path)
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._pos = 0           # samples handed to the encoder so far
        self._meter = None
        self._peak = -math.inf  # dBTP of the track as decoded so far
        self._tail = np.zeros(6, np.float32)  # the silence true_peak pads a track with
        self._thread = threading.Thread(target=self._run, name="soundtrack", daemon=True)
        self._thread.start()

    def put(self, start: int, samples) -> None:
        self._check()
        self._queue.put((int(start), np.asarray(samples, dtype=np.float32)))

    def finish(self, n: int) -> None:
        """Silence to ``n`` samples, the encoder flushed and the file closed."""
        self._queue.put((int(n), None))
        self._queue.put(None)
        self._thread.join()
        self._check()

    def abort(self) -> None:
        """Stop the encoder without finishing (an error or an interrupt elsewhere)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _check(self) -> None:
        if self._error is not None:
            err, self._error = self._error, None
            if isinstance(err, JacvizError):
                raise err
            raise JacvizError(f"encoding the soundtrack failed: {' '.join(str(err).split())[:160]}")

    def measure(self) -> tuple[float, float]:
        """``(LUFS, dBTP)`` of the track as encoded (after :meth:`finish`)."""
        return self._meter.loudness(), self._peak

    def _peak_of(self, chunk, last: bool = False) -> None:
        """The true peak, piece by piece: a sample's interpolated points need the 6 samples
        either side, so each piece is taken with the 12 before it, and its last 6 wait
        for the next piece (the track starts and ends with 6 samples of silence, as
        :func:`jacviz.studio.audio.true_peak` pads it)."""
        from . import audio

        x = np.concatenate([self._tail, np.asarray(chunk, np.float32)])
        if len(x) <= 12:
            self._tail = x
            return
        floor = 10 ** (self._peak / 20) if math.isfinite(self._peak) else 0.0
        env = audio._peaks(x, RATE, floor)[6:len(x) if last else -6]
        top = float(env.max()) if len(env) else 0.0
        if top > 0:
            self._peak = max(self._peak, 20 * math.log10(top))
        self._tail = x[-12:]

    def _run(self) -> None:
        import av

        from . import audio

        try:
            with av.open(str(self.path), "w", format="mp4") as container:
                stream = container.add_stream("aac", rate=RATE, layout="mono")
                stream.bit_rate = AAC_BITRATE
                stream.options = dict(AAC_OPTIONS)
                self._meter = audio.LoudnessMeter()
                decoder = None
                sent = 0  # samples handed to the encoder
                fresh: list[np.ndarray] = []  # decoded, not yet metered

                def out(packets):
                    nonlocal decoder
                    for packet in packets:
                        if decoder is None:
                            decoder = av.CodecContext.create("aac", "r")
                            decoder.extradata = stream.codec_context.extradata
                        for frame in decoder.decode(packet):
                            a = frame.to_ndarray()[0].astype(np.float32)
                            if frame.pts is not None and frame.pts < 0:  # the encoder's priming
                                a = a[min(len(a), -frame.pts):]
                            if len(a):
                                fresh.append(a)
                        container.mux(packet)

                def encode(block):
                    # any length: PyAV cuts it into the encoder's frames of 1024 (its FIFO)
                    nonlocal sent
                    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block.reshape(1, -1)),
                                                       format="fltp", layout="mono")
                    frame.sample_rate = RATE
                    frame.pts = sent
                    frame.time_base = Fraction(1, RATE)
                    sent += len(block)
                    out(stream.encode(frame))

                def meter():
                    if fresh:
                        chunk = np.concatenate(fresh)
                        fresh.clear()
                        self._meter.add(chunk)
                        self._peak_of(chunk)

                while True:
                    item = self._queue.get()
                    if item is None:
                        break
                    start, samples = item
                    if start < self._pos:
                        raise JacvizError(f"a piece of the soundtrack at {start / RATE:.3f} s "
                                          f"overlaps the one before (it ends at "
                                          f"{self._pos / RATE:.3f} s)")
                    gap = start - self._pos
                    while gap > 0:  # silence, some seconds at a time
                        step = min(gap, RATE * 8)
                        encode(np.zeros(step, np.float32))
                        gap -= step
                    self._pos = start
                    if samples is None:  # the end: the encoder (and its FIFO) flushed
                        out(stream.encode(None))
                        if decoder is not None:
                            for frame in decoder.decode(None):
                                fresh.append(frame.to_ndarray()[0].astype(np.float32))
                        meter()
                        self._peak_of(np.zeros(6, np.float32), last=True)  # the end: silence
                        continue
                    if len(samples):
                        encode(samples)
                    self._pos += len(samples)
                    meter()
        except BaseException as exc:  # handed to the caller's thread (put, finish)
            self._error = exc


def _write(parts: list[ClipInfo], tmp: Path, audio, chapters, metadata, duration: Fraction) -> None:
    import av

    with av.open(str(tmp), "w", format="mp4") as container:
        for key, value in (metadata or {}).items():
            container.metadata[key] = str(value)
        template = None
        with av.open(str(parts[0].path)) as first:
            template = first.streams.video[0]
            video = container.add_stream_from_template(template)
        audio_stream = None
        if audio is not None and not isinstance(audio, Soundtrack):
            audio_stream = container.add_stream("aac", rate=RATE, layout="mono")
            audio_stream.bit_rate = AAC_BITRATE
            audio_stream.options = dict(AAC_OPTIONS)
        if chapters:
            container.set_chapters([
                {"id": k + 1, "start": int(round(a * 1000)), "end": int(round(b * 1000)),
                 "time_base": Fraction(1, 1000), "metadata": {"title": title}}
                for k, (a, b, title) in enumerate(chapters)])
        streams = [_video_packets(parts, video)]
        if audio_stream is not None:
            streams.append(_audio_packets(audio, audio_stream, float(duration)))
        with contextlib.ExitStack() as stack:
            if isinstance(audio, Soundtrack):  # encoded already: its packets copied
                source = stack.enter_context(av.open(str(audio.path)))
                copied = container.add_stream_from_template(source.streams.audio[0])
                streams.append(_copied_packets(source, copied))
            # interleaved by time, as a player reads them
            for _, packet in heapq.merge(*streams, key=lambda item: item[0]):
                container.mux(packet)


def _copied_packets(source, out_stream):
    stream = source.streams.audio[0]
    for packet in source.demux(stream):
        if packet.dts is None or packet.size == 0:
            continue
        seconds = float(packet.dts * stream.time_base)
        packet.stream = out_stream
        yield seconds, packet


def join(clips, out, audio: np.ndarray | None = None, chapters=None,
         metadata: dict | None = None) -> JoinReport:
    """One mp4 at ``out`` from ``clips`` (paths), with ``audio`` (float32 mono at
    48 kHz, at most as long as the video, encoded here; a finished :class:`Soundtrack`,
    copied; None: no audio track) and ``chapters``
    (``(start, end, title)`` in seconds).  See the module docstring."""
    import tempfile

    clips = [Path(c) for c in clips]
    if not clips:
        raise JacvizError("no clips to join")
    out = Path(out)
    infos = [probe(c) for c in clips]
    ref = _reference(infos)
    duration = sum((i.duration for i in infos), Fraction(0))
    if isinstance(audio, Soundtrack):
        if audio._pos > round(duration * RATE):
            raise JacvizError(f"the soundtrack ({audio._pos / RATE:.3f} s) is longer than the "
                              f"video ({float(duration):.3f} s)")
    elif audio is not None:
        audio = np.asarray(audio, dtype=np.float32)
        if audio.ndim != 1:
            raise JacvizError("the soundtrack must be mono (one channel)")
        if len(audio) > round(duration * RATE):
            raise JacvizError(f"the soundtrack ({len(audio) / RATE:.3f} s) is longer than the "
                              f"video ({float(duration):.3f} s)")
    chapters = [(float(a), float(b), str(t)) for a, b, t in (chapters or [])]
    for a, b, title in chapters:
        if not (0 <= a < b <= float(duration) + 1e-6):
            raise JacvizError(f"the chapter {title!r} ({a:.3f}-{b:.3f} s) is not inside the "
                              f"video (0-{float(duration):.3f} s)")
    report = JoinReport(out, duration=float(duration), chapters=chapters)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        with tempfile.TemporaryDirectory(prefix=".join-", dir=out.parent) as work:
            work = Path(work)
            try:
                parts = []
                for k, info in enumerate(infos):
                    if info.encoding == ref:
                        parts.append(info)
                        report.copied.append(info.path)
                        continue
                    stage("reencode", str(info.path))
                    redone = work / f"{k}.mp4"
                    _encode([info], redone, ref)
                    parts.append(probe(redone))
                    report.reencoded.append(info.path)
                if any(p.encoding != parts[0].encoding for p in parts):
                    raise _Inconsistent(None)
                stage("join", str(tmp))
                _write(parts, tmp, audio, chapters, metadata, duration)
            except _Inconsistent:
                # one consistent stream: every clip through one encoder
                stage("reencode", "all")
                whole = work / "all.mp4"
                _encode(infos, whole, ref)
                report.copied, report.reencoded = [], list(clips)
                _write([probe(whole)], tmp, audio, chapters, metadata, duration)
            stage("commit", str(tmp))
            with deferred():
                os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return report

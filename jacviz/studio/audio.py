"""The lecture's sound: decode, measure, normalise, mix.

Every track is float32 mono at :data:`RATE` (48 kHz), samples in [-1, 1].

- :func:`decode` reads any file PyAV reads into such a track (channels
  averaged, resampled with a polyphase filter); :func:`encode_file` writes one
  (for recordings made by tests, and for listening);
- :func:`loudness`: integrated loudness in LUFS after ITU-R BS.1770-4 / EBU
  R128: K-weighting (the standard's two biquads, derived for any rate as
  libebur128 does; at 48 kHz they equal the standard's table), 400 ms blocks
  with 75 % overlap, absolute gate at -70 LUFS, relative gate 10 LU below the
  absolutely gated loudness.  Channels (a 2-D array, one column each) are
  weighted 1 (left, right, centre);
- :func:`true_peak`: dBTP from the signal oversampled 4 times (BS.1770-4
  annex 2; a polyphase FIR interpolator);
- :func:`normalise`: gain to -16 LUFS integrated with the true peak at most
  -1 dBTP.  Where the gain would push a peak above the ceiling, a look-ahead
  peak limiter lowers those peaks alone (the gain dips over 5 ms before a peak
  and recovers over 5 ms after it), and the gain is adjusted again so that the
  integrated loudness still lands on the target: speech has a
  peak-to-loudness ratio of 15 dB and more, so a plain gain reduction would
  leave it quieter than -16 LUFS.  The limiter holds the peaks 0.5 dB under
  the ceiling (-2 dBTP), room for the overshoot of the AAC encoder, so the
  lecture's mp4 decodes under -1 dBTP too.  Digital silence stays exactly zero;
- :func:`mix`: beats placed at given offsets in one track, digital zero
  between them; overlapping voices are refused;
- :func:`spans`: the non-silent spans of a track (for checks and tests).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..core.errors import JacvizError

RATE = 48000
#: the lecture's loudness target (EBU R128 for streaming-style delivery) and its ceiling
TARGET_LUFS = -16.0
CEILING_DBTP = -1.0
#: dB the limiter keeps under the ceiling: AAC at 128 kb/s lifts speech's true peak by 0.2
#: to 0.6 dB (measured on the whole lesson in piper's voice), so the encoded lecture stays
#: under -1 dBTP at the first try (another try re-mixes and re-joins the whole lecture)
CODEC_HEADROOM = 1.0
#: silence threshold for :func:`spans`, dBFS of a 10 ms window's RMS
SILENCE_DB = -50.0


# -- decoding and encoding -------------------------------------------------------------
def decode(path, rate: int = RATE, what: str = "audio file") -> np.ndarray:
    """Any audio file PyAV reads, as float32 mono at ``rate``.

    ``what`` names the file in errors ("the recording of two-way.push").  A
    missing file, one PyAV cannot read, one without an audio stream and one
    with no samples are refused with one :class:`JacvizError` line."""
    import av

    path = Path(path)
    if not path.is_file():
        raise JacvizError(f"{what} {path} does not exist")
    chunks: list[np.ndarray] = []
    src_rate = None
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise JacvizError(f"{what} {path} has no audio stream")
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                src_rate = frame.sample_rate
                a = frame.to_ndarray()
                # planar: (channels, n); packed: (1, n * channels)
                if not frame.format.is_planar:
                    a = a.reshape(-1, len(frame.layout.channels)).T
                a = _to_float(a)
                chunks.append(a.mean(axis=0))
    except JacvizError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise JacvizError(f"cannot read {what} {path}: {_short(exc)}") from None
    if not chunks or src_rate is None or sum(len(c) for c in chunks) == 0:
        raise JacvizError(f"{what} {path} holds no sound")
    x = np.concatenate(chunks).astype(np.float64)
    return resample(x, src_rate, rate)


def _short(exc) -> str:
    text = " ".join(str(exc).split())
    return text[:160] or type(exc).__name__


def _to_float(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f":
        return a.astype(np.float64)
    if a.dtype.kind == "i":
        return a.astype(np.float64) / float(2 ** (8 * a.dtype.itemsize - 1))
    if a.dtype.kind == "u":  # unsigned 8-bit
        half = 2 ** (8 * a.dtype.itemsize - 1)
        return (a.astype(np.float64) - half) / half
    raise JacvizError(f"unsupported sample format {a.dtype}")


def resample(x, rate_from: int, rate_to: int = RATE) -> np.ndarray:
    """A track resampled (polyphase FIR, scipy's resample_poly), as float32."""
    from scipy.signal import resample_poly

    x = np.asarray(x, dtype=np.float64)
    rate_from, rate_to = int(rate_from), int(rate_to)
    if rate_from != rate_to and len(x):
        g = math.gcd(rate_from, rate_to)
        x = resample_poly(x, rate_to // g, rate_from // g)
    return np.clip(x, -1.0, 1.0).astype(np.float32)


def encode_file(path, x, rate: int = RATE, codec: str | None = None) -> Path:
    """Write a mono track to an audio file (codec chosen by the suffix: .wav 16-bit
    PCM, .flac, .mp3, .ogg/.opus Opus, .m4a AAC)."""
    import av

    path = Path(path)
    codecs = {".wav": ("pcm_s16le", "s16"), ".flac": ("flac", "s16"), ".mp3": ("libmp3lame", "fltp"),
              ".ogg": ("libopus", "flt"), ".opus": ("libopus", "flt"), ".m4a": ("aac", "fltp")}
    name, fmt = codecs.get(path.suffix.lower(), (codec or "pcm_s16le", "s16"))
    if codec:
        name = codec
    x = np.clip(np.asarray(x, dtype=np.float32), -1, 1)
    if name == "libopus" and rate not in (8000, 12000, 16000, 24000, 48000):
        x, rate = resample(x, rate, RATE), RATE
    with av.open(str(path), "w") as container:
        stream = container.add_stream(name, rate=rate, layout="mono")
        stream.format = fmt
        if name in ("libmp3lame", "aac", "libopus"):
            stream.bit_rate = 160_000
        frame_size = stream.codec_context.frame_size or 1024
        for start in range(0, len(x), frame_size):
            chunk = x[start:start + frame_size]
            frame = _frame(chunk, fmt, rate, start)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _frame(chunk: np.ndarray, fmt: str, rate: int, pts: int):
    import av

    if fmt.startswith("s16"):
        data = np.round(chunk * 32767).astype(np.int16)
    elif fmt.startswith("s32"):
        data = np.round(chunk.astype(np.float64) * 2147483647).astype(np.int32)
    else:
        data = chunk.astype(np.float32)
    frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format=fmt, layout="mono")
    frame.sample_rate = rate
    frame.pts = pts
    return frame


# -- loudness (ITU-R BS.1770-4, EBU R128) -----------------------------------------------
def k_weighting(rate: int = RATE):
    """The K-weighting filter: ((b, a) of the pre-filter, (b, a) of the RLB high-pass).

    The standard tabulates both biquads at 48 kHz; for other rates they are
    derived from the same analogue parameters (as libebur128 does)."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    pre_b = np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0,
                      (vh - vb * k / q + k * k) / a0])
    pre_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    rlb_b = np.array([1.0, -2.0, 1.0])
    rlb_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return (pre_b, pre_a), (rlb_b, rlb_a)


def _channels(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        return x[:, None]
    if x.ndim != 2:
        raise JacvizError(f"a track is 1-D (mono) or 2-D (samples x channels), not {x.ndim}-D")
    return x


def _k_filtered(x, rate: int = RATE) -> np.ndarray:
    """The K-weighted signal, one row per channel (the two biquads as one
    second-order-sections filter, in float64)."""
    from scipy.signal import sosfilt

    x = np.ascontiguousarray(_channels(x).T, dtype=np.float64)
    (pb, pa), (rb, ra) = k_weighting(rate)
    return sosfilt(np.vstack([np.r_[pb, pa], np.r_[rb, ra]]), x, axis=1)


def _block_energy(y, rate: int = RATE, weight=None) -> np.ndarray:
    """Mean square (summed over channels) of ``y`` (one row per channel; times ``weight``
    per sample when given) in every 400 ms block, blocks every 100 ms.  Sums are taken
    per 100 ms step in float64 and added four at a time, when a block is four steps."""
    block, step = round(0.4 * rate), round(0.1 * rate)
    n = y.shape[1]
    if n < block:
        return np.zeros(0)
    if weight is not None:
        y = y * np.asarray(weight, dtype=np.float64)[None, :]
    if block == 4 * step:
        steps = n // step
        sums = np.square(y[:, :steps * step]).reshape(-1, steps, step).sum(axis=(0, 2),
                                                                          dtype=np.float64)
        c = np.concatenate([[0.0], np.cumsum(sums)])
        return (c[4:] - c[:-4]) / block
    sq = np.concatenate([np.zeros(1), np.cumsum(np.square(y, dtype=np.float64).sum(axis=0))])
    starts = np.arange(0, n - block + 1, step)
    return (sq[starts + block] - sq[starts]) / block


def block_loudness(x, rate: int = RATE) -> np.ndarray:
    """Mean square of the K-weighted signal (summed over channels) in every 400 ms
    block, blocks starting every 100 ms (75 % overlap): the z of BS.1770-4."""
    return _block_energy(_k_filtered(x, rate), rate)


def _lufs(z) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -0.691 + 10 * np.log10(z)


def _gated(z) -> float:
    """The integrated loudness of block energies ``z`` (the two gates of BS.1770-4)."""
    if not len(z):
        return -math.inf
    z = z[_lufs(z) > -70.0]                      # absolute gate
    if not len(z):
        return -math.inf
    relative = _lufs(z.mean()) - 10.0            # relative gate
    z = z[_lufs(z) > relative]
    return float(_lufs(z.mean()))


def loudness(x, rate: int = RATE) -> float:
    """Integrated loudness in LUFS (-inf for a track of silence or under 400 ms)."""
    return _gated(block_loudness(x, rate))


class LoudnessMeter:
    """Integrated loudness of a track given piece by piece (mono, at ``rate``): the
    K-weighting filter's state is carried from piece to piece and the squares are
    summed per 100 ms step, so the figure is :func:`loudness` of the whole track
    (to rounding) without holding it."""

    def __init__(self, rate: int = RATE):
        (pb, pa), (rb, ra) = k_weighting(rate)
        self.rate = rate
        self._sos = np.vstack([np.r_[pb, pa], np.r_[rb, ra]])
        self._zi = np.zeros((2, 2))
        self._step = round(0.1 * rate)
        self._block = round(0.4 * rate)
        self._carry = 0.0   # the squares of the current, unfinished step
        self._filled = 0    # its samples
        self._steps: list[np.ndarray] = []
        self._n = 0

    def add(self, x) -> None:
        from scipy.signal import sosfilt

        x = np.asarray(x, dtype=np.float64)
        if not len(x):
            return
        y, self._zi = sosfilt(self._sos, x, zi=self._zi)
        sq = np.square(y)
        self._n += len(sq)
        head = min(len(sq), self._step - self._filled)
        self._carry += float(sq[:head].sum())
        self._filled += head
        if self._filled < self._step:
            return
        done = [self._carry]
        rest = sq[head:]
        whole = len(rest) // self._step * self._step
        if whole:
            done.extend(rest[:whole].reshape(-1, self._step).sum(axis=1))
        self._steps.append(np.array(done))
        self._carry, self._filled = float(rest[whole:].sum()), len(rest) - whole

    def loudness(self) -> float:
        if self._block != 4 * self._step:  # a rate whose blocks are not 4 steps
            raise JacvizError(f"the streaming meter needs a rate divisible by 40 (not {self.rate})")
        sums = np.concatenate(self._steps) if self._steps else np.zeros(0)
        if len(sums) < 4:
            return -math.inf
        c = np.concatenate([[0.0], np.cumsum(sums)])
        return _gated((c[4:] - c[:-4]) / self._block)


@lru_cache(maxsize=1)
def _interpolator() -> tuple:
    """The 4x true-peak interpolator's four phases (a 48-tap Kaiser-windowed low-pass,
    12 taps per phase, the length of BS.1770-4's annex 2 filter), and the largest sum
    of a phase's magnitudes: no interpolated point exceeds it times the largest
    sample magnitude among the 12 around it."""
    from scipy.signal import firwin

    h = (firwin(48, 0.25, window=("kaiser", 6.0)) * 4).astype(np.float32)
    phases = tuple(h[k::4].copy() for k in range(4))
    return phases, float(max(np.abs(p).sum() for p in phases))


_BLOCK = 1 << 14  # samples per block of the true-peak envelope


def _block_max(row: np.ndarray) -> np.ndarray:
    """Per block of :data:`_BLOCK` samples, the largest magnitude among its samples
    and the 6 either side (every sample an interpolated point of the block uses)."""
    n = len(row)
    blocks = -(-n // _BLOCK)
    p = np.zeros(blocks * _BLOCK + 12, np.float32)
    p[6:6 + n] = np.abs(row)
    core = p[6:6 + blocks * _BLOCK].reshape(blocks, _BLOCK).max(axis=1)
    starts = np.arange(blocks)[:, None] * _BLOCK
    before = p[starts + np.arange(6)].max(axis=1)             # samples s-6 .. s-1
    after = p[starts + _BLOCK + 6 + np.arange(6)].max(axis=1)  # samples s+B .. s+B+5
    return np.maximum(core, np.maximum(before, after))


def _interpolated_block(padded: np.ndarray, a: int, m: np.ndarray, phases) -> None:
    """``m`` (the envelope of samples a..a+len(m)) raised to the magnitude of their
    four interpolated points."""
    seg = padded[a:a + len(m) + 11]
    for p in phases:
        np.maximum(m, np.abs(np.convolve(seg, p, "valid")), out=m)


def _peaks(x, rate: int = RATE, floor: float = 0.0) -> np.ndarray:
    """Per sample, the largest magnitude of the signal oversampled 4 times (over the
    sample itself, its four interpolated points and every channel): the true-peak
    envelope.  Where no interpolated point can reach ``floor`` (the bound of
    :func:`_interpolator`), the samples' own magnitudes stand in: a limiter that only
    acts above ``floor`` needs nothing more, and speech is mostly far below its peaks."""
    x = np.ascontiguousarray(_channels(x).T, dtype=np.float32)
    n = x.shape[1]
    out = np.abs(x).max(axis=0) if n else np.zeros(0, np.float32)
    if not n or rate >= 4 * 48000:
        return out
    phases, bound = _interpolator()
    for row in x:
        padded = np.pad(row, (6, 6))
        for b in np.flatnonzero(_block_max(row) * bound >= floor):
            _interpolated_block(padded, b * _BLOCK, out[b * _BLOCK:(b + 1) * _BLOCK], phases)
    return out


def true_peak(x, rate: int = RATE) -> float:
    """True peak in dBTP: the largest magnitude of the signal oversampled 4 times
    (-inf for silence).  Blocks are interpolated loudest first, until no block left
    can beat the peak found (the bound of :func:`_interpolator`)."""
    x = np.ascontiguousarray(_channels(x).T, dtype=np.float32)
    n = x.shape[1]
    peak = float(np.abs(x).max()) if x.size else 0.0
    if n and peak > 0 and rate < 4 * 48000:
        phases, bound = _interpolator()
        for row in x:
            padded = np.pad(row, (6, 6))
            top = _block_max(row)
            for b in np.argsort(-top, kind="stable"):
                if top[b] * bound <= peak:
                    break
                m = np.abs(row[b * _BLOCK:(b + 1) * _BLOCK])
                _interpolated_block(padded, b * _BLOCK, m, phases)
                peak = max(peak, float(m.max()))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def sample_peak(x) -> float:
    """The largest sample magnitude in dBFS."""
    peak = float(np.max(np.abs(np.asarray(x)))) if np.size(x) else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


# -- normalisation ---------------------------------------------------------------------
def _limiter_spans(peaks, ceiling: float, rate: int = RATE, lookahead: float = 0.005):
    """The look-ahead limiter's gain per sample for a signal whose true-peak envelope
    is ``peaks`` (linear ``ceiling``), and the spans ``[(lo, hi)]`` where it is under 1;
    ``(None, [])`` when no peak reaches the ceiling.  The gain is the minimum of what
    each sample needs over +-lookahead, then its mean over +-lookahead: never above
    what any sample needs, and it dips smoothly.  It is computed around the samples
    over the ceiling alone (elsewhere it is 1), which is exact: a window reaches no
    further than 2 lookaheads from a sample over the ceiling."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    over = np.flatnonzero(peaks > ceiling)
    if not len(over):
        return None, []
    n = len(peaks)
    h = max(1, round(lookahead * rate))
    cut = np.flatnonzero(np.diff(over) > 4 * h + 2)
    gain = np.ones(n, np.float32)
    spans = []
    for a, b in zip(np.r_[over[0], over[cut + 1]], np.r_[over[cut], over[-1]]):
        lo, hi = max(0, int(a) - 2 * h - 1), min(n, int(b) + 2 * h + 2)
        need = np.minimum(1.0, ceiling / np.maximum(peaks[lo:hi], 1e-12)).astype(np.float32)
        smooth = uniform_filter1d(minimum_filter1d(need, size=2 * h + 1, mode="nearest"),
                                  size=2 * h + 1, mode="nearest")
        gain[lo:hi] = np.minimum(smooth, need)
        spans.append((lo, hi))
    return gain, spans


def _limiter_gain(peaks, ceiling: float, rate: int = RATE, lookahead: float = 0.005):
    """The limiter's gain per sample (see :func:`_limiter_spans`), or None."""
    return _limiter_spans(peaks, ceiling, rate, lookahead)[0]


def limit(x, ceiling_db: float = CEILING_DBTP, rate: int = RATE, lookahead: float = 0.005) -> np.ndarray:
    """A look-ahead peak limiter: the gain dips smoothly (over ``lookahead`` seconds
    either side) wherever the 4x oversampled signal would exceed ``ceiling_db``;
    elsewhere the signal is untouched."""
    x = np.asarray(x, dtype=np.float64)
    gain = _limiter_gain(_peaks(x, rate), 10 ** (ceiling_db / 20), rate, lookahead)
    return x if gain is None else x * gain


def normalise(x, target: float = TARGET_LUFS, ceiling: float = CEILING_DBTP, rate: int = RATE,
              tolerance: float = 0.05, headroom: float = CODEC_HEADROOM) -> np.ndarray:
    """The track at ``target`` LUFS integrated, true peak at most ``ceiling`` dBTP
    (see the module docstring: a gain, plus a look-ahead limiter on the peaks the
    gain would push above the ceiling).  The limiter holds the peaks ``headroom``
    dB under the ceiling, so that they stay under it once encoded to AAC too.
    A silent track is returned as it is.

    The K-weighted signal and the true-peak envelope are computed once: a gain g
    with the limiter's gain e(t) gives the K-weighted g e(t) K(x) (e changes slowly
    against the filter) and the envelope g e(t) peaks(t), so the search for the
    gain costs no filtering.  The result's loudness is then measured, and the search
    is repeated from the measured error when it misses.  (The lecture measures its
    encoded file once more, true peak included.)"""
    x = np.asarray(x, dtype=np.float64)
    kx = _k_filtered(x, rate)
    z0 = _block_energy(kx, rate)
    level = _gated(z0)
    if not math.isfinite(level):
        return x.astype(np.float32)
    block, step = round(0.4 * rate), round(0.1 * rate)
    steps0 = None
    if block == 4 * step:  # the squares per 100 ms step, to change only where the limiter acts
        steps0 = np.square(kx[:, :kx.shape[1] // step * step]).reshape(
            kx.shape[0], -1, step).sum(axis=(0, 2))

    def energy(env, spans):
        if env is None:
            return z0
        if steps0 is None:
            return _block_energy(kx, rate, env)
        sums = steps0.copy()
        for lo, hi in spans:
            a, b = lo // step, min(len(sums), -(-hi // step))
            if a < b:
                seg = kx[:, a * step:b * step] * env[a * step:b * step]
                sums[a:b] = np.square(seg).reshape(kx.shape[0], b - a, step).sum(axis=(0, 2))
        c = np.concatenate([[0.0], np.cumsum(sums)])
        return (c[4:] - c[:-4]) / block

    gain_db = target - level
    # the envelope is exact wherever the gain (within 6 dB of this first guess) could
    # bring a point near the ceiling
    first = gain_db
    peaks = _peaks(x, rate, 10 ** ((ceiling - headroom - 6.0 - first) / 20))
    margin = 0.0  # raised when the measured true peak of the result still overshoots
    bias = 0.0    # measured loudness minus the estimate, carried into the next search
    y, peak = x, -math.inf
    for _ in range(4):
        before = None  # the previous (gain, estimate): the search is a secant search
        for _ in range(12):  # the search, on the estimates
            if gain_db > first + 3.0:  # far from the first guess: the envelope again
                first = gain_db
                peaks = _peaks(x, rate, 10 ** ((ceiling - headroom - 6.0 - first) / 20))
            g = 10 ** (gain_db / 20)
            env, spans = _limiter_spans(g * peaks, 10 ** ((ceiling - headroom - margin) / 20),
                                        rate)
            estimate = _gated(energy(env, spans) * g * g) + bias
            miss = target - estimate
            if abs(miss) <= tolerance / 2:
                break
            slope = 1.0  # loudness per dB of gain: 1 unlimited, less the more is limited
            if before is not None and gain_db != before[0]:
                slope = min(1.0, max(0.2, (estimate - before[1]) / (gain_db - before[0])))
            before = (gain_db, estimate)
            gain_db += miss / slope
        y = x * g if env is None else x * (g * env)
        # the loudness measured; the true peak from the envelope, exact where it can
        # matter (above the floor), under the smooth gain: the same to 0.01 dB
        level = loudness(y, rate)
        top = float(np.max(peaks * g if env is None else peaks * (g * env)))
        peak = 20 * math.log10(top) if top > 0 else -math.inf
        over = peak - (ceiling - headroom)
        if over <= 0.05 and abs(level - target) <= tolerance:
            break
        bias += level - estimate
        if over > 0.05:
            margin += over + 0.02
    if peak > ceiling - headroom + 0.05:  # the limiter could not: a plain gain
        y = y * 10 ** ((ceiling - headroom - peak) / 20)
    return y.astype(np.float32)


def level(clips, gap: float = 1.0, rate: int = RATE, **options) -> list:
    """Every clip as :func:`normalise` leaves it in one track of them all, ``gap``
    seconds of silence before each: the gain and the limiter of a lecture, decided
    before the clips are placed (so that the soundtrack can be encoded while the
    scenes still render).  The limiter acts within milliseconds of a peak, so a clip
    comes out the same wherever it is placed with silence around it; the loudness of
    a track that places the clips with other gaps differs only where 400 ms blocks
    straddle a clip's edge (hundredths of a LU for speech).  ``None`` or empty clips
    stay as they are.  ``options``: :func:`normalise`'s."""
    g = max(1, round(gap * rate))
    starts, pos = [], g
    for c in clips:
        starts.append(pos)
        pos += (0 if c is None else len(c)) + g
    track = np.zeros(pos, np.float32)
    for s, c in zip(starts, clips):
        if c is not None and len(c):
            track[s:s + len(c)] = c
    y = normalise(track, rate=rate, **options)
    return [c if c is None or not len(c) else y[s:s + len(c)] for s, c in zip(starts, clips)]


# -- mixing ----------------------------------------------------------------------------
def mix(beats, duration: float | None = None, rate: int = RATE) -> np.ndarray:
    """One track of the beats' audio, each placed at its offset.

    ``beats`` is a list of ``(offset_seconds, samples)`` (samples may be None: a
    beat with no audio).  Between and after them the track is digital zero.
    Voices never overlap: a beat that starts before the previous one has
    ended is refused.  ``duration`` (seconds) is the track's length, at least
    the end of the last beat."""
    placed = []
    for offset, samples in beats:
        if samples is None or not len(samples):
            continue
        if offset < 0:
            raise JacvizError(f"a beat cannot start before the track (offset {offset:.3f} s)")
        start = int(round(offset * rate))
        placed.append((start, np.asarray(samples, dtype=np.float32)))
    placed.sort(key=lambda p: p[0])
    for (s0, a0), (s1, _) in zip(placed, placed[1:]):
        if s0 + len(a0) > s1:
            raise JacvizError(
                f"the voice at {s0 / rate:.3f} s runs {(s0 + len(a0) - s1) / rate:.3f} s into "
                f"the next one at {s1 / rate:.3f} s")
    end = max((s + len(a) for s, a in placed), default=0)
    n = max(end, int(round((duration or 0) * rate)))
    track = np.zeros(n, dtype=np.float32)
    for start, samples in placed:
        track[start:start + len(samples)] = samples
    return track


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    return np.zeros(int(round(seconds * rate)), dtype=np.float32)


def spans(x, rate: int = RATE, threshold_db: float = SILENCE_DB, min_gap: float = 0.1,
          window: float = 0.01) -> list[tuple[float, float]]:
    """The non-silent spans ``(start, end)`` in seconds: where the RMS of 10 ms windows
    is above ``threshold_db`` dBFS, gaps shorter than ``min_gap`` seconds bridged."""
    x = np.asarray(x, dtype=np.float64)
    w = max(1, round(window * rate))
    n = len(x) // w
    if n == 0:
        return []
    rms = np.sqrt(np.mean(x[:n * w].reshape(n, w) ** 2, axis=1))
    loud = rms > 10 ** (threshold_db / 20)
    if len(x) > n * w and np.sqrt(np.mean(x[n * w:] ** 2)) > 10 ** (threshold_db / 20):
        loud = np.append(loud, True)
    out: list[list[float]] = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        start, end = a * w / rate, min(b * w, len(x)) / rate
        if out and start - out[-1][1] < min_gap:
            out[-1][1] = end
        else:
            out.append([start, end])
    return [(float(a), float(b)) for a, b in out]


def trim(x, rate: int = RATE, threshold_db: float = SILENCE_DB, margin: float = 0.02) -> np.ndarray:
    """The track without its leading and trailing silence (``margin`` seconds kept)."""
    s = spans(x, rate, threshold_db)
    if not s:
        return np.zeros(0, dtype=np.float32)
    a = max(0, int((s[0][0] - margin) * rate))
    b = min(len(x), int(math.ceil((s[-1][1] + margin) * rate)))
    return np.asarray(x[a:b], dtype=np.float32)


def duration(x, rate: int = RATE) -> float:
    return len(x) / rate

"""The lecture's sound: decoding, the loudness meter against the standards' references,
true peak, normalisation to -16 LUFS / -1 dBTP, mixing, non-silent spans.

References:
- ITU-R BS.1770-4, table 1 and 2: the K-weighting biquads at 48 kHz; and "a 0 dB FS
  1 kHz sine wave applied to the left, centre or right channel reads -3.01 LKFS": one
  channel (our mono) of a sine at A dBFS peak reads A - 3.01 LUFS, so a mono 1 kHz sine
  at -20 dBFS reads -23.0 LUFS and one at -23 dBFS reads -26.0 LUFS.
- EBU Tech 3341 (v4) test signals 1-5 (stereo, the same sine in both channels: the
  channels add, +3.01 dB): case 1, 1 kHz at -23 dBFS, reads -23.0 LUFS; case 2, -33 dBFS
  reads -33.0; case 3, -36/-23/-36 dBFS for 10/60/10 s reads -23.0 (relative gate);
  case 4, -72/-36/-23/-36/-72 dBFS for 10/10/60/10/10 s reads -23.0 (both gates);
  case 5, -26/-20/-26 dBFS for 20/20.1/20 s reads -23.0.  Tolerance +-0.1 LU.
- EBU Tech 3341 true peak: a sine at fs/4 sampled at 45 degrees has sample peaks
  3.01 dB below its true peak; 4x oversampling reads the true peak within +0.2/-0.4 dB.
"""

import math

import numpy as np
import pytest

from jacviz.core.errors import JacvizError
from jacviz.studio import audio
from jacviz.studio.audio import RATE


def sine(dbfs, seconds, freq=1000.0, rate=RATE, phase=0.0):
    t = np.arange(int(round(seconds * rate))) / rate
    return 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t + phase)


def stereo(x):
    return np.stack([x, x], axis=1)


def test_k_weighting_at_48k_is_the_standards_table():
    (pb, pa), (rb, ra) = audio.k_weighting(48000)
    # ITU-R BS.1770-4, tables 1 and 2
    assert pb == pytest.approx([1.53512485958697, -2.69169618940638, 1.19839281085285], abs=1e-9)
    assert pa == pytest.approx([1.0, -1.69065929318241, 0.73248077421585], abs=1e-9)
    assert rb == pytest.approx([1.0, -2.0, 1.0])
    assert ra == pytest.approx([1.0, -1.99004745483398, 0.99007225036621], abs=1e-9)


@pytest.mark.parametrize("dbfs,expected", [(-20.0, -23.01), (-23.0, -26.01), (0.0, -3.01)])
def test_mono_sine_reads_as_one_channel_of_bs1770(dbfs, expected):
    assert audio.loudness(sine(dbfs, 10)) == pytest.approx(expected, abs=0.1)


def test_a_997_hz_sine_reads_like_1_khz():
    assert audio.loudness(sine(-20, 10, 997)) == pytest.approx(-23.01, abs=0.1)


def seq(*parts):
    return np.concatenate([sine(db, s) for db, s in parts])


@pytest.mark.parametrize("signal,expected", [
    (lambda: sine(-23, 20), -23.0),
    (lambda: sine(-33, 20), -33.0),
    (lambda: seq((-36, 10), (-23, 60), (-36, 10)), -23.0),
    (lambda: seq((-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)), -23.0),
    (lambda: seq((-26, 20), (-20, 20.1), (-26, 20)), -23.0),
], ids=["case1", "case2", "case3", "case4", "case5"])
def test_ebu_tech_3341_cases(signal, expected):
    x = signal()
    assert audio.loudness(stereo(x)) == pytest.approx(expected, abs=0.1)
    # the same signal in one channel reads 3.01 LU lower
    assert audio.loudness(x) == pytest.approx(expected - 3.01, abs=0.1)


def test_gates():
    assert audio.loudness(np.zeros(RATE * 2)) == -math.inf
    assert audio.loudness(sine(-80, 5)) == -math.inf          # all blocks under -70 LUFS
    assert audio.loudness(sine(-20, 0.3)) == -math.inf        # no full 400 ms block
    # silence around a tone is gated out: the tone's own loudness
    x = np.concatenate([np.zeros(RATE * 5), sine(-20, 20), np.zeros(RATE * 5)])
    assert audio.loudness(x) == pytest.approx(-23.01, abs=0.1)


def test_loudness_at_another_rate():
    assert audio.loudness(sine(-20, 10, rate=44100), rate=44100) == pytest.approx(-23.01, abs=0.1)


def test_true_peak_sees_inter_sample_peaks():
    x = sine(0.0, 1, freq=RATE / 4, phase=np.pi / 4)
    assert audio.sample_peak(x) == pytest.approx(-3.01, abs=0.01)
    assert -0.4 <= audio.true_peak(x) <= 0.2
    assert audio.true_peak(sine(-6, 1, 997)) == pytest.approx(-6.0, abs=0.05)
    assert audio.true_peak(np.zeros(100)) == -math.inf


def speech_like(seconds=12.0, seed=0):
    """Bursts of band-limited noise with sharp peaks: a crest factor like speech's."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    x = rng.standard_normal(n)
    from scipy.signal import lfilter

    x = lfilter([1.0], [1.0, -0.9], x)
    env = (np.sin(2 * np.pi * 3.1 * np.arange(n) / RATE) > 0.2).astype(float)
    x = x * env
    x[rng.integers(0, n, 20)] *= 6  # clicks, plosives
    x = 0.05 * x / np.max(np.abs(x))
    # pauses of digital silence
    x[int(3 * RATE):int(4 * RATE)] = 0.0
    return x.astype(np.float32)


@pytest.mark.parametrize("make", [speech_like, lambda: sine(-40, 8).astype(np.float32),
                                  lambda: sine(-3, 8, 440).astype(np.float32)],
                         ids=["speech-like", "quiet-tone", "loud-tone"])
def test_normalise_hits_the_targets(make):
    x = make()
    y = audio.normalise(x)
    assert audio.loudness(y) == pytest.approx(-16.0, abs=0.5)
    assert audio.true_peak(y) <= -1.0
    assert y.dtype == np.float32 and len(y) == len(x)
    # digital silence stays digital silence
    assert np.all(y[x == 0] == 0)


def test_normalise_limits_only_where_needed():
    """A tone that -16 LUFS pushes past -1 dBTP (peak-to-loudness ratio 20 dB): the
    limiter takes the peak down; the quiet stretches keep their shape."""
    x = speech_like(seed=3)
    before = audio.loudness(x)
    y = audio.normalise(x)
    gain = 10 ** ((-16 - before) / 20)
    assert audio.true_peak(x * gain) > -1.0     # a plain gain would clip
    quiet = np.abs(x * gain) < 0.05
    # away from the peaks the limiter leaves the signal alone (up to the loudness top-up)
    ratio = np.median(y[quiet & (x != 0)] / (x[quiet & (x != 0)] * gain))
    assert ratio == pytest.approx(1.0, abs=0.1)


def test_normalise_leaves_silence_alone():
    assert np.array_equal(audio.normalise(np.zeros(RATE)), np.zeros(RATE, np.float32))


def test_mix_places_beats_with_digital_silence_between():
    a, b = sine(-20, 1.0, 440), sine(-20, 0.5, 660)
    track = audio.mix([(0.5, a), (2.0, b), (3.0, None)], duration=4.0)
    assert len(track) == 4 * RATE
    assert np.all(track[:RATE // 2] == 0)
    assert np.allclose(track[RATE // 2:RATE // 2 + len(a)], a, atol=1e-7)
    assert np.all(track[int(1.5 * RATE):2 * RATE] == 0)
    assert np.all(track[int(2.5 * RATE):] == 0)
    spans = audio.spans(track)
    assert spans == [(pytest.approx(0.5, abs=0.011), pytest.approx(1.5, abs=0.011)),
                     (pytest.approx(2.0, abs=0.011), pytest.approx(2.5, abs=0.011))]


def test_mix_refuses_overlapping_voices():
    with pytest.raises(JacvizError, match="runs 0.500 s into the next one at 1.000 s"):
        audio.mix([(0.0, sine(-20, 1.5)), (1.0, sine(-20, 1.0))])
    with pytest.raises(JacvizError, match="before the track"):
        audio.mix([(-0.1, sine(-20, 1.0))])


def test_spans_bridge_short_gaps_and_trim():
    x = np.concatenate([np.zeros(RATE), sine(-20, 0.5), np.zeros(RATE // 20), sine(-20, 0.5),
                        np.zeros(RATE // 2), sine(-30, 0.25), np.zeros(RATE)])
    s = audio.spans(x)
    assert len(s) == 2
    assert s[0] == (pytest.approx(1.0, abs=0.011), pytest.approx(2.05, abs=0.011))
    assert s[1] == (pytest.approx(2.55, abs=0.011), pytest.approx(2.8, abs=0.011))
    t = audio.trim(x)
    assert len(t) / RATE == pytest.approx(1.8 + 0.04, abs=0.011)
    assert audio.spans(np.zeros(100)) == [] and len(audio.trim(np.zeros(RATE))) == 0


@pytest.mark.parametrize("suffix,rate,exact", [(".wav", 48000, True), (".wav", 22050, True),
                                               (".flac", 44100, True), (".mp3", 44100, False),
                                               (".ogg", 48000, False), (".m4a", 48000, False)])
def test_decode_reads_what_pyav_reads(tmp_path, suffix, rate, exact):
    """Test tones of known length come back at 48 kHz mono with that length."""
    x = sine(-12, 1.5, 440, rate=rate)
    path = audio.encode_file(tmp_path / f"tone{suffix}", x, rate)
    y = audio.decode(path)
    assert y.dtype == np.float32
    # lossy codecs pad a little (encoder delay): within 60 ms
    assert len(y) / RATE == pytest.approx(1.5, abs=0.001 if exact else 0.06)
    assert audio.loudness(y) == pytest.approx(audio.loudness(sine(-12, 1.5, 440)),
                                              abs=0.01 if exact else 0.5)  # mp3 is 0.45 dB down


def test_decode_averages_channels(tmp_path):
    import av

    path = tmp_path / "stereo.wav"
    left, right = sine(-6, 1.0, 440), np.zeros(RATE)
    with av.open(str(path), "w") as c:
        s = c.add_stream("pcm_s16le", rate=RATE, layout="stereo")
        data = np.round(np.stack([left, right], 1).reshape(1, -1) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(data, format="s16", layout="stereo")
        frame.sample_rate = RATE
        for p in s.encode(frame):
            c.mux(p)
        for p in s.encode():
            c.mux(p)
    y = audio.decode(path)
    assert np.max(np.abs(y)) == pytest.approx(0.5 * 10 ** (-6 / 20), abs=1e-3)


def test_decode_refuses_bad_files(tmp_path):
    with pytest.raises(JacvizError, match=r"^the recording .*nothing.wav does not exist$"):
        audio.decode(tmp_path / "nothing.wav", what="the recording")
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio\n" * 20)
    with pytest.raises(JacvizError, match=r"^cannot read the recording .*notes.wav: "):
        audio.decode(text, what="the recording")
    import wave

    empty = tmp_path / "empty.wav"
    with wave.open(str(empty), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
    with pytest.raises(JacvizError, match="holds no sound"):
        audio.decode(empty)
    import av

    video = tmp_path / "video.mp4"
    with av.open(str(video), "w") as c:
        s = c.add_stream("libx264", rate=10)
        s.width, s.height, s.pix_fmt = 64, 64, "yuv420p"
        for _ in range(3):
            for p in s.encode(av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8),
                                                         format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    with pytest.raises(JacvizError, match="has no audio stream"):
        audio.decode(video)


# -- the lecture's soundtrack, made piece by piece -------------------------------------------
@pytest.mark.parametrize("pieces", [[RATE * 9], [1, 4799, 4800, 4801, 333, RATE * 3, 77, RATE]],
                         ids=["whole", "ragged"])
def test_loudness_meter_piece_by_piece_is_the_whole(pieces):
    """The meter fed in pieces of any size (across 100 ms steps, the filter's state carried)
    gives the loudness of the whole track."""
    x = speech_like(seed=5)[:sum(pieces)]
    meter, at = audio.LoudnessMeter(), 0
    for n in pieces:
        meter.add(x[at:at + n])
        at += n
    assert meter.loudness() == pytest.approx(audio.loudness(x), abs=1e-6)
    assert audio.LoudnessMeter().loudness() == -math.inf


def test_level_is_normalise_of_the_clips_placed_anywhere():
    """Clips levelled together, then placed with other gaps: each clip is what normalise
    makes of it in the track they are levelled in, the placed track meets the targets,
    and a clip is the same wherever it lands (the limiter works within milliseconds)."""
    rng = np.random.default_rng(7)
    clips = [speech_like(seed=s)[:int(RATE * (1.5 + s))] for s in range(4)]
    clips[2] = clips[2] * 8  # one loud clip: the limiter must act on it
    levelled = audio.level(clips + [None], gap=1.0)
    assert levelled[-1] is None and [len(c) for c in levelled[:-1]] == [len(c) for c in clips]
    # against normalise on the very track level builds (1 s of silence before each clip)
    g = RATE
    track = np.concatenate([np.concatenate([np.zeros(g, np.float32), c]) for c in clips]
                           + [np.zeros(g, np.float32)])
    whole = audio.normalise(track)
    at = g
    for c, lv in zip(clips, levelled):
        assert np.array_equal(lv, whole[at:at + len(c)])
        at += len(c) + g
    # placed with gaps of 1.3 s to 4 s: the targets hold
    offsets = np.cumsum(rng.uniform(1.3, 4.0, len(clips)))
    placed, t = [], 0.0
    for c, lv, gap in zip(clips, levelled, offsets):
        placed.append((float(gap) + t, lv))
        t += len(c) / RATE
    mixed = audio.mix(placed, duration=placed[-1][0] + 3)
    assert audio.loudness(mixed) == pytest.approx(-16.0, abs=0.1)
    assert audio.true_peak(mixed) <= -1.0 - audio.CODEC_HEADROOM + 0.06
    assert audio.true_peak(levelled[2]) == pytest.approx(audio.true_peak(mixed), abs=0.01)

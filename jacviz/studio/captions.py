"""Captions, chapters and the transcript of a narrated lecture (plain text out).

- :func:`cues`: the narration's sentences, timed to the audio, as caption
  cues of at most :data:`MAX_LINES` lines of at most :data:`LINE_WIDTH`
  characters.  A sentence too long for one cue is split into several at word
  boundaries, preferring clause boundaries (after ``,`` ``;`` ``:`` or a
  dash) and pieces of even length; its time is shared among the pieces in
  proportion to their characters.  Each cue's text is wrapped into balanced
  lines;
- :func:`srt` and :func:`webvtt`: the two caption formats;
- :func:`chapters_vtt`: a WebVTT chapters track (one cue per chapter, the
  title as its text); :func:`chapters_txt`: the chapter list video sites
  read from a description: ``M:SS Title`` lines (``H:MM:SS`` past an hour),
  the first at 0:00, each chapter at least 10 s long.  Times are whole
  seconds, rounded down (a player jumps to the chapter's start, never past
  it).  A chapter shorter than 10 s there is merged into its neighbour: the
  first chapter into the next one (which then starts at 0:00, under its own
  title), any other into the one before it (its title then does not appear);
- :func:`transcript_md`: the narration in Markdown, a heading per chapter
  and each beat's text after its start time.

Times are seconds (floats) from the start of the lecture.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..core.errors import JacvizError

LINE_WIDTH = 42
MAX_LINES = 2
#: video sites' shortest chapter (seconds)
MIN_CHAPTER = 10.0


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str  # lines joined by "\n"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Chapter:
    start: float
    end: float
    title: str


@dataclass
class TimedBeat:
    """A beat of the lecture: ``id`` (``scene.beat``), its span in the lecture, its
    narration, and its sentences' ``(start, end, text)`` in lecture time."""

    id: str
    start: float
    end: float
    text: str
    sentences: list[tuple[float, float, str]] = field(default_factory=list)


# -- wrapping and splitting ------------------------------------------------------------
def wrap(text: str, width: int = LINE_WIDTH, lines: int = MAX_LINES) -> list[str] | None:
    """``text`` in at most ``lines`` lines of at most ``width`` characters, broken at
    spaces, the lines as even as possible; None when it does not fit."""
    words = text.split()
    if not words:
        return [""]
    if any(len(w) > width for w in words):
        return None
    best = None
    # all ways to break into k <= lines lines (k is at most 2 or 3: the count is tiny)
    def splits(start, k):
        if k == 1:
            yield [" ".join(words[start:])]
            return
        for cut in range(start + 1, len(words)):
            head = " ".join(words[start:cut])
            if len(head) > width:
                break
            for rest in splits(cut, k - 1):
                yield [head] + rest

    for k in range(1, lines + 1):
        if k > len(words):
            break
        for candidate in splits(0, k):
            if max(len(x) for x in candidate) > width:
                continue
            score = max(len(x) for x in candidate) - min(len(x) for x in candidate)
            if best is None or score < best[0]:
                best = (score, candidate)
        if best is not None:
            return best[1]
    return None


_CLAUSE_END = re.compile(r"[,;:]$|^[—–-]$")
_CLAUSE_START = {"and", "but", "or", "so", "which", "where", "while", "because", "then", "that"}


def split_sentence(sentence: str, width: int = LINE_WIDTH, lines: int = MAX_LINES) -> list[str]:
    """A sentence as the fewest pieces that each fit in a cue, cut at clause
    boundaries where possible and into pieces of even length."""
    words = sentence.split()
    if not words:
        return []
    if any(len(w) > width for w in words):
        raise JacvizError(f"the word {max(words, key=len)!r} is longer than a caption line "
                          f"({width} characters)")
    n = len(words)
    fits = [[False] * (n + 1) for _ in range(n + 1)]
    for i in range(n):
        for j in range(i + 1, n + 1):
            if len(" ".join(words[i:j])) > width * lines:
                break  # longer pieces fit even less
            fits[i][j] = wrap(" ".join(words[i:j]), width, lines) is not None
    # fewest pieces first (a large cost per piece), then clause boundaries, then evenness
    total = len(sentence)
    inf = math.inf
    best: list[tuple[float, int]] = [(inf, -1)] * (n + 1)
    best[0] = (0.0, -1)
    fewest = _fewest(fits, n)
    ideal = total / fewest
    for j in range(1, n + 1):
        for i in range(j):
            if best[i][0] == inf or not fits[i][j]:
                continue
            piece = " ".join(words[i:j])
            cost = 1e6 + ((len(piece) - ideal) / 10) ** 2
            if j < n and not (_CLAUSE_END.search(words[j - 1]) or words[j].lower() in _CLAUSE_START):
                cost += 30
            c = best[i][0] + cost
            if c < best[j][0]:
                best[j] = (c, i)
    cuts, j = [], n
    while j > 0:
        i = best[j][1]
        cuts.append((i, j))
        j = i
    return [" ".join(words[i:j]) for i, j in reversed(cuts)]


def _fewest(fits, n) -> int:
    count = [math.inf] * (n + 1)
    count[0] = 0
    for j in range(1, n + 1):
        count[j] = min((count[i] + 1 for i in range(j) if fits[i][j]), default=math.inf)
    return int(count[n])


def cues(sentences, width: int = LINE_WIDTH, lines: int = MAX_LINES) -> list[Cue]:
    """Caption cues from timed sentences ``(start, end, text)`` (lecture time)."""
    out: list[Cue] = []
    for start, end, text in sorted(sentences, key=lambda s: s[0]):
        if end < start:
            raise JacvizError(f"the sentence {text!r} ends before it starts")
        pieces = split_sentence(text, width, lines)
        weights = [len(p) + 1 for p in pieces]
        t, total = start, sum(weights)
        for piece, w in zip(pieces, weights):
            t1 = t + (end - start) * w / total
            out.append(Cue(t, t1, "\n".join(wrap(piece, width, lines))))
            t = t1
    # a cue never outlasts the start of the next one
    fixed = []
    for k, cue in enumerate(out):
        end = min(cue.end, out[k + 1].start) if k + 1 < len(out) else cue.end
        fixed.append(Cue(cue.start, max(end, cue.start), cue.text))
    return fixed


def lecture_cues(beats: list[TimedBeat], width: int = LINE_WIDTH,
                 lines: int = MAX_LINES) -> list[Cue]:
    """Every beat's sentences as cues."""
    return cues([s for b in beats for s in b.sentences], width, lines)


# -- writers ---------------------------------------------------------------------------
def _stamp(t: float, sep: str) -> str:
    ms = int(round(max(t, 0.0) * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def srt(cue_list: list[Cue]) -> str:
    """SubRip text: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``."""
    blocks = []
    for k, cue in enumerate(cue_list, 1):
        text = "\n".join(ln for ln in cue.lines if ln.strip()) or " "
        blocks.append(f"{k}\n{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}\n{text}\n")
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(ln for ln in text.split("\n") if ln.strip()) or " "


def webvtt(cue_list: list[Cue]) -> str:
    """WebVTT text: a ``WEBVTT`` header, cues ``HH:MM:SS.mmm --> HH:MM:SS.mmm``."""
    blocks = ["WEBVTT\n"]
    for k, cue in enumerate(cue_list, 1):
        blocks.append(f"{k}\n{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}\n"
                      f"{_vtt_text(cue.text)}\n")
    return "\n".join(blocks)


def chapters_vtt(chapters: list[Chapter]) -> str:
    """A WebVTT chapters track: one cue per chapter, its title as the text."""
    blocks = ["WEBVTT\n"]
    for k, ch in enumerate(chapters, 1):
        blocks.append(f"chapter-{k}\n{_stamp(ch.start, '.')} --> {_stamp(ch.end, '.')}\n"
                      f"{_vtt_text(' '.join(ch.title.split()))}\n")
    return "\n".join(blocks)


def clock(t: float) -> str:
    """Whole seconds as video sites write them: 0:00, 4:07, 1:02:03."""
    s = int(math.floor(max(t, 0.0) + 1e-9))
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def merge_short(chapters: list[Chapter], minimum: float = MIN_CHAPTER) -> list[Chapter]:
    """Chapters of at least ``minimum`` seconds (in whole seconds, as written): a
    shorter first chapter is merged into the next one (which then starts at its
    start), any other into the one before it.  A lecture shorter than
    ``minimum`` stays one chapter."""
    out = [Chapter(c.start, c.end, c.title) for c in sorted(chapters, key=lambda c: c.start)]
    if not out:
        return []

    def length(k):
        end = out[k + 1].start if k + 1 < len(out) else out[k].end
        return math.floor(end + 1e-9) - math.floor(out[k].start + 1e-9)

    k = 0
    while len(out) > 1 and k < len(out):
        if length(k) >= minimum:
            k += 1
            continue
        if k == 0:
            nxt = out[1]
            out[0:2] = [Chapter(out[0].start, nxt.end, nxt.title)]
        else:
            prev = out[k - 1]
            out[k - 1:k + 1] = [Chapter(prev.start, out[k].end, prev.title)]
            k -= 1
    return out


def chapters_txt(chapters: list[Chapter], minimum: float = MIN_CHAPTER) -> str:
    """``M:SS Title`` lines, the first at 0:00, each chapter at least ``minimum`` s
    (shorter ones merged: :func:`merge_short`)."""
    merged = merge_short(chapters, minimum)
    lines = []
    for k, ch in enumerate(merged):
        lines.append(f"{clock(0 if k == 0 else ch.start)} {' '.join(ch.title.split())}")
    return "\n".join(lines) + ("\n" if lines else "")


def transcript_md(title: str, chapters: list[Chapter], beats: list[TimedBeat]) -> str:
    """The narration in Markdown: the title, a ``## M:SS Chapter`` heading per chapter,
    and each beat's text as a paragraph starting with its time."""
    out = [f"# {title}", ""]
    chapters = sorted(chapters, key=lambda c: c.start)
    beats = sorted(beats, key=lambda b: b.start)
    k = 0
    for i, ch in enumerate(chapters):
        end = chapters[i + 1].start if i + 1 < len(chapters) else math.inf
        out += [f"## {clock(ch.start)} {ch.title}", ""]
        while k < len(beats) and beats[k].start < end:
            b = beats[k]
            text = " ".join(b.text.split())
            if text:
                out += [f"**{clock(b.start)}** {text}", ""]
            k += 1
    for b in beats[k:]:  # only when there are no chapters
        out += [f"**{clock(b.start)}** {' '.join(b.text.split())}", ""]
    return "\n".join(out).rstrip("\n") + "\n"

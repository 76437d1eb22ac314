"""Captions (SRT, WebVTT), chapters (WebVTT track, video sites' list) and the transcript."""

import re

import pytest

from jacviz.core.errors import JacvizError
from jacviz.studio.captions import (Chapter, Cue, TimedBeat, chapters_txt, chapters_vtt, clock,
                                    cues, lecture_cues, merge_short, split_sentence, srt,
                                    transcript_md, webvtt, wrap)

LONG = ("The pairing is the same in every space: zero point three, and zero point three again, "
        "which is exactly what duality promises when the gradient is pulled back through the "
        "transposes.")
SENTENCES = [
    LONG,
    "Short one.",
    "The small orange arrow at x zero is pushed through g, and its image is what the Jacobian "
    "of g does to it.",
    "In orange, going forward; in blue, coming back.",
    "A " + "very " * 30 + "long sentence without any clause boundary at all to cut it.",
]


def test_wrap_balances_two_lines():
    assert wrap("Short one.") == ["Short one."]
    lines = wrap("The small orange arrow at x zero is pushed through g.")
    assert len(lines) == 2 and all(len(x) <= 42 for x in lines)
    assert abs(len(lines[0]) - len(lines[1])) <= 10
    assert wrap("x " * 60) is None


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_cue_fits_two_lines_of_42(sentence):
    out = cues([(1.0, 9.0, sentence)])
    assert out
    for cue in out:
        assert 1 <= len(cue.lines) <= 2
        assert all(0 < len(line) <= 42 for line in cue.lines), cue.lines
    # no word lost, none repeated, order kept
    assert " ".join(" ".join(c.lines) for c in out).split() == sentence.split()
    # the pieces share the sentence's time, end to end
    assert out[0].start == 1.0 and out[-1].end == pytest.approx(9.0)
    for a, b in zip(out, out[1:]):
        assert a.end == pytest.approx(b.start)


def test_long_sentences_split_at_clause_boundaries_into_even_pieces():
    pieces = split_sentence(LONG)
    assert len(pieces) == 3  # 176 characters: 3 cues of at most 84
    assert pieces[0].endswith("zero point three,")
    assert pieces[1].endswith("duality")  # no clause boundary near: the even cut
    lengths = [len(p) for p in pieces]
    assert max(lengths) - min(lengths) < 20


def test_time_is_shared_in_proportion_to_characters():
    out = cues([(0.0, 10.0, LONG)])
    chars = [len(" ".join(c.lines)) + 1 for c in out]
    for cue, n in zip(out, chars):
        assert cue.end - cue.start == pytest.approx(10.0 * n / sum(chars))


def test_a_cue_never_outlasts_the_next_one():
    out = cues([(0.0, 2.5, "First sentence here."), (2.0, 4.0, "Second one.")])
    assert out[0].end == 2.0 and out[1].start == 2.0


def test_bad_input():
    with pytest.raises(JacvizError, match="longer than a caption line"):
        cues([(0, 1, "x" * 50)])
    with pytest.raises(JacvizError, match="ends before it starts"):
        cues([(2, 1, "Backwards.")])


def test_srt_and_webvtt_text():
    out = [Cue(0.0, 1.5, "One\ntwo"), Cue(61.25, 3723.0045, "a < b & c")]
    assert srt(out) == ("1\n00:00:00,000 --> 00:00:01,500\nOne\ntwo\n\n"
                        "2\n00:01:01,250 --> 01:02:03,004\na < b & c\n")
    assert webvtt(out) == ("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nOne\ntwo\n\n"
                           "2\n00:01:01.250 --> 01:02:03.004\na &lt; b &amp; c\n")


def test_lecture_cues_from_timed_beats():
    beats = [TimedBeat("two-way.push", 3.0, 9.0, "First. Second.",
                       [(3.0, 4.0, "First."), (4.4, 5.5, "Second.")]),
             TimedBeat("two-way.pull", 9.0, 12.0, "Third.", [(9.5, 11.0, "Third.")])]
    out = lecture_cues(beats)
    assert [(c.start, c.end, c.text) for c in out] == [
        (3.0, 4.0, "First."), (4.4, 5.5, "Second."), (9.5, 11.0, "Third.")]


CHAPTERS = [Chapter(0.0, 4.2, "Title"), Chapter(4.2, 30.0, "§1 The Jacobian"),
            Chapter(30.0, 35.9, "§2 Too short"), Chapter(35.9, 80.0, "§3 The chain rule"),
            Chapter(80.0, 3725.0, "§4 Composition")]


def test_chapters_txt_as_video_sites_read_it():
    text = chapters_txt(CHAPTERS)
    assert text == ("0:00 §1 The Jacobian\n"
                    "0:35 §3 The chain rule\n"
                    "1:20 §4 Composition\n")
    lines = text.splitlines()
    assert lines[0].startswith("0:00 ")
    starts = [int(m.group(1)) * 60 + int(m.group(2))
              for m in (re.match(r"(\d+):(\d\d) ", ln) for ln in lines)]
    ends = starts[1:] + [3725]
    assert all(e - s >= 10 for s, e in zip(starts, ends))


def test_merge_short():
    # a short first chapter goes into the next (which starts at 0); others into the one before
    merged = merge_short(CHAPTERS)
    assert [(c.start, c.end, c.title) for c in merged] == [
        (0.0, 35.9, "§1 The Jacobian"), (35.9, 80.0, "§3 The chain rule"),
        (80.0, 3725.0, "§4 Composition")]
    # whole seconds as written: 9.9 s from 0:10.0 to 0:19.9 counts as 0:10 to 0:19, 9 s
    assert len(merge_short([Chapter(0, 10.0, "a"), Chapter(10.0, 19.9, "b"),
                            Chapter(19.9, 40, "c")])) == 2
    assert merge_short([Chapter(0, 5, "only")]) == [Chapter(0, 5, "only")]
    assert merge_short([]) == []


def test_clock():
    assert [clock(t) for t in (0, 9.99, 61, 600, 3723.5)] == ["0:00", "0:09", "1:01", "10:00",
                                                               "1:02:03"]


def test_chapters_vtt():
    text = chapters_vtt(CHAPTERS[:2])
    assert text == ("WEBVTT\n\nchapter-1\n00:00:00.000 --> 00:00:04.200\nTitle\n\n"
                    "chapter-2\n00:00:04.200 --> 00:00:30.000\n§1 The Jacobian\n")


def test_transcript():
    beats = [TimedBeat("title.card", 0.0, 4.2, "Jacobians and the chain rule."),
             TimedBeat("jacobian.grid", 5.0, 20.0, "A map from the plane to the plane."),
             TimedBeat("jacobian.rows", 20.0, 30.0, "Each row is a gradient."),
             TimedBeat("chain.curve", 36.0, 50.0, "Now a curve.")]
    text = transcript_md("The lesson", CHAPTERS[:4], beats)
    assert text == ("# The lesson\n\n"
                    "## 0:00 Title\n\n**0:00** Jacobians and the chain rule.\n\n"
                    "## 0:04 §1 The Jacobian\n\n**0:05** A map from the plane to the plane.\n\n"
                    "**0:20** Each row is a gradient.\n\n"
                    "## 0:30 §2 Too short\n\n"
                    "## 0:35 §3 The chain rule\n\n**0:36** Now a curve.\n")

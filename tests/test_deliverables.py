"""Clips where lecturers need them: formats, transparency, captions, slides, gallery,
checked in a real (headless, Debian) Chromium; and no half-made files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jacviz.studio import gallery, slides
from jacviz.studio.registry import scene_class
from jacviz.studio.render import render
from jacviz.studio.request import RenderRequest, resolve_params

from browser import not_blank, open_page

ROOT = Path(__file__).resolve().parent.parent
TINY = (192, 108)
JACVIZ = str(Path(sys.executable).parent / "jacviz")


def cli(*args, **kw):
    return subprocess.run([JACVIZ, *args], capture_output=True, text=True, timeout=600, cwd=ROOT, **kw)


def test_transparent_webm_has_alpha(tmp_path):
    import av

    out = tmp_path / "two-way.webm"
    res = cli("render", "two-way", "--format", "webm", "--transparent", "--resolution", "192,108",
              "--fps", "5", "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    decoder = av.CodecContext.create("libvpx-vp9", "r")  # decodes VP9's alpha side data
    alphas = []
    with av.open(str(out)) as container:
        for packet in container.demux(video=0):
            for frame in decoder.decode(packet):
                assert frame.format.name == "yuva420p"
                alphas.append(frame.to_ndarray(format="rgba")[..., 3])
    assert len(alphas) > 10
    last = alphas[-1]
    assert (last < 16).mean() > 0.5, "the background should be transparent"
    assert (last > 240).mean() > 0.005, "the drawing should be opaque"
    assert out.with_suffix(".srt").exists()


def test_png_is_the_last_frame(tmp_path):
    from PIL import Image

    out = tmp_path / "poster.png"
    res = cli("render", "jacobian-grid", "--format", "png", "--resolution", "320,180", "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    img = Image.open(out)
    assert img.size == (320, 180)
    assert not (ROOT / "poster.srt").exists() and not out.with_suffix(".srt").exists()  # no captions for a still
    assert not_blank(out)


@pytest.mark.parametrize("fmt", ["gif", "mov"])
def test_other_formats(fmt, tmp_path):
    import av

    out = tmp_path / f"clip.{fmt}"
    res = cli("render", "jacobian-grid", "--format", fmt, "--resolution", "160,90", "--fps", "3",
              "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    with av.open(str(out)) as c:
        frames = sum(1 for _ in c.decode(video=0))
    assert frames > 5


@pytest.mark.parametrize("args,fragment", [
    (["--format", "mp4", "--transparent"], "no alpha channel"),
    (["--format", "avi"], "invalid choice"),
    (["--resolution", "100"], "two whole numbers"),
    (["--resolution", "101,100"], "even"),
    (["--fps", "0"], "out of range"),
    (["--format", "webm", "--out", "x.mp4"], "must end in .webm"),
])
def test_impossible_combinations_refused_before_rendering(args, fragment, tmp_path):
    res = cli("render", "two-way", *args)
    assert res.returncode == 2
    assert res.stderr.startswith("error: ") and fragment in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_captions_say_the_beats_with_numbers(tmp_path):
    out = tmp_path / "two-way.mp4"
    render(RenderRequest("two-way", out=out, resolution=TINY, fps=5, media_dir=tmp_path / "m"))
    srt = out.with_suffix(".srt").read_text()
    assert "0.3" in srt  # dy = 0.3 and the duality values
    assert "4" in srt and "-1" in srt  # grad_x = (4, -1)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["scene"] == "two-way" and meta["command"].startswith("jacviz render two-way")


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / "slides"
    slides.build(out, names=["jacobian-grid", "composition"], progress=False, resolution=TINY, fps=5)
    return out


def test_deck_opens_offline_and_plays(deck, tmp_path):
    index = deck / "index.html"
    html = index.read_text()
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    shot = tmp_path / "deck.png"
    errors, remote, sources, probes = open_page(
        index, "Array.from(document.querySelectorAll('[data-background-video]')).map(s => s.getAttribute('data-background-video'))",
        shot, ready_js="typeof Reveal !== 'undefined' && Reveal.isReady()")
    assert not errors, errors
    assert not remote, remote
    assert len(sources) >= 6  # one slide per beat, two scenes
    for src in sources:
        assert (deck / src).exists(), src
    for p in probes:
        assert p["ok"] and p["duration"] > 0, p
    assert not_blank(shot)


def test_handout_has_a_page_per_slide(deck):
    pdf = (deck / "handout.pdf").read_bytes()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    html = (deck / "index.html").read_text()
    assert pages == html.count("data-background-video=") and pages >= 6


def test_slides_do_not_change_the_plain_render():
    """The scene mixed with Slide starts slides at beats; the plain class never does."""
    plain = scene_class("two-way")
    mixed = slides.slide_class("two-way")
    assert not hasattr(plain, "next_slide")
    assert issubclass(mixed, plain) and hasattr(mixed, "next_slide")


def test_gallery_opens_offline_and_every_video_loads(tmp_path):
    renders = tmp_path / "renders"
    renders.mkdir()
    render(RenderRequest("jacobian-grid", out=renders / "jacobian-grid.mp4", resolution=TINY, fps=5,
                         media_dir=tmp_path / "m1"))
    p = resolve_params("jacobian-grid", {"point": "2,1"})
    render(RenderRequest("jacobian-grid", p, out=renders / f"jacobian-grid-{p.digest()}.mp4",
                         resolution=TINY, fps=5, media_dir=tmp_path / "m2"))
    index = gallery.build(renders)
    html = index.read_text()
    assert "jacviz render jacobian-grid --set point=2,1" in html
    assert html.count("<video") == 2 and html.count("<track") == 2
    shot = tmp_path / "gallery.png"
    # every caption track loaded: its cues are there (the page shows them)
    tracks_ready = """(() => {
        const vs = Array.from(document.querySelectorAll('video'));
        vs.forEach(v => { v.textTracks[0].mode = 'showing'; });
        return vs.every(v => v.querySelector('track').readyState === 2);
    })()"""
    cues_js = "Array.from(document.querySelectorAll('video')).map(v => v.textTracks[0].cues.length)"
    errors, remote, sources, probes, cues = open_page(
        index, "Array.from(document.querySelectorAll('video source')).map(s => s.getAttribute('src'))", shot,
        extra_js=cues_js, ready_js=tracks_ready)
    assert not errors, errors
    assert len(cues) == 2 and all(c >= 3 for c in cues), cues  # the captions load in the browser
    assert not remote, remote
    assert len(sources) == 2
    for src in sources:
        assert (renders / src).exists()
    for pr in probes:
        assert pr["ok"] and pr["duration"] > 0, pr
    for poster in (renders / "posters").glob("*.png"):
        assert not_blank(poster)
    assert not_blank(shot)


def test_speaker_notes_are_the_narration(deck):
    """Every slide's speaker notes are its beat's spoken text (the lecture's default
    script, built from the core's numbers), in order; a text with HTML characters is
    escaped."""
    import html as html_mod
    import re

    from jacviz.studio.script import default_script

    page = (deck / "index.html").read_text()
    notes = [html_mod.unescape(n) for n in
             re.findall(r'<aside class="notes" data-markdown>(.*?)</aside>', page, re.S)]
    said = [t for name in ("jacobian-grid", "composition") for _, t in default_script(name)]
    assert notes == said
    assert len(notes) == page.count("data-background-video=")
    assert any("row" in t and "column" in t for t in notes)  # spoken, not the captions


def test_gallery_shows_the_lecture_with_its_tracks(tmp_path):
    """renders/lecture/ (a small lecture, voice none) is shown across the top of the
    gallery: the video with its captions and chapters tracks (both load in Chromium, the
    chapters' cues are the lecture's chapters), and a chapter button seeks to its start."""
    renders = tmp_path / "renders"
    run = subprocess.run([sys.executable, "-m", "jacviz", "lecture", "jacobian-grid", "two-way",
                          "--voice", "none", "--quiet", "--resolution", "192,108", "--fps", "5"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    meta = json.loads((renders / "lecture" / "lecture.json").read_text())
    render(RenderRequest("jacobian-grid", out=renders / "jacobian-grid.mp4", resolution=TINY,
                         fps=5, media_dir=tmp_path / "m1"))
    index = gallery.build(renders)
    page = index.read_text()
    assert page.count("<video") == 2 and page.index('id="lecture"') < page.index('id="jacobian-grid"')
    assert 'kind="chapters"' in page and (renders / "posters" / "lecture.png").exists()
    assert not_blank(renders / "posters" / "lecture.png")
    second = meta["chapters"][1]
    ready = """(() => {
        const v = document.querySelector('#lecture video');
        Array.from(v.textTracks).forEach(t => { t.mode = 'hidden'; });
        return Array.from(v.querySelectorAll('track')).every(t => t.readyState === 2);
    })()"""
    check = f"""(async () => {{
        const v = document.querySelector('#lecture video');
        const tracks = Array.from(v.textTracks);
        const cues = Object.fromEntries(tracks.map(t => [t.kind, Array.from(t.cues).map(
            c => [c.startTime, c.endTime, c.text])]));
        document.querySelectorAll('#lecture button[data-start]')[1].click();
        await new Promise(r => setTimeout(r, 0));
        return {{cues, time: v.currentTime}};
    }})()"""
    errors, remote, sources, probes, got = open_page(
        index, "Array.from(document.querySelectorAll('video source')).map(s => s.getAttribute('src'))",
        tmp_path / "gallery.png", extra_js=check, ready_js=ready)
    assert not errors, errors
    assert not remote, remote
    assert sources[0] == "lecture/lecture.mp4"
    assert all(p["ok"] for p in probes), probes
    chapters = got["cues"]["chapters"]
    assert [c[2] for c in chapters] == [c["title"] for c in meta["chapters"]]
    assert chapters[1][0] == pytest.approx(second["start"], abs=0.01)
    assert len(got["cues"]["captions"]) >= len(meta["beats"])
    assert got["time"] == pytest.approx(second["start"], abs=0.3)

"""``make gallery``: ``renders/index.html``, every clip with its poster, duration,
parameters, captions and the exact command that re-renders it; and, when
``jacviz lecture`` has written ``renders/lecture/``, the lecture across the top
with its captions and chapters tracks and its chapters as buttons that seek.

It reads the metadata that ``jacviz render`` writes beside each clip
(``<clip>.json``), makes a poster from the clip's last frame and WebVTT
captions from its ``.srt``, and opens from disk, offline (no remote asset).
Beside a clip of a scene that has an interactive canvas
(:mod:`jacviz.studio.interactive`), it shows the canvas for the clip's
parameters: the page is (re)written as ``<clip stem>.html`` beside the clip
(the path ``jacviz interactive`` uses) and shown in a sandboxed iframe.

What it writes is one folder output (:class:`jacviz.studio.output.FolderTarget`)
that shares the renders folder with the clips: ``index.html``, ``posters/``, and
beside each clip its ``.vtt`` captions and canvas page, listed in
``.jacviz-gallery.json``.  All of it is checked before the first clip is read,
made in a staging folder and put in place together.  A clip's poster, captions
and canvas page are named after the clip and belong to it (``jacviz interactive``
writes the same page); an ``index.html`` that an earlier gallery did not write (a
page of your own) is refused unless ``force``, which replaces it.
"""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path

from ..core.errors import JacvizError
from ..core.signals import stage
from . import registry
from .output import FolderTarget
from .request import resolve_params, workdir

CLIP_EXTS = (".mp4", ".webm", ".mov", ".gif")
MANIFEST = ".jacviz-gallery.json"
MIME = {".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime"}


def probe(clip: Path):
    """(duration in seconds, last frame as a PIL image) of a clip, via PyAV."""
    import av

    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        last, count = None, 0
        for frame in container.decode(stream):
            last, count = frame, count + 1
        if last is None:
            raise JacvizError(f"{clip.name} has no frames")
        if stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        else:
            rate = float(stream.average_rate or 15)
            duration = count / rate
    return duration, last.to_image()


def srt_to_vtt(srt: str) -> str:
    lines = ["WEBVTT", ""]
    for line in srt.replace("\r\n", "\n").split("\n"):
        if "-->" in line:
            line = line.replace(",", ".")
        lines.append(line)
    return "\n".join(lines).rstrip() + "\n"


def collect(renders: Path) -> list[dict]:
    order = {name: i for i, name in enumerate(registry.names())}
    items = []
    for meta_path in sorted(renders.glob("*.json")):
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(meta, dict) or "scene" not in meta:
            continue
        clip = next((meta_path.with_suffix(e) for e in CLIP_EXTS if meta_path.with_suffix(e).exists()), None)
        if clip is None:
            continue
        items.append({**meta, "clip": clip, "stem": meta_path.stem})
    items.sort(key=lambda m: (order.get(m["scene"], 99), m["stem"]))
    return items


def build(renders: Path | None = None, force: bool = False) -> Path:
    """Write the gallery into the renders folder (default ``renders``); returns the page.
    ``force``: replace files at the gallery's names that an earlier gallery did not write."""
    target = FolderTarget(Path(renders) if renders else workdir() / "renders",
                          option="--renders" if renders else "", force=force, shared=True,
                          manifest=MANIFEST)
    renders = target.path
    if os.path.lexists(renders) and not os.path.isdir(renders):
        raise JacvizError(f"{target.label} is a file; name the folder that holds the clips")
    target.check()  # the folder itself: its ancestors, a system folder, writable
    items = collect(renders) if os.path.isdir(renders) else []
    lecture = find_lecture(renders) if os.path.isdir(renders) else None
    if not items and lecture is None:
        raise JacvizError(f"no rendered clips in {renders}; run `make render` first")
    canvases = {it["stem"]: _canvas(it) for it in items}
    own = set()  # the files that belong to a clip: its poster, captions and canvas page
    for it in items:
        own.add(f"posters/{it['stem']}.png")
        if it["clip"].with_suffix(".srt").exists():
            own.add(f"{it['stem']}.vtt")
        if canvases[it["stem"]][0] is not None:
            own.add(f"{it['stem']}.html")
    if lecture is not None:
        own.add("posters/lecture.png")
    names = ["index.html", *sorted(own)]
    target.check(names, adopt=own)  # the files it writes, before the first clip is read
    with target.staging() as tmp:
        (tmp / "posters").mkdir()
        cards = []
        if lecture is not None:
            poster = renders / "posters" / "lecture.png"
            lecture_poster(lecture["clip"]).save(tmp / "posters" / poster.name)
            cards.append(_lecture_card(lecture, poster, renders))
        for it in items:
            clip = it["clip"]
            duration, last = probe(clip)
            poster = renders / "posters" / f"{it['stem']}.png"
            last.convert("RGB").save(tmp / "posters" / poster.name)
            stage("poster", str(poster))
            srt = clip.with_suffix(".srt")
            vtt = None
            captions = []
            if srt.exists():
                text = srt.read_text()
                vtt = srt_to_vtt(text)
                (tmp / f"{it['stem']}.vtt").write_text(vtt)
                captions = [block.split("\n", 2)[-1] for block in text.strip().split("\n\n")
                            if block.strip()]
            html_text, why = canvases[it["stem"]]
            canvas = None
            if html_text is not None:
                canvas = renders / f"{it['stem']}.html"
                (tmp / canvas.name).write_text(html_text, encoding="utf-8")
            cards.append(_card(it, clip, poster, vtt, duration, captions, renders, canvas, why))
        (tmp / "index.html").write_text(_page(cards))
        target.commit(tmp, adopt=own)
    return renders / "index.html"


LECTURE = "lecture"  # the folder `jacviz lecture` writes into renders/


def find_lecture(renders: Path) -> dict | None:
    """The lecture in ``renders/lecture/`` (what ``jacviz lecture`` wrote: its
    lecture.json, mp4, captions and chapters), or None."""
    folder = renders / LECTURE
    try:
        meta = json.loads((folder / "lecture.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    clip = folder / "lecture.mp4"
    if not isinstance(meta, dict) or not clip.is_file():
        return None
    texts = {}
    for name in ("lecture.vtt", "chapters.vtt"):
        try:
            texts[name] = (folder / name).read_text(encoding="utf-8")
        except OSError:
            texts[name] = None
    return {"meta": meta, "clip": clip, "folder": folder, **texts}


def lecture_poster(clip: Path, at: float = 2.0):
    """The lecture's poster: its frame at ``at`` seconds (the title card), decoding no
    further than that."""
    import av

    with av.open(str(clip)) as container:
        frame = None
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= at:
                break
        if frame is None:
            raise JacvizError(f"{clip} has no frames")
        return frame.to_image().convert("RGB")


def _track(kind: str, label: str, vtt: str | None, default: bool = False) -> str:
    if not vtt:
        return ""
    data = base64.b64encode(vtt.encode()).decode()
    return (f'<track kind="{kind}" srclang="en" label="{label}"{" default" if default else ""} '
            f'src="data:text/vtt;base64,{data}">')


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _lecture_card(lec: dict, poster: Path, base: Path) -> str:
    """The lecture, across the page: the video with its captions and chapters tracks
    (inline, as for the clips), its chapters as buttons that seek, and its files."""
    meta = lec["meta"]
    chapters = [c for c in meta.get("chapters", []) if isinstance(c, dict)]
    buttons = "".join(
        f'<li><button type="button" data-start="{float(c.get("start", 0)):.3f}">'
        f'{_clock(float(c.get("start", 0)))}</button> {html.escape(str(c.get("title", "")))}</li>'
        for c in chapters)
    files = " &middot; ".join(
        f'<a href="{_rel(lec["folder"] / n, base)}">{n}</a>'
        for n in ("lecture.srt", "transcript.md", "script.toml", "chapters.txt")
        if (lec["folder"] / n).exists())
    who = " &middot; ".join(html.escape(str(meta[k])) for k in ("course", "lecturer")
                            if meta.get(k))
    voice = meta.get("voice")
    voice = voice if isinstance(voice, str) else "recordings"
    duration = float(meta.get("duration", 0.0))
    return f"""
<article id="lecture" class="lecture">
  <h2>{html.escape(str(meta.get("title", "The lecture")))}</h2>
  <p class="desc">{who + " &middot; " if who else ""}the narrated lecture: {len(chapters)} chapters</p>
  <div class="pair"><div class="clip">
  <video controls preload="metadata" poster="{_rel(poster, base)}">
    <source src="{_rel(lec["clip"], base)}" type="video/mp4">
    {_track("captions", "English", lec["lecture.vtt"], default=True)}
    {_track("chapters", "Chapters", lec["chapters.vtt"])}
  </video></div>
  <div><ol class="chapters">{buttons}</ol></div></div>
  <p class="meta"><span class="duration" data-seconds="{duration:.3f}">{_clock(duration)}</span>
     &middot; voice {html.escape(voice)} &middot; {files}</p>
  <pre class="command"><code>{html.escape(str(meta.get("command", "jacviz lecture")))}</code></pre>
</article>"""


def _canvas(it: dict) -> tuple[str | None, str]:
    """The canvas page of a clip, for the clip's parameters: (HTML text, "") for a
    scene that has a canvas, (None, reason) when the parameters no longer validate or
    cannot be compiled, (None, "") for a scene without one."""
    from .interactive import CANVASES, page

    if it["scene"] not in CANVASES:
        return None, ""
    values = it.get("params", {})
    changed = {k: values[k] for k in it.get("changed", []) if k in values}
    try:
        params = resolve_params(it["scene"], changed)
        return page(it["scene"], params), ""
    except JacvizError as exc:
        return None, " ".join(str(exc).split())


def _rel(p: Path, base: Path) -> str:
    return html.escape(os.path.relpath(p, base))


def _card(it, clip, poster, vtt, duration, captions, base, canvas=None, why="") -> str:
    desc = registry.SCENES.get(it["scene"], ("", "", ""))[2]
    changed = set(it.get("changed", []))
    rows = []
    for key, value in it.get("params", {}).items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        cls = ' class="changed"' if key in changed else ""
        rows.append(f"<tr{cls}><th>{html.escape(key)}</th><td><code>{html.escape(str(value))}</code></td></tr>")
    if clip.suffix == ".gif":
        media = f'<img src="{_rel(clip, base)}" alt="{html.escape(it["scene"])}">'
    else:
        # inline (data: URI): a page opened from disk may not fetch a file:// track
        track = (f'<track kind="captions" srclang="en" label="English" default '
                 f'src="data:text/vtt;base64,{base64.b64encode(vtt.encode()).decode()}">'
                 if vtt else "")
        media = (f'<video controls preload="metadata" poster="{_rel(poster, base)}">'
                 f'<source src="{_rel(clip, base)}" type="{MIME.get(clip.suffix, "video/mp4")}">'
                 f"{track}</video>")
    caps = "".join(f"<li>{html.escape(c)}</li>" for c in captions)
    cls = ""
    if canvas is not None:
        cls = ' class="with-canvas"'
        title = html.escape(f"{it['stem']}: interactive canvas", quote=True)
        media = (f'<div class="pair"><div class="clip">{media}</div><div class="canvas">'
                 f'<iframe src="{_rel(canvas, base)}" title="{title}" data-canvas="{_rel(canvas, base)}" '
                 f'sandbox="allow-scripts"></iframe>'
                 f'<p class="meta"><a href="{_rel(canvas, base)}">open the canvas on its own page</a></p>'
                 f"</div></div>")
    elif why:
        media += f'<p class="meta warn">no canvas: {html.escape(why)}</p>'
    return f"""
<article id="{html.escape(it['stem'])}"{cls}>
  <h2>{html.escape(it['stem'])}</h2>
  <p class="desc">{html.escape(desc)}</p>
  {media}
  <p class="meta"><span class="duration" data-seconds="{duration:.3f}">{duration:.1f} s</span>
     &middot; {html.escape(it.get('format', clip.suffix[1:]))} &middot; quality {html.escape(it.get('quality', '?'))}
     &middot; <a href="{_rel(poster, base)}">poster</a></p>
  <pre class="command"><code>{html.escape(it['command'])}</code></pre>
  <details><summary>parameters</summary><table>{''.join(rows)}</table></details>
  <details><summary>captions</summary><ol>{caps}</ol></details>
</article>"""


def _page(cards) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jacviz gallery</title>
<style>
body {{ background: #0b0b0b; color: #eee; font-family: system-ui, sans-serif; margin: 2rem; }}
h1 {{ font-weight: 600; }}
main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1.5rem; }}
article {{ background: #1c1c1c; border-radius: 8px; padding: 1rem; }}
video, img {{ width: 100%; border-radius: 4px; background: #000; }}
h2 {{ margin: 0 0 .3rem; font-size: 1.1rem; color: #E69F00; }}
.desc {{ margin: 0 0 .6rem; color: #bbb; }}
.meta {{ color: #9a9a9a; font-size: .9rem; }}
a {{ color: #56B4E9; }}
pre.command {{ white-space: pre-wrap; background: #000; padding: .5rem; border-radius: 4px; font-size: .85rem; }}
table {{ border-collapse: collapse; font-size: .85rem; }}
th {{ text-align: left; padding-right: 1rem; color: #bbb; }}
tr.changed th {{ color: #009E73; }}
article.with-canvas, article.lecture {{ grid-column: 1 / -1; }}
ol.chapters {{ padding-left: 0; list-style: none; margin: 0; }}
ol.chapters li {{ margin: .25rem 0; }}
ol.chapters button {{ font: inherit; font-variant-numeric: tabular-nums; background: #000;
                     color: #E69F00; border: 1px solid #333; border-radius: 4px; cursor: pointer; }}
.pair {{ display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem;
         align-items: start; }}
@media (max-width: 900px) {{ .pair {{ grid-template-columns: minmax(0, 1fr); }} }}
.canvas iframe {{ width: 100%; aspect-ratio: 16 / 10; border: 1px solid #333; border-radius: 4px;
                  background: #0b0b0b; }}
.warn {{ color: #D55E00; }}
</style>
</head>
<body>
<h1>jacviz gallery</h1>
<p>The lecture and every clip in <code>renders/</code>, with the command that makes each again.</p>
<main>
{''.join(cards)}
</main>
<script>
document.querySelectorAll("article.lecture").forEach(function (card) {{
  var video = card.querySelector("video");
  card.querySelectorAll("button[data-start]").forEach(function (b) {{
    b.addEventListener("click", function () {{
      video.currentTime = parseFloat(b.dataset.start);
      video.play();
    }});
  }});
}});
</script>
</body>
</html>
"""

"""``make slides``: one reveal.js deck of the whole lesson, plus a PDF handout.

Each scene is rendered as slides by mixing its class with manim-slides'
``Slide`` (a plain render is unchanged: the scene only starts a new slide at
each beat when it *is* a Slide).  The deck carries a local copy of reveal.js
(from the npm registry, see :mod:`jacviz.studio.assets`), so it opens from disk
with no network request.  The handout is the last frame of every slide, one per page.
The deck is a folder output (:class:`jacviz.studio.output.FolderTarget`): checked
before anything renders, built in a staging folder, and put in place at the end,
replacing only what an earlier deck wrote there (``force``: beside foreign files).

With ``canvases`` (the default), each scene that has an interactive canvas
(:mod:`jacviz.studio.interactive`) gets one more slide after its clip's
slides: the canvas page, written beside the deck (``canvases/<scene>.html``)
and shown in a sandboxed iframe loaded by a relative ``src``, so the deck
still opens from disk with no network request.  A clicker's PageDown and
PageUp still move the deck while a canvas has the keyboard (the canvas posts
them to the deck).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from ..core.errors import JacvizError
from ..core.signals import run_child
from . import registry
from .assets import reveal_dist
from .output import FolderTarget
from .request import manim_config, workdir


def slide_class(name: str):
    from manim_slides import Slide

    cls = registry.scene_class(name)
    return type(cls.__name__, (cls, Slide), {"skip_reversing": True, "__module__": cls.__module__})


def render_slides(names: list[str], deck_dir: Path, quality: str, progress: bool,
                  resolution=None, fps=None) -> list[str]:
    """Render each scene as slides into deck_dir (manim-slides' JSON + files)."""
    from manim import tempconfig

    classes = []
    for name in names:
        cls = slide_class(name)
        size = f"{resolution[0]}x{resolution[1]}" if resolution else quality
        work = workdir() / "media" / f"slides-{name}-{size}"
        opts = manim_config(work, quality=quality, resolution=resolution, fps=fps,
                            progress=progress, write_to_movie=True)
        t0 = time.perf_counter()
        with tempconfig(opts):
            scene = cls(output_folder=deck_dir)
            scene.render()
        if progress:
            print(f"  slides for {name}: {len(scene.beats)} beats, {time.perf_counter() - t0:.1f} s",
                  flush=True)
        classes.append(cls.__name__)
    return classes


def last_frames(deck_dir: Path, classes: list[str]):
    """The last frame of every slide, in deck order, as PIL images."""
    import av

    from manim_slides.config import PresentationConfig

    images = []
    for cls in classes:
        pres = PresentationConfig.from_file(deck_dir / f"{cls}.json")
        for slide in pres.slides:
            frame = None
            with av.open(str(slide.file)) as container:
                for frame in container.decode(video=0):
                    pass
            if frame is None:
                raise JacvizError(f"slide file {slide.file} has no frames")
            images.append(frame.to_image().convert("RGB"))
    return images


def write_handout(images, path: Path) -> None:
    if not images:
        raise JacvizError("no slides to put in the handout")
    first, rest = images[0], images[1:]
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=96.0,
               title="jacviz: Jacobians and the chain rule (handout)")


def build(out: Path | None = None, quality: str = "l", names: list[str] | None = None,
          progress: bool = True, resolution=None, fps=None, canvases: bool = True,
          force: bool = False) -> Path:
    """Render the scenes as slides and write the deck (index.html, reveal.js, handout.pdf)
    into ``out`` (default renders/slides); with ``canvases``, a canvas slide after each
    scene that has one.  ``force``: write into a folder that holds files jacviz did not
    make (kept; one with the name of a deck file is replaced)."""
    default = workdir() / "renders" / "slides"
    target = FolderTarget(Path(out) if out else default, option="--out" if out else "",
                          force=force, example=str(default))
    target.check()  # before anything renders
    out = target.path
    names = [registry.resolve_name(n) for n in names] if names else registry.names()
    pages = canvas_pages(names) if canvases else {}  # every page made before anything renders
    reveal = reveal_dist()
    deck = workdir() / "media" / f"slides-deck-{quality}-{os.getpid()}"
    shutil.rmtree(deck, ignore_errors=True)
    try:
        with target.staging() as tmp:
            classes = render_slides(names, deck, quality, progress, resolution, fps)
            shutil.copytree(reveal, tmp / "reveal.js" / "dist")
            cmd = [str(Path(sys.executable).parent / "manim-slides"), "convert", "--folder",
                   str(deck), "--to", "html", "-ccdn_url=reveal.js",
                   "-ctitle=jacviz: Jacobians and the chain rule",
                   "-ccontrols=true", "-cprogress=true", "-cslide_number=true",
                   *classes, str(tmp / "index.html")]
            status, _, err = run_child(cmd, "convert")
            if status != 0:
                raise JacvizError(f"manim-slides convert failed: {err.strip().splitlines()[-1:]}")
            html = (tmp / "index.html").read_text()
            if pages:
                html = add_canvas_slides(html, deck, classes, names, pages, tmp)
                (tmp / "index.html").write_text(html)
            if "http://" in html.replace("http://www.w3.org", "") or "https://" in _code_refs(html):
                raise JacvizError("the deck refers to a remote asset; it would not work offline")
            write_handout(last_frames(deck, classes), tmp / "handout.pdf")
            target.commit(tmp)
    finally:
        shutil.rmtree(deck, ignore_errors=True)
    return out


def canvas_pages(names: list[str]) -> dict[str, str]:
    """The canvas page (HTML text) of every named scene that has one, with its default
    parameters (the deck renders the defaults)."""
    from .interactive import CANVASES, page

    out = {}
    for name in names:
        if name in CANVASES:
            params = registry.params_class(name)()
            params.validate()
            out[name] = page(name, params)
    return out


#: the deck's side of the canvases' key forwarding (see common.js)
_DECK_KEYS = """<script>
/* jacviz: a canvas that has the keyboard forwards the clicker's keys to the deck */
window.addEventListener("message", function (e) {
  var d = e.data;
  if (!d || d.jacviz !== "key") { return; }
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe[data-jacviz-canvas]"));
  if (!frames.some(function (f) { return f.contentWindow === e.source; })) { return; }
  if (d.key === "PageDown") { Reveal.next(); }
  else if (d.key === "PageUp") { Reveal.prev(); }
  else if (d.key === "Escape") {
    if (document.activeElement) { document.activeElement.blur(); }
    window.focus();
  }
});
</script>
"""


def _top_level_sections(slides) -> int:
    """How many top-level <section>s manim-slides writes for a presentation's slides:
    one per horizontal slide, one per run of vertical slides (a stack)."""
    count, stack = 0, False
    for slide in slides:
        if getattr(slide, "direction", "horizontal") == "vertical":
            if not stack:
                count, stack = count + 1, True
        else:
            count, stack = count + 1, False
    return count


def _section_ends(html: str) -> list[int]:
    """The offset just after each top-level </section> of the deck, in order."""
    import re

    ends, depth = [], 0
    for m in re.finditer(r"<section\b|</section\s*>", html):
        if m.group(0).startswith("</"):
            depth -= 1
            if depth == 0:
                ends.append(m.end())
        else:
            depth += 1
    return ends


def canvas_slide(name: str) -> str:
    """The slide that shows a scene's canvas (written beside the deck) in an iframe."""
    import html as h

    src = h.escape(f"canvases/{name}.html", quote=True)
    title = h.escape(f"{name}: interactive canvas", quote=True)
    tag = h.escape(name, quote=True)
    return (f'\n<section data-background-color="#0B0B0B" data-jacviz-canvas-slide="{tag}">'
            f'<iframe src="{src}" title="{title}" data-jacviz-canvas="{tag}" '
            f'sandbox="allow-scripts" style="width:100%;height:88vh;border:0;background:#0B0B0B">'
            f"</iframe></section>\n")


def add_canvas_slides(html: str, deck_dir: Path, classes: list[str], names: list[str],
                      pages: dict[str, str], tmp: Path) -> str:
    """Insert a canvas slide after the last slide of each scene that has a page in
    ``pages``, write the pages into ``tmp/canvases/``; returns the new index.html text."""
    from manim_slides.config import PresentationConfig

    counts = [_top_level_sections(PresentationConfig.from_file(deck_dir / f"{cls}.json").slides)
              for cls in classes]
    ends = _section_ends(html)
    if len(ends) != sum(counts):
        raise JacvizError(f"the deck has {len(ends)} slides where manim-slides made {sum(counts)}; "
                          f"cannot place the canvas slides")
    (tmp / "canvases").mkdir()
    inserts, seen = [], 0
    for name, count in zip(names, counts):
        seen += count
        if name in pages:
            (tmp / "canvases" / f"{name}.html").write_text(pages[name], encoding="utf-8")
            inserts.append((ends[seen - 1], canvas_slide(name)))
    for at, text in reversed(inserts):
        html = html[:at] + text + html[at:]
    return html.replace("</body>", _DECK_KEYS + "</body>", 1)


def _code_refs(html: str) -> str:
    """The src= and href= values of the page (comments may mention URLs)."""
    import re

    return " ".join(re.findall(r'(?:src|href)="([^"]*)"', html))

"""One TeX cache for every render, safe for renders side by side.

Each TeX snippet is compiled once (latex, then dvisvgm) into ``media/Tex`` in
the working directory, and every render reads it from there.  Renders may
run in parallel (``make -j2``, shards) and share that folder, so the two
steps that write into it hold an exclusive lock: compiling a snippet and
reading its SVG (manim writes a temporary copy beside it).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from ..signals import stage

_TEX_LOCK_INSTALLED = False
_TEX_LOCK_DEPTH = 0


@contextlib.contextmanager
def _tex_lock():
    """An exclusive lock on the shared Tex folder (re-entrant within a process)."""
    global _TEX_LOCK_DEPTH
    import fcntl

    from manim import config as mconfig

    if _TEX_LOCK_DEPTH:
        _TEX_LOCK_DEPTH += 1
        try:
            yield
        finally:
            _TEX_LOCK_DEPTH -= 1
        return
    # beside the folder, not in it: manim deletes every non-.svg/.tex file in
    # the Tex folder after a compile, and a deleted lock file locks nothing
    tex_dir = Path(mconfig.get_dir("tex_dir")).resolve()
    lock_path = tex_dir.parent / f".{tex_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        stage("tex-lock", str(lock_path))
        fcntl.flock(lock, fcntl.LOCK_EX)  # a signal interrupts the wait (its handler raises)
        _TEX_LOCK_DEPTH = 1
        try:
            yield
        finally:
            _TEX_LOCK_DEPTH = 0
            fcntl.flock(lock, fcntl.LOCK_UN)


def share_tex_cache() -> Path:
    """Compile each TeX snippet once for every render: one Tex folder in media/.

    Renders may run in parallel (make -j2) and share that folder, so the two
    steps that write into it hold an exclusive lock: compiling a snippet
    (.tex, .dvi, .svg) and reading its SVG (manim writes a temporary copy
    beside it).  No render ever reads another's half-written file.  Returns
    the folder, for ``config.tex_dir``.
    """
    global _TEX_LOCK_INSTALLED
    tex_dir = Path.cwd() / "media" / "Tex"
    tex_dir.mkdir(parents=True, exist_ok=True)
    if not _TEX_LOCK_INSTALLED:
        import manim.mobject.text.tex_mobject as tex_mobject
        from manim.mobject.svg.svg_mobject import SVGMobject

        compile_svg = tex_mobject.tex_to_svg_file
        parse_svg = SVGMobject.generate_mobject

        def locked_compile(*args, **kwargs):
            with _tex_lock():
                stage("tex")
                return compile_svg(*args, **kwargs)

        def locked_parse(self, *args, **kwargs):
            with _tex_lock():
                return parse_svg(self, *args, **kwargs)

        tex_mobject.tex_to_svg_file = locked_compile
        SVGMobject.generate_mobject = locked_parse
        _TEX_LOCK_INSTALLED = True
    return tex_dir

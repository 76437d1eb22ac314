"""One TeX cache for every render, safe for any number of renders side by side.

Each TeX snippet is compiled once (latex, then dvisvgm) into ``media/Tex`` in
the working directory, as ``<hash>.svg``, and every render reads it from
there.  Renders run in parallel (shards, ``make -j``, a lesson on two cores),
so:

- a snippet is compiled in a private temporary folder and its SVG renamed
  into the cache in one step: a reader sees a whole SVG or none, and no
  render's clean-up touches another's files;
- a lock per snippet (``media/.Tex.locks/<hash>.lock``) makes a second render
  that wants the same snippet wait for the first instead of compiling it
  again; different snippets compile at the same time;
- manim parses an SVG through a modified copy, which it writes beside the
  SVG; that copy goes to a private temporary file instead.

:func:`share_tex_cache` installs this (once per process) and returns the
folder for manim's ``tex_dir``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

from ..errors import JacvizError
from ..signals import run_child, stage

_INSTALLED = False


def cache_dir() -> Path:
    return Path.cwd() / "media" / "Tex"


@contextlib.contextmanager
def snippet_lock(tex_dir: Path, name: str):
    """An exclusive lock on one snippet (beside the cache folder, never in it)."""
    locks = tex_dir.parent / f".{tex_dir.name}.locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as lock:
        stage("tex-lock", name)
        fcntl.flock(lock, fcntl.LOCK_EX)  # a signal interrupts the wait (its handler raises)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _latex_error(log: Path, expression: str) -> str:
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    errors = [ln[2:].strip() for ln in lines if ln.startswith("! ")]
    reason = errors[0] if errors else "no log"
    return f"LaTeX cannot typeset {expression.strip()[:80]!r}: {reason}"


def tex_to_svg_file(expression: str, environment: str | None = None, tex_template=None) -> Path:
    """The SVG of a TeX snippet, from the cache or compiled into it (see the module docstring)."""
    from manim import config
    from manim.utils.tex_file_writing import make_tex_compilation_command, tex_hash

    template = tex_template or config["tex_template"]
    if environment is not None:
        code = template.get_texcode_for_expression_in_env(expression, environment)
    else:
        code = template.get_texcode_for_expression(expression)
    tex_dir = Path(config.get_dir("tex_dir"))
    tex_dir.mkdir(parents=True, exist_ok=True)
    name = tex_hash(code)
    svg = tex_dir / f"{name}.svg"
    if svg.exists():
        return svg
    with snippet_lock(tex_dir, name):
        if svg.exists():  # another render compiled it while this one waited
            return svg
        stage("tex", name)
        with tempfile.TemporaryDirectory(prefix=".tex-", dir=tex_dir.parent) as tmp:
            work = Path(tmp)
            tex_file = work / f"{name}.tex"
            tex_file.write_text(code, encoding="utf-8")
            fmt = template.output_format
            cmd = make_tex_compilation_command(template.tex_compiler, fmt, tex_file, work)
            status, _, _ = run_child(cmd, cwd=work)
            out = tex_file.with_suffix(fmt)
            if status != 0 or not out.exists():
                raise JacvizError(_latex_error(tex_file.with_suffix(".log"), expression))
            made = work / f"{name}.svg"
            status, _, err = run_child(["dvisvgm", *(["--pdf"] if fmt == ".pdf" else []),
                                        "--page=1", "--no-fonts", "--verbosity=0",
                                        f"--output={made.as_posix()}", out.as_posix()], cwd=work)
            if status != 0 or not made.exists():
                raise JacvizError(f"dvisvgm cannot convert {expression.strip()[:80]!r}: "
                                  f"{(err.strip().splitlines() or ['no message'])[-1]}")
            os.replace(made, svg)  # whole, in one step
    return svg


def _generate_mobject(self):
    """manim's SVGMobject.generate_mobject, with its modified copy in a private file."""
    import xml.etree.ElementTree as ET

    import svgelements as se
    from manim import RIGHT

    file_path = self.get_file_path()
    new_tree = self.modify_xml_tree(ET.parse(file_path))
    fd, tmp = tempfile.mkstemp(suffix=".svg", prefix=f".{file_path.stem}-")
    os.close(fd)
    try:
        new_tree.write(tmp)
        svg = se.SVG.parse(tmp)
    finally:
        os.unlink(tmp)
    mobjects, mobject_dict = self.get_mobjects_from(svg)
    self.add(*mobjects)
    self.id_to_vgroup_dict = mobject_dict
    self.flip(RIGHT)  # Flip y
    return self


def share_tex_cache() -> Path:
    """Install the shared cache (once per process); the folder for ``config.tex_dir``."""
    global _INSTALLED
    tex_dir = cache_dir()
    tex_dir.mkdir(parents=True, exist_ok=True)
    if not _INSTALLED:
        import manim.mobject.text.tex_mobject as tex_mobject
        import manim.utils.tex_file_writing as tex_file_writing
        from manim.mobject.svg.svg_mobject import SVGMobject

        tex_mobject.tex_to_svg_file = tex_to_svg_file
        tex_file_writing.tex_to_svg_file = tex_to_svg_file
        SVGMobject.generate_mobject = _generate_mobject
        _INSTALLED = True
    return tex_dir

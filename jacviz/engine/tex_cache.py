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
  SVG; that copy stays in memory instead (no file to race on, none to leave
  behind when a signal lands).

Cold, most of a render's time used to go to one latex and one dvisvgm run per
snippet.  :func:`prepare` runs the scene once *dry* (no animation played,
every snippet answered with a placeholder of the right structure), collects
the snippets not yet in the cache, and compiles them all in one latex run
and one dvisvgm run (a document of one page per snippet, standalone's
``multi`` pages), then renames each page's SVG into the cache.  Snippets the
dry run could not reach are compiled one by one, as before.  A draw of key frames
(:func:`cached_first`) runs no dry run first: it draws on the cache, and only at the
first snippet the cache lacks does a forked child run the rest of the scene dry and
compile the batch.

Numbers compile nothing (:func:`digit_shape`, :func:`with_digits`): a snippet
with digits is compiled once as its shape (its k-th digit written k mod 10), and
each number of that shape gets the shape's SVG with the digits' glyphs swapped in,
from one snippet of every digit in every font, compiled once.

:func:`share_tex_cache` installs all this (once per process) and returns the
folder for manim's ``tex_dir``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import JacvizError
from ..core import signals
from ..core.signals import flush_and_exit, lock_exclusive, run_child, stage, stop_children

_INSTALLED = False
#: while a dry run collects snippets: (name, code, expression) of those not in the cache
_COLLECTING: list | None = None
#: while a draw runs on the cache alone (:func:`cached_first`): the list that the dry rest of
#: the run collects into, once a snippet was missing
_CACHED_ONLY: list | None = None


class _Missing(Exception):
    """A snippet the cache lacks, met by a draw on the cache alone (:func:`cached_first`);
    caught in :func:`tex_to_svg_file`, never seen by the scene."""


def cache_dir() -> Path:
    return Path.cwd() / "media" / "Tex"


@contextlib.contextmanager
def snippet_lock(tex_dir: Path, name: str):
    """An exclusive lock on one snippet (beside the cache folder, never in it)."""
    locks = tex_dir.parent / f".{tex_dir.name}.locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as lock:
        stage("tex-lock", name)
        lock_exclusive(lock)  # a signal stops the wait (its handler raises)
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
    """The SVG of a TeX snippet, from the cache or compiled into it (see the module docstring).

    A snippet whose only change from one compiled before is its digits is not compiled:
    its SVG is the one of its *shape* (every digit written 0) with each 0 glyph replaced
    by the digit's glyph (see :func:`digit_shape`).  In a draw on the cache alone
    (:func:`cached_first`), the first snippet that would need a latex run turns the rest
    of the run into a dry run (a stand-in for it and every later snippet)."""
    from manim import config

    template = tex_template or config["tex_template"]
    tex_dir = Path(config.get_dir("tex_dir")).absolute()  # children run in a private folder
    tex_dir.mkdir(parents=True, exist_ok=True)
    if _CACHED_ONLY is not None and _COLLECTING is None:
        try:
            return _svg(template, expression, environment, tex_dir)
        except _Missing:
            if _gathered_in_fork():  # the batch is in the cache: this run draws on
                return _svg(template, expression, environment, tex_dir)
            _dry_from_here()
    if _COLLECTING is not None:  # a dry run: note what is missing, answer with a stand-in
        from manim.utils.tex_file_writing import tex_hash

        code = _texcode(template, expression, environment)
        name = tex_hash(code)
        if not (tex_dir / f"{name}.svg").exists():
            shape = digit_shape(expression)
            if shape is None:
                _collect(tex_dir, name, code, expression)
            else:  # the shape and the digits' glyphs, compiled once for every such number
                for expr in (shape, digits_snippet(environment)):
                    c = _texcode(template, expr, environment)
                    _collect(tex_dir, tex_hash(c), c, expr)
        return _placeholder(tex_dir, name, expression)
    return _svg(template, expression, environment, tex_dir)


def _svg(template, expression: str, environment: str | None, tex_dir: Path) -> Path:
    """The snippet's SVG: from the cache, made from its shape's and the digits' (numbers),
    or compiled (in a draw on the cache alone, :class:`_Missing` instead of compiling)."""
    from manim.utils.tex_file_writing import tex_hash

    code = _texcode(template, expression, environment)
    name = tex_hash(code)
    svg = tex_dir / f"{name}.svg"
    if svg.exists():
        return svg
    shape = digit_shape(expression)
    if shape is not None:
        try:
            shape_svg = _svg(template, shape, environment, tex_dir)
            ref = digits_snippet(environment)
            digits_svg = _compiled(tex_dir, template, ref, _texcode(template, ref, environment))
        except JacvizError:  # the snippet itself is compiled: its own error, if any
            return _compiled(tex_dir, template, expression, code)
        text = with_digits(shape_svg.read_text(encoding="utf-8"),
                           digits_svg.read_text(encoding="utf-8"), _digits_of(expression))
        if text is not None:
            stage("tex-digits", name)
            tmp = svg.with_name(f".{svg.name}.{os.getpid()}")
            try:
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, svg)  # whole, in one step
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            return svg
    return _compiled(tex_dir, template, expression, code)


def _texcode(template, expression: str, environment: str | None) -> str:
    if environment is not None:
        return template.get_texcode_for_expression_in_env(expression, environment)
    return template.get_texcode_for_expression(expression)


def _collect(tex_dir: Path, name: str, code: str, expression: str) -> None:
    if not (tex_dir / f"{name}.svg").exists() and all(n != name for n, _, _ in _COLLECTING):
        _COLLECTING.append((name, code, expression))


def _compiled(tex_dir: Path, template, expression: str, code: str) -> Path:
    """The snippet's SVG from the cache, or compiled by latex and dvisvgm into it."""
    from manim.utils.tex_file_writing import make_tex_compilation_command, tex_hash

    name = tex_hash(code)
    svg = tex_dir / f"{name}.svg"
    if svg.exists():
        return svg
    if _CACHED_ONLY is not None and _COLLECTING is None:  # no latex run: the batch makes it
        raise _Missing(expression)
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


# -- numbers without TeX ----------------------------------------------------------------------
#: every digit in each font a number is set in: math, its two script sizes, text, bold (one
#: snippet, compiled once; :func:`with_digits` takes the digits' glyphs from it), for a
#: snippet in a math environment (MathTex) and for one in text (Tex)
DIGITS = (r"0123456789\,{}_{0123456789{}_{0123456789}}\,\text{0123456789}\,"
          r"\mathbf{0123456789}")
TEXT_DIGITS = (r"0123456789 $0123456789{}_{0123456789{}_{0123456789}}$ \textbf{0123456789} "
               r"$\mathbf{0123456789}$")
MATH_ENVIRONMENTS = frozenset({"align*", "align", "equation*", "equation", "gather*", "gather",
                               "displaymath", "math"})


def digits_snippet(environment: str | None) -> str:
    return DIGITS if environment in MATH_ENVIRONMENTS else TEXT_DIGITS
#: control words that take no argument holding digits that are not typeset, and do not
#: reorder what they set (a snippet with any other is compiled as it is)
SAFE_WORDS = frozenset("""
    left right big Big bigg Bigg langle rangle lvert rvert lVert rVert vert Vert mid
    times cdot circ to mapsto longmapsto rightarrow leftarrow Rightarrow Leftarrow
    quad qquad text textbf textrm mathrm mathbb mathbf mathit mathcal boldsymbol operatorname
    nabla partial le leq ge geq approx neq ne equiv sim propto pm mp infty in
    frac dfrac tfrac sqrt sum prod int cdots ldots dots vdots ddots prime top
    displaystyle textstyle scriptstyle hat bar tilde vec dot ddot overline underline
    sin cos tan exp log ln min max det sigma
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda
    mu nu xi pi rho tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi
    Sigma Upsilon Phi Psi Omega ell colon
""".split())
_ENVIRONMENTS = frozenset({"bmatrix", "pmatrix", "matrix", "vmatrix", "Vmatrix", "aligned",
                           "cases"})


def _scan(expression: str):
    """The expression in pieces: ("special", text) kept as it is, ("digit", d), ("other", text);
    None when the expression holds anything :func:`digit_shape` cannot vouch for."""
    import re

    pieces, i, n = [], 0, len(expression)
    while i < n:
        c = expression[i]
        if c == "%":
            return None
        if c == "\\":
            m = re.match(r"\\special\{[^{}]*\}", expression[i:])
            if m:
                pieces.append(("special", m.group()))
                i += m.end()
                continue
            m = re.match(r"\\([A-Za-z]+)", expression[i:])
            if m:
                word = m.group(1)
                if word in ("begin", "end"):
                    env = re.match(r"\\(?:begin|end)\{([A-Za-z*]+)\}", expression[i:])
                    if not env or env.group(1) not in _ENVIRONMENTS:
                        return None
                    pieces.append(("other", env.group()))
                    i += env.end()
                    continue
                if word not in SAFE_WORDS:
                    return None
                pieces.append(("other", m.group()))
                i += m.end()
                continue
            nxt = expression[i + 1:i + 2]
            if nxt == "\\" and expression[i + 2:i + 3] == "[":  # a row's extra space: \\[2pt]
                return None
            pieces.append(("other", expression[i:i + 2]))
            i += 2
            continue
        if c.isdigit():
            if not c.isascii():
                return None
            pieces.append(("digit", c))
        else:
            pieces.append(("other", c))
        i += 1
    return pieces


def digit_shape(expression: str) -> str | None:
    """The snippet with its k-th typeset digit written as the digit k mod 10: the same shape
    for every number of the same digits' count and places, and TeX sets it glyph for glyph
    as it sets the number (in Computer Modern every digit has the same width, height and
    depth, and no kern or ligature with its neighbours).  Numbering the digits tells, in the
    shape's SVG, which glyph stands for which digit whatever order TeX set them in (a
    superscript before its subscript).  None for a snippet without digits, one that is its
    own shape, or one with a command outside :data:`SAFE_WORDS` (one that takes a
    dimension, a colour or a column spec), which is compiled as it is."""
    pieces = _scan(expression)
    if pieces is None:
        return None
    out, k = [], 0
    for kind, v in pieces:
        if kind == "digit":
            v, k = str(k % 10), k + 1
        out.append(v)
    shape = "".join(out)
    return shape if k and shape != expression else None


def _digits_of(expression: str) -> list[int]:
    return [int(v) for k, v in _scan(expression) if k == "digit"]


def with_digits(shape_svg: str, digits_svg: str, digits: list[int]) -> str | None:
    """The shape's SVG (:func:`digit_shape`) with each digit's glyph replaced by the glyph of
    the number's digit in the same font (a font known by its digits' outlines, from the
    compiled :func:`digits_snippet`).  None when a font, a count or an order does not match
    (the snippet is then compiled)."""
    import re

    path_re = re.compile(r"<path id='g(\d+)-(\d+)' d='([^']*)'/>")
    ref: list[dict[int, str]] = []
    fonts: dict[str, dict[int, str]] = {}
    for font, code, d in path_re.findall(digits_svg):
        if 48 <= int(code) <= 57:
            fonts.setdefault(font, {})[int(code) - 48] = d
    ref = [glyphs for glyphs in fonts.values() if len(glyphs) == 10]
    shape_fonts: dict[str, dict[int, str]] = {}
    for font, code, d in path_re.findall(shape_svg):
        if 48 <= int(code) <= 57:
            shape_fonts.setdefault(font, {})[int(code) - 48] = d
    digit_fonts = {}  # a font of the shape whose digits are a reference font's digits
    for font, glyphs in shape_fonts.items():
        match = [r for r in ref if all(r[c] == d for c, d in glyphs.items())]
        if match:
            digit_fonts[font] = match[0]
    use_re = re.compile(r"xlink:href='#g(\d+)-(\d+)'")
    uses = [(m, m.group(1), int(m.group(2)) - 48) for m in use_re.finditer(shape_svg)
            if m.group(1) in digit_fonts and 48 <= int(m.group(2)) <= 57]
    n = len(digits)
    if len(uses) != n:
        return None
    codes = [c for _, _, c in uses]
    if n <= 10 and sorted(codes) == list(range(n)):
        order = codes  # the glyph's digit is its place in the snippet
    elif codes == [k % 10 for k in range(n)]:
        order = list(range(n))  # more than ten: only when set in the snippet's order
    else:
        return None
    pieces, at, needed = [], 0, set()
    for (m, font, _), place in zip(uses, order):
        d = digits[place]
        pieces += [shape_svg[at:m.start()], f"xlink:href='#g{font}-{48 + d}'"]
        at = m.end()
        needed.add((font, d))
    text = "".join(pieces) + shape_svg[at:]
    have = {(f, int(c) - 48) for f, c, _ in path_re.findall(shape_svg)}
    defs = "".join(f"<path id='g{font}-{48 + d}' d='{digit_fonts[font][d]}'/>\n"
                   for font, d in sorted(needed - have))
    if "</defs>" not in text:
        return None
    return text.replace("</defs>", defs + "</defs>", 1)


def collecting() -> bool:
    """Whether this process is in a dry run (scenes then skip their animations)."""
    return _COLLECTING is not None


def _placeholder(tex_dir: Path, name: str, expression: str) -> Path:
    """A stand-in SVG with the snippet's groups (manim splits MathTex by them), each a box."""
    import re

    path = tex_dir.parent / f".{tex_dir.name}.stand-ins" / f"{name}.svg"
    if path.exists():
        return path
    body, x = [], 0.0
    for token in re.findall(r"\\special\{dvisvgm:raw (<g id='[^']*'>|</g>)\}", expression):
        if token == "</g>":
            body.append("</g>")
        else:
            body.append(f"{token}<path d='M{x:.1f} -8h6v8h-6z'/>")
            x += 7
    svg = ("<?xml version='1.0' encoding='UTF-8'?>\n<svg version='1.1' "
           "xmlns='http://www.w3.org/2000/svg' width='%gpt' height='10pt' viewBox='0 -9 %g 10'>"
           "<g id='stand-in'><path d='M%.1f -8h6v8h-6z'/>%s</g></svg>" % (x + 8, x + 8, x, "".join(body)))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(svg)
    os.replace(tmp, path)
    return path


@dataclass
class DryRun:
    """What a dry run found: how many snippets it compiled, and every play's run time
    (None if the run stopped before the end: a scene may rely on real glyphs)."""

    compiled: int
    durations: list[float] | None


def prepare(run) -> DryRun:
    """Run ``run`` dry, then compile every snippet it asked for and the cache lacks, together.

    ``run`` returns the scene it ran (its ``play_durations`` are the plays' run times,
    noted without playing them).  Whatever the dry run raises only ends the collection
    early."""
    import manim.mobject.text.numbers as numbers

    global _COLLECTING
    found: list = []
    durations = None
    digits = dict(numbers.string_to_mob_map)  # manim caches number glyphs: keep stand-ins out
    _COLLECTING = found
    try:
        durations = list(run().play_durations)
    except Exception:  # noqa: BLE001 - a dry run may fail on stand-ins; what it found stands
        pass
    finally:
        _COLLECTING = None
        numbers.string_to_mob_map.clear()
        numbers.string_to_mob_map.update(digits)
    if found:
        stage("tex-batch", " ".join(sorted(n for n, _, _ in found)))
        compile_batch(found)
    if durations is not None and not all(d >= 0 for d in durations):
        durations = None  # a play whose run time could not be read
    return DryRun(len(found), durations)


def cached_first(draw):
    """``draw()`` on the TeX cache alone, without a dry run first; what it returns.

    Every snippet comes from the cache, or is made from its shape and the digits' glyphs
    (:func:`with_digits`); no latex runs.  At the first snippet that would need a latex run,
    a forked child runs the rest of the scene dry (:func:`prepare`'s way: a stand-in for
    every later snippet, the plays planned, not played), gathers every snippet the scene
    lacks from there on and compiles them in one batch, and the draw goes on from where it
    stopped (:func:`_gathered_in_fork`; ``draw`` runs its scene through :func:`run_scene`).
    Where no fork can be made (another thread runs), the rest of this run goes dry itself,
    the batch is compiled, and ``draw()`` runs again.  Whatever a run raises after the
    first missing snippet, on stand-ins, only ends the gathering, as in a dry run; before
    it, it is the draw's own error."""
    global _CACHED_ONLY, _COLLECTING
    if _COLLECTING is not None or _CACHED_ONLY is not None:  # inside a dry run or a draw
        return draw()
    import manim.mobject.text.numbers as numbers

    found: list = []
    digits = dict(numbers.string_to_mob_map)  # manim caches number glyphs: keep stand-ins out
    _CACHED_ONLY = found
    switched = False
    try:
        result = draw()
    except Exception:  # noqa: BLE001 - after the switch, a dry run's: what it found stands
        if _COLLECTING is None:
            raise
    finally:
        if _GATHERER:  # a draw that does not end its scene in run_scene
            _end_gathering()
        switched = _COLLECTING is not None
        _CACHED_ONLY = _COLLECTING = None
        if switched:
            numbers.string_to_mob_map.clear()
            numbers.string_to_mob_map.update(digits)
    if not switched:
        return result
    if found:
        stage("tex-batch", " ".join(sorted(n for n, _, _ in found)))
        compile_batch(found)
    return draw()


def _dry_from_here() -> None:
    """In a draw on the cache alone, at the first snippet it lacks: the rest of the run is a
    dry run that gathers, into the same list, what the batch is to compile."""
    global _COLLECTING
    if not _GATHERER:
        stage("tex-missing")
    _COLLECTING = _CACHED_ONLY


#: in the child forked to gather the snippets a draw lacks (:func:`_gathered_in_fork`)
_GATHERER = False


def _gathered_in_fork() -> bool:
    """At the first snippet a draw on the cache lacks: fork.  The child runs the rest of the
    scene dry from here (stand-ins), gathering every snippet missing from here on, compiles
    them in one batch and ends (:func:`run_scene`); this process waits for it, then draws on
    from where it stopped, every gathered snippet now in the cache, as a draw always ran
    (a snippet the child could not reach is compiled on its own).  So a missing snippet
    costs the dry rest of the scene and the batch, not a second run of the part before it.
    False (nothing forked; the caller goes on dry itself) in the child, and in a process
    that runs other threads (forking one is unsafe)."""
    global _CACHED_ONLY, _GATHERER
    import threading

    if _GATHERER or threading.active_count() != 1:
        return False
    stage("tex-missing")
    sys.stdout.flush()
    sys.stderr.flush()
    # a signal held back from the fork until the child's pid is known: one handled between
    # the fork and the try would leave the child running on, unreaped
    mask = signals.block_signals()
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    if pid == 0:
        _GATHERER = True
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return False
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held back raises here
        os.waitpid(pid, 0)
        pid = None
    finally:
        if pid is not None:  # interrupted: the child goes first
            stop_children([pid])
    _CACHED_ONLY = None
    return True


def run_scene(render) -> None:
    """Run a scene's ``render`` in a draw on the cache (:func:`cached_first`).  In the child
    forked to gather the snippets the draw lacked, this is where it ends, before any of its
    parent's clean-up runs (the draw's folders are the parent's): the run's end, or whatever
    the dry run raised, ends the gathering, the batch is compiled, and the child exits."""
    try:
        render()
    except BaseException:  # noqa: BLE001 - in the gatherer: a stand-in's error ends the run
        if not _GATHERER:
            raise
    if _GATHERER:
        _end_gathering()


def _end_gathering() -> None:
    code = 0
    try:
        if signals.received() is None and _COLLECTING:
            stage("tex-batch", " ".join(sorted(n for n, _, _ in _COLLECTING)))
            compile_batch(_COLLECTING)
    except BaseException:  # noqa: BLE001 - the parent compiles what is missing on its own
        code = 1
    flush_and_exit(code)


def compile_batch(items) -> None:
    """Compile snippets (name, code, expression) in one latex and one dvisvgm run.

    Snippets share the template's preamble; each becomes one page.  If the batch
    cannot be made (another template, a LaTeX error in one snippet), every
    snippet is left to be compiled on its own when it is needed."""
    from manim import config

    tex_dir = Path(config.get_dir("tex_dir")).absolute()  # children run in a private folder
    first = items[0][1]
    head, sep, _ = first.partition("\\begin{document}")
    if not sep or "\\documentclass[preview]{standalone}" not in head:
        return
    pages = []
    for _, code, _ in items:
        h, sep, rest = code.partition("\\begin{document}")
        if h != head or "\\end{document}" not in rest:
            return
        pages.append(rest.rsplit("\\end{document}", 1)[0])
    with contextlib.ExitStack() as held:
        for name in sorted(n for n, _, _ in items):  # in one order: no two renders deadlock
            held.enter_context(snippet_lock(tex_dir, name))
        todo = [(it, page) for it, page in zip(items, pages)
                if not (tex_dir / f"{it[0]}.svg").exists()]  # another render may have made some
        if todo:
            _compile_pages(tex_dir, head, [it for it, _ in todo], [p for _, p in todo])


def _compile_pages(tex_dir: Path, head: str, items, pages) -> None:
    doc = head.replace("\\documentclass[preview]{standalone}",
                       "\\documentclass[crop,varwidth,multi=jvzsnippet]{standalone}") + \
        "\\newenvironment{jvzsnippet}{}{}\n\\begin{document}\n" + \
        "".join(f"\\begin{{jvzsnippet}}{p}\\end{{jvzsnippet}}\n" for p in pages) + "\\end{document}\n"
    with tempfile.TemporaryDirectory(prefix=".tex-batch-", dir=tex_dir.parent) as tmp:
        work = Path(tmp)
        (work / "batch.tex").write_text(doc, encoding="utf-8")
        status, _, _ = run_child(["latex", "-interaction=batchmode", "-halt-on-error",
                                  f"-output-directory={work.as_posix()}", "batch.tex"], cwd=work)
        if status != 0 or not (work / "batch.dvi").exists():
            return
        status, _, _ = run_child(["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0",
                                  "--output=page-%p.svg", "batch.dvi"], cwd=work)
        made = sorted(work.glob("page-*.svg"), key=lambda p: int(p.stem.split("-")[1]))
        if status != 0 or len(made) != len(items):
            return
        for (name, _, _), page in zip(items, made):
            target = tex_dir / f"{name}.svg"
            if not target.exists():
                os.replace(page, target)


def _generate_mobject(self):
    """manim's SVGMobject.generate_mobject, with its modified copy in memory: manim writes it
    beside the SVG (where parallel renders race on it), and a temporary file could outlive
    an interrupt (a signal between its creation and its removal)."""
    import io
    import xml.etree.ElementTree as ET

    import svgelements as se
    from manim import RIGHT

    file_path = self.get_file_path()
    new_tree = self.modify_xml_tree(ET.parse(file_path))
    copy = io.BytesIO()
    new_tree.write(copy)  # the bytes manim's copy would hold
    copy.seek(0)
    svg = se.SVG.parse(copy)
    mobjects, mobject_dict = self.get_mobjects_from(svg)
    self.add(*mobjects)
    self.id_to_vgroup_dict = mobject_dict
    self.flip(RIGHT)  # Flip y
    return self


def share_tex_cache() -> Path:
    """Install the shared cache (once per process); the folder for ``config.tex_dir``."""
    tex_dir = cache_dir()
    tex_dir.mkdir(parents=True, exist_ok=True)
    install()
    return tex_dir


def install() -> None:
    """Compile and parse TeX the safe way in this process, whatever ``tex_dir`` is (idempotent;
    the kit calls it on import, so that plain ``manim`` renders and tests are safe too)."""
    global _INSTALLED
    if not _INSTALLED:
        import manim.mobject.text.tex_mobject as tex_mobject
        import manim.utils.tex_file_writing as tex_file_writing
        from manim.mobject.svg.svg_mobject import SVGMobject

        tex_mobject.tex_to_svg_file = tex_to_svg_file
        tex_file_writing.tex_to_svg_file = tex_to_svg_file
        SVGMobject.generate_mobject = _generate_mobject
        _INSTALLED = True


# -- parsed SVGs handed from one process to another (preview --watch) -------------------------
def parsed_svgs() -> dict:
    """manim's in-memory cache of parsed SVGs: a hash of the SVG file's name (the TeX
    snippet's hash) and the mobject's style -> the parsed mobject, copied on each use."""
    from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP

    return SVG_HASH_TO_MOB_MAP


def save_parsed(path: Path, known) -> int:
    """Write the parsed SVGs that are not in ``known`` (keys) to ``path`` (whole or not at
    all: written beside it and renamed); returns how many.  For a forked child to hand what
    it parsed back to the process it was forked from (:func:`adopt_parsed`), whose next
    children then start with it, as one process does across the scenes it renders."""
    import pickle

    new = {k: v for k, v in parsed_svgs().items() if k not in known}
    if new:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(pickle.dumps(new, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    return len(new)


def adopt_parsed(path: Path, limit: int = 1000) -> int:
    """Add the parsed SVGs that :func:`save_parsed` wrote (by this process's own child, into
    a private folder) to this process's cache, keeping at most ``limit`` (the oldest go; a
    snippet parsed is some 35 kB, a scene uses 100 to 250); returns how many were added."""
    import pickle

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    new = pickle.loads(data)
    cache = parsed_svgs()
    cache.update(new)
    for key in list(cache)[:max(0, len(cache) - limit)]:
        del cache[key]
    return len(new)

"""``jacviz preview``: a storyboard in seconds.

One PNG that tiles the frame at the end of every beat, each labelled with
its beat name, at 480p.  The frames come from the key-frame path (every
animation skipped to its end state, nothing encoded).  A storyboard already
drawn for the same scene, values, config file and code is reused from
``media/preview`` before anything heavy is even imported (manim, sympy).
``--watch`` draws it again whenever the config file or the package's sources
change: one warm process imports manim, the kit and the core once and forks a child
per redraw, which reads the scene modules anew (so that edited scene code takes
effect); an edit of the package itself makes the watch re-execute itself (see
:func:`watch`).

With ``check`` (``jacviz preview --check``) the storyboard is drawn with the layout
check on (:mod:`jacviz.kit.layout`): :func:`storyboard` returns the problems too, and
each problem that is somewhere gets a red box on the tile of its beat.  The problems
are kept beside the cached storyboard, so a reused board reports them again.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

from ..core.errors import JacvizError
from ..core.signals import block_signals, flush_and_exit, stage, stop_children
from .output import FileTarget
from .sources import source_digest, source_files

SIZE = (854, 480)
COLUMNS = 3
LABEL_H = 34
GAP = 8
BACKGROUND = (40, 40, 40)
MARK = (255, 0, 0)  # the red box round a problem (no colour of the palette is pure red)
MARK_WIDTH = 3


def workdir() -> Path:
    return Path.cwd()


def default_out(scene: str, params) -> Path:
    digest = params.digest()
    stem = scene if not digest else f"{scene}-{digest}"
    return workdir() / "renders" / f"{stem}-storyboard.png"


def request_key(scene: str, sets: dict, config: str | None, size=SIZE, check: bool = False) -> str:
    """The storyboard's identity before anything heavy is imported: the scene, the values
    as typed, the config file's bytes, the package's code and the size."""
    try:
        conf = Path(config).read_bytes().hex() if config else None
    except FileNotFoundError:
        raise JacvizError(f"config file {config!r} not found") from None
    except OSError as exc:
        raise JacvizError(f"cannot read config file {config!r}: {exc.strerror}") from None
    request = {"scene": scene, "sets": sets, "code": source_digest(), "size": list(size),
               "config": conf}
    if check:
        request["check"] = True
    blob = json.dumps(request, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _cached(key: str) -> Path:
    return workdir() / "media" / "preview" / f"{key}.png"


def target(out, scene: str, default: Path | None = None) -> FileTarget:
    """The storyboard's output: ``--out`` (a .png) or the default path."""
    if out:
        return FileTarget(Path(out), exts=(".png",), why="a storyboard is one PNG",
                          example=f"{scene}-storyboard.png")
    return FileTarget(default, option="", exts=(".png",))


def from_cache(key: str, out: str | None, scene: str = "") -> Path | None:
    """The storyboard drawn before for this key, copied to where this request writes it."""
    png, name = _cached(key), _cached(key).with_suffix(".name")
    if not (png.exists() and name.exists()):
        return None
    dest = target(out, scene, workdir() / "renders" / name.read_text().strip())
    dest.check()
    dest.commit({dest.path: png})
    return dest.path


def cached_problems(key: str) -> list[dict] | None:
    """The problems kept with a checked storyboard (see :func:`storyboard`)."""
    path = _cached(key).with_suffix(".problems.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def problem_record(problem, frames, size=SIZE) -> dict:
    """A layout problem as kept and printed: beat, rule, what, where (pixels of its tile)."""
    tiles = [k for k, (name, _) in enumerate(frames) if name == problem.beat]
    return {"beat": problem.beat, "rule": problem.kind, "what": problem.what,
            "tile": tiles[0] + 1 if tiles else None, "where": problem.where_px(size)}


def problem_line(rec: dict) -> str:
    """One line per problem: beat, rule, what, where."""
    where = rec.get("where")
    at = f"x {where[0]}..{where[2]}, y {where[1]}..{where[3]} px" if where else "whole scene"
    tile = f"tile {rec['tile']}, " if rec.get("tile") else ""
    return f"{rec['beat']}: {rec['rule']}: {rec['what']} ({tile}{at})"


def tile(frames, size=SIZE, columns: int = COLUMNS, marks=None):
    """The frames in a grid, each with its beat name above it (a PIL image).  ``marks``:
    tile index -> boxes (left, top, right, bottom; pixels of the tile) drawn in red."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = size
    cols = min(columns, len(frames))
    rows = math.ceil(len(frames) / cols)
    sheet = Image.new("RGB", (cols * w + (cols + 1) * GAP, rows * (h + LABEL_H) + (rows + 1) * GAP),
                      BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=22)
    for k, (name, frame) in enumerate(frames):
        x = GAP + (k % cols) * (w + GAP)
        y = GAP + (k // cols) * (h + LABEL_H + GAP)
        draw.text((x + 4, y + 4), f"{k + 1}. {name}", fill=(240, 228, 66), font=font)
        img = Image.fromarray(frame[..., :3])
        if img.size != (w, h):
            img = img.resize((w, h))
        sheet.paste(img, (x, y + LABEL_H))
        for box in (marks or {}).get(k, []):
            l, t, r, b = box
            l, r = max(0, l - MARK_WIDTH), min(w - 1, r + MARK_WIDTH)
            t, b = max(0, t - MARK_WIDTH), min(h - 1, b + MARK_WIDTH)
            draw.rectangle((x + l, y + LABEL_H + t, x + r, y + LABEL_H + b), outline=MARK,
                           width=MARK_WIDTH)
    return sheet


def storyboard(scene: str, params, key: str, out: Path | None = None, size=SIZE,
               check: bool = False):
    """Draw the storyboard of one scene (kept under ``key`` for next time); returns its path,
    or with ``check`` ``(path, problems)``: the layout check's problems as
    :func:`problem_record` dicts, each marked on the board with a red box."""
    import io

    from .output import commit_files
    from .dry_run import keyframes

    dest = target(out, scene, default_out(scene, params))
    dest.check()  # before any work
    records, marks = [], {}
    if check:
        frames, problems = keyframes(scene, params, resolution=size, check_layout=True)
        for p in problems:
            rec = problem_record(p, frames, size)
            records.append(rec)
            if rec["tile"] and rec["where"]:
                marks.setdefault(rec["tile"] - 1, []).append(rec["where"])
    else:
        frames = keyframes(scene, params, resolution=size)
    stage("tile")
    buf = io.BytesIO()
    tile(frames, size, marks=marks).save(buf, format="PNG", compress_level=1)  # fast: a preview
    png = _cached(key)
    files = {png: buf.getvalue(), png.with_suffix(".name"): default_out(scene, params).name,
             dest.path: buf.getvalue()}
    if check:
        files[png.with_suffix(".problems.json")] = json.dumps(records)
    commit_files(files, dest.label)
    return (dest.path, records) if check else dest.path


# -- --watch: one warm process, a forked child per redraw -------------------------------------
#: set by a watch that re-executes itself: the state it has just drawn (not drawn again)
SEEN_ENV = "JACVIZ_WATCH_SEEN"
POLL = 0.05  # seconds between two looks at the config file
SOURCES_EVERY = 5  # polls between two looks at the sources' file stats (some 100 files)
PARSED = "parsed-svgs.pickle"  # in a child's private folder: the SVGs it parsed, for the parent


class _Sources:
    """What the watch watches: the config file's bytes, and the code in two parts, the package
    (``jacviz/``: what the warm process has imported) and the scenes (``scenes/``: imported anew
    by every child).  The sources are hashed only when a file's stats changed."""

    def __init__(self, config: str | None):
        self.config = config
        self._stats = None
        self._digests = ("", "")

    def _config_bytes(self) -> bytes:
        if not self.config:
            return b""
        try:
            return b"+" + Path(self.config).read_bytes()
        except OSError:
            return b"(missing)"

    def read(self, sources: bool = True) -> tuple[str, str, str]:
        """(package digest, scenes digest, config digest); the sources as last looked at
        unless ``sources``."""
        if sources or self._stats is None:
            self._look()
        return (*self._digests, hashlib.sha256(self._config_bytes()).hexdigest()[:16])

    def _look(self) -> None:
        files = source_files()
        stats = []
        for name, path in files:
            try:
                st = path.stat()
                stats.append((name, st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                stats.append((name, None))
        if stats != self._stats:
            package, scenes = hashlib.sha256(), hashlib.sha256()
            for name, path in files:
                h = scenes if name.startswith("scenes/") else package
                h.update(name.encode() + b"\0")
                try:
                    h.update(path.read_bytes())
                except OSError:
                    h.update(b"(missing)")
            self._stats, self._digests = stats, (package.hexdigest()[:16], scenes.hexdigest()[:16])


def warm_up() -> None:
    """Import, once, what every redraw needs: manim, the kit, the engine, the core, the key-frame
    path and the tiling (the scene modules themselves are imported anew by each child)."""
    import manim  # noqa: F401
    from PIL import Image, ImageDraw, ImageFont, PngImagePlugin  # noqa: F401

    from .. import kit  # noqa: F401
    from . import dry_run, output, request  # noqa: F401

    ImageFont.load_default(size=22)


def _forget_scenes() -> None:
    """In a child: drop the scene modules the parent may hold, and read each from its source
    (not from a .pyc, whose stamp is the source's mtime in whole seconds and its size: an edit
    within the same second that keeps the size would run the old code)."""
    import importlib
    import importlib.machinery

    for name in [m for m in sys.modules if m == "jacviz.scenes" or m.startswith("jacviz.scenes.")]:
        del sys.modules[name]
    importlib.invalidate_caches()

    class SourceOnly(importlib.machinery.SourceFileLoader):
        def get_code(self, fullname):
            path = self.get_filename(fullname)
            return compile(self.get_data(path), path, "exec", dont_inherit=True)

    class FreshScenes:
        @staticmethod
        def find_spec(fullname, path=None, target=None):
            if fullname != "jacviz.scenes" and not fullname.startswith("jacviz.scenes."):
                return None
            for finder in sys.meta_path:
                if finder is FreshScenes or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    if isinstance(spec.loader, importlib.machinery.SourceFileLoader):
                        spec.loader = SourceOnly(spec.loader.name, spec.loader.path)
                    return spec
            return None

    sys.meta_path.insert(0, FreshScenes)


def _pump(sources: dict[int, object], keep: int | None = None) -> bytes:
    """Copy what a child writes on its pipes (fd -> our stream) as it comes, to end-of-file;
    returns what came on ``keep``."""
    import select

    open_fds, kept = dict(sources), []
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [])
        for fd in ready:
            data = os.read(fd, 65536)
            if not data:
                del open_fds[fd]
                continue
            if fd == keep:
                kept.append(data)
            stream = open_fds[fd]
            stream.buffer.write(data)
            stream.flush()
    return b"".join(kept)


def _forked_draw(redraw) -> int:
    """Run ``redraw()`` (the preview command without --watch: it prints its lines and
    returns its exit status) in a child forked from this warm process; its output is copied
    to ours as it comes.  The child has a private temporary folder, removed once it has
    ended however it ended; an interrupt here stops the child (and reaps it) first.

    A child that drew hands the TeX SVGs it parsed back through that folder (after its
    storyboard is written), and this process adds them to manim's in-memory cache of parsed
    SVGs: the next child starts with every snippet parsed that an earlier one used, as a
    single process rendering several scenes does (the cache is keyed by the snippet's hash
    and the mobject's style; parsing was two fifths of a redraw)."""
    import shutil
    import tempfile

    from ..engine import tex_cache

    tmp = tempfile.mkdtemp(prefix="jacviz-watch-")
    pid = None
    fds: list[int] = []
    try:
        r_out, w_out = os.pipe()
        fds += [r_out, w_out]
        r_err, w_err = os.pipe()
        fds += [r_err, w_err]
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(w_out, 1)
                os.dup2(w_err, 2)
                for fd in (null, *fds):
                    os.close(fd)
                tempfile.tempdir = tmp
                os.environ["TMPDIR"] = tmp
                _forget_scenes()
                known = set(tex_cache.parsed_svgs())
                code = int(redraw() or 0)
                if code in (0, 1):  # drawn (1: with layout problems): hand its parsed SVGs back
                    tex_cache.save_parsed(Path(tmp) / PARSED, known)
            except KeyboardInterrupt as exc:  # before the command's own handling was set up
                code = getattr(exc, "exit_status", 130)
            except BaseException:  # noqa: BLE001 - a crash: its traceback is the message
                import traceback

                try:
                    os.write(2, traceback.format_exc().encode())
                except OSError:
                    pass
            finally:
                flush_and_exit(code)
        for fd in (w_out, w_err):
            os.close(fd)
            fds.remove(fd)
        stage("preview-child", f"{pid} fork")
        _pump({r_out: sys.stdout, r_err: sys.stderr})
        _, status = os.waitpid(pid, 0)
        pid = None
        status = os.waitstatus_to_exitcode(status)
        if status in (0, 1):
            try:
                adopted = tex_cache.adopt_parsed(Path(tmp) / PARSED)
            except Exception:  # noqa: BLE001 - only a head start: the next child parses again
                adopted = 0
            stage("watch-adopted", str(adopted))
        return status
    finally:
        if pid is not None:  # interrupted (or our own output failed): the child goes first
            stop_children([pid])
        for fd in fds:
            os.close(fd)
        shutil.rmtree(tmp, ignore_errors=True)


def _fresh_draw(argv: list[str]) -> tuple[int, bool]:
    """The preview in a fresh interpreter (``python -m jacviz preview ...``), its output
    copied to ours as it comes; returns its exit status and whether it crashed (a Python
    traceback: the code itself is broken)."""
    import subprocess

    with subprocess.Popen([sys.executable, "-m", "jacviz", *argv], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            stage("preview-child", f"{proc.pid} fresh")
            err = _pump({proc.stdout.fileno(): sys.stdout, proc.stderr.fileno(): sys.stderr},
                        keep=proc.stderr.fileno())
            return proc.wait(), b"Traceback (most recent call last)" in err
        except BaseException:
            stop_children([proc.pid])
            raise


def _reexec(argv: list[str], seen: str) -> None:
    """Become a fresh watch process (same pid) that imports the edited package, and does not
    draw again what was just drawn.  SIGINT and SIGTERM are blocked across the exec (a
    blocked signal stays pending through it); the command line unblocks them once its
    handlers are in place, so a Ctrl-C meanwhile still stops the watch cleanly."""
    stage("watch-reexec")
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ[SEEN_ENV] = seen
    block_signals()
    os.execv(sys.executable, [sys.executable, "-m", "jacviz", *argv, "--watch"])


def watch(argv: list[str], config: str | None, redraw, poll: float = POLL, params=None) -> int:
    """Draw the storyboard again whenever the config file or the sources change, until Ctrl-C.

    ``argv`` is the preview command without --watch; ``redraw`` runs it in this process
    (returning its exit status).  This process imports manim, the kit and the core once
    (:func:`warm_up`) and forks a child per redraw, which imports the scene modules anew from
    their sources, reads the config file again and draws.  When the package itself
    (``jacviz/``, not ``scenes/``) changed, what this process imported is stale: the redraw
    runs in a fresh interpreter, and when that one got through (exit status 0, 1 or 2 and no
    traceback: the code imports and runs), this process re-executes itself (``os.execv``, the same pid) to
    be warm with the new code; when it crashed, the watch stays and draws in fresh
    interpreters until the package changes again.  A child's output is copied as it comes;
    a child that fails or is stopped by a signal ends only that redraw.  ``params``, if given,
    resolves the parameters as they are at the start, once, in this process: the maps'
    symbolic work (parsing, Jacobians, simplified entries) is then in sympy's caches for
    every child, and an edit of a number meets it there (a child that resolves maps it has
    not met builds them as a fresh process would)."""
    import gc
    import threading

    sources = _Sources(config)
    imported = sources.read()[0]  # before the imports: a later edit is seen as a change
    seen = os.environ.pop(SEEN_ENV, None)
    warm = True
    try:
        warm_up()
    except Exception:  # noqa: BLE001 - a broken edit of the package: fresh processes show it
        warm = False
    if warm and params:
        import contextlib
        import io

        try:  # silent: what the scene module prints on import, its child prints
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                params()
            stage("watch-params", "resolved")
        except Exception:  # noqa: BLE001 - a bad value: the first redraw says so, as the CLI
            stage("watch-params", "refused")
    gc.collect()
    gc.freeze()  # what is imported stays in pages the children share with this process
    stage("watch-warm" if warm else "watch-cold")
    polls = 0
    while True:
        now = sources.read(sources=polls % SOURCES_EVERY == 0)
        polls += 1
        key = ":".join(now)
        if key != seen:
            seen = key
            if now[0] != imported:
                status, crashed = _fresh_draw(argv)
                if status in (0, 1, 2) and not crashed:
                    _reexec(argv, key)
                warm = False  # the package crashed a fresh process: stay cold until it changes
                imported = now[0]
            elif warm and threading.active_count() == 1:  # forking a threaded process is unsafe
                _forked_draw(redraw)
            else:
                _fresh_draw(argv)
            sys.stdout.flush()
            stage("watching")
        time.sleep(poll)

"""``jacviz preview``: a storyboard in seconds.

One PNG that tiles the frame at the end of every beat, each labelled with
its beat name, at 480p.  The frames come from the key-frame path (every
animation skipped to its end state, nothing encoded).  A storyboard already
drawn for the same scene, values, config file and code is reused from
``media/preview`` before anything heavy is even imported (manim, sympy).
``--watch`` draws it again whenever the config file or the package's sources
change, each time in a fresh process (so that edited scene code is read anew).

With ``check`` (``jacviz preview --check``) the storyboard is drawn with the layout
check on (:mod:`jacviz.kit.layout`): :func:`storyboard` returns the problems too, and
each problem that is somewhere gets a red box on the tile of its beat.  The problems
are kept beside the cached storyboard, so a reused board reports them again.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from pathlib import Path

from ..core.errors import JacvizError
from ..core.signals import run_child, stage
from .output import FileTarget
from .sources import source_digest

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
    tile(frames, size, marks=marks).save(buf, format="PNG")
    png = _cached(key)
    files = {png: buf.getvalue(), png.with_suffix(".name"): default_out(scene, params).name,
             dest.path: buf.getvalue()}
    if check:
        files[png.with_suffix(".problems.json")] = json.dumps(records)
    commit_files(files, dest.label)
    return (dest.path, records) if check else dest.path


def _fingerprint(config: str | None) -> str:
    """What --watch watches: the config file's bytes and the package's sources."""
    h = hashlib.sha256(source_digest().encode())
    if config:
        try:
            h.update(Path(config).read_bytes())
        except OSError:
            h.update(b"(missing)")
    return h.hexdigest()


def watch(argv: list[str], config: str | None, poll: float = 0.5) -> int:
    """Draw the storyboard in a fresh process whenever the config or the sources change,
    until Ctrl-C.  ``argv`` is the preview command without --watch."""
    seen = None
    while True:
        now = _fingerprint(config)
        if now != seen:
            seen = now
            status, out, err = run_child([sys.executable, "-m", "jacviz", *argv], "preview-child")
            sys.stdout.write(out)
            sys.stderr.write(err)  # a bad edit: its one error line; keep watching
            sys.stdout.flush()
            stage("watching")
        time.sleep(poll)
